#!/usr/bin/python3
"""Two estimate files hold the same datasets, value for value (NaN equal to NaN).

    compare_estimates.py A.h5 B.h5
"""
import sys

import h5py
import numpy as np


def datasets(path):
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, node: found.__setitem__(name, node[()]) if isinstance(node, h5py.Dataset) else None)
    return found


def main():
    a, b = datasets(sys.argv[1]), datasets(sys.argv[2])
    if a.keys() != b.keys():
        sys.exit(f"compare_estimates: datasets differ: {sorted(a.keys() ^ b.keys())}")
    for name, values in a.items():
        same = np.array_equal(values, b[name], equal_nan=values.dtype.kind in "fc")
        if not same:
            sys.exit(f"compare_estimates: {name} differs")
    print(f"compare_estimates: {len(a)} datasets equal")


if __name__ == "__main__":
    main()
