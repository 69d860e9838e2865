/*
 * Scalar floating-point instructions (Arm ARM C4.1.6 / C7.2: FMOV, FABS,
 * FNEG, FSQRT, FCVT, FRINT*, FCMP*, FCCMP*, FADD..FNMUL, FMADD.., FCSEL,
 * conversions to and from integers and fixed point, FJCVTZS).
 *
 * Decode (UNDEFINED for unallocated encodings and absent features) comes
 * first, then CheckFPAdvSIMDEnabled64 (FP_ACCESS_CHECK), then execute.
 */
#include "cpu/fpsimd.h"
#include "decode-a64.h"

static ExecStatus fp_unary(CPUState *cpu, unsigned ftype, unsigned rn, unsigned rd,
                           int op)
{
    FPFmt f;
    if (!fp_decode_ftype(cpu, ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    uint64_t x = vreg_lo(cpu, rn, f), r;
    FPCtx c = fp_begin(cpu);
    switch (op) {
    case 0: r = x; break;
    case 1: r = fp_abs(f, x); break;
    case 2: r = fp_neg(f, x); break;
    default: r = fp_sqrt(&c, f, x); break;
    }
    fp_end(cpu, &c);
    vreg_set_scalar(cpu, rd, r);
    return EXEC_NEXT;
}

ExecStatus trans_FMOV_reg(CPUState *cpu, const arg_FMOV_reg *a)
{
    return fp_unary(cpu, a->ftype, a->Rn, a->Rd, 0);
}

ExecStatus trans_FABS_s(CPUState *cpu, const arg_FABS_s *a)
{
    return fp_unary(cpu, a->ftype, a->Rn, a->Rd, 1);
}

ExecStatus trans_FNEG_s(CPUState *cpu, const arg_FNEG_s *a)
{
    return fp_unary(cpu, a->ftype, a->Rn, a->Rd, 2);
}

ExecStatus trans_FSQRT_s(CPUState *cpu, const arg_FSQRT_s *a)
{
    return fp_unary(cpu, a->ftype, a->Rn, a->Rd, 3);
}

/* FCVT between precisions: opc is the destination type (same encoding as ftype). */
ExecStatus trans_FCVT_s(CPUState *cpu, const arg_FCVT_s *a)
{
    FPFmt from, to;
    if (a->ftype == 1 && a->opc == 2) {
        /* BFCVT Hd, Sn (FEAT_BF16): FPConvertBF with FPCR rounding, FZ and DN. */
        if (!cpu_has_bf16(cpu)) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        FPCtx c = fp_begin(cpu);
        uint64_t r = fp_convert(&c, BF16, FP32, vreg_lo(cpu, a->Rn, FP32), c.rmode);
        fp_end(cpu, &c);
        vreg_set_scalar(cpu, a->Rd, r);
        return EXEC_NEXT;
    }
    /* Half-precision FCVT is part of the base FP (not FEAT_FP16). */
    if (a->ftype == a->opc || !fp_decode_ftype(cpu, a->ftype, true, &from) ||
        !fp_decode_ftype(cpu, a->opc, true, &to)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    FPCtx c = fp_begin(cpu);
    uint64_t r = fp_convert(&c, to, from, vreg_lo(cpu, a->Rn, from), c.rmode);
    fp_end(cpu, &c);
    vreg_set_scalar(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* FRINTN/P/M/Z/A/X/I: rm 000 N, 001 P, 010 M, 011 Z, 100 A, 110 X, 111 I. */
ExecStatus trans_FRINT_s(CPUState *cpu, const arg_FRINT_s *a)
{
    static const int8_t mode[8] = { FPR_TIEEVEN, FPR_POSINF, FPR_NEGINF, FPR_ZERO,
                                    FPR_TIEAWAY, -1, -1, -1 };
    FPFmt f;
    if (a->rm == 5 || !fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    FPCtx c = fp_begin(cpu);
    FPRounding r = mode[a->rm] >= 0 ? (FPRounding)mode[a->rm] : c.rmode;
    uint64_t res = fp_round_int(&c, f, vreg_lo(cpu, a->Rn, f), r, a->rm == 6);
    fp_end(cpu, &c);
    vreg_set_scalar(cpu, a->Rd, res);
    return EXEC_NEXT;
}

/* FRINT32Z/32X/64Z/64X (FEAT_FRINTTS): op<1> = 64-bit, op<0> = FPCR rounding. */
ExecStatus trans_FRINTTS_s(CPUState *cpu, const arg_FRINTTS_s *a)
{
    FPFmt f;
    if (!cpu_has_frintts(cpu) || a->ftype > 1 || !fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    FPCtx c = fp_begin(cpu);
    FPRounding r = (a->op & 1) ? c.rmode : FPR_ZERO;
    uint64_t res = fp_round_int_n(&c, f, vreg_lo(cpu, a->Rn, f), r, (a->op & 2) ? 64 : 32);
    fp_end(cpu, &c);
    vreg_set_scalar(cpu, a->Rd, res);
    return EXEC_NEXT;
}

ExecStatus trans_FCMP_s(CPUState *cpu, const arg_FCMP_s *a)
{
    FPFmt f;
    if (!fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    FPCtx c = fp_begin(cpu);
    uint64_t x = vreg_lo(cpu, a->Rn, f);
    uint64_t y = (a->opc & 1) ? 0 : vreg_lo(cpu, a->Rm, f);   /* #0.0 is +0 */
    unsigned nzcv = fp_compare(&c, f, x, y, a->opc >> 1);
    fp_end(cpu, &c);
    cpu->nzcv = nzcv << 28;
    return EXEC_NEXT;
}

ExecStatus trans_FMOV_imm(CPUState *cpu, const arg_FMOV_imm *a)
{
    FPFmt f;
    if (!fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    vreg_set_scalar(cpu, a->Rd, fp_expand_imm(f, (uint8_t)a->imm8));
    return EXEC_NEXT;
}

ExecStatus trans_FCCMP_s(CPUState *cpu, const arg_FCCMP_s *a)
{
    FPFmt f;
    if (!fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    if (cpu_cond_holds(cpu, a->cond)) {
        FPCtx c = fp_begin(cpu);
        unsigned nzcv = fp_compare(&c, f, vreg_lo(cpu, a->Rn, f), vreg_lo(cpu, a->Rm, f), a->op);
        fp_end(cpu, &c);
        cpu->nzcv = nzcv << 28;
    } else {
        cpu->nzcv = a->nzcv << 28;
    }
    return EXEC_NEXT;
}

/* opcode: 0 FMUL, 1 FDIV, 2 FADD, 3 FSUB, 4 FMAX, 5 FMIN, 6 FMAXNM, 7 FMINNM, 8 FNMUL. */
ExecStatus trans_FP2SRC_s(CPUState *cpu, const arg_FP2SRC_s *a)
{
    FPFmt f;
    if (a->opcode > 8 || !fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    FPCtx c = fp_begin(cpu);
    uint64_t x = vreg_lo(cpu, a->Rn, f), y = vreg_lo(cpu, a->Rm, f), r;
    switch (a->opcode) {
    case 0: r = fp_mul(&c, f, x, y); break;
    case 1: r = fp_div(&c, f, x, y); break;
    case 2: r = fp_add(&c, f, x, y); break;
    case 3: r = fp_sub(&c, f, x, y); break;
    case 4: r = fp_max(&c, f, x, y); break;
    case 5: r = fp_min(&c, f, x, y); break;
    case 6: r = fp_maxnum(&c, f, x, y); break;
    case 7: r = fp_minnum(&c, f, x, y); break;
    default: r = fp_neg(f, fp_mul(&c, f, x, y)); break;   /* FNMUL negates even a NaN */
    }
    fp_end(cpu, &c);
    vreg_set_scalar(cpu, a->Rd, r);
    return EXEC_NEXT;
}

ExecStatus trans_FCSEL_s(CPUState *cpu, const arg_FCSEL_s *a)
{
    FPFmt f;
    if (!fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned src = cpu_cond_holds(cpu, a->cond) ? a->Rn : a->Rm;
    vreg_set_scalar(cpu, a->Rd, vreg_lo(cpu, src, f));
    return EXEC_NEXT;
}

/*
 * FMADD: Ra + Rn*Rm; FMSUB: Ra + (-Rn)*Rm; FNMADD: (-Ra) + (-Rn)*Rm;
 * FNMSUB: (-Ra) + Rn*Rm. The negations are FPNeg on the bit patterns, before
 * FPMulAdd, so they also flip a NaN operand's sign (Arm ARM FMSUB etc.).
 */
ExecStatus trans_FP3SRC_s(CPUState *cpu, const arg_FP3SRC_s *a)
{
    FPFmt f;
    if (!fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    FPCtx c = fp_begin(cpu);
    uint64_t ra = vreg_lo(cpu, a->Ra, f), rn = vreg_lo(cpu, a->Rn, f), rm = vreg_lo(cpu, a->Rm, f);
    if (a->o1) {
        ra = fp_neg(f, ra);
    }
    if (a->o0 != a->o1) {
        rn = fp_neg(f, rn);
    }
    uint64_t r = fp_muladd(&c, f, ra, rn, rm);
    fp_end(cpu, &c);
    vreg_set_scalar(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* SCVTF/UCVTF (rmode 00, opcode 01x) and FCVTZS/FCVTZU (rmode 11, opcode 00x), fixed point. */
ExecStatus trans_FCVT_fixed(CPUState *cpu, const arg_FCVT_fixed *a)
{
    FPFmt f;
    bool to_int = a->rmode == 3 && (a->opcode >> 1) == 0;
    bool to_fp = a->rmode == 0 && (a->opcode >> 1) == 1;
    if ((!to_int && !to_fp) || (!a->sf && !(a->scale & 0x20)) ||
        !fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned fbits = 64 - a->scale, ibits = a->sf ? 64 : 32;
    bool is_unsigned = a->opcode & 1;
    FPCtx c = fp_begin(cpu);
    if (to_int) {
        uint64_t r = fp_to_fixed(&c, f, vreg_lo(cpu, a->Rn, f), fbits, is_unsigned, FPR_ZERO, ibits);
        fp_end(cpu, &c);
        cpu_set_reg(cpu, a->Rd, r);
    } else {
        uint64_t r = fp_from_fixed(&c, f, cpu_reg(cpu, a->Rn), fbits, is_unsigned, c.rmode, ibits);
        fp_end(cpu, &c);
        vreg_set_scalar(cpu, a->Rd, r);
    }
    return EXEC_NEXT;
}

/* FMOV between general and FP registers (opcode 11x). */
static ExecStatus fp_fmov_general(CPUState *cpu, const arg_FCVT_int *a)
{
    unsigned bits;
    bool top = false;
    if (a->rmode == 0 && a->ftype == 0 && !a->sf) {
        bits = 32;
    } else if (a->rmode == 0 && a->ftype == 1 && a->sf) {
        bits = 64;
    } else if (a->rmode == 1 && a->ftype == 2 && a->sf) {
        bits = 64;
        top = true;
    } else if (a->rmode == 0 && a->ftype == 3 && cpu_has_fp16(cpu)) {
        bits = 16;
    } else {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    if (a->opcode & 1) {            /* general to FP */
        uint64_t v = cpu_reg(cpu, a->Rn) & MASK64(bits);
        if (top) {
            /* Vpart[d, 1] = V[d] with bits 127:64 replaced: bits 63:0 kept, Z bits above 127 zeroed. */
            vreg_set128(cpu, a->Rd, cpu->z[a->Rd].d[0], v);
        } else {
            vreg_set_scalar(cpu, a->Rd, v);
        }
    } else {
        uint64_t v = top ? cpu->z[a->Rn].d[1] : cpu->z[a->Rn].d[0] & MASK64(bits);
        cpu_set_reg(cpu, a->Rd, v);
    }
    return EXEC_NEXT;
}

ExecStatus trans_FCVT_int(CPUState *cpu, const arg_FCVT_int *a)
{
    static const uint8_t rmode_round[4] = { FPR_TIEEVEN, FPR_POSINF, FPR_NEGINF, FPR_ZERO };
    FPFmt f;
    unsigned op = a->opcode;
    if (op >= 6) {
        if (op == 6 && a->rmode == 3) {
            /* FJCVTZS Wd, Dn (FEAT_JSCVT). */
            if (!cpu_has_jscvt(cpu) || a->sf || a->ftype != 1) {
                return cpu_raise_undef(cpu);
            }
            FP_ACCESS_CHECK(cpu);
            FPCtx c = fp_begin(cpu);
            bool z;
            uint32_t r = fp_to_fixed_js(&c, cpu->z[a->Rn].d[0], &z);
            fp_end(cpu, &c);
            cpu_set_reg(cpu, a->Rd, r);
            cpu->nzcv = z ? PSTATE_Z : 0;
            return EXEC_NEXT;
        }
        return fp_fmov_general(cpu, a);
    }
    /* opcode 000/001 any rmode; 010/011 (xCVTF) and 100/101 (FCVTA*) only rmode 00. */
    if ((op >= 2 && a->rmode != 0) || !fp_decode_ftype(cpu, a->ftype, false, &f)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned ibits = a->sf ? 64 : 32;
    bool is_unsigned = op & 1;
    FPCtx c = fp_begin(cpu);
    if (op == 2 || op == 3) {
        uint64_t r = fp_from_fixed(&c, f, cpu_reg(cpu, a->Rn), 0, is_unsigned, c.rmode, ibits);
        fp_end(cpu, &c);
        vreg_set_scalar(cpu, a->Rd, r);
    } else {
        FPRounding r = op >= 4 ? FPR_TIEAWAY : (FPRounding)rmode_round[a->rmode];
        uint64_t v = fp_to_fixed(&c, f, vreg_lo(cpu, a->Rn, f), 0, is_unsigned, r, ibits);
        fp_end(cpu, &c);
        cpu_set_reg(cpu, a->Rd, v);
    }
    return EXEC_NEXT;
}
