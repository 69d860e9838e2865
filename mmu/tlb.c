/*
 * The architectural TLB of one vCPU and TLBI.
 *
 * Entries (TLBEntry) are tagged by regime, VMID, ASID (non-global only),
 * security state, and which stages were enabled; combined stage-1+2 entries
 * live next to stage-2-only entries (REGIME_S2, used by stage-1 table walks
 * and to build combined entries), which is what gives TLBI IPAS2E1 its exact
 * architectural scope. Lookup is a hash probe per entry size present (usually
 * one or two sizes); TLBI scans (it is rare compared with lookups).
 *
 * Normal mode: bounded capacity; when full, everything is dropped (an
 * over-invalidation the architecture allows). Strict mode (-cpu max,tlb=strict):
 * the table grows; entries go only on a TLBI whose scope covers them.
 */
#include <stdlib.h>

#include "core/log.h"
#include "mmu/mmu_int.h"

#define TLB_NORMAL_CAP 2048u
#define TLB_STRICT_CAP 4096u
#define TLB_STRICT_MAX (1u << 21)

/*
 * The ASID is deliberately not hashed: all ASIDs' entries for one VA share a
 * chain, so TLBI by VA for every ASID (VAAE1) is a probe, not a scan.
 */
static uint32_t tag_hash(unsigned regime, uint16_t vmid, uint64_t va, unsigned size)
{
    uint64_t k = (va >> size) * 0x9e3779b97f4a7c15ULL;
    k ^= (uint64_t)regime << 56 | (uint64_t)vmid << 32 | size;
    k ^= k >> 29;
    k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 32;
    return (uint32_t)k;
}

static void tlb_alloc(ArchTLB *t, uint32_t cap)
{
    t->cap = cap;
    t->nbuckets = cap * 2;
    t->e = calloc(cap, sizeof(*t->e));
    t->bucket = calloc(t->nbuckets, sizeof(*t->bucket));
    if (!t->e || !t->bucket) {
        abort();
    }
    t->used = t->live = t->free_head = 0;
    memset(t->size_mask, 0, sizeof(t->size_mask));
    memset(t->split_mask, 0, sizeof(t->split_mask));
}

void tlb_init(ArchTLB *t, bool strict)
{
    memset(t, 0, sizeof(*t));
    t->strict = strict;
    tlb_alloc(t, strict ? TLB_STRICT_CAP : TLB_NORMAL_CAP);
}

void tlb_destroy(ArchTLB *t)
{
    free(t->e);
    free(t->bucket);
    memset(t, 0, sizeof(*t));
}

static void tlb_clear(ArchTLB *t)
{
    memset(t->e, 0, sizeof(*t->e) * t->cap);
    memset(t->bucket, 0, sizeof(*t->bucket) * t->nbuckets);
    t->used = t->live = t->free_head = 0;
    memset(t->size_mask, 0, sizeof(t->size_mask));
    memset(t->split_mask, 0, sizeof(t->split_mask));
}

static uint32_t *bucket_of(ArchTLB *t, const TLBEntry *e)
{
    return &t->bucket[tag_hash(e->regime, e->vmid, e->va, e->size_log2) & (t->nbuckets - 1)];
}

static bool same_tag(const TLBEntry *a, const TLBEntry *b)
{
    const uint8_t tagf = TLBF_GLOBAL | TLBF_NS | TLBF_S1 | TLBF_S2;
    return a->regime == b->regime && a->vmid == b->vmid && a->asid == b->asid && a->va == b->va &&
           a->size_log2 == b->size_log2 && !((a->flags ^ b->flags) & tagf);
}

