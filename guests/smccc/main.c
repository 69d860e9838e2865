/*
 * SMCCC 1.1 (DEN0028) discovery through the PSCI conduit: PSCI_FEATURES
 * (SMCCC_VERSION), SMCCC_VERSION, SMCCC_ARCH_FEATURES for itself, the
 * Spectre workaround queries (an emulator answers "not required" = 1 or
 * "not supported" = -1, never "required"), an unknown arch function, and
 * x4-x17 preserved across the call.
 * QEMU 7.2's built-in PSCI does not implement SMCCC_VERSION (PSCI_FEATURES
 * says NOT_SUPPORTED), so this guest is an expected failure there.
 */
#include "guest.h"

#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define PSCI_FEATURES 0x8400000au

static int64_t call(uint64_t fn, uint64_t a1)
{
    return (int64_t)psci_call(fn, a1, 0, 0);
}

/* x4..x17 must survive an SMCCC 1.1 call */
static bool regs_preserved(void)
{
    register uint64_t x0 __asm__("x0") = SMCCC_VERSION;
    register uint64_t x4 __asm__("x4") = 0x4444;
    register uint64_t x9 __asm__("x9") = 0x9999;
    register uint64_t x17 __asm__("x17") = 0x1717;
    if (current_el() == 2) {
        __asm__ volatile("smc #0" : "+r"(x0), "+r"(x4), "+r"(x9), "+r"(x17) : : "x1", "x2", "x3", "memory");
    } else {
        __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x4), "+r"(x9), "+r"(x17) : : "x1", "x2", "x3", "memory");
    }
    return x4 == 0x4444 && x9 == 0x9999 && x17 == 0x1717;
}

void guest_run(void)
{
    report(call(PSCI_FEATURES, SMCCC_VERSION) == 0, "PSCI_FEATURES(SMCCC_VERSION) = SUCCESS");
    int64_t v = call(SMCCC_VERSION, 0);
    report(v >= 0x10001, "SMCCC_VERSION is 1.1 or later (0x%lx)", v);
    report(call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES) == 0, "ARCH_FEATURES(ARCH_FEATURES) = SUCCESS");
    static const uint32_t wa[3] = { 0x80008000u, 0x80007fffu, 0x80003fffu };
    for (int i = 0; i < 3; i++) {
        int32_t r = (int32_t)call(SMCCC_ARCH_FEATURES, wa[i]);
        report(r == 1 || r == -1, "ARCH_FEATURES(WORKAROUND_%d) = not required/not supported (%d)", i + 1, r);
    }
    report((int32_t)call(SMCCC_ARCH_FEATURES, 0x80000002u) == -1 ||
           (int32_t)call(SMCCC_ARCH_FEATURES, 0x80000002u) == 0, "ARCH_FEATURES(SOC_ID) answered");
    report((int32_t)call(SMCCC_ARCH_FEATURES, 0x8000ff00u) == -1, "ARCH_FEATURES(unknown) = NOT_SUPPORTED");
    report(regs_preserved(), "x4-x17 preserved across the call");
}
