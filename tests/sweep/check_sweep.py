#!/usr/bin/python3
"""Checks a policysim sweep file against docs/sweeps.md, where users open it.

    check_sweep.py h5py      FILE            layout, dims, attributes, run table, seeds, design
                                             properties, and /statistics recomputed with numpy
    check_sweep.py xarray    FILE            every group through xarray's netcdf4 engine, each in a
                                             child process (a netCDF-C crash fails the check),
                                             values compared with h5py
    check_sweep.py docs      FILE [--docs D] runs the ```python snippets of docs/sweeps.md on FILE
    check_sweep.py reproduce FILE --policysim BIN [--run N]
                                             `policysim run` with a run's seed and parameter values
                                             gives the same metrics (and ties) as the sweep
    check_sweep.py differs   FILE --metric M [--pair P]
                                             M at the last row differs between the design points
                                             for every replicate (common random numbers), and in
                                             /statistics
    check_sweep.py all       FILE [...]      h5py, xarray and docs

Run it with Debian's /usr/bin/python3 (python3-h5py, -numpy, -xarray, -netcdf4).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
import xarray_child  # noqa: E402  (tests/support: the xarray check shared with check_output.py)
from xarray_child import CheckFailed, expect  # noqa: E402

GROUPS = ["provenance", "parameters", "design", "runs", "metrics", "statistics"]
LAYERS = ["dialogue", "cooperation", "trade"]
METRICS = {**{f"{l}_density": ("run", "time") for l in LAYERS},
           **{f"{l}_mean_strength": ("run", "time") for l in LAYERS},
           **{f"{l}_pairs": ("run", "time", "pair") for l in LAYERS}}
# The firm metrics of /metrics, present exactly when the scenario has firm populations.
FIRM_METRICS = {"b2b_cooperation_ties": ("run", "time"), "b2b_cooperation_mean_weight": ("run", "time"),
                "b2b_cooperation_mean_degree": ("run", "time"), "b2b_cooperation_pairs": ("run", "time", "pair")}
# /metrics datasets that are axes, not metrics.
METRIC_AXES = {"run", "time", "period_label", "pair", "pair_agent", "pair_partner"}
STATISTICS = ["mean", "sd", "q05", "q50", "q95"]
QUANTILES = {"q05": 0.05, "q50": 0.5, "q95": 0.95}
SCALES = {"parameter", "point", "run", "time", "pair", "agent", "partner", "snapshot_time", "chain"}
ROOT_ATTRIBUTES = ["title", "policysim_version", "design", "replicates", "common_random_numbers", "base_seed",
                   "scenario_file", "command_line", "points", "runs", "record", "spec_hash", "seed_rule"]
DOCS_PLACEHOLDER = '"output/sweep.h5"'
DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "docs" / "sweeps.md"


def is_text(dataset):
    return h5py.check_string_dtype(dataset.dtype) is not None


def texts(dataset):
    return dataset.asstr()[()].tolist() if dataset.ndim else dataset.asstr()[()]


def has_firms(f):
    """The sweep's scenario declares firm populations ([firms.populations.*])."""
    import tomllib
    scenario = tomllib.loads(texts(f["provenance/scenario_resolved"]))
    return bool(scenario.get("firms", {}).get("populations"))


def metric_names(f):
    """Every metric of /metrics (what is not an axis), in file order."""
    return [name for name in f["metrics"] if name not in METRIC_AXES]


def dims_of(dataset):
    if h5py.h5ds.is_scale(dataset.id):
        return (dataset.name.rsplit("/", 1)[-1],)
    names = []
    for axis in dataset.dims:
        expect(len(axis) == 1, f"{dataset.name}: axis without exactly one dimension scale")
        names.append(axis[0].name.rsplit("/", 1)[-1])
    return tuple(names)


# ---- h5py --------------------------------------------------------------------------------

