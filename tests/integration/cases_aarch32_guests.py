"""The integration scenarios of the in-tree 32-bit guests (issue 18,
guests/aarch32/): each runs in an AArch32 VM, which Vireo recognises by
the zImage magic in the image's header, and prints lines checked here.
The same Case as cases.py.

  - hello32 alone: its entry state (SVC mode, A/I/F masked, r0 = 0,
    r1 = ~0, r2 = the device tree at RAM end - 2 MiB, loaded at RAM base +
    0x8000), undefined instructions in ARM and 16- and 32-bit Thumb taken
    to Undefined mode with LR = insn + 4 / + 2 and returned from, ID_PFR1
    and ID_DFR0 as Vireo emulates them (no virtualization, security, PMU
    or CP14 debug), the EL1 physical timer through CP15 (enabled and
    masked: ISTATUS, nothing taken), conditional WFI/WFE/MRC/MCR whose
    condition fails (in ARM state and in Thumb IT blocks), PSCI and
    SMCCC from AArch32 (an SMC64 ID refused), SYSTEM_OFF;
  - hello32 beside the 64-bit hello, both to their end;
  - abort32: data aborts (ARM load and store, Thumb load) and a prefetch
    abort at an IPA the VM was not given, with the short-descriptor
    DFSR/IFSR of an external abort, the address in DFAR/IFAR and the
    faulting pc at LR - 8 / LR - 4;
  - bench32 under --icount: its figures' lines in guests/bench's format,
    the method's check (2,000,000 instructions for 1,000,000 turns of a
    2-instruction loop) exact;
  - hostile32 beside the 64-bit ticker: every MRC/MCR and MRRC/MCRR of
    p15 and p14 completes or is undefined at itself, none of the
    hypervisor's (opc1 4) completes, and the ticker goes on ticking
    throughout, then quits when told.

NATIVE_CASES are their twins on QEMU without Vireo (qemu-system-arm,
tests/run.py --native).
"""
import os
import re

from cases import ALWAYS_FORBID, GUESTS, Case, esc

A32 = os.path.join(GUESTS, "aarch32")
OFF = "stopped: powered off (PSCI SYSTEM_OFF)"
YES = ": yes"


def kernel32(guest):
    return ["--kernel", f"{A32}/{guest}.bin"]


def hello32_expect(vm="vm0", native=False):
    """hello32's lines in a VM of 64 MiB at 0x40000000 (the default), or
    natively on QEMU's virt (native=True): there the image is loaded at
    RAM base + 0x10000 and copies itself, the device tree is where QEMU
    puts it, ID_DFR0 shows QEMU's PMU and debug unit, and QEMU's PSCI
    knows no SMCCC_VERSION."""
    p = re.escape(f"[{vm}] hello32: ") if not native else esc("hello32: ")

    def undef(what, offset, insn):
        return p + esc(f"undefined instruction ({what}): taken 1 time(s), in und mode from svc, "
                       f"lr = insn + {offset}, insn {insn}, at the udf: yes, back past it")
    lines = [
        p + esc("hello from a 32-bit Vireo guest"),
        p + r"entered in svc mode, cpsr=0x[0-9a-f]00001d3, r0=0x0 r1=0xffffffff",
        p + (r"r2=0x[0-9a-f]{8}" if native else esc("r2=0x43e00000"))
        + esc(": device tree magic there: yes"),
        p + esc(f"loaded at {'0x40010000' if native else '0x40008000'}, running at 0x40008000"),
        p + esc("mpidr=0x80000000"),
        undef("ARM", 4, "0xe7f003f2"),
        undef("Thumb, 16-bit", 2, "0xde16"),
        undef("Thumb, 32-bit", 2, "0xf7f3a232"),
        p + r"id_pfr1=0x[0-9a-f]{8}: virtualization 0, security 0",
        p + r"id_dfr0=0x[0-9a-f]{8}: " + (r"perfmon \d+, copdbg \d+" if native
                                          else "perfmon 0, copdbg 0"),
        p + esc("cntp: tval=0x100000: ctl=0x3, tval read back below it: yes"),
        p + esc("mcrne cntp_tval with Z set: not written: yes"),
        p + esc("cntp: tval=0: ctl=0x7, pending and masked, nothing taken: yes"),
        p + r"cntfrq=[1-9]\d* Hz, virtual counter advances: yes",
        p + esc("wfi/wfe whose condition fails: did not wait, flags kept: yes"),
        p + esc("Thumb itete ne; wfine: the else arms ran: yes"),
        p + esc("mrcne id_pfr1 with Z set: Rt untouched: yes"),
        p + esc("Thumb itet ne; mrcne id_pfr1: Rt untouched: yes, then ite eq; mrceq: read it: yes"),
        p + esc("psci version: 0x10001"),
        p + esc("psci features(SYSTEM_OFF): 0"),
        p + esc(f"smccc version: {'0xffffffff' if native else '0x10001'}"),
        p + esc("smc64 call from aarch32 (0xc4000003): -1"),
        p + esc("undefined-instruction exceptions: 3 (3 expected)"),
        p + esc("powering off"),
    ]
    return lines if native else lines + [esc(f"vireo: {vm} {OFF}")]


