/*
 * ARM PrimeCell UART (PL011), ARM DDI 0183. Register behaviour follows the
 * TRM; where QEMU's model (the reference for guests written against the
 * virt board) differs from silicon, Tandem does what QEMU 7.2 does and says
 * so below:
 *   - transmission is instantaneous, so the TX FIFO is always empty (FR.TXFE=1,
 *     BUSY=0, TXFF=0) and TX is not gated by CR.UARTEN/TXE (QEMU prints
 *     regardless; early boot code relies on it);
 *   - the TX interrupt (RIS.TXRIS) is set by every DR write (the FIFO passes
 *     through its trigger level as it drains) and cleared by ICR, reset value 0;
 *   - baud rate / line control only affect what the guest reads back.
 * Receive: a 16-entry FIFO (1 entry when LCR_H.FEN=0) fed from the host
 * chardev; RXRIS when the fill level reaches the IFLS.RXIFLSEL trigger, the
 * receive timeout (RTRIS) when characters sit below the trigger for one poll
 * period with nothing new arriving (the TRM's "32 bit periods" is shorter;
 * this is the model's granularity, docs/impdef.md).
 */
#include "devices/pl011.h"

#include <glib.h>

#include "core/log.h"
#include "devices/primecell.h"

enum {
    PL011_DR = 0x000, PL011_RSR = 0x004, PL011_FR = 0x018, PL011_ILPR = 0x020,
    PL011_IBRD = 0x024, PL011_FBRD = 0x028, PL011_LCR_H = 0x02c, PL011_CR = 0x030,
    PL011_IFLS = 0x034, PL011_IMSC = 0x038, PL011_RIS = 0x03c, PL011_MIS = 0x040,
    PL011_ICR = 0x044, PL011_DMACR = 0x048,
};

/* FR */
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
/* interrupt bits (RIS/IMSC/MIS/ICR) */
#define INT_RX  (1u << 4)
#define INT_TX  (1u << 5)
#define INT_RT  (1u << 6)
#define INT_ALL 0x7ffu
#define LCR_H_FEN (1u << 4)
#define CR_LBE (1u << 7)

#define PL011_FIFO_DEPTH 16
#define PL011_POLL_NS 100000ULL   /* host input polled every 100 us of virtual time */

/* PeriphID0-3, PCellID0-3 at 0xfe0..0xffc, as QEMU's "arm" variant reports. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

typedef struct PL011 {
    Device dev;
    Machine *m;
    Chardev *chr;
    IRQLine irq;
    Event poll_ev;
    bool irq_level;
    bool rx_since_poll;        /* a character arrived since the last poll tick */
    uint32_t rsr, ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
    uint16_t rx_fifo[PL011_FIFO_DEPTH];
    unsigned rx_pos, rx_count;
} PL011;

static unsigned pl011_rx_depth(const PL011 *s)
{
    return (s->lcr_h & LCR_H_FEN) ? PL011_FIFO_DEPTH : 1;
}

/* IFLS.RXIFLSEL: 1/8, 1/4, 1/2, 3/4, 7/8 full (TRM 3.3.12). */
static unsigned pl011_rx_trigger(const PL011 *s)
{
    static const unsigned levels[8] = { 2, 4, 8, 12, 14, 14, 14, 14 };
    return (s->lcr_h & LCR_H_FEN) ? levels[(s->ifls >> 3) & 7] : 1;
}

static void pl011_update_irq(PL011 *s)
{
    bool level = (s->ris & s->imsc) != 0;
    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(&s->irq, level);
    }
}

static void pl011_update_rx_status(PL011 *s)
{
    if (s->rx_count >= pl011_rx_trigger(s)) {
        s->ris |= INT_RX;
    } else {
        s->ris &= ~INT_RX;
    }
    if (!s->rx_count) {
        s->ris &= ~INT_RT;
    }
}

