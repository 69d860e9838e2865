/*
 * fp-el3: the EL3 controls of FP/AdvSIMD and of the coprocessor-access
 * registers, from a guest that is the firmware (entered at EL3 from the
 * flash: -M virt,secure=on,virtualization=on -bios fp-el3.img).
 *
 *  - CPTR_EL3.TFP traps FP/AdvSIMD instructions and FP system-register
 *    accesses from EL0, EL1, EL2 and EL3 itself to EL3 (Arm ARM
 *    AArch64.CheckFPAdvSIMDTrap, AArch64.AdvSIMDFPAccessTrap): EC 0x07,
 *    IL = 1, ISS CV = 1, COND = 0b1110 (ConditionSyndrome() for AArch64),
 *    ELR_EL3 = the instruction, SPSR_EL3.M = where it came from, the
 *    vector of the current EL (EL3) or of a lower AArch64 EL.
 *  - Priority: the checks run CPACR_EL1.FPEN (EL0/EL1, not in host), then
 *    CPTR_EL2 (TFP with E2H = 0, FPEN with E2H = 1; only when EL2 is
 *    enabled, i.e. SCR_EL3.NS = 1), then CPTR_EL3.TFP: a lower EL's trap
 *    wins. In Secure state (NS = 0) CPTR_EL2 has no effect.
 *  - CPTR_EL3.TCPAC traps CPACR_EL1 accesses from EL1 and EL2 (CPTR_EL2 at
 *    EL1 with CPTR_EL2.TCPAC wins) and CPTR_EL2 accesses from EL2 to EL3,
 *    EC 0x18 with the access's ISS; CPACR_EL12 and the E2H redirection of
 *    CPACR_EL1 to CPTR_EL2 are trapped too; EL3's own accesses are not.
 *  - CPTR_EL3.EZ: SVE instructions trapped to EL3 (EC 0x19) after the
 *    CPACR_EL1.ZEN/FPEN and CPTR_EL2.TZ checks (CheckSVEEnabled); without
 *    SVE in ID_AA64PFR0_EL1 (Tandem's -cpu max) they are UNDEFINED.
 *  - CPTR_EL3.TTA: traps System-register accesses to the trace unit. With
 *    no trace unit (ID_AA64DFR0_EL1.TraceVer = 0) and no FEAT_TRF the trace
 *    registers do not exist: their encodings are UNDEFINED at the current
 *    EL whatever TTA says (nothing reaches EL3).
 */
#include "guest.h"
#include "el2.h"

#define CPTR_TTA   (1ul << 20)
#define CPTR2_RES1 0x33fful          /* E2H = 0 layout, TZ set (no SVE use) */
#define CPACR_FPEN(v) ((uint64_t)(v) << 20)
#define FP_ESR  ((0x07ul << 26) | (1ul << 25) | (1ul << 24) | (0xeul << 20))
#define SCR_S_EL1 (SCR_EL3_RES1 | SCR_EL3_RW)   /* Secure EL1, AArch64 */

static uint8_t stack_el2[8192] __attribute__((aligned(16)));
static uint8_t stack_el1[8192] __attribute__((aligned(16)));
static uint8_t stack_el0[8192] __attribute__((aligned(16)));

typedef uint64_t (*probe_fn)(uint64_t);
uint64_t probe_fmov(uint64_t), probe_mrs_fpcr(uint64_t), probe_mrs_cpacr(uint64_t),
         probe_msr_cpacr(uint64_t), probe_mrs_cptr2(uint64_t), probe_msr_cptr2(uint64_t),
         probe_mrs_cpacr12(uint64_t), probe_mrs_trc(uint64_t), probe_mrs_trfcr(uint64_t), probe_rdvl(uint64_t);

/* The last trap seen by any EL's handler. */
static volatile unsigned seen_count, seen_el, seen_kind;
static volatile uint64_t seen_esr, seen_elr, seen_spsr;

static bool trap_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    unsigned ec = esr_ec(f->esr);
    if ((kind & 3) != EXC_SYNC || (ec != 0x07 && ec != 0x18 && ec != 0x19 && ec != 0x00)) {
        return false;
    }
    seen_count++;
    seen_el = el;
    seen_kind = kind;
    seen_esr = f->esr;
    seen_elr = f->elr;
    seen_spsr = f->spsr;
    f->elr += 4;     /* skip the trapped instruction */
    return true;
}

