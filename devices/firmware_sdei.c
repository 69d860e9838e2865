/*
 * SDEI (Arm DEN0054 v1.1) in the built-in EL3 firmware: the event table,
 * the per-event handler state machine (a table, DEN0054 6.1), per-PE
 * private event state and dispatch stack (one normal and one critical
 * dispatch at most), shared event state, event 0 (EVENT_SIGNAL), interrupt
 * binding through the GIC model and the dispatch itself.
 *
 * Dispatch is "an FIQ taken to EL3 and an ERET into the client's handler":
 * the interrupted x0-x17, PC and PSTATE are saved, the handler is entered at
 * the client EL in AArch64 with SP_ELx selected and DAIF masked, x0 = event,
 * x1 = registered argument, x2 = interrupted PC, x3 = interrupted PSTATE
 * (SPSR layout); x4-x30, SP_ELx, ELR_ELx and SPSR_ELx are not touched.
 *
 * When it happens:
 *   - on the calling PE, on return from the SDEI call that made an event
 *     dispatchable (EVENT_SIGNAL to itself, ENABLE, PE_UNMASK, COMPLETE...):
 *     the interrupted PC is the instruction after the SMC, as an EL3 FIQ
 *     pending during the call would be taken right after its ERET;
 *   - otherwise (a bound interrupt fired, another PE signalled or enabled)
 *     from a zero-delay event on the machine's queue, which runs between
 *     vCPU turns, i.e. at the target's next block boundary, like an IRQ.
 */
#include "devices/firmware_sdei.h"

#include <inttypes.h>

#include <glib.h>

#include "core/event.h"
#include "core/log.h"
#include "cpu/features.h"
#include "cpu/regime.h"
#include "devices/gicv3.h"

#define SDEI_SAVED_REGS 18             /* x0-x17 */
#define SDEI_MAX_NESTING 2             /* one normal, one critical */
#define SDEI_NUM_PRIV_DYN 4
#define SDEI_NUM_SHARED_DYN 4
#define SDEI_PRIV_DYN_BASE 1000u
#define SDEI_SHARED_DYN_BASE 2000u
#define SDEI_CRITICAL_SGI 15

/* EVENT_REGISTER / ROUTING_SET flags: bit 0 routing mode. */
#define SDEI_RM_ANY 0
#define SDEI_RM_PE 1
/* EVENT_GET_INFO queries */
enum { SDEI_INFO_EV_TYPE, SDEI_INFO_EV_SIGNALED, SDEI_INFO_EV_PRIORITY, SDEI_INFO_EV_ROUTING_MODE,
       SDEI_INFO_EV_ROUTING_AFF };
/* SDEI_FEATURES: 0 = BIND_SLOTS: private slots [15:0], shared slots [31:16]. */
#define SDEI_FEATURE_BIND_SLOTS 0

#define MPIDR_AFF_MASK 0xff00ffffffULL

/* ---------------------------------------------------------------------- */
/* The handler state machine (DEN0054 6.1)                                */

#define G SDEI_ST_REGISTERED
#define E SDEI_ST_ENABLED
#define R SDEI_ST_RUNNING
#define NO_ SDEI_DENIED                 /* not allowed in this state */
#define SAME (-100)                     /* allowed, state unchanged */

/*
 * next[state][action]. Rows are the reachable states; E without G never
 * occurs (all NO_). UNREGISTER of a running handler moves it to "unregister
 * pending" (R) and returns PENDING (sdei_state_result); REGISTER is allowed
 * only from unregistered and not running, DISPATCH only when registered,
 * enabled and not running; CONTEXT and COMPLETE only while running.
 */
static const int sdei_table[SDEI_NUM_STATES][SDEI_NUM_ACTIONS] = {
    /*               REGISTER RELEASE ENABLE   DISABLE  UNREG  ROUTING CONTEXT COMPLETE DISPATCH */
    [0]         = {  G,       SAME,   NO_,     NO_,     NO_,   NO_,    NO_,    NO_,     NO_ },
    [G]         = {  NO_,     NO_,    G | E,   SAME,    0,     SAME,   NO_,    NO_,     NO_ },
    [G | E]     = {  NO_,     NO_,    SAME,    G,       0,     NO_,    NO_,    NO_,     G | E | R },
    [R]         = {  NO_,     NO_,    NO_,     NO_,     NO_,   NO_,    SAME,   0,       NO_ },
    [G | R]     = {  NO_,     NO_,    G | E | R, SAME,  R,     NO_,    SAME,   G,       NO_ },
    [G | E | R] = {  NO_,     NO_,    SAME,    G | R,   R,     NO_,    SAME,   G | E,   NO_ },
    [E]         = {  NO_,     NO_,    NO_,     NO_,     NO_,   NO_,    NO_,    NO_,     NO_ },
    [E | R]     = {  NO_,     NO_,    NO_,     NO_,     NO_,   NO_,    NO_,    NO_,     NO_ },
};

