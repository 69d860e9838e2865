/*
 * One AArch64 vCPU: architectural state plus the execution engine's caches.
 *
 * Conventions every handler follows (see docs/design.md):
 *   - cpu->pc is the address of the instruction being executed while its
 *     handler runs; handlers return an ExecStatus and never longjmp.
 *   - XZR/SP: x[31] is not storage for SP. Use cpu_reg()/cpu_reg_sp() and
 *     cpu_set_reg()/cpu_set_reg_sp() for register number 31 semantics.
 *   - Memory goes through cpu/mem.h (softmmu TLB fast path, MMU slow path);
 *     a failed access has already raised the exception: the handler returns
 *     EXEC_EXCEPTION.
 */
#ifndef TANDEM_CPU_CPU_H
#define TANDEM_CPU_CPU_H

#include "core/types.h"
#include "cpu/sysregs.h"

struct Machine;
struct Block;
struct CPUState;

/* Return value of every instruction handler (trans_*). */
typedef enum ExecStatus {
    EXEC_NEXT = 0,      /* fall through: the engine advances pc by 4 */
    EXEC_BRANCH,        /* handler set cpu->pc; the block ends */
    EXEC_EXCEPTION,     /* an exception was taken (pc = vector); the block ends */
    EXEC_SYNC,          /* pc advances by 4 and the block ends: state that
                           blocks or the TLB depend on changed (MSR, ISB, ...) */
    EXEC_HALT,          /* WFI/WFE: pc advanced past it; the vCPU waits */
} ExecStatus;

typedef ExecStatus (*ExecFn)(struct CPUState *cpu, uint32_t insn);

/* PSTATE.NZCV bits as they sit in NZCV/SPSR. */
#define PSTATE_N (1u << 31)
#define PSTATE_Z (1u << 30)
#define PSTATE_C (1u << 29)
#define PSTATE_V (1u << 28)
/* PSTATE.DAIF bits as in DAIF/SPSR. */
#define PSTATE_D (1u << 9)
#define PSTATE_A (1u << 8)
#define PSTATE_I (1u << 7)
#define PSTATE_F (1u << 6)

/* Largest SVE vector length Tandem models: 2048 bits (VQ = 16). */
#define TANDEM_MAX_VQ 16

typedef union ZReg {
    uint64_t d[TANDEM_MAX_VQ * 2];
    uint32_t s[TANDEM_MAX_VQ * 4];
    uint16_t h[TANDEM_MAX_VQ * 8];
    uint8_t  b[TANDEM_MAX_VQ * 16];
} ZReg;   /* V<n> is the low 128 bits (d[0], d[1]) */

typedef struct PReg {
    uint64_t p[(TANDEM_MAX_VQ * 16 / 8 + 7) / 8];   /* one bit per byte of Z */
} PReg;

/*
 * Interrupt lines into the CPU (set by the GIC / HCR_EL2.VI etc.).
 * cpu_set_irq_line() sets cpu->irq_lines and cpu->exit_request so the
 * engine checks at the next block boundary.
 */
enum {
    CPU_LINE_IRQ = 1u << 0,
    CPU_LINE_FIQ = 1u << 1,
    CPU_LINE_VIRQ = 1u << 2,    /* from the GIC's virtual CPU interface */
    CPU_LINE_VFIQ = 1u << 3,
    CPU_LINE_SERROR = 1u << 4,
};

/* Softmmu TLB: one table per MMU index, 4 KiB entries, direct mapped. */
#define CPU_TLB_BITS 10
#define CPU_TLB_SIZE (1u << CPU_TLB_BITS)
#define CPU_TLB_INVALID_TAG 1ULL   /* no page-aligned VA equals this */
/* Directory of fast write tags (cpu/mem.c), see CPUState.wtag_dir. */
#define CPU_WTAG_SETS 1024u
#define CPU_WTAG_WAYS 4u

