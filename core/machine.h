/*
 * The machine: RAM, devices, vCPUs, the virtual clock. "virt" follows QEMU's
 * virt board memory map (docs/machine.md).
 */
#ifndef TANDEM_CORE_MACHINE_H
#define TANDEM_CORE_MACHINE_H

#include "core/addrspace.h"
#include "core/event.h"
#include "core/types.h"

#define MACHINE_MAX_CPUS 8

struct CPUState;
struct Device;

/* QEMU virt memory map (hw/arm/virt.c layout, same addresses). */
#define VIRT_FLASH_BASE      0x00000000ULL
#define VIRT_FLASH_SIZE      0x08000000ULL
#define VIRT_GIC_DIST_BASE   0x08000000ULL
#define VIRT_GIC_DIST_SIZE   0x00010000ULL
#define VIRT_GIC_ITS_BASE    0x08080000ULL
#define VIRT_GIC_REDIST_BASE 0x080a0000ULL
#define VIRT_GIC_REDIST_SIZE 0x00f60000ULL
#define VIRT_UART_BASE       0x09000000ULL
#define VIRT_UART_SIZE       0x00001000ULL
#define VIRT_RTC_BASE        0x09010000ULL
#define VIRT_RTC_SIZE        0x00001000ULL
#define VIRT_FW_CFG_BASE     0x09020000ULL
#define VIRT_GPIO_BASE       0x09030000ULL
#define VIRT_MMIO_BASE       0x0a000000ULL   /* 32 virtio-mmio slots of 0x200 */
#define VIRT_SECURE_MEM_BASE 0x0e000000ULL   /* secure=on: QEMU's secure RAM (Secure-only there) */
#define VIRT_SECURE_MEM_SIZE 0x01000000ULL
#define VIRT_MMIO_SIZE       0x00000200ULL
#define VIRT_MMIO_COUNT      32
#define VIRT_RAM_BASE        0x40000000ULL
/* SPI numbers (INTID = 32 + n) */
#define VIRT_UART_IRQ   1
#define VIRT_RTC_IRQ    2
#define VIRT_MMIO_IRQ   16

/* Machine options from -M/-machine and the rest of the command line. */
typedef struct MachineOptions {
    const char *machine;      /* "virt" */
    bool virtualization;      /* EL2 present (default on) */
    bool secure;              /* EL3 with secure memory visible to the guest (default off: built-in firmware at EL3) */
    bool sdei_off;            /* -M virt,sdei=off: the built-in firmware offers no SDEI */
    int gic_version;          /* 3 */
    const char *cpu_model;    /* "-cpu" string incl. ,feature=on|off */
    int smp;
    uint64_t ram_size;
    const char *kernel, *initrd, *append, *dtb, *bios;
    const char *dumpdtb;
    bool nographic;
    const char *serial;       /* "stdio", "null", "file:PATH", "mon:stdio" */
    bool no_reboot;
    const char *gdb;          /* "tcp::1234" */
    bool wait_gdb;            /* -S */
    bool icount_host;         /* host-clock mode instead of instruction-derived time */
    struct GuestModule *modules; /* -device guest-loader list */
} MachineOptions;

typedef struct GuestModule {
    uint64_t addr;
    const char *kernel;      /* or initrd */
    const char *initrd;
    const char *bootargs;
    struct GuestModule *next;
} GuestModule;

typedef struct Machine {
    MachineOptions opts;
    AddrSpace as;
    uint8_t *ram;
    uint64_t ram_size;
    struct CPUState *cpus[MACHINE_MAX_CPUS];
    int ncpus;
    struct Device *devices;
    void *gic;                 /* devices/gicv3 */
    void *sdei;                /* devices/firmware_sdei.c: SDEI state of the built-in firmware */
    EventQueue events;         /* the virtual clock and its timers */
    /* Global exclusive monitor: physical granule reserved per CPU (~0 = none). */
    uint64_t excl_global[MACHINE_MAX_CPUS];
    /* Run state */
    bool shutdown_requested;
    int exit_code;             /* PSCI SYSTEM_OFF: 0; guest-reported failure: non-zero */
    bool reset_requested;
    void *exec;                /* cpu/exec.c: machine-wide engine state (code-page bitmap) */
    struct MachineRun *run;    /* core/machine.c private: main loop and boot state */
} Machine;

/* Request the main loop to stop with this process exit code. */
void machine_request_shutdown(Machine *m, int exit_code);
void machine_request_reset(Machine *m);

/*
 * Machine lifecycle (core/machine.c). machine_create builds RAM, vCPUs and
 * the board, loads the images and sets the boot state; machine_run runs the
 * vCPUs until shutdown and returns the process exit status.
 */
Machine *machine_create(const MachineOptions *opts, char **error);
int machine_run(Machine *m);
void machine_destroy(Machine *m);
/* Instructions each vCPU runs per turn, and virtual ns per instruction as a shift. */
void machine_set_quantum(Machine *m, uint64_t insns);
/*
 * Current virtual time in ns, including the instructions the running vCPU
 * has retired in its current turn (cpu->icount). Devices and timers that
 * need "now" inside an MMIO or system-register access use this; between
 * turns it equals m->events.now_ns.
 */
uint64_t machine_now_ns(Machine *m);
/* The DTB the guest was given, and where (for -M dumpdtb and the gdbstub). */
const void *machine_fdt(const Machine *m, size_t *size, uint64_t *pa);

#endif
