// Must compile: the positive control for the probes above (same target setup, allowed includes
// only), so that a probe fails because of its forbidden include, not because probes are broken.
#include "sim/description/scenario.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/model/world.hpp"
int probe() { return 0; }
