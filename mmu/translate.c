/*
 * Address translation entry points: mmu_translate (the soft-TLB miss path),
 * stage composition (AArch64.FullTranslate = S1Translate then S2Translate),
 * permissions (AArch64.S1DirectBasePermissions, AArch64.S2CheckPermissions),
 * memory attributes (AArch64.S2ApplyOutputPerms / CombineS1S2Desc), hardware
 * AF/dirty updates, fault status codes, the per-CPU MMU state and the soft TLB.
 */
#include <stdlib.h>

#include "core/log.h"
#include "cpu/features.h"
#include "mmu/mmu_int.h"

/* ---------------- fault status codes ---------------- */
unsigned mmu_fault_fsc(const MMUFault *f)
{
    unsigned lvl = f->level < 0 ? 0 : (unsigned)f->level & 3;
    switch (f->type) {
    case MMU_FAULT_ADDRESS_SIZE:
        return f->level < 0 ? 0x29 : 0x00 | lvl;
    case MMU_FAULT_TRANSLATION:
        return f->level < 0 ? 0x2b : 0x04 | lvl;
    case MMU_FAULT_ACCESS_FLAG:
        return 0x08 | lvl;
    case MMU_FAULT_PERMISSION:
        return 0x0c | lvl;
    case MMU_FAULT_ALIGNMENT:
        return 0x21;
    case MMU_FAULT_SYNC_EXTERNAL:
        return 0x10;
    case MMU_FAULT_SYNC_EXTERNAL_WALK:
        return f->level < 0 ? 0x13 : 0x14 | lvl;
    case MMU_FAULT_TLB_CONFLICT:
        return 0x30;
    default:
        return 0x00;
    }
}

/* ---------------- soft TLB ---------------- */
uint32_t mmu_regime_idx_mask(MMURegime r)
{
    switch (r) {
    case REGIME_EL10:
        return 1u << MMU_IDX_E10_0 | 1u << MMU_IDX_E10_1 | 1u << MMU_IDX_E10_1_PAN;
    case REGIME_EL20:
        return 1u << MMU_IDX_E20_0 | 1u << MMU_IDX_E20_2 | 1u << MMU_IDX_E20_2_PAN;
    case REGIME_EL2:
        return 1u << MMU_IDX_E2;
    case REGIME_EL3:
        return 1u << MMU_IDX_E3;
    default:
        return 0;
    }
}

static void soft_entry_invalidate(CPUTLBEntry *e)
{
    e->tag_read = e->tag_write = e->tag_exec = CPU_TLB_INVALID_TAG;
}

void mmu_flush_soft_idx(CPUState *cpu, uint32_t idx_mask)
{
    idx_mask &= cpu->tlb_dirty;     /* an index nothing filled since its last flush is clean */
    cpu->tlb_dirty &= ~idx_mask;
    for (unsigned i = 0; i < MMU_IDX_COUNT; i++) {
        if (idx_mask & (1u << i)) {
            for (unsigned j = 0; j < CPU_TLB_SIZE; j++) {
                soft_entry_invalidate(&cpu->tlb[i][j]);
            }
        }
    }
}

void mmu_flush_soft_tlb(CPUState *cpu)
{
    mmu_flush_soft_idx(cpu, (1u << MMU_IDX_COUNT) - 1);
}

void mmu_flush_soft_el(CPUState *cpu, unsigned el)
{
    static const MMURegime by_el[4][2] = {
        [1] = { REGIME_EL10, REGIME_EL10 },
        [2] = { REGIME_EL2, REGIME_EL20 },
        [3] = { REGIME_EL3, REGIME_EL3 },
    };
    if (el == 0 || el > 3) {
        mmu_flush_soft_tlb(cpu);
        return;
    }
    mmu_flush_soft_idx(cpu, mmu_regime_idx_mask(by_el[el][0]) | mmu_regime_idx_mask(by_el[el][1]));
}

