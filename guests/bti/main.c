/*
 * FEAT_BTI (Arm ARM D8.4 "Branch Target Identification"): guarded pages,
 * PSTATE.BTYPE and the Branch Target exception.
 *
 * EL2 gives EL1 a stage-1 map of RAM three times (level-1 1 GiB blocks):
 *   VA 0x40000000  RAM, EL1 only, not guarded (the image runs here)
 *   VA 0x80000000  RAM, EL1 only, guarded (descriptor bit 50, GP)
 *   VA 0xc0000000  RAM, read-only for EL0 and EL1, guarded (EL0 code)
 * and then, at EL1, branches into small targets (snippets.S) with BLR, BR
 * X9, BR X16/X17 from guarded and non-guarded pages: each BTI variant,
 * PACIASP/PACIBSP with SCTLR_EL1.BT1 (BT0 at EL0), a target without a landing
 * pad, BRK, the same targets through the non-guarded alias, BRAAZ/BLRAAZ,
 * and EL2's own regime (its stage 1 with a guarded alias, SCTLR_EL2.BT, the
 * exception taken to EL2). A Branch
 * Target exception must be EC 0x0D with ISS = BTYPE, ELR = the target,
 * SPSR.BTYPE = BTYPE. An interrupt taken before the first instruction of a
 * branch target (ERET with SPSR.BTYPE != 0 and a pending virtual IRQ) saves
 * BTYPE in SPSR_EL1, and the return restores it for the check.
 *
 * The guest fails (not skips) when ID_AA64PFR1_EL1.BT is 0.
 */
#include "guest.h"

#define GUARD_EL1 0x40000000ul   /* + PA: guarded EL1 alias */
#define GUARD_EL0 0x80000000ul   /* + PA: guarded read-only alias EL0 can run */

extern char t_none[], t_bti[], t_bti_c[], t_bti_j[], t_bti_jc[], t_paciasp[], t_pacibsp[], t_brk[];
extern char launch_blr[], launch_blr16[], launch_br9[], launch_br16[], launch_br17[];
extern char launch_braaz9[], launch_braaz16[], launch_blraaz9[];
extern char el0_br9[], el0_blr[];

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l1_el2[512] __attribute__((aligned(4096)));
static uint64_t stack1[1024] __attribute__((aligned(16)));

static struct {
    unsigned count, irqs;
    uint64_t esr, elr, spsr, irq_elr, irq_spsr;
} seen;

static bool el1_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if ((kind & 3) == EXC_IRQ) {
        seen.irqs++;
        seen.irq_elr = f->elr;
        seen.irq_spsr = f->spsr;
        f->spsr |= 1u << 7;         /* return with IRQs masked: the virtual IRQ stays pending */
        return true;
    }
    if (kind != EXC_KIND(EXC_FROM_SPX, EXC_SYNC) && kind != EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC)) {
        return false;
    }
    unsigned ec = esr_ec(f->esr);
    if (ec != 0x0d && ec != 0x3c) {
        return false;
    }
    seen.count++;
    seen.esr = f->esr;
    seen.elr = f->elr;
    seen.spsr = f->spsr;
    f->x[0] = 0xbad;
    f->elr = f->x[30];              /* back to the launcher, as the target's RET would */
    f->spsr &= ~(3ul << 10);
    return true;
}

static uint64_t block(uint64_t pa, unsigned attr, unsigned ap, bool gp)
{
    return pa | (attr << 2) | ((uint64_t)ap << 6) | (3u << 8) | (1u << 10) | 1 | ((uint64_t)gp << 50);
}

#define SCTLR_EL1_BASE (0x30d00800ul | 1 | (1ul << 2) | (1ul << 12))   /* M, C, I + RES1 */
#define BT0 (1ul << 35)
#define BT1 (1ul << 36)

static void mmu_setup(void)
{
    l1[0] = block(0, 0, 0, false);                     /* Device-nGnRnE */
    l1[1] = block(0x40000000ul, 1, 0, false);          /* RAM, EL1, not guarded */
    l1[2] = block(0x40000000ul, 1, 0, true);           /* RAM, EL1, guarded */
    l1[3] = block(0x40000000ul, 1, 3, true);           /* RAM, read-only EL0/EL1, guarded */
    dsb(sy);
    write_sysreg(read_sysreg(HCR_EL2) | (1ul << 31), HCR_EL2);   /* RW */
    write_sysreg(0xff00ul, MAIR_EL1);
    write_sysreg(32ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23), TCR_EL1);
    write_sysreg((uint64_t)l1, TTBR0_EL1);
    isb();
    write_sysreg(SCTLR_EL1_BASE, SCTLR_EL1);
    isb();
}

