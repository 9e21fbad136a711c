#include "sim/cli/command.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace policysim::cli {

po::variables_map parse_options(const Invocation& invocation, const po::options_description& options,
                                const po::positional_options_description& positional) {
  po::variables_map values;
  try {
    po::store(po::command_line_parser(invocation.arguments).options(options).positional(positional).run(), values);
    po::notify(values);
  } catch (const po::required_option& error) {
    if (error.get_option_name() == "--scenario") throw UsageError("missing the scenario FILE");
    throw UsageError(error.what());
  } catch (const po::error& error) {
    throw UsageError(error.what());
  }
  return values;
}

bool print_help_if_asked(const Invocation& invocation, std::string_view about, const po::options_description& options) {
  for (const auto& argument : invocation.arguments)
    if (argument == "--help" || argument == "-h") {
      std::cout << about << "\n\n" << options;
      return true;
    }
  return false;
}

void add_scenario_options(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()
      ("scenario", po::value<std::string>()->required()->value_name("FILE"), "scenario file (TOML)")
      ("set", po::value<std::vector<std::string>>()->composing()->value_name("KEY=VALUE"),
       "override one value, e.g. --set events.abe_exit.period=2019Q1 (repeatable)");
  positional.add("scenario", 1);
}

}  // namespace policysim::cli
