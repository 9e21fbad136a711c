#pragma once
// Calibration targets as data: what a targets file (scenarios/calibration/targets.toml) says,
// validated and frozen. The statistics are C++ (sim/calibration/calibration.cpp); which measures,
// agents, years and tolerances they apply to is in the file. No TOML here: the loader is
// sim/calibration/targets_file.cpp.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace policysim::calibration {

// What one seed's run gives for a target (the file's `statistic`; docs in targets.toml).
enum class Statistic {
  RatioOfMeans,
  FirstYear,
  CountPerYearAfterFirst,
  CountPerYearVsOtherYears,
  RankCorrelationOfFirstYears,
  SharesAmongPartners,
  YearEnd,
  RatioOfYearEnds,
  ShareOfPartners,
};
std::string_view name_of(Statistic statistic);
std::optional<Statistic> statistic_from_name(std::string_view name);
std::vector<std::string> statistic_names();

// A condition on a number: { at_least = x }, { above = x }, { at_most = x }, { below = x },
// { between = [low, high] } (both ends included).
struct Condition {
  enum class Kind { AtLeast, Above, AtMost, Below, Between };
  Kind kind = Kind::AtLeast;
  double low = 0.0;   // the bound (or the lower end of between)
  double high = 0.0;  // the upper end of between
  bool holds(double value) const;
  // ">= 1.5", "> 0.5", "0.6 .. 1.4" (numbers in their shortest form).
  std::string describe() const;
};

struct Tolerance {
  std::optional<Condition> each_seed;  // with seed_share: that share of seeds meets it
  double seed_share = 0.0;
  bool seed_share_strict = false;  // seeds_more_than (>) rather than seeds_at_least (>=)
  std::optional<Condition> mean;    // the mean over seeds (with a value) meets it
  std::optional<Condition> median;  // the median over seeds (with a value) meets it
  std::optional<Condition> total;   // ShareOfPartners: the mean over seeds of the sum over all partners
  bool above_other_years = false;   // CountPerYearVsOtherYears: above the other years pooled
  bool above_busiest_other_year = false;  // CountPerYearVsOtherYears: above each other year
  std::optional<std::array<double, 2>> range_factors;  // SharesAmongPartners
};

// A partner of `agent` with what the source says about it: a year (Table 1) or a share and its
// observed range (trade).
struct Partner {
  std::string code;
  int year = 0;
  double share_2009 = 0.0;
  double min = 0.0;
  double max = 0.0;
};

struct Target {
  std::string id;  // the key in [targets.<id>]
  int line = 0;    // where it starts in the file
  std::string title, says, source, passage, evidence_year, role, sets;
  std::string measure;  // a Pair measure of the measure catalogue (sim/measures/measure.hpp)
  // pair = "A-B" gives agent A and partner B; otherwise agent and partners.
  std::string agent;
  std::string partner;
  bool both_directions = false;
  std::vector<Partner> partners;
  Statistic statistic = Statistic::YearEnd;
  std::vector<int> years, over_years;
  std::vector<int> other_years;  // CountPerYearVsOtherYears; empty: every other simulated year
  int year = 0, over_year = 0, years_after = 0;
  int digits = 2;
  Tolerance tolerance;
};

// A table printed after the targets: one row per simulated year, one column per measure.
struct TableColumn {
  enum class PerYear { Mean, Count, YearEnd };
  std::string heading;
  std::string measure;
  std::string agent, partner;
  bool both_directions = false;
  PerYear per_year = PerYear::Mean;
  int digits = 2;
  // A count column (`agent` and `count_above`, no `partner`): the number of the agent's partners
  // whose value exceeds count_above at the end of the year, e.g. Japan's dialogue partners.
  std::optional<double> count_above;
};

struct Table {
  std::string id;
  int line = 0;
  std::string title;
  std::vector<TableColumn> columns;
};

struct TargetsFile {
  std::string file;
  std::vector<Target> targets;  // in file order
  std::vector<Table> tables;    // in file order
};

// Reads and checks a targets file; throws ScenarioError (sim/scenario/load.hpp) listing every
// problem as file:line: key: what was wrong (with "did you mean" for unknown names).
TargetsFile load_targets(const std::filesystem::path& file);

// The targets file used when none is named: calibration/targets.toml next to the scenario file,
// or else next to the first file of its `extends` chain that has one (a what-if or a test world
// built on the baseline is judged by the baseline's targets). `chain`: the scenario file, then the
// files it extends (Scenario::chain). Without any, the path next to the scenario file (whose
// absence the loader then reports).
std::filesystem::path default_targets_file(const std::vector<std::string>& chain);

}  // namespace policysim::calibration
