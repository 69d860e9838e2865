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
        /* "priv" is EL1 in EL1&0, EL2 in EL2&0; single-EL regimes (EL2, EL3) use AP[2] only */
        static const char *const ap[4] = { "priv RW, EL0 --", "priv RW, EL0 RW", "priv RO, EL0 --", "priv RO, EL0 RO" };
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

/* Granule size from TCR TG0 / TG1 encodings (they differ). */
static unsigned tg0_bits(uint64_t tg0)
{
    return tg0 == 1 ? 16 : tg0 == 2 ? 14 : 12;
}

static unsigned tg1_bits(uint64_t tg1)
{
    return tg1 == 1 ? 14 : tg1 == 3 ? 16 : 12;
}

typedef struct WalkPrint {
    GdbOut *out;
    unsigned s1_gbits, s2_gbits;
    bool s1_ds, s2_ds;
    int steps;
} WalkPrint;

static void walk_trace(void *opaque, const MMUWalkStep *st)
{
    WalkPrint *w = opaque;
    char text[320];
    unsigned gbits = st->stage2 ? w->s2_gbits : w->s1_gbits;
    bool ds = st->stage2 ? w->s2_ds : w->s1_ds;
    gdb_desc_format(st->desc, st->stage2, st->level, gbits, ds, text, sizeof(text));
    gdb_out_printf(w->out, "  %s L%d%s ia %#llx: desc @ PA %#llx = %016llx  %s\n",
                   st->stage2 ? "S2" : "S1", st->level, st->stage2 ? (st->s1ptw ? " (S1 table)" : " (final) ") : "",
                   (unsigned long long)st->ia, (unsigned long long)st->desc_pa, (unsigned long long)st->desc,
                   text);
    w->steps++;
}

static const char *const fault_names[] = {
    [MMU_FAULT_NONE] = "none",
    [MMU_FAULT_TRANSLATION] = "Translation",
    [MMU_FAULT_ACCESS_FLAG] = "Access flag",
    [MMU_FAULT_PERMISSION] = "Permission",
    [MMU_FAULT_ADDRESS_SIZE] = "Address size",
    [MMU_FAULT_ALIGNMENT] = "Alignment",
    [MMU_FAULT_SYNC_EXTERNAL] = "Synchronous External abort",
    [MMU_FAULT_SYNC_EXTERNAL_WALK] = "Synchronous External abort on table walk",
    [MMU_FAULT_TLB_CONFLICT] = "TLB conflict",
};

