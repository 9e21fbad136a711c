#include "sim/sweep/plan.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>

#include "sim/scenario/build.hpp"
#include "sim/scenario/document.hpp"
#include "sim/scenario/overwrites.hpp"
#include "sim/sweep/sampling.hpp"

namespace policysim::sweep {
namespace {

constexpr std::string_view kSweepPrefix = "sweep.";
constexpr std::string_view kOriginPrefix = "sweep.parameters.";

// Problems of one design point, reported at the sweep entry that made them.
void remap_point_issues(std::vector<ScenarioIssue>& issues, const SweepSpec& spec, const SweepDesign& design,
                        std::size_t point) {
  for (ScenarioIssue& issue : issues) {
    if (!issue.file.starts_with(kOriginPrefix)) continue;
    const std::string key = issue.file.substr(kOriginPrefix.size());
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
      if (spec.parameters[i].key != key) continue;
      issue.message = "at design point " + std::to_string(point) + ", " + key + " = " +
                      toml_literal(design.values[i][point]) + ": " + issue.message;
      issue.file = spec.parameters[i].file;
      issue.line = spec.parameters[i].line;
      issue.key = std::string(kOriginPrefix) + key;
    }
  }
}

std::vector<std::string> codes_of(const Scenario& scenario) {
  std::vector<std::string> codes;
  for (const auto& government : scenario.governments) codes.push_back(government.code);
  return codes;
}

std::vector<std::string> pairs_of(const Scenario& scenario) {
  std::vector<std::string> labels;
  for (const auto& pair : scenario.pairs_of_interest) labels.push_back(pair.label);
  return labels;
}

// Every run writes into the same arrays, so a point may not change their shape.
std::string shape_change(const Scenario& base, const Scenario& point) {
  if (point.simulation.steps != base.simulation.steps) return "simulation.steps (the length of the time axis)";
  if (point.simulation.start != base.simulation.start) return "simulation.start (the time axis)";
  if (codes_of(point) != codes_of(base)) return "the governments (the agent axis)";
  if (pairs_of(point) != pairs_of(base)) return "output.pairs (the pair axis)";
  if (point.firms.enabled() != base.firms.enabled()) return "whether the scenario has firms (the firm metrics)";
  return {};
}

// The datasets of /metrics, in the order of the file and of each run's record (plan.metric_measures()):
// a World measure as itself, a Pair measure at the pairs of interest as <name>_pairs.
std::vector<SweepMetric> recorded_metrics(const SweepPlan& plan) {
  std::vector<SweepMetric> metrics;
  for (const Measure* measure : plan.metric_measures()) {
    if (measure->scope == MeasureScope::Pair) {
      metrics.push_back({measure->pairs_name(), measure->units, measure->pairs_description(), true});
      continue;
    }
    SweepMetric metric{measure->name, measure->units, measure->long_name, false};
    if (measure->presence_threshold_of) {
      metric.presence_threshold = plan.base.layer_dynamics[index_of(*measure->presence_threshold_of)].presence_threshold;
      metric.has_presence_threshold = true;
    }
    metrics.push_back(std::move(metric));
  }
  return metrics;
}

// The tie matrices of /ties (record = "ties"), in the order of the file and of each run's record.
std::vector<SweepTieLayer> recorded_tie_layers(const SweepPlan& plan) {
  std::vector<SweepTieLayer> layers;
  for (const Measure* measure : plan.tie_measures())
    layers.push_back({measure->name, measure->units, measure->long_name,
                      measure->is_directed().value_or(false)});
  return layers;
}

// The measures of record = [...] need what the base scenario has: firm measures need firms.
void check_record_measures(const SweepPlan& plan) {
  std::vector<ScenarioIssue> issues;
  for (const std::string& name : plan.spec.record_measures) {
    const Measure& measure = policysim::measure(name);
    if (measure.needs != MeasureNeeds::Nothing && !plan.base.firms.enabled())
      issues.push_back({plan.spec.record_declared_in, plan.spec.record_line, "sweep.record",
                        name + " measures firms, and the scenario has no [firms.populations]"});
  }
  if (!issues.empty()) throw ScenarioError(std::move(issues));
}

std::string canonical_text(const SweepPlan& plan) {
  const SweepSpec& spec = plan.spec;
  std::ostringstream out;
  out << "# policysim sweep: everything that decides the results of its runs\n";
  out << "program_version = \"" << POLICYSIM_VERSION << "\"\n";
  out << "design = \"" << name_of(spec.design) << "\"\nsamples = " << spec.samples
      << "\nmorris_levels = " << spec.morris_levels << "\nreplicates = " << spec.replicates << "\nseed = " << spec.seed
      << "\ncommon_random_numbers = " << (spec.common_random_numbers ? "true" : "false")
      << "\nrecord_ties_every = " << spec.record_ties_every << "\n";
  // What each run's record holds: a journal of a build that recorded other metrics is refused.
  out << "metrics =";
  for (const SweepMetric& metric : recorded_metrics(plan)) out << " " << metric.name;
  out << "\nties =";
  for (const SweepTieLayer& layer : recorded_tie_layers(plan)) out << " " << layer.name;
  out << "\n";
  out << "\n# [sweep] as written\n" << spec.toml << "\n";
  out << "\n# parameters\n";
  for (const auto& parameter : spec.parameters)
    out << parameter.key << " : " << name_of(parameter.kind) << "\n";
  out << "\n# design points\n";
  for (std::size_t point = 0; point < plan.design.points; ++point) {
    out << point << ":";
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) out << " " << toml_literal(plan.design.values[i][point]);
    out << "\n";
  }
  out << "\n# base scenario\n" << plan.base.resolved_toml;
  return out.str();
}

}  // namespace

