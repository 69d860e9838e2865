/*
 * GICv3 CPU interface system registers (ICC_*), IHI 0069 12.2 and the
 * pseudocode of chapter 11/13: acknowledge (IAR), priority drop (EOIR),
 * deactivation (DIR, split by ICC_CTLR.EOImode), active priorities (APR),
 * running priority, binary points, group enables and SGI generation.
 *
 * Implementation choices (docs/impdef.md): 5 priority bits (PRIbits = 4),
 * 5 preemption bits so only ICC_AP0R0/AP1R0 exist, 16-bit INTIDs, A3V = 1,
 * SRE/DFB/DIB and ICC_SRE_EL2/EL3.Enable are RAO/WI (system registers only,
 * no legacy bypass). Single Security state (GICD_CTLR.DS = 1): the
 * registers are not banked.
 */
#include "devices/cpu_hooks.h"
#include "devices/gicv3_internal.h"

#include "core/log.h"
#include "mmu/mmu.h"


enum { ACC_R = 1, ACC_W = 2, ACC_RW = 3 };
enum { GRP_COMMON = -1, GRP_0 = 0, GRP_1 = 1, GRP_SGI = 2 };

typedef struct ICCRegInfo {
    uint32_t enc;
    ICCReg reg;
    uint8_t access;
    int8_t group;          /* which HCR_EL2 bit (FMO/IMO) and SCR_EL3 bit applies */
    uint8_t min_el;
    bool implemented;      /* false: the encoding exists in the architecture but not here */
} ICCRegInfo;

#define E MMU_SYSREG_ENC
static const ICCRegInfo icc_regs[] = {
    { E(3, 0, 4, 6, 0), ICC_PMR, ACC_RW, GRP_COMMON, 1, true },
    { E(3, 0, 12, 8, 0), ICC_IAR0, ACC_R, GRP_0, 1, true },
    { E(3, 0, 12, 8, 1), ICC_EOIR0, ACC_W, GRP_0, 1, true },
    { E(3, 0, 12, 8, 2), ICC_HPPIR0, ACC_R, GRP_0, 1, true },
    { E(3, 0, 12, 8, 3), ICC_BPR0, ACC_RW, GRP_0, 1, true },
    { E(3, 0, 12, 8, 4), ICC_AP0R0, ACC_RW, GRP_0, 1, true },
    { E(3, 0, 12, 8, 5), ICC_AP0R1, ACC_RW, GRP_0, 1, false },   /* needs > 5 preemption bits */
    { E(3, 0, 12, 8, 6), ICC_AP0R2, ACC_RW, GRP_0, 1, false },
    { E(3, 0, 12, 8, 7), ICC_AP0R3, ACC_RW, GRP_0, 1, false },
    { E(3, 0, 12, 9, 0), ICC_AP1R0, ACC_RW, GRP_1, 1, true },
    { E(3, 0, 12, 9, 1), ICC_AP1R1, ACC_RW, GRP_1, 1, false },
    { E(3, 0, 12, 9, 2), ICC_AP1R2, ACC_RW, GRP_1, 1, false },
    { E(3, 0, 12, 9, 3), ICC_AP1R3, ACC_RW, GRP_1, 1, false },
    { E(3, 0, 12, 11, 1), ICC_DIR, ACC_W, GRP_COMMON, 1, true },
    { E(3, 0, 12, 11, 3), ICC_RPR, ACC_R, GRP_COMMON, 1, true },
    { E(3, 0, 12, 11, 5), ICC_SGI1R, ACC_W, GRP_SGI, 1, true },
    { E(3, 0, 12, 11, 6), ICC_ASGI1R, ACC_W, GRP_SGI, 1, true },
    { E(3, 0, 12, 11, 7), ICC_SGI0R, ACC_W, GRP_SGI, 1, true },
    { E(3, 0, 12, 12, 0), ICC_IAR1, ACC_R, GRP_1, 1, true },
    { E(3, 0, 12, 12, 1), ICC_EOIR1, ACC_W, GRP_1, 1, true },
    { E(3, 0, 12, 12, 2), ICC_HPPIR1, ACC_R, GRP_1, 1, true },
    { E(3, 0, 12, 12, 3), ICC_BPR1, ACC_RW, GRP_1, 1, true },
    { E(3, 0, 12, 12, 4), ICC_CTLR_EL1, ACC_RW, GRP_COMMON, 1, true },
    { E(3, 0, 12, 12, 5), ICC_SRE_EL1, ACC_RW, GRP_COMMON, 1, true },
    { E(3, 0, 12, 12, 6), ICC_IGRPEN0, ACC_RW, GRP_0, 1, true },
    { E(3, 0, 12, 12, 7), ICC_IGRPEN1, ACC_RW, GRP_1, 1, true },
    { E(3, 4, 12, 9, 5), ICC_SRE_EL2, ACC_RW, GRP_COMMON, 2, true },
    { E(3, 6, 12, 12, 4), ICC_CTLR_EL3, ACC_RW, GRP_COMMON, 3, true },
    { E(3, 6, 12, 12, 5), ICC_SRE_EL3, ACC_RW, GRP_COMMON, 3, true },
    { E(3, 6, 12, 12, 7), ICC_IGRPEN1_EL3, ACC_RW, GRP_COMMON, 3, true },
};
#undef E

