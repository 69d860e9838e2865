/*
 * The engine's pre-decoder (cpu/exec_ops.h): at block-build time, resolve
 * the operands of the frequent instruction forms so that the fast path runs
 * them inline without a call. Anything else, and every form whose
 * architectural corner cases (UNDEFINED field values, writes to XZR, SP
 * alignment checks on loads/stores, CONSTRAINED UNPREDICTABLE writeback)
 * the inline code does not handle, stays EXEC_OP_CALL: the handler runs.
 *
 * The pattern is identified by the generated handler cpu_decode() returns
 * (so decode order and the .decode files stay the single source of truth);
 * the fields are then read from the word at the positions those patterns
 * give (cpu/a64-dp.decode, a64-branch.decode, a64-ldst.decode).
 */
#include <string.h>

#include "cpu/exec_ops.h"
#include "cpu/trans_int.h"


#define PRE_PATTERNS(X)                                                                \
    X(ADD_imm) X(SUB_imm) X(AND_imm) X(ORR_imm) X(EOR_imm) X(MOVZ) X(MOVN) X(MOVK)      \
    X(SBFM) X(UBFM) X(AND_reg) X(ORR_reg) X(EOR_reg) X(ANDS_reg) X(ADD_sreg)           \
    X(SUB_sreg) X(ADD_ext) X(MADD) X(CSEL) X(CSINC) X(B_imm) X(BL) X(B_cond) X(CBZ)     \
    X(CBNZ) X(TBZ) X(TBNZ) X(RET) X(LDST_uimm) X(LDST_imm9) X(LDST_reg) X(LDSTP)   \
    X(LSLV) X(LSRV) X(ASRV) X(HINT) X(ADRP)

#define PRE_ENUM(N) PRE_##N,
enum { PRE_PATTERNS(PRE_ENUM) PRE_COUNT };
#define PRE_NAME(N) #N,
static const char *const pre_names[PRE_COUNT] = { PRE_PATTERNS(PRE_NAME) };
static ExecFn pre_fn[PRE_COUNT];
static bool pre_ready;

static void pre_init(void)
{
    for (unsigned p = 0; p < PRE_COUNT; p++) {
        for (unsigned i = 0; i < cpu_decode_pattern_count; i++) {
            if (!strcmp(cpu_decode_patterns[i].name, pre_names[p])) {
                pre_fn[p] = cpu_decode_patterns[i].fn;
                break;
            }
        }
    }
    pre_ready = true;
}

static int pre_pattern(ExecFn gen)
{
    for (int p = 0; p < PRE_COUNT; p++) {
        if (pre_fn[p] == gen) {
            return p;
        }
    }
    return -1;
}

static inline unsigned bits(uint32_t insn, unsigned pos, unsigned len)
{
    return (insn >> pos) & ((1u << len) - 1);
}

static inline int64_t sbits(uint32_t insn, unsigned pos, unsigned len)
{
    return (int64_t)((int32_t)(insn << (32 - pos - len)) >> (32 - len));
}

/* Register index for a field where 31 means SP (X[] with SP semantics). */
static inline uint8_t reg_sp(unsigned r)
{
    return r == 31 ? EXEC_REG_SP : (uint8_t)r;
}

/* Single-register loads/stores: kind from size:opc, or -1 (PRFM, unallocated: call). */
static int ldst_kind_index(unsigned size, unsigned opc)
{
    static const int8_t kinds[4][4] = {
        /* opc 0: store, 1: load, 2: load signed to 64, 3: load signed to 32 */
        { 9, 0, 4, 7 },     /* size 0: ST8 LD8 LDSB64 LDSB32 */
        { 10, 1, 5, 8 },    /* size 1: ST16 LD16 LDSH64 LDSH32 */
        { 11, 2, 6, -1 },   /* size 2: ST32 LD32 LDSW64 - */
        { 12, 3, -1, -1 },  /* size 3: ST64 LD64 PRFM - */
    };
    return kinds[size][opc];
}

enum { MODE_UI, MODE_RX, MODE_RU, MODE_RS, MODE_POST, MODE_PRE };

