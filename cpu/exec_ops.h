/*
 * Pre-decoded instructions of the execution engine (cpu/exec.c, private to
 * the engine and its pre-decoder cpu/exec_predecode.c).
 *
 * Every block entry keeps the handler (`fn`, the fast handler of
 * cpu/exec_fast.h or the generated exec_NAME) and the raw word: the general
 * path (tracing, gdb, BTYPE, self-hosted debug) runs `fn(cpu, raw)` as
 * before. The fast path (chain_run in cpu/exec.c) dispatches on `op`
 * instead, a label of its computed-goto loop: for the frequent forms the
 * pre-decoder resolved the operands at block-build time (register indexes
 * with SP and XZR already told apart, immediates shifted or negated,
 * bitfield shift pairs), so the label does the whole instruction in a few
 * host instructions. EXEC_OP_CALL runs `fn` (any instruction, and the
 * TLB-miss path of the inline loads/stores: the handler redoes the access
 * through cpu_mem_slow with nothing changed yet).
 *
 * Register indexes index the CPUState as an array of uint64_t: 0..30 are
 * X0..X30, 31 is cpu->x[31] (always 0: XZR reads), 32 is cpu->sp.
 */
#ifndef TANDEM_CPU_EXEC_OPS_H
#define TANDEM_CPU_EXEC_OPS_H

#include "cpu/cpu.h"

#define EXEC_REG_ZR 31
#define EXEC_REG_SP 32

typedef struct ExecInsn {
    const void *op;      /* label in chain_run (an ExecOp until the block is finished) */
    ExecFn fn;           /* the handler: general path and EXEC_OP_CALL */
    uint32_t raw;
    uint8_t d, n, m, s;  /* register indexes and a small operand (shift, bit, cond) */
    uint64_t imm;        /* immediate, address offset or branch offset */
} ExecInsn;

/* Load/store kinds and addressing modes of the inline single-register forms. */
#define EXEC_LDST_KINDS(X, M)                                                         \
    X(M, LD8) X(M, LD16) X(M, LD32) X(M, LD64) X(M, LDSB64) X(M, LDSH64) X(M, LDSW64) \
    X(M, LDSB32) X(M, LDSH32) X(M, ST8) X(M, ST16) X(M, ST32) X(M, ST64)
#define EXEC_LDST_NKINDS 13
/* UI: base + imm; RX/RU/RS: base + (Xm, UXTW(Wm), SXTW(Wm)) << s; POST/PRE: writeback. */
#define EXEC_LDST_MODES(X, K)                                                         \
    K(X, UI) K(X, RX) K(X, RU) K(X, RS) K(X, POST) K(X, PRE)
#define EXEC_LDST_NMODES 6
/* Pairs: LDP/STP of X or W registers, signed offset, post- or pre-index. */
#define EXEC_LDP_KINDS(X, M) X(M, LDP64) X(M, LDP32) X(M, STP64) X(M, STP32)
#define EXEC_LDP_MODES(X, K) K(X, PO) K(X, PPOST) K(X, PPRE)

/*
 * Compare and branch: CMP/SUBS (immediate or shifted register, 64 or 32
 * bits) immediately followed by B.cond in the same block, fused by
 * exec_predecode_fuse(): the op sets NZCV (and Rd) as the compare does and
 * then decides the B.cond (the next entry) from the operands directly. The
 * B.cond entry stays as it was: a block is only entered at its start, so
 * the fused op is the only way into it.
 */
#define EXEC_CONDS(X, M)                                                              \
    X(M, EQ) X(M, NE) X(M, HS) X(M, LO) X(M, MI) X(M, PL) X(M, VS) X(M, VC)          \
    X(M, HI) X(M, LS) X(M, GE) X(M, LT) X(M, GT) X(M, LE)
#define EXEC_NCONDS 14
#define EXEC_CMPB_FORMS(X, K) K(X, CBI64) K(X, CBI32) K(X, CBR64) K(X, CBR32)

#define EXEC_OPS_PLAIN(X)                                                             \
    X(CALL) X(END) X(NOP) X(ADRP)                                                                    \
    X(ADDI64) X(ADDI32) X(ADDSI64) X(ADDSI32) X(SUBSI64) X(SUBSI32)                   \
    X(ADDR64) X(ADDR32) X(SUBR64) X(SUBR32) X(ADDSR64) X(ADDSR32) X(SUBSR64) X(SUBSR32) \
    X(ADDXS64) X(ADDXU64)                                                             \
    X(ANDR64) X(ANDR32) X(ORRR64) X(ORRR32) X(EORR64) X(EORR32) X(ANDSR64) X(ANDSR32) \
    X(MOV64) X(MOV32)                                                                 \
    X(ANDI) X(ORRI64) X(ORRI32) X(EORI64) X(EORI32)                                   \
    X(MOVI) X(MOVK64) X(MOVK32)                                                       \
    X(UBFM64) X(UBFM32) X(SBFM64) X(SBFM32)                                           \
    X(LSLV64) X(LSLV32) X(LSRV64) X(LSRV32) X(ASRV64) X(ASRV32)                       \
    X(MADD64) X(MADD32)                                                               \
    X(CSEL64) X(CSEL32) X(CSINC64) X(CSINC32)                                         \
    X(B) X(BL) X(BCOND) X(CBZ64) X(CBZ32) X(CBNZ64) X(CBNZ32) X(TBZ) X(TBNZ) X(RET)

#define EXEC_OP_ENUM(NAME) EXEC_OP_##NAME,
#define EXEC_OP_ENUM2(M, K) EXEC_OP_##M##_##K,
typedef enum ExecOp {
    EXEC_OPS_PLAIN(EXEC_OP_ENUM)
    EXEC_LDST_MODES(EXEC_OP_ENUM2, EXEC_LDST_KINDS)
    EXEC_LDP_MODES(EXEC_OP_ENUM2, EXEC_LDP_KINDS)
    EXEC_CMPB_FORMS(EXEC_OP_ENUM2, EXEC_CONDS)
    EXEC_OP_COUNT
} ExecOp;

/* Fill ei (op as an ExecOp, operands) for raw, whose handler is fn. */
void exec_predecode(ExecInsn *ei, uint32_t raw, ExecFn fn);
/* Fuse compare + B.cond pairs among the n pre-decoded entries of a block. */
void exec_predecode_fuse(ExecInsn *insns, unsigned n);

#endif
