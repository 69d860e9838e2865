/*
 * GDB remote serial protocol (RSP): the wire layer, independent of the CPU.
 *
 * Receive side: a byte-at-a-time state machine (gdb_rx_byte) that finds
 * $payload#cs frames, checks the checksum, undoes '}' escaping and '*'
 * run-length encoding, and reports acks ('+'/'-') and the out-of-band
 * interrupt byte (0x03). The decoded payload is bounded by GDB_PACKET_MAX
 * (advertised as PacketSize in qSupported); anything longer is consumed to
 * its end and reported as GDB_RX_OVERFLOW, never written past the buffer.
 *
 * Transmit side: gdb_tx_frame() escapes the four characters the protocol
 * reserves ('$', '#', '}', '*') so binary replies (qXfer) survive gdb's
 * run-length decoder, and appends the checksum.
 *
 * Nothing here allocates; every function is bounded by its input length.
 */
#ifndef TANDEM_CORE_GDBSTUB_PACKET_H
#define TANDEM_CORE_GDBSTUB_PACKET_H

#include "core/types.h"

/* Largest decoded packet payload accepted and the PacketSize advertised. */
#define GDB_PACKET_MAX 16384
/* Largest framed reply: every byte escaped, plus "$", "#xx". */
#define GDB_TX_MAX (2 * GDB_PACKET_MAX + 8)

typedef enum GdbRxEvent {
    GDB_RX_NONE = 0,      /* byte consumed, nothing complete yet */
    GDB_RX_PACKET,        /* a well-formed packet is in rx->buf[0..len) */
    GDB_RX_BAD_CHECKSUM,  /* frame complete but the checksum did not match */
    GDB_RX_BAD_FRAME,     /* frame complete but malformed (bad RLE, dangling escape, non-hex checksum) */
    GDB_RX_OVERFLOW,      /* frame complete but its payload exceeded GDB_PACKET_MAX */
    GDB_RX_ACK,           /* '+' outside a packet */
    GDB_RX_NAK,           /* '-' outside a packet: retransmit the last reply */
    GDB_RX_INTERRUPT,     /* 0x03 outside a packet (Ctrl-C) */
} GdbRxEvent;

typedef struct GdbRx {
    int state;            /* internal: idle, data, escape, checksum digits */
    uint8_t sum;          /* running checksum of the raw bytes between $ and # */
    uint8_t csum_hi;      /* first checksum digit's value */
    bool overflow;        /* payload exceeded the buffer: drop at '#' */
    bool malformed;       /* RLE/escape error seen: drop at '#' */
    size_t len;           /* decoded bytes so far */
    uint8_t buf[GDB_PACKET_MAX + 1];   /* decoded payload, NUL-terminated when complete */
} GdbRx;

void gdb_rx_init(GdbRx *rx);
GdbRxEvent gdb_rx_byte(GdbRx *rx, uint8_t byte);

/* Frame payload[0..len) as $...#cs with escaping into out (capacity cap). Returns the framed
 * length, or 0 if it does not fit. */
size_t gdb_tx_frame(const void *payload, size_t len, uint8_t *out, size_t cap);

/* --- hex helpers --- */
int gdb_hex_digit(int c);                         /* 0..15, or -1 */
/* Encode len bytes as 2*len lowercase hex digits (no NUL). */
void gdb_hex_encode(const uint8_t *bytes, size_t len, char *out);
/* Decode exactly 2*len hex digits from in; false if any is not hex. */
bool gdb_hex_decode(const char *in, size_t len, uint8_t *bytes);

/*
 * A bounded cursor over a received payload, for parsing fields such as
 * "addr,length:" safely. Every parser returns false (and leaves the cursor
 * unspecified) on malformed input instead of reading past the end.
 */
typedef struct GdbCursor {
    const uint8_t *p;
    const uint8_t *end;
} GdbCursor;

static inline void gdb_cursor_init(GdbCursor *c, const void *data, size_t len)
{
    c->p = data;
    c->end = c->p + len;
}
static inline size_t gdb_cursor_left(const GdbCursor *c) { return (size_t)(c->end - c->p); }
static inline bool gdb_cursor_done(const GdbCursor *c) { return c->p >= c->end; }
/* Consume ch if it is next. */
bool gdb_cursor_eat(GdbCursor *c, char ch);
/* Consume the literal prefix s if it is next. */
bool gdb_cursor_eat_str(GdbCursor *c, const char *s);
/* 1..16 hex digits into *v (no overflow past 64 bits). */
bool gdb_cursor_hex64(GdbCursor *c, uint64_t *v);
/* A thread id: hex digits, "-1" (all) or "0" (any); with an optional "pPID." prefix. */
bool gdb_cursor_thread_id(GdbCursor *c, int64_t *tid);

#endif
