/*
 * AArch64 runner for the FP/SIMD differential tester: reads FPDiffRecords
 * on stdin, executes each instruction in a one-instruction slot with the
 * given register state (SIGILL reported as status 1), writes the records
 * back on stdout. Built with aarch64-linux-gnu-gcc, run under qemu-aarch64.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "fpdiff-state.h"

void fpdiff_run(FPDiffState *st, void (*slot)(void));

static sigjmp_buf jb;
static volatile sig_atomic_t got_sig;

static void on_signal(int sig)
{
    got_sig = sig;
    siglongjmp(jb, 1);
}

int main(void)
{
    uint32_t *slot = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (slot == MAP_FAILED) {
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    setvbuf(stdout, NULL, _IONBF, 0);     /* a QEMU abort must not lose finished records */
    static FPDiffRecord rec;
    while (fread(&rec, sizeof(rec), 1, stdin) == 1) {
        slot[0] = rec.insn;
        slot[1] = 0xd65f03c0;      /* ret */
        __builtin___clear_cache((char *)slot, (char *)(slot + 2));
        got_sig = 0;
        if (sigsetjmp(jb, 1) == 0) {
            fpdiff_run(&rec.st, (void (*)(void))slot);
            rec.status = 0;
        } else {
            __asm__ volatile("msr fpcr, xzr");
            rec.status = got_sig == SIGILL ? 1 : 2;
        }
        fwrite(&rec, sizeof(rec), 1, stdout);
    }
    fflush(stdout);
    return 0;
}
