/*
 * FP/AdvSIMD instruction handlers run through the generated decoder on a
 * bare CPUState at EL3 (CPTR_EL3 = 0: FP enabled). Encodings were produced
 * with aarch64-linux-gnu-as; expected values are computed by hand.
 */
#include "insn_test_env.h"
#include "cpu/fpu/softfloat.h"

#define S(n) (cpu->z[n].s[0])
#define D(n) (cpu->z[n].d[0])

static void test_scalar_arith(void)
{
    CPUState *cpu = insn_test_cpu_new();
    S(1) = 0x3f800000;      /* 1.0 */
    S(2) = 0x40000000;      /* 2.0 */
    cpu->z[0].d[1] = 0x1234;
    cpu->z[0].d[5] = 0x5678;
    cpu->id.ID_AA64PFR0_EL1 |= 1ULL << 32;     /* SVE present: Z bits above 127 exist */
    g_assert_cmpint(insn_test_run(cpu, 0x1e222820), ==, EXEC_NEXT);   /* fadd s0, s1, s2 */
    g_assert_cmphex(D(0), ==, 0x40400000);
    g_assert_cmphex(cpu->z[0].d[1], ==, 0);                 /* upper V and Z bits zeroed */
    g_assert_cmphex(cpu->z[0].d[5], ==, 0);
    /* fmadd d0, d1, d2, d3: 3 + 1.5 * 2 = 6 */
    D(1) = 0x3ff8000000000000ULL;
    D(2) = 0x4000000000000000ULL;
    D(3) = 0x4008000000000000ULL;
    insn_test_run(cpu, 0x1f420c20);
    g_assert_cmphex(D(0), ==, 0x4018000000000000ULL);
    /* fnmsub s0, s1, s2, s3: -3 + 1*2 = -1 */
    S(1) = 0x3f800000; S(2) = 0x40000000; S(3) = 0x40400000;
    insn_test_run(cpu, 0x1f228c20);
    g_assert_cmphex(D(0), ==, 0xbf800000);
    /* fsqrt s0, s1 of 2.0 (round to nearest): 0x3fb504f3, inexact. */
    S(1) = 0x40000000;
    cpu->fpsr = 0;
    insn_test_run(cpu, 0x1e21c020);
    g_assert_cmphex(D(0), ==, 0x3fb504f3);
    g_assert_cmphex(cpu->fpsr, ==, FPSR_IXC);
    /* fmov s0, #1.0 */
    insn_test_run(cpu, 0x1e2e1000);
    g_assert_cmphex(D(0), ==, 0x3f800000);
    g_free(cpu);
}

static void test_scalar_compare_select(void)
{
    CPUState *cpu = insn_test_cpu_new();
    S(1) = 0x3f800000;
    S(2) = 0x40000000;
    insn_test_run(cpu, 0x1e222020);                /* fcmp s1, s2: less than -> N */
    g_assert_cmphex(cpu->nzcv, ==, PSTATE_N);
    D(1) = 0x7ff8000000000000ULL;        /* qNaN */
    cpu->fpsr = 0;
    insn_test_run(cpu, 0x1e602038);                /* fcmpe d1, #0.0: unordered, IOC */
    g_assert_cmphex(cpu->nzcv, ==, PSTATE_C | PSTATE_V);
    g_assert_cmphex(cpu->fpsr, ==, FPSR_IOC);
    cpu->nzcv = 0;                       /* fccmp s1, s2, #4, eq: eq false -> nzcv = 4 */
    insn_test_run(cpu, 0x1e220424);
    g_assert_cmphex(cpu->nzcv, ==, PSTATE_Z);
    /* fcsel d0, d1, d2, ne with Z set -> d2 */
    D(1) = 11; D(2) = 22;
    insn_test_run(cpu, 0x1e621c20);
    g_assert_cmphex(D(0), ==, 22);
    g_free(cpu);
}

