/*
 * Soft-float core: unpack, round, arithmetic, compare, min/max.
 * Follows the Arm ARM pseudocode (FPUnpackBase, FPRoundBase, FPProcessNaNs,
 * FPAdd, FPMul, FPMulAdd, FPDiv, FPSqrt, FPMax, FPMaxNum, FPCompare), with
 * FEAT_AFP absent. Exact results use 128-bit integer significands.
 */
#include "cpu/fpu/softfloat.h"
#include "cpu/fpu/softfloat-int.h"
#include "cpu/fpu/softfloat-fast.h"

/* Host fast paths need the host rounding to nearest (Tandem never changes it). */
bool fp_fast_enabled;

__attribute__((constructor)) static void fp_fast_init(void)
{
    fp_fast_enabled = fegetround() == FE_TONEAREST;
}

const FPFmtInfo fp_fmt_info[5] = {
    [FP16] = { 16, 5, 10, -14 },
    [FP32] = { 32, 8, 23, -126 },
    [FP64] = { 64, 11, 52, -1022 },
    [BF16] = { 16, 8, 7, -126 },
};

uint64_t fp_default_nan(FPFmt f)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    return (MASK64(fi->E) << fi->F) | (1ULL << (fi->F - 1));
}

uint64_t fp_zero(FPFmt f, bool sign)
{
    return (uint64_t)sign << (fp_fmt_info[f].N - 1);
}

uint64_t fp_infinity(FPFmt f, bool sign)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    return fp_zero(f, sign) | (MASK64(fi->E) << fi->F);
}

uint64_t fp_max_normal(FPFmt f, bool sign)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    return fp_zero(f, sign) | ((MASK64(fi->E) - 1) << fi->F) | MASK64(fi->F);
}

bool fp_is_nan(FPFmt f, uint64_t x)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    return ((x >> fi->F) & MASK64(fi->E)) == MASK64(fi->E) && (x & MASK64(fi->F)) != 0;
}

uint64_t fp_neg(FPFmt f, uint64_t a)
{
    return a ^ fp_zero(f, true);
}

uint64_t fp_abs(FPFmt f, uint64_t a)
{
    return a & ~fp_zero(f, true);
}

/* FPUnpackBase. ahp selects the alternative half-precision format (CV only). */
FPUnpacked fp_unpack(FPCtx *c, FPFmt f, uint64_t x, bool cv)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    FPUnpacked u;
    uint64_t e = (x >> fi->F) & MASK64(fi->E);
    uint64_t frac = x & MASK64(fi->F);
    u.sign = (x >> (fi->N - 1)) & 1;
    u.exp = 0;
    u.mant = 0;
    if (e == 0) {
        if (frac == 0) {
            u.type = FPT_ZERO;
        } else if (f == FP16 ? (!cv && (c->fpcr & FPCR_FZ16)) : (c->fpcr & FPCR_FZ) != 0) {
            /* Flushed input; only single/double raise Input Denormal. */
            u.type = FPT_ZERO;
            if (f != FP16) {
                c->flags |= FPSR_IDC;
            }
        } else {
            u.type = FPT_DENORMAL;
            u.mant = frac;
            u.exp = fi->min_exp - (int)fi->F;
        }
    } else if (e == MASK64(fi->E) && !(f == FP16 && cv && (c->fpcr & FPCR_AHP))) {
        if (frac == 0) {
            u.type = FPT_INF;
        } else {
            u.type = (frac >> (fi->F - 1)) & 1 ? FPT_QNAN : FPT_SNAN;
        }
    } else {
        u.type = FPT_NONZERO;
        u.mant = frac | (1ULL << fi->F);
        u.exp = (int)e + fi->min_exp - 1 - (int)fi->F;
    }
    return u;
}

/* FPProcessNaN. */
uint64_t fp_process_nan(FPCtx *c, FPFmt f, FPType t, uint64_t x)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    if (t == FPT_SNAN) {
        x |= 1ULL << (fi->F - 1);
        c->flags |= FPSR_IOC;
    }
    if (c->fpcr & FPCR_DN) {
        x = fp_default_nan(f);
    }
    return x;
}

