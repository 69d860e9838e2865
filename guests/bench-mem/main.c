/*
 * Memory/TLB benchmark (issue 9): an EL1 "OS" touching many pages through a
 * 4-level stage 1 (4K granule, 48-bit VA) under a 4-level stage 2 (4K
 * granule, 48-bit IPA) set up by EL2, the way a guest kernel under KVM does.
 *
 *   - PROCS address spaces (ASIDs 1..PROCS), each mapping a WIN_PAGES-page
 *     (64 MiB) window at WIN_VA with non-global 4K pages onto an
 *     IPA_PAGES-page (32 MiB) IPA window at IPA_WIN, which stage 2 maps with
 *     4K pages onto a POOL_PAGES-page (16 MiB) pool of RAM: 256 MiB of VA on
 *     16 MiB of PA, so nearly every access needs a fresh two-stage walk.
 *   - The workload visits the pages with a large odd stride and switches
 *     address space (TTBR0_EL1 with a new ASID, no TLBI) every CHUNK accesses.
 *   - Every REMAP_EVERY accesses EL1 remaps one of its pages (PTE write,
 *     TLBI VAE1IS by VA and ASID); once per chunk round it asks EL2 (HVC) to
 *     remap one IPA page (stage-2 PTE write, TLBI IPAS2E1IS + VMALLE1IS);
 *     once per round it drops one ASID (TLBI ASIDE1IS).
 *   - Self-checking: each pool page holds a tag naming its PA page; every
 *     access compares the tag with the page the current mappings say it must
 *     reach (each remapped page is read just before and just after its
 *     remap, so a stale TLB entry shows up as a wrong tag) and
 *     increments a counter in the page; EL2 finally checks that the counters
 *     add up to the number of accesses.
 *
 * The default work is one round (guests/manifest, `make test`); `-append
 * bench` selects BENCH_ROUNDS rounds (`make bench`). No cache maintenance:
 * EL2 writes the pool and the stage-2 tables with its MMU off while EL1 and
 * the walker use Write-Back attributes; neither emulator models caches (on
 * hardware this would need DC CIVAC).
 */
#include "guest.h"

#define PROCS 4
#define WIN_VA 0x0000700000000000ul      /* stage-1 L0 index 224 */
#define WIN_PAGES 16384u                  /* 64 MiB per address space */
#define IPA_WIN 0x0000400000000000ul     /* stage-2 L0 index 128 */
#define IPA_PAGES 8192u                   /* 32 MiB */
#define POOL_PA 0x44000000ul              /* 16 MiB of RAM, above the image */
#define POOL_PAGES 4096u
#define STRIDE 2053u                      /* odd: visits every page of the window */
#define CHUNK 1024u                       /* accesses between address-space switches */
#define REMAP_EVERY 4096u                 /* accesses between stage-1 remaps */
#define BENCH_ROUNDS 48u

#define HCR_EL2_VM (1ul << 0)
#define HCR_EL2_RW (1ul << 31)
#define HVC_S2_REMAP 0x2

/* Stage-1 descriptors (VMSAv8-64, 4K granule). */
#define S1_TABLE 3ul
#define S1_PAGE 3ul
#define S1_BLOCK 1ul
#define S1_ATTR(i) ((uint64_t)(i) << 2)   /* MAIR_EL1 index: 0 Device-nGnRnE, 1 Normal WB */
#define S1_SH_INNER (3ul << 8)
#define S1_AF (1ul << 10)
#define S1_NG (1ul << 11)
/* Stage-2 descriptors: MemAttr[5:2], S2AP[7:6], SH[9:8], AF. */
#define S2_DEVICE (0x0ul << 2)
#define S2_NORMAL_WB (0xful << 2)
#define S2_RW (3ul << 6)

static uint64_t s2_l0[512] __attribute__((aligned(4096)));
static uint64_t s2_l1_low[512] __attribute__((aligned(4096)));
static uint64_t s2_l1_win[512] __attribute__((aligned(4096)));
static uint64_t s2_l2_win[512] __attribute__((aligned(4096)));
static uint64_t s2_l3_win[IPA_PAGES / 512][512] __attribute__((aligned(4096)));

