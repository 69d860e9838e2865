/*
 * GICv3 virtualization (IHI 0069 chapter 6 and 12.4/12.5): the EL2 control
 * registers ICH_* and the virtual CPU interface ICV_* that EL1 reaches
 * through the ICC_* names when HCR_EL2.IMO/FMO route them there.
 *
 * Four list registers; 5 virtual priority and preemption bits (ICH_VTR_EL2
 * PRIbits = PREbits = 4), so only ICH_AP0R0/AP1R0 exist; no GICv4 (nV4 = 1).
 * A list register with HW = 1 deactivates its physical INTID when the
 * virtual interrupt is deactivated. The maintenance interrupt is PPI 25.
 * Virtual interrupts reach the vCPU as CPU_LINE_VIRQ (Group 1) and
 * CPU_LINE_VFIQ (Group 0).
 */
#include "devices/gicv3_internal.h"

#include "core/log.h"
#include "mmu/mmu.h"

/* ICH_LR<n>_EL2 */
#define LR_VINTID(lr) ((uint32_t)((lr) & 0xffffffffu))
#define LR_PINTID(lr) ((uint32_t)extract64(lr, 32, 10))
#define LR_EOI (1ULL << 41)
#define LR_PRIORITY(lr) ((uint32_t)extract64(lr, 48, 8))
#define LR_GROUP(lr) ((int)extract64(lr, 60, 1))
#define LR_HW (1ULL << 61)
#define LR_STATE(lr) ((unsigned)extract64(lr, 62, 2))
#define LR_STATE_PENDING 1u
#define LR_STATE_ACTIVE 2u
#define LR_WRITABLE (0xffffffffULL | (0x3ffULL << 32) | (0xffULL << 48) | (0xfULL << 60))

/* ICH_VMCR_EL2 */
#define VMCR_VENG0 (1u << 0)
#define VMCR_VENG1 (1u << 1)
#define VMCR_VFIQEn (1u << 3)
#define VMCR_VCBPR (1u << 4)
#define VMCR_VEOIM (1u << 9)
#define VMCR_VBPR1(v) ((unsigned)extract64(v, 18, 3))
#define VMCR_VBPR0(v) ((unsigned)extract64(v, 21, 3))
#define VMCR_VPMR(v) ((unsigned)extract64(v, 24, 8))

#define ICH_VTR_VALUE ((uint64_t)(GIC_NUM_LR - 1) | (1ULL << 20) /* nV4 */ | (1ULL << 21) /* A3V */ | \
                       (1ULL << 19) /* TDS */ | (4ULL << 26) /* PREbits */ | (4ULL << 29) /* PRIbits */)
#define ICH_HCR_WRITABLE (ICH_HCR_En | ICH_HCR_UIE | ICH_HCR_LRENPIE | ICH_HCR_NPIE | ICH_HCR_VGrp0EIE | \
                          ICH_HCR_VGrp0DIE | ICH_HCR_VGrp1EIE | ICH_HCR_VGrp1DIE | ICH_HCR_TC | \
                          ICH_HCR_TALL0 | ICH_HCR_TALL1 | ICH_HCR_TDIR | (0x1fULL << 27))
#define VBPR0_MIN 2
#define VBPR1_MIN 3

bool gicv3_virt_implemented(void)
{
    return true;
}

/* ---- virtual priority arithmetic (same shape as the physical one) ---- */

static uint32_t virt_group_mask(GICv3CPU *c, int g)
{
    unsigned bpr = (g == 0 || (c->ich_vmcr & VMCR_VCBPR)) ? VMCR_VBPR0(c->ich_vmcr)
                                                          : VMCR_VBPR1(c->ich_vmcr) - 1;
    return (0xffu << (bpr + 1)) & 0xffu;
}

static uint32_t virt_running_priority(GICv3CPU *c)
{
    uint32_t ap = c->ich_ap0r | c->ich_ap1r;
    return ap ? (uint32_t)ctz64(ap) << (8 - GIC_PRI_BITS) : GIC_IDLE_PRIORITY;
}

