/*
 * Arm semihosting (HLT #0xF000 in A64) when enabled with -semihosting:
 * SYS_WRITE0/WRITEC/WRITE to the console and SYS_EXIT/SYS_EXIT_EXTENDED with
 * an exit code, as QEMU implements them. The test guests use it to report
 * pass/fail through the process exit status.
 */
#ifndef TANDEM_CORE_SEMIHOST_H
#define TANDEM_CORE_SEMIHOST_H

#include "cpu/cpu.h"

bool semihost_enabled(const CPUState *cpu);
/* Set by the command line (-semihosting); off by default. */
void semihost_set_enabled(bool on);
/* Perform the call in w0/x1; result in x0. */
void semihost_call(CPUState *cpu);

#endif