#define ICC_CTLR_CBPR (1u << 0)
#define ICC_CTLR_EOImode (1u << 1)
#define ICC_CTLR_RO_BITS ((4u << 8) | (1u << 15))       /* PRIbits = 4, A3V */
#define ICC_CTLR_EL3_EOImode_EL3 (1u << 2)
#define ICC_SRE_SRE_DFB_DIB 0x7u
#define ICC_SRE_Enable 0x8u
#define ICC_BPR0_MIN (7 - GIC_PRI_BITS)
#define ICC_BPR1_MIN (ICC_BPR0_MIN + 1)

#define SCR_EL3_NS (1ULL << 0)
#define SCR_EL3_IRQ (1ULL << 1)
#define SCR_EL3_FIQ (1ULL << 2)
#define SCR_EL3_EEL2 (1ULL << 18)
#define HCR_EL2_FMO (1ULL << 3)
#define HCR_EL2_IMO (1ULL << 4)
#define HCR_EL2_TGE (1ULL << 27)
#define HCR_EL2_NV (1ULL << 42)

static const ICCRegInfo *icc_lookup(uint32_t enc)
{
    for (size_t i = 0; i < ARRAY_SIZE(icc_regs); i++) {
        if (icc_regs[i].enc == enc) {
            return &icc_regs[i];
        }
    }
    return NULL;
}

static bool gic_have_el3(const CPUState *cpu) { return extract64(cpu->id.ID_AA64PFR0_EL1, 12, 4) != 0; }
static bool gic_el2_enabled(const CPUState *cpu)
{
    if (!extract64(cpu->id.ID_AA64PFR0_EL1, 8, 4)) {
        return false;
    }
    return !gic_have_el3(cpu) || (cpu->sr.SCR_EL3 & (SCR_EL3_NS | SCR_EL3_EEL2));
}

/* ---- acknowledge, priority drop, deactivate ---- */

static uint32_t icc_apr_bit(GICv3CPU *c, uint32_t prio, int g)
{
    return 1u << ((prio & gicv3_group_mask(c, g)) >> (8 - GIC_PRI_BITS));
}

static uint64_t icc_acknowledge(GICv3CPU *c, int g)
{
    GICv3 *gic = c->gic;
    uint32_t enable = g == 0 ? c->igrpen0 : c->igrpen1;
    if (c->hppi_group != g || !(enable & 1) || !gicv3_hppi_can_signal(c)) {
        return GIC_SPURIOUS;
    }
    unsigned intid = c->hppi_intid;
    gicv3_clear_pending_latch(gic, c, intid);
    gicv3_set_active(gic, c, intid, true);
    if (g == 0) {
        c->ap0r |= icc_apr_bit(c, c->hppi_prio, 0);
    } else {
        c->ap1r |= icc_apr_bit(c, c->hppi_prio, 1);
    }
    LOG(LOG_INT, "gicv3: cpu %d acknowledges INTID %u (group %d, priority 0x%x)\n",
        c->index, intid, g, c->hppi_prio);
    if (intid >= 32) {
        gicv3_update(gic);   /* a 1-of-N SPI may have been offered to other PEs */
    } else {
        gicv3_update_cpu(c);
    }
    return intid;
}

