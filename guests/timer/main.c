/*
 * Generic timers (Arm ARM D12): CNTFRQ, the counters, each timer firing at
 * its deadline as a PPI through the GIC (EL1 physical 30, EL1 virtual 27,
 * EL2 physical 26, EL2 virtual 28), TVAL arithmetic, IMASK/ISTATUS,
 * CNTVOFF_EL2, and the CNTHCTL_EL2 traps of EL1 accesses (EC 0x18).
 * Runs at EL2 with interrupts routed here (HCR_EL2.IMO).
 */
#include "../gic/gicv3.h"

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

static volatile unsigned fired_intid;
static volatile uint64_t fired_count;   /* CNTPCT when the interrupt was taken */
static volatile unsigned fired;

static void timer_mask_all(void)
{
    write_sysreg(CTL_IMASK, CNTP_CTL_EL0);
    write_sysreg(CTL_IMASK, CNTV_CTL_EL0);
    write_sysreg(CTL_IMASK, CNTHP_CTL_EL2);
    if ((read_sysreg(ID_AA64MMFR1_EL1) >> 8) & 0xf) {
        write_sysreg(CTL_IMASK, S3_4_C14_C3_1);   /* CNTHV_CTL_EL2 exists with FEAT_VHE */
    }
    isb();
}

static bool on_exc(ExcFrame *f, unsigned el, unsigned kind)
{
    if ((kind & 3) == EXC_IRQ) {
        unsigned intid = (unsigned)read_sysreg(ICC_IAR1_EL1);
        fired_count = read_sysreg(CNTPCT_EL0);
        if (intid < 1020) {
            fired_intid = intid;
            fired++;
            timer_mask_all();   /* the output is a level: silence it before EOI */
            write_sysreg(intid, ICC_EOIR1_EL1);
            isb();
        }
        return true;
    }
    return false;
}

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Number of interrupts in the DTB's /timer node (QEMU 7.2 lists 4, without
 * the EL2 virtual timer, which it does not wire; 5 means it is wired). */
static unsigned dtb_timer_irqs(void)
{
    const uint8_t *fdt = (const uint8_t *)(uintptr_t)boot_dtb;
    if (!fdt || be32(fdt) != 0xd00dfeed) {
        return 0;
    }
    const uint8_t *st = fdt + be32(fdt + 8);
    const char *strs = (const char *)fdt + be32(fdt + 12);
    int depth = 0, timer_depth = -1;
    for (uint32_t off = 0;;) {
        uint32_t tok = be32(st + off);
        off += 4;
        if (tok == 1) {            /* FDT_BEGIN_NODE */
            const char *name = (const char *)st + off;
            depth++;
            if (depth == 2 && !strcmp(name, "timer")) {
                timer_depth = depth;
            }
            off += (uint32_t)strlen(name) + 1;
            off = (off + 3) & ~3u;
        } else if (tok == 2) {     /* FDT_END_NODE */
            if (depth == timer_depth) {
                timer_depth = -1;
            }
            depth--;
        } else if (tok == 3) {     /* FDT_PROP */
            uint32_t len = be32(st + off), nameoff = be32(st + off + 4);
            if (depth == timer_depth && !strcmp(strs + nameoff, "interrupts")) {
                return len / 12;
            }
            off += 8 + ((len + 3) & ~3u);
        } else if (tok == 4) {     /* FDT_NOP */
        } else {
            return 0;
        }
    }
}

/*
 * Wait in WFI for one interrupt (a WFI'ing vCPU must wake at the deadline).
 * WFI runs with IRQs masked (it still wakes on a pending interrupt), then
 * a short unmasked window takes it: no lost wake-up between the check and
 * the WFI.
 */
static bool wait_fire(void)
{
    for (unsigned long i = 0; i < 2000000ul && !fired; i++) {
        __asm__ volatile("wfi");
        __asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" : : : "memory");
    }
    return fired == 1;
}

