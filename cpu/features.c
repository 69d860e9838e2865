/*
 * CPU models (-cpu max, -cpu cortex-a57) and their ID registers.
 *
 * One table (feature_table) lists every switchable architectural feature
 * with the ID register fields that advertise it. A row's `implemented` flag
 * is flipped by the engineer whose code makes the feature behave as the Arm
 * ARM says; until then the feature reads as absent in every model and
 * `-cpu ...,feat=on` is refused. docs/features.md mirrors this table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "cpu/features.h"

enum {
    PFR0 = offsetof(CPUIDRegs, ID_AA64PFR0_EL1),
    PFR1 = offsetof(CPUIDRegs, ID_AA64PFR1_EL1),
    DFR0 = offsetof(CPUIDRegs, ID_AA64DFR0_EL1),
    ISAR0 = offsetof(CPUIDRegs, ID_AA64ISAR0_EL1),
    ISAR1 = offsetof(CPUIDRegs, ID_AA64ISAR1_EL1),
    ISAR2 = offsetof(CPUIDRegs, ID_AA64ISAR2_EL1),
    MMFR0 = offsetof(CPUIDRegs, ID_AA64MMFR0_EL1),
    MMFR1 = offsetof(CPUIDRegs, ID_AA64MMFR1_EL1),
    MMFR2 = offsetof(CPUIDRegs, ID_AA64MMFR2_EL1),
    ZFR0 = offsetof(CPUIDRegs, ID_AA64ZFR0_EL1),
};

typedef struct IDFieldVal {
    uint16_t reg;      /* offset in CPUIDRegs */
    uint8_t shift;
    uint8_t value;     /* value when the feature is present */
    uint8_t absent;    /* value when absent (0, or 0xf for FP/AdvSIMD) */
} IDFieldVal;

typedef struct FeatureDef {
    const char *name;      /* -cpu switch name; QEMU's property name where QEMU has one */
    const char *owner;     /* who flips `implemented` */
    bool implemented;      /* Tandem implements it as the Arm ARM says */
    bool in_a57;           /* part of Cortex-A57 (Armv8.0) */
    IDFieldVal f[4];
} FeatureDef;

#define F(r, s, v) { r, s, v, 0 }
#define FA(r, s, v, a) { r, s, v, a }

/*
 * The feature table. Keep docs/features.md in step. Values are the ID field
 * values of the feature level Tandem implements.
 */
