"""Time series of chosen pairs' ties, one panel per layer, with the events marked on the time
axis; several runs (a what-if against its baseline) on the same axes; with a `policysim compare
--out` file, a panel of the paired difference (what-if minus baseline) and its 95% band.

Each pair has a colour, each run a line style. Events are matched across runs by name, kind and
quarter (not by their detail text): one shared by all runs is a thin grey dotted line; one that
all runs have but the what-if changed (another value) is drawn once, dashed orange; one that only
some runs have (the what-if's own) is a solid red line. Under the panels a timeline strip numbers
the events (events of one quarter share a number), and a key below it says what each number is.
"""
import textwrap
from pathlib import Path

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
CHANGED_EVENT = dict(color="tab:orange", linestyle="--", linewidth=1.4)
STYLES = {"common": COMMON_EVENT, "own": OWN_EVENT, "changed": CHANGED_EVENT}
TEXT_COLOURS = {"common": "0.3", "own": "tab:red", "changed": "tab:orange"}
KEY_ROW_INCHES = 0.17
STRIP_ROW_INCHES = 0.17


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


def collect_events(runs):
    """Events as drawn: one entry per (quarter, status, group of runs holding them), with the
    label texts of its events joined. An event is the same in two runs when its name, kind and
    quarter are; its status is "common" (in every run, the same detail), "changed" (in every run,
    but the detail differs: the what-if changed it) or "own" (not in every run). Returns dicts
    with time, period, text, status, own (status "own"), runs (stems of the runs that have
    them), number (1, 2, ... in time order)."""
    holders = {}
    for index, run in enumerate(runs):
        for time, period, name, kind, detail in run.events:
            key = (name, kind, period)
            holders.setdefault(key, dict(time=float(time), details={}))["details"].setdefault(index, detail)
    merged = {}
    for (name, kind, period), held in holders.items():
        who = tuple(sorted(held["details"]))
        details = list(dict.fromkeys(held["details"].values()))
        if len(who) < len(runs):
            status = "own"
        else:
            status = "common" if len(details) == 1 else "changed"
        entry = merged.setdefault((period, status, who), dict(time=held["time"], period=period, texts=[],
                                                               status=status, own=status == "own",
                                                               runs=[runs[i].path.stem for i in who]))
        # a changed event is labelled as the last run holding it (the what-if) has it
        text = event_label(kind, name, held["details"][who[-1]])
        if status == "changed":
            text += " (changed)"
        if text not in entry["texts"]:
            entry["texts"].append(text)
    order = {"common": 0, "changed": 1, "own": 2}
    events = sorted(merged.values(), key=lambda e: (e["time"], order[e["status"]]))
    for number, entry in enumerate(events, 1):
        entry["text"] = f"{entry['period']} " + "; ".join(entry["texts"])
        entry["number"] = number
    return events


def default_output_name(paths):
    """<baseline>_vs_<what-if>_ties.png for several runs (so that each what-if gets its own
    picture), <run>_ties.png for one."""
    return "_vs_".join(Path(p).stem for p in paths) + "_ties.png"


