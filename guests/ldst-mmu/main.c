/*
 * Loads and stores at EL1 with the stage-1 MMU on (Normal memory): the
 * unprivileged LDTR/STTR family against EL0 and EL1 permissions, PSTATE.PAN
 * and PSTATE.UAO (Arm ARM C6.2 LDTR, D8.4 "Memory access control"),
 * unaligned accesses to Normal memory and SCTLR_EL1.A, page-crossing
 * accesses whose second page faults (nothing is written), exclusives and
 * DC ZVA on Normal memory.
 *
 * EL2 builds a level-1 table with 1 GiB blocks: VA 0x0 Device, VA
 * 0x40000000 RAM for EL1 only (AP = 00; through a level-2 table of 2 MiB
 * blocks whose block at 0x40400000 is read-only), VA 0x80000000 the same RAM
 * for EL0 and EL1 (AP = 01), VA 0xc0000000 the same RAM read-only for both
 * (AP = 11), then runs each test at EL1 with el_call_lower.
 */
#include "guest.h"

#define RAM_VA_EL1 0x40000000ul
#define ALIAS_EL0 0x40000000ul           /* + this: EL0-accessible alias */
#define ALIAS_RO 0x80000000ul            /* + this: read-only alias */

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
#define RO_BLOCK_VA 0x40400000ul         /* EL1 read-only 2 MiB block (the image is below it) */
static uint64_t stack1[512] __attribute__((aligned(16)));
static volatile uint64_t data[1024] __attribute__((aligned(4096)));

static uint64_t block(uint64_t pa, unsigned attr, unsigned ap)
{
    return pa | (attr << 2) | ((uint64_t)ap << 6) | (3u << 8) | (1u << 10) | 1;
}

static void mmu_setup(void)
{
    l1[0] = block(0, 0, 0);                           /* Device-nGnRnE */
    for (uint64_t i = 0; i < 512; i++) {              /* RAM, EL1 RW; one read-only block */
        uint64_t pa = 0x40000000ul + (i << 21);
        l2[i] = block(pa, 1, pa == RO_BLOCK_VA ? 2 : 0);
    }
    l1[1] = (uint64_t)l2 | 3;                         /* table descriptor */
    l1[2] = block(0x40000000ul, 1, 1);                /* RAM, EL0 and EL1 RW */
    l1[3] = block(0x40000000ul, 1, 3);                /* RAM, read-only */
    dsb(sy);
    write_sysreg(read_sysreg(HCR_EL2) | (1ul << 31), HCR_EL2);   /* RW: EL1 is AArch64 */
    write_sysreg(0xff00ul, MAIR_EL1);                 /* attr0 Device-nGnRnE, attr1 Normal WB */
    write_sysreg(32ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23), TCR_EL1);
    write_sysreg((uint64_t)l1, TTBR0_EL1);
    isb();
    /* M, C, I and the v8.0 RES1 bits (11, 20, 22, 23 = SPAN, 28, 29). */
    write_sysreg(0x30d00800ul | 1 | (1ul << 2) | (1ul << 12), SCTLR_EL1);
    isb();
}

static uint64_t at_el1(uint64_t (*fn)(uint64_t), uint64_t arg)
{
    return el_call_lower(fn, arg, SPSR_EL1h | SPSR_DAIF, (uint64_t)(stack1 + 512));
}

static void expect_dabort(unsigned fsc_type, unsigned wnr, uint64_t far, const char *what)
{
    /* fsc_type: DFSC bits [5:2] (0x3 = permission, 0x8 = alignment: 0x21 >> 2); level bits not checked. */
    report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x25 && ((exc_seen.esr & 0x3f) >> 2) == fsc_type &&
           ((exc_seen.esr >> 6) & 1) == wnr && exc_seen.far == far,
           "%s: ESR_EL1 0x%lx (want EC 0x25, DFSC type 0x%x, WnR %u), FAR 0x%lx (want 0x%lx)",
           what, exc_seen.esr, fsc_type << 2, wnr, exc_seen.far, far);
    exc_seen_count = 0;
}

