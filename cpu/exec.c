/*
 * The execution engine: an interpreter over a cache of decoded blocks.
 *
 * A block is up to BLOCK_MAX_INSNS instructions inside one 4 KiB page of
 * physical memory, ending after the first instruction of the "branches,
 * exception generating and system instructions" group (op0 = 101x, Arm ARM
 * C4.1) or at the page end. Each entry holds the handler from cpu_decode()
 * and the raw word, so running a block is `st = fn(cpu, raw)` per
 * instruction with no decode. Blocks are keyed by physical address only:
 * cpu_decode() depends on nothing but the instruction word (feature and
 * privilege checks happen in the handlers), and fetch permission is checked
 * through the softmmu TLB's exec tag every time a block is looked up by VA.
 *
 * Successor caching ("chaining"): a block remembers the block that followed
 * it on its fall-through exit and on its branch exit. The cached successor
 * is used only when it starts at the new pc, is still valid, lies in the
 * same virtual and physical page as the current block (so the VA->PA
 * mapping that found the current block also maps the successor) and the
 * MMU index did not change (ERET may change EL). Exits by exception or
 * EXEC_SYNC always take the full lookup.
 *
 * Self-modifying code: every physical page holding a block is a "code page"
 * (a machine-wide bitmap per RAM region). Creating the first block on a
 * page removes every vCPU's fast write tags for it, so stores reach
 * cpu_mem_slow() which calls exec_notify_write(); DMA and loader writes
 * arrive through AddrSpace.code_written. Both drop the page's blocks in all
 * vCPUs. A block that is running when its page is written finishes with the
 * old instructions: the architecture requires a context synchronization
 * event (ISB, exception) before modified code must be seen, and those end
 * the block.
 *
 * Memory: blocks live in a per-vCPU arena that is flushed wholesale when
 * full; invalidated blocks stay there (marked invalid, out of the hash) until
 * the next flush, so pointers held by the running loop stay readable.
 */
#include <stdlib.h>

#include "cpu/exec.h"
#include "cpu/bti.h"
#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "core/gdbstub.h"
#include "cpu/debug.h"
#include "cpu/exec_fast.h"
#include "cpu/exec_ops.h"
#include "cpu/mem.h"
#include "core/log.h"
#include "decode-a64.h"
#include "core/machine.h"

#define BLOCK_MAX_INSNS 64
#define BLOCK_ARENA_BYTES (16u << 20)
#define BLOCK_HASH_BITS 15
#define BLOCK_HASH_SIZE (1u << BLOCK_HASH_BITS)
#define PAGE_HASH_BITS 12
#define PAGE_HASH_SIZE (1u << PAGE_HASH_BITS)
#define JC_BITS 12
#define JC_SIZE (1u << JC_BITS)
#define PAGE_MASK 0xfffULL

typedef struct Block {
    uint64_t pa;                /* physical address of the first instruction */
    uint64_t va;                /* virtual address it was first looked up at */
    struct Block *hash_next;    /* PA hash chain */
    struct Block *page_next;    /* page-bucket chain (for invalidation by page) */
    struct Block *succ[3];      /* cached successors: [0] fall-through, [1] and [2] the last two branch targets */
    uint32_t ninsns;
    bool valid;
    ExecInsn insns[];           /* ninsns entries, then an EXEC_OP_END sentinel */
} Block;

typedef struct JumpCacheEntry {
    uint64_t va;
    Block *block;
} JumpCacheEntry;

typedef struct Engine {
    uint8_t *arena;
    size_t arena_used;
    uint64_t gen;                        /* incremented by every flush */
    Block *hash[BLOCK_HASH_SIZE];
    Block *page_hash[PAGE_HASH_SIZE];
    JumpCacheEntry jc[JC_SIZE];          /* VA -> block, validated through the TLB */
    /* A block that is executed once and not cached (code outside RAM). */
    Block *scratch;
} Engine;

/* Machine-wide: which physical pages of each RAM region hold blocks. */
typedef struct CodeRegion {
    uint64_t base, size;
    uint64_t *bits;
} CodeRegion;

typedef struct ExecShared {
    CodeRegion *regions;
    size_t count;
} ExecShared;

/* --- code pages -------------------------------------------------------- */

static void exec_code_written(void *opaque, uint64_t pa, uint64_t len)
{
    exec_notify_write(opaque, pa, len);
    /* A write not made by a vCPU (DMA, loaders) also clears exclusive reservations on it. */
    cpu_excl_notify_write(opaque, pa, len);
}

static ExecShared *exec_shared(Machine *m)
{
    ExecShared *s = m->exec;
    if (likely(s)) {
        return s;
    }
    s = calloc(1, sizeof(*s));
    s->regions = calloc(m->as.count ? m->as.count : 1, sizeof(CodeRegion));
    for (size_t i = 0; i < m->as.count; i++) {
        const MemRegion *r = &m->as.regions[i];
        if (!r->ram) {
            continue;
        }
        CodeRegion *c = &s->regions[s->count++];
        c->base = r->base;
        c->size = r->size;
        uint64_t pages = (r->size + PAGE_MASK) >> 12;
        c->bits = calloc((pages + 63) / 64, sizeof(uint64_t));
    }
    m->exec = s;
    m->as.code_written = exec_code_written;
    m->as.code_written_opaque = m;
    return s;
}

static CodeRegion *code_region(const ExecShared *s, uint64_t pa)
{
    for (size_t i = 0; i < s->count; i++) {
        CodeRegion *c = &s->regions[i];
        if (pa - c->base < c->size) {
            return c;
        }
    }
    return NULL;
}

bool exec_is_code_page(Machine *m, uint64_t pa)
{
    const ExecShared *s = m->exec;
    if (!s) {
        return false;
    }
    const CodeRegion *c = code_region(s, pa);
    if (!c) {
        return false;
    }
    uint64_t page = (pa - c->base) >> 12;
    return c->bits[page / 64] >> (page % 64) & 1;
}

static void code_page_mark(Machine *m, uint64_t pa)
{
    ExecShared *s = exec_shared(m);
    CodeRegion *c = code_region(s, pa);
    if (!c) {
        return;
    }
    uint64_t page = (pa - c->base) >> 12;
    uint64_t bit = 1ULL << (page % 64);
    if (!(c->bits[page / 64] & bit)) {
        c->bits[page / 64] |= bit;
        cpu_mem_drop_write_tags(m, pa & ~PAGE_MASK);   /* stores now reach cpu_mem_slow */
    }
}

/* --- fast handlers (cpu/exec_fast.h) ---------------------------------- */

/* The generator's pattern table: cpu_decode_patterns (decode-a64.h). */

extern const ExecFastEntry exec_fast_dp_imm[], exec_fast_dp_reg[], exec_fast_branch[];
extern const ExecFastEntry exec_fast_ldst_imm[], exec_fast_ldst_pair[];   /* cpu-ldst */
static const ExecFastEntry *const exec_fast_tables[] = {
    exec_fast_dp_imm, exec_fast_dp_reg, exec_fast_branch, exec_fast_ldst_imm, exec_fast_ldst_pair,
};

