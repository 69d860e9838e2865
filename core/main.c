/* tandem: parse the command line, build the machine, run it. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/cli.h"
#include "core/gdbstub.h"
#include "core/log.h"
#include "core/machine.h"
#include "core/semihost.h"
#include "cpu/features.h"
#include "tandem-config.h"

int main(int argc, char **argv)
{
    CliConfig cfg;
    char *error = NULL;
    if (!cli_parse(argc, argv, &cfg, &error)) {
        fprintf(stderr, "tandem: %s\n", error);
        g_free(error);
        cli_free(&cfg);
        return CLI_EXIT_USAGE;
    }
    if (cfg.help) {
        cli_print_help(stdout);
        return 0;
    }
    if (cfg.cpu_help) {
        features_print_help();
        return 0;
    }
    if (cfg.version) {
        printf("tandem %s\n", TANDEM_VERSION);
        return 0;
    }
    if (cfg.log_file && !log_set_file(cfg.log_file)) {
        fprintf(stderr, "tandem: -D %s: cannot open the log file\n", cfg.log_file);
        return 1;
    }
    log_mask = cfg.log_mask;
    semihost_set_enabled(cfg.semihosting);

    Machine *m = machine_create(&cfg.machine, &error);
    if (!m) {
        fprintf(stderr, "tandem: %s\n", error);
        g_free(error);
        cli_free(&cfg);
        return 1;
    }
    m->events.ns_per_insn_shift = cfg.icount_shift;
    machine_set_quantum(m, cfg.quantum);

    if (cfg.machine.dumpdtb) {
        /* As QEMU: write the DTB the guest would get, then exit. */
        size_t size;
        const void *fdt = machine_fdt(m, &size, NULL);
        GError *gerr = NULL;
        int rc = 0;
        if (!g_file_set_contents(cfg.machine.dumpdtb, fdt, (gssize)size, &gerr)) {
            fprintf(stderr, "tandem: dumpdtb: %s\n", gerr->message);
            g_error_free(gerr);
            rc = 1;
        }
        machine_destroy(m);
        cli_free(&cfg);
        return rc;
    }

    if (cfg.machine.gdb || cfg.machine.wait_gdb) {
        /* -S alone has nothing else to wait for in Tandem (no monitor): it implies -s. */
        const char *spec = cfg.machine.gdb ? cfg.machine.gdb : "tcp::1234";
        if (!gdbstub_start(m, spec, cfg.machine.wait_gdb, &error)) {
            fprintf(stderr, "tandem: %s\n", error);
            g_free(error);
            machine_destroy(m);
            cli_free(&cfg);
            return 1;
        }
    }

    gint64 start_us = g_get_monotonic_time();
    int rc = machine_run(m);
    if (cfg.stats) {
        /* For benchmarks (tests/bench): what ran, how fast, on the host's clock. */
        uint64_t insns = 0;
        for (int i = 0; i < m->ncpus; i++) {
            insns += m->cpus[i]->icount;
        }
        double secs = (g_get_monotonic_time() - start_us) / 1e6;
        fprintf(stderr, "tandem-stats: instructions=%llu host_seconds=%.3f mips=%.1f virtual_ns=%llu\n",
                (unsigned long long)insns, secs, secs > 0 ? insns / secs / 1e6 : 0.0,
                (unsigned long long)m->events.now_ns);
    }
    gdbstub_notify_exit(m, rc);
    gdbstub_shutdown(m);
    fflush(stdout);
    machine_destroy(m);
    cli_free(&cfg);
    if (log_file) {
        fflush(log_file);
    }
    return rc;
}
