/*
 * Soft-float conversions: FPRoundInt, FPRoundIntN, FPToFixed, FixedToFP,
 * FPToFixedJS, FPConvert (Arm ARM shared/functions/float).
 */
#include "cpu/fpu/softfloat.h"
#include "cpu/fpu/softfloat-int.h"

/*
 * Integer part of mant * 2^exp (magnitude) and the error class of the
 * fraction: 0 exact, 1 below half, 2 half, 3 above half. *big is set when the
 * magnitude is at least 2^64 (every caller saturates then).
 */
static u128 fp_int_part(uint64_t mant, int exp, int *rc, bool *big)
{
    *big = false;
    *rc = 0;
    if (exp >= 0) {
        if (exp + (63 - clz64(mant)) >= 64) {
            *big = true;
            return 0;
        }
        return (u128)mant << exp;
    }
    int sh = -exp;
    if (sh > 64) {
        *rc = 1;           /* value < 2^64 * 2^-65 = 0.5 */
        return 0;
    }
    u128 m = mant;
    u128 rem = m & (((u128)1 << sh) - 1);
    u128 half = (u128)1 << (sh - 1);
    *rc = rem == 0 ? 0 : rem < half ? 1 : rem == half ? 2 : 3;
    return m >> sh;
}

/* Does rounding the magnitude mag (with error class rc) go up by one? */
static bool fp_int_round_up(FPRounding r, bool sign, int rc, u128 mag)
{
    switch (r) {
    case FPR_TIEEVEN: return rc == 3 || (rc == 2 && (mag & 1));
    case FPR_TIEAWAY: return rc >= 2;
    case FPR_POSINF: return rc != 0 && !sign;
    case FPR_NEGINF: return rc != 0 && sign;
    default: return false;
    }
}

uint64_t fp_round_int(FPCtx *c, FPFmt f, uint64_t a, FPRounding r, bool exact)
{
    FPUnpacked u = fp_unpack(c, f, a, false);
    if (fp_type_is_nan(u.type)) {
        return fp_process_nan(c, f, u.type, a);
    }
    if (u.type == FPT_INF) {
        return fp_infinity(f, u.sign);
    }
    if (u.type == FPT_ZERO) {
        return fp_zero(f, u.sign);
    }
    if (u.exp >= 0) {
        return a;          /* already integral */
    }
    int rc;
    bool big;
    u128 mag = fp_int_part(u.mant, u.exp, &rc, &big);
    if (fp_int_round_up(r, u.sign, rc, mag)) {
        mag++;
    }
    if (exact && rc) {
        c->flags |= FPSR_IXC;
    }
    if (mag == 0) {
        return fp_zero(f, u.sign);
    }
    return fp_round(c, f, u.sign, 0, mag, FPR_ZERO, false);
}

uint64_t fp_round_int_n(FPCtx *c, FPFmt f, uint64_t a, FPRounding r, unsigned intsize)
{
    FPUnpacked u = fp_unpack(c, f, a, false);
    uint64_t most_neg = fp_round(c, f, true, (int)intsize - 1, 1, FPR_ZERO, false);
    if (fp_type_is_nan(u.type) || u.type == FPT_INF) {
        c->flags |= FPSR_IOC;
        return most_neg;
    }
    if (u.type == FPT_ZERO) {
        return fp_zero(f, u.sign);
    }
    int rc;
    bool big;
    u128 mag = fp_int_part(u.mant, u.exp, &rc, &big);
    if (fp_int_round_up(r, u.sign, rc, mag)) {
        mag++;
    }
    u128 limit = (u128)1 << (intsize - 1);
    if (big || (u.sign ? mag > limit : mag >= limit)) {
        c->flags |= FPSR_IOC;
        return most_neg;
    }
    if (rc) {
        c->flags |= FPSR_IXC;
    }
    if (mag == 0) {
        return fp_zero(f, u.sign);
    }
    return fp_round(c, f, u.sign, 0, mag, FPR_ZERO, false);
}

uint64_t fp_to_fixed(FPCtx *c, FPFmt f, uint64_t a, unsigned fbits, bool is_unsigned,
                     FPRounding r, unsigned ibits)
{
    FPUnpacked u = fp_unpack(c, f, a, false);
    if (fp_type_is_nan(u.type)) {
        c->flags |= FPSR_IOC;
        return 0;
    }
    if (u.type == FPT_ZERO) {
        return 0;
    }
    int rc = 0;
    bool big = u.type == FPT_INF;
    u128 mag = 0;
    if (!big) {
        mag = fp_int_part(u.mant, u.exp + (int)fbits, &rc, &big);
        if (fp_int_round_up(r, u.sign, rc, mag)) {
            mag++;
        }
    }
    uint64_t mask = MASK64(ibits);
    bool ovf;
    uint64_t sat;
    if (is_unsigned) {
        ovf = big || (u.sign ? mag != 0 : mag > mask);
        sat = u.sign ? 0 : mask;
    } else {
        u128 limit = (u128)1 << (ibits - 1);
        ovf = big || (u.sign ? mag > limit : mag >= limit);
        sat = u.sign ? (1ULL << (ibits - 1)) : (mask >> 1);
    }
    if (ovf) {
        c->flags |= FPSR_IOC;
        return sat;
    }
    if (rc) {
        c->flags |= FPSR_IXC;
    }
    uint64_t v = (uint64_t)mag;
    return (u.sign ? -v : v) & mask;
}

