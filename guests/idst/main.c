/*
 * MRS of an unallocated register in the ID space (op0=3, op1=0, CRn=0,
 * CRm=0..7): UNDEFINED (EC 0x00) without FEAT_IDST; with FEAT_IDST
 * (ID_AA64MMFR2_EL1.IDS = 1) trapped with EC 0x18 and the access's ISS
 * (Arm ARM D17.2.37, FEAT_IDST). The guest checks whichever the ID register
 * advertises.
 */
#include "guest.h"

static ExcFrame seen;
static unsigned seen_count, seen_kind;

static bool handler(ExcFrame *f, unsigned el, unsigned kind)
{
    seen = *f;
    seen_kind = kind;
    seen_count++;
    f->elr += 4;
    return true;
}

static void expect(unsigned ec, uint32_t iss, uint64_t elr, const char *what)
{
    report(seen_count == 1 && esr_ec(seen.esr) == ec && esr_iss(seen.esr) == iss && esr_il(seen.esr) &&
           seen.elr == elr && seen_kind == EXC_KIND(EXC_FROM_SPX, EXC_SYNC),
           "%s: ESR_EL2 = 0x%lx (want EC 0x%x ISS 0x%x IL), ELR_EL2 %s", what, seen.esr, ec, iss,
           seen.elr == elr ? "ok" : "wrong");
    seen_count = 0;
}

void guest_run(void)
{
    uint64_t pc;
    exc_set_handler(2, handler);
    bool idst = ((read_sysreg(ID_AA64MMFR2_EL1) >> 36) & 0xf) == 1;
    __asm__ volatile("adr %0, 1f\n1:\tmrs x0, s3_0_c0_c0_7" : "=r"(pc) : : "x0", "memory");
    if (idst) {
        expect(0x18, 3u << 20 | 7u << 17 | 1, pc, "MRS of an unallocated ID-space register (FEAT_IDST)");
    } else {
        expect(0x00, 0, pc, "MRS of an unallocated ID-space register (no FEAT_IDST)");
    }

    exc_set_handler(2, NULL);
}
