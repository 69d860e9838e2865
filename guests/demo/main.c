/*
 * The default guest of `make run`: shows what the emulated machine looks
 * like from inside (EL, CPU ID registers, device tree, RAM), draws a
 * fixed-point Mandelbrot set on the PL011, and powers off with PSCI
 * SYSTEM_OFF (exit status 0).
 */
#include "guest.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Count the DTB's /cpus/cpu@N nodes (a minimal structure-block walk). */
static int dtb_count_cpus(const uint8_t *fdt)
{
    if (be32(fdt) != 0xd00dfeed) {
        return -1;
    }
    const uint8_t *p = fdt + be32(fdt + 8);
    const uint8_t *end = p + be32(fdt + 36);
    int depth = 0, cpus_depth = -1, n = 0;
    while (p < end) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == 1) {                       /* FDT_BEGIN_NODE */
            const char *name = (const char *)p;
            depth++;
            if (depth == 2 && !strcmp(name, "cpus")) {
                cpus_depth = depth;
            } else if (cpus_depth > 0 && depth == cpus_depth + 1 && !memcmp(name, "cpu@", 4)) {
                n++;
            }
            p += (strlen(name) + 4) & ~3ul;
        } else if (tok == 2) {                /* FDT_END_NODE */
            if (depth == cpus_depth) {
                cpus_depth = -1;
            }
            depth--;
        } else if (tok == 3) {                /* FDT_PROP */
            uint32_t len = be32(p);
            p += 8 + ((len + 3) & ~3u);
        } else if (tok == 9) {                /* FDT_END */
            break;
        }
    }
    return n;
}

static void mandelbrot(void)
{
    static const char shades[] = " .:-=+*#%@";
    /* Q16.16 fixed point: x in [-2.2, 0.8], y in [-1.2, 1.2]. */
    for (int row = 0; row < 22; row++) {
        int64_t ci = -78643 + row * 7149;
        for (int col = 0; col < 72; col++) {
            int64_t cr = -144179 + col * 2730;
            int64_t zr = 0, zi = 0;
            int it = 0;
            while (it < 40) {
                int64_t zr2 = (zr * zr) >> 16, zi2 = (zi * zi) >> 16;
                if (zr2 + zi2 > (4 << 16)) {
                    break;
                }
                zi = ((2 * zr * zi) >> 16) + ci;
                zr = zr2 - zi2 + cr;
                it++;
            }
            uart_putc(it == 40 ? '@' : shades[it % 9]);
        }
        uart_putc('\n');
    }
}

void guest_run(void)
{
    uint64_t midr = read_sysreg(MIDR_EL1);
    uint64_t pfr0 = read_sysreg(ID_AA64PFR0_EL1);
    uint64_t mmfr0 = read_sysreg(ID_AA64MMFR0_EL1);
    printf("\n  Tandem demo guest: bare metal on the virt machine\n");
    printf("  ------------------------------------------------\n");
    printf("  entered at EL%u, MMU off, device tree at 0x%lx\n", boot_el, boot_dtb);
    printf("  MIDR_EL1 0x%08lx (implementer 0x%02lx, part 0x%03lx)\n", midr, (midr >> 24) & 0xff,
           (midr >> 4) & 0xfff);
    printf("  EL3 %s, EL2 %s, SVE %s, physical address size code %lu\n",
           ((pfr0 >> 12) & 0xf) ? "yes" : "no", ((pfr0 >> 8) & 0xf) ? "yes" : "no",
           ((pfr0 >> 32) & 0xf) ? "yes" : "no", mmfr0 & 0xf);
    int ncpus = dtb_count_cpus((const uint8_t *)boot_dtb);
    printf("  %d CPU(s) in the device tree\n\n", ncpus);
    mandelbrot();
    printf("\n");
    report(ncpus >= 1, "device tree lists the CPUs");
    report(boot_el == 2 || boot_el == 1, "entered at EL2 or EL1 (boot protocol)");
    report_summary();
    printf("  powering off with PSCI SYSTEM_OFF\n");
    psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
    guest_abort("PSCI SYSTEM_OFF returned");
}
