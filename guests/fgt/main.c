/*
 * FEAT_FGT fine-grained traps (Arm ARM D19.2 HFGRTR_EL2, HFGWTR_EL2,
 * HFGITR_EL2, HDFGRTR_EL2, HDFGWTR_EL2): EL2 sets one trap bit, EL1 (or EL0)
 * does one access, and ESR_EL2/ELR_EL2 must be exact: EC 0x18 with the
 * access's ISS (Op0/Op2/Op1/CRn/Rt/CRm/Direction), EC 0x1A for ERET/ERETAA/
 * ERETAB (HFGITR_EL2.ERET), EC 0x15 with ELR = the SVC itself for
 * HFGITR_EL2.SVC_EL0/SVC_EL1 (AArch64.CheckForSVCTrap). For every register
 * and instruction: the bit traps its own access (reads through the R
 * register, writes through the W register, never the other direction) and
 * every other bit leaves it alone. Also: EL0 accesses trap unless
 * HCR_EL2.{E2H,TGE} = {1,1}; the EL0 enables (SCTLR_EL1.UCT/UCI) outrank the
 * fine-grained trap; accesses at EL2 are never trapped; bits of absent
 * registers read as 0.
 *
 * QEMU 7.2 has no FEAT_FGT (manifest: qemu:xfail): the guest fails, not
 * skips, when ID_AA64MMFR0_EL1.FGT is 0.
 */
#include "guest.h"

#define HCR_RW   (1ul << 31)
#define HCR_TGE  (1ul << 27)
#define HCR_E2H  (1ul << 34)
#define HCR_APK  (1ul << 40)
#define HCR_API  (1ul << 41)

enum { R_HFGRTR, R_HFGWTR, R_HFGITR, R_HDFGRTR, R_HDFGWTR, R_NONE };
static const char *const reg_names[] = { "HFGRTR_EL2", "HFGWTR_EL2", "HFGITR_EL2", "HDFGRTR_EL2", "HDFGWTR_EL2" };

static uint8_t el1_stack[8192] __attribute__((aligned(16)));
static uint8_t el0_stack[4096] __attribute__((aligned(16)));
static uint8_t buf[256] __attribute__((aligned(256)));
volatile uint64_t insn_pc;
extern char el_call_lower_resume[];

static struct {
    unsigned el2, el1, el1_svc;
    ExcFrame f2;
    uint64_t el1_esr;
} seen;

static void fgt_write(unsigned reg, uint64_t v)
{
    switch (reg) {
    case R_HFGRTR: write_sysreg(v, s3_4_c1_c1_4); break;
    case R_HFGWTR: write_sysreg(v, s3_4_c1_c1_5); break;
    case R_HFGITR: write_sysreg(v, s3_4_c1_c1_6); break;
    case R_HDFGRTR: write_sysreg(v, s3_4_c3_c1_4); break;
    case R_HDFGWTR: write_sysreg(v, s3_4_c3_c1_5); break;
    default: break;
    }
    isb();
}

static uint64_t fgt_read(unsigned reg)
{
    switch (reg) {
    case R_HFGRTR: return read_sysreg(s3_4_c1_c1_4);
    case R_HFGWTR: return read_sysreg(s3_4_c1_c1_5);
    case R_HFGITR: return read_sysreg(s3_4_c1_c1_6);
    case R_HDFGRTR: return read_sysreg(s3_4_c3_c1_4);
    case R_HDFGWTR: return read_sysreg(s3_4_c3_c1_5);
    default: return 0;
    }
}

static void fgt_clear_all(void)
{
    for (unsigned r = 0; r < R_NONE; r++) {
        fgt_write(r, 0);
    }
}

static bool el2_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if (kind != EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC)) {
        return false;
    }
    unsigned ec = esr_ec(f->esr);
    /* EL0 run directly from EL2 (HCR_EL2.TGE = 1) returns with SVC #0xfff. */
    if (ec == 0x15 && esr_iss(f->esr) == 0xfff) {
        f->elr = (uint64_t)(uintptr_t)el_call_lower_resume;
        f->spsr = SPSR_EL2h | SPSR_DAIF;
        return true;
    }
    seen.el2++;
    seen.f2 = *f;
    if (ec == 0x15) {
        /* A trapped SVC: clear the SVC traps and run it again (it then goes to EL1). */
        write_sysreg(read_sysreg(s3_4_c1_c1_6) & ~(3ul << 52), s3_4_c1_c1_6);
        return true;
    }
    f->elr += 4;
    return true;
}

static bool el1_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if ((kind & 3) != EXC_SYNC) {
        return false;
    }
    seen.el1++;
    seen.el1_esr = f->esr;
    if (esr_ec(f->esr) == 0x15) {
        seen.el1_svc++;
        return true;                /* ELR is already the next instruction */
    }
    f->elr += 4;
    return true;
}

