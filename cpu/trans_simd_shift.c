/*
 * AdvSIMD shift by immediate, vector and scalar (Arm ARM C4.1.6):
 * SSHR/USHR, [SU]SRA, [SU]RSHR, [SU]RSRA, SRI, SHL, SLI, SQSHLU,
 * SQSHL/UQSHL (immediate), SHRN/RSHRN, SQ[R]SHRUN, [SU]Q[R]SHRN,
 * SSHLL/USHLL, SCVTF/UCVTF and FCVTZS/FCVTZU (fixed point).
 */
#include "cpu/simd-int.h"
#include "decode-a64.h"

typedef simd_s128 s128;

enum {
    SH_SSHR = 0x00, SH_SSRA = 0x02, SH_SRSHR = 0x04, SH_SRSRA = 0x06, SH_SRI = 0x08,
    SH_SHL = 0x0a, SH_SQSHLU = 0x0c, SH_SQSHL = 0x0e, SH_SHRN = 0x10, SH_RSHRN = 0x11,
    SH_QSHRN = 0x12, SH_QRSHRN = 0x13, SH_SSHLL = 0x14, SH_CVTF = 0x1c, SH_FCVTZ = 0x1f,
};

static ExecStatus simd_shift_fp(CPUState *cpu, bool q, bool u, unsigned immh, unsigned immhb,
                                unsigned opcode, unsigned rn, unsigned rd, bool scalar)
{
    FPFmt f;
    if (immh & 8) {
        f = FP64;
    } else if (immh & 4) {
        f = FP32;
    } else if ((immh & 2) && cpu_has_advsimd_fp16(cpu)) {
        f = FP16;
    } else {
        return cpu_raise_undef(cpu);
    }
    if (!scalar && f == FP64 && !q) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned ebits = fp_bits(f), esize = ebits / 8;
    unsigned fbits = 2 * ebits - immhb;
    unsigned elements = scalar ? 1 : (q ? 16 : 8) / esize;
    uint64_t n[2], r[2] = { 0, 0 };
    vreg_get(cpu, rn, n);
    FPCtx c = fp_begin(cpu);
    for (unsigned i = 0; i < elements; i++) {
        uint64_t x = vec_get(n, i, esize), v;
        if (opcode == SH_CVTF) {
            v = fp_from_fixed(&c, f, x, fbits, u, c.rmode, ebits);
        } else {
            v = fp_to_fixed(&c, f, x, fbits, u, FPR_ZERO, ebits);
        }
        vec_set(r, i, esize, v);
    }
    fp_end(cpu, &c);
    vreg_set_q(cpu, rd, r, q || scalar);
    return EXEC_NEXT;
}

