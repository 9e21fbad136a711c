#pragma once
// The file of `policysim explain --out F.h5` (docs/explain.md): for one tie, the utility terms the
// dynamics computed at every step (UtilityTrace), the events of each step and the tie before and
// after. Written whole at the end, under a temporary name beside the target and moved into place
// (atomic_file.hpp), like the run file.
#include <filesystem>
#include <string>
#include <vector>

#include "sim/description/scenario.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/dynamics/utility_trace.hpp"
#include "sim/output/recorder.hpp"

namespace policysim {

// What `explain` found, one entry per step in every vector.
struct Explanation {
  Layer layer = Layer::Cooperation;
  std::size_t agent = 0;    // slots as the dynamics treat the pair (UtilityTrace)
  std::size_t partner = 0;
  std::vector<UtilityRecord> records;                   // one per step
  std::vector<std::vector<AppliedEvent>> events;        // the events applied in each step
  std::vector<double> tie_end;                          // the tie at the end of each step (run file /ties row t+1)
};

// The names of the columns: the layer's terms, in the scenario's order ("density", ...).
std::vector<std::string> explained_effect_names(const Scenario& scenario, Layer layer);

// Writes `explanation` to `target`; without `overwrite` an existing target is not replaced
// (TargetExists). Throws OutputError (nothing left behind) when it cannot.
void write_explain_file(const std::filesystem::path& target, const Scenario& scenario,
                        const RunProvenance& provenance, const Explanation& explanation, bool overwrite);

}  // namespace policysim
