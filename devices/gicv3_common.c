/*
 * GICv3 core: interrupt state queries, highest-priority-pending selection,
 * signalling to the CPUs, input lines, creation and the device-tree node.
 * References: Arm GIC Architecture Specification (IHI 0069) 4.x "Interrupt
 * prioritization and signalling", 11.x pseudocode (HighestPriorityPending,
 * CanSignalInterrupt).
 */
#include "devices/gicv3_internal.h"

#include <stdio.h>

#include <glib.h>
#include <libfdt.h>

#include "core/log.h"
#include "devices/fdt_util.h"

#define WAKER_ProcessorSleep (1u << 1)

bool gicv3_irq_pending(GICv3 *gic, GICv3CPU *c, unsigned intid)
{
    if (intid < 32) {
        return gic_bit(&c->pend_latch, intid) ||
               (!gic_bit(&c->edge, intid) && gic_bit(&c->level, intid));
    }
    return gic_bit(gic->pend_latch, intid) ||
           (!gic_bit(gic->edge, intid) && gic_bit(gic->level, intid));
}

int gicv3_irq_group(GICv3 *gic, GICv3CPU *c, unsigned intid)
{
    return intid < 32 ? gic_bit(&c->group, intid) : gic_bit(gic->group, intid);
}

uint8_t gicv3_irq_priority(GICv3 *gic, GICv3CPU *c, unsigned intid)
{
    return intid < 32 ? c->priority[intid] : gic->priority[intid];
}

void gicv3_set_active(GICv3 *gic, GICv3CPU *c, unsigned intid, bool active)
{
    if (intid < 32) {
        gic_set_bit(&c->active, intid, active);
    } else if (intid < GICV3_NUM_IRQS) {
        gic_set_bit(gic->active, intid, active);
    }
}

void gicv3_clear_pending_latch(GICv3 *gic, GICv3CPU *c, unsigned intid)
{
    if (intid < 32) {
        gic_set_bit(&c->pend_latch, intid, false);
    } else if (intid < GICV3_NUM_IRQS) {
        gic_set_bit(gic->pend_latch, intid, false);
    }
}

/*
 * IROUTER: Interrupt_Routing_Mode (bit 31) = 1 is 1-of-N: the SPI is offered
 * to every PE whose CPU interface has the group enabled and whose
 * redistributor is awake; the first to acknowledge it takes it, the others
 * then read a spurious INTID (docs/impdef.md).
 */
bool gicv3_spi_targets_cpu(GICv3 *gic, GICv3CPU *c, unsigned intid)
{
    uint64_t r = gic->irouter[intid];
    if (r & (1ULL << 31)) {
        int grp = gic_bit(gic->group, intid);
        return grp ? (c->igrpen1 & 1) : (c->igrpen0 & 1);
    }
    uint64_t aff = (r & 0xffffffULL) | ((r >> 32 & 0xff) << 32);
    return aff == c->affinity;
}

static void gicv3_consider(GICv3CPU *c, unsigned intid, uint8_t prio, int group)
{
    if (prio < c->hppi_prio) {    /* strictly higher priority; ties keep the lowest INTID */
        c->hppi_prio = prio;
        c->hppi_intid = intid;
        c->hppi_group = group;
    }
}

static uint32_t gicv3_group_enable_mask(GICv3 *gic, const uint32_t *group_word)
{
    uint32_t m = 0;
    if (gic->ctlr & 1) {
        m |= ~*group_word;        /* Group 0 enabled */
    }
    if (gic->ctlr & 2) {
        m |= *group_word;         /* Group 1 enabled */
    }
    return m;
}

