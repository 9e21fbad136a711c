"""Reading policysim files: single runs (docs/output.md) and sweeps (docs/sweeps.md).

Everything here reads with h5py, the route of docs/output.md's "h5py" section; `open_group`
and `sweep_table_xarray` are the xarray route (`xr.open_dataset(path, engine="netcdf4",
group=G)`), for users who want labelled arrays. docs/analysis.md shows both.
"""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from analysis.periods import period_index

LAYERS = ("dialogue", "cooperation", "trade")  # the layers today; readers discover them from the file


def _text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.atleast_1d(values)]


def _attr_text(value, default=""):
    if value is None:
        return default
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray) and value.shape == ():
        return _attr_text(value[()])
    return str(value)


def _scalar_text(dataset):
    value = dataset[()]
    return value.decode() if isinstance(value, bytes) else str(value)


class FileError(Exception):
    """A file that is not what a command needs (missing group, unknown metric...): the message
    says what and where."""


def _open(path):
    path = Path(path)
    if not path.is_file():
        raise FileError(f"{path}: no such file")
    try:
        return h5py.File(path, "r")
    except OSError as error:
        raise FileError(f"{path}: not an HDF5 file ({error})") from None


def _decimal_years(group):
    """A group's time axis as decimal years: a run file's `year` (its `time` is a CF time
    coordinate, days since the start), or `time` itself where that is in years (sweep files)."""
    return group["year"][()] if "year" in group else group["time"][()]


def _layers_in(group, suffix=""):
    """Layer names in a group: datasets `<layer><suffix>` with [time, agent, partner] (suffix "")
    or `<layer>_pairs` (suffix "_pairs"); known layers first, in their usual order."""
    found = []
    for name, item in group.items():
        if not isinstance(item, h5py.Dataset) or not name.endswith(suffix):
            continue
        layer = name[: len(name) - len(suffix)] if suffix else name
        if suffix == "" and item.ndim != 3:
            continue
        found.append(layer)
    return sorted(found, key=lambda layer: (LAYERS.index(layer) if layer in LAYERS else len(LAYERS), layer))


# ---- single runs ------------------------------------------------------------------------------

@dataclass
class PairSeries:
    """Per-step tie values of the pairs of interest recorded in /metrics."""

    path: Path
    time: np.ndarray           # decimal year, start of each quarter
    period_label: list         # "2014Q3"
    pairs: list                # "JPN-ISR"
    values: dict               # layer -> array [time, pair]
    units: dict                # layer -> units ("1", "US$ millions per year")
    events: list               # (decimal year, period label, name, kind, detail)
    agent_names: dict          # code -> name

    @property
    def layers(self):
        return list(self.values)


def read_pair_series(path, pairs=None):
    """The pairs of interest of /metrics, and any other `pairs` ("JPN-KOR") from the full tie
    matrices of /ties (every pair of the run's agents is there, for the layers /ties holds)."""
    path = Path(path)
    with _open(path) as f:
        for group in ("metrics", "events", "agents"):
            if group not in f:
                raise FileError(f"{path}: no /{group} group; is it a policysim run file (docs/output.md)?")
        metrics, events, agents = f["metrics"], f["events"], f["agents"]
        layers = _layers_in(metrics, "_pairs")
        recorded = _text(metrics["pair"][()])
        values = {layer: metrics[f"{layer}_pairs"][()] for layer in layers}
        extra = [p for p in dict.fromkeys(pairs or []) if p not in recorded]
        if extra and "ties" in f:
            ties = f["ties"]
            codes = _text(ties["agent"][()])
            found = []
            for pair in extra:
                a, _, b = pair.partition("-")
                if a not in codes or b not in codes:
                    continue
                if any(layer not in ties or ties[layer].ndim != 3 for layer in layers):
                    continue
                i, j = codes.index(a), codes.index(b)
                for layer in layers:
                    column = ties[layer][:, i, j]
                    values[layer] = np.concatenate([values[layer], column[:, None]], axis=1)
                found.append(pair)
            recorded = recorded + found
        return PairSeries(
            path=path,
            time=_decimal_years(metrics),
            period_label=_text(metrics["period_label"][()]),
            pairs=recorded,
            values=values,
            units={layer: _attr_text(metrics[f"{layer}_pairs"].attrs.get("units"), "1") for layer in layers},
            events=list(zip(events["event_time"][()], _text(events["period_label"][()]), _text(events["name"][()]),
                            _text(events["kind"][()]), _text(events["detail"][()]))),
            agent_names=dict(zip(_text(agents["agent"][()]), _text(agents["name"][()]))),
        )


