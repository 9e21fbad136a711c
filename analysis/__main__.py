"""Command line: /usr/bin/python3 -m analysis <command> ...  (README.md "Plots", docs/analysis.md).

    ties         time series of pair ties per layer for one or more runs, events marked
    network      the government network at chosen quarters, one panel per layer
    sweep        a metric against each swept parameter (replicate bands) and a heat map
    sensitivity  Morris (mu*, sigma) or Sobol (S1, ST) indices of a metric, bar chart and table
    discover     PRIM scenario discovery: which boxes of parameter space lead to an outcome

Pictures go to output/<input>_<plot>.png (and .svg with --svg); --out-dir changes the folder.
"""
import argparse
import sys
from pathlib import Path


def _metric_options(parser, default="dialogue_density"):
    parser.add_argument("--metric", default=default,
                        help=f"a dataset of the sweep's /metrics: <layer>_density, <layer>_mean_strength or "
                             f"<layer>_pairs (then name --pair) (default {default})")
    parser.add_argument("--pair", help="pair of interest for a *_pairs metric, such as JPN-ISR")
    parser.add_argument("--period", help='quarter at which to take the metric, such as "2030Q1" (default: the last)')


def _output_options(parser):
    parser.add_argument("--out-dir", type=Path, default=Path("output"), help="folder for the pictures (default output/)")
    parser.add_argument("--svg", action="store_true", help="write an SVG beside each PNG")