const TLBEntry *tlb_lookup(ArchTLB *t, MMURegime r, uint16_t vmid, uint16_t asid, bool ns,
                           uint8_t stages, uint64_t va)
{
    uint64_t sizes = t->size_mask[r];
    uint16_t v = (r == REGIME_EL10 || r == REGIME_S2) ? vmid : 0;
    bool has_asid = r == REGIME_EL10 || r == REGIME_EL20;
    const uint8_t tagf = TLBF_NS | TLBF_S1 | TLBF_S2;
    uint8_t want = (ns ? TLBF_NS : 0) | stages;
    while (sizes) {
        unsigned size = (unsigned)ctz64(sizes);
        sizes &= sizes - 1;
        uint64_t base = va & ~MASK64(size);
        uint32_t i = t->bucket[tag_hash(r, v, base, size) & (t->nbuckets - 1)];
        while (i) {
            const TLBEntry *e = &t->e[i - 1];
            if (e->va == base && e->size_log2 == size && e->regime == r && e->vmid == v &&
                (e->flags & tagf) == want &&
                ((e->flags & TLBF_GLOBAL) || (has_asid && e->asid == asid))) {
                return e;
            }
            i = e->next;
        }
    }
    return NULL;
}

static void tlb_unlink(ArchTLB *t, uint32_t idx)
{
    TLBEntry *e = &t->e[idx];
    uint32_t *link = bucket_of(t, e);
    while (*link && *link != idx + 1) {
        link = &t->e[*link - 1].next;
    }
    if (*link) {
        *link = e->next;
    }
    memset(e, 0, sizeof(*e));
    e->next = t->free_head;
    t->free_head = idx + 1;
    t->live--;
}

static void tlb_rehash(ArchTLB *t, uint32_t new_cap)
{
    ArchTLB n;
    memset(&n, 0, sizeof(n));
    n.strict = t->strict;
    tlb_alloc(&n, new_cap);
    for (uint32_t i = 0; i < t->used; i++) {
        const TLBEntry *e = &t->e[i];
        if (e->regime == REGIME_NONE) {
            continue;
        }
        TLBEntry *d = &n.e[n.used++];
        *d = *e;
        uint32_t *b = bucket_of(&n, d);
        d->next = *b;
        *b = n.used;
        n.live++;
        n.size_mask[d->regime] |= 1ULL << d->size_log2;
        if ((d->flags & TLBF_S1) && d->s1_size_log2 > d->size_log2) {
            n.split_mask[d->regime] |= 1ULL << d->s1_size_log2;
        }
    }
    tlb_destroy(t);
    *t = n;
}

bool tlb_insert(CPUState *cpu, const TLBEntry *ne)
{
    ArchTLB *t = &mmu_state(cpu)->tlb;
    bool kept = true;
    TLBEntry e = *ne;
    if (!(e.flags & TLBF_GLOBAL) && e.regime != REGIME_EL10 && e.regime != REGIME_EL20) {
        e.flags |= TLBF_GLOBAL;
    }
    if (e.flags & TLBF_GLOBAL) {
        e.asid = 0;
    }
    if (e.regime != REGIME_EL10 && e.regime != REGIME_S2) {
        e.vmid = 0;
    }
    /* Replace an entry with the same tag (e.g. after a dirty-state update). */
    uint32_t *b = bucket_of(t, &e);
    for (uint32_t i = *b; i; i = t->e[i - 1].next) {
        if (same_tag(&t->e[i - 1], &e)) {
            uint32_t next = t->e[i - 1].next;
            t->e[i - 1] = e;
            t->e[i - 1].next = next;
            return true;
        }
    }
    if (!t->free_head && t->used == t->cap) {
        if (t->strict && t->cap < TLB_STRICT_MAX) {
            tlb_rehash(t, t->cap * 2);
        } else {
            if (t->strict) {
                LOG(LOG_MMU | LOG_GUEST_ERRORS,
                    "mmu: strict TLB reached %u entries: dropping all (strict guarantee lost)\n", t->cap);
            }
            tlb_clear(t);
            mmu_flush_soft_tlb(cpu);
            kept = false;
        }
        b = bucket_of(t, &e);
    }
    uint32_t idx;
    if (t->free_head) {
        idx = t->free_head - 1;
        t->free_head = t->e[idx].next;
    } else {
        idx = t->used++;
    }
    t->e[idx] = e;
    t->e[idx].next = *b;
    *b = idx + 1;
    t->live++;
    t->size_mask[e.regime] |= 1ULL << e.size_log2;
    if ((e.flags & TLBF_S1) && e.s1_size_log2 > e.size_log2) {
        t->split_mask[e.regime] |= 1ULL << e.s1_size_log2;
    }
    return kept;
}