/* An EL1 (or EL0) function that records the address of `insn` and executes it. */
/* x5 is the transfer register; it is saved in reg_val afterwards (write tests write back what a read got). */
static volatile uint64_t reg_val;
#define TRAP_FN(name, setup, insn)                                                    \
    static uint64_t name(uint64_t arg)                                                \
    {                                                                                 \
        __asm__ volatile(setup "\n\tadr x9, 1f\n\tstr x9, [%0]\n1:\t" insn "\n\tstr x5, [%2]\n" \
                         : : "r"(&insn_pc), "r"(arg), "r"(&reg_val)                    \
                         : "x5", "x9", "x10", "x11", "memory");                        \
        return 0;                                                                     \
    }

#define SR(op0, op1, crn, crm, op2) "s" #op0 "_" #op1 "_c" #crn "_c" #crm "_" #op2

#define SYS_ISS(op0, op1, crn, crm, op2, rt, read) \
    ((uint32_t)(op0) << 20 | (uint32_t)(op2) << 17 | (uint32_t)(op1) << 14 | (uint32_t)(crn) << 10 | \
     (uint32_t)(rt) << 5 | (uint32_t)(crm) << 1 | ((read) ? 1u : 0u))
#define sys_iss SYS_ISS

typedef struct Access {
    const char *name;
    uint64_t (*fn)(uint64_t);
    unsigned reg, bit;          /* the trap bit */
    unsigned other;             /* the register of the other direction (R_NONE for instructions) */
    uint32_t iss;
    bool want_pauth, want_tlbios, want_tlbirange, want_pan2;
    uint64_t (*prep)(uint64_t);  /* run first, untrapped: reads the value a write test writes back */
    bool want_lor;
} Access;