/* Soft entries for the 4K pages of [va, va+len) (cheap for small ranges). */
void mmu_flush_soft_range(CPUState *cpu, uint32_t idx_mask, uint64_t va, uint64_t len)
{
    uint64_t pages = len >> 12;
    if (pages == 0 || pages >= CPU_TLB_SIZE) {
        mmu_flush_soft_idx(cpu, idx_mask);
        return;
    }
    for (uint64_t n = 0; n < pages; n++) {
        uint64_t page = (va & ~0xfffULL) + (n << 12);
        for (unsigned i = 0; i < MMU_IDX_COUNT; i++) {
            if (idx_mask & (1u << i)) {
                CPUTLBEntry *e = &cpu->tlb[i][(page >> 12) & (CPU_TLB_SIZE - 1)];
                /*
                 * Tags may carry the page in any of the three. Compare VA[55:12]
                 * only: soft tags hold the raw VA, top byte included (TBI).
                 */
                const uint64_t m = 0x00fffffffffff000ULL;
                if (!((e->tag_read ^ page) & m) || !((e->tag_write ^ page) & m) ||
                    !((e->tag_exec ^ page) & m)) {
                    soft_entry_invalidate(e);
                }
            }
        }
    }
}

/* ---------------- per-CPU state ---------------- */
void mmu_cpu_init(CPUState *cpu)
{
    MMUState *st = calloc(1, sizeof(*st));
    if (!st) {
        abort();
    }
    /* -cpu ...,tlb=strict (parsed by cpu/features.c before this runs). */
    tlb_init(&st->tlb, cpu->features && cpu_features(cpu)->tlb_strict);
    cpu->mmu = st;
    cpu->tlb_dirty = (1u << MMU_IDX_COUNT) - 1;   /* zeroed entries hold tag 0, a real page */
    mmu_flush_soft_tlb(cpu);
}

void mmu_cpu_destroy(CPUState *cpu)
{
    MMUState *st = mmu_state(cpu);
    if (st) {
        tlb_destroy(&st->tlb);
        free(st);
        cpu->mmu = NULL;
    }
}

void mmu_set_tlb_strict(CPUState *cpu, bool strict)
{
    MMUState *st = mmu_state(cpu);
    tlb_destroy(&st->tlb);
    tlb_init(&st->tlb, strict);
    mmu_flush_soft_tlb(cpu);
}

/* ---------------- attributes ---------------- */
static bool attr_is_device(uint8_t a)
{
    return (a & 0xf0) == 0;
}

/* Cacheability class of a MAIR nibble: 0 NC, 1 WT, 2 WB. */
static int nibble_class(unsigned n)
{
    if (n == 4) {
        return 0;
    }
    return (n & 4) ? 2 : 1;   /* 01xx/11xx write-back, 00xx/10xx write-through */
}

static unsigned combine_nibble(unsigned s1n, unsigned s2cls)
{
    int c1 = nibble_class(s1n);
    if (c1 <= (int)s2cls) {
        return s1n;
    }
    return s2cls == 0 ? 0x4 : 0xa;   /* NC, or WT read-allocate */
}

/*
 * Combine stage-1 attributes (MAIR format) with stage 2 (AArch64.CombineS1S2Desc,
 * FEAT_S2FWB when HCR_EL2.FWB), then HCR_EL2.CD/ID. Shareability: the more
 * shareable wins; Device and Non-cacheable are Outer Shareable.
 */
