/*
 * In-guest KVM test: a static aarch64 Linux program run inside Linux booted
 * on the emulator (tests/linux/run-linux.py --init init-kvm.sh). It drives
 * /dev/kvm the way a VMM does and checks what the KVM ABI promises (see
 * ../shared/seeds/000 for the IPA-size ABI):
 *   - API version and KVM_CHECK_EXTENSION values, incl. KVM_CAP_ARM_VM_IPA_SIZE
 *   - KVM_CREATE_VM with the default type and with every IPA size from 32 to
 *     the reported limit; a size above the limit and below 32 refused; a
 *     memslot beyond the VM's IPA space refused
 *   - a vCPU running from RAM at the top of each IPA space, taking MMIO exits
 *     for reads and writes of every size at a high IPA
 *   - SMCCC/PSCI calls handled in the kernel (HVC)
 *   - the EL1 virtual timer interrupt delivered through the vGICv3, WFI
 *   - PSCI SYSTEM_OFF as KVM_EXIT_SYSTEM_EVENT
 * Prints one PASS/FAIL line per check and exits non-zero on any failure.
 *
 * `kvmtest bench MMIO_N HVC_N [REPS]` (make bench, tests/linux/init-kvmbench.sh)
 * instead times round trips, REPS times over: MMIO_N MMIO exits to this
 * program and HVC_N SMCCC calls answered in the kernel, each between a START
 * and an END console line. The host times those lines as they arrive (the guest clock
 * is virtual under Tandem); the END line also gives the guest-clock ns per
 * round trip, which under Tandem (1 ns per instruction) is the instruction
 * count. Exits non-zero when a round trip came back wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

extern const uint8_t guest_mmio_start[], guest_mmio_end[];
extern const uint8_t guest_hvc_start[], guest_hvc_end[];
extern const uint8_t guest_timer_start[], guest_timer_end[];
extern const uint8_t guest_bench_mmio_start[], guest_bench_mmio_end[];
extern const uint8_t guest_bench_hvc_start[], guest_bench_hvc_end[];

static int checks, failures;

static void report(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s: ", ok ? "PASS" : "FAIL");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    checks++;
    if (!ok) {
        failures++;
    }
}

#define CORE_REG(name) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
                        (offsetof(struct kvm_regs, name) / sizeof(uint32_t)))

static int kvm_fd;

typedef struct VM {
    int fd, vcpu, gic;
    struct kvm_run *run;
    uint8_t *ram;
    uint64_t ram_ipa, ram_size;
} VM;

static int vm_create(VM *vm, unsigned long type)
{
    memset(vm, 0, sizeof(*vm));
    vm->fd = ioctl(kvm_fd, KVM_CREATE_VM, type);
    vm->vcpu = vm->gic = -1;
    return vm->fd;
}

static int vm_add_ram(VM *vm, uint64_t ipa, uint64_t size, const void *code, size_t code_len)
{
    vm->ram = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (vm->ram == MAP_FAILED) {
        return -1;
    }
    memcpy(vm->ram, code, code_len);
    vm->ram_ipa = ipa;
    vm->ram_size = size;
    struct kvm_userspace_memory_region r = {
        .slot = 0, .guest_phys_addr = ipa, .memory_size = size, .userspace_addr = (uintptr_t)vm->ram,
    };
    return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);
}

static int vcpu_set(VM *vm, uint64_t id, uint64_t value)
{
    struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };
    return ioctl(vm->vcpu, KVM_SET_ONE_REG, &reg);
}

static int vm_add_vcpu(VM *vm)
{
    vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu < 0) {
        return -1;
    }
    struct kvm_vcpu_init init;
    if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
        return -1;
    }
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (ioctl(vm->vcpu, KVM_ARM_VCPU_INIT, &init) < 0) {
        return -1;
    }
    int size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
    return vm->run == MAP_FAILED ? -1 : 0;
}

static void vm_destroy(VM *vm)
{
    if (vm->vcpu >= 0) close(vm->vcpu);
    if (vm->gic >= 0) close(vm->gic);
    if (vm->fd >= 0) close(vm->fd);
    if (vm->ram && vm->ram != MAP_FAILED) munmap(vm->ram, vm->ram_size);
}

/* One MMIO exit as seen by the VMM. */
typedef struct Exit {
    uint64_t addr, data;
    uint32_t len;
    int is_write;
} Exit;

