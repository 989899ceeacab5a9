#!/usr/bin/python3
"""Checks what Vireo's boot relies on in its own image, build/vireo.elf:

  relocs    every dynamic relocation lies between __rela_start and
            __rela_end, the range entry.S applies (the linker appends the
            GOT's relocations last; bounds taken inside the section once
            missed them, and libfdt's reference to __stack_chk_guard stayed
            unrelocated);
  layout    the EL2 map's three parts (el2/mmu.c) are whole pages and hold
            what their permissions allow: every executable section below
            _etext, nothing writable below _erodata, nothing executable
            above _etext, so that code can be read-only and data never
            executable (SCTLR_EL2.WXN);
  stacks    the CPUs' EL2 stacks, el2_stacks (el2/el2.h, struct el2_stack),
            are MAX_CPUS blocks of twice STACK_SIZE in .bss, aligned to a
            block: the EL2 vector's overflow test reads bit STACK_SHIFT of
            SP, and el2/mmu.c leaves each block's guard pages unmapped
            (and checks at boot that they fault).

    tests/check_image.py [ELF]

Prints one line per check, "PASS name" or "FAIL name: why", and exits 1 if
any failed. tests/run.py runs it as image/<name>.
"""
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CROSS = os.environ.get("CROSS", "aarch64-linux-gnu-")
PAGE = 4096
SHF_WRITE, SHF_ALLOC, SHF_EXEC = 1, 2, 4
# Writable in the ELF, but written only by entry.S's self-relocation (MMU
# off) and read-only after it.
RELOCATED = (".data.rel.ro", ".got", "vireo_boards")


def tool(name, *args):
    return subprocess.run([CROSS + name, *args], capture_output=True, text=True,
                          check=True).stdout


def symbols(elf):
    out = {}
    for line in tool("nm", elf).splitlines():
        parts = line.split()
        if len(parts) == 3:
            out[parts[2]] = int(parts[0], 16)
    return out


def sections(elf):
    """(name, address, size, flags) of each allocated section."""
    out = []
    for line in tool("readelf", "-W", "-S", elf).splitlines():
        m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)"
                     r"\s+[0-9a-f]+\s+([A-Z]*)", line)
        if m:
            letters = m.group(4)
            flags = ((SHF_WRITE if "W" in letters else 0) | (SHF_ALLOC if "A" in letters else 0)
                     | (SHF_EXEC if "X" in letters else 0))
            if flags & SHF_ALLOC:
                out.append((m.group(1), int(m.group(2), 16), int(m.group(3), 16), flags))
    return out


def config(name):
    """A number hv/core/config.h #defines."""
    with open(os.path.join(TOP, "hv", "core", "config.h")) as f:
        m = re.search(rf"^#define {name} (\d+)$", f.read(), re.MULTILINE)
    return int(m.group(1))


def check_stacks(elf, syms):
    sized = {}
    for line in tool("nm", "-S", elf).splitlines():
        parts = line.split()
        if len(parts) == 4:
            sized[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
    if "el2_stacks" not in sized:
        return "no el2_stacks: the CPUs' stacks are not laid out with guard pages"
    addr, size = sized["el2_stacks"]
    block = 2 << config("STACK_SHIFT")
    if addr % block:
        return f"el2_stacks at 0x{addr:x} is not aligned to its blocks' size 0x{block:x}"
    if size != config("MAX_CPUS") * block:
        return f"el2_stacks is 0x{size:x} bytes, not MAX_CPUS blocks of 0x{block:x}"
    if addr < syms["__bss_start"] or addr + size > syms["__bss_end"]:
        return f"el2_stacks at 0x{addr:x}-0x{addr + size:x} is not in .bss"
    return None


def check_relocs(elf, syms):
    if "__rela_start" not in syms or "__rela_end" not in syms:
        return "no __rela_start/__rela_end"
    start, end = syms["__rela_start"], syms["__rela_end"]
    for name, addr, size, _ in sections(elf):
        if name.startswith(".rela"):
            if addr < start or addr + size > end:
                return (f"{name} is 0x{addr:x}-0x{addr + size:x}, entry.S applies "
                        f"0x{start:x}-0x{end:x}")
    return None


def check_layout(elf, syms):
    if "_etext" not in syms or "_erodata" not in syms:
        return "no _etext/_erodata: the image is not laid out in parts"
    etext, erodata = syms["_etext"], syms["_erodata"]
    if etext % PAGE or erodata % PAGE:
        return f"_etext 0x{etext:x} and _erodata 0x{erodata:x} must be page aligned"
    for name, addr, size, flags in sections(elf):
        if size == 0:
            continue
        if flags & SHF_EXEC and addr + size > etext:
            return f"{name} is executable but ends at 0x{addr + size:x}, past _etext"
        if flags & SHF_WRITE and addr < erodata and name not in RELOCATED:
            return f"{name} is writable but starts at 0x{addr:x}, below _erodata"
        if not flags & SHF_EXEC and addr < etext:
            return f"{name} at 0x{addr:x} is not code but lies below _etext"
    return None


def main():
    elf = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build", "vireo.elf")
    syms = symbols(elf)
    failed = False
    for name, fn in (("relocs", check_relocs), ("layout", check_layout),
                     ("stacks", check_stacks)):
        why = fn(elf, syms)
        print(f"PASS {name}" if why is None else f"FAIL {name}: {why}")
        failed |= why is not None
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
