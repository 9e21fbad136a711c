#pragma once
// Writes one run to HDF5, following the layout in docs/output.md (dataset names: schema.hpp).
// What it records of each row follows the catalogues: the measures (sim/measures/measure.hpp)
// the run file records by default, the government state and the pair attributes. The file is
// written under a temporary name beside the target and renamed into place by commit()
// (atomic_file.hpp): a run that fails or is interrupted leaves no file at the target path.
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "sim/dynamics/phase_timings.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"
#include "sim/output/atomic_file.hpp"

namespace policysim {

struct RunProvenance {
  std::string command_line;     // as typed, for the record
  std::string program_version;  // POLICYSIM_VERSION
};

class Hdf5Recorder {
 public:
  // Creates the temporary file and writes the static parts (agents, provenance).
  // Throws OutputError when the file cannot be created.
  Hdf5Recorder(std::filesystem::path target, const Scenario& scenario, const RunProvenance& provenance);
  ~Hdf5Recorder();  // without commit(): closes and deletes the temporary file
  Hdf5Recorder(const Hdf5Recorder&) = delete;
  Hdf5Recorder& operator=(const Hdf5Recorder&) = delete;

  // Appends one row of the time axis: the state and the measures of `world`; `step_milestones`
  // are the milestones of the step that led to it (none for the initial world).
  void record(const World& world, std::span<const Milestone> step_milestones = {});
  // Appends applied events to the event log.
  void record_events(std::span<const AppliedEvent> events);
  // Appends milestones (dialogues held, MOUs signed) to the milestone log.
  void record_milestones(std::span<const Milestone> milestones);
  // Times the B2B edge-list snapshots as the part "observer/edge lists" of `timings` (`run
  // --timings`: the declared benchmark's output, reported apart; docs/performance.md); null: none.
  void time_edge_lists_in(PhaseTimings* timings);
  // Flushes, closes and renames the temporary file to the target path (replacing one there).
  void commit();
  // The same, together with `companions` (e.g. the run summary), as one (move_all_into_place):
  // all land or none, and without `overwrite` no existing target is replaced (TargetExists).
  void commit_with(std::span<const PendingFile> companions, bool overwrite);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace policysim
