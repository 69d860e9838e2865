/*
 * Cryptographic extension instructions (Arm ARM C4.1.6 "Cryptographic AES",
 * "Cryptographic three-register SHA", "two-register SHA", "SHA512
 * three-register / two-register", "four-register", XAR): AESE/AESD/AESMC/
 * AESIMC (FEAT_AES), SHA1* (FEAT_SHA1), SHA256* (FEAT_SHA256), SHA512*
 * (FEAT_SHA512), EOR3/RAX1/XAR/BCAX (FEAT_SHA3). SM3/SM4 are not implemented
 * (ID_AA64ISAR0_EL1.SM3/SM4 = 0). The algorithms follow the pseudocode of
 * each instruction; the AES tables are computed from the GF(2^8) definition.
 */
#include "cpu/simd-int.h"
#include "decode-a64.h"

static unsigned isar0(const CPUState *cpu, unsigned shift)
{
    return id_field(cpu->id.ID_AA64ISAR0_EL1, shift);
}

/* --- AES --- */
static uint8_t aes_sbox[256], aes_inv_sbox[256];
static bool aes_tables_ready;

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    while (b) {
        if (b & 1) {
            r ^= a;
        }
        a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
        b >>= 1;
    }
    return r;
}

static void aes_init_tables(void)
{
    for (unsigned x = 0; x < 256; x++) {
        uint8_t inv = 0;
        for (unsigned y = 1; y < 256 && x; y++) {
            if (gf_mul((uint8_t)x, (uint8_t)y) == 1) {
                inv = (uint8_t)y;
                break;
            }
        }
        /* Affine transform: b ^ rotl(b,1) ^ rotl(b,2) ^ rotl(b,3) ^ rotl(b,4) ^ 0x63. */
        uint8_t s = inv;
        for (unsigned k = 1; k <= 4; k++) {
            s ^= (uint8_t)((inv << k) | (inv >> (8 - k)));
        }
        s ^= 0x63;
        aes_sbox[x] = s;
        aes_inv_sbox[s] = (uint8_t)x;
    }
    aes_tables_ready = true;
}

/* state byte i = row (i % 4), column (i / 4). */
static void aes_sub_shift(uint8_t st[16], bool inverse)
{
    uint8_t t[16];
    for (unsigned r = 0; r < 4; r++) {
        for (unsigned c = 0; c < 4; c++) {
            unsigned from = inverse ? (c + 4 - r) % 4 : (c + r) % 4;
            uint8_t b = st[r + 4 * from];
            t[r + 4 * c] = inverse ? aes_inv_sbox[b] : aes_sbox[b];
        }
    }
    memcpy(st, t, 16);
}

static void aes_mix(uint8_t st[16], bool inverse)
{
    static const uint8_t fwd[4] = { 2, 3, 1, 1 }, inv[4] = { 14, 11, 13, 9 };
    const uint8_t *m = inverse ? inv : fwd;
    for (unsigned c = 0; c < 4; c++) {
        uint8_t col[4], out[4];
        memcpy(col, st + 4 * c, 4);
        for (unsigned r = 0; r < 4; r++) {
            out[r] = 0;
            for (unsigned k = 0; k < 4; k++) {
                out[r] ^= gf_mul(col[k], m[(k + 4 - r) % 4]);
            }
        }
        memcpy(st + 4 * c, out, 4);
    }
}

/* opcode: 00100 AESE, 00101 AESD, 00110 AESMC, 00111 AESIMC. */
ExecStatus trans_CRYPTO_aes(CPUState *cpu, const arg_CRYPTO_aes *a)
{
    if (a->size != 0 || a->opcode < 4 || a->opcode > 7 || isar0(cpu, 4) == 0) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    if (!aes_tables_ready) {
        aes_init_tables();
    }
    uint8_t st[16];
    memcpy(st, cpu->z[a->Rn].b, 16);
    switch (a->opcode) {
    case 4:
    case 5:
        for (unsigned i = 0; i < 16; i++) {
            st[i] ^= cpu->z[a->Rd].b[i];
        }
        aes_sub_shift(st, a->opcode == 5);
        break;
    default:
        aes_mix(st, a->opcode == 7);
        break;
    }
    uint64_t v[2];
    memcpy(v, st, 16);
    vreg_set128(cpu, a->Rd, v[0], v[1]);
    return EXEC_NEXT;
}

/* --- SHA-1 / SHA-256 --- */
static inline uint32_t rol32(uint32_t x, unsigned n) { return (x << n) | (x >> ((32 - n) & 31)); }
static inline uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << ((32 - n) & 31)); }
static inline uint64_t ror64(uint64_t x, unsigned n) { return n ? (x >> n) | (x << (64 - n)) : x; }

static void vwords(const CPUState *cpu, unsigned n, uint32_t w[4])
{
    memcpy(w, cpu->z[n].s, 16);
}

static void set_vwords(CPUState *cpu, unsigned d, const uint32_t w[4])
{
    uint64_t v[2];
    memcpy(v, w, 16);
    vreg_set128(cpu, d, v[0], v[1]);
}

