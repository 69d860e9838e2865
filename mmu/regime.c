/*
 * Translation regimes: the only code that reads TCR/TTBR/VTCR/VTTBR/HCR/SCTLR
 * to choose walk parameters (AArch64.GetS1TTWParams, AArch64.GetS2TTWParams,
 * AArch64.S1StartLevel, AArch64.S2StartLevel, AArch64.S2InconsistentSL).
 * Every register field is validated here; invalid combinations become
 * WalkParams.cfg_invalid (a level-0 Translation fault, see docs/impdef.md).
 */
#include "mmu/mmu_int.h"

/* ---- ID register fields ---- */
static unsigned id_field(uint64_t reg, unsigned lsb)
{
    return (unsigned)extract64(reg, lsb, 4);
}

unsigned mmu_pamax(const CPUState *cpu)
{
    static const uint8_t bits[16] = { 32, 36, 40, 42, 44, 48, 52, 52, 52, 52, 52, 52, 52, 52, 52, 52 };
    return bits[id_field(cpu->id.ID_AA64MMFR0_EL1, 0)];
}

static unsigned ps_bits(unsigned enc)
{
    static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
    return bits[enc & 7];
}

/*
 * Granule support per stage. Returns 0 = not implemented, 1 = implemented,
 * 2 = implemented with 52-bit addresses (FEAT_LPA2 for 4K/16K).
 */
static int granule_support(const CPUState *cpu, unsigned gbits, bool stage2)
{
    uint64_t m0 = cpu->id.ID_AA64MMFR0_EL1;
    int s1;
    unsigned f2;
    switch (gbits) {
    case 12: {
        unsigned v = id_field(m0, 28);
        s1 = v == 0 ? 1 : v == 1 ? 2 : 0;
        f2 = id_field(m0, 40);
        break;
    }
    case 14: {
        unsigned v = id_field(m0, 20);
        s1 = v == 1 ? 1 : v == 2 ? 2 : 0;
        f2 = id_field(m0, 32);
        break;
    }
    default: {
        unsigned v = id_field(m0, 24);
        s1 = v == 0 ? 1 : 0;
        f2 = id_field(m0, 36);
        break;
    }
    }
    if (!stage2 || f2 == 0) {
        return s1;
    }
    return f2 == 1 ? 0 : f2 == 2 ? 1 : 2;
}

/*
 * A reserved TGx value, or a granule this stage does not implement
 * (ID_AA64MMFR0_EL1.TGranX / TGranX_2, switchable from -cpu), is treated as
 * an implemented granule for every purpose except the value read back from
 * the register (Arm ARM TCR_ELx.TGx / VTCR_EL2.TG0: IMPLEMENTATION DEFINED
 * choice). Tandem, as QEMU: the smallest granule implemented at that stage
 * (docs/impdef.md).
 */
static unsigned granule_pick(const CPUState *cpu, int want, bool stage2)
{
    if (want > 0 && granule_support(cpu, (unsigned)want, stage2)) {
        return (unsigned)want;
    }
    static const unsigned order[3] = { 12, 14, 16 };
    for (int i = 0; i < 3; i++) {
        if (granule_support(cpu, order[i], stage2)) {
            return order[i];
        }
    }
    return 12;
}

static int tg0_bits(unsigned tg0)
{
    static const int b[4] = { 12, 16, 14, -1 };
    return b[tg0 & 3];
}

static int tg1_bits(unsigned tg1)
{
    static const int b[4] = { -1, 14, 12, 16 };
    return b[tg1 & 3];
}

/* ---- EL2 / security state ---- */
bool mmu_el2_enabled(const CPUState *cpu)
{
    uint64_t pfr0 = cpu->id.ID_AA64PFR0_EL1;
    if (id_field(pfr0, 8) == 0) {
        return false;                       /* EL2 not implemented */
    }
    if (id_field(pfr0, 12) == 0) {
        return true;                        /* no EL3: always Non-secure */
    }
    return (cpu->sr.SCR_EL3 & SCR_NS) != 0; /* no Secure EL2 */
}

static bool mmu_ns(const CPUState *cpu, MMURegime r)
{
    if (r == REGIME_EL3) {
        return false;
    }
    return id_field(cpu->id.ID_AA64PFR0_EL1, 12) == 0 || (cpu->sr.SCR_EL3 & SCR_NS);
}

