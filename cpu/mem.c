/*
 * Guest memory access: the softmmu slow path behind cpu/mem.h, instruction
 * fetch, debug access, DC ZVA and the exclusive monitors.
 *
 * Softmmu TLB policy (what mem_tlb_fill installs for a 4 KiB page):
 *   - addend/tags only for pages whose PA page lies in one RAM/ROM region;
 *   - tag_read: Normal memory, readable, and the regime's SCTLR_ELx.A == 0;
 *   - tag_write: as tag_read, plus the translation was for a write (so the
 *     MMU has done any dirty-state update), writable, not ROM, not a code
 *     page (exec_is_code_page) and no other vCPU holds an exclusive
 *     reservation in the page;
 *   - tag_exec: executable, for fetches.
 * Device memory and SCTLR_ELx.A=1 therefore never use the fast path: the
 * inline cpu_load/cpu_store stay a compare and a copy, and every access that
 * needs an alignment check reaches this file. This relies on the softmmu TLB
 * being flushed (mmu_flush_soft_tlb) whenever SCTLR_ELx changes, which the
 * MMU needs anyway for M/WXN.
 *
 * For such RAM pages (e.g. everything while the MMU is off: data accesses are
 * Device-nGnRnE) the same read/write conditions install "checked" tags:
 * va_page | MEM_TAG_DEVICE or va_page | MEM_TAG_NORMAL. The inline fast path
 * (cpu_mem_tag_hit in cpu/mem.h) takes them only for naturally aligned
 * accesses, which can take no alignment fault; any other access reaches
 * mem_translate_piece, which reuses the cached translation (no MMU walk),
 * and mem_access does the alignment checks. Every soft-TLB invalidation (whole entry or by VA page,
 * which compares VA[55:12] only) and every write-tag drop clears them too.
 *
 * Only this file installs tags. Every write tag is recorded in
 * cpu->wtag_dir so one physical page's write tags can be dropped in every
 * vCPU (exclusive reservations, pages becoming code).
 */
#include "cpu/mem.h"

#include "core/machine.h"
#include "cpu/exception.h"
#include "cpu/exec.h"
#include "cpu/mem_watch.h"

#define MEM_PAGE_SIZE 0x1000ULL
#define MEM_PAGE_MASK (~0xfffULL)

/* Low bits of a "checked" tag (see the top of this file); CPU_TLB_INVALID_TAG is 1. */
#define MEM_TAG_DEVICE 2ULL
#define MEM_TAG_NORMAL 4ULL

/* SCTLR_ELx.A: alignment check enable (Arm ARM D17.2.118). */
#define SCTLR_A (1ULL << 1)

/* HCR_EL2 bits used for the unprivileged-access rules. */
#define HCR_TGE (1ULL << 27)
#define HCR_E2H (1ULL << 34)
#define HCR_NV (1ULL << 42)
#define HCR_NV1 (1ULL << 43)

/* One translated part of an access: never crosses a 4 KiB page. */
typedef struct MemPiece {
    uint64_t va, pa;
    unsigned len;
    uint8_t *host;   /* RAM (writable RAM for writes), or NULL: use addrspace */
    bool device;     /* Device memory type */
} MemPiece;

/* --- little-endian value <-> bytes (independent of host order) --- */

static uint64_t mem_le_get(const uint8_t *b, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)b[i] << (8 * i);
    }
    return v;
}

static void mem_le_put(uint8_t *b, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size; i++) {
        b[i] = (uint8_t)(v >> (8 * i));
    }
}

/* --- regime helpers --- */

/* The EL whose SCTLR controls the translation regime of an MMU index. */
static unsigned mem_regime_el(MMUIdx idx)
{
    switch (idx) {
    case MMU_IDX_E10_0:
    case MMU_IDX_E10_1:
    case MMU_IDX_E10_1_PAN:
        return 1;
    case MMU_IDX_E3:
        return 3;
    default:
        return 2;
    }
}

static bool mem_align_check_enabled(const CPUState *cpu, MMUIdx idx)
{
    return cpu->sr.SCTLR_ELx[mem_regime_el(idx)] & SCTLR_A;
}

