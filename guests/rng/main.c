/*
 * FEAT_RNG (Arm ARM C5.2.16 RNDR, C5.2.17 RNDRRS): the guest requires
 * ID_AA64ISAR0_EL1.RNDR = 1, then reads both registers at EL2 and at EL1:
 * each read sets NZCV to 0000 (a valid number; 0100 would mean none was
 * available, which the guest tolerates only as an all-zero value) and the
 * numbers are not all the same.
 */
#include "guest.h"
#include "el2.h"

static uint64_t rng_read(bool reseed, uint64_t *nzcv)
{
    uint64_t v, f;
    /* Set every flag first so that a read that leaves NZCV alone is caught. */
    if (reseed) {
        __asm__ volatile("msr nzcv, %2\n\tmrs %0, s3_3_c2_c4_1\n\tmrs %1, nzcv"
                         : "=&r"(v), "=r"(f) : "r"(0xf0000000ULL) : "cc");
    } else {
        __asm__ volatile("msr nzcv, %2\n\tmrs %0, s3_3_c2_c4_0\n\tmrs %1, nzcv"
                         : "=&r"(v), "=r"(f) : "r"(0xf0000000ULL) : "cc");
    }
    *nzcv = f;
    return v;
}

/* Eight reads: bit 0 set if any left NZCV other than 0000, bit 1 if all were equal. */
static uint64_t rng_probe(uint64_t reseed)
{
    uint64_t first = 0, nzcv, r = 2;
    for (unsigned i = 0; i < 8; i++) {
        uint64_t v = rng_read(reseed != 0, &nzcv);
        if (nzcv != 0 && !(nzcv == 0x40000000ULL && v == 0)) {
            r |= 1;
        }
        if (i == 0) {
            first = v;
        } else if (v != first) {
            r &= ~2ULL;
        }
    }
    return r;
}

static void rng_report(uint64_t r, bool reseed, const char *where)
{
    const char *name = reseed ? "RNDRRS" : "RNDR";
    report(!(r & 1), "%s %s: NZCV = 0000 after each read", name, where);
    report(!(r & 2), "%s %s: eight reads are not all equal", name, where);
}

static uint8_t el1_stack[8192] __attribute__((aligned(16)));

void guest_run(void)
{
    uint64_t isar0 = read_sysreg(ID_AA64ISAR0_EL1);
    report(((isar0 >> 60) & 0xf) == 1, "ID_AA64ISAR0_EL1.RNDR = 1 (FEAT_RNG advertised)");
    if (((isar0 >> 60) & 0xf) == 0) {
        return;
    }
    rng_report(rng_probe(0), false, "at EL2");
    rng_report(rng_probe(1), true, "at EL2");
    write_sysreg(HCR_RW, hcr_el2);   /* EL1 is AArch64 */
    isb();
    uint64_t sp = (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack));
    rng_report(el_call_lower(rng_probe, 0, SPSR_EL1h | SPSR_DAIF, sp), false, "at EL1");
    rng_report(el_call_lower(rng_probe, 1, SPSR_EL1h | SPSR_DAIF, sp), true, "at EL1");
}
