#include "sim/estimation/estimate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include <Eigen/Dense>

#include "sim/estimation/moments.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/scenario/document.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/sweep/cluster.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/runner.hpp"
#include "sim/sweep/sampling.hpp"
#include "sim/sweep/spec.hpp"

namespace fs = std::filesystem;

namespace policysim::estimation {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The sampler's random numbers: the sweep's design uniforms (Philox4x64-10, one stream per purpose,
// sim/sweep/sampling.hpp), so a draw is a pure function of (seed, generation, particle, attempt).
class Draws {
 public:
  explicit Draws(std::uint64_t seed) : seed_(seed) {}
  double prior(std::uint64_t particle, std::uint64_t parameter) const {
    return sweep::design_uniform(seed_, sweep::DesignPurpose::EstimatePrior, particle, parameter);
  }
  double ancestor(std::uint64_t generation, std::uint64_t particle, std::uint64_t attempt) const {
    return sweep::design_uniform(seed_, sweep::DesignPurpose::EstimateAncestor, generation, particle, attempt);
  }
  // Standard normals by Box-Muller, two per pair of uniforms.
  std::vector<double> normals(std::size_t count, std::uint64_t generation, std::uint64_t particle,
                              std::uint64_t attempt) const {
    std::vector<double> result;
    for (std::uint64_t k = 0; result.size() < count; k += 2) {
      const double u1 = sweep::design_uniform(seed_, sweep::DesignPurpose::EstimateKernel, generation, particle, attempt * 1024 + k);
      const double u2 = sweep::design_uniform(seed_, sweep::DesignPurpose::EstimateKernel, generation, particle, attempt * 1024 + k + 1);
      const double radius = std::sqrt(-2.0 * std::log(u1));
      result.push_back(radius * std::cos(2.0 * M_PI * u2));
      if (result.size() < count) result.push_back(radius * std::sin(2.0 * M_PI * u2));
    }
    return result;
  }

 private:
  std::uint64_t seed_;
};

std::string number_text(double value) {
  std::ostringstream out;
  out << std::setprecision(17) << value;
  return out.str();
}

// Each generation's sweep gets its own seed, derived from the spec's (splitmix64 finaliser), so
// the runs of different generations never share seeds.
std::uint64_t generation_seed(std::uint64_t seed, int generation) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(generation + 2);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return (z ^ (z >> 31)) >> 2;  // a non-negative TOML integer
}

double weighted_quantile(std::vector<std::pair<double, double>> value_weight, double q) {
  std::sort(value_weight.begin(), value_weight.end());
  double total = 0.0;
  for (const auto& [value, weight] : value_weight) total += weight;
  double cumulative = 0.0;
  for (const auto& [value, weight] : value_weight) {
    cumulative += weight;
    if (cumulative >= q * total) return value;
  }
  return value_weight.back().first;
}

// Runs one generation's points through the sweep engine; returns per point and replicate the
// moments. The sweep's file and journal live in the work folder; the values are also saved there,
// so a finished generation is read back on --resume instead of run again.
class GenerationRunner {
 public:
  GenerationRunner(const EstimateSpec& spec, const EstimateOptions& options, const sweep::Cluster& cluster)
      : spec_(spec), options_(options), cluster_(cluster), work_(work_folder_for(options.output)) {
    if (spec.parameters.empty()) throw std::invalid_argument("estimate: no free parameter");
    base_overrides_ = spec.scenario_overrides;
    base_overrides_.insert(base_overrides_.end(), options.overrides.begin(), options.overrides.end());
    const LoadedScenario loaded = load_scenario(spec.scenario_file, base_overrides_);
    std::vector<std::string> codes;
    for (const Government& government : loaded.scenario.governments) codes.push_back(government.code);
    std::vector<ScenarioIssue> unknown;
    for (const Moment& moment : spec.moments) {
      std::vector<std::string> agents = moment.partners;
      agents.push_back(moment.from);
      if (moment.statistic != MomentStatistic::CountAbove) agents.push_back(moment.to);
      for (const std::string& agent : agents)
        if (std::find(codes.begin(), codes.end(), agent) == codes.end())
          unknown.push_back({moment.file, moment.line, "moments." + moment.id,
                             "\"" + agent + "\" is not an agent of " + spec.scenario_file + suggestion_hint(agent, codes)});
    }
    if (!unknown.empty()) throw ScenarioError(std::move(unknown));
    std::vector<std::string> pairs;
    for (const AgentPair& pair : loaded.scenario.pairs_of_interest) pairs.push_back(pair.label);
    const auto extra = moment_overrides(spec.moments, pairs);
    base_overrides_.insert(base_overrides_.end(), extra.begin(), extra.end());
    warnings_ = loaded.warnings;
    const ScenarioSource source = read_scenario_source(spec.scenario_file);
    for (const auto& [key, entry] : *source.document)
      if (entry.path[0] == "sweep")
        throw ScenarioError({{entry.file, entry.line, key,
                              "the estimated scenario may not hold a [sweep] section (estimate makes its own sweeps)"}});
  }

