/*
 * ARM generic timers, Arm ARM D12 (The Generic Timer in AArch64 state) and
 * the access pseudocode of the CNT* registers in D19/D23.
 *
 * Counts come from the machine's virtual clock (machine_now_ns): CNTPCT =
 * now_ns / 16. Each timer keeps CTL and CVAL; TVAL is derived. When a timer
 * is enabled and its condition is not yet met, an event is scheduled on the
 * event queue at the virtual time the counter reaches CVAL, so a vCPU
 * waiting in WFI wakes exactly then. The output (ISTATUS && !IMASK) drives
 * the timer's PPI.
 *
 * The hooks receive the encoding as the instruction wrote it and do the
 * VHE redirection themselves (HCR_EL2.E2H: CNTP_* / CNTV_* at EL2 are the
 * EL2 timers, CNTKCTL_EL1 at EL2 is CNTHCTL_EL2, *_EL02 / *_EL12 reach the
 * EL1 registers), and the CNTKCTL_EL1 / CNTHCTL_EL2 traps.
 */
#include "devices/timer.h"

#include <glib.h>
#include <libfdt.h>

#include "core/log.h"
#include "cpu/cpu.h"
#include "devices/cpu_hooks.h"
#include "devices/fdt_util.h"
#include "devices/gicv3.h"
#include "mmu/mmu.h"

typedef enum TimerIdx { T_PHYS, T_VIRT, T_HYP, T_HYPVIRT, T_SEC, T_COUNT } TimerIdx;

static const int timer_ppi[T_COUNT] = {
    TIMER_PPI_PHYS, TIMER_PPI_VIRT, TIMER_PPI_HYP_PHYS, TIMER_PPI_HYP_VIRT, TIMER_PPI_SEC_PHYS,
};

#define CTL_ENABLE (1u << 0)
#define CTL_IMASK (1u << 1)
#define CTL_ISTATUS (1u << 2)

/* CNTKCTL_EL1 and CNTHCTL_EL2 (E2H = 1 layout) bits */
#define CNTKCTL_EL0PCTEN (1u << 0)
#define CNTKCTL_EL0VCTEN (1u << 1)
#define CNTKCTL_EVNTEN (1u << 2)
#define CNTKCTL_EVNTDIR (1u << 3)
#define CNTKCTL_EL0VTEN (1u << 8)
#define CNTKCTL_EL0PTEN (1u << 9)
/* CNTHCTL_EL2 with E2H = 0 */
#define CNTHCTL_EL1PCTEN (1u << 0)
#define CNTHCTL_EL1PCEN (1u << 1)
/* CNTHCTL_EL2 with E2H = 1 */
#define CNTHCTL_E2H_EL1PCTEN (1u << 10)
#define CNTHCTL_E2H_EL1PTEN (1u << 11)

#define HCR_EL2_TGE (1ULL << 27)
#define HCR_EL2_E2H (1ULL << 34)
#define HCR_EL2_NV (1ULL << 42)
#define SCR_EL3_NS (1ULL << 0)
#define SCR_EL3_ST (1ULL << 11)
#define SCR_EL3_EEL2 (1ULL << 18)

struct TimerCPU;

typedef struct ArchTimer {
    struct TimerCPU *tc;
    TimerIdx idx;
    uint32_t ctl;          /* ENABLE, IMASK */
    uint64_t cval;
    bool out;
    Event ev;
    IRQLine irq;
} ArchTimer;

typedef struct TimerCPU {
    CPUState *cpu;
    Machine *m;
    uint64_t cntfrq;
    ArchTimer t[T_COUNT];
    Event evstream_ev;
} TimerCPU;

/* ---- state helpers ---- */

static bool tm_have_el2(const CPUState *cpu) { return extract64(cpu->id.ID_AA64PFR0_EL1, 8, 4) != 0; }
static bool tm_have_el3(const CPUState *cpu) { return extract64(cpu->id.ID_AA64PFR0_EL1, 12, 4) != 0; }
static bool tm_have_vhe(const CPUState *cpu) { return extract64(cpu->id.ID_AA64MMFR1_EL1, 8, 4) != 0; }

