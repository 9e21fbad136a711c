"""Global sensitivity analysis in NumPy (SALib is not in Debian):

- Morris elementary effects (Morris 1991; mu* of Campolongo et al. 2007): for each parameter,
  mu (mean effect), mu* (mean absolute effect) and sigma (standard deviation of the effects),
  an effect being the change of the output over a step of the parameter, divided by the step as
  a share of the parameter's range [low, high]. So for a linear model y = sum c_i x_i,
  mu* = |c_i| (high_i - low_i) and sigma = 0.
- Sobol indices from a Saltelli design (Saltelli et al. 2010, Table 2): first order
  S_i = mean(f(B) (f(AB_i) - f(A))) / V (Saltelli 2010) and total
  ST_i = mean((f(A) - f(AB_i))^2) / (2 V) (Jansen 1999), with V the variance of f over A and B,
  and percentile bootstrap confidence intervals over the base samples. Outputs are centred on
  their mean over A and B first (as SALib does): same expectations, smaller variance.

The design conventions are those of docs/sweeps.md's /design group: AB_i is A with column i
taken from B, and points come per base sample as A, B, AB_1 .. AB_k.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd


# ---- designs (the sweep runner writes its own; these serve tests and fixtures) -----------------

def saltelli_sample(n, low, high, seed=0):
    """A Saltelli design of n base samples over the box [low, high] (arrays of k). Returns
    (X [n (k + 2), k], base sample index [n (k + 2)], block [n (k + 2)] with "A", "B" or the
    index i of the changed parameter as a string), ordered per base sample as A, B, AB_1..AB_k.
    A and B are the two halves of a scrambled Sobol' sequence of dimension 2k."""
    from scipy.stats import qmc

    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    k = len(low)
    sobol = qmc.Sobol(d=2 * k, scramble=True, seed=seed)
    m = int(np.log2(n))
    base = sobol.random_base2(m) if 2 ** m == n else sobol.random(n)
    a = low + base[:, :k] * (high - low)
    b = low + base[:, k:] * (high - low)
    rows, sample, block = [], [], []
    for j in range(n):
        rows.append(a[j])
        rows.append(b[j])
        sample += [j, j]
        block += ["A", "B"]
        for i in range(k):
            ab = a[j].copy()
            ab[i] = b[j, i]
            rows.append(ab)
            sample.append(j)
            block.append(str(i))
    return np.array(rows), np.array(sample), np.array(block, dtype=object)


def morris_sample(trajectories, low, high, levels=4, seed=0):
    """Morris one-at-a-time trajectories over the box [low, high]: each of `trajectories`
    starts at a random point of a `levels`-level grid and changes every parameter once, in a
    random order, by delta = levels / (2 (levels - 1)) of its range (up, or down where up
    would leave the box). Returns (X [r (k + 1), k], trajectory [r (k + 1)], changed parameter
    [r (k + 1)], -1 for a trajectory's first point)."""
    rng = np.random.default_rng(seed)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    k = len(low)
    delta = levels / (2.0 * (levels - 1))
    grid = np.arange(levels) / (levels - 1)
    rows, trajectory, changed = [], [], []
    for t in range(trajectories):
        x = rng.choice(grid, size=k)
        rows.append(x.copy())
        trajectory.append(t)
        changed.append(-1)
        for i in rng.permutation(k):
            x[i] = x[i] + delta if x[i] + delta <= 1.0 + 1e-12 else x[i] - delta
            rows.append(x.copy())
            trajectory.append(t)
            changed.append(int(i))
    unit = np.array(rows)
    return low + unit * (high - low), np.array(trajectory), np.array(changed)


# ---- estimators ---------------------------------------------------------------------------

def ishigami(x, a=7.0, b=0.1):
    """The Ishigami function on [-pi, pi]^3 (a test case with known Sobol indices)."""
    x = np.atleast_2d(x)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a=7.0, b=0.1):
    """Analytic first-order and total Sobol indices of the Ishigami function."""
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def _sobol_point_estimates(f_a, f_b, f_ab):
    """f_a, f_b [n], f_ab [n, k] -> (S1 [k], ST [k])."""
    # centring on the mean of A and B leaves the expectations alone and cuts the variance of
    # the first-order estimator when the output's mean is large against its spread (as SALib)
    centre = np.mean(np.concatenate([f_a, f_b]))
    f_a, f_b, f_ab = f_a - centre, f_b - centre, f_ab - centre
    variance = np.var(np.concatenate([f_a, f_b]), ddof=1)
    if not np.isfinite(variance) or variance <= 0:
        k = f_ab.shape[1]
        return np.full(k, np.nan), np.full(k, np.nan)
    first = np.mean(f_b[:, None] * (f_ab - f_a[:, None]), axis=0) / variance
    total = 0.5 * np.mean((f_a[:, None] - f_ab) ** 2, axis=0) / variance
    return first, total


@dataclass
class SobolResult:
    table: pd.DataFrame         # per parameter: S1, S1_low, S1_high, ST, ST_low, ST_high
    base_samples: int           # N used (base samples with a value in every block)
    dropped: int                # base samples left out for a missing value (failed runs)
    confidence: float