  const std::vector<ScenarioIssue>& warnings() const { return warnings_; }

  // The sweep of one generation: its design CSV, replicates and seed on top of the scenario.
  sweep::SweepPlan plan_generation(const fs::path& design, int generation, std::size_t replicates) const {
    std::vector<Override> overrides = base_overrides_;
    const std::vector<Override> sweep_settings = {
        {"sweep.design", "\"file\"", "estimate"},
        {"sweep.file", sweep::toml_literal(SweepValue(fs::absolute(design).string())), "estimate"},
        {"sweep.replicates", std::to_string(replicates), "estimate"},
        {"sweep.seed", std::to_string(generation_seed(spec_.seed, generation)), "estimate"},
        {"sweep.common_random_numbers", "false", "estimate"}};
    overrides.insert(overrides.end(), sweep_settings.begin(), sweep_settings.end());
    return sweep::plan_sweep(spec_.scenario_file, overrides);
  }
  static std::string design_csv(const EstimateSpec& spec, const std::vector<std::vector<double>>& points) {
    std::string csv;
    for (std::size_t p = 0; p < spec.parameters.size(); ++p) csv += (p ? "," : "") + spec.parameters[p].key;
    csv += "\n";
    for (const auto& point : points) {
      for (std::size_t p = 0; p < point.size(); ++p) csv += (p ? "," : "") + number_text(point[p]);
      csv += "\n";
    }
    return csv;
  }

  // values[point][replicate][moment]
  std::vector<std::vector<std::vector<double>>> run(const std::string& name, int generation,
                                                    const std::vector<std::vector<double>>& points,
                                                    std::size_t replicates) {
    const std::string csv = design_csv(spec_, points);
    const fs::path design = work_ / (name + ".csv");
    const fs::path sweep_file = work_ / (name + ".h5");
    const fs::path saved = work_ / (name + ".moments");
    // Under MPI the root writes the work folder; the other ranks read the design after the
    // broadcast (which waits for the root) and receive the generation's moments from it.
    std::string saved_text;
    if (cluster_.root()) {
      write_file_atomically(design, csv);
      if (options_.resume) {
        std::ifstream in(saved);
        std::ostringstream text;
        text << in.rdbuf();
        saved_text = in ? text.str() : std::string();
      }
    }
    cluster_.broadcast(saved_text);

    const sweep::SweepPlan plan = plan_generation(design, generation, replicates);
    const MomentReader reader(plan, spec_.moments);

    std::vector<std::vector<std::vector<double>>> values(points.size());
    if (!saved_text.empty() && parse_saved(saved_text, plan.hash, values, replicates)) {
      runs_ += values.size() * replicates;
      return values;
    }
    for (auto& point : values) point.clear();

    sweep::SweepOptions sweep_options;
    sweep_options.output = sweep_file;
    sweep_options.resume = fs::exists(sweep::Journal::folder_for(sweep_file));
    sweep_options.force = true;  // the work folder is this estimate's own
    sweep_options.command_line = options_.command_line;
    sweep_options.stop = options_.stop;
    // A redrawn bar on a terminal; in a log, the estimate's own line per generation is enough.
    sweep_options.log = options_.terminal ? options_.log : nullptr;
    sweep_options.terminal = options_.terminal;
    sweep_options.on_point = [&](std::size_t point, std::span<const SweepRunRecord> records) {
      for (const SweepRunRecord& record : records) values.at(point).push_back(reader.values(record));
    };
    const sweep::SweepOutcome outcome = sweep::run_sweep(plan, sweep_options, cluster_);
    if (!outcome.complete) throw EstimateInterrupted("interrupted");
    runs_ += plan.runs();

    std::string text;
    if (cluster_.root()) {
      text = plan.hash + "\n";
      for (const auto& point : values)
        for (const auto& replicate : point) {
          for (std::size_t m = 0; m < replicate.size(); ++m) text += (m ? " " : "") + number_text(replicate[m]);
          text += "\n";
        }
      write_file_atomically(saved, text);
      std::error_code ignored;
      fs::remove(sweep_file, ignored);  // the estimate's file keeps every particle and its moments
    }
    cluster_.broadcast(text);
    if (!cluster_.root() && !parse_saved(text, plan.hash, values, replicates))
      throw std::runtime_error("estimate: the root's moments of " + name + " could not be read");
    return values;
  }

