// policysim validate FILE [--set k=v]...: check a scenario completely without running it.
#include <iostream>

#include "sim/cli/command.hpp"
#include "sim/cli/scenario_input.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/scenario/document.hpp"
#include "sim/sweep/spec.hpp"

namespace po = boost::program_options;

namespace policysim::cli {

int validate_command(const Invocation& invocation) {
  po::options_description options("policysim validate FILE [options]");
  po::positional_options_description positional;
  add_scenario_options(options, positional);
  options.add_options()("help,h", "show this help");
  if (print_help_if_asked(invocation, "Check a scenario file (and the files it extends) without running it.", options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);
  const LoadedScenario loaded = load_from_options(values, {}, false);
  const Scenario& scenario = loaded.scenario;
  // A sweep file's [sweep] section is checked too (its size among the rest), without building
  // a single design point.
  const ScenarioSource source = read_scenario_source(values["scenario"].as<std::string>());
  const bool has_sweep = sweep::has_sweep_section(*source.document);
  if (has_sweep) {
    std::vector<ScenarioIssue> issues;
    sweep::read_sweep_spec(*source.document, source.file, issues);
    if (!issues.empty()) throw ScenarioError(std::move(issues));
  }

  std::cout << "ok: " << scenario.file;
  for (std::size_t i = 1; i < scenario.chain.size(); ++i) std::cout << " (extends " << scenario.chain[i] << ")";
  std::cout << "\n  " << scenario.agent_count() << " agents, " << scenario.simulation.start.label() << " .. "
            << scenario.last_simulated().label() << " (" << scenario.simulation.steps << " quarters), seed "
            << scenario.simulation.seed << ", " << scenario.events.size() << " events\n";
  if (has_sweep)
    std::cout << "  [sweep] checked (design, parameters, size); `policysim sweep " << scenario.file << "` runs it\n";
  // Not an error (a shorter --steps is a normal thing to ask for), but worth saying.
  for (const auto& event : scenario.events)
    if (event.period >= scenario.end())
      std::cout << "  note: event " << event.name << " (" << event.period.label()
                << ") falls after the last simulated quarter and will not happen\n";
  return kExitOk;
}

}  // namespace policysim::cli
