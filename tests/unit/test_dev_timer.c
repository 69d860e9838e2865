/* Generic timers: counters, timer deadlines on the event queue, VHE
 * redirection, traps and the event stream. */
#include <glib.h>

#include "devices/cpu_hooks.h"
#include "devices/gicv3.h"
#include "devices/timer.h"
#include "mmu/mmu.h"
#include "tests/unit/dev_test_env.h"

#define CNTFRQ MMU_SYSREG_ENC(3, 3, 14, 0, 0)
#define CNTPCT MMU_SYSREG_ENC(3, 3, 14, 0, 1)
#define CNTVCT MMU_SYSREG_ENC(3, 3, 14, 0, 2)
#define CNTVOFF MMU_SYSREG_ENC(3, 4, 14, 0, 3)
#define CNTKCTL MMU_SYSREG_ENC(3, 0, 14, 1, 0)
#define CNTKCTL_EL12 MMU_SYSREG_ENC(3, 5, 14, 1, 0)
#define CNTHCTL MMU_SYSREG_ENC(3, 4, 14, 1, 0)
#define CNTP_TVAL MMU_SYSREG_ENC(3, 3, 14, 2, 0)
#define CNTP_CTL MMU_SYSREG_ENC(3, 3, 14, 2, 1)
#define CNTP_CVAL MMU_SYSREG_ENC(3, 3, 14, 2, 2)
#define CNTV_CTL MMU_SYSREG_ENC(3, 3, 14, 3, 1)
#define CNTV_CVAL MMU_SYSREG_ENC(3, 3, 14, 3, 2)
#define CNTHP_CTL MMU_SYSREG_ENC(3, 4, 14, 2, 1)
#define CNTHP_CVAL MMU_SYSREG_ENC(3, 4, 14, 2, 2)
#define CNTHV_CTL MMU_SYSREG_ENC(3, 4, 14, 3, 1)
#define CNTPS_CTL MMU_SYSREG_ENC(3, 7, 14, 2, 1)
#define CNTP_CTL_EL02 MMU_SYSREG_ENC(3, 5, 14, 2, 1)
#define CNTV_CVAL_EL02 MMU_SYSREG_ENC(3, 5, 14, 3, 2)

#define HCR_TGE (1ULL << 27)
#define HCR_E2H (1ULL << 34)
#define GICR_ISPENDR0 (VIRT_GIC_REDIST_BASE + 0x10000 + 0x200)

static Machine *m;
static CPUState *cpu;

static void setup(bool vhe)
{
    char *err = NULL;
    m = dev_test_machine_new(1, 1 << 20, true);
    cpu = m->cpus[0];
    cpu->sr.SCR_EL3 = 0x501;
    if (vhe) {
        cpu->id.ID_AA64MMFR1_EL1 = 1u << 8;
    }
    m->gic = gicv3_create(m, &err);
    g_assert_nonnull(m->gic);
    g_assert_true(timer_create_all(m, &err));
    cpu->el = 1;
}

static void teardown(void)
{
    timer_destroy_all(m);
    gicv3_destroy(m->gic);
    dev_test_machine_free(m);
}

static uint64_t rd(uint32_t enc)
{
    uint64_t v = 0;
    unsigned trap = 99;
    g_assert_true(timer_sysreg_read(cpu, enc, &v, &trap));
    return v;
}
static void wr(uint32_t enc, uint64_t v)
{
    unsigned trap = 99;
    g_assert_true(timer_sysreg_write(cpu, enc, v, &trap));
}
static unsigned rd_fails(uint32_t enc)
{
    uint64_t v;
    unsigned trap = 99;
    g_assert_false(timer_sysreg_read(cpu, enc, &v, &trap));
    return trap;
}
static unsigned wr_fails(uint32_t enc, uint64_t v)
{
    unsigned trap = 99;
    g_assert_false(timer_sysreg_write(cpu, enc, v, &trap));
    return trap;
}

static uint32_t ppi_pending(void)
{
    uint64_t v = 0;
    g_assert_true(addrspace_read(&m->as, GICR_ISPENDR0, 4, &v));
    return (uint32_t)v;
}

static void test_counters(void)
{
    setup(false);
    g_assert_cmpuint(rd(CNTFRQ), ==, 62500000);
    event_run_until(&m->events, 1600);
    g_assert_cmpuint(rd(CNTPCT), ==, 100);
    cpu->el = 2;
    wr(CNTVOFF, 40);
    cpu->el = 1;
    g_assert_cmpuint(rd(CNTVCT), ==, 60);
    /* E2H/TGE host: EL2 reads the virtual count without the offset */
    cpu->el = 2;
    g_assert_cmpuint(rd(CNTVCT), ==, 60);
    cpu->sr.HCR_EL2 = HCR_E2H | HCR_TGE;
    g_assert_cmpuint(rd(CNTVCT), ==, 100);
    g_assert_cmpuint(wr_fails(CNTFRQ, 1), ==, 0);             /* only EL3 writes CNTFRQ */
    cpu->el = 3;
    wr(CNTFRQ, 1000);
    g_assert_cmpuint(rd(CNTFRQ), ==, 1000);
    g_assert_cmpuint(wr_fails(CNTPCT, 5), ==, 0);
    teardown();
}

