/*
 * An EL2 hypervisor checks, control by control, what HCR_EL2 (and MDCR_EL2,
 * CPTR_EL2.TCPAC, HCR_EL2.TLOR for FEAT_LOR) does to EL1 and EL0: for each
 * case one instruction is written into a code buffer and run at EL1 or EL0
 * with the control set and with it clear, and the exact exception is
 * checked: target EL, EC, IL, ISS (for EC 0x18 rebuilt from the
 * instruction's own Op0/Op1/CRn/CRm/Op2/Rt/L fields), ELR, SPSR.M.
 * Arm ARM D17.2.48 HCR_EL2, D17.2.37 ESR_ELx, AArch64.SystemAccessTrap,
 * AArch64.CheckForWFxTrap, AArch64.CallHypervisor, TrapPACUse.
 *
 * Expected outcomes follow the ID registers, so the guest checks what the
 * CPU advertises (FEAT_PAuth, FEAT_LOR, FEAT_RAS, PMUv3, EL3, AArch32 EL0/
 * EL1, FEAT_TLBIOS/TLBIRANGE, FEAT_DPB, FEAT_VHE).
 *
 * QEMU 7.2 gets some of this wrong: it does not implement HCR_EL2.TIDCP
 * (IMPLEMENTATION DEFINED registers stay UNDEFINED when it is set; added in
 * QEMU 8.0), MDCR_EL2.TPMCR, nor HCR_EL2.TEA routing of External aborts, and
 * it takes no Alignment fault for unaligned accesses or DC ZVA to Device
 * memory (MMU off with DC=0, Device stage-2 MemAttr with or without FWB),
 * and it still walks EL1&0 stage 1 for EL0 when HCR_EL2.TGE=1.
 * Those cases run only with `-append strict` (manifest line
 * hcr-traps-strict, qemu:xfail); everything else runs on both emulators.
 * Cases already covered elsewhere (guests/sys-traps, sys-exc, el-transition,
 * fpsimd, gic-virt, stage2, vhe) are not repeated here.
 */
#include "../gic/gicv3.h"
#include "el2.h"

/* Table rows leave the fields they do not need zero. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define SCTLR_UMA  (1ul << 9)
#define SCTLR_EnDB (1ul << 13)
#define SCTLR_DZE  (1ul << 14)
#define SCTLR_UCT  (1ul << 15)
#define SCTLR_nTWI (1ul << 16)
#define SCTLR_nTWE (1ul << 18)
#define SCTLR_UCI  (1ul << 26)
#define SCTLR_EnDA (1ul << 27)
#define SCTLR_EnIB (1ul << 30)
#define SCTLR_EnIA (1ul << 31)
/* EL1 runs with the MMU off, EL0 allowed CTR/DC/IC/WFx/DAIF, PAuth keys enabled. */
#define SCTLR1_BASE (0x30d00800ul | SCTLR_UMA | SCTLR_DZE | SCTLR_UCT | SCTLR_nTWI | SCTLR_nTWE | \
                     SCTLR_UCI | SCTLR_EnDA | SCTLR_EnDB | SCTLR_EnIB | SCTLR_EnIA)

/* A64 encodings, Rt = x1 unless given. */
#define SR(L, op0, op1, crn, crm, op2, rt) \
    (0xd5000000u | (L) << 21 | (op0) << 19 | (op1) << 16 | (crn) << 12 | (crm) << 8 | (op2) << 5 | (rt))
#define MRS(op0, op1, crn, crm, op2) SR(1, op0, op1, crn, crm, op2, 1)
#define MSR(op0, op1, crn, crm, op2) SR(0, op0, op1, crn, crm, op2, 1)
#define SYS(op1, crn, crm, op2) SR(0, 1, op1, crn, crm, op2, 1)
#define SYS0(op1, crn, crm, op2) SR(0, 1, op1, crn, crm, op2, 31)
#define I_RET    0xd65f03c0u
#define I_MOV_X1_X0 0xaa0003e1u
#define I_MOV_X2_X0 0xaa0003e2u
#define I_SVC_FFE 0xd401ffc1u
#define I_SMC_FFE 0xd401ffc3u
#define I_WFI    0xd503207fu
#define I_SMC(i) (0xd4000003u | (uint32_t)(i) << 5)
#define I_HVC(i) (0xd4000002u | (uint32_t)(i) << 5)
#define I_SVC(i) (0xd4000001u | (uint32_t)(i) << 5)
#define I_BRK(i) (0xd4200000u | (uint32_t)(i) << 5)
#define I_UDF    0x00000000u
#define I_PACIA  0xdac10041u   /* pacia x1, x2 */
#define I_PACIB  0xdac10441u   /* pacib x1, x2 */
#define I_PACDA  0xdac10841u   /* pacda x1, x2 */
#define I_AUTIA  0xdac11041u   /* autia x1, x2 */
#define I_AUTDB  0xdac11c41u   /* autdb x1, x2 */
#define I_PACGA  0x9ac33041u   /* pacga x1, x2, x3 */
#define I_XPACI  0xdac143e1u   /* xpaci x1 */
#define I_PACIASP 0xd503233fu
#define I_LDLAR  0xc8df7c23u   /* ldlar x3, [x1] */
#define I_STLLR  0xc89f7c23u   /* stllr x3, [x1] */
#define I_LDR_X3_X1 0xf9400023u

/* What a case needs from the CPU to run (or to take this outcome). */
enum {
    N_ANY = 0, N_PAUTH, N_LOR, N_NO_LOR, N_PMU, N_NO_PMU, N_EL3, N_NO_EL3, N_RAS, N_NO_RAS,
    N_NO_RAS1P1, N_DPB, N_DPB2, N_TLBIOS, N_TLBIRANGE, N_VHE, N_STRICT, N_PMU_STRICT, N_RAS_STRICT, N_IDST,
};
/* How the case runs: at EL1; at EL0 under an EL1 trampoline; at EL0 entered from EL2 (TGE);
 * at EL1 returning by a TSC-trapped SMC #0xffe (when HVC is disabled). */
enum { AT_EL1, AT_EL0, AT_EL0_HOST, AT_EL1_SMCRET };
/* The value in x0 (copied to x1, x2) when the instruction runs. */
enum { A_ZERO, A_BUF, A_CPACR, A_TCR, A_ONE, A_UNASSIGNED };
#define PA_UNASSIGNED 0x9100000ul      /* nothing there on either emulator's virt board */

typedef struct Case {
    const char *what;
    uint32_t insn;
    uint32_t pre;          /* an instruction run before (e.g. MRS of the MSR's register), 0 = none */
    uint8_t need, at, arg;
    uint8_t to;            /* EL the exception is taken to, 0 = none */
    uint8_t ec;
    int32_t iss;           /* -1: the EC 0x18 ISS of insn */
    uint64_t hcr, mdcr, cptr;
    uint64_t sctlr_clr;    /* SCTLR_EL1 (SCTLR_EL2 for AT_EL0_HOST) bits cleared for this case */
    uint8_t kind;          /* EXC_IRQ/EXC_FIQ/EXC_SERROR for an interrupt, 0 (EXC_SYNC) otherwise */
    uint8_t sgi;           /* physical SGI made pending first: 1 = SGI 1 (Group 1, IRQ), 2 = SGI 2 (Group 0, FIQ) */
    uint8_t unmask;        /* EL1 runs with PSTATE.{I,F} clear */
    uint32_t iss_mask;     /* ISS bits compared (0: all) */
    uint64_t sctlr1_set;   /* SCTLR_EL1 bits set for this case */
} Case;

#define T18 .ec = 0x18, .iss = -1

