/*
 * Entry of the EL3 test guests (linked by el3.ld, run with -bios): every CPU
 * resets to pc 0 of the flash at EL3 with the MMU off. CPU 0 copies the
 * image (code, vectors, rodata, data) from the flash to RAM where it is
 * linked (Non-secure ELs cannot fetch from QEMU's Secure-only flash0),
 * clears .bss, installs the vector tables of EL3, EL2 and EL1 and calls
 * guest_main(); the other CPUs park in WFI (no PSCI firmware runs under
 * -bios).
 */
#include "asm.h"

    .section .text.head, "ax"
    .global _start
_start:
    mrs     x0, MPIDR_EL1
    tst     x0, #0xffffff           /* Aff2..Aff0 */
    b.ne    park
    ldr     x1, =_copy_load
    ldr     x2, =_image_start
    ldr     x3, =_copy_end
1:  cmp     x2, x3
    b.hs    2f
    ldp     x4, x5, [x1], #16
    stp     x4, x5, [x2], #16
    b       1b
2:  dsb     sy
    ic      iallu
    dsb     sy
    isb
    ldr     x0, =primary_el3
    br      x0
park:
    wfi
    b       park
    .ltorg

    .text
primary_el3:
    boot_stack_and_bss
    ldr     x10, =vectors_el3
    msr     VBAR_EL3, x10
    ldr     x10, =vectors_el2
    msr     VBAR_EL2, x10
    ldr     x10, =vectors_el1
    msr     VBAR_EL1, x10
    isb
    mov     x0, #0                  /* no DTB is passed to firmware */
    mrs     x1, CurrentEL
    lsr     x1, x1, #2
    mov     x2, #0                  /* load = link: the copy above put us there */
    mov     x3, #0
    bl      guest_main              /* never returns */
5:  wfi
    b       5b

/* No PSCI firmware runs under -bios: smp_start_cpu() is not for EL3 guests. */
    .global secondary_entry
secondary_entry:
    b       5b
