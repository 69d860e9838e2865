/*
 * Differential tester for FP/AdvSIMD/crypto instructions: random encodings
 * from each Arm ARM encoding group (random field values, so unallocated
 * encodings are exercised too) with register inputs rich in edge values
 * (+-0, denormals, infinities, quiet/signalling NaNs, INT_MIN) under random
 * FPCR settings (RMode, FZ, FZ16, DN, AHP). Each case runs under
 * qemu-aarch64 (runner.c) and in Tandem's handlers; V0-V31, X0-X15, NZCV,
 * FPSR and UNDEFINED-ness are compared. The failing seed is printed.
 *
 * usage: fpdiff QEMU RUNNER [count [seed]]
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "cpu/fpu/softfloat.h"
#include "fpdiff-state.h"
/* The weak cpu_raise_undef/cpu_check_fp_enabled fallbacks: UNDEFINED shows as EXEC_EXCEPTION anyway. */
#include "tests/unit/insn_test_env.h"

typedef struct Template {
    const char *group;
    uint32_t mask, value;
} Template;

/* Fixed bits select the encoding group (Arm ARM C4.1.6); every other bit is random. */
static const Template templates[] = {
    { "fp-1src", 0xff207c00, 0x1e204000 },
    { "fp-cmp", 0xff20fc07, 0x1e202000 },
    { "fp-imm", 0xff201fe0, 0x1e201000 },
    { "fp-ccmp", 0xff200c00, 0x1e200400 },
    { "fp-2src", 0xff200c00, 0x1e200800 },
    { "fp-csel", 0xff200c00, 0x1e200c00 },
    { "fp-3src", 0xff000000, 0x1f000000 },
    { "fp-fixed", 0x7f200000, 0x1e000000 },
    { "fp-int", 0x7f20fc00, 0x1e200000 },
    /* Denser variants of groups where most random field values are unallocated. */
    { "fp-1src-dense", 0xff307c00, 0x1e204000 },
    { "fp-fixed-fcvtz", 0x7f3e0000, 0x1e180000 },
    { "fp-fixed-cvtf", 0x7f3e0000, 0x1e020000 },
    { "fp-int-cvt", 0x7f3cfc00, 0x1e200000 },
    { "simd-across-int", 0x9f3e0c00 | (0x1f << 12), 0x0e300800 | (0x1a << 12) },
    { "simd-2misc-fp", 0x9f3e0c00 | (0x18 << 12), 0x0e200800 | (0x18 << 12) },
    { "simd-3same", 0x9f200400, 0x0e200400 },
    { "simd-3same-scalar", 0xdf200400, 0x5e200400 },
    { "simd-3same-fp16", 0x9f60c400, 0x0e400400 },
    { "simd-3same-fp16-scalar", 0xdf60c400, 0x5e400400 },
    { "simd-copy", 0x9fe08400, 0x0e000400 },
    { "simd-copy-scalar", 0xffe0fc00, 0x5e000400 },
    { "simd-modimm", 0x9ff80400, 0x0f000400 },
    { "simd-shift-imm", 0x9f800400, 0x0f000400 },
    { "simd-shift-imm-scalar", 0xdf800400, 0x5f000400 },
    { "simd-permute", 0xbf208c00, 0x0e000800 },
    { "simd-ext", 0xbfe08400, 0x2e000000 },
    { "simd-tbl", 0xbfe08c00, 0x0e000000 },
    { "simd-2misc", 0x9f3e0c00, 0x0e200800 },
    { "simd-2misc-scalar", 0xdf3e0c00, 0x5e200800 },
    { "simd-2misc-fp16", 0x9f7e0c00, 0x0e780800 },
    { "simd-2misc-fp16-scalar", 0xdf7e0c00, 0x5e780800 },
    { "simd-across", 0x9f3e0c00, 0x0e300800 },
    { "simd-pairwise-scalar", 0xdf3e0c00, 0x5e300800 },
    { "simd-3diff", 0x9f200c00, 0x0e200000 },
    { "simd-3diff-scalar", 0xdf200c00, 0x5e200000 },
    { "simd-indexed", 0x9f000400, 0x0f000000 },
    { "simd-indexed-scalar", 0xdf000400, 0x5f000000 },
    { "simd-3same-extra", 0x9f208400, 0x0e008400 },
    { "simd-3same-extra-scalar", 0xdf208400, 0x5e008400 },
    { "crypto-aes", 0xff3e0c00, 0x4e280800 },
    { "crypto-sha-3reg", 0xff208c00, 0x5e000000 },
    { "crypto-sha-2reg", 0xff3e0c00, 0x5e280800 },
    { "crypto-sha512-3reg", 0xffe0f000, 0xce608000 },
    { "crypto-sha512-2reg", 0xfffff000, 0xcec08000 },
    { "crypto-4reg", 0xff808000, 0xce000000 },
    { "crypto-xar", 0xffe00000, 0xce800000 },
};

