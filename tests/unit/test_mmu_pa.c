/*
 * The walker under the CPU models' ID registers as `-cpu` builds them
 * (features_init): PARange from pa-bits=N (feature-notes D12 and the PAMax
 * rules of A.1/A.2: output-size checks at both stages, (V)TCR PS capped at
 * PAMax, stage-2 T0SZ/SL0 limits, FEAT_LPA/LPA2 only with 52 bits) and the
 * per-stage granule switches tgranN / tgranN_2 / lpa2_2 (D13: a stage-2
 * granule advertised as unsupported; D17: LPA2 at one stage only). Each test
 * names its D case.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/mmu_test_env.h"
#include "cpu/features.h"

static const unsigned pa_sizes[] = { 32, 36, 40, 42, 44, 48, 52 };

/* Env whose ID registers are those of `-cpu spec`. */
static void env_model(Env *e, const char *spec)
{
    CPUFeatures feat;
    char *err = NULL;
    env_init(e);
    if (!features_init(e->cpu, &feat, spec, true, &err)) {
        g_error("-cpu %s: %s", spec, err);
    }
    mmu_flush_soft_tlb(e->cpu);
}

static bool model_refused(const char *spec)
{
    CPUState *cpu = g_malloc0(sizeof(CPUState));
    CPUFeatures feat;
    char *err = NULL;
    bool ok = features_init(cpu, &feat, spec, true, &err);
    if (!ok) {
        g_test_message("-cpu %s refused: %s", spec, err);
        g_free(err);
    }
    g_free(cpu);
    return !ok;
}

static unsigned mmfr0(const Env *e, unsigned lsb)
{
    return (unsigned)extract64(e->cpu->id.ID_AA64MMFR0_EL1, lsb, 4);
}

