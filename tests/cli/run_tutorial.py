"""Runs every command of a tutorial page (docs/tutorial.md) as a student would type them.

The ```sh blocks of the page, in order, become one bash script run with `set -euo pipefail` in a
fresh folder that looks like the repository root: a copy of scenarios/, the analysis/ package on
PYTHONPATH, and `policysim` on PATH (a link to the binary under test, so the page can say
`policysim` and mean whatever the student built). The test fails when any command fails, when the
page has no sh block, or when the script does not finish within the time limit.

usage: run_tutorial.py --policysim BINARY --page docs/tutorial.md --source ROOT --work FOLDER
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def sh_blocks(text):
    return re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policysim", required=True, type=Path)
    parser.add_argument("--page", required=True, type=Path)
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--work", required=True, type=Path)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    blocks = sh_blocks(args.page.read_text(encoding="utf-8"))
    if not blocks:
        print(f"{args.page}: no ```sh block", file=sys.stderr)
        return 1
    args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.work, prefix="tutorial-") as folder:
        root = Path(folder)
        shutil.copytree(args.source / "scenarios", root / "scenarios")
        (root / "bin").mkdir()
        (root / "bin" / "policysim").symlink_to(args.policysim.resolve())
        script = "set -euo pipefail\nset -x\n" + "\n".join(blocks)
        (root / "tutorial.sh").write_text(script, encoding="utf-8")
        environment = dict(os.environ)
        environment["PATH"] = f"{root / 'bin'}{os.pathsep}{environment.get('PATH', '')}"
        environment["PYTHONPATH"] = str(args.source.resolve())
        environment["MPLBACKEND"] = "Agg"
        try:
            result = subprocess.run(["bash", str(root / "tutorial.sh")], cwd=root, env=environment,
                                    timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{args.page}: the commands did not finish within {args.timeout:.0f} s", file=sys.stderr)
            return 1
        if result.returncode != 0:
            print(f"{args.page}: a command failed (exit {result.returncode}; the trace above shows which)",
                  file=sys.stderr)
            return 1
    print(f"{args.page}: {len(blocks)} sh blocks ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