/* FPProcessNaNs: signalling NaNs first, then quiet, in operand order. */
bool fp_process_nans(FPCtx *c, FPFmt f, const FPUnpacked *u1, uint64_t a,
                     const FPUnpacked *u2, uint64_t b, uint64_t *res)
{
    if (u1->type == FPT_SNAN) {
        *res = fp_process_nan(c, f, u1->type, a);
    } else if (u2->type == FPT_SNAN) {
        *res = fp_process_nan(c, f, u2->type, b);
    } else if (u1->type == FPT_QNAN) {
        *res = fp_process_nan(c, f, u1->type, a);
    } else if (u2->type == FPT_QNAN) {
        *res = fp_process_nan(c, f, u2->type, b);
    } else {
        return false;
    }
    return true;
}

static bool fp_process_nans3(FPCtx *c, FPFmt f, const FPUnpacked *u1, uint64_t a,
                             const FPUnpacked *u2, uint64_t b,
                             const FPUnpacked *u3, uint64_t d, uint64_t *res)
{
    if (u1->type == FPT_SNAN) {
        *res = fp_process_nan(c, f, u1->type, a);
    } else if (u2->type == FPT_SNAN) {
        *res = fp_process_nan(c, f, u2->type, b);
    } else if (u3->type == FPT_SNAN) {
        *res = fp_process_nan(c, f, u3->type, d);
    } else if (u1->type == FPT_QNAN) {
        *res = fp_process_nan(c, f, u1->type, a);
    } else if (u2->type == FPT_QNAN) {
        *res = fp_process_nan(c, f, u2->type, b);
    } else if (u3->type == FPT_QNAN) {
        *res = fp_process_nan(c, f, u3->type, d);
    } else {
        return false;
    }
    return true;
}

static inline int clz128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? __builtin_clzll(hi) : 64 + clz64((uint64_t)x);
}

/*
 * FPRoundBase: round mant * 2^exp (mant != 0) to format f. cv selects
 * FPRoundCV (FZ16 ignored, FPCR.AHP honoured for half).
 */
uint64_t fp_round(FPCtx *c, FPFmt f, bool sign, int exp, u128 mant, FPRounding r, bool cv)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    int lz = clz128(mant);
    mant <<= lz;
    int exponent = exp - lz + 127;       /* 1.0 <= mantissa < 2.0 scaling */
    bool fz = f == FP16 ? (!cv && (c->fpcr & FPCR_FZ16)) : (c->fpcr & FPCR_FZ) != 0;
    bool ahp = f == FP16 && cv && (c->fpcr & FPCR_AHP);

    if (fz && exponent < fi->min_exp) {
        /* Flush-to-zero of the output: tininess is detected before rounding. */
        c->flags |= FPSR_UFC;
        return fp_zero(f, sign);
    }
    int biased = exponent - fi->min_exp + 1;
    int shift = 127 - (int)fi->F;
    if (biased <= 0) {
        shift += 1 - biased;
        biased = 0;
    }
    uint64_t int_mant;
    int rc;     /* the error: 0 none, 1 below half, 2 half, 3 above half */
    if (shift >= 129) {
        int_mant = 0;
        rc = 1;
    } else if (shift == 128) {
        int_mant = 0;
        rc = mant == (u128)1 << 127 ? 2 : 3;
    } else {
        int_mant = (uint64_t)(mant >> shift);
        u128 rem = mant & (((u128)1 << shift) - 1);
        u128 half = (u128)1 << (shift - 1);
        rc = rem == 0 ? 0 : rem < half ? 1 : rem == half ? 2 : 3;
    }
    bool inexact = rc != 0;
    if (biased == 0 && inexact) {
        c->flags |= FPSR_UFC;
    }
    bool round_up, overflow_to_inf;
    switch (r) {
    case FPR_TIEEVEN:
        round_up = rc == 3 || (rc == 2 && (int_mant & 1));
        overflow_to_inf = true;
        break;
    case FPR_TIEAWAY:
        round_up = rc >= 2;
        overflow_to_inf = true;
        break;
    case FPR_POSINF:
        round_up = inexact && !sign;
        overflow_to_inf = !sign;
        break;
    case FPR_NEGINF:
        round_up = inexact && sign;
        overflow_to_inf = sign;
        break;
    case FPR_ODD_INF:
        round_up = false;
        overflow_to_inf = true;
        break;
    default:
        round_up = false;
        overflow_to_inf = false;
        break;
    }
    if (round_up) {
        int_mant++;
        if (int_mant == 1ULL << fi->F) {
            biased = 1;        /* denormal rounded up to the smallest normal */
        }
        if (int_mant == 2ULL << fi->F) {
            biased++;
            int_mant >>= 1;
        }
    }
    if (inexact && (r == FPR_ODD || r == FPR_ODD_INF)) {
        int_mant |= 1;
    }
    uint64_t result;
    if (!ahp) {
        if (biased >= (int)MASK64(fi->E)) {
            result = overflow_to_inf ? fp_infinity(f, sign) : fp_max_normal(f, sign);
            c->flags |= FPSR_OFC;
            inexact = true;
        } else {
            result = fp_zero(f, sign) | ((uint64_t)biased << fi->F) | (int_mant & MASK64(fi->F));
        }
    } else {
        if (biased >= 1 << fi->E) {
            result = fp_zero(f, sign) | 0x7fff;
            c->flags |= FPSR_IOC;
            inexact = false;
        } else {
            result = fp_zero(f, sign) | ((uint64_t)biased << fi->F) | (int_mant & MASK64(fi->F));
        }
    }
    if (inexact) {
        c->flags |= FPSR_IXC;
    }
    return result;
}

