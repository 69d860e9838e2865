// FP/AdvSIMD benchmark kernels for guests/fpbench (AArch64 assembly: the
// guest C code is built with -mgeneral-regs-only).
    .arch armv8-a
    .text

// void mm_f32(float *c, const float *a, const float *b, uint64_t n): C = A * B, n % 4 == 0.
    .global mm_f32
    .type mm_f32, %function
mm_f32:
    lsl x9, x3, #2              // row stride in bytes
    mov x4, #0                  // i
1:  mov x5, #0                  // j
2:  movi v0.4s, #0
    mul x7, x4, x3
    add x7, x1, x7, lsl #2      // &A[i][0]
    add x8, x2, x5, lsl #2      // &B[0][j]
    mov x6, #0                  // k
3:  ldr s1, [x7], #4
    ldr q2, [x8]
    add x8, x8, x9
    fmla v0.4s, v2.4s, v1.s[0]
    add x6, x6, #1
    cmp x6, x3
    b.lt 3b
    madd x10, x4, x3, x5
    add x10, x0, x10, lsl #2
    str q0, [x10]
    add x5, x5, #4
    cmp x5, x3
    b.lt 2b
    add x4, x4, #1
    cmp x4, x3
    b.lt 1b
    ret

// void cvt_s32_to_f32(void *p, uint64_t count), count % 4 == 0 (in place).
    .global cvt_s32_to_f32
    .type cvt_s32_to_f32, %function
cvt_s32_to_f32:
1:  ld1 {v0.4s}, [x0]
    scvtf v0.4s, v0.4s
    st1 {v0.4s}, [x0], #16
    subs x1, x1, #4
    b.ne 1b
    ret

// void cvt_f32_to_s32(void *p, uint64_t count), count % 4 == 0 (in place).
    .global cvt_f32_to_s32
    .type cvt_f32_to_s32, %function
cvt_f32_to_s32:
1:  ld1 {v0.4s}, [x0]
    fcvtzs v0.4s, v0.4s
    st1 {v0.4s}, [x0], #16
    subs x1, x1, #4
    b.ne 1b
    ret

// double dot_f64(const double *a, const double *b, uint64_t n) -> result bits in x0, n % 4 == 0.
    .global dot_f64_bits
    .type dot_f64_bits, %function
dot_f64_bits:
    movi v0.2d, #0
    movi v1.2d, #0
1:  ld1 {v2.2d, v3.2d}, [x0], #32
    ld1 {v4.2d, v5.2d}, [x1], #32
    fmla v0.2d, v2.2d, v4.2d
    fmla v1.2d, v3.2d, v5.2d
    subs x2, x2, #4
    b.ne 1b
    fadd v0.2d, v0.2d, v1.2d
    faddp d0, v0.2d
    fmov x0, d0
    ret

// void memcpy_ld1(void *dst, const void *src, uint64_t bytes), bytes % 64 == 0.
    .global memcpy_ld1
    .type memcpy_ld1, %function
memcpy_ld1:
1:  ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64
    st1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x0], #64
    subs x2, x2, #64
    b.ne 1b
    ret

// void memcpy_ldp(void *dst, const void *src, uint64_t bytes), bytes % 64 == 0.
    .global memcpy_ldp
    .type memcpy_ldp, %function
memcpy_ldp:
1:  ldp q0, q1, [x1], #32
    ldp q2, q3, [x1], #32
    stp q0, q1, [x0], #32
    stp q2, q3, [x0], #32
    subs x2, x2, #64
    b.ne 1b
    ret

// uint64_t strlen_simd(const char *s): 16 bytes at a time (s 16-byte aligned).
    .global strlen_simd
    .type strlen_simd, %function
strlen_simd:
    mov x1, x0
1:  ld1 {v0.16b}, [x1], #16
    cmeq v0.16b, v0.16b, #0
    umaxv b1, v0.16b
    fmov w2, s1
    cbz w2, 1b
    sub x1, x1, #16
2:  ldrb w3, [x1], #1
    cbnz w3, 2b
    sub x0, x1, x0
    sub x0, x0, #1
    ret
    .section .note.GNU-stack, "", %progbits
