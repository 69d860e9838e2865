/* RSP command layer against a fake target: every command, and malformed variants of each. */
#include <glib.h>
#include <stdio.h>

#include "core/gdbstub_session.h"
#include "gdb_fake_target.h"

static FakeTarget fake;
static GdbSession sess;

static void setup(void)
{
    fake_setup(&fake, &sess);
}

/* Send payload as a proper frame; return the decoded reply (the last frame in the output). */
static const char *xfer_bytes(const void *payload, size_t len)
{
    static uint8_t framed[GDB_TX_MAX];
    static char reply[GDB_PACKET_MAX + 1];
    size_t n = gdb_tx_frame(payload, len, framed, sizeof(framed));
    g_assert_cmpuint(n, >, 0);
    fake.out_len = 0;
    gdb_session_input(&sess, framed, n);
    /* decode every frame in the output; keep the last */
    GdbRx *rx = g_new0(GdbRx, 1);
    gdb_rx_init(rx);
    reply[0] = 0;
    bool got = false;
    for (size_t i = 0; i < fake.out_len; i++) {
        if (gdb_rx_byte(rx, fake.out[i]) == GDB_RX_PACKET) {
            memcpy(reply, rx->buf, rx->len + 1);
            got = true;
        }
    }
    g_free(rx);
    return got ? reply : NULL;
}

static const char *xfer(const char *payload)
{
    return xfer_bytes(payload, strlen(payload));
}

static void test_ack_mode(void)
{
    setup();
    xfer("qSupported:swbreak+;hwbreak+;xmlRegisters=i386");
    g_assert_cmpint(fake.out[0], ==, '+');
    const char *r = xfer("qSupported:swbreak+;hwbreak+");
    g_assert_nonnull(strstr(r, "PacketSize=4000"));
    g_assert_nonnull(strstr(r, "qXfer:features:read+"));
    g_assert_nonnull(strstr(r, "QStartNoAckMode+"));
    g_assert_nonnull(strstr(r, "swbreak+"));
    /* NAK retransmits the last reply verbatim */
    size_t first = fake.out_len - 1;   /* without the leading '+' */
    uint8_t copy[512];
    memcpy(copy, fake.out + 1, first);
    fake.out_len = 0;
    gdb_session_input(&sess, (const uint8_t *)"-", 1);
    g_assert_cmpuint(fake.out_len, ==, first);
    g_assert_cmpmem(fake.out, first, copy, first);
    /* bad checksum gets '-' and nothing else */
    fake.out_len = 0;
    gdb_session_input(&sess, (const uint8_t *)"$g#00", 5);
    g_assert_cmpuint(fake.out_len, ==, 1);
    g_assert_cmpint(fake.out[0], ==, '-');
    /* no-ack mode: no '+' afterwards */
    g_assert_cmpstr(xfer("QStartNoAckMode"), ==, "OK");
    xfer("g");
    g_assert_cmpint(fake.out[0], ==, '$');
    fake.out_len = 0;
    gdb_session_input(&sess, (const uint8_t *)"$g#00", 5);
    g_assert_cmpuint(fake.out_len, ==, 0);
}