int sdei_state_next(unsigned state, SDEIAction action)
{
    if (state >= SDEI_NUM_STATES || (unsigned)action >= SDEI_NUM_ACTIONS) {
        return SDEI_DENIED;
    }
    int next = sdei_table[state][action];
    return next == SAME ? (int)state : next;
}

int sdei_state_result(unsigned state, SDEIAction action)
{
    int next = sdei_state_next(state, action);
    if (next < 0) {
        /* TF-A: an UNREGISTER that is refused while the handler runs (it is
         * already pending) still answers PENDING. */
        return action == SDEI_ACT_UNREGISTER && (state & R) ? SDEI_PENDING : next;
    }
    if (action == SDEI_ACT_UNREGISTER && (state & R)) {
        return SDEI_PENDING;
    }
    return SDEI_SUCCESS;
}

#undef G
#undef E
#undef R
#undef NO_
#undef SAME

/* ---------------------------------------------------------------------- */
/* Events and state                                                       */

typedef struct SDEIEventDesc {
    uint32_t num;
    bool shared, critical, signalable, dynamic;
    int static_intid;                  /* a statically bound INTID, or -1 */
} SDEIEventDesc;

#define PRIV_DYN(n)   { SDEI_PRIV_DYN_BASE + (n), false, false, false, true, -1 }
#define SHARED_DYN(n) { SDEI_SHARED_DYN_BASE + (n), true, false, false, true, -1 }
static const SDEIEventDesc sdei_events[] = {
    { 0, false, false, true, false, -1 },
    { 1, false, true, false, false, SDEI_CRITICAL_SGI },
    PRIV_DYN(0), PRIV_DYN(1), PRIV_DYN(2), PRIV_DYN(3),
    SHARED_DYN(0), SHARED_DYN(1), SHARED_DYN(2), SHARED_DYN(3),
};
#define SDEI_NUM_EVENTS ((int)ARRAY_SIZE(sdei_events))

/* One registration: per PE for a private event, once for a shared one. */
typedef struct SDEIReg {
    unsigned state;                    /* SDEI_ST_* */
    uint64_t ep_va, arg;
    uint64_t flags, affinity;
} SDEIReg;

/* One outstanding dispatch: what to restore at COMPLETE. */
typedef struct SDEIFrame {
    int ev;
    uint64_t x[SDEI_SAVED_REGS];
    uint64_t pc, pstate;
} SDEIFrame;

typedef struct SDEIPE {
    SDEIReg priv[SDEI_NUM_EVENTS];     /* entries of the private events */
    bool masked;
    bool ev0_signalled;                /* EVENT_SIGNAL received, not yet dispatched */
    unsigned depth;
    SDEIFrame stack[SDEI_MAX_NESTING];
} SDEIPE;

typedef struct SDEIState {
    Machine *m;
    int bound_intid[SDEI_NUM_EVENTS];  /* INTID of a bound event, or -1 */
    SDEIReg shared[SDEI_NUM_EVENTS];   /* entries of the shared events */
    SDEIPE pe[MACHINE_MAX_CPUS];
    Event check;                       /* deferred dispatch on any PE */
} SDEIState;

static SDEIState *sdei_state(const Machine *m) { return m ? m->sdei : NULL; }

static int sdei_find_event(uint64_t num)
{
    if (num > 0x7fffffffu) {           /* event numbers have bit 31 clear (DEN0054 4.4) */
        return -1;
    }
    for (int i = 0; i < SDEI_NUM_EVENTS; i++) {
        if (sdei_events[i].num == num) {
            return i;
        }
    }
    return -1;
}

static SDEIReg *sdei_reg(SDEIState *s, int cpu_index, int ev)
{
    return sdei_events[ev].shared ? &s->shared[ev] : &s->pe[cpu_index].priv[ev];
}