static bool pre_ldst(ExecInsn *ei, uint32_t insn, int pat)
{
    unsigned size = bits(insn, 30, 2), opc = bits(insn, 22, 2);
    unsigned rn = bits(insn, 5, 5), rt = bits(insn, 0, 5);
    int kind = ldst_kind_index(size, opc);
    if (kind < 0) {
        return false;
    }
    bool load = kind < 9;
    if (load && rt == 31) {
        return false;        /* a load to XZR: the handler discards it */
    }
    int mode;
    ei->n = reg_sp(rn);
    ei->d = (uint8_t)rt;     /* a store of register 31 stores XZR = cpu->x[31] = 0 */
    switch (pat) {
    case PRE_LDST_uimm:
        mode = MODE_UI;
        ei->imm = (uint64_t)bits(insn, 10, 12) << size;
        break;
    case PRE_LDST_imm9: {
        unsigned idx = bits(insn, 10, 2);
        ei->imm = (uint64_t)sbits(insn, 12, 9);
        if (idx == 2) {
            return false;    /* LDTR/STTR */
        }
        mode = idx == 0 ? MODE_UI : idx == 1 ? MODE_POST : MODE_PRE;
        if (mode != MODE_UI && load && rn == rt) {
            return false;    /* CONSTRAINED UNPREDICTABLE writeback: the handler's choice */
        }
        break;
    }
    default: {  /* PRE_LDST_reg */
        unsigned option = bits(insn, 13, 3), s = bits(insn, 12, 1);
        ei->m = (uint8_t)bits(insn, 16, 5);
        ei->s = (uint8_t)(s ? size : 0);
        switch (option) {
        case 2: mode = MODE_RU; break;
        case 3: case 7: mode = MODE_RX; break;
        case 6: mode = MODE_RS; break;
        default: return false;     /* UNDEFINED */
        }
        break;
    }
    }
    ei->op = (const void *)(uintptr_t)(EXEC_OP_UI_LD8 + mode * EXEC_LDST_NKINDS + kind);
    return true;
}

static bool pre_ldp(ExecInsn *ei, uint32_t insn)
{
    unsigned opc = bits(insn, 30, 2), idx = bits(insn, 23, 2), l = bits(insn, 22, 1);
    unsigned rt2 = bits(insn, 10, 5), rn = bits(insn, 5, 5), rt = bits(insn, 0, 5);
    if (idx == 0 || (opc != 0 && opc != 2)) {
        return false;        /* LDNP/STNP, LDPSW, unallocated */
    }
    if (l && (rt == rt2 || rt == 31 || rt2 == 31)) {
        return false;
    }
    if (l && idx != 2 && (rn == rt || rn == rt2)) {
        return false;        /* CONSTRAINED UNPREDICTABLE writeback */
    }
    unsigned scale = opc == 2 ? 3 : 2;
    ei->imm = (uint64_t)(sbits(insn, 15, 7) * (1 << scale));
    ei->n = reg_sp(rn);
    ei->d = (uint8_t)rt;
    ei->m = (uint8_t)rt2;
    int kind = (l ? 0 : 2) + (opc == 2 ? 0 : 1);
    int mode = idx == 2 ? 0 : idx == 1 ? 1 : 2;
    ei->op = (const void *)(uintptr_t)(EXEC_OP_PO_LDP64 + mode * 4 + kind);
    return true;
}

static void set_op(ExecInsn *ei, ExecOp op)
{
    ei->op = (const void *)(uintptr_t)op;
}

