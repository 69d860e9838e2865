/*
 * The stub end to end over a real TCP socket, with a hand-built two-vCPU
 * machine (no engine: the test plays the engine by calling the hooks
 * gdbstub_check_insn / gdbstub_check_watch as cpu/exec.c and cpu/mem.c do).
 */
#include <glib.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/gdbstub_int.h"
#include "core/log.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE 0x10000ULL

static Machine *m;
static uint8_t pending[1 << 16];
static size_t npending, pending_pos;
static int client = -1;
static GdbRx *rx;

static void machine_setup(bool wait)
{
    m = g_new0(Machine, 1);
    addrspace_init(&m->as);
    m->ram = g_malloc0(RAM_SIZE);
    g_assert_true(addrspace_add_ram(&m->as, "ram", RAM_BASE, RAM_SIZE, m->ram));
    m->ncpus = 2;
    for (int i = 0; i < 2; i++) {
        CPUState *cpu = g_malloc0(sizeof(CPUState));
        cpu->cpu_index = i;
        cpu->machine = m;
        cpu->el = 2;
        cpu->spsel = 1;
        cpu->pc = RAM_BASE + 0x100 * (unsigned)i;
        cpu->id.ID_AA64PFR0_EL1 = 1u << 8 | 1u << 12;   /* EL2 and EL3 implemented */
        m->cpus[i] = cpu;
    }
    char *err = NULL;
    g_assert_true(gdbstub_start(m, "tcp:127.0.0.1:0", wait, &err));
    g_assert_null(err);
    g_assert_cmpint(gdbstub_state->port, >, 0);

    client = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)gdbstub_state->port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(client, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    int one = 1;   /* as gdb does: no Nagle delay for the lone Ctrl-C byte */
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    rx = g_new0(GdbRx, 1);
    gdb_rx_init(rx);
    npending = pending_pos = 0;
    /* the connection is accepted on the next poll */
    for (int i = 0; i < 50 && !gdbstub_state->connected; i++) {
        gdbstub_poll(m, 10);
    }
    g_assert_true(gdbstub_state->connected);
}

static void machine_teardown(void)
{
    close(client);
    gdbstub_shutdown(m);
    for (int i = 0; i < m->ncpus; i++) {
        g_free(m->cpus[i]);
    }
    addrspace_destroy(&m->as);
    g_free(m->ram);
    g_free(m);
    g_free(rx);
}

static void send_raw(const void *buf, size_t len)
{
    g_assert_cmpint(send(client, buf, len, 0), ==, (ssize_t)len);
}

static void send_packet(const char *payload)
{
    uint8_t framed[GDB_TX_MAX];
    size_t n = gdb_tx_frame(payload, strlen(payload), framed, sizeof(framed));
    send_raw(framed, n);
}

/* Pump the stub until a reply packet arrives (acks skipped); NULL on timeout. */
static const char *recv_packet(void)
{
    static char reply[GDB_PACKET_MAX + 1];
    for (int rounds = 0; rounds < 200; rounds++) {
        while (pending_pos < npending) {
            if (gdb_rx_byte(rx, pending[pending_pos++]) == GDB_RX_PACKET) {
                memcpy(reply, rx->buf, rx->len + 1);
                return reply;
            }
        }
        npending = pending_pos = 0;
        gdbstub_state->last_poll_ns = 0;   /* no rate limit in the test */
        gdbstub_poll(m, 5);
        struct pollfd pfd = { .fd = client, .events = POLLIN };
        poll(&pfd, 1, 2);
        ssize_t got = recv(client, pending, sizeof(pending), MSG_DONTWAIT);
        if (got > 0) {
            npending = (size_t)got;
        }
    }
    return NULL;
}

static const char *xfer(const char *payload)
{
    send_packet(payload);
    return recv_packet();
}

