/*
 * Built-in EL3 firmware: SMCCC 1.1 (DEN0028) and PSCI 1.1 (DEN0022).
 *
 * Calls are handled synchronously on the calling vCPU. Because vCPUs run
 * round-robin in one thread, CPU_ON completes before the call returns: the
 * target is never observed in ON_PENDING.
 */
#include "devices/firmware.h"

#include "core/addrspace.h"
#include "core/log.h"
#include "core/machine.h"
#include "devices/firmware_sdei.h"

/* Function IDs (DEN0028 2.5: bit31 fast, bit30 SMC64, OEN in 29:24). */
#define SMCCC_FAST_CALL        (1u << 31)
#define SMCCC_64BIT            (1u << 30)
#define SMCCC_OEN(fid)         (((fid) >> 24) & 0x3f)
#define SMCCC_VERSION          0x80000000u
#define SMCCC_ARCH_FEATURES    0x80000001u
#define SMCCC_ARCH_SOC_ID      0x80000002u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffu
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffu

#define PSCI_0_2_FN(n)   (0x84000000u + (n))
#define PSCI_0_2_FN64(n) (0xc4000000u + (n))
#define PSCI_VERSION             PSCI_0_2_FN(0)
#define PSCI_CPU_SUSPEND         PSCI_0_2_FN(1)
#define PSCI_CPU_OFF             PSCI_0_2_FN(2)
#define PSCI_CPU_ON              PSCI_0_2_FN(3)
#define PSCI_AFFINITY_INFO       PSCI_0_2_FN(4)
#define PSCI_MIGRATE             PSCI_0_2_FN(5)
#define PSCI_MIGRATE_INFO_TYPE   PSCI_0_2_FN(6)
#define PSCI_MIGRATE_INFO_UP_CPU PSCI_0_2_FN(7)
#define PSCI_SYSTEM_OFF          PSCI_0_2_FN(8)
#define PSCI_SYSTEM_RESET        PSCI_0_2_FN(9)
#define PSCI_FEATURES            PSCI_0_2_FN(10)
#define PSCI_SYSTEM_RESET2       PSCI_0_2_FN(0x12)

#define PSCI_VERSION_1_1 0x00010001u
#define SMCCC_VERSION_1_1 0x00010001u
/* SMCCC_ARCH_FEATURES answers for the workaround queries (DEN0028 7.x). */
#define SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED 1

/* AFFINITY_INFO results */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1

/* MIGRATE_INFO_TYPE: 2 = no Trusted OS, migration not needed. */
#define PSCI_TOS_NOT_PRESENT_MP 2

/* CPU_SUSPEND power_state, extended StateID format (DEN0022 5.4.2.2). */
#define PSTATE_TYPE_POWERDOWN (1u << 30)
#define PSTATE_ID_MASK 0x0fffffffu
/* PSCI_FEATURES(CPU_SUSPEND): bit1 = extended power_state format, bit0 = OSI mode (no) */
#define PSCI_FEATURES_CPU_SUSPEND_FLAGS 0x2

/* SCR_EL3 bits (D19.2.x SCR_EL3) */
#define SCR_NS     (1ULL << 0)
#define SCR_HCE    (1ULL << 8)
#define SCR_RW     (1ULL << 10)
#define SCR_APK    (1ULL << 16)
#define SCR_API    (1ULL << 17)
#define SCR_ENSCXT (1ULL << 25)
#define SCR_ATA    (1ULL << 26)
#define SCR_FGTEN  (1ULL << 27)
#define SCR_HXEN   (1ULL << 38)
#define CPTR_EL3_EZ (1ULL << 8)

static unsigned fw_id_field(uint64_t reg, unsigned shift)
{
    return (unsigned)extract64(reg, shift, 4);
}

static bool fw_have_el2(const CPUState *cpu) { return fw_id_field(cpu->id.ID_AA64PFR0_EL1, 8) != 0; }
static bool fw_have_el3(const CPUState *cpu) { return fw_id_field(cpu->id.ID_AA64PFR0_EL1, 12) != 0; }

bool firmware_enabled(const CPUState *cpu)
{
    const Machine *m = cpu->machine;
    return m && !m->opts.bios;
}

bool firmware_conduit_is_smc(const CPUState *cpu)
{
    return fw_have_el3(cpu) || fw_have_el2(cpu);
}

