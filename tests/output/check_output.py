#!/usr/bin/python3
"""Checks that a policysim HDF5 file opens where users open it, with the layout docs/output.md
describes.

    check_output.py h5py   FILE            layout, dims, attributes, dtypes, cross-checks (h5py)
    check_output.py xarray FILE            every group through xarray's netcdf4 engine, each in a
                                           child process (a netCDF-C crash fails the check
                                           instead of killing it), values compared with h5py
    check_output.py docs   FILE [--docs D] runs the ```python snippets of docs/output.md on FILE
    check_output.py all    FILE [--docs D] the three

FILE may be any run's output (the test sample or `policysim run ... --out FILE`).
Run it with Debian's /usr/bin/python3, which sees python3-h5py, -xarray and -netcdf4.
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
import xarray_child  # noqa: E402  (tests/support: the xarray check shared with check_sweep.py)
from xarray_child import CheckFailed, expect  # noqa: E402

GROUPS = ["provenance", "agents", "ties", "state", "metrics", "events", "pairs", "milestones"]
TIME_GROUPS = ["ties", "state", "metrics", "pairs"]
MILESTONE_KINDS = {"dialogue_held", "mou_signed"}
LAYERS = ["dialogue", "cooperation", "trade"]
ROOT_ATTRIBUTES = ["title", "policysim_version", "seed", "scenario_file", "command_line", "start_period", "steps",
                   "time_convention"]
DOCS_PLACEHOLDER = '"run.h5"'  # the path the snippets of docs/output.md open
DEFAULT_DOCS = Path(__file__).resolve().parents[2] / "docs" / "output.md"

# Expected dimensions of each dataset, by group; `None` for scalars.
EXPECTED_DIMS = {
    "provenance": {
        "scenario_resolved": None, "scenario_file": None, "command_line": None, "program_version": None,
        "seed": None, "chain": ("chain",), "extends_chain": ("chain",),
    },
    "agents": {
        "agent": ("agent",), "name": ("agent",), "kind": ("agent",), "initial_leader": ("agent",),
        "stable_id": ("agent",),
        # and one float64 dataset per government attribute, ("agent",)
    },
    "ties": {
        "time": ("time",), "period_label": ("time",), "year": ("time",), "agent": ("agent",), "partner": ("partner",),
        **{layer: ("time", "agent", "partner") for layer in LAYERS},
        "b2b_cooperation": ("time", "agent", "partner"),  # only with firms
        "b2b_trade": ("time", "agent", "partner"),  # only with firm trade
    },
    "state": {
        "time": ("time",), "period_label": ("time",), "year": ("time",), "agent": ("agent",),
        "leader": ("time", "agent"), "china_ties": ("time", "agent"), "cyber_threat": ("time", "agent"),
        "cyber_threat_level": ("time", "agent"), "third_party_pressure": ("time", "agent"),
    },
    "metrics": {
        "time": ("time",), "period_label": ("time",), "year": ("time",), "pair": ("pair",), "pair_agent": ("pair",),
        "pair_partner": ("pair",),
        **{f"{layer}_density": ("time",) for layer in LAYERS},
        **{f"{layer}_mean_strength": ("time",) for layer in LAYERS},
        **{f"{layer}_pairs": ("time", "pair") for layer in LAYERS},
        "b2b_cooperation_ties": ("time",), "b2b_cooperation_mean_weight": ("time",),  # only with firms
        "b2b_trade_flows": ("time",), "b2b_trade_value": ("time",),  # only with firm trade
    },
    "events": {
        "event": ("event",), "period_label": ("event",), "event_time": ("event",), "name": ("event",),
        "kind": ("event",), "detail": ("event",),
    },
    "pairs": {
        "time": ("time",), "period_label": ("time",), "year": ("time",), "agent": ("agent",), "partner": ("partner",),
        # and one float64 dataset per pair attribute, ("time", "agent", "partner")
    },
    "milestones": {
        "milestone": ("milestone",), "period_label": ("milestone",), "milestone_time": ("milestone",),
        "pair_label": ("milestone",), "pair_agent": ("milestone",), "pair_partner": ("milestone",),
        "kind": ("milestone",), "strength": ("milestone",),
    },
    # Only when the scenario declares firm populations.
    "firms": {
        "firm": ("firm",), "country": ("firm",), "sector": ("firm",), "population": ("firm",), "member": ("firm",),
        "size": ("firm",), "innovation": ("firm",), "risk_tolerance": ("firm",), "active": ("firm",),
        "acquired_by": ("firm",), "acquired_period": ("firm",),
    },
    # The names behind /firms' country, sector and population codes, each its own text axis.
    "firm_categories": {"country": ("country",), "sector": ("sector",), "population": ("population",),
                        "period": ("period",)},
    "b2b_cooperation": {
        "tie": ("tie",), "firm_a": ("tie",), "firm_b": ("tie",), "weight": ("tie",),
        "snapshot": ("snapshot",), "snapshot_time": ("snapshot",), "period_label": ("snapshot",),
        "first_row": ("snapshot",), "rows": ("snapshot",),
    },
    # Only with [firms.trade].
    "b2b_trade": {
        "flow": ("flow",), "seller": ("flow",), "buyer": ("flow",), "value": ("flow",),
        "snapshot": ("snapshot",), "snapshot_time": ("snapshot",), "period_label": ("snapshot",),
        "first_row": ("snapshot",), "rows": ("snapshot",),
    },
}
OPTIONAL_GROUPS = ["firms", "firm_categories", "b2b_cooperation", "b2b_trade"]


def groups_in(f):
    """The required groups, then the optional ones the file has."""
    return GROUPS + [name for name in OPTIONAL_GROUPS if name in f]
OPTIONAL_DATASETS = {"b2b_cooperation", "b2b_cooperation_ties", "b2b_cooperation_mean_weight", "b2b_trade",
                     "b2b_trade_flows", "b2b_trade_value"}
SCALES = {"time", "agent", "partner", "pair", "event", "chain", "milestone", "firm", "tie", "flow"}
# Scales of one group only (elsewhere the same names are codes on another axis: /firms/country).
GROUP_SCALES = {"firm_categories": {"country", "sector", "population", "period"}}


def scales_of(group_name):
    return SCALES | GROUP_SCALES.get(group_name, set())


def is_text(dataset):
    return dataset.dtype.kind == "O" and h5py.check_string_dtype(dataset.dtype) is not None


def texts(dataset):
    """A string dataset as a numpy array of str (h5py gives bytes unless asked)."""
    return np.asarray(dataset.asstr()[()], dtype=object)


def is_scale(dataset):
    return h5py.h5ds.is_scale(dataset.id)  # h5py 3.7 (Debian 12) has no Dataset.is_scale


def dims_of(dataset):
    """The dimension names of a dataset: its own name for a scale, else the attached scales'."""
    if is_scale(dataset):
        return (h5py.h5ds.get_scale_name(dataset.id).decode(),)
    names = []
    for axis in range(dataset.ndim):
        attached = list(dataset.dims[axis].keys())
        expect(len(attached) == 1, f"{dataset.name}: axis {axis} has {len(attached)} dimension scales, wants 1")
        names.append(attached[0])
    return tuple(names)


