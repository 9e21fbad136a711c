"""The checks of the tests in tests/tools/: a failed check prints what failed and ends the test with
status 1 (CTest reports it); `near` compares two floats to a tolerance."""
import sys


def check(condition, what):
    if not condition:
        print("FAILED:", what)
        sys.exit(1)


def near(x, y, tolerance=1e-9):
    return abs(x - y) < tolerance
