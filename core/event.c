/* Virtual clock and event queue (see core/event.h). */
#include "core/event.h"

void event_queue_init(EventQueue *q)
{
    memset(q, 0, sizeof(*q));
}

void event_init(Event *e, EventFn fn, void *opaque)
{
    memset(e, 0, sizeof(*e));
    e->fn = fn;
    e->opaque = opaque;
}

void event_cancel(EventQueue *q, Event *e)
{
    if (!e->pending) {
        return;
    }
    for (Event **pp = &q->head; *pp; pp = &(*pp)->next) {
        if (*pp == e) {
            *pp = e->next;
            break;
        }
    }
    e->pending = false;
    e->next = NULL;
}

void event_schedule(EventQueue *q, Event *e, uint64_t when_ns)
{
    event_cancel(q, e);
    e->when_ns = when_ns;
    Event **pp = &q->head;
    /* Equal deadlines keep insertion order, so runs are deterministic. */
    while (*pp && (*pp)->when_ns <= when_ns) {
        pp = &(*pp)->next;
    }
    e->next = *pp;
    *pp = e;
    e->pending = true;
}

uint64_t event_next_deadline(const EventQueue *q)
{
    return q->head ? q->head->when_ns : UINT64_MAX;
}

void event_run_until(EventQueue *q, uint64_t now_ns)
{
    if (now_ns > q->now_ns) {
        q->now_ns = now_ns;
    }
    while (q->head && q->head->when_ns <= q->now_ns) {
        Event *e = q->head;
        q->head = e->next;
        e->next = NULL;
        e->pending = false;
        e->fn(e->opaque);   /* may re-arm e */
    }
}
