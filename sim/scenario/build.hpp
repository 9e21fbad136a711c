#pragma once
// Validation: a merged Document -> a Scenario, or the full list of what is wrong with it.
#include <vector>

#include "sim/scenario/document.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

// The top-level sections a scenario may have (for "did you mean" and `describe`).
const std::vector<std::string>& scenario_sections();

// Checks every entry of `document` and builds the Scenario; appends problems to `issues`.
// `top_file` is named in errors about keys that are missing altogether.
Scenario build_scenario(const Document& document, const std::string& top_file, std::vector<ScenarioIssue>& issues);

}  // namespace policysim
