"""What every plotting command shares: the Agg backend, output names, saving, label packing."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402,F401  (re-exported for the plotting modules)
import numpy as np  # noqa: E402

DPI = 120
COLOURS = plt.rcParams["axes.prop_cycle"].by_key()["color"]
LINESTYLES = ["-", "--", ":", "-."]


def output_path(out_dir, stem, plot, suffix=".png"):
    """output/<input stem>_<plot>.png, e.g. output/baseline_ties.png."""
    return Path(out_dir) / f"{stem}_{plot}{suffix}"


def save(figure, path, svg=False):
    """Writes PNG (and an SVG beside it when `svg`); returns the paths written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    if path.suffix.lower() == ".svg":
        figure.savefig(path)
        return [path]
    figure.savefig(path, dpi=DPI)
    written.append(path)
    if svg:
        figure.savefig(path.with_suffix(".svg"))
        written.append(path.with_suffix(".svg"))
    return written


def pack_rows(labels, gap=0.0):
    """Rows for labels hanging from markers. `labels` is a list of (marker, start, end): the
    label spans [start, end] on the axis and its connector drops from its row at `marker` down
    to the plot. Row 0 is the top row. Two labels in one row must not overlap (with `gap`), and
    no connector may cross a label in a lower row. Each label, in marker order, takes the
    highest row that keeps these rules with the labels placed before it, or a new row below
    all (which may let a connector cross a label, never two labels overlap). Returns the rows."""
    order = sorted(range(len(labels)), key=lambda i: labels[i][0])
    rows = [0] * len(labels)
    placed = []

    def clash(i, row_i, j):
        marker_i, start_i, end_i = labels[i]
        marker_j, start_j, end_j = labels[j]
        row_j = rows[j]
        if row_i == row_j:
            return start_i < end_j + gap and start_j < end_i + gap
        if row_i > row_j:   # j's connector runs down through row_i
            return start_i - gap <= marker_j <= end_i + gap
        return start_j - gap <= marker_i <= end_j + gap

    for i in order:
        top = max((rows[j] for j in placed), default=-1) + 1
        # a row below all others never overlaps a label; a connector may then cross one when
        # two labels each cover the other's marker (one left-, one right-aligned)
        rows[i] = next((row for row in range(top) if not any(clash(i, row, j) for j in placed)), top)
        placed.append(i)
    return rows


def thousands(value, _position=None):
    """Tick formatter: 98402 -> "98,402" (no offset text such as "1e5")."""
    if not np.isfinite(value):
        return ""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"
