/*
 * Nested virtualization: FEAT_NV and FEAT_NV2 (Arm ARM D8.14).
 *
 * With HCR_EL2.NV = 1 a guest hypervisor runs at EL1 believing it is at EL2.
 * What the architecture adds, and where Tandem does it:
 *  - EL1 accesses to *_EL2, *_EL12, *_EL02 registers, SP_EL1 and the EL2-only
 *    AT/TLBI instructions trap to EL2 with EC 0x18 (SRF_EL2REG/SRF_EL12 rows
 *    in cpu/sysreg.c; the GIC and timer hooks do it for their registers);
 *  - ERET/ERETAA/ERETAB at EL1 trap with EC 0x1A (cpu/trans_sys.c);
 *  - CurrentEL reads EL2 (cpu/sysreg_hooks.c), HCR_EL2.AT traps EL1 AT S1E0x/S1E1x;
 *  - NV1 traps VBAR_EL1/ELR_EL1/SPSR_EL1 and, with NV2, NV/NV1 decide which
 *    accesses become loads/stores to the VNCR page or go to EL1 registers:
 *    the table in cpu/nv_table.c (register -> {memory offset, redirect, trap})
 *    and this module's hooks, called from the system-register access path;
 *  - SPSR_EL1.M[3:2] reads EL2 for exceptions EL1 -> EL1 (nv_entry_spsr).
 *
 * Everything here is keyed on EffectiveHCR_EL2_NVx() = HCR_EL2.<NV2,NV1,NV>
 * as the Arm ARM's J1.3 pseudocode computes it.
 */
#ifndef TANDEM_CPU_NV_H
#define TANDEM_CPU_NV_H

#include "cpu/regime.h"

struct SysRegDef;

/* NVx values (bit 0 = NV, bit 1 = NV1, bit 2 = NV2) as a set: bit v set <=> NVx == v. */
#define NVX_SET(v) (1u << (v))
#define NVX_xx1 (NVX_SET(1) | NVX_SET(3) | NVX_SET(5) | NVX_SET(7))
#define NVX_1x1 (NVX_SET(5) | NVX_SET(7))
#define NVX_101 NVX_SET(5)
#define NVX_111 NVX_SET(7)
#define NVX_011 NVX_SET(3)

/* How NVx changes an EL1 access to one register (a row of cpu/nv_table.c). */
typedef struct NVRegDef {
    const char *name;
    uint32_t enc;        /* MMU_SYSREG_ENC(op0, op1, CRn, CRm, op2) */
    uint16_t mem_off;    /* offset in the VNCR page */
    uint8_t mem;         /* NVx values for which the access is NVMem[mem_off] */
    uint8_t redir;       /* NVx values for which the access reaches redir_enc's EL1 register */
    uint8_t trap;        /* NVx values for which the access traps to EL2 (EC 0x18) */
    uint8_t late;        /* 1: an EL1 register: the row's own traps (TVM, FGT, CPACR...) come first */
    uint8_t cnthctl;     /* 1: CNTP_*_EL0: CNTHCTL_EL2.EL1PCEN/EL1PTEN trap first */
    uint32_t redir_enc;  /* the EL1 register an EL2 name is redirected to (NV2) */
} NVRegDef;

extern const NVRegDef nv_table[];
extern const unsigned nv_table_count;

/* The NV row for an encoding, or NULL. */
const NVRegDef *nv_lookup(uint32_t enc);

/* EffectiveHCR_EL2_NVx(): <NV2,NV1,NV> as 3 bits, 0 when EL2 is disabled or NV absent. */
static inline unsigned nv_effective(const CPUState *cpu)
{
    if (!cpu_have_nv(cpu) || !cpu_el2_enabled(cpu)) {
        return 0;
    }
    uint64_t hcr = cpu->sr.HCR_EL2;
    if (!(hcr & HCR_NV)) {
        /* {NV,NV1} = {0,1} is CONSTRAINED UNPREDICTABLE: Tandem behaves as {0,0} (docs/impdef.md). */
        return 0;
    }
    unsigned v = 1u | ((hcr & HCR_NV1) ? 2u : 0u);
    if (cpu_have_nv2(cpu) && (hcr & HCR_NV2)) {
        v |= 4u;
    }
    return v;
}

/* Cheap test for the system-register path: an EL1 access with HCR_EL2.NV set. */
static inline bool nv_active(const CPUState *cpu)
{
    return cpu->el == 1 && (cpu->sr.HCR_EL2 & HCR_NV);
}

/*
 * The system-register hook (cpu/sysreg.c), called only when nv_active().
 * `late` = false: before the row's own checks (EL2 registers, the _EL12 and _EL02 aliases,
 * device-owned registers); `late` = true: after the row's checks passed (EL1
 * registers, whose TVM/FGT/enable traps take priority). Returns true when NV
 * decided the access: *st is the result (memory access done, EL1 register
 * accessed, or an exception taken). False: the normal path continues.
 */
bool nv_sysreg_access(CPUState *cpu, const struct SysRegDef *r, uint32_t enc, unsigned rt,
                      bool isread, bool late, ExecStatus *st);

/*
 * AArch64.TakeException: an exception taken from EL1 to EL1 with NVx in
 * {x01, 111} records EL2 in SPSR_EL1.M[3:2].
 */
static inline uint64_t nv_entry_spsr(const CPUState *cpu, unsigned from_el, unsigned target_el,
                                     uint64_t spsr)
{
    if (from_el == 1 && target_el == 1 && (cpu->sr.HCR_EL2 & HCR_NV)) {
        unsigned nvx = nv_effective(cpu);
        if (nvx == 1 || nvx == 5 || nvx == 7) {
            spsr = (spsr & ~0xcULL) | 0x8ULL;
        }
    }
    return spsr;
}

/*
 * NVMem[offset]: the 64-bit load/store of a transformed register access at
 * VNCR_EL2.BADDR + offset, translated in the EL2 (E2H = 0) or EL2&0 regime
 * as an EL2 access with PAN = 0. A fault is a Data Abort to EL2 with EC 0x25
 * and ISS.VNCR = 1. Returns false when an exception was taken.
 */
bool nv_mem_access(CPUState *cpu, unsigned offset, bool isread, uint64_t *value);

#endif
