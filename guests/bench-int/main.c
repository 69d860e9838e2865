/*
 * CPU-bound integer benchmark (issues 3 and 9): hashing, sorting and a
 * bytecode interpreter loop, each checked for the right result so the
 * benchmark also tests. Time it from outside (wall clock) under Tandem and
 * under qemu-system-aarch64; Tandem's -d/icount gives the instruction count.
 * The amount of work is fixed (ROUNDS), so the guest takes the same path on
 * both emulators.
 */
#include "guest.h"

#define N 4096
#ifndef ROUNDS
#define ROUNDS 40        /* guests/bench-int-long builds this file with 400 */
#endif

static uint32_t data[N];
static uint8_t bytes[N * 4];

static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static void sort(uint32_t *a, int lo, int hi)
{
    while (lo < hi) {
        uint32_t pivot = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                uint32_t t = a[i]; a[i] = a[j]; a[j] = t;
                i++; j--;
            }
        }
        if (j - lo < hi - i) {
            sort(a, lo, j);
            lo = i;
        } else {
            sort(a, i, hi);
            hi = j;
        }
    }
}

/* A tiny stack machine: computes sum_{i<n} (i*i ^ (i>>3)) mod 2^32. */
enum { OP_PUSHI, OP_LOAD, OP_STORE, OP_ADD, OP_MUL, OP_XOR, OP_SHR, OP_LT, OP_JZ, OP_JMP, OP_HALT };
static const int32_t program[] = {
    OP_PUSHI, 0, OP_STORE, 0,            /* i = 0 */
    OP_PUSHI, 0, OP_STORE, 1,            /* s = 0 */
    /* 8: loop */
    OP_LOAD, 0, OP_LOAD, 2, OP_LT, OP_JZ, 40,
    OP_LOAD, 0, OP_LOAD, 0, OP_MUL, OP_LOAD, 0, OP_PUSHI, 3, OP_SHR, OP_XOR,
    OP_LOAD, 1, OP_ADD, OP_STORE, 1,
    OP_LOAD, 0, OP_PUSHI, 1, OP_ADD, OP_STORE, 0, OP_JMP, 8,
    /* 40: */ OP_HALT,
};

static uint32_t interp(uint32_t n)
{
    uint32_t vars[3] = { 0, 0, n }, stack[16];
    int sp = 0, pc = 0;
    for (;;) {
        switch (program[pc++]) {
        case OP_PUSHI: stack[sp++] = (uint32_t)program[pc++]; break;
        case OP_LOAD: stack[sp++] = vars[program[pc++]]; break;
        case OP_STORE: vars[program[pc++]] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_SHR: sp--; stack[sp - 1] >>= stack[sp]; break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_JZ: { int t = program[pc++]; if (!stack[--sp]) pc = t; break; }
        case OP_JMP: pc = program[pc]; break;
        default: return vars[1];
        }
    }
}

/*
 * Identity map of the first 4 GiB with 1 GiB blocks (device below the RAM,
 * normal write-back RAM from 0x40000000) and the MMU and caches on, as real
 * workloads run: with the MMU off every data access is to Device memory.
 */
static uint64_t l1_table[512] __attribute__((aligned(4096)));

#define MAIR_VALUE 0xff00ull                     /* attr0 Device-nGnRnE, attr1 Normal WB */
#define BLOCK_DEVICE ((0ull << 2) | (1ull << 10) | 1)                  /* AttrIndx 0, AF */
#define BLOCK_NORMAL ((1ull << 2) | (3ull << 8) | (1ull << 10) | 1)    /* AttrIndx 1, ISH, AF */
#define TCR_VALUE ((32ull << 0) | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 16))

static void mmu_enable(void)
{
    for (uint64_t i = 0; i < 4; i++) {
        l1_table[i] = (i << 30) | (i == 0 ? BLOCK_DEVICE : BLOCK_NORMAL);
    }
    dsb(sy);
    if (current_el() == 2) {
        write_sysreg(MAIR_VALUE, mair_el2);
        write_sysreg(TCR_VALUE | (1ull << 31) | (1ull << 23), tcr_el2);   /* RES1 bits */
        write_sysreg((uint64_t)l1_table, ttbr0_el2);
        isb();
        write_sysreg(read_sysreg(sctlr_el2) | 1 | (1 << 2) | (1 << 12), sctlr_el2);
    } else {
        write_sysreg(MAIR_VALUE, mair_el1);
        write_sysreg(TCR_VALUE | (1ull << 23), tcr_el1);                 /* EPD1: no TTBR1 walks */
        write_sysreg((uint64_t)l1_table, ttbr0_el1);
        isb();
        write_sysreg(read_sysreg(sctlr_el1) | 1 | (1 << 2) | (1 << 12), sctlr_el1);
    }
    isb();
}

void guest_run(void)
{
    mmu_enable();
    /* Under Tandem (instruction-derived time, 1 ns per instruction by
     * default) the counter delta gives the instructions retired; tests/bench-int.py
     * uses it to compute MIPS for both emulators (same program, same count). */
    uint64_t freq = read_sysreg(cntfrq_el0), t0 = read_sysreg(cntvct_el0);
    uint64_t hash_acc = 0;
    bool sorted = true;
    uint32_t interp_acc = 0, expect_acc = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++) {
            data[i] = rng();
        }
        for (int i = 0; i < N * 4; i++) {
            bytes[i] = (uint8_t)(data[i / 4] >> (8 * (i % 4)));
        }
        hash_acc ^= fnv1a(bytes, sizeof(bytes));
        sort(data, 0, N - 1);
        for (int i = 1; i < N; i++) {
            sorted &= data[i - 1] <= data[i];
        }
        uint32_t n = 2000 + (uint32_t)r;
        interp_acc += interp(n);
        for (uint32_t i = 0; i < n; i++) {
            expect_acc += (i * i) ^ (i >> 3);
        }
    }
    uint64_t ticks = read_sysreg(cntvct_el0) - t0;
    printf("bench-int: %lu counter ticks at %lu Hz for %d rounds\n", (unsigned long)ticks,
           (unsigned long)freq, ROUNDS);
    report(sorted, "quicksort sorts %d rounds of %d words", ROUNDS, N);
    report(interp_acc == expect_acc, "bytecode interpreter result 0x%x (C: 0x%x)", interp_acc, expect_acc);
    report(hash_acc != 0, "FNV-1a accumulated hash 0x%lx", (unsigned long)hash_acc);
}