static bool entry_matches(const TLBEntry *e, const TLBIScope *s)
{
    if (!(s->regimes & (1u << e->regime))) {
        return false;
    }
    if (s->match_vmid && (e->regime == REGIME_EL10 || e->regime == REGIME_S2) && e->vmid != s->vmid) {
        return false;
    }
    bool global = e->flags & TLBF_GLOBAL;
    if (s->nonglobal_only && global) {
        return false;
    }
    if (s->match_asid && !global && e->asid != s->asid) {
        return false;
    }
    if (s->by_addr) {
        /* By-VA operations hit every entry built from the stage-1 block holding the VA. */
        unsigned sz = (e->regime != REGIME_S2 && e->s1_size_log2) ? e->s1_size_log2 : e->size_log2;
        uint64_t lo = e->va & ~MASK64(sz);
        uint64_t hi = lo + MASK64(sz);
        if (hi < s->start || lo > s->last) {
            return false;
        }
    }
    return true;
}

void tlb_invalidate(CPUState *cpu, const TLBIScope *s)
{
    ArchTLB *t = &mmu_state(cpu)->tlb;
    uint32_t idx_full = 0;          /* soft-TLB mmu_idx sets to flush entirely */
    struct { uint32_t mask; uint64_t va, len; } ranges[16];
    unsigned nranges = 0;

    /*
     * By-address scopes over a few pages probe the hash for every entry size
     * present: an entry can only be hit if its own block holds the address,
     * unless stage 2 split a stage-1 block into smaller entries (split_mask),
     * in which case (and for everything else) the whole table is scanned.
     */
    uint32_t cand[256];
    unsigned ncand = 0;
    bool probed = false;
    if (s->by_addr && s->last - s->start < (64ULL << 12)) {
        probed = true;
        for (unsigned r = REGIME_EL10; r < REGIME_COUNT && probed; r++) {
            if (!(s->regimes & (1u << r))) {
                continue;
            }
            if (t->split_mask[r]) {
                probed = false;
                break;
            }
            for (uint64_t sizes = t->size_mask[r]; sizes && probed; sizes &= sizes - 1) {
                unsigned size = (unsigned)ctz64(sizes);
                uint64_t first = s->start >> size, lastb = s->last >> size;
                for (uint64_t b = first; b <= lastb && probed; b++) {
                    uint64_t base = b << size;
                    uint16_t v = s->match_vmid ? s->vmid : 0;
                    for (uint32_t i = t->bucket[tag_hash(r, v, base, size) & (t->nbuckets - 1)]; i;
                         i = t->e[i - 1].next) {
                        if (ncand == ARRAY_SIZE(cand)) {
                            probed = false;
                            break;
                        }
                        cand[ncand++] = i - 1;
                    }
                }
            }
        }
    }
    uint32_t n = probed ? ncand : t->used;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = probed ? cand[k] : k;
        TLBEntry *e = &t->e[i];
        if (e->regime == REGIME_NONE || !entry_matches(e, s)) {
            continue;
        }
        uint32_t m = mmu_regime_idx_mask((MMURegime)e->regime);
        if (m && !(idx_full & m)) {
            if (e->size_log2 <= 16 && nranges < ARRAY_SIZE(ranges)) {
                ranges[nranges].mask = m;
                ranges[nranges].va = e->va;
                ranges[nranges].len = 1ULL << e->size_log2;
                nranges++;
            } else {
                idx_full |= m;
            }
        }
        tlb_unlink(t, i);
    }
    if (t->live == 0) {
        tlb_clear(t);
    }
    if (idx_full) {
        mmu_flush_soft_idx(cpu, idx_full);
    }
    for (unsigned i = 0; i < nranges; i++) {
        if (!(idx_full & ranges[i].mask)) {
            mmu_flush_soft_range(cpu, ranges[i].mask, ranges[i].va, ranges[i].len);
        }
    }
    /*
     * Soft-TLB entries of flat (no translation) pages are not in the
     * architectural TLB; they depend on no table, so no TLBI concerns them.
     */
}

