#pragma once
// Every default value of a scenario lives here (and in the attribute and effect catalogues).
#include <array>
#include <string_view>

#include "sim/model/layers.hpp"
#include "sim/scenario/scenario.hpp"

namespace policysim::defaults {

inline constexpr std::uint64_t seed = 1;
inline constexpr std::string_view step_length = "quarter";
inline constexpr int max_steps = 100000;

// Dialogue closes a fifth of the gap to its target per quarter, cooperation (MOUs take longer)
// a tenth; trade's shock is on the log scale. Calibration is issue 3's job; these only keep an
// uncalibrated scenario in a sensible range.
inline constexpr std::array<LayerDynamics, kLayerCount> layer_dynamics = {{
    {.adjustment_rate = 0.2, .noise_sd = 0.02, .presence_threshold = 0.1},
    {.adjustment_rate = 0.1, .noise_sd = 0.02, .presence_threshold = 0.1},
    {.adjustment_rate = 0.0, .noise_sd = 0.03, .presence_threshold = 0.0},
}};

// A cyber threat loses a fifth of its level each quarter unless new incidents renew it.
inline constexpr double threat_persistence = 0.8;

}  // namespace policysim::defaults
