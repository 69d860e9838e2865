/*
 * Hardware watchpoints (Arm ARM D2.10 "Watchpoint exceptions",
 * AArch64.CheckWatchpoint) at EL2: MDCR_EL2.TDE = 1 makes EL2 the debug
 * target, MDSCR_EL1.{KDE,MDE} = 1 and PSTATE.D = 0 enable debug exceptions
 * at EL2, the OS lock is cleared. A matching access takes a watchpoint
 * exception (EC 0x35, DFSC 0x22, WnR, FAR within the access, ELR = the
 * instruction) before it changes memory; load/store selection (LSC), byte
 * lanes (BAS), address masks (MASK) and PSTATE.D masking are checked.
 */
#include "guest.h"

#define MDCR_TDE (1ul << 8)
#define MDSCR_KDE (1ul << 13)
#define MDSCR_MDE (1ul << 15)

static volatile uint64_t data[512] __attribute__((aligned(4096)));
static void set_wp(unsigned lsc, unsigned bas, unsigned mask, uint64_t va)
{
    /* E, PAC = 0b11 (EL1 and EL0) with HMC = 1: EL2 matches too. */
    uint64_t wcr = 1 | (3u << 1) | (lsc << 3) | (bas << 5) | (1u << 13) | ((uint64_t)mask << 24);
    write_sysreg(0, DBGWCR0_EL1);
    isb();
    write_sysreg(va, DBGWVR0_EL1);
    write_sysreg(wcr, DBGWCR0_EL1);
    isb();
}

static void expect_wp(unsigned wnr, uint64_t far_lo, uint64_t far_hi, uint64_t elr, const char *what)
{
    report(exc_seen_count == 1 && esr_ec(exc_seen.esr) == 0x35 && (exc_seen.esr & 0x3f) == 0x22 &&
           ((exc_seen.esr >> 6) & 1) == wnr && exc_seen.far >= far_lo && exc_seen.far <= far_hi && exc_seen.elr == elr,
           "%s: ESR_EL2 0x%lx (want EC 0x35 DFSC 0x22 WnR %u), FAR 0x%lx, ELR %s",
           what, exc_seen.esr, wnr, exc_seen.far, exc_seen.elr == elr ? "ok" : "wrong");
    exc_seen_count = 0;
}

void guest_run(void)
{
    uint64_t dfr0 = read_sysreg(ID_AA64DFR0_EL1);
    if (((dfr0 >> 20) & 0xf) == 0) {
        report_skip("no watchpoints (ID_AA64DFR0_EL1.WRPs)");
    }
    exc_set_handler(2, exc_record_skip);
    write_sysreg(0, OSLAR_EL1);
    write_sysreg(read_sysreg(MDCR_EL2) | MDCR_TDE, MDCR_EL2);
    write_sysreg(read_sysreg(MDSCR_EL1) | MDSCR_KDE | MDSCR_MDE, MDSCR_EL1);
    isb();
    __asm__ volatile("msr daifclr, #8" : : : "memory");   /* PSTATE.D = 0 */

    volatile uint64_t *w = &data[8];
    uint64_t pc, v;
    *w = 0x1111;
    set_wp(2, 0xff, 0, (uint64_t)w);                 /* stores to the doubleword */
    __asm__ volatile("adr %0, 1f\n1:\tstr %1, [%2]" : "=&r"(pc) : "r"(0x2222ul), "r"(w) : "memory");
    expect_wp(1, (uint64_t)w, (uint64_t)w + 7, pc, "store to a watched doubleword");
    report(*w == 0x1111, "the watched store did not change memory");
    v = *w;
    report(exc_seen_count == 0 && v == 0x1111, "a load does not match a store-only watchpoint");
    __asm__ volatile("str %0, [%1, #8]" : : "r"(0x3333ul), "r"(w) : "memory");
    report(exc_seen_count == 0 && w[1] == 0x3333, "a store to the next doubleword does not match");
    __asm__ volatile("adr %0, 1f\n1:\tstp %1, %1, [%2, #-8]" : "=&r"(pc) : "r"(0ul), "r"(w) : "memory");
    expect_wp(1, (uint64_t)w - 8, (uint64_t)w + 7, pc, "STP whose second element is watched");

    set_wp(1, 0x80, 0, (uint64_t)w);                 /* loads of byte 7 only */
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(w) : "memory");
    report(exc_seen_count == 0, "a load of bytes 0-3 does not match BAS = byte 7");
    __asm__ volatile("adr %0, 1f\n1:\tldrb %w1, [%2, #7]" : "=&r"(pc), "=r"(v) : "r"(w) : "memory");
    expect_wp(0, (uint64_t)w + 7, (uint64_t)w + 7, pc, "load of byte 7");
    __asm__ volatile("msr daifset, #8\n\tldrb %w0, [%1, #7]\n\tmsr daifclr, #8" : "=r"(v) : "r"(w) : "memory");
    report(exc_seen_count == 0, "PSTATE.D = 1 masks the watchpoint at EL2");

    set_wp(3, 0xff, 12, (uint64_t)data);             /* MASK = 12: the whole 4 KiB page */
    __asm__ volatile("adr %0, 1f\n1:\tldrh %w1, [%2]" : "=&r"(pc), "=r"(v) : "r"(&data[300]) : "memory");
    expect_wp(0, (uint64_t)&data[300], (uint64_t)&data[300] + 1, pc, "load inside a MASK = 12 range");
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(&data[0] + 512) : "memory");
    report(exc_seen_count == 0, "a load just past the masked range does not match");

    write_sysreg(0, DBGWCR0_EL1);
    isb();
    __asm__ volatile("str %0, [%1]" : : "r"(0x4444ul), "r"(w) : "memory");
    report(exc_seen_count == 0 && *w == 0x4444, "a disabled watchpoint does not match");
    exc_set_handler(2, NULL);
}
