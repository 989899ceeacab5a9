#!/usr/bin/python3
"""Vireo's benchmarks: each figure under Vireo and natively, in instructions.

    tools/bench.py [--runs N] [-j JOBS] [--only bare|linux|raspi3b|aarch32]...
                   [--no-profile] [--no-doc] [--check]

Every run is QEMU with -icount shift=0,sleep=off: virtual time advances one
nanosecond per instruction executed at any exception level on any CPU, so
the generic counter reads instruction counts (to the instruction, the way
guests/bench/bench.S reads it) and a run repeats exactly. The same work
runs twice over, on the same QEMU machine (virt, GICv3, Cortex-A72, the
same number of CPUs):

  vireo   Vireo at EL2 (virt,virtualization=on, through ./vireo run) with
          the work in a VM;
  native  the work alone at EL1 (virt without EL2), where QEMU's own PSCI
          firmware answers HVCs and the devices are QEMU's.

The work: guests/bench (bare-metal micro-benchmarks, with 1 and 2 vCPUs,
and two VMs on one CPU, guests/bench/vmswitch.dts, under Vireo only;
under Vireo once more with an ITS, vireo,its = "on", for the LPI
figures, which natively come from QEMU's own ITS, on by default),
and Debian's Linux kernel with guests/linux/tests/bench.sh: the boot to
userspace and the power-off (1 and 2 CPUs), and a CPU- and memory-bound
workload timed by the guest's own clock. Devices assigned to a VM (the
launcher's --disk and --rng; natively QEMU's own): Linux reading 64 MiB
from a virtio disk by the guest's clock, and guests/devprobe's one
virtio-rng request, from its notify to its interrupt's handler. A whole run's total comes from
QMP's query-replay (QEMU's instruction counter) once the machine has
powered off (-no-shutdown keeps QEMU there to be asked).

Two more ways of running Vireo, with no native counterpart, compare with
the first: Vireo on virt with a GICv2 (--gic 2: the GIC's virtual CPU
interface and list registers, as with a GICv3), and Vireo on a Raspberry
Pi 3B (QEMU's raspi3b: four Cortex-A53s, no GIC, so VMs get a GICv2 whose
CPU interface Vireo emulates in software and every guest access to it
traps). Both run the bare-metal benchmark (1 and 2 vCPUs, and the VM
switch), the Pi also the Linux boot with 2 CPUs; the Pi's runs take
--only raspi3b, the GICv2 ones are part of --only bare.

A 32-bit guest, guests/aarch32/bench32 (the hypercall, MMIO and timer
figures from an AArch32 EL1 VM, in guests/bench's format), runs under
Vireo on the same virt and natively on qemu-system-arm's virt with its
"max" CPU in AArch32 (QEMU's TCG cannot start a Cortex-A72 in AArch32;
that needs KVM); its rows stand beside their 64-bit counterparts. Its
runs take --only aarch32; --only may be given more than once.

Each run is done --runs times (default 2); a figure that differs between
runs is reported as not repeatable and fails the run, except those of
the runs with devices, whose requests complete at a virtual time that
depends on the host (devices_paragraph()): their median and range are
reported. Then a run of the
bare-metal benchmark under Vireo with QEMU's execution trace shares each
exit's instructions out among Vireo's functions (the profile). Writes
build/bench/results.json and docs/benchmarks.md (unless --no-doc).
Needs `make` done first (the Makefile's bench target does both).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, "build")
OUT_DIR = os.path.join(BUILD, "bench")
RESULTS = os.path.join(OUT_DIR, "results.json")
DOC = os.path.join(TOP, "docs", "benchmarks.md")
LAUNCHER = os.path.join(TOP, "vireo")
HYPERVISOR_ELF = os.path.join(BUILD, "vireo.elf")
BENCH_GUEST = os.path.join(BUILD, "guests", "bench.bin")
LINUX_IMAGE = os.path.join(TOP, ".deps", "guest", "Image")
LINUX_INITRD = os.path.join(TOP, ".deps", "guest", "initramfs.cpio.gz")
VMSWITCH_CONFIG = os.path.join(TOP, "guests", "bench", "vmswitch.dts")
DEVPROBE = os.path.join(BUILD, "guests", "devprobe.bin")
BENCH32_GUEST = os.path.join(BUILD, "guests", "aarch32", "bench32.bin")
BENCH32_ELF = os.path.join(BUILD, "guests", "aarch32", "bench32.elf")
# The disk the disk runs read: sparse, so the host's reads are of holes.
DISK_IMAGE = os.path.join(OUT_DIR, "disk.img")
DISK_MIB = 64
CROSS = os.environ.get("CROSS", "aarch64-linux-gnu-")
CROSS32 = os.environ.get("GUEST32_CROSS", "arm-linux-gnueabihf-")

QEMU = "qemu-system-aarch64"
CPU = "cortex-a72"
ICOUNT = ["-icount", "shift=0,sleep=off"]
# The machine's RAM for the bare-metal runs, and the Linux guest's RAM
# (natively the machine's; under Vireo the VM's, in a machine of HOST_MEM).
BARE_MEM = "1G"
LINUX_MEM = "256M"
HOST_MEM = "1G"
# No random numbers in the device tree (rng-seed, kaslr-seed): they would
# change the kernel's layout from run to run. The RTC follows virtual time
# from a fixed date, so the guest's wall clock is the same in every run.
MACHINE = "virt,gic-version=3,dtb-randomness=off"
# The 32-bit guest natively: the same machine in qemu-system-arm, whose
# "max" CPU is an ARMv8 one in AArch32 (tests/integration/
# cases_aarch32_guests.py's native()); under Vireo the VM's RAM is the
# launcher's default.
QEMU32 = "qemu-system-arm"
CPU32 = "max"
BENCH32_MEM = "128M"
# The Raspberry Pi: ./vireo run --board raspi3b, which takes exactly its
# four CPUs and 1 GiB (HOST_MEM).
PI_BOARD = "raspi3b"
PI_CPUS = 4
PI_CPU = "cortex-a53"
# Vireo powers the Pi off through the PM watchdog, a device write that
# asks QEMU's main loop for a reset (-no-reboot: an exit) while the CPU
# that wrote it may run on to its WFI: Vireo's `dsb`, `ret` and `wfi`. So
# a Pi run's total repeats to within that many instructions; the smallest
# is the count at the write. (3 instructions today; a little room for
# Vireo's code there to change.)
PI_POWER_OFF_SLACK = 8
RTC_BASE = "2024-01-01T00:00:00"
RTC = ["-rtc", f"base={RTC_BASE},clock=vm"]
LINUX_APPEND = "console=ttyAMA0 vireo.test=bench"

BARE_TIMEOUT = 120
LINUX_TIMEOUT = 900

BENCH_LINE = re.compile(r"bench: (\w+) instr=(\d+) min=(\d+) max=(\d+) n=(\d+)$")
WORK_LINE = re.compile(r"vireo-bench: (\w+) ns=(\d+) (\w+)=(\w+)$")
DISK_IRQS_LINE = re.compile(r"vireo-bench: disk_irqs n=(\d+)$")
NOTIFY_LINE = re.compile(r"devprobe: virtio-rng: notify to handler (\d+) ticks$")
# Instructions per tick of the generic counter (62.5 MHz) under -icount shift=0.
TICK = 16
POWER_DOWN = re.compile(r"\[\s*(\d+)\.(\d{6})\] reboot: Power down$")


class Failed(Exception):
    """A run that did not do what it should: the benchmark cannot be trusted."""


# The images the runs use, copied at the start (snapshot()): a `make` in
# the same tree while the runs go on would otherwise mix two builds' figures.
SNAPSHOT = {}


def snapshot(directory):
    for path in (os.path.join(BUILD, "vireo.bin"), HYPERVISOR_ELF, BENCH_GUEST,
                 os.path.join(BUILD, "guests", "bench.elf"), DEVPROBE, BENCH32_GUEST,
                 BENCH32_ELF):
        SNAPSHOT[path] = os.path.join(directory, os.path.basename(path))
        shutil.copyfile(path, SNAPSHOT[path])


def img(path):
    """The copy of path the runs use (path itself before snapshot())."""
    return SNAPSHOT.get(path, path)


def as_built(cmd):
    """A command line as results.json records it: with the images' own paths."""
    for path, copy in SNAPSHOT.items():
        cmd = [a.replace(copy, path) for a in cmd]
    return shlex.join(cmd)


# --- QEMU with a QMP socket ---------------------------------------------------

class QMP:
    """A QMP client, just enough to start a machine, wait for its power-off
    and ask for the instruction count."""

    def __init__(self, path, proc, deadline):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if proc.poll() is not None:
                    raise Failed(f"QEMU exited with status {proc.returncode} before QMP was up")
                if time.monotonic() > deadline:
                    raise Failed("QEMU's QMP socket never appeared")
                time.sleep(0.02)
        self.deadline = deadline
        self.buf = b""
        self.events = []
        self.read()  # the greeting

    def read(self):
        while b"\n" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise Failed("timed out")
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                raise Failed("timed out") from None
            if not data:
                raise Failed("QEMU closed its QMP socket")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, **arguments):
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self.read()
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise Failed(f"QMP {name}: {reply['error'].get('desc')}")
            else:
                return reply.get("return")

    def wait_event(self, name):
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name:
                    return self.events.pop(i)
            self.events.append(self.read())


def run_qemu(cmd, timeout):
    """Runs a QEMU command line, started paused, until the machine powers
    off. Returns (console lines, instructions executed by the machine)."""
    tmp = tempfile.mkdtemp(prefix="vireo-bench-")
    sock = os.path.join(tmp, "qmp")
    full = cmd + ["-qmp", f"unix:{sock},server=on,wait=off", "-no-shutdown", "-S"]
    proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
    reader.start()
    try:
        qmp = QMP(sock, proc, time.monotonic() + timeout)
        qmp.command("qmp_capabilities")
        qmp.command("cont")
        try:
            qmp.wait_event("SHUTDOWN")
        except Failed as e:
            raise Failed(f"{e} before the machine powered off") from None
        total = qmp.command("query-replay")["icount"]
        qmp.command("quit")
        proc.wait(timeout=30)
    except BaseException:
        proc.kill()
        proc.wait()
        reader.join(5)
        if isinstance(sys.exc_info()[1], Failed):
            tail = "\n".join(console_lines(out)[-30:])
            raise Failed(f"{sys.exc_info()[1]}\n--- console ---\n{tail}") from None
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    reader.join(30)
    return console_lines(out), total


def console_lines(chunks):
    text = b"".join(chunks).decode(errors="replace").replace("\r", "")
    return text.splitlines()


# --- the command lines ----------------------------------------------------------

def native_cmd(smp, mem, kernel, initrd=None, append=None, qemu=QEMU, cpu=CPU):
    cmd = [qemu, "-M", MACHINE, "-cpu", cpu, "-smp", str(smp), "-m", mem, "-nographic",
           "-kernel", img(kernel)] + ICOUNT + RTC
    if initrd:
        cmd += ["-initrd", initrd]
    if append:
        cmd += ["-append", append]
    return cmd


def vireo_cmd(host_cpus, launcher_args, virt=True):
    """The QEMU command ./vireo run would run, and the directory (its device
    tree) to remove after. virt: the machine is QEMU's virt (not the Pi)."""
    # The VMs' PL031 starts where the native runs' RTC does (RTC below), not
    # at the launcher's clock, which would make each boot a different one.
    proc = subprocess.run([LAUNCHER, "run", "--print-cmd", "--icount", "--host-cpus",
                           str(host_cpus), "--host-mem", HOST_MEM,
                           "--wallclock", RTC_BASE] + launcher_args,
                          capture_output=True, text=True, cwd=TOP)
    if proc.returncode != 0:
        raise Failed(f"./vireo run --print-cmd failed: {proc.stderr.strip()}")
    m = re.search(r"^# (\S+) is kept for this command", proc.stderr, re.M)
    cmd = shlex.split(proc.stdout.strip().splitlines()[-1])
    # Vireo's image, and the bench guest's where a configuration names it.
    for path, copy in SNAPSHOT.items():
        cmd = [a.replace(path, copy) if path in a else a for a in cmd]
    # Machine properties merge: the same deterministic device tree and RTC
    # as the native runs (the machine's own, which Vireo's VMs do not see).
    # raspi3b has no such property, and its tree is a file's (Debian's).
    return cmd + (["-M", "dtb-randomness=off"] if virt else []) + RTC, m.group(1) if m else None


# --- the runs ----------------------------------------------------------------------

# The ways of running the work: natively, or under Vireo with these
# launcher options ("vireo": on virt with a GICv3, the main comparison).
MODES = {
    "vireo": [],
    "its": [],  # the bench VM with an ITS (Run.command)
    "v2": ["--gic", "2"],
    "pi": ["--board", PI_BOARD],
}


