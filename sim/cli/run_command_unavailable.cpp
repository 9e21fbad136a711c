#include "sim/cli/command.hpp"
namespace policysim::cli {
int run_command(const Invocation&) { throw std::runtime_error("run is not built yet"); }
}  // namespace policysim::cli
