/* Shared PrimeCell device-tree node (devices/primecell.h). */
#include "devices/primecell.h"

#include <stdio.h>

#include <libfdt.h>

#include "devices/fdt_util.h"

int primecell_fdt_node(Device *dev, void *fdt, const char *name, const char *const *compat,
                       const char *const *clock_names)
{
    int node = fdt_util_add_node_at(fdt, name, dev->base);
    if (node < 0) {
        return node;
    }
    char path[48];
    snprintf(path, sizeof(path), "/%s@%llx", name, (unsigned long long)dev->base);
    uint32_t clk = fdt_util_phandle(fdt, "/apb-pclk");
    node = fdt_path_offset(fdt, path);   /* offsets move when a phandle is added */
    fdt32_t clocks[4];
    int n_clocks = 0;
    for (const char *const *c = clock_names; *c && n_clocks < 4; c++) {
        clocks[n_clocks++] = cpu_to_fdt32(clk);
    }
    int err = node < 0 ? node : fdt_util_set_reg(fdt, node, dev->base, dev->size);
    err = err ? err : fdt_util_set_strings(fdt, node, "compatible", compat);
    err = err ? err : fdt_util_set_irq(fdt, node, FDT_IRQ_TYPE_SPI, (unsigned)dev->irq - 32, FDT_IRQ_LEVEL_HIGH);
    err = err ? err : fdt_setprop(fdt, node, "clocks", clocks, (int)(n_clocks * sizeof(clocks[0])));
    err = err ? err : fdt_util_set_strings(fdt, node, "clock-names", clock_names);
    return err ? err : node;
}