def check_h5py(path):
    with h5py.File(path, "r") as f:
        for attribute in ROOT_ATTRIBUTES:
            expect(attribute in f.attrs, f"root attribute {attribute} missing")
        expect(f.attrs["title"] == "policysim sweep", "title")
        for group in GROUPS:
            expect(group in f, f"group /{group} missing")
        record = f.attrs["record"]
        expect(("ties" in f) == (record == "ties"), f"/ties present iff record = ties (record = {record})")
        for group_name in f:
            for name, dataset in f[group_name].items():
                expect(isinstance(dataset, h5py.Dataset), f"/{group_name}/{name} is not a dataset")
                for attribute in ("units", "long_name"):
                    expect(attribute in dataset.attrs, f"/{group_name}/{name} has no {attribute}")
                if dataset.dtype.kind in "SU":
                    raise CheckFailed(f"/{group_name}/{name}: fixed-length text (netCDF-C crashes on it)")
                if name in SCALES:
                    expect(h5py.h5ds.is_scale(dataset.id), f"/{group_name}/{name} is not a dimension scale")
                elif dataset.ndim:
                    dims_of(dataset)

        replicates = int(f.attrs["replicates"])
        parameters = texts(f["parameters/parameter"])
        points = len(f["design/point"])
        runs = len(f["runs/run"])
        expect(points == int(f.attrs["points"]) and runs == int(f.attrs["runs"]), "points/runs attributes")
        expect(runs == points * replicates, f"{runs} runs for {points} points x {replicates} replicates")
        expect(len(texts(f["parameters/kind"])) == len(parameters), "parameters/kind")

        # The run table: point-major order, each run with its point's values.
        run = f["runs/run"][()]
        point = f["runs/design_point"][()]
        replicate = f["runs/replicate"][()]
        expect(np.array_equal(run, np.arange(runs)), "runs/run is 0..R-1")
        expect(np.array_equal(point * replicates + replicate, run), "run = point * replicates + replicate")
        for name in parameters:
            expect(dims_of(f["design"][name]) == ("point",), f"design/{name} dims")
            design = f["design"][name]
            per_run = f["runs"][name]
            a = texts(design) if is_text(design) else design[()]
            b = texts(per_run) if is_text(per_run) else per_run[()]
            expect(list(np.asarray(b, dtype=object)) == list(np.asarray(a, dtype=object)[point]),
                   f"runs/{name} is not design/{name} per run")
        status = texts(f["runs/status"])
        ok = np.array([s == "ok" for s in status])
        expect(ok.all(), f"failed runs: {[s for s in status if s != 'ok'][:3]}")

        # Seeds: common random numbers give replicate r one seed at every point.
        seed = f["runs/seed"][()].reshape(points, replicates)
        if int(f.attrs["common_random_numbers"]):
            expect((seed == seed[0]).all(), "common random numbers: a replicate's seed differs between points")
            expect(len(set(seed[0])) == replicates, "common random numbers: replicates share a seed")
        else:
            expect(len(set(seed.ravel())) == runs, "independent streams: two runs share a seed")

        check_design(f, parameters, points)

        # Metrics and statistics (recomputed with numpy, failed runs left out).
        steps = int(f.attrs["steps"])
        labels = texts(f["metrics/period_label"])
        expect(len(labels) == steps + 1, "metrics/time has steps + 1 rows")
        expect(texts(f["statistics/period_label"]) == labels, "statistics/period_label")
        firms = has_firms(f)
        names = metric_names(f)
        want_metrics = {**METRICS, **(FIRM_METRICS if firms else {})}
        for name, dims in want_metrics.items():
            expect(name in names, f"metrics/{name} missing (firm populations: {firms})")
        for name in names:
            expect(firms or not name.startswith("b2b_"), f"metrics/{name} without firm populations")
            data = f["metrics"][name]
            dims = want_metrics.get(name, ("run", "time", "pair") if data.ndim == 3 else ("run", "time"))
            expect(dims_of(data) == dims, f"metrics/{name} dims {dims_of(data)}, want {dims}")
            values = data[()].astype(float)
            values[~ok] = np.nan
            grouped = values.reshape(points, replicates, *values.shape[1:])
            with np.errstate(all="ignore"):
                want = {"mean": np.nanmean(grouped, axis=1), "sd": np.nanstd(grouped, axis=1, ddof=1)}
                for key, q in QUANTILES.items():
                    want[key] = np.nanquantile(grouped, q, axis=1)
            for statistic in STATISTICS:
                got = f["statistics"][f"{name}_{statistic}"]
                expect(dims_of(got) == ("point",) + dims[1:], f"statistics/{name}_{statistic} dims")
                expect(np.allclose(got[()], want[statistic], rtol=1e-12, atol=1e-12, equal_nan=True),
                       f"statistics/{name}_{statistic} differs from numpy's")
            expect(not np.isnan(values[ok]).any(), f"metrics/{name}: NaN in an ok run")
        statistic_names = {name for name in f["statistics"]
                           if name not in METRIC_AXES | {"point", "runs_ok"}}
        expect(statistic_names == {f"{name}_{s}" for name in names for s in STATISTICS},
               f"/statistics holds {sorted(statistic_names)}, not the statistics of every metric of /metrics")
        if firms:
            check_firm_metrics(f)
        expect(np.array_equal(f["statistics/runs_ok"][()], ok.reshape(points, replicates).sum(axis=1)),
               "statistics/runs_ok")

        if "ties" in f:
            snapshot_step = f["ties/snapshot_step"][()]
            every = int(f.attrs["record_ties_every"])
            want_steps = list(range(0, steps + 1, every))
            if want_steps[-1] != steps:
                want_steps.append(steps)
            expect(list(snapshot_step) == want_steps, f"ties/snapshot_step {list(snapshot_step)}")
            agents = texts(f["ties/agent"])
            pair_agent, pair_partner = texts(f["metrics/pair_agent"]), texts(f["metrics/pair_partner"])
            tie_layers = [name for name in f["ties"] if f["ties"][name].ndim == 4]
            expect(sorted(tie_layers) == sorted(LAYERS + (["b2b_cooperation"] if firms else [])),
                   f"ties: matrices {tie_layers}")
            for layer in tie_layers:
                ties = f["ties"][layer]
                expect(dims_of(ties) == ("run", "snapshot_time", "agent", "partner"), f"ties/{layer} dims")
                expect(int(ties.attrs["directed"]) == (layer == "trade"), f"ties/{layer}: attribute directed")
                pairs = f["metrics"][f"{layer}_pairs"][()]
                for p, (a, b) in enumerate(zip(pair_agent, pair_partner)):
                    from_ties = ties[:, :, agents.index(a), agents.index(b)]
                    expect(np.array_equal(from_ties, pairs[:, snapshot_step, p]),
                           f"ties/{layer} disagrees with metrics/{layer}_pairs for {a}-{b}")
    print(f"h5py: {path}: {points} points x {replicates} replicates, {len(parameters)} parameters, ok")


