/* GICv3: distributor/redistributor MMIO and the ICC_* CPU interface. */
#include <glib.h>

#include "devices/cpu_hooks.h"
#include "devices/gicv3.h"
#include "mmu/mmu.h"
#include "tests/unit/dev_test_env.h"

#define D VIRT_GIC_DIST_BASE
#define R(cpu) (VIRT_GIC_REDIST_BASE + 0x20000ULL * (cpu))
#define SGI(cpu) (R(cpu) + 0x10000)

#define ICC_PMR MMU_SYSREG_ENC(3, 0, 4, 6, 0)
#define ICC_IAR0 MMU_SYSREG_ENC(3, 0, 12, 8, 0)
#define ICC_EOIR0 MMU_SYSREG_ENC(3, 0, 12, 8, 1)
#define ICC_AP0R0 MMU_SYSREG_ENC(3, 0, 12, 8, 4)
#define ICC_AP0R1 MMU_SYSREG_ENC(3, 0, 12, 8, 5)
#define ICC_AP1R0 MMU_SYSREG_ENC(3, 0, 12, 9, 0)
#define ICC_DIR MMU_SYSREG_ENC(3, 0, 12, 11, 1)
#define ICC_RPR MMU_SYSREG_ENC(3, 0, 12, 11, 3)
#define ICC_SGI1R MMU_SYSREG_ENC(3, 0, 12, 11, 5)
#define ICC_SGI0R MMU_SYSREG_ENC(3, 0, 12, 11, 7)
#define ICC_IAR1 MMU_SYSREG_ENC(3, 0, 12, 12, 0)
#define ICC_EOIR1 MMU_SYSREG_ENC(3, 0, 12, 12, 1)
#define ICC_HPPIR1 MMU_SYSREG_ENC(3, 0, 12, 12, 2)
#define ICC_BPR1 MMU_SYSREG_ENC(3, 0, 12, 12, 3)
#define ICC_CTLR_EL1 MMU_SYSREG_ENC(3, 0, 12, 12, 4)
#define ICC_SRE_EL1 MMU_SYSREG_ENC(3, 0, 12, 12, 5)
#define ICC_IGRPEN0 MMU_SYSREG_ENC(3, 0, 12, 12, 6)
#define ICC_IGRPEN1 MMU_SYSREG_ENC(3, 0, 12, 12, 7)
#define ICC_SRE_EL2 MMU_SYSREG_ENC(3, 4, 12, 9, 5)
#define ICC_CTLR_EL3 MMU_SYSREG_ENC(3, 6, 12, 12, 4)

#define ICH_AP1R0 MMU_SYSREG_ENC(3, 4, 12, 9, 0)
#define ICH_AP1R1 MMU_SYSREG_ENC(3, 4, 12, 9, 1)
#define ICH_HCR MMU_SYSREG_ENC(3, 4, 12, 11, 0)
#define ICH_VTR MMU_SYSREG_ENC(3, 4, 12, 11, 1)
#define ICH_MISR MMU_SYSREG_ENC(3, 4, 12, 11, 2)
#define ICH_EISR MMU_SYSREG_ENC(3, 4, 12, 11, 3)
#define ICH_ELRSR MMU_SYSREG_ENC(3, 4, 12, 11, 5)
#define ICH_VMCR MMU_SYSREG_ENC(3, 4, 12, 11, 7)
#define ICH_LR(n) MMU_SYSREG_ENC(3, 4, 12, 12 + (n) / 8, (n) % 8)
#define LR(state, hw, grp, prio, pintid, vintid) \
    (((uint64_t)(state) << 62) | ((uint64_t)(hw) << 61) | ((uint64_t)(grp) << 60) | \
     ((uint64_t)(prio) << 48) | ((uint64_t)(pintid) << 32) | (vintid))

static Machine *m;
static GICv3 *gic;

static uint64_t mr(uint64_t pa, unsigned size)
{
    uint64_t v = 0;
    g_assert_true(addrspace_read(&m->as, pa, size, &v));
    return v;
}
static void mw(uint64_t pa, unsigned size, uint64_t v) { g_assert_true(addrspace_write(&m->as, pa, size, v)); }
static uint32_t rd32(uint64_t pa) { return (uint32_t)mr(pa, 4); }
static void wr32(uint64_t pa, uint32_t v) { mw(pa, 4, v); }

