/* PL031 RTC: counter from virtual time, load, match interrupt. */
#include <glib.h>
#include <time.h>

#include "devices/pl031.h"
#include "tests/unit/dev_test_env.h"

#define RTC VIRT_RTC_BASE
#define SEC 1000000000ULL

static bool level;
static void irq_set(void *opaque, int n, bool l) { level = l; }

static uint32_t rd(Machine *m, uint64_t off)
{
    uint64_t v = 0;
    g_assert_true(addrspace_read(&m->as, RTC + off, 4, &v));
    return (uint32_t)v;
}
static void wr(Machine *m, uint64_t off, uint32_t v) { g_assert_true(addrspace_write(&m->as, RTC + off, 4, v)); }

static void test_rtc(void)
{
    Machine *m = dev_test_machine_new(1, 1 << 20, true);
    char *err = NULL;
    IRQLine line = { irq_set, NULL, 34 };
    /* host-clock mode: the host's UTC time */
    m->opts.icount_host = true;
    Device *d = pl031_create(m, RTC, 34, line, &err);
    g_assert_nonnull(d);
    uint32_t host = (uint32_t)time(NULL);
    uint32_t t0 = rd(m, 0x00);
    g_assert_cmpuint(t0 - host + 2, <=, 4);
    d->cls->destroy(d);
    addrspace_destroy(&m->as);
    addrspace_init(&m->as);
    /* instruction-time mode: a fixed date, for reproducible runs */
    m->opts.icount_host = false;
    d = pl031_create(m, RTC, 34, line, &err);
    g_assert_nonnull(d);
    g_assert_cmpuint(rd(m, 0x00), ==, 1767225600u);
    g_assert_cmphex(rd(m, 0xfe0), ==, 0x31);
    g_assert_cmphex(rd(m, 0x0c), ==, 1);                    /* always started */
    uint64_t v;
    g_assert_false(addrspace_read(&m->as, RTC, 1, &v));     /* word access only */
    wr(m, 0x08, 1000);                                      /* load */
    g_assert_cmpuint(rd(m, 0x00), ==, 1000);
    g_assert_cmpuint(rd(m, 0x08), ==, 1000);
    event_run_until(&m->events, 3 * SEC + 5);
    g_assert_cmpuint(rd(m, 0x00), ==, 1003);
    /* masked match: latched in RIS without any queued event */
    wr(m, 0x04, 1005);
    g_assert_cmpuint(event_next_deadline(&m->events), ==, UINT64_MAX);
    event_run_until(&m->events, 5 * SEC);
    g_assert_cmphex(rd(m, 0x14), ==, 1);
    g_assert_false(level);
    wr(m, 0x1c, 1);
    g_assert_cmphex(rd(m, 0x14), ==, 0);
    /* unmasked: the interrupt rises exactly when the counter reaches MR */
    wr(m, 0x04, 1010);
    wr(m, 0x10, 1);
    g_assert_cmpuint(event_next_deadline(&m->events), ==, 10 * SEC);
    event_run_until(&m->events, 10 * SEC - 1);
    g_assert_false(level);
    event_run_until(&m->events, 10 * SEC);
    g_assert_true(level);
    g_assert_cmphex(rd(m, 0x18), ==, 1);                    /* MIS */
    wr(m, 0x1c, 1);
    g_assert_false(level);
    d->cls->destroy(d);
    dev_test_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pl031/rtc", test_rtc);
    return g_test_run();
}