static const Case cases[] = {
    /* --- HCR_EL2.TVM / TRVM: the rest of the VM registers (SCTLR, TTBR1 in sys-traps) --- */
    { "TVM: MSR TTBR0_EL1", MSR(3,0,2,0,0), MRS(3,0,2,0,0), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR TTBR1_EL1", MSR(3,0,2,0,1), MRS(3,0,2,0,1), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR TCR_EL1", MSR(3,0,2,0,2), MRS(3,0,2,0,2), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR ESR_EL1", MSR(3,0,5,2,0), MRS(3,0,5,2,0), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR FAR_EL1", MSR(3,0,6,0,0), MRS(3,0,6,0,0), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR AFSR0_EL1", MSR(3,0,5,1,0), MRS(3,0,5,1,0), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR AFSR1_EL1", MSR(3,0,5,1,1), MRS(3,0,5,1,1), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR MAIR_EL1", MSR(3,0,10,2,0), MRS(3,0,10,2,0), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR AMAIR_EL1", MSR(3,0,10,3,0), MRS(3,0,10,3,0), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM: MSR CONTEXTIDR_EL1", MSR(3,0,13,0,1), MRS(3,0,13,0,1), .hcr = HCR_TVM, .to = 2, T18 },
    { "TVM clear: MSR MAIR_EL1", MSR(3,0,10,2,0), MRS(3,0,10,2,0) },
    { "TVM does not trap reads: MRS TCR_EL1", MRS(3,0,2,0,2), .hcr = HCR_TVM },
    { "TRVM: MRS TTBR0_EL1", MRS(3,0,2,0,0), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM: MRS TCR_EL1", MRS(3,0,2,0,2), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM: MRS ESR_EL1", MRS(3,0,5,2,0), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM: MRS FAR_EL1", MRS(3,0,6,0,0), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM: MRS AFSR0_EL1", MRS(3,0,5,1,0), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM: MRS AFSR1_EL1", MRS(3,0,5,1,1), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM: MRS MAIR_EL1", MRS(3,0,10,2,0), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM: MRS AMAIR_EL1", MRS(3,0,10,3,0), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM: MRS CONTEXTIDR_EL1", MRS(3,0,13,0,1), .hcr = HCR_TRVM, .to = 2, T18 },
    { "TRVM clear: MRS CONTEXTIDR_EL1", MRS(3,0,13,0,1), .hcr = HCR_TVM },
    { "TRVM does not trap writes: MSR TCR_EL1", MSR(3,0,2,0,2), .arg = A_TCR, .hcr = HCR_TRVM },
    /* --- TID1 / TID2 --- */
    { "TID1: MRS REVIDR_EL1", MRS(3,0,0,0,6), .hcr = HCR_TID1, .to = 2, T18 },
    { "TID1: MRS AIDR_EL1", MRS(3,1,0,0,7), .hcr = HCR_TID1, .to = 2, T18 },
    { "TID1 clear: MRS AIDR_EL1", MRS(3,1,0,0,7) },
    { "TID1 does not trap MIDR_EL1", MRS(3,0,0,0,0), .hcr = HCR_TID1 },
    { "TID2: MRS CTR_EL0", MRS(3,3,0,0,1), .hcr = HCR_TID2, .to = 2, T18 },
    { "TID2: MRS CTR_EL0 at EL0", MRS(3,3,0,0,1), .at = AT_EL0, .hcr = HCR_TID2, .to = 2, T18 },
    { "TID2 clear: MRS CTR_EL0 at EL0", MRS(3,3,0,0,1), .at = AT_EL0 },
    { "SCTLR_EL1.UCT=0 before TID2: MRS CTR_EL0 at EL0 to EL1", MRS(3,3,0,0,1), .at = AT_EL0, .hcr = HCR_TID2,
      .sctlr_clr = SCTLR_UCT, .to = 1, T18 },
    { "TID2: MRS CCSIDR_EL1", MRS(3,1,0,0,0), .hcr = HCR_TID2, .to = 2, T18 },
    { "TID2: MRS CLIDR_EL1", MRS(3,1,0,0,1), .hcr = HCR_TID2, .to = 2, T18 },
    { "TID2: MRS CSSELR_EL1", MRS(3,2,0,0,0), .hcr = HCR_TID2, .to = 2, T18 },
    { "TID2: MSR CSSELR_EL1", MSR(3,2,0,0,0), .hcr = HCR_TID2, .to = 2, T18 },
    { "TID2 clear: MRS CCSIDR_EL1", MRS(3,1,0,0,0) },
    /* --- TACR, TSW, TPCP, TPU --- */
    { "TACR: MSR ACTLR_EL1", MSR(3,0,1,0,1), .hcr = HCR_TACR, .to = 2, T18 },
    { "TACR clear: MSR ACTLR_EL1", MSR(3,0,1,0,1) },
    { "TSW: DC CSW", SYS(0,7,10,2), .hcr = HCR_TSW, .to = 2, T18 },
    { "TSW: DC CISW", SYS(0,7,14,2), .hcr = HCR_TSW, .to = 2, T18 },
    { "TSW clear: DC CISW", SYS(0,7,14,2) },
    { "TPCP: DC IVAC", SYS(0,7,6,1), .arg = A_BUF, .hcr = HCR_TPCP, .to = 2, T18 },
    { "TPCP: DC CIVAC", SYS(3,7,14,1), .arg = A_BUF, .hcr = HCR_TPCP, .to = 2, T18 },
    { "TPCP: DC CIVAC at EL0", SYS(3,7,14,1), .arg = A_BUF, .at = AT_EL0, .hcr = HCR_TPCP, .to = 2, T18 },
    { "TPCP: DC CVAP", SYS(3,7,12,1), .arg = A_BUF, .need = N_DPB, .hcr = HCR_TPCP, .to = 2, T18 },
    { "TPCP: DC CVADP", SYS(3,7,13,1), .arg = A_BUF, .need = N_DPB2, .hcr = HCR_TPCP, .to = 2, T18 },
    { "TPCP clear: DC CIVAC at EL0", SYS(3,7,14,1), .arg = A_BUF, .at = AT_EL0 },
    { "TPCP does not trap DC CVAU", SYS(3,7,11,1), .arg = A_BUF, .hcr = HCR_TPCP },
    { "TPU: DC CVAU", SYS(3,7,11,1), .arg = A_BUF, .hcr = HCR_TPU, .to = 2, T18 },
    { "TPU: DC CVAU at EL0", SYS(3,7,11,1), .arg = A_BUF, .at = AT_EL0, .hcr = HCR_TPU, .to = 2, T18 },
    { "TPU: IC IVAU", SYS(3,7,5,1), .arg = A_BUF, .hcr = HCR_TPU, .to = 2, T18 },
    { "TPU: IC IVAU at EL0", SYS(3,7,5,1), .arg = A_BUF, .at = AT_EL0, .hcr = HCR_TPU, .to = 2, T18 },
    { "TPU: IC IALLUIS", SYS0(0,7,1,0), .hcr = HCR_TPU, .to = 2, T18 },
    { "TPU clear: IC IVAU at EL0", SYS(3,7,5,1), .arg = A_BUF, .at = AT_EL0 },
    { "SCTLR_EL1.UCI=0 before TPU: IC IVAU at EL0 to EL1", SYS(3,7,5,1), .arg = A_BUF, .at = AT_EL0,
      .hcr = HCR_TPU, .sctlr_clr = SCTLR_UCI, .to = 1, T18 },
    /* --- TTLB (VMALLE1 and VAE1IS in sys-traps) --- */
    { "TTLB: TLBI VMALLE1IS", SYS0(0,8,3,0), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI ASIDE1IS", SYS(0,8,3,2), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VAAE1IS", SYS(0,8,3,3), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VALE1IS", SYS(0,8,3,5), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VAALE1IS", SYS(0,8,3,7), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VAE1", SYS(0,8,7,1), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI ASIDE1", SYS(0,8,7,2), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VAAE1", SYS(0,8,7,3), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VALE1", SYS(0,8,7,5), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VAALE1", SYS(0,8,7,7), .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VMALLE1OS", SYS0(0,8,1,0), .need = N_TLBIOS, .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI VAE1OS", SYS(0,8,1,1), .need = N_TLBIOS, .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI RVAE1", SYS(0,8,6,1), .need = N_TLBIRANGE, .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB: TLBI RVAAE1IS", SYS(0,8,2,3), .need = N_TLBIRANGE, .hcr = HCR_TTLB, .to = 2, T18 },
    { "TTLB clear: TLBI VMALLE1IS", SYS0(0,8,3,0) },
    /* --- TDZ (EL1 DC ZVA in sys-traps) --- */
    { "TDZ: DC ZVA at EL0", SYS(3,7,4,1), .arg = A_BUF, .at = AT_EL0, .hcr = HCR_TDZ, .to = 2, T18 },
    /* With the MMU off EL0 data accesses are Device-nGnRnE, where DC ZVA takes an Alignment fault
     * (QEMU 7.2 zeroes instead: strict); HCR_EL2.DC=1 makes them Normal (stage 2 from s2_setup). */
    { "TDZ clear, DC=1: DC ZVA at EL0 to Normal memory", SYS(3,7,4,1), .arg = A_BUF, .at = AT_EL0, .hcr = HCR_DC },
    { "TDZ clear: DC ZVA at EL0 to Device memory: Alignment fault to EL1", SYS(3,7,4,1), .need = N_STRICT,
      .arg = A_BUF, .at = AT_EL0, .to = 1, .ec = 0x24, .iss = 1 << 6 | 0x21 },
    { "SCTLR_EL1.DZE=0 before TDZ: DC ZVA at EL0 to EL1", SYS(3,7,4,1), .arg = A_BUF, .at = AT_EL0,
      .hcr = HCR_TDZ, .sctlr_clr = SCTLR_DZE, .to = 1, T18 },
    /* --- TWI at EL0, SMC/HVC routing, HCD --- */
    { "TWI: WFI at EL0", I_WFI, .at = AT_EL0, .hcr = HCR_TWI, .to = 2, .ec = 0x01, .iss = 1 << 24 | 0xe << 20 },
    { "SCTLR_EL1.nTWI=0 before TWI: WFI at EL0 to EL1", I_WFI, .at = AT_EL0, .hcr = HCR_TWI,
      .sctlr_clr = SCTLR_nTWI, .to = 1, .ec = 0x01, .iss = 1 << 24 | 0xe << 20 },
    { "TSC: SMC #0x1234", I_SMC(0x1234), .hcr = HCR_TSC, .to = 2, .ec = 0x17, .iss = 0x1234 },
    { "TSC: SMC at EL0 is UNDEFINED (to EL1)", I_SMC(1), .at = AT_EL0, .hcr = HCR_TSC, .to = 1, .ec = 0x00, .iss = 0 },
    { "HVC #0x42 at EL1 to EL2", I_HVC(0x42), .to = 2, .ec = 0x16, .iss = 0x42 },
    { "HCD (no EL3): HVC at EL1 is UNDEFINED", I_HVC(0x42), .need = N_NO_EL3, .at = AT_EL1_SMCRET, .hcr = HCR_HCD,
      .to = 1, .ec = 0x00, .iss = 0 },
    { "HCD is RES0 with EL3: HVC at EL1 still to EL2", I_HVC(0x43), .need = N_EL3, .hcr = HCR_HCD, .to = 2, .ec = 0x16, .iss = 0x43 },
    /* --- TIDCP: IMPLEMENTATION DEFINED registers (none implemented) --- */
    { "TIDCP: MRS S3_0_C11_C0_0", MRS(3,0,11,0,0), .need = N_STRICT, .hcr = HCR_TIDCP, .to = 2, T18 },
    { "TIDCP: MSR S3_7_C15_C15_7", MSR(3,7,15,15,7), .need = N_STRICT, .hcr = HCR_TIDCP, .to = 2, T18 },
    { "TIDCP: MRS S3_3_C15_C2_0", MRS(3,3,15,2,0), .need = N_STRICT, .hcr = HCR_TIDCP, .to = 2, T18 },
    { "TIDCP clear: MRS S3_0_C11_C0_0 is UNDEFINED", MRS(3,0,11,0,0), .to = 1, .ec = 0x00, .iss = 0 },
    { "TIDCP clear: MSR S3_7_C15_C15_7 is UNDEFINED", MSR(3,7,15,15,7), .to = 1, .ec = 0x00, .iss = 0 },
    { "TIDCP: EL0 MRS S3_3_C15_C2_0 is UNDEFINED (impdef: not trapped)", MRS(3,3,15,2,0), .at = AT_EL0,
      .hcr = HCR_TIDCP, .to = 1, .ec = 0x00, .iss = 0 },
    /* --- APK / API (APIAKeyLo and PACIA in sys-traps) --- */
    { "APK=0: MSR APDBKeyHi_EL1", MSR(3,0,2,2,3), .need = N_PAUTH, .hcr = HCR_API, .to = 2, T18 },
    { "APK=0: MRS APGAKeyLo_EL1", MRS(3,0,2,3,0), .need = N_PAUTH, .hcr = HCR_API, .to = 2, T18 },
    { "APK=0: MRS APIBKeyHi_EL1", MRS(3,0,2,1,3), .need = N_PAUTH, .hcr = HCR_API, .to = 2, T18 },
    { "APK=1: MRS APGAKeyLo_EL1", MRS(3,0,2,3,0), .need = N_PAUTH, .hcr = HCR_API | HCR_APK },
    { "API=0: AUTIA", I_AUTIA, .need = N_PAUTH, .hcr = HCR_APK, .to = 2, .ec = 0x09, .iss = 0 },
    { "API=0: PACIB", I_PACIB, .need = N_PAUTH, .hcr = HCR_APK, .to = 2, .ec = 0x09, .iss = 0 },
    { "API=0: PACDA", I_PACDA, .need = N_PAUTH, .hcr = HCR_APK, .to = 2, .ec = 0x09, .iss = 0 },
    { "API=0: AUTDB", I_AUTDB, .need = N_PAUTH, .hcr = HCR_APK, .to = 2, .ec = 0x09, .iss = 0 },
    { "API=0: PACGA", I_PACGA, .need = N_PAUTH, .hcr = HCR_APK, .to = 2, .ec = 0x09, .iss = 0 },
    { "API=0: PACIASP", I_PACIASP, .need = N_PAUTH, .hcr = HCR_APK, .to = 2, .ec = 0x09, .iss = 0 },
    { "API=0: PACIA at EL0", I_PACIA, .need = N_PAUTH, .at = AT_EL0, .hcr = HCR_APK, .to = 2, .ec = 0x09, .iss = 0 },
    { "API=0: XPACI is not trapped", I_XPACI, .need = N_PAUTH, .hcr = HCR_APK },
    { "API=0 with SCTLR_EL1.EnIA=0: PACIA is not trapped", I_PACIA, .need = N_PAUTH, .hcr = HCR_APK,
      .sctlr_clr = SCTLR_EnIA },
    { "API=1: AUTIA", I_AUTIA, .need = N_PAUTH, .hcr = HCR_APK | HCR_API },
    /* --- TLOR (FEAT_LOR) --- */
    { "TLOR: MRS LORID_EL1", MRS(3,0,10,4,7), .need = N_LOR, .hcr = HCR_TLOR, .to = 2, T18 },
    { "TLOR: MSR LORSA_EL1", MSR(3,0,10,4,0), .need = N_LOR, .hcr = HCR_TLOR, .to = 2, T18 },
    { "TLOR: MRS LOREA_EL1", MRS(3,0,10,4,1), .need = N_LOR, .hcr = HCR_TLOR, .to = 2, T18 },
    { "TLOR: MSR LORN_EL1", MSR(3,0,10,4,2), .need = N_LOR, .hcr = HCR_TLOR, .to = 2, T18 },
    { "TLOR: MRS LORC_EL1", MRS(3,0,10,4,3), .need = N_LOR, .hcr = HCR_TLOR, .to = 2, T18 },
    { "TLOR clear: MSR LORC_EL1", MSR(3,0,10,4,3), .need = N_LOR },
    { "TLOR clear: MRS LORID_EL1", MRS(3,0,10,4,7), .need = N_LOR },
    { "LORID_EL1 at EL0 is UNDEFINED", MRS(3,0,10,4,7), .need = N_LOR, .at = AT_EL0, .to = 1, .ec = 0x00, .iss = 0 },
    { "LDLAR (FEAT_LOR) loads", I_LDLAR, .need = N_LOR, .arg = A_BUF },
    { "STLLR (FEAT_LOR) stores", I_STLLR, .pre = I_LDR_X3_X1, .need = N_LOR, .arg = A_BUF },
    { "no FEAT_LOR: MRS LORID_EL1 is UNDEFINED", MRS(3,0,10,4,7), .need = N_NO_LOR, .hcr = HCR_TLOR, .to = 1, .ec = 0x00, .iss = 0 },
    { "no FEAT_LOR: LDLAR is UNDEFINED", I_LDLAR, .need = N_NO_LOR, .arg = A_BUF, .to = 1, .ec = 0x00, .iss = 0 },
    /* --- TERR / FIEN (FEAT_RAS) --- */
    { "TERR: MRS ERRIDR_EL1", MRS(3,0,5,3,0), .need = N_RAS, .hcr = HCR_TERR, .to = 2, T18 },
    { "TERR clear: MRS ERRIDR_EL1", MRS(3,0,5,3,0), .need = N_RAS },
    { "no FEAT_RAS: MRS ERRIDR_EL1 is UNDEFINED (TERR is RES0)", MRS(3,0,5,3,0), .need = N_NO_RAS, .hcr = HCR_TERR,
      .to = 1, .ec = 0x00, .iss = 0 },
    /* TEA routes External aborts from EL0/EL1 to EL2 with FEAT_RAS (QEMU 7.2 does not: strict). */
    { "TEA clear: synchronous External abort of an EL1 load taken at EL1", I_LDR_X3_X1, .arg = A_UNASSIGNED,
      .to = 1, .ec = 0x25, .iss = 0x10, .iss_mask = 0x7f },
    { "no FEAT_RAS: TEA is RES0: External abort of an EL1 load taken at EL1", I_LDR_X3_X1, .need = N_NO_RAS,
      .arg = A_UNASSIGNED, .hcr = HCR_TEA, .to = 1, .ec = 0x25, .iss = 0x10, .iss_mask = 0x7f },
    { "TEA=1: External abort of an EL1 load routed to EL2", I_LDR_X3_X1, .need = N_RAS_STRICT,
      .arg = A_UNASSIGNED, .hcr = HCR_TEA, .to = 2, .ec = 0x24, .iss = 0x10, .iss_mask = 0x7f },
    { "no FEAT_RASv1p1: MRS ERXPFGF_EL1 is UNDEFINED (FIEN is RES0)", MRS(3,0,5,4,4), .need = N_NO_RAS1P1,
      .hcr = HCR_FIEN, .to = 1, .ec = 0x00, .iss = 0 },
    /* --- CPTR_EL2.TCPAC --- */
    { "CPTR_EL2.TCPAC: MRS CPACR_EL1", MRS(3,0,1,0,2), .cptr = CPTR_TCPAC, .to = 2, T18 },
    { "CPTR_EL2.TCPAC: MSR CPACR_EL1", MSR(3,0,1,0,2), .arg = A_CPACR, .cptr = CPTR_TCPAC, .to = 2, T18 },
    { "CPTR_EL2.TCPAC clear: MSR CPACR_EL1", MSR(3,0,1,0,2), .arg = A_CPACR },
    /* --- MDCR_EL2 (MDSCR and OSLSR in sys-traps) --- */
    { "MDCR_EL2.TDA: MSR DBGBVR0_EL1", MSR(2,0,0,0,4), .mdcr = MDCR_TDA, .to = 2, T18 },
    { "MDCR_EL2.TDA: MRS DBGBCR1_EL1", MRS(2,0,0,1,5), .mdcr = MDCR_TDA, .to = 2, T18 },
    { "MDCR_EL2.TDA: MRS MDCCSR_EL0 at EL0", MRS(2,3,0,1,0), .at = AT_EL0, .mdcr = MDCR_TDA, .to = 2, T18 },
    { "MDCR_EL2.TDRA: MRS MDRAR_EL1", MRS(2,0,1,0,0), .mdcr = MDCR_TDRA, .to = 2, T18 },
    { "MDCR_EL2.TDOSA: MSR OSLAR_EL1", MSR(2,0,1,0,4), .mdcr = MDCR_TDOSA, .to = 2, T18 },
    { "MDCR_EL2.TDOSA: MRS OSDLR_EL1", MRS(2,0,1,3,4), .mdcr = MDCR_TDOSA, .to = 2, T18 },
    { "MDCR_EL2.TDOSA does not trap MDSCR_EL1", MRS(2,0,0,2,2), .mdcr = MDCR_TDOSA },
    { "MDCR_EL2.TDE implies TDA: MRS MDSCR_EL1", MRS(2,0,0,2,2), .mdcr = MDCR_TDE, .to = 2, T18 },
    { "MDCR_EL2.TDE implies TDRA: MRS MDRAR_EL1", MRS(2,0,1,0,0), .mdcr = MDCR_TDE, .to = 2, T18 },
    { "MDCR_EL2.TDE implies TDOSA: MRS OSLSR_EL1", MRS(2,0,1,1,4), .mdcr = MDCR_TDE, .to = 2, T18 },
    { "MDCR_EL2.TDE routes BRK at EL1 to EL2", I_BRK(0x77), .mdcr = MDCR_TDE, .to = 2, .ec = 0x3c, .iss = 0x77 },
    { "MDCR_EL2.TDE routes BRK at EL0 to EL2", I_BRK(0x78), .at = AT_EL0, .mdcr = MDCR_TDE, .to = 2, .ec = 0x3c, .iss = 0x78 },
    { "MDCR_EL2.TDE clear: BRK at EL1 to EL1", I_BRK(0x77), .to = 1, .ec = 0x3c, .iss = 0x77 },
    /* QEMU 7.2 does not implement MDCR_EL2.TPMCR: strict only. */
    { "MDCR_EL2.TPMCR: MRS PMCR_EL0", MRS(3,3,9,12,0), .need = N_PMU_STRICT, .mdcr = MDCR_TPMCR, .to = 2, T18 },
    { "MDCR_EL2.TPM: MRS PMCCNTR_EL0", MRS(3,3,9,13,0), .need = N_PMU, .mdcr = MDCR_TPM, .to = 2, T18 },
    { "MDCR_EL2.TPM: MSR PMCR_EL0", MSR(3,3,9,12,0), .need = N_PMU,
      .mdcr = MDCR_TPM, .to = 2, T18 },
    { "no PMUv3: MRS PMCR_EL0 is UNDEFINED", MRS(3,3,9,12,0), .need = N_NO_PMU, .mdcr = MDCR_TPM | MDCR_TPMCR,
      .to = 1, .ec = 0x00, .iss = 0 },
    /* --- VI/VF/VSE from EL0 (EL1 cases in sys-exc): taken to EL1 only with IMO/FMO/AMO --- */
    { "VI+IMO: virtual IRQ taken from EL0 to EL1", 0xd503201fu, .at = AT_EL0, .hcr = HCR_VI | HCR_IMO, .to = 1,
      .kind = EXC_IRQ },
    { "VF+FMO: virtual FIQ taken from EL0 to EL1", 0xd503201fu, .at = AT_EL0, .hcr = HCR_VF | HCR_FMO, .to = 1,
      .kind = EXC_FIQ },
    { "VSE+AMO: virtual SError taken from EL0 to EL1 (EC 0x2F)", 0xd503201fu, .at = AT_EL0, .hcr = HCR_VSE | HCR_AMO,
      .to = 1, .ec = 0x2f, .kind = EXC_SERROR },
    { "VI without IMO: no virtual IRQ at EL0", 0xd503201fu, .at = AT_EL0, .hcr = HCR_VI },
    { "VF with IMO (not FMO): no virtual FIQ at EL0", 0xd503201fu, .at = AT_EL0, .hcr = HCR_VF | HCR_IMO },
    /* --- FMO/IMO: physical interrupts (a pending SGI) to EL2 whatever EL1's PSTATE masks --- */
    { "IMO=1: physical IRQ taken from EL1 (PSTATE.I=1) to EL2", 0xd503201fu, .sgi = 1, .hcr = HCR_IMO, .to = 2,
      .kind = EXC_IRQ },
    { "FMO=1: physical FIQ taken from EL1 (PSTATE.F=1) to EL2", 0xd503201fu, .sgi = 2, .hcr = HCR_FMO, .to = 2,
      .kind = EXC_FIQ },
    { "IMO=0: physical IRQ masked at EL1 by PSTATE.I: not taken", 0xd503201fu, .sgi = 1 },
    { "IMO=0: physical IRQ taken at EL1 when unmasked", 0xd503201fu, .sgi = 1, .unmask = 1, .to = 1, .kind = EXC_IRQ },
    { "IMO=0: physical IRQ taken from EL0 to EL1", 0xd503201fu, .sgi = 1, .at = AT_EL0, .to = 1, .kind = EXC_IRQ },
    { "FMO=1, IMO=0: physical IRQ still taken at EL1", 0xd503201fu, .sgi = 1, .unmask = 1, .hcr = HCR_FMO, .to = 1,
      .kind = EXC_IRQ },
    { "TGE=1 (IMO=0): physical IRQ taken from EL0 to EL2", 0xd503201fu, .sgi = 1, .at = AT_EL0_HOST, .hcr = HCR_TGE,
      .to = 2, .kind = EXC_IRQ },
    /* --- CPTR_EL2.TCPAC is bit 31 in the E2H=1 layout too --- */
    { "E2H=1: CPTR_EL2.TCPAC: MRS CPACR_EL1", MRS(3,0,1,0,2), .need = N_VHE, .hcr = HCR_E2H, .cptr = CPTR_TCPAC,
      .to = 2, T18 },
    /* --- EL1-only instructions at EL0 are UNDEFINED before any HCR_EL2 trap --- */
    { "TSW: DC CISW at EL0 is UNDEFINED (to EL1)", SYS(0,7,14,2), .at = AT_EL0, .hcr = HCR_TSW, .to = 1, .ec = 0x00, .iss = 0 },
    { "TTLB: TLBI VMALLE1 at EL0 is UNDEFINED (to EL1)", SYS0(0,8,7,0), .at = AT_EL0, .hcr = HCR_TTLB, .to = 1, .ec = 0x00,
      .iss = 0 },
    { "TVM: MSR SCTLR_EL1 at EL0 is UNDEFINED (to EL1)", MSR(3,0,1,0,0), .at = AT_EL0, .hcr = HCR_TVM, .to = 1, .ec = 0x00,
      .iss = 0 },
    { "TID1 (FEAT_IDST): MRS REVIDR_EL1 at EL0 traps to EL1, not EL2", MRS(3,0,0,0,6), .need = N_IDST, .at = AT_EL0,
      .hcr = HCR_TID1, .to = 1, T18 },
    { "TID3 (FEAT_IDST): MRS ID_AA64PFR0_EL1 at EL0 traps to EL1, not EL2", MRS(3,0,0,4,0), .need = N_IDST, .at = AT_EL0,
      .hcr = HCR_TID3, .to = 1, T18 },
    { "APK=0: MRS APIAKeyLo_EL1 at EL0 is UNDEFINED (to EL1)", MRS(3,0,2,1,0), .need = N_PAUTH, .at = AT_EL0,
      .hcr = HCR_API, .to = 1, .ec = 0x00, .iss = 0 },
    { "TACR: MRS ACTLR_EL1 at EL0 is UNDEFINED (to EL1)", MRS(3,0,1,0,1), .at = AT_EL0, .hcr = HCR_TACR, .to = 1,
      .ec = 0x00, .iss = 0 },
    { "CPTR_EL2.TCPAC: MRS CPACR_EL1 at EL0 is UNDEFINED (to EL1)", MRS(3,0,1,0,2), .at = AT_EL0, .cptr = CPTR_TCPAC,
      .to = 1, .ec = 0x00, .iss = 0 },
    { "E2H=1, TGE=0: MRS SCTLR_EL12 at EL1 is UNDEFINED", MRS(3,5,1,0,0), .need = N_VHE, .hcr = HCR_E2H, .to = 1, .ec = 0x00,
      .iss = 0 },
    /* --- TGE (E2H=0): EL0 exceptions go to EL2 --- */
    { "TGE (FEAT_IDST): MRS ID_AA64PFR0_EL1 at EL0 traps to EL2", MRS(3,0,0,4,0), .need = N_IDST, .at = AT_EL0_HOST,
      .hcr = HCR_TGE, .to = 2, T18 },
    /* AArch64.S1Enabled: TGE=1 disables EL1&0 stage 1 (QEMU 7.2 still walks: strict). */
    { "TGE: SCTLR_EL1.M is treated as 0 for EL0 (runs flat with TTBR0_EL1 = 0)", I_LDR_X3_X1, .need = N_STRICT,
      .arg = A_BUF, .at = AT_EL0_HOST, .hcr = HCR_TGE, .sctlr1_set = 1 },
    { "TGE, E2H=0 (not a host): TID2 still traps CTR_EL0 at EL0", MRS(3,3,0,0,1), .at = AT_EL0_HOST,
      .hcr = HCR_TGE | HCR_TID2, .to = 2, T18 },
    { "TGE, E2H=0 (not a host): TDZ still traps DC ZVA at EL0", SYS(3,7,4,1), .arg = A_BUF, .at = AT_EL0_HOST,
      .hcr = HCR_TGE | HCR_TDZ, .to = 2, T18 },
    { "TGE: SVC #3 at EL0 to EL2", I_SVC(3), .at = AT_EL0_HOST, .hcr = HCR_TGE, .to = 2, .ec = 0x15, .iss = 3 },
    { "TGE: UDF at EL0 to EL2", I_UDF, .at = AT_EL0_HOST, .hcr = HCR_TGE, .to = 2, .ec = 0x00, .iss = 0 },
    { "TGE: BRK at EL0 to EL2", I_BRK(9), .at = AT_EL0_HOST, .hcr = HCR_TGE, .to = 2, .ec = 0x3c, .iss = 9 },
    { "TGE: SCTLR_EL1.UCT=0 traps CTR_EL0 at EL0 to EL2", MRS(3,3,0,0,1), .at = AT_EL0_HOST, .hcr = HCR_TGE,
      .sctlr_clr = SCTLR_UCT, .to = 2, T18 },
    { "TGE: WFI at EL0 with SCTLR_EL1.nTWI=0 to EL2", I_WFI, .at = AT_EL0_HOST, .hcr = HCR_TGE,
      .sctlr_clr = SCTLR_nTWI, .to = 2, .ec = 0x01, .iss = 1 << 24 | 0xe << 20 },
    { "TGE: MRS MDSCR_EL1 at EL0 is UNDEFINED, to EL2", MRS(2,0,0,2,2), .at = AT_EL0_HOST, .hcr = HCR_TGE,
      .to = 2, .ec = 0x00, .iss = 0 },
    { "TGE: virtual IRQ (VI, IMO) is not taken at EL0", 0xd503201fu, .at = AT_EL0_HOST,
      .hcr = HCR_TGE | HCR_IMO | HCR_VI },
    /* --- E2H + TGE (VHE host): EL0 is controlled by SCTLR_EL2, HCR_EL2 traps do not apply --- */
    { "E2H+TGE: SCTLR_EL2.UCT=0 traps CTR_EL0 at EL0 to EL2", MRS(3,3,0,0,1), .need = N_VHE, .at = AT_EL0_HOST,
      .hcr = HCR_E2H | HCR_TGE, .sctlr_clr = SCTLR_UCT, .to = 2, T18 },
    { "E2H+TGE: TID2 does not trap CTR_EL0 at EL0", MRS(3,3,0,0,1), .need = N_VHE, .at = AT_EL0_HOST,
      .hcr = HCR_E2H | HCR_TGE | HCR_TID2 },
    { "E2H+TGE: TDZ does not trap DC ZVA at EL0 (Device memory: Alignment fault to EL2)", SYS(3,7,4,1),
      .need = N_STRICT, .at = AT_EL0_HOST, .arg = A_BUF, .hcr = HCR_E2H | HCR_TGE | HCR_TDZ, .to = 2, .ec = 0x24,
      .iss = 1 << 6 | 0x21 },
    { "E2H+TGE: TPU does not trap IC IVAU at EL0", SYS(3,7,5,1), .need = N_VHE, .at = AT_EL0_HOST, .arg = A_BUF,
      .hcr = HCR_E2H | HCR_TGE | HCR_TPU },
    { "E2H+TGE: SCTLR_EL2.nTWI=0 traps WFI at EL0 to EL2", I_WFI, .need = N_VHE, .at = AT_EL0_HOST,
      .hcr = HCR_E2H | HCR_TGE, .sctlr_clr = SCTLR_nTWI, .to = 2, .ec = 0x01, .iss = 1 << 24 | 0xe << 20 },
    { "E2H+TGE: SVC at EL0 to EL2", I_SVC(5), .need = N_VHE, .at = AT_EL0_HOST, .hcr = HCR_E2H | HCR_TGE,
      .to = 2, .ec = 0x15, .iss = 5 },
};

/* ---------------------------------------------------------------- state */

static uint8_t el1_stack[8192] __attribute__((aligned(16)));
static uint8_t el0_stack[8192] __attribute__((aligned(16)));
static uint64_t data_buf[32] __attribute__((aligned(256)));
static volatile uint32_t code_buf[16] __attribute__((aligned(64)));
static uint64_t insn_pc;
static ExcFrame seen[3];
static unsigned seen_count[3], seen_kind[3];
static bool strict;
static uint64_t seen_hpfar;
static uint64_t hcr_base;
static uint64_t pfr0, pfr1, isar0, isar1, mmfr1, dfr0;

extern char el_call_lower_resume[];   /* guests/lib/el.S: where el_call_lower() resumes */

static bool handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if (seen_count[el]++ == 0) {
        seen[el] = *f;
        seen_kind[el] = kind;
        if (el == 2) {
            seen_hpfar = read_sysreg(HPFAR_EL2);
        }
    }
    /* test_ptw: a stage-2 fault on a stage-1 walk (S1PTW): clear HCR_EL2.PTW and retry. */
    if (el == 2 && (kind & 3) == EXC_SYNC && (esr_ec(f->esr) == 0x20 || esr_ec(f->esr) == 0x24) &&
        (esr_iss(f->esr) & (1u << 7))) {
        write_sysreg(read_sysreg(HCR_EL2) & ~HCR_PTW, HCR_EL2);
        isb();
        return true;
    }
    switch (kind & 3) {
    case EXC_IRQ:
        if (el == 2) {
            write_sysreg(read_sysreg(ICC_IAR1_EL1), ICC_EOIR1_EL1);   /* physical: acknowledge */
        } else {
            f->spsr |= 0x80;
        }
        break;
    case EXC_FIQ:
        if (el == 2) {
            write_sysreg(read_sysreg(ICC_IAR0_EL1), ICC_EOIR0_EL1);
        } else {
            f->spsr |= 0x40;
        }
        break;
    case EXC_SERROR: f->spsr |= 0x100; break;
    default:
        /* Return to the next instruction; SVC/HVC already point there. */
        if (esr_ec(f->esr) != 0x15 && esr_ec(f->esr) != 0x16) {
            f->elr += 4;
        }
        /* An Instruction Abort from a lower EL would repeat forever: end that run. */
        if (esr_ec(f->esr) == 0x20) {
            f->elr = (uint64_t)(uintptr_t)el_call_lower_resume;
            f->spsr = (el == 2 ? SPSR_EL2h : SPSR_EL1h) | SPSR_DAIF;
            break;
        }
        /* The end of a case that cannot return by HVC #0xfff (SVC #0xffe from host
         * EL0, TSC-trapped SMC #0xffe from EL1): back into el_call_lower. */
        if (el == 2 && (esr_ec(f->esr) == 0x15 || esr_ec(f->esr) == 0x17) && esr_iss(f->esr) == 0xffe) {
            seen_count[el]--;
            f->elr = (uint64_t)(uintptr_t)el_call_lower_resume;
            f->spsr = SPSR_EL2h | SPSR_DAIF;
        }
        break;
    }
    return true;
}

static void code_load(const uint32_t *w, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        code_buf[i] = w[i];
    }
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" : : "r"(code_buf) : "memory");
}

