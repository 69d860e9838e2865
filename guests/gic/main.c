/*
 * GICv3 (IHI 0069): SGIs to self and between vCPUs (target list and IRM),
 * an SPI from the PL011 (level), priority masking and preemption with the
 * running priority, binary point, both EOI modes, group 0 as FIQ.
 * Runs at EL2 with HCR_EL2.IMO/FMO set so that interrupts are taken here.
 */
#include "gicv3.h"

#define UART 0x09000000ul

static volatile unsigned irq_count[4];
static volatile unsigned last_intid[4];
static volatile unsigned fiq_count;

static bool on_irq(ExcFrame *f, unsigned el, unsigned kind)
{
    unsigned cpu = cpu_index();
    if ((kind & 3) == EXC_IRQ) {
        unsigned intid = (unsigned)read_sysreg(ICC_IAR1_EL1);
        last_intid[cpu] = intid;
        if (intid < 1020) {
            irq_count[cpu]++;
            write_sysreg(intid, ICC_EOIR1_EL1);
            isb();
        }
        return true;
    }
    if ((kind & 3) == EXC_FIQ) {
        unsigned intid = (unsigned)read_sysreg(ICC_IAR0_EL1);
        last_intid[cpu] = intid;
        if (intid < 1020) {
            fiq_count++;
            write_sysreg(intid, ICC_EOIR0_EL1);
            isb();
        }
        return true;
    }
    return false;
}

static void wait_irq_count(unsigned cpu, unsigned n)
{
    for (unsigned long i = 0; i < 50000000ul && irq_count[cpu] < n; i++) {
        __asm__ volatile("yield");
    }
}

static void test_ids(void)
{
    report(((mmio_read32(GICD + GICD_PIDR2) >> 4) & 0xf) == 3, "GICD_PIDR2.ArchRev = 3 (GICv3)");
    report(((mmio_read32(GICR(0) + 0xffe8) >> 4) & 0xf) == 3, "GICR_PIDR2.ArchRev = 3");
    report(mmio_read32(GICD + GICD_CTLR) & (1u << 4) || mmio_read32(GICD + GICD_CTLR) & (1u << 6),
           "affinity routing enabled (ARE or DS set)");
    uint64_t typer = *(volatile uint64_t *)(GICR(1) + GICR_TYPER);
    report((typer >> 32) == 1, "GICR_TYPER(1).Affinity_Value = 1 (0x%lx)", typer);
    report((typer >> 4) & 1, "GICR_TYPER(1).Last with -smp 2");
    report((read_sysreg(ICC_SRE_EL2) & 1) == 1, "ICC_SRE_EL2.SRE = 1");
}

static void test_sgi_self(void)
{
    gic_private_config(1, 0x80, 1);
    __asm__ volatile("msr daifclr, #3");
    gic_send_sgi1(1, 1);   /* Aff0 0: this CPU */
    wait_irq_count(0, 1);
    __asm__ volatile("msr daifset, #3");
    report(irq_count[0] == 1 && last_intid[0] == 1, "SGI 1 to self taken as IRQ (count %u, INTID %u)",
           irq_count[0], last_intid[0]);
    report(read_sysreg(ICC_RPR_EL1) == 0xff, "idle running priority 0xff after EOI");
}