uint64_t fp_from_fixed(FPCtx *c, FPFmt f, uint64_t v, unsigned fbits, bool is_unsigned,
                       FPRounding r, unsigned ibits)
{
    v &= MASK64(ibits);
    bool sign = !is_unsigned && ((v >> (ibits - 1)) & 1);
    uint64_t mag = sign ? (-v & MASK64(ibits)) : v;
    if (sign && mag == 0) {
        mag = 1ULL << 63;   /* INT64_MIN magnitude (ibits == 64) */
    }
    if (mag == 0) {
        return fp_zero(f, false);
    }
    return fp_round(c, f, sign, -(int)fbits, mag, r, false);
}

uint32_t fp_to_fixed_js(FPCtx *c, uint64_t a, bool *z)
{
    FPUnpacked u = fp_unpack(c, FP64, a, false);
    bool zf = true;
    if (fp_type_is_nan(u.type)) {
        c->flags |= FPSR_IOC;
        zf = false;
    }
    uint32_t result = 0;
    if (u.type == FPT_INF) {
        c->flags |= FPSR_IOC;
        *z = false;
        return 0;
    }
    if (u.type == FPT_NONZERO || u.type == FPT_DENORMAL) {
        int rc = 0;
        uint64_t low;       /* truncated magnitude modulo 2^32 */
        bool ovf;
        if (u.exp >= 0) {
            low = u.exp >= 32 ? 0 : (uint64_t)(((u128)u.mant << u.exp) & 0xffffffffu);
            ovf = true;     /* mant >= 2^52 so the magnitude is >= 2^52 */
        } else {
            bool big;
            u128 mag = fp_int_part(u.mant, u.exp, &rc, &big);
            low = (uint64_t)mag & 0xffffffffu;
            ovf = u.sign ? mag > ((u128)1 << 31) : mag >= ((u128)1 << 31);
        }
        result = (uint32_t)(u.sign ? -low : low);
        if (ovf) {
            c->flags |= FPSR_IOC;
            zf = false;
        } else if (rc) {
            c->flags |= FPSR_IXC;
            zf = false;
        }
    } else if (u.type == FPT_ZERO) {
        /* -0.0, and a denormal flushed to zero, do not give Z. */
        if (u.sign || (a & MASK64(52))) {
            zf = false;
        }
    }
    *z = zf;
    return result;
}

/* FPConvertNaN: keep the sign and the top payload bits, quiet. */
static uint64_t fp_convert_nan(FPFmt to, FPFmt from, uint64_t a)
{
    const FPFmtInfo *fi = &fp_fmt_info[from], *ti = &fp_fmt_info[to];
    bool sign = (a >> (fi->N - 1)) & 1;
    uint64_t payload = (a & MASK64(fi->F - 1)) << (52 - fi->F);   /* 51 bits */
    uint64_t frac = (1ULL << (ti->F - 1)) | (payload >> (52 - ti->F));
    return fp_zero(to, sign) | (MASK64(ti->E) << ti->F) | frac;
}

uint64_t fp_convert(FPCtx *c, FPFmt to, FPFmt from, uint64_t a, FPRounding r)
{
    FPUnpacked u = fp_unpack(c, from, a, true);
    bool alt_hp = to == FP16 && (c->fpcr & FPCR_AHP);
    if (fp_type_is_nan(u.type)) {
        uint64_t res;
        if (alt_hp) {
            res = fp_zero(to, u.sign);
        } else if (c->fpcr & FPCR_DN) {
            res = fp_default_nan(to);
        } else {
            res = fp_convert_nan(to, from, a);
        }
        if (u.type == FPT_SNAN || alt_hp) {
            c->flags |= FPSR_IOC;
        }
        return res;
    }
    if (u.type == FPT_INF) {
        if (alt_hp) {
            c->flags |= FPSR_IOC;
            return fp_zero(to, u.sign) | 0x7fff;
        }
        return fp_infinity(to, u.sign);
    }
    if (u.type == FPT_ZERO) {
        return fp_zero(to, u.sign);
    }
    return fp_round(c, to, u.sign, u.exp, u.mant, r, true);
}
