/* Row functions of the system-register table (cpu/sysreg_hooks.c). */
#ifndef TANDEM_CPU_SYSREG_HOOKS_H
#define TANDEM_CPU_SYSREG_HOOKS_H

#include "cpu/sysreg.h"

SysRegAccess acc_el0_uct(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_el0_uma(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_el0_uci(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_el0_dze(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_sp_el0(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_at_el1(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_zcr(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_lor(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_lorid(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_cpacr(CPUState *cpu, const SysRegDef *r, bool isread);
ExecStatus wr_mdcr_el2(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_midr(CPUState *cpu, const SysRegDef *r);
uint64_t rd_mpidr(CPUState *cpu, const SysRegDef *r);
uint64_t rd_ccsidr(CPUState *cpu, const SysRegDef *r);
uint64_t rd_dczid(CPUState *cpu, const SysRegDef *r);
uint64_t rd_raz(CPUState *cpu, const SysRegDef *r);
uint64_t rd_currentel(CPUState *cpu, const SysRegDef *r);
uint64_t rd_daif(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_daif(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_nzcv(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_nzcv(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_spsel(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_spsel(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_pan(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_pan(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_uao(CPUState *cpu, const SysRegDef *r);
uint64_t rd_rndr(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_uao(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_dit(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_dit(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_ssbs(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_ssbs(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_sp_el0(CPUState *cpu, const SysRegDef *r);
uint64_t rd_sp_el1(CPUState *cpu, const SysRegDef *r);
uint64_t rd_sp_el2(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_sp_el0(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_sp_el1(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_sp_el2(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_isr(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_hcr_el2(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_scr_el3(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_sctlr(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_cptr_el2(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_cpacr(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_cptr_el3(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_oslar(CPUState *cpu, const SysRegDef *r, uint64_t v);
uint64_t rd_claimset(CPUState *cpu, const SysRegDef *r);
uint64_t rd_claimclr(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_claimset(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_claimclr(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus sys_tlbi(CPUState *cpu, const SysRegDef *r, uint64_t xt);
ExecStatus sys_at(CPUState *cpu, const SysRegDef *r, uint64_t xt);
ExecStatus sys_ic_all(CPUState *cpu, const SysRegDef *r, uint64_t xt);
ExecStatus sys_nop(CPUState *cpu, const SysRegDef *r, uint64_t xt);
ExecStatus sys_dc_zva(CPUState *cpu, const SysRegDef *r, uint64_t xt);
ExecStatus sys_dc_va(CPUState *cpu, const SysRegDef *r, uint64_t xt);
ExecStatus sys_dc_ivac(CPUState *cpu, const SysRegDef *r, uint64_t xt);
SysRegAccess acc_tpidrro(CPUState *cpu, const SysRegDef *r, bool isread);
SysRegAccess acc_dcc(CPUState *cpu, const SysRegDef *r, bool isread);
uint64_t rd_authstatus(CPUState *cpu, const SysRegDef *r);
ExecStatus wr_mdscr(CPUState *cpu, const SysRegDef *r, uint64_t v);
ExecStatus wr_dbg(CPUState *cpu, const SysRegDef *r, uint64_t v);

#endif
