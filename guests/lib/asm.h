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

#endif
