/*
 * GICv3 distributor (GICD_*), IHI 0069 12.9. Affinity routing is always
 * enabled and the GIC has a single Security state, so GICD_CTLR.ARE and DS
 * read as one, the GICv2-compatibility registers (ITARGETSR, SGIR,
 * CPENDSGIR/SPENDSGIR) are RAZ/WI, and the bits for INTIDs 0-31 in the
 * distributor's bit arrays are RAZ/WI (the redistributors own them).
 */
#include "devices/gicv3_internal.h"

#include "core/log.h"

enum {
    GICD_CTLR = 0x0000, GICD_TYPER = 0x0004, GICD_IIDR = 0x0008, GICD_TYPER2 = 0x000c,
    GICD_STATUSR = 0x0010,
    GICD_IGROUPR = 0x0080, GICD_ISENABLER = 0x0100, GICD_ICENABLER = 0x0180,
    GICD_ISPENDR = 0x0200, GICD_ICPENDR = 0x0280, GICD_ISACTIVER = 0x0300,
    GICD_ICACTIVER = 0x0380, GICD_IPRIORITYR = 0x0400, GICD_ITARGETSR = 0x0800,
    GICD_ICFGR = 0x0c00, GICD_IGRPMODR = 0x0d00, GICD_NSACR = 0x0e00, GICD_SGIR = 0x0f00,
    GICD_IROUTER = 0x6000, GICD_IDREGS = 0xffd0,
};

#define GICD_CTLR_EnableGrp0 (1u << 0)
#define GICD_CTLR_EnableGrp1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)

/* PIDR4-7, PIDR0-3, CIDR0-3 at 0xffd0: ArchRev 3 in PIDR2 (as QEMU's GICv3). */
static const uint8_t gicd_ids[12] = {
    0x44, 0x00, 0x00, 0x00, 0x92, 0xb4, 0x3b, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

/* IIDR: ProductID 0, Variant 0, Revision 0, Implementer 0x43b (as QEMU's model). */
#define GIC_IIDR 0x0000043bu

static uint32_t gicv3_dist_typer(void)
{
    return (GICV3_NUM_IRQS / 32 - 1)      /* ITLinesNumber */
           | (15u << 19)                  /* IDbits: 16-bit INTIDs */
           | (1u << 24);                  /* A3V: Aff3 supported; No1N = 0: 1-of-N supported */
}

/* The 32-bit word n of a per-INTID bit array; word 0 is RAZ/WI (private INTIDs). */
static uint32_t *gicv3_dist_bits(GICv3 *gic, uint32_t *map, unsigned n)
{
    (void)gic;
    return (n == 0 || n >= GIC_WORDS) ? NULL : &map[n];
}

static bool gicv3_dist_read32(GICv3 *gic, uint64_t off, uint32_t *v)
{
    *v = 0;
    if (off == GICD_CTLR) {
        *v = gic->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
    } else if (off == GICD_TYPER) {
        *v = gicv3_dist_typer();
    } else if (off == GICD_IIDR) {
        *v = GIC_IIDR;
    } else if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 0x80) {
        uint32_t *w = gicv3_dist_bits(gic, gic->group, (unsigned)(off - GICD_IGROUPR) / 4);
        *v = w ? *w : 0;
    } else if (off >= GICD_ISENABLER && off < GICD_ICENABLER + 0x80) {
        uint32_t *w = gicv3_dist_bits(gic, gic->enabled, (unsigned)(off & 0x7f) / 4);
        *v = w ? *w : 0;
    } else if (off >= GICD_ISPENDR && off < GICD_ICPENDR + 0x80) {
        unsigned n = (unsigned)(off & 0x7f) / 4;
        if (n && n < GIC_WORDS) {
            *v = gic->pend_latch[n] | (gic->level[n] & ~gic->edge[n]);
        }
    } else if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER + 0x80) {
        uint32_t *w = gicv3_dist_bits(gic, gic->active, (unsigned)(off & 0x7f) / 4);
        *v = w ? *w : 0;
    } else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
        unsigned i = (unsigned)(off - GICD_IPRIORITYR);
        if (i >= 32 && i + 3 < GICV3_NUM_IRQS) {
            *v = gic->priority[i] | gic->priority[i + 1] << 8 | gic->priority[i + 2] << 16 |
                 (uint32_t)gic->priority[i + 3] << 24;
        }
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        unsigned n = (unsigned)(off - GICD_ICFGR) / 4;   /* 16 INTIDs per word */
        if (n >= 2 && n < GIC_WORDS * 2) {
            uint32_t e = gic->edge[n / 2] >> ((n % 2) * 16);
            for (int b = 0; b < 16; b++) {
                *v |= ((e >> b) & 1u) << (2 * b + 1);
            }
        }
    } else if (off >= GICD_IROUTER + 32 * 8 && off < GICD_IROUTER + GICV3_NUM_IRQS * 8) {
        unsigned i = (unsigned)(off - GICD_IROUTER) / 8;
        *v = (uint32_t)(gic->irouter[i] >> ((off & 4) ? 32 : 0));
    } else if (off >= GICD_IDREGS && off < 0x10000) {
        *v = gicd_ids[(off - GICD_IDREGS) / 4];
    }
    /* everything else (TYPER2, STATUSR, IGRPMODR/NSACR with DS=1, ITARGETSR,
     * SGIR, unimplemented INTIDs, reserved space) reads as zero */
    return true;
}