static const FeatureDef feature_table[] = {
    /* --- PE / ISA --- */
    { "fp", "fpsimd", true, true, { FA(PFR0, 16, 0, 0xf) } },          /* FP (single/double) */
    { "asimd", "fpsimd", true, true, { FA(PFR0, 20, 0, 0xf) } },       /* AdvSIMD */
    { "fp16", "fpsimd", true, false, { F(PFR0, 16, 1), F(PFR0, 20, 1) } },  /* half precision in both */
    { "aes", "fpsimd", true, true, { F(ISAR0, 4, 2) } },               /* AES + PMULL */
    { "sha1", "fpsimd", true, true, { F(ISAR0, 8, 1) } },
    { "sha2", "fpsimd", true, true, { F(ISAR0, 12, 1) } },             /* SHA256 */
    { "sha512", "fpsimd", true, false, { F(ISAR0, 12, 2), F(ISAR0, 32, 1) } },  /* SHA512 + SHA3 */
    { "crc32", "cpu-int", true, true, { F(ISAR0, 16, 1) } },
    { "atomics", "cpu-ldst", true, false, { F(ISAR0, 20, 2) } },       /* FEAT_LSE */
    { "rdm", "fpsimd", true, false, { F(ISAR0, 28, 1) } },
    { "dotprod", "fpsimd", true, false, { F(ISAR0, 44, 1) } },
    { "fhm", "fpsimd", true, false, { F(ISAR0, 48, 1) } },
    { "flagm", "cpu-int", true, false, { F(ISAR0, 52, 1) } },          /* CFINV, RMIF, SETF8/16 */
    { "flagm2", "cpu-int", true, false, { F(ISAR0, 52, 2) } },         /* + AXFLAG/XAFLAG (needs flagm) */
    { "rndr", "cpu-int", true, false, { F(ISAR0, 60, 1) } },
    { "dcpop", "cpu-ldst", true, false, { F(ISAR1, 0, 1) } },           /* DC CVAP */
    { "dcpodp", "cpu-ldst", true, false, { F(ISAR1, 0, 2) } },          /* + DC CVADP (needs dcpop) */
    { "jscvt", "fpsimd", true, false, { F(ISAR1, 12, 1) } },
    { "fcma", "fpsimd", true, false, { F(ISAR1, 16, 1) } },
    { "lrcpc", "cpu-ldst", true, false, { F(ISAR1, 20, 1) } },         /* LDAPR */
    { "lrcpc2", "cpu-ldst", true, false, { F(ISAR1, 20, 2) } },        /* LDAPUR/STLUR */
    { "frintts", "fpsimd", true, false, { F(ISAR1, 32, 1) } },
    { "sb", "cpu-sys", true, false, { F(ISAR1, 36, 1) } },
    { "dgh", "cpu-sys", true, false, { F(ISAR1, 48, 1) } },
    { "bf16", "fpsimd", true, false, { F(ISAR1, 44, 1) } },
    { "i8mm", "fpsimd", true, false, { F(ISAR1, 52, 1) } },
    { "clrbhb", "cpu-sys", true, false, { F(ISAR2, 28, 1) } },
    { "dit", "cpu-sys", true, false, { F(PFR0, 48, 1) } },
    { "csv2", "cpu-sys", true, false, { F(PFR0, 56, 1) } },             /* no speculation at all */
    { "csv3", "cpu-sys", true, false, { F(PFR0, 60, 1) } },
    { "ssbs", "cpu-sys", true, false, { F(PFR1, 4, 2) } },              /* PSTATE.SSBS + SSBS register */
    { "bti", "bti-fgt", true, false, { F(PFR1, 0, 1) } },          /* guarded pages, EC 0x0D */
    { "sve", "fpsimd", false, false, { F(PFR0, 32, 1) } },
    { "gic-sysreg", "devices", true, true, { F(PFR0, 24, 1) } },       /* GICv3 system register interface */
    /* pauth: fields filled in by features_apply_pauth (algorithm dependent) */
    { "pauth", "cpu-sys", true, false, { { 0 } } },
    /* --- memory system --- */
    /*
     * Translation granules per stage, FEAT_GTG (explicit TGranX_2 fields),
     * FEAT_LPA2 per stage and PARange (pa-bits=N): the ID_AA64MMFR0_EL1
     * fields depend on each other, so features_apply_mmfr0 writes them.
     */
    { "tgran4", "mmu", true, true, { { 0 } } },
    { "tgran16", "mmu", true, false, { { 0 } } },   /* not in the Cortex-A57 */
    { "tgran64", "mmu", true, true, { { 0 } } },
    { "gtg", "mmu", true, false, { { 0 } } },        /* TGranX_2 explicit (else 0: as stage 1) */
    { "tgran4_2", "mmu", true, true, { { 0 } } },    /* stage-2 4K (default: as tgran4) */
    { "tgran16_2", "mmu", true, true, { { 0 } } },
    { "tgran64_2", "mmu", true, true, { { 0 } } },
    { "lpa2", "mmu", true, false, { { 0 } } },       /* 52-bit 4K/16K at stage 1; needs pa-bits=52 */
    { "lpa2_2", "mmu", true, false, { { 0 } } },     /* the same at stage 2 (default: as lpa2) */
    { "fgt", "bti-fgt", true, false, { F(MMFR0, 56, 1) } },           /* HFGRTR/HFGWTR/HFGITR/HDFGRTR/HDFGWTR_EL2 */
    { "hafdbs", "mmu", true, false, { F(MMFR1, 0, 2) } },
    { "vhe", "mmu", true, false, { F(MMFR1, 8, 1) } },
    { "hpds", "mmu", true, false, { F(MMFR1, 12, 1) } },
    { "pan", "mmu", true, false, { F(MMFR1, 20, 1) } },
    { "pan2", "mmu", true, false, { F(MMFR1, 20, 2) } },              /* AT S1E1RP/WP */
    { "xnx", "mmu", true, false, { F(MMFR1, 28, 1) } },
    /* FEAT_LOR with no LORegions (LORID_EL1 = 0): LDLAR/STLLR act as LDAR/STLR. */
    { "lor", "cpu-sys", true, false, { F(MMFR1, 16, 1) } },
    { "cnp", "mmu", true, false, { F(MMFR2, 0, 1) } },
    { "uao", "cpu-ldst", true, false, { F(MMFR2, 4, 1) } },
    { "nv", "cpu-sys", true, false, { F(MMFR2, 24, 1) } },            /* cpu/nv.c */
    { "nv2", "cpu-sys", true, false, { F(MMFR2, 24, 2) } },           /* VNCR_EL2 page: cpu/nv_table.c */
    { "ids", "cpu-sys", true, false, { F(MMFR2, 36, 1) } },
    { "fwb", "mmu", true, false, { F(MMFR2, 40, 1) } },
    { "e0pd", "mmu", true, false, { F(MMFR2, 60, 1) } },
    { "lva", "mmu", true, false, { F(MMFR2, 16, 1) } },                /* 52-bit VA with 64K pages */
    { "ttl", "mmu", true, false, { F(MMFR2, 48, 1) } },                /* TLBI TTL hints (accepted) */
    { "tlbios", "mmu", true, false, { F(ISAR0, 56, 1) } },             /* TLBI *OS */
    { "tlbirange", "mmu", true, false, { F(ISAR0, 56, 2) } },          /* TLBI R* (with the OS forms) */
    /* --- debug / PMU --- */
    { "pmu", "cpu-sys", false, true, { F(DFR0, 8, 1) } },
};

