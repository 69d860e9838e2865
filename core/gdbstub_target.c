/*
 * GdbTargetOps over the machine's vCPUs: threads are vCPUs (tid =
 * cpu_index + 1), memory goes through the selected translation regime
 * without side effects on the guest (no exception, no fault syndrome).
 */
#include "core/gdbstub_int.h"

#include <stdio.h>
#include <strings.h>

#include "cpu/exec.h"
#include "mmu/mmu.h"


const char *const gdb_regime_names[GDB_REGIME_COUNT] = {
    [GDB_REGIME_CURRENT] = "current",
    [GDB_REGIME_EL0] = "el0",
    [GDB_REGIME_EL1] = "el1",
    [GDB_REGIME_EL2] = "el2",
    [GDB_REGIME_EL20] = "el20",
    [GDB_REGIME_EL3] = "el3",
    [GDB_REGIME_PHYS] = "phys",
};

bool gdb_regime_parse(const char *name, GdbRegime *r)
{
    for (int i = 0; i < GDB_REGIME_COUNT; i++) {
        if (!strcasecmp(name, gdb_regime_names[i])) {
            *r = (GdbRegime)i;
            return true;
        }
    }
    return false;
}

MMUIdx gdb_regime_mmu_idx(const CPUState *cpu, GdbRegime r)
{
    switch (r) {
    case GDB_REGIME_EL0:
        return MMU_IDX_E10_0;
    case GDB_REGIME_EL1:
        return MMU_IDX_E10_1;
    case GDB_REGIME_EL2:
        return MMU_IDX_E2;
    case GDB_REGIME_EL20:
        return MMU_IDX_E20_2;
    case GDB_REGIME_EL3:
        return MMU_IDX_E3;
    default:
        return cpu->mmu_idx;
    }
}

CPUState *gdbstub_thread_cpu(GdbStub *s, int tid)
{
    if (tid < 1 || tid > s->m->ncpus || tid > MACHINE_MAX_CPUS) {
        return NULL;
    }
    return s->m->cpus[tid - 1];
}

/* ---------------- memory ---------------- */

/*
 * Translate for the debugger with the MMU's side-effect-free walker (no TLB
 * fill, no access-flag/dirty update, no exception): read permission, or
 * fetch permission for execute-only code, in the regime's own terms.
 */
static bool debug_translate(CPUState *cpu, GdbRegime regime, uint64_t va, uint64_t *pa)
{
    if (regime == GDB_REGIME_PHYS) {
        *pa = va;
        return true;
    }
    MMUIdx idx = gdb_regime_mmu_idx(cpu, regime);
    MMUResult res;
    MMUFault fault;
    if (!mmu_walk_debug(cpu, va, idx, MMU_ACCESS_READ, NULL, NULL, &res, &fault) &&
        !mmu_walk_debug(cpu, va, idx, MMU_ACCESS_FETCH, NULL, NULL, &res, &fault)) {
        return false;
    }
    *pa = (res.pa & ~0xfffULL) | (va & 0xfff);
    return true;
}

size_t gdbstub_mem_access(GdbStub *s, CPUState *cpu, GdbRegime regime, uint64_t addr, uint8_t *buf,
                          size_t len, bool write)
{
    AddrSpace *as = &s->m->as;
    size_t done = 0;
    while (done < len) {
        uint64_t va = addr + done;
        size_t n = 0x1000 - (va & 0xfff);
        if (n > len - done) {
            n = len - done;
        }
        uint64_t pa;
        if (!debug_translate(cpu, regime, va, &pa)) {
            break;
        }
        /* RAM/ROM only: reading a device register could have side effects on the guest. */
        const MemRegion *r = addrspace_find(as, pa);
        if (!r || !r->ram || pa - r->base >= r->size || r->size - (pa - r->base) < n) {
            break;
        }
        uint8_t *host = r->ram + (pa - r->base);
        if (write) {
            memcpy(host, buf + done, n);
            /* Decoded blocks of this page are stale now (breakpoints are not written, but
             * a user may patch code). */
            if (exec_is_code_page(s->m, pa & ~0xfffULL)) {
                exec_notify_write(s->m, pa, n);
            }
        } else {
            memcpy(buf + done, host, n);
        }
        done += n;
    }
    return done;
}

