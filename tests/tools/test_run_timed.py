#!/usr/bin/python3
"""bench/run_timed.py (bench/tie_formation.sh's timer): a child that burns CPU and holds memory is
recorded with its CPU seconds to the microsecond (not in hundredths), its peak memory and its wall
time; the child's exit status is the script's; a command that does not exist is a clear error.

    /usr/bin/python3 tests/tools/test_run_timed.py
"""
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from checks import check  # noqa: E402  (tests/tools/checks.py)

SCRIPT = ROOT / "bench" / "run_timed.py"
# About 0.1 s of CPU and 64 MiB written (so resident), then exit 0.
BUSY = "x = bytearray(64 << 20)\nfor i in range(0, len(x), 4096): x[i] = 1\ns = 0\nfor i in range(1500000): s += i\n"

with tempfile.TemporaryDirectory() as folder:
    record = Path(folder) / "r.time"
    done = subprocess.run(["/usr/bin/python3", str(SCRIPT), str(record), "/usr/bin/python3", "-c", BUSY])
    check(done.returncode == 0, f"a child that exits 0: exit {done.returncode}")
    fields = record.read_text().split()
    check(len(fields) == 4, f"four fields (user system peak wall): {fields}")
    user, system, peak, wall = float(fields[0]), float(fields[1]), int(fields[2]), float(fields[3])
    cpu = user + system
    check(0.03 < cpu < 5.0, f"the child's CPU seconds: {cpu}")
    # Microseconds: six places after the point (/usr/bin/time prints two).
    check(len(fields[0].split(".")[1]) == 6, f"the user seconds to the microsecond: {fields[0]}")
    check(peak >= 64 * 1024, f"the peak resident KiB holds the 64 MiB written: {peak}")
    check(wall >= cpu * 0.5 and wall < 30.0, f"the wall time around the child: {wall} (CPU {cpu})")

    failing = subprocess.run(["/usr/bin/python3", str(SCRIPT), str(record), "/bin/sh", "-c", "exit 3"])
    check(failing.returncode == 3, f"the child's exit status passed on: {failing.returncode}")
    check(len(record.read_text().split()) == 4, "a record written for a failing child too")

    missing = subprocess.run(["/usr/bin/python3", str(SCRIPT), str(record), str(Path(folder) / "no-such-program")],
                             capture_output=True, text=True)
    check(missing.returncode == 127, f"a command that does not exist: exit {missing.returncode}")
    check("cannot run" in missing.stderr and "no-such-program" in missing.stderr,
          f"the message names the command: {missing.stderr!r}")

    usage = subprocess.run(["/usr/bin/python3", str(SCRIPT), str(record)], capture_output=True, text=True)
    check(usage.returncode == 2 and "usage" in usage.stderr, f"no command: usage, exit 2 ({usage.returncode})")

print("run_timed: all checks passed")
