/*
 * Soft-float tests: random operands against the host FPU in round-to-nearest
 * (where IEEE 754 defines one result: add/sub/mul/div/sqrt/fma, conversions),
 * plus hand-picked Arm-specific cases (NaN propagation, FZ, DN, AHP, flags).
 */
#include <glib.h>
#include <math.h>
#include <fenv.h>
#include "cpu/fpu/softfloat.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd64(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Random bit patterns biased towards edge values and close exponents. */
static uint64_t rnd_f64(void)
{
    static const uint64_t edge[] = {
        0, 0x8000000000000000ULL, 1, 0x000fffffffffffffULL, 0x0010000000000000ULL,
        0x7fefffffffffffffULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL,
        0x3ff0000000000000ULL, 0xbff0000000000000ULL, 0x3fe0000000000000ULL,
    };
    uint64_t r = rnd64();
    switch (r & 7) {
    case 0: return edge[(r >> 3) % ARRAY_SIZE(edge)];
    case 1: return rnd64() & 0x800fffffffffffffULL;                       /* denormal */
    case 2: case 3: return (rnd64() & 0x800fffffffffffffULL) | ((0x3f0ULL + ((r >> 8) & 0x1f)) << 52);
    default: return rnd64();
    }
}

static uint32_t rnd_f32(void)
{
    uint64_t r = rnd64();
    switch (r & 7) {
    case 0: return (uint32_t)(rnd64() & 0x807fffff);
    case 1: case 2: return (uint32_t)((rnd64() & 0x807fffff) | ((0x78 + ((r >> 8) & 0xf)) << 23));
    default: return (uint32_t)rnd64();
    }
}

static double d_of(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static uint64_t bits_d(double d) { uint64_t x; memcpy(&x, &d, 8); return x; }
static float f_of(uint32_t x) { float d; memcpy(&d, &x, 4); return d; }
static uint32_t bits_f(float d) { uint32_t x; memcpy(&x, &d, 4); return x; }

static bool nan64(uint64_t x) { return fp_is_nan(FP64, x); }
static bool nan32(uint64_t x) { return fp_is_nan(FP32, x); }

/* Results equal, with any NaN matching any NaN (host NaN rules differ from Arm's). */
#define CHECK64(got, want, what, a, b) do { \
    uint64_t g_ = (got), w_ = (want); \
    if (g_ != w_ && !(nan64(g_) && nan64(w_))) \
        g_error("%s(%016" G_GINT64_MODIFIER "x, %016" G_GINT64_MODIFIER "x): got %016" \
                G_GINT64_MODIFIER "x want %016" G_GINT64_MODIFIER "x", what, (guint64)(a), (guint64)(b), \
                (guint64)g_, (guint64)w_); \
} while (0)
#define CHECK32(got, want, what, a, b) do { \
    uint64_t g_ = (got), w_ = (want); \
    if (g_ != w_ && !(nan32(g_) && nan32(w_))) \
        g_error("%s(%08x, %08x): got %08x want %08x", what, (unsigned)(a), (unsigned)(b), \
                (unsigned)g_, (unsigned)w_); \
} while (0)

#define N_RANDOM 200000

static void test_random_f64(void)
{
    fesetround(FE_TONEAREST);
    for (int i = 0; i < N_RANDOM; i++) {
        uint64_t a = rnd_f64(), b = rnd_f64(), d = rnd_f64();
        FPCtx c = fp_ctx(0);
        volatile double x = d_of(a), y = d_of(b), z = d_of(d);
        CHECK64(fp_add(&c, FP64, a, b), bits_d(x + y), "add64", a, b);
        CHECK64(fp_sub(&c, FP64, a, b), bits_d(x - y), "sub64", a, b);
        CHECK64(fp_mul(&c, FP64, a, b), bits_d(x * y), "mul64", a, b);
        CHECK64(fp_div(&c, FP64, a, b), bits_d(x / y), "div64", a, b);
        CHECK64(fp_sqrt(&c, FP64, a), bits_d(sqrt(x)), "sqrt64", a, 0);
        CHECK64(fp_muladd(&c, FP64, d, a, b), bits_d(fma(x, y, z)), "fma64", a, b);
    }
}

