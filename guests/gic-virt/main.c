/*
 * GICv3 virtualization (IHI 0069 chapter 6): an EL2 "hypervisor" runs an
 * EL1 guest with HCR_EL2.IMO/FMO set and injects interrupts through the list
 * registers: a software virtual interrupt, a hardware-linked one whose
 * deactivation by the guest deactivates the physical SPI, an EOI maintenance
 * interrupt (PPI 25) taken at EL2, the virtual priority mask, and the
 * ICH_HCR_EL2.TALL1 trap of the guest's ICC_IAR1_EL1 (EC 0x18).
 */
#include "../gic/gicv3.h"

#define UART 0x09000000ul
#define LR(state, hw, grp, prio, pintid, vintid) \
    (((uint64_t)(state) << 62) | ((uint64_t)(hw) << 61) | ((uint64_t)(grp) << 60) | \
     ((uint64_t)(prio) << 48) | ((uint64_t)(pintid) << 32) | (vintid))

static volatile unsigned guest_irqs, guest_last;
static volatile unsigned maint_irqs, el2_traps;
static volatile uint64_t maint_misr;

/* EL1 (the guest): acknowledge through ICV_IAR1_EL1; for the HW interrupt
 * quiet the UART first (the device belongs to the guest now). */
static bool guest_irq(ExcFrame *f, unsigned el, unsigned kind)
{
    if ((kind & 3) != EXC_IRQ) {
        return false;
    }
    unsigned id = (unsigned)read_sysreg(ICC_IAR1_EL1);
    guest_last = id;
    if (id < 1020) {
        guest_irqs++;
        if (id == 50) {
            mmio_write32(UART + 0x44, 1u << 5);   /* clear the TX interrupt at the UART */
        }
        write_sysreg(id, ICC_EOIR1_EL1);
        isb();
    }
    return true;
}

/* EL2: the maintenance interrupt, and traps from the guest. */
static bool hyp_exc(ExcFrame *f, unsigned el, unsigned kind)
{
    if ((kind & 3) == EXC_IRQ) {
        unsigned id = (unsigned)read_sysreg(ICC_IAR1_EL1);
        if (id == 25) {
            maint_irqs++;
            maint_misr = read_sysreg(ICH_MISR_EL2);
            write_sysreg(0, ICH_LR2_EL2);           /* retire the list register */
            isb();
            write_sysreg(id, ICC_EOIR1_EL1);
            write_sysreg(id, ICC_DIR_EL1);          /* EOImode 1 at EL2 */
            isb();
        }
        return true;
    }
    if (kind == EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC) && esr_ec(f->esr) == 0x18) {
        el2_traps++;
        f->x[0] = 0x5a5a;
        f->elr += 4;
        return true;
    }
    return false;
}

static uint64_t guest_wait(uint64_t n)
{
    for (unsigned long i = 0; i < 2000000ul && guest_irqs < n; i++) {
        __asm__ volatile("yield");
    }
    return guest_irqs;
}

static uint64_t guest_read_iar1(uint64_t arg)
{
    uint64_t v;
    __asm__ volatile("mov x0, #0\n\tmrs x0, ICC_IAR1_EL1\n\tmov %0, x0" : "=r"(v) : : "x0");
    return v;
}

static uint8_t guest_stack[4096] __attribute__((aligned(16)));

static uint64_t run_guest(uint64_t (*fn)(uint64_t), uint64_t arg)
{
    /* EL1h with IRQ/FIQ unmasked: the virtual interrupts reach the guest */
    return el_call_lower(fn, arg, SPSR_EL1h, (uint64_t)(uintptr_t)(guest_stack + sizeof(guest_stack)));
}

