/*
 * Pointer authentication at EL2 (FEAT_PAuth, Arm ARM D8): PACIA/AUTIA/
 * XPACI round trips, a failing AUTIA (error code, or an FPAC exception when
 * ID_AA64ISAR1_EL1 says FEAT_FPAC), disabled keys, PACGA, and the exact
 * QARMA5 PACGA value when the CPU advertises the architected algorithm
 * (APA = 1..; reference value from QEMU's QARMA5).
 */
#include "guest.h"

#define SCTLR_EnIA (1ul << 31)
#define SCTLR_EnIB (1ul << 30)

/* PACIA/AUTIA/PACIB/AUTIB x1, x2 by encoding (the assembler may not know them): x1 = the pointer, x2 = the modifier. */
#define PAC_X1_X2(name, insn)                                                  \
    static inline uint64_t name(uint64_t p, uint64_t m)                        \
    {                                                                          \
        register uint64_t x1 __asm__("x1") = p, x2 __asm__("x2") = m;          \
        __asm__ volatile(".inst " #insn : "+r"(x1) : "r"(x2));                 \
        return x1;                                                             \
    }
PAC_X1_X2(pacia, 0xdac10041)   /* pacia x1, x2 */
PAC_X1_X2(autia, 0xdac11041)   /* autia x1, x2 */
PAC_X1_X2(pacib, 0xdac10441)   /* pacib x1, x2 */
PAC_X1_X2(autib, 0xdac11441)   /* autib x1, x2 */

static inline uint64_t xpaci(uint64_t p)
{
    register uint64_t x1 __asm__("x1") = p;
    __asm__ volatile(".inst 0xdac143e1" : "+r"(x1));             /* xpaci x1 */
    return x1;
}
static inline uint64_t pacga(uint64_t a, uint64_t m)
{
    register uint64_t x1 __asm__("x1") = a, x2 __asm__("x2") = m, x3 __asm__("x3");
    __asm__ volatile(".inst 0x9ac23023" : "=r"(x3) : "r"(x1), "r"(x2));   /* pacga x3, x1, x2 */
    return x3;
}

void guest_run(void)
{
    uint64_t isar1 = read_sysreg(ID_AA64ISAR1_EL1), isar2 = read_sysreg(ID_AA64ISAR2_EL1);
    unsigned apa = (isar1 >> 4) & 0xf, api = (isar1 >> 8) & 0xf, apa3 = (isar2 >> 12) & 0xf;
    unsigned level = apa > api ? apa : api;
    if (apa3 > level) {
        level = apa3;
    }
    if (!level) {
        report_skip("FEAT_PAuth not advertised");
        return;
    }
    exc_set_handler(2, exc_record_skip);
    /* EL2 regime: 48-bit VAs (T0SZ = 16), TBI = 0; keys; IA and IB enabled. */
    write_sysreg((1ul << 31) | (1ul << 23) | 16, TCR_EL2);
    write_sysreg(0x0123456789abcdeful, s3_0_c2_c1_0);
    write_sysreg(0xfedcba9876543210ul, s3_0_c2_c1_1);
    write_sysreg(0x1111222233334444ul, s3_0_c2_c1_2);
    write_sysreg(0x5555666677778888ul, s3_0_c2_c1_3);
    write_sysreg(0x0f0e0d0c0b0a0908ul, s3_0_c2_c3_0);
    write_sysreg(0x0706050403020100ul, s3_0_c2_c3_1);
    uint64_t sctlr = read_sysreg(SCTLR_EL2);
    write_sysreg(sctlr | SCTLR_EnIA | SCTLR_EnIB, SCTLR_EL2);
    isb();

    const uint64_t ptr = 0x0000123456789ab0ul, mod = 0x42;
    uint64_t s = pacia(ptr, mod);
    report(s != ptr && (s & 0xffffffffffffull) == ptr, "PACIA inserts a PAC above bit 47 (0x%lx)", s);
    report(autia(s, mod) == ptr, "AUTIA with the same modifier restores the pointer");
    report(xpaci(s) == ptr, "XPACI strips the PAC");
    uint64_t sb = pacib(ptr, mod);
    report(sb != s && autib(sb, mod) == ptr, "PACIB uses a different key (0x%lx) and AUTIB restores", sb);

    if (apa == 1) {
        /* QARMA5, FEAT_PAuth level 1 field layout: reference values from QEMU. */
        report(s == 0x0824123456789ab0ul && sb == 0x7951123456789ab0ul,
               "QARMA5 PACIA/PACIB values match the reference (0x%lx, 0x%lx)", s, sb);
    }
    exc_seen_count = 0;
    uint64_t bad = autia(s, mod + 1);
    if (level >= 4) {
        report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x1c, "failing AUTIA with FEAT_FPAC: EC 0x1C (ESR 0x%lx)",
               exc_seen.esr);
    } else if (level >= 3) {
        report(exc_seen_count == 0 && bad != ptr, "failing AUTIA (PAuth2): pointer not restored (0x%lx)", bad);
    } else {
        report(exc_seen_count == 0 && bad == (ptr | 1ul << 61),
               "failing AUTIA: error code 0b01 in bits [62:61] (0x%lx)", bad);
        bad = autib(sb, mod + 1);
        report(bad == (ptr | 2ul << 61), "failing AUTIB: error code 0b10 in bits [62:61] (0x%lx)", bad);
    }

    /* Disabled key: PACIA and AUTIA leave the register unchanged. */
    write_sysreg(sctlr & ~(SCTLR_EnIA | SCTLR_EnIB), SCTLR_EL2);
    isb();
    report(pacia(ptr, mod) == ptr && autia(s, mod + 1) == s, "SCTLR_EL2.EnIA = 0: PACIA/AUTIA are no-ops");
    write_sysreg(sctlr, SCTLR_EL2);
    isb();

    uint64_t g = pacga(0x1234, 0x5678);
    report((g & 0xffffffffu) == 0 && g != 0, "PACGA: PAC in bits [63:32], low half zero (0x%lx)", g);
    if (apa) {
        /* QARMA5 (ComputePAC) with the APGAKey above. */
        report(g == 0x64407fe300000000ul, "PACGA with QARMA5 = 0x64407fe300000000 (got 0x%lx)", g);
    } else {
        report_skip("exact PACGA value: IMPLEMENTATION DEFINED algorithm");
    }
    exc_set_handler(2, NULL);
}
