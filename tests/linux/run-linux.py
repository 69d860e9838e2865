#!/usr/bin/env python3
"""Boot Debian's arm64 kernel with a busybox initramfs and check the boot.

usage: run-linux.py --emulator PATH --kind tandem|qemu --workdir DIR
                    [--cpu MODEL] [--smp N] [--append ARGS] [--expect TEXT]...

The kernel and busybox come from guests/debian/cache (make setup downloads
Debian's linux-image-*-arm64 and busybox-static arm64 packages there); when
they are missing the test is skipped (exit 77). The same command line runs
under qemu-system-aarch64 as the reference. Checks: the init marker, the CPU
count, every CPU started at EL2, GICv3, the arch timer, PSCI 1.1, the extra
--expect lines, no WARN/BUG/Oops/panic, and a clean power-off (exit 0).
"""
import argparse
import glob
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CACHE = os.path.join(ROOT, "guests", "debian", "cache", "root")

BAD = ["------------[ cut here ]", "WARNING:", "BUG:", "Oops", "Unable to handle kernel",
       "Internal error:", "Kernel panic", "Call trace:", "SError Interrupt", "Bad mode"]


def find_payload():
    kernels = sorted(glob.glob(os.path.join(CACHE, "boot", "vmlinuz-*")))
    busybox = os.path.join(CACHE, "bin", "busybox")
    if not kernels or not os.path.exists(busybox):
        return None, None
    return kernels[-1], busybox


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--kind", choices=["tandem", "qemu"], required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--cpu", default="max")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--append", default="")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--init", default="init-test.sh", help="the /init script (in tests/linux)")
    ap.add_argument("--add", action="append", default=[], help="NAME=FILE: an executable at /NAME")
    ap.add_argument("--machine", default="virt,virtualization=on,gic-version=3")
    ap.add_argument("--xen", action="store_true",
                    help="boot Debian's Xen 4.17 with the kernel and initramfs as dom0 (guest-loader modules)")
    args = ap.parse_args()

    kernel, busybox = find_payload()
    if not kernel:
        print(f"SKIP: no Debian kernel/busybox in {CACHE} (run `make setup`)")
        return 77
    os.makedirs(args.workdir, exist_ok=True)
    initrd = os.path.join(args.workdir, "initramfs-test.cpio.gz")
    subprocess.run([sys.executable, os.path.join(HERE, "mkinitramfs.py"), busybox,
                    os.path.join(HERE, args.init), initrd] + args.add, check=True)

    cpu = args.cpu
    if args.kind == "qemu" and cpu == "max":
        cpu = "max,pauth-impdef=on"   # QEMU's QARMA5 is slow; Tandem's default is its fast impdef
    cmd = [args.emulator, "-M", args.machine, "-cpu", cpu,
           "-smp", str(args.smp), "-m", "2G" if args.xen else "1G", "-nographic", "-no-reboot"]
    if args.xen:
        xen = sorted(glob.glob(os.path.join(CACHE, "boot", "xen-*-arm64")))
        if not xen:
            print(f"SKIP: no Xen hypervisor in {CACHE} (run `make setup`)")
            return 77
        # Xen at EL2, dom0's kernel and initramfs as multiboot modules (as with QEMU's guest-loader).
        cmd += ["-kernel", xen[-1],
                "-append", "dom0_mem=512M console=dtuart dtuart=/pl011@9000000 noreboot",
                "-device", "guest-loader,addr=0x49000000,kernel=%s,bootargs=console=hvc0 rdinit=/init panic=-1 %s"
                % (kernel, args.append),
                "-device", "guest-loader,addr=0x50000000,initrd=%s" % initrd]
    else:
        cmd += ["-kernel", kernel, "-initrd", initrd,
                "-append", ("console=ttyAMA0 panic=-1 " + args.append).strip()]
    print("+ " + " ".join(cmd), flush=True)
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=args.timeout)
        out, rc = p.stdout.decode(errors="replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode(errors="replace"), "timeout"
    elapsed = time.monotonic() - start
    print(out)
    print(f"exit status {rc}, {elapsed:.1f} s")

    failures = []

    def check(cond, what):
        print(("PASS: " if cond else "FAIL: ") + what)
        if not cond:
            failures.append(what)

    check(rc == 0, "emulator exits 0 after PSCI SYSTEM_OFF")
    check("TANDEM-LINUX-DONE" in out, "init ran to its end marker")
    check(f"TANDEM-LINUX-CPUS: {args.smp}" in out, f"{args.smp} CPUs online")
    if args.xen:
        check("(XEN) Xen version 4.17" in out, "Xen 4.17 started")
        check("CPU: All CPU(s) started at EL1" in out, "dom0's CPUs started at EL1")
        check("(XEN) Hardware Dom0 halted: halting machine" in out, "dom0 powered off, Xen halted the machine")
        check("Panic on CPU" not in out, "no Xen panic")
    else:
        check("CPU: All CPU(s) started at EL2" in out, "all CPUs started at EL2")
        check("GICv3: CPU0: found redistributor" in out, "GICv3 redistributor found")
        check("arch_timer: cp15 timer(s) running at" in out, "arch timer running")
        check("psci: PSCIv1.1 detected in firmware." in out, "PSCI 1.1")
        if args.kind == "tandem" and "kvm-arm.mode" not in args.append and args.cpu == "max":
            # Tandem's built-in firmware offers SDEI 1.1 (QEMU has none); a VHE kernel probes it.
            check("sdei: SDEIv1.1 (0x0) detected in firmware." in out, "SDEI 1.1 detected")
    check("TANDEM-LINUX-SUM: 500500" in out, "user space arithmetic (seq | awk)")
    check("TANDEM-LINUX-SHA: bb51cc81bb2113aa" in out, "sha256sum of 'tandem\\n' is right")
    for text in args.expect:
        check(text in out, f"dmesg has: {text}")
    for bad in BAD:
        check(bad not in out, f"no '{bad}' in the log")
    print(f"SUMMARY: {len(failures)} failures, boot to power-off {elapsed:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
