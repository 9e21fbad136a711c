#pragma once
// Calibration: the model over many seeds against the targets of a targets file
// (scenarios/calibration/targets.toml; sim/calibration/targets.hpp).
//
// The targets are data: each names a measure of the catalogue (sim/measures/), the agents or
// pair it is read for, the years, a statistic, the observed value, the tolerance, the source and
// whether it was used to set a number (role "calibration") or never (role "validation"). `run`
// records, per seed and step, only the measures and steps the targets need; `evaluate` computes
// every target from those records with the same code whatever the target is about.
//
// Year convention: "the value in year Y" is the mean of the states at the end of the four
// quarters of Y (output rows YQ2, YQ3, YQ4 and (Y+1)Q1); a milestone "in year Y" happened in one
// of the quarters of Y; "at the end of Y" is the state after Y's fourth quarter.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "sim/calibration/targets.hpp"
#include "sim/model/calendar.hpp"
#include "sim/description/scenario.hpp"
#include "sim/measures/measure.hpp"

namespace policysim::calibration {

// What one seed's run recorded: values[m][s] is measure m after step s (an empty matrix where no
// target needs that step).
struct SeedRecord {
  std::uint64_t seed = 0;
  std::vector<std::vector<Eigen::MatrixXd>> values;
};

struct Report {
  std::string scenario_file;
  TargetsFile targets;
  std::vector<std::string> agents;     // agent codes by slot
  int first_year = 0;                  // the first and last simulated years
  int last_year = 0;
  std::vector<Period> steps;           // the quarter each step simulates
  std::vector<std::string> measures;   // the measures recorded, indexing SeedRecord::values
  // Measures that mean nothing in this scenario (firm measures without firms): the targets and
  // tables that read them are left out.
  std::vector<std::string> inapplicable;
  std::vector<SeedRecord> seeds;

  bool applies(const std::string& measure) const;
};

// Runs `scenario` once per seed (seed = scenario seed + k, k = 0 .. seeds - 1), in parallel over
// seeds; the result does not depend on the thread count. Throws ScenarioError (file:line of the
// targets file) when a target names an agent the scenario lacks in its `pair` or `agent`
// (a missing partner in a list is left out of the statistic, as the data cover some countries
// only).
Report run(const Scenario& scenario, const TargetsFile& targets, int seeds);

// A pair measure's value from agent slot `from` to `to` in one simulated year, summarised as
// `summary` (the mean of the year's recorded end-of-quarter states, their sum, or the state after
// the fourth quarter), then averaged over the report's seeds; nullopt when the report did not record
// the measure in that year. `both_directions` adds the value from `to` to `from`. The per-year
// tables and `score` read it.
std::optional<double> year_value(const Report& report, const std::string& measure, Eigen::Index from, Eigen::Index to,
                                 YearSummary summary, int year, bool both_directions = false);
// The value after one quarter's step, mean over the seeds; nullopt when not recorded.
std::optional<double> quarter_value(const Report& report, const std::string& measure, Eigen::Index from,
                                    Eigen::Index to, Period quarter);

// One target: what the sources say, what the model gives, the tolerance, and whether it is met.
struct TargetResult {
  std::string id;
  std::string name;
  std::string source;
  std::string model;
  std::string tolerance;
  std::string role;           // "calibration" or "validation"
  std::string sets;           // what a calibration target set
  std::string evidence_year;
  std::string details;        // per partner lines (may be empty)
  bool met = false;
};
// Every target of the report's file, in file order; a target whose measure does not apply to the
// scenario (a firm measure without firms) is left out.
std::vector<TargetResult> evaluate(const Report& report);

// Spearman's rank correlation (average ranks for ties); 0 when either side is constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

// The report as text: the targets, then the file's tables (per year), then per-partner details.
std::string format(const Report& report);

// Two reports on the same targets and seeds side by side (e.g. the drivers-only baseline and
// history.toml, which adds the policies that happened): per target, what each scenario gives and
// whether it meets the target, so a reader sees how much of a result the policies carry.
std::string format_side_by_side(const Report& first, const Report& second);

}  // namespace policysim::calibration
