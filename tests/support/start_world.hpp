#pragma once
// The world before the first step of a run of `scenario`, with the run's own random streams (as
// Simulation builds it), for tests that look at the initial world without stepping.
#include "sim/dynamics/random_streams.hpp"
#include "sim/dynamics/step.hpp"

namespace policysim::testing {

inline World start_world(const Scenario& scenario) { return initial_world(scenario, RandomStreams::for_run(scenario)); }

}  // namespace policysim::testing
