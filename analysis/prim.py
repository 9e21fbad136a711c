"""PRIM scenario discovery (Friedman & Fisher 1999, "Bump hunting in high-dimensional data";
as used for scenario discovery by Bryant & Lempert 2010): find a box of parameter space whose
runs mostly reach an outcome of interest.

Peeling: from the box holding every case, remove, on one side of one parameter, the share
`alpha` of the cases still inside (at least one value level, for parameters that take few
values); take the peel that raises the box's density the most per case removed; go on while
a peel raises the density and the box holds at least `min_mass` of the cases. Each box of this
trajectory has a coverage (share of all cases of interest that are inside) and a density (share
of the cases inside that are of interest). Pasting (optional) then widens the chosen box, one
side at a time, while that raises its density.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Box:
    limits: dict               # parameter -> (low, high), inclusive
    coverage: float
    density: float
    mass: float
    cases: int
    restricted: list = field(default_factory=list)   # parameters whose limits are inside the data range
    step: int = 0


@dataclass
class PrimResult:
    trajectory: list           # Box per peeling step (step 0: every case)
    chosen: Box
    parameters: list
    cases: int
    positives: int
    pasted: bool


def _stats(inside, y, total_positive):
    n = int(inside.sum())
    positive = int(y[inside].sum())
    density = positive / n if n else 0.0
    coverage = positive / total_positive if total_positive else 0.0
    return coverage, density, n / len(y), n


def _box(x, y, inside, low, high, names, data_low, data_high, total_positive, step):
    coverage, density, mass, n = _stats(inside, y, total_positive)
    restricted = [name for d, name in enumerate(names) if low[d] > data_low[d] or high[d] < data_high[d]]
    return Box(limits={name: (float(low[d]), float(high[d])) for d, name in enumerate(names)},
               coverage=coverage, density=density, mass=mass, cases=n, restricted=restricted, step=step)


def _inside(x, low, high):
    return np.all((x >= low) & (x <= high), axis=1)


def _peel_candidates(x, inside, low, high, alpha):
    """Candidate (dimension, side, new low, new high) peels of the current box."""
    candidates = []
    for d in range(x.shape[1]):
        values = x[inside, d]
        levels = np.unique(values)
        if levels.size < 2:
            continue
        # low side: drop values below the alpha quantile, or at least the lowest level
        cut = np.quantile(values, alpha)
        new_low = cut if cut > levels[0] else levels[1]
        candidates.append((d, "low", new_low, high[d]))
        cut = np.quantile(values, 1 - alpha)
        new_high = cut if cut < levels[-1] else levels[-2]
        candidates.append((d, "high", low[d], new_high))
    return candidates


def prim(x, y, names, alpha=0.05, min_mass=0.05, paste=False, min_coverage=0.5, box_step=None,
         density_tolerance=0.01):
    """x: [cases, parameters] numbers; y: [cases] bool (the outcome of interest). Returns a
    PrimResult. The chosen box is, among the boxes of the trajectory with coverage at least
    `min_coverage`, the first (fewest peels) whose density is within `density_tolerance` of
    the best of them; or the box of step `box_step`. It is pasted if `paste`."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=bool)
    names = list(names)
    if x.ndim != 2 or x.shape[0] != y.shape[0] or x.shape[1] != len(names):
        raise ValueError("x must be [cases, parameters], y [cases], names [parameters]")
    total_positive = int(y.sum())
    if total_positive == 0:
        raise ValueError("no case reaches the outcome: nothing to discover (try another threshold)")
    data_low, data_high = x.min(axis=0), x.max(axis=0)
    low, high = data_low.copy(), data_high.copy()
    inside = np.ones(len(y), dtype=bool)
    trajectory = [_box(x, y, inside, low, high, names, data_low, data_high, total_positive, 0)]
    while True:
        current = trajectory[-1]
        best = None
        for d, side, new_low, new_high in _peel_candidates(x, inside, low, high, alpha):
            trial_low, trial_high = low.copy(), high.copy()
            trial_low[d], trial_high[d] = new_low, new_high
            trial = inside & (x[:, d] >= new_low) & (x[:, d] <= new_high)
            n = int(trial.sum())
            if n == 0 or n / len(y) < min_mass:
                continue
            density = y[trial].mean()
            removed = int(inside.sum()) - n
            gain = (density - current.density) / max(removed, 1)
            if best is None or gain > best[0] or (gain == best[0] and n > best[3]):
                best = (gain, trial_low, trial_high, n, trial, density)
        if best is None or best[5] <= current.density:
            break
        _, low, high, _, inside, _ = best
        trajectory.append(_box(x, y, inside, low, high, names, data_low, data_high, total_positive,
                               len(trajectory)))
    if box_step is not None:
        if not 0 <= box_step < len(trajectory):
            raise ValueError(f"--box {box_step}: the trajectory has steps 0 to {len(trajectory) - 1}")
        chosen = trajectory[box_step]
    else:
        eligible = [box for box in trajectory if box.coverage >= min_coverage] or trajectory[:1]
        best = max(box.density for box in eligible)
        # the fewest peels that come within `density_tolerance` of the best density: later
        # peels that gain less than that mostly fit noise
        chosen = next(box for box in eligible if box.density >= best - density_tolerance)
    if paste:
        chosen = _paste(x, y, chosen, names, alpha, data_low, data_high, total_positive)
    return PrimResult(trajectory=trajectory, chosen=chosen, parameters=names, cases=len(y),
                      positives=total_positive, pasted=paste)


