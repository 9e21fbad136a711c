#pragma once
// The firm sections of a scenario:
//   [firms.populations.<name>]  countries, sector, count, size / innovation / risk_tolerance
//   [firms.cooperation]         candidates_per_step, initial_weight, weight_adjustment, removal_threshold
//   [effects.b2b_cooperation]   <firm effect> = coefficient
#include <vector>

#include "sim/scenario/document.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

inline constexpr std::string_view kB2bCooperationEffects = "b2b_cooperation";  // [effects.b2b_cooperation]

// Reads the entries of the "firms" section and of [effects.b2b_cooperation] into scenario.firms;
// the governments must already be read (populations name their countries).
// Returns `firms.enabled` (default true). With false the caller drops the firm layer once the
// events have been checked against it (leave_out_firms).
bool read_firm_sections(const std::vector<const DocumentEntry*>& firm_entries,
                        const std::vector<const DocumentEntry*>& effect_entries, Scenario& scenario,
                        std::vector<ScenarioIssue>& issues);

// firms.enabled = false: the firm layer was read and checked as written (so a file that runs with
// firms also runs without), then is left out: no populations, no B2B trade, and no event that acts
// on a firm population (an acquisition). A government-only world: G2G estimation runs in a
// fraction of a second (docs/estimation.md).
void leave_out_firms(Scenario& scenario);

}  // namespace policysim
