/*
 * Architectural TLB and TLBI scope tests (feature-notes D21-D25 and the TLBI
 * table in docs/mmu.md), AT into PAR_EL1 (D10), and stage-1/stage-2
 * permission combinations. Strict mode (`tlb=strict`) makes staleness
 * observable: an entry a TLBI did not cover must still be used after the
 * tables changed, one it covered must be gone.
 */
#include "tests/unit/mmu_test_env.h"

#define TLBI_VMALLE1    MMU_SYSREG_ENC(1, 0, 8, 7, 0)
#define TLBI_VMALLE1IS  MMU_SYSREG_ENC(1, 0, 8, 3, 0)
#define TLBI_VAE1       MMU_SYSREG_ENC(1, 0, 8, 7, 1)
#define TLBI_ASIDE1     MMU_SYSREG_ENC(1, 0, 8, 7, 2)
#define TLBI_VAAE1      MMU_SYSREG_ENC(1, 0, 8, 7, 3)
#define TLBI_RVAE1      MMU_SYSREG_ENC(1, 0, 8, 6, 1)
#define TLBI_IPAS2E1IS  MMU_SYSREG_ENC(1, 4, 8, 0, 1)
#define TLBI_ALLE1IS    MMU_SYSREG_ENC(1, 4, 8, 3, 4)
#define TLBI_VMALLS12E1 MMU_SYSREG_ENC(1, 4, 8, 7, 6)
#define TLBI_VAE2       MMU_SYSREG_ENC(1, 4, 8, 7, 1)
#define TLBI_ALLE2      MMU_SYSREG_ENC(1, 4, 8, 7, 0)
#define AT_S1E1R        MMU_SYSREG_ENC(1, 0, 7, 8, 0)
#define AT_S1E1W        MMU_SYSREG_ENC(1, 0, 7, 8, 1)
#define AT_S1E0R        MMU_SYSREG_ENC(1, 0, 7, 8, 2)
#define AT_S1E1RP       MMU_SYSREG_ENC(1, 0, 7, 9, 0)
#define AT_S12E1R       MMU_SYSREG_ENC(1, 4, 7, 8, 4)
#define AT_S12E1W       MMU_SYSREG_ENC(1, 4, 7, 8, 5)

/* An Env whose TLB keeps every entry until a TLBI covers it (tlb=strict), so a
 * stale translation after a missing TLBI is observable. */
static void env_init_strict(Env *e)
{
    env_init(e);
    mmu_set_tlb_strict(e->cpu, true);
}

static uint64_t pa_of(Env *e, uint64_t va, MMUIdx idx)
{
    MMUResult r;
    MMUFault f;
    if (!tr(e, va, MMU_ACCESS_READ, idx, &r, &f)) {
        return ~0ULL;
    }
    return r.pa;
}

/* A guest: stage 1 (4K, 48-bit, one root) under a 40-bit stage 2 identity-mapping the table RAM. */
typedef struct Guest {
    Fmt s1, s2;
    uint64_t s1root, s2root;
} Guest;

static void guest_init(Env *e, Guest *g, unsigned vmid)
{
    g->s1 = (Fmt){ .g = 12, .start = 0, .ia_bits = 48 };
    g->s2 = (Fmt){ .g = 12, .start = 1, .ia_bits = 40 };
    g->s2root = env_alloc(e, 8192);
    g->s1root = env_alloc(e, 4096);
    for (uint64_t a = RAM_BASE; a < RAM_BASE + (16 << 20); a += 1 << 21) {
        fmt_map(e, &g->s2, g->s2root, a, a, 2, S2_LEAF);
    }
    s1_el1(e, &g->s1, g->s1root, g->s1root);
    s2_setup(e, &g->s2, g->s2root, vmid);
}

static void guest_enter(Env *e, Guest *g, unsigned vmid, unsigned asid)
{
    e->cpu->sr.VTTBR_EL2 = g->s2root | (uint64_t)vmid << 48;
    e->cpu->sr.TTBR0_ELx[1] = g->s1root | (uint64_t)asid << 48;
    mmu_flush_soft_tlb(e->cpu);          /* what the sysreg table does on these writes */
}

/* D21: TLBI VMALLE1 hits the VMID in VTTBR_EL2 only; with {E2H,TGE}={1,1} at EL2 it hits EL2&0. */
static void test_d21_vmid_scope(void)
{
    Env e;
    Guest g5, g6;
    env_init_strict(&e);
    guest_init(&e, &g5, 5);
    guest_init(&e, &g6, 6);
    uint64_t s5 = fmt_map(&e, &g5.s1, g5.s1root, 0x10000, 0x40010000, 3, S1_LEAF);
    uint64_t s6 = fmt_map(&e, &g6.s1, g6.s1root, 0x10000, 0x40020000, 3, S1_LEAF);
    guest_enter(&e, &g5, 5, 1);
    g_assert_cmphex(pa_of(&e, 0x10000, MMU_IDX_E10_1), ==, 0x40010000);
    guest_enter(&e, &g6, 6, 1);
    g_assert_cmphex(pa_of(&e, 0x10000, MMU_IDX_E10_1), ==, 0x40020000);
    /* Change both mappings without TLBI: strict mode must keep serving the cached ones. */
    env_wr(&e, s5, (env_rd(&e, s5) & ~MASK64(48)) | 0x40011000 | (env_rd(&e, s5) & 0xfff));
    env_wr(&e, s6, (env_rd(&e, s6) & ~0xfffff000ULL) | 0x40021000);
    g_assert_cmphex(pa_of(&e, 0x10000, MMU_IDX_E10_1), ==, 0x40020000);
    /* At EL2 with VMID 5 loaded: TLBI VMALLE1IS. */
    e.cpu->el = 2;
    guest_enter(&e, &g5, 5, 1);
    mmu_tlbi(e.cpu, TLBI_VMALLE1IS, 0);
    g_assert_cmphex(pa_of(&e, 0x10000, MMU_IDX_E10_1), ==, 0x40011000);   /* VMID 5 refetched */
    guest_enter(&e, &g6, 6, 1);
    g_assert_cmphex(pa_of(&e, 0x10000, MMU_IDX_E10_1), ==, 0x40020000);   /* VMID 6 untouched */

    /* Variant: {E2H,TGE} = {1,1}: VMALLE1 acts on EL2&0, VMID 6 survives again. */
    env_wr(&e, s6, (env_rd(&e, s6) & ~0xfffff000ULL) | 0x40022000);
    e.cpu->sr.HCR_EL2 |= BIT64(34) | BIT64(27);
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);
    e.cpu->sr.HCR_EL2 &= ~(BIT64(34) | BIT64(27));
    g_assert_cmphex(pa_of(&e, 0x10000, MMU_IDX_E10_1), ==, 0x40020000);
    mmu_tlbi(e.cpu, TLBI_ALLE1IS, 0);                                      /* every VMID */
    g_assert_cmphex(pa_of(&e, 0x10000, MMU_IDX_E10_1), ==, 0x40022000);
    env_free(&e);
}