typedef struct CPUModel {
    const char *name;
    uint64_t midr;
    bool all_implemented;    /* max: every implemented feature on by default */
    uint64_t ctr;
    unsigned pa_bits;        /* PARange without pa-bits= (max: 52 while lpa2 is on) */
    bool vmid16;             /* FEAT_VMID16 (Armv8.1): ID_AA64MMFR1_EL1.VMIDBits = 2 */
    uint32_t ccsidr[3];      /* CCSIDR_EL1 for L1 D, L1 I, L2 (no FEAT_CCIDX) */
} CPUModel;

static const CPUModel cpu_models[] = {
    /* Implementer 0 (software use), architecture 0xf, part 0x7a4 ("Tandem max").
     * CCSIDR (no FEAT_CCIDX): LineSize = log2(64)-4 = 2; L1D 32K 2-way, L1I 48K 3-way, L2 2M 16-way. */
    { "max", 0x000f7a40ULL, true, 0x0000000084448004ULL | (1ULL << 28) | (1ULL << 29), 48, true,
      { 2 | ((2 - 1) << 3) | ((256u - 1) << 13), 2 | ((3 - 1) << 3) | ((256u - 1) << 13),
        2 | ((16 - 1) << 3) | ((2048u - 1) << 13) } },
    /*
     * Cortex-A57 r1p0 as QEMU 7.2 models it (Cortex-A57 TRM): CTR L1Ip = PIPT,
     * 44-bit PA, 8-bit VMID, the same caches with the Armv8.0 WB/RA/WA bits
     * [31:28] of CCSIDR. 4K and 64K granules only: the tgran16 row is not
     * in_a57.
     */
    { "cortex-a57", 0x411fd070ULL, false, 0x000000008444c004ULL, 44, false,
      { 0x701fe00a, 0x201fe012, 0x70ffe07a } },
};

static bool feature_default_on(const FeatureDef *d, const CPUModel *m)
{
    if (!d->implemented) {
        return false;
    }
    return m->all_implemented ? true : d->in_a57;
}

static void field_set(CPUIDRegs *id, uint16_t reg, unsigned shift, unsigned value)
{
    uint64_t *r = (uint64_t *)((char *)id + reg);
    *r = deposit64(*r, shift, 4, value);
}