  std::size_t runs() const { return runs_; }

 private:
  // The saved moments of a generation (the text `run` writes): false unless complete and of this plan.
  bool parse_saved(const std::string& text, const std::string& hash, std::vector<std::vector<std::vector<double>>>& values,
                   std::size_t replicates) const {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != hash) return false;
    for (auto& point : values) {
      point.assign(replicates, std::vector<double>(spec_.moments.size()));
      for (auto& replicate : point) {
        if (!std::getline(in, line)) return false;
        std::istringstream fields(line);
        for (double& value : replicate) {
          std::string field;
          if (!(fields >> field)) return false;
          try {
            value = field == "nan" || field == "-nan" ? kNaN : std::stod(field);
          } catch (const std::exception&) {
            return false;
          }
        }
      }
    }
    return true;
  }

  const EstimateSpec& spec_;
  const EstimateOptions& options_;
  const sweep::Cluster& cluster_;
  fs::path work_;
  std::vector<Override> base_overrides_;
  std::vector<ScenarioIssue> warnings_;
  std::size_t runs_ = 0;
};

std::vector<double> replicate_mean(const std::vector<std::vector<double>>& replicates) {
  std::vector<double> mean(replicates.front().size(), 0.0);
  for (const auto& replicate : replicates)
    for (std::size_t m = 0; m < mean.size(); ++m) mean[m] += replicate[m] / static_cast<double>(replicates.size());
  return mean;
}

double distance(const std::vector<double>& simulated, const std::vector<double>& observed, const std::vector<double>& se) {
  double sum = 0.0;
  for (std::size_t m = 0; m < simulated.size(); ++m) {
    if (!std::isfinite(simulated[m])) return kInfinity;
    const double z = (simulated[m] - observed[m]) / se[m];
    if (!std::isfinite(z)) return kInfinity;
    sum += z * z;
  }
  return std::sqrt(sum / static_cast<double>(simulated.size()));
}

struct Kept {
  std::size_t simulated = 0;  // index into the result's simulated particles
  double log_weight = 0.0;
};

// The N_alpha closest of `candidates` (ties: the earlier simulated first, so the order is fixed).
std::vector<Kept> closest(std::vector<Kept> candidates, const std::vector<double>& distances, std::size_t keep) {
  std::stable_sort(candidates.begin(), candidates.end(), [&](const Kept& a, const Kept& b) {
    const double da = distances[a.simulated], db = distances[b.simulated];
    return da != db ? da < db : a.simulated < b.simulated;
  });
  candidates.resize(std::min(keep, candidates.size()));
  return candidates;
}

std::vector<double> normalised_weights(const std::vector<Kept>& kept) {
  double top = -kInfinity;
  for (const Kept& particle : kept) top = std::max(top, particle.log_weight);
  std::vector<double> weights;
  double total = 0.0;
  for (const Kept& particle : kept) total += weights.emplace_back(std::exp(particle.log_weight - top));
  for (double& weight : weights) weight /= total;
  return weights;
}

