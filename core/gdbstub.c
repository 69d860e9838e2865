/*
 * The GDB stub's server and execution control: a TCP listener polled from the
 * main loop (no threads), all-stop run control over the vCPUs, and the
 * breakpoint/watchpoint sets the engine consults (core/gdbstub.h).
 */
#include "core/gdbstub_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "mmu/mmu.h"

/* While running, look at the socket at most this often (a poll() per quantum would cost). */
#define GDBSTUB_POLL_INTERVAL_NS 2000000ULL

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---------------- breakpoints and watchpoints ---------------- */

static void flush_soft_tlbs(GdbStub *s)
{
    for (int i = 0; i < s->m->ncpus; i++) {
        CPUState *cpu = s->m->cpus[i];
        if (!cpu) {
            continue;
        }
        mmu_flush_soft_tlb(cpu);
    }
}

int gdbstub_bp_insert(GdbStub *s, int type, uint64_t addr, uint64_t kind)
{
    if (type == GDB_BP_SW || type == GDB_BP_HW) {
        /* kind is the instruction size (4 for A64): the match is on the address */
        size_t i = gdbstub_bp_lower_bound(s, addr);
        for (size_t j = i; j < s->nbps && s->bps[j].va == addr; j++) {
            if (s->bps[j].type == type) {
                s->bps[j].refs++;
                return 0;
            }
        }
        if (s->nbps == s->capbps) {
            size_t cap = s->capbps ? 2 * s->capbps : 64;
            GdbBreakpoint *nb = realloc(s->bps, cap * sizeof(*nb));
            if (!nb) {
                return -1;
            }
            s->bps = nb;
            s->capbps = cap;
        }
        memmove(&s->bps[i + 1], &s->bps[i], (s->nbps - i) * sizeof(*s->bps));
        s->bps[i] = (GdbBreakpoint){ .va = addr, .type = (uint8_t)type, .refs = 1 };
        s->nbps++;
        gdbstub_update_flags(s);
        return 0;
    }
    if (type >= GDB_WP_WRITE && type <= GDB_WP_ACCESS) {
        if (kind == 0 || addr + kind - 1 < addr) {
            return -1;   /* empty or wrapping range */
        }
        for (size_t j = 0; j < s->nwps; j++) {
            if (s->wps[j].va == addr && s->wps[j].len == kind && s->wps[j].type == type) {
                s->wps[j].refs++;
                return 0;
            }
        }
        if (s->nwps == s->capwps) {
            size_t cap = s->capwps ? 2 * s->capwps : 16;
            GdbWatchpoint *nw = realloc(s->wps, cap * sizeof(*nw));
            if (!nw) {
                return -1;
            }
            s->wps = nw;
            s->capwps = cap;
        }
        s->wps[s->nwps++] = (GdbWatchpoint){ .va = addr, .len = kind, .type = (uint8_t)type, .refs = 1 };
        gdbstub_update_flags(s);
        /* Pages with a watchpoint must leave the soft TLB fast path. */
        flush_soft_tlbs(s);
        return 0;
    }
    return 1;
}

int gdbstub_bp_remove(GdbStub *s, int type, uint64_t addr, uint64_t kind)
{
    if (type == GDB_BP_SW || type == GDB_BP_HW) {
        for (size_t j = gdbstub_bp_lower_bound(s, addr); j < s->nbps && s->bps[j].va == addr; j++) {
            if (s->bps[j].type == type) {
                if (--s->bps[j].refs == 0) {
                    memmove(&s->bps[j], &s->bps[j + 1], (s->nbps - j - 1) * sizeof(*s->bps));
                    s->nbps--;
                    gdbstub_update_flags(s);
                }
                return 0;
            }
        }
        return -1;
    }
    if (type >= GDB_WP_WRITE && type <= GDB_WP_ACCESS) {
        for (size_t j = 0; j < s->nwps; j++) {
            if (s->wps[j].va == addr && s->wps[j].len == kind && s->wps[j].type == type) {
                if (--s->wps[j].refs == 0) {
                    s->wps[j] = s->wps[--s->nwps];
                    gdbstub_update_flags(s);
                }
                return 0;
            }
        }
        return -1;
    }
    return 1;
}

void gdbstub_bp_clear_all(GdbStub *s)
{
    s->nbps = 0;
    s->nwps = 0;
    gdbstub_update_flags(s);
}

/* ---------------- execution control ---------------- */

void gdbstub_stop_all(GdbStub *s, const GdbStop *why)
{
    s->stop_pending = false;
    s->stopped = true;
    for (int i = 0; i < MACHINE_MAX_CPUS; i++) {
        s->action[i] = GDB_ACT_STOP;
    }
    gdbstub_update_flags(s);
    gdbstub_kick_cpus(s);
    if (s->connected) {
        gdb_session_stopped(&s->session, why);
    }
}

