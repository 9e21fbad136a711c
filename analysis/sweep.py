"""Sweep plots: a metric (at the last or a chosen quarter) against each swept parameter, with
the mean and the 5-95% band over the replicates, and a heat map over two parameters.

For a parameter that takes few values (a grid), runs are grouped by its value: the line is the
mean of the group and the band its 5-95% range, across the replicates and, when other
parameters vary too, across their values. For a parameter that takes many values (Latin
hypercube, random), each design point is a dot at its replicates' mean with a bar over their
5-95% range, and a line joins the means over ten bins of the parameter.
"""
import numpy as np

from analysis.figures import plt

FEW_VALUES = 25


def _groups(keys, values):
    order = {}
    for key, value in zip(keys, values):
        order.setdefault(key, []).append(value)
    return order


def _summary(samples):
    samples = np.asarray(samples, dtype=float)
    samples = samples[np.isfinite(samples)]
    if samples.size == 0:
        return np.nan, np.nan, np.nan, 0
    return samples.mean(), np.percentile(samples, 5), np.percentile(samples, 95), samples.size


def parameter_summary(sweep, values, parameter):
    """Rows (x, mean, q05, q95, runs) for a parameter with few values (grouped by value), or
    None when it takes many (use design points)."""
    x = sweep.parameter_values(parameter)
    ok = np.isfinite(values.values)
    distinct = list(dict.fromkeys(x[ok].tolist()))
    if len(distinct) > FEW_VALUES:
        return None
    groups = _groups(x[ok].tolist(), values.values[ok])
    keys = sorted(groups) if sweep.kind.get(parameter) != "string" else list(groups)
    return [(key,) + _summary(groups[key]) for key in keys]


def point_summary(sweep, values, parameter):
    """Per design point: (x, mean, q05, q95, runs) across its replicates."""
    points = np.asarray(sweep.runs["design_point"], dtype=int)
    x_point = sweep.parameter_values(parameter, per="point")
    groups = _groups(points.tolist(), values.values)
    return [(x_point[p],) + _summary(groups.get(p, [])) for p in range(sweep.n_points)]


def _axis_label(sweep, parameter):
    low, high = sweep.low.get(parameter, np.nan), sweep.high.get(parameter, np.nan)
    if np.isfinite(low) and np.isfinite(high):
        return f"{parameter}\n(swept {low:g} to {high:g})"
    return parameter


def _value_label(values):
    return values.label + ("" if values.units in ("", "1") else f" [{values.units}]")


