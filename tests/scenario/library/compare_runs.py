"""Compare the tie data of two policysim output files.

  compare_runs.py A.h5 B.h5 identical          every tie, state and metric value equal, bit for bit
  compare_runs.py A.h5 B.h5 same-before 2020Q3 equal for every row before that quarter's end
                                               (rows labelled <= 2020Q3), and different after

Exit 0 when the claim holds, 1 (with the first difference) when it does not.
"""
import sys

import h5py
import numpy as np

NUMERIC = ["ties/dialogue", "ties/cooperation", "ties/trade", "state/cyber_threat", "state/china_ties"]


def labels(f):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in f["ties/period_label"][()]]


def main():
    a_path, b_path, claim = sys.argv[1:4]
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        if labels(a) != labels(b):
            sys.exit("time axes differ")
        names = [n for n in NUMERIC if n in a]
        if len(names) < 3:
            sys.exit(f"expected tie datasets in {a_path}, found {names}")
        if claim == "identical":
            for name in names:
                x, y = a[name][()], b[name][()]
                if x.shape != y.shape or x.tobytes() != y.tobytes():
                    sys.exit(f"{name} differs")
            print(f"identical: {', '.join(names)} ({a[names[0]].shape[0]} rows)")
            return
        if claim == "same-before":
            period = sys.argv[4]
            rows = labels(a)
            if period not in rows:
                sys.exit(f"{period} is not on the time axis")
            # Row t is the state at the start of quarter t: events of quarter p first show in row p+1.
            cut = rows.index(period) + 1
            for name in names:
                x, y = a[name][()], b[name][()]
                if x[:cut].tobytes() != y[:cut].tobytes():
                    bad = next(i for i in range(cut) if x[i].tobytes() != y[i].tobytes())
                    sys.exit(f"{name} differs at {rows[bad]}, before {period}")
            if all(a[n][cut:].tobytes() == b[n][cut:].tobytes() for n in names):
                sys.exit(f"no difference after {period}: the event had no effect")
            print(f"identical for the {cut} rows up to {period}, different after")
            return
        sys.exit(f"unknown claim {claim}")


if __name__ == "__main__":
    main()
