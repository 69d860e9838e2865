/* Small helpers for building the device tree with libfdt (sequential-write
 * API is not used: nodes are added to an open tree in any order). */
#ifndef TANDEM_DEVICES_FDT_UTIL_H
#define TANDEM_DEVICES_FDT_UTIL_H

#include "core/types.h"

/* Add "name@unit" (unit in hex) under the root; returns its offset or <0. */
int fdt_util_add_node_at(void *fdt, const char *name, uint64_t unit);
/* reg = <base size> with #address-cells = #size-cells = 2. */
int fdt_util_set_reg(void *fdt, int node, uint64_t base, uint64_t size);
/* interrupts = <type num flags> (type 0 SPI, 1 PPI), GICv3 3-cell form. */
int fdt_util_set_irq(void *fdt, int node, unsigned type, unsigned num, unsigned flags);
/* Phandle of the node at path (creating one if it has none), or 0. */
uint32_t fdt_util_phandle(void *fdt, const char *path);
/* A NUL-separated string list property from a NULL-terminated array. */
int fdt_util_set_strings(void *fdt, int node, const char *prop, const char *const *list);

#define FDT_IRQ_TYPE_SPI 0
#define FDT_IRQ_TYPE_PPI 1
#define FDT_IRQ_EDGE_RISING 1
#define FDT_IRQ_LEVEL_HIGH 4

#endif
