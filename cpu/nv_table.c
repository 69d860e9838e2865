/*
 * FEAT_NV / FEAT_NV2 register table: for every register whose EL1 access
 * HCR_EL2.<NV2,NV1,NV> changes beyond the generic NV trap, the VNCR page
 * offset (Arm ARM D8.14.6.2, Table D8-120 "Memory address offset associated
 * with transformed register access"), the EL1 register an EL2 name is
 * redirected to (D8.14.6.1), the NV1 traps (D8.14.3) and whether the
 * register's own traps come first (the MRS/MSR pseudocode of each register).
 * Only registers Tandem implements are listed: an access to an unimplemented
 * register stays unallocated (UNDEFINED) whatever NV2 says.
 *
 * Columns: name, encoding, VNCR offset, NVx set -> memory, NVx set -> EL1
 * register, NVx set -> trap, late (EL1 register), CNTHCTL_EL2 check first,
 * redirect target.
 */
#include "cpu/nv.h"
#include "mmu/mmu.h"

#define E(op0, op1, crn, crm, op2) MMU_SYSREG_ENC(op0, op1, crn, crm, op2)

const NVRegDef nv_table[] = {
    /* EL2 registers: NVMem when NVx = '1x1' (else the NV trap, EC 0x18). The GIC model
     * implements ICH_LR0-3 and ICH_AP0R0/AP1R0 only (ICH_VTR_EL2: 4 list registers,
     * 5 priority bits); the other ICH_LR<n>/ICH_AP<m>R<n> offsets stay unallocated. */
    { "VTTBR_EL2", E(3,4,2,1,0), 0x020, NVX_1x1, 0, 0, 0, 0, 0 },
    { "VTCR_EL2", E(3,4,2,1,2), 0x040, NVX_1x1, 0, 0, 0, 0, 0 },
    { "VMPIDR_EL2", E(3,4,0,0,5), 0x050, NVX_1x1, 0, 0, 0, 0, 0 },
    { "CNTVOFF_EL2", E(3,4,14,0,3), 0x060, NVX_1x1, 0, 0, 0, 0, 0 },
    { "HCR_EL2", E(3,4,1,1,0), 0x078, NVX_1x1, 0, 0, 0, 0, 0 },
    { "HSTR_EL2", E(3,4,1,1,3), 0x080, NVX_1x1, 0, 0, 0, 0, 0 },
    { "VPIDR_EL2", E(3,4,0,0,0), 0x088, NVX_1x1, 0, 0, 0, 0, 0 },
    { "TPIDR_EL2", E(3,4,13,0,2), 0x090, NVX_1x1, 0, 0, 0, 0, 0 },
    { "HCRX_EL2", E(3,4,1,2,2), 0x0A0, NVX_1x1, 0, 0, 0, 0, 0 },
    { "VNCR_EL2", E(3,4,2,2,0), 0x0B0, NVX_1x1, 0, 0, 0, 0, 0 },
    { "HFGRTR_EL2", E(3,4,1,1,4), 0x1B8, NVX_1x1, 0, 0, 0, 0, 0 },
    { "HFGWTR_EL2", E(3,4,1,1,5), 0x1C0, NVX_1x1, 0, 0, 0, 0, 0 },
    { "HFGITR_EL2", E(3,4,1,1,6), 0x1C8, NVX_1x1, 0, 0, 0, 0, 0 },
    { "HDFGRTR_EL2", E(3,4,3,1,4), 0x1D0, NVX_1x1, 0, 0, 0, 0, 0 },
    { "HDFGWTR_EL2", E(3,4,3,1,5), 0x1D8, NVX_1x1, 0, 0, 0, 0, 0 },
    { "SP_EL1", E(3,4,4,1,0), 0x240, NVX_1x1, 0, 0, 0, 0, 0 },
    { "VSESR_EL2", E(3,4,5,2,3), 0x508, NVX_1x1, 0, 0, 0, 0, 0 },
    { "ICH_LR0_EL2", E(3,4,12,12,0), 0x400, NVX_1x1, 0, 0, 0, 0, 0 },
    { "ICH_LR1_EL2", E(3,4,12,12,1), 0x408, NVX_1x1, 0, 0, 0, 0, 0 },
    { "ICH_LR2_EL2", E(3,4,12,12,2), 0x410, NVX_1x1, 0, 0, 0, 0, 0 },
    { "ICH_LR3_EL2", E(3,4,12,12,3), 0x418, NVX_1x1, 0, 0, 0, 0, 0 },
    { "ICH_AP0R0_EL2", E(3,4,12,8,0), 0x480, NVX_1x1, 0, 0, 0, 0, 0 },
    { "ICH_AP1R0_EL2", E(3,4,12,9,0), 0x4A0, NVX_1x1, 0, 0, 0, 0, 0 },
    { "ICH_HCR_EL2", E(3,4,12,11,0), 0x4C0, NVX_1x1, 0, 0, 0, 0, 0 },
    { "ICH_VMCR_EL2", E(3,4,12,11,7), 0x4C8, NVX_1x1, 0, 0, 0, 0, 0 },
    /* EL2 special-purpose/system registers redirected to the EL1 register when NVx = '1x1' */
    { "SPSR_EL2", E(3,4,4,0,0), 0, 0, NVX_1x1, 0, 0, 0, E(3,0,4,0,0) },
    { "ELR_EL2", E(3,4,4,0,1), 0, 0, NVX_1x1, 0, 0, 0, E(3,0,4,0,1) },
    { "ESR_EL2", E(3,4,5,2,0), 0, 0, NVX_1x1, 0, 0, 0, E(3,0,5,2,0) },
    { "FAR_EL2", E(3,4,6,0,0), 0, 0, NVX_1x1, 0, 0, 0, E(3,0,6,0,0) },
    /* *_EL12 / *_EL02: NVMem when NVx = '101' (a VHE guest hypervisor's EL1 context) */
    { "CPACR_EL12", E(3,5,1,0,2), 0x100, NVX_101, 0, 0, 0, 0, 0 },
    { "CONTEXTIDR_EL12", E(3,5,13,0,1), 0x108, NVX_101, 0, 0, 0, 0, 0 },
    { "SCTLR_EL12", E(3,5,1,0,0), 0x110, NVX_101, 0, 0, 0, 0, 0 },
    { "TCR_EL12", E(3,5,2,0,2), 0x120, NVX_101, 0, 0, 0, 0, 0 },
    { "AFSR0_EL12", E(3,5,5,1,0), 0x128, NVX_101, 0, 0, 0, 0, 0 },
    { "AFSR1_EL12", E(3,5,5,1,1), 0x130, NVX_101, 0, 0, 0, 0, 0 },
    { "ESR_EL12", E(3,5,5,2,0), 0x138, NVX_101, 0, 0, 0, 0, 0 },
    { "MAIR_EL12", E(3,5,10,2,0), 0x140, NVX_101, 0, 0, 0, 0, 0 },
    { "AMAIR_EL12", E(3,5,10,3,0), 0x148, NVX_101, 0, 0, 0, 0, 0 },
    { "SPSR_EL12", E(3,5,4,0,0), 0x160, NVX_101, 0, 0, 0, 0, 0 },
    { "CNTV_CVAL_EL02", E(3,5,14,3,2), 0x168, NVX_101, 0, 0, 0, 0, 0 },
    { "CNTV_CTL_EL02", E(3,5,14,3,1), 0x170, NVX_101, 0, 0, 0, 0, 0 },
    { "CNTP_CVAL_EL02", E(3,5,14,2,2), 0x178, NVX_101, 0, 0, 0, 0, 0 },
    { "CNTP_CTL_EL02", E(3,5,14,2,1), 0x180, NVX_101, 0, 0, 0, 0, 0 },
    { "ZCR_EL12", E(3,5,1,2,0), 0x1E0, NVX_101, 0, 0, 0, 0, 0 },
    { "TTBR0_EL12", E(3,5,2,0,0), 0x200, NVX_101, 0, 0, 0, 0, 0 },
    { "TTBR1_EL12", E(3,5,2,0,1), 0x210, NVX_101, 0, 0, 0, 0, 0 },
    { "FAR_EL12", E(3,5,6,0,0), 0x220, NVX_101, 0, 0, 0, 0, 0 },
    { "ELR_EL12", E(3,5,4,0,1), 0x230, NVX_101, 0, 0, 0, 0, 0 },
    { "VBAR_EL12", E(3,5,12,0,0), 0x250, NVX_101, 0, 0, 0, 0, 0 },
    /* EL1 registers: after the row's own traps; NVMem when NVx = '111' (MDSCR_EL1, ACTLR_EL1: '1x1');
     * VBAR_EL1, ELR_EL1, SPSR_EL1 trap when NVx = '011' (NV1 without NV2) */
    { "CPACR_EL1", E(3,0,1,0,2), 0x100, NVX_111, 0, 0, 1, 0, 0 },
    { "CONTEXTIDR_EL1", E(3,0,13,0,1), 0x108, NVX_111, 0, 0, 1, 0, 0 },
    { "SCTLR_EL1", E(3,0,1,0,0), 0x110, NVX_111, 0, 0, 1, 0, 0 },
    { "ACTLR_EL1", E(3,0,1,0,1), 0x118, NVX_1x1, 0, 0, 1, 0, 0 },
    { "TCR_EL1", E(3,0,2,0,2), 0x120, NVX_111, 0, 0, 1, 0, 0 },
    { "AFSR0_EL1", E(3,0,5,1,0), 0x128, NVX_111, 0, 0, 1, 0, 0 },
    { "AFSR1_EL1", E(3,0,5,1,1), 0x130, NVX_111, 0, 0, 1, 0, 0 },
    { "ESR_EL1", E(3,0,5,2,0), 0x138, NVX_111, 0, 0, 1, 0, 0 },
    { "MAIR_EL1", E(3,0,10,2,0), 0x140, NVX_111, 0, 0, 1, 0, 0 },
    { "AMAIR_EL1", E(3,0,10,3,0), 0x148, NVX_111, 0, 0, 1, 0, 0 },
    { "MDSCR_EL1", E(2,0,0,2,2), 0x158, NVX_1x1, 0, 0, 1, 0, 0 },
    { "SPSR_EL1", E(3,0,4,0,0), 0x160, NVX_111, 0, NVX_011, 1, 0, 0 },
    { "CNTV_CVAL_EL0", E(3,3,14,3,2), 0x168, NVX_111, 0, 0, 1, 0, 0 },
    { "CNTV_CTL_EL0", E(3,3,14,3,1), 0x170, NVX_111, 0, 0, 1, 0, 0 },
    { "CNTP_CVAL_EL0", E(3,3,14,2,2), 0x178, NVX_111, 0, 0, 1, 1, 0 },
    { "CNTP_CTL_EL0", E(3,3,14,2,1), 0x180, NVX_111, 0, 0, 1, 1, 0 },
    { "ZCR_EL1", E(3,0,1,2,0), 0x1E0, NVX_111, 0, 0, 1, 0, 0 },
    { "TTBR0_EL1", E(3,0,2,0,0), 0x200, NVX_111, 0, 0, 1, 0, 0 },
    { "TTBR1_EL1", E(3,0,2,0,1), 0x210, NVX_111, 0, 0, 1, 0, 0 },
    { "FAR_EL1", E(3,0,6,0,0), 0x220, NVX_111, 0, 0, 1, 0, 0 },
    { "ELR_EL1", E(3,0,4,0,1), 0x230, NVX_111, 0, NVX_011, 1, 0, 0 },
    { "VBAR_EL1", E(3,0,12,0,0), 0x250, NVX_111, 0, NVX_011, 1, 0, 0 },
};

const unsigned nv_table_count = ARRAY_SIZE(nv_table);
