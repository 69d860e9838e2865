/* PL011 UART: registers, TX to the host, RX FIFO and interrupts, through MMIO. */
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "devices/chardev.h"
#include "devices/pl011.h"
#include "tests/unit/dev_test_env.h"

#define UART VIRT_UART_BASE

static bool irq_level;
static int irq_edges;
static void irq_set(void *opaque, int n, bool level)
{
    if (level != irq_level) {
        irq_edges++;
    }
    irq_level = level;
}

typedef struct Fixture {
    Machine *m;
    Device *uart;
    Chardev *chr;
    char *path;
} Fixture;

static uint32_t rd(Fixture *f, uint64_t off)
{
    uint64_t v = 0;
    g_assert_true(addrspace_read(&f->m->as, UART + off, 4, &v));
    return (uint32_t)v;
}

static void wr(Fixture *f, uint64_t off, uint32_t v)
{
    g_assert_true(addrspace_write(&f->m->as, UART + off, 4, v));
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    char *err = NULL;
    int fd = g_file_open_tmp("tandem-pl011-XXXXXX", &f->path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    char *spec = g_strdup_printf("file:%s", f->path);
    f->m = dev_test_machine_new(1, 1 << 20, true);
    f->chr = chardev_open(spec, &err);
    g_assert_nonnull(f->chr);
    g_free(spec);
    irq_level = false;
    irq_edges = 0;
    IRQLine line = { irq_set, NULL, 33 };
    f->uart = pl011_create(f->m, UART, 33, line, f->chr, &err);
    g_assert_nonnull(f->uart);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    f->uart->cls->destroy(f->uart);
    dev_test_machine_free(f->m);
    g_unlink(f->path);
    g_free(f->path);
}

static void test_ids_and_reset(Fixture *f, gconstpointer data)
{
    static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(rd(f, 0xfe0 + 4 * i), ==, id[i]);
    }
    g_assert_cmphex(rd(f, 0x18), ==, 0x90);    /* FR: TXFE | RXFE */
    g_assert_cmphex(rd(f, 0x30), ==, 0x300);   /* CR: TXE | RXE */
    g_assert_cmphex(rd(f, 0x34), ==, 0x12);    /* IFLS */
    g_assert_cmphex(rd(f, 0x3c), ==, 0);       /* RIS */
    wr(f, 0x24, 0x1234567);                    /* IBRD is 16 bits */
    g_assert_cmphex(rd(f, 0x24), ==, 0x4567);
    wr(f, 0x28, 0xff);                         /* FBRD is 6 bits */
    g_assert_cmphex(rd(f, 0x28), ==, 0x3f);
    uint64_t v;
    g_assert_false(addrspace_read(&f->m->as, UART, 8, &v));   /* 32-bit device */
    /* byte access to the upper half of a register */
    g_assert_true(addrspace_read(&f->m->as, UART + 0x31, 1, &v));
    g_assert_cmphex(v, ==, 0x03);
}

static void test_tx(Fixture *f, gconstpointer data)
{
    wr(f, 0x38, 1u << 5);    /* IMSC: TX */
    g_assert_false(irq_level);
    wr(f, 0x00, 'H');
    wr(f, 0x00, 0x100 | 'i');   /* only the low 8 bits are data */
    g_assert_true(irq_level);
    g_assert_cmphex(rd(f, 0x40), ==, 1u << 5);   /* MIS */
    wr(f, 0x44, 1u << 5);    /* ICR */
    g_assert_false(irq_level);
    g_assert_cmphex(rd(f, 0x3c) & (1u << 5), ==, 0);
    char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(f->path, &text, &len, NULL));
    g_assert_cmpuint(len, ==, 2);
    g_assert_cmpmem(text, 2, "Hi", 2);
    g_free(text);
}