/* What a test sets up: the controls, where the probe runs, the state. */
typedef struct Setup {
    unsigned el;          /* 0..3 */
    bool secure;          /* SCR_EL3.NS = 0 (EL1/EL0 only) */
    uint64_t cpacr, cptr2, hcr, cptr3;
} Setup;

static probe_fn el0_probe;
static uint64_t el0_arg;

static uint64_t el1_to_el0(uint64_t unused)
{
    return el_call_lower(el0_probe, el0_arg, SPSR_EL0t, (uint64_t)(uintptr_t)(stack_el0 + sizeof(stack_el0)));
}

static uint64_t run_probe(const Setup *s, probe_fn probe, uint64_t arg)
{
    uint64_t scr = s->secure ? SCR_S_EL1 : SCR_EL3_NS_EL2;
    /* E2H first: the CPTR_EL2 layout follows it. */
    write_sysreg(s->hcr | HCR_RW, HCR_EL2);
    isb();
    write_sysreg(s->cptr2, CPTR_EL2);
    write_sysreg(s->cpacr, CPACR_EL1);
    isb();
    seen_count = 0;
    seen_el = 9;
    uint64_t r;
    switch (s->el) {
    case 3:
        write_sysreg(s->cptr3, CPTR_EL3);
        isb();
        r = probe(arg);
        write_sysreg(0, CPTR_EL3);
        isb();
        break;
    case 2:
        write_sysreg(s->cptr3, CPTR_EL3);
        r = el3_call(probe, arg, SPSR_EL2h | SPSR_DAIF, (uint64_t)(uintptr_t)(stack_el2 + sizeof(stack_el2)), scr);
        break;
    case 1:
        write_sysreg(s->cptr3, CPTR_EL3);
        r = el3_call(probe, arg, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(stack_el1 + sizeof(stack_el1)), scr);
        break;
    default:
        el0_probe = probe;
        el0_arg = arg;
        write_sysreg(s->cptr3, CPTR_EL3);
        r = el3_call(el1_to_el0, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(stack_el1 + sizeof(stack_el1)), scr);
        break;
    }
    write_sysreg(0, CPTR_EL3);
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
    write_sysreg(CPTR2_RES1, CPTR_EL2);
    write_sysreg(CPACR_FPEN(3), CPACR_EL1);
    isb();
    return r;
}

static const uint64_t spsr_m[4] = { SPSR_EL0t, SPSR_EL1h, SPSR_EL2h, SPSR_EL3h };

/*
 * Check one configuration: want_el < 0 means no trap; otherwise exactly one
 * trap to want_el with ESR want_esr, ELR = the probe, and (at EL3) SPSR_EL3.M
 * and the vector of the source.
 */
static void check(const char *what, const Setup *s, probe_fn probe, int want_el, uint64_t want_esr)
{
    uint64_t r = run_probe(s, probe, 0);
    if (want_el < 0) {
        report(seen_count == 0 && r == 1, "%s: not trapped (%u traps, last to EL%u ESR=0x%lx)", what, seen_count,
               seen_el, seen_esr);
        return;
    }
    report(seen_count == 1 && seen_el == (unsigned)want_el, "%s: trapped to EL%d (%u traps, last to EL%u)", what,
           want_el, seen_count, seen_el);
    if (seen_count != 1) {
        return;
    }
    report(seen_esr == want_esr, "%s: ESR_EL%d = 0x%lx (want 0x%lx)", what, want_el, seen_esr, want_esr);
    report(seen_elr == (uint64_t)(uintptr_t)probe, "%s: ELR_EL%d = the instruction (0x%lx, want 0x%lx)", what,
           want_el, seen_elr, (uint64_t)(uintptr_t)probe);
    unsigned want_kind = (unsigned)want_el == s->el ? EXC_KIND(EXC_FROM_SPX, EXC_SYNC)
                                                    : EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC);
    report(seen_kind == want_kind && (seen_spsr & 0xf) == spsr_m[s->el],
           "%s: from EL%u: vector kind %u (want %u), SPSR.M = 0x%lx", what, s->el, seen_kind, want_kind,
           seen_spsr & 0xf);
}

