#include <glib.h>
#include "core/addrspace.h"

static bool dev_read(void *opaque, uint64_t off, unsigned size, uint64_t *v)
{
    *v = off + size + (uintptr_t)opaque;
    return true;
}
static bool dev_write(void *opaque, uint64_t off, unsigned size, uint64_t v)
{
    *(uint64_t *)opaque = v + off + size;
    return true;
}

static void test_overlap_rejected(void)
{
    AddrSpace as;
    uint8_t ram[0x2000];
    addrspace_init(&as);
    g_assert_true(addrspace_add_ram(&as, "ram", 0x1000, 0x2000, ram));
    g_assert_false(addrspace_add_ram(&as, "x", 0x2fff, 0x10, ram));
    g_assert_false(addrspace_add_ram(&as, "x", 0x0, 0x1001, ram));
    g_assert_true(addrspace_add_ram(&as, "x", 0x0, 0x1000, ram));
    g_assert_true(addrspace_add_ram(&as, "y", 0x3000, 0x1000, ram));
    g_assert_false(addrspace_add_ram(&as, "z", ~0ULL - 4, 0x10, ram)); /* wraps */
    addrspace_destroy(&as);
}

static void test_ram_and_mmio(void)
{
    AddrSpace as;
    uint8_t ram[0x1000] = { 0 };
    uint64_t sink = 0, v = 0;
    static const MMIOOps ops = { dev_read, dev_write };
    addrspace_init(&as);
    g_assert_true(addrspace_add_ram(&as, "ram", 0x40000000, sizeof(ram), ram));
    g_assert_true(addrspace_add_mmio(&as, "dev", 0x9000000, 0x1000, &ops, &sink));
    g_assert_true(addrspace_write(&as, 0x40000010, 4, 0x11223344));
    g_assert_cmpuint(ram[0x10], ==, 0x44);
    g_assert_true(addrspace_read(&as, 0x40000010, 2, &v));
    g_assert_cmphex(v, ==, 0x3344);
    g_assert_false(addrspace_read(&as, 0x40000ffe, 4, &v));   /* straddles the end */
    g_assert_false(addrspace_read(&as, 0x50000000, 4, &v));   /* nothing there */
    g_assert_true(addrspace_write(&as, 0x9000008, 4, 100));
    g_assert_cmpuint(sink, ==, 112);
    g_assert_null(addrspace_ram_ptr(&as, 0x40000f00, 0x200));
    g_assert_nonnull(addrspace_ram_ptr(&as, 0x40000f00, 0x100));
    addrspace_destroy(&as);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/addrspace/overlap", test_overlap_rejected);
    g_test_add_func("/addrspace/ram_mmio", test_ram_and_mmio);
    return g_test_run();
}
