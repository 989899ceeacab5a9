"""The integration scenarios: each boots Vireo in QEMU with some guests.

A case lists the launcher arguments, the lines that must appear in order
(`expect`), lines that must appear in any order (`expect_any`), lines that
must not appear (`forbid`), and the launcher's exit status. A case whose
boot does not end by itself (Vireo halting on purpose, a guest that resets
forever) names an `until` line; the runner stops QEMU when that line has
appeared `until_count` times instead of waiting for the timeout.
Patterns are Python regular expressions matched against whole lines.
"""
import os
import re
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUESTS = os.path.join(TOP, "build", "guests")
TMP = os.path.join(TOP, "build", "test-tmp")


class Case:
    def __init__(self, name, args, expect=(), expect_any=(), forbid=(), status=0,
                 until=None, until_count=1, timeout=60, setup=None):
        self.name, self.args, self.until, self.timeout = name, args, until, timeout
        self.until_count = until_count
        self.expect, self.expect_any, self.forbid = expect, expect_any, forbid
        self.status, self.setup = status, setup

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
        if returncode is not None and returncode != self.status:
            problems.append(f"launcher exit status {returncode}, expected {self.status}")
        return problems


def vm(guest):
    return ["--vm", f"kernel={GUESTS}/{guest}.bin"]


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


def bad_gic_dtb():
    """QEMU's own device tree, with the GICv3 redistributors left out of its
    "reg". (QEMU rewrites /psci and /memory of a -dtb file, so those cannot
    be broken this way.)"""
    os.makedirs(TMP, exist_ok=True)
    dtb = os.path.join(TMP, "virt.dtb")
    bad = os.path.join(TMP, "gic-no-redist.dtb")
    subprocess.run(["qemu-system-aarch64", "-M",
                    f"virt,virtualization=on,gic-version=3,dumpdtb={dtb}",
                    "-cpu", "cortex-a72", "-smp", "4", "-m", "1G", "-nographic"],
                   check=True, capture_output=True)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], check=True,
                         capture_output=True, text=True).stdout
    full = "reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0xf60000>"
    assert full in dts, "QEMU's GIC node changed; update this test"
    dts = dts.replace(full, "reg = <0x00 0x8000000 0x00 0x10000>")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", bad, "-"], input=dts,
                   check=True, text=True)
    return bad


CASES = [
    Case("boot_gicv3_hello", vm("hello"),
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
    Case("boot_gicv2_hello", ["--gic", "2"] + vm("hello"),
         expect=[r"vireo: gic: GICv2, distributor at 0x8000000",
                 r"vireo: 4 of 4 CPUs online"] + HELLO,
         forbid=ALWAYS_FORBID),
    Case("boot_cpu_max_hello", ["--cpu", "max"] + vm("hello"),
         expect=[r"vireo: 4 of 4 CPUs online"] + HELLO, forbid=ALWAYS_FORBID),
    Case("boot_one_cpu", ["--smp", "1"] + vm("hello"),
         expect=[r"vireo: cpus: 1, PSCI via smc", r"vireo: 1 of 1 CPUs online"] + HELLO,
         forbid=ALWAYS_FORBID),
    Case("abort_injected_into_guest", vm("abort"),
         expect=[r"\[vm0\] abort test: start",
                 r"\[vm0\] data abort: ec=0x25 dfsc=0x10 far=0x30000000",
                 r"\[vm0\] after data abort",
                 r"\[vm0\] load skipped: aborts=1 value=0xdeadbeef",
                 r"\[vm0\] data abort: ec=0x25 dfsc=0x10 far=0x8000010",
                 r"\[vm0\] after store abort",
                 r"\[vm0\] instruction abort: ec=0x21 ifsc=0x10 far=0x20000000",
                 r"\[vm0\] after instruction abort",
                 r"\[vm0\] abort test: done",
                 esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID),
    Case("mmio_emulation_both_decoders", vm("mmio"),
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
    Case("system_reset_zeroes_memory", vm("reset"),
         expect=[r"\[vm0\] reset: boot with clean memory",
                 r"vireo: vm0: resetting",
                 r"\[vm0\] reset: boot with clean memory"],
         forbid=ALWAYS_FORBID, until=r"\[vm0\] reset: boot with clean memory", until_count=2,
         timeout=30),
    Case("crash_stops_only_that_vm", vm("crash") + vm("hello"),
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
    Case("refuses_el1_entry", ["--no-virt"] + vm("hello"),
         expect=[r"vireo: entered at EL1; Vireo must be started at EL2 \(hypervisor mode\)\. "
                 r"On QEMU, use -M virt,virtualization=on\. Halting\."],
         forbid=[r"hello from a Vireo guest"], until=r".*Halting\.", timeout=30),
]

# Built on demand: the bad device tree needs QEMU and dtc at test time.
CASES.append(Case(
    "refuses_bad_device_tree", ["--dtb", "@"] + vm("hello"),
    expect=[r"vireo: cannot use the device tree at 0x[0-9a-f]+: intc@8000000: \"reg\" must "
            r"give the distributor and redistributors\. Halting\."],
    forbid=[r"hello from a Vireo guest", r"PANIC"], until=r".*Halting\.", timeout=30,
    setup=bad_gic_dtb))