def decimal_year(label):
    match = re.fullmatch(r"(\d{4})Q([1-4])", label)
    expect(match is not None, f"period label {label!r} is not like 2014Q3")
    return int(match.group(1)) + (int(match.group(2)) - 1) / 4


def fnv1a(code):
    value = 2166136261
    for byte in code.encode():
        value = ((value ^ byte) * 16777619) % 2**32
    return value


# ---- h5py ---------------------------------------------------------------------------------

def check_dataset_rules(group, name, dataset):
    where = dataset.name
    for attribute in ("units", "long_name"):
        expect(attribute in dataset.attrs, f"{where}: no {attribute} attribute")
        expect(isinstance(dataset.attrs[attribute], str), f"{where}: {attribute} is not a (variable-length) string")
    expect(dataset.attrs["long_name"] != "", f"{where}: empty long_name")
    expect(dataset.dtype.names is None, f"{where}: compound type")
    if dataset.dtype.kind in "SUO":
        info = h5py.check_string_dtype(dataset.dtype)
        expect(info is not None and info.length is None,
               f"{where}: fixed-length strings (netCDF-C crashes on them); want variable-length")
        expect(info.encoding == "utf-8", f"{where}: strings are {info.encoding}, want utf-8")
    else:
        expect(dataset.dtype.kind in "fiu", f"{where}: unexpected dtype {dataset.dtype}")

    expected = EXPECTED_DIMS[group.name.strip("/")].get(name)
    if expected is None and group.name == "/agents" and dataset.dtype == np.float64:
        expected = ("agent",)  # a government attribute
    if expected is None and group.name == "/state" and dataset.dtype == np.float64:
        expected = ("time", "agent")  # a government attribute over time
    if expected is None and group.name == "/pairs" and dataset.dtype == np.float64:
        expected = ("time", "agent", "partner")  # a pair attribute
    expect(name in EXPECTED_DIMS[group.name.strip("/")] or expected is not None, f"{where}: not in the layout")
    if expected is None:
        expect(dataset.shape == (), f"{where}: want a scalar, shape is {dataset.shape}")
        return
    dims = dims_of(dataset)
    expect(dims == expected, f"{where}: dims {dims}, want {expected}")
    # Self-contained groups: the scales live in the same group as the data.
    for axis in range(dataset.ndim):
        scale = dataset if is_scale(dataset) else dataset.dims[axis][0]
        expect(scale.parent.name == group.name, f"{where}: scale {scale.name} is outside {group.name}")
    if dims[0] in ("time", "event", "milestone"):
        expect(dataset.maxshape[0] is None, f"{where}: first axis {dims[0]} is not extendible")
        expect(dataset.chunks is not None, f"{where}: not chunked")
        if not is_text(dataset):
            expect(dataset.compression == "gzip" and dataset.shuffle, f"{where}: not shuffled + deflated")


