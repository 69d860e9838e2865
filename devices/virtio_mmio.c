/*
 * virtio-mmio transport (virtio 1.x spec 4.2.2, legacy layout as QEMU 7.2's
 * virt defaults to: Version = 1). Only the empty transport exists so far:
 * MagicValue, Version, DeviceID = 0 (no device) and VendorID are readable,
 * every other register reads as zero and ignores writes, which is how the
 * virtio specification says a driver finds an empty slot (4.2.3.1.1: a
 * DeviceID of 0 means no device, the driver must not use the rest).
 */
#include "devices/virtio_mmio.h"

#include <stdio.h>

#include <glib.h>
#include <libfdt.h>

#include "core/log.h"
#include "devices/fdt_util.h"

#define VIRTIO_MMIO_MAGIC 0x74726976u      /* "virt" */
#define VIRTIO_MMIO_VERSION_LEGACY 1u
#define VIRTIO_VENDOR_ID 0x554d4551u       /* "QEMU", what QEMU's transports report */

typedef struct VirtioMMIO {
    Device dev;
    Machine *m;
    IRQLine irq;
} VirtioMMIO;

static bool virtio_mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    if (size != 4 || (offset & 3)) {
        /* the configuration space (0x100+) allows narrower accesses; there is none here */
        *value = 0;
        return offset >= 0x100;
    }
    switch (offset) {
    case 0x000: *value = VIRTIO_MMIO_MAGIC; break;
    case 0x004: *value = VIRTIO_MMIO_VERSION_LEGACY; break;
    case 0x008: *value = 0; break;               /* DeviceID: no device */
    case 0x00c: *value = VIRTIO_VENDOR_ID; break;
    default: *value = 0; break;
    }
    return true;
}

static bool virtio_mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    LOG(LOG_GUEST_ERRORS, "virtio-mmio: write 0x%llx to an empty slot at +0x%llx\n",
        (unsigned long long)value, (unsigned long long)offset);
    return true;
}

static const MMIOOps virtio_mmio_ops = { .read = virtio_mmio_read, .write = virtio_mmio_write };

static int virtio_mmio_fdt_node(Device *dev, void *fdt)
{
    int node = fdt_util_add_node_at(fdt, "virtio_mmio", dev->base);
    if (node < 0) {
        return node;
    }
    int err = fdt_setprop_string(fdt, node, "compatible", "virtio,mmio");
    err = err ? err : fdt_util_set_reg(fdt, node, dev->base, dev->size);
    err = err ? err : fdt_util_set_irq(fdt, node, FDT_IRQ_TYPE_SPI, (unsigned)dev->irq - 32, FDT_IRQ_EDGE_RISING);
    err = err ? err : fdt_setprop_empty(fdt, node, "dma-coherent");
    return err ? err : node;
}

static void virtio_mmio_reset(Device *dev)
{
    VirtioMMIO *s = (VirtioMMIO *)dev;
    irq_set_level(&s->irq, false);
}

static void virtio_mmio_destroy(Device *dev)
{
    g_free(dev);
}

static const DeviceClass virtio_mmio_class = {
    .name = "virtio-mmio",
    .reset = virtio_mmio_reset,
    .fdt_node = virtio_mmio_fdt_node,
    .destroy = virtio_mmio_destroy,
};

Device *virtio_mmio_create(Machine *m, int slot, IRQLine irq, char **error)
{
    VirtioMMIO *s = g_new0(VirtioMMIO, 1);
    s->dev.cls = &virtio_mmio_class;
    s->dev.base = VIRT_MMIO_BASE + (uint64_t)slot * VIRT_MMIO_SIZE;
    s->dev.size = VIRT_MMIO_SIZE;
    s->dev.irq = 32 + VIRT_MMIO_IRQ + slot;
    s->m = m;
    s->irq = irq;
    if (!addrspace_add_mmio(&m->as, "virtio-mmio", s->dev.base, VIRT_MMIO_SIZE, &virtio_mmio_ops, s)) {
        *error = g_strdup_printf("virtio-mmio: slot %d overlaps another region", slot);
        g_free(s);
        return NULL;
    }
    return &s->dev;
}
