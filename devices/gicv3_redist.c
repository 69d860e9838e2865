/*
 * GICv3 redistributors (GICR_*), IHI 0069 12.10/12.11: one RD_base frame and
 * one SGI_base frame (64 KiB each) per CPU, contiguous from
 * VIRT_GIC_REDIST_BASE; frames past the last CPU are RAZ/WI. No LPIs.
 */
#include "devices/gicv3_internal.h"

#include "core/log.h"

#define GICR_FRAME_SIZE 0x20000
#define GICR_SGI_BASE 0x10000

enum {
    GICR_CTLR = 0x0000, GICR_IIDR = 0x0004, GICR_TYPER = 0x0008, GICR_STATUSR = 0x0010,
    GICR_WAKER = 0x0014, GICR_IDREGS = 0xffd0,
    /* SGI_base frame */
    GICR_IGROUPR0 = 0x0080, GICR_ISENABLER0 = 0x0100, GICR_ICENABLER0 = 0x0180,
    GICR_ISPENDR0 = 0x0200, GICR_ICPENDR0 = 0x0280, GICR_ISACTIVER0 = 0x0300,
    GICR_ICACTIVER0 = 0x0380, GICR_IPRIORITYR = 0x0400, GICR_ICFGR0 = 0x0c00,
    GICR_ICFGR1 = 0x0c04, GICR_IGRPMODR0 = 0x0d00, GICR_NSACR = 0x0e00,
};

#define WAKER_ProcessorSleep (1u << 1)
#define WAKER_ChildrenAsleep (1u << 2)

static const uint8_t gicr_ids[12] = {
    0x44, 0x00, 0x00, 0x00, 0x93, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

static uint64_t gicv3_redist_typer(GICv3CPU *c)
{
    uint64_t aff = c->affinity;
    uint64_t affval = (aff & 0xffffff) | ((aff >> 32 & 0xff) << 24);
    bool last = c->index == c->gic->ncpus - 1;
    return (affval << 32) | ((uint64_t)c->index << 8) | (last ? 1u << 4 : 0);
}

static uint32_t gicv3_redist_read_rd(GICv3CPU *c, uint64_t off)
{
    switch (off) {
    case GICR_CTLR: return 0;              /* no LPIs, RWP/UWP never set */
    case GICR_IIDR: return 0x0000043bu;
    case GICR_TYPER: return (uint32_t)gicv3_redist_typer(c);
    case GICR_TYPER + 4: return (uint32_t)(gicv3_redist_typer(c) >> 32);
    case GICR_WAKER:
        /* ChildrenAsleep follows ProcessorSleep at once: nothing to quiesce */
        return (c->waker & WAKER_ProcessorSleep) ? (WAKER_ProcessorSleep | WAKER_ChildrenAsleep) : 0;
    default:
        if (off >= GICR_IDREGS && off < 0x10000) {
            return gicr_ids[(off - GICR_IDREGS) / 4];
        }
        return 0;
    }
}

static uint32_t gicv3_redist_read_sgi(GICv3CPU *c, uint64_t off)
{
    switch (off) {
    case GICR_IGROUPR0: return c->group;
    case GICR_ISENABLER0: case GICR_ICENABLER0: return c->enabled;
    case GICR_ISPENDR0: case GICR_ICPENDR0: return c->pend_latch | (c->level & ~c->edge);
    case GICR_ISACTIVER0: case GICR_ICACTIVER0: return c->active;
    case GICR_ICFGR0: case GICR_ICFGR1: {
        uint32_t e = c->edge >> (off == GICR_ICFGR1 ? 16 : 0), v = 0;
        for (int b = 0; b < 16; b++) {
            v |= ((e >> b) & 1u) << (2 * b + 1);
        }
        return v;
    }
    default:
        if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
            unsigned i = (unsigned)(off - GICR_IPRIORITYR);
            return c->priority[i] | c->priority[i + 1] << 8 | c->priority[i + 2] << 16 |
                   (uint32_t)c->priority[i + 3] << 24;
        }
        return 0;   /* IGRPMODR0 and NSACR are RAZ/WI with DS = 1 */
    }
}

