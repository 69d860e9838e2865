/*
 * Test environment for the device unit tests: a Machine with RAM and vCPUs
 * built by hand, plus test doubles for the few CPU and machine functions the
 * devices call (their real versions live in cpu/ and core/machine.c). The
 * doubles record what the devices asked for so tests can check it.
 */
#ifndef TANDEM_TESTS_DEV_TEST_ENV_H
#define TANDEM_TESTS_DEV_TEST_ENV_H

#include "core/machine.h"
#include "cpu/cpu.h"

typedef struct DevTestLog {
    int shutdown_calls, shutdown_code;
    int reset_calls;
    int cpu_reset_calls;
    int el_state_updates;
} DevTestLog;

extern DevTestLog dev_test_log;

/* RAM of ram_size at VIRT_RAM_BASE and ncpus vCPUs (MPIDR Aff0 = index,
 * EL2 and EL3 implemented unless have_el2 is false). */
Machine *dev_test_machine_new(int ncpus, uint64_t ram_size, bool have_el2);
void dev_test_machine_free(Machine *m);

#endif
