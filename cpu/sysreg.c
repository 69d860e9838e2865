/*
 * The system-register access engine: lookup by encoding, the trap checks
 * common to all rows (in the order of the Arm ARM's per-register access
 * pseudocode), VHE redirection, storage reads/writes with RES0/RES1 masks.
 * The rows themselves are in cpu/sysreg_table.c.
 */
#include <inttypes.h>
#include <pthread.h>

#include "core/log.h"
#include "cpu/features.h"
#include "cpu/fgt.h"
#include "cpu/nv.h"
#include "cpu/regime.h"
#include "cpu/sysreg.h"
#include "devices/cpu_hooks.h"
#include "mmu/mmu.h"

/* Direct index: encoding -> row number + 1 (0 = no row). */
static uint16_t sysreg_index[1u << 16];
static pthread_once_t sysreg_index_once = PTHREAD_ONCE_INIT;

/* Rows synthesised for registers owned by devices (GIC, timers) and the
 * reserved ID space; they have no storage and dispatch by flags. */
static const SysRegDef sysreg_gic_row = { .name = "ICC/ICH (GIC)", .min_el = 0, .flags = SRF_RW | SRF_CONST };
static const SysRegDef sysreg_timer_row = { .name = "CNT (timer)", .min_el = 0, .flags = SRF_RW | SRF_CONST };
static const SysRegDef sysreg_raz_id_row = { .name = "reserved ID register", .min_el = 1,
                                             .flags = SRF_R | SRF_CONST, .traps = TR_TID3 };
static uint8_t sysreg_hook_kind[1u << 16];   /* 1 = gic, 2 = timer */

static void sysreg_index_build(void)
{
    for (unsigned i = 0; i < sysreg_table_count; i++) {
        uint32_t enc = sysreg_table[i].enc & 0xffff;
        if (!sysreg_index[enc]) {
            sysreg_index[enc] = (uint16_t)(i + 1);
        }
    }
    /* Device-owned registers the table does not define itself. */
    for (uint32_t enc = 0xc000; enc <= 0xffff; enc++) {
        if (sysreg_index[enc]) {
            continue;
        }
        if (gicv3_sysreg_owns(enc)) {
            sysreg_hook_kind[enc] = 1;
        } else if (timer_sysreg_owns(enc)) {
            sysreg_hook_kind[enc] = 2;
        }
    }
}

const SysRegDef *sysreg_lookup(uint32_t enc)
{
    pthread_once(&sysreg_index_once, sysreg_index_build);
    enc &= 0xffff;
    uint16_t i = sysreg_index[enc];
    if (i) {
        return &sysreg_table[i - 1];
    }
    switch (sysreg_hook_kind[enc]) {
    case 1: return &sysreg_gic_row;
    case 2: return &sysreg_timer_row;
    default: break;
    }
    /* op0=3, op1=0, CRn=0, CRm=1..7: the ID register space; unallocated ones are RAZ. */
    if ((enc >> 14) == 3 && ((enc >> 11) & 7) == 0 && ((enc >> 7) & 15) == 0 &&
        ((enc >> 3) & 15) >= 1) {
        return &sysreg_raz_id_row;
    }
    return NULL;
}

bool sysreg_present(const CPUState *cpu, const SysRegDef *r)
{
    switch ((SysRegFeat)r->feat) {
    case SRFEAT_NONE: return true;
    case SRFEAT_EL2: return cpu_have_el2(cpu);
    case SRFEAT_EL3: return cpu_have_el3(cpu);
    case SRFEAT_VHE: return cpu_have_vhe(cpu);
    case SRFEAT_PAUTH: return cpu_have_pauth(cpu) || cpu_have_pacga(cpu);
    case SRFEAT_SVE: return cpu_have_sve(cpu);
    case SRFEAT_PMU: return cpu_have_pmu(cpu);
    case SRFEAT_PAN: return cpu_have_pan(cpu);
    case SRFEAT_PAN2: return cpu_have_pan2(cpu);
    case SRFEAT_UAO: return cpu_have_uao(cpu);
    case SRFEAT_DIT: return cpu_have_dit(cpu);
    case SRFEAT_SSBS: return ID_FIELD(cpu, ID_AA64PFR1_EL1, 4) >= 2;
    case SRFEAT_FGT: return cpu_have_fgt(cpu);
    case SRFEAT_NV2: return cpu_have_nv2(cpu);
    case SRFEAT_HCX: return cpu_have_hcx(cpu);
    case SRFEAT_RAS: return cpu_have_ras(cpu);
    case SRFEAT_FP: return cpu_have_fp(cpu);
    case SRFEAT_DPB: return cpu_have_dpb(cpu);
    case SRFEAT_DPB2: return cpu_have_dpb2(cpu);
    case SRFEAT_MTE: return cpu_have_mte(cpu);
    case SRFEAT_LOR: return cpu_have_lor(cpu);
    case SRFEAT_SPECRES: return cpu_have_specres(cpu);
    case SRFEAT_TLBIOS: return ID_FIELD(cpu, ID_AA64ISAR0_EL1, 56) >= 1;
    case SRFEAT_TLBIRANGE: return ID_FIELD(cpu, ID_AA64ISAR0_EL1, 56) >= 2;
    case SRFEAT_RNG: return ID_FIELD(cpu, ID_AA64ISAR0_EL1, 60) >= 1;
    }
    return false;
}

