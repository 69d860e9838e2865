/*
 * The machine: RAM, vCPUs, the virt board, image loading, boot state and the
 * main loop (core/machine.h).
 *
 * Main loop: one host thread runs the vCPUs round-robin, each for a quantum
 * of instructions (cpu_run). Virtual time is global and advances with every
 * instruction any vCPU retires (1 ns << icount_shift per instruction, see
 * docs/impdef.md), so a run is deterministic and time never goes backwards
 * between vCPUs. A turn is cut short at the next timer deadline, so events
 * fire at their exact instruction. When every vCPU is halted (WFI/WFE, or
 * powered off) time jumps to the next deadline; if there is none, nothing
 * can ever wake the machine and the run ends with an error.
 */
#include "core/machine.h"
#include "cpu/exec.h"
#include "core/gdbstub.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/loader.h"
#include "core/log.h"
#include "cpu/cpu.h"
#include "cpu/features.h"
#include "devices/virt.h"

#include "devices/firmware.h"

#define FLASH_BIOS_SIZE (64ULL << 20)
#define DEFAULT_QUANTUM 10000
/* Longest virtual-time jump while every vCPU waits before the run is declared wedged. */
#define MACHINE_IDLE_LIMIT_NS (3600ULL * 1000000000ULL)

typedef struct Span {
    const char *what;
    uint64_t lo, hi;
} Span;

#define MAX_SPANS 40

typedef struct MachineRun {
    uint64_t quantum;
    unsigned shift;                 /* ns per instruction = 1 << shift */
    CPUState *current;              /* vCPU inside cpu_run */
    uint64_t turn_start_ns;
    uint64_t turn_start_icount;
    uint64_t host_base_ns;
    /* Boot images, kept for reset. */
    LoadedImage kernel;
    bool have_kernel;
    uint64_t dtb_pa;
    void *fdt;
    size_t fdt_size;
    uint8_t *kernel_data, *initrd_data;
    size_t kernel_size, initrd_size;
    uint64_t initrd_pa;
    uint8_t *flash;
    uint8_t *secure_ram;            /* secure=on: VIRT_SECURE_MEM */
    bool ram_mmapped;
    Span spans[MAX_SPANS];      /* what the loaders placed, for the overlap check */
    int nspans;
    bool board_inited;          /* virt_board_init was called (destroy what it made) */
} MachineRun;

static uint64_t host_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void machine_request_shutdown(Machine *m, int exit_code)
{
    if (!m->shutdown_requested) {
        m->shutdown_requested = true;
        m->exit_code = exit_code;
    }
    for (int i = 0; i < m->ncpus; i++) {
        if (m->cpus[i]) {
            m->cpus[i]->exit_request = 1;
        }
    }
}

void machine_request_reset(Machine *m)
{
    if (m->opts.no_reboot) {
        machine_request_shutdown(m, 0);
        return;
    }
    m->reset_requested = true;
    for (int i = 0; i < m->ncpus; i++) {
        if (m->cpus[i]) {
            m->cpus[i]->exit_request = 1;
        }
    }
}

void machine_set_quantum(Machine *m, uint64_t insns)
{
    m->run->quantum = insns ? insns : DEFAULT_QUANTUM;
}

uint64_t machine_now_ns(Machine *m)
{
    MachineRun *r = m->run;
    if (m->opts.icount_host) {
        return host_now_ns() - r->host_base_ns;
    }
    if (r && r->current) {
        return r->turn_start_ns + ((r->current->icount - r->turn_start_icount) << r->shift);
    }
    return m->events.now_ns;
}

const void *machine_fdt(const Machine *m, size_t *size, uint64_t *pa)
{
    if (size) {
        *size = m->run->fdt_size;
    }
    if (pa) {
        *pa = m->run->dtb_pa;
    }
    return m->run->fdt;
}

/* ---------------------------------------------------------------- loading */

static bool check_overlaps(const Span *s, int n, char **error)
{
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            if (s[i].lo < s[j].hi && s[j].lo < s[i].hi) {
                *error = g_strdup_printf("%s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)", s[i].what,
                                         (unsigned long long)s[i].lo, (unsigned long long)s[i].hi, s[j].what,
                                         (unsigned long long)s[j].lo, (unsigned long long)s[j].hi);
                return false;
            }
        }
    }
    return true;
}

