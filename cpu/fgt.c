/*
 * FEAT_FGT fine-grained traps: the checks (Arm ARM pseudocode of each
 * register's MRS/MSR/SYS access, e.g. SCTLR_EL1: "elsif EL2Enabled() &&
 * (!HaveEL(EL3) || SCR_EL3.FGTEn == '1') && HFGRTR_EL2.SCTLR_EL1 == '1'
 * then AArch64.SystemAccessTrap(EL2, 0x18)"; AArch64.CheckForERetTrap;
 * AArch64.CheckForSVCTrap) and the RES0 masks of the trap registers.
 * The table is cpu/fgt_table.c; the interface cpu/fgt.h.
 */
#include <pthread.h>
#include <string.h>

#include "cpu/features.h"
#include "cpu/fgt.h"
#include "cpu/regime.h"

/* encoding -> row index + 1 (0: no fine-grained trap). */
static uint8_t fgt_index[1u << 16];
static pthread_once_t fgt_index_once = PTHREAD_ONCE_INIT;

static void fgt_index_build(void)
{
    /* fgt_index holds uint8_t: the unit test checks fgt_table_count < 255. */
    for (unsigned i = 0; i < fgt_table_count; i++) {
        const FGTRow *row = &fgt_table[i];
        if (row->flags & FGTF_NOT_SYSREG) {
            continue;
        }
        unsigned ncrm = (row->flags & FGTF_ANY_CRM) ? 16 : 1;
        for (unsigned crm = 0; crm < ncrm; crm++) {
            uint32_t enc = (row->enc & 0xffff) | (crm << 3);
            if (!fgt_index[enc]) {
                fgt_index[enc] = (uint8_t)(i + 1);
            }
        }
    }
}

const FGTRow *fgt_lookup(uint32_t enc)
{
    pthread_once(&fgt_index_once, fgt_index_build);
    uint8_t i = fgt_index[enc & 0xffff];
    return i ? &fgt_table[i - 1] : NULL;
}

bool fgt_active(const CPUState *cpu)
{
    if (cpu->el > 1 || !cpu_have_fgt(cpu) || !cpu_el2_enabled(cpu)) {
        return false;
    }
    if (cpu_have_el3(cpu) && !(cpu->sr.SCR_EL3 & SCR_FGTEN)) {
        return false;
    }
    /* EL0 in the EL2&0 host regime (HCR_EL2.{E2H,TGE} = {1,1}) is not trapped. */
    return !(cpu->el == 0 && (cpu->sr.HCR_EL2 & (HCR_E2H | HCR_TGE)) == (HCR_E2H | HCR_TGE));
}

static uint64_t fgt_reg_value(const CPUState *cpu, unsigned group, bool isread)
{
    switch (group) {
    case FGT_HFGxTR: return isread ? cpu->sr.HFGRTR_EL2 : cpu->sr.HFGWTR_EL2;
    case FGT_HFGITR: return cpu->sr.HFGITR_EL2;
    case FGT_HDFGxTR: return isread ? cpu->sr.HDFGRTR_EL2 : cpu->sr.HDFGWTR_EL2;
    default: return 0;
    }
}

bool fgt_sysreg_trapped(const CPUState *cpu, uint32_t enc, bool isread)
{
    if (!fgt_active(cpu)) {
        return false;
    }
    const FGTRow *row = fgt_lookup(enc);
    return row && ((fgt_reg_value(cpu, row->group, isread) >> row->bit) & 1);
}

bool fgt_eret_trapped(const CPUState *cpu)
{
    return cpu->el == 1 && fgt_active(cpu) && ((cpu->sr.HFGITR_EL2 >> FGT_HFGITR_ERET) & 1);
}

bool fgt_svc_trapped(const CPUState *cpu)
{
    unsigned bit = cpu->el == 0 ? FGT_HFGITR_SVC_EL0 : FGT_HFGITR_SVC_EL1;
    return fgt_active(cpu) && ((cpu->sr.HFGITR_EL2 >> bit) & 1);
}