void firmware_enter_payload(CPUState *cpu, uint64_t entry_pa, uint64_t x0_value)
{
    const CPUIDRegs *id = &cpu->id;
    bool el2 = fw_have_el2(cpu);
    /* Everything Non-secure, AArch64 below EL3, interrupts routed to the
     * lower ELs (SCR_EL3.IRQ = FIQ = EA = 0), SMC enabled, and every optional
     * feature whose registers would otherwise trap to EL3 enabled. */
    uint64_t scr = SCR_NS | SCR_RW | (el2 ? SCR_HCE : 0);
    if (fw_id_field(id->ID_AA64ISAR1_EL1, 4) || fw_id_field(id->ID_AA64ISAR1_EL1, 8) ||
        fw_id_field(id->ID_AA64ISAR2_EL1, 12) || fw_id_field(id->ID_AA64ISAR1_EL1, 24) ||
        fw_id_field(id->ID_AA64ISAR1_EL1, 28) || fw_id_field(id->ID_AA64ISAR2_EL1, 8)) {
        scr |= SCR_APK | SCR_API;
    }
    if (fw_id_field(id->ID_AA64PFR0_EL1, 56) >= 2) {
        scr |= SCR_ENSCXT;
    }
    if (fw_id_field(id->ID_AA64PFR1_EL1, 8) >= 2) {
        scr |= SCR_ATA;
    }
    if (fw_id_field(id->ID_AA64MMFR0_EL1, 56)) {
        scr |= SCR_FGTEN;
    }
    if (fw_id_field(id->ID_AA64MMFR1_EL1, 40)) {
        scr |= SCR_HXEN;
    }
    cpu->sr.SCR_EL3 = scr;
    cpu->sr.CPTR_EL3 = fw_id_field(id->ID_AA64PFR0_EL1, 32) ? CPTR_EL3_EZ : 0;
    cpu->sr.MDCR_EL3 = 0;
    if (fw_id_field(id->ID_AA64PFR0_EL1, 32)) {
        cpu->sr.ZCR_ELx[3] = 0xf;   /* lower ELs may use every implemented vector length */
    }

    unsigned target_el = el2 ? 2 : 1;
    memset(cpu->x, 0, sizeof(cpu->x));
    cpu->x[0] = x0_value;
    cpu->pc = entry_pa;
    cpu->el = target_el;
    cpu->spsel = 1;
    cpu->daif = PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F;
    cpu->nzcv = 0;
    cpu->pan = cpu->uao = cpu->dit = cpu->tco = cpu->btype = cpu->ss = cpu->il = 0;
    cpu_update_el_state(cpu);
    cpu->exit_request = 1;
}

static CPUState *fw_find_cpu(Machine *m, uint64_t mpidr)
{
    /* Aff3:Aff2:Aff1:Aff0 = bits 39:32, 23:16, 15:8, 7:0 */
    const uint64_t aff_mask = 0xff00ffffffULL;
    if (mpidr & ~aff_mask) {
        return NULL;
    }
    for (int i = 0; i < m->ncpus; i++) {
        if (m->cpus[i] && (m->cpus[i]->id.MPIDR_EL1 & aff_mask) == mpidr) {
            return m->cpus[i];
        }
    }
    return NULL;
}

/* An entry point must be a 4-byte aligned address of RAM or ROM. */
static bool fw_valid_entry(Machine *m, uint64_t entry_pa)
{
    if (entry_pa & 3) {
        return false;
    }
    const MemRegion *r = addrspace_find(&m->as, entry_pa);
    return r && r->ram;
}

static void fw_power_off_cpu(CPUState *cpu)
{
    cpu->powered_off = true;
    cpu->halted = true;
    cpu->exit_request = 1;
}

static int64_t psci_cpu_on(CPUState *cpu, uint64_t mpidr, uint64_t entry_pa, uint64_t context_id)
{
    Machine *m = cpu->machine;
    CPUState *target = fw_find_cpu(m, mpidr);
    if (!target) {
        return PSCI_INVALID_PARAMETERS;
    }
    if (!target->powered_off) {
        return PSCI_ALREADY_ON;
    }
    if (!fw_valid_entry(m, entry_pa)) {
        return PSCI_INVALID_ADDRESS;
    }
    LOG(LOG_INT, "psci: CPU_ON cpu %d -> cpu %d entry 0x%llx ctx 0x%llx\n", cpu->cpu_index,
        target->cpu_index, (unsigned long long)entry_pa, (unsigned long long)context_id);
    /* A powered-up core starts from reset (DEN0022 6.4: "warm boot" state). */
    cpu_reset(target);
    sdei_cpu_on(target);
    firmware_enter_payload(target, entry_pa, context_id);
    target->powered_off = false;
    target->halted = false;
    return PSCI_SUCCESS;
}

