#pragma once
// `policysim estimate`: fits the free coefficients of a scenario to moments of the training window
// by adaptive population Monte Carlo ABC (APMC; Lenormand, Jabot & Deffuant 2013, "Adaptive
// approximate Bayesian computation for complex models", Computational Statistics 28), an ABC-SMC
// sampler (Beaumont et al. 2009; Del Moral et al. 2012) built for costly agent-based models: each
// generation simulates a batch of particles, so it is one sweep (sim/sweep/: the same Philox
// seeds, threads, MPI ranks, journal and --resume, progress bar).
//
//   generation 0: N particles from the uniform priors, each simulated `replicates` times;
//     the tolerance eps_1 is the alpha-quantile of their distances; the N_alpha = ceil(alpha N)
//     closest are kept, with weight 1.
//   generation t >= 1: N - N_alpha new particles, each a kept particle (drawn by weight) moved by a
//     Gaussian kernel with twice the kept particles' weighted covariance (Beaumont et al. 2009),
//     redrawn until inside the priors; weight = prior / sum_j w_j K(theta | theta_j). The share of
//     new particles closer than eps_t is the acceptance; kept and new together give eps_{t+1} and
//     the next N_alpha kept. Stop when the acceptance falls to min_acceptance or after
//     max_generations.
//   The kept particles of the last generation, with their weights, are the posterior sample.
//
// Distance: the root mean square of (simulated - observed) / se over the moments; a run that
// failed is infinitely far. Every draw is a pure function of (seed, generation, particle, attempt):
// the result is the same whatever the threads, and an interrupted estimate resumes to the same file.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/estimation/estimate_spec.hpp"
#include "sim/output/estimate_file.hpp"
#include "sim/sweep/cluster.hpp"

namespace policysim::estimation {

// Thrown when `stop` was raised: the work folder keeps what was finished, for --resume.
class EstimateInterrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EstimateOptions {
  std::filesystem::path output;  // the estimate's HDF5 file
  std::vector<Override> overrides;  // --set on the scenario, after the spec's `set`
  bool resume = false;   // continue from the work folder <output>.generations
  bool force = false;    // replace an existing output
  std::string command_line;
  const std::atomic<bool>* stop = nullptr;
  std::ostream* log = nullptr;  // progress and a line per generation; null: quiet
  bool terminal = false;
};

struct ParameterSummary {
  std::string key;
  double low = 0.0, high = 0.0;  // prior
  double truth = 0.0;            // NaN without synthetic data
  double mean = 0.0, sd = 0.0, median = 0.0, q05 = 0.0, q95 = 0.0;  // weighted, over the posterior sample
  // The 90% interval's width as a share of the prior range: a uniform posterior gives 0.9.
  double interval_share() const { return (q95 - q05) / (high - low); }
  // Whether the training moments narrow it at all: the interval holds at most 75% of the prior range.
  bool identified() const { return interval_share() <= 0.75; }
};

struct MomentFit {
  const Moment* moment = nullptr;
  double observed = 0.0, se = 0.0;  // as fitted (synthetic: made by the model)
  double simulated_mean = 0.0, simulated_sd = 0.0;  // over the posterior sample, weighted
  double z() const { return (simulated_mean - observed) / se; }
};

struct GenerationSummary {
  double tolerance = 0.0;   // eps used to judge this generation's new particles (generation 0: +inf)
  double acceptance = 1.0;  // share of new particles closer than the tolerance
  std::size_t simulations = 0;
};

struct EstimateResult {
  EstimateSpec spec;
  std::vector<std::string> moment_ids;
  std::vector<double> observed, se;
  // Every particle simulated, in order: generation, parameters, distance, moment values.
  std::vector<int> simulated_generation;
  std::vector<std::vector<double>> simulated_values, simulated_moments;
  std::vector<double> simulated_distance;
  // The posterior sample (the last generation's kept particles): indices into the simulated ones.
  std::vector<std::size_t> posterior;
  std::vector<double> posterior_weight;  // normalised to sum 1
  std::vector<GenerationSummary> generations;
  std::vector<ParameterSummary> parameters;
  std::vector<MomentFit> moments;
  std::vector<std::vector<double>> correlation;  // posterior correlation [parameter][parameter]
  double effective_sample_size = 0.0;            // (sum w)^2 / sum w^2
  // The fit: the weighted mean distance of the posterior sample (comparable between two estimates
  // on the same moments, e.g. with one explanation fixed at 0: --fix).
  double posterior_distance = 0.0;
  std::string stop_reason;
  double seconds = 0.0;
  std::size_t runs = 0;  // simulations x replicates, synthetic data included
};

// Runs the whole estimation; writes nothing but the work folder (the caller writes the file).
// Throws ScenarioError for a bad spec or scenario, sweep::SweepInputError for unusable outputs,
// EstimateInterrupted when `stop` was raised (the work folder is kept for --resume).
EstimateResult estimate(const EstimateSpec& spec, const EstimateOptions& options);
// The same as one rank of an MPI job (policysim estimate under mpirun): every rank calls it; the
// root writes the work folder and its ranks share each generation's runs. Throws
// sweep::PeerFailure on the other ranks when the root failed.
EstimateResult estimate(const EstimateSpec& spec, const EstimateOptions& options, const sweep::Cluster& cluster);

// Everything `estimate` checks before its first run, without running: the spec, the scenario with
// the spec's `set` and `overrides`, a sweep at the priors' centres, and that every moment can be read
// from its runs (measures, pairs, years). Throws ScenarioError listing the problems.
void check_spec(const EstimateSpec& spec, const std::vector<Override>& overrides);
void check_spec(const EstimateSpec& spec, const std::vector<Override>& overrides, const sweep::Cluster& cluster);

// The folder beside `output` where the generations' sweeps and their results are kept until done.
std::filesystem::path work_folder_for(const std::filesystem::path& output);

// The estimate as the contents of its HDF5 file.
EstimateFileContents file_contents(const EstimateResult& result, const std::string& command_line);

// The printed table: parameters (prior, estimate, 90% interval, share of the prior, identified,
// truth), strongly correlated pairs, moments (observed, se, simulated, z), generations.
std::string format(const EstimateResult& result);

}  // namespace policysim::estimation