void summarise(EstimateResult& result, const std::vector<Kept>& kept) {
  const EstimateSpec& spec = result.spec;
  const std::vector<double> weights = normalised_weights(kept);
  result.posterior.clear();
  for (const Kept& particle : kept) result.posterior.push_back(particle.simulated);
  result.posterior_weight = weights;
  double squares = 0.0;
  for (double weight : weights) squares += weight * weight;
  result.effective_sample_size = 1.0 / squares;
  result.posterior_distance = 0.0;
  for (std::size_t k = 0; k < kept.size(); ++k) result.posterior_distance += weights[k] * result.simulated_distance[kept[k].simulated];

  const std::size_t dims = spec.parameters.size();
  std::vector<double> means(dims, 0.0), sds(dims, 0.0);
  result.parameters.clear();
  for (std::size_t p = 0; p < dims; ++p) {
    ParameterSummary summary;
    summary.key = spec.parameters[p].key;
    summary.low = spec.parameters[p].low;
    summary.high = spec.parameters[p].high;
    summary.truth = spec.parameters[p].truth.value_or(kNaN);
    std::vector<std::pair<double, double>> value_weight;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const double value = result.simulated_values[kept[k].simulated][p];
      value_weight.emplace_back(value, weights[k]);
      summary.mean += weights[k] * value;
    }
    for (const auto& [value, weight] : value_weight) summary.sd += weight * (value - summary.mean) * (value - summary.mean);
    summary.sd = std::sqrt(summary.sd);
    summary.median = weighted_quantile(value_weight, 0.5);
    summary.q05 = weighted_quantile(value_weight, 0.05);
    summary.q95 = weighted_quantile(value_weight, 0.95);
    means[p] = summary.mean;
    sds[p] = summary.sd;
    result.parameters.push_back(summary);
  }
  result.correlation.assign(dims, std::vector<double>(dims, 0.0));
  for (std::size_t a = 0; a < dims; ++a)
    for (std::size_t b = 0; b < dims; ++b) {
      double covariance = 0.0;
      for (std::size_t k = 0; k < kept.size(); ++k)
        covariance += weights[k] * (result.simulated_values[kept[k].simulated][a] - means[a]) *
                      (result.simulated_values[kept[k].simulated][b] - means[b]);
      result.correlation[a][b] = sds[a] > 0.0 && sds[b] > 0.0 ? covariance / (sds[a] * sds[b]) : (a == b ? 1.0 : 0.0);
    }
  result.moments.clear();
  for (std::size_t m = 0; m < spec.moments.size(); ++m) {
    MomentFit fit;
    fit.moment = &spec.moments[m];
    fit.observed = result.observed[m];
    fit.se = result.se[m];
    double mean = 0.0, total = 0.0;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const double value = result.simulated_moments[kept[k].simulated][m];
      if (!std::isfinite(value)) continue;
      mean += weights[k] * value;
      total += weights[k];
    }
    fit.simulated_mean = total > 0.0 ? mean / total : kNaN;
    double variance = 0.0;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const double value = result.simulated_moments[kept[k].simulated][m];
      if (std::isfinite(value)) variance += weights[k] * (value - fit.simulated_mean) * (value - fit.simulated_mean);
    }
    fit.simulated_sd = total > 0.0 ? std::sqrt(variance / total) : kNaN;
    result.moments.push_back(fit);
  }
}

}  // namespace

void check_spec(const EstimateSpec& spec, const std::vector<Override>& overrides) {
  const sweep::Cluster cluster;
  check_spec(spec, overrides, cluster);
}

void check_spec(const EstimateSpec& spec, const std::vector<Override>& overrides, const sweep::Cluster& cluster) {
  EstimateOptions options;
  options.overrides = overrides;
  const fs::path folder = fs::temp_directory_path() / ("policysim-estimate-check-" + std::to_string(::getpid()));
  fs::create_directories(folder);
  options.output = folder / "check.h5";
  struct Cleanup {
    fs::path folder;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(folder, ignored);
    }
  } cleanup{folder};
  const GenerationRunner runner(spec, options, cluster);
  std::vector<double> centre;
  for (const EstimatedParameter& parameter : spec.parameters)
    centre.push_back(parameter.truth.value_or((parameter.low + parameter.high) / 2));
  const fs::path design = folder / "centre.csv";
  write_file_atomically(design, GenerationRunner::design_csv(spec, {centre}));
  const sweep::SweepPlan plan = runner.plan_generation(design, 0, 1);
  const MomentReader reader(plan, spec.moments);
}

fs::path work_folder_for(const fs::path& output) {
  fs::path folder = output;
  folder += ".generations";
  return folder;
}

EstimateResult estimate(const EstimateSpec& spec, const EstimateOptions& options) {
  const sweep::Cluster cluster;
  return estimate(spec, options, cluster);
}

