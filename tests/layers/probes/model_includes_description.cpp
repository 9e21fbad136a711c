// Must NOT compile: model state is the lowest layer.
#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"
int probe() { return 0; }
