/*
 * Set-up shared by the unit tests that run instruction handlers through the
 * generated decoder on a bare CPUState (test_crypto.c, test_fpsimd_insn.c,
 * tests/fpdiff/fpdiff.c).
 * Include it from one test source per executable: it defines functions.
 */
#ifndef TANDEM_TESTS_INSN_TEST_ENV_H
#define TANDEM_TESTS_INSN_TEST_ENV_H

#include <glib.h>
#include "cpu/cpu.h"
#include "cpu/exception.h"

/*
 * Until the exception module is linked into every test binary these weak
 * fallbacks stand in: UNDEFINED is observed as EXEC_EXCEPTION either way.
 */
__attribute__((weak)) ExecStatus cpu_raise_undef(CPUState *cpu)
{
    (void)cpu;
    return EXEC_EXCEPTION;
}

__attribute__((weak)) ExecStatus cpu_check_fp_enabled(CPUState *cpu)
{
    (void)cpu;
    return EXEC_NEXT;
}

/* A zeroed CPUState at EL3 (CPTR_EL3 = 0: FP enabled); the caller frees it. */
static inline CPUState *insn_test_cpu_new(void)
{
    CPUState *cpu = g_malloc0(sizeof(CPUState));
    cpu->el = 3;
    return cpu;
}

/* Decode and execute one instruction. */
static inline ExecStatus insn_test_run(CPUState *cpu, uint32_t insn)
{
    return cpu_decode(insn)(cpu, insn);
}

#endif