static void test_priority(void)
{
    /* interrupts masked: watch signalling through ISR_EL1 and acknowledge by hand */
    gic_private_config(2, 0xa0, 1);
    gic_private_config(3, 0x40, 1);
    gic_private_config(4, 0xc0, 1);
    gic_send_sgi1(2, 1);
    report(irq_pending_at_cpu(), "SGI 2 signalled");
    report(read_sysreg(ICC_HPPIR1_EL1) == 2, "HPPIR1 = 2");
    uint64_t id = read_sysreg(ICC_IAR1_EL1);
    report(id == 2, "IAR1 = 2 (%lu)", id);
    report(read_sysreg(ICC_RPR_EL1) == 0xa0, "running priority 0xa0 (0x%lx)", read_sysreg(ICC_RPR_EL1));
    gic_send_sgi1(4, 1);
    report(!irq_pending_at_cpu(), "lower priority SGI 4 does not preempt");
    report(read_sysreg(ICC_IAR1_EL1) == 1023, "IAR1 = 1023 while SGI 4 cannot preempt");
    gic_send_sgi1(3, 1);
    report(irq_pending_at_cpu(), "higher priority SGI 3 preempts");
    id = read_sysreg(ICC_IAR1_EL1);
    report(id == 3, "IAR1 = 3 (%lu)", id);
    report(read_sysreg(ICC_RPR_EL1) == 0x40, "running priority 0x40");
    write_sysreg(3, ICC_EOIR1_EL1);
    isb();
    report(read_sysreg(ICC_RPR_EL1) == 0xa0, "EOI of SGI 3 restores running priority 0xa0");
    write_sysreg(2, ICC_EOIR1_EL1);
    isb();
    report(irq_pending_at_cpu(), "SGI 4 signalled once idle");
    /* priority mask: only priorities strictly higher than PMR are signalled */
    write_sysreg(0xc0, ICC_PMR_EL1);
    report(!irq_pending_at_cpu(), "PMR 0xc0 masks priority 0xc0");
    write_sysreg(0xd0, ICC_PMR_EL1);
    report(irq_pending_at_cpu(), "PMR 0xd0 lets priority 0xc0 through");
    write_sysreg(0xff, ICC_PMR_EL1);
    id = read_sysreg(ICC_IAR1_EL1);
    write_sysreg(id, ICC_EOIR1_EL1);
    report(id == 4, "SGI 4 acknowledged (%lu)", id);
    /* binary point: BPR1 = 7 leaves only bit 7 as group priority, so 0x40
     * cannot preempt 0x60 (same group priority 0) */
    gic_private_config(8, 0x60, 1);
    write_sysreg(7, ICC_BPR1_EL1);
    gic_send_sgi1(8, 1);
    id = read_sysreg(ICC_IAR1_EL1);
    report(read_sysreg(ICC_RPR_EL1) == 0, "BPR1 = 7: running priority is the group priority 0 (0x%lx)",
           read_sysreg(ICC_RPR_EL1));
    gic_send_sgi1(3, 1);
    report(!irq_pending_at_cpu(), "BPR1 = 7: priority 0x40 does not preempt 0x60");
    write_sysreg(id, ICC_EOIR1_EL1);
    id = read_sysreg(ICC_IAR1_EL1);
    write_sysreg(id, ICC_EOIR1_EL1);
    report(id == 3, "SGI 3 taken after the EOI (%lu)", id);
    write_sysreg(0, ICC_BPR1_EL1);
    isb();
}

static void test_eoimode(void)
{
    gic_private_config(5, 0x80, 1);
    write_sysreg(2, ICC_CTLR_EL1);   /* EOImode = 1: EOIR only drops priority */
    isb();
    gic_send_sgi1(5, 1);
    uint64_t id = read_sysreg(ICC_IAR1_EL1);
    write_sysreg(id, ICC_EOIR1_EL1);
    isb();
    report(read_sysreg(ICC_RPR_EL1) == 0xff, "EOImode 1: priority dropped by EOIR");
    report(mmio_read32(GICR_SGI(0) + 0x300) & (1u << 5), "EOImode 1: SGI 5 still active");
    gic_send_sgi1(5, 1);
    report(!irq_pending_at_cpu(), "active SGI 5 not signalled again before DIR");
    write_sysreg(5, ICC_DIR_EL1);
    isb();
    report(!(mmio_read32(GICR_SGI(0) + 0x300) & (1u << 5)), "DIR deactivates SGI 5");
    report(irq_pending_at_cpu(), "pending SGI 5 signalled after DIR");
    id = read_sysreg(ICC_IAR1_EL1);
    write_sysreg(id, ICC_EOIR1_EL1);
    write_sysreg(id, ICC_DIR_EL1);
    write_sysreg(0, ICC_CTLR_EL1);   /* EOImode 0: EOIR also deactivates */
    isb();
    gic_send_sgi1(5, 1);
    id = read_sysreg(ICC_IAR1_EL1);
    write_sysreg(id, ICC_EOIR1_EL1);
    isb();
    report(!(mmio_read32(GICR_SGI(0) + 0x300) & (1u << 5)), "EOImode 0: EOIR deactivates");
}

