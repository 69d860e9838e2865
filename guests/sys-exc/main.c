/*
 * Virtual interrupts injected with HCR_EL2.VI/VF/VSE (routing with
 * IMO/FMO/AMO, masking by PSTATE at EL1, never taken at EL2, WFI wake-up,
 * ISR_EL1) and illegal exception returns (Arm ARM D1.3 interrupt masking,
 * AArch64.ExceptionReturn / IllegalExceptionReturn, EC 0x0E).
 */
#include "el2.h"
#include "guest.h"

#define SPSR_IL  (1ul << 20)

static uint8_t el1_stack[8192] __attribute__((aligned(16)));
static volatile uint64_t mark_pc;
static ExcFrame seen1, seen2;
static unsigned seen1_count, seen1_kind, seen2_count;

/* EL1: record; interrupts return with their PSTATE mask set so they stay pending but masked. */
static bool el1_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    seen1 = *f;
    seen1_kind = kind;
    seen1_count++;
    switch (kind & 3) {
    case EXC_IRQ: f->spsr |= 0x80; break;
    case EXC_FIQ: f->spsr |= 0x40; break;
    case EXC_SERROR: f->spsr |= 0x100; break;
    default: f->elr += 4; break;
    }
    return true;
}

/* EL2: illegal-state exceptions resume at ELR with PSTATE.IL cleared. */
static bool el2_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    seen2 = *f;
    seen2_count++;
    if (esr_ec(f->esr) == 0x0e) {
        f->spsr &= ~SPSR_IL;
    } else {
        f->elr += 4;
    }
    return true;
}

/* EL1: unmask DAIF bit `arg` (DAIFClr immediate), note the next instruction's address. */
static uint64_t el1_unmask_i(uint64_t arg)
{
    __asm__ volatile("adr x9, 1f\n\tstr x9, [%0]\n\tmsr daifclr, #2\n1:\tnop\n\tnop\n\tmsr daifset, #2"
                     : : "r"(&mark_pc) : "x9", "memory");
    return read_sysreg(ISR_EL1);
}

static uint64_t el1_unmask_f(uint64_t arg)
{
    __asm__ volatile("adr x9, 1f\n\tstr x9, [%0]\n\tmsr daifclr, #1\n1:\tnop\n\tnop\n\tmsr daifset, #1"
                     : : "r"(&mark_pc) : "x9", "memory");
    return read_sysreg(ISR_EL1);
}

static uint64_t el1_unmask_a(uint64_t arg)
{
    __asm__ volatile("adr x9, 1f\n\tstr x9, [%0]\n\tmsr daifclr, #4\n1:\tnop\n\tnop\n\tmsr daifset, #4"
                     : : "r"(&mark_pc) : "x9", "memory");
    return read_sysreg(ISR_EL1);
}

/* EL1 with everything masked: WFI must complete because the vIRQ is a wake-up event. */
static uint64_t el1_wfi_masked(uint64_t arg)
{
    __asm__ volatile("wfi" : : : "memory");
    return read_sysreg(ISR_EL1) | 1;
}

