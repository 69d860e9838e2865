/*
 * cpu/mem.c and the load/store handlers against a fake MMU.
 *
 * Linked with cpu/mem.c, the cpu-ldst handlers, core/addrspace.c and a
 * decoder generated from cpu/a64-ldst.decode alone (tests/meson.build), with
 * the MMU, exception entry, FP trap check, PAuth and code-page tracking
 * replaced by the recording stand-ins below. Instruction words were
 * assembled with aarch64-linux-gnu-as (shown in the comments).
 */
#include <glib.h>

#include "core/gdbstub.h"
#include "core/machine.h"
#include "cpu/debug.h"
#include "cpu/exception.h"
#include "cpu/exec.h"
#include "cpu/mem.h"
#include "cpu/pauth.h"

/* ---------------- fake MMU: identity unless a page is listed ---------------- */

typedef struct FakePage {
    uint64_t va_page, pa_page;
    bool r, w, x, device, priv_only;
    MMUFaultType fault;
} FakePage;

static FakePage fake_pages[16];
static unsigned fake_npages;
static unsigned translate_calls;
static bool default_device;

static void fake_map(uint64_t va, uint64_t pa, bool r, bool w, bool x, bool device)
{
    fake_pages[fake_npages++] = (FakePage){ va & ~0xfffULL, pa & ~0xfffULL, r, w, x, device, false, 0 };
}

bool mmu_translate(CPUState *cpu, uint64_t va, MMUAccessType access, MMUIdx mmu_idx,
                   MMUResult *res, MMUFault *fault)
{
    translate_calls++;
    FakePage id = { va & ~0xfffULL, va & ~0xfffULL, true, true, true, default_device, false, 0 };
    const FakePage *p = &id;
    for (unsigned i = 0; i < fake_npages; i++) {
        if (fake_pages[i].va_page == (va & ~0xfffULL)) {
            p = &fake_pages[i];
        }
    }
    bool user = mmu_idx == MMU_IDX_E10_0 || mmu_idx == MMU_IDX_E20_0;
    bool r = p->r && !(user && p->priv_only), w = p->w && !(user && p->priv_only);
    MMUFaultType f = p->fault;
    if (!f && ((access == MMU_ACCESS_READ && !r) || (access == MMU_ACCESS_WRITE && !w) ||
               (access == MMU_ACCESS_FETCH && !p->x))) {
        f = MMU_FAULT_PERMISSION;
    }
    if (f) {
        fault->type = f;
        fault->level = 3;
        fault->write = access == MMU_ACCESS_WRITE;
        return false;
    }
    memset(res, 0, sizeof(*res));
    res->pa = p->pa_page | (va & 0xfff);
    res->page_size = 0x1000;
    res->readable = r;
    res->writable = w;
    res->executable = p->x;
    res->device = p->device;
    return true;
}

bool mmu_walk_debug(CPUState *cpu, uint64_t va, MMUIdx mmu_idx, MMUAccessType access,
                    MMUWalkTraceFn trace, void *opaque, MMUResult *res, MMUFault *fault)
{
    bool ok = mmu_translate(cpu, va, access, mmu_idx, res, fault);
    translate_calls--;   /* not a translation the softmmu made */
    return ok;
}

/* ---------------- recording stand-ins for the rest of the CPU ---------------- */

static struct {
    int count;
    MMUFault fault;
    uint64_t va;
    MMUAccessType access;
} aborts;
static int undefs, sp_faults, fp_traps;
static bool fp_trap_on;
static uint64_t code_pa_page = ~0ULL;
static int code_writes;

ExecStatus cpu_raise_abort(CPUState *cpu, const MMUFault *fault, uint64_t va, MMUAccessType access)
{
    aborts.count++;
    aborts.fault = *fault;
    aborts.va = va;
    aborts.access = access;
    return EXEC_EXCEPTION;
}

ExecStatus cpu_raise_undef(CPUState *cpu)
{
    undefs++;
    return EXEC_EXCEPTION;
}

ExecStatus cpu_raise_sp_alignment(CPUState *cpu)
{
    sp_faults++;
    return EXEC_EXCEPTION;
}

ExecStatus cpu_check_fp_enabled(CPUState *cpu)
{
    if (fp_trap_on) {
        fp_traps++;
        return EXEC_EXCEPTION;
    }
    return EXEC_NEXT;
}

/* Stand-in authentication: strips bits 63:48. */
bool pauth_auth(CPUState *cpu, uint64_t *ptr, uint64_t modifier, PAuthKeyId key)
{
    *ptr &= 0x0000ffffffffffffULL;
    return true;
}

bool exec_is_code_page(Machine *m, uint64_t pa)
{
    return (pa & ~0xfffULL) == code_pa_page;
}

void exec_notify_write(Machine *m, uint64_t pa, uint64_t len)
{
    code_writes++;
}

/* Watchpoints: debug exceptions enabled, taken at the current EL, recorded. */
static struct {
    int count;
    uint32_t esr;
    uint64_t far, elr;
    unsigned el;
} taken;
volatile uint32_t gdbstub_debug_flags;
static uint64_t gdb_watch_va = ~0ULL;
static int gdb_stops;

bool debug_exceptions_enabled(const CPUState *cpu, unsigned from_el, bool d_masked)
{
    return !d_masked;
}

unsigned cpu_debug_target_el(const CPUState *cpu)
{
    return cpu->el;
}

void cpu_take_exception(CPUState *cpu, unsigned target_el, ExceptionType type, uint32_t esr,
                        uint64_t far, bool far_valid, uint64_t preferred_return)
{
    taken.count++;
    taken.esr = esr;
    taken.far = far;
    taken.elr = preferred_return;
    taken.el = target_el;
}

bool gdbstub_page_watched(uint64_t va)
{
    return (va & ~0xfffULL) == (gdb_watch_va & ~0xfffULL);
}

