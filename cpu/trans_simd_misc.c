/*
 * AdvSIMD two-register miscellaneous (vector, scalar and FP16 groups) and
 * across lanes / scalar pairwise (Arm ARM C4.1.6): REV*, CNT, CLS/CLZ,
 * NOT/RBIT, [SU]ADDLP/[SU]ADALP, SUQADD/USQADD, SQABS/SQNEG, ABS/NEG,
 * compares with zero, XTN/SQXTN/UQXTN/SQXTUN, SHLL, FP conversions,
 * FRINT*, estimates, FABS/FNEG/FSQRT; ADDV, [SU]MAXV/MINV, [SU]ADDLV,
 * FMAX(NM)V/FMIN(NM)V, ADDP/FADDP/FMAX(NM)P/FMIN(NM)P scalar.
 */
#include "cpu/simd-int.h"
#include "decode-a64.h"

typedef simd_s128 s128;

/* Integer lane operations: key = U:opcode. */
static uint64_t misc_int_lane(unsigned key, unsigned ebits, uint64_t x, uint64_t d, bool *sat)
{
    uint64_t m = MASK64(ebits);
    int64_t sx = sextract64(x, 0, ebits);
    switch (key) {
    case 0x03:  /* SUQADD: signed d + unsigned x */
        return simd_sat((s128)sextract64(d, 0, ebits) + (s128)x, ebits, false, sat);
    case 0x23:  /* USQADD: unsigned d + signed x */
        return simd_sat((s128)d + (s128)sx, ebits, true, sat);
    case 0x04: {  /* CLS */
        uint64_t v = (sx < 0 ? ~x : x) & m;
        return (uint64_t)(clz64(v) - (64 - (int)ebits) - 1);
    }
    case 0x24: return (uint64_t)(clz64(x & m) - (64 - (int)ebits));   /* CLZ */
    case 0x05: return (uint64_t)popcount64(x & 0xff);                    /* CNT */
    case 0x07: return simd_sat(sx < 0 ? -(s128)sx : (s128)sx, ebits, false, sat);   /* SQABS */
    case 0x27: return simd_sat(-(s128)sx, ebits, false, sat);                       /* SQNEG */
    case 0x08: return sx > 0 ? m : 0;      /* CMGT #0 */
    case 0x09: return sx == 0 ? m : 0;     /* CMEQ #0 */
    case 0x0a: return sx < 0 ? m : 0;      /* CMLT #0 */
    case 0x0b: return (sx < 0 ? 0 - (uint64_t)sx : (uint64_t)sx) & m;   /* ABS (modular: ABS(INT64_MIN) wraps) */
    case 0x28: return sx >= 0 ? m : 0;     /* CMGE #0 */
    case 0x29: return sx <= 0 ? m : 0;     /* CMLE #0 */
    case 0x2b: return (0 - (uint64_t)sx) & m; /* NEG (modular) */
    default: return 0;
    }
}