class Run:
    """One configuration: how to run it and how to read its figures. mode is
    "native" or one of MODES."""

    def __init__(self, name, kind, mode, cpus):
        self.name, self.kind, self.mode, self.cpus = name, kind, mode, cpus
        # How far apart the totals of its repeats may be (PI_POWER_OFF_SLACK).
        self.total_slack = PI_POWER_OFF_SLACK if mode == "pi" else 0
        # Its figures vary from repeat to repeat (a device's work is done by
        # QEMU's threads, at a virtual time the host decides): medians, ranges.
        self.varies = kind in ("disk", "probe")

    def command(self):
        if self.mode == "native":
            if self.kind == "bare":
                return native_cmd(self.cpus, BARE_MEM, BENCH_GUEST), None
            if self.kind == "bare32":
                return native_cmd(self.cpus, BENCH32_MEM, BENCH32_GUEST, qemu=QEMU32,
                                  cpu=CPU32), None
            if self.kind == "probe":
                return native_cmd(self.cpus, BARE_MEM, DEVPROBE) + ["-device",
                                                                   "virtio-rng-device"], None
            disk = ["-drive", f"file={DISK_IMAGE},if=none,format=raw,id=disk",
                    "-device", "virtio-blk-device,drive=disk"] if self.kind == "disk" else []
            return native_cmd(self.cpus, LINUX_MEM, LINUX_IMAGE, LINUX_INITRD,
                              self.linux_append()) + disk, None
        if self.kind == "probe":
            host, args = self.cpus, ["--vm", f"name=probe,kernel={img(DEVPROBE)}", "--rng", "probe"]
        elif self.kind == "vmswitch":
            # Both VMs on CPU 0 (the configuration's affinity); virt has just that one.
            host, args = 1, ["--config", VMSWITCH_CONFIG]
        elif self.kind == "bare" and self.mode == "its":
            host, args = self.cpus, ["--vm", f"kernel={img(BENCH_GUEST)},cpus={self.cpus},its=on"]
        elif self.kind == "bare":
            host, args = self.cpus, ["--kernel", img(BENCH_GUEST), "--cpus", str(self.cpus)]
        elif self.kind == "bare32":
            # An AArch32 VM: Vireo tells it from the image's zImage magic.
            host, args = self.cpus, ["--kernel", img(BENCH32_GUEST), "--cpus", str(self.cpus)]
        else:
            host, args = self.cpus, ["--name", "linux", "--kernel", LINUX_IMAGE, "--initrd",
                                     LINUX_INITRD, "--append", self.linux_append(), "--cpus",
                                     str(self.cpus), "--mem", LINUX_MEM]
            if self.kind == "disk":
                args += ["--disk", DISK_IMAGE]
        if self.mode == "pi":
            host = PI_CPUS
        return vireo_cmd(host, MODES[self.mode] + args, virt=self.mode != "pi")

    def linux_append(self):
        return LINUX_APPEND + {"boot": " vireo.bench=boot", "disk": " vireo.bench=disk"}.get(
            self.kind, "")

    def execute(self):
        cmd, workdir = self.command()
        start = time.monotonic()
        try:
            lines, total = run_qemu(cmd, LINUX_TIMEOUT if self.kind in ("boot", "work", "disk")
                                    else BARE_TIMEOUT)
        finally:
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)
        result = {"command": as_built(cmd), "total_instructions": total,
                  "seconds": round(time.monotonic() - start, 1), "figures": {}}
        self.check(lines)
        for line in lines:
            if m := BENCH_LINE.search(line):
                # The median; that the repetitions differ (something else
                # ran in some of them) is worth a note, not a failure.
                name, instr, lo, hi, n = m.groups()
                result["figures"][name] = int(instr)
                if lo != hi:
                    result["figures"][name + "_range"] = [int(lo), int(hi)]
            elif m := WORK_LINE.search(line):
                result["figures"][m.group(1)] = int(m.group(2))
                result["figures"][f"{m.group(1)}_{m.group(3)}"] = m.group(4)
            elif m := DISK_IRQS_LINE.search(line):
                result["figures"]["disk_irqs"] = int(m.group(1))
            elif m := NOTIFY_LINE.search(line):
                result["figures"]["virtio_notify_irq"] = int(m.group(1)) * TICK
            elif m := POWER_DOWN.search(line):
                # The kernel's clock at its power-off, in microseconds: it
                # starts when the kernel sets up its timer, so this is the
                # kernel's run from then on, in instructions, and the rest
                # of the total came before (Vireo's boot, the kernel's
                # early boot) or after (QEMU's power-off).
                uptime = int(m.group(1)) * 10**9 + int(m.group(2)) * 1000
                result["figures"]["uptime"] = uptime
                result["figures"]["before_clock"] = total - uptime
            elif m := re.search(r"vireo: memory: .* \((\d+) MiB\)$", line):
                result["figures"]["host_mib"] = int(m.group(1))
            elif m := re.search(r"vireo: free memory: (\d+) MiB$", line):
                result["figures"]["free_mib"] = int(m.group(1))
        return result

    def check(self, lines):
        problems = [line for line in lines
                    if re.search(r"bench: error|PANIC|Kernel panic|Internal error", line)]
        if self.kind in ("bare", "bare32", "vmswitch"):
            if not any(line.endswith("bench: done") for line in lines):
                problems.append("no \"bench: done\"")
        elif self.kind == "probe":
            if not any(re.search(r"devprobe: virtio-rng: interrupt \d+, status 1, used 1, 16 bytes",
                                 line) for line in lines):
                problems.append("devprobe's virtio-rng request did not complete")
        elif not any(line.endswith("vireo-bench: booted") for line in lines):
            problems.append("no \"vireo-bench: booted\"")
        elif self.kind == "work" and not any("vireo-bench: gzip" in line for line in lines):
            problems.append("the workload did not finish")
        elif self.kind == "disk" and not any("vireo-bench: disk ns=" in line and
                                             f"bytes={DISK_MIB << 20}" in line for line in lines):
            problems.append(f"the disk's {DISK_MIB} MiB were not read")
        stops = [line for line in lines if re.match(r"vireo: \S+ stopped: ", line)]
        if self.mode != "native" and (not stops or any(
                not line.endswith(" stopped: powered off (PSCI SYSTEM_OFF)") for line in stops)):
            problems.append("a VM did not power off cleanly")
        if problems:
            tail = "\n".join(lines[-30:])
            raise Failed(f"{self.name}: " + "; ".join(problems) + f"\n--- console ---\n{tail}")


def all_runs(only):
    """The runs of the groups in only (a set of --only's choices), or all
    of them (only None)."""
    def want(group):
        return only is None or group in only

    runs = []
    if want("raspi3b"):
        # First: these runs are the longest (Vireo's boot on the Pi, see
        # write_doc's Pi section), and a pool does better with those first.
        runs.append(Run("boot-pi-2cpu", "boot", "pi", 2))
        runs += [Run(f"bare-pi-{n}cpu", "bare", "pi", n) for n in (1, 2)]
        runs.append(Run("vmswitch-pi-1cpu", "vmswitch", "pi", 1))
    for mode in ("vireo", "native"):
        if want("bare"):
            runs += [Run(f"bare-{mode}-{n}cpu", "bare", mode, n) for n in (1, 2)]
        if want("linux"):
            runs += [Run(f"boot-{mode}-{n}cpu", "boot", mode, n) for n in (1, 2)]
            runs.append(Run(f"work-{mode}-1cpu", "work", mode, 1))
            runs.append(Run(f"disk-{mode}-1cpu", "disk", mode, 1))
        if want("bare"):
            runs.append(Run(f"probe-{mode}-1cpu", "probe", mode, 1))
        if want("aarch32"):
            runs.append(Run(f"bare32-{mode}-1cpu", "bare32", mode, 1))
    if want("linux"):
        runs.append(Run("boot-v2-2cpu", "boot", "v2", 2))
    if want("bare"):
        runs.append(Run("vmswitch-vireo-1cpu", "vmswitch", "vireo", 1))
        runs += [Run(f"bare-its-{n}cpu", "bare", "its", n) for n in (1, 2)]
        runs += [Run(f"bare-v2-{n}cpu", "bare", "v2", n) for n in (1, 2)]
        runs.append(Run("vmswitch-v2-1cpu", "vmswitch", "v2", 1))
    return runs


# --- the figures --------------------------------------------------------------------

class Figure:
    """One row of the results: where its Vireo and native values come from,
    and its target: max= instructions at most, or over= percent over native
    at most. a64: the id of the 64-bit figure a 32-bit one stands beside."""

    def __init__(self, fid, group, title, vireo, native=None, max=None, over=None,
                 xen=None, why=None, na=None, a64=None):
        self.fid, self.group, self.title = fid, group, title
        self.vireo, self.native = vireo, native  # (run, key) pairs
        self.max, self.over, self.xen, self.why, self.na = max, over, xen, why, na
        self.a64 = a64


WHY_TRAP = "trap"        # keys into WHY below
WHY_MMIO = "mmio"
WHY_TIMER = "timer"
WHY_BOOT = "boot"

B1, B2 = "bare-{}-1cpu", "bare-{}-2cpu"
# Vireo's figures from the VM with an ITS (no "{}": the same run whatever
# the mode). Only the LPI figures come from it: an ITS makes every
# interrupt's way in a little longer (its_cost()), and the other rows are
# of the VM without one, the default.
BI1, BI2 = "bare-its-1cpu", "bare-its-2cpu"
LOOP = 2000000  # the method's check: the guest times a loop of this many instructions
# The 32-bit guest's run (guests/aarch32/bench32), and its rows' group.
A1 = "bare32-{}-1cpu"
A32 = "32-bit guest (AArch32 EL1)"
FIGURES = [
    Figure("loop", "Method", f"Check: a loop of {LOOP:,} instructions, as the guest times it",
           (B1, "loop_2000000"), (B1, "loop_2000000")),
    Figure("null_hvc", "Hypercalls", "Null hypercall round trip (`hvc #0`, VIREO_HC_NULL)",
           (B1, "null_hvc"), (B1, "null_hvc"), max=50, xen=416, why=WHY_TRAP,
           na="QEMU's firmware answers NOT_SUPPORTED: the hvc alone"),
    Figure("psci_version", "Hypercalls", "PSCI_VERSION through HVC",
           (B1, "psci_version"), (B1, "psci_version"), max=80, xen=470, why=WHY_TRAP,
           na="QEMU's PSCI, emulated in QEMU: the hvc alone"),
    Figure("mmio_gicd_typer", "Emulated MMIO", "Read of the virtual GIC distributor's GICD_TYPER",
           (B1, "mmio_gicd_typer"), (B1, "mmio_gicd_typer"), max=150, xen=598, why=WHY_MMIO,
           na="QEMU's GIC: the load alone"),
    Figure("mmio_uartfr", "Emulated MMIO", "Read of the virtual PL011's UARTFR",
           (B1, "mmio_uartfr"), (B1, "mmio_uartfr"), max=150, xen=622, why=WHY_MMIO,
           na="QEMU's PL011: the load alone"),
    Figure("sysreg_sgi1r", "Trapped system registers",
           "ICC_SGI1R_EL1 write (an SGI to an empty target list)",
           (B1, "sysreg_sgi1r"), (B1, "sysreg_sgi1r")),
    Figure("sysreg_cntp_ctl", "Trapped system registers", "CNTP_CTL_EL0 read (emulated EL1 physical timer)",
           (B1, "sysreg_cntp_ctl"), (B1, "sysreg_cntp_ctl")),
    Figure("sysreg_pmccntr", "Trapped system registers",
           "PMCCNTR_EL0 read (the virtual PMU's cycle counter)",
           (B1, "sysreg_pmccntr"), (B1, "sysreg_pmccntr")),
    Figure("sysreg_oslsr", "Trapped system registers",
           "OSLSR_EL1 read (the OS lock, emulated: the one debug register that always traps)",
           (B1, "sysreg_oslsr"), (B1, "sysreg_oslsr")),
    Figure("console_uart_line", "Paravirtual interface",
           "A 64-byte console line through the UART's data register (64 traps)",
           (B1, "console_uart_line"), (B1, "console_uart_line"),
           na="QEMU's PL011: 64 stores"),
    Figure("console_pv_line", "Paravirtual interface",
           "The same line in one VIREO_HC_CONSOLE_WRITE",
           (B1, "console_pv_line"), (B1, "console_pv_line"),
           na="NOT_SUPPORTED from QEMU's firmware: the hvc alone"),
    Figure("page_read", "Paravirtual interface",
           "A vCPU's running time from its shared page (sequence-counted read, no trap)",
           (B1, "page_read"), (B1, "page_read"), na="a zero page: the same loads"),
    Figure("page_hvc", "Paravirtual interface",
           "The cheapest hypercall through Vireo's C path (VIREO_HC_VERSION), what fetching it would cost",
           (B1, "page_hvc"), (B1, "page_hvc"), na="NOT_SUPPORTED from QEMU's firmware"),
    Figure("ipi_wfi", "Virtual IPI", "SGI from vCPU 0 to vCPU 1 waiting in WFI, to its handler",
           (B2, "ipi_wfi"), (B2, "ipi_wfi")),
    Figure("ipi_busy", "Virtual IPI", "SGI from vCPU 0 to running vCPU 1, to its handler",
           (B2, "ipi_busy"), (B2, "ipi_busy")),
    Figure("ipi_send", "Virtual IPI", "of which the sender's trapped ICC_SGI1R_EL1 write",
           (B2, "ipi_send"), (B2, "ipi_send")),
    Figure("lpi_self", "LPI through the virtual ITS",
           "GITS_TRANSLATER store (DeviceID 0, an EventID), to its LPI's handler on the same vCPU",
           (BI1, "lpi_self"), (B1, "lpi_self")),
    Figure("lpi_wfi", "LPI through the virtual ITS",
           "GITS_TRANSLATER store on vCPU 0, to the LPI's handler on vCPU 1 waiting in WFI",
           (BI2, "lpi_wfi"), (B2, "lpi_wfi")),
    Figure("vtimer_busy", "Timer interrupt latency", "Virtual timer, deadline to handler, guest busy",
           (B1, "vtimer_busy"), (B1, "vtimer_busy"), max=250, xen=1090, why=WHY_TIMER),
    Figure("vtimer_wfi", "Timer interrupt latency", "Virtual timer, deadline to handler, guest in WFI",
           (B1, "vtimer_wfi"), (B1, "vtimer_wfi"), max=250, why=WHY_TIMER),
    Figure("ptimer_busy", "Timer interrupt latency",
           "EL1 physical timer (emulated), deadline to handler, guest busy",
           (B1, "ptimer_busy"), (B1, "ptimer_busy")),
    Figure("ptimer_wfi", "Timer interrupt latency",
           "EL1 physical timer (emulated), deadline to handler, guest in WFI",
           (B1, "ptimer_wfi"), (B1, "ptimer_wfi")),
    Figure("vm_switch", "VM switch",
           "Two 1-vCPU VMs on one CPU ping-pong over a channel's doorbells: round trip (two switches)",
           ("vmswitch-{}-1cpu", "vm_switch_roundtrip"), None,
           na="no VMs without a hypervisor"),
    # No targets of their own: the 64-bit figures beside them have them.
    Figure("loop32", A32, f"Check: a loop of {LOOP:,} instructions, as the 32-bit guest times it",
           (A1, "loop_2000000"), (A1, "loop_2000000"), a64="loop"),
    Figure("null_hvc32", A32,
           "Null hypercall round trip from AArch32 (`hvc #0`, VIREO_HC_NULL, answered in the "
           "vector)", (A1, "null_hvc"), (A1, "null_hvc"),
           na="QEMU's firmware answers NOT_SUPPORTED: the hvc alone", a64="null_hvc"),
    Figure("mmio_gicd_typer32", A32, "Read of GICD_TYPER from AArch32 (`ldr`)",
           (A1, "mmio_gicd_typer"), (A1, "mmio_gicd_typer"), na="QEMU's GIC: the load alone",
           a64="mmio_gicd_typer"),
    Figure("mmio_uartfr32", A32, "Read of the PL011's UARTFR from AArch32 (`ldr`)",
           (A1, "mmio_uartfr"), (A1, "mmio_uartfr"), na="QEMU's PL011: the load alone",
           a64="mmio_uartfr"),
    Figure("vtimer_busy32", A32,
           "Virtual timer (CNTV through CP15), deadline to handler, guest busy",
           (A1, "vtimer_busy"), (A1, "vtimer_busy"), a64="vtimer_busy"),
    Figure("linux_boot_1", "Linux", "Debian kernel, reset to power-off, 1 CPU (whole machine)",
           ("boot-{}-1cpu", "total"), ("boot-{}-1cpu", "total"), over=3.0, xen=21.0, why=WHY_BOOT),
    Figure("linux_boot_2", "Linux", "Debian kernel, reset to power-off, 2 CPUs (whole machine)",
           ("boot-{}-2cpu", "total"), ("boot-{}-2cpu", "total"), over=3.0, xen=21.0, why=WHY_BOOT),
    Figure("linux_before_vm", "Linux",
           "of which before the kernel's clock starts (under Vireo: Vireo's boot, building "
           "the VM, then the kernel's early boot), 1 CPU",
           ("boot-{}-1cpu", "before_clock"), ("boot-{}-1cpu", "before_clock")),
    Figure("linux_uptime_1", "Linux", "of which the kernel's clock at power-off, 1 CPU",
           ("boot-{}-1cpu", "uptime"), ("boot-{}-1cpu", "uptime")),
    Figure("linux_uptime_2", "Linux", "of which the kernel's clock at power-off, 2 CPUs",
           ("boot-{}-2cpu", "uptime"), ("boot-{}-2cpu", "uptime")),
    Figure("linux_md5", "Linux", "md5sum of 4.2 MB in tmpfs, twice, by the guest's clock (ns)",
           ("work-{}-1cpu", "md5"), ("work-{}-1cpu", "md5"), over=0.5),
    Figure("linux_gzip", "Linux", "gzip of 4.2 MB in tmpfs, by the guest's clock (ns)",
           ("work-{}-1cpu", "gzip"), ("work-{}-1cpu", "gzip"), over=0.5),
    Figure("disk_read", "Devices",
           f"Linux: dd of {DISK_MIB} MiB from the virtio disk in 1 MiB direct reads, by the "
           "guest's clock, a busy loop beside it (ns; median and range of the repeats)",
           ("disk-{}-1cpu", "disk"), ("disk-{}-1cpu", "disk")),
    Figure("disk_irqs", "Devices", "of which the disk's interrupts (completions)",
           ("disk-{}-1cpu", "disk_irqs"), ("disk-{}-1cpu", "disk_irqs")),
    Figure("virtio_irq", "Devices",
           "One virtio-rng request, from its notify store to the guest's interrupt handler "
           f"(guests/devprobe; instructions, to the counter's {TICK}-instruction tick)",
           ("probe-{}-1cpu", "virtio_notify_irq"), ("probe-{}-1cpu", "virtio_notify_irq")),
]


