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
    if (err) {
        g_test_message("%s", err);
    }
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
    g_assert_cmpstr(prop_str(fdt, "/virtio_mmio@a003e00", "compatible"), ==, "virtio,mmio");
    /* an empty virtio-mmio slot: magic, legacy version, DeviceID 0 */
    uint64_t mmio = 0;
    g_assert_true(addrspace_read(&m->as, VIRT_MMIO_BASE + 0x200 * 31, 4, &mmio));
    g_assert_cmphex(mmio, ==, 0x74726976);
    g_assert_true(addrspace_read(&m->as, VIRT_MMIO_BASE + 0x200 * 31 + 4, 4, &mmio));
    g_assert_cmphex(mmio, ==, 1);
    g_assert_true(addrspace_read(&m->as, VIRT_MMIO_BASE + 0x200 * 31 + 8, 4, &mmio));
    g_assert_cmphex(mmio, ==, 0);

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

/* "path" and "path:prop" strings of every node and property of a tree */
static void collect(const void *fdt, int node, const char *path, GHashTable *set)
{
    g_hash_table_add(set, g_strdup(path));
    int prop;
    fdt_for_each_property_offset(prop, fdt, node) {
        const char *name;
        fdt_getprop_by_offset(fdt, prop, &name, NULL);
        g_hash_table_add(set, g_strdup_printf("%s:%s", path, name));
    }
    int child;
    fdt_for_each_subnode(child, fdt, node) {
        char *cpath = g_strdup_printf("%s/%s", strcmp(path, "/") ? path : "", fdt_get_name(fdt, child, NULL));
        collect(fdt, child, cpath, set);
        g_free(cpath);
    }
}

static bool qemu_only_ok(const char *key)
{
    /* devices Tandem does not model (yet), and their references */
    static const char *const prefixes[] = {
        "/pcie@", "/flash@", "/fw-cfg@", "/platform-bus@", "/gpio-keys", "/pl061@", "/pmu",
        "/intc@8000000/its@",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
        if (g_str_has_prefix(key, prefixes[i])) {
            return true;
        }
    }
    return false;
}

/* Tandem's additions to QEMU's tree: SDEI in the built-in firmware (QEMU has none). */
static bool tandem_only_ok(const char *key)
{
    return g_str_has_prefix(key, "/firmware");
}

/* /firmware/sdei: present with the built-in firmware, absent with -M virt,sdei=off or -bios. */
static void test_sdei_node(void)
{
    for (int variant = 0; variant < 3; variant++) {
        Machine *m = dev_test_machine_new(1, 16 << 20, true);
        m->opts.serial = "null";
        m->opts.sdei_off = variant == 1;
        m->opts.bios = variant == 2 ? "fw.bin" : NULL;
        size_t size;
        void *fdt = build(m, &size);
        int node = fdt_path_offset(fdt, "/firmware/sdei");
        if (variant == 0) {
            g_assert_cmpint(node, >=, 0);
            g_assert_cmpstr(fdt_getprop(fdt, node, "compatible", NULL), ==, "arm,sdei-1.0");
            g_assert_cmpstr(fdt_getprop(fdt, node, "method", NULL), ==, "smc");
        } else {
            g_assert_cmpint(node, <, 0);
        }
        g_free(fdt);
        virt_board_destroy(m);
        dev_test_machine_free(m);
    }
}

/* Same node and property names as QEMU's virt (values not compared). */
static void test_qemu_structure(void)
{
    char *qemu = g_find_program_in_path("qemu-system-aarch64");
    if (!qemu) {
        g_test_skip("qemu-system-aarch64 not installed");
        return;
    }
    char *path = NULL;
    int fd = g_file_open_tmp("tandem-qemu-XXXXXX.dtb", &path, NULL);
    close(fd);
    char *mopt = g_strdup_printf("virt,gic-version=3,virtualization=on,dumpdtb=%s", path);
    char *argv[] = { qemu, "-M", mopt, "-cpu", "cortex-a57", "-smp", "2", "-m", "64",
                     "-nographic", "-nodefaults", NULL };
    int status = -1;
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    char *qdtb = NULL;
    gsize qlen = 0;
    g_assert_true(g_file_get_contents(path, &qdtb, &qlen, NULL));
    g_assert_cmpint(fdt_check_header(qdtb), ==, 0);

    Machine *m = dev_test_machine_new(2, 64 << 20, true);
    m->opts.serial = "null";
    m->opts.cpu_model = "cortex-a57";
    size_t size;
    void *fdt = build(m, &size);

    GHashTable *ours = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *theirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    collect(fdt, 0, "/", ours);
    collect(qdtb, 0, "/", theirs);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, ours);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        if (!g_hash_table_contains(theirs, key) && !tandem_only_ok(key)) {
            g_test_message("only in Tandem's tree: %s", (char *)key);
            g_test_fail();
        }
    }
    g_hash_table_iter_init(&it, theirs);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        if (!g_hash_table_contains(ours, key) && !qemu_only_ok(key)) {
            g_test_message("only in QEMU's tree: %s", (char *)key);
            g_test_fail();
        }
    }
    g_hash_table_destroy(ours);
    g_hash_table_destroy(theirs);
    g_free(fdt);
    g_free(qdtb);
    g_unlink(path);
    g_free(path);
    g_free(mopt);
    g_free(qemu);
    virt_board_destroy(m);
    dev_test_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virt/tree", test_tree);
    g_test_add_func("/virt/conduit-hvc", test_conduit_hvc);
    g_test_add_func("/virt/reset", test_reset_devices);
    g_test_add_func("/virt/qemu-structure", test_qemu_structure);
    g_test_add_func("/virt/sdei-node", test_sdei_node);
    return g_test_run();
}
