/*
 * One GDB RSP conversation: acks, no-ack mode, command parsing and replies.
 * The session knows nothing about CPUs: everything target-specific goes
 * through GdbTargetOps (core/gdbstub_target.c implements it over the vCPUs;
 * the unit tests and the fuzz harness implement it over a fake target).
 *
 * Threads are numbered 1..thread_count (Tandem: cpu_index + 1). The session
 * runs in all-stop mode: a stop of one thread stops them all; the target
 * reports stops with gdb_session_stopped().
 */
#ifndef TANDEM_CORE_GDBSTUB_SESSION_H
#define TANDEM_CORE_GDBSTUB_SESSION_H

#include "core/gdbstub_packet.h"

/* Z/z packet types. */
enum {
    GDB_BP_SW = 0,
    GDB_BP_HW = 1,
    GDB_WP_WRITE = 2,
    GDB_WP_READ = 3,
    GDB_WP_ACCESS = 4,
};

/* Why a thread stopped (the T packet's reason fields). */
typedef enum GdbStopReason {
    GDB_STOP_SIGNAL = 0,     /* plain signal: step complete, attach, Ctrl-C */
    GDB_STOP_SWBREAK,
    GDB_STOP_HWBREAK,
    GDB_STOP_WATCH,          /* write watchpoint: addr is the data address */
    GDB_STOP_RWATCH,
    GDB_STOP_AWATCH,
} GdbStopReason;

#define GDB_SIGINT  2
#define GDB_SIGTRAP 5

typedef struct GdbStop {
    int tid;
    int signal;              /* GDB_SIGTRAP or GDB_SIGINT */
    GdbStopReason reason;
    uint64_t addr;           /* watchpoints: the data address that hit */
} GdbStop;

/* Per-thread resume action from c/s/vCont. */
typedef enum GdbAction {
    GDB_ACT_STOP = 0,        /* stays stopped */
    GDB_ACT_CONTINUE,
    GDB_ACT_STEP,
} GdbAction;

#define GDB_MAX_THREADS 64
#define GDB_REG_UNAVAILABLE 0x10000

/* Growable text buffer for monitor output (capped at GDB_OUT_MAX bytes). */
#define GDB_OUT_MAX (1u << 20)
typedef struct GdbOut {
    char *buf;
    size_t len, cap;
    bool truncated;
} GdbOut;
void gdb_out_printf(GdbOut *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gdb_out_free(GdbOut *out);

typedef struct GdbTargetOps {
    int (*thread_count)(void *t);                       /* threads are 1..count */
    /* Free-form description for qThreadExtraInfo (NUL-terminated into buf). */
    void (*thread_info)(void *t, int tid, char *buf, size_t len);
    /* Registers by gdb number (the order of target.xml). read: the size in bytes written
     * to buf (at most cap), or -1 if there is no such register; the size ORed with
     * GDB_REG_UNAVAILABLE when the register exists but cannot be read now (sent as "xx..",
     * which gdb shows as <unavailable>). */
    int (*reg_read)(void *t, int tid, int regno, uint8_t *buf, size_t cap);
    bool (*reg_write)(void *t, int tid, int regno, const uint8_t *buf, size_t len);
    int (*g_reg_count)(void *t);                        /* registers 0..n-1 form the g packet */
    /* Memory through the selected regime: bytes read (a prefix), or 0. */
    size_t (*mem_read)(void *t, int tid, uint64_t addr, uint8_t *buf, size_t len);
    bool (*mem_write)(void *t, int tid, uint64_t addr, const uint8_t *buf, size_t len);
    /* qXfer:features:read annex ("target.xml", ...): the document, or NULL. */
    const char *(*xfer_features)(void *t, const char *annex, size_t *len);
    /* Z/z: 0 ok, 1 type unsupported (empty reply), -1 error. */
    int (*bp_insert)(void *t, int type, uint64_t addr, uint64_t kind);
    int (*bp_remove)(void *t, int type, uint64_t addr, uint64_t kind);
    /* Resume: actions[tid-1] for every thread. The target reports the next stop later. */
    void (*resume)(void *t, const GdbAction *actions, int count);
    /* Ctrl-C: stop everything; the target reports the stop (possibly from inside this call). */
    void (*interrupt)(void *t);
    /* qRcmd text (NUL-terminated); output to out. */
    void (*monitor)(void *t, const char *cmd, GdbOut *out);
    void (*detach)(void *t);                             /* remove breakpoints, resume */
    void (*kill)(void *t);
} GdbTargetOps;

typedef void (*GdbSendFn)(void *io, const uint8_t *buf, size_t len);

typedef struct GdbSession {
    const GdbTargetOps *ops;
    void *target;
    GdbSendFn send;
    void *io;

    GdbRx rx;
    bool no_ack;              /* QStartNoAckMode accepted */
    bool running;             /* resumed; waiting for a stop */
    bool gdb_swbreak, gdb_hwbreak;   /* gdb announced swbreak+/hwbreak+ in qSupported */
    bool detached;            /* D or k received: the server closes the connection */
    int g_tid, c_tid;         /* Hg / Hc selection (-1 = all for Hc) */
    GdbStop last_stop;
    bool have_stop;

    /* statistics (tests, monitor) */
    uint64_t packets, bad_packets;

    uint8_t tx[GDB_TX_MAX];  /* last framed reply, for '-' retransmission */
    size_t tx_len;
    char reply[GDB_PACKET_MAX + 1];
    size_t reply_len;
    bool reply_overflow;
} GdbSession;

void gdb_session_init(GdbSession *s, const GdbTargetOps *ops, void *target, GdbSendFn send, void *io);
/* Feed bytes received from gdb. */
void gdb_session_input(GdbSession *s, const uint8_t *data, size_t len);
/* The target stopped (breakpoint, step, watchpoint, interrupt): send the stop reply. */
void gdb_session_stopped(GdbSession *s, const GdbStop *stop);
/* The target is stopped without a reply owed (attach, -S): record it for '?'. */
void gdb_session_set_stopped(GdbSession *s, const GdbStop *stop);
/* The guest ended with this exit code: W reply. */
void gdb_session_exited(GdbSession *s, int code);

#endif