static uint64_t sr(int cpu, uint32_t enc)
{
    uint64_t v = 0;
    unsigned trap = 99;
    g_assert_true(gicv3_sysreg_read(m->cpus[cpu], enc, &v, &trap));
    return v;
}
static void sw(int cpu, uint32_t enc, uint64_t v)
{
    unsigned trap = 99;
    g_assert_true(gicv3_sysreg_write(m->cpus[cpu], enc, v, &trap));
}
static unsigned sr_fails(int cpu, uint32_t enc)
{
    uint64_t v;
    unsigned trap = 99;
    g_assert_false(gicv3_sysreg_read(m->cpus[cpu], enc, &v, &trap));
    return trap;
}
static unsigned sw_fails(int cpu, uint32_t enc, uint64_t v)
{
    unsigned trap = 99;
    g_assert_false(gicv3_sysreg_write(m->cpus[cpu], enc, v, &trap));
    return trap;
}

static bool irq(int cpu) { return m->cpus[cpu]->irq_lines & CPU_LINE_IRQ; }
static bool fiq(int cpu) { return m->cpus[cpu]->irq_lines & CPU_LINE_FIQ; }

/* A Non-secure EL1 OS on every CPU with both groups enabled and the redistributors awake. */
static void setup(void)
{
    char *err = NULL;
    m = dev_test_machine_new(2, 1 << 20, true);
    for (int i = 0; i < 2; i++) {
        m->cpus[i]->el = 1;
        m->cpus[i]->sr.SCR_EL3 = 0x501;   /* NS, HCE, RW */
    }
    gic = gicv3_create(m, &err);
    g_assert_nonnull(gic);
    m->gic = gic;
    wr32(D + 0x0, 0x3);                    /* EnableGrp0 | EnableGrp1 */
    for (int i = 0; i < 2; i++) {
        wr32(R(i) + 0x14, 0);              /* WAKER: wake up */
        sw(i, ICC_PMR, 0xff);
        sw(i, ICC_IGRPEN0, 1);
        sw(i, ICC_IGRPEN1, 1);
    }
}

static void teardown(void)
{
    gicv3_destroy(gic);
    dev_test_machine_free(m);
}

/* SPI intid in group 1 at priority prio routed to cpu (Aff0) */
static void spi_config(unsigned intid, uint8_t prio, int cpu, bool edge)
{
    wr32(D + 0x80 + 4 * (intid / 32), rd32(D + 0x80 + 4 * (intid / 32)) | 1u << (intid % 32));
    mw(D + 0x400 + intid, 1, prio);
    mw(D + 0x6000 + 8 * intid, 8, (uint64_t)cpu);
    if (edge) {
        uint64_t a = D + 0xc00 + 4 * (intid / 16);
        wr32(a, rd32(a) | 2u << (2 * (intid % 16)));
    }
    wr32(D + 0x100 + 4 * (intid / 32), 1u << (intid % 32));
}

static void ppi_sgi_config(int cpu, unsigned intid, uint8_t prio, int group)
{
    uint32_t g = rd32(SGI(cpu) + 0x80);
    wr32(SGI(cpu) + 0x80, group ? (g | 1u << intid) : (g & ~(1u << intid)));
    mw(SGI(cpu) + 0x400 + intid, 1, prio);
    wr32(SGI(cpu) + 0x100, 1u << intid);
}

