"""A map of the government network at chosen quarters: one row of panels per tie layer, one
column per quarter. Nodes keep the same place in every panel (a circular layout, or a spring
layout computed once from all layers and quarters shown); an edge's width is its tie strength,
on one scale per layer so that quarters compare. Layers are read from the file, so a new one
(country-aggregated B2B ties) gets its row without a change here.
"""
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from analysis.figures import plt, thousands
from analysis.reading import read_ties

MAX_WIDTH = 6.0          # points, for the strongest tie of a layer
KIND_COLOURS = {"country": "tab:blue", "organisation": "tab:green"}


def circular_layout(agents, kinds):
    """Countries then organisations around a circle, starting at the top, clockwise."""
    order = sorted(range(len(agents)), key=lambda i: (kinds.get(agents[i], "") != "country", agents[i]))
    angles = np.pi / 2 - 2 * np.pi * np.arange(len(agents)) / max(1, len(agents))
    positions = np.zeros((len(agents), 2))
    positions[order] = np.column_stack([np.cos(angles), np.sin(angles)])
    return positions


def spring_layout(weights, seed=0, iterations=300):
    """Fruchterman-Reingold layout of a symmetric weight matrix (n x n), from a circle;
    deterministic. Returns positions scaled to the unit disc."""
    n = len(weights)
    if n < 3:
        return circular_layout([str(i) for i in range(n)], {})
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(n) / n
    position = np.column_stack([np.cos(angles), np.sin(angles)]) + rng.normal(0, 0.01, (n, 2))
    weights = np.asarray(weights, dtype=float)
    weights = weights / (weights.max() or 1.0)
    k = 1.0 / np.sqrt(n)
    temperature = 0.1
    for _ in range(iterations):
        delta = position[:, None, :] - position[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        force = (k * k / distance ** 2 - weights * distance / k)[..., None] * delta
        displacement = force.sum(axis=1)
        length = np.maximum(np.linalg.norm(displacement, axis=1), 1e-9)
        position += displacement / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= 0.985
    position -= position.mean(axis=0)
    return position / (np.abs(position).max() or 1.0)


def _width_scale(run, layer, rows):
    """Tie value that gets MAX_WIDTH: the largest tie of the layer over the quarters shown
    (1 for layers in [0, 1])."""
    if run.units[layer] == "1":
        return 1.0
    largest = float(np.nanmax(run.ties[layer][rows])) if len(rows) else 0.0
    return largest or 1.0


def _reference_values(scale, unit_layer):
    if unit_layer:
        return [0.25, 0.5, 1.0]
    magnitude = 10 ** np.floor(np.log10(scale))
    top = np.floor(scale / magnitude) * magnitude
    return [top / 4, top / 2, top]


def plot_network(path, periods=None, layers=None, layout="circular"):
    """Returns the Figure: rows = layers, columns = `periods` ("2012Q1"; default: the first
    and the last quarter of the run)."""
    run = read_ties(path, layers)
    layers = list(run.ties)
    periods = list(periods or [run.period_label[0], run.period_label[-1]])
    try:
        rows = [run.row(period) for period in periods]
    except ValueError as error:
        raise ValueError(f"{run.path}: {error}") from None
    n = len(run.agents)
    if layout == "circular":
        position = circular_layout(run.agents, run.agent_kinds)
    elif layout == "spring":
        combined = np.zeros((n, n))
        for layer in layers:
            values = run.ties[layer][rows]
            values = values / (np.nanmax(values) or 1.0)
            combined += np.nanmean(values, axis=0)
        position = spring_layout(combined + combined.T)
    else:
        raise ValueError(f"unknown layout {layout} (circular or spring)")

    panel = 3.3
    figure, axes = plt.subplots(len(layers), len(periods), figsize=(panel * len(periods) + 2.6, panel * len(layers) + 0.8),
                                layout="constrained", squeeze=False)
    for r, layer in enumerate(layers):
        scale = _width_scale(run, layer, rows)
        unit_layer = run.units[layer] == "1"
        threshold = run.presence_threshold.get(layer, 0.0)
        for c, (period, row) in enumerate(zip(periods, rows)):
            axis = axes[r][c]
            _draw_layer(axis, run, layer, row, position, scale, threshold)
            if r == 0:
                axis.set_title(period, fontsize=12, fontweight="bold")
            if c == 0:
                units = "strength 0–1" if unit_layer else run.units[layer]
                direction = "directed: exports" if run.directed[layer] else "mutual"
                axis.set_ylabel(f"{layer}\n({direction}; {units})", fontsize=10)
        values = _reference_values(scale, unit_layer)
        handles = [Line2D([], [], color="0.25", linewidth=MAX_WIDTH * v / scale) for v in values]
        labels = [f"{v:g}" if unit_layer else thousands(v) for v in values]
        if r == 0:  # node colours, in the first legend (a second legend per axes is left out of the layout)
            for kind in (k for k in KIND_COLOURS if k in run.agent_kinds.values()):
                handles.append(Line2D([], [], marker="o", linestyle="", markersize=8, color=KIND_COLOURS[kind]))
                labels.append(kind)
        title = f"{layer} tie" + ("" if unit_layer else f"\n({run.units[layer]})".replace("millions", "M"))
        axes[r][-1].legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                           borderaxespad=0.0, fontsize=8, title_fontsize=8, handlelength=2.5)
    figure.suptitle(f"Government network: {run.path.stem}\n(edge width: tie strength; edges below the "
                    f"layer's presence threshold are left out)", fontsize=10 if len(periods) > 1 else 9)
    return figure


def _draw_layer(axis, run, layer, row, position, scale, threshold):
    matrix = run.ties[layer][row]
    n = len(run.agents)
    directed = run.directed[layer]
    for i in range(n):
        for j in range(n):
            if i == j or (not directed and j < i):
                continue
            value = matrix[i, j] if directed else max(matrix[i, j], matrix[j, i])
            if not np.isfinite(value) or value <= threshold or value <= 0:
                continue
            width = max(0.3, MAX_WIDTH * value / scale)
            if directed:
                patch = FancyArrowPatch(position[i], position[j], arrowstyle="-|>", mutation_scale=6 + width,
                                        connectionstyle="arc3,rad=0.15", linewidth=width, color="0.25", alpha=0.6,
                                        shrinkA=9, shrinkB=9, gid=f"edge:{run.agents[i]}-{run.agents[j]}")
                axis.add_patch(patch)
            else:
                axis.plot(*position[[i, j]].T, color="0.25", alpha=0.6, linewidth=width, solid_capstyle="round",
                          zorder=1, gid=f"edge:{run.agents[i]}-{run.agents[j]}")
    colours = [KIND_COLOURS.get(run.agent_kinds.get(code), "tab:gray") for code in run.agents]
    axis.scatter(position[:, 0], position[:, 1], s=110, c=colours, zorder=3, edgecolors="white", linewidths=1)
    for code, (x, y) in zip(run.agents, position):
        radius = np.hypot(x, y) or 1.0
        lx, ly = x + 0.2 * x / radius, y + 0.2 * y / radius   # outside the circle, away from the edges
        axis.text(lx, ly, code, ha="center", va="center", fontsize=8, zorder=4)
    axis.set_xlim(-1.35, 1.35)
    axis.set_ylim(-1.35, 1.35)
    axis.set_aspect("equal")
    axis.set_xticks([])
    axis.set_yticks([])
    for spine in axis.spines.values():
        spine.set_color("0.85")
