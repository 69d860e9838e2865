/*
 * What the loader hands the kernel, as QEMU's virt board does
 * (hw/arm/boot.c, hw/core/guest-loader.c): /chosen bootargs from -append,
 * linux,initrd-start/-end around the -initrd bytes, the DTB after the
 * initrd on a 2 MiB boundary, /memory for -m, and -device guest-loader
 * modules under /chosen with their bytes in RAM. The manifest runs it with
 * this guest's own image as initrd and module (an arm64 Image: "ARM\x64"
 * at offset 0x38 identifies the bytes).
 */
#include "guest.h"

#define BOOTARGS   "tandem.bootinfo=1"
#define RAM_SIZE   (512ul << 20)
#define MODULE_PA  0x50000000ul
#define MODULE_ARGS "module.arg=2"

static bool has_image_magic(uint64_t pa)
{
    return !memcmp((const void *)(pa + 0x38), "ARM\x64", 4);
}

void guest_run(void)
{
    const void *fdt = (const void *)boot_dtb;
    uint32_t len;
    report(fdt_valid(fdt), "x0 points at a DTB");

    const char *args = fdt_getprop_path(fdt, "/chosen", "bootargs", &len);
    report(args && !strcmp(args, BOOTARGS), "/chosen/bootargs = \"%s\"", args ? args : "(none)");

    const void *s = fdt_getprop_path(fdt, "/chosen", "linux,initrd-start", &len);
    uint32_t slen = len;
    const void *e = fdt_getprop_path(fdt, "/chosen", "linux,initrd-end", &len);
    uint64_t start = 0, end = 0;
    if (s && e) {
        start = slen == 8 ? fdt_be64(s) : fdt_be32(s);
        end = len == 8 ? fdt_be64(e) : fdt_be32(e);
    }
    report(s && e && end > start, "linux,initrd-start/end present: [0x%lx, 0x%lx)", start, end);
    report(start && has_image_magic(start), "the initrd bytes are at linux,initrd-start");
    report(start >= 0x40000000ul + (128ul << 20) && (start & 0xfff) == 0,
           "initrd at RAM + min(RAM/2, 128 MiB) or above, page aligned (0x%lx)", start);
    report((boot_dtb & ((2ul << 20) - 1)) == 0 && boot_dtb >= end,
           "DTB after the initrd on a 2 MiB boundary (0x%lx)", boot_dtb);

    const void *reg = fdt_getprop_path(fdt, "/memory", "reg", &len);
    report(reg && len == 16 && fdt_be64(reg) == 0x40000000ul && fdt_be64((const uint8_t *)reg + 8) == RAM_SIZE,
           "/memory reg = <0x40000000 512 MiB>");

    const char *compat = fdt_getprop_path(fdt, "/chosen/module@0x50000000", "compatible", &len);
    report(compat && len == sizeof("multiboot,module") + sizeof("multiboot,kernel") &&
           !strcmp(compat, "multiboot,module") && !strcmp(compat + sizeof("multiboot,module"), "multiboot,kernel"),
           "guest-loader: /chosen/module@0x50000000 compatible = multiboot,module multiboot,kernel");
    const void *mreg = fdt_getprop_path(fdt, "/chosen/module@0x50000000", "reg", &len);
    report(mreg && len == 16 && fdt_be64(mreg) == MODULE_PA && fdt_be64((const uint8_t *)mreg + 8) == end - start,
           "guest-loader: module reg = <0x50000000 size of the file>");
    const char *margs = fdt_getprop_path(fdt, "/chosen/module@0x50000000", "bootargs", &len);
    report(margs && !strcmp(margs, MODULE_ARGS), "guest-loader: module bootargs = \"%s\"", margs ? margs : "(none)");
    report(has_image_magic(MODULE_PA), "guest-loader: the module bytes are at 0x50000000");
}
