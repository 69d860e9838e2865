/*
 * The system-register table: one row per register or system instruction
 * (fields: cpu/sysreg.h). Encodings are (op0, op1, CRn, CRm, op2) as in the
 * Arm ARM's register descriptions; minimum EL, storage in CPUState, the
 * VHE target of EL1 names (el2_offset), trap groups, reset values and
 * RES0/RES1 write masks. GIC (ICC_*, ICH_*) and timer (CNT*) registers are
 * not rows: devices/cpu_hooks.h owns them (cpu/sysreg.c dispatches).
 */
#include <stddef.h>

#include "cpu/fgt.h"
#include "cpu/regime.h"
#include "cpu/sysreg_hooks.h"
#include "mmu/mmu.h"

#define E(op0, op1, crn, crm, op2) MMU_SYSREG_ENC(op0, op1, crn, crm, op2)
#define O(field) ((int32_t)offsetof(CPUState, field))
/* SCTLR_ELx bits [63:32] are RES0 except BT0/BT1 and DSSBS (masked by feature
 * in wr_sctlr); EE/E0E are RES0 (little-endian only). */
#define SCTLR_RES0 ((0xffffffff00000000ULL & ~(BIT64(35) | BIT64(36) | BIT64(44))) | BIT64(24) | BIT64(25))

/*
 * Row shapes that repeat. The macros stringize the register's name, so each
 * row still spells it as the Arm ARM does.
 */
