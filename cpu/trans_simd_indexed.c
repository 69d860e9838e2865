/*
 * AdvSIMD vector x indexed element and scalar x indexed element, plus the
 * three-same-extra group (Arm ARM C4.1.6): MUL/MLA/MLS, [SU]MULL/[SU]MLAL/
 * [SU]MLSL, SQDMULL/SQDMLAL/SQDMLSL, SQDMULH/SQRDMULH, SQRDMLAH/SQRDMLSH
 * (FEAT_RDM), FMUL/FMULX/FMLA/FMLS (incl. FP16), SDOT/UDOT (FEAT_DotProd),
 * FCMLA/FCADD (FEAT_FCMA), USDOT/SUDOT/SMMLA/UMMLA/USMMLA (FEAT_I8MM).
 */
#include "cpu/simd-int.h"
#include "decode-a64.h"

typedef simd_s128 s128;

/* SQRDMLAH/SQRDMLSH lane: SignedSatQ(((acc << esize) +- 2*n*m + round) >> esize). */
static uint64_t sqrdml_lane(uint64_t acc, uint64_t n, uint64_t m, unsigned ebits, bool sub, bool *sat)
{
    s128 p = 2 * (s128)sextract64(n, 0, ebits) * (s128)sextract64(m, 0, ebits);
    s128 a = (s128)sextract64(acc, 0, ebits) * ((s128)1 << ebits);
    s128 r = (sub ? a - p : a + p) + ((s128)1 << (ebits - 1));
    return simd_sat(r >> ebits, ebits, false, sat);
}

/* 4-way byte dot product into a 32-bit lane, each operand signed or unsigned. */
static uint32_t dot4(uint32_t acc, const uint8_t *n, bool n_signed, const uint8_t *m, bool m_signed)
{
    for (unsigned k = 0; k < 4; k++) {
        int32_t x = n_signed ? (int8_t)n[k] : (int32_t)n[k];
        int32_t y = m_signed ? (int8_t)m[k] : (int32_t)m[k];
        acc += (uint32_t)(x * y);
    }
    return acc;
}

/*
 * BF16 dot products and widening multiply-adds (FEAT_BF16). mpair/mlane < 0:
 * vector forms; else the by-element pair (BFDOT) or lane (BFMLAL) of Vm.
 */
static ExecStatus simd_bfdot(CPUState *cpu, bool q, unsigned rm, unsigned rn, unsigned rd, int mpair)
{
    FP_ACCESS_CHECK(cpu);
    uint64_t n[2], m[2], d[2];
    vreg_get(cpu, rn, n);
    vreg_get(cpu, rm, m);
    vreg_get(cpu, rd, d);
    for (unsigned e = 0; e < (q ? 4u : 2u); e++) {
        unsigned mp = mpair < 0 ? e : (unsigned)mpair;
        uint32_t r = fp_bfdot_add((uint32_t)vec_get(d, e, 4), (uint16_t)vec_get(n, 2 * e, 2),
                                  (uint16_t)vec_get(n, 2 * e + 1, 2), (uint16_t)vec_get(m, 2 * mp, 2),
                                  (uint16_t)vec_get(m, 2 * mp + 1, 2));
        vec_set(d, e, 4, r);
    }
    vreg_set_q(cpu, rd, d, q);
    return EXEC_NEXT;
}

/* BFMLALB (top = 0) / BFMLALT (top = 1): Vd.4S += Vn.H[2e+top] * Vm.H[..], FPMulAdd with FPCR. */
static ExecStatus simd_bfmlal(CPUState *cpu, unsigned top, unsigned rm, unsigned rn, unsigned rd, int mlane)
{
    FP_ACCESS_CHECK(cpu);
    uint64_t n[2], m[2], d[2];
    vreg_get(cpu, rn, n);
    vreg_get(cpu, rm, m);
    vreg_get(cpu, rd, d);
    FPCtx c = fp_begin(cpu);
    for (unsigned e = 0; e < 4; e++) {
        uint64_t x = vec_get(n, 2 * e + top, 2) << 16;
        uint64_t y = vec_get(m, mlane < 0 ? 2 * e + top : (unsigned)mlane, 2) << 16;
        vec_set(d, e, 4, fp_muladd(&c, FP32, vec_get(d, e, 4), x, y));
    }
    fp_end(cpu, &c);
    vreg_set128(cpu, rd, d[0], d[1]);
    return EXEC_NEXT;
}