static void expect(Env *e, uint64_t va, MMUFaultType type, int level, bool stage2)
{
    MMUResult r;
    MMUFault f;
    g_assert_false(tr(e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmpint(f.type, ==, type);
    g_assert_cmpint(f.level, ==, level);
    g_assert_cmpint(f.stage2, ==, stage2);
}

/* An EL1&0 read of va succeeds with this PA and (if size != 0) this translation size. */
static void expect_pa(Env *e, uint64_t va, uint64_t pa, uint64_t size)
{
    MMUResult r;
    MMUFault f;
    g_assert_true(tr(e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(r.pa, ==, pa);
    if (size) {
        g_assert_cmpuint(r.page_size, ==, size);
    }
}

/* KVM's stage-2 start level for an IPA size (feature-notes A.1). */
static int kvm_start(unsigned g, unsigned ipa)
{
    int levels = (int)(ipa - 8) / (int)(g - 3);
    levels = levels < 2 ? 2 : levels > 4 ? 4 : levels;
    return 4 - levels;
}

/* D12: the ID fields -cpu max,pa-bits=N advertises; LPA2 only with 52 bits. */
static void test_d12_id_fields(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(pa_sizes); i++) {
        unsigned n = pa_sizes[i];
        char spec[64];
        snprintf(spec, sizeof(spec), "max,pa-bits=%u", n);
        Env e;
        env_model(&e, spec);
        g_test_message("%s", spec);
        g_assert_cmpuint(mmfr0(&e, 0), ==, i);                    /* PARange */
        g_assert_cmpuint(cpu_pa_bits(e.cpu), ==, n);
        bool lpa2 = n == 52;
        g_assert_cmpuint(mmfr0(&e, 28), ==, lpa2 ? 1 : 0);        /* TGran4 */
        g_assert_cmpuint(mmfr0(&e, 20), ==, lpa2 ? 2 : 1);        /* TGran16 */
        g_assert_cmpuint(mmfr0(&e, 24), ==, 0);                   /* TGran64 */
        g_assert_cmpuint(mmfr0(&e, 40), ==, lpa2 ? 3 : 2);        /* TGran4_2 */
        g_assert_cmpuint(mmfr0(&e, 32), ==, lpa2 ? 3 : 2);        /* TGran16_2 */
        g_assert_cmpuint(mmfr0(&e, 36), ==, 2);                   /* TGran64_2 */
        env_free(&e);
    }
    /* Defaults are unchanged: max = 52 bits with LPA2; lpa2=off = 48 bits; cortex-a57 = 44 (the real part, as QEMU). */
    Env e;
    env_model(&e, "max");
    g_assert_cmpuint(cpu_pa_bits(e.cpu), ==, 52);
    g_assert_cmpuint(mmfr0(&e, 28), ==, 1);
    env_free(&e);
    env_model(&e, "max,lpa2=off");
    g_assert_cmpuint(cpu_pa_bits(e.cpu), ==, 48);
    g_assert_cmpuint(mmfr0(&e, 28), ==, 0);
    g_assert_cmpuint(mmfr0(&e, 40), ==, 2);
    env_free(&e);
    env_model(&e, "cortex-a57");
    g_assert_cmpuint(cpu_pa_bits(e.cpu), ==, 44);
    g_assert_cmpuint(mmfr0(&e, 40), ==, 0);                       /* no FEAT_GTG: as stage 1 */
    env_free(&e);
    /* FEAT_LPA without FEAT_LPA2 (64K 52-bit only). */
    env_model(&e, "max,lpa2=off,pa-bits=52");
    g_assert_cmpuint(mmfr0(&e, 0), ==, 6);
    g_assert_cmpuint(mmfr0(&e, 28), ==, 0);
    g_assert_cmpuint(mmfr0(&e, 20), ==, 1);
    env_free(&e);

    g_assert_true(model_refused("max,pa-bits=40,lpa2=on"));
    g_assert_true(model_refused("max,pa-bits=48,lpa2_2=on"));
    g_assert_true(model_refused("max,pa-bits=50"));
    g_assert_true(model_refused("max,pa-bits=0x28"));
    g_assert_true(model_refused("max,pa-bits="));
    g_assert_true(model_refused("max,tgran4=off,tgran16=off,tgran64=off"));
    g_assert_true(model_refused("max,tgran4_2=off,tgran16_2=off,tgran64_2=off"));
    g_assert_true(model_refused("cortex-a57,tgran4_2=off"));      /* needs FEAT_GTG */
    g_assert_false(model_refused("cortex-a57,pa-bits=40"));
}

/*
 * D12 at stage 2: for every PARange, KVM's stage 2 for the largest IPA size
 * the granule reaches works; T0SZ beyond PAMax, an OA or VTTBR above PAMax
 * (PS = 52 bits is treated as PAMax) fault as the Arm ARM says.
 */
static void test_d12_stage2(void)
{
    static const unsigned grans[] = { 12, 14, 16 };
    for (size_t i = 0; i < ARRAY_SIZE(pa_sizes); i++) {
        unsigned n = pa_sizes[i];
        for (size_t gi = 0; gi < ARRAY_SIZE(grans); gi++) {
            unsigned g = grans[gi];
            char spec[64];
            snprintf(spec, sizeof(spec), "max,pa-bits=%u", n);
            Env e;
            env_model(&e, spec);
            unsigned ipa = n;
            bool ds = n == 52 && g != 16;
            Fmt s2 = { .g = g, .ia_bits = ipa, .start = kvm_start(g, ipa), .ds = ds, .lpa64 = g == 16 && n == 52 };
            if (g == 14 && ipa == 52) {
                s2.start = 0;
            }
            g_test_message("%s g=%u ipa=%u start=%d", spec, g, ipa, s2.start);
            uint64_t root = env_alloc(&e, fmt_root_size(&s2));
            s2_setup(&e, &s2, root, 1);                     /* PS = 0b110 (52 bits) */
            uint64_t page = 1ULL << g;
            uint64_t top = (1ULL << ipa) - page;
            fmt_map(&e, &s2, root, top, 0x40200000, 3, S2_LEAF);
            e.cpu->sr.HCR_EL2 |= BIT64(31);
            expect_pa(&e, top + 8, 0x40200008, 0);

            /* OA with bit n set (representable below 48 bits, or with the 52-bit formats). */
            if (n < 48) {
                fmt_map(&e, &s2, root, top - page, 1ULL << n, 3, S2_LEAF);
                expect(&e, top - page, MMU_FAULT_ADDRESS_SIZE, 3, true);
            }
            /* VTTBR BADDR above PAMax: level-0 Address size fault. */
            if (n < 48) {
                uint64_t vttbr = e.cpu->sr.VTTBR_EL2;
                e.cpu->sr.VTTBR_EL2 = vttbr | 1ULL << n;
                mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 7, 4), 0);   /* ALLE1 */
                expect(&e, top, MMU_FAULT_ADDRESS_SIZE, 0, true);
                e.cpu->sr.VTTBR_EL2 = vttbr;
            }
            /* One bit more IPA than PAMax: invalid T0SZ (level-0 Translation fault, docs/impdef.md). */
            if (n < 52) {
                uint64_t vtcr = e.cpu->sr.VTCR_EL2;
                for (unsigned s = 0; s < 3; s++) {
                    /* whatever SL0: no start level makes an IPA above PAMax valid */
                    e.cpu->sr.VTCR_EL2 = (vtcr & ~0xffULL) | (63 - n) | s << 6;
                    mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 7, 4), 0);
                    expect(&e, top, MMU_FAULT_TRANSLATION, 0, true);
                }
                e.cpu->sr.VTCR_EL2 = vtcr;
                /* With stage 1 off, a VA above PAMax is a stage-1 Address size fault (S1DisabledOutput). */
                mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 7, 4), 0);
                expect(&e, 1ULL << n, MMU_FAULT_ADDRESS_SIZE, 0, false);
            }
            env_free(&e);
        }
    }
}

