/* Command-line parsing (core/cli.c): QEMU spellings, defaults, errors. */
#include <glib.h>

#include "core/cli.h"

static bool parse(CliConfig *cfg, char **error, ...)
{
    char *argv[32] = { "tandem" };
    int argc = 1;
    va_list ap;
    va_start(ap, error);
    for (const char *a; (a = va_arg(ap, const char *));) {
        argv[argc++] = (char *)a;
    }
    va_end(ap);
    *error = NULL;
    return cli_parse(argc, argv, cfg, error);
}

static void test_defaults(void)
{
    CliConfig c;
    char *e;
    g_assert_true(parse(&c, &e, NULL));
    g_assert_true(c.machine.virtualization);   /* EL2 present, kernel entered at EL2 */
    g_assert_false(c.machine.secure);
    g_assert_cmpint(c.machine.smp, ==, 1);
    g_assert_cmpuint(c.machine.ram_size, ==, 1ULL << 30);
    g_assert_cmpstr(c.machine.cpu_model, ==, "max");
}

static void test_qemu_line(void)
{
    CliConfig c;
    char *e;
    g_assert_true(parse(&c, &e, "-M", "virt,virtualization=off,secure=on,gic-version=3", "-cpu",
                        "max,sve=off", "-smp", "4", "-m", "2G", "-kernel", "Image", "-initrd", "rd", "-append",
                        "console=ttyAMA0", "-nographic", "-no-reboot", "-d", "int,mmu", "-D", "/tmp/x",
                        "-semihosting", "-serial", "mon:stdio", "--machine", "virt", NULL));
    g_assert_false(c.machine.virtualization);
    g_assert_true(c.machine.secure);
    g_assert_cmpstr(c.machine.cpu_model, ==, "max,sve=off");
    g_assert_cmpint(c.machine.smp, ==, 4);
    g_assert_cmpuint(c.machine.ram_size, ==, 2ULL << 30);
    g_assert_cmpstr(c.machine.kernel, ==, "Image");
    g_assert_cmpstr(c.machine.append, ==, "console=ttyAMA0");
    g_assert_true(c.machine.no_reboot && c.machine.nographic && c.semihosting);
    g_assert_cmpstr(c.log_file, ==, "/tmp/x");
    g_assert_cmpuint(c.log_mask, !=, 0);
    cli_free(&c);
}

static void test_guest_loader(void)
{
    CliConfig c;
    char *e;
    g_assert_true(parse(&c, &e, "-device", "guest-loader,addr=0x47000000,kernel=vmlinuz,bootargs=root=/dev/vda",
                        "-device", "guest-loader,addr=0x48000000,initrd=rd", NULL));
    g_assert_nonnull(c.machine.modules);
    g_assert_cmphex(c.machine.modules->addr, ==, 0x47000000);
    g_assert_cmpstr(c.machine.modules->bootargs, ==, "root=/dev/vda");
    g_assert_nonnull(c.machine.modules->next);
    g_assert_cmpstr(c.machine.modules->next->initrd, ==, "rd");
    cli_free(&c);
}

static void test_errors(void)
{
    static const char *const bad[][3] = {
        { "-bogus" }, { "-smp", "9" }, { "-smp", "0" }, { "-smp", "x" }, { "-m", "12X" }, { "-m", "0" },
        { "-M", "sbsa-ref" }, { "-M", "virt,foo=1" }, { "-M", "virt,gic-version=2" },
        { "-M", "virt,virtualization=maybe" }, { "-d", "int,nope" }, { "-kernel" }, { "-serial", "tcp:x" },
        { "-device", "virtio-blk" }, { "-device", "guest-loader,kernel=x" },
        { "-device", "guest-loader,addr=1,kernel=x,initrd=y" }, { "-icount", "shift=99" }, { "-enable-kvm" },
        { "stray" }, { "-nographic=1" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        CliConfig c;
        char *e;
        g_assert_false(parse(&c, &e, bad[i][0], bad[i][1], NULL));
        g_assert_nonnull(e);
        g_assert_null(strchr(e, '\n'));     /* one line */
        g_free(e);
        cli_free(&c);
    }
}

static void test_sizes(void)
{
    uint64_t b;
    g_assert_true(cli_parse_size("512M", &b));
    g_assert_cmpuint(b, ==, 512ULL << 20);
    g_assert_true(cli_parse_size("2048", &b));   /* MiB */
    g_assert_cmpuint(b, ==, 2ULL << 30);
    g_assert_true(cli_parse_size("1.5G", &b));
    g_assert_cmpuint(b, ==, 3ULL << 29);
    g_assert_true(cli_parse_size("64KiB", &b));
    g_assert_cmpuint(b, ==, 64ULL << 10);
    g_assert_false(cli_parse_size("", &b));
    g_assert_false(cli_parse_size("-1G", &b));
    g_assert_false(cli_parse_size("1Q", &b));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cli/defaults", test_defaults);
    g_test_add_func("/cli/qemu_line", test_qemu_line);
    g_test_add_func("/cli/guest_loader", test_guest_loader);
    g_test_add_func("/cli/errors", test_errors);
    g_test_add_func("/cli/sizes", test_sizes);
    return g_test_run();
}
