/*
 * Pointer authentication (FEAT_PAuth, level 1: no EPAC/PAuth2/FPAC): the
 * Arm ARM's AddPAC, Auth, Strip and PACGA with the PAC computed by QARMA5
 * (ComputePAC) or by Tandem's fast IMPLEMENTATION DEFINED function
 * (docs/impdef.md), as the CPU model's ID_AA64ISAR1_EL1.{APA,API} say.
 */
#include "cpu/exception.h"
#include "cpu/features.h"
#include "cpu/pauth.h"
#include "cpu/regime.h"

#define EC_PACTRAP 0x09

/* ---------------------------------------------------------------------- */
/* QARMA5 (ComputePAC, Arm ARM J1 shared/functions/crypto)                 */

static const uint8_t qarma_sbox[16] = {
    0xb, 0x6, 0x8, 0xf, 0xc, 0x0, 0x9, 0xe, 0x3, 0x7, 0x4, 0x5, 0xd, 0x2, 0x1, 0xa,
};
/* PACCellShuffle: output cell i takes input cell cell_shuffle[i]. */
static const uint8_t cell_shuffle[16] = { 13, 6, 11, 0, 7, 12, 1, 10, 8, 3, 14, 5, 2, 9, 4, 15 };

static uint8_t qarma_inv_sbox[16];
static uint8_t cell_inv_shuffle[16];
static bool qarma_tables_ready;

static void qarma_init_tables(void)
{
    for (int i = 0; i < 16; i++) {
        qarma_inv_sbox[qarma_sbox[i]] = (uint8_t)i;
        cell_inv_shuffle[cell_shuffle[i]] = (uint8_t)i;
    }
    qarma_tables_ready = true;
}

static inline unsigned cell(uint64_t v, int i)
{
    return (unsigned)(v >> (4 * i)) & 0xf;
}

static uint64_t pac_cell_shuffle(uint64_t in, const uint8_t *perm)
{
    uint64_t out = 0;
    for (int i = 0; i < 16; i++) {
        out |= (uint64_t)cell(in, perm[i]) << (4 * i);
    }
    return out;
}

static uint64_t pac_sub(uint64_t in, const uint8_t *sbox)
{
    uint64_t out = 0;
    for (int i = 0; i < 16; i++) {
        out |= (uint64_t)sbox[cell(in, i)] << (4 * i);
    }
    return out;
}

/* RotCell(incell, amount): rotate a 4-bit cell left by amount. */
static inline unsigned rot_cell(unsigned c, unsigned amount)
{
    return ((c << amount) | (c >> (4 - amount))) & 0xf;
}

/* PACMult: the MixColumns-like step over the 4x4 cell state. */
static uint64_t pac_mult(uint64_t in)
{
    uint64_t out = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c0 = cell(in, i), c4 = cell(in, i + 4), c8 = cell(in, i + 8), c12 = cell(in, i + 12);
        unsigned t0 = rot_cell(c8, 1) ^ rot_cell(c4, 2) ^ rot_cell(c0, 1);
        unsigned t1 = rot_cell(c12, 1) ^ rot_cell(c4, 1) ^ rot_cell(c0, 2);
        unsigned t2 = rot_cell(c12, 2) ^ rot_cell(c8, 1) ^ rot_cell(c0, 1);
        unsigned t3 = rot_cell(c12, 1) ^ rot_cell(c8, 2) ^ rot_cell(c4, 1);
        out |= (uint64_t)t3 << (4 * i);
        out |= (uint64_t)t2 << (4 * (i + 4));
        out |= (uint64_t)t1 << (4 * (i + 8));
        out |= (uint64_t)t0 << (4 * (i + 12));
    }
    return out;
}

/* TweakCellRot / TweakCellInvRot: the tweak's LFSR on one cell. */
static inline unsigned tweak_cell_rot(unsigned c)
{
    return (c >> 1) | (((c ^ (c >> 1)) & 1) << 3);
}
static inline unsigned tweak_cell_inv_rot(unsigned c)
{
    return ((c << 1) & 0xf) | (((c >> 3) ^ c) & 1);
}

/*
 * TweakShuffle: output cell i takes input cell tweak_src[i], through
 * TweakCellRot where tweak_rot[i] is set.
 */