static uint64_t run_el1(uint64_t (*fn)(uint64_t), uint64_t hcr)
{
    write_sysreg(HCR_RW | hcr, HCR_EL2);
    isb();
    seen1_count = 0;
    mark_pc = 0;
    uint64_t r = el_call_lower(fn, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    return r;
}

static void test_virtual_interrupts(void)
{
    uint64_t isr;
    isr = run_el1(el1_unmask_i, HCR_IMO | HCR_VI);
    report(seen1_count == 1 && seen1_kind == EXC_KIND(EXC_FROM_SPX, EXC_IRQ) && seen1.elr == mark_pc &&
           (seen1.spsr & 0x3cf) == (SPSR_EL1h | 0x340),
           "HCR_EL2.{IMO,VI}: vIRQ taken at EL1 (IRQ vector, current EL SPx) once PSTATE.I clears, ELR = next insn (%u, kind %u, SPSR 0x%lx)",
           seen1_count, seen1_kind, seen1.spsr);
    report(isr == 0x80, "ISR_EL1.I shows the pending virtual IRQ (0x%lx)", isr);

    isr = run_el1(el1_unmask_i, HCR_VI);
    report(seen1_count == 0 && isr == 0, "HCR_EL2.VI without IMO: no vIRQ, ISR_EL1 = 0x%lx", isr);

    isr = run_el1(el1_unmask_f, HCR_FMO | HCR_VF);
    report(seen1_count == 1 && seen1_kind == EXC_KIND(EXC_FROM_SPX, EXC_FIQ) && seen1.elr == mark_pc,
           "HCR_EL2.{FMO,VF}: vFIQ taken at EL1 (%u, kind %u)", seen1_count, seen1_kind);
    report(isr == 0x40, "ISR_EL1.F shows the pending virtual FIQ (0x%lx)", isr);

    isr = run_el1(el1_unmask_a, HCR_AMO | HCR_VSE);
    uint64_t hcr = read_sysreg(HCR_EL2);
    report(seen1_count == 1 && seen1_kind == EXC_KIND(EXC_FROM_SPX, EXC_SERROR) && esr_ec(seen1.esr) == 0x2f &&
           esr_il(seen1.esr),
           "HCR_EL2.{AMO,VSE}: virtual SError taken at EL1 with EC 0x2F (%u, kind %u, ESR 0x%lx)",
           seen1_count, seen1_kind, seen1.esr);
    report(!(hcr & HCR_VSE) && isr == 0, "taking the virtual SError cleared HCR_EL2.VSE (HCR 0x%lx, ISR 0x%lx)", hcr, isr);

    isr = run_el1(el1_wfi_masked, HCR_IMO | HCR_VI);
    report(seen1_count == 0 && isr == 0x81, "WFI at EL1 with a masked pending vIRQ completes (ISR 0x%lx)", isr);

    /* Virtual interrupts are never taken at EL2. */
    write_sysreg(HCR_RW | HCR_IMO | HCR_VI | HCR_FMO | HCR_VF, HCR_EL2);
    isb();
    seen2_count = 0;
    __asm__ volatile("msr daifclr, #3\n\tnop\n\tnop\n\tmsr daifset, #3" : : : "memory");
    report(seen2_count == 0, "vIRQ/vFIQ pending with EL2 unmasked: nothing taken at EL2 (%u)", seen2_count);
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
}

/* ERET at EL2 with the given SPSR to label 1f; returns the address of 1f. */
static uint64_t eret_to(uint64_t spsr)
{
    uint64_t target;
    __asm__ volatile("adr %0, 1f\n\tmsr elr_el2, %0\n\tmsr spsr_el2, %1\n\teret\n1:\tnop"
                     : "=&r"(target) : "r"(spsr) : "memory");
    return target;
}

static void check_illegal(const char *what, uint64_t spsr)
{
    seen2_count = 0;
    uint64_t target = eret_to(spsr);
    report(seen2_count == 1 && esr_ec(seen2.esr) == 0x0e && esr_iss(seen2.esr) == 0 && esr_il(seen2.esr) &&
           seen2.elr == target && (seen2.spsr & SPSR_IL) && (seen2.spsr & 0x1f) == SPSR_EL2h &&
           (seen2.spsr & 0xf0000000) == (spsr & 0xf0000000),
           "%s: Illegal Execution state (EC 0x0E) at the target, SPSR_EL2.IL set, EL unchanged, NZCV restored "
           "(ESR 0x%lx, SPSR 0x%lx, %u)", what, seen2.esr, seen2.spsr, seen2_count);
}

static void test_illegal_return(void)
{
    exc_set_handler(2, el2_handler);
    check_illegal("ERET to EL3 from EL2", 0x3cd | 0x40000000);
    check_illegal("ERET to AArch32 (M[4] = 1)", 0x3d3);
    check_illegal("ERET to EL0 with M[0] = 1", 0x3c1 | 0x80000000);
    check_illegal("ERET with M[1] = 1", 0x3c6);
    write_sysreg(HCR_RW | HCR_TGE, HCR_EL2);
    isb();
    check_illegal("ERET to EL1 with HCR_EL2.TGE = 1", 0x3c5);
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
    check_illegal("ERET to EL2 with SPSR.IL = 1", 0x3c9 | SPSR_IL);
    /* A legal ERET to EL2h itself: no exception. */
    seen2_count = 0;
    eret_to(0x3c9);
    report(seen2_count == 0 && current_el() == 2, "legal ERET to EL2h: no exception (%u)", seen2_count);
    exc_set_handler(2, NULL);
}

void guest_run(void)
{
    if (current_el() != 2) {
        guest_abort("needs EL2 entry");
    }
    exc_set_handler(1, el1_handler);
    write_sysreg(0x30d00800ul, SCTLR_EL1);
    isb();
    test_virtual_interrupts();
    exc_set_handler(1, NULL);
    test_illegal_return();
}
