#pragma once
// Calibration targets of the government model and the runs that check them.
//
// The baseline is fitted only on data up to 2009 and on the stated mechanisms; the facts from
// 2010 on, gathered here with their sources, are *validation targets*: the model is run over
// many seeds and compared with them. `policysim calibrate` prints the comparison;
// tests/calibration checks the tolerances.
//
// Year convention: "the value in year Y" is the mean of the states at the end of the four
// quarters of Y (output rows YQ2, YQ3, YQ4 and (Y+1)Q1); a milestone "in year Y" happened in one
// of the quarters of Y.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/description/scenario.hpp"

namespace policysim::calibration {

// Japan's bilateral cyber dialogues by first year. Source: 004_688dbf1441b292a7.txt, Table 1.
struct FirstDialogue {
  std::string partner;  // agent code in the scenario
  int year;
};
const std::vector<FirstDialogue>& table1_first_dialogues();

// Japan's share of two-way trade with each partner (countries of the data, not PRK), 1995-2009.
// Data: ../shared/data/cow_trade_japan_dyads_1995_2009.csv (total_trade_musd), shares of the sum
// over these partners; computed by tools/baseline_data.py.
struct TradeShareRange {
  std::string partner;
  double share_2009;
  double low;   // smallest share 1995-2009
  double high;  // largest share 1995-2009
};
const std::vector<TradeShareRange>& data_trade_shares();

// What one seed's run shows.
struct SeedOutcome {
  std::uint64_t seed = 0;
  double isr_dialogue_2012_2013 = 0.0;  // JPN-ISR dialogue, mean over 2012-2013
  double isr_dialogue_2015_2016 = 0.0;  // JPN-ISR dialogue, mean over 2015-2016
  std::map<int, double> isr_dialogue_by_year;  // JPN-ISR dialogue, mean over each year
  std::optional<int> first_isr_dialogue_year;
  std::map<int, int> isr_dialogues_by_year;  // JPN-ISR dialogues held, by year
  std::map<int, int> isr_mous_by_year;       // JPN-ISR MOUs signed, by year
  std::map<std::string, std::optional<int>> first_dialogue_year;  // JPN with each Table 1 partner
  std::map<std::string, double> trade_share_2010;                 // Japan's trade shares in 2010
  double table1_spearman = 0.0;  // rank correlation of first_dialogue_year with Table 1
  // B2B, at the end of each year: Japanese and Israeli firms with a B2B cooperation partner
  // in the other country ("companies networked", JIIN); Israel's exports to Japan (mean over the year).
  std::map<int, double> jpn_isr_networked_by_year;
  std::map<int, double> isr_exports_to_jpn_by_year;
  // Japan's non-cyber firms' ties to cyber security firms at the end of 2019: how many, and the share
  // whose cyber security partner is American or Israeli (NaN without firms).
  double jpn_cyber_partner_ties_2019 = 0.0;
  double jpn_cyber_partners_us_isr_share_2019 = 0.0;

  double isr_dialogue_ratio() const;
  // JPN-ISR dialogues per year over the five years after the first one (nullopt without one).
  std::optional<double> isr_dialogues_per_year_after_first() const;
};

struct Report {
  std::string scenario_file;
  int first_year = 0;  // the first and last simulated years
  int last_year = 0;
  std::vector<SeedOutcome> seeds;
};

// Runs `scenario` once per seed (seed = scenario seed + k, k = 0 .. seeds - 1), in parallel
// over seeds; the result does not depend on the thread count. Needs the agents JPN and ISR.
Report run(const Scenario& scenario, int seeds);

// One target: what the sources say, what the model gives, the tolerance, and whether it is met.
struct TargetResult {
  std::string name;
  std::string source;
  std::string model;
  std::string tolerance;
  bool met = false;
};
std::vector<TargetResult> evaluate(const Report& report);

// Spearman's rank correlation (average ranks for ties); 0 when either side is constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

// The report as text: the targets, then the details (per year, per partner).
std::string format(const Report& report);

}  // namespace policysim::calibration
