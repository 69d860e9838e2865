/*
 * Integer data processing and branches (cpu-int), one check per behaviour,
 * plus the execution engine's self-modifying-code handling. Expected values
 * are constants folded by the compiler on the host or hand-computed from
 * the Arm ARM pseudocode; every check passes on QEMU (the reference).
 */
#include "guest.h"

/* CRC32 and FlagM mnemonics (the checks skip when the features are absent). */
__asm__(".arch armv8.4-a+crc");

#define NZCV_N (1ul << 31)
#define NZCV_Z (1ul << 30)
#define NZCV_C (1ul << 29)
#define NZCV_V (1ul << 28)


#define OP1(insn, a) ({ uint64_t r_, a_ = (a); __asm__ volatile(insn " %0, %1" : "=r"(r_) : "r"(a_)); r_; })
#define OP1W(insn, a) ({ uint32_t r_, a_ = (a); __asm__ volatile(insn " %w0, %w1" : "=r"(r_) : "r"(a_)); r_; })
#define OP2(insn, a, b) ({ uint64_t r_, a_ = (a), b_ = (b); \
        __asm__ volatile(insn " %0, %1, %2" : "=r"(r_) : "r"(a_), "r"(b_)); r_; })
#define OP2W(insn, a, b) ({ uint32_t r_, a_ = (a), b_ = (b); \
        __asm__ volatile(insn " %w0, %w1, %w2" : "=r"(r_) : "r"(a_), "r"(b_)); r_; })

/* --- UNDEFINED encodings: count EC 0x00 exceptions, skip the instruction --- */
static unsigned undef_count;
static bool undef_handler(ExcFrame *f, unsigned el, unsigned kind)
{
    if (esr_ec(f->esr) != 0) {
        return false;
    }
    undef_count++;
    f->elr += 4;
    return true;
}

static bool is_undef(void (*fn)(void))
{
    unsigned before = undef_count;
    fn();
    return undef_count == before + 1;
}

static void undef_logic_imm(void) { __asm__ volatile(".inst 0x927fffff"); }     /* AND x31, x31, #all-ones: imms all ones */
static void undef_logic_n32(void) { __asm__ volatile(".inst 0x12400000"); }     /* AND w0, w0 with N = 1 */
static void undef_movz_hw(void) { __asm__ volatile(".inst 0x52c00000"); }       /* MOVZ w0, #0, LSL #32 */
static void undef_extr_n(void) { __asm__ volatile(".inst 0x93800000"); }        /* EXTR x0 with N = 0 */
static void undef_sbfm_n(void) { __asm__ volatile(".inst 0x93000000"); }        /* SBFM x0 with N = 0 */
static void undef_addsub_ror(void) { __asm__ volatile(".inst 0x8bc00000"); }    /* ADD (shifted) shift = 11 */
static void undef_addext_imm3(void) { __asm__ volatile(".inst 0x8b201400"); }   /* ADD (extended) imm3 = 5 */
static void undef_shift_w32(void) { __asm__ volatile(".inst 0x0a008000"); }     /* AND w0 with imm6 = 32 */
static void undef_crc32x_w(void) { __asm__ volatile(".inst 0x1ac04c00"); }      /* CRC32X with sf = 0 */
static void undef_rev_w64(void) { __asm__ volatile(".inst 0x5ac00c00"); }       /* REV (opc 11) with sf = 0 */

static void test_undefined(void)
{
    report(is_undef(undef_logic_imm), "logical immediate with all-ones imms is UNDEFINED");
    report(is_undef(undef_logic_n32), "32-bit logical immediate with N = 1 is UNDEFINED");
    report(is_undef(undef_movz_hw), "32-bit MOVZ with hw = 2 is UNDEFINED");
    report(is_undef(undef_extr_n), "EXTR with N != sf is UNDEFINED");
    report(is_undef(undef_sbfm_n), "SBFM with N != sf is UNDEFINED");
    report(is_undef(undef_addsub_ror), "ADD (shifted register) with ROR is UNDEFINED");
    report(is_undef(undef_addext_imm3), "ADD (extended register) with imm3 > 4 is UNDEFINED");
    report(is_undef(undef_shift_w32), "32-bit shifted register with imm6 >= 32 is UNDEFINED");
    report(is_undef(undef_crc32x_w), "CRC32X with sf = 0 is UNDEFINED");
    report(is_undef(undef_rev_w64), "REV (64-bit opc) with sf = 0 is UNDEFINED");
}

