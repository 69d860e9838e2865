/*
 * Exception level transitions: EL2 -> EL1 -> EL0 by ERET and back by
 * HVC/SVC, with the syndrome, return address and saved PSTATE each
 * exception records (Arm ARM D1.10 AArch64.TakeException, D17.2.37 ESR_ELx).
 */
#include "guest.h"

#define HCR_EL2_RW (1ul << 31)
#define SCTLR_EL1_MMU_OFF 0x30d00818ul   /* RES1 bits, SA, SA0; M = 0 */

static uint8_t el1_stack[8192] __attribute__((aligned(16)));
static uint8_t el0_stack[8192] __attribute__((aligned(16)));

static ExcFrame el1_seen;
static unsigned el1_seen_count, el1_seen_kind;

/* Records synchronous exceptions taken to EL1 that a test provokes on purpose. */
static bool el1_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    el1_seen = *f;
    el1_seen_kind = kind;
    el1_seen_count++;
    if (esr_ec(f->esr) == 0x00) {
        f->elr += 4;          /* UNDEFINED: skip the instruction */
    }
    return true;
}

static uint64_t el1_current_el(uint64_t arg)
{
    return read_sysreg(CurrentEL) + arg;
}

/* At EL1: SVC to EL1 itself, an EL2-only register, then EL0 round trips. */
static uint64_t el0_work(uint64_t arg)
{
    return arg * 3;
}

static uint64_t el0_hvc(uint64_t arg)
{
    __asm__ volatile("hvc #0x55");   /* UNDEFINED at EL0 */
    return arg;
}

static uint64_t el1_body(uint64_t arg)
{
    unsigned fails = 0;
    /* SVC at EL1 is taken to EL1 (HCR_EL2.TGE = 0), preferred return = next insn. */
    el1_seen_count = 0;
    uint64_t svc_pc;
    __asm__ volatile("adr %0, 1f\n\tsvc #0x12\n1:" : "=r"(svc_pc) : : "x0", "memory");
    if (el1_seen_count != 1 || esr_ec(el1_seen.esr) != 0x15 || esr_iss(el1_seen.esr) != 0x12 ||
        !esr_il(el1_seen.esr) || el1_seen.elr != svc_pc ||
        el1_seen_kind != EXC_KIND(EXC_FROM_SPX, EXC_SYNC) || (el1_seen.spsr & 0xf) != SPSR_EL1h) {
        fails |= 1;
    }
    /* An EL2 register from EL1 is UNDEFINED, taken to EL1. */
    el1_seen_count = 0;
    uint64_t v = 0;
    __asm__ volatile("mrs %0, HCR_EL2" : "+r"(v) : : "memory");
    if (el1_seen_count != 1 || esr_ec(el1_seen.esr) != 0x00) {
        fails |= 2;
    }
    /* EL1 -> EL0 -> EL1 */
    write_sysreg(SCTLR_EL1_MMU_OFF, SCTLR_EL1);
    isb();
    uint64_t r = el_call_lower(el0_work, 14, SPSR_EL0t, (uint64_t)(uintptr_t)(el0_stack + sizeof(el0_stack)));
    uint64_t esr = lower_return_frame.esr;
    if (r != 42 || esr_ec(esr) != 0x15 || esr_iss(esr) != 0xfff ||
        lower_return_frame.elr != (uint64_t)(uintptr_t)lower_ret_svc + 4 ||
        (lower_return_frame.spsr & 0xf) != SPSR_EL0t) {
        fails |= 4;
    }
    /* HVC at EL0 is UNDEFINED: EC 0 to EL1, ELR = the HVC. */
    el1_seen_count = 0;
    r = el_call_lower(el0_hvc, 5, SPSR_EL0t, (uint64_t)(uintptr_t)(el0_stack + sizeof(el0_stack)));
    if (r != 5 || el1_seen_count != 1 || esr_ec(el1_seen.esr) != 0x00 ||
        el1_seen_kind != EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC)) {
        fails |= 8;
    }
    /* Leave NZCV = 0b0110 so EL2 can check SPSR_EL2 records it. */
    __asm__ volatile("msr nzcv, %0" : : "r"(0x60000000ul));
    return fails | (arg << 8);
}

void guest_run(void)
{
    if (boot_el != 2) {
        guest_abort("this guest needs to start at EL2 (started at EL%u)", boot_el);
    }
    write_sysreg(HCR_EL2_RW, HCR_EL2);
    write_sysreg(SCTLR_EL1_MMU_OFF, SCTLR_EL1);
    isb();
    uint64_t el1_sp = (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack));

    uint64_t r = el_call_lower(el1_current_el, 0x100, SPSR_EL1h | SPSR_DAIF, el1_sp);
    report(r == (0x100 | (1 << 2)), "ERET to EL1h: CurrentEL reads EL1 (0x%lx)", r);
    uint64_t esr = lower_return_frame.esr;
    report(esr_ec(esr) == 0x16 && esr_iss(esr) == 0xfff && esr_il(esr),
           "HVC from EL1 to EL2: ESR_EL2 = 0x%lx (EC 0x16, imm16 0xfff, IL)", esr);
    report(lower_return_frame.elr == (uint64_t)(uintptr_t)lower_ret_hvc + 4,
           "ELR_EL2 = the instruction after the HVC");
    report((lower_return_frame.spsr & 0x3cf) == (SPSR_EL1h | SPSR_DAIF),
           "SPSR_EL2 = EL1h with DAIF masked (0x%lx)", lower_return_frame.spsr);
    report(current_el() == 2, "back at EL2");

    exc_set_handler(1, el1_handler);
    r = el_call_lower(el1_body, 7, SPSR_EL1h | SPSR_DAIF, el1_sp);
    report((r >> 8) == 7, "EL1 body ran with its argument");
    report(!(r & 1), "SVC at EL1 taken to EL1: EC 0x15, imm16, ELR = next insn, SPSR.M = EL1h");
    report(!(r & 2), "MRS HCR_EL2 at EL1 is UNDEFINED (EC 0x00 to EL1)");
    report(!(r & 4), "EL1 -> EL0 by ERET, back by SVC: result, ESR_EL1, ELR_EL1, SPSR_EL1.M = EL0t");
    report(!(r & 8), "HVC at EL0 is UNDEFINED, taken to EL1");
    report((lower_return_frame.spsr >> 28) == 0x6, "SPSR_EL2 saved NZCV of EL1 (0x%lx)",
           lower_return_frame.spsr >> 28);
    exc_set_handler(1, NULL);
}
