/*
 * A64 branches (Arm ARM C4.1.3): immediate, conditional, compare/test and
 * branch, and register branches including the PAuth forms.
 *
 * Every taken branch returns EXEC_BRANCH with cpu->pc set and PSTATE.BTYPE
 * set as the Arm ARM says (0 except for BR/BLR and their PAuth forms).
 * Branch targets are not checked for alignment here: a misaligned target
 * raises the PC alignment fault when the engine fetches it (Arm ARM
 * AArch64.CheckPCAlignment is done on fetch).
 */
#include "cpu/trans_int.h"
#include "cpu/pauth.h"
#include "mmu/mmu.h"

static inline ExecStatus branch_to(CPUState *cpu, uint64_t target)
{
    cpu->pc = target;
    cpu->btype = 0;
    return EXEC_BRANCH;
}

/* --- Unconditional branch (immediate) --- */

ExecStatus trans_B_imm(CPUState *cpu, const arg_B_imm *a)
{
    return branch_to(cpu, cpu->pc + (uint64_t)(a->imm26 * 4));
}

ExecStatus trans_BL(CPUState *cpu, const arg_BL *a)
{
    cpu->x[30] = cpu->pc + 4;
    return branch_to(cpu, cpu->pc + (uint64_t)(a->imm26 * 4));
}

/* --- Conditional branch --- */

ExecStatus trans_B_cond(CPUState *cpu, const arg_B_cond *a)
{
    if (cpu_cond_holds(cpu, a->cond)) {
        return branch_to(cpu, cpu->pc + (uint64_t)(a->imm19 * 4));
    }
    return EXEC_NEXT;
}

/* BC.cond (FEAT_HBC): same behaviour, a hint that the branch is consistent. */
ExecStatus trans_BC_cond(CPUState *cpu, const arg_BC_cond *a)
{
    if (!feat_hbc(cpu)) {
        return cpu_raise_undef(cpu);
    }
    if (cpu_cond_holds(cpu, a->cond)) {
        return branch_to(cpu, cpu->pc + (uint64_t)(a->imm19 * 4));
    }
    return EXEC_NEXT;
}

/* --- Compare and branch, test and branch --- */

ExecStatus trans_CBZ(CPUState *cpu, const arg_CBZ *a)
{
    if (int_trunc(a->sf, cpu_reg(cpu, a->Rt)) == 0) {
        return branch_to(cpu, cpu->pc + (uint64_t)(a->imm19 * 4));
    }
    return EXEC_NEXT;
}

ExecStatus trans_CBNZ(CPUState *cpu, const arg_CBNZ *a)
{
    if (int_trunc(a->sf, cpu_reg(cpu, a->Rt)) != 0) {
        return branch_to(cpu, cpu->pc + (uint64_t)(a->imm19 * 4));
    }
    return EXEC_NEXT;
}

ExecStatus trans_TBZ(CPUState *cpu, const arg_TBZ *a)
{
    unsigned bit = (a->b5 << 5) | a->b40;
    if (!((cpu_reg(cpu, a->Rt) >> bit) & 1)) {
        return branch_to(cpu, cpu->pc + (uint64_t)(a->imm14 * 4));
    }
    return EXEC_NEXT;
}

ExecStatus trans_TBNZ(CPUState *cpu, const arg_TBNZ *a)
{
    unsigned bit = (a->b5 << 5) | a->b40;
    if ((cpu_reg(cpu, a->Rt) >> bit) & 1) {
        return branch_to(cpu, cpu->pc + (uint64_t)(a->imm14 * 4));
    }
    return EXEC_NEXT;
}

/* --- Unconditional branch (register) --- */

/*
 * InGuardedPage for the branch instruction itself (BR's BTYPE choice). Only
 * meaningful with FEAT_BTI; the GP bit comes from the stage-1 translation of
 * the current pc. A translation failure cannot happen for the instruction
 * being executed; treat it as not guarded.
 */
static bool branch_in_guarded_page(CPUState *cpu)
{
    MMUResult res;
    MMUFault fault;
    if (!mmu_translate(cpu, cpu->pc, MMU_ACCESS_FETCH, cpu->mmu_idx, &res, &fault)) {
        return false;
    }
    return res.guarded;
}