/* Open-addressed map from a generated exec_NAME to its fast handler. */
#define FAST_MAP_SIZE 1024u
static struct { ExecFn from, to; } fast_map[FAST_MAP_SIZE];
static bool fast_map_ready;

static inline unsigned fast_hash(ExecFn fn)
{
    return (unsigned)(((uintptr_t)fn >> 4) * 0x9e3779b1u) & (FAST_MAP_SIZE - 1);
}

static void fast_map_init(void)
{
    for (unsigned i = 0; i < cpu_decode_pattern_count; i++) {
        for (size_t t = 0; t < ARRAY_SIZE(exec_fast_tables); t++) {
            for (const ExecFastEntry *f = exec_fast_tables[t]; f->name; f++) {
                if (strcmp(f->name, cpu_decode_patterns[i].name)) {
                    continue;
                }
                unsigned h = fast_hash(cpu_decode_patterns[i].fn);
                while (fast_map[h].from) {
                    h = (h + 1) & (FAST_MAP_SIZE - 1);
                }
                fast_map[h].from = cpu_decode_patterns[i].fn;
                fast_map[h].to = f->fn;
            }
        }
    }
    fast_map_ready = true;
}

/* cpu_decode(), with the fast handler substituted where there is one. */
static ExecFn exec_decode(uint32_t insn)
{
    ExecFn fn = cpu_decode(insn);
    for (unsigned h = fast_hash(fn); fast_map[h].from; h = (h + 1) & (FAST_MAP_SIZE - 1)) {
        if (fast_map[h].from == fn) {
            return fast_map[h].to;
        }
    }
    return fn;
}

/* The fast path's label for each ExecOp (filled by chain_run(NULL, ...)). */
static const void *const *exec_op_labels;
struct Block;
static ExecStatus chain_run(CPUState *cpu, Engine *e, struct Block **bp, uint64_t *donep, uint64_t max);

/* --- per-vCPU block cache ---------------------------------------------- */

static inline unsigned hash_pa(uint64_t pa)
{
    uint64_t h = (pa >> 2) * 0x9e3779b97f4a7c15ULL;
    return (unsigned)(h >> (64 - BLOCK_HASH_BITS));
}

static inline unsigned hash_page(uint64_t pa)
{
    return (unsigned)((pa >> 12) & (PAGE_HASH_SIZE - 1));
}

static Engine *engine_get(CPUState *cpu)
{
    Engine *e = cpu->engine;
    if (likely(e)) {
        return e;
    }
    e = calloc(1, sizeof(*e));
    e->arena = malloc(BLOCK_ARENA_BYTES);
    e->scratch = calloc(1, sizeof(Block) + 2 * sizeof(ExecInsn));
    if (!e->arena || !e->scratch) {
        fprintf(stderr, "tandem: out of memory for the block cache\n");
        abort();
    }
    cpu->engine = e;
    if (!fast_map_ready) {
        fast_map_init();
        chain_run(NULL, NULL, NULL, NULL, 0);   /* exports the fast path's op labels */
    }
    if (cpu->machine) {
        exec_shared(cpu->machine);
    }
    return e;
}

void exec_cpu_destroy(CPUState *cpu)
{
    Engine *e = cpu->engine;
    if (!e) {
        return;
    }
    free(e->arena);
    free(e->scratch);
    free(e);
    cpu->engine = NULL;
}

void exec_machine_destroy(Machine *m)
{
    ExecShared *s = m->exec;
    if (!s) {
        return;
    }
    for (size_t i = 0; i < s->count; i++) {
        free(s->regions[i].bits);
    }
    free(s->regions);
    free(s);
    m->exec = NULL;
    if (m->as.code_written == exec_code_written) {
        m->as.code_written = NULL;
        m->as.code_written_opaque = NULL;
    }
}

void cpu_flush_blocks(CPUState *cpu)
{
    Engine *e = cpu->engine;
    if (!e) {
        return;
    }
    e->arena_used = 0;
    e->gen++;
    memset(e->hash, 0, sizeof(e->hash));
    memset(e->page_hash, 0, sizeof(e->page_hash));
    memset(e->jc, 0, sizeof(e->jc));
}

static void engine_invalidate_page(Engine *e, uint64_t pa_page)
{
    Block **pp = &e->page_hash[hash_page(pa_page)];
    while (*pp) {
        Block *b = *pp;
        if ((b->pa & ~PAGE_MASK) != pa_page) {
            pp = &b->page_next;
            continue;
        }
        *pp = b->page_next;
        b->valid = false;
        Block **hp = &e->hash[hash_pa(b->pa)];
        while (*hp && *hp != b) {
            hp = &(*hp)->hash_next;
        }
        if (*hp) {
            *hp = b->hash_next;
        }
    }
}

void exec_notify_write(Machine *m, uint64_t pa, uint64_t len)
{
    ExecShared *s = m->exec;
    if (!s || !len) {
        return;
    }
    uint64_t first = pa & ~PAGE_MASK, last = (pa + len - 1) & ~PAGE_MASK;
    for (uint64_t page = first;; page += 0x1000) {
        CodeRegion *c = code_region(s, page);
        if (c) {
            uint64_t n = (page - c->base) >> 12;
            uint64_t bit = 1ULL << (n % 64);
            if (c->bits[n / 64] & bit) {
                c->bits[n / 64] &= ~bit;
                for (int i = 0; i < m->ncpus; i++) {
                    if (m->cpus[i] && m->cpus[i]->engine) {
                        engine_invalidate_page(m->cpus[i]->engine, page);
                    }
                }
            }
        }
        if (page == last) {
            break;
        }
    }
}

static Block *block_lookup(Engine *e, uint64_t pa)
{
    for (Block *b = e->hash[hash_pa(pa)]; b; b = b->hash_next) {
        if (b->pa == pa) {
            return b;
        }
    }
    return NULL;
}

/*
 * Instructions after which the block builder stops: the "branches, exception
 * generating and system instructions" group (op0 = x101), except the
 * conditional branches (B.cond, BC.cond, CBZ/CBNZ, TBZ/TBNZ): their
 * not-taken path simply continues in the block, the taken path leaves it
 * with EXEC_BRANCH. Other exits are dynamic (exceptions, EXEC_SYNC).
 */
static inline bool insn_ends_block(uint32_t insn)
{
    if (((insn >> 26) & 7) != 5) {
        return false;
    }
    bool cond_branch = (insn >> 24) == 0x54 ||                 /* B.cond, BC.cond */
                       ((insn >> 25) & 0x3e) == 0x1a;          /* CBZ/CBNZ, TBZ/TBNZ */
    return !cond_branch;
}