/* EC 0x18 ISS of an MRS/MSR: Op0, Op2, Op1, CRn, Rt, CRm, direction (1 = read). */
static uint64_t sys_esr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt, bool read)
{
    uint64_t iss = (uint64_t)op0 << 20 | (uint64_t)op2 << 17 | (uint64_t)op1 << 14 | (uint64_t)crn << 10 |
                   (uint64_t)rt << 5 | (uint64_t)crm << 1 | (read ? 1 : 0);
    return (0x18ul << 26) | (1ul << 25) | iss;
}

#define UNDEF_ESR ((0x00ul << 26) | (1ul << 25))

static bool have_vhe(void)
{
    return ((read_sysreg(ID_AA64MMFR1_EL1) >> 8) & 0xf) != 0;
}

static void test_tfp(void)
{
    static const char *const names[4] = { "EL0", "EL1", "EL2", "EL3" };
    char what[96];
    /* CPTR_EL3.TFP alone traps every EL, FP instructions and FPCR alike. */
    for (unsigned el = 0; el < 4; el++) {
        Setup s = { .el = el, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1, .cptr3 = CPTR_TFP };
        snprintf(what, sizeof(what), "CPTR_EL3.TFP, FMOV at %s", names[el]);
        check(what, &s, probe_fmov, 3, FP_ESR);
        snprintf(what, sizeof(what), "CPTR_EL3.TFP, MRS FPCR at %s", names[el]);
        check(what, &s, probe_mrs_fpcr, 3, FP_ESR);
        s.cptr3 = 0;
        snprintf(what, sizeof(what), "CPTR_EL3.TFP = 0, FMOV at %s", names[el]);
        check(what, &s, probe_fmov, -1, 0);
    }
    /* The lower ELs' controls do not reach EL3. */
    Setup s3 = { .el = 3, .cpacr = 0, .cptr2 = CPTR2_RES1 | CPTR_TFP };
    check("CPACR_EL1.FPEN = 0, CPTR_EL2.TFP = 1: EL3 not trapped", &s3, probe_fmov, -1, 0);

    /* Priority: the lowest EL's trap wins. */
    Setup p;
    p = (Setup){ .el = 0, .cpacr = CPACR_FPEN(1), .cptr2 = CPTR2_RES1 | CPTR_TFP, .cptr3 = CPTR_TFP };
    check("EL0: CPACR_EL1.FPEN = 01 before CPTR_EL2.TFP and CPTR_EL3.TFP", &p, probe_fmov, 1, FP_ESR);
    p = (Setup){ .el = 0, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1 | CPTR_TFP, .cptr3 = CPTR_TFP };
    check("EL0: CPTR_EL2.TFP before CPTR_EL3.TFP", &p, probe_fmov, 2, FP_ESR);
    p = (Setup){ .el = 1, .cpacr = CPACR_FPEN(0), .cptr2 = CPTR2_RES1 | CPTR_TFP, .cptr3 = CPTR_TFP };
    check("EL1: CPACR_EL1.FPEN = 00 before CPTR_EL2.TFP and CPTR_EL3.TFP", &p, probe_fmov, 1, FP_ESR);
    p = (Setup){ .el = 1, .cpacr = CPACR_FPEN(1), .cptr2 = CPTR2_RES1, .cptr3 = CPTR_TFP };
    check("EL1: CPACR_EL1.FPEN = 01 does not trap EL1, CPTR_EL3.TFP does", &p, probe_fmov, 3, FP_ESR);
    p = (Setup){ .el = 1, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1 | CPTR_TFP, .cptr3 = CPTR_TFP };
    check("EL1: CPTR_EL2.TFP before CPTR_EL3.TFP", &p, probe_mrs_fpcr, 2, FP_ESR);
    p = (Setup){ .el = 2, .cpacr = CPACR_FPEN(0), .cptr2 = CPTR2_RES1 | CPTR_TFP, .cptr3 = CPTR_TFP };
    check("EL2: CPTR_EL2.TFP before CPTR_EL3.TFP (CPACR_EL1 ignored)", &p, probe_fmov, 2, FP_ESR);
    p = (Setup){ .el = 2, .cpacr = CPACR_FPEN(0), .cptr2 = CPTR2_RES1, .cptr3 = CPTR_TFP };
    check("EL2: CPACR_EL1.FPEN = 00 ignored, CPTR_EL3.TFP traps", &p, probe_fmov, 3, FP_ESR);

    /* Secure EL1/EL0 (SCR_EL3.NS = 0): EL2 is not enabled, CPTR_EL2 has no effect. */
    p = (Setup){ .el = 1, .secure = true, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1 | CPTR_TFP,
                 .cptr3 = CPTR_TFP };
    check("Secure EL1: CPTR_EL2.TFP ignored, CPTR_EL3.TFP traps", &p, probe_fmov, 3, FP_ESR);
    p.cptr3 = 0;
    check("Secure EL1: CPTR_EL2.TFP ignored, nothing traps", &p, probe_fmov, -1, 0);
    p = (Setup){ .el = 0, .secure = true, .cpacr = CPACR_FPEN(1), .cptr2 = CPTR2_RES1 | CPTR_TFP,
                 .cptr3 = CPTR_TFP };
    check("Secure EL0: CPACR_EL1.FPEN = 01 before CPTR_EL3.TFP", &p, probe_fmov, 1, FP_ESR);

    /* CPTR_EL2 in the E2H = 1 layout (FEAT_VHE): FPEN [21:20]. */
    if (!have_vhe()) {
        report(false, "FEAT_VHE not advertised: E2H = 1 layout of CPTR_EL2 untested");
        return;
    }
    p = (Setup){ .el = 2, .hcr = HCR_E2H, .cpacr = 0, .cptr2 = CPACR_FPEN(0), .cptr3 = CPTR_TFP };
    check("EL2, E2H = 1: CPTR_EL2.FPEN = 00 before CPTR_EL3.TFP", &p, probe_fmov, 2, FP_ESR);
    p.cptr2 = CPACR_FPEN(3);
    check("EL2, E2H = 1: CPTR_EL2.FPEN = 11, CPTR_EL3.TFP traps", &p, probe_fmov, 3, FP_ESR);
    p = (Setup){ .el = 1, .hcr = HCR_E2H, .cpacr = CPACR_FPEN(3), .cptr2 = CPACR_FPEN(0), .cptr3 = CPTR_TFP };
    check("EL1, E2H = 1: CPTR_EL2.FPEN = 00 before CPTR_EL3.TFP", &p, probe_fmov, 2, FP_ESR);
    p = (Setup){ .el = 0, .hcr = HCR_E2H, .cpacr = CPACR_FPEN(3), .cptr2 = CPACR_FPEN(1), .cptr3 = CPTR_TFP };
    check("EL0, E2H = 1, TGE = 0: CPTR_EL2.FPEN = 01 does not trap, CPTR_EL3.TFP does", &p, probe_fmov, 3, FP_ESR);
}