void guest_run(void)
{
    if (current_el() != 2) {
        report_skip("needs EL2 entry");
        return;
    }
    exc_set_handler(1, guest_irq);
    exc_set_handler(2, hyp_exc);
    gic_dist_init();
    gic_cpu_init();                                       /* HCR_EL2: IMO, FMO, RW */
    write_sysreg(2, ICC_CTLR_EL1);                        /* host: EOImode 1 (split) */
    gic_private_config(25, 0x20, 1);                      /* maintenance interrupt */
    isb();

    uint64_t vtr = read_sysreg(ICH_VTR_EL2);
    report((vtr & 0x1f) + 1 >= 4, "ICH_VTR_EL2: %lu list registers", (vtr & 0x1f) + 1);
    report(read_sysreg(ICH_ELRSR_EL2) == (1ul << ((vtr & 0x1f) + 1)) - 1, "all list registers empty");

    /* 1. a software virtual interrupt */
    write_sysreg((0xf0ul << 24) | 2, ICH_VMCR_EL2);       /* VPMR 0xf0, VENG1 */
    write_sysreg(1, ICH_HCR_EL2);                         /* En */
    write_sysreg(LR(1, 0, 1, 0x80, 0, 40), ICH_LR0_EL2);
    isb();
    uint64_t n = run_guest(guest_wait, 1);
    report(n == 1 && guest_last == 40, "guest took virtual INTID 40 (%lu, last %u)", n, guest_last);
    report((read_sysreg(ICH_LR0_EL2) >> 62) == 0, "LR0 invalid after the guest's EOI");
    report(read_sysreg(ICH_AP1R0_EL2) == 0, "virtual active priorities clear");

    /* 2. virtual priority mask: priority 0xf0 is not below VPMR 0xf0 */
    write_sysreg(LR(1, 0, 1, 0xf0, 0, 41), ICH_LR0_EL2);
    isb();
    n = run_guest(guest_wait, 2);
    report(n == 1, "VPMR masks an equal priority (%lu)", n);
    write_sysreg((0xf8ul << 24) | 2, ICH_VMCR_EL2);
    isb();
    n = run_guest(guest_wait, 2);
    report(n == 2 && guest_last == 41, "raising VPMR lets it in (%lu, last %u)", n, guest_last);

    /* 3. hardware-linked: the physical UART SPI, deactivated by the guest */
    unsigned spi = 33;
    mmio_write32(GICD + GICD_IGROUPR + 4, mmio_read32(GICD + GICD_IGROUPR + 4) | 1u << (spi - 32));
    *(volatile uint8_t *)(GICD + GICD_IPRIORITYR + spi) = 0x80;
    *(volatile uint64_t *)(GICD + GICD_IROUTER + 8 * spi) = 0;
    mmio_write32(GICD + GICD_ISENABLER + 4, 1u << (spi - 32));
    mmio_write32(UART + 0x44, 0x7ff);
    mmio_write32(UART + 0x38, 1u << 5);
    mmio_write32(UART + 0x00, '.');
    uint64_t id = read_sysreg(ICC_IAR1_EL1);             /* the host takes it... */
    write_sysreg(id, ICC_EOIR1_EL1);                      /* ...drops priority, leaves it active */
    isb();
    bool active = mmio_read32(GICD + GICD_ISACTIVER + 4) & (1u << (spi - 32));
    write_sysreg(LR(1, 1, 1, 0x80, spi, 50), ICH_LR1_EL2);
    isb();
    n = run_guest(guest_wait, 3);
    bool active_after = mmio_read32(GICD + GICD_ISACTIVER + 4) & (1u << (spi - 32));
    mmio_write32(UART + 0x38, 0);
    puts_raw("\n");
    report(id == spi && active, "host acknowledged SPI 33 and left it active");
    report(n == 3 && guest_last == 50, "guest took hardware-linked vINTID 50 (last %u)", guest_last);
    report(!active_after, "guest's EOI deactivated physical SPI 33");

    /* 4. EOI maintenance interrupt */
    write_sysreg(LR(1, 0, 1, 0x80, 0, 52) | (1ul << 41), ICH_LR2_EL2);
    isb();
    n = run_guest(guest_wait, 4);
    report(n == 4 && guest_last == 52, "guest took vINTID 52");
    report(maint_irqs == 1, "maintenance interrupt taken at EL2 (%u)", maint_irqs);
    report(maint_misr & 1, "ICH_MISR_EL2.EOI was set (0x%lx)", maint_misr);

    /* 5. TALL1 traps the guest's Group 1 accesses to EL2 */
    write_sysreg(1 | (1ul << 12), ICH_HCR_EL2);
    isb();
    uint64_t v = run_guest(guest_read_iar1, 0);
    report(el2_traps == 1 && v == 0x5a5a, "ICC_IAR1_EL1 at EL1 trapped by TALL1 (EC 0x18)");
    write_sysreg(0, ICH_HCR_EL2);
    isb();
}
