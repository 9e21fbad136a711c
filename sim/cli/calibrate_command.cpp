// policysim calibrate FILE [--targets FILE] [--set k=v]... [--seeds N] [--threads N] [--check]: run
// the scenario over N seeds and print the model against the targets of a targets file
// (scenarios/calibration/targets.toml; sim/calibration/targets.hpp).

#include <iostream>
#include <vector>

#include "sim/calibration/calibration.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/scenario_input.hpp"

namespace po = boost::program_options;

namespace policysim::cli {

int calibrate_command(const Invocation& invocation) {
  po::options_description options("policysim calibrate FILE [options]");
  po::positional_options_description positional;
  add_scenario_options(options, positional);
  options.add_options()
      ("targets", po::value<std::string>()->value_name("FILE"),
       "the targets file (default: calibration/targets.toml next to the scenario file, or next to a file it extends)")
      ("seeds", po::value<int>()->default_value(20)->value_name("N"), "number of seeds (the scenario's seed, +1, ...)")
      ("threads", po::value<int>()->value_name("N"), "OpenMP threads over seeds (overrides OMP_NUM_THREADS)")
      ("against", po::value<std::string>()->value_name("FILE"),
       "also run FILE (e.g. scenarios/history.toml against the drivers-only baseline) on the same seeds and targets, "
       "and print the two side by side (the same --set applies to both)")
      ("check", "exit with status 1 when a target is missed (by FILE; with --against, by either)")
      ("help,h", "show this help");
  if (print_help_if_asked(invocation,
                          "Run a scenario over many seeds and compare it with the targets of a targets file: what the\n"
                          "sources say (measure, agents, years, statistic, tolerance, source, role). For the baseline:\n"
                          "the Japan-Israel shift of 2014, dialogues and MOUs, Table 1 of 004, trade shares, JIIN.",
                          options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);
  const int seeds = values["seeds"].as<int>();
  if (seeds < 1 || seeds > 10000) throw UsageError("--seeds: expected a whole number from 1 to 10000, got " + std::to_string(seeds));
  apply_threads_option(values);
  const LoadedScenario loaded = load_from_options(values);
  const std::filesystem::path targets_file = values.count("targets")
                                                 ? std::filesystem::path(values["targets"].as<std::string>())
                                                 : calibration::default_targets_file(loaded.scenario.chain);
  const calibration::TargetsFile targets = calibration::load_targets(targets_file);
  std::vector<calibration::Report> reports;  // the scenario's, then --against's
  reports.push_back(calibration::run(loaded.scenario, targets, seeds));
  if (values.count("against") == 0) {
    std::cout << calibration::format(reports[0]);
  } else {
    const LoadedScenario other = load_scenario(values["against"].as<std::string>(), overrides_from(values));
    if (other.scenario.simulation.seed != loaded.scenario.simulation.seed ||
        other.scenario.simulation.start != loaded.scenario.simulation.start ||
        other.scenario.simulation.steps != loaded.scenario.simulation.steps)
      throw UsageError("--against " + values["against"].as<std::string>() +
                       ": expected the same simulation.start, steps and seed as " + loaded.scenario.file +
                       " (the two are compared seed by seed)");
    reports.push_back(calibration::run(other.scenario, targets, seeds));
    std::cout << calibration::format_side_by_side(reports[0], reports[1]);
  }
  // --check: every report must meet every target.
  if (values.count("check"))
    for (const calibration::Report& each : reports)
      for (const auto& target : calibration::evaluate(each))
        if (!target.met) return kExitFailure;
  return kExitOk;
}

}  // namespace policysim::cli