static void set_bt(uint64_t bits)
{
    write_sysreg(SCTLR_EL1_BASE | bits, SCTLR_EL1);
    isb();
}

/* At EL1: call launcher(target) where both are given as addresses in this image. */
typedef uint64_t (*launch_fn)(uint64_t);
static struct { uint64_t launcher, target; } el1_req;

static uint64_t el1_launch(uint64_t unused)
{
    return ((launch_fn)el1_req.launcher)(el1_req.target);
}

static uint64_t el0_stack_unused;
static uint64_t el1_run_el0(uint64_t entry)
{
    return el_call_lower((uint64_t (*)(uint64_t))entry, el1_req.target, SPSR_EL0t,
                         (uint64_t)&el0_stack_unused);
}

static const char *const btype_name[4] = { "-", "01", "10", "11" };

/*
 * Run launcher -> target at EL1 (or EL0 with el0 set) and check: want_btype 0
 * means the target runs; otherwise a Branch Target exception with that BTYPE.
 */
static void check(const char *what, uint64_t launcher, uint64_t target, unsigned want_btype, bool el0)
{
    memset(&seen, 0, sizeof(seen));
    el1_req.launcher = launcher;
    el1_req.target = target;
    uint64_t r;
    if (el0) {
        r = el_call_lower(el1_run_el0, launcher, SPSR_EL1h | SPSR_DAIF, (uint64_t)(stack1 + 1024));
    } else {
        r = el_call_lower(el1_launch, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(stack1 + 1024));
    }
    if (!want_btype) {
        report(r == 1 && seen.count == 0, "%s: runs (x0 %lu, %u exceptions, ESR 0x%lx)", what, r,
               seen.count, seen.esr);
        return;
    }
    uint64_t want_esr = (0x0dul << 26) | (1ul << 25) | want_btype;
    report(r == 0xbad && seen.count == 1 && seen.esr == want_esr && seen.elr == target &&
               ((seen.spsr >> 10) & 3) == want_btype,
           "%s: Branch Target exception BTYPE %s (ESR 0x%lx want 0x%lx, ELR 0x%lx want 0x%lx, "
           "SPSR.BTYPE %lu)", what, btype_name[want_btype], seen.esr, want_esr, seen.elr, target,
           (seen.spsr >> 10) & 3);
}

#define G(sym) ((uint64_t)(sym) + GUARD_EL1)
#define G0(sym) ((uint64_t)(sym) + GUARD_EL0)
#define N(sym) ((uint64_t)(sym))

/* ERET into target at EL1 with SPSR.BTYPE = btype and a pending virtual IRQ. */
static void check_irq_landing(const char *what, uint64_t target, unsigned btype, bool want_bte)
{
    memset(&seen, 0, sizeof(seen));
    uint64_t hcr = read_sysreg(HCR_EL2);
    write_sysreg(hcr | (1ul << 4) | (1ul << 7), HCR_EL2);   /* IMO, VI */
    isb();
    uint64_t spsr = SPSR_EL1h | (SPSR_DAIF & ~(1ul << 7)) | ((uint64_t)btype << 10);
    uint64_t r = el_call_lower((uint64_t (*)(uint64_t))target, 0, spsr, (uint64_t)(stack1 + 1024));
    write_sysreg(hcr, HCR_EL2);
    isb();
    report(seen.irqs == 1 && seen.irq_elr == target && ((seen.irq_spsr >> 10) & 3) == btype,
           "%s: IRQ before the first instruction: ELR_EL1 0x%lx (want 0x%lx), SPSR_EL1.BTYPE %lu (want %u)",
           what, seen.irq_elr, target, (seen.irq_spsr >> 10) & 3, btype);
    if (want_bte) {
        report(r == 0xbad && seen.count == 1 && seen.esr == ((0x0dul << 26) | (1ul << 25) | btype) &&
                   seen.elr == target,
               "%s: the return restores BTYPE: Branch Target exception (ESR 0x%lx)", what, seen.esr);
    } else {
        report(r == 1 && seen.count == 0, "%s: the return restores BTYPE and the target runs", what);
    }
}