/*
 * Run until SYSTEM_OFF. Writes are recorded; reads are answered with
 * read_value(addr, len). Returns the number of MMIO exits, or -1 on an
 * unexpected exit reason (printed).
 */
static int vm_run(VM *vm, Exit *exits, int max, uint64_t (*read_value)(uint64_t, unsigned),
                  int *shutdown)
{
    int n = 0;
    *shutdown = 0;
    for (int guard = 0; guard < 10000; guard++) {
        if (ioctl(vm->vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR) continue;
            printf("  KVM_RUN: %s\n", strerror(errno));
            return -1;
        }
        struct kvm_run *r = vm->run;
        switch (r->exit_reason) {
        case KVM_EXIT_MMIO: {
            Exit e = { .addr = r->mmio.phys_addr, .len = r->mmio.len, .is_write = r->mmio.is_write };
            if (e.is_write) {
                memcpy(&e.data, r->mmio.data, e.len);
            } else {
                e.data = read_value ? read_value(e.addr, e.len) : 0;
                memcpy(r->mmio.data, &e.data, e.len);
            }
            if (n < max) exits[n] = e;
            n++;
            break;
        }
        case KVM_EXIT_SYSTEM_EVENT:
            *shutdown = r->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN;
            return n;
        default:
            printf("  unexpected exit reason %u\n", r->exit_reason);
            return -1;
        }
    }
    printf("  no SYSTEM_OFF after 10000 exits\n");
    return -1;
}

static uint64_t read_pattern(uint64_t addr, unsigned len)
{
    static const uint64_t pattern = 0xa1b2c3d4e5f60718ULL;
    return len == 8 ? pattern : (pattern & ((1ULL << (8 * len)) - 1)) ^ (addr & 0xff);
}

/* The MMIO routine at the top of an IPA space of `bits` bits (0: default type). */
static void test_mmio_at(unsigned bits)
{
    unsigned ipa_bits = bits ? bits : 40;
    const uint64_t top = 1ULL << ipa_bits;
    VM vm;
    if (vm_create(&vm, bits ? KVM_VM_TYPE_ARM_IPA_SIZE(bits) : 0) < 0) {
        report(0, "KVM_CREATE_VM with IPA size %u: %s", ipa_bits, strerror(errno));
        return;
    }
    report(1, "KVM_CREATE_VM with IPA size %u%s", ipa_bits, bits ? "" : " (default type)");
    uint64_t ram_ipa = top - 0x10000, mmio_ipa = top - 0x20000;
    int ok = vm_add_ram(&vm, ram_ipa, 0x10000, guest_mmio_start, guest_mmio_end - guest_mmio_start) == 0 &&
             vm_add_vcpu(&vm) == 0 && vcpu_set(&vm, CORE_REG(regs.pc), ram_ipa) == 0 &&
             vcpu_set(&vm, CORE_REG(regs.regs[20]), mmio_ipa) == 0;
    if (!ok) {
        report(0, "IPA %u: memslot at 0x%llx and vCPU set-up: %s", ipa_bits,
               (unsigned long long)ram_ipa, strerror(errno));
        vm_destroy(&vm);
        return;
    }
    Exit ex[16];
    int shutdown;
    int n = vm_run(&vm, ex, 16, read_pattern, &shutdown);
    static const struct { unsigned off, len; int w; } want[12] = {
        { 0, 1, 1 }, { 8, 2, 1 }, { 16, 4, 1 }, { 24, 8, 1 },
        { 32, 1, 0 }, { 40, 2, 0 }, { 48, 4, 0 }, { 56, 8, 0 },
        { 64, 8, 1 }, { 72, 8, 1 }, { 80, 8, 1 }, { 88, 8, 1 },
    };
    int good = n == 12 && shutdown;
    const uint64_t v = 0x1122334455667788ULL;
    for (int i = 0; good && i < 12; i++) {
        good = ex[i].addr == mmio_ipa + want[i].off && ex[i].len == want[i].len && ex[i].is_write == want[i].w;
        if (good && i < 4) {
            good = ex[i].data == (want[i].len == 8 ? v : v & ((1ULL << (8 * want[i].len)) - 1));
        }
        if (good && i >= 8) {   /* the loads came back zero-extended */
            good = ex[i].data == read_pattern(mmio_ipa + want[i - 4].off, want[i - 4].len);
        }
    }
    report(good, "IPA %u: vCPU at 0x%llx, %d MMIO exits at 0x%llx (all sizes, read+write), SYSTEM_OFF",
           ipa_bits, (unsigned long long)ram_ipa, n, (unsigned long long)mmio_ipa);
    vm_destroy(&vm);
}