static char *monitor(const char *cmd)
{
    GString *hex = g_string_new("qRcmd,");
    for (const char *p = cmd; *p; p++) {
        g_string_append_printf(hex, "%02x", (unsigned char)*p);
    }
    send_packet(hex->str);
    g_string_free(hex, TRUE);
    GString *text = g_string_new("");
    for (;;) {
        const char *r = recv_packet();
        g_assert_nonnull(r);
        if (r[0] != 'O' || !strcmp(r, "OK")) {
            g_assert_cmpstr(r, ==, "OK");
            break;
        }
        size_t n = strlen(r + 1) / 2;
        uint8_t *b = g_malloc(n + 1);
        g_assert_true(gdb_hex_decode(r + 1, n, b));
        g_string_append_len(text, (char *)b, (gssize)n);
        g_free(b);
    }
    return g_string_free(text, FALSE);
}

static void test_wait_and_attach(void)
{
    machine_setup(true);
    /* -S: the machine is held until gdb continues */
    g_assert_false(gdbstub_poll(m, 0));
    g_assert_false(gdbstub_cpu_may_run(m->cpus[0]));
    const char *r = xfer("qSupported:swbreak+;hwbreak+");
    g_assert_nonnull(strstr(r, "PacketSize=4000"));
    g_assert_cmpstr(xfer("?"), ==, "T05thread:1;");
    g_assert_cmpstr(xfer("qfThreadInfo"), ==, "m1,2");
    g_assert_cmpstr(xfer("QStartNoAckMode"), ==, "OK");
    /* target.xml is served and names the three features */
    GString *doc = g_string_new("");
    for (;;) {
        char req[80];
        snprintf(req, sizeof(req), "qXfer:features:read:target.xml:%zx,3fff", doc->len);
        r = xfer(req);
        g_assert_nonnull(r);
        g_assert_true(r[0] == 'm' || r[0] == 'l');
        g_string_append(doc, r + 1);
        if (r[0] == 'l') {
            break;
        }
    }
    r = doc->str;
    g_assert_true(g_str_has_suffix(r, "</target>\n"));
    g_assert_nonnull(strstr(r, "org.gnu.gdb.aarch64.core"));
    g_assert_nonnull(strstr(r, "org.gnu.gdb.aarch64.fpu"));
    g_assert_nonnull(strstr(r, "org.tandem.aarch64.sysregs"));
    g_assert_nonnull(strstr(r, "name=\"VBAR_EL1\""));
    g_assert_nonnull(strstr(r, "name=\"VTTBR_EL2\""));
    g_assert_nonnull(strstr(r, "name=\"SCR_EL3\""));
    g_assert_nonnull(strstr(r, "name=\"CurrentEL\""));
    g_assert_nonnull(strstr(r, "name=\"SP_EL2\""));
    g_string_free(doc, TRUE);
    /* continue: the vCPUs run */
    send_packet("c");
    g_assert_null(recv_packet() ? "unexpected reply" : NULL);
    g_assert_true(gdbstub_poll(m, 0));
    g_assert_true(gdbstub_cpu_may_run(m->cpus[1]));
    /* Ctrl-C stops them and reports SIGINT */
    send_raw("\x03", 1);
    r = recv_packet();
    g_assert_nonnull(r);
    g_assert_true(g_str_has_prefix(r, "T02thread:"));
    g_assert_false(gdbstub_poll(m, 0));
    /* everything waits with nothing to wake it: with gdb attached the stub stops the
     * machine and reports it instead of Tandem exiting */
    g_assert_false(gdbstub_idle(m));   /* already stopped */
    send_packet("vCont;c:2");
    g_assert_null(recv_packet());
    g_assert_true(gdbstub_idle(m));
    g_assert_cmpstr(recv_packet(), ==, "T05thread:2;");
    g_assert_false(gdbstub_poll(m, 0));
    /* detach: the machine runs on */
    g_assert_cmpstr(xfer("D"), ==, "OK");
    for (int i = 0; i < 10; i++) {
        gdbstub_poll(m, 1);
    }
    g_assert_false(gdbstub_state->connected);
    g_assert_true(gdbstub_poll(m, 0));
    machine_teardown();
}

