// policysim compare BASELINE WHATIF... [--seeds N] [--markdown FILE] [--threads N]: paired runs of
// each what-if against its baseline over the same seeds; the effect after the what-if's first
// event as paired mean differences with 95% intervals (docs/scenarios.md is this command's output).
#include <omp.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "sim/calibration/compare.hpp"
#include "sim/cli/command.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/scenario/load.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace policysim::cli {

int compare_command(const Invocation& invocation) {
  po::options_description options("policysim compare BASELINE WHATIF... [options]");
  po::positional_options_description positional;
  options.add_options()
      ("files", po::value<std::vector<std::string>>()->required()->value_name("FILE"), "the baseline, then what-ifs")
      ("seeds", po::value<int>()->default_value(20)->value_name("N"), "number of paired runs (the baseline's seed, +1, ...)")
      ("markdown", po::value<std::string>()->value_name("FILE"), "also write the comparison as markdown (docs/scenarios.md)")
      ("threads", po::value<int>()->value_name("N"), "OpenMP threads over seeds (overrides OMP_NUM_THREADS)")
      ("help,h", "show this help");
  positional.add("files", -1);
  if (print_help_if_asked(invocation,
                          "Run each what-if against the baseline with the same seeds and print the paired mean\n"
                          "difference of its outcomes after its first event, with a 95% interval.",
                          options))
    return kExitOk;
  const auto values = parse_options(invocation, options, positional);
  const auto files = values["files"].as<std::vector<std::string>>();
  if (files.size() < 2) throw UsageError("expected a baseline and at least one what-if");
  const int seeds = values["seeds"].as<int>();
  if (seeds < 2 || seeds > 10000) throw UsageError("--seeds: expected a whole number from 2 to 10000, got " + std::to_string(seeds));
  if (values.count("threads")) {
    const int threads = values["threads"].as<int>();
    if (threads < 1) throw UsageError("--threads: expected a whole number >= 1, got " + std::to_string(threads));
    omp_set_num_threads(threads);
  }

  // Everything that can be refused is refused before the first run: the markdown path, every file.
  if (values.count("markdown")) check_output_path(values["markdown"].as<std::string>(), "--markdown", true);
  const LoadedScenario baseline = load_scenario(files[0]);
  std::vector<LoadedScenario> what_ifs;
  for (std::size_t k = 1; k < files.size(); ++k) what_ifs.push_back(load_scenario(files[k]));
  std::vector<calibration::Comparison> comparisons;
  std::vector<std::string> descriptions;
  // The command as it would be typed from the repository root: the same text wherever the files lie,
  // so that the generated page does not depend on the checkout's path.
  std::string canonical = "policysim compare";
  for (const auto& file : files) canonical += " scenarios/" + fs::path(file).filename().string();
  canonical += " --seeds " + std::to_string(seeds) + " --markdown docs/scenarios.md";
  bool all_identical = true;
  for (std::size_t k = 1; k < files.size(); ++k) {
    const LoadedScenario& what_if = what_ifs[k - 1];
    try {
      comparisons.push_back(calibration::compare(baseline.scenario, what_if.scenario, seeds));
    } catch (const std::invalid_argument& error) {
      throw UsageError(error.what());
    }
    descriptions.push_back(calibration::leading_comment(files[k]));
    all_identical = all_identical && comparisons.back().identical_before;
  }
  const std::string text = calibration::markdown(comparisons, descriptions, canonical);
  std::cout << text;
  if (values.count("markdown")) {
    const fs::path target = values["markdown"].as<std::string>();
    write_file_atomically(target, text);
  }
  if (!all_identical) {
    std::cerr << "policysim compare: a what-if differs from the baseline before its first event "
                 "(common random numbers broken)\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace policysim::cli
