/* Image, ELF, raw, initrd and DTB loading (see core/loader.h). */
#include "core/loader.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib.h>
#include <libfdt.h>
#include <stdio.h>

#define ARM64_MAGIC_OFFSET 0x38
#define ARM64_HEADER_SIZE  0x40

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

bool loader_read_file(const char *path, uint64_t max, uint8_t **data, size_t *size, char **error)
{
    GError *gerr = NULL;
    gchar *contents;
    gsize len;
    if (!g_file_get_contents(path, &contents, &len, &gerr)) {
        *error = g_strdup_printf("%s", gerr->message);
        g_error_free(gerr);
        return false;
    }
    if (len > max) {
        *error = g_strdup_printf("%s: file too large (%zu bytes)", path, (size_t)len);
        g_free(contents);
        return false;
    }
    *data = (uint8_t *)contents;
    *size = len;
    return true;
}

bool loader_maybe_gunzip(uint8_t **data, size_t *size, uint64_t max, char **error)
{
    if (*size < 18 || (*data)[0] != 0x1f || (*data)[1] != 0x8b) {
        return true;   /* not gzip */
    }
    GZlibDecompressor *z = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);
    size_t cap = *size * 4 + 4096, out_len = 0;
    uint8_t *out = g_malloc(cap);
    size_t in_pos = 0;
    bool ok = true;
    for (;;) {
        if (out_len == cap) {
            if (cap >= max) {
                *error = g_strdup_printf("gzip image inflates to more than %llu bytes", (unsigned long long)max);
                ok = false;
                break;
            }
            cap = MIN(cap * 2, max);
            out = g_realloc(out, cap);
        }
        gsize rd = 0, wr = 0;
        GError *gerr = NULL;
        GConverterResult r = g_converter_convert(G_CONVERTER(z), *data + in_pos, *size - in_pos,
                                                 out + out_len, cap - out_len, G_CONVERTER_INPUT_AT_END,
                                                 &rd, &wr, &gerr);
        in_pos += rd;
        out_len += wr;
        if (r == G_CONVERTER_ERROR) {
            if (g_error_matches(gerr, G_IO_ERROR, G_IO_ERROR_NO_SPACE)) {
                g_error_free(gerr);
                if (cap >= max) {
                    *error = g_strdup_printf("gzip image inflates to more than %llu bytes",
                                             (unsigned long long)max);
                    ok = false;
                    break;
                }
                cap = MIN(cap * 2, max);
                out = g_realloc(out, cap);
                continue;
            }
            *error = g_strdup_printf("corrupt gzip data: %s", gerr->message);
            g_error_free(gerr);
            ok = false;
            break;
        }
        if (r == G_CONVERTER_FINISHED) {
            break;
        }
        if (rd == 0 && wr == 0 && out_len < cap) {
            *error = g_strdup("truncated gzip data");
            ok = false;
            break;
        }
    }
    g_object_unref(z);
    if (!ok) {
        g_free(out);
        return false;
    }
    g_free(*data);
    *data = out;
    *size = out_len;
    return true;
}

/* [pa, pa+len) inside [ram_base, ram_base+ram_size), without overflow. */
static bool in_ram(uint64_t ram_base, uint64_t ram_size, uint64_t pa, uint64_t len)
{
    return pa >= ram_base && len <= ram_size && pa - ram_base <= ram_size - len;
}

bool loader_load_blob(AddrSpace *as, uint64_t ram_base, uint64_t ram_size, uint64_t pa,
                      const uint8_t *data, size_t size, const char *name, char **error)
{
    if (!in_ram(ram_base, ram_size, pa, size)) {
        *error = g_strdup_printf("%s (%zu bytes at 0x%llx) does not fit in RAM [0x%llx, 0x%llx)", name, size,
                                 (unsigned long long)pa, (unsigned long long)ram_base,
                                 (unsigned long long)(ram_base + ram_size));
        return false;
    }
    if (size && !addrspace_write_buf(as, pa, data, size)) {
        *error = g_strdup_printf("%s: cannot write RAM at 0x%llx", name, (unsigned long long)pa);
        return false;
    }
    return true;
}

/* ---------------------------------------------------------------- ELF64 */

#define EM_AARCH64 183
#define PT_LOAD 1

