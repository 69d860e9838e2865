/*
 * Loads and stores (Arm ARM C4.1.4) at EL2 with the MMU off, where data
 * accesses are Device-nGnRnE: every addressing form and size, SIMD&FP
 * register forms, exclusives, LSE atomics, RCpc loads, and the data aborts
 * loads and stores take (alignment, external abort) with their ESR/FAR/ELR.
 * Alignment faults of ordinary accesses to Device memory are in
 * guests/ldst-align (QEMU 7.2 does not take them).
 * Features absent from the ID registers are reported as SKIP.
 */
#include "guest.h"

static uint64_t buf[64] __attribute__((aligned(4096)));

/*
 * A data abort taken to EL2 from EL2 (EC 0x25) with this DFSC, WnR, FAR and
 * ELR. ISV is not checked here: it must be 0 for these stage-1 faults, but
 * QEMU 7.2 sets it (guests/ldst-align checks it).
 */
static void expect_dabort(unsigned dfsc, unsigned wnr, uint64_t far, uint64_t elr, const char *what)
{
    report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x25 && (exc_seen.esr & 0x3f) == dfsc &&
           ((exc_seen.esr >> 6) & 1) == wnr && exc_seen.far == far && exc_seen.elr == elr,
           "%s: ESR_EL2 0x%lx (want EC 0x25 DFSC 0x%x WnR %u), FAR 0x%lx (want 0x%lx), ELR %s",
           what, exc_seen.esr, dfsc, wnr, exc_seen.far, far, exc_seen.elr == elr ? "ok" : "wrong");
    exc_seen_count = 0;
}

static void clear_buf(void)
{
    for (unsigned i = 0; i < 64; i++) {
        buf[i] = 0;
    }
}

/* ---------------- addressing forms and sizes ---------------- */

