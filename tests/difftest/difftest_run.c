/*
 * Tandem side of the differential test (tests/difftest/difftest.py): runs
 * each static AArch64 ELF given on the command line on a bare Tandem vCPU
 * and prints, one line per ELF, the hex dump the program would have written
 * with write(2), or "exception ..." if it stopped any other way.
 *
 * The vCPU is created with the "max" model and reset (highest EL); the
 * runner then turns that EL's stage-1 MMU on with an identity map of the
 * RAM as Normal write-back memory (as Linux gives EL0), so VA = PA, Tandem's
 * RAM sits where the ELF's segments are and unaligned accesses behave as
 * under qemu-aarch64. Every
 * vector of that EL holds WFI: the program's first SVC (the write call of
 * the epilogue) enters the vector, the WFI halts the vCPU, and the runner
 * checks ESR_ELx (EC 0x15) and reads the buffer the registers X1/X2 of the
 * call describe straight from RAM. Integer, branch and load/store
 * semantics do not depend on the EL, so this equals EL0 under Linux for
 * the instruction classes the generator emits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/machine.h"
#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "mmu/mmu.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (32ULL << 20)
#define VECTORS_PA (RAM_BASE + RAM_SIZE - 0x1000)
#define TABLE_PA (RAM_BASE + RAM_SIZE - 0x2000)
#define MAX_INSNS 50000000ULL

typedef struct __attribute__((packed)) Elf64Ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} Elf64Ehdr;

typedef struct __attribute__((packed)) Elf64Phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
} Elf64Phdr;

static bool load_elf(Machine *m, const char *path, uint64_t *entry)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return false;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)size);
    bool ok = buf && fread(buf, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    const Elf64Ehdr *eh = (const Elf64Ehdr *)buf;
    ok = ok && (size_t)size >= sizeof(*eh) && !memcmp(eh->ident, "\x7f" "ELF", 4) &&
         eh->machine == 183;
    for (unsigned i = 0; ok && i < eh->phnum; i++) {
        const Elf64Phdr *ph = (const Elf64Phdr *)(buf + eh->phoff + i * sizeof(Elf64Phdr));
        if (ph->type != 1) {
            continue;
        }
        uint8_t *host = addrspace_ram_ptr(&m->as, ph->paddr, ph->memsz);
        if (!host || ph->offset + ph->filesz > (uint64_t)size) {
            ok = false;
            break;
        }
        memset(host, 0, ph->memsz);
        memcpy(host, buf + ph->offset, ph->filesz);
    }
    if (ok) {
        *entry = eh->entry;
    }
    free(buf);
    return ok;
}

static void run_one(Machine *m, CPUState *cpu, const char *path)
{
    memset(m->ram, 0, RAM_SIZE);
    uint64_t entry;
    if (!load_elf(m, path, &entry)) {
        printf("exception cannot-load-elf\n");
        return;
    }
    cpu_reset(cpu);
    cpu_flush_blocks(cpu);   /* RAM was rewritten behind the block cache */
    unsigned el = cpu->el;
    for (unsigned off = 0; off < 0x800; off += 0x80) {
        uint32_t wfi_loop[2] = { 0xd503207f, 0x17ffffff };   /* WFI; B .-4 */
        memcpy(m->ram + (VECTORS_PA - RAM_BASE) + off, wfi_loop, sizeof(wfi_loop));
    }
    cpu->sr.VBAR_ELx[el] = VECTORS_PA;
    /*
     * Stage 1 of the current EL: 4 KiB granule, 39-bit VA (T0SZ = 25, walk
     * starts at level 1), one 1 GiB block mapping RAM_BASE as Normal
     * write-back (MAIR attr 1 = 0xff), AF set, EL0/ELx read-write.
     */
    uint64_t block = RAM_BASE | (1u << 2) | (3u << 8) | (1u << 10) | (1u << 6) | 1;
    memset(m->ram + (TABLE_PA - RAM_BASE), 0, 0x1000);
    memcpy(m->ram + (TABLE_PA - RAM_BASE) + 8 * (RAM_BASE >> 30), &block, 8);
    cpu->sr.MAIR_ELx[el] = 0xff00;
    cpu->sr.TCR_ELx[el] = 25 | (1u << 8) | (1u << 10) | (3u << 12) | (el == 1 ? (1ull << 23) : 0);
    cpu->sr.TTBR0_ELx[el] = TABLE_PA;
    cpu->sr.SCTLR_ELx[el] |= 1 | (1u << 2) | (1u << 12);   /* M, C, I */
    cpu->sr.SCTLR_ELx[el] &= ~(uint64_t)((1u << 1) | (1u << 3) | (1u << 4));   /* A, SA, SA0 */
    mmu_flush_soft_tlb(cpu);
    cpu->pc = entry;
    uint64_t done = 0;
    while (!cpu->halted && done < MAX_INSNS) {
        done += cpu_run(cpu, 1000000);
    }
    uint32_t esr = (uint32_t)cpu->sr.ESR_ELx[cpu->el];
    if (!cpu->halted || (esr >> ESR_EC_SHIFT) != EC_SVC) {
        printf("exception halted=%d el=%u esr=0x%08x elr=0x%016llx pc=0x%016llx\n", cpu->halted, cpu->el,
               esr, (unsigned long long)cpu->sr.ELR_ELx[cpu->el], (unsigned long long)cpu->pc);
        return;
    }
    uint64_t pa = cpu->x[1], len = cpu->x[2];
    const uint8_t *host = addrspace_ram_ptr(&m->as, pa, len);
    if (cpu->x[8] != 64 || !host) {
        printf("exception unexpected-syscall x8=%llu\n", (unsigned long long)cpu->x[8]);
        return;
    }
    for (uint64_t i = 0; i < len; i++) {
        printf("%02x", host[i]);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    static Machine machine;
    Machine *m = &machine;
    addrspace_init(&m->as);
    m->ram = calloc(1, RAM_SIZE);
    m->ram_size = RAM_SIZE;
    if (!m->ram || !addrspace_add_ram(&m->as, "ram", RAM_BASE, RAM_SIZE, m->ram)) {
        fprintf(stderr, "difftest_run: no RAM\n");
        return 2;
    }
    char *error = NULL;
    CPUState *cpu = cpu_create(m, 0, getenv("DIFFTEST_CPU") ? getenv("DIFFTEST_CPU") : "max", &error);
    if (!cpu) {
        fprintf(stderr, "difftest_run: %s\n", error ? error : "cannot create the CPU");
        return 2;
    }
    m->cpus[0] = cpu;
    m->ncpus = 1;
    for (int i = 1; i < argc; i++) {
        run_one(m, cpu, argv[i]);
    }
    fflush(stdout);
    return 0;
}