static void block_log(CPUState *cpu, const Block *b)
{
    char buf[128];
    log_printf("IN: cpu%d va=0x%016llx pa=0x%llx\n", cpu->cpu_index,
               (unsigned long long)b->va, (unsigned long long)b->pa);
    for (uint32_t i = 0; i < b->ninsns; i++) {
        log_disas(b->va + 4 * i, b->insns[i].raw, buf, sizeof(buf));
        log_printf("0x%016llx:  %08x  %s\n", (unsigned long long)(b->va + 4 * i),
                   b->insns[i].raw, buf);
    }
    log_printf("\n");
}


static void block_set_insn(Block *b, uint32_t i, uint32_t insn)
{
    exec_predecode(&b->insns[i], insn, exec_decode(insn));
}

/* After the last block_set_insn: fuse pairs, turn ops into labels, add the END sentinel. */
static void block_set_end(Block *b)
{
    exec_predecode_fuse(b->insns, b->ninsns);
    for (uint32_t i = 0; i < b->ninsns; i++) {
        b->insns[i].op = exec_op_labels[(uintptr_t)b->insns[i].op];
    }
    ExecInsn *ei = &b->insns[b->ninsns];
    memset(ei, 0, sizeof(*ei));
    ei->op = exec_op_labels[EXEC_OP_END];
}

/*
 * Build the block at (va, pa); first_insn was already fetched. Code outside
 * RAM (MMIO, nothing) is run one instruction at a time from a scratch block
 * that is never cached.
 */
static Block *block_build(CPUState *cpu, Engine *e, uint64_t va, uint64_t pa, uint32_t first_insn)
{
    Machine *m = cpu->machine;
    const uint8_t *host = m ? addrspace_ram_ptr(&m->as, pa & ~PAGE_MASK, 0x1000) : NULL;
    if (!host) {
        Block *b = e->scratch;
        b->va = va;
        b->pa = pa;
        b->ninsns = 1;
        b->valid = false;
        b->succ[0] = b->succ[1] = b->succ[2] = NULL;
        block_set_insn(b, 0, first_insn);
        block_set_end(b);
        if (log_enabled(LOG_IN_ASM)) {
            block_log(cpu, b);
        }
        return b;
    }
    size_t need = sizeof(Block) + (BLOCK_MAX_INSNS + 1) * sizeof(ExecInsn);
    if (e->arena_used + need > BLOCK_ARENA_BYTES) {
        cpu_flush_blocks(cpu);
    }
    Block *b = (Block *)(e->arena + e->arena_used);
    b->va = va;
    b->pa = pa;
    b->valid = true;
    b->succ[0] = b->succ[1] = b->succ[2] = NULL;
    uint32_t n = 0;
    uint64_t off = pa & PAGE_MASK;
    uint32_t insn = first_insn;
    for (;;) {
        block_set_insn(b, n, insn);
        n++;
        off += 4;
        if (n == BLOCK_MAX_INSNS || off >= 0x1000 || insn_ends_block(insn)) {
            break;
        }
        memcpy(&insn, host + off, 4);
    }
    b->ninsns = n;
    block_set_end(b);
    e->arena_used += (sizeof(Block) + (n + 1) * sizeof(ExecInsn) + 15) & ~(size_t)15;

    unsigned h = hash_pa(pa);
    b->hash_next = e->hash[h];
    e->hash[h] = b;
    unsigned ph = hash_page(pa);
    b->page_next = e->page_hash[ph];
    e->page_hash[ph] = b;
    code_page_mark(m, pa);

    if (log_enabled(LOG_IN_ASM)) {
        block_log(cpu, b);
    }
    return b;
}

/*
 * Find (or build) the block at cpu->pc. NULL when an exception was taken
 * instead (PC alignment, instruction abort): the caller loops.
 */
static Block *block_find(CPUState *cpu, Engine *e)
{
    uint64_t va = cpu->pc;
    if (unlikely(va & 3)) {
        /* AArch64.CheckPCAlignment on fetch of a misaligned branch target. */
        cpu_raise_pc_alignment(cpu, va);
        return NULL;
    }
    JumpCacheEntry *jc = &e->jc[(va >> 2) & (JC_SIZE - 1)];
    CPUTLBEntry *te = &cpu->tlb[cpu->mmu_idx][(va >> 12) & (CPU_TLB_SIZE - 1)];
    uint64_t pa;
    if (likely(te->tag_exec == (va & ~PAGE_MASK))) {
        pa = (te->pa_page & ~PAGE_MASK) | (va & PAGE_MASK);
        Block *b = jc->block;
        if (b && jc->va == va && b->pa == pa && b->valid) {
            return b;
        }
        b = block_lookup(e, pa);
        if (b) {
            jc->va = va;
            jc->block = b;
            return b;
        }
    }
    uint32_t insn;
    if (!cpu_fetch_insn(cpu, va, &insn, &pa)) {
        return NULL;   /* the instruction abort has been taken */
    }
    Block *b = block_lookup(e, pa);
    if (!b) {
        b = block_build(cpu, e, va, pa, insn);
        if (!b->valid) {
            return b;   /* uncached scratch block */
        }
    }
    jc->va = va;
    jc->block = b;
    return b;
}

static void exec_log_block(CPUState *cpu, const Block *b)
{
    if (log_enabled(LOG_EXEC)) {
        log_printf("Trace cpu%d: pc=0x%016llx pa=0x%llx el=%u [%u insns]\n", cpu->cpu_index,
                   (unsigned long long)cpu->pc, (unsigned long long)b->pa, cpu->el, b->ninsns);
    }
    if (log_enabled(LOG_CPU)) {
        for (int i = 0; i < 31; i++) {
            log_printf("X%02d=%016llx%s", i, (unsigned long long)cpu->x[i], i % 4 == 3 ? "\n" : " ");
        }
        log_printf(" SP=%016llx\nPC=%016llx NZCV=%x EL%u SPSel=%u DAIF=%x BTYPE=%u\n",
                   (unsigned long long)cpu->sp, (unsigned long long)cpu->pc, cpu->nzcv >> 28,
                   cpu->el, cpu->spsel, cpu->daif >> 6, cpu->btype);
    }
}

/*
 * First instruction of a block entered with PSTATE.BTYPE != 0 (after BR/BLR).
 * Every instruction other than the branches that set BTYPE clears it
 * (Arm ARM D8.4 "PSTATE.BTYPE"); an exception copies it into SPSR itself.
 * The guarded-page check (Branch Target exception, EC 0x0D) is cpu/bti.c's.
 */
static ExecStatus exec_first_with_btype(CPUState *cpu, const ExecInsn *in)
{
    if (bti_branch_target_check(cpu, in->raw)) {
        return EXEC_EXCEPTION;
    }
    ExecStatus st = in->fn(cpu, in->raw);
    if (st == EXEC_NEXT || st == EXEC_SYNC || st == EXEC_HALT) {
        cpu->btype = 0;
    }
    return st;
}