def check_firm_metrics(f):
    """The firm metrics agree with one another: tie counts are whole numbers, the mean degree is
    2 ties / firms (the same number of firms in every run), a pair's ties are at most all ties."""
    ties = f["metrics/b2b_cooperation_ties"][()]
    degree = f["metrics/b2b_cooperation_mean_degree"][()]
    weight = f["metrics/b2b_cooperation_mean_weight"][()]
    pairs = f["metrics/b2b_cooperation_pairs"][()]
    expect(np.array_equal(ties, np.round(ties)) and (ties >= 0).all(), "b2b_cooperation_ties: not counts")
    expect(np.array_equal(pairs, np.round(pairs)) and (pairs >= 0).all(), "b2b_cooperation_pairs: not counts")
    expect((pairs <= ties[:, :, None]).all(), "b2b_cooperation_pairs: more ties in a pair than in all")
    expect(((weight > 0) & (weight <= 1) | (ties == 0) & (weight == 0)).all(), "b2b_cooperation_mean_weight")
    present = ties > 0
    if present.any():
        firms = 2 * ties[present] / degree[present]
        expect(np.allclose(firms, firms[0], rtol=1e-12), "b2b_cooperation_mean_degree is not 2 ties / firms")
    expect(ties.max() > 0, "no B2B cooperation tie in any run")


def check_differs(path, metric, pair=None):
    """With common random numbers, every replicate's `metric` at the last row differs between the
    design points, and so does its mean in /statistics: the swept values reach the metric."""
    with h5py.File(path, "r") as f:
        points, replicates = len(f["design/point"]), int(f.attrs["replicates"])
        expect(points >= 2, "fewer than two design points")
        expect(int(f.attrs["common_random_numbers"]) == 1, "needs common random numbers")
        data = f["metrics"][metric]
        mean = f["statistics"][f"{metric}_mean"]
        column = () if pair is None else (texts(f["metrics/pair"]).index(pair),)
        last = data[(slice(None), -1) + column].reshape(points, replicates)
        means = mean[(slice(None), -1) + column]
        for r in range(replicates):
            expect(len(set(last[:, r])) == points, f"{metric}: replicate {r} gives {list(last[:, r])} at the points")
        expect(len(set(means)) == points, f"statistics/{metric}_mean at the last row: {list(means)}")
        expect(np.allclose(means, last.mean(axis=1), rtol=1e-12), f"statistics/{metric}_mean is not the mean")
        what = metric if pair is None else f"{metric} {pair}"
        print(f"differs: {what} at the last row, per point: {[float(m) for m in means]}")