static void test_id_registers(void)
{
    setup();
    g_assert_cmphex(rd32(D + 0x0), ==, 0x53);                 /* ARE | DS | groups */
    g_assert_cmphex(rd32(D + 0x4) & 0x1f, ==, 288 / 32 - 1);  /* ITLinesNumber */
    g_assert_cmphex((rd32(D + 0x4) >> 19) & 0x1f, ==, 15);    /* IDbits */
    g_assert_cmphex((rd32(D + 0x4) >> 10) & 1, ==, 0);        /* SecurityExtn */
    g_assert_cmphex((rd32(D + 0xffe8) >> 4) & 0xf, ==, 3);    /* PIDR2.ArchRev */
    g_assert_cmphex((rd32(R(0) + 0xffe8) >> 4) & 0xf, ==, 3);
    uint64_t t0 = mr(R(0) + 0x8, 8), t1 = mr(R(1) + 0x8, 8);
    g_assert_cmphex(t0 & 0x10, ==, 0);                        /* not Last */
    g_assert_cmphex(t1 & 0x10, ==, 0x10);                     /* Last */
    g_assert_cmphex(t1 >> 32, ==, 1);                         /* Affinity_Value */
    g_assert_cmphex((t1 >> 8) & 0xffff, ==, 1);               /* Processor_Number */
    g_assert_cmphex(rd32(R(5) + 0x8), ==, 0);                 /* beyond the last: RAZ */
    g_assert_cmphex(sr(0, ICC_SRE_EL1), ==, 0x7);
    g_assert_cmphex(sr(0, ICC_CTLR_EL1), ==, 0x8400);         /* PRIbits 4, A3V */
    uint64_t v;
    g_assert_false(addrspace_read(&m->as, D + 0x100, 2, &v)); /* halfword: refused */
    teardown();
}

static void test_waker(void)
{
    setup();
    wr32(R(0) + 0x14, 2);                                     /* ProcessorSleep */
    g_assert_cmphex(rd32(R(0) + 0x14), ==, 6);                /* ChildrenAsleep follows */
    spi_config(40, 0x80, 0, false);
    IRQLine l = gicv3_spi_line(gic, 8);
    irq_set_level(&l, true);
    g_assert_false(irq(0));                                   /* asleep: not forwarded */
    wr32(R(0) + 0x14, 0);
    g_assert_true(irq(0));
    teardown();
}

static void test_spi_level(void)
{
    setup();
    spi_config(33, 0x80, 0, false);
    IRQLine l = gicv3_spi_line(gic, 1);
    g_assert_false(irq(0));
    irq_set_level(&l, true);
    g_assert_true(irq(0));
    g_assert_false(irq(1));
    g_assert_cmpuint(sr(0, ICC_HPPIR1), ==, 33);
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 33);
    g_assert_false(irq(0));                                   /* active */
    g_assert_cmphex(sr(0, ICC_RPR), ==, 0x80);
    g_assert_cmphex(rd32(D + 0x300 + 4), ==, 1u << 1);        /* ISACTIVER1: INTID 33 */
    wr32(D + 0x280 + 4, 1u << 1);                             /* ICPENDR: line still high */
    g_assert_cmphex(rd32(D + 0x200 + 4), ==, 1u << 1);
    sw(0, ICC_EOIR1, 33);
    g_assert_cmphex(sr(0, ICC_RPR), ==, 0xff);
    g_assert_true(irq(0));                                    /* level still high: pending again */
    irq_set_level(&l, false);
    g_assert_false(irq(0));
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 1023);
    teardown();
}

static void test_spi_edge_and_routing(void)
{
    setup();
    spi_config(34, 0x80, 1, true);                            /* to CPU 1, edge */
    IRQLine l = gicv3_spi_line(gic, 2);
    irq_set_level(&l, true);
    irq_set_level(&l, false);
    g_assert_false(irq(0));
    g_assert_true(irq(1));                                    /* latched after the pulse */
    g_assert_cmpuint(sr(1, ICC_IAR1), ==, 34);
    sw(1, ICC_EOIR1, 34);
    g_assert_false(irq(1));
    /* 1-of-N: offered to both, the first to acknowledge takes it */
    mw(D + 0x6000 + 8 * 34, 8, 1ULL << 31);
    g_assert_cmphex(mr(D + 0x6000 + 8 * 34, 8), ==, 1ULL << 31);
    irq_set_level(&l, true);
    g_assert_true(irq(0));
    g_assert_true(irq(1));
    g_assert_cmpuint(sr(1, ICC_IAR1), ==, 34);
    g_assert_false(irq(0));
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 1023);
    sw(1, ICC_EOIR1, 34);
    teardown();
}

