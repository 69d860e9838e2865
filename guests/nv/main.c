/*
 * Nested virtualization (FEAT_NV, FEAT_NV2; Arm ARM D8.14): an L0 hypervisor
 * at EL2 runs an L1 "guest hypervisor" at EL1 with HCR_EL2.NV set and checks
 * what L1 sees: CurrentEL = EL2, EC 0x18 traps with the exact ISS for EL2,
 * _EL12 and device (timer, GIC) registers, SP_EL1, EL2 TLBI/AT, EC 0x1A for
 * ERET (L0 emulates the ERET, as a host hypervisor does), SPSR_EL1.M = EL2h
 * for L1's own exceptions, the NV1 and HCR_EL2.AT traps; with NV2: MSR/MRS
 * of the Table D8-120 registers become accesses to the VNCR_EL2 page at
 * their offsets (L0 reads the page back), ELR/ESR_EL2 reach the EL1
 * registers, the other EL2 registers still trap, and a VNCR access to
 * nothing is a Data Abort to EL2 with EC 0x25 and ISS.VNCR.
 *
 * QEMU 7.2 does not implement FEAT_NV (ID_AA64MMFR2_EL1.NV = 0): the guest
 * fails there (manifest: qemu:xfail).
 */
#include "guest.h"

#define HCR_RW  (1ul << 31)
#define HCR_NV  (1ul << 42)
#define HCR_NV1 (1ul << 43)
#define HCR_AT  (1ul << 44)
#define HCR_NV2 (1ul << 45)

#define ESR_IL (1u << 25)
/* ESR_EL2 of a trapped MRS (read = 1) / MSR: EC 0x18, ISS = Op0 Op2 Op1 CRn Rt CRm Direction. */
#define SYSREG_ESR(op0, op1, crn, crm, op2, rt, rd) \
    ((0x18u << 26) | ESR_IL | ((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | \
     ((rt) << 5) | ((crm) << 1) | (rd))

#define PAGE_HOLE 0x0c000000ul   /* nothing mapped on the virt board between virtio-mmio and 0x0e000000 */

static uint64_t vncr_page[512] __attribute__((aligned(4096)));
static uint64_t l1_stack[1024] __attribute__((aligned(16)));

/* What L0 saw of the last trap from L1. */
static volatile unsigned traps;
static volatile uint64_t trap_esr, trap_elr, trap_far;
/* What L1's own EL1 handler saw. */
static volatile unsigned l1_exc;
static volatile uint64_t l1_spsr;

static uint64_t insn_addr;   /* address of the instruction under test (set by L1) */

#define L1_MRS(reg) ({ uint64_t __v; __asm__ volatile("adr x9, 1f\n\tstr x9, [%1]\n\tmov x5, #0\n1:\tmrs x5, " #reg \
    "\n\tmov %0, x5" : "=r"(__v) : "r"(&insn_addr) : "x5", "x9", "memory"); __v; })
#define L1_MSR(reg, val) __asm__ volatile("adr x9, 1f\n\tstr x9, [%1]\n\tmov x6, %0\n1:\tmsr " #reg ", x6" \
    : : "r"((uint64_t)(val)), "r"(&insn_addr) : "x6", "x9", "memory")
#define L1_SYS(insn) __asm__ volatile("adr x9, 1f\n\tstr x9, [%0]\n\tmov x7, #0\n1:\t" insn ", x7" \
    : : "r"(&insn_addr) : "x7", "x9", "memory")

/* The access traps to L0 with EC 0x18 and the ISS of (op0, op1, CRn, CRm, op2) and its Rt/direction. */
#define TRAP_MRS(what, reg, ...) do { L1_MRS(reg); check_trap(what, SYSREG_ESR(__VA_ARGS__, 5, 1)); } while (0)
#define TRAP_MSR(what, reg, ...) do { L1_MSR(reg, 0); check_trap(what, SYSREG_ESR(__VA_ARGS__, 6, 0)); } while (0)
#define TRAP_SYS(what, insn, ...) do { L1_SYS(insn); check_trap(what, SYSREG_ESR(__VA_ARGS__, 7, 0)); } while (0)
#define TLBI_ALLE2 "sys #4, c8, c7, #0"

