/* ARM PrimeCell real-time clock (PL031), at 0x09010000 on the virt board. */
#ifndef TANDEM_DEVICES_PL031_H
#define TANDEM_DEVICES_PL031_H

#include "core/machine.h"
#include "devices/device.h"

/* Create, map at base and reset a PL031 raising irq (INTID intid). */
Device *pl031_create(Machine *m, uint64_t base, int intid, IRQLine irq, char **error);

#endif
