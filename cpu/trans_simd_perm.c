/*
 * AdvSIMD copy, modified immediate, permute, extract and table lookup
 * (Arm ARM C4.1.6): DUP, INS, UMOV, SMOV, MOVI/MVNI/ORR/BIC/FMOV (vector,
 * immediate), ZIP/UZP/TRN, EXT, TBL/TBX.
 */
#include "cpu/simd-int.h"
#include "decode-a64.h"

/* Lowest set bit of imm5 gives the element size; none is unallocated. */
static bool simd_copy_size(unsigned imm5, unsigned *size)
{
    if ((imm5 & 0xf) == 0) {
        return false;
    }
    *size = (unsigned)ctz64(imm5);
    return true;
}

ExecStatus trans_SIMD_copy(CPUState *cpu, const arg_SIMD_copy *a)
{
    unsigned size;
    if (!simd_copy_size(a->imm5, &size)) {
        return cpu_raise_undef(cpu);
    }
    unsigned esize = 1u << size, index = a->imm5 >> (size + 1);
    uint64_t vn[2], vd[2];
    if (a->op) {
        /* INS (element): Q must be 1. */
        if (!a->Q) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        vreg_get(cpu, a->Rn, vn);
        vreg_get(cpu, a->Rd, vd);
        vec_set(vd, index, esize, vec_get(vn, a->imm4 >> size, esize));
        vreg_set128(cpu, a->Rd, vd[0], vd[1]);
        return EXEC_NEXT;
    }
    switch (a->imm4) {
    case 0x0:   /* DUP (element) */
    case 0x1: { /* DUP (general) */
        if (size == 3 && !a->Q) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        uint64_t x;
        if (a->imm4 == 0) {
            vreg_get(cpu, a->Rn, vn);
            x = vec_get(vn, index, esize);
        } else {
            x = cpu_reg(cpu, a->Rn);
        }
        uint64_t r[2];
        for (unsigned i = 0; i < 16 / esize; i++) {
            vec_set(r, i, esize, x);
        }
        vreg_set_q(cpu, a->Rd, r, a->Q);
        return EXEC_NEXT;
    }
    case 0x3:   /* INS (general) */
        if (!a->Q) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        vreg_get(cpu, a->Rd, vd);
        vec_set(vd, index, esize, cpu_reg(cpu, a->Rn));
        vreg_set128(cpu, a->Rd, vd[0], vd[1]);
        return EXEC_NEXT;
    case 0x5:   /* SMOV: to W (Q=0, B/H) or X (Q=1, B/H/S) */
    case 0x7: { /* UMOV: to W (Q=0, B/H/S) or X (Q=1, D) */
        bool is_signed = a->imm4 == 5;
        bool ok = is_signed ? (a->Q ? size <= 2 : size <= 1) : (a->Q ? size == 3 : size <= 2);
        if (!ok) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        vreg_get(cpu, a->Rn, vn);
        uint64_t x = vec_get(vn, index, esize);
        if (is_signed) {
            x = (uint64_t)sextract64(x, 0, 8 * esize);
            if (!a->Q) {
                x &= 0xffffffffu;
            }
        }
        cpu_set_reg(cpu, a->Rd, x);
        return EXEC_NEXT;
    }
    default:
        return cpu_raise_undef(cpu);
    }
}

