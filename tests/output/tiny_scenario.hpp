#pragma once
// A hand-built three-agent scenario and a hand-driven run of it, for the output tests and the
// sample file the Python checks read. The run does not use the dynamics: every value written
// is known exactly, so a round trip can compare with ==.
#include <vector>

#include "sim/dynamics/step.hpp"
#include "sim/model/world.hpp"
#include "sim/scenario/scenario.hpp"

namespace policysim::test {

// EU (organisation), ISR, JPN; start 2014Q3, seed 42, pairs of interest JPN-ISR and ISR-EU
// (`with_pairs` = false leaves none), asymmetric trade, a UTF-8 character in the resolved TOML.
Scenario tiny_scenario(bool with_pairs = true);

// The world after one more quarter: ties grow by known amounts, JPN's leader changes after the
// second step, ISR's China ties deepen, cyber threat decays.
World advance(const World& world);

// The events applied in the quarter `world.period` (some quarters have none, one has two).
std::vector<AppliedEvent> events_of_quarter(const World& world);

// The milestones of the quarter `world.period`: ISR-JPN hold a dialogue in the first quarter and
// sign an MOU in the third, in which EU-ISR also hold one.
std::vector<Milestone> milestones_of_quarter(const World& world);

}  // namespace policysim::test
