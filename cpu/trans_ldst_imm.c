/*
 * Single-register loads and stores (Arm ARM C4.1.4): LDR/STR and the
 * LDRB/LDRH/LDRSB/LDRSH/LDRSW family with unsigned-immediate, unscaled
 * (LDUR/STUR), pre/post-index, unprivileged (LDTR/STTR) and register-offset
 * addressing; LDR (literal); PRFM/PRFUM; LDRAA/LDRAB; and the SIMD&FP
 * register forms (B/H/S/D/Q).
 *
 * CONSTRAINED UNPREDICTABLE writeback with Rn == Rt (docs/impdef.md): a
 * load suppresses the writeback (Constraint_WBSUPPRESS), a store stores the
 * register's value from before the writeback (Constraint_NONE).
 */
#include "cpu/ldst.h"
#include "cpu/exec_fast.h"
#include "cpu/decode-extract-ldst.h"
#include "cpu/pauth.h"

/* imm9 addressing modes (bits 11:10). */
enum { IDX_UNSCALED = 0, IDX_POST = 1, IDX_UNPRIV = 2, IDX_PRE = 3 };

/* log2 of the SIMD&FP access size from size:opc, or -1 if unallocated. */
static int ldst_fp_scale(unsigned size, unsigned opc)
{
    if (opc & 2) {
        return size == 0 ? 4 : -1;
    }
    return (int)size;
}

bool ldst_fp_transfer(CPUState *cpu, unsigned scale, bool load, unsigned rt, uint64_t va,
                      unsigned flags)
{
    unsigned bytes = 1u << scale;
    if (bytes == 16) {
        uint8_t b[16];
        if (load) {
            if (!cpu_load_buf(cpu, va, b, 16, 16, flags)) {
                return false;
            }
            ldst_vreg_set(cpu, rt, ldst_get_le(b, 8), ldst_get_le(b + 8, 8));
            return true;
        }
        ldst_put_le(b, 8, cpu->z[rt].d[0]);
        ldst_put_le(b + 8, 8, cpu->z[rt].d[1]);
        return cpu_store_buf(cpu, va, b, 16, 16, flags);
    }
    if (load) {
        uint64_t v;
        if (!(flags ? cpu_load_flags(cpu, va, bytes, &v, flags) : cpu_load(cpu, va, bytes, &v))) {
            return false;
        }
        ldst_vreg_set(cpu, rt, v, 0);
        return true;
    }
    uint64_t v = cpu->z[rt].d[0];
    return flags ? cpu_store_flags(cpu, va, bytes, v, flags) : cpu_store(cpu, va, bytes, v);
}

/* --- integer, unsigned immediate --- */

