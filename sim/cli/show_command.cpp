// policysim show FILE [--set k=v]...: the fully resolved scenario, each value with its origin.
#include <iomanip>
#include <iostream>

#include "sim/cli/command.hpp"
#include "sim/cli/scenario_input.hpp"

namespace po = boost::program_options;

namespace policysim::cli {

int show_command(const Invocation& invocation) {
  po::options_description options("policysim show FILE [options]");
  po::positional_options_description positional;
  add_scenario_options(options, positional);
  options.add_options()("help,h", "show this help");
  if (print_help_if_asked(invocation,
                          "Print the resolved scenario (after extends and --set), each value with the file and line "
                          "it came from.",
                          options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);
  const LoadedScenario loaded = load_from_options(values);

  std::size_t width = 0;
  for (const auto& entry : loaded.entries) width = std::max(width, entry.key.size() + entry.value.size() + 3);
  width = std::min<std::size_t>(width, 72);
  std::cout << "# " << loaded.scenario.file;
  for (std::size_t i = 1; i < loaded.scenario.chain.size(); ++i) std::cout << " <- " << loaded.scenario.chain[i];
  std::cout << "\n";
  for (const auto& entry : loaded.entries) {
    const std::string assignment = entry.key + " = " + entry.value;
    std::cout << std::left << std::setw(static_cast<int>(width)) << assignment << "  # " << entry.file;
    if (entry.line > 0) std::cout << ":" << entry.line;
    std::cout << "\n";
  }
  std::cout << "# everything not listed takes its default (see `policysim describe`)\n";
  return kExitOk;
}

}  // namespace policysim::cli