/* HCR_EL2 as it affects translation (arm_hcr_el2_eff in spirit; Arm ARM HCR_EL2 field notes). */
uint64_t mmu_hcr_eff(const CPUState *cpu)
{
    if (!mmu_el2_enabled(cpu)) {
        return 0;
    }
    uint64_t h = cpu->sr.HCR_EL2;
    if (!id_field(cpu->id.ID_AA64MMFR1_EL1, 8)) {
        h &= ~HCR_E2H;                      /* no FEAT_VHE: E2H is RES0 */
    }
    if ((h & (HCR_E2H | HCR_TGE)) == (HCR_E2H | HCR_TGE)) {
        h &= ~(HCR_VM | HCR_DC | HCR_PTW | HCR_CD | HCR_ID | HCR_FB);
    }
    return h;
}

MMURegime mmu_idx_regime(MMUIdx idx)
{
    switch (idx) {
    case MMU_IDX_E10_0: case MMU_IDX_E10_1: case MMU_IDX_E10_1_PAN: return REGIME_EL10;
    case MMU_IDX_E20_0: case MMU_IDX_E20_2: case MMU_IDX_E20_2_PAN: return REGIME_EL20;
    case MMU_IDX_E2: return REGIME_EL2;
    case MMU_IDX_E3: return REGIME_EL3;
    default: return REGIME_NONE;
    }
}

bool mmu_idx_unpriv(MMUIdx idx)
{
    return idx == MMU_IDX_E10_0 || idx == MMU_IDX_E20_0;
}

bool mmu_idx_pan(MMUIdx idx)
{
    return idx == MMU_IDX_E10_1_PAN || idx == MMU_IDX_E20_2_PAN;
}

uint16_t mmu_current_vmid(const CPUState *cpu)
{
    if (!mmu_el2_enabled(cpu)) {
        return 0;
    }
    uint64_t vttbr = cpu->sr.VTTBR_EL2;
    bool vmid16 = id_field(cpu->id.ID_AA64MMFR1_EL1, 4) == 2 && (cpu->sr.VTCR_EL2 & BIT64(19));
    return (uint16_t)extract64(vttbr, 48, vmid16 ? 16 : 8);
}

static const uint64_t *regime_tcr(const CPUState *cpu, MMURegime r)
{
    switch (r) {
    case REGIME_EL10: return &cpu->sr.TCR_ELx[1];
    case REGIME_EL3: return &cpu->sr.TCR_ELx[3];
    default: return &cpu->sr.TCR_ELx[2];
    }
}

uint16_t mmu_regime_asid(const CPUState *cpu, MMURegime r)
{
    if (r != REGIME_EL10 && r != REGIME_EL20) {
        return 0;
    }
    unsigned el = r == REGIME_EL10 ? 1 : 2;
    uint64_t tcr = cpu->sr.TCR_ELx[el];
    uint64_t ttbr = (tcr & BIT64(22)) ? cpu->sr.TTBR1_ELx[el] : cpu->sr.TTBR0_ELx[el];
    bool as16 = (tcr & BIT64(36)) && id_field(cpu->id.ID_AA64MMFR0_EL1, 4) == 2;
    return (uint16_t)extract64(ttbr, 48, as16 ? 16 : 8);
}

/* The ASID width of a regime (TLBI compares only these bits). */
static bool regime_two_ranges(MMURegime r)
{
    return r == REGIME_EL10 || r == REGIME_EL20;
}

bool mmu_regime_ds(const CPUState *cpu, MMURegime r)
{
    uint64_t tcr = *regime_tcr(cpu, r);
    bool ds = regime_two_ranges(r) ? (tcr & BIT64(59)) : (tcr & BIT64(32));
    if (!ds) {
        return false;
    }
    int g = tg0_bits((unsigned)extract64(tcr, 14, 2));
    unsigned gb = granule_pick(cpu, g, false);
    return gb != 16 && granule_support(cpu, gb, false) == 2;
}

/* Table base from a (V)TTBR: BADDR[47:1], plus BADDR[51:48] in bits [5:2] for 52-bit OA. */
static void set_ttb(WalkParams *p, uint64_t ttbr, unsigned start_idx_bits)
{
    bool oa52 = p->ds || p->lpa64;
    uint64_t base = ttbr & MASK64(48) & ~1ULL;
    unsigned align = start_idx_bits + 3;
    if (oa52) {
        base = (base & ~0x3cULL) | (extract64(ttbr, 2, 4) << 48);
        if (align < 6) {
            align = 6;
        }
    }
    /*
     * Bits below the table alignment are RES0: CONSTRAINED UNPREDICTABLE if
     * set; Tandem masks them as QEMU does (docs/impdef.md).
     */
    base &= ~MASK64(align);
    p->ttb = base;
    p->ttb_oor = p->oa_bits < 64 && (base >> p->oa_bits) != 0;
}

