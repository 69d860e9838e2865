/*
 * Shared helpers for the MMU unit tests: a CPUState with only the registers
 * the MMU reads, RAM holding synthetic translation tables, and a table
 * builder for any granule / start level / descriptor format.
 */
#ifndef TANDEM_TESTS_MMU_TEST_ENV_H
#define TANDEM_TESTS_MMU_TEST_ENV_H

#include <glib.h>

#include "core/machine.h"
#include "mmu/mmu.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (64ULL << 20)
/* A second RAM region above 48 bits, for 52-bit table addresses. */
#define HIRAM_BASE 0x000f000000000000ULL
#define HIRAM_SIZE (1ULL << 20)

typedef struct Env {
    Machine m;
    CPUState *cpu;
    uint8_t *ram, *hiram;
    uint64_t next;        /* bump allocator in RAM */
    uint64_t hinext;
} Env;

/* Everything implemented: 52-bit PA, LPA2 at both stages, HAFDBS dirty, VHE, XNX, 16-bit VMID/ASID. */
static inline void env_default_ids(CPUState *cpu)
{
    cpu->id.ID_AA64MMFR0_EL1 = 6ULL /* PARange 52 */ | 2ULL << 4 /* 16-bit ASID */ |
                               2ULL << 20 /* TGran16 + 52 */ | 0ULL << 24 /* TGran64 */ |
                               1ULL << 28 /* TGran4 + 52 */ | 3ULL << 32 /* TGran16_2 */ |
                               2ULL << 36 /* TGran64_2 */ | 3ULL << 40 /* TGran4_2 */;
    cpu->id.ID_AA64MMFR1_EL1 = 2ULL /* HAFDBS */ | 2ULL << 4 /* VMIDBits 16 */ | 1ULL << 8 /* VH */ |
                               1ULL << 12 /* HPDS */ | 1ULL << 20 /* PAN */ | 1ULL << 28 /* XNX */;
    cpu->id.ID_AA64MMFR2_EL1 = 1ULL << 16 /* VARange (LVA) */ | 1ULL << 40 /* FWB */;
    cpu->id.ID_AA64PFR0_EL1 = 1ULL << 8 /* EL2 */ | 1ULL << 12 /* EL3 */;
    cpu->id.ID_AA64PFR1_EL1 = 1;          /* BTI */
    cpu->id.ID_AA64ISAR0_EL1 = 2ULL << 56; /* TLBIOS + TLBIRANGE */
}

static inline void env_init(Env *e)
{
    memset(e, 0, sizeof(*e));
    addrspace_init(&e->m.as);
    e->ram = g_malloc0(RAM_SIZE);
    e->hiram = g_malloc0(HIRAM_SIZE);
    g_assert_true(addrspace_add_ram(&e->m.as, "ram", RAM_BASE, RAM_SIZE, e->ram));
    g_assert_true(addrspace_add_ram(&e->m.as, "hiram", HIRAM_BASE, HIRAM_SIZE, e->hiram));
    e->cpu = g_malloc0(sizeof(CPUState));
    e->cpu->machine = &e->m;
    e->m.cpus[0] = e->cpu;
    e->m.ncpus = 1;
    env_default_ids(e->cpu);
    e->cpu->sr.SCR_EL3 = 1;               /* NS */
    e->cpu->el = 1;
    mmu_cpu_init(e->cpu);
    e->next = RAM_BASE + 0x100000;
    e->hinext = HIRAM_BASE;
}

static inline CPUState *env_add_cpu(Env *e)
{
    CPUState *c = g_malloc0(sizeof(CPUState));
    c->machine = &e->m;
    c->cpu_index = e->m.ncpus;
    e->m.cpus[e->m.ncpus++] = c;
    c->id = e->cpu->id;
    c->sr = e->cpu->sr;
    c->el = 1;
    mmu_cpu_init(c);
    return c;
}

static inline void env_free(Env *e)
{
    for (int i = 0; i < e->m.ncpus; i++) {
        mmu_cpu_destroy(e->m.cpus[i]);
        g_free(e->m.cpus[i]);
    }
    addrspace_destroy(&e->m.as);
    g_free(e->ram);
    g_free(e->hiram);
}

