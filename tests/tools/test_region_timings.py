#!/usr/bin/python3
"""bench/region_timings.py and its library bench/region_timings.cpp: the report's parsing, the
names given to regions and the medians over runs, on hand-made reports; then, given a policysim
binary and the library, one live run of the small benchmark on two threads, whose regions are
checked against what the run must do (formation's region once a step, on two threads) and against
the process's own time.

    /usr/bin/python3 tests/tools/test_region_timings.py [PATH/TO/policysim PATH/TO/libregion_timings.so]
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import region_timings as rt  # noqa: E402
from checks import check, near  # noqa: E402  (tests/tools/checks.py: the script's own folder is on the path)

REPORT = """process\t0.500000000\t0.020000000
region\t/bin/p\t1a0\t10\t0.300000000\t0.010000000\t0.050000000\t0
region\t/bin/p\t2f0\t20\t0.100000000\t0.000000000\t0.020000000\t5
"""


def main():
    process, after_last, regions = rt.parse_report(REPORT)
    check(near(process, 0.5) and near(after_last, 0.02), "the process line read")
    check(len(regions) == 2 and regions[0]["offset"] == 0x1a0 and regions[1]["calls"] == 20 and regions[1]["alone"] == 5,
          "both region lines read, offsets in hex")
    check(near(regions[0]["spread"], 0.01) and near(regions[1]["serial"], 0.02), "spread and serial read")
    for bad in ("region\t/bin/p\t1a0\t10\n", "process\t1\t0\nsomething else\n", ""):
        try:
            rt.parse_report(bad)
            check(False, f"a bad report refused: {bad!r}")
        except ValueError:
            pass

    check(rt.short_name("policysim::(anonymous namespace)::count_changes(policysim::A&, std::span<unsigned long const, "
                        "18446744073709551615ul>) [clone ._omp_fn.0]") == "policysim::count_changes ._omp_fn.0",
          "parameters and the anonymous namespace dropped, the clone kept")
    check(rt.short_name("void policysim::copy<std::pair<int, int> >(int const*) [clone ._omp_fn.1]")
          == "void policysim::copy<std::pair<int, int> > ._omp_fn.1", "template arguments kept whole")
    check(rt.short_name("main") == "main", "a plain name as it is")
    symbols = [(0x100, "a"), (0x200, "b"), (0x300, "c")]
    check(rt.name_at(symbols, 0x1ff) == "a" and rt.name_at(symbols, 0x200) == "b" and rt.name_at(symbols, 0x5000) == "c",
          "an offset named by the last symbol at or below it")
    check(rt.name_at(symbols, 0x10) == "?", "no symbol below: unnamed")

    # Medians over runs, regions matched by file and offset (one run lacks the second region).
    second = REPORT.replace("0.300000000", "0.500000000").replace("0.500000000\t0.020", "0.700000000\t0.040")
    third = "process\t0.600000000\t0.030000000\nregion\t/bin/p\t1a0\t10\t0.400000000\t0.020000000\t0.060000000\t0\n"
    process, after_last, merged = rt.summarise([rt.parse_report(t) for t in (REPORT, second, third)])
    check(near(process, 0.6) and near(after_last, 0.03), "the process's medians")
    first = next(g for g in merged if g["offset"] == 0x1a0)
    check(near(first["wall"], 0.4) and near(first["spread"], 0.01), "a region's medians over the runs that have it")
    check(len(merged) == 2 and next(g for g in merged if g["offset"] == 0x2f0)["calls"] == 20, "a region of two runs kept")
    printed = rt.table(0.5, 0.02, rt.parse_report(REPORT)[2], {("/bin/p", 0x1a0): "f ._omp_fn.0"})
    check("serial between them 0.0900 s" in printed and "finish spreads 0.0100 s" in printed and "in regions 0.4000 s" in printed,
          "the totals: serial = before each region + after the last")
    check(printed.splitlines()[1].startswith("f ._omp_fn.0"), "the largest region first, named")

    if len(sys.argv) > 2:  # one live run: the small benchmark, 5 steps, two threads
        process, after_last, regions = rt.run_once(sys.argv[1], sys.argv[2], ROOT / "bench" / "tie_formation_small.toml", 2, 5)
        table = rt.symbol_table(sys.argv[1])
        check(table, "policysim's symbols read by nm")
        named = {rt.short_name(rt.name_at(table, g["offset"])): g for g in regions if g["file"] != "?"}
        formation = named.get("policysim::update_b2b_cooperation ._omp_fn.0")
        check(formation is not None, f"formation's region found among {sorted(named)}")
        check(formation["calls"] == 5 and formation["alone"] == 0, f"formation once a step, on two threads: {formation}")
        in_regions = sum(g["wall"] for g in regions)
        serial = sum(g["serial"] for g in regions) + after_last
        check(0 < in_regions < process and 0 < serial < process and in_regions + serial <= process * 1.0001,
              f"regions and serial time within the process's ({in_regions}, {serial}, {process})")
        check(all(0 <= g["spread"] <= g["wall"] for g in regions), "each spread within its region's time")
        # Before the first region at least the file's creation is serial (milliseconds).
        check(sum(g["serial"] for g in regions) > 0.0005, "serial time found before the regions")
    print("region_timings: all checks passed")


if __name__ == "__main__":
    main()