@dataclass
class Comparison:
    """One what-if of a `policysim compare --out` file (docs/output.md, "The compare file"):
    per measure, [time, pair] arrays of the paired mean difference (what-if minus baseline),
    its 95% interval and both sides' means."""

    path: Path
    what_if: str               # the group: the what-if file's stem
    what_if_file: str
    baseline_file: str
    first_event: str
    first_event_period: str
    seeds: list
    time: np.ndarray           # decimal years
    period_label: list
    measures: dict             # measure -> dict(pairs, units, long_name, difference, difference_low, ...)


def comparison_groups(path):
    """The what-ifs of a compare file (its groups)."""
    with _open(path) as f:
        return [name for name, item in f.items() if isinstance(item, h5py.Group)]


def read_comparison(path, what_if=None):
    """The group `what_if` of a compare file; without it, the file's only what-if."""
    path = Path(path)
    with _open(path) as f:
        groups = [name for name, item in f.items() if isinstance(item, h5py.Group)]
        if "seeds" not in f or not groups:
            raise FileError(f"{path}: not a policysim compare file (compare --out; docs/output.md)")
        if what_if is None:
            if len(groups) != 1:
                raise FileError(f"{path}: holds {len(groups)} what-ifs ({', '.join(groups)}); say which")
            what_if = groups[0]
        if what_if not in groups:
            raise FileError(f"{path}: no what-if {what_if} (what-ifs: {', '.join(groups)})")
        group = f[what_if]
        measures, time, labels = {}, None, None
        for name, item in group.items():
            if not isinstance(item, h5py.Group):
                continue
            time = item["time"][()]
            labels = _text(item["period_label"][()])
            measures[name] = dict(
                pairs=_text(item["pair"][()]), units=_attr_text(item.attrs.get("units"), "1"),
                long_name=_attr_text(item.attrs.get("long_name")),
                **{key: item[key][()] for key in ("baseline", "what_if", "difference", "difference_low",
                                                   "difference_high")})
        return Comparison(path=path, what_if=what_if, what_if_file=_attr_text(group.attrs.get("what_if_file")),
                          baseline_file=_attr_text(group.attrs.get("baseline_file")),
                          first_event=_attr_text(group.attrs.get("first_event")),
                          first_event_period=_attr_text(group.attrs.get("first_event_period")),
                          seeds=list(f["seeds"][()]), time=time, period_label=labels, measures=measures)


@dataclass
class RunTies:
    """The full tie matrices of a run (/ties) and who the agents are (/agents)."""

    path: Path
    time: np.ndarray
    period_label: list
    agents: list               # codes, the rows and columns of each matrix
    agent_names: dict          # code -> name
    agent_kinds: dict          # code -> "country" / "organisation"
    ties: dict                 # layer -> array [time, agent, partner]
    units: dict                # layer -> units
    directed: dict             # layer -> bool
    presence_threshold: dict   # layer -> threshold of /metrics/<layer>_density (0 when absent)

    def row(self, period):
        return period_index(self.period_label, self.time, period)


def read_ties(path, layers=None):
    path = Path(path)
    with _open(path) as f:
        for group in ("ties", "agents"):
            if group not in f:
                raise FileError(f"{path}: no /{group} group; is it a policysim run file (docs/output.md)?")
        ties, agents = f["ties"], f["agents"]
        available = _layers_in(ties)
        layers = list(layers or available)
        unknown = [layer for layer in layers if layer not in available]
        if unknown:
            raise FileError(f"{path}: no tie layer {', '.join(unknown)} (layers: {', '.join(available)})")
        # Whether [agent, partner] differs from [partner, agent] decides how a layer is drawn (one edge
        # or two arrows); a file that does not say is refused rather than drawn as mutual.
        for layer in layers:
            if "directed" not in ties[layer].attrs:
                raise FileError(f"{path}: /ties/{layer} has no `directed` attribute (docs/output.md); "
                                f"was it written by an older policysim?")
        codes = _text(agents["agent"][()])
        if _text(ties["agent"][()]) != codes:
            raise FileError(f"{path}: /ties/agent and /agents/agent differ")
        thresholds = {}
        for layer in layers:
            density = f.get(f"metrics/{layer}_density")
            thresholds[layer] = float(density.attrs.get("presence_threshold", 0.0)) if density is not None else 0.0
        return RunTies(
            path=path,
            time=_decimal_years(ties),
            period_label=_text(ties["period_label"][()]),
            agents=codes,
            agent_names=dict(zip(codes, _text(agents["name"][()]))),
            agent_kinds=dict(zip(codes, _text(agents["kind"][()]))),
            ties={layer: ties[layer][()] for layer in layers},
            units={layer: _attr_text(ties[layer].attrs.get("units"), "1") for layer in layers},
            directed={layer: bool(int(ties[layer].attrs["directed"])) for layer in layers},
            presence_threshold=thresholds,
        )