static void test_add_sub(void)
{
    uint64_t r, f;
    __asm__ volatile("adds %0, %2, #1\n mrs %1, nzcv" : "=r"(r), "=r"(f) : "r"(0x7fffffffffffffffull));
    report(r == 0x8000000000000000ull && f == (NZCV_N | NZCV_V), "ADDS overflow: N and V (NZCV 0x%lx)", f);
    __asm__ volatile("subs %0, %2, #1\n mrs %1, nzcv" : "=r"(r), "=r"(f) : "r"(0ull));
    report(r == ~0ull && f == NZCV_N, "SUBS 0 - 1: N, no carry (NZCV 0x%lx)", f);
    __asm__ volatile("cmp %w1, %w1\n mrs %0, nzcv" : "=r"(f) : "r"(5u));
    report(f == (NZCV_Z | NZCV_C), "CMP equal: Z and C");
    __asm__ volatile("adds %w0, %w2, %w3\n mrs %1, nzcv" : "=r"(r), "=r"(f) : "r"(0xffffffffu), "r"(1u));
    report(r == 0 && f == (NZCV_Z | NZCV_C), "32-bit ADDS carry out: Z and C");
    __asm__ volatile("add %0, %1, #0xabc, lsl #12" : "=r"(r) : "r"(1ull));
    report(r == 0xabc001, "ADD immediate LSL #12");
    uint64_t sp_val;
    __asm__ volatile("mov x9, sp\n add sp, sp, #16\n mov %0, sp\n sub sp, sp, #16\n sub %0, %0, x9"
                     : "=r"(sp_val) : : "x9");
    report(sp_val == 16, "ADD/SUB immediate on SP");
    __asm__ volatile("add %0, %1, %w2, sxtw #2" : "=r"(r) : "r"(100ull), "r"(-3));
    report(r == 88, "ADD extended SXTW #2");
    __asm__ volatile("sub %0, %1, %w2, uxtb" : "=r"(r) : "r"(1000ull), "r"(0x1ff));
    report(r == 1000 - 0xff, "SUB extended UXTB");
    __asm__ volatile("mov x9, sp\n add %0, sp, %1, uxtx #1\n sub %0, %0, x9" : "=r"(r) : "r"(8ull) : "x9");
    report(r == 16, "ADD extended with SP source");
    __asm__ volatile("add %0, %1, %2, asr #4" : "=r"(r) : "r"(1ull), "r"(-256ll));
    report(r == (uint64_t)-15, "ADD shifted ASR");
    __asm__ volatile("neg %w0, %w1, lsl #3" : "=r"(r) : "r"(2u));
    report(r == 0xfffffff0u, "NEG (32-bit) zero-extends the result");
    /* ADC/SBC */
    __asm__ volatile("msr nzcv, %3\n adc %0, %1, %2" : "=r"(r) : "r"(1ull), "r"(2ull), "r"(NZCV_C));
    report(r == 4, "ADC adds the carry");
    __asm__ volatile("msr nzcv, xzr\n sbcs %0, %2, %3\n mrs %1, nzcv" : "=r"(r), "=r"(f) : "r"(5ull), "r"(5ull));
    report(r == ~0ull && f == NZCV_N, "SBCS without carry borrows one");
}

