/*
 * Helpers shared by the load/store handlers (cpu/trans_ldst*.c,
 * cpu/trans_atomic.c). Internal to the cpu-ldst files.
 */
#ifndef TANDEM_CPU_LDST_H
#define TANDEM_CPU_LDST_H

#include "cpu/cpu.h"
#include "cpu/decode-a64.h"
#include "cpu/exception.h"
#include "cpu/mem.h"

/* SCTLR_ELx stack-pointer alignment checks (Arm ARM D17.2.118). */
#define LDST_SCTLR_SA (1ULL << 3)
#define LDST_SCTLR_SA0 (1ULL << 4)

/* SCTLR_ELx of the current translation regime. */
static inline uint64_t ldst_sctlr(const CPUState *cpu)
{
    switch (cpu->mmu_idx) {
    case MMU_IDX_E10_0:
    case MMU_IDX_E10_1:
    case MMU_IDX_E10_1_PAN:
        return cpu->sr.SCTLR_ELx[1];
    case MMU_IDX_E3:
        return cpu->sr.SCTLR_ELx[3];
    default:
        return cpu->sr.SCTLR_ELx[2];
    }
}

/*
 * CheckSPAlignment() for a base register of 31 (SP): SCTLR_ELx.SA0 at EL0,
 * SCTLR_ELx.SA above. False: the SP alignment fault has been taken.
 */
static inline bool ldst_check_sp(CPUState *cpu, unsigned rn)
{
    if (rn != 31 || !(cpu->sp & 15)) {
        return true;
    }
    uint64_t sctlr = ldst_sctlr(cpu);
    if (cpu->el == 0 ? (sctlr & LDST_SCTLR_SA0) : (sctlr & LDST_SCTLR_SA)) {
        cpu_raise_sp_alignment(cpu);
        return false;
    }
    return true;
}

/*
 * The read half of an atomic read-modify-write (LSE atomics, CAS, CASP) of
 * `bytes` bytes at [Xn|SP]: the SP alignment check, then one aligned access
 * checked for write and read permission (MEMF_RMW) whose bytes are read into
 * b; the caller writes the result back through ref. False: the fault has
 * been taken.
 */
static inline bool ldst_rmw_read(CPUState *cpu, unsigned rn, unsigned bytes, MemRef *ref, uint8_t *b)
{
    return ldst_check_sp(cpu, rn) &&
           cpu_mem_ref(cpu, cpu_reg_sp(cpu, rn), bytes, MMU_ACCESS_WRITE, MEMF_ALIGN | MEMF_RMW, ref) &&
           cpu_mem_ref_read(cpu, ref, b);
}

/* Feature tests: what the ID registers advertise is what is implemented. */
static inline bool ldst_have_lse(const CPUState *cpu)
{
    return extract64(cpu->id.ID_AA64ISAR0_EL1, 20, 4) >= 2;   /* Atomic */
}
static inline unsigned ldst_lrcpc(const CPUState *cpu)
{
    return (unsigned)extract64(cpu->id.ID_AA64ISAR1_EL1, 20, 4); /* LRCPC: 1 LDAPR, 2 +LDAPUR */
}
static inline bool ldst_have_lor(const CPUState *cpu)
{
    return extract64(cpu->id.ID_AA64MMFR1_EL1, 16, 4) >= 1;   /* LO */
}
static inline bool ldst_have_pauth(const CPUState *cpu)
{
    return extract64(cpu->id.ID_AA64ISAR1_EL1, 4, 4) || extract64(cpu->id.ID_AA64ISAR1_EL1, 8, 4) ||
           extract64(cpu->id.ID_AA64ISAR2_EL1, 12, 4);       /* APA, API, APA3 */
}
static inline bool ldst_have_fp(const CPUState *cpu)
{
    return extract64(cpu->id.ID_AA64PFR0_EL1, 16, 4) != 0xf;  /* FP */
}

