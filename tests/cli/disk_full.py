#!/usr/bin/python3
"""A full disk during `run` and `sweep`: exit 1 with a message, no signal, no file left.

Mounts a 2 MB tmpfs (root, as here and in CI) and writes the run file, the sweep file and the sweep
journal there: first with the space running out part-way, then with none free at all. Before the output core
turned HDF5's exit handler off, a failed H5Fclose crashed at exit (SIGSEGV in H5F__close_cb) or
printed "infinite loop closing library". Exit 77 (skipped) where the mount is refused, unless
CI=true, where that is a failure.
"""
import argparse
import os
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--policysim", required=True)
parser.add_argument("--scenario", required=True)
parser.add_argument("--work", required=True)
args = parser.parse_args()
HERE = os.path.dirname(os.path.abspath(__file__))
SWEEP = os.path.join(HERE, "..", "sweep", "determinism_sweep.toml")

os.makedirs(args.work, exist_ok=True)
mount_point = tempfile.mkdtemp(prefix="disk_full-", dir=args.work)
mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount_point], capture_output=True, text=True)
if mounted.returncode != 0:
    os.rmdir(mount_point)
    message = f"cannot mount a tmpfs ({mounted.stderr.strip()})"
    if os.environ.get("CI") == "true":
        sys.exit(f"FAIL: {message}; CI must run this test (as root)")
    print(f"SKIP: {message}")
    sys.exit(77)

failures = []


def check(name, words, allowed):
    result = subprocess.run([args.policysim] + words, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    print(f"--- {name}: exit {result.returncode}\n{output}")
    if result.returncode != 1:
        failures.append(f"{name}: exit {result.returncode}, expected 1" +
                        (f" (signal {-result.returncode})" if result.returncode < 0 else ""))
    if "No space left on device" not in output and "no space" not in output.lower():
        failures.append(f"{name}: no message about the full disk")
    if "infinite loop" in output or "HDF5-DIAG" in output:
        failures.append(f"{name}: HDF5 printed its own errors")
    left = sorted(set(os.listdir(mount_point)) - set(allowed))
    if left:
        failures.append(f"{name}: left {left} on the full disk")


try:
    # 24 quarters of 50 governments: a run file of about 4.6 MB, more than the 2 MB there are.
    run = ["run", args.scenario, "--out", os.path.join(mount_point, "run.h5"), "--quiet", "--force"]
    check("run, space runs out part-way", run, [])
    # The sweep file (3.3 MB) runs out of space while its journal lies elsewhere (a link to a
    # folder on another disk, continued with --resume): the HDF5 writer's own failure.
    elsewhere = tempfile.mkdtemp(prefix="journal-", dir=args.work)
    os.symlink(elsewhere, os.path.join(mount_point, "sweep.h5.journal"))
    sweep = ["sweep", SWEEP, "--out", os.path.join(mount_point, "sweep.h5"), "--quiet", "--force", "--threads", "2"]
    check("sweep file, space runs out part-way", sweep + ["--resume"], ["sweep.h5.journal"])
    os.unlink(os.path.join(mount_point, "sweep.h5.journal"))
    subprocess.run(["rm", "-rf", elsewhere], check=True)
    # The journal itself runs out of space: the sweep stops; the journal stays for --resume.
    check("sweep journal, space runs out part-way", sweep, ["sweep.h5.journal"])
    subprocess.run(["rm", "-rf", os.path.join(mount_point, "sweep.h5.journal")], check=True)
    # Nothing free at all.
    filler = os.open(os.path.join(mount_point, "filler"), os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(filler, b"\0" * 65536) > 0:
            pass
    except OSError:
        pass
    os.close(filler)
    check("run, no space at all", run, ["filler"])
    check("sweep, no space at all", sweep, ["filler", "sweep.h5.journal"])
finally:
    subprocess.run(["umount", mount_point])
    os.rmdir(mount_point)

if failures:
    sys.exit("FAIL:\n  " + "\n  ".join(failures))
print("ok: a full disk gives exit 1, a message and no file")
