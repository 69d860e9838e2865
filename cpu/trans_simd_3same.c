/*
 * AdvSIMD three same (Arm ARM C4.1.6 "Advanced SIMD three same" and the
 * scalar variant): integer arithmetic incl. saturating/halving/rounding,
 * register shifts, compares, pairwise, logical, and the FP three-same group.
 */
#include "cpu/fpsimd.h"
#include "cpu/simd-int.h"
#include "decode-a64.h"

typedef simd_s128 s128;

/* Integer three-same opcodes (bits 15:11). */
enum {
    OP_HADD = 0, OP_QADD, OP_RHADD, OP_LOGIC, OP_HSUB, OP_QSUB, OP_CMGT, OP_CMGE,
    OP_SHL, OP_QSHL, OP_RSHL, OP_QRSHL, OP_MAX, OP_MIN, OP_ABD, OP_ABA,
    OP_ADD, OP_CMTST, OP_MLA, OP_MUL, OP_MAXP, OP_MINP, OP_QDMULH, OP_ADDP,
};

uint64_t simd_sat(s128 x, unsigned ebits, bool is_unsigned, bool *sat)
{
    s128 lo = is_unsigned ? 0 : -((s128)1 << (ebits - 1));
    s128 hi = is_unsigned ? ((s128)1 << ebits) - 1 : ((s128)1 << (ebits - 1)) - 1;
    if (x < lo) {
        *sat = true;
        x = lo;
    } else if (x > hi) {
        *sat = true;
        x = hi;
    }
    return (uint64_t)x & MASK64(ebits);
}

/*
 * Shift by a signed register amount (SSHL, USHL, SRSHL, URSHL, SQSHL, UQSHL,
 * SQRSHL, UQRSHL): the shift is the signed bottom byte of the second operand;
 * negative shifts right.
 */
uint64_t simd_shift_reg(s128 x, int shift, unsigned ebits, bool is_unsigned, bool round,
                        bool saturate, bool *sat)
{
    s128 r;
    if (shift >= 0) {
        if (x == 0) {
            return 0;
        }
        if (shift >= (int)ebits) {
            if (!saturate) {
                return 0;
            }
            return simd_sat(x < 0 ? -((s128)1 << 100) : ((s128)1 << 100), ebits, is_unsigned, sat);
        }
        r = x * ((s128)1 << shift);
        if (!saturate) {
            return (uint64_t)r & MASK64(ebits);
        }
        return simd_sat(r, ebits, is_unsigned, sat);
    }
    int rs = -shift;
    if (rs > 66) {
        rs = 66;
    }
    if (round) {
        r = (x + ((s128)1 << (rs - 1))) >> rs;
    } else {
        r = x >> rs;
    }
    return saturate ? simd_sat(r, ebits, is_unsigned, sat) : (uint64_t)r & MASK64(ebits);
}

/* One lane of an integer three-same operation; a, b, d are zero-extended lanes. */
static uint64_t simd_3same_int_lane(unsigned op, bool u, unsigned ebits, uint64_t a,
                                    uint64_t b, uint64_t d, bool *sat)
{
    s128 x = u ? (s128)a : (s128)sextract64(a, 0, ebits);
    s128 y = u ? (s128)b : (s128)sextract64(b, 0, ebits);
    uint64_t m = MASK64(ebits);
    switch (op) {
    case OP_HADD: return (uint64_t)((x + y) >> 1) & m;
    case OP_QADD: return simd_sat(x + y, ebits, u, sat);
    case OP_RHADD: return (uint64_t)((x + y + 1) >> 1) & m;
    case OP_HSUB: return (uint64_t)((x - y) >> 1) & m;
    case OP_QSUB: return simd_sat(x - y, ebits, u, sat);
    case OP_CMGT: return x > y ? m : 0;
    case OP_CMGE: return x >= y ? m : 0;
    case OP_SHL: return simd_shift_reg(x, (int8_t)b, ebits, u, false, false, sat);
    case OP_QSHL: return simd_shift_reg(x, (int8_t)b, ebits, u, false, true, sat);
    case OP_RSHL: return simd_shift_reg(x, (int8_t)b, ebits, u, true, false, sat);
    case OP_QRSHL: return simd_shift_reg(x, (int8_t)b, ebits, u, true, true, sat);
    case OP_MAX: case OP_MAXP: return (uint64_t)(x > y ? x : y) & m;
    case OP_MIN: case OP_MINP: return (uint64_t)(x < y ? x : y) & m;
    case OP_ABD: return (uint64_t)(x > y ? x - y : y - x) & m;
    case OP_ABA: return (d + (uint64_t)(x > y ? x - y : y - x)) & m;
    case OP_ADD: return (u ? a - b : a + b) & m;
    case OP_CMTST: return (u ? a == b : (a & b) != 0) ? m : 0;
    case OP_MLA: return (u ? d - a * b : d + a * b) & m;
    case OP_MUL:
        if (u) {        /* PMUL: polynomial multiply over {0,1}, bytes only */
            uint64_t r = 0;
            for (unsigned i = 0; i < 8; i++) {
                if ((b >> i) & 1) {
                    r ^= a << i;
                }
            }
            return r & m;
        }
        return (a * b) & m;
    case OP_QDMULH: {
        /* SQDMULH / SQRDMULH (u selects rounding): always signed lanes. */
        s128 p = 2 * (s128)sextract64(a, 0, ebits) * (s128)sextract64(b, 0, ebits);
        if (u) {
            p += (s128)1 << (ebits - 1);
        }
        return simd_sat(p >> ebits, ebits, false, sat);
    }
    case OP_ADDP: return (a + b) & m;
    default: return 0;
    }
}

