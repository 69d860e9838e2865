/*
 * Access, read and write functions used by rows of the system-register
 * table (cpu/sysreg_table.c): EL0 enables, PSTATE-backed registers,
 * virtualized identification, and registers with side effects.
 */
#include "cpu/debug.h"
#include "cpu/features.h"
#include "cpu/regime.h"
#include "cpu/sysreg_hooks.h"
#include "mmu/mmu.h"

/* --- access checks --- */

/* EL0 access enabled by an SCTLR bit of the regime controlling EL0 (SCTLR_EL1, or SCTLR_EL2 in host). */
static SysRegAccess el0_enabled_by(CPUState *cpu, uint64_t bit)
{
    if (cpu->el == 0 && !(cpu_sctlr(cpu) & bit)) {
        return SR_TRAP_EL1;
    }
    return SR_OK;
}

SysRegAccess acc_el0_uct(CPUState *cpu, const SysRegDef *r, bool isread) { return el0_enabled_by(cpu, SCTLR_UCT); }
SysRegAccess acc_el0_uma(CPUState *cpu, const SysRegDef *r, bool isread) { return el0_enabled_by(cpu, SCTLR_UMA); }
SysRegAccess acc_el0_uci(CPUState *cpu, const SysRegDef *r, bool isread) { return el0_enabled_by(cpu, SCTLR_UCI); }
SysRegAccess acc_el0_dze(CPUState *cpu, const SysRegDef *r, bool isread) { return el0_enabled_by(cpu, SCTLR_DZE); }

SysRegAccess acc_sp_el0(CPUState *cpu, const SysRegDef *r, bool isread)
{
    /* MRS/MSR SP_EL0 while SP_EL0 is the current stack pointer is UNDEFINED. */
    return cpu->spsel == 0 ? SR_UNDEF : SR_OK;
}

SysRegAccess acc_at_el1(CPUState *cpu, const SysRegDef *r, bool isread)
{
    /* FEAT_NV: HCR_EL2.AT traps EL1 AT S1E0x and S1E1x to EL2. */
    if (cpu->el == 1 && (cpu_hcr_el2(cpu) & HCR_AT)) {
        return SR_TRAP_EL2;
    }
    return SR_OK;
}

/* ZCR_ELx: SVE enable checks only (CPACR.ZEN / CPTR_EL2.{TZ,ZEN} / CPTR_EL3.EZ), EC 0x19. */
SysRegAccess acc_zcr(CPUState *cpu, const SysRegDef *r, bool isread)
{
    unsigned el = cpu->el, target = 0;
    if (el == 1 && ((cpu->sr.CPACR_EL1 >> 16) & 1) == 0) {
        target = 1;
    } else if (el <= 2 && cpu_el2_enabled(cpu) &&
               ((cpu->sr.HCR_EL2 & HCR_E2H) ? ((cpu->sr.CPTR_EL2 >> 16) & 1) == 0
                                            : (cpu->sr.CPTR_EL2 & CPTR_TZ) != 0)) {
        target = 2;
    } else if (cpu_have_el3(cpu) && !(cpu->sr.CPTR_EL3 & CPTR_EZ)) {
        target = 3;
    }
    if (target) {
        cpu_raise_trap(cpu, target, EC_SVEACCESS, 0);
        return SR_TAKEN;
    }
    return SR_OK;
}

/*
 * FEAT_LOR registers: HCR_EL2.TLOR traps EL1 accesses to EL2, SCR_EL3.TLOR
 * EL1/EL2 accesses to EL3 (LORID_EL1 accessibility pseudocode).
 */
SysRegAccess acc_lorid(CPUState *cpu, const SysRegDef *r, bool isread)
{
    if (cpu->el == 1 && (cpu_hcr_el2(cpu) & HCR_TLOR)) {
        return SR_TRAP_EL2;
    }
    if (cpu->el < 3 && cpu_have_el3(cpu) && (cpu->sr.SCR_EL3 & SCR_TLOR)) {
        return SR_TRAP_EL3;
    }
    return SR_OK;
}

