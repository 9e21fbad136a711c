#include "sim/cli/scenario_input.hpp"

namespace policysim::cli {

std::vector<Override> overrides_from(const boost::program_options::variables_map& values) {
  std::vector<Override> overrides;
  if (values.count("set"))
    for (const auto& assignment : values["set"].as<std::vector<std::string>>())
      overrides.push_back(parse_override(assignment));
  return overrides;
}

LoadedScenario load_from_options(const boost::program_options::variables_map& values,
                                 const std::vector<Override>& extra) {
  std::vector<Override> overrides = overrides_from(values);
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  return load_scenario(values["scenario"].as<std::string>(), overrides);
}

}  // namespace policysim::cli
