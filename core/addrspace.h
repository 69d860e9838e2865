/*
 * The physical address space: a sorted list of non-overlapping regions, each
 * either RAM (a host buffer) or MMIO (a device's read/write callbacks).
 * Everything below the MMU talks in physical addresses ("pa").
 */
#ifndef TANDEM_CORE_ADDRSPACE_H
#define TANDEM_CORE_ADDRSPACE_H

#include "core/types.h"

/*
 * MMIO callbacks. size is 1, 2, 4 or 8 bytes. Returning false means the
 * device rejected the access (bad size, unmapped register in a strict device):
 * the CPU reports a synchronous external abort, as hardware would for a bus
 * error.
 */
typedef struct MMIOOps {
    bool (*read)(void *opaque, uint64_t offset, unsigned size, uint64_t *value);
    bool (*write)(void *opaque, uint64_t offset, unsigned size, uint64_t value);
} MMIOOps;

typedef struct MemRegion {
    const char *name;
    uint64_t base;
    uint64_t size;
    uint8_t *ram;           /* non-NULL for RAM and ROM */
    bool readonly;          /* ROM: writes are ignored (reported as guest_errors) */
    const MMIOOps *ops;     /* for MMIO */
    void *opaque;
} MemRegion;

typedef struct AddrSpace {
    MemRegion *regions;     /* sorted by base */
    size_t count;
    size_t capacity;
    const MemRegion *last;  /* last-hit cache */
    /*
     * Pages of RAM that hold decoded code: one bit per 4 KiB page of each RAM
     * region is kept by the CPU's block cache (see cpu/exec.c); writes from
     * devices (DMA) go through addrspace_write(), which calls code_written
     * for pages with translated code so the cache can drop them.
     */
    void (*code_written)(void *opaque, uint64_t pa, uint64_t len);
    void *code_written_opaque;
} AddrSpace;

void addrspace_init(AddrSpace *as);
void addrspace_destroy(AddrSpace *as);

/* Returns false (and adds nothing) if the region overlaps an existing one. */
bool addrspace_add_ram(AddrSpace *as, const char *name, uint64_t base, uint64_t size, uint8_t *host);
bool addrspace_add_rom(AddrSpace *as, const char *name, uint64_t base, uint64_t size, uint8_t *host);
bool addrspace_add_mmio(AddrSpace *as, const char *name, uint64_t base, uint64_t size,
                        const MMIOOps *ops, void *opaque);

/* The region holding pa, or NULL. */
const MemRegion *addrspace_find(AddrSpace *as, uint64_t pa);

/* Host pointer for [pa, pa+len) if it lies entirely inside one RAM region. */
uint8_t *addrspace_ram_ptr(AddrSpace *as, uint64_t pa, uint64_t len);

/*
 * Generic accessors (devices' DMA, loaders, the MMU's table walker, the
 * gdbstub). Little-endian values; size 1, 2, 4 or 8. False: nothing there or
 * the device refused.
 */
bool addrspace_read(AddrSpace *as, uint64_t pa, unsigned size, uint64_t *value);
bool addrspace_write(AddrSpace *as, uint64_t pa, unsigned size, uint64_t value);
/* Byte-buffer copies; false if any byte is not RAM/ROM. */
bool addrspace_read_buf(AddrSpace *as, uint64_t pa, void *buf, uint64_t len);
bool addrspace_write_buf(AddrSpace *as, uint64_t pa, const void *buf, uint64_t len);

#endif
