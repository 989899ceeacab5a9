"""The integration scenarios of exit statistics (core/stats.c): what a guest
made Vireo do, counted exactly, read back by the guest and printed by the
launcher. The same Case as cases.py.

guests/stats makes known numbers of null hypercalls (the vector's fast
path), VIREO_HC_VERSION calls (the C path), UART reads (emulated MMIO)
and CNTP_CTL_EL0 reads (a trapped register), and compares what
VIREO_HC_EXIT_STATS says before and after. With --stats the launcher
prints each VM's counts as a table at the end: the same numbers, plus
what the guest did around them (its prints and its readings), and a
second VM's column beside it: guests/timer, which takes three interrupts
(its physical and virtual timers' and an SGI), counted as injected.
"""
from cases import ALWAYS_FORBID, GUESTS, Case, esc

STATS = esc("[stats] stats: ")

CASES = [
    Case("stats_counted_exactly_and_tabled",
         ["--stats", "--vm", f"name=stats,kernel={GUESTS}/stats.bin",
          "--vm", f"name=timer,kernel={GUESTS}/timer.bin"],
         expect=[STATS + esc("null hypercalls: did 1000, counted 1000"),
                 STATS + esc("version calls: did 200, counted 200"),
                 STATS + esc("UART reads: did 300, counted 300"),
                 STATS + esc("CNTP_CTL_EL0 reads: did 50, counted 50"),
                 STATS + esc("stats calls: did 5, counted 5"),
                 STATS + esc("bad vCPU refused: did -2, counted -2"),
                 STATS + esc("bad kind refused: did -2, counted -2"),
                 STATS + esc("all counted"),
                 esc("vireo run: exit statistics (counts; ticks of the counter)"),
                 r"  event +(stats +timer|timer +stats)"],
         # Both VMs' columns, in the order they ended; the rows in Vireo's
         # order, which the first VM to end sets.
         expect_any=[r"  calls\.VIREO_HC_NULL +(1000 +0|0 +1000)",
                     r"  calls\.VIREO_HC_VERSION +(200 +0|0 +200)",
                     r"  sysregs\.CNTP_CTL_EL0 +(50 +\d+|\d+ +50)",
                     r"  calls\.VIREO_HC_EXIT_STATS +(12 +0|0 +12)",
                     r"  calls\.PSCI_SYSTEM_OFF +1 +1",
                     r"  mmio\.pl011@9000000 +\d+ +\d+",
                     r"  irqs\.injected +(3 +0|0 +3)"],
         forbid=[esc("MISCOUNTED")] + ALWAYS_FORBID),
]
