#pragma once
// The sections of a scenario that belong to the government model beyond the core spine:
//   [pair_attributes.<attribute>]  A-B = value   (e.g. un_vote_agreement; symmetric, in [0, 1])
//   [milestones]                   dialogue_threshold, dialogue_rate, mou_step, opportunity_factor
//   [spin_up]                      quarters (settle the initial ties before step 0)
// and a check on events that name two parties (country and partner must differ).
#include <string>
#include <vector>

#include "sim/scenario/document.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

inline constexpr std::string_view kPairAttributesSection = "pair_attributes";
inline constexpr std::string_view kMilestonesSection = "milestones";
inline constexpr std::string_view kSpinUpSection = "spin_up";

// Reads the three sections into `scenario` (the governments and events must already be read);
// settings left out take their defaults (sim/scenario/defaults.hpp, the pair attribute catalogue).
void read_government_sections(const std::vector<const DocumentEntry*>& pair_attribute_entries,
                              const std::vector<const DocumentEntry*>& milestone_entries,
                              const std::vector<const DocumentEntry*>& spin_up_entries,
                              const std::vector<const DocumentEntry*>& event_entries, Scenario& scenario,
                              std::vector<ScenarioIssue>& issues);

}  // namespace policysim