def lookup(results, source, mode):
    if source is None:
        return None
    run, key = source
    res = results.get(run.format(mode))
    if res is None:
        return None
    return res["total_instructions"] if key == "total" else res["figures"].get(key)


def evaluate(fig, results, repeatable):
    v, n = lookup(results, fig.vireo, "vireo"), lookup(results, fig.native, "native")
    row = {"id": fig.fid, "group": fig.group, "title": fig.title, "vireo": v, "native": n,
           "native_note": fig.na, "xen": fig.xen, "repeatable": repeatable.get(fig.fid, True)}
    if fig.a64:
        # The 64-bit figure it stands beside, from that figure's own runs.
        other = next(f for f in FIGURES if f.fid == fig.a64)
        row["aarch64"] = {"id": other.fid, "vireo": lookup(results, other.vireo, "vireo"),
                          "native": lookup(results, other.native, "native")}
    for source, mode in ((fig.vireo, "vireo"), (fig.native, "native")):
        spread = lookup(results, (source[0], source[1] + "_range"), mode) if source else None
        if spread:
            row[mode + "_range"] = spread
    if v is None:
        row["status"] = "not measured"
        return row
    if n:
        row["ratio"] = round(v / n, 3)
        row["over_native_pct"] = round((v / n - 1) * 100, 2)
    if fig.max is not None:
        row["target"] = {"max_instructions": fig.max}
        row["status"] = "met" if v <= fig.max else "missed"
        if v > fig.max:
            row["missed_by"] = v - fig.max
    elif fig.over is not None and n:
        row["target"] = {"max_over_native_pct": fig.over}
        over = (v / n - 1) * 100
        row["status"] = "met" if over <= fig.over else "missed"
        if over > fig.over:
            row["missed_by_pct_points"] = round(over - fig.over, 2)
    else:
        row["status"] = "no target"
    return row


# --- the Raspberry Pi's figures, beside virt's ------------------------------------------

# The Pi's table's columns: the mode of the runs each comes from, and its heading.
PI_COLUMNS = [("pi", "Pi 3B: GICC in software"), ("v2", "virt: GICv2"), ("vireo", "virt: GICv3")]


class PiFigure:
    """A row of the Pi's table: one figure under Vireo on the Pi and on virt
    with either GIC. run is a run name with {} for the mode, key the
    figure's name with a GICv2 (the Pi's), v3_key its name with a GICv3 if
    another; v3_note says why a GICv3 has no such figure. The title is
    FIGURES' for the same id unless given."""

    def __init__(self, fid, group, run, key, title=None, v3_key=None, v3_note=None):
        self.fid, self.group, self.key = fid, group, key
        self.title = title or next(f.title for f in FIGURES if f.fid == fid)
        self.v3_note = v3_note
        self.sources = {"pi": (run, key), "v2": (run, key),
                        "vireo": None if v3_note else (run, v3_key or key)}


PB = "boot-{}-2cpu"
NOT_TRAPPED = "no trap: system registers"
PI_FIGURES = [
    PiFigure("loop", "Method", B1, "loop_2000000"),
    PiFigure("null_hvc", "Hypercalls", B1, "null_hvc"),
    PiFigure("psci_version", "Hypercalls", B1, "psci_version"),
    PiFigure("mmio_gicd_typer", "Emulated MMIO", B1, "mmio_gicd_typer"),
    PiFigure("mmio_uartfr", "Emulated MMIO", B1, "mmio_uartfr"),
    PiFigure("gic_sgi_nobody", "The virtual GIC", B1, "mmio_gicd_sgir",
             "An SGI to an empty target list: GICD_SGIR store (GICv3: the ICC_SGI1R_EL1 write)",
             v3_key="sysreg_sgi1r"),
    PiFigure("mmio_gicc_iar", "The virtual GIC", B1, "mmio_gicc_iar",
             "Acknowledge with nothing pending: GICC_IAR read", v3_note=NOT_TRAPPED),
    PiFigure("mmio_gicc_eoir", "The virtual GIC", B1, "mmio_gicc_eoir",
             "End of the spurious INTID 1023, which the CPU interface ignores: GICC_EOIR write",
             v3_note=NOT_TRAPPED),
    PiFigure("vtimer_ack_end", "The virtual GIC", B1, "vtimer_ack_end",
             "The virtual timer's handler from its acknowledge to its end "
             "(GICC_IAR read, timer masked, GICC_EOIR write)", v3_note=NOT_TRAPPED),
    PiFigure("sysreg_cntp_ctl", "Trapped system registers", B1, "sysreg_cntp_ctl"),
    PiFigure("console_uart_line", "Paravirtual interface", B1, "console_uart_line"),
    PiFigure("console_pv_line", "Paravirtual interface", B1, "console_pv_line"),
    PiFigure("vtimer_busy", "Timer interrupt latency", B1, "vtimer_busy"),
    PiFigure("vtimer_wfi", "Timer interrupt latency", B1, "vtimer_wfi"),
    PiFigure("ptimer_busy", "Timer interrupt latency", B1, "ptimer_busy"),
    PiFigure("ptimer_wfi", "Timer interrupt latency", B1, "ptimer_wfi"),
    PiFigure("ipi_wfi", "Virtual IPI", B2, "ipi_wfi"),
    PiFigure("ipi_busy", "Virtual IPI", B2, "ipi_busy"),
    PiFigure("ipi_send", "Virtual IPI", B2, "ipi_send_gicd_sgir",
             "of which the sender's trapped GICD_SGIR store (GICv3: ICC_SGI1R_EL1 write)",
             v3_key="ipi_send"),
    PiFigure("vm_switch", "VM switch", "vmswitch-{}-1cpu", "vm_switch_roundtrip",
             "Two 1-vCPU VMs on CPU 0 ping-pong over a channel's doorbells: round trip "
             "(two switches)"),
    PiFigure("linux_boot_2", "Linux", PB, "total"),
    PiFigure("linux_before_vm_2", "Linux", PB, "before_clock",
             "of which before the kernel's clock starts (Vireo's boot, building the VM, "
             "the kernel's early boot)"),
    PiFigure("linux_uptime_2", "Linux", PB, "uptime"),
]


def repeats(source, mode, differ):
    """Whether the figure at source (run, key) of mode was the same in every
    repeat (uptime and before_clock go with the run's total)."""
    run, key = source
    keys = differ.get(run.format(mode), [])
    return not (key in keys or (key in ("uptime", "before_clock") and "total" in keys))


def evaluate_pi(fig, results, differ):
    row = {"id": fig.fid, "group": fig.group, "title": fig.title, "v3_note": fig.v3_note,
           "repeatable": True}
    for mode, _ in PI_COLUMNS:
        source = fig.sources[mode]
        row[mode] = lookup(results, source, mode)
        if source:
            spread = lookup(results, (source[0], source[1] + "_range"), mode)
            if spread:
                row[mode + "_range"] = spread
            if row[mode] is not None and not repeats(source, mode, differ):
                row["repeatable"] = False
    if row["pi"] is not None and row["v2"] is not None:
        row["pi_minus_v2"] = row["pi"] - row["v2"]
    if fig.key in ("total", "before_clock"):
        seen = results.get(fig.sources["pi"][0].format("pi"), {}).get("total_instructions_seen")
        if seen:
            row["pi_total_spread"] = seen[-1] - seen[0]
    return row


# --- footprint ---------------------------------------------------------------------------

def code_lines(path):
    """(all lines, lines with code: not blank, not only a comment)."""
    text = open(path, encoding="utf-8", errors="replace").read()
    total = text.count("\n")
    # Blank out comments, keeping the newlines, then count non-blank lines.
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return total, sum(1 for line in text.splitlines() if line.strip())


def footprint(results):
    out = subprocess.run([CROSS + "size", "-A", img(HYPERVISOR_ELF)], capture_output=True,
                         text=True, check=True).stdout
    sections = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and parts[1].isdigit():
            sections[parts[0]] = int(parts[1])
    nm = subprocess.run([CROSS + "nm", img(HYPERVISOR_ELF)], capture_output=True, text=True,
                        check=True).stdout
    end = next(int(a, 16) for a, _, name in (l.split() for l in nm.splitlines()
                                              if len(l.split()) == 3) if name == "_end")
    lines = {"c": [0, 0], "asm": [0, 0]}
    hv = os.path.join(TOP, "hv")
    for root, _, files in os.walk(hv):
        for f in files:
            kind = "c" if f.endswith((".c", ".h")) else "asm" if f.endswith(".S") else None
            if kind:
                t, c = code_lines(os.path.join(root, f))
                lines[kind][0] += t
                lines[kind][1] += c
    boot = results.get("bare-vireo-1cpu", {}).get("figures", {})
    return {
        "text": sections.get(".text", 0),
        "rodata": sum(sections.get(s, 0) for s in (".rodata", ".rela.dyn", ".data.rel.ro", ".got")),
        "data": sections.get(".data", 0),
        "bss": sections.get(".bss", 0),
        "image_file": os.path.getsize(img(os.path.join(BUILD, "vireo.bin"))),
        "image_in_memory": end,
        "machine_mib": boot.get("host_mib"),
        "free_mib_at_boot": boot.get("free_mib"),
        "lines_c": lines["c"][0], "code_lines_c": lines["c"][1],
        "lines_asm": lines["asm"][0], "code_lines_asm": lines["asm"][1],
    }


# --- where Vireo's instructions go ----------------------------------------------------