static inline u128 shr_jam(u128 x, int n)
{
    if (n <= 0) {
        return x;
    }
    if (n >= 128) {
        return x != 0;
    }
    return (x >> n) | ((x & (((u128)1 << n) - 1)) != 0);
}

/*
 * Round the exact sum (-1)^s1 m1 2^e1 + (-1)^s2 m2 2^e2, significands of up to
 * 120 bits. An exact zero gives the rounding-mode zero (FPAdd's rule).
 */
uint64_t fp_add_exact(FPCtx *c, FPFmt f, bool s1, int e1, u128 m1,
                      bool s2, int e2, u128 m2, FPRounding r)
{
    if (m1 == 0 && m2 == 0) {
        return fp_zero(f, r == FPR_NEGINF);
    }
    if (m1 == 0) {
        return fp_round(c, f, s2, e2, m2, r, false);
    }
    if (m2 == 0) {
        return fp_round(c, f, s1, e1, m1, r, false);
    }
    /* Leading bits to bit 125: two spare bits for the carry. */
    int l1 = clz128(m1) - 2, l2 = clz128(m2) - 2;
    m1 <<= l1;
    e1 -= l1;
    m2 <<= l2;
    e2 -= l2;
    if (e1 < e2 || (e1 == e2 && m1 < m2)) {
        u128 tm = m1; m1 = m2; m2 = tm;
        int te = e1; e1 = e2; e2 = te;
        bool ts = s1; s1 = s2; s2 = ts;
    }
    m2 = shr_jam(m2, e1 - e2);
    u128 sum = s1 == s2 ? m1 + m2 : m1 - m2;
    if (sum == 0) {
        return fp_zero(f, r == FPR_NEGINF);
    }
    return fp_round(c, f, s1, e1, sum, r, false);
}

static uint64_t fp_add_sub(FPCtx *c, FPFmt f, uint64_t a, uint64_t b, bool sub)
{
    uint64_t fast;
    if (f == FP32 ? sf_add32(c, a, b, sub, &fast) : f == FP64 && sf_add64(c, a, b, sub, &fast)) {
        return fast;
    }
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    uint64_t res;
    if (fp_process_nans(c, f, &u1, a, &u2, b, &res)) {
        return res;
    }
    bool s2 = u2.sign ^ sub;
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    if (inf1 && inf2 && u1.sign != s2) {
        c->flags |= FPSR_IOC;
        return fp_default_nan(f);
    }
    if (inf1 || inf2) {
        return fp_infinity(f, inf1 ? u1.sign : s2);
    }
    if (u1.type == FPT_ZERO && u2.type == FPT_ZERO && u1.sign == s2) {
        return fp_zero(f, u1.sign);
    }
    return fp_add_exact(c, f, u1.sign, u1.exp, u1.mant, s2, u2.exp, u2.mant, c->rmode);
}

