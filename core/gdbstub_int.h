/*
 * Internals shared by the gdbstub files: the server state (core/gdbstub.c),
 * the target glue over the vCPUs (core/gdbstub_target.c), the register set
 * and target.xml (core/gdbstub_regs.c) and the monitor commands
 * (core/gdbstub_monitor.c).
 */
#ifndef TANDEM_CORE_GDBSTUB_INT_H
#define TANDEM_CORE_GDBSTUB_INT_H

#include "core/gdbstub.h"
#include "core/gdbstub_session.h"

/* Which translation regime m/M/X use (monitor regime). */
typedef enum GdbRegime {
    GDB_REGIME_CURRENT = 0,   /* the vCPU's current mmu_idx */
    GDB_REGIME_EL0,           /* EL1&0 regime, EL0 access */
    GDB_REGIME_EL1,           /* EL1&0 regime, EL1 access (stage 2 applies when enabled) */
    GDB_REGIME_EL2,           /* EL2 (no VHE) */
    GDB_REGIME_EL20,          /* EL2&0 (VHE) */
    GDB_REGIME_EL3,
    GDB_REGIME_PHYS,          /* physical addresses, no translation */
    GDB_REGIME_COUNT
} GdbRegime;

extern const char *const gdb_regime_names[GDB_REGIME_COUNT];
/* Parse a regime name; false if unknown. */
bool gdb_regime_parse(const char *name, GdbRegime *r);
/* The mmu_idx for a regime (not PHYS) on this vCPU. */
MMUIdx gdb_regime_mmu_idx(const CPUState *cpu, GdbRegime r);

typedef struct GdbBreakpoint {
    uint64_t va;
    uint8_t type;            /* GDB_BP_SW / GDB_BP_HW */
    uint32_t refs;           /* gdb may insert the same location twice */
} GdbBreakpoint;

typedef struct GdbWatchpoint {
    uint64_t va, len;
    uint8_t type;            /* GDB_WP_WRITE / READ / ACCESS */
    uint32_t refs;
} GdbWatchpoint;

typedef struct GdbStub {
    Machine *m;
    int listen_fd, client_fd;
    int port;                 /* the TCP port listened on (tcp::0 picks a free one) */
    GdbSession session;
    bool connected;

    /* Execution control (all-stop) */
    bool stopped;                              /* gdb holds the vCPUs */
    GdbAction action[MACHINE_MAX_CPUS];        /* while running: what each vCPU does */
    uint64_t resume_icount[MACHINE_MAX_CPUS];  /* where each vCPU was resumed, to step */
    uint64_t resume_pc[MACHINE_MAX_CPUS];      /* ... and to step off a breakpoint */
    bool first_insn[MACHINE_MAX_CPUS];         /* no instruction checked since the resume */
    bool stop_pending;
    GdbStop pending;

    /* Breakpoints: sorted by va. Watchpoints: unsorted (few). */
    GdbBreakpoint *bps;
    size_t nbps, capbps;
    GdbWatchpoint *wps;
    size_t nwps, capwps;

    bool step_irq;            /* monitor step-irq on: interrupts may be taken while stepping */
    GdbRegime regime;         /* monitor regime */
    uint64_t last_poll_ns;
    uint64_t packets_in;
} GdbStub;

extern GdbStub *gdbstub_state;

/* --- gdbstub.c: execution control shared with the target ops --- */
void gdbstub_resume(GdbStub *s, const GdbAction *actions, int count);
void gdbstub_stop_all(GdbStub *s, const GdbStop *why);
void gdbstub_update_flags(GdbStub *s);
int gdbstub_bp_insert(GdbStub *s, int type, uint64_t addr, uint64_t kind);
int gdbstub_bp_remove(GdbStub *s, int type, uint64_t addr, uint64_t kind);
void gdbstub_bp_clear_all(GdbStub *s);

/* --- gdbstub_hooks.c --- */
size_t gdbstub_bp_lower_bound(const GdbStub *s, uint64_t va);   /* first index with va >= va */
void gdbstub_kick_cpus(GdbStub *s);                             /* every vCPU leaves cpu_run */
/* A stop found inside a vCPU's run (first one wins); reported from gdbstub_poll. */
void gdbstub_stop_request(GdbStub *s, CPUState *cpu, int signal, GdbStopReason reason, uint64_t addr);

/* --- gdbstub_target.c --- */
extern const GdbTargetOps gdbstub_target_ops;
CPUState *gdbstub_thread_cpu(GdbStub *s, int tid);
/* Debug memory access through a regime: bytes done (a prefix). */
size_t gdbstub_mem_access(GdbStub *s, CPUState *cpu, GdbRegime regime, uint64_t addr, uint8_t *buf,
                          size_t len, bool write);

/* --- gdbstub_regs.c: the register set and target.xml --- */
int gdbstub_reg_count(void);
int gdbstub_g_reg_count(void);
int gdbstub_reg_read(CPUState *cpu, int regno, uint8_t *buf, size_t cap);
bool gdbstub_reg_write(CPUState *cpu, int regno, const uint8_t *buf, size_t len);
const char *gdbstub_xml(const char *annex, size_t *len);
/* Look up a register by name (case-insensitive); -1 if none. */
int gdbstub_reg_by_name(const char *name);
const char *gdbstub_reg_name(int regno);

/* --- gdbstub_monitor.c --- */
void gdbstub_monitor(GdbStub *s, CPUState *cpu, const char *cmd, GdbOut *out);

#endif
