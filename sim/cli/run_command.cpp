// policysim run FILE [--set k=v]... [--seed N] [--steps N] [--out FILE] [--force] [--threads N] [--quiet] [--timings]
#include <omp.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "sim/cli/command.hpp"
#include "sim/cli/environment.hpp"
#include "sim/cli/run_summary.hpp"
#include "sim/cli/scenario_input.hpp"
#include "sim/dynamics/run.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/output/recorder.hpp"
#include "sim/sweep/progress.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace policysim::cli {
namespace {

// Ctrl-C or a kill asks the run to stop between steps, so the recorder can remove its
// temporary file instead of leaving half a run on disk. (A lock-free atomic is signal-safe.)
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);
extern "C" void request_stop(int) { stop_requested.store(true); }

// Progress of a long run on stderr (the sweep's Progress: a bar on a terminal, a line at every 10%
// otherwise), shown once the run is expected to take more than about 2 seconds in all, as estimated
// from the quarters done so far; shorter runs print nothing extra, --quiet nothing at all. The
// environment variable POLICYSIM_PROGRESS_AFTER (seconds) moves the threshold (the CLI tests use 0).
class RunProgress {
 public:
  RunProgress(int steps, bool enabled) : steps_(steps), enabled_(enabled && steps > 0) {
    if (const std::optional<double> after = progress_after_seconds()) threshold_ = *after;
  }
  void quarters_done(int done) {
    if (!enabled_ || done <= 0) return;
    if (!progress_) {
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      if (elapsed / done * steps_ < threshold_) return;
      progress_.emplace(static_cast<std::size_t>(steps_), static_cast<std::size_t>(done - 1), true, std::cerr,
                        ::isatty(STDERR_FILENO) != 0, "run", "quarters");
    }
    progress_->advance();
    if (done >= steps_) progress_->finish();
  }

 private:
  int steps_;
  bool enabled_;
  double threshold_ = 2.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::optional<sweep::Progress> progress_;
};

// Sends each row to the HDF5 file and keeps what the summary needs (the first and the last state).
class RecordingObserver : public RunObserver {
 public:
  RecordingObserver(const Scenario& scenario, Hdf5Recorder& recorder, RunRecord& record, RunProgress& progress)
      : scenario_(scenario), recorder_(recorder), record_(record), progress_(progress) {}
  void on_state(const World& world, std::span<const Milestone> step_milestones) override {
    recorder_.record(world, step_milestones);
    // The summary reads the first and the last state only: no measures of the states between.
    if (world.step == 0 || world.step >= scenario_.simulation.steps) {
      MeasureValues values = summary_measures({scenario_, world, step_milestones});
      if (world.step == 0) {
        record_.first = values;
        record_.firms = world.firms->count();
      }
      record_.last = std::move(values);
    }
    progress_.quarters_done(world.step);
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
  RunProgress& progress_;
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
      ("quiet", "print nothing but errors (no progress bar)")
      ("timings", "print where the run's time went: the start, each phase of the step (and the B2B phase's "
                  "parts), the recording (and its edge lists), the file's end (wall seconds; docs/performance.md)")
      ("help,h", "show this help");
  if (print_help_if_asked(invocation, "Run one scenario and write its HDF5 file and a text summary.", options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);

  std::vector<Override> extra;
  if (values.count("seed")) extra.push_back({"simulation.seed", std::to_string(values["seed"].as<std::uint64_t>()), "--seed"});
  if (values.count("steps")) extra.push_back({"simulation.steps", std::to_string(values["steps"].as<int>()), "--steps"});
  apply_threads_option(values);
  const bool quiet = values.count("quiet") != 0;
  // --timings: a table on stdout after the run, even with --quiet (asked for by name).
  std::optional<PhaseTimings> timings;
  if (values.count("timings")) timings.emplace();
  PhaseTimings* const timed = timings ? &*timings : nullptr;

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

  // The file's creation (its groups, datasets and dimension scales: about 8 ms of the medium
  // benchmark) is a part of its own, the first in the table.
  std::optional<PhaseTimings::Scope> creating(std::in_place, timed, "file (created)");
  Hdf5Recorder recorder(output, scenario, {invocation.command_line, POLICYSIM_VERSION});
  creating.reset();
  recorder.time_edge_lists_in(timed);
  RunRecord record;
  RunProgress progress(scenario.simulation.steps, !quiet);
  RecordingObserver observer(scenario, recorder, record, progress);
  try {
    run_simulation(scenario, observer, &stop_requested, nullptr, timed);
  } catch (const RunInterrupted& interrupted) {
    throw std::runtime_error(std::string(interrupted.what()) + "; no output written");
  }
  record.output_file = output.string();
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::optional<PhaseTimings::Scope> ending(std::in_place, timed, "file (closed, summary written)");
  record.threads = omp_get_max_threads();
  const std::string summary = run_summary(scenario, record);
  // The HDF5 file and the summary land together, or neither does (atomic_file.hpp).
  const PendingFile summary_file{write_temporary_file(summary_path, summary), summary_path};
  try {
    recorder.commit_with({&summary_file, 1}, force);
  } catch (const TargetExists& exists) {
    throw UsageError(exists.what());
  }
  ending.reset();
  if (!quiet) std::cout << summary << "  summary   " << summary_path.string() << "\n";
  if (timings) {
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "timings (wall seconds; " << scenario.simulation.steps << " quarters, " << omp_get_max_threads()
              << (omp_get_max_threads() == 1 ? " thread" : " threads") << "; the start of the process not included)\n"
              << timings->table(total);
  }
  return kExitOk;
}

}  // namespace policysim::cli