static void test_priority_preemption(void)
{
    setup();
    ppi_sgi_config(0, 1, 0xa0, 1);
    ppi_sgi_config(0, 2, 0x40, 1);
    ppi_sgi_config(0, 3, 0xc0, 1);
    sw(0, ICC_SGI1R, (1ULL << 24) | 1);                       /* SGI 1 to CPU 0 (self) */
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 1);
    g_assert_cmphex(sr(0, ICC_AP1R0), ==, 1u << (0xa0 >> 3));
    sw(0, ICC_SGI1R, (3ULL << 24) | 1);                       /* lower priority: no preemption */
    g_assert_false(irq(0));
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 1023);
    sw(0, ICC_SGI1R, (2ULL << 24) | 1);                       /* higher priority preempts */
    g_assert_true(irq(0));
    g_assert_cmpuint(sr(0, ICC_HPPIR1), ==, 2);
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 2);
    g_assert_cmphex(sr(0, ICC_RPR), ==, 0x40);
    sw(0, ICC_EOIR1, 2);
    g_assert_cmphex(sr(0, ICC_RPR), ==, 0xa0);
    g_assert_false(irq(0));                                   /* SGI 3 (0xc0) still blocked */
    sw(0, ICC_EOIR1, 1);
    g_assert_true(irq(0));
    /* priority mask: must be strictly higher than PMR */
    sw(0, ICC_PMR, 0xc0);
    g_assert_false(irq(0));
    sw(0, ICC_PMR, 0xc8);
    g_assert_true(irq(0));
    g_assert_cmphex(sr(0, ICC_PMR), ==, 0xc8);
    /* binary point: with BPR1 = 7 (group priority 0), nothing preempts */
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 3);
    sw(0, ICC_BPR1, 0);
    g_assert_cmpuint(sr(0, ICC_BPR1), ==, 3);                 /* minimum */
    teardown();
}

static void test_eoimode(void)
{
    setup();
    ppi_sgi_config(0, 5, 0x80, 1);
    sw(0, ICC_CTLR_EL1, 2);                                   /* EOImode: split */
    g_assert_cmphex(sr(0, ICC_CTLR_EL1) & 2, ==, 2);
    sw(0, ICC_SGI1R, (5ULL << 24) | 1);
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 5);
    sw(0, ICC_EOIR1, 5);                                      /* priority drop only */
    g_assert_cmphex(sr(0, ICC_RPR), ==, 0xff);
    g_assert_cmphex(rd32(SGI(0) + 0x300), ==, 1u << 5);       /* still active */
    sw(0, ICC_SGI1R, (5ULL << 24) | 1);                       /* pending while active */
    g_assert_false(irq(0));
    sw(0, ICC_DIR, 5);
    g_assert_cmphex(rd32(SGI(0) + 0x300), ==, 0);
    g_assert_true(irq(0));
    /* ICC_CTLR_EL3 sees the same EOImode as EOImode_EL1NS */
    m->cpus[0]->el = 3;
    g_assert_cmphex(sr(0, ICC_CTLR_EL3) & 0x18, ==, 0x18);
    teardown();
}

static void test_sgi_targets_and_groups(void)
{
    setup();
    ppi_sgi_config(1, 3, 0x80, 1);
    ppi_sgi_config(1, 4, 0x80, 0);                            /* Group 0 on CPU 1 */
    sw(0, ICC_SGI1R, (3ULL << 24) | 2);                       /* target list: Aff0 = 1 */
    g_assert_true(irq(1));
    g_assert_false(irq(0));
    g_assert_cmpuint(sr(1, ICC_IAR1), ==, 3);
    sw(1, ICC_EOIR1, 3);
    sw(0, ICC_SGI1R, (4ULL << 24) | 2);                       /* Group 1 request, Group 0 SGI */
    g_assert_false(irq(1));
    g_assert_false(fiq(1));
    sw(0, ICC_SGI0R, (4ULL << 24) | (1ULL << 40));            /* IRM: everyone but me */
    g_assert_true(fiq(1));
    g_assert_false(irq(1));
    g_assert_cmpuint(sr(1, ICC_IAR1), ==, 1023);              /* wrong group */
    g_assert_cmpuint(sr(1, ICC_IAR0), ==, 4);
    sw(1, ICC_EOIR0, 4);
    g_assert_false(fiq(1));
    sw(0, ICC_SGI1R, (3ULL << 24) | (1ULL << 16) | 2);        /* Aff1 = 1: nobody */
    g_assert_false(irq(1));
    teardown();
}