/* D12 / D7: the start levels PAMax gates (4K SL0=2 needs 44, 16K SL0=2 needs 42, 64K SL0=2 needs 44). */
static void test_d12_sl0_pamax(void)
{
    static const struct { unsigned pa; uint64_t vtcr; bool ok; } cases[] = {
        { 44, 20 | 2 << 6 | 0ULL << 14, true },    /* 4K 44-bit, start level 0 */
        { 42, 22 | 2 << 6 | 0ULL << 14, false },   /* 4K 42-bit, level 0: PAMax 42 < 44 */
        { 42, 22 | 1 << 6 | 0ULL << 14, true },    /* 4K 42-bit, level 1 (8 tables) */
        { 42, 24 | 2 << 6 | 2ULL << 14, true },    /* 16K 40-bit, level 1 with PAMax 42 */
        { 40, 24 | 2 << 6 | 2ULL << 14, false },   /* the same with PAMax 40 */
        { 44, 20 | 2 << 6 | 1ULL << 14, true },    /* 64K 44-bit, level 1 */
        { 42, 22 | 2 << 6 | 1ULL << 14, false },   /* 64K level 1 with PAMax 42 */
        { 36, 28 | 1 << 6 | 0ULL << 14, true },    /* D1's VTCR with a 36-bit PA */
        { 32, 32 | 0 << 6 | 0ULL << 14, true },    /* 4K 32-bit, level 2 (4 tables) */
        { 32, 28 | 1 << 6 | 0ULL << 14, false },   /* 36-bit IPA on a 32-bit PA */
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char spec[64];
        snprintf(spec, sizeof(spec), "max,pa-bits=%u", cases[i].pa);
        Env e;
        MMUResult r;
        MMUFault f;
        env_model(&e, spec);
        g_test_message("case %zu: %s vtcr 0x%llx", i, spec, (unsigned long long)cases[i].vtcr);
        uint64_t root = env_alloc(&e, 1 << 18);
        e.cpu->sr.VTCR_EL2 = cases[i].vtcr | 6ULL << 16 | BIT64(31);
        e.cpu->sr.VTTBR_EL2 = root;
        e.cpu->sr.HCR_EL2 = 1;
        Trace t = { 0 };
        g_assert_false(mmu_walk_debug(e.cpu, 0x1000, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &f));
        g_assert_cmpint(t.n, ==, cases[i].ok ? 1 : 0);   /* a valid config reads one (empty) descriptor */
        g_assert_true(f.stage2);
        if (!cases[i].ok) {
            g_assert_cmpint(f.type, ==, MMU_FAULT_TRANSLATION);
            g_assert_cmpint(f.level, ==, 0);
        }
        env_free(&e);
    }
}