/* ---------------- TLBI decode ---------------- */
typedef enum TLBIKind {
    K_VMALLE1, K_VAE1, K_ASIDE1, K_VAAE1, K_VALE1, K_VAALE1,
    K_RVAE1, K_RVAAE1, K_RVALE1, K_RVAALE1,
    K_IPAS2E1, K_IPAS2LE1, K_RIPAS2E1, K_RIPAS2LE1,
    K_ALLE1, K_VMALLS12E1,
    K_ALLE2, K_VAE2, K_VALE2, K_RVAE2, K_RVALE2,
    K_ALLE3, K_VAE3, K_VALE3, K_RVAE3, K_RVALE3,
} TLBIKind;

enum { D_LOCAL, D_IS, D_OS };

typedef struct TLBIOp {
    uint8_t op1, crm, op2;
    uint8_t kind, dom;
    bool range;
} TLBIOp;

static const TLBIOp tlbi_ops[] = {
    /* EL1 */
    { 0, 1, 0, K_VMALLE1, D_OS, false }, { 0, 1, 1, K_VAE1, D_OS, false },
    { 0, 1, 2, K_ASIDE1, D_OS, false }, { 0, 1, 3, K_VAAE1, D_OS, false },
    { 0, 1, 5, K_VALE1, D_OS, false }, { 0, 1, 7, K_VAALE1, D_OS, false },
    { 0, 2, 1, K_RVAE1, D_IS, true }, { 0, 2, 3, K_RVAAE1, D_IS, true },
    { 0, 2, 5, K_RVALE1, D_IS, true }, { 0, 2, 7, K_RVAALE1, D_IS, true },
    { 0, 3, 0, K_VMALLE1, D_IS, false }, { 0, 3, 1, K_VAE1, D_IS, false },
    { 0, 3, 2, K_ASIDE1, D_IS, false }, { 0, 3, 3, K_VAAE1, D_IS, false },
    { 0, 3, 5, K_VALE1, D_IS, false }, { 0, 3, 7, K_VAALE1, D_IS, false },
    { 0, 5, 1, K_RVAE1, D_OS, true }, { 0, 5, 3, K_RVAAE1, D_OS, true },
    { 0, 5, 5, K_RVALE1, D_OS, true }, { 0, 5, 7, K_RVAALE1, D_OS, true },
    { 0, 6, 1, K_RVAE1, D_LOCAL, true }, { 0, 6, 3, K_RVAAE1, D_LOCAL, true },
    { 0, 6, 5, K_RVALE1, D_LOCAL, true }, { 0, 6, 7, K_RVAALE1, D_LOCAL, true },
    { 0, 7, 0, K_VMALLE1, D_LOCAL, false }, { 0, 7, 1, K_VAE1, D_LOCAL, false },
    { 0, 7, 2, K_ASIDE1, D_LOCAL, false }, { 0, 7, 3, K_VAAE1, D_LOCAL, false },
    { 0, 7, 5, K_VALE1, D_LOCAL, false }, { 0, 7, 7, K_VAALE1, D_LOCAL, false },
    /* EL2 */
    { 4, 0, 1, K_IPAS2E1, D_IS, false }, { 4, 0, 2, K_RIPAS2E1, D_IS, true },
    { 4, 0, 5, K_IPAS2LE1, D_IS, false }, { 4, 0, 6, K_RIPAS2LE1, D_IS, true },
    { 4, 1, 0, K_ALLE2, D_OS, false }, { 4, 1, 1, K_VAE2, D_OS, false },
    { 4, 1, 4, K_ALLE1, D_OS, false }, { 4, 1, 5, K_VALE2, D_OS, false },
    { 4, 1, 6, K_VMALLS12E1, D_OS, false },
    { 4, 2, 1, K_RVAE2, D_IS, true }, { 4, 2, 5, K_RVALE2, D_IS, true },
    { 4, 3, 0, K_ALLE2, D_IS, false }, { 4, 3, 1, K_VAE2, D_IS, false },
    { 4, 3, 4, K_ALLE1, D_IS, false }, { 4, 3, 5, K_VALE2, D_IS, false },
    { 4, 3, 6, K_VMALLS12E1, D_IS, false },
    { 4, 4, 0, K_IPAS2E1, D_OS, false }, { 4, 4, 1, K_IPAS2E1, D_LOCAL, false },
    { 4, 4, 2, K_RIPAS2E1, D_LOCAL, true }, { 4, 4, 3, K_RIPAS2E1, D_OS, true },
    { 4, 4, 4, K_IPAS2LE1, D_OS, false }, { 4, 4, 5, K_IPAS2LE1, D_LOCAL, false },
    { 4, 4, 6, K_RIPAS2LE1, D_LOCAL, true }, { 4, 4, 7, K_RIPAS2LE1, D_OS, true },
    { 4, 5, 1, K_RVAE2, D_OS, true }, { 4, 5, 5, K_RVALE2, D_OS, true },
    { 4, 6, 1, K_RVAE2, D_LOCAL, true }, { 4, 6, 5, K_RVALE2, D_LOCAL, true },
    { 4, 7, 0, K_ALLE2, D_LOCAL, false }, { 4, 7, 1, K_VAE2, D_LOCAL, false },
    { 4, 7, 4, K_ALLE1, D_LOCAL, false }, { 4, 7, 5, K_VALE2, D_LOCAL, false },
    { 4, 7, 6, K_VMALLS12E1, D_LOCAL, false },
    /* EL3 */
    { 6, 1, 0, K_ALLE3, D_OS, false }, { 6, 1, 1, K_VAE3, D_OS, false },
    { 6, 1, 5, K_VALE3, D_OS, false },
    { 6, 2, 1, K_RVAE3, D_IS, true }, { 6, 2, 5, K_RVALE3, D_IS, true },
    { 6, 3, 0, K_ALLE3, D_IS, false }, { 6, 3, 1, K_VAE3, D_IS, false },
    { 6, 3, 5, K_VALE3, D_IS, false },
    { 6, 5, 1, K_RVAE3, D_OS, true }, { 6, 5, 5, K_RVALE3, D_OS, true },
    { 6, 6, 1, K_RVAE3, D_LOCAL, true }, { 6, 6, 5, K_RVALE3, D_LOCAL, true },
    { 6, 7, 0, K_ALLE3, D_LOCAL, false }, { 6, 7, 1, K_VAE3, D_LOCAL, false },
    { 6, 7, 5, K_VALE3, D_LOCAL, false },
};