/* LORSA/LOREA/LORN/LORC_EL1: as LORID_EL1, and UNDEFINED in Secure state below EL3. */
SysRegAccess acc_lor(CPUState *cpu, const SysRegDef *r, bool isread)
{
    if (cpu->el < 3 && cpu_have_el3(cpu) && !(cpu->sr.SCR_EL3 & SCR_NS)) {
        return SR_UNDEF;
    }
    return acc_lorid(cpu, r, isread);
}

/* --- identification --- */

uint64_t rd_midr(CPUState *cpu, const SysRegDef *r)
{
    return cpu->el == 1 && cpu_el2_enabled(cpu) ? cpu->sr.VPIDR_EL2 : cpu->id.MIDR_EL1;
}

uint64_t rd_mpidr(CPUState *cpu, const SysRegDef *r)
{
    return cpu->el == 1 && cpu_el2_enabled(cpu) ? cpu->sr.VMPIDR_EL2 : cpu->id.MPIDR_EL1;
}

uint64_t rd_ccsidr(CPUState *cpu, const SysRegDef *r)
{
    return cpu->id.CCSIDR_EL1[cpu->sr.CSSELR_EL1 & 0xf];
}

uint64_t rd_dczid(CPUState *cpu, const SysRegDef *r)
{
    /* DZP: DC ZVA is prohibited (would UNDEF or trap) at the current EL. */
    bool dzp = false;
    uint64_t hcr = cpu_hcr_el2(cpu);
    if (cpu->el == 0 && !(cpu_sctlr(cpu) & SCTLR_DZE)) {
        dzp = true;
    }
    if (cpu->el <= 1 && !cpu_el_is_in_host(cpu, cpu->el) && (hcr & HCR_TDZ)) {
        dzp = true;
    }
    return (cpu->id.DCZID_EL0 & 0xf) | (dzp ? 0x10 : 0);
}

uint64_t rd_raz(CPUState *cpu, const SysRegDef *r) { return 0; }

/* --- PSTATE-backed registers --- */

uint64_t rd_currentel(CPUState *cpu, const SysRegDef *r)
{
    /* FEAT_NV: CurrentEL reads EL2 at EL1 when HCR_EL2.NV is set. */
    if (cpu->el == 1 && (cpu_hcr_el2(cpu) & HCR_NV)) {
        return 2 << 2;
    }
    return (uint64_t)cpu->el << 2;
}
uint64_t rd_daif(CPUState *cpu, const SysRegDef *r) { return cpu->daif & 0x3c0; }
ExecStatus wr_daif(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->daif = (uint32_t)v & 0x3c0;
    cpu->exit_request = 1;
    return EXEC_SYNC;
}
uint64_t rd_nzcv(CPUState *cpu, const SysRegDef *r) { return cpu->nzcv & 0xf0000000u; }
ExecStatus wr_nzcv(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->nzcv = (uint32_t)v & 0xf0000000u;
    return EXEC_NEXT;
}
uint64_t rd_spsel(CPUState *cpu, const SysRegDef *r) { return cpu->spsel & 1; }
ExecStatus wr_spsel(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->spsel = v & 1;
    cpu_update_el_state(cpu);
    return EXEC_SYNC;
}
uint64_t rd_pan(CPUState *cpu, const SysRegDef *r) { return cpu->pan ? SPSR_PAN : 0; }
ExecStatus wr_pan(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->pan = (v & SPSR_PAN) != 0;
    cpu_update_el_state(cpu);
    return EXEC_SYNC;
}
/*
 * FEAT_RNG: RNDR/RNDRRS. Tandem runs are deterministic (virtual time, traces
 * compared by machine-check), so the numbers come from a per-CPU SplitMix64
 * sequence keyed by the CPU index, never from the host: two runs read the
 * same values (docs/impdef.md). A read never fails: NZCV = 0000 (Arm ARM
 * C5.2.16 RNDR: 0100 would report "no valid number").
 */