static bool l0_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if ((kind & 3) != EXC_SYNC) {
        return false;
    }
    unsigned ec = esr_ec(f->esr);
    traps++;
    trap_esr = f->esr;
    trap_elr = f->elr;
    trap_far = f->far;
    if (ec == 0x1a) {
        /* Emulate L1's ERET: to ELR_EL1 with SPSR_EL1, its "EL2" being EL1. */
        uint64_t spsr = read_sysreg(spsr_el1);
        if ((spsr & 0xc) == 0x8) {
            spsr = (spsr & ~0xcul) | 0x4;
        }
        f->elr = read_sysreg(elr_el1);
        f->spsr = spsr;
        return true;
    }
    if (ec == 0x18 || ec == 0x25) {
        f->elr += 4;
        return true;
    }
    return false;
}

static bool l1_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    l1_exc++;
    l1_spsr = f->spsr;
    return (kind & 3) == EXC_SYNC && esr_ec(f->esr) == 0x15;   /* SVC: ELR is already the next instruction */
}

static uint64_t run_l1(uint64_t (*fn)(uint64_t), uint64_t hcr)
{
    write_sysreg(HCR_RW | hcr, HCR_EL2);
    isb();
    traps = 0;
    l1_exc = 0;
    uint64_t r = el_call_lower(fn, 0, SPSR_EL1h | SPSR_DAIF, (uint64_t)(uintptr_t)&l1_stack[1024]);
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
    return r;
}

/* One trapped access: exactly one trap to L0 with this ESR at the instruction. */
static void check_trap(const char *what, uint64_t esr)
{
    report(traps == 1 && trap_esr == esr && trap_elr == insn_addr, "%s: trap to EL2, ESR 0x%lx (want 0x%lx), ELR %s",
           what, trap_esr, esr, trap_elr == insn_addr ? "ok" : "wrong");
    traps = 0;
}

/* ---------------- FEAT_NV (NV2 = 0) ---------------- */

static uint64_t r_currentel, r_hcr;

