/*
 * gdb `monitor ...` commands (qRcmd). One table row per command; `monitor
 * help` prints the table. Output goes to gdb's console through O packets.
 */
#include "core/gdbstub_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "core/log.h"
#include "core/gdbstub_walk.h"

typedef struct MonitorCmd {
    const char *name;
    const char *args;
    const char *help;
    void (*fn)(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out);
} MonitorCmd;

static const MonitorCmd monitor_cmds[];

static void mon_help(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out);

static void mon_regime(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out)
{
    if (argc == 2) {
        GdbRegime r;
        if (!gdb_regime_parse(argv[1], &r)) {
            gdb_out_printf(out, "unknown regime '%s' (current, el0, el1, el2, el20, el3, phys)\n", argv[1]);
            return;
        }
        s->regime = r;
    } else if (argc > 2) {
        gdb_out_printf(out, "usage: regime [current|el0|el1|el2|el20|el3|phys]\n");
        return;
    }
    gdb_out_printf(out, "memory accesses (m/M/X) use the %s regime", gdb_regime_names[s->regime]);
    if (s->regime == GDB_REGIME_EL1 || s->regime == GDB_REGIME_EL0) {
        gdb_out_printf(out, " (stage 1 of EL1&0, then stage 2 when HCR_EL2.VM is set)");
    }
    gdb_out_printf(out, "\n");
}

static void mon_step_irq(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out)
{
    if (argc == 2 && !strcasecmp(argv[1], "on")) {
        s->step_irq = true;
    } else if (argc == 2 && !strcasecmp(argv[1], "off")) {
        s->step_irq = false;
    } else if (argc != 1) {
        gdb_out_printf(out, "usage: step-irq [on|off]\n");
        return;
    }
    gdb_out_printf(out, "interrupts while single-stepping: %s\n",
                   s->step_irq ? "taken (on)" : "masked (off)");
}

static void mon_trace(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out)
{
    if (argc == 2) {
        const char *list = argv[1];
        char op = 0;
        if (list[0] == '+' || list[0] == '-') {
            op = list[0];
            list++;
        }
        uint32_t mask = 0;
        const char *bad = NULL;
        if (!strcasecmp(list, "off") || !strcasecmp(list, "none")) {
            mask = 0;
        } else if (!log_parse_mask(list, &mask, &bad)) {
            gdb_out_printf(out, "unknown trace category '%s'; categories:\n%s", bad ? bad : list,
                           log_categories_help());
            return;
        }
        if (op == '+') {
            log_mask |= mask;
        } else if (op == '-') {
            log_mask &= ~mask;
        } else {
            log_mask = mask;
        }
    } else if (argc != 1) {
        gdb_out_printf(out, "usage: trace [LIST|+LIST|-LIST|off]\n");
        return;
    }
    gdb_out_printf(out, "trace mask 0x%x; categories:\n%s", log_mask, log_categories_help());
}

static void mon_el(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out)
{
    if (!cpu) {
        gdb_out_printf(out, "no vCPU\n");
        return;
    }
    const CPUSysRegs *sr = &cpu->sr;
    gdb_out_printf(out, "CPU#%d: EL%u SPSel=%u DAIF=%x mmu_idx=%d pc=%016llx\n", cpu->cpu_index, cpu->el,
                   cpu->spsel, cpu->daif >> 6, (int)cpu->mmu_idx, (unsigned long long)cpu->pc);
    gdb_out_printf(out, "SCR_EL3    %016llx  NS=%u IRQ=%u FIQ=%u EA=%u SMD=%u HCE=%u RW=%u\n",
                   (unsigned long long)sr->SCR_EL3, (unsigned)(sr->SCR_EL3 & 1), (unsigned)(sr->SCR_EL3 >> 1) & 1,
                   (unsigned)(sr->SCR_EL3 >> 2) & 1, (unsigned)(sr->SCR_EL3 >> 3) & 1, (unsigned)(sr->SCR_EL3 >> 7) & 1,
                   (unsigned)(sr->SCR_EL3 >> 8) & 1, (unsigned)(sr->SCR_EL3 >> 10) & 1);
    uint64_t hcr = sr->HCR_EL2;
    gdb_out_printf(out, "HCR_EL2    %016llx  VM=%u IMO=%u FMO=%u AMO=%u TGE=%u RW=%u E2H=%u NV=%u NV1=%u NV2=%u\n",
                   (unsigned long long)hcr, (unsigned)(hcr & 1), (unsigned)(hcr >> 4) & 1, (unsigned)(hcr >> 3) & 1,
                   (unsigned)(hcr >> 5) & 1, (unsigned)(hcr >> 27) & 1, (unsigned)(hcr >> 31) & 1,
                   (unsigned)(hcr >> 34) & 1, (unsigned)(hcr >> 42) & 1, (unsigned)(hcr >> 43) & 1,
                   (unsigned)(hcr >> 45) & 1);
    uint64_t vtcr = sr->VTCR_EL2;
    gdb_out_printf(out, "VTCR_EL2   %016llx  T0SZ=%u SL0=%u TG0=%u PS=%u VS=%u DS=%u SL2=%u\n",
                   (unsigned long long)vtcr, (unsigned)(vtcr & 0x3f), (unsigned)(vtcr >> 6) & 3,
                   (unsigned)(vtcr >> 14) & 3, (unsigned)(vtcr >> 16) & 7, (unsigned)(vtcr >> 19) & 1,
                   (unsigned)(vtcr >> 32) & 1, (unsigned)(vtcr >> 33) & 1);
    gdb_out_printf(out, "VTTBR_EL2  %016llx  VMID=%u BADDR=%llx\n", (unsigned long long)sr->VTTBR_EL2,
                   (unsigned)(sr->VTTBR_EL2 >> 48), (unsigned long long)(sr->VTTBR_EL2 & 0x0000fffffffffffeULL));
    static const char *const regime[] = { NULL, "EL1&0", "EL2 / EL2&0", "EL3" };
    for (int el = 1; el <= 3; el++) {
        gdb_out_printf(out, "%-11s SCTLR_EL%d %016llx (M=%u)  TCR_EL%d %016llx\n", regime[el], el,
                       (unsigned long long)sr->SCTLR_ELx[el], (unsigned)(sr->SCTLR_ELx[el] & 1), el,
                       (unsigned long long)sr->TCR_ELx[el]);
        gdb_out_printf(out, "            TTBR0_EL%d %016llx", el, (unsigned long long)sr->TTBR0_ELx[el]);
        if (el < 3) {
            gdb_out_printf(out, "  TTBR1_EL%d %016llx", el, (unsigned long long)sr->TTBR1_ELx[el]);
        }
        gdb_out_printf(out, "  MAIR_EL%d %016llx\n", el, (unsigned long long)sr->MAIR_ELx[el]);
    }
}

