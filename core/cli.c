/* The command line (core/cli.h). */
#include "core/cli.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"
#include "tandem-config.h"

typedef bool (*CliHandler)(CliConfig *cfg, const char *arg, char **error);

typedef struct CliOption {
    const char *name;       /* without the dash */
    const char *alias;      /* another spelling, or NULL */
    const char *argname;    /* NULL: a flag without an argument */
    CliHandler handler;
    const char *help;
} CliOption;

#define FAIL(...) do { *error = g_strdup_printf(__VA_ARGS__); return false; } while (0)
/* The message may point into items: format it before freeing them. */
#define FAIL_FREE(items, ...) do { *error = g_strdup_printf(__VA_ARGS__); g_strfreev(items); return false; } while (0)

/* ---------------------------------------------------------------- helpers */

bool cli_parse_size(const char *s, uint64_t *bytes)
{
    static const struct { const char *suffix; uint64_t mult; } units[] = {
        { "", 1ULL << 20 },   /* QEMU: a bare number is MiB */
        { "B", 1 }, { "K", 1ULL << 10 }, { "KB", 1ULL << 10 }, { "KiB", 1ULL << 10 },
        { "M", 1ULL << 20 }, { "MB", 1ULL << 20 }, { "MiB", 1ULL << 20 },
        { "G", 1ULL << 30 }, { "GB", 1ULL << 30 }, { "GiB", 1ULL << 30 },
        { "T", 1ULL << 40 }, { "TB", 1ULL << 40 }, { "TiB", 1ULL << 40 },
    };
    if (!s || !*s || *s == '-' || *s == '+') {
        return false;
    }
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (errno || end == s || !(v >= 0)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
        if (!g_ascii_strcasecmp(end, units[i].suffix)) {
            double b = v * (double)units[i].mult;
            if (b > (double)(1ULL << 52)) {
                return false;
            }
            *bytes = (uint64_t)b;
            return true;
        }
    }
    return false;
}

static bool parse_onoff(const char *opt, const char *key, const char *val, bool *out, char **error)
{
    if (!val || !strcmp(val, "on") || !strcmp(val, "yes") || !strcmp(val, "true")) {
        *out = true;
    } else if (!strcmp(val, "off") || !strcmp(val, "no") || !strcmp(val, "false")) {
        *out = false;
    } else {
        FAIL("%s: %s expects on or off, not '%s'", opt, key, val);
    }
    return true;
}

static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s) {
        return false;
    }
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > max || *s == '-') {
        return false;
    }
    *out = v;
    return true;
}

/*
 * Split "first,key=val,key2=val2": *first is the leading item if it has no
 * '=' (and want_first), the rest are pairs. Returns a NULL-terminated
 * g_strv of "key=val" items; the caller frees it.
 */
static char **split_subopts(const char *arg)
{
    return g_strsplit(arg, ",", -1);
}

/* ---------------------------------------------------------------- handlers */