/* D22: IPAS2E1 removes stage-2-only entries; combined ones need VMALLE1. */
static void test_d22_ipas2(void)
{
    Env e;
    Guest g;
    env_init_strict(&e);
    e.cpu->el = 2;
    guest_init(&e, &g, 9);
    uint64_t ipa = 0x80000000ULL;
    fmt_map(&e, &g.s1, g.s1root, 0x30000, ipa, 3, S1_LEAF);
    fmt_map(&e, &g.s1, g.s1root, 0x31000, ipa, 3, S1_LEAF);   /* a second VA for the same IPA */
    uint64_t s2slot = fmt_map(&e, &g.s2, g.s2root, ipa, 0x40100000, 3, S2_LEAF);
    g_assert_cmphex(pa_of(&e, 0x30000, MMU_IDX_E10_1), ==, 0x40100000);
    env_wr(&e, s2slot, 0x40200000 | S2_LEAF | 3);
    mmu_tlbi(e.cpu, TLBI_IPAS2E1IS, ipa >> 12);
    /* Combined entry for 0x30000 survives IPAS2E1 (strict); a new VA walks stage 2 afresh. */
    g_assert_cmphex(pa_of(&e, 0x30000, MMU_IDX_E10_1), ==, 0x40100000);
    g_assert_cmphex(pa_of(&e, 0x31000, MMU_IDX_E10_1), ==, 0x40200000);
    mmu_tlbi(e.cpu, TLBI_VMALLE1IS, 0);
    g_assert_cmphex(pa_of(&e, 0x30000, MMU_IDX_E10_1), ==, 0x40200000);

    /* Without IPAS2E1, VMALLE1 alone leaves the stage-2-only entry: the stale PA comes back. */
    env_wr(&e, s2slot, 0x40300000 | S2_LEAF | 3);
    mmu_tlbi(e.cpu, TLBI_VMALLE1IS, 0);
    g_assert_cmphex(pa_of(&e, 0x30000, MMU_IDX_E10_1), ==, 0x40200000);
    /* VMALLS12E1 removes both. */
    mmu_tlbi(e.cpu, TLBI_VMALLS12E1, 0);
    g_assert_cmphex(pa_of(&e, 0x30000, MMU_IDX_E10_1), ==, 0x40300000);
    env_free(&e);
}

/* ASID scoping: VAE1 (ASID + globals), VAAE1 (all ASIDs), ASIDE1 (non-global only). */
static void test_asid_scope(void)
{
    Env e;
    Guest g;
    env_init_strict(&e);
    guest_init(&e, &g, 1);
    uint64_t sn = fmt_map(&e, &g.s1, g.s1root, 0x50000, 0x40050000, 3, S1_LEAF | BIT64(11));  /* nG */
    uint64_t sg = fmt_map(&e, &g.s1, g.s1root, 0x60000, 0x40060000, 3, S1_LEAF);              /* global */
    for (unsigned asid = 1; asid <= 2; asid++) {
        guest_enter(&e, &g, 1, asid);
        g_assert_cmphex(pa_of(&e, 0x50000, MMU_IDX_E10_1), ==, 0x40050000);
        g_assert_cmphex(pa_of(&e, 0x60000, MMU_IDX_E10_1), ==, 0x40060000);
    }
    env_wr(&e, sn, 0x40051000 | S1_LEAF | BIT64(11) | 3);
    env_wr(&e, sg, 0x40061000 | S1_LEAF | 3);
    /* ASIDE1 ASID 1: ASID-1 nG entry gone, the global one stays, ASID 2 stays. */
    mmu_tlbi(e.cpu, TLBI_ASIDE1, 1ULL << 48);
    guest_enter(&e, &g, 1, 1);
    g_assert_cmphex(pa_of(&e, 0x50000, MMU_IDX_E10_1), ==, 0x40051000);
    g_assert_cmphex(pa_of(&e, 0x60000, MMU_IDX_E10_1), ==, 0x40060000);
    guest_enter(&e, &g, 1, 2);
    g_assert_cmphex(pa_of(&e, 0x50000, MMU_IDX_E10_1), ==, 0x40050000);
    /* VAE1 with ASID 3 still removes the global entry for the VA. */
    mmu_tlbi(e.cpu, TLBI_VAE1, 3ULL << 48 | 0x60);
    g_assert_cmphex(pa_of(&e, 0x60000, MMU_IDX_E10_1), ==, 0x40061000);
    g_assert_cmphex(pa_of(&e, 0x50000, MMU_IDX_E10_1), ==, 0x40050000);  /* ASID 2's nG entry kept */
    /* VAAE1: every ASID. */
    mmu_tlbi(e.cpu, TLBI_VAAE1, 0x50);
    g_assert_cmphex(pa_of(&e, 0x50000, MMU_IDX_E10_1), ==, 0x40051000);
    /* 8-bit ASIDs (TCR_EL1.AS = 0): TTBR ASID[15:8] and Xt[63:56] are ignored. */
    e.cpu->sr.TCR_ELx[1] &= ~BIT64(36);
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);
    guest_enter(&e, &g, 1, 0x0102);
    g_assert_cmphex(pa_of(&e, 0x50000, MMU_IDX_E10_1), ==, 0x40051000);
    env_wr(&e, sn, 0x40052000 | S1_LEAF | BIT64(11) | 3);
    mmu_tlbi(e.cpu, TLBI_ASIDE1, 0xff02ULL << 48);
    g_assert_cmphex(pa_of(&e, 0x50000, MMU_IDX_E10_1), ==, 0x40052000);
    env_free(&e);
}