/* VirtualHighestPriorityPending: index of the LR, or -1. */
static int virt_hppi(GICv3CPU *c)
{
    int best = -1;
    uint32_t best_prio = GIC_NO_PENDING;
    for (int i = 0; i < GIC_NUM_LR; i++) {
        uint64_t lr = c->ich_lr[i];
        if (LR_STATE(lr) != LR_STATE_PENDING) {
            continue;
        }
        uint32_t prio = LR_PRIORITY(lr) & GIC_PRI_MASK;
        bool enabled = LR_GROUP(lr) ? (c->ich_vmcr & VMCR_VENG1) : (c->ich_vmcr & VMCR_VENG0);
        if (enabled && prio < best_prio) {
            best_prio = prio;
            best = i;
        }
    }
    return best;
}

/* Can the LR's interrupt be signalled / acknowledged (VPMR and preemption)? */
static bool virt_can_signal(GICv3CPU *c, int i)
{
    if (i < 0 || !(c->ich_hcr & ICH_HCR_En)) {
        return false;
    }
    uint64_t lr = c->ich_lr[i];
    uint32_t prio = LR_PRIORITY(lr) & GIC_PRI_MASK;
    if (prio >= VMCR_VPMR(c->ich_vmcr)) {
        return false;
    }
    return (prio & virt_group_mask(c, LR_GROUP(lr))) < virt_running_priority(c);
}

/* ---- maintenance (12.4.x ICH_MISR_EL2 / EISR / ELRSR) ---- */

static uint64_t ich_eisr(GICv3CPU *c)
{
    uint64_t v = 0;
    for (int i = 0; i < GIC_NUM_LR; i++) {
        uint64_t lr = c->ich_lr[i];
        if (LR_STATE(lr) == 0 && !(lr & LR_HW) && (lr & LR_EOI)) {
            v |= 1u << i;
        }
    }
    return v;
}

static uint64_t ich_elrsr(GICv3CPU *c)
{
    uint64_t v = 0;
    for (int i = 0; i < GIC_NUM_LR; i++) {
        uint64_t lr = c->ich_lr[i];
        if (LR_STATE(lr) == 0 && ((lr & LR_HW) || !(lr & LR_EOI))) {
            v |= 1u << i;
        }
    }
    return v;
}

static uint64_t ich_misr(GICv3CPU *c)
{
    uint64_t hcr = c->ich_hcr, vmcr = c->ich_vmcr, v = 0;
    int valid = 0, pending = 0;
    for (int i = 0; i < GIC_NUM_LR; i++) {
        unsigned st = LR_STATE(c->ich_lr[i]);
        valid += st != 0;
        pending += (st & LR_STATE_PENDING) != 0;
    }
    if (ich_eisr(c)) {
        v |= 1u << 0;                                   /* EOI */
    }
    if ((hcr & ICH_HCR_UIE) && valid <= 1) {
        v |= 1u << 1;                                   /* U: underflow */
    }
    if ((hcr & ICH_HCR_LRENPIE) && extract64(hcr, 27, 5)) {
        v |= 1u << 2;                                   /* LRENP */
    }
    if ((hcr & ICH_HCR_NPIE) && !pending) {
        v |= 1u << 3;                                   /* NP */
    }
    if ((hcr & ICH_HCR_VGrp0EIE) && (vmcr & VMCR_VENG0)) {
        v |= 1u << 4;
    }
    if ((hcr & ICH_HCR_VGrp0DIE) && !(vmcr & VMCR_VENG0)) {
        v |= 1u << 5;
    }
    if ((hcr & ICH_HCR_VGrp1EIE) && (vmcr & VMCR_VENG1)) {
        v |= 1u << 6;
    }
    if ((hcr & ICH_HCR_VGrp1DIE) && !(vmcr & VMCR_VENG1)) {
        v |= 1u << 7;
    }
    return v;
}