static void test_group0_fiq(void)
{
    gic_private_config(6, 0x80, 0);   /* Group 0 */
    __asm__ volatile("msr daifclr, #3");
    write_sysreg((6ul << 24) | 1, ICC_SGI0R_EL1);
    isb();
    for (unsigned long i = 0; i < 1000000ul && !fiq_count; i++) {
    }
    __asm__ volatile("msr daifset, #3");
    report(fiq_count == 1 && last_intid[0] == 6, "Group 0 SGI 6 taken as FIQ (count %u)", fiq_count);
}

static volatile bool cpu1_ready, cpu1_done;

static void cpu1_main(unsigned idx)
{
    gic_cpu_init();
    gic_private_config(7, 0x80, 1);
    cpu1_ready = true;
    __asm__ volatile("msr daifclr, #3");
    while (!cpu1_done) {
        __asm__ volatile("wfi");
    }
    __asm__ volatile("msr daifset, #3");
}

static void test_sgi_cross(void)
{
    int r = smp_start_cpu(1, cpu1_main);
    report(r == 0, "CPU_ON cpu1 (%d)", r);
    for (unsigned long i = 0; i < 50000000ul && !cpu1_ready; i++) {
        __asm__ volatile("yield");
    }
    report(cpu1_ready, "cpu1 configured its GIC");
    gic_send_sgi1(7, 1u << 1);   /* target list: Aff0 = 1 */
    wait_irq_count(1, 1);
    report(irq_count[1] == 1 && last_intid[1] == 7, "SGI 7 to cpu1 by target list (count %u)", irq_count[1]);
    write_sysreg((7ul << 24) | (1ul << 40), ICC_SGI1R_EL1);   /* IRM: all but self */
    isb();
    wait_irq_count(1, 2);
    report(irq_count[1] == 2, "SGI 7 to all other CPUs by IRM (count %u)", irq_count[1]);
    report(irq_count[0] == 1, "IRM does not target the sender");
    cpu1_done = true;
    gic_send_sgi1(7, 1u << 1);   /* wake it to see the flag */
}

static void test_spi(void)
{
    unsigned intid = 33;   /* PL011: SPI 1 */
    mmio_write32(GICD + GICD_IGROUPR + 4, mmio_read32(GICD + GICD_IGROUPR + 4) | 1u << (intid - 32));
    *(volatile uint8_t *)(GICD + GICD_IPRIORITYR + intid) = 0x80;
    *(volatile uint64_t *)(GICD + GICD_IROUTER + 8 * intid) = 0;   /* Aff 0.0.0.0 */
    mmio_write32(GICD + GICD_ISENABLER + 4, 1u << (intid - 32));
    /* the UART's TX interrupt, a level: raised by a write to DR, cleared by ICR */
    mmio_write32(UART + 0x44, 0x7ff);
    mmio_write32(UART + 0x38, 1u << 5);
    mmio_write32(UART + 0x00, '.');
    bool pend = mmio_read32(GICD + GICD_ISPENDR + 4) & (1u << (intid - 32));
    bool sig = irq_pending_at_cpu();
    uint64_t id = read_sysreg(ICC_IAR1_EL1);
    bool act = mmio_read32(GICD + GICD_ISACTIVER + 4) & (1u << (intid - 32));
    mmio_write32(UART + 0x44, 1u << 5);
    write_sysreg(id, ICC_EOIR1_EL1);
    isb();
    bool pend_after = mmio_read32(GICD + GICD_ISPENDR + 4) & (1u << (intid - 32));
    bool act_after = mmio_read32(GICD + GICD_ISACTIVER + 4) & (1u << (intid - 32));
    mmio_write32(UART + 0x38, 0);
    mmio_write32(GICD + GICD_ICENABLER + 4, 1u << (intid - 32));
    puts_raw("\n");
    report(pend, "UART TX interrupt pending at the distributor");
    report(sig, "SPI 33 signalled to cpu0");
    report(id == intid, "IAR1 = 33 (%lu)", id);
    report(act, "SPI 33 active after IAR");
    report(!pend_after && !act_after, "level cleared at the device, EOI deactivates: idle");
}

void guest_run(void)
{
    if (current_el() != 2) {
        report_skip("needs EL2 entry");
        return;
    }
    exc_set_handler(2, on_irq);
    gic_dist_init();
    gic_cpu_init();
    test_ids();
    test_sgi_self();
    test_priority();
    test_eoimode();
    test_group0_fiq();
    test_spi();
    test_sgi_cross();
}
