/*
 * cpu-sys unit tests: CPU models, reset, exception entry/return, interrupt
 * routing, the system-register table and its traps, FP access checks,
 * aborts, PAuth. Linked with the cpu-sys sources only (tests/meson.build)
 * and the recording stand-ins below for the MMU, devices and engine.
 */
#include <glib.h>

#include "core/machine.h"
#include "cpu/debug.h"
#include "cpu/exception.h"
#include "cpu/features.h"
#include "cpu/pauth.h"
#include "cpu/regime.h"
#include "cpu/sysreg.h"
#include "decode-a64.h"
#include "devices/cpu_hooks.h"
#include "devices/firmware.h"
#include "core/semihost.h"

/* ---------------- stand-ins ---------------- */

static uint32_t last_tlbi_enc;
static uint64_t last_tlbi_xt;
static unsigned flush_blocks_calls;
static uint32_t debug_insn;          /* what cpu_debug_read returns at any address */
static unsigned firmware_calls;

void mmu_cpu_init(CPUState *cpu) { (void)cpu; }
void mmu_cpu_destroy(CPUState *cpu) { (void)cpu; }
void exec_cpu_destroy(CPUState *cpu) { (void)cpu; }
void mmu_flush_soft_tlb(CPUState *cpu) { (void)cpu; }
void mmu_flush_soft_el(CPUState *cpu, unsigned el) { (void)cpu; (void)el; }
unsigned mmu_fault_fsc(const MMUFault *fault)
{
    return fault->type == MMU_FAULT_TRANSLATION ? 0x04 + (unsigned)fault->level : 0x21;
}
void mmu_tlbi(CPUState *cpu, uint32_t enc, uint64_t xt) { last_tlbi_enc = enc; last_tlbi_xt = xt; }
void mmu_at(CPUState *cpu, uint32_t enc, uint64_t va) { cpu->sr.PAR_EL1 = 1; }
bool mmu_at_checked(CPUState *cpu, uint32_t enc, uint64_t va, MMUFault *fault)
{
    mmu_at(cpu, enc, va);
    return true;
}
bool mmu_translate(CPUState *cpu, uint64_t va, MMUAccessType access, MMUIdx mmu_idx,
                   MMUResult *res, MMUFault *fault)
{
    memset(res, 0, sizeof(*res));
    res->pa = va;
    return true;
}
void cpu_flush_blocks(CPUState *cpu) { flush_blocks_calls++; }
bool cpu_debug_read(CPUState *cpu, uint64_t va, void *buf, size_t len)
{
    memcpy(buf, &debug_insn, len < 4 ? len : 4);
    return true;
}
bool cpu_dc_zva(CPUState *cpu, uint64_t va) { return true; }
bool gicv3_sysreg_read(CPUState *cpu, uint32_t enc, uint64_t *value, unsigned *trap_el) { *trap_el = 0; return false; }
bool gicv3_sysreg_write(CPUState *cpu, uint32_t enc, uint64_t value, unsigned *trap_el) { *trap_el = 0; return false; }
bool timer_sysreg_read(CPUState *cpu, uint32_t enc, uint64_t *value, unsigned *trap_el) { *trap_el = 0; return false; }
bool timer_sysreg_write(CPUState *cpu, uint32_t enc, uint64_t value, unsigned *trap_el) { *trap_el = 0; return false; }
bool gicv3_sysreg_owns(uint32_t enc) { return false; }
bool timer_sysreg_owns(uint32_t enc) { return false; }
bool firmware_enabled(const CPUState *cpu) { return false; }
void firmware_call(CPUState *cpu, bool is_smc, uint16_t imm16) { firmware_calls++; }
bool semihost_enabled(const CPUState *cpu) { return false; }
void semihost_call(CPUState *cpu) { }
void machine_request_shutdown(Machine *m, int exit_code) { }
void machine_request_reset(Machine *m) { }

/* ---------------- helpers ---------------- */

static CPUState *new_cpu(const char *model)
{
    char *err = NULL;
    CPUState *cpu = cpu_create(NULL, 0, model, &err);
    g_assert_null(err);
    g_assert_nonnull(cpu);
    return cpu;
}

/* Put the CPU at el with a Non-secure EL2-enabled configuration, vectors at distinct bases. */
static void enter_el(CPUState *cpu, unsigned el)
{
    cpu_reset(cpu);
    cpu_set_boot_state(cpu, el, 0x40080000, 0);
    cpu->sr.VBAR_ELx[1] = 0x1000;
    cpu->sr.VBAR_ELx[2] = 0x2000;
    cpu->sr.VBAR_ELx[3] = 0x3000;
}

static unsigned esr_ec(uint64_t esr) { return (unsigned)(esr >> 26) & 0x3f; }

#define SYSENC(op0, op1, crn, crm, op2) MMU_SYSREG_ENC(op0, op1, crn, crm, op2)

static ExecStatus do_mrs(CPUState *cpu, uint32_t enc, unsigned rt) { return sysreg_mrs(cpu, enc, rt); }
static ExecStatus do_msr(CPUState *cpu, uint32_t enc, unsigned rt, uint64_t v)
{
    cpu->x[rt] = v;
    return sysreg_msr(cpu, enc, rt);
}

/* ---------------- features ---------------- */

