/*
 * Control-register bit names and the small predicates of the Arm ARM's
 * shared pseudocode (EL2Enabled, ELIsInHost, ...) that the exception model,
 * the system-register table and PAuth share. Cheap inline reads only.
 */
#ifndef TANDEM_CPU_REGIME_H
#define TANDEM_CPU_REGIME_H

#include "cpu/cpu.h"
#include "cpu/features.h"

/* HCR_EL2 */
#define HCR_VM    BIT64(0)
#define HCR_SWIO  BIT64(1)
#define HCR_PTW   BIT64(2)
#define HCR_FMO   BIT64(3)
#define HCR_IMO   BIT64(4)
#define HCR_AMO   BIT64(5)
#define HCR_VF    BIT64(6)
#define HCR_VI    BIT64(7)
#define HCR_VSE   BIT64(8)
#define HCR_FB    BIT64(9)
#define HCR_BSU   (3ULL << 10)
#define HCR_DC    BIT64(12)
#define HCR_TWI   BIT64(13)
#define HCR_TWE   BIT64(14)
#define HCR_TID0  BIT64(15)
#define HCR_TID1  BIT64(16)
#define HCR_TID2  BIT64(17)
#define HCR_TID3  BIT64(18)
#define HCR_TSC   BIT64(19)
#define HCR_TIDCP BIT64(20)
#define HCR_TACR  BIT64(21)
#define HCR_TSW   BIT64(22)
#define HCR_TPCP  BIT64(23)
#define HCR_TPU   BIT64(24)
#define HCR_TTLB  BIT64(25)
#define HCR_TVM   BIT64(26)
#define HCR_TGE   BIT64(27)
#define HCR_TDZ   BIT64(28)
#define HCR_HCD   BIT64(29)
#define HCR_TRVM  BIT64(30)
#define HCR_RW    BIT64(31)
#define HCR_CD    BIT64(32)
#define HCR_ID    BIT64(33)
#define HCR_E2H   BIT64(34)
#define HCR_TLOR  BIT64(35)
#define HCR_TERR  BIT64(36)
#define HCR_TEA   BIT64(37)
#define HCR_MIOCNCE BIT64(38)
#define HCR_APK   BIT64(40)
#define HCR_API   BIT64(41)
#define HCR_NV    BIT64(42)
#define HCR_NV1   BIT64(43)
#define HCR_AT    BIT64(44)
#define HCR_NV2   BIT64(45)
#define HCR_FWB   BIT64(46)
#define HCR_FIEN  BIT64(47)
#define HCR_TID4  BIT64(49)
#define HCR_TICAB BIT64(50)
#define HCR_TOCU  BIT64(52)
#define HCR_TTLBIS BIT64(54)
#define HCR_TTLBOS BIT64(55)

/* SCR_EL3 */
#define SCR_NS    BIT64(0)
#define SCR_IRQ   BIT64(1)
#define SCR_FIQ   BIT64(2)
#define SCR_EA    BIT64(3)
#define SCR_SMD   BIT64(7)
#define SCR_HCE   BIT64(8)
#define SCR_SIF   BIT64(9)
#define SCR_RW    BIT64(10)
#define SCR_ST    BIT64(11)
#define SCR_TWI   BIT64(12)
#define SCR_TWE   BIT64(13)
#define SCR_TLOR  BIT64(14)
#define SCR_TERR  BIT64(15)
#define SCR_APK   BIT64(16)
#define SCR_API   BIT64(17)
#define SCR_EEL2  BIT64(18)
#define SCR_FIEN  BIT64(21)
#define SCR_FGTEN BIT64(27)