HELLO64 = [esc("[hello] hello from a Vireo guest"), esc("[hello] hello: powering off"),
           esc(f"vireo: hello {OFF}")]


def abort32_expect(native=False):
    """abort32's lines, the same natively (QEMU virt has nothing at
    0x0b000000 either) but for Vireo's."""
    p = esc("abort32: " if native else "[vm0] abort32: ")

    def data(what, wnr, far):
        return p + (esc(f"data abort ({what}): in abt mode from svc, ") + r"fsr=0x[0-9a-f]+ "
                    + esc(f"(fs 0x8, short format, wnr {wnr}), far=0x{far:08x}, pc=lr-8: "
                          "at the access: yes"))
    lines = [
        p + esc("start"),
        data("ARM load", 0, 0x0b000000),
        p + esc("load skipped: data aborts=1 value untouched: yes"),
        data("ARM store", 1, 0x0b000004),
        data("Thumb load", 0, 0x0b000008),
        p + esc("Thumb load skipped: data aborts=3 value untouched: yes"),
        p + esc("prefetch abort: in abt mode from svc, ") + r"fsr=0x[0-9a-f]+ "
        + esc("(fs 0x8, short format, wnr 0), far=0x0b000000, pc=lr-4: at the target: yes"),
        p + esc("back from the prefetch abort: prefetch aborts=1"),
        p + esc("done"),
    ]
    return lines if native else lines + [esc(f"vireo: vm0 {OFF}"),
                                         r"vireo: no VM left; powering off"]


# hostile32's attempts per sweep: every read, and every write it does not
# skip (its deny lists are fixed, so these are too).
HOSTILE32_SWEEPS = [("cp15", 32241), ("cp14", 32765), ("cp15-64", 507), ("cp14-64", 512)]


def hostile32_expect(vm="hostile32"):
    p = esc(f"[{vm}] hostile32: ")
    lines = [p + r"start: mpidr 0x80000000, midr 0x[0-9a-f]{8}"]
    for sweep, attempts in HOSTILE32_SWEEPS:
        s = p + esc(f"{sweep}: ")
        lines += [s + "start",
                  s + rf"attempts={attempts} completed=\d+ undefs=\d+ other=0",
                  s + r"reads completed=\d+, writes completed=\d+, writes skipped=\d+",
                  s + esc("hyp (opc1 4) encodings completed=0")]
    return lines + [p + "done", esc(f"vireo: {vm} {OFF}")]


def hostile32_sums(lines):
    """Per sweep, completed + undefs = attempts: every access answered."""
    problems = []
    for line in lines:
        m = re.search(r"hostile32: (\S+): attempts=(\d+) completed=(\d+) undefs=(\d+)", line)
        if m and int(m.group(3)) + int(m.group(4)) != int(m.group(2)):
            problems.append(f"{m.group(1)}: completed + undefs != attempts: {line}")
    return problems


def ticker_throughout(lines):
    """The 64-bit ticker printed while hostile32 ran its sweeps (a line
    every 20 ms; the sweeps take longer under Vireo, whose every undefined
    answer is a trap and an injection)."""
    try:
        start = next(i for i, l in enumerate(lines) if "hostile32: cp15: start" in l)
        end = next(i for i, l in enumerate(lines) if "hostile32: done" in l)
    except StopIteration:
        return ["hostile32's start or end is missing"]
    ticks = [l for l in lines[start:end] if l.startswith("[ticker] ticker: tick")]
    return [] if ticks else ["no ticker line while hostile32 ran"]


FORBID32 = ALWAYS_FORBID + [r"unexpected exception", r": no$", r"no, back past it",
                            r"completed \(a hypervisor's register\)"]

