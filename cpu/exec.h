/*
 * The execution engine's services for the rest of the CPU: code-page tracking
 * for self-modifying code (owned by cpu/exec.c, used by cpu/mem.c and DMA).
 *
 * The block cache is keyed by physical address. A RAM page that holds decoded
 * code is a "code page": the softmmu TLB never gives it a fast write tag, so
 * every store to it reaches cpu_mem_slow(), which calls exec_notify_write()
 * to drop the affected blocks in every vCPU.
 */
#ifndef TANDEM_CPU_EXEC_H
#define TANDEM_CPU_EXEC_H

#include "core/machine.h"

bool exec_is_code_page(Machine *m, uint64_t pa);
void exec_notify_write(Machine *m, uint64_t pa, uint64_t len);

/*
 * Teardown: free a vCPU's block cache (call from cpu_destroy, before the
 * CPUState is freed) and the machine-wide code-page state (after every
 * vCPU is destroyed). Both are no-ops when nothing was allocated.
 */
struct CPUState;
void exec_cpu_destroy(struct CPUState *cpu);
void exec_machine_destroy(Machine *m);

#endif
