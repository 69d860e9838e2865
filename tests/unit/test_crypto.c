/*
 * Known-answer tests for the crypto instructions, run through the decoder:
 * AES-128 (FIPS-197 appendix C.1) with AESE/AESMC and AESD/AESIMC, SHA-1
 * and SHA-256 of "abc" (FIPS 180-2 examples) with the SHA1* / SHA256*
 * instruction sequences. Encodings from aarch64-linux-gnu-as.
 */
#include "insn_test_env.h"

static CPUState *cpu_new(void)
{
    CPUState *cpu = insn_test_cpu_new();
    /* AES+PMULL, SHA1, SHA256+SHA512, SHA3 */
    cpu->id.ID_AA64ISAR0_EL1 = (2ULL << 4) | (1ULL << 8) | (2ULL << 12) | (1ULL << 32);
    return cpu;
}

static void run(CPUState *cpu, uint32_t insn)
{
    g_assert_cmpint(insn_test_run(cpu, insn), ==, EXEC_NEXT);
}

static void setv(CPUState *cpu, unsigned n, const void *bytes)
{
    memcpy(cpu->z[n].b, bytes, 16);
}

/* FIPS-197 key expansion (test-side reference for the round keys). */
static void aes128_expand(const uint8_t key[16], uint8_t rk[11][16], const uint8_t sbox[256])
{
    uint8_t w[176];
    memcpy(w, key, 16);
    uint8_t rcon = 1;
    for (unsigned i = 16; i < 176; i += 4) {
        uint8_t t[4] = { w[i - 4], w[i - 3], w[i - 2], w[i - 1] };
        if (i % 16 == 0) {
            uint8_t t0 = t[0];
            t[0] = sbox[t[1]] ^ rcon;
            t[1] = sbox[t[2]];
            t[2] = sbox[t[3]];
            t[3] = sbox[t0];
            rcon = (uint8_t)((rcon << 1) ^ ((rcon & 0x80) ? 0x1b : 0));
        }
        for (unsigned k = 0; k < 4; k++) {
            w[i + k] = w[i - 16 + k] ^ t[k];
        }
    }
    memcpy(rk, w, 176);
}

