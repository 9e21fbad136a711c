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

To keep the whole to about 4 minutes on 2 free cores, some pictures use fewer seeds or smaller
designs than the example specs of tests/analysis/sweeps/ ask for (SWEEP_SETTINGS below); the
captions in README.md and docs/analysis.md say so."""
import argparse
import hashlib
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
RECIPE = "recipe (scripts/images.py)"
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


def recipes():
    """name -> the commands that make the picture, in order ("policysim" for the binary, paths
    relative to the root, W/ for output/images/). A command two pictures share runs once."""
    analysis = ["python3", "-m", "analysis"]
    quiet = ["--force", "--quiet", "--threads", THREADS]
    runs = [["policysim", "run", f"scenarios/{stem}.toml", "--out", f"W/{stem}.h5", *quiet]
            for stem in ("history", "post_abe")]
    made = {
        "history_vs_post_abe_ties": runs + [
            ["policysim", "compare", "scenarios/history.toml", "scenarios/post_abe.toml", "--seeds", str(COMPARE_SEEDS),
             "--pair", "JPN-ISR", "--pair", "JPN-USA", "--measure", "dialogue", "--measure", "cooperation",
             "--out", "W/history_vs_post_abe.h5", *quiet],
            [*analysis, "ties", "W/history.h5", "W/post_abe.h5", "--pairs", "JPN-ISR", "JPN-USA",
             "--compare", "W/history_vs_post_abe.h5", "--difference-layers", "dialogue", "--out-dir", "W"]],
        "post_abe_network": runs[1:] + [
            [*analysis, "network", "W/post_abe.h5", "--periods", "2012Q1", "2020Q4", "--out-dir", "W"]],
    }
    for stem, settings in SWEEP_SETTINGS.items():
        made[stem] = [["policysim", "sweep", f"{SWEEPS}/{stem}.toml", "--out", f"W/{stem}.h5", *quiet,
                       *[w for setting in settings for w in ("--set", setting)]]]
    sweep_plot = [*analysis, "sweep", "W/sweep_china_ties.h5", *METRIC, "--out-dir", "W"]
    made["sweep_china_ties_sweep"] = made["sweep_china_ties"] + [sweep_plot]
    made["sweep_china_ties_heatmap"] = made["sweep_china_ties"] + [sweep_plot]
    for stem in ("sweep_china_ties_sobol", "sweep_china_ties_morris"):
        made[f"{stem}_sensitivity"] = made[stem] + [
            [*analysis, "sensitivity", f"W/{stem}.h5", *METRIC, "--out-dir", "W"]]
    made["sweep_china_ties_lhs_discover"] = made["sweep_china_ties_lhs"] + [
        [*analysis, "discover", "W/sweep_china_ties_lhs.h5", *METRIC, "--above", DISCOVER_ABOVE, "--out-dir", "W"]]
    return {name: made[name] for name in IMAGES}


def recipe_text(name):
    return "".join(" ".join(words) + "\n" for words in recipes()[name])


def inputs(name):
    files, modules, _ = IMAGES[name]
    chain = [f for file in files for f in scenario_chain(file, ROOT)]
    return list(dict.fromkeys(chain + PROGRAM + READING + modules))


def stamp_text(name):
    """The stamp: the inputs' hashes, and the hash of the picture's own commands (its recipe in
    this file: seeds, designs, options), so that editing one picture's recipe stales that one."""
    recipe = hashlib.sha256(recipe_text(name).encode()).hexdigest()
    return listing(header(name), inputs(name), ROOT) + f"{recipe}  {RECIPE}\n"


def stamp_path(name):
    return IMAGES_DIR / f"{name}.inputs"


def header(name):
    return (f"# Inputs of docs/images/{name}.png (SHA-256, path; sim/: all its sources as one hash; the last\n"
            f"# line: its commands in scripts/images.py): when one changes, the picture may be stale.\n"
            f"# Regenerate every picture with: {COMMAND}\n"
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
            lines = differences({k: v for k, v in stored.items() if k != RECIPE}, inputs(name), ROOT)
            if stored.get(RECIPE) != hashlib.sha256(recipe_text(name).encode()).hexdigest():
                lines.append(f"changed: {RECIPE}")
            if lines:
                stale.append((name, lines))
    for name, lines in stale:
        print(f"docs/images/{name}.png is stale:")
        for line in lines[:12]:
            print(f"  {line}")
        if len(lines) > 12:
            print(f"  ... and {len(lines) - 12} more")
    if stale:
        print(f"Regenerate the pictures (about 4 minutes on 2 free cores): {COMMAND}")
        return 1
    print(f"docs/images: all {len(IMAGES)} pictures as their inputs say")
    return 0


def step(words, policysim, resume):
    words = [policysim if w == "policysim" else "/usr/bin/python3" if w == "python3" else
             str(WORK) if w == "W" else str(WORK / w[2:]) if w.startswith("W/") else w for w in words]
    if resume and words[1] == "sweep" and Path(words[words.index("--out") + 1] + ".journal").exists():
        words[words.index("--force")] = "--resume"
    started = time.monotonic()
    print(f"== {' '.join(words)}", flush=True)
    subprocess.run(words, check=True, cwd=ROOT, env={**os.environ, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": THREADS})
    print(f"   {time.monotonic() - started:.0f} s", flush=True)


def regenerate(policysim, only, resume):
    WORK.mkdir(parents=True, exist_ok=True)
    done = []
    for name in only or IMAGES:
        for words in recipes()[name]:
            if words not in done:
                step(words, policysim, resume)
                done.append(words)
    for name in only or IMAGES:
        shutil.copyfile(WORK / IMAGES[name][2], IMAGES_DIR / f"{name}.png")
        stamp_path(name).write_text(stamp_text(name), encoding="utf-8")
        print(f"wrote docs/images/{name}.png and its stamp")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p_regenerate = sub.add_parser("regenerate")
    p_regenerate.add_argument("--policysim", default=os.environ.get("POLICYSIM", str(ROOT / "build/sim/policysim")))
    p_regenerate.add_argument("--only", nargs="+", choices=sorted(IMAGES))
    p_regenerate.add_argument("--resume", action="store_true",
                              help="continue the sweeps of an interrupted regeneration from their journals")
    sub.add_parser("check")
    p_inputs = sub.add_parser("inputs")
    p_inputs.add_argument("name", choices=sorted(IMAGES))
    args = parser.parse_args()
    if args.what == "check":
        return check()
    if args.what == "inputs":
        print("\n".join(inputs(args.name)))
        print(recipe_text(args.name), end="")
        return 0
    started = time.monotonic()
    regenerate(args.policysim, args.only, args.resume)
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
