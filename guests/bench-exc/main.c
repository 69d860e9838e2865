/*
 * Exception benchmark (issue 9): round trips through the exception entry and
 * return paths, the cost hypervisors pay on every trap.
 *   - SVC from EL1 to EL1 (same-EL synchronous exception)
 *   - HVC from EL1 to EL2
 *   - a trapped system-register read (HCR_EL2.TID3: ID_AA64PFR0_EL1 read at
 *     EL1 traps to EL2 with EC 0x18; EL2 emulates it and skips the MRS)
 * Each loop's result is checked, so the benchmark is also a test. The work is
 * fixed (ROUNDS), so both emulators run the same instructions.
 */
#include "guest.h"

#define ROUNDS 100000
#define HCR_EL2_RW (1ULL << 31)
#define HCR_EL2_TID3 (1ULL << 18)
#define EMULATED_PFR0 0x1234ULL

static uint64_t svc_count, hvc_count, trap_count;
static uint8_t el1_stack[8192] __attribute__((aligned(16)));

static bool el1_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if (esr_ec(f->esr) == 0x15 && esr_iss(f->esr) == 1) {
        svc_count++;
        return true;            /* ELR already points after the SVC */
    }
    return false;
}

static bool el2_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    unsigned ec = esr_ec(f->esr);
    if (ec == 0x16 && esr_iss(f->esr) == 1) {
        hvc_count++;
        return true;
    }
    if (ec == 0x18) {           /* MRS trapped by TID3: Rt in ISS[9:5] */
        unsigned rt = (esr_iss(f->esr) >> 5) & 0x1f;
        if (rt < 31) {
            f->x[rt] = EMULATED_PFR0;
        }
        trap_count++;
        f->elr += 4;
        return true;
    }
    return false;
}

static uint64_t el1_work(uint64_t rounds)
{
    uint64_t sum = 0;
    for (uint64_t i = 0; i < rounds; i++) {
        __asm__ volatile("svc #1" ::: "memory");
    }
    for (uint64_t i = 0; i < rounds; i++) {
        __asm__ volatile("hvc #1" ::: "memory");
    }
    for (uint64_t i = 0; i < rounds; i++) {
        sum += read_sysreg(ID_AA64PFR0_EL1);
    }
    return sum;
}

void guest_run(void)
{
    if (boot_el != 2) {
        report(false, "entered at EL2 (needs -M virt,virtualization=on)");
        return;
    }
    exc_set_handler(1, el1_handler);
    exc_set_handler(2, el2_handler);
    write_sysreg(HCR_EL2_RW | HCR_EL2_TID3, hcr_el2);
    isb();
    uint64_t sum = el_call_lower(el1_work, ROUNDS, SPSR_EL1h | SPSR_DAIF,
                                 (uint64_t)(uintptr_t)(el1_stack + sizeof(el1_stack)));
    write_sysreg(HCR_EL2_RW, hcr_el2);
    isb();
    report(svc_count == ROUNDS, "%d SVC round trips EL1 -> EL1 (counted %llu)", ROUNDS,
           (unsigned long long)svc_count);
    report(hvc_count == ROUNDS, "%d HVC round trips EL1 -> EL2 (counted %llu)", ROUNDS,
           (unsigned long long)hvc_count);
    report(trap_count == ROUNDS && sum == ROUNDS * EMULATED_PFR0,
           "%d TID3-trapped ID_AA64PFR0_EL1 reads emulated at EL2", ROUNDS);
}