bool gdbstub_check_watch(CPUState *cpu, uint64_t va, unsigned size, bool is_write)
{
    if (gdb_watch_va - va < size) {
        gdb_stops++;
        return true;
    }
    return false;
}

/* ---------------- the test machine ---------------- */

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE 0x10000ULL
#define DEV_BASE 0x09000000ULL

static struct {
    int writes;
    uint64_t off, value;
    unsigned size;
} dev_log;

static bool dev_read(void *opaque, uint64_t off, unsigned size, uint64_t *v)
{
    if (off >= 0x800) {
        return false;
    }
    *v = off | ((uint64_t)size << 16);
    return true;
}

static bool dev_write(void *opaque, uint64_t off, unsigned size, uint64_t v)
{
    if (off >= 0x800) {
        return false;
    }
    dev_log.writes++;
    dev_log.off = off;
    dev_log.size = size;
    dev_log.value = v;
    return true;
}

static const MMIOOps dev_ops = { dev_read, dev_write };

static Machine *m;
static uint8_t *ram;
static CPUState *c0, *c1;

static void flush_tlb(CPUState *cpu)
{
    for (unsigned i = 0; i < MMU_IDX_COUNT; i++) {
        for (unsigned j = 0; j < CPU_TLB_SIZE; j++) {
            CPUTLBEntry *e = &cpu->tlb[i][j];
            e->tag_read = e->tag_write = e->tag_exec = CPU_TLB_INVALID_TAG;
        }
    }
}

static void setup(void)
{
    m = g_new0(Machine, 1);
    addrspace_init(&m->as);
    ram = g_malloc0(RAM_SIZE);
    g_assert_true(addrspace_add_ram(&m->as, "ram", RAM_BASE, RAM_SIZE, ram));
    g_assert_true(addrspace_add_mmio(&m->as, "dev", DEV_BASE, 0x1000, &dev_ops, NULL));
    for (int i = 0; i < 2; i++) {
        CPUState *c = g_new0(CPUState, 1);
        c->machine = m;
        c->cpu_index = i;
        c->el = 1;
        c->mmu_idx = MMU_IDX_E10_1;
        c->id.CTR_EL0 = 4ULL << 20;        /* ERG: 64 bytes */
        c->id.DCZID_EL0 = 4;               /* 64-byte blocks */
        c->id.ID_AA64ISAR0_EL1 = 2ULL << 20; /* LSE */
        c->id.ID_AA64ISAR1_EL1 = (2ULL << 20) | (1ULL << 8); /* LRCPC2, API */
        flush_tlb(c);
        m->cpus[i] = c;
        cpu_excl_clear(c);
    }
    m->ncpus = 2;
    c0 = m->cpus[0];
    c1 = m->cpus[1];
    fake_npages = 0;
    translate_calls = 0;
    default_device = false;
    memset(&aborts, 0, sizeof(aborts));
    memset(&dev_log, 0, sizeof(dev_log));
    undefs = sp_faults = fp_traps = code_writes = 0;
    memset(&taken, 0, sizeof(taken));
    gdb_stops = 0;
    gdbstub_debug_flags = 0;
    gdb_watch_va = ~0ULL;
    fp_trap_on = false;
    code_pa_page = ~0ULL;
}

static void teardown(void)
{
    g_free(m->cpus[0]);
    g_free(m->cpus[1]);
    addrspace_destroy(&m->as);
    g_free(ram);
    g_free(m);
}

static ExecStatus run(CPUState *cpu, uint32_t insn)
{
    return cpu_decode(insn)(cpu, insn);
}

static uint64_t ram64(uint64_t pa)
{
    uint64_t v;
    memcpy(&v, ram + (pa - RAM_BASE), 8);
    return v;
}

static void ram_set64(uint64_t pa, uint64_t v)
{
    memcpy(ram + (pa - RAM_BASE), &v, 8);
}

/* ---------------- tests ---------------- */

static void test_ldr_str_sizes(void)
{
    setup();
    c0->x[1] = RAM_BASE + 0x100;
    c0->x[2] = 0x1122334455667788ULL;
    g_assert_cmpint(run(c0, 0xf9000422), ==, EXEC_NEXT);   /* str x2, [x1, #8] */
    g_assert_cmphex(ram64(RAM_BASE + 0x108), ==, 0x1122334455667788ULL);
    g_assert_cmpint(run(c0, 0xf9400423), ==, EXEC_NEXT);   /* ldr x3, [x1, #8] */
    g_assert_cmphex(c0->x[3], ==, 0x1122334455667788ULL);
    ram[0x100] = 0x80;
    ram[0x102] = 0x00;
    ram[0x103] = 0x90;
    ram_set64(RAM_BASE + 0x104, 0x00000000f0000001ULL);
    run(c0, 0x39c00024);                                   /* ldrsb w4, [x1] */
    g_assert_cmphex(c0->x[4], ==, 0xffffff80ULL);
    run(c0, 0x39800024);                                   /* ldrsb x4, [x1] */
    g_assert_cmphex(c0->x[4], ==, 0xffffffffffffff80ULL);
    run(c0, 0x79800425);                                   /* ldrsh x5, [x1, #2] */
    g_assert_cmphex(c0->x[5], ==, 0xffffffffffff9000ULL);
    run(c0, 0xb9800426);                                   /* ldrsw x6, [x1, #4] */
    g_assert_cmphex(c0->x[6], ==, 0xfffffffff0000001ULL);
    run(c0, 0x39400023);                                   /* ldrb w3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 0x80);
    c0->x[2] = 0xabcd;
    run(c0, 0x78001022);                                   /* sturh w2, [x1, #1] */
    g_assert_cmphex(ram[0x101], ==, 0xcd);
    g_assert_cmphex(ram[0x102], ==, 0xab);
    g_assert_cmpint(aborts.count + undefs, ==, 0);
    teardown();
}