/*
 * D12 / D3 at stage 1: TCR_EL1.IPS (and TCR_EL2.PS) above PARange are
 * treated as PARange: an output address at bit PAMax takes a stage-1 Address
 * size fault at the leaf's level, with and without stage 2.
 */
static void test_d12_stage1(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(pa_sizes) - 2; i++) {   /* PAMax < 48: OA bit n fits the descriptor */
        unsigned n = pa_sizes[i];
        char spec[64];
        snprintf(spec, sizeof(spec), "max,pa-bits=%u", n);
        Env e;
        MMUResult r;
        env_model(&e, spec);
        Fmt s1 = { .g = 12, .start = 0, .ia_bits = 48 };
        uint64_t root = env_alloc(&e, 4096);
        s1_el1(&e, &s1, root, root);                            /* IPS = 0b110 */
        fmt_map(&e, &s1, root, 0x10000, 0x40300000, 3, S1_LEAF);
        fmt_map(&e, &s1, root, 0x20000, 1ULL << n, 3, S1_LEAF);
        fmt_map(&e, &s1, root, 0x40000000, 1ULL << n, 1, S1_LEAF);   /* level-1 block */
        expect_pa(&e, 0x10008, 0x40300008, 0);
        expect(&e, 0x20000, MMU_FAULT_ADDRESS_SIZE, 3, false);
        expect(&e, 0x40000000, MMU_FAULT_ADDRESS_SIZE, 1, false);
        /* The same at EL2 (TCR_EL2.PS = 0b110, E2H = 0). */
        e.cpu->el = 2;
        e.cpu->sr.TCR_ELx[2] = 16 | 6ULL << 16 | BIT64(31) | BIT64(23);
        e.cpu->sr.TTBR0_ELx[2] = root;
        e.cpu->sr.MAIR_ELx[2] = 0xff;
        e.cpu->sr.SCTLR_ELx[2] = 1;
        MMUFault f2;
        g_assert_false(tr(&e, 0x20000, MMU_ACCESS_READ, MMU_IDX_E2, &r, &f2));
        g_assert_cmpint(f2.type, ==, MMU_FAULT_ADDRESS_SIZE);
        g_assert_cmpint(f2.level, ==, 3);
        g_assert_true(tr(&e, 0x10000, MMU_ACCESS_READ, MMU_IDX_E2, &r, &f2));
        env_free(&e);
    }
    /* pa-bits=48 with 64K: PS 52 capped at 48 (no FEAT_LPA), so desc[15:12] are not OA[51:48]. */
    Env e;
    env_model(&e, "max,pa-bits=48");
    Fmt s1 = { .g = 16, .start = 1, .ia_bits = 48 };
    uint64_t root = env_alloc(&e, fmt_root_size(&s1));
    s1_el1(&e, &s1, root, root);
    fmt_map(&e, &s1, root, 0x30000, 0x40400000, 3, S1_LEAF);
    expect_pa(&e, 0x30010, 0x40400010, 0);
    /* A level-1 64K block (4 TB) is a level-1 Translation fault without FEAT_LPA (D19). */
    uint64_t s1slot = fmt_slot(&e, &s1, root, 0x40000000000ULL, 1);
    env_wr(&e, s1slot, S1_LEAF | 1);
    expect(&e, 0x40000000000ULL, MMU_FAULT_TRANSLATION, 1, false);
    env_free(&e);
}

