// policysim sweep FILE [--set k=v]... [--out FILE] [--threads N] [--resume] [--force] [--quiet]
// Also under `mpirun -np N policysim sweep ...`: the ranks share the runs, rank 0 writes.
#include <omp.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <optional>

#include "sim/cli/command.hpp"
#include "sim/cli/scenario_input.hpp"
#include "sim/sweep/cluster.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/progress.hpp"
#include "sim/sweep/runner.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace policysim::cli {
namespace {

// Ctrl-C or a kill: no new runs start, the runs under way stop between steps, and the journal
// keeps every finished run for --resume. (A lock-free atomic is signal-safe.)
std::atomic<bool> sweep_stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);
extern "C" void request_sweep_stop(int) { sweep_stop_requested.store(true); }

po::options_description sweep_options() {
  po::options_description options("policysim sweep FILE [options]");
  options.add_options()
      ("scenario", po::value<std::string>()->required()->value_name("FILE"), "scenario file with a [sweep] section")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "override one value of the scenario or of [sweep], e.g. --set sweep.replicates=2 (repeatable)")
      ("out", po::value<std::string>()->value_name("FILE"), "HDF5 output file (default: output/<file>.h5)")
      ("threads", po::value<int>()->value_name("N"), "OpenMP threads, each running whole runs (overrides OMP_NUM_THREADS)")
      ("resume", "continue an interrupted sweep from its journal (<out>.journal)")
      ("force", "overwrite an existing output file")
      ("quiet", "print nothing but errors (no progress bar)")
      ("help,h", "show this help");
  return options;
}

int sweep(const Invocation& invocation, const sweep::Cluster& cluster) {
  const po::options_description options = sweep_options();
  po::positional_options_description positional;
  positional.add("scenario", 1);
  const auto values = parse_options(invocation, options, positional);
  apply_threads_option(values);
  const bool quiet = values.count("quiet") != 0;

  const fs::path file = values["scenario"].as<std::string>();
  const sweep::SweepPlan plan = sweep::plan_sweep(file, overrides_from(values));
  if (cluster.root())  // once per design, even with --quiet (as `run` does)
    for (const ScenarioIssue& warning : plan.warnings) std::cerr << warning.format() << "\n";

  sweep::SweepOptions run_options;
  if (values.count("out")) {
    run_options.output = values["out"].as<std::string>();
  } else {
    run_options.output = fs::path("output") / (file.stem().string() + ".h5");
    if (cluster.root()) fs::create_directories(run_options.output.parent_path());
  }
  run_options.resume = values.count("resume") != 0;
  run_options.force = values.count("force") != 0;
  run_options.command_line = invocation.command_line;
  run_options.stop = &sweep_stop_requested;
  run_options.log = quiet ? nullptr : &std::cerr;
  run_options.terminal = ::isatty(STDERR_FILENO) != 0;

  std::signal(SIGINT, request_sweep_stop);
  std::signal(SIGTERM, request_sweep_stop);
  std::signal(SIGHUP, request_sweep_stop);  // the terminal closed: stop as cleanly as on SIGTERM
  const sweep::SweepOutcome outcome = sweep::run_sweep(plan, run_options, cluster);
  if (!cluster.root()) return outcome.complete && outcome.failed == 0 ? kExitOk : kExitFailure;

  if (!outcome.complete) {
    std::cerr << "policysim sweep: interrupted: " << outcome.resumed + outcome.ran << " of " << outcome.runs
              << " runs are in the journal " << sweep::Journal::folder_for(run_options.output).string()
              << "; continue with the same command and --resume\n";
    return kExitFailure;
  }
  if (!quiet) {
    std::cout << "sweep: " << outcome.runs << " runs (" << plan.points() << " design points x " << plan.replicates()
              << " replicates, " << sweep::name_of(plan.spec.design) << " design) in "
              << sweep::format_duration(outcome.seconds) << ", " << omp_get_max_threads() << " threads";
    if (cluster.size() > 1) std::cout << " x " << cluster.size() << " ranks";
    std::cout << "\n  output    " << run_options.output.string() << "\n";
    if (outcome.resumed > 0) std::cout << "  resumed   " << outcome.resumed << " runs from the journal\n";
  }
  if (outcome.failed > 0) {
    std::cerr << "policysim sweep: " << outcome.failed << " of " << outcome.runs
              << " runs failed; their status is in /runs/status and their metrics are NaN\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int sweep_command(const Invocation& invocation) {
  for (const auto& argument : invocation.arguments)
    if (argument == "--help" || argument == "-h") {
      std::cout << "Run a scenario at every point of the design in its [sweep] section, each point `replicates`\n"
                   "times, in parallel, into one HDF5 file (docs/sweeps.md). Interrupted sweeps continue with\n"
                   "--resume. Under `mpirun -np N`, the processes share the runs and rank 0 writes the file.\n\n"
                << sweep_options();
      return kExitOk;
    }

  std::optional<sweep::Cluster> cluster;
  try {
    cluster.emplace();
  } catch (const std::exception& error) {
    throw UsageError(error.what());
  }
  // Errors that every rank meets alike (command line, scenario) are printed once, by rank 0;
  // the other ranks print only their own failures.
  const bool speaks = cluster->root();
  try {
    return sweep(invocation, *cluster);
  } catch (const sweep::PeerFailure& failure) {
    return failure.code();
  } catch (const UsageError&) {
    if (!speaks) return kExitBadInput;
    throw;
  } catch (const ScenarioError&) {
    if (!speaks) return kExitBadInput;
    throw;
  } catch (const sweep::SweepInputError& error) {
    std::cerr << "policysim sweep: error: " << error.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& error) {
    if (cluster->size() > 1) {
      std::cerr << "policysim sweep: rank " << cluster->rank() << ": error: " << error.what() << "\n";
      cluster->abort(kExitFailure);
    }
    throw;
  }
}

}  // namespace policysim::cli
