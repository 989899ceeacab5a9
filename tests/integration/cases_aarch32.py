"""The integration scenarios of 32-bit Linux guests (issue 18): Debian's
armhf kernel (linux-image-armmp-lpae, a zImage) with the initramfs of
guests/linux/ built around busybox-static:armhf, both made by
scripts/setup.sh in .deps/guest/armhf/ (docs/linux.md, "32-bit guests").
The same Case as cases.py.

  - linux32_smp: the zImage alone in a 2-vCPU VM, Vireo telling it is
    AArch32 by its magic (no --arch), on a GICv3 host and (linux32_smp_
    gicv2) on a GICv2 one: the kernel finds PSCI 1.1 and SMCCC 1.1 behind
    hvc, brings CPU1 up, and smp.sh sees both CPUs run user code; no
    WARN, BUG or Oops, and no warning or error line the native boot does
    not print too; the VM powers itself off (PSCI SYSTEM_OFF).
  - linux32_beside_linux64: the same VM, named with arch=aarch32, beside
    the arm64 Linux VM on two more vCPUs: both reach their self-test and
    power off, then the machine.
  - their native twins (NATIVE_CASES, tests/run.py --native): the same
    kernel and initramfs on QEMU without Vireo. QEMU 7.2's TCG cannot
    turn AArch64 off in a Cortex-A72 ("-cpu cortex-a72,aarch64=off" is
    for KVM only), so they run qemu-system-arm's "max", an ARMv8-A CPU in
    AArch32 (MIDR 0x411fd070), which is what an A72's EL1 looks like
    under Vireo; QEMU's own PSCI answers through hvc there, SMCCC 1.0.

No case runs under
-icount: QEMU 7.2 boots this kernel on one CPU under "-icount
shift=0,sleep=off", but with two it stops for good when the kernel first
switches clocksource (stop_machine, at about 0.1 s of guest time), natively
too, so the timeouts are in wall seconds, as for the arm64 Linux cases.
"""
import os
import subprocess
import threading

from cases import (ALWAYS_FORBID, KERNEL_TIME, LINUX_IMAGE, LINUX_INITRD, LINUX_TIMEOUT,
                   SLOWDOWN, Case, append_for, esc, need_linux, suspicious)

ARMHF_DIR = os.path.join(os.path.dirname(LINUX_IMAGE), "armhf")
ZIMAGE = os.path.join(ARMHF_DIR, "zImage")
INITRD32 = os.path.join(ARMHF_DIR, "initramfs.cpio.gz")
# Lines no boot of this guest prints, under Vireo or natively.
FORBID = [r"Kernel panic", r"Internal error", r"WARNING", r"\bBUG\b", r"Oops",
          r"Unable to handle"]


def need_linux32():
    for path in (ZIMAGE, INITRD32):
        if not os.path.isfile(path):
            raise RuntimeError(f"{path} is missing: run scripts/setup.sh")


def linux32(test, cpus=2):
    """Launcher arguments for one 32-bit Linux VM named "linux"."""
    return ["--name", "linux", "--kernel", ZIMAGE, "--initrd", INITRD32,
            "--append", append_for(test), "--cpus", str(cpus)]


def native32_command(test, gic=3, smp=2):
    """QEMU booting the 32-bit Linux guest directly, without Vireo."""
    return ["qemu-system-arm", "-M", f"virt,gic-version={gic}", "-cpu", "max",
            "-smp", str(smp), "-m", "512M", "-nographic", "-kernel", ZIMAGE,
            "-initrd", INITRD32, "-append", append_for(test)]


_native_logs = {}
_native_lock = threading.Lock()


def native32_boot(test, gic):
    """The console lines of a native boot (once per test and GIC)."""
    with _native_lock:
        if (test, gic) not in _native_logs:
            need_linux32()
            proc = subprocess.run(native32_command(test, gic), stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=LINUX_TIMEOUT * SLOWDOWN)
            out = (proc.stdout + proc.stderr).decode(errors="replace")
            _native_logs[test, gic] = out.replace("\r", "").splitlines()
        return _native_logs[test, gic]