def _paste(x, y, box, names, alpha, data_low, data_high, total_positive):
    """Widens `box` one side at a time by about alpha of its cases while the density rises."""
    low = np.array([box.limits[name][0] for name in names])
    high = np.array([box.limits[name][1] for name in names])
    inside = _inside(x, low, high)
    density = y[inside].mean()
    while True:
        best = None
        step = max(1, int(round(alpha * inside.sum())))
        for d in range(len(names)):
            others = np.ones(len(y), dtype=bool)
            for e in range(len(names)):
                if e != d:
                    others &= (x[:, e] >= low[e]) & (x[:, e] <= high[e])
            below = np.sort(np.unique(x[others & (x[:, d] < low[d]), d]))[::-1]
            above = np.sort(np.unique(x[others & (x[:, d] > high[d]), d]))
            for side, levels in (("low", below), ("high", above)):
                if levels.size == 0:
                    continue
                candidate_values = x[others & ((x[:, d] < low[d]) if side == "low" else (x[:, d] > high[d])), d]
                ordered = np.sort(candidate_values)[::-1] if side == "low" else np.sort(candidate_values)
                limit = ordered[min(step, ordered.size) - 1]
                trial_low, trial_high = low.copy(), high.copy()
                if side == "low":
                    trial_low[d] = limit
                else:
                    trial_high[d] = limit
                trial = _inside(x, trial_low, trial_high)
                trial_density = y[trial].mean()
                if trial_density > density and (best is None or trial_density > best[0]):
                    best = (trial_density, trial_low, trial_high, trial)
        if best is None:
            break
        density, low, high, inside = best
    pasted = _box(x, y, inside, low, high, names, data_low, data_high, total_positive, box.step)
    return pasted


def trajectory_table(result):
    """One row per peeling step: coverage, density, mass, cases and each parameter's limits."""
    rows = []
    for box in result.trajectory:
        row = dict(step=box.step, coverage=box.coverage, density=box.density, mass=box.mass, cases=box.cases,
                   restricted=len(box.restricted))
        for name in result.parameters:
            row[f"{name} low"], row[f"{name} high"] = box.limits[name]
        rows.append(row)
    return pd.DataFrame(rows).set_index("step")


