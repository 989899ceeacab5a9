"""The integration scenarios of Vireo's GDB stub (hv/core/gdb.c, issue 17;
docs/debugging.md): gdb-multiarch --batch drives a VM through the
launcher's --gdb, while another VM runs. The same Case as cases.py; gdb
runs beside the boot as one of the case's inputs (run.py), and its output
is checked with the console's.

  - guests/gdbtest, which waits for gdb, beside guests/ticker: gdb breaks
    on gdb_target(), reads its argument and x0, writes x0, steps one
    instruction, watches `watched` and sees the store change it from 0
    to 7 (from the x0 it wrote), reads and writes the local variable
    (the guest's result shows both writes), and continues to the guest's
    power-off (gdb sees the VM exit). The ticker's lines keep coming while gdbtest is halted;
    gdb's "monitor" commands answer; a 'q' typed to the ticker ends it.
  - Debian's Linux on 2 vCPUs, attached to once it runs (nowait): two
    threads, each vCPU's instructions disassembled at its pc through its
    page tables (the kernel's, or a process's), and the self-test runs on
    to its end.
"""
import os
import re
import socket
import subprocess
import threading

from cases import (ALWAYS_FORBID, GUESTS, KERNEL_TIME, LINUX_TIMEOUT, SLOWDOWN, TMP, Case, esc,
                   linux_vm, need_linux)

GDB = "gdb-multiarch"
GDB_TIMEOUT = 120 * SLOWDOWN


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """gdb's run beside a boot: its commands, what it printed, and what to
    type on the console once it is done."""

    def __init__(self, name, port, commands, elf=None, after=""):
        self.port, self.commands, self.elf, self.after = port, commands, elf, after
        self.log = os.path.join(TMP, f"{name}.gdb.log")  # kept, to read after a run
        self.lines = None
        self.done = threading.Event()

    def __call__(self, send):
        cmd = [GDB, "--batch", "-nx", "-ex", "set pagination off", "-ex", "set confirm off",
               "-ex", f"target remote 127.0.0.1:{self.port}"]
        for c in self.commands:
            cmd += ["-ex", c]
        if self.elf:
            cmd.append(self.elf)
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=GDB_TIMEOUT)
            self.lines = r.stdout.splitlines()
        except (OSError, subprocess.TimeoutExpired) as e:
            self.lines = [f"gdb did not finish: {e}"]
        os.makedirs(TMP, exist_ok=True)
        with open(self.log, "w") as f:
            f.write("\n".join(self.lines) + "\n")
        self.done.set()
        if self.after:
            send(self.after)

    def expect(self, patterns):
        """A check: gdb printed lines matching patterns, in order."""

        def check(_lines):
            # gdb ends once it has seen the VM exit, just after the boot.
            if not self.done.wait(30 * SLOWDOWN):
                return ["gdb did not finish before the boot ended"]
            i = 0
            for p in patterns:
                while i < len(self.lines) and not re.search(p, self.lines[i]):
                    i += 1
                if i == len(self.lines):
                    return [f"gdb: missing (in order): {p}", "--- gdb ---"] + self.lines
                i += 1
            return []
        return check


def ticks_while_halted(lines):
    """The ticker printed lines between gdbtest's call of gdb_target() (where
    gdb stopped it) and its return: it was never stopped."""
    try:
        start = lines.index("[dbg] gdbtest: calling round 1")
        end = next(i for i, l in enumerate(lines) if l.startswith("[dbg] gdbtest: round 1 gave"))
    except (ValueError, StopIteration):
        return ["gdbtest's round 1 lines are missing"]
    ticks = [l for l in lines[start:end] if l.startswith("[ticker] ticker: tick")]
    return [] if len(ticks) >= 3 else [f"only {len(ticks)} ticker lines while dbg was halted"]