/* D25: 16-bit VMIDs with VS=1; with VS=0 VTTBR[63:56] is ignored. */
static void test_d25_vmid_width(void)
{
    Env e;
    Guest g;
    env_init_strict(&e);
    e.cpu->el = 2;
    guest_init(&e, &g, 0x105);
    uint64_t s = fmt_map(&e, &g.s1, g.s1root, 0x70000, 0x40070000, 3, S1_LEAF);
    guest_enter(&e, &g, 0x105, 1);
    g_assert_cmphex(pa_of(&e, 0x70000, MMU_IDX_E10_1), ==, 0x40070000);
    guest_enter(&e, &g, 0x205, 1);
    g_assert_cmphex(pa_of(&e, 0x70000, MMU_IDX_E10_1), ==, 0x40070000);
    env_wr(&e, s, 0x40071000 | S1_LEAF | 3);
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);                       /* VMID 0x205 */
    g_assert_cmphex(pa_of(&e, 0x70000, MMU_IDX_E10_1), ==, 0x40071000);
    guest_enter(&e, &g, 0x105, 1);
    g_assert_cmphex(pa_of(&e, 0x70000, MMU_IDX_E10_1), ==, 0x40070000);   /* 0x105 distinct */
    /* VS = 0: both are VMID 0x05. */
    e.cpu->sr.VTCR_EL2 &= ~BIT64(19);
    mmu_tlbi(e.cpu, TLBI_ALLE1IS, 0);
    g_assert_cmphex(pa_of(&e, 0x70000, MMU_IDX_E10_1), ==, 0x40071000);
    env_wr(&e, s, 0x40072000 | S1_LEAF | 3);
    guest_enter(&e, &g, 0x205, 1);
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);                       /* VMID 0x05 */
    guest_enter(&e, &g, 0x105, 1);
    g_assert_cmphex(pa_of(&e, 0x70000, MMU_IDX_E10_1), ==, 0x40072000);
    env_free(&e);
}

/* TLBI by VA covers the whole stage-1 block, also for combined entries split by stage 2; range TLBI. */
static void test_block_and_range(void)
{
    Env e;
    Guest g;
    env_init_strict(&e);
    guest_init(&e, &g, 3);
    uint64_t blk = 0x200000;
    uint64_t sb = fmt_map(&e, &g.s1, g.s1root, blk, 0x40400000, 2, S1_LEAF);   /* 2MB stage-1 block */
    /* Stage 2 maps that IPA with 4K pages (the default 2MB identity blocks are replaced). */
    for (uint64_t o = 0; o < 0x200000; o += 0x1000) {
        fmt_map(&e, &g.s2, g.s2root, 0x40400000 + o, 0x40400000 + o, 3, S2_LEAF);
    }
    guest_enter(&e, &g, 3, 1);
    g_assert_cmphex(pa_of(&e, blk + 0x5000, MMU_IDX_E10_1), ==, 0x40405000);
    env_wr(&e, sb, 0x40600000 | S1_LEAF | 1);
    for (uint64_t o = 0; o < 0x200000; o += 0x1000) {
        fmt_map(&e, &g.s2, g.s2root, 0x40600000 + o, 0x40600000 + o, 3, S2_LEAF);
    }
    g_assert_cmphex(pa_of(&e, blk + 0x5000, MMU_IDX_E10_1), ==, 0x40405000);   /* stale (strict) */
    /* VAE1 of another address inside the stage-1 block removes the 4K combined entry. */
    mmu_tlbi(e.cpu, TLBI_VAAE1, (blk + 0x1ff000) >> 12);
    g_assert_cmphex(pa_of(&e, blk + 0x5000, MMU_IDX_E10_1), ==, 0x40605000);

    /* Range: RVAE1 over pages [0x100, 0x103] (4K, SCALE 0, NUM 1 -> 4 pages). */
    uint64_t slots[6];
    for (int i = 0; i < 6; i++) {
        slots[i] = fmt_map(&e, &g.s1, g.s1root, 0x100000 + i * 0x1000ULL, 0x40800000 + i * 0x1000ULL, 3,
                           S1_LEAF | BIT64(11));
        g_assert_cmphex(pa_of(&e, 0x100000 + i * 0x1000ULL, MMU_IDX_E10_1), ==, 0x40800000 + i * 0x1000ULL);
        env_wr(&e, slots[i], (0x40900000 + i * 0x1000ULL) | S1_LEAF | BIT64(11) | 3);
    }
    uint64_t xt = 1ULL << 48 /* ASID */ | 1ULL << 46 /* TG 4K */ | 0ULL << 44 | 1ULL << 39 | 0x101;
    mmu_tlbi(e.cpu, TLBI_RVAE1, xt);
    for (int i = 0; i < 6; i++) {
        bool inside = i >= 1 && i <= 4;
        g_assert_cmphex(pa_of(&e, 0x100000 + i * 0x1000ULL, MMU_IDX_E10_1), ==,
                        (inside ? 0x40900000 : 0x40800000) + i * 0x1000ULL);
    }
    env_free(&e);
}