/* Does a row before d name the same ID field? */
static bool field_seen_before(const FeatureDef *d, const IDFieldVal *fv)
{
    for (const FeatureDef *e = feature_table; e < d; e++) {
        for (size_t k = 0; k < ARRAY_SIZE(e->f); k++) {
            if (e->f[k].reg == fv->reg && e->f[k].shift == fv->shift &&
                (e->f[k].reg || e->f[k].shift || e->f[k].value || e->f[k].absent)) {
                return true;
            }
        }
    }
    return false;
}

static const FeatureDef *feature_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(feature_table); i++) {
        if (!strcmp(feature_table[i].name, name)) {
            return &feature_table[i];
        }
    }
    return NULL;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes")) {
        *out = true;
        return true;
    }
    if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no")) {
        *out = false;
        return true;
    }
    return false;
}

/* Base values common to every model (fields no row owns). */
static void features_base(CPUState *cpu, const CPUModel *m, bool have_el2)
{
    CPUIDRegs *id = &cpu->id;
    memset(id, 0, sizeof(*id));
    id->MIDR_EL1 = m->midr;
    /* MPIDR: RES1 bit 31, U=0 (multiprocessor), Aff0 = CPU index. */
    id->MPIDR_EL1 = (1ULL << 31) | (uint64_t)(cpu->cpu_index & 0xff);
    /* EL0..EL3 AArch64 only; EL2 as the machine says; EL3 always (built-in firmware lives there). */
    id->ID_AA64PFR0_EL1 = 0x1 | (0x1 << 4) | ((uint64_t)(have_el2 ? 1 : 0) << 8) | (0x1ULL << 12);
    /* Debug v8.0, 6 breakpoints, 4 watchpoints, 2 context-aware breakpoints;
     * DoubleLock not implemented (0xf). PMUVer from the "pmu" row. */
    id->ID_AA64DFR0_EL1 = 0x6 | (5ULL << 12) | (3ULL << 20) | (1ULL << 28) | (0xfULL << 36);
    /* 16-bit ASID, little-endian only; PARange and the granules: features_apply_mmfr0. */
    id->ID_AA64MMFR0_EL1 = 0x5 | (0x2 << 4) | (0x0ULL << 28) | (0xfULL << 24);
    /* 16-bit VMID (FEAT_VMID16); VMIDBits = 0 without EL2, where there is no VMID. */
    id->ID_AA64MMFR1_EL1 = (uint64_t)(have_el2 && m->vmid16 ? 0x2 : 0) << 4;
    id->CTR_EL0 = m->ctr;
    id->DCZID_EL0 = 4;   /* 64-byte DC ZVA blocks; DZP computed on read */
    /* L1 I+D separate, L2 unified; LoUIS=1, LoC=2, LoUU=1. */
    id->CLIDR_EL1 = 0x3 | (0x4 << 3) | (1ULL << 21) | (2ULL << 24) | (1ULL << 27);
    for (size_t i = 0; i < ARRAY_SIZE(m->ccsidr); i++) {
        id->CCSIDR_EL1[i] = m->ccsidr[i];
    }
}

/* PARange encodings (ID_AA64MMFR0_EL1.PARange, also (V)TCR_ELx.(I)PS). */
static const uint8_t parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

static bool feature_on(const bool *on, const char *name)
{
    return on[feature_find(name) - feature_table];
}

static bool feature_given(const bool *given, const char *name)
{
    return given[feature_find(name) - feature_table];
}

/*
 * ID_AA64MMFR0_EL1.{PARange, TGran4/16/64, TGran4_2/16_2/64_2} from the
 * granule switches, FEAT_GTG, FEAT_LPA2 per stage and pa-bits (pa_bits 0:
 * the model's default). FEAT_LPA2 (and FEAT_LPA, the 64K 52-bit form) only
 * with a 52-bit PARange: a smaller pa-bits makes LPA2 read as absent unless
 * lpa2=on was asked for explicitly (then it is an error).
 */
