#!/usr/bin/python3
"""docs/scenarios.md is the output of `policysim compare` over the what-ifs, 20 seeds each: about
eight minutes on two cores, too long for every test run. So the page is checked in two ways:

  inputs --check     (fast) every input the page's numbers depend on is as it was when the page
                     was generated: the SHA-256 of each is listed in docs/scenarios.inputs, and a
                     changed, added or removed input is named. The inputs are the scenario files
                     of the command in the page's header, the build files, and every source under
                     sim/ except the sweep runner (sim/sweep/) and the sub-commands other than
                     compare (sim/cli/): the model, dynamics, scenario, output and calibration
                     code that compare runs.
  inputs --write     lists them again (scripts/regenerate_scenarios_doc.sh, after regenerating).
  layout --policysim BIN --out FILE
                     (slow) the page's command, run with 2 seeds instead of 20, writes the same
                     page but for its numbers: the same what-ifs, outcomes and tables in order.

    /usr/bin/python3 tests/calibration/scenarios_doc.py inputs --check
    /usr/bin/python3 tests/calibration/scenarios_doc.py layout --policysim build/sim/policysim --out /tmp/s.md

A source change that leaves every number as it was (a refactor) still makes the page "stale" to
the inputs check: regenerate it, and the page's diff shows that nothing but the list changed."""
import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import input_stamps  # noqa: E402  (the stamp format and hashes, shared with scripts/images.py)
from input_stamps import SOURCE_SUFFIXES  # noqa: E402

DOC = ROOT / "docs" / "scenarios.md"
LIST = ROOT / "docs" / "scenarios.inputs"
HEADER = ("# Inputs of docs/scenarios.md (SHA-256, path): when one changes, the page may be stale.\n"
          "# Regenerate both with: bash scripts/regenerate_scenarios_doc.sh\n"
          "# Checked by tests/calibration/scenarios_doc.py (test scenarios.docs_inputs_unchanged).\n")


def command(doc_text):
    """The `policysim compare ...` line of the page's header, as a list of words."""
    lines = [line for line in doc_text.splitlines() if line.startswith("policysim compare ")]
    if len(lines) != 1:
        sys.exit(f"{DOC}: expected one line starting 'policysim compare ', found {len(lines)}")
    return lines[0].split()


def scenario_files(words):
    return [w for w in words[2:] if w.endswith(".toml")]


def inputs():
    files = set(scenario_files(command(DOC.read_text(encoding="utf-8"))))
    files.update(["CMakeLists.txt", "sim/CMakeLists.txt"])
    for path in (ROOT / "sim").rglob("*"):
        relative = path.relative_to(ROOT).as_posix()
        if not path.is_file() or path.suffix not in SOURCE_SUFFIXES or relative.startswith("sim/sweep/"):
            continue
        if relative.startswith("sim/cli/") and path.name != "compare_command.cpp":
            continue
        files.add(relative)
    return sorted(files)


def digest(relative):
    try:
        return input_stamps.digest(relative, ROOT)
    except FileNotFoundError:
        sys.exit(f"{relative}: an input of docs/scenarios.md that does not exist")


def listing():
    return HEADER + "".join(f"{digest(f)}  {f}\n" for f in inputs())


def read_listing():
    return input_stamps.read_listing(LIST)


def check_inputs():
    stored = read_listing()
    if stored is None:
        print(f"{LIST.relative_to(ROOT)} is missing: run bash scripts/regenerate_scenarios_doc.sh")
        return 1
    current = {f: digest(f) for f in inputs()}
    changed = sorted(f for f in current if f in stored and stored[f] != current[f])
    added = sorted(f for f in current if f not in stored)
    removed = sorted(f for f in stored if f not in current)
    for label, files in (("changed", changed), ("new", added), ("gone", removed)):
        for f in files:
            print(f"{label}: {f}")
    if changed or added or removed:
        print("docs/scenarios.md may be stale: its inputs differ from those it was generated from.\n"
              "Regenerate it (about 8 minutes on 2 cores): bash scripts/regenerate_scenarios_doc.sh")
        return 1
    print(f"docs/scenarios.md: all {len(current)} inputs as when it was generated")
    return 0


def shape(text):
    """The page with every number replaced by '#': what-ifs, outcomes, tables and prose remain."""
    return [re.sub(r"[-+−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", "#", line) for line in text.splitlines()]


def check_layout(policysim, generated, seeds):
    words = command(DOC.read_text(encoding="utf-8"))
    arguments = words[1:]
    for k, word in enumerate(arguments):
        if word == "--seeds":
            arguments[k + 1] = str(seeds)
        elif word in ("--docs-page", "--markdown"):   # --markdown: the former name of --docs-page
            arguments[k + 1] = str(generated)
        elif word.endswith(".toml"):
            arguments[k] = str(ROOT / word)
    subprocess.run([policysim, *arguments], check=True, stdout=subprocess.DEVNULL)
    want, got = shape(DOC.read_text(encoding="utf-8")), shape(Path(generated).read_text(encoding="utf-8"))
    for number, (a, b) in enumerate(zip(want, got), 1):
        if a != b:
            print(f"line {number} differs (numbers aside):\n  docs/scenarios.md: {a}\n  generated:         {b}")
            return 1
    if len(want) != len(got):
        print(f"docs/scenarios.md has {len(want)} lines, the generated page {len(got)}")
        return 1
    print(f"{generated}: the layout of docs/scenarios.md ({len(want)} lines), numbers aside")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p_inputs = sub.add_parser("inputs")
    p_inputs.add_argument("--write", action="store_true")
    p_inputs.add_argument("--check", action="store_true")
    sub.add_parser("command", help="print the page's command (the scenario files relative to the root)")
    p_layout = sub.add_parser("layout")
    p_layout.add_argument("--policysim", required=True)
    p_layout.add_argument("--out", required=True)
    p_layout.add_argument("--seeds", type=int, default=2)
    args = parser.parse_args()
    if args.what == "inputs":
        if args.write:
            LIST.write_text(listing(), encoding="utf-8")
            print(f"wrote {LIST.relative_to(ROOT)}")
            return 0
        return check_inputs()
    if args.what == "command":
        print(" ".join(command(DOC.read_text(encoding="utf-8"))))
        return 0
    return check_layout(args.policysim, args.out, args.seeds)


if __name__ == "__main__":
    sys.exit(main())