static void test_registers(void)
{
    machine_setup(false);
    CPUState *cpu0 = m->cpus[0], *cpu1 = m->cpus[1];
    cpu0->x[0] = 0x1122334455667788ULL;
    cpu1->x[0] = 0xabcd;
    cpu0->sp = 0x40008000;
    cpu0->z[3].d[0] = 0x0102030405060708ULL;
    cpu0->z[3].d[1] = 0x1112131415161718ULL;
    cpu0->sr.VTTBR_EL2 = 0x0005000040010000ULL;
    cpu0->nzcv = PSTATE_Z;
    /* attaching stopped the running machine */
    g_assert_false(gdbstub_poll(m, 0));
    const char *r = xfer("g");
    g_assert_cmpuint(strlen(r), ==, 2 * (33 * 8 + 4 + 32 * 16 + 4 + 4));
    g_assert_true(g_str_has_prefix(r, "8877665544332211"));
    g_assert_cmpstr(xfer("p1f"), ==, "0080004000000000");     /* sp */
    g_assert_cmpstr(xfer("p20"), ==, "0000004000000000");     /* pc */
    g_assert_cmpstr(xfer("p21"), ==, "09000040");             /* cpsr: Z, EL2h */
    g_assert_cmpstr(xfer("p25"), ==, "08070605040302011817161514131211");  /* v3 */
    /* pc write */
    g_assert_cmpstr(xfer("P20=1000004000000000"), ==, "OK");
    g_assert_cmphex(cpu0->pc, ==, 0x40000010);
    /* v write */
    g_assert_cmpstr(xfer("P22=ffeeddccbbaa99887766554433221100"), ==, "OK");
    g_assert_cmphex(cpu0->z[0].d[0], ==, 0x8899aabbccddeeffULL);
    /* system registers by number: read VTTBR_EL2, write VBAR_EL1 */
    char pkt[64];
    int vttbr = gdbstub_reg_by_name("VTTBR_EL2");
    int vbar = gdbstub_reg_by_name("VBAR_EL1");
    int cur = gdbstub_reg_by_name("CurrentEL");
    int sp_el2 = gdbstub_reg_by_name("SP_EL2");
    int sp_el1 = gdbstub_reg_by_name("SP_EL1");
    g_assert_cmpint(vttbr, >=, 68);
    g_assert_cmpint(vbar, >=, 68);
    snprintf(pkt, sizeof(pkt), "p%x", vttbr);
    g_assert_cmpstr(xfer(pkt), ==, "0000014000000500");
    snprintf(pkt, sizeof(pkt), "P%x=0008004000000000", vbar);
    g_assert_cmpstr(xfer(pkt), ==, "OK");
    g_assert_cmphex(cpu0->sr.VBAR_ELx[1], ==, 0x40000800);
    g_assert_cmphex(cpu1->sr.VBAR_ELx[1], ==, 0);
    snprintf(pkt, sizeof(pkt), "p%x", cur);
    g_assert_cmpstr(xfer(pkt), ==, "0800000000000000");
    snprintf(pkt, sizeof(pkt), "P%x=0400000000000000", cur);
    g_assert_true(xfer(pkt)[0] == 'E');   /* CurrentEL is read-only */
    /* SP_EL2 is the current SP (EL2h); SP_EL1 is banked storage */
    snprintf(pkt, sizeof(pkt), "p%x", sp_el2);
    g_assert_cmpstr(xfer(pkt), ==, "0080004000000000");
    snprintf(pkt, sizeof(pkt), "P%x=0000000001000000", sp_el1);
    g_assert_cmpstr(xfer(pkt), ==, "OK");
    g_assert_cmphex(cpu0->sr.SP_ELx[1], ==, 0x100000000ULL);
    g_assert_cmphex(cpu0->sp, ==, 0x40008000);
    /* thread 2 */
    g_assert_cmpstr(xfer("Hg2"), ==, "OK");
    g_assert_cmpstr(xfer("p0"), ==, "cdab000000000000");
    g_assert_cmpstr(xfer("T2"), ==, "OK");
    g_assert_cmpstr(xfer("T3"), ==, "E03");
    r = xfer("qThreadExtraInfo,2");
    char text[64] = { 0 };
    g_assert_true(gdb_hex_decode(r, strlen(r) / 2, (uint8_t *)text));
    g_assert_cmpstr(text, ==, "CPU#1 EL2");
    machine_teardown();
}