static uint64_t s1_l1_id[512] __attribute__((aligned(4096)));    /* shared, global identity map */
static uint64_t s1_l0[PROCS][512] __attribute__((aligned(4096)));
static uint64_t s1_l1[PROCS][512] __attribute__((aligned(4096)));
static uint64_t s1_l2[PROCS][512] __attribute__((aligned(4096)));
static uint64_t s1_l3[PROCS][WIN_PAGES / 512][512] __attribute__((aligned(4096)));

/* What the page tables say: VA page -> IPA page (per process), IPA page -> pool page. */
static uint16_t s1_map[PROCS][WIN_PAGES];
static volatile uint16_t s2_map[IPA_PAGES];

static uint8_t el1_stack[16384] __attribute__((aligned(16)));
static unsigned rounds;
static unsigned s2_remaps;
static uint64_t ps_field;

static inline uint64_t pool_tag(unsigned pool_page)
{
    return ((uint64_t)pool_page * 0x9e3779b97f4a7c15ul) ^ 0x5a5aul;
}

static inline volatile uint64_t *pool_page_pa(unsigned k)
{
    return (volatile uint64_t *)(POOL_PA + ((uint64_t)k << 12));
}

/* ---- EL2: stage 2 and its remap service ---- */

static void s2_set(unsigned ipa_page, unsigned pool_page)
{
    s2_l3_win[ipa_page / 512][ipa_page % 512] =
        (POOL_PA + ((uint64_t)pool_page << 12)) | S2_NORMAL_WB | S2_RW | S1_SH_INNER | S1_AF | S1_PAGE;
    s2_map[ipa_page] = (uint16_t)pool_page;
}

static bool el2_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if (esr_ec(f->esr) == 0x16 && esr_iss(f->esr) == HVC_S2_REMAP && f->x[0] < IPA_PAGES &&
        f->x[1] < POOL_PAGES) {
        unsigned j = (unsigned)f->x[0];
        s2_set(j, (unsigned)f->x[1]);
        /* Invalidate by IPA, then the combined stage 1+2 entries (Arm ARM D8.15 "TLB maintenance"). */
        uint64_t ipa = IPA_WIN + ((uint64_t)j << 12);
        __asm__ volatile("dsb ishst\n\ttlbi ipas2e1is, %0\n\tdsb ish\n\ttlbi vmalle1is\n\tdsb ish\n\tisb"
                         : : "r"(ipa >> 12) : "memory");
        s2_remaps++;
        return true;             /* ELR already points after the HVC */
    }
    return false;
}

static void s2_setup(void)
{
    s2_l1_low[0] = 0x00000000ul | S2_DEVICE | S2_RW | S1_AF | S1_BLOCK;               /* devices */
    s2_l1_low[1] = 0x40000000ul | S2_NORMAL_WB | S2_RW | S1_SH_INNER | S1_AF | S1_BLOCK; /* RAM */
    s2_l0[0] = (uint64_t)s2_l1_low | S1_TABLE;
    s2_l0[(IPA_WIN >> 39) & 511] = (uint64_t)s2_l1_win | S1_TABLE;
    s2_l1_win[(IPA_WIN >> 30) & 511] = (uint64_t)s2_l2_win | S1_TABLE;
    for (unsigned t = 0; t < IPA_PAGES / 512; t++) {
        s2_l2_win[((IPA_WIN >> 21) & 511) + t] = (uint64_t)s2_l3_win[t] | S1_TABLE;
    }
    for (unsigned j = 0; j < IPA_PAGES; j++) {
        s2_set(j, (j * 3u) % POOL_PAGES);            /* two IPA pages on each pool page */
    }
    for (unsigned k = 0; k < POOL_PAGES; k++) {
        pool_page_pa(k)[0] = pool_tag(k);
        pool_page_pa(k)[1] = 0;
    }
    /* T0SZ 16 (48-bit IPA), SL0 2 (start at level 0), non-cacheable walks, TG0 4K, PS, RES1 bit 31. */
    write_sysreg(16ul | (2ul << 6) | (ps_field << 16) | (1ul << 31), vtcr_el2);
    write_sysreg((uint64_t)s2_l0 | (1ul << 48), vttbr_el2);                  /* VMID 1 */
    __asm__ volatile("dsb ish\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" : : : "memory");
    write_sysreg(HCR_EL2_RW | HCR_EL2_VM, hcr_el2);
    isb();
}