static void test_writeback(void)
{
    setup();
    uint64_t base = RAM_BASE + 0x200;
    ram_set64(base + 16, 0x1616);
    ram_set64(base, 0x0a0a);
    c0->x[1] = base;
    run(c0, 0xf8410c22);                                   /* ldr x2, [x1, #16]! */
    g_assert_cmphex(c0->x[2], ==, 0x1616);
    g_assert_cmphex(c0->x[1], ==, base + 16);
    run(c0, 0xf85f0422);                                   /* ldr x2, [x1], #-16 */
    g_assert_cmphex(c0->x[2], ==, 0x1616);
    g_assert_cmphex(c0->x[1], ==, base);
    /* Rn == Rt: load keeps the loaded value (WBSUPPRESS). */
    ram_set64(base + 8, 0x7777);
    run(c0, 0xf8408c21);                                   /* ldr x1, [x1, #8]! */
    g_assert_cmphex(c0->x[1], ==, 0x7777);
    /* Rn == Rt: store stores the original value, then writes back. */
    c0->x[1] = base;
    run(c0, 0xf8008c21);                                   /* str x1, [x1, #8]! */
    g_assert_cmphex(ram64(base + 8), ==, base);
    g_assert_cmphex(c0->x[1], ==, base + 8);
    /* A faulting access leaves the base register alone. */
    c0->x[1] = 0x1000;
    fake_pages[fake_npages++] = (FakePage){ 0x1000, 0x1000, .fault = MMU_FAULT_TRANSLATION };
    g_assert_cmpint(run(c0, 0xf8410c22), ==, EXEC_EXCEPTION);
    g_assert_cmphex(c0->x[1], ==, 0x1000);
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_TRANSLATION);
    teardown();
}

static void test_register_offset(void)
{
    setup();
    uint64_t base = RAM_BASE + 0x300;
    ram_set64(base + 0x18, 0xdead);
    ram_set64(base - 4, 0xbeef0000cafeULL);
    c0->x[1] = base;
    c0->x[2] = 3;
    run(c0, 0xf8627823);                                   /* ldr x3, [x1, x2, lsl #3] */
    g_assert_cmphex(c0->x[3], ==, 0xdead);
    c0->x[2] = 0xffffffffULL;                              /* w2 = -1 */
    run(c0, 0xb862d823);                                   /* ldr w3, [x1, w2, sxtw #2] */
    g_assert_cmphex(c0->x[3], ==, 0xcafe);
    g_assert_cmpint(run(c0, 0xf8621823), ==, EXEC_EXCEPTION); /* option = UXTB: unallocated */
    g_assert_cmpint(undefs, ==, 1);
    teardown();
}

static void test_page_crossing(void)
{
    setup();
    fake_map(0x10000000, RAM_BASE + 0x2000, true, true, false, false);
    fake_map(0x10001000, RAM_BASE + 0x5000, true, true, false, false);
    for (int i = 0; i < 4; i++) {
        ram[0x2ffc + i] = 0x10 + i;
        ram[0x5000 + i] = 0x20 + i;
    }
    c0->x[1] = 0x10000ffc;
    run(c0, 0xf9400023);                                   /* ldr x3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 0x2322212013121110ULL);
    /* Second page faults: nothing is stored on the first page either. */
    fake_pages[1].fault = MMU_FAULT_TRANSLATION;
    flush_tlb(c0);   /* as the TLBI after the descriptor change would */
    c0->x[2] = 0xffffffffffffffffULL;
    g_assert_cmpint(run(c0, 0xf9000022), ==, EXEC_EXCEPTION); /* str x2, [x1] */
    g_assert_cmpint(aborts.count, ==, 1);
    g_assert_cmphex(aborts.va, ==, 0x10001000);
    g_assert_true(aborts.fault.write);
    g_assert_cmphex(ram[0x2ffc], ==, 0x10);
    /* And a load that faults writes no register. */
    c0->x[3] = 0x55;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_EXCEPTION);
    g_assert_cmphex(c0->x[3], ==, 0x55);
    teardown();
}

static void test_mmio(void)
{
    setup();
    c0->x[1] = DEV_BASE + 0x10;
    run(c0, 0xb9400023);                                   /* ldr w3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 0x10 | (4 << 16));
    /* Normal memory mapping MMIO, unaligned: split into byte accesses. */
    c0->x[1] = DEV_BASE + 0x11;
    run(c0, 0xf9400023);                                   /* ldr x3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 0x1817161514131211ULL);
    /* A store goes to the device with its size. */
    c0->x[1] = DEV_BASE + 0x20;
    c0->x[2] = 0x99;
    run(c0, 0xf9000022);                                   /* str x2, [x1] */
    g_assert_cmpint(dev_log.writes, ==, 1);
    g_assert_cmpuint(dev_log.size, ==, 8);
    g_assert_cmphex(dev_log.off, ==, 0x20);
    /* MMIO is never on the fast path. */
    unsigned t = translate_calls;
    run(c0, 0xf9400023);
    run(c0, 0xf9400023);
    g_assert_cmpuint(translate_calls, ==, t + 2);
    /* A refused access is a synchronous external abort; the register is unchanged. */
    c0->x[1] = DEV_BASE + 0x800;
    c0->x[3] = 0x42;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_EXCEPTION);
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_SYNC_EXTERNAL);
    g_assert_cmphex(c0->x[3], ==, 0x42);
    /* Nothing at the PA at all. */
    c0->x[1] = 0x20000000;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_EXCEPTION);
    g_assert_cmpint(aborts.count, ==, 2);
    teardown();
}