static void test_random_f32(void)
{
    fesetround(FE_TONEAREST);
    for (int i = 0; i < N_RANDOM; i++) {
        uint32_t a = rnd_f32(), b = rnd_f32(), d = rnd_f32();
        FPCtx c = fp_ctx(0);
        volatile float x = f_of(a), y = f_of(b), z = f_of(d);
        CHECK32(fp_add(&c, FP32, a, b), bits_f(x + y), "add32", a, b);
        CHECK32(fp_sub(&c, FP32, a, b), bits_f(x - y), "sub32", a, b);
        CHECK32(fp_mul(&c, FP32, a, b), bits_f(x * y), "mul32", a, b);
        CHECK32(fp_div(&c, FP32, a, b), bits_f(x / y), "div32", a, b);
        CHECK32(fp_sqrt(&c, FP32, a), bits_f(sqrtf(x)), "sqrt32", a, 0);
        CHECK32(fp_muladd(&c, FP32, d, a, b), bits_f(fmaf(x, y, z)), "fma32", a, b);
        /* Conversions: single <-> double, double -> single, to/from integers. */
        CHECK64(fp_convert(&c, FP64, FP32, a, FPR_TIEEVEN), bits_d((double)x), "cvt_s2d", a, 0);
        uint64_t a64 = rnd_f64();
        volatile double dx = d_of(a64);
        CHECK32(fp_convert(&c, FP32, FP64, a64, FPR_TIEEVEN), bits_f((float)dx), "cvt_d2s", a64, 0);
        int64_t iv = (int64_t)rnd64() >> (rnd64() & 63);
        CHECK32(fp_from_fixed(&c, FP32, (uint64_t)iv, 0, false, FPR_TIEEVEN, 64), bits_f((float)iv),
                "scvtf32", (uint64_t)iv, 0);
        CHECK64(fp_from_fixed(&c, FP64, (uint64_t)iv, 0, false, FPR_TIEEVEN, 64), bits_d((double)iv),
                "scvtf64", (uint64_t)iv, 0);
        uint64_t uv = rnd64() >> (rnd64() & 63);
        CHECK64(fp_from_fixed(&c, FP64, uv, 0, true, FPR_TIEEVEN, 64), bits_d((double)uv),
                "ucvtf64", uv, 0);
        if (!isnan(dx) && fabs(dx) < 9e18) {
            g_assert_cmpint((int64_t)fp_to_fixed(&c, FP64, a64, 0, false, FPR_ZERO, 64), ==, (int64_t)dx);
            g_assert_cmpint((int64_t)fp_to_fixed(&c, FP64, a64, 0, false, FPR_TIEEVEN, 64), ==,
                            (int64_t)nearbyint(dx));
            g_assert_cmpint((int64_t)fp_to_fixed(&c, FP64, a64, 0, false, FPR_NEGINF, 64), ==,
                            (int64_t)floor(dx));
            g_assert_cmpint((int64_t)fp_to_fixed(&c, FP64, a64, 0, false, FPR_POSINF, 64), ==,
                            (int64_t)ceil(dx));
            g_assert_cmpint((int64_t)fp_to_fixed(&c, FP64, a64, 0, false, FPR_TIEAWAY, 64), ==,
                            (int64_t)round(dx));
        }
        if (!isnan(dx)) {
            CHECK64(fp_round_int(&c, FP64, a64, FPR_TIEEVEN, false), bits_d(nearbyint(dx)), "frintn", a64, 0);
            CHECK64(fp_round_int(&c, FP64, a64, FPR_ZERO, false), bits_d(trunc(dx)), "frintz", a64, 0);
            CHECK64(fp_round_int(&c, FP64, a64, FPR_NEGINF, false), bits_d(floor(dx)), "frintm", a64, 0);
            CHECK64(fp_round_int(&c, FP64, a64, FPR_POSINF, false), bits_d(ceil(dx)), "frintp", a64, 0);
            CHECK64(fp_round_int(&c, FP64, a64, FPR_TIEAWAY, false), bits_d(round(dx)), "frinta", a64, 0);
        }
    }
}

