// fpdiff_run(FPDiffState *st, void (*slot)(void)): load the state, run the
// one-instruction slot (insn; ret), store the state. AArch64, for qemu-aarch64.
    .text
    .global fpdiff_run
    .type fpdiff_run, %function
fpdiff_run:
    stp x29, x30, [sp, #-112]!
    mov x29, sp
    stp x19, x20, [sp, #16]
    stp d8, d9, [sp, #32]
    stp d10, d11, [sp, #48]
    stp d12, d13, [sp, #64]
    stp d14, d15, [sp, #80]
    stp x21, x22, [sp, #96]
    mov x19, x0
    add x21, x0, #512
    mov x20, x1
    ldp q0, q1, [x19, #0]
    ldp q2, q3, [x19, #32]
    ldp q4, q5, [x19, #64]
    ldp q6, q7, [x19, #96]
    ldp q8, q9, [x19, #128]
    ldp q10, q11, [x19, #160]
    ldp q12, q13, [x19, #192]
    ldp q14, q15, [x19, #224]
    ldp q16, q17, [x19, #256]
    ldp q18, q19, [x19, #288]
    ldp q20, q21, [x19, #320]
    ldp q22, q23, [x19, #352]
    ldp q24, q25, [x19, #384]
    ldp q26, q27, [x19, #416]
    ldp q28, q29, [x19, #448]
    ldp q30, q31, [x19, #480]
    ldr x9, [x21, #128]
    msr nzcv, x9
    ldr x9, [x21, #136]
    msr fpcr, x9
    msr fpsr, xzr
    ldp x0, x1, [x21, #0]
    ldp x2, x3, [x21, #16]
    ldp x4, x5, [x21, #32]
    ldp x6, x7, [x21, #48]
    ldp x8, x9, [x21, #64]
    ldp x10, x11, [x21, #80]
    ldp x12, x13, [x21, #96]
    ldp x14, x15, [x21, #112]
    blr x20
    stp x0, x1, [x21, #0]
    stp x2, x3, [x21, #16]
    stp x4, x5, [x21, #32]
    stp x6, x7, [x21, #48]
    stp x8, x9, [x21, #64]
    stp x10, x11, [x21, #80]
    stp x12, x13, [x21, #96]
    stp x14, x15, [x21, #112]
    mrs x9, nzcv
    str x9, [x21, #128]
    mrs x9, fpsr
    str x9, [x21, #144]
    msr fpcr, xzr
    stp q0, q1, [x19, #0]
    stp q2, q3, [x19, #32]
    stp q4, q5, [x19, #64]
    stp q6, q7, [x19, #96]
    stp q8, q9, [x19, #128]
    stp q10, q11, [x19, #160]
    stp q12, q13, [x19, #192]
    stp q14, q15, [x19, #224]
    stp q16, q17, [x19, #256]
    stp q18, q19, [x19, #288]
    stp q20, q21, [x19, #320]
    stp q22, q23, [x19, #352]
    stp q24, q25, [x19, #384]
    stp q26, q27, [x19, #416]
    stp q28, q29, [x19, #448]
    stp q30, q31, [x19, #480]
    ldp x19, x20, [sp, #16]
    ldp d8, d9, [sp, #32]
    ldp d10, d11, [sp, #48]
    ldp d12, d13, [sp, #64]
    ldp d14, d15, [sp, #80]
    ldp x21, x22, [sp, #96]
    ldp x29, x30, [sp], #112
    ret
    .size fpdiff_run, . - fpdiff_run
    .section .note.GNU-stack, "", %progbits
