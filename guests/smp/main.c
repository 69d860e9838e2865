/*
 * Secondary CPUs: powered off at boot (Linux boot protocol), started by
 * PSCI CPU_ON (DEN0022 5.6) at the given entry with x0 = context id, at the
 * boot CPU's EL with the MMU off; CPU_ON of a running CPU is ALREADY_ON.
 */
#include "guest.h"

#define NCPUS 4
#define PSCI_ALREADY_ON (-4)
#define PSCI_AFFINITY_INFO_64 0xc4000004u

static volatile uint64_t seen_mpidr[NCPUS];
static volatile unsigned seen_el[NCPUS];
static volatile unsigned arrived_flag[NCPUS];   /* one writer each: no atomics with the MMU off */
static volatile bool release;

static void secondary(unsigned idx)
{
    seen_mpidr[idx] = read_sysreg(MPIDR_EL1);
    seen_el[idx] = current_el();
    dsb(sy);
    arrived_flag[idx] = 1;
    while (!release) {
        __asm__ volatile("yield");
    }
}

static unsigned arrived(void)
{
    unsigned n = 0;
    for (unsigned i = 1; i < NCPUS; i++) {
        n += arrived_flag[i];
    }
    return n;
}

static bool wait_for(unsigned n)
{
    for (unsigned long spin = 0; spin < 200000000ul; spin++) {
        if (arrived() >= n) {
            return true;
        }
        __asm__ volatile("yield");
    }
    return false;
}

void guest_run(void)
{
    for (unsigned i = 1; i < NCPUS; i++) {
        int r = smp_start_cpu(i, secondary);
        report(r == 0, "CPU_ON cpu%u returns SUCCESS (%d)", i, r);
    }
    report(wait_for(NCPUS - 1), "all %u secondaries arrived (%u)", NCPUS - 1, arrived());
    for (unsigned i = 1; i < NCPUS; i++) {
        report((seen_mpidr[i] & 0xff) == i, "cpu%u MPIDR_EL1.Aff0 = %u (0x%lx)", i, i, seen_mpidr[i]);
        report(seen_el[i] == boot_el, "cpu%u entered at EL%u", i, seen_el[i]);
    }
    int r = smp_start_cpu(1, secondary);
    report(r == PSCI_ALREADY_ON, "CPU_ON of a running CPU returns ALREADY_ON (%d)", r);
    release = true;
    /* AFFINITY_INFO reports each secondary OFF (1) once its CPU_OFF is through. */
    for (unsigned i = 1; i < NCPUS; i++) {
        int64_t state = 0;
        for (unsigned long spin = 0; spin < 100000000ul && state != 1; spin++) {
            state = (int64_t)psci_call(PSCI_AFFINITY_INFO_64, i, 0, 0);
        }
        report(state == 1, "cpu%u is OFF after CPU_OFF (AFFINITY_INFO = %ld)", i, state);
    }
}
