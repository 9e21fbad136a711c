#!/usr/bin/python3
"""A damaged or renamed journal record is dropped and its run done again on --resume.

    journal_integrity_test.py --policysim BIN --sweep FILE --folder DIR

1. runs the sweep uninterrupted (the reference);
2. runs it again and stops it (SIGTERM) once the journal holds a few records;
3. damages the journal: flips one byte in the middle of a record (its metric values: without a
   checksum it would be read back, wrong), and copies another record onto the name of a run not
   yet finished (without the run-id check it would stand in for that run);
4. resumes: both runs must be done again (the journal trace), and the final file must equal the
   reference, dataset by dataset (compare_sweeps.py).
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fail(message):
    sys.exit(f"journal_integrity_test: FAILED: {message}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policysim", required=True)
    parser.add_argument("--sweep", required=True)
    parser.add_argument("--folder", required=True)
    arguments = parser.parse_args()
    folder = Path(arguments.folder)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    reference, target = folder / "reference.h5", folder / "damaged.h5"
    journal, trace = folder / "damaged.h5.journal", folder / "trace.txt"

    def sweep(output, *extra):
        return [arguments.policysim, "sweep", arguments.sweep, "--out", str(output), "--quiet", "--threads", "1", *extra]

    result = subprocess.run(sweep(reference), capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"the reference sweep failed: {result.stderr}")

    process = subprocess.Popen(sweep(target), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(journal.glob("run-*.bin"))) < 3:
        if process.poll() is not None or time.monotonic() > deadline:
            fail("the sweep ended before its journal held 3 records")
        time.sleep(0.01)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    records = sorted(journal.glob("run-*.bin"))
    finished = {int(path.stem[4:]) for path in records}
    if len(records) < 3 or target.exists():
        fail(f"after SIGTERM: {len(records)} records, output exists: {target.exists()}")

    flipped = records[0]
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    unfinished = min(set(range(10_000)) - finished)
    copied_onto = journal / f"run-{unfinished:09d}.bin"
    shutil.copyfile(records[1], copied_onto)
    damaged_runs = {int(flipped.stem[4:]), unfinished}

    environment = dict(os.environ, POLICYSIM_SWEEP_JOURNAL_TRACE=str(trace))
    result = subprocess.run(sweep(target, "--resume"), env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"--resume exited {result.returncode}: {result.stderr}")
    redone = {int(line) for line in trace.read_text().split()}
    if not damaged_runs <= redone:
        fail(f"runs {sorted(damaged_runs - redone)} were not done again (redone: {sorted(redone)[:20]})")
    if redone & (finished - damaged_runs):
        fail(f"intact runs {sorted(redone & (finished - damaged_runs))} were done again")
    check = subprocess.run([sys.executable, str(HERE / "compare_sweeps.py"), str(reference), str(target)],
                           capture_output=True, text=True)
    if check.returncode != 0:
        fail(f"the resumed file differs from the reference:\n{check.stdout}{check.stderr}")
    if journal.exists():
        fail("the journal is still there after the sweep finished")
    print(f"ok: runs {sorted(damaged_runs)} (a flipped byte, a renamed record) were done again; same file")


if __name__ == "__main__":
    main()
