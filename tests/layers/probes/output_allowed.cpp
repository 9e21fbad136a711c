// Must compile: output may include HDF5 and the layers below it.
#include <hdf5.h>
#include "sim/dynamics/step.hpp"
#include "sim/output/recorder.hpp"
int probe() { return H5_VERS_MAJOR; }
