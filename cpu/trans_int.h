/*
 * Shared helpers for the integer handlers (trans_dp_*.c, trans_branch.c):
 * Arm ARM AddWithCarry, ShiftReg, ExtendReg and the feature tests these
 * instructions depend on. Internal to the cpu-int files.
 */
#ifndef TANDEM_CPU_TRANS_INT_H
#define TANDEM_CPU_TRANS_INT_H

#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "cpu/features.h"
#include "decode-a64.h"

/* --- feature tests: cpu/features.h reads the advertised ID registers --- */
static inline bool feat_crc32(const CPUState *cpu)
{
    return ID_FIELD(cpu, ID_AA64ISAR0_EL1, 16) >= 1;
}
static inline bool feat_hbc(const CPUState *cpu)
{
    return ID_FIELD(cpu, ID_AA64ISAR2_EL1, 20) >= 1;   /* BC */
}
#define feat_flagm cpu_have_flagm
#define feat_pauth cpu_have_pauth
#define feat_bti cpu_have_bti

/*
 * ConditionHolds(cond) without branches: bit (NZCV as a 4-bit number) of a
 * 16-bit mask per condition (same results as cpu_cond_holds()).
 */
static inline bool int_cond_holds(const CPUState *cpu, unsigned cond)
{
    static const uint16_t cond_mask[16] = {
        0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
        0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,
    };
    return (cond_mask[cond] >> (cpu->nzcv >> 28)) & 1;
}

/* Write a result of datasize 32 (zero-extended) or 64 bits. */
static inline uint64_t int_trunc(bool sf, uint64_t v)
{
    return sf ? v : (uint32_t)v;
}

/* AddWithCarry(x, y, carry) at 32 or 64 bits; sets NZCV when setflags. */
static inline uint64_t int_add_with_carry(CPUState *cpu, bool sf, uint64_t x, uint64_t y,
                                          unsigned carry, bool setflags)
{
    if (sf) {
        uint64_t r = x + y + carry;
        if (setflags) {
            uint32_t f = (uint32_t)(r >> 63) << 31;
            f |= (uint32_t)(r == 0) << 30;
            f |= (uint32_t)(carry ? r <= x : r < x) << 29;
            f |= (uint32_t)(((x ^ r) & (y ^ r)) >> 63) << 28;
            cpu->nzcv = f;
        }
        return r;
    }
    uint32_t x32 = (uint32_t)x, y32 = (uint32_t)y;
    uint64_t wide = (uint64_t)x32 + y32 + carry;
    uint32_t r = (uint32_t)wide;
    if (setflags) {
        uint32_t f = (r >> 31) << 31;
        f |= (uint32_t)(r == 0) << 30;
        f |= (uint32_t)(wide >> 32) << 29;
        f |= (((x32 ^ r) & (y32 ^ r)) >> 31) << 28;
        cpu->nzcv = f;
    }
    return r;
}

/*
 * ADD/ADDS/SUB/SUBS (immediate, extended register), where Rn is SP-capable:
 * without S, Rd|SP = Rn|SP +/- m; with S, Rd (XZR-capable) = AddWithCarry(n, m, 0)
 * or AddWithCarry(n, NOT(m), 1) and NZCV set.
 */
static inline void int_addsub_sp(CPUState *cpu, bool sf, bool setflags, bool sub, unsigned rd, uint64_t n,
                                 uint64_t m)
{
    if (setflags) {
        cpu_set_reg(cpu, rd, int_add_with_carry(cpu, sf, n, sub ? ~m : m, sub, true));
    } else {
        cpu_set_reg_sp(cpu, rd, int_trunc(sf, sub ? n - m : n + m));
    }
}

/* NZ from a logical result, C = V = 0 (ANDS/BICS/TST). */
static inline void int_set_nz(CPUState *cpu, bool sf, uint64_t r)
{
    if (sf) {
        cpu->nzcv = ((uint32_t)(r >> 63) << 31) | ((uint32_t)(r == 0) << 30);
    } else {
        cpu->nzcv = (((uint32_t)r >> 31) << 31) | ((uint32_t)((uint32_t)r == 0) << 30);
    }
}

static inline uint64_t int_ror(bool sf, uint64_t v, unsigned amount)
{
    if (sf) {
        amount &= 63;
        return amount ? (v >> amount) | (v << (64 - amount)) : v;
    }
    uint32_t w = (uint32_t)v;
    amount &= 31;
    return amount ? (uint32_t)((w >> amount) | (w << (32 - amount))) : w;
}

/* ShiftReg: shift type 0 LSL, 1 LSR, 2 ASR, 3 ROR; amount < datasize. */
static inline uint64_t int_shift(bool sf, uint64_t v, unsigned type, unsigned amount)
{
    switch (type) {
    case 0: return int_trunc(sf, v << amount);
    case 1: return int_trunc(sf, v) >> amount;
    case 2: return sf ? (uint64_t)((int64_t)v >> amount) : (uint32_t)((int32_t)(uint32_t)v >> amount);
    default: return int_ror(sf, v, amount);
    }
}

/* ExtendReg(m, option, shift): UXTB..SXTX then LSL by shift (0..4). */
static inline uint64_t int_extend(uint64_t v, unsigned option, unsigned shift)
{
    switch (option) {
    case 0: v = (uint8_t)v; break;
    case 1: v = (uint16_t)v; break;
    case 2: v = (uint32_t)v; break;
    case 3: break;
    case 4: v = (uint64_t)(int64_t)(int8_t)v; break;
    case 5: v = (uint64_t)(int64_t)(int16_t)v; break;
    case 6: v = (uint64_t)(int64_t)(int32_t)v; break;
    default: break;
    }
    return v << shift;
}

/* PSTATE.BTYPE after BR-class (BR, BRAA...) and BLR-class branches (trans_branch.c). */
uint32_t branch_br_btype(CPUState *cpu, unsigned n);
uint32_t branch_blr_btype(const CPUState *cpu);

/* Shared by the decoder-coverage test and the difftest. */
bool int_decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate,
                          unsigned datasize, uint64_t *wmask, uint64_t *tmask);

#endif
