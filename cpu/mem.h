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

static inline bool cpu_load(CPUState *cpu, uint64_t va, unsigned size, uint64_t *value)
{
    CPUTLBEntry *e = cpu_tlb_entry(cpu, cpu->mmu_idx, va);
    if (likely(e->tag_read == (va & ~0xfffULL) && cpu_mem_in_page(va, size))) {
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
    if (likely(e->tag_write == (va & ~0xfffULL) && cpu_mem_in_page(va, size))) {
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

#endif
