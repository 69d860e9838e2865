/* A CPU_ON entry point that records what it was handed (x0, CurrentEL, DAIF,
 * SCTLR_EL2.M) and turns itself off again, without a stack. */
    .text
    .global psci_probe_entry
psci_probe_entry:
    adrp    x1, probe_seen
    add     x1, x1, :lo12:probe_seen
    str     x0, [x1]
    mrs     x2, CurrentEL
    str     x2, [x1, #8]
    mrs     x2, DAIF
    str     x2, [x1, #16]
    mrs     x2, SCTLR_EL2
    str     x2, [x1, #24]
    mov     x2, #1
    str     x2, [x1, #32]
    dsb     sy
    movz    x0, #0x0002
    movk    x0, #0x8400, lsl #16    /* PSCI CPU_OFF */
    smc     #0
1:  wfi
    b       1b
