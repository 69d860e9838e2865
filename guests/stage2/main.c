/*
 * A mini hypervisor at EL2 (feature-notes A.1/A.2, cases D1, D2, D5, D6,
 * D10, D14/D15, D19, D22): for every IPA size 32..52 and every granule the
 * CPU implements at stage 2 (FEAT_LPA2 for 52-bit 4K/16K, FEAT_LPA for 64K),
 * it builds stage-2 tables with KVM's start level and concatenation, runs an
 * EL1 guest (MMU off: VA = IPA) that loads from a mapped IPA at the top of
 * the range, an unmapped IPA and an IPA beyond the range, and checks the data,
 * ESR_EL2 (EC 0x24, ISV, SAS, SRT, SF, DFSC), FAR_EL2 and HPFAR_EL2; then
 * AT S12E1R; then TLBI scoping (KVM's __kvm_tlb_flush_vmid_ipa sequence) and
 * hardware AF/dirty at stage 2 when FEAT_HAFDBS is present; then the guest
 * turns on its own stage 1 for D3 (stage-1 address size fault stays at EL1),
 * D11 (S1PTW fault, HPFAR = table IPA) and AT S1E1R from EL1 taking that
 * stage-2 fault as a Data Abort (CM = 1).
 * With a PA size below 52 bits (-cpu max,pa-bits=N on Tandem; QEMU's
 * cortex-a53/a57 models as the reference) it also checks D12: PARange as
 * asked, no LPA2, IPA sizes above PAMax invalid, PS/IPS capped at PAMax
 * (stage-2 and stage-1 Address size faults, D8), SL0 gated by PAMax (D7);
 * and D13: VTCR_EL2.TG0 naming a granule stage 2 lacks walks as the smallest
 * implemented one.
 */
#include "guest.h"

#define HCR_EL2_VM (1ul << 0)
#define HCR_EL2_RW (1ul << 31)
#define MASK(n) ((n) >= 64 ? ~0ul : (1ul << (n)) - 1)

static uint8_t el1_stack[8192] __attribute__((aligned(16)));
/* Table memory: 3 MiB, 256 KiB aligned (16K/40-bit needs 16 concatenated tables). */
static uint8_t pool[3 << 20] __attribute__((aligned(1 << 18)));
static uint64_t pool_next;
/* The pages the guest reads through its IPAs. */
static uint64_t data_page[2][8192] __attribute__((aligned(65536)));

static uint64_t alloc_table(uint64_t size)
{
    uint64_t align = size < 4096 ? 4096 : size;
    uint64_t base = (uint64_t)pool;
    pool_next = (pool_next + align - 1) & ~(align - 1);
    uint64_t pa = base + pool_next;
    pool_next += size;
    if (pool_next > sizeof(pool)) {
        guest_abort("table pool exhausted");
    }
    memset((void *)pa, 0, size);
    return pa;
}

typedef struct Fmt {
    unsigned g, ipa;
    int start;
    bool ds, lpa64;
} Fmt;

static unsigned fshift(const Fmt *f, int level)
{
    return f->g + (f->g - 3) * (unsigned)(3 - level);
}

static uint64_t enc_oa(const Fmt *f, uint64_t pa)
{
    if (f->ds) {
        return (pa & MASK(50) & ~0xffful) | ((pa >> 50) & 3) << 8;
    }
    if (f->lpa64) {
        return (pa & MASK(48) & ~0xfffful) | ((pa >> 48) & 0xf) << 12;
    }
    return pa & MASK(48) & ~0xffful;
}

static uint64_t dec_oa(const Fmt *f, uint64_t d)
{
    if (f->ds) {
        return (d & MASK(50) & ~MASK(f->g)) | ((d >> 8) & 3) << 50;
    }
    if (f->lpa64) {
        return (d & MASK(48) & ~MASK(f->g)) | ((d >> 12) & 0xf) << 48;
    }
    return d & MASK(48) & ~MASK(f->g);
}

/* Stage-2 leaf: AF, S2AP RW, Normal WB (MemAttr 0xF), inner shareable unless DS. */
static uint64_t leaf_attrs(const Fmt *f)
{
    return (1ul << 10) | (3ul << 6) | (0xful << 2) | (f->ds ? 0 : 3ul << 8);
}

static volatile uint64_t *slot_for(const Fmt *f, uint64_t root, uint64_t ipa, int level)
{
    uint64_t table = root;
    for (int l = f->start;; l++) {
        unsigned sh = fshift(f, l);
        unsigned nbits = l == f->start ? f->ipa - sh : f->g - 3;
        volatile uint64_t *slot = (volatile uint64_t *)(table + 8 * ((ipa >> sh) & MASK(nbits)));
        if (l == level) {
            return slot;
        }
        if (!(*slot & 1)) {
            uint64_t next = alloc_table(1ul << f->g);
            *slot = enc_oa(f, next) | 3;
            table = next;
        } else {
            table = dec_oa(f, *slot);
        }
    }
}

