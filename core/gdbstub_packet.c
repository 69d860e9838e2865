/* GDB RSP framing: receive state machine, transmit framing, hex parsing. */
#include "core/gdbstub_packet.h"

enum {
    RX_IDLE,      /* between packets: acks, Ctrl-C, junk */
    RX_DATA,      /* inside $...: payload bytes */
    RX_ESCAPE,    /* after '}': next byte is XORed with 0x20 */
    RX_RLE,       /* after '*': next byte is the repeat count + 29 */
    RX_CSUM1,     /* first checksum digit */
    RX_CSUM2,     /* second checksum digit */
};

void gdb_rx_init(GdbRx *rx)
{
    rx->state = RX_IDLE;
    rx->len = 0;
    rx->sum = 0;
    rx->csum_hi = 0;
    rx->overflow = false;
    rx->malformed = false;
    rx->buf[0] = 0;
}

static void rx_start(GdbRx *rx)
{
    rx->state = RX_DATA;
    rx->len = 0;
    rx->sum = 0;
    rx->overflow = false;
    rx->malformed = false;
}

static void rx_put(GdbRx *rx, uint8_t byte)
{
    if (rx->len < GDB_PACKET_MAX) {
        rx->buf[rx->len++] = byte;
    } else {
        rx->overflow = true;
    }
}

int gdb_hex_digit(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

GdbRxEvent gdb_rx_byte(GdbRx *rx, uint8_t byte)
{
    switch (rx->state) {
    case RX_IDLE:
        switch (byte) {
        case '$':
            rx_start(rx);
            return GDB_RX_NONE;
        case '+':
            return GDB_RX_ACK;
        case '-':
            return GDB_RX_NAK;
        case 0x03:
            return GDB_RX_INTERRUPT;
        default:
            return GDB_RX_NONE;   /* line noise between packets is ignored */
        }

    case RX_DATA:
    case RX_ESCAPE:
    case RX_RLE:
        if (byte == '$') {
            /* A new frame start inside a frame: the previous one was truncated. Resync on the new one. */
            rx_start(rx);
            return GDB_RX_NONE;
        }
        if (byte == '#') {
            if (rx->state != RX_DATA) {
                rx->malformed = true;   /* dangling '}' or '*' */
            }
            rx->state = RX_CSUM1;
            return GDB_RX_NONE;
        }
        rx->sum += byte;
        if (rx->state == RX_ESCAPE) {
            rx_put(rx, byte ^ 0x20);
            rx->state = RX_DATA;
        } else if (rx->state == RX_RLE) {
            /* Repeat count: byte - 29 more copies of the previous character (gdb docs,
             * "Debugging Protocol Details"); only printable counts are valid. */
            if (rx->len == 0 || byte < ' ' || byte > '~') {
                rx->malformed = true;
            } else {
                uint8_t prev = rx->buf[rx->len - 1];
                for (int n = byte - 29; n > 0; n--) {
                    rx_put(rx, prev);
                }
            }
            rx->state = RX_DATA;
        } else if (byte == '}') {
            rx->state = RX_ESCAPE;
        } else if (byte == '*') {
            if (rx->len == 0) {
                rx->malformed = true;   /* nothing to repeat; still consume the count */
            }
            rx->state = RX_RLE;
        } else {
            rx_put(rx, byte);
        }
        return GDB_RX_NONE;

    case RX_CSUM1: {
        int d = gdb_hex_digit(byte);
        if (byte == '$') {
            rx_start(rx);
            return GDB_RX_NONE;
        }
        if (d < 0) {
            rx->malformed = true;
            d = 0;
        }
        rx->csum_hi = (uint8_t)d;
        rx->state = RX_CSUM2;
        return GDB_RX_NONE;
    }

    case RX_CSUM2: {
        int d = gdb_hex_digit(byte);
        if (byte == '$') {
            rx_start(rx);
            return GDB_RX_NONE;
        }
        rx->state = RX_IDLE;
        rx->buf[rx->len] = 0;
        if (d < 0 || rx->malformed) {
            return GDB_RX_BAD_FRAME;
        }
        if ((uint8_t)(rx->csum_hi << 4 | d) != rx->sum) {
            return GDB_RX_BAD_CHECKSUM;
        }
        if (rx->overflow) {
            return GDB_RX_OVERFLOW;
        }
        return GDB_RX_PACKET;
    }
    }
    /* Unknown state (cannot happen): recover rather than wedge. */
    gdb_rx_init(rx);
    return GDB_RX_NONE;
}

size_t gdb_tx_frame(const void *payload, size_t len, uint8_t *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *p = payload;
    size_t n = 0;
    uint8_t sum = 0;
    if (cap < 4) {
        return 0;
    }
    out[n++] = '$';
    for (size_t i = 0; i < len; i++) {
        uint8_t b = p[i];
        bool esc = b == '$' || b == '#' || b == '}' || b == '*';
        if (n + (esc ? 2 : 1) + 3 > cap) {
            return 0;
        }
        if (esc) {
            out[n++] = '}';
            sum += '}';
            b ^= 0x20;
        }
        out[n++] = b;
        sum += b;
    }
    out[n++] = '#';
    out[n++] = hex[sum >> 4];
    out[n++] = hex[sum & 15];
    return n;
}

void gdb_hex_encode(const uint8_t *bytes, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 15];
    }
}

bool gdb_hex_decode(const char *in, size_t len, uint8_t *bytes)
{
    for (size_t i = 0; i < len; i++) {
        int hi = gdb_hex_digit((unsigned char)in[2 * i]);
        int lo = gdb_hex_digit((unsigned char)in[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        bytes[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

bool gdb_cursor_eat(GdbCursor *c, char ch)
{
    if (c->p < c->end && *c->p == (uint8_t)ch) {
        c->p++;
        return true;
    }
    return false;
}

bool gdb_cursor_eat_str(GdbCursor *c, const char *s)
{
    size_t n = strlen(s);
    if (gdb_cursor_left(c) >= n && !memcmp(c->p, s, n)) {
        c->p += n;
        return true;
    }
    return false;
}

bool gdb_cursor_hex64(GdbCursor *c, uint64_t *v)
{
    uint64_t r = 0;
    int digits = 0;
    int d;
    while (c->p < c->end && (d = gdb_hex_digit(*c->p)) >= 0) {
        if (r >> 60) {
            return false;   /* would overflow 64 bits */
        }
        r = r << 4 | (uint64_t)d;
        c->p++;
        digits++;
    }
    /* Leading zeros beyond 16 digits are harmless: the overflow test only fires on significant bits. */
    if (!digits) {
        return false;
    }
    *v = r;
    return true;
}

bool gdb_cursor_thread_id(GdbCursor *c, int64_t *tid)
{
    uint64_t v;
    if (gdb_cursor_eat(c, 'p')) {
        /* multiprocess form pPID.TID: Tandem is one process; accept any PID, use the TID */
        if (gdb_cursor_eat_str(c, "-1")) {
            v = 0;
        } else if (!gdb_cursor_hex64(c, &v)) {
            return false;
        }
        if (!gdb_cursor_eat(c, '.')) {
            *tid = -1;   /* "pPID" alone means all threads of the process */
            return true;
        }
    }
    if (gdb_cursor_eat_str(c, "-1")) {
        *tid = -1;
        return true;
    }
    if (!gdb_cursor_hex64(c, &v) || v > INT32_MAX) {
        return false;
    }
    *tid = (int64_t)v;
    return true;
}
