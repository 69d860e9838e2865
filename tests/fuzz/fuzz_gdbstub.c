/*
 * Fuzz target for the GDB RSP packet layer and command parser.
 *
 * Built two ways:
 *  - with clang -fsanitize=fuzzer (TANDEM_LIBFUZZER defined): libFuzzer drives
 *    LLVMFuzzerTestOneInput;
 *  - with the project compiler (always): a self-contained driver below feeds
 *    random and mutated packets for a bounded time ("fuzz_gdbstub SECONDS [SEED]").
 *
 * Each input is used twice: as a raw byte stream (framing, acks, resync, RLE,
 * escapes) and, split at '\n', as payloads wrapped in valid frames so the
 * command parsers see arbitrary content behind a correct checksum. After each
 * input the session's output is re-parsed: every reply it framed must decode
 * as a packet no larger than PacketSize.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/gdbstub_session.h"
#include "../unit/gdb_fake_target.h"

static FakeTarget fake;
static GdbSession sess;
static GdbRx check_rx;

static void check_output(void)
{
    gdb_rx_init(&check_rx);
    for (size_t i = 0; i < fake.out_len; i++) {
        GdbRxEvent e = gdb_rx_byte(&check_rx, fake.out[i]);
        if (e == GDB_RX_BAD_CHECKSUM || e == GDB_RX_BAD_FRAME || e == GDB_RX_OVERFLOW) {
            fprintf(stderr, "fuzz_gdbstub: the stub sent a malformed frame (event %d)\n", e);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t framed[GDB_TX_MAX];

    /* raw stream */
    fake_setup(&fake, &sess);
    gdb_session_input(&sess, data, size);
    if (fake.out_len < sizeof(fake.out) / 2) {
        check_output();
    }

    /* framed payloads; the first one may switch to no-ack mode */
    fake_setup(&fake, &sess);
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == '\n') {
            size_t len = i - start;
            if (len > GDB_PACKET_MAX) {
                len = GDB_PACKET_MAX;
            }
            size_t n = gdb_tx_frame(data + start, len, framed, sizeof(framed));
            if (n) {
                fake.out_len = 0;
                gdb_session_input(&sess, framed, n);
                check_output();
            }
            start = i + 1;
            if (sess.detached) {
                fake_setup(&fake, &sess);
            }
        }
    }
    return 0;
}

#ifndef TANDEM_LIBFUZZER

static const char *seeds[] = {
    "qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;vContSupported+",
    "QStartNoAckMode", "?", "g", "G0011223344556677", "p20", "P20=0000004000000000", "p21", "P0=0102",
    "m1000,40", "m0,ffffffffffffffff", "M1000,4:deadbeef", "X1000,4:\x01\x02}\x03*",
    "Z0,40001000,4", "z0,40001000,4", "Z2,1008,8", "Z3,1008,1", "Z4,1008,2", "Z1,40000000,4",
    "c", "c40001000", "s", "C05", "S05;1000", "vCont?", "vCont;c", "vCont;s:1;c", "vCont;s:p1.2;t",
    "Hg1", "Hc-1", "Hg0", "Hgp1.2", "T1", "qC", "qfThreadInfo", "qsThreadInfo", "qThreadExtraInfo,1",
    "qAttached", "qOffsets", "qSymbol::", "qXfer:features:read:target.xml:0,ffb",
    "qXfer:features:read:aarch64-core.xml:100,200", "qRcmd,68656c70", "qRcmd,626967", "vMustReplyEmpty",
    "D", "k", "vKill;1", "$g#67", "$m1000,4#8e", "+", "-", "\x03", "$a*~#00", "$}#00",
};

static uint64_t rng_state;

static uint64_t rng(void)
{
    /* xorshift64*: reproducible from the seed printed at start */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static const char interesting[] = "$#}*+-\x03:;,=0123456789abcdefABCDEFxXpPmMgGzZcsvqQHT-\n";
static const char *numbers[] = { "0", "1", "-1", "ffffffffffffffff", "10000000000000000", "7fffffff",
                                 "80000000", "4000", "3fff", "p1.1", "p-1.-1" };

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
    int rounds = 1 + (int)(rng() % 8);
    for (int r = 0; r < rounds; r++) {
        size_t pos = len ? rng() % (len + 1) : 0;
        switch (rng() % 7) {
        case 0:   /* flip a bit */
            if (len) {
                buf[rng() % len] ^= (uint8_t)(1u << (rng() % 8));
            }
            break;
        case 1:   /* insert an interesting character */
            if (len < cap) {
                memmove(buf + pos + 1, buf + pos, len - pos);
                buf[pos] = (uint8_t)interesting[rng() % (sizeof(interesting) - 1)];
                len++;
            }
            break;
        case 2:   /* delete a range */
            if (len) {
                size_t n = 1 + rng() % 8;
                if (pos + n > len) {
                    n = len - pos;
                }
                memmove(buf + pos, buf + pos + n, len - pos - n);
                len -= n;
            }
            break;
        case 3: { /* insert a boundary number */
            const char *num = numbers[rng() % ARRAY_SIZE(numbers)];
            size_t n = strlen(num);
            if (len + n <= cap) {
                memmove(buf + pos + n, buf + pos, len - pos);
                memcpy(buf + pos, num, n);
                len += n;
            }
            break;
        }
        case 4: { /* splice in another seed */
            const char *sd = seeds[rng() % ARRAY_SIZE(seeds)];
            size_t n = strlen(sd);
            if (len + n + 1 <= cap) {
                memmove(buf + pos + n + 1, buf + pos, len - pos);
                memcpy(buf + pos, sd, n);
                buf[pos + n] = '\n';
                len += n + 1;
            }
            break;
        }
        case 5:   /* random byte */
            if (len) {
                buf[rng() % len] = (uint8_t)rng();
            }
            break;
        default:  /* duplicate a chunk (long packets, repeated commands) */
            if (len && len * 2 <= cap) {
                memcpy(buf + len, buf, len);
                len *= 2;
            }
            break;
        }
    }
    return len;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 5;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : (uint64_t)time(NULL);
    if (!rng_state) {
        rng_state = 1;
    }
    printf("# fuzz_gdbstub: %.1f s, seed %llu\n", seconds, (unsigned long long)rng_state);
    static uint8_t buf[3 * GDB_PACKET_MAX];
    uint64_t runs = 0;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        size_t len;
        uint64_t kind = rng() % 4;
        if (kind == 0) {              /* pure random bytes */
            len = rng() % 512;
            for (size_t i = 0; i < len; i++) {
                buf[i] = (uint8_t)rng();
            }
        } else if (kind == 1) {       /* random over the protocol alphabet */
            len = rng() % 2048;
            for (size_t i = 0; i < len; i++) {
                buf[i] = (uint8_t)interesting[rng() % (sizeof(interesting) - 1)];
            }
        } else {                      /* mutated seeds */
            const char *sd = seeds[rng() % ARRAY_SIZE(seeds)];
            len = strlen(sd);
            memcpy(buf, sd, len);
            len = mutate(buf, len, sizeof(buf));
        }
        LLVMFuzzerTestOneInput(buf, len);
        runs++;
        if ((runs & 255) == 0) {
            clock_gettime(CLOCK_MONOTONIC, &t);
            if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 >= seconds) {
                break;
            }
        }
    }
    printf("1..1\nok 1 - %llu inputs without a crash, hang or malformed reply\n", (unsigned long long)runs);
    return 0;
}
#endif
