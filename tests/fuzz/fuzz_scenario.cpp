// libFuzzer target: the whole scenario loader and validator, as `policysim validate FILE --set ...`
// runs it (sim/cli/validate_command.cpp, sim/cli/scenario_input.cpp): the --set arguments
// (parse_override), the file and its `extends` chain (size, depth and regular-file checks, toml++,
// merge, remove_events), the overrides, the schema and the Scenario builder (catalogues, firm
// distributions, limits), the warnings of overwritten what-if values, the resolved TOML, and a
// sweep file's [sweep] section. How an input becomes files: fuzz_support.hpp.
//
// Only ScenarioError is caught: it is the loader's one type for bad input, the one the CLI turns
// into exit status 2 (sim/cli/main.cpp). Any other exception (std::bad_alloc, std::out_of_range,
// std::bad_variant_access, a toml++ error that escaped), a crash or a sanitizer report escapes and
// is a finding: the CLI would have exited 1 or died on input it should have refused.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <omp.h>

#include "fuzz_support.hpp"
#include "sim/scenario/document.hpp"
#include "sim/scenario/load.hpp"
#include "sim/sweep/spec.hpp"

using namespace policysim;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  omp_set_num_threads(1);  // one input at a time; libFuzzer's -jobs runs processes side by side
  (void)fuzz::input_folder();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::FuzzInput input = fuzz::split_input(data, size);
  const std::filesystem::path file = fuzz::write_input(input);
  std::size_t sum = 0;
  try {
    std::vector<Override> overrides;
    for (const std::string& assignment : input.sets) overrides.push_back(parse_override(assignment));
    const ScenarioSource source = read_scenario_source(file);
    // As load_from_options: a sweep file is a scenario too, its [sweep] section set aside.
    static const std::vector<std::string> kSweepSection = {"sweep"};
    const bool has_sweep = sweep::has_sweep_section(*source.document);
    const LoadedScenario loaded =
        build_loaded_scenario(source, overrides,
                              has_sweep ? std::span<const std::string>(kSweepSection) : std::span<const std::string>());
    sum += loaded.scenario.agent_count() + loaded.scenario.events.size();
    sum += fuzz::checksum(loaded.scenario.resolved_toml);
    for (const ResolvedEntry& entry : loaded.entries) sum += fuzz::checksum(entry.key) + fuzz::checksum(entry.value);
    for (const ScenarioIssue& warning : loaded.warnings) sum += fuzz::checksum(warning.format());
    // As `validate`: the [sweep] section is read and checked too (its size), no point is built.
    if (has_sweep) {
      std::vector<ScenarioIssue> issues;
      const sweep::SweepSpec spec = sweep::read_sweep_spec(*source.document, source.file, issues);
      sum += spec.parameters.size() + fuzz::checksum(spec.toml);
      if (!issues.empty()) throw ScenarioError(std::move(issues));
    }
    fuzz::report("loaded");
  } catch (const ScenarioError& error) {
    fuzz::report(error.issues().empty() ? "" : error.issues().front().format());
    // Bad input, refused as documented: it must say what is wrong, at least once.
    if (error.issues().empty()) std::abort();
    for (const ScenarioIssue& issue : error.issues()) sum += fuzz::checksum(issue.format());
    sum += fuzz::checksum(error.what());
  }
  fuzz::keep(sum);
  return 0;
}