static bool sdei_is_registered_anywhere(SDEIState *s, int ev)
{
    if (sdei_events[ev].shared) {
        return s->shared[ev].state != 0;
    }
    for (int i = 0; i < s->m->ncpus; i++) {
        if (s->pe[i].priv[ev].state != 0) {
            return true;
        }
    }
    return false;
}

/* The client EL: EL2 when it is implemented and enabled (SCR_EL3.HCE), else EL1. */
static unsigned sdei_client_el(const CPUState *cpu)
{
    return cpu_have_el2(cpu) && (!cpu_have_el3(cpu) || (cpu->sr.SCR_EL3 & SCR_HCE)) ? 2 : 1;
}

/* The PE with these affinity fields (other MPIDR bits, e.g. the RES1 bit 31, are ignored as TF-A does). */
static CPUState *sdei_find_cpu(Machine *m, uint64_t mpidr)
{
    mpidr &= MPIDR_AFF_MASK;
    for (int i = 0; i < m->ncpus; i++) {
        if (m->cpus[i] && (m->cpus[i]->id.MPIDR_EL1 & MPIDR_AFF_MASK) == mpidr) {
            return m->cpus[i];
        }
    }
    return NULL;
}

/*
 * An entry point (or resume address) the client can use: non-zero, 4-byte
 * aligned and, while the client EL's stage 1 is off, in RAM. With the MMU
 * on, Tandem does not translate it (docs/impdef.md): a bad mapping then
 * faults at the client EL when the handler is entered.
 */
static bool sdei_valid_ep(const CPUState *cpu, uint64_t va)
{
    if (va == 0 || (va & 3)) {
        return false;
    }
    unsigned el = sdei_client_el(cpu);
    if (cpu->sr.SCTLR_ELx[el] & 1) {
        return true;
    }
    const MemRegion *r = addrspace_find(&cpu->machine->as, va);
    return r && r->ram;
}

/* ---------------------------------------------------------------------- */
/* Bound interrupts                                                       */

static int sdei_event_intid(SDEIState *s, int ev)
{
    return sdei_events[ev].dynamic ? s->bound_intid[ev] : sdei_events[ev].static_intid;
}

/* Hand the event's interrupt to the firmware (registered) or back to the GIC. */
static void sdei_claim(SDEIState *s, int cpu_index, int ev, bool claim)
{
    int intid = sdei_event_intid(s, ev);
    if (intid < 0 || !s->m->gic) {
        return;
    }
    /* A trigger from before the registration (or left over) is forgotten. */
    gicv3_fw_acknowledge(s->m->gic, cpu_index, (unsigned)intid);
    gicv3_fw_claim(s->m->gic, cpu_index, (unsigned)intid, claim);
}

/* Has event ev fired for PE cpu_index (signalled, or its interrupt pending)? */
static bool sdei_fired(SDEIState *s, int cpu_index, int ev)
{
    if (ev == 0) {
        return s->pe[cpu_index].ev0_signalled;
    }
    int intid = sdei_event_intid(s, ev);
    return intid >= 0 && s->m->gic && gicv3_fw_pending(s->m->gic, cpu_index, (unsigned)intid);
}

static void sdei_acknowledge(SDEIState *s, int cpu_index, int ev)
{
    if (ev == 0) {
        s->pe[cpu_index].ev0_signalled = false;
        return;
    }
    int intid = sdei_event_intid(s, ev);
    if (intid >= 0 && s->m->gic) {
        gicv3_fw_acknowledge(s->m->gic, cpu_index, (unsigned)intid);
    }
}

/* ---------------------------------------------------------------------- */
/* Dispatch                                                               */

/*
 * Enter the client EL at va in AArch64 with PSTATE as an exception entry to
 * it sets it (AArch64.TakeException): SP_ELx, DAIF masked, SS, IL and BTYPE
 * cleared, PAN per SCTLR_ELx.SPAN, UAO cleared, SSBS from SCTLR_ELx.DSSBS.
 */