uint64_t rd_rndr(CPUState *cpu, const SysRegDef *r)
{
    (void)r;
    cpu->rng_state += 0x9e3779b97f4a7c15ULL;
    uint64_t z = cpu->rng_state ^ ((uint64_t)(cpu->cpu_index + 1) * 0xd1b54a32d192ed03ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    cpu->nzcv = 0;
    return z ^ (z >> 31);
}

uint64_t rd_uao(CPUState *cpu, const SysRegDef *r) { return cpu->uao ? SPSR_UAO : 0; }
ExecStatus wr_uao(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->uao = (v & SPSR_UAO) != 0;
    return EXEC_SYNC;
}
uint64_t rd_dit(CPUState *cpu, const SysRegDef *r) { return cpu->dit ? SPSR_DIT : 0; }
ExecStatus wr_dit(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->dit = (v & SPSR_DIT) != 0;
    return EXEC_NEXT;
}
uint64_t rd_ssbs(CPUState *cpu, const SysRegDef *r) { return cpu->ssbs ? SPSR_SSBS : 0; }
ExecStatus wr_ssbs(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->ssbs = (v & SPSR_SSBS) != 0;
    return EXEC_NEXT;
}

uint64_t rd_sp_el0(CPUState *cpu, const SysRegDef *r) { return cpu_sp_el(cpu, 0); }
uint64_t rd_sp_el1(CPUState *cpu, const SysRegDef *r) { return cpu_sp_el(cpu, 1); }
uint64_t rd_sp_el2(CPUState *cpu, const SysRegDef *r) { return cpu_sp_el(cpu, 2); }
ExecStatus wr_sp_el0(CPUState *cpu, const SysRegDef *r, uint64_t v) { cpu_set_sp_el(cpu, 0, v); return EXEC_NEXT; }
ExecStatus wr_sp_el1(CPUState *cpu, const SysRegDef *r, uint64_t v) { cpu_set_sp_el(cpu, 1, v); return EXEC_NEXT; }
ExecStatus wr_sp_el2(CPUState *cpu, const SysRegDef *r, uint64_t v) { cpu_set_sp_el(cpu, 2, v); return EXEC_NEXT; }

uint64_t rd_isr(CPUState *cpu, const SysRegDef *r)
{
    /* ISR_EL1: pending A/I/F; at EL0/EL1 with IMO/FMO/AMO the virtual ones. */
    uint64_t hcr = cpu_hcr_el2(cpu), v = 0;
    bool virt = cpu->el < 2 && !(hcr & HCR_TGE);
    uint32_t lines = cpu->irq_lines;
    if (virt && (hcr & HCR_IMO)) {
        v |= ((lines & CPU_LINE_VIRQ) || (hcr & HCR_VI)) ? PSTATE_I : 0;
    } else {
        v |= (lines & CPU_LINE_IRQ) ? PSTATE_I : 0;
    }
    if (virt && (hcr & HCR_FMO)) {
        v |= ((lines & CPU_LINE_VFIQ) || (hcr & HCR_VF)) ? PSTATE_F : 0;
    } else {
        v |= (lines & CPU_LINE_FIQ) ? PSTATE_F : 0;
    }
    if (virt && (hcr & HCR_AMO)) {
        v |= (hcr & HCR_VSE) ? PSTATE_A : 0;
    } else {
        v |= (lines & CPU_LINE_SERROR) ? PSTATE_A : 0;
    }
    return v;
}

/* --- control registers with side effects --- */

ExecStatus wr_hcr_el2(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    /* Bits of features that are not implemented are RES0; RW is RAO/WI (AArch64-only EL1). */
    if (!cpu_have_vhe(cpu)) {
        v &= ~HCR_E2H;
    }
    if (!cpu_have_nv(cpu)) {
        v &= ~(HCR_NV | HCR_NV1 | HCR_AT);
    }
    if (!cpu_have_nv2(cpu)) {
        v &= ~HCR_NV2;
    }
    if (!cpu_have_pauth(cpu) && !cpu_have_pacga(cpu)) {
        v &= ~(HCR_APK | HCR_API);
    }
    if (!cpu_have_ras(cpu)) {
        v &= ~(HCR_TERR | HCR_TEA | HCR_FIEN);
    }
    if (!cpu_have_lor(cpu)) {
        v &= ~HCR_TLOR;
    }
    if (cpu_have_el3(cpu)) {
        v &= ~HCR_HCD;          /* HVC is enabled by SCR_EL3.HCE when EL3 exists */
    }
    if (ID_FIELD(cpu, ID_AA64PFR0_EL1, 0) < 2) {
        v &= ~HCR_TID0;         /* traps only AArch32 FPSID/JIDR: RES0 without AArch32 EL0 */
    }
    if (ID_FIELD(cpu, ID_AA64MMFR2_EL1, 40) == 0) {
        v &= ~HCR_FWB;
    }
    if (ID_FIELD(cpu, ID_AA64MMFR2_EL1, 56) == 0) {
        v &= ~(HCR_TID4 | HCR_TICAB | HCR_TOCU | HCR_TTLBIS | HCR_TTLBOS);   /* FEAT_EVT */
    }
    v |= HCR_RW;
    cpu->sr.HCR_EL2 = v;
    cpu_update_el_state(cpu);
    cpu->exit_request = 1;      /* VI/VF/VSE/IMO... may make an interrupt pending */
    return EXEC_SYNC;
}

ExecStatus wr_scr_el3(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    if (!cpu_have_pauth(cpu) && !cpu_have_pacga(cpu)) {
        v &= ~(SCR_APK | SCR_API);
    }
    if (!cpu_have_fgt(cpu)) {
        v &= ~SCR_FGTEN;
    }
    if (!cpu_have_el2(cpu)) {
        v &= ~SCR_HCE;
    }
    if (!cpu_have_lor(cpu)) {
        v &= ~SCR_TLOR;
    }
    if (!cpu_have_ras(cpu)) {
        v &= ~(SCR_TERR | SCR_FIEN);
    }
    v &= ~SCR_EEL2;             /* no FEAT_SEL2 */
    cpu->sr.SCR_EL3 = v | SCR_RW;
    cpu_update_el_state(cpu);
    cpu->exit_request = 1;
    return EXEC_SYNC;
}

/*
 * SCTLR_ELx layouts (Arm ARM D17.2 SCTLR_EL1/EL2/EL3). SCTLR_EL3, and
 * SCTLR_EL2 when FEAT_VHE is not implemented, have only the EL2/EL3 layout:
 * the EL0 controls (ITD, SED, UMA, EnRCTX, DZE, UCT, TSCXT, UCI, BT0) are
 * RES0 and nTWI/nTWE/SPAN, SA0/CP15BEN's bits 4-5, EOS/EIS (no FEAT_ExS) and
 * bits 28-29 (no FEAT_LSMAOC) RES1. With FEAT_VHE, SCTLR_EL2's EL1-style
 * fields exist while HCR_EL2.{E2H, TGE} = {1, 1}: a bit RES0 only in some
 * contexts keeps the value last written (Arm ARM "RES0" glossary), so they
 * are stored as written.
 */
#define SCTLR_EL0_CONTROLS (BIT64(7) | BIT64(8) | SCTLR_UMA | SCTLR_EnRCTX | SCTLR_DZE | SCTLR_UCT | \
                            BIT64(20) | SCTLR_UCI | SCTLR_BT0)