/* D12 / D17: with pa-bits < 52 TCR_EL1.DS and VTCR_EL2.DS are RES0 (LPA2 absent). */
static void test_d12_ds_res0(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_model(&e, "max,pa-bits=48");
    /* Stage 1: DS=1 with T0SZ=12 -> TxSZ below the minimum: level-0 Translation fault. */
    Fmt s1 = { .g = 12, .start = -1, .ia_bits = 52, .ds = true };
    uint64_t root = env_alloc(&e, 4096);
    s1_el1(&e, &s1, root, root);
    expect(&e, 0x1000, MMU_FAULT_TRANSLATION, 0, false);
    /* DS=1 with a 48-bit VA: bits [9:8] are shareability, not OA[51:50]. */
    Fmt s1b = { .g = 12, .start = 0, .ia_bits = 48 };
    s1_el1(&e, &s1b, root, root);
    e.cpu->sr.TCR_ELx[1] |= BIT64(59);
    fmt_map(&e, &s1b, root, 0x5000, 0x40500000, 3, S1_LEAF);   /* SH = 0b11 in bits [9:8] */
    mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 7, 4), 0);
    expect_pa(&e, 0x5000, 0x40500000, 0);
    env_free(&e);

    /* Stage 2: VTCR_EL2.DS=1, SL2=1, T0SZ=12 (D14's setup) -> invalid, level-0 Translation fault. */
    env_model(&e, "max,pa-bits=48");
    Fmt s2 = { .g = 12, .start = -1, .ia_bits = 52, .ds = true };
    root = env_alloc(&e, 4096);
    s2_setup(&e, &s2, root, 1);
    Trace t = { 0 };
    g_assert_false(mmu_walk_debug(e.cpu, 0x1000, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &f));
    g_assert_cmpint(t.n, ==, 0);
    g_assert_cmpint(f.type, ==, MMU_FAULT_TRANSLATION);
    g_assert_cmpint(f.level, ==, 0);
    g_assert_true(f.stage2);
    env_free(&e);
}

/*
 * D13: a stage-2 granule advertised as unsupported (TGran4_2 = 0b0001 with
 * tgran4_2=off) while stage 1 keeps it. VTCR_EL2.TG0 = 4K is then treated as
 * the smallest granule stage 2 implements (16K; docs/impdef.md): the walk
 * reads 16K tables with 16K's SL0 meaning. Stage 1 with 4K is unaffected.
 */