def sobol_indices(y, sample, block, parameters, n_bootstrap=500, confidence=0.95, seed=0):
    """Sobol indices from the outputs `y` of a Saltelli design (one value per design point;
    `sample` the base sample index, `block` "A", "B" or the changed parameter: its key path
    or its index as a string). Base samples with a NaN in any block are left out."""
    y = np.asarray(y, dtype=float)
    sample = np.asarray(sample)
    block = np.asarray(block).astype(str)
    parameters = list(parameters)
    k = len(parameters)
    column = {"A": -2, "B": -1}
    for i, name in enumerate(parameters):
        column[name] = i
        column[str(i)] = i
    unknown = sorted(set(block) - set(column))
    if unknown:
        raise ValueError(f"saltelli_block values not in the parameters: {', '.join(unknown)}")
    samples = np.unique(sample)
    index = {s: n for n, s in enumerate(samples)}
    matrix = np.full((len(samples), k + 2), np.nan)
    filled = np.zeros((len(samples), k + 2), dtype=int)
    for value, s, b in zip(y, sample, block):
        matrix[index[s], column[b]] = value
        filled[index[s], column[b]] += 1
    if (filled > 1).any():
        raise ValueError("a base sample has two points for one block")
    complete = np.isfinite(matrix).all(axis=1)
    matrix = matrix[complete]
    n = len(matrix)
    if n < 2:
        raise ValueError(f"only {n} complete base samples: too few for Sobol indices")
    f_a, f_b, f_ab = matrix[:, -2], matrix[:, -1], matrix[:, :k]
    first, total = _sobol_point_estimates(f_a, f_b, f_ab)
    rng = np.random.default_rng(seed)
    boot_first = np.empty((n_bootstrap, k))
    boot_total = np.empty((n_bootstrap, k))
    for r in range(n_bootstrap):
        pick = rng.integers(0, n, n)
        boot_first[r], boot_total[r] = _sobol_point_estimates(f_a[pick], f_b[pick], f_ab[pick])
    tail = 100 * (1 - confidence) / 2
    table = pd.DataFrame({
        "S1": first, "S1_low": np.nanpercentile(boot_first, tail, axis=0),
        "S1_high": np.nanpercentile(boot_first, 100 - tail, axis=0),
        "ST": total, "ST_low": np.nanpercentile(boot_total, tail, axis=0),
        "ST_high": np.nanpercentile(boot_total, 100 - tail, axis=0),
    }, index=pd.Index(parameters, name="parameter"))
    return SobolResult(table=table, base_samples=n, dropped=int((~complete).sum()), confidence=confidence)


@dataclass
class MorrisResult:
    table: pd.DataFrame         # per parameter: mu, mu_star, mu_star_low, mu_star_high, sigma, effects
    trajectories: int
    confidence: float


def morris_effects(y, x, low, high, trajectory, changed, parameters, n_bootstrap=500, confidence=0.95, seed=0):
    """Morris statistics from the outputs `y` of a Morris design (one value per design point,
    `x` [points, k] the parameter values, `low`/`high` their ranges, `trajectory` and `changed`
    as in docs/sweeps.md). An effect is (y_b - y_a) / ((x_b - x_a) / (high - low)) for two
    consecutive points a, b of a trajectory that differ in one parameter. Steps with a NaN
    output (failed runs) are left out."""
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    span = np.where(np.isfinite(high - low) & (high != low), high - low, 1.0)
    trajectory = np.asarray(trajectory)
    changed = np.asarray(changed)
    parameters = list(parameters)
    effects = [[] for _ in parameters]
    for t in np.unique(trajectory):
        rows = np.flatnonzero(trajectory == t)           # design order is the trajectory's order
        for a, b in zip(rows[:-1], rows[1:]):
            i = int(changed[b])
            if i < 0:
                continue
            step = (x[b, i] - x[a, i]) / span[i]
            if step == 0 or not (np.isfinite(y[a]) and np.isfinite(y[b])):
                continue
            effects[i].append((y[b] - y[a]) / step)
    rng = np.random.default_rng(seed)
    tail = 100 * (1 - confidence) / 2
    rows = []
    for name, values in zip(parameters, effects):
        values = np.asarray(values, dtype=float)
        if values.size == 0:
            rows.append(dict(parameter=name, mu=np.nan, mu_star=np.nan, mu_star_low=np.nan, mu_star_high=np.nan,
                             sigma=np.nan, effects=0))
            continue
        boot = np.abs(values[rng.integers(0, values.size, (n_bootstrap, values.size))]).mean(axis=1)
        rows.append(dict(parameter=name, mu=values.mean(), mu_star=np.abs(values).mean(),
                         mu_star_low=np.percentile(boot, tail), mu_star_high=np.percentile(boot, 100 - tail),
                         sigma=values.std(ddof=1) if values.size > 1 else 0.0, effects=values.size))
    return MorrisResult(table=pd.DataFrame(rows).set_index("parameter"), trajectories=len(np.unique(trajectory)),
                        confidence=confidence)


