/*
 * Not a suite guest: WFI forever with every interrupt masked and no timer.
 * tests/machine-check runs it on Tandem, which must end the run ("nothing
 * can wake the machine", status 1) instead of hanging.
 */
#include "guest.h"

void guest_run(void)
{
    printf("halting with interrupts masked\n");
    for (;;) {
        __asm__ volatile("msr daifset, #0xf\n\twfi" ::: "memory");
    }
}
