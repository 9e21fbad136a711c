"""The plain kernel (bench/tie_formation_kernel.cpp) forms the same ties as policysim: its final
edge list (text: a b weight) equals the last snapshot of policysim's run file, tie by tie and bit
for bit (weights printed with 17 significant digits round-trip exactly).
    check_kernel_ties.py KERNEL_EDGES.txt RUN.h5"""
import sys

import h5py
import numpy as np

kernel = np.loadtxt(sys.argv[1], ndmin=2)
with h5py.File(sys.argv[2], "r") as f:
    g = f["b2b_cooperation"]
    first, rows = int(g["first_row"][-1]), int(g["rows"][-1])
    a, b, w = g["firm_a"][first:first + rows], g["firm_b"][first:first + rows], g["weight"][first:first + rows]
if len(kernel) != len(a):
    sys.exit(f"FAILED: kernel {len(kernel)} ties, policysim {len(a)}")
if not (np.array_equal(kernel[:, 0], a) and np.array_equal(kernel[:, 1], b)):
    sys.exit("FAILED: the kernel's ties are not policysim's")
if not np.array_equal(kernel[:, 2], w):
    sys.exit(f"FAILED: weights differ (largest difference {np.abs(kernel[:, 2] - w).max():g})")
print(f"ok: {len(a)} ties, the same pairs and weights (mean weight {w.mean():.6f})")