static void test_logical_move(void)
{
    uint64_t r, f;
    __asm__ volatile("and %0, %1, #0xff00ff00ff00ff00" : "=r"(r) : "r"(~0ull));
    report(r == 0xff00ff00ff00ff00ull, "AND immediate (replicated 16-bit element)");
    __asm__ volatile("orr %w0, wzr, #0x3c3c3c3c" : "=r"(r));
    report(r == 0x3c3c3c3c, "ORR immediate (32-bit)");
    __asm__ volatile("eor %0, %1, #0x5555555555555555" : "=r"(r) : "r"(0xffffull));
    report(r == 0x555555555555aaaaull, "EOR immediate");
    __asm__ volatile("ands %0, %2, #0x8000000000000000\n mrs %1, nzcv" : "=r"(r), "=r"(f) : "r"(~0ull));
    report(f == NZCV_N, "ANDS immediate sets N, clears C and V");
    __asm__ volatile("mov x9, sp\n orr sp, xzr, #0x1000\n mov %0, sp\n mov sp, x9" : "=r"(r) : : "x9");
    report(r == 0x1000, "ORR immediate writes SP");
    report(OP2("bic", 0xffull, 0x0full) == 0xf0, "BIC");
    report(OP2("orn", 0ull, ~1ull) == 1, "ORN");
    report(OP2("eon", 0xf0ull, 0x0full) == ~0xffull, "EON");
    __asm__ volatile("orr %0, %1, %2, ror #8" : "=r"(r) : "r"(0ull), "r"(0x12ull));
    report(r == 0x1200000000000000ull, "ORR shifted ROR");
    __asm__ volatile("bics %0, %2, %3\n mrs %1, nzcv" : "=r"(r), "=r"(f) : "r"(3ull), "r"(3ull));
    report(r == 0 && f == NZCV_Z, "BICS zero result sets Z");
    __asm__ volatile("movz %0, #0x1234, lsl #48" : "=r"(r));
    report(r == 0x1234000000000000ull, "MOVZ LSL #48");
    __asm__ volatile("movn %w0, #0x1234, lsl #16" : "=r"(r));
    report(r == 0xedcbffffu, "MOVN (32-bit)");
    r = 0xffffffffffffffffull;
    __asm__ volatile("movk %0, #0xabcd, lsl #32" : "+r"(r));
    report(r == 0xffffabcdffffffffull, "MOVK keeps the other bits");
    r = 0xffffffffffffffffull;
    __asm__ volatile("movk %w0, #0xabcd" : "+r"(r));
    report(r == 0xffffabcdu, "MOVK (32-bit) zeroes the upper half");
}

static void test_bitfield(void)
{
    uint64_t r;
    __asm__ volatile("ubfx %0, %1, #8, #12" : "=r"(r) : "r"(0x123456789ull));
    report(r == 0x567, "UBFX");
    __asm__ volatile("sbfx %0, %1, #4, #8" : "=r"(r) : "r"(0xf80ull));
    report(r == (uint64_t)-8, "SBFX sign-extends");
    r = 0xffffffffffffffffull;
    __asm__ volatile("bfi %0, %1, #16, #8" : "+r"(r) : "r"(0x12ull));
    report(r == 0xffffffffff12ffffull, "BFI");
    r = 0;
    __asm__ volatile("bfxil %0, %1, #60, #4" : "+r"(r) : "r"(0xa000000000000000ull));
    report(r == 0xa, "BFXIL");
    __asm__ volatile("sbfiz %0, %1, #40, #4" : "=r"(r) : "r"(0x8ull));
    report(r == 0xfffff80000000000ull, "SBFIZ");
    __asm__ volatile("sxtw %0, %w1" : "=r"(r) : "r"(0x80000000u));
    report(r == 0xffffffff80000000ull, "SXTW");
    __asm__ volatile("asr %w0, %w1, #31" : "=r"(r) : "r"(0x80000000u));
    report(r == 0xffffffffu, "ASR (32-bit immediate) zero-extends");
    __asm__ volatile("lsl %0, %1, #63" : "=r"(r) : "r"(3ull));
    report(r == 0x8000000000000000ull, "LSL immediate");
    __asm__ volatile("extr %0, %1, %2, #16" : "=r"(r) : "r"(0x1111ull), "r"(0xaaaabbbbccccddddull));
    report(r == 0x1111aaaabbbbccccull, "EXTR");
    __asm__ volatile("ror %w0, %w1, #4" : "=r"(r) : "r"(0x12345678u));
    report(r == 0x81234567u, "ROR immediate (32-bit)");
}