static void test_forms(void)
{
    uint64_t *p = buf, v, w;
    clear_buf();
    buf[0] = 0x8070605040302010ul;
    buf[1] = 0xfedcba9876543210ul;

    __asm__ volatile("ldrsb %w0, [%1, #7]" : "=r"(v) : "r"(p));
    report(v == 0xffffff80ul, "LDRSB Wt sign-extends to 32 bits (0x%lx)", v);
    __asm__ volatile("ldrsb %0, [%1, #7]" : "=r"(v) : "r"(p));
    report(v == 0xffffffffffffff80ul, "LDRSB Xt sign-extends to 64 bits (0x%lx)", v);
    __asm__ volatile("ldrsh %0, [%1, #14]" : "=r"(v) : "r"(p));
    report(v == 0xfffffffffffffedcul, "LDRSH Xt (0x%lx)", v);
    __asm__ volatile("ldrsh %w0, [%1, #6]" : "=r"(v) : "r"(p));
    report(v == 0xffff8070ul, "LDRSH Wt sign-extends to 32 bits (0x%lx)", v);
    __asm__ volatile("ldrsh %w0, [%1, #2]" : "=r"(v) : "r"(p));
    report(v == 0x4030ul, "LDRSH Wt of a positive halfword (0x%lx)", v);
    __asm__ volatile("ldrsw %0, [%1, #12]" : "=r"(v) : "r"(p));
    report(v == 0xfffffffffedcba98ul, "LDRSW (0x%lx)", v);
    __asm__ volatile("ldrh %w0, [%1, #2]" : "=r"(v) : "r"(p));
    report(v == 0x4030, "LDRH zero-extends (0x%lx)", v);

    __asm__ volatile("strb %w1, [%0, #16]\n\tstrh %w1, [%0, #18]\n\tstr %w1, [%0, #20]"
                     : : "r"(p), "r"(0x11223344ul) : "memory");
    report(buf[2] == 0x1122334433440044ul, "STRB/STRH/STR W store the low bytes (0x%lx)", buf[2]);

    /* pre- and post-index writeback */
    buf[4] = 44;
    uint64_t *q = p + 2;
    __asm__ volatile("ldr %0, [%1, #16]!" : "=r"(v), "+r"(q) : : "memory");
    report(v == 44 && q == p + 4, "LDR pre-index loads from and writes back base + 16");
    __asm__ volatile("ldr %0, [%1], #-24" : "=r"(v), "+r"(q) : : "memory");
    report(v == 44 && q == p + 1, "LDR post-index loads from base, writes back base - 24");
    __asm__ volatile("str %2, [%1, #-8]!" : "+m"(buf[0]), "+r"(q) : "r"(0x55ul));
    report(buf[0] == 0x55 && q == p, "STR pre-index with a negative offset");

    /* register offset */
    buf[5] = 0x5555;
    buf[3] = 0x3333;
    __asm__ volatile("ldr %0, [%1, %2, lsl #3]" : "=r"(v) : "r"(p), "r"(5ul));
    report(v == 0x5555, "LDR (register, LSL #3)");
    __asm__ volatile("ldr %w0, [%1, %w2, sxtw #2]" : "=r"(v) : "r"(p + 4), "r"(-2));
    report(v == 0x3333, "LDR W (register, SXTW #2) with a negative index");
    __asm__ volatile("ldr %0, [%1, %w2, uxtw]" : "=r"(v) : "r"(p), "r"(24));
    report(v == 0x3333, "LDR (register, UXTW)");

    /* unscaled */
    __asm__ volatile("ldur %0, [%1, #-16]" : "=r"(v) : "r"(p + 5));
    report(v == 0x3333, "LDUR with a negative offset");
    __asm__ volatile("stur %w1, [%0, #-4]" : : "r"(p + 7), "r"(0x77ul) : "memory");
    report(buf[6] == 0x0000007700000000ul, "STUR W");

    /* literal */
    __asm__ volatile("ldr %0, 1f\n\tldrsw %1, 2f\n\tb 3f\n\t.balign 8\n"
                     "1:\t.quad 0x1122334455667788\n2:\t.word 0x80000000\n3:" : "=r"(v), "=r"(w));
    report(v == 0x1122334455667788ul && w == 0xffffffff80000000ul, "LDR and LDRSW (literal)");

    /* pairs */
    uint64_t a, b;
    q = p + 10;
    __asm__ volatile("stp %2, %3, [%1, #-16]!" : "+m"(buf[8]), "+r"(q) : "r"(1ul), "r"(2ul) : "memory");
    report(q == p + 8 && buf[8] == 1 && buf[9] == 2, "STP pre-index");
    __asm__ volatile("ldp %0, %1, [%2], #16" : "=r"(a), "=r"(b), "+r"(q) : : "memory");
    report(a == 1 && b == 2 && q == p + 10, "LDP post-index");
    buf[12] = 0xfffffffe80000001ul;
    __asm__ volatile("ldpsw %0, %1, [%2, #32]" : "=r"(a), "=r"(b) : "r"(p + 8));
    report(a == 0xffffffff80000001ul && b == 0xfffffffffffffffeul, "LDPSW sign-extends both words");
    __asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(a), "=r"(b) : "r"(p + 12));
    report(a == 0x80000001ul && b == 0xfffffffeul, "LDP W zero-extends both words");
    __asm__ volatile("stnp %2, %3, [%4]\n\tldnp %0, %1, [%4]"
                     : "=&r"(a), "=&r"(b) : "r"(7ul), "r"(9ul), "r"(p + 14) : "memory");
    report(a == 7 && b == 9 && buf[15] == 9, "STNP/LDNP");

    /* PRFM never faults, even on an address with nothing there. */
    __asm__ volatile("prfm pldl1keep, [%0]\n\tprfm pstl2strm, [%0, #8]\n\tprfum pldl3keep, [%0, #-1]"
                     : : "r"(0x9100000ul));
    report(exc_seen_count == 0, "PRFM/PRFUM to an unmapped address: no exception");

    /* LDTR/STTR at EL2 without E2H/TGE: normal accesses */
    __asm__ volatile("sttr %1, [%0, #8]\n\tldtr %1, [%0, #8]" : : "r"(p + 20), "r"(0x2121ul) : "memory");
    __asm__ volatile("ldtrsh %0, [%1, #8]" : "=r"(v) : "r"(p + 20));
    report(buf[21] == 0x2121 && v == 0x2121, "STTR/LDTR/LDTRSH at EL2 (normal accesses)");
}

/* ---------------- SIMD&FP register forms ---------------- */

