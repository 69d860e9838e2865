/*
 * Walker tests on synthetic tables: every granule x stage x start level,
 * 48-bit and 52-bit (FEAT_LPA, FEAT_LPA2), concatenation, block sizes, faults
 * at every level with their DFSC, hardware AF/dirty updates. Each test names
 * the feature-notes section D case it covers.
 */
#include "tests/unit/mmu_test_env.h"

static void expect_fault(Env *e, uint64_t va, MMUAccessType acc, MMUIdx idx, MMUFaultType type,
                         int level, bool stage2, unsigned fsc)
{
    MMUResult r;
    MMUFault f;
    g_assert_false(tr(e, va, acc, idx, &r, &f));
    g_assert_cmpint(f.type, ==, type);
    g_assert_cmpint(f.level, ==, level);
    g_assert_cmpint(f.stage2, ==, stage2);
    g_assert_cmphex(mmu_fault_fsc(&f), ==, fsc);
}

/* ---- MMU off ---- */
static void test_mmu_off(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    g_assert_true(tr(&e, 0x40001234, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(r.pa, ==, 0x40001234);
    g_assert_true(r.device);                       /* Device-nGnRnE data */
    g_assert_true(r.readable && r.writable && r.executable);
    g_assert_true(tr(&e, 0x40001234, MMU_ACCESS_FETCH, MMU_IDX_E10_1, &r, &f));
    g_assert_false(r.device);                      /* Normal instruction side */
    /* Beyond PAMax (52): level-0 Address size fault. */
    expect_fault(&e, 1ULL << 52, MMU_ACCESS_READ, MMU_IDX_E3, MMU_FAULT_ADDRESS_SIZE, 0, false, 0x00);
    /* HCR_EL2.DC: Normal write-back instead of Device; stage 2 behaves as enabled (VM = 1). */
    Fmt s2 = { .g = 12, .start = 1, .ia_bits = 40 };
    uint64_t root = env_alloc(&e, 8192);
    s2_setup(&e, &s2, root, 1);
    fmt_map(&e, &s2, root, 0x40000000, 0x40000000, 1, S2_LEAF);
    e.cpu->sr.HCR_EL2 = BIT64(12);
    g_assert_true(tr(&e, 0x40001234, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_false(r.device);
    g_assert_cmphex(r.attrs, ==, 0xff);
    env_free(&e);
}

/* ---- stage 1: granule x start level (incl. 52-bit VA: LPA2 level -1, 64K LVA) ---- */
typedef struct S1Case {
    unsigned g, ia;
    int start;
    bool ds, lpa64;
} S1Case;

static const S1Case s1_cases[] = {
    { 12, 48, 0, false, false }, { 12, 39, 1, false, false }, { 12, 30, 2, false, false },
    { 12, 25, 2, false, false }, { 12, 52, -1, true, false },
    { 14, 48, 0, false, false }, { 14, 47, 1, false, false }, { 14, 36, 2, false, false },
    { 14, 25, 3, false, false }, { 14, 52, 0, true, false },
    { 16, 48, 1, false, true }, { 16, 42, 2, false, true }, { 16, 29, 3, false, true },
    { 16, 52, 1, false, true },
};

static int lowest_block_level(const Fmt *f)
{
    if (f->g == 12) {
        return f->ds ? 0 : 1;
    }
    if (f->g == 14) {
        return f->ds ? 1 : 2;
    }
    return 1;   /* PARange 52: FEAT_LPA level-1 blocks */
}

static void test_s1_granule_levels(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(s1_cases); i++) {
        const S1Case *k = &s1_cases[i];
        Fmt f = { .g = k->g, .start = k->start, .ia_bits = k->ia, .ds = k->ds, .lpa64 = k->lpa64 };
        Env e;
        MMUResult r;
        MMUFault flt;
        env_init(&e);
        uint64_t root0 = env_alloc(&e, fmt_root_size(&f));
        uint64_t root1 = env_alloc(&e, fmt_root_size(&f));
        s1_el1(&e, &f, root0, root1);
        uint64_t page = 1ULL << k->g;
        uint64_t va_lo = (1ULL << k->ia) - 3 * page;             /* top of the TTBR0 range */
        uint64_t va_hi = ~0ULL - (1ULL << k->ia) + 1 + 5 * page;  /* bottom of the TTBR1 range */
        uint64_t pa = 0x40800000ULL + (i << 20);
        fmt_map(&e, &f, root0, va_lo, pa, 3, S1_LEAF);
        fmt_map(&e, &f, root1, va_hi, pa + page, 3, S1_LEAF);
        g_test_message("case %zu: g=%u ia=%u start=%d", i, k->g, k->ia, k->start);

        Trace t = { 0 };
        g_assert_true(mmu_walk_debug(e.cpu, va_lo + 0x18, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &flt));
        g_assert_cmphex(r.pa, ==, pa + 0x18);
        g_assert_cmpuint(r.page_size, ==, page);
        g_assert_cmpint(t.n, ==, 3 - k->start + 1);             /* one read per level */
        g_assert_cmpint(t.steps[0].level, ==, k->start);
        g_assert_true(tr(&e, va_lo + 8, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &flt));
        g_assert_cmphex(r.pa, ==, pa + 8);
        g_assert_true(tr(&e, va_hi + 0x20, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &flt));
        g_assert_cmphex(r.pa, ==, pa + page + 0x20);

        /* Unmapped page next to it: level-3 Translation fault. */
        expect_fault(&e, va_lo + page, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_TRANSLATION, 3, false, 0x07);
        /* Outside both ranges: level-0 Translation fault. */
        if (k->ia < 52) {
            expect_fault(&e, 1ULL << k->ia, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_TRANSLATION, 0,
                         false, 0x04);
        }

        /* Blocks at every legal block level between start and 2 (block-size check). */
        for (int lvl = lowest_block_level(&f); lvl <= 2; lvl++) {
            if (lvl <= k->start) {
                continue;
            }
            uint64_t bsize = 1ULL << fmt_shift(&f, lvl);
            uint64_t va_b = bsize * 3;
            uint64_t pa_b = (uint64_t)(lvl + 2) << 44;           /* anywhere below 2^52 */
            fmt_map(&e, &f, root0, va_b, pa_b, lvl, S1_LEAF);
            g_assert_true(tr(&e, va_b + bsize - 8, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &flt));
            g_assert_cmphex(r.pa, ==, pa_b + bsize - 8);
            g_assert_cmpuint(r.page_size, ==, bsize);
        }
        env_free(&e);
    }
}

/* ---- stage 2: IPA sizes x granules with KVM's start level (feature-notes A.1 table) ---- */
typedef struct S2Case {
    unsigned g, ipa;
    int start;
    unsigned concat;   /* tables concatenated at the start level */
    bool ds, lpa64;
} S2Case;

static const S2Case s2_cases[] = {
    { 12, 32, 2, 4, false, false }, { 12, 36, 1, 1, false, false }, { 12, 40, 1, 2, false, false },
    { 12, 42, 1, 8, false, false }, { 12, 44, 0, 1, false, false }, { 12, 48, 0, 1, false, false },
    { 12, 52, 0, 16, true, false }, { 12, 52, -1, 1, true, false },
    { 14, 36, 2, 1, false, false }, { 14, 40, 2, 16, false, false }, { 14, 42, 1, 1, false, false },
    { 14, 48, 1, 2, false, false }, { 14, 52, 0, 1, true, false },
    { 16, 40, 2, 1, false, true }, { 16, 44, 2, 4, false, true }, { 16, 48, 1, 1, false, true },
    { 16, 52, 1, 1, false, true },
};

static void test_s2_ipa_sizes(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(s2_cases); i++) {
        const S2Case *k = &s2_cases[i];
        Fmt f = { .g = k->g, .start = k->start, .ia_bits = k->ipa, .ds = k->ds, .lpa64 = k->lpa64 };
        Env e;
        MMUResult r;
        MMUFault flt;
        env_init(&e);
        g_test_message("s2 case %zu: g=%u ipa=%u start=%d", i, k->g, k->ipa, k->start);
        uint64_t rsize = fmt_root_size(&f);
        if (k->concat > 1) {
            g_assert_cmpuint(rsize, ==, (uint64_t)k->concat << k->g);
        }
        uint64_t root = env_alloc(&e, rsize);
        s2_setup(&e, &f, root, 5);
        uint64_t page = 1ULL << k->g;
        uint64_t ipa = (1ULL << k->ipa) - 2 * page;
        uint64_t pa = 0x41000000ULL + (i << 16) * 4;
        fmt_map(&e, &f, root, ipa, pa, 3, S2_LEAF);
        Trace t = { 0 };
        g_assert_true(mmu_walk_debug(e.cpu, ipa + 0x40, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &flt));
        g_assert_cmphex(r.pa, ==, pa + 0x40);
        g_assert_cmpint(t.n, ==, 3 - k->start + 1);
        g_assert_true(t.steps[0].stage2);
        /* The first read is at the concatenated index: BADDR + 8 * IPA[top:shift(start)]. */
        unsigned sh = fmt_shift(&f, k->start);
        g_assert_cmphex(t.steps[0].desc_pa, ==, root + 8 * extract64(ipa, sh, k->ipa - sh));
        g_assert_true(tr(&e, ipa + 0x48, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &flt));
        g_assert_cmphex(r.pa, ==, pa + 0x48);
        /* D2-style: unmapped IPA in range faults at the level where the walk stops. */
        MMUFault f2;
        g_assert_false(tr(&e, ipa - (1ULL << sh), MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f2));
        g_assert_cmpint(f2.type, ==, MMU_FAULT_TRANSLATION);
        g_assert_true(f2.stage2);
        g_assert_cmpint(f2.level, ==, k->start);
        g_assert_cmphex(f2.ipa, ==, ipa - (1ULL << sh));
        /* D1: IPA beyond T0SZ -> stage-2 level-0 Translation fault, IPA reported. */
        if (k->ipa < 52) {
            g_assert_false(tr(&e, 1ULL << k->ipa, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f2));
            g_assert_cmpint(f2.type, ==, MMU_FAULT_TRANSLATION);
            g_assert_true(f2.stage2 && f2.ipa_valid);
            g_assert_cmpint(f2.level, ==, 0);
            g_assert_cmphex(f2.ipa, ==, 1ULL << k->ipa);
        }
        env_free(&e);
    }
}

/* D1 exactly: 36-bit IPA, guest stage 1 maps VA 0x4000_0000 -> IPA 0x10_0000_0000. */
static void test_d1_d2_d3(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    e.cpu->id.ID_AA64MMFR0_EL1 = (e.cpu->id.ID_AA64MMFR0_EL1 & ~0xfULL) | 5;   /* PARange 48 */
    uint64_t s2root = env_alloc(&e, 512);
    e.cpu->sr.VTCR_EL2 = 0x8005355C;          /* T0SZ=28, SL0=1, 4K, PS=48 */
    e.cpu->sr.VTTBR_EL2 = s2root;
    e.cpu->sr.HCR_EL2 = 1;
    Fmt s2 = { .g = 12, .start = 1, .ia_bits = 36 };
    /* Identity-map the guest's table area at stage 2. */
    for (uint64_t a = RAM_BASE; a < RAM_BASE + (8 << 20); a += 1 << 21) {
        fmt_map(&e, &s2, s2root, a, a, 2, S2_LEAF);
    }
    Fmt s1 = { .g = 12, .start = 0, .ia_bits = 48 };
    uint64_t s1root = env_alloc(&e, 4096);
    s1_el1(&e, &s1, s1root, s1root);
    e.cpu->sr.TCR_ELx[1] = (e.cpu->sr.TCR_ELx[1] & ~(7ULL << 32)) | 2ULL << 32;   /* IPS 40 */
    fmt_map(&e, &s1, s1root, 0x40000000, 0x1000000000ULL, 3, S1_LEAF);
    g_assert_false(tr(&e, 0x40000000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_true(f.stage2);
    g_assert_false(f.s1ptw);
    g_assert_cmpint(f.level, ==, 0);
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x04);     /* ESR_EL2 0x93C18004 */
    g_assert_cmphex((f.ipa >> 12) << 4, ==, 0x10000000); /* HPFAR_EL2 */

    /* D2: IPA 0x8_0000_0000, level-1 index 32 invalid -> DFSC 0x05, HPFAR 0x0800_0000. */
    fmt_map(&e, &s1, s1root, 0x40001000, 0x800000000ULL, 3, S1_LEAF);
    g_assert_false(tr(&e, 0x40001000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x05);
    g_assert_cmphex((f.ipa >> 12) << 4, ==, 0x08000000);

    /* D3: guest IPS = 36 bits: the stage-1 output check comes first (stage-1 Address size, level 3). */
    e.cpu->sr.TCR_ELx[1] = (e.cpu->sr.TCR_ELx[1] & ~(7ULL << 32)) | 1ULL << 32;
    mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 7, 4), 0);   /* ALLE1 */
    expect_fault(&e, 0x40000000, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_ADDRESS_SIZE, 3, false, 0x03);
    env_free(&e);
}

/* D4 / D7: SL0 / T0SZ legality -> level-0 Translation fault, no descriptor fetched. */
static void test_d4_d7_sl0_legality(void)
{
    static const struct { uint64_t vtcr; unsigned parange; bool ok; } cases[] = {
        { 24 | 0 << 6 | 0ULL << 14, 5, false },        /* D4: 40-bit IPA with 4K start level 2 */
        { 24 | 1 << 6 | 0ULL << 14, 5, true },         /* 40-bit, level 1 */
        { 16 | 2 << 6 | 0ULL << 14, 5, true },         /* D7: 4K SL0=2 with PARange 48, T0SZ 16 */
        { 24 | 2 << 6 | 0ULL << 14, 2, false },        /* D7: 4K SL0=2 with PARange 40 */
        { 25 | 3 << 6 | 0ULL << 14, 5, false },        /* D7: 4K SL0=3 without FEAT_TTST */
        { 16 | 3 << 6 | 2ULL << 14, 5, false },        /* D7: 16K SL0=3 with DS=0 */
        { 22 | 3 << 6 | 1ULL << 14, 5, false },        /* D7: 64K SL0=3 */
        { 15 | 1 << 6 | 0ULL << 14, 5, false },        /* T0SZ below the minimum */
        { 40 | 0 << 6 | 0ULL << 14, 5, false },        /* T0SZ above 39 (no TTST) */
        { 16 | 1 << 6 | 0ULL << 14, 2, false },        /* IPA larger than PAMax */
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        Env e;
        MMUResult r;
        MMUFault f;
        env_init(&e);
        e.cpu->id.ID_AA64MMFR0_EL1 = (e.cpu->id.ID_AA64MMFR0_EL1 & ~0xfULL) | cases[i].parange;
        e.cpu->sr.VTCR_EL2 = cases[i].vtcr | 5ULL << 16 | BIT64(31);
        uint64_t root = env_alloc(&e, 1 << 16);
        e.cpu->sr.VTTBR_EL2 = root;
        e.cpu->sr.HCR_EL2 = 1;
        Trace t = { 0 };
        bool ok = mmu_walk_debug(e.cpu, 0x1000, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &f);
        g_assert_false(ok);
        g_test_message("legality case %zu", i);
        if (cases[i].ok) {
            g_assert_cmpint(t.n, ==, 1);              /* a walk happened (and found nothing) */
        } else {
            g_assert_cmpint(t.n, ==, 0);
            g_assert_cmpint(f.type, ==, MMU_FAULT_TRANSLATION);
            g_assert_cmpint(f.level, ==, 0);
            g_assert_true(f.stage2);
            g_assert_cmphex(f.ipa, ==, 0x1000);
        }
        env_free(&e);
    }
}

/* D5: 4K 40-bit IPA: two concatenated level-1 tables, IPA 0x80_4000_0000 read at BADDR + 0x1008. */
static void test_d5_d6_concat(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    uint64_t root = env_alloc(&e, 8192);
    e.cpu->sr.VTCR_EL2 = 24 | 1 << 6 | 5ULL << 16 | BIT64(31);
    e.cpu->sr.VTTBR_EL2 = root;
    e.cpu->sr.HCR_EL2 = 1;
    env_wr(&e, root + 0x1008, 0xc0000000ULL | S2_LEAF | 1);
    Trace t = { 0 };
    g_assert_true(mmu_walk_debug(e.cpu, 0x8040000123ULL, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &f));
    g_assert_cmpint(t.n, ==, 1);
    g_assert_cmphex(t.steps[0].desc_pa, ==, root + 0x1008);
    g_assert_cmphex(r.pa, ==, 0xc0000123ULL);
    /* Variant: BADDR only 4K aligned: the low bit is masked (docs/impdef.md). */
    e.cpu->sr.VTTBR_EL2 = root + 0x1000;
    t.n = 0;
    g_assert_true(mmu_walk_debug(e.cpu, 0x8040000123ULL, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &f));
    g_assert_cmphex(t.steps[0].desc_pa, ==, root + 0x1008);
    env_free(&e);

    /* D6: 16K 40-bit IPA, start level 2: sixteen tables, IPA 0xFF_FE00_0000 read at BADDR + 0x3FFF8. */
    env_init(&e);
    root = env_alloc(&e, 256 << 10);
    e.cpu->sr.VTCR_EL2 = 24 | 1 << 6 | 2ULL << 14 | 5ULL << 16 | BIT64(31);
    e.cpu->sr.VTTBR_EL2 = root;
    e.cpu->sr.HCR_EL2 = 1;
    env_wr(&e, root + 0x3fff8, 0x44000000ULL | S2_LEAF | 1);   /* 32MB block at level 2 */
    t.n = 0;
    g_assert_true(mmu_walk_debug(e.cpu, 0xfffe000040ULL, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &f));
    g_assert_cmphex(t.steps[0].desc_pa, ==, root + 0x3fff8);
    g_assert_cmphex(r.pa, ==, 0x44000040ULL);
    g_assert_cmpuint(r.page_size, ==, 32 << 20);
    env_free(&e);
}

/* D8: address size faults at stage 2 (OA beyond PS, VTTBR beyond PS, PS capped by PARange). */
static void test_d8_address_size(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    e.cpu->id.ID_AA64MMFR0_EL1 = (e.cpu->id.ID_AA64MMFR0_EL1 & ~0xfULL) | 5;
    Fmt s2 = { .g = 12, .start = 1, .ia_bits = 40 };
    uint64_t root = env_alloc(&e, 8192);
    e.cpu->sr.VTCR_EL2 = 24 | 1 << 6 | 2ULL << 16 | BIT64(31);   /* PS 40 */
    e.cpu->sr.VTTBR_EL2 = root;
    e.cpu->sr.HCR_EL2 = 1;
    fmt_map(&e, &s2, root, 0x5000, 1ULL << 40, 3, S2_LEAF);
    g_assert_false(tr(&e, 0x5000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmpint(f.type, ==, MMU_FAULT_ADDRESS_SIZE);
    g_assert_true(f.stage2 && f.ipa_valid);
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x03);
    /* VTTBR BADDR with bit 41 set: level 0. */
    e.cpu->sr.VTTBR_EL2 = root | 1ULL << 41;
    g_assert_false(tr(&e, 0x6000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x00);
    g_assert_true(f.stage2);
    /* PARange 40 with PS 48: PS treated as 40, OA bit 41 faults. */
    e.cpu->id.ID_AA64MMFR0_EL1 = (e.cpu->id.ID_AA64MMFR0_EL1 & ~0xfULL) | 2;
    e.cpu->sr.VTCR_EL2 = 24 | 1 << 6 | 5ULL << 16 | BIT64(31);
    e.cpu->sr.VTTBR_EL2 = root;
    fmt_map(&e, &s2, root, 0x7000, 1ULL << 41, 3, S2_LEAF);
    g_assert_false(tr(&e, 0x7000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x03);
    /* Table descriptor pointing beyond the OA size: address size fault at that level (stage 1, level 1). */
    env_free(&e);

    env_init(&e);
    Fmt s1 = { .g = 12, .start = 0, .ia_bits = 48 };
    uint64_t r1 = env_alloc(&e, 4096);
    s1_el1(&e, &s1, r1, r1);
    e.cpu->sr.TCR_ELx[1] = (e.cpu->sr.TCR_ELx[1] & ~(7ULL << 32)) | 2ULL << 32;  /* IPS 40 */
    uint64_t slot = fmt_slot(&e, &s1, r1, 0x8000, 1);
    env_wr(&e, slot, (1ULL << 44) | 3);
    expect_fault(&e, 0x8000, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_ADDRESS_SIZE, 1, false, 0x01);
    env_free(&e);
}

/* Every fault kind at every level (stage 1, 4K 48-bit plus LPA2 level -1). */
static void test_faults_every_level(void)
{
    for (int lvl = 0; lvl <= 3; lvl++) {
        Env e;
        env_init(&e);
        Fmt s1 = { .g = 12, .start = 0, .ia_bits = 48 };
        uint64_t root = env_alloc(&e, 4096);
        s1_el1(&e, &s1, root, root);
        uint64_t va = 0x0000123456789000ULL & MASK64(48);
        /* Translation fault: invalid descriptor at lvl. */
        fmt_slot(&e, &s1, root, va, lvl);
        expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_TRANSLATION, lvl, false, 0x04 + lvl);
        /* External abort on the walk: a table pointing at nothing (the fault is at the next level). */
        if (lvl < 3) {
            uint64_t slot = fmt_slot(&e, &s1, root, va, lvl);
            env_wr(&e, slot, 0x10000000ULL | 3);  /* no RAM at 0x1000_0000 */
            expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_SYNC_EXTERNAL_WALK, lvl + 1,
                         false, 0x14 + lvl + 1);
            env_wr(&e, slot, 0);
        }
        /* Access flag and permission faults at lvl (blocks where legal, page at 3; level 0 needs DS). */
        if (lvl >= 1) {
            uint64_t slot = fmt_map(&e, &s1, root, va, 0x40000000, lvl, S1_LEAF & ~BIT64(10));
            expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_ACCESS_FLAG, lvl, false, 0x08 + lvl);
            env_wr(&e, slot, env_rd(&e, slot) | BIT64(10) | S1_AP_RO);
            expect_fault(&e, va, MMU_ACCESS_WRITE, MMU_IDX_E10_1, MMU_FAULT_PERMISSION, lvl, false, 0x0c + lvl);
            /* Address size: OA beyond IPS (40). */
            e.cpu->sr.TCR_ELx[1] = (e.cpu->sr.TCR_ELx[1] & ~(7ULL << 32)) | 2ULL << 32;
            env_wr(&e, slot, (1ULL << 45) | S1_LEAF | (lvl == 3 ? 3 : 1));
            expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_ADDRESS_SIZE, lvl, false, 0x00 + lvl);
        } else {
            /* D18: a level-0 block without DS is a level-0 Translation fault. */
            uint64_t slot = fmt_slot(&e, &s1, root, va, 0);
            env_wr(&e, slot, 0x40000000ULL | S1_LEAF | 1);
            expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_TRANSLATION, 0, false, 0x04);
        }
        env_free(&e);
    }
    /* LPA2 (D20 at EL1&0 and at EL2): level -1 Translation fault 0x2B; level-0 AF/permission codes. */
    Env e;
    env_init(&e);
    Fmt f = { .g = 12, .start = -1, .ia_bits = 52, .ds = true };
    uint64_t root = env_alloc(&e, 4096);
    s1_el1(&e, &f, root, root);
    uint64_t va = 0x000f123456789000ULL;
    expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_TRANSLATION, -1, false, 0x2b);
    uint64_t slot = fmt_map(&e, &f, root, va, 0x8000000000ULL, 0, S1_LEAF & ~BIT64(10));   /* level-0 512GB block */
    expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_ACCESS_FLAG, 0, false, 0x08);
    env_wr(&e, slot, env_rd(&e, slot) | BIT64(10) | S1_AP_RO);
    expect_fault(&e, va, MMU_ACCESS_WRITE, MMU_IDX_E10_1, MMU_FAULT_PERMISSION, 0, false, 0x0c);
    /* A level -1 table pointing beyond the output size: Address size fault, level -1 (0x29). */
    e.cpu->sr.TCR_ELx[1] = (e.cpu->sr.TCR_ELx[1] & ~(7ULL << 32)) | 5ULL << 32;   /* IPS 48 */
    uint64_t sl = fmt_slot(&e, &f, root, va, -1);
    env_wr(&e, sl, env_rd(&e, sl) | 1ULL << 8);     /* NLTA[50] */
    mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 7, 0), 0);
    expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_ADDRESS_SIZE, -1, false, 0x29);
    env_free(&e);

    /* D20: hyp stage 1 (TCR_EL2, E2H=0) with DS, T0SZ=12: 5-level walk from level -1. */
    env_init(&e);
    root = env_alloc(&e, 4096);
    e.cpu->el = 2;
    e.cpu->sr.TCR_ELx[2] = 12 | 6ULL << 16 | BIT64(32) | BIT64(31) | BIT64(23);
    e.cpu->sr.TTBR0_ELx[2] = root;
    e.cpu->sr.SCTLR_ELx[2] = 1;
    e.cpu->sr.MAIR_ELx[2] = 0xff;
    expect_fault(&e, va, MMU_ACCESS_READ, MMU_IDX_E2, MMU_FAULT_TRANSLATION, -1, false, 0x2b);
    fmt_map(&e, &f, root, va, 0x40123000, 3, S1_LEAF);
    Trace t = { 0 };
    MMUResult r;
    MMUFault flt;
    g_assert_true(mmu_walk_debug(e.cpu, va, MMU_IDX_E2, MMU_ACCESS_READ, trace_fn, &t, &r, &flt));
    g_assert_cmpint(t.n, ==, 5);
    g_assert_cmphex(r.pa, ==, 0x40123000);
    env_free(&e);
}