/*
 * Encodings of features Tandem does not advertise (QEMU's max CPU has them):
 * excluded from generation. Keep in step with the ID register fields.
 */
static const Template excluded[] = {
    { "SM4E (FEAT_SM4)", 0xfffffc00, 0xcec08400 },
    { "SM3SS1 (FEAT_SM3)", 0xffe08000, 0xce400000 },
    /*
     * QEMU 7.2 is more lenient than the Arm ARM here; Tandem follows the
     * Arm ARM (these are UNDEFINED there):
     *  - FP16 across-lanes and scalar pairwise with size<0> = 1 (fixed 0 in
     *    the half-precision encodings; QEMU ignores the bit);
     *  - FMOV (vector, immediate) with op = 1 and o2 = 1.
     */
    { "QEMU lenient: FP16 across lanes, sz=1", 0xbf7e0c00, 0x0e700800 },
    { "QEMU lenient: FP16 scalar pairwise, sz=1", 0xff7e0c00, 0x5e700800 },
    { "QEMU lenient: FMOV vector imm op=1 o2=1", 0xbff8fc00, 0x2f00fc00 },
    /*
     * QEMU 7.2 writes a 32-bit sign-extended result for scalar
     * FCVTZS/FCVTZU (fixed-point) from half precision; the Arm ARM writes the
     * 16-bit result zero-extended (V[d] = result, esize 16).
     */
    { "QEMU bug: scalar FCVTZ[SU] fixed, half", 0xdf70fc00, 0x5f10fc00 },

};

static uint64_t rng;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t edge16(void)
{
    static const uint16_t e[] = { 0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00,
                                  0x7e00, 0x7c01, 0xfe01, 0x3c00, 0xbc00, 0x3800, 0x4000, 0x7fff };
    uint64_t r = rnd();
    return (r & 1) ? e[(r >> 1) % 16] : (r >> 8) & 0xffff;
}

static uint64_t edge32(void)
{
    static const uint32_t e[] = { 0, 0x80000000, 1, 0x007fffff, 0x00800000, 0x7f7fffff, 0x7f800000,
                                  0xff800000, 0x7fc00000, 0x7f800001, 0xffa00001, 0x3f800000,
                                  0xbf800000, 0x3f000000, 0x4f000000, 0xcf000000, 0x5f000000,
                                  0x4effffff, 0x3fc00000, 0xc0200000 };
    uint64_t r = rnd();
    switch (r & 3) {
    case 0: return e[(r >> 2) % 20];
    case 1: return (rnd() & 0x807fffff) | ((uint64_t)(0x70 + (r >> 8) % 0x20) << 23);
    case 2: return (r >> 8) & 0xffffffff;
    default: return (uint32_t)(int32_t)((int64_t)(r >> 2) % 300);
    }
}

static uint64_t edge64(void)
{
    static const uint64_t e[] = { 0, 0x8000000000000000ULL, 1, 0x000fffffffffffffULL,
                                  0x0010000000000000ULL, 0x7fefffffffffffffULL, 0x7ff0000000000000ULL,
                                  0xfff0000000000000ULL, 0x7ff8000000000000ULL, 0x7ff0000000000001ULL,
                                  0xfff4000000000001ULL, 0x3ff0000000000000ULL, 0xbff0000000000000ULL,
                                  0x43e0000000000000ULL, 0xc3e0000000000000ULL, 0x41e0000000000000ULL,
                                  0xc1e0000000200000ULL, 0x3fe0000000000000ULL, 0x7fffffffffffffffULL,
                                  0xffffffffffffffffULL };
    uint64_t r = rnd();
    switch (r & 3) {
    case 0: return e[(r >> 2) % 20];
    case 1: return (rnd() & 0x800fffffffffffffULL) | ((0x3e0ULL + (r >> 8) % 0x40) << 52);
    case 2: return rnd();
    default: return (uint64_t)((int64_t)(r >> 2) % 1000);
    }
}