static volatile uint64_t *map(const Fmt *f, uint64_t root, uint64_t ipa, uint64_t pa, int level, uint64_t attrs)
{
    volatile uint64_t *s = slot_for(f, root, ipa, level);
    *s = enc_oa(f, pa & ~MASK(fshift(f, level))) | attrs | (level == 3 ? 3 : 1);
    return s;
}

/* Identity map for the guest's code, stack and data (RAM 0x4000_0000 + 128 MiB) with level-2 blocks. */
static void map_ram(const Fmt *f, uint64_t root)
{
    for (uint64_t a = 0x40000000ul; a < 0x48000000ul; a += 1ul << fshift(f, 2)) {
        map(f, root, a, a, 2, leaf_attrs(f));
    }
}

/* ---- EL2 abort capture ---- */
static volatile uint64_t ab_esr, ab_far, ab_hpfar, ab_count;

static bool el2_handler(ExcFrame *fr, unsigned el, unsigned kind)
{
    unsigned ec = esr_ec(fr->esr);
    if (kind != EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC) || ec != 0x24) {
        return false;
    }
    ab_esr = fr->esr;
    ab_far = fr->far;
    ab_hpfar = read_sysreg(hpfar_el2);
    ab_count++;
    fr->x[1] = 0xdeadbeef;
    fr->elr += 4;
    return true;
}

/* At EL1 with the MMU off: one LDR X1, [X0] (ESR ISS: SRT = 1, SF = 1, SAS = 3). */
static uint64_t el1_load(uint64_t ipa)
{
    uint64_t v;
    __asm__ volatile("mov x0, %1\n\tldr x1, [x0]\n\tmov %0, x1" : "=r"(v) : "r"(ipa) : "x0", "x1", "memory");
    return v;
}

static uint64_t el1_store(uint64_t ipa)
{
    __asm__ volatile("mov x0, %0\n\tmov x1, #0x77\n\tstr x1, [x0]" : : "r"(ipa) : "x0", "x1", "memory");
    return 0;
}

static uint64_t run_el1(uint64_t (*fn)(uint64_t), uint64_t ipa)
{
    return el_call_lower(fn, ipa, SPSR_EL1h | SPSR_DAIF, (uint64_t)el1_stack + sizeof(el1_stack));
}

static void tlb_flush_all(void)
{
    dsb(ishst);
    __asm__ volatile("tlbi vmalls12e1is\n\tdsb ish\n\tisb" : : : "memory");
}