uint8_t mmu_combine_attrs(const CPUState *cpu, uint8_t s1attr, const S2Attrs *s2, bool fetch,
                          uint8_t s1sh, uint8_t *sh_out)
{
    uint64_t hcr = mmu_hcr_eff(cpu);
    bool fwb = (hcr & HCR_FWB) && extract64(cpu->id.ID_AA64MMFR2_EL1, 40, 4) >= 1;
    uint8_t m = s2->memattr & 0xf;
    bool s1dev = attr_is_device(s1attr);
    unsigned s1type = (s1attr >> 2) & 3;
    uint8_t res;

    if (fwb) {
        unsigned v = m & 7;
        if (v < 4) {
            res = (uint8_t)((s1dev && s1type < v ? s1type : v) << 2);
        } else if (v == 7) {
            res = s1attr;                       /* use stage 1 */
        } else if (v == 6) {
            res = s1dev ? s1attr : 0xff;        /* force write-back */
        } else {
            res = s1dev ? s1attr : 0x44;        /* 5: force NC; 4 (reserved) as NC */
        }
    } else if ((m & 0xc) == 0) {
        unsigned t = m & 3;
        res = (uint8_t)((s1dev && s1type < t ? s1type : t) << 2);
    } else if (s1dev) {
        res = s1attr;
    } else {
        static const uint8_t cls[4] = { 0, 0, 1, 2 };   /* 00 (reserved with normal) as NC */
        unsigned o = combine_nibble(s1attr >> 4, cls[(m >> 2) & 3]);
        unsigned i = combine_nibble(s1attr & 0xf, cls[m & 3]);
        res = (uint8_t)(o << 4 | i);
    }
    if (!attr_is_device(res) && (fetch ? (hcr & HCR_ID) : (hcr & HCR_CD))) {
        res = 0x44;
    }
    if (attr_is_device(res) || res == 0x44) {
        *sh_out = 2;
    } else {
        static const uint8_t rank[4] = { 0, 0, 2, 1 };  /* NSH < ISH < OSH */
        *sh_out = rank[s1sh & 3] >= rank[s2->sh & 3] ? s1sh : s2->sh;
    }
    return res;
}

/* ---------------- permissions ---------------- */
static uint8_t s1_perms(const S1Setup *s, const WalkLeaf *leaf)
{
    const WalkParams *p = &s->p;
    uint64_t d = leaf->desc;
    unsigned apt = p->hpd ? 0 : leaf->ap_table;
    bool ap2 = d & BIT64(7), ap1 = d & BIT64(6);
    bool dbm = p->hd && (d & DESC_DBM);
    uint8_t r = 0;
    /*
     * FEAT_NV, HCR_EL2.{NV,NV1} = {1,1} (Arm ARM D8.14.3): the EL1&0 regime
     * reads descriptors as the EL2 regime would: AP[1] and APTable[0] as 0,
     * bit 54 is PXN (UXN is 0, bit 53 RES0), table bit 60 is PXNTable (59 RES0).
     */
    bool nv1 = s->regime == REGIME_EL10 && (s->hcr & (HCR_NV | HCR_NV1)) == (HCR_NV | HCR_NV1);
    if (nv1) {
        ap1 = false;
        apt &= ~1u;
    }
    if (p->two_priv) {
        bool pr = true, pw = !ap2, ur = ap1, uw = ap1 && !ap2;
        bool pw_d = ap2 && dbm, uw_d = ap1 && ap2 && dbm;
        if (apt & 1) {
            ur = uw = uw_d = false;
        }
        if (apt & 2) {
            pw = uw = pw_d = uw_d = false;
        }
        bool uxn = (d & BIT64(54)) || (!p->hpd && leaf->uxn_table);
        bool pxn = (d & BIT64(53)) || (!p->hpd && leaf->pxn_table);
        if (nv1) {
            pxn = (d & BIT64(54)) || (!p->hpd && leaf->uxn_table);
            uxn = false;
        }
        bool px = !pxn && !uw && !uw_d;       /* EL0-writable is never privileged-executable */
        bool ux = !uxn;
        if (s->wxn) {
            px = px && !(pw || pw_d);
            ux = ux && !(uw || uw_d);
        }
        r = (pr ? S1P_PR : 0) | (pw ? S1P_PW : 0) | (px ? S1P_PX : 0) | (ur ? S1P_UR : 0) |
            (uw ? S1P_UW : 0) | (ux ? S1P_UX : 0) | (pw_d ? S1P_PW_DBM : 0) | (uw_d ? S1P_UW_DBM : 0);
    } else {
        /* EL2 / EL3: AP[1] and APTable[0] are ignored; XN is bit 54. */
        bool w = !ap2 && !(apt & 2);
        bool w_d = ap2 && dbm && !(apt & 2);
        bool x = !((d & BIT64(54)) || (!p->hpd && leaf->uxn_table));
        if (s->wxn) {
            x = x && !(w || w_d);
        }
        r = S1P_PR | (w ? S1P_PW : 0) | (x ? S1P_PX : 0) | (w_d ? S1P_PW_DBM : 0);
    }
    return r;
}