static void test_fp(void)
{
    uint64_t *p = buf;
    if (((read_sysreg(ID_AA64PFR0_EL1) >> 16) & 0xf) == 0xf) {
        report_skip("SIMD&FP loads/stores: no FP (ID_AA64PFR0_EL1.FP = 0xf)");
        return;
    }
    /* CPTR_EL2.TFP = 0 (and the E2H = 0 layout's other trap bits) so FP is usable at EL2. */
    write_sysreg(read_sysreg(CPTR_EL2) & ~(1ul << 10), CPTR_EL2);
    isb();
    clear_buf();
    buf[0] = 0x0706050403020100ul;
    buf[1] = 0x0f0e0d0c0b0a0908ul;
    buf[2] = 0x1716151413121110ul;
    buf[3] = 0x1f1e1d1c1b1a1918ul;
    __asm__ volatile("ldr q0, [%0]\n\tstr q0, [%0, #64]" : : "r"(p) : "v0", "memory");
    report(buf[8] == buf[0] && buf[9] == buf[1], "LDR/STR Q copies 16 bytes");
    __asm__ volatile("ldp q0, q1, [%0]\n\tstp q1, q0, [%0, #96]" : : "r"(p) : "v0", "v1", "memory");
    report(buf[12] == buf[2] && buf[13] == buf[3] && buf[14] == buf[0], "LDP/STP Q");
    uint64_t lo, hi;
    __asm__ volatile("ldr q2, [%2]\n\tldr d2, [%2, #8]\n\tfmov %0, d2\n\tmov %1, v2.d[1]"
                     : "=r"(lo), "=r"(hi) : "r"(p) : "v2");
    report(lo == buf[1] && hi == 0, "LDR D zeroes the upper half of V (0x%lx)", hi);
    __asm__ volatile("ldr b3, [%2, #9]\n\tfmov %w0, s3\n\tldr h3, [%2, #2]\n\tfmov %w1, s3"
                     : "=r"(lo), "=r"(hi) : "r"(p) : "v3");
    report(lo == 0x09 && hi == 0x0302, "LDR B and LDR H");
    char *q = (char *)(p + 2);
    __asm__ volatile("ldr s4, [%0], #4\n\tstr s4, [%0, #124]!" : "+r"(q) : : "v4", "memory");
    report(q == (char *)p + 144 && buf[18] == 0x13121110ul, "LDR S post-index, STR S pre-index");
    __asm__ volatile("ldr d5, 1f\n\tfmov %0, d5\n\tb 2f\n\t.balign 8\n1:\t.quad 0x123456789abcdef0\n2:"
                     : "=r"(lo) : : "v5");
    report(lo == 0x123456789abcdef0ul, "LDR D (literal)");
    report(exc_seen_count == 0, "no exception in the SIMD&FP tests");
    exc_seen_count = 0;
}

/* ---------------- data aborts ---------------- */

static void test_aborts(void)
{
    uint64_t pc, v = 0;
    char *p = (char *)buf;
    /* Ordered, exclusive and atomic accesses must be aligned (no FEAT_LSE2). */
    __asm__ volatile("adr %0, 1f\n1:\tldar %1, [%2]" : "=&r"(pc), "+r"(v) : "r"(p + 8 + 4) : "memory");
    expect_dabort(0x21, 0, (uint64_t)(p + 12), pc, "unaligned LDAR");
    __asm__ volatile("adr %0, 1f\n1:\tldxr %w1, [%2]" : "=&r"(pc), "+r"(v) : "r"(p + 2) : "memory");
    expect_dabort(0x21, 0, (uint64_t)(p + 2), pc, "unaligned LDXR W");
    /* Aligned accesses of every size are fine. */
    __asm__ volatile("ldrh %w0, [%1, #2]\n\tldr %w0, [%1, #4]\n\tldr %0, [%1, #8]" : "=&r"(v) : "r"(p));
    report(exc_seen_count == 0, "aligned LDRH/LDR W/LDR X to Device memory: no fault");
    /* Nothing at the physical address: synchronous external abort. */
    __asm__ volatile("adr %0, 1f\n1:\tldr %w1, [%2]" : "=&r"(pc), "+r"(v) : "r"(0x9100000ul) : "memory");
    expect_dabort(0x10, 0, 0x9100000ul, pc, "load from an unassigned physical address");
    __asm__ volatile("adr %0, 1f\n1:\tstr %1, [%2]" : "=&r"(pc) : "r"(v), "r"(0x9100008ul) : "memory");
    expect_dabort(0x10, 1, 0x9100008ul, pc, "store to an unassigned physical address");
    /* A faulting load leaves its destination register unchanged. */
    v = 0x1234;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(0x9100000ul) : "memory");
    report(exc_seen_count == 1 && v == 0x1234, "a faulting load does not write its register");
    exc_seen_count = 0;
    /* A faulting pre-index load does not write back its base. */
    uint64_t base = 0x9100000ul;
    __asm__ volatile("ldr %0, [%1, #8]!" : "=r"(v), "+r"(base) : : "memory");
    report(exc_seen_count == 1 && base == 0x9100000ul, "a faulting pre-index load does not write back");
    exc_seen_count = 0;
}