static void test_tcpac(void)
{
    uint64_t cpacr_rd1 = sys_esr(3, 0, 1, 0, 2, 1, true);
    uint64_t cpacr_wr0 = sys_esr(3, 0, 1, 0, 2, 0, false);
    uint64_t cptr2_rd1 = sys_esr(3, 4, 1, 1, 2, 1, true);
    uint64_t cptr2_wr0 = sys_esr(3, 4, 1, 1, 2, 0, false);
    uint64_t cpacr12_rd1 = sys_esr(3, 5, 1, 0, 2, 1, true);
    Setup s;

    s = (Setup){ .el = 1, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1, .cptr3 = CPTR_TCPAC };
    check("CPTR_EL3.TCPAC: MRS CPACR_EL1 at EL1", &s, probe_mrs_cpacr, 3, cpacr_rd1);
    check("CPTR_EL3.TCPAC: MSR CPACR_EL1 at EL1", &s, probe_msr_cpacr, 3, cpacr_wr0);
    check("CPTR_EL3.TCPAC: FMOV at EL1 not trapped", &s, probe_fmov, -1, 0);
    s.cptr2 = CPTR2_RES1 | CPTR_TCPAC;
    check("CPTR_EL2.TCPAC before CPTR_EL3.TCPAC: MRS CPACR_EL1 at EL1", &s, probe_mrs_cpacr, 2, cpacr_rd1);
    s.cptr3 = 0;
    check("CPTR_EL2.TCPAC alone: MSR CPACR_EL1 at EL1", &s, probe_msr_cpacr, 2, cpacr_wr0);
    s = (Setup){ .el = 1, .secure = true, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1 | CPTR_TCPAC };
    check("Secure EL1: CPTR_EL2.TCPAC ignored", &s, probe_mrs_cpacr, -1, 0);
    s.cptr3 = CPTR_TCPAC;
    check("Secure EL1: CPTR_EL3.TCPAC traps MRS CPACR_EL1", &s, probe_mrs_cpacr, 3, cpacr_rd1);

    s = (Setup){ .el = 2, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1, .cptr3 = CPTR_TCPAC };
    check("CPTR_EL3.TCPAC: MRS CPTR_EL2 at EL2", &s, probe_mrs_cptr2, 3, cptr2_rd1);
    check("CPTR_EL3.TCPAC: MSR CPTR_EL2 at EL2", &s, probe_msr_cptr2, 3, cptr2_wr0);
    check("CPTR_EL3.TCPAC: MRS CPACR_EL1 at EL2", &s, probe_mrs_cpacr, 3, cpacr_rd1);
    s.cptr2 = CPTR2_RES1 | CPTR_TCPAC;
    s.cptr3 = 0;
    check("CPTR_EL2.TCPAC does not trap EL2's own MRS CPACR_EL1", &s, probe_mrs_cpacr, -1, 0);
    s = (Setup){ .el = 3, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1, .cptr3 = CPTR_TCPAC };
    check("CPTR_EL3.TCPAC: EL3's MRS CPACR_EL1 not trapped", &s, probe_mrs_cpacr, -1, 0);
    check("CPTR_EL3.TCPAC: EL3's MRS CPTR_EL2 not trapped", &s, probe_mrs_cptr2, -1, 0);

    if (have_vhe()) {
        s = (Setup){ .el = 2, .hcr = HCR_E2H, .cpacr = CPACR_FPEN(3), .cptr2 = CPACR_FPEN(3), .cptr3 = CPTR_TCPAC };
        check("E2H = 1: CPTR_EL3.TCPAC traps MRS CPACR_EL1 (= CPTR_EL2) at EL2", &s, probe_mrs_cpacr, 3, cpacr_rd1);
        check("E2H = 1: CPTR_EL3.TCPAC traps MRS CPACR_EL12 at EL2", &s, probe_mrs_cpacr12, 3, cpacr12_rd1);
    }
}

