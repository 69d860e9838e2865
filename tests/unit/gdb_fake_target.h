/*
 * A fake GDB target for the session tests and the packet fuzzer: two threads,
 * the aarch64 core register layout (x0-x30, sp, pc as 8 bytes, cpsr as 4),
 * one extra 8-byte register outside the g packet, 64 KiB of memory at 0x1000,
 * a bounded breakpoint list. Everything it records can be checked by a test.
 */
#ifndef TANDEM_TESTS_GDB_FAKE_TARGET_H
#define TANDEM_TESTS_GDB_FAKE_TARGET_H

#include <stdio.h>
#include <string.h>

#include "core/gdbstub_session.h"

#define FAKE_THREADS 2
#define FAKE_NREGS 35          /* 0-30 x, 31 sp, 32 pc, 33 cpsr, 34 extra (not in g) */
#define FAKE_MEM_BASE 0x1000u
#define FAKE_MEM_SIZE 0x10000u
#define FAKE_MAX_BP 64

typedef struct FakeTarget {
    GdbSession *session;
    uint64_t regs[FAKE_THREADS][FAKE_NREGS];
    uint8_t mem[FAKE_MEM_SIZE];
    struct { int type; uint64_t addr, kind; } bp[FAKE_MAX_BP];
    int nbp;
    GdbAction last_actions[GDB_MAX_THREADS];
    int resumes, interrupts, detaches, kills;
    char last_monitor[256];
    /* output captured from the session */
    uint8_t out[1 << 17];
    size_t out_len;
} FakeTarget;

static int fake_thread_count(void *t) { (void)t; return FAKE_THREADS; }

static void fake_thread_info(void *t, int tid, char *buf, size_t len)
{
    (void)t;
    snprintf(buf, len, "fake cpu %d", tid - 1);
}

static int fake_reg_size(int regno)
{
    if (regno < 0 || regno >= FAKE_NREGS) {
        return -1;
    }
    return regno == 33 ? 4 : 8;
}

static int fake_reg_read(void *t, int tid, int regno, uint8_t *buf, size_t cap)
{
    FakeTarget *f = t;
    int size = fake_reg_size(regno);
    if (size < 0 || tid < 1 || tid > FAKE_THREADS || (size_t)size > cap) {
        return -1;
    }
    uint64_t v = f->regs[tid - 1][regno];
    for (int i = 0; i < size; i++) {
        buf[i] = (uint8_t)(v >> (8 * i));
    }
    return v == 0xdead ? size | GDB_REG_UNAVAILABLE : size;   /* a marker value exercises "xx" */
}

static bool fake_reg_write(void *t, int tid, int regno, const uint8_t *buf, size_t len)
{
    FakeTarget *f = t;
    int size = fake_reg_size(regno);
    if (size < 0 || tid < 1 || tid > FAKE_THREADS || len != (size_t)size) {
        return false;
    }
    uint64_t v = 0;
    for (int i = 0; i < size; i++) {
        v |= (uint64_t)buf[i] << (8 * i);
    }
    f->regs[tid - 1][regno] = v;
    return true;
}

static int fake_g_reg_count(void *t) { (void)t; return 34; }

static size_t fake_mem_read(void *t, int tid, uint64_t addr, uint8_t *buf, size_t len)
{
    FakeTarget *f = t;
    (void)tid;
    if (addr < FAKE_MEM_BASE || addr >= FAKE_MEM_BASE + FAKE_MEM_SIZE) {
        return 0;
    }
    size_t avail = FAKE_MEM_BASE + FAKE_MEM_SIZE - addr;
    size_t n = len < avail ? len : avail;
    memcpy(buf, f->mem + (addr - FAKE_MEM_BASE), n);
    return n;
}

static bool fake_mem_write(void *t, int tid, uint64_t addr, const uint8_t *buf, size_t len)
{
    FakeTarget *f = t;
    (void)tid;
    if (addr < FAKE_MEM_BASE || addr - FAKE_MEM_BASE > FAKE_MEM_SIZE || len > FAKE_MEM_BASE + FAKE_MEM_SIZE - addr) {
        return false;
    }
    memcpy(f->mem + (addr - FAKE_MEM_BASE), buf, len);
    return true;
}