static void test_conversions(void)
{
    CPUState *cpu = insn_test_cpu_new();
    S(1) = 0xc0200000;                   /* -2.5 */
    insn_test_run(cpu, 0x1e380020);                /* fcvtzs w0, s1 */
    g_assert_cmphex(cpu->x[0], ==, 0xfffffffe);
    D(1) = 0x4004000000000000ULL;        /* 2.5 */
    insn_test_run(cpu, 0x9e58e020);                /* fcvtzs x0, d1, #8 -> 640 */
    g_assert_cmphex(cpu->x[0], ==, 640);
    cpu->x[1] = (uint64_t)-3;
    insn_test_run(cpu, 0x9e620020);                /* scvtf d0, x1 */
    g_assert_cmphex(D(0), ==, 0xc008000000000000ULL);
    cpu->x[1] = 40;
    insn_test_run(cpu, 0x1e03f020);                /* ucvtf s0, w1, #4 -> 2.5 */
    g_assert_cmphex(D(0), ==, 0x40200000);
    D(1) = 0x1122334455667788ULL;
    insn_test_run(cpu, 0x9e660020);                /* fmov x0, d1 */
    g_assert_cmphex(cpu->x[0], ==, 0x1122334455667788ULL);
    cpu->x[1] = 0xabcdef;
    insn_test_run(cpu, 0x9eaf0020);                /* fmov v0.d[1], x1: low half kept */
    g_assert_cmphex(cpu->z[0].d[1], ==, 0xabcdef);
    g_assert_cmphex(D(0), ==, 0x40200000);   /* from the ucvtf above */
    insn_test_run(cpu, 0x9e670020);                /* fmov d0, x1 */
    g_assert_cmphex(D(0), ==, 0xabcdef);
    g_assert_cmphex(cpu->z[0].d[1], ==, 0);
    S(1) = 0x3fc00000;                   /* fcvt d0, s1: 1.5 */
    insn_test_run(cpu, 0x1e22c020);
    g_assert_cmphex(D(0), ==, 0x3ff8000000000000ULL);
    D(1) = 0x3ff8000000000000ULL;        /* fcvt h0, d1 */
    insn_test_run(cpu, 0x1e63c020);
    g_assert_cmphex(D(0), ==, 0x3e00);
    D(1) = 0x4004000000000000ULL;        /* frintx d0, d1: 2.5 -> 2.0, inexact */
    cpu->fpsr = 0;
    insn_test_run(cpu, 0x1e674020);
    g_assert_cmphex(D(0), ==, 0x4000000000000000ULL);
    g_assert_cmphex(cpu->fpsr, ==, FPSR_IXC);
    g_free(cpu);
}

static void test_feature_gating(void)
{
    CPUState *cpu = insn_test_cpu_new();
    /* Half-precision arithmetic and FJCVTZS are UNDEFINED unless advertised. */
    g_assert_cmpint(insn_test_run(cpu, 0x1ee22820), ==, EXEC_EXCEPTION);   /* fadd h0, h1, h2 */
    g_assert_cmpint(insn_test_run(cpu, 0x1e7e0020), ==, EXEC_EXCEPTION);   /* fjcvtzs w0, d1 */
    cpu->id.ID_AA64PFR0_EL1 = (1ULL << 16) | (1ULL << 20);
    cpu->id.ID_AA64ISAR1_EL1 = 1ULL << 12;
    cpu->z[1].h[0] = 0x3c00;
    cpu->z[2].h[0] = 0x3c00;
    g_assert_cmpint(insn_test_run(cpu, 0x1ee22820), ==, EXEC_NEXT);
    g_assert_cmphex(D(0), ==, 0x4000);
    D(1) = 0xc000000000000000ULL;                                  /* -2.0 */
    g_assert_cmpint(insn_test_run(cpu, 0x1e7e0020), ==, EXEC_NEXT);
    g_assert_cmphex(cpu->x[0], ==, 0xfffffffe);
    g_assert_cmphex(cpu->nzcv, ==, PSTATE_Z);
    /* ftype 10 is unallocated for arithmetic. */
    g_assert_cmpint(insn_test_run(cpu, 0x1ea22820), ==, EXEC_EXCEPTION);
    g_free(cpu);
}

