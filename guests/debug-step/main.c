/*
 * Self-hosted debug (Arm ARM D2): software step and a hardware breakpoint on
 * EL0 code, both taken to EL1 (MDSCR_EL1.MDE/SS with debug exceptions from a
 * lower EL). Checks the syndromes: Software Step EC 0x32 with ISS.EX/ISV and
 * ELR = the next instruction; Breakpoint EC 0x30 with ELR = the address.
 */
#include "guest.h"

#define MDSCR_SS (1ULL << 0)
#define MDSCR_MDE (1ULL << 15)

static uint8_t el1_stack[8192] __attribute__((aligned(16)));
static uint8_t el0_stack[8192] __attribute__((aligned(16)));
static uint64_t steps, step_elr[8], bp_hits, bp_elr, bp_esr, step_esr;

extern char el0_body[], el0_insn2[], el0_insn3[];

/* Three instructions, then back to EL1 through SVC #0xfff (the runtime's return). */
__asm__(".text\n.balign 4\n.global el0_body, el0_insn2, el0_insn3\n"
        "el0_body: add x0, x0, #1\n"
        "el0_insn2: add x0, x0, #2\n"
        "el0_insn3: add x0, x0, #4\n"
        "ret\n");

static uint64_t el0_fn(uint64_t v)
{
    return ((uint64_t (*)(uint64_t))(uintptr_t)el0_body)(v);
}

static bool el1_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    unsigned ec = esr_ec(f->esr);
    if (ec == 0x32) {                    /* Software Step from a lower EL */
        if (steps < 8) {
            step_elr[steps] = f->elr;
        }
        step_esr = f->esr;
        steps++;
        if (steps >= 3) {
            write_sysreg(0, mdscr_el1);  /* stop stepping */
            f->spsr &= ~(1ULL << 21);
        } else {
            f->spsr |= 1ULL << 21;       /* SPSR.SS = 1: step the next instruction too */
        }
        return true;
    }
    if (ec == 0x30) {                    /* Breakpoint from a lower EL */
        bp_hits++;
        bp_elr = f->elr;
        bp_esr = f->esr;
        write_sysreg(0, dbgbcr0_el1);    /* disarm, so the instruction can run */
        isb();
        return true;
    }
    return false;
}

static uint64_t el1_main(uint64_t arg)
{
    exc_set_handler(1, el1_handler);
    uint64_t sp0 = (uint64_t)(uintptr_t)(el0_stack + sizeof(el0_stack));

    /* Software step: SS with SPSR.SS = 1 on the ERET to EL0. */
    write_sysreg(0, oslar_el1);
    write_sysreg(MDSCR_SS, mdscr_el1);
    isb();
    uint64_t r1 = el_call_lower(el0_fn, 10, SPSR_EL0t | (1ULL << 21), sp0);

    /* Hardware breakpoint 0 on el0_insn3 (EL0 only: PMC = 0b10, BAS = 0xf, E = 1). */
    write_sysreg(0, mdscr_el1);
    write_sysreg((uint64_t)(uintptr_t)el0_insn3, dbgbvr0_el1);
    write_sysreg((0xfULL << 5) | (2ULL << 1) | 1, dbgbcr0_el1);
    write_sysreg(MDSCR_MDE, mdscr_el1);
    isb();
    uint64_t r2 = el_call_lower(el0_fn, 20, SPSR_EL0t, sp0);
    write_sysreg(0, mdscr_el1);
    isb();
    return r1 * 1000 + r2;
}

void guest_run(void)
{
    if (boot_el != 2) {
        report(false, "entered at EL2");
        return;
    }
    write_sysreg((1ULL << 31), hcr_el2);   /* RW: EL1 is AArch64; TGE/TDE clear */
    write_sysreg(0, mdcr_el2);
    isb();
    uint64_t r = el_call_lower(el1_main, 0, SPSR_EL1h | SPSR_DAIF,
                               (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    report(r == 17 * 1000 + 27, "EL0 code ran to completion under step and breakpoint (%llu)",
           (unsigned long long)r);
    report(steps == 3, "three Software Step exceptions (%llu)", (unsigned long long)steps);
    /* Each step exception comes after one EL0 instruction (the first ones are
     * el0_fn's own straight-line code), so its ELR is the next instruction. */
    report(step_elr[0] != 0 && step_elr[1] == step_elr[0] + 4 && step_elr[2] == step_elr[1] + 4,
           "step ELRs advance one instruction each (0x%llx, 0x%llx)",
           (unsigned long long)step_elr[0], (unsigned long long)step_elr[1]);
    report((step_esr >> 26) == 0x32 && (step_esr & (1u << 24)) && !(step_esr & (1u << 6)),
           "step ESR: EC 0x32, ISV = 1, EX = 0 (0x%llx)", (unsigned long long)step_esr);
    report(bp_hits == 1 && bp_elr == (uintptr_t)el0_insn3,
           "breakpoint: one hit, ELR = el0_insn3 0x%llx (hits %llu, ELR 0x%llx)",
           (unsigned long long)(uintptr_t)el0_insn3, (unsigned long long)bp_hits,
           (unsigned long long)bp_elr);
    report((bp_esr >> 26) == 0x30 && (bp_esr & 0x3f) == 0x22,
           "breakpoint ESR: EC 0x30, IFSC 0x22 (0x%llx)", (unsigned long long)bp_esr);
}