void gdbstub_walk_print(CPUState *cpu, uint64_t va, GdbRegime regime, GdbOut *out)
{
    if (regime == GDB_REGIME_PHYS) {
        gdb_out_printf(out, "walk: the phys regime has no translation (PA = VA)\n");
        return;
    }
    MMUIdx idx = gdb_regime_mmu_idx(cpu, regime);
    const CPUSysRegs *sr = &cpu->sr;
    WalkPrint w = { .out = out };
    bool upper = extract64(va, 55, 1);
    unsigned regime_el;
    const char *name;
    switch (idx) {
    case MMU_IDX_E10_0:
    case MMU_IDX_E10_1:
    case MMU_IDX_E10_1_PAN:
        name = "EL1&0";
        regime_el = 1;
        w.s1_gbits = upper ? tg1_bits(extract64(sr->TCR_ELx[1], 30, 2)) : tg0_bits(extract64(sr->TCR_ELx[1], 14, 2));
        w.s1_ds = extract64(sr->TCR_ELx[1], 59, 1);
        break;
    case MMU_IDX_E20_0:
    case MMU_IDX_E20_2:
    case MMU_IDX_E20_2_PAN:
        name = "EL2&0";
        regime_el = 2;
        w.s1_gbits = upper ? tg1_bits(extract64(sr->TCR_ELx[2], 30, 2)) : tg0_bits(extract64(sr->TCR_ELx[2], 14, 2));
        w.s1_ds = extract64(sr->TCR_ELx[2], 59, 1);
        break;
    case MMU_IDX_E2:
        name = "EL2";
        regime_el = 2;
        w.s1_gbits = tg0_bits(extract64(sr->TCR_ELx[2], 14, 2));
        w.s1_ds = extract64(sr->TCR_ELx[2], 32, 1);
        break;
    default:
        name = "EL3";
        regime_el = 3;
        w.s1_gbits = tg0_bits(extract64(sr->TCR_ELx[3], 14, 2));
        w.s1_ds = extract64(sr->TCR_ELx[3], 32, 1);
        break;
    }
    w.s2_gbits = tg0_bits(extract64(sr->VTCR_EL2, 14, 2));
    w.s2_ds = extract64(sr->VTCR_EL2, 32, 1);
    bool access_el0 = idx == MMU_IDX_E10_0 || idx == MMU_IDX_E20_0;
    gdb_out_printf(out, "walk %#llx in the %s regime (%s access, mmu_idx %d); stage-1 granule %uK%s, stage-2 granule %uK%s\n",
                   (unsigned long long)va, name, access_el0 ? "EL0" : "privileged", (int)idx, 1u << (w.s1_gbits - 10),
                   w.s1_ds ? " LPA2" : "", 1u << (w.s2_gbits - 10), w.s2_ds ? " LPA2" : "");

    MMUResult res;
    MMUFault fault;
    if (mmu_walk_debug(cpu, va, idx, MMU_ACCESS_READ, walk_trace, &w, &res, &fault)) {
        if (!w.steps) {
            gdb_out_printf(out, "  (no descriptor read: translation disabled for this regime)\n");
        }
        gdb_out_printf(out, "=> PA %#llx", (unsigned long long)res.pa);
        if (res.ipa != res.pa) {
            gdb_out_printf(out, " (IPA %#llx)", (unsigned long long)res.ipa);
        }
        gdb_out_printf(out, "  page %#llx  %c%c%c  attrs 0x%02x SH %s%s%s\n", (unsigned long long)res.page_size,
                       res.readable ? 'R' : '-', res.writable ? 'W' : '-', res.executable ? 'X' : '-', res.attrs,
                       sh_names[res.sh & 3], res.device ? " Device" : "", res.guarded ? " GP" : "");
        return;
    }
    /* Where the abort would go and the ESR it would carry (AArch64.Abort, data read). */
    unsigned from_el = access_el0 ? 0 : regime_el;
    unsigned target_el = fault.stage2 ? 2 : regime_el == 1 && (sr->HCR_EL2 & (1ULL << 27)) ? 2 : (regime_el ? regime_el : 1);
    unsigned ec = from_el == target_el ? 0x25 : 0x24;
    unsigned fsc = gdb_fault_fsc(fault.type, fault.level);
    uint64_t iss = fsc | (fault.s1ptw ? 1u << 7 : 0) | (fault.write ? 1u << 6 : 0);
    uint64_t esr = (uint64_t)ec << 26 | 1u << 25 | iss;
    gdb_out_printf(out, "=> %s fault, level %d, stage %d%s\n",
                   (unsigned)fault.type < ARRAY_SIZE(fault_names) ? fault_names[fault.type] : "unknown",
                   fault.level, fault.stage2 ? 2 : 1, fault.s1ptw ? " (on the stage-1 table walk, S1PTW)" : "");
    gdb_out_printf(out, "   a data read would take ESR_EL%u = %#llx (EC %#x, DFSC %#x), FAR_EL%u = %#llx", target_el,
                   (unsigned long long)esr, ec, fsc, target_el, (unsigned long long)va);
    if (fault.stage2 && fault.ipa_valid) {
        gdb_out_printf(out, ", HPFAR_EL2 = %#llx (IPA %#llx)", (unsigned long long)((fault.ipa >> 12) << 4),
                       (unsigned long long)fault.ipa);
    }
    gdb_out_printf(out, "\n");
}

