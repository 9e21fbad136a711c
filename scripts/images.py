#!/usr/bin/python3
"""Every picture in docs/images/ (shown by README.md and docs/), made by one command, and the
stamps that tell when one is stale.

  regenerate [--only NAME...]   runs policysim (run, compare, sweep) and `python3 -m analysis`,
                                writes the pictures into docs/images/ and a stamp beside each
                                (docs/images/<name>.inputs); intermediate files go to
                                output/images/. `bash scripts/regenerate_images.sh` calls this.
  check                         (fast CTest docs.images_current) every picture's stamp matches
                                its inputs as they are now; names the stale pictures, what
                                changed, and the command that regenerates them.
  inputs NAME                   prints a picture's inputs.

A picture's inputs (tools/input_stamps.py, the mechanism of docs/scenarios.inputs): the scenario
and sweep files it is drawn from, with every file they extend; all of sim/ and the build files
(the program: a change to the model can change every number); the analysis modules that draw it;
and this file (the commands, seeds and designs below). A change to any of them makes the picture
stale: run the command again; a picture whose inputs changed without changing the picture (a
refactor) then shows no diff but its stamp.

To keep the whole under about 6 minutes on 2 cores, some pictures use fewer seeds or smaller
designs than the example specs of tests/analysis/sweeps/ ask for (SWEEP_SETTINGS below); the
captions in README.md and docs/analysis.md say so."""
import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from input_stamps import differences, listing, read_listing, scenario_chain  # noqa: E402

IMAGES_DIR = ROOT / "docs" / "images"
WORK = ROOT / "output" / "images"
COMMAND = "bash scripts/regenerate_images.sh"
PROGRAM = ["sim/", "CMakeLists.txt"]
READING = ["analysis/__main__.py", "analysis/figures.py", "analysis/periods.py", "analysis/reading.py"]
SWEEPS = "tests/analysis/sweeps"
THREADS = "2"
COMPARE_SEEDS = 8       # the difference panel's band: 8 paired runs of history.toml and post_abe.toml
# The example sweeps, made smaller where the picture allows (the captions say so).
SWEEP_SETTINGS = {
    "sweep_china_ties": ["sweep.replicates=2"],
    "sweep_china_ties_sobol": ["sweep.samples=32", "sweep.replicates=1"],
    "sweep_china_ties_morris": ["sweep.samples=16", "sweep.replicates=1"],
    "sweep_china_ties_lhs": ["sweep.samples=160", "sweep.replicates=1"],
}
METRIC = ["--metric", "cooperation_pairs", "--pair", "JPN-ISR", "--period", "2030Q1"]
DISCOVER_ABOVE = "0.9"

# name -> (scenario or sweep files, analysis modules, the picture made in WORK)
IMAGES = {
    "history_vs_post_abe_ties": (["scenarios/history.toml", "scenarios/post_abe.toml"], ["analysis/ties.py"],
                                 "history_vs_post_abe_ties.png"),
    "post_abe_network": (["scenarios/post_abe.toml"], ["analysis/network.py"], "post_abe_network.png"),
    "sweep_china_ties_sweep": ([f"{SWEEPS}/sweep_china_ties.toml"], ["analysis/sweep.py"], "sweep_china_ties_sweep.png"),
    "sweep_china_ties_heatmap": ([f"{SWEEPS}/sweep_china_ties.toml"], ["analysis/sweep.py"],
                                 "sweep_china_ties_heatmap.png"),
    "sweep_china_ties_sobol_sensitivity": ([f"{SWEEPS}/sweep_china_ties_sobol.toml"], ["analysis/sensitivity.py"],
                                           "sweep_china_ties_sobol_sensitivity.png"),
    "sweep_china_ties_morris_sensitivity": ([f"{SWEEPS}/sweep_china_ties_morris.toml"], ["analysis/sensitivity.py"],
                                            "sweep_china_ties_morris_sensitivity.png"),
    "sweep_china_ties_lhs_discover": ([f"{SWEEPS}/sweep_china_ties_lhs.toml"], ["analysis/prim.py"],
                                      "sweep_china_ties_lhs_discover.png"),
}


def inputs(name):
    files, modules, _ = IMAGES[name]
    chain = [f for file in files for f in scenario_chain(file, ROOT)]
    return list(dict.fromkeys(chain + PROGRAM + READING + modules + ["scripts/images.py"]))


def stamp_path(name):
    return IMAGES_DIR / f"{name}.inputs"


def header(name):
    return (f"# Inputs of docs/images/{name}.png (SHA-256, path; sim/: all its sources as one hash): when one\n"
            f"# changes, the picture may be stale. Regenerate every picture with: {COMMAND}\n"
            f"# Checked by scripts/images.py check (test docs.images_current).\n")


