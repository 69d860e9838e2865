/*
 * Handlers for cpu/a64-sys.decode: exception generation, hints, barriers,
 * PSTATE writes, MRS/MSR/SYS/SYSL, ERET, PAC data processing.
 */
#include "core/machine.h"
#include "core/semihost.h"
#include "cpu/exception.h"
#include "cpu/features.h"
#include "cpu/fgt.h"
#include "cpu/pauth.h"
#include "cpu/regime.h"
#include "cpu/sysreg.h"
#include "decode-a64.h"
#include "devices/firmware.h"

#define EC_PACTRAP 0x09

/* --- exception generation --- */

ExecStatus trans_SVC(CPUState *cpu, const arg_SVC *a)
{
    if (fgt_svc_trapped(cpu)) {
        /* AArch64.CheckForSVCTrap: EC 0x15 to EL2, preferred return = this SVC. */
        return cpu_raise_trap(cpu, 2, EC_SVC, (uint16_t)a->imm16);
    }
    return cpu_raise_svc(cpu, (uint16_t)a->imm16);
}

ExecStatus trans_HVC(CPUState *cpu, const arg_HVC *a)
{
    /* HVC: UNDEFINED at EL0, without EL2 (built-in firmware conduit aside),
     * at EL1 when EL2 is not enabled, or when SCR_EL3.HCE (HCR_EL2.HCD without EL3) disables it. */
    if (cpu->el == 0) {
        return cpu_raise_undef(cpu);
    }
    if (!cpu_have_el2(cpu)) {
        if (firmware_enabled(cpu)) {
            firmware_call(cpu, false, (uint16_t)a->imm16);
            return EXEC_SYNC;
        }
        return cpu_raise_undef(cpu);
    }
    if (cpu->el == 1 && !cpu_el2_enabled(cpu)) {
        return cpu_raise_undef(cpu);
    }
    bool enabled = cpu_have_el3(cpu) ? (cpu->sr.SCR_EL3 & SCR_HCE) != 0
                                     : !(cpu->sr.HCR_EL2 & HCR_HCD);
    if (!enabled) {
        return cpu_raise_undef(cpu);
    }
    return cpu_raise_hvc(cpu, (uint16_t)a->imm16);
}

ExecStatus trans_SMC(CPUState *cpu, const arg_SMC *a)
{
    if (!cpu_have_el3(cpu) || cpu->el == 0) {
        return cpu_raise_undef(cpu);
    }
    /* HCR_EL2.TSC traps SMC at EL1 to EL2 (EC 0x17, preferred return = the SMC). */
    if (cpu->el == 1 && (cpu_hcr_el2(cpu) & HCR_TSC)) {
        return cpu_raise_trap(cpu, 2, EC_SMC, a->imm16);
    }
    if (cpu->sr.SCR_EL3 & SCR_SMD) {
        return cpu_raise_undef(cpu);
    }
    if (firmware_enabled(cpu)) {
        /* The built-in EL3 firmware handles the call; execution continues
         * after the SMC as if EL3 had returned to it. */
        firmware_call(cpu, true, (uint16_t)a->imm16);
        return EXEC_SYNC;
    }
    return cpu_raise_smc(cpu, (uint16_t)a->imm16);
}

ExecStatus trans_BRK(CPUState *cpu, const arg_BRK *a)
{
    return cpu_raise_brk(cpu, (uint16_t)a->imm16);
}

ExecStatus trans_HLT(CPUState *cpu, const arg_HLT *a)
{
    /* Halting debug is not implemented (EDSCR.HDE = 0): HLT is UNDEFINED,
     * except the A64 semihosting trap HLT #0xF000 when -semihosting is on. */
    if (a->imm16 == 0xf000 && semihost_enabled(cpu)) {
        semihost_call(cpu);
        return EXEC_SYNC;
    }
    return cpu_raise_undef(cpu);
}