static void sdei_enter_client(CPUState *cpu, uint64_t va)
{
    unsigned el = sdei_client_el(cpu);
    uint64_t sctlr = cpu->sr.SCTLR_ELx[el];
    cpu->el = el;
    cpu->spsel = 1;
    cpu->daif = PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F;
    cpu->ss = cpu->il = cpu->btype = 0;
    if (cpu_have_pan(cpu) && !(sctlr & SCTLR_SPAN) && (el == 1 || cpu_el_is_in_host(cpu, 0))) {
        cpu->pan = 1;
    }
    if (cpu_have_uao(cpu)) {
        cpu->uao = 0;
    }
    if (cpu_have_ssbs(cpu)) {
        cpu->ssbs = (sctlr & SCTLR_DSSBS) ? 1 : 0;
    }
    cpu->excl_addr = ~0ULL;            /* the ERET from EL3 clears the local monitor */
    cpu->pc = va;
    cpu_update_el_state(cpu);
    cpu->exit_request = 1;
}

/*
 * The event to dispatch on this PE now, or -1: registered, enabled, not
 * running, fired for this PE, routed here (shared), the PE unmasked, and
 * allowed by the priorities: a critical event pre-empts a normal handler,
 * nothing pre-empts a critical one, a normal event waits for any handler.
 */
static int sdei_pick(SDEIState *s, CPUState *cpu)
{
    int i = cpu->cpu_index;
    SDEIPE *pe = &s->pe[i];
    bool critical_running = pe->depth && sdei_events[pe->stack[pe->depth - 1].ev].critical;
    if (pe->ev0_signalled && !pe->depth && (pe->masked || !(pe->priv[0].state & SDEI_ST_REGISTERED))) {
        /* A signal to a masked PE, or for an unregistered event 0, is lost
         * (TF-A drops its event-0 SGI); a disabled one stays pending. */
        pe->ev0_signalled = false;
    }
    if (pe->masked || critical_running) {
        return -1;
    }
    uint64_t mpidr = cpu->id.MPIDR_EL1 & MPIDR_AFF_MASK;
    for (int pass = 0; pass < 2; pass++) {
        bool critical = pass == 0;
        if (!critical && pe->depth) {
            break;
        }
        for (int ev = 0; ev < SDEI_NUM_EVENTS; ev++) {
            const SDEIEventDesc *d = &sdei_events[ev];
            if (d->critical != critical || !sdei_fired(s, i, ev)) {
                continue;
            }
            SDEIReg *r = sdei_reg(s, i, ev);
            if (sdei_state_next(r->state, SDEI_ACT_DISPATCH) < 0) {
                continue;
            }
            if (d->shared && r->flags == SDEI_RM_PE && r->affinity != mpidr) {
                continue;
            }
            return ev;
        }
    }
    return -1;
}

static void sdei_dispatch(SDEIState *s, CPUState *cpu, int ev)
{
    int i = cpu->cpu_index;
    SDEIPE *pe = &s->pe[i];
    SDEIReg *r = sdei_reg(s, i, ev);
    r->state = (unsigned)sdei_state_next(r->state, SDEI_ACT_DISPATCH);
    sdei_acknowledge(s, i, ev);
    SDEIFrame *f = &pe->stack[pe->depth++];
    f->ev = ev;
    memcpy(f->x, cpu->x, sizeof(f->x));
    f->pc = cpu->pc;
    f->pstate = cpu_get_pstate(cpu);
    LOG(LOG_INT, "sdei: cpu%d dispatch event %u (%s) PC=0x%" PRIx64 " PSTATE=0x%" PRIx64 " -> 0x%" PRIx64 "\n",
        i, sdei_events[ev].num, sdei_events[ev].critical ? "critical" : "normal", f->pc, f->pstate,
        r->ep_va);
    cpu->x[0] = sdei_events[ev].num;
    cpu->x[1] = r->arg;
    cpu->x[2] = f->pc;
    cpu->x[3] = f->pstate;
    sdei_enter_client(cpu, r->ep_va);
    cpu->halted = false;               /* like the FIQ that woke a WFI */
}

/* Dispatch whatever is due on cpu (a critical event may follow a normal one). */
static bool sdei_try_dispatch(SDEIState *s, CPUState *cpu)
{
    bool any = false;
    if (cpu->powered_off) {
        return false;
    }
    for (int n = 0; n < SDEI_MAX_NESTING; n++) {
        int ev = sdei_pick(s, cpu);
        if (ev < 0) {
            break;
        }
        sdei_dispatch(s, cpu, ev);
        any = true;
    }
    return any;
}

static void sdei_check_all(void *opaque)
{
    SDEIState *s = opaque;
    for (int i = 0; i < s->m->ncpus; i++) {
        if (s->m->cpus[i]) {
            sdei_try_dispatch(s, s->m->cpus[i]);
        }
    }
}

