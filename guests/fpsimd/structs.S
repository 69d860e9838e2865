// Load/store structure snippets for guests/fpsimd (AdvSIMD LD1-LD4, ST1-ST4,
// LD1R-LD4R; Arm ARM C4.1.4). Each snippet: x0 = base address, x1 = output
// area, x2 = post-index register, x3 = 96 bytes of fill for v0-v3, v30, v31.
// It loads the fill, runs one instruction, then stores v0-v3, v30, v31 and x0
// to the output area (offsets 0..95 and 96) with plain LDP/STP Q.
    .arch armv8-a
    .text
.macro CASE name, insn:vararg
    .global \name
    .type \name, %function
\name:
    ldp q0, q1, [x3]
    ldp q2, q3, [x3, #32]
    ldp q30, q31, [x3, #64]
    \insn
    stp q0, q1, [x1]
    stp q2, q3, [x1, #32]
    stp q30, q31, [x1, #64]
    str x0, [x1, #96]
    ret
.endm

CASE s_ld1_4r,   ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x0]
CASE s_ld1_8b,   ld1 {v0.8b}, [x0], #8
CASE s_ld2_8h,   ld2 {v0.8h, v1.8h}, [x0], x2
CASE s_ld3_4s,   ld3 {v0.4s, v1.4s, v2.4s}, [x0]
CASE s_ld4_4h,   ld4 {v0.4h, v1.4h, v2.4h, v3.4h}, [x0]
CASE s_ld4_wrap, ld4 {v30.16b, v31.16b, v0.16b, v1.16b}, [x0], #64
CASE s_ld1_lane, ld1 {v1.s}[3], [x0]
CASE s_ld3_lane, ld3 {v0.h, v1.h, v2.h}[5], [x0], #6
CASE s_ld4r,     ld4r {v0.4s, v1.4s, v2.4s, v3.4s}, [x0]
CASE s_ld1r,     ld1r {v0.8b}, [x0], x2
CASE s_ld2_2d,   ld2 {v0.2d, v1.2d}, [x0]
CASE s_ld1_dlane, ld1 {v0.d}[1], [x0], x2
CASE s_st1_2r,   st1 {v0.16b, v1.16b}, [x0], #32
CASE s_st2_4s,   st2 {v0.4s, v1.4s}, [x0]
CASE s_st3_8b,   st3 {v0.8b, v1.8b, v2.8b}, [x0]
CASE s_st4_8h,   st4 {v0.8h, v1.8h, v2.8h, v3.8h}, [x0], x2
CASE s_st1_lane, st1 {v2.h}[6], [x0]
CASE s_st4_lane, st4 {v0.b, v1.b, v2.b, v3.b}[9], [x0], #4
CASE s_st2_wrap, st2 {v31.2d, v0.2d}, [x0]
CASE s_st1_3r,   st1 {v1.2s, v2.2s, v3.2s}, [x0], #24

// FP access probes: one FP instruction at a recorded address.
    .global fp_probe, fp_probe_insn
    .type fp_probe, %function
fp_probe:
fp_probe_insn:
    fmov d0, x1
    mov x0, #1
    ret
    .section .note.GNU-stack, "", %progbits