/* EL1: run the code buffer at EL0 (SP_EL0 = el0_stack). */
static uint64_t el1_run_el0(uint64_t arg)
{
    return el_call_lower((uint64_t (*)(uint64_t))(uintptr_t)code_buf, arg, SPSR_EL0t,
                         (uint64_t)(uintptr_t)(el0_stack + sizeof(el0_stack)));
}

static bool have(unsigned need)
{
    unsigned ras = (pfr0 >> 28) & 0xf;
    switch (need) {
    case N_ANY: return true;
    case N_PAUTH: return ((isar1 >> 4) & 0xf) || ((isar1 >> 8) & 0xf);
    case N_LOR: return ((mmfr1 >> 16) & 0xf) != 0;
    case N_NO_LOR: return ((mmfr1 >> 16) & 0xf) == 0;
    case N_PMU: return ((dfr0 >> 8) & 0xf) != 0 && ((dfr0 >> 8) & 0xf) != 0xf;
    case N_NO_PMU: return ((dfr0 >> 8) & 0xf) == 0 || ((dfr0 >> 8) & 0xf) == 0xf;
    case N_EL3: return ((pfr0 >> 12) & 0xf) != 0;
    case N_NO_EL3: return ((pfr0 >> 12) & 0xf) == 0;
    case N_RAS: return ras != 0;
    case N_NO_RAS: return ras == 0;
    case N_NO_RAS1P1: return ras < 2 && ((pfr1 >> 12) & 0xf) == 0;
    case N_DPB: return (isar1 & 0xf) != 0;
    case N_DPB2: return (isar1 & 0xf) >= 2;
    case N_TLBIOS: return ((isar0 >> 56) & 0xf) >= 1;
    case N_TLBIRANGE: return ((isar0 >> 56) & 0xf) >= 2;
    case N_VHE: return ((mmfr1 >> 8) & 0xf) != 0;
    case N_STRICT: return strict;
    case N_PMU_STRICT: return strict && have(N_PMU);
    case N_RAS_STRICT: return strict && have(N_RAS);
    case N_IDST: return ((read_sysreg(ID_AA64MMFR2_EL1) >> 36) & 0xf) != 0;
    }
    return false;
}