static bool tm_el2_enabled(const CPUState *cpu)
{
    return tm_have_el2(cpu) && (!tm_have_el3(cpu) || (cpu->sr.SCR_EL3 & (SCR_EL3_NS | SCR_EL3_EEL2)));
}

static bool tm_e2h(const CPUState *cpu) { return tm_have_el2(cpu) && (cpu->sr.HCR_EL2 & HCR_EL2_E2H); }

/* HCR_EL2.{E2H,TGE} = {1,1}: EL0 runs in the EL2&0 host regime */
static bool tm_in_host(const CPUState *cpu)
{
    return tm_el2_enabled(cpu) && (cpu->sr.HCR_EL2 & (HCR_EL2_E2H | HCR_EL2_TGE)) == (HCR_EL2_E2H | HCR_EL2_TGE);
}

/* Virtual time including the instructions of the current turn (core/machine.h). */
static uint64_t tm_now_ns(TimerCPU *tc)
{
    return machine_now_ns(tc->m);
}

static uint64_t tm_phys_count(TimerCPU *tc)
{
    return timer_count_at(tm_now_ns(tc));
}

/* Offset subtracted from the physical count for this timer's comparison. */
static uint64_t tm_offset(TimerCPU *tc, TimerIdx idx)
{
    return (idx == T_VIRT && tm_have_el2(tc->cpu)) ? tc->cpu->sr.CNTVOFF_EL2 : 0;
}

static void timer_update(ArchTimer *t)
{
    TimerCPU *tc = t->tc;
    uint64_t offset = tm_offset(tc, t->idx);
    uint64_t count = tm_phys_count(tc) - offset;
    bool enabled = t->ctl & CTL_ENABLE;
    bool istatus = enabled && count >= t->cval;
    bool out = istatus && !(t->ctl & CTL_IMASK);
    if (out != t->out) {
        t->out = out;
        LOG(LOG_INT, "timer: cpu %d timer %d output %d\n", tc->cpu->cpu_index, t->idx, out);
        irq_set_level(&t->irq, out);
    }
    if (enabled && !istatus) {
        /* count < cval: the condition becomes true after cval - count more
         * ticks of the physical counter (the count is modulo 2^64 and only
         * wraps after passing cval). */
        uint64_t phys = count + offset;
        uint64_t target = phys + (t->cval - count);
        if (target >= phys && target <= UINT64_MAX / TIMER_NS_PER_TICK) {
            uint64_t when = target * TIMER_NS_PER_TICK;
            if (when < event_next_deadline(&tc->m->events)) {
                /* end the running turn so the main loop cuts it at this deadline */
                tc->cpu->exit_request = 1;
            }
            event_schedule(&tc->m->events, &t->ev, when);
            return;
        }
    }
    event_cancel(&tc->m->events, &t->ev);
}

static void timer_event(void *opaque)
{
    timer_update(opaque);
}

/* ---- event stream (D12.2.3): an event each time the selected counter bit flips ---- */

static void timer_evstream_arm(TimerCPU *tc);

static void timer_evstream_event(void *opaque)
{
    TimerCPU *tc = opaque;
    tc->cpu->event_register = true;   /* wakes a WFE; a WFI is not woken by events */
    tc->cpu->exit_request = 1;
    timer_evstream_arm(tc);
}

/* Next virtual time at which bit evnti of (physical count - offset) makes the
 * transition selected by dir, strictly after now. */
static uint64_t timer_evstream_next(TimerCPU *tc, uint64_t ctl, uint64_t offset)
{
    unsigned n = (unsigned)extract64(ctl, 4, 4);
    uint64_t period = 2ULL << n;
    uint64_t phase = (ctl & CNTKCTL_EVNTDIR) ? 0 : (1ULL << n);   /* 0->1 at 2^n, 1->0 at 2^(n+1) */
    uint64_t count = tm_phys_count(tc) - offset;
    uint64_t k = (count - phase) / period;
    uint64_t target = (count < phase) ? phase : (k + 1) * period + phase;
    uint64_t pcount = target + offset;
    if (pcount > UINT64_MAX / TIMER_NS_PER_TICK) {
        return UINT64_MAX;
    }
    return pcount * TIMER_NS_PER_TICK;
}