static void test_models(void)
{
    CPUState *cpu = new_cpu("max");
    g_assert_cmpuint(extract64(cpu->id.MPIDR_EL1, 0, 8), ==, 0);
    g_assert_true(cpu_have_el2(cpu));
    g_assert_true(cpu_have_el3(cpu));
    g_assert_true(cpu_have_pauth(cpu));
    /* Default algorithm: IMPDEF (API/GPI), not QARMA5. */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64ISAR1_EL1, 8), ==, 1);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64ISAR1_EL1, 4), ==, 0);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 0), ==, 6);   /* 52-bit PA (lpa2, mmu) */
    cpu_destroy(cpu);

    cpu = new_cpu("max,lpa2=off");
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 0), ==, 5);   /* 48-bit PA */
    cpu_destroy(cpu);

    cpu = new_cpu("max,pauth-impdef=off");
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64ISAR1_EL1, 4), ==, 1);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64ISAR1_EL1, 24), ==, 1);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64ISAR1_EL1, 8), ==, 0);
    cpu_destroy(cpu);

    cpu = new_cpu("max,pauth=off,ssbs=off");
    g_assert_false(cpu_have_pauth(cpu));
    g_assert_false(cpu_have_pacga(cpu));
    g_assert_false(cpu_have_ssbs(cpu));
    cpu_destroy(cpu);

    cpu = new_cpu("cortex-a57");
    /* The Cortex-A57 r1p0 QEMU 7.2 models: 44-bit PA, 4K/64K granules, 8-bit VMID, PIPT I-cache. */
    g_assert_cmphex(cpu->id.MIDR_EL1, ==, 0x411fd070);
    g_assert_cmpuint(cpu_pa_bits(cpu), ==, 44);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 20), ==, 0);    /* TGran16 */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 24), ==, 0);    /* TGran64 */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 28), ==, 0);    /* TGran4 */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR1_EL1, 4), ==, 0);     /* VMIDBits */
    g_assert_cmphex(cpu->id.CTR_EL0, ==, 0x8444c004);
    g_assert_cmphex(cpu->id.CCSIDR_EL1[0], ==, 0x701fe00a);
    g_assert_false(cpu_have_pauth(cpu));
    g_assert_false(cpu_have_vhe(cpu));
    g_assert_false(cpu_have_sb(cpu));
    cpu_destroy(cpu);

    static const char *bad[] = {
        "nosuchcpu", "max,nosuchfeature=on", "max,pauth", "max,pauth=maybe",
        "max,pauth-qarma3=on", "max,aarch64=off",
        "max,sve-max-vq=4" /* SVE not implemented yet */,
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *err = NULL;
        CPUState *c = cpu_create(NULL, 0, bad[i], &err);
        g_assert_null(c);
        g_assert_nonnull(err);
        g_free(err);
    }
}

/*
 * -M virtualization=off: the features the Arm ARM implies EL2 for read as
 * absent (VH, NV, FGT, XNX, FWB, explicit TGranX_2, 16-bit VMID), and asking
 * for one is refused; the EL1 ones stay.
 */
static void test_models_no_el2(void)
{
    CPUState *cpu = g_new0(CPUState, 1);
    CPUFeatures f;
    char *err = NULL;
    g_assert_true(features_init(cpu, &f, "max", false, &err));
    g_assert_false(cpu_have_el2(cpu));
    g_assert_false(cpu_have_vhe(cpu));
    g_assert_false(cpu_have_nv(cpu));
    g_assert_false(cpu_have_fgt(cpu));
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR1_EL1, 4), ==, 0);    /* VMIDBits */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR1_EL1, 28), ==, 0);   /* XNX */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR2_EL1, 40), ==, 0);   /* FWB */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 32), ==, 0);   /* TGran16_2 */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 36), ==, 0);   /* TGran64_2 */
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 40), ==, 0);   /* TGran4_2 */
    g_assert_true(cpu_have_pan(cpu));
    g_assert_true(cpu_have_el3(cpu));
    g_assert_true(cpu_have_pauth(cpu));

    g_assert_true(features_init(cpu, &f, "max", true, &err));
    g_assert_true(cpu_have_vhe(cpu) && cpu_have_nv2(cpu) && cpu_have_fgt(cpu));
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR1_EL1, 4), ==, 2);
    g_assert_cmpuint(ID_FIELD(cpu, ID_AA64MMFR0_EL1, 40), ==, 3);   /* 4K at stage 2 with 52-bit */

    static const char *const bad[] = { "max,vhe=on", "max,nv=on", "max,fgt=on", "max,gtg=on" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(features_init(cpu, &f, bad[i], false, &err));
        g_assert_nonnull(strstr(err, "needs EL2"));
        g_clear_pointer(&err, g_free);
    }
    g_assert_true(features_init(cpu, &f, "max,vhe=off,fgt=off", false, &err));
    g_free(cpu);
}

/*
 * SCTLR_ELx writes keep only the bits the register's layout defines:
 * SCTLR_EL3 (and SCTLR_EL2 without FEAT_VHE) has BT at bit 36 and RES0 EL0
 * controls (bit 35, UMA, DZE...), RES1 nTWI/nTWE/SPAN...; SCTLR_EL1 has BT0
 * at bit 35; nAA (bit 6) is RES0 without FEAT_LSE2.
 */
static void test_sctlr_layouts(void)
{
    const uint32_t sctlr_el1 = SYSENC(3, 0, 1, 0, 0), sctlr_el2 = SYSENC(3, 4, 1, 0, 0);
    const uint32_t sctlr_el3 = SYSENC(3, 6, 1, 0, 0);
    const uint64_t el0_bits = SCTLR_BT0 | SCTLR_UMA | SCTLR_DZE | SCTLR_UCT | SCTLR_UCI | SCTLR_EnRCTX;
    const uint64_t el23_res1 = 0x30c50830ULL;
    CPUState *cpu = new_cpu("max");

    enter_el(cpu, 3);
    g_assert_cmpint(do_msr(cpu, sctlr_el3, 1, el23_res1 | SCTLR_BT1 | el0_bits | BIT64(6) | SCTLR_M), ==, EXEC_SYNC);
    g_assert_cmphex(cpu->sr.SCTLR_ELx[3], ==, el23_res1 | SCTLR_BT1 | SCTLR_M);   /* bit 36 is BT */
    g_assert_cmpint(do_msr(cpu, sctlr_el3, 1, 0), ==, EXEC_SYNC);
    g_assert_cmphex(cpu->sr.SCTLR_ELx[3], ==, el23_res1);
    /* With VHE, SCTLR_EL2's EL0 controls exist under E2H/TGE: stored as written. */
    g_assert_cmpint(do_msr(cpu, sctlr_el2, 1, el23_res1 | SCTLR_BT1 | el0_bits | BIT64(6)), ==, EXEC_SYNC);
    /* (EnRCTX is RES0 everywhere: no FEAT_SPECRES.) */
    g_assert_cmphex(cpu->sr.SCTLR_ELx[2], ==, el23_res1 | SCTLR_BT1 | (el0_bits & ~SCTLR_EnRCTX));
    g_assert_cmpint(do_msr(cpu, sctlr_el1, 1, 0x30d00800ULL | SCTLR_BT0 | SCTLR_BT1 | BIT64(6)), ==, EXEC_SYNC);
    g_assert_cmphex(cpu->sr.SCTLR_ELx[1], ==, 0x30d00800ULL | SCTLR_BT0 | SCTLR_BT1);
    cpu_destroy(cpu);

    /* Cortex-A57: no VHE, no BTI: SCTLR_EL2 has the EL3-style layout only. */
    cpu = new_cpu("cortex-a57");
    enter_el(cpu, 2);
    g_assert_cmpint(do_msr(cpu, sctlr_el2, 1, SCTLR_BT1 | el0_bits | SCTLR_C), ==, EXEC_SYNC);
    g_assert_cmphex(cpu->sr.SCTLR_ELx[2], ==, el23_res1 | SCTLR_C);
    cpu_destroy(cpu);
}