def check_h5py(path):
    with h5py.File(path, "r") as f:
        for attribute in ROOT_ATTRIBUTES:
            expect(attribute in f.attrs, f"/: no {attribute} attribute")
        for attribute in ("title", "policysim_version", "scenario_file", "command_line", "start_period"):
            expect(isinstance(f.attrs[attribute], str), f"/: {attribute} is not a string")
        for group_name in groups_in(f):
            expect(group_name in f, f"no /{group_name} group")
            group = f[group_name]
            for name, dataset in group.items():
                expect(isinstance(dataset, h5py.Dataset), f"{dataset.name}: a group inside a group")
                check_dataset_rules(group, name, dataset)
            for name in EXPECTED_DIMS[group_name]:
                expect(name in group or name in OPTIONAL_DATASETS, f"/{group_name}/{name} is missing")
            for scale in scales_of(group_name) & set(group):
                expect(is_scale(group[scale]), f"/{group_name}/{scale} is not a dimension scale")

        # Provenance agrees with the root attributes.
        prov = f["provenance"]
        expect(int(prov["seed"][()]) == int(f.attrs["seed"]), "provenance/seed differs from the seed attribute")
        expect(prov["scenario_file"].asstr()[()] == f.attrs["scenario_file"], "scenario_file differs")
        expect(prov["command_line"].asstr()[()] == f.attrs["command_line"], "command_line differs")
        expect(prov["program_version"].asstr()[()] == f.attrs["policysim_version"], "program_version differs")
        chain = list(texts(prov["extends_chain"]))
        expect(not chain or chain[0] == f.attrs["scenario_file"], "extends_chain does not start with the file")
        expect(list(prov["chain"][()]) == list(range(len(chain))), "provenance/chain is not 0, 1, ...")

        # Agents: the same codes on every agent axis; stable ids are FNV-1a of the codes.
        codes = list(texts(f["agents/agent"]))
        expect(len(set(codes)) == len(codes), "agent codes repeat")
        expect(list(f["agents/stable_id"][()]) == [fnv1a(code) for code in codes], "stable_id is not FNV-1a of code")
        expect(set(texts(f["agents/kind"])) <= {"country", "organisation"}, "agents/kind has an unknown kind")
        for group_name, axis in (("ties", "agent"), ("ties", "partner"), ("state", "agent"), ("pairs", "agent"),
                                 ("pairs", "partner")):
            expect(list(texts(f[group_name][axis])) == codes, f"/{group_name}/{axis} differs from /agents/agent")

        # One time axis, the same in every group: a CF time coordinate (days since the start of the
        # first quarter, standard calendar) with the decimal year beside it; labels, days and years agree.
        days = f["ties/time"][()]
        time = f["ties/year"][()]  # decimal years, what the checks below compare with
        labels = list(texts(f["ties/period_label"]))
        for group_name in TIME_GROUPS:
            expect(np.array_equal(f[group_name]["time"][()], days), f"/{group_name}/time differs from /ties/time")
            expect(np.array_equal(f[group_name]["year"][()], time), f"/{group_name}/year differs from /ties/year")
            expect(list(texts(f[group_name]["period_label"])) == labels, f"/{group_name}/period_label differs")
            expect(f[group_name]["time"].attrs["calendar"] == "standard", f"/{group_name}/time: calendar is not standard")
        expect([decimal_year(label) for label in labels] == list(time), "year is not the decimal year of period_label")
        expect(np.all(np.diff(time) == 0.25), "year does not advance by one quarter per row")
        if labels:
            start = labels[0]
            expect(f["ties/time"].attrs["units"] == f"days since {start[:4]}-{3 * (int(start[5]) - 1) + 1:02d}-01",
                   f"/ties/time units {f['ties/time'].attrs['units']!r} do not name the first quarter's start")
            first_days = [np.datetime64(f"{label[:4]}-{3 * (int(label[5]) - 1) + 1:02d}-01") for label in labels]
            expect([int((day - first_days[0]) / np.timedelta64(1, "D")) for day in first_days] == list(days),
                   "time is not the days from the first quarter's start to each quarter's start")
        rows, n = len(time), len(codes)
        for layer in LAYERS:
            expect(f["ties"][layer].shape == (rows, n, n), f"/ties/{layer} has shape {f['ties'][layer].shape}")

        # Every agent-by-agent dataset of /ties says whether it is directed (the reader draws it so).
        for name in f["ties"]:
            if f["ties"][name].ndim == 3:
                expect("directed" in f["ties"][name].attrs, f"/ties/{name} has no directed attribute")
        for name, want in (("trade", 1), ("b2b_trade", 1), ("dialogue", 0), ("b2b_cooperation", 0)):
            if name in f["ties"]:
                expect(int(f["ties"][name].attrs.get("directed", -1)) == want, f"/ties/{name}: directed is not {want}")

        # Metrics agree with the ties they summarise.
        metrics = f["metrics"]
        pairs = list(texts(metrics["pair"]))
        pair_agents, pair_partners = list(texts(metrics["pair_agent"])), list(texts(metrics["pair_partner"]))
        expect(pairs == [f"{a}-{b}" for a, b in zip(pair_agents, pair_partners)], "pair labels are not agent-partner")
        off_diagonal = ~np.eye(n, dtype=bool)
        for layer in LAYERS:
            ties = f["ties"][layer][()]
            expected_pairs = np.stack([ties[:, codes.index(a), codes.index(b)]
                                       for a, b in zip(pair_agents, pair_partners)], axis=1) \
                if pairs else np.zeros((rows, 0))
            expect(np.array_equal(metrics[f"{layer}_pairs"][()], expected_pairs), f"{layer}_pairs differ from /ties")
            threshold = metrics[f"{layer}_density"].attrs["presence_threshold"]
            present = (ties > threshold) & off_diagonal
            density = present.sum(axis=(1, 2)) / max(n * (n - 1), 1)
            expect(np.allclose(metrics[f"{layer}_density"][()], density), f"{layer}_density differs from /ties")
            strength = np.where(present, ties, 0).sum(axis=(1, 2)) / np.maximum(present.sum(axis=(1, 2)), 1)
            expect(np.allclose(metrics[f"{layer}_mean_strength"][()], strength), f"{layer}_mean_strength differs")

        # Events: one entry per index, times match labels, within the run.
        events = f["events"]
        count = len(events["event"])
        expect(list(events["event"][()]) == list(range(count)), "events/event is not 0, 1, ...")
        for name in EXPECTED_DIMS["events"]:
            expect(len(events[name]) == count, f"/events/{name} has {len(events[name])} entries, want {count}")
        event_labels = list(texts(events["period_label"]))
        expect([decimal_year(label) for label in event_labels] == list(events["event_time"][()]),
               "events/event_time is not the decimal year of events/period_label")
        if count and rows:
            expect(min(events["event_time"][()]) >= time[0], "an event before the first recorded quarter")

        # Pair attributes: one [time, agent, partner] dataset each, symmetric, in [0, 1].
        attributes = [name for name in f["pairs"] if name not in EXPECTED_DIMS["pairs"]]
        expect(attributes, "/pairs holds no pair attribute")
        for name in attributes:
            values = f["pairs"][name][()]
            expect(values.shape == (rows, n, n), f"/pairs/{name} has shape {values.shape}")
            expect(np.array_equal(values, values.transpose(0, 2, 1)), f"/pairs/{name} is not symmetric")
            expect(((values >= 0) & (values <= 1)).all(), f"/pairs/{name} leaves [0, 1]")

        # Milestones: one entry per index, known kinds, pairs in one order with /metrics, within the run.
        milestones = f["milestones"]
        logged = len(milestones["milestone"])
        expect(list(milestones["milestone"][()]) == list(range(logged)), "milestones/milestone is not 0, 1, ...")
        for name in EXPECTED_DIMS["milestones"]:
            expect(len(milestones[name]) == logged, f"/milestones/{name} has {len(milestones[name])} entries")
        expect(set(texts(milestones["kind"])) <= MILESTONE_KINDS, "milestones/kind has an unknown kind")
        firsts, seconds = list(texts(milestones["pair_agent"])), list(texts(milestones["pair_partner"]))
        expect(list(texts(milestones["pair_label"])) == [f"{a}-{b}" for a, b in zip(firsts, seconds)],
               "milestones/pair_label is not pair_agent-pair_partner")
        # One pair order in the file: a pair of interest as /metrics/pair writes it, any other by code.
        expect(all(a in codes and b in codes for a, b in zip(firsts, seconds)), "a milestone pair names an unknown code")
        expect(all((f"{a}-{b}" in pairs) if f"{b}-{a}" in pairs or f"{a}-{b}" in pairs else a < b
                   for a, b in zip(firsts, seconds)),
               "a milestone pair is not in the order of /metrics/pair (a pair of interest) or of the codes (others)")
        milestone_labels = list(texts(milestones["period_label"]))
        expect([decimal_year(label) for label in milestone_labels] == list(milestones["milestone_time"][()]),
               "milestones/milestone_time is not the decimal year of milestones/period_label")
        expect(list(milestones["milestone_time"][()]) == sorted(milestones["milestone_time"][()]),
               "milestones are not in time order")
        if logged and rows:
            expect(min(milestones["milestone_time"][()]) >= time[0], "a milestone before the first recorded quarter")
            expect(max(milestones["milestone_time"][()]) < time[-1], "a milestone after the last simulated quarter")

        # Firms: the codes are rows of the name tables; the countries are the agent axis; a bought
        # firm is inactive and names an active buyer in the table.
        if "firms" in f:
            expect("firm_categories" in f, "/firms without /firm_categories")
            categories = f["firm_categories"]
            expect(list(texts(categories["country"])) == codes, "/firm_categories/country differs from /agents/agent")
            # The quarters simulated: one a step, the time axis' labels but its last (the world after).
            expect(list(texts(categories["period"])) == labels[:-1], "/firm_categories/period is not the steps' quarters")
            for column, axis, missing in (("country", "country", False), ("sector", "sector", False),
                                          ("population", "population", False), ("acquired_period", "period", True)):
                values, names = f["firms"][column][()], texts(categories[axis])
                lowest = -1 if missing else 0
                expect(values.dtype.kind == "i" and np.all((values >= lowest) & (values < len(names))),
                       f"/firms/{column} has codes outside /firm_categories/{axis}")
                expect(len(set(names)) == len(names), f"/firm_categories/{axis} repeats a name")
            active, bought_by = f["firms/active"][()], f["firms/acquired_by"][()]
            periods = f["firms/acquired_period"][()]
            expect(np.array_equal(active == 0, bought_by >= 0), "/firms/active disagrees with acquired_by")
            expect(np.array_equal(bought_by >= 0, periods >= 0), "acquired_period without acquired_by")
            expect(all(active[b] == 1 for b in bought_by if b >= 0), "a firm was bought by an inactive firm")

        # B2B trade: the last snapshot's flows, summed per country pair, are the last row of
        # /ties/b2b_trade, which is part of /ties/trade; flows cross borders.
        if "b2b_trade" in f:
            firm_country = f["firms/country"][()]  # rows of the agent axis
            flows = f["b2b_trade"]
            # The last snapshot: its rows from the snapshot index (first_row, rows).
            take = np.zeros(len(flows["flow"]), dtype=bool)
            if len(flows["snapshot"]):
                first = int(flows["first_row"][-1])
                take[first:first + int(flows["rows"][-1])] = True
            sellers, buyers = firm_country[flows["seller"][()][take]], firm_country[flows["buyer"][()][take]]
            expect(np.all(sellers != buyers), "a B2B trade flow within one country")
            sums = np.zeros((n, n))
            np.add.at(sums, (sellers, buyers), flows["value"][()][take])
            by_country = f["ties/b2b_trade"][()]
            expect(np.allclose(sums, by_country[-1], rtol=1e-12, atol=1e-9), "b2b_trade snapshot sums differ from /ties/b2b_trade")
            expect(np.all(by_country <= f["ties/trade"][()] * (1 + 1e-12) + 1e-9), "firm trade exceeds country trade")
            expect(np.allclose(f["metrics/b2b_trade_value"][()], by_country.sum(axis=(1, 2))),
                   "metrics/b2b_trade_value is not the sum of /ties/b2b_trade")
            expect(f["metrics/b2b_trade_flows"][()][-1] == take.sum(), "metrics/b2b_trade_flows differs from the snapshot")
    print(f"h5py: {path}: {rows} rows, {n} agents, {len(pairs)} pairs, {count} events, {logged} milestones: layout ok")