/* ---------------- exclusives ---------------- */

static void test_exclusives(void)
{
    uint64_t *p = buf + 32, v, st;
    *p = 10;
    __asm__ volatile("ldxr %0, [%2]\n\tadd %0, %0, #1\n\tstxr %w1, %0, [%2]"
                     : "=&r"(v), "=&r"(st) : "r"(p) : "memory");
    report(st == 0 && *p == 11, "LDXR/STXR: store succeeds (status %lu, value %lu)", st, *p);
    __asm__ volatile("stxr %w0, %1, [%2]" : "=&r"(st) : "r"(99ul), "r"(p) : "memory");
    report(st == 1 && *p == 11, "STXR without a reservation fails and stores nothing");
    __asm__ volatile("ldaxr %0, [%2]\n\tclrex\n\tstlxr %w1, %3, [%2]"
                     : "=&r"(v), "=&r"(st) : "r"(p), "r"(99ul) : "memory");
    report(st == 1 && *p == 11, "CLREX clears the reservation");
    uint64_t a, b;
    p[0] = 1;
    p[1] = 2;
    __asm__ volatile("ldxp %0, %1, [%3]\n\tstxp %w2, %1, %0, [%3]"
                     : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(p) : "memory");
    report(a == 1 && b == 2 && st == 0 && p[0] == 2 && p[1] == 1, "LDXP/STXP swap a pair");
    uint32_t *w = (uint32_t *)(buf + 36);
    w[0] = 5;
    __asm__ volatile("ldxrb %w0, [%2]\n\tadd %w0, %w0, #1\n\tstxrb %w1, %w0, [%2]"
                     : "=&r"(v), "=&r"(st) : "r"(w) : "memory");
    report(st == 0 && w[0] == 6, "LDXRB/STXRB");
    __asm__ volatile("ldaxp %w0, %w1, [%3]\n\tstlxp %w2, %w1, %w0, [%3]"
                     : "=&r"(a), "=&r"(b), "=&r"(st) : "r"(w) : "memory");
    report(st == 0 && w[0] == 0 && w[1] == 6, "LDAXP/STLXP W pair");
    /* An exception return clears the local monitor (ClearExclusiveLocal). */
    __asm__ volatile("ldxr %0, [%2]\n\tbrk #0\n\tstxr %w1, %0, [%2]"
                     : "=&r"(v), "=&r"(st) : "r"(p) : "memory");
    report(exc_seen_count == 1 && st == 1, "STXR after an exception return fails");
    exc_seen_count = 0;
    /* Ordered */
    buf[40] = 0x4040;
    __asm__ volatile("ldar %0, [%1]\n\tstlr %0, [%1, #0]" : "=&r"(v) : "r"(buf + 40) : "memory");
    __asm__ volatile("ldarh %w0, [%1]" : "=r"(v) : "r"(buf + 40));
    report(v == 0x4040, "LDAR/STLR/LDARH");
}

/* ---------------- LSE atomics and RCpc ---------------- */

