/*
 * Must fail: checks that a failing report() makes the run fail (exit status
 * and FAIL line), so the suite can never pass on a guest that reports
 * failures. Listed as an expected failure for every emulator.
 */
#include "guest.h"

void guest_run(void)
{
    report(true, "a check that passes");
    report(false, "a check that fails on purpose");
}
