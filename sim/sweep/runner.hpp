#pragma once
// Runs a planned sweep: the runs not yet in the journal, in parallel (OpenMP across runs; MPI
// ranks when started by mpirun), each run's record into the journal as soon as it finishes;
// then the HDF5 file from the journal, under a temporary name renamed into place, and the
// journal removed. A run is identified by (design point, replicate) and its seed depends on
// nothing else, so the file is the same whatever the threads, ranks or interruptions.
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "sim/output/sweep_file.hpp"
#include "sim/sweep/cluster.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/plan.hpp"

namespace policysim::sweep {

struct SweepOptions {
  std::filesystem::path output;
  bool resume = false;  // continue the journal beside the output
  bool force = false;   // replace an existing output file
  std::string command_line;
  const std::atomic<bool>* stop = nullptr;  // raised by SIGINT/SIGTERM: finish no more runs
  std::ostream* log = nullptr;              // notes and progress (stderr), null for --quiet
  bool terminal = false;                    // `log` is a terminal: a redrawn progress bar
  // On the root, with the records of each design point (its replicates, in order) as the point is
  // written to the file, runs of an earlier session included: what `estimate` reads its
  // simulated moments from. Called on the thread that writes the file, in point order.
  std::function<void(std::size_t point, std::span<const SweepRunRecord> records)> on_point;
};

struct SweepOutcome {
  std::size_t runs = 0;     // in the sweep
  std::size_t resumed = 0;  // found in the journal at the start
  std::size_t ran = 0;      // finished by this invocation (all ranks)
  std::size_t failed = 0;   // runs whose status is "failed: ..."
  bool complete = false;    // the output file is in place
  double seconds = 0.0;
};

// Before anything is written: can the sweep write `options.output`? Throws SweepInputError.
void check_output(const SweepOptions& options);

// On the other ranks of an MPI job: the root failed (its error is printed there) with `code`.
class PeerFailure : public std::runtime_error {
 public:
  explicit PeerFailure(int code) : std::runtime_error("the root rank failed"), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Every rank calls it; only the root writes files (it checks the output with check_output
// first). Throws SweepInputError for an output or journal that cannot be used (exists, changed
// spec, locked), std::exception for failures, PeerFailure on the other ranks.
SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& options, const Cluster& cluster);

// One run, recorded in memory; nullopt when `stop` interrupted it. A run that throws is
// recorded with status "failed: <message>" and NaN metrics.
std::optional<SweepRunRecord> execute_run(const SweepPlan& plan, std::size_t run, const std::atomic<bool>* stop);

// The HDF5 file from the journal's records (every run must be there); returns the number of
// failed runs.
std::size_t write_sweep_file(const SweepPlan& plan, const Journal& journal, const std::filesystem::path& output,
                             const std::string& command_line);

}  // namespace policysim::sweep