std::string fnv1a_hex(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(hash));
  return digits;
}

std::uint64_t SweepPlan::seed_of(std::size_t run) const {
  return run_seed(spec.seed, point_of(run), replicate_of(run), spec.common_random_numbers);
}

Scenario SweepPlan::scenario_of(std::size_t run) const {
  Scenario scenario = scenarios.at(point_of(run));
  scenario.simulation.seed = seed_of(run);
  return scenario;
}

std::vector<int> SweepPlan::snapshot_steps() const {
  std::vector<int> steps;
  if (spec.record_ties_every == 0) return steps;
  const int last = base.simulation.steps;
  const auto every = static_cast<int>(spec.record_ties_every);
  for (int t = 0; t <= last; t += every) steps.push_back(t);
  if (steps.back() != last) steps.push_back(last);
  return steps;
}

SweepPlan plan_sweep(const std::filesystem::path& file, std::span<const Override> overrides) {
  SweepPlan plan;
  const ScenarioSource source = read_scenario_source(file);
  const std::vector<std::string> ignored = {"sweep"};

  // The base scenario first: its own problems are reported as `policysim validate` would.
  std::vector<Override> base_overrides;
  for (const Override& override : overrides)
    if (!override.key_path.starts_with(kSweepPrefix)) base_overrides.push_back(override);
  {
    LoadedScenario base = build_loaded_scenario(source, base_overrides, ignored);
    plan.base = std::move(base.scenario);
    plan.warnings = std::move(base.warnings);
  }

  // The [sweep] section, with every --set applied (the scenario keys tell the swept keys' kinds).
  std::vector<ScenarioIssue> issues;
  Document document = *source.document;
  apply_overrides(document, overrides, issues);
  if (!has_sweep_section(document))
    throw ScenarioError({{source.file, 0, "sweep",
                          "no [sweep] section: a sweep file needs [sweep] with a design and [sweep.parameters] "
                          "(docs/sweeps.md); `policysim run` runs a single scenario"}});
  plan.spec = read_sweep_spec(document, source.file, issues);
  if (!issues.empty()) throw ScenarioError(std::move(issues));
  check_record_measures(plan);
  plan.design = make_design(plan.spec, document, issues);
  if (!issues.empty()) throw ScenarioError(std::move(issues));

  // A valid scenario at every point, with the same axes as the base. Points are built in
  // parallel, each from a copy of the base document (no [sweep], --set applied once) with its
  // values on top: the validation of build_loaded_scenario without its resolved TOML, which a
  // point does not need (provenance keeps the base and the design). Problems are reported for
  // the first failing point in design order.
  const SweepSpec& spec = plan.spec;
  Document base_document = *source.document;
  std::erase_if(base_document, [](const auto& kv) { return kv.second.path[0] == "sweep"; });
  {
    std::vector<ScenarioIssue> ignored_issues;  // the base was built above: --set is valid
    apply_overrides(base_document, base_overrides, ignored_issues);
  }
  const auto points = static_cast<long>(plan.design.points);
  std::vector<std::optional<Scenario>> scenarios(plan.design.points);
  std::vector<std::vector<ScenarioIssue>> point_issues(plan.design.points);
  std::vector<std::vector<Overwrite>> point_overwrites(plan.design.points);
  const auto what_if = [&](const DocumentEntry& entry) { return is_what_if_entry(entry, source.chain); };
#pragma omp parallel for schedule(dynamic, 4)
  for (long p = 0; p < points; ++p) {
    const auto point = static_cast<std::size_t>(p);
    std::vector<Override> point_overrides;
    for (std::size_t i = 0; i < spec.parameters.size(); ++i)
      point_overrides.push_back({spec.parameters[i].key, toml_literal(plan.design.values[i][point]),
                                 std::string(kOriginPrefix) + spec.parameters[i].key});
    try {
      std::vector<ScenarioIssue> build_issues;
      Document point_document = base_document;
      apply_overrides(point_document, point_overrides, build_issues);
      Scenario scenario = build_scenario(point_document, source.file, build_issues);
      if (!build_issues.empty()) {
        // In the order a reader meets them, as build_loaded_scenario: by file in the chain, then line.
        auto rank = [&](const ScenarioIssue& issue) {
          return std::pair{std::find(source.chain.begin(), source.chain.end(), issue.file) - source.chain.begin(),
                           issue.line};
        };
        std::stable_sort(build_issues.begin(), build_issues.end(),
                         [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
        throw ScenarioError(std::move(build_issues));
      }
      scenario.file = plan.base.file;
      scenario.chain = plan.base.chain;
      if (const std::string changed = shape_change(plan.base, scenario); !changed.empty()) {
        point_issues[point] = {{spec.file, spec.line, "sweep.parameters",
                                "design point " + std::to_string(point) + " changes " + changed +
                                    "; every run of a sweep must have the same axes"}};
        continue;
      }
      for (Overwrite& overwrite : find_overwrites(point_document, scenario, what_if))
        if (overwrite.file.starts_with(kOriginPrefix)) point_overwrites[point].push_back(std::move(overwrite));
      scenarios[point] = std::move(scenario);
    } catch (const ScenarioError& error) {
      point_issues[point] = error.issues();
      remap_point_issues(point_issues[point], spec, plan.design, point);
    } catch (const std::exception& error) {
      point_issues[point] = {{spec.file, spec.line, "sweep", "design point " + std::to_string(point) + ": " + error.what()}};
    }
  }
  std::size_t failing_points = 0;
  for (std::size_t point = 0; point < plan.design.points; ++point) {
    if (point_issues[point].empty()) continue;
    if (failing_points++ == 0) issues = std::move(point_issues[point]);
  }
  if (failing_points > 0) {
    if (failing_points > 1)
      issues.push_back({spec.file, spec.line, "sweep",
                        std::to_string(failing_points) + " of " + std::to_string(plan.design.points) +
                            " design points are invalid; the first is reported above"});
    throw ScenarioError(std::move(issues));
  }
  // A swept value that an event overwrites: once per (parameter, event), at the parameter.
  std::vector<std::pair<Overwrite, std::size_t>> swept;  // and at how many points
  for (const auto& overwrites : point_overwrites)
    for (const Overwrite& overwrite : overwrites) {
      auto same = [&](const auto& known) { return known.first.key == overwrite.key && known.first.event == overwrite.event; };
      if (auto found = std::find_if(swept.begin(), swept.end(), same); found == swept.end()) {
        swept.emplace_back(overwrite, 1);
      } else {
        ++found->second;
        // The event's value is swept too (a shift): say so rather than show one point's value.
        if (found->first.event_value != overwrite.event_value)
          found->first.event_value = overwrite.event_value.substr(0, overwrite.event_value.find(' ')) +
                                     " to a value that differs between design points";
      }
    }
  for (auto& [overwrite, count] : swept) {
    const std::string key = overwrite.file.substr(kOriginPrefix.size());
    for (const SweepParameter& parameter : spec.parameters) {
      if (parameter.key != key) continue;
      overwrite.file = parameter.file;
      overwrite.line = parameter.line;
      overwrite.key = std::string(kOriginPrefix) + key;
      overwrite.value_text = "the swept " + key;
      if (count < plan.design.points)
        overwrite.value_text += " (at " + std::to_string(count) + " of " + std::to_string(plan.design.points) +
                                " design points)";
    }
    plan.warnings.push_back(overwrite.warning());
  }
  plan.scenarios.reserve(plan.design.points);
  for (auto& scenario : scenarios) plan.scenarios.push_back(std::move(*scenario));

  plan.canonical = canonical_text(plan);
  plan.hash = fnv1a_hex(plan.canonical);
  return plan;
}

std::vector<const Measure*> SweepPlan::metric_measures() const {
  std::vector<const Measure*> measures;
  if (!spec.record_measures.empty()) {
    for (const std::string& name : spec.record_measures) measures.push_back(&measure(name));
    return measures;
  }
  for (const Measure& entry : measure_catalogue())
    if (entry.recorded_in(recorded::kSweep) && entry.applies_to(base)) measures.push_back(&entry);
  return measures;
}

std::vector<const Measure*> SweepPlan::tie_measures() const {
  std::vector<const Measure*> measures;
  for (const Measure& entry : measure_catalogue())
    if (entry.scope == MeasureScope::Pair && entry.recorded_in(recorded::kSweepTies) && entry.applies_to(base))
      measures.push_back(&entry);
  return measures;
}

SweepFileLayout file_layout(const SweepPlan& plan, const std::string& command_line) {
  const SweepSpec& spec = plan.spec;
  const Scenario& base = plan.base;
  SweepFileLayout layout;
  layout.program_version = POLICYSIM_VERSION;
  layout.design = std::string(name_of(spec.design));
  layout.replicates = static_cast<std::int64_t>(spec.replicates);
  layout.common_random_numbers = spec.common_random_numbers;
  layout.base_seed = spec.seed;
  layout.scenario_file = base.file;
  layout.extends_chain = base.chain;
  layout.command_line = command_line;
  layout.scenario_resolved = base.resolved_toml;
  layout.sweep_spec = spec.toml;
  layout.spec_hash = plan.hash;
  layout.start_period = base.simulation.start.label();
  layout.steps = base.simulation.steps;
  layout.record = spec.record_ties_every > 0 ? "ties" : "metrics";
  layout.record_ties_every = static_cast<std::int64_t>(spec.record_ties_every);

  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& parameter : spec.parameters)
    layout.parameters.push_back({parameter.key, std::string(name_of(parameter.kind)),
                                 parameter.has_range ? parameter.low : nan, parameter.has_range ? parameter.high : nan});
  layout.points = plan.design.points;
  layout.design_values = plan.design.values;
  const UnitDesign& unit = plan.design.unit;
  if (spec.design == DesignKind::Morris) {
    layout.morris_trajectory = unit.morris_trajectory;
    layout.morris_changed_parameter = unit.morris_changed;
    layout.morris_levels = static_cast<std::int64_t>(spec.morris_levels);
    layout.morris_delta = morris_delta(spec.morris_levels);
  }
  if (spec.design == DesignKind::Saltelli) {
    layout.saltelli_sample = unit.saltelli_sample;
    for (std::int64_t block : unit.saltelli_block)
      layout.saltelli_block.push_back(block == kSaltelliBlockA   ? "A"
                                      : block == kSaltelliBlockB ? "B"
                                                                 : spec.parameters[static_cast<std::size_t>(block)].key);
    layout.saltelli_base_samples = static_cast<std::int64_t>(spec.samples);
  }

  for (int t = 0; t <= base.simulation.steps; ++t) {
    const Period period = base.simulation.start.plus_quarters(t);
    layout.time.push_back(period.decimal_year());
    layout.period_label.push_back(period.label());
  }
  for (const AgentPair& pair : base.pairs_of_interest) {
    layout.pairs.push_back(pair.label);
    layout.pair_agents.push_back(base.governments.at(pair.a).code);
    layout.pair_partners.push_back(base.governments.at(pair.b).code);
  }
  layout.metrics = recorded_metrics(plan);
  for (int t : plan.snapshot_steps()) {
    const Period period = base.simulation.start.plus_quarters(t);
    layout.snapshot_step.push_back(t);
    layout.snapshot_time.push_back(period.decimal_year());
    layout.snapshot_label.push_back(period.label());
  }
  if (!layout.snapshot_step.empty()) {
    layout.agents = codes_of(base);
    layout.tie_layers = recorded_tie_layers(plan);
  }
  return layout;
}

}  // namespace policysim::sweep