/* Range TLBI with TCR_EL1.DS = 1: BaseADDR is in 64KB units whatever the granule; RIPAS2E1 by IPA range. */
static void test_range_ds_and_ipa(void)
{
    Env e;
    env_init_strict(&e);
    Fmt s1 = { .g = 12, .start = -1, .ia_bits = 52, .ds = true };
    uint64_t root = env_alloc(&e, 4096);
    s1_el1(&e, &s1, root, root);
    uint64_t slots[8];
    for (int i = 0; i < 8; i++) {
        uint64_t va = 0x20000000ULL + i * 0x10000ULL;      /* one page per 64KB */
        slots[i] = fmt_map(&e, &s1, root, va, 0x40000000 + i * 0x1000ULL, 3, S1_LEAF);
        g_assert_cmphex(pa_of(&e, va, MMU_IDX_E10_1), ==, 0x40000000 + i * 0x1000ULL);
        env_wr(&e, slots[i], (0x40100000 + i * 0x1000ULL) | BIT64(10) | 3);
    }
    /* TG = 4K, SCALE 0, NUM 0: 2 pages of 4K = 8KB from BaseADDR * 64KB = 0x2002_0000. */
    uint64_t xt = 1ULL << 46 | ((0x20020000ULL >> 16) & MASK64(37));
    mmu_tlbi(e.cpu, TLBI_RVAE1 + 2 /* RVAAE1 */, xt);
    for (int i = 0; i < 8; i++) {
        uint64_t va = 0x20000000ULL + i * 0x10000ULL;
        g_assert_cmphex(pa_of(&e, va, MMU_IDX_E10_1), ==, (i == 2 ? 0x40100000 : 0x40000000) + i * 0x1000ULL);
    }
    env_free(&e);

    /* RIPAS2E1: stage-2-only entries in an IPA range; VMALLE1 then shows the new PAs. */
    env_init_strict(&e);
    e.cpu->el = 2;
    Fmt s2 = { .g = 12, .start = 1, .ia_bits = 40 };
    root = env_alloc(&e, 8192);
    s2_setup(&e, &s2, root, 3);
    for (int i = 0; i < 4; i++) {
        slots[i] = fmt_map(&e, &s2, root, 0x80000000ULL + i * 0x1000ULL, 0x40200000 + i * 0x1000ULL, 3, S2_LEAF);
        g_assert_cmphex(pa_of(&e, 0x80000000ULL + i * 0x1000ULL, MMU_IDX_E10_1), ==, 0x40200000 + i * 0x1000ULL);
        env_wr(&e, slots[i], (0x40300000 + i * 0x1000ULL) | S2_LEAF | 3);
    }
    /* Pages 0-1: TG 4K, NUM 0 -> 2 pages from IPA 0x8000_0000. */
    mmu_tlbi(e.cpu, MMU_SYSREG_ENC(1, 4, 8, 4, 2), 1ULL << 46 | (0x80000000ULL >> 12));
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);
    for (int i = 0; i < 4; i++) {
        g_assert_cmphex(pa_of(&e, 0x80000000ULL + i * 0x1000ULL, MMU_IDX_E10_1), ==,
                        (i < 2 ? 0x40300000 : 0x40200000) + i * 0x1000ULL);
    }
    env_free(&e);
}

/* *IS broadcast reaches every vCPU; local TLBI does not. D23: no sharing between PEs. */
static void test_broadcast_d23(void)
{
    Env e;
    Guest g0, g1;
    env_init_strict(&e);
    guest_init(&e, &g0, 4);
    guest_init(&e, &g1, 4);
    CPUState *c0 = e.cpu;
    CPUState *c1 = env_add_cpu(&e);
    mmu_set_tlb_strict(c1, true);
    uint64_t s0 = fmt_map(&e, &g0.s1, g0.s1root, 0x90000, 0x40090000, 3, S1_LEAF | BIT64(11));
    fmt_map(&e, &g1.s1, g1.s1root, 0x90000, 0x40091000, 3, S1_LEAF | BIT64(11));
    guest_enter(&e, &g0, 4, 4);
    c1->sr = c0->sr;
    c1->sr.TTBR0_ELx[1] = g1.s1root | 4ULL << 48;     /* same VMID and ASID, other tables */
    g_assert_cmphex(pa_of(&e, 0x90000, MMU_IDX_E10_1), ==, 0x40090000);
    e.cpu = c1;
    g_assert_cmphex(pa_of(&e, 0x90000, MMU_IDX_E10_1), ==, 0x40091000);   /* D23 */
    e.cpu = c0;
    g_assert_cmphex(pa_of(&e, 0x90000, MMU_IDX_E10_1), ==, 0x40090000);
    /* c1 changes c0's... no: c0's table changes; a local TLBI on c1 leaves c0 stale. */
    env_wr(&e, s0, 0x40092000 | S1_LEAF | BIT64(11) | 3);
    mmu_tlbi(c1, TLBI_VMALLE1, 0);
    g_assert_cmphex(pa_of(&e, 0x90000, MMU_IDX_E10_1), ==, 0x40090000);
    mmu_tlbi(c1, TLBI_VMALLE1IS, 0);
    g_assert_cmphex(pa_of(&e, 0x90000, MMU_IDX_E10_1), ==, 0x40092000);
    env_free(&e);
}

/*
 * D24 (KVM's last_vcpu_ran flush): vCPU A then vCPU B of one VM on the same
 * PE, same VMID and ASID, different stage-1 tables. Without a TLBI the strict
 * TLB keeps serving A's translation to B (the missing flush is observable);
 * after the local TLBI VMALLE1 that kvm_arch_vcpu_load issues, B sees its
 * own mapping, and A's entries in another VMID are untouched.
 */