static bool pre_dp(ExecInsn *ei, uint32_t insn, int pat)
{
    unsigned sf = bits(insn, 31, 1), rd = bits(insn, 0, 5), rn = bits(insn, 5, 5);
    unsigned rm = bits(insn, 16, 5);
    switch (pat) {
    case PRE_ADD_imm:
    case PRE_SUB_imm: {
        bool s = bits(insn, 29, 1), sub = pat == PRE_SUB_imm;
        uint64_t imm = (uint64_t)bits(insn, 10, 12) << (bits(insn, 22, 1) * 12);
        ei->n = reg_sp(rn);
        if (s) {
            /* Rd = 31 is XZR here (CMP/CMN): the fast path skips the write. */
            ei->d = (uint8_t)rd;
            ei->imm = imm;
            set_op(ei, sub ? (sf ? EXEC_OP_SUBSI64 : EXEC_OP_SUBSI32)
                           : (sf ? EXEC_OP_ADDSI64 : EXEC_OP_ADDSI32));
            return true;
        }
        ei->d = reg_sp(rd);
        ei->imm = sub ? -imm : imm;
        set_op(ei, sf ? EXEC_OP_ADDI64 : EXEC_OP_ADDI32);
        return true;
    }
    case PRE_AND_imm:
    case PRE_ORR_imm:
    case PRE_EOR_imm: {
        unsigned n = bits(insn, 22, 1);
        uint64_t imm;
        if ((!sf && n) ||
            !int_decode_bit_masks(n, bits(insn, 10, 6), bits(insn, 16, 6), true, sf ? 64 : 32, &imm, NULL)) {
            return false;
        }
        ei->d = reg_sp(rd);
        ei->n = (uint8_t)rn;
        ei->imm = imm;
        set_op(ei, pat == PRE_AND_imm ? EXEC_OP_ANDI
                   : pat == PRE_ORR_imm ? (sf ? EXEC_OP_ORRI64 : EXEC_OP_ORRI32)
                                        : (sf ? EXEC_OP_EORI64 : EXEC_OP_EORI32));
        return true;
    }
    case PRE_MOVZ:
    case PRE_MOVN:
    case PRE_MOVK: {
        unsigned hw = bits(insn, 21, 2);
        uint64_t imm = (uint64_t)bits(insn, 5, 16) << (hw * 16);
        if (rd == 31 || (!sf && (hw & 2))) {
            return false;
        }
        ei->d = (uint8_t)rd;
        if (pat == PRE_MOVK) {
            ei->imm = imm;
            ei->s = (uint8_t)(hw * 16);
            set_op(ei, sf ? EXEC_OP_MOVK64 : EXEC_OP_MOVK32);
            return true;
        }
        if (pat == PRE_MOVN) {
            imm = ~imm;
        }
        ei->imm = sf ? imm : (uint32_t)imm;
        set_op(ei, EXEC_OP_MOVI);
        return true;
    }
    case PRE_SBFM:
    case PRE_UBFM: {
        unsigned n = bits(insn, 22, 1), immr = bits(insn, 16, 6), imms = bits(insn, 10, 6);
        if (rd == 31 || n != sf || (!sf && ((immr | imms) & 32))) {
            return false;
        }
        /*
         * Both the field-extract (imms >= immr) and the field-insert form are
         * (src << a) >> b with a = top - imms and b = (top - imms + immr) mod
         * datasize (top = datasize - 1): the left shift drops the bits above
         * the field, the right shift (arithmetic for SBFM) places it.
         */
        unsigned top = sf ? 63 : 31;
        ei->d = (uint8_t)rd;
        ei->n = (uint8_t)rn;
        ei->s = (uint8_t)(top - imms);
        ei->m = (uint8_t)((top - imms + immr) & top);
        set_op(ei, pat == PRE_UBFM ? (sf ? EXEC_OP_UBFM64 : EXEC_OP_UBFM32)
                                   : (sf ? EXEC_OP_SBFM64 : EXEC_OP_SBFM32));
        return true;
    }
    case PRE_AND_reg:
    case PRE_ORR_reg:
    case PRE_EOR_reg:
    case PRE_ANDS_reg:
    case PRE_ADD_sreg:
    case PRE_SUB_sreg: {
        unsigned shift = bits(insn, 22, 2), imm6 = bits(insn, 10, 6);
        /* bit 29 is S for add/subtract, part of opc for the logical forms */
        bool flags = pat == PRE_ANDS_reg ||
                     ((pat == PRE_ADD_sreg || pat == PRE_SUB_sreg) && bits(insn, 29, 1));
        if (shift != 0 || (!sf && (imm6 & 32)) || (rd == 31 && !flags)) {
            return false;    /* other shifts, UNDEFINED, or a write to XZR without flags */
        }
        ei->d = (uint8_t)rd;
        ei->n = (uint8_t)rn;
        ei->m = (uint8_t)rm;
        ei->s = (uint8_t)imm6;
        ExecOp op;
        switch (pat) {
        case PRE_AND_reg: op = sf ? EXEC_OP_ANDR64 : EXEC_OP_ANDR32; break;
        case PRE_ORR_reg:
            op = rn == 31 && imm6 == 0 ? (sf ? EXEC_OP_MOV64 : EXEC_OP_MOV32)
                                       : (sf ? EXEC_OP_ORRR64 : EXEC_OP_ORRR32);
            break;
        case PRE_EOR_reg: op = sf ? EXEC_OP_EORR64 : EXEC_OP_EORR32; break;
        case PRE_ANDS_reg: op = sf ? EXEC_OP_ANDSR64 : EXEC_OP_ANDSR32; break;
        case PRE_ADD_sreg:
            op = flags ? (sf ? EXEC_OP_ADDSR64 : EXEC_OP_ADDSR32) : (sf ? EXEC_OP_ADDR64 : EXEC_OP_ADDR32);
            break;
        default:
            op = flags ? (sf ? EXEC_OP_SUBSR64 : EXEC_OP_SUBSR32) : (sf ? EXEC_OP_SUBR64 : EXEC_OP_SUBR32);
            break;
        }
        set_op(ei, op);
        return true;
    }
    case PRE_ADD_ext: {
        unsigned opt = bits(insn, 22, 2), option = bits(insn, 13, 3), imm3 = bits(insn, 10, 3);
        if (!sf || bits(insn, 29, 1) || opt != 0 || imm3 > 4) {
            return false;
        }
        ei->d = reg_sp(rd);
        ei->n = reg_sp(rn);
        ei->m = (uint8_t)rm;
        ei->s = (uint8_t)imm3;
        switch (option) {
        case 2: set_op(ei, EXEC_OP_ADDXU64); return true;
        case 3: case 7: set_op(ei, EXEC_OP_ADDR64); return true;
        case 6: set_op(ei, EXEC_OP_ADDXS64); return true;
        default: return false;
        }
    }
    case PRE_LSLV:
    case PRE_LSRV:
    case PRE_ASRV:
        if (rd == 31) {
            return false;
        }
        ei->d = (uint8_t)rd;
        ei->n = (uint8_t)rn;
        ei->m = (uint8_t)rm;
        set_op(ei, pat == PRE_LSLV ? (sf ? EXEC_OP_LSLV64 : EXEC_OP_LSLV32)
                   : pat == PRE_LSRV ? (sf ? EXEC_OP_LSRV64 : EXEC_OP_LSRV32)
                                     : (sf ? EXEC_OP_ASRV64 : EXEC_OP_ASRV32));
        return true;
    case PRE_HINT:
        if (insn != 0xd503201fu) {
            return false;    /* only NOP itself: other hints have effects or checks */
        }
        set_op(ei, EXEC_OP_NOP);
        return true;
    case PRE_ADRP:
        if (rd == 31) {
            return false;
        }
        ei->d = (uint8_t)rd;
        ei->imm = (uint64_t)((sbits(insn, 5, 19) * 4 + bits(insn, 29, 2)) * 4096);
        set_op(ei, EXEC_OP_ADRP);
        return true;
    case PRE_MADD:
        if (rd == 31) {
            return false;
        }
        ei->d = (uint8_t)rd;
        ei->n = (uint8_t)rn;
        ei->m = (uint8_t)rm;
        ei->s = (uint8_t)bits(insn, 10, 5);
        set_op(ei, sf ? EXEC_OP_MADD64 : EXEC_OP_MADD32);
        return true;
    case PRE_CSEL:
    case PRE_CSINC:
        if (rd == 31) {
            return false;
        }
        ei->d = (uint8_t)rd;
        ei->n = (uint8_t)rn;
        ei->m = (uint8_t)rm;
        ei->s = (uint8_t)bits(insn, 12, 4);
        set_op(ei, pat == PRE_CSEL ? (sf ? EXEC_OP_CSEL64 : EXEC_OP_CSEL32)
                                   : (sf ? EXEC_OP_CSINC64 : EXEC_OP_CSINC32));
        return true;
    default:
        return false;
    }
}