static void test_alignment(void)
{
    setup();
    c0->x[1] = RAM_BASE + 0x401;
    unsigned t = translate_calls;
    g_assert_cmpint(run(c0, 0xc8dffc23), ==, EXEC_EXCEPTION); /* ldar x3, [x1] */
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_ALIGNMENT);
    g_assert_cmpuint(translate_calls, ==, t);   /* checked before translation */
    g_assert_cmpint(run(c0, 0xc89ffc23), ==, EXEC_EXCEPTION); /* stlr x3, [x1] */
    g_assert_true(aborts.fault.write);
    /* Normal memory, SCTLR.A = 0: unaligned is fine. */
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_NEXT);
    /* SCTLR_EL1.A = 1 */
    c0->sr.SCTLR_ELx[1] = 2;
    flush_tlb(c0);   /* an SCTLR write flushes the softmmu TLB (cpu/mem.c contract) */
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_EXCEPTION);
    g_assert_cmpint(aborts.count, ==, 3);
    c0->x[1] = RAM_BASE + 0x408;
    t = translate_calls;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_NEXT);
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_NEXT);
    g_assert_cmpuint(translate_calls, ==, t + 1);   /* checked tag: translation cached */
    c0->x[1] = RAM_BASE + 0x40c;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_EXCEPTION);   /* ...but never the fast path */
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_ALIGNMENT);
    c0->sr.SCTLR_ELx[1] = 0;
    /* Device memory: unaligned faults after translation, aligned works. */
    fake_map(0x30000000, RAM_BASE + 0x3000, true, true, false, true);
    c0->x[1] = 0x30000004;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_EXCEPTION);
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_ALIGNMENT);
    c0->x[1] = 0x30000008;
    t = translate_calls;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_NEXT);
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_NEXT);
    g_assert_cmpuint(translate_calls, ==, t);       /* cached by the unaligned attempt above */
    c0->x[1] = 0x30000014;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_EXCEPTION);   /* cached Device page: still checked */
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_ALIGNMENT);
    g_assert_cmpuint(translate_calls, ==, t);
    /* SP alignment check with SCTLR_EL1.SA */
    c0->sp = RAM_BASE + 0x508;
    g_assert_cmpint(run(c0, 0xf94003e3), ==, EXEC_NEXT);    /* ldr x3, [sp] */
    c0->sr.SCTLR_ELx[1] = 1 << 3;
    g_assert_cmpint(run(c0, 0xf94003e3), ==, EXEC_EXCEPTION);
    g_assert_cmpint(sp_faults, ==, 1);
    c0->el = 0;
    c0->mmu_idx = MMU_IDX_E10_0;
    g_assert_cmpint(run(c0, 0xf94003e3), ==, EXEC_NEXT);    /* SA0 = 0 at EL0 */
    teardown();
}

static void test_tlb_policy(void)
{
    setup();
    c0->x[1] = RAM_BASE + 0x600;
    unsigned t = translate_calls;
    run(c0, 0xf9400023);
    run(c0, 0xf9400023);
    g_assert_cmpuint(translate_calls, ==, t + 1);   /* second load hits the fast tag */
    run(c0, 0xf9000022);
    run(c0, 0xf9000022);
    g_assert_cmpuint(translate_calls, ==, t + 2);   /* first store fills the write tag */
    /* A code page never gets a write tag; each store notifies the engine. */
    flush_tlb(c0);
    code_pa_page = RAM_BASE;
    t = translate_calls;
    run(c0, 0xf9000022);
    run(c0, 0xf9000022);
    g_assert_cmpuint(translate_calls, ==, t + 2);
    g_assert_cmpint(code_writes, ==, 2);
    run(c0, 0xf9400023);
    run(c0, 0xf9400023);
    g_assert_cmpuint(translate_calls, ==, t + 2);   /* the write fill gave a read tag */
    /* Dropping write tags for a page. */
    code_pa_page = ~0ULL;
    run(c0, 0xf9000022);
    t = translate_calls;
    run(c0, 0xf9000022);
    g_assert_cmpuint(translate_calls, ==, t);
    cpu_mem_drop_write_tags(m, RAM_BASE);
    run(c0, 0xf9000022);
    g_assert_cmpuint(translate_calls, ==, t + 1);
    teardown();
}

