#!/bin/sh
# Install what building and testing Tandem needs on Debian 12, if missing.
# Idempotent: does nothing (and needs no privileges) when all is there.
set -eu

PACKAGES="meson ninja-build pkg-config libglib2.0-dev libcapstone-dev libfdt-dev libsdl2-dev
libslirp-dev gcc-aarch64-linux-gnu qemu-system-arm qemu-user gdb-multiarch python3
device-tree-compiler"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "setup: host packages present"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "setup: missing packages:$missing" >&2
    echo "setup: run as root: apt-get install$missing" >&2
    exit 1
fi

echo "setup: installing$missing"
$SUDO apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
