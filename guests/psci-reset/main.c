/*
 * PSCI SYSTEM_RESET (DEN0022 5.11) under -no-reboot: the reset request ends
 * the run with exit status 0 (QEMU's -no-reboot behaviour, and Tandem's).
 * The summary is printed first; if the call returns, the run fails.
 */
#include "guest.h"

void guest_run(void)
{
    report(psci_call(0x8400000au, PSCI_SYSTEM_RESET, 0, 0) == 0, "PSCI_FEATURES(SYSTEM_RESET) = SUCCESS");
    report_summary();
    psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    puts_raw("FAIL: PSCI SYSTEM_RESET returned\n");
    guest_exit(1);
}
