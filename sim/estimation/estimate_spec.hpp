#pragma once
// An estimation spec (docs/estimation.md): which scenario, which coefficients are free and with
// what prior ranges, which moments of the training window they are fitted to, and the settings of
// the sampler. As data, like the targets file: the statistics are C++ (moments.cpp), the measures,
// agents, years and observed values are in the file. No TOML here: the loader is estimate_spec.cpp.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/load.hpp"

namespace policysim::estimation {

// What one run gives for a moment, over the moment's years [first_year, last_year].
// Year convention as `calibrate` (calibration.hpp): the value in year Y is the mean of the states
// after the four quarters of Y; a milestone in year Y happened in one of them.
enum class MomentStatistic {
  Mean,        // mean of the measure at the pair over the years
  Count,       // sum over the quarters of the years (milestones: dialogues held, MOUs signed)
  FirstYear,   // first year whose value at the pair is > threshold (0 by default); last_year + 1 if none
  YearEnd,     // the value after the last quarter of last_year
  Growth,      // log(mean in last_year / mean in first_year) / (last_year - first_year): yearly log growth
  CountAbove,  // how many of `partners` have a value from `agent` >= threshold at the end of last_year
};
std::string_view name_of(MomentStatistic statistic);
std::optional<MomentStatistic> moment_statistic_from_name(std::string_view name);
std::vector<std::string> moment_statistic_names();

struct Moment {
  std::string id;  // the table name under [moments]
  std::string name;
  std::string measure;  // a Pair measure of the measure catalogue
  MomentStatistic statistic = MomentStatistic::Mean;
  std::string from, to;               // the pair (from -> to); CountAbove: from = agent
  std::vector<std::string> partners;  // CountAbove
  double threshold = 0.0;             // FirstYear (value > threshold), CountAbove (value >= threshold)
  int first_year = 0;
  int last_year = 0;
  double observed = 0.0;  // the data's value (synthetic: made by the model at the truth)
  double se = 0.0;        // its standard error: the scale of the distance
  std::string source;
  int evidence_year = 0;  // the year of the evidence (0 for synthetic data)
  std::string file;       // where it is declared, for errors
  int line = 0;
};

struct EstimatedParameter {
  std::string key;  // a scenario key path, as for --set: "effects.dialogue.leader_affinity"
  double low = 0.0;  // uniform prior on [low, high]
  double high = 0.0;
  std::optional<double> truth;  // synthetic data only: the value the data are made with
  std::string file;
  int line = 0;
};

struct EstimateSpec {
  std::string file;           // the spec file
  std::string scenario_file;  // resolved relative to the spec's folder
  std::vector<Override> scenario_overrides;  // [estimate] set = ["key=value", ...], then the CLI's --set
  std::vector<EstimatedParameter> parameters;  // in key order
  std::vector<Moment> moments;                 // in id order
  // Adaptive population Monte Carlo ABC (Lenormand, Jabot & Deffuant 2013).
  std::size_t particles = 200;     // N: the population simulated per generation
  double alpha = 0.5;              // the share of the population kept as the next tolerance's sample
  double min_acceptance = 0.05;    // stop when fewer new particles than this share beat the tolerance
  std::size_t max_generations = 12;
  std::size_t replicates = 1;      // runs per particle (moments averaged over them)
  std::uint64_t seed = 1;
  // Synthetic data (parameter recovery): observed moments made by one run at the parameters'
  // truths with `synthetic_seed`, their standard errors from `synthetic_replicates` more runs.
  bool synthetic = false;
  std::uint64_t synthetic_seed = 0;
  std::size_t synthetic_replicates = 0;

  std::size_t kept() const;  // N_alpha = ceil(alpha N)
};

// Reads and checks a spec. Throws ScenarioError listing every problem (file:line, key path, what
// was expected); among them any moment whose evidence is dated after the training window
// (validation_split.hpp): held-out evidence may not set a number.
EstimateSpec read_estimate_spec(const std::filesystem::path& file);

}  // namespace policysim::estimation
