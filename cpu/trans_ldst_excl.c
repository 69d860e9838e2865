/*
 * Load/store exclusive (LDXR/LDAXR/STXR/STLXR and pairs), ordered
 * (LDAR/STLR, LDLAR/STLLR with FEAT_LOR), compare and swap (CAS*, CASP*,
 * FEAT_LSE) and the RCpc2 unscaled forms (LDAPUR and STLUR forms, FEAT_LRCPC2).
 *
 * vCPUs run one at a time, so every access is single-copy atomic and
 * acquire/release ordering holds trivially; what these need is alignment
 * (MEMF_ALIGN: FEAT_LSE2 is not implemented) and the exclusive monitors of
 * cpu/mem.c.
 *
 * CONSTRAINED UNPREDICTABLE choices (docs/impdef.md): STXR with Ws == Rt/Rt2
 * (Unpredictable_DATAOVERLAP) or Ws == Rn != 31 (BASEOVERLAP), and LDXP with
 * Rt == Rt2 (LDPOVERLAP), are UNDEFINED. Register fields the Arm ARM marks
 * "should be one" (Rs of LDXR, Rt2 of the non-pair forms) are ignored.
 */
#include "cpu/ldst.h"

static ExecStatus excl_exclusive(CPUState *cpu, const arg_LDSTX *a, bool pair)
{
    unsigned esize = pair ? 4u << (a->size & 1) : 1u << a->size;
    unsigned len = pair ? 2 * esize : esize;
    if (a->L) {
        if (pair && a->Rt == a->Rt2) {
            return cpu_raise_undef(cpu);
        }
        if (!ldst_check_sp(cpu, a->Rn)) {
            return EXEC_EXCEPTION;
        }
        uint8_t b[16];
        if (!cpu_excl_load(cpu, cpu_reg_sp(cpu, a->Rn), b, len, esize)) {
            return EXEC_EXCEPTION;
        }
        cpu_set_reg(cpu, a->Rt, ldst_get_le(b, esize));
        if (pair) {
            cpu_set_reg(cpu, a->Rt2, ldst_get_le(b + esize, esize));
        }
        return EXEC_NEXT;
    }
    if (a->Rs == a->Rt || (pair && a->Rs == a->Rt2) || (a->Rs == a->Rn && a->Rn != 31)) {
        return cpu_raise_undef(cpu);
    }
    if (!ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint8_t b[16];
    ldst_put_le(b, esize, cpu_reg(cpu, a->Rt));
    if (pair) {
        ldst_put_le(b + esize, esize, cpu_reg(cpu, a->Rt2));
    }
    uint32_t status;
    if (!cpu_excl_store(cpu, cpu_reg_sp(cpu, a->Rn), b, len, esize, &status)) {
        return EXEC_EXCEPTION;
    }
    cpu_set_reg(cpu, a->Rs, status);
    return EXEC_NEXT;
}

static ExecStatus excl_ordered(CPUState *cpu, const arg_LDSTX *a)
{
    if (!a->o0 && !ldst_have_lor(cpu)) {
        return cpu_raise_undef(cpu);   /* LDLAR/STLLR need FEAT_LOR */
    }
    if (!ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    LdstKind k = a->L ? LDST_LOAD : LDST_STORE;
    uint64_t va = cpu_reg_sp(cpu, a->Rn);
    return ldst_int_transfer(cpu, a->size, k, a->Rt, va, MEMF_ALIGN) ? EXEC_NEXT : EXEC_EXCEPTION;
}

/* CAS/CASA/CASL/CASAL and the B/H forms: MemAtomicCompareAndSwap. */
static ExecStatus excl_cas(CPUState *cpu, const arg_LDSTX *a)
{
    if (!ldst_have_lse(cpu)) {
        return cpu_raise_undef(cpu);
    }
    unsigned bytes = 1u << a->size;
    uint64_t mask = MASK64(8 * bytes);
    MemRef ref;
    uint8_t b[8];
    /* The write permission is checked even when the comparison fails (docs/impdef.md). */
    if (!ldst_rmw_read(cpu, a->Rn, bytes, &ref, b)) {
        return EXEC_EXCEPTION;
    }
    uint64_t old = ldst_get_le(b, bytes);
    if (old == (cpu_reg(cpu, a->Rs) & mask)) {
        ldst_put_le(b, bytes, cpu_reg(cpu, a->Rt));
        if (!cpu_mem_ref_write(cpu, &ref, b)) {
            return EXEC_EXCEPTION;
        }
    }
    cpu_set_reg(cpu, a->Rs, old);
    return EXEC_NEXT;
}

/* CASP/CASPA/CASPL/CASPAL: size<0> selects 32- or 64-bit registers. */
static ExecStatus excl_casp(CPUState *cpu, const arg_LDSTX *a)
{
    if (!ldst_have_lse(cpu) || (a->Rs & 1) || (a->Rt & 1)) {
        return cpu_raise_undef(cpu);
    }
    unsigned esize = 4u << (a->size & 1);
    uint64_t mask = MASK64(8 * esize);
    MemRef ref;
    uint8_t b[16];
    if (!ldst_rmw_read(cpu, a->Rn, 2 * esize, &ref, b)) {
        return EXEC_EXCEPTION;
    }
    uint64_t old1 = ldst_get_le(b, esize), old2 = ldst_get_le(b + esize, esize);
    if (old1 == (cpu_reg(cpu, a->Rs) & mask) && old2 == (cpu_reg(cpu, a->Rs + 1) & mask)) {
        ldst_put_le(b, esize, cpu_reg(cpu, a->Rt));
        ldst_put_le(b + esize, esize, cpu_reg(cpu, a->Rt + 1));
        if (!cpu_mem_ref_write(cpu, &ref, b)) {
            return EXEC_EXCEPTION;
        }
    }
    cpu_set_reg(cpu, a->Rs, old1);
    cpu_set_reg(cpu, a->Rs + 1, old2);
    return EXEC_NEXT;
}

ExecStatus trans_LDSTX(CPUState *cpu, const arg_LDSTX *a)
{
    if (!a->o2 && !a->o1) {
        return excl_exclusive(cpu, a, false);
    }
    if (!a->o2 && a->o1) {
        return (a->size & 2) ? excl_exclusive(cpu, a, true) : excl_casp(cpu, a);
    }
    if (a->o2 && !a->o1) {
        return excl_ordered(cpu, a);
    }
    return excl_cas(cpu, a);
}

/* LDAPUR and STLUR forms (FEAT_LRCPC2): unscaled offset, ordered, must be aligned. */
ExecStatus trans_LDAPUR(CPUState *cpu, const arg_LDAPUR *a)
{
    LdstKind k = ldst_kind(a->size, a->opc);
    if (ldst_lrcpc(cpu) < 2 || k == LDST_UNALLOC || k == LDST_PRFM) {
        return cpu_raise_undef(cpu);
    }
    if (!ldst_check_sp(cpu, a->Rn)) {
        return EXEC_EXCEPTION;
    }
    uint64_t va = cpu_reg_sp(cpu, a->Rn) + (uint64_t)a->imm9;
    return ldst_int_transfer(cpu, a->size, k, a->Rt, va, MEMF_ALIGN) ? EXEC_NEXT : EXEC_EXCEPTION;
}