static void test_exclusive(void)
{
    setup();
    uint64_t va = RAM_BASE + 0x700;
    c0->x[1] = c1->x[1] = va;
    c0->x[5] = 0x5555;
    c1->x[2] = 0x2222;
    /* Plain success. */
    run(c0, 0xc85f7c23);                                   /* ldxr x3, [x1] */
    run(c0, 0xc8047c25);                                   /* stxr w4, x5, [x1] */
    g_assert_cmphex(c0->x[4], ==, 0);
    g_assert_cmphex(ram64(va), ==, 0x5555);
    /* No reservation any more: fails and stores nothing. */
    c0->x[5] = 0x6666;
    run(c0, 0xc8047c25);
    g_assert_cmphex(c0->x[4], ==, 1);
    g_assert_cmphex(ram64(va), ==, 0x5555);
    /* Another vCPU's store (even of the same value, through its fast path) breaks it. */
    run(c1, 0xf9000022);                                   /* c1: str x2, [x1]: fills its write tag */
    run(c0, 0xc85f7c23);
    run(c1, 0xf9000022);
    run(c0, 0xc8047c25);
    g_assert_cmphex(c0->x[4], ==, 1);
    g_assert_cmphex(ram64(va), ==, 0x2222);
    /* A store to another granule does not. */
    run(c0, 0xc85f7c23);
    c1->x[1] = va + 0x100;
    run(c1, 0xf9000022);
    run(c0, 0xc8047c25);
    g_assert_cmphex(c0->x[4], ==, 0);
    /* CLREX, DMA. */
    run(c0, 0xc85f7c23);
    cpu_excl_clear(c0);
    run(c0, 0xc8047c25);
    g_assert_cmphex(c0->x[4], ==, 1);
    run(c0, 0xc85f7c23);
    cpu_excl_notify_write(m, va + 4, 1);
    run(c0, 0xc8047c25);
    g_assert_cmphex(c0->x[4], ==, 1);
    /* Own stores do not clear the own monitor. */
    run(c0, 0xc85f7c23);
    run(c0, 0xf9000022);
    run(c0, 0xc8047c25);
    g_assert_cmphex(c0->x[4], ==, 0);
    /* Pairs. */
    ram_set64(va, 1);
    ram_set64(va + 8, 2);
    run(c0, 0xc87f0c22);                                   /* ldxp x2, x3, [x1] */
    g_assert_cmphex(c0->x[2], ==, 1);
    g_assert_cmphex(c0->x[3], ==, 2);
    c0->x[2] = 7;
    c0->x[3] = 8;
    run(c0, 0xc8240c22);                                   /* stxp w4, x2, x3, [x1] */
    g_assert_cmphex(c0->x[4], ==, 0);
    g_assert_cmphex(ram64(va + 8), ==, 8);
    /* Unaligned exclusive: alignment fault. */
    c0->x[1] = va + 4;
    g_assert_cmpint(run(c0, 0xc85f7c23), ==, EXEC_EXCEPTION);
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_ALIGNMENT);
    /* CONSTRAINED UNPREDICTABLE overlaps are UNDEFINED. */
    g_assert_cmpint(run(c0, 0xc8017c25), ==, EXEC_EXCEPTION); /* stxr w1, x5, [x1] */
    g_assert_cmpint(undefs, ==, 1);
    teardown();
}

static void test_atomics(void)
{
    setup();
    uint64_t va = RAM_BASE + 0x800;
    c0->x[1] = va;
    ram_set64(va, 5);
    c0->x[2] = 3;
    run(c0, 0xf8220023);                                   /* ldadd x2, x3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 5);
    g_assert_cmphex(ram64(va), ==, 8);
    ram_set64(va, 0xfffffff0);
    c0->x[2] = 1;
    run(c0, 0xb8224023);                                   /* ldsmax w2, w3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 0xfffffff0);
    g_assert_cmphex(ram64(va), ==, 1);
    ram_set64(va, 0x10);
    c0->x[2] = 0x4;
    run(c0, 0xf8227023);                                   /* ldumin x2, x3, [x1] */
    g_assert_cmphex(ram64(va), ==, 4);
    run(c0, 0xf8221023);                                   /* ldclr x2, x3, [x1] */
    g_assert_cmphex(ram64(va), ==, 0);
    ram[0x800] = 0xff;
    c0->x[2] = 2;
    run(c0, 0x38220023);                                   /* ldaddb w2, w3, [x1] */
    g_assert_cmphex(ram[0x800], ==, 1);
    g_assert_cmphex(ram[0x801], ==, 0);
    g_assert_cmphex(c0->x[3], ==, 0xff);
    c0->x[2] = 9;
    run(c0, 0xf8228023);                                   /* swp x2, x3, [x1] */
    g_assert_cmphex(ram64(va), ==, 9);
    g_assert_cmphex(c0->x[3], ==, 1);
    run(c0, 0xf822003f);                                   /* stadd x2, [x1] */
    g_assert_cmphex(ram64(va), ==, 18);
    /* CAS: fail, then succeed. */
    c0->x[2] = 17;
    c0->x[3] = 100;
    run(c0, 0xc8a27c23);                                   /* cas x2, x3, [x1] */
    g_assert_cmphex(c0->x[2], ==, 18);
    g_assert_cmphex(ram64(va), ==, 18);
    run(c0, 0xc8a27c23);
    g_assert_cmphex(ram64(va), ==, 100);
    /* CASP */
    ram_set64(va, 1);
    ram_set64(va + 8, 2);
    c0->x[2] = 1;
    c0->x[3] = 2;
    c0->x[4] = 10;
    c0->x[5] = 20;
    run(c0, 0x48227c24);                                   /* casp x2, x3, x4, x5, [x1] */
    g_assert_cmphex(ram64(va), ==, 10);
    g_assert_cmphex(ram64(va + 8), ==, 20);
    g_assert_cmphex(c0->x[3], ==, 2);
    g_assert_cmpint(run(c0, 0x48237c24), ==, EXEC_EXCEPTION); /* casp with Rs = x3: UNDEFINED */
    g_assert_cmpint(undefs, ==, 1);
    /* Unaligned atomic. */
    c0->x[1] = va + 2;
    g_assert_cmpint(run(c0, 0xf8220023), ==, EXEC_EXCEPTION);
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_ALIGNMENT);
    g_assert_cmpint(aborts.access, ==, MMU_ACCESS_READ);
    /* Read-only page: the atomic reports a write permission fault. */
    fake_map(0x50000000, RAM_BASE + 0x1000, true, false, false, false);
    c0->x[1] = 0x50000000;
    g_assert_cmpint(run(c0, 0xf8220023), ==, EXEC_EXCEPTION);
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_PERMISSION);
    g_assert_cmpint(aborts.access, ==, MMU_ACCESS_WRITE);
    /* A fault a read would take too is reported as a read (WnR = 0). */
    fake_pages[fake_npages++] = (FakePage){ 0x2000, 0x2000, .fault = MMU_FAULT_TRANSLATION };
    c0->x[1] = 0x2000;
    g_assert_cmpint(run(c0, 0xc8a27c23), ==, EXEC_EXCEPTION);  /* cas */
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_TRANSLATION);
    g_assert_cmpint(aborts.access, ==, MMU_ACCESS_READ);
    g_assert_false(aborts.fault.write);
    /* Not advertised: UNDEFINED. */
    c0->id.ID_AA64ISAR0_EL1 = 0;
    c0->x[1] = va;
    g_assert_cmpint(run(c0, 0xf8220023), ==, EXEC_EXCEPTION);
    g_assert_cmpint(run(c0, 0xc8a27c23), ==, EXEC_EXCEPTION);
    g_assert_cmpint(undefs, ==, 3);
    teardown();
}