def no_new_errors_over_native32(test, gic):
    """A check: no warning or error line the native boot does not show."""
    def check(lines):
        try:
            native = native32_boot(test, gic)
        except subprocess.TimeoutExpired as e:
            return [f"the native boot did not end within {e.timeout:g} s"]
        extra = suspicious(lines) - suspicious(native)
        return [f"not in the native boot: {line}" for line in sorted(extra)]
    return check


def linux32_boot(prefix, smccc):
    """What every boot of the 32-bit guest prints, in order. The arm kernel
    says less than arm64's about a secondary CPU: its thread/cpu/socket
    line, from the MPIDR (bit 31 set, as the architecture has it)."""
    k = prefix + KERNEL_TIME
    return [k + esc("psci: PSCIv1.1 detected in firmware."),
            k + esc("psci: Using standard PSCI v0.2 function IDs"),
            k + esc(f"psci: SMC Calling Convention v{smccc}"),
            k + esc("CPU1: thread -1, cpu 1, socket 0, mpidr 80000001"),
            k + esc("smp: Brought up 1 node, 2 CPUs"),
            prefix + esc("vireo-init: ready (2 cpus)")]


def smp_test(prefix):
    """smp.sh's lines, and init's after it."""
    return [prefix + esc("vireo-test: nproc=2"),
            prefix + esc("vireo-test: cpu0 busy=yes cpu1 busy=yes"),
            prefix + esc("vireo-init: test smp ended with status 0; powering off")]


def smp_case(gic, native):
    """smp.sh in a 2-vCPU 32-bit VM (or natively), on a GICv3 or GICv2 host."""
    name = "linux32_" + ("native_" if native else "") + "smp" + ("_gicv2" if gic == 2 else "")
    p = "" if native else esc("[linux] ")
    expect = (linux32_boot(p, "1.0" if native else "1.1") + smp_test(p)
              + ([] if native else [esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")]))
    any_order = [p + esc("vireo-test: cpu0 done"), p + esc("vireo-test: cpu1 done")]
    if native:
        return Case(name, native32_command("smp", gic), native=True,
                    expect=expect + [KERNEL_TIME + esc("reboot: Power down")], expect_any=any_order,
                    forbid=FORBID, timeout=LINUX_TIMEOUT, setup=need_linux32)
    return Case(name, (["--gic", "2"] if gic == 2 else []) + linux32("smp"), expect=expect,
                expect_any=any_order, forbid=FORBID + ALWAYS_FORBID,
                checks=[no_new_errors_over_native32("smp", gic)],
                timeout=LINUX_TIMEOUT, setup=need_linux32)


def both_linux():
    need_linux32()
    need_linux()


SMP = "console=ttyAMA0 vireo.test=smp"
BESIDE = Case(
    "linux32_beside_linux64",
    ["--vm", f"name=l32,kernel={ZIMAGE},initrd={INITRD32},cpus=2,arch=aarch32,append={SMP}",
     "--vm", f"name=l64,kernel={LINUX_IMAGE},initrd={LINUX_INITRD},cpus=2,append={SMP}"],
    expect_any=[esc(f"[{vm}] vireo-test: {line}") for vm in ("l32", "l64")
                for line in ("nproc=2", "cpu0 busy=yes cpu1 busy=yes")]
    + [esc(f"vireo: {vm} stopped: powered off (PSCI SYSTEM_OFF)") for vm in ("l32", "l64")]
    + [esc("[l32] ") + KERNEL_TIME + esc("psci: SMC Calling Convention v1.1"),
       r"vireo: no VM left; powering off"],
    forbid=FORBID + ALWAYS_FORBID, timeout=LINUX_TIMEOUT, setup=both_linux)

# The long Linux boots, which tests/run.py starts first.
LINUX_CASES = [smp_case(3, False), smp_case(2, False), BESIDE]
NATIVE_CASES = [smp_case(3, True), smp_case(2, True)]
CASES = []
