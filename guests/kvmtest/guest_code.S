/*
 * Code the in-guest KVM test runs inside its VMs (EL1, MMU off, so VA = IPA).
 * Position independent: the host copies each routine to the VM's RAM and
 * points PC at it. Register conventions set by the host through
 * KVM_SET_ONE_REG: x20 = an unbacked (MMIO) IPA where results are reported,
 * x22 = GICD base, x23 = GICR base. Every routine ends with PSCI SYSTEM_OFF
 * through HVC, which KVM turns into KVM_EXIT_SYSTEM_EVENT.
 */
    .text
    .macro system_off
    movz    w0, #0x0008
    movk    w0, #0x8400, lsl #16        /* PSCI_SYSTEM_OFF */
    hvc     #0
1:  b       1b
    .endm

/* MMIO exits of every size, writes then reads; the loaded values are reported back. */
    .global guest_mmio_start, guest_mmio_end
guest_mmio_start:
    ldr     x1, 9f
    strb    w1, [x20]
    strh    w1, [x20, #8]
    str     w1, [x20, #16]
    str     x1, [x20, #24]
    ldrb    w2, [x20, #32]
    ldrh    w3, [x20, #40]
    ldr     w4, [x20, #48]
    ldr     x5, [x20, #56]
    str     x2, [x20, #64]
    str     x3, [x20, #72]
    str     x4, [x20, #80]
    str     x5, [x20, #88]
    system_off
    .balign 8
9:  .quad   0x1122334455667788
guest_mmio_end:

/* SMCCC/PSCI calls KVM answers in the kernel; each x0 is reported. */
    .global guest_hvc_start, guest_hvc_end
guest_hvc_start:
    movz    w0, #0x0000
    movk    w0, #0x8000, lsl #16        /* SMCCC_VERSION */
    hvc     #0
    str     x0, [x20]
    movz    w0, #0x0000
    movk    w0, #0x8400, lsl #16        /* PSCI_VERSION */
    hvc     #0
    str     x0, [x20, #8]
    movz    w0, #0x000a
    movk    w0, #0x8400, lsl #16        /* PSCI_FEATURES (CPU_ON64) */
    movz    w1, #0x0003
    movk    w1, #0xc400, lsl #16
    hvc     #0
    str     x0, [x20, #16]
    movz    w0, #0x000a
    movk    w0, #0x8400, lsl #16        /* PSCI_FEATURES of an unallocated function */
    movz    w1, #0x001f
    movk    w1, #0x8400, lsl #16
    hvc     #0
    str     x0, [x20, #24]
    movz    w0, #0x0001
    movk    w0, #0x8000, lsl #16        /* SMCCC_ARCH_FEATURES(SMCCC_ARCH_WORKAROUND_1) */
    movz    w1, #0x8000
    movk    w1, #0x8000, lsl #16
    hvc     #0
    str     x0, [x20, #32]
    system_off
guest_hvc_end:

/*
 * The EL1 virtual timer through the vGIC: enable PPI 27 as Group 1, program
 * CNTV to fire, wait in WFI with interrupts masked (WFI still wakes on the
 * pending interrupt), acknowledge it through ICC_IAR1_EL1 and report the
 * INTID and CNTV_CTL_EL0 (ISTATUS), then EOI.
 */
    .global guest_timer_start, guest_timer_end
guest_timer_start:
    mov     w1, #0x12                   /* GICD_CTLR: ARE, EnableGrp1 (DS=1 view) */
    str     w1, [x22]
    str     wzr, [x23, #0x14]           /* GICR_WAKER: ProcessorSleep = 0 */
1:  ldr     w1, [x23, #0x14]
    tbnz    w1, #2, 1b                  /* wait for ChildrenAsleep = 0 */
    add     x24, x23, #0x10000          /* SGI_base frame */
    mov     w1, #-1
    str     w1, [x24, #0x80]            /* GICR_IGROUPR0: all Group 1 */
    mov     w1, #(1 << 27)
    str     w1, [x24, #0x100]           /* GICR_ISENABLER0: PPI 27 */
    mov     x1, #1
    msr     S3_0_C12_C12_5, x1          /* ICC_SRE_EL1.SRE */
    isb
    mov     x1, #0xff
    msr     S3_0_C4_C6_0, x1            /* ICC_PMR_EL1 */
    mov     x1, #1
    msr     S3_0_C12_C12_7, x1          /* ICC_IGRPEN1_EL1 */
    isb
    msr     daifset, #3
    mrs     x1, cntvct_el0
    add     x1, x1, #0x4000
    msr     cntv_cval_el0, x1
    mov     x1, #1
    msr     cntv_ctl_el0, x1            /* ENABLE, not masked */
    isb
    mov     x25, #1000
2:  wfi
    mrs     x2, S3_0_C12_C12_0          /* ICC_IAR1_EL1 */
    cmp     x2, #1023
    b.ne    3f
    subs    x25, x25, #1
    b.ne    2b
3:  mrs     x3, cntv_ctl_el0
    str     x2, [x20]
    str     x3, [x20, #8]
    msr     cntv_ctl_el0, xzr
    msr     S3_0_C12_C12_1, x2          /* ICC_EOIR1_EL1 */
    isb
    system_off
guest_timer_end:

/*
 * Bench mode (kvmtest bench, `make bench`): x21 = N round trips. A write to
 * x20 + 8 marks the start, a write to x20 + 16 the end (with the result), so
 * the host prints its markers around exactly the N round trips.
 */
/* N MMIO reads of x20, each an exit to the VMM, which answers; the answers' sum is reported. */
    .global guest_bench_mmio_start, guest_bench_mmio_end
guest_bench_mmio_start:
    str     xzr, [x20, #8]
    mov     x1, x21
    mov     x3, #0
1:  ldr     x2, [x20]
    add     x3, x3, x2
    subs    x1, x1, #1
    b.ne    1b
    str     x3, [x20, #16]
    system_off
guest_bench_mmio_end:

/*
 * N SMCCC_VERSION calls KVM answers in the kernel; the number of answers
 * differing from the first is reported. SMCCC returns results in x0-x3, so
 * the loop state lives in x9-x11.
 */
    .global guest_bench_hvc_start, guest_bench_hvc_end
guest_bench_hvc_start:
    movz    w0, #0x0000
    movk    w0, #0x8000, lsl #16        /* SMCCC_VERSION */
    hvc     #0
    mov     x11, x0
    str     xzr, [x20, #8]
    mov     x9, x21
    mov     x10, #0
1:  movz    w0, #0x0000
    movk    w0, #0x8000, lsl #16
    hvc     #0
    cmp     x0, x11
    cinc    x10, x10, ne
    subs    x9, x9, #1
    b.ne    1b
    str     x10, [x20, #16]
    str     x11, [x20, #24]
    system_off
guest_bench_hvc_end:
