/* Loaders (core/loader.c) on synthetic images: placement as QEMU's virt board, and bad files. */
#include <gio/gio.h>
#include <glib.h>
#include <libfdt.h>

#include "core/loader.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (16ULL << 20)

static AddrSpace as;
static uint8_t *ram;

static void setup(void)
{
    addrspace_init(&as);
    ram = g_malloc0(RAM_SIZE);
    g_assert_true(addrspace_add_ram(&as, "ram", RAM_BASE, RAM_SIZE, ram));
}

static void teardown(void)
{
    addrspace_destroy(&as);
    g_free(ram);
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* An arm64 Image of `size` bytes (>= 64) with the given header fields. */
static uint8_t *make_image(size_t size, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
    uint8_t *d = g_malloc0(size);
    put32(d, 0x14000010);           /* b +0x40 */
    put64(d + 8, text_offset);
    put64(d + 16, image_size);
    put64(d + 24, flags);
    memcpy(d + 0x38, "ARM\x64", 4);
    for (size_t i = 0x40; i < size; i++) {
        d[i] = (uint8_t)i;
    }
    return d;
}

static bool load(const uint8_t *d, size_t size, LoadedImage *img, char **err)
{
    *err = NULL;
    return loader_load_kernel(&as, RAM_BASE, RAM_SIZE, d, size, "test", img, err);
}

/* Load a 256-byte Image with this header into RAM (load()'s result and *err). */
static bool load_header(uint64_t text_offset, uint64_t image_size, uint64_t flags, LoadedImage *img, char **err)
{
    uint8_t *d = make_image(256, text_offset, image_size, flags);
    bool ok = load(d, 256, img, err);
    g_free(d);
    return ok;
}

static void test_image_text_offset_zero(void)
{
    setup();
    uint8_t *d = make_image(4096, 0, 0x20000, 0xa);
    LoadedImage img;
    char *err;
    g_assert_true(load(d, 4096, &img, &err));
    /* text_offset below 4 KiB: QEMU moves the image up 2 MiB. */
    g_assert_cmpuint(img.kind, ==, IMAGE_ARM64_LINUX);
    g_assert_cmphex(img.entry, ==, RAM_BASE + 0x200000);
    g_assert_cmphex(img.low_pa, ==, RAM_BASE + 0x200000);
    g_assert_cmphex(img.high_pa, ==, RAM_BASE + 0x200000 + 0x20000);   /* image_size, not file size */
    g_assert_cmpmem(ram + 0x200000, 4096, d, 4096);
    g_free(d);
    teardown();
}

static void test_image_text_offset_80000(void)
{
    setup();
    LoadedImage img;
    char *err;
    g_assert_true(load_header(0x80000, 0x1000, 0xa, &img, &err));
    g_assert_cmphex(img.entry, ==, RAM_BASE + 0x80000);
    teardown();
}

static void test_image_size_zero_ignores_text_offset(void)
{
    setup();
    LoadedImage img;
    char *err;
    g_assert_true(load_header(0x300000, 0, 0, &img, &err));
    g_assert_cmphex(img.entry, ==, RAM_BASE + 0x80000);
    teardown();
}

static void test_image_big_endian_rejected(void)
{
    setup();
    LoadedImage img;
    char *err;
    g_assert_false(load_header(0, 0x1000, 0xb, &img, &err));
    g_assert_nonnull(strstr(err, "big-endian"));
    g_free(err);
    teardown();
}

static void test_image_too_big(void)
{
    setup();
    /* image_size larger than RAM: refused, RAM untouched. */
    LoadedImage img;
    char *err;
    g_assert_false(load_header(0, RAM_SIZE, 0xa, &img, &err));
    g_assert_nonnull(strstr(err, "does not fit"));
    g_free(err);
    g_assert_cmpuint(ram[0x200000], ==, 0);
    /* text_offset beyond RAM */
    g_assert_false(load_header(1ULL << 40, 0x1000, 0xa, &img, &err));
    g_free(err);
    teardown();
}

static void test_raw(void)
{
    setup();
    uint8_t d[100];
    memset(d, 0x5a, sizeof(d));
    LoadedImage img;
    char *err;
    g_assert_true(load(d, sizeof(d), &img, &err));
    g_assert_cmpuint(img.kind, ==, IMAGE_RAW);
    g_assert_cmphex(img.entry, ==, RAM_BASE + 0x80000);
    g_assert_cmpuint(ram[0x80000 + 99], ==, 0x5a);
    /* empty file */
    g_assert_false(load(d, 0, &img, &err));
    g_free(err);
    /* a raw file bigger than RAM - 0x80000 */
    size_t big = RAM_SIZE;
    uint8_t *b = g_malloc0(big);
    g_assert_false(load(b, big, &img, &err));
    g_free(err);
    g_free(b);
    teardown();
}

/* ELF64 with two PT_LOAD segments; the second has bss. */
static uint8_t *make_elf(size_t *size, uint16_t machine, uint8_t cls, uint64_t seg2_pa)
{
    size_t sz = 0x300;
    uint8_t *d = g_malloc0(sz);
    memcpy(d, "\x7f" "ELF", 4);
    d[4] = cls;
    d[5] = 1;
    d[6] = 1;
    put16(d + 16, 2);               /* ET_EXEC */
    put16(d + 18, machine);
    put32(d + 20, 1);
    put64(d + 24, RAM_BASE + 0x100004);   /* entry */
    put64(d + 32, 64);              /* phoff */
    put16(d + 52, 64);
    put16(d + 54, 56);
    put16(d + 56, 3);
    /* PT_LOAD 1: file 0x200..0x240 -> RAM+0x100000 */
    uint8_t *ph = d + 64;
    put32(ph, 1);
    put64(ph + 8, 0x200);
    put64(ph + 16, RAM_BASE + 0x100000);
    put64(ph + 24, RAM_BASE + 0x100000);
    put64(ph + 32, 0x40);
    put64(ph + 40, 0x40);
    /* PT_NOTE: ignored */
    put32(ph + 56, 4);
    /* PT_LOAD 2: file 0x240..0x250, memsz 0x100 (bss) */
    ph += 112;
    put32(ph, 1);
    put64(ph + 8, 0x240);
    put64(ph + 16, seg2_pa);
    put64(ph + 24, seg2_pa);
    put64(ph + 32, 0x10);
    put64(ph + 40, 0x100);
    memset(d + 0x200, 0xaa, 0x40);
    memset(d + 0x240, 0xbb, 0x10);
    *size = sz;
    return d;
}

static void test_elf(void)
{
    setup();
    size_t size;
    uint8_t *d = make_elf(&size, 183, 2, RAM_BASE + 0x200000);
    memset(ram + 0x200000, 0xee, 0x200);   /* stale bytes where the bss goes */
    LoadedImage img;
    char *err;
    g_assert_true(load(d, size, &img, &err));
    g_assert_cmpuint(img.kind, ==, IMAGE_ELF64);
    g_assert_cmphex(img.entry, ==, RAM_BASE + 0x100004);
    g_assert_cmphex(img.low_pa, ==, RAM_BASE + 0x100000);
    g_assert_cmphex(img.high_pa, ==, RAM_BASE + 0x200100);
    g_assert_cmpuint(ram[0x100000], ==, 0xaa);
    g_assert_cmpuint(ram[0x10003f], ==, 0xaa);
    g_assert_cmpuint(ram[0x200000], ==, 0xbb);
    g_assert_cmpuint(ram[0x20000f], ==, 0xbb);
    g_assert_cmpuint(ram[0x200010], ==, 0);      /* bss zeroed */
    g_assert_cmpuint(ram[0x2000ff], ==, 0);
    g_assert_cmpuint(ram[0x200100], ==, 0xee);   /* past memsz untouched */
    g_free(d);
    teardown();
}

static void test_elf_bad(void)
{
    setup();
    size_t size;
    LoadedImage img;
    char *err;
    uint8_t *d = make_elf(&size, 62, 2, RAM_BASE + 0x200000);   /* x86-64 */
    g_assert_false(load(d, size, &img, &err));
    g_assert_nonnull(strstr(err, "AArch64"));
    g_free(err);
    g_free(d);
    d = make_elf(&size, 183, 1, RAM_BASE + 0x200000);            /* ELFCLASS32 */
    g_assert_false(load(d, size, &img, &err));
    g_free(err);
    g_free(d);
    /* Second segment outside RAM: refused before anything is written. */
    d = make_elf(&size, 183, 2, 0x1000);
    g_assert_false(load(d, size, &img, &err));
    g_assert_nonnull(strstr(err, "outside RAM"));
    g_free(err);
    g_assert_cmpuint(ram[0x100000], ==, 0);
    g_free(d);
    /* Truncated: program headers cut off, then a segment past the end of the file. */
    d = make_elf(&size, 183, 2, RAM_BASE + 0x200000);
    g_assert_false(load(d, 100, &img, &err));
    g_free(err);
    g_assert_false(load(d, 0x220, &img, &err));
    g_assert_nonnull(strstr(err, "past the end"));
    g_free(err);
    g_assert_false(load(d, 20, &img, &err));
    g_free(err);
    g_free(d);
    teardown();
}

static void test_gzip(void)
{
    uint8_t *orig = make_image(100000, 0, 0x20000, 0xa);
    GZlibCompressor *z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
    uint8_t *gz = g_malloc(200000);
    gsize rd, wr;
    g_assert_cmpint(g_converter_convert(G_CONVERTER(z), orig, 100000, gz, 200000, G_CONVERTER_INPUT_AT_END,
                                        &rd, &wr, NULL), ==, G_CONVERTER_FINISHED);
    g_object_unref(z);
    uint8_t *data = g_memdup2(gz, wr);
    size_t size = wr;
    char *err = NULL;
    g_assert_true(loader_maybe_gunzip(&data, &size, 1 << 20, &err));
    g_assert_cmpuint(size, ==, 100000);
    g_assert_cmpmem(data, size, orig, 100000);
    g_free(data);
    /* too big once inflated */
    data = g_memdup2(gz, wr);
    size = wr;
    g_assert_false(loader_maybe_gunzip(&data, &size, 50000, &err));
    g_free(err);
    g_free(data);
    /* truncated stream */
    data = g_memdup2(gz, wr / 2);
    size = wr / 2;
    g_assert_false(loader_maybe_gunzip(&data, &size, 1 << 20, &err));
    g_free(err);
    g_free(data);
    /* corrupt stream */
    data = g_memdup2(gz, wr);
    size = wr;
    memset(data + 20, 0xff, 64);
    g_assert_false(loader_maybe_gunzip(&data, &size, 1 << 20, &err));
    g_free(err);
    g_free(data);
    /* not gzip: untouched */
    data = g_memdup2(orig, 100);
    size = 100;
    g_assert_true(loader_maybe_gunzip(&data, &size, 1 << 20, &err));
    g_assert_cmpmem(data, size, orig, 100);
    g_free(data);
    g_free(gz);
    g_free(orig);
}

static void test_placement(void)
{
    /* QEMU: initrd at RAM + min(RAM/2, 128 MiB) or after the kernel; DTB after it, 2 MiB aligned. */
    g_assert_cmphex(loader_initrd_pa(RAM_BASE, 128ULL << 20, NULL), ==, RAM_BASE + (64ULL << 20));
    g_assert_cmphex(loader_initrd_pa(RAM_BASE, 1ULL << 30, NULL), ==, RAM_BASE + (128ULL << 20));
    LoadedImage k = { IMAGE_ARM64_LINUX, RAM_BASE + 0x200000, RAM_BASE + 0x200000, RAM_BASE + (200ULL << 20) + 1 };
    g_assert_cmphex(loader_initrd_pa(RAM_BASE, 1ULL << 30, &k), ==, RAM_BASE + (200ULL << 20) + 0x1000);
    g_assert_cmphex(loader_dtb_pa(RAM_BASE + (64ULL << 20), 0), ==, RAM_BASE + (64ULL << 20));
    g_assert_cmphex(loader_dtb_pa(RAM_BASE + (64ULL << 20), 1), ==, RAM_BASE + (66ULL << 20));
}

static void test_blob_bounds(void)
{
    setup();
    char *err;
    uint8_t b[16] = { 1 };
    g_assert_true(loader_load_blob(&as, RAM_BASE, RAM_SIZE, RAM_BASE + RAM_SIZE - 16, b, 16, "x", &err));
    g_assert_false(loader_load_blob(&as, RAM_BASE, RAM_SIZE, RAM_BASE + RAM_SIZE - 15, b, 16, "x", &err));
    g_free(err);
    g_assert_false(loader_load_blob(&as, RAM_BASE, RAM_SIZE, UINT64_MAX - 4, b, 16, "x", &err));
    g_free(err);
    g_assert_false(loader_load_blob(&as, RAM_BASE, RAM_SIZE, RAM_BASE - 1, b, 16, "x", &err));
    g_free(err);
    teardown();
}

static void test_fdt(void)
{
    size_t size = 4096;
    void *fdt = g_malloc0(size);
    g_assert_cmpint(fdt_create_empty_tree(fdt, (int)size), ==, 0);
    g_assert_cmpint(fdt_setprop_u32(fdt, 0, "#address-cells", 2), ==, 0);
    g_assert_cmpint(fdt_setprop_u32(fdt, 0, "#size-cells", 2), ==, 0);
    FdtBootInfo info = { .bootargs = "console=ttyAMA0 quiet", .initrd_pa = RAM_BASE + 0x8000000,
                         .initrd_size = 0x1234, .ram_base = RAM_BASE, .ram_size = 1ULL << 30, .fix_memory = true };
    char *err = NULL;
    g_assert_true(loader_fdt_fixup(&fdt, &size, &info, &err));
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    int chosen = fdt_path_offset(fdt, "/chosen");
    g_assert_cmpint(chosen, >=, 0);
    g_assert_cmpstr(fdt_getprop(fdt, chosen, "bootargs", NULL), ==, "console=ttyAMA0 quiet");
    int len;
    const fdt64_t *p = fdt_getprop(fdt, chosen, "linux,initrd-end", &len);
    g_assert_cmpint(len, ==, 8);
    g_assert_cmphex(fdt64_to_cpu(*p), ==, RAM_BASE + 0x8001234);
    int mem = fdt_path_offset(fdt, "/memory@40000000");
    g_assert_cmpint(mem, >=, 0);
    const fdt64_t *reg = fdt_getprop(fdt, mem, "reg", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmphex(fdt64_to_cpu(reg[1]), ==, 1ULL << 30);

    /* guest-loader module node, as QEMU names it */
    g_assert_true(loader_fdt_add_module(&fdt, &size, 0x47000000, 0x5000, true, "dom0_mem=512M", &err));
    int mod = fdt_path_offset(fdt, "/chosen/module@0x47000000");
    g_assert_cmpint(mod, >=, 0);
    g_assert_cmpint(fdt_node_check_compatible(fdt, mod, "multiboot,module"), ==, 0);
    g_assert_cmpint(fdt_node_check_compatible(fdt, mod, "multiboot,kernel"), ==, 0);
    g_assert_cmpstr(fdt_getprop(fdt, mod, "bootargs", NULL), ==, "dom0_mem=512M");
    const fdt32_t *r = fdt_getprop(fdt, mod, "reg", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmphex(fdt32_to_cpu(r[1]), ==, 0x47000000);
    g_assert_cmphex(fdt32_to_cpu(r[3]), ==, 0x5000);
    g_assert_true(loader_fdt_add_module(&fdt, &size, 0x48000000, 0x100, false, NULL, &err));
    mod = fdt_path_offset(fdt, "/chosen/module@0x48000000");
    g_assert_cmpint(fdt_node_check_compatible(fdt, mod, "multiboot,ramdisk"), ==, 0);
    g_free(fdt);

    /* garbage is refused */
    void *junk = g_malloc0(64);
    size = 64;
    g_assert_false(loader_fdt_fixup(&junk, &size, &info, &err));
    g_free(err);
    g_free(junk);
}

static void test_read_file(void)
{
    char *err;
    uint8_t *d;
    size_t size;
    g_assert_false(loader_read_file("/nonexistent/tandem-file", 100, &d, &size, &err));
    g_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/loader/image/text_offset_0", test_image_text_offset_zero);
    g_test_add_func("/loader/image/text_offset_80000", test_image_text_offset_80000);
    g_test_add_func("/loader/image/image_size_0", test_image_size_zero_ignores_text_offset);
    g_test_add_func("/loader/image/big_endian", test_image_big_endian_rejected);
    g_test_add_func("/loader/image/too_big", test_image_too_big);
    g_test_add_func("/loader/raw", test_raw);
    g_test_add_func("/loader/elf/ok", test_elf);
    g_test_add_func("/loader/elf/bad", test_elf_bad);
    g_test_add_func("/loader/gzip", test_gzip);
    g_test_add_func("/loader/placement", test_placement);
    g_test_add_func("/loader/blob_bounds", test_blob_bounds);
    g_test_add_func("/loader/fdt", test_fdt);
    g_test_add_func("/loader/read_file", test_read_file);
    return g_test_run();
}
