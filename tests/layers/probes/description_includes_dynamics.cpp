// Must NOT compile: the frozen description sits below the dynamics catalogues it names by id.
#include "sim/description/scenario.hpp"
#include "sim/dynamics/effects/effect.hpp"
int probe() { return 0; }
