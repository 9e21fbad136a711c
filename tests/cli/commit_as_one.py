#!/usr/bin/python3
"""The run file and its summary commit as one, and two runs racing for one output never overwrite.

Several times, two `policysim run` of one scenario with different seeds start together on one
--out (no --force): exactly one exits 0, the other exits 2 saying the output exists, and the .h5
and the summary in the folder are the winner's (the summary's seed is the file's), with no
temporary left. Then a run with --force over both replaces both.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py

parser = argparse.ArgumentParser()
parser.add_argument("--policysim", required=True)
parser.add_argument("--scenario", required=True)
parser.add_argument("--work", required=True)
args = parser.parse_args()
os.makedirs(args.work, exist_ok=True)
failures = []


def seeds_of(folder):
    with h5py.File(os.path.join(folder, "s.h5"), "r") as f:
        file_seed = int(f["provenance/seed"][()])
    summary = open(os.path.join(folder, "s.summary.txt")).read()
    return file_seed, int(re.search(r"seed (\d+)", summary).group(1))


for attempt in range(5):
    folder = tempfile.mkdtemp(prefix="race-", dir=args.work)
    out = os.path.join(folder, "s.h5")
    runs = [subprocess.Popen([args.policysim, "run", args.scenario, "--out", out, "--quiet", "--seed", str(seed)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for seed in (11, 12)]
    results = [(run.wait(timeout=120), run.stdout.read()) for run in runs]
    codes = sorted(code for code, _ in results)
    if codes != [0, 2]:
        failures.append(f"attempt {attempt}: exit statuses {codes}, expected one 0 and one 2: {results}")
    elif not any(code == 2 and "exists" in text for code, text in results):
        failures.append(f"attempt {attempt}: the loser does not say the output exists: {results}")
    names = sorted(os.listdir(folder))
    if names != ["s.h5", "s.summary.txt"]:
        failures.append(f"attempt {attempt}: the folder holds {names}")
    else:
        file_seed, summary_seed = seeds_of(folder)
        if file_seed != summary_seed:
            failures.append(f"attempt {attempt}: the file is seed {file_seed}'s, the summary seed {summary_seed}'s")
    if attempt == 0 and not failures:
        forced = subprocess.run([args.policysim, "run", args.scenario, "--out", out, "--quiet", "--seed", "13",
                                 "--force"], capture_output=True, text=True)
        if forced.returncode != 0 or seeds_of(folder) != (13, 13):
            failures.append(f"--force did not replace both files: {forced}")
    shutil.rmtree(folder)

if failures:
    sys.exit("FAIL:\n  " + "\n  ".join(failures))
print("ok: one run wins, its file and summary together; the other exits 2 and leaves nothing")