static void test_atomics(void)
{
    uint64_t isar0 = read_sysreg(ID_AA64ISAR0_EL1), isar1 = read_sysreg(ID_AA64ISAR1_EL1);
    uint64_t *p = buf + 48, v;
    if (((isar0 >> 20) & 0xf) >= 2) {
        *p = 5;
        __asm__ volatile(".arch_extension lse\n\tldadd %1, %0, [%2]" : "=r"(v) : "r"(3ul), "r"(p) : "memory");
        report(v == 5 && *p == 8, "LDADD");
        __asm__ volatile(".arch_extension lse\n\tldclral %1, %0, [%2]" : "=r"(v) : "r"(8ul), "r"(p) : "memory");
        report(v == 8 && *p == 0, "LDCLRAL");
        __asm__ volatile(".arch_extension lse\n\tldeora %1, %0, [%2]" : "=r"(v) : "r"(0xf0ul), "r"(p) : "memory");
        __asm__ volatile(".arch_extension lse\n\tldsetl %1, %0, [%2]" : "=r"(v) : "r"(0x0ful), "r"(p) : "memory");
        report(v == 0xf0 && *p == 0xff, "LDEORA/LDSETL");
        *p = 0xfffffff0ul;
        __asm__ volatile(".arch_extension lse\n\tldsmax %w1, %w0, [%2]" : "=r"(v) : "r"(1ul), "r"(p) : "memory");
        report(v == 0xfffffff0ul && *p == 1, "LDSMAX W compares signed");
        *p = 0xfffffff0ul;
        __asm__ volatile(".arch_extension lse\n\tldumax %w1, %w0, [%2]" : "=r"(v) : "r"(1ul), "r"(p) : "memory");
        report(*p == 0xfffffff0ul, "LDUMAX W compares unsigned");
        __asm__ volatile(".arch_extension lse\n\tldsmin %1, %0, [%2]" : "=r"(v) : "r"(-5l), "r"(p) : "memory");
        report(*p == (uint64_t)-5l, "LDSMIN X");
        __asm__ volatile(".arch_extension lse\n\tldumin %1, %0, [%2]" : "=r"(v) : "r"(7ul), "r"(p) : "memory");
        report(*p == 7, "LDUMIN X");
        *p = 0x1ff;
        __asm__ volatile(".arch_extension lse\n\tldaddb %w1, %w0, [%2]" : "=r"(v) : "r"(1ul), "r"(p) : "memory");
        report(v == 0xff && *p == 0x100, "LDADDB wraps within the byte");
        __asm__ volatile(".arch_extension lse\n\tswpal %1, %0, [%2]" : "=r"(v) : "r"(0x99ul), "r"(p) : "memory");
        report(v == 0x100 && *p == 0x99, "SWPAL");
        __asm__ volatile(".arch_extension lse\n\tstadd %0, [%1]" : : "r"(1ul), "r"(p) : "memory");
        report(*p == 0x9a, "STADD");
        uint64_t cmp = 5;
        __asm__ volatile(".arch_extension lse\n\tcas %0, %1, [%2]" : "+r"(cmp) : "r"(7ul), "r"(p) : "memory");
        report(cmp == 0x9a && *p == 0x9a, "CAS with a mismatch returns the old value, stores nothing");
        __asm__ volatile(".arch_extension lse\n\tcasal %0, %1, [%2]" : "+r"(cmp) : "r"(7ul), "r"(p) : "memory");
        report(cmp == 0x9a && *p == 7, "CASAL with a match stores");
        register uint64_t x0 __asm__("x0") = 7, x1 __asm__("x1") = 0;
        register uint64_t x2 __asm__("x2") = 70, x3 __asm__("x3") = 71;
        p[1] = 0;
        __asm__ volatile(".arch_extension lse\n\tcasp x0, x1, x2, x3, [%2]"
                         : "+r"(x0), "+r"(x1) : "r"(p), "r"(x2), "r"(x3) : "memory");
        report(x0 == 7 && x1 == 0 && p[0] == 70 && p[1] == 71, "CASP");
        uint64_t pc;
        __asm__ volatile("adr %0, 1f\n1:\t.arch_extension lse\n\tldadd %1, %1, [%2]"
                         : "=&r"(pc), "+r"(v) : "r"((char *)p + 4) : "memory");
        expect_dabort(0x21, 0, (uint64_t)p + 4, pc, "unaligned LDADD (WnR = 0: a read would fault too)");
    } else {
        report_skip("LSE atomics: ID_AA64ISAR0_EL1.Atomic < 2");
    }
    unsigned lrcpc = (isar1 >> 20) & 0xf;
    if (lrcpc >= 1) {
        buf[56] = 0x5656;
        __asm__ volatile(".arch armv8.3-a+rcpc\n\tldapr %0, [%1]" : "=r"(v) : "r"(buf + 56));
        report(v == 0x5656, "LDAPR");
    } else {
        report_skip("LDAPR: no FEAT_LRCPC");
    }
    if (lrcpc >= 2) {
        __asm__ volatile(".arch armv8.4-a+rcpc\n\tstlur %w1, [%0, #-4]" : : "r"(buf + 58), "r"(0x8001ul) : "memory");
        __asm__ volatile(".arch armv8.4-a+rcpc\n\tldapursh %0, [%1, #-4]" : "=r"(v) : "r"(buf + 58));
        report(v == 0xffffffffffff8001ul, "STLUR/LDAPURSH (0x%lx)", v);
    } else {
        report_skip("LDAPUR/STLUR: no FEAT_LRCPC2");
    }
}

