/* ARM PrimeCell UART (PL011), as QEMU's virt board has it at 0x09000000. */
#ifndef TANDEM_DEVICES_PL011_H
#define TANDEM_DEVICES_PL011_H

#include "core/machine.h"
#include "devices/chardev.h"
#include "devices/device.h"

/* Create, map at base and reset a PL011 whose interrupt goes to irq (INTID
 * intid, for the device tree) and whose host side is chr (owned by the
 * UART from now on). NULL with *error if the MMIO range is taken. */
Device *pl011_create(Machine *m, uint64_t base, int intid, IRQLine irq, Chardev *chr, char **error);
/* Take host input now (also done periodically on the event queue). */
void pl011_poll(Device *dev);

#endif