def plot_ties(paths, pairs=None, layers=None, comparison=None, difference_layers=None):
    """Returns the matplotlib Figure. `pairs`: pairs of the runs (default: the pairs of interest
    of the first); a pair not among a file's pairs of interest is read from its /ties. `layers`:
    default all the file's layers. `comparison`: a compare --out file (or an
    analysis.reading.Comparison): adds a panel of the paired difference with its 95% band for
    each of `difference_layers` (default: the first plotted layer the file has)."""
    from analysis.reading import Comparison, comparison_groups, read_comparison
    runs = [read_pair_series(p, pairs) for p in paths]
    pairs = list(pairs or runs[0].pairs)
    if not pairs:
        raise ValueError(f"{runs[0].path}: no pairs of interest recorded ([output] pairs in the scenario)")
    layers = list(layers or runs[0].layers)
    for run in runs:
        missing = [p for p in pairs if p not in run.pairs]
        if missing:
            raise ValueError(f"{run.path}: pairs {', '.join(missing)} not recorded "
                             f"(recorded: {', '.join(run.pairs)}, and any pair of the run's agents in /ties)")
        unknown = [layer for layer in layers if layer not in run.layers]
        if unknown:
            raise ValueError(f"{run.path}: no layer {', '.join(unknown)} (layers: {', '.join(run.layers)})")

    differences = []
    if comparison is not None:
        if not isinstance(comparison, Comparison):
            groups = comparison_groups(comparison)
            stem = runs[-1].path.stem
            comparison = read_comparison(comparison, stem if stem in groups or len(groups) != 1 else None)
        wanted = list(difference_layers or [next((l for l in layers if l in comparison.measures), None)])
        if wanted == [None]:
            raise ValueError(f"{comparison.path}: none of the layers {', '.join(layers)} compared "
                             f"(measures: {', '.join(comparison.measures)})")
        for layer in wanted:
            if layer not in comparison.measures:
                raise ValueError(f"{comparison.path}: no measure {layer} (measures: {', '.join(comparison.measures)})")
            absent = [p for p in pairs if p not in comparison.measures[layer]["pairs"]]
            if absent:
                raise ValueError(f"{comparison.path}: pairs {', '.join(absent)} not compared "
                                 f"(compared: {', '.join(comparison.measures[layer]['pairs'])}; compare --pair)")
            differences.append(layer)

    events = collect_events(runs)
    panel_height, difference_height = 2.3, 2.0
    time_panels = len(layers) + len(differences)
    figure = plt.figure(figsize=(11, 1.0 + panel_height * len(layers) + difference_height * len(differences) + 1.0),
                        layout="constrained")
    heights = [panel_height] * len(layers) + [difference_height] * len(differences) + [0.4, 0.5]
    grid = figure.add_gridspec(time_panels + 2, 1, height_ratios=heights)
    axes = [figure.add_subplot(grid[0])]
    axes += [figure.add_subplot(grid[i], sharex=axes[0]) for i in range(1, time_panels)]
    strip = figure.add_subplot(grid[time_panels], sharex=axes[0])
    key = figure.add_subplot(grid[time_panels + 1])
    tie_axes, difference_axes = axes[:len(layers)], axes[len(layers):]

    names = runs[0].agent_names
    for axis, layer in zip(tie_axes, layers):
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

    for axis, layer in zip(difference_axes, differences):
        measure = comparison.measures[layer]
        for p, pair in enumerate(pairs):
            column = measure["pairs"].index(pair)
            colour = COLOURS[p % len(COLOURS)]
            axis.fill_between(comparison.time, measure["difference_low"][:, column],
                              measure["difference_high"][:, column], color=colour, alpha=0.2, linewidth=0,
                              gid=f"band:{pair}")
            axis.plot(comparison.time, measure["difference"][:, column], color=colour, linewidth=1.4,
                      gid=f"difference:{pair}")
        axis.axhline(0, color="black", linewidth=0.8)
        units = measure["units"]
        baseline = Path(comparison.baseline_file).stem or "baseline"
        axis.set_title(f"{layer}: {comparison.what_if} minus {baseline}, paired by seed (mean over "
                       f"{len(comparison.seeds)} seeds, 95% band)", loc="left", fontsize=10)
        axis.set_ylabel("difference" + ("" if units in ("", "1") else f", {units}"))
        axis.grid(alpha=0.3)

    # Time axis: period labels ("2014Q1"), horizontal, few enough to fit, on the lowest panel.
    first = runs[0]
    start = min(float(run.time[0]) for run in runs)
    end = max(float(run.time[-1]) for run in runs)
    axes[0].set_xlim(start - 0.25, end + 0.25)
    width_inches = figure.get_figwidth() * 0.75
    ticks, labels = quarter_ticks(first.time, first.period_label, max_ticks=width_inches / 0.7)
    for axis in axes[:-1]:
        axis.tick_params(labelbottom=False)
    axes[-1].set_xticks(ticks, labels)
    axes[-1].xaxis.set_minor_locator(MultipleLocator(0.25) if len(first.time) <= 80 else AutoMinorLocator())
    axes[-1].set_xlabel("quarter (start of the quarter; an event dated Q shows from the next quarter on)")

    # Events: a vertical line in every panel, at the row where the event first shows.
    for event in events:
        for axis in axes:
            axis.axvline(event["time"] + 0.25, alpha=0.8 if event["status"] != "common" else 0.7, zorder=0.5,
                         **STYLES[event["status"]])

    # Legends outside the panels: pairs (colour) then runs (line style) and event markers.
    pair_handles = [Line2D([], [], color=COLOURS[p % len(COLOURS)], linewidth=1.6) for p in range(len(pairs))]
    axes[0].legend(pair_handles, [pair_name(names, pair) for pair in pairs], title="pairs", fontsize=8,
                   title_fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    run_handles, run_labels = [], []
    if len(runs) > 1:
        for r, run in enumerate(runs):
            run_handles.append(Line2D([], [], color="black", linestyle=LINESTYLES[r % len(LINESTYLES)]))
            run_labels.append(run.path.stem)
    if any(e["status"] == "common" for e in events):
        run_handles.append(Line2D([], [], **COMMON_EVENT))
        run_labels.append("event in all runs" if len(runs) > 1 else "event")
    if any(e["status"] == "changed" for e in events):
        run_handles.append(Line2D([], [], **CHANGED_EVENT))
        run_labels.append(f"event changed by {runs[-1].path.stem}")
    for who in dict.fromkeys(tuple(e["runs"]) for e in events if e["own"]):
        run_handles.append(Line2D([], [], **OWN_EVENT))
        run_labels.append(f"event only in {', '.join(who)}")
    if run_handles:
        # beside the second panel, or beside the timeline strip when there is one panel (each
        # legend on its own axes, so that the layout makes room for both)
        legend_axis = axes[1] if len(axes) > 1 else strip
        legend_axis.legend(run_handles, run_labels, title="runs and events" if len(runs) > 1 else None,
                           fontsize=8, title_fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                           borderaxespad=0.0)
    figure.suptitle("Ties of selected pairs: " + " vs ".join(run.path.stem for run in runs), fontsize=12)

    _draw_timeline(figure, strip, key, events, heights)
    return figure


def _draw_timeline(figure, strip, key, events, heights):
    """The strip under the panels: a tick per event quarter with its number, numbers packed into
    rows so that none overlaps another; and the key: one line per number, in columns."""
    strip.set_ylim(0, 1)
    strip.axis("off")
    key.axis("off")
    if not events:
        strip.set_visible(False)
        key.set_visible(False)
        return
    numbers = []
    for event in events:
        status = event["status"]
        numbers.append(strip.text(event["time"] + 0.25, 0.5, str(event["number"]), fontsize=7, ha="center",
                                  va="center", color=TEXT_COLOURS[status],
                                  fontweight="normal" if status == "common" else "bold", clip_on=False))
    key_texts = []
    for event in events:
        status = event["status"]
        key_texts.append(key.text(0, 1, f"{event['number']}  {event['text']}", fontsize=7, ha="left", va="top",
                                  color=TEXT_COLOURS[status], fontweight="normal" if status == "common" else "bold",
                                  transform=key.transAxes, clip_on=False))
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()

    # Strip: numbers in rows (pack_rows), a tick from the baseline up to each number.
    to_data = strip.transData.inverted()
    intervals = []
    for text in numbers:
        box = text.get_window_extent(renderer)
        (left, _), (right, _) = to_data.transform([(box.x0, 0), (box.x1, 0)])
        x = text.get_position()[0]
        intervals.append((x, x - (right - left) / 2, x + (right - left) / 2))
    x_low, x_high = strip.get_xlim()
    rows = pack_rows(intervals, gap=(x_high - x_low) * 0.003)
    strip_rows = max(rows) + 1

    # Key: in columns, filled column by column; a line too long for its column wraps (indented).
    # As many columns as leave at most a quarter of the entries wrapped.
    key_width = key.get_window_extent(renderer).width
    gap = 12.0
    lengths = [len(t.get_text()) for t in key_texts]
    char_width = max(t.get_window_extent(renderer).width / max(n, 1) for t, n in zip(key_texts, lengths))
    originals = [t.get_text() for t in key_texts]
    for columns in (3, 2, 1):
        limit = max(20, int(((key_width + gap) / columns - gap) / char_width))
        wrapped = [textwrap.wrap(text, limit, subsequent_indent="     ") or [text] for text in originals]
        if columns == 1 or sum(len(w) > 1 for w in wrapped) <= len(wrapped) / 4:
            break
    heights_in_lines = [len(w) for w in wrapped]
    per_column = -(-sum(heights_in_lines) // columns)
    placement, column, line = [], 0, 0
    for lines in heights_in_lines:
        if line and line + lines > per_column and column < columns - 1:
            column, line = column + 1, 0
        placement.append((column, line))
        line += lines
    key_rows = max(c_line + n for (_, c_line), n in zip(placement, heights_in_lines))
    column_width = (key_width + gap) / columns
    for text, lines, (column, line) in zip(key_texts, wrapped, placement):
        text.set_text("\n".join(lines))
        text.set_linespacing(1.25)
        text.set_position((column * column_width / key_width, 1 - line / key_rows))

    strip_height = STRIP_ROW_INCHES * strip_rows + 0.15
    key_height = KEY_ROW_INCHES * key_rows + 0.15
    heights = list(heights[:-2]) + [strip_height, key_height]
    figure.set_size_inches(figure.get_figwidth(), 1.1 + sum(heights))
    strip.get_gridspec().set_height_ratios(heights)
    strip.set_ylim(-0.6, strip_rows)
    for text, row, event in zip(numbers, rows, events):
        y = strip_rows - row - 0.5           # row 0 at the top
        text.set_y(y)
        strip.plot([event["time"] + 0.25] * 2, [-0.6, y - 0.35], clip_on=False, gid=f"event:{event['number']}",
                   **STYLES[event["status"]])
    strip.axhline(-0.6, color="0.5", linewidth=0.8)