static bool opt_machine(CliConfig *cfg, const char *arg, char **error)
{
    MachineOptions *mo = &cfg->machine;
    char **items = split_subopts(arg);
    bool ok = true;
    for (int i = 0; items[i] && ok; i++) {
        char *item = items[i];
        char *eq = strchr(item, '=');
        if (i == 0 && !eq) {
            if (!strcmp(item, "help")) {
                FAIL_FREE(items, "-M: supported machines: virt");
            }
            if (strcmp(item, "virt") && strncmp(item, "virt-", 5)) {
                FAIL_FREE(items, "-M: unsupported machine '%s' (only 'virt')", item);
            }
            continue;
        }
        if (!eq) {
            FAIL_FREE(items, "-M: malformed suboption '%s' (want key=value)", item);
        }
        *eq = '\0';
        const char *key = item, *val = eq + 1;
        if (!strcmp(key, "type")) {
            if (strcmp(val, "virt")) {
                FAIL_FREE(items, "-M: unsupported machine '%s' (only 'virt')", val);
            }
        } else if (!strcmp(key, "virtualization")) {
            ok = parse_onoff("-M", key, val, &mo->virtualization, error);
        } else if (!strcmp(key, "secure")) {
            ok = parse_onoff("-M", key, val, &mo->secure, error);
        } else if (!strcmp(key, "sdei")) {
            bool on = true;
            ok = parse_onoff("-M", key, val, &on, error);
            mo->sdei_off = !on;
        } else if (!strcmp(key, "gic-version")) {
            if (strcmp(val, "3") && strcmp(val, "max") && strcmp(val, "host")) {
                FAIL_FREE(items, "-M: gic-version=%s is not supported (Tandem models GICv3)", val);
            }
            mo->gic_version = 3;
        } else if (!strcmp(key, "dumpdtb")) {
            g_free((char *)mo->dumpdtb);
            mo->dumpdtb = g_strdup(val);
        } else if (!strcmp(key, "accel")) {
            if (strcmp(val, "tcg")) {
                FAIL_FREE(items, "-M: accel=%s is not supported", val);
            }
        } else {
            FAIL_FREE(items, "-M: unknown machine property '%s'", key);
        }
    }
    g_strfreev(items);
    return ok;
}

static bool opt_cpu(CliConfig *cfg, const char *arg, char **error)
{
    if (!*arg) {
        FAIL("-cpu: empty CPU model");
    }
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        cfg->cpu_help = true;   /* as QEMU's is_help_option(): main prints features_print_help() */
        return true;
    }
    cfg->machine.cpu_model = arg;   /* parsed by cpu_create() */
    return true;
}

static bool opt_smp(CliConfig *cfg, const char *arg, char **error)
{
    char **items = split_subopts(arg);
    uint64_t n = 0;
    bool ok = true;
    for (int i = 0; items[i] && ok; i++) {
        const char *item = items[i];
        uint64_t v;
        if (i == 0 && !strchr(item, '=')) {
            ok = parse_uint(item, 1000, &n);
        } else if (!strncmp(item, "cpus=", 5) || !strncmp(item, "maxcpus=", 8)) {
            ok = parse_uint(strchr(item, '=') + 1, 1000, &v);
            if (ok && item[0] == 'c') {
                n = v;
            }
        } else if (!strncmp(item, "sockets=", 8) || !strncmp(item, "cores=", 6) ||
                   !strncmp(item, "threads=", 8) || !strncmp(item, "clusters=", 9)) {
            ok = parse_uint(strchr(item, '=') + 1, 1000, &v);
        } else {
            ok = false;
        }
    }
    g_strfreev(items);
    if (!ok) {
        FAIL("-smp: malformed value '%s' (want N or cpus=N)", arg);
    }
    if (n < 1 || n > MACHINE_MAX_CPUS) {
        FAIL("-smp: %llu CPUs requested, the virt machine supports 1 to %d",
             (unsigned long long)n, MACHINE_MAX_CPUS);
    }
    cfg->machine.smp = (int)n;
    return true;
}

static bool opt_memory(CliConfig *cfg, const char *arg, char **error)
{
    const char *s = arg;
    if (!strncmp(s, "size=", 5)) {
        s += 5;
    }
    uint64_t bytes;
    if (!cli_parse_size(s, &bytes)) {
        FAIL("-m: malformed size '%s' (e.g. 512M, 2G)", arg);
    }
    /* RAM is [0x40000000, 0x40000000 + size); the virt map allows up to 255 GiB below 256 GiB. */
    if (bytes < (1ULL << 20) || bytes > (255ULL << 30) || (bytes & 0xfff)) {
        FAIL("-m: RAM size %s is out of range (1M to 255G, a multiple of 4K)", arg);
    }
    cfg->machine.ram_size = bytes;
    return true;
}

#define STRING_OPT(fn, field)                                          \
    static bool fn(CliConfig *cfg, const char *arg, char **error)      \
    {                                                                  \
        cfg->machine.field = arg;                                      \
        return true;                                                   \
    }