static inline uint64_t env_alloc(Env *e, uint64_t size)
{
    uint64_t align = size < 4096 ? 4096 : size;
    e->next = (e->next + align - 1) & ~(align - 1);
    uint64_t pa = e->next;
    e->next += size;
    g_assert_cmpuint(e->next, <=, RAM_BASE + RAM_SIZE);
    memset(e->ram + (pa - RAM_BASE), 0, size);
    return pa;
}

static inline uint64_t env_alloc_hi(Env *e, uint64_t size)
{
    uint64_t align = size < 4096 ? 4096 : size;
    e->hinext = (e->hinext + align - 1) & ~(align - 1);
    uint64_t pa = e->hinext;
    e->hinext += size;
    g_assert_cmpuint(e->hinext, <=, HIRAM_BASE + HIRAM_SIZE);
    return pa;
}

static inline uint64_t env_rd(Env *e, uint64_t pa)
{
    uint64_t v = 0;
    g_assert_true(addrspace_read(&e->m.as, pa, 8, &v));
    return v;
}

static inline void env_wr(Env *e, uint64_t pa, uint64_t v)
{
    g_assert_true(addrspace_write(&e->m.as, pa, 8, v));
}

/* Table format for the builder. */
typedef struct Fmt {
    unsigned g;          /* 12, 14, 16 */
    int start;           /* start level */
    unsigned ia_bits;
    bool ds, lpa64;
} Fmt;

static inline uint64_t fmt_enc_oa(const Fmt *f, uint64_t pa)
{
    if (f->ds) {
        return (pa & MASK64(50) & ~0xfffULL) | ((pa >> 50) & 3) << 8;
    }
    if (f->lpa64) {
        return (pa & MASK64(48) & ~0xffffULL) | ((pa >> 48) & 0xf) << 12;
    }
    return pa & MASK64(48) & ~0xfffULL;
}

static inline uint64_t fmt_dec_oa(const Fmt *f, uint64_t d)
{
    if (f->ds) {
        return (d & MASK64(50) & ~MASK64(f->g)) | ((d >> 8) & 3) << 50;
    }
    if (f->lpa64) {
        return (d & MASK64(48) & ~MASK64(f->g)) | ((d >> 12) & 0xf) << 48;
    }
    return d & MASK64(48) & ~MASK64(f->g);
}

static inline unsigned fmt_shift(const Fmt *f, int level)
{
    return f->g + (f->g - 3) * (unsigned)(3 - level);
}

/* Root table size in bytes (concatenated tables included). */
static inline uint64_t fmt_root_size(const Fmt *f)
{
    unsigned bits = f->ia_bits - fmt_shift(f, f->start);
    uint64_t sz = 8ULL << bits;
    return sz < 64 ? 64 : sz;
}

/* Address of the descriptor at `level` for ia, creating tables on the way. */
static inline uint64_t fmt_slot(Env *e, const Fmt *f, uint64_t root, uint64_t ia, int level)
{
    uint64_t table = root;
    for (int l = f->start;; l++) {
        unsigned shift = fmt_shift(f, l);
        unsigned nbits = l == f->start ? f->ia_bits - shift : f->g - 3;
        uint64_t slot = table + 8 * extract64(ia, shift, nbits);
        if (l == level) {
            return slot;
        }
        uint64_t d = env_rd(e, slot);
        if (!(d & 1)) {
            uint64_t next = env_alloc(e, 1ULL << f->g);
            env_wr(e, slot, fmt_enc_oa(f, next) | 3);
            table = next;
        } else {
            table = fmt_dec_oa(f, d);
        }
    }
}

/* Map ia -> oa with a leaf at `level` (page at 3, block otherwise); attrs are the descriptor's other bits. */
static inline uint64_t fmt_map(Env *e, const Fmt *f, uint64_t root, uint64_t ia, uint64_t oa, int level,
                               uint64_t attrs)
{
    uint64_t slot = fmt_slot(e, f, root, ia, level);
    if (f->ds) {
        attrs &= ~(3ULL << 8);           /* bits [9:8] are OA[51:50] with DS */
    }
    unsigned shift = fmt_shift(f, level);
    env_wr(e, slot, fmt_enc_oa(f, oa & ~MASK64(shift)) | attrs | (level == 3 ? 3 : 1));
    return slot;
}

