"""The integration scenarios: each boots Vireo in QEMU with some guests.

A case lists the launcher arguments, the lines that must appear in order
(`expect`), lines that must appear in any order (`expect_any`), lines that
must not appear (`forbid`), and the launcher's exit status. A case whose
boot does not end by itself (Vireo halting on purpose, a guest that resets
forever) names an `until` line; the runner stops QEMU when that line has
appeared `until_count` times instead of waiting for the timeout.
Patterns are Python regular expressions matched against whole lines.

`inputs` drives a console: a list of (pattern, text) pairs, taken in order;
when an output line, or the line being printed (a prompt has no newline
yet), contains a match for the first pattern not yet used, the runner
writes its text to the launcher's standard input. A text may instead be a
function of one argument, run in a thread of its own at that point (gdb,
in cases_gdb.py) and given a function that writes to that input. `checks` are more
functions of the output lines, each returning a list of problems.

`timeout` is in wall seconds for the whole run: the launcher stops QEMU
then, and the case fails. QEMU's speed depends on what else the machine
runs, so each timeout is several times what its case takes with two
CPU-bound processes beside make test on a 2-core machine, where the
suite must pass; VIREO_TEST_SLOWDOWN=F in the environment multiplies them
all by F, for a slower machine. What a test measures is kept apart from
the wall clock: under `--icount` guest time counts instructions, and a
guest waits for an event (a byte typed on its console when the output
shows it is time) rather than for a time.

`args` may be a function, called after `setup`, for arguments that depend
on what setup made. A case with `native=True` gives a whole command
instead of launcher arguments: the Linux cases have native twins that boot the same kernel and
initramfs directly on QEMU, which tells a broken guest image from a broken
hypervisor (docs/linux.md).
"""
import os
import re
import subprocess
import tempfile
import threading

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUESTS = os.path.join(TOP, "build", "guests")
TMP = os.path.join(TOP, "build", "test-tmp")
LINUX_DIR = os.path.join(TOP, ".deps", "guest")
LINUX_IMAGE = os.path.join(LINUX_DIR, "Image")
LINUX_INITRD = os.path.join(LINUX_DIR, "initramfs.cpio.gz")
SLOWDOWN = float(os.environ.get("VIREO_TEST_SLOWDOWN", "1"))


class Case:
    def __init__(self, name, args, expect=(), expect_any=(), forbid=(), status=0,
                 until=None, until_count=1, timeout=60, setup=None, inputs=(), checks=(),
                 native=False):
        self.name, self.args, self.until = name, args, until
        self.timeout = timeout * SLOWDOWN
        self.until_count = until_count
        self.expect, self.expect_any, self.forbid = expect, expect_any, forbid
        self.status, self.setup = status, setup
        self.inputs, self.checks, self.native = list(inputs), list(checks), native

    def check(self, lines, returncode):
        """Returns the list of problems with this output (empty: passed)."""
        problems = []
        i = 0
        for pattern in self.expect:
            while i < len(lines) and not re.fullmatch(pattern, lines[i]):
                i += 1
            if i == len(lines):
                problems.append(f"missing (in order): {pattern}")
                break
            i += 1
        for pattern in self.expect_any:
            if not any(re.fullmatch(pattern, line) for line in lines):
                problems.append(f"missing: {pattern}")
        for pattern in self.forbid:
            if any(re.search(pattern, line) for line in lines):
                problems.append(f"present but forbidden: {pattern}")
        for check in self.checks:
            problems += check(lines)
        if returncode is not None and returncode != self.status:
            problems.append(f"exit status {returncode}, expected {self.status}")
        return problems


def kernel(guest):
    """A single VM running an in-tree guest."""
    return ["--kernel", f"{GUESTS}/{guest}.bin"]


def vm(guest, name):
    """One of several VMs, running an in-tree guest."""
    return ["--vm", f"name={name},kernel={GUESTS}/{guest}.bin"]


def esc(text):
    return re.escape(text)


HELLO = [
    r"\[vm0\] hello from a Vireo guest",
    r"\[vm0\] mpidr: 0x0000000080000000",
    r"\[vm0\] psci version: 0x10001",
    esc("[vm0] psci features(SYSTEM_OFF): 0"),
    esc("[vm0] psci features(0xdeadbeef): -1"),
    r"\[vm0\] smccc version: 0x10001",
    r"\[vm0\] svc taken: ec=0x15 imm=0x42",
    r"\[vm0\] back from svc",
    r"\[vm0\] fp: ok",
    r"\[vm0\] hello: powering off",
    esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)"),
    r"vireo: no VM left; powering off",
]

ALWAYS_FORBID = [r"PANIC", r"\(BUG\)"]


def patched_virt_dtb(name, smp, old, new, what):
    """QEMU's own virt device tree (GICv3, smp CPUs) with the text old of
    its source replaced by new, compiled to build/test-tmp/name. Cases run
    in parallel: each writes its own copy, then renames it in place."""
    os.makedirs(TMP, exist_ok=True)
    out = os.path.join(TMP, name)
    with tempfile.TemporaryDirectory(dir=TMP) as tmp:
        dtb = os.path.join(tmp, "virt.dtb")
        subprocess.run(["qemu-system-aarch64", "-M",
                        f"virt,virtualization=on,gic-version=3,dumpdtb={dtb}",
                        "-cpu", "cortex-a72", "-smp", str(smp), "-m", "1G", "-nographic"],
                       check=True, capture_output=True)
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], check=True,
                             capture_output=True, text=True).stdout
        assert old in dts, f"QEMU's {what} changed; update this test"
        mine = os.path.join(tmp, name)
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", mine, "-"],
                       input=dts.replace(old, new, 1), check=True, text=True)
        os.replace(mine, out)
    return out


def bad_gic_dtb():
    """QEMU's own device tree, with the GICv3 redistributors left out of its
    "reg". (QEMU rewrites /psci and /memory of a -dtb file, so those cannot
    be broken this way.)"""
    return patched_virt_dtb(
        "gic-no-redist.dtb", 4,
        "reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0xf60000>",
        "reg = <0x00 0x8000000 0x00 0x10000>", "GIC node")