/* Call launcher(target) at EL2 itself. */
static uint64_t el2_launch(uint64_t launcher, uint64_t target)
{
    memset(&seen, 0, sizeof(seen));
    return ((launch_fn)launcher)(target);
}

/*
 * The EL2 regime: EL2's own stage 1 (identity map plus the guarded alias at
 * VA 0x80000000), SCTLR_EL2.BT for PACIASP, the exception taken to EL2.
 */
static void el2_tests(void)
{
    l1_el2[0] = block(0, 0, 0, false);
    l1_el2[1] = block(0x40000000ul, 1, 0, false);
    l1_el2[2] = block(0x40000000ul, 1, 0, true);
    dsb(sy);
    write_sysreg(0xff00ul, MAIR_EL2);
    write_sysreg(32ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (1ul << 31), TCR_EL2);
    write_sysreg((uint64_t)l1_el2, TTBR0_EL2);
    __asm__ volatile("tlbi alle2\n\tdsb sy" ::: "memory");
    isb();
    uint64_t sctlr2 = read_sysreg(SCTLR_EL2);
    write_sysreg((sctlr2 & ~BT1) | 1 | (1ul << 2) | (1ul << 12), SCTLR_EL2);   /* M, C, I */
    isb();
    exc_set_handler(2, el1_handler);

    uint64_t esr_bti3 = (0x0dul << 26) | (1ul << 25) | 3;
    uint64_t r = el2_launch(G(launch_br9), G(t_bti_c));
    report(r == 0xbad && seen.count == 1 && seen.esr == esr_bti3 && seen.elr == G(t_bti_c) &&
           ((seen.spsr >> 10) & 3) == 3 && (seen.spsr & 0xf) == SPSR_EL2h,
           "EL2: BR X9 (guarded) -> BTI c: Branch Target exception to EL2 (ESR_EL2 0x%lx, ELR 0x%lx)",
           seen.esr, seen.elr);
    r = el2_launch(G(launch_br9), G(t_bti_j));
    report(r == 1 && seen.count == 0, "EL2: BR X9 (guarded) -> BTI j runs");
    r = el2_launch(G(launch_br9), G(t_paciasp));
    report(r == 1 && seen.count == 0, "EL2: BR X9 (guarded) -> PACIASP runs with SCTLR_EL2.BT = 0");
    write_sysreg(read_sysreg(SCTLR_EL2) | BT1, SCTLR_EL2);
    isb();
    r = el2_launch(G(launch_br9), G(t_paciasp));
    report(r == 0xbad && seen.count == 1 && seen.esr == esr_bti3,
           "EL2: BR X9 (guarded) -> PACIASP with SCTLR_EL2.BT = 1: Branch Target exception (ESR_EL2 0x%lx)",
           seen.esr);
    r = el2_launch(G(launch_blr), G(t_paciasp));
    report(r == 1 && seen.count == 0, "EL2: BLR -> PACIASP with SCTLR_EL2.BT = 1 runs");

    exc_set_handler(2, NULL);
    write_sysreg(sctlr2, SCTLR_EL2);
    isb();
    __asm__ volatile("tlbi alle2\n\tdsb sy" ::: "memory");
    isb();
}

/* `-append absent` (Tandem with -cpu max,bti=off): FEAT_BTI must be absent everywhere. */
static bool want_absent(void)
{
    uint32_t len = 0;
    const char *args = boot_dtb ? fdt_getprop_path((const void *)(uintptr_t)boot_dtb, "/chosen", "bootargs",
                                                   &len) : NULL;
    return args && len >= 6 && memcmp(args, "absent", 6) == 0;
}

