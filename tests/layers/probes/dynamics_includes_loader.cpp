// Must NOT compile: dynamics cannot include the TOML scenario loader.
#include "sim/dynamics/step.hpp"
#include "sim/scenario/load.hpp"
int probe() { return 0; }
