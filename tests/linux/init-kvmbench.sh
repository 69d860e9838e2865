#!/bin/busybox sh
# /init of the KVM round-trip benchmark (make bench, tests/bench/bench.py):
# run guests/kvmtest in bench mode with the counts from the kernel command
# line (kvmbench.mmio=N kvmbench.hvc=N kvmbench.reps=N), report its status,
# power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "TANDEM-LINUX-INIT: reached init"
echo "TANDEM-LINUX-CPUS: $(grep -c ^processor /proc/cpuinfo)"
echo "TANDEM-LINUX-SUM: $(seq 1 1000 | awk '{s+=$1} END {print s}')"
echo "TANDEM-LINUX-SHA: $(echo tandem | sha256sum | cut -c1-16)"
mmio=1000
hvc=1000
reps=1
for arg in $(cat /proc/cmdline); do
    case "$arg" in
    kvmbench.mmio=*) mmio="${arg#kvmbench.mmio=}" ;;
    kvmbench.hvc=*) hvc="${arg#kvmbench.hvc=}" ;;
    kvmbench.reps=*) reps="${arg#kvmbench.reps=}" ;;
    esac
done
/kvmtest bench "$mmio" "$hvc" "$reps"
echo "TANDEM-KVMTEST-RC: $?"
echo "TANDEM-LINUX-DONE"
poweroff -f