/*
 * The block after prev, which exited through successor slot `slot` (0 fall
 * through, 1 branch). Uses and fills prev's successor cache while nothing
 * the lookup depends on changed (cache generation, MMU index). A cached
 * successor is valid for the current translation when it lies in the
 * virtual page prev was entered at and in prev's physical page (the
 * translation that found prev maps it), or else when the softmmu TLB's
 * fetch entry for its page is present and maps it to the successor's
 * physical page (the check block_find's jump cache makes). NULL: do a full
 * lookup next.
 */
static inline Block *block_next(CPUState *cpu, Engine *e, Block *prev, uint64_t start_va,
                                unsigned slot, uint64_t gen, uint32_t mmu_idx, uint64_t *done)
{
    uint64_t pc = cpu->pc;
    if (unlikely(gen != e->gen || cpu->mmu_idx != mmu_idx)) {
        return NULL;
    }
    Block *b = prev->succ[slot];
    if (slot && !(b && b->va == pc)) {
        b = prev->succ[2];    /* returns and indirect branches alternate between targets */
    }
    if (likely(b && b->va == pc && b->valid)) {
        if (likely(!((start_va ^ pc) & ~PAGE_MASK) && !((b->pa ^ prev->pa) & ~PAGE_MASK))) {
            return b;
        }
        const CPUTLBEntry *te = &cpu->tlb[mmu_idx][(pc >> 12) & (CPU_TLB_SIZE - 1)];
        if (te->tag_exec == (pc & ~PAGE_MASK) && !((te->pa_page ^ b->pa) & ~PAGE_MASK)) {
            return b;
        }
    }
    if (!prev->valid || (pc & 3)) {
        return NULL;
    }
    b = block_find(cpu, e);
    if (!b) {
        (*done)++;   /* the fetch faulted */
        return NULL;
    }
    if (gen == e->gen && b->valid && b->va == pc) {
        if (slot) {
            prev->succ[2] = prev->succ[1];
        }
        prev->succ[slot] = b;
    }
    return b;
}

/*
 * The hot loop: run the instructions [*in, end) until one does not return
 * EXEC_NEXT; *in is left at that instruction (or at end). Kept out of line
 * with only cpu, the cursor, the end and pc live across the handler call,
 * so they stay in callee-saved registers.
 */
static __attribute__((noinline)) ExecStatus block_exec(CPUState *cpu, const ExecInsn **inp,
                                                       const ExecInsn *end)
{
    const ExecInsn *in = *inp;
    uint64_t pc = cpu->pc;
    do {
        ExecStatus st = in->fn(cpu, in->raw);
        if (unlikely(st != EXEC_NEXT)) {
            *inp = in;
            return st;
        }
        pc += 4;
        cpu->pc = pc;
    } while (++in < end);
    *inp = in;
    return EXEC_NEXT;
}

/* Flag words as cpu->nzcv holds them (PSTATE.NZCV in bits 31:28). */
static inline uint32_t nzcv_sub64(uint64_t x, uint64_t y)
{
    uint64_t r = x - y;
    return (uint32_t)(r >> 63) << 31 | (uint32_t)(r == 0) << 30 | (uint32_t)(x >= y) << 29 |
           (uint32_t)(((x ^ y) & (x ^ r)) >> 63) << 28;
}
static inline uint32_t nzcv_sub32(uint32_t x, uint32_t y)
{
    uint32_t r = x - y;
    return (r >> 31) << 31 | (uint32_t)(r == 0) << 30 | (uint32_t)(x >= y) << 29 |
           (((x ^ y) & (x ^ r)) >> 31) << 28;
}
static inline uint32_t nzcv_add64(uint64_t x, uint64_t y)
{
    uint64_t r = x + y;
    return (uint32_t)(r >> 63) << 31 | (uint32_t)(r == 0) << 30 | (uint32_t)(r < x) << 29 |
           (uint32_t)((~(x ^ y) & (x ^ r)) >> 63) << 28;
}
static inline uint32_t nzcv_add32(uint32_t x, uint32_t y)
{
    uint32_t r = x + y;
    return (r >> 31) << 31 | (uint32_t)(r == 0) << 30 | (uint32_t)(r < x) << 29 |
           ((~(x ^ y) & (x ^ r)) >> 31) << 28;
}
static inline uint32_t nzcv_logic64(uint64_t r)
{
    return (uint32_t)(r >> 63) << 31 | (uint32_t)(r == 0) << 30;
}
static inline uint32_t nzcv_logic32(uint32_t r)
{
    return (r >> 31) << 31 | (uint32_t)(r == 0) << 30;
}

/* ConditionHolds(cond) as bit (NZCV as a 4-bit number) of a mask per condition. */
static const uint16_t exec_cond_mask[16] = {
    0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
    0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,
};
static inline bool exec_cond(const CPUState *cpu, unsigned cond)
{
    return (exec_cond_mask[cond] >> (cpu->nzcv >> 28)) & 1;
}

/*
 * cpu_mem_tag_hit() with the common case first: a tag equal to the page
 * (Normal memory, SCTLR_ELx.A = 0) hits for any access inside the page.
 */
static inline bool exec_tag_hit(uint64_t tag, uint64_t va, unsigned size)
{
    if (likely(tag == (va & ~PAGE_MASK))) {
        return (va & PAGE_MASK) <= 0x1000 - size;
    }
    return cpu_mem_tag_hit(tag, va, size);
}

_Static_assert(offsetof(CPUState, x) == 0 && offsetof(CPUState, sp) == EXEC_REG_SP * sizeof(uint64_t),
               "the fast path indexes X0..X30, XZR and SP as one array");

/*
 * The fast path: run b and then its cached successors for as long as they
 * are cached, the budget lasts and nothing asks for the general path
 * (exit_request, tracing, gdb, self-hosted debug; a block entered with
 * PSTATE.BTYPE != 0 runs its first instruction as the general path does). Returns the
 * status that ended the last block: EXEC_NEXT/EXEC_BRANCH with *bp = the
 * next block (NULL: look it up), or EXEC_EXCEPTION/EXEC_SYNC/EXEC_HALT with
 * *bp = NULL and pc at the instruction that returned it. *donep counts
 * retired instructions.
 *
 * Dispatch is threaded: every instruction ends with `goto *next->op`
 * (cpu/exec_ops.h). cpu->pc is only written where something can read it:
 * before a handler call, on a branch and at the end of a block; an inline
 * instruction computes its own address from its index in the block. A
 * TLB miss of an inline load/store jumps to op_CALL, which runs the
 * instruction's handler (the slow path, faults, watchpoints) as if the
 * inline attempt had not happened: it changed nothing. Called once with
 * cpu == NULL to export the label table.
 */
