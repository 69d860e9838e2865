/*
 * The bare-metal test runtime (see guests/README.md).
 *
 * A guest provides `void guest_run(void)` (named main-like entry) and uses
 * report() for each check; the runtime prints a summary and exits through
 * semihosting (exit status = number of failures, capped) or PSCI SYSTEM_OFF.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asm.h"

/* --- what the guest defines --- */
void guest_run(void);

/* --- boot information --- */
extern uint64_t boot_dtb;      /* x0 at entry */
extern unsigned boot_el;       /* CurrentEL at entry */

/* --- console (PL011 at 0x09000000) --- */
void uart_putc(char c);
void puts_raw(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);

/* --- reporting --- */
/* One check: prints "PASS: msg" or "FAIL: msg" and counts it. */
void report(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A check that cannot be run here (feature absent): "SKIP: msg". */
void report_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "SUMMARY: N tests, F failures[, S skipped]"; returns F. */
int report_summary(void);
/* Print the summary and leave: exit status 0 when no check failed. */
void guest_exit(int code) __attribute__((noreturn));
/* Immediate failure outside report() (prints msg, summary, exits 1). */
void guest_abort(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* --- semihosting and PSCI --- */
long semihost_call(long op, uint64_t arg);
/* SMC at EL2 entry, HVC at EL1 entry (what QEMU's virt and Tandem use). */
uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
#define PSCI_VERSION        0x84000000u
#define PSCI_CPU_OFF        0x84000002u
#define PSCI_CPU_ON_64      0xc4000003u
#define PSCI_SYSTEM_OFF     0x84000008u
#define PSCI_SYSTEM_RESET   0x84000009u
/* Start CPU idx (MPIDR Aff0 = idx on the virt board) running fn(idx) on its own stack. */
int smp_start_cpu(unsigned idx, void (*fn)(unsigned idx));

/* --- exceptions --- */
typedef struct ExcFrame {
    uint64_t x[31];
    uint64_t sp;        /* the handler's SP before the frame was pushed */
    uint64_t elr, spsr, esr, far;
} ExcFrame;

enum { EXC_SYNC = 0, EXC_IRQ = 1, EXC_FIQ = 2, EXC_SERROR = 3 };
enum { EXC_FROM_SP0 = 0, EXC_FROM_SPX = 1, EXC_FROM_LOWER64 = 2, EXC_FROM_LOWER32 = 3 };
#define EXC_KIND(src, type) ((src) << 2 | (type))

/*
 * A handler for exceptions taken to `el` (1, 2, or 3 in EL3 guests): return true when handled
 * (after editing the frame, e.g. frame->elr += 4), false to report it as
 * unexpected. One handler per EL; NULL removes it.
 */
typedef bool (*exc_handler_fn)(ExcFrame *frame, unsigned el, unsigned kind);
void exc_set_handler(unsigned el, exc_handler_fn fn);
extern char vectors_el1[], vectors_el2[];

/*
 * The usual test handler: exc_record_skip() records the exception in
 * exc_seen / exc_seen_el / exc_seen_kind, counts it in exc_seen_count and
 * resumes after the instruction that took it (ELR + 4). exc_record() is the
 * recording half, for handlers that resume elsewhere.
 */
extern ExcFrame exc_seen;
extern unsigned exc_seen_count, exc_seen_el, exc_seen_kind;
void exc_record(const ExcFrame *frame, unsigned el, unsigned kind);
bool exc_record_skip(ExcFrame *frame, unsigned el, unsigned kind);
/*
 * Report that exactly one synchronous exception from the current EL (SPx)
 * was recorded, with this EC and ISS, IL = 1 and ELR = elr; then clear the
 * count for the next check.
 */
void exc_expect_sync(unsigned ec, uint32_t iss, uint64_t elr, const char *what);

/*
 * Run fn(arg) at the EL below the current one (EL2 -> EL1h, EL1 -> EL0t, as
 * spsr says) on stack sp, and return fn's result. The lower EL must be able
 * to run (from EL2: HCR_EL2.RW = 1). The exception that brought control back
 * (HVC/SVC #0xfff) is left in lower_return_frame.
 */
uint64_t el_call_lower(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t spsr, uint64_t sp);
extern ExcFrame lower_return_frame;
extern char lower_ret_hvc[], lower_ret_svc[];
#define SPSR_EL0t 0x0
#define SPSR_EL1h 0x5
#define SPSR_EL2h 0x9
#define SPSR_EL3h 0xd
#define SPSR_DAIF 0x3c0
/*
 * From an exception handler at `el`: end the el_call_lower()/el3_call() in
 * progress at that EL as if fn had returned (the lower code left through
 * an exception other than the return trampoline, e.g. a trapped WFI).
 * The frame is saved in lower_return_frame; the call returns frame->x[0].
 */
void exc_return_to_caller(ExcFrame *frame, unsigned el);

/*
 * EL3 guests (a line "@el3" in guests/NAME/sources; run with -bios, see
 * guests/README.md): entered at EL3 from the flash at 0, VBAR_EL3/EL2/EL1
 * set, exc_set_handler(3, fn) for exceptions taken to EL3.
 * el3_call(fn, arg, spsr, sp, scr): set SCR_EL3 = scr, then run fn(arg) at
 * the EL and SP that spsr names (EL2h, EL1h; an EL0 call would return
 * through SVC to EL1: call EL0 from EL1 instead) with that EL's SP = sp;
 * fn returns through SMC #0xfff (so scr must leave SMC enabled, or the
 * test ends the call from its EL3 handler with exc_return_to_caller()).
 */
uint64_t el3_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t spsr, uint64_t sp, uint64_t scr);
extern char vectors_el3[], lower_ret_smc[];
#define SCR_EL3_NS   (1ULL << 0)
#define SCR_EL3_IRQ  (1ULL << 1)
#define SCR_EL3_FIQ  (1ULL << 2)
#define SCR_EL3_EA   (1ULL << 3)
#define SCR_EL3_RES1 (3ULL << 4)
#define SCR_EL3_SMD  (1ULL << 7)
#define SCR_EL3_HCE  (1ULL << 8)
#define SCR_EL3_SIF  (1ULL << 9)
#define SCR_EL3_RW   (1ULL << 10)
#define SCR_EL3_ST   (1ULL << 11)
#define SCR_EL3_TWI  (1ULL << 12)
#define SCR_EL3_TWE  (1ULL << 13)
/* What a Non-secure AArch64 EL2 needs: NS, RW, HCE. */
#define SCR_EL3_NS_EL2 (SCR_EL3_NS | SCR_EL3_RES1 | SCR_EL3_RW | SCR_EL3_HCE)

static inline unsigned esr_ec(uint64_t esr) { return (esr >> 26) & 0x3f; }
static inline uint32_t esr_iss(uint64_t esr) { return esr & 0x1ffffff; }
static inline bool esr_il(uint64_t esr) { return (esr >> 25) & 1; }

/* --- system registers --- */
#define read_sysreg(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) do { uint64_t __v = (uint64_t)(v); \
        __asm__ volatile("msr " #r ", %0" : : "r"(__v) : "memory"); } while (0)
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

static inline unsigned current_el(void) { return (read_sysreg(CurrentEL) >> 2) & 3; }

/* --- MMIO --- */
static inline void mmio_write32(uint64_t pa, uint32_t v) { *(volatile uint32_t *)pa = v; }
static inline uint32_t mmio_read32(uint64_t pa) { return *(volatile uint32_t *)pa; }

/* --- device tree (lib/fdt.c) --- */
bool fdt_valid(const void *fdt);
/*
 * Property `prop` of the node at `path` ("/chosen", "/memory", "/chosen/module@0x48000000";
 * a component without a unit address matches the first node with that name).
 * NULL if absent; *len = its size in bytes.
 */
const void *fdt_getprop_path(const void *fdt, const char *path, const char *prop, uint32_t *len);
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);

/* --- small libc --- */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