/* Registers: X(name, op0, op1, CRn, CRm, op2, group(0 = HFG, 1 = HDFG), bit, readable, writable, needs FEAT_LOR) */
#define REGS(X)                                                 \
    X(AFSR0_EL1, 3, 0, 5, 1, 0, 0, 0, 1, 1, 0)                     \
    X(AFSR1_EL1, 3, 0, 5, 1, 1, 0, 1, 1, 1, 0)                     \
    X(AIDR_EL1, 3, 1, 0, 0, 7, 0, 2, 1, 0, 0)                      \
    X(AMAIR_EL1, 3, 0, 10, 3, 0, 0, 3, 1, 1, 0)                    \
    X(APDAKeyLo_EL1, 3, 0, 2, 2, 0, 0, 4, 1, 1, 0)                 \
    X(APDBKeyHi_EL1, 3, 0, 2, 2, 3, 0, 5, 1, 1, 0)                 \
    X(APGAKeyLo_EL1, 3, 0, 2, 3, 0, 0, 6, 1, 1, 0)                 \
    X(APIAKeyHi_EL1, 3, 0, 2, 1, 1, 0, 7, 1, 1, 0)                 \
    X(APIBKeyLo_EL1, 3, 0, 2, 1, 2, 0, 8, 1, 1, 0)                 \
    X(CCSIDR_EL1, 3, 1, 0, 0, 0, 0, 9, 1, 0, 0)                    \
    X(CLIDR_EL1, 3, 1, 0, 0, 1, 0, 10, 1, 0, 0)                    \
    X(CONTEXTIDR_EL1, 3, 0, 13, 0, 1, 0, 11, 1, 1, 0)              \
    X(CPACR_EL1, 3, 0, 1, 0, 2, 0, 12, 1, 1, 0)                    \
    X(CSSELR_EL1, 3, 2, 0, 0, 0, 0, 13, 1, 1, 0)                   \
    X(CTR_EL0, 3, 3, 0, 0, 1, 0, 14, 1, 0, 0)                      \
    X(DCZID_EL0, 3, 3, 0, 0, 7, 0, 15, 1, 0, 0)                    \
    X(ESR_EL1, 3, 0, 5, 2, 0, 0, 16, 1, 1, 0)                      \
    X(FAR_EL1, 3, 0, 6, 0, 0, 0, 17, 1, 1, 0)                      \
    X(ISR_EL1, 3, 0, 12, 1, 0, 0, 18, 1, 0, 0)                     \
    X(LORSA_EL1, 3, 0, 10, 4, 0, 0, 23, 1, 1, 1)                \
    X(LOREA_EL1, 3, 0, 10, 4, 1, 0, 20, 1, 1, 1)                \
    X(LORN_EL1, 3, 0, 10, 4, 2, 0, 22, 1, 1, 1)                 \
    X(LORC_EL1, 3, 0, 10, 4, 3, 0, 19, 1, 1, 1)                 \
    X(LORID_EL1, 3, 0, 10, 4, 7, 0, 21, 1, 0, 1)                \
    X(MAIR_EL1, 3, 0, 10, 2, 0, 0, 24, 1, 1, 0)                    \
    X(MIDR_EL1, 3, 0, 0, 0, 0, 0, 25, 1, 0, 0)                     \
    X(MPIDR_EL1, 3, 0, 0, 0, 5, 0, 26, 1, 0, 0)                    \
    X(PAR_EL1, 3, 0, 7, 4, 0, 0, 27, 1, 1, 0)                      \
    X(REVIDR_EL1, 3, 0, 0, 0, 6, 0, 28, 1, 0, 0)                   \
    X(SCTLR_EL1, 3, 0, 1, 0, 0, 0, 29, 1, 1, 0)                    \
    X(TCR_EL1, 3, 0, 2, 0, 2, 0, 32, 1, 1, 0)                      \
    X(TPIDR_EL1, 3, 0, 13, 0, 4, 0, 33, 1, 1, 0)                   \
    X(TPIDRRO_EL0, 3, 3, 13, 0, 3, 0, 34, 1, 1, 0)                 \
    X(TPIDR_EL0, 3, 3, 13, 0, 2, 0, 35, 1, 1, 0)                   \
    X(TTBR0_EL1, 3, 0, 2, 0, 0, 0, 36, 1, 1, 0)                    \
    X(TTBR1_EL1, 3, 0, 2, 0, 1, 0, 37, 1, 1, 0)                    \
    X(VBAR_EL1, 3, 0, 12, 0, 0, 0, 38, 1, 1, 0)                    \
    X(ICC_IGRPEN0_EL1, 3, 0, 12, 12, 6, 0, 39, 1, 1, 0)            \
    X(ICC_IGRPEN1_EL1, 3, 0, 12, 12, 7, 0, 39, 1, 1, 0)            \
    X(DBGBCR0_EL1, 2, 0, 0, 0, 5, 1, 0, 1, 1, 0)                   \
    X(DBGBVR1_EL1, 2, 0, 0, 1, 4, 1, 1, 1, 1, 0)                   \
    X(DBGWCR0_EL1, 2, 0, 0, 0, 7, 1, 2, 1, 1, 0)                   \
    X(DBGWVR1_EL1, 2, 0, 0, 1, 6, 1, 3, 1, 1, 0)                   \
    X(MDSCR_EL1, 2, 0, 0, 2, 2, 1, 4, 1, 1, 0)                     \
    X(DBGCLAIMSET_EL1, 2, 0, 7, 8, 6, 1, 5, 1, 1, 0)               \
    X(DBGCLAIMCLR_EL1, 2, 0, 7, 9, 6, 1, 5, 1, 1, 0)               \
    X(DBGAUTHSTATUS_EL1, 2, 0, 7, 14, 6, 1, 6, 1, 0, 0)            \
    X(DBGPRCR_EL1, 2, 0, 1, 4, 4, 1, 7, 1, 1, 0)                   \
    X(OSLSR_EL1, 2, 0, 1, 1, 4, 1, 9, 1, 0, 0)                     \
    X(OSECCR_EL1, 2, 0, 0, 6, 2, 1, 10, 1, 1, 0)                   \
    X(OSDLR_EL1, 2, 0, 1, 3, 4, 1, 11, 1, 1, 0)