static __attribute__((noinline)) ExecStatus chain_run(CPUState *cpu, Engine *e, Block **bp,
                                                      uint64_t *donep, uint64_t max)
{
#define OP_LABEL(NAME) &&op_##NAME,
#define OP_LABEL2(M, K) &&op_##M##_##K,
    static const void *const labels[EXEC_OP_COUNT] = {
        EXEC_OPS_PLAIN(OP_LABEL)
        EXEC_LDST_MODES(OP_LABEL2, EXEC_LDST_KINDS)
        EXEC_LDP_MODES(OP_LABEL2, EXEC_LDP_KINDS)
        EXEC_CMPB_FORMS(OP_LABEL2, EXEC_CONDS)
    };
    if (unlikely(!cpu)) {
        exec_op_labels = labels;
        return EXEC_NEXT;
    }
    uint64_t *const R = (uint64_t *)cpu;    /* R[0..30] X0..X30, R[31] XZR (0), R[32] SP */
    Block *b = *bp;
    uint64_t done = *donep;
    const uint64_t gen = e->gen;
    const uint32_t mmu_idx = cpu->mmu_idx;
    CPUTLBEntry *tlb = cpu->tlb[mmu_idx];
    uint64_t start_va;
    const ExecInsn *in;
    ExecStatus st;
    unsigned slot;
    /* A handler ran since the last full block-boundary check (see chain:). */
    bool called = false;
    /*
     * Lazy NZCV: SUBS/CMP leave their operands here (lz_kind 1: 64-bit,
     * 2: 32-bit) instead of packing cpu->nzcv; FLAGS_SYNC() packs them
     * before anything reads cpu->nzcv: a handler, an inline condition,
     * a block lookup that may take an instruction abort, and the exit.
     */
    uint64_t lz_x = 0, lz_y = 0;
    unsigned lz_kind = 0;

#define FLAGS_SYNC()                                                                  \
    do {                                                                              \
        if (lz_kind) {                                                                \
            cpu->nzcv = lz_kind == 1 ? nzcv_sub64(lz_x, lz_y)                        \
                                     : nzcv_sub32((uint32_t)lz_x, (uint32_t)lz_y);    \
            lz_kind = 0;                                                              \
        }                                                                             \
    } while (0)
#define FLAGS_LAZY(KIND, X, Y) do { lz_x = (X); lz_y = (Y); lz_kind = (KIND); } while (0)
#define PC() (start_va + (uint64_t)(in - b->insns) * 4)
#define NEXT() do { in++; goto *in->op; } while (0)
#define BRANCH(target) do { cpu->pc = (target); goto taken; } while (0)
#define TLB(va) (&tlb[((va) >> 12) & (CPU_TLB_SIZE - 1)])

enter:
    start_va = cpu->pc;
    in = b->insns;
    goto *in->op;

op_CALL:
    FLAGS_SYNC();
    cpu->pc = PC();
    st = in->fn(cpu, in->raw);
after_call:
    called = true;
    if (likely(st == EXEC_NEXT)) {
        tlb = cpu->tlb[cpu->mmu_idx];
        NEXT();
    }
    done += (uint64_t)(in - b->insns) + 1;
    if (st != EXEC_BRANCH) {
        b = NULL;
        goto out;
    }
    slot = 1;
    goto chain;
op_END:
    cpu->pc = PC();
    done += b->ninsns;
    st = EXEC_NEXT;
    slot = 0;
    goto chain;
taken:
    done += (uint64_t)(in - b->insns) + 1;
    st = EXEC_BRANCH;
    slot = 1;
chain:
    if (likely(!called)) {
        /*
         * Only inline instructions ran since the last full check: they
         * change neither the MMU index, the cache generation, BTYPE nor
         * any debug or trace state, so a cached successor that the
         * current translation maps (block_next's rules) is entered
         * directly; the budget and exit_request are still checked.
         */
        uint64_t pc = cpu->pc;
        Block *nb = b->succ[slot];
        if (slot && !(nb && nb->va == pc)) {
            nb = b->succ[2];
        }
        if (likely(nb && nb->va == pc && nb->valid && done < max && !cpu->exit_request)) {
            const CPUTLBEntry *te = TLB(pc);
            if (likely((!((start_va ^ pc) & ~PAGE_MASK) && !((nb->pa ^ b->pa) & ~PAGE_MASK)) ||
                       (te->tag_exec == (pc & ~PAGE_MASK) && !((te->pa_page ^ nb->pa) & ~PAGE_MASK)))) {
                b = nb;
                goto enter;
            }
        }
    }
    FLAGS_SYNC();
    b = block_next(cpu, e, b, start_va, slot, gen, mmu_idx, &done);
    called = gen != e->gen;    /* a flush during the lookup: check everything next time */
    if (!b || done >= max || cpu->exit_request || (log_mask & (LOG_EXEC | LOG_CPU)) ||
        gdbstub_debug_flags || (cpu->debug_flags & DEBUG_ACTIVE_INSN)) {
        goto out;
    }
    if (likely(!cpu->btype)) {
        goto enter;
    }
    /* After BR/BLR (FEAT_BTI): the first instruction with the Branch Target
     * check and BTYPE clearing of the general path, then on inline. */
    start_va = cpu->pc;
    in = b->insns;
    st = exec_first_with_btype(cpu, in);
    goto after_call;

    /* --- data processing --- */
op_NOP: NEXT();
op_ADRP: R[in->d] = (PC() & ~PAGE_MASK) + in->imm; NEXT();
op_LSLV64: R[in->d] = R[in->n] << (R[in->m] & 63); NEXT();
op_LSLV32: R[in->d] = (uint32_t)R[in->n] << (R[in->m] & 31); NEXT();
op_LSRV64: R[in->d] = R[in->n] >> (R[in->m] & 63); NEXT();
op_LSRV32: R[in->d] = (uint32_t)R[in->n] >> (R[in->m] & 31); NEXT();
op_ASRV64: R[in->d] = (uint64_t)((int64_t)R[in->n] >> (R[in->m] & 63)); NEXT();
op_ASRV32: R[in->d] = (uint32_t)((int32_t)(uint32_t)R[in->n] >> (R[in->m] & 31)); NEXT();
op_ADDI64: R[in->d] = R[in->n] + in->imm; NEXT();
op_ADDI32: R[in->d] = (uint32_t)(R[in->n] + in->imm); NEXT();
op_ADDSI64: {
    uint64_t x = R[in->n], y = in->imm;
    cpu->nzcv = nzcv_add64(x, y);
    lz_kind = 0;
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = x + y;
    }
    NEXT();
}
op_ADDSI32: {
    uint32_t x = (uint32_t)R[in->n], y = (uint32_t)in->imm;
    cpu->nzcv = nzcv_add32(x, y);
    lz_kind = 0;
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = (uint32_t)(x + y);
    }
    NEXT();
}
op_SUBSI64: {
    uint64_t x = R[in->n], y = in->imm;
    FLAGS_LAZY(1, x, y);
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = x - y;
    }
    NEXT();
}
op_SUBSI32: {
    uint32_t x = (uint32_t)R[in->n], y = (uint32_t)in->imm;
    FLAGS_LAZY(2, x, y);
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = (uint32_t)(x - y);
    }
    NEXT();
}
op_ADDR64: R[in->d] = R[in->n] + (R[in->m] << in->s); NEXT();
op_ADDR32: R[in->d] = (uint32_t)(R[in->n] + (R[in->m] << in->s)); NEXT();
op_SUBR64: R[in->d] = R[in->n] - (R[in->m] << in->s); NEXT();
op_SUBR32: R[in->d] = (uint32_t)(R[in->n] - (R[in->m] << in->s)); NEXT();
op_ADDXS64: R[in->d] = R[in->n] + ((uint64_t)(int64_t)(int32_t)R[in->m] << in->s); NEXT();
op_ADDXU64: R[in->d] = R[in->n] + ((uint64_t)(uint32_t)R[in->m] << in->s); NEXT();
op_ADDSR64: {
    uint64_t x = R[in->n], y = R[in->m] << in->s;
    cpu->nzcv = nzcv_add64(x, y);
    lz_kind = 0;
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = x + y;
    }
    NEXT();
}
op_ADDSR32: {
    uint32_t x = (uint32_t)R[in->n], y = (uint32_t)(R[in->m] << in->s);
    cpu->nzcv = nzcv_add32(x, y);
    lz_kind = 0;
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = (uint32_t)(x + y);
    }
    NEXT();
}
op_SUBSR64: {
    uint64_t x = R[in->n], y = R[in->m] << in->s;
    FLAGS_LAZY(1, x, y);
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = x - y;
    }
    NEXT();
}
op_SUBSR32: {
    uint32_t x = (uint32_t)R[in->n], y = (uint32_t)(R[in->m] << in->s);
    FLAGS_LAZY(2, x, y);
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = (uint32_t)(x - y);
    }
    NEXT();
}
op_ANDR64: R[in->d] = R[in->n] & (R[in->m] << in->s); NEXT();
op_ANDR32: R[in->d] = (uint32_t)(R[in->n] & (R[in->m] << in->s)); NEXT();
op_ORRR64: R[in->d] = R[in->n] | (R[in->m] << in->s); NEXT();
op_ORRR32: R[in->d] = (uint32_t)(R[in->n] | (R[in->m] << in->s)); NEXT();
op_EORR64: R[in->d] = R[in->n] ^ (R[in->m] << in->s); NEXT();
op_EORR32: R[in->d] = (uint32_t)(R[in->n] ^ (R[in->m] << in->s)); NEXT();
op_ANDSR64: {
    uint64_t r = R[in->n] & (R[in->m] << in->s);
    cpu->nzcv = nzcv_logic64(r);
    lz_kind = 0;
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = r;
    }
    NEXT();
}
op_ANDSR32: {
    uint32_t r = (uint32_t)(R[in->n] & (R[in->m] << in->s));
    cpu->nzcv = nzcv_logic32(r);
    lz_kind = 0;
    if (in->d != EXEC_REG_ZR) {
        R[in->d] = r;
    }
    NEXT();
}
op_MOV64: R[in->d] = R[in->m]; NEXT();
op_MOV32: R[in->d] = (uint32_t)R[in->m]; NEXT();
op_ANDI: R[in->d] = R[in->n] & in->imm; NEXT();
op_ORRI64: R[in->d] = R[in->n] | in->imm; NEXT();
op_ORRI32: R[in->d] = (uint32_t)(R[in->n] | in->imm); NEXT();
op_EORI64: R[in->d] = R[in->n] ^ in->imm; NEXT();
op_EORI32: R[in->d] = (uint32_t)(R[in->n] ^ in->imm); NEXT();
op_MOVI: R[in->d] = in->imm; NEXT();
op_MOVK64: R[in->d] = (R[in->d] & ~(0xffffULL << in->s)) | in->imm; NEXT();
op_MOVK32: R[in->d] = (uint32_t)((R[in->d] & ~(0xffffULL << in->s)) | in->imm); NEXT();
op_UBFM64: R[in->d] = (R[in->n] << in->s) >> in->m; NEXT();
op_UBFM32: R[in->d] = ((uint32_t)R[in->n] << in->s) >> in->m; NEXT();
op_SBFM64: R[in->d] = (uint64_t)((int64_t)(R[in->n] << in->s) >> in->m); NEXT();
op_SBFM32: R[in->d] = (uint32_t)((int32_t)((uint32_t)R[in->n] << in->s) >> in->m); NEXT();
op_MADD64: R[in->d] = R[in->s] + R[in->n] * R[in->m]; NEXT();
op_MADD32: R[in->d] = (uint32_t)(R[in->s] + R[in->n] * R[in->m]); NEXT();
op_CSEL64: FLAGS_SYNC(); R[in->d] = exec_cond(cpu, in->s) ? R[in->n] : R[in->m]; NEXT();
op_CSEL32: FLAGS_SYNC(); R[in->d] = (uint32_t)(exec_cond(cpu, in->s) ? R[in->n] : R[in->m]); NEXT();
op_CSINC64: FLAGS_SYNC(); R[in->d] = exec_cond(cpu, in->s) ? R[in->n] : R[in->m] + 1; NEXT();
op_CSINC32: FLAGS_SYNC(); R[in->d] = (uint32_t)(exec_cond(cpu, in->s) ? R[in->n] : R[in->m] + 1); NEXT();

    /* --- branches (PSTATE.BTYPE is 0 on the fast path and these leave it 0) --- */