/* ---------------- table ---------------- */

static void test_table(void)
{
    for (unsigned i = 0; i < sysreg_table_count; i++) {
        const SysRegDef *r = &sysreg_table[i];
        for (unsigned j = i + 1; j < sysreg_table_count; j++) {
            if (sysreg_table[j].enc == r->enc) {
                g_test_message("duplicate encoding: %s and %s", r->name, sysreg_table[j].name);
                g_assert_not_reached();
            }
        }
        g_assert_true(r->offset == 0 || (r->offset > 0 && (size_t)r->offset + 4 <= sizeof(CPUState)));
        g_assert_true(r->el2_offset == 0 || (size_t)r->el2_offset + 8 <= sizeof(CPUState));
        g_assert_cmpuint(r->min_el, <=, 3);
        g_assert_true(r->flags & (SRF_R | SRF_W));
        g_assert_true(sysreg_lookup(r->enc) == r);
        /* Reset values respect their own masks. */
        if (r->offset > 0 && !(r->flags & (SRF_CONST | SRF_EL12))) {
            g_assert_cmphex(r->reset & r->res0, ==, 0);
            g_assert_cmphex(r->reset & r->res1, ==, r->res1);
        }
    }
    g_assert_null(sysreg_lookup(SYSENC(3, 7, 15, 15, 7)));
}

/* ---------------- reset ---------------- */

static void test_reset(void)
{
    CPUState *cpu = new_cpu("max");
    g_assert_cmpuint(cpu->el, ==, 3);
    g_assert_cmpuint(cpu->spsel, ==, 1);
    g_assert_cmpuint(cpu->daif, ==, PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F);
    g_assert_cmpuint(cpu->mmu_idx, ==, MMU_IDX_E3);
    g_assert_cmphex(cpu->sr.SCTLR_ELx[1], ==, 0x30d00800);
    g_assert_cmphex(cpu->sr.SCTLR_ELx[3], ==, 0x30c50830);
    g_assert_cmphex(cpu->sr.OSLSR_EL1, ==, 0xa);
    g_assert_cmpuint(cpu_get_pstate(cpu), ==, 0x3cd);
    /* Boot state at EL2 for a kernel. */
    cpu_set_boot_state(cpu, 2, 0x40200000, 0x48000000);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->pc, ==, 0x40200000);
    g_assert_cmphex(cpu->x[0], ==, 0x48000000);
    g_assert_true(cpu->sr.SCR_EL3 & SCR_NS);
    g_assert_true(cpu->sr.SCR_EL3 & SCR_HCE);
    g_assert_true(cpu_el2_enabled(cpu));
    cpu_destroy(cpu);
}

/* ---------------- exceptions ---------------- */

static void test_svc_hvc_entry(void)
{
    CPUState *cpu = new_cpu("max");
    enter_el(cpu, 1);
    cpu->pc = 0x5000;
    cpu->nzcv = PSTATE_Z;
    cpu->daif = 0;
    cpu->sp = 0x9000;           /* SP_EL1 (SPSel = 1) */
    g_assert_cmpint(cpu_raise_svc(cpu, 0x42), ==, EXEC_EXCEPTION);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(cpu->pc, ==, 0x1000 + 0x200);
    g_assert_cmphex(cpu->sr.ELR_ELx[1], ==, 0x5004);
    g_assert_cmphex(cpu->sr.ESR_ELx[1], ==, (0x15u << 26) | ESR_IL | 0x42);
    g_assert_cmphex(cpu->sr.SPSR_ELx[1], ==, PSTATE_Z | 0x5);
    g_assert_cmpuint(cpu->daif, ==, 0x3c0);
    g_assert_cmphex(cpu->sp, ==, 0x9000);

    /* EL0 -> EL1 uses the lower-EL vector; SP banking. */
    cpu_exception_return(cpu, 0x6000, 0);   /* to EL0t */
    g_assert_cmpuint(cpu->el, ==, 0);
    g_assert_cmphex(cpu->pc, ==, 0x6000);
    cpu->sp = 0x7770;                      /* SP_EL0 */
    cpu_raise_svc(cpu, 1);
    g_assert_cmphex(cpu->pc, ==, 0x1000 + 0x400);
    g_assert_cmphex(cpu->sp, ==, 0x9000);
    g_assert_cmphex(cpu_sp_el(cpu, 0), ==, 0x7770);

    /* HVC from EL1 goes to EL2 with the immediate; trans_HVC checks HCE. */
    arg_HVC a = { .imm16 = 0x1234 };
    cpu->pc = 0x8000;
    g_assert_cmpint(trans_HVC(cpu, &a), ==, EXEC_EXCEPTION);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x16u << 26) | ESR_IL | 0x1234);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0x8004);
    g_assert_cmphex(cpu->pc, ==, 0x2000 + 0x400);

    /* HVC with SCR_EL3.HCE = 0 is UNDEFINED (EC 0 at the current EL). */
    cpu->sr.SCR_EL3 &= ~SCR_HCE;
    cpu->pc = 0x8100;
    trans_HVC(cpu, &a);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[2]), ==, 0);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0x8100);

    /* SMC at EL1 with HCR_EL2.TSC traps to EL2 with EC 0x17, ELR = the SMC. */
    enter_el(cpu, 1);
    cpu->sr.HCR_EL2 |= HCR_TSC;
    cpu->pc = 0x8200;
    arg_SMC s = { .imm16 = 7 };
    trans_SMC(cpu, &s);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x17u << 26) | ESR_IL | 7);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0x8200);
    /* SMC at EL2 goes to EL3 (no firmware in this test). */
    cpu->pc = 0x8300;
    trans_SMC(cpu, &s);
    g_assert_cmpuint(cpu->el, ==, 3);
    g_assert_cmphex(cpu->sr.ELR_ELx[3], ==, 0x8304);
    cpu_destroy(cpu);
}

