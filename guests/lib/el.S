/*
 * el_call_lower(fn, arg, spsr, sp): run fn(arg) at a lower EL and return its
 * result. From EL2 the target is EL1 (SP_EL1 = sp); from EL1 it is EL0
 * (SP_EL0 = sp). fn returns into a trampoline that does HVC #0xfff (from
 * EL1) or SVC #0xfff (from EL0), or SMC #0xfff when called from EL3 (EL3
 * guests); exc_dispatch() recognises it, saves the
 * frame in lower_return_frame and resumes here at el_call_lower_resume.
 */
    .text
    .global el_call_lower
el_call_lower:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    mrs     x9, CurrentEL
#ifdef GUEST_EL3
    cmp     x9, #(3 << 2)
    b.eq    el3_call_lower
#endif
    cmp     x9, #(2 << 2)
    b.ne    1f
    msr     ELR_EL2, x0
    msr     SPSR_EL2, x2
    msr     SP_EL1, x3
    ldr     x30, =lower_ret_hvc
    b       2f
1:  msr     ELR_EL1, x0
    msr     SPSR_EL1, x2
    msr     SP_EL0, x3
    ldr     x30, =lower_ret_svc
2:  mov     x0, x1
    mov     x29, #0
    eret

#ifdef GUEST_EL3
/*
 * From EL3 (el3_call() has set SCR_EL3): the target is the EL in spsr.M,
 * its SP (SP_EL0 for EL0 or an ELxt mode) = sp. fn returns into SMC #0xfff.
 */
el3_call_lower:
    msr     ELR_EL3, x0
    msr     SPSR_EL3, x2
    ubfx    x9, x2, #2, #2          /* target EL */
    tst     x2, #1                  /* ELxh? */
    b.eq    3f
    cmp     x9, #2
    b.ne    4f
    msr     SP_EL2, x3
    b       5f
4:  cmp     x9, #1
    b.ne    3f
    msr     SP_EL1, x3
    b       5f
3:  msr     SP_EL0, x3
5:  ldr     x30, =lower_ret_smc
    b       2b
#endif

    .global el_call_lower_resume
el_call_lower_resume:
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret

    .global lower_ret_hvc
lower_ret_hvc:
    hvc     #0xfff
    b       .
    .global lower_ret_svc
lower_ret_svc:
    svc     #0xfff
    b       .
#ifdef GUEST_EL3
    .global lower_ret_smc
lower_ret_smc:
    smc     #0xfff
    b       .
#endif
