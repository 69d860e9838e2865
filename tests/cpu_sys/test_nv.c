/*
 * FEAT_NV / FEAT_NV2 unit tests (cpu/nv.c, cpu/nv_table.c and their hooks in
 * cpu/sysreg.c, cpu/exception.c, cpu/trans_sys.c). Linked into test_cpu_sys
 * (its stand-ins: mmu_translate maps VA = PA); the address-space stand-ins
 * below give a small RAM at NV_RAM_PA so NVMem accesses can be read back.
 */
#include <glib.h>
#include <string.h>

#include "core/addrspace.h"
#include "core/machine.h"
#include "cpu/exception.h"
#include "cpu/features.h"
#include "cpu/nv.h"
#include "cpu/regime.h"
#include "cpu/sysreg.h"
#include "decode-a64.h"

#define NV_RAM_PA 0x40100000ULL
static uint8_t nv_ram[0x2000];

bool addrspace_read(AddrSpace *as, uint64_t pa, unsigned size, uint64_t *value)
{
    (void)as;
    if (pa < NV_RAM_PA || pa + size > NV_RAM_PA + sizeof(nv_ram)) {
        return false;
    }
    *value = 0;
    memcpy(value, nv_ram + (pa - NV_RAM_PA), size);
    return true;
}

bool addrspace_write(AddrSpace *as, uint64_t pa, unsigned size, uint64_t value)
{
    (void)as;
    if (pa < NV_RAM_PA || pa + size > NV_RAM_PA + sizeof(nv_ram)) {
        return false;
    }
    memcpy(nv_ram + (pa - NV_RAM_PA), &value, size);
    return true;
}

static uint64_t ram_get(unsigned off)
{
    uint64_t v;
    memcpy(&v, nv_ram + off, 8);
    return v;
}

#define ENC(op0, op1, crn, crm, op2) MMU_SYSREG_ENC(op0, op1, crn, crm, op2)
#define ESR_EC(esr) ((unsigned)((esr) >> 26) & 0x3f)

static Machine *nv_machine;

/* A max CPU at EL1 under a guest-hypervisor configuration HCR_EL2 = hcr (RW added). */
static CPUState *nv_cpu(uint64_t hcr)
{
    char *err = NULL;
    CPUState *cpu = cpu_create(NULL, 0, "max", &err);
    g_assert_null(err);
    if (!nv_machine) {
        nv_machine = g_new0(Machine, 1);
    }
    cpu->machine = nv_machine;
    cpu_reset(cpu);
    cpu_set_boot_state(cpu, 1, 0x40080000, 0);
    cpu->sr.VBAR_ELx[1] = 0x1000;
    cpu->sr.VBAR_ELx[2] = 0x2000;
    cpu->sr.HCR_EL2 = hcr | HCR_RW;
    cpu->sr.VNCR_EL2 = NV_RAM_PA;
    memset(nv_ram, 0, sizeof(nv_ram));
    return cpu;
}

static void nv_back_to_el1(CPUState *cpu)
{
    cpu->el = 1;
    cpu_update_el_state(cpu);
}

static ExecStatus mrs(CPUState *cpu, uint32_t enc, unsigned rt) { return sysreg_mrs(cpu, enc, rt); }
static ExecStatus msr(CPUState *cpu, uint32_t enc, unsigned rt, uint64_t v)
{
    cpu->x[rt] = v;
    return sysreg_msr(cpu, enc, rt);
}

/* The access trapped to EL2 with EC 0x18 and the exact ISS; back at EL1 afterwards. */
static void expect_trap18(CPUState *cpu, uint32_t enc, unsigned rt, bool isread)
{
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x18u << 26) | ESR_IL | sysreg_trap_iss(enc, rt, isread));
    nv_back_to_el1(cpu);
}

