/*
 * FEAT_NV / FEAT_NV2 behaviour of EL1 system-register accesses (Arm ARM
 * D8.14): the hook the system-register path calls at EL1 when HCR_EL2.NV is
 * set, and NVMem[], the load/store a transformed access becomes. The
 * per-register facts are the table in cpu/nv_table.c.
 */
#include <pthread.h>

#include "core/addrspace.h"
#include "core/machine.h"
#include "cpu/exception.h"
#include "cpu/nv.h"
#include "cpu/sysreg.h"
#include "mmu/mmu.h"

/* CNTHCTL_EL2 EL1 physical-timer access enables (E2H = 0 / E2H = 1 layouts). */
#define CNTHCTL_EL1PCEN      BIT64(1)
#define CNTHCTL_E2H_EL1PTEN  BIT64(11)

/* ESR ISS bit 13 of a Data Abort: the fault came from a use of VNCR_EL2 by EL1. */
#define ISS_DABT_VNCR (1u << 13)
#define ISS_DABT_WNR  (1u << 6)

static uint8_t nv_index[1u << 16];          /* encoding -> row + 1 */
static pthread_once_t nv_index_once = PTHREAD_ONCE_INIT;

static void nv_index_build(void)
{
    for (unsigned i = 0; i < nv_table_count; i++) {
        nv_index[nv_table[i].enc & 0xffff] = (uint8_t)(i + 1);
    }
}

const NVRegDef *nv_lookup(uint32_t enc)
{
    pthread_once(&nv_index_once, nv_index_build);
    unsigned i = nv_index[enc & 0xffff];
    return i ? &nv_table[i - 1] : NULL;
}

/*
 * AArch64.DataAbort for an AccessType_NV2 access: taken to EL2 (the vector
 * offset for exceptions from a lower EL) and reported with EC 0x25, as a
 * Data Abort from the current EL, ISS.VNCR = 1, FAR_EL2 = the address. A
 * synchronous External abort routed to EL3 by SCR_EL3.EA is reported there
 * as an ordinary Data Abort from a lower EL (EC 0x24), still with VNCR = 1.
 */
static void nv_raise_abort(CPUState *cpu, const MMUFault *fault, uint64_t va, bool write)
{
    bool external = fault->type == MMU_FAULT_SYNC_EXTERNAL || fault->type == MMU_FAULT_SYNC_EXTERNAL_WALK;
    unsigned target = 2, ec = EC_DATAABORT_SAME_EL;
    if (external && cpu_have_el3(cpu) && (cpu->sr.SCR_EL3 & SCR_EA)) {
        target = 3;
        ec = EC_DATAABORT;
    }
    uint32_t iss = (mmu_fault_fsc(fault) & 0x3f) | ISS_DABT_VNCR | (write ? ISS_DABT_WNR : 0);
    cpu_take_exception(cpu, target, EXC_SYNC, (ec << ESR_EC_SHIFT) | ESR_IL | iss, va, true, cpu->pc);
}

bool nv_mem_access(CPUState *cpu, unsigned offset, bool isread, uint64_t *value)
{
    /*
     * EffectiveBADDR: bits [63:n] of VNCR_EL2.BADDR are RESS (n = 53 with
     * FEAT_LVA, else 49). When they are not a sign extension Tandem uses
     * them as copies of bit n-1 (docs/impdef.md).
     */
    unsigned n = ID_FIELD(cpu, ID_AA64MMFR2_EL1, 16) >= 1 ? 53 : 49;
    uint64_t baddr = (uint64_t)sextract64(cpu->sr.VNCR_EL2 & ~0xfffULL, 0, n);
    uint64_t va = baddr + offset;
    /* CreateAccDescNV2: an EL2 access in the EL2 (E2H = 0) or EL2&0 regime, PAN = 0. */
    MMUIdx idx = (cpu->sr.HCR_EL2 & HCR_E2H) ? MMU_IDX_E20_2 : MMU_IDX_E2;
    MMUAccessType access = isread ? MMU_ACCESS_READ : MMU_ACCESS_WRITE;
    MMUResult res;
    MMUFault fault = { 0 };
    if (!mmu_translate(cpu, va, access, idx, &res, &fault)) {
        nv_raise_abort(cpu, &fault, va, !isread);
        return false;
    }
    /* 64-bit single-copy atomic and aligned: the offsets are multiples of 8 in a 4K page. */
    AddrSpace *as = &cpu->machine->as;
    bool ok = isread ? addrspace_read(as, res.pa, 8, value) : addrspace_write(as, res.pa, 8, *value);
    if (!ok) {
        MMUFault ext = { .type = MMU_FAULT_SYNC_EXTERNAL, .write = !isread };
        nv_raise_abort(cpu, &ext, va, !isread);
        return false;
    }
    return true;
}