def check_design(f, parameters, points):
    design = f.attrs["design"]
    columns = {}
    for name in parameters:
        dataset = f["design"][name]
        columns[name] = np.asarray(texts(dataset), dtype=object) if is_text(dataset) else dataset[()]
    low = f["parameters/low"][()]
    high = f["parameters/high"][()]
    if design == "latin_hypercube":
        for i, name in enumerate(parameters):
            if np.isnan(low[i]) or f["parameters/kind"].asstr()[i] != "number":
                continue
            strata = np.floor((columns[name] - low[i]) / (high[i] - low[i]) * points).astype(int)
            expect(sorted(strata) == list(range(points)), f"latin hypercube: {name} is not one point per stratum")
    if design == "grid":
        levels = [len(set(columns[name].tolist())) for name in parameters]
        expect(int(np.prod(levels)) == points, f"grid: {points} points for levels {levels}")
        rows = {tuple(columns[name][p] for name in parameters) for p in range(points)}
        expect(len(rows) == points, "grid: repeated points")
    if design == "morris":
        trajectory = f["design/morris_trajectory"][()]
        changed = f["design/morris_changed_parameter"][()]
        levels = int(f["design"].attrs["morris_levels"])
        delta = levels / (2 * (levels - 1))
        for p in range(1, points):
            if trajectory[p] != trajectory[p - 1]:
                expect(changed[p] == -1, "morris: a trajectory's first point has a changed parameter")
                continue
            moved = [i for i, name in enumerate(parameters) if columns[name][p] != columns[name][p - 1]]
            expect(moved == [changed[p]], f"morris: point {p} moves {moved}, recorded {changed[p]}")
            i = moved[0]
            if not np.isnan(low[i]) and f["parameters/kind"].asstr()[i] == "number":
                step = abs(columns[parameters[i]][p] - columns[parameters[i]][p - 1]) / (high[i] - low[i])
                expect(abs(step - delta) < 1e-9, f"morris: step {step}, want delta {delta}")
    if design == "saltelli":
        sample = f["design/saltelli_sample"][()]
        block = texts(f["design/saltelli_block"])
        k = len(parameters)
        expect(points == int(f["design"].attrs["saltelli_base_samples"]) * (k + 2), "saltelli: N (k + 2) points")
        for first in range(0, points, k + 2):
            expect(block[first:first + 2] == ["A", "B"] and block[first + 2:first + k + 2] == parameters,
                   f"saltelli: blocks {block[first:first + k + 2]}")
            expect(len(set(sample[first:first + k + 2])) == 1, "saltelli: a base sample's points")
            for i, name in enumerate(parameters):
                ab = first + 2 + i
                for other in parameters:
                    source = first + 1 if other == name else first
                    expect(columns[other][ab] == columns[other][source], f"saltelli: AB_{i} column {other}")


# ---- xarray, one child process per group -------------------------------------------------

def check_xarray_group(path, group_name):
    """Runs in a child: one group through xarray, compared with h5py."""
    xarray_child.check_group(path, group_name, root_attributes=ROOT_ATTRIBUTES, scales=SCALES, dims_of=dims_of,
                             dataframe_groups=("runs", "metrics", "statistics", "design"))


def check_xarray(path):
    with h5py.File(path, "r") as f:
        groups = list(f.keys())
    xarray_child.check_groups(__file__, path, groups)


# ---- docs/sweeps.md snippets ---------------------------------------------------------------

def check_docs(path, docs):
    text = Path(docs).read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    expect(len(blocks) >= 2, f"{docs}: only {len(blocks)} ```python snippets")
    expect(all(DOCS_PLACEHOLDER in block for block in blocks), f"{docs}: a snippet does not open {DOCS_PLACEHOLDER}")
    with h5py.File(path, "r") as f:
        for group_name in f:
            expect(f"`/{group_name}`" in text, f"{docs}: group /{group_name} is not described")
            for name in f[group_name]:
                if name in f["parameters/parameter"].asstr()[()]:
                    continue  # the swept parameters' datasets are named by their key paths
                generic = re.sub(r"^(dialogue|cooperation|trade)_", "<layer>_", name)
                generic = re.sub(r"_(mean|sd|q05|q50|q95)$", "_<statistic>", generic)
                expect(f"`{name}`" in text or f"`{generic}`" in text or (name in LAYERS and "`<layer>`" in text),
                       f"{docs}: dataset /{group_name}/{name} is not described")
    with tempfile.TemporaryDirectory() as folder:
        for number, block in enumerate(blocks, start=1):
            code = block.replace(DOCS_PLACEHOLDER, repr(str(Path(path).resolve())))
            script = Path(folder) / f"snippet_{number}.py"
            script.write_text(code, encoding="utf-8")
            result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=folder,
                                    env=dict(os.environ, MPLBACKEND="Agg"))
            if result.returncode != 0:
                raise CheckFailed(f"{docs}: python snippet {number} failed ({result.returncode}):\n{block}\n"
                                  f"{result.stdout}{result.stderr}")
    print(f"docs: {len(blocks)} snippets of {docs} ran on {path}")