static void test_ipa_sizes(void)
{
    int limit = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
    report(limit >= 40 && limit <= 52, "KVM_CAP_ARM_VM_IPA_SIZE = %d (40..52)", limit);
    if (limit < 32) {
        return;
    }
    test_mmio_at(0);
    for (int bits = 32; bits <= limit; bits++) {
        test_mmio_at(bits);
    }
    VM vm;
    int fd = vm_create(&vm, KVM_VM_TYPE_ARM_IPA_SIZE(limit + 1));
    report(fd < 0 && errno == EINVAL, "IPA size %d (above the limit) refused with EINVAL", limit + 1);
    if (fd >= 0) close(fd);
    fd = vm_create(&vm, KVM_VM_TYPE_ARM_IPA_SIZE(31));
    report(fd < 0 && errno == EINVAL, "IPA size 31 refused with EINVAL");
    if (fd >= 0) close(fd);

    /* A memslot beyond a 36-bit VM's IPA space. */
    if (vm_create(&vm, KVM_VM_TYPE_ARM_IPA_SIZE(36)) >= 0) {
        int r = vm_add_ram(&vm, 1ULL << 36, 0x10000, guest_mmio_start, 4);
        report(r < 0, "memslot at 2^36 in a 36-bit VM refused (%s)", r < 0 ? strerror(errno) : "accepted");
        r = ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &(struct kvm_userspace_memory_region){
            .slot = 1, .guest_phys_addr = (1ULL << 36) - 0x10000, .memory_size = 0x10000,
            .userspace_addr = (uintptr_t)vm.ram });
        report(r == 0, "memslot just below 2^36 in a 36-bit VM accepted");
        vm_destroy(&vm);
    }
}

static void test_hvc(void)
{
    VM vm;
    if (vm_create(&vm, 0) < 0 ||
        vm_add_ram(&vm, 0x40000000, 0x10000, guest_hvc_start, guest_hvc_end - guest_hvc_start) < 0 ||
        vm_add_vcpu(&vm) < 0 || vcpu_set(&vm, CORE_REG(regs.pc), 0x40000000) < 0 ||
        vcpu_set(&vm, CORE_REG(regs.regs[20]), 0x10000000) < 0) {
        report(0, "HVC test VM set-up: %s", strerror(errno));
        vm_destroy(&vm);
        return;
    }
    Exit ex[8];
    int shutdown;
    int n = vm_run(&vm, ex, 8, NULL, &shutdown);
    report(n == 5 && shutdown, "HVC VM: 5 reports then PSCI SYSTEM_OFF (got %d)", n);
    if (n == 5) {
        report(ex[0].data >= 0x10001 && ex[0].data < 0x20000, "SMCCC_VERSION = 0x%llx (1.1 or later)",
               (unsigned long long)ex[0].data);
        report(ex[1].data >= 0x10000 && ex[1].data < 0x20000, "PSCI_VERSION = 0x%llx (1.x)",
               (unsigned long long)ex[1].data);
        report(ex[2].data == 0, "PSCI_FEATURES(CPU_ON64) = %lld (0: supported)", (long long)ex[2].data);
        report((int64_t)ex[3].data == -1, "PSCI_FEATURES(0x8400001F, unallocated) = %lld (NOT_SUPPORTED)",
               (long long)ex[3].data);
        report((int32_t)ex[4].data == 0 || (int32_t)ex[4].data == -1 || (int32_t)ex[4].data == 1,
               "SMCCC_ARCH_FEATURES(WORKAROUND_1) = %d (a defined answer)", (int32_t)ex[4].data);
    }
    vm_destroy(&vm);
}