/* HighestPriorityPending for one CPU interface (enabled, pending, not active). */
static void gicv3_compute_hppi(GICv3CPU *c)
{
    GICv3 *gic = c->gic;
    c->hppi_prio = GIC_NO_PENDING;
    c->hppi_intid = GIC_SPURIOUS;
    c->hppi_group = -1;
    if (c->waker & WAKER_ProcessorSleep) {
        return;   /* the redistributor does not forward interrupts to a sleeping PE */
    }
    uint32_t pend = c->pend_latch | (c->level & ~c->edge);
    uint32_t cand = pend & c->enabled & ~c->active & ~c->fw_claimed & gicv3_group_enable_mask(gic, &c->group);
    while (cand) {
        unsigned i = (unsigned)ctz64(cand);
        cand &= cand - 1;
        gicv3_consider(c, i, c->priority[i], gic_bit(&c->group, i));
    }
    for (unsigned w = 1; w < GIC_WORDS; w++) {
        pend = gic->pend_latch[w] | (gic->level[w] & ~gic->edge[w]);
        cand = pend & gic->enabled[w] & ~gic->active[w] & ~gic->fw_claimed[w] &
               gicv3_group_enable_mask(gic, &gic->group[w]);
        while (cand) {
            unsigned i = w * 32 + (unsigned)ctz64(cand);
            cand &= cand - 1;
            if (gicv3_spi_targets_cpu(gic, c, i)) {
                gicv3_consider(c, i, gic->priority[i], gic_bit(gic->group, i));
            }
        }
    }
}

/* Group priority mask for group g (IHI 0069 4.8: binary point). */
uint32_t gicv3_group_mask(GICv3CPU *c, int g)
{
    unsigned bpr = (g == 0 || (c->ctlr_el1 & 1)) ? c->bpr0 : c->bpr1 - 1;
    return (0xffu << (bpr + 1)) & 0xffu;
}

/* Running priority: the group priority of the highest active priority (ICC_RPR). */
uint32_t gicv3_running_priority(GICv3CPU *c)
{
    uint32_t ap = c->ap0r | c->ap1r;
    return ap ? (uint32_t)ctz64(ap) << (8 - GIC_PRI_BITS) : GIC_IDLE_PRIORITY;
}

/* Can the HPPI be signalled now (priority mask and preemption)? */
bool gicv3_hppi_can_signal(GICv3CPU *c)
{
    if (c->hppi_group < 0) {
        return false;
    }
    if (c->hppi_prio >= c->pmr) {
        return false;
    }
    return (c->hppi_prio & gicv3_group_mask(c, c->hppi_group)) < gicv3_running_priority(c);
}

static void gicv3_fw_check(GICv3CPU *c);

void gicv3_update_cpu(GICv3CPU *c)
{
    gicv3_compute_hppi(c);
    bool irq = false, fiq = false;
    if (gicv3_hppi_can_signal(c)) {
        if (c->hppi_group == 0 && (c->igrpen0 & 1)) {
            fiq = true;    /* Group 0 is FIQ */
        } else if (c->hppi_group == 1 && (c->igrpen1 & 1)) {
            irq = true;    /* Group 1 is IRQ (single Security state) */
        }
    }
    if (c->cpu && irq != c->irq_out) {
        c->irq_out = irq;
        cpu_set_irq_line(c->cpu, CPU_LINE_IRQ, irq);
    }
    if (c->cpu && fiq != c->fiq_out) {
        c->fiq_out = fiq;
        cpu_set_irq_line(c->cpu, CPU_LINE_FIQ, fiq);
    }
    gicv3_virt_update(c);
    if (unlikely(c->gic->fw_claims)) {
        gicv3_fw_check(c);
    }
}

void gicv3_update(GICv3 *gic)
{
    for (int i = 0; i < gic->ncpus; i++) {
        gicv3_update_cpu(&gic->cpu[i]);
    }
}

/* ---- input lines ---- */

static void gicv3_spi_set(void *opaque, int n, bool level)
{
    GICv3 *gic = opaque;
    unsigned intid = 32u + (unsigned)n;
    if (intid >= GICV3_NUM_IRQS) {
        return;
    }
    bool old = gic_bit(gic->level, intid);
    gic_set_bit(gic->level, intid, level);
    if (level && !old && gic_bit(gic->edge, intid)) {
        gic_set_bit(gic->pend_latch, intid, true);   /* rising edge */
    }
    if (level != old) {
        gicv3_update(gic);
    }
}

static void gicv3_ppi_set(void *opaque, int n, bool level)
{
    GICv3CPU *c = opaque;
    unsigned intid = (unsigned)n;
    bool old = gic_bit(&c->level, intid);
    gic_set_bit(&c->level, intid, level);
    if (level && !old && gic_bit(&c->edge, intid)) {
        gic_set_bit(&c->pend_latch, intid, true);
    }
    if (level != old) {
        gicv3_update_cpu(c);
    }
}

