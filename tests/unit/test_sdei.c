/*
 * SDEI in the built-in firmware (devices/firmware_sdei.c): the handler state
 * table cell by cell against DEN0054 6.1, then the calls on a hand-built
 * machine with a GIC: dispatch registers, CONTEXT, COMPLETE(_AND_RESUME),
 * masking, bound interrupts, priorities, error codes, resets.
 */
#include <glib.h>

#include "cpu/regime.h"
#include "devices/firmware.h"
#include "devices/firmware_sdei.h"
#include "devices/gicv3.h"
#include "tests/unit/dev_test_env.h"

#define G SDEI_ST_REGISTERED
#define E SDEI_ST_ENABLED
#define R SDEI_ST_RUNNING
#define NO SDEI_DENIED

/* ---- the state table ---- */

static void test_state_table(void)
{
    /* Expected next state (or DENIED) for each reachable state and action. */
    static const struct {
        unsigned state;
        int next[SDEI_NUM_ACTIONS];   /* REGISTER RELEASE ENABLE DISABLE UNREG ROUTING CONTEXT COMPLETE DISPATCH */
    } rows[] = {
        { 0,         { G,  0,  NO,        NO,    NO, NO, NO,        NO,    NO } },
        { G,         { NO, NO, G | E,     G,     0,  G,  NO,        NO,    NO } },
        { G | E,     { NO, NO, G | E,     G,     0,  NO, NO,        NO,    G | E | R } },
        { R,         { NO, NO, NO,        NO,    NO, NO, R,         0,     NO } },
        { G | R,     { NO, NO, G | E | R, G | R, R,  NO, G | R,     G,     NO } },
        { G | E | R, { NO, NO, G | E | R, G | R, R,  NO, G | E | R, G | E, NO } },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        for (int a = 0; a < SDEI_NUM_ACTIONS; a++) {
            g_assert_cmpint(sdei_state_next(rows[i].state, (SDEIAction)a), ==, rows[i].next[a]);
        }
    }
    /* Enabled without registered never exists: nothing is allowed there. */
    for (int a = 0; a < SDEI_NUM_ACTIONS; a++) {
        g_assert_cmpint(sdei_state_next(E, (SDEIAction)a), ==, NO);
        g_assert_cmpint(sdei_state_next(E | R, (SDEIAction)a), ==, NO);
    }
    /* UNREGISTER of a running handler: PENDING, also when already pending. */
    g_assert_cmpint(sdei_state_result(G | E | R, SDEI_ACT_UNREGISTER), ==, SDEI_PENDING);
    g_assert_cmpint(sdei_state_result(R, SDEI_ACT_UNREGISTER), ==, SDEI_PENDING);
    g_assert_cmpint(sdei_state_result(G | E, SDEI_ACT_UNREGISTER), ==, SDEI_SUCCESS);
    g_assert_cmpint(sdei_state_result(0, SDEI_ACT_UNREGISTER), ==, SDEI_DENIED);
    g_assert_cmpint(sdei_state_result(G, SDEI_ACT_REGISTER), ==, SDEI_DENIED);
    g_assert_cmpint(sdei_state_next(99, SDEI_ACT_REGISTER), ==, NO);
}

/* ---- calls ---- */

static Machine *m;
static GICv3 *gic;
#define HANDLER (VIRT_RAM_BASE + 0x1000)
#define HANDLER2 (VIRT_RAM_BASE + 0x2000)
#define CODE (VIRT_RAM_BASE + 0x400)

static void setup(void)
{
    m = dev_test_machine_new(2, 1 << 20, true);
    char *err = NULL;
    gic = gicv3_create(m, &err);
    g_assert_nonnull(gic);
    m->gic = gic;
    sdei_create(m);
    for (int i = 0; i < 2; i++) {
        CPUState *c = m->cpus[i];
        c->sr.SCR_EL3 = SCR_NS | SCR_RW | SCR_HCE;
        c->el = 2;
        c->spsel = 1;
        c->pc = CODE;
    }
    m->cpus[1]->powered_off = m->cpus[1]->halted = false;
}

static void teardown(void)
{
    sdei_destroy(m);
    gicv3_destroy(gic);
    m->gic = NULL;
    dev_test_machine_free(m);
}

/* An SMC as the engine runs it: firmware_call, then pc steps over the SMC. */
static uint64_t call6(CPUState *c, uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                      uint64_t a5)
{
    c->x[0] = fid;
    c->x[1] = a1;
    c->x[2] = a2;
    c->x[3] = a3;
    c->x[4] = a4;
    c->x[5] = a5;
    firmware_call(c, true, 0);
    c->pc += 4;
    return c->x[0];
}