void sysreg_reset(CPUState *cpu)
{
    for (unsigned i = 0; i < sysreg_table_count; i++) {
        const SysRegDef *r = &sysreg_table[i];
        if (r->offset <= 0 || (r->flags & (SRF_CONST | SRF_EL12 | SRF_SYS))) {
            continue;
        }
        if (r->flags & SRF_W32) {
            *(uint32_t *)((char *)cpu + r->offset) = (uint32_t)r->reset;
        } else {
            *(uint64_t *)((char *)cpu + r->offset) = r->reset;
        }
    }
}

/* The storage an access reaches (VHE: EL1 names at EL2 with E2H reach EL2 registers). */
static int32_t sysreg_storage(const CPUState *cpu, const SysRegDef *r)
{
    if (r->el2_offset > 0 && cpu->el == 2 && (cpu->sr.HCR_EL2 & HCR_E2H)) {
        return r->el2_offset;
    }
    return r->offset;
}

/*
 * Which EL's translation regimes a SRF_FLUSH write changes (for
 * mmu_flush_soft_el): the per-EL translation controls by their storage index
 * (after VHE redirection), VTTBR/VTCR_EL2 the EL1&0 regime (the only one with
 * a stage 2), anything else (HCR_EL2, SCR_EL3) every regime (0).
 */
static unsigned sysreg_flush_el(const CPUState *cpu, const SysRegDef *r)
{
#define PER_EL(f) { offsetof(CPUState, sr.f[0]), sizeof(((CPUState *)0)->sr.f) }
    static const struct { size_t base, size; } per_el[] = {
        PER_EL(SCTLR_ELx), PER_EL(TTBR0_ELx), PER_EL(TTBR1_ELx), PER_EL(TCR_ELx), PER_EL(MAIR_ELx),
    };
#undef PER_EL
    size_t off = (size_t)sysreg_storage(cpu, r);
    for (size_t i = 0; i < ARRAY_SIZE(per_el); i++) {
        if (off >= per_el[i].base && off < per_el[i].base + per_el[i].size) {
            return (unsigned)((off - per_el[i].base) / sizeof(uint64_t));
        }
    }
    if (off == offsetof(CPUState, sr.VTTBR_EL2) || off == offsetof(CPUState, sr.VTCR_EL2)) {
        return 1;
    }
    return 0;
}

/*
 * The trap/enable checks common to every row. Order follows the Arm ARM
 * access pseudocode: EL and NV traps, the row's own rule (EL0 enables,
 * SCR/CPTR rules), then HCR_EL2, MDCR_EL2, then EL3 controls.
 */