/* Integer by-element ops on same-size lanes; key = U:opcode. */
static uint64_t idx_int_lane(unsigned key, unsigned ebits, uint64_t n, uint64_t m, uint64_t d, bool *sat)
{
    uint64_t mask = MASK64(ebits);
    switch (key) {
    case 0x08: return (n * m) & mask;                 /* MUL */
    case 0x10: return (d + n * m) & mask;             /* MLA */
    case 0x14: return (d - n * m) & mask;             /* MLS */
    case 0x0c: case 0x0d: {                            /* SQDMULH, SQRDMULH */
        s128 p = 2 * (s128)sextract64(n, 0, ebits) * (s128)sextract64(m, 0, ebits);
        if (key == 0x0d) {
            p += (s128)1 << (ebits - 1);
        }
        return simd_sat(p >> ebits, ebits, false, sat);
    }
    case 0x1d: return sqrdml_lane(d, n, m, ebits, false, sat);   /* SQRDMLAH */
    default: return sqrdml_lane(d, n, m, ebits, true, sat);      /* SQRDMLSH (0x1f) */
    }
}

/* Long by-element ops: key = U:opcode; x, y are the narrow lanes, acc the wide lane. */
static uint64_t idx_long_lane(unsigned key, unsigned ebits, uint64_t x, uint64_t y, uint64_t acc, bool *sat)
{
    bool u = key & 0x10;
    s128 a = u ? (s128)x : (s128)sextract64(x, 0, ebits);
    s128 b = u ? (s128)y : (s128)sextract64(y, 0, ebits);
    unsigned wbits = 2 * ebits;
    switch (key & 0xf) {
    case 0x2: return (acc + (uint64_t)(a * b)) & MASK64(wbits);    /* [SU]MLAL */
    case 0x6: return (acc - (uint64_t)(a * b)) & MASK64(wbits);    /* [SU]MLSL */
    case 0xa: return (uint64_t)(a * b) & MASK64(wbits);            /* [SU]MULL */
    default: {                                                      /* SQDMLAL/SQDMLSL/SQDMULL */
        uint64_t p = simd_sat(2 * a * b, wbits, false, sat);
        if ((key & 0xf) == 0xb) {
            return p;
        }
        s128 ac = (s128)sextract64(acc, 0, wbits), ps = (s128)sextract64(p, 0, wbits);
        return simd_sat((key & 0xf) == 0x3 ? ac + ps : ac - ps, wbits, false, sat);
    }
    }
}

