"""The integration scenarios of the virtual ITS and LPIs (vireo,its = "on",
issue 13). The same Case as cases.py.

  - guests/its on 4 vCPUs: LPIs through INT and GITS_TRANSLATER reach
    vCPU 1 and only it, a disabled LPI waits for INV, MOVI moves it to
    vCPU 2, DISCARD unmaps it, bad commands are ignored, a table outside
    RAM stalls the queue until Retry (the guest prints each check);
  - the same guest without an ITS: the GIC says there are no LPIs, and the
    ITS frame is not there (an external abort, which the guest reports);
  - an ITS asked for on a GICv2 machine: refused at boot, by name;
  - Debian's Linux with an ITS: the ITS and the LPI tables probed, its
    command queue answered (no "ITS queue timeout"), the SMP self-test run
    to the end.
"""
from cases import (ALWAYS_FORBID, GUESTS, KERNEL_TIME, LINUX_IMAGE, LINUX_INITRD,
                   LINUX_TIMEOUT, Case, append_for, esc, linux_boot, need_linux)

CHECKS = ["GICD_TYPER.LPIS, IDbits 13", "GICR_TYPER.PLPIS",
          "GITS_TYPER physical, 8-byte ITEs, 16 DeviceID bits", "vcpus 1-3 online",
          "commands done (CREADR = CWRITER)"]
DELIVERIES = [("INT to vcpu 1", "0 1 0 0"), ("GITS_TRANSLATER to vcpu 1", "0 1 0 0"),
              ("disabled LPI held back", "0 0 0 0"), ("enabled again after INV", "0 1 0 0"),
              ("INT after MOVI to vcpu 2", "0 0 1 0"), ("INT after DISCARD", "0 0 0 0")]
LATER = ["DISCARD then INT of it: queue goes on", "bad MAPTI and unknown command skipped"]


def its_vm(its):
    return ["--vm", f"name=its,kernel={GUESTS}/its.bin,cpus=4,its={its}"]


def ok(check):
    return esc(f"[its] its: {check}: ok")


def delivered(check, counts):
    return [esc(f"[its] its: {check}: LPIs taken by vcpus 0-3: {counts}"), ok(check)]


EXPECT_ITS = ([esc("[its] its: start")] + [ok(c) for c in CHECKS]
              + [line for check, counts in DELIVERIES for line in delivered(check, counts)]
              + [ok(c) for c in LATER]
              + delivered("INT of the badly mapped event", "0 0 0 0")
              + [ok("table outside RAM stalls at its command"), ok("Retry runs the queue again")]
              + delivered("INT to vcpu 3 after all that", "0 0 0 1")
              + [esc("[its] its: done, 0 failures"),
                 esc("vireo: its stopped: powered off (PSCI SYSTEM_OFF)")])

LINUX_ITS = ["--vm", f"name=linux,kernel={LINUX_IMAGE},initrd={LINUX_INITRD},"
             f"append={append_for('smp')},cpus=2,its=on"]
K = esc("[linux] ") + KERNEL_TIME

CASES = [
    Case("its_lpi_to_vcpu1_of_4", its_vm("on"), expect=EXPECT_ITS,
         forbid=[r"FAIL"] + ALWAYS_FORBID, timeout=60),
    Case("its_absent_without_its_on", its_vm("off"),
         expect=[esc("[its] its: GICD_TYPER.LPIS, IDbits 13: FAIL"),
                 esc("[its] its: GICR_TYPER.PLPIS: FAIL"),
                 r"\[its\] unexpected exception: vector=4 esr=0x96\S+ elr=\S+ far=0x8080008",
                 esc("vireo: its stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID, timeout=60),
    Case("its_refused_on_gicv2", ["--gic", "2"] + its_vm("on"),
         expect=[esc('vireo: configuration rejected: its: "vireo,its" = "on" needs a GICv3; '
                     "this machine's virtual GIC is a GICv2"),
                 r"vireo: halting\.", r"vireo run: Vireo refused the configuration: .*"],
         forbid=[r"\[\S+\] ", r"PANIC"], status=3, timeout=30),
    Case("linux_its_probe", LINUX_ITS,
         expect=[K + esc("ITS [mem 0x08080000-0x0809ffff]"),
                 K + esc("ITS@0x0000000008080000: allocated 65536 Devices @") + r"[0-9a-f]+ "
                 + esc("(flat, esz 8, psz 64K, shr 1)"),
                 K + esc("ITS@0x0000000008080000: allocated 8192 Interrupt Collections @")
                 + r"[0-9a-f]+ " + esc("(flat, esz 8, psz 64K, shr 1)"),
                 K + esc("GICv3: using LPI property table @0x") + r"[0-9a-f]+",
                 K + esc("GICv3: CPU0: using allocated LPI pending table @0x") + r"[0-9a-f]+",
                 K + esc("GICv3: CPU1: using allocated LPI pending table @0x") + r"[0-9a-f]+",
                 ] + linux_boot(esc("[linux] "), "1.1")[3:] + [
                 esc("[linux] vireo-test: nproc=2"),
                 esc("[linux] vireo-test: cpu0 busy=yes cpu1 busy=yes"),
                 esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"ITS.*([Ff]ail|timeout|[Ee]rror)", r"WARN", r"Kernel panic"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
]
