/* Soft-float internals shared by the cpu/fpu sources (not for instruction handlers). */
#ifndef TANDEM_CPU_FPU_SOFTFLOAT_INT_H
#define TANDEM_CPU_FPU_SOFTFLOAT_INT_H

#include "cpu/fpu/softfloat.h"

__extension__ typedef unsigned __int128 u128;

typedef struct FPFmtInfo {
    unsigned N, E, F;
    int min_exp;
} FPFmtInfo;

extern const FPFmtInfo fp_fmt_info[5];

uint64_t fp_process_nan(FPCtx *c, FPFmt f, FPType t, uint64_t x);
bool fp_process_nans(FPCtx *c, FPFmt f, const FPUnpacked *u1, uint64_t a,
                     const FPUnpacked *u2, uint64_t b, uint64_t *res);
uint64_t fp_round(FPCtx *c, FPFmt f, bool sign, int exp, u128 mant, FPRounding r, bool cv);
uint64_t fp_add_exact(FPCtx *c, FPFmt f, bool s1, int e1, u128 m1,
                      bool s2, int e2, u128 m2, FPRounding r);
int fp_cmp_unpacked(const FPUnpacked *x, const FPUnpacked *y);

static inline bool fp_type_is_nan(FPType t)
{
    return t == FPT_QNAN || t == FPT_SNAN;
}

#endif
