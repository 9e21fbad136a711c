#!/usr/bin/python3
"""`policysim compare` for users, through the real command line, on the small world cut to 24
quarters (fixtures/compare_base.toml and compare_whatif.toml, which adds one event in 2014Q1):

- --pair and --measure choose what is printed and written: every measure at every pair, nothing else;
- --out writes an HDF5 file whose difference, quarter by quarter, is what-if minus baseline of two
  `policysim run`s with the same seed, averaged over the seeds, with the 95% t interval of those
  differences and both sides' means; it says what it holds (units, long names, files, seeds, version);
- the default output is for users: no docs preamble, no "Regenerate" line;
- a bad --measure, --pair, --out or --docs-page is exit 2 before any run.

    /usr/bin/python3 tests/calibration/compare_out.py --policysim build/sim/policysim --tmp /tmp/x
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent
BASE = HERE / "fixtures" / "compare_base.toml"
WHATIF = HERE / "fixtures" / "compare_whatif.toml"
SEEDS = (5, 6)           # compare --seeds 2 with the baseline's seed set to 5: seeds 5 and 6
T_975_1 = 12.706         # Student's t, 97.5%, 1 degree of freedom
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run(policysim, *arguments):
    return subprocess.run([policysim, *map(str, arguments)], capture_output=True, text=True)


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policysim", required=True)
    parser.add_argument("--tmp")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(dir=args.tmp))
    p = args.policysim

    # Bad input: exit 2, before any run (no progress line), naming what was wrong.
    for arguments, expected in (
            (["--measure", "dialoge"], 'did you mean "dialogue"'),
            (["--measure", "dialogue_density"], "not a pair measure"),
            (["--pair", "JPN-XXX"], "no agent"),
            (["--docs-page", "/nonexistent/x.md"], "/nonexistent"),
            (["--markdown", "/nonexistent/x.md"], "/nonexistent"),
            (["--out", "/nonexistent/x.h5"], "/nonexistent")):
        result = run(p, "compare", BASE, WHATIF, "--seeds", 2, *arguments)
        check(result.returncode == 2, f"{arguments}: exit {result.returncode}, expected 2: {result.stderr}")
        check(expected in result.stderr, f"{arguments}: {expected!r} not in {result.stderr!r}")
        check(not any(line.startswith("compare: ") for line in result.stderr.splitlines()),
              f"{arguments}: a run started before the refusal: {result.stderr!r}")

    # The comparison, with the baseline's seed set through a copy of the file.
    base = tmp / "base.toml"
    base.write_text(f'extends = "{BASE}"\n\n[simulation]\nseed = {SEEDS[0]}\n', encoding="utf-8")
    whatif = tmp / "compare_whatif.toml"
    whatif.write_text(f'extends = "{WHATIF}"\n\n[simulation]\nseed = {SEEDS[0]}\n', encoding="utf-8")
    out = tmp / "compare.h5"
    pairs, measures = ["JPN-ISR", "USA-ISR"], ["dialogue", "b2b_cooperation"]
    result = run(p, "compare", base, whatif, "--seeds", 2, "--pair", pairs[0], "--pair", pairs[1],
                 "--measure", measures[0], "--measure", measures[1], "--out", out, "--threads", 2)
    check(result.returncode == 0, f"compare: exit {result.returncode}: {result.stderr}")
    printed = result.stdout
    for pair in pairs:
        for measure in measures:
            check(f"{pair} {'B2B ties' if measure == 'b2b_cooperation' else measure}" in printed,
                  f"{pair} {measure} not printed:\n{printed}")
    for absent in ("cooperation", "JPN-USA", "JPN-EU", "MOUs", "Regenerate", "CTest", "docs/scenarios"):
        check(absent not in printed, f"{absent!r} printed although not asked for:\n{printed}")
    # Not a terminal: one progress line per 10% (4 runs: 25% steps, so 4 lines), none with --quiet.
    progress = [line for line in result.stderr.splitlines() if line.startswith("compare: ")]
    check(len(progress) == 4 and progress[-1].startswith("compare: 4/4 runs (100%)"), f"progress: {result.stderr!r}")

    # Two runs per seed, as a user would make them.
    rows = {}
    for seed in SEEDS:
        for name, scenario in (("base", base), ("whatif", whatif)):
            path = tmp / f"{name}_{seed}.h5"
            r = run(p, "run", scenario, "--seed", seed, "--out", path, "--quiet")
            check(r.returncode == 0, f"run {name} {seed}: {r.stderr}")
            with h5py.File(path, "r") as f:
                agents = [text(a) for a in f["agents/agent"][()]]
                rows[name, seed] = {(m, pair): f["ties"][m][:, agents.index(pair.split("-")[0]),
                                                          agents.index(pair.split("-")[1])]
                                    for m in measures for pair in pairs}
                labels = [text(v) for v in f["metrics/period_label"][()]]

    with h5py.File(out, "r") as f:
        check(list(f.keys()) == ["compare_whatif", "seeds"], f"groups: {list(f.keys())}")
        check(list(f["seeds"][()]) == list(SEEDS), f"seeds: {f['seeds'][()]}")
        for attribute in ("program_version", "command_line", "baseline_file", "interval"):
            check(text(f.attrs.get(attribute, "")) != "", f"root attribute {attribute} missing")
        check(text(f.attrs["baseline_file"]) == str(base), f"baseline_file {f.attrs['baseline_file']}")
        group = f["compare_whatif"]
        check(text(group.attrs["what_if_file"]) == str(whatif), "what_if_file")
        check(text(group.attrs["first_event"]) == "early_abe_exit", "first_event")
        check(text(group.attrs["first_event_period"]) == "2014Q1", "first_event_period")
        check(sorted(group.keys()) == sorted(measures), f"measures written: {list(group.keys())}")
        changed = False
        for m in measures:
            g = group[m]
            check(text(g.attrs["units"]) != "" and text(g.attrs["long_name"]) != "", f"{m}: units, long_name")
            check([text(v) for v in g["pair"][()]] == pairs, f"{m}: pairs {g['pair'][()]}")
            check([text(v) for v in g["period_label"][()]] == labels, f"{m}: period labels differ from the run's")
            for name in ("baseline", "what_if", "difference", "difference_low", "difference_high"):
                check(g[name].shape == (len(labels), len(pairs)), f"{m}/{name}: shape {g[name].shape}")
                check(text(g[name].attrs.get("units", "")) == text(g.attrs["units"]), f"{m}/{name}: units")
            for column, pair in enumerate(pairs):
                d = np.array([rows["whatif", s][m, pair] - rows["base", s][m, pair] for s in SEEDS])
                mean = d.mean(axis=0)
                half = T_975_1 * np.abs(d[0] - d[1]) / 2
                for name, want in (("difference", mean), ("difference_low", mean - half),
                                   ("difference_high", mean + half),
                                   ("baseline", np.mean([rows["base", s][m, pair] for s in SEEDS], axis=0)),
                                   ("what_if", np.mean([rows["whatif", s][m, pair] for s in SEEDS], axis=0))):
                    got = g[name][:, column]
                    check(np.allclose(got, want, rtol=1e-12, atol=1e-9),
                          f"{m} {pair} {name}: max error {np.max(np.abs(got - want))}")
                before = np.array([label < "2014Q2" for label in labels])   # rows up to the event's first effect
                check(np.all(g["difference"][before, column] == 0), f"{m} {pair}: differs before the event")
                changed = changed or np.any(g["difference"][~before, column] != 0)
        check(changed, "the what-if changed nothing: the test would not see a wrong difference")

    # --quiet: no progress; an existing --out without --force: exit 2.
    result = run(p, "compare", base, whatif, "--seeds", 2, "--measure", "dialogue", "--pair", "JPN-ISR", "--quiet")
    check(result.returncode == 0 and result.stderr == "", f"--quiet: {result.returncode} {result.stderr!r}")
    result = run(p, "compare", base, whatif, "--seeds", 2, "--out", out)
    check(result.returncode == 2 and "exists" in result.stderr, f"existing --out: {result.returncode} {result.stderr!r}")

    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
