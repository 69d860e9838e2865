/*
 * FP/AdvSIMD benchmark guest (`make bench` runs it under QEMU and Tandem
 * side by side; it is also a normal guest test: every kernel's result is
 * checked against an integer reference computed in C).
 * Kernels (kernels.S): single-precision matrix multiply with FMLA by
 * element, double-precision dot product, SCVTF/FCVTZS vector conversions,
 * memcpy with LD1/ST1 (4 registers) and with LDP/STP Q, strlen with
 * CMEQ/UMAXV.
 */
#include "guest.h"

void mm_f32(void *c, const void *a, const void *b, uint64_t n);
void cvt_s32_to_f32(void *p, uint64_t count);
void cvt_f32_to_s32(void *p, uint64_t count);
uint64_t dot_f64_bits(const void *a, const void *b, uint64_t n);
void memcpy_ld1(void *dst, const void *src, uint64_t bytes);
void memcpy_ldp(void *dst, const void *src, uint64_t bytes);
uint64_t strlen_simd(const char *s);

#define N 48
#define MM_REPS 40
#define COPY_BYTES (64 * 1024)
#define COPY_REPS 40
#define STR_REPS 40
#define DOT_N 4096
#define DOT_REPS 40

static int32_t A[N * N] __attribute__((aligned(16)));
static int32_t B[N * N] __attribute__((aligned(16)));
static int32_t C[N * N] __attribute__((aligned(16)));
static uint8_t src[COPY_BYTES] __attribute__((aligned(16)));
static uint8_t dst[COPY_BYTES] __attribute__((aligned(16)));
static uint64_t da[DOT_N] __attribute__((aligned(16)));
static uint64_t db[DOT_N] __attribute__((aligned(16)));

/* IEEE double bits of a small non-negative integer (exact). */
static uint64_t dbl_bits(uint64_t v)
{
    if (v == 0) {
        return 0;
    }
    int e = 63 - __builtin_clzll(v);
    return ((uint64_t)(1023 + e) << 52) | ((v << (52 - e)) & ((1ull << 52) - 1));
}

void guest_run(void)
{
    write_sysreg(3ul << 20, CPACR_EL1);
    write_sysreg(0x33fful, CPTR_EL2);
    isb();

    /* Matrix multiply: small integers, so single precision is exact. */
    bool mm_ok = true;
    for (unsigned rep = 0; rep < MM_REPS; rep++) {
        for (unsigned i = 0; i < N * N; i++) {
            A[i] = (int32_t)((i * 7 + rep) % 13) - 6;
            B[i] = (int32_t)((i * 5 + 3 * rep) % 11) - 5;
        }
        cvt_s32_to_f32(A, N * N);
        cvt_s32_to_f32(B, N * N);
        mm_f32(C, A, B, N);
        cvt_f32_to_s32(C, N * N);
        if (rep % 8 == 0 || rep == MM_REPS - 1) {
            for (unsigned i = 0; i < N && mm_ok; i++) {
                for (unsigned j = 0; j < N; j++) {
                    int32_t want = 0;
                    for (unsigned k = 0; k < N; k++) {
                        int32_t a = (int32_t)(((i * N + k) * 7 + rep) % 13) - 6;
                        int32_t b = (int32_t)(((k * N + j) * 5 + 3 * rep) % 11) - 5;
                        want += a * b;
                    }
                    if (C[i * N + j] != want) {
                        printf("mm rep %u C[%u][%u] = %d, want %d\n", rep, i, j, C[i * N + j], want);
                        mm_ok = false;
                        break;
                    }
                }
            }
        }
    }
    report(mm_ok, "matrix multiply %ux%u (FMLA by element) x%u", N, N, MM_REPS);

    /* Dot product in double precision: exact for these integers. */
    uint64_t want_dot = 0;
    for (unsigned i = 0; i < DOT_N; i++) {
        da[i] = dbl_bits(i % 17);
        db[i] = dbl_bits(i % 23);
        want_dot += (uint64_t)(i % 17) * (i % 23);
    }
    uint64_t dot = 0;
    for (unsigned rep = 0; rep < DOT_REPS; rep++) {
        dot = dot_f64_bits(da, db, DOT_N);
    }
    report(dot == dbl_bits(want_dot), "dot product (FMLA .2d, FADDP) x%u: 0x%lx", DOT_REPS, dot);

    /* memcpy both ways. */
    for (unsigned i = 0; i < COPY_BYTES; i++) {
        src[i] = (uint8_t)(i * 31 + 7);
    }
    for (unsigned rep = 0; rep < COPY_REPS; rep++) {
        memcpy_ld1(dst, src, COPY_BYTES);
    }
    report(!memcmp(dst, src, COPY_BYTES), "memcpy LD1/ST1 x4 registers, %u KiB x%u", COPY_BYTES / 1024, COPY_REPS);
    memset(dst, 0, COPY_BYTES);
    for (unsigned rep = 0; rep < COPY_REPS; rep++) {
        memcpy_ldp(dst, src, COPY_BYTES);
    }
    report(!memcmp(dst, src, COPY_BYTES), "memcpy LDP/STP Q, %u KiB x%u", COPY_BYTES / 1024, COPY_REPS);

    /* strlen over a long string. */
    for (unsigned i = 0; i < COPY_BYTES; i++) {
        dst[i] = (uint8_t)('a' + i % 26);
    }
    uint64_t len = COPY_BYTES - 100 + 3;
    dst[len] = 0;
    uint64_t got = 0;
    for (unsigned rep = 0; rep < STR_REPS; rep++) {
        got = strlen_simd((const char *)dst);
    }
    report(got == len, "strlen (CMEQ/UMAXV) of %lu bytes x%u: %lu", len, STR_REPS, got);
}
