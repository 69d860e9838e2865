/*
 * The register set gdb sees and its target description (target.xml):
 *
 *   0-30  x0-x30, 31 sp, 32 pc, 33 cpsr         org.gnu.gdb.aarch64.core
 *   34-65 v0-v31 (128-bit), 66 fpsr, 67 fpcr     org.gnu.gdb.aarch64.fpu
 *   68-   CurrentEL, SP_EL0..SP_EL3, then every   org.tandem.aarch64.sysregs
 *         system register of the CPU's system-register table that exists on
 *         this CPU model, read and written without trap checks.
 *
 * The g packet carries registers 0-67; gdb fetches the rest with p/P.
 */
#include "core/gdbstub_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <glib.h>

#include "cpu/features.h"
#include "devices/cpu_hooks.h"
#include "mmu/mmu.h"

#if __has_include("cpu/sysreg.h")
#include "cpu/sysreg.h"
#define GDB_HAVE_SYSREG_TABLE 1
#endif


enum {
    GDB_REG_X0 = 0,
    GDB_REG_SP = 31,
    GDB_REG_PC = 32,
    GDB_REG_CPSR = 33,
    GDB_REG_V0 = 34,
    GDB_REG_FPSR = 66,
    GDB_REG_FPCR = 67,
    GDB_REG_SYS0 = 68,
};

typedef enum GdbSysKind {
    SYS_CURRENTEL,
    SYS_SP_EL,          /* index = EL */
    SYS_FIELD,          /* 64-bit storage at offset (fallback list) */
    SYS_FIELD_RO,
#ifdef GDB_HAVE_SYSREG_TABLE
    SYS_TABLE,          /* a row of the CPU's system-register table */
#endif
    SYS_GIC,            /* GIC CPU interface register (devices/cpu_hooks.h), index = encoding */
    SYS_TIMER,          /* generic timer register, index = encoding */
} GdbSysKind;

typedef struct GdbSysReg {
    char name[32];
    GdbSysKind kind;
    int index;
    int32_t offset;
    const void *row;
} GdbSysReg;

static GdbSysReg *sysregs;
static int nsysregs;
static char *xml;
static size_t xml_len;

/* ---------------- the system-register list ---------------- */

static void sys_add(const char *name, GdbSysKind kind, int index, int32_t offset, const void *row)
{
    static int cap;
    if (nsysregs == cap) {
        cap = cap ? cap * 2 : 256;
        sysregs = realloc(sysregs, (size_t)cap * sizeof(*sysregs));
        if (!sysregs) {
            abort();
        }
    }
    GdbSysReg *r = &sysregs[nsysregs++];
    snprintf(r->name, sizeof(r->name), "%s", name);
    r->kind = kind;
    r->index = index;
    r->offset = offset;
    r->row = row;
}

#ifndef GDB_HAVE_SYSREG_TABLE
/*
 * Until the CPU's system-register table is in the tree: the storage of
 * cpu/sysregs.h, field by field. Writes go straight to storage and are
 * followed by a soft-TLB flush and an EL-state update, which is always safe.
 */
