/*
 * The "virt" board (QEMU hw/arm/virt.c memory map and device tree layout):
 * creates the devices on a Machine whose RAM and CPUs exist and generates
 * the flattened device tree the payload receives in x0.
 */
#include "devices/virt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>
#include <libfdt.h>

#include "cpu/cpu.h"
#include "devices/chardev.h"
#include "devices/device.h"
#include "devices/fdt_util.h"
#include "devices/firmware.h"
#include "devices/firmware_sdei.h"
#include "devices/gicv3.h"
#include "devices/pl011.h"
#include "devices/pl031.h"
#include "devices/timer.h"
#include "devices/virtio_mmio.h"

#define VIRT_FDT_INITIAL_SIZE (64 * 1024)
#define VIRT_FDT_SLACK (4 * 1024)      /* room left for the loader's /chosen additions */
#define VIRT_APB_PCLK_HZ 24000000u    /* QEMU's "clk24mhz" fixed clock */

static void virt_add_device(Machine *m, Device *dev)
{
    /* keep creation order (the FDT lists nodes in the same order every run) */
    Device **pp = &m->devices;
    while (*pp) {
        pp = &(*pp)->next;
    }
    dev->next = NULL;
    *pp = dev;
}

static void virt_console_quit(void *opaque)
{
    machine_request_shutdown(opaque, 0);
}

bool virt_board_init(Machine *m, char **error)
{
    GICv3 *gic = gicv3_create(m, error);
    if (!gic) {
        return false;
    }
    m->gic = gic;
    if (!timer_create_all(m, error)) {
        return false;
    }
    if (!m->opts.bios && !m->opts.sdei_off) {
        sdei_create(m);    /* SDEI in the built-in firmware (devices/firmware_sdei.c) */
    }

    const char *serial = m->opts.serial;
    if (!serial) {
        serial = m->opts.nographic ? "mon:stdio" : "stdio";
    }
    Chardev *chr = chardev_open(serial, error);
    if (!chr) {
        return false;
    }
    chardev_set_quit_handler(chr, virt_console_quit, m);
    Device *uart = pl011_create(m, VIRT_UART_BASE, 32 + VIRT_UART_IRQ,
                                gicv3_spi_line(gic, VIRT_UART_IRQ), chr, error);
    if (!uart) {
        return false;
    }
    virt_add_device(m, uart);

    Device *rtc = pl031_create(m, VIRT_RTC_BASE, 32 + VIRT_RTC_IRQ,
                               gicv3_spi_line(gic, VIRT_RTC_IRQ), error);
    if (!rtc) {
        return false;
    }
    virt_add_device(m, rtc);

    /* QEMU creates the slots from the top so that the lowest address is the
     * last one Linux probes, i.e. device "vda" on the highest slot used;
     * the tree lists them in address order either way. */
    for (int i = VIRT_MMIO_COUNT - 1; i >= 0; i--) {
        Device *d = virtio_mmio_create(m, i, gicv3_spi_line(gic, VIRT_MMIO_IRQ + i), error);
        if (!d) {
            return false;
        }
        virt_add_device(m, d);
    }
    return true;
}

void virt_board_reset(Machine *m)
{
    if (m->gic) {
        gicv3_reset(m->gic);
    }
    sdei_reset(m);
    timer_reset_all(m);
    for (Device *d = m->devices; d; d = d->next) {
        if (d->cls->reset) {
            d->cls->reset(d);
        }
    }
}

void virt_board_destroy(Machine *m)
{
    Device *d = m->devices;
    while (d) {
        Device *next = d->next;
        if (d->cls->destroy) {
            d->cls->destroy(d);
        }
        d = next;
    }
    m->devices = NULL;
    timer_destroy_all(m);
    sdei_destroy(m);
    if (m->gic) {
        gicv3_destroy(m->gic);
        m->gic = NULL;
    }
}

/* ---- device tree ---- */

static uint64_t virt_cpu_mpidr(Machine *m, int i)
{
    if (i < m->ncpus && m->cpus[i]) {
        return m->cpus[i]->id.MPIDR_EL1 & 0xff00ffffffULL;
    }
    return (uint64_t)i;   /* Aff0 = index, as QEMU virt for up to 8 CPUs per cluster */
}

