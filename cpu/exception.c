/*
 * The exception model: AArch64.TakeException, synchronous exception routing
 * and the raise helpers, interrupts (physical and virtual), exception
 * return, FP/SVE access checks. Aborts are in cpu/abort.c.
 */
#include <inttypes.h>

#include "core/log.h"
#include "core/machine.h"
#include "cpu/exception.h"
#include "cpu/features.h"
#include "cpu/nv.h"
#include "cpu/regime.h"
#include "cpu/debug.h"
#include "mmu/mmu.h"

static const char *exc_type_name(ExceptionType type)
{
    switch (type) {
    case EXC_SYNC: return "sync";
    case EXC_IRQ: return "irq";
    case EXC_FIQ: return "fiq";
    default: return "serror";
    }
}

void cpu_take_exception(CPUState *cpu, unsigned target_el, ExceptionType type,
                        uint32_t esr, uint64_t far, bool far_valid,
                        uint64_t preferred_return)
{
    unsigned from_el = cpu->el;
    uint64_t vect_offset;

    /* AArch64.TakeException: vector offset by where the exception comes from. */
    if (target_el > from_el) {
        vect_offset = 0x400;    /* lower EL, AArch64 (Tandem has no AArch32) */
    } else if (cpu->spsel) {
        vect_offset = 0x200;    /* current EL with SP_ELx */
    } else {
        vect_offset = 0x000;    /* current EL with SP_EL0 */
    }
    vect_offset += type;

    uint64_t spsr = nv_entry_spsr(cpu, from_el, target_el, cpu_get_pstate(cpu));   /* FEAT_NV: M[3:2] = EL2 */
    if (unlikely(cpu->ss_stepping)) {
        /* Software step: a synchronous exception from the stepped instruction. */
        if (type == EXC_SYNC && debug_spsr_ss_for_exception(cpu, esr >> ESR_EC_SHIFT)) {
            spsr |= SPSR_SS;
        }
        cpu->ss_stepping = false;
    }
    if (log_enabled(LOG_INT)) {
        /* Format documented in core/log.h. */
        log_printf("int: cpu%d %s EL%u -> EL%u ESR=0x%08x FAR=0x%016" PRIx64 " ELR=0x%016" PRIx64
                   " PC=0x%" PRIx64 "\n",
                   cpu->cpu_index, exc_type_name(type), from_el, target_el,
                   type == EXC_SYNC || type == EXC_SERROR ? esr : 0,
                   far_valid ? far : (uint64_t)0, preferred_return,
                   (uint64_t)((cpu->sr.VBAR_ELx[target_el] & ~0x7ffULL) + vect_offset));
    }

    cpu->sr.SPSR_ELx[target_el] = spsr;
    cpu->sr.ELR_ELx[target_el] = preferred_return;
    if (type == EXC_SYNC || type == EXC_SERROR) {
        cpu->sr.ESR_ELx[target_el] = esr;
    }
    if (far_valid) {
        cpu->sr.FAR_ELx[target_el] = far;
    }

    /* PSTATE on entry. */
    cpu->el = target_el;
    cpu->spsel = 1;
    cpu->daif = PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F;
    cpu->ss = 0;
    cpu->il = 0;
    cpu->btype = 0;
    uint64_t sctlr = cpu->sr.SCTLR_ELx[target_el];
    if (cpu_have_pan(cpu) && !(sctlr & SCTLR_SPAN) &&
        (target_el == 1 || (target_el == 2 && cpu_el_is_in_host(cpu, 0)))) {
        cpu->pan = 1;
    }
    if (cpu_have_uao(cpu)) {
        cpu->uao = 0;
    }
    if (cpu_have_ssbs(cpu)) {
        cpu->ssbs = (sctlr & SCTLR_DSSBS) ? 1 : 0;
    }
    /* Tandem clears the local exclusive monitor on every exception entry
     * and return (docs/impdef.md). */
    cpu->excl_addr = ~0ULL;
    cpu->pc = (cpu->sr.VBAR_ELx[target_el] & ~0x7ffULL) + vect_offset;
    cpu_update_el_state(cpu);
    cpu->exit_request = 1;
}

