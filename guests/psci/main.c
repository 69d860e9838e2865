/*
 * PSCI (DEN0022) through the firmware conduit (SMCCC: guests/smccc): version,
 * PSCI_FEATURES, unknown function IDs, MIGRATE_INFO_TYPE, CPU_ON argument
 * checks and the state a started CPU is handed (context id in x0, EL2,
 * DAIF masked, MMU off), CPU_OFF seen through AFFINITY_INFO, CPU_SUSPEND
 * standby returning once an interrupt is pending. Entered at EL2 (SMC).
 */
#include "guest.h"

#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_FEATURES 0x8400000au
#define NOT_SUPPORTED (-1)
#define INVALID_PARAMETERS (-2)

struct probe { uint64_t x0, el, daif, sctlr, done; };
struct probe probe_seen;
extern char psci_probe_entry[];

static int64_t call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    return (int64_t)psci_call(fn, a1, a2, a3);
}

static void test_versions(void)
{
    int64_t v = call(PSCI_VERSION, 0, 0, 0);
    report(v >= 0x10000, "PSCI_VERSION is 1.0 or later (0x%lx)", v);
    report(call(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0) == 0, "PSCI_FEATURES(CPU_ON_64) = SUCCESS");
    report(call(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0) == 0, "PSCI_FEATURES(SYSTEM_OFF) = SUCCESS");
    report(call(PSCI_FEATURES, 0x8400ff00u, 0, 0) == NOT_SUPPORTED, "PSCI_FEATURES(unknown) = NOT_SUPPORTED");
    report((int32_t)call(0x8400ff00u, 0, 0, 0) == NOT_SUPPORTED, "unknown function ID = NOT_SUPPORTED");
    report(call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0) == 2, "MIGRATE_INFO_TYPE = 2 (no Trusted OS)");
}

static void test_cpu_on(void)
{
    uint64_t entry = (uint64_t)(uintptr_t)psci_probe_entry;
    report(call(PSCI_CPU_ON_64, 0x80, entry, 0) == INVALID_PARAMETERS, "CPU_ON of a missing MPIDR: INVALID_PARAMETERS");
    report(call(PSCI_AFFINITY_INFO_64, 1, 0, 0) == 1, "cpu1 is OFF before CPU_ON");
    memset(&probe_seen, 0, sizeof(probe_seen));
    dsb(sy);
    int64_t r = call(PSCI_CPU_ON_64, 1, entry, 0x1234abcd5678ul);
    report(r == 0, "CPU_ON cpu1 = SUCCESS (%ld)", r);
    for (unsigned long i = 0; i < 100000000ul && !*(volatile uint64_t *)&probe_seen.done; i++) {
        __asm__ volatile("yield");
    }
    volatile struct probe *p = &probe_seen;
    report(p->done, "cpu1 ran the entry point");
    report(p->x0 == 0x1234abcd5678ul, "x0 = context_id (0x%lx)", p->x0);
    report(((p->el >> 2) & 3) == boot_el, "entered at EL%lu (the boot EL)", (p->el >> 2) & 3);
    report((p->daif & 0x3c0) == 0x3c0, "DAIF all masked (0x%lx)", p->daif);
    report(!(p->sctlr & 1), "MMU off (SCTLR_EL2.M = 0)");
    int64_t st = 0;
    for (unsigned long i = 0; i < 100000000ul && st != 1; i++) {
        st = call(PSCI_AFFINITY_INFO_64, 1, 0, 0);
    }
    report(st == 1, "cpu1 OFF again after its CPU_OFF (AFFINITY_INFO = %ld)", st);
}

static void test_suspend(void)
{
    /* Standby with an interrupt already pending (IRQs masked): returns at once. */
    write_sysreg(read_sysreg(HCR_EL2) | (1ul << 4) | (1ul << 3), HCR_EL2);
    *(volatile uint32_t *)0x080a0014ul = 0;                 /* GICR_WAKER */
    *(volatile uint32_t *)0x08000000ul = 2;                 /* GICD_CTLR.EnableGrp1 */
    *(volatile uint32_t *)(0x080b0000ul + 0x80) = 1u << 9;  /* SGI 9 group 1 */
    *(volatile uint8_t *)(0x080b0000ul + 0x400 + 9) = 0x80;
    *(volatile uint32_t *)(0x080b0000ul + 0x100) = 1u << 9;
    write_sysreg(0xff, ICC_PMR_EL1);
    write_sysreg(1, ICC_IGRPEN1_EL1);
    write_sysreg((9ul << 24) | 1, ICC_SGI1R_EL1);
    isb();
    int64_t r = call(PSCI_CPU_SUSPEND_64, 0, 0, 0);
    report(r == 0, "CPU_SUSPEND standby returns SUCCESS with an interrupt pending (%ld)", r);
    uint64_t id = read_sysreg(ICC_IAR1_EL1);
    write_sysreg(id, ICC_EOIR1_EL1);
    report(id == 9, "the pending SGI is still there after the suspend (%lu)", id);
}

void guest_run(void)
{
    if (current_el() != 2) {
        report_skip("needs EL2 entry (SMC conduit)");
        return;
    }
    test_versions();
    test_cpu_on();
    test_suspend();
}
