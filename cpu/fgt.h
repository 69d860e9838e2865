/*
 * FEAT_FGT: fine-grained traps of EL0/EL1 accesses to EL2 (Arm ARM D19.2
 * HFGRTR_EL2, HFGWTR_EL2, HFGITR_EL2, HDFGRTR_EL2, HDFGWTR_EL2).
 *
 * The mapping "register or instruction encoding -> trap register and bit"
 * is the table in cpu/fgt_table.c (one row per encoding; reads use the R
 * register of the row's group, writes the W register, instructions
 * HFGITR_EL2). The access engine (cpu/sysreg.c) asks fgt_sysreg_trapped()
 * after the row's own EL0/EL1 enable checks: a fine-grained trap has the
 * rank of the HCR_EL2/MDCR_EL2 traps of the same access (same EC 0x18 and
 * ISS, to EL2) and comes before every EL3 trap. ERET/ERETAA/ERETAB and SVC
 * have their own bits (HFGITR_EL2.ERET, SVC_EL0, SVC_EL1).
 *
 * Traps apply when FEAT_FGT is advertised, EL2 is enabled, the access is
 * from EL1, or from EL0 with HCR_EL2.{E2H,TGE} != {1,1}, and SCR_EL3.FGTEn
 * is 1 (when EL3 is implemented). Bits whose register or instruction
 * Tandem does not implement are RES0 (fgt_write_reg masks them). There is
 * no FEAT_AMUv1, so HAFGRTR_EL2 does not exist.
 */
#ifndef TANDEM_CPU_FGT_H
#define TANDEM_CPU_FGT_H

#include "cpu/sysreg.h"

/* Which pair of trap registers a row's bit lives in. */
typedef enum FGTGroup {
    FGT_HFGxTR = 1,     /* HFGRTR_EL2 (reads) / HFGWTR_EL2 (writes) */
    FGT_HFGITR = 2,     /* HFGITR_EL2 (instructions) */
    FGT_HDFGxTR = 3,    /* HDFGRTR_EL2 (reads) / HDFGWTR_EL2 (writes) */
} FGTGroup;

/* The five trap registers, for fgt_valid_mask(). */
typedef enum FGTReg { FGT_HFGRTR, FGT_HFGWTR, FGT_HFGITR_REG, FGT_HDFGRTR, FGT_HDFGWTR, FGT_NREGS } FGTReg;

enum {
    FGTF_ANY_CRM = 1u << 0,    /* the row stands for CRm = 0..15 (DBGBCR<n>_EL1...) */
    FGTF_NOT_SYSREG = 1u << 1, /* ERET / SVC: not a system-register encoding */
};

typedef struct FGTRow {
    const char *name;
    uint32_t enc;       /* MMU_SYSREG_ENC(op0, op1, CRn, CRm, op2) */
    uint8_t group;      /* FGTGroup */
    uint8_t bit;
    uint8_t flags;      /* FGTF_* */
} FGTRow;

extern const FGTRow fgt_table[];
extern const unsigned fgt_table_count;

/* HFGITR_EL2 bits that are not system-register encodings. */
#define FGT_HFGITR_ERET 51
#define FGT_HFGITR_SVC_EL0 52
#define FGT_HFGITR_SVC_EL1 53

/* Do the fine-grained trap controls apply to an access from the current EL? */
bool fgt_active(const CPUState *cpu);

/* The row for enc (NULL: no fine-grained trap covers it). */
const FGTRow *fgt_lookup(uint32_t enc);

/* Is this MRS (isread) / MSR / SYS of enc trapped to EL2 by FEAT_FGT? */
bool fgt_sysreg_trapped(const CPUState *cpu, uint32_t enc, bool isread);

/* ERET, ERETAA, ERETAB at EL1 (HFGITR_EL2.ERET; EC 0x1A like HCR_EL2.NV). */
bool fgt_eret_trapped(const CPUState *cpu);

/* SVC at EL0/EL1 (HFGITR_EL2.SVC_EL0/SVC_EL1): EC 0x15 to EL2, ELR = the SVC itself. */
bool fgt_svc_trapped(const CPUState *cpu);

/* Bits of a trap register that are not RES0 on this CPU (their register/instruction exists). */
uint64_t fgt_valid_mask(const CPUState *cpu, FGTReg reg);

/* Write function of the HFG*_EL2 / HDFG*_EL2 rows: applies fgt_valid_mask. */
ExecStatus fgt_write_reg(CPUState *cpu, const SysRegDef *r, uint64_t v);

#endif