def describe_box(result, box=None):
    """Text: the chosen box's limits on the restricted parameters, coverage and density."""
    box = box or result.chosen
    lines = [f"box at peeling step {box.step}{' (pasted)' if result.pasted else ''}: "
             f"coverage {box.coverage:.3f}, density {box.density:.3f}, mass {box.mass:.3f} "
             f"({box.cases} of {result.cases} cases; {result.positives} cases of interest in all)"]
    if not box.restricted:
        lines.append("  no parameter restricted (the whole space)")
    for name in box.restricted:
        low, high = box.limits[name]
        lines.append(f"  {low:.6g} <= {name} <= {high:.6g}")
    return "\n".join(lines)


def plot_prim(result, outcome, ranges):
    """Two panels: the peeling trajectory (density against coverage, coloured by the number of
    restricted parameters, chosen box circled) and the chosen box's limits on each parameter as
    a share of its swept range (`ranges`: parameter -> (low, high))."""
    from analysis.figures import plt

    chosen = result.chosen
    shown = result.parameters if len(result.parameters) <= 12 else (chosen.restricted or result.parameters)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, max(4.2, 1.8 + 0.55 * len(shown))), layout="constrained",
                                         gridspec_kw=dict(width_ratios=[1, 1.15]))
    coverage = [box.coverage for box in result.trajectory]
    density = [box.density for box in result.trajectory]
    restricted = [len(box.restricted) for box in result.trajectory]
    left.plot(coverage, density, color="0.6", linewidth=0.8, zorder=1)
    points = left.scatter(coverage, density, c=restricted, cmap="viridis", s=22, zorder=2,
                          vmin=0, vmax=max(1, max(restricted)))
    colourbar = figure.colorbar(points, ax=left, pad=0.01)
    colourbar.set_label("parameters restricted")
    colourbar.locator = __import__("matplotlib").ticker.MaxNLocator(integer=True)
    colourbar.update_ticks()
    left.scatter([chosen.coverage], [chosen.density], s=160, facecolors="none", edgecolors="tab:red", linewidths=2,
                 zorder=3, label=f"chosen box (step {chosen.step}{', pasted' if result.pasted else ''})")
    left.set_xlabel("coverage (share of the cases of interest inside the box)")
    left.set_ylabel("density (share of the box's cases of interest)")
    left.set_xlim(-0.02, 1.02)
    left.set_ylim(max(0.0, min(density) - 0.05), 1.02)
    left.grid(alpha=0.3)
    left.legend(loc="lower left", fontsize=8)
    left.set_title("peeling trajectory", loc="left", fontsize=10)

    y = np.arange(len(shown))[::-1]
    labels = []
    for row, name in zip(y, shown):
        low, high = chosen.limits[name]
        full_low, full_high = ranges.get(name, (np.nan, np.nan))
        if not (np.isfinite(full_low) and np.isfinite(full_high) and full_high > full_low):
            full_low, full_high = min(b.limits[name][0] for b in result.trajectory[:1]), \
                max(b.limits[name][1] for b in result.trajectory[:1])
        span = (full_high - full_low) or 1.0
        right.barh(row, (high - low) / span, left=(low - full_low) / span, height=0.5,
                   color="tab:red" if name in chosen.restricted else "0.75")
        labels.append(f"{name}\n{low:.3g} to {high:.3g}" if name in chosen.restricted else f"{name}\n(not restricted)")
    right.set_yticks(y, labels, fontsize=8, multialignment="center")
    right.set_xlim(0, 1)
    right.set_xlabel("share of the parameter's swept range (0 = low, 1 = high)")
    right.grid(axis="x", alpha=0.3)
    right.set_title("chosen box" + ("" if chosen.restricted else " (no parameter restricted)"), loc="left",
                    fontsize=10)
    figure.suptitle(f"Scenario discovery: {outcome}\nchosen box: coverage {chosen.coverage:.2f}, "
                    f"density {chosen.density:.2f}, {chosen.cases} of {result.cases} runs", fontsize=11)
    return figure
