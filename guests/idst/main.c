/*
 * MRS of an unallocated register in the ID space (op0=3, op1=0, CRn=0,
 * CRm=0..7): UNDEFINED (EC 0x00) without FEAT_IDST; with FEAT_IDST
 * (ID_AA64MMFR2_EL1.IDS = 1) trapped with EC 0x18 and the access's ISS
 * (Arm ARM D17.2.37, FEAT_IDST). The guest checks whichever the ID register
 * advertises.
 */
#include "guest.h"

void guest_run(void)
{
    uint64_t pc;
    exc_set_handler(2, exc_record_skip);
    bool idst = ((read_sysreg(ID_AA64MMFR2_EL1) >> 36) & 0xf) == 1;
    __asm__ volatile("adr %0, 1f\n1:\tmrs x0, s3_0_c0_c0_7" : "=r"(pc) : : "x0", "memory");
    if (idst) {
        exc_expect_sync(0x18, 3u << 20 | 7u << 17 | 1, pc, "MRS of an unallocated ID-space register (FEAT_IDST)");
    } else {
        exc_expect_sync(0x00, 0, pc, "MRS of an unallocated ID-space register (no FEAT_IDST)");
    }

    exc_set_handler(2, NULL);
}
