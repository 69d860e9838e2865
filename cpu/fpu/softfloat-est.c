/*
 * Reciprocal and reciprocal square-root estimates (Arm ARM FPRecipEstimate,
 * FPRSqrtEstimate, FPRecpX, UnsignedRecipEstimate, UnsignedRSqrtEstimate,
 * with the RecipEstimate/RecipSqrtEstimate integer algorithms; FEAT_RPRES
 * absent). Bit-exact by construction: the same integer steps as the
 * pseudocode.
 */
#include "cpu/fpu/softfloat.h"
#include "cpu/fpu/softfloat-int.h"

/* RecipEstimate: a in [256, 511] (0.5 <= x < 1.0) -> [256, 511]. */
static unsigned recip_estimate(unsigned a)
{
    a = a * 2 + 1;
    unsigned b = (1u << 19) / a;
    return (b + 1) / 2;
}

/* RecipSqrtEstimate: a in [128, 511] (0.25 <= x < 1.0) -> [256, 511]. */
static unsigned recip_sqrt_estimate(unsigned a)
{
    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    uint64_t b = 512;
    while ((uint64_t)a * (b + 1) * (b + 1) < (1ULL << 28)) {
        b++;
    }
    return (unsigned)((b + 1) / 2);
}

/* The operand's fraction left-aligned to 52 bits, and its biased exponent. */
static void est_split(FPFmt f, uint64_t x, uint64_t *fraction, int *exp)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    *fraction = (x & MASK64(fi->F)) << (52 - fi->F);
    *exp = (int)((x >> fi->F) & MASK64(fi->E));
}

uint64_t fp_recip_estimate(FPCtx *c, FPFmt f, uint64_t a)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    FPUnpacked u = fp_unpack(c, f, a, false);
    if (fp_type_is_nan(u.type)) {
        return fp_process_nan(c, f, u.type, a);
    }
    if (u.type == FPT_INF) {
        return fp_zero(f, u.sign);
    }
    if (u.type == FPT_ZERO) {
        c->flags |= FPSR_DZC;
        return fp_infinity(f, u.sign);
    }
    /* log2 of |value| rounded down */
    int l2 = u.exp + (63 - clz64(u.mant));
    int tiny = f == FP16 ? -16 : f == FP32 ? -128 : -1024;
    if (l2 < tiny) {
        bool to_inf;
        switch (c->rmode) {
        case FPR_POSINF: to_inf = !u.sign; break;
        case FPR_NEGINF: to_inf = u.sign; break;
        case FPR_ZERO: to_inf = false; break;
        default: to_inf = true; break;
        }
        c->flags |= FPSR_OFC | FPSR_IXC;
        return to_inf ? fp_infinity(f, u.sign) : fp_max_normal(f, u.sign);
    }
    bool fz = f == FP16 ? (c->fpcr & FPCR_FZ16) != 0 : (c->fpcr & FPCR_FZ) != 0;
    int big = f == FP16 ? 14 : f == FP32 ? 126 : 1022;
    if (fz && l2 >= big) {
        c->flags |= FPSR_UFC;
        return fp_zero(f, u.sign);
    }
    uint64_t fraction;
    int exp;
    est_split(f, a, &fraction, &exp);
    if (exp == 0) {
        if (!((fraction >> 51) & 1)) {
            exp = -1;
            fraction = (fraction << 2) & MASK64(52);
        } else {
            fraction = (fraction << 1) & MASK64(52);
        }
    }
    unsigned scaled = 256 | (unsigned)(fraction >> 44);
    int result_exp = (f == FP16 ? 29 : f == FP32 ? 253 : 2045) - exp;
    unsigned estimate = recip_estimate(scaled);
    fraction = (uint64_t)(estimate & 0xff) << 44;
    if (result_exp == 0) {
        fraction = (1ULL << 51) | (fraction >> 1);
    } else if (result_exp == -1) {
        fraction = (1ULL << 50) | (fraction >> 2);
        result_exp = 0;
    }
    return fp_zero(f, u.sign) | ((uint64_t)result_exp << fi->F) | (fraction >> (52 - fi->F));
}

uint64_t fp_rsqrt_estimate(FPCtx *c, FPFmt f, uint64_t a)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    FPUnpacked u = fp_unpack(c, f, a, false);
    if (fp_type_is_nan(u.type)) {
        return fp_process_nan(c, f, u.type, a);
    }
    if (u.type == FPT_ZERO) {
        c->flags |= FPSR_DZC;
        return fp_infinity(f, u.sign);
    }
    if (u.sign) {
        c->flags |= FPSR_IOC;
        return fp_default_nan(f);
    }
    if (u.type == FPT_INF) {
        return fp_zero(f, false);
    }
    uint64_t fraction;
    int exp;
    est_split(f, a, &fraction, &exp);
    if (exp == 0) {
        while (!((fraction >> 51) & 1)) {
            fraction = (fraction << 1) & MASK64(52);
            exp--;
        }
        fraction = (fraction << 1) & MASK64(52);
    }
    unsigned scaled = (exp & 1) == 0 ? 256 | (unsigned)(fraction >> 44)
                                     : 128 | (unsigned)(fraction >> 45);
    int result_exp = ((f == FP16 ? 44 : f == FP32 ? 380 : 3068) - exp) / 2;
    unsigned estimate = recip_sqrt_estimate(scaled);
    return ((uint64_t)result_exp << fi->F) | ((uint64_t)(estimate & 0xff) << (fi->F - 8));
}

uint64_t fp_recpx(FPCtx *c, FPFmt f, uint64_t a)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    FPUnpacked u = fp_unpack(c, f, a, false);
    if (fp_type_is_nan(u.type)) {
        return fp_process_nan(c, f, u.type, a);
    }
    uint64_t exp = (a >> fi->F) & MASK64(fi->E);
    uint64_t rexp = exp == 0 ? MASK64(fi->E) - 1 : (~exp & MASK64(fi->E));
    return fp_zero(f, u.sign) | (rexp << fi->F);
}

uint32_t fp_urecpe(uint32_t a)
{
    if (!(a >> 31)) {
        return 0xffffffffu;
    }
    return (uint32_t)recip_estimate(a >> 23) << 23;
}

uint32_t fp_ursqrte(uint32_t a)
{
    if (!(a >> 30)) {
        return 0xffffffffu;
    }
    return (uint32_t)recip_sqrt_estimate(a >> 23) << 23;
}
