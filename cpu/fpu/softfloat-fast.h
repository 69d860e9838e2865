/*
 * Fast paths for the common case of the soft-float arithmetic: FPCR.RMode =
 * round to nearest, finite normal operands, and a result that is normal and
 * not in the smallest binade (so no underflow, no overflow, no flushing, no
 * NaN rules apply). The host's IEEE double arithmetic then gives exactly the
 * Arm result, and the Inexact flag is derived exactly:
 *   - single precision via double: +, -, *, /, sqrt of 24-bit operands in
 *     53-bit precision followed by one rounding to single are correctly
 *     rounded (53 >= 2*24 + 2); products and the checks below are exact;
 *   - FMA (single): a*b is exact in double, TwoSum gives the exact error of
 *     the addition, and the only double-rounding case (a sum exactly on a
 *     single-precision midpoint with a non-zero error) falls back;
 *   - double precision +, -: TwoSum; *: exactness from the 106-bit integer
 *     product of the significands.
 * Anything else returns false and the caller takes the exact integer path.
 * The host must round to nearest (checked once: fp_fast_enabled).
 * Internal to cpu/fpu/softfloat.c.
 */
#ifndef TANDEM_CPU_FPU_SOFTFLOAT_FAST_H
#define TANDEM_CPU_FPU_SOFTFLOAT_FAST_H

#include <fenv.h>
#include <math.h>
#include "cpu/fpu/softfloat-int.h"

extern bool fp_fast_enabled;

static inline float sf_f32(uint64_t x) { uint32_t v = (uint32_t)x; float f; memcpy(&f, &v, 4); return f; }
static inline uint32_t sf_b32(float f) { uint32_t v; memcpy(&v, &f, 4); return v; }
static inline double sf_f64(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static inline uint64_t sf_b64(double d) { uint64_t v; memcpy(&v, &d, 8); return v; }

/* Biased exponent in 1..max-1: finite, normal, non-zero. */
static inline bool sf_norm32(uint64_t x) { return ((x >> 23) & 0xff) - 1u < 0xfeu; }
static inline bool sf_norm64(uint64_t x) { return ((x >> 52) & 0x7ff) - 1u < 0x7feu; }
/* Result normal, above the smallest binade, finite. */
static inline bool sf_res32(uint32_t r) { uint32_t e = (r >> 23) & 0xff; return e >= 2 && e < 0xff; }
static inline bool sf_res64(uint64_t r) { uint64_t e = (r >> 52) & 0x7ff; return e >= 2 && e < 0x7ff; }

static inline bool sf_fast_ctx(const FPCtx *c)
{
    return fp_fast_enabled && c->rmode == FPR_TIEEVEN;
}

/* Exact error of s = fl(x + y) (Knuth's TwoSum). */
static inline double sf_two_sum_err(double x, double y, double s)
{
    double bp = s - x;
    return (x - (s - bp)) + (y - bp);
}

static inline bool sf_add32(FPCtx *c, uint64_t a, uint64_t b, bool sub, uint64_t *res)
{
    if (!sf_fast_ctx(c) || !sf_norm32(a) || !sf_norm32(b)) {
        return false;
    }
    double x = sf_f32(a), y = sf_f32(b);
    if (sub) {
        y = -y;
    }
    double s = x + y;
    float r = (float)s;
    uint32_t rb = sf_b32(r);
    if (!sf_res32(rb)) {
        return false;
    }
    if (sf_two_sum_err(x, y, s) != 0 || (double)r != s) {
        c->flags |= FPSR_IXC;
    }
    *res = rb;
    return true;
}

static inline bool sf_mul32(FPCtx *c, uint64_t a, uint64_t b, uint64_t *res)
{
    if (!sf_fast_ctx(c) || !sf_norm32(a) || !sf_norm32(b)) {
        return false;
    }
    double p = (double)sf_f32(a) * (double)sf_f32(b);     /* exact */
    float r = (float)p;
    uint32_t rb = sf_b32(r);
    if (!sf_res32(rb)) {
        return false;
    }
    if ((double)r != p) {
        c->flags |= FPSR_IXC;
    }
    *res = rb;
    return true;
}

static inline bool sf_div32(FPCtx *c, uint64_t a, uint64_t b, uint64_t *res)
{
    if (!sf_fast_ctx(c) || !sf_norm32(a) || !sf_norm32(b)) {
        return false;
    }
    double x = sf_f32(a), y = sf_f32(b);
    float r = (float)(x / y);
    uint32_t rb = sf_b32(r);
    if (!sf_res32(rb)) {
        return false;
    }
    if ((double)r * y != x) {       /* exact product of two 24-bit values */
        c->flags |= FPSR_IXC;
    }
    *res = rb;
    return true;
}

static inline bool sf_sqrt32(FPCtx *c, uint64_t a, uint64_t *res)
{
    if (!sf_fast_ctx(c) || !sf_norm32(a) || (a & 0x80000000u)) {
        return false;
    }
    double x = sf_f32(a);
    float r = (float)sqrt(x);
    uint32_t rb = sf_b32(r);
    if ((double)r * (double)r != x) {
        c->flags |= FPSR_IXC;
    }
    *res = rb;
    return true;
}

static inline bool sf_fma32(FPCtx *c, uint64_t addend, uint64_t a, uint64_t b, uint64_t *res)
{
    if (!sf_fast_ctx(c) || !sf_norm32(addend) || !sf_norm32(a) || !sf_norm32(b)) {
        return false;
    }
    double p = (double)sf_f32(a) * (double)sf_f32(b);     /* exact */
    double z = sf_f32(addend);
    double s = p + z;
    double err = sf_two_sum_err(p, z, s);
    uint64_t sb = sf_b64(s);
    if (err != 0 && (sb & 0x1fffffffu) == 0x10000000u) {
        return false;       /* s on a single-precision midpoint: the error decides */
    }
    float r = (float)s;
    uint32_t rb = sf_b32(r);
    if (!sf_res32(rb)) {
        return false;
    }
    if (err != 0 || (double)r != s) {
        c->flags |= FPSR_IXC;
    }
    *res = rb;
    return true;
}

static inline bool sf_add64(FPCtx *c, uint64_t a, uint64_t b, bool sub, uint64_t *res)
{
    if (!sf_fast_ctx(c) || !sf_norm64(a) || !sf_norm64(b)) {
        return false;
    }
    double x = sf_f64(a), y = sf_f64(b);
    if (sub) {
        y = -y;
    }
    double s = x + y;
    uint64_t sb = sf_b64(s);
    if (!sf_res64(sb)) {
        return false;
    }
    if (sf_two_sum_err(x, y, s) != 0) {
        c->flags |= FPSR_IXC;
    }
    *res = sb;
    return true;
}

static inline bool sf_mul64(FPCtx *c, uint64_t a, uint64_t b, uint64_t *res)
{
    if (!sf_fast_ctx(c) || !sf_norm64(a) || !sf_norm64(b)) {
        return false;
    }
    double p = sf_f64(a) * sf_f64(b);
    uint64_t pb = sf_b64(p);
    if (!sf_res64(pb)) {
        return false;
    }
    u128 prod = (u128)((a & MASK64(52)) | (1ULL << 52)) * ((b & MASK64(52)) | (1ULL << 52));
    /* The 105/106-bit product is exact in 53 bits iff its low bits below the top 53 are zero. */
    unsigned bits = (prod >> 105) ? 106 : 105;
    if ((prod & (((u128)1 << (bits - 53)) - 1)) != 0) {
        c->flags |= FPSR_IXC;
    }
    *res = pb;
    return true;
}

#endif