def check():
    stale = []
    for name in IMAGES:
        stored = read_listing(stamp_path(name))
        if not (IMAGES_DIR / f"{name}.png").is_file():
            stale.append((name, ["the picture is missing"]))
        elif stored is None:
            stale.append((name, [f"no stamp {stamp_path(name).relative_to(ROOT)}"]))
        else:
            lines = differences(stored, inputs(name), ROOT)
            if lines:
                stale.append((name, lines))
    for name, lines in stale:
        print(f"docs/images/{name}.png is stale:")
        for line in lines[:12]:
            print(f"  {line}")
        if len(lines) > 12:
            print(f"  ... and {len(lines) - 12} more")
    if stale:
        print(f"Regenerate the pictures (about 6 minutes on 2 cores): {COMMAND}")
        return 1
    print(f"docs/images: all {len(IMAGES)} pictures as their inputs say")
    return 0


def step(words, what):
    started = time.monotonic()
    print(f"== {what}: {' '.join(map(str, words))}", flush=True)
    subprocess.run([str(w) for w in words], check=True, cwd=ROOT,
                   env={**os.environ, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": THREADS})
    print(f"   {time.monotonic() - started:.0f} s", flush=True)


def regenerate(policysim, only):
    WORK.mkdir(parents=True, exist_ok=True)
    wanted = set(only or IMAGES)
    analysis = ["/usr/bin/python3", "-m", "analysis"]
    sweep_out = lambda stem: WORK / f"{stem}.h5"   # noqa: E731
    needs = lambda *names: wanted & set(names)      # noqa: E731
    if needs("history_vs_post_abe_ties", "post_abe_network"):
        for stem in ("history", "post_abe"):
            step([policysim, "run", f"scenarios/{stem}.toml", "--out", WORK / f"{stem}.h5", "--force", "--quiet",
                  "--threads", THREADS], f"run {stem}")
    if needs("history_vs_post_abe_ties"):
        step([policysim, "compare", "scenarios/history.toml", "scenarios/post_abe.toml", "--seeds", COMPARE_SEEDS,
              "--pair", "JPN-ISR", "--pair", "JPN-USA", "--measure", "dialogue", "--measure", "cooperation",
              "--out", WORK / "history_vs_post_abe.h5", "--force", "--quiet", "--threads", THREADS], "compare")
        step([*analysis, "ties", WORK / "history.h5", WORK / "post_abe.h5", "--pairs", "JPN-ISR", "JPN-USA",
              "--compare", WORK / "history_vs_post_abe.h5", "--difference-layers", "dialogue", "--out-dir", WORK],
             "ties picture")
    if needs("post_abe_network"):
        step([*analysis, "network", WORK / "post_abe.h5", "--periods", "2012Q1", "2020Q4", "--out-dir", WORK],
             "network picture")
    for stem, settings in SWEEP_SETTINGS.items():
        pictures = [n for n in IMAGES if n.startswith(stem + "_") and IMAGES[n][0] == [f"{SWEEPS}/{stem}.toml"]]
        if not needs(*pictures):
            continue
        step([policysim, "sweep", f"{SWEEPS}/{stem}.toml", "--out", sweep_out(stem), "--force", "--quiet",
              "--threads", THREADS, *[w for s in settings for w in ("--set", s)]], f"sweep {stem}")
    if needs("sweep_china_ties_sweep", "sweep_china_ties_heatmap"):
        step([*analysis, "sweep", sweep_out("sweep_china_ties"), *METRIC, "--out-dir", WORK], "sweep pictures")
    for stem in ("sweep_china_ties_sobol", "sweep_china_ties_morris"):
        if needs(f"{stem}_sensitivity"):
            step([*analysis, "sensitivity", sweep_out(stem), *METRIC, "--out-dir", WORK], f"{stem} picture")
    if needs("sweep_china_ties_lhs_discover"):
        step([*analysis, "discover", sweep_out("sweep_china_ties_lhs"), *METRIC, "--above", DISCOVER_ABOVE,
              "--out-dir", WORK], "discover picture")
    for name in IMAGES:
        if name not in wanted:
            continue
        shutil.copyfile(WORK / IMAGES[name][2], IMAGES_DIR / f"{name}.png")
        stamp_path(name).write_text(listing(header(name), inputs(name), ROOT), encoding="utf-8")
        print(f"wrote docs/images/{name}.png and its stamp")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p_regenerate = sub.add_parser("regenerate")
    p_regenerate.add_argument("--policysim", default=os.environ.get("POLICYSIM", str(ROOT / "build/sim/policysim")))
    p_regenerate.add_argument("--only", nargs="+", choices=sorted(IMAGES))
    sub.add_parser("check")
    p_inputs = sub.add_parser("inputs")
    p_inputs.add_argument("name", choices=sorted(IMAGES))
    args = parser.parse_args()
    if args.what == "check":
        return check()
    if args.what == "inputs":
        print("\n".join(inputs(args.name)))
        return 0
    started = time.monotonic()
    regenerate(args.policysim, args.only)
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