static uint8_t s2_perms(const WalkParams *p, uint64_t d)
{
    bool rd = d & BIT64(6), wr = d & BIT64(7);
    bool w_d = !wr && p->hd && (d & DESC_DBM);
    bool px, ux;
    if (p->xnx) {
        switch (extract64(d, 53, 2)) {
        case 0: px = ux = true; break;
        case 1: px = false; ux = true; break;
        case 2: px = ux = false; break;
        default: px = true; ux = false; break;
        }
    } else {
        px = ux = !(d & BIT64(54));
    }
    return (rd ? S2P_R : 0) | (wr ? S2P_W : 0) | (px ? S2P_PX : 0) | (ux ? S2P_UX : 0) |
           (w_d ? S2P_W_DBM : 0);
}

static bool perm_fault(MMUFault *f, bool stage2, int level, MMUAccessType acc)
{
    memset(f, 0, sizeof(*f));
    f->type = MMU_FAULT_PERMISSION;
    f->stage2 = stage2;
    f->level = level;
    f->write = acc == MMU_ACCESS_WRITE;
    return false;
}

static bool s1_allows(uint8_t perm, MMUAccessType acc, bool unpriv, bool pan, bool dbm_ok)
{
    bool r, w, x;
    if (unpriv) {
        r = perm & S1P_UR;
        w = (perm & S1P_UW) || (dbm_ok && (perm & S1P_UW_DBM));
        x = perm & S1P_UX;
    } else {
        r = perm & S1P_PR;
        w = (perm & S1P_PW) || (dbm_ok && (perm & S1P_PW_DBM));
        x = perm & S1P_PX;
        /* PAN: privileged data access to an EL0-accessible page (AArch64.S1DirectBasePermissions). */
        if (pan && acc != MMU_ACCESS_FETCH && (perm & (S1P_UR | S1P_UW | S1P_UW_DBM))) {
            r = w = false;
        }
    }
    return acc == MMU_ACCESS_READ ? r : acc == MMU_ACCESS_WRITE ? w : x;
}

static bool s2_allows(uint8_t perm, MMUAccessType acc, bool unpriv, bool dbm_ok)
{
    switch (acc) {
    case MMU_ACCESS_READ: return perm & S2P_R;
    case MMU_ACCESS_WRITE: return (perm & S2P_W) || (dbm_ok && (perm & S2P_W_DBM));
    default: return perm & (unpriv ? S2P_UX : S2P_PX);
    }
}

/* Permission check of a (cached or fresh) translation, stage 1 first. dbm_ok: pending dirty updates count. */
static bool entry_permits(const TLBEntry *e, uint64_t va, MMUAccessType acc, bool unpriv, bool pan,
                          bool dbm_ok, MMUFault *f)
{
    if ((e->flags & TLBF_S1) && !s1_allows(e->s1perm, acc, unpriv, pan, dbm_ok)) {
        return perm_fault(f, false, e->s1_level, acc);
    }
    if ((e->flags & TLBF_S2) && !s2_allows(e->s2perm, acc, unpriv, dbm_ok)) {
        perm_fault(f, true, e->s2_level, acc);
        f->ipa = e->ipa | (va & MASK64(e->size_log2));
        f->ipa_valid = true;
        return false;
    }
    return true;
}

bool mmu_entry_permits(const TLBEntry *e, MMUAccessType acc, bool unpriv, bool pan, MMUFault *f)
{
    return entry_permits(e, e->va, acc, unpriv, pan, true, f);
}