static void test_tta(void)
{
    uint64_t dfr0 = read_sysreg(ID_AA64DFR0_EL1);
    unsigned tracever = (dfr0 >> 4) & 0xf, tracefilt = (dfr0 >> 40) & 0xf;
    report(tracever == 0, "ID_AA64DFR0_EL1.TraceVer = %u (no System-register trace unit)", tracever);
    report(tracefilt == 0, "ID_AA64DFR0_EL1.TraceFilt = %u (no FEAT_TRF)", tracefilt);
    if (tracever || tracefilt) {
        return;
    }
    /* The trace registers do not exist: UNDEFINED at the current EL, TTA or not. */
    for (unsigned el = 1; el <= 2; el++) {
        Setup s = { .el = el, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_RES1, .cptr3 = CPTR_TTA };
        char what[80];
        snprintf(what, sizeof(what), "CPTR_EL3.TTA, no trace unit: MRS TRCPRGCTLR at EL%u UNDEFINED", el);
        check(what, &s, probe_mrs_trc, (int)el, UNDEF_ESR);
        snprintf(what, sizeof(what), "CPTR_EL3.TTA, no FEAT_TRF: MRS TRFCR_EL1 at EL%u UNDEFINED", el);
        check(what, &s, probe_mrs_trfcr, (int)el, UNDEF_ESR);
    }
}