static void test_ordered_rcpc(void)
{
    setup();
    uint64_t va = RAM_BASE + 0x900;
    ram_set64(va, 0x123456789ULL);
    c0->x[1] = va;
    run(c0, 0xc8dffc23);                                   /* ldar x3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 0x123456789ULL);
    run(c0, 0xf8bfc023);                                   /* ldapr x3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 0x123456789ULL);
    g_assert_cmpint(run(c0, 0xc8df7c23), ==, EXEC_EXCEPTION); /* ldlar: no FEAT_LOR */
    g_assert_cmpint(undefs, ==, 1);
    c0->id.ID_AA64MMFR1_EL1 |= 1ULL << 16;                 /* FEAT_LOR: as LDAR/STLR */
    c0->x[3] = 0;
    g_assert_cmpint(run(c0, 0xc8df7c23), ==, EXEC_NEXT);   /* ldlar x3, [x1] */
    g_assert_cmphex(c0->x[3], ==, 0x123456789ULL);
    c0->x[4] = 0xabcdefULL;
    g_assert_cmpint(run(c0, 0xc89f7c24), ==, EXEC_NEXT);   /* stllr x4, [x1] */
    g_assert_cmphex(ram64(va), ==, 0xabcdefULL);
    g_assert_cmpint(undefs, ==, 1);
    ram_set64(va, 0x123456789ULL);
    c0->x[1] = va - 1;
    g_assert_cmpint(run(c0, 0x99401023), ==, EXEC_NEXT);   /* ldapur w3, [x1, #1] */
    g_assert_cmphex(c0->x[3], ==, 0x23456789ULL);
    c0->x[1] = va;
    g_assert_cmpint(run(c0, 0x99401023), ==, EXEC_EXCEPTION); /* unaligned: ordered accesses must be aligned */
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_ALIGNMENT);
    c0->id.ID_AA64ISAR1_EL1 = 0;
    c0->x[1] = va;
    g_assert_cmpint(run(c0, 0xf8bfc023), ==, EXEC_EXCEPTION); /* ldapr without FEAT_LRCPC */
    g_assert_cmpint(undefs, ==, 2);
    teardown();
}

static void test_pairs_and_fp(void)
{
    setup();
    uint64_t va = RAM_BASE + 0xa00;
    c0->x[1] = va + 16;
    c0->x[2] = 0x1111;
    c0->x[3] = 0x2222;
    run(c0, 0xa9bf0c22);                                   /* stp x2, x3, [x1, #-16]! */
    g_assert_cmphex(c0->x[1], ==, va);
    g_assert_cmphex(ram64(va), ==, 0x1111);
    g_assert_cmphex(ram64(va + 8), ==, 0x2222);
    c0->x[2] = c0->x[3] = 0;
    run(c0, 0xa9400c22);                                   /* ldp x2, x3, [x1] */
    g_assert_cmphex(c0->x[2], ==, 0x1111);
    g_assert_cmphex(c0->x[3], ==, 0x2222);
    ram_set64(va, 0x80000000ffffffffULL);
    run(c0, 0x69400c22);                                   /* ldpsw x2, x3, [x1] */
    g_assert_cmphex(c0->x[2], ==, 0xffffffffffffffffULL);
    g_assert_cmphex(c0->x[3], ==, 0xffffffff80000000ULL);
    g_assert_cmpint(run(c0, 0xa9400c23), ==, EXEC_EXCEPTION); /* ldp x3, x3: UNDEFINED */
    g_assert_cmpint(undefs, ==, 1);
    /* SIMD&FP */
    c0->z[0].d[0] = 0x0102030405060708ULL;
    c0->z[0].d[1] = 0x1112131415161718ULL;
    c0->z[1].d[0] = 0xa;
    c0->z[1].d[1] = 0xb;
    run(c0, 0xad000420);                                   /* stp q0, q1, [x1] */
    g_assert_cmphex(ram64(va + 8), ==, 0x1112131415161718ULL);
    g_assert_cmphex(ram64(va + 24), ==, 0xb);
    c0->z[2].d[5] = 0xdead;
    run(c0, 0xad400c22);                                   /* ldp q2, q3, [x1] */
    g_assert_cmphex(c0->z[2].d[1], ==, 0x1112131415161718ULL);
    g_assert_cmphex(c0->z[3].d[0], ==, 0xa);
    g_assert_cmphex(c0->z[2].d[5], ==, 0);   /* the rest of Z is zeroed */
    run(c0, 0xfd400424);                                   /* ldr d4, [x1, #8] */
    g_assert_cmphex(c0->z[4].d[0], ==, 0x1112131415161718ULL);
    g_assert_cmphex(c0->z[4].d[1], ==, 0);
    run(c0, 0x3dc00020);                                   /* ldr q0, [x1] */
    g_assert_cmphex(c0->z[0].d[1], ==, 0x1112131415161718ULL);
    run(c0, 0x6c400821);                                   /* ldnp d1, d2, [x1] */
    g_assert_cmphex(c0->z[2].d[0], ==, 0x1112131415161718ULL);
    /* FP access trap: nothing happens. */
    fp_trap_on = true;
    c0->z[4].d[0] = 0;
    g_assert_cmpint(run(c0, 0xfd400424), ==, EXEC_EXCEPTION);
    g_assert_cmpint(fp_traps, ==, 1);
    g_assert_cmphex(c0->z[4].d[0], ==, 0);
    teardown();
}

