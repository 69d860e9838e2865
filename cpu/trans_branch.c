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
#include "cpu/bti.h"
#include "cpu/exec_fast.h"
#include "decode-extract-int.h"

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
    if (int_cond_holds(cpu, a->cond)) {
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
    if (int_cond_holds(cpu, a->cond)) {
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

/* BTYPE after BR/BRAA...: Arm ARM BR pseudocode (BTypeNext). */
uint32_t branch_br_btype(CPUState *cpu, unsigned n)
{
    if (!feat_bti(cpu)) {
        return 0;       /* PSTATE.BTYPE does not exist without FEAT_BTI */
    }
    /* In a guarded page BR gives 11, except from X16/X17 (01); elsewhere 01. */
    if (n == 16 || n == 17) {
        return 1;
    }
    return bti_pc_guarded(cpu) ? 3 : 1;
}

uint32_t branch_blr_btype(const CPUState *cpu)
{
    return feat_bti(cpu) ? 2 : 0;
}

ExecStatus trans_BR(CPUState *cpu, const arg_BR *a)
{
    uint64_t target = cpu_reg(cpu, a->Rn);
    uint32_t bt = branch_br_btype(cpu, a->Rn);
    cpu->pc = target;
    cpu->btype = bt;
    return EXEC_BRANCH;
}

ExecStatus trans_BLR(CPUState *cpu, const arg_BLR *a)
{
    uint64_t target = cpu_reg(cpu, a->Rn);   /* read before X30 is written (BLR X30) */
    cpu->x[30] = cpu->pc + 4;
    cpu->pc = target;
    cpu->btype = branch_blr_btype(cpu);
    return EXEC_BRANCH;
}

ExecStatus trans_RET(CPUState *cpu, const arg_RET *a)
{
    return branch_to(cpu, cpu_reg(cpu, a->Rn));
}


/* Fast handlers for the engine (cpu/exec_fast.h): the frequent instructions. */
EXEC_FAST(B_imm)
EXEC_FAST(BL)
EXEC_FAST(B_cond)
EXEC_FAST(CBZ)
EXEC_FAST(CBNZ)
EXEC_FAST(TBZ)
EXEC_FAST(TBNZ)
EXEC_FAST(BR)
EXEC_FAST(BLR)
EXEC_FAST(RET)

const ExecFastEntry exec_fast_branch[] = {
    EXEC_FAST_ENTRY(B_imm),
    EXEC_FAST_ENTRY(BL),
    EXEC_FAST_ENTRY(B_cond),
    EXEC_FAST_ENTRY(CBZ),
    EXEC_FAST_ENTRY(CBNZ),
    EXEC_FAST_ENTRY(TBZ),
    EXEC_FAST_ENTRY(TBNZ),
    EXEC_FAST_ENTRY(BR),
    EXEC_FAST_ENTRY(BLR),
    EXEC_FAST_ENTRY(RET),
    { 0, 0 },
};
