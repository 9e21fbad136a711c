#!/usr/bin/python3
"""Runs one case of the hostile-input catalogue (cases.txt, beside this script).

A case is: a name, the exit status expected, a regular expression one line of the output must
match (the one-line message, with file:line where the parser knows it), a setup (a generator
below that writes hostile files, or -), and the command. It passes when policysim exits with that
status (never a signal), prints such a line, finishes within a second, and leaves the output
folder as it found it (nothing written, no temporary left).

A command starting with @nobody runs as user nobody when the test runs as root (for the cases of
missing permissions, which root does not have). Placeholders in the command: {cases} this folder, {gen} a fresh folder of generated inputs,
{out} a fresh output folder, {fixtures} tests/scenario/fixtures, {nl} a newline.
"""
import argparse
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# A second on a normal build. A sanitized build (scripts/test_sanitized.sh) runs 2-10 times slower and
# sets POLICYSIM_HOSTILE_TIME_LIMIT, so the case still checks exit status, message and output folder
# there, and the time check still catches a hang or a runaway loop.
LIMIT_SECONDS = float(os.environ.get("POLICYSIM_HOSTILE_TIME_LIMIT", "1.0"))


def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)


def deep_key(gen, out):
    # 100 KB: one dotted key 50,000 levels deep (toml++ and the loader recursed once per level).
    write(f"{gen}/deep_key.toml", ".".join(["k"] * 50000) + " = 1\n")


def deep_table(gen, out):
    write(f"{gen}/deep_table.toml", "[simulation]\nsteps = 4\n\n[" + ".".join(["t"] * 50000) + "]\nx = 1\n")


def deep_inline(gen, out):
    write(f"{gen}/deep_inline.toml", "a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n")


def deep_array(gen, out):
    write(f"{gen}/deep_array.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")


def deep_digits(gen, out):
    write(f"{gen}/deep_digits.toml", ".".join(["1"] * 50000) + " = 1\n")


def long_chain(gen, out):
    # 14,000 files, each extending the next (the last is a valid scenario).
    n = 14000
    for i in range(n):
        write(f"{gen}/c{i}.toml", f'extends = "c{i + 1}.toml"\n')
    shutil.copy(f"{HERE}/ok.toml", f"{gen}/c{n}.toml")


def dev_zero_design(gen, out):
    write(f"{gen}/sweep.toml", f'extends = "{HERE}/ok.toml"\n[sweep]\ndesign = "file"\nfile = "/dev/zero"\n')


def fifo_design(gen, out):
    os.mkfifo(f"{gen}/points.csv")
    write(f"{gen}/sweep.toml", f'extends = "{HERE}/ok.toml"\n[sweep]\ndesign = "file"\nfile = "points.csv"\n')


def folder_design(gen, out):
    os.mkdir(f"{gen}/points.csv")
    write(f"{gen}/sweep.toml", f'extends = "{HERE}/ok.toml"\n[sweep]\ndesign = "file"\nfile = "points.csv"\n')


def fifo_scenario(gen, out):
    os.mkfifo(f"{gen}/fifo.toml")


def symlink_loop(gen, out):
    os.symlink("b.toml", f"{gen}/a.toml")
    os.symlink("a.toml", f"{gen}/b.toml")
    write(f"{gen}/s.toml", 'extends = "a.toml"\n')


def long_extends(gen, out):
    write(f"{gen}/s.toml", 'extends = "' + "x" * 5000 + '.toml"\n')


def long_component(gen, out):
    write(f"{gen}/s.toml", 'extends = "' + "x" * 300 + '.toml"\n')


def extends_folder(gen, out):
    os.mkdir(f"{gen}/parent.toml")
    write(f"{gen}/s.toml", 'extends = "parent.toml"\n')


def unreadable_parent(gen, out):
    # A folder nobody may enter holds the parent (the case runs as nobody: root may enter anything).
    os.mkdir(f"{gen}/locked")
    shutil.copy(f"{HERE}/ok.toml", f"{gen}/locked/p.toml")
    os.chmod(f"{gen}/locked", 0)
    write(f"{gen}/s.toml", 'extends = "locked/p.toml"\n')
    os.chmod(f"{gen}/s.toml", 0o644)


