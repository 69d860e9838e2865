/* Constants shared by the runtime's assembly and C. */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H

#define GUEST_MAX_CPUS   8
#define GUEST_STACK_SIZE 16384

/* ExcFrame layout (runtime.h): x0..x30, sp, elr, spsr, esr, far. */
#define FRAME_X(n)   ((n) * 8)
#define FRAME_SP     (31 * 8)
#define FRAME_ELR    (32 * 8)
#define FRAME_SPSR   (33 * 8)
#define FRAME_ESR    (34 * 8)
#define FRAME_FAR    (35 * 8)
#define FRAME_SIZE   (36 * 8)

#ifdef __ASSEMBLER__
/*
 * Boot CPU set-up shared by start.S and start_el3.S: SP = the top of the
 * stack area (CPU 0's stack), then .bss cleared (nothing has used it yet).
 * Clobbers x1, x2.
 */
.macro boot_stack_and_bss
    ldr     x1, =_stacks_end
    mov     sp, x1
    ldr     x1, =_bss_start
    ldr     x2, =_bss_end
.Lbss_loop\@:
    cmp     x1, x2
    b.hs    .Lbss_done\@
    str     xzr, [x1], #8
    b       .Lbss_loop\@
.Lbss_done\@:
.endm
#endif

#endif
