#!/usr/bin/python3
"""The numbers scenarios/baseline.toml and sim/calibration take from ../shared/data (years up to
2009 only), computed in one place so that every `# data:` value can be checked.

    /usr/bin/python3 tools/baseline_data.py [--data ../shared/data]

Prints, in order:
  1. initial trade (COW, 2009): Japan's exports to and imports from each partner, US$ millions;
  2. un_vote_agreement (Voeten): mean share of identical votes 2005-2009 for each partner, and
     for the organisations the mean over their members in the data;
  3. the trade layer's base growth and shock sd (COW 1995-2009);
  4. Japan's trade shares 1995-2009 (2009 value, min, max) as used by sim/calibration;
  5. shared IGOs (COW IGO) and ATOP obligations in 2009, used for initial cooperation;
  6. the trade world: the totals (Taiwan's imports imputed) and their 1995-2009 trends, the gravity
     fit on the Japan dyads with its standard errors, the error-correction speed, and the
     [trade] and [initial_ties.trade] blocks of scenarios/baseline.toml (the 2009 Japan dyads as
     data, every other pair of countries the gravity prediction, an estimate).
"""
import argparse
from pathlib import Path

import numpy as np
import pandas as pd

MEMBERS = {  # members of the organisations among the data's countries
    "EU": ["DEU", "EST", "FRA", "GBR"],
    "NATO": ["DEU", "EST", "FRA", "GBR", "USA"],
    "ASEAN": ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"],
}
SCENARIO_COUNTRIES = ["AUS", "CHN", "DEU", "EST", "FRA", "GBR", "IDN", "IND", "ISR", "KOR", "MYS", "PHL", "RUS",
                      "SGP", "THA", "TWN", "USA", "VNM"]


COMPARABLE_FOR_TWN = ["KOR", "SGP"]  # export-oriented East Asian economies like Taiwan
TOTALS_WINDOW = (1995, 2009)


def trade_totals(data):
    """Each country's total exports and imports by year (US$ millions), Taiwan's imports imputed:
    Taiwan's exports times the mean import/export ratio of Korea and Singapore in the same year."""
    totals = pd.read_csv(data / "cow_trade_state_totals_1995_2009.csv")
    exports = totals.pivot(index="year", columns="country", values="exports_musd")
    imports = totals.pivot(index="year", columns="country", values="imports_musd")
    ratio = (imports[COMPARABLE_FOR_TWN] / exports[COMPARABLE_FOR_TWN]).mean(axis=1)
    imports["TWN"] = exports["TWN"] * ratio
    return exports, imports, ratio


def distances(data):
    table = pd.read_csv(data / "capital_distances_km.csv")
    out = {}
    for row in table.itertuples():
        out[(row.a, row.b)] = out[(row.b, row.a)] = row.distance_km
    return out


def gravity_panel(trade, exports, imports, km):
    """Both directions of every Japan dyad, 1995-2009: log flow, log exporter total, log importer
    total, log distance."""
    rows = []
    for row in trade.itertuples():
        p, y = row.partner, row.year
        rows.append(("JPN", p, y, row.jpn_exports_to_partner, exports.at[y, "JPN"], imports.at[y, p], km[("JPN", p)]))
        rows.append((p, "JPN", y, row.jpn_imports_from_partner, exports.at[y, p], imports.at[y, "JPN"], km[(p, "JPN")]))
    panel = pd.DataFrame(rows, columns=["exporter", "importer", "year", "flow", "x", "m", "km"])
    return panel[panel.flow > 0].reset_index(drop=True)


def ols(y, design, clusters):
    """OLS coefficients with classical and cluster-robust (by dyad, CR1) standard errors."""
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ beta
    n, k = design.shape
    inverse = np.linalg.inv(design.T @ design)
    classical = np.sqrt(np.diag(inverse) * (resid @ resid) / (n - k))
    meat = np.zeros((k, k))
    groups = pd.Series(range(n)).groupby(np.asarray(clusters)).indices
    for members in groups.values():
        score = design[members].T @ resid[members]
        meat += np.outer(score, score)
    g = len(groups)
    robust = np.sqrt(np.diag(inverse @ meat @ inverse) * g / (g - 1) * (n - 1) / (n - k))
    r2 = 1 - (resid @ resid) / ((y - y.mean()) @ (y - y.mean()))
    return beta, classical, robust, resid, r2