static void test_d13_s2_granule_off(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_model(&e, "max,tgran4_2=off");
    g_assert_cmpuint(mmfr0(&e, 40), ==, 1);        /* TGran4_2: not supported at stage 2 */
    g_assert_cmpuint(mmfr0(&e, 28), ==, 1);        /* TGran4: stage 1 (with 52-bit) */
    g_assert_cmpuint(mmfr0(&e, 32), ==, 3);
    g_assert_cmpuint(mmfr0(&e, 36), ==, 2);
    /* 16K tables for a 40-bit IPA starting at level 2 (D6's layout), VTCR.TG0 = 0b00 (4K). */
    Fmt s2 = { .g = 14, .start = 2, .ia_bits = 40 };
    uint64_t root = env_alloc(&e, 256 << 10);
    s2_setup(&e, &s2, root, 1);
    e.cpu->sr.VTCR_EL2 &= ~(3ULL << 14);           /* TG0 = 4K (SL0 = 1 as for 16K level 2) */
    fmt_map(&e, &s2, root, 0xfffe004000ULL, 0x40600000, 3, S2_LEAF);
    Trace t = { 0 };
    g_assert_true(mmu_walk_debug(e.cpu, 0xfffe004010ULL, MMU_IDX_E10_1, MMU_ACCESS_READ, trace_fn, &t, &r, &f));
    g_assert_cmphex(r.pa, ==, 0x40600010);
    g_assert_cmpuint(r.page_size, ==, 16384);
    g_assert_cmpint(t.n, ==, 2);
    g_assert_cmphex(t.steps[0].desc_pa, ==, root + 8 * 0x7fff);    /* 16 concatenated tables */
    /* Stage 1 still walks 4K tables (TGran4 = 1). */
    Fmt s1 = { .g = 12, .start = 0, .ia_bits = 48 };
    uint64_t s1root = env_alloc(&e, 4096);
    s1_el1(&e, &s1, s1root, s1root);
    e.cpu->sr.HCR_EL2 &= ~1ULL;
    fmt_map(&e, &s1, s1root, 0x7000, 0x40601000, 3, S1_LEAF);
    expect_pa(&e, 0x7008, 0x40601008, 4096);
    env_free(&e);

    /* Only 64K left at stage 2: TG0 = 4K or 16K walks 64K tables. */
    env_model(&e, "max,tgran4_2=off,tgran16_2=off");
    g_assert_cmpuint(mmfr0(&e, 40), ==, 1);
    g_assert_cmpuint(mmfr0(&e, 32), ==, 1);
    Fmt s64 = { .g = 16, .start = 2, .ia_bits = 40, .lpa64 = true };
    root = env_alloc(&e, fmt_root_size(&s64));
    s2_setup(&e, &s64, root, 1);
    fmt_map(&e, &s64, root, 0x12340000, 0x40700000, 3, S2_LEAF);
    for (unsigned tg = 0; tg < 4; tg++) {          /* 4K, 64K, 16K, reserved */
        e.cpu->sr.VTCR_EL2 = (e.cpu->sr.VTCR_EL2 & ~(3ULL << 14)) | (uint64_t)tg << 14;
        mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 7, 4), 0);
        expect_pa(&e, 0x12340020, 0x40700020, 65536);
    }
    env_free(&e);

    /* Variant: a granule only stage 2 has (tgran4=off,gtg: stage 1 TG0=4K becomes 16K; stage 2 4K works). */
    env_model(&e, "max,tgran4=off,tgran4_2=on");
    g_assert_cmpuint(mmfr0(&e, 28), ==, 0xf);
    g_assert_cmpuint(mmfr0(&e, 40), ==, 3);
    Fmt s2b = { .g = 12, .start = 1, .ia_bits = 40 };
    root = env_alloc(&e, 8192);
    s2_setup(&e, &s2b, root, 1);
    fmt_map(&e, &s2b, root, 0x8040000000ULL, 0x40800000, 3, S2_LEAF);
    expect_pa(&e, 0x8040000008ULL, 0x40800008, 4096);
    /* ...while stage 1 with TCR_EL1.TG0/TG1 = 4K (not implemented there) walks 16K tables. */
    Fmt s16 = { .g = 14, .start = 1, .ia_bits = 47 };
    uint64_t root16 = env_alloc(&e, fmt_root_size(&s16));
    s1_el1(&e, &s16, root16, root16);
    e.cpu->sr.TCR_ELx[1] = (e.cpu->sr.TCR_ELx[1] & ~(3ULL << 14) & ~(3ULL << 30)) | 2ULL << 30;  /* 4K, 4K */
    e.cpu->sr.HCR_EL2 &= ~1ULL;
    fmt_map(&e, &s16, root16, 0x123450000ULL, 0x40804000, 3, S1_LEAF);
    expect_pa(&e, 0x123450010ULL, 0x40804010, 16384);
    env_free(&e);
}

