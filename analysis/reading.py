"""Reading policysim output files (layout: docs/output.md) with h5py."""
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

LAYERS = ("dialogue", "cooperation", "trade")


def _text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


@dataclass
class PairSeries:
    """Per-step tie values of the pairs of interest recorded in /metrics."""

    path: Path
    time: np.ndarray           # decimal year, start of each quarter
    period_label: list         # "2014Q3"
    pairs: list                # "JPN-ISR"
    values: dict               # layer -> array [time, pair]
    events: list               # (decimal year, period label, name, kind, detail)
    agent_names: dict          # code -> name


def read_pair_series(path):
    path = Path(path)
    with h5py.File(path, "r") as f:
        metrics = f["metrics"]
        events = f["events"]
        agents = f["agents"]
        return PairSeries(
            path=path,
            time=metrics["time"][()],
            period_label=_text(metrics["period_label"][()]),
            pairs=_text(metrics["pair"][()]),
            values={layer: metrics[f"{layer}_pairs"][()] for layer in LAYERS},
            events=list(zip(events["event_time"][()], _text(events["period_label"][()]), _text(events["name"][()]),
                            _text(events["kind"][()]), _text(events["detail"][()]))),
            agent_names=dict(zip(_text(agents["agent"][()]), _text(agents["name"][()]))),
        )
