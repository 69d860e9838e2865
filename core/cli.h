/*
 * Command line with QEMU's spelling (single-dash long options, -opt value,
 * comma-separated suboptions). Table driven: core/cli.c has one row per
 * option; `tandem -h` prints the table.
 */
#ifndef TANDEM_CORE_CLI_H
#define TANDEM_CORE_CLI_H

#include <stdio.h>

#include "core/machine.h"

typedef struct CliConfig {
    MachineOptions machine;
    uint32_t log_mask;          /* -d */
    const char *log_file;       /* -D */
    bool semihosting;           /* -semihosting */
    uint64_t quantum;           /* instructions per vCPU turn (-quantum) */
    unsigned icount_shift;      /* -icount shift=N: 2^N ns per instruction */
    bool help, version;
    bool cpu_help;              /* -cpu help / -cpu ?: list the CPU models and features */
    bool stats;                 /* -stats: instructions retired and MIPS on exit */
} CliConfig;

/* Exit status for a bad command line (as QEMU's option parser uses 1, we use 2 like getopt tools). */
#define CLI_EXIT_USAGE 2

/*
 * Parse argv into cfg (defaults first). Returns true on success; on failure
 * *error is a one-line, g_malloc'd message. Strings in cfg point into argv
 * or are g_malloc'd for the life of the process.
 */
bool cli_parse(int argc, char **argv, CliConfig *cfg, char **error);
void cli_defaults(CliConfig *cfg);
/* Free what cli_parse allocated (guest-loader modules, dumpdtb); cfg is then defaults-free. */
void cli_free(CliConfig *cfg);
void cli_print_help(FILE *f);

/* "512M", "1G", "2048" (MiB like QEMU), "64K" -> bytes; false if malformed. */
bool cli_parse_size(const char *s, uint64_t *bytes);

#endif