static void timer_evstream_arm(TimerCPU *tc)
{
    CPUState *cpu = tc->cpu;
    uint64_t when = UINT64_MAX;
    /* EL1's stream uses the virtual counter (CNTKCTL_EL1), EL2's the physical (CNTHCTL_EL2) */
    if (cpu->sr.CNTKCTL_EL1 & CNTKCTL_EVNTEN) {
        uint64_t w = timer_evstream_next(tc, cpu->sr.CNTKCTL_EL1, tm_offset(tc, T_VIRT));
        when = w < when ? w : when;
    }
    if (tm_have_el2(cpu) && (cpu->sr.CNTHCTL_EL2 & CNTKCTL_EVNTEN)) {
        uint64_t w = timer_evstream_next(tc, cpu->sr.CNTHCTL_EL2, 0);
        when = w < when ? w : when;
    }
    if (when == UINT64_MAX) {
        event_cancel(&tc->m->events, &tc->evstream_ev);
    } else {
        event_schedule(&tc->m->events, &tc->evstream_ev, when);
    }
}

/* ---- system registers ---- */

typedef enum TimerReg {
    R_CNTFRQ, R_CNTPCT, R_CNTVCT, R_CNTKCTL, R_CNTKCTL_EL12, R_CNTHCTL, R_CNTVOFF,
    R_CNTP_TVAL, R_CNTP_CTL, R_CNTP_CVAL,            /* then +3 per group, same order */
    R_CNTV_TVAL, R_CNTV_CTL, R_CNTV_CVAL,
    R_CNTHP_TVAL, R_CNTHP_CTL, R_CNTHP_CVAL,
    R_CNTHV_TVAL, R_CNTHV_CTL, R_CNTHV_CVAL,
    R_CNTPS_TVAL, R_CNTPS_CTL, R_CNTPS_CVAL,
    R_CNTP_TVAL_EL02, R_CNTP_CTL_EL02, R_CNTP_CVAL_EL02,
    R_CNTV_TVAL_EL02, R_CNTV_CTL_EL02, R_CNTV_CVAL_EL02,
} TimerReg;

#define E MMU_SYSREG_ENC
static const struct { uint32_t enc; TimerReg reg; } timer_regs[] = {
    { E(3, 3, 14, 0, 0), R_CNTFRQ }, { E(3, 3, 14, 0, 1), R_CNTPCT }, { E(3, 3, 14, 0, 2), R_CNTVCT },
    { E(3, 0, 14, 1, 0), R_CNTKCTL }, { E(3, 5, 14, 1, 0), R_CNTKCTL_EL12 },
    { E(3, 4, 14, 1, 0), R_CNTHCTL }, { E(3, 4, 14, 0, 3), R_CNTVOFF },
    { E(3, 3, 14, 2, 0), R_CNTP_TVAL }, { E(3, 3, 14, 2, 1), R_CNTP_CTL }, { E(3, 3, 14, 2, 2), R_CNTP_CVAL },
    { E(3, 3, 14, 3, 0), R_CNTV_TVAL }, { E(3, 3, 14, 3, 1), R_CNTV_CTL }, { E(3, 3, 14, 3, 2), R_CNTV_CVAL },
    { E(3, 4, 14, 2, 0), R_CNTHP_TVAL }, { E(3, 4, 14, 2, 1), R_CNTHP_CTL }, { E(3, 4, 14, 2, 2), R_CNTHP_CVAL },
    { E(3, 4, 14, 3, 0), R_CNTHV_TVAL }, { E(3, 4, 14, 3, 1), R_CNTHV_CTL }, { E(3, 4, 14, 3, 2), R_CNTHV_CVAL },
    { E(3, 7, 14, 2, 0), R_CNTPS_TVAL }, { E(3, 7, 14, 2, 1), R_CNTPS_CTL }, { E(3, 7, 14, 2, 2), R_CNTPS_CVAL },
    { E(3, 5, 14, 2, 0), R_CNTP_TVAL_EL02 }, { E(3, 5, 14, 2, 1), R_CNTP_CTL_EL02 },
    { E(3, 5, 14, 2, 2), R_CNTP_CVAL_EL02 },
    { E(3, 5, 14, 3, 0), R_CNTV_TVAL_EL02 }, { E(3, 5, 14, 3, 1), R_CNTV_CTL_EL02 },
    { E(3, 5, 14, 3, 2), R_CNTV_CVAL_EL02 },
};
#undef E

