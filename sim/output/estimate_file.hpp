#pragma once
// Writes an estimate (`policysim estimate`, docs/estimation.md) to one self-describing HDF5 file:
// the priors and the posterior summary per parameter, the posterior sample with its weights, every
// simulated particle, the fit of every moment and the sampler's generations. Plain data in (this
// header names no HDF5 type); written under a temporary name and renamed into place.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace policysim {

struct EstimateFileContents {
  // Root attributes and provenance.
  std::string program_version, spec_file, scenario_file, command_line, method, stop_reason, spec_toml;
  std::int64_t particles = 0, kept = 0, replicates = 0, generations = 0, runs = 0, last_training_year = 0;
  double alpha = 0.0, min_acceptance = 0.0, effective_sample_size = 0.0;
  std::uint64_t seed = 0;
  bool synthetic = false;

  // /parameters [parameter]
  std::vector<std::string> parameter_keys;
  std::vector<double> prior_low, prior_high, truth, mean, sd, median, q05, q95, interval_share;
  std::vector<std::int64_t> identified;
  std::vector<std::vector<double>> correlation;  // [parameter][parameter]

  // /moments [moment]
  std::vector<std::string> moment_ids, moment_names, moment_measures, moment_pairs, moment_statistics, moment_sources;
  std::vector<std::int64_t> moment_first_year, moment_last_year, moment_evidence_year;
  std::vector<double> observed, se, simulated_mean, simulated_sd;

  // /posterior [particle]: indices into /simulations, weights (sum 1)
  std::vector<std::int64_t> posterior_simulation;
  std::vector<double> posterior_weight;

  // /simulations [simulation]: every particle simulated
  std::vector<std::int64_t> simulation_generation;
  std::vector<std::vector<double>> simulation_values;   // [simulation][parameter]
  std::vector<std::vector<double>> simulation_moments;  // [simulation][moment]
  std::vector<double> simulation_distance;

  // /generations [generation]
  std::vector<double> generation_tolerance, generation_acceptance;
  std::vector<std::int64_t> generation_simulations;
};

// Throws OutputError (TargetExists when `overwrite` is false and the target exists).
void write_estimate_file(const std::filesystem::path& target, const EstimateFileContents& contents, bool overwrite);

// The posterior sample of an estimate file: what `compare --parameter-draws` draws from.
struct EstimatePosterior {
  std::vector<std::string> keys;            // /parameters/key
  std::vector<std::vector<double>> values;  // [particle][parameter]
  std::vector<double> weights;              // sum 1
};
// Throws InputFileError naming the file and what is wrong (missing, not an estimate file, damaged).
EstimatePosterior read_estimate_posterior(const std::filesystem::path& file);

class InputFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace policysim