static void test_undef_routing(void)
{
    CPUState *cpu = new_cpu("max");
    enter_el(cpu, 2);
    cpu->sr.HCR_EL2 |= HCR_TGE;
    cpu_exception_return(cpu, 0x6000, 0);   /* EL0 with TGE: allowed */
    g_assert_cmpuint(cpu->el, ==, 0);
    cpu_raise_undef(cpu);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, ESR_IL);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0x6000);
    /* BRK from EL0 with MDCR_EL2.TDE (and TGE off) also to EL2. */
    cpu->sr.HCR_EL2 &= ~HCR_TGE;
    cpu->sr.MDCR_EL2 |= MDCR_TDE;
    cpu_exception_return(cpu, 0x6100, 0);
    cpu_raise_brk(cpu, 3);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x3cu << 26) | ESR_IL | 3);
    cpu_destroy(cpu);
}

static void test_eret_illegal(void)
{
    CPUState *cpu = new_cpu("max");
    enter_el(cpu, 1);
    /* To EL2 from EL1: illegal; EL and SP unchanged, IL set, NZCV from SPSR;
     * the next instruction takes the Illegal Execution state exception. */
    cpu_exception_return(cpu, 0x7000, 0x9 | PSTATE_N);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(cpu->sr.ELR_ELx[1], ==, 0x7000);
    g_assert_cmphex(cpu->sr.ESR_ELx[1], ==, (0x0eu << 26) | ESR_IL);
    g_assert_cmphex(cpu->sr.SPSR_ELx[1], ==, PSTATE_N | SPSR_IL | 0x5);
    g_assert_cmpuint(cpu->il, ==, 0);
    g_assert_cmphex(cpu->pc, ==, 0x1000 + 0x200);
    /* AArch32 target and EL0 with SP_EL1 (M = 0b0001) are illegal too. */
    enter_el(cpu, 1);
    cpu_exception_return(cpu, 0x7100, 0x10);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0x0e);
    enter_el(cpu, 1);
    cpu_exception_return(cpu, 0x7100, 0x1);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0x0e);
    /* A misaligned target: IL is set and left for the fetch's PC alignment fault. */
    enter_el(cpu, 1);
    cpu_exception_return(cpu, 0x7102, 0x9);
    g_assert_cmpuint(cpu->il, ==, 1);
    g_assert_cmphex(cpu->pc, ==, 0x7102);
    /* ERET to EL1 with HCR_EL2.TGE set is illegal. */
    enter_el(cpu, 2);
    cpu->sr.HCR_EL2 |= HCR_TGE;
    cpu_exception_return(cpu, 0x7200, 0x5);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[2]), ==, 0x0e);
    /* ERET at EL0 is UNDEFINED. */
    enter_el(cpu, 1);
    cpu_exception_return(cpu, 0x7300, 0);
    cpu->pc = 0x7300;
    arg_ERET e = { 0 };
    trans_ERET(cpu, &e);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0);
    cpu_destroy(cpu);
}

/* ---------------- interrupts ---------------- */

static void test_irq_routing(void)
{
    CPUState *cpu = new_cpu("max");
    enter_el(cpu, 1);
    /* Masked IRQ at EL1 targeting EL1: not taken. */
    cpu_set_irq_line(cpu, CPU_LINE_IRQ, true);
    g_assert_false(cpu_check_interrupts(cpu));
    /* HCR_EL2.IMO routes it to EL2: taken even with PSTATE.I set. */
    cpu->sr.HCR_EL2 |= HCR_IMO;
    cpu->pc = 0x4000;
    g_assert_true(cpu_check_interrupts(cpu));
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->pc, ==, 0x2000 + 0x400 + 0x80);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0x4000);
    /* At EL2 with I masked: not taken; unmasked: taken to the current-EL vector. */
    g_assert_false(cpu_check_interrupts(cpu));
    cpu->daif = 0;
    g_assert_true(cpu_check_interrupts(cpu));
    g_assert_cmphex(cpu->pc, ==, 0x2000 + 0x200 + 0x80);
    /* SCR_EL3.IRQ: to EL3 even from EL2 with I masked. */
    cpu->sr.SCR_EL3 |= SCR_IRQ;
    g_assert_true(cpu_check_interrupts(cpu));
    g_assert_cmpuint(cpu->el, ==, 3);
    cpu_set_irq_line(cpu, CPU_LINE_IRQ, false);

    /* Virtual IRQ from HCR_EL2.VI: only at EL1/EL0 with IMO and PSTATE.I clear. */
    enter_el(cpu, 1);
    cpu->sr.HCR_EL2 |= HCR_VI;
    g_assert_false(cpu_check_interrupts(cpu));   /* IMO = 0 */
    cpu->sr.HCR_EL2 |= HCR_IMO;
    g_assert_false(cpu_check_interrupts(cpu));   /* I masked */
    g_assert_true(cpu_wfx_wakeup_pending(cpu));
    cpu->daif = 0;
    g_assert_true(cpu_check_interrupts(cpu));
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(cpu->pc, ==, 0x1000 + 0x200 + 0x80);
    /* Virtual SError: ESR EC 0x2F, HCR_EL2.VSE cleared when taken. */
    enter_el(cpu, 1);
    cpu->sr.HCR_EL2 = HCR_RW | HCR_AMO | HCR_VSE;
    cpu->daif = 0;
    g_assert_true(cpu_check_interrupts(cpu));
    g_assert_cmphex(cpu->pc, ==, 0x1000 + 0x200 + 0x180);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0x2f);
    g_assert_false(cpu->sr.HCR_EL2 & HCR_VSE);
    /* E2H+TGE host: EL2-targeted IRQ from EL0 is masked by PSTATE.I. */
    cpu->id.ID_AA64MMFR1_EL1 |= 1ULL << 8;   /* pretend VHE for this check */
    enter_el(cpu, 2);
    cpu->sr.HCR_EL2 |= HCR_E2H | HCR_TGE;
    cpu_exception_return(cpu, 0x6000, PSTATE_I);
    g_assert_cmpuint(cpu->el, ==, 0);
    cpu_set_irq_line(cpu, CPU_LINE_IRQ, true);
    g_assert_false(cpu_check_interrupts(cpu));
    cpu->daif = 0;
    g_assert_true(cpu_check_interrupts(cpu));
    g_assert_cmpuint(cpu->el, ==, 2);
    cpu_destroy(cpu);
}

/* ---------------- system registers ---------------- */

