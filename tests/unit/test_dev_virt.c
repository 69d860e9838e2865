/* The virt board: device creation and the generated device tree. */
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <libfdt.h>

#include "devices/virt.h"
#include "tests/unit/dev_test_env.h"

static void *build(Machine *m, size_t *size)
{
    char *err = NULL;
    g_assert_true(virt_board_init(m, &err));
    void *fdt = virt_build_fdt(m, size, &err);
    g_assert_null(err);
    g_assert_nonnull(fdt);
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    return fdt;
}

/* properties are only 4-byte aligned */
static uint64_t be64_at(const void *p, int i)
{
    fdt64_t v;
    memcpy(&v, (const char *)p + 8 * i, 8);
    return fdt64_to_cpu(v);
}

static const char *prop_str(void *fdt, const char *path, const char *name)
{
    int node = fdt_path_offset(fdt, path);
    g_assert_cmpint(node, >=, 0);
    const char *v = fdt_getprop(fdt, node, name, NULL);
    g_assert_nonnull(v);
    return v;
}

static void test_tree(void)
{
    Machine *m = dev_test_machine_new(2, 64 << 20, true);
    m->opts.serial = "null";
    m->opts.append = "console=ttyAMA0 earlycon";
    size_t size;
    void *fdt = build(m, &size);
    g_assert_cmpstr(prop_str(fdt, "/", "compatible"), ==, "linux,dummy-virt");
    g_assert_cmpstr(prop_str(fdt, "/chosen", "bootargs"), ==, "console=ttyAMA0 earlycon");
    g_assert_cmpstr(prop_str(fdt, "/chosen", "stdout-path"), ==, "/pl011@9000000");
    g_assert_cmpstr(prop_str(fdt, "/psci", "method"), ==, "smc");
    g_assert_cmpstr(prop_str(fdt, "/psci", "compatible"), ==, "arm,psci-1.0");
    g_assert_cmpstr(prop_str(fdt, "/cpus/cpu@1", "enable-method"), ==, "psci");
    g_assert_cmpstr(prop_str(fdt, "/pl011@9000000", "compatible"), ==, "arm,pl011");
    g_assert_cmpstr(prop_str(fdt, "/pl031@9010000", "compatible"), ==, "arm,pl031");

    int node = fdt_path_offset(fdt, "/memory@40000000");
    int len;
    const void *reg = fdt_getprop(fdt, node, "reg", &len);
    g_assert_cmpint(len, ==, 16);
    g_assert_cmphex(be64_at(reg, 0), ==, VIRT_RAM_BASE);
    g_assert_cmphex(be64_at(reg, 1), ==, 64 << 20);

    node = fdt_path_offset(fdt, "/cpus/cpu@1");
    const fdt32_t *cell = fdt_getprop(fdt, node, "reg", &len);
    g_assert_cmpint(len, ==, 4);
    g_assert_cmphex(fdt32_to_cpu(*cell), ==, 1);
    /* cpu-map points at the CPU nodes */
    node = fdt_path_offset(fdt, "/cpus/cpu-map/socket0/cluster0/core1");
    cell = fdt_getprop(fdt, node, "cpu", &len);
    g_assert_nonnull(cell);
    g_assert_cmpint(fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*cell)), ==,
                    fdt_path_offset(fdt, "/cpus/cpu@1"));
    /* the UART's clocks point at the fixed clock */
    node = fdt_path_offset(fdt, "/pl011@9000000");
    cell = fdt_getprop(fdt, node, "clocks", &len);
    g_assert_cmpint(len, ==, 8);
    g_assert_cmpint(fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(cell[0])), ==,
                    fdt_path_offset(fdt, "/apb-pclk"));

    g_assert_true(virt_fdt_set_initrd(fdt, 0x48000000, 0x48100000));
    node = fdt_path_offset(fdt, "/chosen");
    const void *v = fdt_getprop(fdt, node, "linux,initrd-end", &len);
    g_assert_cmpint(len, ==, 8);
    g_assert_cmphex(be64_at(v, 0), ==, 0x48100000);

    /* dumpdtb output is a valid blob that dtc decompiles */
    char *path = NULL;
    int fd = g_file_open_tmp("tandem-virt-XXXXXX.dtb", &path, NULL);
    close(fd);
    char *err = NULL;
    g_assert_true(virt_dump_fdt(fdt, path, &err));
    char *dtc = g_find_program_in_path("dtc");
    if (dtc) {
        char *argv[] = { dtc, "-I", "dtb", "-O", "dts", "-o", "/dev/null", path, NULL };
        int status = -1;
        char *errout = NULL;
        g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                   NULL, &errout, &status, NULL));
        g_assert_true(g_spawn_check_wait_status(status, NULL));
        g_free(errout);
        g_free(dtc);
    }
    g_unlink(path);
    g_free(path);
    g_free(fdt);
    virt_board_destroy(m);
    dev_test_machine_free(m);
}

static void test_conduit_hvc(void)
{
    Machine *m = dev_test_machine_new(1, 16 << 20, false);
    /* a CPU with neither EL2 nor EL3: the firmware is reached by HVC */
    m->cpus[0]->id.ID_AA64PFR0_EL1 &= ~(0xffULL << 8);
    m->opts.serial = "null";
    size_t size;
    void *fdt = build(m, &size);
    g_assert_cmpstr(prop_str(fdt, "/psci", "method"), ==, "hvc");
    g_free(fdt);
    virt_board_destroy(m);
    dev_test_machine_free(m);
}

static void test_reset_devices(void)
{
    Machine *m = dev_test_machine_new(1, 16 << 20, true);
    m->opts.serial = "null";
    char *err = NULL;
    g_assert_true(virt_board_init(m, &err));
    g_assert_true(addrspace_write(&m->as, VIRT_UART_BASE + 0x38, 4, 0x70));   /* IMSC */
    virt_board_reset(m);
    uint64_t v = 1;
    g_assert_true(addrspace_read(&m->as, VIRT_UART_BASE + 0x38, 4, &v));
    g_assert_cmphex(v, ==, 0);
    virt_board_destroy(m);
    dev_test_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virt/tree", test_tree);
    g_test_add_func("/virt/conduit-hvc", test_conduit_hvc);
    g_test_add_func("/virt/reset", test_reset_devices);
    return g_test_run();
}
