/*
 * Logging and tracing: -d categories, -D file. Every check is a bit test on a
 * global mask, so a disabled category costs one predictable branch.
 */
#ifndef TANDEM_CORE_LOG_H
#define TANDEM_CORE_LOG_H

#include <stdarg.h>
#include <stdio.h>

#include "core/types.h"

enum {
    LOG_IN_ASM = 1u << 0,       /* each block's instructions when decoded (capstone) */
    LOG_EXEC = 1u << 1,         /* each block executed */
    LOG_INT = 1u << 2,          /* each exception taken / returned (cpu/exception.c); format:
                                 *   "Taking exception <sync|irq|fiq|serror> [EL<from> -> EL<to>] ESR 0x..
                                 *    FAR 0x.. ELR 0x.. SPSR 0x.. PC 0x<vector>"
                                 *   "Exception return from EL<from> to EL<to> PC 0x.. SPSR 0x.." */
    LOG_MMU = 1u << 3,          /* translation faults and walks */
    LOG_UNIMP = 1u << 4,        /* unimplemented features the guest touched */
    LOG_GUEST_ERRORS = 1u << 5, /* guest did something architecturally invalid */
    LOG_CPU = 1u << 6,          /* register dump per block */
};

extern uint32_t log_mask;
extern FILE *log_file;

static inline bool log_enabled(uint32_t category)
{
    return unlikely(log_mask & category);
}

/* Parse "in_asm,int,..." into a mask; false with *bad set on an unknown name. */
bool log_parse_mask(const char *list, uint32_t *mask, const char **bad);
/* The help text listing the categories. */
const char *log_categories_help(void);
bool log_set_file(const char *path);
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define LOG(category, ...) do { if (log_enabled(category)) log_printf(__VA_ARGS__); } while (0)

/* Disassemble one A64 instruction with capstone into buf. */
void log_disas(uint64_t pc, uint32_t insn, char *buf, size_t len);

#endif