IRQLine gicv3_spi_line(GICv3 *gic, int spi)
{
    IRQLine l = { gicv3_spi_set, gic, spi };
    return l;
}

IRQLine gicv3_ppi_line(GICv3 *gic, int cpu_index, int intid)
{
    IRQLine l = { gicv3_ppi_set, &gic->cpu[cpu_index], intid };
    return l;
}

/* Send SGI(s) described by an ICC_SGI0R/SGI1R/ASGI1R value for group g. */
void gicv3_send_sgi(GICv3 *gic, GICv3CPU *src, uint64_t value, int group)
{
    unsigned intid = (unsigned)extract64(value, 24, 4);
    bool irm = extract64(value, 40, 1);
    uint64_t aff321 = (extract64(value, 48, 8) << 32) | (extract64(value, 32, 8) << 16) |
                      (extract64(value, 16, 8) << 8);
    unsigned rs = (unsigned)extract64(value, 44, 4);
    uint32_t targets = (uint32_t)extract64(value, 0, 16);
    for (int i = 0; i < gic->ncpus; i++) {
        GICv3CPU *t = &gic->cpu[i];
        if (irm) {
            if (t == src) {
                continue;
            }
        } else {
            if ((t->affinity & ~0xffULL) != aff321) {
                continue;
            }
            unsigned aff0 = (unsigned)(t->affinity & 0xff);
            if (aff0 / 16 != rs || !(targets & (1u << (aff0 % 16)))) {
                continue;
            }
        }
        /* only delivered if the target has the SGI in the requested group (IHI 0069 12.2.x) */
        if (gic_bit(&t->group, intid) != (unsigned)group) {
            continue;
        }
        gic_set_bit(&t->pend_latch, intid, true);
        gicv3_update_cpu(t);
    }
}

/* ---- interrupts owned by the firmware (SDEI) ---- */

static bool gicv3_fw_valid(GICv3 *gic, int cpu_index, unsigned intid)
{
    return intid < GICV3_NUM_IRQS && (intid >= 32 || (cpu_index >= 0 && cpu_index < gic->ncpus));
}

/* Tell the firmware when a claimed interrupt is pending for c. */
static void gicv3_fw_check(GICv3CPU *c)
{
    GICv3 *gic = c->gic;
    bool any = ((c->pend_latch | (c->level & ~c->edge)) & c->fw_claimed) != 0;
    for (unsigned w = 1; w < GIC_WORDS && !any; w++) {
        any = ((gic->pend_latch[w] | (gic->level[w] & ~gic->edge[w])) & gic->fw_claimed[w]) != 0;
    }
    if (any && gic->fw_notify) {
        gic->fw_notify(gic->fw_opaque);
    }
}

void gicv3_fw_set_notify(GICv3 *gic, void (*notify)(void *opaque), void *opaque)
{
    gic->fw_notify = notify;
    gic->fw_opaque = opaque;
}

void gicv3_fw_claim(GICv3 *gic, int cpu_index, unsigned intid, bool claim)
{
    if (!gicv3_fw_valid(gic, cpu_index, intid)) {
        return;
    }
    uint32_t *map = intid < 32 ? &gic->cpu[cpu_index].fw_claimed : gic->fw_claimed;
    if (gic_bit(map, intid) == claim) {
        return;
    }
    gic_set_bit(map, intid, claim);
    if (claim) {
        gic->fw_claims++;
    } else {
        gic->fw_claims--;
    }
    if (intid < 32) {
        gicv3_update_cpu(&gic->cpu[cpu_index]);
    } else {
        gicv3_update(gic);
    }
}

bool gicv3_fw_pending(GICv3 *gic, int cpu_index, unsigned intid)
{
    if (!gicv3_fw_valid(gic, cpu_index, intid)) {
        return false;
    }
    return gicv3_irq_pending(gic, intid < 32 ? &gic->cpu[cpu_index] : NULL, intid);
}