/* --- hints --- */

/* AArch64.CheckForWFxTrap: SCTLR.nTWx at EL0, HCR_EL2.TWx at EL0/1, SCR_EL3.TWx below EL3. */
static ExecStatus wfx_trap_check(CPUState *cpu, bool is_wfe)
{
    uint32_t iss = (1u << 24) | (0xeu << 20) | (is_wfe ? 1u : 0u);
    unsigned el = cpu->el;
    if (el == 0 && !(cpu_sctlr(cpu) & (is_wfe ? SCTLR_nTWE : SCTLR_nTWI))) {
        /* AArch64.WFxTrap(EL1): to EL2 when HCR_EL2.TGE. */
        return cpu_raise_trap(cpu, cpu_sync_target_el(cpu), EC_WFX, iss);
    }
    if (el <= 1 && !cpu_el_is_in_host(cpu, el) &&
        (cpu_hcr_el2(cpu) & (is_wfe ? HCR_TWE : HCR_TWI))) {
        return cpu_raise_trap(cpu, 2, EC_WFX, iss);
    }
    if (el < 3 && cpu_have_el3(cpu) && (cpu->sr.SCR_EL3 & (is_wfe ? SCR_TWE : SCR_TWI))) {
        return cpu_raise_trap(cpu, 3, EC_WFX, iss);
    }
    return EXEC_NEXT;
}

/* WFE/WFI after the event-register check: the traps, then wait unless a wake-up is pending. */
static ExecStatus wfx_wait(CPUState *cpu, bool is_wfe)
{
    ExecStatus st = wfx_trap_check(cpu, is_wfe);
    if (st != EXEC_NEXT) {
        return st;
    }
    /* Completes at once when a wake-up event is already pending: the main
     * loop only wakes a halted vCPU on irq_lines, and HCR_EL2.VI/VF/VSE
     * cannot change while this vCPU waits. */
    if (cpu_wfx_wakeup_pending(cpu)) {
        return EXEC_NEXT;
    }
    cpu->halted = true;
    return EXEC_HALT;
}

static ExecStatus hint_pac(CPUState *cpu, unsigned dst, uint64_t modifier, PAuthKeyId key, bool auth)
{
    if (!cpu_have_pauth(cpu)) {
        return EXEC_NEXT;          /* hint space: NOP without FEAT_PAuth */
    }
    if (pauth_check(cpu, key) != EXEC_NEXT) {
        return EXEC_EXCEPTION;
    }
    uint64_t v = cpu->x[dst];
    if (auth) {
        if (!pauth_auth(cpu, &v, modifier, key)) {
            return EXEC_EXCEPTION;
        }
    } else {
        v = pauth_add(cpu, v, modifier, key);
    }
    cpu->x[dst] = v;
    return EXEC_NEXT;
}

