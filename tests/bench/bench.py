#!/usr/bin/env python3
"""`make bench`: every benchmark under Tandem and qemu-system-aarch64, side by side.

usage: bench.py --tandem PATH --qemu PATH --guests DIR --out FILE.md [--reps N] [--only NAME,...]
                [--kvmtest PATH] [--kvm-boots N] [--kvm-reps N] [--kvm-mmio N] [--kvm-hvc N]

Same guest, same options, runs alternating between the two emulators, the
median of --reps runs. Prints (and writes as markdown with the git revision)
wall time, Tandem's retired instructions and MIPS (its -stats line), the
ratio Tandem/QEMU, and both peak RSS values. Each guest checks its own
results, so a benchmark that computes something wrong fails the run.

The KVM rows boot Debian's kernel at EL2 (-cpu max: VHE) with
guests/kvmtest in bench mode (tests/linux/init-kvmbench.sh): it prints a
START line, makes N round trips (MMIO exits to its VMM; SMCCC calls KVM
answers in the kernel), prints an END line. Guest time is virtual under
Tandem, so the host clock times those lines as they arrive on the console,
the same way for both emulators: us per round trip = (t_END - t_START) / N.
Each boot repeats the pair --kvm-reps times (median); the END line's guest
clock is Tandem's instruction count per round trip (1 ns per instruction).
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(ROOT, "guests", "debian", "cache", "root")
MACHINE = ["-M", "virt,virtualization=on,gic-version=3", "-nographic"]
KVM_END = re.compile(r"KVMBENCH-(\w+)-END: (\d+) round trips, guest clock ([\d.]+) ns each")


def bare(name, image, extra=()):
    return {"name": name, "kind": "bare", "image": image, "extra": list(extra)}


def run_once(cmd, marker=None, timeout=900, stamp=None):
    """Run cmd; return (seconds to marker or exit, peak RSS KiB, stdout+stderr, exit status, stamps).

    stamps: (host seconds since start, line) for each line containing `stamp`,
    taken as the line arrives. Output is read line by line as it comes (the
    MMIO guest's console text is simply dropped with the rest).
    """
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = []
    stamps = []
    t_marker = None
    for raw in p.stdout:
        now = time.monotonic() - start
        line = raw.decode(errors="replace")
        out.append(line)
        if stamp and stamp in line:
            stamps.append((now, line))
        if marker and t_marker is None and marker in line:
            t_marker = now
        if now > timeout:
            p.kill()
            break
    _, status, ru = os.wait4(p.pid, 0)
    elapsed = time.monotonic() - start
    rc = os.waitstatus_to_exitcode(status)
    return (t_marker if marker else elapsed), ru.ru_maxrss, "".join(out), rc, stamps


def linux_cmd(emu, kind, smp, initrd, kernel, append=""):
    cpu = "max,pauth-impdef=on" if kind == "qemu" else "max"
    return [emu] + MACHINE + ["-cpu", cpu, "-smp", str(smp), "-m", "1G", "-no-reboot",
                              "-kernel", kernel, "-initrd", initrd,
                              "-append", ("console=ttyAMA0 panic=-1 " + append).strip()]


def kvm_intervals(stamps):
    """{name: [(host seconds, round trips, guest ns per round trip), ...]} from START/END stamps."""
    res, started = {}, {}
    for t, line in stamps:
        m = KVM_END.search(line)
        if m and m.group(1) in started:
            res.setdefault(m.group(1), []).append((t - started.pop(m.group(1)), int(m.group(2)),
                                                   float(m.group(3))))
            continue
        m = re.search(r"KVMBENCH-(\w+)-START", line)
        if m:
            started[m.group(1)] = t
    return res


def bench_simple(b, args, initrd):
    """A bare-metal guest or a Linux boot: one row."""
    res = {"tandem": [], "qemu": []}
    rss = {"tandem": 0, "qemu": 0}
    insns, failed = [], []
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
            t, r, out, rc, _ = run_once(cmd, marker)
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
    row = {"name": b["name"], "unit": "s", "tandem": tt, "qemu": tq, "ratio": tt / tq if tq else float("nan"),
           "insns": f"{n / 1e6:.1f} M" if n else "-", "mips": n / tt / 1e6 if tt and n else 0,
           "rss_t": rss["tandem"] / 1024, "rss_q": rss["qemu"] / 1024}
    return [row], failed


def bench_kvm(b, args):
    """Linux + KVM round trips: one boot per emulator (x --kvm-boots), one row per kind of round trip."""
    per = {key: {"tandem": [], "qemu": [], "gns": []} for _, key in b["rows"]}
    rss = {"tandem": 0, "qemu": 0}
    failed = []
    append = f"kvmbench.mmio={args.kvm_mmio} kvmbench.hvc={args.kvm_hvc} kvmbench.reps={args.kvm_reps}"
    for boot in range(args.kvm_boots):
        order = ["tandem", "qemu"] if boot % 2 == 0 else ["qemu", "tandem"]
        for kind in order:
            emu = args.tandem if kind == "tandem" else args.qemu
            cmd = linux_cmd(emu, kind, 1, b["initrd"], b["kernel"], append)
            _, r, out, rc, stamps = run_once(cmd, stamp="KVMBENCH-")
            iv = kvm_intervals(stamps)
            ok = rc == 0 and "TANDEM-KVMTEST-RC: 0" in out and \
                all(len(iv.get(key, [])) == args.kvm_reps for _, key in b["rows"])
            if not ok:
                failed.append(f"{b['name']} on {kind} (exit {rc})")
                print(out[-3000:])
            rss[kind] = max(rss[kind], r)
            for _, key in b["rows"]:
                for secs, n, gns in iv.get(key, []):
                    per[key][kind].append(secs / n * 1e6)
                    if kind == "tandem":
                        per[key]["gns"].append(gns)
    rows = []
    for name, key in b["rows"]:
        d = per[key]
        tt = statistics.median(d["tandem"]) if d["tandem"] else float("nan")
        tq = statistics.median(d["qemu"]) if d["qemu"] else float("nan")
        # Tandem's virtual clock runs 1 ns per instruction: guest ns per round trip = instructions.
        n = statistics.median(d["gns"]) if d["gns"] else 0
        rows.append({"name": name, "unit": "us", "tandem": tt, "qemu": tq, "ratio": tt / tq if tq else float("nan"),
                     "insns": f"{n / 1e3:.1f} k per round trip" if n else "-",
                     "mips": n / tt if n and tt == tt else 0,
                     "rss_t": rss["tandem"] / 1024, "rss_q": rss["qemu"] / 1024})
    return rows, failed


def fmt(v, unit):
    return f"{v:.2f} s" if unit == "s" else f"{v:.1f} us"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tandem", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--guests", required=True, help="build/guests with the *.img files")
    ap.add_argument("--out", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="", help="comma list of substrings of benchmark names")
    ap.add_argument("--kvmtest", default="", help="guests/kvmtest binary (default: tests/kvmtest next to --guests)")
    ap.add_argument("--kvm-boots", type=int, default=1, help="Linux boots per emulator for the KVM rows")
    ap.add_argument("--kvm-reps", type=int, default=3, help="measurements of each round trip per boot")
    ap.add_argument("--kvm-mmio", type=int, default=5000, help="MMIO round trips per measurement")
    ap.add_argument("--kvm-hvc", type=int, default=15000, help="HVC round trips per measurement")
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
    outdir = os.path.dirname(os.path.abspath(args.out))
    initrd = os.path.join(outdir, "bench-initramfs.cpio.gz")
    kvmtest = args.kvmtest or os.path.join(os.path.dirname(os.path.abspath(g)), "tests", "kvmtest")
    if kernels and os.path.exists(busybox):
        mkinitramfs = os.path.join(ROOT, "tests", "linux", "mkinitramfs.py")
        subprocess.run([sys.executable, mkinitramfs, busybox,
                        os.path.join(ROOT, "tests", "linux", "init-test.sh"), initrd], check=True)
        for smp in (1, 2):
            benches.append({"name": f"Linux boot to init, -smp {smp}", "kind": "linux", "smp": smp,
                            "kernel": kernels[-1]})
        if os.path.exists(kvmtest):
            kvm_initrd = os.path.join(outdir, "bench-kvm-initramfs.cpio.gz")
            subprocess.run([sys.executable, mkinitramfs, busybox,
                            os.path.join(ROOT, "tests", "linux", "init-kvmbench.sh"), kvm_initrd,
                            "kvmtest=" + kvmtest], check=True)
            benches.append({"name": "KVM round trips (VHE, -smp 1)", "kind": "kvm", "kernel": kernels[-1],
                            "initrd": kvm_initrd,
                            "rows": [("KVM MMIO exit to user space (us per round trip)", "MMIO"),
                                     ("KVM in-kernel HVC, SMCCC_VERSION (us per round trip)", "HVC")]})
        else:
            print(f"bench: no {kvmtest}: KVM round-trip benchmarks skipped")
    else:
        print("bench: no Debian kernel cached (make setup): Linux boot benchmarks skipped")
    if args.only:
        keep = args.only.split(",")
        benches = [b for b in benches
                   if any(k in b["name"] or any(k in r[0] for r in b.get("rows", [])) for k in keep)]

    rows, failed = [], []
    for b in benches:
        new, bad = bench_kvm(b, args) if b["kind"] == "kvm" else bench_simple(b, args, initrd)
        failed += bad
        for row in new:
            rows.append(row)
            print(f"{row['name']}: Tandem {fmt(row['tandem'], row['unit'])}, QEMU {fmt(row['qemu'], row['unit'])}, "
                  f"ratio {row['ratio']:.2f}, Tandem insns {row['insns']}, {row['mips']:.1f} MIPS, "
                  f"RSS {row['rss_t']:.0f}/{row['rss_q']:.0f} MiB", flush=True)

    rev = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                         text=True).stdout.strip() or "unknown"
    try:
        load = " load average %.1f at the end," % os.getloadavg()[0]
    except OSError:
        load = ""
    lines = [f"# Tandem vs QEMU ({rev}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
             f"median of {args.reps}; KVM rows: median of {args.kvm_boots} boot(s) x {args.kvm_reps}, "
             f"{args.kvm_mmio} MMIO / {args.kvm_hvc} HVC round trips;{load} {os.cpu_count()} host CPUs)", "",
             "| benchmark | Tandem | QEMU | Tandem/QEMU | Tandem insns | Tandem MIPS | RSS Tandem MiB | RSS QEMU MiB |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['name']} | {fmt(r['tandem'], r['unit'])} | {fmt(r['qemu'], r['unit'])} | "
                     f"{r['ratio']:.2f} | {r['insns']} | {r['mips']:.1f} | {r['rss_t']:.0f} | {r['rss_q']:.0f} |")
    lines += ["", "Tandem insns: instructions retired in the whole run (bare-metal rows, from -stats), or per "
              "round trip (KVM rows: the guest clock, 1 ns per instruction under Tandem). Wall times are host "
              "time; the KVM rows time console lines as they arrive."]
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
