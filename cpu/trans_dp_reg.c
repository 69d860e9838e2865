/*
 * A64 data processing -- register (Arm ARM C4.1.5): logical and add/subtract
 * (shifted, extended), with carry, flag manipulation (FlagM), conditional
 * compare and select, 1-, 2- and 3-source operations, CRC32.
 */
#include "cpu/trans_int.h"
#include "cpu/exec_fast.h"
#include "decode-extract-int.h"

/* --- Logical (shifted register) --- */

/* Rm shifted, or false for the reserved sf=0 with imm6<5> = 1. */
static inline bool logic_operand2(const CPUState *cpu, unsigned sf, unsigned shift, unsigned rm,
                                  unsigned imm6, uint64_t *out)
{
    if (!sf && (imm6 & 32)) {
        return false;
    }
    *out = int_shift(sf, cpu_reg(cpu, rm), shift, imm6);
    return true;
}

#define LOGIC_REG(NAME, EXPR, SETFLAGS)                                              \
    ExecStatus trans_##NAME(CPUState *cpu, const arg_##NAME *a)                      \
    {                                                                                \
        uint64_t m;                                                                  \
        if (!logic_operand2(cpu, a->sf, a->shift, a->Rm, a->imm6, &m)) {             \
            return cpu_raise_undef(cpu);                                             \
        }                                                                            \
        uint64_t n = cpu_reg(cpu, a->Rn);                                            \
        uint64_t r = int_trunc(a->sf, (EXPR));                                       \
        if (SETFLAGS) {                                                              \
            int_set_nz(cpu, a->sf, r);                                               \
        }                                                                            \
        cpu_set_reg(cpu, a->Rd, r);                                                  \
        return EXEC_NEXT;                                                            \
    }

LOGIC_REG(AND_reg, n & m, false)
LOGIC_REG(BIC_reg, n & ~m, false)
LOGIC_REG(ORR_reg, n | m, false)
LOGIC_REG(ORN_reg, n | ~m, false)
LOGIC_REG(EOR_reg, n ^ m, false)
LOGIC_REG(EON_reg, n ^ ~m, false)
LOGIC_REG(ANDS_reg, n & m, true)
LOGIC_REG(BICS_reg, n & ~m, true)

/* --- Add/subtract (shifted register) --- */

ExecStatus trans_ADD_sreg(CPUState *cpu, const arg_ADD_sreg *a)
{
    if (a->shift == 3 || (!a->sf && (a->imm6 & 32))) {
        return cpu_raise_undef(cpu);
    }
    uint64_t m = int_shift(a->sf, cpu_reg(cpu, a->Rm), a->shift, a->imm6);
    uint64_t n = cpu_reg(cpu, a->Rn);
    uint64_t r = a->S ? int_add_with_carry(cpu, a->sf, n, m, 0, true) : int_trunc(a->sf, n + m);
    cpu_set_reg(cpu, a->Rd, r);
    return EXEC_NEXT;
}