/* ---------------- stage 2 ---------------- */
bool mmu_s2_translate(WalkCtx *w, uint64_t ipa, MMUAccessType acc, bool unpriv, bool s1ptw,
                      uint64_t *pa, S2Attrs *attrs, MMUFault *f, TLBEntry *s2e_out)
{
    CPUState *cpu = w->cpu;
    MMUState *st = mmu_state(cpu);
    TLBEntry e;
    bool have = false;

    if (w->use_tlb) {
        const TLBEntry *h = tlb_lookup(&st->tlb, REGIME_S2, w->vmid, 0, w->s2_ns, TLBF_S2, ipa);
        if (h && !(acc == MMU_ACCESS_WRITE && !(h->s2perm & S2P_W) && (h->s2perm & S2P_W_DBM))) {
            e = *h;
            have = true;
        }
    }
    for (int tries = 0; !have; tries++) {
        WalkCtx w2 = *w;
        WalkLeaf leaf;
        w2.p = w->s2;
        w2.s2 = NULL;
        w2.acc = acc;
        w2.s1ptw = s1ptw;
        if (!mmu_walk(&w2, ipa, &leaf, f)) {
            f->stage2 = true;
            f->s1ptw = s1ptw;
            f->ipa = ipa;
            f->ipa_valid = true;
            f->write = acc == MMU_ACCESS_WRITE;
            return false;
        }
        memset(&e, 0, sizeof(e));
        e.regime = REGIME_S2;
        e.vmid = w->vmid;
        e.flags = TLBF_S2 | TLBF_GLOBAL | (w->s2_ns ? TLBF_NS : 0);
        e.size_log2 = e.s2_size_log2 = leaf.size_log2;
        e.s2_level = (int8_t)leaf.level;
        e.va = ipa & ~MASK64(leaf.size_log2);
        e.pa = leaf.oa & ~MASK64(leaf.size_log2);
        e.ipa = e.va;
        e.s2perm = s2_perms(w->s2, leaf.desc);
        e.attrs = (uint8_t)extract64(leaf.desc, 2, 4);
        e.sh = w->s2->ds ? w->s2->sh : (uint8_t)extract64(leaf.desc, 8, 2);

        uint64_t nd = leaf.desc | DESC_AF;
        bool dirty = acc == MMU_ACCESS_WRITE && !(e.s2perm & S2P_W) && (e.s2perm & S2P_W_DBM) &&
                     s2_allows(e.s2perm, acc, unpriv, true);
        if (dirty) {
            nd |= DESC_S2AP_W;
        }
        if (nd != leaf.desc) {
            if (w->no_side_effects) {
                /* AT / debug: report what the access would see, write nothing. */
            } else if (!mmu_desc_update(cpu, leaf.desc_pa, leaf.desc, nd)) {
                if (tries < 16) {
                    continue;                 /* descriptor changed under us: walk again */
                }
                memset(f, 0, sizeof(*f));
                f->type = MMU_FAULT_SYNC_EXTERNAL_WALK;
                f->level = leaf.level;
                f->stage2 = true;
                f->s1ptw = s1ptw;
                f->ipa = ipa;
                f->ipa_valid = true;
                return false;
            }
            if (dirty) {
                e.s2perm |= S2P_W;
            }
        }
        if (w->use_tlb && !w->no_side_effects) {
            tlb_insert(cpu, &e);
        }
        have = true;
    }
    if (!s2_allows(e.s2perm, acc, unpriv, true)) {
        perm_fault(f, true, e.s2_level, acc);
        f->s1ptw = s1ptw;
        f->ipa = ipa;
        f->ipa_valid = true;
        return false;
    }
    *pa = e.pa | (ipa & MASK64(e.size_log2));
    attrs->memattr = e.attrs;
    attrs->sh = e.sh;
    if (s2e_out) {
        *s2e_out = e;
    }
    return true;
}