static bool features_apply_mmfr0(CPUIDRegs *id, const CPUModel *model, const bool *on, const bool *given,
                                 unsigned pa_bits, char **error)
{
    bool g4 = feature_on(on, "tgran4"), g16 = feature_on(on, "tgran16"), g64 = feature_on(on, "tgran64");
    bool gtg = feature_on(on, "gtg");
    /* Stage-2 switches default to the stage-1 ones. */
    bool s4 = feature_given(given, "tgran4_2") ? feature_on(on, "tgran4_2") : g4;
    bool s16 = feature_given(given, "tgran16_2") ? feature_on(on, "tgran16_2") : g16;
    bool s64 = feature_given(given, "tgran64_2") ? feature_on(on, "tgran64_2") : g64;
    bool lpa2 = feature_on(on, "lpa2");
    bool lpa2_s2 = feature_given(given, "lpa2_2") ? feature_on(on, "lpa2_2") : lpa2;
    bool lpa2_asked = (feature_given(given, "lpa2") && lpa2) || (feature_given(given, "lpa2_2") && lpa2_s2);

    if (!pa_bits) {
        pa_bits = lpa2 || lpa2_s2 ? 52 : model->pa_bits;   /* the model's PA size */
    }
    if (pa_bits < 52) {
        if (lpa2_asked) {
            *error = g_strdup_printf("-cpu: lpa2 needs pa-bits=52 (FEAT_LPA2 is 52-bit addressing), not %u",
                                     pa_bits);
            return false;
        }
        lpa2 = lpa2_s2 = false;
    }
    if (!g4 && !g16 && !g64) {
        *error = g_strdup("-cpu: at least one of tgran4, tgran16, tgran64 must be on");
        return false;
    }
    if (!s4 && !s16 && !s64 && extract64(id->ID_AA64PFR0_EL1, 8, 4)) {
        *error = g_strdup("-cpu: at least one of tgran4_2, tgran16_2, tgran64_2 must be on (EL2 is implemented)");
        return false;
    }
    if (!gtg && (s4 != g4 || s16 != g16 || s64 != g64 || lpa2_s2 != lpa2)) {
        *error = g_strdup("-cpu: a stage-2 granule setting different from stage 1 needs gtg=on "
                          "(FEAT_GTG: ID_AA64MMFR0_EL1.TGranX_2)");
        return false;
    }
    unsigned enc = 0;
    while (parange_bits[enc] != pa_bits) {
        enc++;
    }
    uint64_t m = id->ID_AA64MMFR0_EL1;
    m = deposit64(m, 0, 4, enc);
    m = deposit64(m, 28, 4, !g4 ? 0xf : lpa2 ? 1 : 0);          /* TGran4: 0xf no, 1 with 52-bit */
    m = deposit64(m, 20, 4, !g16 ? 0 : lpa2 ? 2 : 1);           /* TGran16: 0 no, 2 with 52-bit */
    m = deposit64(m, 24, 4, g64 ? 0 : 0xf);                     /* TGran64 */
    /* TGranX_2: 1 not supported, 2 supported, 3 with 52-bit; 0 (no FEAT_GTG) = as stage 1. */
    m = deposit64(m, 40, 4, !gtg ? 0 : !s4 ? 1 : lpa2_s2 ? 3 : 2);
    m = deposit64(m, 32, 4, !gtg ? 0 : !s16 ? 1 : lpa2_s2 ? 3 : 2);
    m = deposit64(m, 36, 4, !gtg ? 0 : !s64 ? 1 : 2);
    id->ID_AA64MMFR0_EL1 = m;
    return true;
}

/*
 * Features whose every control is an EL2 register or field, which the Arm ARM
 * implies EL2 for (FEAT_VHE: HCR_EL2.E2H; FEAT_NV/NV2: HCR_EL2.NV/VNCR_EL2;
 * FEAT_FGT: HFG*_EL2; FEAT_GTG: the stage-2 TGranX_2 fields; FEAT_XNX and
 * FEAT_S2FWB: stage-2 descriptors and HCR_EL2.FWB). Without EL2
 * (-M virtualization=off) they read as absent, as on a PE built without EL2;
 * asking for one explicitly is an error. docs/impdef.md.
 */