static void test_d24_last_vcpu_ran(void)
{
    Env e;
    Guest ga, gb, other;
    env_init_strict(&e);
    guest_init(&e, &ga, 9);
    guest_init(&e, &gb, 9);
    guest_init(&e, &other, 10);
    fmt_map(&e, &ga.s1, ga.s1root, 0xa0000, 0x400a0000, 3, S1_LEAF | BIT64(11));
    fmt_map(&e, &gb.s1, gb.s1root, 0xa0000, 0x400a1000, 3, S1_LEAF | BIT64(11));
    fmt_map(&e, &other.s1, other.s1root, 0xa0000, 0x400a2000, 3, S1_LEAF | BIT64(11));
    guest_enter(&e, &other, 10, 7);
    g_assert_cmphex(pa_of(&e, 0xa0000, MMU_IDX_E10_1), ==, 0x400a2000);
    guest_enter(&e, &ga, 9, 7);                                          /* vCPU A runs */
    g_assert_cmphex(pa_of(&e, 0xa0000, MMU_IDX_E10_1), ==, 0x400a0000);
    guest_enter(&e, &gb, 9, 7);                                          /* B follows, no flush */
    g_assert_cmphex(pa_of(&e, 0xa0000, MMU_IDX_E10_1), ==, 0x400a0000);  /* stale: A's entry */
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);                                    /* the last_vcpu_ran flush */
    g_assert_cmphex(pa_of(&e, 0xa0000, MMU_IDX_E10_1), ==, 0x400a1000);
    /* The flush was scoped to VMID 9: VMID 10's entry survives even after its table changes. */
    uint64_t slot = fmt_slot(&e, &other.s1, other.s1root, 0xa0000, 3);
    env_wr(&e, slot, 0x400a3000 | S1_LEAF | BIT64(11) | 3);
    guest_enter(&e, &other, 10, 7);
    g_assert_cmphex(pa_of(&e, 0xa0000, MMU_IDX_E10_1), ==, 0x400a2000);
    env_free(&e);
}

/* EL2&0 (VHE): ASID-tagged entries, VAE2 with E2H uses the ASID; ALLE2. */
static void test_vhe_el20(void)
{
    Env e;
    MMUResult r;
    MMUFault f;
    env_init_strict(&e);
    e.cpu->el = 2;
    e.cpu->sr.HCR_EL2 = BIT64(34) | BIT64(27);
    Fmt s1 = { .g = 12, .start = 0, .ia_bits = 48 };
    uint64_t root = env_alloc(&e, 4096), root1 = env_alloc(&e, 4096);
    e.cpu->sr.TCR_ELx[2] = 16 | 16ULL << 16 | 2ULL << 30 | 5ULL << 32 | BIT64(36);
    e.cpu->sr.TTBR0_ELx[2] = root | 7ULL << 48;
    e.cpu->sr.TTBR1_ELx[2] = root1;
    e.cpu->sr.SCTLR_ELx[2] = 1;
    e.cpu->sr.MAIR_ELx[2] = 0xff;
    uint64_t s = fmt_map(&e, &s1, root, 0xa0000, 0x400a0000, 3, S1_LEAF | BIT64(11) | S1_AP_EL0RW);
    fmt_map(&e, &s1, root1, 0xffff800000001000ULL, 0x400b0000, 3, S1_LEAF);
    g_assert_true(tr(&e, 0xa0000, MMU_ACCESS_READ, MMU_IDX_E20_0, &r, &f));   /* EL0 in host */
    g_assert_cmphex(r.pa, ==, 0x400a0000);
    g_assert_true(tr(&e, 0xffff800000001008ULL, MMU_ACCESS_READ, MMU_IDX_E20_2, &r, &f));
    g_assert_cmphex(r.pa, ==, 0x400b0008);
    /* PAN at EL2&0: EL0-accessible page denied to privileged data access. */
    g_assert_false(tr(&e, 0xa0000, MMU_ACCESS_READ, MMU_IDX_E20_2_PAN, &r, &f));
    g_assert_cmpint(f.type, ==, MMU_FAULT_PERMISSION);
    env_wr(&e, s, 0x400c0000 | S1_LEAF | BIT64(11) | S1_AP_EL0RW | 3);
    mmu_tlbi(e.cpu, TLBI_VAE2, 8ULL << 48 | 0xa0);        /* other ASID: entry kept */
    g_assert_cmphex(pa_of(&e, 0xa0000, MMU_IDX_E20_2), ==, 0x400a0000);
    mmu_tlbi(e.cpu, TLBI_VAE2, 7ULL << 48 | 0xa0);
    g_assert_cmphex(pa_of(&e, 0xa0000, MMU_IDX_E20_2), ==, 0x400c0000);
    env_wr(&e, s, 0x400d0000 | S1_LEAF | BIT64(11) | S1_AP_EL0RW | 3);
    mmu_tlbi(e.cpu, TLBI_ALLE2, 0);
    g_assert_cmphex(pa_of(&e, 0xa0000, MMU_IDX_E20_2), ==, 0x400d0000);
    env_free(&e);
}

/* The soft TLB entries of a TLBI'd page are invalidated (page-precise for small entries). */
static void test_soft_tlb_flush(void)
{
    Env e;
    Guest g;
    env_init(&e);
    guest_init(&e, &g, 1);
    fmt_map(&e, &g.s1, g.s1root, 0xb0000, 0x400b0000, 3, S1_LEAF);
    fmt_map(&e, &g.s1, g.s1root, 0xc0000, 0x400c0000, 3, S1_LEAF);
    guest_enter(&e, &g, 1, 1);
    g_assert_cmphex(pa_of(&e, 0xb0000, MMU_IDX_E10_1), ==, 0x400b0000);
    g_assert_cmphex(pa_of(&e, 0xc0000, MMU_IDX_E10_1), ==, 0x400c0000);
    /* What cpu/mem.c would have filled (the top byte as a TBI tag must not matter). */
    CPUTLBEntry *eb = &e.cpu->tlb[MMU_IDX_E10_1][(0xb0000 >> 12) & (CPU_TLB_SIZE - 1)];
    CPUTLBEntry *ec = &e.cpu->tlb[MMU_IDX_E10_1][(0xc0000 >> 12) & (CPU_TLB_SIZE - 1)];
    eb->tag_read = 0x5a000000000b0000ULL;
    ec->tag_read = 0xc0000;
    e.cpu->tlb_dirty |= 1u << MMU_IDX_E10_1;
    mmu_tlbi(e.cpu, TLBI_VAAE1, 0xb0);
    g_assert_cmphex(eb->tag_read, ==, CPU_TLB_INVALID_TAG);
    g_assert_cmphex(ec->tag_read, ==, 0xc0000);
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);
    g_assert_cmphex(ec->tag_read, ==, CPU_TLB_INVALID_TAG);
    env_free(&e);
}

