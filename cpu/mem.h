/*
 * Guest virtual memory access for instruction handlers.
 *
 * Fast path: the softmmu TLB entry for the page holds a host addend; a hit is
 * a compare and a load/store. Anything else (miss, page crossing, MMIO,
 * watchpoint, alignment fault) goes to cpu_mem_slow() in cpu/mem.c, which
 * walks the MMU, fills the entry and, on a fault, takes the data abort.
 *
 * All return true on success; false means an exception was taken and the
 * handler must return EXEC_EXCEPTION. Values are little-endian (Tandem
 * implements no big-endian data: ID_AA64MMFR0_EL1.BigEnd = 0).
 */
#ifndef TANDEM_CPU_MEM_H
#define TANDEM_CPU_MEM_H

#include "cpu/cpu.h"
#include "mmu/mmu.h"

/* Flags for cpu_mem_slow / the *_flags variants. */
enum {
    MEMF_ALIGN = 1u << 0,      /* alignment must be checked (exclusives, atomics, acquire/release) */
    MEMF_UNPRIV = 1u << 1,     /* LDTR/STTR: access as EL0 */
    MEMF_NOFAULT = 1u << 2,    /* first-fault/no-fault (SVE): report failure, take no exception */
    MEMF_RMW = 1u << 3,        /* cpu_mem_ref WRITE: also needs read permission (atomics) */
};

bool cpu_mem_slow(CPUState *cpu, uint64_t va, unsigned size, MMUAccessType access,
                  uint64_t *value, unsigned flags);

static inline CPUTLBEntry *cpu_tlb_entry(CPUState *cpu, MMUIdx idx, uint64_t va)
{
    return &cpu->tlb[idx][(va >> 12) & (CPU_TLB_SIZE - 1)];
}

/* True if [va, va+size) stays within one 4 KiB page. */
static inline bool cpu_mem_in_page(uint64_t va, unsigned size)
{
    return (va & 0xfff) <= 0x1000 - size;
}

/*
 * Fast-path test of a read/write tag (cpu/mem.c installs them): the tag is
 * the page VA for Normal memory with SCTLR_ELx.A = 0 (any access inside the
 * page), or the page VA | 2 (Device memory) or | 4 (SCTLR_ELx.A = 1): then
 * only naturally aligned accesses, which can take no alignment fault, are
 * fast. Everything else (invalid tag = 1, other page) is the slow path.
 */
static inline bool cpu_mem_tag_hit(uint64_t tag, uint64_t va, unsigned size)
{
    uint64_t t = tag ^ (va & ~0xfffULL);
    return t <= 6 && !(t & 1) && (!(va & (size - 1)) || (t == 0 && cpu_mem_in_page(va, size)));
}

static inline bool cpu_load(CPUState *cpu, uint64_t va, unsigned size, uint64_t *value)
{
    CPUTLBEntry *e = cpu_tlb_entry(cpu, cpu->mmu_idx, va);
    if (likely(cpu_mem_tag_hit(e->tag_read, va, size))) {
        const uint8_t *host = (const uint8_t *)(uintptr_t)(va + e->addend);
        switch (size) {
        case 1: *value = *host; return true;
        case 2: { uint16_t v; memcpy(&v, host, 2); *value = v; return true; }
        case 4: { uint32_t v; memcpy(&v, host, 4); *value = v; return true; }
        default: { uint64_t v; memcpy(&v, host, 8); *value = v; return true; }
        }
    }
    return cpu_mem_slow(cpu, va, size, MMU_ACCESS_READ, value, 0);
}

static inline bool cpu_store(CPUState *cpu, uint64_t va, unsigned size, uint64_t value)
{
    CPUTLBEntry *e = cpu_tlb_entry(cpu, cpu->mmu_idx, va);
    if (likely(cpu_mem_tag_hit(e->tag_write, va, size))) {
        uint8_t *host = (uint8_t *)(uintptr_t)(va + e->addend);
        switch (size) {
        case 1: *host = (uint8_t)value; return true;
        case 2: { uint16_t v = (uint16_t)value; memcpy(host, &v, 2); return true; }
        case 4: { uint32_t v = (uint32_t)value; memcpy(host, &v, 4); return true; }
        default: memcpy(host, &value, 8); return true;
        }
    }
    return cpu_mem_slow(cpu, va, size, MMU_ACCESS_WRITE, &value, 0);
}

