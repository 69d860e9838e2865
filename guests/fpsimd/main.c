/*
 * FP/AdvSIMD guest checks (runs on QEMU and Tandem):
 *  1. FP access traps (Arm ARM AArch64.CheckFPAdvSIMDEnabled, EC 0x07):
 *     CPACR_EL1.FPEN at EL0/EL1, CPTR_EL2.TFP (E2H = 0) at EL0/EL1/EL2, the
 *     priority of the EL1 trap over the EL2 one, and CPTR_EL2.FPEN in the
 *     E2H = 1 layout when FEAT_VHE is advertised. CPTR_EL3 cannot be written
 *     from a guest entered at EL2 (the firmware owns EL3): reported as skipped.
 *  2. AdvSIMD load/store structures (LD1-LD4, ST1-ST4, LD1R-LD4R, single
 *     lanes, post-index by immediate and register, register wrap-around)
 *     against a C model of the Arm ARM pseudocode.
 */
#include "guest.h"

#define HCR_RW  (1ul << 31)
#define HCR_TGE (1ul << 27)
#define HCR_E2H (1ul << 34)
#define CPTR_TFP (1ul << 10)
#define CPTR_RES1 0x33fful

static uint8_t el1_stack[8192] __attribute__((aligned(16)));
static uint8_t el0_stack[8192] __attribute__((aligned(16)));

extern char fp_probe_insn[];
uint64_t fp_probe(uint64_t arg);

/* --- part 1: traps --- */
static ExcFrame seen;
static unsigned seen_el, seen_count;

static bool trap_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if ((kind & 3) != EXC_SYNC || esr_ec(f->esr) != 0x07) {
        return false;
    }
    seen = *f;
    seen_el = el;
    seen_count++;
    f->elr += 4;     /* skip the FP instruction */
    return true;
}

/* EL1 body: optionally drop to EL0 for the probe. */
static uint64_t el1_probe(uint64_t at_el0)
{
    if (at_el0) {
        return el_call_lower(fp_probe, 0, SPSR_EL0t, (uint64_t)(uintptr_t)(el0_stack + sizeof(el0_stack)));
    }
    return fp_probe(0);
}

/*
 * Run the probe at `el` (0, 1 or 2) with the given controls and check
 * where (if anywhere) the EC 0x07 trap went.
 */
