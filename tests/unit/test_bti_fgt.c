/*
 * FEAT_BTI landing-pad compatibility (cpu/bti.c bti_insn_compatible, the
 * Arm ARM's BTypeCompatible_BTI / BTypeCompatible_PACIXSP) and the FEAT_FGT
 * trap table (cpu/fgt_table.c): well-formed rows, bit positions as in the
 * Arm ARM for a sample of registers.
 */
#include <glib.h>

#include "cpu/bti.h"
#include "cpu/fgt.h"

#define HINT(n) (0xd503201fu | ((uint32_t)(n) << 5))

static void test_bti_variants(void)
{
    /* btype:             1      2      3 */
    static const struct { uint32_t insn; bool ok[4]; } rows[] = {
        { HINT(32), { true, false, false, false } },   /* BTI */
        { HINT(34), { true, true, true, false } },     /* BTI c */
        { HINT(36), { true, true, false, true } },     /* BTI j */
        { HINT(38), { true, true, true, true } },      /* BTI jc */
        { 0xd503201fu, { true, false, false, false } },/* NOP */
        { 0xd503233fu, { true, true, true, true } },   /* PACIASP, BT = 0 */
        { 0xd503237fu, { true, true, true, true } },   /* PACIBSP, BT = 0 */
        { 0xd42000e0u, { true, true, true, true } },   /* BRK #7 */
        { 0xd45e0000u, { true, true, true, true } },   /* HLT #0xf000 */
        { 0xd2800020u, { true, false, false, false } },/* MOV x0, #1 */
        { 0xd65f03c0u, { true, false, false, false } },/* RET */
    };
    for (unsigned i = 0; i < G_N_ELEMENTS(rows); i++) {
        for (unsigned bt = 1; bt <= 3; bt++) {
            g_assert_cmpint(bti_insn_compatible(rows[i].insn, bt, false), ==, rows[i].ok[bt]);
        }
    }
}

static void test_bti_pacixsp_bt(void)
{
    /* With SCTLR_ELx.BT set PACIASP/PACIBSP act as BTI c: not compatible with BTYPE 11. */
    g_assert_true(bti_insn_compatible(0xd503233fu, 1, true));
    g_assert_true(bti_insn_compatible(0xd503233fu, 2, true));
    g_assert_false(bti_insn_compatible(0xd503233fu, 3, true));
    g_assert_false(bti_insn_compatible(0xd503237fu, 3, true));
    /* BT does not change the BTI instructions */
    g_assert_true(bti_insn_compatible(HINT(36), 3, true));
    g_assert_false(bti_insn_compatible(HINT(34), 3, true));
}

/* Every row well formed; no two rows claim one encoding; bits of one register unique per direction. */
static void test_fgt_table_wellformed(void)
{
    g_assert_cmpuint(fgt_table_count, <, 255);   /* fgt_index is uint8_t */
    for (unsigned i = 0; i < fgt_table_count; i++) {
        const FGTRow *a = &fgt_table[i];
        g_assert_cmpuint(a->bit, <, 64);
        g_assert_true(a->group >= FGT_HFGxTR && a->group <= FGT_HDFGxTR);
        if (a->flags & FGTF_NOT_SYSREG) {
            g_assert_cmpuint(a->group, ==, FGT_HFGITR);
            continue;
        }
        /* HFGITR rows are system instructions (op0 = 1), the others registers (op0 = 2 or 3). */
        unsigned op0 = (a->enc >> 14) & 3;
        g_assert_cmpuint(op0, ==, a->group == FGT_HFGITR ? 1 : a->group == FGT_HDFGxTR ? 2 : 3);
        g_assert_true(fgt_lookup(a->enc) == a || (a->flags & FGTF_ANY_CRM));
        for (unsigned j = i + 1; j < fgt_table_count; j++) {
            const FGTRow *b = &fgt_table[j];
            if (b->flags & FGTF_NOT_SYSREG) {
                continue;
            }
            uint32_t m = ((a->flags | b->flags) & FGTF_ANY_CRM) ? ~(0xfu << 3) : ~0u;
            g_assert_cmphex(a->enc & m, !=, b->enc & m);
        }
    }
}

/* A sample against the Arm ARM's register layouts. */
static void test_fgt_table_bits(void)
{
    static const struct { uint32_t enc; unsigned group, bit; } want[] = {
        { MMU_SYSREG_ENC(3, 0, 1, 0, 0), FGT_HFGxTR, 29 },     /* SCTLR_EL1 */
        { MMU_SYSREG_ENC(3, 0, 2, 0, 0), FGT_HFGxTR, 36 },     /* TTBR0_EL1 */
        { MMU_SYSREG_ENC(3, 3, 13, 0, 2), FGT_HFGxTR, 35 },    /* TPIDR_EL0 */
        { MMU_SYSREG_ENC(3, 0, 2, 1, 1), FGT_HFGxTR, 7 },      /* APIAKeyHi_EL1 */
        { MMU_SYSREG_ENC(3, 0, 12, 12, 7), FGT_HFGxTR, 39 },   /* ICC_IGRPEN1_EL1 */
        { MMU_SYSREG_ENC(1, 0, 8, 3, 1), FGT_HFGITR, 29 },     /* TLBI VAE1IS */
        { MMU_SYSREG_ENC(1, 0, 8, 7, 0), FGT_HFGITR, 42 },     /* TLBI VMALLE1 */
        { MMU_SYSREG_ENC(1, 3, 7, 4, 1), FGT_HFGITR, 11 },     /* DC ZVA */
        { MMU_SYSREG_ENC(1, 3, 7, 10, 1), FGT_HFGITR, 54 },    /* DC CVAC */
        { MMU_SYSREG_ENC(2, 0, 0, 5, 5), FGT_HDFGxTR, 0 },     /* DBGBCR5_EL1 */
        { MMU_SYSREG_ENC(2, 0, 0, 15, 6), FGT_HDFGxTR, 3 },    /* DBGWVR15_EL1 */
        { MMU_SYSREG_ENC(2, 0, 0, 2, 2), FGT_HDFGxTR, 4 },     /* MDSCR_EL1 */
        { MMU_SYSREG_ENC(2, 0, 1, 0, 4), FGT_HDFGxTR, 8 },     /* OSLAR_EL1 */
    };
    for (unsigned i = 0; i < G_N_ELEMENTS(want); i++) {
        const FGTRow *r = fgt_lookup(want[i].enc);
        g_assert_nonnull(r);
        g_assert_cmpuint(r->group, ==, want[i].group);
        g_assert_cmpuint(r->bit, ==, want[i].bit);
    }
    /* Not covered: EL2 registers, ACTLR_EL1 (HCR_EL2.TACR only), ID registers. */
    g_assert_null(fgt_lookup(MMU_SYSREG_ENC(3, 4, 1, 0, 0)));
    g_assert_null(fgt_lookup(MMU_SYSREG_ENC(3, 0, 1, 0, 1)));
    g_assert_null(fgt_lookup(MMU_SYSREG_ENC(3, 0, 0, 4, 0)));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bti/variants", test_bti_variants);
    g_test_add_func("/bti/pacixsp_bt", test_bti_pacixsp_bt);
    g_test_add_func("/fgt/table_wellformed", test_fgt_table_wellformed);
    g_test_add_func("/fgt/table_bits", test_fgt_table_bits);
    return g_test_run();
}