def build_parser():
    parser = argparse.ArgumentParser(prog="python3 -m analysis", description="Plots and numbers from policysim HDF5 files.",
                                     epilog="docs/analysis.md describes each command and its picture.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ties = commands.add_parser("ties", help="time series of pair ties per layer, with event markers")
    ties.add_argument("files", nargs="+", type=Path, help="run files: a baseline first, then what-ifs")
    ties.add_argument("--pairs", nargs="+", help="pairs such as JPN-ISR (default: all recorded pairs)")
    ties.add_argument("--layers", nargs="+", help="layers to show (default: all in the file)")
    ties.add_argument("--compare", type=Path, metavar="FILE",
                      help="a `policysim compare --out` file: adds a panel of the paired difference (what-if minus "
                           "baseline) with its 95%% band; its group named after the last run file is used")
    ties.add_argument("--difference-layers", nargs="+", metavar="LAYER",
                      help="layers of the difference panels (default: the first plotted layer the file has)")
    ties.add_argument("--out", type=Path,
                      help="picture file (default: <out-dir>/<run>_vs_<what-if>_ties.png, <out-dir>/<run>_ties.png "
                           "for one run)")
    _output_options(ties)

    network = commands.add_parser("network", help="the government network at chosen quarters, one panel per layer")
    network.add_argument("file", type=Path, help="a run file")
    network.add_argument("--periods", nargs="+", help='quarters such as 2012Q1 2020Q4 (default: first and last)')
    network.add_argument("--layers", nargs="+", help="layers to show (default: all in the file)")
    network.add_argument("--layout", choices=["circular", "spring"], default="circular",
                         help="node positions, the same in every panel (default circular)")
    network.add_argument("--out", type=Path, help="picture file (default: <out-dir>/<file>_network.png)")
    _output_options(network)

    sweep = commands.add_parser("sweep", help="a metric against each swept parameter, and a heat map")
    sweep.add_argument("file", type=Path, help="a sweep file (docs/sweeps.md)")
    _metric_options(sweep)
    sweep.add_argument("--parameters", nargs="+", help="swept parameters to plot (default: all)")
    sweep.add_argument("--heatmap", nargs=2, metavar=("X", "Y"),
                       help="two parameters for the heat map (default: the first two swept, if two or more)")
    sweep.add_argument("--bins", type=int, default=8, help="heat-map cells per axis for a parameter with many values")
    _output_options(sweep)

    sensitivity = commands.add_parser("sensitivity", help="Morris or Sobol indices: bar chart, CSV table, printed")
    sensitivity.add_argument("file", type=Path, help="a sweep file with design morris or saltelli")
    _metric_options(sensitivity)
    sensitivity.add_argument("--method", choices=["morris", "sobol"], help="default: from the sweep's design")
    sensitivity.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the intervals")
    sensitivity.add_argument("--confidence", type=float, default=0.95, help="confidence level of the intervals")
    sensitivity.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    _output_options(sensitivity)

    discover = commands.add_parser("discover", help="PRIM scenario discovery of the runs that reach an outcome")
    discover.add_argument("file", type=Path, help="a sweep file")
    _metric_options(discover)
    threshold = discover.add_mutually_exclusive_group(required=True)
    threshold.add_argument("--above", type=float, help="outcome of interest: metric > this")
    threshold.add_argument("--below", type=float, help="outcome of interest: metric < this")
    discover.add_argument("--alpha", type=float, default=0.05, help="share of the box peeled per step (default 0.05)")
    discover.add_argument("--min-mass", type=float, default=0.05, help="smallest box, as a share of the runs")
    discover.add_argument("--min-coverage", type=float, default=0.5,
                          help="the chosen box keeps at least this coverage (default 0.5)")
    discover.add_argument("--box", type=int, help="choose the box of this peeling step instead")
    discover.add_argument("--paste", action="store_true", help="widen the chosen box while its density rises")
    _output_options(discover)
    return parser


def _save(figure, path, svg):
    from analysis.figures import plt, save

    for written in save(figure, path, svg):
        print(f"wrote {written}")
    plt.close(figure)


def _fail(message):
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_ties(args):
    from analysis.ties import plot_ties

    from analysis.ties import default_output_name
    figure = plot_ties(args.files, args.pairs, args.layers, comparison=args.compare,
                       difference_layers=args.difference_layers)
    _save(figure, args.out or args.out_dir / default_output_name(args.files), args.svg)


def run_network(args):
    from analysis.network import plot_network

    figure = plot_network(args.file, args.periods, args.layers, args.layout)
    _save(figure, args.out or args.out_dir / f"{args.file.stem}_network.png", args.svg)


def _sweep_metric(args):
    from analysis.reading import read_sweep

    sweep = read_sweep(args.file)
    return sweep, sweep.metric(args.metric, args.pair, args.period)


def run_sweep(args):
    from analysis.sweep import plot_heatmap, plot_sweep

    sweep, values = _sweep_metric(args)
    _save(plot_sweep(sweep, values, args.parameters), args.out_dir / f"{args.file.stem}_sweep.png", args.svg)
    pair = args.heatmap or (sweep.numeric_parameters()[:2] if len(sweep.numeric_parameters()) >= 2 else None)
    if pair:
        _save(plot_heatmap(sweep, values, pair[0], pair[1], args.bins), args.out_dir / f"{args.file.stem}_heatmap.png",
              args.svg)


def run_sensitivity(args):
    from analysis.sensitivity import analyse_sweep, format_table, plot_sensitivity

    sweep, values = _sweep_metric(args)
    result = analyse_sweep(sweep, values, args.method, n_bootstrap=args.bootstrap, confidence=args.confidence,
                           seed=args.seed)
    print(f"{values.label} ({sweep.design} design, {sweep.n_points} points × {sweep.replicates} replicates; "
          f"outputs are replicate means per point):")
    print(format_table(result))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    table = args.out_dir / f"{args.file.stem}_sensitivity.csv"
    result.table.to_csv(table)
    print(f"wrote {table}")
    _save(plot_sensitivity(result, values), args.out_dir / f"{args.file.stem}_sensitivity.png", args.svg)


def run_discover(args):
    import numpy as np

    from analysis.prim import describe_box, plot_prim, prim, trajectory_table

    sweep, values = _sweep_metric(args)
    parameters = sweep.numeric_parameters()
    left_out = [p for p in sweep.parameters if p not in parameters]
    if left_out:
        print(f"note: string parameters left out of the boxes: {', '.join(left_out)}")
    ok = np.isfinite(values.values)
    x = np.column_stack([sweep.parameter_values(p).astype(float) for p in parameters])[ok]
    outcome_values = values.values[ok]
    if args.above is not None:
        y, outcome = outcome_values > args.above, f"{values.label} > {args.above:g}"
    else:
        y, outcome = outcome_values < args.below, f"{values.label} < {args.below:g}"
    result = prim(x, y, parameters, alpha=args.alpha, min_mass=args.min_mass, paste=args.paste,
                  min_coverage=args.min_coverage, box_step=args.box)
    table = trajectory_table(result)
    print(f"outcome: {outcome}: {int(y.sum())} of {len(y)} runs")
    print("peeling trajectory:")
    print(table[["coverage", "density", "mass", "cases", "restricted"]].round(3).to_string())
    print(describe_box(result))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    csv = args.out_dir / f"{args.file.stem}_discover.csv"
    table.to_csv(csv)
    print(f"wrote {csv}")
    ranges = {p: (sweep.low[p], sweep.high[p]) for p in parameters}
    _save(plot_prim(result, outcome, ranges), args.out_dir / f"{args.file.stem}_discover.png", args.svg)


COMMANDS = {"ties": run_ties, "network": run_network, "sweep": run_sweep, "sensitivity": run_sensitivity,
            "discover": run_discover}


def _missing_module(error):
    """One line for a Python without the scientific stack (a pyenv or venv python3 first on PATH)."""
    return _fail(f"{sys.executable} has no module {error.name!r}: run the analysis with /usr/bin/python3 (it has "
                 f"h5py, numpy, pandas, xarray and matplotlib), or from a venv made with --system-site-packages")


def main(argv=None):
    try:
        return _main(argv)
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] == "analysis":
            raise
        return _missing_module(error)


def _main(argv):
    args = build_parser().parse_args(argv)
    from analysis.reading import FileError

    for path in getattr(args, "files", None) or [args.file]:
        if not path.is_file():
            return _fail(f"{path}: no such file")
    try:
        COMMANDS[args.command](args)
    except (FileError, ValueError) as error:
        return _fail(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