/* One 64-bit chunk of a vector register: lanes of one random kind. */
static uint64_t rnd_chunk(void)
{
    uint64_t r = rnd(), v = 0;
    switch (r % 5) {
    case 0: for (int i = 0; i < 4; i++) v |= edge16() << (16 * i); return v;
    case 1: return edge32() | (edge32() << 32);
    case 2: return edge64();
    case 3: return rnd();
    default: for (int i = 0; i < 8; i++) v |= (uint64_t)((uint8_t)((int)(rnd() % 9) - 4 + ((r >> 8) & 0x80))) << (8 * i); return v;
    }
}

/*
 * QEMU 7.2 aborts (disas_simd_two_reg_misc_fp16: "code should not be
 * reached") on some unallocated FP16 two-register-misc encodings, so only
 * allocated ones are generated for that group (Arm ARM C4.1.6 table).
 */
static bool fp16_2misc_allocated(uint32_t insn)
{
    static const uint32_t vec[4] = {
        0x3f000000, 0x2f00f000, 0x3f000000, 0xae00b000,   /* U:a = 00, 01, 10, 11; bit = opcode */
    };
    static const uint32_t sca[4] = {
        0x3c000000, 0xac007000, 0x3c000000, 0x2c003000,
    };
    if ((insn & 0x1f7e0c00) != 0x0e780800 && (insn & 0x1f7e0c00) != 0x1e780800) {
        return true;
    }
    unsigned ua = (((insn >> 29) & 1) << 1) | ((insn >> 23) & 1), op = (insn >> 12) & 0x1f;
    bool scalar = (insn >> 28) & 1;
    return ((scalar ? sca : vec)[ua] >> op) & 1;
}

static uint32_t rnd_insn(unsigned *tidx)
{
    for (;;) {
        unsigned t = (unsigned)(rnd() % G_N_ELEMENTS(templates));
        uint32_t insn = (templates[t].value | ((uint32_t)rnd() & ~templates[t].mask));
        /* General registers: only X0-X15 (the runner's own state lives in X19-X30). */
        insn &= ~((1u << 4) | (1u << 9));
        bool skip = !fp16_2misc_allocated(insn);
        for (unsigned e = 0; e < G_N_ELEMENTS(excluded); e++) {
            if ((insn & excluded[e].mask) == excluded[e].value) {
                skip = true;
            }
        }
        if (!skip) {
            *tidx = t;
            return insn;
        }
    }
}

static void rnd_state(FPDiffState *st)
{
    memset(st, 0, sizeof(*st));
    for (int i = 0; i < 32; i++) {
        st->v[i][0] = rnd_chunk();
        st->v[i][1] = rnd_chunk();
    }
    for (int i = 0; i < 16; i++) {
        uint64_t r = rnd();
        st->x[i] = (r & 3) == 0 ? edge64() : (r & 3) == 1 ? edge32() : rnd();
    }
    st->nzcv = (rnd() & 0xf) << 28;
    uint64_t r = rnd();
    uint32_t fpcr = (uint32_t)((r & 3) << FPCR_RMODE_SHIFT);
    if ((r >> 2) % 4 == 0) fpcr |= FPCR_FZ;
    if ((r >> 4) % 4 == 0) fpcr |= FPCR_DN;
    if ((r >> 6) % 8 == 0) fpcr |= FPCR_AHP;
    if ((r >> 9) % 4 == 0) fpcr |= FPCR_FZ16;
    st->fpcr = fpcr;
}

/* Run one record in Tandem. */
static void run_tandem(CPUState *cpu, FPDiffRecord *rec)
{
    memset(cpu->z, 0, sizeof(cpu->z));
    memset(cpu->x, 0, sizeof(cpu->x));
    for (int i = 0; i < 32; i++) {
        cpu->z[i].d[0] = rec->st.v[i][0];
        cpu->z[i].d[1] = rec->st.v[i][1];
    }
    memcpy(cpu->x, rec->st.x, sizeof(rec->st.x));
    cpu->nzcv = (uint32_t)rec->st.nzcv;
    cpu->fpcr = (uint32_t)rec->st.fpcr;
    cpu->fpsr = 0;
    cpu->el = 3;
    ExecStatus s = cpu_decode(rec->insn)(cpu, rec->insn);
    rec->status = s == EXEC_EXCEPTION ? 1 : 0;
    for (int i = 0; i < 32; i++) {
        rec->st.v[i][0] = cpu->z[i].d[0];
        rec->st.v[i][1] = cpu->z[i].d[1];
    }
    memcpy(rec->st.x, cpu->x, sizeof(rec->st.x));
    rec->st.nzcv = cpu->nzcv;
    rec->st.fpsr = cpu->fpsr;
}