op_B: BRANCH(PC() + in->imm);
op_BL: {
    uint64_t pc = PC();
    R[30] = pc + 4;
    BRANCH(pc + in->imm);
}
op_BCOND:
    FLAGS_SYNC();
    if (exec_cond(cpu, in->s)) {
        BRANCH(PC() + in->imm);
    }
    NEXT();
op_CBZ64:
    if (R[in->n] == 0) {
        BRANCH(PC() + in->imm);
    }
    NEXT();
op_CBZ32:
    if ((uint32_t)R[in->n] == 0) {
        BRANCH(PC() + in->imm);
    }
    NEXT();
op_CBNZ64:
    if (R[in->n] != 0) {
        BRANCH(PC() + in->imm);
    }
    NEXT();
op_CBNZ32:
    if ((uint32_t)R[in->n] != 0) {
        BRANCH(PC() + in->imm);
    }
    NEXT();
op_TBZ:
    if (!((R[in->n] >> in->s) & 1)) {
        BRANCH(PC() + in->imm);
    }
    NEXT();
op_TBNZ:
    if ((R[in->n] >> in->s) & 1) {
        BRANCH(PC() + in->imm);
    }
    NEXT();
op_RET: BRANCH(R[in->n]);

    /*
     * --- loads and stores: the softmmu TLB hit inline (cpu_mem_tag_hit), a
     * miss or an SP base that would need the SP alignment check runs the
     * handler. Writeback after the access (the pre-decoder left the
     * CONSTRAINED UNPREDICTABLE Rn == Rt loads to the handler).
     */
