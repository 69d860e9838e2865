#include <glib.h>
#include "core/event.h"

static int order[8], norder;
static void fire(void *opaque) { order[norder++] = (int)(uintptr_t)opaque; }

static void test_order(void)
{
    EventQueue q;
    Event a, b, c;
    event_queue_init(&q);
    event_init(&a, fire, (void *)1);
    event_init(&b, fire, (void *)2);
    event_init(&c, fire, (void *)3);
    event_schedule(&q, &a, 300);
    event_schedule(&q, &b, 100);
    event_schedule(&q, &c, 200);
    event_schedule(&q, &a, 150);   /* re-arm moves it */
    g_assert_cmpuint(event_next_deadline(&q), ==, 100);
    event_cancel(&q, &c);
    event_run_until(&q, 1000);
    g_assert_cmpint(norder, ==, 2);
    g_assert_cmpint(order[0], ==, 2);
    g_assert_cmpint(order[1], ==, 1);
    g_assert_cmpuint(event_next_deadline(&q), ==, UINT64_MAX);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/event/order", test_order);
    return g_test_run();
}