static int64_t psci_affinity_info(CPUState *cpu, uint64_t target_affinity, uint64_t level)
{
    /* From PSCI 1.0, affinity levels above 0 are optional: Tandem supports
     * only level 0 (a single core), answering INVALID_PARAMETERS otherwise. */
    if (level != 0) {
        return PSCI_INVALID_PARAMETERS;
    }
    CPUState *target = fw_find_cpu(cpu->machine, target_affinity);
    if (!target) {
        return PSCI_INVALID_PARAMETERS;
    }
    return target->powered_off ? PSCI_AFF_OFF : PSCI_AFF_ON;
}

static int64_t psci_cpu_suspend(CPUState *cpu, uint64_t power_state, uint64_t entry_pa,
                                uint64_t context_id)
{
    /* Extended StateID format: one standby state (StateID 0, type 0) and
     * one powerdown state (StateID 0, type 1); everything else is invalid. */
    if (power_state & ~(uint64_t)(PSTATE_TYPE_POWERDOWN | PSTATE_ID_MASK)) {
        return PSCI_INVALID_PARAMETERS;
    }
    if (power_state & PSTATE_ID_MASK) {
        return PSCI_INVALID_PARAMETERS;
    }
    if (power_state & PSTATE_TYPE_POWERDOWN) {
        if (!fw_valid_entry(cpu->machine, entry_pa)) {
            return PSCI_INVALID_ADDRESS;
        }
        /* Powerdown: the core loses its context; it wakes on an interrupt
         * (WFI wake-up rules) and enters entry_pa like CPU_ON, with the
         * registers below EL3 kept (a powerdown state may keep more than it
         * must; DEN0022 6.5). */
        firmware_enter_payload(cpu, entry_pa, context_id);
        cpu->pc -= 4;          /* the CPU steps over the SMC after firmware_call() (EXEC_SYNC) */
        cpu->halted = true;
        return PSCI_SUCCESS;   /* not seen: x0 was just set to context_id */
    }
    /* Standby: like WFI, returns SUCCESS when an interrupt wakes the core. */
    cpu->halted = true;
    cpu->exit_request = 1;
    return PSCI_SUCCESS;
}

static bool psci_fid_implemented(uint32_t fid)
{
    switch (fid) {
    case PSCI_VERSION: case PSCI_CPU_SUSPEND: case PSCI_0_2_FN64(1):
    case PSCI_CPU_OFF: case PSCI_CPU_ON: case PSCI_0_2_FN64(3):
    case PSCI_AFFINITY_INFO: case PSCI_0_2_FN64(4):
    case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES: case PSCI_SYSTEM_RESET2: case PSCI_0_2_FN64(0x12):
    case SMCCC_VERSION:
        return true;
    default:
        return false;
    }
}

static int64_t psci_features(uint32_t fid)
{
    if (!psci_fid_implemented(fid)) {
        return PSCI_NOT_SUPPORTED;
    }
    if (fid == PSCI_CPU_SUSPEND || fid == PSCI_0_2_FN64(1)) {
        return PSCI_FEATURES_CPU_SUSPEND_FLAGS;
    }
    return PSCI_SUCCESS;
}

static void fw_system_reset(CPUState *cpu)
{
    Machine *m = cpu->machine;
    if (m->opts.no_reboot) {
        machine_request_shutdown(m, 0);   /* -no-reboot: a reset request ends the run */
    } else {
        machine_request_reset(m);
    }
    cpu->halted = true;
    cpu->exit_request = 1;
}

/* One call; returns the value for x0, or false in *returns when the call
 * does not return to the caller (CPU_OFF, SYSTEM_OFF...). */
