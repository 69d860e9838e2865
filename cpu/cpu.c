/*
 * vCPU lifecycle (create, reset, boot state), PSTATE packing and the
 * EL-dependent derived state (SP banking, MMU index).
 */
#include <stdlib.h>
#include <glib.h>

#include "core/machine.h"
#include "cpu/cpu.h"
#include "cpu/exec.h"
#include "cpu/debug.h"
#include "cpu/features.h"
#include "cpu/regime.h"
#include "cpu/sysreg.h"
#include "mmu/mmu.h"

CPUState *cpu_create(struct Machine *m, int index, const char *model_spec, char **error)
{
    CPUState *cpu = aligned_alloc(64, (sizeof(CPUState) + 63) & ~(size_t)63);
    if (!cpu) {
        *error = g_strdup("out of memory allocating a vCPU");
        return NULL;
    }
    memset(cpu, 0, sizeof(*cpu));
    cpu->cpu_index = index;
    cpu->machine = m;
    CPUFeatures *f = g_new0(CPUFeatures, 1);
    bool have_el2 = m ? m->opts.virtualization : true;
    if (!features_init(cpu, f, model_spec, have_el2, error)) {
        g_free(f);
        free(cpu);
        return NULL;
    }
    cpu->features = f;
    mmu_cpu_init(cpu);
    cpu_reset(cpu);
    return cpu;
}

void cpu_destroy(CPUState *cpu)
{
    if (!cpu) {
        return;
    }
    exec_cpu_destroy(cpu);     /* the block cache (cpu/exec.c) */
    mmu_cpu_destroy(cpu);
    g_free(cpu->features);
    free(cpu);
}

void cpu_reset(CPUState *cpu)
{
    memset(cpu->x, 0, sizeof(cpu->x));
    memset(&cpu->sr, 0, sizeof(cpu->sr));
    memset(cpu->z, 0, sizeof(cpu->z));
    memset(cpu->p, 0, sizeof(cpu->p));
    memset(&cpu->ffr, 0, sizeof(cpu->ffr));
    cpu->fpcr = cpu->fpsr = 0;
    sysreg_reset(cpu);
    cpu->sp = 0;
    /* AArch64 reset (Arm ARM D1.9 "Reset"): highest EL, SP_ELxh, DAIF masked,
     * PC = RVBAR_ELx (Tandem: 0, the flash base), SS/IL/PAN/UAO/BTYPE zero,
     * SSBS as SCTLR_ELx.DSSBS (reset 0). */
    cpu->el = cpu_have_el3(cpu) ? 3 : (cpu_have_el2(cpu) ? 2 : 1);
    cpu->spsel = 1;
    cpu->sp_bank = cpu->el;
    cpu->daif = PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F;
    cpu->nzcv = 0;
    cpu->pan = cpu->uao = cpu->ssbs = cpu->dit = cpu->tco = cpu->btype = cpu->ss = cpu->il = 0;
    cpu->pc = 0;
    cpu->excl_addr = ~0ULL;
    cpu->excl_size = 0;
    cpu->halted = false;
    cpu->event_register = false;
    cpu->irq_lines = 0;
    cpu->exit_request = 1;
    cpu->ss_stepping = false;
    debug_update(cpu);
    cpu_update_el_state(cpu);
    mmu_flush_soft_tlb(cpu);
}

void cpu_set_boot_state(CPUState *cpu, unsigned el, uint64_t pc, uint64_t x0)
{
    if (cpu_have_el3(cpu)) {
        /* What TF-A leaves for a Non-secure AArch64 kernel: NS, RW, HCE when
         * EL2 exists, SMC enabled, PAuth instructions and keys untrapped. */
        uint64_t scr = SCR_NS | SCR_RW;
        if (cpu_have_el2(cpu)) {
            scr |= SCR_HCE;
        }
        if (cpu_have_pauth(cpu)) {
            scr |= SCR_APK | SCR_API;
        }
        if (cpu_have_fgt(cpu)) {
            scr |= SCR_FGTEN;
        }
        cpu->sr.SCR_EL3 = scr;
        if (cpu_have_sve(cpu)) {
            cpu->sr.CPTR_EL3 |= CPTR_EZ;
        }
    }
    if (el < 2 && cpu_have_el2(cpu)) {
        cpu->sr.HCR_EL2 |= HCR_RW;
    }
    if (el == 0 || el > 3 || (el == 3 && !cpu_have_el3(cpu)) || (el == 2 && !cpu_have_el2(cpu))) {
        el = cpu_have_el2(cpu) ? 2 : 1;
    }
    cpu->el = el;
    cpu->spsel = 1;
    cpu->daif = PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F;
    cpu->pc = pc;
    memset(cpu->x, 0, sizeof(cpu->x));
    cpu->x[0] = x0;
    cpu_update_el_state(cpu);
    mmu_flush_soft_tlb(cpu);
}