unsigned cpu_sync_target_el(const CPUState *cpu)
{
    if (cpu->el > 1) {
        return cpu->el;
    }
    if (cpu->el == 0 && (cpu_hcr_el2(cpu) & HCR_TGE)) {
        return 2;
    }
    return 1;
}

static ExecStatus take_sync(CPUState *cpu, unsigned target_el, unsigned ec, uint32_t iss,
                            uint64_t preferred_return)
{
    uint32_t esr = (ec << ESR_EC_SHIFT) | ESR_IL | (iss & 0x1ffffff);
    cpu_take_exception(cpu, target_el, EXC_SYNC, esr, 0, false, preferred_return);
    return EXEC_EXCEPTION;
}

ExecStatus cpu_raise_undef(CPUState *cpu)
{
    /* AArch64.UndefinedFault: to EL1, or EL2 from EL0 when HCR_EL2.TGE. */
    return take_sync(cpu, cpu_sync_target_el(cpu), EC_UNKNOWN, 0, cpu->pc);
}

ExecStatus cpu_raise_svc(CPUState *cpu, uint16_t imm16)
{
    /* AArch64.CallSupervisor: preferred return is the next instruction. */
    return take_sync(cpu, cpu_sync_target_el(cpu), EC_SVC, imm16, cpu->pc + 4);
}

ExecStatus cpu_raise_hvc(CPUState *cpu, uint16_t imm16)
{
    /* AArch64.CallHypervisor: EL3 if executed at EL3, else EL2. */
    return take_sync(cpu, cpu->el == 3 ? 3 : 2, EC_HVC, imm16, cpu->pc + 4);
}

ExecStatus cpu_raise_smc(CPUState *cpu, uint16_t imm16)
{
    /* AArch64.CallSecureMonitor */
    return take_sync(cpu, 3, EC_SMC, imm16, cpu->pc + 4);
}

unsigned cpu_debug_target_el(const CPUState *cpu)
{
    /* DebugTarget(): EL2 when EL2 is enabled and HCR_EL2.TGE or MDCR_EL2.TDE. */
    if (cpu->el >= 2) {
        return cpu->el;
    }
    if (cpu_el2_enabled(cpu) && ((cpu->sr.HCR_EL2 & HCR_TGE) || (cpu->sr.MDCR_EL2 & MDCR_TDE))) {
        return 2;
    }
    return 1;
}

ExecStatus cpu_raise_brk(CPUState *cpu, uint16_t imm16)
{
    /* AArch64.SoftwareBreakpoint: BRK is never masked; routed as debug exceptions. */
    return take_sync(cpu, cpu_debug_target_el(cpu), EC_AA64_BKPT, imm16, cpu->pc);
}

ExecStatus cpu_raise_trap(CPUState *cpu, unsigned target_el, unsigned ec, uint32_t iss)
{
    if (target_el < cpu->el) {
        target_el = cpu->el;
    }
    return take_sync(cpu, target_el, ec, iss, cpu->pc);
}

ExecStatus cpu_raise_pc_alignment(CPUState *cpu, uint64_t bad_pc)
{
    /* AArch64.PCAlignmentFault: FAR = the misaligned PC, ELR = it too. */
    unsigned target = cpu_sync_target_el(cpu);
    uint32_t esr = ((uint32_t)EC_PCALIGNMENT << ESR_EC_SHIFT) | ESR_IL;
    cpu_take_exception(cpu, target, EXC_SYNC, esr, bad_pc, true, bad_pc);
    return EXEC_EXCEPTION;
}

ExecStatus cpu_raise_sp_alignment(CPUState *cpu)
{
    return take_sync(cpu, cpu_sync_target_el(cpu), EC_SPALIGNMENT, 0, cpu->pc);
}