static size_t t_mem_read(void *t, int tid, uint64_t addr, uint8_t *buf, size_t len)
{
    GdbStub *s = t;
    CPUState *cpu = gdbstub_thread_cpu(s, tid);
    return cpu ? gdbstub_mem_access(s, cpu, s->regime, addr, buf, len, false) : 0;
}

static bool t_mem_write(void *t, int tid, uint64_t addr, const uint8_t *buf, size_t len)
{
    GdbStub *s = t;
    CPUState *cpu = gdbstub_thread_cpu(s, tid);
    return cpu && gdbstub_mem_access(s, cpu, s->regime, addr, (uint8_t *)(uintptr_t)buf, len, true) == len;
}

/* ---------------- threads and registers ---------------- */

static int t_thread_count(void *t)
{
    GdbStub *s = t;
    return s->m->ncpus < MACHINE_MAX_CPUS ? s->m->ncpus : MACHINE_MAX_CPUS;
}

static void t_thread_info(void *t, int tid, char *buf, size_t len)
{
    GdbStub *s = t;
    CPUState *cpu = gdbstub_thread_cpu(s, tid);
    if (!cpu) {
        snprintf(buf, len, "absent");
        return;
    }
    snprintf(buf, len, "CPU#%d EL%u%s", cpu->cpu_index, cpu->el,
             cpu->powered_off ? " powered off" : cpu->halted ? " halted (WFI/WFE)" : "");
}

static int t_reg_read(void *t, int tid, int regno, uint8_t *buf, size_t cap)
{
    CPUState *cpu = gdbstub_thread_cpu(t, tid);
    if (!cpu || regno >= gdbstub_reg_count()) {
        return -1;
    }
    return gdbstub_reg_read(cpu, regno, buf, cap);
}

static bool t_reg_write(void *t, int tid, int regno, const uint8_t *buf, size_t len)
{
    CPUState *cpu = gdbstub_thread_cpu(t, tid);
    return cpu && regno < gdbstub_reg_count() && gdbstub_reg_write(cpu, regno, buf, len);
}

static int t_g_reg_count(void *t)
{
    return gdbstub_g_reg_count();
}

static const char *t_xfer(void *t, const char *annex, size_t *len)
{
    return gdbstub_xml(annex, len);
}

/* ---------------- execution ---------------- */

static int t_bp_insert(void *t, int type, uint64_t addr, uint64_t kind)
{
    return gdbstub_bp_insert(t, type, addr, kind);
}

static int t_bp_remove(void *t, int type, uint64_t addr, uint64_t kind)
{
    return gdbstub_bp_remove(t, type, addr, kind);
}

static void t_resume(void *t, const GdbAction *actions, int count)
{
    gdbstub_resume(t, actions, count);
}

static void t_interrupt(void *t)
{
    GdbStub *s = t;
    GdbStop st = { .tid = s->session.g_tid > 0 ? s->session.g_tid : 1, .signal = GDB_SIGINT };
    /* Report the first vCPU that was running: that is the one "interrupted". */
    for (int i = 0; i < s->m->ncpus && i < MACHINE_MAX_CPUS; i++) {
        if (s->action[i] != GDB_ACT_STOP) {
            st.tid = i + 1;
            break;
        }
    }
    gdbstub_stop_all(s, &st);
}

static void t_monitor(void *t, const char *cmd, GdbOut *out)
{
    GdbStub *s = t;
    gdbstub_monitor(s, gdbstub_thread_cpu(s, s->session.g_tid > 0 ? s->session.g_tid : 1), cmd, out);
}

static void t_detach(void *t)
{
    /* client_close() (gdbstub.c) clears breakpoints and resumes when it sees the detach. */
    (void)t;
}

static void t_kill(void *t)
{
    GdbStub *s = t;
    machine_request_shutdown(s->m, 0);
}

const GdbTargetOps gdbstub_target_ops = {
    .thread_count = t_thread_count,
    .thread_info = t_thread_info,
    .reg_read = t_reg_read,
    .reg_write = t_reg_write,
    .g_reg_count = t_g_reg_count,
    .mem_read = t_mem_read,
    .mem_write = t_mem_write,
    .xfer_features = t_xfer,
    .bp_insert = t_bp_insert,
    .bp_remove = t_bp_remove,
    .resume = t_resume,
    .interrupt = t_interrupt,
    .monitor = t_monitor,
    .detach = t_detach,
    .kill = t_kill,
};