STRING_OPT(opt_kernel, kernel)
STRING_OPT(opt_initrd, initrd)
STRING_OPT(opt_append, append)
STRING_OPT(opt_dtb, dtb)
STRING_OPT(opt_bios, bios)

static bool opt_nographic(CliConfig *cfg, const char *arg, char **error)
{
    cfg->machine.nographic = true;
    return true;
}

static bool opt_display(CliConfig *cfg, const char *arg, char **error)
{
    if (!strcmp(arg, "none")) {
        cfg->machine.nographic = true;
    } else if (strcmp(arg, "sdl") && strcmp(arg, "default")) {
        FAIL("-display: unsupported display '%s' (none, sdl)", arg);
    }
    return true;
}

static bool opt_serial(CliConfig *cfg, const char *arg, char **error)
{
    if (strcmp(arg, "stdio") && strcmp(arg, "mon:stdio") && strcmp(arg, "null") &&
        strncmp(arg, "file:", 5)) {
        FAIL("-serial: unsupported backend '%s' (stdio, mon:stdio, null, file:PATH)", arg);
    }
    cfg->machine.serial = arg;
    return true;
}

static bool opt_no_reboot(CliConfig *cfg, const char *arg, char **error)
{
    cfg->machine.no_reboot = true;
    return true;
}

static bool opt_stats(CliConfig *cfg, const char *arg, char **error)
{
    cfg->stats = true;
    return true;
}

static bool opt_log(CliConfig *cfg, const char *arg, char **error)
{
    const char *bad = NULL;
    uint32_t mask;
    if (!strcmp(arg, "help")) {
        FAIL("-d: log categories: %s", "in_asm,exec,cpu,int,mmu,unimp,guest_errors");
    }
    if (!log_parse_mask(arg, &mask, &bad)) {
        FAIL("-d: unknown log category '%s' (see -d help)", bad ? bad : arg);
    }
    cfg->log_mask |= mask;
    return true;
}

static bool opt_log_file(CliConfig *cfg, const char *arg, char **error)
{
    cfg->log_file = arg;
    return true;
}

static bool opt_gdb_default(CliConfig *cfg, const char *arg, char **error)
{
    cfg->machine.gdb = "tcp::1234";
    return true;
}

static bool opt_wait_gdb(CliConfig *cfg, const char *arg, char **error)
{
    cfg->machine.wait_gdb = true;
    return true;
}

static bool opt_gdb(CliConfig *cfg, const char *arg, char **error)
{
    if (strncmp(arg, "tcp:", 4) && strcmp(arg, "none")) {
        FAIL("-gdb: unsupported device '%s' (tcp:[host]:port or none)", arg);
    }
    cfg->machine.gdb = strcmp(arg, "none") ? arg : NULL;
    return true;
}

static bool opt_semihosting(CliConfig *cfg, const char *arg, char **error)
{
    cfg->semihosting = true;
    return true;
}

static bool opt_semihosting_config(CliConfig *cfg, const char *arg, char **error)
{
    char **items = split_subopts(arg);
    bool ok = true;
    for (int i = 0; items[i] && ok; i++) {
        char *eq = strchr(items[i], '=');
        if (!eq) {
            ok = false;
            *error = g_strdup_printf("-semihosting-config: malformed suboption '%s'", items[i]);
            break;
        }
        *eq = '\0';
        if (!strcmp(items[i], "enable")) {
            ok = parse_onoff("-semihosting-config", "enable", eq + 1, &cfg->semihosting, error);
        } else if (!strcmp(items[i], "target")) {
            if (strcmp(eq + 1, "native") && strcmp(eq + 1, "auto")) {
                ok = false;
                *error = g_strdup_printf("-semihosting-config: target=%s is not supported", eq + 1);
            }
        } else {
            ok = false;
            *error = g_strdup_printf("-semihosting-config: unknown suboption '%s'", items[i]);
        }
    }
    g_strfreev(items);
    return ok;
}

