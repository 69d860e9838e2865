/*
 * ID registers: prints every AArch64 ID register the EL2 entry can read (one
 * "IDREG name value" line each, to compare emulators field by field: see
 * docs/features.md "ID registers vs QEMU 7.2 -cpu max"), and with
 * `-append a57` (-cpu cortex-a57) checks the values of the Cortex-A57 that
 * QEMU 7.2 models (the real part's r1p0 values): MIDR/REVIDR/CTR/CLIDR/
 * CCSIDR, 44-bit PA, 4K and 64K granules only, no v8.1+ feature. Fields of
 * features Tandem does not implement (AArch32 at EL0-EL3, the PMU) are
 * masked out of the comparison.
 */
#include "guest.h"

#define ID(name) { #name, read_##name }
#define RD(enc) static uint64_t read_##enc(void) { return read_sysreg(enc); }

RD(MIDR_EL1) RD(REVIDR_EL1) RD(CTR_EL0) RD(CLIDR_EL1) RD(DCZID_EL0)
RD(ID_AA64PFR0_EL1) RD(ID_AA64PFR1_EL1) RD(ID_AA64DFR0_EL1) RD(ID_AA64DFR1_EL1)
RD(ID_AA64ISAR0_EL1) RD(ID_AA64ISAR1_EL1) RD(ID_AA64MMFR0_EL1) RD(ID_AA64MMFR1_EL1)
RD(ID_AA64AFR0_EL1)
static uint64_t read_ID_AA64ISAR2_EL1(void) { return read_sysreg(s3_0_c0_c6_2); }
static uint64_t read_ID_AA64MMFR2_EL1(void) { return read_sysreg(s3_0_c0_c7_2); }
static uint64_t read_ID_AA64ZFR0_EL1(void) { return read_sysreg(s3_0_c0_c4_4); }
static uint64_t read_ID_AA64SMFR0_EL1(void) { return read_sysreg(s3_0_c0_c4_5); }

static const struct { const char *name; uint64_t (*read)(void); } idregs[] = {
    ID(MIDR_EL1), ID(REVIDR_EL1), ID(CTR_EL0), ID(CLIDR_EL1), ID(DCZID_EL0),
    ID(ID_AA64PFR0_EL1), ID(ID_AA64PFR1_EL1), ID(ID_AA64DFR0_EL1), ID(ID_AA64DFR1_EL1),
    ID(ID_AA64AFR0_EL1), ID(ID_AA64ISAR0_EL1), ID(ID_AA64ISAR1_EL1), ID(ID_AA64ISAR2_EL1),
    ID(ID_AA64MMFR0_EL1), ID(ID_AA64MMFR1_EL1), ID(ID_AA64MMFR2_EL1), ID(ID_AA64ZFR0_EL1),
    ID(ID_AA64SMFR0_EL1),
};

static uint64_t ccsidr(unsigned csselr)
{
    write_sysreg(csselr, CSSELR_EL1);
    isb();
    return read_sysreg(CCSIDR_EL1);
}

static bool bootarg(const char *word)
{
    uint32_t len;
    const char *a = fdt_getprop_path((const void *)boot_dtb, "/chosen", "bootargs", &len);
    size_t n = strlen(word);
    while (a && *a) {
        while (*a == ' ' || *a == ',') {
            a++;
        }
        const char *t = a;
        while (*a && *a != ' ' && *a != ',') {
            a++;
        }
        if ((size_t)(a - t) == n && !memcmp(t, word, n)) {
            return true;
        }
    }
    return false;
}

/* name, mask of the fields compared, the Cortex-A57 value (QEMU 7.2 aarch64_a57_initfn). */
static const struct { const char *name; uint64_t mask, value; } a57[] = {
    { "MIDR_EL1", ~0ULL, 0x411fd070 },
    { "REVIDR_EL1", ~0ULL, 0 },
    { "CTR_EL0", ~0ULL, 0x8444c004 },
    { "CLIDR_EL1", ~0ULL, 0x0a200023 },
    { "DCZID_EL0", ~0ULL, 4 },
    /* EL0-EL3 masked: Tandem has no AArch32 (QEMU: 2) and always EL3 (QEMU: none with secure=off). */
    { "ID_AA64PFR0_EL1", ~0xffffULL, 0x01000000 },
    { "ID_AA64PFR1_EL1", ~0ULL, 0 },
    /* PMUVer (11:8) and DoubleLock (39:36) masked: Tandem has no PMU and no OS Double Lock. */
    { "ID_AA64DFR0_EL1", ~0xf000000f00ULL, 0x10305006 },
    { "ID_AA64ISAR0_EL1", ~0ULL, 0x11120 },
    { "ID_AA64ISAR1_EL1", ~0ULL, 0 },
    { "ID_AA64ISAR2_EL1", ~0ULL, 0 },
    /* PARange 44 bits, ASIDBits 16, TGran4/64 only; BigEnd/SNSMem (bits 15:8) masked: little-endian only. */
    { "ID_AA64MMFR0_EL1", ~0xff00ULL, 0x00000024 },
    { "ID_AA64MMFR1_EL1", ~0ULL, 0 },
    { "ID_AA64MMFR2_EL1", ~0ULL, 0 },
    { "ID_AA64ZFR0_EL1", ~0ULL, 0 },
};

