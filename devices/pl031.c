/*
 * ARM PrimeCell RTC (PL031), ARM DDI 0224. A 32-bit seconds counter that
 * counts from the time of machine creation: RTCDR = base + elapsed virtual
 * seconds. In host-clock mode the base is the host's UTC time (seconds since
 * the epoch) when the RTC was created; in the default instruction-time mode
 * it is a fixed date (PL031_DETERMINISTIC_BASE) so that a run is reproducible
 * (docs/impdef.md). Elapsed time is virtual time, so the guest's clock
 * agrees with its timers.
 * RTCLR loads the counter, RTCMR sets the match value; a match raises RTCRIS
 * (and the interrupt if RTCIMSC), scheduled on the event queue.
 */
#include "devices/pl031.h"

#include <time.h>

#include <glib.h>

#include "core/log.h"
#include "devices/primecell.h"

enum {
    RTC_DR = 0x00, RTC_MR = 0x04, RTC_LR = 0x08, RTC_CR = 0x0c,
    RTC_IMSC = 0x10, RTC_RIS = 0x14, RTC_MIS = 0x18, RTC_ICR = 0x1c,
};

#define NS_PER_SEC 1000000000ULL
#define PL031_DETERMINISTIC_BASE 1767225600u   /* 2026-01-01T00:00:00Z */

static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

typedef struct PL031 {
    Device dev;
    Machine *m;
    IRQLine irq;
    Event match_ev;
    bool irq_level;
    /* counter value = tick_offset + floor(now_ns / 1e9), mod 2^32 */
    uint32_t tick_offset;
    uint64_t match_ns;         /* virtual time of the next RTCDR == RTCMR */
    uint32_t mr, lr, imsc, ris;
    uint32_t host_base;
} PL031;

static uint32_t pl031_count(PL031 *s)
{
    return s->tick_offset + (uint32_t)(machine_now_ns(s->m) / NS_PER_SEC);
}

static void pl031_update_irq(PL031 *s)
{
    bool level = (s->ris & s->imsc & 1) != 0;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(&s->irq, level);
    }
}

/*
 * The next match: the start of the second in which the counter becomes MR.
 * The event is only queued while the interrupt is unmasked (a match decades
 * away must not be what the main loop jumps to when every vCPU sleeps);
 * RTCRIS is brought up to date lazily when read.
 */
static void pl031_arm_match(PL031 *s)
{
    uint64_t now = machine_now_ns(s->m);
    uint64_t delta = (uint32_t)(s->mr - pl031_count(s));   /* seconds until match, mod 2^32 */
    if (delta == 0) {
        delta = 1ULL << 32;   /* matching now: the next match is after a full wrap */
    }
    s->match_ns = now - now % NS_PER_SEC + delta * NS_PER_SEC;
    if (s->imsc & 1) {
        event_schedule(&s->m->events, &s->match_ev, s->match_ns);
    } else {
        event_cancel(&s->m->events, &s->match_ev);
    }
}

/* Latch every match that has happened by now into RTCRIS. */
static void pl031_catch_up(PL031 *s)
{
    if (machine_now_ns(s->m) >= s->match_ns) {
        s->ris |= 1;
        pl031_arm_match(s);
    }
}

static void pl031_match_event(void *opaque)
{
    PL031 *s = opaque;
    pl031_catch_up(s);
    pl031_update_irq(s);
}

static bool pl031_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    PL031 *s = opaque;
    if (size != 4 || (offset & 3)) {
        return false;   /* word registers only */
    }
    uint32_t v;
    if (!primecell_read_id(pl031_id, offset, &v)) {
        switch (offset) {
        case RTC_DR: v = pl031_count(s); break;
        case RTC_MR: v = s->mr; break;
        case RTC_LR: v = s->lr; break;            /* the last value loaded */
        case RTC_CR: v = 1; break;                /* always started (RTCCR.RTCStart is write-once to 1) */
        case RTC_IMSC: v = s->imsc; break;
        case RTC_RIS: pl031_catch_up(s); v = s->ris; break;
        case RTC_MIS: pl031_catch_up(s); v = s->ris & s->imsc; break;
        default:
            LOG(LOG_GUEST_ERRORS, "pl031: read of unknown register 0x%llx\n", (unsigned long long)offset);
            v = 0;
            break;
        }
    }
    *value = v;
    return true;
}

static bool pl031_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    PL031 *s = opaque;
    if (size != 4 || (offset & 3)) {
        return false;
    }
    uint32_t v = (uint32_t)value;
    switch (offset) {
    case RTC_LR:
        s->lr = v;
        pl031_catch_up(s);
        s->tick_offset = v - (uint32_t)(machine_now_ns(s->m) / NS_PER_SEC);
        pl031_arm_match(s);
        break;
    case RTC_MR:
        pl031_catch_up(s);
        s->mr = v;
        pl031_arm_match(s);
        break;
    case RTC_IMSC:
        pl031_catch_up(s);
        s->imsc = v & 1;
        pl031_arm_match(s);
        pl031_update_irq(s);
        break;
    case RTC_ICR:
        pl031_catch_up(s);
        s->ris &= ~(v & 1);
        pl031_update_irq(s);
        break;
    case RTC_CR: break;   /* the counter cannot be stopped once started */
    default:
        LOG(LOG_GUEST_ERRORS, "pl031: write to read-only/unknown register 0x%llx\n",
            (unsigned long long)offset);
        break;
    }
    return true;
}

static const MMIOOps pl031_ops = { .read = pl031_read, .write = pl031_write };

static void pl031_reset(Device *dev)
{
    PL031 *s = (PL031 *)dev;
    s->tick_offset = s->host_base - (uint32_t)(machine_now_ns(s->m) / NS_PER_SEC);
    s->mr = s->lr = s->imsc = s->ris = 0;
    s->irq_level = false;
    irq_set_level(&s->irq, false);
    pl031_arm_match(s);
}

static int pl031_fdt_node(Device *dev, void *fdt)
{
    static const char *const compat[] = { "arm,pl031", "arm,primecell", NULL };
    static const char *const clock_names[] = { "apb_pclk", NULL };
    return primecell_fdt_node(dev, fdt, "pl031", compat, clock_names);
}

static void pl031_destroy(Device *dev)
{
    PL031 *s = (PL031 *)dev;
    event_cancel(&s->m->events, &s->match_ev);
    g_free(s);
}

static const DeviceClass pl031_class = {
    .name = "pl031",
    .reset = pl031_reset,
    .fdt_node = pl031_fdt_node,
    .destroy = pl031_destroy,
};

Device *pl031_create(Machine *m, uint64_t base, int intid, IRQLine irq, char **error)
{
    PL031 *s = g_new0(PL031, 1);
    s->dev.cls = &pl031_class;
    s->dev.base = base;
    s->dev.size = VIRT_RTC_SIZE;
    s->dev.irq = intid;
    s->m = m;
    s->irq = irq;
    s->host_base = m->opts.icount_host ? (uint32_t)time(NULL) : PL031_DETERMINISTIC_BASE;
    event_init(&s->match_ev, pl031_match_event, s);
    if (!addrspace_add_mmio(&m->as, "pl031", base, VIRT_RTC_SIZE, &pl031_ops, s)) {
        *error = g_strdup_printf("pl031: MMIO range at 0x%llx overlaps another region",
                                 (unsigned long long)base);
        g_free(s);
        return NULL;
    }
    pl031_reset(&s->dev);
    return &s->dev;
}
