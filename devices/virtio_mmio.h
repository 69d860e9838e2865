/*
 * virtio-mmio transports of the virt board: 32 slots of 0x200 bytes from
 * 0x0a000000, SPIs 16..47. A slot with no device behind it reads as
 * DeviceID 0 ("no device"), as on QEMU's virt, and the guest skips it.
 */
#ifndef TANDEM_DEVICES_VIRTIO_MMIO_H
#define TANDEM_DEVICES_VIRTIO_MMIO_H

#include "core/machine.h"
#include "devices/device.h"

/* Create slot n (0..VIRT_MMIO_COUNT-1), empty, interrupt to irq. */
Device *virtio_mmio_create(Machine *m, int slot, IRQLine irq, char **error);

#endif