static uint64_t l1_nv_basic(uint64_t arg)
{
    r_currentel = L1_MRS(CurrentEL);
    if (traps) {
        return 1;
    }
    r_hcr = L1_MRS(hcr_el2);
    check_trap("MRS HCR_EL2", SYSREG_ESR(3, 4, 1, 1, 0, 5, 1));
    TRAP_MSR("MSR VTCR_EL2", vtcr_el2, 3, 4, 2, 1, 2);
    TRAP_MRS("MRS VTTBR_EL2", vttbr_el2, 3, 4, 2, 1, 0);
    TRAP_MRS("MRS ELR_EL2", elr_el2, 3, 4, 4, 0, 1);
    TRAP_MSR("MSR SPSR_EL2", spsr_el2, 3, 4, 4, 0, 0);
    TRAP_MRS("MRS ESR_EL2", esr_el2, 3, 4, 5, 2, 0);
    TRAP_MSR("MSR VBAR_EL2", vbar_el2, 3, 4, 12, 0, 0);
    TRAP_MRS("MRS SCTLR_EL12", s3_5_c1_c0_0, 3, 5, 1, 0, 0);
    TRAP_MSR("MSR ELR_EL12", s3_5_c4_c0_1, 3, 5, 4, 0, 1);
    TRAP_MSR("MSR SP_EL1", sp_el1, 3, 4, 4, 1, 0);
    TRAP_MRS("MRS CNTHCTL_EL2 (timer)", cnthctl_el2, 3, 4, 14, 1, 0);
    TRAP_MRS("MRS CNTV_CTL_EL02 (timer)", s3_5_c14_c3_1, 3, 5, 14, 3, 1);
    TRAP_MRS("MRS ICH_HCR_EL2 (GIC)", ich_hcr_el2, 3, 4, 12, 11, 0);
    TRAP_SYS("TLBI ALLE2", TLBI_ALLE2, 1, 4, 8, 7, 0);
    TRAP_SYS("AT S1E2R", "at s1e2r", 1, 4, 7, 8, 0);
    /* EL1 registers are L1's own: no trap with NV1 = 0. */
    uint64_t v = L1_MRS(vbar_el1);
    L1_MSR(vbar_el1, v);
    report(traps == 0, "VBAR_EL1 at EL1 with {NV,NV1} = {1,0}: not trapped");
    /* AT S1E1R without HCR_EL2.AT: executes. */
    L1_SYS("at s1e1r");
    report(traps == 0, "AT S1E1R without HCR_EL2.AT: not trapped");

    /* ERET: trapped (EC 0x1A, ISS 0); L0 emulates it back to "vEL2" at the label. */
    uint64_t resumed;
    __asm__ volatile("adr x9, 1f\n\tmsr elr_el1, x9\n\tmov x9, #0x3c9\n\tmsr spsr_el1, x9\n\t"
                     "adr x9, 2f\n\tstr x9, [%1]\n"
                     "2:\teret\n1:\tmov %0, #1" : "=r"(resumed) : "r"(&insn_addr) : "x9", "memory");
    report(resumed == 1 && traps == 1 && trap_esr == ((0x1au << 26) | ESR_IL) && trap_elr == insn_addr,
           "ERET at EL1: EC 0x1A ISS 0 to EL2 (ESR 0x%lx), emulated by L0", trap_esr);
    traps = 0;

    /* L1's own SVC is taken to EL1 with SPSR_EL1.M = EL2h; its handler's ERET goes through L0. */
    __asm__ volatile("svc #1" ::: "memory");
    report(l1_exc == 1 && (l1_spsr & 0xf) == 0x9, "SVC at EL1 with {NV,NV1} = {1,0}: SPSR_EL1.M = 0x%lx (EL2h)",
           l1_spsr & 0xf);
    report(traps == 1 && esr_ec(trap_esr) == 0x1a, "L1's exception return trapped to L0 (EC 0x%x)", esr_ec(trap_esr));
    traps = 0;
    return 0;
}

static uint64_t l1_nv_at(uint64_t arg)
{
    TRAP_SYS("AT S1E1R with HCR_EL2.AT", "at s1e1r", 1, 0, 7, 8, 0);
    TRAP_SYS("AT S1E0W with HCR_EL2.AT", "at s1e0w", 1, 0, 7, 8, 3);
    return 0;
}

static uint64_t l1_nv1(uint64_t arg)
{
    /* {NV,NV1} = {1,1} without NV2: VBAR_EL1, ELR_EL1, SPSR_EL1 trap; SCTLR_EL1 does not. */
    TRAP_MRS("NV1: MRS VBAR_EL1", vbar_el1, 3, 0, 12, 0, 0);
    TRAP_MSR("NV1: MSR ELR_EL1", elr_el1, 3, 0, 4, 0, 1);
    TRAP_MRS("NV1: MRS SPSR_EL1", spsr_el1, 3, 0, 4, 0, 0);
    L1_MRS(sctlr_el1);
    report(traps == 0, "NV1: SCTLR_EL1 not trapped");
    return 0;
}

/* ---------------- FEAT_NV2 ---------------- */

static uint64_t r_vttbr, r_vncr, r_esr2, r_hcr2;

