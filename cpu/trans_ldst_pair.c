/*
 * Load/store pair (Arm ARM C4.1.4 "Load/store register pair" and
 * "no-allocate pair"): LDP/STP/LDPSW/LDNP/STNP, integer and SIMD&FP, in
 * every index mode. Both registers move as one cpu_load_buf/cpu_store_buf
 * access made of two elements, so a fault on either element (also across a
 * page boundary) leaves registers and memory unchanged.
 *
 * CONSTRAINED UNPREDICTABLE choices (docs/impdef.md): LDP with Rt == Rt2 is
 * UNDEFINED (Constraint_UNDEF of Unpredictable_LDPOVERLAP); writeback with
 * Rn equal to a loaded register is suppressed (Constraint_WBSUPPRESS); a
 * store with writeback stores the registers' values from before the
 * writeback (Constraint_NONE).
 */
#include "cpu/ldst.h"
#include "cpu/exec_fast.h"
#include "cpu/decode-extract-ldst.h"

enum { PIDX_NOALLOC = 0, PIDX_POST = 1, PIDX_OFFSET = 2, PIDX_PRE = 3 };

ExecStatus trans_LDSTP(CPUState *cpu, const arg_LDSTP *a)
{
    /* opc: 00 = 32-bit, 01 = LDPSW (STGP needs FEAT_MTE2: not implemented), 10 = 64-bit. */
    if (a->opc == 3 || (a->opc == 1 && (!a->L || a->idx == PIDX_NOALLOC))) {
        return cpu_raise_undef(cpu);
    }
    if (a->L && a->Rt == a->Rt2) {
        return cpu_raise_undef(cpu);
    }
    unsigned scale = a->opc == 2 ? 3 : 2;
    unsigned bytes = 1u << scale;
    if (!ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t base = cpu_reg_sp(cpu, a->Rn);
    uint64_t offset_va = base + ((uint64_t)a->imm7 << scale);
    uint64_t va = a->idx == PIDX_POST ? base : offset_va;
    uint8_t b[16];
    if (a->L) {
        if (!cpu_load_buf(cpu, va, b, 2 * bytes, bytes, 0)) {
            return EXEC_EXCEPTION;
        }
        uint64_t v1 = ldst_get_le(b, bytes), v2 = ldst_get_le(b + bytes, bytes);
        if (a->opc == 1) {
            v1 = sext64(v1, 32);
            v2 = sext64(v2, 32);
        }
        cpu_set_reg(cpu, a->Rt, v1);
        cpu_set_reg(cpu, a->Rt2, v2);
    } else {
        ldst_put_le(b, bytes, cpu_reg(cpu, a->Rt));
        ldst_put_le(b + bytes, bytes, cpu_reg(cpu, a->Rt2));
        if (!cpu_store_buf(cpu, va, b, 2 * bytes, bytes, 0)) {
            return EXEC_EXCEPTION;
        }
    }
    if (a->idx == PIDX_POST || a->idx == PIDX_PRE) {
        bool suppress = a->L && a->Rn != 31 && (a->Rn == a->Rt || a->Rn == a->Rt2);
        if (!suppress) {
            cpu_set_reg_sp(cpu, a->Rn, offset_va);
        }
    }
    return EXEC_NEXT;
}

ExecStatus trans_LDSTP_fp(CPUState *cpu, const arg_LDSTP_fp *a)
{
    /* opc: 00 = S, 01 = D, 10 = Q. */
    if (a->opc == 3) {
        return cpu_raise_undef(cpu);
    }
    if (a->L && a->Rt == a->Rt2) {
        return cpu_raise_undef(cpu);
    }
    if (ldst_check_fp(cpu) != EXEC_NEXT || !ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    unsigned scale = 2 + a->opc;
    unsigned bytes = 1u << scale;
    uint64_t base = cpu_reg_sp(cpu, a->Rn);
    uint64_t offset_va = base + ((uint64_t)a->imm7 << scale);
    uint64_t va = a->idx == PIDX_POST ? base : offset_va;
    uint8_t b[32];
    if (a->L) {
        if (!cpu_load_buf(cpu, va, b, 2 * bytes, bytes, 0)) {
            return EXEC_EXCEPTION;
        }
        if (bytes == 16) {
            ldst_vreg_set(cpu, a->Rt, ldst_get_le(b, 8), ldst_get_le(b + 8, 8));
            ldst_vreg_set(cpu, a->Rt2, ldst_get_le(b + 16, 8), ldst_get_le(b + 24, 8));
        } else {
            ldst_vreg_set(cpu, a->Rt, ldst_get_le(b, bytes), 0);
            ldst_vreg_set(cpu, a->Rt2, ldst_get_le(b + bytes, bytes), 0);
        }
    } else {
        if (bytes == 16) {
            ldst_put_le(b, 8, cpu->z[a->Rt].d[0]);
            ldst_put_le(b + 8, 8, cpu->z[a->Rt].d[1]);
            ldst_put_le(b + 16, 8, cpu->z[a->Rt2].d[0]);
            ldst_put_le(b + 24, 8, cpu->z[a->Rt2].d[1]);
        } else {
            ldst_put_le(b, bytes, cpu->z[a->Rt].d[0]);
            ldst_put_le(b + bytes, bytes, cpu->z[a->Rt2].d[0]);
        }
        if (!cpu_store_buf(cpu, va, b, 2 * bytes, bytes, 0)) {
            return EXEC_EXCEPTION;
        }
    }
    if (a->idx == PIDX_POST || a->idx == PIDX_PRE) {
        cpu_set_reg_sp(cpu, a->Rn, offset_va);
    }
    return EXEC_NEXT;
}

/* Fast handlers (cpu/exec_fast.h) for LDP/STP, integer and SIMD&FP. */
EXEC_FAST(LDSTP)
EXEC_FAST(LDSTP_fp)
const ExecFastEntry exec_fast_ldst_pair[] = {
    EXEC_FAST_ENTRY(LDSTP),
    EXEC_FAST_ENTRY(LDSTP_fp),
    { 0, 0 },
};