/*
 * Encoding -> register, by a small open hash built once (the counters are
 * read on hot paths: sched_clock, the vDSO at EL0).
 */
#define TIMER_HASH_SIZE 64
static uint32_t timer_hash_enc[TIMER_HASH_SIZE];
static int8_t timer_hash_reg[TIMER_HASH_SIZE];
static bool timer_hash_ready;

static unsigned timer_hash(uint32_t enc)
{
    return (enc * 2654435761u) >> 26;   /* top 6 bits */
}

static void timer_hash_build(void)
{
    memset(timer_hash_reg, -1, sizeof(timer_hash_reg));
    for (size_t i = 0; i < ARRAY_SIZE(timer_regs); i++) {
        unsigned h = timer_hash(timer_regs[i].enc);
        while (timer_hash_reg[h] >= 0) {
            h = (h + 1) % TIMER_HASH_SIZE;
        }
        timer_hash_enc[h] = timer_regs[i].enc;
        timer_hash_reg[h] = (int8_t)i;
    }
    timer_hash_ready = true;
}

static bool timer_lookup(uint32_t enc, TimerReg *reg)
{
    if (unlikely(!timer_hash_ready)) {
        timer_hash_build();
    }
    for (unsigned h = timer_hash(enc);; h = (h + 1) % TIMER_HASH_SIZE) {
        if (timer_hash_reg[h] < 0) {
            return false;
        }
        if (timer_hash_enc[h] == enc) {
            *reg = timer_regs[timer_hash_reg[h]].reg;
            return true;
        }
    }
}

bool timer_sysreg_owns(uint32_t enc)
{
    TimerReg r;
    return timer_lookup(enc, &r);
}

/* FEAT_NV: EL1 accesses to EL2 registers (and the _EL02/_EL12 aliases) trap
 * to EL2 when HCR_EL2.NV is set; otherwise they are UNDEFINED. */
static bool tm_el2_reg_at_el1(const CPUState *cpu, unsigned *trap_el)
{
    if (cpu->el == 1 && tm_el2_enabled(cpu) && (cpu->sr.HCR_EL2 & HCR_EL2_NV)) {
        *trap_el = 2;
    }
    return false;
}

/* Where an EL0 access disabled by CNTKCTL_EL1 goes: EL2 under TGE, else EL1. */
static unsigned tm_el0_trap_el(const CPUState *cpu)
{
    return (tm_el2_enabled(cpu) && (cpu->sr.HCR_EL2 & HCR_EL2_TGE)) ? 2 : 1;
}

/*
 * Resolve an access: which register/timer it reaches after VHE redirection,
 * or the trap/UNDEFINED outcome (*trap_el, false). access_kind: 0 = counter
 * or control register, else a timer register whose timer is returned in *idx.
 */
typedef enum { K_TIMER, K_CNTFRQ, K_CNTPCT, K_CNTVCT, K_CNTKCTL, K_CNTHCTL, K_CNTVOFF } Kind;

typedef struct Access {
    Kind kind;
    TimerIdx idx;
    int field;      /* 0 TVAL, 1 CTL, 2 CVAL */
} Access;

