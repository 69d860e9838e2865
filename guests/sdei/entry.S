/*
 * SDEI guest: the event handler entry, the resume point for
 * COMPLETE_AND_RESUME and a call wrapper that records the registers around
 * the SMC/HVC. The conduit is SMC at EL2 and HVC at EL1 (sdei_use_hvc).
 */
#define SDEI_EVENT_COMPLETE 0xc4000025

    .macro conduit
    adrp    x16, sdei_use_hvc
    ldr     w16, [x16, :lo12:sdei_use_hvc]
    cbnz    w16, 1f
    smc     #0
    b       2f
1:  hvc     #0
2:
    .endm

/*
 * uint64_t sdei_call_rec(uint64_t fid, a1, a2, a3, a4, a5): the call with
 * x6-x15 = 0x600 + n and x17 = 0x1717 (x16 is the conduit's scratch),
 * sdei_call_ret is the address after the SMC/HVC; x0-x17 after the call are
 * stored in sdei_after[] (the handler runs in between when the call makes an
 * event due: x0-x17 must still be as the call returned them).
 */
    .text
    .global sdei_call_rec, sdei_call_ret
sdei_call_rec:
    stp     x29, x30, [sp, #-16]!
    mov     x6, #0x606
    mov     x7, #0x607
    mov     x8, #0x608
    mov     x9, #0x609
    mov     x10, #0x60a
    mov     x11, #0x60b
    mov     x12, #0x60c
    mov     x13, #0x60d
    mov     x14, #0x60e
    mov     x15, #0x60f
    mov     x17, #0x1717
    adrp    x16, sdei_use_hvc
    ldr     w16, [x16, :lo12:sdei_use_hvc]
    cbnz    w16, 1f
    smc     #0
sdei_call_ret:
    b       2f
1:  hvc     #0
    .global sdei_call_ret_hvc
sdei_call_ret_hvc:
2:  adrp    x16, sdei_after
    add     x16, x16, :lo12:sdei_after
    stp     x0, x1, [x16, #0]
    stp     x2, x3, [x16, #16]
    stp     x4, x5, [x16, #32]
    stp     x6, x7, [x16, #48]
    stp     x8, x9, [x16, #64]
    stp     x10, x11, [x16, #80]
    stp     x12, x13, [x16, #96]
    stp     x14, x15, [x16, #112]
    str     x17, [x16, #136]
    ldp     x29, x30, [sp], #16
    ret

/*
 * The handler, entered by the firmware with x0 = event, x1 = argument,
 * x2 = interrupted PC, x3 = interrupted PSTATE, at the client EL on SP_ELx.
 * It keeps x18-x30 for the interrupted context (COMPLETE restores only
 * x0-x17), calls sdei_handler_c(), which returns the completion call in
 * x0 and its argument in x1, and makes it.
 */
    .global sdei_entry
sdei_entry:
    sub     sp, sp, #112
    stp     x18, x19, [sp, #0]
    stp     x20, x21, [sp, #16]
    stp     x22, x23, [sp, #32]
    stp     x24, x25, [sp, #48]
    stp     x26, x27, [sp, #64]
    stp     x28, x29, [sp, #80]
    str     x30, [sp, #96]
    bl      sdei_handler_c
    ldp     x18, x19, [sp, #0]
    ldp     x20, x21, [sp, #16]
    ldp     x22, x23, [sp, #32]
    ldp     x24, x25, [sp, #48]
    ldp     x26, x27, [sp, #64]
    ldp     x28, x29, [sp, #80]
    ldr     x30, [sp, #96]
    add     sp, sp, #112
    conduit
    /* COMPLETE returned: it failed */
    adrp    x16, sdei_complete_failed
    str     x0, [x16, :lo12:sdei_complete_failed]
3:  b       3b

/*
 * The COMPLETE_AND_RESUME target: like an exception entry to the client EL.
 * Record ELR/SPSR of that EL and DAIF, then return to the interrupted
 * context with ERET (x0-x17 are the interrupted ones: keep them).
 */
    .global sdei_resume
sdei_resume:
    stp     x0, x1, [sp, #-16]!
    adrp    x0, sdei_resume_seen
    add     x0, x0, :lo12:sdei_resume_seen
    mrs     x1, CurrentEL
    cmp     x1, #8
    b.ne    1f
    mrs     x1, ELR_EL2
    str     x1, [x0, #0]
    mrs     x1, SPSR_EL2
    str     x1, [x0, #8]
    b       2f
1:  mrs     x1, ELR_EL1
    str     x1, [x0, #0]
    mrs     x1, SPSR_EL1
    str     x1, [x0, #8]
2:  mrs     x1, DAIF
    str     x1, [x0, #16]
    mov     x1, #1
    str     x1, [x0, #24]
    ldp     x0, x1, [sp], #16
    eret