static SysRegAccess sysreg_check(CPUState *cpu, const SysRegDef *r, bool isread)
{
    unsigned el = cpu->el;
    uint64_t hcr = cpu_hcr_el2(cpu);

    if (!sysreg_present(cpu, r)) {
        return SR_UNDEF;
    }
    if (!(r->flags & (isread ? SRF_R : SRF_W))) {
        return SR_UNDEF;
    }
    if (r->flags & SRF_EL12) {
        if (el == 1 && (hcr & HCR_NV)) {
            return SR_TRAP_EL2;
        }
        if (el < 2 || !cpu_el2_enabled(cpu) || !(cpu->sr.HCR_EL2 & HCR_E2H)) {
            return SR_UNDEF;
        }
    }
    if (el < r->min_el) {
        /* FEAT_NV: EL1 accesses to EL2 registers trap to EL2 with HCR_EL2.NV. */
        if (el == 1 && r->min_el == 2 && (r->flags & SRF_EL2REG) && (hcr & HCR_NV)) {
            return SR_TRAP_EL2;
        }
        return SR_UNDEF;
    }
    if (r->access) {
        SysRegAccess a = r->access(cpu, r, isread);
        if (a == SR_TRAP_EL3 && fgt_sysreg_trapped(cpu, r->enc, isread)) {
            a = SR_TRAP_EL2;    /* a fine-grained trap outranks the EL3 traps (e.g. SCR_EL3.TLOR) */
        }
        if (a != SR_OK) {
            return a;
        }
    }
    if (el == 1 && (r->flags & SRF_IMPDEF) && (hcr & HCR_TIDCP)) {
        return SR_TRAP_EL2;
    }
    /* FEAT_FGT (cpu/fgt.h): ranks with the HCR_EL2/MDCR_EL2 traps below, before EL3's. */
    if (fgt_sysreg_trapped(cpu, r->enc, isread)) {
        return SR_TRAP_EL2;
    }
    uint32_t t = r->traps;
    if (!t) {
        return SR_OK;
    }
    if (el <= 1 && !cpu_el_is_in_host(cpu, el) && cpu_el2_enabled(cpu)) {
        if (el == 1 && (t & TR_TVM) && (hcr & (isread ? HCR_TRVM : HCR_TVM))) {
            return SR_TRAP_EL2;
        }
        if (el == 1 && (t & TR_TID1) && (hcr & HCR_TID1)) {
            return SR_TRAP_EL2;
        }
        if ((t & TR_TID2) && (hcr & HCR_TID2)) {
            return SR_TRAP_EL2;
        }
        if (el == 1 && (t & TR_TID3) && (hcr & HCR_TID3)) {
            return SR_TRAP_EL2;
        }
        if (el == 1 && (t & TR_TACR) && (hcr & HCR_TACR)) {
            return SR_TRAP_EL2;
        }
        if (el == 1 && (t & TR_TSW) && (hcr & HCR_TSW)) {
            return SR_TRAP_EL2;
        }
        if ((t & TR_TPCP) && (hcr & HCR_TPCP)) {
            return SR_TRAP_EL2;
        }
        if ((t & TR_TPU) && (hcr & HCR_TPU)) {
            return SR_TRAP_EL2;
        }
        if (el == 1 && (t & TR_TTLB) && (hcr & HCR_TTLB)) {
            return SR_TRAP_EL2;
        }
        if ((t & TR_TDZ) && (hcr & HCR_TDZ)) {
            return SR_TRAP_EL2;
        }
        if (el == 1 && (t & TR_APK) && !(hcr & HCR_APK)) {
            return SR_TRAP_EL2;
        }
    }
    if (el <= 1 && cpu_el2_enabled(cpu)) {
        uint64_t mdcr = cpu->sr.MDCR_EL2;
        bool tde = (mdcr & MDCR_TDE) || (hcr & HCR_TGE);
        if ((t & TR_TDA) && ((mdcr & MDCR_TDA) || tde)) {
            return SR_TRAP_EL2;
        }
        if ((t & TR_TDOSA) && ((mdcr & MDCR_TDOSA) || tde)) {
            return SR_TRAP_EL2;
        }
        if ((t & TR_TDRA) && ((mdcr & MDCR_TDRA) || tde)) {
            return SR_TRAP_EL2;
        }
        if ((t & TR_TPM) && (mdcr & MDCR_TPM)) {
            return SR_TRAP_EL2;
        }
        if ((t & TR_TPMCR) && ((mdcr & MDCR_TPMCR) || (mdcr & MDCR_TPM))) {
            return SR_TRAP_EL2;
        }
    }
    if (el <= 2 && cpu_have_el3(cpu)) {
        if ((t & TR_APK) && !(cpu->sr.SCR_EL3 & SCR_APK)) {
            return SR_TRAP_EL3;
        }
        if ((t & (TR_TDA | TR_TDRA)) && (cpu->sr.MDCR_EL3 & MDCR3_TDA)) {
            return SR_TRAP_EL3;
        }
        if ((t & TR_TDOSA) && (cpu->sr.MDCR_EL3 & MDCR3_TDOSA)) {
            return SR_TRAP_EL3;
        }
        if ((t & (TR_TPM | TR_TPMCR)) && (cpu->sr.MDCR_EL3 & MDCR3_TPM)) {
            return SR_TRAP_EL3;
        }
    }
    if (t & TR_FP) {
        if (cpu_check_fp_enabled(cpu) != EXEC_NEXT) {
            return SR_TAKEN;
        }
    }
    return SR_OK;
}

