/*
 * route-el3: where exceptions go when EL3 is the guest's (-M virt,secure=on
 * -bios route-el3.img; Arm ARM D1.3 "Exceptions", AArch64.TakeException,
 * the asynchronous exception routing tables, AArch64.ExceptionReturn).
 *
 *  - Physical IRQ and FIQ across SCR_EL3.{IRQ,FIQ} and HCR_EL2.{IMO,FMO,TGE}
 *    (TGE with E2H = 0: EL0 cannot mask; with E2H = 1: EL0's PSTATE masks)
 *    from EL0, EL1, EL2 and EL3: which EL takes it, whether PSTATE masks it
 *    there (only when the target is the current EL, or EL1 from EL0), the
 *    vector (current EL with SPx vs lower EL AArch64), SPSR.M. Sources: GIC
 *    SGIs made pending through GICR_ISPENDR0 at EL3: SGI 0 in Group 0 (an
 *    FIQ at every EL), SGI 1 in Non-secure Group 1 (an IRQ at Non-secure
 *    ELs). Group 1 is never left pending while EL3 or Secure EL1 has
 *    interrupts unmasked: there its IRQ/FIQ signalling depends on the GIC's
 *    Security configuration (QEMU: two states, Tandem: one; docs/devices.md).
 *  - Virtual IRQ/FIQ/SError (HCR_EL2.VI/VF/VSE) reach EL1 only, whatever
 *    SCR_EL3 routes.
 *  - SMC: to EL3 from EL1/EL2/EL3 (EC 0x17, imm16, ELR = next instruction),
 *    UNDEFINED at EL0 and with SCR_EL3.SMD; HCR_EL2.TSC traps EL1's SMC to
 *    EL2 (ELR = the SMC) before SMD; in Secure state TSC does not apply.
 *  - HVC: SCR_EL3.HCE = 0 makes it UNDEFINED at EL1, EL2 and EL3; with
 *    HCE = 1 it goes to EL2 (EL3's own to EL3); UNDEFINED in Secure EL1.
 *  - SCR_EL3.ST: CNTPS_CTL_EL1 UNDEFINED at Non-secure EL1, trapped to EL3
 *    at Secure EL1 unless ST = 1.
 *  - SCR_EL3.TWI: WFI at EL0/EL1/EL2 to EL3 (EC 0x01), after SCTLR_EL1.nTWI
 *    and HCR_EL2.TWI.
 *  - Synchronous External aborts (a hole in the memory map) at EL1/EL2/EL3
 *    (SCR_EL3.EA = 1 routing to EL3 in the strict build).
 *  - SCR_EL3.RW with no AArch32 at EL1/EL2; ERET from EL3 to EL3h, EL2h,
 *    EL2t, EL1h, EL1t, EL0t; illegal returns (EL2 in Secure state, a
 *    reserved mode, AArch32 where it is not implemented): PSTATE.IL, EC 0x0E
 *    at EL3 on the next instruction.
 */
#include "guest.h"
#include "el2.h"

/*
 * Checks QEMU 7.2 gets wrong, run only by the route-el3-strict build
 * (qemu:xfail there):
 *  - HVC executed at EL3 (SCR_EL3.HCE = 1) is taken to EL3
 *    (AArch64.CallHypervisor); QEMU 7.2 takes it to EL2.
 *  - WFE traps (SCR_EL3.TWE, HCR_EL2.TWE, SCTLR_EL1.nTWE): QEMU 7.2 never
 *    traps WFE (its WFE is a yield).
 *  - SCR_EL3.EA = 1 routes synchronous External aborts from EL0-EL2 to EL3
 *    (AArch64.Abort); QEMU 7.2 takes them to the EL they would go to
 *    without it.
 */
extern const int route_strict;

#define GICD 0x08000000ul
#define GICR 0x080a0000ul
#define GICR_SGI (GICR + 0x10000ul)
#define GICR_WAKER 0x14
#define GICR_IGROUPR0 0x80
#define GICR_ISENABLER0 0x100
#define GICR_ISPENDR0 0x200
#define GICR_ICPENDR0 0x280
#define GICR_IPRIORITYR 0x400
#define GICR_IGRPMODR0 0xd00
#define SGI_FIQ 0     /* Group 0 */
#define SGI_IRQ 1     /* Non-secure Group 1 */

#define SCTLR_EL1_RES1 0x30d00800ul
#define SCTLR_nTWI (1ul << 16)
#define SCTLR_nTWE (1ul << 18)
#define PSR_F (1ul << 6)
#define PSR_I (1ul << 7)
#define PSR_A (1ul << 8)
#define PSR_IL (1ul << 20)
#define SCR_S (SCR_EL3_RES1 | SCR_EL3_RW | SCR_EL3_HCE)   /* Secure, AArch64 below */

#define ESR_IL (1ul << 25)
#define EC(e) ((uint64_t)(e) << 26)

static uint8_t stack_el2[8192] __attribute__((aligned(16)));
static uint8_t stack_el1[8192] __attribute__((aligned(16)));
static uint8_t stack_el0[8192] __attribute__((aligned(16)));
#define STACK_TOP(s) ((uint64_t)(uintptr_t)((s) + sizeof(s)))

typedef uint64_t (*probe_fn)(uint64_t);
uint64_t probe_nop(uint64_t), probe_smc(uint64_t), probe_smc_wfi(uint64_t), probe_hvc(uint64_t),
         probe_hvc_wfi(uint64_t), probe_wfi(uint64_t), probe_svc77(uint64_t), probe_where(uint64_t),
         probe_load(uint64_t), probe_wfe(uint64_t), probe_wfe_set(uint64_t), probe_cntps(uint64_t), probe_eret_up2(uint64_t), probe_eret_up1(uint64_t);
#define ADDR(f) ((uint64_t)(uintptr_t)(f))

/* ------------------------------------------------------------ recording */

#define MAX_SEEN 4
typedef struct Seen {
    unsigned el, kind;
    uint64_t esr, elr, spsr, far;
} Seen;
static volatile unsigned n_seen;
static volatile Seen seen[MAX_SEEN];

