#!/bin/busybox sh
# /init of the in-guest KVM test: run guests/kvmtest inside Linux, report its
# status, power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "TANDEM-LINUX-INIT: reached init"
echo "TANDEM-LINUX-CPUS: $(grep -c ^processor /proc/cpuinfo)"
echo "TANDEM-LINUX-SUM: $(seq 1 1000 | awk '{s+=$1} END {print s}')"
echo "TANDEM-LINUX-SHA: $(echo tandem | sha256sum | cut -c1-16)"
/kvmtest
echo "TANDEM-KVMTEST-RC: $?"
echo "TANDEM-LINUX-DONE"
poweroff -f
