/*
 * HCR_EL2.FB (run with -smp 2 -append fb): EL1 TLB maintenance is broadcast
 * to the Inner Shareable domain. CPU 1 at EL1 caches a stage-1 translation
 * of a VA to page A; CPU 0 points the PTE at page B and, at EL1 with FB=1,
 * issues the non-shareable TLBI VAE1: CPU 1 must then see page B. (Without
 * FB the old entry may legitimately survive, so only the FB case is a check;
 * under Tandem's -cpu max,tlb=strict nothing else drops it.)
 * Arm ARM D17.2.48 HCR_EL2.FB, D8.14 TLB maintenance.
 */
#include "el2.h"
#include "guest.h"

#define FB_VA 0x80000000ul
#define PTE_PAGE(pa) ((pa) | (1ul << 10) | (3ul << 8) | (1ul << 6) | 3)   /* AF, ISH, EL0/EL1 RW, AttrIndx 0 */
#define PTE_TABLE(pa) ((pa) | 3)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint8_t stack0[8192] __attribute__((aligned(16)));
static uint8_t stack1_el1[8192] __attribute__((aligned(16)));
static volatile unsigned stage;
static volatile uint64_t seen_val[2];

/* EL1 with stage 1 on: identity 1 GiB block for the image, FB_VA through l2/l3. */
static void el1_mmu_setup(void)
{
    write_sysreg(0xff, MAIR_EL1);
    write_sysreg(32 | 1ul << 8 | 1ul << 10 | 3ul << 12 | 1ul << 23, TCR_EL1);   /* 4K, T0SZ 32, EPD1 */
    write_sysreg((uint64_t)(uintptr_t)l1, TTBR0_EL1);
    write_sysreg(0x30d00800ul | 1 | 1ul << 2 | 1ul << 12, SCTLR_EL1);              /* M, C, I */
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
    __asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" : : : "memory");
}

static bool wait_stage(unsigned s)
{
    for (unsigned long spin = 0; spin < 100000000ul; spin++) {
        if (stage == s) {
            return true;
        }
        __asm__ volatile("yield");
    }
    return false;
}

/* CPU 1 at EL1: read FB_VA (fills its TLB), wait for CPU 0's TLBI, read again. */
static uint64_t el1_reader(uint64_t arg)
{
    seen_val[0] = *(volatile uint64_t *)FB_VA;
    dsb(sy);
    stage = 1;
    if (wait_stage(2)) {
        seen_val[1] = *(volatile uint64_t *)FB_VA;
    }
    dsb(sy);
    stage = 3;
    return 0;
}

static void cpu1_main(unsigned idx)
{
    el1_mmu_setup();
    el_call_lower(el1_reader, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(stack1_el1 + sizeof(stack1_el1)));
}

/* CPU 0 at EL1: the non-shareable TLBI VAE1 of FB_VA (ASID 0), broadcast by FB. */
static uint64_t el1_tlbi(uint64_t va)
{
    __asm__ volatile("dsb ishst\n\ttlbi vae1, %0\n\tdsb ish\n\tisb" : : "r"(va >> 12) : "memory");
    return 0;
}

void test_fb(void);
void test_fb(void)
{
    for (unsigned i = 0; i < 512; i++) {
        page_a[i] = 0xaaaa0000ul + i;
        page_b[i] = 0xbbbb0000ul + i;
    }
    l1[1] = 0x40000000ul | (1ul << 10) | (3ul << 8) | 1;   /* identity block, EL1 RW */
    l1[2] = PTE_TABLE((uint64_t)(uintptr_t)l2);
    l2[0] = PTE_TABLE((uint64_t)(uintptr_t)l3);
    l3[0] = PTE_PAGE((uint64_t)(uintptr_t)page_a);
    dsb(sy);
    stage = 0;
    int r = smp_start_cpu(1, cpu1_main);
    report(r == 0, "FB: CPU 1 started (%d)", r);
    bool ok = wait_stage(1);
    report(ok && seen_val[0] == 0xaaaa0000ul, "FB: CPU 1 at EL1 reads page A through VA 0x%lx (0x%lx)", FB_VA,
           seen_val[0]);
    l3[0] = PTE_PAGE((uint64_t)(uintptr_t)page_b);
    dsb(sy);
    el1_mmu_setup();
    write_sysreg(HCR_RW | HCR_FB, HCR_EL2);
    isb();
    el_call_lower(el1_tlbi, FB_VA, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)(stack0 + sizeof(stack0)));
    write_sysreg(HCR_RW, HCR_EL2);
    write_sysreg(0x30d00800ul, SCTLR_EL1);
    isb();
    stage = 2;
    dsb(sy);
    ok = wait_stage(3);
    report(ok && seen_val[1] == 0xbbbb0000ul,
           "FB=1: CPU 0's EL1 TLBI VAE1 is broadcast: CPU 1 now reads page B (0x%lx)", seen_val[1]);
}