static void icc_deactivate(GICv3CPU *c, uint32_t intid)
{
    if (intid >= GICV3_NUM_IRQS) {
        return;
    }
    gicv3_set_active(c->gic, c, intid, false);
    if (intid >= 32) {
        gicv3_update(c->gic);
    } else {
        gicv3_update_cpu(c);
    }
}

static bool icc_eoimode(GICv3CPU *c)
{
    return c->cpu->el == 3 ? (c->ctlr_el3 & ICC_CTLR_EL3_EOImode_EL3) : (c->ctlr_el1 & ICC_CTLR_EOImode);
}

/* EOIR: drop the highest active priority; deactivate too unless EOImode. */
static void icc_end_of_interrupt(GICv3CPU *c, int g, uint32_t intid)
{
    if (intid >= 1020 && intid <= 1023) {
        return;   /* special INTIDs: no effect */
    }
    uint32_t ap = c->ap0r | c->ap1r;
    if (!ap) {
        LOG(LOG_GUEST_ERRORS, "gicv3: EOI of INTID %u with no active priority\n", intid);
        return;
    }
    uint32_t bit = ap & -ap;
    uint32_t *mine = g == 0 ? &c->ap0r : &c->ap1r;
    if (!(*mine & bit)) {
        /* the highest active priority belongs to the other group: CONSTRAINED
         * UNPREDICTABLE, Tandem ignores the write (docs/impdef.md) */
        LOG(LOG_GUEST_ERRORS, "gicv3: EOIR%d while the highest active priority is the other group\n", g);
        return;
    }
    *mine &= ~bit;
    if (!icc_eoimode(c)) {
        icc_deactivate(c, intid);
    } else {
        gicv3_update_cpu(c);
    }
}

/* ---- register access ---- */

static uint64_t icc_read_ctlr_el3(GICv3CPU *c)
{
    uint64_t v = ICC_CTLR_RO_BITS | (c->ctlr_el3 & ICC_CTLR_EL3_EOImode_EL3);
    if (c->ctlr_el1 & ICC_CTLR_CBPR) {
        v |= 3;             /* CBPR_EL1S, CBPR_EL1NS alias the one ICC_CTLR_EL1.CBPR */
    }
    if (c->ctlr_el1 & ICC_CTLR_EOImode) {
        v |= 3u << 3;       /* EOImode_EL1S, EOImode_EL1NS */
    }
    return v;
}

static uint64_t icc_read(GICv3CPU *c, ICCReg reg)
{
    switch (reg) {
    case ICC_PMR: return c->pmr;
    case ICC_IAR0: return icc_acknowledge(c, 0);
    case ICC_IAR1: return icc_acknowledge(c, 1);
    case ICC_HPPIR0: return c->hppi_group == 0 ? c->hppi_intid : GIC_SPURIOUS;
    case ICC_HPPIR1: return c->hppi_group == 1 ? c->hppi_intid : GIC_SPURIOUS;
    case ICC_BPR0: return c->bpr0;
    case ICC_BPR1:
        return (c->ctlr_el1 & ICC_CTLR_CBPR) ? (c->bpr0 + 1 > 7 ? 7 : c->bpr0 + 1) : c->bpr1;
    case ICC_AP0R0: return c->ap0r;
    case ICC_AP1R0: return c->ap1r;
    case ICC_RPR: return gicv3_running_priority(c);
    case ICC_CTLR_EL1: return ICC_CTLR_RO_BITS | (c->ctlr_el1 & (ICC_CTLR_CBPR | ICC_CTLR_EOImode));
    case ICC_SRE_EL1: return ICC_SRE_SRE_DFB_DIB;
    case ICC_SRE_EL2: case ICC_SRE_EL3: return ICC_SRE_SRE_DFB_DIB | ICC_SRE_Enable;
    case ICC_IGRPEN0: return c->igrpen0 & 1;
    case ICC_IGRPEN1: return c->igrpen1 & 1;
    case ICC_CTLR_EL3: return icc_read_ctlr_el3(c);
    case ICC_IGRPEN1_EL3: return (c->igrpen1 & 1) | (c->igrpen1_el3 & 2);
    default: return 0;
    }
}

static void icc_write(GICv3CPU *c, ICCReg reg, uint64_t v)
{
    switch (reg) {
    case ICC_PMR: c->pmr = (uint32_t)v & GIC_PRI_MASK; break;
    case ICC_EOIR0: icc_end_of_interrupt(c, 0, (uint32_t)v & 0xffffff); return;
    case ICC_EOIR1: icc_end_of_interrupt(c, 1, (uint32_t)v & 0xffffff); return;
    case ICC_DIR: icc_deactivate(c, (uint32_t)v & 0xffffff); return;
    case ICC_BPR0: {
        uint32_t b = (uint32_t)v & 7;
        c->bpr0 = b < ICC_BPR0_MIN ? ICC_BPR0_MIN : b;
        break;
    }
    case ICC_BPR1:
        if (!(c->ctlr_el1 & ICC_CTLR_CBPR)) {
            uint32_t b = (uint32_t)v & 7;
            c->bpr1 = b < ICC_BPR1_MIN ? ICC_BPR1_MIN : b;
        }
        break;
    case ICC_AP0R0: c->ap0r = (uint32_t)v; break;
    case ICC_AP1R0: c->ap1r = (uint32_t)v; break;
    case ICC_SGI0R: gicv3_send_sgi(c->gic, c, v, 0); return;
    case ICC_SGI1R: gicv3_send_sgi(c->gic, c, v, 1); return;
    case ICC_ASGI1R:
        /* With GICD_CTLR.DS = 1 there is no "other" Security state's Group 1:
         * the SGI is forwarded only to targets that have it in Group 0,
         * as for ICC_SGI0R_EL1 (docs/impdef.md). */
        gicv3_send_sgi(c->gic, c, v, 0);
        return;
    case ICC_CTLR_EL1:
        c->ctlr_el1 = (uint32_t)v & (ICC_CTLR_CBPR | ICC_CTLR_EOImode);
        break;
    case ICC_IGRPEN0: c->igrpen0 = (uint32_t)v & 1; break;
    case ICC_IGRPEN1: c->igrpen1 = (uint32_t)v & 1; break;
    case ICC_CTLR_EL3:
        c->ctlr_el3 = (uint32_t)v & ICC_CTLR_EL3_EOImode_EL3;
        c->ctlr_el1 = (c->ctlr_el1 & ~ICC_CTLR_CBPR) | ((v & 2) ? ICC_CTLR_CBPR : 0);
        c->ctlr_el1 = (c->ctlr_el1 & ~ICC_CTLR_EOImode) | ((v & (1u << 4)) ? ICC_CTLR_EOImode : 0);
        break;
    case ICC_IGRPEN1_EL3:
        c->igrpen1 = (uint32_t)v & 1;
        c->igrpen1_el3 = (uint32_t)v & 2;
        break;
    case ICC_SRE_EL1: case ICC_SRE_EL2: case ICC_SRE_EL3:
        break;   /* RAO/WI */
    default:
        break;
    }
    if (reg == ICC_IGRPEN0 || reg == ICC_IGRPEN1 || reg == ICC_IGRPEN1_EL3) {
        gicv3_update(c->gic);   /* 1-of-N SPIs follow the group enables */
    } else {
        gicv3_update_cpu(c);
    }
}

/*
 * Access checks (the AArch64 pseudocode of each ICC register): EL0 is
 * UNDEFINED; at EL1 with HCR_EL2.FMO/IMO the access goes to the virtual
 * interface (ICV_*), SGI registers trap to EL2; SCR_EL3.FIQ/IRQ trap Group 0/1
 * registers from EL1/EL2 to EL3. Returns the register info or NULL with
 * *trap_el set.
 */