/* Directed rounding modes against the host's fesetround. */
static void test_random_directed(void)
{
    static const int host_mode[] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO };
    for (unsigned m = 0; m < 4; m++) {
        for (int i = 0; i < N_RANDOM / 4; i++) {
            uint64_t a = rnd_f64(), b = rnd_f64();
            FPCtx c = fp_ctx(m << FPCR_RMODE_SHIFT);
            fesetround(host_mode[m]);
            volatile double x = d_of(a), y = d_of(b);
            volatile double s = x + y, p = x * y, q = x / y;
            fesetround(FE_TONEAREST);
            CHECK64(fp_add(&c, FP64, a, b), bits_d(s), "add64 rm", a, b);
            CHECK64(fp_mul(&c, FP64, a, b), bits_d(p), "mul64 rm", a, b);
            CHECK64(fp_div(&c, FP64, a, b), bits_d(q), "div64 rm", a, b);
        }
    }
}

/* Flags against the host where IEEE and Arm agree (Arm detects tininess before rounding). */
static void test_flags_f64(void)
{
    for (int i = 0; i < N_RANDOM / 2; i++) {
        uint64_t a = rnd_f64(), b = rnd_f64();
        FPCtx c = fp_ctx(0);
        feclearexcept(FE_ALL_EXCEPT);
        volatile double x = d_of(a), y = d_of(b);
        volatile double p = x / y;
        (void)p;
        int hf = fetestexcept(FE_ALL_EXCEPT);
        fp_div(&c, FP64, a, b);
        g_assert_cmpint(!!(c.flags & FPSR_IOC), ==, !!(hf & FE_INVALID));
        g_assert_cmpint(!!(c.flags & FPSR_DZC), ==, !!(hf & FE_DIVBYZERO));
        g_assert_cmpint(!!(c.flags & FPSR_OFC), ==, !!(hf & FE_OVERFLOW));
        g_assert_cmpint(!!(c.flags & FPSR_IXC), ==, !!(hf & FE_INEXACT));
    }
}

static void test_nan_rules(void)
{
    FPCtx c = fp_ctx(0);
    const uint32_t qa = 0x7fc00001, qb = 0xffc00002, sa = 0x7f800003, sb = 0xff800004, one = 0x3f800000;
    /* FPProcessNaNs: signalling first, then the first operand; SNaN is quieted. */
    g_assert_cmphex(fp_add(&c, FP32, qa, qb), ==, qa);
    g_assert_cmphex(c.flags, ==, 0);
    g_assert_cmphex(fp_add(&c, FP32, qa, sb), ==, 0xffc00004);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    g_assert_cmphex(fp_mul(&c, FP32, sa, sb), ==, 0x7fc00003);
    g_assert_cmphex(fp_sub(&c, FP32, one, qb), ==, qb);      /* NaN sign not flipped by sub */
    /* FMA: addend first; a quiet-NaN addend with inf*0 gives the default NaN and IOC. */
    c.flags = 0;
    g_assert_cmphex(fp_muladd(&c, FP32, qa, qb, one), ==, qa);
    g_assert_cmphex(c.flags, ==, 0);
    g_assert_cmphex(fp_muladd(&c, FP32, qa, 0x7f800000, 0), ==, 0x7fc00000);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    /* Default NaN mode. */
    FPCtx dn = fp_ctx(FPCR_DN);
    g_assert_cmphex(fp_add(&dn, FP32, qb, one), ==, 0x7fc00000);
    g_assert_cmphex(fp_sqrt(&dn, FP64, 0xfff0000000000001ULL), ==, 0x7ff8000000000000ULL);
    g_assert_cmphex(dn.flags, ==, FPSR_IOC);
    /* Invalid operations give the default NaN. */
    c.flags = 0;
    g_assert_cmphex(fp_sub(&c, FP16, 0x7c00, 0x7c00), ==, 0x7e00);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    /* FMULX: inf * 0 = 2.0 with sign. */
    g_assert_cmphex(fp_mulx(&c, FP32, 0xff800000, 0), ==, 0xc0000000);
}