static unsigned start_idx_bits(const WalkParams *p)
{
    unsigned stride = p->gbits - 3u;
    unsigned shift = p->gbits + stride * (unsigned)(3 - p->start_level);
    return p->ia_bits > shift ? p->ia_bits - shift : 0;
}

/*
 * The TLB tag of an access, computed without the walk parameters: the
 * soft-TLB miss path probes the architectural TLB with this and only builds
 * the full S1Setup on a miss. Must agree with mmu_s1_setup(). False when the
 * access must take the slow path regardless (E0PDx faults even on TLB hits).
 */
bool mmu_s1_key(const CPUState *cpu, MMURegime r, uint64_t va, MMUAccessType acc, bool unpriv,
                TLBKey *k)
{
    unsigned el = r == REGIME_EL10 ? 1 : r == REGIME_EL3 ? 3 : 2;
    uint64_t tcr = *regime_tcr(cpu, r);
    bool two = regime_two_ranges(r);
    bool enabled = cpu->sr.SCTLR_ELx[el] & SCTLR_M;
    bool s2 = false;
    k->vmid = 0;
    if (r == REGIME_EL10) {
        uint64_t hcr = mmu_hcr_eff(cpu);
        s2 = (hcr & (HCR_VM | HCR_DC)) != 0;
        if (hcr & (HCR_DC | HCR_TGE)) {
            enabled = false;
        }
        k->vmid = mmu_current_vmid(cpu);
    }
    k->stages = (enabled ? TLBF_S1 : 0) | (s2 ? TLBF_S2 : 0);
    k->ns = mmu_ns(cpu, r);
    k->asid = mmu_regime_asid(cpu, r);
    bool sel = two && ((va >> 55) & 1);
    bool tbi, tbid;
    if (two) {
        tbi = extract64(tcr, sel ? 38 : 37, 1);
        tbid = extract64(tcr, sel ? 52 : 51, 1);
        if (unpriv && extract64(tcr, sel ? 56 : 55, 1) && id_field(cpu->id.ID_AA64MMFR2_EL1, 60) >= 1) {
            return false;
        }
    } else {
        tbi = extract64(tcr, 20, 1);
        tbid = extract64(tcr, 29, 1);
    }
    if (acc == MMU_ACCESS_FETCH && tbid) {
        tbi = false;
    }
    k->tlb_va = tbi ? sext64(va, 56) : va;
    return true;
}