/*
 * An MRS/MSR encoding with no row. op0=3, CRn=11 or 15 is the space reserved
 * for IMPLEMENTATION DEFINED registers (Tandem has none): HCR_EL2.TIDCP traps
 * EL1 accesses to them to EL2 (EC 0x18) ahead of the UNDEFINED they otherwise
 * are; EL0 accesses stay UNDEFINED (IMPLEMENTATION DEFINED, docs/impdef.md).
 */
static SysRegAccess sysreg_missing(CPUState *cpu, uint32_t enc)
{
    unsigned crn = (enc >> 7) & 15;
    if ((enc >> 14) == 3 && (crn == 11 || crn == 15) && cpu->el == 1 &&
        (cpu_hcr_el2(cpu) & HCR_TIDCP)) {
        return SR_TRAP_EL2;
    }
    return SR_UNDEF;
}

static ExecStatus sysreg_fail(CPUState *cpu, SysRegAccess a, uint32_t enc, unsigned rt, bool isread)
{
    uint32_t iss = sysreg_trap_iss(enc, rt, isread);
    switch (a) {
    case SR_TRAP_EL1:
        return cpu_raise_trap(cpu, cpu_sync_target_el(cpu), EC_SYSTEMREGISTERTRAP, iss);
    case SR_TRAP_EL2:
        return cpu_raise_trap(cpu, 2, EC_SYSTEMREGISTERTRAP, iss);
    case SR_TRAP_EL3:
        return cpu_raise_trap(cpu, 3, EC_SYSTEMREGISTERTRAP, iss);
    case SR_TAKEN:
        return EXEC_EXCEPTION;
    default:
        if (log_enabled(LOG_UNIMP | LOG_GUEST_ERRORS)) {
            log_printf("sysreg: %s of S%u_%u_C%u_C%u_%u at EL%u: UNDEFINED\n",
                       isread ? "read" : "write", (enc >> 14) & 3, (enc >> 11) & 7,
                       (enc >> 7) & 15, (enc >> 3) & 15, enc & 7, cpu->el);
        }
        return cpu_raise_undef(cpu);
    }
}

static ExecStatus sysreg_hook_fail(CPUState *cpu, unsigned trap_el, uint32_t enc, unsigned rt, bool isread)
{
    if (!trap_el) {
        return cpu_raise_undef(cpu);
    }
    return cpu_raise_trap(cpu, trap_el, EC_SYSTEMREGISTERTRAP, sysreg_trap_iss(enc, rt, isread));
}

ExecStatus sysreg_mrs(CPUState *cpu, uint32_t enc, unsigned rt)
{
    const SysRegDef *r = sysreg_lookup(enc);
    if (!r) {
        /* FEAT_IDST: an UNDEFINED read in the feature ID space (e.g. an
         * unallocated op2 with CRm=0) is reported with EC 0x18. */
        if ((enc & 0xff80) == 0xc000 && ID_FIELD(cpu, ID_AA64MMFR2_EL1, 36) >= 1) {
            return sysreg_fail(cpu, SR_TRAP_EL1, enc, rt, true);
        }
        return sysreg_fail(cpu, sysreg_missing(cpu, enc), enc, rt, true);
    }
    ExecStatus nv_st;
    if (nv_active(cpu) && nv_sysreg_access(cpu, r, enc, rt, true, false, &nv_st)) {
        return nv_st;   /* FEAT_NV2: EL2 register transformed or redirected (cpu/nv.c) */
    }
    if (r == &sysreg_gic_row || r == &sysreg_timer_row) {
        uint64_t v = 0;
        unsigned trap_el = 0;
        if (cpu->el == 1 && fgt_sysreg_trapped(cpu, enc, true)) {   /* ICC_IGRPEN<n>_EL1 */
            return sysreg_hook_fail(cpu, 2, enc, rt, true);
        }
        bool ok = r == &sysreg_gic_row ? gicv3_sysreg_read(cpu, enc, &v, &trap_el)
                                       : timer_sysreg_read(cpu, enc, &v, &trap_el);
        if (!ok) {
            return sysreg_hook_fail(cpu, trap_el, enc, rt, true);
        }
        cpu_set_reg(cpu, rt, v);
        return EXEC_NEXT;
    }
    /* FEAT_IDST: EL0 reads of the feature ID space (op0=3, op1=0, CRn=0)
     * are reported with EC 0x18 instead of UNDEFINED. */
    if (cpu->el == 0 && (enc & 0xff80) == 0xc000 && ID_FIELD(cpu, ID_AA64MMFR2_EL1, 36) >= 1) {
        return sysreg_fail(cpu, SR_TRAP_EL1, enc, rt, true);
    }
    SysRegAccess a = sysreg_check(cpu, r, true);
    if (a != SR_OK) {
        return sysreg_fail(cpu, a, enc, rt, true);
    }
    if (nv_active(cpu) && nv_sysreg_access(cpu, r, enc, rt, true, true, &nv_st)) {
        return nv_st;   /* FEAT_NV/NV2: EL1 register trapped by NV1 or transformed */
    }
    uint64_t v = 0;
    if (r->read) {
        v = r->read(cpu, r);
    } else {
        int32_t off = sysreg_storage(cpu, r);
        if (off > 0) {
            v = (r->flags & SRF_W32) ? *(uint32_t *)((char *)cpu + off)
                                      : *(uint64_t *)((char *)cpu + off);
        }
    }
    cpu_set_reg(cpu, rt, v);
    return EXEC_NEXT;
}