/* Look again at every PE once the running vCPU reaches a block boundary. */
static void sdei_schedule_check(void *opaque)
{
    SDEIState *s = opaque;
    Machine *m = s->m;
    event_schedule(&m->events, &s->check, machine_now_ns(m));
    for (int i = 0; i < m->ncpus; i++) {
        if (m->cpus[i]) {
            m->cpus[i]->exit_request = 1;
        }
    }
}

/* ---------------------------------------------------------------------- */
/* The calls                                                              */

static int64_t sdei_validate_routing(Machine *m, uint64_t flags, uint64_t affinity)
{
    if (flags == SDEI_RM_PE) {
        return sdei_find_cpu(m, affinity) ? SDEI_SUCCESS : SDEI_INVALID_PARAMETERS;
    }
    return flags == SDEI_RM_ANY ? SDEI_SUCCESS : SDEI_INVALID_PARAMETERS;
}

static int64_t sdei_register(SDEIState *s, CPUState *cpu, const uint64_t *arg)
{
    int ev = sdei_find_event(arg[1]);
    if (ev < 0 || !sdei_valid_ep(cpu, arg[2])) {
        return SDEI_INVALID_PARAMETERS;
    }
    int64_t ret = sdei_validate_routing(s->m, arg[4], arg[5]);
    if (ret) {
        return ret;
    }
    const SDEIEventDesc *d = &sdei_events[ev];
    SDEIReg *r = sdei_reg(s, cpu->cpu_index, ev);
    int next = sdei_state_next(r->state, SDEI_ACT_REGISTER);
    if (next < 0 || (d->dynamic && s->bound_intid[ev] < 0)) {
        return SDEI_DENIED;           /* registered already, or a dynamic event not bound */
    }
    r->state = (unsigned)next;
    r->ep_va = arg[2];
    r->arg = arg[3];
    r->flags = d->shared ? arg[4] : SDEI_RM_PE;   /* a private event always targets its PE */
    r->affinity = d->shared ? (arg[5] & MPIDR_AFF_MASK) : (cpu->id.MPIDR_EL1 & MPIDR_AFF_MASK);
    sdei_claim(s, cpu->cpu_index, ev, true);
    return SDEI_SUCCESS;
}

/* ENABLE, DISABLE, ROUTING_SET (checks in the table) on event ev. */
static int64_t sdei_transition(SDEIState *s, CPUState *cpu, int ev, SDEIAction act)
{
    SDEIReg *r = sdei_reg(s, cpu->cpu_index, ev);
    int next = sdei_state_next(r->state, act);
    if (next < 0) {
        return next;
    }
    r->state = (unsigned)next;
    return SDEI_SUCCESS;
}

static int64_t sdei_unregister(SDEIState *s, CPUState *cpu, int ev)
{
    SDEIReg *r = sdei_reg(s, cpu->cpu_index, ev);
    int ret = sdei_state_result(r->state, SDEI_ACT_UNREGISTER);
    int next = sdei_state_next(r->state, SDEI_ACT_UNREGISTER);
    if (next < 0) {
        return ret;
    }
    /* The interrupt goes back to the Non-secure world at once, even if the
     * handler still runs (its COMPLETE then finishes the unregistration). */
    sdei_claim(s, sdei_events[ev].shared ? 0 : cpu->cpu_index, ev, false);
    r->state = (unsigned)next;
    r->ep_va = r->arg = r->flags = r->affinity = 0;
    return ret;
}

static int64_t sdei_get_info(SDEIState *s, CPUState *cpu, int ev, uint64_t info)
{
    const SDEIEventDesc *d = &sdei_events[ev];
    SDEIReg *r = sdei_reg(s, cpu->cpu_index, ev);
    switch (info) {
    case SDEI_INFO_EV_TYPE:
        return d->shared;
    case SDEI_INFO_EV_SIGNALED:
        return d->signalable;
    case SDEI_INFO_EV_PRIORITY:
        return d->critical;
    case SDEI_INFO_EV_ROUTING_MODE:
    case SDEI_INFO_EV_ROUTING_AFF:
        if (!d->shared) {
            return SDEI_INVALID_PARAMETERS;
        }
        if (!(r->state & SDEI_ST_REGISTERED)) {
            return SDEI_DENIED;
        }
        if (info == SDEI_INFO_EV_ROUTING_MODE) {
            return (int64_t)r->flags;
        }
        return r->flags == SDEI_RM_PE ? (int64_t)r->affinity : SDEI_INVALID_PARAMETERS;
    default:
        return SDEI_INVALID_PARAMETERS;
    }
}