ExecStatus trans_LDST_uimm(CPUState *cpu, const arg_LDST_uimm *a)
{
    LdstKind k = ldst_kind(a->size, a->opc);
    if (k == LDST_UNALLOC) {
        return cpu_raise_undef(cpu);
    }
    if (k == LDST_PRFM) {
        return EXEC_NEXT;   /* PRFM: a hint with no memory access, faults or SP check */
    }
    if (!ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t va = cpu_reg_sp(cpu, a->Rn) + ((uint64_t)a->imm12 << a->size);
    return ldst_int_transfer(cpu, a->size, k, a->Rt, va, 0) ? EXEC_NEXT : EXEC_EXCEPTION;
}

/* --- integer, 9-bit signed immediate: LDUR/STUR, post/pre-index, LDTR/STTR --- */

ExecStatus trans_LDST_imm9(CPUState *cpu, const arg_LDST_imm9 *a)
{
    LdstKind k = ldst_kind(a->size, a->opc);
    if (k == LDST_UNALLOC || (k == LDST_PRFM && a->idx != IDX_UNSCALED)) {
        return cpu_raise_undef(cpu);
    }
    if (k == LDST_PRFM) {
        return EXEC_NEXT;   /* PRFUM */
    }
    if (!ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t base = cpu_reg_sp(cpu, a->Rn);
    uint64_t offset_va = base + (uint64_t)a->imm9;
    uint64_t va = a->idx == IDX_POST ? base : offset_va;
    unsigned flags = a->idx == IDX_UNPRIV ? MEMF_UNPRIV : 0;
    if (!ldst_int_transfer(cpu, a->size, k, a->Rt, va, flags)) {
        return EXEC_EXCEPTION;
    }
    if (a->idx == IDX_POST || a->idx == IDX_PRE) {
        bool suppress = k != LDST_STORE && a->Rn == a->Rt && a->Rn != 31;
        if (!suppress) {
            cpu_set_reg_sp(cpu, a->Rn, offset_va);
        }
    }
    return EXEC_NEXT;
}

/* --- integer, register offset --- */

ExecStatus trans_LDST_reg(CPUState *cpu, const arg_LDST_reg *a)
{
    LdstKind k = ldst_kind(a->size, a->opc);
    if (k == LDST_UNALLOC || !(a->option & 2)) {
        return cpu_raise_undef(cpu);
    }
    if (k == LDST_PRFM) {
        return EXEC_NEXT;
    }
    if (!ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t offset = ldst_extend_reg(cpu_reg(cpu, a->Rm), a->option, a->S ? a->size : 0);
    uint64_t va = cpu_reg_sp(cpu, a->Rn) + offset;
    return ldst_int_transfer(cpu, a->size, k, a->Rt, va, 0) ? EXEC_NEXT : EXEC_EXCEPTION;
}

/* --- LDR (literal), LDRSW (literal), PRFM (literal) --- */

ExecStatus trans_LDR_lit(CPUState *cpu, const arg_LDR_lit *a)
{
    uint64_t va = cpu->pc + (uint64_t)(a->imm19 * 4);
    switch (a->opc) {
    case 0: return ldst_int_transfer(cpu, 2, LDST_LOAD, a->Rt, va, 0) ? EXEC_NEXT : EXEC_EXCEPTION;
    case 1: return ldst_int_transfer(cpu, 3, LDST_LOAD, a->Rt, va, 0) ? EXEC_NEXT : EXEC_EXCEPTION;
    case 2: return ldst_int_transfer(cpu, 2, LDST_LOAD_S64, a->Rt, va, 0) ? EXEC_NEXT : EXEC_EXCEPTION;
    default: return EXEC_NEXT;   /* PRFM (literal) */
    }
}

/* --- LDRAA/LDRAB (FEAT_PAuth) --- */

ExecStatus trans_LDRA(CPUState *cpu, const arg_LDRA *a)
{
    if (!ldst_have_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    if (!ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t base = cpu_reg_sp(cpu, a->Rn);
    /* AuthDA/AuthDB with modifier X[31] = 0; a failed auth leaves a non-canonical address. */
    if (!pauth_auth(cpu, &base, 0, a->M ? PAUTH_KEY_DB : PAUTH_KEY_DA)) {
        return EXEC_EXCEPTION;
    }
    int64_t offset = sextract64(((uint64_t)a->S << 9) | a->imm9, 0, 10) * 8;
    uint64_t va = base + (uint64_t)offset;
    if (!ldst_int_transfer(cpu, 3, LDST_LOAD, a->Rt, va, 0)) {
        return EXEC_EXCEPTION;
    }
    if (a->W && !(a->Rn == a->Rt && a->Rn != 31)) {
        cpu_set_reg_sp(cpu, a->Rn, va);
    }
    return EXEC_NEXT;
}

/* --- SIMD&FP register forms --- */

ExecStatus trans_LDST_uimm_fp(CPUState *cpu, const arg_LDST_uimm_fp *a)
{
    int scale = ldst_fp_scale(a->size, a->opc);
    if (scale < 0) {
        return cpu_raise_undef(cpu);
    }
    if (ldst_check_fp(cpu) != EXEC_NEXT || !ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t va = cpu_reg_sp(cpu, a->Rn) + ((uint64_t)a->imm12 << scale);
    return ldst_fp_transfer(cpu, (unsigned)scale, a->opc & 1, a->Rt, va, 0) ? EXEC_NEXT : EXEC_EXCEPTION;
}

ExecStatus trans_LDST_imm9_fp(CPUState *cpu, const arg_LDST_imm9_fp *a)
{
    int scale = ldst_fp_scale(a->size, a->opc);
    if (scale < 0 || a->idx == IDX_UNPRIV) {
        return cpu_raise_undef(cpu);
    }
    if (ldst_check_fp(cpu) != EXEC_NEXT || !ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t base = cpu_reg_sp(cpu, a->Rn);
    uint64_t offset_va = base + (uint64_t)a->imm9;
    uint64_t va = a->idx == IDX_POST ? base : offset_va;
    if (!ldst_fp_transfer(cpu, (unsigned)scale, a->opc & 1, a->Rt, va, 0)) {
        return EXEC_EXCEPTION;
    }
    if (a->idx == IDX_POST || a->idx == IDX_PRE) {
        cpu_set_reg_sp(cpu, a->Rn, offset_va);   /* Rt is a V register: no overlap */
    }
    return EXEC_NEXT;
}

ExecStatus trans_LDST_reg_fp(CPUState *cpu, const arg_LDST_reg_fp *a)
{
    int scale = ldst_fp_scale(a->size, a->opc);
    if (scale < 0 || !(a->option & 2)) {
        return cpu_raise_undef(cpu);
    }
    if (ldst_check_fp(cpu) != EXEC_NEXT || !ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t offset = ldst_extend_reg(cpu_reg(cpu, a->Rm), a->option, a->S ? (unsigned)scale : 0);
    uint64_t va = cpu_reg_sp(cpu, a->Rn) + offset;
    return ldst_fp_transfer(cpu, (unsigned)scale, a->opc & 1, a->Rt, va, 0) ? EXEC_NEXT : EXEC_EXCEPTION;
}

ExecStatus trans_LDR_lit_fp(CPUState *cpu, const arg_LDR_lit_fp *a)
{
    if (a->opc == 3) {
        return cpu_raise_undef(cpu);
    }
    if (ldst_check_fp(cpu) != EXEC_NEXT) {
        return EXEC_EXCEPTION;
    }
    uint64_t va = cpu->pc + (uint64_t)(a->imm19 * 4);
    return ldst_fp_transfer(cpu, 2 + a->opc, true, a->Rt, va, 0) ? EXEC_NEXT : EXEC_EXCEPTION;
}

/* Fast handlers (cpu/exec_fast.h) for the hot single-register forms, integer and SIMD&FP. */
EXEC_FAST(LDST_uimm)
EXEC_FAST(LDST_imm9)
EXEC_FAST(LDST_reg)
EXEC_FAST(LDR_lit)
EXEC_FAST(LDST_uimm_fp)
EXEC_FAST(LDST_imm9_fp)
EXEC_FAST(LDST_reg_fp)
const ExecFastEntry exec_fast_ldst_imm[] = {
    EXEC_FAST_ENTRY(LDST_uimm),
    EXEC_FAST_ENTRY(LDST_imm9),
    EXEC_FAST_ENTRY(LDST_reg),
    EXEC_FAST_ENTRY(LDR_lit),
    EXEC_FAST_ENTRY(LDST_uimm_fp),
    EXEC_FAST_ENTRY(LDST_imm9_fp),
    EXEC_FAST_ENTRY(LDST_reg_fp),
    { 0, 0 },
};