static void gicv3_dist_write32(GICv3 *gic, uint64_t off, uint32_t v)
{
    if (off == GICD_CTLR) {
        gic->ctlr = v & (GICD_CTLR_EnableGrp0 | GICD_CTLR_EnableGrp1);
    } else if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 0x80) {
        uint32_t *w = gicv3_dist_bits(gic, gic->group, (unsigned)(off - GICD_IGROUPR) / 4);
        if (w) {
            *w = v;
        }
    } else if (off >= GICD_ISENABLER && off < GICD_ICENABLER + 0x80) {
        uint32_t *w = gicv3_dist_bits(gic, gic->enabled, (unsigned)(off & 0x7f) / 4);
        if (w) {
            *w = off < GICD_ICENABLER ? (*w | v) : (*w & ~v);
        }
    } else if (off >= GICD_ISPENDR && off < GICD_ICPENDR + 0x80) {
        uint32_t *w = gicv3_dist_bits(gic, gic->pend_latch, (unsigned)(off & 0x7f) / 4);
        if (w) {
            /* clearing does not affect a level-sensitive interrupt whose line is high */
            *w = off < GICD_ICPENDR ? (*w | v) : (*w & ~v);
        }
    } else if (off >= GICD_ISACTIVER && off < GICD_ICACTIVER + 0x80) {
        uint32_t *w = gicv3_dist_bits(gic, gic->active, (unsigned)(off & 0x7f) / 4);
        if (w) {
            *w = off < GICD_ICACTIVER ? (*w | v) : (*w & ~v);
        }
    } else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
        unsigned i = (unsigned)(off - GICD_IPRIORITYR);
        if (i >= 32 && i + 3 < GICV3_NUM_IRQS) {
            for (int b = 0; b < 4; b++) {
                gic->priority[i + b] = (uint8_t)(v >> (8 * b)) & GIC_PRI_MASK;
            }
        }
    } else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        unsigned n = (unsigned)(off - GICD_ICFGR) / 4;
        if (n >= 2 && n < GIC_WORDS * 2) {
            uint32_t e = 0;
            for (int b = 0; b < 16; b++) {
                e |= ((v >> (2 * b + 1)) & 1u) << b;
            }
            uint32_t shift = (n % 2) * 16;
            gic->edge[n / 2] = (gic->edge[n / 2] & ~(0xffffu << shift)) | (e << shift);
        }
    } else if (off >= GICD_IROUTER + 32 * 8 && off < GICD_IROUTER + GICV3_NUM_IRQS * 8) {
        unsigned i = (unsigned)(off - GICD_IROUTER) / 8;
        /* Aff0-2 (23:0), Interrupt_Routing_Mode (31), Aff3 (39:32) */
        uint64_t cur = gic->irouter[i];
        uint64_t nv = (off & 4) ? ((cur & 0xffffffffULL) | ((uint64_t)v << 32))
                                : ((cur & ~0xffffffffULL) | v);
        gic->irouter[i] = nv & 0xff80ffffffULL;
    } else if (off == GICD_TYPER || off == GICD_IIDR || off >= GICD_IDREGS) {
        LOG(LOG_GUEST_ERRORS, "gicv3: write to read-only GICD register 0x%llx\n", (unsigned long long)off);
    }
    /* writes elsewhere are ignored (RAZ/WI space) */
}

static bool gicv3_dist_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    GICv3 *gic = opaque;
    uint32_t lo, hi;
    if (size == 8) {
        if ((offset & 7) || offset < GICD_IROUTER || offset >= GICD_IROUTER + 0x2000) {
            return false;   /* 64-bit accesses only to IROUTER (IHI 0069 12.1.3) */
        }
        gicv3_dist_read32(gic, offset, &lo);
        gicv3_dist_read32(gic, offset + 4, &hi);
        *value = lo | (uint64_t)hi << 32;
        return true;
    }
    if (size == 1 || size == 2) {
        /* byte access: IPRIORITYR and ITARGETSR only; halfwords are not supported */
        bool byte_ok = offset >= GICD_IPRIORITYR && offset < GICD_ICFGR;
        if (size == 2 || !byte_ok) {
            return false;
        }
    }
    gicv3_dist_read32(gic, offset & ~3ULL, &lo);
    *value = size == 1 ? (lo >> ((offset & 3) * 8)) & 0xff : lo;
    return true;
}

static bool gicv3_dist_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    GICv3 *gic = opaque;
    if (size == 8) {
        if ((offset & 7) || offset < GICD_IROUTER || offset >= GICD_IROUTER + 0x2000) {
            return false;
        }
        gicv3_dist_write32(gic, offset, (uint32_t)value);
        gicv3_dist_write32(gic, offset + 4, (uint32_t)(value >> 32));
    } else if (size == 1) {
        if (offset >= GICD_IPRIORITYR && offset < GICD_IPRIORITYR + 0x400) {
            unsigned i = (unsigned)(offset - GICD_IPRIORITYR);
            if (i >= 32 && i < GICV3_NUM_IRQS) {
                gic->priority[i] = (uint8_t)value & GIC_PRI_MASK;
            }
        } else if (!(offset >= GICD_ITARGETSR && offset < GICD_ICFGR)) {
            return false;
        }
    } else if (size == 2) {
        return false;
    } else {
        gicv3_dist_write32(gic, offset & ~3ULL, (uint32_t)value);
    }
    gicv3_update(gic);
    return true;
}

const MMIOOps gicv3_dist_ops = { .read = gicv3_dist_read, .write = gicv3_dist_write };

void gicv3_dist_reset(GICv3 *gic)
{
    gic->ctlr = 0;
    memset(gic->group, 0, sizeof(gic->group));
    memset(gic->enabled, 0, sizeof(gic->enabled));
    memset(gic->pend_latch, 0, sizeof(gic->pend_latch));
    memset(gic->active, 0, sizeof(gic->active));
    memset(gic->edge, 0, sizeof(gic->edge));
    memset(gic->priority, 0, sizeof(gic->priority));
    memset(gic->irouter, 0, sizeof(gic->irouter));
    /* line levels are inputs: kept across a GIC reset */
}