void gdbstub_resume(GdbStub *s, const GdbAction *actions, int count)
{
    bool any = false;
    for (int i = 0; i < MACHINE_MAX_CPUS; i++) {
        s->action[i] = i < count && i < s->m->ncpus ? actions[i] : GDB_ACT_STOP;
        CPUState *cpu = i < s->m->ncpus ? s->m->cpus[i] : NULL;
        if (cpu) {
            s->resume_icount[i] = cpu->icount;
            s->resume_pc[i] = cpu->pc;
            s->first_insn[i] = true;
            cpu->exit_request = 1;   /* re-check interrupts held back while stopped or stepping */
        } else {
            s->action[i] = GDB_ACT_STOP;
        }
        any |= s->action[i] != GDB_ACT_STOP;
    }
    s->stop_pending = false;
    s->stopped = false;
    gdbstub_update_flags(s);
    if (!any) {
        /* vCont;t or nothing runnable: report the stop at once rather than hang gdb */
        GdbStop st = { .tid = s->session.g_tid > 0 ? s->session.g_tid : 1, .signal = GDB_SIGTRAP };
        gdbstub_stop_all(s, &st);
    }
}

/* A stepping vCPU that cannot execute (powered off) completes its step at once. */
static void check_dead_steps(GdbStub *s)
{
    for (int i = 0; i < s->m->ncpus && i < MACHINE_MAX_CPUS; i++) {
        CPUState *cpu = s->m->cpus[i];
        if (s->action[i] == GDB_ACT_STEP && cpu && cpu->powered_off) {
            gdbstub_stop_request(s, cpu, GDB_SIGTRAP, GDB_STOP_SIGNAL, 0);
            return;
        }
    }
}

/* ---------------- connection ---------------- */

