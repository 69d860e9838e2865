/*
 * The system-register table (cpu/sysreg_table.c) and its access engine
 * (cpu/sysreg.c). One row per register or system instruction, keyed by the
 * packed encoding MMU_SYSREG_ENC(op0, op1, CRn, CRm, op2) = the ISS order of
 * EC 0x18. Lookup is a direct index (65536 entries of uint16_t), built once.
 *
 * An access runs, in the Arm ARM's order: existence (feature) check, EL
 * check (with FEAT_NV traps of EL1 accesses to EL2 registers), the row's
 * EL0 enable check, the HCR_EL2/MDCR_EL2/CPTR traps named by the row's trap
 * bits, the row's own access function, then the read/write through storage
 * or hooks. Writes apply the RES0/RES1 masks.
 */
#ifndef TANDEM_CPU_SYSREG_H
#define TANDEM_CPU_SYSREG_H

#include "cpu/cpu.h"
#include "cpu/exception.h"

struct SysRegDef;

/* Result of an access check. */
typedef enum SysRegAccess {
    SR_OK = 0,
    SR_UNDEF,          /* UNDEFINED (EC 0x00) */
    SR_TRAP_EL1,       /* EC 0x18 to EL1 (EL0 access disabled; to EL2 when TGE) */
    SR_TRAP_EL2,       /* EC 0x18 to EL2 */
    SR_TRAP_EL3,       /* EC 0x18 to EL3 */
    SR_TAKEN,          /* the check took an exception itself (e.g. EC 0x07/0x19) */
} SysRegAccess;

typedef SysRegAccess (*SysRegAccessFn)(CPUState *cpu, const struct SysRegDef *r, bool isread);
typedef uint64_t (*SysRegReadFn)(CPUState *cpu, const struct SysRegDef *r);
/* Writes return EXEC_SYNC normally; a write may take an exception itself. */
typedef ExecStatus (*SysRegWriteFn)(CPUState *cpu, const struct SysRegDef *r, uint64_t value);

/* Row flags */
enum {
    SRF_R = 1u << 0,          /* readable (MRS / SYSL) */
    SRF_W = 1u << 1,          /* writable (MSR / SYS) */
    SRF_RW = SRF_R | SRF_W,
    SRF_CONST = 1u << 2,      /* value from cpu->id or computed: not reset by the table */
    SRF_EL12 = 1u << 3,       /* *_EL12 / *_EL02 alias: EL2 with E2H=1 (or EL3) only */
    SRF_FLUSH = 1u << 4,      /* write changes translation: flush the soft TLB */
    SRF_ELSTATE = 1u << 5,    /* write may change mmu_idx / SP banking */
    SRF_SYS = 1u << 6,        /* op0=1 instruction (SYS/SYSL), value is Xt */
    SRF_W32 = 1u << 7,        /* 32-bit field of CPUState (storage is uint32_t) */
    SRF_EL2REG = 1u << 8,     /* an EL2 register: EL1 access with HCR_EL2.NV traps to EL2 */
    SRF_IMPDEF = 1u << 9,     /* IMPLEMENTATION DEFINED register: HCR_EL2.TIDCP */
};

/* Trap bits: which HCR_EL2 / MDCR / CPTR / SCR controls apply to this row. */
enum {
    TR_TVM = 1u << 0,     /* HCR_EL2.TVM (writes) and TRVM (reads) */
    TR_TID0 = 1u << 1,
    TR_TID1 = 1u << 2,
    TR_TID2 = 1u << 3,
    TR_TID3 = 1u << 4,
    TR_TACR = 1u << 5,
    TR_TSW = 1u << 6,
    TR_TPCP = 1u << 7,
    TR_TPU = 1u << 8,
    TR_TTLB = 1u << 9,
    TR_TOCU = 1u << 10,
    TR_TICAB = 1u << 11,
    TR_TDZ = 1u << 12,    /* HCR_EL2.TDZ for DC ZVA (and DCZID.DZP) */
    TR_TDA = 1u << 13,    /* MDCR_EL2/EL3.TDA: debug registers */
    TR_TDOSA = 1u << 14,  /* OS lock / power-down debug registers */
    TR_TDRA = 1u << 15,   /* debug ROM address */
    TR_TPM = 1u << 16,    /* PMU registers (MDCR_EL2.TPM, MDCR_EL3.TPM) */
    TR_TPMCR = 1u << 17,  /* PMCR_EL0 (MDCR_EL2.TPMCR) */
    TR_APK = 1u << 18,    /* PAuth key registers: HCR_EL2.APK / SCR_EL3.APK */
    TR_FP = 1u << 19,     /* FPCR/FPSR: FP access checks (EC 0x07) */
    TR_SVE = 1u << 20,    /* ZCR_ELx: SVE access checks (EC 0x19) */
    TR_TTLBIS = 1u << 21, /* inner shareable TLBI: also HCR_EL2.TTLBIS */
    TR_TTLBOS = 1u << 22,
    TR_TID4 = 1u << 23,   /* CCSIDR/CLIDR/CSSELR with FEAT_EVT */
};

