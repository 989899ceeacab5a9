#!/usr/bin/python3
"""Builds the Linux guest's initramfs: a gzip'd cpio archive in the "newc"
format the kernel unpacks into its root file system.

    scripts/mkinitramfs.py --busybox PATH [--module KO]... [--guest DIR] -o OUT

The archive holds busybox as /bin/busybox (with /bin/sh pointing at it, for
the scripts' "#!/bin/sh"), DIR/init as /init, DIR/tests/*.sh in /tests/,
each kernel module given in /lib/modules/ (for insmod),
the directories the boot needs and /dev/console, which the kernel opens
for init before any file system is mounted. The other applet links are
made at boot by "busybox --install -s": an arm64 or armhf busybox cannot
run here to list them. Every entry is owned by root and dated SOURCE_DATE_EPOCH
(default 0), so the same inputs give the same bytes.
"""
import argparse
import glob
import gzip
import os
import stat
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DIRS = ["bin", "sbin", "dev", "etc", "proc", "root", "sys", "tests", "tmp",
        "usr", "usr/bin", "usr/sbin"]


class Cpio:
    """Writes newc entries: a 110-byte ASCII header of "070701" and thirteen
    8-digit hex fields, the NUL-terminated name, then the data, each of the
    last two padded to a multiple of 4 bytes."""

    def __init__(self, mtime):
        self.out = bytearray()
        self.ino = 0
        self.mtime = mtime

    def _entry(self, name, mode, data=b"", nlink=1, rdev=(0, 0)):
        self.ino += 1
        encoded = name.encode() + b"\0"
        fields = [self.ino, mode, 0, 0, nlink, self.mtime, len(data),
                  0, 0, rdev[0], rdev[1], len(encoded), 0]
        self.out += b"070701" + b"".join(b"%08x" % f for f in fields)
        self.out += encoded
        self._pad()
        self.out += data
        self._pad()

    def _pad(self):
        self.out += b"\0" * (-len(self.out) % 4)

    def directory(self, name, perm=0o755):
        self._entry(name, stat.S_IFDIR | perm, nlink=2)

    def file(self, name, data, perm=0o755):
        self._entry(name, stat.S_IFREG | perm, data)

    def symlink(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name, major, minor, perm=0o600):
        self._entry(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def finish(self):
        self._entry("TRAILER!!!", 0, nlink=1)
        return bytes(self.out)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def build(busybox, guest, mtime, modules=()):
    tests = sorted(glob.glob(os.path.join(guest, "tests", "*.sh")))
    archive = Cpio(mtime)
    archive.directory(".")  # else the root is left world-writable
    for d in DIRS + (["lib", "lib/modules"] if modules else []):
        archive.directory(d, 0o1777 if d == "tmp" else 0o700 if d == "root" else 0o755)
    for m in modules:
        archive.file("lib/modules/" + os.path.basename(m), read(m), 0o644)
    archive.chardev("dev/console", 5, 1)
    archive.file("bin/busybox", read(busybox))
    archive.symlink("bin/sh", "busybox")
    archive.file("init", read(os.path.join(guest, "init")))
    for t in tests:
        archive.file("tests/" + os.path.basename(t), read(t))
    return archive.finish()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--busybox", required=True,
                    help="a static busybox (arm64, or armhf for the 32-bit guest)")
    ap.add_argument("--guest", default=os.path.join(TOP, "guests", "linux"),
                    help="directory with init and tests/*.sh (default guests/linux)")
    ap.add_argument("--module", action="append", default=[], metavar="KO",
                    help="a kernel module to put in /lib/modules (repeatable)")
    ap.add_argument("-o", dest="out", required=True, help="the .cpio.gz to write")
    args = ap.parse_args()

    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    data = build(args.busybox, args.guest, mtime, args.module)
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as raw:
        # mtime=0 and no file name in the gzip header: reproducible output.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(data)
    os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
