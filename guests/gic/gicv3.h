/* Small GICv3 helpers shared by the gic and timer guests (virt board layout). */
#ifndef GUEST_GICV3_H
#define GUEST_GICV3_H

#include "guest.h"

#define GICD 0x08000000ul
#define GICR(cpu) (0x080a0000ul + 0x20000ul * (cpu))
#define GICR_SGI(cpu) (GICR(cpu) + 0x10000ul)

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014

static inline unsigned cpu_index(void) { return (unsigned)(read_sysreg(MPIDR_EL1) & 0xff); }

/* Wake this CPU's redistributor, unmask all priorities, enable both groups. */
static inline void gic_cpu_init(void)
{
    unsigned cpu = cpu_index();
    mmio_write32(GICR(cpu) + GICR_WAKER, 0);
    while (mmio_read32(GICR(cpu) + GICR_WAKER) & 4) {
    }
    write_sysreg(0xff, ICC_PMR_EL1);
    write_sysreg(0, ICC_BPR1_EL1);
    write_sysreg(0, ICC_CTLR_EL1);
    write_sysreg(1, ICC_IGRPEN1_EL1);
    write_sysreg(1, ICC_IGRPEN0_EL1);
    isb();
    /* physical IRQ/FIQ taken to EL2 while running there */
    if (current_el() == 2) {
        write_sysreg(read_sysreg(HCR_EL2) | (1ul << 3) | (1ul << 4) | (1ul << 31), HCR_EL2);
        isb();
    }
}

static inline void gic_dist_init(void)
{
    mmio_write32(GICD + GICD_CTLR, 0x3);   /* EnableGrp0 | EnableGrp1 */
}

/* Configure a private interrupt (SGI/PPI) of this CPU. */
static inline void gic_private_config(unsigned intid, unsigned prio, int group)
{
    uint64_t r = GICR_SGI(cpu_index());
    uint32_t g = mmio_read32(r + 0x80);
    mmio_write32(r + 0x80, group ? (g | 1u << intid) : (g & ~(1u << intid)));
    *(volatile uint8_t *)(r + 0x400 + intid) = (uint8_t)prio;
    mmio_write32(r + 0x100, 1u << intid);
}

static inline void gic_private_disable(unsigned intid)
{
    mmio_write32(GICR_SGI(cpu_index()) + 0x180, 1u << intid);
}

static inline void gic_send_sgi1(unsigned intid, uint64_t target_list)
{
    write_sysreg(((uint64_t)intid << 24) | target_list, ICC_SGI1R_EL1);
    isb();
}

static inline bool irq_pending_at_cpu(void)
{
    isb();
    return read_sysreg(ISR_EL1) & (1u << 7);
}

#endif
