#!/usr/bin/env python3
"""`make bench` (issues 3 and 9): guests/bench-int-long under QEMU and Tandem.

    bench-int.py QEMU_SYSTEM TANDEM IMAGE [RUNS]

Runs the CPU-bound integer guest (hashing, quicksort, a bytecode
interpreter; MMU and caches on) RUNS times on each emulator, alternating,
and prints the median wall and CPU (user+sys) time, the instructions the
guest retired (from Tandem's instruction-derived virtual counter, which the
guest prints; the program is deterministic, so QEMU runs the same count),
MIPS for both and the Tandem/QEMU ratios. Fails if a run does not pass the
guest's own checks.
"""
import os
import re
import statistics
import subprocess
import sys
import time

ARGS = ["-M", "virt,virtualization=on,secure=off,gic-version=3", "-cpu", "max",
        "-nographic", "-semihosting", "-no-reboot", "-kernel"]


def run(binary, image):
    start = time.monotonic()
    p = subprocess.Popen([binary] + ARGS + [image], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    ok = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and "0 failures" in out
    return wall, usage.ru_utime + usage.ru_stime, ok, out


def main():
    qemu, tandem, image = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    res = {"qemu": [], "tandem": []}
    insns = None
    for _ in range(runs):
        for name, binary in (("tandem", tandem), ("qemu", qemu)):
            wall, cpu, ok, out = run(binary, image)
            if not ok:
                print(f"{name}: the guest failed:\n{out}")
                return 1
            res[name].append((wall, cpu))
            m = re.search(r"bench-int: (\d+) counter ticks at (\d+) Hz", out)
            if name == "tandem" and m:
                insns = int(m.group(1)) * 1e9 / int(m.group(2))   # 1 ns per instruction
    print(f"{'bench-int':<8} {'wall (median)':>14} {'CPU (median)':>14} {'MIPS (CPU)':>11}")
    med = {}
    for name in ("tandem", "qemu"):
        wall = statistics.median(w for w, _ in res[name])
        cpu = statistics.median(c for _, c in res[name])
        med[name] = (wall, cpu)
        mips = f"{insns / cpu / 1e6:11.0f}" if insns and cpu > 0 else f"{'?':>11}"
        print(f"{name:<8} {wall:12.3f} s {cpu:12.3f} s {mips}")
    if insns:
        print(f"instructions retired (Tandem's count): {insns / 1e6:.1f} M")
    print(f"Tandem/QEMU: wall {med['tandem'][0] / med['qemu'][0]:.2f}, "
          f"CPU {med['tandem'][1] / med['qemu'][1]:.2f} (issue 3 target <= 3.33, issue 9 <= 3.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