def bare_case():
    port = free_port()
    elf = os.path.join(GUESTS, "gdbtest.elf")
    session = Session("gdb_breaks", port, [
        "info threads",
        "break gdb_target",
        "continue",
        "print round",
        "print/x $x0",
        "set $x0 = 2",
        "stepi",
        "print $pc",
        "watch watched",
        "continue",
        "print local",
        "set var local = 41",
        "monitor stats",
        "monitor stage2",
        "delete",
        "continue",
    ], elf=elf, after="\x1d1q")
    gdb_expect = [
        # Stopped at its first instruction, waiting.
        r"^(0x0*40000000 in )?_head \(\)",
        r"^\* 1\s+Thread 1 .*vCPU 0",
        r"Breakpoint 1 at 0x[0-9a-f]+: file guests/gdbtest/main\.c",
        r"Breakpoint 1, gdb_target \(round=(round@entry=)?1\) at guests/gdbtest/main\.c",
        r"^\$1 = 1$",
        r"^\$2 = 0x1$",
        r"^\$3 = .*0x[0-9a-f]+ <gdb_target\+4>",
        r"Hardware watchpoint 2: watched",
        r"Hardware watchpoint 2: watched",
        r"Old value = 0",
        r"New value = 7",
        r"^\$4 = 7$",
        r"exits\s+\d+",
        r"0x0040000000-0x00[0-9a-f]+ -> 0x[0-9a-f]+\s+RAM",
        r"0x0009000000-0x0009000fff\s+pl011",
        r"\[Inferior 1 \(.*\) exited normally\]",
    ]
    return Case(
        "gdb_breaks_steps_watches_while_another_vm_runs",
        ["--vm", f"name=dbg,kernel={GUESTS}/gdbtest.bin", "--vm",
         f"name=ticker,kernel={GUESTS}/ticker.bin", "--gdb", f"dbg:{port}"],
        expect=[esc("vireo: dbg: waiting for gdb"),
                esc("[dbg] gdbtest: calling round 1"),
                # gdb made round 2 (x0) and then local 41, in memory.
                esc("[dbg] gdbtest: round 1 gave 42, watched 7"),
                esc("[dbg] gdbtest: round 3 gave 11, watched 10"),
                esc("[dbg] gdbtest: done"),
                esc("vireo: dbg stopped: powered off (PSCI SYSTEM_OFF)")],
        expect_any=[esc("[ticker] ticker: quit"),
                    esc("vireo: ticker stopped: powered off (PSCI SYSTEM_OFF)")],
        forbid=[r"ticker: gave up"] + ALWAYS_FORBID,
        inputs=[(esc(f"vireo run: gdb for VM dbg: target remote :{port}"), session)],
        checks=[session.expect(gdb_expect), ticks_while_halted],
        timeout=120)


def linux_case():
    port = free_port()
    session = Session("gdb_linux", port, [
        "info threads",
        "thread 1",
        "x/4i $pc",
        "thread 2",
        "x/4i $pc",
        "continue",
    ])
    # An instruction, not ".inst" (undefined) nor an unreadable address:
    # a vCPU may be in the kernel or in a user process.
    insn = r"^\s*(=> )?0x[0-9a-f]+:\s+[a-z]"
    return Case(
        "gdb_attaches_to_a_running_linux_smp_vm",
        linux_vm("linux", "smp") + ["--gdb", f"linux:{port},nowait"],
        expect=[esc("[linux] vireo-test: nproc=2"),
                esc("[linux] vireo-test: cpu0 busy=yes cpu1 busy=yes"),
                esc("vireo: linux stopped: powered off (PSCI SYSTEM_OFF)")],
        forbid=[r"Kernel panic", r"Internal error", r"WARNING"] + ALWAYS_FORBID,
        inputs=[(esc("[linux] ") + KERNEL_TIME + esc("Freeing unused kernel memory"), session)],
        checks=[session.expect([
            r"^\*? *1\s+Thread 1 .*vCPU 0",
            r"^\*? *2\s+Thread 2 .*vCPU 1",
            r"Switching to thread 1",
            insn, insn, insn, insn,
            r"Switching to thread 2",
            insn, insn, insn, insn,
            r"\[Inferior 1 \(.*\) exited normally\]",
        ])],
        timeout=LINUX_TIMEOUT, setup=need_linux)


CASES = [bare_case()]
LINUX_CASES = [linux_case()]