# The guest function each figure's exits leave from (guests/bench/main.c),
# and what to call that exit in the breakdown.
PROFILE_EXITS = {
    "null_hvc": [("op_null_hvc", "the hvc")],
    "psci_version": [("op_psci_version", "the hvc")],
    "mmio_gicd_typer": [("op_gicd_typer", "the load")],
    "mmio_uartfr": [("op_uartfr", "the load")],
    "sysreg_sgi1r": [("op_sgi1r", "the msr")],
    "sysreg_cntp_ctl": [("op_cntp_ctl", "the mrs")],
    "sysreg_pmccntr": [("op_pmccntr", "the mrs")],
    "sysreg_oslsr": [("op_oslsr", "the mrs")],
    "console_uart_line": [("op_uart_line", "the 64 stores")],
    "console_pv_line": [("op_pv_line", "the hvc")],
    "page_hvc": [("op_slow_hvc", "the hvc")],
    "vtimer_busy": [("wait_vtimer_busy", "the timer's interrupt")],
    "vtimer_wfi": [("wait_vtimer_wfi", "the WFI, the sleep and the timer's interrupt")],
    "ptimer_busy": [("wait_ptimer_busy", "the timer's interrupt")],
    "ptimer_wfi": [("wait_ptimer_wfi", "the WFI, the sleep and the timer's interrupt")],
    "ipi_wfi": [("send_ipi", "vCPU 0: the msr"),
                ("cpu1_sleep", "vCPU 1: its WFI, the sleep and the SGI")],
    "ipi_busy": [("cpu1_spin", "vCPU 1: the SGI")],
    "ipi_send": [("op_ipi_send", "the msr")],
    "lpi_self": [("send_lpi_self", "the store, the LPI injected on the way back")],
    "lpi_wfi": [("send_lpi_cpu1", "vCPU 0: the store"),
                ("cpu1_sleep_lpi", "vCPU 1: its WFI, the sleep and the LPI")],
    "vm_switch": [("ring", "DOORBELL hvc"),
                  ("wait_doorbell", "WFI, switch to the other VM, its doorbell interrupt")],
}
# Left out of the trace, for its size: the boot's page zeroing and bitmap,
# and the boot's wait for the other CPUs (on the Pi, a billion
# instructions), which is inlined into boot_main (named with or without
# the compiler's suffix, ".constprop.0" and the like).
PROFILE_SKIP = ("memset", "mark", "boot_main", "smp_start_secondaries")
TRACE_LINE = re.compile(r"^Trace (\d+): (0x[0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/")


def symbols(elf, base=0, cross=CROSS):
    """[(address, size, name)] of an ELF's functions, sorted, moved to base
    (cross: the binutils that read it, the 32-bit guest's its own)."""
    out = subprocess.run([cross + "nm", "-S", "-n", elf], capture_output=True, text=True,
                         check=True).stdout
    syms = []
    for line in out.splitlines():
        p = line.split()
        # Assembly labels have no size: they run to the next symbol.
        if len(p) in (3, 4) and p[-2] in "tT" and not p[-1].startswith("$"):
            syms.append((int(p[0], 16) + base, int(p[1], 16) if len(p) == 4 else 0, p[-1]))
    return syms


def image_load_address(image, ram=0x40000000):
    """Where QEMU's -kernel puts an arm64 Image in RAM starting at ram
    (virt's; the Pi's is at 0): at text_offset, moved up 2 MiB when that
    would overlap QEMU's boot code (hw/arm/boot.c)."""
    with open(image, "rb") as f:
        head = f.read(24)
    offset = int.from_bytes(head[8:16], "little")
    return ram + offset + (2 << 20 if offset < 4096 else 0)


def vireo_load_address(run):
    return image_load_address(img(os.path.join(BUILD, "vireo.bin")),
                              0 if run.mode == "pi" else 0x40000000)


class Profile:
    """Reads QEMU's -d in_asm,exec,nochain trace: every translation block
    run, with its size. An exit is the stretch of Vireo's blocks between two
    guest blocks on one CPU; it is named after the guest function it left."""

    def __init__(self, vireo_syms, guest_syms, vireo_range):
        self.vs, self.gs = vireo_syms, guest_syms
        self.va = [a for a, _, _ in vireo_syms]
        self.ga = [a for a, _, _ in guest_syms]
        self.lo, self.hi = vireo_range
        self.exits = {}  # guest function -> [count, {vireo function: instructions}]
        self.paths = {}  # guest function -> its last exit: [[vireo function, instructions]]

    @staticmethod
    def find(addrs, syms, pc):
        import bisect
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][2] if i >= 0 else "?"

    def read(self, path):
        sizes, pending = {}, None
        current, last_guest = {}, {}
        with open(path, errors="replace") as f:
            for line in f:
                if line.startswith("IN:"):
                    pending = 0
                elif pending is not None and line.startswith("0x"):
                    pending += 1
                elif m := TRACE_LINE.match(line):
                    cpu, ptr, pc = m.group(1), m.group(2), int(m.group(3), 16)
                    if pending is not None:
                        sizes[ptr], pending = pending, None
                    n = sizes.get(ptr, 0)
                    if self.lo <= pc < self.hi:
                        fn = self.find(self.va, self.vs, pc)
                        path = current.setdefault(cpu, [])
                        if path and path[-1][0] == fn:
                            path[-1][1] += n
                        else:
                            path.append([fn, n])
                    else:
                        if current.get(cpu) and cpu in last_guest:
                            entry = self.exits.setdefault(last_guest[cpu], [0, {}])
                            entry[0] += 1
                            for fn, k in current[cpu]:
                                entry[1][fn] = entry[1].get(fn, 0) + k
                            self.paths[last_guest[cpu]] = current[cpu]
                        current[cpu] = []
                        last_guest[cpu] = self.find(self.ga, self.gs, pc)

    def breakdown(self, guest_fn):
        """(exits, [(vireo function, mean instructions)], mean total)."""
        if guest_fn not in self.exits:
            return None
        count, fns = self.exits[guest_fn]
        rows = sorted(((fn, k / count) for fn, k in fns.items()), key=lambda r: -r[1])
        return count, rows, sum(k for _, k in rows)


# Per kind of run traced: the guest's ELF, the binutils that read it, and
# its function with the long loop the method's check times (millions of
# trace lines, and no exits).
TRACE_GUESTS = {
    "bare": (os.path.join(BUILD, "guests", "bench.elf"), CROSS, "bench_loop"),
    "vmswitch": (os.path.join(BUILD, "guests", "bench.elf"), CROSS, "bench_loop"),
    "bare32": (BENCH32_ELF, CROSS32, "op_loop"),
}


def trace_run(run, log):
    """Runs `run` (a Vireo configuration of a bench guest) with QEMU's
    execution trace in log, restricted to the guest's and Vireo's code."""
    cmd, workdir = run.command()
    base = vireo_load_address(run)
    elf, cross, loop = TRACE_GUESTS[run.kind]
    vs = symbols(img(HYPERVISOR_ELF), base)
    gs = symbols(img(elf), cross=cross)
    vtext = (base, max(a + s for a, s, _ in vs))
    gtext = (min(a for a, _, _ in gs), max(a + s for a, s, _ in gs))
    # The guest's code (less its long calibration loop) and Vireo's (less
    # the functions that would fill gigabytes at boot).
    ranges, cut = [], [(a, a + s) for a, s, n in vs + gs
                       if n.split(".")[0] in PROFILE_SKIP or n == loop]
    for lo, hi in (gtext, vtext):
        for a, b in sorted(c for c in cut if lo <= c[0] < hi):
            if a > lo:
                ranges.append(f"{lo:#x}..{a - 1:#x}")
            lo = max(lo, b)
        ranges.append(f"{lo:#x}..{hi - 1:#x}")
    try:
        run_qemu(cmd + ["-d", "in_asm,exec,nochain", "-dfilter", ",".join(ranges), "-D", log],
                 BARE_TIMEOUT * 3)
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    prof = Profile(vs, gs, vtext)
    prof.read(log)
    return prof


def whole_run_profile(run, log):
    """{Vireo function: instructions} over a whole run, from QEMU's trace
    of Vireo's code alone (a Linux boot: some 1.5 GB of trace)."""
    cmd, workdir = run.command()
    base = vireo_load_address(run)
    vs = symbols(img(HYPERVISOR_ELF), base)
    hi = max(a + s for a, s, _ in vs)
    try:
        run_qemu(cmd + ["-d", "in_asm,exec,nochain", "-dfilter", f"{base:#x}..{hi - 1:#x}",
                        "-D", log], LINUX_TIMEOUT)
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    prof = Profile(vs, [], (base, hi))
    totals, sizes, pending = {}, {}, None
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                pending = 0
            elif pending is not None and line.startswith("0x"):
                pending += 1
            elif m := TRACE_LINE.match(line):
                ptr, pc = m.group(2), int(m.group(3), 16)
                if pending is not None:
                    sizes[ptr], pending = pending, None
                fn = prof.find(prof.va, prof.vs, pc)
                totals[fn] = totals.get(fn, 0) + sizes.get(ptr, 0)
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


# The runs traced: virt's (GICv3) for the main table's figures (the LPIs'
# from the VM with an ITS; a figure's exits are the first traced run's
# that has them), and the Pi's and virt GICv2's for the Pi's.
PROFILE_RUNS = ("bare-vireo-2cpu", "vmswitch-vireo-1cpu", BI2)
# The 32-bit guest's exits, from its own run (its functions have the
# 64-bit guest's names), and the same exits of the 64-bit guest with one
# vCPU too (PROFILE_RUNS' is the 2-vCPU run), to compare them with.
PROFILE32_RUN, PROFILE32_BESIDE = A1.format("vireo"), B1.format("vireo")
A32_PAIRS = {"null_hvc32": "null_hvc", "mmio_gicd_typer32": "mmio_gicd_typer",
             "mmio_uartfr32": "mmio_uartfr", "vtimer_busy32": "vtimer_busy"}
PROFILE32_EXITS = {fid32: PROFILE_EXITS[fid64] for fid32, fid64 in A32_PAIRS.items()}
PI_PROFILE_RUNS = {"pi": ("bare-pi-2cpu",), "v2": ("bare-v2-2cpu",)}
# As PROFILE_EXITS, for the Pi's table (its ids, the GICv2 functions).
PI_PROFILE_EXITS = {
    "null_hvc": PROFILE_EXITS["null_hvc"],
    "mmio_gicd_typer": PROFILE_EXITS["mmio_gicd_typer"],
    "gic_sgi_nobody": [("op_gicd_sgir", "the store")],
    "mmio_gicc_iar": [("op_gicc_iar", "the load")],
    "mmio_gicc_eoir": [("op_gicc_eoir", "the store")],
    # Every interrupt's, timers' and SGIs'. On virt the store does not trap;
    # an emulated (level) interrupt's end takes an EOI maintenance interrupt.
    "vtimer_ack_end": [("bench_irq_v2", "the handler's GICC_IAR load"),
                       ("bench_irq_v2_end", "the handler's GICC_EOIR store")],
    "vtimer_busy": PROFILE_EXITS["vtimer_busy"],
    "vtimer_wfi": PROFILE_EXITS["vtimer_wfi"],
    "ptimer_busy": PROFILE_EXITS["ptimer_busy"],
    "ipi_wfi": [("send_ipi_sgir", "vCPU 0: the store"),
                ("cpu1_sleep", "vCPU 1: its WFI, the sleep and the SGI")],
    "ipi_busy": PROFILE_EXITS["ipi_busy"],
    "ipi_send": [("op_ipi_send_sgir", "the store")],
}


def trace_all(runs_by_name, names, jobs):
    """{run name: Profile} of those of names that are runs, traced jobs at a time."""
    names = [n for n in names if n in runs_by_name]
    with tempfile.TemporaryDirectory(prefix="vireo-bench-trace-") as tmp:
        def one(name):
            log = os.path.join(tmp, name + ".log")
            prof = trace_run(runs_by_name[name], log)
            os.unlink(log)
            return prof
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            return dict(zip(names, pool.map(one, names)))


def profile(profs, exits_map):
    """Per figure: the exits it takes and where Vireo spends their
    instructions, from traced runs of the bare-metal benchmark (the first
    of profs with the exit)."""
    out = {}
    for fid, exits in exits_map.items():
        parts = []
        for guest_fn, what in exits:
            for prof in profs:
                b = prof.breakdown(guest_fn)
                if b:
                    count, rows, total = b
                    parts.append({"exit": what, "guest_function": guest_fn, "exits": count,
                                  "instructions": round(total, 1),
                                  "functions": [[fn, round(k, 1)] for fn, k in rows],
                                  "path": prof.paths[guest_fn]})
                    break
        if parts:
            out[fid] = parts
    return out


# --- running everything ----------------------------------------------------------------

def run_all(runs, repeats, jobs):
    """Runs every configuration `repeats` times. Returns the first repeat's
    results by run name (but the smallest total, where a run's totals may
    differ by its total_slack), and by run name the keys that differed."""
    tasks = [(run, i) for i in range(repeats) for run in runs]
    done = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run.execute): (run, i) for run, i in tasks}
        for fut in concurrent.futures.as_completed(futures):
            run, i = futures[fut]
            res = fut.result()  # a Failed propagates: no figures from a broken run
            done[(run.name, i)] = res
            print(f"bench: {run.name} ({i + 1}/{repeats}): "
                  f"{res['total_instructions']:,} instructions, {res['seconds']} s", flush=True)
    results, differ = {}, {}
    for run in runs:
        if run.varies:
            results[run.name] = medians([done[(run.name, i)] for i in range(repeats)])
            continue
        first = done[(run.name, 0)]
        totals = sorted({done[(run.name, i)]["total_instructions"] for i in range(repeats)})
        res = results[run.name] = {"command": first["command"],
                                   "total_instructions": totals[0],
                                   "figures": dict(first["figures"])}
        if len(totals) > 1:
            res["total_instructions_seen"] = totals
        if "uptime" in res["figures"]:
            res["figures"]["before_clock"] = totals[0] - res["figures"]["uptime"]
        for i in range(1, repeats):
            other = done[(run.name, i)]
            # before_clock is the total less uptime: it repeats when they do.
            keys = [k for k in set(first["figures"]) | set(other["figures"])
                    if k != "before_clock" and first["figures"].get(k) != other["figures"].get(k)]
            if keys:
                differ.setdefault(run.name, set()).update(keys)
        if totals[-1] - totals[0] > run.total_slack:
            differ.setdefault(run.name, set()).add("total")
    return results, {k: sorted(v) for k, v in differ.items()}