static void test_memory_and_monitor(void)
{
    machine_setup(false);
    for (int i = 0; i < 16; i++) {
        m->ram[0x200 + i] = (uint8_t)(0x10 + i);
    }
    char *out = monitor("help");
    g_assert_nonnull(strstr(out, "walk VA"));
    g_assert_nonnull(strstr(out, "regime"));
    g_assert_nonnull(strstr(out, "step-irq"));
    g_assert_nonnull(strstr(out, "trace"));
    g_assert_nonnull(strstr(out, "tlb"));
    g_assert_nonnull(strstr(out, "el "));
    g_free(out);
    out = monitor("regime phys");
    g_assert_nonnull(strstr(out, "phys regime"));
    g_free(out);
    g_assert_cmpstr(xfer("m40000200,4"), ==, "10111213");
    g_assert_cmpstr(xfer("M40000204,2:abcd"), ==, "OK");
    g_assert_cmpint(m->ram[0x205], ==, 0xcd);
    /* past the end of RAM: the readable prefix; nothing mapped: an error */
    g_assert_cmpstr(xfer("m4000fffe,4"), ==, "0000");
    g_assert_cmpstr(xfer("m0,4"), ==, "E0e");
    out = monitor("regime bogus");
    g_assert_nonnull(strstr(out, "unknown regime"));
    g_free(out);
    out = monitor("step-irq on");
    g_assert_nonnull(strstr(out, "taken (on)"));
    g_assert_true(gdbstub_state->step_irq);
    g_free(out);
    out = monitor("trace int,mmu");
    g_assert_cmphex(log_mask, ==, LOG_INT | LOG_MMU);
    g_free(out);
    out = monitor("trace -mmu");
    g_assert_cmphex(log_mask, ==, LOG_INT);
    g_free(out);
    out = monitor("trace off");
    g_assert_cmphex(log_mask, ==, 0);
    g_free(out);
    out = monitor("trace nosuch");
    g_assert_nonnull(strstr(out, "unknown trace category 'nosuch'"));
    g_free(out);
    m->cpus[0]->sr.VTTBR_EL2 = 0x0003000040020000ULL;
    m->cpus[0]->sr.HCR_EL2 = 1ULL << 31 | 1;
    out = monitor("el");
    g_assert_nonnull(strstr(out, "VTTBR_EL2  0003000040020000  VMID=3"));
    g_assert_nonnull(strstr(out, "VM=1"));
    g_free(out);
    out = monitor("frobnicate");
    g_assert_nonnull(strstr(out, "unknown command"));
    g_free(out);
    machine_teardown();
}

