#pragma once
// Every default value of a scenario lives here (and in the attribute and effect catalogues).
#include <array>
#include <string_view>

#include "sim/model/layers.hpp"
#include "sim/description/scenario.hpp"

namespace policysim::defaults {

inline constexpr std::uint64_t seed = 1;
inline constexpr std::string_view step_length = "quarter";
inline constexpr int max_steps = 100000;

// Dialogue closes a fifth of the gap to its target per quarter, cooperation (MOUs take longer)
// a tenth; trade's shock is on the log scale. The calibrated values are the baseline's
// (scenarios/baseline.toml, checked by sim/calibration); these only keep an uncalibrated scenario
// in a sensible range.
inline constexpr std::array<LayerDynamics, kLayerCount> layer_dynamics = {{
    {.adjustment_rate = 0.2, .noise_sd = 0.02, .presence_threshold = 0.1},
    {.adjustment_rate = 0.1, .noise_sd = 0.02, .presence_threshold = 0.1},
    {.adjustment_rate = 0.0, .noise_sd = 0.03, .presence_threshold = 0.0},
}};

// A cyber threat loses a fifth of its level each quarter unless new incidents renew it.
inline constexpr double threat_persistence = 0.8;

// Milestones ([milestones]): a dialogue can be held once the dialogue strength d passes 0.3, in a
// quarter with chance 0.3 * d (about one a year for a strong dialogue); an MOU marks each 0.1 of
// cooperation gained; a business forum doubles the chance of a dialogue and halves the gain an MOU
// needs.
inline constexpr MilestoneSettings milestones = {
    .dialogue_threshold = 0.3, .dialogue_rate = 0.3, .mou_step = 0.1, .opportunity_factor = 2.0};

// [spin_up] quarters: none unless asked for (the initial ties are used as given).
inline constexpr int spin_up_quarters = 0;
inline constexpr int max_spin_up_quarters = 1000;

}  // namespace policysim::defaults
