/*
 * Entry of every test guest. The image starts with an arm64 Linux Image
 * header (Documentation/arch/arm64/booting.rst) so both the Image loader
 * and a raw loader accept it; it is entered by the Linux arm64 boot
 * protocol: MMU off, x0 = DTB address, at EL2 or EL1.
 */
#include "asm.h"

    .section .text.head, "ax"
    .global _start
_start:
    b       primary_entry           /* code0 */
    .long   0                       /* code1 */
    .quad   0                       /* text_offset: loaded at a 2 MiB boundary */
    .quad   _image_size             /* image_size: includes bss and stacks */
    .quad   0xa                     /* flags: LE, 4K pages, placement anywhere */
    .quad   0, 0, 0                 /* res2..res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5 */

primary_entry:
    mov     x19, x0                 /* DTB */
    boot_stack_and_bss
    mrs     x20, CurrentEL
    lsr     x20, x20, #2
    bl      vectors_install
    mov     x0, x19
    mov     x1, x20
    /* Where were we loaded? The linker placed us at _start. */
    adr     x2, _start
    ldr     x3, =_start
    bl      guest_main              /* never returns */
3:  wfi
    b       3b

/* PSCI CPU_ON entry of secondary CPUs: x0 = context id = CPU number. */
    .global secondary_entry
secondary_entry:
    mov     x19, x0
    ldr     x1, =_stacks_end
    mov     x2, #GUEST_STACK_SIZE
    msub    x1, x0, x2, x1          /* top of this CPU's stack */
    mov     sp, x1
    bl      vectors_install
    mov     x0, x19
    bl      guest_secondary_main
4:  wfi
    b       4b

/* Point VBAR of the current EL (and of EL1 when at EL2) at our tables. */
vectors_install:
    mrs     x9, CurrentEL
    cmp     x9, #(2 << 2)
    b.ne    5f
    ldr     x10, =vectors_el2
    msr     VBAR_EL2, x10
5:  ldr     x10, =vectors_el1
    msr     VBAR_EL1, x10
    isb
    ret
