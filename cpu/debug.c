/*
 * Self-hosted debug: the enable rules shared by software step, breakpoints
 * and watchpoints (AArch64.GenerateDebugExceptionsFrom).
 */
#include "cpu/debug.h"
#include "cpu/exception.h"
#include "cpu/regime.h"

bool debug_exceptions_enabled(const CPUState *cpu, unsigned from_el, bool d_masked)
{
    /* OS lock set (OSLSR_EL1.OSLK, bit 1) disables debug exceptions; no DoubleLock. */
    if (cpu->sr.OSLSR_EL1 & 2) {
        return false;
    }
    unsigned target = 1;
    if (cpu_el2_enabled(cpu) && ((cpu->sr.HCR_EL2 & HCR_TGE) || (cpu->sr.MDCR_EL2 & MDCR_TDE))) {
        target = 2;
    }
    if (from_el == 3) {
        return false;     /* no Secure self-hosted debug at EL3 in AArch64 */
    }
    if (from_el == target) {
        return (cpu->sr.MDSCR_EL1 & MDSCR_KDE) && !d_masked;
    }
    return target > from_el;
}

bool debug_ss_enabled_at(const CPUState *cpu, unsigned el)
{
    if (!(cpu->sr.MDSCR_EL1 & MDSCR_SS)) {
        return false;
    }
    return debug_exceptions_enabled(cpu, el, (cpu->daif & PSTATE_D) != 0);
}

void debug_update(CPUState *cpu)
{
    /* Breakpoints, watchpoints and step are evaluated from the registers
     * when used. The softmmu keeps pages under an enabled watchpoint off
     * its fast path (cpu/mem_watch.c): drop tags filled before the change. */
    mmu_flush_soft_tlb(cpu);
}