static void test_simd_3same(void)
{
    CPUState *cpu = insn_test_cpu_new();
    cpu->z[1].d[0] = 0x0000000300000001ULL; cpu->z[1].d[1] = 0x7fffffff00000005ULL;
    cpu->z[2].d[0] = 0x0000000400000002ULL; cpu->z[2].d[1] = 0x0000000100000006ULL;
    insn_test_run(cpu, 0x4ea28420);                /* add v0.4s, v1.4s, v2.4s */
    g_assert_cmphex(cpu->z[0].d[0], ==, 0x0000000700000003ULL);
    g_assert_cmphex(cpu->z[0].d[1], ==, 0x800000000000000bULL);
    /* sqadd v0.16b: 0x7f + 0x01 saturates, QC set */
    cpu->z[1].d[0] = 0x7f; cpu->z[1].d[1] = 0x80;
    cpu->z[2].d[0] = 0x01; cpu->z[2].d[1] = 0xff;
    cpu->fpsr = 0;
    insn_test_run(cpu, 0x4e220c20);
    g_assert_cmphex(cpu->z[0].d[0], ==, 0x7f);
    g_assert_cmphex(cpu->z[0].d[1], ==, 0x80);
    g_assert_cmphex(cpu->fpsr, ==, FPSR_QC);
    /* uqsub d0, d1, d2: 1 - 2 saturates to 0 */
    cpu->z[1].d[0] = 1; cpu->z[2].d[0] = 2;
    insn_test_run(cpu, 0x7ee22c20);
    g_assert_cmphex(cpu->z[0].d[0], ==, 0);
    /* faddp v0.4s: pairs of concat(v2:v1) */
    cpu->z[1].s[0] = 0x3f800000; cpu->z[1].s[1] = 0x40000000; cpu->z[1].s[2] = 0x40400000; cpu->z[1].s[3] = 0x40800000;
    cpu->z[2].s[0] = 0; cpu->z[2].s[1] = 0; cpu->z[2].s[2] = 0xbf800000; cpu->z[2].s[3] = 0x3f800000;
    insn_test_run(cpu, 0x6e22d420);
    g_assert_cmphex(cpu->z[0].s[0], ==, 0x40400000);   /* 1+2 */
    g_assert_cmphex(cpu->z[0].s[1], ==, 0x40e00000);   /* 3+4 */
    g_assert_cmphex(cpu->z[0].s[2], ==, 0);
    g_assert_cmphex(cpu->z[0].s[3], ==, 0);            /* -1 + 1 = +0 */
    /* bsl v0.16b, v1.16b, v2.16b */
    cpu->z[0].d[0] = 0xff00ff00ff00ff00ULL; cpu->z[0].d[1] = 0;
    cpu->z[1].d[0] = 0x1111111111111111ULL; cpu->z[2].d[0] = 0x2222222222222222ULL;
    insn_test_run(cpu, 0x6e621c20);
    g_assert_cmphex(cpu->z[0].d[0], ==, 0x1122112211221122ULL);
    /* sqrdmulh v0.8h: 0x8000 * 0x8000 saturates to 0x7fff */
    cpu->z[1].d[0] = 0x4000u | (0x8000ULL << 16); cpu->z[1].d[1] = 0;
    cpu->z[2].d[0] = 0x4000u | (0x8000ULL << 16); cpu->z[2].d[1] = 0;
    cpu->fpsr = 0;
    insn_test_run(cpu, 0x6e62b420);
    g_assert_cmphex(cpu->z[0].h[0], ==, 0x2000);
    g_assert_cmphex(cpu->z[0].h[1], ==, 0x7fff);
    g_assert_cmphex(cpu->fpsr, ==, FPSR_QC);
    /* frecps s0, s1, s2: 2 - 1.5*0.5 = 1.25 */
    cpu->z[1].d[0] = 0x3fc00000; cpu->z[2].d[0] = 0x3f000000;
    insn_test_run(cpu, 0x5e22fc20);
    g_assert_cmphex(cpu->z[0].d[0], ==, 0x3fa00000);
    /* addp v0.2d */
    cpu->z[1].d[0] = 1; cpu->z[1].d[1] = 2; cpu->z[2].d[0] = 3; cpu->z[2].d[1] = 4;
    insn_test_run(cpu, 0x4ee2bc20);
    g_assert_cmphex(cpu->z[0].d[0], ==, 3);
    g_assert_cmphex(cpu->z[0].d[1], ==, 7);
    /* size 11 without Q is reserved for add */
    g_assert_cmpint(insn_test_run(cpu, 0x0ee28420), ==, EXEC_EXCEPTION);
    g_free(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fpsimd/scalar_arith", test_scalar_arith);
    g_test_add_func("/fpsimd/scalar_compare_select", test_scalar_compare_select);
    g_test_add_func("/fpsimd/conversions", test_conversions);
    g_test_add_func("/fpsimd/feature_gating", test_feature_gating);
    g_test_add_func("/fpsimd/simd_3same", test_simd_3same);
    return g_test_run();
}
