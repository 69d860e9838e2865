/*
 * ARM generic timers (Arm ARM D12): per CPU the EL1 physical and virtual
 * timers, the EL2 physical and (FEAT_VHE) virtual timers and the EL3 secure
 * physical timer, counting at CNTFRQ = 62.5 MHz (1 tick = 16 ns of virtual
 * time, the value QEMU 7.2 uses). Outputs are the virt board's PPIs.
 * The system registers are reached through cpu_hooks.h.
 */
#ifndef TANDEM_DEVICES_TIMER_H
#define TANDEM_DEVICES_TIMER_H

#include "core/machine.h"

#define TIMER_FREQ_HZ 62500000ULL
#define TIMER_NS_PER_TICK 16ULL

/* PPIs (INTIDs) as on QEMU's virt board */
#define TIMER_PPI_SEC_PHYS 29
#define TIMER_PPI_PHYS 30
#define TIMER_PPI_VIRT 27
#define TIMER_PPI_HYP_PHYS 26
#define TIMER_PPI_HYP_VIRT 28

/* Create the timers of every CPU of m (cpu->timer); outputs go to m->gic
 * when it exists (created first). */
bool timer_create_all(Machine *m, char **error);
void timer_reset_all(Machine *m);
void timer_destroy_all(Machine *m);
/* Add the /timer node (arm,armv8-timer). */
int timer_fdt_node(Machine *m, void *fdt);
/* The physical count (CNTPCT) at virtual time now_ns. */
static inline uint64_t timer_count_at(uint64_t now_ns) { return now_ns / TIMER_NS_PER_TICK; }

#endif