typedef struct CPUTLBEntry {
    uint64_t tag_read;     /* page VA if readable through the fast path */
    uint64_t tag_write;    /* page VA if writable through the fast path */
    uint64_t tag_exec;     /* page VA if executable (fetch) */
    uintptr_t addend;      /* host pointer = va + addend (RAM pages only) */
    uint64_t pa_page;      /* physical page, for the block cache and tracing */
} CPUTLBEntry;

/*
 * MMU indexes: one per (translation regime, privilege, PAN) that can be
 * current. Owned by mmu/; the engine picks cpu->mmu_idx on every change of
 * EL, HCR_EL2.{E2H,TGE}, PSTATE.PAN.
 */
typedef enum MMUIdx {
    MMU_IDX_E10_0,       /* EL1&0 regime, EL0 access */
    MMU_IDX_E10_1,       /* EL1&0 regime, EL1 access */
    MMU_IDX_E10_1_PAN,
    MMU_IDX_E20_0,       /* EL2&0 (VHE, TGE=1), EL0 access */
    MMU_IDX_E20_2,
    MMU_IDX_E20_2_PAN,
    MMU_IDX_E2,          /* EL2 regime (no VHE) */
    MMU_IDX_E3,
    MMU_IDX_COUNT
} MMUIdx;

typedef struct CPUState {
    /* --- general-purpose state: hot, keep first --- */
    uint64_t x[32];          /* x[31] is always 0 (XZR reads); SP is cpu->sp */
    uint64_t sp;             /* current stack pointer (SP_EL0 or SP_ELx per PSTATE.SP) */
    uint64_t pc;
    uint32_t nzcv;           /* PSTATE.{N,Z,C,V} in bits 31:28 */
    uint32_t el;             /* PSTATE.EL */
    uint32_t spsel;          /* PSTATE.SP */
    uint32_t daif;           /* PSTATE.{D,A,I,F} in bits 9:6 */
    uint32_t pan, uao, ssbs, dit, tco, btype, ss, il;
    MMUIdx mmu_idx;
    uint32_t debug_flags;    /* DEBUG_ACTIVE_* (cpu/debug.h): with DEBUG_ACTIVE_INSN bits set the
                                engine calls debug_check_insn() before every instruction */
    bool ss_stepping;        /* software step: the current instruction is the stepped one */
    uint32_t sp_bank;        /* which SP_ELx[] slot cpu->sp currently stands for (0 = SP_EL0);
                                that slot of sr.SP_ELx is stale while selected */

    /* --- FP/SIMD and SVE --- */
    ZReg z[32];
    PReg p[16];
    PReg ffr;
    uint32_t fpcr, fpsr;

    /* --- system registers --- */
    CPUSysRegs sr;
    CPUIDRegs id;

    /* --- exclusive monitor (local; the global one is in the machine) --- */
    uint64_t excl_addr;      /* physical address, or ~0 when open */
    uint64_t excl_val[2];
    uint32_t excl_size;

    /* --- execution control --- */
    volatile uint32_t exit_request;  /* re-check interrupts/events before next block */
    uint32_t irq_lines;              /* CPU_LINE_* */
    bool halted;                     /* in WFI/WFE, or powered off */
    bool powered_off;                /* PSCI CPU_OFF / not yet CPU_ON */
    bool event_register;             /* for WFE/SEV */
    uint64_t icount;                 /* instructions retired */
    uint64_t rng_state;              /* FEAT_RNG sequence (rd_rndr), deterministic */

    /* --- softmmu TLB (fast path of cpu/mem.h) --- */
    CPUTLBEntry tlb[MMU_IDX_COUNT][CPU_TLB_SIZE];
    /*
     * MMU indexes whose table may hold a live tag (bit per MMUIdx): set by
     * every fill, cleared by a whole-index flush, so flushing an index that
     * nothing has filled since costs nothing (a KVM world switch writes a
     * dozen translation registers in a row).
     */
    uint32_t tlb_dirty;
    /*
     * cpu/mem.c: which softmmu entries may hold a fast write tag, by physical
     * page (set = pa page number mod CPU_WTAG_SETS). Lets a store-exclusive
     * reservation or a page becoming code drop every vCPU's fast write
     * tags for one physical page without scanning whole TLBs.
     */
    CPUTLBEntry *wtag_dir[CPU_WTAG_SETS][CPU_WTAG_WAYS];
    uint8_t wtag_next[CPU_WTAG_SETS];

    /* --- links --- */
    int cpu_index;
    struct Machine *machine;
    void *mmu;       /* mmu/ private state (architectural TLB) */
    void *engine;    /* cpu/exec.c private state (block cache) */
    void *gic;       /* devices/gicv3 per-CPU interface */
    void *timer;     /* devices/generic timer per-CPU state */
    void *features;  /* cpu/features.c model */
} CPUState;