/* FP lane operations: key = U:a:opcode (a = size<1>). Returns false if none. */
static bool misc_fp_lane(FPCtx *c, FPFmt f, unsigned key, uint64_t x, uint64_t *r)
{
    unsigned ebits = fp_bits(f);
    uint64_t ones = MASK64(ebits);
    switch (key) {
    case 0x18: *r = fp_round_int(c, f, x, FPR_TIEEVEN, false); return true;   /* FRINTN */
    case 0x19: *r = fp_round_int(c, f, x, FPR_NEGINF, false); return true;    /* FRINTM */
    case 0x38: *r = fp_round_int(c, f, x, FPR_POSINF, false); return true;    /* FRINTP */
    case 0x39: *r = fp_round_int(c, f, x, FPR_ZERO, false); return true;      /* FRINTZ */
    case 0x58: *r = fp_round_int(c, f, x, FPR_TIEAWAY, false); return true;   /* FRINTA */
    case 0x59: *r = fp_round_int(c, f, x, c->rmode, true); return true;       /* FRINTX */
    case 0x79: *r = fp_round_int(c, f, x, c->rmode, false); return true;      /* FRINTI */
    case 0x1a: case 0x5a: *r = fp_to_fixed(c, f, x, 0, key & 0x40, FPR_TIEEVEN, ebits); return true;
    case 0x3a: case 0x7a: *r = fp_to_fixed(c, f, x, 0, key & 0x40, FPR_POSINF, ebits); return true;
    case 0x1b: case 0x5b: *r = fp_to_fixed(c, f, x, 0, key & 0x40, FPR_NEGINF, ebits); return true;
    case 0x3b: case 0x7b: *r = fp_to_fixed(c, f, x, 0, key & 0x40, FPR_ZERO, ebits); return true;
    case 0x1c: case 0x5c: *r = fp_to_fixed(c, f, x, 0, key & 0x40, FPR_TIEAWAY, ebits); return true;
    case 0x1d: case 0x5d: *r = fp_from_fixed(c, f, x, 0, key & 0x40, c->rmode, ebits); return true;
    case 0x3d: *r = fp_recip_estimate(c, f, x); return true;     /* FRECPE */
    case 0x7d: *r = fp_rsqrt_estimate(c, f, x); return true;     /* FRSQRTE */
    case 0x3f: *r = fp_recpx(c, f, x); return true;              /* FRECPX (scalar) */
    case 0x3c: case 0x7c:                                         /* URECPE, URSQRTE (32-bit) */
        if (f != FP32) {
            return false;
        }
        *r = key == 0x3c ? fp_urecpe((uint32_t)x) : fp_ursqrte((uint32_t)x);
        return true;
    case 0x2f: *r = fp_abs(f, x); return true;                   /* FABS */
    case 0x6f: *r = fp_neg(f, x); return true;                   /* FNEG */
    case 0x7f: *r = fp_sqrt(c, f, x); return true;               /* FSQRT */
    case 0x2c: *r = fp_compare_gt(c, f, x, 0) ? ones : 0; return true;   /* FCMGT #0 */
    case 0x6c: *r = fp_compare_ge(c, f, x, 0) ? ones : 0; return true;   /* FCMGE #0 */
    case 0x2d: *r = fp_compare_eq(c, f, x, 0) ? ones : 0; return true;   /* FCMEQ #0 */
    case 0x6d: *r = fp_compare_ge(c, f, 0, x) ? ones : 0; return true;   /* FCMLE #0 */
    case 0x2e: *r = fp_compare_gt(c, f, 0, x) ? ones : 0; return true;   /* FCMLT #0 */
    case 0x1e: case 0x5e: case 0x1f: case 0x5f:                          /* FRINT32/64 Z/X */
        *r = fp_round_int_n(c, f, x, (key & 0x40) ? c->rmode : FPR_ZERO, (key & 1) ? 64 : 32);
        return true;
    default:
        return false;
    }
}

static bool misc_fp_key_scalar_ok(unsigned key)
{
    switch (key) {
    case 0x1a: case 0x5a: case 0x3a: case 0x7a: case 0x1b: case 0x5b: case 0x3b: case 0x7b:
    case 0x1c: case 0x5c: case 0x1d: case 0x5d: case 0x3d: case 0x7d: case 0x3f:
    case 0x2c: case 0x6c: case 0x2d: case 0x6d: case 0x2e:
        return true;
    default:
        return false;
    }
}

static bool misc_fp_key_vector_ok(const CPUState *cpu, unsigned key)
{
    switch (key) {
    case 0x3f: return false;             /* FRECPX is scalar only */
    case 0x1e: case 0x5e: case 0x1f: case 0x5f: return cpu_has_frintts(cpu);
    default: return true;
    }
}

