/*
 * Pointer authentication (FEAT_PAuth, Arm ARM AddPAC/Auth/Strip). Owned by
 * the system/CPU-model work; used by branches (BRAA, RETAA...), loads (LDRAA)
 * and ERETAA. The algorithm is QARMA5 or Tandem's fast IMPLEMENTATION DEFINED
 * one, as the CPU model's ID_AA64ISAR1_EL1.{APA,API} say.
 */
#ifndef TANDEM_CPU_PAUTH_H
#define TANDEM_CPU_PAUTH_H

#include "cpu/cpu.h"

typedef enum PAuthKeyId { PAUTH_KEY_IA, PAUTH_KEY_IB, PAUTH_KEY_DA, PAUTH_KEY_DB } PAuthKeyId;

/* AddPAC: ptr with a PAC for (modifier, key); returns ptr unchanged when the key is disabled (SCTLR_ELx.EnIA...). */
uint64_t pauth_add(CPUState *cpu, uint64_t ptr, uint64_t modifier, PAuthKeyId key);
/*
 * Auth: on success *ptr becomes the stripped pointer and true is returned.
 * On failure without FEAT_FPAC the pointer is made non-canonical (error code
 * in the extension bits) and true is returned too; with FEAT_FPAC it returns
 * false after taking the PAC-fail exception (EC 0x1C). Keys disabled: unchanged.
 */
bool pauth_auth(CPUState *cpu, uint64_t *ptr, uint64_t modifier, PAuthKeyId key);
/* Strip: remove the PAC (XPACI/XPACD). */
uint64_t pauth_strip(CPUState *cpu, uint64_t ptr, bool data);
/* PACGA. */
uint64_t pauth_pacga(CPUState *cpu, uint64_t value, uint64_t modifier);

/*
 * TrapPACUse: call before pauth_add/pauth_auth in every PAuth instruction
 * (PAC*, AUT*, BRA*, RETA*, ERETA*, LDRA*). When the key is enabled and
 * HCR_EL2.API / SCR_EL3.API is 0 the instruction traps (EC 0x09): the
 * exception is taken and EXEC_EXCEPTION returned; otherwise EXEC_NEXT.
 * XPAC* are never trapped. pauth_check_pacga is the same for PACGA.
 */
ExecStatus pauth_check(CPUState *cpu, PAuthKeyId key);
ExecStatus pauth_check_pacga(CPUState *cpu);

/* The PAC functions themselves (for tests): ComputePAC with QARMA5, and Tandem's IMPDEF one. */
uint64_t pauth_qarma5(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1);
uint64_t pauth_impdef(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1);

#endif