/* Calls with up to two arguments leave x3-x17 alone (so they can be checked as interrupted context). */
static int64_t call(CPUState *c, uint32_t fid, uint64_t a1, uint64_t a2)
{
    c->x[0] = fid;
    c->x[1] = a1;
    c->x[2] = a2;
    firmware_call(c, true, 0);
    c->pc += 4;
    return (int64_t)c->x[0];
}

static void run_deferred(void)
{
    event_run_until(&m->events, m->events.now_ns);
}

static void test_version_and_errors(void)
{
    setup();
    CPUState *c = m->cpus[0];
    g_assert_cmphex(call(c, SDEI_VERSION, 0, 0), ==, SDEI_VERSION_1_1);
    g_assert_cmpint(call(c, SDEI_FEATURES, 0, 0), ==, 4 | (4 << 16));
    g_assert_cmpint(call(c, SDEI_FEATURES, 1, 0), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call(c, SDEI_FN(0x1f), 0, 0), ==, SDEI_NOT_SUPPORTED);
    g_assert_cmpint(call(c, 0x84000020, 0, 0), ==, SDEI_NOT_SUPPORTED);   /* no SMC32 form */
    /* unknown event, bit 31 set, bad entry points, flags */
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 5, HANDLER, 0, 0, 0), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 0x80000001, HANDLER, 0, 0, 0), ==,
                    SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 0, 0, 0, 0, 0), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 0, HANDLER + 2, 0, 0, 0), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 0, 0x1000, 0, 0, 0), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 0, HANDLER, 0, 2, 0), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call(c, SDEI_EVENT_ENABLE, 0, 0), ==, SDEI_DENIED);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 0x80000001, 0), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call(c, SDEI_EVENT_CONTEXT, 0, 0), ==, SDEI_DENIED);
    g_assert_cmpint(call(c, SDEI_EVENT_COMPLETE, 0, 0), ==, SDEI_DENIED);
    g_assert_cmpint(call(c, SDEI_EVENT_SIGNAL, 5, 0x80000000), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call(c, SDEI_EVENT_SIGNAL, 0, 0x7), ==, SDEI_INVALID_PARAMETERS);
    /* a dynamic event cannot be registered before it is bound */
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 1000, HANDLER, 0, 0, 0), ==, SDEI_DENIED);
    /* GET_INFO of event 0: private, signalable, normal; routing: private -> invalid */
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 0, 0), ==, 0);
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 0, 1), ==, 1);
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 1, 2), ==, 1);   /* event 1 is critical */
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 0, 3), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 0, 9), ==, SDEI_INVALID_PARAMETERS);
    g_assert_cmpint(call(c, SDEI_EVENT_ROUTING_SET, 0, 0), ==, SDEI_INVALID_PARAMETERS);
    /* only the client EL (EL2 here) may call */
    c->el = 1;
    g_assert_cmpint(call(c, SDEI_VERSION, 0, 0), ==, SDEI_NOT_SUPPORTED);
    teardown();
}

