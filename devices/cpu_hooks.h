/*
 * System registers that belong to devices, reached from the CPU's
 * system-register table (cpu/sysreg_table.c) after the table's own trap checks:
 *   - the GICv3 CPU interface: ICC_* (and ICV_* when HCR_EL2.IMO/FMO route them
 *     to the virtual interface), ICH_* (EL2 virtualization control)
 *   - the generic timers: CNT* registers
 * enc is packed as in mmu.h (MMU_SYSREG_ENC). A false return means the device
 * wants the access to trap: *trap_el says where (EC 0x18 with the usual ISS);
 * 0 means UNDEFINED.
 */
#ifndef TANDEM_DEVICES_CPU_HOOKS_H
#define TANDEM_DEVICES_CPU_HOOKS_H

#include "cpu/cpu.h"

bool gicv3_sysreg_read(CPUState *cpu, uint32_t enc, uint64_t *value, unsigned *trap_el);
bool gicv3_sysreg_write(CPUState *cpu, uint32_t enc, uint64_t value, unsigned *trap_el);
bool timer_sysreg_read(CPUState *cpu, uint32_t enc, uint64_t *value, unsigned *trap_el);
bool timer_sysreg_write(CPUState *cpu, uint32_t enc, uint64_t value, unsigned *trap_el);

/* Is enc one of the registers these hooks own? (used to build the table) */
bool gicv3_sysreg_owns(uint32_t enc);
bool timer_sysreg_owns(uint32_t enc);

#endif