/* ---- EL1: stage 1 and the workload ---- */

static inline uint64_t s1_page(unsigned ipa_page)
{
    return (IPA_WIN + ((uint64_t)ipa_page << 12)) | S1_ATTR(1) | S1_SH_INNER | S1_AF | S1_NG | S1_PAGE;
}

static void s1_setup(void)
{
    s1_l1_id[0] = 0x00000000ul | S1_ATTR(0) | S1_AF | S1_BLOCK;
    s1_l1_id[1] = 0x40000000ul | S1_ATTR(1) | S1_SH_INNER | S1_AF | S1_BLOCK;
    for (unsigned p = 0; p < PROCS; p++) {
        s1_l0[p][0] = (uint64_t)s1_l1_id | S1_TABLE;
        s1_l0[p][(WIN_VA >> 39) & 511] = (uint64_t)s1_l1[p] | S1_TABLE;
        s1_l1[p][(WIN_VA >> 30) & 511] = (uint64_t)s1_l2[p] | S1_TABLE;
        for (unsigned t = 0; t < WIN_PAGES / 512; t++) {
            s1_l2[p][((WIN_VA >> 21) & 511) + t] = (uint64_t)s1_l3[p][t] | S1_TABLE;
        }
        for (unsigned i = 0; i < WIN_PAGES; i++) {
            unsigned j = (i * 5u + p * 1237u) % IPA_PAGES;
            s1_l3[p][i / 512][i % 512] = s1_page(j);
            s1_map[p][i] = (uint16_t)j;
        }
    }
    dsb(ish);
    write_sysreg(0xff00ul, mair_el1);
    /* T0SZ 16, WB walks, inner shareable, TG0 4K, EPD1, IPS, 8-bit ASIDs from TTBR0. */
    write_sysreg(16ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (ps_field << 32), tcr_el1);
    write_sysreg((uint64_t)s1_l0[0] | (1ul << 48), ttbr0_el1);
    __asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
    /* M, C, I and the v8.0 RES1 bits. */
    write_sysreg(0x30d00800ul | 1 | (1ul << 2) | (1ul << 12), sctlr_el1);
    isb();
}

/* 1 when VA page i of the current address space p does not reach the pool page the maps name. */
static inline unsigned page_wrong(unsigned p, unsigned i)
{
    volatile uint64_t *pg = (volatile uint64_t *)(WIN_VA + ((uint64_t)i << 12));
    return pg[0] != pool_tag(s2_map[s1_map[p][i]]);
}

/* Remap VA page i of the current address space p; touched before (so a TLB holds it) and after. */
static unsigned s1_remap(unsigned p, unsigned i)
{
    unsigned wrong = page_wrong(p, i);
    unsigned j = (s1_map[p][i] + 4097u) % IPA_PAGES;
    s1_l3[p][i / 512][i % 512] = s1_page(j);
    s1_map[p][i] = (uint16_t)j;
    uint64_t arg = ((uint64_t)(p + 1) << 48) | (((WIN_VA >> 12) + i) & 0xfffffffffffful);
    __asm__ volatile("dsb ishst\n\ttlbi vae1is, %0\n\tdsb ish\n\tisb" : : "r"(arg) : "memory");
    return wrong + page_wrong(p, i);
}

/* Have EL2 move the IPA page behind VA page i of address space p; touched before and after. */
static unsigned s2_remap_call(unsigned p, unsigned i)
{
    unsigned wrong = page_wrong(p, i);
    unsigned j = s1_map[p][i];
    register uint64_t x0 __asm__("x0") = j;
    register uint64_t x1 __asm__("x1") = (s2_map[j] + 1u) % POOL_PAGES;
    __asm__ volatile("hvc #2" : "+r"(x0), "+r"(x1) : : "memory");
    return wrong + page_wrong(p, i);
}