#define F(name, field) { name, (int32_t)offsetof(CPUState, field), false }
#define R(name, field) { name, (int32_t)offsetof(CPUState, field), true }
static const struct { const char *name; int32_t offset; bool ro; } fallback_regs[] = {
    F("ELR_EL1", sr.ELR_ELx[1]), F("ELR_EL2", sr.ELR_ELx[2]), F("ELR_EL3", sr.ELR_ELx[3]),
    F("SPSR_EL1", sr.SPSR_ELx[1]), F("SPSR_EL2", sr.SPSR_ELx[2]), F("SPSR_EL3", sr.SPSR_ELx[3]),
    F("ESR_EL1", sr.ESR_ELx[1]), F("ESR_EL2", sr.ESR_ELx[2]), F("ESR_EL3", sr.ESR_ELx[3]),
    F("FAR_EL1", sr.FAR_ELx[1]), F("FAR_EL2", sr.FAR_ELx[2]), F("FAR_EL3", sr.FAR_ELx[3]),
    F("VBAR_EL1", sr.VBAR_ELx[1]), F("VBAR_EL2", sr.VBAR_ELx[2]), F("VBAR_EL3", sr.VBAR_ELx[3]),
    F("SCTLR_EL1", sr.SCTLR_ELx[1]), F("SCTLR_EL2", sr.SCTLR_ELx[2]), F("SCTLR_EL3", sr.SCTLR_ELx[3]),
    F("TTBR0_EL1", sr.TTBR0_ELx[1]), F("TTBR0_EL2", sr.TTBR0_ELx[2]), F("TTBR0_EL3", sr.TTBR0_ELx[3]),
    F("TTBR1_EL1", sr.TTBR1_ELx[1]), F("TTBR1_EL2", sr.TTBR1_ELx[2]),
    F("TCR_EL1", sr.TCR_ELx[1]), F("TCR_EL2", sr.TCR_ELx[2]), F("TCR_EL3", sr.TCR_ELx[3]),
    F("MAIR_EL1", sr.MAIR_ELx[1]), F("MAIR_EL2", sr.MAIR_ELx[2]), F("MAIR_EL3", sr.MAIR_ELx[3]),
    F("TPIDR_EL0", sr.TPIDR_ELx[0]), F("TPIDR_EL1", sr.TPIDR_ELx[1]), F("TPIDR_EL2", sr.TPIDR_ELx[2]),
    F("TPIDR_EL3", sr.TPIDR_ELx[3]), F("TPIDRRO_EL0", sr.TPIDRRO_EL0),
    F("CONTEXTIDR_EL1", sr.CONTEXTIDR_ELx[1]), F("CONTEXTIDR_EL2", sr.CONTEXTIDR_ELx[2]),
    F("CPACR_EL1", sr.CPACR_EL1), F("PAR_EL1", sr.PAR_EL1), F("MDSCR_EL1", sr.MDSCR_EL1),
    F("HCR_EL2", sr.HCR_EL2), F("MDCR_EL2", sr.MDCR_EL2), F("CPTR_EL2", sr.CPTR_EL2),
    F("VTTBR_EL2", sr.VTTBR_EL2), F("VTCR_EL2", sr.VTCR_EL2), F("HPFAR_EL2", sr.HPFAR_EL2),
    F("VPIDR_EL2", sr.VPIDR_EL2), F("VMPIDR_EL2", sr.VMPIDR_EL2), F("VNCR_EL2", sr.VNCR_EL2),
    F("CNTHCTL_EL2", sr.CNTHCTL_EL2), F("CNTVOFF_EL2", sr.CNTVOFF_EL2),
    F("SCR_EL3", sr.SCR_EL3), F("CPTR_EL3", sr.CPTR_EL3), F("MDCR_EL3", sr.MDCR_EL3),
    R("MIDR_EL1", id.MIDR_EL1), R("MPIDR_EL1", id.MPIDR_EL1),
    R("ID_AA64PFR0_EL1", id.ID_AA64PFR0_EL1), R("ID_AA64PFR1_EL1", id.ID_AA64PFR1_EL1),
    R("ID_AA64DFR0_EL1", id.ID_AA64DFR0_EL1), R("ID_AA64ISAR0_EL1", id.ID_AA64ISAR0_EL1),
    R("ID_AA64ISAR1_EL1", id.ID_AA64ISAR1_EL1), R("ID_AA64MMFR0_EL1", id.ID_AA64MMFR0_EL1),
    R("ID_AA64MMFR1_EL1", id.ID_AA64MMFR1_EL1), R("ID_AA64MMFR2_EL1", id.ID_AA64MMFR2_EL1),
};
#undef F
#undef R
#endif

/*
 * Registers the GIC and timer models own (not rows of the sysreg table).
 * Registers whose read has a side effect (ICC_IAR*, acknowledging an
 * interrupt) or that are write-only (EOIR, DIR, SGI*R) are left out: a
 * debugger display must not change the guest. They are accessed as the
 * vCPU's current EL would (ICV_* under HCR_EL2.IMO/FMO at EL1).
 */