static const char *const idx_names[MMU_IDX_COUNT] = {
    [MMU_IDX_E10_0] = "EL1&0 EL0", [MMU_IDX_E10_1] = "EL1&0 EL1", [MMU_IDX_E10_1_PAN] = "EL1&0 EL1 PAN",
    [MMU_IDX_E20_0] = "EL2&0 EL0", [MMU_IDX_E20_2] = "EL2&0 EL2", [MMU_IDX_E20_2_PAN] = "EL2&0 EL2 PAN",
    [MMU_IDX_E2] = "EL2", [MMU_IDX_E3] = "EL3",
};

/*
 * The TLB as the CPU uses it: the softmmu fast-path entries (cpu/cpu.h), one
 * table per mmu_idx (= translation regime and privilege). They are not
 * tagged by ASID/VMID (flushed on every change of context), so the tags
 * that apply are printed once from the registers. The MMU's architectural
 * TLB behind them is private to mmu/ and offers no dump (docs/gdbstub.md).
 */
void gdbstub_tlb_print(CPUState *cpu, GdbOut *out)
{
    const CPUSysRegs *sr = &cpu->sr;
    /* ASID: TTBR1 when TCR.A1 = 1, else TTBR0 (bits 63:48) */
    uint64_t asid1 = extract64(sr->TCR_ELx[1], 22, 1) ? sr->TTBR1_ELx[1] >> 48 : sr->TTBR0_ELx[1] >> 48;
    uint64_t asid2 = extract64(sr->TCR_ELx[2], 22, 1) ? sr->TTBR1_ELx[2] >> 48 : sr->TTBR0_ELx[2] >> 48;
    gdb_out_printf(out, "CPU#%d TLB (softmmu fast-path entries; ASID/VMID of the current context: "
                        "EL1&0 ASID %#llx, EL2&0 ASID %#llx, VMID %#llx)\n",
                   cpu->cpu_index, (unsigned long long)asid1, (unsigned long long)asid2,
                   (unsigned long long)(sr->VTTBR_EL2 >> 48));
    gdb_out_printf(out, "%-14s %-18s %-18s %s\n", "regime", "VA", "PA", "access");
    unsigned n = 0;
    for (int idx = 0; idx < MMU_IDX_COUNT; idx++) {
        for (unsigned i = 0; i < CPU_TLB_SIZE; i++) {
            const CPUTLBEntry *e = &cpu->tlb[idx][i];
            /* Tags are the VA page, possibly with cpu/mem.c's low "checked" bits
             * (aligned accesses only: bit 1 Device, bit 2 Normal memory). */
            uint64_t tags[3] = { e->tag_read, e->tag_write, e->tag_exec };
            uint64_t va = CPU_TLB_INVALID_TAG, low = 0;
            for (int t = 0; t < 3; t++) {
                if (tags[t] != CPU_TLB_INVALID_TAG) {
                    va = tags[t] & ~0xfffULL;
                    low |= tags[t] & 0xfff;
                }
            }
            if (va == CPU_TLB_INVALID_TAG) {
                continue;
            }
            char acc[4];
            for (int t = 0; t < 3; t++) {
                acc[t] = tags[t] != CPU_TLB_INVALID_TAG && (tags[t] & ~0xfffULL) == va ? "RWX"[t] : '-';
            }
            acc[3] = 0;
            gdb_out_printf(out, "%-14s %#018llx %#018llx %s%s%s\n", idx_names[idx], (unsigned long long)va,
                           (unsigned long long)e->pa_page, acc,
                           (low & 2) ? " Device (aligned accesses only)" : (low & 4) ? " (aligned accesses only)" : "",
                           e->addend ? "" : " (no host page)");
            n++;
        }
    }
    gdb_out_printf(out, "%u entries\n", n);
}