static void test_breakpoints_and_step(void)
{
    machine_setup(false);
    CPUState *cpu0 = m->cpus[0], *cpu1 = m->cpus[1];
    xfer("qSupported:swbreak+;hwbreak+");
    uint64_t pc0 = cpu0->pc;
    char pkt[64];
    /* many breakpoints: no count limit */
    for (int i = 0; i < 200; i++) {
        snprintf(pkt, sizeof(pkt), "Z0,%llx,4", (unsigned long long)(0x50000000ULL + 4 * (unsigned)i));
        g_assert_cmpstr(xfer(pkt), ==, "OK");
    }
    snprintf(pkt, sizeof(pkt), "Z0,%llx,4", (unsigned long long)(pc0 + 8));
    g_assert_cmpstr(xfer(pkt), ==, "OK");
    g_assert_true(gdbstub_debug_flags & GDBSTUB_DEBUG_BREAK);
    send_packet("c");
    g_assert_true(gdbstub_poll(m, 0));
    /* the engine's view: insn at pc0 runs, pc0+4 runs, pc0+8 is the breakpoint */
    g_assert_false(gdbstub_check_insn(cpu0));
    cpu0->pc += 4;
    g_assert_false(gdbstub_check_insn(cpu0));
    cpu0->pc += 4;
    g_assert_true(gdbstub_check_insn(cpu0));
    g_assert_true(cpu0->exit_request);
    /* the other vCPU must not run further: all-stop */
    g_assert_false(gdbstub_cpu_may_run(cpu1));
    const char *r = recv_packet();
    g_assert_cmpstr(r, ==, "T05thread:1;swbreak:;");
    g_assert_false(gdbstub_poll(m, 0));
    /* continue from the breakpoint: it is stepped off, and hit again when the loop comes back */
    send_packet("c");
    g_assert_true(gdbstub_poll(m, 0));
    g_assert_false(gdbstub_check_insn(cpu0));
    cpu0->pc -= 8;
    g_assert_false(gdbstub_check_insn(cpu0));
    cpu0->pc += 8;
    g_assert_true(gdbstub_check_insn(cpu0));
    g_assert_cmpstr(recv_packet(), ==, "T05thread:1;swbreak:;");
    /* remove it; a hw breakpoint reports hwbreak */
    snprintf(pkt, sizeof(pkt), "z0,%llx,4", (unsigned long long)(pc0 + 8));
    g_assert_cmpstr(xfer(pkt), ==, "OK");
    snprintf(pkt, sizeof(pkt), "Z1,%llx,4", (unsigned long long)cpu1->pc);
    g_assert_cmpstr(xfer(pkt), ==, "OK");
    /* step thread 2 while thread 1 continues: thread 2 stops after one instruction */
    send_packet("vCont;s:2;c");
    g_assert_true(gdbstub_poll(m, 0));
    g_assert_true(gdbstub_debug_flags & GDBSTUB_DEBUG_STEP);
    g_assert_true(gdbstub_irq_masked(cpu1));    /* step-irq off by default */
    g_assert_false(gdbstub_irq_masked(cpu0));   /* cpu0 continues */
    g_assert_false(gdbstub_check_insn(cpu1));   /* the stepped instruction (also the hw bp: stepped off) */
    cpu1->pc += 4;
    g_assert_false(gdbstub_check_insn(cpu0));
    g_assert_true(gdbstub_check_insn(cpu1));
    g_assert_cmpstr(recv_packet(), ==, "T05thread:2;");
    g_assert_false(gdbstub_debug_flags & GDBSTUB_DEBUG_STEP);
    /* a step into an exception ends at the vector */
    send_packet("vCont;s:1");
    gdbstub_poll(m, 0);
    g_assert_false(gdbstub_cpu_may_run(cpu1));
    cpu0->pc = 0x40000400;   /* interrupt taken before the instruction */
    g_assert_true(gdbstub_check_insn(cpu0));
    g_assert_cmpstr(recv_packet(), ==, "T05thread:1;");
    /* a stopped vCPU that the loop runs anyway executes nothing */
    g_assert_true(gdbstub_check_insn(cpu1));
    machine_teardown();
}