/*
 * For SIMD&FP loads/stores: UNDEFINED without FP, then the FP access trap
 * checks (CheckFPEnabled64). EXEC_NEXT when the access may proceed.
 */
static inline ExecStatus ldst_check_fp(CPUState *cpu)
{
    if (!ldst_have_fp(cpu)) {
        return cpu_raise_undef(cpu);
    }
    return cpu_check_fp_enabled(cpu);
}

/* Write V[n] (128 bits); the rest of Z[n] becomes zero. */
static inline void ldst_vreg_set(CPUState *cpu, unsigned n, uint64_t lo, uint64_t hi)
{
    ZReg *z = &cpu->z[n];
    z->d[0] = lo;
    z->d[1] = hi;
    memset(&z->d[2], 0, sizeof(z->d) - 2 * sizeof(z->d[0]));
}

/* Little-endian bytes <-> value. */
static inline uint64_t ldst_get_le(const uint8_t *b, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)b[i] << (8 * i);
    }
    return v;
}
static inline void ldst_put_le(uint8_t *b, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
}

/* ExtendReg for register-offset addressing: option is UXTW, LSL/UXTX, SXTW or SXTX. */
static inline uint64_t ldst_extend_reg(uint64_t v, unsigned option, unsigned shift)
{
    switch (option) {
    case 2: v = (uint32_t)v; break;                  /* UXTW */
    case 6: v = (uint64_t)(int64_t)(int32_t)v; break; /* SXTW */
    default: break;                                  /* LSL (UXTX), SXTX */
    }
    return v << shift;
}

/*
 * Integer register transfers of the LDR/STR family, from size:opc
 * (Arm ARM C4.1.4 "Load/store register").
 */
typedef enum LdstKind {
    LDST_STORE,
    LDST_LOAD,        /* zero-extending */
    LDST_LOAD_S64,    /* sign-extending to 64 bits (LDRSB/LDRSH/LDRSW Xt) */
    LDST_LOAD_S32,    /* sign-extending to 32 bits (LDRSB/LDRSH Wt) */
    LDST_PRFM,        /* size 11, opc 10 */
    LDST_UNALLOC,
} LdstKind;

static inline LdstKind ldst_kind(unsigned size, unsigned opc)
{
    if (opc == 0) {
        return LDST_STORE;
    }
    if (opc == 1) {
        return LDST_LOAD;
    }
    if (size == 3) {
        return opc == 2 ? LDST_PRFM : LDST_UNALLOC;
    }
    if (size == 2) {
        return opc == 2 ? LDST_LOAD_S64 : LDST_UNALLOC;
    }
    return opc == 2 ? LDST_LOAD_S64 : LDST_LOAD_S32;
}

/* Do the transfer of one integer register; false: an exception was taken. */
static inline bool ldst_int_transfer(CPUState *cpu, unsigned size, LdstKind k, unsigned rt,
                                     uint64_t va, unsigned flags)
{
    unsigned bytes = 1u << size;
    if (k == LDST_STORE) {
        uint64_t v = cpu_reg(cpu, rt);
        return flags ? cpu_store_flags(cpu, va, bytes, v, flags) : cpu_store(cpu, va, bytes, v);
    }
    uint64_t v;
    if (!(flags ? cpu_load_flags(cpu, va, bytes, &v, flags) : cpu_load(cpu, va, bytes, &v))) {
        return false;
    }
    if (k == LDST_LOAD_S64) {
        v = sext64(v, 8 * bytes);
    } else if (k == LDST_LOAD_S32) {
        v = (uint32_t)sext64(v, 8 * bytes);
    }
    cpu_set_reg(cpu, rt, v);
    return true;
}

/* SIMD&FP register transfer of 1 << scale bytes (scale 0..4). */
bool ldst_fp_transfer(CPUState *cpu, unsigned scale, bool load, unsigned rt, uint64_t va,
                      unsigned flags);

#endif