ExecStatus trans_HINT(CPUState *cpu, const arg_HINT *a)
{
    unsigned op = (a->CRm << 3) | a->op2;
    switch (op) {
    case 0:   /* NOP */
    case 1:   /* YIELD */
        return EXEC_NEXT;
    case 2:   /* WFE: a set event register completes it before any trap check */
        if (cpu->event_register) {
            cpu->event_register = false;
            return EXEC_NEXT;
        }
        return wfx_wait(cpu, true);
    case 3:   /* WFI */
        return wfx_wait(cpu, false);
    case 4: { /* SEV: event to every PE (spurious WFI wake-ups are permitted) */
        Machine *m = cpu->machine;
        if (m) {
            for (int i = 0; i < m->ncpus; i++) {
                CPUState *o = m->cpus[i];
                if (o) {
                    o->event_register = true;
                    if (!o->powered_off) {
                        o->halted = false;
                    }
                    o->exit_request = 1;
                }
            }
        } else {
            cpu->event_register = true;
        }
        return EXEC_NEXT;
    }
    case 5:   /* SEVL */
        cpu->event_register = true;
        return EXEC_NEXT;
    case 6:   /* DGH: no gathering modelled */
        return EXEC_NEXT;
    case 7:   /* XPACLRI */
        if (cpu_have_pauth(cpu)) {
            cpu->x[30] = pauth_strip(cpu, cpu->x[30], false);
        }
        return EXEC_NEXT;
    case 8:  return hint_pac(cpu, 17, cpu->x[16], PAUTH_KEY_IA, false);   /* PACIA1716 */
    case 10: return hint_pac(cpu, 17, cpu->x[16], PAUTH_KEY_IB, false);   /* PACIB1716 */
    case 12: return hint_pac(cpu, 17, cpu->x[16], PAUTH_KEY_IA, true);    /* AUTIA1716 */
    case 14: return hint_pac(cpu, 17, cpu->x[16], PAUTH_KEY_IB, true);    /* AUTIB1716 */
    case 24: return hint_pac(cpu, 30, 0, PAUTH_KEY_IA, false);            /* PACIAZ */
    case 25: return hint_pac(cpu, 30, cpu->sp, PAUTH_KEY_IA, false);      /* PACIASP */
    case 26: return hint_pac(cpu, 30, 0, PAUTH_KEY_IB, false);            /* PACIBZ */
    case 27: return hint_pac(cpu, 30, cpu->sp, PAUTH_KEY_IB, false);      /* PACIBSP */
    case 28: return hint_pac(cpu, 30, 0, PAUTH_KEY_IA, true);             /* AUTIAZ */
    case 29: return hint_pac(cpu, 30, cpu->sp, PAUTH_KEY_IA, true);       /* AUTIASP */
    case 30: return hint_pac(cpu, 30, 0, PAUTH_KEY_IB, true);             /* AUTIBZ */
    case 31: return hint_pac(cpu, 30, cpu->sp, PAUTH_KEY_IB, true);       /* AUTIBSP */
    default:
        /* ESB (16) without RAS, PSB/TSB CSYNC, CSDB, CLRBHB, BTI (its
         * compatibility check happens before execution, in the engine) and
         * every unallocated hint execute as NOP. */
        return EXEC_NEXT;
    }
}

/* --- barriers and monitors --- */

ExecStatus trans_CLREX(CPUState *cpu, const arg_CLREX *a)
{
    cpu->excl_addr = ~0ULL;   /* ClearExclusiveLocal */
    return EXEC_NEXT;
}

ExecStatus trans_DSB(CPUState *cpu, const arg_DSB *a)
{
    /* vCPUs run one at a time: every access is already complete and visible.
     * CRm=0 (SSBB) and CRm=4 (PSSBB) are speculation barriers: no speculation. */
    return EXEC_NEXT;
}

ExecStatus trans_DMB(CPUState *cpu, const arg_DMB *a)
{
    return EXEC_NEXT;
}

ExecStatus trans_ISB(CPUState *cpu, const arg_ISB *a)
{
    /* Context synchronization: end the block so changed state is seen. */
    return EXEC_SYNC;
}

ExecStatus trans_SB(CPUState *cpu, const arg_SB *a)
{
    if (!cpu_have_sb(cpu)) {
        return cpu_raise_undef(cpu);
    }
    return EXEC_NEXT;
}

/* --- MSR (immediate): PSTATE fields --- */