static void test_signal_dispatch_complete(void)
{
    setup();
    CPUState *c = m->cpus[0];
    g_assert_cmpint(call(c, SDEI_PE_UNMASK, 0, 0), ==, 0);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 0, HANDLER, 0xa5, 0, 0), ==, 0);
    g_assert_cmpint(call(c, SDEI_EVENT_REGISTER, 0, HANDLER), ==, SDEI_DENIED);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 0, 0), ==, G);
    /* signalled while disabled: stays pending until ENABLE */
    g_assert_cmpint(call(c, SDEI_EVENT_SIGNAL, 0, 0x80000000), ==, 0);
    g_assert_cmphex(c->pc, ==, CODE + 4 * 5);
    for (int i = 4; i < 31; i++) {
        c->x[i] = 0x100 + (uint64_t)i;
    }
    c->nzcv = PSTATE_Z | PSTATE_C;
    c->daif = 0;
    c->sr.ELR_ELx[2] = 0x1234;
    c->sr.SPSR_ELx[2] = 0x5678;
    uint64_t smc_pc = c->pc;
    call(c, SDEI_EVENT_ENABLE, 0, 0);
    /* entered the handler on return from ENABLE */
    g_assert_cmphex(c->pc, ==, HANDLER);
    g_assert_cmphex(c->x[0], ==, 0);
    g_assert_cmphex(c->x[1], ==, 0xa5);
    g_assert_cmphex(c->x[2], ==, smc_pc + 4);
    g_assert_cmphex(c->x[3], ==, PSTATE_Z | PSTATE_C | (2 << 2) | 1);
    g_assert_cmphex(c->x[4], ==, 0x104);
    g_assert_cmpuint(c->el, ==, 2);
    g_assert_cmpuint(c->spsel, ==, 1);
    g_assert_cmphex(c->daif, ==, 0x3c0);
    g_assert_cmphex(c->sr.ELR_ELx[2], ==, 0x1234);
    g_assert_cmphex(c->sr.SPSR_ELx[2], ==, 0x5678);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 0, 0), ==, G | E | R);
    /* CONTEXT: the interrupted x0 (ENABLE's SUCCESS), x4, x17; 18 is invalid */
    g_assert_cmpint(call(c, SDEI_EVENT_CONTEXT, 0, 0), ==, 0);
    g_assert_cmphex(call(c, SDEI_EVENT_CONTEXT, 4, 0), ==, 0x104);
    g_assert_cmphex(call(c, SDEI_EVENT_CONTEXT, 17, 0), ==, 0x111);
    g_assert_cmpint(call(c, SDEI_EVENT_CONTEXT, 18, 0), ==, SDEI_INVALID_PARAMETERS);
    /* a second signal while running stays pending */
    uint64_t hpc = c->pc;
    g_assert_cmpint(call(c, SDEI_EVENT_SIGNAL, 0, 0x80000000), ==, 0);
    g_assert_cmphex(c->pc, ==, hpc + 4);        /* not re-dispatched */
    c->x[20] = 0xdead;
    c->x[4] = 0x999;
    call(c, SDEI_EVENT_COMPLETE, 0, 0);
    /* ...so COMPLETE restores and immediately re-dispatches with the restored context */
    g_assert_cmphex(c->pc, ==, HANDLER);
    g_assert_cmphex(c->x[2], ==, smc_pc + 4);
    g_assert_cmphex(call(c, SDEI_EVENT_CONTEXT, 4, 0), ==, 0x104);
    call(c, SDEI_EVENT_COMPLETE, 0, 0);
    g_assert_cmphex(c->pc, ==, smc_pc + 4);
    g_assert_cmphex(c->x[0], ==, 0);
    g_assert_cmphex(c->x[4], ==, 0x104);
    g_assert_cmphex(c->x[20], ==, 0xdead);     /* x18-x30 are the handler's */
    g_assert_cmphex(c->nzcv, ==, PSTATE_Z | PSTATE_C);
    g_assert_cmphex(c->daif, ==, 0);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 0, 0), ==, G | E);

    /* COMPLETE_AND_RESUME: ELR/SPSR = interrupted PC/PSTATE, PC = resume address */
    c->sr.VBAR_ELx[2] = VIRT_RAM_BASE + 0x8000;
    smc_pc = c->pc;
    call(c, SDEI_EVENT_SIGNAL, 0, 0x80000000);
    g_assert_cmphex(c->pc, ==, HANDLER);
    g_assert_cmpint(call(c, SDEI_EVENT_COMPLETE_AND_RESUME, 2, 0), ==, SDEI_DENIED);   /* misaligned */
    call(c, SDEI_EVENT_COMPLETE_AND_RESUME, VIRT_RAM_BASE + 0x8280, 0);
    g_assert_cmphex(c->pc, ==, VIRT_RAM_BASE + 0x8280);
    g_assert_cmphex(c->sr.ELR_ELx[2], ==, smc_pc + 4);
    g_assert_cmphex(c->sr.SPSR_ELx[2], ==, PSTATE_Z | PSTATE_C | (2 << 2) | 1);
    g_assert_cmphex(c->daif, ==, 0x3c0);
    g_assert_cmphex(c->x[0], ==, 0);            /* the interrupted x0 */
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 0, 0), ==, G | E);

    /* masked PE: a signal is lost */
    g_assert_cmpint(call(c, SDEI_PE_MASK, 0, 0), ==, 1);
    g_assert_cmpint(call(c, SDEI_PE_MASK, 0, 0), ==, 0);
    uint64_t pc = c->pc;
    call(c, SDEI_EVENT_SIGNAL, 0, 0x80000000);
    g_assert_cmphex(c->pc, ==, pc + 4);
    call(c, SDEI_PE_UNMASK, 0, 0);
    g_assert_cmphex(c->pc, ==, pc + 8);

    /* UNREGISTER while running: PENDING, then gone at COMPLETE */
    call(c, SDEI_EVENT_SIGNAL, 0, 0x80000000);
    g_assert_cmphex(c->pc, ==, HANDLER);
    g_assert_cmpint(call(c, SDEI_EVENT_UNREGISTER, 0, 0), ==, SDEI_PENDING);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 0, 0), ==, R);
    g_assert_cmpint(call(c, SDEI_EVENT_UNREGISTER, 0, 0), ==, SDEI_PENDING);
    g_assert_cmpint(call(c, SDEI_EVENT_ENABLE, 0, 0), ==, SDEI_DENIED);
    call(c, SDEI_EVENT_COMPLETE, 0, 0);
    g_assert_cmphex(c->pc, ==, pc + 12);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 0, 0), ==, 0);
    teardown();
}

