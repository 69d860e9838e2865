/*
 * Link-time placeholders for functions cpu/mem.c and the load/store handlers
 * call but other modules own (exception entry: cpu-sys; mmu_translate: mmu;
 * code-page tracking: the engine; PAuth: cpu-sys). They let every binary that
 * links the full decoder (e.g. the fpsimd unit tests) link while those
 * modules are being written. They are weak, so the real definitions replace
 * them as soon as they are linked, and each one stops Tandem with a message if
 * it is ever called: no fake result is produced.
 *
 * Delete each one when its owner's definition is on main.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cpu/exception.h"
#include "cpu/exec.h"
#include "cpu/pauth.h"
#include "mmu/mmu.h"

static _Noreturn void ldst_missing(const char *fn)
{
    fprintf(stderr, "tandem: %s is not linked into this binary yet\n", fn);
    abort();
}

__attribute__((weak)) ExecStatus cpu_raise_abort(CPUState *cpu, const MMUFault *fault, uint64_t va,
                                                 MMUAccessType access)
{
    ldst_missing(__func__);
}

__attribute__((weak)) ExecStatus cpu_raise_sp_alignment(CPUState *cpu)
{
    ldst_missing(__func__);
}

__attribute__((weak)) bool exec_is_code_page(Machine *m, uint64_t pa)
{
    ldst_missing(__func__);
}

__attribute__((weak)) void exec_notify_write(Machine *m, uint64_t pa, uint64_t len)
{
    ldst_missing(__func__);
}

__attribute__((weak)) bool pauth_auth(CPUState *cpu, uint64_t *ptr, uint64_t modifier, PAuthKeyId key)
{
    ldst_missing(__func__);
}