uint64_t cpu_get_pstate(const CPUState *cpu)
{
    uint64_t v = (cpu->nzcv & 0xf0000000u) | (cpu->daif & 0x3c0u);
    v |= (uint64_t)cpu->el << 2 | (cpu->spsel & 1);
    v |= (uint64_t)(cpu->btype & 3) << SPSR_BTYPE_SHIFT;
    if (cpu->ssbs) {
        v |= SPSR_SSBS;
    }
    if (cpu->il) {
        v |= SPSR_IL;
    }
    if (cpu->ss) {
        v |= SPSR_SS;
    }
    if (cpu->pan) {
        v |= SPSR_PAN;
    }
    if (cpu->uao) {
        v |= SPSR_UAO;
    }
    if (cpu->dit) {
        v |= SPSR_DIT;
    }
    if (cpu->tco) {
        v |= SPSR_TCO;
    }
    return v;
}

void cpu_set_pstate(CPUState *cpu, uint64_t spsr)
{
    cpu->nzcv = (uint32_t)spsr & 0xf0000000u;
    cpu->daif = (uint32_t)spsr & 0x3c0u;
    cpu->el = (spsr >> 2) & 3;
    cpu->spsel = spsr & 1;
    /* Fields of features that are not implemented are RES0 in SPSR. */
    cpu->btype = cpu_have_bti(cpu) ? (spsr >> SPSR_BTYPE_SHIFT) & 3 : 0;
    cpu->ssbs = cpu_have_ssbs(cpu) && (spsr & SPSR_SSBS);
    cpu->il = !!(spsr & SPSR_IL);
    cpu->ss = !!(spsr & SPSR_SS);
    cpu->pan = cpu_have_pan(cpu) && (spsr & SPSR_PAN);
    cpu->uao = cpu_have_uao(cpu) && (spsr & SPSR_UAO);
    cpu->dit = cpu_have_dit(cpu) && (spsr & SPSR_DIT);
    cpu->tco = cpu_have_mte(cpu) && (spsr & SPSR_TCO);
    cpu_update_el_state(cpu);
}

void cpu_update_el_state(CPUState *cpu)
{
    unsigned bank = cpu->spsel ? cpu->el : 0;
    if (bank != cpu->sp_bank) {
        cpu->sr.SP_ELx[cpu->sp_bank] = cpu->sp;
        cpu->sp = cpu->sr.SP_ELx[bank];
        cpu->sp_bank = bank;
    }
    uint64_t hcr = cpu_hcr_el2(cpu);
    bool e2h = (hcr & HCR_E2H) != 0;
    bool pan = cpu->pan != 0;
    switch (cpu->el) {
    case 0:
        cpu->mmu_idx = (e2h && (hcr & HCR_TGE)) ? MMU_IDX_E20_0 : MMU_IDX_E10_0;
        break;
    case 1:
        /* FEAT_NV: with HCR_EL2.{NV,NV1} = {1,1} PSTATE.PAN is treated as 0 (D8.14.3). */
        if ((hcr & (HCR_NV | HCR_NV1)) == (HCR_NV | HCR_NV1)) {
            pan = false;
        }
        cpu->mmu_idx = pan ? MMU_IDX_E10_1_PAN : MMU_IDX_E10_1;
        break;
    case 2:
        if (e2h) {
            cpu->mmu_idx = pan ? MMU_IDX_E20_2_PAN : MMU_IDX_E20_2;
        } else {
            cpu->mmu_idx = MMU_IDX_E2;
        }
        break;
    default:
        cpu->mmu_idx = MMU_IDX_E3;
        break;
    }
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