def fit_gravity(panel):
    y = np.log(panel.flow.values)
    design = np.column_stack([np.ones(len(panel)), np.log(panel.x), np.log(panel.m), np.log(panel.km)])
    return ols(y, design, panel.exporter + "-" + panel.importer)


def error_correction_speed(panel, resid):
    """Annual AR(1) of the deviations from the fitted gravity, e_{t+1} = rho * e_t + u (pooled over
    dyads, no intercept, after removing each year's mean deviation so that common shocks, which the
    model's smooth totals do not carry, do not count as persistence), turned into a quarterly speed
    lambda = 1 - rho^(1/4) and a quarterly shock sd with the same annual innovation variance."""
    frame = panel.assign(e=resid)
    frame["e"] = frame.e - frame.groupby("year").e.transform("mean")
    frame = frame.sort_values(["exporter", "importer", "year"])
    frame["next"] = frame.groupby(["exporter", "importer"]).e.shift(-1)
    pairs = frame.dropna(subset=["next"])
    rho = (pairs.e @ pairs.next) / (pairs.e @ pairs.e)
    u = pairs.next - rho * pairs.e
    se_rho = np.sqrt((u @ u) / (len(u) - 1) / (pairs.e @ pairs.e))
    lam = 1 - rho ** 0.25
    # Four quarterly steps: the annual innovation is sum_{k<4} (1 - lam)^k sd_q eps_k.
    sd_q = u.std() / np.sqrt(sum((1 - lam) ** (2 * k) for k in range(4)))
    return rho, se_rho, lam, sd_q, u.std()


