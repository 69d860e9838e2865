/*
 * Link-time placeholders for functions the cpu-sys code calls but other
 * modules own (MMU: mmu/; semihosting and machine requests: core/). Every
 * binary that links the decoder pulls in cpu/trans_sys.c, so these keep the
 * tree linking while those modules are being written. They are weak: the
 * real definitions replace them. Each stops Tandem with a message if it is
 * ever called, so no fake result is produced.
 *
 * Delete each one when its owner's definition is on main.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/machine.h"
#include "core/semihost.h"
#include "mmu/mmu.h"

static _Noreturn void sys_missing(const char *fn)
{
    fprintf(stderr, "tandem: %s is not linked into this binary yet\n", fn);
    abort();
}

__attribute__((weak)) bool semihost_enabled(const CPUState *cpu) { sys_missing(__func__); }
__attribute__((weak)) void semihost_call(CPUState *cpu) { sys_missing(__func__); }
__attribute__((weak)) void machine_request_shutdown(Machine *m, int exit_code) { sys_missing(__func__); }
__attribute__((weak)) void machine_request_reset(Machine *m) { sys_missing(__func__); }
