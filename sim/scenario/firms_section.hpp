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
void read_firm_sections(const std::vector<const DocumentEntry*>& firm_entries,
                        const std::vector<const DocumentEntry*>& effect_entries, Scenario& scenario,
                        std::vector<ScenarioIssue>& issues);

}  // namespace policysim
