/*
 * Arm semihosting, A64 (HLT #0xF000): operation in w0, parameter in x1
 * (usually the address of a parameter block of 64-bit words), result in x0.
 * Reference: Arm "Semihosting for AArch32 and AArch64" v3. Behaviour follows
 * QEMU's (semihosting/arm-compat-semi.c) where the document leaves room:
 * SYS_EXIT with ADP_Stopped_ApplicationExit exits with the block's subcode,
 * any other reason exits with status 1.
 */
#include "core/semihost.h"

#include <glib.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/machine.h"
#include "cpu/mem.h"

enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITEC = 0x03,
    SYS_WRITE0 = 0x04,
    SYS_WRITE = 0x05,
    SYS_READ = 0x06,
    SYS_READC = 0x07,
    SYS_ISERROR = 0x08,
    SYS_ISTTY = 0x09,
    SYS_SEEK = 0x0a,
    SYS_FLEN = 0x0c,
    SYS_CLOCK = 0x10,
    SYS_TIME = 0x11,
    SYS_ERRNO = 0x13,
    SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20,
    SYS_ELAPSED = 0x30,
    SYS_TICKFREQ = 0x31,
};

#define ADP_Stopped_ApplicationExit 0x20026

static bool semihost_on;

void semihost_set_enabled(bool on)
{
    semihost_on = on;
}

bool semihost_enabled(const CPUState *cpu)
{
    /* As QEMU without userspace=on: EL0 cannot make semihosting calls. */
    return semihost_on && cpu->el > 0;
}

static bool guest_read(CPUState *cpu, uint64_t va, void *buf, size_t len)
{
    return cpu_debug_read(cpu, va, buf, len);
}

static bool guest_read_words(CPUState *cpu, uint64_t va, uint64_t *w, unsigned n)
{
    uint8_t b[8 * 4];
    if (n > 4 || !guest_read(cpu, va, b, 8 * n)) {
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--) {
            v = v << 8 | b[8 * i + j];
        }
        w[i] = v;
    }
    return true;
}

static void host_write(int fd, const uint8_t *buf, size_t len)
{
    FILE *f = fd == 2 ? stderr : stdout;
    fwrite(buf, 1, len, f);
    fflush(f);
}

static void semihost_exit(CPUState *cpu, int code)
{
    /* The process status keeps 8 bits: a failure must not wrap to 0. */
    if (code != 0 && (code & 0xff) == 0) {
        code = 1;
    }
    Machine *m = cpu->machine;
    cpu->halted = true;
    cpu->exit_request = 1;
    if (m) {
        machine_request_shutdown(m, code);
    }
}

static void semihost_bad_arg(CPUState *cpu, uint32_t op, uint64_t arg)
{
    LOG(LOG_GUEST_ERRORS, "semihosting: op 0x%x: cannot read guest memory at 0x%llx\n", op,
        (unsigned long long)arg);
    cpu->x[0] = (uint64_t)-1;
}

void semihost_call(CPUState *cpu)
{
    uint32_t op = (uint32_t)cpu->x[0];
    uint64_t arg = cpu->x[1];
    uint64_t w[4];

    switch (op) {
    case SYS_WRITEC: {
        uint8_t c;
        if (!guest_read(cpu, arg, &c, 1)) {
            semihost_bad_arg(cpu, op, arg);
            return;
        }
        host_write(1, &c, 1);
        return;   /* x0 is corrupted per the spec; leave it */
    }
    case SYS_WRITE0: {
        /* Chunks that never cross a 256-byte boundary, so a string that ends
         * just before an unmapped page is read without touching it. */
        uint8_t buf[256];
        uint64_t va = arg;
        for (;;) {
            size_t chunk = sizeof(buf) - (va & (sizeof(buf) - 1));
            size_t n = 0;
            if (guest_read(cpu, va, buf, chunk)) {
                n = strnlen((const char *)buf, chunk);
            } else {
                for (; n < chunk; n++) {
                    if (!guest_read(cpu, va + n, buf + n, 1)) {
                        host_write(1, buf, n);
                        semihost_bad_arg(cpu, op, va + n);   /* unreadable byte: stop there */
                        return;
                    }
                    if (!buf[n]) {
                        break;
                    }
                }
            }
            host_write(1, buf, n);
            if (n < chunk) {
                return;
            }
            va += chunk;
        }
    }
    case SYS_WRITE: {
        if (!guest_read_words(cpu, arg, w, 3)) {
            semihost_bad_arg(cpu, op, arg);
            return;
        }
        uint64_t fd = w[0], va = w[1], len = w[2], done = 0;
        if (fd != 1 && fd != 2) {
            LOG(LOG_UNIMP, "semihosting: SYS_WRITE to handle %llu (only 1 and 2 are supported)\n",
                (unsigned long long)fd);
            cpu->x[0] = len;     /* nothing written */
            return;
        }
        uint8_t buf[4096];
        while (done < len) {
            size_t chunk = (size_t)MIN(len - done, sizeof(buf));
            if (!guest_read(cpu, va + done, buf, chunk)) {
                break;
            }
            host_write((int)fd, buf, chunk);
            done += chunk;
        }
        cpu->x[0] = len - done;  /* bytes NOT written */
        return;
    }
    case SYS_READC: {
        int c = getchar();
        cpu->x[0] = c == EOF ? (uint64_t)-1 : (uint64_t)(uint8_t)c;
        return;
    }
    case SYS_ISTTY:
        if (!guest_read_words(cpu, arg, w, 1)) {
            semihost_bad_arg(cpu, op, arg);
            return;
        }
        cpu->x[0] = w[0] <= 2 ? (uint64_t)isatty((int)w[0]) : 0;
        return;
    case SYS_CLOCK: {
        /* Centiseconds since the start, from virtual time (deterministic). */
        uint64_t ns = cpu->machine ? machine_now_ns(cpu->machine) : 0;
        cpu->x[0] = ns / 10000000ULL;
        return;
    }
    case SYS_TIME:
        cpu->x[0] = (uint64_t)time(NULL);
        return;
    case SYS_ELAPSED: {
        /* 64-bit tick count (ticks = ns, see SYS_TICKFREQ) into the 2-word block at x1. */
        uint64_t ns = cpu->machine ? machine_now_ns(cpu->machine) : 0;
        uint8_t b[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (uint8_t)(ns >> (8 * i));
        }
        bool ok = cpu_debug_write(cpu, arg, b, 8);
        cpu->x[0] = ok ? 0 : (uint64_t)-1;
        return;
    }
    case SYS_TICKFREQ:
        cpu->x[0] = 1000000000ULL;
        return;
    case SYS_ERRNO:
        cpu->x[0] = 0;
        return;
    case SYS_EXIT:
    case SYS_EXIT_EXTENDED:
        /* A64: x1 points to { reason, subcode }. */
        if (!guest_read_words(cpu, arg, w, 2)) {
            semihost_bad_arg(cpu, op, arg);
            semihost_exit(cpu, 1);
            return;
        }
        semihost_exit(cpu, w[0] == ADP_Stopped_ApplicationExit ? (int)(uint32_t)w[1] : 1);
        return;
    default:
        LOG(LOG_UNIMP, "semihosting: operation 0x%x is not implemented\n", op);
        cpu->x[0] = (uint64_t)-1;
        return;
    }
}