static void test_nv_advertised(void)
{
    char *err = NULL;
    CPUState *cpu = cpu_create(NULL, 0, "max", &err);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR2_EL1, 24), ==, 2);
    cpu_destroy(cpu);
    cpu = cpu_create(NULL, 0, "max,nv2=off", &err);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR2_EL1, 24), ==, 1);
    cpu_destroy(cpu);
    cpu = cpu_create(NULL, 0, "max,nv=off", &err);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR2_EL1, 24), ==, 0);
    /* Without FEAT_NV the HCR_EL2 bits are RES0. */
    cpu_reset(cpu);
    cpu_set_boot_state(cpu, 2, 0x40080000, 0);
    cpu->x[1] = HCR_NV | HCR_NV1 | HCR_NV2 | HCR_AT;
    sysreg_msr(cpu, ENC(3, 4, 1, 1, 0), 1);
    g_assert_cmphex(cpu->sr.HCR_EL2 & (HCR_NV | HCR_NV1 | HCR_NV2 | HCR_AT), ==, 0);
    cpu_destroy(cpu);
    cpu = cpu_create(NULL, 0, "cortex-a57", &err);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR2_EL1, 24), ==, 0);
    cpu_destroy(cpu);
}

/* FEAT_NV alone (NV2 = 0): CurrentEL, EL2/EL12 traps, ERET trap, NV1 traps, SPSR.M. */
static void test_nv_traps(void)
{
    CPUState *cpu = nv_cpu(HCR_NV);
    mrs(cpu, ENC(3, 0, 4, 2, 2), 3);                           /* CurrentEL */
    g_assert_cmphex(cpu->x[3], ==, 2 << 2);
    g_assert_cmpuint(cpu->el, ==, 1);

    static const uint32_t el2regs[] = {
        ENC(3, 4, 1, 1, 0) /* HCR_EL2 */, ENC(3, 4, 2, 1, 2) /* VTCR_EL2 */, ENC(3, 4, 2, 1, 0) /* VTTBR_EL2 */,
        ENC(3, 4, 1, 0, 0) /* SCTLR_EL2 */, ENC(3, 4, 12, 0, 0) /* VBAR_EL2 */, ENC(3, 4, 4, 0, 0) /* SPSR_EL2 */,
        ENC(3, 4, 4, 0, 1) /* ELR_EL2 */, ENC(3, 4, 5, 2, 0) /* ESR_EL2 */, ENC(3, 4, 4, 1, 0) /* SP_EL1 */,
        ENC(3, 5, 1, 0, 0) /* SCTLR_EL12 */, ENC(3, 5, 4, 0, 1) /* ELR_EL12 */, ENC(3, 4, 2, 2, 0) /* VNCR_EL2 */,
    };
    for (size_t i = 0; i < G_N_ELEMENTS(el2regs); i++) {
        g_assert_cmpint(mrs(cpu, el2regs[i], 7), ==, EXEC_EXCEPTION);
        expect_trap18(cpu, el2regs[i], 7, true);
        g_assert_cmpint(msr(cpu, el2regs[i], 9, 0x1234), ==, EXEC_EXCEPTION);
        expect_trap18(cpu, el2regs[i], 9, false);
    }
    /* EL2-only TLBI and AT trap; AT S1E1R only with HCR_EL2.AT. */
    g_assert_cmpint(sysreg_sys(cpu, ENC(1, 4, 8, 7, 0), 31, false), ==, EXEC_EXCEPTION);   /* TLBI ALLE2 */
    expect_trap18(cpu, ENC(1, 4, 8, 7, 0), 31, false);
    g_assert_cmpint(sysreg_sys(cpu, ENC(1, 0, 7, 8, 0), 2, false), ==, EXEC_NEXT);          /* AT S1E1R */
    cpu->sr.HCR_EL2 |= HCR_AT;
    g_assert_cmpint(sysreg_sys(cpu, ENC(1, 0, 7, 8, 0), 2, false), ==, EXEC_EXCEPTION);
    expect_trap18(cpu, ENC(1, 0, 7, 8, 0), 2, false);
    cpu->sr.HCR_EL2 &= ~HCR_AT;

    /* EL1 registers are untouched by NV alone (NV1 = 0). */
    g_assert_cmpint(msr(cpu, ENC(3, 0, 12, 0, 0), 2, 0x5000), ==, EXEC_SYNC);  /* VBAR_EL1 */
    g_assert_cmphex(cpu->sr.VBAR_ELx[1], ==, 0x5000);
    cpu->sr.VBAR_ELx[1] = 0x1000;

    /* ERET / ERETAA / ERETAB: EC 0x1A, ISS.ERET = 1 for the PAuth forms, ISS.ERETA = key B. */
    arg_ERET ae = { 0 };
    g_assert_cmpint(trans_ERET(cpu, &ae), ==, EXEC_EXCEPTION);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x1au << 26) | ESR_IL | 0);
    nv_back_to_el1(cpu);
    arg_ERETA aa = { .M = 0 }, ab = { .M = 1 };
    trans_ERETA(cpu, &aa);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x1au << 26) | ESR_IL | 2);
    nv_back_to_el1(cpu);
    trans_ERETA(cpu, &ab);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x1au << 26) | ESR_IL | 3);
    nv_back_to_el1(cpu);

    /* SPSR_EL1.M[3:2] = EL2 for EL1 -> EL1 exceptions with {NV,NV1} = {1,0} ... */
    cpu_raise_svc(cpu, 0);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(cpu->sr.SPSR_ELx[1] & 0xf, ==, 0x9);         /* EL2h */
    /* ... but not with NV1 = 1 and no NV2 ('011'). */
    cpu->sr.HCR_EL2 |= HCR_NV1;
    cpu_raise_svc(cpu, 0);
    g_assert_cmphex(cpu->sr.SPSR_ELx[1] & 0xf, ==, 0x5);         /* EL1h */
    /* An exception to EL2 records the real EL. */
    cpu_raise_hvc(cpu, 0);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.SPSR_ELx[2] & 0xf, ==, 0x5);
    nv_back_to_el1(cpu);

    /* NV1 = 1: VBAR_EL1, ELR_EL1, SPSR_EL1 trap; SCTLR_EL1 does not. */
    static const uint32_t nv1regs[] = { ENC(3, 0, 12, 0, 0), ENC(3, 0, 4, 0, 1), ENC(3, 0, 4, 0, 0) };
    for (size_t i = 0; i < G_N_ELEMENTS(nv1regs); i++) {
        mrs(cpu, nv1regs[i], 4);
        expect_trap18(cpu, nv1regs[i], 4, true);
        msr(cpu, nv1regs[i], 4, 0);
        expect_trap18(cpu, nv1regs[i], 4, false);
    }
    g_assert_cmpint(mrs(cpu, ENC(3, 0, 1, 0, 0), 4), ==, EXEC_NEXT);
    g_assert_cmpuint(cpu->el, ==, 1);

    /* {NV,NV1} = {1,1}: PSTATE.PAN is treated as 0 (but reads back as set). */
    cpu->pan = 1;
    cpu_update_el_state(cpu);
    g_assert_cmpint(cpu->mmu_idx, ==, MMU_IDX_E10_1);
    cpu->sr.HCR_EL2 &= ~HCR_NV1;
    cpu_update_el_state(cpu);
    g_assert_cmpint(cpu->mmu_idx, ==, MMU_IDX_E10_1_PAN);
    cpu->sr.HCR_EL2 |= HCR_NV1;
    cpu->pan = 0;
    cpu_update_el_state(cpu);

    /* EL2 disabled (SCR_EL3.NS = 0): NV has no effect, EL2 registers are UNDEFINED. */
    cpu->sr.SCR_EL3 &= ~SCR_NS;
    mrs(cpu, ENC(3, 0, 4, 2, 2), 3);
    g_assert_cmphex(cpu->x[3], ==, 1 << 2);
    mrs(cpu, ENC(3, 4, 1, 1, 0), 3);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmpuint(ESR_EC(cpu->sr.ESR_ELx[1]), ==, 0);
    cpu_destroy(cpu);
}

