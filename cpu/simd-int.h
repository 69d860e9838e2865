/* Internal interfaces between the AdvSIMD handler files (cpu/trans_simd*.c). */
#ifndef TANDEM_CPU_SIMD_INT_H
#define TANDEM_CPU_SIMD_INT_H

#include "cpu/fpsimd.h"

__extension__ typedef __int128 simd_s128;

/* Saturate x to an ebits-wide signed/unsigned lane; sets *sat when clamped. */
uint64_t simd_sat(simd_s128 x, unsigned ebits, bool is_unsigned, bool *sat);
/* Lane shift by a signed amount (negative: right), optionally rounding/saturating. */
uint64_t simd_shift_reg(simd_s128 x, int shift, unsigned ebits, bool is_unsigned, bool round,
                        bool saturate, bool *sat);
/* FP three-same (opcode 11xxx, or the FP16 group with half = true). */
ExecStatus simd_3same_fp(CPUState *cpu, bool q, bool u, unsigned size, unsigned opcode,
                         unsigned rm, unsigned rn, unsigned rd, bool scalar);
ExecStatus simd_3same_fp16(CPUState *cpu, bool q, bool u, bool a, unsigned opcode,
                           unsigned rm, unsigned rn, unsigned rd, bool scalar);

/*
 * FMLAL/FMLSL/FMLAL2/FMLSL2 (FEAT_FHM): Vd.2S/4S += (-)Vn.H * Vm.H over the
 * low (part 0) or high (part 1) half of the half-precision inputs; mindex < 0:
 * vector form, else the by-element lane of Vm.
 */
ExecStatus simd_fmlal(CPUState *cpu, bool q, unsigned part, bool sub, unsigned rm, unsigned rn,
                      unsigned rd, int mindex);
static inline bool cpu_has_fhm(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR0_EL1, 48) != 0;
}

#endif