def medians(repeats):
    """A varying run's results: each number the median of its repeats (the
    lower of two), with its range where they differ."""
    def median(values):
        return sorted(values)[(len(values) - 1) // 2]
    res = {"command": repeats[0]["command"],
           "total_instructions": median([r["total_instructions"] for r in repeats]),
           "figures": dict(repeats[0]["figures"])}
    totals = sorted(r["total_instructions"] for r in repeats)
    if totals[0] != totals[-1]:
        res["total_instructions_seen"] = totals
    for key, value in repeats[0]["figures"].items():
        if isinstance(value, int):
            values = [r["figures"].get(key, value) for r in repeats]
            res["figures"][key] = median(values)
            if min(values) != max(values):
                res["figures"][key + "_range"] = [min(values), max(values)]
    return res


def figure_repeatability(differ):
    """Per figure id: whether its values were the same in every repeat."""
    return {fig.fid: all(repeats(source, mode, differ)
                         for source, mode in ((fig.vireo, "vireo"), (fig.native, "native"))
                         if source)
            for fig in FIGURES}


def qemu_version():
    out = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout
    return out.splitlines()[0].replace("QEMU emulator version ", "") if out else "unknown"


def inputs():
    """What the figures depend on besides the code: the images, by digest,
    and the Debian kernel's package."""
    import hashlib
    out = {}
    for name, path in (("vireo.bin", img(os.path.join(BUILD, "vireo.bin"))),
                       ("bench.bin", img(BENCH_GUEST)), ("bench32.bin", img(BENCH32_GUEST)),
                       ("Image", LINUX_IMAGE), ("initramfs.cpio.gz", LINUX_INITRD)):
        if os.path.isfile(path):
            with open(path, "rb") as f:
                out[name] = {"bytes": os.path.getsize(path),
                             "sha256": hashlib.sha256(f.read()).hexdigest()}
    pkg = os.path.join(TOP, ".deps", "linux-image", "package")
    if os.path.isfile(pkg):
        fields = dict(line.split(": ", 1) for line in open(pkg).read().splitlines() if ": " in line)
        out["linux_package"] = f"{fields.get('Package', '?')} {fields.get('Version', '?')}"
    return out


def vireo_version():
    proc = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                          text=True, cwd=TOP)
    return proc.stdout.strip() or "unknown"


# --- docs/benchmarks.md -------------------------------------------------------------------

def num(v):
    return "—" if v is None else f"{v:,}" if isinstance(v, int) else str(v)


def ratio_cell(row):
    v, n = row["vireo"], row["native"]
    if v is None or not n:
        return "—"
    if row["id"] == "linux_before_vm":
        return "—"
    if row["id"].startswith("linux_") or v / n < 10:
        return f"{(v / n - 1) * 100:+.2f} %" if row["id"].startswith("linux_") else f"{v / n:.2f}×"
    return f"{v / n:,.0f}×"


def target_cell(row):
    t = row.get("target")
    if not t:
        return "—"
    if "max_instructions" in t:
        return f"≤ {t['max_instructions']:,}"
    return f"≤ +{t['max_over_native_pct']:g} %"


def status_cell(row):
    if row["status"] == "missed":
        if "missed_by" in row:
            t = row["target"]["max_instructions"]
            return f"**missed** by {row['missed_by']:,} ({row['vireo'] / t:.1f}× the target)"
        return f"**missed** by {row['missed_by_pct_points']:.2f} points"
    if row["status"] == "no target":
        return "—"
    return row["status"]


def xen_cell(row):
    x = row.get("xen")
    if x is None:
        return "—"
    return f"+{x:g} %" if row["id"].startswith("linux_") else f"{x:,}"


def spread(row, mode):
    r = row.get(mode + "_range")
    return f" (median; {r[0]:,}-{r[1]:,})" if r else ""


def beside(row, mode):
    """A 32-bit row's 64-bit counterpart, for its cell."""
    other = row.get("aarch64", {}).get(mode)
    return f" (64-bit: {num(other)})" if other is not None else ""


def vireo_cell(row):
    v = num(row["vireo"]) + spread(row, "vireo") + beside(row, "vireo")
    return v if row["repeatable"] else v + " (**not repeatable**)"


def native_cell(row):
    if row["native"] is None:
        return f"— ({row['native_note']})" if row["native_note"] else "—"
    return num(row["native"]) + spread(row, "native") + beside(row, "native")


WHY = {
    "trap": """Every exit takes Vireo's one general path, whatever it is
for, and the profile splits it into stages: entry and exit (the vector
saves all the guest's general registers, SP_EL0, ELR_EL2 and SPSR_EL2 in
`guest_sync`, and `guest_enter` loads them all back), the run loop
(`vcpu_run` goes round again and re-evaluates `keeps_running()`), the
list registers (`vgic_hw_flush` and `vgic_hw_sync` run on every entry and
exit, also when no interrupt is in sight), trap dispatch (`trap_handle`
reads ESR_EL2, FAR_EL2 and HPFAR_EL2 for every synchronous exit), and
only then the call (`trap_hvc`, the SMCCC owner table, and for Vireo's
own calls a linear search of `vireo_hypercall`'s table). No stage is
expensive; together they are several times the target before the call
does anything.

What would close it: answer the calls that need no state (NULL, VERSION,
PSCI_VERSION, SMCCC_VERSION, ARCH_FEATURES) in the EL2 vector, before
the register save: compare ESR_EL2.EC and w0, set x0, `eret`, some 10
instructions, as KVM does for the SMCCC workaround calls. And for every
exit: save and restore only x0-x18 and x30 around the C handlers (x19-x29
are callee-saved, so C preserves the guest's values; the few handlers
that read or write one, an emulated load into x20, a vCPU switched out,
reach them through a full save they ask for), skip the list-register
flush and sync with one test when the vCPU has nothing pending and no
list register in use, read FAR_EL2 and HPFAR_EL2 only in the abort
handlers, keep the run loop's checks to one flags word, and index the
vendor calls by function number. That makes an ordinary exit some 80-100
instructions.""",
    "mmio": """An emulated load takes the general exit path (the
vector's register save and restore, the run loop, the list registers'
flush and sync, trap dispatch: the first stages in the profile) and then
the abort path: `trap_dabt` and `dabt_decode_esr` decode the syndrome,
`mmio_find` searches the VM's device list, the device's read callback
runs (for the GIC distributor `vgic_dist_read` takes the vGIC's lock and
`dist_access_locked` decodes the offset), and `dabt_load_value` writes
the result into the guest's register and steps its PC.

What would close it: a cheaper general path (save and restore only
x0-x18 and x30 around the C handlers, x19-x29 being callee-saved; skip
the list-register flush and sync with one test when nothing is pending
and no list register is in use; keep the run loop's checks to one flags
word; read FAR_EL2 and HPFAR_EL2 only in the abort handlers), plus
decoding straight from ESR_EL2 (ISV, SAS, SSE, SRT) in one place,
looking up the VM's two hot devices (its UART and distributor) before
the list search, and answering registers that never change (GICD_TYPER,
GICD_IIDR, the PL011's ID registers) without the lock: about 40
instructions of emulation on an exit of 80-100.""",
    "timer": """The virtual timer's interrupt reaches the guest through
Vireo's physical IRQ path: the exit (`guest_irq`), `irq_handle_pending`
acknowledging the physical PPI, the vGIC model updated
(`vgic_set_level`, `vgic_trigger`) and `notify`/`vm_kick` looking for a
CPU to kick (the vCPU is on this one), and on the way back in
`vgic_hw_flush`, `vgic_fill_lrs` and `collect`, which scans the vCPU's
interrupts for the most urgent pending ones, then the list register
written. In WFI the exit began before the deadline (the WFI trap,
`vgic_has_pending`'s scan, the sleep); the wake-up after it takes the
same path as a busy guest's interrupt.

What would close it: a fast path for the hardware-linked virtual timer,
whose INTID and vCPU are known: write its list register straight from
the IRQ handler (pending, HW, physical INTID 27) without the model's
update and scan, and keep a per-vCPU bitmap of pending interrupts, so
that `collect` and `vgic_has_pending` look only at what is pending; with
the general path's savings, 150-200 instructions.""",
    "boot": """Nearly all of the difference is Vireo's own boot and
the building of the VM, before the VM's first instruction (it is in the
"before the kernel's clock starts" row, beside the kernel's own early
boot). From the moment its clock starts the kernel's run under Vireo is
as short as the native one, or shorter: natively the kernel probes more
devices (QEMU virt's PCIe, virtio-mmio, fw_cfg and RTC) than a VM has.
Building the VM now zeroes its RAM once, with `DC ZVA` (a 64-byte block an
instruction), and copies the images 8 bytes at a time; that was +38 % of
the whole run before (two passes of an 8-byte store loop and a byte copy).

What would close the rest: a trace of Vireo's boot to attribute it (the
bare-metal benchmark's whole run shows Vireo's boot alone costs about
17 million instructions: bringing up the CPUs, whose waits poll, and the
page allocator, which marks pages one bit at a time over all of RAM), a
64-byte `ldp`/`stp` copy loop, and whole-word bitmap updates in `palloc`.""",
}


# Vireo's functions whose AArch32 counterpart has another name: a 32-bit
# exit's profile is compared with the 64-bit one's under these names.
A32_SAME_AS = {"guest_sync32": "guest_sync"}
# What the AArch32 path does in a function where a 32-bit exit costs more
# than a 64-bit one (read from the code and its disassembly: the branches
# taken only for an AArch32 guest); a function not here is only named.
A32_WHY = {
    "trap_dabt": "`trap_dabt`, which steps an AArch32 guest's PC by the length ESR_EL2.IL gives and "
                 "advances its Thumb IT state (`vcpu_skip_insn()`, `aarch32_advance()`) "
                 "where an AArch64 guest's only adds 4",
    "guest_sync": "the vector, whose AArch32 entry (`guest_sync32`) tests for the hvc fast "
                  "path and then branches to the common slow path",
}


def a32_deltas(data, fid32, fid64):
    """[(Vireo function, instructions)] a 32-bit exit costs more (or less)
    than its 64-bit counterpart with one vCPU, by the traced profiles, or
    None if either figure was not traced (or takes more than one exit)."""
    p32 = data.get("profile", {}).get(fid32)
    p64 = data.get("aarch32_beside_profile", {}).get(fid64)
    if not p32 or not p64 or len(p32) != 1 or len(p64) != 1:
        return None

    def by_fn(part):
        out = {}
        for fn, k in part["functions"]:
            fn = A32_SAME_AS.get(fn, fn)
            out[fn] = out.get(fn, 0) + k
        return out
    a, b = by_fn(p32[0]), by_fn(p64[0])
    diff = [(fn, round(a.get(fn, 0) - b.get(fn, 0), 1)) for fn in set(a) | set(b)]
    # Means over the exits: what rounds to nothing is one exit's odd path.
    return sorted([(fn, round(k)) for fn, k in diff if round(k)], key=lambda d: -abs(d[1]))


def a32_paragraph(data):
    """What the 32-bit rows measure, and where they differ from the 64-bit."""
    rows = [r for r in data["figures"] if r["group"] == A32 and r["id"] != "loop32"]
    if not rows or any(r["vireo"] is None for r in rows):
        return []
    text = (
        f"The rows of \"{A32}\" are `guests/aarch32/bench32`, the same operations from a "
        "VM whose EL1 is AArch32 (HCR_EL2.RW = 0): its `hvc #0` has its own syndrome and "
        "enters through the vector table's AArch32 half, its loads are A32 `ldr`s, its "
        "timer is CNTV and its GIC's CPU interface ICC_* through CP15, and it times "
        "itself as `guests/bench` does, with ladders of 64-bit counter reads (MRRC) in two "
        "sections, since AArch32 has 15 registers. Natively it runs on "
        f"`{QEMU32}`'s `virt` with the `{CPU32}` CPU in AArch32 (QEMU's TCG cannot start a "
        "Cortex-A72 in AArch32; that needs KVM); each cell's bracket is the 64-bit figure "
        "from the rows above.")
    # The rows by how they differ from their 64-bit counterparts: the same
    # difference, and the same functions it is in, make one sentence.
    groups = {}
    for r in rows:
        other = r.get("aarch64", {}).get("vireo")
        if other is not None:
            d = a32_deltas(data, r["id"], r["aarch64"]["id"])
            key = (r["vireo"] - other, None if d is None else tuple(d))
            groups.setdefault(key, []).append((r, other))
    for (extra, d), members in groups.items():
        names = " and ".join(A32_NAMES.get(r["id"], r["id"]) for r, _ in members)
        figures = ", ".join(f"{r['vireo']:,}" + (f" against {o:,}" if extra else "")
                            for r, o in members)
        each = " each" if len(members) > 1 else ""
        if not extra:
            text += (f" {names[0].upper() + names[1:]} cost{'' if len(members) > 1 else 's'} "
                     f"the same as from AArch64 ({figures})")
            text += (": the traced exits run the same instructions in the same functions."
                     if d == () else "." if d is None else
                     ", though their exits differ in " + ", ".join(
                         f"`{fn}` ({k:+g})" for fn, k in d) + ".")
            continue
        text += (f" {names[0].upper() + names[1:]} cost{'' if len(members) > 1 else 's'} "
                 f"{extra:+,}{each} ({figures})")
        if d is None:
            text += "; not yet profiled where."
        else:
            text += ": " + "; ".join(f"{k:+g} in " + A32_WHY.get(fn, f"`{fn}`")
                                     for fn, k in d) + "."
    return para(text) + [""]


# A 32-bit row's short name for the prose.
A32_NAMES = {"null_hvc32": "the null hypercall", "mmio_gicd_typer32": "the GICD_TYPER read",
             "mmio_uartfr32": "the UARTFR read", "vtimer_busy32": "the virtual timer's latency"}