# ---- from a sweep file -----------------------------------------------------------------------

def point_means(sweep, values):
    """Mean over the replicates (runs with status "ok") of each design point; NaN for a point
    without a successful run."""
    design_point = np.asarray(sweep.runs["design_point"], dtype=int)
    sums = np.zeros(sweep.n_points)
    counts = np.zeros(sweep.n_points)
    finite = np.isfinite(values)
    np.add.at(sums, design_point[finite], values[finite])
    np.add.at(counts, design_point[finite], 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def analyse_sweep(sweep, values, method=None, n_bootstrap=500, confidence=0.95, seed=0):
    """Morris or Sobol analysis of a metric (MetricValues) of a sweep whose design is `morris`
    or `saltelli`; `method` defaults to the design's. The outputs are replicate means per
    design point."""
    method = method or {"morris": "morris", "saltelli": "sobol"}.get(sweep.design)
    if method is None:
        raise ValueError(f"{sweep.path}: design is {sweep.design}; sensitivity needs a sweep with design "
                         f"morris or saltelli (docs/sweeps.md, [sweep] design)")
    y = point_means(sweep, values.values)
    if method == "morris":
        for name in ("morris_trajectory", "morris_changed_parameter"):
            if name not in sweep.points:
                raise ValueError(f"{sweep.path}: /design/{name} missing: not a Morris design")
        x = np.column_stack([np.asarray(sweep.points[p], dtype=float) for p in sweep.parameters])
        low = np.array([sweep.low[p] for p in sweep.parameters])
        high = np.array([sweep.high[p] for p in sweep.parameters])
        return morris_effects(y, x, low, high, sweep.points["morris_trajectory"], sweep.points["morris_changed_parameter"],
                              sweep.parameters, n_bootstrap=n_bootstrap, confidence=confidence, seed=seed)
    if method == "sobol":
        for name in ("saltelli_sample", "saltelli_block"):
            if name not in sweep.points:
                raise ValueError(f"{sweep.path}: /design/{name} missing: not a Saltelli design")
        return sobol_indices(y, sweep.points["saltelli_sample"], sweep.points["saltelli_block"], sweep.parameters,
                             n_bootstrap=n_bootstrap, confidence=confidence, seed=seed)
    raise ValueError(f"unknown method {method} (morris or sobol)")


def plot_sensitivity(result, values, title_prefix=""):
    """Horizontal bars per parameter, most influential at the top: S1 and ST with their
    bootstrap intervals (Sobol), or mu* with its interval and sigma (Morris)."""
    from analysis.figures import plt

    table = result.table
    sobol = isinstance(result, SobolResult)
    order = table.sort_values("ST" if sobol else "mu_star", ascending=True, na_position="first").index
    table = table.loc[order]
    height = 1.6 + 0.45 * len(table)
    figure, axis = plt.subplots(figsize=(9, height), layout="constrained")
    y = np.arange(len(table))
    bar = 0.38
    percent = int(round(result.confidence * 100))
    if sobol:
        series = [("S1", "first order S1", "tab:blue"), ("ST", "total ST", "tab:orange")]
        xlabel = "Sobol index (share of the output variance)"
        note = f"N = {result.base_samples} base samples" + (f", {result.dropped} left out (failed runs)" if result.dropped else "")
    else:
        series = [("mu_star", "mu* (mean |elementary effect|)", "tab:blue"), ("sigma", "sigma (sd of the effects)", "tab:orange")]
        unit = "" if values.units in ("", "1") else f" [{values.units}]"
        xlabel = f"elementary effect{unit}: change of the output over the full range of the parameter"
        note = f"r = {result.trajectories} trajectories"
    for n, (column, label, colour) in enumerate(series):
        position = y + (bar / 2 if n == 0 else -bar / 2)
        error = None
        if f"{column}_low" in table:
            low = np.clip(table[column] - table[f"{column}_low"], 0, None)
            high = np.clip(table[f"{column}_high"] - table[column], 0, None)
            error = np.vstack([low, high])
        axis.barh(position, table[column], height=bar, color=colour, label=label, xerr=error,
                  error_kw=dict(ecolor="0.2", capsize=3, linewidth=1))
    axis.set_yticks(y, list(table.index))
    axis.set_xlabel(xlabel)
    axis.axvline(0, color="0.3", linewidth=0.8)
    axis.grid(axis="x", alpha=0.3)
    if sobol:
        values_shown = table[["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]].values
        axis.set_xlim(min(-0.05, np.nanmin(values_shown) - 0.05), max(1.05, np.nanmax(values_shown) + 0.05))
    axis.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize=9,
                title=f"error bars: {percent}% bootstrap CI", title_fontsize=8)
    method = "Sobol indices" if sobol else "Morris screening"
    axis.set_title(f"{title_prefix}{method} of {values.label}\n({note})", fontsize=11)
    return figure


def format_table(result):
    """The result table as printed text (rounded)."""
    return result.table.round(4).to_string()
