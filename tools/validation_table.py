#!/usr/bin/python3
"""The tables of docs/validation.md: every target of scenarios/calibration/targets.toml classed by the
training/validation split (sim/calibration/validation_split.hpp) beside the file's own `role`, the
model's value (`policysim calibrate`), a null forecast and whether it meets the target; then the
scored series (`policysim score --out`): model errors and skill against persistence and the second
null. Writes the tables between the markers in docs/validation.md (--update) or prints them.

    /usr/bin/python3 tools/validation_table.py [--policysim build/sim/policysim] [--seeds 20] [--update]
    # or from saved outputs (no runs):
    /usr/bin/python3 tools/validation_table.py --calibrate-output cal.txt --score-output score.h5

The runs: `policysim calibrate scenarios/history.toml --seeds N` and `policysim score
scenarios/history.toml --observed scenarios/calibration/observed.csv --seeds N --out F.h5`.
"""
import argparse
import math
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- validation_table:begin -->", "<!-- validation_table:end -->"


def last_training_year():
    text = (ROOT / "sim" / "calibration" / "validation_split.hpp").read_text()
    return int(re.search(r"kLastTrainingYear\s*=\s*(\d+)", text).group(1))


def evidence_last_year(evidence):
    return max(int(y) for y in re.findall(r"\d{4}", str(evidence)))


def parse_calibrate(text):
    """title -> (met, model text) from `policysim calibrate` output."""
    results, title = {}, None
    for line in text.splitlines():
        m = re.match(r"^\[(met|missed)\]\s+(.*)$", line)
        if m:
            title = m.group(2).strip()
            results[title] = {"met": m.group(1) == "met"}
        elif title and line.strip().startswith("model:"):
            results[title]["model"] = line.split("model:", 1)[1].strip()
    return results


def spearman(x, y):
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return r
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return 0.0 if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy)


def holds(condition, value):
    (kind, bound), = condition.items()
    if kind == "at_least":
        return value >= bound
    if kind == "above":
        return value > bound
    if kind == "at_most":
        return value <= bound
    if kind == "below":
        return value < bound
    if kind == "between":
        return bound[0] <= value <= bound[1]
    raise ValueError(kind)


def null_of(target, first_year, last_year):
    """(what the null forecast is, its value as text, whether it meets the tolerance: True/False/None)."""
    stat, tol = target["statistic"], target["tolerance"]
    condition = tol.get("each_seed") or tol.get("median") or tol.get("mean")
    if stat in ("ratio_of_means", "ratio_of_year_ends"):
        if target.get("measure") == "b2b_networked_firms":
            return ("persistence (no growth after the training window)", "ratio 1.00", holds(condition, 1.0))
        return ("persistence of the earlier period's level", "ratio 1.00", holds(condition, 1.0))
    if stat == "first_year":
        return ("persistence of 2009 (no dialogue before: none ever)", "never", False)
    if stat == "count_per_year_after_first":
        # The last training year's count carried forward: one dialogue in 2014 (the first).
        return ("persistence of the last training year (2014: 1 dialogue)", "1.00 a year", holds(condition, 1.0))
    if stat == "count_per_year_vs_other_years":
        return ("persistence (the same count every year)", "target years = other years", False)
    if stat == "rank_correlation_of_first_years":
        # After the spin-up only ASEAN and the US are above the presence threshold (docs/model.md,
        # "The baseline": the 2009 fit); persisted, they hold a dialogue in the first year and no one
        # else ever does (ranked after the last simulated year, as calibrate ranks them).
        present = {"ASEAN", "USA"}
        source = [p["year"] for p in target["partners"]]
        model = [first_year if p["code"] in present else last_year + 1 for p in target["partners"]]
        rho = spearman(source, model)
        return ("only ASEAN and the US ever hold a dialogue (2009 persisted)", f"rho {rho:.2f}", holds(condition, rho))
    if stat == "shares_among_partners":
        lo, hi = tol["range_factors"]
        ok = all(lo * p["min"] <= p["share_2009"] <= hi * p["max"] for p in target["partners"])
        return ("persistence of the 2009 shares", f"{len(target['partners'])} of {len(target['partners'])} within" if ok
                else "not all within", ok)
    return ("not defined (no value before the validation window)", "-", None)


def run(command):
    print("+ " + " ".join(command), file=sys.stderr)
    return subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout


def commit():
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "sim", "scenarios"], capture_output=True, text=True,
                           cwd=ROOT).stdout.strip()
    return head + (" (with uncommitted changes under sim/ or scenarios/)" if dirty else "")


def fmt(value, digits=3):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:.{digits}f}"


def targets_table(targets, calibrate, split, first_year, last_year):
    lines = ["| target | source, evidence year | split class | file role | agree | model (history.toml) | met | "
             "null forecast | null value | null meets |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    flags = []
    for key, t in targets["targets"].items():
        last = evidence_last_year(t["evidence_year"])
        klass = "training" if last <= split else "validation"
        role = t["role"]
        if klass == "validation" and role == "calibration":
            agree = "**no: a validation-window fact set a number**"
            flags.append(f"`{key}` (evidence {t['evidence_year']}, role calibration, sets `{t.get('sets', '?')}`): "
                         f"a fact dated after {split} set a number, against the split's rule")
        elif klass == "training" and role == "validation":
            agree = "differs (training-window fact, not used)"
            flags.append(f"`{key}` (evidence {t['evidence_year']}, role validation): in the training window by the split, "
                         "but never used to set a number; it validates in-sample")
        else:
            agree = "yes"
        result = calibrate.get(t["title"], {})
        what, value, meets = null_of(t, first_year, last_year)
        source = Path(t["source"]).name.split("_")[0] if "domain" in t["source"] else Path(t["source"]).name
        lines.append(f"| `{key}`: {t['title']} | {source}, {t['evidence_year']} | {klass} | {role} | {agree} | "
                     f"{result.get('model', '(not evaluated)')} | {'yes' if result.get('met') else 'no' if result else '-'} | "
                     f"{what} | {value} | {'-' if meets is None else 'yes' if meets else 'no'} |")
    return lines, flags


def score_table(path):
    lines = ["| series (validation: test rows after the split) | per year | training rows | test rows (years) | model RMSE | "
             "model MAE | persistence skill | second null | second null skill |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    with h5py.File(path, "r") as f:
        s = f["series"]
        text = lambda name: [v.decode() if isinstance(v, bytes) else v for v in s[name][:]]
        measure, frm, to, per_year, second = text("measure"), text("from"), text("to"), text("per_year"), text("second_null")
        periods = [p.decode() if isinstance(p, bytes) else p for p in f["test/period"][:]]
        row_series = list(f["test/series"][:])
        for k in range(len(measure)):
            years = [periods[r] for r in range(len(periods)) if row_series[r] == k]
            span = f" ({years[0]}-{years[-1]})" if years else ""
            lines.append(f"| {measure[k]} {frm[k]}->{to[k]} | {per_year[k]} | {int(s['training_rows'][k])} | "
                         f"{int(s['test_rows'][k])}{span} | {fmt(float(s['rmse'][k]))} | {fmt(float(s['mae'][k]))} | "
                         f"{fmt(float(s['skill_persistence'][k]))} | {second[k]} | {fmt(float(s['skill_second'][k]))} |")
        o = f["overall"]
        overall = (f"Overall ({int(o['test_rows'][()])} test rows, pooled): model RMSE {fmt(float(o['rmse'][()]))}, "
                   f"MAE {fmt(float(o['mae'][()]))}; skill against persistence {fmt(float(o['skill_persistence'][()]))}, "
                   f"against the second null {fmt(float(o['skill_second'][()]))}. Seeds {int(f.attrs['seeds'])} from "
                   f"{int(f.attrs['first_seed'])}; common drift "
                   f"{fmt(float(f.attrs['common_drift']), 4)} log growth a year.")
    return lines, overall


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policysim", default=str(ROOT / "build" / "sim" / "policysim"))
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--scenario", default="scenarios/history.toml")
    parser.add_argument("--observed", default="scenarios/calibration/observed.csv")
    parser.add_argument("--calibrate-output", help="saved output of policysim calibrate (else it is run)")
    parser.add_argument("--score-output", help="saved --out file of policysim score (else it is run)")
    parser.add_argument("--update", action="store_true", help="write the tables into docs/validation.md")
    args = parser.parse_args()

    split = last_training_year()
    targets = tomllib.loads((ROOT / "scenarios" / "calibration" / "targets.toml").read_text())
    scenario = tomllib.loads((ROOT / "scenarios" / "baseline.toml").read_text())
    first_year = int(scenario["simulation"]["start"][:4])
    last_year = first_year + (int(scenario["simulation"]["steps"]) - 1) // 4

    if args.calibrate_output:
        calibrate_text = Path(args.calibrate_output).read_text()
    else:
        calibrate_text = run([args.policysim, "calibrate", args.scenario, "--seeds", str(args.seeds)])
    calibrate = parse_calibrate(calibrate_text)
    with tempfile.TemporaryDirectory() as folder:
        score_path = args.score_output
        if not score_path:
            score_path = str(Path(folder) / "score.h5")
            score_text = run([args.policysim, "score", args.scenario, "--observed", args.observed, "--seeds", str(args.seeds),
                              "--out", score_path])
        else:
            score_text = None
        rows, flags = targets_table(targets, calibrate, split, first_year, last_year)
        score_rows, overall = score_table(score_path)

    header = calibrate_text.splitlines()[0] if calibrate_text else ""
    out = [BEGIN,
           f"Generated by `/usr/bin/python3 tools/validation_table.py --update` at commit {commit()} "
           f"(`{header.strip()}`; split: training evidence to {split}).",
           "", "**Targets** (scenarios/calibration/targets.toml):", ""] + rows + [""]
    out += ["Where the split and the file's `role` disagree:", ""] + [f"- {f}" for f in flags] + [""]
    out += [f"**Scored series** (`policysim score {args.scenario} --observed {args.observed} --seeds {args.seeds}`):", ""]
    out += score_rows + ["", overall]
    if score_text:
        out += ["", "The command's output:", "", "```"] + score_text.rstrip().splitlines() + ["```"]
    out.append(END)
    text = "\n".join(out) + "\n"
    if args.update:
        doc = ROOT / "docs" / "validation.md"
        page = doc.read_text()
        start, end = page.index(BEGIN), page.index(END) + len(END) + 1
        doc.write_text(page[:start] + text + page[end:])
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