static void absent_tests(void)
{
    unsigned bt = read_sysreg(ID_AA64PFR1_EL1) & 0xf;
    report(bt == 0, "ID_AA64PFR1_EL1.BT = %u (FEAT_BTI switched off)", bt);
    mmu_setup();
    exc_set_handler(1, el1_handler);
    set_bt(BT0 | BT1);
    report((read_sysreg(SCTLR_EL1) & (BT0 | BT1)) == 0, "SCTLR_EL1.BT0/BT1 are RES0 without FEAT_BTI");
    set_bt(0);
    /* GP is ignored: nothing faults, and an interrupt at a target sees BTYPE 0. */
    check("no FEAT_BTI: BR X9 (guarded) -> no landing pad", G(launch_br9), G(t_none), 0, false);
    check("no FEAT_BTI: BLR -> BTI j", G(launch_blr), G(t_bti_j), 0, false);
    memset(&seen, 0, sizeof(seen));
    uint64_t hcr = read_sysreg(HCR_EL2);
    write_sysreg(hcr | (1ul << 4) | (1ul << 7), HCR_EL2);
    isb();
    uint64_t r = el_call_lower((uint64_t (*)(uint64_t))G(t_none), 0,
                               SPSR_EL1h | (SPSR_DAIF & ~(1ul << 7)) | (2ul << 10), (uint64_t)(stack1 + 1024));
    write_sysreg(hcr, HCR_EL2);
    isb();
    report(r == 1 && seen.irqs == 1 && ((seen.irq_spsr >> 10) & 3) == 0 && seen.count == 0,
           "no FEAT_BTI: SPSR.BTYPE is RES0 on exception return and entry (SPSR_EL1 0x%lx)", seen.irq_spsr);
}

