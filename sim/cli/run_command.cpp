// policysim run FILE [--set k=v]... [--seed N] [--steps N] [--out FILE] [--force] [--threads N] [--quiet]
#include <omp.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "sim/cli/command.hpp"
#include "sim/cli/run_summary.hpp"
#include "sim/cli/scenario_input.hpp"
#include "sim/dynamics/run.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/output/recorder.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace policysim::cli {
namespace {

// Ctrl-C or a kill asks the run to stop between steps, so the recorder can remove its
// temporary file instead of leaving half a run on disk. (A lock-free atomic is signal-safe.)
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);
extern "C" void request_stop(int) { stop_requested.store(true); }

// Sends each row to the HDF5 file and keeps what the summary needs.
class RecordingObserver : public RunObserver {
 public:
  RecordingObserver(const Scenario& scenario, Hdf5Recorder& recorder, RunRecord& record)
      : scenario_(scenario), recorder_(recorder), record_(record) {}
  void on_state(const World& world, std::span<const Milestone> step_milestones) override {
    recorder_.record(world, step_milestones);
    MeasureValues values = summary_measures({scenario_, world, step_milestones});
    if (world.step == 0) {
      record_.first = values;
      record_.firms = world.firms->count();
    }
    record_.last = std::move(values);
  }
  void on_events(std::span<const AppliedEvent> events) override {
    recorder_.record_events(events);
    record_.events.insert(record_.events.end(), events.begin(), events.end());
  }
  void on_milestones(std::span<const Milestone> milestones) override { recorder_.record_milestones(milestones); }

 private:
  const Scenario& scenario_;
  Hdf5Recorder& recorder_;
  RunRecord& record_;
};

fs::path summary_path_for(const fs::path& output) {
  fs::path summary = output;
  return summary.replace_extension(".summary.txt");
}

}  // namespace

int run_command(const Invocation& invocation) {
  po::options_description options("policysim run FILE [options]");
  po::positional_options_description positional;
  add_scenario_options(options, positional);
  options.add_options()
      ("seed", po::value<std::uint64_t>()->value_name("N"), "random seed (overrides simulation.seed)")
      ("steps", po::value<int>()->value_name("N"), "quarters to simulate (overrides simulation.steps)")
      ("out", po::value<std::string>()->value_name("FILE"), "HDF5 output file (default: output/<scenario>.h5)")
      ("force", "overwrite an existing output file")
      ("threads", po::value<int>()->value_name("N"), "OpenMP threads (overrides OMP_NUM_THREADS)")
      ("quiet", "print nothing but errors")
      ("help,h", "show this help");
  if (print_help_if_asked(invocation, "Run one scenario and write its HDF5 file and a text summary.", options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);

  std::vector<Override> extra;
  if (values.count("seed")) extra.push_back({"simulation.seed", std::to_string(values["seed"].as<std::uint64_t>()), "--seed"});
  if (values.count("steps")) extra.push_back({"simulation.steps", std::to_string(values["steps"].as<int>()), "--steps"});
  if (values.count("threads")) {
    const int threads = values["threads"].as<int>();
    if (threads < 1) throw UsageError("--threads: expected a whole number >= 1, got " + std::to_string(threads));
    omp_set_num_threads(threads);
  }
  const bool quiet = values.count("quiet") != 0;

  const LoadedScenario loaded = load_from_options(values, extra);
  const Scenario& scenario = loaded.scenario;

  fs::path output;
  if (values.count("out")) {
    output = values["out"].as<std::string>();
  } else {
    output = fs::path("output") / (fs::path(scenario.file).stem().string() + ".h5");
    std::error_code error;
    fs::create_directories(output.parent_path(), error);
    if (error) throw UsageError("cannot create the folder " + output.parent_path().string() + ": " + error.message());
  }
  const bool force = values.count("force") != 0;
  const fs::path summary_path = summary_path_for(output);
  // Both files are checked before the run: the summary is part of the run's output, --force
  // covers it too, and nothing is overwritten without it.
  check_output_path(output, "output file", force);
  check_output_path(summary_path, "summary file", force);
  // Leftovers of runs killed before they could clean up (their process gone).
  remove_temporaries_of(output);
  remove_temporaries_of(summary_path);

  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  std::signal(SIGHUP, request_stop);  // the terminal closed: stop as cleanly as on SIGTERM
  const auto started = std::chrono::steady_clock::now();

  Hdf5Recorder recorder(output, scenario, {invocation.command_line, POLICYSIM_VERSION});
  RunRecord record;
  RecordingObserver observer(scenario, recorder, record);
  try {
    run_simulation(scenario, observer, &stop_requested);
  } catch (const RunInterrupted& interrupted) {
    throw std::runtime_error(std::string(interrupted.what()) + "; no output written");
  }
  record.output_file = output.string();
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  record.threads = omp_get_max_threads();
  const std::string summary = run_summary(scenario, record);
  // The HDF5 file and the summary land together, or neither does (atomic_file.hpp).
  const PendingFile summary_file{write_temporary_file(summary_path, summary), summary_path};
  try {
    recorder.commit_with({&summary_file, 1}, force);
  } catch (const TargetExists& exists) {
    throw UsageError(exists.what());
  }
  if (!quiet) std::cout << summary << "  summary   " << summary_path.string() << "\n";
  return kExitOk;
}

}  // namespace policysim::cli