static void test_cond(void)
{
    uint64_t r, f;
    /* Flags are set inside each asm statement: the compiler may clobber them in between. */
    __asm__ volatile("msr nzcv, %3\n csinc %0, %1, %2, ne" : "=r"(r) : "r"(1ull), "r"(41ull), "r"(NZCV_Z));
    report(r == 42, "CSINC takes Rm + 1 when the condition fails");
    __asm__ volatile("msr nzcv, %3\n csneg %0, %1, %2, eq" : "=r"(r) : "r"(7ull), "r"(9ull), "r"(NZCV_Z));
    report(r == 7, "CSNEG takes Rn when the condition holds");
    __asm__ volatile("msr nzcv, %3\n csinv %w0, %w1, %w2, ge" : "=r"(r) : "r"(1u), "r"(0u), "r"(NZCV_N));
    report(r == 0xffffffffu, "CSINV (32-bit, GE fails with N != V)");
    __asm__ volatile("msr nzcv, %1\n cset %0, lt" : "=r"(r) : "r"(NZCV_N));
    report(r == 1, "CSET LT");
    __asm__ volatile("msr nzcv, xzr\n ccmp %1, #5, #0b0010, ne\n mrs %0, nzcv" : "=r"(f) : "r"(5ull));
    report(f == (NZCV_Z | NZCV_C), "CCMP compares when the condition holds");
    __asm__ volatile("msr nzcv, %3\n ccmn %1, %2, #0b1001, ne\n mrs %0, nzcv" : "=r"(f) : "r"(5ull), "r"(1ull), "r"(NZCV_Z));
    report(f == (NZCV_N | NZCV_V), "CCMN sets the immediate flags when the condition fails");
    /* Every condition against every flag combination through B.cond and CSET agree. */
    bool ok = true;
    for (uint64_t flags = 0; flags < 16; flags++) {
        bool n = flags & 8, z = flags & 4, c = flags & 2, v = flags & 1;
        bool want[16] = { z, !z, c, !c, n, !n, v, !v, c && !z, !(c && !z), n == v, n != v,
                          !z && n == v, !(!z && n == v), true, true };
        uint64_t got = 0;
        __asm__ volatile(
            "mov %0, #0\n msr nzcv, %1\n"
            "b.eq 1f\n b 2f\n 1: orr %0, %0, #1\n 2:\n"
            "b.ne 1f\n b 2f\n 1: orr %0, %0, #2\n 2:\n"
            "b.cs 1f\n b 2f\n 1: orr %0, %0, #4\n 2:\n"
            "b.cc 1f\n b 2f\n 1: orr %0, %0, #8\n 2:\n"
            "b.mi 1f\n b 2f\n 1: orr %0, %0, #16\n 2:\n"
            "b.pl 1f\n b 2f\n 1: orr %0, %0, #32\n 2:\n"
            "b.vs 1f\n b 2f\n 1: orr %0, %0, #64\n 2:\n"
            "b.vc 1f\n b 2f\n 1: orr %0, %0, #128\n 2:\n"
            "b.hi 1f\n b 2f\n 1: orr %0, %0, #256\n 2:\n"
            "b.ls 1f\n b 2f\n 1: orr %0, %0, #512\n 2:\n"
            "b.ge 1f\n b 2f\n 1: orr %0, %0, #1024\n 2:\n"
            "b.lt 1f\n b 2f\n 1: orr %0, %0, #2048\n 2:\n"
            "b.gt 1f\n b 2f\n 1: orr %0, %0, #4096\n 2:\n"
            "b.le 1f\n b 2f\n 1: orr %0, %0, #8192\n 2:\n"
            "b.al 1f\n b 2f\n 1: orr %0, %0, #16384\n 2:\n"
            ".inst 0x54000040 | 15\n b 2f\n orr %0, %0, #32768\n 2:\n"   /* b.nv +8 */
            : "=&r"(got) : "r"(flags << 28));
        for (int cond = 0; cond < 16; cond++) {
            ok &= ((got >> cond) & 1) == want[cond];
        }
    }
    report(ok, "B.cond: all 16 conditions over all 16 NZCV values (NV behaves as AL)");
}

