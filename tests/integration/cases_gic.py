"""The integration scenarios of the virtual GIC's conformance (issue 13):
the in-tree guest gicconf (guests/gicconf/main.c) with 4 vCPUs, checking
register by register that the timers' interrupts are levels (pending
bits cleared by disabling, masking or rearming the timer, no stale
interrupt after) and, on a GICv2, the SGI sender in GICC_IAR, per-sender
pending state in GICD_SPENDSGIR, GICD_SGIR's target filters, GICD_ITARGETSR
masks by words and bytes, GICD_ICFGR by bytes and five priority bits.

Three ways of delivering interrupts: a GICv3's list registers (the timer
checks only: the others are GICv2's registers), a GICv2's, and the
Raspberry Pi's software CPU interface (vgic_sw.c, vgic_cpuif.c), where
every GICC access traps. The same Case as cases.py.
"""
from cases import ALWAYS_FORBID, Case, esc, kernel

TIMER_CHECKS = ["vtimer disabled", "ptimer disabled", "vtimer masked", "ptimer masked",
                "vtimer rearmed", "ptimer rearmed", "vtimer enabled at the GIC after disabling",
                "vtimer fires after"]
V2_CHECKS = ["sgi source in iar", "sgi pending per sender", "sgir all but self", "sgir self",
             "sgir list", "itargetsr reads back", "spi to one of its targets", "icfgr byte",
             "ipriorityr five bits"]


def gicconf(version, checks):
    p = esc("[vm0] gicconf: ")
    return ([p + esc(f"start, GICv{version}")] + [p + esc(f"{c}: ok") for c in checks] +
            [p + esc("done, 0 failed"), esc("vireo: vm0 stopped: powered off (PSCI SYSTEM_OFF)")])


FORBID = [r"FAILED"] + ALWAYS_FORBID
GUEST = ["--cpus", "4"] + kernel("gicconf")

CASES = [
    Case("gicconf_timer_levels_gicv3", GUEST, expect=gicconf(3, TIMER_CHECKS), forbid=FORBID,
         timeout=60),
    Case("gicconf_timer_levels_and_sgis_gicv2", ["--gic", "2"] + GUEST,
         expect=gicconf(2, TIMER_CHECKS + V2_CHECKS), forbid=FORBID, timeout=60),
    Case("raspi3b_gicconf_software_cpu_interface", ["--board", "raspi3b"] + GUEST,
         expect=gicconf(2, TIMER_CHECKS + V2_CHECKS), forbid=FORBID, timeout=120),
]
