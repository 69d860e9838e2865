#!/bin/sh
# Download the Debian arm64 guest packages (the kernel and a static busybox)
# into guests/debian/cache (ignored by git) and unpack them there:
#   cache/debs/*.deb         the packages as downloaded
#   cache/root/              their contents (boot/vmlinuz-*, bin/busybox)
#   cache/kernel-version     the kernel package that was resolved
# Idempotent: does nothing once cache/.done.2 exists (bump the number when the package list changes). Needs root (or sudo) the
# first time, to add the arm64 architecture to dpkg.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="$HERE/cache"
[ -f "$CACHE/.done.2" ] && { echo "setup: Debian arm64 guest packages cached in $CACHE"; exit 0; }

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: need root to add the arm64 architecture (dpkg --add-architecture arm64)" >&2; exit 1; fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "setup: adding the arm64 architecture to dpkg"
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update
fi
if ! apt-cache show linux-image-arm64:arm64 >/dev/null 2>&1; then
    $SUDO apt-get update
fi

# linux-image-arm64 is a metapackage: find the versioned kernel it depends on.
KPKG=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
       sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\).*/\1/p' | sed 's/:arm64$//' | head -n 1)
if [ -z "$KPKG" ]; then
    echo "setup: cannot resolve the kernel package behind linux-image-arm64:arm64" >&2
    exit 1
fi

mkdir -p "$CACHE/debs" "$CACHE/root"
cd "$CACHE/debs"
echo "setup: downloading $KPKG:arm64 busybox-static:arm64 xen-hypervisor-4.17-arm64:arm64"
apt-get download "$KPKG:arm64" busybox-static:arm64 xen-hypervisor-4.17-arm64:arm64
for deb in "$CACHE"/debs/*.deb; do
    dpkg-deb -x "$deb" "$CACHE/root"
done
echo "$KPKG" > "$CACHE/kernel-version"
touch "$CACHE/.done.2"
echo "setup: unpacked into $CACHE/root: $(ls "$CACHE"/root/boot/vmlinuz-* 2>/dev/null | head -n 1)"