static void test_access_rules(void)
{
    setup();
    m->cpus[0]->el = 0;
    g_assert_cmpuint(sr_fails(0, ICC_IAR1), ==, 0);           /* EL0: UNDEFINED */
    m->cpus[0]->el = 1;
    g_assert_cmpuint(sr_fails(0, ICC_EOIR1), ==, 0);          /* write-only */
    g_assert_cmpuint(sw_fails(0, ICC_IAR1, 0), ==, 0);        /* read-only */
    g_assert_cmpuint(sr_fails(0, ICC_AP0R1), ==, 0);          /* not implemented (5 bits) */
    g_assert_cmpuint(sr_fails(0, ICC_SRE_EL2), ==, 0);        /* EL2 register at EL1 */
    m->cpus[0]->sr.HCR_EL2 = 1ULL << 4;                       /* IMO */
    g_assert_cmpuint(sw_fails(0, ICC_SGI1R, 0), ==, 2);       /* traps to EL2 */
    m->cpus[0]->sr.HCR_EL2 = 0;
    m->cpus[0]->sr.SCR_EL3 |= 1u << 1;                        /* SCR_EL3.IRQ */
    g_assert_cmpuint(sr_fails(0, ICC_IAR1), ==, 3);
    g_assert_cmpuint(sr(0, ICC_IAR0), ==, 1023);              /* Group 0 not affected */
    m->cpus[0]->el = 2;
    g_assert_cmphex(sr(0, ICC_SRE_EL2), ==, 0xf);
    g_assert_true(gicv3_sysreg_owns(ICC_DIR));
    g_assert_false(gicv3_sysreg_owns(MMU_SYSREG_ENC(3, 0, 1, 0, 0)));
    teardown();
}

static bool virq(int cpu) { return m->cpus[cpu]->irq_lines & CPU_LINE_VIRQ; }
static bool vfiq(int cpu) { return m->cpus[cpu]->irq_lines & CPU_LINE_VFIQ; }
static void at_el2(void) { m->cpus[0]->el = 2; }
/* EL1 guest with physical IRQ/FIQ routed to EL2: ICC_* are the ICV_* */
static void at_el1_guest(void)
{
    m->cpus[0]->el = 1;
    m->cpus[0]->sr.HCR_EL2 = (1ULL << 3) | (1ULL << 4) | (1ULL << 31);
}

static void test_virt_registers(void)
{
    setup();
    g_assert_cmpuint(sr_fails(0, ICH_VTR), ==, 0);            /* EL1: UNDEFINED */
    at_el2();
    uint64_t vtr = sr(0, ICH_VTR);
    g_assert_cmpuint(vtr & 0x1f, ==, 3);                      /* 4 list registers */
    g_assert_cmpuint(vtr >> 29, ==, 4);                       /* PRIbits */
    g_assert_cmpuint((vtr >> 26) & 7, ==, 4);                 /* PREbits */
    g_assert_cmpuint(sw_fails(0, ICH_VTR, 0), ==, 0);
    g_assert_cmpuint(sr_fails(0, ICH_LR(4)), ==, 0);          /* only 4 */
    g_assert_cmpuint(sr_fails(0, ICH_AP1R1), ==, 0);
    g_assert_cmphex(sr(0, ICH_ELRSR), ==, 0xf);               /* all empty */
    sw(0, ICH_VMCR, 0);
    g_assert_cmphex(sr(0, ICH_VMCR), ==, (3u << 18) | (2u << 21) | 8);   /* BPR minima, VFIQEn */
    g_assert_true(gicv3_sysreg_owns(ICH_LR(15)));
    /* FEAT_NV: EL1 accesses to ICH_* and ICC_SRE_EL2 trap to EL2 */
    m->cpus[0]->el = 1;
    m->cpus[0]->sr.HCR_EL2 = 1ULL << 42;
    g_assert_cmpuint(sr_fails(0, ICH_VTR), ==, 2);
    g_assert_cmpuint(sw_fails(0, ICH_LR(0), 0), ==, 2);
    g_assert_cmpuint(sr_fails(0, ICC_SRE_EL2), ==, 2);
    g_assert_cmpuint(sr_fails(0, ICC_CTLR_EL3), ==, 0);
    teardown();
}

