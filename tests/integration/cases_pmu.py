"""The integration scenarios of the virtual PMU (hv/arch/aarch64/el2/vpmu.c).
The same Case as cases.py.

guests/pmu, two vCPUs placed on one physical CPU, under -icount (one
virtual nanosecond, so one cycle, per instruction), on cortex-a72 (PMUv3)
and -cpu max (PMUv3p5): PMCR.N > 0; the cycle counter is monotonic; over
1000 trapped accesses, each hundreds of instructions in Vireo, the cycle
counter and INST_RETIRED grow by the guest's 5 instructions an iteration
only; CPU_CYCLES with EL1 filtered out counts nothing; PMSWINC increments
a SW_INCR counter; a counter preloaded near 0xffffffff raises PPI 23,
which the guest's PMOVSCLR lowers; at EL0 a cycle counter read traps to
EL1 (EC 0x18) with PMUSERENR 0 and reads with PMUSERENR.CR; each vCPU's stopped counters keep their
values while the other vCPU counts on the same CPU.

Linux on -cpu max finds the PMU in its device tree and its counters. On
the Raspberry Pi 3B, whose interrupt controller Vireo does not take the
PMU's interrupt from, the guest is told of no PMU.
"""
from cases import (ALWAYS_FORBID, GUESTS, KERNEL_TIME, LINUX_TIMEOUT, Case, esc, linux,
                   need_linux)

P = esc("[pmu] pmu: ")


def pmu_guest(version):
    return [P + esc(f"PMUv3 version {version}, 6 counters, implementer 0x41"),
            P + esc("cycle counter monotonic over 1000 reads, moving"),
            P + esc("1000 trapped reads: 5006 cycles, INST_RETIRED 5006 instructions"),
            P + esc("CPU_CYCLES with EL1 filtered out: 0, unfiltered: counting"),
            P + esc("PMSWINC: SW_INCR counter 5 -> 7"),
            P + esc("overflow: 1 interrupt(s), intid 23, pmovs 0x4"),
            P + esc("EL0 PMCCNTR read: PMUSERENR 0 trapped (ec 0x18), CR allowed"),
            P + esc("vCPU 1: own counters kept (0x1234)"),
            P + esc("vCPU 0: own counters kept (0xabcdef)"),
            P + esc("done"),
            esc("vireo: pmu stopped: powered off (PSCI SYSTEM_OFF)")]


PMU_VM = ["--icount", "--vm", f"name=pmu,kernel={GUESTS}/pmu.bin,cpus=2,affinity=1"]

CASES = [
    Case("pmu_counts_only_its_guest_cortex_a72", PMU_VM,
         expect=pmu_guest(1), forbid=[r"FAILED"] + ALWAYS_FORBID),
    Case("pmu_counts_only_its_guest_cpu_max", ["--cpu", "max"] + PMU_VM,
         expect=pmu_guest(6), forbid=[r"FAILED"] + ALWAYS_FORBID),
    Case("pmu_hidden_on_raspi3b",
         ["--board", "raspi3b", "--vm", f"name=pmu,kernel={GUESTS}/pmu.bin"],
         expect=[P + esc("none"), esc("vireo: pmu stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=ALWAYS_FORBID, timeout=60),
    Case("linux_pmu_cpu_max", ["--cpu", "max"] + linux("smp"),
         expect=[esc("[linux] ") + KERNEL_TIME +
                 r"hw perfevents: enabled with armv8_pmuv3 PMU driver, [1-9]\d* counters "
                 r"available",
                 esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"Kernel panic", r"Internal error", r"hw perfevents: .*(fail|error|unable)",
                 r"armv8-pmu.*(fail|error)", r"PMU.*not supported"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
]