static void test_registers(void)
{
    setup();
    fake.regs[0][0] = 0x1122334455667788ULL;
    fake.regs[0][32] = 0x40000000;
    fake.regs[0][33] = 0x3c5;
    fake.regs[1][0] = 0xabcdef;
    const char *r = xfer("g");
    g_assert_cmpuint(strlen(r), ==, (33 * 8 + 4) * 2);
    g_assert_true(g_str_has_prefix(r, "8877665544332211"));
    g_assert_true(g_str_has_suffix(r, "0000004000000000c5030000"));
    g_assert_cmpstr(xfer("p20"), ==, "0000004000000000");
    g_assert_cmpstr(xfer("p21"), ==, "c5030000");
    g_assert_cmpstr(xfer("p22"), ==, "0000000000000000");   /* outside g: still readable */
    g_assert_cmpstr(xfer("P22=0102030405060708"), ==, "OK");
    fake.regs[0][33] = 0xdead;   /* unavailable: "xx" per byte, in p and g */
    g_assert_cmpstr(xfer("p21"), ==, "xxxxxxxx");
    g_assert_true(g_str_has_suffix(xfer("g"), "xxxxxxxx"));
    fake.regs[0][33] = 0x3c5;
    g_assert_cmphex(fake.regs[0][34], ==, 0x0807060504030201ULL);
    /* thread selection */
    g_assert_cmpstr(xfer("Hg2"), ==, "OK");
    g_assert_cmpstr(xfer("p0"), ==, "efcdab0000000000");
    g_assert_cmpstr(xfer("Hg3"), ==, "E03");
    g_assert_cmpstr(xfer("Hgp1.1"), ==, "OK");
    g_assert_cmpstr(xfer("p0"), ==, "8877665544332211");
    /* malformed */
    const char *bad[] = { "p", "p23", "pzz", "p1,", "P0", "P0=", "P0=01", "P0=zz00000000000000",
                          "P0=00000000000000000", "P99999999999=00", "p100000000000000000", "gx",
                          "Hx1", "Hg", "H", "Hgq" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        r = xfer(bad[i]);
        g_assert_nonnull(r);
        g_assert_true(r[0] == 'E');
    }
    /* G round trip: write back a modified g */
    char *g = g_strdup(xfer("g"));
    g[0] = 'f';
    g[1] = 'f';
    char *G = g_strconcat("G", g, NULL);
    g_assert_cmpstr(xfer(G), ==, "OK");
    g_assert_cmphex(fake.regs[0][0] & 0xff, ==, 0xff);
    G[strlen(G) - 1] = 0;   /* truncated: partial register */
    g_assert_cmpstr(xfer(G), ==, "E16");
    g_free(G);
    g_free(g);
}

static void test_memory(void)
{
    setup();
    for (int i = 0; i < 16; i++) {
        fake.mem[i] = (uint8_t)(0xa0 + i);
    }
    g_assert_cmpstr(xfer("m1000,4"), ==, "a0a1a2a3");
    g_assert_cmpstr(xfer("m1000,0"), ==, "");
    g_assert_cmpstr(xfer("m0,4"), ==, "E0e");
    /* partial read at the end of memory */
    g_assert_cmpstr(xfer("m10ffe,8"), ==, "0000");
    /* huge length is clamped, not allocated */
    const char *r = xfer("m1000,ffffffffffffffff");
    g_assert_cmpuint(strlen(r), ==, GDB_PACKET_MAX);
    g_assert_cmpstr(xfer("M1004,2:beef"), ==, "OK");
    g_assert_cmpint(fake.mem[4], ==, 0xbe);
    g_assert_cmpstr(xfer("M1004,2:bee"), ==, "E16");
    g_assert_cmpstr(xfer("M1004,1:beef"), ==, "E16");
    g_assert_cmpstr(xfer("M0,1:00"), ==, "E0e");
    /* X with binary data including every reserved character */
    uint8_t pkt[64];
    int n = snprintf((char *)pkt, sizeof(pkt), "X1008,6:");
    uint8_t data[6] = { '$', '#', '}', '*', 0, 0x03 };
    memcpy(pkt + n, data, 6);
    g_assert_cmpstr(xfer_bytes(pkt, (size_t)n + 6), ==, "OK");
    g_assert_cmpmem(fake.mem + 8, 6, data, 6);
    g_assert_cmpstr(xfer("X1008,0:"), ==, "OK");
    g_assert_cmpstr(xfer("X1008,2:a"), ==, "E16");
    g_assert_cmpstr(xfer("X1008,1:ab"), ==, "E16");
    g_assert_cmpstr(xfer("X1008,1"), ==, "E16");
    const char *bad[] = { "m", "m1000", "m1000,", "m,4", "m1000,4x", "mx,4", "M", "M1000,1",
                          "X", "m10000000000000000,1" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_cmpstr(xfer(bad[i]), ==, "E16");
    }
}

