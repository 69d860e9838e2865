/*
 * GICv3 virtualization: ICH_* (EL2 control of the virtual CPU interface) and
 * ICV_* (the virtual CPU interface seen by EL1 under HCR_EL2.IMO/FMO).
 * Not modelled yet: every ICH_* access and every ICV_* access is UNDEFINED,
 * no virtual interrupt is ever signalled and the device tree carries no
 * maintenance interrupt (gicv3_virt_implemented() is false).
 */
#include "devices/gicv3_internal.h"

#include "mmu/mmu.h"

bool gicv3_virt_implemented(void)
{
    return false;
}

void gicv3_virt_update(GICv3CPU *c)
{
    (void)c;   /* no list registers: nothing can be pending virtually */
}

void gicv3_virt_reset(GICv3CPU *c)
{
    c->ich_hcr = c->ich_vmcr = 0;
    memset(c->ich_lr, 0, sizeof(c->ich_lr));
    c->ich_ap0r = c->ich_ap1r = 0;
}

/* ICH_* live at op0=3, op1=4, CRn=12, CRm=8..13. */
bool gicv3_ich_owns(uint32_t enc)
{
    return extract32(enc, 14, 2) == 3 && extract32(enc, 11, 3) == 4 && extract32(enc, 7, 4) == 12 &&
           extract32(enc, 3, 4) >= 8 && extract32(enc, 3, 4) <= 13 &&
           !(extract32(enc, 3, 4) == 9 && extract32(enc, 0, 3) == 5);   /* ICC_SRE_EL2 */
}

bool gicv3_ich_sysreg_access(CPUState *cpu, GICv3CPU *c, uint32_t enc, bool write, uint64_t *value,
                             unsigned *trap_el)
{
    *trap_el = 0;
    return false;
}

bool gicv3_virt_sysreg_access(CPUState *cpu, GICv3CPU *c, int reg, bool write, uint64_t *value,
                              unsigned *trap_el)
{
    *trap_el = 0;
    return false;
}