static void test_counters(void)
{
    uint64_t frq = read_sysreg(CNTFRQ_EL0);
    report(frq == 62500000, "CNTFRQ_EL0 = 62.5 MHz (%lu)", frq);
    uint64_t a = read_sysreg(CNTPCT_EL0);
    for (volatile int i = 0; i < 100000; i++) {
    }
    isb();
    uint64_t b = read_sysreg(CNTPCT_EL0);
    report(b > a, "CNTPCT_EL0 advances (%lu -> %lu)", a, b);
    write_sysreg(0, CNTVOFF_EL2);
    isb();
    uint64_t p = read_sysreg(CNTPCT_EL0), v = read_sysreg(CNTVCT_EL0);
    report(v >= p && v - p < 100000, "CNTVOFF 0: CNTVCT tracks CNTPCT");
    write_sysreg(1000000000ul, CNTVOFF_EL2);
    isb();
    p = read_sysreg(CNTPCT_EL0);
    v = read_sysreg(CNTVCT_EL0);
    uint64_t d = p - v;
    report(d <= 1000000000ul && d > 1000000000ul - 100000, "CNTVCT = CNTPCT - CNTVOFF (diff %lu)", d);
}

static uint64_t timer_delta = 20000;   /* 320 us; 10 s with -append wait10 */

static void test_timer(const char *name, unsigned intid, int which)
{
    gic_private_config(intid, 0x80, 1);
    uint64_t delta = timer_delta;
    uint64_t now, cval;
    switch (which) {
    case 0:
        now = read_sysreg(CNTPCT_EL0);
        cval = now + delta;
        write_sysreg(cval, CNTP_CVAL_EL0);
        write_sysreg(CTL_ENABLE, CNTP_CTL_EL0);
        break;
    case 1:
        now = read_sysreg(CNTVCT_EL0);
        cval = now + delta;
        write_sysreg(cval, CNTV_CVAL_EL0);
        write_sysreg(CTL_ENABLE, CNTV_CTL_EL0);
        break;
    case 2:
        now = read_sysreg(CNTPCT_EL0);
        cval = now + delta;
        write_sysreg(cval, CNTHP_CVAL_EL2);
        write_sysreg(CTL_ENABLE, CNTHP_CTL_EL2);
        break;
    default:
        now = read_sysreg(CNTPCT_EL0);
        cval = now + delta;
        write_sysreg(cval, S3_4_C14_C3_2);          /* CNTHV_CVAL_EL2 */
        write_sysreg(CTL_ENABLE, S3_4_C14_C3_1);    /* CNTHV_CTL_EL2 */
        break;
    }
    isb();
    fired = 0;
    bool ok = wait_fire();
    report(ok && fired_intid == intid, "%s fires as INTID %u (got %u)", name, intid, fired_intid);
    uint64_t at = fired_count - (which == 1 ? read_sysreg(CNTPCT_EL0) - read_sysreg(CNTVCT_EL0) : 0);
    report(at >= cval, "%s: not before its deadline (%lu >= %lu)", name, at, cval);
    gic_private_disable(intid);
}

static void test_tval_istatus(void)
{
    write_sysreg(CTL_ENABLE | CTL_IMASK, CNTP_CTL_EL0);
    write_sysreg(1000000, CNTP_TVAL_EL0);
    isb();
    uint64_t now = read_sysreg(CNTPCT_EL0);
    uint64_t cval = read_sysreg(CNTP_CVAL_EL0);
    report(cval > now && cval - now <= 1000000, "TVAL write sets CVAL = count + TVAL");
    report(!(read_sysreg(CNTP_CTL_EL0) & CTL_ISTATUS), "ISTATUS clear before the deadline");
    write_sysreg(-5l, CNTP_TVAL_EL0);   /* in the past */
    isb();
    report(read_sysreg(CNTP_CTL_EL0) & CTL_ISTATUS, "ISTATUS set once the condition holds (IMASK set)");
    int32_t tval = (int32_t)read_sysreg(CNTP_TVAL_EL0);
    report(tval <= -5, "TVAL reads negative after the deadline (%d)", tval);
    gic_private_config(30, 0x80, 1);
    report(!(mmio_read32(GICR_SGI(0) + 0x200) & (1u << 30)), "IMASK keeps the PPI low");
    write_sysreg(CTL_ENABLE, CNTP_CTL_EL0);
    isb();
    report(mmio_read32(GICR_SGI(0) + 0x200) & (1u << 30), "clearing IMASK raises PPI 30");
    write_sysreg(0, CNTP_CTL_EL0);
    isb();
    report(!(mmio_read32(GICR_SGI(0) + 0x200) & (1u << 30)), "disabling the timer lowers PPI 30");
    gic_private_disable(30);
}

/* ---- traps of EL1 accesses (CNTHCTL_EL2, E2H = 0 layout) ---- */

static volatile unsigned trap_ec, traps;

static bool on_trap(ExcFrame *f, unsigned el, unsigned kind)
{
    if (kind == EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC) && esr_ec(f->esr) == 0x18) {
        trap_ec = esr_ec(f->esr);
        traps++;
        f->elr += 4;
        return true;
    }
    return on_exc(f, el, kind);
}

