/*
 * SDEI (Arm DEN0054 v1.1) from the client's side, at EL2 (the default
 * machine) or at EL1 (-M virt,virtualization=off: the client EL is then
 * EL1 and the conduit HVC). Checks: VERSION and FEATURES; error codes for
 * unknown events, bit 31 set, bad entry points, calls in the wrong state;
 * event 0 registered, enabled and signalled to this PE: the handler entry
 * (x0-x3, EL, SPSel, DAIF, ELR/SPSR untouched), EVENT_CONTEXT, COMPLETE
 * restoring x0-x17, PC and PSTATE, COMPLETE_AND_RESUME entering the resume
 * address as an exception (ELR/SPSR = interrupted PC/PSTATE); the status
 * transitions; PE_MASK losing a signal; a disabled event staying pending;
 * UNREGISTER from the running handler (PENDING, then unregistered at
 * COMPLETE); INTERRUPT_BIND of the EL1 physical timer PPI (30) taken by
 * the firmware with PSTATE.I set, held off while the PE is masked;
 * INTERRUPT_BIND of an SPI (shared event, routing info); a critical event
 * (Tandem's event 1, bound to SGI 15) pre-empting the normal handler;
 * PRIVATE_RESET and SHARED_RESET.
 *
 * QEMU 7.2 has no SDEI (SDEI_VERSION answers NOT_SUPPORTED), so this guest
 * fails there: its manifest lines are qemu:xfail.
 */
#include "guest.h"

#define SDEI_FN(n) (0xc4000020u + (n))
#define SDEI_VERSION SDEI_FN(0x00)
#define SDEI_EVENT_REGISTER SDEI_FN(0x01)
#define SDEI_EVENT_ENABLE SDEI_FN(0x02)
#define SDEI_EVENT_DISABLE SDEI_FN(0x03)
#define SDEI_EVENT_CONTEXT SDEI_FN(0x04)
#define SDEI_EVENT_COMPLETE SDEI_FN(0x05)
#define SDEI_EVENT_COMPLETE_AND_RESUME SDEI_FN(0x06)
#define SDEI_EVENT_UNREGISTER SDEI_FN(0x07)
#define SDEI_EVENT_STATUS SDEI_FN(0x08)
#define SDEI_EVENT_GET_INFO SDEI_FN(0x09)
#define SDEI_EVENT_ROUTING_SET SDEI_FN(0x0a)
#define SDEI_PE_MASK SDEI_FN(0x0b)
#define SDEI_PE_UNMASK SDEI_FN(0x0c)
#define SDEI_INTERRUPT_BIND SDEI_FN(0x0d)
#define SDEI_INTERRUPT_RELEASE SDEI_FN(0x0e)
#define SDEI_EVENT_SIGNAL SDEI_FN(0x0f)
#define SDEI_FEATURES SDEI_FN(0x10)
#define SDEI_PRIVATE_RESET SDEI_FN(0x11)
#define SDEI_SHARED_RESET SDEI_FN(0x12)

#define NOT_SUPPORTED (-1)
#define INVALID_PARAMETERS (-2)
#define DENIED (-3)
#define PENDING (-5)

/* The PSTATE bits the guest knows at a call: DAIF, EL, SPSel (NZCV are the compiler's). */
#define PSTATE_CHECKED 0x3cfULL

#define ST_REGISTERED 1
#define ST_ENABLED 2
#define ST_RUNNING 4

