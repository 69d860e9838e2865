/*
 * AdvSIMD floating-point three same (vector and scalar, single/double and
 * the FEAT_FP16 half-precision group): FADD, FSUB, FMUL, FMULX, FDIV, FABD,
 * FMLA/FMLS, FMAX/FMIN(NM), pairwise forms, FCMEQ/GE/GT, FACGE/GT,
 * FRECPS/FRSQRTS.
 */
#include "cpu/simd-int.h"
#include "decode-a64.h"

/* key = U:a:opcode<2:0> (a = size<1> in the single/double group). */
enum {
    K_FMAXNM = 0x00, K_FMLA = 0x01, K_FADD = 0x02, K_FMULX = 0x03, K_FCMEQ = 0x04,
    K_FMLAL = 0x05, K_FMAX = 0x06, K_FRECPS = 0x07,
    K_FMINNM = 0x08, K_FMLS = 0x09, K_FSUB = 0x0a, K_FMLSL = 0x0d, K_FMIN = 0x0e, K_FRSQRTS = 0x0f,
    K_FMAXNMP = 0x10, K_FMLAL2 = 0x11, K_FADDP = 0x12, K_FMUL = 0x13, K_FCMGE = 0x14,
    K_FACGE = 0x15, K_FMAXP = 0x16, K_FDIV = 0x17,
    K_FMINNMP = 0x18, K_FMLSL2 = 0x19, K_FABD = 0x1a, K_FCMGT = 0x1c, K_FACGT = 0x1d, K_FMINP = 0x1e,
};

static bool simd_fp_key_ok(unsigned key, bool scalar)
{
    if (scalar) {
        switch (key) {
        case K_FMULX: case K_FCMEQ: case K_FRECPS: case K_FRSQRTS: case K_FCMGE:
        case K_FACGE: case K_FABD: case K_FCMGT: case K_FACGT:
            return true;
        default:
            return false;
        }
    }
    switch (key) {
    case 0x0b: case 0x0c: case 0x1b: case 0x1f:
    /* FMLAL/FMLSL have no FP16-group form (the single/double group handles them). */
    case K_FMLAL: case K_FMLSL: case K_FMLAL2: case K_FMLSL2:
        return false;
    default:
        return true;
    }
}

static bool simd_fp_pairwise(unsigned key)
{
    return key == K_FMAXNMP || key == K_FADDP || key == K_FMAXP || key == K_FMINNMP ||
           key == K_FMINP;
}

static uint64_t simd_fp_lane(FPCtx *c, FPFmt f, unsigned key, uint64_t n, uint64_t m, uint64_t d)
{
    uint64_t ones = MASK64(fp_bits(f));
    switch (key) {
    case K_FMAXNM: case K_FMAXNMP: return fp_maxnum(c, f, n, m);
    case K_FMINNM: case K_FMINNMP: return fp_minnum(c, f, n, m);
    case K_FMAX: case K_FMAXP: return fp_max(c, f, n, m);
    case K_FMIN: case K_FMINP: return fp_min(c, f, n, m);
    case K_FMLA: return fp_muladd(c, f, d, n, m);
    case K_FMLS: return fp_muladd(c, f, d, fp_neg(f, n), m);
    case K_FADD: case K_FADDP: return fp_add(c, f, n, m);
    case K_FSUB: return fp_sub(c, f, n, m);
    case K_FMULX: return fp_mulx(c, f, n, m);
    case K_FMUL: return fp_mul(c, f, n, m);
    case K_FDIV: return fp_div(c, f, n, m);
    case K_FABD: return fp_abs(f, fp_sub(c, f, n, m));
    case K_FCMEQ: return fp_compare_eq(c, f, n, m) ? ones : 0;
    case K_FCMGE: return fp_compare_ge(c, f, n, m) ? ones : 0;
    case K_FCMGT: return fp_compare_gt(c, f, n, m) ? ones : 0;
    case K_FACGE: return fp_compare_ge(c, f, fp_abs(f, n), fp_abs(f, m)) ? ones : 0;
    case K_FACGT: return fp_compare_gt(c, f, fp_abs(f, n), fp_abs(f, m)) ? ones : 0;
    case K_FRECPS: return fp_recip_step(c, f, n, m);
    case K_FRSQRTS: return fp_rsqrt_step(c, f, n, m);
    default: return 0;
    }
}