def bench32_expect(prefix="", native=False):
    """bench32's lines; natively every operation is one instruction (QEMU
    answers the hvc and the loads itself) and the timer's latency one."""
    p = esc(f"{prefix}bench: ")
    n = r"1" if native else r"\d+"

    def fig(name, reps):
        return p + rf"{name} instr={n} min={n} max={n} n={reps}"
    return [p + esc("start cpus=1 cntfrq=62500000"),
            p + esc("loop_2000000 instr=2000000 min=2000000 max=2000000 n=4"),
            fig("null_hvc", 64), fig("mmio_gicd_typer", 64), fig("mmio_uartfr", 64),
            fig("vtimer_busy", 16), p + esc("done")]


ALL_CASES = [
    Case("aarch32_bench32", ["--icount"] + kernel32("bench32"),
         expect=bench32_expect("[vm0] ") + [esc(f"vireo: vm0 {OFF}")],
         forbid=FORBID32 + [r"bench: error"], timeout=120),
    # Its exits counted by their AArch32 classes: five hvc #0 (three of
    # them answered in the vector), its trapped CP15 reads and writes.
    Case("aarch32_hello32", ["--stats"] + kernel32("hello32"),
         expect=hello32_expect() + [r"vireo: no VM left; powering off"],
         expect_any=[esc("vireo: stats: vm0: exits.hvc32 5"),
                     esc("vireo: stats: vm0: exits.cp15 12"),
                     esc("vireo: stats: vm0: calls.PSCI_VERSION 1")],
         forbid=FORBID32 + [r"exits\.hvc64", r"exits\.ec_0x"], timeout=60),
    Case("aarch32_hello32_beside_hello64",
         ["--vm", f"name=h32,kernel={A32}/hello32.bin",
          "--vm", f"name=hello,kernel={GUESTS}/hello.bin"],
         expect=[r"vireo: no VM left; powering off"],
         expect_any=hello32_expect("h32") + HELLO64,
         forbid=FORBID32, timeout=60),
    Case("aarch32_abort32", kernel32("abort32"), expect=abort32_expect(),
         forbid=FORBID32, timeout=60),
    # hostile32 first: it has the console's focus until it stops; the 'q'
    # typed then moves the focus to the ticker, and ends it.
    Case("aarch32_hostile32_beside_ticker",
         ["--vm", f"name=hostile32,kernel={A32}/hostile32.bin",
          "--vm", f"name=ticker,kernel={GUESTS}/ticker.bin"],
         expect=hostile32_expect() + [r"vireo: no VM left; powering off"],
         expect_any=[esc("[ticker] ticker: quit"), esc(f"vireo: ticker {OFF}")],
         forbid=FORBID32 + [r"ticker: gave up"],
         inputs=[(esc(f"vireo: hostile32 {OFF}"), "q")],
         checks=[hostile32_sums, ticker_throughout], timeout=240),
]

CASES = ALL_CASES


def native(guest):
    """The guest on QEMU without Vireo: an ARMv8 CPU in AArch32 (QEMU's
    TCG cannot start a Cortex-A72 in AArch32, "-cpu cortex-a72,aarch64=off"
    needs KVM), whose PSCI answers hvc at EL1."""
    return ["timeout", "60", "qemu-system-arm", "-M", "virt,gic-version=3", "-cpu", "max",
            "-m", "128M", "-nographic", "-kernel", f"{A32}/{guest}.bin"]


def native_icount(guest):
    return native(guest)[:3] + ["-icount", "shift=0,sleep=off"] + native(guest)[3:]


# Native twins (tests/run.py --native): a broken guest, told from a broken
# Vireo. They need no Vireo support, so they are not gated.
NATIVE_CASES = [
    Case("native_aarch32_hello32", native("hello32"), expect=hello32_expect(native=True),
         forbid=FORBID32, timeout=60, native=True),
    Case("native_aarch32_abort32", native("abort32"), expect=abort32_expect(native=True),
         forbid=FORBID32, timeout=60, native=True),
    Case("native_aarch32_bench32", native_icount("bench32"),
         expect=bench32_expect(native=True), forbid=FORBID32 + [r"bench: error"],
         timeout=60, native=True),
    # QEMU's own CBAR (p15, 4, c15, c0, 0, implementation defined) reads at
    # EL1 on its "max" CPU: natively one hyp encoding completes.
    Case("native_aarch32_hostile32", native("hostile32"),
         expect=[line.replace(esc("[hostile32] "), "").replace(
             esc("hyp (opc1 4) encodings completed=0"), r"hyp \(opc1 4\) encodings completed=\d+")
             for line in hostile32_expect()[:-1]],
         forbid=ALWAYS_FORBID + [r"unexpected exception"], checks=[hostile32_sums],
         timeout=60, native=True),
]