/* --- the EL1 parts: each does one access and returns what it read --- */

/* An EL1 part that runs one load (asm text with %0 = the value, %1 = va) and returns what it read
 * (0xdead if the load faulted and was skipped). */
#define EL1_LOAD(name, insn)                                                   \
    static uint64_t name(uint64_t va)                                          \
    {                                                                          \
        uint64_t v = 0xdead;                                                   \
        __asm__ volatile(insn : "+r"(v) : "r"(va) : "memory");                 \
        return v;                                                              \
    }

EL1_LOAD(el1_ldtr, "ldtr %0, [%1]")
EL1_LOAD(el1_ldr, "ldr %0, [%1]")
EL1_LOAD(el1_ldr_pan, ".arch armv8.1-a\n\tmsr pan, #1\n\tldr %0, [%1]\n\tmsr pan, #0")
EL1_LOAD(el1_ldtr_pan, ".arch armv8.1-a\n\tmsr pan, #1\n\tldtr %0, [%1]\n\tmsr pan, #0")
EL1_LOAD(el1_ldtr_uao, ".arch armv8.2-a\n\tmsr uao, #1\n\tldtr %0, [%1]\n\tmsr uao, #0")

static uint64_t el1_sttr(uint64_t va)
{
    __asm__ volatile("sttr %0, [%1]" : : "r"(0x5757ul), "r"(va) : "memory");
    return 0;
}

static uint64_t el1_str(uint64_t va)
{
    __asm__ volatile("str %0, [%1]" : : "r"(0x5858ul), "r"(va) : "memory");
    return 0;
}

static uint64_t el1_ldr_aligncheck(uint64_t va)
{
    uint64_t v = 0xdead;
    write_sysreg(read_sysreg(SCTLR_EL1) | 2, SCTLR_EL1);   /* A */
    isb();
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    write_sysreg(read_sysreg(SCTLR_EL1) & ~2ul, SCTLR_EL1);
    isb();
    return v;
}

static uint64_t el1_excl(uint64_t va)
{
    uint64_t v, st;
    __asm__ volatile("ldaxr %0, [%2]\n\tadd %0, %0, #1\n\tstlxr %w1, %0, [%2]"
                     : "=&r"(v), "=&r"(st) : "r"(va) : "memory");
    return st;
}

static uint64_t el1_dc_zva(uint64_t va)
{
    __asm__ volatile("dc zva, %0" : : "r"(va) : "memory");
    return 0;
}