static const uint8_t tweak_src[16] = { 4, 5, 6, 7, 11, 2, 3, 8, 12, 13, 14, 15, 0, 1, 10, 9 };
static const uint8_t tweak_rot[16] = { 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1 };

static uint64_t tweak_shuffle(uint64_t in)
{
    uint64_t out = 0;
    for (int i = 0; i < 16; i++) {
        unsigned c = cell(in, tweak_src[i]);
        out |= (uint64_t)(tweak_rot[i] ? tweak_cell_rot(c) : c) << (4 * i);
    }
    return out;
}

static uint64_t tweak_inv_shuffle(uint64_t in)
{
    uint64_t out = 0;
    for (int i = 0; i < 16; i++) {
        unsigned c = cell(in, i);
        out |= (uint64_t)(tweak_rot[i] ? tweak_cell_inv_rot(c) : c) << (4 * tweak_src[i]);
    }
    return out;
}

uint64_t pauth_qarma5(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1)
{
    static const uint64_t RC[5] = {
        0x0000000000000000ULL, 0x13198A2E03707344ULL, 0xA4093822299F31D0ULL,
        0x082EFA98EC4E6C89ULL, 0x452821E638D01377ULL,
    };
    const uint64_t alpha = 0xC0AC29B7C97C50DDULL;
    if (!qarma_tables_ready) {
        qarma_init_tables();
    }
    uint64_t modk0 = (key0 << 63) | ((key0 >> 2) << 1) | ((key0 >> 63) ^ ((key0 >> 1) & 1));
    uint64_t runningmod = modifier;
    uint64_t w = data ^ key0;

    for (int i = 0; i <= 4; i++) {
        uint64_t roundkey = key1 ^ runningmod;
        w ^= roundkey;
        w ^= RC[i];
        if (i > 0) {
            w = pac_cell_shuffle(w, cell_shuffle);
            w = pac_mult(w);
        }
        w = pac_sub(w, qarma_sbox);
        runningmod = tweak_shuffle(runningmod);
    }
    w ^= modk0 ^ runningmod;
    w = pac_cell_shuffle(w, cell_shuffle);
    w = pac_mult(w);
    w = pac_sub(w, qarma_sbox);
    w = pac_cell_shuffle(w, cell_shuffle);
    w = pac_mult(w);
    w ^= key1;
    w = pac_cell_shuffle(w, cell_inv_shuffle);
    w = pac_sub(w, qarma_inv_sbox);
    w = pac_mult(w);
    w = pac_cell_shuffle(w, cell_inv_shuffle);
    w ^= key0;
    w ^= runningmod;
    for (int i = 0; i <= 4; i++) {
        w = pac_sub(w, qarma_inv_sbox);
        if (i < 4) {
            w = pac_mult(w);
            w = pac_cell_shuffle(w, cell_inv_shuffle);
        }
        runningmod = tweak_inv_shuffle(runningmod);
        uint64_t roundkey = key1 ^ runningmod;
        w ^= RC[4 - i];
        w ^= roundkey;
        w ^= alpha;
    }
    return w ^ modk0;
}

/*
 * Tandem's IMPLEMENTATION DEFINED PAC function (ID_AA64ISAR1_EL1.API = 1):
 * three rounds of a multiply-xorshift mixer keyed by all 128 key bits and
 * the 64-bit modifier. Not a cryptographic cipher; deterministic and fast
 * (docs/impdef.md).
 */
uint64_t pauth_impdef(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1)
{
    uint64_t x = data ^ key0;
    uint64_t m = modifier ^ key1;
    for (int i = 0; i < 3; i++) {
        x ^= m;
        x *= 0x9e3779b97f4a7c15ULL;
        x ^= x >> 29;
        x += key1 ^ (key0 << 1 | key0 >> 63);
        m = (m << 23 | m >> 41) ^ x;
        x *= 0xbf58476d1ce4e5b9ULL;
        x ^= x >> 32;
    }
    return x;
}

static uint64_t compute_pac(const CPUState *cpu, uint64_t data, uint64_t modifier, const PAuthKey *k)
{
    const CPUFeatures *f = cpu_features(cpu);
    if (f && f->pauth_qarma5) {
        return pauth_qarma5(data, modifier, k->hi, k->lo);
    }
    return pauth_impdef(data, modifier, k->hi, k->lo);
}

/* ---------------------------------------------------------------------- */
/* Pointer layout (EffectiveTBI, CalculateBottomPACBit)                    */

typedef struct PtrLayout {
    bool two_ranges;     /* PtrHasUpperAndLowerAddRanges() */
    uint64_t tcr;
    unsigned regime;
} PtrLayout;

static PtrLayout ptr_layout(const CPUState *cpu)
{
    PtrLayout l;
    l.regime = cpu_regime_el(cpu, cpu->el);
    l.tcr = cpu->sr.TCR_ELx[l.regime];
    l.two_ranges = l.regime == 1 || (l.regime == 2 && (cpu_hcr_el2(cpu) & HCR_E2H));
    return l;
}

/* EffectiveTBI(address, IsInstr, PSTATE.EL) */
static bool effective_tbi(const PtrLayout *l, uint64_t ptr, bool is_instr)
{
    bool tbi, tbid;
    if (l->two_ranges) {
        bool upper = (ptr >> 55) & 1;
        tbi = (l->tcr >> (upper ? 38 : 37)) & 1;
        tbid = (l->tcr >> (upper ? 52 : 51)) & 1;
    } else {
        tbi = (l->tcr >> 20) & 1;
        tbid = (l->tcr >> 29) & 1;
    }
    return tbi && (!is_instr || !tbid);
}

/*
 * CalculateBottomPACBit(selbit): 64 - TnSZ of the selected range, with
 * TnSZ forced into [16, 39] when out of range (the CONSTRAINED
 * UNPREDICTABLE choice Constraint_FORCE, docs/impdef.md).
 */
static unsigned bottom_pac_bit(const PtrLayout *l, unsigned selbit)
{
    unsigned tsz = (l->two_ranges && selbit) ? extract64(l->tcr, 16, 6) : extract64(l->tcr, 0, 6);
    if (tsz > 39) {
        tsz = 39;
    }
    if (tsz < 16) {
        tsz = 16;
    }
    return 64 - tsz;
}

/* ptr with the bits [top:bottom) replaced by copies of selbit (the extension). */
static uint64_t with_extension(uint64_t ptr, unsigned bottom, bool tbi, unsigned selbit)
{
    unsigned top = tbi ? 56 : 64;
    uint64_t mask = MASK64(top - bottom) << bottom;
    return (ptr & ~mask) | (selbit ? mask : 0);
}

static const PAuthKey *pauth_key(const CPUState *cpu, PAuthKeyId key)
{
    switch (key) {
    case PAUTH_KEY_IA: return &cpu->sr.APIAKey;
    case PAUTH_KEY_IB: return &cpu->sr.APIBKey;
    case PAUTH_KEY_DA: return &cpu->sr.APDAKey;
    default: return &cpu->sr.APDBKey;
    }
}

static bool pauth_key_enabled(const CPUState *cpu, PAuthKeyId key)
{
    static const uint64_t en[4] = { SCTLR_EnIA, SCTLR_EnIB, SCTLR_EnDA, SCTLR_EnDB };
    return cpu_have_pauth(cpu) && (cpu_sctlr(cpu) & en[key]) != 0;
}

/* TrapPACUse: HCR_EL2.API / SCR_EL3.API clear trap PAuth instructions (EC 0x09). */
static unsigned pauth_trap_el(const CPUState *cpu)
{
    if (cpu->el <= 1 && cpu_el2_enabled(cpu) && !(cpu->sr.HCR_EL2 & HCR_API) &&
        !cpu_el_is_in_host(cpu, cpu->el)) {
        return 2;
    }
    if (cpu->el <= 2 && cpu_have_el3(cpu) && !(cpu->sr.SCR_EL3 & SCR_API)) {
        return 3;
    }
    return 0;
}

ExecStatus pauth_check(CPUState *cpu, PAuthKeyId key)
{
    if (!pauth_key_enabled(cpu, key)) {
        return EXEC_NEXT;
    }
    unsigned t = pauth_trap_el(cpu);
    return t ? cpu_raise_trap(cpu, t, EC_PACTRAP, 0) : EXEC_NEXT;
}