static void test_mul_div(void)
{
    report(OP2("udiv", 100ull, 0ull) == 0, "UDIV by zero gives 0");
    report(OP2("sdiv", 0x8000000000000000ull, ~0ull) == 0x8000000000000000ull, "SDIV INT64_MIN / -1");
    report(OP2W("sdiv", 0x80000000u, 0xffffffffu) == 0x80000000u, "SDIV (32-bit) INT32_MIN / -1");
    report(OP2("sdiv", (uint64_t)-7, 2ull) == (uint64_t)-3, "SDIV rounds towards zero");
    report(OP2W("udiv", 0xffffffffu, 16u) == 0x0fffffffu, "UDIV (32-bit)");
    report(OP2("smulh", (uint64_t)-2, 0x8000000000000000ull) == 1, "SMULH");
    report(OP2("umulh", ~0ull, ~0ull) == 0xfffffffffffffffeull, "UMULH");
    uint64_t r;
    __asm__ volatile("smaddl %0, %w1, %w2, %3" : "=r"(r) : "r"(-2), "r"(3), "r"(10ull));
    report(r == 4, "SMADDL");
    __asm__ volatile("umsubl %0, %w1, %w2, %3" : "=r"(r) : "r"(0xffffffffu), "r"(2u), "r"(0x200000000ull));
    report(r == 2, "UMSUBL");
    __asm__ volatile("msub %w0, %w1, %w2, %w3" : "=r"(r) : "r"(3u), "r"(4u), "r"(10u));
    report(r == 0xfffffffeu, "MSUB (32-bit)");
    report(OP2("lslv", 1ull, 65ull) == 2, "LSLV uses the shift modulo 64");
    report(OP2W("asrv", 0x80000000u, 33u) == 0xc0000000u, "ASRV (32-bit) modulo 32");
    report(OP2("rorv", 1ull, 1ull) == 0x8000000000000000ull, "RORV");
}

static void test_bits(void)
{
    report(OP1("clz", 0ull) == 64 && OP1W("clz", 1u) == 31, "CLZ");
    report(OP1("cls", 0ull) == 63 && OP1("cls", 0xc000000000000000ull) == 1 && OP1W("cls", 0u) == 31, "CLS");
    report(OP1("rbit", 1ull) == 0x8000000000000000ull && OP1W("rbit", 3u) == 0xc0000000u, "RBIT");
    report(OP1("rev", 0x0102030405060708ull) == 0x0807060504030201ull, "REV");
    report(OP1("rev32", 0x0102030405060708ull) == 0x0403020108070605ull, "REV32");
    report(OP1("rev16", 0x0102030405060708ull) == 0x0201040306050807ull, "REV16");
    report(OP1W("rev", 0x01020304u) == 0x04030201u, "REV (32-bit)");
}

static void test_crc(void)
{
    if (((read_sysreg(id_aa64isar0_el1) >> 16) & 0xf) == 0) {
        report_skip("CRC32: not advertised");
        return;
    }
    static const char msg[] = "123456789";
    uint32_t crc = 0xffffffffu, crcc = 0xffffffffu;
    for (int i = 0; i < 9; i++) {
        __asm__ volatile("crc32b %w0, %w0, %w1" : "+r"(crc) : "r"((uint32_t)msg[i]));
        __asm__ volatile("crc32cb %w0, %w0, %w1" : "+r"(crcc) : "r"((uint32_t)msg[i]));
    }
    report(~crc == 0xcbf43926u, "CRC32B check value of \"123456789\" (0x%x)", ~crc);
    report(~crcc == 0xe3069283u, "CRC32CB check value of \"123456789\" (0x%x)", ~crcc);
    uint32_t a = 0, b = 0;
    uint64_t word = 0x0807060504030201ull;
    __asm__ volatile("crc32x %w0, %w0, %1" : "+r"(a) : "r"(word));
    for (int i = 0; i < 8; i++) {
        __asm__ volatile("crc32b %w0, %w0, %w1" : "+r"(b) : "r"((uint32_t)(word >> (8 * i)) & 0xff));
    }
    report(a == b, "CRC32X equals eight CRC32B steps");
}

static void test_flagm(void)
{
    if (((read_sysreg(id_aa64isar0_el1) >> 52) & 0xf) == 0) {
        report_skip("FlagM: not advertised");
        return;
    }
    uint64_t f;
    __asm__ volatile("msr nzcv, xzr\n rmif %1, #4, #0b1010\n mrs %0, nzcv" : "=r"(f) : "r"(0xf0ull));
    report(f == (NZCV_N | NZCV_C), "RMIF rotates and inserts the masked flags");
    __asm__ volatile("msr nzcv, %2\n setf8 %w1\n mrs %0, nzcv" : "=r"(f) : "r"(0x100u), "r"(NZCV_C));
    report(f == (NZCV_Z | NZCV_C | NZCV_V), "SETF8: Z from bits 7:0, V = bit 8 ^ bit 7, C kept");
    __asm__ volatile("msr nzcv, xzr\n setf8 %w1\n mrs %0, nzcv" : "=r"(f) : "r"(0x180u));
    report(f == NZCV_N, "SETF8: N from bit 7");
    __asm__ volatile("msr nzcv, xzr\n setf16 %w1\n mrs %0, nzcv" : "=r"(f) : "r"(0x8000u));
    report(f == (NZCV_N | NZCV_V), "SETF16");
}