bool mmu_s1_setup(CPUState *cpu, MMURegime r, uint64_t va, MMUAccessType acc, bool unpriv,
                  S1Setup *s, MMUFault *f)
{
    const CPUIDRegs *id = &cpu->id;
    unsigned el = r == REGIME_EL10 ? 1 : r == REGIME_EL3 ? 3 : 2;
    uint64_t tcr = *regime_tcr(cpu, r);
    uint64_t hcr = r == REGIME_EL10 ? mmu_hcr_eff(cpu) : 0;
    bool two = regime_two_ranges(r);
    bool fetch = acc == MMU_ACCESS_FETCH;
    WalkParams *p = &s->p;

    memset(s, 0, sizeof(*s));
    s->regime = r;
    s->ns = mmu_ns(cpu, r);
    s->hcr = hcr;
    s->sctlr = cpu->sr.SCTLR_ELx[el];
    s->mair = cpu->sr.MAIR_ELx[el];
    s->enabled = (s->sctlr & SCTLR_M) != 0;
    if (r == REGIME_EL10) {
        s->s2 = (hcr & (HCR_VM | HCR_DC)) != 0;
        s->vmid = mmu_current_vmid(cpu);
        if (hcr & HCR_DC) {
            s->enabled = false;             /* HCR_EL2.DC: SCTLR_EL1.M treated as 0 */
            s->dc = true;
        }
        if (hcr & HCR_TGE) {
            s->enabled = false;             /* TGE (E2H = 0): EL1&0 stage 1 off */
        }
    }
    s->wxn = (s->sctlr & SCTLR_WXN) != 0;
    s->gp_enabled = id_field(id->ID_AA64PFR1_EL1, 0) >= 1;
    s->asid = mmu_regime_asid(cpu, r);
    s->tlb_va = va;

    /* Range selection and TBI (AArch64.S1TTWParamsEL10 etc.). */
    bool sel = two && ((va >> 55) & 1);
    unsigned txsz, tg_raw;
    int want_g;
    bool tbi, tbid, epd = false, e0pd = false;
    unsigned ps;
    if (two) {
        txsz = (unsigned)extract64(tcr, sel ? 16 : 0, 6);
        tg_raw = (unsigned)extract64(tcr, sel ? 30 : 14, 2);
        want_g = sel ? tg1_bits(tg_raw) : tg0_bits(tg_raw);
        epd = extract64(tcr, sel ? 23 : 7, 1);
        p->sh = (uint8_t)extract64(tcr, sel ? 28 : 12, 2);
        ps = (unsigned)extract64(tcr, 32, 3);
        tbi = extract64(tcr, sel ? 38 : 37, 1);
        tbid = extract64(tcr, sel ? 52 : 51, 1);
        p->ha = extract64(tcr, 39, 1);
        p->hd = extract64(tcr, 40, 1);
        p->hpd = extract64(tcr, sel ? 42 : 41, 1);
        e0pd = extract64(tcr, sel ? 56 : 55, 1) && id_field(id->ID_AA64MMFR2_EL1, 60) >= 1;
        p->ds = extract64(tcr, 59, 1);
    } else {
        txsz = (unsigned)extract64(tcr, 0, 6);
        want_g = tg0_bits((unsigned)extract64(tcr, 14, 2));
        p->sh = (uint8_t)extract64(tcr, 12, 2);
        ps = (unsigned)extract64(tcr, 16, 3);
        tbi = extract64(tcr, 20, 1);
        tbid = extract64(tcr, 29, 1);
        p->ha = extract64(tcr, 21, 1);
        p->hd = extract64(tcr, 22, 1);
        p->hpd = extract64(tcr, 24, 1);
        p->ds = extract64(tcr, 32, 1);
    }
    if (id_field(id->ID_AA64MMFR1_EL1, 12) == 0) {
        p->hpd = false;                     /* no FEAT_HPDS */
    }
    unsigned hafdbs = id_field(id->ID_AA64MMFR1_EL1, 0);
    p->ha = p->ha && hafdbs >= 1;
    p->hd = p->ha && p->hd && hafdbs >= 2;
    if (fetch && tbid) {
        tbi = false;                        /* TBID: TBI applies to data only */
    }
    s->tbi = tbi;
    if (tbi) {
        s->tlb_va = sext64(va, 56);
    }
    p->two_priv = two;
    p->stage2 = false;

    if (!s->enabled) {
        return true;
    }

    /* Granule, DS, input size (AArch64.S1MinTxSZ / S1MaxTxSZ). */
    unsigned pamax = mmu_pamax(cpu);
    p->gbits = (uint8_t)granule_pick(cpu, want_g, false);
    p->ds = p->ds && p->gbits != 16 && granule_support(cpu, p->gbits, false) == 2;
    bool lva = id_field(id->ID_AA64MMFR2_EL1, 16) >= 1;
    unsigned min_tsz = (p->ds || (p->gbits == 16 && lva)) ? 12 : 16;
    bool ttst = id_field(id->ID_AA64MMFR2_EL1, 28) >= 1;
    unsigned max_tsz = ttst ? (p->gbits == 16 ? 47 : 48) : 39;
    p->ia_bits = (uint8_t)(64 - txsz);
    /*
     * TxSZ out of range: Tandem raises a level-0 Translation fault (one of the
     * two permitted behaviours; the one FEAT_LVA requires below the minimum).
     */
    p->cfg_invalid = txsz < min_tsz || txsz > max_tsz;

    /* Output size: (I)PS capped by PARange, and by 48 bits without DS/LPA. */
    unsigned oa = ps_bits(ps);
    if (oa > pamax) {
        oa = pamax;
    }
    if (oa > 48 && !(p->ds || p->gbits == 16)) {
        oa = 48;
    }
    p->oa_bits = (uint8_t)oa;
    p->lpa64 = p->gbits == 16 && oa == 52;
    p->blk_l1_64k = pamax == 52;

    /* VA range check (AArch64.VAIsOutOfRange): level-0 Translation fault. */
    unsigned top = tbi ? 55 : 63;
    if (!p->cfg_invalid && p->ia_bits <= top) {
        uint64_t hi = extract64(va, p->ia_bits, top - p->ia_bits + 1);
        uint64_t want = sel ? MASK64(top - p->ia_bits + 1) : 0;
        if (hi != want) {
            goto fault_l0;
        }
    }
    if (epd || (e0pd && unpriv)) {
        goto fault_l0;                      /* EPDx / E0PDx: level-0 Translation fault */
    }

    unsigned stride = p->gbits - 3u;
    unsigned levels = (p->ia_bits - p->gbits + stride - 1) / stride;
    p->start_level = (int8_t)(4 - (int)levels);
    if (p->cfg_invalid) {
        p->start_level = 0;
    }
    uint64_t ttbr = sel ? cpu->sr.TTBR1_ELx[el] : cpu->sr.TTBR0_ELx[el];
    set_ttb(p, ttbr, start_idx_bits(p));
    return true;

fault_l0:
    memset(f, 0, sizeof(*f));
    f->type = MMU_FAULT_TRANSLATION;
    f->level = 0;
    f->write = acc == MMU_ACCESS_WRITE;
    return false;
}

