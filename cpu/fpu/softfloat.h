/*
 * Soft-float for the A64 FP/AdvSIMD instructions: IEEE 754 half, single and
 * double precision computed with integer arithmetic only, so results never
 * depend on the host FPU mode. Behaviour follows the Arm ARM pseudocode
 * (shared/functions/float: FPUnpack, FPRound, FPProcessNaNs, FPAdd, ...)
 * with FEAT_AFP absent (FPCR.AH/FIZ/NEP are not implemented).
 *
 * Values travel as raw bit patterns in uint64_t (low N bits). Every function
 * takes an FPCtx: the FPCR controls plus the rounding mode in use, and
 * accumulates FPSR cumulative flags in ctx->flags (the caller ORs them into
 * FPSR). Floating-point exception trapping is not implemented (the FPCR trap
 * enable bits are RAZ/WI, see docs/impdef.md), so exceptions only set flags.
 */
#ifndef TANDEM_CPU_FPU_SOFTFLOAT_H
#define TANDEM_CPU_FPU_SOFTFLOAT_H

#include "core/types.h"

/* FPCR fields (Arm ARM D17.2 FPCR). */
#define FPCR_AHP  (1u << 26)
#define FPCR_DN   (1u << 25)
#define FPCR_FZ   (1u << 24)
#define FPCR_RMODE_SHIFT 22
#define FPCR_FZ16 (1u << 19)

/* FPSR cumulative flags. */
#define FPSR_IOC (1u << 0)
#define FPSR_DZC (1u << 1)
#define FPSR_OFC (1u << 2)
#define FPSR_UFC (1u << 3)
#define FPSR_IXC (1u << 4)
#define FPSR_IDC (1u << 7)
#define FPSR_QC  (1u << 27)

/* FPRounding (Arm ARM): values 0-3 match FPCR.RMode encoding. */
typedef enum FPRounding {
    FPR_TIEEVEN = 0,
    FPR_POSINF = 1,
    FPR_NEGINF = 2,
    FPR_ZERO = 3,
    FPR_TIEAWAY = 4,
    FPR_ODD = 5,
    FPR_ODD_INF = 6,    /* round to odd, overflow to infinity (BFloat16 dot products) */
} FPRounding;

/* Formats. The value is log2 of the size in bytes except BF16. */
typedef enum FPFmt {
    FP16 = 1,
    FP32 = 2,
    FP64 = 3,
    BF16 = 4,           /* BFloat16: single's exponent, 7 fraction bits (conversions only) */
} FPFmt;

typedef struct FPCtx {
    uint32_t fpcr;
    FPRounding rmode;   /* rounding used by arithmetic: normally FPCR.RMode */
    uint32_t flags;     /* FPSR_* raised */
} FPCtx;

static inline FPCtx fp_ctx(uint32_t fpcr)
{
    FPCtx c = { fpcr, (FPRounding)((fpcr >> FPCR_RMODE_SHIFT) & 3), 0 };
    return c;
}

/*
 * Host-FPU fast paths for normal operands in round-to-nearest (exact same
 * results and flags as the integer path; see softfloat-fast.h). Enabled when
 * the host rounds to nearest; tests turn it off to compare both paths.
 */
extern bool fp_fast_enabled;

/* Operand classes (FPType). */
typedef enum FPType {
    FPT_ZERO, FPT_DENORMAL, FPT_NONZERO, FPT_INF, FPT_QNAN, FPT_SNAN
} FPType;

/* An unpacked operand: for finite non-zero values, value = mant * 2^exp. */
typedef struct FPUnpacked {
    FPType type;
    bool sign;
    int32_t exp;
    uint64_t mant;
} FPUnpacked;

/* Format constants. */
static inline unsigned fp_bits(FPFmt f) { return f == BF16 ? 16 : 8u << f; }
uint64_t fp_default_nan(FPFmt f);
uint64_t fp_zero(FPFmt f, bool sign);
uint64_t fp_infinity(FPFmt f, bool sign);
uint64_t fp_max_normal(FPFmt f, bool sign);
bool fp_is_nan(FPFmt f, uint64_t x);

/* FPUnpack (cv: FPUnpackCV, FZ16 ignored; ahp: alternative half format). */
FPUnpacked fp_unpack(FPCtx *c, FPFmt f, uint64_t x, bool cv);