static ExecStatus simd_3same_fp_common(CPUState *cpu, bool q, FPFmt f, unsigned key,
                                       unsigned rm, unsigned rn, unsigned rd, bool scalar)
{
    FP_ACCESS_CHECK(cpu);
    unsigned esize = fp_bits(f) / 8;
    unsigned elements = scalar ? 1 : (q ? 16 : 8) / esize;
    uint64_t vn[2], vm[2], vd[2], res[2] = { 0, 0 };
    vreg_get(cpu, rn, vn);
    vreg_get(cpu, rm, vm);
    vreg_get(cpu, rd, vd);
    FPCtx c = fp_begin(cpu);
    if (simd_fp_pairwise(key)) {
        uint64_t cat[4] = { vn[0], q ? vn[1] : vm[0], q ? vm[0] : 0, q ? vm[1] : 0 };
        for (unsigned i = 0; i < elements; i++) {
            vec_set(res, i, esize, simd_fp_lane(&c, f, key, vec_get(cat, 2 * i, esize),
                                                vec_get(cat, 2 * i + 1, esize), 0));
        }
    } else {
        for (unsigned i = 0; i < elements; i++) {
            vec_set(res, i, esize, simd_fp_lane(&c, f, key, vec_get(vn, i, esize),
                                                vec_get(vm, i, esize), vec_get(vd, i, esize)));
        }
    }
    fp_end(cpu, &c);
    if (scalar) {
        vreg_set_scalar(cpu, rd, res[0]);
    } else {
        vreg_set_q(cpu, rd, res, q);
    }
    return EXEC_NEXT;
}

ExecStatus simd_fmlal(CPUState *cpu, bool q, unsigned part, bool sub, unsigned rm, unsigned rn,
                      unsigned rd, int mindex)
{
    FP_ACCESS_CHECK(cpu);
    unsigned elements = q ? 4 : 2;
    uint64_t n[2], m[2], d[2];
    vreg_get(cpu, rn, n);
    vreg_get(cpu, rm, m);
    vreg_get(cpu, rd, d);
    FPCtx c = fp_begin(cpu);
    for (unsigned e = 0; e < elements; e++) {
        uint64_t x = vec_get(n, part * elements + e, 2);
        uint64_t y = mindex < 0 ? vec_get(m, part * elements + e, 2) : vec_get(m, (unsigned)mindex, 2);
        if (sub) {
            x = fp_neg(FP16, x);
        }
        vec_set(d, e, 4, fp_muladd_h(&c, vec_get(d, e, 4), x, y));
    }
    fp_end(cpu, &c);
    vreg_set_q(cpu, rd, d, q);
    return EXEC_NEXT;
}

ExecStatus simd_3same_fp(CPUState *cpu, bool q, bool u, unsigned size, unsigned opcode,
                         unsigned rm, unsigned rn, unsigned rd, bool scalar)
{
    unsigned key = (u << 4) | ((size >> 1) << 3) | (opcode & 7);
    bool sz = size & 1;
    if (!scalar && (key == K_FMLAL || key == K_FMLSL || key == K_FMLAL2 || key == K_FMLSL2)) {
        if (sz || !cpu_has_fhm(cpu)) {
            return cpu_raise_undef(cpu);
        }
        return simd_fmlal(cpu, q, u, key == K_FMLSL || key == K_FMLSL2, rm, rn, rd, -1);
    }
    if (!simd_fp_key_ok(key, scalar) || (sz && !q && !scalar)) {
        return cpu_raise_undef(cpu);
    }
    return simd_3same_fp_common(cpu, q, sz ? FP64 : FP32, key, rm, rn, rd, scalar);
}

ExecStatus simd_3same_fp16(CPUState *cpu, bool q, bool u, bool a, unsigned opcode,
                           unsigned rm, unsigned rn, unsigned rd, bool scalar)
{
    unsigned key = (u << 4) | (a << 3) | opcode;
    if (!cpu_has_advsimd_fp16(cpu) || !simd_fp_key_ok(key, scalar)) {
        return cpu_raise_undef(cpu);
    }
    return simd_3same_fp_common(cpu, q, FP16, key, rm, rn, rd, scalar);
}

ExecStatus trans_SIMD_3same_fp16(CPUState *cpu, const arg_SIMD_3same_fp16 *a)
{
    return simd_3same_fp16(cpu, a->Q, a->U, a->a, a->opcode, a->Rm, a->Rn, a->Rd, false);
}

ExecStatus trans_SIMD_3same_fp16_scalar(CPUState *cpu, const arg_SIMD_3same_fp16_scalar *a)
{
    return simd_3same_fp16(cpu, true, a->U, a->a, a->opcode, a->Rm, a->Rn, a->Rd, true);
}