# ---- a sweep run is a plain run -------------------------------------------------------------

def toml_literal(value):
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))  # the shortest text of the same double
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_reproduce(path, policysim, run):
    with h5py.File(path, "r") as f:
        scenario = f.attrs["scenario_file"]
        parameters = texts(f["parameters/parameter"])
        kinds = texts(f["parameters/kind"])
        runs = len(f["runs/run"])
        run = run if run is not None else runs - 1
        arguments = ["--seed", str(int(f["runs/seed"][run]))]
        for name, kind in zip(parameters, kinds):
            dataset = f["runs"][name]
            value = texts(dataset)[run] if is_text(dataset) else dataset[run]
            if kind == "boolean":
                value = bool(value)
            arguments += ["--set", f"{name}={toml_literal(value)}"]
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "run.h5"
            result = subprocess.run([policysim, "run", scenario, *arguments, "--out", str(out), "--quiet"],
                                    capture_output=True, text=True)
            expect(result.returncode == 0, f"policysim run failed: {result.stderr}")
            with h5py.File(out, "r") as single:
                compared = dict.fromkeys(METRICS)
                if has_firms(f):
                    # As a run's file has them: the same datasets of /metrics, or from /ties and /firms.
                    agents = texts(single["ties/agent"])
                    by_country = single["ties/b2b_cooperation"][()]
                    compared["b2b_cooperation_ties"] = compared["b2b_cooperation_mean_weight"] = None
                    compared["b2b_cooperation_mean_degree"] = (
                        2 * single["metrics/b2b_cooperation_ties"][()] / len(single["firms/firm"]))
                    compared["b2b_cooperation_pairs"] = np.stack(
                        [by_country[:, agents.index(a), agents.index(b)]
                         for a, b in zip(texts(f["metrics/pair_agent"]), texts(f["metrics/pair_partner"]))], axis=1)
                expect(set(compared) == set(metric_names(f)), f"metrics {metric_names(f)}, compared {list(compared)}")
                for name, want in compared.items():
                    want = single["metrics"][name][()] if want is None else want
                    expect(np.array_equal(want, f["metrics"][name][run]),
                           f"run {run}: metrics/{name} differs from `policysim run {' '.join(arguments)}`")
                if "ties" in f:
                    steps = f["ties/snapshot_step"][()]
                    for layer in LAYERS + (["b2b_cooperation"] if has_firms(f) else []):
                        expect(np.array_equal(single["ties"][layer][()][steps], f["ties"][layer][run]),
                               f"run {run}: ties/{layer} differs")
    print(f"reproduce: run {run} of {path} = policysim run {' '.join(arguments)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("check", choices=["h5py", "xarray", "docs", "reproduce", "differs", "all", "xarray-group"])
    parser.add_argument("file")
    parser.add_argument("group", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--docs", default=str(DEFAULT_DOCS))
    parser.add_argument("--policysim")
    parser.add_argument("--run", type=int)
    parser.add_argument("--metric", help="differs: the metric of /metrics")
    parser.add_argument("--pair", help="differs: the pair of a per-pair metric")
    arguments = parser.parse_args()
    try:
        expect(Path(arguments.file).is_file(), f"{arguments.file}: no such file")
        if arguments.check == "xarray-group":
            check_xarray_group(arguments.file, arguments.group)
        if arguments.check in ("h5py", "all"):
            check_h5py(arguments.file)
        if arguments.check in ("xarray", "all"):
            check_xarray(arguments.file)
        if arguments.check in ("docs", "all"):
            check_docs(arguments.file, arguments.docs)
        if arguments.check == "reproduce":
            check_reproduce(arguments.file, arguments.policysim, arguments.run)
        if arguments.check == "differs":
            check_differs(arguments.file, arguments.metric, arguments.pair)
    except CheckFailed as failure:
        print(f"check_sweep.py {arguments.check} {arguments.file}: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
