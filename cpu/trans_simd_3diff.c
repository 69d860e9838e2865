/*
 * AdvSIMD three different (vector and scalar, Arm ARM C4.1.6): long, wide
 * and high-narrow forms: [SU]ADDL/W, [SU]SUBL/W, [R]ADDHN, [R]SUBHN,
 * [SU]ABAL, [SU]ABDL, [SU]MLAL, [SU]MLSL, [SU]MULL, SQDMLAL, SQDMLSL,
 * SQDMULL, PMULL/PMULL2 (8-bit, and 64-bit with FEAT_PMULL).
 */
#include "cpu/simd-int.h"
#include "decode-a64.h"

typedef simd_s128 s128;
__extension__ typedef unsigned __int128 u128;

/* Carry-less multiply of two 64-bit polynomials. */
static u128 clmul64(uint64_t a, uint64_t b)
{
    u128 r = 0;
    for (unsigned i = 0; i < 64; i++) {
        if ((b >> i) & 1) {
            r ^= (u128)a << i;
        }
    }
    return r;
}

static bool cpu_has_pmull64(const CPUState *cpu)
{
    return id_field(cpu->id.ID_AA64ISAR0_EL1, 4) >= 2;
}

static ExecStatus simd_3diff(CPUState *cpu, bool q, bool u, unsigned size, unsigned opcode,
                             unsigned rm, unsigned rn, unsigned rd, bool scalar)
{
    bool ok;
    switch (opcode) {
    case 0x9: case 0xb: case 0xd:       /* SQDMLAL, SQDMLSL, SQDMULL */
        ok = !u && (size == 1 || size == 2);
        break;
    case 0xe:                           /* PMULL */
        ok = !u && !scalar && (size == 0 || (size == 3 && cpu_has_pmull64(cpu)));
        break;
    case 0xf:
        ok = false;
        break;
    default:
        ok = !scalar && size != 3;
        break;
    }
    if (!ok) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    uint64_t n[2], m[2], d[2], r[2] = { 0, 0 };
    vreg_get(cpu, rn, n);
    vreg_get(cpu, rm, m);
    vreg_get(cpu, rd, d);
    if (opcode == 0xe && size == 3) {
        u128 p = clmul64(n[q], m[q]);
        vreg_set128(cpu, rd, (uint64_t)p, (uint64_t)(p >> 64));
        return EXEC_NEXT;
    }
    unsigned esize = 1u << size, ebits = 8 * esize;
    unsigned elements = scalar ? 1 : 8 / esize;
    bool sat = false;
    if (opcode == 0x4 || opcode == 0x6) {
        /* ADDHN/SUBHN (U: rounding): high halves of 2*esize sums, into part Q. */
        uint64_t res[2] = { 0, 0 };
        for (unsigned i = 0; i < elements; i++) {
            uint64_t x = vec_get(n, i, 2 * esize), y = vec_get(m, i, 2 * esize);
            uint64_t s = opcode == 0x4 ? x + y : x - y;
            if (u) {
                s += 1ULL << (ebits - 1);
            }
            vec_set(res, i, esize, (s >> ebits) & MASK64(ebits));
        }
        if (!q) {
            vreg_set_scalar(cpu, rd, res[0]);
        } else {
            vreg_set128(cpu, rd, d[0], res[0]);
        }
        return EXEC_NEXT;
    }
    bool wide = opcode == 0x1 || opcode == 0x3;
    uint64_t nsrc[2] = { n[scalar ? 0 : q], 0 }, msrc[2] = { m[scalar ? 0 : q], 0 };
    for (unsigned i = 0; i < elements; i++) {
        uint64_t xr = wide ? vec_get(n, i, 2 * esize) : vec_get(nsrc, i, esize);
        uint64_t yr = vec_get(msrc, i, esize);
        s128 x, y;
        if (wide) {
            x = u ? (s128)xr : (s128)sextract64(xr, 0, 2 * ebits);
        } else {
            x = u ? (s128)xr : (s128)sextract64(xr, 0, ebits);
        }
        y = u ? (s128)yr : (s128)sextract64(yr, 0, ebits);
        s128 acc = (s128)sextract64(vec_get(d, i, 2 * esize), 0, 2 * ebits);
        uint64_t v;
        switch (opcode) {
        case 0x0: case 0x1: v = (uint64_t)(x + y); break;
        case 0x2: case 0x3: v = (uint64_t)(x - y); break;
        case 0x5: v = (uint64_t)(acc + (x > y ? x - y : y - x)); break;
        case 0x7: v = (uint64_t)(x > y ? x - y : y - x); break;
        case 0x8: v = (uint64_t)(acc + x * y); break;
        case 0xa: v = (uint64_t)(acc - x * y); break;
        case 0xc: v = (uint64_t)(x * y); break;
        case 0x9: case 0xb: case 0xd: {
            /* Saturating doubling multiply, then saturating accumulate. */
            uint64_t p = simd_sat(2 * x * y, 2 * ebits, false, &sat);
            s128 ps = (s128)sextract64(p, 0, 2 * ebits);
            if (opcode == 0xd) {
                v = p;
            } else {
                v = simd_sat(opcode == 0x9 ? acc + ps : acc - ps, 2 * ebits, false, &sat);
            }
            break;
        }
        default: {          /* PMULL 8-bit */
            uint64_t pr = 0;
            for (unsigned k = 0; k < 8; k++) {
                if ((yr >> k) & 1) {
                    pr ^= xr << k;
                }
            }
            v = pr;
            break;
        }
        }
        vec_set(r, i, 2 * esize, v & MASK64(2 * ebits));
    }
    if (sat) {
        cpu->fpsr |= FPSR_QC;
    }
    if (scalar) {
        vreg_set_scalar(cpu, rd, r[0]);
    } else {
        vreg_set128(cpu, rd, r[0], r[1]);
    }
    return EXEC_NEXT;
}

ExecStatus trans_SIMD_3diff(CPUState *cpu, const arg_SIMD_3diff *a)
{
    return simd_3diff(cpu, a->Q, a->U, a->size, a->opcode, a->Rm, a->Rn, a->Rd, false);
}

ExecStatus trans_SIMD_3diff_scalar(CPUState *cpu, const arg_SIMD_3diff_scalar *a)
{
    return simd_3diff(cpu, false, a->U, a->size, a->opcode, a->Rm, a->Rn, a->Rd, true);
}
