"""TEST FIXTURE, not the simulator: writes a small single-run file laid out as docs/output.md
says (the groups the analysis package reads), with h5py, for plot tests that must run without
the C++ build. Tests on real `policysim run` output get their files from CTest (see
ctest.cmake, POLICYSIM_ANALYSIS_RUNS)."""
from pathlib import Path

import h5py
import numpy as np

from sweep_fixture import STRING, _dataset, _scale, quarters

AGENTS = [("AUS", "Australia", "country"), ("EU", "European Union", "organisation"), ("ISR", "Israel", "country"),
          ("JPN", "Japan", "country"), ("USA", "United States", "country")]
PAIRS = ["JPN-ISR", "JPN-USA", "USA-ISR"]


def write_run(path, events=(), start_year=2010, steps=40, shift=0.0):
    """events: (period label, name, kind, detail). `shift` changes the ties after the last
    event, so that a what-if differs from its baseline."""
    time, labels = quarters(start_year, steps + 1)
    codes = [a[0] for a in AGENTS]
    n = len(codes)
    rng = np.random.default_rng(3)
    ramp = np.linspace(0, 1, len(time))
    ties = {}
    base = rng.uniform(0.05, 0.9, (n, n))
    base = (base + base.T) / 2
    np.fill_diagonal(base, 0)
    for layer, scale in (("dialogue", 1.0), ("cooperation", 0.7)):
        values = np.clip(base[None] * scale * (0.6 + 0.4 * ramp[:, None, None]), 0, 1)
        if shift:
            values[len(time) // 2:] = np.clip(values[len(time) // 2:] - shift, 0, 1)
        ties[layer] = values
    trade = rng.uniform(100, 100000, (n, n)) * (rng.random((n, n)) > 0.3)
    np.fill_diagonal(trade, 0)
    ties["trade"] = trade[None] * (1 + 0.2 * ramp[:, None, None])
    with h5py.File(path, "w") as f:
        f.attrs["title"] = "policysim run (analysis test fixture)"
        agents = f.create_group("agents")
        _scale(agents, "agent", codes, STRING)
        _dataset(agents, "name", [a[1] for a in AGENTS], ["agent"], "", dtype=STRING)
        _dataset(agents, "kind", [a[2] for a in AGENTS], ["agent"], "", dtype=STRING)
        group = f.create_group("ties")
        _scale(group, "time", time, np.float64, "year")
        _dataset(group, "period_label", labels, ["time"], "", dtype=STRING)
        _scale(group, "agent", codes, STRING)
        _scale(group, "partner", codes, STRING)
        for layer, values in ties.items():
            units = "US$ millions per year" if layer == "trade" else "1"
            dataset = _dataset(group, layer, values, ["time", "agent", "partner"], units, dtype=np.float64)
            dataset.attrs["directed"] = np.int32(layer == "trade")
        metrics = f.create_group("metrics")
        _scale(metrics, "time", time, np.float64, "year")
        _dataset(metrics, "period_label", labels, ["time"], "", dtype=STRING)
        _scale(metrics, "pair", PAIRS, STRING)
        rows = [codes.index(p.split("-")[0]) for p in PAIRS]
        columns = [codes.index(p.split("-")[1]) for p in PAIRS]
        for layer, values in ties.items():
            units = "US$ millions per year" if layer == "trade" else "1"
            _dataset(metrics, f"{layer}_pairs", values[:, rows, columns], ["time", "pair"], units, dtype=np.float64)
            density = _dataset(metrics, f"{layer}_density", (values > 0.1).mean(axis=(1, 2)), ["time"], dtype=np.float64)
            density.attrs["presence_threshold"] = 0.0 if layer == "trade" else 0.1
        group = f.create_group("events")
        _scale(group, "event", np.arange(len(events)), np.int64, "1")
        _dataset(group, "period_label", [e[0] for e in events], ["event"], "", dtype=STRING)
        event_time = [int(e[0][:4]) + (int(e[0][-1]) - 1) / 4 for e in events]
        _dataset(group, "event_time", np.asarray(event_time, dtype=float), ["event"], "year", dtype=np.float64)
        for column, name in ((1, "name"), (2, "kind"), (3, "detail")):
            _dataset(group, name, [e[column] for e in events], ["event"], "", dtype=STRING)
    return path


BASELINE_EVENTS = [
    ("2010Q2", "kan_takes_office", "leadership_change", "JPN leader Hatoyama -> Kan"),
    ("2010Q2", "cameron_takes_office", "leadership_change", "GBR leader Brown -> Cameron"),
    ("2011Q3", "noda_takes_office", "leadership_change", "JPN leader Kan -> Noda"),
    ("2012Q4", "abe_returns", "leadership_change", "JPN leader Noda -> Abe"),
    ("2012Q4", "xi_takes_office", "leadership_change", "CHN leader Hu Jintao -> Xi Jinping"),
    ("2013Q2", "attacks_on_japan_2013", "cyber_incident", "JPN cyber_threat 0.01 -> 0.31"),
    ("2013Q3", "extra_incident", "cyber_incident", "ISR cyber_threat 0.4 -> 0.6"),
    ("2014Q2", "modi_takes_office", "leadership_change", "IND leader Manmohan Singh -> Modi"),
    ("2015Q2", "attacks_on_japan_2015", "cyber_incident", "JPN cyber_threat 0.05 -> 0.45"),
    ("2015Q2", "haifa_port_contract", "china_ties", "ISR china_ties 0.3 -> 0.45"),
    ("2017Q1", "trump_takes_office", "leadership_change", "USA leader Obama -> Trump"),
    ("2019Q4", "late_event", "china_ties", "AUS china_ties 0.3 -> 0.5"),
]
WHATIF_EVENTS = BASELINE_EVENTS + [("2017Q2", "abe_exit", "leadership_change", "JPN leader Abe -> Suga")]


def write_comparison(path, baseline, whatif, pairs=("JPN-ISR", "JPN-USA"), measures=("dialogue", "cooperation"),
                     seeds=(1, 2), group=None):
    """A file laid out as `policysim compare --out` writes it (docs/output.md, "The compare
    file"), from two run files of this fixture: the difference is what-if minus baseline, the
    band a made-up +-0.02 around it (the fixture has one seed's runs only)."""
    with h5py.File(baseline, "r") as b, h5py.File(whatif, "r") as w, h5py.File(path, "w") as f:
        f.attrs["program_version"] = "fixture"
        f.attrs["baseline_file"] = str(baseline)
        f.create_dataset("seeds", data=np.asarray(seeds, dtype=np.uint64))
        g = f.create_group(group or Path(whatif).stem)
        g.attrs["what_if_file"] = str(whatif)
        g.attrs["first_event"] = "abe_exit"
        g.attrs["first_event_period"] = "2017Q2"
        codes = [c.decode() if isinstance(c, bytes) else c for c in b["ties/agent"][()]]
        rows = [codes.index(p.split("-")[0]) for p in pairs]
        columns = [codes.index(p.split("-")[1]) for p in pairs]
        for measure in measures:
            m = g.create_group(measure)
            m.attrs["units"] = "1"
            m.attrs["long_name"] = f"{measure} tie"
            _scale(m, "time", b["ties/time"][()], np.float64, "year")
            _dataset(m, "period_label", [v.decode() if isinstance(v, bytes) else v for v in b["ties/period_label"][()]],
                     ["time"], "", dtype=STRING)
            _scale(m, "pair", list(pairs), STRING)
            base = np.stack([b["ties"][measure][:, r, c] for r, c in zip(rows, columns)], axis=1)
            changed = np.stack([w["ties"][measure][:, r, c] for r, c in zip(rows, columns)], axis=1)
            difference = changed - base
            for name, values in (("baseline", base), ("what_if", changed), ("difference", difference),
                                 ("difference_low", difference - 0.02), ("difference_high", difference + 0.02)):
                _dataset(m, name, values, ["time", "pair"], "1", dtype=np.float64)
    return path