#define HE(op0, op1, crn, crm, op2) MMU_SYSREG_ENC(op0, op1, crn, crm, op2)
static const struct { const char *name; uint32_t enc; } hook_regs[] = {
    { "CNTFRQ_EL0", HE(3, 3, 14, 0, 0) }, { "CNTPCT_EL0", HE(3, 3, 14, 0, 1) },
    { "CNTVCT_EL0", HE(3, 3, 14, 0, 2) }, { "CNTKCTL_EL1", HE(3, 0, 14, 1, 0) },
    { "CNTP_TVAL_EL0", HE(3, 3, 14, 2, 0) }, { "CNTP_CTL_EL0", HE(3, 3, 14, 2, 1) },
    { "CNTP_CVAL_EL0", HE(3, 3, 14, 2, 2) }, { "CNTV_TVAL_EL0", HE(3, 3, 14, 3, 0) },
    { "CNTV_CTL_EL0", HE(3, 3, 14, 3, 1) }, { "CNTV_CVAL_EL0", HE(3, 3, 14, 3, 2) },
    { "CNTVOFF_EL2", HE(3, 4, 14, 0, 3) }, { "CNTHCTL_EL2", HE(3, 4, 14, 1, 0) },
    { "CNTHP_TVAL_EL2", HE(3, 4, 14, 2, 0) }, { "CNTHP_CTL_EL2", HE(3, 4, 14, 2, 1) },
    { "CNTHP_CVAL_EL2", HE(3, 4, 14, 2, 2) }, { "CNTHV_TVAL_EL2", HE(3, 4, 14, 3, 0) },
    { "CNTHV_CTL_EL2", HE(3, 4, 14, 3, 1) }, { "CNTHV_CVAL_EL2", HE(3, 4, 14, 3, 2) },
    { "ICC_PMR_EL1", HE(3, 0, 4, 6, 0) }, { "ICC_HPPIR0_EL1", HE(3, 0, 12, 8, 2) },
    { "ICC_BPR0_EL1", HE(3, 0, 12, 8, 3) }, { "ICC_AP0R0_EL1", HE(3, 0, 12, 8, 4) },
    { "ICC_AP1R0_EL1", HE(3, 0, 12, 9, 0) }, { "ICC_RPR_EL1", HE(3, 0, 12, 11, 3) },
    { "ICC_HPPIR1_EL1", HE(3, 0, 12, 12, 2) }, { "ICC_BPR1_EL1", HE(3, 0, 12, 12, 3) },
    { "ICC_CTLR_EL1", HE(3, 0, 12, 12, 4) }, { "ICC_SRE_EL1", HE(3, 0, 12, 12, 5) },
    { "ICC_IGRPEN0_EL1", HE(3, 0, 12, 12, 6) }, { "ICC_IGRPEN1_EL1", HE(3, 0, 12, 12, 7) },
    { "ICC_SRE_EL2", HE(3, 4, 12, 9, 5) }, { "ICH_AP0R0_EL2", HE(3, 4, 12, 8, 0) },
    { "ICH_AP1R0_EL2", HE(3, 4, 12, 9, 0) }, { "ICH_HCR_EL2", HE(3, 4, 12, 11, 0) },
    { "ICH_VTR_EL2", HE(3, 4, 12, 11, 1) }, { "ICH_MISR_EL2", HE(3, 4, 12, 11, 2) },
    { "ICH_EISR_EL2", HE(3, 4, 12, 11, 3) }, { "ICH_ELRSR_EL2", HE(3, 4, 12, 11, 5) },
    { "ICH_VMCR_EL2", HE(3, 4, 12, 11, 7) },
    { "ICH_LR0_EL2", HE(3, 4, 12, 12, 0) }, { "ICH_LR1_EL2", HE(3, 4, 12, 12, 1) },
    { "ICH_LR2_EL2", HE(3, 4, 12, 12, 2) }, { "ICH_LR3_EL2", HE(3, 4, 12, 12, 3) },
    { "ICH_LR4_EL2", HE(3, 4, 12, 12, 4) }, { "ICH_LR5_EL2", HE(3, 4, 12, 12, 5) },
    { "ICH_LR6_EL2", HE(3, 4, 12, 12, 6) }, { "ICH_LR7_EL2", HE(3, 4, 12, 12, 7) },
    { "ICH_LR8_EL2", HE(3, 4, 12, 13, 0) }, { "ICH_LR9_EL2", HE(3, 4, 12, 13, 1) },
    { "ICH_LR10_EL2", HE(3, 4, 12, 13, 2) }, { "ICH_LR11_EL2", HE(3, 4, 12, 13, 3) },
    { "ICH_LR12_EL2", HE(3, 4, 12, 13, 4) }, { "ICH_LR13_EL2", HE(3, 4, 12, 13, 5) },
    { "ICH_LR14_EL2", HE(3, 4, 12, 13, 6) }, { "ICH_LR15_EL2", HE(3, 4, 12, 13, 7) },
    { "ICC_CTLR_EL3", HE(3, 6, 12, 12, 4) }, { "ICC_SRE_EL3", HE(3, 6, 12, 12, 5) },
    { "ICC_IGRPEN1_EL3", HE(3, 6, 12, 12, 7) },
};
#undef HE