static void test_sysreg_traps(void)
{
    CPUState *cpu = new_cpu("max");
    const uint32_t sctlr_el1 = SYSENC(3, 0, 1, 0, 0), pfr0 = SYSENC(3, 0, 0, 4, 0);
    const uint32_t hcr_el2 = SYSENC(3, 4, 1, 1, 0), ctr_el0 = SYSENC(3, 3, 0, 0, 1);
    enter_el(cpu, 1);
    /* Plain accesses. */
    g_assert_cmpint(do_msr(cpu, SYSENC(3, 0, 12, 0, 0), 3, 0x12345fff), ==, EXEC_SYNC);
    g_assert_cmphex(cpu->sr.VBAR_ELx[1], ==, 0x12345800);   /* bits 10:0 RES0 */
    g_assert_cmpint(do_mrs(cpu, pfr0, 4), ==, EXEC_NEXT);
    g_assert_cmphex(cpu->x[4], ==, cpu->id.ID_AA64PFR0_EL1);
    g_assert_cmpint(do_mrs(cpu, SYSENC(3, 0, 4, 2, 2), 5), ==, EXEC_NEXT);   /* CurrentEL */
    g_assert_cmphex(cpu->x[5], ==, 4);

    /* HCR_EL2.TVM: write of SCTLR_EL1 traps to EL2 with the exact ISS. */
    cpu->sr.HCR_EL2 |= HCR_TVM;
    cpu->pc = 0x100;
    g_assert_cmpint(do_msr(cpu, sctlr_el1, 7, 0x30d00801), ==, EXEC_EXCEPTION);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==,
                    (0x18u << 26) | ESR_IL | (3u << 20) | (0u << 17) | (0u << 14) | (1u << 10) | (7u << 5) | (0u << 1) | 0);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0x100);
    g_assert_cmphex(cpu->sr.SCTLR_ELx[1], ==, 0x30d00800);   /* not written */

    /* TID3: ID register read traps (Direction = 1 for reads). */
    enter_el(cpu, 1);
    cpu->sr.HCR_EL2 |= HCR_TID3;
    do_mrs(cpu, pfr0, 2);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2] & 0x1ffffff, ==, (3u << 20) | (0u << 17) | (0u << 14) | (0u << 10) | (2u << 5) | (4u << 1) | 1);

    /* EL2 register at EL1: UNDEFINED; with HCR_EL2.NV: trapped (EC 0x18). */
    enter_el(cpu, 1);
    do_mrs(cpu, hcr_el2, 1);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0);
    enter_el(cpu, 1);
    cpu->sr.HCR_EL2 |= HCR_NV;   /* NV is RES0 without FEAT_NV, but stored directly here */
    do_mrs(cpu, hcr_el2, 1);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[2]), ==, 0x18);

    /* HCR_EL2 write masks: RW is RAO; E2H is kept (max has FEAT_VHE since the mmu's EL2&0). */
    enter_el(cpu, 2);
    do_msr(cpu, hcr_el2, 1, HCR_E2H | HCR_IMO);
    g_assert_cmphex(cpu->sr.HCR_EL2, ==, HCR_E2H | HCR_IMO | HCR_RW);
    do_msr(cpu, hcr_el2, 1, HCR_IMO);

    /* CTR_EL0 at EL0: trapped to EL1 when SCTLR_EL1.UCT = 0. */
    enter_el(cpu, 1);
    cpu_exception_return(cpu, 0x6000, 0);
    do_mrs(cpu, ctr_el0, 9);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0x18);
    cpu->sr.SCTLR_ELx[1] |= SCTLR_UCT;
    cpu_exception_return(cpu, 0x6000, 0);
    g_assert_cmpint(do_mrs(cpu, ctr_el0, 9), ==, EXEC_NEXT);
    g_assert_cmphex(cpu->x[9], ==, cpu->id.CTR_EL0);
    /* FEAT_IDST: an EL0 read of the ID space is EC 0x18, not UNDEFINED. */
    do_mrs(cpu, pfr0, 9);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0x18);

    /* DAIF at EL0 needs SCTLR_EL1.UMA. */
    cpu_exception_return(cpu, 0x6000, 0);
    do_mrs(cpu, SYSENC(3, 3, 4, 2, 1), 1);
    g_assert_cmpuint(cpu->el, ==, 1);

    /* TLBI at EL1 reaches the MMU; with HCR_EL2.TTLB it traps. */
    enter_el(cpu, 1);
    cpu->x[3] = 0xabc;
    g_assert_cmpint(sysreg_sys(cpu, SYSENC(1, 0, 8, 7, 1), 3, false), ==, EXEC_SYNC);
    g_assert_cmphex(last_tlbi_enc, ==, SYSENC(1, 0, 8, 7, 1));
    g_assert_cmphex(last_tlbi_xt, ==, 0xabc);
    cpu->sr.HCR_EL2 |= HCR_TTLB;
    sysreg_sys(cpu, SYSENC(1, 0, 8, 7, 1), 3, false);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2] & 0x1ffffff, ==, (1u << 20) | (1u << 17) | (0u << 14) | (8u << 10) | (3u << 5) | (7u << 1) | 0);

    /* Unknown register: UNDEFINED. */
    enter_el(cpu, 1);
    do_mrs(cpu, SYSENC(3, 1, 15, 2, 7), 0);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0);

    /* MIDR/MPIDR at EL1 read VPIDR/VMPIDR_EL2. */
    enter_el(cpu, 1);
    cpu->sr.VPIDR_EL2 = 0x1234;
    do_mrs(cpu, SYSENC(3, 0, 0, 0, 0), 1);
    g_assert_cmphex(cpu->x[1], ==, 0x1234);

    /* SP_EL0 with SPSel = 0 is UNDEFINED; SPSel write banks the SP. */
    cpu->sp = 0x1110;
    do_msr(cpu, SYSENC(3, 0, 4, 1, 0), 2, 0x2220);   /* SP_EL0 */
    g_assert_cmphex(cpu->sp, ==, 0x1110);
    do_msr(cpu, SYSENC(3, 0, 4, 2, 0), 2, 0);        /* SPSel = 0 */
    g_assert_cmphex(cpu->sp, ==, 0x2220);
    do_mrs(cpu, SYSENC(3, 0, 4, 1, 0), 2);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0);
    cpu_destroy(cpu);
}