static void test_vtimer(void)
{
    VM vm;
    if (vm_create(&vm, 0) < 0 ||
        vm_add_ram(&vm, 0x40000000, 0x10000, guest_timer_start, guest_timer_end - guest_timer_start) < 0) {
        report(0, "timer VM set-up: %s", strerror(errno));
        vm_destroy(&vm);
        return;
    }
    struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
    int r = ioctl(vm.fd, KVM_CREATE_DEVICE, &cd);
    report(r == 0, "KVM_CREATE_DEVICE vgic-v3 (%s)", r == 0 ? "ok" : strerror(errno));
    if (r) {
        vm_destroy(&vm);
        return;
    }
    vm.gic = cd.fd;
    uint64_t dist = 0x08000000, redist = 0x080a0000;
    struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_ADDR,
                                 .attr = KVM_VGIC_V3_ADDR_TYPE_DIST, .addr = (uintptr_t)&dist };
    int ok = ioctl(vm.gic, KVM_SET_DEVICE_ATTR, &a) == 0;
    a.attr = KVM_VGIC_V3_ADDR_TYPE_REDIST;
    a.addr = (uintptr_t)&redist;
    ok = ok && ioctl(vm.gic, KVM_SET_DEVICE_ATTR, &a) == 0;
    ok = ok && vm_add_vcpu(&vm) == 0;
    struct kvm_device_attr init = { .group = KVM_DEV_ARM_VGIC_GRP_CTRL, .attr = KVM_DEV_ARM_VGIC_CTRL_INIT };
    ok = ok && ioctl(vm.gic, KVM_SET_DEVICE_ATTR, &init) == 0;
    ok = ok && vcpu_set(&vm, CORE_REG(regs.pc), 0x40000000) == 0 &&
         vcpu_set(&vm, CORE_REG(regs.regs[20]), 0x10000000) == 0 &&
         vcpu_set(&vm, CORE_REG(regs.regs[22]), dist) == 0 &&
         vcpu_set(&vm, CORE_REG(regs.regs[23]), redist) == 0;
    report(ok, "vGICv3 at 0x%llx/0x%llx initialised with one vCPU", (unsigned long long)dist,
           (unsigned long long)redist);
    if (!ok) {
        vm_destroy(&vm);
        return;
    }
    Exit ex[4];
    int shutdown;
    int n = vm_run(&vm, ex, 4, NULL, &shutdown);
    report(n == 2 && shutdown, "timer VM: WFI woke, 2 reports then SYSTEM_OFF (got %d)", n);
    if (n == 2) {
        report(ex[0].data == 27, "ICC_IAR1_EL1 after WFI = %llu (27: EL1 virtual timer PPI)",
               (unsigned long long)ex[0].data);
        report((ex[1].data & 5) == 5, "CNTV_CTL_EL0 = 0x%llx (ENABLE and ISTATUS set)",
               (unsigned long long)ex[1].data);
    }
    vm_destroy(&vm);
}

/* ---- bench mode ---- */

static uint64_t guest_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* What the VMM answers to the k-th MMIO read of the bench guest. */
static uint64_t bench_answer(uint64_t k)
{
    return k * 3 + 1;
}

/*
 * Run one bench VM: n round trips between the start and end markers. MMIO
 * reads of x20 are answered with bench_answer(k). Returns the end marker's
 * value (in *result, and *extra the word written at x20 + 24) and the number
 * of x20 reads, or -1 when the VM did something unexpected (printed).
 */
static long bench_vm(const char *name, const uint8_t *code, size_t code_len, uint64_t n,
                     uint64_t *result, uint64_t *extra)
{
    const uint64_t ram_ipa = 0x40000000, mmio_ipa = 0x10000000;
    VM vm;
    if (vm_create(&vm, 0) < 0 || vm_add_ram(&vm, ram_ipa, 0x10000, code, code_len) < 0 ||
        vm_add_vcpu(&vm) < 0 || vcpu_set(&vm, CORE_REG(regs.pc), ram_ipa) < 0 ||
        vcpu_set(&vm, CORE_REG(regs.regs[20]), mmio_ipa) < 0 || vcpu_set(&vm, CORE_REG(regs.regs[21]), n) < 0) {
        printf("  %s bench VM set-up: %s\n", name, strerror(errno));
        vm_destroy(&vm);
        return -1;
    }
    long reads = 0;
    uint64_t t0 = 0;
    *result = *extra = 0;
    for (;;) {
        if (ioctl(vm.vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR) continue;
            printf("  KVM_RUN: %s\n", strerror(errno));
            reads = -1;
            break;
        }
        struct kvm_run *r = vm.run;
        if (r->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
            break;
        }
        if (r->exit_reason != KVM_EXIT_MMIO || r->mmio.len != 8) {
            printf("  %s bench: unexpected exit reason %u\n", name, r->exit_reason);
            reads = -1;
            break;
        }
        uint64_t off = r->mmio.phys_addr - mmio_ipa, data = 0;
        if (off == 0 && !r->mmio.is_write) {
            data = bench_answer((uint64_t)reads++);
            memcpy(r->mmio.data, &data, 8);
        } else if (off == 8 && r->mmio.is_write) {
            printf("KVMBENCH-%s-START\n", name);
            t0 = guest_clock_ns();
        } else if (off == 16 && r->mmio.is_write) {
            uint64_t t1 = guest_clock_ns();
            printf("KVMBENCH-%s-END: %llu round trips, guest clock %.1f ns each\n", name,
                   (unsigned long long)n, (double)(t1 - t0) / (double)n);
            memcpy(result, r->mmio.data, 8);
        } else if (off == 24 && r->mmio.is_write) {
            memcpy(extra, r->mmio.data, 8);
        } else {
            printf("  %s bench: unexpected MMIO %s at 0x%llx\n", name, r->mmio.is_write ? "write" : "read",
                   (unsigned long long)r->mmio.phys_addr);
            reads = -1;
            break;
        }
    }
    vm_destroy(&vm);
    return reads;
}

