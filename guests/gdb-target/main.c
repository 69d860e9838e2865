/*
 * A target for the gdb-multiarch tests (tests/gdb/): known register and
 * memory values, a watched variable, a second vCPU, and a two-stage
 * translation for the EL1&0 regime built while running at EL2 (never
 * entered: gdb reads through it with `monitor regime el1` and `monitor walk`).
 *
 * Stage 2 (VTCR_EL2: 4K granule, 32-bit IPA, start level 1, VMID 5):
 *   IPA [0x40000000, 0x80000000) -> identity 1G block (the stage-1 tables)
 *   IPA 0x80000000 -> L2 table -> L3 table -> page = PA of data_page
 * Stage 1 EL1 (TCR_EL1: 4K granule, 39-bit VA, start level 1):
 *   VA 0x10000 -> L2 table -> L3 table -> page at IPA 0x80000000
 * So VA 0x10000 in the EL1 regime reads data_page.
 *
 * Run without gdb it checks its own setup (both QEMU and Tandem).
 */
#include "guest.h"

#define PAGE 4096
#define DATA_MAGIC0 0x1122334455667788ull
#define DATA_MAGIC1 0x99aabbccddeeff00ull
#define EL1_VA 0x10000ull
#define DATA_IPA 0x80000000ull
#define VMID 5ull

/* Descriptor bits */
#define D_VALID 1ull
#define D_TABLE 2ull              /* table (levels 0-2) or page (level 3) */
#define D_AF (1ull << 10)
#define D_SH_ISH (3ull << 8)
#define S1_ATTR0 (0ull << 2)      /* MAIR index 0 */
#define S2_MEMATTR_NORMAL_WB (0xfull << 2)
#define S2AP_RW (3ull << 6)

static uint64_t s2_l1[512] __attribute__((aligned(PAGE)));
static uint64_t s2_l2[512] __attribute__((aligned(PAGE)));
static uint64_t s2_l3[512] __attribute__((aligned(PAGE)));
static uint64_t s1_l1[512] __attribute__((aligned(PAGE)));
static uint64_t s1_l2[512] __attribute__((aligned(PAGE)));
static uint64_t s1_l3[512] __attribute__((aligned(PAGE)));
uint64_t data_page[512] __attribute__((aligned(PAGE)));

volatile uint64_t watched_var;
volatile uint64_t seen_vbar_el1;
volatile uint64_t seen_v2;
volatile uint64_t secondary_counter;
volatile bool secondary_release;
volatile bool spin_forever;     /* gdb sets it to test Ctrl-C on a running machine */

void gdb_set_vregs(uint64_t lo, uint64_t hi);
uint64_t gdb_get_v2_lo(void);

/* Breakpoint targets for the gdb scripts: never inlined, each returns its argument. */
__attribute__((noinline)) uint64_t gdb_ready(uint64_t magic)
{
    __asm__ volatile("" ::: "memory");
    return magic;
}

__attribute__((noinline)) void gdb_after_watch(void)
{
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void gdb_done(void)
{
    __asm__ volatile("" ::: "memory");
}

static void secondary(unsigned idx)
{
    while (!secondary_release) {
        secondary_counter++;
    }
}

static void build_tables(void)
{
    uint64_t data_pa = (uint64_t)(uintptr_t)data_page;
    /* stage 2: the RAM gigabyte identity, and DATA_IPA -> data_page */
    s2_l1[1] = 0x40000000ull | D_VALID | D_AF | D_SH_ISH | S2_MEMATTR_NORMAL_WB | S2AP_RW;
    s2_l1[DATA_IPA >> 30] = (uint64_t)(uintptr_t)s2_l2 | D_VALID | D_TABLE;
    s2_l2[(DATA_IPA >> 21) & 511] = (uint64_t)(uintptr_t)s2_l3 | D_VALID | D_TABLE;
    s2_l3[(DATA_IPA >> 12) & 511] = data_pa | D_VALID | D_TABLE | D_AF | D_SH_ISH | S2_MEMATTR_NORMAL_WB | S2AP_RW;
    /* stage 1 (EL1&0): EL1_VA -> DATA_IPA, tables at IPA = PA */
    s1_l1[EL1_VA >> 30] = (uint64_t)(uintptr_t)s1_l2 | D_VALID | D_TABLE;
    s1_l2[(EL1_VA >> 21) & 511] = (uint64_t)(uintptr_t)s1_l3 | D_VALID | D_TABLE;
    s1_l3[(EL1_VA >> 12) & 511] = DATA_IPA | D_VALID | D_TABLE | D_AF | D_SH_ISH | S1_ATTR0;
    dsb(sy);

    /* VTCR_EL2: T0SZ = 32, SL0 = 1 (start at level 1), IRGN0/ORGN0 = WB, SH0 = ISH, TG0 = 4K, PS = 40-bit */
    write_sysreg(32ull | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 16 | 1ull << 31, VTCR_EL2);
    write_sysreg((uint64_t)(uintptr_t)s2_l1 | VMID << 48, VTTBR_EL2);
    /* TCR_EL1: T0SZ = 25 (39-bit VA, start level 1), WB, ISH, TG0 = 4K, EPD1, IPS = 40-bit */
    write_sysreg(25ull | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 23 | 2ull << 32, TCR_EL1);
    write_sysreg(0xffull, MAIR_EL1);    /* Attr0: Normal WB */
    write_sysreg((uint64_t)(uintptr_t)s1_l1, TTBR0_EL1);
    write_sysreg(read_sysreg(SCTLR_EL1) | 1, SCTLR_EL1);
    /* RW: EL1 is AArch64 (its reset value is UNKNOWN); VM: stage 2 for EL1&0 (never entered) */
    write_sysreg(read_sysreg(HCR_EL2) | 1ull << 31 | 1, HCR_EL2);
    __asm__ volatile("isb");
}

void guest_run(void)
{
    data_page[0] = DATA_MAGIC0;
    data_page[1] = DATA_MAGIC1;
    build_tables();
    report(read_sysreg(VTTBR_EL2) == ((uint64_t)(uintptr_t)s2_l1 | VMID << 48), "VTTBR_EL2 holds the stage-2 table and VMID");
    /* AT S12E1R: the two-stage mapping resolves to data_page, as gdb will see it */
    __asm__ volatile("at s12e1r, %0\n isb" ::"r"(EL1_VA));
    uint64_t par = read_sysreg(PAR_EL1);
    report(!(par & 1) && (par & 0x000ffffffffff000ull) == (uint64_t)(uintptr_t)data_page,
           "AT S12E1R of VA 0x10000 gives data_page (PAR_EL1 0x%lx)", par);

    report(smp_start_cpu(1, secondary) == 0, "second vCPU started");
    while (secondary_counter == 0) {
        __asm__ volatile("yield");
    }

    gdb_set_vregs(0x0123456789abcdefull, 0xfedcba9876543210ull);
    gdb_ready(0xfeedface);
    while (spin_forever) {
        __asm__ volatile("yield");
    }

    for (uint64_t i = 1; i <= 3; i++) {
        watched_var = i * 0x100;
    }
    gdb_after_watch();

    /* gdb may have written VBAR_EL1 and v2 at gdb_ready: report what the guest sees */
    seen_vbar_el1 = read_sysreg(VBAR_EL1);
    seen_v2 = gdb_get_v2_lo();
    printf("VBAR_EL1 0x%lx v2.d[0] 0x%lx\n", seen_vbar_el1, seen_v2);
    secondary_release = true;
    gdb_done();
    report(watched_var == 0x300, "watched variable written");
}
