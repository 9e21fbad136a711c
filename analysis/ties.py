"""Time series of chosen pairs' ties, one panel per layer, with event markers; several runs
(a what-if against its baseline) on the same axes."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.reading import LAYERS, read_pair_series  # noqa: E402

LAYER_LABELS = {"dialogue": "dialogue strength", "cooperation": "cooperation strength",
                "trade": "exports, US$ millions per year"}


def pair_name(series, pair):
    a, b = pair.split("-")
    return f"{series.agent_names.get(a, a)}–{series.agent_names.get(b, b)}"


def plot_ties(paths, pairs=None):
    """Returns the matplotlib Figure; each run is a line style, each pair a colour."""
    runs = [read_pair_series(p) for p in paths]
    pairs = pairs or runs[0].pairs
    for run in runs:
        missing = [p for p in pairs if p not in run.pairs]
        if missing:
            raise SystemExit(f"error: {run.path}: pairs {', '.join(missing)} not recorded "
                             f"(recorded: {', '.join(run.pairs)}; add them to [output] pairs)")
    figure, axes = plt.subplots(len(LAYERS), 1, figsize=(10, 9), sharex=True, constrained_layout=True)
    styles = ["-", "--", ":", "-."]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for axis, layer in zip(axes, LAYERS):
        for r, run in enumerate(runs):
            for p, pair in enumerate(pairs):
                column = run.pairs.index(pair)
                label = pair_name(run, pair) + (f" ({run.path.stem})" if len(runs) > 1 else "")
                axis.plot(run.time, run.values[layer][:, column], styles[r % len(styles)],
                          color=colours[p % len(colours)], label=label)
        axis.set_ylabel(LAYER_LABELS[layer])
        axis.set_title(layer, loc="left")
        axis.grid(alpha=0.3)
    # Events: those of the first run, and those a later run adds (the what-if's own events).
    seen = set()
    for r, run in enumerate(runs):
        for time, label, name, kind, detail in run.events:
            if (name, label) in seen:
                continue
            seen.add((name, label))
            for axis in axes:
                axis.axvline(time + 0.25, color="grey" if r == 0 else "red", alpha=0.35, linewidth=0.8)
            axes[0].annotate(name, (time + 0.25, 1.0), xycoords=("data", "axes fraction"), rotation=90,
                             fontsize=6, va="top", ha="right", color="dimgrey" if r == 0 else "red")
    first = runs[0]
    step = max(1, len(first.time) // 10)
    axes[-1].set_xticks(first.time[::step], first.period_label[::step], rotation=45, ha="right")
    axes[0].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.suptitle("Ties of selected pairs: " + " vs ".join(run.path.stem for run in runs))
    return figure
