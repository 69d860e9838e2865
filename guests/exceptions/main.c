/*
 * Synchronous exceptions taken to the current EL (EL2): the syndrome (EC,
 * IL, ISS), ELR and FAR each one records (Arm ARM D17.2.37 ESR_ELx, D1.10
 * preferred exception return addresses).
 */
#include "guest.h"

static uint64_t resume_at;     /* where the handler continues (0: ELR + 4 for UNDEF/BRK) */

static bool handler(ExcFrame *f, unsigned el, unsigned kind)
{
    exc_record(f, el, kind);
    if (resume_at) {
        f->elr = resume_at;
        resume_at = 0;
    } else if (esr_ec(f->esr) == 0x00 || esr_ec(f->esr) == 0x3c || esr_ec(f->esr) == 0x18) {
        f->elr += 4;     /* the preferred return is the faulting instruction: skip it */
    }
    return true;
}

void guest_run(void)
{
    uint64_t pc;
    exc_set_handler(2, handler);

    __asm__ volatile("adr %0, 1f\n1:\tudf #0x1234" : "=r"(pc) : : "memory");
    exc_expect_sync(0x00, 0, pc, "UDF #0x1234 is UNDEFINED");

    __asm__ volatile("adr %0, 1f\n1:\t.inst 0xffffffff" : "=r"(pc) : : "memory");
    exc_expect_sync(0x00, 0, pc, "unallocated encoding 0xffffffff");

    __asm__ volatile("adr %0, 1f\n1:\tbrk #0x77" : "=r"(pc) : : "memory");
    exc_expect_sync(0x3c, 0x77, pc, "BRK #0x77");

    __asm__ volatile("adr %0, 1f\n\tsvc #0x5\n1:" : "=r"(pc) : : "x0", "memory");
    exc_expect_sync(0x15, 0x5, pc, "SVC #5 at EL2 to EL2");

    __asm__ volatile("adr %0, 1f\n\thvc #0x6\n1:" : "=r"(pc) : : "x0", "memory");
    exc_expect_sync(0x16, 0x6, pc, "HVC #6 at EL2 to EL2");

    /* PC alignment: BR to a misaligned target; ELR and FAR hold the target. */
    uint64_t target, back;
    __asm__ volatile("adr %0, 2f\n\tadd %0, %0, #2\n\tadr %1, 2f" : "=r"(target), "=r"(back));
    resume_at = back;
    __asm__ volatile("br %0\n2:" : : "r"(target) : "memory");
    report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x22 && exc_seen.far == target && exc_seen.elr == target,
           "BR to a misaligned address: EC 0x22 (ESR 0x%lx), FAR = ELR = target", exc_seen.esr);
    exc_seen_count = 0;

    exc_set_handler(2, NULL);
}
