/*
 * A64 data processing -- immediate (Arm ARM C4.1.2): PC-relative addressing,
 * add/subtract immediate, logical immediate, move wide, bitfield, extract.
 */
#include "cpu/trans_int.h"
#include "cpu/exec_fast.h"
#include "decode-extract-int.h"

/* --- PC-rel. addressing --- */

ExecStatus trans_ADR(CPUState *cpu, const arg_ADR *a)
{
    int64_t imm = sextract64(((uint64_t)a->immhi << 2) | a->immlo, 0, 21);
    cpu_set_reg(cpu, a->Rd, cpu->pc + (uint64_t)imm);
    return EXEC_NEXT;
}

ExecStatus trans_ADRP(CPUState *cpu, const arg_ADRP *a)
{
    int64_t imm = sextract64(((uint64_t)a->immhi << 2) | a->immlo, 0, 21);
    cpu_set_reg(cpu, a->Rd, (cpu->pc & ~0xfffULL) + ((uint64_t)imm << 12));
    return EXEC_NEXT;
}

/* --- Add/subtract (immediate) --- */

ExecStatus trans_ADD_imm(CPUState *cpu, const arg_ADD_imm *a)
{
    uint64_t imm = (uint64_t)a->imm12 << (a->sh * 12);
    int_addsub_sp(cpu, a->sf, a->S, false, a->Rd, cpu_reg_sp(cpu, a->Rn), imm);
    return EXEC_NEXT;
}

ExecStatus trans_SUB_imm(CPUState *cpu, const arg_SUB_imm *a)
{
    uint64_t imm = (uint64_t)a->imm12 << (a->sh * 12);
    int_addsub_sp(cpu, a->sf, a->S, true, a->Rd, cpu_reg_sp(cpu, a->Rn), imm);
    return EXEC_NEXT;
}

/* --- Logical (immediate) --- */

/*
 * DecodeBitMasks (Arm ARM J1.1.3 shared/functions/bitmasks): false for the
 * reserved combinations (len < 1; for immediates all-ones S).
 */
bool int_decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate,
                          unsigned datasize, uint64_t *wmask, uint64_t *tmask)
{
    unsigned combined = (n << 6) | (~imms & 0x3f);
    if (combined == 0) {
        return false;
    }
    int len = 31 - __builtin_clz(combined);
    if (len < 1) {
        return false;
    }
    unsigned levels = (1u << len) - 1;
    if (immediate && (imms & levels) == levels) {
        return false;
    }
    unsigned s = imms & levels, r = immr & levels;
    unsigned diff = (s - r) & levels;
    unsigned esize = 1u << len;
    if (esize > datasize) {
        return false;
    }
    uint64_t emask = MASK64(esize);
    uint64_t welem = MASK64(s + 1);
    uint64_t telem = MASK64(diff + 1);
    /* ROR(welem, r) within esize bits */
    uint64_t wrot = r ? ((welem >> r) | (welem << (esize - r))) & emask : welem;
    uint64_t w = 0, t = 0;
    for (unsigned i = 0; i < datasize; i += esize) {
        w |= wrot << i;
        t |= telem << i;
    }
    if (wmask) {
        *wmask = w;
    }
    if (tmask) {
        *tmask = t;
    }
    return true;
}

static inline bool logic_imm(const CPUState *cpu, unsigned sf, unsigned n, unsigned immr,
                             unsigned imms, uint64_t *imm)
{
    (void)cpu;
    if (!sf && n) {
        return false;
    }
    return int_decode_bit_masks(n, imms, immr, true, sf ? 64 : 32, imm, NULL);
}

ExecStatus trans_AND_imm(CPUState *cpu, const arg_AND_imm *a)
{
    uint64_t imm;
    if (!logic_imm(cpu, a->sf, a->N, a->immr, a->imms, &imm)) {
        return cpu_raise_undef(cpu);
    }
    cpu_set_reg_sp(cpu, a->Rd, cpu_reg(cpu, a->Rn) & imm);
    return EXEC_NEXT;
}

ExecStatus trans_ORR_imm(CPUState *cpu, const arg_ORR_imm *a)
{
    uint64_t imm;
    if (!logic_imm(cpu, a->sf, a->N, a->immr, a->imms, &imm)) {
        return cpu_raise_undef(cpu);
    }
    cpu_set_reg_sp(cpu, a->Rd, int_trunc(a->sf, cpu_reg(cpu, a->Rn) | imm));
    return EXEC_NEXT;
}

ExecStatus trans_EOR_imm(CPUState *cpu, const arg_EOR_imm *a)
{
    uint64_t imm;
    if (!logic_imm(cpu, a->sf, a->N, a->immr, a->imms, &imm)) {
        return cpu_raise_undef(cpu);
    }
    cpu_set_reg_sp(cpu, a->Rd, int_trunc(a->sf, cpu_reg(cpu, a->Rn) ^ imm));
    return EXEC_NEXT;
}

