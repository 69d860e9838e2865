/*
 * mmu/ internals shared by regime.c (translation parameters from the system
 * registers), walk.c (the one descriptor walker), translate.c (stage
 * composition, permissions, attributes), tlb.c (architectural TLB, TLBI) and
 * at.c (AT). Nothing outside mmu/ includes this file.
 */
#ifndef TANDEM_MMU_MMU_INT_H
#define TANDEM_MMU_MMU_INT_H

#include "core/machine.h"
#include "mmu/mmu.h"

/* Translation regimes (Arm ARM D8.1.2), plus the stage-2-only TLB class. */
typedef enum MMURegime {
    REGIME_NONE = 0,
    REGIME_EL10,      /* EL1&0 (stage 1, optionally + stage 2) */
    REGIME_EL20,      /* EL2&0 (VHE) */
    REGIME_EL2,       /* EL2 (E2H = 0) */
    REGIME_EL3,
    REGIME_S2,        /* stage-2-only cached translations (IPA -> PA) */
    REGIME_COUNT
} MMURegime;

/* System register bits the MMU reads. */
#define SCTLR_M     BIT64(0)
#define SCTLR_I     BIT64(12)
#define SCTLR_WXN   BIT64(19)
#define HCR_VM      BIT64(0)
#define HCR_PTW     BIT64(2)
#define HCR_FB      BIT64(9)
#define HCR_DC      BIT64(12)
#define HCR_TGE     BIT64(27)
#define HCR_CD      BIT64(32)
#define HCR_ID      BIT64(33)
#define HCR_E2H     BIT64(34)
#define HCR_NV      BIT64(42)
#define HCR_NV1     BIT64(43)
#define HCR_FWB     BIT64(46)
#define SCR_NS      BIT64(0)

/* Descriptor bits (stage 1 and stage 2 VMSAv8-64 format). */
#define DESC_VALID  BIT64(0)
#define DESC_TABLE  BIT64(1)
#define DESC_AF     BIT64(10)
#define DESC_NG     BIT64(11)
#define DESC_GP     BIT64(50)
#define DESC_DBM    BIT64(51)
#define DESC_AP2    BIT64(7)          /* stage 1 AP[2]: read-only */
#define DESC_S2AP_W BIT64(7)          /* stage 2 S2AP[1]: write */

/*
 * Parameters of one stage of translation (AArch64.GetS1TTWParams /
 * AArch64.GetS2TTWParams) after every register field has been validated.
 */
typedef struct WalkParams {
    bool stage2;
    bool cfg_invalid;     /* TxSZ / SL0 / SL2 unusable: level-0 Translation fault */
    bool ttb_oor;         /* table base beyond the output size: level-0 Address size fault */
    uint8_t gbits;        /* granule: 12, 14 or 16 */
    uint8_t ia_bits;      /* input address size */
    uint8_t oa_bits;      /* effective output address size */
    int8_t start_level;   /* -1..3 */
    bool ds;              /* FEAT_LPA2 descriptor format */
    bool lpa64;           /* 64K granule with 52-bit OA (FEAT_LPA): OA[51:48] in desc[15:12] */
    bool blk_l1_64k;      /* 64K level-1 blocks legal (FEAT_LPA implemented) */
    bool ha, hd;          /* hardware Access flag / dirty state updates */
    bool hpd;             /* stage 1: hierarchical permissions disabled */
    bool two_priv;        /* stage 1 regime with an EL0 (EL1&0, EL2&0) */
    bool xnx;             /* stage 2: FEAT_XNX */
    uint8_t sh;           /* (V)TCR SHx: shareability when DS = 1 */
    uint64_t ttb;         /* start-level table base (PA, or IPA for stage 1 under stage 2) */
} WalkParams;

/* Everything stage 1 of a regime needs beyond the walk (AArch64.S1Translate). */
typedef struct S1Setup {
    MMURegime regime;
    bool enabled;         /* stage 1 on (SCTLR.M and not HCR_EL2.{DC,TGE}) */
    bool dc;              /* HCR_EL2.DC default cacheability */
    bool s2;              /* stage 2 applies (EL1&0 with HCR_EL2.VM or DC) */
    bool ns;
    bool tbi;             /* top byte ignored for this access */
    bool wxn;
    bool gp_enabled;      /* FEAT_BTI: GP bit meaningful */
    uint16_t asid;        /* ASID tag for this regime (0 if none) */
    uint16_t vmid;        /* VMID tag (EL1&0 with EL2 enabled) */
    uint64_t sctlr, mair, hcr;
    uint64_t tlb_va;      /* the VA as tagged in the TLB (TBI applied) */
    WalkParams p;
} S1Setup;

