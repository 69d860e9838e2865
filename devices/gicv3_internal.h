/*
 * GICv3 model state shared by the distributor, redistributor and CPU
 * interface files. Tandem's GIC has a single Security state
 * (GICD_CTLR.DS = 1, RAO/WI, GICD_TYPER.SecurityExtn = 0): Group 0
 * interrupts are signalled as FIQ, Group 1 as IRQ, and the CPU interface
 * registers are not banked. Affinity routing is always on (ARE RAO/WI).
 * The built-in firmware leaves every interrupt for the Non-secure payload,
 * which is exactly what Linux expects of QEMU's virt with secure=off.
 */
#ifndef TANDEM_DEVICES_GICV3_INTERNAL_H
#define TANDEM_DEVICES_GICV3_INTERNAL_H

#include "cpu/cpu.h"
#include "devices/gicv3.h"

#define GIC_WORDS (GICV3_NUM_IRQS / 32)
#define GIC_PRI_BITS 5                        /* ICC_CTLR_EL1.PRIbits + 1 */
#define GIC_PRI_MASK ((0xffu << (8 - GIC_PRI_BITS)) & 0xffu)
#define GIC_IDLE_PRIORITY 0xff
#define GIC_SPURIOUS 1023
#define GIC_NO_PENDING 0x100                  /* larger than any priority */
#define GIC_NUM_LR 4                          /* list registers */

/* ICH_HCR_EL2 */
#define ICH_HCR_En (1ULL << 0)
#define ICH_HCR_UIE (1ULL << 1)
#define ICH_HCR_LRENPIE (1ULL << 2)
#define ICH_HCR_NPIE (1ULL << 3)
#define ICH_HCR_VGrp0EIE (1ULL << 4)
#define ICH_HCR_VGrp0DIE (1ULL << 5)
#define ICH_HCR_VGrp1EIE (1ULL << 6)
#define ICH_HCR_VGrp1DIE (1ULL << 7)
#define ICH_HCR_TC (1ULL << 10)
#define ICH_HCR_TALL0 (1ULL << 11)
#define ICH_HCR_TALL1 (1ULL << 12)
#define ICH_HCR_TDIR (1ULL << 14)

typedef struct GICv3CPU {
    struct GICv3 *gic;
    CPUState *cpu;
    int index;
    uint64_t affinity;                 /* MPIDR Aff3:Aff2:Aff1:Aff0 as in IROUTER */
    /* redistributor: SGIs and PPIs */
    uint32_t waker;                    /* ProcessorSleep (bit 1) */
    uint32_t group, enabled, pend_latch, active, level, edge;   /* edge: ICFGR "1" */
    uint8_t priority[32];
    /* CPU interface */
    uint32_t ctlr_el1;                 /* EOImode (1), CBPR (0) */
    uint32_t ctlr_el3;                 /* EOImode_EL3 (2), RM... stored bits */
    uint32_t pmr, bpr0, bpr1, igrpen0, igrpen1, igrpen1_el3;
    uint32_t ap0r, ap1r;               /* one word each: 32 preemption levels */
    /* highest-priority pending interrupt, recomputed on every change */
    uint32_t hppi_intid, hppi_prio;
    int hppi_group;
    bool irq_out, fiq_out;
    /* virtual CPU interface (issue 7) */
    uint64_t ich_hcr, ich_vmcr;
    uint64_t ich_lr[GIC_NUM_LR];
    uint32_t ich_ap0r, ich_ap1r;
    bool virq_out, vfiq_out, maint_out;
    IRQLine maint;                     /* the maintenance PPI into this redistributor */
    uint32_t fw_claimed;               /* SGIs/PPIs owned by the firmware (gicv3_fw_claim) */
} GICv3CPU;

