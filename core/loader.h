/*
 * Loading guest images into RAM the way QEMU's virt board does
 * (hw/arm/boot.c), so the same images boot the same way:
 *   - arm64 Linux Image (magic "ARM\x64" at 0x38): at RAM base + text_offset,
 *     or + 2 MiB when text_offset is below 4 KiB (QEMU keeps the bottom of
 *     RAM for its boot stub); text_offset is ignored when image_size is 0
 *     (pre-3.17 kernels) and the image goes to RAM base + 0x80000.
 *   - ELF64 (EM_AARCH64): each PT_LOAD at its p_paddr, bss zeroed; entry e_entry.
 *   - anything else is a raw binary at RAM base + 0x80000 (QEMU's
 *     KERNEL64_LOAD_ADDR), entered like a Linux Image.
 * Gzip-compressed Images (Image.gz, Debian's vmlinuz) are inflated first.
 * Every failure is a one-line message, never a crash.
 */
#ifndef TANDEM_CORE_LOADER_H
#define TANDEM_CORE_LOADER_H

#include "core/addrspace.h"

typedef enum ImageKind {
    IMAGE_ARM64_LINUX,
    IMAGE_ELF64,
    IMAGE_RAW,
} ImageKind;

typedef struct LoadedImage {
    ImageKind kind;
    uint64_t entry;       /* where the CPU starts */
    uint64_t low_pa;      /* lowest byte the image occupies */
    uint64_t high_pa;     /* one past the highest (Image: load + max(file size, image_size)) */
} LoadedImage;

#define LOADER_IMAGE_MIN_OFFSET 0x1000ULL        /* text_offset below this moves up 2 MiB */
#define LOADER_RAW_OFFSET       0x80000ULL
#define LOADER_MAX_FILE         (4ULL << 30)

/* Read a whole file (up to max bytes); g_malloc'd *data. */
bool loader_read_file(const char *path, uint64_t max, uint8_t **data, size_t *size, char **error);
/* If data is gzip, replace it with the inflated bytes (at most max). */
bool loader_maybe_gunzip(uint8_t **data, size_t *size, uint64_t max, char **error);

/* Place a kernel image (already in memory) into [ram_base, ram_base + ram_size). */
bool loader_load_kernel(AddrSpace *as, uint64_t ram_base, uint64_t ram_size, const uint8_t *data,
                        size_t size, const char *name, LoadedImage *out, char **error);
/* Copy a blob to [pa, pa + size), which must lie inside RAM. */
bool loader_load_blob(AddrSpace *as, uint64_t ram_base, uint64_t ram_size, uint64_t pa,
                      const uint8_t *data, size_t size, const char *name, char **error);

/*
 * Where QEMU puts the initrd and the DTB for a Linux-style boot: initrd at
 * RAM base + min(RAM/2, 128 MiB) or after the kernel, page aligned; the DTB
 * after the initrd, 2 MiB aligned.
 */
uint64_t loader_initrd_pa(uint64_t ram_base, uint64_t ram_size, const LoadedImage *kernel);
uint64_t loader_dtb_pa(uint64_t initrd_pa, uint64_t initrd_size);

/*
 * Edit a DTB for the boot: /chosen bootargs, linux,initrd-start/-end
 * (initrd_size 0: none), and /memory reg when the DTB came from the user.
 * *fdt is reallocated as needed (g_malloc); *size updated.
 */
typedef struct FdtBootInfo {
    const char *bootargs;
    uint64_t initrd_pa, initrd_size;
    uint64_t ram_base, ram_size;
    bool fix_memory;
} FdtBootInfo;
bool loader_fdt_fixup(void **fdt, size_t *size, const FdtBootInfo *info, char **error);
/* Describe a guest-loader module under /chosen as QEMU does ("module@0x%08x"). */
bool loader_fdt_add_module(void **fdt, size_t *size, uint64_t pa, uint64_t len, bool is_kernel,
                           const char *bootargs, char **error);

#endif
