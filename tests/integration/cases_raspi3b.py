"""The integration scenarios on the Raspberry Pi 3B (QEMU's raspi3b):
Vireo on a board with no GIC and no PSCI (docs/boards/raspi3b.md). The
same Case as cases.py; every run is `./vireo run --board raspi3b ...`.

Each case's exit status 0 also says that QEMU ended by itself: Vireo's
power-off is a reset through the PM watchdog, and the launcher runs the
Pi with -no-reboot.
"""
import copy
import os
import subprocess

import cases
from cases import (ALWAYS_FORBID, GUESTS, HELLO, HOSTILE_FORBID, LINUX_TIMEOUT, TMP, TOP, Case, esc,
                   hostile_expect, hostile_waits, kernel, linux, linux_boot, need_linux, vm)

PI = ["--board", "raspi3b"]
LINUX_FORBID = [r"Kernel panic", r"Internal error"] + ALWAYS_FORBID

BOOT_REPORT = [
    r"Vireo hypervisor, booting at EL2",
    r"vireo: machine: Raspberry Pi 3 Model B",
    esc("vireo: memory: 0x0-0x3bffffff (960 MiB)"),
    r"vireo: cpus: 4, spin-table, PM watchdog",
    r"vireo: uart: mini UART at 0x3f215040",
    r"vireo: irqchip: BCM2836 local controller at 0x40000000, "
    r"BCM2835 ARM controller at 0x3f00b200",
]

ABORTS = [r"\[vm0\] abort test: start",
          r"\[vm0\] data abort: ec=0x25 dfsc=0x10 far=0x30000000",
          r"\[vm0\] data abort: ec=0x25 dfsc=0x10 far=0xa000000",
          r"\[vm0\] instruction abort: ec=0x21 ifsc=0x10 far=0x20000000",
          r"\[vm0\] abort test: done",
          esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)")]

def on_pi(name):
    """A virt case of cases.py, run the same way on the Pi."""
    case = copy.copy(next(c for c in cases.CASES if c.name == name))
    case.name, case.args = "raspi3b_" + name, PI + list(case.args)
    return case


SDCARD = os.path.join(TMP, "sdcard")


def export_sdcard():
    """What ./vireo run --sdcard writes for a real board, two VMs in it."""
    subprocess.run([os.path.join(TOP, "vireo"), "run", "--board", "raspi3b", "--sdcard", SDCARD]
                   + vm("abort", "vm0") + vm("hello", "vm1"), check=True, capture_output=True)


def sdcard_boot():
    """QEMU loading the exported files where the Pi's firmware would, as
    config.txt tells it: Vireo at kernel_address, the tree, and the VMs'
    images as the "initramfs" at its address."""
    with open(os.path.join(SDCARD, "config.txt")) as f:
        addr = next(line.split()[2] for line in f if line.startswith("initramfs "))
    return ["qemu-system-aarch64", "-M", "raspi3b", "-m", "1G", "-nographic", "-serial", "null",
            "-serial", "mon:stdio", "-no-reboot",
            "-kernel", os.path.join(SDCARD, "vireo.bin"), "-dtb", os.path.join(SDCARD, "vireo.dtb"),
            "-device", f"loader,file={os.path.join(SDCARD, 'vms.img')},addr={addr},force-raw=on"]


