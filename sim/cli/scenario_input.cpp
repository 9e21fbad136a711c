#include "sim/cli/scenario_input.hpp"

#include <algorithm>
#include <iostream>

#include "sim/scenario/document.hpp"

namespace policysim::cli {

std::vector<Override> overrides_from(const boost::program_options::variables_map& values) {
  std::vector<Override> overrides;
  if (values.count("set"))
    for (const auto& assignment : values["set"].as<std::vector<std::string>>())
      overrides.push_back(parse_override(assignment));
  return overrides;
}

LoadedScenario load_from_options(const boost::program_options::variables_map& values,
                                 const std::vector<Override>& extra, bool note_sweep) {
  std::vector<Override> overrides = overrides_from(values);
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  const ScenarioSource source = read_scenario_source(values["scenario"].as<std::string>());
  // A sweep file is a scenario too: its [sweep] section is for `policysim sweep`, the rest runs.
  static const std::vector<std::string> kSweepSection = {"sweep"};
  const bool has_sweep = std::any_of(source.document->begin(), source.document->end(),
                                     [](const auto& kv) { return kv.second.path[0] == kSweepSection[0]; });
  if (has_sweep && note_sweep && values.count("quiet") == 0)
    std::cerr << "note: " << source.file << ": the [sweep] section is ignored here; `policysim sweep " << source.file
              << "` runs the sweep\n";
  LoadedScenario loaded = build_loaded_scenario(source, overrides, has_sweep ? std::span<const std::string>(kSweepSection)
                                                                              : std::span<const std::string>());
  // Even with --quiet: a value the user gave that an event undoes changes what the run means.
  for (const ScenarioIssue& warning : loaded.warnings) std::cerr << warning.format() << "\n";
  return loaded;
}

}  // namespace policysim::cli