static void test_unpriv(void)
{
    setup();
    FakePage p = { 0x60000000, RAM_BASE + 0xb000, true, true, false, false, true, 0 };
    fake_pages[fake_npages++] = p;
    c0->x[1] = 0x60000000;
    g_assert_cmpint(run(c0, 0xf9400023), ==, EXEC_NEXT);    /* ldr: EL1 may */
    g_assert_cmpint(run(c0, 0xf8400823), ==, EXEC_EXCEPTION); /* ldtr: EL0 permissions */
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_PERMISSION);
    c0->uao = 1;
    g_assert_cmpint(run(c0, 0xf8400823), ==, EXEC_NEXT);    /* PSTATE.UAO: normal access */
    g_assert_cmpint(run(c0, 0xf8800823), ==, EXEC_EXCEPTION); /* "ldtr" with size 11 opc 10 */
    g_assert_cmpint(undefs, ==, 1);
    /* EL2 with HCR_EL2.{E2H,TGE} = {1,1}: LDTR uses EL0 permissions of the EL2&0 regime. */
    c0->uao = 0;
    c0->el = 2;
    c0->mmu_idx = MMU_IDX_E20_2;
    c0->sr.HCR_EL2 = (1ULL << 34) | (1ULL << 27);
    g_assert_cmpint(run(c0, 0xf8400823), ==, EXEC_EXCEPTION);
    g_assert_cmpint(aborts.count, ==, 2);
    /* Without TGE it is a normal access. */
    c0->sr.HCR_EL2 = 1ULL << 34;
    g_assert_cmpint(run(c0, 0xf8400823), ==, EXEC_NEXT);
    c0->mmu_idx = MMU_IDX_E2;
    c0->sr.HCR_EL2 = 0;
    g_assert_cmpint(run(c0, 0xf8400823), ==, EXEC_NEXT);
    teardown();
}

static void test_misc(void)
{
    setup();
    /* Literal */
    c0->pc = RAM_BASE + 0xc00;
    ram_set64(RAM_BASE + 0xc08, 0x8888);
    run(c0, 0x58000043);                                   /* ldr x3, .+8 */
    g_assert_cmphex(c0->x[3], ==, 0x8888);
    run(c0, 0x1c000047);                                   /* ldr s7, .+8 */
    g_assert_cmphex(c0->z[7].d[0], ==, 0x8888);
    /* PRFM: no access, no fault. */
    c0->x[1] = 0x1000;
    fake_pages[fake_npages++] = (FakePage){ 0x1000, 0x1000, .fault = MMU_FAULT_TRANSLATION };
    g_assert_cmpint(run(c0, 0xf9800020), ==, EXEC_NEXT);
    /* LDRAA with the stand-in authentication (strips bits 63:48), and writeback. */
    c0->x[1] = 0x1234000000000000ULL | (RAM_BASE + 0xc00);
    run(c0, 0xf8201423);                                   /* ldraa x3, [x1, #8] */
    g_assert_cmphex(c0->x[3], ==, 0x8888);
    run(c0, 0xf8201c23);                                   /* ldraa x3, [x1, #8]! */
    g_assert_cmphex(c0->x[1], ==, RAM_BASE + 0xc08);
    /* DC ZVA zeroes the aligned 64-byte block. */
    memset(ram + 0xd00, 0xff, 0x100);
    g_assert_true(cpu_dc_zva(c0, RAM_BASE + 0xd53));
    g_assert_cmphex(ram[0xd3f], ==, 0xff);
    g_assert_cmphex(ram[0xd40], ==, 0);
    g_assert_cmphex(ram[0xd7f], ==, 0);
    g_assert_cmphex(ram[0xd80], ==, 0xff);
    fake_map(0x30000000, RAM_BASE + 0x3000, true, true, false, true);
    g_assert_false(cpu_dc_zva(c0, 0x30000000));
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_ALIGNMENT);
    /* Fetch: RAM fills the exec tag; a device is an external abort. */
    uint32_t insn;
    uint64_t pa;
    ram_set64(RAM_BASE + 0xe00, 0xd503201f);
    unsigned t = translate_calls;
    g_assert_true(cpu_fetch_insn(c0, RAM_BASE + 0xe00, &insn, &pa));
    g_assert_true(cpu_fetch_insn(c0, RAM_BASE + 0xe00, &insn, &pa));
    g_assert_cmpuint(translate_calls, ==, t + 1);
    g_assert_cmphex(insn, ==, 0xd503201f);
    g_assert_cmphex(pa, ==, RAM_BASE + 0xe00);
    g_assert_false(cpu_fetch_insn(c0, DEV_BASE, &insn, &pa));
    g_assert_cmpint(aborts.fault.type, ==, MMU_FAULT_SYNC_EXTERNAL);
    /* Debug access: ignores write permission, never touches MMIO, raises nothing. */
    int before = aborts.count;
    fake_map(0x50000000, RAM_BASE + 0x1000, true, false, true, false);
    fake_map(0x50001000, RAM_BASE + 0x4000, true, false, true, false);
    uint8_t brk[4] = { 0x00, 0x00, 0x20, 0xd4 };
    g_assert_true(cpu_debug_write(c0, 0x50000ffe, brk, 4));
    g_assert_cmphex(ram[0x1fff], ==, 0x00);
    g_assert_cmphex(ram[0x4000], ==, 0x20);
    g_assert_cmphex(ram[0x4001], ==, 0xd4);
    uint8_t b[4];
    g_assert_true(cpu_debug_read(c0, 0x50000ffe, b, 4));
    g_assert_cmphex(b[3], ==, 0xd4);
    g_assert_false(cpu_debug_read(c0, DEV_BASE, b, 4));
    g_assert_false(cpu_debug_read(c0, 0x1000, b, 4));
    g_assert_cmpint(aborts.count, ==, before);
    teardown();
}