static bool load_elf(AddrSpace *as, uint64_t ram_base, uint64_t ram_size, const uint8_t *d, size_t size,
                     const char *name, LoadedImage *out, char **error)
{
    if (size < 64) {
        *error = g_strdup_printf("%s: truncated ELF header", name);
        return false;
    }
    if (d[4] != 2) {
        *error = g_strdup_printf("%s: not a 64-bit ELF file (Tandem boots AArch64 images)", name);
        return false;
    }
    if (d[5] != 1) {
        *error = g_strdup_printf("%s: big-endian ELF (Tandem is little-endian only)", name);
        return false;
    }
    if (le16(d + 18) != EM_AARCH64) {
        *error = g_strdup_printf("%s: ELF machine %u is not AArch64", name, le16(d + 18));
        return false;
    }
    uint64_t entry = le64(d + 24), phoff = le64(d + 32);
    unsigned phentsize = le16(d + 54), phnum = le16(d + 56);
    if (phentsize < 56 || phnum == 0 || phoff > size || (uint64_t)phentsize * phnum > size - phoff) {
        *error = g_strdup_printf("%s: bad or truncated ELF program headers", name);
        return false;
    }
    uint64_t low = UINT64_MAX, high = 0;
    unsigned loaded = 0;
    /* First pass: validate everything, so a bad file leaves RAM untouched. */
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < phnum; i++) {
            const uint8_t *ph = d + phoff + (uint64_t)i * phentsize;
            if (le32(ph) != PT_LOAD) {
                continue;
            }
            uint64_t off = le64(ph + 8), paddr = le64(ph + 24), filesz = le64(ph + 32), memsz = le64(ph + 40);
            if (pass == 0) {
                if (filesz > memsz || off > size || filesz > size - off) {
                    *error = g_strdup_printf("%s: segment %u extends past the end of the file", name, i);
                    return false;
                }
                if (!in_ram(ram_base, ram_size, paddr, memsz)) {
                    *error = g_strdup_printf("%s: segment %u [0x%llx, +0x%llx) is outside RAM [0x%llx, 0x%llx)",
                                             name, i, (unsigned long long)paddr, (unsigned long long)memsz,
                                             (unsigned long long)ram_base,
                                             (unsigned long long)(ram_base + ram_size));
                    return false;
                }
                low = MIN(low, paddr);
                high = MAX(high, paddr + memsz);
                loaded++;
                continue;
            }
            uint8_t *host = addrspace_ram_ptr(as, paddr, memsz ? memsz : 1);
            if (memsz && !host) {
                *error = g_strdup_printf("%s: segment %u is not in one RAM region", name, i);
                return false;
            }
            if (memsz) {
                memcpy(host, d + off, filesz);
                memset(host + filesz, 0, memsz - filesz);
            }
        }
        if (pass == 0 && !loaded) {
            *error = g_strdup_printf("%s: ELF file has no loadable segment", name);
            return false;
        }
    }
    out->kind = IMAGE_ELF64;
    out->entry = entry;
    out->low_pa = low;
    out->high_pa = high;
    return true;
}

/* ---------------------------------------------------------------- Image / raw */

bool loader_load_kernel(AddrSpace *as, uint64_t ram_base, uint64_t ram_size, const uint8_t *data,
                        size_t size, const char *name, LoadedImage *out, char **error)
{
    if (size == 0) {
        *error = g_strdup_printf("%s: empty file", name);
        return false;
    }
    if (size >= 4 && !memcmp(data, "\x7f" "ELF", 4)) {
        return load_elf(as, ram_base, ram_size, data, size, name, out, error);
    }
    uint64_t offset = LOADER_RAW_OFFSET, footprint = size;
    ImageKind kind = IMAGE_RAW;
    if (size >= ARM64_HEADER_SIZE && !memcmp(data + ARM64_MAGIC_OFFSET, "ARM\x64", 4)) {
        uint64_t text_offset = le64(data + 8), image_size = le64(data + 16), flags = le64(data + 24);
        kind = IMAGE_ARM64_LINUX;
        if (image_size != 0) {
            if (flags & 1) {
                *error = g_strdup_printf("%s: big-endian kernel Image (Tandem is little-endian only)", name);
                return false;
            }
            if (text_offset >= ram_size) {
                *error = g_strdup_printf("%s: text_offset 0x%llx is beyond RAM", name,
                                         (unsigned long long)text_offset);
                return false;
            }
            offset = text_offset;
            if (offset < LOADER_IMAGE_MIN_OFFSET) {
                offset += 2ULL << 20;
            }
            footprint = MAX((uint64_t)size, image_size);
        }
    }
    if (!in_ram(ram_base, ram_size, ram_base + offset, footprint)) {
        *error = g_strdup_printf("%s: image of %llu bytes at RAM + 0x%llx does not fit in %llu MiB of RAM", name,
                                 (unsigned long long)footprint, (unsigned long long)offset,
                                 (unsigned long long)(ram_size >> 20));
        return false;
    }
    if (!loader_load_blob(as, ram_base, ram_size, ram_base + offset, data, size, name, error)) {
        return false;
    }
    out->kind = kind;
    out->entry = ram_base + offset;
    out->low_pa = out->entry;
    out->high_pa = out->entry + footprint;
    return true;
}

uint64_t loader_initrd_pa(uint64_t ram_base, uint64_t ram_size, const LoadedImage *kernel)
{
    uint64_t pa = ram_base + MIN(ram_size / 2, 128ULL << 20);
    if (kernel && kernel->high_pa > pa) {
        pa = kernel->high_pa;
    }
    return (pa + 0xfff) & ~0xfffULL;
}

