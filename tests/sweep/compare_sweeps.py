#!/usr/bin/python3
"""Compare two policysim sweep files dataset by dataset, byte for byte.

    compare_sweeps.py A.h5 B.h5

Every group, dataset (values, dtype, shape) and attribute must be equal, except what differs
from one invocation to the next by nature: /runs/wall_seconds (timings) and the command line
(root attribute and /provenance/command_line). Exit 0 when equal; 1 with the first difference.
"""
import sys

import h5py
import numpy as np

SKIP_DATASETS = {"runs/wall_seconds", "provenance/command_line"}
SKIP_ATTRIBUTES = {("/", "command_line")}
# Dimension-scale bookkeeping holds object references, which differ between files.
REFERENCE_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST"}


def values(dataset):
    data = dataset[()]
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return ("text", dataset.asstr()[()].tolist() if dataset.ndim else dataset.asstr()[()])
    return ("bytes", str(dataset.dtype), dataset.shape, np.ascontiguousarray(data).tobytes())


def attributes(obj):
    out = {}
    for name, value in obj.attrs.items():
        if name in REFERENCE_ATTRIBUTES or (obj.name, name) in SKIP_ATTRIBUTES:
            continue
        out[name] = value.tobytes() if isinstance(value, np.ndarray) else value
    return out


def collect(f):
    items = {}
    f.visititems(lambda name, obj: items.__setitem__(name, obj))
    return items


def main():
    a_path, b_path = sys.argv[1:3]
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        if attributes(a) != attributes(b):
            sys.exit(f"root attributes differ: {attributes(a)} vs {attributes(b)}")
        items_a, items_b = collect(a), collect(b)
        if sorted(items_a) != sorted(items_b):
            sys.exit(f"different contents: {sorted(set(items_a) ^ set(items_b))}")
        compared = 0
        for name, obj in items_a.items():
            other = items_b[name]
            if attributes(obj) != attributes(other):
                sys.exit(f"{name}: attributes differ")
            if isinstance(obj, h5py.Dataset) and name not in SKIP_DATASETS:
                if values(obj) != values(other):
                    sys.exit(f"{name}: values differ")
                compared += 1
        if compared < 10:
            sys.exit(f"only {compared} datasets compared: not a sweep file?")
    print(f"identical: {compared} datasets of {a_path} and {b_path}")


if __name__ == "__main__":
    main()