/* Stage-1 leaf: AF, Inner-shareable, AttrIndx 0 (MAIR byte 0), EL1 RW. */
#define S1_LEAF (BIT64(10) | 3ULL << 8)
#define S1_AP_EL0RW (1ULL << 6)
#define S1_AP_RO (2ULL << 6)
#define S1_AP_EL0RO (3ULL << 6)
/* Stage-2 leaf: AF, S2AP RW, MemAttr Normal WB, inner shareable. */
#define S2_LEAF (BIT64(10) | 3ULL << 6 | 0xfULL << 2 | 3ULL << 8)

/* TCR_EL1 fields for TTBR0 with a granule (TG0 encoding) and T0SZ. */
static inline uint64_t tcr_tg0(unsigned g)
{
    return g == 12 ? 0 : g == 16 ? 1 : 2;
}
static inline uint64_t tcr_tg1(unsigned g)
{
    return g == 12 ? 2 : g == 16 ? 3 : 1;
}

/* ---- helpers ---- */
static inline uint64_t ttbr_enc(uint64_t root, bool oa52)
{
    return (root & MASK64(48)) | (oa52 ? ((root >> 48) & 0xf) << 2 : 0);
}

typedef struct Trace {
    int n;
    MMUWalkStep steps[64];
} Trace;

static inline void trace_fn(void *opaque, const MMUWalkStep *st)
{
    Trace *t = opaque;
    if (t->n < 64) {
        t->steps[t->n] = *st;
    }
    t->n++;
}

/* EL1&0 stage 1 with the same format for TTBR0 and TTBR1. */
static inline void s1_el1(Env *e, const Fmt *f, uint64_t root0, uint64_t root1)
{
    CPUState *c = e->cpu;
    uint64_t tsz = 64 - f->ia_bits;
    bool oa52 = f->ds || f->lpa64;
    c->sr.TCR_ELx[1] = tsz | tcr_tg0(f->g) << 14 | tsz << 16 | tcr_tg1(f->g) << 30 | 6ULL << 32 |
                       BIT64(36) | (f->ds ? BIT64(59) : 0) | 3ULL << 12 | 3ULL << 28;
    c->sr.TTBR0_ELx[1] = ttbr_enc(root0, oa52);
    c->sr.TTBR1_ELx[1] = ttbr_enc(root1, oa52);
    c->sr.MAIR_ELx[1] = 0xffULL | 0x00ULL << 8 | 0x44ULL << 16;   /* WB, Device-nGnRnE, NC */
    c->sr.SCTLR_ELx[1] = 1;
    mmu_flush_soft_tlb(c);
}

/* Stage 2 via VTCR_EL2 / VTTBR_EL2 for EL1&0 (stage 1 left as configured). */
static inline void s2_setup(Env *e, const Fmt *f, uint64_t root, unsigned vmid)
{
    CPUState *c = e->cpu;
    unsigned sl0;
    bool sl2 = false;
    if (f->g == 12) {
        if (f->start == -1) {
            sl0 = 0;
            sl2 = true;
        } else {
            sl0 = (unsigned)(2 - f->start);
        }
    } else {
        sl0 = (unsigned)(3 - f->start);
    }
    c->sr.VTCR_EL2 = (64 - f->ia_bits) | (uint64_t)sl0 << 6 | 3ULL << 12 | tcr_tg0(f->g) << 14 |
                     6ULL << 16 | BIT64(19) | BIT64(31) | (f->ds ? BIT64(32) : 0) |
                     (sl2 ? BIT64(33) : 0);
    c->sr.VTTBR_EL2 = ttbr_enc(root, f->ds || f->lpa64) | (uint64_t)vmid << 48;
    c->sr.HCR_EL2 |= 1;   /* VM */
}

static inline bool tr(Env *e, uint64_t va, MMUAccessType acc, MMUIdx idx, MMUResult *r, MMUFault *f)
{
    memset(r, 0, sizeof(*r));
    memset(f, 0, sizeof(*f));
    return mmu_translate(e->cpu, va, acc, idx, r, f);
}


#endif
