/*
 * Record layout shared by the FP/SIMD differential tester (host side,
 * fpdiff.c) and its AArch64 runner (runner.c + stub.S under qemu-aarch64).
 */
#ifndef TANDEM_FPDIFF_STATE_H
#define TANDEM_FPDIFF_STATE_H

#include <stdint.h>

typedef struct FPDiffState {
    uint64_t v[32][2];      /* offset 0 */
    uint64_t x[16];         /* offset 512: x0-x15 */
    uint64_t nzcv;          /* offset 640 */
    uint64_t fpcr;          /* offset 648 */
    uint64_t fpsr;          /* offset 656 */
    uint64_t pad;
} FPDiffState;

typedef struct FPDiffRecord {
    uint32_t insn;
    uint32_t status;        /* out: 0 executed, 1 SIGILL, 2 other signal */
    FPDiffState st;
} FPDiffRecord;

#endif