static void dump_diff(const FPDiffRecord *in, const FPDiffRecord *q, const FPDiffRecord *t)
{
    fprintf(stderr, "  insn %08x fpcr %08" PRIx64 " nzcv %08" PRIx64 "\n", in->insn, in->st.fpcr, in->st.nzcv);
    fprintf(stderr, "  status qemu %u tandem %u; inputs v%u %016" PRIx64 ":%016" PRIx64 " v%u %016" PRIx64 ":%016" PRIx64 "\n",
            q->status, t->status, (in->insn >> 5) & 31, in->st.v[(in->insn >> 5) & 31][1], in->st.v[(in->insn >> 5) & 31][0],
            (in->insn >> 16) & 31, in->st.v[(in->insn >> 16) & 31][1], in->st.v[(in->insn >> 16) & 31][0]);
    for (int i = 0; i < 32; i++) {
        if (memcmp(q->st.v[i], t->st.v[i], 16)) {
            fprintf(stderr, "  v%-2d in %016" PRIx64 ":%016" PRIx64 " qemu %016" PRIx64 ":%016" PRIx64
                    " tandem %016" PRIx64 ":%016" PRIx64 "\n", i, in->st.v[i][1], in->st.v[i][0],
                    q->st.v[i][1], q->st.v[i][0], t->st.v[i][1], t->st.v[i][0]);
        }
    }
    for (int i = 0; i < 16; i++) {
        if (q->st.x[i] != t->st.x[i]) {
            fprintf(stderr, "  x%-2d in %016" PRIx64 " qemu %016" PRIx64 " tandem %016" PRIx64 "\n", i,
                    in->st.x[i], q->st.x[i], t->st.x[i]);
        }
    }
    if (q->st.nzcv != t->st.nzcv) {
        fprintf(stderr, "  nzcv qemu %08" PRIx64 " tandem %08" PRIx64 "\n", q->st.nzcv, t->st.nzcv);
    }
    if (q->st.fpsr != t->st.fpsr) {
        fprintf(stderr, "  fpsr qemu %08" PRIx64 " tandem %08" PRIx64 "\n", q->st.fpsr, t->st.fpsr);
    }
}

/*
 * Known QEMU 7.2 divergences from the Arm ARM pseudocode, accepted only in
 * exactly that shape:
 *  - FJCVTZS of a positive denormal flushed by FPCR.FZ: FPToFixedJS gives
 *    Z = 0 ("sign == '0' && value == 0.0 && !IsZero(op<51:0>)"); QEMU sets Z.
 */
static bool qemu_known_divergence(const FPDiffRecord *in, const FPDiffRecord *q, const FPDiffRecord *t)
{
    if ((in->insn & 0xfffffc00) == 0x1e7e0000 && (in->st.fpcr & FPCR_FZ)) {
        uint64_t op = in->st.v[(in->insn >> 5) & 31][0];
        if ((op >> 52) == 0 && (op & MASK64(52)) && q->st.nzcv == PSTATE_Z && t->st.nzcv == 0) {
            FPDiffRecord t2 = *t;
            t2.st.nzcv = q->st.nzcv;
            return !memcmp(&q->st, &t2.st, sizeof(t2.st)) && q->status == t->status;
        }
    }
    return false;
}

