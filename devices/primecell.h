/*
 * What the ARM PrimeCell peripherals (PL011 UART, PL031 RTC) share: the
 * identification block (PeriphID0-3, PCellID0-3, one byte per word at
 * 0xfe0..0xffc, as each TRM's "Peripheral and PrimeCell Identification
 * Registers" section lays out) and the device-tree node form QEMU's virt
 * board gives them ("arm,<part>", "arm,primecell", clocked by /apb-pclk).
 */
#ifndef TANDEM_DEVICES_PRIMECELL_H
#define TANDEM_DEVICES_PRIMECELL_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"

#define PRIMECELL_ID_OFFSET 0xfe0

/*
 * If the word-aligned register offset reg lies in the ID block, set *value to
 * its byte of id (PeriphID0-3 then PCellID0-3) and return true.
 */
static inline bool primecell_read_id(const uint8_t id[8], uint64_t reg, uint32_t *value)
{
    if (reg < PRIMECELL_ID_OFFSET || reg >= 0x1000) {
        return false;
    }
    *value = id[(reg - PRIMECELL_ID_OFFSET) >> 2];
    return true;
}

/*
 * Add the node "/<name>@<base>" for dev: reg, compatible (the NULL-ended
 * compat list), a level-high SPI interrupt, and one /apb-pclk phandle in
 * "clocks" per entry of the NULL-ended clock_names. Returns the node offset
 * or a negative libfdt error.
 */
int primecell_fdt_node(Device *dev, void *fdt, const char *name, const char *const *compat,
                       const char *const *clock_names);

#endif
