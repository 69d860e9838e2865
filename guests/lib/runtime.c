/*
 * The test guests' runtime: console, printf, report(), exceptions, exit.
 * Built with -ffreestanding -nostdlib -mgeneral-regs-only.
 */
#include "guest.h"

#define UART_BASE 0x09000000ul
#define UART_DR   0x00
#define UART_FR   0x18
#define UART_CR   0x30
#define UART_FR_TXFF (1u << 5)

/* Semihosting operations (Arm "Semihosting for AArch32 and AArch64"). */
#define SYS_WRITE0 0x04
#define SYS_EXIT   0x18
#define ADP_Stopped_ApplicationExit 0x20026

uint64_t boot_dtb;
unsigned boot_el;

static unsigned n_tests, n_failures, n_skipped;
static volatile bool exiting;
static volatile int in_unexpected;
static exc_handler_fn handlers[4];
static void (*secondary_fn[GUEST_MAX_CPUS])(unsigned);

/* ---------------------------------------------------------------- libc */

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;
    while (n--) {
        *p++ = (unsigned char)c;
    }
    return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--) {
        *dp++ = *sp++;
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *pa = a, *pb = b;
    for (; n; n--, pa++, pb++) {
        if (*pa != *pb) {
            return *pa - *pb;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++, b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

/* ---------------------------------------------------------------- console */

void uart_putc(char c)
{
    static bool ready;
    if (!ready) {
        mmio_write32(UART_BASE + UART_CR, 0x301);    /* UARTEN | TXE | RXE */
        ready = true;
    }
    if (c == '\n') {
        uart_putc('\r');
    }
    while (mmio_read32(UART_BASE + UART_FR) & UART_FR_TXFF) {
    }
    mmio_write32(UART_BASE + UART_DR, (uint8_t)c);
}

void puts_raw(const char *s)
{
    while (*s) {
        uart_putc(*s++);
    }
}

typedef struct Out {
    char *buf;     /* NULL: to the UART */
    size_t len, pos;
} Out;

static void out_c(Out *o, char c)
{
    if (!o->buf) {
        uart_putc(c);
    } else if (o->pos + 1 < o->len) {
        o->buf[o->pos] = c;
    }
    o->pos++;
}

static void out_num(Out *o, uint64_t v, unsigned base, bool upper, bool neg,
                    int width, char pad, bool left)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + (neg ? 1 : 0);
    if (neg && pad == '0') {
        out_c(o, '-');
    }
    for (; !left && width > len; width--) {
        out_c(o, pad);
    }
    if (neg && pad != '0') {
        out_c(o, '-');
    }
    while (n) {
        out_c(o, tmp[--n]);
    }
    for (; left && width > len; width--) {
        out_c(o, ' ');
    }
}

static void out_fmt(Out *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_c(o, *fmt);
            continue;
        }
        fmt++;
        bool left = false;
        char pad = ' ';
        for (;; fmt++) {
            if (*fmt == '-') {
                left = true;
            } else if (*fmt == '0') {
                pad = '0';
            } else {
                break;
            }
        }
        int width = 0;
        while (*fmt >= '0' && *fmt <= '9') {
            width = width * 10 + (*fmt++ - '0');
        }
        int lng = 0;
        while (*fmt == 'l' || *fmt == 'z') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            out_num(o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, false, v < 0, width, pad, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            out_num(o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', false, width, pad, left);
            break;
        }
        case 'p':
            out_c(o, '0');
            out_c(o, 'x');
            out_num(o, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, false, false, width, pad, left);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) {
                s = "(null)";
            }
            int len = (int)strlen(s);
            for (; !left && width > len; width--) {
                out_c(o, ' ');
            }
            while (*s) {
                out_c(o, *s++);
            }
            for (; left && width > len; width--) {
                out_c(o, ' ');
            }
            break;
        }
        case 'c':
            out_c(o, (char)va_arg(ap, int));
            break;
        case '%':
            out_c(o, '%');
            break;
        case '\0':
            return;
        default:
            out_c(o, '%');
            out_c(o, *fmt);
            break;
        }
    }
}