/* Feature a row needs to exist (otherwise the encoding is UNDEFINED). */
typedef enum SysRegFeat {
    SRFEAT_NONE = 0,
    SRFEAT_EL2, SRFEAT_EL3, SRFEAT_VHE, SRFEAT_PAUTH, SRFEAT_SVE, SRFEAT_PMU,
    SRFEAT_PAN, SRFEAT_UAO, SRFEAT_DIT, SRFEAT_SSBS, SRFEAT_FGT, SRFEAT_NV2,
    SRFEAT_HCX, SRFEAT_RAS, SRFEAT_FP, SRFEAT_DPB, SRFEAT_DPB2, SRFEAT_MTE,
    SRFEAT_PAN2, SRFEAT_LOR, SRFEAT_SPECRES, SRFEAT_TLBIOS, SRFEAT_TLBIRANGE,
    SRFEAT_RNG,
} SysRegFeat;

typedef struct SysRegDef {
    const char *name;
    uint32_t enc;          /* MMU_SYSREG_ENC(op0, op1, CRn, CRm, op2) */
    uint8_t min_el;        /* lowest EL that may access it (EL0 rows use `access` for enables) */
    uint8_t feat;          /* SysRegFeat */
    uint16_t flags;        /* SRF_* */
    uint32_t traps;        /* TR_* */
    int32_t offset;        /* offsetof(CPUState, ...) of the storage, or -1 */
    int32_t el2_offset;    /* E2H=1 at EL2: the EL2 register this EL1 name reaches, or -1 */
    uint64_t reset;
    uint64_t res0, res1;   /* write masks (RES0 bits read as 0, RES1 as 1) */
    SysRegAccessFn access; /* extra checks (EL0 enables, SCR/CPTR rules) */
    SysRegReadFn read;     /* replaces the storage read */
    SysRegWriteFn write;   /* replaces the storage write (after RES masks) */
} SysRegDef;

extern const SysRegDef sysreg_table[];
extern const unsigned sysreg_table_count;

/* The row for an encoding, or NULL. */
const SysRegDef *sysreg_lookup(uint32_t enc);
/* Apply every row's reset value (cpu_reset). */
void sysreg_reset(CPUState *cpu);
/* Is the row's feature present on this CPU? */
bool sysreg_present(const CPUState *cpu, const SysRegDef *r);

/* Write a row's storage (VHE redirection applied); for write hooks that only add side effects. */
void sysreg_store(CPUState *cpu, const SysRegDef *r, uint64_t v);

/* MRS / MSR / SYS / SYSL through the table. */
ExecStatus sysreg_mrs(CPUState *cpu, uint32_t enc, unsigned rt);
ExecStatus sysreg_msr(CPUState *cpu, uint32_t enc, unsigned rt);
ExecStatus sysreg_sys(CPUState *cpu, uint32_t enc, unsigned rt, bool is_sysl);

/* Value of SP_ELn whether or not it is the currently selected stack pointer. */
static inline uint64_t cpu_sp_el(const CPUState *cpu, unsigned n)
{
    return cpu->sp_bank == n ? cpu->sp : cpu->sr.SP_ELx[n];
}
static inline void cpu_set_sp_el(CPUState *cpu, unsigned n, uint64_t v)
{
    if (cpu->sp_bank == n) {
        cpu->sp = v;
    } else {
        cpu->sr.SP_ELx[n] = v;
    }
}

/* ISS of EC 0x18 for (enc, rt, direction). */
static inline uint32_t sysreg_trap_iss(uint32_t enc, unsigned rt, bool isread)
{
    unsigned op0 = (enc >> 14) & 3, op1 = (enc >> 11) & 7, crn = (enc >> 7) & 15;
    unsigned crm = (enc >> 3) & 15, op2 = enc & 7;
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) |
           (isread ? 1u : 0u);
}

#endif