ExecStatus trans_SUB_sreg(CPUState *cpu, const arg_SUB_sreg *a)
{
    if (a->shift == 3 || (!a->sf && (a->imm6 & 32))) {
        return cpu_raise_undef(cpu);
    }
    uint64_t m = int_shift(a->sf, cpu_reg(cpu, a->Rm), a->shift, a->imm6);
    uint64_t n = cpu_reg(cpu, a->Rn);
    uint64_t r = a->S ? int_add_with_carry(cpu, a->sf, n, ~m, 1, true) : int_trunc(a->sf, n - m);
    cpu_set_reg(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* --- Add/subtract (extended register): Rn and (without S) Rd may be SP --- */

ExecStatus trans_ADD_ext(CPUState *cpu, const arg_ADD_ext *a)
{
    if (a->opt != 0 || a->imm3 > 4) {
        return cpu_raise_undef(cpu);
    }
    uint64_t m = int_extend(cpu_reg(cpu, a->Rm), a->option, a->imm3);
    int_addsub_sp(cpu, a->sf, a->S, false, a->Rd, cpu_reg_sp(cpu, a->Rn), m);
    return EXEC_NEXT;
}

ExecStatus trans_SUB_ext(CPUState *cpu, const arg_SUB_ext *a)
{
    if (a->opt != 0 || a->imm3 > 4) {
        return cpu_raise_undef(cpu);
    }
    uint64_t m = int_extend(cpu_reg(cpu, a->Rm), a->option, a->imm3);
    int_addsub_sp(cpu, a->sf, a->S, true, a->Rd, cpu_reg_sp(cpu, a->Rn), m);
    return EXEC_NEXT;
}

/* --- Add/subtract (with carry) --- */

ExecStatus trans_ADC(CPUState *cpu, const arg_ADC *a)
{
    unsigned c = (cpu->nzcv >> 29) & 1;
    uint64_t r = int_add_with_carry(cpu, a->sf, cpu_reg(cpu, a->Rn), cpu_reg(cpu, a->Rm), c, a->S);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

ExecStatus trans_SBC(CPUState *cpu, const arg_SBC *a)
{
    unsigned c = (cpu->nzcv >> 29) & 1;
    uint64_t r = int_add_with_carry(cpu, a->sf, cpu_reg(cpu, a->Rn), ~cpu_reg(cpu, a->Rm), c, a->S);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

/* --- Flag manipulation (FEAT_FlagM) --- */

ExecStatus trans_RMIF(CPUState *cpu, const arg_RMIF *a)
{
    if (!feat_flagm(cpu)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t tmp = int_ror(true, cpu_reg(cpu, a->Rn), a->imm6);
    uint32_t mask = a->mask << 28;
    cpu->nzcv = (cpu->nzcv & ~mask) | (((uint32_t)tmp << 28) & mask);
    return EXEC_NEXT;
}

ExecStatus trans_SETF(CPUState *cpu, const arg_SETF *a)
{
    if (!feat_flagm(cpu)) {
        return cpu_raise_undef(cpu);
    }
    /* SETF8 (sz = 0) / SETF16 (sz = 1): N, Z, V from the low 8/16 bits; C kept. */
    unsigned msb = a->sz ? 15 : 7;
    uint64_t v = cpu_reg(cpu, a->Rn);
    uint32_t f = cpu->nzcv & PSTATE_C;
    f |= (uint32_t)((v >> msb) & 1) << 31;
    f |= (uint32_t)(extract64(v, 0, msb + 1) == 0) << 30;
    f |= (uint32_t)(((v >> (msb + 1)) ^ (v >> msb)) & 1) << 28;
    cpu->nzcv = f;
    return EXEC_NEXT;
}

/* --- Conditional compare --- */

static inline ExecStatus ccmp(CPUState *cpu, unsigned sf, bool sub, uint64_t n, uint64_t m,
                              unsigned cond, unsigned nzcv)
{
    if (int_cond_holds(cpu, cond)) {
        int_add_with_carry(cpu, sf, n, sub ? ~m : m, sub, true);
    } else {
        cpu->nzcv = nzcv << 28;
    }
    return EXEC_NEXT;
}

ExecStatus trans_CCMN_reg(CPUState *cpu, const arg_CCMN_reg *a)
{
    return ccmp(cpu, a->sf, false, cpu_reg(cpu, a->Rn), cpu_reg(cpu, a->Rm), a->cond, a->nzcv);
}

ExecStatus trans_CCMP_reg(CPUState *cpu, const arg_CCMP_reg *a)
{
    return ccmp(cpu, a->sf, true, cpu_reg(cpu, a->Rn), cpu_reg(cpu, a->Rm), a->cond, a->nzcv);
}

ExecStatus trans_CCMN_imm(CPUState *cpu, const arg_CCMN_imm *a)
{
    return ccmp(cpu, a->sf, false, cpu_reg(cpu, a->Rn), a->imm5, a->cond, a->nzcv);
}

ExecStatus trans_CCMP_imm(CPUState *cpu, const arg_CCMP_imm *a)
{
    return ccmp(cpu, a->sf, true, cpu_reg(cpu, a->Rn), a->imm5, a->cond, a->nzcv);
}

/* --- Conditional select --- */

ExecStatus trans_CSEL(CPUState *cpu, const arg_CSEL *a)
{
    uint64_t r = int_cond_holds(cpu, a->cond) ? cpu_reg(cpu, a->Rn) : cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

ExecStatus trans_CSINC(CPUState *cpu, const arg_CSINC *a)
{
    uint64_t r = int_cond_holds(cpu, a->cond) ? cpu_reg(cpu, a->Rn) : cpu_reg(cpu, a->Rm) + 1;
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

ExecStatus trans_CSINV(CPUState *cpu, const arg_CSINV *a)
{
    uint64_t r = int_cond_holds(cpu, a->cond) ? cpu_reg(cpu, a->Rn) : ~cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

ExecStatus trans_CSNEG(CPUState *cpu, const arg_CSNEG *a)
{
    uint64_t r = int_cond_holds(cpu, a->cond) ? cpu_reg(cpu, a->Rn) : -cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

/* --- Data-processing (2 source) --- */

ExecStatus trans_UDIV(CPUState *cpu, const arg_UDIV *a)
{
    uint64_t n = int_trunc(a->sf, cpu_reg(cpu, a->Rn)), m = int_trunc(a->sf, cpu_reg(cpu, a->Rm));
    cpu_set_reg(cpu, a->Rd, m ? n / m : 0);   /* division by zero gives 0 */
    return EXEC_NEXT;
}

ExecStatus trans_SDIV(CPUState *cpu, const arg_SDIV *a)
{
    uint64_t r;
    if (a->sf) {
        int64_t n = (int64_t)cpu_reg(cpu, a->Rn), m = (int64_t)cpu_reg(cpu, a->Rm);
        if (m == 0) {
            r = 0;
        } else if (m == -1) {
            r = -(uint64_t)n;      /* INT64_MIN / -1 = INT64_MIN (RoundTowardsZero wraps) */
        } else {
            r = (uint64_t)(n / m);
        }
    } else {
        int32_t n = (int32_t)cpu_reg(cpu, a->Rn), m = (int32_t)cpu_reg(cpu, a->Rm);
        if (m == 0) {
            r = 0;
        } else if (m == -1) {
            r = (uint32_t)-(uint32_t)n;
        } else {
            r = (uint32_t)(n / m);
        }
    }
    cpu_set_reg(cpu, a->Rd, r);
    return EXEC_NEXT;
}

#define SHIFTV(NAME, TYPE)                                                           \
    ExecStatus trans_##NAME(CPUState *cpu, const arg_##NAME *a)                      \
    {                                                                                \
        unsigned amount = cpu_reg(cpu, a->Rm) & (a->sf ? 63 : 31);                   \
        cpu_set_reg(cpu, a->Rd, int_shift(a->sf, cpu_reg(cpu, a->Rn), TYPE, amount)); \
        return EXEC_NEXT;                                                            \
    }

SHIFTV(LSLV, 0)
SHIFTV(LSRV, 1)
SHIFTV(ASRV, 2)
SHIFTV(RORV, 3)

/* CRC32/CRC32C: reflected CRC update of acc with size bytes of val, no inversion. */
static uint32_t crc_table[2][256];
static bool crc_table_ready;

static void crc_tables_init(void)
{
    static const uint32_t poly[2] = { 0xedb88320u, 0x82f63b78u };  /* 0x04C11DB7, 0x1EDC6F41 reflected */
    for (int t = 0; t < 2; t++) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) {
                c = (c >> 1) ^ (poly[t] & -(c & 1));
            }
            crc_table[t][i] = c;
        }
    }
    crc_table_ready = true;
}

static ExecStatus crc32(CPUState *cpu, unsigned sf, unsigned sz, unsigned rn, unsigned rm,
                        unsigned rd, int castagnoli)
{
    /* sf must be 1 exactly for the doubleword form (sz = 11). */
    if (!feat_crc32(cpu) || (sf != (sz == 3))) {
        return cpu_raise_undef(cpu);
    }
    if (unlikely(!crc_table_ready)) {
        crc_tables_init();
    }
    uint32_t acc = (uint32_t)cpu_reg(cpu, rn);
    uint64_t val = cpu_reg(cpu, rm);
    for (unsigned i = 0; i < (1u << sz); i++) {
        acc = (acc >> 8) ^ crc_table[castagnoli][(acc ^ (uint8_t)val) & 0xff];
        val >>= 8;
    }
    cpu_set_reg(cpu, rd, acc);
    return EXEC_NEXT;
}

ExecStatus trans_CRC32(CPUState *cpu, const arg_CRC32 *a)
{
    return crc32(cpu, a->sf, a->sz, a->Rn, a->Rm, a->Rd, 0);
}

ExecStatus trans_CRC32C(CPUState *cpu, const arg_CRC32C *a)
{
    return crc32(cpu, a->sf, a->sz, a->Rn, a->Rm, a->Rd, 1);
}

/* --- Data-processing (1 source) --- */

ExecStatus trans_RBIT(CPUState *cpu, const arg_RBIT *a)
{
    uint64_t v = cpu_reg(cpu, a->Rn), r = 0;
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((v & 0x0f0f0f0f0f0f0f0fULL) << 4);
    r = __builtin_bswap64(v);
    cpu_set_reg(cpu, a->Rd, a->sf ? r : r >> 32);
    return EXEC_NEXT;
}

ExecStatus trans_REV16(CPUState *cpu, const arg_REV16 *a)
{
    uint64_t v = cpu_reg(cpu, a->Rn);
    uint64_t r = ((v >> 8) & 0x00ff00ff00ff00ffULL) | ((v & 0x00ff00ff00ff00ffULL) << 8);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

/* opc = 10: REV32 (64-bit) or REV (32-bit). */
ExecStatus trans_REV32(CPUState *cpu, const arg_REV32 *a)
{
    uint64_t v = cpu_reg(cpu, a->Rn);
    uint64_t r = (uint64_t)__builtin_bswap32((uint32_t)v);
    if (a->sf) {
        r |= (uint64_t)__builtin_bswap32((uint32_t)(v >> 32)) << 32;
    }
    cpu_set_reg(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* opc = 11: REV (64-bit); unallocated with sf = 0. */
ExecStatus trans_REV64(CPUState *cpu, const arg_REV64 *a)
{
    if (!a->sf) {
        return cpu_raise_undef(cpu);
    }
    cpu_set_reg(cpu, a->Rd, __builtin_bswap64(cpu_reg(cpu, a->Rn)));
    return EXEC_NEXT;
}

ExecStatus trans_CLZ(CPUState *cpu, const arg_CLZ *a)
{
    uint64_t v = cpu_reg(cpu, a->Rn);
    cpu_set_reg(cpu, a->Rd, a->sf ? (uint64_t)clz64(v) : (uint64_t)clz64((uint32_t)v) - 32);
    return EXEC_NEXT;
}

ExecStatus trans_CLS(CPUState *cpu, const arg_CLS *a)
{
    uint64_t v = cpu_reg(cpu, a->Rn), r;
    if (a->sf) {
        r = (uint64_t)clz64(v ^ (uint64_t)((int64_t)v >> 1)) - 1;
    } else {
        uint32_t w = (uint32_t)v;
        uint32_t x = w ^ (uint32_t)((int32_t)w >> 1);
        r = (uint64_t)clz64(x) - 32 - 1;
    }
    cpu_set_reg(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* --- Data-processing (3 source) --- */

ExecStatus trans_MADD(CPUState *cpu, const arg_MADD *a)
{
    uint64_t r = cpu_reg(cpu, a->Ra) + cpu_reg(cpu, a->Rn) * cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

ExecStatus trans_MSUB(CPUState *cpu, const arg_MSUB *a)
{
    uint64_t r = cpu_reg(cpu, a->Ra) - cpu_reg(cpu, a->Rn) * cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, int_trunc(a->sf, r));
    return EXEC_NEXT;
}

ExecStatus trans_SMADDL(CPUState *cpu, const arg_SMADDL *a)
{
    int64_t p = (int64_t)(int32_t)cpu_reg(cpu, a->Rn) * (int32_t)cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, cpu_reg(cpu, a->Ra) + (uint64_t)p);
    return EXEC_NEXT;
}

ExecStatus trans_SMSUBL(CPUState *cpu, const arg_SMSUBL *a)
{
    int64_t p = (int64_t)(int32_t)cpu_reg(cpu, a->Rn) * (int32_t)cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, cpu_reg(cpu, a->Ra) - (uint64_t)p);
    return EXEC_NEXT;
}

ExecStatus trans_UMADDL(CPUState *cpu, const arg_UMADDL *a)
{
    uint64_t p = (uint64_t)(uint32_t)cpu_reg(cpu, a->Rn) * (uint32_t)cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, cpu_reg(cpu, a->Ra) + p);
    return EXEC_NEXT;
}

ExecStatus trans_UMSUBL(CPUState *cpu, const arg_UMSUBL *a)
{
    uint64_t p = (uint64_t)(uint32_t)cpu_reg(cpu, a->Rn) * (uint32_t)cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, cpu_reg(cpu, a->Ra) - p);
    return EXEC_NEXT;
}

/* SMULH/UMULH: Ra is (1)(1)(1)(1)(1); other values behave the same (docs/impdef.md). */
ExecStatus trans_SMULH(CPUState *cpu, const arg_SMULH *a)
{
    __int128 p = (__int128)(int64_t)cpu_reg(cpu, a->Rn) * (int64_t)cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, (uint64_t)(p >> 64));
    return EXEC_NEXT;
}

ExecStatus trans_UMULH(CPUState *cpu, const arg_UMULH *a)
{
    unsigned __int128 p = (unsigned __int128)cpu_reg(cpu, a->Rn) * cpu_reg(cpu, a->Rm);
    cpu_set_reg(cpu, a->Rd, (uint64_t)(p >> 64));
    return EXEC_NEXT;
}

/* Fast handlers for the engine (cpu/exec_fast.h): the frequent instructions. */
EXEC_FAST(AND_reg)
EXEC_FAST(BIC_reg)
EXEC_FAST(ORR_reg)
EXEC_FAST(ORN_reg)
EXEC_FAST(EOR_reg)
EXEC_FAST(EON_reg)
EXEC_FAST(ANDS_reg)
EXEC_FAST(BICS_reg)
EXEC_FAST(ADD_sreg)
EXEC_FAST(SUB_sreg)
EXEC_FAST(ADD_ext)
EXEC_FAST(SUB_ext)
EXEC_FAST(ADC)
EXEC_FAST(SBC)
EXEC_FAST(CCMN_reg)
EXEC_FAST(CCMP_reg)
EXEC_FAST(CCMN_imm)
EXEC_FAST(CCMP_imm)
EXEC_FAST(CSEL)
EXEC_FAST(CSINC)
EXEC_FAST(CSINV)
EXEC_FAST(CSNEG)
EXEC_FAST(UDIV)
EXEC_FAST(SDIV)
EXEC_FAST(LSLV)
EXEC_FAST(LSRV)
EXEC_FAST(ASRV)
EXEC_FAST(RORV)
EXEC_FAST(RBIT)
EXEC_FAST(REV16)
EXEC_FAST(REV32)
EXEC_FAST(REV64)
EXEC_FAST(CLZ)
EXEC_FAST(CLS)
EXEC_FAST(MADD)
EXEC_FAST(MSUB)
EXEC_FAST(SMADDL)
EXEC_FAST(UMADDL)
EXEC_FAST(SMULH)
EXEC_FAST(UMULH)

const ExecFastEntry exec_fast_dp_reg[] = {
    EXEC_FAST_ENTRY(AND_reg),
    EXEC_FAST_ENTRY(BIC_reg),
    EXEC_FAST_ENTRY(ORR_reg),
    EXEC_FAST_ENTRY(ORN_reg),
    EXEC_FAST_ENTRY(EOR_reg),
    EXEC_FAST_ENTRY(EON_reg),
    EXEC_FAST_ENTRY(ANDS_reg),
    EXEC_FAST_ENTRY(BICS_reg),
    EXEC_FAST_ENTRY(ADD_sreg),
    EXEC_FAST_ENTRY(SUB_sreg),
    EXEC_FAST_ENTRY(ADD_ext),
    EXEC_FAST_ENTRY(SUB_ext),
    EXEC_FAST_ENTRY(ADC),
    EXEC_FAST_ENTRY(SBC),
    EXEC_FAST_ENTRY(CCMN_reg),
    EXEC_FAST_ENTRY(CCMP_reg),
    EXEC_FAST_ENTRY(CCMN_imm),
    EXEC_FAST_ENTRY(CCMP_imm),
    EXEC_FAST_ENTRY(CSEL),
    EXEC_FAST_ENTRY(CSINC),
    EXEC_FAST_ENTRY(CSINV),
    EXEC_FAST_ENTRY(CSNEG),
    EXEC_FAST_ENTRY(UDIV),
    EXEC_FAST_ENTRY(SDIV),
    EXEC_FAST_ENTRY(LSLV),
    EXEC_FAST_ENTRY(LSRV),
    EXEC_FAST_ENTRY(ASRV),
    EXEC_FAST_ENTRY(RORV),
    EXEC_FAST_ENTRY(RBIT),
    EXEC_FAST_ENTRY(REV16),
    EXEC_FAST_ENTRY(REV32),
    EXEC_FAST_ENTRY(REV64),
    EXEC_FAST_ENTRY(CLZ),
    EXEC_FAST_ENTRY(CLS),
    EXEC_FAST_ENTRY(MADD),
    EXEC_FAST_ENTRY(MSUB),
    EXEC_FAST_ENTRY(SMADDL),
    EXEC_FAST_ENTRY(UMADDL),
    EXEC_FAST_ENTRY(SMULH),
    EXEC_FAST_ENTRY(UMULH),
    { 0, 0 },
};