static bool pre_branch(ExecInsn *ei, uint32_t insn, int pat)
{
    switch (pat) {
    case PRE_B_imm:
    case PRE_BL:
        ei->imm = (uint64_t)(sbits(insn, 0, 26) * 4);
        set_op(ei, pat == PRE_BL ? EXEC_OP_BL : EXEC_OP_B);
        return true;
    case PRE_B_cond:
        ei->imm = (uint64_t)(sbits(insn, 5, 19) * 4);
        ei->s = (uint8_t)bits(insn, 0, 4);
        set_op(ei, EXEC_OP_BCOND);
        return true;
    case PRE_CBZ:
    case PRE_CBNZ: {
        bool sf = bits(insn, 31, 1);
        ei->imm = (uint64_t)(sbits(insn, 5, 19) * 4);
        ei->n = (uint8_t)bits(insn, 0, 5);
        set_op(ei, pat == PRE_CBZ ? (sf ? EXEC_OP_CBZ64 : EXEC_OP_CBZ32)
                                  : (sf ? EXEC_OP_CBNZ64 : EXEC_OP_CBNZ32));
        return true;
    }
    case PRE_TBZ:
    case PRE_TBNZ:
        ei->imm = (uint64_t)(sbits(insn, 5, 14) * 4);
        ei->n = (uint8_t)bits(insn, 0, 5);
        ei->s = (uint8_t)((bits(insn, 31, 1) << 5) | bits(insn, 19, 5));
        set_op(ei, pat == PRE_TBZ ? EXEC_OP_TBZ : EXEC_OP_TBNZ);
        return true;
    case PRE_RET:
        ei->n = (uint8_t)bits(insn, 5, 5);
        set_op(ei, EXEC_OP_RET);
        return true;
    default:
        return false;
    }
}