static bool sys_has_name(const char *name)
{
    for (int i = 0; i < nsysregs; i++) {
        if (!strcmp(sysregs[i].name, name)) {
            return true;
        }
    }
    return false;
}

static void sysregs_build(void)
{
    if (sysregs) {
        return;
    }
    sys_add("CurrentEL", SYS_CURRENTEL, 0, -1, NULL);
    for (int el = 0; el < 4; el++) {
        char name[16];
        snprintf(name, sizeof(name), "SP_EL%d", el);
        sys_add(name, SYS_SP_EL, el, -1, NULL);
    }
#ifdef GDB_HAVE_SYSREG_TABLE
    for (unsigned i = 0; i < sysreg_table_count; i++) {
        const SysRegDef *r = &sysreg_table[i];
        /* System instructions are not registers; the _EL12/_EL02 names are aliases of the
         * EL1/EL0 registers already listed; SP_ELx/CurrentEL are listed above. */
        if ((r->flags & (SRF_SYS | SRF_EL12)) || !(r->flags & SRF_R) || !strcmp(r->name, "CurrentEL") ||
            !strncmp(r->name, "SP_EL", 5)) {
            continue;
        }
        sys_add(r->name, SYS_TABLE, 0, -1, r);
    }
#else
    for (size_t i = 0; i < ARRAY_SIZE(fallback_regs); i++) {
        sys_add(fallback_regs[i].name, fallback_regs[i].ro ? SYS_FIELD_RO : SYS_FIELD, 0,
                fallback_regs[i].offset, NULL);
    }
#endif
    for (size_t i = 0; i < ARRAY_SIZE(hook_regs); i++) {
        uint32_t enc = hook_regs[i].enc;
        if (sys_has_name(hook_regs[i].name)) {
            continue;   /* already a table row */
        }
        if (timer_sysreg_owns(enc)) {
            sys_add(hook_regs[i].name, SYS_TIMER, (int)enc, -1, NULL);
        } else if (gicv3_sysreg_owns(enc)) {
            sys_add(hook_regs[i].name, SYS_GIC, (int)enc, -1, NULL);
        }
    }
}

int gdbstub_reg_count(void)
{
    sysregs_build();
    return GDB_REG_SYS0 + nsysregs;
}

int gdbstub_g_reg_count(void)
{
    return GDB_REG_FPCR + 1;
}

/* ---------------- values ---------------- */

static int put_le(uint8_t *buf, size_t cap, uint64_t v, int bytes)
{
    if ((size_t)bytes > cap) {
        return -1;
    }
    for (int i = 0; i < bytes; i++) {
        buf[i] = (uint8_t)(v >> (8 * i));
    }
    return bytes;
}

static uint64_t get_le(const uint8_t *buf, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v |= (uint64_t)buf[i] << (8 * i);
    }
    return v;
}

/* The stack-pointer slot cpu->sp stands for (PSTATE.SP selects SP_ELx or SP_EL0). */
static unsigned sp_current_bank(const CPUState *cpu)
{
    return cpu->spsel ? cpu->el : 0;
}

static uint64_t pstate_read(const CPUState *cpu)
{
    return cpu_get_pstate(cpu);
}

static void el_state_changed(CPUState *cpu)
{
    cpu_update_el_state(cpu);
    mmu_flush_soft_tlb(cpu);
}

#ifdef GDB_HAVE_SYSREG_TABLE
static bool sysreg_row_present(const CPUState *cpu, const SysRegDef *r)
{
    return sysreg_present(cpu, r);
}

/* The row's own storage: no VHE redirection, the debugger names registers exactly. */
static uint64_t table_read(CPUState *cpu, const SysRegDef *r)
{
    if (r->read) {
        return r->read(cpu, r);
    }
    if (r->offset <= 0) {
        return 0;
    }
    return (r->flags & SRF_W32) ? *(uint32_t *)((char *)cpu + r->offset) : *(uint64_t *)((char *)cpu + r->offset);
}