/* The leaf a walk ended on. */
typedef struct WalkLeaf {
    uint64_t desc;        /* descriptor as read */
    uint64_t desc_pa;     /* where it lives (hardware AF/dirty update) */
    uint64_t desc_ia;     /* its address before stage 2 (IPA of a stage-1 descriptor) */
    uint64_t oa;          /* output address of the input address */
    int level;
    uint8_t size_log2;    /* block / page size */
    uint8_t ap_table;     /* accumulated APTable: bit 1 read-only, bit 0 no EL0 */
    bool uxn_table;       /* accumulated UXNTable / XNTable */
    bool pxn_table;
} WalkLeaf;

/* Stage-2 memory attributes of one access, for combining with stage 1. */
typedef struct S2Attrs {
    uint8_t memattr;      /* descriptor MemAttr[3:0] */
    uint8_t sh;
} S2Attrs;

/* Permission bits cached with a translation (per stage). */
enum {
    S1P_PR = 1u << 0, S1P_PW = 1u << 1, S1P_PX = 1u << 2,     /* privileged (or the only EL) */
    S1P_UR = 1u << 3, S1P_UW = 1u << 4, S1P_UX = 1u << 5,     /* EL0 */
    S1P_PW_DBM = 1u << 6, S1P_UW_DBM = 1u << 7,               /* writable after a dirty-state update */
};
enum {
    S2P_R = 1u << 0, S2P_W = 1u << 1, S2P_PX = 1u << 2, S2P_UX = 1u << 3,
    S2P_W_DBM = 1u << 4,
};

/* Architectural TLB entry. */
enum {
    TLBF_GLOBAL = 1u << 0,
    TLBF_NS = 1u << 1,
    TLBF_S1 = 1u << 2,        /* stage 1 was enabled */
    TLBF_S2 = 1u << 3,        /* stage 2 contributed */
    TLBF_GUARDED = 1u << 4,
};

typedef struct TLBEntry {
    uint64_t va;              /* input base (VA, or IPA for REGIME_S2), aligned to the entry size */
    uint64_t pa;              /* output base */
    uint64_t ipa;             /* combined entries: IPA of va (stage-2 faults) */
    uint32_t next;            /* hash chain: index + 1, 0 = end */
    uint16_t asid, vmid;
    uint8_t regime;           /* MMURegime; REGIME_NONE = free slot */
    uint8_t size_log2;        /* size this entry translates */
    uint8_t s1_size_log2;     /* stage-1 leaf size (TLBI by VA scope); 0 = no stage 1 */
    uint8_t s2_size_log2;     /* stage-2 leaf size; 0 = no stage 2 */
    int8_t s1_level, s2_level;
    uint8_t flags;            /* TLBF_* */
    uint8_t s1perm, s2perm;
    uint8_t attrs, sh;        /* combined (MAIR-format) attributes and shareability */
} TLBEntry;

typedef struct ArchTLB {
    TLBEntry *e;
    uint32_t *bucket;         /* head index + 1 */
    uint32_t cap;             /* entries */
    uint32_t nbuckets;
    uint32_t used;            /* high-water mark of allocated slots */
    uint32_t live;
    uint32_t free_head;       /* free list through next (index + 1) */
    uint64_t size_mask[REGIME_COUNT]; /* bit n set: some entry of the regime has size_log2 == n */
    uint64_t split_mask[REGIME_COUNT]; /* bit n: an entry is smaller than its 2^n stage-1 block */
    bool strict;
} ArchTLB;

typedef struct MMUState {
    ArchTLB tlb;
    uint64_t stats_walks, stats_hits;
} MMUState;

/* TLBI scope: which entries one invalidation removes. */
typedef struct TLBIScope {
    uint32_t regimes;         /* bit (1 << MMURegime) */
    bool match_vmid;
    uint16_t vmid;
    bool match_asid;          /* non-global entries must carry asid; global ones match */
    uint16_t asid;
    bool nonglobal_only;      /* ASIDE1: global entries survive */
    bool by_addr;
    uint64_t start, last;     /* inclusive input-address range */
    bool s1_only;             /* VMALLE1 etc.: leave stage-2-only entries */
} TLBIScope;

