/*
 * The virtual clock and event queue. Virtual time (ns) advances with retired
 * instructions (deterministic) or with the host clock; timers schedule
 * callbacks at absolute virtual times. When every vCPU waits, the main loop
 * jumps time to the next deadline.
 */
#ifndef TANDEM_CORE_EVENT_H
#define TANDEM_CORE_EVENT_H

#include "core/types.h"

typedef void (*EventFn)(void *opaque);

typedef struct Event {
    uint64_t when_ns;
    EventFn fn;
    void *opaque;
    bool pending;
    struct Event *next;
} Event;

typedef struct EventQueue {
    Event *head;           /* sorted by when_ns */
    uint64_t now_ns;       /* current virtual time */
    uint64_t ns_per_insn_shift; /* instruction-derived time: ns = insns << shift (docs) */
    bool host_clock;
    uint64_t host_base_ns;
} EventQueue;

void event_queue_init(EventQueue *q);
void event_init(Event *e, EventFn fn, void *opaque);
/* (Re)arm e at absolute virtual time when_ns. */
void event_schedule(EventQueue *q, Event *e, uint64_t when_ns);
void event_cancel(EventQueue *q, Event *e);
/* Deadline of the earliest pending event, or UINT64_MAX. */
uint64_t event_next_deadline(const EventQueue *q);
/* Advance virtual time to now_ns and run every event due. */
void event_run_until(EventQueue *q, uint64_t now_ns);

#endif