/*
 * Stage-2 parameters from VTCR_EL2/VTTBR_EL2 (AArch64.GetS2TTWParams) with the
 * start-level / size consistency checks (AArch64.S2InconsistentSL and
 * AArch64.S2InvalidTxSZ): anything invalid sets cfg_invalid.
 */
void mmu_s2_params(const CPUState *cpu, WalkParams *p)
{
    const CPUIDRegs *id = &cpu->id;
    uint64_t vtcr = cpu->sr.VTCR_EL2;
    unsigned pamax = mmu_pamax(cpu);
    memset(p, 0, sizeof(*p));
    p->stage2 = true;
    p->gbits = (uint8_t)granule_pick(cpu, tg0_bits((unsigned)extract64(vtcr, 14, 2)), true);
    p->ds = extract64(vtcr, 32, 1) && p->gbits != 16 && granule_support(cpu, p->gbits, true) == 2;
    unsigned hafdbs = id_field(id->ID_AA64MMFR1_EL1, 0);
    p->ha = extract64(vtcr, 21, 1) && hafdbs >= 1;
    p->hd = p->ha && extract64(vtcr, 22, 1) && hafdbs >= 2;
    p->xnx = id_field(id->ID_AA64MMFR1_EL1, 28) >= 1;
    p->sh = (uint8_t)extract64(vtcr, 12, 2);
    p->blk_l1_64k = pamax == 52;

    unsigned t0sz = (unsigned)extract64(vtcr, 0, 6);
    unsigned min_tsz = (p->ds || (p->gbits == 16 && pamax == 52)) ? 12 : 16;
    bool ttst = id_field(id->ID_AA64MMFR2_EL1, 28) >= 1;
    unsigned max_tsz = ttst ? (p->gbits == 16 ? 47 : 48) : 39;
    p->ia_bits = (uint8_t)(64 - t0sz);
    bool bad = t0sz < min_tsz || t0sz > max_tsz || p->ia_bits > pamax;

    unsigned oa = ps_bits((unsigned)extract64(vtcr, 16, 3));
    if (oa > pamax) {
        oa = pamax;
    }
    if (oa > 48 && !(p->ds || p->gbits == 16)) {
        oa = 48;
    }
    p->oa_bits = (uint8_t)oa;
    p->lpa64 = p->gbits == 16 && oa == 52;

    unsigned sl0 = (unsigned)extract64(vtcr, 6, 2);
    bool sl2 = p->ds && p->gbits == 12 && extract64(vtcr, 33, 1);
    int start;
    switch (p->gbits) {
    case 12:
        if (sl2) {
            start = -1;
            bad |= sl0 != 0;
        } else {
            start = 2 - (int)sl0;
            bad |= sl0 == 3 && !ttst;                 /* level 3 start needs FEAT_TTST */
            if (sl0 == 3) {
                start = 3;
            }
            bad |= sl0 == 2 && pamax < 44;
        }
        break;
    case 14:
        start = 3 - (int)sl0;
        bad |= sl0 == 2 && pamax < 42;
        bad |= sl0 == 3 && !p->ds;
        break;
    default:
        start = 3 - (int)sl0;
        bad |= sl0 == 2 && pamax < 44;
        bad |= sl0 == 3;
        break;
    }
    if (!bad) {
        /* The IPA size must be reachable from this start level with at most 16 concatenated tables. */
        unsigned stride = p->gbits - 3u;
        int below = 3 - start;
        int min_ia = below * (int)stride + p->gbits + 1;
        int max_ia = min_ia + (int)stride - 1 + 4;
        bad = (int)p->ia_bits < min_ia || (int)p->ia_bits > max_ia;
    }
    p->cfg_invalid = bad;
    p->start_level = (int8_t)(bad ? 0 : start);
    if (!bad) {
        set_ttb(p, cpu->sr.VTTBR_EL2, start_idx_bits(p));
    }
}