static const char *virt_cpu_compatible(const char *model)
{
    static const struct { const char *prefix, *compat; } map[] = {
        { "cortex-a53", "arm,cortex-a53" }, { "cortex-a57", "arm,cortex-a57" },
        { "cortex-a72", "arm,cortex-a72" }, { "cortex-a76", "arm,cortex-a76" },
        { "neoverse-n1", "arm,neoverse-n1" }, { "neoverse-v1", "arm,neoverse-v1" },
    };
    for (size_t i = 0; model && i < ARRAY_SIZE(map); i++) {
        size_t n = strlen(map[i].prefix);
        if (!strncmp(model, map[i].prefix, n) && (model[n] == 0 || model[n] == ',')) {
            return map[i].compat;
        }
    }
    return "arm,arm-v8";   /* "max" and anything without a silicon name */
}

static int virt_fdt_cpus(Machine *m, void *fdt)
{
    int cpus = fdt_add_subnode(fdt, 0, "cpus");
    if (cpus < 0) {
        return cpus;
    }
    int err = fdt_setprop_u32(fdt, cpus, "#address-cells", 1);
    err = err ? err : fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
    int ncpus = m->ncpus <= 0 ? 1 : m->ncpus > MACHINE_MAX_CPUS ? MACHINE_MAX_CPUS : m->ncpus;
    /* libfdt adds subnodes at the front: create in reverse to list cpu@0 first */
    for (int i = ncpus - 1; i >= 0 && !err; i--) {
        uint64_t mpidr = virt_cpu_mpidr(m, i);
        char name[32];
        snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)mpidr);
        int node = fdt_add_subnode(fdt, cpus, name);
        if (node < 0) {
            return node;
        }
        err = fdt_setprop_string(fdt, node, "device_type", "cpu");
        err = err ? err : fdt_setprop_string(fdt, node, "compatible",
                                             virt_cpu_compatible(m->opts.cpu_model));
        err = err ? err : fdt_setprop_u32(fdt, node, "reg", (uint32_t)mpidr);
        err = err ? err : fdt_setprop_string(fdt, node, "enable-method", "psci");
    }
    if (err) {
        return err;
    }
    /* cpu-map: one socket, one cluster, one core per CPU (as QEMU virt) */
    uint32_t phandles[MACHINE_MAX_CPUS];
    for (int i = 0; i < ncpus; i++) {
        char path[48];
        snprintf(path, sizeof(path), "/cpus/cpu@%llx", (unsigned long long)virt_cpu_mpidr(m, i));
        phandles[i] = fdt_util_phandle(fdt, path);
        if (!phandles[i]) {
            return -FDT_ERR_NOSPACE;   /* the only way phandle assignment fails here */
        }
    }
    cpus = fdt_path_offset(fdt, "/cpus");
    int map = cpus < 0 ? cpus : fdt_add_subnode(fdt, cpus, "cpu-map");
    int socket = map < 0 ? map : fdt_add_subnode(fdt, map, "socket0");
    int cluster = socket < 0 ? socket : fdt_add_subnode(fdt, socket, "cluster0");
    if (cluster < 0) {
        return cluster;
    }
    for (int i = ncpus - 1; i >= 0; i--) {
        char name[32];
        snprintf(name, sizeof(name), "core%d", i);
        int core = fdt_add_subnode(fdt, cluster, name);
        if (core < 0) {
            return core;
        }
        if ((err = fdt_setprop_u32(fdt, core, "cpu", phandles[i])) < 0) {
            return err;
        }
        cluster = fdt_path_offset(fdt, "/cpus/cpu-map/socket0/cluster0");
    }
    return 0;
}