/* Returns the number of accesses that reached the wrong page. */
static uint64_t el1_workload(uint64_t nrounds)
{
    s1_setup();
    uint64_t bad = 0, n = 0;
    unsigned pos[PROCS] = { 0 };
    for (unsigned r = 0; r < nrounds; r++) {
        for (unsigned c = 0; c < WIN_PAGES / CHUNK; c++) {
            for (unsigned p = 0; p < PROCS; p++) {
                /* Context switch: new ASID, no TLB maintenance. */
                write_sysreg((uint64_t)s1_l0[p] | ((uint64_t)(p + 1) << 48), ttbr0_el1);
                isb();
                for (unsigned k = 0; k < CHUNK; k++) {
                    unsigned i = (pos[p]++ * STRIDE) % WIN_PAGES;
                    volatile uint64_t *pg = (volatile uint64_t *)(WIN_VA + ((uint64_t)i << 12));
                    bad += pg[0] != pool_tag(s2_map[s1_map[p][i]]);
                    pg[1] = pg[1] + 1;
                    if (++n % REMAP_EVERY == 0) {
                        bad += s1_remap(p, (i * 7u + 3u) % WIN_PAGES);
                    }
                }
            }
            bad += s2_remap_call(PROCS - 1, (c * 577u + r * 31u) % WIN_PAGES);
        }
        /* Drop every entry of one address space. */
        __asm__ volatile("tlbi aside1is, %0\n\tdsb ish\n\tisb" : : "r"((uint64_t)(r % PROCS + 1) << 48) : "memory");
    }
    write_sysreg(read_sysreg(sctlr_el1) & ~1ul, sctlr_el1);
    isb();
    return bad;
}

static bool bench_mode(void)
{
    uint32_t len = 0;
    const char *args = boot_dtb ? fdt_getprop_path((const void *)(uintptr_t)boot_dtb, "/chosen", "bootargs",
                                                   &len) : NULL;
    return args && len >= 5 && memcmp(args, "bench", 5) == 0;
}

void guest_run(void)
{
    if (boot_el != 2) {
        report(false, "entered at EL2 (needs -M virt,virtualization=on)");
        return;
    }
    unsigned parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
    if (parange < 5) {
        report(false, "ID_AA64MMFR0_EL1.PARange = %u: a 48-bit IPA space needs 5 or more", parange);
        return;
    }
    ps_field = 5;                                     /* 48-bit PA/IPA */
    rounds = bench_mode() ? BENCH_ROUNDS : 1;
    exc_set_handler(2, el2_handler);
    s2_setup();
    uint64_t bad = el_call_lower(el1_workload, rounds, SPSR_EL1h | SPSR_DAIF,
                                 (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    write_sysreg(HCR_EL2_RW, hcr_el2);
    isb();
    uint64_t accesses = (uint64_t)rounds * WIN_PAGES * PROCS, sum = 0;
    unsigned tags_ok = 0;
    for (unsigned k = 0; k < POOL_PAGES; k++) {
        sum += pool_page_pa(k)[1];
        tags_ok += pool_page_pa(k)[0] == pool_tag(k);
    }
    report(bad == 0, "%llu accesses in %u address spaces of %u pages, each reached the page the tables name "
           "(%llu wrong)", (unsigned long long)accesses, PROCS, WIN_PAGES, (unsigned long long)bad);
    report(sum == accesses, "pool counters add up to the accesses (%llu)", (unsigned long long)sum);
    report(tags_ok == POOL_PAGES, "pool tags intact (%u of %u)", tags_ok, POOL_PAGES);
    report(s2_remaps == rounds * (WIN_PAGES / CHUNK), "%u stage-2 remaps by HVC, %llu stage-1 remaps",
           s2_remaps, (unsigned long long)(accesses / REMAP_EVERY));
}