def firm_table(path):
    """The firm table of a run file (/firms) as a pandas DataFrame indexed by firm, with country,
    sector, population and acquired_period as categorical columns named from /firm_categories
    (docs/output.md); acquired_period is missing (NaN) for a firm never bought."""
    import pandas as pd

    with _open(path) as f:
        if "firms" not in f:
            raise FileError(f"{path}: no /firms group (the scenario has no firm populations)")
        group = f["firms"]
        table = pd.DataFrame({name: group[name][()] for name in group if name != "firm" and name not in _FIRM_CODES},
                             index=pd.Index(group["firm"][()], name="firm"))
        for column, axis in _FIRM_CODES.items():
            names = _text(f["firm_categories"][axis][()])  # [] for an empty axis
            table[column] = pd.Categorical.from_codes(group[column][()], categories=names)  # -1: missing
    first = ["country", "sector", "population", "member"]
    return table[first + [c for c in table if c not in first]]


# /firms columns that are rows of a /firm_categories axis (-1: none).
_FIRM_CODES = {"country": "country", "sector": "sector", "population": "population", "acquired_period": "period"}


def open_group(path, group):
    """The xarray route: one group of a run or sweep file as an xarray.Dataset (docs/output.md)."""
    import xarray as xr

    return xr.open_dataset(path, engine="netcdf4", group=group)


# ---- sweeps ---------------------------------------------------------------------------------

@dataclass
class MetricValues:
    """One number per run: a metric at one period (and pair), with what it is."""

    values: np.ndarray         # [run]; NaN for failed runs
    metric: str
    pair: str | None
    period: str
    units: str
    label: str                 # "cooperation tie Japan–Israel, 2030Q1"


@dataclass
class Sweep:
    path: Path
    design: str                         # "grid", "latin_hypercube", "random", "morris", "saltelli", "file"
    replicates: int
    parameters: list                    # key paths, in /parameters order
    kind: dict                          # parameter -> "number" / "integer" / "boolean" / "string"
    low: dict                           # parameter -> float (NaN when not a range)
    high: dict
    points: dict                        # /design: name -> array [point] (parameters and design columns)
    design_attrs: dict                  # morris_levels, saltelli_base_samples
    runs: dict                          # /runs: name -> array [run]
    time: np.ndarray
    period_label: list
    pairs: list
    metrics: list                       # names of the datasets of /metrics with a run axis
    agent_names: dict = field(default_factory=dict)

    @property
    def n_points(self):
        return len(next(iter(self.points.values()))) if self.points else 0

    @property
    def n_runs(self):
        return len(self.runs["design_point"])

    @property
    def ok(self):
        """[run] True for the runs whose status is "ok"."""
        return np.array([status == "ok" for status in self.runs["status"]], dtype=bool)

    def parameter_values(self, parameter, per="run"):
        """Values of a swept parameter per run (default) or per design point."""
        if parameter not in self.parameters:
            raise FileError(f"{self.path}: {parameter} is not a swept parameter (swept: {', '.join(self.parameters)})")
        source = self.runs if per == "run" else self.points
        return np.asarray(source[parameter])

    def numeric_parameters(self):
        return [p for p in self.parameters if self.kind.get(p) in ("number", "integer", "boolean")]

    def pair_name(self, pair):
        a, _, b = pair.partition("-")
        return f"{self.agent_names.get(a, a)}–{self.agent_names.get(b, b)}"

    def metric(self, metric, pair=None, period=None):
        """The value of /metrics/<metric> per run at `period` (default: the last row), for
        `pair` when the metric has a pair axis. Failed runs are NaN."""
        if metric not in self.metrics:
            raise FileError(f"{self.path}: no metric {metric} (metrics: {', '.join(self.metrics)})")
        try:
            row = period_index(self.period_label, self.time, period)
        except ValueError as error:
            raise FileError(f"{self.path}: {error}") from None
        with _open(self.path) as f:
            dataset = f["metrics"][metric]
            units = _attr_text(dataset.attrs.get("units"), "1")
            has_pair = dataset.ndim == 3
            if has_pair:
                if pair is None:
                    raise FileError(f"{metric} is per pair: name one with --pair ({', '.join(self.pairs)})")
                if pair not in self.pairs:
                    raise FileError(f"{self.path}: pair {pair} not recorded (pairs: {', '.join(self.pairs)})")
                values = dataset[:, row, self.pairs.index(pair)]
            else:
                if pair is not None:
                    raise FileError(f"{metric} has no pair axis; leave out --pair (per-pair metrics: "
                                    f"{', '.join(m for m in self.metrics if m.endswith('_pairs'))})")
                values = dataset[:, row]
        values = np.asarray(values, dtype=float).copy()
        values[~self.ok] = np.nan
        period_label = self.period_label[row]
        return MetricValues(values=values, metric=metric, pair=pair, period=period_label, units=units,
                            label=metric_label(metric, pair, period_label, self.pair_name))