/* Loads/stores with extra checks (alignment, unprivileged): always the slow path's rules. */
bool cpu_load_flags(CPUState *cpu, uint64_t va, unsigned size, uint64_t *value, unsigned flags);
bool cpu_store_flags(CPUState *cpu, uint64_t va, unsigned size, uint64_t value, unsigned flags);

/* Instruction fetch for the block builder: fills *insn and *pa, or takes the abort. */
bool cpu_fetch_insn(CPUState *cpu, uint64_t va, uint32_t *insn, uint64_t *pa);

/*
 * Debug access (gdbstub, tracing): translate/read without side effects and
 * without raising exceptions.
 */
bool cpu_debug_read(CPUState *cpu, uint64_t va, void *buf, size_t len);
bool cpu_debug_write(CPUState *cpu, uint64_t va, const void *buf, size_t len);

/*
 * Multi-element accesses (pairs, Q registers, structure loads): len bytes
 * (at most 4096) made of len/elem contiguous elements of elem bytes (1, 2, 4,
 * 8 or 16; the single-copy-atomic unit used for alignment checks and device
 * accesses). Every page touched is translated before any byte moves, so a
 * fault on either page of a page-crossing access leaves registers and memory
 * untouched (except when a device refuses a later element: docs/impdef.md).
 * MEMF_ALIGN checks alignment to len (exclusive pairs, CASP); SCTLR_ELx.A
 * and Device memory check alignment to elem.
 */
bool cpu_load_buf(CPUState *cpu, uint64_t va, void *buf, unsigned len, unsigned elem, unsigned flags);
bool cpu_store_buf(CPUState *cpu, uint64_t va, const void *buf, unsigned len, unsigned elem,
                   unsigned flags);

/*
 * A translated, aligned location inside one page, for read-modify-write
 * (atomics) and exclusives: translate once, then read and/or write it.
 * cpu_mem_ref() takes the abort and returns false on a fault; with
 * MEMF_RMW (and access == MMU_ACCESS_WRITE) it checks read permission too.
 * [va, va+len) must not cross a page (callers pass MEMF_ALIGN).
 */
typedef struct MemRef {
    uint64_t va, pa;
    uint8_t *host;       /* RAM (writable for WRITE refs), or NULL: goes through addrspace */
    unsigned len;
    MMUAccessType access;
} MemRef;
bool cpu_mem_ref(CPUState *cpu, uint64_t va, unsigned len, MMUAccessType access, unsigned flags,
                 MemRef *ref);
bool cpu_mem_ref_read(CPUState *cpu, const MemRef *ref, void *buf);
bool cpu_mem_ref_write(CPUState *cpu, const MemRef *ref, const void *buf);

/*
 * DC ZVA: zero the DCZID_EL0.BS-sized block holding va (aligned down) with
 * a write's permission checks; Device memory gives an alignment fault. The
 * caller (the sysreg table) has done the DZE/DZP/trap checks. False: the
 * abort was taken.
 */
bool cpu_dc_zva(CPUState *cpu, uint64_t va);

/*
 * Exclusive monitors (Arm ARM B2.9). The local monitor is cpu->excl_*; the
 * global one is Machine.excl_global[cpu_index], the reserved granule's PA
 * (CTR_EL0.ERG sized) or ~0. Any store that reaches memory through cpu/mem.c
 * (or a DMA write reported with cpu_excl_notify_write) into a granule another
 * vCPU reserved clears that vCPU's reservation: fast write tags are never
 * installed for a page another vCPU holds a reservation in, and taking a
 * reservation drops every other vCPU's fast write tags for that page.
 */
void cpu_excl_clear(CPUState *cpu);     /* ClearExclusiveLocal: CLREX, exception return, reset */
bool cpu_excl_load(CPUState *cpu, uint64_t va, void *buf, unsigned len, unsigned elem);
/* *status = 0 when the store happened, 1 when the monitors failed it (Ws of STXR). */
bool cpu_excl_store(CPUState *cpu, uint64_t va, const void *buf, unsigned len, unsigned elem,
                    uint32_t *status);
/* A write not made by a vCPU (DMA, loader) to [pa, pa+len): clears reservations on it. */
void cpu_excl_notify_write(struct Machine *m, uint64_t pa, uint64_t len);

/*
 * Drop every vCPU's fast write tags for a physical page (e.g. when the page
 * becomes a code page: the next store reaches cpu_mem_slow and
 * exec_notify_write).
 */
void cpu_mem_drop_write_tags(struct Machine *m, uint64_t pa_page);

#endif