/*
 * MMU index of an LDTR/STTR-family access (Arm ARM C6.2 LDTR, "unprivileged
 * access"): EL0 permissions when executed at EL1 (unless HCR_EL2.{NV,NV1} ==
 * {1,1} with FEAT_NV) or at EL2 with HCR_EL2.{E2H,TGE} == {1,1}; with
 * PSTATE.UAO == 1 the access is a normal one.
 */
static MMUIdx mem_unpriv_idx(const CPUState *cpu)
{
    uint64_t hcr = cpu->sr.HCR_EL2;
    if (cpu->uao) {
        return cpu->mmu_idx;
    }
    if (cpu->el == 1) {
        bool have_nv = extract64(cpu->id.ID_AA64MMFR2_EL1, 24, 4) != 0;
        bool have_el2 = extract64(cpu->id.ID_AA64PFR0_EL1, 8, 4) != 0;
        if (have_el2 && have_nv && (hcr & HCR_NV) && (hcr & HCR_NV1)) {
            return cpu->mmu_idx;
        }
        return MMU_IDX_E10_0;
    }
    if (cpu->el == 2 && (hcr & HCR_E2H) && (hcr & HCR_TGE)) {
        return MMU_IDX_E20_0;
    }
    return cpu->mmu_idx;
}

static MMUIdx mem_idx(const CPUState *cpu, unsigned flags)
{
    return (flags & MEMF_UNPRIV) ? mem_unpriv_idx(cpu) : cpu->mmu_idx;
}

/* Take the abort for a fault record, unless the access asked for no faults. */
static bool mem_raise(CPUState *cpu, const MMUFault *fault, uint64_t va, MMUAccessType access,
                      unsigned flags)
{
    if (!(flags & MEMF_NOFAULT)) {
        cpu_raise_abort(cpu, fault, va, access);
    }
    return false;
}

static bool mem_raise_simple(CPUState *cpu, MMUFaultType type, uint64_t va, MMUAccessType access,
                             unsigned flags)
{
    MMUFault fault = { .type = type, .level = 0, .write = access == MMU_ACCESS_WRITE };
    return mem_raise(cpu, &fault, va, access, flags);
}

/* --- exclusive monitors --- */

/* Exclusives reservation granule (CTR_EL0.ERG, log2 words; 0 = the 2 KiB maximum). */
static uint64_t mem_excl_granule(const CPUState *cpu)
{
    unsigned erg = (unsigned)extract64(cpu->id.CTR_EL0, 20, 4);
    if (erg == 0 || erg > 9) {
        erg = 9;
    }
    return 4ULL << erg;
}

/*
 * vCPU i holds a reservation: local monitor exclusive (CLREX, exception entry
 * and return set cpu->excl_addr = ~0 directly) and global monitor set.
 */
static bool mem_excl_global_valid(const Machine *m, int i)
{
    const CPUState *c = m->cpus[i];
    return c && c->excl_size != 0 && c->excl_addr != ~0ULL && m->excl_global[i] != ~0ULL;
}

/* True if a vCPU other than `self` holds a reservation in the physical page. */
static bool mem_excl_reserved_by_other(const Machine *m, int self, uint64_t pa_page)
{
    for (int i = 0; i < m->ncpus; i++) {
        if (i != self && mem_excl_global_valid(m, i) &&
            (m->excl_global[i] & MEM_PAGE_MASK) == pa_page) {
            return true;
        }
    }
    return false;
}

/*
 * A write to [pa, pa+len) by `self` (-1: not a vCPU) clears every other
 * vCPU's global monitor for an overlapping granule (Arm ARM B2.9.4). A vCPU's
 * own stores leave its monitors alone (docs/impdef.md).
 */
static void mem_excl_clear_others(Machine *m, int self, uint64_t pa, uint64_t len)
{
    for (int i = 0; i < m->ncpus; i++) {
        if (i == self || !mem_excl_global_valid(m, i)) {
            continue;
        }
        uint64_t g = m->excl_global[i];
        uint64_t gsize = mem_excl_granule(m->cpus[i]);
        if (pa < g + gsize && g < pa + len) {
            m->excl_global[i] = ~0ULL;
        }
    }
}