static void test_other_pe_and_cpu_on(void)
{
    setup();
    CPUState *c0 = m->cpus[0], *c1 = m->cpus[1];
    call(c1, SDEI_PE_UNMASK, 0, 0);
    call6(c1, SDEI_EVENT_REGISTER, 0, HANDLER2, 7, 0, 0);
    call(c1, SDEI_EVENT_ENABLE, 0, 0);
    call6(c0, SDEI_EVENT_REGISTER, 0, HANDLER, 6, 0, 0);   /* its own entry point */
    c1->halted = true;                                     /* in WFI */
    uint64_t pc1 = c1->pc;
    g_assert_cmpint(call(c0, SDEI_EVENT_SIGNAL, 0, 0x80000001), ==, 0);
    g_assert_cmphex(c1->pc, ==, pc1);                      /* at its next boundary, not now */
    run_deferred();
    g_assert_false(c1->halted);
    g_assert_cmphex(c1->pc, ==, HANDLER2);
    g_assert_cmphex(c1->x[1], ==, 7);
    g_assert_cmphex(c1->x[2], ==, pc1);
    g_assert_cmpint(call(c0, SDEI_EVENT_STATUS, 0, 0), ==, G);   /* private: CPU0's own state */
    /* CPU_ON resets the PE's private state: masked, nothing registered */
    sdei_cpu_on(c1);
    c1->el = 2;
    g_assert_cmpint(call(c1, SDEI_EVENT_STATUS, 0, 0), ==, 0);
    g_assert_cmpint(call(c1, SDEI_PE_MASK, 0, 0), ==, 0);
    teardown();
}