#define DEF_FNS(n, o0, o1, cn, cm, o2, g, b, r, w, lor)                                      \
    TRAP_FN(rd_##n, "", "mrs x5, " SR(o0, o1, cn, cm, o2))                                \
    TRAP_FN(wr_##n, "ldr x5, [%2]", "msr " SR(o0, o1, cn, cm, o2) ", x5")
REGS(DEF_FNS)
TRAP_FN(wr_OSLAR_EL1, "mov x5, #0", "msr " SR(2, 0, 1, 0, 4) ", x5")

#define REG_ROWS(n, o0, o1, cn, cm, o2, g, b, r, w, lor)                                             \
    { #n " read", rd_##n, (g) ? R_HDFGRTR : R_HFGRTR, b, (g) ? R_HDFGWTR : R_HFGWTR,              \
      sys_iss(o0, o1, cn, cm, o2, 5, true), !(g) && (b) >= 4 && (b) <= 8, false, false, false, NULL, lor }, \
    { #n " write", (w) ? wr_##n : NULL, (g) ? R_HDFGWTR : R_HFGWTR, b, (g) ? R_HDFGRTR : R_HFGRTR, \
      sys_iss(o0, o1, cn, cm, o2, 5, false), !(g) && (b) >= 4 && (b) <= 8, false, false, false, rd_##n, lor },

/* Instructions: X(name, op1, CRn, CRm, op2, bit, rt, need) with need 0, 1 TLBIOS, 2 TLBIRANGE, 3 PAN2 */
#define INSNS(X)                                        \
    X(IC_IALLUIS, 0, 7, 1, 0, 0, 31, 0)                 \
    X(IC_IALLU, 0, 7, 5, 0, 1, 31, 0)                   \
    X(IC_IVAU, 3, 7, 5, 1, 2, 5, 0)                     \
    X(DC_IVAC, 0, 7, 6, 1, 3, 5, 0)                     \
    X(DC_ISW, 0, 7, 6, 2, 4, 5, 0)                      \
    X(DC_CSW, 0, 7, 10, 2, 5, 5, 0)                     \
    X(DC_CISW, 0, 7, 14, 2, 6, 5, 0)                    \
    X(DC_CVAU, 3, 7, 11, 1, 7, 5, 0)                    \
    X(DC_CIVAC, 3, 7, 14, 1, 10, 5, 0)                  \
    X(DC_ZVA, 3, 7, 4, 1, 11, 5, 0)                     \
    X(AT_S1E1R, 0, 7, 8, 0, 12, 5, 0)                   \
    X(AT_S1E1W, 0, 7, 8, 1, 13, 5, 0)                   \
    X(AT_S1E0R, 0, 7, 8, 2, 14, 5, 0)                   \
    X(AT_S1E0W, 0, 7, 8, 3, 15, 5, 0)                   \
    X(AT_S1E1RP, 0, 7, 9, 0, 16, 5, 3)                  \
    X(AT_S1E1WP, 0, 7, 9, 1, 17, 5, 3)                  \
    X(TLBI_VMALLE1OS, 0, 8, 1, 0, 18, 31, 1)            \
    X(TLBI_VAE1OS, 0, 8, 1, 1, 19, 5, 1)                \
    X(TLBI_ASIDE1OS, 0, 8, 1, 2, 20, 5, 1)              \
    X(TLBI_VAAE1OS, 0, 8, 1, 3, 21, 5, 1)               \
    X(TLBI_VALE1OS, 0, 8, 1, 5, 22, 5, 1)               \
    X(TLBI_VAALE1OS, 0, 8, 1, 7, 23, 5, 1)              \
    X(TLBI_RVAE1OS, 0, 8, 5, 1, 24, 5, 2)               \
    X(TLBI_RVAAE1OS, 0, 8, 5, 3, 25, 5, 2)              \
    X(TLBI_RVALE1OS, 0, 8, 5, 5, 26, 5, 2)              \
    X(TLBI_RVAALE1OS, 0, 8, 5, 7, 27, 5, 2)             \
    X(TLBI_VMALLE1IS, 0, 8, 3, 0, 28, 31, 0)            \
    X(TLBI_VAE1IS, 0, 8, 3, 1, 29, 5, 0)                \
    X(TLBI_ASIDE1IS, 0, 8, 3, 2, 30, 5, 0)              \
    X(TLBI_VAAE1IS, 0, 8, 3, 3, 31, 5, 0)               \
    X(TLBI_VALE1IS, 0, 8, 3, 5, 32, 5, 0)               \
    X(TLBI_VAALE1IS, 0, 8, 3, 7, 33, 5, 0)              \
    X(TLBI_RVAE1IS, 0, 8, 2, 1, 34, 5, 2)               \
    X(TLBI_RVAAE1IS, 0, 8, 2, 3, 35, 5, 2)              \
    X(TLBI_RVALE1IS, 0, 8, 2, 5, 36, 5, 2)              \
    X(TLBI_RVAALE1IS, 0, 8, 2, 7, 37, 5, 2)             \
    X(TLBI_RVAE1, 0, 8, 6, 1, 38, 5, 2)                 \
    X(TLBI_RVAAE1, 0, 8, 6, 3, 39, 5, 2)                \
    X(TLBI_RVALE1, 0, 8, 6, 5, 40, 5, 2)                \
    X(TLBI_RVAALE1, 0, 8, 6, 7, 41, 5, 2)               \
    X(TLBI_VMALLE1, 0, 8, 7, 0, 42, 31, 0)              \
    X(TLBI_VAE1, 0, 8, 7, 1, 43, 5, 0)                  \
    X(TLBI_ASIDE1, 0, 8, 7, 2, 44, 5, 0)                \
    X(TLBI_VAAE1, 0, 8, 7, 3, 45, 5, 0)                 \
    X(TLBI_VALE1, 0, 8, 7, 5, 46, 5, 0)                 \
    X(TLBI_VAALE1, 0, 8, 7, 7, 47, 5, 0)                \
    X(DC_CVAC, 3, 7, 10, 1, 54, 5, 0)

#define RT_STR_31 ""
#define RT_STR_5 ", x5"
#define DEF_INSN(n, o1, cn, cm, o2, b, rt, need) \
    TRAP_FN(i_##n, "mov x5, %1", "sys #" #o1 ", c" #cn ", c" #cm ", #" #o2 RT_STR_##rt)
INSNS(DEF_INSN)
#define INSN_ROWS(n, o1, cn, cm, o2, b, rt, need) \
    { #n, i_##n, R_HFGITR, b, R_NONE, sys_iss(1, o1, cn, cm, o2, rt, false), false, (need) == 1, (need) == 2, (need) == 3, NULL, false },

static const Access accesses[] = {
    REGS(REG_ROWS)
    { "OSLAR_EL1 write", wr_OSLAR_EL1, R_HDFGWTR, 8, R_HDFGRTR, SYS_ISS(2, 0, 1, 0, 4, 5, false), false, false, false, false, NULL, false },
    INSNS(INSN_ROWS)
};

static bool have_pauth, have_tlbios, have_tlbirange, have_pan2, have_lor;

static void run_el1(uint64_t (*fn)(uint64_t), uint64_t arg)
{
    memset(&seen, 0, sizeof(seen));
    insn_pc = 0;
    el_call_lower(fn, arg, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
}

static bool trapped_as(uint32_t ec, uint32_t iss)
{
    return seen.el2 == 1 && esr_ec(seen.f2.esr) == ec && esr_iss(seen.f2.esr) == iss && esr_il(seen.f2.esr) &&
           seen.f2.elr == insn_pc;
}

static void check_access(const Access *a)
{
    uint32_t iss = a->iss;
    if (a->prep) {
        run_el1(a->prep, 0);
    }
    /* 1. its own bit traps it, exactly */
    fgt_write(a->reg, 1ul << a->bit);
    run_el1(a->fn, (uint64_t)(uintptr_t)buf);
    fgt_write(a->reg, 0);
    report(trapped_as(0x18, iss), "%s: %s bit %u traps to EL2 (ESR_EL2 0x%lx want ISS 0x%x, ELR %s, %u traps)",
           a->name, reg_names[a->reg], a->bit, seen.f2.esr, iss, seen.f2.elr == insn_pc ? "ok" : "wrong", seen.el2);
    /* 2. every other bit of the same register leaves it alone (not ERET/SVC: the EL1
     *    handler of DC ZVA's alignment fault with the MMU off returns with ERET) */
    fgt_write(a->reg, ~(1ul << a->bit) & (a->reg == R_HFGITR ? ~(7ul << 51) : ~0ul));
    run_el1(a->fn, (uint64_t)(uintptr_t)buf);
    fgt_write(a->reg, 0);
    report(seen.el2 == 0, "%s: the other bits of %s do not trap it (ESR_EL2 0x%lx)", a->name,
           reg_names[a->reg], seen.f2.esr);
    /* 3. the same bit of the other direction's register does not trap it */
    if (a->other != R_NONE) {
        fgt_write(a->other, 1ul << a->bit);
        run_el1(a->fn, (uint64_t)(uintptr_t)buf);
        fgt_write(a->other, 0);
        report(seen.el2 == 0, "%s: %s bit %u does not trap it", a->name, reg_names[a->other], a->bit);
    }
}

/* ERET family at EL1: ERET returns to the next instruction (ELR_EL1 = 1f, SPSR_EL1 = EL1h). */
#define ERET_FN(name, insn)                                                                     \
    TRAP_FN(name, "adr x10, 2f\n\tmsr elr_el1, x10\n\tmov x11, #0x3c5\n\tmsr spsr_el1, x11",    \
            insn "\n2:")
ERET_FN(t_eret, "eret")
ERET_FN(t_eretaa, ".inst 0xd69f0bff")
ERET_FN(t_eretab, ".inst 0xd69f0fff")
TRAP_FN(t_svc, "", "svc #0x42")

/* EL0 functions end in SVC #0xfff themselves (they also run from EL2 with TGE = 1). */
#define EL0_FN(name, insn)                                                                      \
    __asm__(".text\n.balign 4\n" #name ":\n\tadrp x10, insn_pc\n\tadd x10, x10, :lo12:insn_pc\n" \
            "\tadr x9, 1f\n\tstr x9, [x10]\n1:\t" insn "\n\tsvc #0xfff\n");                      \
    uint64_t name(uint64_t);
EL0_FN(el0_tpidr_rd, "mrs x5, tpidr_el0")
EL0_FN(el0_tpidr_wr, "msr tpidr_el0, x5")
EL0_FN(el0_ctr_rd, "mrs x5, ctr_el0")
EL0_FN(el0_dc_civac, "dc civac, x0")
EL0_FN(el0_svc, "svc #0x43")

static uint64_t el1_to_el0(uint64_t fn)
{
    return el_call_lower((uint64_t (*)(uint64_t))fn, (uint64_t)(uintptr_t)buf, SPSR_EL0t,
                         (uint64_t)(uintptr_t)(el0_stack + sizeof(el0_stack)));
}

/* EL0 under EL1 (HCR_EL2.{E2H,TGE} = {0,0}): expect a trap to EL2 (want_el 2), to EL1 (1) or none (0). */
static void check_el0(const char *what, uint64_t (*fn)(uint64_t), unsigned reg, unsigned bit, uint64_t sctlr,
                      unsigned want_el, uint32_t iss)
{
    write_sysreg(0x30d00800ul | sctlr, SCTLR_EL1);
    fgt_write(reg, 1ul << bit);
    run_el1(el1_to_el0, (uint64_t)(uintptr_t)fn);
    fgt_write(reg, 0);
    write_sysreg(0x30d00800ul, SCTLR_EL1);
    isb();
    if (want_el == 2) {
        report(trapped_as(0x18, iss) && (seen.f2.spsr & 0xf) == 0, "%s: trap to EL2 (ESR_EL2 0x%lx want ISS 0x%x)",
               what, seen.f2.esr, iss);
    } else if (want_el == 1) {
        report(seen.el2 == 0 && seen.el1 == 1 && esr_ec(seen.el1_esr) == 0x18 && esr_iss(seen.el1_esr) == iss,
               "%s: the EL0 enable traps to EL1 first (ESR_EL1 0x%lx, %u EL2 traps)", what, seen.el1_esr, seen.el2);
    } else {
        report(seen.el2 == 0, "%s: not trapped", what);
    }
}

/* EL0 run directly from EL2 with HCR_EL2 = hcr (TGE = 1). */
static void check_el0_host(const char *what, uint64_t (*fn)(uint64_t), uint64_t hcr, bool want_trap, uint32_t iss)
{
    uint64_t saved = read_sysreg(HCR_EL2);
    fgt_write(R_HFGRTR, 1ul << 35);
    fgt_write(R_HFGWTR, 1ul << 35);
    memset(&seen, 0, sizeof(seen));
    insn_pc = 0;
    write_sysreg(hcr, HCR_EL2);
    isb();
    write_sysreg((uint64_t)(uintptr_t)(el0_stack + sizeof(el0_stack)), SP_EL0);
    el_call_lower(fn, 0, SPSR_EL0t, (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    write_sysreg(saved, HCR_EL2);
    isb();
    fgt_clear_all();
    if (want_trap) {
        report(trapped_as(0x18, iss), "%s: trapped (ESR_EL2 0x%lx want ISS 0x%x)", what, seen.f2.esr, iss);
    } else {
        report(seen.el2 == 0, "%s: not trapped (%u traps, ESR_EL2 0x%lx)", what, seen.el2, seen.f2.esr);
    }
}

/* `-append absent` (Tandem with -cpu max,fgt=off): the trap registers do not exist. */
static bool want_absent(void)
{
    uint32_t len = 0;
    const char *args = boot_dtb ? fdt_getprop_path((const void *)(uintptr_t)boot_dtb, "/chosen", "bootargs",
                                                   &len) : NULL;
    return args && len >= 6 && memcmp(args, "absent", 6) == 0;
}

static unsigned el2_undefs;
static bool el2_undef_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if (kind != EXC_KIND(EXC_FROM_SPX, EXC_SYNC) || esr_ec(f->esr) != 0) {
        return false;
    }
    el2_undefs++;
    f->elr += 4;
    return true;
}

TRAP_FN(t_mrs_hfgrtr, "", "mrs x5, s3_4_c1_c1_4")
TRAP_FN(t_mrs_hfgitr, "", "mrs x5, s3_4_c1_c1_6")
TRAP_FN(t_mrs_hdfgwtr, "", "mrs x5, s3_4_c3_c1_5")
TRAP_FN(t_mrs_hafgrtr, "", "mrs x5, s3_4_c3_c1_6")

static void absent_tests(void)
{
    unsigned fgt = (read_sysreg(ID_AA64MMFR0_EL1) >> 56) & 0xf;
    report(fgt == 0, "ID_AA64MMFR0_EL1.FGT = %u (FEAT_FGT switched off)", fgt);
    exc_set_handler(2, el2_undef_handler);
    static uint64_t (*const fns[])(uint64_t) = { t_mrs_hfgrtr, t_mrs_hfgitr, t_mrs_hdfgwtr, t_mrs_hafgrtr };
    static const char *const names[] = { "HFGRTR_EL2", "HFGITR_EL2", "HDFGWTR_EL2", "HAFGRTR_EL2" };
    for (unsigned i = 0; i < 4; i++) {
        el2_undefs = 0;
        fns[i](0);
        report(el2_undefs == 1, "no FEAT_FGT: MRS %s at EL2 is UNDEFINED", names[i]);
    }
}

void guest_run(void)
{
    if (current_el() != 2) {
        guest_abort("needs EL2 entry");
    }
    if (want_absent()) {
        absent_tests();
        return;
    }
    unsigned fgt = (read_sysreg(ID_AA64MMFR0_EL1) >> 56) & 0xf;
    report(fgt >= 1, "ID_AA64MMFR0_EL1.FGT = %u (FEAT_FGT)", fgt);
    if (fgt == 0) {
        guest_abort("FEAT_FGT is not implemented");
    }
    uint64_t isar0 = read_sysreg(ID_AA64ISAR0_EL1), isar1 = read_sysreg(ID_AA64ISAR1_EL1);
    have_pauth = ((isar1 >> 4) & 0xf) || ((isar1 >> 8) & 0xf);
    have_tlbios = ((isar0 >> 56) & 0xf) >= 1;
    have_tlbirange = ((isar0 >> 56) & 0xf) >= 2;
    have_pan2 = ((read_sysreg(ID_AA64MMFR1_EL1) >> 20) & 0xf) >= 2;
    have_lor = ((read_sysreg(ID_AA64MMFR1_EL1) >> 16) & 0xf) >= 1;

    exc_set_handler(2, el2_handler);
    exc_set_handler(1, el1_handler);
    write_sysreg(HCR_RW | HCR_APK | HCR_API, HCR_EL2);
    write_sysreg(read_sysreg(MDCR_EL2) & 0x1f, MDCR_EL2);       /* no TDA/TDOSA/TDE */
    write_sysreg(0x30d00800ul, SCTLR_EL1);
    write_sysreg(0, MDSCR_EL1);
    isb();
    fgt_clear_all();

    /* RES0 bits: registers Tandem lacks read as 0; read-only registers have no write-trap bit. */
    fgt_write(R_HFGRTR, ~0ul);
    fgt_write(R_HFGWTR, ~0ul);
    fgt_write(R_HFGITR, ~0ul);
    uint64_t hfgr = fgt_read(R_HFGRTR), hfgw = fgt_read(R_HFGWTR), hfgi = fgt_read(R_HFGITR);
    fgt_clear_all();
    report((hfgr >> 29) & 1, "HFGRTR_EL2.SCTLR_EL1 is writable (0x%lx)", hfgr);
    report(!((hfgw >> 25) & 1) && !((hfgw >> 2) & 1) && !((hfgw >> 14) & 1),
           "HFGWTR_EL2 bits of read-only registers (MIDR, AIDR, CTR) are RES0 (0x%lx)", hfgw);
    report(!(hfgr >> 50), "HFGRTR_EL2 bits 63:50 (absent features) are RES0 (0x%lx)", hfgr);
    if (!have_lor) {
        report(!((hfgr >> 19) & 0x1f), "HFGRTR_EL2 LORegion bits are RES0 without FEAT_LOR (0x%lx)", hfgr);
    } else {
        report(((hfgr >> 19) & 0x1f) == 0x1f && !((hfgw >> 21) & 1),
               "HFGRTR_EL2 LORegion bits are writable, HFGWTR_EL2.LORID_EL1 is RES0 (0x%lx, 0x%lx)", hfgr, hfgw);
    }
    report(((hfgi >> 51) & 7) == 7, "HFGITR_EL2.{ERET,SVC_EL0,SVC_EL1} are writable (0x%lx)", hfgi);

    /* No FEAT_AMUv1: HAFGRTR_EL2 does not exist. */
    exc_set_handler(2, el2_undef_handler);
    el2_undefs = 0;
    t_mrs_hafgrtr(0);
    exc_set_handler(2, el2_handler);
    report(el2_undefs == 1, "HAFGRTR_EL2 is UNDEFINED (no FEAT_AMUv1)");

    /* Every register and instruction, both directions. */
    for (unsigned i = 0; i < sizeof(accesses) / sizeof(accesses[0]); i++) {
        const Access *a = &accesses[i];
        if (!a->fn || (a->want_pauth && !have_pauth) || (a->want_tlbios && !have_tlbios) ||
            (a->want_tlbirange && !have_tlbirange) || (a->want_pan2 && !have_pan2) || (a->want_lor && !have_lor)) {
            continue;
        }
        check_access(a);
    }

    /* Accesses at EL2 are never trapped. */
    fgt_write(R_HFGRTR, 1ul << 29);
    seen.el2 = 0;
    (void)read_sysreg(SCTLR_EL1);
    fgt_write(R_HFGRTR, 0);
    report(seen.el2 == 0, "MRS SCTLR_EL1 at EL2 is not trapped by HFGRTR_EL2");

    /* ERET, ERETAA, ERETAB: EC 0x1A, ISS {ERET = 0, ERETAA = 2, ERETAB = 3}. */
    fgt_write(R_HFGITR, 1ul << 51);
    run_el1(t_eret, 0);
    report(trapped_as(0x1a, 0), "HFGITR_EL2.ERET: ERET traps (ESR_EL2 0x%lx)", seen.f2.esr);
    if (have_pauth) {
        run_el1(t_eretaa, 0);
        report(trapped_as(0x1a, 2), "HFGITR_EL2.ERET: ERETAA traps (ESR_EL2 0x%lx)", seen.f2.esr);
        run_el1(t_eretab, 0);
        report(trapped_as(0x1a, 3), "HFGITR_EL2.ERET: ERETAB traps (ESR_EL2 0x%lx)", seen.f2.esr);
    }
    fgt_write(R_HFGITR, ~(1ul << 51) & ~(3ul << 52));
    run_el1(t_eret, 0);
    fgt_write(R_HFGITR, 0);
    report(seen.el2 == 0, "ERET is not trapped by the other HFGITR_EL2 bits");

    /* SVC: EC 0x15 to EL2 with ELR = the SVC; without the trap it goes to EL1. */
    fgt_write(R_HFGITR, 1ul << 53);
    run_el1(t_svc, 0);
    report(trapped_as(0x15, 0x42) && seen.el1_svc == 1,
           "HFGITR_EL2.SVC_EL1: SVC at EL1 traps to EL2 with ELR = the SVC (ESR_EL2 0x%lx), then reaches EL1",
           seen.f2.esr);
    fgt_write(R_HFGITR, 1ul << 52);
    run_el1(t_svc, 0);
    fgt_write(R_HFGITR, 0);
    report(seen.el2 == 0 && seen.el1_svc == 1, "HFGITR_EL2.SVC_EL0 does not trap SVC at EL1");
    fgt_write(R_HFGITR, 1ul << 52);
    run_el1(el1_to_el0, (uint64_t)(uintptr_t)el0_svc);
    fgt_write(R_HFGITR, 0);
    report(trapped_as(0x15, 0x43) && (seen.f2.spsr & 0xf) == 0 && seen.el1_svc == 1,
           "HFGITR_EL2.SVC_EL0: SVC at EL0 traps to EL2 with ELR = the SVC (ESR_EL2 0x%lx)", seen.f2.esr);

    /* EL0 accesses, and the EL0 enables that rank above the fine-grained traps. */
    uint32_t tpidr_rd = sys_iss(3, 3, 13, 0, 2, 5, true), tpidr_wr = sys_iss(3, 3, 13, 0, 2, 5, false);
    uint32_t ctr_rd = sys_iss(3, 3, 0, 0, 1, 5, true), civac = sys_iss(1, 3, 7, 14, 1, 0, false);
    check_el0("EL0 MRS TPIDR_EL0, HFGRTR_EL2 bit 35", el0_tpidr_rd, R_HFGRTR, 35, 0, 2, tpidr_rd);
    check_el0("EL0 MSR TPIDR_EL0, HFGWTR_EL2 bit 35", el0_tpidr_wr, R_HFGWTR, 35, 0, 2, tpidr_wr);
    check_el0("EL0 MRS TPIDR_EL0, HFGWTR_EL2 bit 35", el0_tpidr_rd, R_HFGWTR, 35, 0, 0, 0);
    check_el0("EL0 MRS CTR_EL0 with SCTLR_EL1.UCT = 1", el0_ctr_rd, R_HFGRTR, 14, 1ul << 15, 2, ctr_rd);
    check_el0("EL0 MRS CTR_EL0 with SCTLR_EL1.UCT = 0", el0_ctr_rd, R_HFGRTR, 14, 0, 1, ctr_rd);
    check_el0("EL0 DC CIVAC with SCTLR_EL1.UCI = 1", el0_dc_civac, R_HFGITR, 10, 1ul << 26, 2, civac);
    check_el0("EL0 DC CIVAC with SCTLR_EL1.UCI = 0", el0_dc_civac, R_HFGITR, 10, 0, 1, civac);

    /* HCR_EL2.{E2H,TGE} = {1,1} exempts EL0; TGE alone does not. */
    check_el0_host("EL0 MRS TPIDR_EL0 with HCR_EL2.TGE = 1, E2H = 0", el0_tpidr_rd, HCR_RW | HCR_TGE, true, tpidr_rd);
    if (((read_sysreg(ID_AA64MMFR1_EL1) >> 8) & 0xf) >= 1) {
        check_el0_host("EL0 MRS TPIDR_EL0 with HCR_EL2.{E2H,TGE} = {1,1}", el0_tpidr_rd,
                       HCR_RW | HCR_TGE | HCR_E2H, false, 0);
        check_el0_host("EL0 MSR TPIDR_EL0 with HCR_EL2.{E2H,TGE} = {1,1}", el0_tpidr_wr,
                       HCR_RW | HCR_TGE | HCR_E2H, false, 0);
    }
    fgt_clear_all();
}