/* ---------------- full translation ---------------- */
typedef struct TransReq {
    MMUAccessType acc;
    bool unpriv, pan;
    bool stage1_only;
    bool no_side_effects;
    MMUWalkTraceFn trace;
    void *opaque;
} TransReq;

static bool translate_full(CPUState *cpu, S1Setup *s, uint64_t va, const TransReq *q,
                           TLBEntry *out, MMUFault *f)
{
    WalkParams s2p;
    bool fetch = q->acc == MMU_ACCESS_FETCH;
    if (s->s2) {
        mmu_s2_params(cpu, &s2p);
    }
    WalkCtx w = {
        .cpu = cpu, .p = &s->p, .s2 = s->s2 ? &s2p : NULL, .vmid = s->vmid, .s2_ns = s->ns,
        .no_side_effects = q->no_side_effects, .use_tlb = !q->no_side_effects, .acc = q->acc,
        .trace = q->trace, .trace_opaque = q->opaque,
    };

    for (int tries = 0;; tries++) {
        uint64_t ipa;
        uint8_t s1attr, s1sh;
        memset(out, 0, sizeof(*out));
        out->regime = (uint8_t)s->regime;
        out->vmid = s->regime == REGIME_EL10 ? s->vmid : 0;
        out->flags = s->ns ? TLBF_NS : 0;

        if (!s->enabled) {
            /* Stage 1 disabled (AArch64.S1DisabledOutput). */
            unsigned pamax = mmu_pamax(cpu);
            unsigned top = s->tbi ? 55 : 63;
            if (extract64(va, pamax, top - pamax + 1)) {
                memset(f, 0, sizeof(*f));
                f->type = MMU_FAULT_ADDRESS_SIZE;
                f->level = 0;
                f->write = q->acc == MMU_ACCESS_WRITE;
                return false;
            }
            ipa = s->tbi ? va & MASK64(56) : va;
            if (s->dc) {
                s1attr = 0xff;               /* HCR_EL2.DC: Normal WB, Non-shareable */
                s1sh = 0;
            } else if (fetch) {
                s1attr = (s->sctlr & SCTLR_I) ? 0xaa : 0x44;
                s1sh = 2;
            } else {
                s1attr = 0x00;               /* Device-nGnRnE */
                s1sh = 2;
            }
            out->flags |= TLBF_GLOBAL;
            out->s1perm = S1P_PR | S1P_PW | S1P_PX | S1P_UR | S1P_UW | S1P_UX;
        } else {
            WalkLeaf leaf;
            if (!mmu_walk(&w, va, &leaf, f)) {
                return false;
            }
            out->flags |= TLBF_S1;
            out->s1perm = s1_perms(s, &leaf);
            out->s1_level = (int8_t)leaf.level;
            out->s1_size_log2 = leaf.size_log2;
            /* Stage-1 permission faults come before the stage-2 translation of the output. */
            if (!s1_allows(out->s1perm, q->acc, q->unpriv, q->pan, true)) {
                return perm_fault(f, false, leaf.level, q->acc);
            }
            uint64_t nd = leaf.desc | DESC_AF;
            bool dirty = q->acc == MMU_ACCESS_WRITE &&
                         !s1_allows(out->s1perm, q->acc, q->unpriv, q->pan, false);
            if (dirty) {
                nd &= ~DESC_AP2;             /* FEAT_HAFDBS dirty state: AP[2] -> 0 */
            }
            if (nd != leaf.desc && !q->no_side_effects) {
                uint64_t upd_pa = leaf.desc_pa;
                if (w.s2) {
                    /* The update is a stage-1 table write: it needs stage-2 write permission. */
                    S2Attrs a;
                    if (!mmu_s2_translate(&w, leaf.desc_ia, MMU_ACCESS_WRITE, false, true, &upd_pa, &a,
                                          f, NULL)) {
                        return false;
                    }
                }
                if (!mmu_desc_update(cpu, upd_pa, leaf.desc, nd)) {
                    if (tries < 16) {
                        continue;
                    }
                    memset(f, 0, sizeof(*f));
                    f->type = MMU_FAULT_SYNC_EXTERNAL_WALK;
                    f->level = leaf.level;
                    return false;
                }
            }
            if (nd != leaf.desc && !q->no_side_effects) {
                leaf.desc = nd;
                out->s1perm = s1_perms(s, &leaf);
            }
            ipa = leaf.oa;
            s1attr = (uint8_t)(s->mair >> (8 * extract64(leaf.desc, 2, 3)));
            s1sh = s->p.ds ? s->p.sh : (uint8_t)extract64(leaf.desc, 8, 2);
            if (!(leaf.desc & DESC_NG) || !s->p.two_priv) {
                out->flags |= TLBF_GLOBAL;
            } else {
                out->asid = s->asid;
            }
            if (s->gp_enabled && (leaf.desc & DESC_GP)) {
                out->flags |= TLBF_GUARDED;
            }
        }

        unsigned size = s->enabled ? out->s1_size_log2 : 64;
        uint64_t pa;
        if (s->s2 && !q->stage1_only) {
            S2Attrs a;
            TLBEntry s2e;
            if (!mmu_s2_translate(&w, ipa, q->acc, q->unpriv, false, &pa, &a, f, &s2e)) {
                return false;
            }
            out->flags |= TLBF_S2;
            out->s2perm = s2e.s2perm;
            out->s2_level = s2e.s2_level;
            out->s2_size_log2 = s2e.size_log2;
            if (s2e.size_log2 < size) {
                size = s2e.size_log2;
            }
            out->attrs = mmu_combine_attrs(cpu, s1attr, &a, fetch, s1sh, &out->sh);
        } else {
            pa = ipa;
            out->attrs = s1attr;
            out->sh = (attr_is_device(s1attr) || s1attr == 0x44) ? 2 : s1sh;
        }
        if (size > 63) {
            size = 12;                       /* no translation at all: a 4K page of the flat map */
        }
        out->size_log2 = (uint8_t)size;
        out->va = s->tlb_va & ~MASK64(size);
        out->ipa = ipa & ~MASK64(size);
        out->pa = pa & ~MASK64(size);
        return true;
    }
}