EstimateResult estimate(const EstimateSpec& spec, const EstimateOptions& options, const sweep::Cluster& cluster) {
  const auto started = std::chrono::steady_clock::now();
  EstimateResult result;
  result.spec = spec;
  const std::size_t dims = spec.parameters.size();
  const std::size_t moments = spec.moments.size();
  for (const Moment& moment : spec.moments) result.moment_ids.push_back(moment.id);

  const fs::path work = work_folder_for(options.output);
  std::string status = "ok";
  if (cluster.root()) {
    if (fs::exists(work) && !options.resume)
      status = work.string() + " exists: an earlier estimate was interrupted; continue it with --resume, or remove the folder";
    else
      fs::create_directories(work);
  }
  cluster.broadcast(status);
  if (status != "ok") {
    if (cluster.root()) throw sweep::SweepInputError(status);
    throw sweep::PeerFailure(2);
  }
  GenerationRunner runner(spec, options, cluster);
  if (options.log && cluster.root())
    for (const ScenarioIssue& warning : runner.warnings()) *options.log << warning.format() << "\n";

  // The data: observed values and standard errors, or, for synthetic data, one run at the truths
  // (the data) and `synthetic_replicates` more (the standard errors: the run-to-run spread).
  if (spec.synthetic) {
    std::vector<double> truth;
    for (const EstimatedParameter& parameter : spec.parameters) truth.push_back(*parameter.truth);
    EstimateSpec truth_spec = spec;
    truth_spec.seed = spec.synthetic_seed;
    GenerationRunner truth_runner(truth_spec, options, cluster);
    const auto values = truth_runner.run("synthetic", -1, {truth}, 1 + spec.synthetic_replicates);
    result.runs += truth_runner.runs();
    result.observed = values[0][0];
    result.se.assign(moments, 0.0);
    std::vector<ScenarioIssue> undefined;
    for (std::size_t m = 0; m < moments; ++m) {
      std::vector<double> finite;
      for (std::size_t r = 1; r <= spec.synthetic_replicates; ++r)
        if (std::isfinite(values[0][r][m])) finite.push_back(values[0][r][m]);
      const Moment& moment = spec.moments[m];
      if (!std::isfinite(result.observed[m]) || finite.size() < 2) {
        undefined.push_back({moment.file, moment.line, "moments." + moment.id,
                             "not defined at the truths (e.g. a growth from a tie of 0): choose other years or pairs"});
        continue;
      }
      const double n = static_cast<double>(finite.size());
      const double mean = std::accumulate(finite.begin(), finite.end(), 0.0) / n;
      double squares = 0.0;
      for (double value : finite) squares += (value - mean) * (value - mean);
      // A moment that does not vary between seeds still needs a scale: 1% of its size, at least 0.01.
      result.se[m] = std::max(std::sqrt(squares / (n - 1.0)), std::max(0.01, 0.01 * std::abs(result.observed[m])));
    }
    if (!undefined.empty()) throw ScenarioError(std::move(undefined));
  } else {
    for (const Moment& moment : spec.moments) {
      result.observed.push_back(moment.observed);
      result.se.push_back(moment.se);
    }
  }

  const Draws draws(spec.seed);
  const std::size_t keep = spec.kept();
  auto simulate = [&](int generation, const std::vector<std::vector<double>>& points) {
    const auto values = runner.run("generation-" + std::to_string(generation), generation, points, spec.replicates);
    std::vector<std::size_t> indices;
    for (std::size_t k = 0; k < points.size(); ++k) {
      indices.push_back(result.simulated_values.size());
      result.simulated_generation.push_back(generation);
      result.simulated_values.push_back(points[k]);
      result.simulated_moments.push_back(replicate_mean(values[k]));
      result.simulated_distance.push_back(distance(result.simulated_moments.back(), result.observed, result.se));
    }
    return indices;
  };

  // Generation 0: the priors.
  std::vector<std::vector<double>> points(spec.particles, std::vector<double>(dims));
  for (std::size_t k = 0; k < spec.particles; ++k)
    for (std::size_t p = 0; p < dims; ++p) {
      const double u = draws.prior(k, p);
      points[k][p] = spec.parameters[p].low + u * (spec.parameters[p].high - spec.parameters[p].low);
    }
  std::vector<Kept> kept;
  for (std::size_t index : simulate(0, points)) kept.push_back({index, 0.0});
  result.generations.push_back({kInfinity, 1.0, spec.particles});
  kept = closest(std::move(kept), result.simulated_distance, keep);
  double tolerance = result.simulated_distance[kept.back().simulated];
  if (options.log && cluster.root())
    *options.log << "estimate: generation 0: " << spec.particles << " particles from the priors, tolerance "
                 << number_text(tolerance) << "\n";

  result.stop_reason = "max_generations";
  for (int generation = 1; generation < static_cast<int>(spec.max_generations); ++generation) {
    // The kernel: a Gaussian with twice the kept particles' weighted covariance.
    const std::vector<double> weights = normalised_weights(kept);
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(dims));
    for (std::size_t k = 0; k < kept.size(); ++k)
      mean += weights[k] * Eigen::Map<const Eigen::VectorXd>(result.simulated_values[kept[k].simulated].data(),
                                                             static_cast<Eigen::Index>(dims));
    Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(dims), static_cast<Eigen::Index>(dims));
    for (std::size_t k = 0; k < kept.size(); ++k) {
      const Eigen::VectorXd d = Eigen::Map<const Eigen::VectorXd>(result.simulated_values[kept[k].simulated].data(),
                                                                 static_cast<Eigen::Index>(dims)) - mean;
      covariance += weights[k] * d * d.transpose();
    }
    covariance *= 2.0;
    // A population collapsed onto one value still needs a kernel: a floor of (1e-6 prior range)^2.
    for (std::size_t p = 0; p < dims; ++p) {
      const double range = spec.parameters[p].high - spec.parameters[p].low;
      covariance(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p)) += 1e-12 * range * range;
    }
    const Eigen::LLT<Eigen::MatrixXd> cholesky(covariance);
    const Eigen::MatrixXd lower = cholesky.matrixL();
    const Eigen::MatrixXd precision = cholesky.solve(Eigen::MatrixXd::Identity(covariance.rows(), covariance.cols()));
    double log_det = 0.0;
    for (Eigen::Index i = 0; i < lower.rows(); ++i) log_det += 2.0 * std::log(lower(i, i));
    const double log_norm = -0.5 * (static_cast<double>(dims) * std::log(2.0 * M_PI) + log_det);
    // The uniform prior's density inside its box: 1 / volume.
    double log_prior = 0.0;
    for (const EstimatedParameter& parameter : spec.parameters) log_prior -= std::log(parameter.high - parameter.low);

    std::vector<double> cumulative;
    double running = 0.0;
    for (double weight : weights) cumulative.push_back(running += weight);

    const std::size_t fresh = spec.particles - keep;
    std::vector<std::vector<double>> proposals(fresh, std::vector<double>(dims));
    std::vector<double> log_weights(fresh);
    for (std::size_t k = 0; k < fresh; ++k) {
      for (std::uint64_t attempt = 0;; ++attempt) {
        const double u = draws.ancestor(static_cast<std::uint64_t>(generation), k, attempt);
        const auto ancestor = static_cast<std::size_t>(std::lower_bound(cumulative.begin(), cumulative.end(), u * running) -
                                                       cumulative.begin());
        const auto& from = result.simulated_values[kept[std::min(ancestor, kept.size() - 1)].simulated];
        const std::vector<double> z = draws.normals(dims, static_cast<std::uint64_t>(generation), k, attempt);
        const Eigen::VectorXd step = lower * Eigen::Map<const Eigen::VectorXd>(z.data(), static_cast<Eigen::Index>(dims));
        bool inside = true;
        for (std::size_t p = 0; p < dims; ++p) {
          proposals[k][p] = from[p] + step(static_cast<Eigen::Index>(p));
          inside = inside && proposals[k][p] >= spec.parameters[p].low && proposals[k][p] <= spec.parameters[p].high;
        }
        if (inside) break;
        if (attempt > 100000) throw std::runtime_error("estimate: no proposal inside the priors after 100000 attempts");
      }
      // weight = prior / sum_j w_j K(theta | theta_j); the uniform prior is the same everywhere inside.
      double top = -kInfinity;
      std::vector<double> terms;
      for (std::size_t j = 0; j < kept.size(); ++j) {
        Eigen::VectorXd d(static_cast<Eigen::Index>(dims));
        for (std::size_t p = 0; p < dims; ++p)
          d(static_cast<Eigen::Index>(p)) = proposals[k][p] - result.simulated_values[kept[j].simulated][p];
        const double term = std::log(weights[j]) + log_norm - 0.5 * d.dot(precision * d);
        top = std::max(top, term);
        terms.push_back(term);
      }
      double sum = 0.0;
      for (double term : terms) sum += std::exp(term - top);
      log_weights[k] = log_prior - (top + std::log(sum));
    }
    const std::vector<std::size_t> indices = simulate(generation, proposals);
    std::size_t accepted = 0;
    std::vector<Kept> candidates = kept;
    for (std::size_t k = 0; k < fresh; ++k) {
      if (result.simulated_distance[indices[k]] < tolerance) ++accepted;
      candidates.push_back({indices[k], log_weights[k]});
    }
    const double acceptance = static_cast<double>(accepted) / static_cast<double>(fresh);
    result.generations.push_back({tolerance, acceptance, fresh});
    // The kept particles keep their weights (Lenormand et al. 2013, algorithm 2): every weight is an
    // importance weight prior / proposal density, generation 0's being 1 (proposed by the prior).
    kept = closest(std::move(candidates), result.simulated_distance, keep);
    tolerance = result.simulated_distance[kept.back().simulated];
    if (options.log && cluster.root())
      *options.log << "estimate: generation " << generation << ": " << fresh << " new particles, acceptance "
                   << std::fixed << std::setprecision(3) << acceptance << std::defaultfloat << ", tolerance "
                   << number_text(tolerance) << "\n";
    if (acceptance <= spec.min_acceptance) {
      result.stop_reason = "acceptance";
      break;
    }
  }
  summarise(result, kept);
  result.runs += runner.runs();
  std::error_code ignored;
  if (cluster.root()) fs::remove_all(work, ignored);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