/* Does the register or instruction at enc exist with the access flag `need` (SRF_R / SRF_W)? */
static bool fgt_target_exists(const CPUState *cpu, uint32_t enc, unsigned need)
{
    const SysRegDef *r = sysreg_lookup(enc);
    if (!r || !(r->flags & need) || !sysreg_present(cpu, r)) {
        return false;
    }
    /* GIC CPU-interface registers exist with the system-register interface only. */
    if ((enc & 0xffc0) == MMU_SYSREG_ENC(3, 0, 12, 8, 0)) {     /* ICC_*: CRn 12, CRm 8..15 */
        return ID_FIELD(cpu, ID_AA64PFR0_EL1, 24) != 0;
    }
    return true;
}

static uint64_t fgt_compute_mask(const CPUState *cpu, FGTReg reg)
{
    static const struct { uint8_t group; uint8_t need; } kind[FGT_NREGS] = {
        [FGT_HFGRTR] = { FGT_HFGxTR, SRF_R }, [FGT_HFGWTR] = { FGT_HFGxTR, SRF_W },
        [FGT_HFGITR_REG] = { FGT_HFGITR, SRF_SYS }, [FGT_HDFGRTR] = { FGT_HDFGxTR, SRF_R },
        [FGT_HDFGWTR] = { FGT_HDFGxTR, SRF_W },
    };
    uint64_t mask = 0;
    for (unsigned i = 0; i < fgt_table_count; i++) {
        const FGTRow *row = &fgt_table[i];
        if (row->group != kind[reg].group) {
            continue;
        }
        if (row->flags & FGTF_NOT_SYSREG) {
            mask |= 1ULL << row->bit;       /* ERET, SVC: always there with FEAT_FGT */
            continue;
        }
        unsigned ncrm = (row->flags & FGTF_ANY_CRM) ? 16 : 1;
        for (unsigned crm = 0; crm < ncrm; crm++) {
            if (fgt_target_exists(cpu, (row->enc & 0xffff) | (crm << 3), kind[reg].need)) {
                mask |= 1ULL << row->bit;
                break;
            }
        }
    }
    return mask;
}

/* The masks depend only on the ID registers: keep the last CPU model's. */
static struct {
    bool valid;
    CPUIDRegs id;
    uint64_t mask[FGT_NREGS];
} fgt_mask_cache;

uint64_t fgt_valid_mask(const CPUState *cpu, FGTReg reg)
{
    if (!fgt_mask_cache.valid || memcmp(&fgt_mask_cache.id, &cpu->id, sizeof(cpu->id)) != 0) {
        for (unsigned i = 0; i < FGT_NREGS; i++) {
            fgt_mask_cache.mask[i] = fgt_compute_mask(cpu, (FGTReg)i);
        }
        fgt_mask_cache.id = cpu->id;
        fgt_mask_cache.valid = true;
    }
    return fgt_mask_cache.mask[reg];
}

ExecStatus fgt_write_reg(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    FGTReg reg;
    switch (r->enc & 0xffff) {
    case MMU_SYSREG_ENC(3, 4, 1, 1, 4): reg = FGT_HFGRTR; break;
    case MMU_SYSREG_ENC(3, 4, 1, 1, 5): reg = FGT_HFGWTR; break;
    case MMU_SYSREG_ENC(3, 4, 1, 1, 6): reg = FGT_HFGITR_REG; break;
    case MMU_SYSREG_ENC(3, 4, 3, 1, 4): reg = FGT_HDFGRTR; break;
    case MMU_SYSREG_ENC(3, 4, 3, 1, 5): reg = FGT_HDFGWTR; break;
    default: sysreg_store(cpu, r, v); return EXEC_SYNC;
    }
    sysreg_store(cpu, r, v & fgt_valid_mask(cpu, reg));
    return EXEC_SYNC;
}