static void check_trap(const char *what, unsigned el, uint64_t cpacr, uint64_t cptr, uint64_t hcr,
                       int want_el)
{
    write_sysreg(cpacr, CPACR_EL1);
    write_sysreg(hcr | HCR_RW, HCR_EL2);
    isb();
    write_sysreg(cptr, CPTR_EL2);
    isb();
    seen_count = 0;
    seen_el = 0;
    if (el == 2) {
        fp_probe(0);
    } else {
        el_call_lower(el1_probe, el == 0, SPSR_EL1h | SPSR_DAIF,
                      (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    }
    /* Restore: FP enabled everywhere, E2H = 0. */
    write_sysreg(CPTR_RES1, CPTR_EL2);
    isb();
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
    write_sysreg(3ul << 20, CPACR_EL1);
    isb();
    if (want_el < 0) {
        report(seen_count == 0, "%s: no trap (%u seen)", what, seen_count);
        return;
    }
    uint64_t want_spsr_el = el == 0 ? 0 : el == 1 ? SPSR_EL1h : SPSR_EL2h;
    report(seen_count == 1 && seen_el == (unsigned)want_el && esr_ec(seen.esr) == 0x07 && esr_il(seen.esr) &&
           seen.elr == (uint64_t)(uintptr_t)fp_probe_insn && (seen.spsr & 0xf) == want_spsr_el,
           "%s: EC 0x07 to EL%d (seen %u, EL%u, ESR 0x%lx, ELR %s)", what, want_el, seen_count, seen_el,
           seen.esr, seen.elr == (uint64_t)(uintptr_t)fp_probe_insn ? "ok" : "wrong");
}

static void test_traps(void)
{
    exc_set_handler(1, trap_handler);
    exc_set_handler(2, trap_handler);
    const uint64_t en = 3ul << 20, el0only = 1ul << 20, off = 0;
    check_trap("FPEN=11: EL0 FP allowed", 0, en, CPTR_RES1, 0, -1);
    check_trap("FPEN=11: EL1 FP allowed", 1, en, CPTR_RES1, 0, -1);
    check_trap("FPEN=01: EL0 FP traps to EL1", 0, el0only, CPTR_RES1, 0, 1);
    check_trap("FPEN=01: EL1 FP allowed", 1, el0only, CPTR_RES1, 0, -1);
    check_trap("FPEN=00: EL1 FP traps to EL1", 1, off, CPTR_RES1, 0, 1);
    check_trap("FPEN=00: EL0 FP traps to EL1", 0, off, CPTR_RES1, 0, 1);
    check_trap("FPEN=10: EL1 FP traps to EL1", 1, 2ul << 20, CPTR_RES1, 0, 1);
    check_trap("CPTR_EL2.TFP: EL1 FP traps to EL2", 1, en, CPTR_RES1 | CPTR_TFP, 0, 2);
    check_trap("CPTR_EL2.TFP: EL0 FP traps to EL2", 0, en, CPTR_RES1 | CPTR_TFP, 0, 2);
    check_trap("CPTR_EL2.TFP: EL2 FP traps to EL2", 2, en, CPTR_RES1 | CPTR_TFP, 0, 2);
    check_trap("CPACR_EL1 trap has priority over CPTR_EL2.TFP", 1, off, CPTR_RES1 | CPTR_TFP, 0, 1);
    check_trap("CPTR_EL2.TFP = 0: EL2 FP allowed", 2, off, CPTR_RES1, 0, -1);

    uint64_t mmfr1 = read_sysreg(ID_AA64MMFR1_EL1);
    if ((mmfr1 >> 8) & 0xf) {
        /* E2H = 1: CPTR_EL2 has the CPACR layout (FPEN at 21:20). */
        check_trap("E2H=1 CPTR_EL2.FPEN=00: EL2 FP traps to EL2", 2, en, 0, HCR_E2H, 2);
        check_trap("E2H=1 CPTR_EL2.FPEN=00: EL1 FP traps to EL2", 1, en, 0, HCR_E2H, 2);
        check_trap("E2H=1 CPTR_EL2.FPEN=01, TGE=0: EL1 FP allowed", 1, en, 1ul << 20, HCR_E2H, -1);
        check_trap("E2H=1 CPTR_EL2.FPEN=11: EL2 FP allowed", 2, en, 3ul << 20, HCR_E2H, -1);
    } else {
        report_skip("CPTR_EL2 E2H=1 layout: FEAT_VHE not advertised");
    }
    report_skip("CPTR_EL3.TFP: EL3 belongs to the built-in firmware, not reachable from the guest");
    exc_set_handler(1, NULL);
    exc_set_handler(2, NULL);
}

/* --- part 2: structure loads/stores --- */
typedef void (*snippet_fn)(uint8_t *base, uint8_t *out, uint64_t xm, const uint8_t *fill);
void s_ld1_4r(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld1_8b(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld2_8h(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld3_4s(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld4_4h(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld4_wrap(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld1_lane(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld3_lane(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld4r(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld1r(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld2_2d(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_ld1_dlane(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_st1_2r(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_st2_4s(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_st3_8b(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_st4_8h(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_st1_lane(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_st4_lane(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_st2_wrap(uint8_t *, uint8_t *, uint64_t, const uint8_t *);
void s_st1_3r(uint8_t *, uint8_t *, uint64_t, const uint8_t *);

/* Model register file: only v0-v3, v30, v31 matter. */
static uint8_t mregs[32][16];
static const unsigned regmap[6] = { 0, 1, 2, 3, 30, 31 };

enum { KIND_MULTI, KIND_LANE, KIND_REPL };

typedef struct StructCase {
    const char *name;
    snippet_fn fn;
    bool load;
    int kind;
    unsigned t, rpt, selem, esize, q, index;
    uint64_t xm;            /* post-index register value */
    int64_t wb;             /* -1: no write-back, -2: by xm, else immediate */
} StructCase;

static void model(const StructCase *c, uint8_t *mem)
{
    unsigned elements = (c->q ? 16 : 8) / c->esize;
    uint64_t offs = 0;
    if (c->kind == KIND_MULTI) {
        for (unsigned r = 0; r < c->rpt; r++) {
            for (unsigned e = 0; e < elements; e++) {
                for (unsigned s = 0; s < c->selem; s++) {
                    unsigned tt = (c->t + r + s) % 32;
                    if (c->load) {
                        memcpy(&mregs[tt][e * c->esize], mem + offs, c->esize);
                    } else {
                        memcpy(mem + offs, &mregs[tt][e * c->esize], c->esize);
                    }
                    offs += c->esize;
                }
            }
        }
        if (c->load && !c->q) {
            for (unsigned r = 0; r < c->rpt * c->selem; r++) {
                memset(&mregs[(c->t + r) % 32][8], 0, 8);
            }
        }
    } else {
        for (unsigned s = 0; s < c->selem; s++) {
            unsigned tt = (c->t + s) % 32;
            if (c->kind == KIND_REPL) {
                for (unsigned e = 0; e < 16 / c->esize; e++) {
                    memcpy(&mregs[tt][e * c->esize], mem + offs, c->esize);
                }
                if (!c->q) {
                    memset(&mregs[tt][8], 0, 8);
                }
            } else if (c->load) {
                memcpy(&mregs[tt][c->index * c->esize], mem + offs, c->esize);
            } else {
                memcpy(mem + offs, &mregs[tt][c->index * c->esize], c->esize);
            }
            offs += c->esize;
        }
    }
}

static const StructCase cases[] = {
    { "LD1 {v0-v3.16b}", s_ld1_4r, true, KIND_MULTI, 0, 4, 1, 1, 1, 0, 0, -1 },
    { "LD1 {v0.8b}, #8", s_ld1_8b, true, KIND_MULTI, 0, 1, 1, 1, 0, 0, 0, 8 },
    { "LD2 {v0-v1.8h}, x2", s_ld2_8h, true, KIND_MULTI, 0, 1, 2, 2, 1, 0, 40, -2 },
    { "LD3 {v0-v2.4s}", s_ld3_4s, true, KIND_MULTI, 0, 1, 3, 4, 1, 0, 0, -1 },
    { "LD4 {v0-v3.4h}", s_ld4_4h, true, KIND_MULTI, 0, 1, 4, 2, 0, 0, 0, -1 },
    { "LD4 {v30,v31,v0,v1.16b}, #64", s_ld4_wrap, true, KIND_MULTI, 30, 1, 4, 1, 1, 0, 0, 64 },
    { "LD1 {v1.s}[3]", s_ld1_lane, true, KIND_LANE, 1, 1, 1, 4, 1, 3, 0, -1 },
    { "LD3 {v0-v2.h}[5], #6", s_ld3_lane, true, KIND_LANE, 0, 1, 3, 2, 1, 5, 0, 6 },
    { "LD4R {v0-v3.4s}", s_ld4r, true, KIND_REPL, 0, 1, 4, 4, 1, 0, 0, -1 },
    { "LD1R {v0.8b}, x2", s_ld1r, true, KIND_REPL, 0, 1, 1, 1, 0, 0, 3, -2 },
    { "LD2 {v0-v1.2d}", s_ld2_2d, true, KIND_MULTI, 0, 1, 2, 8, 1, 0, 0, -1 },
    { "LD1 {v0.d}[1], x2", s_ld1_dlane, true, KIND_LANE, 0, 1, 1, 8, 1, 1, 0x18, -2 },
    { "ST1 {v0-v1.16b}, #32", s_st1_2r, false, KIND_MULTI, 0, 2, 1, 1, 1, 0, 0, 32 },
    { "ST2 {v0-v1.4s}", s_st2_4s, false, KIND_MULTI, 0, 1, 2, 4, 1, 0, 0, -1 },
    { "ST3 {v0-v2.8b}", s_st3_8b, false, KIND_MULTI, 0, 1, 3, 1, 0, 0, 0, -1 },
    { "ST4 {v0-v3.8h}, x2", s_st4_8h, false, KIND_MULTI, 0, 1, 4, 2, 1, 0, 0x1234, -2 },
    { "ST1 {v2.h}[6]", s_st1_lane, false, KIND_LANE, 2, 1, 1, 2, 1, 6, 0, -1 },
    { "ST4 {v0-v3.b}[9], #4", s_st4_lane, false, KIND_LANE, 0, 1, 4, 1, 1, 9, 0, 4 },
    { "ST2 {v31,v0.2d}", s_st2_wrap, false, KIND_MULTI, 31, 1, 2, 8, 1, 0, 0, -1 },
    { "ST1 {v1-v3.2s}, #24", s_st1_3r, false, KIND_MULTI, 1, 3, 1, 4, 0, 0, 0, 24 },
};

static uint8_t src_buf[256] __attribute__((aligned(16)));
static uint8_t mem_buf[256] __attribute__((aligned(16)));
static uint8_t model_mem[256];
static uint8_t fill[96] __attribute__((aligned(16)));
static uint8_t out[112] __attribute__((aligned(16)));

static void test_structs(void)
{
    for (unsigned i = 0; i < sizeof(src_buf); i++) {
        src_buf[i] = (uint8_t)(i * 7 + 3);
    }
    for (unsigned i = 0; i < sizeof(fill); i++) {
        fill[i] = (uint8_t)(0xa0 + i);
    }
    for (unsigned n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
        const StructCase *c = &cases[n];
        memset(mregs, 0, sizeof(mregs));
        for (unsigned k = 0; k < 6; k++) {
            memcpy(mregs[regmap[k]], fill + 16 * k, 16);
        }
        uint8_t *base = c->load ? src_buf + 16 : mem_buf + 16;
        memset(mem_buf, 0x5a, sizeof(mem_buf));
        memcpy(model_mem, c->load ? src_buf : mem_buf, sizeof(model_mem));
        memset(out, 0, sizeof(out));
        model(c, model_mem + 16);
        c->fn(base, out, c->xm, fill);
        bool ok = true;
        for (unsigned k = 0; k < 6; k++) {
            if (memcmp(out + 16 * k, mregs[regmap[k]], 16)) {
                ok = false;
                printf("  v%u differs\n", regmap[k]);
            }
        }
        uint64_t x0;
        memcpy(&x0, out + 96, 8);
        uint64_t want_x0 = (uint64_t)(uintptr_t)base + (c->wb == -1 ? 0 : c->wb == -2 ? c->xm : (uint64_t)c->wb);
        if (x0 != want_x0) {
            ok = false;
            printf("  x0 0x%lx want 0x%lx\n", x0, want_x0);
        }
        if (!c->load && memcmp(mem_buf, model_mem, sizeof(mem_buf))) {
            ok = false;
            printf("  memory differs\n");
        }
        report(ok, "%s", c->name);
    }
}

void guest_run(void)
{
    if (current_el() != 2) {
        guest_abort("needs EL2 entry");
    }
    write_sysreg(0x30d00800ul, SCTLR_EL1);
    write_sysreg(HCR_RW, HCR_EL2);
    write_sysreg(CPTR_RES1, CPTR_EL2);
    write_sysreg(3ul << 20, CPACR_EL1);
    isb();
    uint64_t pfr0 = read_sysreg(ID_AA64PFR0_EL1);
    if (((pfr0 >> 16) & 0xf) == 0xf || ((pfr0 >> 20) & 0xf) == 0xf) {
        guest_abort("FP/AdvSIMD not advertised");
    }
    test_traps();
    test_structs();
}