std::string format(const EstimateResult& result) {
  std::ostringstream out;
  auto fixed = [](double value, int digits) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(digits) << value;
    return text.str();
  };
  out << "Parameters (posterior over " << result.posterior.size() << " particles, effective sample size "
      << fixed(result.effective_sample_size, 1) << ")\n";
  out << "  " << std::left << std::setw(44) << "key" << std::right << std::setw(18) << "prior" << std::setw(10)
      << "estimate" << std::setw(22) << "90% interval" << std::setw(9) << "share" << "  identified";
  const bool synthetic = result.spec.synthetic;
  if (synthetic) out << std::setw(9) << "truth" << "  covered";
  out << "\n";
  for (const ParameterSummary& p : result.parameters) {
    out << "  " << std::left << std::setw(44) << p.key << std::right << std::setw(18)
        << ("[" + fixed(p.low, 2) + ", " + fixed(p.high, 2) + "]") << std::setw(10) << fixed(p.median, 3) << std::setw(22)
        << ("[" + fixed(p.q05, 3) + ", " + fixed(p.q95, 3) + "]") << std::setw(9) << fixed(p.interval_share(), 2) << "  "
        << std::left << std::setw(10) << (p.identified() ? "yes" : "no") << std::right;
    if (synthetic)
      out << std::setw(9) << fixed(p.truth, 3) << "  " << (p.truth >= p.q05 && p.truth <= p.q95 ? "yes" : "no");
    out << "\n";
  }
  bool header = false;
  for (std::size_t a = 0; a < result.parameters.size(); ++a)
    for (std::size_t b = a + 1; b < result.parameters.size(); ++b)
      if (std::abs(result.correlation[a][b]) >= 0.5) {
        if (!header) out << "Trade-offs (posterior correlation |r| >= 0.5: the moments tell these apart poorly)\n";
        header = true;
        out << "  " << result.parameters[a].key << " ~ " << result.parameters[b].key << ": r = "
            << fixed(result.correlation[a][b], 2) << "\n";
      }
  out << "Moments (simulated: posterior mean and sd over the particles; fit: mean distance "
      << fixed(result.posterior_distance, 3) << ")\n";
  out << "  " << std::left << std::setw(32) << "moment" << std::right << std::setw(12) << "observed" << std::setw(10) << "se"
      << std::setw(12) << "simulated" << std::setw(10) << "sd" << std::setw(8) << "z" << "\n";
  for (const MomentFit& fit : result.moments)
    out << "  " << std::left << std::setw(32) << fit.moment->id << std::right << std::setw(12) << fixed(fit.observed, 3)
        << std::setw(10) << fixed(fit.se, 3) << std::setw(12) << fixed(fit.simulated_mean, 3) << std::setw(10)
        << fixed(fit.simulated_sd, 3) << std::setw(8) << fixed(fit.z(), 2) << "\n";
  out << "Generations: " << result.generations.size() << " (stopped: "
      << (result.stop_reason == "acceptance" ? "acceptance fell to min_acceptance" : "max_generations reached")
      << "), " << result.runs << " runs\n";
  return out.str();
}

}  // namespace policysim::estimation
