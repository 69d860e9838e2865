/*
 * Watchpoints on the memory slow path (cpu/mem.c): the architectural ones
 * (DBGWCR<n>_EL1/DBGWVR<n>_EL1, Arm ARM AArch64.CheckWatchpoint) and the gdb
 * stub's (core/gdbstub.h). Internal to cpu/mem*.c.
 */
#ifndef TANDEM_CPU_MEM_WATCH_H
#define TANDEM_CPU_MEM_WATCH_H

#include "cpu/cpu.h"

/*
 * True if any enabled watchpoint (architectural, whatever the debug enables,
 * or gdb's) may cover the 4 KiB page holding va: the page gets no read/write
 * softmmu tags, so every access to it reaches mem_watch_check.
 */
bool mem_watch_page(const CPUState *cpu, uint64_t va);

/*
 * A data access of [va, va+len) that passed its translation is about to
 * happen (read and/or write: atomics are both). False when it must not: a
 * watchpoint exception has been taken (or gdb stopped the vCPU, without an
 * exception); with take == false (no-fault accesses) nothing is taken, false
 * just reports the hit. unpriv: LDTR/STTR-type access (EL0 privilege for the
 * watchpoint's PAC); cm: cache maintenance.
 */
bool mem_watch_check(CPUState *cpu, uint64_t va, unsigned len, bool read, bool write, bool unpriv,
                     bool cm, bool take);

#endif