struct GICv3 {
    Machine *m;
    int ncpus;
    uint32_t ctlr;                     /* EnableGrp0 (0), EnableGrp1 (1); ARE, DS RAO */
    uint32_t group[GIC_WORDS], enabled[GIC_WORDS], pend_latch[GIC_WORDS];
    uint32_t active[GIC_WORDS], level[GIC_WORDS], edge[GIC_WORDS];
    uint8_t priority[GICV3_NUM_IRQS];
    uint64_t irouter[GICV3_NUM_IRQS];
    GICv3CPU cpu[MACHINE_MAX_CPUS];
    /* firmware-owned interrupts (gicv3_fw_claim): SPIs, how many INTIDs in all, the hook */
    uint32_t fw_claimed[GIC_WORDS];
    unsigned fw_claims;
    void (*fw_notify)(void *opaque);
    void *fw_opaque;
};

static inline bool gic_bit(const uint32_t *map, unsigned n) { return (map[n / 32] >> (n % 32)) & 1; }
static inline void gic_set_bit(uint32_t *map, unsigned n, bool v)
{
    if (v) {
        map[n / 32] |= 1u << (n % 32);
    } else {
        map[n / 32] &= ~(1u << (n % 32));
    }
}

/* ICC_* register identities (gicv3_cpuif.c's table; ICV_* use the same names). */
typedef enum ICCReg {
    ICC_PMR, ICC_IAR0, ICC_EOIR0, ICC_HPPIR0, ICC_BPR0, ICC_AP0R0, ICC_AP0R1, ICC_AP0R2, ICC_AP0R3,
    ICC_AP1R0, ICC_AP1R1, ICC_AP1R2, ICC_AP1R3, ICC_DIR, ICC_RPR, ICC_SGI1R, ICC_ASGI1R,
    ICC_SGI0R, ICC_IAR1, ICC_EOIR1, ICC_HPPIR1, ICC_BPR1, ICC_CTLR_EL1, ICC_SRE_EL1,
    ICC_IGRPEN0, ICC_IGRPEN1, ICC_SRE_EL2, ICC_CTLR_EL3, ICC_SRE_EL3, ICC_IGRPEN1_EL3,
} ICCReg;

/* gicv3_common.c */
void gicv3_update(GICv3 *gic);                  /* recompute every CPU's HPPI and outputs */
void gicv3_update_cpu(GICv3CPU *c);
bool gicv3_irq_pending(GICv3 *gic, GICv3CPU *c, unsigned intid);
int gicv3_irq_group(GICv3 *gic, GICv3CPU *c, unsigned intid);
uint8_t gicv3_irq_priority(GICv3 *gic, GICv3CPU *c, unsigned intid);
void gicv3_set_active(GICv3 *gic, GICv3CPU *c, unsigned intid, bool active);
void gicv3_clear_pending_latch(GICv3 *gic, GICv3CPU *c, unsigned intid);
bool gicv3_spi_targets_cpu(GICv3 *gic, GICv3CPU *c, unsigned intid);
void gicv3_send_sgi(GICv3 *gic, GICv3CPU *src, uint64_t value, int group);

/* gicv3_dist.c / gicv3_redist.c */
extern const MMIOOps gicv3_dist_ops, gicv3_redist_ops;
void gicv3_dist_reset(GICv3 *gic);
void gicv3_redist_reset(GICv3CPU *c);
void gicv3_cpuif_reset(GICv3CPU *c);
/* gicv3_common.c: priority arithmetic of the CPU interface */
uint32_t gicv3_group_mask(GICv3CPU *c, int g);
uint32_t gicv3_running_priority(GICv3CPU *c);
bool gicv3_hppi_can_signal(GICv3CPU *c);

/* gicv3_virt.c: ICH_* registers (EL2) and the virtual CPU interface (ICV_*,
 * reached through ICC_* names from EL1 when HCR_EL2.IMO/FMO route them;
 * reg is the ICCReg of the ICC name). */
void gicv3_virt_update(GICv3CPU *c);
void gicv3_virt_reset(GICv3CPU *c);
bool gicv3_virt_implemented(void);
bool gicv3_ich_owns(uint32_t enc);
bool gicv3_ich_sysreg_access(CPUState *cpu, GICv3CPU *c, uint32_t enc, bool write, uint64_t *value,
                             unsigned *trap_el);
bool gicv3_virt_sysreg_access(CPUState *cpu, GICv3CPU *c, int reg, bool write, uint64_t *value,
                              unsigned *trap_el);

#endif
