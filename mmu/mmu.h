/*
 * Address translation: the one table walker for stage 1 and stage 2
 * (AArch64.S1Walk / AArch64.S2Walk), the architectural TLB, TLBI and AT.
 *
 * The CPU's softmmu fast path (cpu/mem.h) calls mmu_translate() on a miss and
 * installs the result in cpu->tlb; mmu_* TLBI entry points flush both the
 * architectural TLB and the matching softmmu entries.
 */
#ifndef TANDEM_MMU_MMU_H
#define TANDEM_MMU_MMU_H

#include "cpu/cpu.h"

typedef enum MMUAccessType {
    MMU_ACCESS_READ = 0,
    MMU_ACCESS_WRITE = 1,
    MMU_ACCESS_FETCH = 2,
} MMUAccessType;

/* Fault kinds, mapped to DFSC/IFSC by mmu_fault_fsc(). */
typedef enum MMUFaultType {
    MMU_FAULT_NONE = 0,
    MMU_FAULT_TRANSLATION,
    MMU_FAULT_ACCESS_FLAG,
    MMU_FAULT_PERMISSION,
    MMU_FAULT_ADDRESS_SIZE,
    MMU_FAULT_ALIGNMENT,
    MMU_FAULT_SYNC_EXTERNAL,        /* nothing at the PA, or a device refused */
    MMU_FAULT_SYNC_EXTERNAL_WALK,   /* external abort on a table walk, at level */
    MMU_FAULT_TLB_CONFLICT,
} MMUFaultType;

typedef struct MMUFault {
    MMUFaultType type;
    int level;            /* -1..3 for walk faults */
    bool stage2;          /* the fault is a stage-2 fault: goes to EL2 with HPFAR */
    bool s1ptw;           /* stage-2 fault on a stage-1 table walk */
    uint64_t ipa;         /* for stage-2 faults: the faulting IPA (HPFAR_EL2) */
    bool write;           /* WnR */
    bool cm;              /* cache maintenance */
    bool ipa_valid;       /* ipa is known (HPFAR_EL2 valid) */
} MMUFault;

/* Result of a successful translation. */
typedef struct MMUResult {
    uint64_t pa;
    uint64_t page_size;   /* size of the mapping actually used (≥ 4 KiB) */
    bool readable, writable, executable;   /* for this mmu_idx's privilege; writable only
                                              when no dirty-state update is pending */
    bool device;          /* Device memory: no unaligned access, no fast path */
    bool guarded;         /* BTI GP bit */
    uint8_t attrs;        /* final MAIR-style attribute byte */
    uint8_t sh;           /* final shareability (SH encoding) */
    uint64_t ipa;         /* intermediate PA when stage 2 applied, else pa */
} MMUResult;

/* Per-CPU MMU state (architectural TLB etc.). */
void mmu_cpu_init(CPUState *cpu);
void mmu_cpu_destroy(CPUState *cpu);

/*
 * Translate va for an access of the given type at cpu->mmu_idx-equivalent
 * mmu_idx. On failure fills *fault and returns false; the caller raises the
 * abort (cpu_raise_abort in cpu/mem.c), which routes stage-2 faults to EL2.
 */
bool mmu_translate(CPUState *cpu, uint64_t va, MMUAccessType access, MMUIdx mmu_idx,
                   MMUResult *res, MMUFault *fault);

/* Flush every softmmu entry of this CPU (cheap, used by TLBI and regime changes). */
void mmu_flush_soft_tlb(CPUState *cpu);

/*
 * Flush the softmmu entries of the translation regimes that a register of
 * exception level `el` controls (1: EL1&0; 2: EL2 and EL2&0; 3: EL3; 0: all).
 */
void mmu_flush_soft_el(CPUState *cpu, unsigned el);

/* Fault status code (DFSC/IFSC, ESR bits [5:0]) for a fault record. */
unsigned mmu_fault_fsc(const MMUFault *fault);


/*
 * System instructions dispatched by the system-register table (cpu/) after
 * its trap checks. enc is the instruction's (op0,op1,CRn,CRm,op2) packed as
 * op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2 (the order of ESR's ISS fields).
 */
void mmu_tlbi(CPUState *cpu, uint32_t enc, uint64_t xt);       /* every TLBI, incl. IS/OS broadcast */
void mmu_at(CPUState *cpu, uint32_t enc, uint64_t va);          /* AT *: result in PAR_EL1 */
/*
 * AT with the one case PAR_EL1 cannot report: an AT S1E0* / S1E1* executed at
 * EL1 whose stage-1 walk takes a stage-2 fault is a stage-2 Data Abort to EL2
 * (S1PTW = 1), not a PAR result. Returns false and fills *fault for that case:
 * the caller does `return cpu_raise_abort(cpu, fault, va, MMU_ACCESS_READ)`.
 * Otherwise writes PAR_EL1 and returns true. (mmu_at() is this without the
 * exception: it reports that case in PAR_EL1 with S = 1, PTW = 1.)
 */
bool mmu_at_checked(CPUState *cpu, uint32_t enc, uint64_t va, MMUFault *fault);
#define MMU_SYSREG_ENC(op0, op1, crn, crm, op2) \
    (((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

/*
 * True if enc is a TLBI / AT operation this MMU implements for the features
 * advertised in cpu->id (FEAT_TLBIOS, FEAT_TLBIRANGE from ID_AA64ISAR0_EL1.TLB).
 * The sysreg table may use it to make the others UNDEFINED.
 */
bool mmu_tlbi_implemented(const CPUState *cpu, uint32_t enc);

/*
 * `-cpu max,tlb=strict`: architectural TLB entries live until a TLBI whose
 * scope covers them; never dropped for capacity or on context changes. Call
 * after mmu_cpu_init (the feature model parses the option).
 */
void mmu_set_tlb_strict(CPUState *cpu, bool strict);

/*
 * Which writes flush the soft TLB: cpu->tlb is not tagged by ASID/VMID/regime
 * controls, so the sysreg table flushes after writes to SCTLR_ELx, TCR_ELx,
 * TTBR0/1_ELx, MAIR_ELx (the regimes of that EL), VTCR_EL2, VTTBR_EL2 (EL1&0,
 * the only regime with a stage 2), HCR_EL2 and SCR_EL3 (all). The
 * architectural TLB is tagged and keeps its entries.
 */

/* --- walk tracing (gdbstub, `-d mmu`) --- */
typedef struct MMUWalkStep {
    bool stage2;          /* descriptor of a stage-2 walk */
    bool s1ptw;           /* stage-2 walk done for a stage-1 table access */
    int level;
    uint64_t ia;          /* input address of this walk (VA or IPA) */
    uint64_t desc_pa;     /* physical address of the descriptor */
    uint64_t desc;        /* raw value read */
} MMUWalkStep;
typedef void (*MMUWalkTraceFn)(void *opaque, const MMUWalkStep *step);

/*
 * Translate va as an access from mmu_idx without side effects (no TLB fill,
 * no AF/dirty update, no exception), calling trace (may be NULL) for every
 * descriptor read of either stage. Returns true with *res (permissions for
 * mmu_idx) or false with *fault.
 */
bool mmu_walk_debug(CPUState *cpu, uint64_t va, MMUIdx mmu_idx, MMUAccessType access,
                    MMUWalkTraceFn trace, void *opaque, MMUResult *res, MMUFault *fault);

#endif
