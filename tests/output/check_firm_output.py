"""The firm parts of a run file agree with each other:
- every snapshot's edge list has as many ties as /metrics/b2b_cooperation_ties says for its quarter;
- /ties/b2b_cooperation, rebuilt from the last snapshot and /firms, matches the recorded counts;
- snapshots come every `snapshot_every_steps` steps and at the last step, each with one row in the
  snapshot index (first_row, rows) whose rows follow one another; ties are unique, a < b,
  weights in (0, 1]."""
import sys

import h5py
import numpy as np


def fail(message):
    sys.exit(f"FAILED: {message}")


def main(path):
    with h5py.File(path, "r") as f:
        labels = list(f["metrics/period_label"].asstr()[()])
        counts = f["metrics/b2b_cooperation_ties"][()]
        edges = f["b2b_cooperation"]
        snapshot_labels = list(edges["period_label"].asstr()[()])
        first_rows, row_counts = edges["first_row"][()], edges["rows"][()]
        a, b, w = edges["firm_a"][()], edges["firm_b"][()], edges["weight"][()]
        every = int(edges.attrs["snapshot_every_steps"])
        expected = [labels[t] for t in range(len(labels)) if (every and t % every == 0) or t == len(labels) - 1]
        # Every due snapshot has an index row, an empty network too.
        if snapshot_labels != expected:
            fail(f"snapshots at {snapshot_labels}, expected {expected}")
        times = edges["snapshot_time"][()]
        # snapshot_time is a decimal year, as /metrics/year (the groups' time axis is in days, CF).
        if not np.array_equal(times, [f["metrics/year"][labels.index(label)] for label in snapshot_labels]):
            fail("snapshot_time is not the time of the snapshot's quarter")
        # The snapshots' rows follow one another and cover the edge columns.
        if len(first_rows) and (first_rows[0] != 0 or not np.array_equal(first_rows[1:], (first_rows + row_counts)[:-1])
                                or first_rows[-1] + row_counts[-1] != len(a)):
            fail("the snapshot index does not cover the edge rows one snapshot after another")
        for label, first, count in zip(snapshot_labels, first_rows, row_counts):
            if count != counts[labels.index(label)]:
                fail(f"{label}: {count} edge rows, metrics say {counts[labels.index(label)]}")
            pairs = set(zip(a[first:first + count], b[first:first + count]))
            if len(pairs) != count:
                fail(f"{label}: duplicate ties")
        taken = snapshot_labels
        if not (a < b).all():
            fail("a tie with firm_a >= firm_b")
        if not ((w > 0) & (w <= 1)).all():
            fail("a weight outside (0, 1]")
        # Country counts from the last snapshot.
        codes = list(f["ties/agent"].asstr()[()])
        if list(f["firm_categories/country"].asstr()[()]) != codes:
            fail("/firm_categories/country is not the agent axis")
        country = f["firms/country"][()]  # rows of /firm_categories/country, the agent axis
        last = slice(int(first_rows[-1]), int(first_rows[-1] + row_counts[-1]))
        rebuilt = np.zeros((len(codes), len(codes)))
        for i, j in zip(a[last], b[last]):
            rebuilt[country[i], country[j]] += 1
            if country[i] != country[j]:
                rebuilt[country[j], country[i]] += 1
        if not np.array_equal(rebuilt, f["ties/b2b_cooperation"][-1]):
            fail("ties/b2b_cooperation at the last row differs from the last snapshot")
        print(f"ok: {len(taken)} snapshots, {counts[-1]:.0f} ties at {labels[-1]}, country counts agree")


if __name__ == "__main__":
    main(sys.argv[1])