CASES = [
    Case("boot_gicv3_hello", ["--host-mem", "1G"] + kernel("hello"),
         expect=[r"Vireo hypervisor, booting at EL2",
                 r"vireo: machine: linux,dummy-virt",
                 esc("vireo: memory: 0x40000000-0x7fffffff (1024 MiB)"),
                 r"vireo: cpus: 4, PSCI via smc",
                 r"vireo: uart: PL011 at 0x9000000",
                 r"vireo: gic: GICv3, distributor at 0x8000000",
                 r"vireo: timer: 62500000 Hz",
                 r"vireo: vm0: 64 MiB RAM at IPA 0x40000000 \(PA 0x[0-9a-f]+\), VMID 1, "
                 r"entry 0x40000000",
                 r"vireo: 4 of 4 CPUs online"] + HELLO,
         expect_any=[esc(f"vireo: CPU {n} online (MPIDR 0x{n})") for n in (1, 2, 3)],
         forbid=ALWAYS_FORBID),
    Case("boot_gicv2_hello", ["--gic", "2"] + kernel("hello"),
         expect=[r"vireo: gic: GICv2, distributor at 0x8000000",
                 r"vireo: 4 of 4 CPUs online"] + HELLO,
         forbid=ALWAYS_FORBID),
    Case("boot_cpu_max_hello", ["--cpu", "max"] + kernel("hello"),
         expect=[r"vireo: 4 of 4 CPUs online"] + HELLO, forbid=ALWAYS_FORBID),
    # SVE on -cpu max (el2/fpsimd.c): two vCPUs take turns on one CPU, at
    # the largest vector length and at 128 bits, and keep their Z, P and
    # FFR registers and their ZCR_EL1 (guests/sve). Without SVE the guest
    # is not told of it (cortex-a72).
    Case("sve_registers_kept_across_vcpus_on_one_cpu",
         ["--cpu", "max", "--vm", f"name=sve,kernel={GUESTS}/sve.bin,cpus=2,affinity=1"],
         expect=[r"\[sve\] sve: vector length 256 bytes", r"\[sve\] sve: done"],
         # The two vCPUs finish in either order.
         expect_any=[r"\[sve\] sve: vCPU 1: 24 rounds at 16 bytes, 0 wrong",
                     r"\[sve\] sve: vCPU 0: 24 rounds at 256 bytes, 0 wrong"],
         forbid=[r"FAILED", r"sve: vCPU \d round"] + ALWAYS_FORBID),
    Case("sve_hidden_without_it", ["--vm", f"name=sve,kernel={GUESTS}/sve.bin"],
         expect=[r"\[sve\] sve: no SVE", esc("vireo: sve stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID),
    Case("boot_one_cpu", ["--host-cpus", "1"] + kernel("hello"),
         expect=[r"vireo: cpus: 1, PSCI via smc", r"vireo: 1 of 1 CPUs online"] + HELLO,
         forbid=ALWAYS_FORBID),
    Case("abort_injected_into_guest", kernel("abort"),
         expect=[r"\[vm0\] abort test: start",
                 r"\[vm0\] data abort: ec=0x25 dfsc=0x10 far=0x30000000",
                 r"\[vm0\] after data abort",
                 r"\[vm0\] load skipped: aborts=1 value=0xdeadbeef",
                 r"\[vm0\] data abort: ec=0x25 dfsc=0x10 far=0xa000000",
                 r"\[vm0\] after store abort",
                 r"\[vm0\] instruction abort: ec=0x21 ifsc=0x10 far=0x20000000",
                 r"\[vm0\] after instruction abort",
                 r"\[vm0\] abort test: done",
                 esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID),
    Case("mmio_emulation_both_decoders", kernel("mmio"),
         expect=[r"\[vm0\] mmio test: start",
                 r"\[vm0\] mmio: ldr periphid0=0x11 ldrb periphid1=0x10",
                 r"\[vm0\] mmio: ldp pcellid0=0xd pcellid1=0xf0",
                 esc("[vm0] mmio: post-index ldr periphid2=0x34 base+=4"),
                 r"\[vm0\] mmio: pre-index str ifls=0x9 base ok=1",
                 r"\[vm0\] mmio: stp/ldp ibrd=0x1a fbrd=0x2b",
                 r"\[vm0\] mmio: abort ec=0x25 dfsc=0x10 far=0x9000fe0",
                 r"\[vm0\] mmio: abort ec=0x25 dfsc=0x10 far=0x9000fe0",
                 r"\[vm0\] mmio: refused accesses aborted=2, registers untouched=1",
                 r"\[vm0\] mmio test: done",
                 esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID),
    Case("timers_and_interrupts", kernel("timer"),
         expect=[r"\[vm0\] timer test: start",
                 r"\[vm0\] ptimer: armed, istatus=0",
                 r"\[vm0\] ptimer: expired, istatus=1, cval<=now=1",
                 r"\[vm0\] irq: 30 \(physical timer\)",
                 r"\[vm0\] irq: 27 \(virtual timer\)",
                 r"\[vm0\] irq: 5 \(SGI to self\)",
                 r"\[vm0\] timer test: done, 3 interrupts",
                 esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID),
    # The reset guest asks for a reset at every boot, forever: each boot
    # finds its memory clean, and after the default limit of 5 restarts
    # within 60 s the sixth request stops it as crash-looping.
    Case("system_reset_zeroes_memory_until_crash_looping", kernel("reset"),
         expect=[r"\[vm0\] reset: boot with clean memory", r"vireo: vm0: resetting"] * 5
         + [r"\[vm0\] reset: boot with clean memory",
            esc("vireo: vm0 stopped: crash-looping: 5 restarts within 60 s already; then it "
                "asked for a reset (PSCI SYSTEM_RESET)"),
            r"vireo: no VM left; powering off"],
         forbid=ALWAYS_FORBID + [r"memory kept"], status=1, timeout=60),
    Case("crash_stops_only_that_vm", vm("crash", "vm0") + vm("hello", "vm1"),
         expect=[r"\[vm0\] crash test: start",
                 r"vireo: vm0 stopped: data abort at IPA 0x30000000 \(VA 0x30000000\), "
                 r"pc 0x4000[0-9a-f]{4}: no usable exception vector \(VBAR_EL1 0x0\)",
                 r"vireo: no VM left; powering off",
                 r"vireo run: vm0 did not end cleanly: data abort at IPA 0x30000000.*"],
         expect_any=[r"\[vm1\] hello: powering off",
                     esc("vireo: vm1 stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID + [r"crash test: survived"], status=1),
    Case("no_guest_powers_off", [],
         expect=[r"vireo: no guest to run \(boot modules: 0\); powering off"],
         forbid=ALWAYS_FORBID, status=3),
    # A refusal ends the run at once (the launcher sees Vireo give up), with
    # status 3 and the reason, long before the timeout.
    Case("refuses_el1_entry", ["--no-virt"] + kernel("hello"),
         expect=[r"vireo: entered at EL1; Vireo must be started at EL2 \(hypervisor mode\)\. "
                 r"On QEMU, use -M virt,virtualization=on\. Halting\.",
                 r"vireo run: Vireo did not start: entered at EL1; .*virtualization=on"],
         forbid=[r"hello from a Vireo guest", r"timed out"], status=3, timeout=20),
    # A wall clock a PL031 cannot hold is the launcher's to refuse.
    Case("refuses_wallclock_before_1970", ["--wallclock", "1969-12-31T23:59:59"] + kernel("hello"),
         expect=[r"vireo run: --wallclock '1969-12-31T23:59:59': outside 1970 to 2106, .*"],
         forbid=[r"Vireo hypervisor", r"timed out"], status=3, timeout=20),
]

# Built on demand: the bad device tree needs QEMU and dtc at test time.
# Vireo has its power interface by then: it powers the machine off.
CASES.append(Case(
    "refuses_bad_device_tree", ["--dtb", "@"] + kernel("hello"),
    expect=[r"vireo: cannot use the device tree at 0x[0-9a-f]+: intc@8000000: \"reg\" must "
            r"give the distributor and redistributors\. Halting\.",
            r"vireo run: Vireo did not start: cannot use the device tree .*intc@8000000.*"],
    forbid=[r"hello from a Vireo guest", r"PANIC", r"timed out"], status=3, timeout=20,
    setup=bad_gic_dtb))

# An EL2 stack overflow faults on the guard page below the stack and is
# reported from the emergency stack (el2/vectors.S), on the boot CPU and on
# a secondary: the launcher's hidden --selftest makes that CPU recurse. With
# no guard page the recursion wrote over whatever lay below the stack.
for cpu in (0, 1):
    CASES.append(Case(
        f"el2_stack_overflow_cpu{cpu}", ["--selftest", f"stack-overflow@{cpu}"] + kernel("hello"),
        expect=[esc(f"vireo: self-test: CPU {cpu} overflows its stack"),
                rf"vireo: PANIC: CPU {cpu}: EL2 stack overflow \(sp 0x[0-9a-f]+, far 0x[0-9a-f]+\)",
                rf"  CPU {cpu}  ESR_EL2 0*96.*",  # a data abort at EL2
                rf"vireo run: Vireo panicked: CPU {cpu}: EL2 stack overflow .*"],
        forbid=[r"taken at EL2", r"CHECK failed", r"timed out"], status=3, timeout=20))



# --- PSCI starts and resets race with the end of a vCPU's last life ----------
#
# guests/cpuonoff: vCPU 0 restarts vCPUs 1 and 2 with CPU_ON the moment each
# has called CPU_OFF, 3000 times, and every start checks that the vCPU's EL1
# and FP/SIMD registers are as reset leaves them; then all spin with dirty
# state and one of them (chosen by the counter) calls SYSTEM_RESET, and the
# next boot checks vCPU 0's state, hammers and resets again. Three vCPUs on
# two CPUs: vCPU 1 has a CPU of its own, so its starts race its CPU's
# vcpu_put() (issue 14: the restarted vCPU kept its old VBAR, SCTLR and
# V0); vCPU 2 shares vCPU 0's.
CPUONOFF = esc("[vm0] cpuonoff: ")
CPUONOFF_BOOTS = 4
CASES.append(Case(
    "psci_cpu_on_off_and_reset_race",
    ["--cpus", "3", "--host-cpus", "2"] + kernel("cpuonoff"),
    expect=[CPUONOFF + esc("boot: vCPU 0 state clean"),
            CPUONOFF + esc("3 vCPUs"),
            CPUONOFF + esc("3000 rounds, clobbered=0 (EL1 state 0, FP/SIMD 0)"),
            CPUONOFF + r"SYSTEM_RESET from vCPU [012]",
            r"vireo: vm0: resetting"] * (CPUONOFF_BOOTS - 1)
    + [CPUONOFF + esc("boot: vCPU 0 state clean"),
       CPUONOFF + esc("3000 rounds, clobbered=0 (EL1 state 0, FP/SIMD 0)")],
    forbid=[r"clobbered=[1-9]", r"state clobbered", r"first clobbered", r"stopped"]
    + ALWAYS_FORBID,
    until=CPUONOFF + r"\d+ rounds, .*", until_count=CPUONOFF_BOOTS, timeout=120))


# --- the watchdog ----------------------------------------------------------
#
# guests/wdog drives the VM's SBSA Generic Watchdog register by register,
# then enables it and spins with interrupts masked. Under -icount the
# expiry is exact: WOR is 10 ms, so WS1 comes 20 ms after the last refresh,
# and Vireo's timer notices it then, with no access from the guest.

WDOG = esc("[wdog] wdog: ")
WDOG_PHASES = [WDOG + esc("iidr 0x10000, refresh frame's 0x10000"),
               WDOG + esc("byte and out-of-frame accesses: 3 of 3 aborted"),
               WDOG + esc("enabled: wcv = count + wor"),
               WDOG + esc("refreshed every half period: no ws0"),
               WDOG + esc("ws0 raised interrupt 48, wcv moved on by wor, a refresh lowered it"),
               WDOG + esc("disabled: quiet"),
               WDOG + esc("enabled, spinning with interrupts masked")]
WDOG_EXPIRED = "watchdog expired (not refreshed for 20 ms)"


def wdog_vm(options=""):
    return ["--icount", "--vm", f"name=wdog,kernel={GUESTS}/wdog.bin{options}"]


CASES += [
    # The expiry stops the VM (on-crash "stop", the default); the VM beside
    # it runs to its end.
    Case("watchdog_expiry_stops_the_vm", wdog_vm() + vm("hello", "hello"),
         expect=WDOG_PHASES + [esc(f"vireo: wdog stopped: {WDOG_EXPIRED}"),
                               r"vireo: no VM left; powering off"],
         expect_any=[esc("vireo: hello stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID + [r"UNEXPECTED"], status=1, timeout=60),
    # The same on a GICv2 host, WS0's interrupt through the GICV page.
    Case("watchdog_expiry_gicv2", ["--gic", "2"] + wdog_vm(),
         expect=WDOG_PHASES + [esc(f"vireo: wdog stopped: {WDOG_EXPIRED}")],
         forbid=ALWAYS_FORBID + [r"UNEXPECTED"], status=1, timeout=60),
    # on-crash "restart": the VM starts again, and its watchdog says WS1.
    # Then it powers off with its watchdog running, on the CPU it shares
    # with the hostile guest, which starts then and must get that CPU:
    # (before, the stopped VM's past deadline left Vireo's timer firing on
    # that CPU for ever, and nothing ran there again).
    Case("watchdog_expiry_restarts_with_ws1_kept",
         ["--host-cpus", "1"] + wdog_vm(",on-crash=restart")
         + ["--vm", f"name=hostile,kernel={GUESTS}/hostile.bin"],
         inputs=[(esc("vireo: wdog stopped: powered off (PSCI SYSTEM_OFF)"), "g")],
         expect=WDOG_PHASES + [esc(f"vireo: wdog crashed: {WDOG_EXPIRED}; restarting it"),
                               esc("vireo: wdog: resetting"),
                               WDOG + esc("wcs after the watchdog's reset: 0x4"),
                               WDOG + esc("powering off with the watchdog running"),
                               esc("vireo: wdog stopped: powered off (PSCI SYSTEM_OFF)"),
                               esc("[hostile] hostile: start (signalled)"),
                               esc("[hostile] hostile: ram: start")],
         forbid=ALWAYS_FORBID + [r"UNEXPECTED"],
         until=esc("[hostile] hostile: ram: start"), timeout=60),
    # "vireo,watchdog" off: no device (and none in the VM's device tree).
    Case("watchdog_off", wdog_vm(",watchdog=off"),
         expect=[WDOG + esc("no watchdog at 0x9100000 (data abort)"),
                 esc("vireo: wdog stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID, timeout=60),
]


# --- configurations Vireo must refuse, one per kind of error -----------------
#
# Each file under tests/integration/configs/ breaks one rule; Vireo must say
# which VM and property, start no VM, and power off.

CONFIGS = os.path.join(TOP, "tests", "integration", "configs")
BAD_CONFIGS = {
    "name": r'/chosen/vm@0: "vireo,name" missing or not 1-15 of \[a-z0-9_-\]',
    "memory-align": r'odd: "vireo,memory" 0x100000 is not a non-zero multiple of 2 MiB',
    "memory-total": r"the VMs need 3072 MiB of RAM, \d+ MiB is free",
    "cpus": r'wide: "vireo,cpus" must be one cell from 1 to 8',
    "affinity": r'pinned: "vireo,affinity" names CPU 7; the machine has 4',
    "on-crash": r'fragile: "vireo,on-crash" is "explode"; expected "stop" or "restart"',
    "ram-ipa": r'low: "vireo,ram-ipa": RAM at 0x8000000 would overlap the devices at '
               r"0x8000000-0x9ffffff",
    "duplicate": r"twin: two VMs have this name",
    "capacity": r"late: no room for vCPU 0: CPU 0 already has 8 vCPUs, the most a CPU can "
                r"share",
    "channel": r'/chosen/channel@0: "vireo,vms" names "nobody", which is no VM',
    "watchdog": r'guarded: "vireo,watchdog" is "maybe"; expected "on" or "off"',
    "restart-limit": r'loopy: "vireo,restart-limit" <100 60>: expected 1 to 64 restarts '
                     r'within 1 to 86400 seconds, or <0 0> for no limit',
}
for kind, message in BAD_CONFIGS.items():
    CASES.append(Case(
        f"config_refused_{kind.replace('-', '_')}",
        ["--config", os.path.join(CONFIGS, f"bad-{kind}.dts")],
        expect=[r"vireo: configuration rejected: " + message, r"vireo: halting\.",
                r"vireo run: Vireo refused the configuration: .*"],
        forbid=[r"\[\S+\] ", r"PANIC"], status=3, timeout=30))

# The same check without a configuration file: one CPU, nine vCPUs.
CASES.append(Case(
    "config_refused_capacity_one_cpu",
    ["--host-cpus", "1", "--vm", f"name=a,kernel={GUESTS}/hello.bin,cpus=8"] + vm("hello", "b"),
    expect=[r"vireo: configuration rejected: b: no room for vCPU 0: CPU 0 already has 8 "
            r"vCPUs, the most a CPU can share", r"vireo: halting\.",
            r"vireo run: Vireo refused the configuration: b: .*"],
    forbid=[r"\[\S+\] ", r"PANIC", r"vireo: a: \d+ MiB RAM"], status=3, timeout=20))


def offline_cpu_dtb():
    """QEMU's own device tree for two CPUs, with a third, cpu@7 (MPIDR 7),
    which QEMU does not have, listed first in /cpus. Vireo numbers CPUs
    the boot CPU first, then in /cpus order: 0 (MPIDR 0), 1 (MPIDR 7, which
    does not start), 2 (MPIDR 1)."""
    first = "\t\tcpu@0 {"
    return patched_virt_dtb(
        "cpu7-offline.dtb", 2, first,
        "\t\tcpu@7 {\n\t\t\treg = <0x07>;\n"
        "\t\t\tenable-method = \"psci\";\n"
        "\t\t\tcompatible = \"arm,cortex-a72\";\n"
        "\t\t\tdevice_type = \"cpu\";\n\t\t};\n\n" + first, "/cpus")


CPU7_OFFLINE = ["--host-cpus", "2", "--dtb", "@"]
CPU7_DID_NOT_START = esc("vireo: CPU 1 (MPIDR 0x7) did not start: error -2")

# A VM pinned to a CPU that did not come online would never run: refused.
CASES.append(Case(
    "config_refused_offline_cpu",
    CPU7_OFFLINE + ["--vm", f"name=stuck,kernel={GUESTS}/hello.bin,affinity=1"] +
    vm("hello", "free"),
    expect=[r"vireo: cpus: 3, PSCI via smc", CPU7_DID_NOT_START,
            r'vireo: configuration rejected: stuck: "vireo,affinity" allows only CPU 1, '
            r"which is not online",
            r"vireo run: Vireo refused the configuration: stuck: .*"],
    forbid=[r"\[\S+\] ", r"PANIC", r"timed out"], status=3, timeout=20,
    setup=offline_cpu_dtb))

# VMs without affinity are placed on the CPUs that came online only: the
# second goes to CPU 2, not to CPU 1, and runs.
CASES.append(Case(
    "config_offline_cpu_skipped",
    CPU7_OFFLINE + vm("hello", "a") + vm("hello", "b"),
    expect=[CPU7_DID_NOT_START, r"vireo: 2 of 3 CPUs online"],
    expect_any=[esc("[a] hello: powering off"), esc("[b] hello: powering off"),
                esc("vireo: a stopped: powered off (PSCI SYSTEM_OFF)"),
                esc("vireo: b stopped: powered off (PSCI SYSTEM_OFF)"),
                r"vireo: no VM left; powering off"],
    forbid=ALWAYS_FORBID, timeout=30, setup=offline_cpu_dtb))

CRASH = r"data abort at IPA 0x30000000 .*"
CASES += [
    # crashy crashes and is restarted, beside hello, until the default
    # limit (5 restarts within 60 s) stops it as crash-looping.
    Case("config_file_with_crash_restart",
         ["--config", os.path.join(CONFIGS, "two-vms.dts")],
         expect=[r"\[crashy\] crash test: start",
                 rf"vireo: crashy crashed: {CRASH}; restarting it",
                 r"vireo: crashy: resetting"] * 5
         + [r"\[crashy\] crash test: start",
            r"vireo: crashy stopped: crash-looping: 5 restarts within 60 s already; then "
            + CRASH],
         expect_any=[esc("[hello] hello from a Vireo guest"),
                     esc("vireo: hello stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID, status=1, timeout=60),
    # A limit of its own, and none at all.
    Case("crash_restart_limit_configured",
         ["--vm", f"name=crashy,kernel={GUESTS}/crash.bin,on-crash=restart,restart-limit=2/3600"],
         expect=[rf"vireo: crashy crashed: {CRASH}; restarting it"] * 2
         + [r"vireo: crashy stopped: crash-looping: 2 restarts within 3600 s already; then "
            + CRASH],
         forbid=ALWAYS_FORBID, status=1, timeout=60),
    Case("crash_restart_without_limit",
         ["--vm", f"name=crashy,kernel={GUESTS}/crash.bin,on-crash=restart,restart-limit=none"],
         expect=[rf"vireo: crashy crashed: {CRASH}; restarting it"] * 8,
         forbid=ALWAYS_FORBID + [r"crashy stopped"],
         until=r"\[crashy\] crash test: start", until_count=9, timeout=60),
]


# --- Linux guests -------------------------------------------------------------
#
# Debian's arm64 kernel with the initramfs of guests/linux/, both made by
# scripts/setup.sh in .deps/guest/. linux_cases(native=True) gives the same
# scenarios booted by QEMU directly (QEMU's own PSCI at EL1, no Vireo), to
# tell a broken guest image from a broken Vireo (tests/run.py -k native
# does not run them; call them from a script when in doubt); the smp case
# compares its boot log with the native one.

LINUX_TIMEOUT = 300
KERNEL_TIME = r"\[\s*\d+\.\d+\] "
SUSPICIOUS = re.compile(r"WARN|BUG|[Ee]rror|[Ff]ail")


def need_linux():
    for path in (LINUX_IMAGE, LINUX_INITRD):
        if not os.path.isfile(path):
            raise RuntimeError(f"{path} is missing: run scripts/setup.sh")


def append_for(test):
    return "console=ttyAMA0" + (f" vireo.test={test}" if test else "")


def linux(test=None, cpus=2):
    """Launcher arguments for one Linux VM named "linux" running /tests/TEST.sh
    (an interactive shell without a test)."""
    return ["--name", "linux", "--kernel", LINUX_IMAGE, "--initrd", LINUX_INITRD,
            "--append", append_for(test), "--cpus", str(cpus)]


def native_command(test=None, smp=2):
    """QEMU booting the Linux guest directly, without Vireo."""
    return ["qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "cortex-a72",
            "-smp", str(smp), "-m", "512M", "-nographic", "-kernel", LINUX_IMAGE,
            "-initrd", LINUX_INITRD, "-append", append_for(test)]


def normalize(line):
    """A console line without the VM prefix, the kernel's timestamp and the
    numbers that vary from boot to boot, for comparing two boots."""
    line = re.sub(r"^\[[a-z0-9_-]+\] ", "", line)
    line = re.sub(r"^" + KERNEL_TIME, "", line)
    return re.sub(r"0x[0-9a-f]+|\d+", "N", line)


def suspicious(lines):
    """The lines of a boot log that look like a warning or an error."""
    return {normalize(line) for line in lines if SUSPICIOUS.search(line)}


_native_logs = {}
_native_lock = threading.Lock()


def native_boot(test, smp=2, timeout=LINUX_TIMEOUT):
    """Boots the Linux guest directly on QEMU and returns its console lines
    (once per test: later calls get the same lines)."""
    with _native_lock:
        if test not in _native_logs:
            need_linux()
            proc = subprocess.run(native_command(test, smp), stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=timeout * SLOWDOWN)
            out = (proc.stdout + proc.stderr).decode(errors="replace")
            _native_logs[test] = out.replace("\r", "").splitlines()
        return _native_logs[test]


def no_new_errors_over_native(test):
    """A check: the boot shows no warning or error line that the native boot
    of the same test does not show too."""
    def check(lines):
        try:
            native = native_boot(test)
        except subprocess.TimeoutExpired as e:
            return [f"the native boot did not end within {e.timeout:g} s"]
        extra = suspicious(lines) - suspicious(native)
        return [f"not in the native boot: {line}" for line in sorted(extra)]
    return check


def sleep_within(lo, hi):
    """A check: timer.sh measured "sleep 1" as lo to hi ms."""
    def check(lines):
        for line in lines:
            if m := re.search(r"vireo-test: sleep1 ms=(-?\d+)$", line):
                ms = int(m.group(1))
                return [] if lo <= ms <= hi else [f"sleep 1 took {ms} ms, not {lo}-{hi}"]
        return ["no sleep1 measurement"]
    return check


def linux_boot(prefix, smccc):
    """What every boot of the Linux guest prints, in order. Vireo implements
    SMCCC 1.1; QEMU's own PSCI firmware (the native boots) only 1.0."""
    k = prefix + KERNEL_TIME
    return [k + esc("psci: PSCIv1.1 detected in firmware."),
            k + esc("psci: Using standard PSCI v0.2 function IDs"),
            k + esc(f"psci: SMC Calling Convention v{smccc}"),
            k + r"CPU1: Booted secondary processor 0x0000000001 \[0x[0-9a-f]{8}\]",
            prefix + esc("vireo-init: ready (2 cpus)")]


def linux_cases(prefix, smccc, native):
    """The Linux scenarios, under Vireo (prefix "[linux] ") or native."""
    t = "linux_native_" if native else "linux_"
    args = native_command if native else linux
    p = esc(prefix)
    off = [] if native else [esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")]
    forbid = [r"Kernel panic", r"Internal error"] + ([] if native else ALWAYS_FORBID)
    common = dict(native=native, timeout=LINUX_TIMEOUT, forbid=forbid,
                  setup=lambda: need_linux())
    ready = p + esc("vireo-init: ready (2 cpus)")
    return [
        # Under Vireo with a given wall clock: the VM's PL031 (vrtc.c) sets
        # Linux's clock at boot, and date shows that day.
        Case(t + "smp", args("smp") + ([] if native else ["--wallclock", "2030-01-02T03:04:05"]),
             expect=linux_boot(p, smccc)[:-1] + ([] if native else [
                 p + KERNEL_TIME + esc("rtc-pl031 9010000.pl031: setting system clock to "
                                       "2030-01-02T03:0") + r"\d:\d\d UTC \(\d+\)"]) + [
                 ready,
                 p + esc("vireo-test: nproc=2"),
                 p + esc("vireo-test: cpu0 busy=yes cpu1 busy=yes"),
                 p + esc("vireo-test: date=") + (r"\d{4}-\d\d-\d\d" if native else
                                                 esc("2030-01-02")),
                 p + esc("vireo-init: test smp ended with status 0; powering off")] + off,
             expect_any=[p + esc("vireo-test: cpu0 done"), p + esc("vireo-test: cpu1 done")],
             checks=[] if native else [no_new_errors_over_native("smp")], **common),
        # Under -icount (one virtual ns per instruction) guest time does not
        # run on while a loaded host keeps QEMU's threads waiting, so the
        # guest's own measurement of "sleep 1" means what it says.
        Case(t + "timer", args("timer") + ([] if native else ["--icount"]),
             expect=[ready, p + r"vireo-test: sleep1 ms=\d+",
                     p + esc("vireo-init: test timer ended with status 0; powering off")] + off,
             checks=[sleep_within(900, 1500)], **common),
        Case(t + "reboot", args("reboot"),
             expect=[ready, p + esc("vireo-test: rebooting")]
             + ([] if native else [esc("vireo: linux: resetting")])
             + linux_boot(p, smccc)[:3] + [ready],
             until=ready, until_count=2, **common),
        Case(t + "shell", args(None),
             # ash asks the terminal where its cursor is (ESC [6n) after
             # the prompt; nothing answers, and it carries on.
             inputs=[(r"/ # (\x1b\[6n)?$", "echo rx-works; poweroff -f\n")],
             expect=[ready, p + "rx-works"] + off, **common),
    ]


LINUX_CASES = linux_cases("[linux] ", "1.1", native=False) + [
    # Five vCPUs of three VMs sharing two CPUs: the scheduler's round robin,
    # WFI giving the CPU away, kicks and timers of descheduled vCPUs.
    Case("overcommit_three_vms_on_two_cpus",
         ["--icount", "--host-cpus", "2",
          "--vm", f"name=la,kernel={LINUX_IMAGE},initrd={LINUX_INITRD},cpus=2,"
                  "append=console=ttyAMA0 vireo.test=smp",
          "--vm", f"name=lb,kernel={LINUX_IMAGE},initrd={LINUX_INITRD},cpus=2,"
                  "append=console=ttyAMA0 vireo.test=timer",
          "--vm", f"name=hello,kernel={GUESTS}/hello.bin"],
         expect_any=[esc("[la] vireo-test: nproc=2"),
                     esc("[la] vireo-test: cpu0 busy=yes cpu1 busy=yes"),
                     esc("vireo: la stopped: powered off (PSCI SYSTEM_OFF)"),
                     esc("vireo: lb stopped: powered off (PSCI SYSTEM_OFF)"),
                     esc("vireo: hello stopped: powered off (PSCI SYSTEM_OFF)"),
                     r"vireo: no VM left; powering off",
                     # Not held to 900-1500 ms here: lb's shell shares its
                     # CPUs with la's busy loops, and its fork and exec
                     # around "sleep 1" take twice as long.
                     esc("[lb] vireo-test: sleep1 ms=") + r"\d+"],
         forbid=[r"Kernel panic", r"Internal error"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
    # Two Linux shells and the console focus keys (Ctrl-] l, Ctrl-] 1):
    # typed lines reach only the VM with the focus, which moves on by
    # itself when its VM stops; Ctrl-] s prints the focused VM's exit
    # statistics, and only its.
    Case("console_focus_between_two_linux_vms",
         ["--vm", f"name=la,kernel={LINUX_IMAGE},initrd={LINUX_INITRD}",
          "--vm", f"name=lb,kernel={LINUX_IMAGE},initrd={LINUX_INITRD}"],
         inputs=[(r"\[la\] / # ", ""),
                 (r"\[lb\] / # ", "\x1dl"),
                 (r"vireo: \* 0 la: running, 1 vCPUs", "\x1ds"),
                 (r"vireo: stats: la: ticks\.guest \d+", "echo to-la\n"),
                 (r"\[la\] to-la", "\x1d1"),
                 (r"vireo: console focus: lb .*", "echo to-lb; poweroff -f\n"),
                 (r"vireo: lb stopped: .*", "poweroff -f\n")],
         expect=[r"vireo: \* 0 la: running, 1 vCPUs", r"vireo:   1 lb: running, 1 vCPUs",
                 r"vireo: stats: la: exits \d+", r"vireo: stats: la: exits\.hvc64 \d+",
                 r"vireo: stats: la: calls\.PSCI_VERSION \d+", r"vireo: stats: la: ticks\.guest \d+",
                 r"\[la\] to-la", r"vireo: console focus: lb .*", r"\[lb\] to-lb",
                 esc("vireo: lb stopped: powered off (PSCI SYSTEM_OFF)"),
                 r"vireo: console focus: la .*",
                 esc("vireo: la stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"\[lb\] to-la", r"\[la\] to-lb", r"vireo: stats: lb"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
    # make run's demo, as it runs without a terminal.
    Case("demo_linux_beside_hello", ["--demo"],
         expect=[r"vireo: 4 of 4 CPUs online"],
         expect_any=[esc("[hello] hello: powering off"),
                     esc("vireo: hello stopped: powered off (PSCI SYSTEM_OFF)"),
                     esc("[linux] vireo-test: nproc=2"),
                     esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)"),
                     r"vireo: no VM left; powering off"],
         forbid=[r"Kernel panic", r"Internal error"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
    # -cpu max has SVE, which Linux gets (el2/fpsimd.c), and SME and
    # pointer authentication, whose state Vireo does not switch: the guest
    # must not see them (idregs.c).
    Case("linux_smp_cpu_max", ["--cpu", "max"] + linux("smp"),
         expect=linux_boot(esc("[linux] "), "1.1")[:-1] + [
             esc("[linux] ") + KERNEL_TIME +
             esc("SVE: maximum available vector length 256 bytes per vector"),
             esc("[linux] vireo-init: ready (2 cpus)"),
             esc("[linux] vireo-test: nproc=2"),
             esc("[linux] vireo-test: cpu0 busy=yes cpu1 busy=yes"),
             esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"Kernel panic", r"Internal error", r"SME: ", r"\bpac\b"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
    Case("linux_smp_gicv2", ["--gic", "2"] + linux("smp"),
         expect=linux_boot(esc("[linux] "), "1.1") + [
             esc("[linux] vireo-test: nproc=2"),
             esc("[linux] vireo-test: cpu0 busy=yes cpu1 busy=yes"),
             esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"Kernel panic", r"Internal error"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
]


# --- isolation: the hostile guest -------------------------------------------
#
# guests/hostile/ attacks everything a VM can reach, phase after phase, and
# prints one line per phase: "hostile: PHASE: attempts=N aborts=N undefs=N
# other=N", where "other" counts every answer that is not the defined one
# (a leak, a store accepted, a wrong SMCCC answer, an unexpected exception,
# an SGI that came back). The numbers are deterministic. The memory phase's
# depend on the IPA size (44 bits on QEMU's cortex-a72, 48 with -cpu max
# once capped) and on what the VM is given at 2 MiB boundaries (its RAM,
# the GIC distributor, the UART); the devices phase skips whatever the VM
# is given (the PV time page), so there only aborts == attempts is exact;
# the count of undefined system register accesses depends on the CPU
# model, so only its EL2/EL3 part is. The guest waits for a byte on its
# console before it starts (it is the first VM, so it has the console's
# focus), which lets the Linux cases start it once the VM beside it beats.
#
# The VM's GIC is the host's kind (--gic): a GICv3, or a GICv2, whose CPU
# interface is the hardware's GICV page mapped into the VM's stage 2. The
# sgi phase then floods GICD_SGIR instead of ICC_SGI1R_EL1 (whose GICv3
# registers must be undefined), and gicregs hammers the GICV page where a
# GICv3 has a redistributor; what does not apply is printed as "skipped
# (GICv2)" or "skipped (GICv3)". The fetch phase (issue 14's review item:
# EL2 read the GICV page for a guest and faulted, which powered the
# machine off) tries to make Vireo read a device for the guest, by
# branching into it and by loads Vireo must decode from an instruction
# whose stage-1 mapping the guest changed under its TLB: every attempt
# must be refused, and with the old fetch_insn() Vireo panicked at the
# first. How a refusal divides between "refused" (Vireo's walk of the PC
# found the new mapping) and "fetch-aborted" (the CPU had dropped its TLB
# entry) depends on timing; at least one of each target's 24 rounds must
# reach Vireo's decoder.

HOSTILE_MEMORY_ATTEMPTS = {40: 34628, 44: 65348, 48: 556868}  # by IPA bits
HOSTILE_FETCH_EXEC = ["the GICC page, MMU off", "the GICD page, MMU off",
                      "the GICC page, mapped executable",
                      "the GICC page's second half, mapped executable"]
HOSTILE_FETCH_TARGETS = ["the GICC page", "the GICD page", "the UART page", "PV time's page",
                         "an IPA past the RAM", "nothing (an invalid entry)",
                         "a level-3 table in the GICC page", "a level-3 table in the GICD page",
                         "a level-3 table past the RAM"]


def hostile_waits(ipa_bits, name="hostile", gic=3):
    """What the hostile guest prints before it waits for its start signal."""
    p = esc(f"[{name}] hostile: ")
    return [p + rf"ram 0x40000000-0x43ffffff, ipa space {ipa_bits} bits, mpidr 0x80000000",
            p + esc(f"gic: GICv{gic}"),
            p + esc("waiting for a byte on the console")]


def hostile_sgi_gicregs(p, gic):
    """The sgi and gicregs phases' totals, which differ by GIC."""
    if gic == 2:
        return [p + r"sgi: GICD_SGIR with the reserved filter: 16 sent, \d+ came back "
                    r"\(either is allowed\)",
                p + r"sgi: stray=0 self=1",
                p + r"sgi: attempts=34320 aborts=4 undefs=300 other=0",
                p + esc("gicregs: redistributor: skipped (GICv2)"),
                p + r"gicregs: GICC \(the CPU interface\): completed=\d+",
                p + esc("gicregs: out-of-range INTIDs: state kept=0"),
                p + r"gicregs: misaligned: completed=\d+ aborted=\d+ \(alignment faults \d+\)",
                p + r"gicregs: stray=0 self=1",
                p + r"gicregs: attempts=19710 aborts=\d+ undefs=0 other=0"]
    return [p + r"sgi: stray=0 self=1",
            p + r"sgi: attempts=34000 aborts=0 undefs=0 other=0",
            p + esc("gicregs: GICC: skipped (GICv3)"),
            p + esc("gicregs: out-of-range INTIDs: state kept=0"),
            p + r"gicregs: misaligned: completed=\d+ aborted=\d+ \(alignment faults \d+\)",
            p + r"gicregs: stray=0 self=1",
            p + r"gicregs: attempts=50965 aborts=\d+ undefs=0 other=0"]


def hostile_fetch(p):
    """The fetch phase: every way of making Vireo read a device refused."""
    return ([p + esc(f"fetch: execute from {what}: instruction abort (ifsc 0x10)")
             for what in HOSTILE_FETCH_EXEC]
            + [p + esc(f"fetch: code page remapped to {target} without TLB maintenance: ")
               + r"refused=[1-9]\d* fetch-aborted=\d+ emulated=\d+"
               for target in HOSTILE_FETCH_TARGETS]
            + [p + esc("fetch: hypercalls given devices' IPAs: refused=10 of 10"),
               p + r"fetch: attempts=446 aborts=\d+ undefs=0 other=0"])


def hostile_expect(ipa_bits, name="hostile", gic=3):
    """The hostile guest's lines, in order, from its start to its end."""
    p = esc(f"[{name}] hostile: ")
    mem = HOSTILE_MEMORY_ATTEMPTS[ipa_bits]
    return ([p + esc("start (signalled)"),
             p + esc("MDSCR_EL1 as found: 0x0"),
             p + r"ram: attempts=\d+ aborts=0 undefs=0 other=0",
             p + rf"memory: attempts={mem} aborts={mem} undefs=0 other=0",
             p + r"devices: attempts=(\d+) aborts=\1 undefs=0 other=0",
             p + r"sysreg: el2/el3 encodings: attempts=24576 undefs=24576",
             p + r"sysreg: attempts=65314 aborts=0 undefs=\d+ other=0",
             p + r"calls: attempts=7084 aborts=0 undefs=0 other=0"]
            + hostile_sgi_gicregs(p, gic) + hostile_fetch(p)
            + [p + r"spin: attempts=1 aborts=0 undefs=0 other=0",
               p + "done",
               esc(f"vireo: {name} stopped: powered off (PSCI SYSTEM_OFF)")])


HOSTILE_FORBID = [r"hostile: .*(LEAK|STORE ACCEPTED)", r"unexpected exception"]


def sysreg_undefs_consistent(lines):
    """A check: every system register access either completed or was
    undefined, so the two counts add up to the attempts."""
    done = und = None
    for line in lines:
        if m := re.search(r"hostile: sysreg: completed reads=(\d+) writes=(\d+),", line):
            done = int(m.group(1)) + int(m.group(2))
        if m := re.search(r"hostile: sysreg: attempts=(\d+) aborts=0 undefs=(\d+) other=0$", line):
            und = (int(m.group(1)), int(m.group(2)))
    if done is None or und is None:
        return ["no sysreg totals"]
    return [] if done + und[1] == und[0] else [
        f"sysreg: {done} completed + {und[1]} undefined != {und[0]} attempts"]


def heartbeat_throughout(beats, linux="linux", hostile="hostile"):
    """A check: the Linux VM printed every heartbeat, each with its memory's
    checksum intact, several while the hostile VM attacked, at least one
    while it spun with interrupts masked, and more after it was done."""
    def check(lines):
        def first(pattern):
            return next((i for i, line in enumerate(lines) if re.fullmatch(pattern, line)), None)

        h = esc(f"[{hostile}] hostile: ")
        start, spin, spun, done = (first(h + esc("start (signalled)")), first(h + "spin: start"),
                                   first(h + r"spin: attempts=.*"), first(h + "done"))
        if None in (start, spin, spun, done):
            return ["the hostile guest's start, spin or end is missing"]
        beat = re.compile(esc(f"[{linux}] vireo-test: heartbeat ") + r"(\d+) sum=(\S+)")
        seen = [(i, int(m.group(1)), m.group(2)) for i, line in enumerate(lines)
                if (m := beat.fullmatch(line))]
        problems = [f"heartbeat {n}: sum={s}" for _, n, s in seen if s != "ok"]
        if [n for _, n, _ in seen] != list(range(1, beats + 1)):
            problems.append(f"heartbeats are not 1..{beats} in order: {[n for _, n, _ in seen]}")
        during = sum(start < i < done for i, _, _ in seen)
        masked = sum(spin < i < spun for i, _, _ in seen)
        after = sum(i > done for i, _, _ in seen)
        if during < 3 or masked < 1 or after < 3:
            problems.append(f"heartbeats: {during} during the attacks, {masked} during the "
                            f"masked spin, {after} after; want at least 3, 1 and 3")
        return problems
    return check


HOSTILE_BEATS = 80


def hostile_beside_linux(name, extra=(), linux_cpus=2, gic=3, affinity=None):
    """The hostile guest, started once a Linux VM beside it beats, and that
    Linux VM running heartbeat.sh through all of it. With affinity, both VMs
    are pinned to that one CPU."""
    append = f"{append_for('heartbeat')} vireo.beats={HOSTILE_BEATS}"
    pin = "" if affinity is None else f",affinity={affinity}"
    return Case(
        name,
        list(extra) + (["--gic", str(gic)] if gic != 3 else []) + [
            "--vm", f"name=hostile,kernel={GUESTS}/hostile.bin{pin}",
            "--vm", f"name=linux,kernel={LINUX_IMAGE},initrd={LINUX_INITRD},"
                    f"append={append},cpus={linux_cpus}{pin}"],
        inputs=[(esc("[linux] vireo-test: heartbeat 3 sum=ok"), "g")],
        expect=hostile_waits(44, gic=gic)
        + [esc(f"[linux] vireo-init: ready ({linux_cpus} cpus)"),
           esc(f"[linux] vireo-test: heartbeat start beats={HOSTILE_BEATS}")]
        + hostile_expect(44, gic=gic)
        + [esc("[linux] vireo-test: heartbeat done bad=0"),
           esc("[linux] vireo-init: test heartbeat ended with status 0; powering off"),
           esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)"),
           r"vireo: no VM left; powering off"],
        forbid=[r"Kernel panic", r"Internal error", r"sum=BAD"] + HOSTILE_FORBID
        + ALWAYS_FORBID,
        checks=[sysreg_undefs_consistent, heartbeat_throughout(HOSTILE_BEATS)],
        # The longest runs of the suite: 45 to 70 s each on an idle
        # machine, and up to 250 s with two CPU hogs beside tests/run.py
        # -j 3 (isolation_hostile_gicv2), too near LINUX_TIMEOUT.
        timeout=2 * LINUX_TIMEOUT, setup=need_linux)


LINUX_CASES += [
    # Each VM on CPUs of its own.
    # The Linux VM owns a virtio-rng device (the highest transport, which the
    # hostile guest's devices phase probes: it must abort), so its RAM is
    # direct-mapped.
    hostile_beside_linux("isolation_hostile_beside_linux", ["--rng"]),
    # One CPU for both: the scheduler must take it back from a guest that
    # traps by the hundred thousand or spins with interrupts masked. (The
    # guest's "MDSCR_EL1 as found" line read Linux's debug state here,
    # 0x1000, before Vireo switched the debug registers; it must read 0x0.)
    hostile_beside_linux("isolation_hostile_shares_a_cpu_with_linux", ["--host-cpus", "1"],
                         linux_cpus=1),
    # The same on a GICv2 host (QEMU's gic-version=2), where the VM's CPU
    # interface is the hardware's GICV page in its stage 2: the fetch
    # phase's attempts to make Vireo read it must all be refused.
    hostile_beside_linux("isolation_hostile_gicv2", gic=2),
    # GICv2, both VMs pinned to CPU 1 of two: the GICV page, its list
    # registers and the TLB are handed from one VM to the other on the
    # same CPU while the hostile one hammers them, and the Linux VM's
    # 8 MiB checksum must hold throughout.
    hostile_beside_linux("isolation_hostile_gicv2_shares_a_cpu_with_linux",
                         ["--host-cpus", "2"], linux_cpus=1, gic=2, affinity=1),
]

CASES.append(Case(
    "isolation_hostile_cpu_max",
    ["--cpu", "max"] + vm("hostile", "hostile"),
    inputs=[(r"hostile: waiting for a byte", "g")],
    expect=hostile_waits(48) + hostile_expect(48) + [r"vireo: no VM left; powering off"],
    forbid=HOSTILE_FORBID + ALWAYS_FORBID,
    checks=[sysreg_undefs_consistent], timeout=120))


# --- the paravirtual interface (docs/hypercalls.md) ---------------------------
#
# guests/pvtest calls every hypercall with valid and invalid arguments over
# both conduits and prints one line per check; the count pins that none was
# skipped (more with -cpu max, whose RNDR brings the TRNG). It runs with two
# vCPUs, so vCPU 1's shared page and stolen-time record are checked too.
# Each vCPU has a CPU of its own: stolen time must stay 0 throughout, also
# across YIELDs.

PVTEST_CHECKS = {"cortex-a72": 157, "max": 170}


def pvtest_case(cpu, host_cpus=4):
    p = esc("[vm0] pvtest: ")
    suffix = "" if host_cpus == 4 else "_on_one_cpu"
    return Case(
        f"pvtest_{cpu.replace('-', '_')}{suffix}",
        ["--cpu", cpu, "--cpus", "2", "--host-cpus", str(host_cpus)] + kernel("pvtest"),
        expect=[p + "start",
                p + r"ram 0x40000000-0x43ffffff",
                p + esc("dt: vireo,hypervisor-1.0 node: ok"),
                p + esc("detect: call_uid is vireo's: ok"),
                p + esc("page: sequence after set: ok"),
                # CONSOLE_WRITE's text, on the VM's console like its UART's.
                p + esc("console_write through hvc"),
                p + esc("hvc: console_write line: ok"),
                p + esc("console_write through smc"),
                p + esc("smc: console_write line: ok")]
        + [p + esc(f"console_write 4096: line {n:02d} ") + r"\.{91}" for n in range(32)]
        + [p + esc("hvc: console_write 4096: ok"),
           p + esc("page: after invalid calls: sequence advances: ok"),
           p + esc("page: after invalid calls: stolen_ns: ok"),
           p + esc("page: nothing written after stop: ok"),
           p + esc(f"cpu has RNDR: {'yes' if cpu == 'max' else 'no'}"),
           p + esc("vcpu1: page: vcpu_id: ok"),
           p + esc("vcpu1: pv_time_st: ok"),
           p + esc(f"done, {PVTEST_CHECKS[cpu]} checks, 0 failed"),
           esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)"),
           r"vireo: no VM left; powering off"],
        forbid=[r"pvtest: .*: FAIL", r"unexpected exception"] + ALWAYS_FORBID,
        timeout=60)


# Both vCPUs on one CPU: vCPU 1, started by CPU_ON, gets its turns while
# vCPU 0 spins, and a YIELD with nobody else to run steals nothing.
CASES += [pvtest_case("cortex-a72"), pvtest_case("max"), pvtest_case("cortex-a72", 1)]


def ping_pong(rounds):
    """pvchan's messages, in the order causality gives them: each end
    prints what it got before it answers."""
    out = []
    for n in range(1, rounds + 1):
        out += [esc(f'[pong] pvchan: got "ping {n}"'), esc(f'[ping] pvchan: got "pong {n}"')]
    return out


# tests/integration/configs/channel.dts: ping and pong share channel 0; the
# outsider, not named by it, is refused by both hypercalls (also with the
# channel id in the upper half of DOORBELL's x1, which an SMC32 call
# ignores) and cannot read the channel's memory. Once pong has powered off,
# ping's doorbell is refused too.
CASES.append(Case(
    "channel_demo_ping_pong",
    ["--config", os.path.join(CONFIGS, "channel.dts")],
    expect=ping_pong(5) + [esc("[ping] pvchan: doorbell(0) once the other end is off = -3"),
                           esc("vireo: ping stopped: powered off (PSCI SYSTEM_OFF)"),
                           r"vireo: no VM left; powering off"],
    expect_any=[esc("[ping] pvchan: channel 0: ipa 0x9400000 size 0x1000 intid 64, end 0"),
                esc("[pong] pvchan: channel 0: ipa 0x9400000 size 0x1000 intid 64, end 1"),
                esc("[ping] pvchan: channel_info(1) = -2"),
                esc("[ping] pvchan: doorbell(1) = -2"),
                esc("[ping] pvchan: done, 5 sent, 5 received, woken by doorbells"),
                esc("[pong] pvchan: done, 5 sent, 5 received, woken by doorbells"),
                esc("[ping] pvchan: ok"),
                esc("[pong] pvchan: ok"),
                esc("[outsider] pvchan: not an end of channel 0"),
                esc("[outsider] pvchan: channel_info(0) = -3"),
                esc("[outsider] pvchan: doorbell(0) = -3"),
                esc("[outsider] pvchan: doorbell(0x100000000) = -3"),
                esc("[outsider] pvchan: channel_info(1) = -2"),
                esc("[outsider] pvchan: read of 0x9400000: data abort, not mapped here"),
                esc("[outsider] pvchan: outsider: refused"),
                esc("vireo: pong stopped: powered off (PSCI SYSTEM_OFF)"),
                esc("vireo: outsider stopped: powered off (PSCI SYSTEM_OFF)")],
    forbid=[r"UNEXPECTED", r"FAIL", r"NOT REFUSED", r"NEVER WOKEN", r"error",
            r"not the doorbell", r"unexpected exception"] + ALWAYS_FORBID,
    timeout=60))


# Unmodified Linux and the standard calls: PV time's stolen-time records
# feed /proc/stat's steal column (guests/linux/tests/steal.sh), and the
# SMCCC TRNG becomes the kernel's hwrng (trng.sh). No --icount: the steal
# loops run for seconds of guest time, which under -icount is billions of
# instructions on one host thread; and the TRNG boot is no faster with it.

PV_TIME = KERNEL_TIME + esc("arm-pv: using stolen time PV")


def steal_ticks(names, at_least):
    """A check: each VM's steal.sh counted at least this many steal ticks."""
    def check(lines):
        problems = []
        for name in names:
            got = [int(m.group(1)) for line in lines
                   if (m := re.fullmatch(esc(f"[{name}] vireo-test: steal ticks=") + r"(\d+)",
                                         line))]
            if not got:
                problems.append(f"{name}: no steal ticks line")
            elif got[0] < at_least:
                problems.append(f"{name}: steal ticks={got[0]}, want at least {at_least}")
        return problems
    return check


def linux_vm(name, test, cpus=2, extra=""):
    return ["--vm", f"name={name},kernel={LINUX_IMAGE},initrd={LINUX_INITRD},cpus={cpus},"
                    f"append={append_for(test)}{extra}"]


# Both VMs' loops start together: each waits for a line on its console
# once booted, and the runner types one to each (the second after moving
# the focus, Ctrl-] 1) when both wait. The uptime could not do it: the
# guests' clocks run with the host's, so on a loaded host both boots end
# late by it, past the 12 s the loops were to end at (each then looped
# for its minimum of 2 s), and the loops overlapped only when the two
# boots ended within those 2 s of each other.
STEAL_SYNC = " vireo.busy_start=console"

LINUX_CASES += [
    # Four vCPUs of two VMs on two CPUs, every one busy: each CPU is shared
    # by a vCPU of each VM, so each vCPU waits about half the time, ~100
    # ticks per second of the loop per VM (100 a second, 2 vCPUs). At
    # least 30 leaves a wide margin.
    Case("linux_steal_under_overcommit",
         ["--host-cpus", "2"] + linux_vm("la", "steal", extra=STEAL_SYNC)
         + linux_vm("lb", "steal", extra=STEAL_SYNC),
         inputs=[(esc("[la] vireo-test: steal waiting"), ""),
                 (esc("[lb] vireo-test: steal waiting"), "\n\x1d1\n")],
         expect_any=[esc("[la] ") + PV_TIME, esc("[lb] ") + PV_TIME,
                     esc("[la] vireo-test: steal ticks=") + r"\d+",
                     esc("[lb] vireo-test: steal ticks=") + r"\d+",
                     esc("vireo: la stopped: powered off (PSCI SYSTEM_OFF)"),
                     esc("vireo: lb stopped: powered off (PSCI SYSTEM_OFF)"),
                     r"vireo: no VM left; powering off"],
         checks=[steal_ticks(["la", "lb"], 30)],
         forbid=[r"Kernel panic", r"Internal error"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
    # Two vCPUs on four CPUs: each has a CPU to itself and never waits for
    # another vCPU, which is all Vireo counts as stolen (docs/hypercalls.md:
    # "with a CPU of its own it stays 0"). Not noise that a bound would
    # absorb: the count is exactly 0, from boot on, and anything else is a
    # bug in the accounting.
    Case("linux_steal_alone",
         linux("steal"),
         expect=[esc("[linux] ") + PV_TIME,
                 esc("[linux] vireo-init: ready (2 cpus)"),
                 esc("[linux] vireo-test: steal before=0 after=0"),
                 esc("[linux] vireo-test: steal ticks=0"),
                 esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"Kernel panic", r"Internal error"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
    # -cpu max has RNDR, so Vireo offers the TRNG and Linux's smccc_trng
    # driver (Debian's module, loaded by trng.sh) is the current hwrng.
    Case("linux_trng_cpu_max",
         ["--cpu", "max"] + linux("trng"),
         expect=[esc("[linux] vireo-init: ready (2 cpus)"),
                 esc("[linux] vireo-test: rng=smccc_trng"),
                 esc("[linux] vireo-test: hwrng read ok"),
                 esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"Kernel panic", r"Internal error"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
]


# --- a panicked Linux noticed: its watchdog --------------------------------------
#
# guests/linux/tests/watchdog.sh loads Debian's sbsa_gwdt, runs busybox's
# watchdog daemon (a 6 s timeout, refreshed every second), shows the VM
# alive past the timeout, then panics the kernel (sysrq c). Nothing refreshes
# the watchdog any more; Vireo must notice its expiry by itself, within the
# timeout plus a few seconds of the last refresh, and apply on-crash.

WATCHDOG_READY = esc("[linux] vireo-test: watchdog: sbsa generic watchdog ready "
                     "(timeout 6 s, bootstatus 0x")
WATCHDOG_EXPIRED = r"watchdog expired \(not refreshed for (\d+) ms\)"


def expired_within(lo_ms, hi_ms):
    """A check: the expiry came lo_ms to hi_ms after the last refresh."""
    def check(lines):
        for line in lines:
            if m := re.search(WATCHDOG_EXPIRED, line):
                ms = int(m.group(1))
                return [] if lo_ms <= ms <= hi_ms else [
                    f"expired {ms} ms after the last refresh, not {lo_ms}-{hi_ms}"]
        return ["no expiry"]
    return check


WATCHDOG_SCRIPT = [
    esc("[linux] vireo-test: watchdog: alive after 12 s of the daemon's refreshes"),
    esc("[linux] vireo-test: watchdog: panicking"),
    esc("[linux] ") + KERNEL_TIME + esc("Kernel panic - not syncing: sysrq triggered crash")]

LINUX_CASES += [
    # The Linux VM panics beside the hostile guest, which starts its phases
    # as the kernel panics and must run them all to its end: the expiry
    # stops only the Linux VM, and the launcher's status says a VM did not
    # end cleanly.
    Case("linux_watchdog_panic_stops_the_vm",
         ["--vm", f"name=hostile,kernel={GUESTS}/hostile.bin"]
         + linux_vm("linux", "watchdog"),
         inputs=[(esc("[linux] vireo-test: watchdog: panicking"), "g")],
         expect=[WATCHDOG_READY + r"0\)"] + WATCHDOG_SCRIPT
         + [r"vireo: linux stopped: " + WATCHDOG_EXPIRED],
         expect_any=hostile_expect(44)[1:],
         forbid=[r"Internal error", r"still here after the panic"] + HOSTILE_FORBID
         + ALWAYS_FORBID,
         checks=[expired_within(6000, 9000)], status=1, timeout=LINUX_TIMEOUT,
         setup=need_linux),
    # on-crash "restart": the VM boots again, and Debian's driver reads the
    # watchdog's WS1 as the cause of the reset (WDIOF_CARDRESET); the test
    # then powers off.
    Case("linux_watchdog_panic_restarts",
         linux_vm("linux", "watchdog", extra=",on-crash=restart"),
         expect=[WATCHDOG_READY + r"0\)"] + WATCHDOG_SCRIPT
         + [r"vireo: linux crashed: " + WATCHDOG_EXPIRED + r"; restarting it",
            esc("vireo: linux: resetting"),
            esc("[linux] ") + KERNEL_TIME + esc("sbsa-gwdt 9100000.watchdog: System reset by WDT."),
            WATCHDOG_READY + r"20\)",
            esc("[linux] vireo-test: watchdog: the last reset was the watchdog's"),
            esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"Internal error", r"still here after the panic"] + ALWAYS_FORBID,
         checks=[expired_within(6000, 9000)], timeout=LINUX_TIMEOUT, setup=need_linux),
]

# --- the benchmark harness (tools/bench.py, docs/benchmarks.md) -------------------
#
# The bare-metal benchmark under Vireo and natively, with 1 and 2 CPUs, and
# two VMs on one CPU, and the 32-bit one (guests/aarch32/bench32) under
# Vireo and natively, each run twice under -icount: every figure must be
# there and the same both times. (What the figures are is
# docs/benchmarks.md's business, not a test's.)
CASES.append(Case(
    "bench_figures_repeat_exactly",
    [os.path.join(TOP, "tools", "bench.py"), "--only", "bare", "--only", "aarch32", "--runs", "2",
     "--no-profile", "--check", "-j", "1"],
    native=True,
    expect=[r"bench: repeatable: \d+ figures and \d+ runs' totals the same in 2 repeats(; .*)?"],
    forbid=[r"FAIL"], timeout=120))