/* Arithmetic (FPAdd, FPSub, FPMul, FPDiv, FPSqrt, FPMulAdd: addend + op1*op2). */
uint64_t fp_add(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
uint64_t fp_sub(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
uint64_t fp_mul(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
uint64_t fp_mulx(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);     /* FMULX: inf*0 = 2.0 */
uint64_t fp_div(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
uint64_t fp_sqrt(FPCtx *c, FPFmt f, uint64_t a);
uint64_t fp_muladd(FPCtx *c, FPFmt f, uint64_t addend, uint64_t a, uint64_t b);
/* FPMulAddH (FMLAL/FMLSL): single addend + half a * half b. */
uint64_t fp_muladd_h(FPCtx *c, uint64_t addend, uint64_t a, uint64_t b);
uint64_t fp_neg(FPFmt f, uint64_t a);
uint64_t fp_abs(FPFmt f, uint64_t a);

/* FPMax/FPMin/FPMaxNum/FPMinNum. */
uint64_t fp_max(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
uint64_t fp_min(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
uint64_t fp_maxnum(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
uint64_t fp_minnum(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);

/* FPCompare: NZCV in bits 3:0 (N=8, Z=4, C=2, V=1). */
unsigned fp_compare(FPCtx *c, FPFmt f, uint64_t a, uint64_t b, bool signal_nans);
/* FPCompareEQ/GE/GT for the vector compares. */
bool fp_compare_eq(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
bool fp_compare_ge(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
bool fp_compare_gt(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);

/* FPRoundInt (exact: FRINTX raises Inexact) and FPRoundIntN (FRINT32/64). */
uint64_t fp_round_int(FPCtx *c, FPFmt f, uint64_t a, FPRounding r, bool exact);
uint64_t fp_round_int_n(FPCtx *c, FPFmt f, uint64_t a, FPRounding r, unsigned intsize);

/*
 * FPToFixed: to a signed/unsigned integer of ibits (32 or 64) with fbits
 * fraction bits, saturating. Returns the value zero-extended from ibits.
 */
uint64_t fp_to_fixed(FPCtx *c, FPFmt f, uint64_t a, unsigned fbits, bool is_unsigned,
                     FPRounding r, unsigned ibits);
/* FixedToFP: the integer (ibits wide, sign per is_unsigned) / 2^fbits. */
uint64_t fp_from_fixed(FPCtx *c, FPFmt f, uint64_t v, unsigned fbits, bool is_unsigned,
                       FPRounding r, unsigned ibits);
/* FPToFixedJS (FJCVTZS): 32-bit result, *z = the Z flag. */
uint32_t fp_to_fixed_js(FPCtx *c, uint64_t a, bool *z);

/* FPConvert between formats (FCVT), FPCR.AHP honoured for half. */
uint64_t fp_convert(FPCtx *c, FPFmt to, FPFmt from, uint64_t a, FPRounding r);

/* FPRecipStepFused (2 - a*b) and FPRSqrtStepFused ((3 - a*b)/2), fused. */
uint64_t fp_recip_step(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);
uint64_t fp_rsqrt_step(FPCtx *c, FPFmt f, uint64_t a, uint64_t b);

/* FPRecipEstimate, FPRSqrtEstimate, FPRecpX; URECPE/URSQRTE lanes. */
uint64_t fp_recip_estimate(FPCtx *c, FPFmt f, uint64_t a);
uint64_t fp_rsqrt_estimate(FPCtx *c, FPFmt f, uint64_t a);
uint64_t fp_recpx(FPCtx *c, FPFmt f, uint64_t a);
uint32_t fp_urecpe(uint32_t a);
uint32_t fp_ursqrte(uint32_t a);

/*
 * BFDotAdd without FEAT_EBF16: addend + (a1*b1 + a2*b2), each step rounded
 * to odd (overflow to infinity), denormals flushed, default NaN, no FPSR
 * flags (BFDOT, BFMMLA).
 */
uint32_t fp_bfdot_add(uint32_t addend, uint16_t a1, uint16_t a2, uint16_t b1, uint16_t b2);

/* VFPExpandImm: 8-bit FMOV immediate to the format. */
uint64_t fp_expand_imm(FPFmt f, uint8_t imm8);

#endif