/* Read files once (machine_create); place them in RAM (also after a reset). */
static bool machine_read_images(Machine *m, char **error)
{
    MachineRun *r = m->run;
    const MachineOptions *o = &m->opts;
    if (o->kernel) {
        if (!loader_read_file(o->kernel, LOADER_MAX_FILE, &r->kernel_data, &r->kernel_size, error) ||
            !loader_maybe_gunzip(&r->kernel_data, &r->kernel_size, m->ram_size, error)) {
            char *e = g_strdup_printf("-kernel %s: %s", o->kernel, *error);
            g_free(*error);
            *error = e;
            return false;
        }
    }
    if (o->initrd) {
        if (!o->kernel) {
            *error = g_strdup("-initrd needs -kernel");
            return false;
        }
        if (!loader_read_file(o->initrd, LOADER_MAX_FILE, &r->initrd_data, &r->initrd_size, error)) {
            char *e = g_strdup_printf("-initrd: %s", *error);
            g_free(*error);
            *error = e;
            return false;
        }
    }
    return true;
}

/* The kernel, initrd and firmware (needs only RAM). */
static bool machine_load_payload(Machine *m, char **error)
{
    MachineRun *r = m->run;
    const MachineOptions *o = &m->opts;
    Span *spans = r->spans;
    int nspans = 0;

    if (o->bios) {
        uint8_t *data;
        size_t size;
        if (!loader_read_file(o->bios, FLASH_BIOS_SIZE, &data, &size, error)) {
            char *e = g_strdup_printf("-bios: %s", *error);
            g_free(*error);
            *error = e;
            return false;
        }
        memset(r->flash, 0, FLASH_BIOS_SIZE);
        memcpy(r->flash, data, size);
        g_free(data);
    }

    if (o->kernel) {
        if (!loader_load_kernel(&m->as, VIRT_RAM_BASE, m->ram_size, r->kernel_data, r->kernel_size, o->kernel,
                                &r->kernel, error)) {
            return false;
        }
        r->have_kernel = true;
        spans[nspans++] = (Span){ "the kernel", r->kernel.low_pa, r->kernel.high_pa };
    }

    r->initrd_pa = loader_initrd_pa(VIRT_RAM_BASE, m->ram_size, r->have_kernel ? &r->kernel : NULL);
    if (r->initrd_data) {
        if (!loader_load_blob(&m->as, VIRT_RAM_BASE, m->ram_size, r->initrd_pa, r->initrd_data, r->initrd_size,
                              "the initrd", error)) {
            return false;
        }
        spans[nspans++] = (Span){ "the initrd", r->initrd_pa, r->initrd_pa + r->initrd_size };
    }
    r->nspans = nspans;
    return true;
}