def unreadable_scenario(gen, out):
    shutil.copy(f"{HERE}/ok.toml", f"{gen}/s.toml")
    os.chmod(f"{gen}/s.toml", 0)


def read_only_out(gen, out):
    os.mkdir(f"{out}/ro")
    os.chmod(f"{out}/ro", 0o555)


def empty_file(gen, out):
    write(f"{gen}/s.toml", "")


def utf8_bom(gen, out):
    write(f"{gen}/s.toml", b"\xef\xbb\xbf" + open(f"{HERE}/ok.toml", "rb").read() + b"bogus = 1\n", "wb")


def long_string(gen, out):
    text = open(f"{HERE}/ok.toml").read().replace('name = "Japan"', 'name = "' + "J" * 1_000_000 + '"')
    write(f"{gen}/s.toml", text + "bogus = 1\n")


def extends_dev_zero(gen, out):
    write(f"{gen}/s.toml", 'extends = "/dev/zero"\n')


def extends_fifo(gen, out):
    os.mkfifo(f"{gen}/p.toml")
    write(f"{gen}/s.toml", 'extends = "p.toml"\n')


def deep_parent(gen, out):
    write(f"{gen}/p.toml", "\n\n" + ".".join(["k"] * 1000) + " = 1\n")
    write(f"{gen}/s.toml", 'extends = "p.toml"\n')


def many_keys(gen, out):
    # 50,000 unknown keys: each refused, the first 100 shown, within the second.
    write(f"{gen}/s.toml", open(f"{HERE}/ok.toml").read() + "".join(f"k{i} = {i}\n" for i in range(50000)))


def summary_folder(gen, out):
    os.mkdir(f"{out}/s.summary.txt")


def existing_output(gen, out):
    write(f"{out}/s.h5", "not mine\n")


def existing_summary(gen, out):
    write(f"{out}/s.summary.txt", "not mine\n")


def out_folder(gen, out):
    os.mkdir(f"{out}/s.h5")


def big_file(gen, out):
    with open(f"{gen}/big.toml", "w") as f:
        f.write("# " + "x" * 1000 + "\n")
        f.truncate(17 << 20)


def invalid_utf8(gen, out):
    write(f"{gen}/s.toml", b'[simulation]\nsteps = 4\nname = "\xff\xfe"\n', "wb")


def nul_byte(gen, out):
    write(f"{gen}/s.toml", b"[simulation]\nsteps = 4\x00\n", "wb")


def bom_utf16(gen, out):
    write(f"{gen}/s.toml", "[simulation]\nsteps = 4\n".encode("utf-16"), "wb")


def many_governments(gen, out):
    text = open(f"{HERE}/ok.toml").read()
    text += "".join(f"\n[governments.G{i:05d}]\n" for i in range(1001))
    write(f"{gen}/s.toml", text)


def big_samples(gen, out):
    write(f"{gen}/sweep.toml", f'extends = "{HERE}/ok.toml"\n[sweep]\ndesign = "random"\nsamples = 100000000\n'
          "[sweep.parameters]\ngovernments.ISR.china_ties = { range = [0.1, 0.9] }\n")


def huge_grid(gen, out):
    write(f"{gen}/sweep.toml", f'extends = "{HERE}/ok.toml"\n[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
          'governments.ISR.china_ties = { range = [0.1, 0.9], levels = 10000 }\n'
          'governments.JPN.china_rivalry = { range = [0.1, 0.9], levels = 10000 }\n')


def grid_1e17(gen, out):
    write(f"{gen}/sweep.toml", f'extends = "{HERE}/ok.toml"\n[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
          'output.firm_ties_every = { range = [100000000000000000, 100000000000000016] }\n')


def grid_1e15(gen, out):
    write(f"{gen}/sweep.toml", f'extends = "{HERE}/ok.toml"\n[output]\nfirm_ties_every = 4\n[sweep]\ndesign = "grid"\n'
          '[sweep.parameters]\noutput.firm_ties_every = { range = [1000000000000000, 1000000000000016] }\n')


