/*
 * Exception vector tables for EL2 and EL1 (and EL3 in EL3 guests, built
 * with -DGUEST_EL3). Every entry saves the general registers and the
 * syndrome registers of its EL in an ExcFrame and calls
 * exc_dispatch(frame, el, kind); the handler may edit the frame (ELR,
 * SPSR, registers), which is restored before ERET.
 * kind = source << 2 | type: type 0 sync, 1 IRQ, 2 FIQ, 3 SError; source
 * 0 current EL with SP_EL0, 1 current EL with SP_ELx, 2 lower EL AArch64,
 * 3 lower EL AArch32 (the order of the table, Arm ARM D1.3.1).
 */
#include "asm.h"

.macro ventry el, kind
    .balign 128
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #FRAME_X(0)]
    mov     x1, #\kind
    b       exc_common_el\el
.endm

.macro vtable el
    .balign 2048
    .global vectors_el\el
vectors_el\el:
    ventry \el, 0
    ventry \el, 1
    ventry \el, 2
    ventry \el, 3
    ventry \el, 4
    ventry \el, 5
    ventry \el, 6
    ventry \el, 7
    ventry \el, 8
    ventry \el, 9
    ventry \el, 10
    ventry \el, 11
    ventry \el, 12
    ventry \el, 13
    ventry \el, 14
    ventry \el, 15
.endm

.macro common el
exc_common_el\el:
    stp     x2, x3, [sp, #FRAME_X(2)]
    stp     x4, x5, [sp, #FRAME_X(4)]
    stp     x6, x7, [sp, #FRAME_X(6)]
    stp     x8, x9, [sp, #FRAME_X(8)]
    stp     x10, x11, [sp, #FRAME_X(10)]
    stp     x12, x13, [sp, #FRAME_X(12)]
    stp     x14, x15, [sp, #FRAME_X(14)]
    stp     x16, x17, [sp, #FRAME_X(16)]
    stp     x18, x19, [sp, #FRAME_X(18)]
    stp     x20, x21, [sp, #FRAME_X(20)]
    stp     x22, x23, [sp, #FRAME_X(22)]
    stp     x24, x25, [sp, #FRAME_X(24)]
    stp     x26, x27, [sp, #FRAME_X(26)]
    stp     x28, x29, [sp, #FRAME_X(28)]
    add     x2, sp, #FRAME_SIZE
    stp     x30, x2, [sp, #FRAME_X(30)]
    mrs     x2, ELR_EL\el
    mrs     x3, SPSR_EL\el
    stp     x2, x3, [sp, #FRAME_ELR]
    mrs     x2, ESR_EL\el
    mrs     x3, FAR_EL\el
    stp     x2, x3, [sp, #FRAME_ESR]
    mov     x0, sp
    mov     x2, #\el
    bl      exc_dispatch
    ldp     x2, x3, [sp, #FRAME_ELR]
    msr     ELR_EL\el, x2
    msr     SPSR_EL\el, x3
    ldp     x2, x3, [sp, #FRAME_X(2)]
    ldp     x4, x5, [sp, #FRAME_X(4)]
    ldp     x6, x7, [sp, #FRAME_X(6)]
    ldp     x8, x9, [sp, #FRAME_X(8)]
    ldp     x10, x11, [sp, #FRAME_X(10)]
    ldp     x12, x13, [sp, #FRAME_X(12)]
    ldp     x14, x15, [sp, #FRAME_X(14)]
    ldp     x16, x17, [sp, #FRAME_X(16)]
    ldp     x18, x19, [sp, #FRAME_X(18)]
    ldp     x20, x21, [sp, #FRAME_X(20)]
    ldp     x22, x23, [sp, #FRAME_X(22)]
    ldp     x24, x25, [sp, #FRAME_X(24)]
    ldp     x26, x27, [sp, #FRAME_X(26)]
    ldp     x28, x29, [sp, #FRAME_X(28)]
    ldr     x30, [sp, #FRAME_X(30)]
    ldp     x0, x1, [sp, #FRAME_X(0)]
    add     sp, sp, #FRAME_SIZE
    eret
.endm

    .section .vectors, "ax"
#ifdef GUEST_EL3
    vtable 3                /* EL3 guests (start_el3.S) */
#endif
    vtable 2
    vtable 1

    .text
#ifdef GUEST_EL3
    common 3
#endif
    common 2
    common 1