#define SP_CHECK(base) if (unlikely(in->n == EXEC_REG_SP && ((base) & 15))) goto op_CALL
#define VA_UI uint64_t base = R[in->n]; SP_CHECK(base); uint64_t va = base + in->imm;
#define VA_RX uint64_t base = R[in->n]; SP_CHECK(base); uint64_t va = base + (R[in->m] << in->s);
#define VA_RU uint64_t base = R[in->n]; SP_CHECK(base); \
    uint64_t va = base + ((uint64_t)(uint32_t)R[in->m] << in->s);
#define VA_RS uint64_t base = R[in->n]; SP_CHECK(base); \
    uint64_t va = base + ((uint64_t)(int64_t)(int32_t)R[in->m] << in->s);
#define VA_POST uint64_t base = R[in->n]; SP_CHECK(base); uint64_t va = base;
#define VA_PRE uint64_t base = R[in->n]; SP_CHECK(base); uint64_t va = base + in->imm;
#define WB_UI
#define WB_RX
#define WB_RU
#define WB_RS
#define WB_POST R[in->n] = base + in->imm;
#define WB_PRE R[in->n] = va;
#define LOAD_INLINE(SIZE, T, CONV)                                                    \
    {                                                                                 \
        CPUTLBEntry *te = TLB(va);                                                    \
        if (unlikely(!exec_tag_hit(te->tag_read, va, SIZE))) {                     \
            goto op_CALL;                                                             \
        }                                                                             \
        T v;                                                                          \
        memcpy(&v, (const void *)(uintptr_t)(va + te->addend), SIZE);                 \
        R[in->d] = CONV(v);                                                           \
    }
#define STORE_INLINE(SIZE, T)                                                         \
    {                                                                                 \
        CPUTLBEntry *te = TLB(va);                                                    \
        if (unlikely(!exec_tag_hit(te->tag_write, va, SIZE))) {                    \
            goto op_CALL;                                                             \
        }                                                                             \
        T v = (T)R[in->d];                                                            \
        memcpy((void *)(uintptr_t)(va + te->addend), &v, SIZE);                       \
    }
#define CONV_U(v) (uint64_t)(v)
#define CONV_S64(v) (uint64_t)(int64_t)(v)
#define CONV_S32(v) (uint64_t)(uint32_t)(int32_t)(v)
#define ACC_LD8 LOAD_INLINE(1, uint8_t, CONV_U)
#define ACC_LD16 LOAD_INLINE(2, uint16_t, CONV_U)
#define ACC_LD32 LOAD_INLINE(4, uint32_t, CONV_U)
#define ACC_LD64 LOAD_INLINE(8, uint64_t, CONV_U)
#define ACC_LDSB64 LOAD_INLINE(1, int8_t, CONV_S64)
#define ACC_LDSH64 LOAD_INLINE(2, int16_t, CONV_S64)
#define ACC_LDSW64 LOAD_INLINE(4, int32_t, CONV_S64)
#define ACC_LDSB32 LOAD_INLINE(1, int8_t, CONV_S32)
#define ACC_LDSH32 LOAD_INLINE(2, int16_t, CONV_S32)
#define ACC_ST8 STORE_INLINE(1, uint8_t)
#define ACC_ST16 STORE_INLINE(2, uint16_t)
#define ACC_ST32 STORE_INLINE(4, uint32_t)
#define ACC_ST64 STORE_INLINE(8, uint64_t)
#define LDST_BODY(M, K) op_##M##_##K: { VA_##M ACC_##K WB_##M NEXT(); }
    EXEC_LDST_MODES(LDST_BODY, EXEC_LDST_KINDS)

    /*
     * Pairs: both elements inside one page and a hit for the whole 2 * size
     * bytes (on Device memory or with SCTLR_ELx.A, cpu_mem_tag_hit then asks
     * for 2 * size alignment: stricter than the architecture, so only more
     * accesses take the handler).
     */
#define VA_PO VA_UI
#define VA_PPOST VA_POST
#define VA_PPRE VA_PRE
#define WB_PO
#define WB_PPOST WB_POST
#define WB_PPRE WB_PRE
#define PAIR_LOAD(SIZE, T)                                                            \
    {                                                                                 \
        CPUTLBEntry *te = TLB(va);                                                    \
        if (unlikely(!exec_tag_hit(te->tag_read, va, 2 * SIZE))) {                 \
            goto op_CALL;                                                             \
        }                                                                             \
        T v[2];                                                                       \
        memcpy(v, (const void *)(uintptr_t)(va + te->addend), 2 * SIZE);              \
        R[in->d] = v[0];                                                              \
        R[in->m] = v[1];                                                              \
    }
#define PAIR_STORE(SIZE, T)                                                           \
    {                                                                                 \
        CPUTLBEntry *te = TLB(va);                                                    \
        if (unlikely(!exec_tag_hit(te->tag_write, va, 2 * SIZE))) {                \
            goto op_CALL;                                                             \
        }                                                                             \
        T v[2] = { (T)R[in->d], (T)R[in->m] };                                        \
        memcpy((void *)(uintptr_t)(va + te->addend), v, 2 * SIZE);                    \
    }
#define ACC_LDP64 PAIR_LOAD(8, uint64_t)
#define ACC_LDP32 PAIR_LOAD(4, uint32_t)
#define ACC_STP64 PAIR_STORE(8, uint64_t)
#define ACC_STP32 PAIR_STORE(4, uint32_t)
    EXEC_LDP_MODES(LDST_BODY, EXEC_LDP_KINDS)

    /*
     * --- compare and branch (exec_predecode_fuse): NZCV and Rd as SUBS
     * sets them, then the B.cond that follows, decided on the operands.
     */
#define CB_XY_CBI64 uint64_t x = R[in->n], y = in->imm;
#define CB_XY_CBI32 uint32_t x = (uint32_t)R[in->n], y = (uint32_t)in->imm;
#define CB_XY_CBR64 uint64_t x = R[in->n], y = R[in->m] << in->s;
#define CB_XY_CBR32 uint32_t x = (uint32_t)R[in->n], y = (uint32_t)(R[in->m] << in->s);
#define CB_KIND_CBI64 1
#define CB_KIND_CBI32 2
#define CB_KIND_CBR64 1
#define CB_KIND_CBR32 2
#define CB_S_CBI64 int64_t
#define CB_S_CBI32 int32_t
#define CB_S_CBR64 int64_t
#define CB_S_CBR32 int32_t
#define CB_EQ(S) x == y
#define CB_NE(S) x != y
#define CB_HS(S) x >= y
#define CB_LO(S) x < y
#define CB_MI(S) (S)(x - y) < 0
#define CB_PL(S) (S)(x - y) >= 0
#define CB_VS(S) __builtin_sub_overflow((S)x, (S)y, &ov)
#define CB_VC(S) !__builtin_sub_overflow((S)x, (S)y, &ov)
#define CB_HI(S) x > y
#define CB_LS(S) x <= y
#define CB_GE(S) (S)x >= (S)y
#define CB_LT(S) (S)x < (S)y
#define CB_GT(S) (S)x > (S)y
#define CB_LE(S) (S)x <= (S)y
#define CB_BODY(F, C)                                                                 \
    op_##F##_##C: {                                                                   \
        CB_XY_##F                                                                     \
        CB_S_##F ov;                                                                  \
        (void)ov;                                                                     \
        FLAGS_LAZY(CB_KIND_##F, x, y);                                                \
        if (in->d != EXEC_REG_ZR) {                                                   \
            R[in->d] = x - y;                                                         \
        }                                                                             \
        in++;                                                                         \
        if (CB_##C(CB_S_##F)) {                                                       \
            BRANCH(PC() + in->imm);                                                   \
        }                                                                             \
        NEXT();                                                                       \
    }
    EXEC_CMPB_FORMS(CB_BODY, EXEC_CONDS)