static const char *const el2_only_features[] = { "vhe", "nv", "nv2", "fgt", "gtg", "xnx", "fwb" };

static bool features_drop_el2_only(bool *on, const bool *given, char **error)
{
    for (size_t i = 0; i < ARRAY_SIZE(el2_only_features); i++) {
        size_t k = (size_t)(feature_find(el2_only_features[i]) - feature_table);
        if (given[k] && on[k]) {
            *error = g_strdup_printf("-cpu: %s needs EL2 (the machine has virtualization=off)",
                                     el2_only_features[i]);
            return false;
        }
        on[k] = false;
    }
    return true;
}

static void features_apply_pauth(CPUIDRegs *id, bool on, bool qarma5)
{
    /* FEAT_PAuth level 1 (no EPAC/PAuth2/FPAC). */
    id->ID_AA64ISAR1_EL1 = deposit64(id->ID_AA64ISAR1_EL1, 4, 4, on && qarma5 ? 1 : 0);   /* APA */
    id->ID_AA64ISAR1_EL1 = deposit64(id->ID_AA64ISAR1_EL1, 24, 4, on && qarma5 ? 1 : 0);  /* GPA */
    id->ID_AA64ISAR1_EL1 = deposit64(id->ID_AA64ISAR1_EL1, 8, 4, on && !qarma5 ? 1 : 0);  /* API */
    id->ID_AA64ISAR1_EL1 = deposit64(id->ID_AA64ISAR1_EL1, 28, 4, on && !qarma5 ? 1 : 0); /* GPI */
}

