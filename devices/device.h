/*
 * The device interface. A device is a struct that starts with a Device;
 * the machine calls realize (map MMIO, claim IRQ lines), reset, and fdt_node
 * (add its node to the generated device tree). Devices raise interrupts only
 * through IRQ lines into the GIC (irq_set_level).
 */
#ifndef TANDEM_DEVICES_DEVICE_H
#define TANDEM_DEVICES_DEVICE_H

#include "core/types.h"
#include "core/addrspace.h"

struct Machine;
typedef struct Device Device;

typedef struct DeviceClass {
    const char *name;
    bool (*realize)(Device *dev, struct Machine *m, char **error);
    void (*reset)(Device *dev);
    /* Add the device's node under the root of the FDT being built (void *fdt). */
    int (*fdt_node)(Device *dev, void *fdt);
    void (*destroy)(Device *dev);
} DeviceClass;

struct Device {
    const DeviceClass *cls;
    uint64_t base;     /* MMIO base, if any */
    uint64_t size;
    int irq;           /* GIC INTID of its (first) interrupt, or -1 */
    Device *next;      /* the machine's device list */
};

/* An interrupt line into the interrupt controller. */
typedef struct IRQLine {
    void (*set)(void *opaque, int n, bool level);
    void *opaque;
    int n;
} IRQLine;

static inline void irq_set_level(const IRQLine *line, bool level)
{
    if (line && line->set) {
        line->set(line->opaque, line->n, level);
    }
}

#endif