void guest_run(void)
{
    mmu_setup();
    exc_set_handler(1, exc_record_skip);
    uint64_t va = (uint64_t)&data[16], v;
    data[16] = 0x1616;

    v = at_el1(el1_ldr, va);
    report(v == 0x1616 && exc_seen_count == 0, "LDR of an EL1-only page at EL1");
    v = at_el1(el1_ldtr, va + ALIAS_EL0);
    report(v == 0x1616 && exc_seen_count == 0, "LDTR of an EL0-accessible page at EL1");
    v = at_el1(el1_ldtr, va);
    report(v == 0xdead, "LDTR of an EL1-only page does not load");
    expect_dabort(0x3, 0, va, "LDTR of an EL1-only page: permission fault");
    at_el1(el1_sttr, va + ALIAS_RO);
    expect_dabort(0x3, 1, va + ALIAS_RO, "STTR to a read-only page: permission fault");
    report(data[16] == 0x1616, "the faulting STTR stored nothing");
    at_el1(el1_sttr, va + ALIAS_EL0);
    report(exc_seen_count == 0 && data[16] == 0x5757, "STTR to an EL0-writable page");
    at_el1(el1_str, va + ALIAS_RO);
    expect_dabort(0x3, 1, va + ALIAS_RO, "STR to a read-only page at EL1");

    if (((read_sysreg(ID_AA64MMFR1_EL1) >> 20) & 0xf) >= 1) {
        v = at_el1(el1_ldr_pan, va + ALIAS_EL0);
        report(v == 0xdead, "PAN: LDR of an EL0-accessible page does not load");
        expect_dabort(0x3, 0, va + ALIAS_EL0, "PAN: LDR of an EL0-accessible page at EL1");
        v = at_el1(el1_ldtr_pan, va + ALIAS_EL0);
        report(v == 0x5757 && exc_seen_count == 0, "PAN does not apply to LDTR");
    } else {
        report_skip("PAN: no FEAT_PAN");
    }
    if (((read_sysreg(ID_AA64MMFR2_EL1) >> 4) & 0xf) >= 1) {
        v = at_el1(el1_ldtr_uao, va);
        report(v == 0x5757 && exc_seen_count == 0, "UAO: LDTR of an EL1-only page acts as LDR");
    } else {
        report_skip("UAO: no FEAT_UAO");
    }

    /* Normal memory: unaligned accesses work, also across pages; SCTLR_EL1.A makes them fault. */
    data[510] = 0x1122334455667788ul;
    data[511] = 0x99aabbccddeeff00ul;
    v = at_el1(el1_ldr, (uint64_t)&data[510] + 4);
    report(v == 0xddeeff0011223344ul && exc_seen_count == 0, "unaligned LDR from Normal memory (0x%lx)", v);
    v = at_el1(el1_ldr, (uint64_t)&data[512] - 3);
    report(exc_seen_count == 0, "unaligned LDR across a page boundary");
    v = at_el1(el1_ldr_aligncheck, (uint64_t)&data[510] + 4);
    report(v == 0xdead, "SCTLR_EL1.A: the unaligned LDR does not load");
    expect_dabort(0x8, 0, (uint64_t)&data[510] + 4, "SCTLR_EL1.A: unaligned LDR");
    v = at_el1(el1_ldr_aligncheck, (uint64_t)&data[510]);
    report(v == 0x1122334455667788ul && exc_seen_count == 0, "SCTLR_EL1.A: aligned LDR");

    /* A store whose second page is read-only writes nothing on the first page either. */
    volatile uint64_t *last = (volatile uint64_t *)(RO_BLOCK_VA - 8);
    *last = 0x1234;
    at_el1(el1_str, RO_BLOCK_VA - 4);
    report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x25 && ((exc_seen.esr & 0x3f) >> 2) == 0x3 &&
           ((exc_seen.esr >> 6) & 1) && exc_seen.far >= RO_BLOCK_VA - 4 && exc_seen.far <= RO_BLOCK_VA,
           "STR across into a read-only page: permission fault (ESR_EL1 0x%lx, FAR 0x%lx)", exc_seen.esr, exc_seen.far);
    report(*last == 0x1234, "the page-crossing store that faulted wrote nothing on the first page");
    exc_seen_count = 0;

    data[32] = 41;
    v = at_el1(el1_excl, (uint64_t)&data[32]);
    report(v == 0 && data[32] == 42, "LDAXR/STLXR on Normal memory");

    unsigned bs = 4u << (read_sysreg(DCZID_EL0) & 0xf);
    if (!(read_sysreg(DCZID_EL0) & 0x10) && bs <= 2048) {
        for (unsigned i = 0; i < 1024; i++) {
            data[i] = ~0ul;
        }
        at_el1(el1_dc_zva, (uint64_t)&data[256] + 8);
        bool zero = true;
        for (unsigned i = 0; i < bs / 8; i++) {
            zero &= data[256 + i] == 0;
        }
        report(exc_seen_count == 0 && zero && data[255] == ~0ul && data[256 + bs / 8] == ~0ul,
               "DC ZVA zeroes the aligned %u-byte block and nothing else", bs);
    } else {
        report_skip("DC ZVA prohibited (DCZID_EL0.DZP)");
    }
    exc_set_handler(1, NULL);
}
