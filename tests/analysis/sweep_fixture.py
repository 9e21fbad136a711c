"""TEST FIXTURE, not the sweep runner: writes small sweep files laid out as docs/sweeps.md says,
with h5py, so that the analysis package's sweep, sensitivity and discover commands can be
tested before (and besides) files from `policysim sweep`. The "model" is a formula of the
parameters given by each test, so that the right answers are known.

    write_sweep(path, design="grid", parameters=[("shifts.ISR.china_ties", "number", 0, 1)],
                points={"shifts.ISR.china_ties": [0, 0.5, 1]}, model=lambda p, rep, t: ...)
"""
import warnings

import h5py
import numpy as np

LAYERS = ("dialogue", "cooperation", "trade")
STRING = h5py.string_dtype(encoding="utf-8")


def _scale(group, name, values, dtype=None, units="", long_name=""):
    data = np.asarray(values, dtype=object) if dtype is STRING else np.asarray(values, dtype=dtype)
    dataset = group.create_dataset(name, data=data, dtype=dtype or data.dtype)
    dataset.make_scale(name)
    dataset.attrs["units"] = units
    dataset.attrs["long_name"] = long_name or name
    return dataset


def _dataset(group, name, values, dims, units="1", long_name="", dtype=None):
    if dtype is STRING:
        dataset = group.create_dataset(name, data=np.asarray(values, dtype=object), dtype=STRING)
    else:
        dataset = group.create_dataset(name, data=np.asarray(values, dtype=dtype))
    for axis, dim in enumerate(dims):
        dataset.dims[axis].attach_scale(group[dim])
    dataset.attrs["units"] = units
    dataset.attrs["long_name"] = long_name or name
    return dataset


def quarters(start_year, count):
    labels = [f"{start_year + q // 4}Q{q % 4 + 1}" for q in range(count)]
    return np.array([start_year + q / 4 for q in range(count)]), labels


def grid_points(levels):
    """levels: {name: values}; every combination, the first name varying slowest."""
    names = list(levels)
    mesh = np.meshgrid(*[np.asarray(levels[n], dtype=float) for n in names], indexing="ij")
    return {name: m.ravel() for name, m in zip(names, mesh)}