def metric_label(metric, pair, period, pair_name=lambda p: p):
    """A readable name: "cooperation tie Japan–Israel, 2030Q1", "dialogue density, 2024Q4"."""
    if metric.endswith("_pairs"):
        return f"{metric[:-len('_pairs')]} tie {pair_name(pair)}, {period}"
    for suffix, words in (("_density", "density"), ("_mean_strength", "mean tie strength")):
        if metric.endswith(suffix):
            return f"{metric[:-len(suffix)]} {words}, {period}"
    return f"{metric}, {period}"


def _column(dataset):
    values = dataset[()]
    if dataset.dtype.kind == "O":
        return np.array(_text(values), dtype=object)
    return np.asarray(values)


def _agent_names_from_scenario(text):
    try:
        scenario = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}
    governments = scenario.get("governments", {})
    return {code: table.get("name", code) for code, table in governments.items() if isinstance(table, dict)}


def read_sweep(path):
    """Reads the tables of a sweep file (docs/sweeps.md); metric values come with Sweep.metric."""
    path = Path(path)
    with _open(path) as f:
        for group in ("parameters", "design", "runs", "metrics"):
            if group not in f:
                raise FileError(f"{path}: no /{group} group; is it a policysim sweep file (docs/sweeps.md)?")
        parameters = _text(f["parameters/parameter"][()])
        kinds = _text(f["parameters/kind"][()]) if "kind" in f["parameters"] else ["number"] * len(parameters)
        low = f["parameters/low"][()] if "low" in f["parameters"] else np.full(len(parameters), np.nan)
        high = f["parameters/high"][()] if "high" in f["parameters"] else np.full(len(parameters), np.nan)
        points = {name: _column(item) for name, item in f["design"].items()
                  if isinstance(item, h5py.Dataset) and name != "point"}
        runs = {name: _column(item) for name, item in f["runs"].items()
                if isinstance(item, h5py.Dataset) and name != "run"}
        for name in ("design_point", "status"):
            if name not in runs:
                raise FileError(f"{path}: /runs/{name} missing (docs/sweeps.md)")
        metrics = f["metrics"]
        metric_names = [name for name, item in metrics.items()
                        if isinstance(item, h5py.Dataset) and item.ndim >= 2 and name not in ("period_label",)]
        scenario = _scalar_text(f["provenance/scenario_resolved"]) if "provenance/scenario_resolved" in f else ""
        return Sweep(
            path=path,
            design=_attr_text(f.attrs.get("design"), "grid"),
            replicates=int(f.attrs.get("replicates", 1)),
            parameters=parameters,
            kind=dict(zip(parameters, kinds)),
            low=dict(zip(parameters, map(float, low))),
            high=dict(zip(parameters, map(float, high))),
            points=points,
            design_attrs={key: f["design"].attrs[key] for key in f["design"].attrs
                          if key not in ("DIMENSION_LIST", "CLASS", "NAME", "REFERENCE_LIST")},
            runs=runs,
            time=metrics["time"][()],
            period_label=_text(metrics["period_label"][()]),
            pairs=_text(metrics["pair"][()]) if "pair" in metrics else [],
            metrics=sorted(metric_names),
            agent_names=_agent_names_from_scenario(scenario),
        )


def sweep_table_xarray(path, metric, pair=None, period=None):
    """The xarray route for a sweep: the run table (/runs) as a pandas DataFrame with a column
    `metric` holding the metric at `period` (default: the last row), for `pair` if given."""
    import xarray as xr

    runs = xr.open_dataset(path, engine="netcdf4", group="runs").to_dataframe()
    metrics = xr.open_dataset(path, engine="netcdf4", group="metrics")
    values = metrics[metric]
    if pair is not None:
        values = values.sel(pair=pair)
    labels = [str(label) for label in metrics["period_label"].values]
    values = values.isel(time=period_index(labels, metrics["time"].values, period))
    runs[metric] = values.values
    return runs