def plot_sweep(sweep, values, parameters=None):
    """One panel per parameter (default: all swept)."""
    parameters = list(parameters or sweep.parameters)
    columns = min(3, len(parameters))
    rows = int(np.ceil(len(parameters) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(4.6 * columns + 0.6, 3.6 * rows + 1.0), layout="constrained",
                                squeeze=False, sharey=True)
    for axis in axes.ravel()[len(parameters):]:
        axis.set_visible(False)
    n_ok = int(np.isfinite(values.values).sum())
    for axis, parameter in zip(axes.ravel(), parameters):
        grouped = parameter_summary(sweep, values, parameter)
        categorical = sweep.kind.get(parameter) == "string"
        if grouped is not None:
            keys = [row[0] for row in grouped]
            x = np.arange(len(keys)) if categorical else np.asarray(keys, dtype=float)
            mean, q05, q95 = (np.array([row[i] for row in grouped], dtype=float) for i in (1, 2, 3))
            others = len(sweep.parameters) > 1
            band = "5–95% of runs" + (" (replicates and other parameters)" if others else " (replicates)")
            axis.fill_between(x, q05, q95, color="tab:blue", alpha=0.25, linewidth=0, label=band)
            axis.plot(x, mean, "o-", color="tab:blue", markersize=4, label="mean", gid=f"mean:{parameter}")
            if categorical:
                axis.set_xticks(x, [str(k) for k in keys])
        else:
            rows_ = point_summary(sweep, values, parameter)
            x, mean, q05, q95 = (np.array([row[i] for row in rows_], dtype=float) for i in range(4))
            finite = np.isfinite(mean)
            axis.errorbar(x[finite], mean[finite], yerr=[mean[finite] - q05[finite], q95[finite] - mean[finite]],
                          fmt="o", markersize=3, color="tab:blue", ecolor="tab:blue", elinewidth=0.6, alpha=0.6,
                          label="design point: mean, 5–95% of replicates", gid=f"points:{parameter}")
            edges = np.quantile(x[finite], np.linspace(0, 1, 11))
            centres, binned = [], []
            for low, high in zip(edges[:-1], edges[1:]):
                inside = finite & (x >= low) & (x <= high)
                if inside.any():
                    centres.append(x[inside].mean())
                    binned.append(mean[inside].mean())
            axis.plot(centres, binned, "-", color="tab:red", linewidth=2, label="mean over 10 bins",
                      gid=f"mean:{parameter}")
        axis.set_xlabel(_axis_label(sweep, parameter), fontsize=9)
        axis.grid(alpha=0.3)
    for row in axes:
        row[0].set_ylabel(_value_label(values), fontsize=9)
    last = axes.ravel()[len(parameters) - 1]
    handles, labels = axes[0][0].get_legend_handles_labels()
    last.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    figure.suptitle(f"Sweep {sweep.path.stem} ({sweep.design}, {sweep.n_points} points × {sweep.replicates} "
                    f"replicates, {n_ok} runs ok): {values.label}", fontsize=11)
    return figure


def heatmap_grid(sweep, values, first, second, bins=8):
    """(x edges, y edges, mean [len(y) - 1, len(x) - 1], runs per cell, x centres, y centres):
    cells are the values of a grid parameter, or `bins` equal bins of its range otherwise."""
    x = sweep.parameter_values(first).astype(float)
    y = sweep.parameter_values(second).astype(float)
    ok = np.isfinite(values.values)

    def axis_cells(v, parameter):
        distinct = np.unique(v[ok])
        if len(distinct) <= FEW_VALUES:
            centres = distinct
            if len(distinct) == 1:
                return centres, np.array([distinct[0] - 0.5, distinct[0] + 0.5]), np.searchsorted(distinct, v)
            middle = (distinct[:-1] + distinct[1:]) / 2
            edges = np.concatenate([[distinct[0] - (middle[0] - distinct[0])], middle,
                                    [distinct[-1] + (distinct[-1] - middle[-1])]])
            return centres, edges, np.searchsorted(distinct, v)
        low, high = sweep.low.get(parameter, np.nan), sweep.high.get(parameter, np.nan)
        if not (np.isfinite(low) and np.isfinite(high) and high > low):
            low, high = v[ok].min(), v[ok].max()
        edges = np.linspace(low, high, bins + 1)
        return (edges[:-1] + edges[1:]) / 2, edges, np.clip(np.digitize(v, edges) - 1, 0, bins - 1)

    x_centres, x_edges, x_cell = axis_cells(x, first)
    y_centres, y_edges, y_cell = axis_cells(y, second)
    sums = np.zeros((len(y_centres), len(x_centres)))
    counts = np.zeros_like(sums)
    np.add.at(sums, (y_cell[ok], x_cell[ok]), values.values[ok])
    np.add.at(counts, (y_cell[ok], x_cell[ok]), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return x_edges, y_edges, mean, counts, x_centres, y_centres


def _tick_label(value, marks):
    """A tick's value to 3 significant digits, and 0 for a value that is 0 but for rounding: a grid
    level computed as low + k * step (-0.3 + 3 * 0.1 is 5.55e-17)."""
    span = float(np.ptp(marks)) if len(marks) > 1 else abs(float(value))
    return "0" if abs(value) <= 1e-9 * span else f"{value:.3g}"


def plot_heatmap(sweep, values, first, second, bins=8):
    for parameter in (first, second):
        sweep.parameter_values(parameter)  # raises for an unknown parameter
        if sweep.kind.get(parameter) == "string":
            raise ValueError(f"{parameter} is a string parameter: the heat map needs numbers")
    x_edges, y_edges, mean, counts, x_centres, y_centres = heatmap_grid(sweep, values, first, second, bins)
    figure, axis = plt.subplots(figsize=(7.2, 5.6), layout="constrained")
    mesh = axis.pcolormesh(x_edges, y_edges, np.ma.masked_invalid(mean), cmap="viridis", shading="flat")
    colourbar = figure.colorbar(mesh, ax=axis)
    colourbar.set_label("mean over runs: " + _value_label(values), fontsize=9)
    axis.set_xlabel(_axis_label(sweep, first), fontsize=9)
    axis.set_ylabel(_axis_label(sweep, second), fontsize=9)
    for parameter, centres, edges, ticks in ((first, x_centres, x_edges, axis.set_xticks),
                                             (second, y_centres, y_edges, axis.set_yticks)):
        grid = len(np.unique(sweep.parameter_values(parameter))) <= FEW_VALUES
        marks = centres if grid else edges          # grid values, or bin edges
        if len(marks) <= 13:
            ticks(marks, [_tick_label(m, marks) for m in marks])
    others = "replicates and other parameters" if len(sweep.parameters) > 2 else "replicates"
    empty = int((counts == 0).sum())
    note = f"; {empty} empty cells left white" if empty else ""
    axis.set_title(f"Sweep {sweep.path.stem}: mean of {values.label}\nper cell, over {others} "
                   f"({int(counts.sum())} runs{note})", fontsize=10)
    return figure