static int64_t sdei_routing_set(SDEIState *s, CPUState *cpu, const uint64_t *arg)
{
    int ev = sdei_find_event(arg[1]);
    int64_t ret = sdei_validate_routing(s->m, arg[2], arg[3]);
    if (ret) {
        return ret;
    }
    if (ev < 0 || !sdei_events[ev].shared || s->bound_intid[ev] < 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    ret = sdei_transition(s, cpu, ev, SDEI_ACT_ROUTING_SET);
    if (ret == SDEI_SUCCESS) {
        s->shared[ev].flags = arg[2];
        s->shared[ev].affinity = arg[3] & MPIDR_AFF_MASK;
    }
    return ret;
}

static int64_t sdei_interrupt_bind(SDEIState *s, uint64_t intid)
{
    /* PPIs bind to private events, SPIs to shared ones; SGIs cannot be bound. */
    if (intid < 16 || intid >= GICV3_NUM_IRQS || !s->m->gic) {
        return SDEI_INVALID_PARAMETERS;
    }
    bool shared = intid >= 32;
    int free_ev = -1;
    for (int ev = 0; ev < SDEI_NUM_EVENTS; ev++) {
        if (!sdei_events[ev].dynamic || sdei_events[ev].shared != shared) {
            continue;
        }
        if (s->bound_intid[ev] == (int)intid) {
            return sdei_events[ev].num;   /* bound already: the same event */
        }
        if (s->bound_intid[ev] < 0 && free_ev < 0) {
            free_ev = ev;
        }
    }
    if (free_ev < 0) {
        return SDEI_OUT_OF_RESOURCE;
    }
    s->bound_intid[free_ev] = (int)intid;
    return sdei_events[free_ev].num;
}

static int64_t sdei_interrupt_release(SDEIState *s, CPUState *cpu, int ev)
{
    if (!sdei_events[ev].dynamic) {
        return SDEI_INVALID_PARAMETERS;
    }
    /* Only once unregistered on every PE and no longer running. */
    if (sdei_is_registered_anywhere(s, ev) ||
        sdei_state_next(sdei_reg(s, cpu->cpu_index, ev)->state, SDEI_ACT_RELEASE) < 0) {
        return SDEI_DENIED;
    }
    if (s->bound_intid[ev] < 0) {
        return SDEI_INVALID_PARAMETERS;
    }
    s->bound_intid[ev] = -1;
    return SDEI_SUCCESS;
}

static int64_t sdei_signal(SDEIState *s, CPUState *cpu, uint64_t num, uint64_t target_mpidr)
{
    if (num != 0) {
        return SDEI_INVALID_PARAMETERS;    /* only event 0 is signalled by software */
    }
    CPUState *target = sdei_find_cpu(s->m, target_mpidr);
    if (!target) {
        return SDEI_INVALID_PARAMETERS;
    }
    s->pe[target->cpu_index].ev0_signalled = true;
    if (target != cpu) {
        sdei_schedule_check(s);
    }
    return SDEI_SUCCESS;
}

/* PRIVATE_RESET / SHARED_RESET: unregister every event of the kind (DENIED
 * if one is still running); SHARED_RESET then releases every binding. */
static int64_t sdei_kind_reset(SDEIState *s, CPUState *cpu, bool shared)
{
    int64_t ret = SDEI_SUCCESS;
    for (int ev = 0; ev < SDEI_NUM_EVENTS; ev++) {
        if (sdei_events[ev].shared == shared && sdei_unregister(s, cpu, ev) == SDEI_PENDING) {
            ret = SDEI_DENIED;
        }
    }
    if (!shared || ret) {
        return ret;
    }
    for (int ev = 0; ev < SDEI_NUM_EVENTS; ev++) {
        if (sdei_events[ev].dynamic && s->bound_intid[ev] >= 0) {
            int64_t r = sdei_interrupt_release(s, cpu, ev);
            if (r && !ret) {
                ret = r;
            }
        }
    }
    return ret;
}

/* COMPLETE / COMPLETE_AND_RESUME: false (and *err) when refused. */
static bool sdei_complete(SDEIState *s, CPUState *cpu, bool resume, uint64_t resume_va, int64_t *err)
{
    SDEIPE *pe = &s->pe[cpu->cpu_index];
    if (!pe->depth || (resume && !sdei_valid_ep(cpu, resume_va))) {
        *err = SDEI_DENIED;
        return false;
    }
    SDEIFrame *f = &pe->stack[pe->depth - 1];
    SDEIReg *r = sdei_reg(s, cpu->cpu_index, f->ev);
    int next = sdei_state_next(r->state, SDEI_ACT_COMPLETE);
    if (next < 0) {
        *err = next;
        return false;
    }
    pe->depth--;
    r->state = (unsigned)next;
    LOG(LOG_INT, "sdei: cpu%d complete%s event %u -> PC=0x%" PRIx64 "\n", cpu->cpu_index,
        resume ? "_and_resume" : "", sdei_events[f->ev].num, resume ? resume_va : f->pc);
    memcpy(cpu->x, f->x, sizeof(f->x));
    cpu_set_pstate(cpu, f->pstate);
    cpu->pc = f->pc;
    cpu->excl_addr = ~0ULL;
    cpu_update_el_state(cpu);
    cpu->exit_request = 1;
    if (resume) {
        /* As if the interrupted context had taken an exception to the
         * client EL at resume_va (Linux resumes at its IRQ vector). */
        unsigned el = sdei_client_el(cpu);
        cpu->sr.ELR_ELx[el] = f->pc;
        cpu->sr.SPSR_ELx[el] = f->pstate;
        sdei_enter_client(cpu, resume_va);
    }
    return true;
}

/* One call whose single result goes to x0, or a COMPLETE that left x0 alone. */
static bool sdei_do_call(SDEIState *s, CPUState *cpu, uint32_t fid, const uint64_t *arg, int64_t *ret)
{
    SDEIPE *pe = &s->pe[cpu->cpu_index];
    int ev = -1;
    switch (fid) {
    case SDEI_EVENT_ENABLE: case SDEI_EVENT_DISABLE: case SDEI_EVENT_UNREGISTER:
    case SDEI_EVENT_STATUS: case SDEI_EVENT_GET_INFO: case SDEI_INTERRUPT_RELEASE:
        ev = sdei_find_event(arg[1]);
        if (ev < 0) {
            *ret = SDEI_INVALID_PARAMETERS;
            return true;
        }
        break;
    default:
        break;
    }
    switch (fid) {
    case SDEI_VERSION:
        *ret = (int64_t)SDEI_VERSION_1_1;
        return true;
    case SDEI_EVENT_REGISTER:
        *ret = sdei_register(s, cpu, arg);
        return true;
    case SDEI_EVENT_ENABLE:
        *ret = sdei_transition(s, cpu, ev, SDEI_ACT_ENABLE);
        if (*ret == SDEI_SUCCESS && sdei_events[ev].shared) {
            sdei_schedule_check(s);    /* it may be routed to another PE */
        }
        return true;
    case SDEI_EVENT_DISABLE:
        *ret = sdei_transition(s, cpu, ev, SDEI_ACT_DISABLE);
        return true;
    case SDEI_EVENT_CONTEXT:
        if (!pe->depth) {
            *ret = SDEI_DENIED;
        } else if (arg[1] >= SDEI_SAVED_REGS) {
            *ret = SDEI_INVALID_PARAMETERS;
        } else {
            *ret = (int64_t)pe->stack[pe->depth - 1].x[arg[1]];
        }
        return true;
    case SDEI_EVENT_COMPLETE:
    case SDEI_EVENT_COMPLETE_AND_RESUME:
        return !sdei_complete(s, cpu, fid == SDEI_EVENT_COMPLETE_AND_RESUME, arg[1], ret);
    case SDEI_EVENT_UNREGISTER:
        *ret = sdei_unregister(s, cpu, ev);
        return true;
    case SDEI_EVENT_STATUS:
        *ret = sdei_reg(s, cpu->cpu_index, ev)->state;
        return true;
    case SDEI_EVENT_GET_INFO:
        *ret = sdei_get_info(s, cpu, ev, arg[2]);
        return true;
    case SDEI_EVENT_ROUTING_SET:
        *ret = sdei_routing_set(s, cpu, arg);
        return true;
    case SDEI_PE_MASK:
        *ret = !pe->masked;           /* 1: this call masked the PE; 0: it was masked */
        pe->masked = true;
        return true;
    case SDEI_PE_UNMASK:
        pe->masked = false;
        *ret = SDEI_SUCCESS;
        return true;
    case SDEI_INTERRUPT_BIND:
        *ret = sdei_interrupt_bind(s, arg[1]);
        return true;
    case SDEI_INTERRUPT_RELEASE:
        *ret = sdei_interrupt_release(s, cpu, ev);
        return true;
    case SDEI_EVENT_SIGNAL:
        *ret = sdei_signal(s, cpu, arg[1], arg[2]);
        return true;
    case SDEI_FEATURES:
        *ret = arg[1] == SDEI_FEATURE_BIND_SLOTS ? (SDEI_NUM_PRIV_DYN | (SDEI_NUM_SHARED_DYN << 16))
                                                 : SDEI_INVALID_PARAMETERS;
        return true;
    case SDEI_PRIVATE_RESET:
        *ret = sdei_kind_reset(s, cpu, false);
        return true;
    case SDEI_SHARED_RESET:
        *ret = sdei_kind_reset(s, cpu, true);
        return true;
    default:
        *ret = SDEI_NOT_SUPPORTED;
        return true;
    }
}

void sdei_call(CPUState *cpu, uint32_t fid, const uint64_t *arg)
{
    SDEIState *s = sdei_state(cpu->machine);
    /* Only the client EL may call (TF-A answers Unknown Function otherwise). */
    if (!s || cpu->el != sdei_client_el(cpu)) {
        cpu->x[0] = (uint64_t)(int64_t)SDEI_NOT_SUPPORTED;
        return;
    }
    /* Work with the SMC's return address (ELR_EL3) as the PE's PC; the CPU
     * adds 4 after firmware_call() (EXEC_SYNC). */
    cpu->pc += 4;
    int64_t ret = 0;
    if (sdei_do_call(s, cpu, fid, arg, &ret)) {
        cpu->x[0] = (uint64_t)ret;
    }
    /* An event this call made dispatchable on this PE is taken on return. */
    sdei_try_dispatch(s, cpu);
    cpu->pc -= 4;
}

/* ---------------------------------------------------------------------- */
/* Lifecycle                                                              */

bool sdei_present(const Machine *m)
{
    return sdei_state(m) != NULL && !m->opts.bios;
}

static void sdei_pe_reset(SDEIState *s, int i)
{
    memset(&s->pe[i], 0, sizeof(s->pe[i]));
    s->pe[i].masked = true;            /* every PE starts masked */
}

void sdei_reset(Machine *m)
{
    SDEIState *s = sdei_state(m);
    if (!s) {
        return;
    }
    if (m->gic) {
        for (int ev = 0; ev < SDEI_NUM_EVENTS; ev++) {
            for (int i = 0; i < m->ncpus; i++) {
                sdei_claim(s, i, ev, false);
            }
        }
    }
    event_cancel(&m->events, &s->check);
    memset(s->shared, 0, sizeof(s->shared));
    for (int ev = 0; ev < SDEI_NUM_EVENTS; ev++) {
        s->bound_intid[ev] = -1;
    }
    for (int i = 0; i < MACHINE_MAX_CPUS; i++) {
        sdei_pe_reset(s, i);
    }
}

void sdei_create(Machine *m)
{
    SDEIState *s = g_new0(SDEIState, 1);
    s->m = m;
    event_init(&s->check, sdei_check_all, s);
    m->sdei = s;
    if (m->gic) {
        gicv3_fw_set_notify(m->gic, sdei_schedule_check, s);
    }
    sdei_reset(m);
}

void sdei_destroy(Machine *m)
{
    SDEIState *s = sdei_state(m);
    if (!s) {
        return;
    }
    event_cancel(&m->events, &s->check);
    if (m->gic) {
        gicv3_fw_set_notify(m->gic, NULL, NULL);
    }
    g_free(s);
    m->sdei = NULL;
}

void sdei_cpu_on(CPUState *cpu)
{
    SDEIState *s = sdei_state(cpu->machine);
    if (!s) {
        return;
    }
    /* A PE that powers up has no private registrations and is masked (TF-A's
     * CPU_ON hook); a bound PPI it had claimed goes back to the GIC. */
    for (int ev = 0; ev < SDEI_NUM_EVENTS; ev++) {
        if (!sdei_events[ev].shared) {
            sdei_claim(s, cpu->cpu_index, ev, false);
        }
    }
    sdei_pe_reset(s, cpu->cpu_index);
}
