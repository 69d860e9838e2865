#!/usr/bin/env python3
"""Build a gzip'd newc initramfs from Debian's static busybox and an /init script.

usage: mkinitramfs.py BUSYBOX INIT_SCRIPT OUT.cpio.gz [NAME=FILE ...]

Written in Python so the test needs no cpio(1). The archive holds /bin/busybox,
/init and the empty directories the script mounts on; busybox --install makes
the applet links at boot. Extra NAME=FILE arguments add executables at /NAME.
"""
import gzip
import os
import stat
import sys


def newc_entry(name, mode, data=b"", ino=1):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    busybox, init, out = sys.argv[1:4]
    extra = [a.split("=", 1) for a in sys.argv[4:]]
    with open(busybox, "rb") as f:
        bb = f.read()
    with open(init, "rb") as f:
        init_data = f.read()
    blob = b""
    ino = 1
    for d in ("bin", "sbin", "usr", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp", "root"):
        blob += newc_entry(d, stat.S_IFDIR | 0o755, ino=ino)
        ino += 1
    blob += newc_entry("bin/busybox", stat.S_IFREG | 0o755, bb, ino=ino)
    blob += newc_entry("init", stat.S_IFREG | 0o755, init_data, ino=ino + 1)
    ino += 2
    for name, path in extra:
        with open(path, "rb") as f:
            blob += newc_entry(name, stat.S_IFREG | 0o755, f.read(), ino=ino)
        ino += 1
    blob += newc_entry("TRAILER!!!", 0, ino=0)
    tmp = out + ".tmp"
    with gzip.open(tmp, "wb", compresslevel=6) as f:
        f.write(blob)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