bool features_init(CPUState *cpu, CPUFeatures *f, const char *model_spec, bool have_el2,
                   char **error)
{
    if (!model_spec || !*model_spec) {
        model_spec = "max";
    }
    gchar **parts = g_strsplit(model_spec, ",", -1);
    const CPUModel *m = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(cpu_models); i++) {
        if (!strcmp(cpu_models[i].name, parts[0])) {
            m = &cpu_models[i];
        }
    }
    if (!m) {
        *error = g_strdup_printf("unknown CPU model '%s' (try -cpu help)", parts[0]);
        g_strfreev(parts);
        return false;
    }
    bool on[ARRAY_SIZE(feature_table)], given[ARRAY_SIZE(feature_table)];
    for (size_t i = 0; i < ARRAY_SIZE(feature_table); i++) {
        on[i] = feature_default_on(&feature_table[i], m);
        given[i] = false;
    }
    unsigned pa_bits = 0;          /* pa-bits=N; 0 = the model's default */
    bool pauth_impdef = true;      /* Tandem's default algorithm; pauth-impdef=off selects QARMA5 */
    bool tlb_strict = false;
    long sve_max_vq = -1;
    uint32_t sve_on = 0, sve_off = 0;
    bool ok = true;

    for (int p = 1; parts[p] && ok; p++) {
        if (!*parts[p]) {
            continue;
        }
        char *eq = strchr(parts[p], '=');
        if (!eq) {
            *error = g_strdup_printf("-cpu: '%s' needs a value (feature=on|off)", parts[p]);
            ok = false;
            break;
        }
        *eq = 0;
        const char *key = parts[p], *val = eq + 1;
        bool b = false;
        bool isbool = parse_bool(val, &b);
        const FeatureDef *d = feature_find(key);
        unsigned vlbits = 0;
        if (d) {
            if (!isbool) {
                *error = g_strdup_printf("-cpu: %s=%s: expected on or off", key, val);
                ok = false;
            } else if (b && !d->implemented) {
                *error = g_strdup_printf("-cpu: feature '%s' is not implemented by Tandem", key);
                ok = false;
            } else {
                on[d - feature_table] = b;
                given[d - feature_table] = true;
            }
        } else if (!strcmp(key, "pauth-impdef")) {
            if (!isbool) {
                *error = g_strdup_printf("-cpu: %s=%s: expected on or off", key, val);
                ok = false;
            }
            pauth_impdef = b;
        } else if (!strcmp(key, "pauth-qarma3")) {
            if (!isbool || b) {
                *error = g_strdup("-cpu: pauth-qarma3 (FEAT_PACQARMA3) is not implemented by Tandem");
                ok = false;
            }
        } else if (!strcmp(key, "aarch64")) {
            if (!isbool || !b) {
                *error = g_strdup("-cpu: Tandem implements AArch64 only (aarch64=on)");
                ok = false;
            }
        } else if (!strcmp(key, "tlb")) {
            /* mmu/: strict = entries live until a TLBI covers them (docs/mmu.md). */
            if (!strcmp(val, "strict") || !strcmp(val, "normal")) {
                tlb_strict = !strcmp(val, "strict");
            } else {
                *error = g_strdup_printf("-cpu: tlb=%s: expected strict or normal", val);
                ok = false;
            }
        } else if (!strcmp(key, "pa-bits")) {
            /* mmu/: ID_AA64MMFR0_EL1.PARange (no QEMU 7.2 equivalent; x86's is phys-bits). */
            char *end;
            unsigned long v = strtoul(val, &end, 10);
            pa_bits = 0;
            for (size_t k = 0; k < ARRAY_SIZE(parange_bits) && !*end && *val; k++) {
                if (parange_bits[k] == v) {
                    pa_bits = (unsigned)v;
                }
            }
            if (!pa_bits) {
                *error = g_strdup_printf("-cpu: pa-bits=%s: must be 32, 36, 40, 42, 44, 48 or 52", val);
                ok = false;
            }
        } else if (!strcmp(key, "sve-max-vq")) {
            char *end;
            sve_max_vq = strtol(val, &end, 0);
            if (*end || sve_max_vq < 1 || sve_max_vq > TANDEM_MAX_VQ) {
                *error = g_strdup_printf("-cpu: sve-max-vq=%s: must be 1..%d", val, TANDEM_MAX_VQ);
                ok = false;
            }
        } else if (!strncmp(key, "sve", 3) && g_ascii_isdigit(key[3]) &&
                   (vlbits = (unsigned)strtoul(key + 3, NULL, 10)) % 128 == 0 && vlbits >= 128 &&
                   vlbits <= 128 * TANDEM_MAX_VQ && strspn(key + 3, "0123456789") == strlen(key + 3)) {
            unsigned vq = vlbits / 128;
            if (!isbool) {
                *error = g_strdup_printf("-cpu: %s=%s: expected on or off", key, val);
                ok = false;
            } else if (vq & (vq - 1)) {
                *error = g_strdup_printf("-cpu: %s: Tandem implements power-of-two vector lengths only", key);
                ok = false;
            } else if (b) {
                sve_on |= 1u << (vq - 1);
            } else {
                sve_off |= 1u << (vq - 1);
            }
        } else {
            *error = g_strdup_printf("-cpu: unknown feature '%s' for model %s", key, m->name);
            ok = false;
        }
    }
    g_strfreev(parts);
    if (!ok) {
        return false;
    }

    /* Dependencies: a level-2 feature needs its level 1 (FEAT_NV2 builds on FEAT_NV). */
    static const char *const levels[][2] = {
        { "flagm", "flagm2" }, { "lrcpc", "lrcpc2" }, { "dcpop", "dcpodp" }, { "nv", "nv2" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
        const FeatureDef *base = feature_find(levels[i][0]), *next = feature_find(levels[i][1]);
        if (!on[base - feature_table]) {
            on[next - feature_table] = false;
        }
    }
    if (!have_el2 && !features_drop_el2_only(on, given, error)) {
        return false;
    }

    features_base(cpu, m, have_el2);
    /* Pass 1: every row's fields absent; pass 2: enabled rows in table order,
     * so a higher level (flagm2, pan2, lpa2) listed after its base wins. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < ARRAY_SIZE(feature_table); i++) {
            const FeatureDef *d = &feature_table[i];
            if (pass == 1 && !on[i]) {
                continue;
            }
            for (size_t k = 0; k < ARRAY_SIZE(d->f); k++) {
                const IDFieldVal *fv = &d->f[k];
                if (!fv->reg && !fv->shift && !fv->value && !fv->absent) {
                    continue;   /* unused slot */
                }
                if (pass == 0 && field_seen_before(d, fv)) {
                    continue;   /* the first row naming a field owns its absent value */
                }
                field_set(&cpu->id, fv->reg, fv->shift, pass ? fv->value : fv->absent);
            }
        }
    }

    bool pauth_on = on[feature_find("pauth") - feature_table];
    features_apply_pauth(&cpu->id, pauth_on, !pauth_impdef);
    if (!features_apply_mmfr0(&cpu->id, m, on, given, pa_bits, error)) {
        return false;
    }

    memset(f, 0, sizeof(*f));
    f->model = m->name;
    f->has_el2 = have_el2;
    f->has_el3 = true;
    f->pauth_qarma5 = pauth_on && !pauth_impdef;
    f->tlb_strict = tlb_strict;
    if (cpu_have_sve(cpu)) {
        unsigned maxvq = sve_max_vq > 0 ? (unsigned)sve_max_vq : TANDEM_MAX_VQ;
        uint32_t map = 0;
        for (unsigned vq = 1; vq <= maxvq; vq <<= 1) {
            map |= 1u << (vq - 1);
        }
        map = (map | sve_on) & ~sve_off;
        if (sve_on && sve_max_vq < 0) {
            /* As QEMU: without sve-max-vq the largest enabled sveN is the maximum. */
            map &= (uint32_t)MASK64(32 - __builtin_clz(sve_on));
        }
        if (!(map & 1)) {
            *error = g_strdup("-cpu: SVE needs the 128-bit vector length (sve128)");
            return false;
        }
        f->sve_vq_map = map;
        f->sve_max_vq = 32 - __builtin_clz(map);
    } else if (sve_max_vq > 0 || sve_on) {
        *error = g_strdup("-cpu: SVE options given but SVE is off or not implemented");
        return false;
    }
    return true;
}

