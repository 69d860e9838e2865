/*
 * LSE atomic memory operations (FEAT_LSE, Arm ARM C4.1.4 "Atomic memory
 * operations"): LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN and SWP
 * with their A/L/AL and B/H forms (ST<op> is LD<op> with Rt = XZR), and
 * LDAPR/LDAPRB/LDAPRH (FEAT_LRCPC) which share the encoding space.
 * Atomics need read and write permission (AccType_ATOMICRW) and alignment.
 */
#include "cpu/ldst.h"

enum { AOP_ADD, AOP_CLR, AOP_EOR, AOP_SET, AOP_SMAX, AOP_SMIN, AOP_UMAX, AOP_UMIN };

static uint64_t atomic_apply(unsigned op, uint64_t old, uint64_t v, unsigned bits)
{
    int64_t so = sextract64(old, 0, bits), sv = sextract64(v, 0, bits);
    switch (op) {
    case AOP_ADD: return old + v;
    case AOP_CLR: return old & ~v;
    case AOP_EOR: return old ^ v;
    case AOP_SET: return old | v;
    case AOP_SMAX: return so > sv ? old : v;
    case AOP_SMIN: return so < sv ? old : v;
    case AOP_UMAX: return old > v ? old : v;
    default: return old < v ? old : v;   /* AOP_UMIN */
    }
}

ExecStatus trans_ATOMIC(CPUState *cpu, const arg_ATOMIC *a)
{
    unsigned bytes = 1u << a->size;
    if (a->o3 && a->opc == 4) {
        /* LDAPR*: RCpc load-acquire. */
        if (ldst_lrcpc(cpu) < 1 || !a->A || a->R || a->Rs != 31) {
            return cpu_raise_undef(cpu);
        }
        if (!ldst_check_sp(cpu, a->Rn)) {
            return EXEC_EXCEPTION;
        }
        return ldst_int_transfer(cpu, a->size, LDST_LOAD, a->Rt, cpu_reg_sp(cpu, a->Rn), MEMF_ALIGN)
               ? EXEC_NEXT : EXEC_EXCEPTION;
    }
    if ((a->o3 && a->opc != 0) || !ldst_have_lse(cpu)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t mask = MASK64(8 * bytes);
    MemRef ref;
    uint8_t b[8];
    if (!ldst_rmw_read(cpu, a->Rn, bytes, &ref, b)) {
        return EXEC_EXCEPTION;
    }
    uint64_t old = ldst_get_le(b, bytes);
    uint64_t v = cpu_reg(cpu, a->Rs) & mask;
    uint64_t nv = a->o3 ? v : atomic_apply(a->opc, old, v, 8 * bytes);
    ldst_put_le(b, bytes, nv & mask);
    if (!cpu_mem_ref_write(cpu, &ref, b)) {
        return EXEC_EXCEPTION;
    }
    cpu_set_reg(cpu, a->Rt, old);
    return EXEC_NEXT;
}
