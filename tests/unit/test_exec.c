/*
 * The execution engine (cpu/exec.c) on a bare machine: one "max" vCPU reset
 * to its highest EL with the MMU off, code written into RAM through the
 * address space (so the code-written hook is exercised like DMA/loaders).
 */
#include <glib.h>

#include "core/machine.h"
#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "cpu/exec.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (16ULL << 20)
#define VBAR (RAM_BASE + 0x10000)

#define WFI 0xd503207fu
#define MOVZ_X0(v) (0xd2800000u | ((uint32_t)(v) << 5))
#define ADD_X0_1 0x91000400u          /* ADD x0, x0, #1 */
#define CMP_X0(v) (0xf100001fu | ((uint32_t)(v) << 10))
#define BNE(off) (0x54000001u | (((uint32_t)(off) & 0x7ffff) << 5))

static Machine machine;
static CPUState *cpu;

static void put_code(uint64_t pa, const uint32_t *code, size_t n)
{
    g_assert_true(addrspace_write_buf(&machine.as, pa, code, n * 4));
}

static void setup(void)
{
    if (!cpu) {
        addrspace_init(&machine.as);
        machine.ram = g_malloc0(RAM_SIZE);
        machine.ram_size = RAM_SIZE;
        g_assert_true(addrspace_add_ram(&machine.as, "ram", RAM_BASE, RAM_SIZE, machine.ram));
        char *error = NULL;
        cpu = cpu_create(&machine, 0, "max", &error);
        g_assert_nonnull(cpu);
        machine.cpus[0] = cpu;
        machine.ncpus = 1;
    }
    cpu_reset(cpu);
    cpu_flush_blocks(cpu);
    cpu->exit_request = 0;
    cpu->sr.VBAR_ELx[cpu->el] = VBAR;
    for (unsigned off = 0; off < 0x800; off += 0x80) {
        uint32_t stop = WFI;
        put_code(VBAR + off, &stop, 1);
    }
    cpu->pc = RAM_BASE;
}

/* Run until the vCPU halts (WFI); returns the instructions retired. */
static uint64_t run_to_halt(void)
{
    uint64_t total = 0;
    for (int i = 0; i < 1000 && !cpu->halted; i++) {
        total += cpu_run(cpu, 100000);
    }
    g_assert_true(cpu->halted);
    return total;
}

static void test_loop_counts(void)
{
    setup();
    static const uint32_t prog[] = { MOVZ_X0(0), ADD_X0_1, CMP_X0(1000), BNE(-2), WFI };
    put_code(RAM_BASE, prog, G_N_ELEMENTS(prog));
    uint64_t icount0 = cpu->icount;
    uint64_t n = run_to_halt();
    g_assert_cmpuint(cpu->x[0], ==, 1000);
    g_assert_cmpuint(n, ==, 1 + 3 * 1000 + 1);      /* the WFI retires too */
    g_assert_cmpuint(cpu->icount - icount0, ==, n);
    g_assert_cmpuint(cpu->pc, ==, RAM_BASE + 5 * 4);
}

static void test_budget(void)
{
    setup();
    static const uint32_t prog[] = { MOVZ_X0(0), ADD_X0_1, CMP_X0(1000), BNE(-2), WFI };
    put_code(RAM_BASE, prog, G_N_ELEMENTS(prog));
    uint64_t first = cpu_run(cpu, 10);
    g_assert_cmpuint(first, >=, 10);
    g_assert_cmpuint(first, <, 10 + 64);            /* whole blocks: less than one block over */
    g_assert_false(cpu->halted);
    uint64_t rest = run_to_halt();
    g_assert_cmpuint(first + rest, ==, 3002);
    g_assert_cmpuint(cpu->x[0], ==, 1000);
}

static void test_halted_runs_nothing(void)
{
    setup();
    cpu->halted = true;
    g_assert_cmpuint(cpu_run(cpu, 1000), ==, 0);
    cpu->halted = false;
}

static void test_code_written(void)
{
    setup();
    uint32_t prog[] = { MOVZ_X0(1), WFI };
    put_code(RAM_BASE, prog, 2);
    run_to_halt();
    g_assert_cmpuint(cpu->x[0], ==, 1);
    g_assert_true(exec_is_code_page(&machine, RAM_BASE));
    /* A DMA-style write through the address space drops the cached block. */
    prog[0] = MOVZ_X0(2);
    put_code(RAM_BASE, prog, 1);
    g_assert_false(exec_is_code_page(&machine, RAM_BASE));
    cpu->halted = false;
    cpu->pc = RAM_BASE;
    run_to_halt();
    g_assert_cmpuint(cpu->x[0], ==, 2);
    /* A write elsewhere leaves the page's blocks alone (still a code page). */
    uint32_t other = 0;
    g_assert_true(exec_is_code_page(&machine, RAM_BASE));
    put_code(RAM_BASE + 0x4000, &other, 1);
    g_assert_true(exec_is_code_page(&machine, RAM_BASE));
}

static void test_page_crossing(void)
{
    setup();
    static const uint32_t prog[] = { MOVZ_X0(1), ADD_X0_1, ADD_X0_1, WFI };
    uint64_t start = RAM_BASE + 0x1ff8;             /* two instructions on each page */
    put_code(start, prog, G_N_ELEMENTS(prog));
    cpu->pc = start;
    g_assert_cmpuint(run_to_halt(), ==, 4);
    g_assert_cmpuint(cpu->x[0], ==, 3);
}

static void test_pc_alignment(void)
{
    setup();
    cpu->pc = RAM_BASE + 2;
    run_to_halt();
    unsigned el = cpu->el;
    g_assert_cmpuint(cpu->sr.ESR_ELx[el] >> ESR_EC_SHIFT, ==, EC_PCALIGNMENT);
    g_assert_cmpuint(cpu->sr.ELR_ELx[el], ==, RAM_BASE + 2);
    g_assert_cmpuint(cpu->sr.FAR_ELx[el], ==, RAM_BASE + 2);
    g_assert_cmpuint(cpu->pc, ==, VBAR + 0x200 + 4);   /* current EL, SPx, past the WFI */
}

static void test_undefined_ends_block(void)
{
    setup();
    static const uint32_t prog[] = { MOVZ_X0(5), 0x00000000u /* UDF #0 */, MOVZ_X0(6), WFI };
    put_code(RAM_BASE, prog, G_N_ELEMENTS(prog));
    run_to_halt();
    g_assert_cmpuint(cpu->x[0], ==, 5);
    g_assert_cmpuint(cpu->sr.ESR_ELx[cpu->el] >> ESR_EC_SHIFT, ==, EC_UNKNOWN);
    g_assert_cmpuint(cpu->sr.ELR_ELx[cpu->el], ==, RAM_BASE + 4);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/exec/loop_counts", test_loop_counts);
    g_test_add_func("/exec/budget", test_budget);
    g_test_add_func("/exec/halted_runs_nothing", test_halted_runs_nothing);
    g_test_add_func("/exec/code_written", test_code_written);
    g_test_add_func("/exec/page_crossing", test_page_crossing);
    g_test_add_func("/exec/pc_alignment", test_pc_alignment);
    g_test_add_func("/exec/undefined_ends_block", test_undefined_ends_block);
    int status = g_test_run();
    if (cpu) {
        exec_cpu_destroy(cpu);
        exec_machine_destroy(&machine);
        g_assert_false(exec_is_code_page(&machine, RAM_BASE));
        cpu_destroy(cpu);
        addrspace_destroy(&machine.as);
        g_free(machine.ram);
    }
    return status;
}