/* ---------------------------------------------------------------------- */
/* Interrupts                                                             */

/* Target EL of a physical IRQ/FIQ/SError (SCR_EL3.{IRQ,FIQ,EA}, HCR_EL2.{IMO,FMO,AMO,TGE}). */
static unsigned phys_irq_target(const CPUState *cpu, uint64_t scr_bit, uint64_t hcr_bit)
{
    if (cpu_have_el3(cpu) && (cpu->sr.SCR_EL3 & scr_bit)) {
        return 3;
    }
    uint64_t hcr = cpu_hcr_el2(cpu);
    if (hcr & (HCR_TGE | hcr_bit)) {
        return 2;
    }
    return 1;
}

/*
 * Is a physical interrupt routed to target_el taken now? Arm ARM D1.3.6
 * (interrupt masking): not taken to a lower EL; masked by PSTATE at the same
 * EL; taken regardless of PSTATE when the target is higher, except EL1 from
 * EL0 and EL2 from EL0 in the {E2H,TGE}={1,1} host.
 */
static bool phys_irq_unmasked(const CPUState *cpu, unsigned target_el, uint32_t mask_bit)
{
    if (target_el < cpu->el) {
        return false;
    }
    if (target_el > cpu->el) {
        if (target_el == 3) {
            return true;
        }
        if (target_el == 2) {
            uint64_t hcr = cpu_hcr_el2(cpu);
            if ((hcr & (HCR_E2H | HCR_TGE)) != (HCR_E2H | HCR_TGE)) {
                return true;
            }
        }
    }
    return !(cpu->daif & mask_bit);
}

/* Pending virtual interrupts (only for EL0/EL1 with the matching HCR_EL2 routing, TGE=0). */
static bool virt_enabled(const CPUState *cpu, uint64_t hcr_bit)
{
    uint64_t hcr = cpu_hcr_el2(cpu);
    return cpu->el < 2 && (hcr & hcr_bit) && !(hcr & HCR_TGE);
}

bool cpu_wfx_wakeup_pending(const CPUState *cpu)
{
    /* WFI wake-up events: any interrupt that would be taken if PSTATE.{A,I,F}
     * did not mask it (physical ones routed to this EL or higher, virtual ones
     * enabled by HCR_EL2.{IMO,FMO,AMO} at EL0/EL1). */
    uint64_t hcr = cpu_hcr_el2(cpu);
    uint32_t lines = cpu->irq_lines;
    return ((lines & CPU_LINE_IRQ) && phys_irq_target(cpu, SCR_IRQ, HCR_IMO) >= cpu->el) ||
           ((lines & CPU_LINE_FIQ) && phys_irq_target(cpu, SCR_FIQ, HCR_FMO) >= cpu->el) ||
           ((lines & CPU_LINE_SERROR) && phys_irq_target(cpu, SCR_EA, HCR_AMO) >= cpu->el) ||
           (((lines & CPU_LINE_VIRQ) || (hcr & HCR_VI)) && virt_enabled(cpu, HCR_IMO)) ||
           (((lines & CPU_LINE_VFIQ) || (hcr & HCR_VF)) && virt_enabled(cpu, HCR_FMO)) ||
           ((hcr & HCR_VSE) && virt_enabled(cpu, HCR_AMO));
}

