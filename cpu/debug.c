/*
 * Self-hosted debug: the enable rules (AArch64.GenerateDebugExceptionsFrom),
 * software step (Arm ARM D2.12) and breakpoints (D2.8, unlinked address
 * match only). Watchpoints are checked on the memory slow path
 * (cpu/mem_watch.c, using debug_exceptions_enabled).
 */
#include "cpu/debug.h"
#include "cpu/exception.h"
#include "cpu/regime.h"
#include "mmu/mmu.h"

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
        return false;     /* debug exceptions are never generated at EL3 in AArch64 */
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
    uint32_t f = 0;
    if (cpu->sr.MDSCR_EL1 & MDSCR_SS) {
        f |= DEBUG_ACTIVE_STEP;
    }
    if ((cpu->sr.MDSCR_EL1 & MDSCR_MDE) && !(cpu->sr.OSLSR_EL1 & 2)) {
        for (int n = 0; n < DEBUG_NUM_BRPS; n++) {
            if (cpu->sr.DBGBCR_EL1[n] & 1) {
                f |= DEBUG_ACTIVE_BP;
            }
        }
        for (int n = 0; n < DEBUG_NUM_WRPS; n++) {
            if (cpu->sr.DBGWCR_EL1[n] & 1) {
                f |= DEBUG_ACTIVE_WP;
            }
        }
    }
    cpu->debug_flags = f;
    cpu->exit_request = 1;
    /* The softmmu keeps pages under an enabled watchpoint off its fast path
     * (cpu/mem_watch.c): drop tags filled before the change. */
    mmu_flush_soft_tlb(cpu);
}

/* Does breakpoint n (DBGBCR<n>.{E,BT,PMC,HMC,SSC,BAS}) match an execution of pc at the current EL? */
static bool breakpoint_matches(const CPUState *cpu, int n)
{
    uint64_t bcr = cpu->sr.DBGBCR_EL1[n];
    if (!(bcr & 1)) {
        return false;
    }
    unsigned bt = extract64(bcr, 20, 4);
    if (bt != 0) {
        return false;   /* only unlinked instruction address match is implemented */
    }
    unsigned pmc = extract64(bcr, 1, 2), hmc = extract64(bcr, 13, 1), ssc = extract64(bcr, 14, 2);
    bool el_ok;
    switch (cpu->el) {
    case 0: el_ok = (pmc & 2) != 0; break;
    case 1: el_ok = (pmc & 1) != 0; break;
    case 2: el_ok = hmc && ssc != 2; break;
    default: el_ok = false; break;
    }
    if (!el_ok) {
        return false;
    }
    /* DBGBVR<n>[48:2] against the address (BAS must be 0b1111 for A64). */
    uint64_t mask = MASK64(49) & ~3ULL;
    return ((cpu->sr.DBGBVR_EL1[n] ^ cpu->pc) & mask) == 0 && extract64(bcr, 5, 4) == 0xf;
}

bool debug_check_insn(CPUState *cpu)
{
    cpu->ss_stepping = false;
    if ((cpu->debug_flags & DEBUG_ACTIVE_STEP) && debug_ss_enabled_at(cpu, cpu->el)) {
        if (!cpu->ss) {
            /* Active-pending: the software step exception, before this instruction.
             * ISS: ISV = 1, EX = 0, IFSC = 0x22 (debug exception). */
            unsigned target = cpu_debug_target_el(cpu);
            unsigned ec = target == cpu->el ? EC_SOFTWARESTEP_SAME_EL : EC_SOFTWARESTEP;
            uint32_t esr = (ec << ESR_EC_SHIFT) | ESR_IL | (1u << 24) | 0x22;
            cpu_take_exception(cpu, target, EXC_SYNC, esr, 0, false, cpu->pc);
            return true;
        }
        /* Active-not-pending: this instruction is stepped; once it completes
         * the step is pending (PSTATE.SS = 0). */
        cpu->ss = 0;
        cpu->ss_stepping = true;
    }
    if ((cpu->debug_flags & DEBUG_ACTIVE_BP) && (cpu->sr.MDSCR_EL1 & MDSCR_MDE) &&
        debug_exceptions_enabled(cpu, cpu->el, (cpu->daif & PSTATE_D) != 0)) {
        for (int n = 0; n < DEBUG_NUM_BRPS; n++) {
            if (breakpoint_matches(cpu, n)) {
                unsigned target = cpu_debug_target_el(cpu);
                unsigned ec = target == cpu->el ? EC_BREAKPOINT_SAME_EL : EC_BREAKPOINT;
                uint32_t esr = (ec << ESR_EC_SHIFT) | ESR_IL | 0x22;
                if (cpu->ss_stepping) {
                    cpu->ss = 1;     /* not stepped: the breakpoint came first */
                    cpu->ss_stepping = false;
                }
                cpu_take_exception(cpu, target, EXC_SYNC, esr, 0, false, cpu->pc);
                return true;
            }
        }
    }
    return false;
}

bool debug_spsr_ss_for_exception(CPUState *cpu, unsigned ec)
{
    /* A synchronous exception from the stepped instruction: it did not
     * complete, so it is stepped again after the exception returns
     * (SPSR.SS = 1), except for SVC/HVC/SMC, which complete (SS = 0). */
    bool stepping = cpu->ss_stepping;
    cpu->ss_stepping = false;
    return stepping && ec != EC_SVC && ec != EC_HVC && ec != EC_SMC;
}
