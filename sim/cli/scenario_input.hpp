#pragma once
// Reading the scenario named on the command line, with its --set overrides.
#include <boost/program_options.hpp>

#include "sim/scenario/load.hpp"

namespace policysim::cli {

std::vector<Override> overrides_from(const boost::program_options::variables_map& values);
// `note_sweep`: say on stderr that a [sweep] section is ignored (not for `validate`, which checks it).
LoadedScenario load_from_options(const boost::program_options::variables_map& values,
                                 const std::vector<Override>& extra = {}, bool note_sweep = true);

}  // namespace policysim::cli