/* Move host input into the receive FIFO while there is room. */
static void pl011_fill_fifo(PL011 *s)
{
    bool got = false;
    while (s->rx_count < pl011_rx_depth(s)) {
        int b = chardev_read_byte(s->chr);
        if (b < 0) {
            break;
        }
        s->rx_fifo[(s->rx_pos + s->rx_count) % PL011_FIFO_DEPTH] = (uint16_t)b;
        s->rx_count++;
        got = true;
    }
    if (got) {
        s->rx_since_poll = true;
        pl011_update_rx_status(s);
        pl011_update_irq(s);
    }
}

void pl011_poll(Device *dev)
{
    PL011 *s = (PL011 *)dev;
    chardev_poll(s->chr);
    /* receive timeout: data in the FIFO and nothing new since the last tick */
    bool moved_between_ticks = s->rx_since_poll;
    s->rx_since_poll = false;
    pl011_fill_fifo(s);
    bool moved_now = s->rx_since_poll;
    s->rx_since_poll = false;
    if (s->rx_count && !moved_between_ticks && !moved_now) {
        s->ris |= INT_RT;
        pl011_update_irq(s);
    }
}

static void pl011_poll_event(void *opaque)
{
    PL011 *s = opaque;
    pl011_poll(&s->dev);
    if (chardev_has_input(s->chr)) {
        event_schedule(&s->m->events, &s->poll_ev, machine_now_ns(s->m) + PL011_POLL_NS);
    }
}

static uint32_t pl011_read_dr(PL011 *s)
{
    if (!s->rx_count) {
        return 0;   /* reading an empty FIFO: data is UNKNOWN in the TRM; 0 as QEMU */
    }
    uint32_t v = s->rx_fifo[s->rx_pos];
    s->rx_pos = (s->rx_pos + 1) % PL011_FIFO_DEPTH;
    s->rx_count--;
    s->rsr = v >> 8;
    pl011_fill_fifo(s);
    pl011_update_rx_status(s);
    pl011_update_irq(s);
    return v;
}

static void pl011_write_dr(PL011 *s, uint8_t ch)
{
    if (s->cr & CR_LBE) {
        /* loopback: the transmitter feeds the receiver (TRM 2.4.4) */
        if (s->rx_count < pl011_rx_depth(s)) {
            s->rx_fifo[(s->rx_pos + s->rx_count) % PL011_FIFO_DEPTH] = ch;
            s->rx_count++;
            s->rx_since_poll = true;
            pl011_update_rx_status(s);
        }
    } else {
        chardev_write(s->chr, &ch, 1);
    }
    s->ris |= INT_TX;
    pl011_update_irq(s);
}

static uint32_t pl011_read_fr(PL011 *s)
{
    uint32_t fr = FR_TXFE;
    if (!s->rx_count) {
        fr |= FR_RXFE;
    }
    if (s->rx_count >= pl011_rx_depth(s)) {
        fr |= FR_RXFF;
    }
    return fr;
}

static bool pl011_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    PL011 *s = opaque;
    if (size > 4) {
        return false;   /* 32-bit APB peripheral */
    }
    uint64_t reg = offset & ~3ULL;
    uint32_t v;
    if (!primecell_read_id(pl011_id, reg, &v)) {
        switch (reg) {
        case PL011_DR: v = pl011_read_dr(s); break;
        case PL011_RSR: v = s->rsr; break;
        case PL011_FR: v = pl011_read_fr(s); break;
        case PL011_ILPR: v = s->ilpr; break;
        case PL011_IBRD: v = s->ibrd; break;
        case PL011_FBRD: v = s->fbrd; break;
        case PL011_LCR_H: v = s->lcr_h; break;
        case PL011_CR: v = s->cr; break;
        case PL011_IFLS: v = s->ifls; break;
        case PL011_IMSC: v = s->imsc; break;
        case PL011_RIS: v = s->ris; break;
        case PL011_MIS: v = s->ris & s->imsc; break;
        case PL011_DMACR: v = s->dmacr; break;
        default:
            LOG(LOG_GUEST_ERRORS, "pl011: read of unknown register 0x%llx\n", (unsigned long long)offset);
            v = 0;
            break;
        }
    }
    *value = (v >> ((offset & 3) * 8)) & (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
    return true;
}

