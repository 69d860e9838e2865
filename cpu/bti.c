/*
 * FEAT_BTI: the guarded-page check (Arm ARM BranchTargetCheck(),
 * BTypeCompatible_BTI(), BTypeCompatible_PACIXSP(),
 * AArch64.BranchTargetException()).
 *
 * PSTATE.BTYPE is non-zero only after BR/BLR and their PAuth forms (and after
 * an exception return that restores it from SPSR), so the engine runs this
 * check only for the first instruction of a block it enters with BTYPE != 0
 * (cpu/exec.c); every other instruction takes no cost.
 *
 * Priority (Arm ARM "Synchronous exception prioritization"): PC alignment and
 * Instruction Abort (taken by the fetch), software step and breakpoints
 * (debug_check_insn runs first) outrank the Branch Target exception; BRK and
 * HLT are compatible with every BTYPE so their own exceptions are taken.
 */
#include "cpu/bti.h"

#include "cpu/exception.h"
#include "cpu/features.h"
#include "cpu/regime.h"
#include "mmu/mmu.h"

bool bti_pc_guarded(CPUState *cpu)
{
    MMUResult res;
    MMUFault fault;
    /* The fetch of this instruction succeeded, so this translation does too
     * (the architectural TLB normally still holds it); a fault here can only
     * follow a TLBI after the fetch: treat the page as not guarded. */
    if (!mmu_translate(cpu, cpu->pc, MMU_ACCESS_FETCH, cpu->mmu_idx, &res, &fault)) {
        return false;
    }
    return res.guarded;
}

bool bti_insn_compatible(uint32_t insn, unsigned btype, bool sctlr_bt)
{
    /* BRK and HLT: their exception has priority over the Branch Target one. */
    if ((insn & 0xffe0001fu) == 0xd4200000u || (insn & 0xffe0001fu) == 0xd4400000u) {
        return true;
    }
    if ((insn & 0xfffff01fu) != 0xd503201fu) {
        return false;                        /* not in the hint space */
    }
    unsigned crm_op2 = (insn >> 5) & 0x7f;
    switch (crm_op2) {
    case 0x20:                               /* BTI: compatible with nothing */
        return false;
    case 0x22:                               /* BTI c: BLR (10), BR x16/x17 (01) */
        return btype != 3;
    case 0x24:                               /* BTI j: BR (01, 11) */
        return btype != 2;
    case 0x26:                               /* BTI jc */
        return true;
    case 0x19:                               /* PACIASP */
    case 0x1b:                               /* PACIBSP */
        /* BTypeCompatible_PACIXSP(): an implicit BTI c when SCTLR_ELx.BT(n) is 1,
         * compatible with every BTYPE when it is 0. */
        return btype != 3 || !sctlr_bt;
    default:
        return false;
    }
}

bool bti_branch_target_check(CPUState *cpu, uint32_t insn)
{
    unsigned btype = cpu->btype & 3;
    /* SCTLR[]: the regime of the current EL; BT0 (bit 35) at EL0, BT1/BT (bit 36) above. */
    bool sctlr_bt = (cpu_sctlr(cpu) >> (cpu->el == 0 ? 35 : 36)) & 1;
    if (btype == 0 || bti_insn_compatible(insn, btype, sctlr_bt) || !bti_pc_guarded(cpu)) {
        return false;
    }
    /* AArch64.BranchTargetException: EC 0x0D, ISS[1:0] = BTYPE, to EL1 (EL2 from
     * EL0 with HCR_EL2.TGE) or the current EL above EL1. SPSR.BTYPE keeps BTYPE. */
    cpu_raise_trap(cpu, cpu_sync_target_el(cpu), EC_BTI, btype);
    return true;
}