static uint64_t l1_nv2_vhe(uint64_t arg)
{
    /* {NV,NV1,NV2} = {1,0,1}: a VHE guest hypervisor. No traps for these. */
    L1_MSR(vtcr_el2, 0x80023559ul);
    L1_MSR(hcr_el2, 0x8000000080000001ul);
    L1_MSR(tpidr_el2, 0x7e7e);
    L1_MSR(vmpidr_el2, 0x80000003ul);
    L1_MSR(s3_5_c1_c0_0, 0x30d01805ul);
    L1_MSR(s3_5_c4_c0_1, 0xffff000012345678ul);
    L1_MSR(s3_5_c4_c0_0, 0x3c5);
    L1_MSR(s3_5_c12_c0_0, 0xffff000000010800ul);
    L1_MSR(s3_5_c2_c0_0, 0x0001000040100000ul);
    L1_MSR(sp_el1, 0x40123450);
    L1_MSR(mdscr_el1, 0x8000);
    r_vttbr = L1_MRS(vttbr_el2);
    r_vncr = L1_MRS(s3_4_c2_c2_0);
    r_hcr2 = L1_MRS(hcr_el2);
    if (traps) {
        return traps;
    }
    /* Redirected to the EL1 registers. */
    L1_MSR(elr_el2, 0x4444);
    L1_MSR(esr_el1, 0x96000045ul);
    r_esr2 = L1_MRS(esr_el2);
    if (traps) {
        return 100 + traps;
    }
    /* Not transformed: still trapped. */
    TRAP_MRS("NV2: MRS SCTLR_EL2", sctlr_el2, 3, 4, 1, 0, 0);
    TRAP_MSR("NV2: MSR TCR_EL2", tcr_el2, 3, 4, 2, 0, 2);
    TRAP_MRS("NV2: MRS CNTHCTL_EL2", cnthctl_el2, 3, 4, 14, 1, 0);
    TRAP_SYS("NV2: TLBI ALLE2", TLBI_ALLE2, 1, 4, 8, 7, 0);
    return 0;
}

static uint64_t l1_nv2_nvhe(uint64_t arg)
{
    /* {NV,NV1,NV2} = {1,1,1}: a non-VHE guest hypervisor; EL1 names are its guest's context. */
    L1_MSR(sctlr_el1, 0x30d00981ul);
    L1_MSR(vbar_el1, 0x40000800ul);
    L1_MSR(elr_el1, 0x40000804ul);
    L1_MSR(tcr_el1, 0x25b5103510ul);
    L1_MSR(cpacr_el1, 0x300000ul);
    return traps;
}

static uint64_t l1_nv2_fault(uint64_t arg)
{
    L1_MSR(vtcr_el2, 1);
    L1_MRS(hcr_el2);
    return 0;
}

