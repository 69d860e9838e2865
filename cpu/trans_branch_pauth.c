/*
 * A64 branches with pointer authentication (Arm ARM C4.1.3 "Unconditional
 * branch (register)"): BRAA/BRAB(Z), BLRAA/BLRAB(Z), RETAA/RETAB. UNDEFINED
 * unless FEAT_PAuth is advertised. The authentication itself is
 * cpu/pauth.c's Auth (owned by cpu-sys).
 */
#include "cpu/trans_int.h"
#include "cpu/pauth.h"

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
    uint32_t bt = branch_br_btype(cpu, a->Rn);
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
    uint32_t bt = branch_br_btype(cpu, a->Rn);
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
    cpu->btype = branch_blr_btype(cpu);
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
    cpu->btype = branch_blr_btype(cpu);
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
    return (cpu->pc = target, cpu->btype = 0, EXEC_BRANCH);
}