/* --- register access with the Arm ARM's X[]/SP semantics --- */
static inline uint64_t cpu_reg(const CPUState *cpu, unsigned n)       /* 31 = XZR */
{
    return n == 31 ? 0 : cpu->x[n];
}
static inline uint64_t cpu_reg_sp(const CPUState *cpu, unsigned n)    /* 31 = SP */
{
    return n == 31 ? cpu->sp : cpu->x[n];
}
static inline void cpu_set_reg(CPUState *cpu, unsigned n, uint64_t v) /* 31 = discard */
{
    if (n != 31) {
        cpu->x[n] = v;
    }
}
static inline void cpu_set_reg_sp(CPUState *cpu, unsigned n, uint64_t v)
{
    if (n == 31) {
        cpu->sp = v;
    } else {
        cpu->x[n] = v;
    }
}

/* Condition codes (Arm ARM ConditionHolds). */
static inline bool cpu_cond_holds(const CPUState *cpu, unsigned cond)
{
    uint32_t f = cpu->nzcv;
    bool n = f & PSTATE_N, z = f & PSTATE_Z, c = f & PSTATE_C, v = f & PSTATE_V;
    bool r;
    switch (cond >> 1) {
    case 0: r = z; break;
    case 1: r = c; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = c && !z; break;
    case 5: r = n == v; break;
    case 6: r = n == v && !z; break;
    default: r = true; break;
    }
    if ((cond & 1) && cond != 15) {
        r = !r;
    }
    return r;
}

/* --- lifecycle (cpu/cpu.c) --- */
CPUState *cpu_create(struct Machine *m, int index, const char *model_spec, char **error);
void cpu_destroy(CPUState *cpu);
/* Architectural reset into the highest implemented EL, or the given EL/pc. */
void cpu_reset(CPUState *cpu);
/*
 * Boot state after cpu_reset() for a kernel or bare-metal image entered
 * below EL3 (as firmware would leave it): SCR_EL3 = Non-secure, AArch64
 * lower ELs, HVC enabled (and PAuth untrapped when advertised); enters `el`
 * (1, 2 or 3) with SP_ELxh selected, DAIF masked, pc and x0 as given.
 */
void cpu_set_boot_state(CPUState *cpu, unsigned el, uint64_t pc, uint64_t x0);

/* --- execution (cpu/exec.c) --- */
/* Run up to max_insns instructions (block granularity); returns retired count. */
uint64_t cpu_run(CPUState *cpu, uint64_t max_insns);
/* The decoder generated from the cpu .decode files: the handler for insn, or the UNDEFINED handler. */
ExecFn cpu_decode(uint32_t insn);
/* Drop every decoded block (e.g. after a change the cache is not keyed by). */
void cpu_flush_blocks(CPUState *cpu);

/* --- interrupts (cpu/exception.c) --- */
void cpu_set_irq_line(CPUState *cpu, uint32_t line, bool level);

/* PSTATE as SPSR bits, and back (exception entry/return). */
uint64_t cpu_get_pstate(const CPUState *cpu);
void cpu_set_pstate(CPUState *cpu, uint64_t spsr);

/* Called whenever EL, HCR_EL2.{E2H,TGE}, PSTATE.PAN or SPSel change: banks SP, picks mmu_idx. */
void cpu_update_el_state(CPUState *cpu);

#endif