static void test_aes(void)
{
    CPUState *cpu = cpu_new();
    /* The S-box, read back through AESE with a zero key on a state whose
       ShiftRows is the identity for byte 0: replicate each value in all 16. */
    uint8_t sbox[256];
    for (unsigned x = 0; x < 256; x++) {
        uint8_t st[16], z[16] = { 0 };
        memset(st, (int)x, 16);
        setv(cpu, 0, st);
        setv(cpu, 1, z);
        run(cpu, 0x4e284820);                       /* aese v0.16b, v1.16b */
        sbox[x] = cpu->z[0].b[0];
    }
    g_assert_cmphex(sbox[0x00], ==, 0x63);
    g_assert_cmphex(sbox[0x53], ==, 0xed);
    g_assert_cmphex(sbox[0xff], ==, 0x16);

    static const uint8_t key[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                     0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
    static const uint8_t pt[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    static const uint8_t ct[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                    0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
    uint8_t rk[11][16];
    aes128_expand(key, rk, sbox);
    /* Encrypt: AESE (AddRoundKey, ShiftRows, SubBytes) + AESMC per round. */
    setv(cpu, 0, pt);
    for (unsigned r = 0; r < 10; r++) {
        setv(cpu, 1, rk[r]);
        run(cpu, 0x4e284820);                       /* aese */
        if (r < 9) {
            run(cpu, 0x4e286800);                   /* aesmc v0.16b, v0.16b */
        }
    }
    uint8_t out[16];
    for (unsigned i = 0; i < 16; i++) {
        out[i] = cpu->z[0].b[i] ^ rk[10][i];
    }
    g_assert_cmpmem(out, 16, ct, 16);
    /* Decrypt: AESD (AddRoundKey, InvShiftRows, InvSubBytes) + AESIMC. */
    uint8_t zero[16] = { 0 };
    setv(cpu, 0, ct);
    setv(cpu, 1, rk[10]);
    run(cpu, 0x4e285820);                           /* aesd v0.16b, v1.16b */
    for (int r = 9; r >= 1; r--) {
        for (unsigned i = 0; i < 16; i++) {
            cpu->z[0].b[i] ^= rk[r][i];
        }
        run(cpu, 0x4e287800);                       /* aesimc v0.16b, v0.16b */
        setv(cpu, 1, zero);
        run(cpu, 0x4e285820);
    }
    for (unsigned i = 0; i < 16; i++) {
        out[i] = cpu->z[0].b[i] ^ rk[0][i];
    }
    g_assert_cmpmem(out, 16, pt, 16);
    g_free(cpu);
}

/* The padded one-block message "abc" as big-endian words. */
static void abc_block(uint32_t w[16])
{
    memset(w, 0, 64);
    w[0] = 0x61626380;
    w[15] = 24;
}

static void setw(CPUState *cpu, unsigned n, const uint32_t w[4])
{
    memcpy(cpu->z[n].s, w, 16);
    memset(&cpu->z[n].d[2], 0, sizeof(ZReg) - 16);
}

static void test_sha256(void)
{
    static const uint32_t K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };
    static const uint32_t H0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    static const uint32_t want[8] = { 0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                      0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad };
    CPUState *cpu = cpu_new();
    uint32_t msg[16][4], blk[16];
    abc_block(blk);
    for (unsigned i = 0; i < 4; i++) {
        memcpy(msg[i], blk + 4 * i, 16);
    }
    for (unsigned i = 4; i < 16; i++) {
        setw(cpu, 4, msg[i - 4]);
        setw(cpu, 5, msg[i - 3]);
        run(cpu, 0x5e2828a4);                       /* sha256su0 v4.4s, v5.4s */
        setw(cpu, 6, msg[i - 2]);
        setw(cpu, 7, msg[i - 1]);
        run(cpu, 0x5e0760c4);                       /* sha256su1 v4.4s, v6.4s, v7.4s */
        memcpy(msg[i], cpu->z[4].s, 16);
    }
    uint32_t abcd[4], efgh[4];
    memcpy(abcd, H0, 16);
    memcpy(efgh, H0 + 4, 16);
    for (unsigned i = 0; i < 16; i++) {
        uint32_t wk[4];
        for (unsigned k = 0; k < 4; k++) {
            wk[k] = msg[i][k] + K[4 * i + k];
        }
        setw(cpu, 0, abcd);
        setw(cpu, 1, efgh);
        setw(cpu, 2, wk);
        setw(cpu, 3, abcd);
        run(cpu, 0x5e024020);                       /* sha256h q0, q1, v2.4s */
        run(cpu, 0x5e025061);                       /* sha256h2 q1, q3, v2.4s */
        memcpy(abcd, cpu->z[0].s, 16);
        memcpy(efgh, cpu->z[1].s, 16);
    }
    for (unsigned k = 0; k < 4; k++) {
        g_assert_cmphex(abcd[k] + H0[k], ==, want[k]);
        g_assert_cmphex(efgh[k] + H0[4 + k], ==, want[4 + k]);
    }
    g_free(cpu);
}

static void test_sha1(void)
{
    static const uint32_t H0[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    static const uint32_t K[4] = { 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6 };
    static const uint32_t want[5] = { 0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c, 0x9cd0d89d };
    CPUState *cpu = cpu_new();
    uint32_t msg[20][4], blk[16];
    abc_block(blk);
    for (unsigned i = 0; i < 4; i++) {
        memcpy(msg[i], blk + 4 * i, 16);
    }
    for (unsigned i = 4; i < 20; i++) {
        setw(cpu, 4, msg[i - 4]);
        setw(cpu, 5, msg[i - 3]);
        setw(cpu, 6, msg[i - 2]);
        run(cpu, 0x5e0630a4);                       /* sha1su0 v4.4s, v5.4s, v6.4s */
        setw(cpu, 7, msg[i - 1]);
        run(cpu, 0x5e2818e4);                       /* sha1su1 v4.4s, v7.4s */
        memcpy(msg[i], cpu->z[4].s, 16);
    }
    uint32_t abcd[4];
    memcpy(abcd, H0, 16);
    uint32_t e = H0[4];
    for (unsigned i = 0; i < 20; i++) {
        uint32_t wk[4], ew[4] = { e, 0, 0, 0 };
        for (unsigned k = 0; k < 4; k++) {
            wk[k] = msg[i][k] + K[i / 5];
        }
        setw(cpu, 3, abcd);
        run(cpu, 0x5e280861);                       /* sha1h s1, s3: next group's E */
        uint32_t e_next = cpu->z[1].s[0];
        setw(cpu, 0, abcd);
        setw(cpu, 1, ew);
        setw(cpu, 2, wk);
        uint32_t insn = i < 5 ? 0x5e020020 : (i < 10 || i >= 15) ? 0x5e021020 : 0x5e022020;   /* c/p/m */
        run(cpu, insn);
        memcpy(abcd, cpu->z[0].s, 16);
        e = e_next;
    }
    for (unsigned k = 0; k < 4; k++) {
        g_assert_cmphex(abcd[k] + H0[k], ==, want[k]);
    }
    g_assert_cmphex(e + H0[4], ==, want[4]);
    g_free(cpu);
}

static void test_undefined_when_absent(void)
{
    CPUState *cpu = g_malloc0(sizeof(CPUState));
    cpu->el = 3;
    g_assert_cmpint(cpu_decode(0x4e284820)(cpu, 0x4e284820), ==, EXEC_EXCEPTION);   /* aese */
    g_assert_cmpint(cpu_decode(0x5e024020)(cpu, 0x5e024020), ==, EXEC_EXCEPTION);   /* sha256h */
    g_free(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/crypto/aes128_fips197", test_aes);
    g_test_add_func("/crypto/sha256_abc", test_sha256);
    g_test_add_func("/crypto/sha1_abc", test_sha1);
    g_test_add_func("/crypto/undefined_when_absent", test_undefined_when_absent);
    return g_test_run();
}