static void test_flush_to_zero(void)
{
    /* FZ: denormal inputs flush (IDC), tiny outputs flush (UFC), signs kept. */
    FPCtx c = fp_ctx(FPCR_FZ);
    g_assert_cmphex(fp_add(&c, FP32, 0x00000001, 0x80000000), ==, 0x00000000);
    g_assert_cmphex(c.flags, ==, FPSR_IDC);
    c.flags = 0;
    g_assert_cmphex(fp_mul(&c, FP32, 0x00800000, 0x3f000000), ==, 0);   /* 2^-126 * 0.5 */
    g_assert_cmphex(c.flags, ==, FPSR_UFC);
    /* Without FZ that is an exact denormal: no flags at all. */
    FPCtx n = fp_ctx(0);
    g_assert_cmphex(fp_mul(&n, FP32, 0x00800000, 0x3f000000), ==, 0x00400000);
    g_assert_cmphex(n.flags, ==, 0);
    /* Inexact tiny result: UFC + IXC (tininess before rounding). */
    g_assert_cmphex(fp_mul(&n, FP32, 0x00800001, 0x3f000000), ==, 0x00400000);
    g_assert_cmphex(n.flags, ==, FPSR_UFC | FPSR_IXC);
    /* Rounds up to the smallest normal: Arm still signals underflow (before rounding). */
    n.flags = 0;
    g_assert_cmphex(fp_mul(&n, FP32, 0x00ffffff, 0x3f000000), ==, 0x00800000);
    g_assert_cmphex(n.flags, ==, FPSR_UFC | FPSR_IXC);
    /* FZ16 flushes half inputs without IDC; FZ does not affect half. */
    FPCtx h = fp_ctx(FPCR_FZ16);
    g_assert_cmphex(fp_add(&h, FP16, 0x0001, 0x0001), ==, 0);
    g_assert_cmphex(h.flags, ==, 0);
    FPCtx h2 = fp_ctx(FPCR_FZ);
    g_assert_cmphex(fp_add(&h2, FP16, 0x0001, 0x0001), ==, 0x0002);
    /* Conversions ignore FZ16 (FPUnpackCV/FPRoundCV). */
    g_assert_cmphex(fp_convert(&h, FP32, FP16, 0x0001, FPR_TIEEVEN), ==, 0x33800000);
}

static void test_minmax_compare(void)
{
    FPCtx c = fp_ctx(0);
    g_assert_cmphex(fp_max(&c, FP32, 0x80000000, 0), ==, 0);
    g_assert_cmphex(fp_min(&c, FP32, 0x80000000, 0), ==, 0x80000000);
    g_assert_cmphex(fp_maxnum(&c, FP32, 0x7fc00000, 0xbf800000), ==, 0xbf800000);
    g_assert_cmphex(fp_minnum(&c, FP64, 0x3ff0000000000000ULL, 0xfff8000000000000ULL), ==,
                    0x3ff0000000000000ULL);
    g_assert_cmphex(c.flags, ==, 0);
    g_assert_cmphex(fp_max(&c, FP32, 0x7fc00000, 0xbf800000), ==, 0x7fc00000);
    g_assert_cmphex(fp_maxnum(&c, FP32, 0x7f800001, 0xbf800000), ==, 0x7fc00001);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    c.flags = 0;
    g_assert_cmpuint(fp_compare(&c, FP32, 0x3f800000, 0x40000000, false), ==, 0x8);
    g_assert_cmpuint(fp_compare(&c, FP32, 0x80000000, 0, false), ==, 0x6);
    g_assert_cmpuint(fp_compare(&c, FP32, 0x7f800000, 0x40000000, false), ==, 0x2);
    g_assert_cmpuint(fp_compare(&c, FP32, 0x7fc00000, 0x40000000, false), ==, 0x3);
    g_assert_cmphex(c.flags, ==, 0);
    g_assert_cmpuint(fp_compare(&c, FP32, 0x7fc00000, 0x40000000, true), ==, 0x3);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
}