static void test_watchpoints(void)
{
    setup();
    uint64_t va = RAM_BASE + 0xf00;
    c0->id.ID_AA64DFR0_EL1 = 3ULL << 20;                   /* 4 watchpoints */
    c0->pc = 0x1234;
    c0->x[1] = va + 4;
    c0->x[2] = 0x77;
    run(c0, 0xf9400023);                                   /* ldr: fills the page's tags */
    /* DBGWCR0: E, PAC = EL1, LSC = store, BAS = 0xff; the doubleword at va. */
    c0->sr.DBGWCR_EL1[0] = 1 | (1 << 1) | (2 << 3) | (0xff << 5);
    c0->sr.DBGWVR_EL1[0] = va;
    flush_tlb(c0);                                         /* debug_update's mmu_flush_soft_tlb */
    /* MDSCR_EL1.MDE = 0: no watchpoint. */
    g_assert_cmpint(run(c0, 0xb9000022), ==, EXEC_NEXT);   /* str w2, [x1] */
    g_assert_cmpint(taken.count, ==, 0);
    c0->sr.MDSCR_EL1 = 1 << 15;
    ram_set64(va, 0);
    g_assert_cmpint(run(c0, 0xb9000022), ==, EXEC_EXCEPTION);
    g_assert_cmpint(taken.count, ==, 1);
    g_assert_cmphex(taken.esr, ==, (0x35u << 26) | (1u << 25) | (1u << 6) | 0x22);
    g_assert_cmphex(taken.far, ==, va + 4);
    g_assert_cmphex(taken.elr, ==, 0x1234);
    g_assert_cmphex(ram64(va), ==, 0);                     /* the store did not happen */
    /* Loads do not match LSC = store; stores outside the doubleword do not match. */
    unsigned t = translate_calls;
    g_assert_cmpint(run(c0, 0xb9400023), ==, EXEC_NEXT);   /* ldr w3, [x1] */
    g_assert_cmpint(run(c0, 0xb9400023), ==, EXEC_NEXT);
    g_assert_cmpuint(translate_calls, ==, t + 2);          /* the watched page stays off the fast path */
    c0->x[1] = va + 8;
    g_assert_cmpint(run(c0, 0xf9000022), ==, EXEC_NEXT);   /* str x2, [x1] */
    /* A pair whose second element hits. */
    c0->x[1] = va - 8;
    g_assert_cmpint(run(c0, 0xa9000c22), ==, EXEC_EXCEPTION);   /* stp x2, x3, [x1] */
    g_assert_cmphex(taken.far, ==, va - 8);
    /* BAS selects bytes: only byte 7 watched. */
    c0->sr.DBGWCR_EL1[0] = 1 | (1 << 1) | (3 << 3) | (0x80 << 5);
    c0->x[1] = va;
    g_assert_cmpint(run(c0, 0xb9400023), ==, EXEC_NEXT);   /* bytes 0-3 */
    c0->x[1] = va + 6;
    g_assert_cmpint(run(c0, 0x79400023), ==, EXEC_EXCEPTION);   /* ldrh w3, [x1]: bytes 6-7 */
    /* PSTATE.D masks it (same-EL debug exceptions). */
    c0->daif = PSTATE_D;
    g_assert_cmpint(run(c0, 0x79400023), ==, EXEC_NEXT);
    c0->daif = 0;
    /* MASK: a 4 KiB range, any access size. */
    c0->sr.DBGWCR_EL1[0] = 1 | (1 << 1) | (3 << 3) | (0xff << 5) | (12 << 24);
    c0->sr.DBGWVR_EL1[0] = RAM_BASE + 0x3000;
    c0->x[1] = RAM_BASE + 0x3ffe;
    g_assert_cmpint(run(c0, 0x39400023), ==, EXEC_EXCEPTION);   /* ldrb */
    g_assert_cmpint(taken.count, ==, 4);
    c0->sr.DBGWCR_EL1[0] = 0;
    /* gdb's watchpoints: the access does not happen, no exception is taken. */
    gdbstub_debug_flags = GDBSTUB_DEBUG_WATCH;
    gdb_watch_va = RAM_BASE + 0x2008;
    flush_tlb(c0);
    ram_set64(RAM_BASE + 0x2008, 5);
    c0->x[1] = RAM_BASE + 0x2008;
    g_assert_cmpint(run(c0, 0xf9000022), ==, EXEC_EXCEPTION);
    g_assert_cmpint(gdb_stops, ==, 1);
    g_assert_cmpint(taken.count, ==, 4);
    g_assert_cmpint(aborts.count, ==, 0);
    g_assert_cmphex(ram64(RAM_BASE + 0x2008), ==, 5);
    teardown();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ldst/ldr_str_sizes", test_ldr_str_sizes);
    g_test_add_func("/ldst/writeback", test_writeback);
    g_test_add_func("/ldst/register_offset", test_register_offset);
    g_test_add_func("/ldst/page_crossing", test_page_crossing);
    g_test_add_func("/ldst/mmio", test_mmio);
    g_test_add_func("/ldst/alignment", test_alignment);
    g_test_add_func("/ldst/tlb_policy", test_tlb_policy);
    g_test_add_func("/ldst/exclusive", test_exclusive);
    g_test_add_func("/ldst/atomics", test_atomics);
    g_test_add_func("/ldst/ordered_rcpc", test_ordered_rcpc);
    g_test_add_func("/ldst/pairs_and_fp", test_pairs_and_fp);
    g_test_add_func("/ldst/unpriv", test_unpriv);
    g_test_add_func("/ldst/misc", test_misc);
    g_test_add_func("/ldst/watchpoints", test_watchpoints);
    return g_test_run();
}
