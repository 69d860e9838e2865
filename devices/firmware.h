/*
 * Tandem's built-in EL3 firmware: SMCCC 1.1, PSCI 1.1 (DEN0022) and SDEI 1.1
 * (DEN0054, devices/firmware_sdei.h). It is reached by an SMC (or HVC when the machine has no EL2)
 * that would be taken to EL3: instead of entering an EL3 vector, the CPU calls
 * firmware_call(), which reads x0-x17 and writes the results, then execution
 * continues after the SMC at the caller's EL (as if EL3 had ERET'd).
 *
 * When the user loads their own EL3 code (-bios), the firmware is disabled and
 * SMCs go to EL3 normally.
 *
 * Conduit (what the device tree's /psci "method" says): "smc" whenever the
 * CPU implements EL3 or EL2 (Tandem's CPU models always have EL3, so an SMC
 * from EL1 or EL2 reaches the firmware), "hvc" only for a CPU with neither;
 * see firmware_conduit_is_smc(). The CPU calls firmware_call() for an SMC
 * that is not trapped to EL2 (HCR_EL2.TSC) and, on a CPU without EL2 and
 * without EL3, for HVC from EL1.
 *
 * Boot with the built-in firmware: the machine resets every vCPU, hands CPU 0
 * to the payload with firmware_enter_payload(cpu0, entry, dtb_pa) and leaves
 * the others parked (powered_off = halted = true) until PSCI CPU_ON.
 */
#ifndef TANDEM_DEVICES_FIRMWARE_H
#define TANDEM_DEVICES_FIRMWARE_H

#include "cpu/cpu.h"

/* True if the machine's built-in firmware services conduit calls. */
bool firmware_enabled(const CPUState *cpu);
/* Handle one SMC/HVC call (is_smc says which conduit); may halt/power off CPUs. */
void firmware_call(CPUState *cpu, bool is_smc, uint16_t imm16);

/* The PSCI conduit advertised in the device tree: true = SMC, false = HVC. */
bool firmware_conduit_is_smc(const CPUState *cpu);

/*
 * Leave EL3 the way the firmware does for a payload: SCR_EL3 (and CPTR_EL3,
 * MDCR_EL3, ICC_SRE_EL3) set up for a Non-secure EL2 (or EL1 when the CPU has
 * no EL2) that owns the machine, then enter entry_pa at EL2h/EL1h with
 * DAIF masked, the MMU off (the caller has reset the CPU) and x0 = x0_value,
 * x1-x3 = 0. Used for the boot CPU and by CPU_ON.
 */
void firmware_enter_payload(CPUState *cpu, uint64_t entry_pa, uint64_t x0_value);

/* DEN0022 return codes. */
enum {
    PSCI_SUCCESS = 0,
    PSCI_NOT_SUPPORTED = -1,
    PSCI_INVALID_PARAMETERS = -2,
    PSCI_DENIED = -3,
    PSCI_ALREADY_ON = -4,
    PSCI_ON_PENDING = -5,
    PSCI_INTERNAL_FAILURE = -6,
    PSCI_NOT_PRESENT = -7,
    PSCI_DISABLED = -8,
    PSCI_INVALID_ADDRESS = -9,
};

#endif
