/*
 * Traps of EL1 instructions to EL2 controlled by HCR_EL2, MDCR_EL2 and
 * CPTR_EL2, each checked for the exact ESR_EL2 (EC and ISS) and ELR_EL2
 * (Arm ARM D17.2.37 ESR_ELx: ISS encoding for EC 0x18 Op0/Op2/Op1/CRn/Rt/
 * CRm/Direction, EC 0x01 WFx with CV=1 COND=0xE, EC 0x07, EC 0x09, EC 0x17).
 */
#include "el2.h"
#include "guest.h"


static uint8_t el1_stack[8192] __attribute__((aligned(16)));
static uint8_t zva_buf[256] __attribute__((aligned(256)));
static volatile uint64_t insn_pc;
/* An EL1 function that records the address of `insn` and executes it. */
#define TRAP_FN(name, setup, insn)                                                    \
    static uint64_t name(uint64_t arg)                                                \
    {                                                                                 \
        __asm__ volatile(setup "\n\tadr x9, 1f\n\tstr x9, [%0]\n1:\t" insn "\n"        \
                         : : "r"(&insn_pc), "r"(arg) : "x1", "x2", "x9", "memory");   \
        return 0;                                                                     \
    }

TRAP_FN(t_msr_sctlr, "mrs x1, sctlr_el1", "msr sctlr_el1, x1")
TRAP_FN(t_mrs_sctlr, "", "mrs x1, sctlr_el1")
TRAP_FN(t_mrs_ttbr1, "", "mrs x2, ttbr1_el1")
TRAP_FN(t_mrs_pfr0, "", "mrs x1, id_aa64pfr0_el1")
TRAP_FN(t_mrs_mmfr0, "", "mrs x2, id_aa64mmfr0_el1")
TRAP_FN(t_mrs_actlr, "", "mrs x1, actlr_el1")
TRAP_FN(t_tlbi, "", "tlbi vmalle1")
TRAP_FN(t_tlbi_va, "mov x2, #0", "tlbi vae1is, x2")
TRAP_FN(t_dc_isw, "mov x1, #0", "dc isw, x1")
TRAP_FN(t_ic_iallu, "", "ic iallu")
TRAP_FN(t_dc_zva, "mov x1, %1", "dc zva, x1")
TRAP_FN(t_dc_cvac, "mov x1, %1", "dc cvac, x1")
TRAP_FN(t_wfi, "", "wfi")
TRAP_FN(t_wfe, "", "wfe")
TRAP_FN(t_wfe_sevl, "sevl", "wfe")
TRAP_FN(t_smc, "", "smc #5")
TRAP_FN(t_mrs_mdscr, "", "mrs x1, mdscr_el1")
TRAP_FN(t_mrs_oslsr, "", "mrs x1, oslsr_el1")
TRAP_FN(t_mrs_apia, "", "mrs x1, s3_0_c2_c1_0")
TRAP_FN(t_pacia, "mov x1, #0x1000\n\tmov x2, #7", ".inst 0xdac10041")   /* pacia x1, x2 */
TRAP_FN(t_fmov, "", "fmov d0, x1")

static uint32_t sys_iss(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                        unsigned rt, bool read)
{
    return op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 | (read ? 1 : 0);
}

static void check(const char *what, uint64_t hcr, uint64_t mdcr, uint64_t cptr,
                  uint64_t (*fn)(uint64_t), uint64_t arg, unsigned ec, uint32_t iss)
{
    write_sysreg(hcr | HCR_RW, HCR_EL2);
    write_sysreg(mdcr, MDCR_EL2);
    write_sysreg(cptr, CPTR_EL2);
    isb();
    exc_seen_count = 0;
    insn_pc = 0;
    el_call_lower(fn, arg, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    write_sysreg(HCR_RW | HCR_API | HCR_APK, HCR_EL2);
    write_sysreg(0, MDCR_EL2);
    write_sysreg(0x33ff, CPTR_EL2);
    isb();
    report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == ec && esr_iss(exc_seen.esr) == iss && esr_il(exc_seen.esr) &&
           exc_seen.elr == insn_pc && (exc_seen.spsr & 0xf) == SPSR_EL1h,
           "%s: ESR_EL2 0x%lx (want EC 0x%x ISS 0x%x), ELR %s, %u exception(s)", what, exc_seen.esr, ec, iss,
           exc_seen.elr == insn_pc ? "ok" : "wrong", exc_seen_count);
}