void guest_run(void)
{
    if (want_absent()) {
        if (boot_el != 2) {
            guest_abort("needs EL2 entry");
        }
        absent_tests();
        return;
    }
    unsigned bt = (read_sysreg(ID_AA64PFR1_EL1) >> 0) & 0xf;
    report(bt >= 1, "ID_AA64PFR1_EL1.BT = %u (FEAT_BTI)", bt);
    if (bt == 0 || boot_el != 2) {
        guest_abort("FEAT_BTI absent or not entered at EL2: nothing to test");
    }
    mmu_setup();
    exc_set_handler(1, el1_handler);

    set_bt(BT0 | BT1);
    report((read_sysreg(SCTLR_EL1) & (BT0 | BT1)) == (BT0 | BT1), "SCTLR_EL1.BT0/BT1 are writable");
    set_bt(0);

    static const struct { const char *name; char *t; bool c, j; } targets[] = {
        { "no landing pad", t_none, false, false },
        { "BTI", t_bti, false, false },
        { "BTI c", t_bti_c, true, false },
        { "BTI j", t_bti_j, false, true },
        { "BTI jc", t_bti_jc, true, true },
    };
    char what[96];
    for (unsigned i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        uint64_t t = G(targets[i].t);
        const char *n = targets[i].name;
        /* BLR: BTYPE 10, compatible with c and jc */
        snprintf(what, sizeof(what), "BLR X9 -> %s", n);
        check(what, G(launch_blr), t, targets[i].c ? 0 : 2, false);
        snprintf(what, sizeof(what), "BLR X16 -> %s", n);
        check(what, G(launch_blr16), t, targets[i].c ? 0 : 2, false);
        /* BR X16/X17 (any page) and BR from a non-guarded page: BTYPE 01, c, j and jc */
        snprintf(what, sizeof(what), "BR X16 -> %s", n);
        check(what, G(launch_br16), t, targets[i].c || targets[i].j ? 0 : 1, false);
        snprintf(what, sizeof(what), "BR X17 -> %s", n);
        check(what, G(launch_br17), t, targets[i].c || targets[i].j ? 0 : 1, false);
        snprintf(what, sizeof(what), "BR X9 from a non-guarded page -> %s", n);
        check(what, N(launch_br9), t, targets[i].c || targets[i].j ? 0 : 1, false);
        /* BR X9 from a guarded page: BTYPE 11, j and jc only */
        snprintf(what, sizeof(what), "BR X9 from a guarded page -> %s", n);
        check(what, G(launch_br9), t, targets[i].j ? 0 : 3, false);
        /* the same target through the non-guarded alias never faults */
        snprintf(what, sizeof(what), "BR X9 from a guarded page -> %s, target page not guarded", n);
        check(what, G(launch_br9), N(targets[i].t), 0, false);
    }

    /* PACIASP/PACIBSP: compatible with BTYPE 01 and 10; with 11 only when SCTLR_EL1.BT1 = 0. */
    check("BLR -> PACIASP", G(launch_blr), G(t_paciasp), 0, false);
    check("BR X16 -> PACIASP", G(launch_br16), G(t_paciasp), 0, false);
    check("BR X9 (guarded) -> PACIASP, BT1 = 0", G(launch_br9), G(t_paciasp), 0, false);
    check("BR X9 (guarded) -> PACIBSP, BT1 = 0", G(launch_br9), G(t_pacibsp), 0, false);
    set_bt(BT1);
    check("BR X9 (guarded) -> PACIASP, BT1 = 1", G(launch_br9), G(t_paciasp), 3, false);
    check("BR X9 (guarded) -> PACIBSP, BT1 = 1", G(launch_br9), G(t_pacibsp), 3, false);
    check("BLR -> PACIASP, BT1 = 1", G(launch_blr), G(t_paciasp), 0, false);
    check("BR X17 -> PACIBSP, BT1 = 1", G(launch_br17), G(t_pacibsp), 0, false);
    set_bt(0);

    /* The PAuth branches set BTYPE as BR/BLR do (BRAAZ/BLRAAZ with SCTLR_EL1.EnIA = 0). */
    uint64_t isar1 = read_sysreg(ID_AA64ISAR1_EL1);
    if (((isar1 >> 4) & 0xf) || ((isar1 >> 8) & 0xf)) {
        check("BRAAZ X9 (guarded) -> BTI c", G(launch_braaz9), G(t_bti_c), 3, false);
        check("BRAAZ X9 (guarded) -> BTI j", G(launch_braaz9), G(t_bti_j), 0, false);
        check("BRAAZ X16 (guarded) -> BTI c", G(launch_braaz16), G(t_bti_c), 0, false);
        check("BRAAZ X16 (guarded) -> no landing pad", G(launch_braaz16), G(t_none), 1, false);
        check("BRAAZ X9 (non-guarded) -> BTI", N(launch_braaz9), G(t_bti), 1, false);
        check("BLRAAZ X9 -> BTI j", G(launch_blraaz9), G(t_bti_j), 2, false);
        check("BLRAAZ X9 -> BTI c", G(launch_blraaz9), G(t_bti_c), 0, false);
    } else {
        report_skip("PAuth branches: no FEAT_PAuth");
    }

    /* BRK at a branch target: the Breakpoint Instruction exception is taken, SPSR.BTYPE kept. */
    memset(&seen, 0, sizeof(seen));
    el1_req.launcher = G(launch_blr);
    el1_req.target = G(t_brk);
    uint64_t r = el_call_lower(el1_launch, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(stack1 + 1024));
    report(r == 0xbad && seen.count == 1 && esr_ec(seen.esr) == 0x3c && esr_iss(seen.esr) == 0x77 &&
               seen.elr == G(t_brk) && ((seen.spsr >> 10) & 3) == 2,
           "BLR -> BRK: BRK exception (ESR 0x%lx, SPSR.BTYPE %lu)", seen.esr, (seen.spsr >> 10) & 3);

    /* EL0: SCTLR_EL1.BT0 governs PACIASP; the exception goes to EL1 with the same syndrome. */
    check("EL0: BR X9 (guarded) -> no landing pad", G0(el0_br9), G0(t_none), 3, true);
    check("EL0: BR X9 (guarded) -> BTI j", G0(el0_br9), G0(t_bti_j), 0, true);
    check("EL0: BLR -> BTI j", G0(el0_blr), G0(t_bti_j), 2, true);
    check("EL0: BLR -> BTI c", G0(el0_blr), G0(t_bti_c), 0, true);
    set_bt(BT1);
    check("EL0: BR X9 (guarded) -> PACIASP, BT0 = 0 (BT1 = 1)", G0(el0_br9), G0(t_paciasp), 0, true);
    set_bt(BT0);
    check("EL0: BR X9 (guarded) -> PACIASP, BT0 = 1", G0(el0_br9), G0(t_paciasp), 3, true);
    set_bt(0);

    el2_tests();

    /* An interrupt between a branch and its target keeps BTYPE in SPSR. */
    check_irq_landing("BTYPE 10 -> BTI c", G(t_bti_c), 2, false);
    check_irq_landing("BTYPE 10 -> no landing pad", G(t_none), 2, true);
    check_irq_landing("BTYPE 11 -> BTI c", G(t_bti_c), 3, true);
    check_irq_landing("BTYPE 01 -> BTI j", G(t_bti_j), 1, false);
}