def trends(series):
    """Log-linear trend a year over the window (OLS slope of log value on year)."""
    years = series.index.values.astype(float)
    return np.polyfit(years, np.log(series.values), 1)[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data", default=str(default))
    data = Path(parser.parse_args().data)
    trade = pd.read_csv(data / "cow_trade_japan_dyads_1995_2009.csv")
    trade = trade[trade.partner.isin(SCENARIO_COUNTRIES)]
    votes = pd.read_csv(data / "unga_japan_vote_agreement_1995_2009.csv")
    igos = pd.read_csv(data / "cow_igo_japan_shared_igos_1995_2009.csv")
    atop = pd.read_csv(data / "atop_japan_alliances_1995_2009.csv")

    print("# 1. [initial_ties.trade], 2009 (US$ millions a year)")
    last = trade[trade.year == 2009].set_index("partner")
    for partner in SCENARIO_COUNTRIES:
        row = last.loc[partner]
        print(f"JPN-{partner} = {row.jpn_exports_to_partner}\n{partner}-JPN = {row.jpn_imports_from_partner}")

    print("\n# 2. [pair_attributes.un_vote_agreement], mean of 2005-2009")
    recent = votes[(votes.year >= 2005) & (votes.year <= 2009)]
    agreement = recent.groupby("partner").agreement.mean()
    for partner in SCENARIO_COUNTRIES:
        if partner in agreement:
            print(f"JPN-{partner} = {agreement[partner]:.2f}   (2009: {votes[(votes.partner == partner) & (votes.year == 2009)].agreement.iloc[0]:.2f})")
        else:
            print(f"JPN-{partner}: no UN votes in the data")
    for organisation, members in MEMBERS.items():
        print(f"JPN-{organisation} = {agreement[members].mean():.2f}   (mean of {', '.join(members)})")

    print("\n# 3. trade layer (COW 1995-2009)")
    total = trade.groupby("year").total_trade_musd.sum()
    growth = np.log(total).diff().dropna()
    print(f"base growth: mean annual log growth of Japan's total trade {growth.mean():.4f} "
          f"-> quarterly {growth.mean() / 4:.4f}")
    flows = pd.concat([np.log(trade.pivot(index="year", columns="partner", values=column)).diff().dropna()
                       for column in ("jpn_exports_to_partner", "jpn_imports_from_partner")], axis=1)
    idiosyncratic = flows.sub(flows.mean(axis=1), axis=0).values.std()
    print(f"shock: sd of a flow's annual log growth around the year's mean {idiosyncratic:.4f} "
          f"-> quarterly {idiosyncratic / 2:.4f} (annual = sum of four quarterly shocks)")

    print("\n# 4. Japan's trade shares 1995-2009 (sim/calibration/calibration.cpp)")
    shares = trade.pivot(index="year", columns="partner", values="total_trade_musd")
    shares = shares.div(shares.sum(axis=1), axis=0)
    for partner in SCENARIO_COUNTRIES:
        column = shares[partner]
        print(f'      {{"{partner}", {column[2009]:.5f}, {column.min():.5f}, {column.max():.5f}}},')

    print("\n# 5. 2009: shared IGOs (COW IGO) and ATOP obligations")
    igo_2009 = igos[igos.year == 2009].set_index("partner").dyadigos
    atop_2009 = atop[atop.year == 2009].set_index("partner")
    for partner in SCENARIO_COUNTRIES:
        obligations = []
        if partner in atop_2009.index:
            row = atop_2009.loc[partner]
            obligations = [name for name in ("defense", "offense", "neutral", "nonagg", "consul") if row[f"atop_{name}"]]
        print(f"{partner}: {igo_2009.get(partner, 'n/a')} shared IGOs; ATOP: {', '.join(obligations) or 'none'}")


    print("\n# 6. the trade world (COW National Trade totals, capital distances, COW dyads 1995-2009)")
    exports, imports, ratio = trade_totals(data)
    km = distances(data)
    countries = sorted(SCENARIO_COUNTRIES + ["JPN"])
    print(f"Taiwan's imports (no COW import totals): its exports x the mean import/export ratio of "
          f"{', '.join(COMPARABLE_FOR_TWN)} in the same year (2009: {ratio[2009]:.4f}, 1995-2009 mean {ratio.mean():.4f})")
    panel = gravity_panel(trade, exports, imports, km)
    beta, classical, robust, resid, r2 = fit_gravity(panel)
    print(f"gravity fit, log T_ij = b0 + b_x log X_i + b_m log M_j + b_d log dist_ij, on {len(panel)} dyad-years "
          f"({panel.year.min()}-{panel.year.max()}, both directions of {len(trade.partner.unique())} Japan dyads), R^2 = {r2:.3f}")
    for name, b, s, c in zip(["b0 (density)", "b_x (exporter_size)", "b_m (importer_size)", "b_d (distance)"],
                             beta, classical, robust):
        print(f"  {name:22s} {b:8.4f}   se {s:.4f} (classical), {c:.4f} (clustered by dyad)")
    rho, se_rho, lam, sd_q, sd_u = error_correction_speed(panel, resid)
    print(f"deviations from gravity: annual AR(1) rho = {rho:.4f} (se {se_rho:.4f}) -> quarterly lambda = 1 - rho^(1/4) = {lam:.4f}; "
          f"annual innovation sd {sd_u:.4f} -> quarterly shock sd {sd_q:.4f}")

    print("\n[trade]\ntotals_year = 2009")
    for code in countries:
        gx, gm = trends(exports[code]), trends(imports[code])
        note = "  # estimate: exports x the KOR/SGP import ratio (tools/baseline_data.py)" if code == "TWN" else ""
        print(f"\n[trade.totals.{code}]\nexports = {exports.at[2009, code]:.0f}\nimports = {imports.at[2009, code]:.0f}{note}\n"
              f"exports_growth = {gx:.4f}\nimports_growth = {gm:.4f}")
    print("\n[trade.distance_km]")
    for a_index, a in enumerate(countries):
        for b in countries[a_index + 1:]:
            print(f"{a}-{b} = {km[(a, b)]:g}")

    print("\n[initial_ties.trade]   (Japan: data, 2009; the rest: the gravity prediction at the 2009 totals, an estimate)")
    for a in countries:
        for b in countries:
            if a == b: continue
            if a == "JPN":
                print(f"{a}-{b} = {last.loc[b].jpn_exports_to_partner}   # data")
            elif b == "JPN":
                print(f"{a}-{b} = {last.loc[a].jpn_imports_from_partner}   # data")
            else:
                value = np.exp(beta[0] + beta[1] * np.log(exports.at[2009, a]) + beta[2] * np.log(imports.at[2009, b])
                               + beta[3] * np.log(km[(a, b)]))
                print(f"{a}-{b} = {value:.0f}")


if __name__ == "__main__":
    main()