static void record(const ExcFrame *f, unsigned el, unsigned kind)
{
    if (n_seen < MAX_SEEN) {
        seen[n_seen].el = el;
        seen[n_seen].kind = kind;
        seen[n_seen].esr = f->esr;
        seen[n_seen].elr = f->elr;
        seen[n_seen].spsr = f->spsr;
        seen[n_seen].far = f->far;
    }
    n_seen++;
}

static void gic_clear_sgis(void)
{
    mmio_write32(GICR_SGI + GICR_ICPENDR0, 0xffff);
    dsb(sy);
    isb();
}

/*
 * Each EL's handler records the exception and makes sure it does not come
 * straight back: an interrupt is cleared at the GIC (EL3, Secure: allowed
 * in both GIC configurations) or masked where it is taken (EL2 also stops
 * routing it to itself); a synchronous exception is stepped over.
 */
static bool on_exception(ExcFrame *f, unsigned el, unsigned kind)
{
    unsigned type = kind & 3;
    unsigned ec = esr_ec(f->esr);
    if (el == 3 && type == EXC_SYNC && ec == 0x01 && f->elr == ADDR(probe_smc_wfi) + 4) {
        exc_return_to_caller(f, 3);     /* the way out of probe_smc_wfi */
        return true;
    }
    if (el == 3 && type == EXC_SYNC && ec == 0x01 && f->elr == ADDR(probe_hvc_wfi) + 4) {
        exc_return_to_caller(f, 3);
        return true;
    }
    if (el < 3 && ((f->spsr >> 2) & 3) > el) {
        /* Never architectural (QEMU 7.2 takes EL3's HVC to EL2): stop rather than wander. */
        guest_abort("exception from EL%lu taken to EL%u (ESR 0x%lx)", (f->spsr >> 2) & 3, el, f->esr);
    }
    record(f, el, kind);
    if (type == EXC_SYNC) {
        if ((el == 1 || el == 2) && ec == 0x15 && esr_iss(f->esr) == 0x77) {
            /* probe_svc77 from EL0 reached directly by an ERET from EL3 (to EL2 with
             * HCR_EL2.TGE): back to EL3. */
            __asm__ volatile("smc #0xfff" ::: "memory");
        }
        if (ec == 0x0e && el == 3) {
            exc_return_to_caller(f, el);   /* illegal execution state at EL3: end the call */
            return true;
        }
        if (ec == 0x0e) {
            f->spsr &= ~PSR_IL;            /* below EL3: run the instruction again, legally */
            return true;
        }
        if (el == 3 && ec == 0x17 && esr_iss(f->esr) == 0xfff) {
            exc_return_to_caller(f, 3);    /* trampoline SMC from EL3 itself (ERET to EL3h) */
            return true;
        }
        /* SMC/HVC/SVC: ELR already points past the instruction; traps and UNDEFINED: step over. */
        if (!(ec == 0x17 && el == 3) && ec != 0x16 && ec != 0x15) {
            f->elr += 4;
        }
        return true;
    }
    if (el == 2 && (read_sysreg(HCR_EL2) & HCR_TGE)) {
        /* TGE routes EL0's interrupts here whatever EL0 masks: leave to EL3, which clears it. */
        __asm__ volatile("smc #0xfff" ::: "memory");
    }
    if (el == 3) {
        gic_clear_sgis();
    } else if (el == 2) {
        write_sysreg(read_sysreg(HCR_EL2) & ~(HCR_IMO | HCR_FMO | HCR_AMO | HCR_VI | HCR_VF), HCR_EL2);
        isb();
    }
    f->spsr |= PSR_I | PSR_F | PSR_A;
    return true;
}

/* ------------------------------------------------------------ running code at an EL */

typedef struct Where {
    unsigned el;       /* 0..3 */
    bool secure;       /* SCR_EL3.NS = 0 (EL1/EL0) */
    bool unmask;       /* PSTATE.DAIF clear at that EL (else all masked) */
} Where;

static probe_fn el0_probe;
static uint64_t el0_spsr;

static uint64_t el1_to_el0(uint64_t arg)
{
    return el_call_lower(el0_probe, arg, el0_spsr, STACK_TOP(stack_el0));
}

/* Run probe(arg) at w with SCR_EL3 = scr (NS, RW, HCE added for Non-secure) and HCR_EL2 = hcr. */
static uint64_t run_at(Where w, probe_fn probe, uint64_t arg, uint64_t scr, uint64_t hcr)
{
    uint64_t daif = w.unmask ? 0 : SPSR_DAIF;
    uint64_t r;
    if (!w.secure) {
        scr |= SCR_EL3_NS_EL2;
    } else {
        scr |= SCR_EL3_RES1 | SCR_EL3_RW;
    }
    write_sysreg(hcr | HCR_RW, HCR_EL2);
    isb();
    n_seen = 0;
    switch (w.el) {
    case 3:
        write_sysreg(scr, SCR_EL3);
        isb();
        if (w.unmask) {
            __asm__ volatile("msr daifclr, #0xf; isb" ::: "memory");
        }
        r = probe(arg);
        __asm__ volatile("msr daifset, #0xf; isb" ::: "memory");
        break;
    case 2:
        r = el3_call(probe, arg, SPSR_EL2h | daif, STACK_TOP(stack_el2), scr);
        break;
    case 1:
        r = el3_call(probe, arg, SPSR_EL1h | daif, STACK_TOP(stack_el1), scr);
        break;
    default:
        if (probe == probe_svc77) {
            /* Straight from EL3 (interrupt cases): the SVC brings EL1 back to EL3. */
            r = el3_call(probe, arg, SPSR_EL0t | daif, STACK_TOP(stack_el0), scr);
            break;
        }
        el0_probe = probe;
        el0_spsr = SPSR_EL0t | daif;
        r = el3_call(el1_to_el0, arg, SPSR_EL1h | SPSR_DAIF, STACK_TOP(stack_el1), scr);
        break;
    }
    write_sysreg(SCR_EL3_NS_EL2, SCR_EL3);
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
    gic_clear_sgis();
    return r;
}

static const char *const el_names[4] = { "EL0", "EL1", "EL2", "EL3" };
static const uint64_t spsr_m[4] = { SPSR_EL0t, SPSR_EL1h, SPSR_EL2h, SPSR_EL3h };

