// Must NOT compile: dynamics cannot see HDF5 (only sim/output does). tests/layers/ctest.cmake.
#include <hdf5.h>
#include "sim/dynamics/step.hpp"
int probe() { return H5_VERS_MAJOR; }