def its_cost(runs):
    """(with, without): the virtual timer's latency (busy) in the 1-vCPU
    bench VM with an ITS and without, or None if either was not run."""
    fig = [runs.get(run, {}).get("figures", {}).get("vtimer_busy")
           for run in (BI1, B1.format("vireo"))]
    return None if None in fig else tuple(fig)


def its_paragraph(runs):
    """What the LPI rows are, and what an ITS costs the other interrupts."""
    text = ("The LPI rows are Vireo's with an ITS in the VM (`vireo,its = \"on\"`; natively "
            "QEMU's own ITS, which its `virt` machine has by default), every other row is of a "
            "VM without one, the default. The guest raises each LPI by storing an EventID to "
            "`GITS_TRANSLATER`, which under Vireo and in QEMU carries DeviceID 0 for a CPU's "
            "write; the ITS maps it to an LPI on vCPU 0 or vCPU 1 (`guests/common/gic_its.c` "
            "sets the tables up).")
    cost = its_cost(runs)
    if cost and cost[0] != cost[1]:
        text += (" With an ITS every interrupt's way in looks at the LPIs too: the virtual "
                 f"timer's latency (busy) is {cost[0]:,} instructions in the VM with an ITS, "
                 f"{cost[1]:,} without.")
    elif cost:
        text += (" An ITS costs the other interrupts nothing: the virtual timer's latency "
                 f"(busy) is {cost[0]:,} instructions with it and without.")
    return para(text) + [""]


def devices_paragraph(rows):
    """How the device rows were measured, and what they say."""
    by = {r["id"]: r for r in rows}
    disk, irq, irqs = by.get("disk_read"), by.get("virtio_irq"), by.get("disk_irqs")
    if not disk or disk["vireo"] is None or disk["native"] is None:
        return []
    def rate(ns):
        return f"{DISK_MIB * 1e9 / ns:,.0f} MiB/s"

    def span(mode):
        return disk.get(mode + "_range") or [disk[mode], disk[mode]]
    (vlo, vhi), (nlo, nhi) = span("vireo"), span("native")
    overlap = vlo <= nhi and nlo <= vhi
    out = para(
        "The device rows are of devices a VM owns (`./vireo run --disk`, `--rng`; "
        "docs/config.md): QEMU's virtio-mmio transports, each reached through Vireo "
        "(a transport is 512 bytes, eight to a page), its interrupt forwarded as a "
        "hardware-linked virtual SPI, the VM's RAM at IPA = PA for the device's DMA; "
        "natively the same devices are QEMU's, at EL1. "
        f"The disk's {DISK_MIB} MiB went by the guest's clock at {rate(disk['vireo'])} "
        f"under Vireo and {rate(disk['native'])} natively (at one instruction per "
        f"nanosecond), in {num(irqs['vireo'])} and {num(irqs['native'])} completions. "
        "That figure varies from run to run, and the range is the point: a guest that "
        "waits for a device in WFI makes QEMU (`sleep=off`) move virtual time on to the "
        "next timer deadline, at a moment that depends on when the host's I/O thread "
        "finished: without the busy loop beside it the same dd measured from 69 ms to "
        "1.2 s. The loop keeps the CPU from idling, so the guest's clock counts "
        "instructions also while the host reads, and how many QEMU runs meanwhile is "
        "what varies. " + ("The ranges overlap: at this resolution the difference "
                           "is not measurable." if overlap else
                           f"The ranges do not overlap: Vireo's is {(vlo / nhi - 1) * 100:+.0f} % "
                           "or more.")) + [""]
    if irq and irq["vireo"] is not None and irq["native"] is not None:
        out += para(
            f"The interrupt path's cost, per completion: {num(irq['vireo'])} instructions "
            f"from a virtio-rng request's notify store to the guest's handler under Vireo, "
            f"{num(irq['native'])} natively (guests/devprobe, a vCPU waiting in WFI, timed "
            f"by the counter to its {TICK}-instruction tick), so about "
            f"{irq['vireo'] - irq['native']:,} of Vireo's: the notify store trapped and "
            "passed on to the device, the device's SPI taken at EL2, its list register "
            "written and the WFI left. QEMU's entropy source answers from the host's "
            "random device, in its main loop, sometimes before Vireo has put the "
            "waiting vCPU to sleep and sometimes after, so repeats may differ by that "
            "sleep and wake-up, some 400 instructions"
            + (f" (here {irq['vireo_range'][0]:,} to {irq['vireo_range'][1]:,})"
               if irq.get("vireo_range") else "") + ". Linux's disk "
            "driver also reads and acknowledges the transport's interrupt status in its "
            "handler: two more trapped accesses per completion.") + [""]
    return out


def boot_sentence(rows):
    by = {r["id"]: r for r in rows}
    before, up = by.get("linux_before_vm"), by.get("linux_uptime_1")
    if not before or before["vireo"] is None or before["native"] is None or not up["native"]:
        return []
    extra = before["vireo"] - before["native"]
    total = by["linux_boot_1"]
    ram = parse_mib(LINUX_MEM)
    image = os.path.getsize(LINUX_IMAGE) + os.path.getsize(LINUX_INITRD)
    return [f"In figures (1 CPU): {extra:,} more instructions before the kernel's clock",
            f"starts than natively, {extra / total['native'] * 100:.1f} % of the native total. "
            f"Zeroing {ram} MiB with DC ZVA is about {ram * 2**14:,} instructions;",
            f"copying {image:,} bytes of images 8 bytes at a time about {image * 3 // 8:,}. "
            "From its clock's start to power-off the kernel ran "
            f"{(up['vireo'] / up['native'] - 1) * 100:+.2f} % against native.", ""]


def parse_mib(text):
    return int(text[:-1]) * (1024 if text.endswith("G") else 1)


# Vireo's functions by the stage of an exit they belong to; the rest is
# "the handler" (what the exit was for).
STAGES = [
    ("entry and exit (vectors, guest registers)",
     {"el2_vectors", "guest_sync", "guest_sync32", "guest_irq", "guest_fiq", "guest_serror",
      "guest_aarch32",
      "guest_enter", "guest_return"}),
    ("run loop", {"vcpu_run", "vm_is_running", "keeps_running", "enter_once"}),
    ("trap dispatch", {"trap_handle", "trap_sync"}),
    ("list registers (flush, sync)",
     {"vgic_hw_flush", "vgic_hw_sync", "vgic_fill_lrs", "vgic_sync_lrs", "collect", "write_lr",
      "read_lr", "set_hcr", "nr_lrs", "vgic_lpi_collect", "vgic_lpi_sync"}),
    ("physical interrupt",
     {"irq_handle_pending", "gic_ack", "v3_ack", "gic_eoi", "v3_eoi", "gic_deactivate",
      "v3_deactivate", "gic_version", "sched_kicked", "sched_timer_interrupt", "irq_wait"}),
    ("vGIC model (pending state, kicks)",
     {"vgic_trigger", "vgic_set_level", "notify", "vm_kick", "kick", "vgic_has_pending",
      "vgic_irq", "v3_send_sgi", "gic_send_sgi", "vgic_lpi_set_pending", "vgic_lpi_has_pending"}),
    ("scheduling and vCPU switch",
     {"cpu_loop", "entry_of", "runq_pick", "runq_next_deadline", "runq_count_runnable",
      "sched_program_timer", "sched_alone", "sched_yield_soon", "vgic_hw_load", "vgic_hw_put",
      "load", "put", "fpsimd_cptr_for", "stage2_vttbr", "pv_running", "pv_descheduled",
      "publish_page", "v3_clear_active_private", "gic_clear_active_private"}),
]


def stages(functions):
    """[(stage, instructions)] of one exit's mean breakdown, the handler last."""
    totals = {name: 0.0 for name, _ in STAGES}
    rest = 0.0
    for fn, k in functions:
        for name, members in STAGES:
            if fn in members:
                totals[name] += k
                break
        else:
            rest += k
    return [(n, k) for n, k in totals.items() if k] + ([("the handler", rest)] if rest else [])


def profile_table(parts):
    lines = []
    for part in parts:
        st = ", ".join(f"{name} {k:g}" for name, k in stages(part["functions"]))
        fns = ", ".join(f"`{fn}` {k:g}" for fn, k in part["functions"] if k >= 0.5)
        lines.append(f"- {part['exit']} (`{part['guest_function']}`, {part['exits']} exits): "
                     f"**{part['instructions']:g}** instructions in Vireo per exit: {st}.  ")
        lines.append(f"  By function: {fns}.")
    return lines


def pi_cell(row, mode):
    v = row[mode]
    if v is None:
        return f"— ({row['v3_note']})" if mode == "vireo" and row["v3_note"] else "—"
    cell = num(v) + spread(row, mode)
    if mode == "pi" and row.get("pi_total_spread"):
        cell += f" (another repeat: +{row['pi_total_spread']})"
    return cell if row["repeatable"] else cell + " (**not repeatable**)"


def pi_table(pi_rows):
    out = ["| Figure | " + " | ".join(h for _, h in PI_COLUMNS) + " | Pi − virt GICv2 |",
           "|---|" + "--:|" * (len(PI_COLUMNS) + 1)]
    group = None
    for row in pi_rows:
        if row["group"] != group:
            group = row["group"]
            out.append(f"| **{group}** |" + " |" * (len(PI_COLUMNS) + 1))
        diff = f"{row['pi_minus_v2']:+,}" if "pi_minus_v2" in row else "—"
        out.append(f"| {row['title']} | " + " | ".join(pi_cell(row, m) for m, _ in PI_COLUMNS)
                   + f" | {diff} |")
    return out


def para(text, bullet=False):
    """A paragraph (or a list item) of the document, wrapped as the rest is."""
    return textwrap.wrap(text, 72, initial_indent="- " if bullet else "",
                         subsequent_indent="  " if bullet else "",
                         break_long_words=False, break_on_hyphens=False)


class PiData:
    """What the Pi's section is written from: its rows by id, the traced
    exits (pi and v2) and the runs."""

    def __init__(self, data):
        self.rows = data.get("raspi3b_figures") or []
        self.by = {r["id"]: r for r in self.rows}
        self.runs = data["runs"]
        prof = data.get("raspi3b_profile", {})
        self.prof, self.pp, self.vp = prof, prof.get("pi", {}), prof.get("v2", {})
        self.data = data

    def fig(self, fid, mode="pi"):
        return self.by[fid][mode]

    @staticmethod
    def part(prof, fid, fn):
        """The traced exit of figure fid left from guest function fn, or None."""
        return next((x for x in prof.get(fid, []) if x["guest_function"] == fn), None)

    @staticmethod
    def fn_total(part, *names):
        """A traced exit's instructions in these of Vireo's functions."""
        return sum(k for f, k in part["functions"] if f.split(".")[0] in names) if part else 0

    def extra(self):
        """What the acknowledge and the end cost the Pi over a GIC's."""
        return self.fig("vtimer_ack_end") - self.fig("vtimer_ack_end", "v2")


def pi_section(data):
    """docs/benchmarks.md's Raspberry Pi section: its table, what the
    software CPU interface costs, what else differs, and the profile."""
    d = PiData(data)
    if not d.rows or d.fig("null_hvc") is None or d.fig("null_hvc", "v2") is None:
        return []
    return pi_intro(d) + pi_cpuif_costs(d) + pi_differences(d) + pi_profile(d)


def pi_intro(d):
    data, runs, pi_rows, fig = d.data, d.runs, d.rows, d.fig
    spreads = [runs[r]["total_instructions_seen"] for r in runs
               if r.split("-")[1] == "pi" and "total_instructions_seen" in runs[r]]
    slack = max((s[-1] - s[0] for s in spreads), default=0)
    repeatable = all(r["repeatable"] for r in pi_rows)
    out = ["## Raspberry Pi 3B (QEMU raspi3b)", ""]
    out += para(
        f"The same bare-metal benchmark and the same Linux boot under Vireo on QEMU's "
        f"`{PI_BOARD}` (`./vireo run --board {PI_BOARD}`): four Cortex-A53s and 1 GiB, CPUs "
        "started through a spin table, no PSCI firmware and no GIC, only the BCM2836's "
        "per-core interrupt controller and the BCM2835's. Nothing runs natively to compare "
        "with: without PSCI and a GIC the benchmark guest cannot run there without a "
        "hypervisor. So the Pi's figures stand beside the same figures under Vireo on "
        "`virt`, with a GICv2 (`--gic 2`, the fairest comparison: the VM sees the same "
        "GICv2 as on the Pi, but its CPU interface is the GIC's own virtual one, with list "
        "registers) and with the GICv3 of the table above. Each run was done "
        f"{data['repeats']} times and gave "
        + ("the same figures every time" if repeatable else
           "DIFFERENT figures (see \"Not repeatable\" below)")
        + (f"; the Pi's totals are the smallest of its repeats', which differed by up to "
           f"{slack:,} instructions: Vireo powers the Pi off through the PM watchdog, a write "
           "that asks QEMU's main loop for the reset while the CPU that made it may run on "
           "to its `wfi` (Vireo's `dsb`, `ret` and `wfi`)." if slack else "."))
    out += [""] + pi_table(pi_rows) + [""]
    out += para(
        "The \"—\" of the GICv3 column: a GICv3's CPU interface is system registers "
        "(ICC_IAR1_EL1, ICC_EOIR1_EL1) that Vireo does not trap, so there is no access to "
        "time; a GICv2's virtual CPU interface does not trap either (the GICv2 column's "
        f"{fig('mmio_gicc_iar', 'v2')} and {fig('mmio_gicc_eoir', 'v2')}: the load and the "
        "store alone).")
    return out + [""]