/* entry.S */
extern char sdei_entry[], sdei_resume[], sdei_call_ret[], sdei_call_ret_hvc[];
uint64_t sdei_call_rec(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
uint32_t sdei_use_hvc;
uint64_t sdei_after[18];
uint64_t sdei_complete_failed;
volatile uint64_t sdei_resume_seen[4];   /* ELR, SPSR, DAIF, reached */

typedef struct { uint64_t fid, arg; } Completion;
Completion sdei_handler_c(uint64_t ev, uint64_t arg, uint64_t pc, uint64_t pstate);

/* What the handler does (set by the test before the event fires). */
enum { H_COMPLETE, H_RESUME, H_UNREGISTER, H_TIMER, H_CRITICAL };
static volatile int scenario;

typedef struct Entry {
    uint64_t ev, arg, pc, pstate;
    uint64_t el, spsel, daif, elr, spsr;
    int64_t ctx[5];                   /* CONTEXT(0), (2), (6), (17), (18) */
    int64_t status, unreg, status_after_unreg;
    uint64_t crit_seen_in_normal;
    uint64_t mpidr;                   /* the PE the handler ran on */
} Entry;
#define MAX_ENTRIES 32
static volatile Entry entries[MAX_ENTRIES];
static volatile unsigned n_entries, n_critical;

static int64_t sdei(uint64_t fid, uint64_t a1, uint64_t a2)
{
    return (int64_t)psci_call(fid, a1, a2, 0);
}

static int64_t sdei6(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    return (int64_t)sdei_call_rec(fid, a1, a2, a3, a4, a5);
}

static uint64_t client_el(void) { return boot_el; }
static uint64_t my_mpidr(void) { return read_sysreg(MPIDR_EL1) & 0xff00ffffffULL; }
static uint64_t call_ret_pc(void)
{
    return (uint64_t)(uintptr_t)(sdei_use_hvc ? sdei_call_ret_hvc : sdei_call_ret);
}

static uint64_t read_elr(void) { return client_el() == 2 ? read_sysreg(ELR_EL2) : read_sysreg(ELR_EL1); }
static uint64_t read_spsr(void) { return client_el() == 2 ? read_sysreg(SPSR_EL2) : read_sysreg(SPSR_EL1); }
static void write_elr_spsr(uint64_t elr, uint64_t spsr)
{
    if (client_el() == 2) {
        write_sysreg(elr, ELR_EL2);
        write_sysreg(spsr, SPSR_EL2);
    } else {
        write_sysreg(elr, ELR_EL1);
        write_sysreg(spsr, SPSR_EL1);
    }
}

Completion sdei_handler_c(uint64_t ev, uint64_t arg, uint64_t pc, uint64_t pstate)
{
    Completion c = { SDEI_EVENT_COMPLETE, 0 };
    if (ev == 1) {
        /* the critical event: note which normal handler it interrupted */
        n_critical++;
        if (n_entries) {
            entries[n_entries - 1].crit_seen_in_normal = pc;
        }
        return c;
    }
    unsigned i = n_entries < MAX_ENTRIES ? n_entries : MAX_ENTRIES - 1;
    volatile Entry *e = &entries[i];
    e->ev = ev;
    e->arg = arg;
    e->pc = pc;
    e->pstate = pstate;
    e->el = (read_sysreg(CurrentEL) >> 2) & 3;
    e->spsel = read_sysreg(SPSel) & 1;
    e->daif = read_sysreg(DAIF);
    e->elr = read_elr();
    e->spsr = read_spsr();
    static const uint64_t ctx_regs[5] = { 0, 2, 6, 17, 18 };
    for (int k = 0; k < 5; k++) {
        e->ctx[k] = sdei(SDEI_EVENT_CONTEXT, ctx_regs[k], 0);
    }
    e->status = sdei(SDEI_EVENT_STATUS, ev, 0);
    e->mpidr = my_mpidr();
    n_entries++;
    switch (scenario) {
    case H_RESUME:
        c.fid = SDEI_EVENT_COMPLETE_AND_RESUME;
        c.arg = (uint64_t)(uintptr_t)sdei_resume;
        break;
    case H_UNREGISTER:
        e->unreg = sdei(SDEI_EVENT_UNREGISTER, ev, 0);
        e->status_after_unreg = sdei(SDEI_EVENT_STATUS, ev, 0);
        break;
    case H_TIMER:
        write_sysreg(0, CNTP_CTL_EL0);   /* lower the level-sensitive timer PPI */
        isb();
        break;
    case H_CRITICAL: {
        /* SGI 15 to this PE (Group 0: ICC_SGI0R_EL1, Aff0 target list bit) */
        uint64_t mpidr = my_mpidr();
        uint64_t v = (15ULL << 24) | (1ULL << (mpidr & 0xf)) | (((mpidr >> 8) & 0xff) << 16) |
                     (((mpidr >> 16) & 0xff) << 32) | (((mpidr >> 32) & 0xff) << 48);
        write_sysreg(v, ICC_SGI0R_EL1);
        isb();
        for (int k = 0; k < 100000 && !n_critical; k++) {
            __asm__ volatile("nop");
        }
        break;
    }
    default:
        break;
    }
    return c;
}

static bool wait_entries(unsigned n)
{
    for (int k = 0; k < 2000000 && n_entries < n; k++) {
        __asm__ volatile("nop");
    }
    return n_entries >= n;
}

static void test_errors(void)
{
    uint64_t h = (uint64_t)(uintptr_t)sdei_entry;
    report(sdei6(SDEI_EVENT_REGISTER, 12345, h, 0, 0, 0) == INVALID_PARAMETERS,
           "REGISTER of an unknown event: INVALID_PARAMETERS");
    report(sdei6(SDEI_EVENT_REGISTER, 0x80000000u, h, 0, 0, 0) == INVALID_PARAMETERS,
           "REGISTER of an event number with bit 31 set: INVALID_PARAMETERS");
    report(sdei6(SDEI_EVENT_REGISTER, 0, 0, 0, 0, 0) == INVALID_PARAMETERS,
           "REGISTER with entry point 0: INVALID_PARAMETERS");
    report(sdei6(SDEI_EVENT_REGISTER, 0, h + 2, 0, 0, 0) == INVALID_PARAMETERS,
           "REGISTER with a misaligned entry point: INVALID_PARAMETERS");
    report(sdei6(SDEI_EVENT_REGISTER, 0, h, 0, 4, 0) == INVALID_PARAMETERS,
           "REGISTER with reserved flags: INVALID_PARAMETERS");
    report(sdei(SDEI_EVENT_ENABLE, 0, 0) == DENIED, "ENABLE of an unregistered event: DENIED");
    report(sdei(SDEI_EVENT_DISABLE, 0, 0) == DENIED, "DISABLE of an unregistered event: DENIED");
    report(sdei(SDEI_EVENT_UNREGISTER, 0, 0) == DENIED, "UNREGISTER of an unregistered event: DENIED");
    report(sdei(SDEI_EVENT_ENABLE, 777, 0) == INVALID_PARAMETERS, "ENABLE of an unknown event: INVALID_PARAMETERS");
    report(sdei(SDEI_EVENT_STATUS, 0x80000001u, 0) == INVALID_PARAMETERS,
           "STATUS of event 0x80000001: INVALID_PARAMETERS");
    report(sdei(SDEI_EVENT_CONTEXT, 0, 0) == DENIED, "CONTEXT outside a handler: DENIED");
    report(sdei(SDEI_EVENT_COMPLETE, 0, 0) == DENIED, "COMPLETE outside a handler: DENIED");
    report(sdei(SDEI_EVENT_COMPLETE_AND_RESUME, (uint64_t)(uintptr_t)sdei_resume, 0) == DENIED,
           "COMPLETE_AND_RESUME outside a handler: DENIED");
    report(sdei(SDEI_EVENT_SIGNAL, 5, my_mpidr()) == INVALID_PARAMETERS, "SIGNAL of event 5: INVALID_PARAMETERS");
    report(sdei(SDEI_EVENT_GET_INFO, 0, 0) == 0, "GET_INFO(0, EV_TYPE) = private");
    report(sdei(SDEI_EVENT_GET_INFO, 0, 1) == 1, "GET_INFO(0, EV_SIGNALED) = 1");
    report(sdei(SDEI_EVENT_GET_INFO, 0, 2) == 0, "GET_INFO(0, EV_PRIORITY) = normal");
    report(sdei(SDEI_EVENT_GET_INFO, 0, 3) == INVALID_PARAMETERS,
           "GET_INFO(0, ROUTING_MODE): INVALID_PARAMETERS (private event)");
    report(sdei6(SDEI_EVENT_ROUTING_SET, 0, 0, 0, 0, 0) == INVALID_PARAMETERS,
           "ROUTING_SET of a private event: INVALID_PARAMETERS");
    report(sdei(SDEI_INTERRUPT_BIND, 3, 0) == INVALID_PARAMETERS, "INTERRUPT_BIND of an SGI: INVALID_PARAMETERS");
}

static void check_entry(volatile Entry *e, uint64_t ev, uint64_t arg, uint64_t pc, uint64_t pstate,
                        uint64_t elr, uint64_t spsr, const char *what)
{
    report(e->ev == ev && e->arg == arg, "%s: x0 = event %lu, x1 = argument 0x%lx", what, e->ev, e->arg);
    report(e->pc == pc, "%s: x2 = interrupted PC (0x%lx, want 0x%lx)", what, e->pc, pc);
    report((e->pstate & PSTATE_CHECKED) == pstate, "%s: x3 = interrupted PSTATE (0x%lx, want 0x%lx)", what, e->pstate, pstate);
    report(e->el == client_el() && e->spsel == 1 && e->daif == 0x3c0,
           "%s: handler at EL%lu, SPSel %lu, DAIF 0x%lx", what, e->el, e->spsel, e->daif);
    report(e->elr == elr && e->spsr == spsr, "%s: ELR/SPSR of the client EL untouched", what);
}

static void test_event0(void)
{
    uint64_t h = (uint64_t)(uintptr_t)sdei_entry;
    uint64_t me = my_mpidr();
    uint64_t pstate_here = read_sysreg(DAIF) | (client_el() << 2) | 1;
    report(sdei6(SDEI_EVENT_REGISTER, 0, h, 0xa5, 0, 0) == 0, "REGISTER(0) with argument 0xa5");
    report(sdei6(SDEI_EVENT_REGISTER, 0, h, 0xa5, 0, 0) == DENIED, "REGISTER(0) again: DENIED");
    report(sdei(SDEI_EVENT_STATUS, 0, 0) == ST_REGISTERED, "STATUS(0) = registered");
    report(sdei(SDEI_EVENT_ENABLE, 0, 0) == 0, "ENABLE(0)");
    report(sdei(SDEI_EVENT_STATUS, 0, 0) == (ST_REGISTERED | ST_ENABLED), "STATUS(0) = registered|enabled");

    /* PE masked (every PE starts masked): the signal is lost */
    report(sdei(SDEI_PE_MASK, 0, 0) == 0, "PE_MASK on a masked PE returns 0");
    sdei6(SDEI_EVENT_SIGNAL, 0, me, 0, 0, 0);
    report(n_entries == 0, "no dispatch while the PE is masked");
    report(sdei(SDEI_PE_UNMASK, 0, 0) == 0, "PE_UNMASK returns SUCCESS");
    report(n_entries == 0, "the signal sent while masked was lost");

    /* signal to this PE: taken on return from the call; the interrupted
     * context runs with DAIF clear (no interrupt is enabled in the GIC),
     * so the handler's masked DAIF is the dispatch's doing */
    __asm__ volatile("msr daifclr, #0xf" : : : "memory");
    pstate_here = read_sysreg(DAIF) | (client_el() << 2) | 1;
    scenario = H_COMPLETE;
    write_elr_spsr(0x1234560, 0x3c5);
    int64_t r = sdei6(SDEI_EVENT_SIGNAL, 0, me, 0x333, 0x444, 0x555);
    report(r == 0 && n_entries == 1, "SIGNAL(0, self) returns SUCCESS after the handler ran once (%ld, %u)", r,
           n_entries);
    check_entry(&entries[0], 0, 0xa5, call_ret_pc(), pstate_here, 0x1234560, 0x3c5, "event 0");
    report(entries[0].ctx[0] == 0 && entries[0].ctx[1] == (int64_t)me && entries[0].ctx[2] == 0x606 &&
           entries[0].ctx[3] == 0x1717,
           "CONTEXT(0, 2, 6, 17) = the interrupted x0 (SUCCESS), x2, x6, x17");
    report(entries[0].ctx[4] == INVALID_PARAMETERS, "CONTEXT(18): INVALID_PARAMETERS");
    report(entries[0].status == (ST_REGISTERED | ST_ENABLED | ST_RUNNING), "STATUS in the handler = 0b111");
    report(sdei_after[0] == 0 && sdei_after[2] == me && sdei_after[3] == 0x333 && sdei_after[4] == 0x444 &&
           sdei_after[5] == 0x555 && sdei_after[6] == 0x606 && sdei_after[15] == 0x60f && sdei_after[17] == 0x1717,
           "COMPLETE restored x0-x17 of the interrupted context");
    report(sdei(SDEI_EVENT_STATUS, 0, 0) == (ST_REGISTERED | ST_ENABLED), "STATUS after COMPLETE = 0b011");
    report(sdei_complete_failed == 0, "COMPLETE did not fail");

    /* COMPLETE_AND_RESUME */
    scenario = H_RESUME;
    uint64_t before = n_entries;
    sdei_call_rec(SDEI_EVENT_SIGNAL, 0, me, 0, 0, 0);
    report(n_entries == before + 1 && sdei_resume_seen[3] == 1, "COMPLETE_AND_RESUME entered the resume address");
    report(sdei_resume_seen[0] == call_ret_pc(), "resume: ELR = interrupted PC (0x%lx)", sdei_resume_seen[0]);
    report((sdei_resume_seen[1] & PSTATE_CHECKED) == pstate_here,
           "resume: SPSR = interrupted PSTATE (0x%lx, want 0x%lx)", sdei_resume_seen[1], pstate_here);
    report(sdei_resume_seen[2] == 0x3c0, "resume: DAIF masked");
    report(sdei_after[0] == 0 && sdei_after[6] == 0x606, "ERET from the resume point returned to the call");
    report(read_sysreg(DAIF) == 0, "DAIF clear again after the ERET");
    __asm__ volatile("msr daifset, #0xf" : : : "memory");

    /* disabled: the signal stays pending until ENABLE */
    scenario = H_COMPLETE;
    report(sdei(SDEI_EVENT_DISABLE, 0, 0) == 0, "DISABLE(0)");
    before = n_entries;
    sdei6(SDEI_EVENT_SIGNAL, 0, me, 0, 0, 0);
    report(n_entries == before, "no dispatch while disabled");
    report(sdei(SDEI_EVENT_STATUS, 0, 0) == ST_REGISTERED, "STATUS = registered");
    sdei6(SDEI_EVENT_ENABLE, 0, 0, 0, 0, 0);
    report(n_entries == before + 1, "the pending signal is dispatched on ENABLE's return");
    report(entries[before].pc == call_ret_pc() && entries[before].ctx[0] == 0,
           "...interrupting the ENABLE's return (x0 = SUCCESS)");

    /* UNREGISTER from the running handler */
    scenario = H_UNREGISTER;
    before = n_entries;
    sdei6(SDEI_EVENT_SIGNAL, 0, me, 0, 0, 0);
    report(n_entries == before + 1, "dispatched");
    report(entries[before].unreg == PENDING, "UNREGISTER while running: PENDING (%ld)", entries[before].unreg);
    report(entries[before].status_after_unreg == ST_RUNNING, "STATUS = running only (unregister pending)");
    report(sdei(SDEI_EVENT_STATUS, 0, 0) == 0, "after COMPLETE: unregistered");
    sdei6(SDEI_EVENT_SIGNAL, 0, me, 0, 0, 0);
    report(n_entries == before + 1, "no dispatch after the unregistration");
}

static void test_timer_bind(void)
{
    uint64_t h = (uint64_t)(uintptr_t)sdei_entry;
    int64_t ev = sdei(SDEI_INTERRUPT_BIND, 30, 0);
    report(ev >= 0, "INTERRUPT_BIND(PPI 30) gives an event (%ld)", ev);
    if (ev < 0) {
        return;
    }
    report(sdei(SDEI_INTERRUPT_BIND, 30, 0) == ev, "binding it again gives the same event");
    report(sdei(SDEI_EVENT_GET_INFO, ev, 0) == 0, "a PPI's event is private");
    report(sdei6(SDEI_EVENT_REGISTER, ev, h, 0x77, 0, 0) == 0, "REGISTER the bound event");
    report(sdei(SDEI_INTERRUPT_RELEASE, ev, 0) == DENIED, "INTERRUPT_RELEASE while registered: DENIED");
    sdei(SDEI_EVENT_ENABLE, ev, 0);
    scenario = H_TIMER;

    /* masked: the timer's interrupt is held, dispatched at PE_UNMASK */
    report(sdei(SDEI_PE_MASK, 0, 0) == 1, "PE_MASK returns 1 (it masked the PE)");
    unsigned before = n_entries;
    write_sysreg(0, CNTP_CTL_EL0);
    write_sysreg(50, CNTP_TVAL_EL0);
    write_sysreg(1, CNTP_CTL_EL0);
    isb();
    for (int k = 0; k < 20000; k++) {
        __asm__ volatile("nop");
    }
    report((read_sysreg(CNTP_CTL_EL0) & 4) && n_entries == before, "timer fired while masked: no dispatch");
    sdei6(SDEI_PE_UNMASK, 0, 0, 0, 0, 0);
    report(n_entries == before + 1, "dispatched on PE_UNMASK's return");
    report(entries[before].ev == (uint64_t)ev && entries[before].arg == 0x77 && entries[before].pc == call_ret_pc(),
           "x0 = bound event, x1 = 0x77, x2 = after PE_UNMASK");

    /* unmasked, interrupts masked in PSTATE: the firmware takes it anyway */
    before = n_entries;
    write_sysreg(100, CNTP_TVAL_EL0);
    write_sysreg(1, CNTP_CTL_EL0);
    isb();
    report(wait_entries(before + 1), "the timer PPI is taken as the bound event with PSTATE.I set");
    report(entries[before].ev == (uint64_t)ev && (entries[before].pstate & 0x80), "x0 = event, x3 has I set");
    report(sdei(SDEI_EVENT_STATUS, ev, 0) == (ST_REGISTERED | ST_ENABLED), "STATUS after COMPLETE = 0b011");

    /* an SPI binds to a shared event */
    int64_t sev = sdei(SDEI_INTERRUPT_BIND, 32 + 20, 0);
    report(sev >= 0 && sdei(SDEI_EVENT_GET_INFO, sev, 0) == 1, "INTERRUPT_BIND(SPI 52) gives a shared event");
    report(sdei(SDEI_EVENT_GET_INFO, sev, 3) == DENIED, "GET_INFO(ROUTING_MODE) of an unregistered shared event: DENIED");
    report(sdei6(SDEI_EVENT_REGISTER, sev, h, 0, 1, my_mpidr()) == 0, "REGISTER it routed to this PE (RM_PE)");
    report(sdei(SDEI_EVENT_GET_INFO, sev, 3) == 1 && sdei(SDEI_EVENT_GET_INFO, sev, 4) == (int64_t)my_mpidr(),
           "GET_INFO: routing mode RM_PE, affinity = this PE");
    report(sdei6(SDEI_EVENT_ROUTING_SET, sev, 0, 0, 0, 0) == 0, "ROUTING_SET(RM_ANY) while disabled");
    sdei(SDEI_EVENT_ENABLE, sev, 0);
    report(sdei6(SDEI_EVENT_ROUTING_SET, sev, 0, 0, 0, 0) == DENIED, "ROUTING_SET while enabled: DENIED");

    /* resets: SHARED_RESET first fails nothing here: private events are not shared */
    report(sdei(SDEI_SHARED_RESET, 0, 0) == DENIED, "SHARED_RESET with a bound private event still registered: DENIED");
    report(sdei(SDEI_EVENT_STATUS, sev, 0) == 0, "...but the shared event was unregistered");
    report(sdei(SDEI_PRIVATE_RESET, 0, 0) == 0, "PRIVATE_RESET");
    report(sdei(SDEI_EVENT_STATUS, ev, 0) == 0, "the bound private event is unregistered");
    report(sdei(SDEI_SHARED_RESET, 0, 0) == 0, "SHARED_RESET");
    report(sdei6(SDEI_EVENT_REGISTER, ev, h, 0, 0, 0) == DENIED, "the bindings are released (REGISTER: DENIED)");
    write_sysreg(0, CNTP_CTL_EL0);
}

static void test_critical(void)
{
    uint64_t h = (uint64_t)(uintptr_t)sdei_entry;
    if (sdei(SDEI_EVENT_GET_INFO, 1, 2) != 1) {
        report(false, "event 1 is a critical event (Tandem's platform event on SGI 15)");
        return;
    }
    report(sdei6(SDEI_EVENT_REGISTER, 1, h, 1, 0, 0) == 0, "REGISTER(1), critical");
    sdei(SDEI_EVENT_ENABLE, 1, 0);
    sdei6(SDEI_EVENT_REGISTER, 0, h, 0, 0, 0);
    sdei(SDEI_EVENT_ENABLE, 0, 0);
    scenario = H_CRITICAL;
    unsigned before = n_entries;
    n_critical = 0;
    sdei6(SDEI_EVENT_SIGNAL, 0, my_mpidr(), 0, 0, 0);
    report(n_entries == before + 1 && n_critical == 1, "the critical event ran once (%u)", n_critical);
    uint64_t in = entries[before].crit_seen_in_normal;
    report(in >= (uint64_t)(uintptr_t)sdei_handler_c && in < (uint64_t)(uintptr_t)sdei_handler_c + 0x1000,
           "...pre-empting the normal handler (x2 = 0x%lx)", in);
    report(sdei(SDEI_EVENT_STATUS, 1, 0) == (ST_REGISTERED | ST_ENABLED) &&
           sdei(SDEI_EVENT_STATUS, 0, 0) == (ST_REGISTERED | ST_ENABLED), "both completed");
    report(sdei(SDEI_PRIVATE_RESET, 0, 0) == 0, "PRIVATE_RESET");
}

/* ---- two PEs: event 0 signalled to the other PE, shared event routing ---- */

static volatile int cpu1_ready, cpu1_done;

static void cpu1_main(unsigned idx)
{
    uint64_t h = (uint64_t)(uintptr_t)sdei_entry;
    sdei(SDEI_PE_UNMASK, 0, 0);
    sdei6(SDEI_EVENT_REGISTER, 0, h, 0xb1, 0, 0);   /* its own argument for event 0 */
    sdei(SDEI_EVENT_ENABLE, 0, 0);
    cpu1_ready = 1;
    while (!cpu1_done) {
        __asm__ volatile("nop");      /* events are taken here, between blocks */
    }
    sdei(SDEI_PRIVATE_RESET, 0, 0);
    sdei(SDEI_PE_MASK, 0, 0);
    cpu1_ready = 2;
}

#define GICD_ISPENDR(n) (0x08000000ULL + 0x200 + 4 * (n))

static void test_smp(void)
{
    uint64_t h = (uint64_t)(uintptr_t)sdei_entry;
    uint64_t me = my_mpidr(), other = me ^ 1;   /* Aff0 0 <-> 1 */
    scenario = H_COMPLETE;
    report(smp_start_cpu(1, cpu1_main) == 0, "CPU 1 started");
    for (int k = 0; k < 5000000 && cpu1_ready != 1; k++) {
        __asm__ volatile("nop");
    }
    unsigned before = n_entries;
    report(sdei6(SDEI_EVENT_SIGNAL, 0, other, 0, 0, 0) == 0, "SIGNAL(0, CPU 1) returns SUCCESS");
    report(wait_entries(before + 1), "CPU 1 ran its event 0 handler");
    report(entries[before].mpidr == other && entries[before].arg == 0xb1,
           "...on CPU 1, with CPU 1's registered argument (0x%lx)", entries[before].arg);
    report(sdei(SDEI_EVENT_STATUS, 0, 0) == 0, "event 0 is still unregistered on CPU 0 (private)");

    /* a shared event routed to any PE goes to the unmasked one */
    int64_t sev = sdei(SDEI_INTERRUPT_BIND, 32 + 21, 0);
    report(sdei6(SDEI_EVENT_REGISTER, sev, h, 0x5e, 0, 0) == 0, "REGISTER the SPI 53 event with RM_ANY");
    sdei(SDEI_EVENT_ENABLE, sev, 0);
    sdei(SDEI_PE_MASK, 0, 0);
    before = n_entries;
    mmio_write32(GICD_ISPENDR(1), 1u << 21);    /* make SPI 53 pending */
    report(wait_entries(before + 1) && entries[before].mpidr == other && entries[before].ev == (uint64_t)sev,
           "RM_ANY: taken by CPU 1 while CPU 0 is masked (n %u/%u, mpidr 0x%lx, ev %lu)", n_entries, before + 1, entries[before].mpidr, entries[before].ev);
    sdei(SDEI_PE_UNMASK, 0, 0);
    report(n_entries == before + 1, "not taken again on CPU 0's unmask");
    /* RM_PE to CPU 0 */
    sdei(SDEI_EVENT_DISABLE, sev, 0);
    report(sdei6(SDEI_EVENT_ROUTING_SET, sev, 1, me, 0, 0) == 0, "ROUTING_SET(RM_PE, CPU 0)");
    sdei(SDEI_EVENT_ENABLE, sev, 0);
    before = n_entries;
    mmio_write32(GICD_ISPENDR(1), 1u << 21);
    report(wait_entries(before + 1) && entries[before].mpidr == me, "RM_PE: taken by CPU 0");
    cpu1_done = 1;
    for (int k = 0; k < 5000000 && cpu1_ready != 2; k++) {
        __asm__ volatile("nop");
    }
    report(sdei(SDEI_SHARED_RESET, 0, 0) == 0, "SHARED_RESET");
}

void guest_run(void)
{
    sdei_use_hvc = boot_el != 2;
    int64_t v = sdei(SDEI_VERSION, 0, 0);
    report(v >= 0 && (v >> 48) == 1, "SDEI_VERSION is 1.x (0x%lx)", v);
    if (v < 0) {
        guest_exit(1);   /* no SDEI (QEMU 7.2): nothing else can run */
    }
    report(((v >> 32) & 0xffff) >= 1, "SDEI 1.1 or later (EVENT_SIGNAL, FEATURES)");
    int64_t slots = sdei(SDEI_FEATURES, 0, 0);
    report(slots > 0 && (slots & 0xffff) && ((slots >> 16) & 0xffff),
           "FEATURES(BIND_SLOTS): private and shared slots (0x%lx)", slots);
    report(sdei(SDEI_FN(0x1f), 0, 0) == NOT_SUPPORTED, "an unassigned SDEI function: NOT_SUPPORTED");
    if (boot_el == 1) {
        write_sysreg(read_sysreg(ICC_SRE_EL1) | 1, ICC_SRE_EL1);
        isb();
    }
    test_errors();
    test_event0();
    test_timer_bind();
    test_critical();
    uint32_t len;
    if (fdt_getprop_path((const void *)boot_dtb, "/cpus/cpu@1", "reg", &len)) {
        test_smp();
    } else {
        report(false, "two CPUs (run with -smp 2)");
    }
}
