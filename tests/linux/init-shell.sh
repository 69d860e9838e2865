#!/bin/busybox sh
# /init of the interactive guest that `make run` boots: a busybox shell on the console.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo
echo "Tandem: Debian's arm64 kernel booted; this is busybox. 'poweroff -f' ends the run (or Ctrl-A x)."
setsid sh -c 'exec sh </dev/ttyAMA0 >/dev/ttyAMA0 2>&1' || exec sh
poweroff -f