/* HCR_EL2.TIDCP, CPTR_EL2.TCPAC, FEAT_LOR registers and HCR_EL2.TLOR, RES0 HCR/MDCR bits. */
static void test_hcr_controls(void)
{
    CPUState *cpu = new_cpu("max");
    const uint32_t impdef = SYSENC(3, 0, 11, 0, 0), cpacr = SYSENC(3, 0, 1, 0, 2), lorid = SYSENC(3, 0, 10, 4, 7);
    const uint32_t hcr_el2 = SYSENC(3, 4, 1, 1, 0), mdcr_el2 = SYSENC(3, 4, 1, 1, 1);
    /* IMPLEMENTATION DEFINED space: UNDEFINED, trapped to EL2 with TIDCP (EL1 only). */
    enter_el(cpu, 1);
    do_mrs(cpu, impdef, 3);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0);
    enter_el(cpu, 1);
    cpu->sr.HCR_EL2 |= HCR_TIDCP;
    do_msr(cpu, SYSENC(3, 7, 15, 15, 7), 3, 0);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2] & 0x1ffffff, ==, (3u << 20) | (7u << 17) | (7u << 14) | (15u << 10) | (3u << 5) | (15u << 1));
    /* CPTR_EL2.TCPAC traps CPACR_EL1 at EL1. */
    enter_el(cpu, 1);
    cpu->sr.CPTR_EL2 |= CPTR_TCPAC;
    do_mrs(cpu, cpacr, 2);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[2]), ==, 0x18);
    /* FEAT_LOR: LORID_EL1 reads 0; TLOR traps it; EL0 UNDEFINED. */
    g_assert_cmpuint(extract64(cpu->id.ID_AA64MMFR1_EL1, 16, 4), ==, 1);
    enter_el(cpu, 1);
    cpu->x[4] = 0x55;
    g_assert_cmpint(do_mrs(cpu, lorid, 4), ==, EXEC_NEXT);
    g_assert_cmphex(cpu->x[4], ==, 0);
    cpu->sr.HCR_EL2 |= HCR_TLOR;
    do_mrs(cpu, lorid, 4);
    g_assert_cmpuint(cpu->el, ==, 2);
    g_assert_cmphex(cpu->sr.ESR_ELx[2] & 0x1ffffff, ==, (3u << 20) | (7u << 17) | (10u << 10) | (4u << 5) | (4u << 1) | 1);
    enter_el(cpu, 1);
    cpu_exception_return(cpu, 0x6000, 0);   /* to EL0t */
    do_mrs(cpu, lorid, 4);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[1]), ==, 0);
    /* RES0: HCD (EL3 implemented), TID0 (no AArch32 EL0); MDCR_EL2 PMU fields without PMUv3. */
    enter_el(cpu, 2);
    do_msr(cpu, hcr_el2, 1, HCR_HCD | HCR_TID0 | HCR_TLOR);
    g_assert_cmphex(cpu->sr.HCR_EL2, ==, HCR_TLOR | HCR_RW);
    do_msr(cpu, mdcr_el2, 1, MDCR_TPM | MDCR_TPMCR | MDCR_HPME | 3 | MDCR_TDA);
    g_assert_cmphex(cpu->sr.MDCR_EL2, ==, MDCR_TDA);
    /* SCR_EL3.TLOR traps LORID_EL1 from EL1 and EL2 to EL3; TERR/FIEN are RES0 without RAS. */
    enter_el(cpu, 3);
    do_msr(cpu, SYSENC(3, 6, 1, 1, 0), 1, cpu->sr.SCR_EL3 | SCR_TLOR | SCR_TERR | SCR_FIEN);
    g_assert_true(cpu->sr.SCR_EL3 & SCR_TLOR);
    g_assert_false(cpu->sr.SCR_EL3 & (SCR_TERR | SCR_FIEN));
    uint64_t scr = cpu->sr.SCR_EL3;
    enter_el(cpu, 2);
    cpu->sr.SCR_EL3 = scr;
    do_mrs(cpu, lorid, 4);
    g_assert_cmpuint(cpu->el, ==, 3);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[3]), ==, 0x18);
    cpu_destroy(cpu);
}

static void test_vhe_redirect(void)
{
    CPUState *cpu = new_cpu("max");
    cpu->id.ID_AA64MMFR1_EL1 |= 1ULL << 8;   /* VHE, as the mmu will advertise */
    enter_el(cpu, 2);
    const uint32_t tcr_el1 = SYSENC(3, 0, 2, 0, 2), tcr_el12 = SYSENC(3, 5, 2, 0, 2);
    /* E2H = 0: TCR_EL12 UNDEFINED; TCR_EL1 reaches TCR_EL1. */
    do_msr(cpu, tcr_el1, 1, 0x11);
    g_assert_cmphex(cpu->sr.TCR_ELx[1], ==, 0x11);
    cpu->pc = 0x300;
    do_msr(cpu, tcr_el12, 1, 0x22);
    g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[2]), ==, 0);
    /* E2H = 1: TCR_EL1 reaches TCR_EL2, TCR_EL12 reaches TCR_EL1. */
    enter_el(cpu, 2);
    do_msr(cpu, SYSENC(3, 4, 1, 1, 0), 1, HCR_E2H);
    g_assert_true(cpu->sr.HCR_EL2 & HCR_E2H);
    g_assert_cmpuint(cpu->mmu_idx, ==, MMU_IDX_E20_2);
    do_msr(cpu, tcr_el1, 1, 0x33);
    g_assert_cmphex(cpu->sr.TCR_ELx[2], ==, 0x33);
    do_msr(cpu, tcr_el12, 1, 0x44);
    g_assert_cmphex(cpu->sr.TCR_ELx[1], ==, 0x44);
    do_mrs(cpu, tcr_el1, 5);
    g_assert_cmphex(cpu->x[5], ==, 0x33);
    cpu_destroy(cpu);
}

/* ---------------- FP checks ---------------- */