/* Is (opcode, U, size, Q) an allocated integer three-same encoding? */
static bool simd_3same_int_ok(unsigned op, bool u, unsigned size, bool q, bool scalar)
{
    if (scalar) {
        /* Scalar: SQADD/UQADD, SQSUB/UQSUB, SQSHL, SQRSHL (any size); CMGT/CMGE/SSHL/SRSHL,
           ADD/SUB, CMTST/CMEQ (size 3 only); SQDMULH/SQRDMULH (size 1, 2). */
        switch (op) {
        case OP_QADD: case OP_QSUB: case OP_QSHL: case OP_QRSHL: return true;
        case OP_CMGT: case OP_CMGE: case OP_SHL: case OP_RSHL: case OP_ADD: case OP_CMTST:
            return size == 3;
        case OP_QDMULH: return size == 1 || size == 2;
        default: return false;
        }
    }
    if (size == 3 && !q) {
        return false;
    }
    switch (op) {
    case OP_HADD: case OP_RHADD: case OP_HSUB: case OP_MAX: case OP_MIN: case OP_ABD: case OP_ABA:
    case OP_MLA: case OP_MAXP: case OP_MINP:
        return size != 3;
    case OP_MUL: return u ? size == 0 : size != 3;
    case OP_QDMULH: return size == 1 || size == 2;
    case OP_ADDP: return !u;
    default: return true;
    }
}

/*
 * Typed lane loops for the most common non-saturating ops (string scanning,
 * counters, compares): same results as simd_3same_int_lane, without the
 * per-lane 128-bit arithmetic.
 */
#define LANES(T, ST, EXPR) do {                                              \
        const T *x_ = (const T *)vn, *y_ = (const T *)vm;                    \
        T *o_ = (T *)res;                                                    \
        for (unsigned i_ = 0; i_ < elements; i_++) {                         \
            T a = x_[i_], b = y_[i_];                                        \
            ST sa = (ST)a, sb = (ST)b;                                       \
            (void)sa; (void)sb;                                              \
            o_[i_] = (T)(EXPR);                                              \
        }                                                                    \
    } while (0)
#define BY_SIZE(EXPR) do {                                                   \
        switch (size) {                                                      \
        case 0: LANES(uint8_t, int8_t, EXPR); break;                         \
        case 1: LANES(uint16_t, int16_t, EXPR); break;                       \
        case 2: LANES(uint32_t, int32_t, EXPR); break;                       \
        default: LANES(uint64_t, int64_t, EXPR); break;                      \
        }                                                                    \
    } while (0)

static bool simd_3same_int_fast(unsigned op, bool u, unsigned size, unsigned elements,
                                const uint64_t vn[2], const uint64_t vm[2], uint64_t res[2])
{
    switch (op) {
    case OP_ADD:
        if (u) { BY_SIZE(a - b); } else { BY_SIZE(a + b); }
        return true;
    case OP_CMTST:
        if (u) { BY_SIZE(a == b ? -1 : 0); } else { BY_SIZE((a & b) ? -1 : 0); }
        return true;
    case OP_CMGT:
        if (u) { BY_SIZE(a > b ? -1 : 0); } else { BY_SIZE(sa > sb ? -1 : 0); }
        return true;
    case OP_CMGE:
        if (u) { BY_SIZE(a >= b ? -1 : 0); } else { BY_SIZE(sa >= sb ? -1 : 0); }
        return true;
    case OP_MAX:
        if (u) { BY_SIZE(a > b ? a : b); } else { BY_SIZE(sa > sb ? a : b); }
        return true;
    case OP_MIN:
        if (u) { BY_SIZE(a < b ? a : b); } else { BY_SIZE(sa < sb ? a : b); }
        return true;
    default:
        return false;
    }
}