/* ---- feature probing ---- */
static unsigned parange_bits(void)
{
    static const unsigned b[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
    return b[read_sysreg(id_aa64mmfr0_el1) & 7];
}

/* 0 = no, 1 = yes, 2 = with 52-bit. */
static int s2_granule(unsigned g)
{
    uint64_t m = read_sysreg(id_aa64mmfr0_el1);
    int s1;
    unsigned f2;
    if (g == 12) {
        unsigned v = (m >> 28) & 0xf;
        s1 = v == 0 ? 1 : v == 1 ? 2 : 0;
        f2 = (m >> 40) & 0xf;
    } else if (g == 14) {
        unsigned v = (m >> 20) & 0xf;
        s1 = v == 1 ? 1 : v == 2 ? 2 : 0;
        f2 = (m >> 32) & 0xf;
    } else {
        s1 = ((m >> 24) & 0xf) == 0;
        f2 = (m >> 36) & 0xf;
    }
    if (f2 == 0) {
        return s1;
    }
    return f2 == 1 ? 0 : f2 == 2 ? 1 : 2;
}

/*
 * Options from -append (guests/manifest), tokens separated by ' ' or ',':
 * "pa=N" the PA size the command line asked for (checked against PARange, so
 * an ignored -cpu pa-bits fails), "s2off=4|16|64" that granule must be
 * absent at stage 2 (-cpu max,tgran4_2=off), "qemu" this is the reference
 * emulator (for QEMU CPU models whose MIDR is a real part's).
 */
static unsigned want_pa;
static unsigned want_s2off[3], n_s2off;
static bool ref_qemu;

static void parse_bootargs(void)
{
    uint32_t len;
    const char *a = fdt_getprop_path((const void *)boot_dtb, "/chosen", "bootargs", &len);
    while (a && *a) {
        while (*a == ' ' || *a == ',') {
            a++;
        }
        const char *t = a;
        while (*a && *a != ' ' && *a != ',') {
            a++;
        }
        size_t n = (size_t)(a - t);
        if (n == 4 && !memcmp(t, "qemu", 4)) {
            ref_qemu = true;
        } else if (n > 3 && !memcmp(t, "pa=", 3)) {
            want_pa = 0;
            for (size_t i = 3; i < n; i++) {
                want_pa = want_pa * 10 + (unsigned)(t[i] - '0');
            }
        } else if (n > 6 && !memcmp(t, "s2off=", 6) && n_s2off < 3) {
            unsigned kb = 0;
            for (size_t i = 6; i < n; i++) {
                kb = kb * 10 + (unsigned)(t[i] - '0');
            }
            want_s2off[n_s2off++] = kb == 4 ? 12 : kb == 16 ? 14 : 16;
        }
    }
}

/* QEMU's -cpu max: implementer 0, part number 0x051 ("Q"); Tandem's max is part 0x7a4. */
static bool is_qemu(void)
{
    uint64_t midr = read_sysreg(midr_el1);
    return ref_qemu || (((midr >> 24) & 0xff) == 0 && ((midr >> 4) & 0xfff) != 0x7a4);
}

static uint64_t at_s12e1r(uint64_t va)
{
    __asm__ volatile("at s12e1r, %0\n\tisb" : : "r"(va) : "memory");
    return read_sysreg(par_el1);
}

/* PAR_EL1 of a stage-2 fault: F = 1, S = 1, FST. */
static bool par_s2_fault(uint64_t par, unsigned fst)
{
    return (par & 1) && (par & (1ul << 9)) && ((par >> 1) & 0x3f) == fst;
}

/* KVM's choice: levels = max(2, (IPA - 8) / (granule - 3)) counted from level 3 (feature-notes A.1). */
static int kvm_start_level(unsigned g, unsigned ipa)
{
    int levels = (int)(ipa - 8) / (int)(g - 3);
    if (levels < 2) {
        levels = 2;
    }
    if (levels > 4) {
        levels = 4;
    }
    return 4 - levels;
}

static uint64_t vtcr_for(const Fmt *f)
{
    unsigned sl0 = f->g == 12 ? (unsigned)(2 - f->start) : (unsigned)(3 - f->start);
    uint64_t tg = f->g == 12 ? 0 : f->g == 16 ? 1 : 2;
    uint64_t ps = read_sysreg(id_aa64mmfr0_el1) & 7;
    return (64 - f->ipa) | (uint64_t)sl0 << 6 | 1ul << 8 | 1ul << 10 | 3ul << 12 | tg << 14 | ps << 16 |
           1ul << 31 | (f->ds ? 1ul << 32 : 0);
}

static uint64_t vttbr_for(const Fmt *f, uint64_t root, unsigned vmid)
{
    return (root & MASK(48)) | ((f->ds || f->lpa64) ? ((root >> 48) & 0xf) << 2 : 0) | (uint64_t)vmid << 48;
}

/* Turn on stage 2 for EL1&0 with these VTCR_EL2 / tables / VMID, from a clean TLB. */
static void s2_enable(uint64_t vtcr, const Fmt *f, uint64_t root, unsigned vmid)
{
    write_sysreg(vtcr, vtcr_el2);
    write_sysreg(vttbr_for(f, root, vmid), vttbr_el2);
    write_sysreg(read_sysreg(hcr_el2) | HCR_EL2_VM | HCR_EL2_RW, hcr_el2);
    isb();
    tlb_flush_all();
}

static void s2_disable(void)
{
    write_sysreg(read_sysreg(hcr_el2) & ~HCR_EL2_VM, hcr_el2);
    isb();
}

static const char *gname(unsigned g)
{
    return g == 12 ? "4K" : g == 14 ? "16K" : "64K";
}

static void check_fault(const char *what, const Fmt *f, uint64_t ipa, unsigned dfsc)
{
    ab_count = 0;
    uint64_t v = run_el1(el1_load, ipa);
    uint64_t want_esr = 0x93C18000ul | dfsc;
    report(ab_count == 1 && v == 0xdeadbeef, "%s/%u-bit: %s IPA 0x%lx faults to EL2", gname(f->g), f->ipa, what, ipa);
    report(ab_esr == want_esr, "%s/%u-bit: %s ESR_EL2 0x%lx (want 0x%lx)", gname(f->g), f->ipa, what, ab_esr, want_esr);
    report(ab_far == ipa, "%s/%u-bit: %s FAR_EL2 0x%lx", gname(f->g), f->ipa, what, ab_far);
    report(ab_hpfar == (ipa >> 12) << 4, "%s/%u-bit: %s HPFAR_EL2 0x%lx (want 0x%lx)", gname(f->g), f->ipa, what,
           ab_hpfar, (ipa >> 12) << 4);
}

static void check_beyond_pamax(unsigned g, unsigned ipa_bits);

static void run_config(unsigned g, unsigned ipa_bits)
{
    int sup = s2_granule(g);
    unsigned pamax = parange_bits();
    bool need52 = ipa_bits > 48;
    if (sup && ipa_bits > pamax) {
        check_beyond_pamax(g, ipa_bits);
        return;
    }
    if (!sup || ipa_bits > pamax || (need52 && g != 16 && sup != 2) || (need52 && g == 16 && pamax < 52)) {
        report_skip("%s/%u-bit stage 2 not supported by this CPU", gname(g), ipa_bits);
        return;
    }
    /*
     * QEMU 7.2 (target/arm/ptw.c check_s2_mmu_setup) rejects a 16K stage 2
     * starting at level 0 even with VTCR_EL2.DS = 1, which the Arm ARM allows
     * (SL0 = 3): 16K/52-bit cannot work there. Skipped on QEMU's "max" only.
     */
    if (g == 14 && need52 && is_qemu()) {
        report_skip("16K/52-bit stage 2: QEMU 7.2 refuses a 16K level-0 start (documented gap)");
        return;
    }
    Fmt f = { .g = g, .ipa = ipa_bits, .start = kvm_start_level(g, ipa_bits),
              .ds = need52 && g != 16, .lpa64 = g == 16 && pamax == 52 };
    pool_next = 0;
    unsigned root_bits = ipa_bits - fshift(&f, f.start);
    uint64_t root = alloc_table(8ul << root_bits);

    map_ram(&f, root);
    uint64_t page = 1ul << g;
    uint64_t ipa_top = (1ul << ipa_bits) - page;                /* last page of the IPA space */
    uint64_t pa_data = (uint64_t)data_page[0];
    data_page[0][0] = 0x1234567800000000ul | ipa_bits << 8 | g;
    map(&f, root, ipa_top, pa_data, 3, leaf_attrs(&f));

    s2_enable(vtcr_for(&f), &f, root, 5);

    ab_count = 0;
    uint64_t v = run_el1(el1_load, ipa_top);
    report(ab_count == 0 && v == data_page[0][0], "%s/%u-bit (start level %d): load from top IPA 0x%lx = 0x%lx",
           gname(g), ipa_bits, f.start, ipa_top, v);

    /* An unmapped start-level entry: Translation fault at the start level (D2). */
    uint64_t hole = (1ul << (ipa_bits - 1)) + 0x10000;
    if (hole >= 0x40000000ul && hole < 0x48000000ul) {
        hole = 0x48000000ul + 0x10000;
    }
    unsigned hole_level;
    {
        /* The deepest level holding a valid table for `hole` decides the fault level. */
        uint64_t table = root;
        int l = f.start;
        for (;; l++) {
            unsigned sh = fshift(&f, l);
            unsigned nbits = l == f.start ? ipa_bits - sh : g - 3;
            uint64_t d = *(volatile uint64_t *)(table + 8 * ((hole >> sh) & MASK(nbits)));
            if (!(d & 1) || l == 3 || !(d & 2)) {
                break;
            }
            table = dec_oa(&f, d);
        }
        hole_level = (unsigned)l;
        check_fault("unmapped", &f, hole, l < 0 ? 0x2b : 0x04 + hole_level);
    }
    /* Beyond the IPA size: level-0 Translation fault, HPFAR = IPA (D1). */
    if (ipa_bits < pamax) {
        check_fault("beyond T0SZ", &f, 1ul << ipa_bits, 0x04);
    }
    /* AT S12E1R from EL2 (EL1 MMU off: VA = IPA). */
    __asm__ volatile("at s12e1r, %0\n\tisb" : : "r"(ipa_top) : "memory");
    uint64_t par = read_sysreg(par_el1);
    report(!(par & 1) && (par & MASK(52) & ~0xffful) == pa_data, "%s/%u-bit: AT S12E1R PAR 0x%lx",
           gname(g), ipa_bits, par);
    __asm__ volatile("at s12e1r, %0\n\tisb" : : "r"(hole) : "memory");
    par = read_sysreg(par_el1);
    report((par & 1) && (par & (1ul << 9)) && ((par >> 1) & 0x3f) == (hole_level == (unsigned)-1 ? 0x2b : 0x04 + hole_level),
           "%s/%u-bit: AT S12E1R on a hole: PAR 0x%lx (F, S, FST)", gname(g), ipa_bits, par);

    s2_disable();
}

/*
 * D12 (PARange variants of D1/D4): a stage 2 whose IPA size (T0SZ) exceeds
 * PAMax is invalid, whatever SL0: every access takes a stage-2 level-0
 * Translation fault (docs/impdef.md; QEMU faults too). Checked with AT
 * S12E1R from EL2, since the EL1 guest could not even fetch its code.
 */
static void check_beyond_pamax(unsigned g, unsigned ipa_bits)
{
    Fmt f = { .g = g, .ipa = ipa_bits, .start = kvm_start_level(g, ipa_bits) };
    pool_next = 0;
    uint64_t root = alloc_table(1ul << g);
    s2_enable(vtcr_for(&f), &f, root, 5);
    uint64_t par = at_s12e1r(0x40000000ul);
    report(par_s2_fault(par, 0x04), "D12: %s/%u-bit stage 2 on a %u-bit PA: AT S12E1R PAR 0x%lx (level-0 Translation)",
           gname(g), ipa_bits, parange_bits(), par);
    s2_disable();
}

/* D12: what ID_AA64MMFR0_EL1 says about the PA size. */
static void check_id_fields(void)
{
    uint64_t m = read_sysreg(id_aa64mmfr0_el1);
    unsigned pamax = parange_bits();
    if (want_pa) {
        report(pamax == want_pa, "D12: ID_AA64MMFR0_EL1.PARange = %u bits (asked for %u)", pamax, want_pa);
    }
    if (pamax < 52) {
        unsigned t4 = (m >> 28) & 0xf, t16 = (m >> 20) & 0xf, t4_2 = (m >> 40) & 0xf, t16_2 = (m >> 32) & 0xf;
        report(t4 != 1 && t16 != 2 && t4_2 != 3 && t16_2 != 3,
               "D12: no FEAT_LPA2 advertised with a %u-bit PA (ID_AA64MMFR0_EL1 0x%lx)", pamax, m);
    }
}

/*
 * D8 / D7 / D12 with PAMax below 48 bits: VTCR_EL2.PS = 0b101 (48) is
 * treated as PAMax, so a stage-2 leaf whose OA has bit PAMax set takes an
 * Address size fault at level 3 and a VTTBR_EL2 with that bit a level-0 one;
 * 4K SL0 = 2 (start level 0) is valid only with PAMax >= 44; with the guest's
 * stage 1 off, a VA at 2^PAMax is a stage-1 Address size fault (level 0) at
 * EL1 (AArch64.S1DisabledOutput).
 */
static volatile uint64_t el1_esr, el1_far, el1_count;
static bool el1_handler(ExcFrame *fr, unsigned el, unsigned kind);

static void run_pamax_checks(void)
{
    unsigned pamax = parange_bits();
    if (!s2_granule(12)) {
        report_skip("D7/D8 PAMax checks use a 4K stage 2, not implemented here");
        return;
    }
    if (pamax >= 40) {
        /* D7: 4K, 40-bit IPA from level 0 (a 2-entry root). */
        Fmt f = { .g = 12, .ipa = 40, .start = 0 };
        pool_next = 0;
        uint64_t root = alloc_table(4096);
        map(&f, root, 0x48200000ul, (uint64_t)data_page[0], 3, leaf_attrs(&f));
        s2_enable(vtcr_for(&f), &f, root, 5);
        uint64_t par = at_s12e1r(0x48200000ul);
        if (pamax >= 44) {
            report(!(par & 1) && (par & MASK(48) & ~0xffful) == (uint64_t)data_page[0],
                   "D7: 4K SL0=2 (level-0 start) with a %u-bit PA works: PAR 0x%lx", pamax, par);
        } else {
            report(par_s2_fault(par, 0x04), "D7: 4K SL0=2 with a %u-bit PA (< 44): level-0 Translation, PAR 0x%lx",
                   pamax, par);
        }
        s2_disable();
    }
    if (pamax >= 48) {
        report_skip("D8 with PS above PARange: needs PAMax < 48 (-cpu max,pa-bits=N)");
        return;
    }
    Fmt f = { .g = 12, .ipa = pamax, .start = kvm_start_level(12, pamax) };
    pool_next = 0;
    uint64_t root = alloc_table(8ul << (pamax - fshift(&f, f.start)));
    map_ram(&f, root);
    uint64_t ipa = 0x48200000ul;
    map(&f, root, ipa, 1ul << pamax, 3, leaf_attrs(&f));
    s2_enable((vtcr_for(&f) & ~(7ul << 16)) | 5ul << 16, &f, root, 5);
    check_fault("D8: OA at 2^PAMax with PS=48", &f, ipa, 0x03);

    /* With stage 1 off, a VA at 2^PAMax: stage-1 Address size fault, level 0, taken to EL1. */
    exc_set_handler(1, el1_handler);
    el1_count = 0;
    ab_count = 0;
    run_el1(el1_load, 1ul << pamax);
    report(el1_count == 1 && ab_count == 0 && esr_ec(el1_esr) == 0x25 && (el1_esr & 0x3f) == 0x00 &&
           el1_far == 1ul << pamax,
           "D12: EL1 MMU off, VA 2^%u: stage-1 Address size fault at EL1 (ESR_EL1 0x%lx, %lu at EL2)", pamax, el1_esr,
           (unsigned long)ab_count);
    exc_set_handler(1, NULL);

    /* VTTBR_EL2.BADDR with bit PAMax set: level-0 Address size fault. */
    write_sysreg(vttbr_for(&f, root, 5) | 1ul << pamax, vttbr_el2);
    isb();
    tlb_flush_all();
    uint64_t par = at_s12e1r(0x40000000ul);
    report(par_s2_fault(par, 0x00), "D8: VTTBR_EL2 BADDR bit %u: AT S12E1R PAR 0x%lx (level-0 Address size)", pamax, par);
    s2_disable();
}

/*
 * D13: VTCR_EL2.TG0 naming a granule stage 2 does not implement
 * (ID_AA64MMFR0_EL1.TGranX_2 = 1, or TGranX "no" with TGranX_2 = 0) is an
 * IMPLEMENTATION DEFINED choice of an implemented one: Tandem and QEMU take
 * the smallest (docs/impdef.md). The guest builds tables in that granule's
 * format, programs TG0 with the unimplemented one and runs its EL1 guest.
 */
static void run_granule_fallback(void)
{
    static const unsigned grans[3] = { 12, 14, 16 };
    unsigned chosen = 0;
    for (unsigned i = 0; i < 3 && !chosen; i++) {
        if (s2_granule(grans[i])) {
            chosen = grans[i];
        }
    }
    unsigned pamax = parange_bits();
    unsigned ipa_bits = pamax < 40 ? pamax : 40;
    for (unsigned i = 0; i < n_s2off; i++) {
        report(!s2_granule(want_s2off[i]), "D13: %s absent at stage 2 as asked (ID_AA64MMFR0_EL1 0x%lx)",
               gname(want_s2off[i]), read_sysreg(id_aa64mmfr0_el1));
    }
    bool any = false;
    for (unsigned i = 0; i < 3; i++) {
        unsigned g = grans[i];
        if (s2_granule(g)) {
            continue;
        }
        any = true;
        Fmt f = { .g = chosen, .ipa = ipa_bits, .start = kvm_start_level(chosen, ipa_bits),
                  .lpa64 = chosen == 16 && pamax == 52 };
        pool_next = 0;
        uint64_t root = alloc_table(8ul << (ipa_bits - fshift(&f, f.start)));
        map_ram(&f, root);
        uint64_t ipa = (1ul << ipa_bits) - (1ul << chosen);
        data_page[0][0] = 0xd13000 | g;
        map(&f, root, ipa, (uint64_t)data_page[0], 3, leaf_attrs(&f));
        uint64_t tg = g == 12 ? 0 : g == 16 ? 1 : 2;
        s2_enable((vtcr_for(&f) & ~(3ul << 14)) | tg << 14, &f, root, 6);
        ab_count = 0;
        uint64_t v = run_el1(el1_load, ipa);
        report(ab_count == 0 && v == data_page[0][0],
               "D13: VTCR_EL2.TG0 = %s (not implemented at stage 2) walks as %s: load 0x%lx", gname(g),
               gname(chosen), v);
        s2_disable();
    }
    if (!any) {
        report_skip("D13: every granule is implemented at stage 2 (-cpu max,tgran4_2=off removes one)");
    }
}

/* D22 + D10 + HA/HD with a 4K/40-bit stage 2 (two concatenated level-1 tables, D5). */
static void run_tlbi_and_hafdbs(void)
{
    Fmt f = { .g = 12, .ipa = 40, .start = 1 };
    pool_next = 0;
    uint64_t root = alloc_table(8192);
    map_ram(&f, root);
    uint64_t ipa = 0x8040000000ul;                  /* second concatenated table (D5) */
    data_page[0][0] = 0xaaaa;
    data_page[1][0] = 0xbbbb;
    volatile uint64_t *slot = map(&f, root, ipa, (uint64_t)data_page[0], 3, leaf_attrs(&f));
    s2_enable(vtcr_for(&f), &f, root, 5);
    report(run_el1(el1_load, ipa) == 0xaaaa, "D5: IPA 0x%lx in the second concatenated table", ipa);

    /* D22: break-before-make on the stage-2 leaf, KVM's __kvm_tlb_flush_vmid_ipa sequence. */
    *slot = 0;
    dsb(ishst);
    __asm__ volatile("tlbi ipas2e1is, %0\n\tdsb ish\n\ttlbi vmalle1is\n\tdsb ish\n\tisb"
                     : : "r"(ipa >> 12) : "memory");
    ab_count = 0;
    run_el1(el1_load, ipa);
    report(ab_count == 1 && (ab_esr & 0x3f) == 0x07, "D22: invalidated entry is gone (DFSC 0x%lx)", ab_esr & 0x3f);
    *slot = (uint64_t)data_page[1] | leaf_attrs(&f) | 3;
    dsb(ishst);
    report(run_el1(el1_load, ipa) == 0xbbbb, "D22: new mapping after IPAS2E1IS + VMALLE1IS");

    /* The same with FEAT_TLBIRANGE / FEAT_TLBIOS forms when advertised: RIPAS2E1IS (2 pages) + VMALLE1OS. */
    if (((read_sysreg(id_aa64isar0_el1) >> 56) & 0xf) >= 2) {
        *slot = (uint64_t)data_page[0] | leaf_attrs(&f) | 3;
        dsb(ishst);
        uint64_t xt = 1ul << 46 | (ipa >> 12);      /* TG 4K, SCALE 0, NUM 0: 2 pages from ipa */
        __asm__ volatile("sys #4, c8, c0, #2, %0\n\tdsb ish\n\tsys #0, c8, c1, #0, xzr\n\tdsb ish\n\tisb"
                         : : "r"(xt) : "memory");
        report(run_el1(el1_load, ipa) == 0xaaaa, "TLBIRANGE/TLBIOS: new mapping after RIPAS2E1IS + VMALLE1OS");
    } else {
        report_skip("FEAT_TLBIRANGE not implemented");
    }

    /* D10: S2AP read-only: a store faults with DFSC 0x0F, WnR; EL2 finds the IPA again in HPFAR. */
    *slot = (uint64_t)data_page[1] | (leaf_attrs(&f) & ~(1ul << 7)) | 3;
    dsb(ishst);
    __asm__ volatile("tlbi ipas2e1is, %0\n\tdsb ish\n\ttlbi vmalle1is\n\tdsb ish\n\tisb"
                     : : "r"(ipa >> 12) : "memory");
    ab_count = 0;
    run_el1(el1_store, ipa);
    report(ab_count == 1 && ab_esr == 0x93C1804Ful, "D10: store to S2AP=RO: ESR_EL2 0x%lx", ab_esr);
    report(ab_far == ipa, "D10: FAR_EL2 0x%lx", ab_far);

    /* HA/HD at stage 2 (D9): AF set and S2AP[1] set by hardware. */
    unsigned hafdbs = read_sysreg(id_aa64mmfr1_el1) & 0xf;
    if (hafdbs >= 1) {
        write_sysreg(vtcr_for(&f) | 1ul << 21 | (hafdbs >= 2 ? 1ul << 22 : 0), vtcr_el2);
        *slot = (uint64_t)data_page[1] | (leaf_attrs(&f) & ~(1ul << 10) & ~(1ul << 7)) | 1ul << 51 | 3;
        dsb(ishst);
        tlb_flush_all();
        report(run_el1(el1_load, ipa) == 0xbbbb, "HA: load with AF = 0 succeeds");
        report((*slot >> 10) & 1, "HA: AF set in the stage-2 descriptor (0x%lx)", *slot);
        if (hafdbs >= 2) {
            ab_count = 0;
            run_el1(el1_store, ipa);
            report(ab_count == 0 && data_page[1][0] == 0x77, "HD: store to a DBM page succeeds");
            report((*slot >> 7) & 1, "HD: S2AP[1] set by the store (0x%lx)", *slot);
        } else {
            report_skip("FEAT_HAFDBS dirty state not implemented");
        }
        write_sysreg(vtcr_for(&f), vtcr_el2);
    } else {
        report_skip("FEAT_HAFDBS not implemented");
    }
    s2_disable();
}

/* ---- the guest's own stage 1 (D3, D11, AT from EL1) ---- */
static uint64_t g_root0[512] __attribute__((aligned(4096)));
static uint64_t g_l1[512] __attribute__((aligned(4096)));

static bool el1_handler(ExcFrame *fr, unsigned el, unsigned kind)
{
    if (esr_ec(fr->esr) != 0x25) {
        return false;
    }
    el1_esr = fr->esr;
    el1_far = fr->far;
    el1_count++;
    fr->x[1] = 0xdeadbeef;
    fr->elr += 4;
    return true;
}

static uint64_t el1_at_s1e1r(uint64_t va)
{
    __asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(va) : "memory");
    return read_sysreg(par_el1);
}