ExecStatus trans_ANDS_imm(CPUState *cpu, const arg_ANDS_imm *a)
{
    uint64_t imm;
    if (!logic_imm(cpu, a->sf, a->N, a->immr, a->imms, &imm)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t r = cpu_reg(cpu, a->Rn) & imm;
    int_set_nz(cpu, a->sf, r);
    cpu_set_reg(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* --- Move wide (immediate) --- */

ExecStatus trans_MOVN(CPUState *cpu, const arg_MOVN *a)
{
    if (!a->sf && (a->hw & 2)) {
        return cpu_raise_undef(cpu);
    }
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, ~((uint64_t)a->imm16 << (a->hw * 16))));
    return EXEC_NEXT;
}

ExecStatus trans_MOVZ(CPUState *cpu, const arg_MOVZ *a)
{
    if (!a->sf && (a->hw & 2)) {
        return cpu_raise_undef(cpu);
    }
    cpu_set_reg(cpu, a->Rd, (uint64_t)a->imm16 << (a->hw * 16));
    return EXEC_NEXT;
}

ExecStatus trans_MOVK(CPUState *cpu, const arg_MOVK *a)
{
    if (!a->sf && (a->hw & 2)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t r = deposit64(cpu_reg(cpu, a->Rd), a->hw * 16, 16, a->imm16);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

/* --- Bitfield --- */

/* SBFM/BFM/UBFM field validity: sf == N, and for 32 bits immr/imms < 32. */
static inline bool bitfield_ok(unsigned sf, unsigned n, unsigned immr, unsigned imms)
{
    if (sf) {
        return n == 1;
    }
    return n == 0 && immr < 32 && imms < 32;
}

ExecStatus trans_SBFM(CPUState *cpu, const arg_SBFM *a)
{
    if (!bitfield_ok(a->sf, a->N, a->immr, a->imms)) {
        return cpu_raise_undef(cpu);
    }
    unsigned datasize = a->sf ? 64 : 32;
    uint64_t src = cpu_reg(cpu, a->Rn), r;
    if (a->imms >= a->immr) {
        /* SBFX (ASR, SXTB/H/W): field [imms:immr] to the bottom, sign-extended */
        r = (uint64_t)sextract64(src, a->immr, a->imms - a->immr + 1);
    } else {
        /* SBFIZ: field [imms:0] shifted up to datasize - immr */
        r = (uint64_t)sextract64(src, 0, a->imms + 1) << (datasize - a->immr);
    }
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

ExecStatus trans_UBFM(CPUState *cpu, const arg_UBFM *a)
{
    if (!bitfield_ok(a->sf, a->N, a->immr, a->imms)) {
        return cpu_raise_undef(cpu);
    }
    unsigned datasize = a->sf ? 64 : 32;
    uint64_t src = cpu_reg(cpu, a->Rn), r;
    if (a->imms >= a->immr) {
        /* UBFX, LSR, UXTB/H */
        r = extract64(src, a->immr, a->imms - a->immr + 1);
    } else {
        /* UBFIZ, LSL */
        r = extract64(src, 0, a->imms + 1) << (datasize - a->immr);
    }
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

ExecStatus trans_BFM(CPUState *cpu, const arg_BFM *a)
{
    if (!bitfield_ok(a->sf, a->N, a->immr, a->imms)) {
        return cpu_raise_undef(cpu);
    }
    unsigned datasize = a->sf ? 64 : 32;
    uint64_t src = cpu_reg(cpu, a->Rn), dst = cpu_reg(cpu, a->Rd), r;
    if (a->imms >= a->immr) {
        /* BFXIL: field [imms:immr] into the bottom of Rd */
        unsigned width = a->imms - a->immr + 1;
        r = deposit64(dst, 0, width, extract64(src, a->immr, width));
    } else {
        /* BFI/BFC: field [imms:0] into Rd at datasize - immr */
        unsigned width = a->imms + 1;
        r = deposit64(dst, datasize - a->immr, width, src);
    }
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

/* --- Extract --- */

ExecStatus trans_EXTR(CPUState *cpu, const arg_EXTR *a)
{
    if (a->sf != a->N || (!a->sf && a->imms >= 32)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t n = cpu_reg(cpu, a->Rn), m = cpu_reg(cpu, a->Rm), r;
    unsigned lsb = a->imms;
    if (a->sf) {
        r = lsb ? (m >> lsb) | (n << (64 - lsb)) : m;
    } else {
        uint64_t concat = ((uint64_t)(uint32_t)n << 32) | (uint32_t)m;
        r = (uint32_t)(concat >> lsb);
    }
    cpu_set_reg(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* Fast handlers for the engine (cpu/exec_fast.h): the frequent instructions. */
EXEC_FAST(ADR)
EXEC_FAST(ADRP)
EXEC_FAST(ADD_imm)
EXEC_FAST(SUB_imm)
EXEC_FAST(AND_imm)
EXEC_FAST(ORR_imm)
EXEC_FAST(EOR_imm)
EXEC_FAST(ANDS_imm)
EXEC_FAST(MOVN)
EXEC_FAST(MOVZ)
EXEC_FAST(MOVK)
EXEC_FAST(SBFM)
EXEC_FAST(BFM)
EXEC_FAST(UBFM)
EXEC_FAST(EXTR)

const ExecFastEntry exec_fast_dp_imm[] = {
    EXEC_FAST_ENTRY(ADR),
    EXEC_FAST_ENTRY(ADRP),
    EXEC_FAST_ENTRY(ADD_imm),
    EXEC_FAST_ENTRY(SUB_imm),
    EXEC_FAST_ENTRY(AND_imm),
    EXEC_FAST_ENTRY(ORR_imm),
    EXEC_FAST_ENTRY(EOR_imm),
    EXEC_FAST_ENTRY(ANDS_imm),
    EXEC_FAST_ENTRY(MOVN),
    EXEC_FAST_ENTRY(MOVZ),
    EXEC_FAST_ENTRY(MOVK),
    EXEC_FAST_ENTRY(SBFM),
    EXEC_FAST_ENTRY(BFM),
    EXEC_FAST_ENTRY(UBFM),
    EXEC_FAST_ENTRY(EXTR),
    { 0, 0 },
};