static ExecStatus simd_3same_int(CPUState *cpu, bool q, bool u, unsigned size, unsigned op,
                                 unsigned rm, unsigned rn, unsigned rd, bool scalar)
{
    if (!simd_3same_int_ok(op, u, size, q, scalar)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned esize = 1u << size, ebits = 8 * esize;
    unsigned elements = scalar ? 1 : (q ? 16 : 8) / esize;
    uint64_t vn[2], vm[2], vd[2], res[2] = { 0, 0 };
    vreg_get(cpu, rn, vn);
    vreg_get(cpu, rm, vm);
    vreg_get(cpu, rd, vd);
    bool sat = false;
    if (!scalar && simd_3same_int_fast(op, u, size, elements, vn, vm, res)) {
        vreg_set_q(cpu, rd, res, q);
        return EXEC_NEXT;
    }
    if (op == OP_MAXP || op == OP_MINP || op == OP_ADDP) {
        /* Pairwise: lanes of concat(Rm:Rn), adjacent pairs. */
        uint64_t cat[4] = { vn[0], q ? vn[1] : vm[0], q ? vm[0] : 0, q ? vm[1] : 0 };
        for (unsigned i = 0; i < elements; i++) {
            uint64_t a = vec_get(cat, 2 * i, esize), b = vec_get(cat, 2 * i + 1, esize);
            vec_set(res, i, esize, simd_3same_int_lane(op, u, ebits, a, b, 0, &sat));
        }
    } else {
        for (unsigned i = 0; i < elements; i++) {
            uint64_t a = vec_get(vn, i, esize), b = vec_get(vm, i, esize), d = vec_get(vd, i, esize);
            vec_set(res, i, esize, simd_3same_int_lane(op, u, ebits, a, b, d, &sat));
        }
    }
    if (sat) {
        cpu->fpsr |= FPSR_QC;
    }
    if (scalar) {
        vreg_set_scalar(cpu, rd, res[0]);
    } else {
        vreg_set_q(cpu, rd, res, q);
    }
    return EXEC_NEXT;
}

/* AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF (opcode 00011, size selects). */
static ExecStatus simd_logic(CPUState *cpu, bool q, bool u, unsigned size, unsigned rm,
                             unsigned rn, unsigned rd)
{
    FP_ACCESS_CHECK(cpu);
    uint64_t n[2], m[2], d[2], r[2];
    vreg_get(cpu, rn, n);
    vreg_get(cpu, rm, m);
    vreg_get(cpu, rd, d);
    for (int i = 0; i < 2; i++) {
        switch (u * 4 + size) {
        case 0: r[i] = n[i] & m[i]; break;
        case 1: r[i] = n[i] & ~m[i]; break;
        case 2: r[i] = n[i] | m[i]; break;
        case 3: r[i] = n[i] | ~m[i]; break;
        case 4: r[i] = n[i] ^ m[i]; break;
        case 5: r[i] = (d[i] & n[i]) | (~d[i] & m[i]); break;   /* BSL */
        case 6: r[i] = (m[i] & n[i]) | (~m[i] & d[i]); break;   /* BIT */
        default: r[i] = (~m[i] & n[i]) | (m[i] & d[i]); break;  /* BIF */
        }
    }
    vreg_set_q(cpu, rd, r, q);
    return EXEC_NEXT;
}

ExecStatus trans_SIMD_3same(CPUState *cpu, const arg_SIMD_3same *a)
{
    if (a->opcode == OP_LOGIC) {
        return simd_logic(cpu, a->Q, a->U, a->size, a->Rm, a->Rn, a->Rd);
    }
    if (a->opcode >= 0x18) {
        return simd_3same_fp(cpu, a->Q, a->U, a->size, a->opcode, a->Rm, a->Rn, a->Rd, false);
    }
    return simd_3same_int(cpu, a->Q, a->U, a->size, a->opcode, a->Rm, a->Rn, a->Rd, false);
}

ExecStatus trans_SIMD_3same_scalar(CPUState *cpu, const arg_SIMD_3same_scalar *a)
{
    if (a->opcode >= 0x18) {
        return simd_3same_fp(cpu, true, a->U, a->size, a->opcode, a->Rm, a->Rn, a->Rd, true);
    }
    return simd_3same_int(cpu, true, a->U, a->size, a->opcode, a->Rm, a->Rn, a->Rd, true);
}
