/*
 * CPU models and feature switches (-cpu NAME[,feat=on|off,...]).
 *
 * The ID registers in cpu->id are the single source of truth: every feature
 * test inside Tandem reads them through the helpers below, so a feature that
 * is switched off (or not implemented yet) is absent everywhere at once.
 * How to advertise a feature you implemented: docs/design.md, "Advertising a
 * feature".
 */
#ifndef TANDEM_CPU_FEATURES_H
#define TANDEM_CPU_FEATURES_H

#include "cpu/cpu.h"

/* The CPU model behind cpu->features. */
typedef struct CPUFeatures {
    const char *model;        /* "max", "cortex-a57" */
    bool has_el2, has_el3;
    bool pauth_qarma5;        /* PAuth algorithm: QARMA5 (APA=5) or Tandem's IMPDEF one (API=1) */
    unsigned sve_max_vq;      /* 0 when SVE is absent */
    uint32_t sve_vq_map;      /* bit (vq-1) set when VL = vq*128 is implemented */
    bool tlb_strict;          /* tlb=strict: TLB entries live until a covering TLBI (mmu/) */
} CPUFeatures;

/*
 * Parse model_spec and fill cpu->id and *f. have_el2 comes from the machine
 * (-M virtualization=on|off). Returns false with a g_malloc'ed message in
 * *error for an unknown model or feature, or a feature Tandem does not
 * implement.
 */
bool features_init(CPUState *cpu, CPUFeatures *f, const char *model_spec, bool have_el2,
                   char **error);

/* Print the models and switchable features (for -cpu help). */
void features_print_help(void);

static inline const CPUFeatures *cpu_features(const CPUState *cpu)
{
    return (const CPUFeatures *)cpu->features;
}

/* --- feature tests: read the ID registers (what is advertised) --- */
#define ID_FIELD(cpu, reg, shift) ((unsigned)extract64((cpu)->id.reg, (shift), 4))

static inline bool cpu_have_el2(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR0_EL1, 8) != 0; }
static inline bool cpu_have_el3(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR0_EL1, 12) != 0; }
static inline bool cpu_have_fp(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR0_EL1, 16) != 0xf; }
static inline bool cpu_have_advsimd(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR0_EL1, 20) != 0xf; }
static inline bool cpu_have_sve(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR0_EL1, 32) != 0; }
static inline bool cpu_have_ras(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR0_EL1, 28) != 0; }
static inline bool cpu_have_dit(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR0_EL1, 48) != 0; }
static inline bool cpu_have_bti(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR1_EL1, 0) != 0; }
static inline bool cpu_have_ssbs(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR1_EL1, 4) != 0; }
static inline bool cpu_have_mte(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64PFR1_EL1, 8) >= 2; }
static inline bool cpu_have_flagm(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR0_EL1, 52) >= 1; }
static inline bool cpu_have_flagm2(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR0_EL1, 52) >= 2; }
static inline bool cpu_have_sb(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR1_EL1, 36) != 0; }
static inline bool cpu_have_dgh(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR1_EL1, 48) != 0; }
static inline bool cpu_have_specres(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR1_EL1, 40) != 0; }
static inline bool cpu_have_dpb(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR1_EL1, 0) >= 1; }
static inline bool cpu_have_dpb2(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR1_EL1, 0) >= 2; }
static inline bool cpu_have_clrbhb(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR2_EL1, 28) != 0; }
static inline bool cpu_have_wfxt(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64ISAR2_EL1, 0) >= 2; }
/* FEAT_PAuth: address authentication with either algorithm. */
static inline bool cpu_have_pauth(const CPUState *cpu)
{
    return ID_FIELD(cpu, ID_AA64ISAR1_EL1, 4) || ID_FIELD(cpu, ID_AA64ISAR1_EL1, 8) ||
           ID_FIELD(cpu, ID_AA64ISAR2_EL1, 12);
}
static inline bool cpu_have_pacga(const CPUState *cpu)
{
    return ID_FIELD(cpu, ID_AA64ISAR1_EL1, 24) || ID_FIELD(cpu, ID_AA64ISAR1_EL1, 28) ||
           ID_FIELD(cpu, ID_AA64ISAR2_EL1, 8);
}
/* FEAT_FPAC: APA/API/APA3 >= 4 (0b0100 = FPAC, 0b0101 = FPACCOMBINE). */
static inline bool cpu_have_fpac(const CPUState *cpu)
{
    return ID_FIELD(cpu, ID_AA64ISAR1_EL1, 4) >= 4 || ID_FIELD(cpu, ID_AA64ISAR1_EL1, 8) >= 4 ||
           ID_FIELD(cpu, ID_AA64ISAR2_EL1, 12) >= 4;
}
/* FEAT_EPAC / PAuth2 affect the PAC field composition. */
static inline unsigned cpu_pauth_level(const CPUState *cpu)
{
    unsigned a = ID_FIELD(cpu, ID_AA64ISAR1_EL1, 4), i = ID_FIELD(cpu, ID_AA64ISAR1_EL1, 8);
    unsigned a3 = ID_FIELD(cpu, ID_AA64ISAR2_EL1, 12);
    unsigned v = a > i ? a : i;
    return v > a3 ? v : a3;
}
static inline bool cpu_have_vhe(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR1_EL1, 8) != 0; }
static inline bool cpu_have_pan(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR1_EL1, 20) != 0; }
static inline bool cpu_have_pan2(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR1_EL1, 20) >= 2; }
static inline bool cpu_have_lor(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR1_EL1, 16) != 0; }
static inline bool cpu_have_hcx(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR1_EL1, 40) != 0; }
static inline bool cpu_have_uao(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR2_EL1, 4) != 0; }
static inline bool cpu_have_nv(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR2_EL1, 24) != 0; }
static inline bool cpu_have_nv2(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR2_EL1, 24) >= 2; }
/* Physical address size in bits from ID_AA64MMFR0_EL1.PARange (-cpu ...,pa-bits=N). */
static inline unsigned cpu_pa_bits(const CPUState *cpu)
{
    static const uint8_t bits[16] = { 32, 36, 40, 42, 44, 48, 52, 52, 52, 52, 52, 52, 52, 52, 52, 52 };
    return bits[ID_FIELD(cpu, ID_AA64MMFR0_EL1, 0)];
}
static inline bool cpu_have_fgt(const CPUState *cpu) { return ID_FIELD(cpu, ID_AA64MMFR0_EL1, 56) != 0; }
static inline bool cpu_have_pmu(const CPUState *cpu)
{
    unsigned v = ID_FIELD(cpu, ID_AA64DFR0_EL1, 8);
    return v != 0 && v != 0xf;
}

#endif