static ExecStatus simd_indexed(CPUState *cpu, bool q, bool u, unsigned size, unsigned L, unsigned M,
                               unsigned rm4, unsigned opcode, unsigned H, unsigned rn, unsigned rd,
                               bool scalar)
{
    unsigned key = (u << 4) | opcode;
    bool is_fp = key == 0x01 || key == 0x05 || key == 0x09 || key == 0x19;
    unsigned index, rm;
    /* Element size and index/register decoding. */
    if (is_fp) {
        FPFmt f;
        if (size == 0) {
            if (!cpu_has_advsimd_fp16(cpu)) {
                return cpu_raise_undef(cpu);
            }
            f = FP16;
            index = (H << 2) | (L << 1) | M;
            rm = rm4;
        } else if (size == 2) {
            f = FP32;
            index = (H << 1) | L;
            rm = (M << 4) | rm4;
        } else if (size == 3 && !L && (q || scalar)) {
            f = FP64;
            index = H;
            rm = (M << 4) | rm4;
        } else {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        unsigned esize = fp_bits(f) / 8, elements = scalar ? 1 : (q ? 16 : 8) / esize;
        uint64_t n[2], m[2], d[2], r[2] = { 0, 0 };
        vreg_get(cpu, rn, n);
        vreg_get(cpu, rm, m);
        vreg_get(cpu, rd, d);
        uint64_t e = vec_get(m, index, esize);
        FPCtx c = fp_begin(cpu);
        for (unsigned i = 0; i < elements; i++) {
            uint64_t x = vec_get(n, i, esize), v;
            switch (key) {
            case 0x01: v = fp_muladd(&c, f, vec_get(d, i, esize), x, e); break;
            case 0x05: v = fp_muladd(&c, f, vec_get(d, i, esize), fp_neg(f, x), e); break;
            case 0x09: v = fp_mul(&c, f, x, e); break;
            default: v = fp_mulx(&c, f, x, e); break;
            }
            vec_set(r, i, esize, v);
        }
        fp_end(cpu, &c);
        vreg_set_q(cpu, rd, r, q || scalar);
        return EXEC_NEXT;
    }
    if (key == 0x0e || key == 0x1e || key == 0x0f) {
        /*
         * SDOT/UDOT (by element, FEAT_DotProd); USDOT (size 10) and SUDOT
         * (size 00) by element (FEAT_I8MM): 4-byte groups into 32-bit lanes.
         */
        bool n_signed, m_signed;
        if (key == 0x0f && (size & 1)) {
            /* BFDOT (size 01, Vm pair H:L) / BFMLALB/T (size 11, Vm.H[H:L:M], V0-V15, Q = T). */
            if (scalar || !cpu_has_bf16(cpu)) {
                return cpu_raise_undef(cpu);
            }
            if (size == 1) {
                return simd_bfdot(cpu, q, (M << 4) | rm4, rn, rd, (int)((H << 1) | L));
            }
            return simd_bfmlal(cpu, q, rm4, rn, rd, (int)((H << 2) | (L << 1) | M));
        }
        if (key == 0x0f) {
            if (scalar || (size != 0 && size != 2) || !cpu_has_i8mm(cpu)) {
                return cpu_raise_undef(cpu);
            }
            n_signed = size == 0;
            m_signed = size == 2;
        } else {
            if (scalar || size != 2 || !cpu_has_dotprod(cpu)) {
                return cpu_raise_undef(cpu);
            }
            n_signed = m_signed = !u;
        }
        FP_ACCESS_CHECK(cpu);
        index = (H << 1) | L;
        rm = (M << 4) | rm4;
        uint64_t n[2], m[2], d[2];
        vreg_get(cpu, rn, n);
        vreg_get(cpu, rm, m);
        vreg_get(cpu, rd, d);
        const uint8_t *nb = (const uint8_t *)n, *mb = (const uint8_t *)m + 4 * index;
        for (unsigned i = 0; i < (q ? 4u : 2u); i++) {
            vec_set(d, i, 4, dot4((uint32_t)vec_get(d, i, 4), nb + 4 * i, n_signed, mb, m_signed));
        }
        vreg_set_q(cpu, rd, d, q);
        return EXEC_NEXT;
    }
    if (key == 0x00 || key == 0x04 || key == 0x18 || key == 0x1c) {
        /* FMLAL/FMLSL (U=0) and FMLAL2/FMLSL2 (U=1) by element, FEAT_FHM: Vm.H[H:L:M], V0-V15. */
        if (scalar || size != 2 || !cpu_has_fhm(cpu)) {
            return cpu_raise_undef(cpu);
        }
        return simd_fmlal(cpu, q, u, key == 0x04 || key == 0x1c, rm4, rn, rd,
                          (int)((H << 2) | (L << 1) | M));
    }
    bool is_long, ok;
    switch (key) {
    case 0x08: case 0x10: case 0x14: is_long = false; ok = !scalar; break;        /* MUL, MLA, MLS */
    case 0x0c: case 0x0d: is_long = false; ok = true; break;                      /* SQ[R]DMULH */
    case 0x1d: case 0x1f: is_long = false; ok = cpu_has_rdm(cpu); break;          /* SQRDMLAH/SH */
    case 0x02: case 0x06: case 0x0a: case 0x12: case 0x16: case 0x1a:
        is_long = true; ok = !scalar; break;                                      /* [SU]MLAL/MLSL/MULL */
    case 0x03: case 0x07: case 0x0b: is_long = true; ok = true; break;            /* SQDMLAL/SL/ULL */
    default: return cpu_raise_undef(cpu);
    }
    if (!ok || (size != 1 && size != 2)) {
        return cpu_raise_undef(cpu);
    }
    if (size == 1) {
        index = (H << 2) | (L << 1) | M;
        rm = rm4;
    } else {
        index = (H << 1) | L;
        rm = (M << 4) | rm4;
    }
    FP_ACCESS_CHECK(cpu);
    unsigned esize = 1u << size, ebits = 8 * esize;
    uint64_t n[2], m[2], d[2], r[2] = { 0, 0 };
    vreg_get(cpu, rn, n);
    vreg_get(cpu, rm, m);
    vreg_get(cpu, rd, d);
    uint64_t e = vec_get(m, index, esize);
    bool sat = false;
    if (is_long) {
        uint64_t src[2] = { n[scalar ? 0 : q], 0 };
        unsigned elements = scalar ? 1 : 8 / esize;
        for (unsigned i = 0; i < elements; i++) {
            vec_set(r, i, 2 * esize, idx_long_lane(key, ebits, vec_get(src, i, esize), e,
                                                   vec_get(d, i, 2 * esize), &sat));
        }
        if (sat) {
            cpu->fpsr |= FPSR_QC;
        }
        vreg_set128(cpu, rd, r[0], scalar ? 0 : r[1]);
        return EXEC_NEXT;
    }
    unsigned elements = scalar ? 1 : (q ? 16 : 8) / esize;
    for (unsigned i = 0; i < elements; i++) {
        vec_set(r, i, esize, idx_int_lane(key, ebits, vec_get(n, i, esize), e, vec_get(d, i, esize), &sat));
    }
    if (sat) {
        cpu->fpsr |= FPSR_QC;
    }
    vreg_set_q(cpu, rd, r, q || scalar);
    return EXEC_NEXT;
}

/* FCMLA (vector or by element). op2 pairs start at pair index mpair (or the lane's own pair if < 0). */
static ExecStatus simd_fcmla(CPUState *cpu, bool q, FPFmt f, unsigned rot, unsigned rm, unsigned rn,
                             unsigned rd, int mpair)
{
    FP_ACCESS_CHECK(cpu);
    unsigned esize = fp_bits(f) / 8, elements = (q ? 16 : 8) / esize;
    uint64_t n[2], m[2], d[2];
    vreg_get(cpu, rn, n);
    vreg_get(cpu, rm, m);
    vreg_get(cpu, rd, d);
    FPCtx c = fp_begin(cpu);
    for (unsigned e = 0; e < elements / 2; e++) {
        unsigned mp = mpair < 0 ? e : (unsigned)mpair;
        uint64_t mre = vec_get(m, 2 * mp, esize), mim = vec_get(m, 2 * mp + 1, esize);
        uint64_t nre = vec_get(n, 2 * e, esize), nim = vec_get(n, 2 * e + 1, esize);
        uint64_t e1, e2, e3, e4;
        switch (rot) {
        case 0: e1 = mre; e2 = nre; e3 = mim; e4 = nre; break;
        case 1: e1 = fp_neg(f, mim); e2 = nim; e3 = mre; e4 = nim; break;
        case 2: e1 = fp_neg(f, mre); e2 = nre; e3 = fp_neg(f, mim); e4 = nre; break;
        default: e1 = mim; e2 = nim; e3 = fp_neg(f, mre); e4 = nim; break;
        }
        uint64_t r0 = fp_muladd(&c, f, vec_get(d, 2 * e, esize), e2, e1);
        uint64_t r1 = fp_muladd(&c, f, vec_get(d, 2 * e + 1, esize), e4, e3);
        vec_set(d, 2 * e, esize, r0);
        vec_set(d, 2 * e + 1, esize, r1);
    }
    fp_end(cpu, &c);
    vreg_set_q(cpu, rd, d, q);
    return EXEC_NEXT;
}

ExecStatus trans_SIMD_indexed(CPUState *cpu, const arg_SIMD_indexed *a)
{
    unsigned opcode = a->opcode;
    if (a->U && (opcode & 9) == 1) {
        /* FCMLA (by element): opcode 0 rot:2 1; size 01 half (index H:L), 10 single (index H). */
        unsigned rot = (opcode >> 1) & 3;
        if (!cpu_has_fcma(cpu)) {
            return cpu_raise_undef(cpu);
        }
        if (a->size == 1 && cpu_has_advsimd_fp16(cpu) && !(a->H && !a->Q)) {
            return simd_fcmla(cpu, a->Q, FP16, rot, (a->M << 4) | a->Rm, a->Rn, a->Rd,
                              (int)((a->H << 1) | a->L));
        }
        if (a->size == 2 && !a->L && a->Q) {
            return simd_fcmla(cpu, a->Q, FP32, rot, (a->M << 4) | a->Rm, a->Rn, a->Rd, (int)a->H);
        }
        return cpu_raise_undef(cpu);
    }
    return simd_indexed(cpu, a->Q, a->U, a->size, a->L, a->M, a->Rm, opcode, a->H, a->Rn, a->Rd, false);
}

ExecStatus trans_SIMD_indexed_scalar(CPUState *cpu, const arg_SIMD_indexed_scalar *a)
{
    return simd_indexed(cpu, true, a->U, a->size, a->L, a->M, a->Rm, a->opcode, a->H, a->Rn, a->Rd, true);
}

/* Three same extra: SDOT/UDOT, SQRDMLAH/SQRDMLSH, FCMLA, FCADD. */
ExecStatus trans_SIMD_3same_extra(CPUState *cpu, const arg_SIMD_3same_extra *a)
{
    unsigned op = a->opcode, size = a->size;
    bool q = a->Q;
    if (a->U && op < 2) {
        /* SQRDMLAH / SQRDMLSH (vector). */
        if (!cpu_has_rdm(cpu) || (size != 1 && size != 2)) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        unsigned esize = 1u << size, ebits = 8 * esize;
        uint64_t n[2], m[2], d[2], r[2] = { 0, 0 };
        vreg_get(cpu, a->Rn, n);
        vreg_get(cpu, a->Rm, m);
        vreg_get(cpu, a->Rd, d);
        bool sat = false;
        for (unsigned i = 0; i < (q ? 16 : 8) / esize; i++) {
            vec_set(r, i, esize, sqrdml_lane(vec_get(d, i, esize), vec_get(n, i, esize),
                                             vec_get(m, i, esize), ebits, op == 1, &sat));
        }
        if (sat) {
            cpu->fpsr |= FPSR_QC;
        }
        vreg_set_q(cpu, a->Rd, r, q);
        return EXEC_NEXT;
    }
    if (op == 2) {
        /* SDOT (U=0) / UDOT (U=1), vector. */
        if (size != 2 || !cpu_has_dotprod(cpu)) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        uint64_t n[2], m[2], d[2];
        vreg_get(cpu, a->Rn, n);
        vreg_get(cpu, a->Rm, m);
        vreg_get(cpu, a->Rd, d);
        const uint8_t *nb = (const uint8_t *)n, *mb = (const uint8_t *)m;
        for (unsigned i = 0; i < (q ? 4u : 2u); i++) {
            uint32_t acc = (uint32_t)vec_get(d, i, 4);
            for (unsigned k = 0; k < 4; k++) {
                unsigned j = 4 * i + k;
                acc += a->U ? (uint32_t)nb[j] * mb[j] : (uint32_t)((int32_t)(int8_t)nb[j] * (int8_t)mb[j]);
            }
            vec_set(d, i, 4, acc);
        }
        vreg_set_q(cpu, a->Rd, d, q);
        return EXEC_NEXT;
    }
    if (!a->U && op == 3) {
        /* USDOT (vector), FEAT_I8MM: unsigned Vn bytes x signed Vm bytes. */
        if (size != 2 || !cpu_has_i8mm(cpu)) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        uint64_t n[2], m[2], d[2];
        vreg_get(cpu, a->Rn, n);
        vreg_get(cpu, a->Rm, m);
        vreg_get(cpu, a->Rd, d);
        for (unsigned i = 0; i < (q ? 4u : 2u); i++) {
            vec_set(d, i, 4, dot4((uint32_t)vec_get(d, i, 4), (uint8_t *)n + 4 * i, false,
                                  (uint8_t *)m + 4 * i, true));
        }
        vreg_set_q(cpu, a->Rd, d, q);
        return EXEC_NEXT;
    }
    if ((op == 4 || (op == 5 && !a->U))) {
        /*
         * SMMLA (U=0) / UMMLA (U=1) / USMMLA (op 0101), FEAT_I8MM: the 2x8
         * byte matrix Vn times the transposed 2x8 matrix Vm, added to the
         * 2x2 32-bit matrix Vd (MatMulAdd).
         */
        if (size != 2 || !q || !cpu_has_i8mm(cpu)) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        bool n_signed = op == 4 && !a->U, m_signed = !a->U;
        uint64_t n[2], m[2], d[2];
        vreg_get(cpu, a->Rn, n);
        vreg_get(cpu, a->Rm, m);
        vreg_get(cpu, a->Rd, d);
        const uint8_t *nb = (const uint8_t *)n, *mb = (const uint8_t *)m;
        uint64_t r[2];
        for (unsigned i = 0; i < 2; i++) {
            for (unsigned j = 0; j < 2; j++) {
                uint32_t acc = (uint32_t)vec_get(d, 2 * i + j, 4);
                acc = dot4(acc, nb + 8 * i, n_signed, mb + 8 * j, m_signed);
                acc = dot4(acc, nb + 8 * i + 4, n_signed, mb + 8 * j + 4, m_signed);
                vec_set(r, 2 * i + j, 4, acc);
            }
        }
        vreg_set128(cpu, a->Rd, r[0], r[1]);
        return EXEC_NEXT;
    }
    if (a->U && (op == 13 || op == 15) && (size & 1)) {
        /* BFDOT (size 01, op 1111), BFMMLA (size 01, op 1101, Q=1), BFMLALB/T (size 11, op 1111). */
        if (!cpu_has_bf16(cpu) || (op == 13 && (size != 1 || !q))) {
            return cpu_raise_undef(cpu);
        }
        if (op == 15 && size == 1) {
            return simd_bfdot(cpu, q, a->Rm, a->Rn, a->Rd, -1);
        }
        if (op == 15) {
            return simd_bfmlal(cpu, q, a->Rm, a->Rn, a->Rd, -1);
        }
        FP_ACCESS_CHECK(cpu);
        uint64_t n[2], m[2], d[2], r[2];
        vreg_get(cpu, a->Rn, n);
        vreg_get(cpu, a->Rm, m);
        vreg_get(cpu, a->Rd, d);
        for (unsigned i = 0; i < 2; i++) {
            for (unsigned j = 0; j < 2; j++) {
                uint32_t sum = (uint32_t)vec_get(d, 2 * i + j, 4);
                for (unsigned k = 0; k < 2; k++) {
                    sum = fp_bfdot_add(sum, (uint16_t)vec_get(n, 4 * i + 2 * k, 2),
                                       (uint16_t)vec_get(n, 4 * i + 2 * k + 1, 2),
                                       (uint16_t)vec_get(m, 4 * j + 2 * k, 2),
                                       (uint16_t)vec_get(m, 4 * j + 2 * k + 1, 2));
                }
                vec_set(r, 2 * i + j, 4, sum);
            }
        }
        vreg_set128(cpu, a->Rd, r[0], r[1]);
        return EXEC_NEXT;
    }
    if (a->U && op >= 8) {
        /* FCMLA (10 rot), FCADD (11 rot 0). size: 01 half, 10 single, 11 double (Q). */
        FPFmt f;
        if (!cpu_has_fcma(cpu) || size == 0 || (size == 1 && !cpu_has_advsimd_fp16(cpu)) ||
            (size == 3 && !q) || (op >= 12 && (op & 1))) {
            return cpu_raise_undef(cpu);
        }
        f = size == 1 ? FP16 : size == 2 ? FP32 : FP64;
        if (op < 12) {
            return simd_fcmla(cpu, q, f, op & 3, a->Rm, a->Rn, a->Rd, -1);
        }
        FP_ACCESS_CHECK(cpu);
        bool rot270 = op & 2;
        unsigned esize = fp_bits(f) / 8, elements = (q ? 16 : 8) / esize;
        uint64_t n[2], m[2], r[2] = { 0, 0 };
        vreg_get(cpu, a->Rn, n);
        vreg_get(cpu, a->Rm, m);
        FPCtx c = fp_begin(cpu);
        for (unsigned e = 0; e < elements / 2; e++) {
            uint64_t mre = vec_get(m, 2 * e, esize), mim = vec_get(m, 2 * e + 1, esize);
            uint64_t e1 = rot270 ? mim : fp_neg(f, mim);
            uint64_t e3 = rot270 ? fp_neg(f, mre) : mre;
            vec_set(r, 2 * e, esize, fp_add(&c, f, vec_get(n, 2 * e, esize), e1));
            vec_set(r, 2 * e + 1, esize, fp_add(&c, f, vec_get(n, 2 * e + 1, esize), e3));
        }
        fp_end(cpu, &c);
        vreg_set_q(cpu, a->Rd, r, q);
        return EXEC_NEXT;
    }
    return cpu_raise_undef(cpu);
}

/* Scalar three same extra: SQRDMLAH / SQRDMLSH (U=1, opcode 000x). */
ExecStatus trans_SIMD_3same_extra_scalar(CPUState *cpu, const arg_SIMD_3same_extra_scalar *a)
{
    if (!a->U || a->opcode > 1 || !cpu_has_rdm(cpu) || (a->size != 1 && a->size != 2)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned ebits = 8u << a->size;
    bool sat = false;
    uint64_t r = sqrdml_lane(cpu->z[a->Rd].d[0] & MASK64(ebits), cpu->z[a->Rn].d[0] & MASK64(ebits),
                             cpu->z[a->Rm].d[0] & MASK64(ebits), ebits, a->opcode == 1, &sat);
    if (sat) {
        cpu->fpsr |= FPSR_QC;
    }
    vreg_set_scalar(cpu, a->Rd, r);
    return EXEC_NEXT;
}
