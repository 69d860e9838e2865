/*
 * AdvSIMD load/store structures (Arm ARM C4.1.4, C7.2 LD1..LD4, ST1..ST4,
 * LD1R..LD4R): multiple structures, single structure (one lane), load and
 * replicate; offset and post-indexed (immediate = bytes transferred, or
 * register Xm) forms.
 *
 * Each instruction is one cpu_load_buf/cpu_store_buf of the contiguous
 * transfer (alignment checked per element, every page translated before any
 * byte moves), so a fault leaves the V registers and memory unchanged
 * (docs/impdef.md), then the elements are (de)interleaved in the
 * pseudocode's order.
 */
#include "cpu/simd-int.h"
#include "cpu/ldst.h"
#include "cpu/mem.h"

/* Base address and write-back, shared by all four forms. */
static uint64_t simd_ldst_base(const CPUState *cpu, unsigned rn)
{
    return cpu_reg_sp(cpu, rn);
}

static void simd_ldst_writeback(CPUState *cpu, unsigned rn, unsigned rm, uint64_t base, uint64_t total)
{
    uint64_t offs = rm == 31 ? total : cpu_reg(cpu, rm);
    cpu_set_reg_sp(cpu, rn, base + offs);
}

/* LD1-LD4/ST1-ST4 (multiple structures). */
static ExecStatus simd_ldst_multiple(CPUState *cpu, bool q, bool load, unsigned opcode, unsigned size,
                                     unsigned rn, unsigned rt, bool wback, unsigned rm)
{
    unsigned rpt, selem;
    switch (opcode) {
    case 0x0: rpt = 1; selem = 4; break;
    case 0x2: rpt = 4; selem = 1; break;
    case 0x4: rpt = 1; selem = 3; break;
    case 0x6: rpt = 3; selem = 1; break;
    case 0x7: rpt = 1; selem = 1; break;
    case 0x8: rpt = 1; selem = 2; break;
    case 0xa: rpt = 2; selem = 1; break;
    default: return cpu_raise_undef(cpu);
    }
    if (size == 3 && !q && selem != 1) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    if (!ldst_check_sp(cpu, rn)) {
        return EXEC_EXCEPTION;
    }
    unsigned ebytes = 1u << size, elements = (q ? 16 : 8) / ebytes, nregs = rpt * selem;
    unsigned total = nregs * elements * ebytes;
    uint64_t base = simd_ldst_base(cpu, rn);
    uint64_t regs[4][2];
    uint8_t buf[64];
    if (load) {
        /* One access for the whole transfer: alignment per element, all pages translated first. */
        if (!cpu_load_buf(cpu, base, buf, total, ebytes, 0)) {
            return EXEC_EXCEPTION;
        }
        memset(regs, 0, sizeof(regs));
    } else {
        for (unsigned i = 0; i < nregs; i++) {
            regs[i][0] = cpu->z[(rt + i) % 32].d[0];
            regs[i][1] = cpu->z[(rt + i) % 32].d[1];
        }
    }
    /* Element order of the pseudocode: for r, for e, for s (register r + s). */
    unsigned offs = 0, regbytes = elements * ebytes;
    if (selem == 1) {
        /* LD1/ST1: each register is a contiguous run of bytes. */
        for (unsigned r = 0; r < rpt; r++) {
            if (load) {
                memcpy(regs[r], buf + r * regbytes, regbytes);
            } else {
                memcpy(buf + r * regbytes, regs[r], regbytes);
            }
        }
        rpt = 0;
    }
    for (unsigned r = 0; r < rpt; r++) {
        for (unsigned e = 0; e < elements; e++) {
            for (unsigned s = 0; s < selem; s++) {
                uint8_t *reg = (uint8_t *)regs[r + s] + e * ebytes;
                if (load) {
                    memcpy(reg, buf + offs, ebytes);
                } else {
                    memcpy(buf + offs, reg, ebytes);
                }
                offs += ebytes;
            }
        }
    }
    if (!load && !cpu_store_buf(cpu, base, buf, total, ebytes, 0)) {
        return EXEC_EXCEPTION;
    }
    if (load) {
        for (unsigned i = 0; i < nregs; i++) {
            vreg_set_q(cpu, (rt + i) % 32, regs[i], q);
        }
    }
    if (wback) {
        simd_ldst_writeback(cpu, rn, rm, base, total);
    }
    return EXEC_NEXT;
}

/* LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R. */
static ExecStatus simd_ldst_single(CPUState *cpu, bool q, bool load, unsigned R, unsigned opcode,
                                   unsigned S, unsigned size, unsigned rn, unsigned rt, bool wback,
                                   unsigned rm)
{
    unsigned scale = opcode >> 1, selem = (((opcode & 1) << 1) | R) + 1, index = 0;
    bool replicate = false;
    switch (scale) {
    case 3:
        if (!load || S) {
            return cpu_raise_undef(cpu);
        }
        scale = size;
        replicate = true;
        break;
    case 0:
        index = (q << 3) | (S << 2) | size;
        break;
    case 1:
        if (size & 1) {
            return cpu_raise_undef(cpu);
        }
        index = (q << 2) | (S << 1) | (size >> 1);
        break;
    default:
        if (size & 2) {
            return cpu_raise_undef(cpu);
        }
        if (!(size & 1)) {
            index = (q << 1) | S;
        } else {
            if (S) {
                return cpu_raise_undef(cpu);
            }
            index = q;
            scale = 3;
        }
        break;
    }
    FP_ACCESS_CHECK(cpu);
    if (!ldst_check_sp(cpu, rn)) {
        return EXEC_EXCEPTION;
    }
    unsigned ebytes = 1u << scale, total = selem * ebytes;
    uint64_t base = simd_ldst_base(cpu, rn);
    uint64_t vals[4] = { 0, 0, 0, 0 };
    uint8_t buf[32];
    if (load) {
        if (!cpu_load_buf(cpu, base, buf, total, ebytes, 0)) {
            return EXEC_EXCEPTION;
        }
        for (unsigned s = 0; s < selem; s++) {
            memcpy(&vals[s], buf + s * ebytes, ebytes);
        }
    } else {
        for (unsigned s = 0; s < selem; s++) {
            uint64_t v[2] = { cpu->z[(rt + s) % 32].d[0], cpu->z[(rt + s) % 32].d[1] };
            uint64_t x = vec_get(v, index, ebytes);
            memcpy(buf + s * ebytes, &x, ebytes);
        }
        if (!cpu_store_buf(cpu, base, buf, total, ebytes, 0)) {
            return EXEC_EXCEPTION;
        }
    }
    if (load) {
        for (unsigned s = 0; s < selem; s++) {
            unsigned tt = (rt + s) % 32;
            uint64_t v[2];
            if (replicate) {
                for (unsigned i = 0; i < 16 / ebytes; i++) {
                    vec_set(v, i, ebytes, vals[s]);
                }
                vreg_set_q(cpu, tt, v, q);
            } else {
                v[0] = cpu->z[tt].d[0];
                v[1] = cpu->z[tt].d[1];
                vec_set(v, index, ebytes, vals[s]);
                vreg_set128(cpu, tt, v[0], v[1]);
            }
        }
    }
    if (wback) {
        simd_ldst_writeback(cpu, rn, rm, base, total);
    }
    return EXEC_NEXT;
}

ExecStatus trans_SIMD_ldst_mult(CPUState *cpu, const arg_SIMD_ldst_mult *a)
{
    return simd_ldst_multiple(cpu, a->Q, a->L, a->opcode, a->size, a->Rn, a->Rt, false, 0);
}

ExecStatus trans_SIMD_ldst_mult_post(CPUState *cpu, const arg_SIMD_ldst_mult_post *a)
{
    return simd_ldst_multiple(cpu, a->Q, a->L, a->opcode, a->size, a->Rn, a->Rt, true, a->Rm);
}

ExecStatus trans_SIMD_ldst_single(CPUState *cpu, const arg_SIMD_ldst_single *a)
{
    return simd_ldst_single(cpu, a->Q, a->L, a->R, a->opcode, a->S, a->size, a->Rn, a->Rt, false, 0);
}

ExecStatus trans_SIMD_ldst_single_post(CPUState *cpu, const arg_SIMD_ldst_single_post *a)
{
    return simd_ldst_single(cpu, a->Q, a->L, a->R, a->opcode, a->S, a->size, a->Rn, a->Rt, true, a->Rm);
}