void gicv3_virt_update(GICv3CPU *c)
{
    bool virq = false, vfiq = false;
    int i = virt_hppi(c);
    if (virt_can_signal(c, i)) {
        if (LR_GROUP(c->ich_lr[i])) {
            virq = true;
        } else {
            vfiq = true;   /* ICH_VMCR_EL2.VFIQEn is RAO with system registers */
        }
    }
    if (c->cpu && virq != c->virq_out) {
        c->virq_out = virq;
        cpu_set_irq_line(c->cpu, CPU_LINE_VIRQ, virq);
    }
    if (c->cpu && vfiq != c->vfiq_out) {
        c->vfiq_out = vfiq;
        cpu_set_irq_line(c->cpu, CPU_LINE_VFIQ, vfiq);
    }
    bool maint = (c->ich_hcr & ICH_HCR_En) && ich_misr(c) != 0;
    if (maint != c->maint_out) {
        c->maint_out = maint;
        irq_set_level(&c->maint, maint);   /* re-enters gicv3_update_cpu once; level then unchanged */
    }
}

void gicv3_virt_reset(GICv3CPU *c)
{
    c->ich_hcr = 0;
    c->ich_vmcr = VMCR_VFIQEn | ((uint64_t)VBPR0_MIN << 21) | ((uint64_t)VBPR1_MIN << 18);
    memset(c->ich_lr, 0, sizeof(c->ich_lr));
    c->ich_ap0r = c->ich_ap1r = 0;
}

/* ---- ICH_* registers (EL2) ---- */

/* ICH_* live at op0=3, op1=4, CRn=12, CRm=8..13 (ICC_SRE_EL2 excepted). */
bool gicv3_ich_owns(uint32_t enc)
{
    return extract32(enc, 14, 2) == 3 && extract32(enc, 11, 3) == 4 && extract32(enc, 7, 4) == 12 &&
           extract32(enc, 3, 4) >= 8 && extract32(enc, 3, 4) <= 13 &&
           !(extract32(enc, 3, 4) == 9 && extract32(enc, 0, 3) == 5);   /* ICC_SRE_EL2 */
}

bool gicv3_ich_sysreg_access(CPUState *cpu, GICv3CPU *c, uint32_t enc, bool write, uint64_t *value,
                             unsigned *trap_el)
{
    *trap_el = 0;
    if (!c || !gicv3_ich_owns(enc) || !extract64(cpu->id.ID_AA64PFR0_EL1, 8, 4)) {
        return false;
    }
    if (cpu->el < 2) {
        /* EL2 registers: trap to EL2 from EL1 under HCR_EL2.NV (FEAT_NV), else UNDEFINED */
        bool el2_enabled = !extract64(cpu->id.ID_AA64PFR0_EL1, 12, 4) || (cpu->sr.SCR_EL3 & ((1ULL << 0) | (1ULL << 18)));
        if (cpu->el == 1 && el2_enabled && (cpu->sr.HCR_EL2 & (1ULL << 42))) {
            *trap_el = 2;
        }
        return false;
    }
    unsigned crm = extract32(enc, 3, 4), op2 = extract32(enc, 0, 3);
    if (crm == 8 || crm == 9) {
        if (op2 != 0) {
            return false;   /* ICH_AP0R1-3 / AP1R1-3: not implemented with 5 preemption bits */
        }
        uint32_t *ap = crm == 8 ? &c->ich_ap0r : &c->ich_ap1r;
        if (write) {
            *ap = (uint32_t)*value;
        } else {
            *value = *ap;
        }
    } else if (crm == 12 || crm == 13) {
        unsigned n = (crm - 12) * 8 + op2;
        if (n >= GIC_NUM_LR) {
            return false;
        }
        if (write) {
            c->ich_lr[n] = *value & LR_WRITABLE;
        } else {
            *value = c->ich_lr[n];
        }
    } else if (crm == 11) {
        switch (op2) {
        case 0:   /* ICH_HCR_EL2 */
            if (write) {
                c->ich_hcr = *value & ICH_HCR_WRITABLE;
            } else {
                *value = c->ich_hcr;
            }
            break;
        case 1:   /* ICH_VTR_EL2 */
            if (write) {
                return false;
            }
            *value = ICH_VTR_VALUE;
            break;
        case 2: case 3: case 5:   /* MISR, EISR, ELRSR: read-only */
            if (write) {
                return false;
            }
            *value = op2 == 2 ? ich_misr(c) : op2 == 3 ? ich_eisr(c) : ich_elrsr(c);
            break;
        case 7: { /* ICH_VMCR_EL2 */
            if (!write) {
                *value = c->ich_vmcr;
                break;
            }
            uint64_t v = *value & (VMCR_VENG0 | VMCR_VENG1 | VMCR_VCBPR | VMCR_VEOIM |
                                   (7ULL << 18) | (7ULL << 21) | (0xffULL << 24));
            v |= VMCR_VFIQEn;   /* RAO/WI: system register interface only */
            v &= ~(0x7ULL << 24);   /* VPMR: 5 implemented bits */
            if (VMCR_VBPR0(v) < VBPR0_MIN) {
                v = deposit64(v, 21, 3, VBPR0_MIN);
            }
            if (VMCR_VBPR1(v) < VBPR1_MIN) {
                v = deposit64(v, 18, 3, VBPR1_MIN);
            }
            c->ich_vmcr = v;
            break;
        }
        default:
            return false;
        }
    } else {
        return false;
    }
    if (write) {
        gicv3_virt_update(c);
    }
    return true;
}