/* Exactly one exception, to want_el, of this kind from w.el; ESR checked when want_esr != ~0. */
static void expect_one(const char *what, Where w, int want_el, unsigned want_type, uint64_t want_esr,
                       uint64_t want_elr)
{
    if (want_el < 0) {
        report(n_seen == 0, "%s: nothing taken (%u taken, first to EL%u kind %u)", what, n_seen, seen[0].el,
               seen[0].kind);
        return;
    }
    unsigned want_kind = EXC_KIND((unsigned)want_el == w.el ? EXC_FROM_SPX : EXC_FROM_LOWER64, want_type);
    report(n_seen == 1 && seen[0].el == (unsigned)want_el && seen[0].kind == want_kind,
           "%s: taken to EL%d kind %u (%u taken, first to EL%u kind %u)", what, want_el, want_kind, n_seen,
           seen[0].el, seen[0].kind);
    if (n_seen != 1) {
        return;
    }
    report((seen[0].spsr & 0xf) == spsr_m[w.el], "%s: SPSR_EL%d.M = 0x%lx (from %s)", what, want_el,
           seen[0].spsr & 0xf, el_names[w.el]);
    if (want_esr != ~0ul) {
        report(seen[0].esr == want_esr, "%s: ESR_EL%d = 0x%lx (want 0x%lx)", what, want_el, seen[0].esr, want_esr);
    }
    if (want_elr) {
        report(seen[0].elr == want_elr, "%s: ELR_EL%d = 0x%lx (want 0x%lx)", what, want_el, seen[0].elr, want_elr);
    }
}

/* ------------------------------------------------------------ GIC */

static void gic_init(void)
{
    /* Distributor: EnableGrp0, EnableGrp1NS, EnableGrp1S, ARE_S, ARE_NS with
     * two Security states (QEMU); EnableGrp0/Grp1 and ARE (RAO) with one (Tandem). */
    mmio_write32(GICD, 0x37);
    while (mmio_read32(GICD) & (1u << 31)) {
    }
    mmio_write32(GICR + GICR_WAKER, 0);
    while (mmio_read32(GICR + GICR_WAKER) & 4) {
    }
    mmio_write32(GICR_SGI + GICR_IGROUPR0, 1u << SGI_IRQ);
    mmio_write32(GICR_SGI + GICR_IGRPMODR0, 0);           /* Non-secure Group 1 */
    mmio_write32(GICR_SGI + GICR_IPRIORITYR, 0x80808080u);
    mmio_write32(GICR_SGI + GICR_ISENABLER0, (1u << SGI_FIQ) | (1u << SGI_IRQ));
    write_sysreg(0xf, ICC_SRE_EL3);      /* SRE, DFB, DIB, Enable (lower ELs may use SRE) */
    isb();
    write_sysreg(0x9, ICC_SRE_EL2);
    isb();
    write_sysreg(0x1, ICC_SRE_EL1);
    write_sysreg(0xff, ICC_PMR_EL1);
    write_sysreg(1, ICC_IGRPEN0_EL1);
    write_sysreg(3, ICC_IGRPEN1_EL3);   /* Group 1 enabled for both Security states */
    isb();
    gic_clear_sgis();
}

static void gic_pend(unsigned sgi)
{
    mmio_write32(GICR_SGI + GICR_ISPENDR0, 1u << sgi);
    dsb(sy);
    isb();
}

/* ------------------------------------------------------------ interrupt routing */

typedef struct IntCase {
    const char *what;
    Where w;
    unsigned sgi;          /* SGI_FIQ, SGI_IRQ */
    uint64_t scr, hcr;
    int want_el;           /* -1: stays pending */
} IntCase;

#define NS(el_, unmask_) { .el = (el_), .secure = false, .unmask = (unmask_) }
#define SEC(el_, unmask_) { .el = (el_), .secure = true, .unmask = (unmask_) }