static void test_breakpoints(void)
{
    setup();
    g_assert_cmpstr(xfer("Z0,40001000,4"), ==, "OK");
    g_assert_cmpstr(xfer("Z2,40002000,8"), ==, "OK");
    g_assert_cmpint(fake.nbp, ==, 2);
    g_assert_cmpint(fake.bp[1].type, ==, GDB_WP_WRITE);
    g_assert_cmphex(fake.bp[1].kind, ==, 8);
    g_assert_cmpstr(xfer("z0,40001000,4"), ==, "OK");
    g_assert_cmpstr(xfer("z0,40001000,4"), ==, "E16");
    g_assert_cmpstr(xfer("Z4,dead,4"), ==, "");
    g_assert_cmpstr(xfer("Z5,0,4"), ==, "");
    g_assert_cmpstr(xfer("Z0,0,4;X1,0"), ==, "E16");
    g_assert_cmpstr(xfer("Z0"), ==, "E16");
    g_assert_cmpstr(xfer("Z0,"), ==, "E16");
    g_assert_cmpstr(xfer("Z0,1"), ==, "E16");
    g_assert_cmpstr(xfer("Z,1,4"), ==, "E16");
    for (int i = 0; i < FAKE_MAX_BP; i++) {
        xfer("Z1,1,4");
    }
    g_assert_cmpstr(xfer("Z1,1,4"), ==, "E16");
}

static void test_execution(void)
{
    setup();
    g_assert_cmpstr(xfer("?"), ==, "S05");
    GdbStop st = { .tid = 2, .signal = GDB_SIGTRAP, .reason = GDB_STOP_SIGNAL };
    gdb_session_set_stopped(&sess, &st);
    g_assert_cmpstr(xfer("?"), ==, "T05thread:2;");
    g_assert_cmpstr(xfer("qC"), ==, "QC2");

    /* c: no immediate reply, everybody continues */
    g_assert_null(xfer("c"));
    g_assert_cmpint(fake.resumes, ==, 1);
    g_assert_cmpint(fake.last_actions[0], ==, GDB_ACT_CONTINUE);
    g_assert_cmpint(fake.last_actions[1], ==, GDB_ACT_CONTINUE);
    g_assert_true(sess.running);
    /* Ctrl-C interrupts; the fake reports SIGINT on thread 1 */
    fake.out_len = 0;
    gdb_session_input(&sess, (const uint8_t *)"\x03", 1);
    g_assert_cmpint(fake.interrupts, ==, 1);
    g_assert_false(sess.running);
    g_assert_nonnull(g_strstr_len((char *)fake.out, fake.out_len, "$T02thread:1;#"));
    /* Ctrl-C while stopped does nothing */
    gdb_session_input(&sess, (const uint8_t *)"\x03", 1);
    g_assert_cmpint(fake.interrupts, ==, 1);

    /* vCont with per-thread actions */
    g_assert_cmpstr(xfer("vCont?"), ==, "vCont;c;C;s;S");
    g_assert_null(xfer("vCont;s:2;c"));
    g_assert_cmpint(fake.last_actions[0], ==, GDB_ACT_CONTINUE);
    g_assert_cmpint(fake.last_actions[1], ==, GDB_ACT_STEP);
    st = (GdbStop){ .tid = 2, .signal = GDB_SIGTRAP, .reason = GDB_STOP_WATCH, .addr = 0x40002004 };
    fake.out_len = 0;
    gdb_session_stopped(&sess, &st);
    g_assert_nonnull(g_strstr_len((char *)fake.out, fake.out_len, "T05thread:2;watch:40002004;"));
    g_assert_null(xfer("vCont;s:p1.1"));
    g_assert_cmpint(fake.last_actions[0], ==, GDB_ACT_STEP);
    g_assert_cmpint(fake.last_actions[1], ==, GDB_ACT_STOP);
    g_assert_null(xfer("vCont;C05:1;S05"));
    g_assert_cmpint(fake.last_actions[0], ==, GDB_ACT_CONTINUE);
    g_assert_cmpint(fake.last_actions[1], ==, GDB_ACT_STEP);
    /* legacy s steps only the Hc thread */
    g_assert_cmpstr(xfer("Hc2"), ==, "OK");
    g_assert_null(xfer("s"));
    g_assert_cmpint(fake.last_actions[0], ==, GDB_ACT_STOP);
    g_assert_cmpint(fake.last_actions[1], ==, GDB_ACT_STEP);
    /* c addr sets the pc first */
    g_assert_null(xfer("c40000100"));
    g_assert_cmphex(fake.regs[1][32], ==, 0x40000100);
    int resumes = fake.resumes;
    const char *bad[] = { "vCont", "vCont;", "vCont;x", "vCont;s:", "vCont;s:zz", "vCont;C", "vCont;c;",
                          "cq", "c1,", "Cxx", "C05;", "C05;zz", "S" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        const char *r = xfer(bad[i]);
        g_assert_nonnull(r);
        g_assert_true(r[0] == 'E' || r[0] == 0);
    }
    g_assert_cmpint(fake.resumes, ==, resumes);

    /* swbreak only when gdb announced it */
    st = (GdbStop){ .tid = 1, .signal = GDB_SIGTRAP, .reason = GDB_STOP_SWBREAK };
    xfer("c");
    fake.out_len = 0;
    gdb_session_stopped(&sess, &st);
    g_assert_null(g_strstr_len((char *)fake.out, fake.out_len, "swbreak"));
    xfer("qSupported:swbreak+");
    xfer("c");
    fake.out_len = 0;
    gdb_session_stopped(&sess, &st);
    g_assert_nonnull(g_strstr_len((char *)fake.out, fake.out_len, "T05thread:1;swbreak:;"));

    /* exit */
    fake.out_len = 0;
    gdb_session_exited(&sess, 3);
    g_assert_nonnull(g_strstr_len((char *)fake.out, fake.out_len, "$W03#"));
}