void cpu_excl_notify_write(Machine *m, uint64_t pa, uint64_t len)
{
    mem_excl_clear_others(m, -1, pa, len);
}

void cpu_excl_clear(CPUState *cpu)
{
    cpu->excl_addr = ~0ULL;
    cpu->excl_size = 0;
    cpu->excl_val[0] = cpu->excl_val[1] = 0;
    if (cpu->machine && cpu->cpu_index >= 0 && cpu->cpu_index < MACHINE_MAX_CPUS) {
        cpu->machine->excl_global[cpu->cpu_index] = ~0ULL;
    }
}

/* --- directory of fast write tags --- */

static unsigned mem_wtag_set(uint64_t pa_page)
{
    return (unsigned)(pa_page >> 12) & (CPU_WTAG_SETS - 1);
}

/* A write tag (fast or checked) that may rely on its directory record. */
static bool mem_wtag_live(const CPUTLBEntry *e, unsigned set)
{
    uint64_t low = e->tag_write & 0xfff;
    return (low == 0 || low == MEM_TAG_DEVICE || low == MEM_TAG_NORMAL) &&
           mem_wtag_set(e->pa_page) == set;
}

static void mem_wtag_record(CPUState *cpu, CPUTLBEntry *e, uint64_t pa_page)
{
    unsigned set = mem_wtag_set(pa_page);
    CPUTLBEntry **ways = cpu->wtag_dir[set];
    for (unsigned w = 0; w < CPU_WTAG_WAYS; w++) {
        if (ways[w] == e) {
            return;
        }
    }
    for (unsigned w = 0; w < CPU_WTAG_WAYS; w++) {
        if (!ways[w] || !mem_wtag_live(ways[w], set)) {
            ways[w] = e;
            return;
        }
    }
    /* Set full: the victim loses its fast write tag so no live tag goes unrecorded. */
    unsigned w = cpu->wtag_next[set]++ % CPU_WTAG_WAYS;
    ways[w]->tag_write = CPU_TLB_INVALID_TAG;
    ways[w] = e;
}

static void mem_drop_write_tags_except(Machine *m, int self, uint64_t pa_page)
{
    unsigned set = mem_wtag_set(pa_page);
    for (int i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpus[i];
        if (i == self || !c) {
            continue;
        }
        for (unsigned w = 0; w < CPU_WTAG_WAYS; w++) {
            CPUTLBEntry *e = c->wtag_dir[set][w];
            if (e && e->pa_page == pa_page) {
                e->tag_write = CPU_TLB_INVALID_TAG;
            }
        }
    }
}

void cpu_mem_drop_write_tags(Machine *m, uint64_t pa_page)
{
    mem_drop_write_tags_except(m, -1, pa_page & MEM_PAGE_MASK);
}

/* --- translation and TLB fill --- */

static void mem_tlb_fill(CPUState *cpu, MMUIdx idx, uint64_t va, MMUAccessType access,
                         const MMUResult *res, const MemRegion *r)
{
    Machine *m = cpu->machine;
    CPUTLBEntry *e = cpu_tlb_entry(cpu, idx, va);
    uint64_t va_page = va & MEM_PAGE_MASK;
    uint64_t pa_page = res->pa & MEM_PAGE_MASK;
    cpu->tlb_dirty |= 1u << idx;
    uint8_t *host = NULL;
    if (r && r->ram && pa_page >= r->base && pa_page - r->base <= r->size - MEM_PAGE_SIZE) {
        host = r->ram + (pa_page - r->base);
    }
    uintptr_t addend = host ? (uintptr_t)host - (uintptr_t)va_page : 0;
    bool same = e->pa_page == pa_page && e->addend == addend &&
                ((e->tag_read & MEM_PAGE_MASK) == va_page || (e->tag_write & MEM_PAGE_MASK) == va_page ||
                 (e->tag_exec & MEM_PAGE_MASK) == va_page);
    if (!same) {
        e->tag_read = e->tag_write = e->tag_exec = CPU_TLB_INVALID_TAG;
    }
    e->pa_page = pa_page;
    e->addend = addend;
    if (!host) {
        return;
    }
    if (access == MMU_ACCESS_FETCH) {
        if (res->executable) {
            e->tag_exec = va_page;
        }
        return;
    }
    if (mem_watch_page(cpu, va)) {
        return;   /* every access to a watched page goes through mem_watch_check */
    }
    /* Pages that need alignment checks get checked tags (slow path, no walk). */
    uint64_t tag = va_page;
    if (res->device) {
        tag |= MEM_TAG_DEVICE;
    } else if (mem_align_check_enabled(cpu, idx)) {
        tag |= MEM_TAG_NORMAL;
    }
    if (res->readable) {
        e->tag_read = tag;
    }
    if (access == MMU_ACCESS_WRITE && res->writable && !r->readonly &&
        !exec_is_code_page(m, pa_page) && !mem_excl_reserved_by_other(m, cpu->cpu_index, pa_page)) {
        e->tag_write = tag;
        mem_wtag_record(cpu, e, pa_page);
    }
}