/* Store a value into a row's storage (after the RES masks). */
void sysreg_store(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    int32_t off = sysreg_storage(cpu, r);
    if (off <= 0) {
        return;
    }
    if (r->flags & SRF_W32) {
        *(uint32_t *)((char *)cpu + off) = (uint32_t)v;
    } else {
        *(uint64_t *)((char *)cpu + off) = v;
    }
}

ExecStatus sysreg_msr(CPUState *cpu, uint32_t enc, unsigned rt)
{
    const SysRegDef *r = sysreg_lookup(enc);
    uint64_t v = cpu_reg(cpu, rt);
    if (!r) {
        return sysreg_fail(cpu, sysreg_missing(cpu, enc), enc, rt, false);
    }
    ExecStatus nv_st;
    if (nv_active(cpu) && nv_sysreg_access(cpu, r, enc, rt, false, false, &nv_st)) {
        return nv_st;   /* FEAT_NV2: EL2 register transformed or redirected (cpu/nv.c) */
    }
    if (r == &sysreg_gic_row || r == &sysreg_timer_row) {
        unsigned trap_el = 0;
        if (cpu->el == 1 && fgt_sysreg_trapped(cpu, enc, false)) {  /* ICC_IGRPEN<n>_EL1 */
            return sysreg_hook_fail(cpu, 2, enc, rt, false);
        }
        bool ok = r == &sysreg_gic_row ? gicv3_sysreg_write(cpu, enc, v, &trap_el)
                                       : timer_sysreg_write(cpu, enc, v, &trap_el);
        if (!ok) {
            return sysreg_hook_fail(cpu, trap_el, enc, rt, false);
        }
        cpu->exit_request = 1;
        return EXEC_SYNC;
    }
    SysRegAccess a = sysreg_check(cpu, r, false);
    if (a != SR_OK) {
        return sysreg_fail(cpu, a, enc, rt, false);
    }
    if (nv_active(cpu) && nv_sysreg_access(cpu, r, enc, rt, false, true, &nv_st)) {
        return nv_st;   /* FEAT_NV/NV2: EL1 register trapped by NV1 or transformed */
    }
    v = (v & ~r->res0) | r->res1;
    ExecStatus st = EXEC_SYNC;
    if (r->write) {
        st = r->write(cpu, r, v);
    } else {
        sysreg_store(cpu, r, v);
    }
    if (r->flags & SRF_FLUSH) {
        mmu_flush_soft_el(cpu, sysreg_flush_el(cpu, r));
    }
    if (r->flags & SRF_ELSTATE) {
        cpu_update_el_state(cpu);
    }
    return st;
}

ExecStatus sysreg_sys(CPUState *cpu, uint32_t enc, unsigned rt, bool is_sysl)
{
    const SysRegDef *r = sysreg_lookup(enc);
    if (!r || !(r->flags & SRF_SYS)) {
        return sysreg_fail(cpu, SR_UNDEF, enc, rt, is_sysl);
    }
    SysRegAccess a = sysreg_check(cpu, r, is_sysl);
    if (a != SR_OK) {
        return sysreg_fail(cpu, a, enc, rt, is_sysl);
    }
    if (is_sysl) {
        cpu_set_reg(cpu, rt, r->read ? r->read(cpu, r) : 0);
        return EXEC_NEXT;
    }
    return r->write ? r->write(cpu, r, cpu_reg(cpu, rt)) : EXEC_NEXT;
}