static ExecStatus simd_shift_imm(CPUState *cpu, bool q, bool u, unsigned immh, unsigned immb,
                                 unsigned opcode, unsigned rn, unsigned rd, bool scalar)
{
    unsigned immhb = (immh << 3) | immb;
    if (opcode == SH_CVTF || opcode == SH_FCVTZ) {
        return simd_shift_fp(cpu, q, u, immh, immhb, opcode, rn, rd, scalar);
    }
    unsigned size = 63 - (unsigned)clz64(immh);     /* highest set bit of immh */
    unsigned esize = 1u << size, ebits = 8 * esize;
    bool narrow = opcode >= SH_SHRN && opcode <= SH_QRSHRN;
    bool ok;
    switch (opcode) {
    case SH_SSHR: case SH_SSRA: case SH_SRSHR: case SH_SRSRA: case SH_SHL:
        ok = scalar ? size == 3 : !(size == 3 && !q);
        break;
    case SH_SRI:
        ok = u && (scalar ? size == 3 : !(size == 3 && !q));
        break;
    case SH_SQSHLU:
        ok = u && !(size == 3 && !q && !scalar);
        break;
    case SH_SQSHL:
        ok = !(size == 3 && !q && !scalar);
        break;
    case SH_SHRN: case SH_RSHRN:
        /* SHRN/RSHRN (U=0) are vector only; SQSHRUN/SQRSHRUN (U=1) also scalar. */
        ok = size < 3 && (u || !scalar);
        break;
    case SH_QSHRN: case SH_QRSHRN:
        ok = size < 3;
        break;
    case SH_SSHLL:
        ok = size < 3 && !scalar;
        break;
    default:
        ok = false;
        break;
    }
    if (!ok) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    uint64_t n[2], d[2], r[2] = { 0, 0 };
    vreg_get(cpu, rn, n);
    vreg_get(cpu, rd, d);
    bool sat = false;
    if (narrow) {
        /* Source lanes are 2*esize; shift right by 2*esize - immh:immb (1..esize). */
        unsigned shift = 2 * ebits - immhb, elements = scalar ? 1 : 8 / esize;
        bool round = opcode == SH_RSHRN || opcode == SH_QRSHRN;
        /* SQSHRUN/SQRSHRUN: U=1 with SHRN/RSHRN opcodes: signed source, unsigned result. */
        bool src_unsigned = u && (opcode == SH_QSHRN || opcode == SH_QRSHRN);
        bool saturate = opcode >= SH_QSHRN || u;
        bool dst_unsigned = u;
        uint64_t res[2] = { 0, 0 };
        for (unsigned i = 0; i < elements; i++) {
            uint64_t raw = vec_get(n, i, 2 * esize);
            s128 x = src_unsigned ? (s128)raw : (s128)sextract64(raw, 0, 2 * ebits);
            if (round) {
                x += (s128)1 << (shift - 1);
            }
            x >>= shift;
            uint64_t v = saturate ? simd_sat(x, ebits, dst_unsigned, &sat) : (uint64_t)x & MASK64(ebits);
            vec_set(res, i, esize, v);
        }
        if (sat) {
            cpu->fpsr |= FPSR_QC;
        }
        if (scalar || !q) {
            vreg_set_scalar(cpu, rd, res[0]);
        } else {
            vreg_set128(cpu, rd, cpu->z[rd].d[0], res[0]);
        }
        return EXEC_NEXT;
    }
    if (opcode == SH_SSHLL) {
        unsigned shift = immhb - ebits;
        uint64_t src[2] = { n[q], 0 };
        for (unsigned i = 0; i < 8 / esize; i++) {
            uint64_t raw = vec_get(src, i, esize);
            uint64_t x = u ? raw : (uint64_t)sextract64(raw, 0, ebits);
            vec_set(r, i, 2 * esize, x << shift);
        }
        vreg_set128(cpu, rd, r[0], r[1]);
        return EXEC_NEXT;
    }
    unsigned elements = scalar ? 1 : (q ? 16 : 8) / esize;
    unsigned rshift = 2 * ebits - immhb, lshift = immhb - ebits;
    uint64_t m = MASK64(ebits);
    for (unsigned i = 0; i < elements; i++) {
        uint64_t raw = vec_get(n, i, esize), acc = vec_get(d, i, esize), v;
        s128 x = u ? (s128)raw : (s128)sextract64(raw, 0, ebits);
        switch (opcode) {
        case SH_SSHR: case SH_SSRA: case SH_SRSHR: case SH_SRSRA: {
            bool round = opcode == SH_SRSHR || opcode == SH_SRSRA;
            if (round) {
                x += (s128)1 << (rshift - 1);
            }
            v = (uint64_t)(x >> rshift) & m;
            if (opcode == SH_SSRA || opcode == SH_SRSRA) {
                v = (v + acc) & m;
            }
            break;
        }
        case SH_SRI: {
            uint64_t mask = rshift >= 64 ? 0 : (m >> rshift);
            v = (acc & ~mask & m) | ((rshift >= 64 ? 0 : raw >> rshift) & mask);
            break;
        }
        case SH_SHL:
            if (u) {        /* SLI */
                uint64_t mask = (m << lshift) & m;
                v = (acc & ~mask) | ((raw << lshift) & mask);
            } else {
                v = (raw << lshift) & m;
            }
            break;
        case SH_SQSHLU:     /* signed source, unsigned saturation */
            v = simd_shift_reg((s128)sextract64(raw, 0, ebits), (int)lshift, ebits, true, false, true, &sat);
            break;
        default:            /* SQSHL/UQSHL (immediate) */
            v = simd_shift_reg(x, (int)lshift, ebits, u, false, true, &sat);
            break;
        }
        vec_set(r, i, esize, v);
    }
    if (sat) {
        cpu->fpsr |= FPSR_QC;
    }
    vreg_set_q(cpu, rd, r, q || scalar);
    return EXEC_NEXT;
}

ExecStatus trans_SIMD_shift_imm(CPUState *cpu, const arg_SIMD_shift_imm *a)
{
    return simd_shift_imm(cpu, a->Q, a->U, a->immh, a->immb, a->opcode, a->Rn, a->Rd, false);
}

ExecStatus trans_SIMD_shift_imm_scalar(CPUState *cpu, const arg_SIMD_shift_imm_scalar *a)
{
    if (a->immh == 0) {
        return cpu_raise_undef(cpu);
    }
    return simd_shift_imm(cpu, true, a->U, a->immh, a->immb, a->opcode, a->Rn, a->Rd, true);
}