bool mmu_translate_walk(CPUState *cpu, uint64_t va, MMUAccessType acc, MMUIdx idx,
                        bool stage1_only, bool no_side_effects, bool pan_check,
                        MMUWalkTraceFn trace, void *opaque, TLBEntry *out, MMUFault *f)
{
    S1Setup s;
    bool unpriv = mmu_idx_unpriv(idx);
    if (!mmu_s1_setup(cpu, mmu_idx_regime(idx), va, acc, unpriv, &s, f)) {
        return false;
    }
    TransReq q = { .acc = acc, .unpriv = unpriv, .pan = pan_check && mmu_idx_pan(idx),
                   .stage1_only = stage1_only, .no_side_effects = no_side_effects,
                   .trace = trace, .opaque = opaque };
    return translate_full(cpu, &s, va, &q, out, f);
}

static void result_from_entry(const CPUState *cpu, const TLBEntry *e, uint64_t tlb_va, bool unpriv,
                              bool pan, MMUResult *res)
{
    MMUFault dummy;
    uint64_t off = tlb_va & MASK64(e->size_log2);
    res->pa = e->pa | off;
    res->ipa = e->ipa | off;
    res->page_size = 1ULL << e->size_log2;
    res->readable = entry_permits(e, tlb_va, MMU_ACCESS_READ, unpriv, pan, false, &dummy);
    res->writable = entry_permits(e, tlb_va, MMU_ACCESS_WRITE, unpriv, pan, false, &dummy);
    res->executable = entry_permits(e, tlb_va, MMU_ACCESS_FETCH, unpriv, pan, false, &dummy);
    res->device = attr_is_device(e->attrs);
    res->guarded = (e->flags & TLBF_GUARDED) != 0;
    res->attrs = e->attrs;
    res->sh = e->sh;
    (void)cpu;
}

