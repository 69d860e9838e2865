/* Descriptor decoding for monitor walk: granules, block sizes, FEAT_LPA and FEAT_LPA2 output addresses. */
#include <glib.h>

#include "core/gdbstub_walk.h"
#include "mmu/mmu.h"

static void test_decode_4k(void)
{
    GdbDescInfo di;
    gdb_desc_decode(0, 0, 12, false, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_INVALID);
    gdb_desc_decode(0x40001003ULL | (1ULL << 63), 0, 12, false, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_TABLE);
    g_assert_cmphex(di.out_addr, ==, 0x40001000);
    gdb_desc_decode(0x40000401ULL, 1, 12, false, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_BLOCK);
    g_assert_cmphex(di.out_addr, ==, 0x40000000);
    g_assert_cmphex(di.size, ==, 1ULL << 30);
    /* bits below the block size are not part of the output address */
    gdb_desc_decode(0x40212701ULL, 2, 12, false, &di);
    g_assert_cmphex(di.out_addr, ==, 0x40200000);
    g_assert_cmphex(di.size, ==, 2ULL << 20);
    gdb_desc_decode(0x0060000040003743ULL, 3, 12, false, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_PAGE);
    g_assert_cmphex(di.out_addr, ==, 0x40003000);
    g_assert_cmphex(di.size, ==, 4096);
    gdb_desc_decode(0x40003001ULL, 3, 12, false, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_RESERVED);
}

static void test_decode_16k_64k(void)
{
    GdbDescInfo di;
    /* 16K: level 2 block = 32M, level 3 page = 16K */
    gdb_desc_decode(0x42000401ULL, 2, 14, false, &di);
    g_assert_cmphex(di.size, ==, 32ULL << 20);
    gdb_desc_decode(0x40004403ULL, 3, 14, false, &di);
    g_assert_cmphex(di.size, ==, 16384);
    g_assert_cmphex(di.out_addr, ==, 0x40004000);
    /* 64K: level 2 block = 512M; FEAT_LPA puts OA[51:48] in bits 15:12 */
    gdb_desc_decode(0x20000401ULL, 2, 16, false, &di);
    g_assert_cmphex(di.size, ==, 512ULL << 20);
    gdb_desc_decode(0x0000123450000403ULL | (0xfULL << 12), 3, 16, false, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_PAGE);
    g_assert_cmphex(di.out_addr, ==, 0x000f123450000000ULL);
    gdb_desc_decode(0x0000123450000003ULL | (0x8ULL << 12), 1, 16, false, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_TABLE);
    g_assert_cmphex(di.out_addr, ==, 0x0008123450000000ULL);
}

static void test_decode_lpa2(void)
{
    GdbDescInfo di;
    /* LPA2 (DS=1): OA[49:48] in place, OA[51:50] from bits 9:8 */
    uint64_t desc = (3ULL << 48) | 0x1000 | (3ULL << 8) | 0x400 | 3;
    gdb_desc_decode(desc, 3, 12, true, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_PAGE);
    g_assert_cmphex(di.out_addr, ==, 0x000f000000001000ULL);
    /* without DS, bits 9:8 are SH and bits 49:48 are not address bits (48-bit OA) */
    gdb_desc_decode(desc, 3, 12, false, &di);
    g_assert_cmphex(di.out_addr, ==, 0x1000);
    /* level -1 table (4K, 52-bit VA) and a level-0 block (512G) */
    gdb_desc_decode(0x0000000080000003ULL | (1ULL << 8), -1, 12, true, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_TABLE);
    g_assert_cmphex(di.out_addr, ==, 0x0004000080000000ULL);
    gdb_desc_decode(0x0000008000000401ULL, 0, 12, true, &di);
    g_assert_cmpint(di.type, ==, GDB_DESC_BLOCK);
    g_assert_cmphex(di.size, ==, 512ULL << 30);
}

static void test_format(void)
{
    char buf[256];
    gdb_desc_format(0x00600000400037c3ULL, false, 3, 12, false, buf, sizeof(buf));
    g_assert_nonnull(strstr(buf, "page 4K -> 0x40003000"));
    g_assert_nonnull(strstr(buf, "AttrIndx=0"));
    g_assert_nonnull(strstr(buf, "AP=3(priv RO, EL0 RO)"));
    g_assert_nonnull(strstr(buf, "SH=ISH"));
    g_assert_nonnull(strstr(buf, "AF=1"));
    g_assert_nonnull(strstr(buf, "PXN=1 UXN=1"));
    gdb_desc_format(0x00400000400007fdULL, true, 2, 12, false, buf, sizeof(buf));
    g_assert_nonnull(strstr(buf, "block 2M -> 0x40000000"));
    g_assert_nonnull(strstr(buf, "MemAttr=0xf"));
    g_assert_nonnull(strstr(buf, "S2AP=11(RW)"));
    g_assert_nonnull(strstr(buf, "XN=2"));
    gdb_desc_format(0x40001003ULL | (1ULL << 63), false, 1, 12, false, buf, sizeof(buf));
    g_assert_nonnull(strstr(buf, "table -> 0x40001000"));
    g_assert_nonnull(strstr(buf, "NSTable=1"));
    gdb_desc_format(0x2, false, 1, 12, false, buf, sizeof(buf));
    g_assert_nonnull(strstr(buf, "invalid"));
    gdb_desc_format(0x40001003ULL | (3ULL << 8), false, 3, 12, true, buf, sizeof(buf));
    g_assert_nonnull(strstr(buf, "SH=(TCR)"));
    /* tiny buffers are truncated, never overrun */
    char small[8];
    gdb_desc_format(0x0060000040003743ULL, false, 3, 12, false, small, sizeof(small));
    g_assert_cmpuint(strlen(small), ==, 7);
}

static void test_fsc(void)
{
    g_assert_cmphex(gdb_fault_fsc(MMU_FAULT_TRANSLATION, 1), ==, 0x05);
    g_assert_cmphex(gdb_fault_fsc(MMU_FAULT_TRANSLATION, -1), ==, 0x2b);
    g_assert_cmphex(gdb_fault_fsc(MMU_FAULT_PERMISSION, 3), ==, 0x0f);
    g_assert_cmphex(gdb_fault_fsc(MMU_FAULT_ACCESS_FLAG, 2), ==, 0x0a);
    g_assert_cmphex(gdb_fault_fsc(MMU_FAULT_ADDRESS_SIZE, 0), ==, 0x00);
    g_assert_cmphex(gdb_fault_fsc(MMU_FAULT_ADDRESS_SIZE, -1), ==, 0x29);
    g_assert_cmphex(gdb_fault_fsc(MMU_FAULT_SYNC_EXTERNAL_WALK, 1), ==, 0x15);
    g_assert_cmphex(gdb_fault_fsc(MMU_FAULT_ALIGNMENT, 3), ==, 0x21);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdbstub/walk/decode_4k", test_decode_4k);
    g_test_add_func("/gdbstub/walk/decode_16k_64k", test_decode_16k_64k);
    g_test_add_func("/gdbstub/walk/decode_lpa2", test_decode_lpa2);
    g_test_add_func("/gdbstub/walk/format", test_format);
    g_test_add_func("/gdbstub/walk/fsc", test_fsc);
    return g_test_run();
}
