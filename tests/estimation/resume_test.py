#!/usr/bin/python3
"""An interrupted estimate resumes to the same file as an uninterrupted one.

    resume_test.py --policysim BIN --spec FILE --folder DIR

1. runs the estimate uninterrupted (the reference; its time T);
2. runs it again, stops it with SIGTERM at 0.3 T (exit 1, the work folder kept, no output file),
   continues with --resume and kills it with SIGKILL at 0.3 T, then continues with --resume to the
   end;
3. compares every dataset of the two files (the command line, an attribute, differs) and checks
   that the work folder is gone.
"""
import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_estimates import datasets  # noqa: E402  (the same reading as the MPI check)


def fail(message):
    print(f"resume_test: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policysim", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--folder", required=True)
    arguments = parser.parse_args()
    folder = Path(arguments.folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = [arguments.policysim, "estimate", arguments.spec, "--threads", "2", "--quiet"]

    reference = folder / "reference.h5"
    started = time.monotonic()
    subprocess.run(base + ["--out", str(reference), "--force"], check=True, stdout=subprocess.DEVNULL)
    elapsed = time.monotonic() - started

    resumed = folder / "resumed.h5"
    resumed.unlink(missing_ok=True)
    work = Path(str(resumed) + ".generations")
    if work.exists():
        subprocess.run(["rm", "-rf", str(work)], check=True)
    for number, (sig, extra) in enumerate([(signal.SIGTERM, []), (signal.SIGKILL, ["--resume"])]):
        process = subprocess.Popen(base + ["--out", str(resumed)] + extra, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(0.3 * elapsed)
        if process.poll() is not None:
            fail(f"interruption {number}: the estimate ended before it was interrupted; make the spec longer")
        process.send_signal(sig)
        _, errors = process.communicate()
        if sig == signal.SIGTERM:
            if process.returncode != 1 or "--resume" not in errors:
                fail(f"after SIGTERM: exit {process.returncode}, expected 1 and a hint to --resume: {errors}")
        if resumed.exists():
            fail("an interrupted estimate left an output file")
        if not work.is_dir():
            fail("an interrupted estimate left no work folder to resume from")
    subprocess.run(base + ["--out", str(resumed), "--resume"], check=True, stdout=subprocess.DEVNULL)
    if work.exists():
        fail("the work folder is still there after the estimate finished")
    expected, got = datasets(reference), datasets(resumed)
    if expected.keys() != got.keys():
        fail(f"datasets differ: {sorted(expected.keys() ^ got.keys())}")
    for name, values in expected.items():
        if values.dtype.kind in "fc":
            same = np.array_equal(values, got[name], equal_nan=True)
        else:
            same = np.array_equal(values, got[name])
        if not same:
            fail(f"{name} differs between the uninterrupted and the resumed estimate")
    print(f"resume_test: the resumed estimate equals the uninterrupted one ({len(expected)} datasets, T = {elapsed:.1f} s)")


if __name__ == "__main__":
    main()
