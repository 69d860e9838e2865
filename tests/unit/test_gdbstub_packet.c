/* RSP framing: checksums, escapes, run-length decoding, acks, malformed frames. */
#include <glib.h>
#include <stdio.h>

#include "core/gdbstub_packet.h"

static GdbRx rx;

/* Feed a string; return the last non-NONE event (and how many such events). */
static GdbRxEvent feed(const char *s, size_t len, int *nevents)
{
    GdbRxEvent last = GDB_RX_NONE;
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        GdbRxEvent e = gdb_rx_byte(&rx, (uint8_t)s[i]);
        if (e != GDB_RX_NONE) {
            last = e;
            n++;
        }
    }
    if (nevents) {
        *nevents = n;
    }
    return last;
}

static GdbRxEvent feed_str(const char *s)
{
    return feed(s, strlen(s), NULL);
}

static void test_checksum(void)
{
    gdb_rx_init(&rx);
    g_assert_cmpint(feed_str("$g#67"), ==, GDB_RX_PACKET);
    g_assert_cmpuint(rx.len, ==, 1);
    g_assert_cmpstr((char *)rx.buf, ==, "g");
    g_assert_cmpint(feed_str("$g#68"), ==, GDB_RX_BAD_CHECKSUM);
    g_assert_cmpint(feed_str("$g#6G"), ==, GDB_RX_BAD_FRAME);
    g_assert_cmpint(feed_str("$g#G7"), ==, GDB_RX_BAD_FRAME);
    /* upper-case checksum digits are accepted */
    g_assert_cmpint(feed_str("$qSupported#37"), ==, GDB_RX_PACKET);
    g_assert_cmpint(feed_str("$#00"), ==, GDB_RX_PACKET);
    g_assert_cmpuint(rx.len, ==, 0);
    g_assert_cmpint(feed_str("$m0,4#FD"), ==, GDB_RX_PACKET);
}

static void test_acks_and_noise(void)
{
    gdb_rx_init(&rx);
    g_assert_cmpint(feed_str("+"), ==, GDB_RX_ACK);
    g_assert_cmpint(feed_str("-"), ==, GDB_RX_NAK);
    g_assert_cmpint(feed_str("\x03"), ==, GDB_RX_INTERRUPT);
    g_assert_cmpint(feed_str("garbage#zz\n\r"), ==, GDB_RX_NONE);
    /* 0x03 inside a packet is data (binary X payloads may contain it) */
    char pkt[16];
    uint8_t payload[3] = { 'X', 0x03, 'y' };
    size_t n = gdb_tx_frame(payload, 3, (uint8_t *)pkt, sizeof(pkt));
    g_assert_cmpint(feed(pkt, n, NULL), ==, GDB_RX_PACKET);
    g_assert_cmpuint(rx.len, ==, 3);
    g_assert_cmpint(rx.buf[1], ==, 0x03);
}

static void test_escape_roundtrip(void)
{
    uint8_t payload[256];
    uint8_t framed[600];
    for (int i = 0; i < 256; i++) {
        payload[i] = (uint8_t)i;
    }
    size_t n = gdb_tx_frame(payload, sizeof(payload), framed, sizeof(framed));
    g_assert_cmpuint(n, ==, 1 + 256 + 4 + 3);   /* four escaped bytes */
    /* none of the reserved characters appear raw between $ and # */
    for (size_t i = 1; i < n - 3; i++) {
        g_assert_true(framed[i] != '$' && framed[i] != '#' && framed[i] != '*');
    }
    gdb_rx_init(&rx);
    g_assert_cmpint(feed((char *)framed, n, NULL), ==, GDB_RX_PACKET);
    g_assert_cmpuint(rx.len, ==, 256);
    g_assert_cmpmem(rx.buf, 256, payload, 256);
    /* too small an output buffer: nothing framed */
    g_assert_cmpuint(gdb_tx_frame(payload, sizeof(payload), framed, 100), ==, 0);
}

static void test_rle(void)
{
    gdb_rx_init(&rx);
    /* "0* " is '0' repeated 1 + (32-29) = 4 times */
    char pkt[32];
    const char *body = "0* ";
    uint8_t sum = 0;
    for (const char *p = body; *p; p++) {
        sum += (uint8_t)*p;
    }
    snprintf(pkt, sizeof(pkt), "$%s#%02x", body, sum);
    g_assert_cmpint(feed_str(pkt), ==, GDB_RX_PACKET);
    g_assert_cmpstr((char *)rx.buf, ==, "0000");

    /* RLE with nothing before it, an unprintable count, and a dangling '*' / '}' are malformed */
    const char *bad[] = { "* ", "a*\x01", "a*", "ab}" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        sum = 0;
        for (const char *p = bad[i]; *p; p++) {
            sum += (uint8_t)*p;
        }
        snprintf(pkt, sizeof(pkt), "$%s#%02x", bad[i], sum);
        g_assert_cmpint(feed_str(pkt), ==, GDB_RX_BAD_FRAME);
    }
    /* '~' is the largest count: 97 more copies */
    sum = (uint8_t)('z' + '*' + '~');
    snprintf(pkt, sizeof(pkt), "$z*~#%02x", sum);
    g_assert_cmpint(feed_str(pkt), ==, GDB_RX_PACKET);
    g_assert_cmpuint(rx.len, ==, 98);
}