static void test_rx_nofifo(Fixture *f, gconstpointer data)
{
    wr(f, 0x38, 1u << 4);    /* IMSC: RX */
    chardev_inject(f->chr, (const uint8_t *)"ab", 2);
    pl011_poll(f->uart);
    /* FIFO disabled: one-character holding register, trigger at 1 */
    g_assert_cmphex(rd(f, 0x18) & 0x50, ==, 0x40);   /* RXFF, not RXFE */
    g_assert_true(irq_level);
    g_assert_cmphex(rd(f, 0x00), ==, 'a');
    /* the next buffered byte moves in at once */
    g_assert_true(irq_level);
    g_assert_cmphex(rd(f, 0x00), ==, 'b');
    g_assert_false(irq_level);
    g_assert_cmphex(rd(f, 0x18) & 0x10, ==, 0x10);   /* RXFE */
}

static void test_rx_fifo_trigger_and_timeout(Fixture *f, gconstpointer data)
{
    wr(f, 0x2c, 1u << 4);            /* LCR_H.FEN */
    wr(f, 0x34, 0);                  /* RX trigger 1/8 = 2 entries */
    wr(f, 0x38, (1u << 4) | (1u << 6));
    chardev_inject(f->chr, (const uint8_t *)"x", 1);
    pl011_poll(f->uart);
    g_assert_false(irq_level);       /* below trigger, data just arrived */
    pl011_poll(f->uart);             /* a tick with nothing new: receive timeout */
    g_assert_true(irq_level);
    g_assert_cmphex(rd(f, 0x3c) & 0x50, ==, 0x40);   /* RTRIS only */
    g_assert_cmphex(rd(f, 0x00), ==, 'x');
    g_assert_false(irq_level);       /* empty FIFO clears RT */
    chardev_inject(f->chr, (const uint8_t *)"0123456789abcdefXYZ", 19);
    pl011_poll(f->uart);
    g_assert_cmphex(rd(f, 0x3c) & 0x10, ==, 0x10);   /* RXRIS: >= trigger */
    g_assert_cmphex(rd(f, 0x18) & 0x40, ==, 0x40);   /* 16 entries: RXFF */
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(rd(f, 0x00), ==, "0123456789abcdef"[i]);
    }
    /* the 3 bytes left in the host buffer refilled the FIFO as it drained */
    g_assert_cmphex(rd(f, 0x00), ==, 'X');
    g_assert_cmphex(rd(f, 0x00), ==, 'Y');
    g_assert_cmphex(rd(f, 0x3c) & 0x10, ==, 0);       /* 1 left: below trigger */
    g_assert_cmphex(rd(f, 0x00), ==, 'Z');
    g_assert_false(irq_level);
}

static void test_loopback(Fixture *f, gconstpointer data)
{
    wr(f, 0x30, 0x381);              /* UARTEN | LBE | TXE | RXE */
    wr(f, 0x00, 'q');
    g_assert_cmphex(rd(f, 0x00), ==, 'q');
    char *text = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(f->path, &text, &len, NULL));
    g_assert_cmpuint(len, ==, 0);    /* nothing went to the host */
    g_free(text);
}

static int quits;
static void on_quit(void *opaque) { quits++; }

static void test_mux(void)
{
    char *err = NULL;
    Chardev *c = chardev_open("mon:stdio", &err);
    g_assert_nonnull(c);
    chardev_set_quit_handler(c, on_quit, NULL);
    const uint8_t in[] = { 'a', 0x01, 0x01, 'b', 0x01, 'z', 'c', 0x01, 'x' };
    chardev_inject(c, in, sizeof(in));
    g_assert_cmpint(chardev_read_byte(c), ==, 'a');
    g_assert_cmpint(chardev_read_byte(c), ==, 0x01);   /* C-a C-a sends C-a */
    g_assert_cmpint(chardev_read_byte(c), ==, 'b');
    g_assert_cmpint(chardev_read_byte(c), ==, 'c');    /* unknown escape dropped */
    g_assert_cmpint(chardev_read_byte(c), ==, -1);
    g_assert_cmpint(quits, ==, 1);
    chardev_close(c);
    g_assert_null(chardev_open("tcp:1234", &err));
    g_assert_nonnull(err);
    g_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add("/pl011/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD("ids-reset", test_ids_and_reset);
    ADD("tx", test_tx);
    ADD("rx-nofifo", test_rx_nofifo);
    ADD("rx-fifo", test_rx_fifo_trigger_and_timeout);
    ADD("loopback", test_loopback);
    g_test_add_func("/pl011/mux", test_mux);
    return g_test_run();
}