/* One transformed access: MSR stores X at BADDR + off, MRS loads it back; no exception. */
static void expect_mem(CPUState *cpu, uint32_t enc, unsigned off)
{
    uint64_t v = 0x1122334455660000ULL | off;
    g_assert_cmpint(msr(cpu, enc, 5, v), ==, EXEC_NEXT);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(ram_get(off), ==, v);
    cpu->x[6] = 0;
    memcpy(nv_ram + off, &(uint64_t){ v ^ 0xff00 }, 8);
    g_assert_cmpint(mrs(cpu, enc, 6), ==, EXEC_NEXT);
    g_assert_cmphex(cpu->x[6], ==, v ^ 0xff00);
}

static void test_nv2_vhe_guest(void)
{
    /* A VHE guest hypervisor: HCR_EL2.{NV,NV1,NV2} = {1,0,1}. */
    CPUState *cpu = nv_cpu(HCR_NV | HCR_NV2 | HCR_E2H);
    uint64_t hcr_before = cpu->sr.HCR_EL2;
    expect_mem(cpu, ENC(3, 4, 1, 1, 0), 0x078);     /* HCR_EL2: memory, not the real one */
    g_assert_cmphex(cpu->sr.HCR_EL2, ==, hcr_before);
    expect_mem(cpu, ENC(3, 4, 2, 1, 2), 0x040);     /* VTCR_EL2 */
    expect_mem(cpu, ENC(3, 4, 2, 1, 0), 0x020);     /* VTTBR_EL2 */
    expect_mem(cpu, ENC(3, 4, 0, 0, 5), 0x050);     /* VMPIDR_EL2 */
    expect_mem(cpu, ENC(3, 4, 13, 0, 2), 0x090);    /* TPIDR_EL2 */
    expect_mem(cpu, ENC(3, 4, 2, 2, 0), 0x0B0);     /* VNCR_EL2 */
    expect_mem(cpu, ENC(3, 4, 4, 1, 0), 0x240);     /* SP_EL1 */
    expect_mem(cpu, ENC(3, 5, 1, 0, 0), 0x110);     /* SCTLR_EL12 */
    expect_mem(cpu, ENC(3, 5, 4, 0, 1), 0x230);     /* ELR_EL12 */
    expect_mem(cpu, ENC(3, 5, 4, 0, 0), 0x160);     /* SPSR_EL12 */
    expect_mem(cpu, ENC(3, 5, 12, 0, 0), 0x250);    /* VBAR_EL12 */
    expect_mem(cpu, ENC(3, 5, 2, 0, 0), 0x200);     /* TTBR0_EL12 */
    expect_mem(cpu, ENC(2, 0, 0, 2, 2), 0x158);     /* MDSCR_EL1 ('1x1') */
    g_assert_cmphex(cpu->sr.VNCR_EL2, ==, NV_RAM_PA);

    /* EL1 names are the real registers when NV1 = 0 (they hold the guest's EL2 state). */
    g_assert_cmpint(msr(cpu, ENC(3, 0, 1, 0, 0), 5, 0x30d00801), ==, EXEC_SYNC);
    g_assert_cmphex(cpu->sr.SCTLR_ELx[1], ==, 0x30d00801);
    g_assert_cmphex(ram_get(0x110), !=, 0x30d00801);

    /* Redirected EL2 names: ELR/SPSR/ESR/FAR_EL2 reach the EL1 registers. */
    g_assert_cmpint(msr(cpu, ENC(3, 4, 4, 0, 1), 5, 0xabc0), ==, EXEC_NEXT);
    g_assert_cmphex(cpu->sr.ELR_ELx[1], ==, 0xabc0);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0);
    cpu->sr.FAR_ELx[1] = 0xfa5;
    mrs(cpu, ENC(3, 4, 6, 0, 0), 7);
    g_assert_cmphex(cpu->x[7], ==, 0xfa5);
    msr(cpu, ENC(3, 4, 4, 0, 0), 5, 0x3c5);
    g_assert_cmphex(cpu->sr.SPSR_ELx[1], ==, 0x3c5);

    /* Not in the table: still trapped. */
    mrs(cpu, ENC(3, 4, 1, 0, 0), 7);                /* SCTLR_EL2 */
    expect_trap18(cpu, ENC(3, 4, 1, 0, 0), 7, true);
    msr(cpu, ENC(3, 4, 6, 0, 4), 7, 0);             /* HPFAR_EL2 */
    expect_trap18(cpu, ENC(3, 4, 6, 0, 4), 7, false);
    msr(cpu, ENC(3, 4, 12, 0, 0), 7, 0);            /* VBAR_EL2 */
    expect_trap18(cpu, ENC(3, 4, 12, 0, 0), 7, false);

    /* SPSR_EL1.M reports EL2 for EL1 -> EL1 exceptions with NV2 ('101'). */
    cpu_raise_svc(cpu, 0);
    g_assert_cmphex(cpu->sr.SPSR_ELx[1] & 0xf, ==, 0x9);

    /* TVM comes before the transformation of an EL1 register ... */
    cpu->sr.HCR_EL2 |= HCR_NV1 | HCR_TVM;
    msr(cpu, ENC(3, 0, 1, 0, 0), 5, 1);
    expect_trap18(cpu, ENC(3, 0, 1, 0, 0), 5, false);
    /* ... and the NV trap of an _EL12 alias with NV1 = 1 ('111'). */
    cpu->sr.HCR_EL2 &= ~HCR_TVM;
    mrs(cpu, ENC(3, 5, 1, 0, 0), 5);
    expect_trap18(cpu, ENC(3, 5, 1, 0, 0), 5, true);
    cpu_destroy(cpu);
}

