/*
 * FEAT_BTI: Branch Target Identification (Arm ARM D8.4 / "BTI"), the
 * guarded-page check that runs at the first instruction executed after a
 * BR/BLR-class branch (PSTATE.BTYPE != 0), and the GP bit of the page the
 * current instruction comes from (BR sets BTYPE 11 in a guarded page).
 *
 * Neither function is on a hot path: the engine calls bti_branch_target_check()
 * only for the first instruction of a block entered with PSTATE.BTYPE != 0,
 * and BR/BRAA... call bti_pc_guarded() only when FEAT_BTI is advertised.
 */
#ifndef TANDEM_CPU_BTI_H
#define TANDEM_CPU_BTI_H

#include "cpu/cpu.h"

/* InGuardedPage for the instruction at cpu->pc (stage-1 GP bit of its translation). */
bool bti_pc_guarded(CPUState *cpu);

/*
 * BranchTargetCheck() for insn at cpu->pc with PSTATE.BTYPE != 0: when the
 * page is guarded and insn is not compatible with BTYPE, takes the Branch
 * Target exception (EC 0x0D, ISS = BTYPE) and returns true. Otherwise
 * returns false and the instruction runs (it clears BTYPE unless it branches).
 */
bool bti_branch_target_check(CPUState *cpu, uint32_t insn);

/* BTypeCompatible for insn, given BTYPE and the SCTLR_ELx.BT bit in effect (pure: unit tests). */
bool bti_insn_compatible(uint32_t insn, unsigned btype, bool sctlr_bt);

#endif
