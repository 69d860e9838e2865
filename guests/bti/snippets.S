/*
 * Branch targets and launchers for the BTI guest (main.c). The hints are
 * written by number so any assembler takes them:
 *   hint #32 BTI, #34 BTI c, #36 BTI j, #38 BTI jc, #25 PACIASP, #29 AUTIASP.
 * Every target returns 1 in x0 through X30; main.c reaches them through the
 * guarded and non-guarded aliases of this code. The launchers start with
 * BTI c because C calls them with BLR (BTYPE 10) through a guarded alias.
 */
    .text
    .balign 4096
    .global bti_code_start
bti_code_start:

    .global t_none, t_bti, t_bti_c, t_bti_j, t_bti_jc, t_paciasp, t_pacibsp, t_brk
t_none:
    mov     x0, #1
    ret
t_bti:
    hint    #32
    mov     x0, #1
    ret
t_bti_c:
    hint    #34
    mov     x0, #1
    ret
t_bti_j:
    hint    #36
    mov     x0, #1
    ret
t_bti_jc:
    hint    #38
    mov     x0, #1
    ret
t_paciasp:
    hint    #25             /* PACIASP (SCTLR_EL1.EnIA = 0: no change to X30) */
    hint    #29             /* AUTIASP */
    mov     x0, #1
    ret
t_pacibsp:
    hint    #27             /* PACIBSP */
    hint    #31             /* AUTIBSP */
    mov     x0, #1
    ret
t_brk:
    brk     #0x77
    mov     x0, #1
    ret

/* uint64_t launch_KIND(uint64_t target): branch to target as KIND, return its x0. */
    .macro LAUNCH_BLR name, reg
    .global \name
\name:
    hint    #34
    stp     x29, x30, [sp, #-16]!
    mov     \reg, x0
    blr     \reg
    ldp     x29, x30, [sp], #16
    ret
    .endm
    .macro LAUNCH_BR name, reg, insn=0
    .global \name
\name:
    hint    #34
    stp     x29, x30, [sp, #-16]!
    mov     \reg, x0
    adr     x30, 1f
    .if \insn
    .inst   \insn
    .else
    br      \reg
    .endif
1:  ldp     x29, x30, [sp], #16
    ret
    .endm
    LAUNCH_BLR launch_blr, x9
    LAUNCH_BLR launch_blr16, x16
    LAUNCH_BR launch_br9, x9
    LAUNCH_BR launch_br16, x16
    LAUNCH_BR launch_br17, x17
/* FEAT_PAuth forms; with SCTLR_EL1.EnIA = 0 the authentication leaves the address as it is. */
    LAUNCH_BR launch_braaz9, x9, 0xd61f081f | (9 << 5)       /* BRAAZ X9 */
    LAUNCH_BR launch_braaz16, x16, 0xd61f081f | (16 << 5)    /* BRAAZ X16 */
    LAUNCH_BR launch_blraaz9, x9, 0xd63f081f | (9 << 5)      /* BLRAAZ X9 (X30 is its own return) */

/* EL0 entry points (entered by ERET, BTYPE 0): branch, then SVC #0xfff returns x0. */
    .global el0_br9, el0_blr
el0_br9:
    mov     x9, x0
    adr     x30, 1f
    br      x9
1:  svc     #0xfff
el0_blr:
    mov     x9, x0
    blr     x9
    svc     #0xfff

    .balign 4096
    .global bti_code_end
bti_code_end:
