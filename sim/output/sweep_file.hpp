#pragma once
// Writes one sweep to one HDF5 file, following docs/sweeps.md (names: sweep_schema.hpp).
// The sweep runner (sim/sweep/) describes the file with a SweepFileLayout, hands over every run
// (SweepRunRecord) and the statistics of every design point, then commits. As the run recorder,
// the writer works under a temporary name beside the target and renames it into place on
// commit(): an interrupted or failed write never leaves a half-written file at the target path.
//
// Plain data in, HDF5 out: this header names no HDF5 type. HDF5 is not thread-safe here, so one
// thread owns a writer.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "sim/model/layers.hpp"

namespace policysim {

// One value of a swept parameter: a number, a whole number, a boolean or a text.
using SweepValue = std::variant<double, std::int64_t, bool, std::string>;

struct SweepFileParameter {
  std::string key;   // key path in the scenario, e.g. "governments.ISR.china_ties"
  std::string kind;  // "number", "integer", "boolean" or "string"
  double low = 0.0;  // bounds of a range; NaN when the parameter is a list of values
  double high = 0.0;
};

// A per-run metric: [time] or [time, pair]. The sweep runner describes each from a measure of the
// catalogue (sim/measures/measure.hpp): a World measure, or a Pair measure at the pairs of interest.
struct SweepMetric {
  std::string name;  // "dialogue_density", ...
  std::string units;
  std::string long_name;
  bool per_pair = false;
  double presence_threshold = 0.0;  // for the densities (attribute `presence_threshold`)
  bool has_presence_threshold = false;
};

// A [agent x partner] tie matrix kept in the snapshots of /ties (record = "ties").
struct SweepTieLayer {
  std::string name;  // "dialogue", ..., "b2b_cooperation"
  std::string units;
  std::string long_name;
  bool directed = false;  // attribute `directed`
};

struct SweepFileLayout {
  // Root attributes and provenance.
  std::string program_version;
  std::string design;  // "grid", "latin_hypercube", "random", "morris", "saltelli", "file"
  std::int64_t replicates = 1;
  bool common_random_numbers = true;
  std::uint64_t base_seed = 0;
  std::string scenario_file;
  std::vector<std::string> extends_chain;
  std::string command_line;
  std::string scenario_resolved;  // the base scenario as TOML (extends and --set applied)
  std::string sweep_spec;         // the [sweep] section as TOML
  std::string spec_hash;          // hex digest of everything that decides the results
  std::string start_period;
  std::int64_t steps = 0;
  std::string record;  // "metrics" or "ties" (root attribute record)
  std::int64_t record_ties_every = 0;

  // The design: `points` rows; design_values[parameter][point].
  std::vector<SweepFileParameter> parameters;
  std::size_t points = 0;
  std::vector<std::vector<SweepValue>> design_values;
  // Morris: per point, its trajectory and the parameter changed from the previous point (-1 first).
  std::vector<std::int64_t> morris_trajectory, morris_changed_parameter;
  std::int64_t morris_levels = 0;
  double morris_delta = 0.0;
  // Saltelli: per point, its base sample and block ("A", "B" or the changed parameter's key).
  std::vector<std::int64_t> saltelli_sample;
  std::vector<std::string> saltelli_block;
  std::int64_t saltelli_base_samples = 0;

  // Axes shared by all runs.
  std::vector<double> time;               // decimal years, steps + 1 rows
  std::vector<std::string> period_label;  // "2014Q3"
  std::vector<std::string> pairs, pair_agents, pair_partners;
  std::vector<SweepMetric> metrics;  // the datasets of /metrics (and their statistics), in order
  // Full ties (record = "ties"): the snapshot rows, the agent codes, the tie matrices kept.
  std::vector<std::int64_t> snapshot_step;
  std::vector<double> snapshot_time;
  std::vector<std::string> snapshot_label;
  std::vector<std::string> agents;
  std::vector<SweepTieLayer> tie_layers;

  std::size_t runs() const { return points * static_cast<std::size_t>(replicates); }
};

// One finished run. Metric values follow layout.metrics; each in C order ([time] or [time, pair]).
struct SweepRunRecord {
  std::uint64_t run = 0;
  std::uint64_t point = 0;
  std::uint64_t replicate = 0;
  std::uint64_t seed = 0;
  std::string status = "ok";  // "ok" or "failed: <message>"
  double wall_seconds = 0.0;
  std::vector<std::vector<double>> metrics;
  // record = "ties": per layout.tie_layers entry [snapshot, agent, partner] in C order.
  std::vector<std::vector<double>> ties;
};

// Statistics across the replicates of one design point, per metric (layout.metrics order),
// each with the shape of the metric: mean, sd, q05, q50, q95.
inline constexpr std::array<const char*, 5> kSweepStatistics = {"mean", "sd", "q05", "q50", "q95"};
struct SweepPointStatistics {
  std::int64_t runs_ok = 0;
  std::vector<std::array<std::vector<double>, kSweepStatistics.size()>> metrics;
};

class SweepFileWriter {
 public:
  // Creates the temporary file and writes the parts known in advance (root, provenance,
  // parameters, design, axes). Throws OutputError.
  SweepFileWriter(std::filesystem::path target, const SweepFileLayout& layout);
  ~SweepFileWriter();  // without commit(): deletes the temporary file
  SweepFileWriter(const SweepFileWriter&) = delete;
  SweepFileWriter& operator=(const SweepFileWriter&) = delete;

  void write_run(const SweepRunRecord& record);
  // Runs with consecutive indices (e.g. the replicates of a point), in one write per dataset.
  void write_runs(std::span<const SweepRunRecord> records);
  void write_statistics(std::size_t point, const SweepPointStatistics& statistics);
  // Writes /runs, flushes, closes and renames into place. Every run must have been written.
  // Renames the temporary file onto the target; without `overwrite` an existing target (one
  // another process wrote meanwhile) is kept and TargetExists thrown (atomic_file.hpp).
  void commit(bool overwrite = true);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace policysim
