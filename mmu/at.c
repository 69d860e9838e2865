/*
 * AT (address translation) instructions into PAR_EL1 (Arm ARM C5.5 and
 * AArch64.AT_*): AT S1E0R/W, S1E1R/W, S1E1RP/WP, S1E2R/W, S12E0R/W,
 * S12E1R/W, S1E3R/W. They walk the tables without TLB fills or descriptor
 * updates (an AT may use but need not fill the TLB; it never sets AF/dirty here:
 * docs/impdef.md).
 */
#include "mmu/mmu_int.h"

enum { AT_S1E1R, AT_S1E1W, AT_S1E0R, AT_S1E0W, AT_S1E1RP, AT_S1E1WP, AT_S1E2R, AT_S1E2W,
       AT_S12E1R, AT_S12E1W, AT_S12E0R, AT_S12E0W, AT_S1E3R, AT_S1E3W, AT_NONE };

static int at_op(uint32_t enc)
{
    unsigned op0 = enc >> 14 & 3, op1 = enc >> 11 & 7, crn = enc >> 7 & 15, crm = enc >> 3 & 15,
             op2 = enc & 7;
    if (op0 != 1 || crn != 7) {
        return AT_NONE;
    }
    if (op1 == 0 && crm == 8 && op2 <= 3) {
        return AT_S1E1R + (int)op2;
    }
    if (op1 == 0 && crm == 9 && op2 <= 1) {
        return AT_S1E1RP + (int)op2;
    }
    if (op1 == 4 && crm == 8) {
        static const int m[8] = { AT_S1E2R, AT_S1E2W, AT_NONE, AT_NONE,
                                  AT_S12E1R, AT_S12E1W, AT_S12E0R, AT_S12E0W };
        return m[op2];
    }
    if (op1 == 6 && crm == 8 && op2 <= 1) {
        return AT_S1E3R + (int)op2;
    }
    return AT_NONE;
}

static uint64_t par_fault(const MMUFault *f)
{
    uint64_t par = 1 | BIT64(11);
    par |= (uint64_t)(mmu_fault_fsc(f) & 0x3f) << 1;
    if (f->s1ptw) {
        par |= BIT64(8);
    }
    if (f->stage2) {
        par |= BIT64(9);
    }
    return par;
}

bool mmu_at_checked(CPUState *cpu, uint32_t enc, uint64_t va, MMUFault *fault)
{
    int op = at_op(enc);
    uint64_t hcr = mmu_hcr_eff(cpu);
    bool host = cpu->el == 2 && (hcr & HCR_E2H) && (hcr & HCR_TGE);
    bool e2h = (cpu->sr.HCR_EL2 & HCR_E2H) && extract64(cpu->id.ID_AA64MMFR1_EL1, 8, 4) >= 1;
    MMUIdx idx;
    bool stage1_only = true, pan = false;
    MMUAccessType acc;
    TLBEntry e;
    MMUFault f;

    switch (op) {
    case AT_S1E1R: case AT_S1E1W:
        idx = host ? MMU_IDX_E20_2 : MMU_IDX_E10_1;
        break;
    case AT_S1E1RP: case AT_S1E1WP:
        /* FEAT_PAN2: these honour PSTATE.PAN. */
        pan = cpu->pan != 0;
        idx = host ? (pan ? MMU_IDX_E20_2_PAN : MMU_IDX_E20_2) : (pan ? MMU_IDX_E10_1_PAN : MMU_IDX_E10_1);
        break;
    case AT_S1E0R: case AT_S1E0W:
        idx = host ? MMU_IDX_E20_0 : MMU_IDX_E10_0;
        break;
    case AT_S1E2R: case AT_S1E2W:
        idx = e2h ? MMU_IDX_E20_2 : MMU_IDX_E2;
        break;
    case AT_S12E1R: case AT_S12E1W:
        idx = MMU_IDX_E10_1;
        stage1_only = false;
        break;
    case AT_S12E0R: case AT_S12E0W:
        idx = MMU_IDX_E10_0;
        stage1_only = false;
        break;
    case AT_S1E3R: case AT_S1E3W:
        idx = MMU_IDX_E3;
        break;
    default:
        /* Not an AT encoding: leave PAR_EL1 alone (the sysreg table only sends AT ops). */
        return true;
    }
    acc = (op == AT_S1E1W || op == AT_S1E0W || op == AT_S1E1WP || op == AT_S1E2W ||
           op == AT_S12E1W || op == AT_S12E0W || op == AT_S1E3W) ? MMU_ACCESS_WRITE : MMU_ACCESS_READ;

    if (!mmu_translate_walk(cpu, va, acc, idx, stage1_only, true, pan, NULL, NULL, &e, &f)) {
        if (f.stage2 && f.s1ptw && cpu->el == 1) {
            /*
             * Stage-2 fault on the stage-1 walk of an AT from EL1: a Data Abort
             * to EL2 with CM = 1 (and so WnR = 1), not a PAR_EL1 result.
             */
            f.cm = true;
            f.write = true;
            *fault = f;
            return false;
        }
        cpu->sr.PAR_EL1 = par_fault(&f);
        return true;
    }
    uint64_t pa = e.pa | (va & MASK64(e.size_log2));
    uint64_t par = BIT64(11) | (pa & MASK64(52) & ~0xfffULL) | (uint64_t)e.attrs << 56 |
                   (uint64_t)(e.sh & 3) << 7;
    if (e.flags & TLBF_NS) {
        par |= BIT64(9);
    }
    cpu->sr.PAR_EL1 = par;
    return true;
}

void mmu_at(CPUState *cpu, uint32_t enc, uint64_t va)
{
    MMUFault f;
    if (!mmu_at_checked(cpu, enc, va, &f)) {
        cpu->sr.PAR_EL1 = par_fault(&f);
    }
}
