/*
 * Exclusives across two vCPUs (Arm ARM B2.9 "Synchronization and
 * semaphores"): a store by another PE to the reserved location makes the
 * store-exclusive fail, and LDXR/STXR and LSE atomic counters incremented
 * by both CPUs lose no update. Runs with -smp 2; CPU 1 is started with PSCI
 * CPU_ON.
 */
#include "guest.h"

#define ITERS 20000

/* Each shared variable in its own 2 KiB block (the largest reservation granule). */
static volatile uint64_t counter __attribute__((aligned(2048)));
static volatile uint64_t lse_counter __attribute__((aligned(2048)));
static volatile uint64_t target __attribute__((aligned(2048)));
static volatile uint64_t phase __attribute__((aligned(2048)));
static volatile uint64_t done __attribute__((aligned(2048)));

static bool have_lse(void)
{
    return ((read_sysreg(ID_AA64ISAR0_EL1) >> 20) & 0xf) >= 2;
}

static void inc_excl(volatile uint64_t *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint64_t v, st;
        __asm__ volatile("1:\tldaxr %0, [%2]\n\tadd %0, %0, #1\n\tstlxr %w1, %0, [%2]\n\tcbnz %w1, 1b"
                         : "=&r"(v), "=&r"(st) : "r"(p) : "memory");
    }
}

static void inc_lse(volatile uint64_t *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        __asm__ volatile(".arch_extension lse\n\tstaddl %0, [%1]" : : "r"(1ul), "r"(p) : "memory");
    }
}

static void secondary(unsigned idx)
{
    /* Phase 1: wait until CPU 0 holds a reservation on target, then store to it. */
    while (phase != 1) {
    }
    target = 0xbbbb;
    dsb(sy);
    phase = 2;
    /* Phase 2: the counters. */
    while (phase != 3) {
    }
    inc_excl(&counter, ITERS);
    if (have_lse()) {
        inc_lse(&lse_counter, ITERS);
    }
    dsb(sy);
    done = 1;
}

void guest_run(void)
{
    int r = smp_start_cpu(1, secondary);
    report(r == 0, "PSCI CPU_ON of CPU 1 (%d)", r);
    if (r != 0) {
        return;
    }
    uint64_t v, st;
    target = 0xaaaa;
    __asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"(&target) : "memory");
    phase = 1;
    while (phase != 2) {
    }
    __asm__ volatile("stxr %w0, %1, [%2]" : "=&r"(st) : "r"(0xccccul), "r"(&target) : "memory");
    report(v == 0xaaaa && st == 1 && target == 0xbbbb,
           "another CPU's store to the reserved location makes STXR fail (status %lu, value 0x%lx)",
           st, (uint64_t)target);

    phase = 3;
    inc_excl(&counter, ITERS);
    if (have_lse()) {
        inc_lse(&lse_counter, ITERS);
    }
    while (!done) {
    }
    report(counter == 2 * ITERS, "LDAXR/STLXR counter from two CPUs: %lu (want %u)",
           (uint64_t)counter, 2 * ITERS);
    if (have_lse()) {
        report(lse_counter == 2 * ITERS, "STADDL counter from two CPUs: %lu (want %u)",
               (uint64_t)lse_counter, 2 * ITERS);
    } else {
        report_skip("LSE counter: no FEAT_LSE");
    }
}
