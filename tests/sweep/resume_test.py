#!/usr/bin/python3
"""An interrupted sweep resumes to the same file as an uninterrupted one.

    resume_test.py --policysim BIN --sweep FILE --folder DIR

1. runs the sweep uninterrupted (the reference);
2. runs it again, stopped with SIGTERM, then killed with SIGKILL at several moments (fractions
   of the reference's time T, so that the test does not depend on the model's speed: 0.2 T, then
   0.03 T, 0.15 T, 0.35 T and 0.7 T), each time continuing the previous one with --resume; after each kill: nothing (or only a whole file) at the target
   path, the journal keeps what was finished, and --resume with a changed spec is refused;
3. resumes it to the end and compares with the reference, dataset by dataset (compare_sweeps.py);
4. checks from the journal trace (POLICYSIM_SWEEP_JOURNAL_TRACE) that no run was journaled
   twice, and that the journal is gone.
"""
import argparse
import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import h5py

HERE = Path(__file__).resolve().parent
# (signal, fraction of the uninterrupted sweep's time): SIGTERM first (a clean stop: exit 1,
# journal kept), then SIGKILL (no clean-up at all).
KILLS = [(signal.SIGTERM, 0.2), (signal.SIGKILL, 0.03), (signal.SIGKILL, 0.15), (signal.SIGKILL, 0.35),
         (signal.SIGKILL, 0.7)]


def fail(message):
    print(f"resume_test: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def journal_records(journal):
    return sorted(journal.glob("run-*.bin")) if journal.is_dir() else []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policysim", required=True)
    parser.add_argument("--sweep", required=True)
    parser.add_argument("--folder", required=True)
    parser.add_argument("--threads", default="2")
    arguments = parser.parse_args()
    folder = Path(arguments.folder)
    folder.mkdir(parents=True, exist_ok=True)
    reference, target = folder / "reference.h5", folder / "resumed.h5"
    journal = folder / "resumed.h5.journal"
    trace = folder / "journal_trace.txt"
    for leftover in [trace, target, *folder.glob(".resumed.h5.partial-*")]:
        leftover.unlink(missing_ok=True)
    if journal.exists():
        for item in journal.iterdir():
            item.unlink()
        journal.rmdir()

    def sweep(out, *extra):
        return [arguments.policysim, "sweep", arguments.sweep, "--out", str(out), "--threads", arguments.threads,
                "--quiet", *extra]

    started = time.monotonic()
    result = subprocess.run(sweep(reference, "--force"), capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"the reference sweep failed: {result.stderr}")
    reference_seconds = time.monotonic() - started
    print(f"reference: {reference_seconds:.2f} s")
    with h5py.File(reference, "r") as f:
        runs = int(f.attrs["runs"])

    environment = dict(os.environ, POLICYSIM_SWEEP_JOURNAL_TRACE=str(trace))
    kills, refused_checked, previous = 0, False, 0
    for number, (kill, fraction) in enumerate(KILLS):
        delay = fraction * reference_seconds
        extra = ["--resume"] if number > 0 else []
        process = subprocess.Popen(sweep(target, *extra), env=environment, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        process.send_signal(kill)
        _, stderr = process.communicate()
        if process.returncode == 0:  # finished before the kill
            print(f"session {number}: finished within {delay:.2f} s")
            break
        if kill == signal.SIGTERM and (process.returncode != 1 or "interrupted:" not in stderr):
            fail(f"SIGTERM: exit {process.returncode}, {stderr}")
        kills += 1
        done = len(journal_records(journal))
        print(f"session {number}: {signal.Signals(kill).name} after {delay:.2f} s; {done} of {runs} runs in the journal")
        if target.exists():
            # The file is renamed into place whole: if it is there, it is complete.
            check = subprocess.run([sys.executable, str(HERE / "compare_sweeps.py"), str(reference), str(target)],
                                   capture_output=True, text=True)
            if check.returncode != 0:
                fail(f"a file at the target path after a kill differs from the reference: {check.stdout}{check.stderr}")
            break
        if done < previous:
            fail(f"the journal lost runs: {previous} -> {done}")
        previous = done
        if journal.is_dir() and not refused_checked:
            changed = subprocess.run(sweep(target, "--resume", "--set", "sweep.seed=99"), capture_output=True, text=True)
            if changed.returncode != 2 or "cannot resume: the sweep or its scenario changed" not in changed.stderr:
                fail(f"--resume with a changed spec: exit {changed.returncode}, {changed.stderr}")
            if len(journal_records(journal)) != done or target.exists():
                fail("a refused --resume touched the journal or wrote the output")
            refused_checked = True

    if not target.exists():
        result = subprocess.run(sweep(target, "--resume"), env=environment, capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"the final --resume failed: {result.stderr}")
    print(f"{kills} kills; resumed in {time.monotonic() - started:.2f} s in all")

    check = subprocess.run([sys.executable, str(HERE / "compare_sweeps.py"), str(reference), str(target)],
                           capture_output=True, text=True)
    if check.returncode != 0:
        fail(f"the resumed sweep differs from the uninterrupted one: {check.stdout}{check.stderr}")
    print(check.stdout.strip())
    if journal.exists():
        fail("the journal is still there after success")
    if list(folder.glob(".resumed.h5.partial-*")):
        fail("a temporary output file is left")

    written = collections.Counter(int(line) for line in trace.read_text().split())
    twice = [run for run, count in written.items() if count > 1]
    if twice:
        fail(f"runs journaled more than once: {twice}")
    # A kill between a record's rename and its trace line loses the line, not the run.
    if len(written) < runs - kills * int(arguments.threads):
        fail(f"only {len(written)} of {runs} runs traced")
    if kills == 0:
        print("warning: the sweep finished before the first kill; nothing was resumed")
    print(f"ok: {len(written)} runs journaled once each over {kills + 1} sessions")


if __name__ == "__main__":
    main()
