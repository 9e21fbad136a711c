"""Quarters as labels ("2014Q3") and as decimal years (2014.5), the two time scales of the files
(docs/output.md, "Time convention")."""
import re

import numpy as np

_PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


def parse_period(label):
    """"2014Q3" -> 2014.5 (the start of the quarter as a decimal year)."""
    match = _PERIOD.match(str(label).strip())
    if not match:
        raise ValueError(f'bad period "{label}": expected a four-digit year, "Q" and 1-4, such as "2014Q3"')
    return int(match.group(1)) + (int(match.group(2)) - 1) / 4.0


def format_period(time):
    """2014.5 -> "2014Q3" (rounded to the nearest quarter)."""
    quarters = int(round(float(time) * 4.0))
    return f"{quarters // 4}Q{quarters % 4 + 1}"


def period_index(labels, times, period):
    """Row of `period` ("2014Q3") on a time axis given by its labels and decimal years; the last
    row when `period` is None. Raises ValueError naming the axis' range when it is not there."""
    labels = list(labels)
    if period is None:
        if not labels:
            raise ValueError("the time axis is empty")
        return len(labels) - 1
    if period in labels:
        return labels.index(period)
    wanted = parse_period(period)
    close = np.flatnonzero(np.isclose(np.asarray(times, dtype=float), wanted))
    if close.size:
        return int(close[0])
    span = f"{labels[0]} to {labels[-1]}" if labels else "nothing"
    raise ValueError(f"period {period} is not in the file (it holds {span})")


def quarter_ticks(times, labels, max_ticks):
    """Positions and labels of at most `max_ticks` major ticks on a quarterly axis: first quarters
    of every n-th year when the axis spans several years, else every k-th quarter."""
    times = np.asarray(times, dtype=float)
    labels = list(labels)
    if len(times) == 0:
        return [], []
    max_ticks = max(2, int(max_ticks))
    q1 = [i for i, label in enumerate(labels) if label.endswith("Q1")]
    if len(q1) >= 2:
        for years in (1, 2, 4, 5, 10, 20, 25, 50, 100):
            chosen = [i for i in q1 if int(labels[i][:4]) % years == 0]
            if 2 <= len(chosen) <= max_ticks:
                return [times[i] for i in chosen], [labels[i] for i in chosen]
    step = max(1, int(np.ceil(len(times) / max_ticks)))
    chosen = list(range(0, len(times), step))
    return [times[i] for i in chosen], [labels[i] for i in chosen]