/* `-d mmu`: every descriptor a walk reads. */
static void mmu_log_step(void *opaque, const MMUWalkStep *st)
{
    (void)opaque;
    log_printf("mmu: %s%s walk ia 0x%016llx L%d desc @0x%llx = 0x%016llx\n", st->stage2 ? "s2" : "s1",
               st->s1ptw ? "(s1ptw)" : "", (unsigned long long)st->ia, st->level,
               (unsigned long long)st->desc_pa, (unsigned long long)st->desc);
}

bool mmu_translate(CPUState *cpu, uint64_t va, MMUAccessType access, MMUIdx mmu_idx,
                   MMUResult *res, MMUFault *fault)
{
    MMUState *st = mmu_state(cpu);
    MMURegime r = mmu_idx_regime(mmu_idx);
    bool unpriv = mmu_idx_unpriv(mmu_idx), pan = mmu_idx_pan(mmu_idx);
    S1Setup s;
    TLBKey k;
    TLBEntry tmp;
    const TLBEntry *e = NULL;

    bool keyed = mmu_s1_key(cpu, r, va, access, unpriv, &k);
    if (keyed && k.stages) {
        e = tlb_lookup(&st->tlb, r, k.vmid, k.asid, k.ns, k.stages, k.tlb_va);
        if (e && access == MMU_ACCESS_WRITE && !entry_permits(e, k.tlb_va, access, unpriv, pan, false, fault) &&
            entry_permits(e, k.tlb_va, access, unpriv, pan, true, fault)) {
            e = NULL;                       /* a dirty-state update is due: walk again */
        }
    }
    if (e) {
        st->stats_hits++;
        tmp = *e;
    } else {
        if (!mmu_s1_setup(cpu, r, va, access, unpriv, &s, fault)) {
            LOG(LOG_MMU, "mmu: va 0x%016llx idx %d: level-0 translation fault (range/EPD/TxSZ)\n",
                (unsigned long long)va, (int)mmu_idx);
            return false;
        }
        TransReq q = { .acc = access, .unpriv = unpriv, .pan = pan,
                       .trace = log_enabled(LOG_MMU) ? mmu_log_step : NULL };
        st->stats_walks++;
        if (!translate_full(cpu, &s, va, &q, &tmp, fault)) {
            LOG(LOG_MMU, "mmu: va 0x%016llx idx %d acc %d: fault type %d level %d s2 %d s1ptw %d ipa 0x%llx\n",
                (unsigned long long)va, (int)mmu_idx, (int)access, (int)fault->type, fault->level,
                fault->stage2, fault->s1ptw, (unsigned long long)fault->ipa);
            return false;
        }
        if (tmp.flags & (TLBF_S1 | TLBF_S2)) {
            tlb_insert(cpu, &tmp);
        }
        k.tlb_va = s.tlb_va;
    }
    if (!entry_permits(&tmp, k.tlb_va, access, unpriv, pan, false, fault)) {
        return false;
    }
    result_from_entry(cpu, &tmp, k.tlb_va, unpriv, pan, res);
    return true;
}

bool mmu_walk_debug(CPUState *cpu, uint64_t va, MMUIdx mmu_idx, MMUAccessType access,
                    MMUWalkTraceFn trace, void *opaque, MMUResult *res, MMUFault *fault)
{
    TLBEntry e;
    bool unpriv = mmu_idx_unpriv(mmu_idx), pan = mmu_idx_pan(mmu_idx);
    if (!mmu_translate_walk(cpu, va, access, mmu_idx, false, true, true, trace, opaque, &e, fault)) {
        return false;
    }
    if (!entry_permits(&e, va, access, unpriv, pan, true, fault)) {
        return false;
    }
    uint64_t tlb_va = e.va | (va & MASK64(e.size_log2));
    result_from_entry(cpu, &e, tlb_va, unpriv, pan, res);
    return true;
}
