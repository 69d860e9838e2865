/* -d / -D logging with capstone disassembly. */
#include "core/log.h"

#include <capstone/capstone.h>

uint32_t log_mask;
FILE *log_file;

static const struct {
    const char *name;
    uint32_t bit;
    const char *help;
} log_categories[] = {
    { "in_asm", LOG_IN_ASM, "show target assembly code for each compiled block" },
    { "exec", LOG_EXEC, "show trace before each executed block" },
    { "cpu", LOG_CPU, "show CPU registers before entering a block" },
    { "int", LOG_INT, "show interrupts/exceptions taken: type, from/to EL, ESR, FAR, ELR" },
    { "mmu", LOG_MMU, "log MMU-related activity (faults, walks)" },
    { "unimp", LOG_UNIMP, "log unimplemented functionality" },
    { "guest_errors", LOG_GUEST_ERRORS, "log when the guest OS does something invalid" },
};

bool log_parse_mask(const char *list, uint32_t *mask, const char **bad)
{
    static char badbuf[64];
    uint32_t m = 0;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool found = false;
        for (size_t i = 0; i < ARRAY_SIZE(log_categories); i++) {
            if (strlen(log_categories[i].name) == len && !strncmp(p, log_categories[i].name, len)) {
                m |= log_categories[i].bit;
                found = true;
            }
        }
        if (!found && len) {
            snprintf(badbuf, sizeof(badbuf), "%.*s", (int)(len < 60 ? len : 60), p);
            if (bad) {
                *bad = badbuf;
            }
            return false;
        }
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    *mask = m;
    return true;
}

const char *log_categories_help(void)
{
    static char buf[1024];
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(log_categories); i++) {
        n += snprintf(buf + n, sizeof(buf) - n, "%-13s %s\n", log_categories[i].name, log_categories[i].help);
    }
    return buf;
}

bool log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return false;
    }
    if (log_file && log_file != stderr) {
        fclose(log_file);
    }
    log_file = f;
    return true;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log_file ? log_file : stderr, fmt, ap);
    va_end(ap);
}

void log_disas(uint64_t pc, uint32_t insn, char *buf, size_t len)
{
    static csh handle;
    static bool opened, failed;
    if (!opened && !failed) {
        failed = cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &handle) != CS_ERR_OK;
        opened = !failed;
    }
    cs_insn *ci = NULL;
    uint8_t bytes[4] = { insn, insn >> 8, insn >> 16, insn >> 24 };
    if (opened && cs_disasm(handle, bytes, 4, pc, 1, &ci) == 1) {
        snprintf(buf, len, "%s %s", ci->mnemonic, ci->op_str);
        cs_free(ci, 1);
    } else {
        snprintf(buf, len, ".inst 0x%08x", insn);
    }
}
