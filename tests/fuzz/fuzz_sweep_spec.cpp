// libFuzzer target: a sweep file, as `policysim sweep FILE --set ...` reads and checks it before
// the first run (sim/sweep/plan.cpp): the scenario chain and --set as fuzz_scenario, then the
// [sweep] section (settings, parameters against the scenario's keys, record = [...], the size
// caps), the design points (grid, latin_hypercube, random, morris, saltelli, or the CSV of
// design = "file", taken from the input's #csv part: fuzz_support.hpp), and, for a small design,
// the whole plan: a valid Scenario at every point, the canonical text and the file layout.
//
// The design is built only up to kMaxBuiltPoints points and the full plan only up to
// kMaxPlannedPoints (each point builds a whole Scenario): what lies beyond is bounded by the
// spec's own caps (kMaxDesignPoints, kMaxRuns), which read_sweep_spec checks first and which the
// fuzzer still reaches. Only ScenarioError is caught, as in fuzz_scenario.cpp.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <omp.h>

#include "fuzz_support.hpp"
#include "sim/scenario/document.hpp"
#include "sim/scenario/load.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/points.hpp"
#include "sim/sweep/spec.hpp"

using namespace policysim;

namespace {

constexpr double kMaxBuiltPoints = 100'000;
constexpr double kMaxPlannedPoints = 4;

// The design's size as read_sweep_spec reckons it (a file design: its CSV's lines at most).
double design_points(const sweep::SweepSpec& spec, const fuzz::FuzzInput& input) {
  const double k = static_cast<double>(spec.parameters.size());
  const double samples = static_cast<double>(spec.samples);
  switch (spec.design) {
    case sweep::DesignKind::Grid: {
      double points = 1;
      for (const auto& parameter : spec.parameters) points *= static_cast<double>(parameter.grid_size());
      return points;
    }
    case sweep::DesignKind::LatinHypercube:
    case sweep::DesignKind::Random: return samples;
    case sweep::DesignKind::Morris: return samples * (k + 1);
    case sweep::DesignKind::Saltelli: return samples * (k + 2);
    case sweep::DesignKind::File: return static_cast<double>(std::count(input.csv.begin(), input.csv.end(), '\n') + 1);
  }
  return 0;
}

}  // namespace

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
    Document document = *source.document;
    std::vector<ScenarioIssue> issues;
    apply_overrides(document, overrides, issues);
    if (!issues.empty()) throw ScenarioError(std::move(issues));
    if (!sweep::has_sweep_section(document)) {
      fuzz::report("no [sweep] section");
      return 0;  // fuzz_scenario's ground
    }
    sweep::SweepSpec spec = sweep::read_sweep_spec(document, source.file, issues);
    if (!issues.empty()) throw ScenarioError(std::move(issues));
    sum += fuzz::checksum(spec.toml);
    const double points = design_points(spec, input);
    if (points > kMaxBuiltPoints) {
      fuzz::report("spec read; design not built (too many points for a fuzz input)");
      return 0;
    }
    const sweep::SweepDesign design = sweep::make_design(spec, document, issues);
    if (!issues.empty()) throw ScenarioError(std::move(issues));
    // The design must be what the spec says: one value per parameter and point.
    if (design.values.size() != spec.parameters.size()) std::abort();
    for (const auto& values : design.values)
      if (values.size() != design.points) std::abort();
    if (spec.design != sweep::DesignKind::File && static_cast<double>(design.points) != points) std::abort();
    for (const auto& values : design.values)
      for (const auto& value : values) sum += fuzz::checksum(sweep::toml_literal(value));
    if (static_cast<double>(design.points) > kMaxPlannedPoints) {
      fuzz::report("design built; not planned (more than kMaxPlannedPoints points)");
      return 0;
    }
    const sweep::SweepPlan plan = sweep::plan_sweep(file, overrides);
    if (plan.scenarios.size() != plan.points()) std::abort();
    sum += plan.runs() + fuzz::checksum(plan.hash) + plan.metric_measures().size() + plan.snapshot_steps().size();
    const SweepFileLayout layout = sweep::file_layout(plan, "policysim sweep input.toml");
    sum += layout.metrics.size() + layout.time.size();
    for (const ScenarioIssue& warning : plan.warnings) sum += fuzz::checksum(warning.format());
    fuzz::report("planned");
  } catch (const ScenarioError& error) {
    fuzz::report(error.issues().empty() ? "" : error.issues().front().format());
    if (error.issues().empty()) std::abort();
    for (const ScenarioIssue& issue : error.issues()) sum += fuzz::checksum(issue.format());
    sum += fuzz::checksum(error.what());
  }
  fuzz::keep(sum);
  return 0;
}