static const IntCase int_cases[] = {
    /* IRQ (Non-secure Group 1) */
    { "IRQ, SCR.IRQ=1, from EL2 (masked)", NS(2, false), SGI_IRQ, SCR_EL3_IRQ, 0, 3 },
    { "IRQ, SCR.IRQ=1, from EL2 (unmasked)", NS(2, true), SGI_IRQ, SCR_EL3_IRQ, 0, 3 },
    { "IRQ, SCR.IRQ=1 + IMO, from EL1 (masked): EL3 wins", NS(1, false), SGI_IRQ, SCR_EL3_IRQ, HCR_IMO, 3 },
    { "IRQ, SCR.IRQ=1, from EL0 (masked)", NS(0, false), SGI_IRQ, SCR_EL3_IRQ, 0, 3 },
    { "IRQ, IMO, from EL1 (masked)", NS(1, false), SGI_IRQ, 0, HCR_IMO, 2 },
    { "IRQ, IMO, from EL0 (masked)", NS(0, false), SGI_IRQ, 0, HCR_IMO, 2 },
    { "IRQ, IMO, at EL2 (unmasked)", NS(2, true), SGI_IRQ, 0, HCR_IMO, 2 },
    { "IRQ, IMO, at EL2 (masked)", NS(2, false), SGI_IRQ, 0, HCR_IMO, -1 },
    { "IRQ, no routing, at EL2 (unmasked): target EL1 below", NS(2, true), SGI_IRQ, 0, 0, -1 },
    { "IRQ, no routing, at EL1 (unmasked)", NS(1, true), SGI_IRQ, 0, 0, 1 },
    { "IRQ, no routing, at EL1 (masked)", NS(1, false), SGI_IRQ, 0, 0, -1 },
    { "IRQ, no routing, from EL0 (unmasked)", NS(0, true), SGI_IRQ, 0, 0, 1 },
    { "IRQ, no routing, from EL0 (masked)", NS(0, false), SGI_IRQ, 0, 0, -1 },
    /* FIQ (Group 0) */
    { "FIQ, SCR.FIQ=1, at EL3 (unmasked)", NS(3, true), SGI_FIQ, SCR_EL3_FIQ, 0, 3 },
    { "FIQ, SCR.FIQ=1, at EL3 (masked)", NS(3, false), SGI_FIQ, SCR_EL3_FIQ, 0, -1 },
    { "FIQ, SCR.FIQ=0, at EL3 (unmasked): target below EL3", NS(3, true), SGI_FIQ, 0, HCR_FMO, -1 },
    { "FIQ, SCR.FIQ=1, from EL2 (masked)", NS(2, false), SGI_FIQ, SCR_EL3_FIQ, 0, 3 },
    { "FIQ, SCR.FIQ=1 + FMO, from EL1 (masked): EL3 wins", NS(1, false), SGI_FIQ, SCR_EL3_FIQ, HCR_FMO, 3 },
    { "FIQ, SCR.IRQ=1 only, from EL1 (unmasked): EL1 takes the FIQ", NS(1, true), SGI_FIQ, SCR_EL3_IRQ, 0, 1 },
    { "FIQ, FMO, from EL1 (masked)", NS(1, false), SGI_FIQ, 0, HCR_FMO, 2 },
    { "FIQ, IMO only, from EL1 (masked)", NS(1, false), SGI_FIQ, 0, HCR_IMO, -1 },
    { "FIQ, FMO, at EL2 (unmasked)", NS(2, true), SGI_FIQ, 0, HCR_FMO, 2 },
    { "FIQ, no routing, at EL2 (unmasked): target EL1 below", NS(2, true), SGI_FIQ, 0, 0, -1 },
    { "FIQ, no routing, at EL1 (unmasked)", NS(1, true), SGI_FIQ, 0, 0, 1 },
    { "FIQ, FMO, from EL0 (unmasked)", NS(0, true), SGI_FIQ, 0, HCR_FMO, 2 },
    { "FIQ, no routing, from EL0 (unmasked)", NS(0, true), SGI_FIQ, 0, 0, 1 },
    /* HCR_EL2.TGE: EL0's physical interrupts go to EL2 (E2H = 0: not masked by PSTATE at EL0). */
    { "IRQ, TGE (E2H=0), from EL0 (masked)", NS(0, false), SGI_IRQ, 0, HCR_TGE, 2 },
    { "FIQ, TGE (E2H=0), from EL0 (masked)", NS(0, false), SGI_FIQ, 0, HCR_TGE, 2 },
    { "IRQ, TGE + SCR.IRQ=1, from EL0 (masked): EL3 wins", NS(0, false), SGI_IRQ, SCR_EL3_IRQ, HCR_TGE, 3 },
    /* E2H = 1, TGE = 1 (EL2&0 host): EL0 masks with its own PSTATE. */
    { "IRQ, E2H+TGE, from EL0 (masked)", NS(0, false), SGI_IRQ, 0, HCR_TGE | HCR_E2H, -1 },
    { "IRQ, E2H+TGE, from EL0 (unmasked)", NS(0, true), SGI_IRQ, 0, HCR_TGE | HCR_E2H, 2 },
    { "FIQ, E2H+TGE, from EL0 (unmasked)", NS(0, true), SGI_FIQ, 0, HCR_TGE | HCR_E2H, 2 },
    { "IRQ, E2H+TGE, at EL2 (unmasked)", NS(2, true), SGI_IRQ, 0, HCR_TGE | HCR_E2H, 2 },
    /* Secure state: EL2 is not enabled, HCR_EL2 routing does not apply. */
    { "Secure EL1: FIQ, FMO ignored (masked)", SEC(1, false), SGI_FIQ, 0, HCR_FMO, -1 },
    { "Secure EL1: FIQ, FMO ignored (unmasked)", SEC(1, true), SGI_FIQ, 0, HCR_FMO, 1 },
    { "Secure EL1: FIQ, SCR.FIQ=1 (masked)", SEC(1, false), SGI_FIQ, SCR_EL3_FIQ, HCR_FMO, 3 },
    { "Secure EL0: FIQ, FMO ignored (unmasked)", SEC(0, true), SGI_FIQ, 0, HCR_FMO, 1 },
};

static void test_interrupts(void)
{
    char what[128];
    for (unsigned i = 0; i < sizeof(int_cases) / sizeof(int_cases[0]); i++) {
        const IntCase *c = &int_cases[i];
        probe_fn probe = c->w.el == 0 ? probe_svc77 : probe_nop;
        gic_pend(c->sgi);
        run_at(c->w, probe, 0, c->scr, c->hcr);
        unsigned type = c->sgi == SGI_FIQ ? EXC_FIQ : EXC_IRQ;
        snprintf(what, sizeof(what), "%s", c->what);
        bool escaped = (c->hcr & HCR_TGE) && c->want_el == 2;   /* the EL2 handler left to EL3 */
        if (c->w.el == 0 && !escaped) {
            /* The EL0 probe's SVC #0x77 ends the run at EL1: the last exception seen. */
            unsigned svc_el = (c->hcr & HCR_TGE) ? 2 : 1;
            bool svc = n_seen >= 1 && n_seen <= MAX_SEEN && seen[n_seen - 1].el == svc_el &&
                       esr_ec(seen[n_seen - 1].esr) == 0x15 && esr_iss(seen[n_seen - 1].esr) == 0x77;
            report(svc, "%s: EL0 ran to its SVC", what);
            if (svc) {
                n_seen--;
            }
        }
        /* Taken on ERET with nothing masked: at the probe's first instruction. */
        bool at_entry = c->want_el >= 0 && (c->want_el > (int)c->w.el || c->w.unmask) && c->w.el != 3;
        expect_one(what, c->w, c->want_el, type, ~0ul, at_entry ? ADDR(probe) : 0);
    }
}

