/*
 * The "virt" board: creates the devices of QEMU's virt machine on a Machine
 * whose RAM and CPUs exist, and builds its device tree.
 */
#ifndef TANDEM_DEVICES_VIRT_H
#define TANDEM_DEVICES_VIRT_H

#include "core/machine.h"

/* Create and map every device (GIC, UART, RTC, timers, virtio...). */
bool virt_board_init(Machine *m, char **error);
/* Build the FDT blob for this machine (malloc'd; *size set). NULL with *error on failure. */
void *virt_build_fdt(Machine *m, size_t *size, char **error);
/* Reset devices (SYSTEM_RESET). */
void virt_board_reset(Machine *m);

#endif
