#pragma once
// A sweep, resolved and checked before any run starts: the scenario file chain read once, the
// [sweep] section, the design points, and a valid Scenario at every point (so an unknown key,
// a value of the wrong type or a value the scenario refuses is reported, with the file and line
// of the sweep entry, before anything is written).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "sim/measures/measure.hpp"
#include "sim/output/sweep_file.hpp"
#include "sim/scenario/load.hpp"
#include "sim/sweep/points.hpp"
#include "sim/sweep/spec.hpp"

namespace policysim::sweep {

struct SweepPlan {
  SweepSpec spec;
  SweepDesign design;
  Scenario base;                    // the scenario without swept values (--set applied)
  std::vector<Scenario> scenarios;  // one per design point; each run sets its own seed
  std::string canonical;            // the text that decides every result (hashed, kept by the journal)
  std::string hash;                 // FNV-1a 64 of `canonical`, 16 hex digits
  // Said once per design, not per run: --set values and swept values that a later inherited event
  // overwrites (sim/scenario/overwrites.hpp), a swept one at the sweep parameter's file and line.
  std::vector<ScenarioIssue> warnings;

  std::size_t points() const { return design.points; }
  std::size_t replicates() const { return spec.replicates; }
  std::size_t runs() const { return points() * replicates(); }
  std::size_t point_of(std::size_t run) const { return run / replicates(); }
  std::size_t replicate_of(std::size_t run) const { return run % replicates(); }
  std::uint64_t seed_of(std::size_t run) const;
  // The scenario of a run: its point's, with the run's seed.
  Scenario scenario_of(std::size_t run) const;
  // The base scenario has firm populations: by default /metrics also holds the firm measures, and
  // /ties (record = "ties") the B2B cooperation ties by country.
  bool records_firms() const { return base.firms.enabled(); }
  // The measures of /metrics, in the order of the file and of each run's record: those of
  // record = [...], or by default every measure of the catalogue marked recorded::kSweep that
  // applies to the base scenario.
  std::vector<const Measure*> metric_measures() const;
  // The Pair measures of the /ties snapshots (record = "ties"): those marked recorded::kSweepTies.
  std::vector<const Measure*> tie_measures() const;
  // Rows of the time axis at which full ties are kept (record = "ties"): every k-th and the last.
  std::vector<int> snapshot_steps() const;
};

// Reads `file` (and what it extends), applies `overrides` (--set; sweep.* keys reach the
// [sweep] section), and resolves the sweep. Throws ScenarioError listing every problem.
SweepPlan plan_sweep(const std::filesystem::path& file, std::span<const Override> overrides);

// The layout of the sweep's HDF5 file.
SweepFileLayout file_layout(const SweepPlan& plan, const std::string& command_line);

// FNV-1a 64-bit digest, as 16 hex digits.
std::string fnv1a_hex(std::string_view text);

}  // namespace policysim::sweep