/* Virtual interrupts (HCR_EL2.VI/VF/VSE): only EL1/EL0 take them, whatever SCR_EL3 routes. */
static void test_virtual(void)
{
    Where el1u = NS(1, true), el1m = NS(1, false), el2u = NS(2, true), el0u = NS(0, true);
    uint64_t all = SCR_EL3_IRQ | SCR_EL3_FIQ | SCR_EL3_EA;

    run_at(el1u, probe_nop, 0, all, HCR_IMO | HCR_VI);
    expect_one("vIRQ (VI+IMO, SCR routes all to EL3) at EL1", el1u, 1, EXC_IRQ, ~0ul, ADDR(probe_nop));
    run_at(el1m, probe_nop, 0, all, HCR_IMO | HCR_VI);
    expect_one("vIRQ at EL1 masked by PSTATE.I", el1m, -1, 0, 0, 0);
    run_at(el1u, probe_nop, 0, 0, HCR_VI);
    expect_one("VI without IMO: no vIRQ", el1u, -1, 0, 0, 0);
    run_at(el1u, probe_nop, 0, all, HCR_FMO | HCR_VF);
    expect_one("vFIQ (VF+FMO) at EL1", el1u, 1, EXC_FIQ, ~0ul, ADDR(probe_nop));
    run_at(el0u, probe_nop, 0, all, HCR_FMO | HCR_VF);
    expect_one("vFIQ (VF+FMO) from EL0", el0u, 1, EXC_FIQ, ~0ul, ADDR(probe_nop));
    run_at(el2u, probe_nop, 0, 0, HCR_IMO | HCR_VI | HCR_FMO | HCR_VF | HCR_AMO | HCR_VSE);
    expect_one("VI/VF/VSE at EL2: not taken", el2u, -1, 0, 0, 0);
    write_sysreg(HCR_RW, HCR_EL2);

    run_at(el1u, probe_nop, 0, all, HCR_AMO | HCR_VSE);
    expect_one("vSError (VSE+AMO, SCR_EL3.EA=1) at EL1", el1u, 1, EXC_SERROR, ~0ul, ADDR(probe_nop));
    if (n_seen == 1) {
        report(esr_ec(seen[0].esr) == 0x2f, "vSError: ESR_EL1.EC = 0x%x (want 0x2f)", esr_ec(seen[0].esr));
    }
    /* Taking the virtual SError clears HCR_EL2.VSE. */
    write_sysreg(HCR_AMO | HCR_VSE | HCR_RW, HCR_EL2);
    isb();
    el3_call(probe_nop, 0, SPSR_EL1h, STACK_TOP(stack_el1), SCR_EL3_NS_EL2);
    report((read_sysreg(HCR_EL2) & HCR_VSE) == 0, "HCR_EL2.VSE cleared when the vSError is taken");
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
}

/* ------------------------------------------------------------ SMC, HVC, WFI */

static uint64_t sys_esr(unsigned ec, uint32_t iss)
{
    return EC(ec) | ESR_IL | iss;
}

#define UNDEF_ESR (EC(0) | ESR_IL)
#define WFI_ESR   (EC(0x01) | ESR_IL | (1ul << 24) | (0xeul << 20))
#define WFE_ESR   (WFI_ESR | 1)

static void test_smc_hvc(void)
{
    Where el0 = NS(0, false), el1 = NS(1, false), el2 = NS(2, false), el3 = NS(3, false), sel1 = SEC(1, false);
    uint64_t smc_esr = sys_esr(0x17, 0x1234), hvc_esr = sys_esr(0x16, 0x42);

    run_at(el2, probe_smc, 0, 0, 0);
    expect_one("SMC #0x1234 at EL2", el2, 3, EXC_SYNC, smc_esr, ADDR(probe_smc) + 4);
    run_at(el1, probe_smc, 0, 0, 0);
    expect_one("SMC at EL1", el1, 3, EXC_SYNC, smc_esr, ADDR(probe_smc) + 4);
    run_at(el3, probe_smc, 0, 0, 0);
    expect_one("SMC at EL3", el3, 3, EXC_SYNC, smc_esr, ADDR(probe_smc) + 4);
    run_at(sel1, probe_smc, 0, 0, 0);
    expect_one("SMC at Secure EL1", sel1, 3, EXC_SYNC, smc_esr, ADDR(probe_smc) + 4);
    run_at(el0, probe_smc, 0, 0, 0);
    expect_one("SMC at EL0: UNDEFINED", el0, 1, EXC_SYNC, UNDEF_ESR, ADDR(probe_smc));

    /* SCR_EL3.SMD: UNDEFINED at EL1, EL2, EL3 (probe_smc_wfi leaves through a trapped WFI). */
    run_at(el2, probe_smc_wfi, 0, SCR_EL3_SMD | SCR_EL3_TWI, 0);
    expect_one("SCR_EL3.SMD: SMC at EL2 UNDEFINED", el2, 2, EXC_SYNC, UNDEF_ESR, ADDR(probe_smc_wfi));
    run_at(el1, probe_smc_wfi, 0, SCR_EL3_SMD | SCR_EL3_TWI, 0);
    expect_one("SCR_EL3.SMD: SMC at EL1 UNDEFINED", el1, 1, EXC_SYNC, UNDEF_ESR, ADDR(probe_smc_wfi));
    run_at(el3, probe_smc, 0, SCR_EL3_SMD, 0);
    expect_one("SCR_EL3.SMD: SMC at EL3 UNDEFINED", el3, 3, EXC_SYNC, UNDEF_ESR, ADDR(probe_smc));

    /* HCR_EL2.TSC: EL1's SMC to EL2, ELR = the SMC, even with SMD. */
    run_at(el1, probe_smc_wfi, 0, SCR_EL3_TWI, HCR_TSC);
    expect_one("HCR_EL2.TSC: SMC at EL1 trapped to EL2", el1, 2, EXC_SYNC, smc_esr, ADDR(probe_smc_wfi));
    run_at(el1, probe_smc_wfi, 0, SCR_EL3_SMD | SCR_EL3_TWI, HCR_TSC);
    expect_one("HCR_EL2.TSC before SCR_EL3.SMD at EL1", el1, 2, EXC_SYNC, smc_esr, ADDR(probe_smc_wfi));
    run_at(el2, probe_smc, 0, 0, HCR_TSC);
    expect_one("HCR_EL2.TSC: EL2's SMC still to EL3", el2, 3, EXC_SYNC, smc_esr, ADDR(probe_smc) + 4);
    run_at(sel1, probe_smc, 0, 0, HCR_TSC);
    expect_one("HCR_EL2.TSC ignored in Secure EL1", sel1, 3, EXC_SYNC, smc_esr, ADDR(probe_smc) + 4);

    /* HVC: SCR_EL3.HCE. */
    run_at(el1, probe_hvc, 0, 0, 0);
    expect_one("HVC #0x42 at EL1", el1, 2, EXC_SYNC, hvc_esr, ADDR(probe_hvc) + 4);
    run_at(el2, probe_hvc, 0, 0, 0);
    expect_one("HVC at EL2", el2, 2, EXC_SYNC, hvc_esr, ADDR(probe_hvc) + 4);
    run_at(sel1, probe_hvc_wfi, 0, SCR_EL3_TWI, 0);
    expect_one("HVC at Secure EL1 UNDEFINED", sel1, 1, EXC_SYNC, UNDEF_ESR, ADDR(probe_hvc_wfi));
    run_at(el0, probe_hvc, 0, 0, 0);
    expect_one("HVC at EL0 UNDEFINED", el0, 1, EXC_SYNC, UNDEF_ESR, ADDR(probe_hvc));
    /* SCR_EL3.HCE = 0 (el3_call would set it: write SCR_EL3 by hand) */
    {
        uint64_t scr = SCR_EL3_NS | SCR_EL3_RES1 | SCR_EL3_RW;
        write_sysreg(HCR_RW, HCR_EL2);
        n_seen = 0;
        write_sysreg(scr, SCR_EL3);
        isb();
        el_call_lower(probe_hvc, 0, SPSR_EL1h | SPSR_DAIF, STACK_TOP(stack_el1));
        expect_one("SCR_EL3.HCE=0: HVC at EL1 UNDEFINED", el1, 1, EXC_SYNC, UNDEF_ESR, ADDR(probe_hvc));
        n_seen = 0;
        el_call_lower(probe_hvc, 0, SPSR_EL2h | SPSR_DAIF, STACK_TOP(stack_el2));
        expect_one("SCR_EL3.HCE=0: HVC at EL2 UNDEFINED", el2, 2, EXC_SYNC, UNDEF_ESR, ADDR(probe_hvc));
        n_seen = 0;
        probe_hvc(0);
        expect_one("SCR_EL3.HCE=0: HVC at EL3 UNDEFINED", el3, 3, EXC_SYNC, UNDEF_ESR, ADDR(probe_hvc));
        write_sysreg(SCR_EL3_NS_EL2, SCR_EL3);
        isb();
    }
}