static void client_send(void *io, const uint8_t *buf, size_t len)
{
    GdbStub *s = io;
    while (len && s->client_fd >= 0) {
        ssize_t n = send(s->client_fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            /* gdb went away or stopped reading for the send timeout: drop it */
            fprintf(stderr, "gdbstub: send failed (%s), closing the connection\n", strerror(errno));
            close(s->client_fd);
            s->client_fd = -1;
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

static void client_close(GdbStub *s)
{
    if (s->client_fd >= 0) {
        close(s->client_fd);
        s->client_fd = -1;
    }
    bool was_connected = s->connected;
    s->connected = false;
    if (was_connected) {
        /* gdb is gone: its breakpoints go with it and the machine runs on (as after D). */
        gdbstub_bp_clear_all(s);
        GdbAction all[MACHINE_MAX_CPUS];
        for (int i = 0; i < MACHINE_MAX_CPUS; i++) {
            all[i] = GDB_ACT_CONTINUE;
        }
        if (!s->m->shutdown_requested) {
            gdbstub_resume(s, all, s->m->ncpus);
        }
    }
}

static void client_accept(GdbStub *s)
{
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0) {
        return;
    }
    if (s->client_fd >= 0) {
        /* one debugger at a time */
        static const char busy[] = "$E10#a6";
        (void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL);
        close(fd);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct timeval tv = { .tv_sec = 5 };
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    s->client_fd = fd;
    s->connected = true;
    gdb_session_init(&s->session, &gdbstub_target_ops, s, client_send, s);
    /* gdb expects a stopped target on attach. */
    GdbStop st = { .tid = 1, .signal = GDB_SIGTRAP, .reason = GDB_STOP_SIGNAL };
    if (!s->stopped) {
        gdbstub_stop_all(s, &st);
    }
    gdb_session_set_stopped(&s->session, &st);
}

static void service_socket(GdbStub *s, int wait_ms)
{
    struct pollfd pfd[2];
    int n = 0;
    pfd[n++] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
    if (s->client_fd >= 0) {
        pfd[n++] = (struct pollfd){ .fd = s->client_fd, .events = POLLIN };
    }
    int r = poll(pfd, (nfds_t)n, wait_ms);
    if (r <= 0) {
        return;
    }
    if (n > 1 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
        uint8_t buf[4096];
        /* Bounded per call so a flooding client cannot starve the machine. */
        for (int rounds = 0; rounds < 16 && s->client_fd >= 0; rounds++) {
            ssize_t got = recv(s->client_fd, buf, sizeof(buf), MSG_DONTWAIT);
            if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                break;
            }
            if (got <= 0) {
                client_close(s);
                break;
            }
            gdb_session_input(&s->session, buf, (size_t)got);
            if (s->session.detached) {
                client_close(s);
                break;
            }
        }
        if (s->client_fd < 0 && s->connected) {
            client_close(s);   /* a send failed inside the session */
        }
    }
    if (pfd[0].revents & POLLIN) {
        client_accept(s);
    }
}

bool gdbstub_poll(Machine *m, int wait_ms)
{
    GdbStub *s = gdbstub_state;
    if (!s || s->m != m) {
        return true;
    }
    if (!s->stopped) {
        check_dead_steps(s);
    }
    if (s->stop_pending) {
        GdbStop st = s->pending;
        gdbstub_stop_all(s, &st);
    }
    if (!s->stopped) {
        uint64_t now = monotonic_ns();
        if (now - s->last_poll_ns < GDBSTUB_POLL_INTERVAL_NS) {
            return true;
        }
        s->last_poll_ns = now;
    }
    service_socket(s, s->stopped ? wait_ms : 0);
    if (s->stop_pending) {
        GdbStop st = s->pending;
        gdbstub_stop_all(s, &st);
    }
    return !s->stopped || m->shutdown_requested;
}

bool gdbstub_idle(Machine *m)
{
    GdbStub *s = gdbstub_state;
    if (!s || s->m != m || !s->connected || s->stopped) {
        return false;
    }
    /* Report it on a vCPU gdb let run (the one stepping into WFI, typically). */
    GdbStop st = { .tid = 1, .signal = GDB_SIGTRAP, .reason = GDB_STOP_SIGNAL };
    for (int i = 0; i < m->ncpus && i < MACHINE_MAX_CPUS; i++) {
        if (s->action[i] != GDB_ACT_STOP) {
            st.tid = i + 1;
            break;
        }
    }
    fprintf(stderr, "gdbstub: every running vCPU waits and nothing can wake them: stopped for gdb\n");
    gdbstub_stop_all(s, &st);
    return true;
}

void gdbstub_notify_exit(Machine *m, int code)
{
    GdbStub *s = gdbstub_state;
    if (s && s->m == m && s->connected) {
        gdb_session_exited(&s->session, code);
    }
}

static int listen_on(const char *spec, char **error, int *port_out)
{
    char host[256] = "127.0.0.1";
    char port[32];
    const char *p = spec;
    if (!strncmp(p, "tcp:", 4)) {
        p += 4;
        const char *colon = strrchr(p, ':');
        if (!colon) {
            snprintf(port, sizeof(port), "%s", p);
        } else {
            if (colon > p) {
                snprintf(host, sizeof(host), "%.*s", (int)(colon - p), p);
            }
            snprintf(port, sizeof(port), "%s", colon + 1);
        }
    } else {
        snprintf(port, sizeof(port), "%s", p);
    }
    char *end;
    long pn = strtol(port, &end, 10);
    if (!port[0] || *end || pn < 0 || pn > 65535) {
        *error = g_strdup_printf("-gdb: bad device '%s' (expected tcp::PORT or tcp:HOST:PORT)", spec);
        return -1;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
    struct addrinfo *ai;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc) {
        *error = g_strdup_printf("-gdb %s: %s", spec, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = ai; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) {
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 1) == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    if (fd < 0) {
        *error = g_strdup_printf("-gdb %s: cannot listen: %s", spec, strerror(errno));
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    *port_out = (int)pn;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET) {
            *port_out = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            *port_out = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
        }
    }
    return fd;
}

bool gdbstub_start(Machine *m, const char *spec, bool wait, char **error)
{
    char *err = NULL;
    int port = 0;
    if (gdbstub_state) {
        *error = g_strdup("gdbstub: already started");
        return false;
    }
    int fd = listen_on(spec, &err, &port);
    if (fd < 0) {
        *error = err;
        return false;
    }
    GdbStub *s = calloc(1, sizeof(*s));
    if (!s) {
        close(fd);
        *error = g_strdup("gdbstub: out of memory");
        return false;
    }
    s->m = m;
    s->listen_fd = fd;
    s->client_fd = -1;
    s->stopped = wait;
    for (int i = 0; i < MACHINE_MAX_CPUS; i++) {
        s->action[i] = wait ? GDB_ACT_STOP : GDB_ACT_CONTINUE;
    }
    s->port = port;
    gdbstub_state = s;
    gdbstub_update_flags(s);
    /* Tests start with tcp::0 and read the port chosen by the kernel from here. */
    fprintf(stderr, "gdbstub: listening on port %d%s\n", port, wait ? ", waiting for gdb (-S)" : "");
    return true;
}

void gdbstub_shutdown(Machine *m)
{
    GdbStub *s = gdbstub_state;
    if (!s || s->m != m) {
        return;
    }
    if (s->client_fd >= 0) {
        close(s->client_fd);
    }
    close(s->listen_fd);
    free(s->bps);
    free(s->wps);
    free(s);
    gdbstub_state = NULL;
    gdbstub_debug_flags = 0;
}