#define SCTLR_EL23_RES1 0x30c50830ULL
/* RES0 in every layout while the feature is absent: nAA (FEAT_LSE2), bit 17. */
#define SCTLR_ALL_RES0 (BIT64(6) | BIT64(17))

/* Which SCTLR_ELx a write of r reaches (SCTLR_EL1 at EL2 with E2H is SCTLR_EL2, as sysreg_store). */
static unsigned sctlr_target_el(const CPUState *cpu, const SysRegDef *r)
{
    int32_t off = r->offset;
    if (r->el2_offset > 0 && cpu->el == 2 && (cpu->sr.HCR_EL2 & HCR_E2H)) {
        off = r->el2_offset;
    }
    return (unsigned)(((size_t)off - offsetof(CPUState, sr.SCTLR_ELx)) / sizeof(cpu->sr.SCTLR_ELx[0]));
}

/* SCTLR_ELx: bits of unimplemented features are RES0 (SPAN is RES1 without PAN). */
ExecStatus wr_sctlr(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    unsigned el = sctlr_target_el(cpu, r);
    v &= ~SCTLR_ALL_RES0;
    if (el == 3 || (el == 2 && !cpu_have_vhe(cpu))) {
        v = (v & ~SCTLR_EL0_CONTROLS) | SCTLR_EL23_RES1;
    }
    if (!cpu_have_pauth(cpu)) {
        v &= ~(SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA | SCTLR_EnDB);
    }
    if (!cpu_have_bti(cpu)) {
        v &= ~(SCTLR_BT0 | SCTLR_BT1);
    }
    if (!cpu_have_ssbs(cpu)) {
        v &= ~SCTLR_DSSBS;
    }
    if (!cpu_have_ras(cpu)) {
        v &= ~SCTLR_IESB;
    }
    if (!cpu_have_specres(cpu)) {
        v &= ~SCTLR_EnRCTX;
    }
    if (!cpu_have_pan(cpu)) {
        v |= SCTLR_SPAN;   /* RES1 without PAN (always RES1 in the EL2 E2H=0 and EL3 layouts) */
    }
    sysreg_store(cpu, r, v);
    return EXEC_SYNC;
}