static void test_fp_checks(void)
{
    CPUState *cpu = new_cpu("max");
    enter_el(cpu, 1);
    cpu->pc = 0x900;
    g_assert_cmpint(cpu_check_fp_enabled(cpu), ==, EXEC_EXCEPTION);   /* CPACR_EL1.FPEN = 00 */
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(cpu->sr.ESR_ELx[1], ==, (0x07u << 26) | ESR_IL | 0x1e00000);
    enter_el(cpu, 1);
    cpu->sr.CPACR_EL1 = 3ULL << 20;
    g_assert_cmpint(cpu_check_fp_enabled(cpu), ==, EXEC_NEXT);
    cpu->sr.CPTR_EL2 |= CPTR_TFP;
    g_assert_cmpint(cpu_check_fp_enabled(cpu), ==, EXEC_EXCEPTION);
    g_assert_cmpuint(cpu->el, ==, 2);
    enter_el(cpu, 2);
    cpu->sr.CPTR_EL2 = 0x32ff;
    cpu->sr.CPTR_EL3 = CPTR_TFP;
    g_assert_cmpint(cpu_check_fp_enabled(cpu), ==, EXEC_EXCEPTION);
    g_assert_cmpuint(cpu->el, ==, 3);
    cpu_destroy(cpu);
}

/* ---------------- aborts ---------------- */

static void test_abort_syndrome(void)
{
    CPUState *cpu = new_cpu("max");
    enter_el(cpu, 1);
    cpu->pc = 0xa00;
    debug_insn = 0xb9400461;   /* ldr w1, [x3, #4] */
    MMUFault f = { .type = MMU_FAULT_TRANSLATION, .level = 3, .stage2 = true, .ipa = 0x123456789000ULL };
    g_assert_cmpint(cpu_raise_abort(cpu, &f, 0xffff000000001004ULL, MMU_ACCESS_READ), ==, EXEC_EXCEPTION);
    g_assert_cmpuint(cpu->el, ==, 2);
    /* EC 0x24, ISV=1, SAS=2 (word), SRT=1, SF=0, DFSC 0x07 */
    g_assert_cmphex(cpu->sr.ESR_ELx[2], ==, (0x24u << 26) | ESR_IL | (1u << 24) | (2u << 22) | (1u << 16) | 0x07);
    g_assert_cmphex(cpu->sr.FAR_ELx[2], ==, 0xffff000000001004ULL);
    g_assert_cmphex(cpu->sr.HPFAR_EL2, ==, 0x123456789000ULL >> 8);
    g_assert_cmphex(cpu->sr.ELR_ELx[2], ==, 0xa00);

    /* Store pair: no ISV; write. */
    enter_el(cpu, 1);
    debug_insn = 0xa9000fe2;   /* stp x2, x3, [sp] */
    MMUFault f2 = { .type = MMU_FAULT_PERMISSION, .level = 3, .stage2 = true, .ipa = 0x1000 };
    cpu_raise_abort(cpu, &f2, 0x2000, MMU_ACCESS_WRITE);
    g_assert_cmphex(cpu->sr.ESR_ELx[2] & 0x1ffffff, ==, (1u << 6) | 0x21);
    /* Signed load to X: ldrsh x5, [x1] -> SAS=1 SSE=1 SF=1. */
    enter_el(cpu, 1);
    debug_insn = 0x79800025;   /* ldrsh x5, [x1] */
    cpu_raise_abort(cpu, &f, 0x3000, MMU_ACCESS_READ);
    g_assert_cmphex(cpu->sr.ESR_ELx[2] & 0x1ffc000, ==, (1u << 24) | (1u << 22) | (1u << 21) | (5u << 16) | (1u << 15));
    /* Stage-1 fault at EL1: stays at EL1, same-EL EC, no ISV. */
    enter_el(cpu, 1);
    MMUFault f3 = { .type = MMU_FAULT_TRANSLATION, .level = 1 };
    cpu_raise_abort(cpu, &f3, 0x4000, MMU_ACCESS_FETCH);
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(cpu->sr.ESR_ELx[1], ==, (0x21u << 26) | ESR_IL | 0x05);
    g_assert_cmphex(cpu->sr.ELR_ELx[1], ==, 0x4000);
    cpu_destroy(cpu);
}

/* ---------------- PAuth ---------------- */

static void test_pauth(void)
{
    /* QARMA5 ComputePAC: PACGA of 0x1234 with modifier 0x5678 and
     * APGAKey = 0x0706050403020100:0x0f0e0d0c0b0a0908 (value from QEMU). */
    g_assert_cmphex(pauth_qarma5(0x1234, 0x5678, 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL) >> 32, ==,
                    0x64407fe3);
    for (int alg = 0; alg < 2; alg++) {
        CPUState *cpu = new_cpu(alg ? "max,pauth-impdef=off" : "max");
        enter_el(cpu, 1);
        cpu->sr.SCTLR_ELx[1] |= SCTLR_EnIA | SCTLR_EnIB | SCTLR_EnDA;
        cpu->sr.TCR_ELx[1] = 16 | (16ULL << 16);    /* T0SZ = T1SZ = 16: 48-bit VAs, no TBI */
        cpu->sr.APIAKey = (PAuthKey){ 0x0123456789abcdefULL, 0xfedcba9876543210ULL };
        cpu->sr.APIBKey = (PAuthKey){ 0x1111111111111111ULL, 0x2222222222222222ULL };
        uint64_t ptr = 0x0000aaaabbbbcc00ULL;
        uint64_t signed_ptr = pauth_add(cpu, ptr, 0x55, PAUTH_KEY_IA);
        g_assert_cmphex(signed_ptr & MASK64(48), ==, ptr);
        g_assert_cmphex(signed_ptr, !=, ptr);
        uint64_t v = signed_ptr;
        g_assert_true(pauth_auth(cpu, &v, 0x55, PAUTH_KEY_IA));
        g_assert_cmphex(v, ==, ptr);
        /* Wrong modifier: error code in bits [62:61] (no TBI), key A -> 0b01. */
        v = signed_ptr;
        pauth_auth(cpu, &v, 0x56, PAUTH_KEY_IA);
        g_assert_cmphex(v, ==, ptr | (1ULL << 61));
        /* Key B failure code 0b10. */
        v = pauth_add(cpu, ptr, 1, PAUTH_KEY_IB);
        v ^= 1ULL << 50;
        pauth_auth(cpu, &v, 1, PAUTH_KEY_IB);
        g_assert_cmphex(v, ==, ptr | (2ULL << 61));
        /* Strip restores the extension. */
        g_assert_cmphex(pauth_strip(cpu, signed_ptr, false), ==, ptr);
        /* Kernel pointer (upper range). */
        uint64_t kptr = 0xffff800012345678ULL;
        uint64_t ks = pauth_add(cpu, kptr, 0, PAUTH_KEY_IA);
        g_assert_true((ks >> 55) & 1);
        v = ks;
        pauth_auth(cpu, &v, 0, PAUTH_KEY_IA);
        g_assert_cmphex(v, ==, kptr);
        /* With TBI0: the top byte is kept and the error code goes to [54:53]. */
        cpu->sr.TCR_ELx[1] |= 1ULL << 37;
        uint64_t tptr = 0x5a00aaaabbbbcc00ULL;
        uint64_t ts = pauth_add(cpu, tptr, 9, PAUTH_KEY_IA);
        g_assert_cmphex(ts >> 56, ==, 0x5a);
        v = ts;
        pauth_auth(cpu, &v, 10, PAUTH_KEY_IA);
        g_assert_cmphex(v, ==, tptr | (1ULL << 53));
        /* Disabled key (EnDB = 0): unchanged. */
        g_assert_cmphex(pauth_add(cpu, ptr, 0, PAUTH_KEY_DB), ==, ptr);
        /* Trap: HCR_EL2.API = 0 at EL1 with the key enabled -> EC 0x09 to EL2. */
        cpu->sr.HCR_EL2 &= ~HCR_API;
        g_assert_cmpint(pauth_check(cpu, PAUTH_KEY_IA), ==, EXEC_EXCEPTION);
        g_assert_cmpuint(cpu->el, ==, 2);
        g_assert_cmpuint(esr_ec(cpu->sr.ESR_ELx[2]), ==, 0x09);
        cpu_destroy(cpu);
    }
}