static int64_t fw_dispatch(CPUState *cpu, uint32_t fid, const uint64_t *arg, bool *returns)
{
    Machine *m = cpu->machine;
    *returns = true;
    if (sdei_owns_fid(fid) && sdei_present(m)) {
        sdei_call(cpu, fid, arg);     /* writes its own results (devices/firmware_sdei.c) */
        *returns = false;
        return 0;
    }
    switch (fid) {
    case SMCCC_VERSION:
        return SMCCC_VERSION_1_1;
    case SMCCC_ARCH_FEATURES:
        switch ((uint32_t)arg[1]) {
        case SMCCC_VERSION: case SMCCC_ARCH_FEATURES:
            return PSCI_SUCCESS;
        case SMCCC_ARCH_WORKAROUND_1:
        case SMCCC_ARCH_WORKAROUND_2:
        case SMCCC_ARCH_WORKAROUND_3:
            /* An interpreter does not speculate: no branch-target injection,
             * no speculative store bypass, no BHB. "Not required" (1) is the
             * honest answer (docs/impdef.md). */
            return SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED;
        default:
            return PSCI_NOT_SUPPORTED;
        }
    case SMCCC_ARCH_WORKAROUND_1: case SMCCC_ARCH_WORKAROUND_2: case SMCCC_ARCH_WORKAROUND_3:
        /* Nothing to mitigate; the calls have no results (x0 unchanged). */
        *returns = false;
        return 0;
    case PSCI_VERSION:
        return PSCI_VERSION_1_1;
    case PSCI_FEATURES:
        return psci_features((uint32_t)arg[1]);
    case PSCI_CPU_ON: case PSCI_0_2_FN64(3):
        return psci_cpu_on(cpu, arg[1], arg[2], arg[3]);
    case PSCI_CPU_OFF:
        LOG(LOG_INT, "psci: CPU_OFF cpu %d\n", cpu->cpu_index);
        fw_power_off_cpu(cpu);
        *returns = false;
        return 0;
    case PSCI_CPU_SUSPEND: case PSCI_0_2_FN64(1): {
        int64_t r = psci_cpu_suspend(cpu, arg[1], arg[2], arg[3]);
        if (r == PSCI_SUCCESS && (arg[1] & PSTATE_TYPE_POWERDOWN)) {
            *returns = false;
        }
        return r;
    }
    case PSCI_AFFINITY_INFO: case PSCI_0_2_FN64(4):
        return psci_affinity_info(cpu, arg[1], arg[2]);
    case PSCI_MIGRATE_INFO_TYPE:
        return PSCI_TOS_NOT_PRESENT_MP;
    case PSCI_SYSTEM_OFF:
        LOG(LOG_INT, "psci: SYSTEM_OFF from cpu %d\n", cpu->cpu_index);
        machine_request_shutdown(m, 0);
        fw_power_off_cpu(cpu);
        *returns = false;
        return 0;
    case PSCI_SYSTEM_RESET:
        fw_system_reset(cpu);
        *returns = false;
        return 0;
    case PSCI_SYSTEM_RESET2: case PSCI_0_2_FN64(0x12): {
        uint32_t type = (uint32_t)arg[1];
        /* Architectural reset types (bit31 = 0): only 0, SYSTEM_WARM_RESET.
         * Vendor types (bit31 = 1): none defined by Tandem. */
        if (type != 0) {
            return (type & (1u << 31)) ? PSCI_NOT_SUPPORTED : PSCI_INVALID_PARAMETERS;
        }
        fw_system_reset(cpu);
        *returns = false;
        return 0;
    }
    default:
        LOG(LOG_UNIMP, "firmware: unknown function id 0x%08x from cpu %d\n", fid, cpu->cpu_index);
        return PSCI_NOT_SUPPORTED;
    }
}

void firmware_call(CPUState *cpu, bool is_smc, uint16_t imm16)
{
    uint32_t fid = (uint32_t)cpu->x[0];
    uint64_t arg[8];
    bool smc64 = fid & SMCCC_64BIT;
    for (int i = 0; i < 8; i++) {
        /* SMC32/HVC32: arguments are W registers (DEN0028 2.6). */
        arg[i] = smc64 ? cpu->x[i] : (uint32_t)cpu->x[i];
    }
    int64_t ret;
    bool returns = true;
    if (imm16 != 0 || !(fid & SMCCC_FAST_CALL)) {
        /* Non-zero immediates are reserved and yielding calls are not
         * provided (no Trusted OS): Unknown Function. The function ID is
         * W0; the upper half of X0 is ignored. */
        ret = PSCI_NOT_SUPPORTED;
    } else {
        ret = fw_dispatch(cpu, fid, arg, &returns);
    }
    (void)is_smc;
    if (returns) {
        /* x0 gets the result; x1-x3 are unchanged (no call here has more than
         * one result), x4-x17 are preserved (SMCCC 1.1). A negative 32-bit
         * result is sign-extended, as Linux and QEMU expect. */
        cpu->x[0] = smc64 ? (uint64_t)ret : (uint64_t)(int64_t)(int32_t)ret;
    }
}