/* ---- the virtual CPU interface (ICV_*) ---- */

static int virt_find_active_lr(GICv3CPU *c, uint32_t vintid)
{
    for (int i = 0; i < GIC_NUM_LR; i++) {
        if ((LR_STATE(c->ich_lr[i]) & LR_STATE_ACTIVE) && LR_VINTID(c->ich_lr[i]) == vintid) {
            return i;
        }
    }
    return -1;
}

/* Deactivate vINTID; a HW list register also deactivates its physical INTID. */
static void virt_deactivate(GICv3CPU *c, uint32_t vintid)
{
    int i = virt_find_active_lr(c, vintid);
    if (i < 0) {
        /* no list register holds it: count it for the hypervisor (LRENP) */
        uint64_t count = extract64(c->ich_hcr, 27, 5);
        c->ich_hcr = deposit64(c->ich_hcr, 27, 5, count + 1);
        return;
    }
    uint64_t lr = c->ich_lr[i];
    c->ich_lr[i] = lr & ~((uint64_t)LR_STATE_ACTIVE << 62);
    if (lr & LR_HW) {
        uint32_t pintid = LR_PINTID(lr);
        if (pintid >= 16 && pintid < GICV3_NUM_IRQS) {
            gicv3_set_active(c->gic, c, pintid, false);
            if (pintid >= 32) {
                gicv3_update(c->gic);
            } else {
                gicv3_update_cpu(c);
            }
        }
    }
}

static uint64_t virt_acknowledge(GICv3CPU *c, int g)
{
    int i = virt_hppi(c);
    if (i < 0 || LR_GROUP(c->ich_lr[i]) != g || !virt_can_signal(c, i)) {
        return GIC_SPURIOUS;
    }
    uint64_t lr = c->ich_lr[i];
    uint32_t prio = LR_PRIORITY(lr) & GIC_PRI_MASK;
    uint32_t bit = 1u << ((prio & virt_group_mask(c, g)) >> (8 - GIC_PRI_BITS));
    if (g == 0) {
        c->ich_ap0r |= bit;
    } else {
        c->ich_ap1r |= bit;
    }
    c->ich_lr[i] = (lr & ~(3ULL << 62)) | ((uint64_t)LR_STATE_ACTIVE << 62);
    return LR_VINTID(lr);
}

static void virt_end_of_interrupt(GICv3CPU *c, int g, uint32_t vintid)
{
    if (vintid >= 1020 && vintid <= 1023) {
        return;
    }
    uint32_t ap = c->ich_ap0r | c->ich_ap1r;
    if (ap) {
        uint32_t bit = ap & -ap;
        uint32_t *mine = g == 0 ? &c->ich_ap0r : &c->ich_ap1r;
        if (!(*mine & bit)) {
            return;   /* highest active priority is the other group: ignored, as physically */
        }
        *mine &= ~bit;
    }
    if (!(c->ich_vmcr & VMCR_VEOIM)) {
        virt_deactivate(c, vintid);
    }
}