/* An ID register: read-only, EL1 and up, its value in cpu->id, trapped by a TIDn group. */
#define ID_REG(reg, op1, crn, crm, op2, tid) \
    { .name = #reg, .enc = E(3,op1,crn,crm,op2), .min_el = 1, .flags = SRF_R | SRF_CONST, .offset = O(id.reg), .traps = tid }
/* TLBI <op> (op0=1, CRn=8) for EL1 (op1=0), EL2 (op1=4) and EL3 (op1=6) operations: mmu_tlbi does the work. */
#define TLBI_EL1(op, crm, op2, trap_groups, feature) \
    { .name = "TLBI " #op, .enc = E(1,0,8,crm,op2), .min_el = 1, .flags = SRF_W | SRF_SYS, .traps = trap_groups, .feat = feature, .write = sys_tlbi }
#define TLBI_EL2(op, crm, op2, feature) \
    { .name = "TLBI " #op, .enc = E(1,4,8,crm,op2), .min_el = 2, .flags = SRF_W | SRF_SYS | SRF_EL2REG, .feat = feature, .write = sys_tlbi }
#define TLBI_EL3(op, crm, op2, feature) \
    { .name = "TLBI " #op, .enc = E(1,6,8,crm,op2), .min_el = 3, .flags = SRF_W | SRF_SYS, .feat = feature, .write = sys_tlbi }
/* A VHE *_EL12 alias (op1=5) of the EL1 register held in sr.field[1]. */
#define EL12(reg, crn, crm, op2, field, extra_flags, res0_bits) \
    { .name = #reg, .enc = E(3,5,crn,crm,op2), .min_el = 2, .flags = SRF_RW | SRF_EL12 | (extra_flags), .offset = O(sr.field[1]), .feat = SRFEAT_VHE, .res0 = res0_bits }
/*
 * Breakpoint n: DBGBVR<n>_EL1 (op2=4) and DBGBCR<n>_EL1 (op2=5) at CRm=n;
 * watchpoint n: DBGWVR<n>_EL1 (op2=6, bits [1:0] RES0) and DBGWCR<n>_EL1 (op2=7).
 * The control registers keep the fields the model implements (cpu/debug.c).
 */
#define DBGBCR_RES0 ~((0xfULL << 20) | (1ULL << 16) | (3ULL << 14) | (1ULL << 13) | (0xfULL << 5) | (3ULL << 1) | 1ULL)
#define DBGWCR_RES0 ~((0x1fULL << 24) | (1ULL << 20) | (0xfULL << 16) | (3ULL << 14) | (1ULL << 13) | (0xffULL << 5) | (3ULL << 3) | (3ULL << 1) | 1ULL)
#define DBG_BREAKPOINT(n) \
    { .name = "DBGBVR" #n "_EL1", .enc = E(2,0,0,n,4), .min_el = 1, .flags = SRF_RW, .offset = O(sr.DBGBVR_EL1[n]), .traps = TR_TDA, .write = wr_dbg }, \
    { .name = "DBGBCR" #n "_EL1", .enc = E(2,0,0,n,5), .min_el = 1, .flags = SRF_RW, .offset = O(sr.DBGBCR_EL1[n]), .traps = TR_TDA, .res0 = DBGBCR_RES0, .write = wr_dbg }
#define DBG_WATCHPOINT(n) \
    { .name = "DBGWVR" #n "_EL1", .enc = E(2,0,0,n,6), .min_el = 1, .flags = SRF_RW, .offset = O(sr.DBGWVR_EL1[n]), .traps = TR_TDA, .res0 = 3ULL, .write = wr_dbg }, \
    { .name = "DBGWCR" #n "_EL1", .enc = E(2,0,0,n,7), .min_el = 1, .flags = SRF_RW, .offset = O(sr.DBGWCR_EL1[n]), .traps = TR_TDA, .res0 = DBGWCR_RES0, .write = wr_dbg }

const SysRegDef sysreg_table[] = {
    /* Identification (read-only; TID1/TID2/TID3 traps) */
    { .name = "MIDR_EL1", .enc = E(3,0,0,0,0), .min_el = 1, .flags = SRF_R | SRF_CONST, .read = rd_midr },
    { .name = "MPIDR_EL1", .enc = E(3,0,0,0,5), .min_el = 1, .flags = SRF_R | SRF_CONST, .read = rd_mpidr },
    ID_REG(REVIDR_EL1, 0,0,0,6, TR_TID1),
    ID_REG(ID_AA64PFR0_EL1, 0,0,4,0, TR_TID3),
    ID_REG(ID_AA64PFR1_EL1, 0,0,4,1, TR_TID3),
    ID_REG(ID_AA64ZFR0_EL1, 0,0,4,4, TR_TID3),
    ID_REG(ID_AA64SMFR0_EL1, 0,0,4,5, TR_TID3),
    ID_REG(ID_AA64DFR0_EL1, 0,0,5,0, TR_TID3),
    ID_REG(ID_AA64DFR1_EL1, 0,0,5,1, TR_TID3),
    ID_REG(ID_AA64AFR0_EL1, 0,0,5,4, TR_TID3),
    ID_REG(ID_AA64AFR1_EL1, 0,0,5,5, TR_TID3),
    ID_REG(ID_AA64ISAR0_EL1, 0,0,6,0, TR_TID3),
    ID_REG(ID_AA64ISAR1_EL1, 0,0,6,1, TR_TID3),
    ID_REG(ID_AA64ISAR2_EL1, 0,0,6,2, TR_TID3),
    ID_REG(ID_AA64MMFR0_EL1, 0,0,7,0, TR_TID3),
    ID_REG(ID_AA64MMFR1_EL1, 0,0,7,1, TR_TID3),
    ID_REG(ID_AA64MMFR2_EL1, 0,0,7,2, TR_TID3),
    { .name = "CCSIDR_EL1", .enc = E(3,1,0,0,0), .min_el = 1, .flags = SRF_R | SRF_CONST, .traps = TR_TID2, .read = rd_ccsidr },
    ID_REG(CLIDR_EL1, 1,0,0,1, TR_TID2),
    ID_REG(AIDR_EL1, 1,0,0,7, TR_TID1),
    { .name = "CSSELR_EL1", .enc = E(3,2,0,0,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.CSSELR_EL1), .traps = TR_TID2, .res0 = ~0xfULL },
    { .name = "CTR_EL0", .enc = E(3,3,0,0,1), .min_el = 0, .flags = SRF_R | SRF_CONST, .offset = O(id.CTR_EL0), .traps = TR_TID2, .access = acc_el0_uct },
    { .name = "DCZID_EL0", .enc = E(3,3,0,0,7), .min_el = 0, .flags = SRF_R | SRF_CONST, .read = rd_dczid },
    { .name = "VPIDR_EL2", .enc = E(3,4,0,0,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.VPIDR_EL2), .feat = SRFEAT_EL2 },
    { .name = "VMPIDR_EL2", .enc = E(3,4,0,0,5), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.VMPIDR_EL2), .feat = SRFEAT_EL2 },
    /* System control */
    { .name = "SCTLR_EL1", .enc = E(3,0,1,0,0), .min_el = 1, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.SCTLR_ELx[1]), .el2_offset = O(sr.SCTLR_ELx[2]), .traps = TR_TVM, .reset = 0x30d00800ULL, .res0 = SCTLR_RES0, .res1 = 0x30500800ULL, .write = wr_sctlr },
    { .name = "ACTLR_EL1", .enc = E(3,0,1,0,1), .min_el = 1, .flags = SRF_RW, .offset = O(sr.ACTLR_ELx[1]), .traps = TR_TACR, .res0 = ~0ULL },
    { .name = "CPACR_EL1", .enc = E(3,0,1,0,2), .min_el = 1, .flags = SRF_RW, .offset = O(sr.CPACR_EL1), .el2_offset = O(sr.CPTR_EL2), .access = acc_cpacr, .write = wr_cpacr },
    { .name = "SCTLR_EL2", .enc = E(3,4,1,0,0), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL2REG, .offset = O(sr.SCTLR_ELx[2]), .feat = SRFEAT_EL2, .reset = 0x30c50830ULL, .res0 = SCTLR_RES0, .write = wr_sctlr },
    { .name = "ACTLR_EL2", .enc = E(3,4,1,0,1), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.ACTLR_ELx[2]), .feat = SRFEAT_EL2, .res0 = ~0ULL },
    { .name = "HCR_EL2", .enc = E(3,4,1,1,0), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL2REG, .offset = O(sr.HCR_EL2), .feat = SRFEAT_EL2, .reset = HCR_RW, .res0 = (1ULL << 39) | (1ULL << 48) | (1ULL << 51) | (1ULL << 53) | (0xffULL << 56), .write = wr_hcr_el2 },
    { .name = "MDCR_EL2", .enc = E(3,4,1,1,1), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.MDCR_EL2), .feat = SRFEAT_EL2, .res0 = ~(MDCR_TPMCR | MDCR_TPM | MDCR_HPME | MDCR_TDE | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA | MDCR_HPMN), .write = wr_mdcr_el2 },
    { .name = "CPTR_EL2", .enc = E(3,4,1,1,2), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.CPTR_EL2), .feat = SRFEAT_EL2, .reset = 0x32ffULL | CPTR_TZ, .access = acc_cpacr, .write = wr_cptr_el2 },
    { .name = "HSTR_EL2", .enc = E(3,4,1,1,3), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HSTR_EL2), .feat = SRFEAT_EL2, .res0 = ~0ULL },
    { .name = "HACR_EL2", .enc = E(3,4,1,1,7), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HACR_EL2), .feat = SRFEAT_EL2, .res0 = ~0ULL },
    { .name = "HFGRTR_EL2", .enc = E(3,4,1,1,4), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HFGRTR_EL2), .feat = SRFEAT_FGT, .write = fgt_write_reg },
    { .name = "HFGWTR_EL2", .enc = E(3,4,1,1,5), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HFGWTR_EL2), .feat = SRFEAT_FGT, .write = fgt_write_reg },
    { .name = "HFGITR_EL2", .enc = E(3,4,1,1,6), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HFGITR_EL2), .feat = SRFEAT_FGT, .write = fgt_write_reg },
    { .name = "HDFGRTR_EL2", .enc = E(3,4,3,1,4), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HDFGRTR_EL2), .feat = SRFEAT_FGT, .write = fgt_write_reg },
    { .name = "HDFGWTR_EL2", .enc = E(3,4,3,1,5), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HDFGWTR_EL2), .feat = SRFEAT_FGT, .write = fgt_write_reg },
    { .name = "HCRX_EL2", .enc = E(3,4,1,2,2), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HCRX_EL2), .feat = SRFEAT_HCX },
    { .name = "SCTLR_EL3", .enc = E(3,6,1,0,0), .min_el = 3, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.SCTLR_ELx[3]), .feat = SRFEAT_EL3, .reset = 0x30c50830ULL, .res0 = SCTLR_RES0, .res1 = 0x30c50830ULL, .write = wr_sctlr },
    { .name = "ACTLR_EL3", .enc = E(3,6,1,0,1), .min_el = 3, .flags = SRF_RW, .offset = O(sr.ACTLR_ELx[3]), .feat = SRFEAT_EL3, .res0 = ~0ULL },
    { .name = "SCR_EL3", .enc = E(3,6,1,1,0), .min_el = 3, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.SCR_EL3), .feat = SRFEAT_EL3, .reset = SCR_RW, .res0 = (3ULL << 4) | (1ULL << 6) | ~0xffffffffULL, .write = wr_scr_el3 },
    { .name = "CPTR_EL3", .enc = E(3,6,1,1,2), .min_el = 3, .flags = SRF_RW, .offset = O(sr.CPTR_EL3), .feat = SRFEAT_EL3, .write = wr_cptr_el3 },
    { .name = "MDCR_EL3", .enc = E(3,6,1,3,1), .min_el = 3, .flags = SRF_RW, .offset = O(sr.MDCR_EL3), .feat = SRFEAT_EL3, .res0 = ~(MDCR3_TPM | MDCR3_TDA | MDCR3_TDOSA) },
    { .name = "ZCR_EL1", .enc = E(3,0,1,2,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.ZCR_ELx[1]), .el2_offset = O(sr.ZCR_ELx[2]), .feat = SRFEAT_SVE, .res0 = ~0xfULL, .access = acc_zcr },
    { .name = "ZCR_EL2", .enc = E(3,4,1,2,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.ZCR_ELx[2]), .feat = SRFEAT_SVE, .res0 = ~0xfULL, .access = acc_zcr },
    { .name = "ZCR_EL3", .enc = E(3,6,1,2,0), .min_el = 3, .flags = SRF_RW, .offset = O(sr.ZCR_ELx[3]), .feat = SRFEAT_SVE, .res0 = ~0xfULL, .access = acc_zcr },
    /* Translation */
    { .name = "TTBR0_EL1", .enc = E(3,0,2,0,0), .min_el = 1, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.TTBR0_ELx[1]), .el2_offset = O(sr.TTBR0_ELx[2]), .traps = TR_TVM },
    { .name = "TTBR1_EL1", .enc = E(3,0,2,0,1), .min_el = 1, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.TTBR1_ELx[1]), .el2_offset = O(sr.TTBR1_ELx[2]), .traps = TR_TVM },
    { .name = "TCR_EL1", .enc = E(3,0,2,0,2), .min_el = 1, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.TCR_ELx[1]), .el2_offset = O(sr.TCR_ELx[2]), .traps = TR_TVM },
    { .name = "TTBR0_EL2", .enc = E(3,4,2,0,0), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL2REG, .offset = O(sr.TTBR0_ELx[2]), .feat = SRFEAT_EL2 },
    { .name = "TTBR1_EL2", .enc = E(3,4,2,0,1), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL2REG, .offset = O(sr.TTBR1_ELx[2]), .feat = SRFEAT_VHE },
    { .name = "TCR_EL2", .enc = E(3,4,2,0,2), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL2REG, .offset = O(sr.TCR_ELx[2]), .feat = SRFEAT_EL2 },
    { .name = "VTTBR_EL2", .enc = E(3,4,2,1,0), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL2REG, .offset = O(sr.VTTBR_EL2), .feat = SRFEAT_EL2 },
    { .name = "VTCR_EL2", .enc = E(3,4,2,1,2), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL2REG, .offset = O(sr.VTCR_EL2), .feat = SRFEAT_EL2, .reset = 1ULL << 31, .res1 = 1ULL << 31 },
    { .name = "VNCR_EL2", .enc = E(3,4,2,2,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.VNCR_EL2), .feat = SRFEAT_NV2, .res0 = 0xfffULL },
    { .name = "TTBR0_EL3", .enc = E(3,6,2,0,0), .min_el = 3, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.TTBR0_ELx[3]), .feat = SRFEAT_EL3 },
    { .name = "TCR_EL3", .enc = E(3,6,2,0,2), .min_el = 3, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.TCR_ELx[3]), .feat = SRFEAT_EL3, .reset = (1ULL << 31) | (1ULL << 23), .res1 = (1ULL << 31) | (1ULL << 23) },
    { .name = "MAIR_EL1", .enc = E(3,0,10,2,0), .min_el = 1, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.MAIR_ELx[1]), .el2_offset = O(sr.MAIR_ELx[2]), .traps = TR_TVM },
    { .name = "AMAIR_EL1", .enc = E(3,0,10,3,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.AMAIR_ELx[1]), .el2_offset = O(sr.AMAIR_ELx[2]), .traps = TR_TVM },
    { .name = "MAIR_EL2", .enc = E(3,4,10,2,0), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL2REG, .offset = O(sr.MAIR_ELx[2]), .feat = SRFEAT_EL2 },
    { .name = "AMAIR_EL2", .enc = E(3,4,10,3,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.AMAIR_ELx[2]), .feat = SRFEAT_EL2 },
    { .name = "MAIR_EL3", .enc = E(3,6,10,2,0), .min_el = 3, .flags = SRF_RW | SRF_FLUSH, .offset = O(sr.MAIR_ELx[3]), .feat = SRFEAT_EL3 },
    { .name = "AMAIR_EL3", .enc = E(3,6,10,3,0), .min_el = 3, .flags = SRF_RW, .offset = O(sr.AMAIR_ELx[3]), .feat = SRFEAT_EL3 },
    /* FEAT_LOR with zero LORegions and zero descriptors (LORID_EL1 = 0): every
     * LORN_EL1 value selects an unimplemented descriptor, so LORSA/LOREA/LORN/LORC
     * are RAZ/WI (docs/impdef.md); HCR_EL2.TLOR / SCR_EL3.TLOR traps in acc_lor. */
    { .name = "LORSA_EL1", .enc = E(3,0,10,4,0), .min_el = 1, .flags = SRF_RW | SRF_CONST, .feat = SRFEAT_LOR, .access = acc_lor, .read = rd_raz, .write = sys_nop },
    { .name = "LOREA_EL1", .enc = E(3,0,10,4,1), .min_el = 1, .flags = SRF_RW | SRF_CONST, .feat = SRFEAT_LOR, .access = acc_lor, .read = rd_raz, .write = sys_nop },
    { .name = "LORN_EL1", .enc = E(3,0,10,4,2), .min_el = 1, .flags = SRF_RW | SRF_CONST, .feat = SRFEAT_LOR, .access = acc_lor, .read = rd_raz, .write = sys_nop },
    { .name = "LORC_EL1", .enc = E(3,0,10,4,3), .min_el = 1, .flags = SRF_RW | SRF_CONST, .feat = SRFEAT_LOR, .access = acc_lor, .read = rd_raz, .write = sys_nop },
    { .name = "LORID_EL1", .enc = E(3,0,10,4,7), .min_el = 1, .flags = SRF_R | SRF_CONST, .feat = SRFEAT_LOR, .access = acc_lorid, .read = rd_raz },
    { .name = "PAR_EL1", .enc = E(3,0,7,4,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.PAR_EL1) },
    /* Pointer authentication keys (HCR_EL2.APK / SCR_EL3.APK traps) */
    { .name = "APIAKeyLo_EL1", .enc = E(3,0,2,1,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APIAKey.lo), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APIAKeyHi_EL1", .enc = E(3,0,2,1,1), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APIAKey.hi), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APIBKeyLo_EL1", .enc = E(3,0,2,1,2), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APIBKey.lo), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APIBKeyHi_EL1", .enc = E(3,0,2,1,3), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APIBKey.hi), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APDAKeyLo_EL1", .enc = E(3,0,2,2,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APDAKey.lo), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APDAKeyHi_EL1", .enc = E(3,0,2,2,1), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APDAKey.hi), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APDBKeyLo_EL1", .enc = E(3,0,2,2,2), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APDBKey.lo), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APDBKeyHi_EL1", .enc = E(3,0,2,2,3), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APDBKey.hi), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APGAKeyLo_EL1", .enc = E(3,0,2,3,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APGAKey.lo), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    { .name = "APGAKeyHi_EL1", .enc = E(3,0,2,3,1), .min_el = 1, .flags = SRF_RW, .offset = O(sr.APGAKey.hi), .traps = TR_APK, .feat = SRFEAT_PAUTH },
    /* Exception state */
    { .name = "SPSR_EL1", .enc = E(3,0,4,0,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.SPSR_ELx[1]), .el2_offset = O(sr.SPSR_ELx[2]), .res0 = ~0xffffffffULL },
    { .name = "ELR_EL1", .enc = E(3,0,4,0,1), .min_el = 1, .flags = SRF_RW, .offset = O(sr.ELR_ELx[1]), .el2_offset = O(sr.ELR_ELx[2]) },
    { .name = "SP_EL0", .enc = E(3,0,4,1,0), .min_el = 1, .flags = SRF_RW, .access = acc_sp_el0, .read = rd_sp_el0, .write = wr_sp_el0 },
    { .name = "SPSel", .enc = E(3,0,4,2,0), .min_el = 1, .flags = SRF_RW, .read = rd_spsel, .write = wr_spsel },
    { .name = "CurrentEL", .enc = E(3,0,4,2,2), .min_el = 1, .flags = SRF_R | SRF_CONST, .read = rd_currentel },
    { .name = "PAN", .enc = E(3,0,4,2,3), .min_el = 1, .flags = SRF_RW, .feat = SRFEAT_PAN, .read = rd_pan, .write = wr_pan },
    { .name = "RNDR", .enc = E(3,3,2,4,0), .min_el = 0, .flags = SRF_R | SRF_CONST, .feat = SRFEAT_RNG, .read = rd_rndr },
    { .name = "RNDRRS", .enc = E(3,3,2,4,1), .min_el = 0, .flags = SRF_R | SRF_CONST, .feat = SRFEAT_RNG, .read = rd_rndr },
    { .name = "UAO", .enc = E(3,0,4,2,4), .min_el = 1, .flags = SRF_RW, .feat = SRFEAT_UAO, .read = rd_uao, .write = wr_uao },
    { .name = "NZCV", .enc = E(3,3,4,2,0), .min_el = 0, .flags = SRF_RW, .read = rd_nzcv, .write = wr_nzcv },
    { .name = "DAIF", .enc = E(3,3,4,2,1), .min_el = 0, .flags = SRF_RW, .access = acc_el0_uma, .read = rd_daif, .write = wr_daif },
    { .name = "DIT", .enc = E(3,3,4,2,5), .min_el = 0, .flags = SRF_RW, .feat = SRFEAT_DIT, .read = rd_dit, .write = wr_dit },
    { .name = "SSBS", .enc = E(3,3,4,2,6), .min_el = 0, .flags = SRF_RW, .feat = SRFEAT_SSBS, .read = rd_ssbs, .write = wr_ssbs },
    { .name = "FPCR", .enc = E(3,3,4,4,0), .min_el = 0, .flags = SRF_RW | SRF_W32, .offset = O(fpcr), .traps = TR_FP, .feat = SRFEAT_FP, .res0 = ~0x07c80000ULL },   /* AHP, DN, FZ, RMode, FZ16; trap enables RAZ/WI (no FP exception trapping) */
    { .name = "FPSR", .enc = E(3,3,4,4,1), .min_el = 0, .flags = SRF_RW | SRF_W32, .offset = O(fpsr), .traps = TR_FP, .feat = SRFEAT_FP, .res0 = ~0x0800009fULL },
    { .name = "SPSR_EL2", .enc = E(3,4,4,0,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.SPSR_ELx[2]), .feat = SRFEAT_EL2, .res0 = ~0xffffffffULL },
    { .name = "ELR_EL2", .enc = E(3,4,4,0,1), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.ELR_ELx[2]), .feat = SRFEAT_EL2 },
    { .name = "SP_EL1", .enc = E(3,4,4,1,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .feat = SRFEAT_EL2, .read = rd_sp_el1, .write = wr_sp_el1 },
    { .name = "SPSR_EL3", .enc = E(3,6,4,0,0), .min_el = 3, .flags = SRF_RW, .offset = O(sr.SPSR_ELx[3]), .feat = SRFEAT_EL3, .res0 = ~0xffffffffULL },
    { .name = "ELR_EL3", .enc = E(3,6,4,0,1), .min_el = 3, .flags = SRF_RW, .offset = O(sr.ELR_ELx[3]), .feat = SRFEAT_EL3 },
    { .name = "SP_EL2", .enc = E(3,6,4,1,0), .min_el = 3, .flags = SRF_RW, .feat = SRFEAT_EL3, .read = rd_sp_el2, .write = wr_sp_el2 },
    { .name = "AFSR0_EL1", .enc = E(3,0,5,1,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.AFSR0_ELx[1]), .el2_offset = O(sr.AFSR0_ELx[2]), .traps = TR_TVM, .res0 = ~0ULL },
    { .name = "AFSR1_EL1", .enc = E(3,0,5,1,1), .min_el = 1, .flags = SRF_RW, .offset = O(sr.AFSR1_ELx[1]), .el2_offset = O(sr.AFSR1_ELx[2]), .traps = TR_TVM, .res0 = ~0ULL },
    { .name = "ESR_EL1", .enc = E(3,0,5,2,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.ESR_ELx[1]), .el2_offset = O(sr.ESR_ELx[2]), .traps = TR_TVM, .res0 = ~0xffffffffULL },
    { .name = "FAR_EL1", .enc = E(3,0,6,0,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.FAR_ELx[1]), .el2_offset = O(sr.FAR_ELx[2]), .traps = TR_TVM },
    { .name = "AFSR0_EL2", .enc = E(3,4,5,1,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.AFSR0_ELx[2]), .feat = SRFEAT_EL2, .res0 = ~0ULL },
    { .name = "AFSR1_EL2", .enc = E(3,4,5,1,1), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.AFSR1_ELx[2]), .feat = SRFEAT_EL2, .res0 = ~0ULL },
    { .name = "ESR_EL2", .enc = E(3,4,5,2,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.ESR_ELx[2]), .feat = SRFEAT_EL2, .res0 = ~0xffffffffULL },
    { .name = "VSESR_EL2", .enc = E(3,4,5,2,3), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.VSESR_EL2), .feat = SRFEAT_RAS },
    { .name = "FAR_EL2", .enc = E(3,4,6,0,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.FAR_ELx[2]), .feat = SRFEAT_EL2 },
    { .name = "HPFAR_EL2", .enc = E(3,4,6,0,4), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.HPFAR_EL2), .feat = SRFEAT_EL2, .res0 = ~0x00000ffffffffff0ULL },
    { .name = "AFSR0_EL3", .enc = E(3,6,5,1,0), .min_el = 3, .flags = SRF_RW, .offset = O(sr.AFSR0_ELx[3]), .feat = SRFEAT_EL3, .res0 = ~0ULL },
    { .name = "AFSR1_EL3", .enc = E(3,6,5,1,1), .min_el = 3, .flags = SRF_RW, .offset = O(sr.AFSR1_ELx[3]), .feat = SRFEAT_EL3, .res0 = ~0ULL },
    { .name = "ESR_EL3", .enc = E(3,6,5,2,0), .min_el = 3, .flags = SRF_RW, .offset = O(sr.ESR_ELx[3]), .feat = SRFEAT_EL3, .res0 = ~0xffffffffULL },
    { .name = "FAR_EL3", .enc = E(3,6,6,0,0), .min_el = 3, .flags = SRF_RW, .offset = O(sr.FAR_ELx[3]), .feat = SRFEAT_EL3 },
    { .name = "VBAR_EL1", .enc = E(3,0,12,0,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.VBAR_ELx[1]), .el2_offset = O(sr.VBAR_ELx[2]), .res0 = 0x7ffULL },
    { .name = "ISR_EL1", .enc = E(3,0,12,1,0), .min_el = 1, .flags = SRF_R | SRF_CONST, .read = rd_isr },
    { .name = "VBAR_EL2", .enc = E(3,4,12,0,0), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.VBAR_ELx[2]), .feat = SRFEAT_EL2, .res0 = 0x7ffULL },
    { .name = "VBAR_EL3", .enc = E(3,6,12,0,0), .min_el = 3, .flags = SRF_RW, .offset = O(sr.VBAR_ELx[3]), .feat = SRFEAT_EL3, .res0 = 0x7ffULL },
    { .name = "RVBAR_EL3", .enc = E(3,6,12,0,1), .min_el = 3, .flags = SRF_R | SRF_CONST, .feat = SRFEAT_EL3, .read = rd_raz },
    /* Thread and context IDs */
    { .name = "CONTEXTIDR_EL1", .enc = E(3,0,13,0,1), .min_el = 1, .flags = SRF_RW, .offset = O(sr.CONTEXTIDR_ELx[1]), .el2_offset = O(sr.CONTEXTIDR_ELx[2]), .traps = TR_TVM, .res0 = ~0xffffffffULL },
    { .name = "TPIDR_EL1", .enc = E(3,0,13,0,4), .min_el = 1, .flags = SRF_RW, .offset = O(sr.TPIDR_ELx[1]) },
    { .name = "CONTEXTIDR_EL2", .enc = E(3,4,13,0,1), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.CONTEXTIDR_ELx[2]), .feat = SRFEAT_VHE, .res0 = ~0xffffffffULL },
    { .name = "TPIDR_EL2", .enc = E(3,4,13,0,2), .min_el = 2, .flags = SRF_RW | SRF_EL2REG, .offset = O(sr.TPIDR_ELx[2]), .feat = SRFEAT_EL2 },
    { .name = "TPIDR_EL3", .enc = E(3,6,13,0,2), .min_el = 3, .flags = SRF_RW, .offset = O(sr.TPIDR_ELx[3]), .feat = SRFEAT_EL3 },
    { .name = "TPIDR_EL0", .enc = E(3,3,13,0,2), .min_el = 0, .flags = SRF_RW, .offset = O(sr.TPIDR_ELx[0]) },
    { .name = "TPIDRRO_EL0", .enc = E(3,3,13,0,3), .min_el = 0, .flags = SRF_RW, .offset = O(sr.TPIDRRO_EL0), .access = acc_tpidrro },
    /* VHE aliases: *_EL12 reach the EL1 registers from EL2 with E2H=1 */
    { .name = "SCTLR_EL12", .enc = E(3,5,1,0,0), .min_el = 2, .flags = SRF_RW | SRF_FLUSH | SRF_EL12, .offset = O(sr.SCTLR_ELx[1]), .feat = SRFEAT_VHE, .res0 = SCTLR_RES0, .res1 = 0x30500800ULL, .write = wr_sctlr },
    { .name = "CPACR_EL12", .enc = E(3,5,1,0,2), .min_el = 2, .flags = SRF_RW | SRF_EL12, .offset = O(sr.CPACR_EL1), .feat = SRFEAT_VHE, .access = acc_cpacr, .write = wr_cpacr },
    { .name = "ZCR_EL12", .enc = E(3,5,1,2,0), .min_el = 2, .flags = SRF_RW | SRF_EL12, .offset = O(sr.ZCR_ELx[1]), .feat = SRFEAT_SVE, .res0 = ~0xfULL },
    EL12(TTBR0_EL12, 2,0,0, TTBR0_ELx, SRF_FLUSH, 0),
    EL12(TTBR1_EL12, 2,0,1, TTBR1_ELx, SRF_FLUSH, 0),
    EL12(TCR_EL12, 2,0,2, TCR_ELx, SRF_FLUSH, 0),
    EL12(SPSR_EL12, 4,0,0, SPSR_ELx, 0, ~0xffffffffULL),
    EL12(ELR_EL12, 4,0,1, ELR_ELx, 0, 0),
    EL12(AFSR0_EL12, 5,1,0, AFSR0_ELx, 0, 0),
    EL12(AFSR1_EL12, 5,1,1, AFSR1_ELx, 0, 0),
    EL12(ESR_EL12, 5,2,0, ESR_ELx, 0, ~0xffffffffULL),
    EL12(FAR_EL12, 6,0,0, FAR_ELx, 0, 0),
    EL12(MAIR_EL12, 10,2,0, MAIR_ELx, SRF_FLUSH, 0),
    EL12(AMAIR_EL12, 10,3,0, AMAIR_ELx, 0, 0),
    EL12(VBAR_EL12, 12,0,0, VBAR_ELx, 0, 0x7ffULL),
    EL12(CONTEXTIDR_EL12, 13,0,1, CONTEXTIDR_ELx, 0, ~0xffffffffULL),
    /* Debug (MDCR_EL2.TDA/TDOSA/TDRA, MDCR_EL3 traps) */
    { .name = "OSDTRRX_EL1", .enc = E(2,0,0,0,2), .min_el = 1, .flags = SRF_RW, .traps = TR_TDA, .read = rd_raz, .write = sys_nop },
    { .name = "MDCCINT_EL1", .enc = E(2,0,0,2,0), .min_el = 1, .flags = SRF_RW, .offset = O(sr.MDCCINT_EL1), .traps = TR_TDA, .res0 = ~(1ULL << 29 | 1ULL << 30) },
    { .name = "MDSCR_EL1", .enc = E(2,0,0,2,2), .min_el = 1, .flags = SRF_RW, .offset = O(sr.MDSCR_EL1), .traps = TR_TDA, .res0 = ~(MDSCR_SS | MDSCR_TDCC | MDSCR_KDE | MDSCR_MDE | (1ULL << 6) | (3ULL << 19) | (3ULL << 29)), .write = wr_mdscr },
    { .name = "OSDTRTX_EL1", .enc = E(2,0,0,3,2), .min_el = 1, .flags = SRF_RW, .traps = TR_TDA, .read = rd_raz, .write = sys_nop },
    { .name = "OSECCR_EL1", .enc = E(2,0,0,6,2), .min_el = 1, .flags = SRF_RW, .traps = TR_TDA, .read = rd_raz, .write = sys_nop },
    DBG_BREAKPOINT(0),
    DBG_BREAKPOINT(1),
    DBG_BREAKPOINT(2),
    DBG_BREAKPOINT(3),
    DBG_BREAKPOINT(4),
    DBG_BREAKPOINT(5),
    DBG_WATCHPOINT(0),
    DBG_WATCHPOINT(1),
    DBG_WATCHPOINT(2),
    DBG_WATCHPOINT(3),
    { .name = "MDRAR_EL1", .enc = E(2,0,1,0,0), .min_el = 1, .flags = SRF_R | SRF_CONST, .traps = TR_TDRA, .read = rd_raz },
    { .name = "OSLAR_EL1", .enc = E(2,0,1,0,4), .min_el = 1, .flags = SRF_W, .traps = TR_TDOSA, .write = wr_oslar },
    { .name = "OSLSR_EL1", .enc = E(2,0,1,1,4), .min_el = 1, .flags = SRF_R, .offset = O(sr.OSLSR_EL1), .traps = TR_TDOSA, .reset = 0xaULL },
    { .name = "OSDLR_EL1", .enc = E(2,0,1,3,4), .min_el = 1, .flags = SRF_RW, .offset = O(sr.OSDLR_EL1), .traps = TR_TDOSA, .res0 = ~0ULL },
    { .name = "DBGPRCR_EL1", .enc = E(2,0,1,4,4), .min_el = 1, .flags = SRF_RW, .traps = TR_TDOSA, .read = rd_raz, .write = sys_nop },
    { .name = "DBGCLAIMSET_EL1", .enc = E(2,0,7,8,6), .min_el = 1, .flags = SRF_RW, .traps = TR_TDA, .read = rd_claimset, .write = wr_claimset },
    { .name = "DBGCLAIMCLR_EL1", .enc = E(2,0,7,9,6), .min_el = 1, .flags = SRF_RW, .traps = TR_TDA, .read = rd_claimclr, .write = wr_claimclr },
    { .name = "DBGAUTHSTATUS_EL1", .enc = E(2,0,7,14,6), .min_el = 1, .flags = SRF_R | SRF_CONST, .traps = TR_TDA, .read = rd_authstatus },
    { .name = "MDCCSR_EL0", .enc = E(2,3,0,1,0), .min_el = 0, .flags = SRF_R | SRF_CONST, .traps = TR_TDA, .access = acc_dcc, .read = rd_raz },
    /* Cache maintenance (op0=1) */
    { .name = "IC IALLUIS", .enc = E(1,0,7,1,0), .min_el = 1, .flags = SRF_W | SRF_SYS, .traps = TR_TPU | TR_TICAB, .write = sys_ic_all },
    { .name = "IC IALLU", .enc = E(1,0,7,5,0), .min_el = 1, .flags = SRF_W | SRF_SYS, .traps = TR_TPU, .write = sys_ic_all },
    { .name = "IC IVAU", .enc = E(1,3,7,5,1), .min_el = 0, .flags = SRF_W | SRF_SYS, .traps = TR_TPU, .access = acc_el0_uci, .write = sys_nop },
    { .name = "DC IVAC", .enc = E(1,0,7,6,1), .min_el = 1, .flags = SRF_W | SRF_SYS, .traps = TR_TPCP, .write = sys_dc_ivac },
    { .name = "DC ISW", .enc = E(1,0,7,6,2), .min_el = 1, .flags = SRF_W | SRF_SYS, .traps = TR_TSW, .write = sys_nop },
    { .name = "DC CSW", .enc = E(1,0,7,10,2), .min_el = 1, .flags = SRF_W | SRF_SYS, .traps = TR_TSW, .write = sys_nop },
    { .name = "DC CISW", .enc = E(1,0,7,14,2), .min_el = 1, .flags = SRF_W | SRF_SYS, .traps = TR_TSW, .write = sys_nop },
    { .name = "DC ZVA", .enc = E(1,3,7,4,1), .min_el = 0, .flags = SRF_W | SRF_SYS, .traps = TR_TDZ, .access = acc_el0_dze, .write = sys_dc_zva },
    { .name = "DC CVAC", .enc = E(1,3,7,10,1), .min_el = 0, .flags = SRF_W | SRF_SYS, .traps = TR_TPCP, .access = acc_el0_uci, .write = sys_dc_va },
    { .name = "DC CVAU", .enc = E(1,3,7,11,1), .min_el = 0, .flags = SRF_W | SRF_SYS, .traps = TR_TPU, .access = acc_el0_uci, .write = sys_dc_va },
    { .name = "DC CVAP", .enc = E(1,3,7,12,1), .min_el = 0, .flags = SRF_W | SRF_SYS, .traps = TR_TPCP, .feat = SRFEAT_DPB, .access = acc_el0_uci, .write = sys_dc_va },
    { .name = "DC CVADP", .enc = E(1,3,7,13,1), .min_el = 0, .flags = SRF_W | SRF_SYS, .traps = TR_TPCP, .feat = SRFEAT_DPB2, .access = acc_el0_uci, .write = sys_dc_va },
    { .name = "DC CIVAC", .enc = E(1,3,7,14,1), .min_el = 0, .flags = SRF_W | SRF_SYS, .traps = TR_TPCP, .access = acc_el0_uci, .write = sys_dc_va },
    /* Address translation (AT -> mmu_at) */
    { .name = "AT S1E1R", .enc = E(1,0,7,8,0), .min_el = 1, .flags = SRF_W | SRF_SYS, .access = acc_at_el1, .write = sys_at },
    { .name = "AT S1E1W", .enc = E(1,0,7,8,1), .min_el = 1, .flags = SRF_W | SRF_SYS, .access = acc_at_el1, .write = sys_at },
    { .name = "AT S1E0R", .enc = E(1,0,7,8,2), .min_el = 1, .flags = SRF_W | SRF_SYS, .access = acc_at_el1, .write = sys_at },
    { .name = "AT S1E0W", .enc = E(1,0,7,8,3), .min_el = 1, .flags = SRF_W | SRF_SYS, .access = acc_at_el1, .write = sys_at },
    { .name = "AT S1E1RP", .enc = E(1,0,7,9,0), .min_el = 1, .flags = SRF_W | SRF_SYS, .feat = SRFEAT_PAN2, .access = acc_at_el1, .write = sys_at },
    { .name = "AT S1E1WP", .enc = E(1,0,7,9,1), .min_el = 1, .flags = SRF_W | SRF_SYS, .feat = SRFEAT_PAN2, .access = acc_at_el1, .write = sys_at },
    { .name = "AT S1E2R", .enc = E(1,4,7,8,0), .min_el = 2, .flags = SRF_W | SRF_SYS | SRF_EL2REG, .feat = SRFEAT_EL2, .write = sys_at },
    { .name = "AT S1E2W", .enc = E(1,4,7,8,1), .min_el = 2, .flags = SRF_W | SRF_SYS | SRF_EL2REG, .feat = SRFEAT_EL2, .write = sys_at },
    { .name = "AT S12E1R", .enc = E(1,4,7,8,4), .min_el = 2, .flags = SRF_W | SRF_SYS | SRF_EL2REG, .feat = SRFEAT_EL2, .write = sys_at },
    { .name = "AT S12E1W", .enc = E(1,4,7,8,5), .min_el = 2, .flags = SRF_W | SRF_SYS | SRF_EL2REG, .feat = SRFEAT_EL2, .write = sys_at },
    { .name = "AT S12E0R", .enc = E(1,4,7,8,6), .min_el = 2, .flags = SRF_W | SRF_SYS | SRF_EL2REG, .feat = SRFEAT_EL2, .write = sys_at },
    { .name = "AT S12E0W", .enc = E(1,4,7,8,7), .min_el = 2, .flags = SRF_W | SRF_SYS | SRF_EL2REG, .feat = SRFEAT_EL2, .write = sys_at },
    { .name = "AT S1E3R", .enc = E(1,6,7,8,0), .min_el = 3, .flags = SRF_W | SRF_SYS, .feat = SRFEAT_EL3, .write = sys_at },
    { .name = "AT S1E3W", .enc = E(1,6,7,8,1), .min_el = 3, .flags = SRF_W | SRF_SYS, .feat = SRFEAT_EL3, .write = sys_at },
    /* TLB maintenance (TLBI -> mmu_tlbi) */
    TLBI_EL1(VMALLE1IS, 3,0, TR_TTLB | TR_TTLBIS, SRFEAT_NONE),
    TLBI_EL1(VAE1IS, 3,1, TR_TTLB | TR_TTLBIS, SRFEAT_NONE),
    TLBI_EL1(ASIDE1IS, 3,2, TR_TTLB | TR_TTLBIS, SRFEAT_NONE),
    TLBI_EL1(VAAE1IS, 3,3, TR_TTLB | TR_TTLBIS, SRFEAT_NONE),
    TLBI_EL1(VALE1IS, 3,5, TR_TTLB | TR_TTLBIS, SRFEAT_NONE),
    TLBI_EL1(VAALE1IS, 3,7, TR_TTLB | TR_TTLBIS, SRFEAT_NONE),
    TLBI_EL1(VMALLE1, 7,0, TR_TTLB, SRFEAT_NONE),
    TLBI_EL1(VAE1, 7,1, TR_TTLB, SRFEAT_NONE),
    TLBI_EL1(ASIDE1, 7,2, TR_TTLB, SRFEAT_NONE),
    TLBI_EL1(VAAE1, 7,3, TR_TTLB, SRFEAT_NONE),
    TLBI_EL1(VALE1, 7,5, TR_TTLB, SRFEAT_NONE),
    TLBI_EL1(VAALE1, 7,7, TR_TTLB, SRFEAT_NONE),
    TLBI_EL2(IPAS2E1IS, 0,1, SRFEAT_EL2),
    TLBI_EL2(IPAS2LE1IS, 0,5, SRFEAT_EL2),
    TLBI_EL2(ALLE2IS, 3,0, SRFEAT_EL2),
    TLBI_EL2(VAE2IS, 3,1, SRFEAT_EL2),
    TLBI_EL2(ALLE1IS, 3,4, SRFEAT_EL2),
    TLBI_EL2(VALE2IS, 3,5, SRFEAT_EL2),
    TLBI_EL2(VMALLS12E1IS, 3,6, SRFEAT_EL2),
    TLBI_EL2(IPAS2E1, 4,1, SRFEAT_EL2),
    TLBI_EL2(IPAS2LE1, 4,5, SRFEAT_EL2),
    TLBI_EL2(ALLE2, 7,0, SRFEAT_EL2),
    TLBI_EL2(VAE2, 7,1, SRFEAT_EL2),
    TLBI_EL2(ALLE1, 7,4, SRFEAT_EL2),
    TLBI_EL2(VALE2, 7,5, SRFEAT_EL2),
    TLBI_EL2(VMALLS12E1, 7,6, SRFEAT_EL2),
    TLBI_EL3(ALLE3IS, 3,0, SRFEAT_EL3),
    TLBI_EL3(VAE3IS, 3,1, SRFEAT_EL3),
    TLBI_EL3(VALE3IS, 3,5, SRFEAT_EL3),
    TLBI_EL3(ALLE3, 7,0, SRFEAT_EL3),
    TLBI_EL3(VAE3, 7,1, SRFEAT_EL3),
    TLBI_EL3(VALE3, 7,5, SRFEAT_EL3),
    /* FEAT_TLBIOS and FEAT_TLBIRANGE forms (mmu_tlbi implements each scope). */
    TLBI_EL1(VMALLE1OS, 1,0, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIOS),
    TLBI_EL1(VAE1OS, 1,1, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIOS),
    TLBI_EL1(ASIDE1OS, 1,2, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIOS),
    TLBI_EL1(VAAE1OS, 1,3, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIOS),
    TLBI_EL1(VALE1OS, 1,5, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIOS),
    TLBI_EL1(VAALE1OS, 1,7, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIOS),
    TLBI_EL1(RVAE1IS, 2,1, TR_TTLB | TR_TTLBIS, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVAAE1IS, 2,3, TR_TTLB | TR_TTLBIS, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVALE1IS, 2,5, TR_TTLB | TR_TTLBIS, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVAALE1IS, 2,7, TR_TTLB | TR_TTLBIS, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVAE1OS, 5,1, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVAAE1OS, 5,3, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVALE1OS, 5,5, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVAALE1OS, 5,7, TR_TTLB | TR_TTLBOS, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVAE1, 6,1, TR_TTLB, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVAAE1, 6,3, TR_TTLB, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVALE1, 6,5, TR_TTLB, SRFEAT_TLBIRANGE),
    TLBI_EL1(RVAALE1, 6,7, TR_TTLB, SRFEAT_TLBIRANGE),
    TLBI_EL2(ALLE2OS, 1,0, SRFEAT_TLBIOS),
    TLBI_EL2(VAE2OS, 1,1, SRFEAT_TLBIOS),
    TLBI_EL2(ALLE1OS, 1,4, SRFEAT_TLBIOS),
    TLBI_EL2(VALE2OS, 1,5, SRFEAT_TLBIOS),
    TLBI_EL2(VMALLS12E1OS, 1,6, SRFEAT_TLBIOS),
    TLBI_EL2(IPAS2E1OS, 4,0, SRFEAT_TLBIOS),
    TLBI_EL2(IPAS2LE1OS, 4,4, SRFEAT_TLBIOS),
    TLBI_EL2(RIPAS2E1IS, 0,2, SRFEAT_TLBIRANGE),
    TLBI_EL2(RIPAS2LE1IS, 0,6, SRFEAT_TLBIRANGE),
    TLBI_EL2(RVAE2IS, 2,1, SRFEAT_TLBIRANGE),
    TLBI_EL2(RVALE2IS, 2,5, SRFEAT_TLBIRANGE),
    TLBI_EL2(RIPAS2E1, 4,2, SRFEAT_TLBIRANGE),
    TLBI_EL2(RIPAS2E1OS, 4,3, SRFEAT_TLBIRANGE),
    TLBI_EL2(RIPAS2LE1, 4,6, SRFEAT_TLBIRANGE),
    TLBI_EL2(RIPAS2LE1OS, 4,7, SRFEAT_TLBIRANGE),
    TLBI_EL2(RVAE2OS, 5,1, SRFEAT_TLBIRANGE),
    TLBI_EL2(RVALE2OS, 5,5, SRFEAT_TLBIRANGE),
    TLBI_EL2(RVAE2, 6,1, SRFEAT_TLBIRANGE),
    TLBI_EL2(RVALE2, 6,5, SRFEAT_TLBIRANGE),
    TLBI_EL3(ALLE3OS, 1,0, SRFEAT_TLBIOS),
    TLBI_EL3(VAE3OS, 1,1, SRFEAT_TLBIOS),
    TLBI_EL3(VALE3OS, 1,5, SRFEAT_TLBIOS),
    TLBI_EL3(RVAE3IS, 2,1, SRFEAT_TLBIRANGE),
    TLBI_EL3(RVALE3IS, 2,5, SRFEAT_TLBIRANGE),
    TLBI_EL3(RVAE3OS, 5,1, SRFEAT_TLBIRANGE),
    TLBI_EL3(RVALE3OS, 5,5, SRFEAT_TLBIRANGE),
    TLBI_EL3(RVAE3, 6,1, SRFEAT_TLBIRANGE),
    TLBI_EL3(RVALE3, 6,5, SRFEAT_TLBIRANGE),
};

const unsigned sysreg_table_count = ARRAY_SIZE(sysreg_table);