/* Host pointer for a piece if it is RAM (and writable RAM for a write). */
static uint8_t *mem_host_for(const MemRegion *r, uint64_t pa, unsigned len, MMUAccessType access)
{
    if (!r || !r->ram || (access == MMU_ACCESS_WRITE && r->readonly) ||
        pa - r->base > r->size || r->size - (pa - r->base) < len) {
        return NULL;
    }
    return r->ram + (pa - r->base);
}

/* Translate one piece (inside a page) for access and fill the softmmu entry. False: *fault says why. */
static bool mem_translate_piece(CPUState *cpu, MMUIdx idx, uint64_t va, unsigned len,
                                MMUAccessType access, MemPiece *p, MMUFault *fault)
{
    CPUTLBEntry *e = cpu_tlb_entry(cpu, idx, va);
    uint64_t va_page = va & MEM_PAGE_MASK;
    uint64_t tag = access == MMU_ACCESS_READ ? e->tag_read
                 : access == MMU_ACCESS_WRITE ? e->tag_write : e->tag_exec;
    p->va = va;
    p->len = len;
    if (tag == va_page || tag == (va_page | MEM_TAG_NORMAL) || tag == (va_page | MEM_TAG_DEVICE)) {
        p->pa = e->pa_page | (va & 0xfff);
        p->host = (uint8_t *)(uintptr_t)(va + e->addend);
        p->device = tag == (va_page | MEM_TAG_DEVICE);
        return true;
    }
    MMUResult res;
    memset(fault, 0, sizeof(*fault));
    if (!mmu_translate(cpu, va, access, idx, &res, fault)) {
        return false;
    }
    p->pa = (res.pa & MEM_PAGE_MASK) | (va & 0xfff);
    p->device = res.device;
    const MemRegion *r = addrspace_find(&cpu->machine->as, p->pa);
    p->host = mem_host_for(r, p->pa, len, access);
    mem_tlb_fill(cpu, idx, va, access, &res, r);
    return true;
}

/*
 * Alignment checks made before translation (AArch64.CheckAlignment):
 * MEMF_ALIGN to the whole access, SCTLR_ELx.A to the element size.
 */
static bool mem_misaligned(const CPUState *cpu, MMUIdx idx, uint64_t va, unsigned len,
                           unsigned elem, unsigned flags)
{
    if ((flags & MEMF_ALIGN) && (va & (len - 1))) {
        return true;
    }
    return mem_align_check_enabled(cpu, idx) && (va & (elem - 1));
}

/* --- performing the accesses of a translated piece --- */

/* Device access size at offset `off` of the access (elements of `elem` bytes). */
static unsigned mem_mmio_chunk(uint64_t pa, unsigned off, unsigned remain, unsigned elem)
{
    unsigned s = elem > 8 ? 8 : elem;
    while (s > 1 && ((pa & (s - 1)) || (off & (s - 1)) || remain < s)) {
        s >>= 1;
    }
    return s;
}

