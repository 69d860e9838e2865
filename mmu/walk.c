/*
 * The one translation-table walker (AArch64.S1Walk / AArch64.S2Walk),
 * parameterised by WalkParams: stage, granule, start level -1..3, input and
 * output size, DS (FEAT_LPA2), 64K FEAT_LPA, concatenated start-level tables.
 * Stage-1 table addresses are IPAs when stage 2 applies and go through
 * mmu_s2_translate() (S1PTW faults).
 */
#include "core/log.h"
#include "mmu/mmu_int.h"

/*
 * Output address field of a table, block or page descriptor
 * (AArch64.NextTableBase / AArch64.LeafBase): bits [47:g], with DS also
 * [49:48] and OA[51:50] from bits [9:8]; with 64K FEAT_LPA OA[51:48] from
 * bits [15:12].
 */
uint64_t mmu_desc_oa(const WalkParams *p, uint64_t desc)
{
    uint64_t oa;
    if (p->ds) {
        oa = (desc & MASK64(50) & ~MASK64(p->gbits)) | (extract64(desc, 8, 2) << 50);
    } else {
        oa = desc & MASK64(48) & ~MASK64(p->gbits);
        if (p->lpa64) {
            oa |= extract64(desc, 12, 4) << 48;
        }
    }
    return oa;
}

/* Block descriptors legal at this level (Arm ARM D8.3, QEMU lpae_block_desc_valid). */
static bool block_allowed(const WalkParams *p, int level)
{
    switch (p->gbits) {
    case 12:
        return level == 1 || level == 2 || (level == 0 && p->ds);
    case 14:
        return level == 2 || (level == 1 && p->ds);
    default:
        return level == 2 || (level == 1 && p->blk_l1_64k);
    }
}

static bool desc_read(CPUState *cpu, uint64_t pa, uint64_t *v)
{
    AddrSpace *as = &cpu->machine->as;
    uint8_t *h = addrspace_ram_ptr(as, pa, 8);
    if (h && !((uintptr_t)h & 7)) {
        *v = __atomic_load_n((uint64_t *)(void *)h, __ATOMIC_ACQUIRE);
        return true;
    }
    return addrspace_read(as, pa, 8, v);
}

/*
 * Hardware Access-flag / dirty-state update: an atomic compare-and-swap on
 * the descriptor in RAM (AArch64.MemSwapTableDesc). Returns true on success;
 * false if the descriptor changed since it was read (the caller walks again)
 * or cannot be updated atomically (not RAM, or ROM): *bad is then set.
 */
