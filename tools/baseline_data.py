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
  5. shared IGOs (COW IGO) and ATOP obligations in 2009, used for initial cooperation.
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


if __name__ == "__main__":
    main()
