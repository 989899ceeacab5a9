"""The integration scenarios on the Raspberry Pi 3B (QEMU's raspi3b):
Vireo on a board with no GIC and no PSCI (docs/boards/raspi3b.md). The
same Case as cases.py; every run is `./vireo run --board raspi3b ...`.
"""
from cases import ALWAYS_FORBID, HELLO, Case, esc, kernel

PI = ["--board", "raspi3b"]

BOOT_REPORT = [
    r"Vireo hypervisor, booting at EL2",
    r"vireo: machine: Raspberry Pi 3 Model B",
    esc("vireo: memory: 0x0-0x3bffffff (960 MiB)"),
    r"vireo: cpus: 4, spin-table, PM watchdog",
    r"vireo: uart: PL011 at 0x3f201000",
    r"vireo: irqchip: BCM2836 local controller at 0x40000000, "
    r"BCM2835 ARM controller at 0x3f00b200",
]

CASES = [
    # The exit status says QEMU ended by itself: Vireo's power-off through
    # the PM watchdog (with -no-reboot) before the timeout.
    Case("raspi3b_boot_hello", PI + kernel("hello"),
         expect=BOOT_REPORT + [
             r"vireo: vm0: 64 MiB RAM at IPA 0x40000000 \(PA 0x[0-9a-f]+\), VMID 1, "
             r"entry 0x40000000",
             r"vireo: 4 of 4 CPUs online"] + HELLO,
         expect_any=[esc(f"vireo: CPU {n} online (MPIDR 0x{n})") for n in (1, 2, 3)],
         forbid=ALWAYS_FORBID, timeout=60),
]