static void test_bind_and_priorities(void)
{
    setup();
    CPUState *c = m->cpus[0];
    call(c, SDEI_PE_UNMASK, 0, 0);
    g_assert_cmpint(call(c, SDEI_INTERRUPT_BIND, 15, 0), ==, SDEI_INVALID_PARAMETERS);   /* SGI */
    g_assert_cmpint(call(c, SDEI_INTERRUPT_BIND, 5000, 0), ==, SDEI_INVALID_PARAMETERS);
    int64_t ev = call(c, SDEI_INTERRUPT_BIND, 30, 0);
    g_assert_cmpint(ev, ==, 1000);
    g_assert_cmpint(call(c, SDEI_INTERRUPT_BIND, 30, 0), ==, 1000);   /* same binding */
    g_assert_cmpint(call(c, SDEI_INTERRUPT_BIND, 40, 0), ==, 2000);
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 2000, 0), ==, 1);    /* shared */
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 2000, 3), ==, SDEI_DENIED);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 1000, HANDLER, 0x30, 0, 0), ==, 0);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 1, HANDLER2, 0x1, 0, 0), ==, 0);
    call(c, SDEI_EVENT_ENABLE, 1000, 0);
    call(c, SDEI_EVENT_ENABLE, 1, 0);
    g_assert_cmpint(call(c, SDEI_INTERRUPT_RELEASE, 1000, 0), ==, SDEI_DENIED);   /* registered */

    /* the bound PPI fires: the firmware takes it, not the IRQ line */
    IRQLine ppi = gicv3_ppi_line(gic, 0, 30);
    uint64_t pc = c->pc;
    irq_set_level(&ppi, true);
    g_assert_false(c->irq_lines & CPU_LINE_IRQ);
    run_deferred();
    g_assert_cmphex(c->pc, ==, HANDLER);
    g_assert_cmphex(c->x[0], ==, 1000);
    g_assert_cmphex(c->x[2], ==, pc);
    /* the critical event (SGI 15) pre-empts the normal handler */
    IRQLine sgi = gicv3_ppi_line(gic, 0, 15);
    c->pc = HANDLER + 8;
    irq_set_level(&sgi, true);
    irq_set_level(&sgi, false);
    run_deferred();
    g_assert_cmphex(c->pc, ==, HANDLER2);
    g_assert_cmphex(c->x[0], ==, 1);
    g_assert_cmphex(c->x[2], ==, HANDLER + 8);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 1000, 0), ==, G | E | R);
    /* another critical one waits for this one */
    c->pc = HANDLER2 + 4;
    irq_set_level(&sgi, true);
    irq_set_level(&sgi, false);
    run_deferred();
    g_assert_cmphex(c->pc, ==, HANDLER2 + 4);
    call(c, SDEI_EVENT_COMPLETE, 0, 0);
    g_assert_cmphex(c->pc, ==, HANDLER2);      /* the second critical event, on the normal handler */
    g_assert_cmphex(c->x[2], ==, HANDLER + 8);
    call(c, SDEI_EVENT_COMPLETE, 0, 0);
    g_assert_cmphex(c->pc, ==, HANDLER + 8);   /* back in the normal handler */
    /* the handler lowers the level PPI (as it would stop the timer) before COMPLETE */
    irq_set_level(&ppi, false);
    call(c, SDEI_EVENT_COMPLETE, 0, 0);
    g_assert_cmphex(c->pc, ==, pc);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 1000, 0), ==, G | E);

    /* shared event: routing, then SHARED_RESET releases the bindings */
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 2000, HANDLER, 0, 1, 0x80000001), ==, 0);
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 2000, 3), ==, 1);
    g_assert_cmpint(call(c, SDEI_EVENT_GET_INFO, 2000, 4), ==, 0x80000001 & 0xffffff);
    g_assert_cmpint(call6(c, SDEI_EVENT_ROUTING_SET, 2000, 0, 0, 0, 0), ==, 0);
    call(c, SDEI_EVENT_ENABLE, 2000, 0);
    g_assert_cmpint(call6(c, SDEI_EVENT_ROUTING_SET, 2000, 0, 0, 0, 0), ==, SDEI_DENIED);
    g_assert_cmpint(call(c, SDEI_SHARED_RESET, 0, 0), ==, SDEI_DENIED);   /* 1000 still registered */
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 2000, 0), ==, 0);
    g_assert_cmpint(call(c, SDEI_PRIVATE_RESET, 0, 0), ==, 0);
    g_assert_cmpint(call(c, SDEI_EVENT_STATUS, 1000, 0), ==, 0);
    g_assert_cmpint(call(c, SDEI_SHARED_RESET, 0, 0), ==, 0);
    g_assert_cmpint(call6(c, SDEI_EVENT_REGISTER, 1000, HANDLER, 0, 0, 0), ==, SDEI_DENIED);   /* released */
    /* unclaimed, the PPI is an ordinary interrupt again */
    pc = c->pc;
    irq_set_level(&ppi, true);
    run_deferred();
    g_assert_cmphex(c->pc, ==, pc);
    teardown();
}

/* No SDEI without its state (-M virt,sdei=off) or with -bios: the ID range is unknown. */
static void test_absent(void)
{
    Machine *mm = dev_test_machine_new(1, 1 << 20, true);
    CPUState *c = mm->cpus[0];
    c->sr.SCR_EL3 = SCR_NS | SCR_RW | SCR_HCE;
    c->el = 2;
    g_assert_false(sdei_present(mm));
    g_assert_cmpint(call(c, SDEI_VERSION, 0, 0), ==, SDEI_NOT_SUPPORTED);
    sdei_create(mm);
    g_assert_true(sdei_present(mm));
    g_assert_cmphex(call(c, SDEI_VERSION, 0, 0), ==, SDEI_VERSION_1_1);
    mm->opts.bios = "fw.bin";
    g_assert_false(sdei_present(mm));
    sdei_destroy(mm);
    dev_test_machine_free(mm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sdei/state-table", test_state_table);
    g_test_add_func("/sdei/version-errors", test_version_and_errors);
    g_test_add_func("/sdei/signal-dispatch-complete", test_signal_dispatch_complete);
    g_test_add_func("/sdei/other-pe-cpu-on", test_other_pe_and_cpu_on);
    g_test_add_func("/sdei/bind-priorities", test_bind_and_priorities);
    g_test_add_func("/sdei/absent", test_absent);
    return g_test_run();
}