uint64_t fp_add(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_add_sub(c, f, a, b, false);
}

uint64_t fp_sub(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_add_sub(c, f, a, b, true);
}

static uint64_t fp_mul_common(FPCtx *c, FPFmt f, uint64_t a, uint64_t b, bool mulx)
{
    uint64_t fast;
    if (f == FP32 ? sf_mul32(c, a, b, &fast) : f == FP64 && sf_mul64(c, a, b, &fast)) {
        return fast;     /* normal operands: FMULX behaves as FMUL */
    }
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    uint64_t res;
    if (fp_process_nans(c, f, &u1, a, &u2, b, &res)) {
        return res;
    }
    bool sign = u1.sign ^ u2.sign;
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    if ((inf1 && zero2) || (zero1 && inf2)) {
        if (mulx) {
            /* FPMulX: infinity * zero is 2.0 with the product's sign. */
            return fp_zero(f, sign) | (1ULL << (fp_fmt_info[f].N - 2));
        }
        c->flags |= FPSR_IOC;
        return fp_default_nan(f);
    }
    if (inf1 || inf2) {
        return fp_infinity(f, sign);
    }
    if (zero1 || zero2) {
        return fp_zero(f, sign);
    }
    return fp_round(c, f, sign, u1.exp + u2.exp, (u128)u1.mant * u2.mant, c->rmode, false);
}

uint64_t fp_mul(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_mul_common(c, f, a, b, false);
}

uint64_t fp_mulx(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_mul_common(c, f, a, b, true);
}

uint64_t fp_div(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    uint64_t fast;
    if (f == FP32 && sf_div32(c, a, b, &fast)) {
        return fast;
    }
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    uint64_t res;
    if (fp_process_nans(c, f, &u1, a, &u2, b, &res)) {
        return res;
    }
    bool sign = u1.sign ^ u2.sign;
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    if ((inf1 && inf2) || (zero1 && zero2)) {
        c->flags |= FPSR_IOC;
        return fp_default_nan(f);
    }
    if (inf1 || zero2) {
        if (!inf1) {
            c->flags |= FPSR_DZC;
        }
        return fp_infinity(f, sign);
    }
    if (zero1 || inf2) {
        return fp_zero(f, sign);
    }
    int l = clz64(u1.mant) + 63;     /* dividend bit 126: q << 1 fits */
    u128 n = (u128)u1.mant << l;
    u128 q = n / u2.mant;
    bool sticky = (n % u2.mant) != 0;
    return fp_round(c, f, sign, u1.exp - l - u2.exp - 1, (q << 1) | sticky, c->rmode, false);
}