static const TLBIOp *tlbi_find(uint32_t enc)
{
    unsigned op0 = enc >> 14 & 3, op1 = enc >> 11 & 7, crn = enc >> 7 & 15, crm = enc >> 3 & 15,
             op2 = enc & 7;
    if (op0 != 1 || crn != 8) {
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(tlbi_ops); i++) {
        const TLBIOp *o = &tlbi_ops[i];
        if (o->op1 == op1 && o->crm == crm && o->op2 == op2) {
            return o;
        }
    }
    return NULL;
}

bool mmu_tlbi_implemented(const CPUState *cpu, uint32_t enc)
{
    const TLBIOp *o = tlbi_find(enc);
    if (!o) {
        return false;
    }
    unsigned tlb = (unsigned)extract64(cpu->id.ID_AA64ISAR0_EL1, 56, 4);
    if (o->range && tlb < 2) {
        return false;
    }
    if (o->dom == D_OS && tlb < 1) {
        return false;
    }
    if (o->op1 == 4 && !extract64(cpu->id.ID_AA64PFR0_EL1, 8, 4)) {
        return false;
    }
    if (o->op1 == 6 && !extract64(cpu->id.ID_AA64PFR0_EL1, 12, 4)) {
        return false;
    }
    return true;
}

/* VA operand of TLBI by VA: VA[55:12] in Xt[43:0], VA[63:56] copies VA[55]. */
static uint64_t tlbi_va(uint64_t xt)
{
    return sext64((xt & MASK64(44)) << 12, 56);
}