void features_print_help(void)
{
    /* As QEMU's -cpu help: the models first, then their properties. */
    printf("Available CPU models:\n");
    for (size_t i = 0; i < ARRAY_SIZE(cpu_models); i++) {
        printf("  %-12s MIDR_EL1 0x%08llx%s\n", cpu_models[i].name, (unsigned long long)cpu_models[i].midr,
               cpu_models[i].all_implemented ? " (every feature Tandem implements)" : " (Armv8.0)");
    }
    printf("\nFeatures (-cpu MODEL,feature=on|off); default per model, '-' = not implemented by Tandem:\n");
    printf("  %-12s", "");
    for (size_t j = 0; j < ARRAY_SIZE(cpu_models); j++) {
        printf(j + 1 < ARRAY_SIZE(cpu_models) ? " %-11s" : " %s", cpu_models[j].name);
    }
    printf("\n");
    for (size_t i = 0; i < ARRAY_SIZE(feature_table); i++) {
        const FeatureDef *d = &feature_table[i];
        printf("  %-12s", d->name);
        for (size_t j = 0; j < ARRAY_SIZE(cpu_models); j++) {
            const char *v = !d->implemented ? "-" : feature_default_on(d, &cpu_models[j]) ? "on" : "off";
            printf(j + 1 < ARRAY_SIZE(cpu_models) ? " %-11s" : " %s", v);
        }
        printf("\n");
    }
    printf("\nOther properties:\n");
    printf("  pauth-impdef=on|off  PAuth algorithm (default on; off = QARMA5)\n");
    printf("  sve-max-vq=N, sveNNN=on|off  SVE vector lengths (when SVE is implemented)\n");
    printf("  tlb=strict|normal    strict: TLB entries live until a TLBI covers them\n");
    printf("  pa-bits=32|36|40|42|44|48|52  ID_AA64MMFR0_EL1.PARange (default: 52 for max, 48 with\n"
           "                       lpa2=off, 44 for cortex-a57; lpa2 needs 52)\n");
    printf("  tgranN_2=on|off, lpa2_2=on|off  stage-2 granules (default as stage 1; a difference\n"
           "                       needs gtg=on)\n");
}
