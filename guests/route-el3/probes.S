/*
 * Code run at the lower ELs (and at EL3) by route-el3. Each probe's first
 * instruction is the one under test (or where a pending interrupt is
 * taken), so ELR can be compared with the probe's address.
 */
.macro probe name, insns:vararg
    .text
    .global \name
    .type \name, %function
    .balign 16
\name:
    \insns
.endm

    probe probe_nop,      nop; nop; mov x0, #1; ret
    probe probe_smc,      smc #0x1234; mov x0, #1; ret
    /* With SMC disabled the return trampoline cannot be used: leave by a WFI
     * trapped to EL3 (SCR_EL3.TWI), which the EL3 handler turns into a return. */
    probe probe_smc_wfi,  smc #0x1234; wfi; mov x0, #1; ret
    probe probe_hvc,      hvc #0x42; mov x0, #1; ret
    probe probe_hvc_wfi,  hvc #0x42; wfi; mov x0, #1; ret
    probe probe_wfi,      wfi; mov x0, #1; ret
    probe probe_wfe,      sevl; wfe; wfe; mov x0, #1; ret
    probe probe_wfe_set,  sevl; wfe; mov x0, #1; ret
    probe probe_svc77,    svc #0x77; mov x0, #1; ret
    /* CurrentEL | SPSel << 4 | DAIF (the EL and SP an ERET reached). */
    probe probe_where,    mrs x0, CurrentEL; mrs x1, SPSel; orr x0, x0, x1, lsl #4; mrs x1, DAIF; orr x0, x0, x1; ret
    probe probe_cntps,    mrs x1, S3_7_C14_C2_1; mov x0, #1; ret    /* CNTPS_CTL_EL1 */
    /* ERET to a higher EL (EL2 -> EL3h, EL1 -> EL2h): illegal, the EL stays. */
    probe probe_eret_up2, adr x1, 1f; msr elr_el2, x1; mov x1, #0xd; msr spsr_el2, x1; eret; 1: mov x0, #1; ret
    probe probe_eret_up1, adr x1, 1f; msr elr_el1, x1; mov x1, #0x9; msr spsr_el1, x1; eret; 1: mov x0, #1; ret
    /* A load from the address in x0 (one with nothing behind it: an external abort). */
    probe probe_load,     ldr x1, [x0]; mov x0, #1; ret
