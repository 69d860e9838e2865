/*
 * SP alignment checking (Arm ARM D1.8.2): with SCTLR_EL2.SA = 1, a load
 * or store whose base register is a misaligned SP takes an SP alignment
 * fault (EC 0x26) with ELR = the faulting instruction.
 *
 * QEMU TCG does not implement SP alignment checks (observed with Debian's
 * QEMU 7.2: the load completes), so the manifest marks this guest as an
 * expected failure on QEMU.
 */
#include "guest.h"

#define SCTLR_SA (1ul << 3)

void guest_run(void)
{
    uint64_t pc;
    exc_set_handler(2, exc_record_skip);
    /* SP alignment (SCTLR_EL2.SA = 1): a load with a misaligned SP_EL0 as base. */
    write_sysreg(read_sysreg(SCTLR_EL2) | SCTLR_SA, SCTLR_EL2);
    isb();
    uint64_t scratch[4] = { 0 };
    write_sysreg((uint64_t)(uintptr_t)scratch + 4, SP_EL0);
    __asm__ volatile("adr %0, 1f\n\tmsr spsel, #0\n1:\tldr x0, [sp]\n\tmsr spsel, #1"
                     : "=r"(pc) : : "x0", "memory");
    report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x26 && exc_seen.elr == pc &&
           exc_seen_kind == EXC_KIND(EXC_FROM_SP0, EXC_SYNC),
           "load with misaligned SP: EC 0x26 (ESR 0x%lx), ELR = the load, taken from SP_EL0", exc_seen.esr);
    exc_set_handler(2, NULL);
}