/* off: offset of the piece inside the whole access (for element boundaries). */
static bool mem_piece_read(CPUState *cpu, const MemPiece *p, uint8_t *buf, unsigned off,
                           unsigned elem, unsigned flags)
{
    if (p->host) {
        memcpy(buf, p->host, p->len);
        return true;
    }
    for (unsigned i = 0; i < p->len;) {
        unsigned s = mem_mmio_chunk(p->pa + i, off + i, p->len - i, elem);
        uint64_t v;
        if (!addrspace_read(&cpu->machine->as, p->pa + i, s, &v)) {
            return mem_raise_simple(cpu, MMU_FAULT_SYNC_EXTERNAL, p->va + i, MMU_ACCESS_READ, flags);
        }
        mem_le_put(buf + i, s, v);
        i += s;
    }
    return true;
}

static bool mem_piece_write(CPUState *cpu, const MemPiece *p, const uint8_t *buf, unsigned off,
                            unsigned elem, unsigned flags)
{
    Machine *m = cpu->machine;
    mem_excl_clear_others(m, cpu->cpu_index, p->pa, p->len);
    if (p->host) {
        memcpy(p->host, buf, p->len);
        if (exec_is_code_page(m, p->pa & MEM_PAGE_MASK)) {
            exec_notify_write(m, p->pa, p->len);
        }
        return true;
    }
    for (unsigned i = 0; i < p->len;) {
        unsigned s = mem_mmio_chunk(p->pa + i, off + i, p->len - i, elem);
        if (!addrspace_write(&m->as, p->pa + i, s, mem_le_get(buf + i, s))) {
            return mem_raise_simple(cpu, MMU_FAULT_SYNC_EXTERNAL, p->va + i, MMU_ACCESS_WRITE, flags);
        }
        i += s;
    }
    return true;
}

/*
 * The general access: alignment checks, translate every page touched (so a
 * fault on either page of a crossing access changes nothing), Device-memory
 * alignment, then the data movement.
 */
