#include "sim/sweep/runner.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <iostream>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>

#include "sim/dynamics/run.hpp"
#include "sim/sweep/assembler.hpp"
#include "sim/measures/measure.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/sweep/progress.hpp"

namespace policysim::sweep {
namespace fs = std::filesystem;
namespace {

// Under MPI, the root journals the other ranks' runs between chunks of its own.
constexpr std::size_t kChunkRunsPerThread = 4;

// Gives `record` the arrays of every metric (plan.metric_measures() order: [time], or [time, pair]
// for a Pair measure) and of the tie snapshots (plan.tie_measures() order), all NaN until recorded.
void size_record(const SweepPlan& plan, SweepRunRecord& record) {
  const auto rows = static_cast<std::size_t>(plan.base.simulation.steps) + 1;
  const std::size_t pairs = plan.base.pairs_of_interest.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  record.metrics.clear();
  for (const Measure* measure : plan.metric_measures())
    record.metrics.emplace_back(rows * (measure->scope == MeasureScope::Pair ? pairs : 1), nan);
  const std::size_t snapshots = plan.snapshot_steps().size();
  const std::size_t agents = plan.base.agent_count();
  record.ties.clear();
  if (snapshots > 0) record.ties.assign(plan.tie_measures().size(), std::vector<double>(snapshots * agents * agents, nan));
}

// Keeps what the sweep file records of a run (sized by size_record): the measures of every row,
// and the tie measures of the snapshot rows.
class CollectingObserver : public RunObserver {
 public:
  CollectingObserver(const SweepPlan& plan, const Scenario& scenario, SweepRunRecord& record)
      : scenario_(scenario), record_(record), pairs_(scenario.pairs_of_interest.size()),
        snapshots_(plan.snapshot_steps()), metric_measures_(plan.metric_measures()),
        tie_measures_(plan.tie_measures()) {}

  void on_state(const World& world, std::span<const Milestone> step_milestones) override {
    const auto row = static_cast<std::size_t>(world.step);
    const MeasureContext context{scenario_, world, step_milestones};
    const std::size_t agents = scenario_.agent_count();
    for (std::size_t k = 0; k < metric_measures_.size(); ++k) {
      const Measure& measure = *metric_measures_[k];
      values_.assign(measure.value_count(scenario_), 0.0);
      measure.compute(context, values_);
      std::vector<double>& out = record_.metrics.at(k);
      if (measure.scope == MeasureScope::World) {
        out.at(row) = values_[0];
        continue;
      }
      at_pairs_of_interest(scenario_, values_, std::span(out).subspan(row * pairs_, pairs_));
    }
    const auto snapshot = std::find(snapshots_.begin(), snapshots_.end(), world.step);
    if (snapshot == snapshots_.end()) return;
    const auto s = static_cast<std::size_t>(snapshot - snapshots_.begin());
    // Snapshot s of each tie measure, [agent, partner] in C order, as the measures write them.
    for (std::size_t k = 0; k < tie_measures_.size(); ++k) {
      const std::span<double> out(record_.ties.at(k).data() + s * agents * agents, agents * agents);
      tie_measures_[k]->compute(context, out);
    }
  }

 private:
  const Scenario& scenario_;
  SweepRunRecord& record_;
  std::size_t pairs_;
  std::vector<int> snapshots_;
  std::vector<const Measure*> metric_measures_;
  std::vector<const Measure*> tie_measures_;
  std::vector<double> values_;
};

// The first exception thrown inside an OpenMP region, rethrown outside it.
class FirstError {
 public:
  void capture() {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
    raised_.store(true);
  }
  bool raised() const { return raised_.load(); }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
  std::atomic<bool> raised_{false};
};

// While alive, OpenMP regions inside a run (the step loop's) run on the thread that runs it.
class SerialInnerRegions {
 public:
  SerialInnerRegions() : levels_(omp_get_max_active_levels()) { omp_set_max_active_levels(1); }
  ~SerialInnerRegions() { omp_set_max_active_levels(levels_); }
  SerialInnerRegions(const SerialInnerRegions&) = delete;
  SerialInnerRegions& operator=(const SerialInnerRegions&) = delete;