static void test_virt_injection(void)
{
    setup();
    at_el2();
    sw(0, ICH_VMCR, (0xf8ULL << 24) | 2);                     /* VPMR 0xf8, VENG1 */
    sw(0, ICH_LR(0), LR(1, 0, 1, 0x80, 0, 40));
    g_assert_false(virq(0));                                  /* ICH_HCR.En = 0 */
    sw(0, ICH_HCR, 1);
    g_assert_true(virq(0));
    g_assert_false(irq(0));                                   /* nothing physical */
    at_el1_guest();
    g_assert_cmpuint(sr(0, ICC_HPPIR1), ==, 40);
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 40);                /* ICV_IAR1_EL1 */
    g_assert_false(virq(0));
    g_assert_cmphex(sr(0, ICC_RPR), ==, 0x80);
    at_el2();
    g_assert_cmphex(sr(0, ICH_LR(0)) >> 62, ==, 2);            /* active */
    g_assert_cmphex(sr(0, ICH_AP1R0), ==, 1u << (0x80 >> 3));
    at_el1_guest();
    sw(0, ICC_EOIR1, 40);
    at_el2();
    g_assert_cmphex(sr(0, ICH_LR(0)) >> 62, ==, 0);
    g_assert_cmphex(sr(0, ICH_AP1R0), ==, 0);
    /* Group 0 list register: virtual FIQ */
    sw(0, ICH_VMCR, (0xf8ULL << 24) | 3);
    sw(0, ICH_LR(1), LR(1, 0, 0, 0x40, 0, 41));
    g_assert_true(vfiq(0));
    at_el1_guest();
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 1023);              /* wrong group */
    g_assert_cmpuint(sr(0, ICC_IAR0), ==, 41);
    sw(0, ICC_EOIR0, 41);
    g_assert_false(vfiq(0));
    /* priority mask */
    sw(0, ICC_PMR, 0x40);
    at_el2();
    sw(0, ICH_LR(2), LR(1, 0, 1, 0x40, 0, 42));
    g_assert_false(virq(0));
    at_el1_guest();
    sw(0, ICC_PMR, 0x48);
    g_assert_true(virq(0));
    teardown();
}

static void test_virt_hw_and_maintenance(void)
{
    setup();
    spi_config(33, 0x80, 0, false);
    IRQLine l = gicv3_spi_line(gic, 1);
    irq_set_level(&l, true);
    at_el2();
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 33);                /* the host takes the physical SPI */
    sw(0, ICC_CTLR_EL1, 2);                                   /* EOImode 1: leave it active */
    sw(0, ICC_EOIR1, 33);
    g_assert_cmphex(rd32(D + 0x304), ==, 1u << 1);            /* still active */
    sw(0, ICH_VMCR, (0xf8ULL << 24) | 2);
    sw(0, ICH_HCR, 1);
    sw(0, ICH_LR(0), LR(1, 1, 1, 0x80, 33, 50));             /* HW: vINTID 50 -> pINTID 33 */
    at_el1_guest();
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 50);
    irq_set_level(&l, false);
    sw(0, ICC_EOIR1, 50);                                     /* deactivates the physical SPI */
    g_assert_cmphex(rd32(D + 0x304), ==, 0);
    /* EOI maintenance: HW = 0 with the EOI bit */
    ppi_sgi_config(0, 25, 0x10, 1);                           /* maintenance PPI */
    at_el2();
    sw(0, ICH_LR(1), LR(1, 0, 1, 0x80, 0, 51) | (1ULL << 41));
    at_el1_guest();
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 51);
    sw(0, ICC_EOIR1, 51);
    at_el2();
    g_assert_cmphex(sr(0, ICH_EISR), ==, 2);
    g_assert_cmphex(sr(0, ICH_ELRSR) & 2, ==, 0);             /* not empty until EOI cleared */
    g_assert_cmphex(sr(0, ICH_MISR) & 1, ==, 1);
    g_assert_cmphex(rd32(SGI(0) + 0x200) & (1u << 25), ==, 1u << 25);   /* PPI 25 pending */
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 25);
    sw(0, ICH_LR(1), 0);
    g_assert_cmphex(sr(0, ICH_MISR), ==, 0);
    sw(0, ICC_EOIR1, 25);
    sw(0, ICC_DIR, 25);
    g_assert_cmphex(rd32(SGI(0) + 0x200) & (1u << 25), ==, 0);
    /* underflow and LRENP */
    sw(0, ICH_HCR, 1 | 2);                                    /* UIE */
    g_assert_cmphex(sr(0, ICH_MISR) & 2, ==, 2);
    sw(0, ICH_HCR, 1 | 4);                                    /* LRENPIE */
    at_el1_guest();
    sw(0, ICC_EOIR1, 60);                                     /* no LR holds 60 */
    at_el2();
    g_assert_cmphex(sr(0, ICH_HCR) >> 27, ==, 1);             /* EOIcount */
    g_assert_cmphex(sr(0, ICH_MISR) & 4, ==, 4);
    teardown();
}