static void test_conversions(void)
{
    FPCtx c = fp_ctx(0);
    /* Saturation and flags. */
    g_assert_cmphex(fp_to_fixed(&c, FP64, 0x41e0000000000000ULL, 0, false, FPR_ZERO, 32), ==, 0x7fffffff);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    c.flags = 0;
    g_assert_cmphex(fp_to_fixed(&c, FP64, 0xc1e0000000000000ULL, 0, false, FPR_ZERO, 32), ==, 0x80000000);
    g_assert_cmphex(c.flags, ==, 0);
    g_assert_cmphex(fp_to_fixed(&c, FP32, 0xbf000000, 0, true, FPR_ZERO, 32), ==, 0);   /* -0.5 -> 0 */
    g_assert_cmphex(c.flags, ==, FPSR_IXC);
    c.flags = 0;
    g_assert_cmphex(fp_to_fixed(&c, FP32, 0x7fc00000, 0, false, FPR_ZERO, 64), ==, 0);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    /* Fixed point: 1.5 with 4 fraction bits = 24. */
    g_assert_cmphex(fp_to_fixed(&c, FP32, 0x3fc00000, 4, false, FPR_ZERO, 32), ==, 24);
    g_assert_cmphex(fp_from_fixed(&c, FP32, 24, 4, false, FPR_TIEEVEN, 32), ==, 0x3fc00000);
    g_assert_cmphex(fp_from_fixed(&c, FP64, 0x80000000, 0, false, FPR_TIEEVEN, 32), ==, 0xc1e0000000000000ULL);
    g_assert_cmphex(fp_from_fixed(&c, FP64, 1ULL << 63, 0, false, FPR_TIEEVEN, 64), ==, 0xc3e0000000000000ULL);
    /* Half precision and the alternative format. */
    c.flags = 0;
    g_assert_cmphex(fp_convert(&c, FP16, FP32, 0x477fe000, FPR_TIEEVEN), ==, 0x7bff);   /* 65504 */
    g_assert_cmphex(fp_convert(&c, FP16, FP32, 0x47800000, FPR_TIEEVEN), ==, 0x7c00);   /* 65536: inf */
    g_assert_cmphex(c.flags, ==, FPSR_OFC | FPSR_IXC);
    FPCtx a = fp_ctx(FPCR_AHP);
    g_assert_cmphex(fp_convert(&a, FP16, FP32, 0x47800000, FPR_TIEEVEN), ==, 0x7c00);   /* 65536 is normal */
    g_assert_cmphex(fp_convert(&a, FP32, FP16, 0x7fff, FPR_TIEEVEN), ==, 0x47ffe000);   /* 131008 */
    g_assert_cmphex(fp_convert(&a, FP16, FP32, 0x7f800000, FPR_TIEEVEN), ==, 0x7fff);
    g_assert_cmphex(a.flags, ==, FPSR_IOC);
    /* NaN payloads move across formats, quieted. */
    c.flags = 0;
    g_assert_cmphex(fp_convert(&c, FP64, FP32, 0xff800001, FPR_TIEEVEN), ==, 0xfff8000020000000ULL);
    g_assert_cmphex(fp_convert(&c, FP16, FP64, 0x7ff4000000000000ULL, FPR_TIEEVEN), ==, 0x7f00);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    /* FRINT32Z / FRINT64X. */
    c.flags = 0;
    g_assert_cmphex(fp_round_int_n(&c, FP64, 0x41e0000000000000ULL, FPR_ZERO, 32), ==, 0xc1e0000000000000ULL);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    c.flags = 0;
    g_assert_cmphex(fp_round_int_n(&c, FP32, 0xbfc00000, FPR_TIEEVEN, 64), ==, 0xc0000000);
    g_assert_cmphex(c.flags, ==, FPSR_IXC);
    /* FRINTX raises inexact, FRINTI does not. */
    c.flags = 0;
    g_assert_cmphex(fp_round_int(&c, FP32, 0x3f000000, FPR_TIEEVEN, false), ==, 0);
    g_assert_cmphex(c.flags, ==, 0);
    g_assert_cmphex(fp_round_int(&c, FP32, 0xbf000000, FPR_TIEEVEN, true), ==, 0x80000000);
    g_assert_cmphex(c.flags, ==, FPSR_IXC);
    /* FJCVTZS. */
    bool z;
    c.flags = 0;
    g_assert_cmphex(fp_to_fixed_js(&c, 0x41f0000005000000ULL, &z), ==, 0x50);   /* 2^32 + 80: modulo */
    g_assert_false(z);
    g_assert_cmphex(c.flags, ==, FPSR_IOC);
    c.flags = 0;
    g_assert_cmphex(fp_to_fixed_js(&c, 0xc000000000000000ULL, &z), ==, 0xfffffffe);   /* -2.0 */
    g_assert_true(z);
    g_assert_cmphex(fp_to_fixed_js(&c, 0x8000000000000000ULL, &z), ==, 0);
    g_assert_false(z);
    g_assert_cmphex(c.flags, ==, 0);
    /* FMOV immediate expansion. */
    g_assert_cmphex(fp_expand_imm(FP64, 0x70), ==, 0x3ff0000000000000ULL);
    g_assert_cmphex(fp_expand_imm(FP32, 0x00), ==, 0x40000000);
    g_assert_cmphex(fp_expand_imm(FP16, 0xff), ==, 0xbfc0);
}

