/* Physical address space: sorted regions, overlap rejected, last-hit cache. */
#include "core/addrspace.h"

#include <stdlib.h>

void addrspace_init(AddrSpace *as)
{
    memset(as, 0, sizeof(*as));
}

void addrspace_destroy(AddrSpace *as)
{
    free(as->regions);
    memset(as, 0, sizeof(*as));
}

static bool addrspace_insert(AddrSpace *as, const MemRegion *r)
{
    if (r->size == 0 || r->base + r->size - 1 < r->base) {
        return false;
    }
    size_t pos = 0;
    while (pos < as->count && as->regions[pos].base < r->base) {
        pos++;
    }
    /* Reject overlap with the neighbours on either side. */
    if (pos > 0) {
        const MemRegion *prev = &as->regions[pos - 1];
        if (prev->base + prev->size > r->base) {
            return false;
        }
    }
    if (pos < as->count && r->base + r->size > as->regions[pos].base) {
        return false;
    }
    if (as->count == as->capacity) {
        size_t cap = as->capacity ? as->capacity * 2 : 16;
        MemRegion *n = realloc(as->regions, cap * sizeof(*n));
        if (!n) {
            return false;
        }
        as->regions = n;
        as->capacity = cap;
    }
    memmove(&as->regions[pos + 1], &as->regions[pos], (as->count - pos) * sizeof(*r));
    as->regions[pos] = *r;
    as->count++;
    as->last = NULL;
    return true;
}

bool addrspace_add_ram(AddrSpace *as, const char *name, uint64_t base, uint64_t size, uint8_t *host)
{
    MemRegion r = { .name = name, .base = base, .size = size, .ram = host };
    return host && addrspace_insert(as, &r);
}

bool addrspace_add_rom(AddrSpace *as, const char *name, uint64_t base, uint64_t size, uint8_t *host)
{
    MemRegion r = { .name = name, .base = base, .size = size, .ram = host, .readonly = true };
    return host && addrspace_insert(as, &r);
}

bool addrspace_add_mmio(AddrSpace *as, const char *name, uint64_t base, uint64_t size,
                        const MMIOOps *ops, void *opaque)
{
    MemRegion r = { .name = name, .base = base, .size = size, .ops = ops, .opaque = opaque };
    return ops && addrspace_insert(as, &r);
}

const MemRegion *addrspace_find(AddrSpace *as, uint64_t pa)
{
    const MemRegion *last = as->last;
    if (last && pa - last->base < last->size) {
        return last;
    }
    size_t lo = 0, hi = as->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const MemRegion *r = &as->regions[mid];
        if (pa < r->base) {
            hi = mid;
        } else if (pa - r->base >= r->size) {
            lo = mid + 1;
        } else {
            as->last = r;
            return r;
        }
    }
    return NULL;
}

uint8_t *addrspace_ram_ptr(AddrSpace *as, uint64_t pa, uint64_t len)
{
    const MemRegion *r = addrspace_find(as, pa);
    if (!r || !r->ram || len > r->size || pa - r->base > r->size - len) {
        return NULL;
    }
    return r->ram + (pa - r->base);
}

bool addrspace_read(AddrSpace *as, uint64_t pa, unsigned size, uint64_t *value)
{
    const MemRegion *r = addrspace_find(as, pa);
    if (!r || pa - r->base > r->size - size) {
        return false;
    }
    if (r->ram) {
        uint64_t v = 0;
        memcpy(&v, r->ram + (pa - r->base), size);
        *value = v;
        return true;
    }
    return r->ops->read && r->ops->read(r->opaque, pa - r->base, size, value);
}

bool addrspace_write(AddrSpace *as, uint64_t pa, unsigned size, uint64_t value)
{
    const MemRegion *r = addrspace_find(as, pa);
    if (!r || pa - r->base > r->size - size) {
        return false;
    }
    if (r->ram) {
        if (!r->readonly) {
            memcpy(r->ram + (pa - r->base), &value, size);
            if (as->code_written) {
                as->code_written(as->code_written_opaque, pa, size);
            }
        }
        return true;
    }
    return r->ops->write && r->ops->write(r->opaque, pa - r->base, size, value);
}

bool addrspace_read_buf(AddrSpace *as, uint64_t pa, void *buf, uint64_t len)
{
    uint8_t *out = buf;
    while (len) {
        const MemRegion *r = addrspace_find(as, pa);
        if (!r || !r->ram) {
            return false;
        }
        uint64_t off = pa - r->base;
        uint64_t n = r->size - off < len ? r->size - off : len;
        memcpy(out, r->ram + off, n);
        out += n;
        pa += n;
        len -= n;
    }
    return true;
}

bool addrspace_write_buf(AddrSpace *as, uint64_t pa, const void *buf, uint64_t len)
{
    const uint8_t *in = buf;
    while (len) {
        const MemRegion *r = addrspace_find(as, pa);
        if (!r || !r->ram || r->readonly) {
            return false;
        }
        uint64_t off = pa - r->base;
        uint64_t n = r->size - off < len ? r->size - off : len;
        memcpy(r->ram + off, in, n);
        if (as->code_written) {
            as->code_written(as->code_written_opaque, pa, n);
        }
        in += n;
        pa += n;
        len -= n;
    }
    return true;
}