/* ---------------- debug ---------------- */

static void test_debug(void)
{
    CPUState *cpu = new_cpu("max");
    enter_el(cpu, 1);
    const uint32_t mdscr = SYSENC(2, 0, 0, 2, 2), oslar = SYSENC(2, 0, 1, 0, 4);
    g_assert_cmpuint(cpu->debug_flags, ==, 0);
    do_msr(cpu, oslar, 1, 0);                     /* unlock the OS lock */
    do_msr(cpu, mdscr, 1, MDSCR_SS);
    g_assert_cmpuint(cpu->debug_flags, ==, DEBUG_ACTIVE_STEP);
    /* ERET to EL0 with SPSR.SS = 1: active-not-pending; one instruction runs. */
    cpu_exception_return(cpu, 0x6000, SPSR_SS);
    g_assert_cmpuint(cpu->el, ==, 0);
    g_assert_cmpuint(cpu->ss, ==, 1);
    g_assert_false(debug_check_insn(cpu));
    cpu->pc += 4;
    g_assert_true(debug_check_insn(cpu));          /* active-pending: step exception */
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(cpu->sr.ESR_ELx[1], ==, (0x32u << 26) | ESR_IL | (1u << 24) | 0x22);
    g_assert_cmphex(cpu->sr.ELR_ELx[1], ==, 0x6004);
    g_assert_false(cpu->sr.SPSR_ELx[1] & SPSR_SS);
    /* The stepped instruction faults: SPSR.SS = 1 (stepped again after return). */
    cpu_exception_return(cpu, 0x6000, SPSR_SS);
    g_assert_false(debug_check_insn(cpu));
    cpu_raise_undef(cpu);
    g_assert_true(cpu->sr.SPSR_ELx[1] & SPSR_SS);
    /* A stepped SVC completes: SPSR.SS = 0. */
    cpu_exception_return(cpu, 0x6000, SPSR_SS);
    g_assert_false(debug_check_insn(cpu));
    cpu_raise_svc(cpu, 0);
    g_assert_false(cpu->sr.SPSR_ELx[1] & SPSR_SS);
    /* At EL1 with KDE = 0 stepping is not active: nothing happens. */
    cpu->ss = 0;
    g_assert_false(debug_check_insn(cpu));
    g_assert_cmpuint(cpu->el, ==, 1);

    /* Breakpoint 0 on EL0 address 0x6008. */
    do_msr(cpu, mdscr, 1, MDSCR_MDE);
    cpu->sr.DBGBVR_EL1[0] = 0x6008;
    do_msr(cpu, SYSENC(2, 0, 0, 0, 5), 1, 1 | (2u << 1) | (0xfu << 5));   /* DBGBCR0: E, PMC=EL0, BAS */
    g_assert_cmpuint(cpu->debug_flags, ==, DEBUG_ACTIVE_BP);
    cpu_exception_return(cpu, 0x6004, 0);
    g_assert_false(debug_check_insn(cpu));
    cpu->pc = 0x6008;
    g_assert_true(debug_check_insn(cpu));
    g_assert_cmpuint(cpu->el, ==, 1);
    g_assert_cmphex(cpu->sr.ESR_ELx[1], ==, (0x30u << 26) | ESR_IL | 0x22);
    g_assert_cmphex(cpu->sr.ELR_ELx[1], ==, 0x6008);
    /* Not at EL1 (PMC = EL0 only), and not with the OS lock set. */
    cpu->pc = 0x6008;
    g_assert_false(debug_check_insn(cpu));
    do_msr(cpu, oslar, 1, 1);
    g_assert_cmpuint(cpu->debug_flags, ==, 0);
    cpu_destroy(cpu);
}

void test_nv_register(void);   /* tests/cpu_sys/test_nv.c: FEAT_NV/NV2 */

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    test_nv_register();
    g_test_add_func("/cpu-sys/models", test_models);
    g_test_add_func("/cpu-sys/models_no_el2", test_models_no_el2);
    g_test_add_func("/cpu-sys/sctlr_layouts", test_sctlr_layouts);
    g_test_add_func("/cpu-sys/table", test_table);
    g_test_add_func("/cpu-sys/reset", test_reset);
    g_test_add_func("/cpu-sys/svc_hvc_smc", test_svc_hvc_entry);
    g_test_add_func("/cpu-sys/undef_routing", test_undef_routing);
    g_test_add_func("/cpu-sys/eret_illegal", test_eret_illegal);
    g_test_add_func("/cpu-sys/irq_routing", test_irq_routing);
    g_test_add_func("/cpu-sys/sysreg_traps", test_sysreg_traps);
    g_test_add_func("/cpu-sys/hcr_controls", test_hcr_controls);
    g_test_add_func("/cpu-sys/vhe_redirect", test_vhe_redirect);
    g_test_add_func("/cpu-sys/fp_checks", test_fp_checks);
    g_test_add_func("/cpu-sys/abort_syndrome", test_abort_syndrome);
    g_test_add_func("/cpu-sys/pauth", test_pauth);
    g_test_add_func("/cpu-sys/debug", test_debug);
    return g_test_run();
}