static void test_nv2(void)
{
    write_sysreg((uint64_t)(uintptr_t)vncr_page, s3_4_c2_c2_0);
    write_sysreg(0x1234ul, ESR_EL1);
    uint64_t real_sctlr1 = read_sysreg(sctlr_el1), real_tcr1 = read_sysreg(tcr_el1);
    for (int i = 0; i < 512; i++) {
        vncr_page[i] = 0;
    }
    vncr_page[0x20 / 8] = 0x0005000040200000ul;   /* VTTBR_EL2 as L1 will read it */
    vncr_page[0xB0 / 8] = 0xfeed000;              /* L1's own VNCR_EL2 */
    uint64_t r = run_l1(l1_nv2_vhe, HCR_NV | HCR_NV2);
    report(r == 0, "NV2 {1,0,1}: transformed and redirected accesses do not trap (status %lu, last ESR 0x%lx)", r, trap_esr);
    static const struct { unsigned off; uint64_t v; const char *name; } st[] = {
        { 0x040, 0x80023559ul, "VTCR_EL2" }, { 0x078, 0x8000000080000001ul, "HCR_EL2" },
        { 0x090, 0x7e7e, "TPIDR_EL2" }, { 0x050, 0x80000003ul, "VMPIDR_EL2" },
        { 0x110, 0x30d01805ul, "SCTLR_EL12" }, { 0x230, 0xffff000012345678ul, "ELR_EL12" },
        { 0x160, 0x3c5, "SPSR_EL12" }, { 0x250, 0xffff000000010800ul, "VBAR_EL12" },
        { 0x200, 0x0001000040100000ul, "TTBR0_EL12" }, { 0x240, 0x40123450, "SP_EL1" },
        { 0x158, 0x8000, "MDSCR_EL1" },
    };
    for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
        report(vncr_page[st[i].off / 8] == st[i].v, "NV2: MSR %s stored at VNCR page + 0x%x (0x%lx)", st[i].name,
               st[i].off, vncr_page[st[i].off / 8]);
    }
    report(r_vttbr == 0x0005000040200000ul, "NV2: MRS VTTBR_EL2 loads VNCR page + 0x20 (0x%lx)", r_vttbr);
    report(r_vncr == 0xfeed000, "NV2: MRS VNCR_EL2 loads VNCR page + 0xB0 (0x%lx)", r_vncr);
    report(r_hcr2 == 0x8000000080000001ul, "NV2: MRS HCR_EL2 loads what MSR stored (0x%lx)", r_hcr2);
    report(read_sysreg(elr_el1) == 0x4444, "NV2: MSR ELR_EL2 reaches ELR_EL1 (0x%lx)", read_sysreg(elr_el1));
    report(r_esr2 == 0x96000045ul, "NV2: MRS ESR_EL2 reads ESR_EL1 (0x%lx)", r_esr2);
    report(read_sysreg(s3_4_c2_c2_0) == (uint64_t)(uintptr_t)vncr_page, "NV2: the real VNCR_EL2 is unchanged");
    report((read_sysreg(HCR_EL2) & ~(HCR_NV | HCR_NV2)) == HCR_RW, "NV2: the real HCR_EL2 is unchanged");

    r = run_l1(l1_nv2_nvhe, HCR_NV | HCR_NV1 | HCR_NV2);
    report(r == 0, "NV2 {1,1,1}: EL1 register accesses do not trap (%lu)", r);
    report(vncr_page[0x110 / 8] == 0x30d00981ul && vncr_page[0x250 / 8] == 0x40000800ul &&
           vncr_page[0x230 / 8] == 0x40000804ul && vncr_page[0x120 / 8] == 0x25b5103510ul &&
           vncr_page[0x100 / 8] == 0x300000ul,
           "NV2 {1,1,1}: SCTLR/VBAR/ELR/TCR/CPACR_EL1 stored at 0x110/0x250/0x230/0x120/0x100");
    report(read_sysreg(sctlr_el1) == real_sctlr1 && read_sysreg(tcr_el1) == real_tcr1,
           "NV2 {1,1,1}: the real SCTLR_EL1 and TCR_EL1 are unchanged");

    /* A VNCR page with nothing behind it: Data Abort to EL2, EC 0x25, ISS.VNCR (bit 13), WnR, DFSC. */
    write_sysreg(PAGE_HOLE, s3_4_c2_c2_0);
    run_l1(l1_nv2_fault, HCR_NV | HCR_NV2);
    report(traps == 2, "NV2 faults: both accesses aborted (%u)", traps);
    report(trap_esr == ((0x25u << 26) | ESR_IL | (1u << 13) | 0x10) && trap_far == PAGE_HOLE + 0x78,
           "NV2 read fault: ESR_EL2 0x%lx (EC 0x25, VNCR, external abort), FAR_EL2 0x%lx", trap_esr, trap_far);
    write_sysreg((uint64_t)(uintptr_t)vncr_page, s3_4_c2_c2_0);
}

/* ---------------- NV1: the EL1&0 descriptor format (D8.14.3) ---------------- */

static uint64_t s1_l1[512] __attribute__((aligned(4096)));

static uint64_t at_s1e0r(uint64_t va)
{
    __asm__ volatile("at s1e0r, %0\n\tisb" : : "r"(va) : "memory");
    return read_sysreg(par_el1);
}