static void test_threads(void)
{
    setup();
    g_assert_cmpstr(xfer("qfThreadInfo"), ==, "m1,2");
    g_assert_cmpstr(xfer("qsThreadInfo"), ==, "l");
    g_assert_cmpstr(xfer("T1"), ==, "OK");
    g_assert_cmpstr(xfer("T2"), ==, "OK");
    g_assert_cmpstr(xfer("T3"), ==, "E03");
    g_assert_cmpstr(xfer("T0"), ==, "E03");
    g_assert_cmpstr(xfer("T"), ==, "E03");
    const char *r = xfer("qThreadExtraInfo,2");
    char text[64] = { 0 };
    g_assert_true(gdb_hex_decode(r, strlen(r) / 2, (uint8_t *)text));
    g_assert_cmpstr(text, ==, "fake cpu 1");
    g_assert_cmpstr(xfer("qThreadExtraInfo,9"), ==, "E03");
    g_assert_cmpstr(xfer("qAttached"), ==, "1");
    g_assert_cmpstr(xfer("qSymbol::"), ==, "OK");
    g_assert_cmpstr(xfer("vMustReplyEmpty"), ==, "");
    g_assert_cmpstr(xfer("qOffsets"), ==, "");
    g_assert_cmpstr(xfer(""), ==, "");
    g_assert_cmpstr(xfer("\x01\xff"), ==, "");
}

static void test_xfer(void)
{
    setup();
    const char *r = xfer("qXfer:features:read:target.xml:0,fff");
    g_assert_cmpint(r[0], ==, 'l');
    g_assert_cmpstr(r + 1, ==, fake_xml);   /* escapes undone by the receiver */
    r = xfer("qXfer:features:read:target.xml:0,10");
    g_assert_cmpint(r[0], ==, 'm');
    g_assert_cmpuint(strlen(r), ==, 0x11);
    r = xfer("qXfer:features:read:target.xml:10,10000000");
    g_assert_cmpint(r[0], ==, 'l');
    g_assert_cmpstr(r + 1, ==, fake_xml + 0x10);
    g_assert_cmpstr(xfer("qXfer:features:read:target.xml:ffffffff,10"), ==, "l");
    g_assert_cmpstr(xfer("qXfer:features:read:nope.xml:0,10"), ==, "E00");
    g_assert_cmpstr(xfer("qXfer:features:read:target.xml:0"), ==, "E16");
    g_assert_cmpstr(xfer("qXfer:features:read:target.xml"), ==, "E16");
    g_assert_cmpstr(xfer("qXfer:features:read:"), ==, "E16");
    char longannex[200];
    memset(longannex, 'a', sizeof(longannex));
    memcpy(longannex, "qXfer:features:read:", 20);
    longannex[sizeof(longannex) - 1] = 0;
    g_assert_cmpstr(xfer(longannex), ==, "E16");
}

