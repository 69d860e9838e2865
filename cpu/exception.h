/*
 * Exception entry (AArch64.TakeException) and the helpers handlers use to
 * raise synchronous exceptions. Every raise_* function takes the exception
 * (routing it to the right EL, writing ESR/FAR/ELR/SPSR, switching PSTATE and
 * jumping to the vector) and returns EXEC_EXCEPTION, so a handler writes
 *     return cpu_raise_undef(cpu);
 */
#ifndef TANDEM_CPU_EXCEPTION_H
#define TANDEM_CPU_EXCEPTION_H

#include "cpu/cpu.h"
#include "mmu/mmu.h"

/* ESR_ELx.EC values (Arm ARM D17.2.37). */
enum {
    EC_UNKNOWN = 0x00,
    EC_WFX = 0x01,
    EC_CP15RTTRAP = 0x03,
    EC_FPACCESS = 0x07,
    EC_BTI = 0x0d,
    EC_ILLEGALSTATE = 0x0e,
    EC_SVC = 0x15,
    EC_HVC = 0x16,
    EC_SMC = 0x17,
    EC_SYSTEMREGISTERTRAP = 0x18,
    EC_SVEACCESS = 0x19,
    EC_ERETTRAP = 0x1a,
    EC_PACFAIL = 0x1c,
    EC_IMPDEF = 0x1f,
    EC_INSNABORT = 0x20,
    EC_INSNABORT_SAME_EL = 0x21,
    EC_PCALIGNMENT = 0x22,
    EC_DATAABORT = 0x24,
    EC_DATAABORT_SAME_EL = 0x25,
    EC_SPALIGNMENT = 0x26,
    EC_FPTRAP = 0x2c,
    EC_SERROR = 0x2f,
    EC_BREAKPOINT = 0x30,
    EC_BREAKPOINT_SAME_EL = 0x31,
    EC_SOFTWARESTEP = 0x32,
    EC_SOFTWARESTEP_SAME_EL = 0x33,
    EC_WATCHPOINT = 0x34,
    EC_WATCHPOINT_SAME_EL = 0x35,
    EC_AA64_BKPT = 0x3c,
};

#define ESR_EC_SHIFT 26
#define ESR_IL (1u << 25)

/* Vector offsets inside a VBAR table. */
typedef enum ExceptionType {
    EXC_SYNC = 0x000,
    EXC_IRQ = 0x080,
    EXC_FIQ = 0x100,
    EXC_SERROR = 0x180,
} ExceptionType;

/*
 * AArch64.TakeException: take an exception to target_el with the given
 * syndrome. preferred_return is ELR (the faulting instruction for aborts and
 * UNDEF, the next one for SVC/HVC/SMC). far is written when far_valid.
 */
void cpu_take_exception(CPUState *cpu, unsigned target_el, ExceptionType type,
                        uint32_t esr, uint64_t far, bool far_valid,
                        uint64_t preferred_return);

/* Synchronous exceptions raised by handlers; each returns EXEC_EXCEPTION. */
ExecStatus cpu_raise_undef(CPUState *cpu);                          /* EC 0x00 */
ExecStatus cpu_raise_svc(CPUState *cpu, uint16_t imm16);
ExecStatus cpu_raise_hvc(CPUState *cpu, uint16_t imm16);
ExecStatus cpu_raise_smc(CPUState *cpu, uint16_t imm16);
ExecStatus cpu_raise_brk(CPUState *cpu, uint16_t imm16);
/* A trap of the current instruction to target_el with EC/ISS (sysreg traps, WFx, FP access...). */
ExecStatus cpu_raise_trap(CPUState *cpu, unsigned target_el, unsigned ec, uint32_t iss);
ExecStatus cpu_raise_pc_alignment(CPUState *cpu, uint64_t bad_pc);
ExecStatus cpu_raise_sp_alignment(CPUState *cpu);

/* Routing helper: EL a synchronous exception from the current EL goes to by default (TGE-aware). */
unsigned cpu_sync_target_el(const CPUState *cpu);

/*
 * Check pending physical and virtual interrupts against PSTATE and the
 * routing controls (SCR_EL3, HCR_EL2) and take the highest-priority one.
 * Called by the engine at block boundaries. True if one was taken.
 */
bool cpu_check_interrupts(CPUState *cpu);

/* Is a WFI wake-up event pending (an interrupt that PSTATE alone masks counts)? */
bool cpu_wfx_wakeup_pending(const CPUState *cpu);

/*
 * FP/AdvSIMD and SVE access checks (CPACR_EL1.FPEN/ZEN, CPTR_EL2 in both
 * E2H layouts, CPTR_EL3): EXEC_NEXT if the access is allowed, otherwise the
 * trap (EC 0x07 / 0x19) has been taken and EXEC_EXCEPTION is returned.
 */
ExecStatus cpu_check_fp_enabled(CPUState *cpu);
ExecStatus cpu_check_sve_enabled(CPUState *cpu);

/*
 * Instruction or data abort from an MMU fault record: routes stage-2 faults
 * to EL2 (HPFAR_EL2, S1PTW), builds DFSC/IFSC, WnR and, for stage-2 data
 * aborts on single-register loads/stores, the instruction syndrome (ISV).
 */
ExecStatus cpu_raise_abort(CPUState *cpu, const MMUFault *fault, uint64_t va, MMUAccessType access);

/* DebugTarget(): the EL debug exceptions (BRK, breakpoints, step) go to. */
unsigned cpu_debug_target_el(const CPUState *cpu);

/* AArch64.BranchAddr: va with the tag byte removed when TBI applies to instruction addresses at el. */
uint64_t cpu_branch_addr(const CPUState *cpu, uint64_t va, unsigned el);

/* ISS[24:14] (ISV, SAS, SSE, SRT, SF, AR) for a data abort on the instruction at cpu->pc, or 0. */
uint32_t cpu_abort_insn_syndrome(CPUState *cpu);

/* ERET (AArch64.ExceptionReturn), including the illegal-return rules. */
ExecStatus cpu_exception_return(CPUState *cpu, uint64_t new_pc, uint64_t spsr);

#endif