CASES = [
    Case("raspi3b_boot_hello", PI + kernel("hello"),
         expect=BOOT_REPORT + [
             r"vireo: vm0: 64 MiB RAM at IPA 0x40000000 \(PA 0x[0-9a-f]+\), VMID 1, "
             r"entry 0x40000000",
             r"vireo: 4 of 4 CPUs online"] + HELLO,
         expect_any=[esc(f"vireo: CPU {n} online (MPIDR 0x{n})") for n in (1, 2, 3)],
         forbid=ALWAYS_FORBID, timeout=60),
    # Under -icount QEMU runs the CPUs on one thread in turn: CPU bring-up
    # must give the released CPU its turns (it missed its second before).
    Case("raspi3b_all_cpus_online_under_icount", PI + ["--icount"] + kernel("hello"),
         expect=[r"vireo: 4 of 4 CPUs online", esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID + [r"did not come online"], timeout=60),
    # A guest touching addresses it does not own gets aborts (and a crash
    # stops only its VM) while the VM beside it runs on.
    Case("raspi3b_abort_beside_hello", PI + vm("abort", "vm0") + vm("hello", "vm1"),
         expect=ABORTS,
         expect_any=[esc("[vm1] hello: powering off"),
                     esc("vireo: vm1 stopped: powered off (PSCI SYSTEM_OFF)"),
                     r"vireo: no VM left; powering off"],
         forbid=ALWAYS_FORBID, timeout=60),
    Case("raspi3b_crash_stops_only_that_vm", PI + vm("crash", "vm0") + vm("hello", "vm1"),
         expect=[r"vireo: vm0 stopped: data abort at IPA 0x30000000 .*",
                 r"vireo: no VM left; powering off"],
         expect_any=[esc("vireo: vm1 stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID + [r"crash test: survived"], status=1, timeout=60),
    # Debian's kernel with 2 vCPUs (the software GICv2 CPU interface,
    # the virtual timer through the local controller, IPIs between vCPUs
    # on two CPUs) beside the bare-metal hello guest: make run BOARD=raspi3b.
    Case("raspi3b_demo_linux_smp_beside_hello", PI + ["--demo"],
         expect=BOOT_REPORT + [r"vireo: 4 of 4 CPUs online"],
         expect_any=linux_boot(esc("[linux] "), "1.1") + [
             esc("[hello] hello: powering off"),
             esc("vireo: hello stopped: powered off (PSCI SYSTEM_OFF)"),
             esc("[linux] vireo-test: nproc=2"),
             esc("[linux] vireo-test: cpu0 busy=yes cpu1 busy=yes"),
             esc("[linux] vireo-init: test smp ended with status 0; powering off"),
             esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)"),
             r"vireo: no VM left; powering off"],
         forbid=LINUX_FORBID, timeout=LINUX_TIMEOUT, setup=need_linux),
    # Typed input: the mini UART's receive interrupt through the ARM
    # controller, chained into the local one.
    Case("raspi3b_linux_shell", PI + linux(None),
         inputs=[(r"/ # (\x1b\[6n)?$", "echo rx-works\n"),
                 (r"\[linux\] rx-works", "poweroff -f\n")],
         expect=[esc("[linux] vireo-init: ready (2 cpus)"), esc("[linux] rx-works"),
                 esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=LINUX_FORBID, timeout=LINUX_TIMEOUT, setup=need_linux),
    # The files for a real board's SD card describe a machine Vireo boots:
    # booted here as the firmware would load them.
    Case("raspi3b_sdcard_files_boot", sdcard_boot, native=True, setup=export_sdcard,
         expect=BOOT_REPORT + [esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)")],
         expect_any=[esc("[vm1] hello: powering off"), esc("[vm0] abort test: done"),
                     r"vireo: no VM left; powering off"],
         forbid=ALWAYS_FORBID, timeout=60),
    # The hostile guest's phases (issue 14) against the software GICv2 CPU
    # interface, where every GICC access it hammers traps to Vireo, beside
    # a guest that must still run to its end. A53s have a 40-bit IPA space.
    Case("raspi3b_hostile_beside_hello", PI + vm("hostile", "hostile") + vm("hello", "hello"),
         inputs=[(esc("[hostile] hostile: waiting for a byte"), "g")],
         expect=hostile_waits(40, gic=2) + hostile_expect(40, gic=2),
         expect_any=[esc("[hello] hello: powering off"),
                     esc("vireo: hello stopped: powered off (PSCI SYSTEM_OFF)"),
                     r"vireo: no VM left; powering off"],
         forbid=HOSTILE_FORBID + ALWAYS_FORBID, timeout=240),
    # The watchdog's expiry noticed by Vireo's timer (CNTHP here), its WS0
    # through the software CPU interface.
    on_pi("watchdog_expiry_stops_the_vm"),
    # Channels between VMs: shared memory, doorbells as interrupts through
    # the software CPU interface, and the refusals of an outsider.
    on_pi("channel_demo_ping_pong"),
    # The machine is fixed: the launcher refuses what the board cannot be.
    Case("raspi3b_refuses_other_cpu_counts", PI + ["--host-cpus", "2"] + kernel("hello"),
         expect=[esc("vireo run: --host-cpus 2: a raspi3b has exactly 4 CPUs")], status=3,
         timeout=30),
    Case("raspi3b_refuses_gic_option", PI + ["--gic", "3"] + kernel("hello"),
         expect=[esc("vireo run: --gic: only for --board virt (a raspi3b's is fixed)")],
         status=3, timeout=30),
]