static uint64_t leaf(uint64_t x) { return x * 3; }

static void test_branches(void)
{
    uint64_t r, lr;
    __asm__ volatile("bl 1f\n 1: mov %0, x30\n adr %1, 1b" : "=r"(lr), "=r"(r) : : "x30");
    report(lr == r, "BL writes the return address");
    __asm__ volatile("mov %0, #0\n cbz %1, 1f\n mov %0, #1\n 1:" : "=&r"(r) : "r"(0x100000000ull));
    report(r == 1, "CBZ tests all 64 bits");
    __asm__ volatile("mov %0, #0\n cbz %w1, 1f\n mov %0, #1\n 1:" : "=&r"(r) : "r"(0x100000000ull));
    report(r == 0, "CBZ (32-bit) tests the low 32 bits");
    __asm__ volatile("mov %0, #0\n tbnz %1, #63, 1f\n mov %0, #1\n 1:" : "=&r"(r) : "r"(0x8000000000000000ull));
    report(r == 0, "TBNZ bit 63");
    __asm__ volatile("mov %0, #0\n tbz %w1, #5, 1f\n mov %0, #1\n 1:" : "=&r"(r) : "r"(0x20u));
    report(r == 1, "TBZ bit 5");
    uint64_t (*fp)(uint64_t) = leaf;
    __asm__ volatile("mov x0, #7\n blr %1\n mov %0, x0" : "=r"(r) : "r"(fp) : "x0", "x1", "x30", "memory");
    report(r == 21, "BLR and RET");
    __asm__ volatile("adr x9, 1f\n mov %0, #5\n br x9\n mov %0, #6\n 1:" : "=&r"(r) : : "x9");
    report(r == 5, "BR");
    __asm__ volatile("adr x30, 1f\n mov %0, #5\n ret\n mov %0, #6\n 1:" : "=&r"(r) : : "x30");
    report(r == 5, "RET (x30)");
}

/* Self-modifying code: the engine must drop decoded blocks of written pages. */
static uint32_t code_buf[64] __attribute__((aligned(4096)));

static void code_sync(void *p)
{
    __asm__ volatile("dc cvau, %0\n dsb ish\n ic ivau, %0\n dsb ish\n isb" : : "r"(p) : "memory");
}

static void test_self_modifying(void)
{
    uint64_t (*fn)(void) = (uint64_t (*)(void))(uintptr_t)code_buf;
    bool ok = true;
    for (uint32_t v = 1; v <= 20; v++) {
        code_buf[0] = 0xd2800000 | (v << 5);      /* MOVZ x0, #v */
        code_buf[1] = 0xd65f03c0;                 /* RET */
        code_sync(code_buf);
        uint64_t got = fn();
        got += fn();                               /* twice: the second run uses the cached block */
        ok &= got == 2 * v;
    }
    report(ok, "rewritten code runs the new instructions (20 rewrites of a cached block)");
    /* A block that modifies the instruction after itself in the same page. */
    code_buf[8] = 0xd2800020;                     /* MOVZ x0, #1 */
    code_buf[9] = 0xd65f03c0;
    code_sync(&code_buf[8]);
    uint64_t (*fn2)(void) = (uint64_t (*)(void))(uintptr_t)&code_buf[8];
    uint64_t a = fn2();
    code_buf[8] = 0xd2800540;                     /* MOVZ x0, #42 */
    code_sync(&code_buf[8]);
    uint64_t b = fn2();
    report(a == 1 && b == 42, "patched instruction in a cached page (%lu, %lu)", a, b);
}

void guest_run(void)
{
    exc_set_handler(boot_el, undef_handler);
    test_add_sub();
    test_logical_move();
    test_bitfield();
    test_cond();
    test_mul_div();
    test_bits();
    test_crc();
    test_flagm();
    test_branches();
    test_self_modifying();
    test_undefined();
}