ExecStatus pauth_check_pacga(CPUState *cpu)
{
    unsigned t = pauth_trap_el(cpu);
    return t ? cpu_raise_trap(cpu, t, EC_PACTRAP, 0) : EXEC_NEXT;
}

uint64_t pauth_add(CPUState *cpu, uint64_t ptr, uint64_t modifier, PAuthKeyId key)
{
    if (!pauth_key_enabled(cpu, key)) {
        return ptr;
    }
    bool data = key >= PAUTH_KEY_DA;
    PtrLayout l = ptr_layout(cpu);
    bool tbi = effective_tbi(&l, ptr, !data);
    unsigned top_bit = tbi ? 55 : 63;
    unsigned selbit;
    if (l.two_ranges) {
        bool any_tbi;
        if (data) {
            any_tbi = ((l.tcr >> 38) & 1) || ((l.tcr >> 37) & 1);
        } else {
            any_tbi = (((l.tcr >> 38) & 1) && !((l.tcr >> 52) & 1)) ||
                      (((l.tcr >> 37) & 1) && !((l.tcr >> 51) & 1));
        }
        selbit = any_tbi ? (ptr >> 55) & 1 : (ptr >> 63) & 1;
    } else {
        selbit = tbi ? (ptr >> 55) & 1 : (ptr >> 63) & 1;
    }
    unsigned bottom = bottom_pac_bit(&l, selbit);
    uint64_t ext_ptr = with_extension(ptr, bottom, tbi, selbit);
    uint64_t pac = compute_pac(cpu, ext_ptr, modifier, pauth_key(cpu, key));

    /* Bad extension bits: corrupt the PAC so authentication fails. */
    uint64_t ext = extract64(ptr, bottom, top_bit - bottom + 1);
    if (ext != 0 && ext != MASK64(top_bit - bottom + 1)) {
        pac ^= 1ULL << (top_bit - 1);
    }
    uint64_t result;
    uint64_t pac_mask = MASK64(55 - bottom) << bottom;   /* PAC<54:bottom> */
    result = (ptr & MASK64(bottom)) | (pac & pac_mask) | ((uint64_t)selbit << 55);
    if (tbi) {
        result |= ptr & (0xffULL << 56);
    } else {
        result |= pac & (0xffULL << 56);
    }
    return result;
}

bool pauth_auth(CPUState *cpu, uint64_t *ptr, uint64_t modifier, PAuthKeyId key)
{
    if (!pauth_key_enabled(cpu, key)) {
        return true;
    }
    bool data = key >= PAUTH_KEY_DA;
    uint64_t p = *ptr;
    PtrLayout l = ptr_layout(cpu);
    bool tbi = effective_tbi(&l, p, !data);
    unsigned selbit = (p >> 55) & 1;
    unsigned bottom = bottom_pac_bit(&l, selbit);
    uint64_t original = with_extension(p, bottom, tbi, selbit);
    uint64_t pac = compute_pac(cpu, original, modifier, pauth_key(cpu, key));
    uint64_t pac_mask = MASK64(55 - bottom) << bottom;
    bool ok = (pac & pac_mask) == (p & pac_mask);
    if (!tbi) {
        ok = ok && ((pac ^ p) >> 56) == 0;
    }
    if (ok) {
        *ptr = original;
        return true;
    }
    /* error_code = keynumber:NOT(keynumber), keynumber 0 for A keys, 1 for B keys. */
    unsigned keynum = (key == PAUTH_KEY_IB || key == PAUTH_KEY_DB) ? 1 : 0;
    uint64_t err = (uint64_t)((keynum << 1) | (keynum ^ 1));
    if (tbi) {
        *ptr = deposit64(original, 53, 2, err);
    } else {
        *ptr = deposit64(original, 61, 2, err);
    }
    return true;
}

uint64_t pauth_strip(CPUState *cpu, uint64_t ptr, bool data)
{
    PtrLayout l = ptr_layout(cpu);
    bool tbi = effective_tbi(&l, ptr, !data);
    unsigned selbit = (ptr >> 55) & 1;
    return with_extension(ptr, bottom_pac_bit(&l, selbit), tbi, selbit);
}

uint64_t pauth_pacga(CPUState *cpu, uint64_t value, uint64_t modifier)
{
    return compute_pac(cpu, value, modifier, &cpu->sr.APGAKey) & 0xffffffff00000000ULL;
}