void exec_predecode(ExecInsn *ei, uint32_t raw, ExecFn fn)
{
    if (!pre_ready) {
        pre_init();
    }
    ei->raw = raw;
    ei->fn = fn;
    ei->d = ei->n = ei->m = ei->s = 0;
    ei->imm = 0;
    set_op(ei, EXEC_OP_CALL);
    int pat = pre_pattern(cpu_decode(raw));
    bool ok;
    switch (pat) {
    case -1:
        return;
    case PRE_LDST_uimm:
    case PRE_LDST_imm9:
    case PRE_LDST_reg:
        ok = pre_ldst(ei, raw, pat);
        break;
    case PRE_LDSTP:
        ok = pre_ldp(ei, raw);
        break;
    case PRE_B_imm: case PRE_BL: case PRE_B_cond: case PRE_CBZ: case PRE_CBNZ:
    case PRE_TBZ: case PRE_TBNZ: case PRE_RET:
        ok = pre_branch(ei, raw, pat);
        break;
    default:
        ok = pre_dp(ei, raw, pat);
        break;
    }
    if (!ok) {
        ei->d = ei->n = ei->m = ei->s = 0;
        ei->imm = 0;
        set_op(ei, EXEC_OP_CALL);
    }
}

void exec_predecode_fuse(ExecInsn *insns, unsigned n)
{
    for (unsigned i = 0; i + 1 < n; i++) {
        ExecInsn *c = &insns[i], *br = &insns[i + 1];
        if ((uintptr_t)br->op != EXEC_OP_BCOND || br->s >= EXEC_NCONDS) {
            continue;
        }
        unsigned form;
        switch ((uintptr_t)c->op) {
        case EXEC_OP_SUBSI64: form = 0; break;
        case EXEC_OP_SUBSI32: form = 1; break;
        case EXEC_OP_SUBSR64: form = 2; break;
        case EXEC_OP_SUBSR32: form = 3; break;
        default: continue;
        }
        set_op(c, (ExecOp)(EXEC_OP_CBI64_EQ + form * EXEC_NCONDS + br->s));
    }
}
