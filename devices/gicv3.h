/*
 * GICv3 interrupt controller of the virt board (no ITS): the board-facing
 * interface. The CPU-facing system registers are in cpu_hooks.h.
 */
#ifndef TANDEM_DEVICES_GICV3_H
#define TANDEM_DEVICES_GICV3_H

#include "core/machine.h"
#include "devices/device.h"

typedef struct GICv3 GICv3;

#define GICV3_NUM_IRQS 288          /* 32 private + 256 SPIs, as QEMU virt */
#define GICV3_MAINT_PPI 25          /* maintenance interrupt INTID */

/* Create the distributor and one redistributor per CPU of m (mapped at
 * the virt addresses); sets cpu->gic of every CPU. */
GICv3 *gicv3_create(Machine *m, char **error);
void gicv3_reset(GICv3 *gic);
void gicv3_destroy(GICv3 *gic);
/* An input line for SPI n (INTID 32 + n). */
IRQLine gicv3_spi_line(GICv3 *gic, int spi);
/* An input line for PPI intid (16..31) of CPU cpu_index. */
IRQLine gicv3_ppi_line(GICv3 *gic, int cpu_index, int intid);
/* Add the /intc node. */
int gicv3_fdt_node(GICv3 *gic, void *fdt);

/*
 * Interrupts owned by the built-in EL3 firmware (SDEI bound interrupts,
 * devices/firmware_sdei.c), as TF-A makes them Group 0 interrupts of EL3:
 * a claimed INTID is never signalled to the CPU interface (no IRQ/FIQ, not
 * in HPPIR/IAR); the firmware reads its pending state instead. SGIs and
 * PPIs are claimed per CPU (cpu_index), SPIs for every CPU. Whenever the GIC
 * recomputes a CPU for which a claimed interrupt is pending it calls
 * notify(opaque) (cold: only while something is claimed).
 */
void gicv3_fw_set_notify(GICv3 *gic, void (*notify)(void *opaque), void *opaque);
void gicv3_fw_claim(GICv3 *gic, int cpu_index, unsigned intid, bool claim);
/* Pending (edge latch or level), whatever its enable, group, priority, routing. */
bool gicv3_fw_pending(GICv3 *gic, int cpu_index, unsigned intid);
/* The firmware took it: clear the pending latch (a level input stays pending). */
void gicv3_fw_acknowledge(GICv3 *gic, int cpu_index, unsigned intid);

#endif