static bool opt_icount(CliConfig *cfg, const char *arg, char **error)
{
    char **items = split_subopts(arg);
    bool ok = true;
    for (int i = 0; items[i] && ok; i++) {
        const char *item = items[i];
        const char *val = !strncmp(item, "shift=", 6) ? item + 6 : (i == 0 && !strchr(item, '=') ? item : NULL);
        uint64_t v;
        if (val && !strcmp(val, "auto")) {
            cfg->machine.icount_host = true;      /* QEMU's auto follows the host clock */
        } else if (val && parse_uint(val, 10, &v)) {
            cfg->icount_shift = (unsigned)v;
            cfg->machine.icount_host = false;
        } else if (!strncmp(item, "sleep=", 6) || !strncmp(item, "align=", 6)) {
            /* accepted for compatibility; Tandem's clock never sleeps in insn mode */
        } else {
            ok = false;
        }
    }
    g_strfreev(items);
    if (!ok) {
        FAIL("-icount: malformed value '%s' (want shift=N with N in 0..10, or shift=auto)", arg);
    }
    return true;
}

static bool opt_clock(CliConfig *cfg, const char *arg, char **error)
{
    if (!strcmp(arg, "host")) {
        cfg->machine.icount_host = true;
    } else if (!strcmp(arg, "insn")) {
        cfg->machine.icount_host = false;
    } else {
        FAIL("-clock: expected insn or host, not '%s'", arg);
    }
    return true;
}

static bool opt_quantum(CliConfig *cfg, const char *arg, char **error)
{
    uint64_t v;
    if (!parse_uint(arg, 100000000, &v) || v == 0) {
        FAIL("-quantum: expected a number of instructions (1..100000000), not '%s'", arg);
    }
    cfg->quantum = v;
    return true;
}

static bool opt_device(CliConfig *cfg, const char *arg, char **error)
{
    char **items = split_subopts(arg);
    if (!items[0] || strcmp(items[0], "guest-loader")) {
        char *msg = g_strdup_printf("-device: unsupported device '%s' (Tandem's -device knows guest-loader)",
                                    items[0] ? items[0] : "");
        g_strfreev(items);
        *error = msg;
        return false;
    }
    GuestModule *mod = g_new0(GuestModule, 1);
    bool have_addr = false;
    for (int i = 1; items[i]; i++) {
        char *eq = strchr(items[i], '=');
        if (!eq) {
            *error = g_strdup_printf("-device guest-loader: malformed property '%s'", items[i]);
            goto fail;
        }
        *eq = '\0';
        const char *key = items[i], *val = eq + 1;
        if (!strcmp(key, "addr")) {
            if (!parse_uint(val, UINT64_MAX, &mod->addr)) {
                *error = g_strdup_printf("-device guest-loader: bad addr '%s'", val);
                goto fail;
            }
            have_addr = true;
        } else if (!strcmp(key, "kernel")) {
            mod->kernel = g_strdup(val);
        } else if (!strcmp(key, "initrd")) {
            mod->initrd = g_strdup(val);
        } else if (!strcmp(key, "bootargs")) {
            mod->bootargs = g_strdup(val);
        } else if (!strcmp(key, "id")) {
            /* accepted, unused */
        } else {
            *error = g_strdup_printf("-device guest-loader: unknown property '%s'", key);
            goto fail;
        }
    }
    if (!have_addr || (!mod->kernel == !mod->initrd)) {
        *error = g_strdup("-device guest-loader: needs addr= and exactly one of kernel= or initrd=");
        goto fail;
    }
    if (mod->initrd && mod->bootargs) {
        *error = g_strdup("-device guest-loader: bootargs= only goes with kernel=");
        goto fail;
    }
    g_strfreev(items);
    /* Keep command-line order. */
    GuestModule **pp = &cfg->machine.modules;
    while (*pp) {
        pp = &(*pp)->next;
    }
    *pp = mod;
    return true;
fail:
    g_strfreev(items);
    g_free((char *)mod->kernel);
    g_free((char *)mod->initrd);
    g_free((char *)mod->bootargs);
    g_free(mod);
    return false;
}

