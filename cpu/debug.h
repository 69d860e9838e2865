/*
 * Self-hosted debug (Arm ARM D2): software step (MDSCR_EL1.SS, PSTATE.SS),
 * hardware breakpoints and watchpoints, OS lock. The engine checks
 * cpu_debug_active() (one flag) before doing anything debug-related.
 */
#ifndef TANDEM_CPU_DEBUG_H
#define TANDEM_CPU_DEBUG_H

#include "cpu/cpu.h"

/*
 * AArch64.GenerateDebugExceptionsFrom(from_el, PSTATE.D): would debug
 * exceptions (other than BRK) be generated when executing at from_el with
 * the given PSTATE.D?
 */
bool debug_exceptions_enabled(const CPUState *cpu, unsigned from_el, bool d_masked);

/* Software step is active when executing at el (MDSCR_EL1.SS and debug exceptions enabled from el). */
bool debug_ss_enabled_at(const CPUState *cpu, unsigned el);

/* Recompute the debug state after a write to MDSCR_EL1, DBGB*, DBGW*, OSLAR, MDCR. */
void debug_update(CPUState *cpu);

#endif