/* MDCR_EL2: the PMU controls (HPMN, TPMCR, TPM, HPME) are RES0 without FEAT_PMUv3. */
ExecStatus wr_mdcr_el2(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    if (!cpu_have_pmu(cpu)) {
        v &= ~(MDCR_HPMN | MDCR_TPMCR | MDCR_TPM | MDCR_HPME);
    }
    cpu->sr.MDCR_EL2 = v;
    return EXEC_SYNC;
}

/* CPTR_EL2.TCPAC traps EL1 accesses to CPACR_EL1 to EL2; CPTR_EL3.TCPAC traps
 * EL1 and EL2 accesses to CPACR_EL1/CPACR_EL12/CPTR_EL2 to EL3 (EC 0x18). */
SysRegAccess acc_cpacr(CPUState *cpu, const SysRegDef *r, bool isread)
{
    if (cpu->el == 1 && cpu_el2_enabled(cpu) && (cpu->sr.CPTR_EL2 & CPTR_TCPAC)) {
        return SR_TRAP_EL2;
    }
    if (cpu->el < 3 && cpu_have_el3(cpu) && (cpu->sr.CPTR_EL3 & CPTR_TCPAC)) {
        return SR_TRAP_EL3;
    }
    return SR_OK;
}

ExecStatus wr_cptr_el2(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    if (!(cpu->sr.HCR_EL2 & HCR_E2H)) {
        /* E2H=0 layout: RES1 bits 13:12, 9, 7:0, and TZ (bit 8) without SVE. */
        v |= 0x32ffULL | (cpu_have_sve(cpu) ? 0 : CPTR_TZ);
        v &= CPTR_TCPAC | CPTR_TTA | CPTR_TFP | CPTR_TZ | 0x32ffULL;
    } else {
        /* E2H=1 layout (as CPACR_EL1): ZEN [17:16], FPEN [21:20], TTA [28], TCPAC [31]. */
        v &= (3ULL << 16) | (3ULL << 20) | (1ULL << 28) | CPTR_TCPAC;
        if (!cpu_have_sve(cpu)) {
            v &= ~(3ULL << 16);
        }
    }
    cpu->sr.CPTR_EL2 = v;
    return EXEC_SYNC;
}

ExecStatus wr_cpacr(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    /* At EL2 with E2H, CPACR_EL1 is CPTR_EL2 (E2H layout). */
    if (cpu->el == 2 && (cpu->sr.HCR_EL2 & HCR_E2H) && !(r->flags & SRF_EL12)) {
        return wr_cptr_el2(cpu, r, v);
    }
    v &= (3ULL << 16) | (3ULL << 20) | (1ULL << 28);
    if (!cpu_have_sve(cpu)) {
        v &= ~(3ULL << 16);
    }
    cpu->sr.CPACR_EL1 = v;
    return EXEC_SYNC;
}

ExecStatus wr_cptr_el3(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    v &= CPTR_TCPAC | CPTR_TTA | CPTR_TFP | (cpu_have_sve(cpu) ? CPTR_EZ : 0);
    cpu->sr.CPTR_EL3 = v;
    return EXEC_SYNC;
}

ExecStatus wr_oslar(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    /* OSLAR_EL1.OSLK -> OSLSR_EL1.OSLK (bit 1). */
    cpu->sr.OSLSR_EL1 = (cpu->sr.OSLSR_EL1 & ~2ULL) | ((v & 1) << 1);
    debug_update(cpu);
    return EXEC_SYNC;
}

