/*
 * Instruction and data aborts from MMU fault records (AArch64.Abort,
 * AArch64.InstructionAbort / DataAbort): routing, ESR ISS, FAR, HPFAR_EL2
 * and the instruction syndrome (ISV) of stage-2 data aborts.
 */
#include "cpu/exception.h"
#include "cpu/mem.h"
#include "cpu/regime.h"

/*
 * Instruction syndrome for a data abort on the instruction at cpu->pc: ISV
 * is set only for single general-purpose-register loads/stores without
 * writeback (Arm ARM D17.2.37, ISS encoding for a Data Abort).
 * Returns ISS bits [24:14] (ISV, SAS, SSE, SRT, SF, AR) or 0.
 */
uint32_t cpu_abort_insn_syndrome(CPUState *cpu)
{
    uint32_t insn;
    if (!cpu_debug_read(cpu, cpu->pc, &insn, 4)) {
        return 0;
    }
    unsigned size = insn >> 30, rt = insn & 31;
    unsigned opc, sse = 0, sf = 0, ar = 0;

    if ((insn & 0x3fa00000u) == 0x08800000u) {
        /* LDAR/STLR/LDLAR/STLLR (o2=1, o1=0): opc from L */
        opc = (insn >> 22) & 1;
        ar = (insn >> 15) & 1;
        sf = size == 3;
    } else if ((insn & 0x3ffffc00u) == 0x38bfc000u) {
        opc = 1;                                  /* LDAPR */
        ar = 1;
        sf = size == 3;
    } else if ((insn & 0x3b000000u) == 0x39000000u ||    /* unsigned immediate */
               (insn & 0x3b200c00u) == 0x38000000u ||    /* unscaled immediate (LDUR) */
               (insn & 0x3b200c00u) == 0x38000800u ||    /* unprivileged (LDTR) */
               (insn & 0x3b200c00u) == 0x38200800u ||    /* register offset */
               (insn & 0x3f200c00u) == 0x19000000u) {    /* LDAPUR/STLUR (RCpc unscaled) */
        if (insn & (1u << 26)) {
            return 0;                             /* SIMD&FP register */
        }
        opc = (insn >> 22) & 3;
        if ((insn & 0x3f000000u) == 0x19000000u) {
            ar = 1;
        }
        if (size == 3 && opc >= 2) {
            return 0;                             /* PRFM / unallocated */
        }
        if (opc >= 2) {
            sse = 1;
            sf = opc == 2;
            if (size == 2 && opc == 3) {
                return 0;                         /* unallocated */
            }
        } else {
            sf = size == 3;
        }
    } else {
        return 0;
    }
    return (1u << 24) | (size << 22) | (sse << 21) | (rt << 16) | (sf << 15) | (ar << 14);
}

ExecStatus cpu_raise_abort(CPUState *cpu, const MMUFault *fault, uint64_t va, MMUAccessType access)
{
    bool fetch = access == MMU_ACCESS_FETCH;
    bool external = fault->type == MMU_FAULT_SYNC_EXTERNAL ||
                    fault->type == MMU_FAULT_SYNC_EXTERNAL_WALK;
    unsigned target;

    if (cpu_have_el3(cpu) && external && (cpu->sr.SCR_EL3 & SCR_EA)) {
        target = 3;
    } else if (fault->stage2 && cpu->el < 2) {
        target = 2;
    } else {
        target = cpu_sync_target_el(cpu);
    }
    if (target < cpu->el) {
        target = cpu->el;
    }
    bool same = target == cpu->el;
    unsigned ec = fetch ? (same ? EC_INSNABORT_SAME_EL : EC_INSNABORT)
                        : (same ? EC_DATAABORT_SAME_EL : EC_DATAABORT);
    uint32_t iss = mmu_fault_fsc(fault) & 0x3f;
    if (fault->s1ptw) {
        iss |= 1u << 7;
    }
    if (!fetch) {
        if (fault->cm) {
            iss |= 1u << 8;
            /* Cache maintenance aborts report WnR = 1. */
            iss |= 1u << 6;
        } else if (access == MMU_ACCESS_WRITE || fault->write) {
            iss |= 1u << 6;
        }
        if (fault->stage2 && !fault->s1ptw && !fault->cm && target == 2) {
            iss |= cpu_abort_insn_syndrome(cpu);
        }
    }
    if (target == 2 && fault->stage2) {
        /* HPFAR_EL2.FIPA [43:4] = IPA[51:12]; NS (bit 63) is 0 in Non-secure state. */
        cpu->sr.HPFAR_EL2 = (fault->ipa >> 8) & 0x00000ffffffffff0ULL;
    }
    uint32_t esr = (ec << ESR_EC_SHIFT) | ESR_IL | iss;
    uint64_t preferred = fetch ? va : cpu->pc;
    cpu_take_exception(cpu, target, EXC_SYNC, esr, va, true, preferred);
    return EXEC_EXCEPTION;
}