static bool pl011_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    PL011 *s = opaque;
    if (size > 4) {
        return false;
    }
    uint64_t reg = offset & ~3ULL;
    uint32_t v = (uint32_t)(value << ((offset & 3) * 8));
    switch (reg) {
    case PL011_DR: pl011_write_dr(s, (uint8_t)v); break;
    case PL011_RSR: s->rsr = 0; break;            /* ECR: any write clears the errors */
    case PL011_ILPR: s->ilpr = v & 0xff; break;
    case PL011_IBRD: s->ibrd = v & 0xffff; break;
    case PL011_FBRD: s->fbrd = v & 0x3f; break;
    case PL011_LCR_H:
        /* Changing FEN flushes nothing in the TRM; a shrinking depth keeps
         * what is buffered (at most 16 entries, still drained in order). */
        s->lcr_h = v & 0xff;
        pl011_update_rx_status(s);
        pl011_fill_fifo(s);
        pl011_update_irq(s);
        break;
    case PL011_CR: s->cr = v & 0xff87; break;
    case PL011_IFLS: s->ifls = v & 0x3f; pl011_update_rx_status(s); pl011_update_irq(s); break;
    case PL011_IMSC: s->imsc = v & INT_ALL; pl011_update_irq(s); break;
    case PL011_ICR: s->ris &= ~(v & INT_ALL); pl011_update_irq(s); break;
    case PL011_DMACR: s->dmacr = v & 7; break;
    case PL011_FR: case PL011_RIS: case PL011_MIS:
        LOG(LOG_GUEST_ERRORS, "pl011: write to read-only register 0x%llx\n", (unsigned long long)offset);
        break;
    default:
        LOG(LOG_GUEST_ERRORS, "pl011: write to unknown register 0x%llx\n", (unsigned long long)offset);
        break;
    }
    return true;
}

static const MMIOOps pl011_ops = { .read = pl011_read, .write = pl011_write };

static void pl011_reset(Device *dev)
{
    PL011 *s = (PL011 *)dev;
    s->rsr = s->ilpr = s->ibrd = s->fbrd = s->lcr_h = s->imsc = s->ris = s->dmacr = 0;
    s->cr = 0x300;     /* TXE | RXE (TRM reset value) */
    s->ifls = 0x12;    /* half-full triggers */
    s->rx_pos = s->rx_count = 0;
    s->rx_since_poll = false;
    s->irq_level = false;
    irq_set_level(&s->irq, false);
    if (chardev_has_input(s->chr)) {
        event_schedule(&s->m->events, &s->poll_ev, machine_now_ns(s->m) + PL011_POLL_NS);
    }
}

static int pl011_fdt_node(Device *dev, void *fdt)
{
    static const char *const compat[] = { "arm,pl011", "arm,primecell", NULL };
    static const char *const clock_names[] = { "uartclk", "apb_pclk", NULL };
    return primecell_fdt_node(dev, fdt, "pl011", compat, clock_names);
}

static void pl011_destroy(Device *dev)
{
    PL011 *s = (PL011 *)dev;
    event_cancel(&s->m->events, &s->poll_ev);
    chardev_close(s->chr);
    g_free(s);
}

static const DeviceClass pl011_class = {
    .name = "pl011",
    .reset = pl011_reset,
    .fdt_node = pl011_fdt_node,
    .destroy = pl011_destroy,
};

Device *pl011_create(Machine *m, uint64_t base, int intid, IRQLine irq, Chardev *chr, char **error)
{
    PL011 *s = g_new0(PL011, 1);
    s->dev.cls = &pl011_class;
    s->dev.base = base;
    s->dev.size = VIRT_UART_SIZE;
    s->dev.irq = intid;
    s->m = m;
    s->chr = chr;
    s->irq = irq;
    event_init(&s->poll_ev, pl011_poll_event, s);
    if (!addrspace_add_mmio(&m->as, "pl011", base, VIRT_UART_SIZE, &pl011_ops, s)) {
        *error = g_strdup_printf("pl011: MMIO range at 0x%llx overlaps another region",
                                 (unsigned long long)base);
        chardev_close(chr);
        g_free(s);
        return NULL;
    }
    pl011_reset(&s->dev);
    return &s->dev;
}