/* Strict mode keeps more entries than the normal capacity; normal mode stays bounded. */
static void test_strict_capacity(void)
{
    Env e;
    Guest g;
    env_init_strict(&e);
    guest_init(&e, &g, 1);
    guest_enter(&e, &g, 1, 1);
    e.cpu->sr.HCR_EL2 = 0;               /* stage 1 only: outputs beyond the stage-2 identity map */
    const unsigned n = 5000;
    uint64_t first = fmt_map(&e, &g.s1, g.s1root, 0x1000000, 0x40000000, 3, S1_LEAF);
    for (unsigned i = 1; i < n; i++) {
        fmt_map(&e, &g.s1, g.s1root, 0x1000000 + i * 0x1000ULL, 0x40000000 + i * 0x1000ULL, 3, S1_LEAF);
    }
    for (unsigned i = 0; i < n; i++) {
        g_assert_cmphex(pa_of(&e, 0x1000000 + i * 0x1000ULL, MMU_IDX_E10_1), ==, 0x40000000 + i * 0x1000ULL);
    }
    env_wr(&e, first, 0x41000000 | S1_LEAF | 3);
    g_assert_cmphex(pa_of(&e, 0x1000000, MMU_IDX_E10_1), ==, 0x40000000);   /* still cached */
    env_free(&e);
}

/* ---- AT (D10) ---- */
static void test_at(void)
{
    Env e;
    Guest g;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    guest_init(&e, &g, 2);
    guest_enter(&e, &g, 2, 1);
    uint64_t ipa = 0x80000000ULL;
    fmt_map(&e, &g.s1, g.s1root, 0xd0000, ipa, 3, S1_LEAF);
    fmt_map(&e, &g.s1, g.s1root, 0xe0000, 0x81000000ULL, 3, S1_LEAF | S1_AP_RO);
    uint64_t s2slot = fmt_map(&e, &g.s2, g.s2root, ipa, 0x40d00000, 3, (S2_LEAF & ~(3ULL << 6)) | 1ULL << 6);
    /* D10: a guest store to the S2AP read-only page: stage-2 Permission fault, level 3, WnR. */
    g_assert_false(tr(&e, 0xd0008, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &f));
    g_assert_true(f.stage2 && f.write);
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x0f);
    /* EL2 recovers the IPA with AT S1E1R on FAR: PAR.PA = IPA. */
    e.cpu->el = 2;
    mmu_at(e.cpu, AT_S1E1R, 0xd0008);
    uint64_t par = e.cpu->sr.PAR_EL1;
    g_assert_cmphex(par & 1, ==, 0);
    g_assert_cmphex(par & (MASK64(52) & ~0xfffULL), ==, ipa);
    g_assert_cmphex(par >> 56, ==, 0xff);                  /* ATTR (MAIR idx 0) */
    g_assert_cmphex((par >> 7) & 3, ==, 3);                /* SH inner */
    g_assert_true(par & BIT64(9));                         /* NS */
    g_assert_true(par & BIT64(11));                        /* RES1 */
    /* AT S12E1R: the final PA; S12E1W: the stage-2 permission fault in PAR (S = 1). */
    mmu_at(e.cpu, AT_S12E1R, 0xd0008);
    g_assert_cmphex(e.cpu->sr.PAR_EL1 & (MASK64(52) & ~0xfffULL), ==, 0x40d00000);
    mmu_at(e.cpu, AT_S12E1W, 0xd0008);
    par = e.cpu->sr.PAR_EL1;
    g_assert_cmphex(par & 1, ==, 1);
    g_assert_cmphex((par >> 1) & 0x3f, ==, 0x0f);
    g_assert_true(par & BIT64(9));                         /* S */
    g_assert_false(par & BIT64(8));
    /* Stage-1 faults: AT S1E1W on a read-only page -> FST 0x0F, S = 0; unmapped -> 0x07. */
    mmu_at(e.cpu, AT_S1E1W, 0xe0000);
    par = e.cpu->sr.PAR_EL1;
    g_assert_cmphex(par & 0x7f, ==, 1 | 0x0f << 1);
    g_assert_false(par & BIT64(9));
    mmu_at(e.cpu, AT_S1E1R, 0xf0000);
    g_assert_cmphex(e.cpu->sr.PAR_EL1 & 0x7f, ==, 1 | 0x07 << 1);
    /* EL0 permission: AT S1E0R on an EL1-only page faults, PAN: S1E1RP on an EL0 page faults. */
    mmu_at(e.cpu, AT_S1E0R, 0xd0000);
    g_assert_cmphex(e.cpu->sr.PAR_EL1 & 0x7f, ==, 1 | 0x0f << 1);
    fmt_map(&e, &g.s1, g.s1root, 0xd1000, ipa, 3, S1_LEAF | S1_AP_EL0RW);
    e.cpu->pan = 1;
    mmu_at(e.cpu, AT_S1E1RP, 0xd1000);
    g_assert_cmphex(e.cpu->sr.PAR_EL1 & 0x7f, ==, 1 | 0x0f << 1);
    mmu_at(e.cpu, AT_S1E1R, 0xd1000);                      /* S1E1R ignores PAN */
    g_assert_cmphex(e.cpu->sr.PAR_EL1 & 1, ==, 0);
    /* S1PTW at stage 2 during AT: from EL2 reported in PAR (S=1, PTW=1); from EL1 an abort. */
    env_wr(&e, s2slot, 0);
    e.cpu->sr.TTBR0_ELx[1] = 0x90000000ULL | 1ULL << 48;   /* stage-1 root at an unmapped IPA */
    mmu_at(e.cpu, AT_S1E1R, 0xd0000);
    par = e.cpu->sr.PAR_EL1;
    g_assert_cmphex(par & 0x3ff, ==, 1 | 0x06 << 1 | BIT64(8) | BIT64(9));   /* level 2 */
    e.cpu->el = 1;
    g_assert_false(mmu_at_checked(e.cpu, AT_S1E1R, 0xd0000, &f));
    g_assert_true(f.stage2 && f.s1ptw);
    g_assert_cmphex(f.ipa, ==, 0x90000000ULL);
    env_free(&e);
}