out:
    FLAGS_SYNC();
    *bp = b;
    *donep = done;
    return st;
#undef PC
#undef NEXT
#undef BRANCH
#undef TLB
}

/*
 * Run up to max_insns instructions (whole blocks: may overshoot by less
 * than one block). Returns early after EXEC_HALT (WFI/WFE) or when
 * exit_request is seen at a block boundary (after checking interrupts).
 * A halted or powered-off vCPU runs nothing: whoever wakes it (interrupt
 * controller, PSCI, the WFx wake-up logic) clears cpu->halted.
 */
uint64_t cpu_run(CPUState *cpu, uint64_t max_insns)
{
    Engine *e = engine_get(cpu);
    uint64_t done = 0;

    if (cpu->exit_request) {
        cpu->exit_request = 0;
        /* gdb single-steps with interrupts masked unless `monitor step-irq on` */
        if (!cpu->powered_off &&
            !(unlikely(gdbstub_debug_flags & GDBSTUB_DEBUG_STEP) && gdbstub_irq_masked(cpu))) {
            cpu_check_interrupts(cpu);
        }
    }
    if (cpu->halted || cpu->powered_off) {
        return 0;
    }

    Block *b = NULL;
    while (done < max_insns) {
        if (!b) {
            b = block_find(cpu, e);
            if (!b) {
                done++;        /* the fetch faulted; count it so time advances */
                goto boundary;
            }
        }
        if (likely(!(log_mask & (LOG_EXEC | LOG_CPU)) && !gdbstub_debug_flags && !cpu->btype &&
                   !(cpu->debug_flags & DEBUG_ACTIVE_INSN))) {
            ExecStatus st = chain_run(cpu, e, &b, &done, max_insns);
            if (unlikely(st == EXEC_SYNC || st == EXEC_HALT)) {
                cpu->pc += 4;    /* past the instruction (WFI/WFE: resumes after it) */
                if (st == EXEC_HALT) {
                    cpu->icount += done;
                    return done;
                }
            }
            goto boundary;
        }

        /* The general path: tracing, gdb checks, or BTYPE set on entry. */
        if (unlikely(log_mask & (LOG_EXEC | LOG_CPU))) {
            exec_log_block(cpu, b);
        }

        uint64_t gen = e->gen;
        uint32_t mmu_idx = cpu->mmu_idx;
        uint64_t start_va = cpu->pc;
        const ExecInsn *in = b->insns, *end = in + b->ninsns;
        ExecStatus st;
        if (unlikely((gdbstub_debug_flags & (GDBSTUB_DEBUG_BREAK | GDBSTUB_DEBUG_STEP | GDBSTUB_DEBUG_STOP)) ||
                     (cpu->debug_flags & DEBUG_ACTIVE_INSN))) {
            /* gdb armed breakpoints or a step (or holds the vCPUs), or the guest's own
             * self-hosted debug (software step, hardware breakpoints: cpu/debug.h) is
             * active: the same loop with the checks before every instruction.
             * Watchpoints alone need no per-instruction check: cpu/mem.c sees them. */
            bool first = true;
            bool gdb_checks = gdbstub_debug_flags & (GDBSTUB_DEBUG_BREAK | GDBSTUB_DEBUG_STEP | GDBSTUB_DEBUG_STOP);
            st = EXEC_NEXT;
            while (in < end) {
                if (gdb_checks && gdbstub_check_insn(cpu)) {
                    done += (uint64_t)(in - b->insns);
                    cpu->icount += done;
                    return done;
                }
                if ((cpu->debug_flags & DEBUG_ACTIVE_INSN) && debug_check_insn(cpu)) {
                    /* A breakpoint or software-step exception was taken instead of the instruction. */
                    st = EXEC_EXCEPTION;
                    goto out;
                }
                st = first && cpu->btype ? exec_first_with_btype(cpu, in) : in->fn(cpu, in->raw);
                first = false;
                if (unlikely(st != EXEC_NEXT)) {
                    goto out;
                }
                cpu->pc += 4;
                in++;
            }
            done += b->ninsns;
            b = block_next(cpu, e, b, start_va, 0, gen, mmu_idx, &done);
            goto boundary;
        }
        if (unlikely(cpu->btype)) {
            st = exec_first_with_btype(cpu, in);
            if (st != EXEC_NEXT) {
                goto out;
            }
            cpu->pc += 4;
            in++;
            if (in == end) {
                goto fell_off;
            }
        }
        st = block_exec(cpu, &in, end);
        if (unlikely(st != EXEC_NEXT)) {
            goto out;
        }
    fell_off:
        /* fell off the end: in == end, st == EXEC_NEXT */
        done += b->ninsns;
        b = block_next(cpu, e, b, start_va, 0, gen, mmu_idx, &done);
        goto boundary;

    out:
        done += (uint64_t)(in - b->insns) + 1;
        if (st == EXEC_BRANCH) {
            b = block_next(cpu, e, b, start_va, 1, gen, mmu_idx, &done);
        } else {
            b = NULL;
            if (st == EXEC_SYNC) {
                cpu->pc += 4;
            } else if (st == EXEC_HALT) {
                /* WFI/WFE completed by waiting: execution resumes after it
                 * (an interrupt taken while waiting returns there). */
                cpu->pc += 4;
                cpu->icount += done;
                return done;
            }
        }

    boundary:
        if (unlikely(cpu->exit_request)) {
            if (unlikely(gdbstub_debug_flags & GDBSTUB_DEBUG_STOP)) {
                break;   /* gdb stops here: pc stays at the stopping instruction, no interrupt taken */
            }
            cpu->exit_request = 0;
            if (!(unlikely(gdbstub_debug_flags & GDBSTUB_DEBUG_STEP) && gdbstub_irq_masked(cpu))) {
                cpu_check_interrupts(cpu);
            }
            break;
        }
    }
    cpu->icount += done;
    return done;
}