/* D11: stage-1 table at an IPA stage 2 does not map -> stage-2 fault with S1PTW. */
static void test_d11_s1ptw(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    uint64_t s2root = env_alloc(&e, 8192);
    e.cpu->sr.VTCR_EL2 = 24 | 1 << 6 | 5ULL << 16 | BIT64(31);
    e.cpu->sr.VTTBR_EL2 = s2root;
    e.cpu->sr.HCR_EL2 = 1;
    Fmt s1 = { .g = 12, .start = 0, .ia_bits = 48 };
    uint64_t s1root = 0x80000000ULL;            /* IPA, not mapped by stage 2 */
    s1_el1(&e, &s1, s1root, s1root);
    g_assert_false(tr(&e, 0x1000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_true(f.stage2 && f.s1ptw);
    g_assert_cmpint(f.type, ==, MMU_FAULT_TRANSLATION);
    g_assert_cmpint(f.level, ==, 1);            /* stage-2 level-1 table is empty */
    g_assert_cmphex(f.ipa, ==, s1root);
    env_free(&e);
}

/* D16/D17/D18/D19: 52-bit descriptor formats and per-stage advertisement. */
static void test_d16_lpa2_layout(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    Fmt s2 = { .g = 12, .start = 0, .ia_bits = 52, .ds = true };
    uint64_t root = env_alloc(&e, 65536);
    s2_setup(&e, &s2, root, 1);
    uint64_t slot = fmt_slot(&e, &s2, root, 0x3000, 3);
    /* Descriptor bits [49:12] all ones and [9:8] = 0b11: OA = 0xF_FFFF_FFFF_F000. */
    env_wr(&e, slot, (MASK64(50) & ~0xfffULL) | 3ULL << 8 | 3ULL << 6 | 0xfULL << 2 | BIT64(10) | 3);
    g_assert_true(tr(&e, 0x3010, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(r.pa, ==, 0xffffffffff010ULL);
    /* AT S12E1R reports PA[51:12] in PAR_EL1. */
    e.cpu->el = 2;
    mmu_at(e.cpu, MMU_SYSREG_ENC(1, 4, 7, 8, 4), 0x3010);
    g_assert_cmphex(e.cpu->sr.PAR_EL1 & 1, ==, 0);
    g_assert_cmphex(e.cpu->sr.PAR_EL1 & (MASK64(52) & ~0xfffULL), ==, 0xffffffffff000ULL);
    env_free(&e);

    /* D17: TGran4_2 = 2 (no LPA2 at stage 2): VTCR.DS ignored, T0SZ = 12 out of range -> level 0. */
    env_init(&e);
    e.cpu->id.ID_AA64MMFR0_EL1 = (e.cpu->id.ID_AA64MMFR0_EL1 & ~(0xfULL << 40)) | 2ULL << 40;
    root = env_alloc(&e, 65536);
    s2_setup(&e, &s2, root, 1);
    g_assert_false(tr(&e, 0x3010, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmpint(f.type, ==, MMU_FAULT_TRANSLATION);
    g_assert_cmpint(f.level, ==, 0);
    g_assert_true(f.stage2);
    /* ...while stage-1 DS (TGran4 = 1) still works. */
    e.cpu->sr.HCR_EL2 = 0;
    Fmt s1 = { .g = 12, .start = -1, .ia_bits = 52, .ds = true };
    uint64_t r1 = env_alloc(&e, 4096);
    s1_el1(&e, &s1, r1, r1);
    fmt_map(&e, &s1, r1, 0x000f000000001000ULL, 0x40005000, 3, S1_LEAF);
    g_assert_true(tr(&e, 0x000f000000001000ULL, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(r.pa, ==, 0x40005000);
    env_free(&e);

    /* D14 / D15: level -1 via SL2 versus 16 concatenated level-0 tables: same result. */
    for (int v = 0; v < 2; v++) {
        env_init(&e);
        Fmt fs = { .g = 12, .start = v ? 0 : -1, .ia_bits = 52, .ds = true };
        root = env_alloc(&e, fmt_root_size(&fs));
        s2_setup(&e, &fs, root, 2);
        uint64_t ipa = 0x000a987654321000ULL;
        g_assert_false(tr(&e, ipa, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
        g_assert_cmphex(mmu_fault_fsc(&f), ==, v ? 0x04 : 0x2b);
        g_assert_cmphex((f.ipa >> 12) << 4, ==, (ipa >> 12) << 4);   /* FIPA incl. bits 51:48 */
        fmt_map(&e, &fs, root, ipa, 0x40042000, 3, S2_LEAF);
        Trace t = { 0 };
        g_assert_true(mmu_walk_debug(e.cpu, ipa + 4, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &f));
        g_assert_cmphex(r.pa, ==, 0x40042004);
        g_assert_cmpint(t.n, ==, v ? 4 : 5);
        if (v) {
            g_assert_cmphex(t.steps[0].desc_pa, ==, root + 8 * extract64(ipa, 39, 13));
        }
        env_free(&e);
    }

    /* D18: 16K level-1 block needs DS. */
    env_init(&e);
    Fmt f16 = { .g = 14, .start = 0, .ia_bits = 48 };
    r1 = env_alloc(&e, 4096);
    s1_el1(&e, &f16, r1, r1);
    fmt_map(&e, &f16, r1, 1ULL << 36, 0x1000000000ULL, 1, S1_LEAF);
    expect_fault(&e, 1ULL << 36, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_TRANSLATION, 1, false, 0x05);
    env_free(&e);
    env_init(&e);
    Fmt f16d = { .g = 14, .start = 0, .ia_bits = 52, .ds = true };
    r1 = env_alloc(&e, 4096);
    s1_el1(&e, &f16d, r1, r1);
    fmt_map(&e, &f16d, r1, 1ULL << 36, 0x1000000000ULL, 1, S1_LEAF);
    g_assert_true(tr(&e, (1ULL << 36) + 0x123, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(r.pa, ==, 0x1000000123ULL);
    g_assert_cmpuint(r.page_size, ==, 1ULL << 36);
    env_free(&e);

    /* D19: 64K FEAT_LPA at stage 2: OA[51:48] in bits [15:12], VTTBR[5:2], level-1 4TB block. */
    env_init(&e);
    Fmt f64 = { .g = 16, .start = 1, .ia_bits = 52, .lpa64 = true };
    uint64_t hiroot = env_alloc_hi(&e, 8192);
    s2_setup(&e, &f64, hiroot, 3);
    g_assert_cmphex(e.cpu->sr.VTTBR_EL2 & 0x3c, ==, 0xf << 2);
    uint64_t ipa = 0x0008000000000000ULL;
    fmt_map(&e, &f64, hiroot, ipa, 0x000c000000000000ULL, 1, S2_LEAF);
    g_assert_true(tr(&e, ipa + 0x12345678, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(r.pa, ==, 0x000c000012345678ULL);
    g_assert_cmpuint(r.page_size, ==, 1ULL << 42);
    env_free(&e);
    /* With PARange 48 the same level-1 block is a level-1 Translation fault. */
    env_init(&e);
    e.cpu->id.ID_AA64MMFR0_EL1 = (e.cpu->id.ID_AA64MMFR0_EL1 & ~0xfULL) | 5;
    Fmt f64b = { .g = 16, .start = 1, .ia_bits = 48 };
    root = env_alloc(&e, 4096);
    s2_setup(&e, &f64b, root, 3);
    fmt_map(&e, &f64b, root, 1ULL << 42, 0x40000000000ULL, 1, S2_LEAF);
    g_assert_false(tr(&e, 1ULL << 42, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x05);
    g_assert_true(f.stage2);
    env_free(&e);
}

/* D9: access flag with and without HA (stage 1 and stage 2), and HD dirty state. */
static void test_d9_hafdbs(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    Fmt s1 = { .g = 12, .start = 0, .ia_bits = 48 };
    uint64_t root = env_alloc(&e, 4096);
    s1_el1(&e, &s1, root, root);
    uint64_t slot = fmt_map(&e, &s1, root, 0x9000, 0x40009000, 3, (S1_LEAF & ~BIT64(10)) | S1_AP_RO | BIT64(51));
    expect_fault(&e, 0x9000, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_ACCESS_FLAG, 3, false, 0x0b);
    e.cpu->sr.TCR_ELx[1] |= BIT64(39);                       /* HA */
    g_assert_true(tr(&e, 0x9000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_true(env_rd(&e, slot) & BIT64(10));            /* AF set in memory */
    g_assert_false(r.writable);
    expect_fault(&e, 0x9000, MMU_ACCESS_WRITE, MMU_IDX_E10_1, MMU_FAULT_PERMISSION, 3, false, 0x0f);
    e.cpu->sr.TCR_ELx[1] |= BIT64(40);                       /* HD: DBM makes it writable-clean */
    mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 7, 0), 0);       /* TCR fields may be cached: TLBI */
    g_assert_true(tr(&e, 0x9000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_false(r.writable);                              /* a write must still update the descriptor */
    g_assert_true(env_rd(&e, slot) & S1_AP_RO);
    g_assert_true(tr(&e, 0x9008, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &f));
    g_assert_false(env_rd(&e, slot) & BIT64(7));
    g_assert_true(r.writable);
    /* HA with HAFDBS = 0: HA is RES0, the fault stays. */
    env_wr(&e, slot, env_rd(&e, slot) & ~BIT64(10));
    e.cpu->id.ID_AA64MMFR1_EL1 &= ~0xfULL;
    mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 7, 0), 0);
    expect_fault(&e, 0x9000, MMU_ACCESS_READ, MMU_IDX_E10_1, MMU_FAULT_ACCESS_FLAG, 3, false, 0x0b);
    env_free(&e);

    /* Stage 2: VTCR.HA sets AF, VTCR.HD sets S2AP[1] on a write to a DBM page. */
    env_init(&e);
    Fmt s2 = { .g = 12, .start = 1, .ia_bits = 40 };
    root = env_alloc(&e, 8192);
    s2_setup(&e, &s2, root, 7);
    slot = fmt_map(&e, &s2, root, 0xa000, 0x4000a000, 3, (S2_LEAF & ~(BIT64(10) | BIT64(7))) | BIT64(51));
    g_assert_false(tr(&e, 0xa000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x0b);
    g_assert_true(f.stage2);
    e.cpu->sr.VTCR_EL2 |= BIT64(21) | BIT64(22);
    g_assert_true(tr(&e, 0xa000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_true(env_rd(&e, slot) & BIT64(10));
    g_assert_false(env_rd(&e, slot) & BIT64(7));
    g_assert_true(tr(&e, 0xa000, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &f));
    g_assert_true(env_rd(&e, slot) & BIT64(7));
    env_free(&e);
}

/* Single-range regimes: EL2 (E2H = 0) and EL3 with each granule; AT S1E2R / S1E3R. */
static void test_el2_el3_regimes(void)
{
    static const unsigned grans[3] = { 12, 14, 16 };
    for (int gi = 0; gi < 3; gi++) {
        for (int el = 2; el <= 3; el++) {
            Env e;
            MMUResult r;
            MMUFault flt;
            env_init(&e);
            e.cpu->el = (uint32_t)el;
            unsigned g = grans[gi];
            Fmt f = { .g = g, .start = g == 16 ? 1 : 0, .ia_bits = 48, .lpa64 = g == 16 };
            uint64_t root = env_alloc(&e, 4096);
            e.cpu->sr.TCR_ELx[el] = 16 | tcr_tg0(g) << 14 | 6ULL << 16 | 3ULL << 12 | BIT64(31) | BIT64(23);
            e.cpu->sr.TTBR0_ELx[el] = root;
            e.cpu->sr.SCTLR_ELx[el] = 1;
            e.cpu->sr.MAIR_ELx[el] = 0xff;
            MMUIdx idx = el == 2 ? MMU_IDX_E2 : MMU_IDX_E3;
            uint64_t va = 0x0000123400000000ULL;
            fmt_map(&e, &f, root, va, 0x40000000, 3, S1_LEAF);
            g_assert_true(tr(&e, va + 0x10, MMU_ACCESS_READ, idx, &r, &flt));
            g_assert_cmphex(r.pa, ==, 0x40000010);
            g_assert_cmpuint(r.page_size, ==, 1ULL << g);
            /* Upper-half VAs do not exist in a single-range regime. */
            expect_fault(&e, 0xffff000000000000ULL, MMU_ACCESS_READ, idx, MMU_FAULT_TRANSLATION, 0, false, 0x04);
            /* AT S1E2R / S1E3R. */
            mmu_at(e.cpu, el == 2 ? MMU_SYSREG_ENC(1, 4, 7, 8, 0) : MMU_SYSREG_ENC(1, 6, 7, 8, 0), va + 0x10);
            g_assert_cmphex(e.cpu->sr.PAR_EL1 & ((MASK64(52) & ~0xfffULL) | 1), ==, 0x40000000);
            g_assert_cmpuint(!!(e.cpu->sr.PAR_EL1 & BIT64(9)), ==, el == 2);   /* NS: EL3 is Secure */
            env_free(&e);
        }
    }
}

/* mmu_tlbi_implemented follows ID_AA64ISAR0_EL1.TLB and the ELs present. */
static void test_tlbi_implemented(void)
{
    Env e;
    env_init(&e);
    g_assert_true(mmu_tlbi_implemented(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 6, 1)));   /* RVAE1 */
    g_assert_true(mmu_tlbi_implemented(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 1, 0)));   /* ALLE2OS */
    e.cpu->id.ID_AA64ISAR0_EL1 = 1ULL << 56;
    g_assert_false(mmu_tlbi_implemented(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 6, 1)));
    g_assert_true(mmu_tlbi_implemented(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 1, 0)));   /* VMALLE1OS */
    e.cpu->id.ID_AA64ISAR0_EL1 = 0;
    g_assert_false(mmu_tlbi_implemented(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 1, 0)));
    g_assert_true(mmu_tlbi_implemented(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 3, 0)));   /* VMALLE1IS */
    g_assert_false(mmu_tlbi_implemented(e.cpu, MMU_SYSREG_ENC(1, 0, 8, 7, 4)));  /* unallocated */
    e.cpu->id.ID_AA64PFR0_EL1 &= ~(0xfULL << 8);
    g_assert_false(mmu_tlbi_implemented(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 7, 0)));  /* ALLE2 without EL2 */
    env_free(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mmu/walk/mmu_off", test_mmu_off);
    g_test_add_func("/mmu/walk/s1_granule_levels", test_s1_granule_levels);
    g_test_add_func("/mmu/walk/s2_ipa_sizes", test_s2_ipa_sizes);
    g_test_add_func("/mmu/walk/d1_d2_d3", test_d1_d2_d3);
    g_test_add_func("/mmu/walk/d4_d7_sl0_legality", test_d4_d7_sl0_legality);
    g_test_add_func("/mmu/walk/d5_d6_concat", test_d5_d6_concat);
    g_test_add_func("/mmu/walk/d8_address_size", test_d8_address_size);
    g_test_add_func("/mmu/walk/faults_every_level", test_faults_every_level);
    g_test_add_func("/mmu/walk/d11_s1ptw", test_d11_s1ptw);
    g_test_add_func("/mmu/walk/d14_d19_lpa_lpa2", test_d16_lpa2_layout);
    g_test_add_func("/mmu/walk/d9_hafdbs", test_d9_hafdbs);
    g_test_add_func("/mmu/walk/el2_el3_regimes", test_el2_el3_regimes);
    g_test_add_func("/mmu/walk/tlbi_implemented", test_tlbi_implemented);
    return g_test_run();
}
