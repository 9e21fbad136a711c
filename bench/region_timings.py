#!/usr/bin/python3
"""Where a run's threads wait, region by region: runs `policysim run SCENARIO` with
build/bench/libregion_timings.so in front of libgomp (bench/region_timings.cpp) and prints, for each
OpenMP parallel region of the run (named by its function), over the run:

  - calls: how often it ran (and how often with one thread: an `if` below its threshold);
  - wall: its seconds, start to end;
  - spread: the threads' finish spread summed over its calls (last thread's finish less the first's):
    what a thread done first waits at the region's end;
  - serial before: the seconds since the previous region ended, when only the first thread works.

and the run's totals: the process's seconds, those in regions, the spreads, and the serial seconds
between regions (including before the first and after the last). Serial seconds and spreads are
what keep T threads from T times one thread's speed, besides the threads' slowing each other down
(docs/performance.md, thirty-third round). With --runs N, medians over N runs.

    /usr/bin/python3 bench/region_timings.py [small|medium|large|xlarge|FILE.toml] [--threads T]
        [--steps N] [--runs N] [--policysim PATH] [--library PATH]

Standard library and binutils' nm only.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from bisect import bisect_right
from pathlib import Path

from thread_parts import ROOT, scenario_path  # bench/thread_parts.py: a benchmark size or a scenario file


def parse_report(text):
    """The library's report: (process seconds, seconds after the last region, [regions]), each region
    a dict with file, offset, calls, wall, spread, serial, alone. Raises ValueError on a line it
    does not know or no process line."""
    process = after_last = None
    regions = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if fields[0] == "process" and len(fields) == 3:
            process, after_last = float(fields[1]), float(fields[2])
        elif fields[0] == "region" and len(fields) == 8:
            regions.append({"file": fields[1], "offset": int(fields[2], 16), "calls": int(fields[3]),
                            "wall": float(fields[4]), "spread": float(fields[5]), "serial": float(fields[6]),
                            "alone": int(fields[7])})
        else:
            raise ValueError(f"line {number} of the region report: not a process or region line: {line!r}")
    if process is None:
        raise ValueError("the region report has no process line (did the program end normally?)")
    return process, after_last, regions


def short_name(symbol):
    """A demangled function name without its parameters and anonymous namespaces, its clone suffix
    kept: 'ns::(anonymous namespace)::f(int, std::span<int, 1ul>) const [clone ._omp_fn.0]' ->
    'ns::f ._omp_fn.0'."""
    clone = re.search(r"\[clone ([^\]]+)\]\s*$", symbol)
    symbol = symbol.replace("(anonymous namespace)::", "")
    depth, cut = 0, len(symbol)
    for k, c in enumerate(symbol):
        if c in "<":
            depth += 1
        elif c in ">":
            depth -= 1
        elif c == "(" and depth == 0:
            cut = k
            break
    name = symbol[:cut].strip()
    return f"{name} {clone.group(1)}" if clone else name


def symbol_table(path):
    """Sorted [(address, demangled name)] of an object file's functions (nm; its dynamic symbols
    where it has no others). An empty list where nm cannot read it."""
    for flags in (["--defined-only"], ["-D", "--defined-only"]):
        done = subprocess.run(["nm", "-C", *flags, path], capture_output=True, text=True)
        table = []
        for line in done.stdout.splitlines():
            match = re.match(r"^([0-9a-fA-F]+) ([tTwWiI]) (.+)$", line)
            if match:
                table.append((int(match.group(1), 16), match.group(3)))
        if table:
            return sorted(table)
    return []


def name_at(table, offset):
    """The function holding `offset`: the last symbol at or below it ('?' where none)."""
    k = bisect_right(table, (offset, chr(0x10FFFF))) - 1
    return table[k][1] if k >= 0 else "?"


def run_once(policysim, library, scenario, threads, steps):
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "regions.tsv"
        environment = dict(os.environ, LD_PRELOAD=str(library), POLICYSIM_REGION_TIMINGS=str(report))
        command = [str(policysim), "run", str(scenario), "--out", str(Path(folder) / "run.h5"), "--quiet",
                   "--threads", str(threads)]
        if steps is not None:
            command += ["--steps", str(steps)]
        done = subprocess.run(command, env=environment, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return parse_report(report.read_text())


def summarise(runs):
    """Medians over runs, regions matched by (file, offset): (process, after_last, [regions])."""
    process = statistics.median(r[0] for r in runs)
    after_last = statistics.median(r[1] for r in runs)
    keys = []
    for _, _, regions in runs:
        for region in regions:
            if (region["file"], region["offset"]) not in keys:
                keys.append((region["file"], region["offset"]))
    merged = []
    for key in keys:
        found = [next((g for g in regions if (g["file"], g["offset"]) == key), None) for _, _, regions in runs]
        found = [g for g in found if g is not None]
        merged.append({"file": key[0], "offset": key[1],
                       **{field: statistics.median(g[field] for g in found)
                          for field in ("calls", "wall", "spread", "serial", "alone")}})
    return process, after_last, merged


def table(process, after_last, regions, names):
    """The printed table, regions by their wall and serial seconds, largest first."""
    rows = sorted(regions, key=lambda g: g["wall"] + g["serial"], reverse=True)
    lines = [f"{'region (its function)':<64} {'calls':>7} {'alone':>6} {'wall s':>9} {'spread s':>9} {'serial before s':>16}"]
    for g in rows:
        name = names.get((g["file"], g["offset"]), "?")
        lines.append(f"{name[:64]:<64} {g['calls']:>7.0f} {g['alone']:>6.0f} {g['wall']:>9.4f} {g['spread']:>9.4f} {g['serial']:>16.4f}")
    in_regions = sum(g["wall"] for g in regions)
    spreads = sum(g["spread"] for g in regions)
    serial = sum(g["serial"] for g in regions) + after_last
    lines.append(f"process {process:.4f} s: in regions {in_regions:.4f} s (finish spreads {spreads:.4f} s), "
                 f"serial between them {serial:.4f} s (after the last {after_last:.4f} s)")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="large")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--policysim", default=str(ROOT / "build" / "sim" / "policysim"))
    parser.add_argument("--library", default=str(ROOT / "build" / "bench" / "libregion_timings.so"))
    args = parser.parse_args()
    scenario = scenario_path(args.scenario)
    for path, what in ((Path(args.policysim), "policysim"), (Path(args.library), "the region library")):
        if not path.exists():
            sys.exit(f"region_timings.py: no {what} at {path} (build first: cmake --build build)")
    if args.threads < 1 or args.runs < 1:
        sys.exit("region_timings.py: --threads and --runs take a whole number >= 1")
    runs = [run_once(args.policysim, args.library, scenario, args.threads, args.steps) for _ in range(args.runs)]
    process, after_last, regions = summarise(runs)
    tables = {}
    names = {}
    for g in regions:
        if g["file"] not in tables:
            tables[g["file"]] = symbol_table(g["file"])
        names[(g["file"], g["offset"])] = short_name(name_at(tables[g["file"]], g["offset"]))
    print(f"{scenario}: {args.threads} threads, {'median of ' + str(args.runs) + ' runs' if args.runs > 1 else 'one run'}")
    print(table(process, after_last, regions, names))


if __name__ == "__main__":
    main()