/* SCTLR_ELx */
#define SCTLR_M    BIT64(0)
#define SCTLR_A    BIT64(1)
#define SCTLR_C    BIT64(2)
#define SCTLR_SA   BIT64(3)
#define SCTLR_SA0  BIT64(4)
#define SCTLR_UMA  BIT64(9)
#define SCTLR_EnRCTX BIT64(10)
#define SCTLR_I    BIT64(12)
#define SCTLR_EnDB BIT64(13)
#define SCTLR_DZE  BIT64(14)
#define SCTLR_UCT  BIT64(15)
#define SCTLR_nTWI BIT64(16)
#define SCTLR_nTWE BIT64(18)
#define SCTLR_WXN  BIT64(19)
#define SCTLR_IESB BIT64(21)
#define SCTLR_EIS  BIT64(22)
#define SCTLR_SPAN BIT64(23)
#define SCTLR_UCI  BIT64(26)
#define SCTLR_EnDA BIT64(27)
#define SCTLR_EnIB BIT64(30)
#define SCTLR_EnIA BIT64(31)
#define SCTLR_BT0  BIT64(35)
#define SCTLR_BT1  BIT64(36)
#define SCTLR_DSSBS BIT64(44)

/* CPTR_EL2 (E2H=0 layout) and CPTR_EL3 */
#define CPTR_TZ    BIT64(8)
#define CPTR_EZ    BIT64(8)    /* CPTR_EL3: 0 = trap */
#define CPTR_TFP   BIT64(10)
#define CPTR_TTA   BIT64(20)   /* E2H=0 layout */
#define CPTR_TCPAC BIT64(31)

/* MDCR_EL2 */
#define MDCR_HPMN  0x1fULL
#define MDCR_TPMCR BIT64(5)
#define MDCR_TPM   BIT64(6)
#define MDCR_HPME  BIT64(7)
#define MDCR_TDE   BIT64(8)
#define MDCR_TDA   BIT64(9)
#define MDCR_TDOSA BIT64(10)
#define MDCR_TDRA  BIT64(11)
/* MDCR_EL3 */
#define MDCR3_TPM  BIT64(6)
#define MDCR3_TDA  BIT64(9)
#define MDCR3_TDOSA BIT64(10)

/* MDSCR_EL1 */
#define MDSCR_SS   BIT64(0)
#define MDSCR_TDCC BIT64(12)
#define MDSCR_KDE  BIT64(13)
#define MDSCR_MDE  BIT64(15)

/* SPSR_ELx fields beyond NZCV/DAIF */
#define SPSR_M_MASK 0x1fULL
#define SPSR_M4     BIT64(4)
#define SPSR_BTYPE_SHIFT 10
#define SPSR_SSBS   BIT64(12)
#define SPSR_IL     BIT64(20)
#define SPSR_SS     BIT64(21)
#define SPSR_PAN    BIT64(22)
#define SPSR_UAO    BIT64(23)
#define SPSR_DIT    BIT64(24)
#define SPSR_TCO    BIT64(25)

static inline bool cpu_el2_enabled(const CPUState *cpu)
{
    /* EL2Enabled(): EL2 implemented and the current Security state is Non-secure (no FEAT_SEL2). */
    return cpu_have_el2(cpu) && (!cpu_have_el3(cpu) || (cpu->sr.SCR_EL3 & SCR_NS));
}

/* HCR_EL2 as it applies to the current Security state (all-zero when EL2 is disabled). */
static inline uint64_t cpu_hcr_el2(const CPUState *cpu)
{
    return cpu_el2_enabled(cpu) ? cpu->sr.HCR_EL2 : 0;
}

/* ELIsInHost(el) */
static inline bool cpu_el_is_in_host(const CPUState *cpu, unsigned el)
{
    uint64_t hcr = cpu_hcr_el2(cpu);
    if (!(hcr & HCR_E2H)) {
        return false;
    }
    if (el == 2) {
        return true;
    }
    return el == 0 && (hcr & HCR_TGE);
}

/* The EL whose registers control an access from `el` (S1TranslationRegime). */
static inline unsigned cpu_regime_el(const CPUState *cpu, unsigned el)
{
    if (el == 3) {
        return 3;
    }
    if (el == 2 || cpu_el_is_in_host(cpu, el)) {
        return 2;
    }
    return 1;
}

/* SCTLR that governs the current EL (SCTLR_EL1 for EL0 unless in host). */
static inline uint64_t cpu_sctlr(const CPUState *cpu)
{
    return cpu->sr.SCTLR_ELx[cpu_regime_el(cpu, cpu->el)];
}

#endif