static void test_wfi(void)
{
    Where el0 = NS(0, false), el1 = NS(1, false), el2 = NS(2, false);
    write_sysreg(SCTLR_EL1_RES1 | SCTLR_nTWI | SCTLR_nTWE, SCTLR_EL1);
    run_at(el2, probe_wfi, 0, SCR_EL3_TWI, 0);
    expect_one("SCR_EL3.TWI: WFI at EL2", el2, 3, EXC_SYNC, WFI_ESR, ADDR(probe_wfi));
    run_at(el1, probe_wfi, 0, SCR_EL3_TWI, 0);
    expect_one("SCR_EL3.TWI: WFI at EL1", el1, 3, EXC_SYNC, WFI_ESR, ADDR(probe_wfi));
    run_at(el1, probe_wfi, 0, SCR_EL3_TWI, HCR_TWI);
    expect_one("HCR_EL2.TWI before SCR_EL3.TWI at EL1", el1, 2, EXC_SYNC, WFI_ESR, ADDR(probe_wfi));
    run_at(el0, probe_wfi, 0, SCR_EL3_TWI, 0);
    expect_one("SCR_EL3.TWI: WFI at EL0 (SCTLR_EL1.nTWI=1)", el0, 3, EXC_SYNC, WFI_ESR, ADDR(probe_wfi));
    write_sysreg(SCTLR_EL1_RES1 | SCTLR_nTWE, SCTLR_EL1);
    run_at(el0, probe_wfi, 0, SCR_EL3_TWI, HCR_TWI);
    expect_one("SCTLR_EL1.nTWI=0 before HCR_EL2.TWI and SCR_EL3.TWI at EL0", el0, 1, EXC_SYNC, WFI_ESR,
               ADDR(probe_wfi));
    write_sysreg(SCTLR_EL1_RES1 | SCTLR_nTWI | SCTLR_nTWE, SCTLR_EL1);
    if (!route_strict) {
        return;
    }
    /*
     * WFE traps only when it would wait (the AArch64 WFE pseudocode checks the
     * Event Register first): probe_wfe's SEVL; WFE consumes the event, its
     * second WFE is the one trapped. EC 0x01 with TI = 1.
     */
    run_at(el2, probe_wfe, 0, SCR_EL3_TWE, 0);
    expect_one("SCR_EL3.TWE: WFE at EL2", el2, 3, EXC_SYNC, WFE_ESR, ADDR(probe_wfe) + 8);
    run_at(el1, probe_wfe, 0, SCR_EL3_TWE, 0);
    expect_one("SCR_EL3.TWE: WFE at EL1", el1, 3, EXC_SYNC, WFE_ESR, ADDR(probe_wfe) + 8);
    run_at(el1, probe_wfe, 0, SCR_EL3_TWE, HCR_TWE);
    expect_one("HCR_EL2.TWE before SCR_EL3.TWE at EL1", el1, 2, EXC_SYNC, WFE_ESR, ADDR(probe_wfe) + 8);
    run_at(el0, probe_wfe, 0, SCR_EL3_TWE, 0);
    expect_one("SCR_EL3.TWE: WFE at EL0 (SCTLR_EL1.nTWE=1)", el0, 3, EXC_SYNC, WFE_ESR, ADDR(probe_wfe) + 8);
    write_sysreg(SCTLR_EL1_RES1 | SCTLR_nTWI, SCTLR_EL1);
    run_at(el0, probe_wfe, 0, SCR_EL3_TWE, HCR_TWE);
    expect_one("SCTLR_EL1.nTWE=0 before HCR_EL2.TWE and SCR_EL3.TWE at EL0", el0, 1, EXC_SYNC, WFE_ESR,
               ADDR(probe_wfe) + 8);
    write_sysreg(SCTLR_EL1_RES1 | SCTLR_nTWI | SCTLR_nTWE, SCTLR_EL1);
    run_at(el2, probe_wfe_set, 0, SCR_EL3_TWE, 0);
    expect_one("SCR_EL3.TWE: WFE with the Event Register set is not trapped", el2, -1, 0, 0, 0);
}

/*
 * SCR_EL3.ST and the Security state: CNTPS_CTL_EL1 (the secure physical
 * timer) is UNDEFINED at Non-secure EL1, trapped to EL3 (EC 0x18) at
 * Secure EL1 unless SCR_EL3.ST = 1.
 */