static void flush_el1_tlb(void)
{
    __asm__ volatile("dsb ishst\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
}

/*
 * From EL2, AT S1E0R of an EL1&0 block with AP[1] = 1 (EL0 read/write): EL0
 * may read it normally; with HCR_EL2.{NV,NV1} = {1,1} AP[1] is treated as 0,
 * so the EL0 access faults (PAR_EL1.F = 1, Permission fault level 1). The
 * TLB may cache NV/NV1, hence the TLBI between the two (D8.14).
 */
static void test_nv1_descriptors(void)
{
    uint64_t sctlr = read_sysreg(sctlr_el1);
    s1_l1[1] = 0x40000000ul | (1ul << 10) | (1ul << 6) | 0x1;   /* 1 GiB block, AF, AP = EL0 RW, MAIR 0 */
    write_sysreg(0xfful, mair_el1);
    write_sysreg(25ul | (1ul << 23), tcr_el1);                  /* T0SZ 25 (4K, start level 1), EPD1 */
    write_sysreg((uint64_t)(uintptr_t)s1_l1, ttbr0_el1);
    write_sysreg(HCR_RW, HCR_EL2);
    isb();
    write_sysreg(sctlr | 1, sctlr_el1);
    isb();
    flush_el1_tlb();
    uint64_t par0 = at_s1e0r(0x40001000ul);
    write_sysreg(HCR_RW | HCR_NV | HCR_NV1, HCR_EL2);
    flush_el1_tlb();
    uint64_t par1 = at_s1e0r(0x40001000ul);
    write_sysreg(HCR_RW | HCR_NV, HCR_EL2);
    flush_el1_tlb();
    uint64_t par2 = at_s1e0r(0x40001000ul);
    write_sysreg(HCR_RW, HCR_EL2);
    write_sysreg(sctlr, sctlr_el1);
    isb();
    flush_el1_tlb();
    report(!(par0 & 1) && (par0 & 0xfffffff000ul) == 0x40001000ul, "AT S1E0R, AP[1] = 1 block: EL0 readable (PAR 0x%lx)", par0);
    report((par1 & 1) && ((par1 >> 1) & 0x3f) == 0x0d, "AT S1E0R with {NV,NV1} = {1,1}: AP[1] treated as 0, Permission fault level 1 (PAR 0x%lx)", par1);
    report(!(par2 & 1), "AT S1E0R with {NV,NV1} = {1,0}: EL0 readable again (PAR 0x%lx)", par2);
}

void guest_run(void)
{
    if (current_el() != 2) {
        report(false, "not entered at EL2");
        return;
    }
    unsigned nv = (read_sysreg(id_aa64mmfr2_el1) >> 24) & 0xf;
    report(nv >= 1, "ID_AA64MMFR2_EL1.NV = %u (FEAT_NV)", nv);
    if (nv == 0) {
        return;
    }
    exc_set_handler(2, l0_handler);
    exc_set_handler(1, l1_handler);
    write_sysreg(0, VTCR_EL2);
    write_sysreg(HCR_RW | HCR_NV | HCR_NV1 | HCR_AT, HCR_EL2);
    isb();
    report((read_sysreg(HCR_EL2) & (HCR_NV | HCR_NV1 | HCR_AT)) == (HCR_NV | HCR_NV1 | HCR_AT),
           "HCR_EL2.{NV,NV1,AT} read back");

    run_l1(l1_nv_basic, HCR_NV);
    report(r_currentel == (2 << 2), "CurrentEL at EL1 with HCR_EL2.NV reads EL2 (0x%lx)", r_currentel);
    run_l1(l1_nv_at, HCR_NV | HCR_AT);
    run_l1(l1_nv1, HCR_NV | HCR_NV1);
    test_nv1_descriptors();

    if (nv >= 2) {
        test_nv2();
    } else {
        report(true, "FEAT_NV2 not advertised (NV = 1): VNCR checks skipped");
    }
    exc_set_handler(1, NULL);
    exc_set_handler(2, NULL);
}