uint64_t rd_claimset(CPUState *cpu, const SysRegDef *r) { return 0xff; }
uint64_t rd_claimclr(CPUState *cpu, const SysRegDef *r) { return cpu->sr.DBGCLAIM & 0xff; }
ExecStatus wr_claimset(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->sr.DBGCLAIM |= v & 0xff;
    return EXEC_NEXT;
}
ExecStatus wr_claimclr(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->sr.DBGCLAIM &= ~(v & 0xff);
    return EXEC_NEXT;
}

/* --- system instructions --- */

ExecStatus sys_tlbi(CPUState *cpu, const SysRegDef *r, uint64_t xt)
{
    mmu_tlbi(cpu, r->enc, xt);
    return EXEC_SYNC;
}

ExecStatus sys_at(CPUState *cpu, const SysRegDef *r, uint64_t xt)
{
    MMUFault f;
    if (!mmu_at_checked(cpu, r->enc, xt, &f)) {
        /* A stage-2 fault on the stage-1 walk of an AT from EL1 is a Data Abort to EL2 (CM = 1). */
        return cpu_raise_abort(cpu, &f, xt, MMU_ACCESS_READ);
    }
    return EXEC_NEXT;
}

ExecStatus sys_ic_all(CPUState *cpu, const SysRegDef *r, uint64_t xt)
{
    /* The block cache is coherent with stores (code-page tracking), so this
     * is not needed for correctness; dropping this CPU's blocks is cheap
     * insurance and IC IALLU(IS) is rare. */
    cpu_flush_blocks(cpu);
    return EXEC_SYNC;
}

ExecStatus sys_nop(CPUState *cpu, const SysRegDef *r, uint64_t xt)
{
    return EXEC_NEXT;
}

bool cpu_dc_zva(CPUState *cpu, uint64_t va);   /* cpu/mem.c (cpu-ldst) */

ExecStatus sys_dc_zva(CPUState *cpu, const SysRegDef *r, uint64_t xt)
{
    return cpu_dc_zva(cpu, xt) ? EXEC_NEXT : EXEC_EXCEPTION;
}

/*
 * DC by VA (CVAC, CVAU, CIVAC, CVAP, CVADP, IVAC): no data effect in Tandem
 * (caches are not modelled) but the address is translated and faults are
 * reported as the Arm ARM requires: translation faults always; permission
 * faults only at EL0 without read access, and for DC IVAC without write.
 */
static ExecStatus dc_va_check(CPUState *cpu, uint64_t va, MMUAccessType access)
{
    MMUResult res;
    MMUFault fault;
    if (mmu_translate(cpu, va, access, cpu->mmu_idx, &res, &fault)) {
        return EXEC_NEXT;
    }
    if (fault.type == MMU_FAULT_PERMISSION && access == MMU_ACCESS_READ && cpu->el != 0 && !fault.stage2) {
        return EXEC_NEXT;
    }
    fault.cm = true;
    return cpu_raise_abort(cpu, &fault, va, access);
}

ExecStatus sys_dc_va(CPUState *cpu, const SysRegDef *r, uint64_t xt)
{
    return dc_va_check(cpu, xt, MMU_ACCESS_READ);
}

ExecStatus sys_dc_ivac(CPUState *cpu, const SysRegDef *r, uint64_t xt)
{
    return dc_va_check(cpu, xt, MMU_ACCESS_WRITE);
}

SysRegAccess acc_tpidrro(CPUState *cpu, const SysRegDef *r, bool isread)
{
    return cpu->el == 0 && !isread ? SR_UNDEF : SR_OK;   /* read-only at EL0 */
}

SysRegAccess acc_dcc(CPUState *cpu, const SysRegDef *r, bool isread)
{
    /* MDSCR_EL1.TDCC traps EL0 DCC accesses to EL1. */
    if (cpu->el == 0 && (cpu->sr.MDSCR_EL1 & MDSCR_TDCC)) {
        return SR_TRAP_EL1;
    }
    return SR_OK;
}

uint64_t rd_authstatus(CPUState *cpu, const SysRegDef *r)
{
    /* Non-secure and Secure invasive/non-invasive debug implemented and enabled. */
    return 0xff;
}

ExecStatus wr_mdscr(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    cpu->sr.MDSCR_EL1 = v;
    debug_update(cpu);
    return EXEC_SYNC;
}

ExecStatus wr_dbg(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    sysreg_store(cpu, r, v);
    debug_update(cpu);
    return EXEC_SYNC;
}