static void test_cntps(void)
{
    Where el1 = NS(1, false), sel1 = SEC(1, false), el3 = NS(3, false);
    uint64_t esr = sys_esr(0x18, 3u << 20 | 1u << 17 | 7u << 14 | 14u << 10 | 1u << 5 | 2u << 1 | 1);
    run_at(el1, probe_cntps, 0, SCR_EL3_ST, 0);
    expect_one("CNTPS_CTL_EL1 at Non-secure EL1: UNDEFINED", el1, 1, EXC_SYNC, UNDEF_ESR, ADDR(probe_cntps));
    run_at(sel1, probe_cntps, 0, 0, 0);
    expect_one("CNTPS_CTL_EL1 at Secure EL1, SCR_EL3.ST=0: trapped to EL3", sel1, 3, EXC_SYNC, esr,
               ADDR(probe_cntps));
    run_at(sel1, probe_cntps, 0, SCR_EL3_ST, 0);
    expect_one("CNTPS_CTL_EL1 at Secure EL1, SCR_EL3.ST=1", sel1, -1, 0, 0, 0);
    run_at(el3, probe_cntps, 0, 0, 0);
    expect_one("CNTPS_CTL_EL1 at EL3", el3, -1, 0, 0, 0);
}

/* ------------------------------------------------------------ SCR_EL3.RW, ERET */

static void test_eret(void)
{
    uint64_t pfr0 = read_sysreg(ID_AA64PFR0_EL1);
    bool el1_aa32 = ((pfr0 >> 4) & 0xf) == 2;
    /* SCR_EL3.RW is RAO/WI when EL1 has no AArch32 (Tandem), else RW (QEMU's max has AArch32 at EL1/EL2). */
    write_sysreg(SCR_EL3_NS | SCR_EL3_RES1 | SCR_EL3_HCE, SCR_EL3);
    isb();
    bool rw = (read_sysreg(SCR_EL3) & SCR_EL3_RW) != 0;
    report(rw == !el1_aa32, "SCR_EL3.RW after writing 0 reads %d (ID_AA64PFR0_EL1.EL1 = %lu)", rw,
           (pfr0 >> 4) & 0xf);
    write_sysreg(SCR_EL3_NS_EL2, SCR_EL3);
    isb();

    static const struct { const char *what; uint64_t spsr; bool secure; uint64_t want; } ok[] = {
        { "ERET EL3 -> EL2h", SPSR_EL2h, false, 2 << 2 | 1 << 4 },
        { "ERET EL3 -> EL2t", 0x8, false, 2 << 2 },
        { "ERET EL3 -> EL1h", SPSR_EL1h, false, 1 << 2 | 1 << 4 },
        { "ERET EL3 -> EL1t", 0x4, false, 1 << 2 },
        { "ERET EL3 -> Secure EL1h", SPSR_EL1h, true, 1 << 2 | 1 << 4 },
        { "ERET EL3 -> EL3h", SPSR_EL3h, false, 3 << 2 | 1 << 4 },
    };
    for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        uint64_t scr = ok[i].secure ? SCR_S : SCR_EL3_NS_EL2;
        uint64_t stack = ok[i].spsr == SPSR_EL3h ? 0 : STACK_TOP(stack_el1);
        if ((ok[i].spsr >> 2) == 2) {
            stack = STACK_TOP(stack_el2);
        }
        n_seen = 0;
        uint64_t r = el3_call(probe_where, 0, ok[i].spsr | SPSR_DAIF, stack, scr);
        /* Returns from EL3h come back through the EL3 handler: seen once (SMC #0xfff at EL3). */
        report((r & 0x1c) == ok[i].want && (r & 0x3c0) == SPSR_DAIF,
               "%s: CurrentEL/SPSel = 0x%lx (want 0x%lx), DAIF = 0x%lx", ok[i].what, r & 0x1c, ok[i].want,
               r & 0x3c0);
    }
    write_sysreg(SCR_EL3_NS_EL2, SCR_EL3);

    /* EL0t straight from EL3: probe_svc77's SVC reaches EL1 from EL0. */
    n_seen = 0;
    el3_call(probe_svc77, 0, SPSR_EL0t | SPSR_DAIF, STACK_TOP(stack_el0), SCR_EL3_NS_EL2);
    expect_one("ERET EL3 -> EL0t, SVC #0x77", (Where)NS(0, false), 1, EXC_SYNC, sys_esr(0x15, 0x77),
               ADDR(probe_svc77) + 4);

    /* Illegal exception returns: PSTATE.IL, EL unchanged, EC 0x0E at EL3 on the target instruction. */
    static const struct { const char *what; uint64_t spsr; uint64_t scr; } bad[] = {
        { "ERET to EL2h in Secure state (EL2 not enabled)", SPSR_EL2h, SCR_S },
        { "ERET to a reserved mode (EL0 with SP_EL0 bit set: M = 0b0001)", 0x1, SCR_EL3_NS_EL2 },
        { "ERET to AArch32 EL1 (SPSR.M[4] = 1, no AArch32)", 0x13, SCR_EL3_NS_EL2 },
        { "ERET to EL2h reserved M = 0b1010", 0xa, SCR_EL3_NS_EL2 },
    };
    unsigned nbad = sizeof(bad) / sizeof(bad[0]);
    for (unsigned i = 0; i <= nbad; i++) {
        const char *what;
        uint64_t spsr, scr;
        if (i < nbad) {
            what = bad[i].what, spsr = bad[i].spsr, scr = bad[i].scr;
        } else if (el1_aa32) {
            /* SCR_EL3.RW = 0 makes EL1 AArch32: an AArch64 EL1 SPSR is an illegal return. */
            what = "ERET to AArch64 EL1h with SCR_EL3.RW = 0", spsr = SPSR_EL1h;
            scr = SCR_EL3_NS | SCR_EL3_RES1 | SCR_EL3_HCE;
        } else {
            break;
        }
        n_seen = 0;
        el3_call(probe_where, 0, spsr | PSR_F, STACK_TOP(stack_el1), scr);
        Where w3 = NS(3, false);
        expect_one(what, w3, 3, EXC_SYNC, EC(0x0e) | ESR_IL, ADDR(probe_where));
        if (n_seen == 1) {
            report((seen[0].spsr & PSR_IL) && (seen[0].spsr & 0x3c0) == PSR_F,
                   "%s: SPSR_EL3.IL = 1, DAIF from the ERET's SPSR (SPSR_EL3 = 0x%lx)", what, seen[0].spsr);
        }
    }
    write_sysreg(SCR_EL3_NS_EL2, SCR_EL3);
    isb();

    /* An ERET to a higher EL is illegal too: the EL stays, EC 0x0E there. */
    Where el2 = NS(2, false), el1 = NS(1, false);
    run_at(el2, probe_eret_up2, 0, 0, 0);
    expect_one("ERET at EL2 to EL3h: illegal", el2, 2, EXC_SYNC, EC(0x0e) | ESR_IL, ADDR(probe_eret_up2) + 20);
    if (n_seen == 1) {
        report((seen[0].spsr & PSR_IL) && (seen[0].spsr & 0xf) == SPSR_EL2h, "ERET at EL2 to EL3h: SPSR_EL2 = 0x%lx",
               seen[0].spsr);
    }
    run_at(el1, probe_eret_up1, 0, 0, 0);
    expect_one("ERET at EL1 to EL2h: illegal", el1, 1, EXC_SYNC, EC(0x0e) | ESR_IL, ADDR(probe_eret_up1) + 20);
}