static void run_guest_stage1(void)
{
    Fmt f = { .g = 12, .ipa = 40, .start = 1 };
    pool_next = 0;
    uint64_t root = alloc_table(8192);
    map_ram(&f, root);
    write_sysreg(vtcr_for(&f), vtcr_el2);
    write_sysreg(vttbr_for(&f, root, 7), vttbr_el2);
    write_sysreg(read_sysreg(hcr_el2) | HCR_EL2_VM | HCR_EL2_RW, hcr_el2);

    /* Guest stage 1 (IPA = PA for RAM): VA 1G..2G -> IPA 1G..2G; VA 4G -> IPA 0x10_0000_0000 (bit 36). */
    g_root0[0] = (uint64_t)g_l1 | 3;
    g_l1[1] = 0x40000000ul | (1ul << 10) | (3ul << 8) | 1;
    g_l1[4] = 0x1000000000ul | (1ul << 10) | (3ul << 8) | 1;
    uint64_t tcr = 16 | 1ul << 8 | 1ul << 10 | 3ul << 12 | 16ul << 16 | 1ul << 24 | 1ul << 26 | 3ul << 28 |
                   2ul << 30 | 1ul << 32;                 /* IPS = 36 bits */
    write_sysreg(tcr, tcr_el1);
    write_sysreg(0xfful, mair_el1);
    write_sysreg((uint64_t)g_root0, ttbr0_el1);
    write_sysreg(0x90000000ul, ttbr1_el1);                  /* an IPA stage 2 does not map */
    write_sysreg(0x30d00800ul | 1 | 1ul << 2 | 1ul << 12, sctlr_el1);
    isb();
    tlb_flush_all();
    exc_set_handler(1, el1_handler);

    /* D3: the stage-1 output (IPA bit 36) exceeds the guest's IPS: stage-1 Address size fault at EL1. */
    el1_count = 0;
    ab_count = 0;
    run_el1(el1_load, 0x100000000ul);
    report(el1_count == 1 && ab_count == 0, "D3: stage-1 address size fault stays at EL1 (%lu at EL1, %lu at EL2)",
           (unsigned long)el1_count, (unsigned long)ab_count);
    report(esr_ec(el1_esr) == 0x25 && (el1_esr & 0x3f) == 0x01, "D3: ESR_EL1 0x%lx (EC 0x25, DFSC 0x01)", el1_esr);

    /* D12 / D3: TCR_EL1.IPS = 0b101 (48) above PARange is treated as PARange: an OA at 2^PAMax faults at EL1. */
    unsigned pamax = parange_bits();
    if (pamax < 48) {
        g_l1[5] = (1ul << pamax) | (1ul << 10) | (3ul << 8) | 1;
        write_sysreg((tcr & ~(7ul << 32)) | 5ul << 32, tcr_el1);
        isb();
        tlb_flush_all();
        el1_count = 0;
        ab_count = 0;
        run_el1(el1_load, 0x140000000ul);
        report(el1_count == 1 && ab_count == 0 && esr_ec(el1_esr) == 0x25 && (el1_esr & 0x3f) == 0x01,
               "D12: IPS=48 on a %u-bit PA: stage-1 Address size fault at EL1 (ESR_EL1 0x%lx, %lu at EL2)", pamax,
               el1_esr, (unsigned long)ab_count);
        write_sysreg(tcr, tcr_el1);
        isb();
        tlb_flush_all();
    }

    /* D11: a stage-1 table at an unmapped IPA: stage-2 fault with S1PTW, HPFAR = table IPA, FAR = VA. */
    ab_count = 0;
    run_el1(el1_load, 0xffff000000000000ul);
    report(ab_count == 1 && (ab_esr & ~3ul) == 0x92000084ul, "D11: ESR_EL2 0x%lx (EC 0x24, S1PTW, translation)", ab_esr);
    /*
     * The DFSC level is the stage-2 level that failed (1: the start level
     * here). QEMU 7.2 reports the stage-1 level of the descriptor it was
     * fetching instead (0), so the level is only checked off QEMU.
     */
    if (is_qemu()) {
        report_skip("D11 DFSC level: QEMU 7.2 reports the stage-1 walk level for S1PTW faults");
    } else {
        report((ab_esr & 3) == 1, "D11: DFSC level = stage-2 level 1 (0x%lx)", ab_esr & 0x3f);
    }
    report(ab_hpfar == (0x90000000ul >> 12) << 4 && ab_far == 0xffff000000000000ul,
           "D11: HPFAR_EL2 0x%lx FAR_EL2 0x%lx", ab_hpfar, ab_far);
    /* AT S1E1R at EL1 hitting the same stage-2 fault: a Data Abort to EL2 with CM = 1, not a PAR result. */
    ab_count = 0;
    run_el1(el1_at_s1e1r, 0xffff000000000000ul);
    report(ab_count == 1 && (ab_esr & ~3ul) == 0x920001C4ul && (is_qemu() || (ab_esr & 3) == 1),
           "AT S1E1R at EL1 with a stage-2 fault on its walk: ESR_EL2 0x%lx (CM, S1PTW, WnR)", ab_esr);

    exc_set_handler(1, NULL);
    write_sysreg(0x30d00800ul, sctlr_el1);
    isb();
    s2_disable();
}

void guest_run(void)
{
    if (current_el() != 2) {
        report_skip("not entered at EL2");
        return;
    }
    exc_set_handler(2, el2_handler);
    parse_bootargs();
    check_id_fields();
    static const unsigned ipas[] = { 32, 36, 40, 42, 44, 48, 52 };
    static const unsigned grans[] = { 12, 14, 16 };
    for (unsigned gi = 0; gi < 3; gi++) {
        for (unsigned i = 0; i < sizeof(ipas) / sizeof(ipas[0]); i++) {
            run_config(grans[gi], ipas[i]);
        }
    }
    run_pamax_checks();
    run_granule_fallback();
    if (parange_bits() < 40 || !s2_granule(12)) {
        /* D5/D22/D10/D3/D11 use a 4K 40-bit stage 2; other manifest lines cover them. */
        report_skip("4K/40-bit stage-2 checks (D3, D5, D10, D11, D22): need a 40-bit PA and 4K at stage 2");
        return;
    }
    run_tlbi_and_hafdbs();
    run_guest_stage1();
}