static void test_phys_timer_deadline(void)
{
    setup(false);
    wr(CNTP_CVAL, 1000);
    wr(CNTP_CTL, 1);                                          /* ENABLE */
    g_assert_cmphex(rd(CNTP_CTL), ==, 1);                     /* not yet ISTATUS */
    g_assert_cmpuint(event_next_deadline(&m->events), ==, 16000);
    event_run_until(&m->events, 15999);
    g_assert_cmphex(ppi_pending() & (1u << 30), ==, 0);
    event_run_until(&m->events, 16000);
    g_assert_cmphex(rd(CNTP_CTL), ==, 5);                     /* ISTATUS */
    g_assert_cmphex(ppi_pending() & (1u << 30), ==, 1u << 30);
    wr(CNTP_CTL, 3);                                          /* IMASK: output drops */
    g_assert_cmphex(rd(CNTP_CTL), ==, 7);
    g_assert_cmphex(ppi_pending() & (1u << 30), ==, 0);
    /* TVAL: signed distance to CVAL */
    g_assert_cmphex(rd(CNTP_TVAL), ==, 0);
    event_run_until(&m->events, 16000 + 16 * 5);
    g_assert_cmphex(rd(CNTP_TVAL), ==, (uint64_t)-5);
    wr(CNTP_TVAL, 100);
    g_assert_cmpuint(rd(CNTP_CVAL), ==, 1105);
    g_assert_cmphex(rd(CNTP_CTL), ==, 3);
    wr(CNTP_TVAL, 0xffffffffULL);                             /* -1: already expired */
    g_assert_cmpuint(rd(CNTP_CVAL), ==, 1004);
    teardown();
}

static void test_virt_timer_offset(void)
{
    setup(false);
    event_run_until(&m->events, 1000 * 16);
    cpu->el = 2;
    wr(CNTVOFF, 500);
    cpu->el = 1;
    g_assert_cmpuint(rd(CNTVCT), ==, 500);
    wr(CNTV_CVAL, 600);
    wr(CNTV_CTL, 1);
    /* fires when the physical count reaches 1100 */
    g_assert_cmpuint(event_next_deadline(&m->events), ==, 1100 * 16);
    event_run_until(&m->events, 1100 * 16);
    g_assert_cmphex(ppi_pending() & (1u << 27), ==, 1u << 27);
    /* moving the offset re-evaluates the condition */
    cpu->el = 2;
    wr(CNTVOFF, 1000);
    g_assert_cmphex(ppi_pending() & (1u << 27), ==, 0);
    g_assert_cmpuint(event_next_deadline(&m->events), ==, 1600 * 16);
    /* an offset above the count: the virtual count wrapped, so CVAL is met */
    wr(CNTVOFF, 5000);
    g_assert_cmphex(ppi_pending() & (1u << 27), ==, 1u << 27);
    /* ...and a deadline relative to the wrapped count is still reached */
    cpu->el = 1;
    uint64_t vct = rd(CNTVCT);
    g_assert_cmphex(vct, ==, (uint64_t)(1100 - 5000));
    wr(CNTV_CVAL, vct + 100);
    g_assert_cmphex(ppi_pending() & (1u << 27), ==, 0);
    g_assert_cmpuint(event_next_deadline(&m->events), ==, 1200 * 16);
    teardown();
}

static void test_traps(void)
{
    setup(false);
    cpu->el = 0;
    g_assert_cmpuint(rd_fails(CNTPCT), ==, 1);                /* CNTKCTL_EL1.EL0PCTEN = 0 */
    g_assert_cmpuint(rd_fails(CNTVCT), ==, 1);
    g_assert_cmpuint(rd_fails(CNTFRQ), ==, 1);
    g_assert_cmpuint(rd_fails(CNTP_CTL), ==, 1);
    cpu->sr.HCR_EL2 = HCR_TGE;
    g_assert_cmpuint(rd_fails(CNTPCT), ==, 2);                /* TGE routes to EL2 */
    cpu->sr.HCR_EL2 = 0;
    cpu->el = 1;
    wr(CNTKCTL, 0x303);                                       /* EL0 may use everything */
    cpu->el = 0;
    rd(CNTPCT);
    rd(CNTVCT);
    rd(CNTP_CTL);
    /* EL2 controls: CNTHCTL_EL2.EL1PCTEN / EL1PCEN (E2H = 0 layout) */
    cpu->el = 2;
    wr(CNTHCTL, 0);
    cpu->el = 1;
    g_assert_cmpuint(rd_fails(CNTPCT), ==, 2);
    g_assert_cmpuint(rd_fails(CNTP_CTL), ==, 2);
    rd(CNTVCT);                                               /* virtual: no EL2 control */
    rd(CNTV_CTL);
    cpu->el = 0;
    g_assert_cmpuint(rd_fails(CNTPCT), ==, 2);
    /* E2H = 1 layout: EL1PCTEN is bit 10, EL1PTEN bit 11 */
    cpu->el = 2;
    cpu->sr.HCR_EL2 = HCR_E2H;
    wr(CNTHCTL, 1u << 10);
    cpu->el = 1;
    rd(CNTPCT);
    g_assert_cmpuint(rd_fails(CNTP_CTL), ==, 2);
    /* registers of higher ELs */
    g_assert_cmpuint(rd_fails(CNTHP_CTL), ==, 0);
    g_assert_cmpuint(rd_fails(CNTVOFF), ==, 0);
    g_assert_cmpuint(rd_fails(CNTPS_CTL), ==, 0);             /* Non-secure EL1 */
    g_assert_cmpuint(rd_fails(CNTP_CTL_EL02), ==, 0);
    cpu->el = 3;
    rd(CNTPS_CTL);
    /* FEAT_NV: EL1 accesses to EL2 timer registers trap to EL2 */
    cpu->el = 1;
    cpu->sr.HCR_EL2 = 1ULL << 42;
    g_assert_cmpuint(rd_fails(CNTHP_CTL), ==, 2);
    g_assert_cmpuint(rd_fails(CNTVOFF), ==, 2);
    g_assert_cmpuint(wr_fails(CNTHCTL, 0), ==, 2);
    g_assert_cmpuint(rd_fails(CNTP_CTL_EL02), ==, 2);
    g_assert_cmpuint(rd_fails(CNTPS_CTL), ==, 0);             /* EL3 register: still UNDEFINED */
    teardown();
}