# ---- xarray (netCDF-C), one child process per group -----------------------------------------

def check_xarray_group(path, group_name):
    """Runs in a child: one group through xarray, compared with h5py."""
    xarray_child.check_group(path, group_name, root_attributes=ROOT_ATTRIBUTES, scales=scales_of(group_name),
                             dims_of=dims_of, dataframe_groups=("metrics", "firms"))


def check_xarray(path):
    with h5py.File(path, "r") as f:
        names = groups_in(f)
    xarray_child.check_groups(__file__, path, names)


# ---- docs/output.md snippets --------------------------------------------------------------

def check_docs(path, docs):
    text = Path(docs).read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    expect(len(blocks) >= 4, f"{docs}: only {len(blocks)} ```python snippets")
    expect(any(DOCS_PLACEHOLDER in block for block in blocks), f"{docs}: no snippet opens {DOCS_PLACEHOLDER}")
    # Every group and dataset of the file is described.
    with h5py.File(path, "r") as f:
        for group_name in groups_in(f):
            expect(f"`/{group_name}`" in text, f"{docs}: group /{group_name} is not described")
            for name in f[group_name]:
                if group_name in ("agents", "pairs") and name not in EXPECTED_DIMS[group_name]:
                    continue  # government and pair attributes: the docs point to their catalogues
                expect(f"`{name}`" in text, f"{docs}: dataset /{group_name}/{name} is not described")
    environment = dict(os.environ, MPLBACKEND="Agg")
    with tempfile.TemporaryDirectory() as folder:
        for number, block in enumerate(blocks, start=1):
            code = block.replace(DOCS_PLACEHOLDER, repr(str(Path(path).resolve())))
            script = Path(folder) / f"snippet_{number}.py"
            script.write_text(code, encoding="utf-8")
            result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=folder,
                                    env=environment)
            if result.returncode != 0:
                raise CheckFailed(f"{docs}: python snippet {number} failed ({result.returncode}):\n{block}\n"
                                  f"{result.stdout}{result.stderr}")
        if any("savefig" in block for block in blocks):
            images = [p for p in Path(folder).iterdir() if p.suffix in (".png", ".pdf", ".svg")]
            expect(images and all(p.stat().st_size > 0 for p in images), "the plotting snippet saved no figure")
    print(f"docs: {len(blocks)} snippets of {docs} ran on {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("check", choices=["h5py", "xarray", "docs", "all", "xarray-group"])
    parser.add_argument("file")
    parser.add_argument("group", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--docs", default=str(DEFAULT_DOCS), help="the markdown whose snippets to run")
    arguments = parser.parse_args()
    expect_file = Path(arguments.file)
    try:
        expect(expect_file.is_file(), f"{arguments.file}: no such file")
        if arguments.check == "xarray-group":
            check_xarray_group(arguments.file, arguments.group)
        if arguments.check in ("h5py", "all"):
            check_h5py(arguments.file)
        if arguments.check in ("xarray", "all"):
            check_xarray(arguments.file)
        if arguments.check in ("docs", "all"):
            check_docs(arguments.file, arguments.docs)
    except CheckFailed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