static void test_monitor(void)
{
    setup();
    /* "help" */
    const char *r = xfer("qRcmd,68656c70");
    g_assert_cmpstr(r, ==, "OK");
    g_assert_cmpstr(fake.last_monitor, ==, "help");
    /* The output came as an O packet before the OK. */
    g_assert_nonnull(g_strstr_len((char *)fake.out, fake.out_len, "$O6563686f3a2068656c700a#"));
    g_assert_cmpstr(xfer("qRcmd,6"), ==, "E16");
    g_assert_cmpstr(xfer("qRcmd,zz"), ==, "E16");
    g_assert_cmpstr(xfer("qRcmd,6100"), ==, "E16");   /* embedded NUL */
    /* Long output is split into several O packets, each within PacketSize */
    g_assert_cmpstr(xfer("qRcmd,626967"), ==, "OK");
    GdbRx *rx = g_new0(GdbRx, 1);
    gdb_rx_init(rx);
    int opackets = 0;
    size_t total = 0;
    for (size_t i = 0; i < fake.out_len; i++) {
        if (gdb_rx_byte(rx, fake.out[i]) == GDB_RX_PACKET && rx->buf[0] == 'O') {
            opackets++;
            total += (rx->len - 1) / 2;
        }
    }
    g_free(rx);
    g_assert_cmpint(opackets, >, 1);
    g_assert_cmpuint(total, >, 1000 * 20);
}

static void test_detach_kill(void)
{
    setup();
    g_assert_cmpstr(xfer("D"), ==, "OK");
    g_assert_cmpint(fake.detaches, ==, 1);
    g_assert_true(sess.detached);
    /* nothing is processed after a detach */
    g_assert_null(xfer("g"));
    setup();
    g_assert_null(xfer("k"));
    g_assert_cmpint(fake.kills, ==, 1);
    setup();
    g_assert_cmpstr(xfer("vKill;1"), ==, "OK");
    g_assert_cmpint(fake.kills, ==, 1);
}

static void test_bad_frames(void)
{
    setup();
    /* malformed frame: '+' then an error reply, so gdb never waits forever */
    fake.out_len = 0;
    gdb_session_input(&sess, (const uint8_t *)"$a}#be", 6);
    g_assert_cmpint(fake.out[0], ==, '+');
    g_assert_nonnull(g_strstr_len((char *)fake.out, fake.out_len, "$E01#"));
    g_assert_cmpuint(sess.bad_packets, ==, 1);
    /* oversized */
    GString *s = g_string_new("$");
    uint8_t sum = 0;
    for (int i = 0; i < GDB_PACKET_MAX + 1; i++) {
        g_string_append_c(s, 'm');
        sum += 'm';
    }
    g_string_append_printf(s, "#%02x", sum);
    fake.out_len = 0;
    gdb_session_input(&sess, (const uint8_t *)s->str, s->len);
    g_assert_nonnull(g_strstr_len((char *)fake.out, fake.out_len, "$E01#"));
    g_string_free(s, TRUE);
    /* still healthy */
    g_assert_cmpstr(xfer("qAttached"), ==, "1");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/session/ack", test_ack_mode);
    g_test_add_func("/gdbstub/session/registers", test_registers);
    g_test_add_func("/gdbstub/session/memory", test_memory);
    g_test_add_func("/gdbstub/session/breakpoints", test_breakpoints);
    g_test_add_func("/gdbstub/session/execution", test_execution);
    g_test_add_func("/gdbstub/session/threads", test_threads);
    g_test_add_func("/gdbstub/session/xfer", test_xfer);
    g_test_add_func("/gdbstub/session/monitor", test_monitor);
    g_test_add_func("/gdbstub/session/detach", test_detach_kill);
    g_test_add_func("/gdbstub/session/bad_frames", test_bad_frames);
    return g_test_run();
}