/* DUP (element), scalar: DUP Vd, Vn.T[index] (alias MOV). */
ExecStatus trans_SIMD_copy_scalar(CPUState *cpu, const arg_SIMD_copy_scalar *a)
{
    unsigned size;
    if (!simd_copy_size(a->imm5, &size)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    uint64_t vn[2];
    vreg_get(cpu, a->Rn, vn);
    vreg_set_scalar(cpu, a->Rd, vec_get(vn, a->imm5 >> (size + 1), 1u << size));
    return EXEC_NEXT;
}

/* AdvSIMDExpandImm; false for unallocated (op, cmode) combinations handled by the caller. */
static uint64_t simd_expand_imm(unsigned op, unsigned cmode, uint64_t imm8)
{
    uint64_t imm;
    switch (cmode >> 1) {
    case 0: imm = imm8; goto rep32;
    case 1: imm = imm8 << 8; goto rep32;
    case 2: imm = imm8 << 16; goto rep32;
    case 3: imm = imm8 << 24; goto rep32;
    case 4: imm = imm8; goto rep16;
    case 5: imm = imm8 << 8; goto rep16;
    case 6:
        imm = (cmode & 1) ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff;
        goto rep32;
    default:
        if (!(cmode & 1) && !op) {
            return imm8 * 0x0101010101010101ULL;
        }
        if (!(cmode & 1)) {
            uint64_t r = 0;
            for (unsigned i = 0; i < 8; i++) {
                if ((imm8 >> i) & 1) {
                    r |= 0xffULL << (8 * i);
                }
            }
            return r;
        }
        if (!op) {
            return fp_expand_imm(FP32, (uint8_t)imm8) * 0x100000001ULL;
        }
        return fp_expand_imm(FP64, (uint8_t)imm8);
    }
rep32:
    return imm | (imm << 32);
rep16:
    return imm * 0x0001000100010001ULL;
}

ExecStatus trans_SIMD_modimm(CPUState *cpu, const arg_SIMD_modimm *a)
{
    unsigned cmode = a->cmode, op = a->op;
    uint64_t imm8 = (a->abc << 5) | a->defgh;
    uint64_t imm;
    if (a->o2) {
        /* FMOV (vector, immediate), half precision (FEAT_FP16). */
        if (cmode != 0xf || op || !cpu_has_advsimd_fp16(cpu)) {
            return cpu_raise_undef(cpu);
        }
        FP_ACCESS_CHECK(cpu);
        imm = fp_expand_imm(FP16, (uint8_t)imm8) * 0x0001000100010001ULL;
        uint64_t r[2] = { imm, imm };
        vreg_set_q(cpu, a->Rd, r, a->Q);
        return EXEC_NEXT;
    }
    if (cmode == 0xf && op && !a->Q) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    imm = simd_expand_imm(op, cmode, imm8);
    uint64_t vd[2];
    vreg_get(cpu, a->Rd, vd);
    bool is_orr_bic = (cmode < 0xc) && (cmode & 1);
    for (int i = 0; i < 2; i++) {
        if (is_orr_bic) {
            vd[i] = op ? vd[i] & ~imm : vd[i] | imm;
        } else if (op && cmode < 0xe) {
            vd[i] = ~imm;           /* MVNI */
        } else {
            vd[i] = imm;            /* MOVI, FMOV */
        }
    }
    vreg_set_q(cpu, a->Rd, vd, a->Q);
    return EXEC_NEXT;
}

/* UZP1/TRN1/ZIP1 (opcode 001/010/011), UZP2/TRN2/ZIP2 (101/110/111). */
ExecStatus trans_SIMD_permute(CPUState *cpu, const arg_SIMD_permute *a)
{
    unsigned kind = a->opcode & 3, part = a->opcode >> 2;
    if (kind == 0 || (a->size == 3 && !a->Q)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    unsigned esize = 1u << a->size, elements = (a->Q ? 16 : 8) / esize;
    uint64_t n[2], m[2], r[2] = { 0, 0 };
    vreg_get(cpu, a->Rn, n);
    vreg_get(cpu, a->Rm, m);
    for (unsigned i = 0; i < elements; i++) {
        uint64_t x;
        if (kind == 1) {            /* UZP: even/odd elements of concat(m:n) */
            unsigned src = 2 * i + part;
            x = src < elements ? vec_get(n, src, esize) : vec_get(m, src - elements, esize);
        } else if (kind == 2) {     /* TRN */
            unsigned p = i & ~1u;
            x = (i & 1) ? vec_get(m, p + part, esize) : vec_get(n, p + part, esize);
        } else {                    /* ZIP */
            unsigned src = i / 2 + part * elements / 2;
            x = (i & 1) ? vec_get(m, src, esize) : vec_get(n, src, esize);
        }
        vec_set(r, i, esize, x);
    }
    vreg_set_q(cpu, a->Rd, r, a->Q);
    return EXEC_NEXT;
}

ExecStatus trans_SIMD_ext(CPUState *cpu, const arg_SIMD_ext *a)
{
    if (!a->Q && (a->imm4 & 8)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    uint8_t cat[32];
    unsigned bytes = a->Q ? 16 : 8;
    memcpy(cat, cpu->z[a->Rn].b, bytes);
    memcpy(cat + bytes, cpu->z[a->Rm].b, bytes);
    uint64_t r[2] = { 0, 0 };
    memcpy(r, cat + a->imm4, bytes);
    vreg_set_q(cpu, a->Rd, r, a->Q);
    return EXEC_NEXT;
}

ExecStatus trans_SIMD_tbl(CPUState *cpu, const arg_SIMD_tbl *a)
{
    FP_ACCESS_CHECK(cpu);
    unsigned regs = a->len + 1, bytes = a->Q ? 16 : 8;
    uint8_t table[64];
    for (unsigned i = 0; i < regs; i++) {
        memcpy(table + 16 * i, cpu->z[(a->Rn + i) % 32].b, 16);
    }
    uint64_t r[2] = { 0, 0 };
    uint8_t *rb = (uint8_t *)r;
    const uint8_t *idx = cpu->z[a->Rm].b, *d = cpu->z[a->Rd].b;
    for (unsigned i = 0; i < bytes; i++) {
        if (idx[i] < 16 * regs) {
            rb[i] = table[idx[i]];
        } else {
            rb[i] = a->op ? d[i] : 0;        /* TBX keeps the destination byte */
        }
    }
    vreg_set_q(cpu, a->Rd, r, a->Q);
    return EXEC_NEXT;
}