bool gicv3_virt_sysreg_access(CPUState *cpu, GICv3CPU *c, int reg, bool write, uint64_t *value,
                              unsigned *trap_el)
{
    *trap_el = 0;
    uint64_t v = write ? *value : 0;
    uint64_t *vmcr = &c->ich_vmcr;
    switch ((ICCReg)reg) {
    case ICC_IAR0: v = virt_acknowledge(c, 0); break;
    case ICC_IAR1: v = virt_acknowledge(c, 1); break;
    case ICC_EOIR0: virt_end_of_interrupt(c, 0, (uint32_t)v & 0xffffff); break;
    case ICC_EOIR1: virt_end_of_interrupt(c, 1, (uint32_t)v & 0xffffff); break;
    case ICC_DIR: virt_deactivate(c, (uint32_t)v & 0xffffff); break;
    case ICC_HPPIR0: case ICC_HPPIR1: {
        int i = virt_hppi(c);
        int g = reg == ICC_HPPIR0 ? 0 : 1;
        v = (i >= 0 && LR_GROUP(c->ich_lr[i]) == g) ? LR_VINTID(c->ich_lr[i]) : GIC_SPURIOUS;
        break;
    }
    case ICC_PMR:
        if (write) {
            *vmcr = deposit64(*vmcr, 24, 8, v & GIC_PRI_MASK);
        } else {
            v = VMCR_VPMR(*vmcr);
        }
        break;
    case ICC_BPR0:
        if (write) {
            *vmcr = deposit64(*vmcr, 21, 3, (v & 7) < VBPR0_MIN ? VBPR0_MIN : (v & 7));
        } else {
            v = VMCR_VBPR0(*vmcr);
        }
        break;
    case ICC_BPR1:
        if (*vmcr & VMCR_VCBPR) {
            v = write ? v : (VMCR_VBPR0(*vmcr) + 1 > 7 ? 7 : VMCR_VBPR0(*vmcr) + 1);
        } else if (write) {
            *vmcr = deposit64(*vmcr, 18, 3, (v & 7) < VBPR1_MIN ? VBPR1_MIN : (v & 7));
        } else {
            v = VMCR_VBPR1(*vmcr);
        }
        break;
    case ICC_AP0R0: if (write) { c->ich_ap0r = (uint32_t)v; } else { v = c->ich_ap0r; } break;
    case ICC_AP1R0: if (write) { c->ich_ap1r = (uint32_t)v; } else { v = c->ich_ap1r; } break;
    case ICC_RPR: v = virt_running_priority(c); break;
    case ICC_CTLR_EL1:
        if (write) {
            *vmcr = (*vmcr & ~(uint64_t)(VMCR_VCBPR | VMCR_VEOIM)) | ((v & 1) ? VMCR_VCBPR : 0) |
                    ((v & 2) ? VMCR_VEOIM : 0);
        } else {
            v = ((*vmcr & VMCR_VCBPR) ? 1 : 0) | ((*vmcr & VMCR_VEOIM) ? 2 : 0) |
                (4u << 8) /* PRIbits */ | (1u << 15) /* A3V */;
        }
        break;
    case ICC_IGRPEN0:
        if (write) {
            *vmcr = (*vmcr & ~(uint64_t)VMCR_VENG0) | ((v & 1) ? VMCR_VENG0 : 0);
        } else {
            v = (*vmcr & VMCR_VENG0) ? 1 : 0;
        }
        break;
    case ICC_IGRPEN1:
        if (write) {
            *vmcr = (*vmcr & ~(uint64_t)VMCR_VENG1) | ((v & 1) ? VMCR_VENG1 : 0);
        } else {
            v = (*vmcr & VMCR_VENG1) ? 1 : 0;
        }
        break;
    default:
        return false;   /* not a virtualized register */
    }
    if (!write) {
        *value = v;
    }
    gicv3_virt_update(c);
    return true;
}