static void test_resync(void)
{
    gdb_rx_init(&rx);
    /* A truncated frame followed by a new one: the new one wins. */
    int n;
    g_assert_cmpint(feed(("$m1000,$g#67"), 12, &n), ==, GDB_RX_PACKET);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpstr((char *)rx.buf, ==, "g");
    /* '$' in the checksum position restarts too */
    g_assert_cmpint(feed_str("$g#6$g#67"), ==, GDB_RX_PACKET);
    g_assert_cmpint(feed_str("$g#$g#67"), ==, GDB_RX_PACKET);
    /* a frame that never ends leaves the machine waiting, not wedged */
    g_assert_cmpint(feed_str("$aaaa"), ==, GDB_RX_NONE);
    g_assert_cmpint(feed_str("$g#67"), ==, GDB_RX_PACKET);
}

static void test_overflow(void)
{
    gdb_rx_init(&rx);
    size_t len = GDB_PACKET_MAX + 100;
    char *big = g_malloc(len + 8);
    uint8_t sum = 0;
    big[0] = '$';
    for (size_t i = 1; i <= len; i++) {
        big[i] = 'a';
        sum += 'a';
    }
    snprintf(big + len + 1, 7, "#%02x", sum);
    g_assert_cmpint(feed(big, len + 4, NULL), ==, GDB_RX_OVERFLOW);
    g_assert_cmpuint(rx.len, ==, GDB_PACKET_MAX);
    /* RLE expansion cannot overflow either: many '*~' in a row */
    gdb_rx_init(&rx);
    GString *s = g_string_new("$a");
    sum = 'a';
    for (int i = 0; i < 400; i++) {
        g_string_append(s, "*~");
        sum += '*' + '~';
    }
    g_string_append_printf(s, "#%02x", sum);
    g_assert_cmpint(feed(s->str, s->len, NULL), ==, GDB_RX_OVERFLOW);
    /* and the parser is usable afterwards */
    g_assert_cmpint(feed_str("$g#67"), ==, GDB_RX_PACKET);
    g_string_free(s, TRUE);
    g_free(big);
}

static void test_hex_and_cursor(void)
{
    uint8_t b[4];
    char h[9] = { 0 };
    g_assert_true(gdb_hex_decode("deadBEEF", 4, b));
    g_assert_cmpint(b[0], ==, 0xde);
    g_assert_cmpint(b[3], ==, 0xef);
    gdb_hex_encode(b, 4, h);
    g_assert_cmpstr(h, ==, "deadbeef");
    g_assert_false(gdb_hex_decode("zz", 1, b));

    GdbCursor c;
    uint64_t v;
    gdb_cursor_init(&c, "ffffffffffffffff,1", 18);
    g_assert_true(gdb_cursor_hex64(&c, &v));
    g_assert_cmphex(v, ==, UINT64_MAX);
    g_assert_true(gdb_cursor_eat(&c, ','));
    g_assert_true(gdb_cursor_hex64(&c, &v));
    g_assert_true(gdb_cursor_done(&c));
    /* 17 significant digits overflow */
    gdb_cursor_init(&c, "10000000000000000", 17);
    g_assert_false(gdb_cursor_hex64(&c, &v));
    /* leading zeros are fine */
    gdb_cursor_init(&c, "000000000000000000001", 21);
    g_assert_true(gdb_cursor_hex64(&c, &v));
    g_assert_cmphex(v, ==, 1);
    /* no digits */
    gdb_cursor_init(&c, ",", 1);
    g_assert_false(gdb_cursor_hex64(&c, &v));
    gdb_cursor_init(&c, "", 0);
    g_assert_false(gdb_cursor_hex64(&c, &v));

    int64_t tid;
    gdb_cursor_init(&c, "-1", 2);
    g_assert_true(gdb_cursor_thread_id(&c, &tid));
    g_assert_cmpint(tid, ==, -1);
    gdb_cursor_init(&c, "p1.2", 4);
    g_assert_true(gdb_cursor_thread_id(&c, &tid));
    g_assert_cmpint(tid, ==, 2);
    gdb_cursor_init(&c, "p1", 2);
    g_assert_true(gdb_cursor_thread_id(&c, &tid));
    g_assert_cmpint(tid, ==, -1);
    gdb_cursor_init(&c, "ffffffffff", 10);
    g_assert_false(gdb_cursor_thread_id(&c, &tid));
    gdb_cursor_init(&c, "p", 1);
    g_assert_false(gdb_cursor_thread_id(&c, &tid));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/packet/checksum", test_checksum);
    g_test_add_func("/gdbstub/packet/acks", test_acks_and_noise);
    g_test_add_func("/gdbstub/packet/escape", test_escape_roundtrip);
    g_test_add_func("/gdbstub/packet/rle", test_rle);
    g_test_add_func("/gdbstub/packet/resync", test_resync);
    g_test_add_func("/gdbstub/packet/overflow", test_overflow);
    g_test_add_func("/gdbstub/packet/hex", test_hex_and_cursor);
    return g_test_run();
}