def damaged_spec(gen, out):
    write(f"{gen}/sweep.toml", f'extends = "{HERE}/ok.toml"\n[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
          'governments.ISR.china_ties = { values = [0.2, 0.4] }\n')
    os.mkdir(f"{out}/s.h5.journal")
    write(f"{out}/s.h5.journal/spec.txt", b"\x1b[2J\x1b]0;pwned\x07 spec\n", "wb")
    write(f"{out}/s.h5.journal/lock", "")  # as an interrupted sweep leaves it


def binary_observed(gen, out):
    # An observed-series file of random-looking bytes with NULs and escape codes.
    write(f"{gen}/obs.csv", b"\x00\x1b[2J\xff,\x07\n" * 1000, "wb")


def observed_bad_value(gen, out):
    write(f"{gen}/obs.csv", "measure,from,to,period,value\ndialogue,JPN,ISR,2013,1e999\n")


SETUPS = {name: function for name, function in globals().items() if callable(function) and name not in
          ("write", "main", "snapshot")}


def snapshot(folder):
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            found[os.path.relpath(path, folder)] = os.lstat(path).st_size if name in files else -1
    return found


def read_cases(path):
    cases = {}
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.rstrip("\n").split(" | ")]
        if len(fields) != 5:
            sys.exit(f"{path}:{number}: expected 5 fields separated by ' | ', got {len(fields)}")
        name, status, pattern, setup, command = fields
        cases[name] = (int(status), pattern, setup, command)
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policysim", required=True)
    parser.add_argument("--case", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--fixtures", required=True)
    args = parser.parse_args()
    status, pattern, setup, command = read_cases(os.path.join(HERE, "cases.txt"))[args.case]

    os.makedirs(args.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix=args.case + "-", dir=args.work)
    gen, out = os.path.join(work, "gen"), os.path.join(work, "out")
    os.mkdir(gen)
    os.mkdir(out)
    if setup != "-":
        SETUPS[setup](gen, out)
    before = snapshot(out)
    places = {"{cases}": HERE, "{gen}": gen, "{out}": out, "{fixtures}": args.fixtures, "{nl}": "\n"}
    words = []
    for word in shlex.split(command):
        for place, value in places.items():
            word = word.replace(place, value)
        words.append(word)
    prefix = []
    if words and words[0] == "@nobody":
        # Permission cases: root may read anything, so they run as nobody (setpriv, util-linux).
        words = words[1:]
        if os.geteuid() == 0:
            os.chmod(work, 0o755)
            os.chmod(out, 0o777)
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    started = time.monotonic()
    try:
        result = subprocess.run(prefix + [args.policysim] + words, capture_output=True, timeout=30, cwd=work)
    except subprocess.TimeoutExpired:
        sys.exit(f"FAIL {args.case}: still running after 30 s (expected to finish within {LIMIT_SECONDS} s)")
    seconds = time.monotonic() - started
    text = (result.stdout + result.stderr).decode("utf-8", "replace")
    print(f"$ policysim {shlex.join(words)}\n{text}exit {result.returncode} in {seconds:.3f} s")
    failures = []
    if result.returncode < 0:
        failures.append(f"killed by signal {-result.returncode}")
    elif result.returncode != status:
        failures.append(f"exit status {result.returncode}, expected {status}")
    if not any(re.search(pattern, line) for line in text.splitlines()):
        failures.append(f"no line of the output matches /{pattern}/")
    if "\x1b" in text or "\x07" in text:
        failures.append("the output holds terminal control bytes")
    if seconds > LIMIT_SECONDS:
        failures.append(f"took {seconds:.2f} s, more than {LIMIT_SECONDS} s")
    after = snapshot(out)
    if after != before:
        failures.append(f"the output folder changed: before {sorted(before)}, after {sorted(after)}")
    for root, dirs, _ in os.walk(work):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)  # the locked folders of the permission cases
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        sys.exit(f"FAIL {args.case}: " + "; ".join(failures))
    print(f"ok {args.case}")


if __name__ == "__main__":
    main()
