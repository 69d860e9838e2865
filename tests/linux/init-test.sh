#!/bin/busybox sh
# /init of the Linux boot test: print what the host-side checker looks for,
# then power off through PSCI SYSTEM_OFF (the emulator then exits 0).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
echo "TANDEM-LINUX-INIT: reached init"
echo "TANDEM-LINUX-CPUS: $(grep -c ^processor /proc/cpuinfo)"
echo "TANDEM-LINUX-EL: $(dmesg | grep -o 'CPU: All CPU(s) started at EL[0-9]')"
# Exercise user space a little: FP/SIMD-using libc routines, fork/exec, pipes.
echo "TANDEM-LINUX-SUM: $(seq 1 1000 | awk '{s+=$1} END {print s}')"
echo "TANDEM-LINUX-SHA: $(echo tandem | sha256sum | cut -c1-16)"
echo "TANDEM-LINUX-DONE"
poweroff -f