static void test_vhe_redirection(void)
{
    setup(true);
    cpu->el = 2;
    g_assert_cmpuint(rd_fails(CNTP_CTL_EL02), ==, 0);         /* E2H = 0: no _EL02 */
    g_assert_cmpuint(rd_fails(CNTKCTL_EL12), ==, 0);
    cpu->sr.HCR_EL2 = HCR_E2H;
    wr(CNTP_CVAL, 77);                                        /* is CNTHP_CVAL_EL2 */
    g_assert_cmpuint(rd(CNTHP_CVAL), ==, 77);
    wr(CNTP_CTL_EL02, 1);                                     /* the EL1 physical timer */
    cpu->sr.HCR_EL2 = 0;
    g_assert_cmphex(rd(CNTP_CTL) & 1, ==, 1);
    g_assert_cmphex(rd(CNTHP_CTL) & 1, ==, 0);
    cpu->sr.HCR_EL2 = HCR_E2H;
    wr(CNTV_CVAL_EL02, 9);
    wr(CNTKCTL, 0x3);                                         /* is CNTHCTL_EL2 */
    g_assert_cmphex(cpu->sr.CNTHCTL_EL2, ==, 0x3);
    wr(CNTKCTL_EL12, 0x2);
    g_assert_cmphex(cpu->sr.CNTKCTL_EL1, ==, 0x2);
    wr(CNTHV_CTL, 1);                                         /* FEAT_VHE: EL2 virtual timer */
    g_assert_cmphex(rd(CNTV_CTL) & 1, ==, 1);                 /* CNTV at EL2 with E2H is CNTHV */
    cpu->sr.HCR_EL2 = 0;
    g_assert_cmpuint(rd(CNTV_CVAL), ==, 9);
    /* EL0 in the host: CNTP reaches the EL2 timer, controlled by CNTHCTL.EL0PTEN */
    cpu->sr.HCR_EL2 = HCR_E2H | HCR_TGE;
    cpu->el = 0;
    g_assert_cmpuint(rd_fails(CNTP_CTL), ==, 2);
    cpu->sr.CNTHCTL_EL2 |= 1u << 9;
    g_assert_cmpuint(rd(CNTP_CVAL), ==, 77);
    teardown();
    setup(false);
    cpu->el = 2;
    g_assert_cmpuint(rd_fails(CNTHV_CTL), ==, 0);             /* no FEAT_VHE */
    teardown();
}

static void test_event_stream(void)
{
    setup(false);
    /* EVNTEN, EVNTI = 3: bit 3 of CNTVCT rises every 16 ticks, at 8, 24, ... */
    wr(CNTKCTL, (3u << 4) | 4);
    g_assert_cmpuint(event_next_deadline(&m->events), ==, 8 * 16);
    event_run_until(&m->events, 8 * 16);
    g_assert_true(cpu->event_register);
    cpu->event_register = false;
    g_assert_cmpuint(event_next_deadline(&m->events), ==, 24 * 16);
    wr(CNTKCTL, (3u << 4) | 4 | 8);                           /* EVNTDIR: falling edges, at 16 */
    g_assert_cmpuint(event_next_deadline(&m->events), ==, 16 * 16);
    wr(CNTKCTL, 0);
    g_assert_cmpuint(event_next_deadline(&m->events), ==, UINT64_MAX);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timer/counters", test_counters);
    g_test_add_func("/timer/phys-deadline", test_phys_timer_deadline);
    g_test_add_func("/timer/virt-offset", test_virt_timer_offset);
    g_test_add_func("/timer/traps", test_traps);
    g_test_add_func("/timer/vhe-redirection", test_vhe_redirection);
    g_test_add_func("/timer/event-stream", test_event_stream);
    return g_test_run();
}