static bool opt_help(CliConfig *cfg, const char *arg, char **error)
{
    cfg->help = true;
    return true;
}

static bool opt_version(CliConfig *cfg, const char *arg, char **error)
{
    cfg->version = true;
    return true;
}

static bool opt_ignored(CliConfig *cfg, const char *arg, char **error)
{
    return true;
}

static bool opt_monitor(CliConfig *cfg, const char *arg, char **error)
{
    if (strcmp(arg, "none")) {
        FAIL("-monitor: Tandem has no monitor (only -monitor none)");
    }
    return true;
}

static const CliOption cli_options[] = {
    { "h", "help", NULL, opt_help, "print this help and exit" },
    { "version", NULL, NULL, opt_version, "print the version and exit" },
    { "M", "machine", "virt[,virtualization=on|off][,secure=on|off][,sdei=on|off][,gic-version=3][,dumpdtb=FILE]", opt_machine,
      "the machine (only virt; EL2 present unless virtualization=off; SDEI in the built-in firmware unless sdei=off; dumpdtb writes the DTB and exits)" },
    { "cpu", NULL, "NAME[,FEATURE=on|off,...]", opt_cpu, "CPU model and feature switches (default max)" },
    { "smp", NULL, "N", opt_smp, "number of vCPUs, 1..8 (default 1)" },
    { "m", NULL, "SIZE", opt_memory, "RAM size, e.g. 512M, 2G (default 1G; a bare number is MiB)" },
    { "kernel", NULL, "FILE", opt_kernel, "arm64 Linux Image, ELF64 or raw binary to boot" },
    { "initrd", NULL, "FILE", opt_initrd, "initial ramdisk" },
    { "append", NULL, "CMDLINE", opt_append, "kernel command line (/chosen/bootargs)" },
    { "dtb", NULL, "FILE", opt_dtb, "use this device tree instead of the generated one" },
    { "bios", NULL, "FILE", opt_bios, "EL3 firmware in flash at 0 (disables the built-in firmware)" },
    { "nographic", NULL, NULL, opt_nographic, "no window; the serial port is on stdio" },
    { "display", NULL, "none|sdl", opt_display, "display backend" },
    { "serial", NULL, "stdio|mon:stdio|null|file:PATH", opt_serial, "where the PL011 goes (default stdio)" },
    { "monitor", NULL, "none", opt_monitor, "accepted for compatibility" },
    { "no-reboot", NULL, NULL, opt_no_reboot, "exit instead of rebooting on a guest reset" },
    { "stats", NULL, NULL, opt_stats, "on exit, print instructions retired, host time and MIPS to stderr" },
    { "d", NULL, "LIST", opt_log, "log categories: in_asm,exec,cpu,int,mmu,unimp,guest_errors" },
    { "D", NULL, "FILE", opt_log_file, "write the log to FILE instead of stderr" },
    { "s", NULL, NULL, opt_gdb_default, "shorthand for -gdb tcp::1234" },
    { "S", NULL, NULL, opt_wait_gdb, "do not start the CPUs until the debugger continues" },
    { "gdb", NULL, "tcp:[HOST]:PORT", opt_gdb, "wait for a GDB connection on this port" },
    { "semihosting", NULL, NULL, opt_semihosting, "enable Arm semihosting (HLT #0xF000)" },
    { "semihosting-config", NULL, "enable=on|off[,target=native]", opt_semihosting_config,
      "semihosting, QEMU's long form" },
    { "icount", NULL, "shift=N|auto", opt_icount,
      "virtual time: 2^N ns per instruction (default 0: 1 ns), auto = host clock" },
    { "clock", NULL, "insn|host", opt_clock, "virtual time from retired instructions (default) or the host clock" },
    { "quantum", NULL, "N", opt_quantum, "instructions each vCPU runs per turn (default 10000)" },
    { "device", NULL, "guest-loader,addr=A,kernel=F|initrd=F[,bootargs=S]", opt_device,
      "load a Xen/multiboot module and describe it under /chosen" },
    { "nodefaults", NULL, NULL, opt_ignored, "accepted for compatibility" },
    { "enable-kvm", NULL, NULL, NULL, NULL },   /* rejected explicitly below */
};