static bool table_write(CPUState *cpu, const SysRegDef *r, uint64_t v)
{
    if (!(r->flags & SRF_W) || (r->flags & SRF_CONST)) {
        return false;
    }
    v = (v & ~r->res0) | r->res1;
    if (r->write) {
        r->write(cpu, r, v);
    } else if (r->offset > 0) {
        if (r->flags & SRF_W32) {
            *(uint32_t *)((char *)cpu + r->offset) = (uint32_t)v;
        } else {
            *(uint64_t *)((char *)cpu + r->offset) = v;
        }
    } else {
        return false;
    }
    return true;
}
#endif

int gdbstub_reg_read(CPUState *cpu, int regno, uint8_t *buf, size_t cap)
{
    if (regno < 0) {
        return -1;
    }
    if (regno < GDB_REG_SP) {
        return put_le(buf, cap, cpu->x[regno], 8);
    }
    if (regno == GDB_REG_SP) {
        return put_le(buf, cap, cpu->sp, 8);
    }
    if (regno == GDB_REG_PC) {
        return put_le(buf, cap, cpu->pc, 8);
    }
    if (regno == GDB_REG_CPSR) {
        return put_le(buf, cap, pstate_read(cpu), 4);
    }
    if (regno < GDB_REG_FPSR) {
        const ZReg *z = &cpu->z[regno - GDB_REG_V0];
        if (cap < 16) {
            return -1;
        }
        put_le(buf, 8, z->d[0], 8);
        put_le(buf + 8, 8, z->d[1], 8);
        return 16;
    }
    if (regno == GDB_REG_FPSR) {
        return put_le(buf, cap, cpu->fpsr, 4);
    }
    if (regno == GDB_REG_FPCR) {
        return put_le(buf, cap, cpu->fpcr, 4);
    }
    sysregs_build();
    int i = regno - GDB_REG_SYS0;
    if (i >= nsysregs) {
        return -1;
    }
    const GdbSysReg *r = &sysregs[i];
    uint64_t v = 0;
    switch (r->kind) {
    case SYS_CURRENTEL:
        v = (uint64_t)cpu->el << 2;
        break;
    case SYS_SP_EL:
        v = sp_current_bank(cpu) == (unsigned)r->index ? cpu->sp : cpu->sr.SP_ELx[r->index];
        break;
    case SYS_FIELD:
    case SYS_FIELD_RO:
        memcpy(&v, (char *)cpu + r->offset, 8);
        break;
#ifdef GDB_HAVE_SYSREG_TABLE
    case SYS_TABLE:
        v = table_read(cpu, r->row);
        break;
#endif
    case SYS_GIC:
    case SYS_TIMER: {
        unsigned trap_el = 0;
        bool ok = r->kind == SYS_GIC ? cpu->gic && gicv3_sysreg_read(cpu, (uint32_t)r->index, &v, &trap_el)
                                     : cpu->timer && timer_sysreg_read(cpu, (uint32_t)r->index, &v, &trap_el);
        if (!ok) {
            /* not accessible from the vCPU's current state (e.g. SRE = 0, or an EL2
             * register while at EL1): exists but unavailable now */
            int n = put_le(buf, cap, 0, 8);
            return n < 0 ? n : n | GDB_REG_UNAVAILABLE;
        }
        break;
    }
    }
    return put_le(buf, cap, v, 8);
}