static int bench_main(uint64_t n_mmio, uint64_t n_hvc, unsigned reps)
{
    if (n_mmio == 0 || n_hvc == 0 || reps == 0) {
        printf("usage: kvmtest bench MMIO_ROUND_TRIPS HVC_ROUND_TRIPS [REPETITIONS] (all > 0)\n");
        return 2;
    }
    uint64_t want = 0;
    for (uint64_t k = 0; k < n_mmio; k++) {
        want += bench_answer(k);
    }
    for (unsigned rep = 0; rep < reps; rep++) {
        uint64_t sum = 0, extra;
        long reads = bench_vm("MMIO", guest_bench_mmio_start, guest_bench_mmio_end - guest_bench_mmio_start,
                              n_mmio, &sum, &extra);
        report(reads == (long)n_mmio && sum == want, "%llu MMIO read exits to user space, answers summed to "
               "0x%llx (want 0x%llx)", (unsigned long long)reads, (unsigned long long)sum,
               (unsigned long long)want);
        uint64_t mismatches = 1, version = 0;
        reads = bench_vm("HVC", guest_bench_hvc_start, guest_bench_hvc_end - guest_bench_hvc_start, n_hvc,
                         &mismatches, &version);
        report(reads == 0 && mismatches == 0 && version >= 0x10001 && version < 0x20000,
               "%llu in-kernel SMCCC_VERSION calls, all 0x%llx (%llu differed)", (unsigned long long)n_hvc,
               (unsigned long long)version, (unsigned long long)mismatches);
    }
    printf("KVMTEST-SUMMARY: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "bench") == 0) {
        if (kvm_fd < 0) {
            printf("FAIL: open /dev/kvm (%s)\n", strerror(errno));
            return 1;
        }
        return bench_main(strtoull(argv[2], NULL, 0), strtoull(argv[3], NULL, 0),
                          argc == 5 ? (unsigned)strtoul(argv[4], NULL, 0) : 1);
    }
    report(kvm_fd >= 0, "open /dev/kvm (%s)", kvm_fd >= 0 ? "ok" : strerror(errno));
    if (kvm_fd < 0) {
        printf("KVMTEST-SUMMARY: %d checks, %d failures\n", checks, failures);
        return 1;
    }
    report(ioctl(kvm_fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION, "KVM_GET_API_VERSION = 12");
    static const struct { const char *name; long cap; } caps[] = {
        { "KVM_CAP_USER_MEMORY", KVM_CAP_USER_MEMORY },
        { "KVM_CAP_ONE_REG", KVM_CAP_ONE_REG },
        { "KVM_CAP_ARM_PSCI_0_2", KVM_CAP_ARM_PSCI_0_2 },
        { "KVM_CAP_DEVICE_CTRL", KVM_CAP_DEVICE_CTRL },
        { "KVM_CAP_SYSTEM_EVENT_DATA", KVM_CAP_SYSTEM_EVENT_DATA },
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        int v = ioctl(kvm_fd, KVM_CHECK_EXTENSION, caps[i].cap);
        report(v > 0, "KVM_CHECK_EXTENSION(%s) = %d", caps[i].name, v);
    }
    printf("INFO: KVM_CAP_ARM_SVE = %d, KVM_CAP_ARM_PMU_V3 = %d, KVM_CAP_NR_VCPUS = %d\n",
           ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE),
           ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3),
           ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS));
    test_ipa_sizes();
    test_hvc();
    test_vtimer();
    printf("KVMTEST-SUMMARY: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
