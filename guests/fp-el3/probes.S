/*
 * One probe per access under test: the first instruction is the one that
 * may trap (its address is the probe's address, checked against ELR); a
 * probe returns 1 when it ran to the end. x0 = the value an MSR writes.
 */
.macro probe name, insn:vararg
    .text
    .global \name
    .type \name, %function
\name:
    \insn
    mov     x0, #1
    ret
.endm

    probe probe_fmov,        fmov d0, x0
    probe probe_mrs_fpcr,    mrs x1, fpcr
    probe probe_mrs_cpacr,   mrs x1, cpacr_el1
    probe probe_msr_cpacr,   msr cpacr_el1, x0
    probe probe_mrs_cptr2,   mrs x1, cptr_el2
    probe probe_msr_cptr2,   msr cptr_el2, x0
    probe probe_mrs_cpacr12, mrs x1, S3_5_C1_C0_2       /* CPACR_EL12 */
    probe probe_mrs_trc,     mrs x1, S2_1_C0_C1_0       /* TRCPRGCTLR (trace unit) */
    .arch_extension sve
    probe probe_rdvl,        rdvl x1, #1
    probe probe_mrs_trfcr,   mrs x1, S3_0_C1_C2_1       /* TRFCR_EL1 (FEAT_TRF) */