bool gdbstub_reg_write(CPUState *cpu, int regno, const uint8_t *buf, size_t len)
{
    if (regno < 0) {
        return false;
    }
    if (regno <= GDB_REG_PC) {
        if (len != 8) {
            return false;
        }
        uint64_t v = get_le(buf, 8);
        if (regno < GDB_REG_SP) {
            cpu->x[regno] = v;
        } else if (regno == GDB_REG_SP) {
            cpu->sp = v;
        } else {
            cpu->pc = v;
        }
        return true;
    }
    if (regno == GDB_REG_CPSR) {
        if (len != 4) {
            return false;
        }
        uint64_t v = get_le(buf, 4);
        unsigned el = (v >> 2) & 3;
        if ((v & 0x10) || (el == 3 && !cpu_have_el3(cpu)) || (el == 2 && !cpu_have_el2(cpu))) {
            return false;   /* AArch32 or an EL this CPU does not implement */
        }
        cpu_set_pstate(cpu, v);   /* may change EL/SPSel: banks SP, picks mmu_idx */
        mmu_flush_soft_tlb(cpu);
        return true;
    }
    if (regno < GDB_REG_FPSR) {
        if (len != 16) {
            return false;
        }
        ZReg *z = &cpu->z[regno - GDB_REG_V0];
        z->d[0] = get_le(buf, 8);
        z->d[1] = get_le(buf + 8, 8);
        return true;
    }
    if (regno == GDB_REG_FPSR || regno == GDB_REG_FPCR) {
        if (len != 4) {
            return false;
        }
        if (regno == GDB_REG_FPSR) {
            cpu->fpsr = (uint32_t)get_le(buf, 4);
        } else {
            cpu->fpcr = (uint32_t)get_le(buf, 4);
        }
        return true;
    }
    sysregs_build();
    int i = regno - GDB_REG_SYS0;
    if (i >= nsysregs || len != 8) {
        return false;
    }
    const GdbSysReg *r = &sysregs[i];
    uint64_t v = get_le(buf, 8);
    switch (r->kind) {
    case SYS_CURRENTEL:
        return false;   /* read-only: change the EL through cpsr.M */
    case SYS_SP_EL:
        if (sp_current_bank(cpu) == (unsigned)r->index) {
            cpu->sp = v;
        } else {
            cpu->sr.SP_ELx[r->index] = v;
        }
        return true;
    case SYS_FIELD:
        memcpy((char *)cpu + r->offset, &v, 8);
        el_state_changed(cpu);
        return true;
    case SYS_FIELD_RO:
        return false;
    case SYS_GIC:
    case SYS_TIMER: {
        unsigned trap_el = 0;
        return r->kind == SYS_GIC ? cpu->gic && gicv3_sysreg_write(cpu, (uint32_t)r->index, v, &trap_el)
                                  : cpu->timer && timer_sysreg_write(cpu, (uint32_t)r->index, v, &trap_el);
    }
#ifdef GDB_HAVE_SYSREG_TABLE
    case SYS_TABLE: {
        const SysRegDef *row = r->row;
        if (!table_write(cpu, row, v)) {
            return false;
        }
        if (row->flags & (SRF_FLUSH | SRF_ELSTATE)) {
            el_state_changed(cpu);
        }
        return true;
    }
#endif
    }
    return false;
}

int gdbstub_reg_by_name(const char *name)
{
    static const char *const fixed[] = { "sp", "pc", "cpsr" };
    for (int i = 0; i < 3; i++) {
        if (!strcasecmp(name, fixed[i])) {
            return GDB_REG_SP + i;
        }
    }
    if ((name[0] == 'x' || name[0] == 'X') && name[1]) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (!*end && n >= 0 && n <= 30) {
            return (int)n;
        }
    }
    sysregs_build();
    for (int i = 0; i < nsysregs; i++) {
        if (!strcasecmp(name, sysregs[i].name)) {
            return GDB_REG_SYS0 + i;
        }
    }
    return -1;
}

const char *gdbstub_reg_name(int regno)
{
    sysregs_build();
    if (regno >= GDB_REG_SYS0 && regno - GDB_REG_SYS0 < nsysregs) {
        return sysregs[regno - GDB_REG_SYS0].name;
    }
    return NULL;
}

/* ---------------- target.xml ---------------- */

static void xml_add(GString *g, const char *s)
{
    g_string_append(g, s);
}