int vprintf(const char *fmt, va_list ap)
{
    Out o = { 0 };
    out_fmt(&o, fmt, ap);
    return (int)o.pos;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
    Out o = { buf, len, 0 };
    out_fmt(&o, fmt, ap);
    if (len) {
        buf[o.pos < len ? o.pos : len - 1] = '\0';
    }
    return (int)o.pos;
}

int snprintf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    return n;
}

/* ---------------------------------------------------------------- reporting */

void report(bool cond, const char *fmt, ...)
{
    va_list ap;
    n_tests++;
    if (!cond) {
        n_failures++;
    }
    puts_raw(cond ? "PASS: " : "FAIL: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    uart_putc('\n');
}

void report_skip(const char *fmt, ...)
{
    va_list ap;
    n_skipped++;
    puts_raw("SKIP: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    uart_putc('\n');
}

int report_summary(void)
{
    printf("SUMMARY: %u tests, %u failures", n_tests, n_failures);
    if (n_skipped) {
        printf(", %u skipped", n_skipped);
    }
    printf("\n");
    return (int)n_failures;
}

/* ---------------------------------------------------------------- semihosting, PSCI */

long semihost_call(long op, uint64_t arg)
{
    register long x0 __asm__("x0") = op;
    register uint64_t x1 __asm__("x1") = arg;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    if (boot_el == 2) {
        __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    } else {
        __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    }
    return x0;
}

extern char secondary_entry[];

int smp_start_cpu(unsigned idx, void (*fn)(unsigned idx))
{
    if (idx == 0 || idx >= GUEST_MAX_CPUS) {
        return -2;   /* PSCI INVALID_PARAMETERS */
    }
    secondary_fn[idx] = fn;
    dsb(sy);
    return (int)psci_call(PSCI_CPU_ON_64, idx, (uint64_t)(uintptr_t)secondary_entry, idx);
}

void guest_secondary_main(unsigned idx);
void guest_secondary_main(unsigned idx)
{
    if (idx < GUEST_MAX_CPUS && secondary_fn[idx]) {
        secondary_fn[idx](idx);
    }
    psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

void guest_exit(int code)
{
    /* AArch64 SYS_EXIT takes a parameter block: reason, exit code. */
    static uint64_t block[2];
    exiting = true;
    block[0] = ADP_Stopped_ApplicationExit;
    block[1] = (uint64_t)code;
    semihost_call(SYS_EXIT, (uint64_t)(uintptr_t)block);
    /*
     * No semihosting (the HLT was UNDEFINED and skipped): power off. The
     * exit status is then 0, so the runner also checks the SUMMARY line.
     */
    psci_call(code ? PSCI_SYSTEM_RESET : PSCI_SYSTEM_OFF, 0, 0, 0);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void guest_abort(const char *fmt, ...)
{
    va_list ap;
    puts_raw("ABORT: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    uart_putc('\n');
    n_failures++;
    report_summary();
    guest_exit(1);
}

/* ---------------------------------------------------------------- exceptions */

void exc_set_handler(unsigned el, exc_handler_fn fn)
{
    if (el <= 3) {
        handlers[el] = fn;
    }
}

ExcFrame exc_seen;
unsigned exc_seen_count, exc_seen_el, exc_seen_kind;

void exc_record(const ExcFrame *frame, unsigned el, unsigned kind)
{
    exc_seen = *frame;
    exc_seen_el = el;
    exc_seen_kind = kind;
    exc_seen_count++;
}

bool exc_record_skip(ExcFrame *frame, unsigned el, unsigned kind)
{
    exc_record(frame, el, kind);
    frame->elr += 4;
    return true;
}

void exc_expect_sync(unsigned ec, uint32_t iss, uint64_t elr, const char *what)
{
    uint64_t esr = exc_seen.esr;
    report(exc_seen_count == 1 && esr_ec(esr) == ec && esr_iss(esr) == iss && esr_il(esr) &&
           exc_seen.elr == elr && exc_seen_kind == EXC_KIND(EXC_FROM_SPX, EXC_SYNC),
           "%s: ESR_EL%u = 0x%lx (want EC 0x%x ISS 0x%x IL), ELR_EL%u %s", what, exc_seen_el, esr, ec, iss,
           exc_seen_el, exc_seen.elr == elr ? "ok" : "wrong");
    exc_seen_count = 0;
}

static const char *const kind_names[16] = {
    "sync/SP0", "irq/SP0", "fiq/SP0", "serror/SP0",
    "sync/SPx", "irq/SPx", "fiq/SPx", "serror/SPx",
    "sync/lower64", "irq/lower64", "fiq/lower64", "serror/lower64",
    "sync/lower32", "irq/lower32", "fiq/lower32", "serror/lower32",
};

void exc_dispatch(ExcFrame *frame, unsigned kind, unsigned el);
ExcFrame lower_return_frame;
extern char el_call_lower_resume[];

void exc_return_to_caller(ExcFrame *frame, unsigned el)
{
    static const uint64_t spsr_h[4] = { SPSR_EL0t, SPSR_EL1h, SPSR_EL2h, SPSR_EL3h };
    lower_return_frame = *frame;
    frame->elr = (uint64_t)(uintptr_t)el_call_lower_resume;
    frame->spsr = spsr_h[el & 3] | SPSR_DAIF;
}

uint64_t el3_call(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t spsr, uint64_t sp, uint64_t scr)
{
    if (current_el() != 3) {
        guest_abort("el3_call() outside EL3");
    }
    write_sysreg(scr, SCR_EL3);
    isb();
    return el_call_lower(fn, arg, spsr, sp);
}

void exc_dispatch(ExcFrame *frame, unsigned kind, unsigned el)
{
    /* The return trampoline of el_call_lower(): HVC/SVC #0xfff from the lower EL. */
    if (kind == EXC_KIND(EXC_FROM_LOWER64, EXC_SYNC) && esr_iss(frame->esr) == 0xfff &&
        ((el == 3 && esr_ec(frame->esr) == 0x17) ||
         (el == 2 && esr_ec(frame->esr) == 0x16) || (el == 1 && esr_ec(frame->esr) == 0x15))) {
        exc_return_to_caller(frame, el);
        return;
    }
    if (exiting && (kind & 3) == EXC_SYNC && esr_ec(frame->esr) == 0x00) {
        frame->elr += 4;     /* HLT without semihosting: fall back to PSCI */
        return;
    }
    if (!in_unexpected && el <= 3 && handlers[el] && handlers[el](frame, el, kind)) {
        return;
    }
    if (in_unexpected++) {
        guest_exit(1);
    }
    printf("UNEXPECTED EXCEPTION to EL%u (%s): ESR=0x%lx (EC=0x%x ISS=0x%x) FAR=0x%lx ELR=0x%lx SPSR=0x%lx\n",
           el, kind_names[kind & 15], frame->esr, esr_ec(frame->esr), esr_iss(frame->esr),
           frame->far, frame->elr, frame->spsr);
    n_failures++;
    report_summary();
    guest_exit(1);
}

/* ---------------------------------------------------------------- entry */

void guest_main(uint64_t dtb, unsigned el, uint64_t load_pa, uint64_t link_pa);
void guest_main(uint64_t dtb, unsigned el, uint64_t load_pa, uint64_t link_pa)
{
    boot_dtb = dtb;
    boot_el = el;
    if (load_pa != link_pa) {
        guest_abort("image loaded at 0x%lx but linked at 0x%lx", load_pa, link_pa);
    }
    guest_run();
    guest_exit(report_summary() ? 1 : 0);
}