def write_sweep(path, design, parameters, points, model, replicates=3, design_columns=None, design_attrs=None,
                start_year=2020, quarters_count=41, pairs=("JPN-ISR", "JPN-USA"), failed_runs=(), seed=1):
    """parameters: list of (key path, kind, low, high); points: {key path: values per design
    point}; design_columns: extra /design datasets (morris_trajectory, saltelli_block, ...);
    model(params, replicate, time) -> {metric name: array [time] or [time, pair]} for one run,
    `params` a dict of that run's parameter values. Metrics not returned are filled with a
    smooth default so that every dataset of docs/sweeps.md exists."""
    names = [p[0] for p in parameters]
    n_points = len(points[names[0]])
    n_runs = n_points * replicates
    time, labels = quarters(start_year, quarters_count)
    run_point = np.repeat(np.arange(n_points), replicates)
    run_replicate = np.tile(np.arange(replicates), n_points)
    metrics = {}
    for layer in LAYERS:
        metrics[f"{layer}_density"] = np.zeros((n_runs, len(time)))
        metrics[f"{layer}_mean_strength"] = np.zeros((n_runs, len(time)))
        metrics[f"{layer}_pairs"] = np.zeros((n_runs, len(time), len(pairs)))
    status = []
    for run in range(n_runs):
        params = {name: points[name][run_point[run]] for name in names}
        if run in failed_runs:
            status.append("failed: fixture failure")
            for values in metrics.values():
                values[run] = np.nan
            continue
        status.append("ok")
        for name, values in model(params, int(run_replicate[run]), time).items():
            metrics[name][run] = values
    with h5py.File(path, "w") as f:
        f.attrs["title"] = "policysim sweep (analysis test fixture)"
        f.attrs["policysim_version"] = "fixture"
        f.attrs["design"] = design
        f.attrs["replicates"] = np.int64(replicates)
        f.attrs["common_random_numbers"] = np.int64(1)
        f.attrs["base_seed"] = np.uint64(seed)
        f.attrs["scenario_file"] = "scenarios/baseline.toml"
        f.attrs["command_line"] = "tests/analysis/sweep_fixture.py"

        provenance = f.create_group("provenance")
        scenario = ('[governments.JPN]\nname = "Japan"\n[governments.ISR]\nname = "Israel"\n'
                    '[governments.USA]\nname = "United States"\n')
        for name, text in (("scenario_resolved", scenario), ("sweep_spec", f'[sweep]\ndesign = "{design}"\n'),
                           ("command_line", "fixture"), ("program_version", "fixture")):
            provenance.create_dataset(name, data=text, dtype=STRING)

        group = f.create_group("parameters")
        _scale(group, "parameter", names, STRING, long_name="swept parameter (key path)")
        _dataset(group, "kind", [p[1] for p in parameters], ["parameter"], "", dtype=STRING)
        _dataset(group, "low", [float(p[2]) for p in parameters], ["parameter"], "1", dtype=float)
        _dataset(group, "high", [float(p[3]) for p in parameters], ["parameter"], "1", dtype=float)

        group = f.create_group("design")
        _scale(group, "point", np.arange(n_points), np.int64, "1")
        for (name, kind, _, _) in parameters:
            dtype = STRING if kind == "string" else (np.int64 if kind in ("integer", "boolean") else np.float64)
            _dataset(group, name, points[name], ["point"], "" if kind == "string" else "1", dtype=dtype)
        for name, values in (design_columns or {}).items():
            values = np.asarray(values)
            _dataset(group, name, values, ["point"], "" if values.dtype.kind in "OU" else "1",
                     dtype=STRING if values.dtype.kind in "OU" else values.dtype)
        for key, value in (design_attrs or {}).items():
            group.attrs[key] = value

        group = f.create_group("runs")
        _scale(group, "run", np.arange(n_runs), np.int64, "1")
        _dataset(group, "design_point", run_point, ["run"], dtype=np.int64)
        _dataset(group, "replicate", run_replicate, ["run"], dtype=np.int64)
        _dataset(group, "seed", seed + np.arange(n_runs), ["run"], dtype=np.uint64)
        _dataset(group, "status", status, ["run"], "", dtype=STRING)
        _dataset(group, "wall_seconds", np.full(n_runs, 0.01), ["run"], "s", dtype=np.float64)
        for (name, kind, _, _) in parameters:
            dtype = STRING if kind == "string" else (np.int64 if kind in ("integer", "boolean") else np.float64)
            _dataset(group, name, np.asarray(points[name])[run_point], ["run"], "" if kind == "string" else "1",
                     dtype=dtype)

        group = f.create_group("metrics")
        _scale(group, "run", np.arange(n_runs), np.int64, "1")
        _scale(group, "time", time, np.float64, "year")
        _scale(group, "pair", list(pairs), STRING)
        _dataset(group, "period_label", labels, ["time"], "", dtype=STRING)
        for name, values in metrics.items():
            units = "US$ millions per year" if name.startswith("trade") and not name.endswith("density") else "1"
            dims = ["run", "time", "pair"] if name.endswith("_pairs") else ["run", "time"]
            _dataset(group, name, values, dims, units, dtype=np.float64)

        group = f.create_group("statistics")
        _scale(group, "point", np.arange(n_points), np.int64, "1")
        _scale(group, "time", time, np.float64, "year")
        _scale(group, "pair", list(pairs), STRING)
        for name, values in metrics.items():
            per_point = values.reshape((n_points, replicates) + values.shape[1:])
            dims = ["point", "time", "pair"] if name.endswith("_pairs") else ["point", "time"]
            with warnings.catch_warnings():    # all-NaN points (every replicate failed)
                warnings.simplefilter("ignore", RuntimeWarning)
                _dataset(group, f"{name}_mean", np.nanmean(per_point, axis=1), dims, dtype=np.float64)
                _dataset(group, f"{name}_sd", np.nanstd(per_point, axis=1, ddof=1), dims, dtype=np.float64)
                for q in (5, 50, 95):   # np.percentile: fast; NaN where a replicate failed (a fixture)
                    _dataset(group, f"{name}_q{q:02d}", np.percentile(per_point, q, axis=1), dims, dtype=np.float64)
    return path