static const ICCRegInfo *icc_check(CPUState *cpu, uint32_t enc, bool write, unsigned *trap_el,
                                   bool *virt)
{
    const ICCRegInfo *r = icc_lookup(enc);
    *trap_el = 0;
    *virt = false;
    if (!r || !r->implemented || !cpu->gic || !(r->access & (write ? ACC_W : ACC_R))) {
        return NULL;
    }
    if (cpu->el < r->min_el) {
        /* FEAT_NV: EL1 accesses to EL2 registers trap to EL2 under HCR_EL2.NV */
        if (cpu->el == 1 && r->min_el == 2 && gic_el2_enabled(cpu) && (cpu->sr.HCR_EL2 & HCR_EL2_NV)) {
            *trap_el = 2;
        }
        return NULL;
    }
    if (r->min_el > 1) {
        return r;
    }
    uint64_t hcr = cpu->sr.HCR_EL2;
    bool el2 = gic_el2_enabled(cpu);
    if (cpu->el == 1 && r->reg != ICC_SRE_EL1) {
        bool fmo = el2 && (hcr & HCR_EL2_FMO);
        bool imo = el2 && (hcr & HCR_EL2_IMO);
        /* ICH_HCR_EL2 traps come first (TALL0/TALL1 by group, TC for the
         * common and SGI registers, TDIR for DIR) */
        uint64_t ich = el2 ? ((GICv3CPU *)cpu->gic)->ich_hcr : 0;
        bool common = r->group == GRP_COMMON || r->group == GRP_SGI;
        if ((r->group == GRP_0 && (ich & ICH_HCR_TALL0)) || (r->group == GRP_1 && (ich & ICH_HCR_TALL1)) ||
            (common && (ich & ICH_HCR_TC)) || (r->reg == ICC_DIR && (ich & ICH_HCR_TDIR))) {
            *trap_el = 2;
            return NULL;
        }
        if (r->group == GRP_SGI) {
            if (r->reg == ICC_SGI0R ? fmo : imo) {
                *trap_el = 2;
                return NULL;
            }
        } else if ((r->group == GRP_0 && fmo) || (r->group == GRP_1 && imo) ||
                   (r->group == GRP_COMMON && (fmo || imo))) {
            *virt = true;
            return r;
        }
    }
    if (cpu->el < 3 && gic_have_el3(cpu)) {
        uint64_t scr = cpu->sr.SCR_EL3;
        if ((r->group == GRP_0 && (scr & SCR_EL3_FIQ)) || (r->group == GRP_1 && (scr & SCR_EL3_IRQ))) {
            *trap_el = 3;
            return NULL;
        }
    }
    return r;
}


bool gicv3_sysreg_read(CPUState *cpu, uint32_t enc, uint64_t *value, unsigned *trap_el)
{
    bool virt;
    const ICCRegInfo *r = icc_check(cpu, enc, false, trap_el, &virt);
    if (r && virt) {
        return gicv3_virt_sysreg_access(cpu, cpu->gic, (int)r->reg, false, value, trap_el);
    }
    if (!r) {
        return !*trap_el && icc_lookup(enc) == NULL &&
               gicv3_ich_sysreg_access(cpu, cpu->gic, enc, false, value, trap_el);
    }
    *value = icc_read(cpu->gic, r->reg);
    return true;
}

bool gicv3_sysreg_write(CPUState *cpu, uint32_t enc, uint64_t value, unsigned *trap_el)
{
    bool virt;
    const ICCRegInfo *r = icc_check(cpu, enc, true, trap_el, &virt);
    if (r && virt) {
        return gicv3_virt_sysreg_access(cpu, cpu->gic, (int)r->reg, true, &value, trap_el);
    }
    if (!r) {
        return !*trap_el && icc_lookup(enc) == NULL &&
               gicv3_ich_sysreg_access(cpu, cpu->gic, enc, true, &value, trap_el);
    }
    icc_write(cpu->gic, r->reg, value);
    return true;
}

bool gicv3_sysreg_owns(uint32_t enc)
{
    return icc_lookup(enc) != NULL || gicv3_ich_owns(enc);
}

void gicv3_cpuif_reset(GICv3CPU *c)
{
    c->ctlr_el1 = 0;
    c->ctlr_el3 = 0;
    c->pmr = 0;
    c->bpr0 = ICC_BPR0_MIN;
    c->bpr1 = ICC_BPR1_MIN;
    c->igrpen0 = c->igrpen1 = c->igrpen1_el3 = 0;
    c->ap0r = c->ap1r = 0;
}
