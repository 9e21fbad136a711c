// Must NOT compile: dynamics sits below output, so it cannot include the recorder.
#include "sim/dynamics/step.hpp"
#include "sim/output/recorder.hpp"
int probe() { return 0; }