/* The host fast paths must give the integer path's results and flags bit for bit. */
static void test_fast_paths(void)
{
    bool saved = fp_fast_enabled;
    for (int i = 0; i < N_RANDOM; i++) {
        uint64_t r = rnd64();
        /* Normal operands with nearby exponents (cancellation, ties), sometimes few mantissa bits. */
        uint32_t e1 = 100 + (uint32_t)(r % 50), e2 = e1 + (uint32_t)((r >> 8) % 5) - 2;
        uint32_t m1 = (uint32_t)rnd64() & 0x7fffff, m2 = (uint32_t)rnd64() & 0x7fffff, m3 = (uint32_t)rnd64() & 0x7fffff;
        if (r & (1 << 20)) {
            m1 &= 0x7ff000;
            m2 &= 0x7fff00;
        }
        uint32_t a = (uint32_t)((r >> 30) & 1) << 31 | e1 << 23 | m1;
        uint32_t b = (uint32_t)((r >> 31) & 1) << 31 | e2 << 23 | m2;
        uint32_t d = (uint32_t)((r >> 32) & 1) << 31 | (e1 + e2 - 127) << 23 | m3;
        uint64_t a64 = rnd_f64() & ~(1ULL << 62), b64 = a64 ^ (rnd64() & 0x800fffffffffffffULL);
        uint64_t res[2][8];
        uint32_t flags[2][8];
        for (int pass = 0; pass < 2; pass++) {
            fp_fast_enabled = pass == 0;
            FPCtx c[8];
            for (int k = 0; k < 8; k++) {
                c[k] = fp_ctx(0);
            }
            res[pass][0] = fp_add(&c[0], FP32, a, b);
            res[pass][1] = fp_sub(&c[1], FP32, a, b);
            res[pass][2] = fp_mul(&c[2], FP32, a, b);
            res[pass][3] = fp_div(&c[3], FP32, a, b);
            res[pass][4] = fp_sqrt(&c[4], FP32, a & 0x7fffffff);
            res[pass][5] = fp_muladd(&c[5], FP32, d, a, b);
            res[pass][6] = fp_add(&c[6], FP64, a64, b64);
            res[pass][7] = fp_mul(&c[7], FP64, a64, b64);
            for (int k = 0; k < 8; k++) {
                flags[pass][k] = c[k].flags;
            }
        }
        for (int k = 0; k < 8; k++) {
            if (res[0][k] != res[1][k] || flags[0][k] != flags[1][k]) {
                g_error("fast path op %d (%08x, %08x, %08x / %016" G_GINT64_MODIFIER "x, %016"
                        G_GINT64_MODIFIER "x): fast %" G_GINT64_MODIFIER "x/%x, exact %"
                        G_GINT64_MODIFIER "x/%x", k, a, b, d, (guint64)a64, (guint64)b64,
                        (guint64)res[0][k], flags[0][k], (guint64)res[1][k], flags[1][k]);
            }
        }
    }
    /* A double-rounding trap for FMA: (1+2^-23) + (1+2^-23) * 2^-24(1-2^-23) is just
       below the single midpoint 1+2^-23+2^-24, which the double sum lands on. */
    for (int pass = 0; pass < 2; pass++) {
        fp_fast_enabled = pass == 0;
        FPCtx c = fp_ctx(0);
        g_assert_cmphex(fp_muladd(&c, FP32, 0x3f800001, 0x3f800001, 0x337ffffe), ==, 0x3f800001);
        g_assert_cmphex(c.flags, ==, FPSR_IXC);
        g_assert_cmphex(fp_muladd(&c, FP32, 0xbf800001, 0xbf800001, 0x337ffffe), ==, 0xbf800001);
    }
    fp_fast_enabled = saved;
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/softfloat/random_f64", test_random_f64);
    g_test_add_func("/softfloat/random_f32", test_random_f32);
    g_test_add_func("/softfloat/random_directed", test_random_directed);
    g_test_add_func("/softfloat/flags_f64", test_flags_f64);
    g_test_add_func("/softfloat/nan_rules", test_nan_rules);
    g_test_add_func("/softfloat/flush_to_zero", test_flush_to_zero);
    g_test_add_func("/softfloat/minmax_compare", test_minmax_compare);
    g_test_add_func("/softfloat/conversions", test_conversions);
    g_test_add_func("/softfloat/fast_paths", test_fast_paths);
    return g_test_run();
}
