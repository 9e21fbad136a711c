"""Time series of chosen pairs' ties, one panel per layer, with the events marked on the time
axis; several runs (a what-if against its baseline) on the same axes.

Each pair has a colour, each run a line style. Events shared by all runs are thin grey dotted
lines; events that only some runs have (the what-if's own events) are solid red lines with bold
labels. Event labels sit in a strip above the panels, packed into rows so that none overlaps
another; events of the same quarter share one label.
"""
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import AutoMinorLocator, FuncFormatter, LogLocator, MultipleLocator, NullLocator

from analysis.figures import COLOURS, LINESTYLES, pack_rows, plt, thousands
from analysis.periods import quarter_ticks
from analysis.reading import read_pair_series

# How each known layer is described; a new layer (B2B ties) gets its name and units.
LAYER_TEXT = {
    "dialogue": ("dialogue (mutual)", "tie strength, 0–1"),
    "cooperation": ("cooperation (mutual)", "tie strength, 0–1"),
    "trade": ("trade: exports of the first country of the pair to the second", "US$ million per year"),
}
COMMON_EVENT = dict(color="0.45", linestyle=":", linewidth=0.9)
OWN_EVENT = dict(color="tab:red", linestyle="-", linewidth=1.6)
EVENT_LABEL_ROW_INCHES = 0.24


def pair_name(names, pair):
    """"JPN-ISR" -> "Japan–Israel" with the file's agent names."""
    a, _, b = pair.partition("-")
    return f"{names.get(a, a)}–{names.get(b, b)}"


def event_label(kind, name, detail):
    """A short label: "Suga (JPN)" for a leadership change, "cyber incident JPN", ...; the
    event's scenario name for kinds without a short form."""
    words = detail.split()
    if kind == "leadership_change" and "->" in detail and words:
        return f"{detail.split('->', 1)[1].strip()} ({words[0]})"
    if kind == "cyber_incident" and words:
        return f"cyber incident {words[0]}"
    # set_attribute records "ISR china_ties 0.3 -> 0.9"; files written before it named the kind china_ties.
    if kind in ("china_ties", "set_attribute") and len(words) > 1 and words[1] == "china_ties":
        return f"{words[0]} China ties → {words[-1]}"
    return name


def _event_key(event):
    time, label, name, kind, detail = event
    return (label, name, kind, detail)


def collect_events(runs):
    """Events as drawn: one entry per (quarter, group of runs holding them), with the label
    texts of the events joined. Returns dicts with time, period, text, own (not in every run),
    runs (stems of the runs that have them)."""
    holders = {}
    first_seen = {}
    for index, run in enumerate(runs):
        for event in run.events:
            key = _event_key(event)
            holders.setdefault(key, []).append(index)
            first_seen.setdefault(key, event)
    merged = {}
    for key, event in first_seen.items():
        time, period, name, kind, detail = event
        who = tuple(sorted(set(holders[key])))
        own = len(who) < len(runs)
        entry = merged.setdefault((period, who), dict(time=float(time), period=period, texts=[], own=own,
                                                        runs=[runs[i].path.stem for i in who]))
        text = event_label(kind, name, detail)
        if text not in entry["texts"]:
            entry["texts"].append(text)
    events = []
    for entry in sorted(merged.values(), key=lambda e: (e["time"], e["own"])):
        entry["text"] = f"{entry['period']} " + "; ".join(entry["texts"])
        events.append(entry)
    return events