static void xml_build(CPUState *cpu)
{
    GString *g = g_string_new("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                              "<target version=\"1.0\">\n<architecture>aarch64</architecture>\n");
    xml_add(g, "<feature name=\"org.gnu.gdb.aarch64.core\">\n");
    for (int i = 0; i < 31; i++) {
        g_string_append_printf(g, "<reg name=\"x%d\" bitsize=\"64\" type=\"int\" regnum=\"%d\"/>\n", i, i);
    }
    xml_add(g, "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
               "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n"
               "<flags id=\"cpsr_flags\" size=\"4\">\n"
               " <field name=\"SP\" start=\"0\" end=\"0\"/>\n <field name=\"EL\" start=\"2\" end=\"3\"/>\n"
               " <field name=\"F\" start=\"6\" end=\"6\"/>\n <field name=\"I\" start=\"7\" end=\"7\"/>\n"
               " <field name=\"A\" start=\"8\" end=\"8\"/>\n <field name=\"D\" start=\"9\" end=\"9\"/>\n"
               " <field name=\"SSBS\" start=\"12\" end=\"12\"/>\n <field name=\"IL\" start=\"20\" end=\"20\"/>\n"
               " <field name=\"SS\" start=\"21\" end=\"21\"/>\n <field name=\"PAN\" start=\"22\" end=\"22\"/>\n"
               " <field name=\"UAO\" start=\"23\" end=\"23\"/>\n <field name=\"DIT\" start=\"24\" end=\"24\"/>\n"
               " <field name=\"V\" start=\"28\" end=\"28\"/>\n <field name=\"C\" start=\"29\" end=\"29\"/>\n"
               " <field name=\"Z\" start=\"30\" end=\"30\"/>\n <field name=\"N\" start=\"31\" end=\"31\"/>\n"
               "</flags>\n"
               "<reg name=\"cpsr\" bitsize=\"32\" type=\"cpsr_flags\"/>\n</feature>\n");
    xml_add(g, "<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
               "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
               "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>\n"
               "<vector id=\"v2i\" type=\"int64\" count=\"2\"/>\n"
               "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
               "<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>\n"
               "<vector id=\"v4i\" type=\"int32\" count=\"4\"/>\n"
               "<vector id=\"v8f\" type=\"ieee_half\" count=\"8\"/>\n"
               "<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>\n"
               "<vector id=\"v8i\" type=\"int16\" count=\"8\"/>\n"
               "<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>\n"
               "<vector id=\"v16i\" type=\"int8\" count=\"16\"/>\n"
               "<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>\n"
               "<vector id=\"v1i\" type=\"int128\" count=\"1\"/>\n"
               "<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/>"
               "<field name=\"s\" type=\"v2i\"/></union>\n"
               "<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/>"
               "<field name=\"s\" type=\"v4i\"/></union>\n"
               "<union id=\"vnh\"><field name=\"f\" type=\"v8f\"/><field name=\"u\" type=\"v8u\"/>"
               "<field name=\"s\" type=\"v8i\"/></union>\n"
               "<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/></union>\n"
               "<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/></union>\n"
               "<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>"
               "<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/><field name=\"q\" type=\"vnq\"/>"
               "</union>\n");
    for (int i = 0; i < 32; i++) {
        g_string_append_printf(g, "<reg name=\"v%d\" bitsize=\"128\" type=\"aarch64v\" regnum=\"%d\"/>\n", i,
                               GDB_REG_V0 + i);
    }
    xml_add(g, "<reg name=\"fpsr\" bitsize=\"32\" type=\"int\"/>\n"
               "<reg name=\"fpcr\" bitsize=\"32\" type=\"int\"/>\n</feature>\n");
    sysregs_build();
    xml_add(g, "<feature name=\"org.tandem.aarch64.sysregs\">\n");
    for (int i = 0; i < nsysregs; i++) {
#ifdef GDB_HAVE_SYSREG_TABLE
        /* Registers of features this CPU model lacks stay out of the description (and read as
         * errors by number): gdb shows exactly what the guest could access. */
        if (cpu && sysregs[i].kind == SYS_TABLE && !sysreg_row_present(cpu, sysregs[i].row)) {
            continue;
        }
#endif
        g_string_append_printf(g, "<reg name=\"%s\" bitsize=\"64\" type=\"uint64\" group=\"system\" regnum=\"%d\"/>\n",
                               sysregs[i].name, GDB_REG_SYS0 + i);
    }
    xml_add(g, "</feature>\n</target>\n");
    xml_len = g->len;
    xml = g_string_free(g, FALSE);
}

const char *gdbstub_xml(const char *annex, size_t *len)
{
    if (strcmp(annex, "target.xml")) {
        return NULL;
    }
    if (!xml) {
        GdbStub *s = gdbstub_state;
        xml_build(s && s->m->ncpus > 0 ? s->m->cpus[0] : NULL);
    }
    *len = xml_len;
    return xml;
}
