// policysim estimate SPEC.toml [--set k=v]... [--out FILE] [--threads N] [--resume] [--force] [--quiet]
// Fits the spec's coefficients to its moments (docs/estimation.md) and writes one HDF5 file.
#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>

#include "sim/cli/command.hpp"
#include "sim/cli/scenario_input.hpp"
#include "sim/estimation/estimate.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/sweep/cluster.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/progress.hpp"
#include "sim/sweep/runner.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace policysim::cli {
namespace {

// Ctrl-C or a kill: the generation under way stops as a sweep does, its finished runs stay in the
// work folder for --resume.
std::atomic<bool> estimate_stop_requested{false};
extern "C" void request_estimate_stop(int) { estimate_stop_requested.store(true); }

po::options_description estimate_options() {
  po::options_description options("policysim estimate SPEC [options]");
  options.add_options()
      ("spec", po::value<std::string>()->required()->value_name("SPEC"), "estimation spec (docs/estimation.md)")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "override one value of the estimated scenario (after the spec's own `set`; repeatable)")
      ("fix", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "hold one of the spec's parameters at a value (e.g. to compare two explanations; repeatable)")
      ("out", po::value<std::string>()->value_name("FILE"), "HDF5 output file (default: output/<spec>.h5)")
      ("threads", po::value<int>()->value_name("N"), "OpenMP threads, each running whole runs (overrides OMP_NUM_THREADS)")
      ("resume", "continue an interrupted estimate from its work folder (<out>.generations)")
      ("force", "overwrite an existing output file")
      ("check", "check the spec, the scenario and every moment, run nothing (exit 0 or 2)")
      ("quiet", "print nothing but errors and the table")
      ("help,h", "show this help");
  return options;
}

int estimate(const Invocation& invocation, const sweep::Cluster& cluster) {
  const po::options_description options = estimate_options();
  if (print_help_if_asked(invocation,
                          "Fit the free coefficients of a scenario to moments of the training window (to 2014) by\n"
                          "adaptive population Monte Carlo ABC (Lenormand et al. 2013). Each generation of particles\n"
                          "runs as a sweep (threads, journal, --resume). Writes the posterior, the fit of every moment\n"
                          "and the diagnostics to one HDF5 file and prints a table (docs/estimation.md).\n",
                          options))
    return kExitOk;
  po::positional_options_description positional;
  positional.add("spec", 1);
  const auto values = parse_options(invocation, options, positional);
  apply_threads_option(values);
  const bool quiet = values.count("quiet") != 0;
  const fs::path spec_file = values["spec"].as<std::string>();
  estimation::EstimateSpec spec = estimation::read_estimate_spec(spec_file);
  std::vector<Override> fixed;
  if (values.count("fix"))
    for (const std::string& assignment : values["fix"].as<std::vector<std::string>>()) {
      Override fix = parse_override(assignment);
      fix.origin = "--fix";
      const auto found = std::find_if(spec.parameters.begin(), spec.parameters.end(),
                                      [&](const auto& parameter) { return parameter.key == fix.key_path; });
      if (found == spec.parameters.end())
        throw UsageError("--fix " + assignment + ": \"" + fix.key_path + "\" is not a parameter of " + spec.file);
      spec.parameters.erase(found);
      fixed.push_back(std::move(fix));
    }
  if (spec.parameters.empty()) throw UsageError("--fix: every parameter is fixed; nothing is left to estimate");

  if (values.count("check")) {
    std::vector<Override> overrides = overrides_from(values);
    overrides.insert(overrides.end(), fixed.begin(), fixed.end());
    estimation::check_spec(spec, overrides, cluster);
    if (!quiet && cluster.root()) std::cout << spec.file << ": ok (" << spec.parameters.size() << " parameters, " << spec.moments.size()
                          << " moments)\n";
    return kExitOk;
  }
  estimation::EstimateOptions run_options;
  if (values.count("out")) {
    run_options.output = values["out"].as<std::string>();
  } else {
    run_options.output = fs::path("output") / (spec_file.stem().string() + ".h5");
    if (cluster.root()) fs::create_directories(run_options.output.parent_path());
  }
  run_options.resume = values.count("resume") != 0;
  run_options.force = values.count("force") != 0;
  if (cluster.root()) check_output_path(run_options.output, "--out", run_options.force || run_options.resume);
  run_options.overrides = overrides_from(values);
  run_options.overrides.insert(run_options.overrides.end(), fixed.begin(), fixed.end());
  run_options.command_line = invocation.command_line;
  run_options.stop = &estimate_stop_requested;
  run_options.log = quiet || !cluster.root() ? nullptr : &std::cerr;
  run_options.terminal = ::isatty(STDERR_FILENO) != 0;

  std::signal(SIGINT, request_estimate_stop);
  std::signal(SIGTERM, request_estimate_stop);
  std::signal(SIGHUP, request_estimate_stop);
  estimation::EstimateResult result;
  try {
    result = estimation::estimate(spec, run_options, cluster);
  } catch (const sweep::SweepInputError& error) {
    std::cerr << "policysim estimate: error: " << error.what() << "\n";
    return kExitBadInput;
  } catch (const estimation::EstimateInterrupted&) {
    std::cerr << "policysim estimate: interrupted; the finished runs are in "
              << estimation::work_folder_for(run_options.output).string()
              << "; continue with the same command and --resume\n";
    return kExitFailure;
  }
  if (!cluster.root()) return kExitOk;
  try {
    write_estimate_file(run_options.output, estimation::file_contents(result, invocation.command_line),
                        run_options.force || run_options.resume);
  } catch (const TargetExists& exists) {
    std::cerr << "policysim estimate: error: " << exists.what() << " (use --force)\n";
    return kExitBadInput;
  }
  std::cout << estimation::format(result);
  if (!quiet) {
    std::cout << "estimate: " << result.runs << " runs in " << sweep::format_duration(result.seconds) << ", "
              << omp_get_max_threads() << " threads";
    if (cluster.size() > 1) std::cout << " x " << cluster.size() << " ranks";
    std::cout << "\n  output    " << run_options.output.string() << "\n";
  }
  return kExitOk;
}

}  // namespace

int estimate_command(const Invocation& invocation) {
  std::optional<sweep::Cluster> cluster;
  try {
    cluster.emplace();
  } catch (const std::exception& error) {
    throw UsageError(error.what());
  }
  // As `sweep`: errors every rank meets alike are printed once, by rank 0.
  const bool speaks = cluster->root();
  try {
    return estimate(invocation, *cluster);
  } catch (const sweep::PeerFailure& failure) {
    return failure.code();
  } catch (const UsageError&) {
    if (!speaks) return kExitBadInput;
    throw;
  } catch (const ScenarioError&) {
    if (!speaks) return kExitBadInput;
    throw;
  } catch (const std::exception& error) {
    if (cluster->size() > 1) {
      std::cerr << "policysim estimate: rank " << cluster->rank() << ": error: " << error.what() << "\n";
      cluster->abort(kExitFailure);
    }
    throw;
  }
}

}  // namespace policysim::cli
