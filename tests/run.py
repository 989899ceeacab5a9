#!/usr/bin/python3
"""Runs every Vireo test and ends with the line "N passed, N failed".

Six layers:
  layers       tests/check_layers.py over hv/ (the include and register
               rules that keep core, vdev, modes, drivers and boards apart,
               docs/architecture.md), and its own self-test, which breaks
               each rule on purpose in a scratch tree; each counts once.
  launcher     tests/test_launcher_gdb.py: the launcher's half of the GDB
               transport (./vireo --gdb: framing, refusals, sockets, the
               terminal), tests/test_launcher_devices.py: its device
               options (--disk, --rng, devices=: transports, owners,
               refusals, the tree), and tests/test_launcher_arch.py: 32-bit
               guests (a zImage is Linux; arch=, --arch, vireo,arch),
               without QEMU; each test counts once.
  image        tests/check_image.py over build/vireo.elf: its relocations
               and the layout the EL2 map's permissions rely on.
  unit         the cmocka programs in build/unit/ (host-side, pure logic);
               each cmocka test counts once.
  fuzz         the libFuzzer targets in build/fuzz/ (tests/fuzz/), each run
               over its seed corpus and then fuzzed for a few seconds with a
               fixed seed; each target counts once, and fails on a crash, a
               hang or a sanitizer report (make fuzz runs them for long).
  integration  boots of Vireo in QEMU with guests (tests/integration/
               cases.py and the cases_*.py beside it, cases_raspi3b.py on
               the Raspberry Pi 3B; cases_aarch32_guests.py's 32-bit guests,
               cases_aarch32.py's 32-bit Linux),
               each through ./vireo with a hard timeout,
               asserting on the serial output and the launcher's exit status.

    tests/run.py [-k SUBSTRING] [-j JOBS] [-v] [--native]

--native adds the Linux cases' native twins (the same guest on QEMU
without Vireo, tests/integration/cases.py; the 32-bit ones on
qemu-system-arm), which make test leaves out:
when a Linux case fails, they tell a broken guest image from a broken
Vireo (tests/run.py --native -k native runs them alone).

Every timeout is in wall seconds, with room for a loaded machine (two
CPU-bound processes beside the suite on two cores); VIREO_TEST_SLOWDOWN=F
multiplies them all by F for a slower one.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import signal
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
sys.path.insert(0, os.path.join(TOP, "tests", "fuzz"))
import cases  # noqa: E402
import cases_aarch32  # noqa: E402
import cases_aarch32_guests  # noqa: E402
import cases_console  # noqa: E402
import cases_debug  # noqa: E402
import cases_devices  # noqa: E402
import cases_devprobe  # noqa: E402
import cases_gdb  # noqa: E402
import cases_gdb_launcher  # noqa: E402
import cases_gic  # noqa: E402
import cases_its  # noqa: E402
import cases_pmu  # noqa: E402
import cases_raspi3b  # noqa: E402
import cases_stats  # noqa: E402
import run_fuzz  # noqa: E402

# Seconds of fuzzing per target after its seed corpus.
FUZZ_SECONDS = int(os.environ.get("FUZZ_SMOKE_SECONDS", "5"))
SLOWDOWN = cases.SLOWDOWN

UNIT_LINE = re.compile(r"^\[\s+(OK|FAILED)\s+\] (\S+)$")


class Result:
    def __init__(self, name, ok, detail="", seconds=0.0):
        self.name, self.ok, self.detail, self.seconds = name, ok, detail, seconds


def run_unit(binary):
    """Runs one cmocka program; one Result per test it reports."""
    proc = subprocess.run([binary], capture_output=True, text=True, timeout=120 * SLOWDOWN,
                          env=dict(os.environ, CMOCKA_MESSAGE_OUTPUT="STDOUT"))
    out = proc.stdout + proc.stderr
    results = []
    prog = os.path.basename(binary)
    for line in out.splitlines():
        m = UNIT_LINE.match(line.strip())
        if m and not m.group(2).endswith(")"):
            results.append(Result(f"unit/{prog}/{m.group(2)}", m.group(1) == "OK", out))
    if proc.returncode != 0 and all(r.ok for r in results):
        results.append(Result(f"unit/{prog}", False, f"exit status {proc.returncode}\n{out}"))
    if not results:
        results.append(Result(f"unit/{prog}", False, "reported no tests\n" + out))
    return results


SELFTEST_LINE = re.compile(r"^(test_\w+) \(.*\) \.\.\. (ok|FAIL|ERROR)$")


def run_unittests(module, prefix):
    """A Python unittest module of tests/: one Result per test, named
    PREFIX/TEST, and one for the module when it failed otherwise."""
    proc = subprocess.run([sys.executable, "-m", "unittest", "-v", module],
                          capture_output=True, text=True, timeout=300 * SLOWDOWN,
                          cwd=os.path.join(TOP, "tests"))
    out = proc.stdout + proc.stderr
    tests = [SELFTEST_LINE.match(line) for line in out.splitlines()]
    results = [Result(f"{prefix}/{m.group(1)}", m.group(2) == "ok", out) for m in tests if m]
    if not results or proc.returncode != 0 and all(r.ok for r in results):
        results.append(Result(prefix, False, out))
    return results


def run_layers():
    """The layering check of the real tree, and its self-test."""
    proc = subprocess.run([sys.executable, os.path.join(TOP, "tests", "check_layers.py")],
                          capture_output=True, text=True, timeout=120 * SLOWDOWN)
    return ([Result("layers/check", proc.returncode == 0, proc.stdout + proc.stderr)]
            + run_unittests("test_check_layers", "layers/selftest"))


def run_image():
    """tests/check_image.py over build/vireo.elf: one Result per check."""
    proc = subprocess.run([sys.executable, os.path.join(TOP, "tests", "check_image.py")],
                          capture_output=True, text=True, timeout=60 * SLOWDOWN)
    out = proc.stdout + proc.stderr
    results = [Result(f"image/{m.group(2)}", m.group(1) == "PASS", out)
               for m in (re.match(r"(PASS|FAIL) (\w+)", line) for line in out.splitlines()) if m]
    if not results or proc.returncode != 0 and all(r.ok for r in results):
        results.append(Result("image", False, out))
    return results


def run_fuzz_target(name):
    """A short fuzzing run of build/fuzz/fuzz_<name>: one Result, and the
    number of inputs it ran."""
    o = run_fuzz.run_target(name, FUZZ_SECONDS, seed=1, scratch=True)
    detail = o.summary()
    if not o.ok:
        detail += "\n" + "\n".join(o.log.splitlines()[-40:])
    return Result(f"fuzz/{name}", o.ok, detail, o.seconds), o.runs


def console_text(raw):
    return raw.decode(errors="replace").replace("\r", "")


def run_case(case):
    """Boots one scenario; passes when every expectation holds."""
    start = time.monotonic()
    name = f"integration/{case.name}"
    try:
        made = case.setup() if case.setup else None
        # Arguments that depend on what setup made come from a function.
        args = case.args() if callable(case.args) else list(case.args)
        args = [made if a.startswith("@") else a for a in args]
    except Exception as e:  # a missing image, a broken tool: this case fails
        return Result(name, False, f"setup failed: {e}", time.monotonic() - start)
    if case.native:
        cmd = args
    else:
        cmd = [os.path.join(TOP, "vireo"), "run", "--timeout", f"{case.timeout:g}"] + args
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.PIPE if case.inputs else subprocess.DEVNULL,
                            start_new_session=True, cwd=TOP)

    def stop():
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    expired = []

    def expire():
        expired.append(True)
        stop()

    # The launcher enforces the timeout; this is for when it cannot, and for
    # native boots, which have no launcher.
    watchdog = threading.Timer(case.timeout + (0 if case.native else 30), expire)
    watchdog.start()
    lines, seen, pending, inputs, done = [], 0, b"", list(case.inputs), False

    def send(text):
        try:
            proc.stdin.write(text.encode())
            proc.stdin.flush()
        except OSError:
            pass

    def answer(text):
        """Sends the inputs whose patterns the output has shown: in order,
        each matched by a line seen at any time so far (two VMs' prompts
        come in either order) or by the partial line at the end. An input
        that is a function runs beside the boot instead (a debugger),
        with send() to type on the console."""
        while inputs and (re.search(inputs[0][0], text) or
                          any(re.search(inputs[0][0], line) for line in lines)):
            item = inputs.pop(0)[1]
            if callable(item):
                threading.Thread(target=item, args=(send,), daemon=True).start()
            else:
                send(item)

    try:
        while not done and (chunk := os.read(proc.stdout.fileno(), 65536)):
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                lines.append(console_text(raw))
                answer(lines[-1])
                if case.until and re.fullmatch(case.until, lines[-1]):
                    seen += 1
                    if seen == case.until_count:
                        stop()  # the rest is known
                        done = True
                        break
            if not done and pending:
                answer(console_text(pending))
        if pending and not done:
            lines.append(console_text(pending))
    finally:
        proc.wait()
        watchdog.cancel()
    problems = case.check(lines, None if case.until else proc.returncode)
    if expired:
        problems.insert(0, f"killed: still running after {case.timeout:g} s")
    detail = "\n".join(problems + ["--- output ---"] + lines[-60:])
    return Result(name, not problems, detail, time.monotonic() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-k", default="", help="only tests whose name contains this")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2, help="parallel QEMU boots")
    ap.add_argument("-v", action="store_true", help="print the output of passing tests too")
    ap.add_argument("--native", action="store_true",
                    help="also the Linux cases' native twins (QEMU without Vireo)")
    args = ap.parse_args()

    results = []
    for r in (run_layers() + run_unittests("test_launcher_gdb", "launcher/gdb")
              + run_unittests("test_launcher_devices", "launcher/devices")
              + run_unittests("test_launcher_arch", "launcher/arch") + run_image()):
        if args.k in r.name:
            results.append(r)
            print(f"{'PASS' if r.ok else 'FAIL'} {r.name}", flush=True)
            if not r.ok or args.v:
                print("    " + r.detail.replace("\n", "\n    "))
    # Every program runs (all of them take seconds); -k picks among the
    # results, named unit/PROGRAM/TEST, so "-k unit" and a test's own name
    # select as they read.
    for binary in sorted(glob.glob(os.path.join(TOP, "build", "unit", "test_*"))):
        results += [r for r in run_unit(binary) if args.k in r.name]
    for name in run_fuzz.targets():
        if args.k in "fuzz/" + name:
            r, runs = run_fuzz_target(name)
            results.append(r)
            print(f"{'PASS' if r.ok else 'FAIL'} {r.name} ({r.seconds:.1f} s, {runs} inputs)",
                  flush=True)
            if not r.ok or args.v:
                print("    " + r.detail.replace("\n", "\n    "))
    # The long Linux boots first, so the short ones fill in around them.
    linux = (cases.LINUX_CASES + cases_debug.LINUX_CASES + cases_gdb.LINUX_CASES
             + cases_gdb_launcher.LINUX_CASES + cases_devices.LINUX_CASES
             + cases_aarch32.LINUX_CASES)
    if args.native:
        linux += (cases.linux_cases("", "1.0", native=True) + cases_devices.NATIVE_CASES
                  + cases_aarch32_guests.NATIVE_CASES + cases_aarch32.NATIVE_CASES)
    every = linux + cases.CASES + [
        c for m in (cases_aarch32, cases_aarch32_guests, cases_console, cases_debug,
                    cases_devices, cases_devprobe, cases_gdb,
                    cases_gdb_launcher, cases_gic, cases_its, cases_pmu,
                    cases_raspi3b, cases_stats)
        for c in m.CASES]
    selected = [c for c in every if args.k in "integration/" + c.name]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        for r in pool.map(run_case, selected):
            results.append(r)
            print(f"{'PASS' if r.ok else 'FAIL'} {r.name} ({r.seconds:.1f} s)", flush=True)
            if not r.ok or args.v:
                print("    " + r.detail.replace("\n", "\n    "))

    failed = [r for r in results if not r.ok]
    for r in failed:
        if r.name.startswith("unit/"):
            print(f"FAIL {r.name}\n    " + r.detail.replace("\n", "\n    "))
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed or not results else 0)


if __name__ == "__main__":
    main()