static bool timer_resolve(CPUState *cpu, TimerReg reg, bool write, Access *a, unsigned *trap_el)
{
    unsigned el = cpu->el;
    bool el2en = tm_el2_enabled(cpu), e2h = tm_e2h(cpu), host = tm_in_host(cpu);
    uint64_t kctl = cpu->sr.CNTKCTL_EL1, hctl = cpu->sr.CNTHCTL_EL2;
    *trap_el = 0;
    switch (reg) {
    case R_CNTFRQ:
        a->kind = K_CNTFRQ;
        if (write) {
            /* writable only at the highest implemented EL */
            return el == (tm_have_el3(cpu) ? 3u : tm_have_el2(cpu) ? 2u : 1u);
        }
        if (el == 0) {
            uint64_t c = host ? hctl : kctl;
            if (!(c & (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN))) {
                *trap_el = host ? 2 : tm_el0_trap_el(cpu);
                return false;
            }
        }
        return true;
    case R_CNTPCT:
    case R_CNTVCT:
        if (write) {
            return false;
        }
        a->kind = reg == R_CNTPCT ? K_CNTPCT : K_CNTVCT;
        if (el == 0) {
            uint32_t bit = reg == R_CNTPCT ? CNTKCTL_EL0PCTEN : CNTKCTL_EL0VCTEN;
            if (host ? !(hctl & bit) : !(kctl & bit)) {
                *trap_el = host ? 2 : tm_el0_trap_el(cpu);
                return false;
            }
        }
        if (reg == R_CNTPCT && (el == 0 || el == 1) && el2en && !host) {
            bool en = e2h ? (hctl & CNTHCTL_E2H_EL1PCTEN) : (hctl & CNTHCTL_EL1PCTEN);
            if (!en) {
                *trap_el = 2;
                return false;
            }
        }
        return true;
    case R_CNTKCTL:
        if (el == 0) {
            return false;
        }
        a->kind = (el == 2 && e2h) ? K_CNTHCTL : K_CNTKCTL;
        return true;
    case R_CNTKCTL_EL12:
        if (el == 1) {
            return tm_el2_reg_at_el1(cpu, trap_el);
        }
        if (el < 2 || !e2h) {
            return false;
        }
        a->kind = K_CNTKCTL;
        return true;
    case R_CNTHCTL:
    case R_CNTVOFF:
        if (el == 1) {
            return tm_el2_reg_at_el1(cpu, trap_el);
        }
        if (el < 2 || !tm_have_el2(cpu)) {
            return false;
        }
        a->kind = reg == R_CNTHCTL ? K_CNTHCTL : K_CNTVOFF;
        return true;
    default:
        break;
    }

    a->kind = K_TIMER;
    int group = (int)(reg - R_CNTP_TVAL) / 3;
    a->field = (int)(reg - R_CNTP_TVAL) % 3;
    switch (group) {
    case 0:   /* CNTP_* */
        if (el == 0) {
            if (host) {
                if (!(hctl & CNTKCTL_EL0PTEN)) {
                    *trap_el = 2;
                    return false;
                }
                a->idx = T_HYP;
                return true;
            }
            if (!(kctl & CNTKCTL_EL0PTEN)) {
                *trap_el = tm_el0_trap_el(cpu);
                return false;
            }
        }
        if ((el == 0 || el == 1) && el2en) {
            bool en = e2h ? (hctl & CNTHCTL_E2H_EL1PTEN) : (hctl & CNTHCTL_EL1PCEN);
            if (!en) {
                *trap_el = 2;
                return false;
            }
        }
        a->idx = (el == 2 && e2h) ? T_HYP : T_PHYS;
        return true;
    case 1:   /* CNTV_* */
        if (el == 0) {
            if (host) {
                if (!(hctl & CNTKCTL_EL0VTEN)) {
                    *trap_el = 2;
                    return false;
                }
                a->idx = T_HYPVIRT;
                return true;
            }
            if (!(kctl & CNTKCTL_EL0VTEN)) {
                *trap_el = tm_el0_trap_el(cpu);
                return false;
            }
        }
        a->idx = (el == 2 && e2h) ? T_HYPVIRT : T_VIRT;
        return true;
    case 2:   /* CNTHP_* */
        if (el == 1) {
            return tm_el2_reg_at_el1(cpu, trap_el);
        }
        if (el < 2 || !tm_have_el2(cpu)) {
            return false;
        }
        a->idx = T_HYP;
        return true;
    case 3:   /* CNTHV_* (FEAT_VHE) */
        if (el == 1 && tm_have_vhe(cpu)) {
            return tm_el2_reg_at_el1(cpu, trap_el);
        }
        if (el < 2 || !tm_have_el2(cpu) || !tm_have_vhe(cpu)) {
            return false;
        }
        a->idx = T_HYPVIRT;
        return true;
    case 4:   /* CNTPS_*: EL3, or Secure EL1 when SCR_EL3.ST */
        if (el == 3) {
            a->idx = T_SEC;
            return true;
        }
        if (el == 1 && tm_have_el3(cpu) && !(cpu->sr.SCR_EL3 & SCR_EL3_NS)) {
            if (!(cpu->sr.SCR_EL3 & SCR_EL3_ST)) {
                *trap_el = 3;
                return false;
            }
            a->idx = T_SEC;
            return true;
        }
        return false;
    case 5:   /* CNTP_*_EL02 */
    case 6:   /* CNTV_*_EL02 */
        if (el == 1) {
            return tm_el2_reg_at_el1(cpu, trap_el);
        }
        if (el < 2 || !e2h) {
            return false;
        }
        a->idx = group == 5 ? T_PHYS : T_VIRT;
        return true;
    default:
        return false;
    }
}