bool mmu_desc_update(CPUState *cpu, uint64_t desc_pa, uint64_t old, uint64_t new_desc)
{
    AddrSpace *as = &cpu->machine->as;
    const MemRegion *r = addrspace_find(as, desc_pa);
    if (!r || !r->ram || r->readonly || desc_pa - r->base > r->size - 8) {
        return false;
    }
    uint8_t *h = r->ram + (desc_pa - r->base);
    bool ok;
    if (!((uintptr_t)h & 7)) {
        uint64_t expect = old;
        ok = __atomic_compare_exchange_n((uint64_t *)(void *)h, &expect, new_desc, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    } else {
        uint64_t cur;
        memcpy(&cur, h, 8);
        ok = cur == old;
        if (ok) {
            memcpy(h, &new_desc, 8);
        }
    }
    if (ok && as->code_written) {
        as->code_written(as->code_written_opaque, desc_pa, 8);
    }
    return ok;
}

static bool walk_fault(MMUFault *f, const WalkCtx *w, MMUFaultType t, int level)
{
    f->type = t;
    f->level = level;
    f->stage2 = w->p->stage2;
    f->write = w->acc == MMU_ACCESS_WRITE;
    return false;
}

static bool s2_memattr_device(const CPUState *cpu, uint8_t memattr)
{
    bool fwb = (mmu_hcr_eff(cpu) & HCR_FWB) && extract64(cpu->id.ID_AA64MMFR2_EL1, 40, 4) >= 1;
    return fwb ? !(memattr & 4) : !(memattr & 0xc);
}

bool mmu_walk(WalkCtx *w, uint64_t ia, WalkLeaf *leaf, MMUFault *f)
{
    const WalkParams *p = w->p;
    memset(leaf, 0, sizeof(*leaf));
    memset(f, 0, sizeof(*f));

    if (p->cfg_invalid) {
        return walk_fault(f, w, MMU_FAULT_TRANSLATION, 0);
    }
    if (p->stage2 && p->ia_bits < 64 && (ia >> p->ia_bits)) {
        /* IPA beyond VTCR_EL2.T0SZ: stage-2 level-0 Translation fault (feature-notes D1). */
        return walk_fault(f, w, MMU_FAULT_TRANSLATION, 0);
    }
    if (p->ttb_oor) {
        return walk_fault(f, w, MMU_FAULT_ADDRESS_SIZE, 0);
    }

    const unsigned stride = p->gbits - 3u;
    int level = p->start_level;
    uint64_t table = p->ttb;
    uint8_t ap_table = 0;
    bool uxn_table = false, pxn_table = false;

    for (;;) {
        unsigned shift = p->gbits + stride * (unsigned)(3 - level);
        unsigned nbits = level == p->start_level ? p->ia_bits - shift : stride;
        uint64_t desc_addr = table + 8 * extract64(ia, shift, nbits);
        uint64_t desc_pa = desc_addr;
        uint64_t desc;

        if (w->s2) {
            S2Attrs a;
            TLBEntry s2e;
            if (!mmu_s2_translate(w, desc_addr, MMU_ACCESS_READ, false, true, &desc_pa, &a, f, &s2e)) {
                return false;
            }
            if ((mmu_hcr_eff(w->cpu) & HCR_PTW) &&
                s2_memattr_device(w->cpu, a.memattr)) {
                /* HCR_EL2.PTW: stage-1 walk to stage-2 Device memory is a stage-2 Permission fault. */
                f->type = MMU_FAULT_PERMISSION;
                f->level = s2e.s2_level;
                f->stage2 = true;
                f->s1ptw = true;
                f->ipa = desc_addr;
                f->ipa_valid = true;
                f->write = false;
                return false;
            }
        }
        if (!desc_read(w->cpu, desc_pa, &desc)) {
            walk_fault(f, w, MMU_FAULT_SYNC_EXTERNAL_WALK, level);
            return false;
        }
        if (w->trace) {
            MMUWalkStep st = { .stage2 = p->stage2, .s1ptw = w->s1ptw, .level = level, .ia = ia,
                               .desc_pa = desc_pa, .desc = desc };
            w->trace(w->trace_opaque, &st);
        }
        if (!(desc & DESC_VALID) || (level == 3 && !(desc & DESC_TABLE))) {
            return walk_fault(f, w, MMU_FAULT_TRANSLATION, level);
        }
        if (level < 3 && (desc & DESC_TABLE)) {
            uint64_t next = mmu_desc_oa(p, desc);
            if (p->oa_bits < 64 && (next >> p->oa_bits)) {
                return walk_fault(f, w, MMU_FAULT_ADDRESS_SIZE, level);
            }
            if (!p->stage2) {
                /* Hierarchical controls (stage 2 table descriptors carry none). */
                ap_table |= (uint8_t)extract64(desc, 61, 2);
                uxn_table |= extract64(desc, 60, 1);
                pxn_table |= extract64(desc, 59, 1);
            }
            table = next;
            level++;
            continue;
        }
        if (level < 3 && !block_allowed(p, level)) {
            return walk_fault(f, w, MMU_FAULT_TRANSLATION, level);
        }
        uint64_t base = mmu_desc_oa(p, desc) & ~MASK64(shift);
        if (p->oa_bits < 64 && (base >> p->oa_bits)) {
            return walk_fault(f, w, MMU_FAULT_ADDRESS_SIZE, level);
        }
        leaf->desc = desc;
        leaf->desc_pa = desc_pa;
        leaf->desc_ia = desc_addr;
        leaf->oa = base | (ia & MASK64(shift));
        leaf->level = level;
        leaf->size_log2 = (uint8_t)shift;
        leaf->ap_table = ap_table;
        leaf->uxn_table = uxn_table;
        leaf->pxn_table = pxn_table;
        /* Access flag: fault unless hardware management is on (then the caller sets it). */
        if (!(desc & DESC_AF) && !p->ha) {
            return walk_fault(f, w, MMU_FAULT_ACCESS_FLAG, level);
        }
        return true;
    }
}
