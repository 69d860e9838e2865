/*
 * Helpers shared by the FP/AdvSIMD/crypto instruction handlers
 * (cpu/trans_fp*.c, cpu/trans_simd*.c, cpu/crypto*.c).
 */
#ifndef TANDEM_CPU_FPSIMD_H
#define TANDEM_CPU_FPSIMD_H

#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "cpu/fpu/softfloat.h"

/* CheckFPAdvSIMDEnabled64 at the start of every execute part. */
#define FP_ACCESS_CHECK(cpu) do { \
    ExecStatus s_ = cpu_check_fp_enabled(cpu); \
    if (s_ != EXEC_NEXT) { \
        return s_; \
    } \
} while (0)

/* --- features (read from the ID registers: advertised == implemented) --- */
static inline unsigned id_field(uint64_t reg, unsigned shift)
{
    return (unsigned)extract64(reg, shift, 4);
}
/* FEAT_FP16: ID_AA64PFR0_EL1.FP == 1 (scalar) and .AdvSIMD == 1 (vector). */
static inline bool cpu_has_fp16(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64PFR0_EL1, 16) == 1;
}
static inline bool cpu_has_advsimd_fp16(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64PFR0_EL1, 20) == 1;
}
static inline bool cpu_has_jscvt(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR1_EL1, 12) != 0;
}
static inline bool cpu_has_frintts(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR1_EL1, 32) != 0;
}
static inline bool cpu_has_fcma(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR1_EL1, 16) != 0;
}
static inline bool cpu_has_rdm(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR0_EL1, 28) != 0;
}
static inline bool cpu_has_bf16(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR1_EL1, 44) != 0;
}
static inline bool cpu_has_i8mm(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR1_EL1, 52) != 0;
}
static inline bool cpu_has_dotprod(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR0_EL1, 44) != 0;
}

/*
 * ftype field of the FP data-processing encodings: 00 single, 01 double,
 * 11 half (FEAT_FP16 unless half_ok, e.g. FCVT), 10 unallocated.
 */
static inline bool fp_decode_ftype(const CPUState *cpu, unsigned ftype, bool half_ok, FPFmt *f)
{
    switch (ftype) {
    case 0: *f = FP32; return true;
    case 1: *f = FP64; return true;
    case 3: *f = FP16; return half_ok || cpu_has_fp16(cpu);
    default: return false;
    }
}

/* --- register file: V<n> is the low 128 bits of Z<n> --- */
static inline uint64_t vreg_lo(const CPUState *cpu, unsigned n, FPFmt f)
{
    return cpu->z[n].d[0] & MASK64(fp_bits(f));
}

/*
 * Any AdvSIMD/FP write to V<n> zeroes Z<n> above bit 127. Those bits exist
 * only with SVE (ID_AA64PFR0_EL1.SVE != 0); without it nothing else writes
 * them, so they stay zero and the clearing is skipped on the hot path.
 */
static inline void vreg_zero_high(CPUState *cpu, unsigned n)
{
    if (unlikely(cpu->id.ID_AA64PFR0_EL1 & (0xfULL << 32))) {
        memset(&cpu->z[n].d[2], 0, sizeof(ZReg) - 16);
    }
}

/* V[d] = ZeroExtend(value) for a scalar result. */
static inline void vreg_set_scalar(CPUState *cpu, unsigned d, uint64_t value)
{
    cpu->z[d].d[0] = value;
    cpu->z[d].d[1] = 0;
    vreg_zero_high(cpu, d);
}

/* V[d] = a 128-bit value (lo, hi). */
static inline void vreg_set128(CPUState *cpu, unsigned d, uint64_t lo, uint64_t hi)
{
    cpu->z[d].d[0] = lo;
    cpu->z[d].d[1] = hi;
    vreg_zero_high(cpu, d);
}

/* Element access in a 128-bit vector held as two uint64_t. esize in bytes (1,2,4,8). */
static inline uint64_t vec_get(const uint64_t v[2], unsigned i, unsigned esize)
{
    switch (esize) {
    case 1: return ((const uint8_t *)v)[i];
    case 2: return ((const uint16_t *)v)[i];
    case 4: return ((const uint32_t *)v)[i];
    default: return v[i];
    }
}

static inline void vec_set(uint64_t v[2], unsigned i, unsigned esize, uint64_t x)
{
    switch (esize) {
    case 1: ((uint8_t *)v)[i] = (uint8_t)x; break;
    case 2: ((uint16_t *)v)[i] = (uint16_t)x; break;
    case 4: ((uint32_t *)v)[i] = (uint32_t)x; break;
    default: v[i] = x; break;
    }
}

static inline void vreg_get(const CPUState *cpu, unsigned n, uint64_t v[2])
{
    v[0] = cpu->z[n].d[0];
    v[1] = cpu->z[n].d[1];
}

/* Write a vector result: the upper 64 bits are zeroed when !Q. */
static inline void vreg_set_q(CPUState *cpu, unsigned d, const uint64_t v[2], bool q)
{
    vreg_set128(cpu, d, v[0], q ? v[1] : 0);
}

/* FP context from FPCR, flags merged back into FPSR. */
static inline FPCtx fp_begin(const CPUState *cpu)
{
    return fp_ctx(cpu->fpcr);
}
static inline void fp_end(CPUState *cpu, const FPCtx *c)
{
    cpu->fpsr |= c->flags;
}

#endif
