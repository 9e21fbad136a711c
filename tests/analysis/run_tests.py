#!/usr/bin/python3
"""Runs the analysis package's tests with unittest (no pytest needed):

    /usr/bin/python3 tests/analysis/run_tests.py [PATTERN]      (default test_*.py)

Prints each test and a count; exits 1 when a test fails or errs, or when none ran."""
import os
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]
os.environ.setdefault("MPLBACKEND", "Agg")

pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
suite = unittest.defaultTestLoader.discover(str(HERE), pattern=pattern, top_level_dir=str(HERE))
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
print(f"analysis tests ({pattern}): {result.testsRun} ran, {len(result.failures)} failed, "
      f"{len(result.errors)} errors, {len(result.skipped)} skipped")
sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
