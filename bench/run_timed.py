#!/usr/bin/python3
"""Runs a command and writes its times and peak memory to a record file, one line:

    user_seconds system_seconds peak_KiB wall_seconds

for bench/tie_formation.sh. The CPU seconds come from the kernel's resource usage of the child
(microseconds; /usr/bin/time prints them in hundredths of a second, which made the small case's
0.02 s and its nanoseconds a tie-step a coarse step: docs/performance.md, thirty-fourth round), the
peak memory is its maximum resident set, and the wall time is taken around the child alone (from
its start to its end, not Python's own start). The command's output passes through; its exit
status is this script's.

    /usr/bin/python3 bench/run_timed.py RECORD COMMAND [ARGUMENT...]

Standard library only.
"""
import os
import subprocess
import sys
import time


def main(argv):
    if len(argv) < 3:
        print("usage: run_timed.py RECORD COMMAND [ARGUMENT...]", file=sys.stderr)
        return 2
    record, command = argv[1], argv[2:]
    start = time.perf_counter()
    try:
        child = subprocess.Popen(command)
    except OSError as error:
        print(f"run_timed.py: cannot run {command[0]}: {error.strerror}", file=sys.stderr)
        return 127
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    with open(record, "w") as out:
        out.write(f"{usage.ru_utime:.6f} {usage.ru_stime:.6f} {usage.ru_maxrss} {wall:.6f}\n")
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
