"""The firm parts of a run file agree with each other:
- every snapshot's edge list has as many ties as /metrics/b2b_cooperation_ties says for its quarter;
- /ties/b2b_cooperation, rebuilt from the last snapshot and /firms, matches the recorded counts;
- snapshots come every `snapshot_every_steps` steps and at the last step; ties are unique, a < b,
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
        snapshot_labels = edges["period_label"].asstr()[()]
        a, b, w = edges["firm_a"][()], edges["firm_b"][()], edges["weight"][()]
        every = int(edges.attrs["snapshot_every_steps"])
        expected = {labels[t] for t in range(len(labels)) if (every and t % every == 0) or t == len(labels) - 1}
        taken = set(snapshot_labels)
        # An empty network at a snapshot leaves no row, so only snapshots with ties show up.
        nonempty = {labels[t] for t in range(len(labels)) if labels[t] in expected and counts[t] > 0}
        if taken != nonempty:
            fail(f"snapshots at {sorted(taken)}, expected {sorted(nonempty)}")
        for label in taken:
            rows = snapshot_labels == label
            if rows.sum() != counts[labels.index(label)]:
                fail(f"{label}: {rows.sum()} edge rows, metrics say {counts[labels.index(label)]}")
            pairs = set(zip(a[rows], b[rows]))
            if len(pairs) != rows.sum():
                fail(f"{label}: duplicate ties")
        if not (a < b).all():
            fail("a tie with firm_a >= firm_b")
        if not ((w > 0) & (w <= 1)).all():
            fail("a weight outside (0, 1]")
        # Country counts from the last snapshot.
        codes = list(f["ties/agent"].asstr()[()])
        country = [codes.index(c) for c in f["firms/country"].asstr()[()]]
        last = snapshot_labels == labels[-1]
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
