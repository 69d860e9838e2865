/* Built-in firmware: SMCCC 1.1 and PSCI 1.1 calls on a hand-built machine. */
#include <glib.h>

#include "devices/firmware.h"
#include "tests/unit/dev_test_env.h"

#define NOT_SUPPORTED 0xffffffffffffffffULL

static Machine *m;

static uint64_t call(CPUState *cpu, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    cpu->x[0] = fid;
    cpu->x[1] = a1;
    cpu->x[2] = a2;
    cpu->x[3] = a3;
    firmware_call(cpu, true, 0);
    return cpu->x[0];
}

static void setup(void)
{
    memset(&dev_test_log, 0, sizeof(dev_test_log));
    m = dev_test_machine_new(4, 1 << 20, true);
}

static void teardown(void)
{
    dev_test_machine_free(m);
    m = NULL;
}

static void test_versions_features(void)
{
    setup();
    CPUState *c = m->cpus[0];
    g_assert_true(firmware_enabled(c));
    g_assert_true(firmware_conduit_is_smc(c));
    g_assert_cmphex(call(c, 0x84000000, 0, 0, 0), ==, 0x10001);      /* PSCI_VERSION 1.1 */
    g_assert_cmphex(call(c, 0x80000000, 0, 0, 0), ==, 0x10001);      /* SMCCC_VERSION 1.1 */
    g_assert_cmphex(call(c, 0x8400000a, 0x80000000, 0, 0), ==, 0);   /* FEATURES(SMCCC_VERSION) */
    g_assert_cmphex(call(c, 0x8400000a, 0xc4000003, 0, 0), ==, 0);   /* FEATURES(CPU_ON_64) */
    g_assert_cmphex(call(c, 0x8400000a, 0x84000001, 0, 0), ==, 2);   /* CPU_SUSPEND: extended format */
    g_assert_cmphex(call(c, 0x8400000a, 0x84000012, 0, 0), ==, 0);   /* SYSTEM_RESET2 */
    g_assert_cmphex(call(c, 0x8400000a, 0x84000005, 0, 0), ==, NOT_SUPPORTED);  /* MIGRATE */
    g_assert_cmphex(call(c, 0x8400000a, 0x8400000e, 0, 0), ==, NOT_SUPPORTED);  /* SYSTEM_SUSPEND */
    g_assert_cmphex(call(c, 0x84000006, 0, 0, 0), ==, 2);            /* MIGRATE_INFO_TYPE */
    g_assert_cmphex(call(c, 0x80000001, 0x80008000, 0, 0), ==, 1);   /* WORKAROUND_1: not required */
    g_assert_cmphex(call(c, 0x80000001, 0x80007fff, 0, 0), ==, 1);
    g_assert_cmphex(call(c, 0x80000001, 0x80003fff, 0, 0), ==, 1);
    g_assert_cmphex(call(c, 0x80000001, 0x80000002, 0, 0), ==, NOT_SUPPORTED);  /* SOC_ID */
    g_assert_cmphex(call(c, 0x8400ff00, 0, 0, 0), ==, NOT_SUPPORTED);
    g_assert_cmphex(call(c, 0x04000000, 0, 0, 0), ==, NOT_SUPPORTED);   /* yielding call */
    /* a non-zero immediate is reserved */
    c->x[0] = 0x84000000;
    firmware_call(c, true, 1);
    g_assert_cmphex(c->x[0], ==, NOT_SUPPORTED);
    /* the function ID is W0 */
    g_assert_cmphex(call(c, 0xdead000084000000ULL, 0, 0, 0), ==, 0x10001);
    teardown();
}

static void test_registers_preserved(void)
{
    setup();
    CPUState *c = m->cpus[0];
    for (int i = 4; i < 31; i++) {
        c->x[i] = 0x1111111111111111ULL * (uint64_t)i;
    }
    call(c, 0x84000000, 0xaa, 0xbb, 0xcc);
    for (int i = 4; i < 31; i++) {
        g_assert_cmphex(c->x[i], ==, 0x1111111111111111ULL * (uint64_t)i);
    }
    g_assert_cmphex(c->x[1], ==, 0xaa);
    teardown();
}