static bool mem_access(CPUState *cpu, uint64_t va, uint8_t *buf, unsigned len, unsigned elem,
                       MMUAccessType access, unsigned flags)
{
    if (len == 0) {
        return true;
    }
    if (elem == 0 || elem > len) {
        elem = len;
    }
    MMUIdx idx = mem_idx(cpu, flags);
    if (mem_misaligned(cpu, idx, va, len, elem, flags)) {
        return mem_raise_simple(cpu, MMU_FAULT_ALIGNMENT, va, access, flags);
    }
    MemPiece p[2];
    MMUFault fault;
    unsigned first = (unsigned)(MEM_PAGE_SIZE - (va & 0xfff));
    unsigned n = 1;
    if (first >= len) {
        first = len;
    } else {
        n = 2;
    }
    if (!mem_translate_piece(cpu, idx, va, first, access, &p[0], &fault)) {
        return mem_raise(cpu, &fault, va, access, flags);
    }
    if (n == 2 && !mem_translate_piece(cpu, idx, va + first, len - first, access, &p[1], &fault)) {
        return mem_raise(cpu, &fault, va + first, access, flags);
    }
    /* Unaligned accesses to Device memory always fault (AArch64.CheckAlignment). */
    if ((va & (elem - 1)) && (p[0].device || (n == 2 && p[1].device))) {
        return mem_raise_simple(cpu, MMU_FAULT_ALIGNMENT, va, access, flags);
    }
    bool write = access == MMU_ACCESS_WRITE;
    if (!mem_watch_check(cpu, va, len, !write, write, idx != cpu->mmu_idx, false, !(flags & MEMF_NOFAULT))) {
        return false;
    }
    for (unsigned i = 0, off = 0; i < n; off += p[i].len, i++) {
        bool ok = access == MMU_ACCESS_WRITE ? mem_piece_write(cpu, &p[i], buf + off, off, elem, flags)
                                             : mem_piece_read(cpu, &p[i], buf + off, off, elem, flags);
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* --- cpu/mem.h entry points --- */

bool cpu_mem_slow(CPUState *cpu, uint64_t va, unsigned size, MMUAccessType access,
                  uint64_t *value, unsigned flags)
{
    uint8_t b[8];
    if (size > 8) {
        size = 8;
    }
    if (access == MMU_ACCESS_WRITE) {
        mem_le_put(b, size, *value);
        return mem_access(cpu, va, b, size, size, MMU_ACCESS_WRITE, flags);
    }
    if (!mem_access(cpu, va, b, size, size, MMU_ACCESS_READ, flags)) {
        return false;
    }
    *value = mem_le_get(b, size);
    return true;
}

bool cpu_load_flags(CPUState *cpu, uint64_t va, unsigned size, uint64_t *value, unsigned flags)
{
    return cpu_mem_slow(cpu, va, size, MMU_ACCESS_READ, value, flags);
}

bool cpu_store_flags(CPUState *cpu, uint64_t va, unsigned size, uint64_t value, unsigned flags)
{
    return cpu_mem_slow(cpu, va, size, MMU_ACCESS_WRITE, &value, flags);
}

/* Tag test for a whole in-page multi-element access: as cpu_mem_tag_hit, per element. */
static inline bool mem_buf_tag_hit(uint64_t tag, uint64_t va, unsigned elem)
{
    uint64_t t = tag ^ (va & MEM_PAGE_MASK);
    return t == 0 || ((t == MEM_TAG_DEVICE || t == MEM_TAG_NORMAL) && elem && !(va & (elem - 1)));
}

bool cpu_load_buf(CPUState *cpu, uint64_t va, void *buf, unsigned len, unsigned elem, unsigned flags)
{
    /* Fast path: one page, and a fast tag or a checked one with aligned elements. */
    if (!(flags & (MEMF_ALIGN | MEMF_UNPRIV)) && cpu_mem_in_page(va, len)) {
        CPUTLBEntry *e = cpu_tlb_entry(cpu, cpu->mmu_idx, va);
        if (mem_buf_tag_hit(e->tag_read, va, elem)) {
            memcpy(buf, (const void *)(uintptr_t)(va + e->addend), len);
            return true;
        }
    }
    if (len > MEM_PAGE_SIZE) {
        return false;
    }
    return mem_access(cpu, va, buf, len, elem, MMU_ACCESS_READ, flags);
}

bool cpu_store_buf(CPUState *cpu, uint64_t va, const void *buf, unsigned len, unsigned elem,
                   unsigned flags)
{
    if (!(flags & (MEMF_ALIGN | MEMF_UNPRIV)) && cpu_mem_in_page(va, len)) {
        CPUTLBEntry *e = cpu_tlb_entry(cpu, cpu->mmu_idx, va);
        if (mem_buf_tag_hit(e->tag_write, va, elem)) {
            memcpy((void *)(uintptr_t)(va + e->addend), buf, len);
            return true;
        }
    }
    if (len > MEM_PAGE_SIZE) {
        return false;
    }
    /* mem_access does not modify the buffer for writes. */
    return mem_access(cpu, va, (uint8_t *)(uintptr_t)buf, len, elem, MMU_ACCESS_WRITE, flags);
}

bool cpu_mem_ref(CPUState *cpu, uint64_t va, unsigned len, MMUAccessType access, unsigned flags,
                 MemRef *ref)
{
    /*
     * An atomic read-modify-write reports a fault with WnR = 0 when a read
     * of the location would have generated it, WnR = 1 otherwise (ESR_ELx
     * WnR for atomic instructions): check as a read first, then as a write.
     */
    bool rmw = (flags & MEMF_RMW) && access == MMU_ACCESS_WRITE;
    MMUAccessType first = rmw ? MMU_ACCESS_READ : access;
    MMUIdx idx = mem_idx(cpu, flags);
    if (mem_misaligned(cpu, idx, va, len, len, flags) || !cpu_mem_in_page(va, len)) {
        return mem_raise_simple(cpu, MMU_FAULT_ALIGNMENT, va, first, flags);
    }
    MemPiece p;
    MMUFault fault;
    if (!mem_translate_piece(cpu, idx, va, len, first, &p, &fault)) {
        return mem_raise(cpu, &fault, va, first, flags);
    }
    if (p.device && (va & (len - 1))) {
        return mem_raise_simple(cpu, MMU_FAULT_ALIGNMENT, va, first, flags);
    }
    if (rmw && !mem_translate_piece(cpu, idx, va, len, MMU_ACCESS_WRITE, &p, &fault)) {
        return mem_raise(cpu, &fault, va, MMU_ACCESS_WRITE, flags);
    }
    bool write = access == MMU_ACCESS_WRITE;
    if (!mem_watch_check(cpu, va, len, !write || rmw, write, idx != cpu->mmu_idx, false,
                         !(flags & MEMF_NOFAULT))) {
        return false;
    }
    ref->va = va;
    ref->pa = p.pa;
    ref->host = p.host;
    ref->len = len;
    ref->access = access;
    return true;
}

bool cpu_mem_ref_read(CPUState *cpu, const MemRef *ref, void *buf)
{
    MemPiece p = { .va = ref->va, .pa = ref->pa, .len = ref->len, .host = ref->host };
    return mem_piece_read(cpu, &p, buf, 0, ref->len, 0);
}

bool cpu_mem_ref_write(CPUState *cpu, const MemRef *ref, const void *buf)
{
    MemPiece p = { .va = ref->va, .pa = ref->pa, .len = ref->len,
                   .host = ref->access == MMU_ACCESS_WRITE ? ref->host : NULL };
    return mem_piece_write(cpu, &p, buf, 0, ref->len, 0);
}

/* --- exclusives (Arm ARM AArch64.SetExclusiveMonitors / ExclusiveMonitorsPass) --- */

bool cpu_excl_load(CPUState *cpu, uint64_t va, void *buf, unsigned len, unsigned elem)
{
    MemRef ref;
    if (!cpu_mem_ref(cpu, va, len, MMU_ACCESS_READ, MEMF_ALIGN, &ref) ||
        !cpu_mem_ref_read(cpu, &ref, buf)) {
        return false;
    }
    Machine *m = cpu->machine;
    uint64_t granule = mem_excl_granule(cpu);
    cpu->excl_addr = ref.pa;
    cpu->excl_size = len;
    if (cpu->cpu_index >= 0 && cpu->cpu_index < MACHINE_MAX_CPUS) {
        m->excl_global[cpu->cpu_index] = ref.pa & ~(granule - 1);
    }
    /* Other vCPUs' stores to this page must now reach mem_piece_write. */
    if (m->ncpus > 1) {
        mem_drop_write_tags_except(m, cpu->cpu_index, ref.pa & MEM_PAGE_MASK);
    }
    return true;
}

bool cpu_excl_store(CPUState *cpu, uint64_t va, const void *buf, unsigned len, unsigned elem,
                    uint32_t *status)
{
    /*
     * Tandem detects aborts before checking the monitors (an IMPLEMENTATION
     * DEFINED order in AArch64.ExclusiveMonitorsPass): the alignment check,
     * then the translation, then local and global monitors.
     */
    MemRef ref;
    if (!cpu_mem_ref(cpu, va, len, MMU_ACCESS_WRITE, MEMF_ALIGN, &ref)) {
        return false;
    }
    Machine *m = cpu->machine;
    int self = cpu->cpu_index;
    uint64_t granule = mem_excl_granule(cpu);
    bool pass = cpu->excl_size == len && cpu->excl_addr == ref.pa &&
                self >= 0 && self < MACHINE_MAX_CPUS &&
                m->excl_global[self] == (ref.pa & ~(granule - 1));
    cpu_excl_clear(cpu);
    *status = pass ? 0 : 1;
    if (!pass) {
        return true;
    }
    return cpu_mem_ref_write(cpu, &ref, buf);
}

/* --- DC ZVA --- */

bool cpu_dc_zva(CPUState *cpu, uint64_t va)
{
    static const uint8_t zeros[2048];
    unsigned bs = (unsigned)extract64(cpu->id.DCZID_EL0, 0, 4);
    if (bs > 9) {
        bs = 9;
    }
    unsigned block = 4u << bs;
    uint64_t va_block = va & ~(uint64_t)(block - 1);
    MemPiece p;
    MMUFault fault;
    /* FAR reports the address in the register, not the aligned block (docs/impdef.md). */
    if (!mem_translate_piece(cpu, cpu->mmu_idx, va_block, block, MMU_ACCESS_WRITE, &p, &fault)) {
        return mem_raise(cpu, &fault, va, MMU_ACCESS_WRITE, 0);
    }
    if (p.device) {
        /* DC ZVA to any type of Device memory: Alignment fault (Arm ARM C5.3.x DC ZVA). */
        return mem_raise_simple(cpu, MMU_FAULT_ALIGNMENT, va, MMU_ACCESS_WRITE, 0);
    }
    if (!mem_watch_check(cpu, va_block, block, false, true, false, false, true)) {
        return false;
    }
    return mem_piece_write(cpu, &p, zeros, 0, 8, 0);
}

/* --- instruction fetch --- */

bool cpu_fetch_insn(CPUState *cpu, uint64_t va, uint32_t *insn, uint64_t *pa)
{
    MemPiece p;
    MMUFault fault;
    if (!mem_translate_piece(cpu, cpu->mmu_idx, va, 4, MMU_ACCESS_FETCH, &p, &fault)) {
        cpu_raise_abort(cpu, &fault, va, MMU_ACCESS_FETCH);
        return false;
    }
    if (!p.host) {
        /* Only RAM/ROM holds instructions: fetching from a device is an external abort. */
        MMUFault sea = { .type = MMU_FAULT_SYNC_EXTERNAL };
        cpu_raise_abort(cpu, &sea, va, MMU_ACCESS_FETCH);
        return false;
    }
    *insn = (uint32_t)mem_le_get(p.host, 4);
    *pa = p.pa;
    return true;
}

/* --- debug access --- */

/*
 * Debug accesses translate at the current mmu_idx with read (or fetch)
 * permission through mmu_walk_debug (no TLB fill, no AF/dirty update, no
 * exception) and then touch RAM/ROM directly: a debugger may write
 * breakpoints into read-only code. MMIO is never touched (side effects).
 */
static bool mem_debug_translate(CPUState *cpu, uint64_t va, uint64_t *pa)
{
    MMUResult res;
    MMUFault fault;
    if (!mmu_walk_debug(cpu, va, cpu->mmu_idx, MMU_ACCESS_READ, NULL, NULL, &res, &fault) &&
        !mmu_walk_debug(cpu, va, cpu->mmu_idx, MMU_ACCESS_FETCH, NULL, NULL, &res, &fault)) {
        return false;
    }
    *pa = (res.pa & MEM_PAGE_MASK) | (va & 0xfff);
    return true;
}

static bool mem_debug_rw(CPUState *cpu, uint64_t va, uint8_t *buf, size_t len, bool write)
{
    Machine *m = cpu->machine;
    while (len) {
        uint64_t pa;
        size_t n = MEM_PAGE_SIZE - (va & 0xfff);
        if (n > len) {
            n = len;
        }
        if (!mem_debug_translate(cpu, va, &pa)) {
            return false;
        }
        const MemRegion *r = addrspace_find(&m->as, pa);
        if (!r || !r->ram || pa - r->base > r->size || r->size - (pa - r->base) < n) {
            return false;
        }
        uint8_t *host = r->ram + (pa - r->base);
        if (write) {
            memcpy(host, buf, n);
            mem_excl_clear_others(m, -1, pa, n);
            if (exec_is_code_page(m, pa & MEM_PAGE_MASK)) {
                exec_notify_write(m, pa, n);
            }
        } else {
            memcpy(buf, host, n);
        }
        va += n;
        buf += n;
        len -= n;
    }
    return true;
}

bool cpu_debug_read(CPUState *cpu, uint64_t va, void *buf, size_t len)
{
    return mem_debug_rw(cpu, va, buf, len, false);
}

bool cpu_debug_write(CPUState *cpu, uint64_t va, const void *buf, size_t len)
{
    return mem_debug_rw(cpu, va, (uint8_t *)(uintptr_t)buf, len, true);
}
