/*
 * PSCI SYSTEM_RESET (DEN0022 5.11) without -no-reboot resets the machine
 * and boots the image again; RAM outside the loaded images keeps its
 * contents (neither QEMU nor Tandem clears RAM on reset), which is how the
 * second boot knows it is the second.
 */
#include "guest.h"

#define MARK_PA 0x5f000000ul          /* RAM + 496 MiB: outside image, initrd and DTB with -m 1G */
#define MARK    0x7e5e7b007e5e7b00ul

void guest_run(void)
{
    volatile uint64_t *mark = (volatile uint64_t *)MARK_PA;
    if (*mark != MARK) {
        printf("first boot: writing the mark and resetting\n");
        *mark = MARK;
        dsb(sy);
        psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
        guest_abort("PSCI SYSTEM_RESET returned");
    }
    *mark = 0;
    report(true, "second boot after PSCI SYSTEM_RESET (the mark survived in RAM)");
    report(boot_el == 2, "the reset boot entered at EL2 again");
}