/* D17 through the switches: lpa2_2=off keeps LPA2 at stage 1 only (TGran4 = 1, TGran4_2 = 2). */
static void test_d17_lpa2_per_stage(void)
{
    Env e;
    env_model(&e, "max,lpa2_2=off");
    g_assert_cmpuint(mmfr0(&e, 28), ==, 1);
    g_assert_cmpuint(mmfr0(&e, 40), ==, 2);
    g_assert_cmpuint(mmfr0(&e, 32), ==, 2);
    Fmt s2 = { .g = 12, .start = 0, .ia_bits = 52, .ds = true };
    uint64_t root = env_alloc(&e, fmt_root_size(&s2));
    s2_setup(&e, &s2, root, 1);
    expect(&e, 0x1000, MMU_FAULT_TRANSLATION, 0, true);      /* DS ignored: T0SZ 12 invalid */
    env_free(&e);
    /* The reverse (T003's use case): LPA2 at stage 2 only. */
    env_model(&e, "max,lpa2=off,lpa2_2=on");
    g_assert_cmpuint(mmfr0(&e, 0), ==, 6);
    g_assert_cmpuint(mmfr0(&e, 28), ==, 0);
    g_assert_cmpuint(mmfr0(&e, 40), ==, 3);
    root = env_alloc(&e, fmt_root_size(&s2));
    s2_setup(&e, &s2, root, 1);
    uint64_t ipa = 0x000f123456789000ULL;
    fmt_map(&e, &s2, root, ipa, 0x40900000, 3, S2_LEAF);
    expect_pa(&e, ipa + 8, 0x40900008, 0);
    /* ...while stage-1 DS is RES0: T0SZ 12 with 4K faults at level 0. */
    Fmt s1 = { .g = 12, .start = -1, .ia_bits = 52, .ds = true };
    uint64_t s1root = env_alloc(&e, 4096);
    s1_el1(&e, &s1, s1root, s1root);
    expect(&e, 0x1000, MMU_FAULT_TRANSLATION, 0, false);
    env_free(&e);
}

/* The machine refuses RAM that does not fit the CPU's PA size (-m vs pa-bits). */
static void test_machine_ram_vs_pa(void)
{
    char *path = NULL;
    GError *gerr = NULL;
    int fd = g_file_open_tmp("tandem-pa-XXXXXX", &path, &gerr);
    g_assert_cmpint(fd, >=, 0);
    static const uint32_t code[4] = { 0xd503207f, 0x17ffffff, 0, 0 };   /* WFI; B . */
    g_assert_cmpint(write(fd, code, sizeof(code)), ==, (ssize_t)sizeof(code));
    close(fd);
    MachineOptions o = { .machine = "virt", .virtualization = true, .gic_version = 3, .smp = 1,
                         .serial = "null", .no_reboot = true, .kernel = path };
    static const struct { const char *cpu; uint64_t ram; bool ok; } cases[] = {
        { "max,pa-bits=32", 4ULL << 30, false },             /* RAM ends at 5 GiB */
        { "max,pa-bits=32", 3ULL << 30, true },              /* ends exactly at 4 GiB */
        { "max,pa-bits=36", 8ULL << 30, true },
        { "max,pa-bits=36", 64ULL << 30, false },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        o.cpu_model = cases[i].cpu;
        o.ram_size = cases[i].ram;
        char *err = NULL;
        Machine *m = machine_create(&o, &err);
        g_test_message("-cpu %s -m %llu MiB: %s", cases[i].cpu, (unsigned long long)(cases[i].ram >> 20),
                       m ? "created" : err);
        if (cases[i].ok) {
            g_assert_nonnull(m);
            machine_destroy(m);
        } else {
            g_assert_null(m);
            g_assert_nonnull(strstr(err, "physical address space"));
            g_free(err);
        }
    }
    unlink(path);
    g_free(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mmu/pa/d12_id_fields", test_d12_id_fields);
    g_test_add_func("/mmu/pa/d12_stage2", test_d12_stage2);
    g_test_add_func("/mmu/pa/d12_d7_sl0_pamax", test_d12_sl0_pamax);
    g_test_add_func("/mmu/pa/d12_d3_stage1", test_d12_stage1);
    g_test_add_func("/mmu/pa/d12_d17_ds_res0", test_d12_ds_res0);
    g_test_add_func("/mmu/pa/d13_s2_granule_off", test_d13_s2_granule_off);
    g_test_add_func("/mmu/pa/d17_lpa2_per_stage", test_d17_lpa2_per_stage);
    g_test_add_func("/mmu/pa/d12_machine_ram_vs_pa", test_machine_ram_vs_pa);
    return g_test_run();
}