static void mon_break(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out)
{
    static const char *const wtype[] = { "", "", "write", "read", "access" };
    gdb_out_printf(out, "%zu breakpoint(s), %zu watchpoint(s)\n", s->nbps, s->nwps);
    for (size_t i = 0; i < s->nbps; i++) {
        gdb_out_printf(out, "  %s break at %016llx\n", s->bps[i].type == GDB_BP_HW ? "hw" : "sw",
                       (unsigned long long)s->bps[i].va);
    }
    for (size_t i = 0; i < s->nwps; i++) {
        gdb_out_printf(out, "  %s watch %016llx len %llu\n", wtype[s->wps[i].type],
                       (unsigned long long)s->wps[i].va, (unsigned long long)s->wps[i].len);
    }
}

static bool parse_u64(const char *str, uint64_t *v)
{
    char *end;
    if (!*str) {
        return false;
    }
    *v = strtoull(str, &end, 0);
    return !*end;
}

static void mon_walk(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out)
{
    uint64_t va;
    GdbRegime r = s->regime;
    if (argc < 2 || argc > 3 || !parse_u64(argv[1], &va) || (argc == 3 && !gdb_regime_parse(argv[2], &r))) {
        gdb_out_printf(out, "usage: walk VA [current|el0|el1|el2|el20|el3]\n");
        return;
    }
    if (!cpu) {
        gdb_out_printf(out, "no vCPU\n");
        return;
    }
    gdbstub_walk_print(cpu, va, r, out);
}

static void mon_tlb(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out)
{
    if (!cpu) {
        gdb_out_printf(out, "no vCPU\n");
        return;
    }
    gdbstub_tlb_print(cpu, out);
}

static const MonitorCmd monitor_cmds[] = {
    { "help", "", "list monitor commands", mon_help },
    { "walk", "VA [REGIME]", "translate VA, printing every stage-1 and stage-2 descriptor read, the PA or the fault and its ESR", mon_walk },
    { "tlb", "", "the selected vCPU's TLB entries: regime, VA, PA, access; ASID/VMID of the context", mon_tlb },
    { "el", "", "exception-level state: SCR_EL3, HCR_EL2, VTCR_EL2, VTTBR_EL2, SCTLR/TCR/TTBR/MAIR per regime", mon_el },
    { "regime", "[current|el0|el1|el2|el20|el3|phys]", "translation regime for gdb memory accesses", mon_regime },
    { "step-irq", "[on|off]", "take interrupts while single-stepping (default off: masked)", mon_step_irq },
    { "trace", "[LIST|+LIST|-LIST|off]", "set, add or remove -d log categories live", mon_trace },
    { "break", "", "list the breakpoints and watchpoints the stub holds", mon_break },
};

static void mon_help(GdbStub *s, CPUState *cpu, char **argv, int argc, GdbOut *out)
{
    gdb_out_printf(out, "Tandem monitor commands (the selected thread's vCPU is used):\n");
    for (size_t i = 0; i < ARRAY_SIZE(monitor_cmds); i++) {
        char head[64];
        snprintf(head, sizeof(head), "%s %s", monitor_cmds[i].name, monitor_cmds[i].args);
        gdb_out_printf(out, "  %-44s %s\n", head, monitor_cmds[i].help);
    }
}

void gdbstub_monitor(GdbStub *s, CPUState *cpu, const char *cmd, GdbOut *out)
{
    char buf[512];
    char *argv[8];
    int argc = 0;
    snprintf(buf, sizeof(buf), "%s", cmd);
    for (char *p = strtok(buf, " \t\r\n"); p && argc < (int)ARRAY_SIZE(argv); p = strtok(NULL, " \t\r\n")) {
        argv[argc++] = p;
    }
    if (argc == 0) {
        mon_help(s, cpu, argv, argc, out);
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(monitor_cmds); i++) {
        if (!strcasecmp(argv[0], monitor_cmds[i].name)) {
            monitor_cmds[i].fn(s, cpu, argv, argc, out);
            return;
        }
    }
    gdb_out_printf(out, "unknown command '%s'; try 'monitor help'\n", argv[0]);
}