/* A row of the system-register table (not a device-owned or reserved-space stand-in). */
static bool nv_is_table_row(const SysRegDef *r)
{
    return r >= sysreg_table && r < sysreg_table + sysreg_table_count;
}

static ExecStatus nv_trap(CPUState *cpu, uint32_t enc, unsigned rt, bool isread)
{
    return cpu_raise_trap(cpu, 2, EC_SYSTEMREGISTERTRAP, sysreg_trap_iss(enc, rt, isread));
}

/* NV2 redirection of an EL2 name to the EL1 register (D8.14.6.1): the plain register, no traps. */
static ExecStatus nv_redirect(CPUState *cpu, const NVRegDef *n, unsigned rt, bool isread)
{
    const SysRegDef *t = sysreg_lookup(n->redir_enc);
    uint64_t *reg = (uint64_t *)((char *)cpu + t->offset);
    if (isread) {
        cpu_set_reg(cpu, rt, *reg);
    } else {
        *reg = (cpu_reg(cpu, rt) & ~t->res0) | t->res1;
    }
    return EXEC_NEXT;
}

bool nv_sysreg_access(CPUState *cpu, const SysRegDef *r, uint32_t enc, unsigned rt,
                      bool isread, bool late, ExecStatus *st)
{
    unsigned nvx = nv_effective(cpu);
    const NVRegDef *n = nvx ? nv_lookup(enc) : NULL;
    if (!n) {
        return false;
    }
    bool table_row = nv_is_table_row(r);
    /*
     * EL1 registers are handled after the row's own checks; device-owned
     * ones (the timer's CNT*_EL0) have no later hook, so their one earlier
     * check (CNTHCTL_EL2's EL1 physical-timer enable) is made here.
     */
    if (n->late != late && table_row) {
        return false;
    }
    if (table_row && (!sysreg_present(cpu, r) || !(r->flags & (isread ? SRF_R : SRF_W)))) {
        return false;   /* not implemented: UNDEFINED as usual */
    }
    unsigned bit = NVX_SET(nvx);
    if (n->trap & bit) {
        *st = nv_trap(cpu, enc, rt, isread);
        return true;
    }
    if (n->mem & bit) {
        if (n->cnthctl) {
            bool e2h = (cpu->sr.HCR_EL2 & HCR_E2H) != 0;
            if (!(cpu->sr.CNTHCTL_EL2 & (e2h ? CNTHCTL_E2H_EL1PTEN : CNTHCTL_EL1PCEN))) {
                *st = nv_trap(cpu, enc, rt, isread);
                return true;
            }
        }
        uint64_t v = isread ? 0 : cpu_reg(cpu, rt);
        if (!nv_mem_access(cpu, n->mem_off, isread, &v)) {
            *st = EXEC_EXCEPTION;
            return true;
        }
        if (isread) {
            cpu_set_reg(cpu, rt, v);
        }
        *st = EXEC_NEXT;
        return true;
    }
    if (n->redir & bit) {
        *st = nv_redirect(cpu, n, rt, isread);
        return true;
    }
    return false;
}