void guest_run(void)
{
    bool check_a57 = bootarg("a57");
    for (size_t i = 0; i < sizeof(idregs) / sizeof(idregs[0]); i++) {
        uint64_t v = idregs[i].read();
        printf("IDREG %-18s 0x%016lx\n", idregs[i].name, v);
        for (size_t k = 0; check_a57 && k < sizeof(a57) / sizeof(a57[0]); k++) {
            if (!strcmp(a57[k].name, idregs[i].name)) {
                report((v & a57[k].mask) == (a57[k].value & a57[k].mask),
                       "cortex-a57 %s = 0x%lx (want 0x%lx under mask 0x%lx)", a57[k].name, v,
                       a57[k].value, a57[k].mask);
            }
        }
    }
    static const uint64_t a57_ccsidr[] = { 0x701fe00a, 0x201fe012, 0x70ffe07a };   /* L1D, L1I, L2 */
    for (unsigned c = 0; c < 3; c++) {
        /* CSSELR: Level in bits 3:1, InD in bit 0. */
        unsigned csselr = c == 0 ? 0 : c == 1 ? 1 : 2;
        uint64_t v = ccsidr(csselr);
        printf("IDREG CCSIDR_EL1[%u]       0x%016lx\n", csselr, v);
        if (check_a57) {
            report(v == a57_ccsidr[c], "cortex-a57 CCSIDR_EL1 (CSSELR %u) = 0x%lx (want 0x%lx)", csselr, v,
                   a57_ccsidr[c]);
        }
    }
    if (bootarg("noel2")) {
        /* -M virtualization=off: the features the Arm ARM implies EL2 for read as absent (impdef.md). */
        uint64_t pfr0 = read_sysreg(ID_AA64PFR0_EL1), mmfr0 = read_sysreg(ID_AA64MMFR0_EL1);
        uint64_t mmfr1 = read_sysreg(ID_AA64MMFR1_EL1), mmfr2 = read_sysreg(s3_0_c0_c7_2);
        report(current_el() == 1 && ((pfr0 >> 8) & 0xf) == 0, "no EL2: entered at EL1, PFR0.EL2 = 0");
        report(((mmfr1 >> 8) & 0xf) == 0, "no EL2: MMFR1.VH = 0 (FEAT_VHE)");
        report(((mmfr1 >> 4) & 0xf) == 0, "no EL2: MMFR1.VMIDBits = 0");
        report(((mmfr1 >> 28) & 0xf) == 0, "no EL2: MMFR1.XNX = 0");
        report(((mmfr2 >> 24) & 0xf) == 0, "no EL2: MMFR2.NV = 0 (FEAT_NV/NV2)");
        report(((mmfr2 >> 40) & 0xf) == 0, "no EL2: MMFR2.FWB = 0");
        report(((mmfr0 >> 56) & 0xf) == 0, "no EL2: MMFR0.FGT = 0");
        report(((mmfr0 >> 32) & 0xfff) == 0, "no EL2: MMFR0.TGran16_2/64_2/4_2 = 0 (FEAT_GTG)");
    }
    /* Consistency every model must have (Arm ARM D17.2 CTR_EL0, CCSIDR_EL1, MIDR_EL1). */
    uint64_t ctr = read_sysreg(CTR_EL0), midr = read_sysreg(MIDR_EL1);
    report(ctr >> 31 & 1, "CTR_EL0 bit 31 is RES1 (0x%lx)", ctr);
    report(((midr >> 16) & 0xf) == 0xf, "MIDR_EL1.Architecture = 0xF (ID registers in the ID_AA64 space)");
    /* CTR_EL0.DminLine/IminLine (log2 words) match the L1 caches' CCSIDR.LineSize (log2 bytes - 4). */
    report(((ctr >> 16) & 0xf) + 2 == (ccsidr(0) & 7) + 4, "CTR_EL0.DminLine matches the L1 D-cache line");
    report((ctr & 0xf) + 2 == (ccsidr(1) & 7) + 4, "CTR_EL0.IminLine matches the L1 I-cache line");
}