ExecStatus trans_MSR_i(CPUState *cpu, const arg_MSR_i *a)
{
    unsigned op1 = a->op1, op2 = a->op2, crm = a->CRm;
    uint32_t enc = MMU_SYSREG_ENC(0, op1, 4, crm, op2);
    switch ((op1 << 3) | op2) {
    case 0x00:   /* CFINV (FEAT_FlagM) */
        if (!cpu_have_flagm(cpu) || crm != 0) {
            return cpu_raise_undef(cpu);
        }
        cpu->nzcv ^= PSTATE_C;
        return EXEC_NEXT;
    case 0x01:   /* XAFLAG (FEAT_FlagM2) */
    case 0x02: { /* AXFLAG */
        if (!cpu_have_flagm2(cpu) || crm != 0) {
            return cpu_raise_undef(cpu);
        }
        uint32_t f = cpu->nzcv;
        bool n = f & PSTATE_N, z = f & PSTATE_Z, c = f & PSTATE_C, v = f & PSTATE_V;
        bool nn, nz, nc, nv;
        if (op2 == 1) {   /* XAFLAG: external format -> Arm format */
            nn = !c && !z;
            nz = z && c;
            nc = c || z;
            nv = !c && z;
        } else {          /* AXFLAG */
            nn = false;
            nz = z || v;
            nc = c && !v;
            nv = false;
        }
        (void)n;
        cpu->nzcv = (nn ? PSTATE_N : 0) | (nz ? PSTATE_Z : 0) | (nc ? PSTATE_C : 0) | (nv ? PSTATE_V : 0);
        return EXEC_NEXT;
    }
    case 0x03:   /* UAO */
        if (!cpu_have_uao(cpu) || cpu->el == 0) {
            return cpu_raise_undef(cpu);
        }
        cpu->uao = crm & 1;
        return EXEC_SYNC;
    case 0x04:   /* PAN */
        if (!cpu_have_pan(cpu) || cpu->el == 0) {
            return cpu_raise_undef(cpu);
        }
        cpu->pan = crm & 1;
        cpu_update_el_state(cpu);
        return EXEC_SYNC;
    case 0x05:   /* SPSel */
        if (cpu->el == 0) {
            return cpu_raise_undef(cpu);
        }
        cpu->spsel = crm & 1;
        cpu_update_el_state(cpu);
        return EXEC_SYNC;
    case 0x19:   /* SSBS (op1=3, op2=1) */
        if (!cpu_have_ssbs(cpu)) {
            return cpu_raise_undef(cpu);
        }
        cpu->ssbs = crm & 1;
        return EXEC_NEXT;
    case 0x1a:   /* DIT */
        if (!cpu_have_dit(cpu)) {
            return cpu_raise_undef(cpu);
        }
        cpu->dit = crm & 1;
        return EXEC_NEXT;
    case 0x1e:   /* DAIFSet */
    case 0x1f:   /* DAIFClr */
        if (cpu->el == 0 && !(cpu_sctlr(cpu) & SCTLR_UMA)) {
            return cpu_raise_trap(cpu, cpu_sync_target_el(cpu), EC_SYSTEMREGISTERTRAP,
                                  sysreg_trap_iss(enc, 31, false));
        }
        if (op2 == 6) {
            cpu->daif |= crm << 6;
        } else {
            cpu->daif &= ~(crm << 6);
        }
        cpu->exit_request = 1;
        return EXEC_SYNC;
    default:
        return cpu_raise_undef(cpu);
    }
}

/* --- MRS / MSR (register) / SYS / SYSL --- */

static inline uint32_t insn_sysreg_enc(uint32_t insn)
{
    return (insn >> 5) & 0xffff;   /* op0:op1:CRn:CRm:op2 = MMU_SYSREG_ENC order */
}

ExecStatus trans_MRS(CPUState *cpu, const arg_MRS *a)
{
    return sysreg_mrs(cpu, insn_sysreg_enc(a->insn), a->Rt);
}

ExecStatus trans_MSR_r(CPUState *cpu, const arg_MSR_r *a)
{
    return sysreg_msr(cpu, insn_sysreg_enc(a->insn), a->Rt);
}

ExecStatus trans_SYS(CPUState *cpu, const arg_SYS *a)
{
    return sysreg_sys(cpu, insn_sysreg_enc(a->insn), a->Rt, false);
}