void cli_defaults(CliConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    MachineOptions *mo = &cfg->machine;
    mo->machine = "virt";
    mo->virtualization = true;
    mo->secure = false;
    mo->gic_version = 3;
    mo->cpu_model = "max";
    mo->smp = 1;
    mo->ram_size = 1ULL << 30;
    mo->serial = "stdio";
    cfg->quantum = 10000;
    cfg->icount_shift = 0;
}

void cli_free(CliConfig *cfg)
{
    GuestModule *mod = cfg->machine.modules;
    while (mod) {
        GuestModule *next = mod->next;
        g_free((char *)mod->kernel);
        g_free((char *)mod->initrd);
        g_free((char *)mod->bootargs);
        g_free(mod);
        mod = next;
    }
    cfg->machine.modules = NULL;
    g_free((char *)cfg->machine.dumpdtb);
    cfg->machine.dumpdtb = NULL;
}

void cli_print_help(FILE *f)
{
    fprintf(f, "usage: tandem [options]\n"
               "Tandem %s: a full-system AArch64 emulator of QEMU's virt machine.\n\n"
               "Options (QEMU's spelling; --option also works):\n", TANDEM_VERSION);
    for (size_t i = 0; i < ARRAY_SIZE(cli_options); i++) {
        const CliOption *o = &cli_options[i];
        if (!o->help) {
            continue;
        }
        char head[128];
        snprintf(head, sizeof(head), "-%s%s%s%s%s", o->name, o->alias ? "/-" : "", o->alias ? o->alias : "",
                 o->argname ? " " : "", o->argname ? o->argname : "");
        fprintf(f, "  %s\n      %s\n", head, o->help);
    }
    fprintf(f, "\nExit status: 0 after PSCI SYSTEM_OFF (or SYSTEM_RESET with -no-reboot), the guest's\n"
               "code after a semihosting SYS_EXIT, 1 on an emulator error, 2 on a bad command line.\n");
}

static const CliOption *cli_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(cli_options); i++) {
        const CliOption *o = &cli_options[i];
        if (!strcmp(o->name, name) || (o->alias && !strcmp(o->alias, name))) {
            return o;
        }
    }
    return NULL;
}

bool cli_parse(int argc, char **argv, CliConfig *cfg, char **error)
{
    cli_defaults(cfg);   /* note: a CliConfig is parsed once; cli_free() releases it */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            *error = g_strdup_printf("unexpected argument '%s' (options start with '-'; see -h)", a);
            return false;
        }
        const char *name = a + 1;
        if (*name == '-') {
            name++;            /* --option */
        }
        /* -opt=value is accepted too */
        char *namebuf = g_strdup(name);
        char *inline_val = strchr(namebuf, '=');
        if (inline_val) {
            *inline_val++ = '\0';
        }
        const CliOption *o = cli_find(namebuf);
        if (!o) {
            *error = g_strdup_printf("unknown option '%s' (see -h)", a);
            g_free(namebuf);
            return false;
        }
        if (!o->handler) {
            *error = g_strdup_printf("option '%s' is not supported by Tandem", a);
            g_free(namebuf);
            return false;
        }
        const char *val = NULL;
        if (o->argname) {
            if (inline_val) {
                val = a + (inline_val - namebuf) + (name - a);
            } else if (i + 1 < argc) {
                val = argv[++i];
            } else {
                *error = g_strdup_printf("option '%s' needs an argument: %s", a, o->argname);
                g_free(namebuf);
                return false;
            }
        } else if (inline_val) {
            *error = g_strdup_printf("option '-%s' takes no argument", namebuf);
            g_free(namebuf);
            return false;
        }
        g_free(namebuf);
        if (!o->handler(cfg, val, error)) {
            return false;
        }
        if (cfg->help || cfg->version || cfg->cpu_help) {
            return true;
        }
    }
    return true;
}