def pi_cpuif_costs(d):
    fig, part, fn_total, pp = d.fig, d.part, d.fn_total, d.pp
    iar, eoir, typer = fig("mmio_gicc_iar"), fig("mmio_gicc_eoir"), fig("mmio_gicd_typer")
    ack_pi, ack_v2, extra = fig("vtimer_ack_end"), fig("vtimer_ack_end", "v2"), d.extra()
    out = ["### What the software CPU interface costs", ""]
    out += para(
        "On a GIC the guest acknowledges an interrupt (GICC_IAR, or ICC_IAR1_EL1 on a "
        "GICv3) and ends it (GICC_EOIR, ICC_EOIR1_EL1) without leaving the VM. The Pi's "
        "interrupt controllers have no virtual CPU interface, so Vireo leaves the VM's "
        "GICC unmapped and emulates it (`hv/arch/aarch64/el2/vgic_sw.c`, "
        "`hv/vdev/vgic_cpuif.c`): every access traps, and the pending interrupt reaches "
        "the vCPU through HCR_EL2.VI. Each interrupt therefore costs two exits more than "
        "on a GIC, its acknowledge and its end:")
    out += [""]
    out += para(
        f"With nothing pending they cost **{iar}** and **{eoir}** instructions (the GICC_IAR "
        f"and GICC_EOIR rows), {iar - typer} and {eoir - typer} more than an emulated "
        f"GICD_TYPER read ({typer}): besides the general exit path and the data abort's "
        "decoding, the access fills the list registers from the vGIC model and gives them "
        "back to it (`cpuif_access`, `vgic_fill_lrs`, `collect`, `vgic_sync_lrs`), as an "
        "entry and an exit would.", bullet=True)
    text = (
        "With an interrupt in flight they cost more. The virtual timer's handler from its "
        f"GICC_IAR read to just after its GICC_EOIR write is {ack_v2} instructions on virt "
        f"with a GICv2, all of them the handler's own, and {ack_pi:,} on the Pi: "
        f"**{extra:,} more for the two exits**, some {extra // 2:,} each.")
    ia = part(pp, "vtimer_ack_end", "bench_irq_v2")
    ea = part(pp, "vtimer_ack_end", "bench_irq_v2_end")
    if ia and ea:
        model = ("vgic_fill_lrs", "collect", "vgic_sync_lrs", "best_pending", "acknowledge",
                 "group_priority", "set_hcr", "read_lr", "write_lr", "nr_lrs")
        idle = fn_total(part(pp, "mmio_gicc_iar", "op_gicc_iar"), *model)
        text += (
            " In the profile below (means over every interrupt of the 2-vCPU run, timers' "
            f"and SGIs') the acknowledge costs {ia['instructions']:g} and the end "
            f"{ea['instructions']:g}: the list registers now hold the interrupt, so filling "
            "them, choosing the one to acknowledge (`best_pending`), giving them back to the "
            f"model and recomputing the vCPU's IRQ line (`set_hcr`) come to "
            f"{fn_total(ia, *model):g} and {fn_total(ea, *model):g} instructions (against "
            f"{idle:g} with nothing pending); and the end of the virtual timer's interrupt, "
            "which is linked to the physical one, also unmasks that in the BCM2836's "
            "controller (`bcm_set_active`), which a GIC's list register does by itself.")
    out += para(text, bullet=True) + [""]
    vb = {m: fig("vtimer_busy", m) for m in ("pi", "v2", "vireo")}
    vs = {m: fig("vm_switch", m) for m in ("pi", "v2", "vireo")}
    text = (
        "The latency rows measure from the deadline (or the sender's store) to the "
        "handler's first instruction: they do **not** include these two exits, which come "
        f"after. On the Pi an interrupt costs its latency row plus some {extra:,} "
        "instructions for its acknowledge and end; on a GIC, its latency row and the "
        f"handler's own instructions. The virtual timer with the guest busy: {vb['pi']} + "
        f"{extra:,} = **{vb['pi'] + extra:,}** on the Pi, against {vb['v2']} on virt with a "
        f"GICv2 and {vb['vireo']} with a GICv3.")
    if all(vs.values()):
        text += (
            " The VM-switch round trip does include one acknowledge and end, the other "
            "VM's (its handler runs whole before it rings back): its "
            f"{vs['pi'] - vs['v2']:+,} against virt's GICv2 is about what those two exits "
            "cost.")
    out += para(text) + [""]

    return out


def pi_differences(d):
    fig, part, fn_total, pp, vp, runs, pi_rows = (d.fig, d.part, d.fn_total, d.pp, d.vp,
                                                  d.runs, d.rows)
    out = []
    uptime = {m: fig("linux_uptime_2", m) for m in ("pi", "v2", "vireo")}
    before = {m: fig("linux_before_vm_2", m) for m in ("pi", "v2", "vireo")}
    bare_pi = runs.get("bare-pi-1cpu", {}).get("total_instructions")
    bare_v2 = runs.get("bare-v2-1cpu", {}).get("total_instructions")
    vtp = part(pp, "vtimer_busy", "wait_vtimer_busy")
    vtv = part(vp, "vtimer_busy", "wait_vtimer_busy")
    same = [r for r in pi_rows if r["group"] in ("Hypercalls", "Emulated MMIO",
                                                  "Trapped system registers",
                                                  "Paravirtual interface")]
    most = max(abs(r["pi_minus_v2"]) for r in same)
    out += ["### What else differs on the Pi", ""]
    text = (
        "The CPU is a Cortex-A53, not an A72, but QEMU's TCG counts instructions the same "
        "way whatever the model, so the figures count the same code: the hypercall, MMIO, "
        "system-register and console rows are "
        + ("the same on both boards, to the instruction. " if not most else
           f"within {most} instructions on both boards. ")
        + "A physical interrupt reaches Vireo through the BCM2836's per-core controller "
        "instead of a GIC (`hv/drivers/irqchip/bcm2836.c`): Vireo reads the core's IRQ "
        "source register for what is pending, and there is no end of interrupt to write; "
        "having no active state, the controller gets the virtual timer's interrupt masked "
        "(a read and a write of the core's timer control register) from its acknowledge "
        "until the guest ends it, where a GIC holds it active and a list register links "
        "it to the physical one")
    if vtp and vtv:
        lrs = ("read_lr", "write_lr", "nr_lrs")
        line = ("set_hcr", "best_pending", "group_priority")
        text += (
            f". In the busy virtual timer's exit, `bcm_ack` and `bcm_eoi` cost "
            f"{fn_total(vtp, 'bcm_ack'):g} and {fn_total(vtp, 'bcm_eoi'):g} instructions "
            f"against the GICv2's `v2_ack` {fn_total(vtv, 'v2_ack'):g} and `v2_eoi` "
            f"{fn_total(vtv, 'v2_eoi'):g}. The list registers are memory on the Pi, not the "
            f"GIC's: reading and writing them costs {fn_total(vtp, *lrs):g} instructions "
            f"against {fn_total(vtv, *lrs):g}; but telling the vCPU it has an interrupt "
            "takes the software CPU interface finding the best pending one for an "
            f"HCR_EL2.VI write (`set_hcr`, `best_pending`): {fn_total(vtp, *line):g} "
            f"against the GIC's {fn_total(vtv, *line):g}")
    latency = [r for r in pi_rows if r["group"] in ("Timer interrupt latency", "Virtual IPI")]
    text += (". The latency rows differ from virt's GICv2 by at most "
             f"{max(abs(r['pi_minus_v2']) for r in latency)} instructions either way")
    out += para(text + ".") + [""]
    if bare_pi and bare_v2 and all(before.values()):
        out += para(
            "Vireo's own boot makes most of the Pi's totals. It starts each of the other "
            "CPUs through the spin table and waits for it by polling the counter, for up to "
            "a second (`hv/core/smp.c`, `wait_online()`). Under `-icount` QEMU runs the CPUs "
            "one at a time, and the polling CPU does not give way until its time slice "
            "ends, so a released CPU starts late: CPU 1 does not come online within its "
            "second at all (Vireo says so; it comes online later, while the VM runs), CPUs "
            "2 and 3 after a wait. The bare-metal benchmark's whole run is "
            f"{bare_pi:,} instructions on the Pi against {bare_v2:,} on virt with a GICv2, "
            f"and the Linux boot's \"before the kernel's clock starts\" {before['pi']:,} "
            f"against {before['v2']:,}. From the moment its clock starts the kernel's run on "
            f"the Pi is {(uptime['pi'] / uptime['v2'] - 1) * 100:+.2f} % against virt with "
            f"a GICv2 ({(uptime['pi'] / uptime['vireo'] - 1) * 100:+.2f} % against the "
            "GICv3), on a machine whose devices differ besides.")
        out += [""]
    return out


def pi_profile(d):
    if not d.pp:
        return []
    out = ["### Where the Pi's extra exits go", ""]
    out += para(
        "From QEMU's execution trace of the 2-vCPU run on the Pi (and, for the timer, on "
        "virt with a GICv2), as in \"Where every exit's instructions go\" below.")
    out += [""]
    for fid, modes in (("mmio_gicc_iar", ("pi",)), ("mmio_gicc_eoir", ("pi",)),
                       ("vtimer_ack_end", ("pi",)), ("vtimer_busy", ("pi", "v2"))):
        for mode, where in (("pi", "the Pi"), ("v2", "virt, GICv2")):
            parts = d.prof.get(mode, {}).get(fid)
            if mode in modes and parts:
                out += [f"**{d.by[fid]['title']}**, {where}", ""] + profile_table(parts) + [""]
    return out