static uint64_t tm_timer_count(TimerCPU *tc, TimerIdx idx)
{
    return tm_phys_count(tc) - tm_offset(tc, idx);
}

static uint64_t timer_read_field(TimerCPU *tc, TimerIdx idx, int field)
{
    ArchTimer *t = &tc->t[idx];
    uint64_t count = tm_timer_count(tc, idx);
    switch (field) {
    case 0:   /* TVAL: (CVAL - count)[31:0], sign-extended (D12.8.x) */
        return (uint64_t)(int64_t)(int32_t)(uint32_t)(t->cval - count);
    case 1:
        return t->ctl | (((t->ctl & CTL_ENABLE) && count >= t->cval) ? CTL_ISTATUS : 0);
    default:
        return t->cval;
    }
}

static void timer_write_field(TimerCPU *tc, TimerIdx idx, int field, uint64_t v)
{
    ArchTimer *t = &tc->t[idx];
    switch (field) {
    case 0:
        t->cval = tm_timer_count(tc, idx) + (uint64_t)(int64_t)(int32_t)(uint32_t)v;
        break;
    case 1:
        t->ctl = (uint32_t)v & (CTL_ENABLE | CTL_IMASK);
        break;
    default:
        t->cval = v;
        break;
    }
    timer_update(t);
}

bool timer_sysreg_read(CPUState *cpu, uint32_t enc, uint64_t *value, unsigned *trap_el)
{
    TimerCPU *tc = cpu->timer;
    TimerReg reg;
    Access a;
    *trap_el = 0;
    if (!tc || !timer_lookup(enc, &reg) || !timer_resolve(cpu, reg, false, &a, trap_el)) {
        return false;
    }
    switch (a.kind) {
    case K_CNTFRQ: *value = tc->cntfrq; break;
    case K_CNTPCT: *value = tm_phys_count(tc); break;
    case K_CNTVCT: {
        /* CNTVOFF_EL2 applies except for EL0/EL2 in the EL2&0 host regime */
        bool zero_off = tm_in_host(cpu) && (cpu->el == 0 || cpu->el == 2);
        *value = tm_phys_count(tc) - (zero_off ? 0 : tm_offset(tc, T_VIRT));
        break;
    }
    case K_CNTKCTL: *value = cpu->sr.CNTKCTL_EL1; break;
    case K_CNTHCTL: *value = cpu->sr.CNTHCTL_EL2; break;
    case K_CNTVOFF: *value = cpu->sr.CNTVOFF_EL2; break;
    case K_TIMER: *value = timer_read_field(tc, a.idx, a.field); break;
    }
    return true;
}

bool timer_sysreg_write(CPUState *cpu, uint32_t enc, uint64_t value, unsigned *trap_el)
{
    TimerCPU *tc = cpu->timer;
    TimerReg reg;
    Access a;
    *trap_el = 0;
    if (!tc || !timer_lookup(enc, &reg) || !timer_resolve(cpu, reg, true, &a, trap_el)) {
        return false;
    }
    switch (a.kind) {
    case K_CNTFRQ:
        /* the frequency register only informs software; the count rate is fixed */
        tc->cntfrq = (uint32_t)value;
        break;
    case K_CNTKCTL:
        cpu->sr.CNTKCTL_EL1 = value & 0x3ff;
        timer_evstream_arm(tc);
        break;
    case K_CNTHCTL:
        cpu->sr.CNTHCTL_EL2 = value & 0xfff;
        timer_evstream_arm(tc);
        break;
    case K_CNTVOFF:
        cpu->sr.CNTVOFF_EL2 = value;
        timer_update(&tc->t[T_VIRT]);
        timer_evstream_arm(tc);
        break;
    case K_TIMER:
        timer_write_field(tc, a.idx, a.field, value);
        break;
    default:
        return false;   /* counters are read-only */
    }
    return true;
}

