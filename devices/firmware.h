/*
 * Tandem's built-in EL3 firmware: SMCCC 1.1, PSCI 1.1 (DEN0022) and, later,
 * SDEI (DEN0054). It is reached by an SMC (or HVC when the machine has no EL2)
 * that would be taken to EL3: instead of entering an EL3 vector, the CPU calls
 * firmware_call(), which reads x0-x17 and writes the results, then execution
 * continues after the SMC at the caller's EL (as if EL3 had ERET'd).
 *
 * When the user loads their own EL3 code (-bios), the firmware is disabled and
 * SMCs go to EL3 normally.
 */
#ifndef TANDEM_DEVICES_FIRMWARE_H
#define TANDEM_DEVICES_FIRMWARE_H

#include "cpu/cpu.h"

/* True if the machine's built-in firmware services conduit calls. */
bool firmware_enabled(const CPUState *cpu);
/* Handle one SMC/HVC call (is_smc says which conduit); may halt/power off CPUs. */
void firmware_call(CPUState *cpu, bool is_smc, uint16_t imm16);

#endif