/*
 * Range operand (FEAT_TLBIRANGE): TG[47:46], SCALE[45:44], NUM[43:39],
 * TTL[38:37], BaseADDR[36:0]; range = (NUM+1) << (5*SCALE+1) pages; with
 * DS = 1 BaseADDR is in 64KB units whatever the granule.
 */
static bool tlbi_range(uint64_t xt, bool ds, bool va_signed, uint64_t *start, uint64_t *last)
{
    unsigned tg = (unsigned)extract64(xt, 46, 2);
    if (tg == 0) {
        return false;       /* reserved: Tandem invalidates the whole scope (docs/impdef.md) */
    }
    unsigned shift = tg == 1 ? 12 : tg == 2 ? 14 : 16;
    unsigned scale = (unsigned)extract64(xt, 44, 2), num = (unsigned)extract64(xt, 39, 5);
    uint64_t len = (uint64_t)(num + 1) << (5 * scale + 1 + shift);
    uint64_t base = va_signed ? (uint64_t)sextract64(xt, 0, 37) : extract64(xt, 0, 37);
    base <<= ds ? 16 : shift;
    *start = base;
    *last = base + len - 1;
    return true;
}

static uint16_t asid_operand(const CPUState *cpu, MMURegime r, uint64_t xt)
{
    unsigned el = r == REGIME_EL10 ? 1 : 2;
    bool as16 = (cpu->sr.TCR_ELx[el] & BIT64(36)) && extract64(cpu->id.ID_AA64MMFR0_EL1, 4, 4) == 2;
    return (uint16_t)extract64(xt, 48, as16 ? 16 : 8);
}

static bool e2h_on(const CPUState *cpu)
{
    return (cpu->sr.HCR_EL2 & HCR_E2H) && extract64(cpu->id.ID_AA64MMFR1_EL1, 8, 4) >= 1;
}