/*
 * SVE (CheckSVEEnabled): CPACR_EL1.ZEN, then FPEN, then CPTR_EL2.TZ/TFP, then
 * CPTR_EL3.EZ (0 = trap, EC 0x19) and TFP. RDVL is the SVE instruction.
 */
#define SVE_ESR ((0x19ul << 26) | (1ul << 25))
#define CPTR_EZ (1ul << 8)
#define CPTR2_NO_TZ 0x32fful
#define CPACR_ZEN(v) ((uint64_t)(v) << 16)

static void test_sve(void)
{
    uint64_t en = CPACR_ZEN(3) | CPACR_FPEN(3);
    Setup s;
    if (((read_sysreg(ID_AA64PFR0_EL1) >> 32) & 0xf) == 0) {
        /* No SVE (Tandem's -cpu max): RDVL is UNDEFINED, CPTR_EL3.EZ = 0 traps nothing. */
        s = (Setup){ .el = 3, .cpacr = en, .cptr2 = CPTR2_NO_TZ, .cptr3 = 0 };
        check("no SVE: RDVL at EL3 UNDEFINED whatever CPTR_EL3.EZ", &s, probe_rdvl, 3, UNDEF_ESR);
        s.el = 2;
        check("no SVE: RDVL at EL2 UNDEFINED whatever CPTR_EL3.EZ", &s, probe_rdvl, 2, UNDEF_ESR);
        return;
    }
    s = (Setup){ .el = 3, .cpacr = en, .cptr2 = CPTR2_NO_TZ, .cptr3 = 0 };
    check("CPTR_EL3.EZ = 0: RDVL at EL3", &s, probe_rdvl, 3, SVE_ESR);
    s.cptr3 = CPTR_EZ;
    check("CPTR_EL3.EZ = 1: RDVL at EL3", &s, probe_rdvl, -1, 0);
    s.cptr3 = CPTR_EZ | CPTR_TFP;
    check("CPTR_EL3.EZ = 1, TFP = 1: RDVL at EL3 (FP trap)", &s, probe_rdvl, 3, FP_ESR);
    s = (Setup){ .el = 2, .cpacr = en, .cptr2 = CPTR2_NO_TZ, .cptr3 = 0 };
    check("CPTR_EL3.EZ = 0: RDVL at EL2", &s, probe_rdvl, 3, SVE_ESR);
    s.cptr2 = CPTR2_NO_TZ | (1ul << 8);
    check("CPTR_EL2.TZ before CPTR_EL3.EZ at EL2", &s, probe_rdvl, 2, SVE_ESR);
    s = (Setup){ .el = 1, .cpacr = CPACR_FPEN(3), .cptr2 = CPTR2_NO_TZ, .cptr3 = 0 };
    check("CPACR_EL1.ZEN = 00 before CPTR_EL3.EZ at EL1", &s, probe_rdvl, 1, SVE_ESR);
    s.cpacr = CPACR_ZEN(3);
    check("CPACR_EL1.FPEN = 00 (ZEN = 11) before CPTR_EL3.EZ at EL1: FP trap", &s, probe_rdvl, 1, FP_ESR);
    s.cpacr = en;
    check("CPTR_EL3.EZ = 0: RDVL at EL1", &s, probe_rdvl, 3, SVE_ESR);
    s.cptr3 = CPTR_EZ;
    check("CPTR_EL3.EZ = 1: RDVL at EL1", &s, probe_rdvl, -1, 0);
}

void guest_run(void)
{
    report(current_el() == 3 && boot_el == 3, "entered at EL3 (CurrentEL = %u)", current_el());
    report(((read_sysreg(ID_AA64PFR0_EL1) >> 12) & 0xf) != 0, "ID_AA64PFR0_EL1.EL3 implemented");
    exc_set_handler(1, trap_handler);
    exc_set_handler(2, trap_handler);
    exc_set_handler(3, trap_handler);
    write_sysreg(HCR_RW, HCR_EL2);
    write_sysreg(CPTR2_RES1, CPTR_EL2);
    write_sysreg(CPACR_FPEN(3), CPACR_EL1);
    write_sysreg(0, CPTR_EL3);
    isb();
    test_tfp();
    test_tcpac();
    test_tta();
    test_sve();
}