void guest_run(void)
{
    if (current_el() != 2) {
        guest_abort("needs EL2 entry");
    }
    exc_set_handler(2, exc_record_skip);
    /* EL1 state: MMU off, FP enabled in CPACR_EL1, PAuth key IA enabled. */
    write_sysreg(0x30d00800ul | (1ul << 31), SCTLR_EL1);
    write_sysreg(3ul << 20, CPACR_EL1);
    write_sysreg(0, MDSCR_EL1);
    isb();
    uint64_t pfr0 = read_sysreg(ID_AA64PFR0_EL1), isar1 = read_sysreg(ID_AA64ISAR1_EL1);
    uint64_t mmfr2 = read_sysreg(ID_AA64MMFR2_EL1);
    bool have_fp = ((pfr0 >> 16) & 0xf) != 0xf;
    bool have_pauth = ((isar1 >> 4) & 0xf) || ((isar1 >> 8) & 0xf);
    (void)mmfr2;

    check("HCR_EL2.TVM: MSR SCTLR_EL1", HCR_TVM, 0, 0x33ff, t_msr_sctlr, 0, 0x18, sys_iss(3, 0, 1, 0, 0, 1, false));
    check("HCR_EL2.TRVM: MRS SCTLR_EL1", HCR_TRVM, 0, 0x33ff, t_mrs_sctlr, 0, 0x18, sys_iss(3, 0, 1, 0, 0, 1, true));
    check("HCR_EL2.TRVM: MRS TTBR1_EL1", HCR_TRVM, 0, 0x33ff, t_mrs_ttbr1, 0, 0x18, sys_iss(3, 0, 2, 0, 1, 2, true));
    check("HCR_EL2.TID3: MRS ID_AA64PFR0_EL1", HCR_TID3, 0, 0x33ff, t_mrs_pfr0, 0, 0x18, sys_iss(3, 0, 0, 4, 0, 1, true));
    check("HCR_EL2.TID3: MRS ID_AA64MMFR0_EL1", HCR_TID3, 0, 0x33ff, t_mrs_mmfr0, 0, 0x18, sys_iss(3, 0, 0, 7, 0, 2, true));
    check("HCR_EL2.TACR: MRS ACTLR_EL1", HCR_TACR, 0, 0x33ff, t_mrs_actlr, 0, 0x18, sys_iss(3, 0, 1, 0, 1, 1, true));
    check("HCR_EL2.TTLB: TLBI VMALLE1", HCR_TTLB, 0, 0x33ff, t_tlbi, 0, 0x18, sys_iss(1, 0, 8, 7, 0, 31, false));
    check("HCR_EL2.TTLB: TLBI VAE1IS", HCR_TTLB, 0, 0x33ff, t_tlbi_va, 0, 0x18, sys_iss(1, 0, 8, 3, 1, 2, false));
    check("HCR_EL2.TSW: DC ISW", HCR_TSW, 0, 0x33ff, t_dc_isw, 0, 0x18, sys_iss(1, 0, 7, 6, 2, 1, false));
    check("HCR_EL2.TPU: IC IALLU", HCR_TPU, 0, 0x33ff, t_ic_iallu, 0, 0x18, sys_iss(1, 0, 7, 5, 0, 31, false));
    check("HCR_EL2.TDZ: DC ZVA", HCR_TDZ, 0, 0x33ff, t_dc_zva, (uint64_t)(uintptr_t)zva_buf, 0x18,
          sys_iss(1, 3, 7, 4, 1, 1, false));
    check("HCR_EL2.TPCP: DC CVAC", HCR_TPCP, 0, 0x33ff, t_dc_cvac, (uint64_t)(uintptr_t)zva_buf, 0x18,
          sys_iss(1, 3, 7, 10, 1, 1, false));
    check("HCR_EL2.TWI: WFI", HCR_TWI, 0, 0x33ff, t_wfi, 0, 0x01, 1u << 24 | 0xeu << 20);
    /* The Arm ARM lets WFE/WFI complete at any time, so the trap is only
     * guaranteed when the instruction would wait; QEMU never traps WFE
     * (it yields). Accept completion, or a trap with the exact syndrome. */
    write_sysreg(HCR_RW | HCR_TWE, HCR_EL2);
    isb();
    exc_seen_count = 0;
    el_call_lower(t_wfe, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    write_sysreg(HCR_RW | HCR_API | HCR_APK, HCR_EL2);
    isb();
    report(exc_seen_count == 0 || (exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x01 && esr_il(exc_seen.esr) &&
                               esr_iss(exc_seen.esr) == (1u << 24 | 0xeu << 20 | 1) && exc_seen.elr == insn_pc),
           "HCR_EL2.TWE: WFE completes or traps with EC 0x01 ISS 0x1e00001 (%u exception(s), ESR 0x%lx)",
           exc_seen_count, exc_seen.esr);
    /* With the event register set, WFE completes without checking the trap. */
    write_sysreg(HCR_RW | HCR_TWE, HCR_EL2);
    isb();
    exc_seen_count = 0;
    el_call_lower(t_wfe_sevl, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    write_sysreg(HCR_RW | HCR_API | HCR_APK, HCR_EL2);
    isb();
    report(exc_seen_count == 0, "HCR_EL2.TWE: WFE after SEVL completes without a trap (%u exception(s))", exc_seen_count);
    check("HCR_EL2.TSC: SMC", HCR_TSC, 0, 0x33ff, t_smc, 0, 0x17, 5);
    check("MDCR_EL2.TDA: MRS MDSCR_EL1", 0, MDCR_TDA, 0x33ff, t_mrs_mdscr, 0, 0x18, sys_iss(2, 0, 0, 2, 2, 1, true));
    check("MDCR_EL2.TDOSA: MRS OSLSR_EL1", 0, MDCR_TDOSA, 0x33ff, t_mrs_oslsr, 0, 0x18, sys_iss(2, 0, 1, 1, 4, 1, true));
    if (have_pauth) {
        check("HCR_EL2.APK=0: MRS APIAKeyLo_EL1", HCR_API, 0, 0x33ff, t_mrs_apia, 0, 0x18,
              sys_iss(3, 0, 2, 1, 0, 1, true));
        check("HCR_EL2.API=0: PACIA", HCR_APK, 0, 0x33ff, t_pacia, 0, 0x09, 0);
    } else {
        report_skip("PAuth traps: FEAT_PAuth not advertised");
    }
    if (have_fp) {
        check("CPTR_EL2.TFP: FMOV", 0, 0, 0x33ff | CPTR_TFP, t_fmov, 0, 0x07, 1u << 24 | 0xeu << 20);
    } else {
        report_skip("CPTR_EL2.TFP: FP not advertised");
    }
    exc_set_handler(2, NULL);
}
