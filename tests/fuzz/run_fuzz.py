#!/usr/bin/python3
"""Runs the libFuzzer targets in build/fuzz/ (tests/fuzz/fuzz.mk builds them).

    tests/fuzz/run_fuzz.py [--seconds S] [--jobs J] [--seed N] [--scratch] [TARGET...]

Each target fuzz_X runs for S seconds (libFuzzer's -max_total_time), over
its seed corpus tests/fuzz/corpus/X plus the corpus earlier runs grew in
build/fuzz/corpus/X, where new inputs go (--scratch: a temporary
directory instead, as make test does). An input that crashes, hangs for
more than 10 s (-timeout), needs more than 2 GiB (-rss_limit_mb), leaks or
trips a sanitizer fails the target; libFuzzer saves it as
build/fuzz/artifacts/X-crash-<sha1> (or -timeout-, -oom-, -leak-), and
"build/fuzz/fuzz_X <file>" replays it. Each run's log is kept in
build/fuzz/logs/X.log. Prints one line per target and exits 1 if any
failed.

tests/run.py imports run_target() for the short runs of make test.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(TOP, "build", "fuzz")
SEEDS = os.path.join(TOP, "tests", "fuzz", "corpus")


class Outcome:
    def __init__(self, name, ok, runs, exec_per_sec, seconds, corpus, log, artifact, problem):
        self.name, self.ok, self.runs, self.exec_per_sec = name, ok, runs, exec_per_sec
        self.seconds, self.corpus, self.log, self.artifact = seconds, corpus, log, artifact
        self.problem = problem

    def summary(self):
        s = (f"fuzz_{self.name}: {self.runs} inputs in {self.seconds:.0f} s "
             f"({self.exec_per_sec} exec/s), corpus {self.corpus} files")
        if self.ok:
            return s + ": no crash, hang or sanitizer report"
        s += f": FAILED, {self.problem}"
        if self.artifact:
            s += (f"\n    replay: {os.path.relpath(self.binary_path(), TOP)} "
                  f"{os.path.relpath(self.artifact, TOP)}")
        return s

    def binary_path(self):
        return os.path.join(BUILD, "fuzz_" + self.name)


def targets():
    """The targets built in build/fuzz/."""
    if not os.path.isdir(BUILD):
        return []
    return sorted(f[len("fuzz_"):] for f in os.listdir(BUILD)
                  if f.startswith("fuzz_") and os.access(os.path.join(BUILD, f), os.X_OK)
                  and os.path.isfile(os.path.join(BUILD, f)))


def stat(log, key):
    m = re.search(r"^stat::" + key + r":\s+(\d+)", log, re.M)
    return int(m.group(1)) if m else 0


def problem_of(log, returncode):
    """What went wrong, from libFuzzer's and the sanitizers' reports."""
    for pattern, what in [(r"ERROR: libFuzzer: timeout", "a hang (timeout)"),
                          (r"ERROR: libFuzzer: out-of-memory", "out of memory"),
                          (r"ERROR: LeakSanitizer", "a memory leak"),
                          (r"ERROR: AddressSanitizer: ([\w-]+)", "AddressSanitizer: {}"),
                          (r"runtime error: (.*)", "UndefinedBehaviorSanitizer: {}"),
                          (r"check failed: (.*)", "check failed: {}"),
                          (r"ERROR: libFuzzer: (.*)", "libFuzzer: {}")]:
        m = re.search(pattern, log)
        if m:
            return what.format(*m.groups())
    return f"exit status {returncode}"


def run_target(name, seconds, seed=None, scratch=False, timeout=10):
    """Fuzzes target name for seconds; returns an Outcome."""
    binary = os.path.join(BUILD, "fuzz_" + name)
    seeds = os.path.join(SEEDS, name)
    artifacts = os.path.join(BUILD, "artifacts")
    logs = os.path.join(BUILD, "logs")
    os.makedirs(artifacts, exist_ok=True)
    os.makedirs(logs, exist_ok=True)
    if scratch:
        corpus = tempfile.mkdtemp(prefix=f"vireo-fuzz-{name}-")
    else:
        corpus = os.path.join(BUILD, "corpus", name)
        os.makedirs(corpus, exist_ok=True)
    before = set(os.listdir(artifacts))
    cmd = [binary, f"-max_total_time={seconds}", f"-timeout={timeout}", "-rss_limit_mb=2048",
           "-print_final_stats=1", f"-artifact_prefix={artifacts}/{name}-", corpus]
    if seed is not None:
        cmd.insert(1, f"-seed={seed}")
    if os.path.isdir(seeds):
        cmd.append(seeds)
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, timeout=seconds + 5 * timeout + 60)
        log, rc = proc.stdout.decode(errors="replace"), proc.returncode
    except subprocess.TimeoutExpired as e:
        log = (e.stdout or b"").decode(errors="replace") + "\n(killed: libFuzzer overran)"
        rc = -1
    elapsed = time.monotonic() - start
    with open(os.path.join(logs, name + ".log"), "w") as f:
        f.write(" ".join(cmd) + "\n" + log)
    n_corpus = len(os.listdir(corpus))
    if scratch:
        shutil.rmtree(corpus, ignore_errors=True)
    new = sorted(set(os.listdir(artifacts)) - before)
    artifact = os.path.join(artifacts, new[0]) if new else None
    ok = rc == 0 and re.search(r"^Done \d+ runs", log, re.M) is not None
    return Outcome(name, ok, stat(log, "number_of_executed_units"),
                   stat(log, "average_exec_per_sec"), elapsed, n_corpus, log, artifact,
                   None if ok else problem_of(log, rc))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=600, help="per target (default 600)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="targets run at once (default: one per CPU)")
    ap.add_argument("--seed", type=int, help="libFuzzer's -seed (default: from the clock)")
    ap.add_argument("--scratch", action="store_true",
                    help="grow a temporary corpus, not build/fuzz/corpus/")
    ap.add_argument("targets", nargs="*", help="names (insn, dabt, ...); default: all built")
    args = ap.parse_args()

    names = args.targets or targets()
    missing = [n for n in names if not os.access(os.path.join(BUILD, "fuzz_" + n), os.X_OK)]
    if not names or missing:
        print(f"run_fuzz: not built: {' '.join(missing) or 'any target'} (make fuzz-build)")
        sys.exit(1)
    print(f"run_fuzz: {' '.join(names)}, {args.seconds} s each, {args.jobs} at a time",
          flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_target, n, args.seconds, args.seed, args.scratch)
                   for n in names]
        outcomes = []
        for f in concurrent.futures.as_completed(futures):
            o = f.result()
            outcomes.append(o)
            print(o.summary(), flush=True)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        tail = "\n".join(o.log.splitlines()[-40:])
        print(f"--- fuzz_{o.name} (build/fuzz/logs/{o.name}.log) ---\n{tail}")
    print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