def write_doc(data, command):
    rows = data["figures"]
    fp = data["footprint"]
    out = [
        "# Vireo's benchmarks",
        "",
        "<!-- Written by tools/bench.py (make bench). Edit the generator, not this file. -->",
        "",
        f"Produced by `{command}` with QEMU {data['qemu']}, Vireo at `{data['vireo']}`",
        f"and Debian's kernel {data['inputs'].get('linux_package', '(unknown)')}, on",
        "QEMU's `virt` machine (GICv3, Cortex-A72), and on its `raspi3b` in a section",
        "of its own (the Raspberry Pi 3B). Every figure is a number of",
        "instructions executed by the emulated machine, counted by QEMU under",
        "`-icount shift=0,sleep=off`; each run was done "
        f"{data['repeats']} times and gave {'the same figures every time' if data['repeatable'] else 'DIFFERENT figures (see below)'}.",
        "`build/bench/results.json` holds the same numbers, the QEMU command",
        "line of every run and the digests of the images run: other images",
        "(a rebuilt initramfs, another kernel) give other figures.",
        "",
        "## How to read them",
        "",
        "Under `-icount shift=0,sleep=off` QEMU advances virtual time by one",
        "nanosecond per instruction executed, at any exception level and on any",
        "CPU. The generic counter ticks every 16 ns (62.5 MHz), and the",
        "bare-metal benchmark guest (`guests/bench`) reads it to the",
        "instruction: 17 reads in a row, one instruction apart, contain exactly",
        "one tick, and the read at the tick happened at a known nanosecond",
        "(`guests/bench/bench.S`). No hypervisor traps the counter, so the",
        "guest times itself the same way under Vireo and natively; the first",
        f"row checks it on a loop of {LOOP:,} instructions. An operation's cost is",
        "the time across it less the time across nothing; an interrupt's",
        "latency is the time of its handler's first instruction less the",
        "moment it was due (the timer's deadline, the sender's `MSR`,",
        "`GITS_TRANSLATER` store or `hvc`). A whole run's total is QEMU's",
        "own instruction count (QMP `query-replay`) at power-off. The Linux",
        "workload is timed by the guest's own clock (`/proc/timer_list`), in",
        "nanoseconds, that is, instructions.",
        "",
        "**Native** is the same work on the same QEMU machine without Vireo:",
        "the guest alone at EL1 (no EL2), the devices QEMU's own, and `hvc`",
        "answered by QEMU's built-in PSCI firmware, which is C inside QEMU. So",
        "a native hypercall or device access costs just the instruction itself,",
        "one. The null hypercall is NOT_SUPPORTED there (QEMU knows no Vireo",
        "calls): natively it measures QEMU's firmware path, which costs the",
        "`hvc` alone. The ratio is the point of those rows.",
        "",
        "An `hvc` or a trap counts as one instruction however long it takes on",
        "hardware, and QEMU runs its CPUs one at a time, so these figures",
        "measure Vireo's software path length, not time. For the same reason",
        "an IPI's figure (and an LPI's to vCPU 1) includes the sender's whole",
        "trap and return (which hardware would run beside the receiver's",
        "path) and a few sender instructions up to the `WFE` that yields to",
        "the receiver's CPU; \"of which the sender's\" gives that part alone.",
        "",
        "## Results",
        "",
        "| Figure | Vireo | Native | Vireo ÷ native | Target | Xen 4.17 | Target met |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    group = None
    for row in rows:
        if row["group"] != group:
            group = row["group"]
            out.append(f"| **{group}** | | | | | | |")
        out.append(f"| {row['title']} | {vireo_cell(row)} | {native_cell(row)} | "
                   f"{ratio_cell(row)} | {target_cell(row)} | {xen_cell(row)} | "
                   f"{status_cell(row)} |")
    out += [
        "",
        "Instructions, except the two workload rows: nanoseconds of the guest's",
        "clock, which under `-icount` are instructions too. Linux runs with",
        f"{LINUX_MEM.replace('M', ' MiB')} of RAM, natively the machine's, under Vireo the VM's",
        f"(in a {HOST_MEM.replace('G', ' GiB')} machine); the totals run from reset to power-off and",
        "include everything the machine did, Vireo's boot too. Xen 4.17's",
        "figures were measured the same way (the task's reference).",
        "",
    ]
    out += a32_paragraph(data)
    out += its_paragraph(data["runs"])
    out += devices_paragraph(rows)
    out += pi_section(data)
    out += [
        "## Footprint",
        "",
        "| | |",
        "|---|--:|",
        f"| Code (`.text`) | {fp['text']:,} bytes |",
        f"| Read-only data (`.rodata`, relocations, GOT) | {fp['rodata']:,} bytes |",
        f"| Data (`.data`) | {fp['data']:,} bytes |",
        f"| Zeroed data (`.bss`: stacks, page-table pool, allocator bitmap) | {fp['bss']:,} bytes |",
        f"| Image file (`build/vireo.bin`) | {fp['image_file']:,} bytes |",
        f"| RAM Vireo keeps for itself: its image with `.bss` | {fp['image_in_memory']:,} bytes "
        f"({fp['image_in_memory'] / 1024:,.0f} KiB) |",
    ]
    if fp.get("machine_mib") is not None:
        out.append(f"| Free after Vireo's boot, as it reports it | {fp['free_mib_at_boot']:,} of "
                   f"{fp['machine_mib']:,} MiB |")
    out += [
        f"| Lines of C in `hv/` (`.c`, `.h`): all / code | {fp['lines_c']:,} / {fp['code_lines_c']:,} |",
        f"| Lines of assembly in `hv/` (`.S`): all / code | {fp['lines_asm']:,} / "
        f"{fp['code_lines_asm']:,} |",
        "",
        "\"Code\" lines are those left when blank lines and comments are taken",
        "out. The image includes Debian's libfdt, linked in; its lines are not",
        "counted. Each VM also takes its RAM, its stage-2 tables and a page or",
        "two for its device tree and PV records.",
        "",
    ]
    missed = [r for r in rows if r["status"] == "missed"]
    out += ["## Where the targets are missed, and what would close them", ""]
    if not missed:
        out += ["Every target is met.", ""]
    figs = {f.fid: f for f in FIGURES}
    done = set()
    for row in missed:
        why = figs[row["id"]].why
        if why in done:
            continue
        done.add(why)
        same = [r for r in missed if figs[r["id"]].why == why]
        out.append("### " + "; ".join(f"{r['title']}: {status_cell(r).replace('**', '')}"
                                       for r in same))
        out += [""] + WHY[why].split("\n") + [""]
        if why == "boot":
            out += boot_sentence(rows)
            if data.get("boot_profile"):
                bp = data["boot_profile"]
                top = list(bp.items())[:12]
                out += ["Vireo's instructions over the whole 1-CPU boot, by function (the "
                        "`--profile-boot` trace; the trap handling while the kernel runs is in "
                        f"it too): {sum(bp.values()):,} in all; "
                        + ", ".join(f"`{fn}` {n:,}" for fn, n in top) + ".", ""]
        for r in same:
            if r["id"] in data.get("profile", {}):
                st = "; ".join(f"{p['exit']}: {p['instructions']:g} in Vireo, of which "
                               + ", ".join(f"{n} {k:g}" for n, k in stages(p["functions"]))
                               for p in data["profile"][r["id"]])
                out += [f"Profile, {r['id']}: {st}.", ""]
    if data.get("profile"):
        out += [
            "## Where every exit's instructions go",
            "",
            "From QEMU's execution trace of the bare-metal benchmark under Vireo",
            "(`tools/bench.py` with `-d in_asm,exec,nochain`), in its 2-vCPU run and",
            "the VM-switch run (the LPIs' in the 2-vCPU run with an ITS; the 32-bit",
            "guest's in its own 1-vCPU run), so a path that loops over a VM's vCPUs",
            "can cost a little more here than in the 1-vCPU figures above. Each",
            "exit is named after the guest function it",
            "left, and its instructions are shared out among Vireo's functions",
            "(mean per exit; `build/bench/results.json` also has the order they",
            "ran in, `profile.*.path`).",
            "",
        ]
        for row in rows:
            if row["id"] in data["profile"]:
                out += [f"**{row['title']}**", ""] + profile_table(data["profile"][row["id"]]) + [""]
    if not data["repeatable"]:
        out += ["## Not repeatable", "", "These runs gave different figures between repeats:", ""]
        out += [f"- {run}: {', '.join(keys)}" for run, keys in data["differences"].items()] + [""]
    out += [
        "## Running it",
        "",
        "    make bench                     # everything: a few minutes",
        "    tools/bench.py --only bare     # the bare-metal benchmark alone (virt's)",
        "    tools/bench.py --only raspi3b  # the Raspberry Pi's runs alone",
        "    tools/bench.py --only aarch32  # the 32-bit guest's runs alone",
        "    tools/bench.py --profile-boot  # and where Vireo's instructions go in a Linux boot",
        "",
        "`make bench` runs `scripts/setup.sh` and `make` first. The bare-metal",
        "guest runs by itself too: `./vireo run --icount --kernel",
        "build/guests/bench.bin` (add `--cpus 2 --host-cpus 2` for the IPI",
        "figures; `--vm kernel=build/guests/bench.bin,its=on` instead of",
        "`--kernel` for the LPI ones, `cpus=2` in it for vCPU 1's), or",
        "natively `qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a72",
        "-m 1G -nographic -icount shift=0,sleep=off -kernel",
        "build/guests/bench.bin`; on the Pi `./vireo run --icount --board",
        "raspi3b --kernel build/guests/bench.bin` (add `--cpus 2`). The 32-bit",
        "guest: `./vireo run --icount --kernel build/guests/aarch32/bench32.bin`,",
        f"or natively `{QEMU32} -M virt,gic-version=3 -cpu {CPU32} -m {BENCH32_MEM}",
        "-nographic -icount shift=0,sleep=off -kernel",
        "build/guests/aarch32/bench32.bin`.",
        "`tests/run.py -k bench` checks that virt's figures repeat exactly.",
        "",
    ]
    with open(DOC, "w") as f:
        f.write("\n".join(out))


def method_problems(rows, pi_rows):
    """The guests' timing must read a known loop exactly, everywhere."""
    loop = next(r for r in rows if r["id"] == "loop")
    loop32 = next(r for r in rows if r["id"] == "loop32")
    pi_loop = next(r for r in pi_rows if r["id"] == "loop")
    return [f"the {'32-bit ' if row is loop32 else ''}guest timed a {LOOP:,}-instruction "
            f"loop as {row[m]:,} ({m}): its timing is broken"
            for row, modes in ((loop, ("vireo", "native")), (loop32, ("vireo", "native")),
                               (pi_loop, ("pi", "v2")))
            for m in modes if row[m] is not None and row[m] != LOOP]


def check(runs, rows, pi_rows, differ, repeats):
    """--check: every figure these runs give is there, and repeats."""
    names = {r.name for r in runs}
    figs = {f.fid: f for f in FIGURES}
    problems = []
    for row in rows:
        fig = figs[row["id"]]
        for source, mode in ((fig.vireo, "vireo"), (fig.native, "native")):
            if source and source[0].format(mode) in names and row[mode] is None:
                problems.append(f"{row['id']}: no {mode} figure")
    for fig, row in zip(PI_FIGURES, pi_rows):
        for mode in ("pi", "v2"):
            source = fig.sources[mode]
            if source[0].format(mode) in names and row[mode] is None:
                problems.append(f"{row['id']}: no {mode} figure")
    for run, keys in differ.items():
        problems.append(f"{run}: {', '.join(keys)} differ between repeats")
    problems += method_problems(rows, pi_rows)
    measured = [r for r in rows if r["vireo"] is not None] + \
        [r for r in pi_rows if r["pi"] is not None or r["v2"] is not None]
    slack = max(r.total_slack for r in runs)
    for p in problems:
        print(f"bench: FAIL: {p}")
    if not problems:
        varying = sum(r.varies for r in runs)
        print(f"bench: repeatable: {len(measured)} figures and {len(runs) - varying} runs' totals "
              f"the same in {repeats} repeats"
              + (f" (the Pi's to within {slack} instructions)" if slack else "")
              + (f"; {varying} runs with devices vary: medians" if varying else ""))
    return 1 if problems else 0


def make_disk_image():
    """The disk runs' disk: DISK_MIB MiB of zeros, a sparse file."""
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(DISK_IMAGE, "wb") as f:
        f.truncate(DISK_MIB << 20)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=2, help="times to do each run (default 2)")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2, help="QEMUs at once")
    ap.add_argument("--only", choices=["bare", "linux", "raspi3b", "aarch32"], action="append",
                    help="only these runs: virt's bare-metal or Linux ones, the Pi's, or the "
                         "32-bit guest's; may be given more than once (results.json only: "
                         "the document wants them all)")
    ap.add_argument("--no-profile", action="store_true",
                    help="skip the traced run that shares each exit out among Vireo's functions")
    ap.add_argument("--profile-boot", action="store_true",
                    help="also trace a Linux boot under Vireo and share its instructions out "
                         "among Vireo's functions (minutes, and 1.5 GB in the temporary directory)")
    ap.add_argument("--no-doc", action="store_true", help=f"do not write {DOC}")
    ap.add_argument("--check", action="store_true",
                    help="only check that every figure of the runs is there and the same in "
                         "every repeat (tests/run.py does, with --only bare); writes nothing")
    args = ap.parse_args()
    command = os.environ.get("VIREO_BENCH_COMMAND") or shlex.join(["tools/bench.py"] + sys.argv[1:])

    for path in (HYPERVISOR_ELF, BENCH_GUEST, DEVPROBE, BENCH32_GUEST):
        if not os.path.isfile(path):
            sys.exit(f"bench: {path} is missing: run make first")
    only = set(args.only) if args.only else None
    if only is None or only & {"linux", "raspi3b"}:
        for path in (LINUX_IMAGE, LINUX_INITRD):
            if not os.path.isfile(path):
                sys.exit(f"bench: {path} is missing: run scripts/setup.sh first")
    runs = all_runs(only)
    if any(r.kind == "disk" for r in runs):
        make_disk_image()
    start = time.monotonic()
    images = tempfile.TemporaryDirectory(prefix="vireo-bench-images-")
    snapshot(images.name)
    try:
        results, differ = run_all(runs, max(1, args.runs), args.j)
        prof, pi_prof, a64_prof = {}, {}, {}
        if not args.no_profile:
            a32 = (PROFILE32_RUN, PROFILE32_BESIDE) if any(
                r.name == PROFILE32_RUN for r in runs) else ()
            traced = trace_all({r.name: r for r in runs},
                               PROFILE_RUNS + a32 + sum(PI_PROFILE_RUNS.values(), ()), args.j)
            prof = profile([traced[n] for n in PROFILE_RUNS if n in traced], PROFILE_EXITS)
            if PROFILE32_RUN in traced:
                prof.update(profile([traced[PROFILE32_RUN]], PROFILE32_EXITS))
            if PROFILE32_BESIDE in traced and a32:
                a64_prof = profile([traced[PROFILE32_BESIDE]],
                                   {fid: PROFILE_EXITS[fid] for fid in A32_PAIRS.values()})
            for mode, names in PI_PROFILE_RUNS.items():
                if any(n in traced for n in names):
                    pi_prof[mode] = profile([traced[n] for n in names if n in traced],
                                            PI_PROFILE_EXITS)
        boot_prof = None
        if args.profile_boot:
            with tempfile.TemporaryDirectory(prefix="vireo-bench-trace-") as tmp:
                boot_prof = whole_run_profile(Run("boot-vireo-1cpu", "boot", "vireo", 1),
                                              os.path.join(tmp, "boot.log"))
    except Failed as e:
        sys.exit(f"bench: FAILED: {e}")
    repeatable = figure_repeatability(differ)
    rows = [evaluate(fig, results, repeatable) for fig in FIGURES]
    pi_rows = [evaluate_pi(fig, results, differ) for fig in PI_FIGURES]
    if args.check:
        sys.exit(check(runs, rows, pi_rows, differ, max(1, args.runs)))
    data = {
        "command": command,
        "qemu": qemu_version(),
        "vireo": vireo_version(),
        "inputs": inputs(),
        "machine": {"qemu_machine": MACHINE, "cpu": CPU, "icount": ICOUNT[1],
                    "bare_metal_ram": BARE_MEM, "linux_ram": LINUX_MEM,
                    "vireo_machine_ram": HOST_MEM},
        "aarch32_native_machine": {"qemu": QEMU32, "qemu_machine": MACHINE, "cpu": CPU32,
                                   "ram": BENCH32_MEM},
        "raspi3b_machine": {"qemu_machine": PI_BOARD, "cpu": PI_CPU, "cpus": PI_CPUS,
                            "ram": HOST_MEM, "total_slack": PI_POWER_OFF_SLACK},
        "repeats": max(1, args.runs),
        "repeatable": not differ,
        "differences": differ,
        "figures": rows,
        "raspi3b_figures": pi_rows,
        "footprint": footprint(results),
        "runs": results,
        "profile": prof,
        "raspi3b_profile": pi_prof,
        # The 64-bit guest's exits with one vCPU, beside the 32-bit one's.
        "aarch32_beside_profile": a64_prof,
    }
    if boot_prof:
        data["boot_profile"] = boot_prof
    os.makedirs(OUT_DIR, exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    if not args.no_doc and not args.only:
        write_doc(data, command)
    for row in rows:
        if row["vireo"] is not None:
            print(f"bench: {row['id']:<18} vireo {num(row['vireo']):>15}  native "
                  f"{num(row['native']):>15}  {row['status']}")
    for row in pi_rows:
        if row["pi"] is not None or row["v2"] is not None:
            print(f"bench: {row['id']:<18} pi    {num(row['pi']):>15}  virt-v2 "
                  f"{num(row['v2']):>15}  virt-v3 {num(row['vireo']):>15}")
    print(f"bench: wrote {os.path.relpath(RESULTS, TOP)}"
          + ("" if args.no_doc or args.only else f" and {os.path.relpath(DOC, TOP)}")
          + f" in {time.monotonic() - start:.0f} s")
    bad = method_problems(rows, pi_rows)
    for p in bad:
        print(f"bench: FAILED: {p}")
    if differ:
        print("bench: NOT REPEATABLE: " + "; ".join(f"{k}: {', '.join(v)}"
                                                   for k, v in differ.items()))
    if differ or bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