static void gicv3_redist_write_sgi(GICv3CPU *c, uint64_t off, uint32_t v)
{
    switch (off) {
    case GICR_IGROUPR0: c->group = v; break;
    case GICR_ISENABLER0: c->enabled |= v; break;
    case GICR_ICENABLER0: c->enabled &= ~v; break;
    case GICR_ISPENDR0: c->pend_latch |= v; break;
    case GICR_ICPENDR0: c->pend_latch &= ~v; break;
    case GICR_ISACTIVER0: c->active |= v; break;
    case GICR_ICACTIVER0: c->active &= ~v; break;
    case GICR_ICFGR0:
        break;   /* SGIs are always edge-triggered: RO */
    case GICR_ICFGR1: {
        /* PPI trigger mode is programmable in this implementation */
        uint32_t e = 0;
        for (int b = 0; b < 16; b++) {
            e |= ((v >> (2 * b + 1)) & 1u) << b;
        }
        c->edge = (c->edge & 0xffff) | (e << 16);
        break;
    }
    default:
        if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
            unsigned i = (unsigned)(off - GICR_IPRIORITYR);
            for (int b = 0; b < 4; b++) {
                c->priority[i + b] = (uint8_t)(v >> (8 * b)) & GIC_PRI_MASK;
            }
        }
        break;
    }
}

static GICv3CPU *gicv3_redist_cpu(GICv3 *gic, uint64_t offset)
{
    uint64_t n = offset / GICR_FRAME_SIZE;
    return n < (uint64_t)gic->ncpus ? &gic->cpu[n] : NULL;
}

static bool gicv3_redist_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    GICv3 *gic = opaque;
    GICv3CPU *c = gicv3_redist_cpu(gic, offset);
    uint64_t off = offset % GICR_FRAME_SIZE;
    bool sgi = off >= GICR_SGI_BASE;
    off &= 0xffff;
    if (size == 8) {
        if (off & 7) {
            return false;
        }
        if (!c) {
            *value = 0;
        } else if (!sgi && off == GICR_TYPER) {
            *value = gicv3_redist_typer(c);
        } else {
            uint64_t lo = sgi ? gicv3_redist_read_sgi(c, off) : gicv3_redist_read_rd(c, off);
            uint64_t hi = sgi ? gicv3_redist_read_sgi(c, off + 4) : gicv3_redist_read_rd(c, off + 4);
            *value = lo | hi << 32;
        }
        return true;
    }
    if (size == 2) {
        return false;
    }
    if (size == 1 && !(sgi && off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32)) {
        return false;   /* byte access only to IPRIORITYR */
    }
    uint32_t w = !c ? 0 : sgi ? gicv3_redist_read_sgi(c, off & ~3ULL) : gicv3_redist_read_rd(c, off & ~3ULL);
    *value = size == 1 ? (w >> ((off & 3) * 8)) & 0xff : w;
    return true;
}

static bool gicv3_redist_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    GICv3 *gic = opaque;
    GICv3CPU *c = gicv3_redist_cpu(gic, offset);
    uint64_t off = offset % GICR_FRAME_SIZE;
    bool sgi = off >= GICR_SGI_BASE;
    off &= 0xffff;
    if (size == 2 || (size == 8 && (off & 7))) {
        return false;
    }
    if (size == 1 && !(sgi && off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32)) {
        return false;
    }
    if (!c) {
        return true;   /* beyond the last redistributor: RAZ/WI */
    }
    if (size == 1) {
        c->priority[off - GICR_IPRIORITYR] = (uint8_t)value & GIC_PRI_MASK;
    } else if (sgi) {
        gicv3_redist_write_sgi(c, off, (uint32_t)value);
        if (size == 8) {
            gicv3_redist_write_sgi(c, off + 4, (uint32_t)(value >> 32));
        }
    } else if (off == GICR_WAKER) {
        c->waker = (uint32_t)value & WAKER_ProcessorSleep;
    } else if (off != GICR_CTLR) {
        LOG(LOG_GUEST_ERRORS, "gicv3: write to read-only/reserved GICR offset 0x%llx\n",
            (unsigned long long)off);
    }
    gicv3_update_cpu(c);
    return true;
}

const MMIOOps gicv3_redist_ops = { .read = gicv3_redist_read, .write = gicv3_redist_write };

void gicv3_redist_reset(GICv3CPU *c)
{
    c->waker = WAKER_ProcessorSleep;
    c->group = c->enabled = c->pend_latch = c->active = 0;
    c->edge = 0xffff;   /* SGIs edge; PPIs level by default */
    memset(c->priority, 0, sizeof(c->priority));
}