/* ---------------- LDRAA/LDRAB (FEAT_PAuth) ---------------- */

static void test_ldra(void)
{
    uint64_t isar1 = read_sysreg(ID_AA64ISAR1_EL1), isar2 = read_sysreg(ID_AA64ISAR2_EL1);
    if (!((isar1 >> 4) & 0xf) && !((isar1 >> 8) & 0xf) && !((isar2 >> 12) & 0xf)) {
        report_skip("LDRAA/LDRAB: no FEAT_PAuth");
        return;
    }
    /* SCTLR_EL2.EnDA (bit 27) and EnDB (bit 13) on; TCR_EL2.T0SZ = 16 sizes the PAC field. */
    write_sysreg((read_sysreg(TCR_EL2) & ~0x3ful) | 16, TCR_EL2);
    write_sysreg(read_sysreg(SCTLR_EL2) | (1ul << 27) | (1ul << 13), SCTLR_EL2);
    isb();
    buf[60] = 0x6060;
    buf[61] = 0x6161;
    uint64_t ptr = (uint64_t)&buf[60], v, q;
    __asm__ volatile(".arch armv8.3-a\n\tpacdza %0" : "+r"(ptr));
    __asm__ volatile(".arch armv8.3-a\n\tldraa %0, [%1]" : "=r"(v) : "r"(ptr) : "memory");
    report(v == 0x6060, "LDRAA of a pointer signed with PACDZA");
    q = ptr;
    __asm__ volatile(".arch armv8.3-a\n\tldraa %0, [%1, #8]!" : "=r"(v), "+r"(q) : : "memory");
    report(v == 0x6161 && q == (uint64_t)&buf[61], "LDRAA pre-index writes back the authenticated address + 8");
    ptr = (uint64_t)&buf[61];
    __asm__ volatile(".arch armv8.3-a\n\tpacdzb %0" : "+r"(ptr));
    __asm__ volatile(".arch armv8.3-a\n\tldrab %0, [%1, #-8]" : "=r"(v) : "r"(ptr) : "memory");
    report(v == 0x6060, "LDRAB with a negative offset");
    /*
     * A failed authentication: without FEAT_FPAC the address is made
     * non-canonical, and with the MMU off a load from it takes an address
     * size fault (DFSC 0x00, level 0); with FEAT_FPAC, a PAC-fail exception.
     */
    bool fpac = ((isar1 >> 4) & 0xf) >= 4 || ((isar1 >> 8) & 0xf) >= 4 || ((isar2 >> 12) & 0xf) >= 4;
    uint64_t pc, bad = ptr ^ (1ul << 53);
    v = 0x55;
    __asm__ volatile("adr %0, 1f\n1:\t.arch armv8.3-a\n\tldrab %1, [%2, #-8]"
                     : "=&r"(pc), "+r"(v) : "r"(bad) : "memory");
    if (fpac) {
        report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x1c && exc_seen.elr == pc && v == 0x55,
               "LDRAB of a corrupted pointer: PAC fail (FEAT_FPAC), ESR_EL2 0x%lx", exc_seen.esr);
    } else {
        report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x25 && (exc_seen.esr & 0x3f) == 0x00 && exc_seen.elr == pc &&
               v == 0x55, "LDRAB of a corrupted pointer: address size fault, ESR_EL2 0x%lx FAR 0x%lx",
               exc_seen.esr, exc_seen.far);
    }
    exc_seen_count = 0;
    write_sysreg(read_sysreg(SCTLR_EL2) & ~((1ul << 27) | (1ul << 13)), SCTLR_EL2);
    isb();
    __asm__ volatile(".arch armv8.3-a\n\tldraa %0, [%1]" : "=r"(v) : "r"(&buf[61]) : "memory");
    report(v == 0x6161 && exc_seen_count == 0, "LDRAA with EnDA = 0 is a plain load");
}

void guest_run(void)
{
    exc_set_handler(2, exc_record_skip);
    test_ldra();
    test_forms();
    test_fp();
    test_aborts();
    test_exclusives();
    test_atomics();
    exc_set_handler(2, NULL);
}
