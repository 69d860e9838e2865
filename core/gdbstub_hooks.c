/*
 * The stub's hooks for the execution engine and the memory slow path
 * (core/gdbstub.h, groups 2 and 3) and the breakpoint lookup they use. Kept
 * apart from the server so code that embeds the engine or cpu/mem.c without
 * the server (unit tests) links them: with no stub started they are inert.
 */
#include "core/gdbstub_int.h"

volatile uint32_t gdbstub_debug_flags;
GdbStub *gdbstub_state;

/* First index with bps[i].va >= va. */
size_t gdbstub_bp_lower_bound(const GdbStub *s, uint64_t va)
{
    size_t lo = 0, hi = s->nbps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->bps[mid].va < va) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static const GdbBreakpoint *bp_find(const GdbStub *s, uint64_t va)
{
    size_t i = gdbstub_bp_lower_bound(s, va);
    return i < s->nbps && s->bps[i].va == va ? &s->bps[i] : NULL;
}

void gdbstub_update_flags(GdbStub *s)
{
    uint32_t f = 0;
    if (s->nbps) {
        f |= GDBSTUB_DEBUG_BREAK;
    }
    if (s->nwps) {
        f |= GDBSTUB_DEBUG_WATCH;
    }
    if (s->stop_pending || s->stopped) {
        f |= GDBSTUB_DEBUG_STOP;   /* a vCPU run while gdb holds the machine ends at once */
    }
    if (!s->stopped) {
        for (int i = 0; i < s->m->ncpus && i < MACHINE_MAX_CPUS; i++) {
            if (s->action[i] == GDB_ACT_STEP) {
                f |= GDBSTUB_DEBUG_STEP;
            }
        }
    }
    gdbstub_debug_flags = f;
}

/* ---------------- execution control shared with gdbstub.c ---------------- */

void gdbstub_kick_cpus(GdbStub *s)
{
    for (int i = 0; i < s->m->ncpus; i++) {
        if (s->m->cpus[i]) {
            s->m->cpus[i]->exit_request = 1;
        }
    }
}

/* Record a stop found inside a vCPU's run; reported from gdbstub_poll between quanta. */
void gdbstub_stop_request(GdbStub *s, CPUState *cpu, int signal, GdbStopReason reason, uint64_t addr)
{
    if (!s->stop_pending) {
        s->stop_pending = true;
        s->pending = (GdbStop){ .tid = cpu->cpu_index + 1, .signal = signal, .reason = reason, .addr = addr };
        gdbstub_update_flags(s);
    }
    gdbstub_kick_cpus(s);
}

bool gdbstub_check_insn(CPUState *cpu)
{
    GdbStub *s = gdbstub_state;
    int i = cpu->cpu_index;
    if (!s || i < 0 || i >= MACHINE_MAX_CPUS) {
        return false;
    }
    if (s->stop_pending || s->stopped || s->action[i] == GDB_ACT_STOP) {
        cpu->exit_request = 1;
        return true;
    }
    /*
     * The first instruction after a resume always executes: that is the
     * instruction a step steps over, and resuming at a breakpoint steps off
     * it (gdb also removes it for that step). If the vCPU took an exception
     * before it (pc moved), the step ends at the vector instead.
     */
    if (s->first_insn[i]) {
        s->first_insn[i] = false;
        if (cpu->pc == s->resume_pc[i]) {
            return false;
        }
    }
    if (s->action[i] == GDB_ACT_STEP) {
        gdbstub_stop_request(s, cpu, GDB_SIGTRAP, GDB_STOP_SIGNAL, 0);
        return true;
    }
    if (s->nbps) {
        const GdbBreakpoint *bp = bp_find(s, cpu->pc);
        if (bp) {
            gdbstub_stop_request(s, cpu, GDB_SIGTRAP, bp->type == GDB_BP_HW ? GDB_STOP_HWBREAK : GDB_STOP_SWBREAK, 0);
            return true;
        }
    }
    return false;
}

bool gdbstub_irq_masked(const CPUState *cpu)
{
    GdbStub *s = gdbstub_state;
    return s && !s->step_irq && cpu->cpu_index >= 0 && cpu->cpu_index < MACHINE_MAX_CPUS &&
           s->action[cpu->cpu_index] == GDB_ACT_STEP;
}

bool gdbstub_check_watch(CPUState *cpu, uint64_t va, unsigned size, bool is_write)
{
    GdbStub *s = gdbstub_state;
    if (!s || !size) {
        return false;
    }
    uint64_t last = va + size - 1;
    for (size_t i = 0; i < s->nwps; i++) {
        const GdbWatchpoint *w = &s->wps[i];
        uint64_t wlast = w->va + w->len - 1;
        if (last < w->va || va > wlast) {
            continue;
        }
        GdbStopReason reason;
        if (w->type == GDB_WP_WRITE && is_write) {
            reason = GDB_STOP_WATCH;
        } else if (w->type == GDB_WP_READ && !is_write) {
            reason = GDB_STOP_RWATCH;
        } else if (w->type == GDB_WP_ACCESS) {
            reason = GDB_STOP_AWATCH;
        } else {
            continue;
        }
        /* The reported data address lies inside the watched range, so gdb finds its watchpoint. */
        gdbstub_stop_request(s, cpu, GDB_SIGTRAP, reason, va > w->va ? va : w->va);
        return true;
    }
    return false;
}

bool gdbstub_page_watched(uint64_t va)
{
    GdbStub *s = gdbstub_state;
    if (!s) {
        return false;
    }
    uint64_t page = va & ~0xfffULL;
    for (size_t i = 0; i < s->nwps; i++) {
        const GdbWatchpoint *w = &s->wps[i];
        if (w->va <= page + 0xfff && w->va + w->len - 1 >= page) {
            return true;
        }
    }
    return false;
}

bool gdbstub_cpu_may_run(const CPUState *cpu)
{
    GdbStub *s = gdbstub_state;
    if (!s) {
        return true;
    }
    if (s->stopped || s->stop_pending || cpu->cpu_index < 0 || cpu->cpu_index >= MACHINE_MAX_CPUS) {
        return false;
    }
    return s->action[cpu->cpu_index] != GDB_ACT_STOP;
}