/* BTYPE after BR/BRAA...: Arm ARM BR pseudocode (BTypeNext). */
static inline uint32_t br_btype(CPUState *cpu, unsigned n)
{
    if (!feat_bti(cpu)) {
        return 0;       /* PSTATE.BTYPE does not exist without FEAT_BTI */
    }
    if (branch_in_guarded_page(cpu)) {
        return (n == 16 || n == 17) ? 1 : 3;
    }
    return 1;
}

static inline uint32_t blr_btype(const CPUState *cpu)
{
    return feat_bti(cpu) ? 2 : 0;
}

ExecStatus trans_BR(CPUState *cpu, const arg_BR *a)
{
    uint64_t target = cpu_reg(cpu, a->Rn);
    uint32_t bt = br_btype(cpu, a->Rn);
    cpu->pc = target;
    cpu->btype = bt;
    return EXEC_BRANCH;
}

ExecStatus trans_BLR(CPUState *cpu, const arg_BLR *a)
{
    uint64_t target = cpu_reg(cpu, a->Rn);   /* read before X30 is written (BLR X30) */
    cpu->x[30] = cpu->pc + 4;
    cpu->pc = target;
    cpu->btype = blr_btype(cpu);
    return EXEC_BRANCH;
}

ExecStatus trans_RET(CPUState *cpu, const arg_RET *a)
{
    return branch_to(cpu, cpu_reg(cpu, a->Rn));
}

/* Authenticate an instruction address with key IA (M = 0) or IB (M = 1). */
static inline bool branch_auth(CPUState *cpu, unsigned m, uint64_t *target, uint64_t modifier)
{
    return pauth_auth(cpu, target, modifier, m ? PAUTH_KEY_IB : PAUTH_KEY_IA);
}

ExecStatus trans_BRAZ(CPUState *cpu, const arg_BRAZ *a)
{
    if (!feat_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t target = cpu_reg(cpu, a->Rn);
    if (!branch_auth(cpu, a->M, &target, 0)) {
        return EXEC_EXCEPTION;
    }
    uint32_t bt = br_btype(cpu, a->Rn);
    cpu->pc = target;
    cpu->btype = bt;
    return EXEC_BRANCH;
}

ExecStatus trans_BRA(CPUState *cpu, const arg_BRA *a)
{
    if (!feat_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t target = cpu_reg(cpu, a->Rn);
    if (!branch_auth(cpu, a->M, &target, cpu_reg_sp(cpu, a->Rm))) {
        return EXEC_EXCEPTION;
    }
    uint32_t bt = br_btype(cpu, a->Rn);
    cpu->pc = target;
    cpu->btype = bt;
    return EXEC_BRANCH;
}

ExecStatus trans_BLRAZ(CPUState *cpu, const arg_BLRAZ *a)
{
    if (!feat_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t target = cpu_reg(cpu, a->Rn);
    if (!branch_auth(cpu, a->M, &target, 0)) {
        return EXEC_EXCEPTION;
    }
    cpu->x[30] = cpu->pc + 4;
    cpu->pc = target;
    cpu->btype = blr_btype(cpu);
    return EXEC_BRANCH;
}

ExecStatus trans_BLRA(CPUState *cpu, const arg_BLRA *a)
{
    if (!feat_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t target = cpu_reg(cpu, a->Rn);
    if (!branch_auth(cpu, a->M, &target, cpu_reg_sp(cpu, a->Rm))) {
        return EXEC_EXCEPTION;
    }
    cpu->x[30] = cpu->pc + 4;
    cpu->pc = target;
    cpu->btype = blr_btype(cpu);
    return EXEC_BRANCH;
}

/* RETAA/RETAB: authenticate X30 with SP as the modifier. */
ExecStatus trans_RETA(CPUState *cpu, const arg_RETA *a)
{
    if (!feat_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t target = cpu->x[30];
    if (!branch_auth(cpu, a->M, &target, cpu->sp)) {
        return EXEC_EXCEPTION;
    }
    return branch_to(cpu, target);
}
