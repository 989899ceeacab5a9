"""The integration scenarios of self-hosted debug (el2/debug.c): a guest's
breakpoints, watchpoints and single steps reach its own EL1, and stay its
own. The same Case as cases.py.

guests/debug checks, one line each: the ID registers (the CPU's counts,
the OS double lock hidden as 0b1111) and the emulated OS lock (locked at
reset: OSLSR 0xa; unlocked: 0x8; OSDLR RAZ/WI); a breakpoint (EC 0x31 at
the function) and a watchpoint (EC 0x35, FAR the variable); one software
step over an add, over an hvc Vireo answers in its vector and one it
answers in C, over an emulated MMIO load and a trapped ID register read
(EC 0x33, ELR just past the instruction: Vireo's emulation must complete
the step); a watchpoint made to match at EL2 over the low 2 GiB, which
Vireo never takes; and its two vCPUs on one physical CPU with different
breakpoints (vCPU 1 first with none), each taking only its own.

And Linux finds the CPU's breakpoints and watchpoints at boot, through
the OS lock and MDSCR resets it does on each CPU, without a warning.
"""
from cases import ALWAYS_FORBID, GUESTS, KERNEL_TIME, LINUX_TIMEOUT, Case, esc, linux, need_linux

P = esc("[debug] debug: ")


def debug_expect(brps, wrps):
    return ([P + esc(f"{brps} breakpoints, {wrps} watchpoints, double lock field 0xf"),
             P + esc("OSLSR_EL1 at reset 0xa"),
             P + esc("OSLSR_EL1 unlocked 0x8"),
             P + esc("OSDLR_EL1 after writing 1: 0x0"),
             P + esc("breakpoint taken at the function, EC 0x31: ok"),
             P + esc("breakpoint disabled: the function runs: ok"),
             P + esc("watchpoint taken with the variable's address in FAR, EC 0x35: ok")]
            + [P + esc(f"one step over {what}: ok")
               for what in ("an add", "an hvc answered in Vireo's vector",
                            "an hvc answered in C", "an emulated MMIO load",
                            "a trapped ID register read")]
            + [P + esc("a watchpoint matching EL2 over 2 GiB: 100 hypercalls and 100 MMIO "
                       "loads, none taken: ok"),
               P + esc("vCPU 1 without debug: hits a=0 b=0"),
               P + esc("vCPU 1 with its own: hits a=0 b=8"),
               P + esc("vCPU 0: hits a=16 b=0"),
               P + esc("two vCPUs on one CPU each take only their own breakpoint: ok"),
               P + "done",
               esc("vireo: debug stopped: powered off (PSCI SYSTEM_OFF)")])


DEBUG_FORBID = [r"WRONG", r"FAILED", r"unexpected exception"] + ALWAYS_FORBID

CASES = [
    Case("debug_breakpoint_watchpoint_step_on_one_cpu",
         ["--host-cpus", "1", "--vm", f"name=debug,kernel={GUESTS}/debug.bin,cpus=2"],
         expect=debug_expect(6, 4), forbid=DEBUG_FORBID),
    # -cpu max (QEMU 7.2 gives it as many breakpoints and watchpoints as
    # the A72), with the two vCPUs on CPUs of their own.
    Case("debug_breakpoint_watchpoint_step_cpu_max",
         ["--cpu", "max", "--vm", f"name=debug,kernel={GUESTS}/debug.bin,cpus=2"],
         expect=debug_expect(6, 4), forbid=DEBUG_FORBID),
]

LINUX_CASES = [
    Case("debug_linux_finds_breakpoints",
         linux("smp"),
         expect=[esc("[linux] ") + KERNEL_TIME
                 + esc("hw-breakpoint: found 6 breakpoint and 4 watchpoint registers."),
                 esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
         forbid=[r"Kernel panic", r"Internal error", r"WARNING", r"hw-breakpoint: .*fail",
                 r"vireo: linux: .* undefined"] + ALWAYS_FORBID,
         timeout=LINUX_TIMEOUT, setup=need_linux),
]