static int virt_fdt_psci(Machine *m, void *fdt)
{
    static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci", NULL };
    int node = fdt_add_subnode(fdt, 0, "psci");
    if (node < 0) {
        return node;
    }
    bool smc = m->ncpus > 0 && m->cpus[0] ? firmware_conduit_is_smc(m->cpus[0]) : true;
    int err = fdt_util_set_strings(fdt, node, "compatible", compat);
    err = err ? err : fdt_setprop_string(fdt, node, "method", smc ? "smc" : "hvc");
    /* PSCI 0.1 function IDs (the 64-bit ones QEMU lists) for old kernels */
    err = err ? err : fdt_setprop_u32(fdt, node, "cpu_suspend", 0xc4000001);
    err = err ? err : fdt_setprop_u32(fdt, node, "cpu_off", 0x84000002);
    err = err ? err : fdt_setprop_u32(fdt, node, "cpu_on", 0xc4000003);
    err = err ? err : fdt_setprop_u32(fdt, node, "migrate", 0xc4000005);
    return err;
}

/* /firmware/sdei (Linux drivers/firmware/arm_sdei.c), only when the built-in firmware offers it. */
static int virt_fdt_sdei(Machine *m, void *fdt)
{
    if (!sdei_present(m)) {
        return 0;
    }
    int fw = fdt_subnode_offset(fdt, 0, "firmware");
    if (fw < 0) {
        fw = fdt_add_subnode(fdt, 0, "firmware");
    }
    int node = fw < 0 ? fw : fdt_add_subnode(fdt, fw, "sdei");
    if (node < 0) {
        return node;
    }
    bool smc = m->ncpus > 0 && m->cpus[0] ? firmware_conduit_is_smc(m->cpus[0]) : true;
    int err = fdt_setprop_string(fdt, node, "compatible", "arm,sdei-1.0");
    return err ? err : fdt_setprop_string(fdt, node, "method", smc ? "smc" : "hvc");
}

static int virt_fdt_chosen(Machine *m, void *fdt)
{
    int node = fdt_add_subnode(fdt, 0, "chosen");
    if (node < 0) {
        return node;
    }
    char path[48];
    snprintf(path, sizeof(path), "/pl011@%llx", (unsigned long long)VIRT_UART_BASE);
    int err = fdt_setprop_string(fdt, node, "stdout-path", path);
    if (!err && m->opts.append) {
        err = fdt_setprop_string(fdt, node, "bootargs", m->opts.append);
    }
    /*
     * Entropy for the kernel: random from the host in host-clock mode; in
     * the default instruction-time mode a fixed sequence, so that runs are
     * reproducible (the kernel then uses the same KASLR offset every time;
     * docs/impdef.md).
     */
    GRand *rand = m->opts.icount_host ? g_rand_new() : g_rand_new_with_seed(0x7a4de3u);
    fdt32_t rng[8], kaslr[2];
    for (size_t i = 0; i < ARRAY_SIZE(rng); i++) {
        rng[i] = cpu_to_fdt32(g_rand_int(rand));
    }
    for (size_t i = 0; i < ARRAY_SIZE(kaslr); i++) {
        kaslr[i] = cpu_to_fdt32(g_rand_int(rand));
    }
    g_rand_free(rand);
    err = err ? err : fdt_setprop(fdt, node, "rng-seed", rng, sizeof(rng));
    err = err ? err : fdt_setprop(fdt, node, "kaslr-seed", kaslr, sizeof(kaslr));
    return err;
}

static int virt_fdt_clock(void *fdt)
{
    int node = fdt_add_subnode(fdt, 0, "apb-pclk");
    if (node < 0) {
        return node;
    }
    int err = fdt_setprop_string(fdt, node, "compatible", "fixed-clock");
    err = err ? err : fdt_setprop_u32(fdt, node, "#clock-cells", 0);
    err = err ? err : fdt_setprop_u32(fdt, node, "clock-frequency", VIRT_APB_PCLK_HZ);
    err = err ? err : fdt_setprop_string(fdt, node, "clock-output-names", "clk24mhz");
    return err ? err : (fdt_util_phandle(fdt, "/apb-pclk") ? 0 : -FDT_ERR_INTERNAL);
}