/* ---- permissions ---- */
static void test_s1_permissions(void)
{
    Env e;
    Guest g;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    guest_init(&e, &g, 1);
    e.cpu->sr.HCR_EL2 = 0;      /* stage 1 only */
    guest_enter(&e, &g, 1, 1);
    /* AP[2:1]: EL1 RW/EL0 none, RW/RW, RO/none, RO/RO. */
    static const struct { uint64_t ap; bool pr, pw, ur, uw; } aps[4] = {
        { 0, 1, 1, 0, 0 }, { S1_AP_EL0RW, 1, 1, 1, 1 }, { S1_AP_RO, 1, 0, 0, 0 }, { S1_AP_EL0RO, 1, 0, 1, 0 },
    };
    for (int i = 0; i < 4; i++) {
        uint64_t va = 0x200000 + i * 0x1000ULL;
        fmt_map(&e, &g.s1, g.s1root, va, 0x40000000, 3, S1_LEAF | aps[i].ap);
        g_assert_cmpint(tr(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f), ==, aps[i].pr);
        g_assert_cmpint(tr(&e, va, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &f), ==, aps[i].pw);
        g_assert_cmpint(tr(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_0, &r, &f), ==, aps[i].ur);
        g_assert_cmpint(tr(&e, va, MMU_ACCESS_WRITE, MMU_IDX_E10_0, &r, &f), ==, aps[i].uw);
        /* EL0-writable is never EL1-executable; otherwise EL1 executes, EL0 too (UXN = 0). */
        g_assert_cmpint(tr(&e, va, MMU_ACCESS_FETCH, MMU_IDX_E10_1, &r, &f), ==, !aps[i].uw);
        g_assert_true(tr(&e, va, MMU_ACCESS_FETCH, MMU_IDX_E10_0, &r, &f));
        /* PAN: privileged data access to EL0-accessible pages fails. */
        g_assert_cmpint(tr(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_1_PAN, &r, &f), ==, !aps[i].ur);
    }
    /* UXN / PXN. */
    fmt_map(&e, &g.s1, g.s1root, 0x210000, 0x40000000, 3, S1_LEAF | S1_AP_EL0RO | BIT64(54));
    fmt_map(&e, &g.s1, g.s1root, 0x211000, 0x40000000, 3, S1_LEAF | S1_AP_EL0RO | BIT64(53));
    g_assert_false(tr(&e, 0x210000, MMU_ACCESS_FETCH, MMU_IDX_E10_0, &r, &f));
    g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x0f);
    g_assert_true(tr(&e, 0x210000, MMU_ACCESS_FETCH, MMU_IDX_E10_1, &r, &f));
    g_assert_true(tr(&e, 0x211000, MMU_ACCESS_FETCH, MMU_IDX_E10_0, &r, &f));
    g_assert_false(tr(&e, 0x211000, MMU_ACCESS_FETCH, MMU_IDX_E10_1, &r, &f));
    /* WXN: writable at EL1 -> not executable. */
    e.cpu->sr.SCTLR_ELx[1] |= BIT64(19);
    fmt_map(&e, &g.s1, g.s1root, 0x212000, 0x40000000, 3, S1_LEAF);
    g_assert_false(tr(&e, 0x212000, MMU_ACCESS_FETCH, MMU_IDX_E10_1, &r, &f));
    e.cpu->sr.SCTLR_ELx[1] &= ~BIT64(19);
    /* Hierarchical: APTable[1] (read-only) and UXNTable on the level-2 table descriptor; HPD disables them. */
    uint64_t va = 0x40000000;          /* its own level-2 table */
    fmt_map(&e, &g.s1, g.s1root, va, 0x40000000, 3, S1_LEAF | S1_AP_EL0RW);
    uint64_t l1 = fmt_slot(&e, &g.s1, g.s1root, va, 1);
    env_wr(&e, l1, env_rd(&e, l1) | BIT64(62) | BIT64(60));
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);
    g_assert_false(tr(&e, va, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &f));
    g_assert_cmpint(f.level, ==, 3);
    g_assert_false(tr(&e, va, MMU_ACCESS_FETCH, MMU_IDX_E10_0, &r, &f));
    g_assert_true(tr(&e, va, MMU_ACCESS_READ, MMU_IDX_E10_0, &r, &f));
    e.cpu->sr.TCR_ELx[1] |= BIT64(41);   /* HPD0 */
    mmu_tlbi(e.cpu, TLBI_VMALLE1, 0);
    g_assert_true(tr(&e, va, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &f));
    g_assert_true(r.writable);
    /* EL2 (single privilege): AP[1] ignored, XN at bit 54. */
    e.cpu->sr.TCR_ELx[2] = 16 | 5ULL << 16;
    e.cpu->sr.TTBR0_ELx[2] = g.s1root;
    e.cpu->sr.SCTLR_ELx[2] = 1;
    g_assert_true(tr(&e, 0x200000, MMU_ACCESS_WRITE, MMU_IDX_E2, &r, &f));   /* AP 00 */
    g_assert_true(tr(&e, 0x201000, MMU_ACCESS_FETCH, MMU_IDX_E2, &r, &f));   /* AP 01: no implicit PXN at EL2 */
    g_assert_false(tr(&e, 0x202000, MMU_ACCESS_WRITE, MMU_IDX_E2, &r, &f));  /* AP 10: RO */
    g_assert_false(tr(&e, 0x210000, MMU_ACCESS_FETCH, MMU_IDX_E2, &r, &f));  /* XN */
    g_assert_true(tr(&e, 0x211000, MMU_ACCESS_FETCH, MMU_IDX_E2, &r, &f));   /* bit 53 ignored */
    /* BTI: GP bit reported. */
    fmt_map(&e, &g.s1, g.s1root, 0x213000, 0x40000000, 3, S1_LEAF | BIT64(50));
    g_assert_true(tr(&e, 0x213000, MMU_ACCESS_FETCH, MMU_IDX_E10_1, &r, &f));
    g_assert_true(r.guarded);
    env_free(&e);
}