/* The device tree (needs the board) and the guest-loader modules. */
static bool machine_load_dtb(Machine *m, char **error)
{
    MachineRun *r = m->run;
    const MachineOptions *o = &m->opts;
    Span *spans = r->spans;
    int nspans = r->nspans;

    /* The device tree: the user's, or the board's. */
    g_free(r->fdt);
    r->fdt = NULL;
    bool user_dtb = o->dtb != NULL;
    if (user_dtb) {
        uint8_t *data;
        size_t size;
        if (!loader_read_file(o->dtb, 64ULL << 20, &data, &size, error)) {
            char *e = g_strdup_printf("-dtb: %s", *error);
            g_free(*error);
            *error = e;
            return false;
        }
        r->fdt = data;
        r->fdt_size = size;
    } else {
        void *blob = virt_build_fdt(m, &r->fdt_size, error);
        if (!blob) {
            return false;
        }
        /* virt_build_fdt's blob is malloc'd; keep ours in g_malloc memory. */
        r->fdt = g_memdup2(blob, r->fdt_size);
        free(blob);
    }
    FdtBootInfo info = {
        .bootargs = o->append,
        .initrd_pa = r->initrd_pa,
        .initrd_size = r->initrd_data ? r->initrd_size : 0,
        .ram_base = VIRT_RAM_BASE,
        .ram_size = m->ram_size,
        .fix_memory = user_dtb,
    };
    if (!loader_fdt_fixup(&r->fdt, &r->fdt_size, &info, error)) {
        return false;
    }

    /* Xen / multiboot modules (-device guest-loader). */
    for (GuestModule *mod = o->modules; mod; mod = mod->next) {
        const char *path = mod->kernel ? mod->kernel : mod->initrd;
        uint8_t *data;
        size_t size;
        if (!loader_read_file(path, m->ram_size, &data, &size, error)) {
            char *e = g_strdup_printf("-device guest-loader: %s", *error);
            g_free(*error);
            *error = e;
            return false;
        }
        bool ok = loader_load_blob(&m->as, VIRT_RAM_BASE, m->ram_size, mod->addr, data, size, path, error) &&
                  loader_fdt_add_module(&r->fdt, &r->fdt_size, mod->addr, size, mod->kernel != NULL,
                                        mod->bootargs, error);
        g_free(data);
        if (!ok) {
            return false;
        }
        if (nspans < MAX_SPANS - 1) {
            spans[nspans++] = (Span){ mod->kernel ? "a guest-loader kernel" : "a guest-loader initrd", mod->addr,
                                      mod->addr + size };
        }
    }

    /*
     * Where the DTB goes (QEMU hw/arm/boot.c): after the initrd, 2 MiB
     * aligned, for Image/raw kernels; for an ELF at the bottom of RAM when
     * the image leaves room there, else after the image; with -bios and no
     * kernel at the bottom of RAM.
     */
    uint64_t dtb_pa;
    if (o->bios && !r->have_kernel) {
        /* Firmware boot: at the bottom of RAM, where QEMU puts it for the firmware to find. */
        dtb_pa = VIRT_RAM_BASE;
    } else if (r->have_kernel && r->kernel.kind == IMAGE_ELF64) {
        if (r->kernel.low_pa >= VIRT_RAM_BASE + r->fdt_size) {
            dtb_pa = VIRT_RAM_BASE;
        } else {
            dtb_pa = loader_dtb_pa(r->kernel.high_pa, 0);
        }
    } else {
        dtb_pa = loader_dtb_pa(r->initrd_pa, r->initrd_data ? r->initrd_size : 0);
    }
    if (!loader_load_blob(&m->as, VIRT_RAM_BASE, m->ram_size, dtb_pa, r->fdt, r->fdt_size, "the device tree",
                          error)) {
        return false;
    }
    spans[nspans++] = (Span){ "the device tree", dtb_pa, dtb_pa + r->fdt_size };
    r->dtb_pa = dtb_pa;
    return check_overlaps(spans, nspans, error);
}

/* Every vCPU to its reset state, then the boot state of the images. */
static bool machine_boot_cpus(Machine *m, char **error)
{
    MachineRun *r = m->run;
    for (int i = 0; i < m->ncpus; i++) {
        CPUState *cpu = m->cpus[i];
        cpu_reset(cpu);
        if (m->opts.bios) {
            /* Own firmware: every CPU starts at the reset vector in flash (EL3, pc 0). */
            continue;
        }
        if (i == 0) {
            /* Linux arm64 boot protocol: EL2 (EL1 without virtualization), MMU off, x0 = DTB. */
            /* The firmware picks EL2, or EL1 when the CPU has no EL2 (virtualization=off). */
            firmware_enter_payload(cpu, r->kernel.entry, r->dtb_pa);
        } else {
            /* Secondaries wait for PSCI CPU_ON. */
            cpu->powered_off = true;
            cpu->halted = true;
        }
    }
    return true;
}