bool cpu_check_interrupts(CPUState *cpu)
{
    uint64_t hcr = cpu_hcr_el2(cpu);
    uint32_t lines = cpu->irq_lines;
    bool pirq = lines & CPU_LINE_IRQ, pfiq = lines & CPU_LINE_FIQ, pse = lines & CPU_LINE_SERROR;
    bool virq = (lines & CPU_LINE_VIRQ) || (hcr & HCR_VI);
    bool vfiq = (lines & CPU_LINE_VFIQ) || (hcr & HCR_VF);
    bool vse = (hcr & HCR_VSE) != 0;

    /* WFI/WFE wake-up: any interrupt that would be taken if PSTATE did not mask it. */
    if (cpu->halted && !cpu->powered_off && cpu_wfx_wakeup_pending(cpu)) {
        cpu->halted = false;
    }
    if (cpu->powered_off || cpu->halted) {
        return false;
    }

    /* Priority among simultaneously pending interrupts is IMPLEMENTATION
     * DEFINED; Tandem: SError, vSError, FIQ, IRQ, vFIQ, vIRQ (docs/impdef.md). */
    unsigned t;
    if (pse) {
        t = phys_irq_target(cpu, SCR_EA, HCR_AMO);
        if (phys_irq_unmasked(cpu, t, PSTATE_A)) {
            /* No FEAT_RAS: the SError syndrome is IMPLEMENTATION DEFINED; ISS = 0. */
            cpu_take_exception(cpu, t, EXC_SERROR, ((uint32_t)EC_SERROR << ESR_EC_SHIFT) | ESR_IL, 0, false,
                               cpu->pc);
            return true;
        }
    }
    if (vse && virt_enabled(cpu, HCR_AMO) && !(cpu->daif & PSTATE_A)) {
        /* Taking the virtual SError clears HCR_EL2.VSE. ESR from VSESR_EL2 with FEAT_RAS. */
        uint32_t iss = cpu_have_ras(cpu) ? (uint32_t)(cpu->sr.VSESR_EL2 & 0x1ffffff) : 0;
        cpu->sr.HCR_EL2 &= ~HCR_VSE;
        cpu_take_exception(cpu, 1, EXC_SERROR, ((uint32_t)EC_SERROR << ESR_EC_SHIFT) | ESR_IL | iss, 0,
                           false, cpu->pc);
        return true;
    }
    if (pfiq) {
        t = phys_irq_target(cpu, SCR_FIQ, HCR_FMO);
        if (phys_irq_unmasked(cpu, t, PSTATE_F)) {
            cpu_take_exception(cpu, t, EXC_FIQ, 0, 0, false, cpu->pc);
            return true;
        }
    }
    if (pirq) {
        t = phys_irq_target(cpu, SCR_IRQ, HCR_IMO);
        if (phys_irq_unmasked(cpu, t, PSTATE_I)) {
            cpu_take_exception(cpu, t, EXC_IRQ, 0, 0, false, cpu->pc);
            return true;
        }
    }
    if (vfiq && virt_enabled(cpu, HCR_FMO) && !(cpu->daif & PSTATE_F)) {
        cpu_take_exception(cpu, 1, EXC_FIQ, 0, 0, false, cpu->pc);
        return true;
    }
    if (virq && virt_enabled(cpu, HCR_IMO) && !(cpu->daif & PSTATE_I)) {
        cpu_take_exception(cpu, 1, EXC_IRQ, 0, 0, false, cpu->pc);
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------------- */
/* Exception return                                                       */

/* AArch64.BranchAddr: drop the tag byte (sign-extend bit 55) when TBI applies to instruction addresses. */
uint64_t cpu_branch_addr(const CPUState *cpu, uint64_t va, unsigned el)
{
    unsigned regime = cpu_regime_el(cpu, el);
    uint64_t tcr = cpu->sr.TCR_ELx[regime];
    bool tbi, tbid;
    if (regime == 1 || (regime == 2 && (cpu_hcr_el2(cpu) & HCR_E2H))) {
        bool upper = (va >> 55) & 1;
        tbi = (tcr >> (upper ? 38 : 37)) & 1;
        tbid = cpu_have_pauth(cpu) && ((tcr >> (upper ? 52 : 51)) & 1);
    } else {
        tbi = (tcr >> 20) & 1;
        tbid = cpu_have_pauth(cpu) && ((tcr >> 29) & 1);
    }
    if (tbi && !tbid) {
        return (uint64_t)sextract64(va, 0, 56);
    }
    return va;
}

/* IllegalExceptionReturn(spsr) for an AArch64-only PE. */
static bool illegal_return(const CPUState *cpu, uint64_t spsr, unsigned *target_el)
{
    if (spsr & SPSR_M4) {
        return true;                      /* AArch32 is not implemented */
    }
    unsigned m = spsr & 0xf;
    if (m & 2) {
        return true;                      /* M[1] must be 0 */
    }
    unsigned el = m >> 2;
    if (el == 0 && (m & 1)) {
        return true;                      /* EL0 with SP_ELx */
    }
    if (el > cpu->el) {
        return true;
    }
    if ((el == 3 && !cpu_have_el3(cpu)) || (el == 2 && !cpu_have_el2(cpu))) {
        return true;
    }
    if (el == 2 && !cpu_el2_enabled(cpu)) {
        return true;                      /* EL2 not enabled in the current Security state */
    }
    if (el == 1 && cpu_el2_enabled(cpu) && (cpu->sr.HCR_EL2 & HCR_TGE)) {
        return true;
    }
    *target_el = el;
    return false;
}

ExecStatus cpu_exception_return(CPUState *cpu, uint64_t new_pc, uint64_t spsr)
{
    unsigned target_el = cpu->el;
    unsigned from_el = cpu->el;
    bool illegal = illegal_return(cpu, spsr, &target_el);

    if (illegal) {
        /* Illegal return: PSTATE.{EL,SP} unchanged, IL set, the rest from SPSR. */
        uint64_t keep = cpu_get_pstate(cpu) & 0xfULL;
        cpu_set_pstate(cpu, (spsr & ~(SPSR_M_MASK)) | keep);
        cpu->il = 1;
        /* SPSR.SS is ignored on an illegal return: the step state goes inactive-ish
         * per the target; keep the architectural simple rule: SS from SPSR. */
    } else {
        cpu_set_pstate(cpu, spsr);
        /* PSTATE.SS is restored only when software step is active at the target. */
        if (!debug_ss_enabled_at(cpu, target_el)) {
            cpu->ss = 0;
        }
    }
    cpu->excl_addr = ~0ULL;
    cpu->pc = cpu_branch_addr(cpu, new_pc, cpu->el);
    cpu->exit_request = 1;
    if (log_enabled(LOG_INT)) {
        log_printf("int: cpu%d eret EL%u -> EL%u PC=0x%" PRIx64 " SPSR=0x%" PRIx64 "%s\n",
                   cpu->cpu_index, from_el, cpu->el, cpu->pc, spsr, illegal ? " (illegal)" : "");
    }
    /*
     * With PSTATE.IL set, the next instruction takes an Illegal Execution
     * state exception (EC 0x0E) instead of executing. Tandem takes it here,
     * at the instruction boundary after the ERET, unless the new PC is
     * misaligned (the PC alignment fault has priority and is raised by the
     * engine on the fetch).
     */
    if (cpu->il && !(cpu->pc & 3)) {
        return take_sync(cpu, cpu_sync_target_el(cpu), EC_ILLEGALSTATE, 0, cpu->pc);
    }
    return EXEC_BRANCH;
}

/* ---------------------------------------------------------------------- */
/* FP / SVE access checks                                                 */

/* ISS of EC 0x07 from AArch64: CV=1, COND=0b1110. */
#define FP_TRAP_ISS ((1u << 24) | (0xeu << 20))

static ExecStatus fp_access_trap(CPUState *cpu, unsigned target_el)
{
    /* AArch64.AdvSIMDFPAccessTrap: an EL1 trap with HCR_EL2.TGE goes to EL2 as Uncategorized. */
    if (target_el == 1 && (cpu_hcr_el2(cpu) & HCR_TGE)) {
        return cpu_raise_trap(cpu, 2, EC_UNKNOWN, 0);
    }
    return cpu_raise_trap(cpu, target_el, EC_FPACCESS, FP_TRAP_ISS);
}

static ExecStatus sve_access_trap(CPUState *cpu, unsigned target_el)
{
    /* SVEAccessTrap: same TGE rule. */
    if (target_el == 1 && (cpu_hcr_el2(cpu) & HCR_TGE)) {
        return cpu_raise_trap(cpu, 2, EC_UNKNOWN, 0);
    }
    return cpu_raise_trap(cpu, target_el, EC_SVEACCESS, 0);
}

/* CPACR-style 2-bit enable: trapped at this EL? (x0: EL0+EL1, 01: EL0 only, 11: none) */
static bool cpacr_disabled(unsigned field, unsigned el, bool el0_cond)
{
    switch (field) {
    case 1: return el == 0 && el0_cond;
    case 3: return false;
    default: return true;
    }
}

ExecStatus cpu_check_fp_enabled(CPUState *cpu)
{
    unsigned el = cpu->el;
    if (el <= 1 && !cpu_el_is_in_host(cpu, el)) {
        if (cpacr_disabled(extract64(cpu->sr.CPACR_EL1, 20, 2), el, true)) {
            return fp_access_trap(cpu, 1);
        }
    }
    if (el <= 2 && cpu_el2_enabled(cpu)) {
        uint64_t cptr = cpu->sr.CPTR_EL2;
        if (cpu->sr.HCR_EL2 & HCR_E2H) {
            if (cpacr_disabled(extract64(cptr, 20, 2), el, (cpu->sr.HCR_EL2 & HCR_TGE) != 0)) {
                return fp_access_trap(cpu, 2);
            }
        } else if (cptr & CPTR_TFP) {
            return fp_access_trap(cpu, 2);
        }
    }
    if (cpu_have_el3(cpu) && (cpu->sr.CPTR_EL3 & CPTR_TFP)) {
        return fp_access_trap(cpu, 3);
    }
    return EXEC_NEXT;
}

ExecStatus cpu_check_sve_enabled(CPUState *cpu)
{
    /* CheckSVEEnabled: ZEN before FPEN at each level, then CPTR_EL2, then CPTR_EL3. */
    unsigned el = cpu->el;
    if (!cpu_have_sve(cpu)) {
        return cpu_raise_undef(cpu);
    }
    if (el <= 1 && !cpu_el_is_in_host(cpu, el)) {
        if (cpacr_disabled(extract64(cpu->sr.CPACR_EL1, 16, 2), el, true)) {
            return sve_access_trap(cpu, 1);
        }
        if (cpacr_disabled(extract64(cpu->sr.CPACR_EL1, 20, 2), el, true)) {
            return fp_access_trap(cpu, 1);
        }
    }
    if (el <= 2 && cpu_el2_enabled(cpu)) {
        uint64_t cptr = cpu->sr.CPTR_EL2;
        if (cpu->sr.HCR_EL2 & HCR_E2H) {
            bool tge = (cpu->sr.HCR_EL2 & HCR_TGE) != 0;
            if (cpacr_disabled(extract64(cptr, 16, 2), el, tge)) {
                return sve_access_trap(cpu, 2);
            }
            if (cpacr_disabled(extract64(cptr, 20, 2), el, tge)) {
                return fp_access_trap(cpu, 2);
            }
        } else {
            if (cptr & CPTR_TZ) {
                return sve_access_trap(cpu, 2);
            }
            if (cptr & CPTR_TFP) {
                return fp_access_trap(cpu, 2);
            }
        }
    }
    if (cpu_have_el3(cpu)) {
        if (!(cpu->sr.CPTR_EL3 & CPTR_EZ)) {
            return sve_access_trap(cpu, 3);
        }
        if (cpu->sr.CPTR_EL3 & CPTR_TFP) {
            return fp_access_trap(cpu, 3);
        }
    }
    return EXEC_NEXT;
}
