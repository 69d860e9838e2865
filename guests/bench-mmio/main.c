/*
 * MMIO benchmark (issue 9): the device-access paths an OS hammers, each loop
 * checked so the benchmark is also a test.
 *   - PL011: DR writes (text to the console), FR polling reads, IFLS
 *     write/read-back pairs
 *   - GICv3 distributor: GICD_TYPER reads, GICD_IPRIORITYR write/read-back
 *   - PL031: RTCDR reads (monotonic, plausible)
 * Runs at EL2 with the MMU off, so every access is Device-nGnRnE and goes to
 * the device model. The default work is short (guests/manifest, `make test`);
 * `-append bench` selects the long work `make bench` times. The console text
 * is a fixed pattern: the bench harness reads it as it comes and drops it.
 */
#include "guest.h"

#define UART_BASE 0x09000000ul
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_IFLS 0x034
#define FR_TXFF (1u << 5)
#define FR_TXFE (1u << 7)
#define IFLS_RESET 0x12u

#define GICD_BASE 0x08000000ul
#define GICD_TYPER 0x004
#define GICD_IPRIORITYR 0x400

#define RTC_BASE 0x09010000ul
#define RTC_DR 0x000

typedef struct Work {
    unsigned lines;        /* console lines of LINE_CHARS DR writes */
    unsigned fr_reads;
    unsigned ifls_pairs;
    unsigned gicd_reads;
    unsigned prio_pairs;
    unsigned rtc_reads;
} Work;

#define LINE_CHARS 64      /* 63 pattern characters and '\n' */

static const Work short_work = { 32, 20000, 5000, 20000, 5000, 20000 };
static const Work bench_work = { 1024, 4000000, 1000000, 3000000, 1000000, 3000000 };

static bool bench_mode(void)
{
    uint32_t len = 0;
    const char *args = boot_dtb ? fdt_getprop_path((const void *)(uintptr_t)boot_dtb, "/chosen", "bootargs",
                                                   &len) : NULL;
    return args && len >= 5 && memcmp(args, "bench", 5) == 0;
}

/* DR writes: a fixed text pattern, polling FR.TXFF before each character as a driver does. */
static void uart_lines(unsigned lines)
{
    unsigned busy = 0;
    for (unsigned l = 0; l < lines; l++) {
        for (unsigned c = 0; c < LINE_CHARS; c++) {
            while (mmio_read32(UART_BASE + UART_FR) & FR_TXFF) {
                busy++;
            }
            char ch = c == LINE_CHARS - 1 ? '\n' : (char)('a' + (l + c) % 26);
            mmio_write32(UART_BASE + UART_DR, (uint8_t)ch);
        }
    }
    /* Both emulators transmit instantly (FR.TXFF never set), but a real FIFO may fill: not a failure. */
    report(true, "%u console lines (%u DR writes, %u FR polls saw TXFF)", lines, lines * LINE_CHARS, busy);
}

static void uart_fr(unsigned n)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t fr = mmio_read32(UART_BASE + UART_FR);
        bad += (fr & (FR_TXFE | FR_TXFF)) != FR_TXFE;
    }
    report(bad == 0, "%u UARTFR reads: TX FIFO empty and not full (%u bad)", n, bad);
}

static void uart_ifls(unsigned n)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t v = (i % 5) | ((i / 5) % 5) << 3;   /* TXIFLSEL, RXIFLSEL: 1/8 .. 7/8 */
        mmio_write32(UART_BASE + UART_IFLS, v);
        bad += (mmio_read32(UART_BASE + UART_IFLS) & 0x3f) != v;
    }
    mmio_write32(UART_BASE + UART_IFLS, IFLS_RESET);
    report(bad == 0, "%u UARTIFLS write/read-back pairs (%u mismatches)", n, bad);
}

static void gicd_typer(unsigned n)
{
    uint32_t first = mmio_read32(GICD_BASE + GICD_TYPER);
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++) {
        bad += mmio_read32(GICD_BASE + GICD_TYPER) != first;
    }
    report(bad == 0 && (first & 0x1f) >= 1, "%u GICD_TYPER reads, all 0x%x (%u differ)", n, first, bad);
}

/* GICD_IPRIORITYR of SPIs 32..63: 8 registers; values keep the low 3 bits 0 (5 priority bits at least). */
static void gicd_priority(unsigned n)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t reg = GICD_BASE + GICD_IPRIORITYR + 32 + (i % 8) * 4;
        uint32_t v = (i * 0x9e3779b9u) & 0xf8f8f8f8u;
        mmio_write32(reg, v);
        bad += mmio_read32(reg) != v;
    }
    for (unsigned r = 0; r < 8; r++) {
        mmio_write32(GICD_BASE + GICD_IPRIORITYR + 32 + r * 4, 0);
    }
    report(bad == 0, "%u GICD_IPRIORITYR write/read-back pairs (%u mismatches)", n, bad);
}

static void rtc_reads(unsigned n)
{
    uint32_t first = mmio_read32(RTC_BASE + RTC_DR), prev = first;
    unsigned backwards = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t v = mmio_read32(RTC_BASE + RTC_DR);
        backwards += (int32_t)(v - prev) < 0;
        prev = v;
    }
    /* Seconds since the epoch, from the host clock: after 2020, and at most an hour passed. */
    report(backwards == 0 && first > 1577836800u && prev - first < 3600,
           "%u RTCDR reads: monotonic (%u went back), %u .. %u", n, backwards, first, prev);
}

void guest_run(void)
{
    const Work *w = bench_mode() ? &bench_work : &short_work;
    uart_lines(w->lines);
    uart_fr(w->fr_reads);
    uart_ifls(w->ifls_pairs);
    gicd_typer(w->gicd_reads);
    gicd_priority(w->prio_pairs);
    rtc_reads(w->rtc_reads);
}
