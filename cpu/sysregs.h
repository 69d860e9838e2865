/*
 * Storage for the architectural system registers of one vCPU.
 *
 * Registers that exist at several ELs with the same layout are arrays indexed
 * by EL ("SCTLR_ELx[2]" is SCTLR_EL2); index 0 is used only where an _EL0
 * register exists (SP_EL0, TPIDR_EL0). Everything else is a named field
 * spelled as in the Arm ARM. The access rules (encodings, traps, VHE
 * redirection, reset values) are in the table in cpu/sysreg_table.c; this
 * file is only where the values live.
 *
 * GIC CPU-interface registers (ICC_*, ICH_*) live with the GIC model in
 * devices/gicv3*, timer registers with the timer model: the table reaches
 * them through hooks.
 */
#ifndef TANDEM_CPU_SYSREGS_H
#define TANDEM_CPU_SYSREGS_H

#include "core/types.h"

#define DBG_NUM_BRPS 16
#define DBG_NUM_WRPS 16

typedef struct PAuthKey {
    uint64_t lo, hi;
} PAuthKey;

typedef struct CPUSysRegs {
    /* Banked by EL: [1]=EL1, [2]=EL2, [3]=EL3 (and [0] where an EL0 one exists). */
    uint64_t SP_ELx[4];
    uint64_t ELR_ELx[4];
    uint64_t SPSR_ELx[4];
    uint64_t ESR_ELx[4];
    uint64_t FAR_ELx[4];
    uint64_t VBAR_ELx[4];
    uint64_t SCTLR_ELx[4];
    uint64_t ACTLR_ELx[4];
    uint64_t TTBR0_ELx[4];
    uint64_t TTBR1_ELx[4];   /* EL1, EL2 (VHE) */
    uint64_t TCR_ELx[4];
    uint64_t MAIR_ELx[4];
    uint64_t AMAIR_ELx[4];
    uint64_t AFSR0_ELx[4];
    uint64_t AFSR1_ELx[4];
    uint64_t TPIDR_ELx[4];   /* [0] = TPIDR_EL0 */
    uint64_t CONTEXTIDR_ELx[4]; /* EL1, EL2 */
    uint64_t ZCR_ELx[4];
    uint64_t SCXTNUM_ELx[4];
    uint64_t TFSR_ELx[4];

    /* EL0 / EL1 */
    uint64_t TPIDRRO_EL0;
    uint64_t CPACR_EL1;
    uint64_t PAR_EL1;
    uint64_t CSSELR_EL1;
    uint64_t CNTKCTL_EL1;
    uint64_t MDSCR_EL1;
    uint64_t OSLSR_EL1;
    uint64_t OSDLR_EL1;
    uint64_t MDCCINT_EL1;
    uint64_t DISR_EL1;
    uint64_t GCR_EL1;
    uint64_t RGSR_EL1;
    uint64_t DBGBVR_EL1[DBG_NUM_BRPS];
    uint64_t DBGBCR_EL1[DBG_NUM_BRPS];
    uint64_t DBGWVR_EL1[DBG_NUM_WRPS];
    uint64_t DBGWCR_EL1[DBG_NUM_WRPS];
    uint64_t DBGCLAIM;

    /* Pointer authentication keys (FEAT_PAuth). */
    PAuthKey APIAKey, APIBKey, APDAKey, APDBKey, APGAKey;

    /* EL2 */
    uint64_t HCR_EL2;
    uint64_t HCRX_EL2;
    uint64_t MDCR_EL2;
    uint64_t CPTR_EL2;
    uint64_t HSTR_EL2;
    uint64_t HACR_EL2;
    uint64_t VTTBR_EL2;
    uint64_t VTCR_EL2;
    uint64_t HPFAR_EL2;
    uint64_t VPIDR_EL2;
    uint64_t VMPIDR_EL2;
    uint64_t CNTHCTL_EL2;
    uint64_t CNTVOFF_EL2;
    uint64_t VNCR_EL2;
    uint64_t HFGRTR_EL2, HFGWTR_EL2, HFGITR_EL2, HDFGRTR_EL2, HDFGWTR_EL2, HAFGRTR_EL2;
    uint64_t VDISR_EL2;
    uint64_t VSESR_EL2;

    /* EL3 */
    uint64_t SCR_EL3;
    uint64_t CPTR_EL3;
    uint64_t MDCR_EL3;

    /* Performance monitors: a minimal, architecturally valid PMU. */
    uint64_t PMCR_EL0, PMCNTENSET_EL0, PMOVSSET_EL0, PMINTENSET_EL1;
    uint64_t PMUSERENR_EL0, PMSELR_EL0, PMCCNTR_EL0, PMCCFILTR_EL0;
} CPUSysRegs;

/*
 * ID registers and other read-only identification, filled in from the CPU
 * model (cpu/features.c) before reset. These are the values software reads;
 * every feature test inside Tandem reads these same fields (cpu_feature_*),
 * so what is advertised is exactly what is implemented.
 */
typedef struct CPUIDRegs {
    uint64_t MIDR_EL1, REVIDR_EL1, MPIDR_EL1;
    uint64_t ID_AA64PFR0_EL1, ID_AA64PFR1_EL1;
    uint64_t ID_AA64DFR0_EL1, ID_AA64DFR1_EL1;
    uint64_t ID_AA64ISAR0_EL1, ID_AA64ISAR1_EL1, ID_AA64ISAR2_EL1;
    uint64_t ID_AA64MMFR0_EL1, ID_AA64MMFR1_EL1, ID_AA64MMFR2_EL1;
    uint64_t ID_AA64ZFR0_EL1, ID_AA64SMFR0_EL1;
    uint64_t ID_AA64AFR0_EL1, ID_AA64AFR1_EL1;
    uint64_t CTR_EL0, DCZID_EL0, CLIDR_EL1;
    uint64_t CCSIDR_EL1[16];
    uint64_t AIDR_EL1;
} CPUIDRegs;

#endif