Machine *machine_create(const MachineOptions *opts, char **error)
{
    if (!opts->kernel && !opts->bios) {
        *error = g_strdup("nothing to run: give -kernel FILE (or -bios FILE)");
        return NULL;
    }
    Machine *m = g_new0(Machine, 1);
    MachineRun *r = g_new0(MachineRun, 1);
    m->run = r;
    m->opts = *opts;
    r->quantum = DEFAULT_QUANTUM;
    addrspace_init(&m->as);
    event_queue_init(&m->events);
    m->events.host_clock = opts->icount_host;
    r->host_base_ns = host_now_ns();
    m->events.host_base_ns = r->host_base_ns;
    for (int i = 0; i < MACHINE_MAX_CPUS; i++) {
        m->excl_global[i] = ~0ULL;
    }

    /* RAM: anonymous memory, committed lazily by the host as the guest touches it. */
    m->ram_size = opts->ram_size;
    void *ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ram == MAP_FAILED) {
        *error = g_strdup_printf("cannot allocate %llu MiB of guest RAM", (unsigned long long)(m->ram_size >> 20));
        g_free(r);
        g_free(m);
        return NULL;
    }
    m->ram = ram;
    r->ram_mmapped = true;
    if (!addrspace_add_ram(&m->as, "ram", VIRT_RAM_BASE, m->ram_size, m->ram)) {
        *error = g_strdup("cannot map guest RAM");
        machine_destroy(m);
        return NULL;
    }
    if (opts->secure) {
        /* QEMU's virt with secure=on has 16 MiB of RAM for the Secure
         * firmware (TF-A's BL31/BL32 live there). Tandem has one physical
         * address space, so Non-secure accesses reach it too (docs/devices.md). */
        r->secure_ram = g_malloc0(VIRT_SECURE_MEM_SIZE);
        if (!addrspace_add_ram(&m->as, "secure-ram", VIRT_SECURE_MEM_BASE, VIRT_SECURE_MEM_SIZE, r->secure_ram)) {
            *error = g_strdup("cannot map the secure RAM");
            machine_destroy(m);
            return NULL;
        }
    }
    if (opts->bios) {
        r->flash = g_malloc0(FLASH_BIOS_SIZE);
        if (!addrspace_add_rom(&m->as, "flash0", VIRT_FLASH_BASE, FLASH_BIOS_SIZE, r->flash)) {
            *error = g_strdup("cannot map the flash");
            machine_destroy(m);
            return NULL;
        }
    }

    /* Files and payload first: a bad image is reported before anything else. */
    if (!machine_read_images(m, error) || !machine_load_payload(m, error)) {
        machine_destroy(m);
        return NULL;
    }
    for (int i = 0; i < opts->smp; i++) {
        m->cpus[i] = cpu_create(m, i, opts->cpu_model, error);
        if (!m->cpus[i]) {
            machine_destroy(m);
            return NULL;
        }
        m->ncpus = i + 1;
    }
    /* RAM must lie inside the CPU's physical address space (-cpu ...,pa-bits=N). */
    unsigned pa_bits = cpu_pa_bits(m->cpus[0]);
    if (VIRT_RAM_BASE + m->ram_size > 1ULL << pa_bits) {
        *error = g_strdup_printf("-m %llu MiB: RAM [0x%llx, 0x%llx) does not fit the CPU's %u-bit physical "
                                 "address space (ID_AA64MMFR0_EL1.PARange; -cpu ...,pa-bits=N)",
                                 (unsigned long long)(m->ram_size >> 20), (unsigned long long)VIRT_RAM_BASE,
                                 (unsigned long long)(VIRT_RAM_BASE + m->ram_size), pa_bits);
        machine_destroy(m);
        return NULL;
    }
    r->board_inited = true;
    if (!virt_board_init(m, error) || !machine_load_dtb(m, error) || !machine_boot_cpus(m, error)) {
        machine_destroy(m);
        return NULL;
    }
    return m;
}

void machine_destroy(Machine *m)
{
    if (!m) {
        return;
    }
    MachineRun *r = m->run;
    if (r->board_inited) {
        virt_board_destroy(m);
    }
    for (int i = 0; i < m->ncpus; i++) {
        cpu_destroy(m->cpus[i]);
    }
    exec_machine_destroy(m);   /* code-page bitmaps shared by the vCPUs */
    addrspace_destroy(&m->as);
    if (m->ram && r->ram_mmapped) {
        munmap(m->ram, m->ram_size);
    }
    g_free(r->flash);
    g_free(r->secure_ram);
    g_free(r->fdt);
    g_free(r->kernel_data);
    g_free(r->initrd_data);
    g_free(r);
    g_free(m);
}

/* ---------------------------------------------------------------- main loop */

