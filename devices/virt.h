/*
 * The "virt" board: creates the devices of QEMU's virt machine on a Machine
 * whose RAM and CPUs exist, and builds its device tree.
 */
#ifndef TANDEM_DEVICES_VIRT_H
#define TANDEM_DEVICES_VIRT_H

#include "core/machine.h"

/* Create and map every device (GIC, UART, RTC, timers, virtio...). */
bool virt_board_init(Machine *m, char **error);
/*
 * Build the FDT blob for this machine (malloc'd; *size set). NULL with *error
 * on failure. The blob has free space for the loader's additions (e.g.
 * virt_fdt_set_initrd). With -M virt,dumpdtb=FILE, call virt_dump_fdt after
 * the last change and exit (as QEMU does).
 */
void *virt_build_fdt(Machine *m, size_t *size, char **error);
/* /chosen linux,initrd-start/end (end exclusive). False if the blob is full. */
bool virt_fdt_set_initrd(void *fdt, uint64_t start_pa, uint64_t end_pa);
/* Write the blob to path (packed). False with *error on failure. */
bool virt_dump_fdt(const void *fdt, const char *path, char **error);
/* Reset devices (SYSTEM_RESET). */
void virt_board_reset(Machine *m);
/* Free every device (machine teardown). */
void virt_board_destroy(Machine *m);

#endif