static int virt_fdt_memory(Machine *m, void *fdt)
{
    int node = fdt_util_add_node_at(fdt, "memory", VIRT_RAM_BASE);
    if (node < 0) {
        return node;
    }
    int err = fdt_setprop_string(fdt, node, "device_type", "memory");
    return err ? err : fdt_util_set_reg(fdt, node, VIRT_RAM_BASE, m->ram_size);
}

/* Fill the tree; 0 or a libfdt error (-FDT_ERR_NOSPACE: grow and retry). */
static int virt_fdt_fill(Machine *m, void *fdt)
{
    int err = fdt_setprop_string(fdt, 0, "compatible", "linux,dummy-virt");
    err = err ? err : fdt_setprop_string(fdt, 0, "model", "linux,dummy-virt");
    err = err ? err : fdt_setprop_u32(fdt, 0, "#address-cells", 2);
    err = err ? err : fdt_setprop_u32(fdt, 0, "#size-cells", 2);
    err = err ? err : virt_fdt_chosen(m, fdt);
    err = err ? err : virt_fdt_clock(fdt);
    err = err ? err : (m->cpus[0] && m->cpus[0]->timer ? timer_fdt_node(m, fdt) : 0);
    err = err ? err : virt_fdt_cpus(m, fdt);
    err = err ? err : (m->gic ? gicv3_fdt_node(m->gic, fdt) : 0);
    for (Device *d = m->devices; d && !err; d = d->next) {
        if (d->cls->fdt_node) {
            int r = d->cls->fdt_node(d, fdt);
            err = r < 0 ? r : 0;
        }
    }
    err = err ? err : virt_fdt_memory(m, fdt);
    err = err ? err : virt_fdt_psci(m, fdt);
    err = err ? err : virt_fdt_sdei(m, fdt);
    if (!err && m->gic) {
        uint32_t ph = fdt_util_phandle(fdt, "/intc@8000000");
        err = ph ? fdt_setprop_u32(fdt, 0, "interrupt-parent", ph) : -FDT_ERR_INTERNAL;
    }
    return err;
}

void *virt_build_fdt(Machine *m, size_t *size, char **error)
{
    for (int bufsize = VIRT_FDT_INITIAL_SIZE; bufsize <= 16 * 1024 * 1024; bufsize *= 2) {
        void *fdt = g_malloc0((size_t)bufsize);
        int err = fdt_create_empty_tree(fdt, bufsize);
        err = err ? err : virt_fdt_fill(m, fdt);
        if (err == -FDT_ERR_NOSPACE) {
            g_free(fdt);
            continue;
        }
        if (err) {
            *error = g_strdup_printf("device tree: %s", fdt_strerror(err));
            g_free(fdt);
            return NULL;
        }
        /* pack, then leave a little room for /chosen additions by the loader */
        fdt_pack(fdt);
        int total = (int)fdt_totalsize(fdt) + VIRT_FDT_SLACK;
        void *out = g_malloc0((size_t)total);
        err = fdt_open_into(fdt, out, total);
        g_free(fdt);
        if (err) {
            *error = g_strdup_printf("device tree: %s", fdt_strerror(err));
            g_free(out);
            return NULL;
        }
        *size = (size_t)total;
        return out;
    }
    *error = g_strdup("device tree: too large");
    return NULL;
}

bool virt_fdt_set_initrd(void *fdt, uint64_t start_pa, uint64_t end_pa)
{
    int node = fdt_path_offset(fdt, "/chosen");
    if (node < 0) {
        return false;
    }
    return fdt_setprop_u64(fdt, node, "linux,initrd-start", start_pa) == 0 &&
           fdt_setprop_u64(fdt, node, "linux,initrd-end", end_pa) == 0;
}

bool virt_dump_fdt(const void *fdt, const char *path, char **error)
{
    size_t len = fdt_totalsize(fdt);
    void *copy = g_memdup2(fdt, len);
    fdt_pack(copy);
    GError *gerr = NULL;
    bool ok = g_file_set_contents(path, copy, fdt_totalsize(copy), &gerr);
    g_free(copy);
    if (!ok) {
        *error = g_strdup_printf("dumpdtb: %s", gerr->message);
        g_error_free(gerr);
    }
    return ok;
}
