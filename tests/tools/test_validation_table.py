#!/usr/bin/python3
"""tools/validation_table.py: the split class of a target, the disagreement flags, the null
forecasts (the Table 1 null's rho by hand) and the parsing of calibrate's output."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import validation_table as vt  # noqa: E402
from checks import check  # noqa: E402  (tests/tools/checks.py)


def main():
    check(vt.last_training_year() == 2014, "the split constant is read from validation_split.hpp")
    check(vt.evidence_last_year("2016-2018") == 2018 and vt.evidence_last_year("2014") == 2014, "evidence years")
    # Spearman with ties by hand: x = 1, 2, 2 -> ranks 1, 2.5, 2.5; y = 3, 1, 2 -> ranks 3, 1, 2.
    # rx - 2 = -1, .5, .5; ry - 2 = 1, -1, 0: sxy = -1.5, sxx = 1.5, syy = 2 -> -1.5 / sqrt(3) = -0.866.
    check(abs(vt.spearman([1, 2, 2], [3, 1, 2]) + 1.5 / 3 ** 0.5) < 1e-12, "spearman with ties")
    table1 = {"statistic": "rank_correlation_of_first_years", "tolerance": {"median": {"at_least": 0.5}},
              "partners": [{"code": c, "year": y} for c, y in
                           [("ASEAN", 2009), ("GBR", 2012), ("IND", 2012), ("USA", 2013), ("EU", 2014), ("FRA", 2014),
                            ("ISR", 2014), ("AUS", 2015), ("NATO", 2018), ("EST", 2018)]]}
    what, value, meets = vt.null_of(table1, 2010, 2030)
    check(value == "rho 0.53" and meets, f"Table 1 null: {value}, meets {meets}")
    ratio = {"statistic": "ratio_of_means", "tolerance": {"each_seed": {"at_least": 1.5}, "seeds_at_least": 0.9}}
    check(vt.null_of(ratio, 2010, 2030)[2] is False, "a ratio of 1 does not meet >= 1.5")
    base = {"title": "t", "source": "../shared/domain/000_x.txt", "statistic": "year_end", "tolerance": {"mean": {"above": 0}}}
    targets = {"targets": {
        "late_calibration": dict(base, evidence_year="2018", role="calibration", sets="effects.x"),
        "early_validation": dict(base, evidence_year="2012-2014", role="validation"),
        "late_validation": dict(base, evidence_year="2014-2016", role="validation"),
    }}
    rows, flags = vt.targets_table(targets, {}, 2014, 2010, 2030)
    check(len(rows) == 5, "header, rule and three rows")
    check("| validation | calibration | **no" in rows[2], rows[2])
    check("| training | validation | differs" in rows[3], rows[3])
    check("| validation | validation | yes |" in rows[4], rows[4])
    check(len(flags) == 2 and flags[0].startswith("`late_calibration`"), flags)
    parsed = vt.parse_calibrate("x\n[met]    A title\n    model:     3 of 4\n[missed] B\n    model:     none\n")
    check(parsed == {"A title": {"met": True, "model": "3 of 4"}, "B": {"met": False, "model": "none"}}, parsed)
    print("ok")


if __name__ == "__main__":
    main()
