/*
 * Watchpoints on the memory slow path (see cpu/mem_watch.h).
 *
 * Architectural watchpoints follow the Arm ARM pseudocode
 * AArch64.CheckWatchpoint / AArch64.WatchpointMatch / WatchpointByteMatch
 * for a PE in Non-secure state: enabled by DBGWCR<n>_EL1.E, MDSCR_EL1.MDE
 * and the debug-exception enables (debug_exceptions_enabled, cpu/debug.c),
 * matched on privilege (PAC/HMC/SSC), load/store (LSC), address (DBGWVR with
 * BAS byte lanes, or MASK for 8 B..2 GiB ranges). Linked watchpoints
 * (WT = 1, needing a linked context breakpoint) never match: docs/impdef.md.
 *
 * Softmmu: pages overlapping an enabled watchpoint get no read/write tags
 * (cpu/mem.c asks mem_watch_page); debug_update() (cpu/debug.c, called on
 * every write to the debug registers) flushes the soft TLB, so no tag filled
 * before a watchpoint was enabled skips it.
 */
#include "cpu/mem_watch.h"

#include "core/gdbstub.h"
#include "cpu/debug.h"
#include "cpu/exception.h"
#include "cpu/mem.h"

#define DBGWCR_E (1ULL << 0)
#define MDSCR_MDE (1ULL << 15)

static unsigned watch_count(const CPUState *cpu)
{
    unsigned n = (unsigned)extract64(cpu->id.ID_AA64DFR0_EL1, 20, 4) + 1;   /* WRPs */
    return n > DBG_NUM_WRPS ? DBG_NUM_WRPS : n;
}

/* The address range [lo, hi] watchpoint n can match (for the TLB decision). */
static void watch_range(const CPUState *cpu, unsigned n, uint64_t *lo, uint64_t *hi)
{
    uint64_t wcr = cpu->sr.DBGWCR_EL1[n], wvr = cpu->sr.DBGWVR_EL1[n];
    unsigned mask = (unsigned)extract64(wcr, 24, 5);
    if (mask >= 3) {
        *lo = wvr & ~MASK64(mask);
        *hi = *lo + MASK64(mask);
    } else {
        *lo = wvr & ~7ULL;
        *hi = *lo + 7;
    }
}

bool mem_watch_page(const CPUState *cpu, uint64_t va)
{
    uint64_t page = va & ~0xfffULL;
    for (unsigned n = 0; n < watch_count(cpu); n++) {
        if (cpu->sr.DBGWCR_EL1[n] & DBGWCR_E) {
            uint64_t lo, hi;
            watch_range(cpu, n, &lo, &hi);
            if (lo <= page + 0xfff && hi >= page) {
                return true;
            }
        }
    }
    return unlikely(gdbstub_debug_flags & GDBSTUB_DEBUG_WATCH) && gdbstub_page_watched(va);
}

/*
 * AArch64.StateMatch for a watchpoint in Non-secure state (SSC = 10, Secure
 * only, never matches; EL3 is not a debug target in AArch64).
 */
static bool watch_state_match(const CPUState *cpu, uint64_t wcr, bool unpriv)
{
    unsigned pac = (unsigned)extract64(wcr, 1, 2);
    unsigned hmc = (unsigned)extract64(wcr, 13, 1);
    unsigned ssc = (unsigned)extract64(wcr, 14, 2);
    if (ssc == 2) {
        return false;
    }
    bool el2_match = (hmc && ((ssc << 2 | pac) != 0x8)) || ssc == 3;
    bool el1_match = pac & 1, el0_match = (pac >> 1) & 1;
    switch (cpu->el) {
    case 2: return unpriv ? el0_match : el2_match;
    case 1: return unpriv ? el0_match : el1_match;
    case 0: return el0_match;
    default: return false;
    }
}

/* AArch64.WatchpointByteMatch for one byte address. */
static bool watch_byte_match(const CPUState *cpu, unsigned n, uint64_t va)
{
    uint64_t wcr = cpu->sr.DBGWCR_EL1[n], wvr = cpu->sr.DBGWVR_EL1[n];
    unsigned mask = (unsigned)extract64(wcr, 24, 5);
    unsigned bas = (unsigned)extract64(wcr, 5, 8);
    unsigned bottom = (wvr & 4) ? 2 : 3;          /* a word or a doubleword at DBGWVR */
    const uint64_t top_mask = MASK64(57);         /* VA[56:0]: tag bits never take part */
    if (mask >= 3) {
        /* Ranges of 2^MASK bytes; BAS must be all ones (else CONSTRAINED UNPREDICTABLE: ignored). */
        return ((va ^ wvr) & top_mask & ~MASK64(mask)) == 0;
    }
    /* MASK 1 and 2 are reserved (treated as 0: docs/impdef.md). */
    if (((va ^ wvr) & top_mask & ~MASK64(bottom)) != 0) {
        return false;
    }
    return (bas >> (va & MASK64(bottom))) & 1;
}

bool mem_watch_check(CPUState *cpu, uint64_t va, unsigned len, bool read, bool write, bool unpriv,
                     bool cm, bool take)
{
    if (unlikely(gdbstub_debug_flags & GDBSTUB_DEBUG_WATCH) && take &&
        gdbstub_check_watch(cpu, va, len, write)) {
        return false;     /* gdb stopped the vCPU before the access: no exception */
    }
    if (!(cpu->sr.MDSCR_EL1 & MDSCR_MDE)) {
        return true;
    }
    unsigned count = watch_count(cpu);
    bool any = false;
    for (unsigned n = 0; n < count; n++) {
        any |= (cpu->sr.DBGWCR_EL1[n] & DBGWCR_E) != 0;
    }
    if (!any || !debug_exceptions_enabled(cpu, cpu->el, (cpu->daif & PSTATE_D) != 0)) {
        return true;
    }
    for (unsigned n = 0; n < count; n++) {
        uint64_t wcr = cpu->sr.DBGWCR_EL1[n];
        unsigned lsc = (unsigned)extract64(wcr, 3, 2);   /* bit 0: loads, bit 1: stores */
        bool ls_match = ((lsc & 1) && read) || ((lsc & 2) && write);
        if (!(wcr & DBGWCR_E) || extract64(wcr, 20, 1) /* WT: linked */ || !ls_match ||
            !watch_state_match(cpu, wcr, unpriv)) {
            continue;
        }
        for (unsigned b = 0; b < len; b++) {
            if (watch_byte_match(cpu, n, va + b)) {
                if (!take) {
                    return false;
                }
                /* AArch64.WatchpointException: DFSC 0x22 (debug), WnR, CM; FAR = the access address. */
                unsigned target = cpu_debug_target_el(cpu);
                unsigned ec = target == cpu->el ? EC_WATCHPOINT_SAME_EL : EC_WATCHPOINT;
                uint32_t iss = 0x22 | (write || cm ? 1u << 6 : 0) | (cm ? 1u << 8 : 0);
                cpu_take_exception(cpu, target, EXC_SYNC, (ec << ESR_EC_SHIFT) | ESR_IL | iss,
                                   va, true, cpu->pc);
                return false;
            }
        }
    }
    return true;
}