/* Run an FP lane op over a vector/scalar. */
static ExecStatus misc_fp(CPUState *cpu, bool q, FPFmt f, unsigned key, unsigned rn, unsigned rd,
                          bool scalar)
{
    uint64_t probe;
    FPCtx tmp = fp_ctx(0);
    if (!misc_fp_lane(&tmp, f, key, 0, &probe) ||
        (scalar ? !misc_fp_key_scalar_ok(key) : !misc_fp_key_vector_ok(cpu, key)) ||
        (!scalar && f == FP64 && !q)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned esize = fp_bits(f) / 8, elements = scalar ? 1 : (q ? 16 : 8) / esize;
    uint64_t n[2], r[2] = { 0, 0 };
    vreg_get(cpu, rn, n);
    FPCtx c = fp_begin(cpu);
    for (unsigned i = 0; i < elements; i++) {
        uint64_t v;
        misc_fp_lane(&c, f, key, vec_get(n, i, esize), &v);
        vec_set(r, i, esize, v);
    }
    fp_end(cpu, &c);
    vreg_set_q(cpu, rd, r, q || scalar);
    return EXEC_NEXT;
}

/* Narrowing: XTN, SQXTN, UQXTN, SQXTUN, FCVTN, FCVTXN (write part Q of Vd). */
static ExecStatus misc_narrow(CPUState *cpu, const arg_SIMD_2misc *a, unsigned key, bool scalar)
{
    bool fp = key == 0x16 || key == 0x36;
    unsigned size = a->size;
    FPFmt from = FP32, to = FP16;
    if (fp) {
        if (key == 0x36 && !(size & 1)) {
            return cpu_raise_undef(cpu);     /* FCVTXN: double to single only */
        }
        if (size == 2 && key == 0x16 && cpu_has_bf16(cpu)) {
            from = FP32;             /* BFCVTN/BFCVTN2 (FEAT_BF16) */
            to = BF16;
            size = 1;
        } else if (size >> 1) {
            return cpu_raise_undef(cpu);
        } else {
            from = (size & 1) ? FP64 : FP32;
            to = (size & 1) ? FP32 : FP16;
            size = (size & 1) + 1;
        }
    } else if (size == 3 || (scalar && key == 0x12)) {
        return cpu_raise_undef(cpu);
    }
    if (scalar && fp && key != 0x36) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned esize = 1u << size, ebits = 8 * esize;
    unsigned elements = scalar ? 1 : 8 / esize;
    uint64_t n[2], res[2] = { 0, 0 };
    vreg_get(cpu, a->Rn, n);
    bool sat = false;
    FPCtx c = fp_begin(cpu);
    for (unsigned i = 0; i < elements; i++) {
        uint64_t x = vec_get(n, i, 2 * esize), v;
        switch (key) {
        case 0x12: v = x & MASK64(ebits); break;                                         /* XTN */
        case 0x14: v = simd_sat(sextract64(x, 0, 2 * ebits), ebits, false, &sat); break; /* SQXTN */
        case 0x34: v = simd_sat((s128)(x & MASK64(2 * ebits)), ebits, true, &sat); break; /* UQXTN */
        case 0x32: v = simd_sat(sextract64(x, 0, 2 * ebits), ebits, true, &sat); break;  /* SQXTUN */
        case 0x16: v = fp_convert(&c, to, from, x, c.rmode); break;                       /* FCVTN */
        default: v = fp_convert(&c, FP32, FP64, x, FPR_ODD); break;                       /* FCVTXN */
        }
        vec_set(res, i, esize, v);
    }
    fp_end(cpu, &c);
    if (sat) {
        cpu->fpsr |= FPSR_QC;
    }
    if (scalar || !a->Q) {
        vreg_set_scalar(cpu, a->Rd, res[0]);
    } else {
        vreg_set128(cpu, a->Rd, cpu->z[a->Rd].d[0], res[0]);
    }
    return EXEC_NEXT;
}

static ExecStatus simd_2misc(CPUState *cpu, const arg_SIMD_2misc *a, bool scalar)
{
    unsigned key = (a->U << 5) | a->opcode, size = a->size, op = a->opcode;
    bool q = a->Q || scalar;
    /* FP groups: opcodes 0x0c-0x0f and 0x16-0x1f (except narrow/widen handled below). */
    if (key == 0x12 || key == 0x14 || key == 0x34 || key == 0x32 || key == 0x16 || key == 0x36) {
        return misc_narrow(cpu, a, key, scalar);
    }
    if ((op >= 0x0c && op <= 0x0f) || op >= 0x18) {
        if (op < 0x18 && !(size >> 1)) {
            return cpu_raise_undef(cpu);
        }
        unsigned fkey = (a->U << 6) | ((size >> 1) << 5) | op;
        return misc_fp(cpu, q, (size & 1) ? FP64 : FP32, fkey, a->Rn, a->Rd, scalar);
    }
    if (key == 0x17) {              /* FCVTL/FCVTL2: widen part Q */
        if (scalar || (size >> 1)) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        FPFmt from = (size & 1) ? FP32 : FP16, to = (size & 1) ? FP64 : FP32;
        unsigned es = fp_bits(from) / 8;
        uint64_t src[2] = { cpu->z[a->Rn].d[a->Q], 0 }, r[2] = { 0, 0 };
        FPCtx c = fp_begin(cpu);
        for (unsigned i = 0; i < 8 / es; i++) {
            vec_set(r, i, 2 * es, fp_convert(&c, to, from, vec_get(src, i, es), c.rmode));
        }
        fp_end(cpu, &c);
        vreg_set128(cpu, a->Rd, r[0], r[1]);
        return EXEC_NEXT;
    }
    if (key == 0x33) {              /* SHLL/SHLL2 */
        if (scalar || size == 3) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        unsigned es = 1u << size;
        uint64_t src[2] = { cpu->z[a->Rn].d[a->Q], 0 }, r[2] = { 0, 0 };
        for (unsigned i = 0; i < 8 / es; i++) {
            vec_set(r, i, 2 * es, vec_get(src, i, es) << (8 * es));
        }
        vreg_set128(cpu, a->Rd, r[0], r[1]);
        return EXEC_NEXT;
    }
    /* Integer groups. */
    unsigned esize = 1u << size, ebits = 8 * esize;
    bool ok;
    switch (key) {
    case 0x00: ok = !scalar && size < 3; break;           /* REV64 */
    case 0x01: ok = !scalar && size == 0; break;          /* REV16 */
    case 0x20: ok = !scalar && size < 2; break;           /* REV32 */
    case 0x02: case 0x22: case 0x06: case 0x26:           /* [SU]ADDLP, [SU]ADALP */
        ok = !scalar && size < 3; break;
    case 0x03: case 0x23: case 0x07: case 0x27:           /* SUQADD, USQADD, SQABS, SQNEG */
        ok = scalar || !(size == 3 && !q); break;
    case 0x04: case 0x24: ok = !scalar && size < 3; break;   /* CLS, CLZ */
    case 0x05: ok = !scalar && size == 0; break;          /* CNT */
    case 0x25: ok = !scalar && size < 2; break;           /* NOT, RBIT */
    case 0x08: case 0x09: case 0x0a: case 0x0b: case 0x28: case 0x29: case 0x2b:
        ok = scalar ? size == 3 : !(size == 3 && !q); break;
    default: ok = false; break;
    }
    if (!ok) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    uint64_t n[2], d[2], r[2] = { 0, 0 };
    vreg_get(cpu, a->Rn, n);
    vreg_get(cpu, a->Rd, d);
    unsigned bytes = q ? 16 : 8;
    bool sat = false;
    switch (key) {
    case 0x00: case 0x01: case 0x20: {
        unsigned container = key == 0x00 ? 8 : key == 0x01 ? 2 : 4;
        unsigned flip = container / esize - 1;
        for (unsigned i = 0; i < bytes / esize; i++) {
            vec_set(r, i, esize, vec_get(n, i ^ flip, esize));
        }
        break;
    }
    case 0x02: case 0x22: case 0x06: case 0x26: {
        bool u = a->U, acc = op == 0x06;
        for (unsigned i = 0; i < bytes / (2 * esize); i++) {
            uint64_t x0 = vec_get(n, 2 * i, esize), x1 = vec_get(n, 2 * i + 1, esize);
            uint64_t s = u ? x0 + x1 : (uint64_t)(sextract64(x0, 0, ebits) + sextract64(x1, 0, ebits));
            if (acc) {
                s += vec_get(d, i, 2 * esize);
            }
            vec_set(r, i, 2 * esize, s);
        }
        break;
    }
    case 0x25:
        for (unsigned i = 0; i < bytes; i++) {
            uint8_t b = ((uint8_t *)n)[i];
            if (size == 0) {
                b = (uint8_t)~b;
            } else {
                uint8_t rb = 0;
                for (unsigned k = 0; k < 8; k++) {
                    rb |= (uint8_t)(((b >> k) & 1) << (7 - k));
                }
                b = rb;
            }
            ((uint8_t *)r)[i] = b;
        }
        break;
    default:
        for (unsigned i = 0; i < (scalar ? 1 : bytes / esize); i++) {
            vec_set(r, i, esize, misc_int_lane(key, ebits, vec_get(n, i, esize), vec_get(d, i, esize), &sat));
        }
        break;
    }
    if (sat) {
        cpu->fpsr |= FPSR_QC;
    }
    vreg_set_q(cpu, a->Rd, r, q);
    return EXEC_NEXT;
}

ExecStatus trans_SIMD_2misc(CPUState *cpu, const arg_SIMD_2misc *a)
{
    return simd_2misc(cpu, a, false);
}

ExecStatus trans_SIMD_2misc_scalar(CPUState *cpu, const arg_SIMD_2misc_scalar *a)
{
    arg_SIMD_2misc v = { .insn = a->insn, .Q = 1, .U = a->U, .size = a->size,
                         .opcode = a->opcode, .Rn = a->Rn, .Rd = a->Rd };
    return simd_2misc(cpu, &v, true);
}

/* FP16 two-register misc: same FP opcodes with half lanes (FEAT_FP16). */
static ExecStatus simd_2misc_fp16(CPUState *cpu, bool q, unsigned u, unsigned a_bit, unsigned opcode,
                                  unsigned rn, unsigned rd, bool scalar)
{
    /* FRINT32/64 have no half-precision form; FRECPX/FSQRT (a=1) do. */
    if (!cpu_has_advsimd_fp16(cpu) || (opcode >= 0x1e && !a_bit) ||
        opcode < 0x0c || (opcode > 0x0f && opcode < 0x18) || (opcode < 0x18 && !a_bit)) {
        return cpu_raise_undef(cpu);
    }
    unsigned fkey = (u << 6) | (a_bit << 5) | opcode;
    return misc_fp(cpu, q, FP16, fkey, rn, rd, scalar);
}

ExecStatus trans_SIMD_2misc_fp16(CPUState *cpu, const arg_SIMD_2misc_fp16 *a)
{
    return simd_2misc_fp16(cpu, a->Q, a->U, a->a, a->opcode, a->Rn, a->Rd, false);
}

ExecStatus trans_SIMD_2misc_fp16_scalar(CPUState *cpu, const arg_SIMD_2misc_fp16_scalar *a)
{
    return simd_2misc_fp16(cpu, true, a->U, a->a, a->opcode, a->Rn, a->Rd, true);
}

/* Reduce (Arm ARM): op(reduce(lower half), reduce(upper half)). */
static uint64_t fp_reduce(FPCtx *c, FPFmt f, unsigned key, const uint64_t *v, unsigned lo,
                          unsigned n, unsigned esize)
{
    if (n == 1) {
        return vec_get(v, lo, esize);
    }
    uint64_t x = fp_reduce(c, f, key, v, lo, n / 2, esize);
    uint64_t y = fp_reduce(c, f, key, v, lo + n / 2, n / 2, esize);
    switch (key) {
    case 0: return fp_maxnum(c, f, x, y);
    case 1: return fp_minnum(c, f, x, y);
    case 2: return fp_max(c, f, x, y);
    case 3: return fp_min(c, f, x, y);
    default: return fp_add(c, f, x, y);
    }
}

/* FP across lanes / scalar pairwise: key 0 MAXNM, 1 MINNM, 2 MAX, 3 MIN, 4 ADD. */
static ExecStatus fp_reduce_insn(CPUState *cpu, FPFmt f, unsigned key, unsigned elements,
                                 unsigned rn, unsigned rd)
{
    FP_ACCESS_CHECK(cpu);
    uint64_t n[2];
    vreg_get(cpu, rn, n);
    FPCtx c = fp_begin(cpu);
    uint64_t r = fp_reduce(&c, f, key, n, 0, elements, fp_bits(f) / 8);
    fp_end(cpu, &c);
    vreg_set_scalar(cpu, rd, r);
    return EXEC_NEXT;
}

/* FP reduction key from opcode (01100 MAXNM/MINNM, 01101 ADD, 01111 MAX/MIN) and a. */
static int fp_reduce_key(unsigned opcode, unsigned a_bit)
{
    switch (opcode) {
    case 0x0c: return a_bit ? 1 : 0;
    case 0x0d: return a_bit ? -1 : 4;
    case 0x0f: return a_bit ? 3 : 2;
    default: return -1;
    }
}

ExecStatus trans_SIMD_across(CPUState *cpu, const arg_SIMD_across *a)
{
    unsigned size = a->size, op = a->opcode;
    if (op == 0x0c || op == 0x0f) {
        /* FP: U=1 single (4S only), U=0 half (FEAT_FP16). */
        int key = fp_reduce_key(op, size >> 1);
        if (a->U) {
            if ((size & 1) || !a->Q) {
                return cpu_raise_undef(cpu);
            }
            return fp_reduce_insn(cpu, FP32, (unsigned)key, 4, a->Rn, a->Rd);
        }
        if ((size & 1) || !cpu_has_advsimd_fp16(cpu)) {
            return cpu_raise_undef(cpu);
        }
        return fp_reduce_insn(cpu, FP16, (unsigned)key, a->Q ? 8 : 4, a->Rn, a->Rd);
    }
    bool valid = (op == 0x03 || op == 0x0a || op == 0x1a || (op == 0x1b && !a->U));
    if (!valid || size == 3 || (size == 2 && !a->Q)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned esize = 1u << size, ebits = 8 * esize, elements = (a->Q ? 16 : 8) / esize;
    uint64_t n[2];
    vreg_get(cpu, a->Rn, n);
    s128 acc = 0;
    for (unsigned i = 0; i < elements; i++) {
        uint64_t raw = vec_get(n, i, esize);
        s128 x = a->U ? (s128)raw : (s128)sextract64(raw, 0, ebits);
        if (i == 0) {
            acc = op == 0x03 || op == 0x1b ? 0 : x;
        }
        switch (op) {
        case 0x03: case 0x1b: acc += x; break;
        case 0x0a: acc = x > acc ? x : acc; break;
        default: acc = x < acc ? x : acc; break;
        }
    }
    unsigned rbits = op == 0x03 ? 2 * ebits : ebits;     /* [SU]ADDLV widen */
    vreg_set_scalar(cpu, a->Rd, (uint64_t)acc & MASK64(rbits));
    return EXEC_NEXT;
}

/* Scalar pairwise: ADDP (D), FADDP/FMAXP/FMINP/FMAXNMP/FMINNMP (U=1: S/D, U=0: H). */
ExecStatus trans_SIMD_pairwise_scalar(CPUState *cpu, const arg_SIMD_pairwise_scalar *a)
{
    if (a->opcode == 0x1b && !a->U) {
        if (a->size != 3) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        vreg_set_scalar(cpu, a->Rd, cpu->z[a->Rn].d[0] + cpu->z[a->Rn].d[1]);
        return EXEC_NEXT;
    }
    int key = fp_reduce_key(a->opcode, a->size >> 1);
    if (key < 0) {
        return cpu_raise_undef(cpu);
    }
    FPFmt f;
    if (a->U) {
        f = (a->size & 1) ? FP64 : FP32;
    } else {
        if ((a->size & 1) || !cpu_has_advsimd_fp16(cpu)) {
            return cpu_raise_undef(cpu);
        }
        f = FP16;
    }
    return fp_reduce_insn(cpu, f, (unsigned)key, 2, a->Rn, a->Rd);
}