static bool same(const FPDiffRecord *q, const FPDiffRecord *t)
{
    if (q->status != t->status) {
        return false;
    }
    if (q->status) {
        return true;
    }
    return !memcmp(q->st.v, t->st.v, sizeof(q->st.v)) && !memcmp(q->st.x, t->st.x, sizeof(q->st.x)) &&
           q->st.nzcv == t->st.nzcv && q->st.fpsr == t->st.fpsr;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s QEMU RUNNER [count [seed]]\n", argv[0]);
        return 2;
    }
    const char *qemu = argv[1], *runner = argv[2];
    long count = argc > 3 ? atol(argv[3]) : 100000;
    uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 0) : (uint64_t)g_get_real_time();
    const char *max_fail_env = getenv("FPDIFF_MAX_FAIL");
    long max_fail = max_fail_env ? atol(max_fail_env) : 20;
    printf("fpdiff: %ld instructions, seed 0x%" PRIx64 "\n", count, seed);
    fflush(stdout);
    rng = seed;

    CPUState *cpu = g_malloc0(sizeof(CPUState));
    /* Exactly the features Tandem advertises (cpu/features.c). */
    cpu->id.ID_AA64PFR0_EL1 = (1ULL << 16) | (1ULL << 20);           /* FP, AdvSIMD with FP16 */
    /* AES+PMULL, SHA1, SHA2=SHA512, RDM, SHA3, DP */
    cpu->id.ID_AA64ISAR0_EL1 = (2ULL << 4) | (1ULL << 8) | (2ULL << 12) | (1ULL << 28) | (1ULL << 32) |
                               (1ULL << 44) | (1ULL << 48);   /* + FHM */
    cpu->id.ID_AA64ISAR1_EL1 = (1ULL << 12) | (1ULL << 16) | (1ULL << 32) | (1ULL << 44) |
                               (1ULL << 52);  /* JSCVT, FCMA, FRINTTS, BF16, I8MM */

    gchar *dir = g_dir_make_tmp("fpdiff-XXXXXX", NULL);
    gchar *in_path = g_build_filename(dir, "in", NULL), *out_path = g_build_filename(dir, "out", NULL);
    const long batch = 20000;
    long failures = 0, undef_both = 0, done = 0, executed = 0;
    long per_group_fail[G_N_ELEMENTS(templates)] = { 0 };
    long per_group_exec[G_N_ELEMENTS(templates)] = { 0 };
    FPDiffRecord *in = g_new(FPDiffRecord, batch), *q = g_new(FPDiffRecord, batch);
    while (done < count) {
        long n = count - done < batch ? count - done : batch;
        unsigned tidx[20000];
        for (long i = 0; i < n; i++) {
            in[i].insn = rnd_insn(&tidx[i]);
            in[i].status = 0;
            rnd_state(&in[i].st);
        }
        FILE *f = fopen(in_path, "wb");
        fwrite(in, sizeof(FPDiffRecord), (size_t)n, f);
        fclose(f);
        gchar *cmd = g_strdup_printf("'%s' '%s' < '%s' > '%s'", qemu, runner, in_path, out_path);
        int rc = system(cmd);
        g_free(cmd);
        f = fopen(out_path, "rb");
        size_t got = f ? fread(q, sizeof(FPDiffRecord), (size_t)n, f) : 0;
        if (f) {
            fclose(f);
        }
        if (rc != 0 || got != (size_t)n) {
            g_free(in_path);
            g_free(out_path);
            g_free(dir);
            fprintf(stderr, "fpdiff: runner failed (rc %d, %zu of %ld records; next insn %08x)\n", rc, got,
                    n, got < (size_t)n ? in[got].insn : 0);
            return 1;
        }
        for (long i = 0; i < n; i++) {
            FPDiffRecord t = in[i];
            run_tandem(cpu, &t);
            if (q[i].status == 2) {
                fprintf(stderr, "fpdiff: runner signal on %08x\n", in[i].insn);
            }
            if (q[i].status && t.status) {
                undef_both++;
            } else if (!q[i].status && !t.status) {
                executed++;
                per_group_exec[tidx[i]]++;
            }
            if (!same(&q[i], &t) && !qemu_known_divergence(&in[i], &q[i], &t)) {
                failures++;
                per_group_fail[tidx[i]]++;
                if (failures <= max_fail) {
                    fprintf(stderr, "MISMATCH #%ld (%s), case %ld, seed 0x%" PRIx64 "\n", failures,
                            templates[tidx[i]].group, done + i, seed);
                    dump_diff(&in[i], &q[i], &t);
                }
            }
        }
        done += n;
    }
    g_unlink(in_path);
    g_unlink(out_path);
    g_rmdir(dir);
    g_free(in_path);
    g_free(out_path);
    g_free(dir);
    g_free(in);
    g_free(q);
    g_free(cpu);
    printf("fpdiff: %ld run, %ld executed on both, %ld UNDEFINED on both, %ld mismatches (seed 0x%" PRIx64 ")\n",
           done, executed, undef_both, failures, seed);
    for (unsigned t = 0; t < G_N_ELEMENTS(templates); t++) {
        printf("  %-24s %6ld executed, %ld mismatches\n", templates[t].group, per_group_exec[t],
               per_group_fail[t]);
    }
    return failures ? 1 : 0;
}
