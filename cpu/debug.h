/*
 * Self-hosted debug (Arm ARM D2): software step (MDSCR_EL1.SS, PSTATE.SS),
 * hardware breakpoints (DBGBVR/DBGBCR, unlinked address match), OS lock.
 *
 * Engine contract: while cpu->debug_flags & DEBUG_ACTIVE_INSN the engine
 * calls debug_check_insn(cpu) before executing each instruction (with cpu->pc
 * = its address); a true return means a debug exception was taken (pc is
 * the vector) and the instruction must not run (treat as EXEC_EXCEPTION).
 * debug_flags is recomputed by debug_update() whenever MDSCR_EL1, DBGB*,
 * DBGW* or OSLAR_EL1 are written and at reset, so the cost with debug off
 * is one load and branch per block.
 */
#ifndef TANDEM_CPU_DEBUG_H
#define TANDEM_CPU_DEBUG_H

#include "cpu/cpu.h"

enum {
    DEBUG_ACTIVE_STEP = 1u << 0,   /* MDSCR_EL1.SS */
    DEBUG_ACTIVE_BP = 1u << 1,     /* MDSCR_EL1.MDE and an enabled breakpoint */
    DEBUG_ACTIVE_WP = 1u << 2,     /* MDSCR_EL1.MDE and an enabled watchpoint (cpu/mem_watch.c checks) */
};

/* The flags that need debug_check_insn() before every instruction. */
#define DEBUG_ACTIVE_INSN (DEBUG_ACTIVE_STEP | DEBUG_ACTIVE_BP)

/* Breakpoints and watchpoints Tandem implements (ID_AA64DFR0_EL1.BRPs/WRPs + 1). */
#define DEBUG_NUM_BRPS 6
#define DEBUG_NUM_WRPS 4

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

/* Before executing the instruction at cpu->pc (see the engine contract above). */
bool debug_check_insn(CPUState *cpu);

/* SPSR.SS to record for a synchronous exception with this EC (exception entry). */
bool debug_spsr_ss_for_exception(CPUState *cpu, unsigned ec);

#endif