static const char fake_xml[] =
    "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
    "<target><architecture>aarch64</architecture><!-- $#}* must be escaped --></target>";

static const char *fake_xfer(void *t, const char *annex, size_t *len)
{
    (void)t;
    if (!strcmp(annex, "target.xml")) {
        *len = sizeof(fake_xml) - 1;
        return fake_xml;
    }
    return NULL;
}

static int fake_bp_insert(void *t, int type, uint64_t addr, uint64_t kind)
{
    FakeTarget *f = t;
    if (type == GDB_WP_ACCESS && addr == 0xdead) {
        return 1;   /* exercise the "unsupported" path */
    }
    if (f->nbp >= FAKE_MAX_BP) {
        return -1;
    }
    f->bp[f->nbp].type = type;
    f->bp[f->nbp].addr = addr;
    f->bp[f->nbp].kind = kind;
    f->nbp++;
    return 0;
}

static int fake_bp_remove(void *t, int type, uint64_t addr, uint64_t kind)
{
    FakeTarget *f = t;
    (void)kind;
    for (int i = 0; i < f->nbp; i++) {
        if (f->bp[i].type == type && f->bp[i].addr == addr) {
            f->bp[i] = f->bp[--f->nbp];
            return 0;
        }
    }
    return -1;
}

static void fake_resume(void *t, const GdbAction *actions, int count)
{
    FakeTarget *f = t;
    f->resumes++;
    for (int i = 0; i < count && i < GDB_MAX_THREADS; i++) {
        f->last_actions[i] = actions[i];
    }
}

static void fake_interrupt(void *t)
{
    FakeTarget *f = t;
    f->interrupts++;
    GdbStop st = { .tid = 1, .signal = GDB_SIGINT, .reason = GDB_STOP_SIGNAL };
    gdb_session_stopped(f->session, &st);
}

static void fake_monitor(void *t, const char *cmd, GdbOut *out)
{
    FakeTarget *f = t;
    snprintf(f->last_monitor, sizeof(f->last_monitor), "%s", cmd);
    if (!strcmp(cmd, "big")) {
        for (int i = 0; i < 1000; i++) {
            gdb_out_printf(out, "line %d of a long monitor answer\n", i);
        }
    } else {
        gdb_out_printf(out, "echo: %s\n", cmd);
    }
}

static void fake_detach(void *t) { ((FakeTarget *)t)->detaches++; }
static void fake_kill(void *t) { ((FakeTarget *)t)->kills++; }

static const GdbTargetOps fake_ops = {
    .thread_count = fake_thread_count,
    .thread_info = fake_thread_info,
    .reg_read = fake_reg_read,
    .reg_write = fake_reg_write,
    .g_reg_count = fake_g_reg_count,
    .mem_read = fake_mem_read,
    .mem_write = fake_mem_write,
    .xfer_features = fake_xfer,
    .bp_insert = fake_bp_insert,
    .bp_remove = fake_bp_remove,
    .resume = fake_resume,
    .interrupt = fake_interrupt,
    .monitor = fake_monitor,
    .detach = fake_detach,
    .kill = fake_kill,
};

static void fake_send(void *io, const uint8_t *buf, size_t len)
{
    FakeTarget *f = io;
    if (f->out_len + len > sizeof(f->out)) {
        f->out_len = 0;   /* keep only recent output: the fuzzer sends unbounded streams */
    }
    if (len <= sizeof(f->out)) {
        memcpy(f->out + f->out_len, buf, len);
        f->out_len += len;
    }
}

static void fake_setup(FakeTarget *f, GdbSession *s)
{
    memset(f, 0, sizeof(*f));
    f->session = s;
    gdb_session_init(s, &fake_ops, f, fake_send, f);
}

#endif