static bool machine_reset(Machine *m, char **error)
{
    m->reset_requested = false;
    virt_board_reset(m);
    return machine_load_payload(m, error) && machine_load_dtb(m, error) && machine_boot_cpus(m, error);
}

/* A halted vCPU wakes on a pending interrupt (WFI) or a set event register (WFE). */
static bool cpu_can_run(CPUState *cpu)
{
    if (cpu->powered_off) {
        return false;
    }
    if (cpu->halted && (cpu->irq_lines || cpu->event_register)) {
        cpu->halted = false;
    }
    return !cpu->halted;
}

static void machine_advance_time(Machine *m, uint64_t now_ns)
{
    event_run_until(&m->events, now_ns);
}

int machine_run(Machine *m)
{
    MachineRun *r = m->run;
    r->shift = (unsigned)m->events.ns_per_insn_shift;
    int next = 0;
    while (!m->shutdown_requested) {
        if (m->reset_requested) {
            char *error = NULL;
            if (!machine_reset(m, &error)) {
                fprintf(stderr, "tandem: reset failed: %s\n", error);
                g_free(error);
                return 1;
            }
        }
        /* gdb holds the machine: no vCPU runs and virtual time stands still (core/gdbstub.h). */
        if (!gdbstub_poll(m, 50)) {
            continue;
        }
        bool ran = false;
        for (int k = 0; k < m->ncpus && !m->shutdown_requested && !m->reset_requested; k++) {
            CPUState *cpu = m->cpus[(next + k) % m->ncpus];
            if (!gdbstub_cpu_may_run(cpu) || !cpu_can_run(cpu)) {
                continue;
            }
            uint64_t now = m->opts.icount_host ? machine_now_ns(m) : m->events.now_ns;
            uint64_t budget = r->quantum;
            uint64_t deadline = event_next_deadline(&m->events);
            if (!m->opts.icount_host && deadline != UINT64_MAX) {
                uint64_t until = deadline > now ? (deadline - now) >> r->shift : 0;
                budget = MIN(budget, MAX(until, 1));
            }
            r->current = cpu;
            r->turn_start_ns = now;
            r->turn_start_icount = cpu->icount;
            uint64_t retired = cpu_run(cpu, budget);
            r->current = NULL;
            machine_advance_time(m, m->opts.icount_host ? machine_now_ns(m) : now + (retired << r->shift));
            ran = true;
        }
        next = (next + 1) % (m->ncpus ? m->ncpus : 1);
        if (ran || m->shutdown_requested || m->reset_requested) {
            continue;
        }
        /* Every vCPU waits: jump to the next event (or sleep until it, on the host clock). */
        uint64_t deadline = event_next_deadline(&m->events);
        uint64_t idle_now = m->opts.icount_host ? machine_now_ns(m) : m->events.now_ns;
        bool wedged = deadline == UINT64_MAX || (deadline > idle_now && deadline - idle_now > MACHINE_IDLE_LIMIT_NS);
        if (wedged && gdbstub_idle(m)) {
            continue;   /* gdb is attached: it now holds the machine instead of Tandem exiting */
        }
        if (wedged) {
            /* Nothing due, or only something absurdly far away (e.g. the RTC's
             * alarm at the counter wrap): the guest is wedged (docs/impdef.md). */
            bool any_on = false;
            for (int i = 0; i < m->ncpus; i++) {
                any_on |= !m->cpus[i]->powered_off;
            }
            fprintf(stderr, "tandem: %s and no event is due within %llu s of virtual time: "
                    "nothing can wake the machine\n",
                    any_on ? "every vCPU is waiting (WFI/WFE)" : "every vCPU is powered off",
                    (unsigned long long)(MACHINE_IDLE_LIMIT_NS / 1000000000ULL));
            return 1;
        }
        if (m->opts.icount_host) {
            uint64_t now = machine_now_ns(m);
            if (deadline > now) {
                uint64_t ns = MIN(deadline - now, 10000000ULL);
                g_usleep(ns / 1000);
            }
            machine_advance_time(m, machine_now_ns(m));
        } else {
            machine_advance_time(m, deadline);
        }
    }
    return m->exit_code;
}
