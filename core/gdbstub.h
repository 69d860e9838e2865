/*
 * The GDB stub: a GDB remote-protocol server on TCP (-s, -gdb tcp::PORT, -S)
 * that shows vCPUs as threads, every implemented system register (read and
 * write), memory through any translation regime, and stage-1/stage-2 walks
 * (docs/gdbstub.md).
 *
 * Everything runs on the main-loop thread: no locks, no threads. Three groups
 * of entry points:
 *
 *  1. Machine loop (core/machine.c, core/main.c)
 *
 *       gdbstub_start(m, "tcp::1234", wait_for_gdb, &err)   after the machine is built
 *       loop:
 *         if (!gdbstub_poll(m, 50)) continue;   // gdb holds the vCPUs: do not run them,
 *                                               // do not advance virtual time
 *         for each cpu: if (gdbstub_cpu_may_run(cpu)) cpu_run(cpu, quantum);
 *       gdbstub_notify_exit(m, code)            when the guest powers off
 *
 *     Without -s/-gdb every call is a cheap no-op returning "run".
 *
 *  2. Execution engine (cpu/exec.c): before executing each instruction,
 *
 *       if (unlikely(gdbstub_debug_flags) && gdbstub_check_insn(cpu))
 *           return;   // end cpu_run without executing the instruction at cpu->pc
 *
 *     and, where pending interrupts are taken,
 *
 *       if (unlikely(gdbstub_debug_flags & GDBSTUB_DEBUG_STEP) && gdbstub_irq_masked(cpu))
 *           ... do not take the interrupt now (gdb steps with interrupts masked)
 *
 *     Breakpoints are matched by VA against cpu->pc in the engine (an
 *     unlimited sorted set, binary-searched), never by patching guest memory.
 *
 *  3. Memory slow path (cpu/mem.c): watchpoints.
 *
 *       while (gdbstub_debug_flags & GDBSTUB_DEBUG_WATCH) install no fast
 *       read/write tags for pages where gdbstub_page_watched(va) is true
 *       (the stub flushes every soft TLB when a watchpoint is inserted), and
 *       before performing a data access in the slow path:
 *
 *       if (unlikely(gdbstub_debug_flags & GDBSTUB_DEBUG_WATCH) &&
 *           gdbstub_check_watch(cpu, va, size, access == MMU_ACCESS_WRITE))
 *           return false;   // no exception taken: the instruction does not complete,
 *                           // cpu->pc still points at it; the handler returns EXEC_EXCEPTION
 *
 *     The stop is reported before the access, as AArch64 hardware
 *     watchpoints do (gdb steps over the instruction itself).
 */
#ifndef TANDEM_CORE_GDBSTUB_H
#define TANDEM_CORE_GDBSTUB_H

#include "core/machine.h"
#include "cpu/cpu.h"

/* --- 1. machine loop --- */

/* Listen on spec ("tcp::1234", "tcp:HOST:PORT", "PORT"); wait: -S (vCPUs stay stopped until gdb continues). */
bool gdbstub_start(Machine *m, const char *spec, bool wait, char **error);
/* Service the connection. Returns false while gdb keeps the vCPUs stopped; then it has
 * waited up to wait_ms for gdb. Returns true immediately (after a non-blocking check) otherwise. */
bool gdbstub_poll(Machine *m, int wait_ms);
/* May this vCPU run now? (vCont can step one thread while others stay stopped.) */
bool gdbstub_cpu_may_run(const CPUState *cpu);
/* Every vCPU allowed to run waits and nothing can wake the machine: with gdb
 * attached, stop everything and report it (true: gdb holds the machine, keep
 * looping); false without a debugger. */
bool gdbstub_idle(Machine *m);
/* The guest ended: report the exit code to gdb (W packet). */
void gdbstub_notify_exit(Machine *m, int code);
/* Close the server. */
void gdbstub_shutdown(Machine *m);

/* --- 2./3. engine and memory slow path --- */

enum {
    GDBSTUB_DEBUG_BREAK = 1u << 0,   /* at least one breakpoint (Z0/Z1) */
    GDBSTUB_DEBUG_STEP = 1u << 1,    /* some vCPU is single-stepping */
    GDBSTUB_DEBUG_WATCH = 1u << 2,   /* at least one watchpoint (Z2/Z3/Z4) */
    GDBSTUB_DEBUG_STOP = 1u << 3,    /* a stop is pending: every vCPU ends its run */
};
/* Zero unless gdb armed something: one load and branch per instruction otherwise. */
extern volatile uint32_t gdbstub_debug_flags;

/* Before executing the instruction at cpu->pc: true = stop here (the stub recorded why). */
bool gdbstub_check_insn(CPUState *cpu);
/* True while this vCPU single-steps with interrupts masked (monitor step-irq off, the default). */
bool gdbstub_irq_masked(const CPUState *cpu);
/* Data access [va, va+size) about to happen: true = a watchpoint hit; do not perform it. */
bool gdbstub_check_watch(CPUState *cpu, uint64_t va, unsigned size, bool is_write);
/* Does any watchpoint overlap the 4 KiB page holding va? (keep it off the TLB fast path) */
bool gdbstub_page_watched(uint64_t va);

#endif
