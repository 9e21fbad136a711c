#pragma once
// Firms generated from the scenario's populations, reproducibly from the seed.
#include "sim/dynamics/random_streams.hpp"
#include "sim/model/firms.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

// Firm k of population p draws its attributes from the run's streams keyed by (seed, p's stable id,
// k): adding a population or a firm leaves every other firm as it was.
FirmTable generate_firms(const Scenario& scenario, const RandomStreams& random);

}  // namespace policysim