static uint32_t sysreg_iss(uint32_t insn)
{
    return ((insn >> 19) & 3) << 20 | ((insn >> 5) & 7) << 17 | ((insn >> 16) & 7) << 14 |
           ((insn >> 12) & 15) << 10 | (insn & 31) << 5 | ((insn >> 8) & 15) << 1 | ((insn >> 21) & 1);
}

static void run_case(const Case *c)
{
    uint32_t w[6];
    unsigned n = 0;
    w[n++] = I_MOV_X1_X0;
    w[n++] = I_MOV_X2_X0;
    if (c->pre) {
        w[n++] = c->pre;
    }
    unsigned at = n;
    w[n++] = c->insn;
    w[n++] = c->at == AT_EL0_HOST ? I_SVC_FFE : c->at == AT_EL1_SMCRET ? I_SMC_FFE : I_RET;
    code_load(w, n);
    insn_pc = (uint64_t)(uintptr_t)&code_buf[at];

    uint64_t arg = 0;
    switch (c->arg) {
    case A_BUF: arg = (uint64_t)(uintptr_t)data_buf; break;
    case A_CPACR: arg = read_sysreg(CPACR_EL1); break;
    case A_TCR: arg = read_sysreg(TCR_EL1); break;
    case A_ONE: arg = 1; break;
    case A_UNASSIGNED: arg = PA_UNASSIGNED; break;
    default: break;
    }
    uint64_t sctlr2 = read_sysreg(SCTLR_EL2);
    if (c->sgi) {
        if (c->sgi == 1) {
            write_sysreg(1ul << 24 | 1, ICC_SGI1R_EL1);
        } else {
            write_sysreg(2ul << 24 | 1, ICC_SGI0R_EL1);
        }
        isb();
        for (int i = 0; i < 1000 && !(read_sysreg(ISR_EL1) & 0xc0); i++) {
        }
    }
    write_sysreg((SCTLR1_BASE & ~c->sctlr_clr) | c->sctlr1_set, SCTLR_EL1);
    if (c->sctlr1_set & 1) {
        write_sysreg(0, TTBR0_EL1);                 /* stage 1 would walk garbage at PA 0 */
        __asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" : : : "memory");
    }
    write_sysreg(c->mdcr, MDCR_EL2);
    write_sysreg(0x33ff | c->cptr, CPTR_EL2);
    memset(seen_count, 0, sizeof(seen_count));
    if (c->at == AT_EL0_HOST) {
        if (c->hcr & HCR_E2H) {
            /* Set E2H first (TGE=0), then SCTLR_EL2 in the EL2&0 layout. */
            write_sysreg(hcr_base | HCR_E2H, HCR_EL2);
            isb();
            write_sysreg((sctlr2 | SCTLR_UCT | SCTLR_DZE | SCTLR_UCI | SCTLR_nTWI | SCTLR_nTWE) & ~c->sctlr_clr,
                         SCTLR_EL2);
        }
        write_sysreg(hcr_base | c->hcr, HCR_EL2);
        write_sysreg((uint64_t)(uintptr_t)(el0_stack + sizeof(el0_stack)), SP_EL0);
        isb();
        el_call_lower((uint64_t (*)(uint64_t))(uintptr_t)code_buf, arg, SPSR_EL0t,
                      (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    } else {
        write_sysreg(hcr_base | c->hcr | (c->at == AT_EL1_SMCRET ? HCR_TSC : 0), HCR_EL2);
        isb();
        if (c->at == AT_EL0) {
            el_call_lower(el1_run_el0, arg, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
        } else {
            el_call_lower((uint64_t (*)(uint64_t))(uintptr_t)code_buf, arg,
                          SPSR_EL1h | (c->unmask ? 0x300 : SPSR_DAIF),
                          (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
        }
    }
    /* Acknowledge what is still pending (masked at EL1, or left by EL1's handler). */
    for (int i = 0; i < 4; i++) {
        uint64_t id1 = read_sysreg(ICC_IAR1_EL1), id0 = read_sysreg(ICC_IAR0_EL1);
        if (id1 < 1020) {
            write_sysreg(id1, ICC_EOIR1_EL1);
        }
        if (id0 < 1020) {
            write_sysreg(id0, ICC_EOIR0_EL1);
        }
    }
    uint64_t late_pending = c->sgi ? read_sysreg(ISR_EL1) & 0xc0 : 0;
    write_sysreg(hcr_base & ~HCR_TGE, HCR_EL2);
    isb();
    write_sysreg(sctlr2, SCTLR_EL2);
    write_sysreg(hcr_base, HCR_EL2);
    write_sysreg(0, MDCR_EL2);
    write_sysreg(0x33ff, CPTR_EL2);
    write_sysreg(SCTLR1_BASE, SCTLR_EL1);
    isb();

    unsigned from_el = c->at == AT_EL1 || c->at == AT_EL1_SMCRET ? 1 : 0;
    uint32_t iss = c->iss < 0 ? sysreg_iss(c->insn) : (uint32_t)c->iss;
    uint64_t elr = insn_pc + ((c->ec == 0x15 || c->ec == 0x16) ? 4 : 0);
    unsigned other = c->to == 2 ? 1 : 2;
    if (c->to == 0) {
        report(seen_count[1] == 0 && seen_count[2] == 0 && !late_pending, "%s: no exception (EL1: %u, ESR 0x%lx; EL2: %u, ESR 0x%lx)",
               c->what, seen_count[1], seen[1].esr, seen_count[2], seen[2].esr);
        return;
    }
    const ExcFrame *f = &seen[c->to];
    if (c->kind) {
        /* An interrupt taken before the instruction: kind, source EL; EC 0x2F for SError. */
        report(seen_count[c->to] == 1 && seen_count[other] == 0 &&
               seen_kind[c->to] == EXC_KIND(c->to == from_el ? EXC_FROM_SPX : EXC_FROM_LOWER64, c->kind) &&
               (f->spsr & 0xf) == (from_el ? SPSR_EL1h : SPSR_EL0t) &&
               (c->kind != EXC_SERROR || (esr_ec(f->esr) == 0x2f && esr_il(f->esr))),
               "%s (kind 0x%x, SPSR 0x%lx, ESR 0x%lx; EL1: %u, EL2: %u)", c->what, seen_kind[c->to], f->spsr, f->esr,
               seen_count[1], seen_count[2]);
        return;
    }
    bool same_el = c->to == 1 && from_el == 1;
    unsigned want_kind = same_el ? EXC_KIND(EXC_FROM_SPX, EXC_SYNC) : EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC);
    uint32_t mask = c->iss_mask ? c->iss_mask : 0x1ffffff;
    report(seen_count[c->to] == 1 && seen_count[other] == 0 && esr_ec(f->esr) == c->ec &&
           (esr_iss(f->esr) & mask) == iss &&
           esr_il(f->esr) && f->elr == elr && seen_kind[c->to] == want_kind &&
           (f->spsr & 0xf) == (from_el ? SPSR_EL1h : SPSR_EL0t),
           "%s: to EL%u, ESR 0x%lx (want EC 0x%x ISS 0x%x), ELR %s, SPSR.M %lu (EL1: %u, EL2: %u; other ESR 0x%lx)",
           c->what, c->to, seen_count[c->to] ? f->esr : 0, c->ec, iss, f->elr == elr ? "ok" : "wrong", f->spsr & 0xf,
           seen_count[1], seen_count[2], seen_count[other] ? seen[other].esr : 0);
}

/* SMC from EL1 with TSC=0 reaches the EL3 firmware (PSCI_VERSION), as from EL2. */
static uint64_t el1_smc(uint64_t fn)
{
    register uint64_t x0 __asm__("x0") = fn;
    __asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
    return x0;
}

static void test_smc_routing(void)
{
    uint64_t el2 = psci_call(PSCI_VERSION, 0, 0, 0);
    memset(seen_count, 0, sizeof(seen_count));
    uint64_t el1 = el_call_lower(el1_smc, PSCI_VERSION, SPSR_EL1h | SPSR_DAIF,
                                 (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    report(el1 == el2 && el1 >= 0x10000 && seen_count[1] + seen_count[2] == 0,
           "TSC=0: SMC from EL1 reaches the firmware (PSCI_VERSION 0x%lx, from EL2 0x%lx)", el1, el2);
}

/* ---------------------------------------------------------------- TID3 */

/* Every encoding of the ID group 3 space (op0=3, op1=0, CRn=0, CRm=1..7), allocated or not. */
static void test_tid3(void)
{
    unsigned bad_set = 0, bad_clear = 0;
    uint32_t first_set = 0, first_clear = 0;
    for (unsigned crm = 1; crm <= 7; crm++) {
        for (unsigned op2 = 0; op2 <= 7; op2++) {
            Case c = { "TID3", MRS(3, 0, 0, crm, op2), .hcr = HCR_TID3, .to = 2, T18 };
            uint32_t w[4] = { c.insn, I_RET };
            code_load(w, 2);
            insn_pc = (uint64_t)(uintptr_t)code_buf;
            for (int set = 1; set >= 0; set--) {
                memset(seen_count, 0, sizeof(seen_count));
                write_sysreg(hcr_base | (set ? HCR_TID3 : 0), HCR_EL2);
                isb();
                el_call_lower((uint64_t (*)(uint64_t))(uintptr_t)code_buf, 0, SPSR_EL1h | SPSR_DAIF,
                              (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
                bool ok = set ? (seen_count[2] == 1 && seen_count[1] == 0 && esr_ec(seen[2].esr) == 0x18 &&
                                 esr_iss(seen[2].esr) == sysreg_iss(c.insn) && esr_il(seen[2].esr) &&
                                 seen[2].elr == insn_pc)
                              : (seen_count[1] == 0 && seen_count[2] == 0);
                if (!ok && set && !bad_set++) {
                    first_set = c.insn;
                }
                if (!ok && !set && !bad_clear++) {
                    first_clear = c.insn;
                }
            }
        }
    }
    write_sysreg(hcr_base, HCR_EL2);
    isb();
    report(bad_set == 0, "TID3: MRS of each of the 56 encodings S3_0_C0_C{1-7}_{0-7} traps to EL2 with EC 0x18 "
           "(%u wrong, first 0x%x)", bad_set, first_set);
    report(bad_clear == 0, "TID3 clear: the 56 ID group 3 encodings read at EL1 (%u wrong, first 0x%x)",
           bad_clear, first_clear);
}

/* ---------------------------------------------------------------- register values */

/* HCR_EL2 bit by bit: each control reads back as written when its feature is
 * implemented, as 0 when it is RES0 (feature absent), RW as 1 without AArch32 EL1. */
static void test_hcr_bits(void)
{
    bool aa32_el1 = ((pfr0 >> 4) & 0xf) == 2, aa32_el0 = (pfr0 & 0xf) == 2;
    bool pauth = have(N_PAUTH), el3 = have(N_EL3), vhe = have(N_VHE), lor = have(N_LOR), ras = have(N_RAS);
    bool ras1p1 = ((pfr0 >> 28) & 0xf) >= 2 || ((pfr1 >> 12) & 0xf) != 0;
    uint64_t mmfr2 = read_sysreg(ID_AA64MMFR2_EL1);
    bool fwb = ((mmfr2 >> 40) & 0xf) != 0;
    static const struct { const char *name; uint64_t bit; } bits[] = {
        { "VM", HCR_VM }, { "SWIO", HCR_SWIO }, { "PTW", HCR_PTW }, { "FMO", HCR_FMO }, { "IMO", HCR_IMO },
        { "AMO", HCR_AMO }, { "VF", HCR_VF }, { "VI", HCR_VI }, { "VSE", HCR_VSE }, { "FB", HCR_FB },
        { "BSU", HCR_BSU }, { "DC", HCR_DC }, { "TWI", HCR_TWI }, { "TWE", HCR_TWE }, { "TID0", HCR_TID0 },
        { "TID1", HCR_TID1 }, { "TID2", HCR_TID2 }, { "TID3", HCR_TID3 }, { "TSC", HCR_TSC },
        { "TIDCP", HCR_TIDCP }, { "TACR", HCR_TACR }, { "TSW", HCR_TSW }, { "TPCP", HCR_TPCP },
        { "TPU", HCR_TPU }, { "TTLB", HCR_TTLB }, { "TVM", HCR_TVM }, { "TGE", HCR_TGE }, { "TDZ", HCR_TDZ },
        { "HCD", HCR_HCD }, { "TRVM", HCR_TRVM }, { "CD", HCR_CD }, { "ID", HCR_ID }, { "E2H", HCR_E2H },
        { "TLOR", HCR_TLOR }, { "TERR", HCR_TERR }, { "TEA", HCR_TEA }, { "APK", HCR_APK },
        { "API", HCR_API }, { "FWB", HCR_FWB }, { "FIEN", HCR_FIEN },
    };
    uint64_t base = HCR_RW;
    for (unsigned i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
        uint64_t b = bits[i].bit;
        bool writable = true;
        if (b == HCR_TID0) writable = aa32_el0;
        if (b == HCR_HCD) writable = !el3;
        if (b == HCR_E2H) writable = vhe;
        if (b == HCR_TLOR) writable = lor;
        if (b == HCR_TERR || b == HCR_TEA) writable = ras;
        if (b == HCR_FIEN) {
            /* RES0 without FEAT_RASv1p1 (ERXPFGF_EL1 UNDEFINED is checked as a case); QEMU 7.2
             * advertises RASv1p1 (ID_AA64PFR1_EL1.RAS_frac) but keeps FIEN RAZ: not checked. */
            (void)ras1p1;
            continue;
        }
        if (b == HCR_APK || b == HCR_API) writable = pauth;
        if (b == HCR_FWB) writable = fwb;
        write_sysreg(base | b, HCR_EL2);
        isb();
        uint64_t v = read_sysreg(HCR_EL2);
        write_sysreg(base, HCR_EL2);
        isb();
        report((v & b) == (writable ? b : 0), "HCR_EL2.%s %s (wrote 0x%lx, read 0x%lx)", bits[i].name,
               writable ? "reads back as written" : "is RES0 (feature absent)", base | b, v);
    }
    /* RW: RAO/WI when EL1 cannot use AArch32. */
    write_sysreg(0, HCR_EL2);
    isb();
    uint64_t v = read_sysreg(HCR_EL2);
    write_sysreg(hcr_base, HCR_EL2);
    isb();
    report(aa32_el1 ? (v & HCR_RW) == 0 : (v & HCR_RW) != 0, "HCR_EL2.RW %s (read 0x%lx)",
           aa32_el1 ? "is writable (AArch32 EL1)" : "is RAO/WI (AArch64-only EL1)", v);
    /* MIOCNCE: no effect without caches to mismatch; reads as written or RAZ/WI (both permitted). */
    write_sysreg(hcr_base | HCR_MIOCNCE, HCR_EL2);
    isb();
    v = read_sysreg(HCR_EL2);
    write_sysreg(hcr_base, HCR_EL2);
    isb();
    report((v & ~HCR_MIOCNCE) == hcr_base, "HCR_EL2.MIOCNCE changes no other bit (read 0x%lx)", v);

    /* MDCR_EL2: the PMU controls exist only with PMUv3. */
    bool pmu = have(N_PMU);
    write_sysreg(MDCR_TPM | MDCR_TPMCR | MDCR_HPME | 1, MDCR_EL2);
    isb();
    v = read_sysreg(MDCR_EL2);
    write_sysreg(0, MDCR_EL2);
    isb();
    report(pmu ? (v & (MDCR_TPM | MDCR_TPMCR | MDCR_HPME | MDCR_HPMN)) == (MDCR_TPM | MDCR_TPMCR | MDCR_HPME | 1)
               : (v & (MDCR_TPM | MDCR_TPMCR | MDCR_HPME | MDCR_HPMN)) == 0,
           "MDCR_EL2.{TPM,TPMCR,HPME,HPMN} %s (read 0x%lx)", pmu ? "read back (PMUv3)" : "are RES0 (no PMUv3)", v);
    write_sysreg(MDCR_TDE | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA, MDCR_EL2);
    isb();
    v = read_sysreg(MDCR_EL2);
    write_sysreg(0, MDCR_EL2);
    isb();
    report((v & 0xf00) == 0xf00, "MDCR_EL2.{TDE,TDA,TDOSA,TDRA} read back (0x%lx)", v);

    /* HSTR_EL2 traps AArch32 CP15 accesses only. */
    write_sysreg(0x8001, HSTR_EL2);
    isb();
    v = read_sysreg(HSTR_EL2);
    write_sysreg(0, HSTR_EL2);
    isb();
    report(aa32_el1 || aa32_el0 ? v == 0x8001 : v == 0, "HSTR_EL2 %s (read 0x%lx)",
           aa32_el1 || aa32_el0 ? "reads back (AArch32 present)" : "is RES0 (no AArch32)", v);
}

/* VPIDR_EL2/VMPIDR_EL2: what EL1 reads as MIDR_EL1/MPIDR_EL1; EL2 reads the real ones. */
static uint64_t el1_read_ids(uint64_t arg)
{
    uint64_t *out = (uint64_t *)(uintptr_t)arg;
    out[0] = read_sysreg(MIDR_EL1);
    out[1] = read_sysreg(MPIDR_EL1);
    return 0;
}

static void test_vpidr(void)
{
    uint64_t midr = read_sysreg(MIDR_EL1), mpidr = read_sysreg(MPIDR_EL1);
    uint64_t vpidr = read_sysreg(VPIDR_EL2), vmpidr = read_sysreg(VMPIDR_EL2);
    write_sysreg(0x41ab1230ul, VPIDR_EL2);
    write_sysreg(0x80000102ul, VMPIDR_EL2);
    isb();
    memset(data_buf, 0, 16);
    memset(seen_count, 0, sizeof(seen_count));
    el_call_lower(el1_read_ids, (uint64_t)(uintptr_t)data_buf, SPSR_EL1h | SPSR_DAIF,
                  (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    report(data_buf[0] == 0x41ab1230ul && data_buf[1] == 0x80000102ul && seen_count[1] + seen_count[2] == 0,
           "EL1 reads VPIDR_EL2/VMPIDR_EL2 as MIDR_EL1/MPIDR_EL1 (0x%lx, 0x%lx)", data_buf[0], data_buf[1]);
    report(read_sysreg(MIDR_EL1) == midr && read_sysreg(MPIDR_EL1) == mpidr,
           "EL2 still reads the real MIDR_EL1/MPIDR_EL1 (0x%lx, 0x%lx)", midr, mpidr);
    write_sysreg(vpidr, VPIDR_EL2);
    write_sysreg(vmpidr, VMPIDR_EL2);
    isb();
}

/* HACR_EL2: IMPLEMENTATION DEFINED; Tandem and QEMU define no controls (RAZ/WI). */
static void test_hacr(void)
{
    write_sysreg(~0ul, HACR_EL2);
    isb();
    uint64_t v = read_sysreg(HACR_EL2);
    write_sysreg(0, HACR_EL2);
    report(v == 0, "HACR_EL2 has no controls: RAZ/WI (read 0x%lx)", v);
}

/* DCZID_EL0.DZP follows HCR_EL2.TDZ at EL1. */
static uint64_t el1_read_dczid(uint64_t arg)
{
    return read_sysreg(DCZID_EL0);
}

static void test_dzp(void)
{
    for (int tdz = 0; tdz <= 1; tdz++) {
        write_sysreg(hcr_base | (tdz ? HCR_TDZ : 0), HCR_EL2);
        isb();
        uint64_t v = el_call_lower(el1_read_dczid, 0, SPSR_EL1h | SPSR_DAIF,
                                   (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
        report(((v >> 4) & 1) == (unsigned)tdz, "DCZID_EL0.DZP at EL1 with HCR_EL2.TDZ=%d reads %lu", tdz, (v >> 4) & 1);
    }
    /* At EL0: DZP = 1 when SCTLR_EL1.DZE = 0 or HCR_EL2.TDZ = 1. */
    static const uint32_t w[] = { MRS(3, 3, 0, 0, 7) & ~31u, I_RET };   /* mrs x0, dczid_el0 */
    code_load(w, 2);
    static const struct { int dze, tdz; } t[] = { { 1, 0 }, { 1, 1 }, { 0, 0 } };
    for (unsigned i = 0; i < 3; i++) {
        write_sysreg(t[i].dze ? SCTLR1_BASE : SCTLR1_BASE & ~SCTLR_DZE, SCTLR_EL1);
        write_sysreg(hcr_base | (t[i].tdz ? HCR_TDZ : 0), HCR_EL2);
        isb();
        uint64_t v = el_call_lower(el1_run_el0, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
        unsigned want = !t[i].dze || t[i].tdz;
        report(((v >> 4) & 1) == want, "DCZID_EL0.DZP at EL0 with SCTLR_EL1.DZE=%d, HCR_EL2.TDZ=%d reads %lu (want %u)",
               t[i].dze, t[i].tdz, (v >> 4) & 1, want);
    }
    write_sysreg(SCTLR1_BASE, SCTLR_EL1);
    write_sysreg(hcr_base, HCR_EL2);
    isb();
}

/* LORID_EL1 with no LORegions and no descriptors; the other LOR registers RAZ/WI. */
static uint64_t el1_lor_regs(uint64_t arg)
{
    __asm__ volatile("msr s3_0_c10_c4_0, %0\n\tmsr s3_0_c10_c4_1, %0\n\tmsr s3_0_c10_c4_3, %0" : : "r"(~0ul));
    uint64_t *out = (uint64_t *)(uintptr_t)arg;
    __asm__ volatile("mrs %0, s3_0_c10_c4_7" : "=r"(out[0]));
    __asm__ volatile("mrs %0, s3_0_c10_c4_0" : "=r"(out[1]));
    __asm__ volatile("mrs %0, s3_0_c10_c4_3" : "=r"(out[2]));
    return 0;
}

static void test_lor_values(void)
{
    if (!have(N_LOR)) {
        /* FEAT_LOR is mandatory from Armv8.1, as FEAT_VHE is: only an Armv8.0 CPU may lack it. */
        report(!have(N_VHE), "no FEAT_LOR (ID_AA64MMFR1_EL1.LO = 0): only allowed without Armv8.1 (VH = %lu)",
               (mmfr1 >> 8) & 0xf);
        return;
    }
    report(((mmfr1 >> 16) & 0xf) == 1, "ID_AA64MMFR1_EL1.LO = 1 (0x%lx)", mmfr1);
    memset(data_buf, 0x5a, 24);
    el_call_lower(el1_lor_regs, (uint64_t)(uintptr_t)data_buf, SPSR_EL1h | SPSR_DAIF,
                  (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    report(data_buf[0] == 0, "LORID_EL1 = 0: no LORegions, no descriptors (0x%lx)", data_buf[0]);
    report(data_buf[1] == 0 && data_buf[2] == 0, "LORSA_EL1/LORC_EL1 RAZ/WI with no descriptors (0x%lx, 0x%lx)",
           data_buf[1], data_buf[2]);
}

/* HCR_EL2.DC: EL1 with the MMU off uses Normal memory, so an unaligned load does not fault. */
static uint64_t el1_unaligned_load(uint64_t arg)
{
    uint64_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(arg) : "memory");
    return v;
}

/*
 * An identity stage 2 for IPA 0-4 GiB (4K granule, start level 1): 0-1 GiB
 * Device, 1-2 GiB Normal (RAM), 2-3 GiB an alias of 1-2 GiB, so a load
 * through the alias only reads RAM when stage 2 is in effect; 3-4 GiB a
 * Device-memory alias of RAM (test_ptw).
 */
static uint64_t s2_l1[512] __attribute__((aligned(4096)));
#define S2_ALIAS 0x40000000ul

static void s2_setup(void)
{
    uint64_t normal = (1ul << 10) | (3ul << 8) | (3ul << 6) | (0xful << 2) | 1;   /* AF, ISH, RW, WB */
    s2_l1[0] = 0x00000000ul | (1ul << 10) | (3ul << 6) | (0x1ul << 2) | 1;       /* Device-nGnRE */
    s2_l1[1] = 0x40000000ul | normal;
    s2_l1[2] = 0x40000000ul | normal;
    s2_l1[3] = 0x40000000ul | (1ul << 10) | (3ul << 6) | (0x1ul << 2) | 1;   /* Device view of RAM */
    dsb(ish);
    /* T0SZ = 32, SL0 = 1 (level 1), IRGN0/ORGN0 = WB, SH0 = Inner, TG0 = 4K, PS = 32 bits, RES1 bit 31. */
    write_sysreg(32 | 1ul << 6 | 1ul << 8 | 1ul << 10 | 3ul << 12 | 1ul << 31, VTCR_EL2);
    write_sysreg((uint64_t)(uintptr_t)s2_l1, VTTBR_EL2);
    isb();
    __asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" : : : "memory");
}

static void test_dc(void)
{
    data_buf[0] = 0x1122334455667788ul;
    data_buf[1] = 0x99aabbccddeeff00ul;
    uint64_t buf = (uint64_t)(uintptr_t)data_buf;
    struct { const char *what; uint64_t hcr, va, want; bool strict_only; } t[] = {
        { "HCR_EL2.DC=1: unaligned EL1 load with the MMU off is to Normal memory (no fault)",
          HCR_DC, buf + 1, 0x0011223344556677ul, false },
        { "HCR_EL2.DC=1 with VM=0: stage 2 is in effect (a load through the IPA alias reads RAM)",
          HCR_DC, buf + S2_ALIAS, 0x1122334455667788ul, false },
        { "HCR_EL2.VM=1: a load through the IPA alias reads RAM", HCR_VM, buf + S2_ALIAS, 0x1122334455667788ul, false },
    };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        write_sysreg(hcr_base | t[i].hcr, HCR_EL2);
        isb();
        memset(seen_count, 0, sizeof(seen_count));
        uint64_t v = el_call_lower(el1_unaligned_load, t[i].va, SPSR_EL1h | SPSR_DAIF,
                                   (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
        write_sysreg(hcr_base, HCR_EL2);
        isb();
        report(seen_count[1] == 0 && seen_count[2] == 0 && v == t[i].want, "%s (0x%lx; EL1 %u ESR 0x%lx, EL2 %u ESR 0x%lx)",
               t[i].what, v, seen_count[1], seen[1].esr, seen_count[2], seen[2].esr);
    }
    /* FEAT_S2FWB changes how stage-2 MemAttr reads: with FWB=1, MemAttr[2]=1 is Normal (0b110 forced
     * Write-Back, 0b111 stage 1's type) and MemAttr[2]=0 Device; with FWB=0, 0b00xx is Device. An
     * unaligned load (DC=1: stage 1 Normal) takes an Alignment fault exactly on Device. QEMU 7.2 does
     * not check Device alignment: the faulting cases are strict. */
    if (((read_sysreg(ID_AA64MMFR2_EL1) >> 40) & 0xf) != 0) {
        static const struct { bool fwb; uint8_t memattr; bool fault; } f[] = {
            { true, 0x6, false }, { true, 0x7, false }, { true, 0x3, true }, { false, 0x3, true },
        };
        for (unsigned k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
            if (f[k].fault != strict) {
                continue;
            }
            s2_l1[2] = (s2_l1[2] & ~(0xful << 2)) | ((uint64_t)f[k].memattr << 2);
            __asm__ volatile("dsb ish\n\ttlbi vmalls12e1\n\tdsb ish\n\tisb" : : : "memory");
            write_sysreg(hcr_base | HCR_DC | (f[k].fwb ? HCR_FWB : 0), HCR_EL2);
            isb();
            memset(seen_count, 0, sizeof(seen_count));
            uint64_t v = el_call_lower(el1_unaligned_load, buf + S2_ALIAS + 1, SPSR_EL1h | SPSR_DAIF,
                                       (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
            write_sysreg(hcr_base, HCR_EL2);
            isb();
            if (f[k].fault) {
                report(seen_count[1] == 1 && seen_count[2] == 0 && esr_ec(seen[1].esr) == 0x25 &&
                       (esr_iss(seen[1].esr) & 0x3f) == 0x21,
                       "HCR_EL2.FWB=%d: stage-2 MemAttr 0x%x is Device: unaligned load takes an Alignment fault "
                       "(ESR 0x%lx, %u exception(s))", f[k].fwb, f[k].memattr, seen[1].esr, seen_count[1]);
            } else {
                report(seen_count[1] == 0 && seen_count[2] == 0 && v == 0x0011223344556677ul,
                       "HCR_EL2.FWB=%d: stage-2 MemAttr 0x%x is Normal: unaligned load works (0x%lx, %u exception(s))",
                       f[k].fwb, f[k].memattr, v, seen_count[1] + seen_count[2]);
            }
        }
        s2_l1[2] = (s2_l1[2] & ~(0xful << 2)) | (0xful << 2);
        __asm__ volatile("dsb ish\n\ttlbi vmalls12e1\n\tdsb ish\n\tisb" : : : "memory");
    }
    if (strict) {
        /* Without DC (and stage 1 off) EL1 data accesses are Device-nGnRnE: Alignment fault. */
        memset(seen_count, 0, sizeof(seen_count));
        el_call_lower(el1_unaligned_load, buf + 1, SPSR_EL1h | SPSR_DAIF,
                      (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
        report(seen_count[1] == 1 && seen_count[2] == 0 && esr_ec(seen[1].esr) == 0x25 &&
               (esr_iss(seen[1].esr) & 0x3f) == 0x21,
               "HCR_EL2.DC=0: unaligned EL1 load with the MMU off is to Device memory: Alignment fault (ESR 0x%lx)",
               seen[1].esr);
    }
}

/*
 * HCR_EL2.PTW: EL1 runs with stage 1 on; its translation table sits at an IPA
 * that stage 2 maps as Device memory. With PTW=1 the stage-1 walk takes a
 * stage-2 Permission fault (S1PTW = 1, HPFAR = the table's IPA); with PTW=0
 * the walk is made as to Normal Non-cacheable memory and succeeds.
 */
static uint64_t s1_l1[512] __attribute__((aligned(4096)));
#define S2_DEVICE_ALIAS 0x80000000ul   /* IPA 3-4 GiB: Device view of RAM at 1-2 GiB */

static uint64_t el1_ptw_fn(uint64_t arg)
{
    return arg + 1;
}

static void test_ptw(void)
{
    s1_l1[1] = 0x40000000ul | (1ul << 10) | (3ul << 8) | (0 << 2) | 1;   /* AF, ISH, AttrIndx 0, EL1 RW */
    dsb(ish);
    write_sysreg(0x00ff, MAIR_EL1);                                      /* 0: Normal WB, 1: Device */
    write_sysreg(32 | 1ul << 8 | 1ul << 10 | 3ul << 12 | 1ul << 23, TCR_EL1);   /* 4K, T0SZ 32, EPD1 */
    uint64_t table_ipa = (uint64_t)(uintptr_t)s1_l1 + S2_DEVICE_ALIAS;
    write_sysreg(table_ipa, TTBR0_EL1);
    write_sysreg(SCTLR1_BASE | 1 | (1ul << 2) | (1ul << 12), SCTLR_EL1);  /* M, C, I */
    for (int ptw = 1; ptw >= 0; ptw--) {
        __asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" : : : "memory");
        write_sysreg(hcr_base | HCR_VM | (ptw ? HCR_PTW : 0), HCR_EL2);
        isb();
        memset(seen_count, 0, sizeof(seen_count));
        uint64_t r = el_call_lower(el1_ptw_fn, 41, SPSR_EL1h | SPSR_DAIF,
                                   (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
        write_sysreg(hcr_base, HCR_EL2);
        isb();
        if (ptw) {
            uint32_t iss = esr_iss(seen[2].esr);
            report(seen_count[2] == 1 && seen_count[1] == 0 && esr_ec(seen[2].esr) == 0x20 && (iss & (1u << 7)) &&
                   (iss & 0x3c) == 0x0c && seen[2].elr == (uint64_t)(uintptr_t)el1_ptw_fn &&
                   seen[2].far == (uint64_t)(uintptr_t)el1_ptw_fn &&
                   (seen_hpfar >> 4) == (table_ipa >> 12) && r == 42,
                   "HCR_EL2.PTW=1: stage-1 walk to stage-2 Device memory: Instruction Abort, S1PTW, Permission "
                   "fault (ESR 0x%lx, ELR/FAR %s, HPFAR 0x%lx, want 0x%lx)", seen[2].esr,
                   seen[2].elr == (uint64_t)(uintptr_t)el1_ptw_fn && seen[2].far == seen[2].elr ? "ok" : "wrong",
                   seen_hpfar, (table_ipa >> 12) << 4);
        } else {
            report(seen_count[1] == 0 && seen_count[2] == 0 && r == 42,
                   "HCR_EL2.PTW=0: the same walk succeeds (EL1 returned %lu; EL2 %u ESR 0x%lx)", r, seen_count[2],
                   seen[2].esr);
        }
    }
    write_sysreg(SCTLR1_BASE, SCTLR_EL1);
    isb();
    __asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" : : : "memory");
}

void test_fb(void);

void guest_run(void)
{
    if (current_el() != 2) {
        guest_abort("needs EL2 entry");
    }
    uint32_t len = 0;
    const char *args = boot_dtb ? fdt_getprop_path((const void *)(uintptr_t)boot_dtb, "/chosen", "bootargs", &len)
                                : NULL;
    bool fb = false;
    for (uint32_t i = 0; args && i + 6 <= len; i++) {
        if (!memcmp(args + i, "strict", 6)) {
            strict = true;
        }
    }
    for (uint32_t i = 0; args && i + 2 <= len; i++) {
        if (!memcmp(args + i, "fb", 2)) {
            fb = true;
        }
    }
    if (fb) {
        test_fb();      /* fb.c: HCR_EL2.FB across two vCPUs */
        return;
    }
    pfr0 = read_sysreg(ID_AA64PFR0_EL1);
    pfr1 = read_sysreg(ID_AA64PFR1_EL1);
    isar0 = read_sysreg(ID_AA64ISAR0_EL1);
    isar1 = read_sysreg(ID_AA64ISAR1_EL1);
    mmfr1 = read_sysreg(ID_AA64MMFR1_EL1);
    dfr0 = read_sysreg(ID_AA64DFR0_EL1);
    hcr_base = HCR_RW;      /* PAuth cases set APK/API themselves */
    exc_set_handler(1, handler);
    exc_set_handler(2, handler);
    write_sysreg(SCTLR1_BASE, SCTLR_EL1);
    write_sysreg(3ul << 20, CPACR_EL1);
    write_sysreg(0, MDSCR_EL1);
    write_sysreg(hcr_base, HCR_EL2);
    isb();
    gic_dist_init();
    gic_cpu_init();
    gic_private_config(1, 0x80, 1);
    gic_private_config(2, 0x80, 0);
    write_sysreg(hcr_base, HCR_EL2);
    isb();
    s2_setup();
    printf("hcr-traps: %s mode\n", strict ? "strict (Arm ARM cases QEMU 7.2 gets wrong included)" : "common");

    if (!strict) {
        test_hcr_bits();
        test_vpidr();
        test_hacr();
        test_dzp();
        test_lor_values();
        test_tid3();
        test_smc_routing();
    }
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const Case *c = &cases[i];
        bool strict_case = c->need == N_STRICT || c->need == N_PMU_STRICT || c->need == N_RAS_STRICT;
        if (!have(c->need) || strict != strict_case) {
            continue;
        }
        run_case(c);
    }
    test_dc();
    if (!strict) {
        test_ptw();
    }
    write_sysreg(0, VTTBR_EL2);
    exc_set_handler(1, NULL);
    exc_set_handler(2, NULL);
}
