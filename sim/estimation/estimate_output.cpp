// The estimate as the plain data of its HDF5 file (sim/output/estimate_file.hpp).
#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/calibration/validation_split.hpp"
#include "sim/description/pair_label.hpp"
#include "sim/estimation/estimate.hpp"

namespace policysim::estimation {

EstimateFileContents file_contents(const EstimateResult& result, const std::string& command_line) {
  const EstimateSpec& spec = result.spec;
  EstimateFileContents c;
  c.program_version = POLICYSIM_VERSION;
  c.spec_file = spec.file;
  c.scenario_file = spec.scenario_file;
  c.command_line = command_line;
  c.method = "adaptive population Monte Carlo ABC (Lenormand, Jabot & Deffuant 2013), kernel 2x weighted covariance "
             "(Beaumont et al. 2009)";
  c.stop_reason = result.stop_reason;
  {
    std::ifstream in(spec.file);
    std::ostringstream text;
    text << in.rdbuf();
    c.spec_toml = text.str();
  }
  c.particles = static_cast<std::int64_t>(spec.particles);
  c.kept = static_cast<std::int64_t>(spec.kept());
  c.replicates = static_cast<std::int64_t>(spec.replicates);
  c.generations = static_cast<std::int64_t>(result.generations.size());
  c.runs = static_cast<std::int64_t>(result.runs);
  c.last_training_year = calibration::kLastTrainingYear;
  c.alpha = spec.alpha;
  c.min_acceptance = spec.min_acceptance;
  c.effective_sample_size = result.effective_sample_size;
  c.seed = spec.seed;
  c.synthetic = spec.synthetic;
  for (const ParameterSummary& p : result.parameters) {
    c.parameter_keys.push_back(p.key);
    c.prior_low.push_back(p.low);
    c.prior_high.push_back(p.high);
    c.truth.push_back(p.truth);
    c.mean.push_back(p.mean);
    c.sd.push_back(p.sd);
    c.median.push_back(p.median);
    c.q05.push_back(p.q05);
    c.q95.push_back(p.q95);
    c.interval_share.push_back(p.interval_share());
    c.identified.push_back(p.identified() ? 1 : 0);
  }
  c.correlation = result.correlation;
  for (const MomentFit& fit : result.moments) {
    const Moment& m = *fit.moment;
    c.moment_ids.push_back(m.id);
    c.moment_names.push_back(m.name);
    c.moment_measures.push_back(m.measure);
    std::string pair = pair_label(m.from, m.to);
    if (m.statistic == MomentStatistic::CountAbove) {
      pair = m.from + ":";
      for (const std::string& partner : m.partners) pair += " " + partner;
    }
    c.moment_pairs.push_back(pair);
    c.moment_statistics.emplace_back(name_of(m.statistic));
    c.moment_sources.push_back(m.source);
    c.moment_first_year.push_back(m.first_year);
    c.moment_last_year.push_back(m.last_year);
    c.moment_evidence_year.push_back(m.evidence_year);
    c.observed.push_back(fit.observed);
    c.se.push_back(fit.se);
    c.simulated_mean.push_back(fit.simulated_mean);
    c.simulated_sd.push_back(fit.simulated_sd);
  }
  for (std::size_t index : result.posterior) c.posterior_simulation.push_back(static_cast<std::int64_t>(index));
  c.posterior_weight = result.posterior_weight;
  for (int generation : result.simulated_generation) c.simulation_generation.push_back(generation);
  c.simulation_values = result.simulated_values;
  c.simulation_moments = result.simulated_moments;
  c.simulation_distance = result.simulated_distance;
  for (const GenerationSummary& generation : result.generations) {
    c.generation_tolerance.push_back(std::isinf(generation.tolerance) ? 0.0 : generation.tolerance);
    c.generation_acceptance.push_back(generation.acceptance);
    c.generation_simulations.push_back(static_cast<std::int64_t>(generation.simulations));
  }
  return c;
}

}  // namespace policysim::estimation
