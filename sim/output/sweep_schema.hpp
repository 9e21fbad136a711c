#pragma once
// The HDF5 layout of a sweep, in one place (docs/sweeps.md describes it for readers;
// tests/sweep/check_sweep.py checks files against both). The rules of schema.hpp hold: one
// dataset per quantity, every axis a dimension scale held by each group that uses it,
// variable-length UTF-8 text, `units` and `long_name` on every dataset.
#include <string_view>

#include "sim/output/schema.hpp"

namespace policysim::sweep_schema {

using schema::Column;

namespace root {
inline constexpr std::string_view kTitleValue = "policysim sweep";
inline constexpr std::string_view kDesign = "design";
inline constexpr std::string_view kReplicates = "replicates";
inline constexpr std::string_view kCommonRandomNumbers = "common_random_numbers";
inline constexpr std::string_view kBaseSeed = "base_seed";
inline constexpr std::string_view kPoints = "points";
inline constexpr std::string_view kRuns = "runs";
inline constexpr std::string_view kRecord = "record";
inline constexpr std::string_view kRecordTiesEvery = "record_ties_every";
inline constexpr std::string_view kSpecHash = "spec_hash";
inline constexpr std::string_view kSeedRule = "seed_rule";
inline constexpr std::string_view kSeedRuleValue =
    "seed of run (point, replicate) = (word 0 of Philox4x64-10, key (base_seed, 0x706f6c6963797377), counter "
    "(c, replicate, 0, 0)) >> 1, with c = 2^64-1 under common random numbers (the same seed for a replicate at "
    "every point) and c = point otherwise";
}  // namespace root

namespace group {
inline constexpr std::string_view kProvenance = "provenance";
inline constexpr std::string_view kParameters = "parameters";
inline constexpr std::string_view kDesign = "design";
inline constexpr std::string_view kRuns = "runs";
inline constexpr std::string_view kMetrics = "metrics";
inline constexpr std::string_view kTies = "ties";
inline constexpr std::string_view kStatistics = "statistics";
}  // namespace group

namespace dim {
inline constexpr Column kParameter{"parameter", "", "key path of the swept parameter in the scenario"};
inline constexpr Column kPoint{"point", "1", "index of the design point"};
inline constexpr Column kRun{"run", "1", "index of the run: point * replicates + replicate"};
inline constexpr Column kSnapshotTime{"snapshot_time", "year",
                                      "start of the quarter of the tie snapshot, as a decimal year"};
}  // namespace dim

namespace provenance {
inline constexpr Column kSweepSpec{"sweep_spec", "", "the [sweep] section as resolved (extends and --set applied), as TOML"};
inline constexpr Column kScenarioResolved{"scenario_resolved", "",
                                          "the base scenario (without [sweep]): merged extends chain and --set overrides, as TOML"};
inline constexpr Column kSpecHash{"spec_hash", "", "FNV-1a 64 digest of the resolved scenario, sweep and design (checked by --resume)"};
}  // namespace provenance

namespace parameters {
inline constexpr Column kKind{"kind", "", "\"number\", \"integer\", \"boolean\" or \"string\""};
inline constexpr Column kLow{"low", "1", "lower end of the range (NaN when the parameter is a list of values)"};
inline constexpr Column kHigh{"high", "1", "upper end of the range (NaN when the parameter is a list of values)"};
}  // namespace parameters

namespace design {
inline constexpr Column kMorrisTrajectory{"morris_trajectory", "1", "Morris trajectory of the point"};
inline constexpr Column kMorrisChanged{"morris_changed_parameter", "1",
                                       "index into /parameters of the parameter changed from the previous point of the "
                                       "trajectory (-1 for a trajectory's first point)"};
inline constexpr Column kSaltelliSample{"saltelli_sample", "1", "base sample j of the Saltelli design"};
inline constexpr Column kSaltelliBlock{"saltelli_block", "",
                                       "\"A\", \"B\", or the key path of parameter i for the AB_i block (A with "
                                       "column i from B)"};
inline constexpr std::string_view kMorrisLevels = "morris_levels";
inline constexpr std::string_view kMorrisDelta = "morris_delta";
inline constexpr std::string_view kSaltelliBaseSamples = "saltelli_base_samples";
}  // namespace design

namespace runs {
inline constexpr Column kDesignPoint{"design_point", "1", "design point of the run"};
inline constexpr Column kReplicate{"replicate", "1", "replicate of the run at its design point"};
inline constexpr Column kSeed{"seed", "1", "seed of the run's random streams (root attribute seed_rule)"};
inline constexpr Column kStatus{"status", "", "\"ok\", or \"failed: <message>\" (its metrics are then NaN)"};
inline constexpr Column kWallSeconds{"wall_seconds", "s", "wall-clock time of the run"};
}  // namespace runs

namespace ties {
inline constexpr Column kSnapshotStep{"snapshot_step", "1", "row of the run's time axis (steps done) of the snapshot"};
inline constexpr Column kSnapshotLabel{"snapshot_label", "", "calendar quarter of the snapshot (\"2014Q3\")"};
}  // namespace ties

namespace statistics {
inline constexpr Column kRunsOk{"runs_ok", "1", "replicates of the point that finished (the statistics use these)"};
}  // namespace statistics

}  // namespace policysim::sweep_schema