/* Integer square root: floor(sqrt(x)), *rem = x - root^2. */
static uint64_t isqrt128(u128 x, u128 *rem)
{
    u128 res = 0, bit = (u128)1 << 126;
    while (bit > x) {
        bit >>= 2;
    }
    while (bit) {
        if (x >= res + bit) {
            x -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    *rem = x;
    return (uint64_t)res;
}

uint64_t fp_sqrt(FPCtx *c, FPFmt f, uint64_t a)
{
    uint64_t fast;
    if (f == FP32 && sf_sqrt32(c, a, &fast)) {
        return fast;
    }
    FPUnpacked u = fp_unpack(c, f, a, false);
    if (u.type == FPT_QNAN || u.type == FPT_SNAN) {
        return fp_process_nan(c, f, u.type, a);
    }
    if (u.type == FPT_ZERO) {
        return fp_zero(f, u.sign);
    }
    if (u.sign) {
        c->flags |= FPSR_IOC;
        return fp_default_nan(f);
    }
    if (u.type == FPT_INF) {
        return fp_infinity(f, false);
    }
    /* Scale the significand to about 2^125 with an even exponent. */
    int k = 125 - (63 - clz64(u.mant));
    if ((u.exp - k) & 1) {
        k++;
    }
    u128 m = (u128)u.mant << k, rem;
    uint64_t root = isqrt128(m, &rem);
    return fp_round(c, f, false, (u.exp - k) / 2 - 1, ((u128)root << 1) | (rem != 0),
                    c->rmode, false);
}

/*
 * The rest of FPMulAdd once the NaN operands are resolved (nan_done/nan_res
 * from FPProcessNaNs3 or its half-precision form): the invalid 0 * inf cases
 * (also with a quiet NaN addend), infinities, exact zeros, then the sum with
 * one rounding. Shared by fp_muladd and fp_muladd_h.
 */
static uint64_t fp_muladd_finish(FPCtx *c, FPFmt f, const FPUnpacked *ua, const FPUnpacked *u1,
                                 const FPUnpacked *u2, bool nan_done, uint64_t nan_res)
{
    bool inf1 = u1->type == FPT_INF, inf2 = u2->type == FPT_INF;
    bool zero1 = u1->type == FPT_ZERO, zero2 = u2->type == FPT_ZERO;
    if (ua->type == FPT_QNAN && ((inf1 && zero2) || (zero1 && inf2))) {
        c->flags |= FPSR_IOC;
        return fp_default_nan(f);
    }
    if (nan_done) {
        return nan_res;
    }
    bool infa = ua->type == FPT_INF, zeroa = ua->type == FPT_ZERO;
    bool signp = u1->sign ^ u2->sign, infp = inf1 || inf2, zerop = zero1 || zero2;
    if ((inf1 && zero2) || (zero1 && inf2) || (infa && infp && ua->sign != signp)) {
        c->flags |= FPSR_IOC;
        return fp_default_nan(f);
    }
    if (infa || infp) {
        return fp_infinity(f, infa ? ua->sign : signp);
    }
    if (zeroa && zerop && ua->sign == signp) {
        return fp_zero(f, ua->sign);
    }
    return fp_add_exact(c, f, ua->sign, ua->exp, ua->mant, signp, u1->exp + u2->exp,
                        (u128)u1->mant * u2->mant, c->rmode);
}

/* FPMulAdd: addend + a * b with a single rounding. */

uint64_t fp_muladd(FPCtx *c, FPFmt f, uint64_t addend, uint64_t a, uint64_t b)
{
    uint64_t fast;
    if (f == FP32 && sf_fma32(c, addend, a, b, &fast)) {
        return fast;
    }
    FPUnpacked ua = fp_unpack(c, f, addend, false);
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    uint64_t res = 0;
    bool done = fp_process_nans3(c, f, &ua, addend, &u1, a, &u2, b, &res);
    return fp_muladd_finish(c, f, &ua, &u1, &u2, done, res);
}

/* Compare two non-NaN unpacked values: -1, 0, 1. */
int fp_cmp_unpacked(const FPUnpacked *x, const FPUnpacked *y)
{
    bool zx = x->type == FPT_ZERO, zy = y->type == FPT_ZERO;
    if (zx && zy) {
        return 0;
    }
    if (x->sign != y->sign) {
        return x->sign ? -1 : 1;
    }
    int neg = x->sign ? -1 : 1;
    if (zx) {
        return -neg;
    }
    if (zy) {
        return neg;
    }
    bool ix = x->type == FPT_INF, iy = y->type == FPT_INF;
    if (ix || iy) {
        return ix == iy ? 0 : ix ? neg : -neg;
    }
    int mx = 63 - clz64(x->mant), my = 63 - clz64(y->mant);
    int ex = x->exp + mx, ey = y->exp + my;
    if (ex != ey) {
        return ex > ey ? neg : -neg;
    }
    uint64_t nx = x->mant << (63 - mx), ny = y->mant << (63 - my);
    return nx == ny ? 0 : nx > ny ? neg : -neg;
}

/* FPMax / FPMin. */
static uint64_t fp_minmax(FPCtx *c, FPFmt f, uint64_t a, uint64_t b, bool is_max)
{
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    uint64_t res;
    if (fp_process_nans(c, f, &u1, a, &u2, b, &res)) {
        return res;
    }
    int cmp = fp_cmp_unpacked(&u1, &u2);
    const FPUnpacked *w = (is_max ? cmp > 0 : cmp < 0) ? &u1 : &u2;
    if (w->type == FPT_INF) {
        return fp_infinity(f, w->sign);
    }
    if (w->type == FPT_ZERO) {
        bool sign = is_max ? (u1.sign && u2.sign) : (u1.sign || u2.sign);
        if (u1.type != FPT_ZERO || u2.type != FPT_ZERO) {
            sign = w->sign;
        }
        return fp_zero(f, sign);
    }
    return fp_round(c, f, w->sign, w->exp, w->mant, c->rmode, false);
}

uint64_t fp_max(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_minmax(c, f, a, b, true);
}

uint64_t fp_min(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_minmax(c, f, a, b, false);
}

/* FPMaxNum / FPMinNum: a single quiet NaN loses against a number. */
static uint64_t fp_minmaxnum(FPCtx *c, FPFmt f, uint64_t a, uint64_t b, bool is_max)
{
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    bool q1 = u1.type == FPT_QNAN, q2 = u2.type == FPT_QNAN;
    if (q1 && !q2) {
        a = fp_infinity(f, is_max);
    } else if (!q1 && q2) {
        b = fp_infinity(f, is_max);
    }
    return fp_minmax(c, f, a, b, is_max);
}

uint64_t fp_maxnum(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_minmaxnum(c, f, a, b, true);
}

uint64_t fp_minnum(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_minmaxnum(c, f, a, b, false);
}

unsigned fp_compare(FPCtx *c, FPFmt f, uint64_t a, uint64_t b, bool signal_nans)
{
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    bool n1 = u1.type == FPT_QNAN || u1.type == FPT_SNAN;
    bool n2 = u2.type == FPT_QNAN || u2.type == FPT_SNAN;
    if (n1 || n2) {
        if (signal_nans || u1.type == FPT_SNAN || u2.type == FPT_SNAN) {
            c->flags |= FPSR_IOC;
        }
        return 0x3;
    }
    int cmp = fp_cmp_unpacked(&u1, &u2);
    return cmp == 0 ? 0x6 : cmp < 0 ? 0x8 : 0x2;
}

bool fp_compare_eq(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    if (u1.type >= FPT_QNAN || u2.type >= FPT_QNAN) {
        if (u1.type == FPT_SNAN || u2.type == FPT_SNAN) {
            c->flags |= FPSR_IOC;
        }
        return false;
    }
    return fp_cmp_unpacked(&u1, &u2) == 0;
}

static int fp_compare_ordered(FPCtx *c, FPFmt f, uint64_t a, uint64_t b, bool *unordered)
{
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    if (u1.type >= FPT_QNAN || u2.type >= FPT_QNAN) {
        c->flags |= FPSR_IOC;
        *unordered = true;
        return 0;
    }
    *unordered = false;
    return fp_cmp_unpacked(&u1, &u2);
}

bool fp_compare_ge(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    bool un;
    int cmp = fp_compare_ordered(c, f, a, b, &un);
    return !un && cmp >= 0;
}

bool fp_compare_gt(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    bool un;
    int cmp = fp_compare_ordered(c, f, a, b, &un);
    return !un && cmp > 0;
}

/* VFPExpandImm. */
uint64_t fp_expand_imm(FPFmt f, uint8_t imm8)
{
    const FPFmtInfo *fi = &fp_fmt_info[f];
    uint64_t sign = imm8 >> 7, b6 = (imm8 >> 6) & 1;
    uint64_t exp = ((b6 ^ 1) << (fi->E - 1)) | ((b6 ? MASK64(fi->E - 3) : 0) << 2) | ((imm8 >> 4) & 3);
    uint64_t frac = (uint64_t)(imm8 & 0xf) << (fi->F - 4);
    return (sign << (fi->N - 1)) | (exp << fi->F) | frac;
}

/*
 * FPRecipStepFused (FRECPS: 2.0 - a*b) and FPRSqrtStepFused
 * (FRSQRTS: (3.0 - a*b) / 2), each with a single rounding.
 */
static uint64_t fp_step_common(FPCtx *c, FPFmt f, uint64_t a, uint64_t b, bool rsqrt)
{
    a = fp_neg(f, a);
    FPUnpacked u1 = fp_unpack(c, f, a, false), u2 = fp_unpack(c, f, b, false);
    uint64_t res;
    if (fp_process_nans(c, f, &u1, a, &u2, b, &res)) {
        return res;
    }
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    const FPFmtInfo *fi = &fp_fmt_info[f];
    if ((inf1 && zero2) || (zero1 && inf2)) {
        /* FPTwo / FPOnePointFive, positive. */
        uint64_t exp_one = MASK64(fi->E - 1);
        return rsqrt ? (exp_one << fi->F) | (1ULL << (fi->F - 1)) : (exp_one + 1) << fi->F;
    }
    if (inf1 || inf2) {
        return fp_infinity(f, u1.sign ^ u2.sign);
    }
    int shift = rsqrt ? -1 : 0;
    u128 pm = zero1 || zero2 ? 0 : (u128)u1.mant * u2.mant;
    return fp_add_exact(c, f, false, rsqrt ? -1 : 1, rsqrt ? 3 : 1, u1.sign ^ u2.sign,
                        u1.exp + u2.exp + shift, pm, c->rmode);
}

uint64_t fp_recip_step(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_step_common(c, f, a, b, false);
}

uint64_t fp_rsqrt_step(FPCtx *c, FPFmt f, uint64_t a, uint64_t b)
{
    return fp_step_common(c, f, a, b, true);
}

/* FPConvertNaN from half to single: sign and payload kept (top bits), quiet. */
static uint64_t fp_nan_h2s(uint64_t h)
{
    return ((h >> 15) & 1) << 31 | 0x7fc00000u | (uint32_t)((h & 0x1ff) << 13);
}

/*
 * FPMulAddH (FMLAL/FMLSL, FEAT_FHM): single-precision addend + half * half
 * with one rounding to single. The halves unpack with FZ16, the addend with
 * FZ; NaNs follow FPProcessNaNs3H (a selected half NaN is processed in half
 * precision, then converted).
 */
uint64_t fp_muladd_h(FPCtx *c, uint64_t addend, uint64_t a, uint64_t b)
{
    FPUnpacked ua = fp_unpack(c, FP32, addend, false);
    FPUnpacked u1 = fp_unpack(c, FP16, a, false), u2 = fp_unpack(c, FP16, b, false);
    uint64_t res = 0;
    bool done = true;
    if (ua.type == FPT_SNAN) {
        res = fp_process_nan(c, FP32, ua.type, addend);
    } else if (u1.type == FPT_SNAN) {
        res = fp_nan_h2s(fp_process_nan(c, FP16, u1.type, a));
    } else if (u2.type == FPT_SNAN) {
        res = fp_nan_h2s(fp_process_nan(c, FP16, u2.type, b));
    } else if (ua.type == FPT_QNAN) {
        res = fp_process_nan(c, FP32, ua.type, addend);
    } else if (u1.type == FPT_QNAN) {
        res = fp_nan_h2s(fp_process_nan(c, FP16, u1.type, a));
    } else if (u2.type == FPT_QNAN) {
        res = fp_nan_h2s(fp_process_nan(c, FP16, u2.type, b));
    } else {
        done = false;
    }
    return fp_muladd_finish(c, FP32, &ua, &u1, &u2, done, res);
}

uint32_t fp_bfdot_add(uint32_t addend, uint16_t a1, uint16_t a2, uint16_t b1, uint16_t b2)
{
    FPCtx bc = { FPCR_FZ | FPCR_DN, FPR_ODD_INF, 0 };     /* flags discarded */
    uint64_t p1 = fp_mul(&bc, FP32, (uint64_t)a1 << 16, (uint64_t)b1 << 16);
    uint64_t p2 = fp_mul(&bc, FP32, (uint64_t)a2 << 16, (uint64_t)b2 << 16);
    uint64_t sum = fp_add(&bc, FP32, p1, p2);
    return (uint32_t)fp_add(&bc, FP32, addend, sum);
}
