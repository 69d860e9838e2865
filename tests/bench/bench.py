#!/usr/bin/env python3
"""`make bench`: every benchmark under Tandem and qemu-system-aarch64, side by side.

usage: bench.py --tandem PATH --qemu PATH --guests DIR --out FILE.md [--reps N] [--only NAME,...]

Same guest, same options, runs alternating between the two emulators, the
median of --reps runs. Prints (and writes as markdown with the git revision)
wall time, Tandem's retired instructions and MIPS (its -stats line), the
ratio Tandem/QEMU, and both peak RSS values. Each guest checks its own
results, so a benchmark that computes something wrong fails the run.
"""
import argparse
import glob
import os
import re
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(ROOT, "guests", "debian", "cache", "root")
MACHINE = ["-M", "virt,virtualization=on,gic-version=3", "-nographic"]


def bare(name, image, extra=()):
    return {"name": name, "kind": "bare", "image": image, "extra": list(extra)}


def run_once(cmd, marker=None, timeout=900):
    """Run cmd; return (seconds to marker or exit, peak RSS KiB, stdout+stderr, exit status)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = []
    t_marker = None
    for raw in p.stdout:
        line = raw.decode(errors="replace")
        out.append(line)
        if marker and t_marker is None and marker in line:
            t_marker = time.monotonic() - start
        if time.monotonic() - start > timeout:
            p.kill()
            break
    _, status, ru = os.wait4(p.pid, 0)
    elapsed = time.monotonic() - start
    rc = os.waitstatus_to_exitcode(status)
    return (t_marker if marker else elapsed), ru.ru_maxrss, "".join(out), rc


def linux_cmd(emu, kind, smp, initrd, kernel):
    cpu = "max,pauth-impdef=on" if kind == "qemu" else "max"
    return [emu] + MACHINE + ["-cpu", cpu, "-smp", str(smp), "-m", "1G", "-no-reboot",
                              "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyAMA0 panic=-1"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tandem", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--guests", required=True, help="build/guests with the *.img files")
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="")
    args = ap.parse_args()

    g = args.guests
    benches = [
        bare("integer (hash, sort, bytecode interpreter)", f"{g}/bench-int.img"),
        bare("FP/SIMD (matmul, memcpy, strlen kernels)", f"{g}/fpbench.img"),
        bare("exceptions (SVC, HVC, trapped MRS round trips)", f"{g}/bench-exc.img"),
        # 4-level stage 1 (4 ASIDs x 64 MiB of 4K pages) under a 4-level stage 2 onto 16 MiB.
        bare("memory/TLB (2-stage 4-level walks, ASID switches, TLBI)", f"{g}/bench-mem.img", ["-append", "bench"]),
        # Its console text (64 KiB) is read as it comes and dropped with the rest of the output.
        bare("MMIO (PL011 DR/FR/IFLS, GICD, PL031 loops)", f"{g}/bench-mmio.img", ["-append", "bench"]),
        # Idle time: Tandem jumps virtual time to the deadline (target: < 1 s of host time).
        bare("wait 10 s of guest time in WFI (timer)", f"{g}/timer.img", ["-append", "wait10"]),
    ]
    kernels = sorted(glob.glob(os.path.join(CACHE, "boot", "vmlinuz-*")))
    busybox = os.path.join(CACHE, "bin", "busybox")
    initrd = os.path.join(os.path.dirname(args.out), "bench-initramfs.cpio.gz")
    if kernels and os.path.exists(busybox):
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "linux", "mkinitramfs.py"), busybox,
                        os.path.join(ROOT, "tests", "linux", "init-test.sh"), initrd], check=True)
        for smp in (1, 2):
            benches.append({"name": f"Linux boot to init, -smp {smp}", "kind": "linux", "smp": smp,
                            "kernel": kernels[-1]})
    else:
        print("bench: no Debian kernel cached (make setup): Linux boot benchmarks skipped")
    if args.only:
        keep = args.only.split(",")
        benches = [b for b in benches if any(k in b["name"] for k in keep)]

    rows, failed = [], []
    for b in benches:
        res = {"tandem": [], "qemu": []}
        rss = {"tandem": 0, "qemu": 0}
        insns = []
        for rep in range(args.reps):
            # Alternate which emulator goes first, so drift on a shared machine evens out.
            order = ["tandem", "qemu"] if rep % 2 == 0 else ["qemu", "tandem"]
            for kind in order:
                emu = args.tandem if kind == "tandem" else args.qemu
                if b["kind"] == "bare":
                    cpu = ["-cpu", "max,pauth-impdef=on" if kind == "qemu" else "max"]
                    cmd = [emu] + MACHINE + cpu + ["-semihosting", "-kernel", b["image"]] + b["extra"]
                    marker = None
                else:
                    cmd = linux_cmd(emu, kind, b["smp"], initrd, b["kernel"])
                    marker = "TANDEM-LINUX-INIT"
                if kind == "tandem":
                    cmd.append("-stats")
                t, r, out, rc = run_once(cmd, marker)
                ok = rc == 0 and t is not None and (b["kind"] == "linux" or "SUMMARY:" in out and " 0 failures" in out)
                if not ok:
                    failed.append(f"{b['name']} on {kind} (exit {rc})")
                    print(out[-3000:])
                    t = t or float("nan")
                res[kind].append(t)
                rss[kind] = max(rss[kind], r)
                m = re.search(r"tandem-stats: instructions=(\d+)", out)
                if kind == "tandem" and m:
                    insns.append(int(m.group(1)))
        tt, tq = statistics.median(res["tandem"]), statistics.median(res["qemu"])
        n = statistics.median(insns) if insns else 0
        row = {"name": b["name"], "tandem": tt, "qemu": tq, "ratio": tt / tq if tq else float("nan"),
               "insns": n, "mips": n / tt / 1e6 if tt and n else 0,
               "rss_t": rss["tandem"] / 1024, "rss_q": rss["qemu"] / 1024}
        rows.append(row)
        print(f"{row['name']}: Tandem {tt:.2f} s, QEMU {tq:.2f} s, ratio {row['ratio']:.2f}, "
              f"{n / 1e6:.1f} M insns, {row['mips']:.1f} MIPS, RSS {row['rss_t']:.0f}/{row['rss_q']:.0f} MiB",
              flush=True)

    rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip() or "unknown"
    lines = [f"# Tandem vs QEMU ({rev}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
             f"median of {args.reps}, {os.cpu_count()} host CPUs)", "",
             "| benchmark | Tandem s | QEMU s | Tandem/QEMU | Tandem insns (M, whole run) | Tandem MIPS | RSS Tandem MiB | RSS QEMU MiB |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['tandem']:.2f} | {r['qemu']:.2f} | {r['ratio']:.2f} | "
                     f"{r['insns'] / 1e6:.1f} | {r['mips']:.1f} | {r['rss_t']:.0f} | {r['rss_q']:.0f} |")
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print()
    print(text)
    print(f"(written to {args.out})")
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
