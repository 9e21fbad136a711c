// policysim score FILE --observed FILE.csv [--seeds N] [--threads N] [--out F.h5] [--force] [--set k=v]...:
// the model over N seeds against observed series, on the rows after the training window, with
// skill against persistence and a second null (sim/calibration/score.hpp; docs/validation.md).

#include <cmath>
#include <iostream>

#include "sim/calibration/score.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/scenario_input.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/score_file.hpp"

namespace po = boost::program_options;

namespace policysim::cli {

namespace {

ScoreFileContent file_content(const calibration::ScoreReport& report, const std::string& command_line) {
  ScoreFileContent c;
  c.program_version = POLICYSIM_VERSION;
  c.scenario_file = report.scenario_file;
  c.observed_file = report.observed_file;
  c.command_line = command_line;
  c.seeds = report.seeds;
  c.first_seed = report.first_seed;
  c.last_training_year = report.last_training_year;
  c.common_drift = report.drift ? *report.drift : NAN;
  for (std::size_t k = 0; k < report.series.size(); ++k) {
    const calibration::SeriesScore& s = report.series[k];
    c.measure.push_back(s.measure);
    c.from.push_back(s.from);
    c.to.push_back(s.to);
    c.per_year.push_back(s.per_year);
    c.second_null.push_back(s.second.name);
    c.training_rows.push_back(static_cast<std::int64_t>(s.training_rows));
    c.test_rows.push_back(static_cast<std::int64_t>(s.test.size()));
    c.rmse.push_back(s.model.rmse);
    c.mae.push_back(s.model.mae);
    c.skill_persistence.push_back(s.persistence.defined ? s.persistence.skill : NAN);
    c.skill_second.push_back(s.second.defined ? s.second.skill : NAN);
    for (const calibration::TestPoint& point : s.test) {
      c.test_series.push_back(static_cast<std::int64_t>(k));
      c.test_period.push_back(point.period);
      c.test_observed.push_back(point.observed);
      c.test_model.push_back(point.model);
      c.test_persistence.push_back(point.persistence ? *point.persistence : NAN);
      c.test_second.push_back(point.second ? *point.second : NAN);
    }
  }
  c.overall_rmse = report.overall.rmse;
  c.overall_mae = report.overall.mae;
  c.overall_test_rows = static_cast<std::int64_t>(report.overall.n);
  c.overall_skill_persistence = report.overall_skill_persistence.value_or(NAN);
  c.overall_skill_second = report.overall_skill_second.value_or(NAN);
  return c;
}

}  // namespace

int score_command(const Invocation& invocation) {
  po::options_description options("policysim score FILE --observed FILE.csv [options]");
  po::positional_options_description positional;
  add_scenario_options(options, positional);
  options.add_options()
      ("observed", po::value<std::string>()->required()->value_name("FILE.csv"),
       "observed series: a CSV with the header measure,from,to,period,value (docs/validation.md)")
      ("seeds", po::value<int>()->default_value(20)->value_name("N"), "number of seeds (the scenario's seed, +1, ...)")
      ("threads", po::value<int>()->value_name("N"), "OpenMP threads over seeds (overrides OMP_NUM_THREADS)")
      ("out", po::value<std::string>()->value_name("F.h5"), "also write the scores to an HDF5 file")
      ("force", "overwrite an existing --out file")
      ("help,h", "show this help");
  if (print_help_if_asked(invocation,
                          "Run a scenario over many seeds and score it against observed series on the rows held out for\n"
                          "validation (dated after the training window): RMSE and MAE of the model (mean over seeds), and\n"
                          "skill = 1 - MSE_model / MSE_null against persistence and against common drift (flows) or the\n"
                          "training mean (levels, counts).",
                          options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);
  const int seeds = values["seeds"].as<int>();
  if (seeds < 1 || seeds > 10000) throw UsageError("--seeds: expected a whole number from 1 to 10000, got " + std::to_string(seeds));
  apply_threads_option(values);
  const bool force = values.count("force") != 0;
  // Everything that can be refused is refused before the runs: the output path, the scenario, the CSV.
  if (values.count("out")) check_output_path(values["out"].as<std::string>(), "--out", force);
  const LoadedScenario loaded = load_from_options(values);
  const calibration::ObservedFile observed = calibration::load_observed(values["observed"].as<std::string>(), loaded.scenario);
  const calibration::ScoreReport report = calibration::score(loaded.scenario, observed, seeds);
  std::cout << calibration::format(report);
  if (values.count("out")) {
    try {
      write_score_file(values["out"].as<std::string>(), file_content(report, invocation.command_line), force);
    } catch (const TargetExists& exists) {
      throw UsageError(exists.what());
    }
  }
  return kExitOk;
}

}  // namespace policysim::cli