uint64_t loader_dtb_pa(uint64_t initrd_pa, uint64_t initrd_size)
{
    const uint64_t align = 2ULL << 20;
    return (initrd_pa + initrd_size + align - 1) & ~(align - 1);
}

/* ---------------------------------------------------------------- DTB edits */

/* Make room for `extra` more bytes in the blob. */
static bool fdt_grow(void **fdt, size_t *size, size_t extra, char **error)
{
    size_t new_size = fdt_totalsize(*fdt) + extra;
    void *buf = g_malloc0(new_size);
    int err = fdt_open_into(*fdt, buf, (int)new_size);
    if (err) {
        g_free(buf);
        *error = g_strdup_printf("device tree: %s", fdt_strerror(err));
        return false;
    }
    g_free(*fdt);
    *fdt = buf;
    *size = new_size;
    return true;
}

static int fdt_node(void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);
    if (off == -FDT_ERR_NOTFOUND && path[0] == '/' && !strchr(path + 1, '/')) {
        off = fdt_add_subnode(fdt, 0, path + 1);
    }
    return off;
}

#define FDT_CHECK(expr) do { int _e = (expr); if (_e < 0) { \
    *error = g_strdup_printf("device tree: %s", fdt_strerror(_e)); return false; } } while (0)

bool loader_fdt_fixup(void **fdt, size_t *size, const FdtBootInfo *info, char **error)
{
    if (fdt_check_header(*fdt) != 0) {
        *error = g_strdup("device tree: not a valid DTB");
        return false;
    }
    size_t extra = 1024 + (info->bootargs ? strlen(info->bootargs) : 0);
    if (!fdt_grow(fdt, size, extra, error)) {
        return false;
    }
    void *f = *fdt;
    int chosen = fdt_node(f, "/chosen");
    FDT_CHECK(chosen);
    if (info->bootargs) {
        FDT_CHECK(fdt_setprop_string(f, chosen, "bootargs", info->bootargs));
    }
    if (info->initrd_size) {
        FDT_CHECK(fdt_setprop_u64(f, chosen, "linux,initrd-start", info->initrd_pa));
        FDT_CHECK(fdt_setprop_u64(f, chosen, "linux,initrd-end", info->initrd_pa + info->initrd_size));
    }
    if (info->fix_memory) {
        /* A user DTB: make its memory node describe the RAM this machine has. */
        int mem = fdt_path_offset(f, "/memory");   /* matches memory@<unit> too */
        if (mem == -FDT_ERR_NOTFOUND) {
            mem = fdt_add_subnode(f, 0, "memory@40000000");
        }
        FDT_CHECK(mem);
        int acells = fdt_address_cells(f, 0), scells = fdt_size_cells(f, 0);
        if (acells != 2 || scells != 2) {
            *error = g_strdup("device tree: the root node must use #address-cells = #size-cells = 2");
            return false;
        }
        fdt64_t reg[2] = { cpu_to_fdt64(info->ram_base), cpu_to_fdt64(info->ram_size) };
        FDT_CHECK(fdt_setprop_string(f, mem, "device_type", "memory"));
        FDT_CHECK(fdt_setprop(f, mem, "reg", reg, sizeof(reg)));
    }
    FDT_CHECK(fdt_pack(f));
    *size = fdt_totalsize(f);
    return true;
}

bool loader_fdt_add_module(void **fdt, size_t *size, uint64_t pa, uint64_t len, bool is_kernel,
                           const char *bootargs, char **error)
{
    if (!fdt_grow(fdt, size, 512 + (bootargs ? strlen(bootargs) : 0), error)) {
        return false;
    }
    void *f = *fdt;
    int chosen = fdt_node(f, "/chosen");
    FDT_CHECK(chosen);
    char name[40];
    snprintf(name, sizeof(name), "module@0x%08llx", (unsigned long long)pa);
    int node = fdt_add_subnode(f, chosen, name);
    FDT_CHECK(node);
    /* compatible is a string list: "multiboot,module" then the kind. */
    const char *kind = is_kernel ? "multiboot,kernel" : "multiboot,ramdisk";
    char compat[64];
    size_t l1 = strlen("multiboot,module") + 1, l2 = strlen(kind) + 1;
    memcpy(compat, "multiboot,module", l1);
    memcpy(compat + l1, kind, l2);
    FDT_CHECK(fdt_setprop(f, node, "compatible", compat, (int)(l1 + l2)));
    fdt32_t reg[4] = { cpu_to_fdt32(pa >> 32), cpu_to_fdt32((uint32_t)pa),
                       cpu_to_fdt32(len >> 32), cpu_to_fdt32((uint32_t)len) };
    FDT_CHECK(fdt_setprop(f, node, "reg", reg, sizeof(reg)));
    if (bootargs) {
        FDT_CHECK(fdt_setprop_string(f, node, "bootargs", bootargs));
    }
    FDT_CHECK(fdt_pack(f));
    *size = fdt_totalsize(f);
    return true;
}