static void test_cpu_on_off(void)
{
    setup();
    CPUState *c = m->cpus[0], *t = m->cpus[2];
    uint64_t entry = VIRT_RAM_BASE + 0x1000;
    g_assert_cmphex(call(c, 0xc4000004, 2, 0, 0), ==, 1);     /* AFFINITY_INFO: OFF */
    g_assert_cmphex(call(c, 0xc4000003, 2, entry, 0xc0ffee), ==, 0);
    g_assert_cmpint(dev_test_log.cpu_reset_calls, ==, 1);
    g_assert_false(t->powered_off);
    g_assert_false(t->halted);
    g_assert_cmphex(t->pc, ==, entry);
    g_assert_cmphex(t->x[0], ==, 0xc0ffee);
    g_assert_cmpuint(t->el, ==, 2);               /* handed over at EL2h */
    g_assert_cmpuint(t->spsel, ==, 1);
    g_assert_cmphex(t->daif, ==, 0x3c0);
    g_assert_cmphex(t->sr.SCR_EL3 & 0x501, ==, 0x501);   /* NS, HCE, RW */
    g_assert_cmphex(call(c, 0xc4000004, 2, 0, 0), ==, 0);     /* ON */
    g_assert_cmphex(call(c, 0xc4000003, 2, entry, 0), ==, (uint64_t)-4);   /* ALREADY_ON */
    g_assert_cmphex(call(c, 0xc4000003, 0, entry, 0), ==, (uint64_t)-4);   /* the caller */
    g_assert_cmphex(call(c, 0xc4000003, 0x100, entry, 0), ==, (uint64_t)-2);  /* no such CPU */
    g_assert_cmphex(call(c, 0xc4000003, 3, entry + 2, 0), ==, (uint64_t)-9);  /* misaligned */
    g_assert_cmphex(call(c, 0xc4000003, 3, 0x1000, 0), ==, (uint64_t)-9);     /* not RAM */
    g_assert_true(m->cpus[3]->powered_off);
    g_assert_cmphex(call(c, 0xc4000004, 2, 1, 0), ==, (uint64_t)-2);   /* level 1 unsupported */
    /* SMC32 CPU_ON: the upper halves of the arguments are ignored */
    g_assert_cmphex(call(c, 0x84000003, 0xffffffff00000003ULL, 0xffffffff00000000ULL | entry, 7), ==, 0);
    g_assert_cmphex(m->cpus[3]->pc, ==, entry);
    /* the target turns itself off */
    t->x[0] = 0x84000002;
    firmware_call(t, true, 0);
    g_assert_true(t->powered_off);
    g_assert_true(t->halted);
    g_assert_cmphex(call(c, 0x84000004, 2, 0, 0), ==, 1);
    teardown();
}

static void test_cpu_on_no_el2(void)
{
    memset(&dev_test_log, 0, sizeof(dev_test_log));
    m = dev_test_machine_new(2, 1 << 20, false);
    CPUState *c = m->cpus[0];
    g_assert_cmphex(call(c, 0xc4000003, 1, VIRT_RAM_BASE, 5), ==, 0);
    g_assert_cmpuint(m->cpus[1]->el, ==, 1);
    g_assert_cmphex(m->cpus[1]->sr.SCR_EL3 & (1u << 8), ==, 0);   /* no HCE */
    teardown();
}

static void test_suspend(void)
{
    setup();
    CPUState *c = m->cpus[0];
    g_assert_cmphex(call(c, 0xc4000001, 0, 0, 0), ==, 0);      /* standby */
    g_assert_true(c->halted);
    c->halted = false;
    g_assert_cmphex(call(c, 0xc4000001, 1, 0, 0), ==, (uint64_t)-2);   /* unknown StateID */
    g_assert_cmphex(call(c, 0xc4000001, 1u << 30, 3, 0), ==, (uint64_t)-9);
    call(c, 0xc4000001, 1u << 30, VIRT_RAM_BASE + 0x80, 0x55);  /* powerdown */
    g_assert_true(c->halted);
    /* pc is 4 before the entry point: the CPU steps over the SMC afterwards (EXEC_SYNC) */
    g_assert_cmphex(c->pc + 4, ==, VIRT_RAM_BASE + 0x80);
    g_assert_cmphex(c->x[0], ==, 0x55);
    teardown();
}

static void test_system_off_reset(void)
{
    setup();
    CPUState *c = m->cpus[0];
    call(c, 0x84000008, 0, 0, 0);
    g_assert_cmpint(dev_test_log.shutdown_calls, ==, 1);
    g_assert_cmpint(dev_test_log.shutdown_code, ==, 0);
    g_assert_true(c->halted);
    c->halted = false;
    call(c, 0x84000009, 0, 0, 0);
    g_assert_cmpint(dev_test_log.reset_calls, ==, 1);
    g_assert_cmphex(call(c, 0xc4000012, 1, 0, 0), ==, (uint64_t)-2);          /* reserved type */
    g_assert_cmphex(call(c, 0x84000012, 0x80000000, 0, 0), ==, NOT_SUPPORTED); /* vendor type */
    call(c, 0xc4000012, 0, 0, 0);                                              /* warm reset */
    g_assert_cmpint(dev_test_log.reset_calls, ==, 2);
    m->opts.no_reboot = true;
    call(c, 0x84000009, 0, 0, 0);
    g_assert_cmpint(dev_test_log.reset_calls, ==, 2);
    g_assert_cmpint(dev_test_log.shutdown_calls, ==, 2);
    m->opts.bios = "user-el3.bin";
    g_assert_false(firmware_enabled(c));
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/psci/versions-features", test_versions_features);
    g_test_add_func("/psci/registers-preserved", test_registers_preserved);
    g_test_add_func("/psci/cpu-on-off", test_cpu_on_off);
    g_test_add_func("/psci/cpu-on-no-el2", test_cpu_on_no_el2);
    g_test_add_func("/psci/suspend", test_suspend);
    g_test_add_func("/psci/system-off-reset", test_system_off_reset);
    return g_test_run();
}
