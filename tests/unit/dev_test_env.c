/* Test environment for device unit tests (see dev_test_env.h). */
#include "tests/unit/dev_test_env.h"

#include <glib.h>

DevTestLog dev_test_log;

void machine_request_shutdown(Machine *m, int exit_code)
{
    m->shutdown_requested = true;
    m->exit_code = exit_code;
    dev_test_log.shutdown_calls++;
    dev_test_log.shutdown_code = exit_code;
}

uint64_t machine_now_ns(Machine *m)
{
    return m->events.now_ns;   /* no turn in progress in unit tests */
}

void machine_request_reset(Machine *m)
{
    m->reset_requested = true;
    dev_test_log.reset_calls++;
}

void cpu_reset(CPUState *cpu)
{
    /* what matters to the firmware: the CPU comes out of reset at EL3, MMU off */
    cpu->el = 3;
    cpu->sr.SCTLR_ELx[1] = cpu->sr.SCTLR_ELx[2] = cpu->sr.SCTLR_ELx[3] = 0;
    dev_test_log.cpu_reset_calls++;
}

void cpu_update_el_state(CPUState *cpu)
{
    dev_test_log.el_state_updates++;
}

/* PSTATE <-> SPSR for the fields the firmware moves (SDEI dispatch/complete). */
uint64_t cpu_get_pstate(const CPUState *cpu)
{
    return (cpu->nzcv & 0xf0000000u) | (cpu->daif & 0x3c0u) | (uint64_t)cpu->el << 2 | (cpu->spsel & 1);
}

void cpu_set_pstate(CPUState *cpu, uint64_t spsr)
{
    cpu->nzcv = (uint32_t)spsr & 0xf0000000u;
    cpu->daif = (uint32_t)spsr & 0x3c0u;
    cpu->el = (spsr >> 2) & 3;
    cpu->spsel = spsr & 1;
}

void cpu_set_irq_line(CPUState *cpu, uint32_t line, bool level)
{
    if (level) {
        cpu->irq_lines |= line;
    } else {
        cpu->irq_lines &= ~line;
    }
    cpu->exit_request = 1;
}

Machine *dev_test_machine_new(int ncpus, uint64_t ram_size, bool have_el2)
{
    Machine *m = g_new0(Machine, 1);
    addrspace_init(&m->as);
    event_queue_init(&m->events);
    m->opts.machine = "virt";
    m->opts.virtualization = have_el2;
    m->opts.smp = ncpus;
    m->opts.ram_size = ram_size;
    m->ram_size = ram_size;
    m->ram = g_malloc0(ram_size);
    g_assert_true(addrspace_add_ram(&m->as, "ram", VIRT_RAM_BASE, ram_size, m->ram));
    m->ncpus = ncpus;
    for (int i = 0; i < ncpus; i++) {
        CPUState *cpu = g_new0(CPUState, 1);
        cpu->cpu_index = i;
        cpu->machine = m;
        cpu->id.MPIDR_EL1 = (1ULL << 31) | (uint64_t)i;
        /* EL0/EL1 AArch64, EL2 as asked, EL3 */
        cpu->id.ID_AA64PFR0_EL1 = 0x1 | (0x1 << 4) | ((uint64_t)(have_el2 ? 1 : 0) << 8) |
                                  (0x1ULL << 12) | (0x1ULL << 24);
        cpu->powered_off = i != 0;
        cpu->halted = i != 0;
        m->cpus[i] = cpu;
    }
    return m;
}

void dev_test_machine_free(Machine *m)
{
    for (int i = 0; i < m->ncpus; i++) {
        g_free(m->cpus[i]);
    }
    addrspace_destroy(&m->as);
    g_free(m->ram);
    g_free(m);
}