static uint64_t el1_read_cntpct(uint64_t arg)
{
    return read_sysreg(CNTPCT_EL0);
}

static uint64_t el1_read_cntp_ctl(uint64_t arg)
{
    return read_sysreg(CNTP_CTL_EL0);
}

static uint64_t el1_read_cntvct(uint64_t arg)
{
    return read_sysreg(CNTVCT_EL0);
}

static uint8_t el1_stack[4096] __attribute__((aligned(16)));

static void test_traps(void)
{
    exc_set_handler(2, on_trap);
    uint64_t sp = (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack));
    write_sysreg(read_sysreg(HCR_EL2) | (1ul << 31), HCR_EL2);
    write_sysreg(0, CNTVOFF_EL2);
    write_sysreg(3, CNTHCTL_EL2);   /* EL1PCTEN | EL1PCEN */
    isb();
    traps = 0;
    el_call_lower(el1_read_cntpct, 0, SPSR_EL1h | SPSR_DAIF, sp);
    el_call_lower(el1_read_cntp_ctl, 0, SPSR_EL1h | SPSR_DAIF, sp);
    report(traps == 0, "EL1 counter/timer access allowed with EL1PCTEN/EL1PCEN set");
    write_sysreg(2, CNTHCTL_EL2);   /* EL1PCTEN = 0 */
    isb();
    el_call_lower(el1_read_cntpct, 0, SPSR_EL1h | SPSR_DAIF, sp);
    report(traps == 1 && trap_ec == 0x18, "EL1 CNTPCT_EL0 read traps to EL2 (EC 0x%x)", trap_ec);
    el_call_lower(el1_read_cntvct, 0, SPSR_EL1h | SPSR_DAIF, sp);
    report(traps == 1, "EL1 CNTVCT_EL0 read is not trapped by EL1PCTEN");
    write_sysreg(1, CNTHCTL_EL2);   /* EL1PCEN = 0 */
    isb();
    el_call_lower(el1_read_cntp_ctl, 0, SPSR_EL1h | SPSR_DAIF, sp);
    report(traps == 2 && trap_ec == 0x18, "EL1 CNTP_CTL_EL0 read traps to EL2 with EL1PCEN = 0");
    write_sysreg(3, CNTHCTL_EL2);
    isb();
    exc_set_handler(2, on_exc);
}

void guest_run(void)
{
    if (current_el() != 2) {
        report_skip("needs EL2 entry");
        return;
    }
    exc_set_handler(2, on_exc);
    gic_dist_init();
    gic_cpu_init();
    write_sysreg(3, CNTHCTL_EL2);
    timer_mask_all();
    /*
     * -append wait10: only wait 10 s of guest time on the EL1 physical timer
     * (make bench times it: with instruction-derived time the idle vCPU jumps
     * to the deadline, so Tandem finishes in well under 1 s of host time).
     */
    uint32_t len = 0;
    const char *args = boot_dtb ? fdt_getprop_path((const void *)(uintptr_t)boot_dtb, "/chosen", "bootargs", &len) : NULL;
    if (args && len >= 6 && args[0] == 'w' && args[1] == 'a' && args[2] == 'i' && args[3] == 't' &&
        args[4] == '1' && args[5] == '0') {
        timer_delta = 10ull * read_sysreg(CNTFRQ_EL0);
        uint64_t before = read_sysreg(CNTPCT_EL0);
        test_timer("EL1 physical timer, 10 s of guest time", 30, 0);
        uint64_t waited = read_sysreg(CNTPCT_EL0) - before;
        report(waited >= timer_delta, "10 s of guest time passed (%lu ticks)", waited);
        return;
    }
    test_counters();
    test_timer("EL1 physical timer", 30, 0);
    test_timer("EL1 virtual timer (CNTVOFF set)", 27, 1);
    test_timer("EL2 physical timer", 26, 2);
    unsigned nirq = dtb_timer_irqs();
    report(nirq >= 4, "device tree /timer lists %u interrupts", nirq);
    if (((read_sysreg(ID_AA64MMFR1_EL1) >> 8) & 0xf) && nirq >= 5) {
        test_timer("EL2 virtual timer", 28, 3);
    } else {
        report_skip("EL2 virtual timer: not in the device tree (no FEAT_VHE, or QEMU 7.2)");
    }
    test_tval_istatus();
    test_traps();
}