static void sha256_hash(uint32_t x[4], uint32_t y[4], const uint32_t w[4])
{
    for (unsigned e = 0; e < 4; e++) {
        uint32_t chs = ((y[1] ^ y[2]) & y[0]) ^ y[2];
        uint32_t maj = (x[0] & x[1]) | ((x[0] | x[1]) & x[2]);
        uint32_t t = y[3] + (ror32(y[0], 6) ^ ror32(y[0], 11) ^ ror32(y[0], 25)) + chs + w[e];
        x[3] = t + x[3];
        y[3] = t + (ror32(x[0], 2) ^ ror32(x[0], 13) ^ ror32(x[0], 22)) + maj;
        /* (Y, X) = ROL(Y:X, 32) */
        uint32_t x3 = x[3], y3 = y[3];
        x[3] = x[2]; x[2] = x[1]; x[1] = x[0]; x[0] = y3;
        y[3] = y[2]; y[2] = y[1]; y[1] = y[0]; y[0] = x3;
    }
}

/* opcode: 000 SHA1C, 001 SHA1P, 010 SHA1M, 011 SHA1SU0, 100 SHA256H, 101 SHA256H2, 110 SHA256SU1. */
ExecStatus trans_CRYPTO_sha3reg(CPUState *cpu, const arg_CRYPTO_sha3reg *a)
{
    unsigned op = a->opcode;
    bool ok = a->size == 0 && op != 7 && (op <= 3 ? isar0(cpu, 8) != 0 : isar0(cpu, 12) != 0);
    if (!ok) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    uint32_t d[4], n[4], m[4], r[4];
    vwords(cpu, a->Rd, d);
    vwords(cpu, a->Rn, n);
    vwords(cpu, a->Rm, m);
    switch (op) {
    case 0: case 1: case 2: {
        uint32_t y = n[0];
        memcpy(r, d, 16);
        for (unsigned e = 0; e < 4; e++) {
            uint32_t t;
            if (op == 0) {
                t = ((r[2] ^ r[3]) & r[1]) ^ r[3];
            } else if (op == 1) {
                t = r[1] ^ r[2] ^ r[3];
            } else {
                t = (r[1] & r[2]) | ((r[1] | r[2]) & r[3]);
            }
            y = y + rol32(r[0], 5) + t + m[e];
            r[1] = rol32(r[1], 30);
            uint32_t r3 = r[3];
            r[3] = r[2]; r[2] = r[1]; r[1] = r[0]; r[0] = y;
            y = r3;
        }
        break;
    }
    case 3:     /* SHA1SU0 */
        r[0] = d[2] ^ d[0] ^ m[0];
        r[1] = d[3] ^ d[1] ^ m[1];
        r[2] = n[0] ^ d[2] ^ m[2];
        r[3] = n[1] ^ d[3] ^ m[3];
        break;
    case 4: {   /* SHA256H */
        uint32_t x[4], y[4];
        memcpy(x, d, 16);
        memcpy(y, n, 16);
        sha256_hash(x, y, m);
        memcpy(r, x, 16);
        break;
    }
    case 5: {   /* SHA256H2 */
        uint32_t x[4], y[4];
        memcpy(x, n, 16);
        memcpy(y, d, 16);
        sha256_hash(x, y, m);
        memcpy(r, y, 16);
        break;
    }
    default: {  /* SHA256SU1 */
        uint32_t t0[4] = { n[1], n[2], n[3], m[0] };
        for (unsigned e = 0; e < 2; e++) {
            uint32_t elt = m[2 + e];
            elt = ror32(elt, 17) ^ ror32(elt, 19) ^ (elt >> 10);
            r[e] = elt + d[e] + t0[e];
        }
        for (unsigned e = 2; e < 4; e++) {
            uint32_t elt = r[e - 2];
            elt = ror32(elt, 17) ^ ror32(elt, 19) ^ (elt >> 10);
            r[e] = elt + d[e] + t0[e];
        }
        break;
    }
    }
    set_vwords(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* opcode: 00000 SHA1H, 00001 SHA1SU1, 00010 SHA256SU0. */
ExecStatus trans_CRYPTO_sha2reg(CPUState *cpu, const arg_CRYPTO_sha2reg *a)
{
    unsigned op = a->opcode;
    bool ok = a->size == 0 && op <= 2 && (op <= 1 ? isar0(cpu, 8) != 0 : isar0(cpu, 12) != 0);
    if (!ok) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    uint32_t d[4], n[4], r[4];
    vwords(cpu, a->Rd, d);
    vwords(cpu, a->Rn, n);
    if (op == 0) {
        vreg_set_scalar(cpu, a->Rd, rol32(n[0], 30));
        return EXEC_NEXT;
    }
    if (op == 1) {      /* SHA1SU1 */
        uint32_t t[4] = { d[0] ^ n[1], d[1] ^ n[2], d[2] ^ n[3], d[3] };
        r[0] = rol32(t[0], 1);
        r[1] = rol32(t[1], 1);
        r[2] = rol32(t[2], 1);
        r[3] = rol32(t[3], 1) ^ rol32(t[0], 2);
    } else {            /* SHA256SU0 */
        uint32_t t[4] = { d[1], d[2], d[3], n[0] };
        for (unsigned e = 0; e < 4; e++) {
            r[e] = (ror32(t[e], 7) ^ ror32(t[e], 18) ^ (t[e] >> 3)) + d[e];
        }
    }
    set_vwords(cpu, a->Rd, r);
    return EXEC_NEXT;
}

/* --- SHA-512 and SHA-3 --- */
static bool have_sha512(const CPUState *cpu) { return isar0(cpu, 12) >= 2; }
static bool have_sha3(const CPUState *cpu) { return isar0(cpu, 32) != 0; }

static inline uint64_t sha512_s0(uint64_t x) { return ror64(x, 1) ^ ror64(x, 8) ^ (x >> 7); }
static inline uint64_t sha512_s1(uint64_t x) { return ror64(x, 19) ^ ror64(x, 61) ^ (x >> 6); }

/* O:opcode: 000 SHA512H, 001 SHA512H2, 010 SHA512SU1, 011 RAX1; O=1 is SM3/SM4 (absent). */
ExecStatus trans_CRYPTO_sha512_3reg(CPUState *cpu, const arg_CRYPTO_sha512_3reg *a)
{
    if (a->O || (a->opcode == 3 ? !have_sha3(cpu) : !have_sha512(cpu))) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    const uint64_t *d = cpu->z[a->Rd].d, *n = cpu->z[a->Rn].d, *m = cpu->z[a->Rm].d;
    uint64_t r[2];
    switch (a->opcode) {
    case 0: {   /* SHA512H: X = Vn, Y = Vm, W = Vd */
        uint64_t s1 = ror64(m[1], 14) ^ ror64(m[1], 18) ^ ror64(m[1], 41);
        uint64_t hi = ((m[1] & n[0]) ^ (~m[1] & n[1])) + s1 + d[1];
        uint64_t tmp = hi + m[0];
        s1 = ror64(tmp, 14) ^ ror64(tmp, 18) ^ ror64(tmp, 41);
        r[0] = ((tmp & m[1]) ^ (~tmp & n[0])) + s1 + d[0];
        r[1] = hi;
        break;
    }
    case 1: {   /* SHA512H2 */
        uint64_t s0 = ror64(m[0], 28) ^ ror64(m[0], 34) ^ ror64(m[0], 39);
        uint64_t hi = ((n[0] & m[1]) ^ (n[0] & m[0]) ^ (m[1] & m[0])) + s0 + d[1];
        s0 = ror64(hi, 28) ^ ror64(hi, 34) ^ ror64(hi, 39);
        r[0] = ((hi & m[0]) ^ (hi & m[1]) ^ (m[1] & m[0])) + s0 + d[0];
        r[1] = hi;
        break;
    }
    case 2:     /* SHA512SU1 */
        r[1] = d[1] + sha512_s1(n[1]) + m[1];
        r[0] = d[0] + sha512_s1(n[0]) + m[0];
        break;
    default:    /* RAX1 */
        r[0] = n[0] ^ ror64(m[0], 63);
        r[1] = n[1] ^ ror64(m[1], 63);
        break;
    }
    vreg_set128(cpu, a->Rd, r[0], r[1]);
    return EXEC_NEXT;
}

/* opcode 00 SHA512SU0; 01 SM4E (absent). */
ExecStatus trans_CRYPTO_sha512_2reg(CPUState *cpu, const arg_CRYPTO_sha512_2reg *a)
{
    if (a->opcode != 0 || !have_sha512(cpu)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    const uint64_t *d = cpu->z[a->Rd].d, *n = cpu->z[a->Rn].d;
    uint64_t lo = d[0] + sha512_s0(d[1]);
    uint64_t hi = d[1] + sha512_s0(n[0]);
    vreg_set128(cpu, a->Rd, lo, hi);
    return EXEC_NEXT;
}

/* Op0: 00 EOR3, 01 BCAX; 10 SM3SS1 (absent). */
ExecStatus trans_CRYPTO_4reg(CPUState *cpu, const arg_CRYPTO_4reg *a)
{
    if (a->Op0 > 1 || !have_sha3(cpu)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    const uint64_t *n = cpu->z[a->Rn].d, *m = cpu->z[a->Rm].d, *ra = cpu->z[a->Ra].d;
    uint64_t r[2];
    for (int i = 0; i < 2; i++) {
        r[i] = a->Op0 ? n[i] ^ (m[i] & ~ra[i]) : n[i] ^ m[i] ^ ra[i];
    }
    vreg_set128(cpu, a->Rd, r[0], r[1]);
    return EXEC_NEXT;
}

ExecStatus trans_CRYPTO_xar(CPUState *cpu, const arg_CRYPTO_xar *a)
{
    if (!have_sha3(cpu)) {
        return cpu_raise_undef(cpu);
    }
    FP_ACCESS_CHECK(cpu);
    const uint64_t *n = cpu->z[a->Rn].d, *m = cpu->z[a->Rm].d;
    vreg_set128(cpu, a->Rd, ror64(n[0] ^ m[0], a->imm6), ror64(n[1] ^ m[1], a->imm6));
    return EXEC_NEXT;
}
