/*
 * "Fast" handlers: the engine substitutes them for the generated exec_NAME
 * wrappers when it builds a block. A fast handler does the field extraction
 * and the trans_NAME body in one function (the generated wrapper calls
 * trans_NAME in another translation unit through an arg struct on the
 * stack: two calls per instruction). Semantics are identical by
 * construction: the same extract (cpu/gen_extract.py uses the decoder
 * generator's parser) and the same trans_NAME, inlined.
 *
 * Usage, at the end of a file that defines trans_NAME:
 *     EXEC_FAST(NAME)
 *     const ExecFastEntry exec_fast_<file>[] = { EXEC_FAST_ENTRY(NAME), ..., { 0, 0 } };
 * and list the table in cpu/exec.c (exec_fast_tables).
 */
#ifndef TANDEM_CPU_EXEC_FAST_H
#define TANDEM_CPU_EXEC_FAST_H

#include "cpu/cpu.h"

/*
 * The library is built position-independent (meson's b_staticpic), where GCC
 * will not inline a global function into another (it could be interposed).
 * Handler files that define fast handlers opt out: nothing interposes them.
 */
#pragma GCC optimize("no-semantic-interposition")

typedef struct ExecFastEntry {
    const char *name;     /* pattern name in the .decode files */
    ExecFn fn;
} ExecFastEntry;

#define EXEC_FAST(NAME)                                                              \
    static __attribute__((flatten)) ExecStatus fast_##NAME(CPUState *cpu, uint32_t insn) \
    {                                                                                \
        arg_##NAME a;                                                                \
        extract_##NAME(&a, insn);                                                    \
        return trans_##NAME(cpu, &a);                                                \
    }
#define EXEC_FAST_ENTRY(NAME) { #NAME, fast_##NAME }

#endif