/* Build the scope of one TLBI as executed by cpu (its VMID, ASID width, E2H/TGE). */
static void tlbi_scope(const CPUState *cpu, const TLBIOp *o, uint64_t xt, TLBIScope *s)
{
    uint64_t hcr = mmu_hcr_eff(cpu);
    memset(s, 0, sizeof(*s));
    switch (o->kind) {
    case K_VMALLE1: case K_VAE1: case K_ASIDE1: case K_VAAE1: case K_VALE1: case K_VAALE1:
    case K_RVAE1: case K_RVAAE1: case K_RVALE1: case K_RVAALE1: {
        /* *E1 at EL2 with {E2H,TGE} = {1,1} act on EL2&0 (feature-notes D21 variant). */
        MMURegime r = (cpu->el == 2 && (hcr & HCR_E2H) && (hcr & HCR_TGE)) ? REGIME_EL20 : REGIME_EL10;
        s->regimes = 1u << r;
        if (r == REGIME_EL10) {
            s->match_vmid = true;
            s->vmid = mmu_current_vmid(cpu);
        }
        bool by_asid = o->kind == K_VAE1 || o->kind == K_VALE1 || o->kind == K_ASIDE1 ||
                       o->kind == K_RVAE1 || o->kind == K_RVALE1;
        if (by_asid) {
            s->match_asid = true;
            s->asid = asid_operand(cpu, r, xt);
        }
        s->nonglobal_only = o->kind == K_ASIDE1;
        if (o->kind != K_VMALLE1 && o->kind != K_ASIDE1) {
            s->by_addr = true;
            if (o->range) {
                if (!tlbi_range(xt, mmu_regime_ds(cpu, r), true, &s->start, &s->last)) {
                    s->by_addr = false;
                }
            } else {
                s->start = tlbi_va(xt);
                s->last = s->start | 0xfff;
            }
        }
        break;
    }
    case K_IPAS2E1: case K_IPAS2LE1: case K_RIPAS2E1: case K_RIPAS2LE1:
        s->regimes = 1u << REGIME_S2;
        s->match_vmid = true;
        s->vmid = mmu_current_vmid(cpu);
        s->by_addr = true;
        if (o->range) {
            WalkParams p;
            mmu_s2_params(cpu, &p);
            if (!tlbi_range(xt, p.ds, false, &s->start, &s->last)) {
                s->by_addr = false;
            }
        } else {
            s->start = (xt & MASK64(40)) << 12;   /* IPA[51:12] */
            s->last = s->start | 0xfff;
        }
        break;
    case K_ALLE1:
        s->regimes = 1u << REGIME_EL10 | 1u << REGIME_S2;
        break;
    case K_VMALLS12E1:
        s->regimes = 1u << REGIME_EL10 | 1u << REGIME_S2;
        s->match_vmid = true;
        s->vmid = mmu_current_vmid(cpu);
        break;
    case K_ALLE2:
        s->regimes = 1u << REGIME_EL2 | 1u << REGIME_EL20;
        break;
    case K_VAE2: case K_VALE2: case K_RVAE2: case K_RVALE2: {
        MMURegime r = e2h_on(cpu) ? REGIME_EL20 : REGIME_EL2;
        s->regimes = 1u << r;
        if (r == REGIME_EL20) {
            s->match_asid = true;
            s->asid = asid_operand(cpu, r, xt);
        }
        s->by_addr = true;
        if (o->range) {
            if (!tlbi_range(xt, mmu_regime_ds(cpu, r), r == REGIME_EL20, &s->start, &s->last)) {
                s->by_addr = false;
            }
        } else {
            s->start = tlbi_va(xt);
            s->last = s->start | 0xfff;
        }
        break;
    }
    case K_ALLE3:
        s->regimes = 1u << REGIME_EL3;
        break;
    default: /* K_VAE3, K_VALE3, K_RVAE3, K_RVALE3 */
        s->regimes = 1u << REGIME_EL3;
        s->by_addr = true;
        if (o->range) {
            if (!tlbi_range(xt, mmu_regime_ds(cpu, REGIME_EL3), false, &s->start, &s->last)) {
                s->by_addr = false;
            }
        } else {
            s->start = tlbi_va(xt);
            s->last = s->start | 0xfff;
        }
        break;
    }
    /* TTL hints (FEAT_TTL) only narrow what must be invalidated: ignoring them is exact-or-more. */
}

void mmu_tlbi(CPUState *cpu, uint32_t enc, uint64_t xt)
{
    const TLBIOp *o = tlbi_find(enc);
    TLBIScope s;
    if (!o) {
        /* Not a TLBI encoding this MMU knows: invalidate everything local (safe superset). */
        LOG(LOG_UNIMP, "mmu: unknown TLBI encoding 0x%x: flushing the whole TLB\n", enc);
        tlb_clear(&mmu_state(cpu)->tlb);
        mmu_flush_soft_tlb(cpu);
        return;
    }
    tlbi_scope(cpu, o, xt, &s);
    bool bcast = o->dom != D_LOCAL;
    /* HCR_EL2.FB: EL1 TLBI *E1 are broadcast in the Inner Shareable domain. */
    if (!bcast && cpu->el == 1 && o->op1 == 0 && (mmu_hcr_eff(cpu) & HCR_FB)) {
        bcast = true;
    }
    bool self_done = false;
    if (bcast && cpu->machine) {
        /* *IS / *OS: every PE of the machine (one shareability domain), with the issuer's scope. */
        for (int i = 0; i < cpu->machine->ncpus && i < MACHINE_MAX_CPUS; i++) {
            CPUState *c = cpu->machine->cpus[i];
            if (c && c->mmu) {
                tlb_invalidate(c, &s);
                self_done |= c == cpu;
            }
        }
    }
    if (!self_done) {
        tlb_invalidate(cpu, &s);
    }
}
