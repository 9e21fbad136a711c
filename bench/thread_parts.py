#!/usr/bin/python3
"""Where a run on T threads loses against one thread, part by part.

Runs `policysim run SCENARIO --timings` alternately on 1 and on T threads (ROUNDS runs each, a new
file each time, outside the timing), reads each run's table of parts (the start, each phase of
the step and the B2B phase's parts, the recording, the file's end; docs/performance.md) and the
process's wall time, and prints for every part:

  - its median and least seconds on 1 and on T threads, and its speed-up (medians);
  - what it loses on T threads against a perfect division of its one-thread time (T-thread median
    less the one-thread median over T);
  - the run's speed-up were that part alone to divide perfectly (the T-thread run's median less
    the part's loss): what mending the part is worth, the yardstick for the issue's "2 threads
    >= x1.8" (docs/performance.md, thirty-first round).

Medians of alternating runs, since a shared machine's speed drifts in spells: compare figures of
one invocation only.

    /usr/bin/python3 bench/thread_parts.py [small|medium|large|xlarge|FILE.toml] [--threads T]
        [--rounds N] [--policysim PATH]

Standard library only (it runs where Debian's python3 does).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = ("small", "medium", "large", "xlarge")
# A row of `run --timings`: the part's name (indented two spaces more under its phase), its
# seconds and its share of the run.
ROW = re.compile(r"^( +)(\S.*?)\s+([0-9]+\.[0-9]+)\s+([0-9]+\.[0-9]+)%$")
PROCESS = "(process, wall)"


def parse_timings(text):
    """The parts of one `--timings` table, in its order: [(name, seconds)], a phase's parts named
    "phase/part". Raises ValueError when there is no table (no total row)."""
    parts, phase = [], None
    for line in text.splitlines():
        match = ROW.match(line)
        if not match:
            continue
        indent, name, seconds = len(match.group(1)), match.group(2), float(match.group(3))
        if indent <= 2:
            phase = name
            parts.append((name, seconds))
        else:
            if phase is None:
                raise ValueError(f"a part indented under no phase: {line!r}")
            parts.append((f"{phase}/{name}", seconds))
    if not parts or parts[-1][0] != "total":
        raise ValueError("no --timings table (no total row) in:\n" + text)
    return parts


def losses(one, many, threads):
    """Rows of the comparison: `one` and `many` map a part to its list of seconds (1 and T
    threads), in the order of the first table. Each row: (part, median 1, least 1, median T,
    least T, speed-up, loss, run's speed-up were the part to divide perfectly). The run's total
    is the "total" part (and PROCESS, when timed)."""
    total_one = statistics.median(one["total"])
    total_many = statistics.median(many["total"])
    rows = []
    for part in one:
        if part not in many:
            continue
        m1, mt = statistics.median(one[part]), statistics.median(many[part])
        loss = mt - m1 / threads
        speed_up = m1 / mt if mt > 0 else float("inf")
        if part in ("total", PROCESS):
            whole = speed_up
        else:
            remaining = total_many - loss
            whole = total_one / remaining if remaining > 0 else float("inf")
        rows.append((part, m1, min(one[part]), mt, min(many[part]), speed_up, loss, whole))
    return rows


def table(rows, threads):
    header = (f"{'part':<36} {'1 thread':>17} {f'{threads} threads':>17} {'speed-up':>9} "
              f"{'lost':>8} {'run if part divided':>20}")
    lines = [header, f"{'':<36} {'median / least':>17} {'median / least':>17}"]
    for part, m1, l1, mt, lt, speed_up, loss, whole in rows:
        name = ("  " + part.split("/", 1)[1]) if "/" in part else part
        lines.append(f"{name:<36} {m1:8.4f} / {l1:6.4f} {mt:8.4f} / {lt:6.4f} {'x%.2f' % speed_up:>9} "
                     f"{loss:8.4f} {'x%.2f' % whole:>20}")
    return "\n".join(lines)


def scenario_path(name):
    if name in SIZES:
        return ROOT / "bench" / f"tie_formation_{name}.toml"
    path = Path(name)
    if not path.is_file():
        sys.exit(f"{Path(sys.argv[0]).name}: {name}: not a benchmark size ({', '.join(SIZES)}) nor a scenario file")
    return path


def timed_run(policysim, scenario, threads, folder):
    """One run: its parts and the process's wall seconds."""
    out = Path(folder) / "run.h5"
    for leftover in (out, out.with_suffix(".summary.txt")):
        if leftover.exists():
            leftover.unlink()
    start = time.perf_counter()
    done = subprocess.run([str(policysim), "run", str(scenario), "--out", str(out), "--threads", str(threads),
                           "--timings", "--quiet"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"thread_parts.py: policysim run {scenario} --threads {threads} exited {done.returncode}:\n"
                 f"{done.stderr}")
    return parse_timings(done.stdout) + [(PROCESS, wall)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="large", help="a size of the benchmark or a scenario file")
    parser.add_argument("--threads", type=int, default=2, help="threads to compare with one (default 2)")
    parser.add_argument("--rounds", type=int, default=8, help="runs on each thread count (default 8)")
    parser.add_argument("--policysim", default=str(ROOT / "build" / "sim" / "policysim"))
    args = parser.parse_args()
    if args.threads < 2 or args.rounds < 1:
        sys.exit("thread_parts.py: --threads must be 2 or more, --rounds 1 or more")
    if not os.access(args.policysim, os.X_OK):
        sys.exit(f"thread_parts.py: {args.policysim}: no policysim there (build first: bash scripts/build.sh)")
    scenario = scenario_path(args.scenario)
    seconds = {1: {}, args.threads: {}}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.rounds):
            for threads in (1, args.threads):
                for part, value in timed_run(args.policysim, scenario, threads, folder):
                    seconds[threads].setdefault(part, []).append(value)
    print(f"{scenario}: {args.rounds} alternating runs on 1 and {args.threads} threads "
          f"(`run --timings`, wall seconds)")
    print(table(losses(seconds[1], seconds[args.threads], args.threads), args.threads))


if __name__ == "__main__":
    main()