def plot_ties(paths, pairs=None, layers=None):
    """Returns the matplotlib Figure. `pairs`: pairs of interest recorded in every file
    (default: those of the first); `layers`: default all the file's layers."""
    runs = [read_pair_series(p) for p in paths]
    pairs = list(pairs or runs[0].pairs)
    if not pairs:
        raise ValueError(f"{runs[0].path}: no pairs of interest recorded ([output] pairs in the scenario)")
    layers = list(layers or runs[0].layers)
    for run in runs:
        missing = [p for p in pairs if p not in run.pairs]
        if missing:
            raise ValueError(f"{run.path}: pairs {', '.join(missing)} not recorded "
                             f"(recorded: {', '.join(run.pairs)}; add them to [output] pairs)")
        unknown = [layer for layer in layers if layer not in run.layers]
        if unknown:
            raise ValueError(f"{run.path}: no layer {', '.join(unknown)} (layers: {', '.join(run.layers)})")

    panel_height = 2.3
    figure = plt.figure(figsize=(11, 1.0 + panel_height * len(layers)), layout="constrained")
    grid = figure.add_gridspec(len(layers) + 1, 1, height_ratios=[0.5] + [panel_height] * len(layers))
    strip = figure.add_subplot(grid[0])
    axes = [figure.add_subplot(grid[i + 1], sharex=strip) for i in range(len(layers))]

    names = runs[0].agent_names
    for axis, layer in zip(axes, layers):
        for r, run in enumerate(runs):
            for p, pair in enumerate(pairs):
                column = run.pairs.index(pair)
                axis.plot(run.time, run.values[layer][:, column], LINESTYLES[r % len(LINESTYLES)],
                          color=COLOURS[p % len(COLOURS)], linewidth=1.6, gid=f"tie:{run.path.stem}:{pair}",
                          label=f"_{pair_name(names, pair)}")
        title, ylabel = LAYER_TEXT.get(layer, (layer, runs[0].units.get(layer, "")))
        if layer not in LAYER_TEXT and runs[0].units.get(layer) not in ("", "1"):
            ylabel = runs[0].units[layer]
        axis.set_title(title, loc="left", fontsize=10)
        axis.set_ylabel(ylabel)
        if runs[0].units.get(layer) == "1":
            axis.set_ylim(-0.03, 1.03)
        else:
            plotted = np.concatenate([run.values[layer][:, [run.pairs.index(p) for p in pairs]].ravel() for run in runs])
            plotted = plotted[np.isfinite(plotted)]
            if plotted.size and plotted.min() > 0 and plotted.max() / plotted.min() > 30:
                axis.set_yscale("log")       # pairs of very different sizes stay readable
                axis.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
                axis.yaxis.set_minor_locator(NullLocator())
                ylabel += " (log scale)"
                axis.set_ylabel(ylabel)
            axis.yaxis.set_major_formatter(FuncFormatter(thousands))
        axis.grid(alpha=0.3)

    # Time axis: period labels ("2014Q1"), horizontal, few enough to fit.
    first = runs[0]
    start = min(float(run.time[0]) for run in runs)
    end = max(float(run.time[-1]) for run in runs)
    strip.set_xlim(start - 0.25, end + 0.25)
    width_inches = figure.get_figwidth() * 0.75
    ticks, labels = quarter_ticks(first.time, first.period_label, max_ticks=width_inches / 0.7)
    for axis in axes[:-1]:
        axis.tick_params(labelbottom=False)
    axes[-1].set_xticks(ticks, labels)
    axes[-1].xaxis.set_minor_locator(MultipleLocator(0.25) if len(first.time) <= 80 else AutoMinorLocator())
    axes[-1].set_xlabel("quarter (start of the quarter; an event dated Q shows from the next quarter on)")

    # Events: a vertical line in every panel, at the row where the event first shows.
    events = collect_events(runs)
    for event in events:
        style = OWN_EVENT if event["own"] else COMMON_EVENT
        for axis in axes:
            axis.axvline(event["time"] + 0.25, alpha=0.8 if event["own"] else 0.7, zorder=0.5, **style)

    # Legends outside the panels: pairs (colour) then runs (line style) and event markers.
    pair_handles = [Line2D([], [], color=COLOURS[p % len(COLOURS)], linewidth=1.6) for p in range(len(pairs))]
    pair_legend = axes[0].legend(pair_handles, [pair_name(names, pair) for pair in pairs], title="pairs", fontsize=8,
                   title_fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    run_handles, run_labels = [], []
    if len(runs) > 1:
        for r, run in enumerate(runs):
            run_handles.append(Line2D([], [], color="black", linestyle=LINESTYLES[r % len(LINESTYLES)]))
            run_labels.append(run.path.stem)
    if any(not e["own"] for e in events):
        run_handles.append(Line2D([], [], **COMMON_EVENT))
        run_labels.append("event in all runs" if len(runs) > 1 else "event")
    for who in dict.fromkeys(tuple(e["runs"]) for e in events if e["own"]):
        run_handles.append(Line2D([], [], **OWN_EVENT))
        run_labels.append(f"event only in {', '.join(who)}")
    if run_handles:
        legend_axis = axes[1] if len(axes) > 1 else axes[0]
        anchor = (1.01, 1.0) if len(axes) > 1 else (1.01, 0.0)
        legend_axis.legend(run_handles, run_labels, title="runs and events" if len(runs) > 1 else None,
                           fontsize=8, title_fontsize=9, loc="upper left" if len(axes) > 1 else "lower left",
                           bbox_to_anchor=anchor, borderaxespad=0.0)
        if legend_axis is axes[0]:
            axes[0].add_artist(pair_legend)   # a second legend() call replaces the first otherwise
    figure.suptitle("Ties of selected pairs: " + " vs ".join(run.path.stem for run in runs), fontsize=12)

    _place_event_labels(figure, strip, events, panel_height, len(layers))
    return figure


def _place_event_labels(figure, strip, events, panel_height, n_panels):
    """Puts the event labels in the strip, in as many rows as needed for none to overlap."""
    strip.set_ylim(0, 1)
    strip.axis("off")
    if not events:
        return
    texts = []
    for event in events:
        style = OWN_EVENT if event["own"] else COMMON_EVENT
        texts.append(strip.text(event["time"] + 0.25, 0.5, " " + event["text"], fontsize=7.5,
                                color="tab:red" if event["own"] else "0.3",
                                fontweight="bold" if event["own"] else "normal", va="center", ha="left",
                                clip_on=False))
        event["style"] = style
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    to_data = strip.transData.inverted()
    x_low, x_high = strip.get_xlim()
    intervals = []
    for text in texts:
        box = text.get_window_extent(renderer)
        (left, _), (right, _) = to_data.transform([(box.x0, 0), (box.x1, 0)])
        width = right - left
        x = text.get_position()[0]
        if x + width > x_high:              # would run past the right end: end at the marker
            text.set_horizontalalignment("right")
            text.set_text(text.get_text().strip() + " ")
            intervals.append((x, x - width, x))
        else:
            intervals.append((x, x, x + width))
    gap = (x_high - x_low) * 0.004
    rows = pack_rows(intervals, gap=gap)
    n_rows = max(rows) + 1
    strip_height = EVENT_LABEL_ROW_INCHES * n_rows + 0.1
    figure.set_size_inches(figure.get_figwidth(), 1.0 + strip_height + panel_height * n_panels)
    strip.get_gridspec().set_height_ratios([strip_height] + [panel_height] * n_panels)
    strip.set_ylim(0, n_rows)
    for text, row, event in zip(texts, rows, events):
        y = n_rows - row - 0.5           # row 0 at the top
        text.set_y(y)
        strip.plot([event["time"] + 0.25] * 2, [0, y], clip_on=False, **event["style"])