static void test_nv2_nvhe_guest(void)
{
    /* A non-VHE guest hypervisor: {NV,NV1,NV2} = {1,1,1}: EL1 names are the guest's EL1 context in memory. */
    CPUState *cpu = nv_cpu(HCR_NV | HCR_NV1 | HCR_NV2);
    uint64_t sctlr = cpu->sr.SCTLR_ELx[1];
    expect_mem(cpu, ENC(3, 0, 1, 0, 0), 0x110);     /* SCTLR_EL1 */
    g_assert_cmphex(cpu->sr.SCTLR_ELx[1], ==, sctlr);
    expect_mem(cpu, ENC(3, 0, 12, 0, 0), 0x250);    /* VBAR_EL1 (NV1 trap replaced by memory) */
    expect_mem(cpu, ENC(3, 0, 4, 0, 1), 0x230);     /* ELR_EL1 */
    expect_mem(cpu, ENC(3, 0, 4, 0, 0), 0x160);     /* SPSR_EL1 */
    expect_mem(cpu, ENC(3, 0, 2, 0, 2), 0x120);     /* TCR_EL1 */
    expect_mem(cpu, ENC(3, 0, 10, 2, 0), 0x140);    /* MAIR_EL1 */
    expect_mem(cpu, ENC(3, 0, 5, 2, 0), 0x138);     /* ESR_EL1 */
    expect_mem(cpu, ENC(3, 0, 1, 0, 2), 0x100);     /* CPACR_EL1 */
    expect_mem(cpu, ENC(3, 0, 13, 0, 1), 0x108);    /* CONTEXTIDR_EL1 */
    expect_mem(cpu, ENC(3, 4, 1, 1, 0), 0x078);     /* HCR_EL2 */
    /* TPIDR_EL1 is not transformed. */
    msr(cpu, ENC(3, 0, 13, 0, 4), 5, 0x77);
    g_assert_cmphex(cpu->sr.TPIDR_ELx[1], ==, 0x77);
    /* The EL2 names of the redirected registers still reach the (real) EL1 registers. */
    msr(cpu, ENC(3, 4, 5, 2, 0), 5, 0x96000000);
    g_assert_cmphex(cpu->sr.ESR_ELx[1], ==, 0x96000000);
    /* SPSR_EL1.M = EL2 with '111'. */
    cpu_raise_svc(cpu, 0);
    g_assert_cmphex(cpu->sr.SPSR_ELx[1] & 0xf, ==, 0x9);
    cpu_destroy(cpu);
}

