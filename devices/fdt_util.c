/* libfdt helpers for the generated device tree (see fdt_util.h). */
#include "devices/fdt_util.h"

#include <stdio.h>
#include <libfdt.h>

int fdt_util_add_node_at(void *fdt, const char *name, uint64_t unit)
{
    char buf[96];
    snprintf(buf, sizeof(buf), "%s@%llx", name, (unsigned long long)unit);
    return fdt_add_subnode(fdt, 0, buf);
}

int fdt_util_set_reg(void *fdt, int node, uint64_t base, uint64_t size)
{
    fdt64_t cells[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
    return fdt_setprop(fdt, node, "reg", cells, sizeof(cells));
}

int fdt_util_set_irq(void *fdt, int node, unsigned type, unsigned num, unsigned flags)
{
    fdt32_t cells[3] = { cpu_to_fdt32(type), cpu_to_fdt32(num), cpu_to_fdt32(flags) };
    return fdt_setprop(fdt, node, "interrupts", cells, sizeof(cells));
}

uint32_t fdt_util_phandle(void *fdt, const char *path)
{
    int node = fdt_path_offset(fdt, path);
    if (node < 0) {
        return 0;
    }
    uint32_t ph = fdt_get_phandle(fdt, node);
    if (ph) {
        return ph;
    }
    if (fdt_generate_phandle(fdt, &ph) < 0 || fdt_setprop_u32(fdt, node, "phandle", ph) < 0) {
        return 0;
    }
    return ph;
}

int fdt_util_set_strings(void *fdt, int node, const char *prop, const char *const *list)
{
    char buf[256];
    size_t len = 0;
    for (; *list; list++) {
        size_t n = strlen(*list) + 1;
        if (len + n > sizeof(buf)) {
            return -FDT_ERR_NOSPACE;
        }
        memcpy(buf + len, *list, n);
        len += n;
    }
    return fdt_setprop(fdt, node, prop, buf, (int)len);
}