/* ---- lifecycle ---- */

static void timer_reset_cpu(TimerCPU *tc)
{
    tc->cntfrq = TIMER_FREQ_HZ;
    for (int i = 0; i < T_COUNT; i++) {
        ArchTimer *t = &tc->t[i];
        t->ctl = 0;
        t->cval = 0;
        timer_update(t);
    }
    tc->cpu->sr.CNTKCTL_EL1 = 0;
    /* UNKNOWN at reset: EL1 counter/timer access allowed (E2H = 0 layout) */
    tc->cpu->sr.CNTHCTL_EL2 = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN;
    tc->cpu->sr.CNTVOFF_EL2 = 0;
    timer_evstream_arm(tc);
}

bool timer_create_all(Machine *m, char **error)
{
    if (!timer_hash_ready) {
        timer_hash_build();   /* before any vCPU runs */
    }
    for (int i = 0; i < m->ncpus; i++) {
        CPUState *cpu = m->cpus[i];
        if (!cpu) {
            continue;
        }
        TimerCPU *tc = g_new0(TimerCPU, 1);
        tc->cpu = cpu;
        tc->m = m;
        for (int j = 0; j < T_COUNT; j++) {
            ArchTimer *t = &tc->t[j];
            t->tc = tc;
            t->idx = (TimerIdx)j;
            event_init(&t->ev, timer_event, t);
            if (m->gic) {
                t->irq = gicv3_ppi_line(m->gic, i, timer_ppi[j]);
            }
        }
        event_init(&tc->evstream_ev, timer_evstream_event, tc);
        cpu->timer = tc;
        timer_reset_cpu(tc);
    }
    return true;
}

void timer_reset_all(Machine *m)
{
    for (int i = 0; i < m->ncpus; i++) {
        if (m->cpus[i] && m->cpus[i]->timer) {
            timer_reset_cpu(m->cpus[i]->timer);
        }
    }
}

void timer_destroy_all(Machine *m)
{
    for (int i = 0; i < m->ncpus; i++) {
        CPUState *cpu = m->cpus[i];
        TimerCPU *tc = cpu ? cpu->timer : NULL;
        if (!tc) {
            continue;
        }
        for (int j = 0; j < T_COUNT; j++) {
            event_cancel(&m->events, &tc->t[j].ev);
        }
        event_cancel(&m->events, &tc->evstream_ev);
        g_free(tc);
        cpu->timer = NULL;
    }
}

int timer_fdt_node(Machine *m, void *fdt)
{
    static const char *const compat[] = { "arm,armv8-timer", "arm,armv7-timer", NULL };
    int node = fdt_add_subnode(fdt, 0, "timer");
    if (node < 0) {
        return node;
    }
    /* secure phys, non-secure phys, virtual, hyp phys, then hyp virtual with VHE */
    static const int order[5] = {
        TIMER_PPI_SEC_PHYS, TIMER_PPI_PHYS, TIMER_PPI_VIRT, TIMER_PPI_HYP_PHYS, TIMER_PPI_HYP_VIRT,
    };
    int n = (m->ncpus > 0 && m->cpus[0] && tm_have_vhe(m->cpus[0])) ? 5 : 4;
    fdt32_t cells[15];
    for (int i = 0; i < n; i++) {
        cells[3 * i] = cpu_to_fdt32(FDT_IRQ_TYPE_PPI);
        cells[3 * i + 1] = cpu_to_fdt32((uint32_t)(order[i] - 16));
        cells[3 * i + 2] = cpu_to_fdt32(FDT_IRQ_LEVEL_HIGH);
    }
    int err = fdt_util_set_strings(fdt, node, "compatible", compat);
    err = err ? err : fdt_setprop(fdt, node, "interrupts", cells, (int)(sizeof(fdt32_t) * 3 * (size_t)n));
    /* the counter and comparators keep running in every power state modelled */
    err = err ? err : fdt_setprop_empty(fdt, node, "always-on");
    return err;
}