static void test_nv2_abort(void)
{
    /* A transformed access whose address has nothing behind it: Data Abort to EL2, EC 0x25, VNCR = 1. */
    CPUState *cpu = nv_cpu(HCR_NV | HCR_NV2);
    cpu->sr.VNCR_EL2 = 0x80000000ULL;
    cpu->pc = 0x40080010;
    g_assert_cmpint(msr(cpu, ENC(3, 4, 2, 1, 2), 3, 1), ==, EXEC_EXCEPTION);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x25u << 26) | ESR_IL | (1u << 13) | (1u << 6) | 0x21);   /* stand-in FSC for an external abort */
    g_assert_cmphex(cpu->sr.FAR_ELx[2], ==, 0x80000040ULL);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0x40080010);
    /* The vector for exceptions from a lower EL. */
    g_assert_cmphex(cpu->pc, ==, 0x2000 + 0x400);
    nv_back_to_el1(cpu);
    /* A read: WnR = 0. */
    mrs(cpu, ENC(3, 4, 1, 1, 0), 3);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x25u << 26) | ESR_IL | (1u << 13) | 0x21);
    g_assert_cmphex(cpu->sr.FAR_ELx[2], ==, 0x80000078ULL);
    /* BADDR bits above the VA size are treated as copies of bit n-1 (RESS). */
    nv_back_to_el1(cpu);
    cpu->sr.VNCR_EL2 = 0x0f00000040100000ULL;   /* bits [59:56] set, bit 52 (n-1 with FEAT_LVA) clear */
    cpu->x[4] = 0;
    memcpy(nv_ram + 0x78, &(uint64_t){ 0x55 }, 8);
    g_assert_cmpint(mrs(cpu, ENC(3, 4, 1, 1, 0), 4), ==, EXEC_NEXT);
    g_assert_cmphex(cpu->x[4], ==, 0x55);
    cpu_destroy(cpu);
}

