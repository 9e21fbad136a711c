"""Command line: /usr/bin/python3 -m analysis <command> ...  (see README.md)."""
import argparse
import sys
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m analysis", description="Plots from policysim HDF5 output.")
    commands = parser.add_subparsers(dest="command", required=True)
    ties = commands.add_parser("ties", help="time series of pair ties per layer, with event markers")
    ties.add_argument("files", nargs="+", type=Path, help="policysim output files (a baseline first, then what-ifs)")
    ties.add_argument("--pairs", nargs="+", help="pairs such as JPN-ISR (default: all recorded pairs)")
    ties.add_argument("--out", type=Path, help="PNG or SVG file (default: output/<first file>_ties.png)")
    args = parser.parse_args(argv)

    for path in args.files:
        if not path.is_file():
            parser.exit(2, f"error: {path}: no such file\n")
    from analysis.ties import plot_ties

    figure = plot_ties(args.files, args.pairs)
    out = args.out or Path("output") / f"{args.files[0].stem}_ties.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=120)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