static void test_virt_eoimode_and_traps(void)
{
    setup();
    at_el2();
    sw(0, ICH_VMCR, (0xf8ULL << 24) | 2 | (1u << 9));         /* VEOIM */
    sw(0, ICH_HCR, 1);
    sw(0, ICH_LR(0), LR(1, 0, 1, 0x80, 0, 70));
    at_el1_guest();
    g_assert_cmphex(sr(0, ICC_CTLR_EL1) & 2, ==, 2);
    g_assert_cmpuint(sr(0, ICC_IAR1), ==, 70);
    sw(0, ICC_EOIR1, 70);
    g_assert_cmphex(sr(0, ICC_RPR), ==, 0xff);
    at_el2();
    g_assert_cmphex(sr(0, ICH_LR(0)) >> 62, ==, 2);            /* still active */
    at_el1_guest();
    sw(0, ICC_DIR, 70);
    at_el2();
    g_assert_cmphex(sr(0, ICH_LR(0)) >> 62, ==, 0);
    sw(0, ICH_HCR, 1 | (1u << 12));                           /* TALL1 */
    at_el1_guest();
    g_assert_cmpuint(sr_fails(0, ICC_IAR1), ==, 2);
    sr(0, ICC_IAR0);
    at_el2();
    sw(0, ICH_HCR, 1 | (1u << 14));                           /* TDIR */
    at_el1_guest();
    g_assert_cmpuint(sw_fails(0, ICC_DIR, 1), ==, 2);
    at_el2();
    sw(0, ICH_HCR, 1 | (1u << 10));                           /* TC */
    at_el1_guest();
    g_assert_cmpuint(sr_fails(0, ICC_PMR), ==, 2);
    g_assert_cmpuint(sw_fails(0, ICC_SGI0R, 0), ==, 2);
    sr(0, ICC_IAR1);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gicv3/id-registers", test_id_registers);
    g_test_add_func("/gicv3/waker", test_waker);
    g_test_add_func("/gicv3/spi-level", test_spi_level);
    g_test_add_func("/gicv3/spi-edge-routing", test_spi_edge_and_routing);
    g_test_add_func("/gicv3/priority-preemption", test_priority_preemption);
    g_test_add_func("/gicv3/eoimode", test_eoimode);
    g_test_add_func("/gicv3/sgi-targets-groups", test_sgi_targets_and_groups);
    g_test_add_func("/gicv3/access-rules", test_access_rules);
    g_test_add_func("/gicv3/virt-registers", test_virt_registers);
    g_test_add_func("/gicv3/virt-injection", test_virt_injection);
    g_test_add_func("/gicv3/virt-hw-maintenance", test_virt_hw_and_maintenance);
    g_test_add_func("/gicv3/virt-eoimode-traps", test_virt_eoimode_and_traps);
    return g_test_run();
}