static void test_watchpoints(void)
{
    machine_setup(false);
    CPUState *cpu0 = m->cpus[0], *cpu1 = m->cpus[1];
    g_assert_cmpstr(xfer("Z2,40000800,8"), ==, "OK");
    g_assert_cmpstr(xfer("Z3,40000900,4"), ==, "OK");
    g_assert_cmpstr(xfer("Z4,40000a00,1"), ==, "OK");
    g_assert_cmpstr(xfer("Z2,40000800,0"), ==, "E16");
    g_assert_true(gdbstub_debug_flags & GDBSTUB_DEBUG_WATCH);
    g_assert_true(gdbstub_page_watched(0x40000ff8));
    g_assert_false(gdbstub_page_watched(0x40001000));
    send_packet("c");
    g_assert_true(gdbstub_poll(m, 0));
    /* a read does not trigger a write watchpoint; a non-overlapping write neither */
    g_assert_false(gdbstub_check_watch(cpu0, 0x40000800, 8, false));
    g_assert_false(gdbstub_check_watch(cpu0, 0x40000808, 8, true));
    g_assert_false(gdbstub_check_watch(cpu0, 0x400007f8, 8, true));
    /* an 8-byte store at 0x400007fc overlaps: the reported address is inside the range */
    g_assert_true(gdbstub_check_watch(cpu1, 0x400007fc, 8, true));
    g_assert_cmpstr(recv_packet(), ==, "T05thread:2;watch:40000800;");
    send_packet("c");
    gdbstub_poll(m, 0);
    g_assert_false(gdbstub_check_watch(cpu0, 0x40000900, 4, true));
    g_assert_true(gdbstub_check_watch(cpu0, 0x40000902, 2, false));
    g_assert_cmpstr(recv_packet(), ==, "T05thread:1;rwatch:40000902;");
    send_packet("c");
    gdbstub_poll(m, 0);
    g_assert_true(gdbstub_check_watch(cpu0, 0x40000a00, 1, true));
    g_assert_cmpstr(recv_packet(), ==, "T05thread:1;awatch:40000a00;");
    g_assert_cmpstr(xfer("z2,40000800,8"), ==, "OK");
    g_assert_cmpstr(xfer("z3,40000900,4"), ==, "OK");
    g_assert_cmpstr(xfer("z4,40000a00,1"), ==, "OK");
    g_assert_false(gdbstub_debug_flags & GDBSTUB_DEBUG_WATCH);
    machine_teardown();
}

static void test_disconnect_and_busy(void)
{
    machine_setup(false);
    g_assert_cmpstr(xfer("Z0,40000000,4"), ==, "OK");
    /* a second debugger is turned away */
    int second = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)gdbstub_state->port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(second, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    char buf[16] = { 0 };
    for (int i = 0; i < 100; i++) {
        gdbstub_poll(m, 5);
        if (recv(second, buf, sizeof(buf) - 1, MSG_DONTWAIT) > 0) {
            break;
        }
    }
    g_assert_cmpstr(buf, ==, "$E10#a6");
    close(second);
    g_assert_true(gdbstub_state->connected);
    /* the first one vanishes without D: breakpoints go, the machine runs */
    close(client);
    for (int i = 0; i < 20 && gdbstub_state->connected; i++) {
        gdbstub_poll(m, 5);
    }
    g_assert_false(gdbstub_state->connected);
    g_assert_cmpuint(gdbstub_state->nbps, ==, 0);
    g_assert_true(gdbstub_poll(m, 0));
    client = socket(AF_INET, SOCK_STREAM, 0);   /* for teardown */
    machine_teardown();
}

static void test_bad_spec(void)
{
    Machine mm = { 0 };
    char *err = NULL;
    g_assert_false(gdbstub_start(&mm, "tcp::notaport", false, &err));
    g_assert_nonnull(strstr(err, "bad device"));
    g_free(err);
    err = NULL;
    g_assert_false(gdbstub_start(&mm, "tcp::99999", false, &err));
    g_free(err);
    g_assert_null(gdbstub_state);
    /* no stub: the hooks say "run" and find nothing */
    CPUState *cpu = g_malloc0(sizeof(CPUState));
    g_assert_true(gdbstub_poll(&mm, 0));
    g_assert_true(gdbstub_cpu_may_run(cpu));
    g_assert_false(gdbstub_check_insn(cpu));
    g_assert_false(gdbstub_check_watch(cpu, 0, 8, true));
    g_assert_false(gdbstub_idle(&mm));
    g_free(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/server/wait_attach", test_wait_and_attach);
    g_test_add_func("/gdbstub/server/registers", test_registers);
    g_test_add_func("/gdbstub/server/memory_monitor", test_memory_and_monitor);
    g_test_add_func("/gdbstub/server/breakpoints_step", test_breakpoints_and_step);
    g_test_add_func("/gdbstub/server/watchpoints", test_watchpoints);
    g_test_add_func("/gdbstub/server/disconnect", test_disconnect_and_busy);
    g_test_add_func("/gdbstub/server/bad_spec", test_bad_spec);
    return g_test_run();
}