static void test_nv_table_sane(void)
{
    /* Every row: offset 8-aligned inside the page, one outcome per NVx value, a known redirect target. */
    for (unsigned i = 0; i < nv_table_count; i++) {
        const NVRegDef *n = &nv_table[i];
        g_assert_cmpuint(n->mem_off & 7, ==, 0);
        g_assert_cmpuint(n->mem_off, <, 0x1000);
        g_assert_cmpuint(n->mem & n->redir, ==, 0);
        g_assert_cmpuint(n->mem & n->trap, ==, 0);
        g_assert_true(nv_lookup(n->enc) == n);
        if (n->redir) {
            g_assert_nonnull(sysreg_lookup(n->redir_enc));
        }
        if (n->mem) {
            g_assert_cmpuint(n->mem_off, >, 0);
        }
    }
}

void test_nv_register(void)
{
    g_test_add_func("/cpu-sys/nv/advertised", test_nv_advertised);
    g_test_add_func("/cpu-sys/nv/traps", test_nv_traps);
    g_test_add_func("/cpu-sys/nv/nv2_vhe_guest", test_nv2_vhe_guest);
    g_test_add_func("/cpu-sys/nv/nv2_nvhe_guest", test_nv2_nvhe_guest);
    g_test_add_func("/cpu-sys/nv/nv2_abort", test_nv2_abort);
    g_test_add_func("/cpu-sys/nv/table", test_nv_table_sane);
}