/* The architectural-TLB tag of one access (mmu_s1_key). */
typedef struct TLBKey {
    uint64_t tlb_va;
    uint16_t vmid, asid;
    uint8_t stages;       /* TLBF_S1 / TLBF_S2 currently enabled */
    bool ns;
} TLBKey;

/* regime.c */
bool mmu_s1_key(const CPUState *cpu, MMURegime r, uint64_t va, MMUAccessType acc, bool unpriv,
                TLBKey *k);
bool mmu_el2_enabled(const CPUState *cpu);
uint64_t mmu_hcr_eff(const CPUState *cpu);
unsigned mmu_pamax(const CPUState *cpu);
MMURegime mmu_idx_regime(MMUIdx idx);
bool mmu_idx_unpriv(MMUIdx idx);
bool mmu_idx_pan(MMUIdx idx);
uint16_t mmu_current_vmid(const CPUState *cpu);
uint16_t mmu_regime_asid(const CPUState *cpu, MMURegime r);
bool mmu_regime_ds(const CPUState *cpu, MMURegime r);
/* Stage 1 setup for an access; false: fault (level-0 Translation etc.) in *f. */
bool mmu_s1_setup(CPUState *cpu, MMURegime r, uint64_t va, MMUAccessType acc, bool unpriv,
                  S1Setup *s, MMUFault *f);
void mmu_s2_params(const CPUState *cpu, WalkParams *p);

/* walk.c */
typedef struct WalkCtx {
    CPUState *cpu;
    const WalkParams *p;
    const WalkParams *s2;          /* stage 1 under stage 2: table IPAs go through this */
    uint16_t vmid;
    bool s2_ns;
    bool no_side_effects;          /* AT / debug: no TLB fill, no descriptor update */
    bool use_tlb;                  /* stage-2 table translations may use/fill the TLB */
    MMUAccessType acc;
    bool s1ptw;                    /* this is a stage-2 walk for a stage-1 table access */
    MMUWalkTraceFn trace;
    void *trace_opaque;
} WalkCtx;
bool mmu_walk(WalkCtx *w, uint64_t ia, WalkLeaf *leaf, MMUFault *f);
uint64_t mmu_desc_oa(const WalkParams *p, uint64_t desc);
bool mmu_desc_update(CPUState *cpu, uint64_t desc_pa, uint64_t old, uint64_t new_desc);

/* translate.c */
/*
 * Stage 2 of one IPA (AArch64.S2Translate). s1ptw: a stage-1 table access.
 * On success fills *pa, *attrs. Uses the stage-2-only TLB entries when w->use_tlb.
 */
bool mmu_s2_translate(WalkCtx *w, uint64_t ipa, MMUAccessType acc, bool unpriv, bool s1ptw,
                      uint64_t *pa, S2Attrs *attrs, MMUFault *f, TLBEntry *s2e_out);
uint8_t mmu_combine_attrs(const CPUState *cpu, uint8_t s1attr, const S2Attrs *s2, bool fetch,
                          uint8_t s1sh, uint8_t *sh_out);
/* The full translation without the combined-entry TLB (AT, debug, fill). */
bool mmu_translate_walk(CPUState *cpu, uint64_t va, MMUAccessType acc, MMUIdx idx,
                        bool stage1_only, bool no_side_effects, bool pan_check,
                        MMUWalkTraceFn trace, void *opaque,
                        TLBEntry *out, MMUFault *f);
bool mmu_entry_permits(const TLBEntry *e, MMUAccessType acc, bool unpriv, bool pan,
                       MMUFault *f);

/* tlb.c */
void tlb_init(ArchTLB *t, bool strict);
void tlb_destroy(ArchTLB *t);
/* stages: TLBF_S1 / TLBF_S2 as currently enabled; an entry matches only the same set. */
const TLBEntry *tlb_lookup(ArchTLB *t, MMURegime r, uint16_t vmid, uint16_t asid, bool ns,
                           uint8_t stages, uint64_t va);
/* Insert (replacing an entry with the same tag). Returns false if the TLB was cleared to make room. */
bool tlb_insert(CPUState *cpu, const TLBEntry *e);
void tlb_invalidate(CPUState *cpu, const TLBIScope *s);

/* Soft TLB helpers. */
void mmu_flush_soft_idx(CPUState *cpu, uint32_t idx_mask);
void mmu_flush_soft_range(CPUState *cpu, uint32_t idx_mask, uint64_t va, uint64_t len);
uint32_t mmu_regime_idx_mask(MMURegime r);

static inline MMUState *mmu_state(const CPUState *cpu)
{
    return (MMUState *)cpu->mmu;
}

#endif