void gicv3_fw_acknowledge(GICv3 *gic, int cpu_index, unsigned intid)
{
    if (!gicv3_fw_valid(gic, cpu_index, intid)) {
        return;
    }
    gicv3_clear_pending_latch(gic, intid < 32 ? &gic->cpu[cpu_index] : NULL, intid);
}

/* ---- lifecycle ---- */

void gicv3_reset(GICv3 *gic)
{
    gicv3_dist_reset(gic);
    for (int i = 0; i < gic->ncpus; i++) {
        gicv3_redist_reset(&gic->cpu[i]);
        gicv3_cpuif_reset(&gic->cpu[i]);
        gicv3_virt_reset(&gic->cpu[i]);
    }
    gicv3_update(gic);
}

GICv3 *gicv3_create(Machine *m, char **error)
{
    GICv3 *gic = g_new0(GICv3, 1);
    gic->m = m;
    gic->ncpus = m->ncpus;
    if (gic->ncpus > MACHINE_MAX_CPUS) {
        *error = g_strdup("gicv3: too many CPUs");
        g_free(gic);
        return NULL;
    }
    for (int i = 0; i < gic->ncpus; i++) {
        GICv3CPU *c = &gic->cpu[i];
        c->gic = gic;
        c->index = i;
        c->cpu = m->cpus[i];
        uint64_t mpidr = c->cpu ? c->cpu->id.MPIDR_EL1 : (uint64_t)i;
        c->affinity = mpidr & 0xff00ffffffULL;
        c->maint = gicv3_ppi_line(gic, i, GICV3_MAINT_PPI);
        if (c->cpu) {
            c->cpu->gic = c;
        }
    }
    if (!addrspace_add_mmio(&m->as, "gicv3-dist", VIRT_GIC_DIST_BASE, VIRT_GIC_DIST_SIZE,
                            &gicv3_dist_ops, gic) ||
        !addrspace_add_mmio(&m->as, "gicv3-redist", VIRT_GIC_REDIST_BASE, VIRT_GIC_REDIST_SIZE,
                            &gicv3_redist_ops, gic)) {
        *error = g_strdup("gicv3: MMIO range overlaps another region");
        g_free(gic);
        return NULL;
    }
    gicv3_reset(gic);
    return gic;
}

void gicv3_destroy(GICv3 *gic)
{
    for (int i = 0; i < gic->ncpus; i++) {
        if (gic->cpu[i].cpu) {
            gic->cpu[i].cpu->gic = NULL;
        }
    }
    g_free(gic);
}

int gicv3_fdt_node(GICv3 *gic, void *fdt)
{
    int node = fdt_util_add_node_at(fdt, "intc", VIRT_GIC_DIST_BASE);
    if (node < 0) {
        return node;
    }
    fdt64_t reg[4] = { cpu_to_fdt64(VIRT_GIC_DIST_BASE), cpu_to_fdt64(VIRT_GIC_DIST_SIZE),
                       cpu_to_fdt64(VIRT_GIC_REDIST_BASE), cpu_to_fdt64(VIRT_GIC_REDIST_SIZE) };
    int err = fdt_setprop_string(fdt, node, "compatible", "arm,gic-v3");
    err = err ? err : fdt_setprop_u32(fdt, node, "#interrupt-cells", 3);
    err = err ? err : fdt_setprop_empty(fdt, node, "interrupt-controller");
    err = err ? err : fdt_setprop_u32(fdt, node, "#address-cells", 2);
    err = err ? err : fdt_setprop_u32(fdt, node, "#size-cells", 2);
    err = err ? err : fdt_setprop_empty(fdt, node, "ranges");
    err = err ? err : fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
    err = err ? err : fdt_setprop_u32(fdt, node, "#redistributor-regions", 1);
    bool have_el2 = gic->ncpus > 0 && gic->cpu[0].cpu &&
                    extract64(gic->cpu[0].cpu->id.ID_AA64PFR0_EL1, 8, 4) != 0;
    if (!err && have_el2 && gicv3_virt_implemented()) {
        /* the virtual CPU interface's maintenance interrupt */
        err = fdt_util_set_irq(fdt, node, FDT_IRQ_TYPE_PPI, GICV3_MAINT_PPI - 16, FDT_IRQ_LEVEL_HIGH);
    }
    return err;
}
