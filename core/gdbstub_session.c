/*
 * GDB RSP command layer: one handler per packet letter / query name, each
 * parsing with a bounded cursor and answering OK, data, an E error, or the
 * empty reply for "not supported". Reference: the GDB manual, appendix
 * "Remote Serial Protocol".
 */
#include "core/gdbstub_session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Error numbers in E replies (errno values, as gdbserver uses them). */
#define GDB_EFAULT "E0e"
#define GDB_EINVAL "E16"
#define GDB_ESRCH  "E03"

/* ---------------- output buffers ---------------- */

void gdb_out_printf(GdbOut *out, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if (out->len + (size_t)n + 1 > GDB_OUT_MAX) {
        out->truncated = true;
        return;
    }
    if (out->len + (size_t)n + 1 > out->cap) {
        size_t cap = out->cap ? out->cap : 1024;
        while (cap < out->len + (size_t)n + 1) {
            cap *= 2;
        }
        char *nb = realloc(out->buf, cap);
        if (!nb) {
            out->truncated = true;
            return;
        }
        out->buf = nb;
        out->cap = cap;
    }
    if ((size_t)n < sizeof(small)) {
        memcpy(out->buf + out->len, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(out->buf + out->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    out->len += (size_t)n;
}

void gdb_out_free(GdbOut *out)
{
    free(out->buf);
    memset(out, 0, sizeof(*out));
}

/* ---------------- reply assembly ---------------- */

static void reply_reset(GdbSession *s)
{
    s->reply_len = 0;
    s->reply_overflow = false;
}

static void reply_bytes(GdbSession *s, const void *data, size_t len)
{
    if (s->reply_len + len > GDB_PACKET_MAX) {
        s->reply_overflow = true;
        return;
    }
    memcpy(s->reply + s->reply_len, data, len);
    s->reply_len += len;
}

static void reply_str(GdbSession *s, const char *str)
{
    reply_bytes(s, str, strlen(str));
}

static void reply_fmt(GdbSession *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply_fmt(GdbSession *s, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > 0) {
        reply_bytes(s, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    }
}

static void reply_hex(GdbSession *s, const uint8_t *bytes, size_t len)
{
    if (s->reply_len + 2 * len > GDB_PACKET_MAX) {
        s->reply_overflow = true;
        return;
    }
    gdb_hex_encode(bytes, len, s->reply + s->reply_len);
    s->reply_len += 2 * len;
}

static void send_frame(GdbSession *s, const void *payload, size_t len)
{
    size_t n = gdb_tx_frame(payload, len, s->tx, sizeof(s->tx));
    if (n) {
        s->tx_len = n;
        s->send(s->io, s->tx, n);
    }
}

/* Send the assembled reply (an overflowing one becomes an error rather than a truncated answer). */
static void reply_send(GdbSession *s)
{
    if (s->reply_overflow) {
        reply_reset(s);
        reply_str(s, "E01");
    }
    send_frame(s, s->reply, s->reply_len);
    reply_reset(s);
}

static void reply_now(GdbSession *s, const char *str)
{
    reply_reset(s);
    reply_str(s, str);
    reply_send(s);
}

/* ---------------- helpers ---------------- */

static int thread_count(GdbSession *s)
{
    int n = s->ops->thread_count(s->target);
    return n < 0 ? 0 : n > GDB_MAX_THREADS ? GDB_MAX_THREADS : n;
}

static bool thread_valid(GdbSession *s, int64_t tid)
{
    return tid >= 1 && tid <= thread_count(s);
}

/* The thread g/p/m operate on: Hg's choice, falling back to the first thread. */
static int g_thread(GdbSession *s)
{
    return thread_valid(s, s->g_tid) ? s->g_tid : 1;
}

static void stop_reply(GdbSession *s, const GdbStop *st)
{
    reply_reset(s);
    reply_fmt(s, "T%02xthread:%x;", st->signal & 0xff, st->tid);
    switch (st->reason) {
    case GDB_STOP_SWBREAK:
        if (s->gdb_swbreak) {
            reply_str(s, "swbreak:;");
        }
        break;
    case GDB_STOP_HWBREAK:
        if (s->gdb_hwbreak) {
            reply_str(s, "hwbreak:;");
        }
        break;
    case GDB_STOP_WATCH:
        reply_fmt(s, "watch:%llx;", (unsigned long long)st->addr);
        break;
    case GDB_STOP_RWATCH:
        reply_fmt(s, "rwatch:%llx;", (unsigned long long)st->addr);
        break;
    case GDB_STOP_AWATCH:
        reply_fmt(s, "awatch:%llx;", (unsigned long long)st->addr);
        break;
    default:
        break;
    }
    reply_send(s);
}

/* ---------------- registers ---------------- */

/* A register value as hex, or "xx" per byte when the target says it is unavailable. */
static void reply_reg(GdbSession *s, const uint8_t *buf, int size)
{
    if (size & GDB_REG_UNAVAILABLE) {
        size &= ~GDB_REG_UNAVAILABLE;
        for (int i = 0; i < size; i++) {
            reply_str(s, "xx");
        }
        return;
    }
    reply_hex(s, buf, (size_t)size);
}

/* The size of a register (without the unavailable flag). */
static int reg_size(int size)
{
    return size < 0 ? size : size & ~GDB_REG_UNAVAILABLE;
}

static void cmd_read_all_regs(GdbSession *s)
{
    uint8_t buf[512];
    int tid = g_thread(s);
    int n = s->ops->g_reg_count(s->target);
    reply_reset(s);
    for (int r = 0; r < n; r++) {
        int size = s->ops->reg_read(s->target, tid, r, buf, sizeof(buf));
        if (size < 0) {
            reply_reset(s);
            reply_str(s, "E01");
            break;
        }
        reply_reg(s, buf, size);
    }
    reply_send(s);
}

static void cmd_write_all_regs(GdbSession *s, GdbCursor *c)
{
    uint8_t buf[512];
    int tid = g_thread(s);
    int n = s->ops->g_reg_count(s->target);
    for (int r = 0; r < n && !gdb_cursor_done(c); r++) {
        int size = reg_size(s->ops->reg_read(s->target, tid, r, buf, sizeof(buf)));
        if (size < 0 || gdb_cursor_left(c) < 2 * (size_t)size) {
            reply_now(s, GDB_EINVAL);
            return;
        }
        if (!gdb_hex_decode((const char *)c->p, (size_t)size, buf)) {
            reply_now(s, GDB_EINVAL);
            return;
        }
        c->p += 2 * (size_t)size;
        if (!s->ops->reg_write(s->target, tid, r, buf, (size_t)size)) {
            reply_now(s, GDB_EINVAL);
            return;
        }
    }
    reply_now(s, gdb_cursor_done(c) ? "OK" : GDB_EINVAL);
}

static void cmd_read_reg(GdbSession *s, GdbCursor *c)
{
    uint64_t regno;
    uint8_t buf[512];
    if (!gdb_cursor_hex64(c, &regno) || !gdb_cursor_done(c) || regno > INT32_MAX) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    int size = s->ops->reg_read(s->target, g_thread(s), (int)regno, buf, sizeof(buf));
    if (size < 0) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    reply_reset(s);
    reply_reg(s, buf, size);
    reply_send(s);
}

static void cmd_write_reg(GdbSession *s, GdbCursor *c)
{
    uint64_t regno;
    uint8_t cur[512], buf[512];
    if (!gdb_cursor_hex64(c, &regno) || !gdb_cursor_eat(c, '=') || regno > INT32_MAX) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    int tid = g_thread(s);
    int size = reg_size(s->ops->reg_read(s->target, tid, (int)regno, cur, sizeof(cur)));
    if (size < 0 || gdb_cursor_left(c) != 2 * (size_t)size ||
        !gdb_hex_decode((const char *)c->p, (size_t)size, buf) ||
        !s->ops->reg_write(s->target, tid, (int)regno, buf, (size_t)size)) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    reply_now(s, "OK");
}

/* ---------------- memory ---------------- */

/* "addr,length" */
static bool parse_addr_len(GdbCursor *c, uint64_t *addr, uint64_t *len)
{
    return gdb_cursor_hex64(c, addr) && gdb_cursor_eat(c, ',') && gdb_cursor_hex64(c, len);
}

static void cmd_read_mem(GdbSession *s, GdbCursor *c)
{
    uint64_t addr, len;
    if (!parse_addr_len(c, &addr, &len) || !gdb_cursor_done(c)) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    /* Hex doubles the size; a shorter answer is legal and gdb asks for the rest. */
    if (len > GDB_PACKET_MAX / 2) {
        len = GDB_PACKET_MAX / 2;
    }
    uint8_t buf[GDB_PACKET_MAX / 2];
    size_t got = len ? s->ops->mem_read(s->target, g_thread(s), addr, buf, (size_t)len) : 0;
    if (len && !got) {
        reply_now(s, GDB_EFAULT);
        return;
    }
    reply_reset(s);
    reply_hex(s, buf, got);
    reply_send(s);
}

static void cmd_write_mem_hex(GdbSession *s, GdbCursor *c)
{
    uint64_t addr, len;
    uint8_t buf[GDB_PACKET_MAX / 2];
    if (!parse_addr_len(c, &addr, &len) || !gdb_cursor_eat(c, ':') ||
        len > sizeof(buf) || gdb_cursor_left(c) != 2 * len ||
        !gdb_hex_decode((const char *)c->p, (size_t)len, buf)) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    if (len && !s->ops->mem_write(s->target, g_thread(s), addr, buf, (size_t)len)) {
        reply_now(s, GDB_EFAULT);
        return;
    }
    reply_now(s, "OK");
}

static void cmd_write_mem_bin(GdbSession *s, GdbCursor *c)
{
    uint64_t addr, len;
    /* The framing layer already removed '}' escapes: the rest is raw bytes. */
    if (!parse_addr_len(c, &addr, &len) || !gdb_cursor_eat(c, ':') || gdb_cursor_left(c) != len) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    if (len && !s->ops->mem_write(s->target, g_thread(s), addr, c->p, (size_t)len)) {
        reply_now(s, GDB_EFAULT);
        return;
    }
    reply_now(s, "OK");   /* X with length 0 is gdb's probe for binary download support */
}

/* ---------------- breakpoints ---------------- */

static void cmd_breakpoint(GdbSession *s, GdbCursor *c, bool insert)
{
    uint64_t type, addr, kind;
    if (!gdb_cursor_hex64(c, &type) || !gdb_cursor_eat(c, ',') || !parse_addr_len(c, &addr, &kind)) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    /* Conditions/commands (";X...") are only sent if we advertised them: we did not. */
    if (!gdb_cursor_done(c) || type > GDB_WP_ACCESS) {
        reply_now(s, type > GDB_WP_ACCESS ? "" : GDB_EINVAL);
        return;
    }
    int r = insert ? s->ops->bp_insert(s->target, (int)type, addr, kind)
                   : s->ops->bp_remove(s->target, (int)type, addr, kind);
    reply_now(s, r == 0 ? "OK" : r > 0 ? "" : GDB_EINVAL);
}

/* ---------------- execution ---------------- */

static void resume(GdbSession *s, GdbAction *actions, int n)
{
    s->running = true;
    s->ops->resume(s->target, actions, n);
}

/* Legacy c/s [addr]: the addr form sets the PC of the Hc thread first. */
static void cmd_continue(GdbSession *s, GdbCursor *c, bool step, bool with_signal)
{
    GdbAction actions[GDB_MAX_THREADS];
    int n = thread_count(s);
    int tid = thread_valid(s, s->c_tid) ? s->c_tid : g_thread(s);
    if (with_signal) {
        uint64_t sig;
        /* Csig[;addr]: signals mean nothing to a bare machine; the address is honoured. */
        if (!gdb_cursor_hex64(c, &sig)) {
            reply_now(s, GDB_EINVAL);
            return;
        }
        if (!gdb_cursor_done(c) && (!gdb_cursor_eat(c, ';') || gdb_cursor_done(c))) {
            reply_now(s, GDB_EINVAL);
            return;
        }
    }
    if (!gdb_cursor_done(c)) {
        uint64_t addr;
        if (!gdb_cursor_hex64(c, &addr) || !gdb_cursor_done(c)) {
            reply_now(s, GDB_EINVAL);
            return;
        }
        /* PC is register 32 in org.gnu.gdb.aarch64.core */
        uint8_t pc[8];
        for (int i = 0; i < 8; i++) {
            pc[i] = (uint8_t)(addr >> (8 * i));
        }
        if (!s->ops->reg_write(s->target, tid, 32, pc, 8)) {
            reply_now(s, GDB_EINVAL);
            return;
        }
    }
    for (int i = 0; i < n; i++) {
        /* all-stop 's': only the selected thread moves */
        actions[i] = step ? (i + 1 == tid ? GDB_ACT_STEP : GDB_ACT_STOP) : GDB_ACT_CONTINUE;
    }
    resume(s, actions, n);
}

/* vCont;action[:tid];... : the leftmost action that matches a thread applies to it. */
static void cmd_vcont(GdbSession *s, GdbCursor *c)
{
    GdbAction actions[GDB_MAX_THREADS];
    bool set[GDB_MAX_THREADS] = { false };
    int n = thread_count(s);
    bool any = false;
    while (gdb_cursor_eat(c, ';')) {
        GdbAction act;
        if (gdb_cursor_eat(c, 'c')) {
            act = GDB_ACT_CONTINUE;
        } else if (gdb_cursor_eat(c, 's')) {
            act = GDB_ACT_STEP;
        } else if (gdb_cursor_eat(c, 'C') || gdb_cursor_eat(c, 'S')) {
            uint64_t sig;
            act = c->p[-1] == 'C' ? GDB_ACT_CONTINUE : GDB_ACT_STEP;
            if (!gdb_cursor_hex64(c, &sig)) {
                reply_now(s, GDB_EINVAL);
                return;
            }
        } else if (gdb_cursor_eat(c, 't')) {
            act = GDB_ACT_STOP;
        } else {
            reply_now(s, GDB_EINVAL);
            return;
        }
        int64_t tid = -1;
        if (gdb_cursor_eat(c, ':')) {
            if (!gdb_cursor_thread_id(c, &tid)) {
                reply_now(s, GDB_EINVAL);
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            if (!set[i] && (tid == -1 || tid == 0 || tid == i + 1)) {
                set[i] = true;
                actions[i] = act;
            }
        }
        any = true;
    }
    if (!any || !gdb_cursor_done(c)) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    for (int i = 0; i < n; i++) {
        if (!set[i]) {
            actions[i] = GDB_ACT_STOP;
        }
    }
    resume(s, actions, n);
}

/* ---------------- queries ---------------- */

static void cmd_qsupported(GdbSession *s, GdbCursor *c)
{
    /* gdb's features: "name+;name-;name=value" separated by ';' */
    s->gdb_swbreak = s->gdb_hwbreak = false;
    if (gdb_cursor_eat(c, ':')) {
        while (!gdb_cursor_done(c)) {
            const uint8_t *start = c->p;
            while (c->p < c->end && *c->p != ';') {
                c->p++;
            }
            size_t len = (size_t)(c->p - start);
            if (len == 8 && !memcmp(start, "swbreak+", 8)) {
                s->gdb_swbreak = true;
            } else if (len == 8 && !memcmp(start, "hwbreak+", 8)) {
                s->gdb_hwbreak = true;
            }
            gdb_cursor_eat(c, ';');
        }
    }
    reply_reset(s);
    reply_fmt(s, "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;vContSupported+", GDB_PACKET_MAX);
    if (s->gdb_swbreak) {
        reply_str(s, ";swbreak+");
    }
    if (s->gdb_hwbreak) {
        reply_str(s, ";hwbreak+");
    }
    reply_send(s);
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void cmd_qxfer_features(GdbSession *s, GdbCursor *c)
{
    char annex[64];
    size_t n = 0;
    while (c->p < c->end && *c->p != ':') {
        if (n + 1 >= sizeof(annex) || *c->p == 0) {
            reply_now(s, GDB_EINVAL);
            return;
        }
        annex[n++] = (char)*c->p++;
    }
    annex[n] = 0;
    uint64_t off, len;
    if (!gdb_cursor_eat(c, ':') || !parse_addr_len(c, &off, &len) || !gdb_cursor_done(c)) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    size_t doc_len = 0;
    const char *doc = s->ops->xfer_features(s->target, annex, &doc_len);
    if (!doc) {
        reply_now(s, "E00");
        return;
    }
    reply_reset(s);
    if (off >= doc_len) {
        reply_str(s, "l");
    } else {
        /* The reply is framed with escapes (up to 2x): keep it within the packet size. */
        uint64_t max = GDB_PACKET_MAX / 2 - 2;
        if (len > max) {
            len = max;
        }
        size_t avail = doc_len - (size_t)off;
        size_t take = avail < len ? avail : (size_t)len;
        reply_str(s, take < avail ? "m" : "l");
        reply_bytes(s, doc + off, take);
    }
    reply_send(s);
}

static void cmd_qrcmd(GdbSession *s, GdbCursor *c)
{
    size_t hexlen = gdb_cursor_left(c);
    if (hexlen % 2) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    char cmd[GDB_PACKET_MAX / 2 + 1];
    if (!gdb_hex_decode((const char *)c->p, hexlen / 2, (uint8_t *)cmd)) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    cmd[hexlen / 2] = 0;
    if (strlen(cmd) != hexlen / 2) {
        reply_now(s, GDB_EINVAL);   /* embedded NUL */
        return;
    }
    GdbOut out = { 0 };
    s->ops->monitor(s->target, cmd, &out);
    if (out.truncated) {
        gdb_out_printf(&out, "\n[output truncated]\n");
    }
    /* Console output travels as O packets (hex); then the final OK. */
    const size_t chunk = (GDB_PACKET_MAX - 1) / 2;
    for (size_t pos = 0; pos < out.len; pos += chunk) {
        size_t take = out.len - pos < chunk ? out.len - pos : chunk;
        reply_reset(s);
        reply_str(s, "O");
        reply_hex(s, (const uint8_t *)out.buf + pos, take);
        reply_send(s);
    }
    gdb_out_free(&out);
    reply_now(s, "OK");
}

static void cmd_thread_info(GdbSession *s)
{
    int n = thread_count(s);
    reply_reset(s);
    reply_str(s, "m");
    for (int i = 1; i <= n; i++) {
        reply_fmt(s, i > 1 ? ",%x" : "%x", i);
    }
    reply_send(s);
}

static void cmd_thread_extra(GdbSession *s, GdbCursor *c)
{
    int64_t tid;
    char text[256];
    if (!gdb_cursor_thread_id(c, &tid) || !gdb_cursor_done(c) || !thread_valid(s, tid)) {
        reply_now(s, GDB_ESRCH);
        return;
    }
    text[0] = 0;
    s->ops->thread_info(s->target, (int)tid, text, sizeof(text));
    text[sizeof(text) - 1] = 0;
    reply_reset(s);
    reply_hex(s, (const uint8_t *)text, strlen(text));
    reply_send(s);
}

static void cmd_query(GdbSession *s, GdbCursor *c)
{
    if (gdb_cursor_eat_str(c, "Supported")) {
        cmd_qsupported(s, c);
    } else if (gdb_cursor_eat_str(c, "Xfer:features:read:")) {
        cmd_qxfer_features(s, c);
    } else if (gdb_cursor_eat_str(c, "Rcmd,")) {
        cmd_qrcmd(s, c);
    } else if (gdb_cursor_eat_str(c, "fThreadInfo") && gdb_cursor_done(c)) {
        cmd_thread_info(s);
    } else if (gdb_cursor_eat_str(c, "sThreadInfo") && gdb_cursor_done(c)) {
        reply_now(s, "l");
    } else if (gdb_cursor_eat_str(c, "ThreadExtraInfo,")) {
        cmd_thread_extra(s, c);
    } else if (gdb_cursor_eat(c, 'C') && gdb_cursor_done(c)) {
        reply_reset(s);
        reply_fmt(s, "QC%x", s->have_stop ? s->last_stop.tid : g_thread(s));
        reply_send(s);
    } else if (gdb_cursor_eat_str(c, "Attached")) {
        reply_now(s, "1");   /* attached to an existing "process": detach must not kill it */
    } else if (gdb_cursor_eat_str(c, "Symbol::") && gdb_cursor_done(c)) {
        reply_now(s, "OK");  /* no symbol lookups needed */
    } else {
        reply_now(s, "");
    }
}

static void cmd_set_thread(GdbSession *s, GdbCursor *c)
{
    int64_t tid;
    char which;
    if (gdb_cursor_eat(c, 'g')) {
        which = 'g';
    } else if (gdb_cursor_eat(c, 'c')) {
        which = 'c';
    } else {
        reply_now(s, GDB_EINVAL);
        return;
    }
    if (!gdb_cursor_thread_id(c, &tid) || !gdb_cursor_done(c)) {
        reply_now(s, GDB_EINVAL);
        return;
    }
    if (tid == 0) {
        tid = g_thread(s);   /* "any thread" */
    }
    if (tid != -1 && !thread_valid(s, tid)) {
        reply_now(s, GDB_ESRCH);
        return;
    }
    if (which == 'g') {
        s->g_tid = tid == -1 ? g_thread(s) : (int)tid;
    } else {
        s->c_tid = (int)tid;
    }
    reply_now(s, "OK");
}

/* ---------------- dispatch ---------------- */

static void session_dispatch(GdbSession *s, const uint8_t *pkt, size_t len)
{
    GdbCursor c;
    gdb_cursor_init(&c, pkt, len);
    s->packets++;
    if (len == 0) {
        reply_now(s, "");
        return;
    }
    uint8_t cmd = *c.p++;
    switch (cmd) {
    case '?':
        if (s->have_stop) {
            stop_reply(s, &s->last_stop);
        } else {
            reply_now(s, "S05");
        }
        break;
    case 'g':
        if (gdb_cursor_done(&c)) {
            cmd_read_all_regs(s);
        } else {
            reply_now(s, GDB_EINVAL);
        }
        break;
    case 'G':
        cmd_write_all_regs(s, &c);
        break;
    case 'p':
        cmd_read_reg(s, &c);
        break;
    case 'P':
        cmd_write_reg(s, &c);
        break;
    case 'm':
        cmd_read_mem(s, &c);
        break;
    case 'M':
        cmd_write_mem_hex(s, &c);
        break;
    case 'X':
        cmd_write_mem_bin(s, &c);
        break;
    case 'Z':
    case 'z':
        cmd_breakpoint(s, &c, cmd == 'Z');
        break;
    case 'c':
    case 's':
        cmd_continue(s, &c, cmd == 's', false);
        break;
    case 'C':
    case 'S':
        cmd_continue(s, &c, cmd == 'S', true);
        break;
    case 'H':
        cmd_set_thread(s, &c);
        break;
    case 'T': {
        int64_t tid;
        if (gdb_cursor_thread_id(&c, &tid) && gdb_cursor_done(&c) && thread_valid(s, tid)) {
            reply_now(s, "OK");
        } else {
            reply_now(s, GDB_ESRCH);
        }
        break;
    }
    case 'q':
        cmd_query(s, &c);
        break;
    case 'Q':
        if (gdb_cursor_eat_str(&c, "StartNoAckMode") && gdb_cursor_done(&c)) {
            reply_now(s, "OK");   /* acked by gdb like any reply; later packets carry no acks */
            s->no_ack = true;
        } else {
            reply_now(s, "");
        }
        break;
    case 'v':
        if (gdb_cursor_eat_str(&c, "Cont?") && gdb_cursor_done(&c)) {
            reply_now(s, "vCont;c;C;s;S");
        } else if (gdb_cursor_eat_str(&c, "Cont") && !gdb_cursor_done(&c) && *c.p == ';') {
            cmd_vcont(s, &c);
        } else if (gdb_cursor_eat_str(&c, "Kill")) {
            reply_now(s, "OK");
            s->detached = true;
            s->ops->kill(s->target);
        } else {
            reply_now(s, "");   /* includes vMustReplyEmpty */
        }
        break;
    case 'D':
        reply_now(s, "OK");
        s->detached = true;
        s->running = false;
        s->ops->detach(s->target);
        break;
    case 'k':
        /* No reply: gdb does not wait for one. */
        s->detached = true;
        s->ops->kill(s->target);
        break;
    default:
        reply_now(s, "");
        break;
    }
}

void gdb_session_init(GdbSession *s, const GdbTargetOps *ops, void *target, GdbSendFn send, void *io)
{
    memset(s, 0, sizeof(*s));
    s->ops = ops;
    s->target = target;
    s->send = send;
    s->io = io;
    s->g_tid = 1;
    s->c_tid = -1;
    gdb_rx_init(&s->rx);
}

void gdb_session_input(GdbSession *s, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len && !s->detached; i++) {
        switch (gdb_rx_byte(&s->rx, data[i])) {
        case GDB_RX_PACKET:
            if (!s->no_ack) {
                s->send(s->io, (const uint8_t *)"+", 1);
            }
            session_dispatch(s, s->rx.buf, s->rx.len);
            break;
        case GDB_RX_BAD_CHECKSUM:
            /* Ask for a retransmission; in no-ack mode the transport is trusted and the frame is dropped. */
            s->bad_packets++;
            if (!s->no_ack) {
                s->send(s->io, (const uint8_t *)"-", 1);
            }
            break;
        case GDB_RX_BAD_FRAME:
        case GDB_RX_OVERFLOW:
            /* Intact but unusable: acknowledge receipt and answer with an error so gdb does not wait. */
            s->bad_packets++;
            if (!s->no_ack) {
                s->send(s->io, (const uint8_t *)"+", 1);
            }
            reply_now(s, "E01");
            break;
        case GDB_RX_NAK:
            if (s->tx_len && !s->no_ack) {
                s->send(s->io, s->tx, s->tx_len);
            }
            break;
        case GDB_RX_INTERRUPT:
            if (s->running) {
                s->ops->interrupt(s->target);
            }
            break;
        case GDB_RX_ACK:
        case GDB_RX_NONE:
            break;
        }
    }
}

void gdb_session_set_stopped(GdbSession *s, const GdbStop *stop)
{
    s->last_stop = *stop;
    s->have_stop = true;
    s->running = false;
    s->g_tid = stop->tid;
}

void gdb_session_stopped(GdbSession *s, const GdbStop *stop)
{
    bool was_running = s->running;
    gdb_session_set_stopped(s, stop);
    if (was_running && !s->detached) {
        stop_reply(s, stop);
    }
}

void gdb_session_exited(GdbSession *s, int code)
{
    char buf[8];
    snprintf(buf, sizeof(buf), "W%02x", code & 0xff);
    s->running = false;
    reply_now(s, buf);
}