/*
 * SCR_EL3.EA routes synchronous External aborts from EL0-EL2 to EL3
 * (AArch64.Abort: route_to_el3). The load is from a hole in the virt
 * memory map (between the GPIO and the secure UART): a decode error, i.e.
 * a synchronous External abort (DFSC 0x10), FAR = the address. Only EC,
 * DFSC and WnR are compared: ISV for stage-1 aborts differs (guests/ldst-align).
 */
#define HOLE_PA 0x09038000ul

static void expect_sea(const char *what, Where w, int want_el)
{
    expect_one(what, w, want_el, EXC_SYNC, ~0ul, ADDR(probe_load));
    if (n_seen != 1) {
        return;
    }
    unsigned want_ec = (unsigned)want_el == w.el ? 0x25 : 0x24;
    report(esr_ec(seen[0].esr) == want_ec && (seen[0].esr & 0x7f) == 0x10,
           "%s: EC 0x%x (want 0x%x), DFSC 0x%lx (want 0x10, WnR 0)", what, esr_ec(seen[0].esr), want_ec,
           seen[0].esr & 0x7f);
    report(seen[0].far == HOLE_PA, "%s: FAR_EL%d = 0x%lx", what, want_el, seen[0].far);
}

static void test_external_abort(void)
{
    Where el1 = NS(1, false), el2 = NS(2, false), el3 = NS(3, false), sel1 = SEC(1, false);
    run_at(el2, probe_load, HOLE_PA, 0, 0);
    expect_sea("External abort at EL2, SCR_EL3.EA=0", el2, 2);
    run_at(el1, probe_load, HOLE_PA, 0, 0);
    expect_sea("External abort at EL1, SCR_EL3.EA=0", el1, 1);
    run_at(el3, probe_load, HOLE_PA, SCR_EL3_EA, 0);
    expect_sea("External abort at EL3", el3, 3);
    if (!route_strict) {
        return;
    }
    run_at(el2, probe_load, HOLE_PA, SCR_EL3_EA, 0);
    expect_sea("External abort at EL2, SCR_EL3.EA=1", el2, 3);
    run_at(el1, probe_load, HOLE_PA, SCR_EL3_EA, 0);
    expect_sea("External abort at EL1, SCR_EL3.EA=1", el1, 3);
    run_at(sel1, probe_load, HOLE_PA, SCR_EL3_EA, 0);
    expect_sea("External abort at Secure EL1, SCR_EL3.EA=1", sel1, 3);
}

/* ------------------------------------------------------------ memory under secure=on */

static void test_memory(void)
{
    volatile uint64_t *secram = (volatile uint64_t *)0x0e000000ul;
    secram[0] = 0x5ec0de5ec0de0001ul;
    secram[0x1fffff] = 0x5ec0de5ec0de0002ul;
    dsb(sy);
    report(secram[0] == 0x5ec0de5ec0de0001ul && secram[0x1fffff] == 0x5ec0de5ec0de0002ul,
           "secure RAM at 0x0e000000 (16 MiB) readable and writable at EL3");
    /* Firmware boot (-bios, no -kernel): the board's DTB at the bottom of RAM (QEMU hw/arm/boot.c). */
    const void *dtb = (const void *)0x40000000ul;
    report(fdt_valid(dtb), "a device tree at 0x40000000 (magic 0x%x)", fdt_be32(dtb));
    uint32_t len = 0;
    const void *reg = fdt_valid(dtb) ? fdt_getprop_path(dtb, "/memory", "reg", &len) : NULL;
    report(reg && len == 16 && fdt_be64(reg) == 0x40000000ul, "its /memory starts at 0x40000000 (len %u)", len);
}

/* Strict only, and last: QEMU 7.2 takes it to EL2 and does not come back. */
static void test_hvc_el3(void)
{
    Where el3 = NS(3, false);
    run_at(el3, probe_hvc, 0, SCR_EL3_HCE, 0);
    expect_one("HVC at EL3 (HCE=1) taken to EL3", el3, 3, EXC_SYNC, sys_esr(0x16, 0x42), ADDR(probe_hvc) + 4);
}

void guest_run(void)
{
    report(current_el() == 3, "entered at EL3");
    exc_set_handler(1, on_exception);
    exc_set_handler(2, on_exception);
    exc_set_handler(3, on_exception);
    write_sysreg(HCR_RW, HCR_EL2);
    write_sysreg(0x33ff, CPTR_EL2);
    write_sysreg(3ul << 20, CPACR_EL1);
    write_sysreg(SCTLR_EL1_RES1 | SCTLR_nTWI | SCTLR_nTWE, SCTLR_EL1);
    write_sysreg(SCR_EL3_NS_EL2, SCR_EL3);
    isb();
    gic_init();
    test_memory();
    test_smc_hvc();
    test_wfi();
    test_cntps();
    test_eret();
    test_interrupts();
    test_virtual();
    test_external_abort();
    if (route_strict) {
        test_hvc_el3();
    }
}