ExecStatus trans_SYSL(CPUState *cpu, const arg_SYSL *a)
{
    return sysreg_sys(cpu, insn_sysreg_enc(a->insn), a->Rt, true);
}

/* --- exception return --- */

static ExecStatus eret_common(CPUState *cpu, bool pac, bool use_b)
{
    if (cpu->el == 0) {
        return cpu_raise_undef(cpu);
    }
    /* AArch64.CheckForERetTrap: ERET at EL1 with HCR_EL2.NV (FEAT_NV) or HFGITR_EL2.ERET (FEAT_FGT)
     * traps to EL2 (EC 0x1A; ISS ERET=bit1, ERETA=bit0). */
    if (cpu->el == 1 && ((cpu_hcr_el2(cpu) & HCR_NV) || fgt_eret_trapped(cpu))) {
        return cpu_raise_trap(cpu, 2, EC_ERETTRAP, (pac ? 2u : 0u) | (use_b ? 1u : 0u));
    }
    uint64_t elr = cpu->sr.ELR_ELx[cpu->el];
    uint64_t spsr = cpu->sr.SPSR_ELx[cpu->el];
    if (pac) {
        PAuthKeyId key = use_b ? PAUTH_KEY_IB : PAUTH_KEY_IA;
        if (pauth_check(cpu, key) != EXEC_NEXT) {
            return EXEC_EXCEPTION;
        }
        if (!pauth_auth(cpu, &elr, cpu->sp, key)) {
            return EXEC_EXCEPTION;
        }
    }
    return cpu_exception_return(cpu, elr, spsr);
}

ExecStatus trans_ERET(CPUState *cpu, const arg_ERET *a)
{
    return eret_common(cpu, false, false);
}

ExecStatus trans_ERETA(CPUState *cpu, const arg_ERETA *a)
{
    if (!cpu_have_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    return eret_common(cpu, true, a->M);
}

/* --- PAC data processing --- */

ExecStatus trans_PAC_1SRC(CPUState *cpu, const arg_PAC_1SRC *a)
{
    if (!cpu_have_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    uint64_t modifier;
    if (a->Z) {
        if (a->Rn != 31) {
            return cpu_raise_undef(cpu);
        }
        modifier = 0;
    } else {
        modifier = cpu_reg_sp(cpu, a->Rn);
    }
    static const PAuthKeyId keys[4] = { PAUTH_KEY_IA, PAUTH_KEY_IB, PAUTH_KEY_DA, PAUTH_KEY_DB };
    PAuthKeyId key = keys[a->opc & 3];
    if (pauth_check(cpu, key) != EXEC_NEXT) {
        return EXEC_EXCEPTION;
    }
    uint64_t v = cpu_reg(cpu, a->Rd);
    if (a->opc & 4) {
        if (!pauth_auth(cpu, &v, modifier, key)) {
            return EXEC_EXCEPTION;
        }
    } else {
        v = pauth_add(cpu, v, modifier, key);
    }
    cpu_set_reg(cpu, a->Rd, v);
    return EXEC_NEXT;
}

ExecStatus trans_XPAC(CPUState *cpu, const arg_XPAC *a)
{
    if (!cpu_have_pauth(cpu)) {
        return cpu_raise_undef(cpu);
    }
    cpu_set_reg(cpu, a->Rd, pauth_strip(cpu, cpu_reg(cpu, a->Rd), a->D));
    return EXEC_NEXT;
}

ExecStatus trans_PACGA(CPUState *cpu, const arg_PACGA *a)
{
    if (!cpu_have_pacga(cpu)) {
        return cpu_raise_undef(cpu);
    }
    if (pauth_check_pacga(cpu) != EXEC_NEXT) {
        return EXEC_EXCEPTION;
    }
    cpu_set_reg(cpu, a->Rd, pauth_pacga(cpu, cpu_reg(cpu, a->Rn), cpu_reg_sp(cpu, a->Rm)));
    return EXEC_NEXT;
}
