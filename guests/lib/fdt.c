/*
 * Read-only device-tree lookups for test guests (the flattened format of
 * the Devicetree Specification, chapter 5): find a property by node path.
 */
#include "guest.h"

#define FDT_MAGIC      0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9

uint32_t fdt_be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_be64(const void *p)
{
    return (uint64_t)fdt_be32(p) << 32 | fdt_be32((const uint8_t *)p + 4);
}

bool fdt_valid(const void *fdt)
{
    return fdt && fdt_be32(fdt) == FDT_MAGIC;
}

/* Does node name `name` match path component [comp, comp+len)? "memory" matches "memory@40000000". */
static bool name_matches(const char *name, const char *comp, size_t len)
{
    if (memcmp(name, comp, len) != 0) {
        return false;
    }
    bool comp_has_unit = false;
    for (size_t i = 0; i < len; i++) {
        comp_has_unit |= comp[i] == '@';
    }
    return name[len] == '\0' || (name[len] == '@' && !comp_has_unit);
}

const void *fdt_getprop_path(const void *fdt, const char *path, const char *prop, uint32_t *len)
{
    if (!fdt_valid(fdt) || path[0] != '/') {
        return NULL;
    }
    const uint8_t *base = fdt;
    const uint8_t *p = base + fdt_be32(base + 8);
    const char *strings = (const char *)base + fdt_be32(base + 12);
    const uint8_t *end = p + fdt_be32(base + 36);
    /* depth of the node being walked, and how many path components matched so far */
    int depth = 0, matched = 0;
    const char *rest = path + 1;      /* components still to match */
    const char *stack[16];
    while (p < end) {
        uint32_t tok = fdt_be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            p += (strlen(name) + 4) & ~3ul;
            depth++;
            if (depth == 1) {
                continue;             /* the root: "" */
            }
            if (matched == depth - 2 && *rest) {
                const char *slash = rest;
                while (*slash && *slash != '/') {
                    slash++;
                }
                if (name_matches(name, rest, (size_t)(slash - rest)) && matched < 16) {
                    stack[matched++] = rest;
                    rest = *slash ? slash + 1 : slash;
                }
            }
        } else if (tok == FDT_END_NODE) {
            if (matched > 0 && matched == depth - 1) {
                rest = stack[--matched];   /* leaving a matched node without finding the property */
            }
            depth--;
        } else if (tok == FDT_PROP) {
            uint32_t plen = fdt_be32(p), nameoff = fdt_be32(p + 4);
            const uint8_t *val = p + 8;
            p += 8 + ((plen + 3) & ~3u);
            if (!*rest && matched == depth - 1 && !strcmp(strings + nameoff, prop)) {
                if (len) {
                    *len = plen;
                }
                return val;
            }
        } else if (tok == FDT_NOP) {
            continue;
        } else {
            break;
        }
    }
    return NULL;
}
