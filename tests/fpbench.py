#!/usr/bin/env python3
"""FP/AdvSIMD benchmark: run guests/fpbench under QEMU and Tandem, side by side.

    fpbench.py QEMU_SYSTEM TANDEM IMAGE [RUNS]

Prints the best-of-RUNS host wall time of each emulator for the whole guest
(boot + matrix multiply, dot product, conversions, memcpy, strlen kernels)
and fails if either run does not pass the guest's own result checks.
"""
import subprocess
import sys
import time

ARGS = ["-M", "virt,virtualization=on,secure=off,gic-version=3", "-cpu", "max",
        "-nographic", "-semihosting", "-no-reboot", "-kernel"]


def run(binary, image):
    start = time.monotonic()
    p = subprocess.run([binary] + ARGS + [image], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    elapsed = time.monotonic() - start
    out = p.stdout.decode(errors="replace")
    ok = p.returncode == 0 and "SUMMARY: 5 tests, 0 failures" in out
    return elapsed, ok, out


def main():
    qemu, tandem, image = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    results = {}
    for name, binary in (("qemu", qemu), ("tandem", tandem)):
        best, ok_all = None, True
        for _ in range(runs):
            t, ok, out = run(binary, image)
            if not ok:
                print(f"{name}: guest failed:\n{out}")
                ok_all = False
                break
            best = t if best is None else min(best, t)
        results[name] = (best, ok_all)
    print(f"{'fpbench':<10} {'wall time (best of %d)' % runs:>24}")
    for name, (best, ok) in results.items():
        print(f"{name:<10} {best if best is not None else float('nan'):>20.3f} s  {'ok' if ok else 'FAILED'}")
    if results["qemu"][0] and results["tandem"][0]:
        print(f"tandem/qemu time ratio: {results['tandem'][0] / results['qemu'][0]:.2f}")
    return 0 if all(ok for _, ok in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