 private:
  int levels_;
};

bool stopped(const std::atomic<bool>* stop) { return stop != nullptr && stop->load(); }


}  // namespace

void check_output(const SweepOptions& options) {
  const fs::path& output = options.output;
  if (output.empty()) throw SweepInputError("--out: expected a file name, got \"\"");
  const fs::path folder = output.has_parent_path() ? output.parent_path() : ".";
  std::error_code error;
  if (!fs::is_directory(folder, error)) throw SweepInputError("--out: folder " + folder.string() + " does not exist");
  if (!output.has_filename() || fs::is_directory(output, error))
    throw SweepInputError("--out: " + output.string() + " is a folder; name a file");
  const bool journal = fs::exists(Journal::folder_for(output), error);
  if (journal && !options.resume)
    throw SweepInputError("the journal of an interrupted sweep is in " + Journal::folder_for(output).string() +
                          ": continue that sweep with --resume, or delete the folder to start again");
  if (fs::exists(output, error) && !options.force && !(options.resume && journal)) {
    if (options.resume)
      throw SweepInputError("output file " + output.string() +
                            " exists and there is no journal to resume (the sweep finished); use --force to run it "
                            "again");
    throw SweepInputError("output file " + output.string() +
                          " exists; use --force to overwrite it or --out to choose another");
  }
}

std::optional<SweepRunRecord> execute_run(const SweepPlan& plan, std::size_t run, const std::atomic<bool>* stop) {
  SweepRunRecord record;
  record.run = run;
  record.point = plan.point_of(run);
  record.replicate = plan.replicate_of(run);
  record.seed = plan.seed_of(run);
  const auto started = std::chrono::steady_clock::now();
  size_record(plan, record);
  try {
    const Scenario scenario = plan.scenario_of(run);
    CollectingObserver observer(plan, scenario, record);
    run_simulation(scenario, observer, stop);
  } catch (const RunInterrupted&) {
    return std::nullopt;
  } catch (const std::exception& error) {
    record.status = std::string("failed: ") + error.what();
    for (auto& values : record.metrics) std::fill(values.begin(), values.end(), std::numeric_limits<double>::quiet_NaN());
    for (auto& values : record.ties) std::fill(values.begin(), values.end(), std::numeric_limits<double>::quiet_NaN());
  }
  record.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return record;
}

std::size_t write_sweep_file(const SweepPlan& plan, const Journal& journal, const fs::path& output,
                             const std::string& command_line) {
  FileAssembler assembler(plan, journal, std::vector<std::uint8_t>(plan.runs(), 1), output, command_line);
  assembler.write_ready();
  assembler.commit();
  return assembler.failed();
}

SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& options, const Cluster& cluster) {
  const auto started = std::chrono::steady_clock::now();
  SweepOutcome outcome;
  outcome.runs = plan.runs();

  // The root checks the output, opens the journal and tells every rank which runs are left.
  std::optional<Journal> journal;
  std::optional<FileAssembler> assembler;  // declared after the journal it reads: destroyed first
  std::string pending_bits;
  std::string status = "ok";
  std::exception_ptr root_error;
  if (cluster.root()) {
    try {
      check_output(options);
      journal.emplace(Journal::folder_for(options.output), plan.canonical, plan.hash, options.resume);
      // Only once the journal is ours (locked): the leftovers are then not another sweep's.
      if (options.resume) remove_temporaries_of(options.output);  // an interrupted write's .<name>.partial-<pid>
      const auto finished = journal->finished(plan.runs());
      pending_bits.assign(finished.size(), '\0');
      for (std::size_t run = 0; run < finished.size(); ++run) pending_bits[run] = finished[run] ? '\0' : '\1';
      outcome.resumed = static_cast<std::size_t>(std::count(finished.begin(), finished.end(), 1));
      assembler.emplace(plan, *journal, finished, options.output, options.command_line, options.on_point);
    } catch (const SweepInputError&) {
      status = "2";
      root_error = std::current_exception();
    } catch (...) {
      status = "1";
      root_error = std::current_exception();
    }
    // A journal this call created, before any run: nothing to resume, so nothing is left.
    if (root_error && journal && !options.resume) journal->remove();
  }
  cluster.broadcast(status);
  if (root_error) std::rethrow_exception(root_error);
  if (status != "ok") throw PeerFailure(std::stoi(status));
  if (cluster.root() && options.log != nullptr && options.resume) {
    *options.log << "sweep: resuming: " << outcome.resumed << " of " << plan.runs() << " runs are in the journal "
                 << journal->folder().string();
    if (journal->dropped() > 0) *options.log << " (" << journal->dropped() << " damaged records dropped)";
    *options.log << "\n";
  }
  cluster.broadcast(pending_bits);

  // Pending runs, dealt round-robin to the ranks.
  std::vector<std::size_t> mine;
  std::size_t pending = 0;
  for (std::size_t run = 0; run < pending_bits.size(); ++run)
    if (pending_bits[run]) {
      if (static_cast<int>(pending % static_cast<std::size_t>(cluster.size())) == cluster.rank()) mine.push_back(run);
      ++pending;
    }

  std::optional<Progress> progress;
  if (cluster.root())
    progress.emplace(plan.runs(), outcome.resumed, options.log != nullptr, options.log ? *options.log : std::cerr,
                     options.terminal);

  int ranks_done = 0;
  std::size_t received = 0;
  auto handle = [&](Cluster::Message message) {
    if (message.done) {
      ++ranks_done;
      return;
    }
    auto record = deserialize_record(message.bytes, plan.hash);
    if (!record) throw std::runtime_error("rank " + std::to_string(message.source) + " sent a damaged run record");
    journal->write_bytes(record->run, message.bytes);
    ++received;
    progress->advance();
    assembler->add(std::move(*record));
    assembler->write_ready();
  };

  const SerialInnerRegions serial_inner;
  const std::size_t threads = static_cast<std::size_t>(std::max(omp_get_max_threads(), 1));
  const std::size_t chunk = cluster.size() == 1 ? std::max<std::size_t>(mine.size(), 1) : threads * kChunkRunsPerThread;
  std::size_t finished_here = 0;
  FirstError error;
  try {
    for (std::size_t first = 0; first < mine.size() && !stopped(options.stop); first += chunk) {
      const std::size_t count = std::min(chunk, mine.size() - first);
      std::vector<std::string> outgoing(cluster.root() ? 0 : count);
      std::atomic<std::size_t> finished_in_chunk{0};
#pragma omp parallel for schedule(dynamic, 1)
      for (std::size_t i = 0; i < count; ++i) {
        if (error.raised() || stopped(options.stop)) continue;
        try {
          auto record = execute_run(plan, mine[first + i], options.stop);
          if (!record) continue;
          if (cluster.root()) {
            journal->write(*record);
            progress->advance();
            assembler->add(std::move(*record));
            // The master thread (the one that made the assembler) writes finished points.
            if (omp_get_thread_num() == 0) assembler->write_ready();
          } else {
            outgoing[i] = serialize_record(*record, plan.hash);
          }
          finished_in_chunk.fetch_add(1);
        } catch (...) {
          error.capture();
        }
      }
      error.rethrow();
      finished_here += finished_in_chunk.load();
      for (const std::string& bytes : outgoing)
        if (!bytes.empty()) cluster.send_result(bytes);
      if (cluster.root())
        while (auto message = cluster.poll()) handle(std::move(*message));
    }
    if (!cluster.root()) {
      cluster.send_done(finished_here);
    } else {
      while (ranks_done < cluster.size() - 1) handle(cluster.wait());
    }
  } catch (...) {
    if (cluster.size() > 1) {
      try {
        throw;
      } catch (const std::exception& failure) {
        std::cerr << "policysim sweep: rank " << cluster.rank() << ": error: " << failure.what() << "\n";
      }
      cluster.abort(1);
    }
    if (progress) progress->finish();
    throw;
  }
  if (progress) progress->finish();

  // The root writes the file; every rank learns how it went.
  std::string summary = "1";
  if (cluster.root()) {
    try {
      outcome.ran = finished_here + received;
      assembler->write_ready();
      if (assembler->complete()) {
        assembler->commit(options.force || options.resume);
        outcome.failed = assembler->failed();
        assembler.reset();
        journal->remove();
        outcome.complete = true;
      }
      summary = "ok " + std::to_string(outcome.complete) + " " + std::to_string(outcome.failed) + " " +
                std::to_string(outcome.ran);
    } catch (...) {
      root_error = std::current_exception();
    }
  }
  cluster.broadcast(summary);
  if (root_error) std::rethrow_exception(root_error);
  if (!summary.starts_with("ok ")) throw PeerFailure(1);
  if (!cluster.root()) {
    std::istringstream fields(summary.substr(3));
    int complete = 0;
    fields >> complete >> outcome.failed >> outcome.ran;
    outcome.complete = complete != 0;
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

}  // namespace policysim::sweep