static void test_s2_permissions_attrs(void)
{
    Env e;
    Guest g;
    MMUResult r;
    MMUFault f;
    env_init(&e);
    guest_init(&e, &g, 1);
    guest_enter(&e, &g, 1, 1);
    uint64_t ipa = 0x80000000ULL;
    fmt_map(&e, &g.s1, g.s1root, 0x300000, ipa, 3, S1_LEAF | S1_AP_EL0RW);
    /* FEAT_XNX: XN[1:0] = 00 all, 01 EL1 no, 10 none, 11 EL0 no. */
    static const bool px[4] = { 1, 0, 0, 1 }, ux[4] = { 1, 1, 0, 0 };
    uint64_t slot = fmt_map(&e, &g.s2, g.s2root, ipa, 0x40e00000, 3, S2_LEAF);
    for (int xn = 0; xn < 4; xn++) {
        env_wr(&e, slot, 0x40e00000 | S2_LEAF | (uint64_t)xn << 53 | 3);
        mmu_tlbi(e.cpu, TLBI_VMALLS12E1, 0);
        g_assert_true(tr(&e, 0x300000, MMU_ACCESS_FETCH, MMU_IDX_E10_0, &r, &f) == ux[xn]);
        /* (EL1 cannot execute an EL0-writable page at stage 1: use a read-only alias.) */
    }
    fmt_map(&e, &g.s1, g.s1root, 0x301000, ipa, 3, S1_LEAF | S1_AP_EL0RO);
    for (int xn = 0; xn < 4; xn++) {
        env_wr(&e, slot, 0x40e00000 | S2_LEAF | (uint64_t)xn << 53 | 3);
        mmu_tlbi(e.cpu, TLBI_VMALLS12E1, 0);
        bool ok = tr(&e, 0x301000, MMU_ACCESS_FETCH, MMU_IDX_E10_1, &r, &f);
        g_assert_true(ok == px[xn]);
        if (!ok) {
            g_assert_true(f.stage2);
            g_assert_cmphex(mmu_fault_fsc(&f), ==, 0x0f);
        }
    }
    /* S2AP: none -> read faults at stage 2; write-only -> read faults, write ok. */
    env_wr(&e, slot, 0x40e00000 | (S2_LEAF & ~(3ULL << 6)) | 2ULL << 6 | 3);
    mmu_tlbi(e.cpu, TLBI_VMALLS12E1, 0);
    g_assert_false(tr(&e, 0x300000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_true(f.stage2);
    g_assert_true(tr(&e, 0x300000, MMU_ACCESS_WRITE, MMU_IDX_E10_1, &r, &f));
    /* Attributes: stage-2 Device-nGnRE makes Normal stage 1 Device; FWB 0b110 forces WB. */
    env_wr(&e, slot, 0x40e00000 | (S2_LEAF & ~(0xfULL << 2)) | 1ULL << 2 | 3);
    mmu_tlbi(e.cpu, TLBI_VMALLS12E1, 0);
    g_assert_true(tr(&e, 0x300000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_true(r.device);
    g_assert_cmphex(r.attrs, ==, 0x04);
    env_wr(&e, slot, 0x40e00000 | (S2_LEAF & ~(0xfULL << 2)) | 6ULL << 2 | 3);
    e.cpu->sr.HCR_EL2 |= BIT64(46);
    mmu_tlbi(e.cpu, TLBI_VMALLS12E1, 0);
    fmt_map(&e, &g.s1, g.s1root, 0x302000, ipa, 3, S1_LEAF | 2ULL << 2);   /* stage 1 NC (MAIR idx 2) */
    g_assert_true(tr(&e, 0x302000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_cmphex(r.attrs, ==, 0xff);
    /* HCR_EL2.PTW: a stage-1 walk through stage-2 Device memory is a stage-2 permission fault. */
    e.cpu->sr.HCR_EL2 &= ~BIT64(46);
    uint64_t l2 = fmt_slot(&e, &g.s2, g.s2root, g.s1root, 2);
    env_wr(&e, l2, (env_rd(&e, l2) & ~(0xfULL << 2)));      /* table RAM now Device at stage 2 */
    e.cpu->sr.HCR_EL2 |= BIT64(2);
    mmu_tlbi(e.cpu, TLBI_VMALLS12E1, 0);
    g_assert_false(tr(&e, 0x300000, MMU_ACCESS_READ, MMU_IDX_E10_1, &r, &f));
    g_assert_true(f.stage2 && f.s1ptw);
    g_assert_cmpint(f.type, ==, MMU_FAULT_PERMISSION);
    env_free(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/mmu/tlb/d21_vmid_scope", test_d21_vmid_scope);
    g_test_add_func("/mmu/tlb/d22_ipas2", test_d22_ipas2);
    g_test_add_func("/mmu/tlb/asid_scope", test_asid_scope);
    g_test_add_func("/mmu/tlb/d25_vmid_width", test_d25_vmid_width);
    g_test_add_func("/mmu/tlb/block_and_range", test_block_and_range);
    g_test_add_func("/mmu/tlb/range_ds_and_ipa", test_range_ds_and_ipa);
    g_test_add_func("/mmu/tlb/broadcast_d23", test_broadcast_d23);
    g_test_add_func("/mmu/tlb/d24_last_vcpu_ran", test_d24_last_vcpu_ran);
    g_test_add_func("/mmu/tlb/vhe_el20", test_vhe_el20);
    g_test_add_func("/mmu/tlb/soft_tlb_flush", test_soft_tlb_flush);
    g_test_add_func("/mmu/tlb/strict_capacity", test_strict_capacity);
    g_test_add_func("/mmu/at/d10_at", test_at);
    g_test_add_func("/mmu/perm/s1", test_s1_permissions);
    g_test_add_func("/mmu/perm/s2_attrs", test_s2_permissions_attrs);
    return g_test_run();
}
