/* Descriptor decoding for `monitor walk` / `monitor tlb` (VMSAv8-64, Arm ARM D8.3). */
#include "core/gdbstub_walk.h"

#include <stdio.h>

#include "mmu/mmu.h"

/* Output address bits of a table/block/page descriptor (AArch64.S1Walk / S2Walk descriptor formats). */
static uint64_t desc_oa(uint64_t desc, unsigned granule_bits, bool ds)
{
    uint64_t oa = desc & MASK64(48) & ~MASK64(granule_bits);
    if (ds) {
        /* LPA2: OA[49:48] in place, OA[51:50] from bits 9:8 */
        oa = (desc & MASK64(50) & ~MASK64(granule_bits)) | (extract64(desc, 8, 2) << 50);
    } else if (granule_bits == 16) {
        /* FEAT_LPA with the 64K granule: OA[51:48] from bits 15:12 (RES0 without it) */
        oa |= extract64(desc, 12, 4) << 48;
    }
    return oa;
}

void gdb_desc_decode(uint64_t desc, int level, unsigned granule_bits, bool ds, GdbDescInfo *info)
{
    memset(info, 0, sizeof(*info));
    if (!(desc & 1)) {
        info->type = GDB_DESC_INVALID;
        return;
    }
    bool bit1 = desc & 2;
    if (level == 3) {
        info->type = bit1 ? GDB_DESC_PAGE : GDB_DESC_RESERVED;
    } else {
        info->type = bit1 ? GDB_DESC_TABLE : GDB_DESC_BLOCK;
    }
    if (info->type == GDB_DESC_RESERVED) {
        return;
    }
    info->out_addr = desc_oa(desc, granule_bits, ds);
    if (info->type != GDB_DESC_TABLE) {
        /* a level-L block maps granule * (entries per table)^(3-L) bytes */
        unsigned bits = granule_bits + (unsigned)(3 - level) * (granule_bits - 3);
        info->size = bits >= 64 ? 0 : 1ULL << bits;
        info->out_addr &= ~MASK64(bits);
    }
}

static const char *const sh_names[4] = { "NSH", "rsv", "OSH", "ISH" };

void gdb_desc_format(uint64_t desc, bool stage2, int level, unsigned granule_bits, bool ds, char *buf,
                     size_t len)
{
    GdbDescInfo di;
    gdb_desc_decode(desc, level, granule_bits, ds, &di);
    int n = 0;
    switch (di.type) {
    case GDB_DESC_INVALID:
        snprintf(buf, len, "invalid (bit 0 clear)");
        return;
    case GDB_DESC_RESERVED:
        snprintf(buf, len, "reserved (level-3 descriptor with bits[1:0] = 01)");
        return;
    case GDB_DESC_TABLE:
        n = snprintf(buf, len, "table -> %#llx", (unsigned long long)di.out_addr);
        if (!stage2 && n > 0 && (size_t)n < len) {
            /* hierarchical attributes (stage 1 only) */
            snprintf(buf + n, len - (size_t)n, "  NSTable=%u APTable=%u UXNTable=%u PXNTable=%u",
                     (unsigned)extract64(desc, 63, 1), (unsigned)extract64(desc, 61, 2),
                     (unsigned)extract64(desc, 60, 1), (unsigned)extract64(desc, 59, 1));
        }
        return;
    default:
        break;
    }
    const char *kind = di.type == GDB_DESC_PAGE ? "page" : "block";
    char size[16];
    if (di.size >= (1ULL << 30)) {
        snprintf(size, sizeof(size), "%lluG", (unsigned long long)(di.size >> 30));
    } else if (di.size >= (1ULL << 20)) {
        snprintf(size, sizeof(size), "%lluM", (unsigned long long)(di.size >> 20));
    } else {
        snprintf(size, sizeof(size), "%lluK", (unsigned long long)(di.size >> 10));
    }
    char sh[8];
    if (ds) {
        snprintf(sh, sizeof(sh), "(TCR)");   /* LPA2: shareability comes from TCR/VTCR */
    } else {
        snprintf(sh, sizeof(sh), "%s", sh_names[extract64(desc, 8, 2)]);
    }
    if (stage2) {
        snprintf(buf, len, "%s %s -> %#llx  MemAttr=%#x S2AP=%u%u(%s%s) SH=%s AF=%u XN=%u Contig=%u DBM=%u",
                 kind, size, (unsigned long long)di.out_addr, (unsigned)extract64(desc, 2, 4),
                 (unsigned)extract64(desc, 7, 1), (unsigned)extract64(desc, 6, 1),
                 extract64(desc, 6, 1) ? "R" : "-", extract64(desc, 7, 1) ? "W" : "-", sh,
                 (unsigned)extract64(desc, 10, 1), (unsigned)extract64(desc, 53, 2),
                 (unsigned)extract64(desc, 52, 1), (unsigned)extract64(desc, 51, 1));
    } else {
        static const char *const ap[4] = { "EL1 RW, EL0 --", "EL1 RW, EL0 RW", "EL1 RO, EL0 --", "EL1 RO, EL0 RO" };
        snprintf(buf, len, "%s %s -> %#llx  AttrIndx=%u NS=%u AP=%u(%s) SH=%s AF=%u nG=%u PXN=%u UXN=%u "
                 "Contig=%u DBM=%u GP=%u",
                 kind, size, (unsigned long long)di.out_addr, (unsigned)extract64(desc, 2, 3),
                 (unsigned)extract64(desc, 5, 1), (unsigned)extract64(desc, 6, 2), ap[extract64(desc, 6, 2)], sh,
                 (unsigned)extract64(desc, 10, 1), (unsigned)extract64(desc, 11, 1),
                 (unsigned)extract64(desc, 53, 1), (unsigned)extract64(desc, 54, 1),
                 (unsigned)extract64(desc, 52, 1), (unsigned)extract64(desc, 51, 1),
                 (unsigned)extract64(desc, 50, 1));
    }
}

unsigned gdb_fault_fsc(int type, int level)
{
    /* ESR_ELx.ISS DFSC/IFSC encodings (Arm ARM D17.2.40) */
    switch (type) {
    case MMU_FAULT_ADDRESS_SIZE:
        return level < 0 ? 0x29 : 0x00 + (unsigned)level;
    case MMU_FAULT_TRANSLATION:
        return level < 0 ? 0x2b : 0x04 + (unsigned)level;
    case MMU_FAULT_ACCESS_FLAG:
        return level < 0 ? 0x08 : 0x08 + (unsigned)level;
    case MMU_FAULT_PERMISSION:
        return level < 0 ? 0x0c : 0x0c + (unsigned)level;
    case MMU_FAULT_SYNC_EXTERNAL:
        return 0x10;
    case MMU_FAULT_SYNC_EXTERNAL_WALK:
        return level < 0 ? 0x13 : 0x14 + (unsigned)level;
    case MMU_FAULT_ALIGNMENT:
        return 0x21;
    case MMU_FAULT_TLB_CONFLICT:
        return 0x30;
    default:
        return 0x3f;
    }
}

void gdbstub_walk_print(CPUState *cpu, uint64_t va, GdbRegime regime, GdbOut *out)
{
    /* Needs the MMU's side-effect-free walker with a per-descriptor callback
     * (mmu_walk_debug): not in this tree yet, so say so rather than guess. */
    gdb_out_printf(out, "walk: not available in this build (the MMU's debug walker, mmu_walk_debug, "
                        "is not linked)\n");
}

void gdbstub_tlb_print(CPUState *cpu, GdbOut *out)
{
    gdb_out_printf(out, "tlb: not available in this build (the MMU provides no TLB dump yet)\n");
}
