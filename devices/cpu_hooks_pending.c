/*
 * GICv3 CPU interface and generic-timer system registers: not modelled yet.
 * Every access is UNDEFINED (*trap_el = 0), which is what the CPU model must
 * then also advertise (ID_AA64PFR0_EL1.GIC = 0 until the GIC lands).
 * This file goes away when devices/gicv3_cpuif.c and devices/timer.c land.
 */
#include "devices/cpu_hooks.h"

bool gicv3_sysreg_read(CPUState *cpu, uint32_t enc, uint64_t *value, unsigned *trap_el)
{
    *trap_el = 0;
    return false;
}

bool gicv3_sysreg_write(CPUState *cpu, uint32_t enc, uint64_t value, unsigned *trap_el)
{
    *trap_el = 0;
    return false;
}

bool timer_sysreg_read(CPUState *cpu, uint32_t enc, uint64_t *value, unsigned *trap_el)
{
    *trap_el = 0;
    return false;
}

bool timer_sysreg_write(CPUState *cpu, uint32_t enc, uint64_t value, unsigned *trap_el)
{
    *trap_el = 0;
    return false;
}

bool gicv3_sysreg_owns(uint32_t enc)
{
    return false;
}

bool timer_sysreg_owns(uint32_t enc)
{
    return false;
}
