// The estimation spec loader: TOML -> checked EstimateSpec. Like the targets file loader, it reports
// every problem at once with file:line, the key path and what was expected.
#include "sim/estimation/estimate_spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "sim/calibration/toml_reader.hpp"
#include "sim/calibration/validation_split.hpp"
#include "sim/description/joined.hpp"
#include "sim/description/pair_label.hpp"
#include "sim/measures/measure.hpp"
#include "sim/scenario/document.hpp"

namespace policysim::estimation {
namespace {

using calibration::is_training_evidence;
using calibration::kLastTrainingYear;
using calibration::line_of;
using calibration::Reader;

constexpr std::array<std::pair<MomentStatistic, std::string_view>, 6> kMomentStatistics = {{
    {MomentStatistic::Mean, "mean"},
    {MomentStatistic::Count, "count"},
    {MomentStatistic::FirstYear, "first_year"},
    {MomentStatistic::YearEnd, "year_end"},
    {MomentStatistic::Growth, "growth"},
    {MomentStatistic::CountAbove, "count_above"},
}};

std::optional<std::vector<std::string>> strings(Reader& reader, std::string_view name, bool required,
                                                const std::string& expected) {
  const toml::node* node = reader.get(name);
  if (!node) {
    if (required) reader.missing(name, expected);
    return std::nullopt;
  }
  std::vector<std::string> result;
  if (const toml::array* array = node->as_array(); array && !array->empty()) {
    for (const toml::node& element : *array)
      if (element.is_string()) result.push_back(element.as_string()->get());
    if (result.size() == array->size()) return result;
  }
  reader.problem(node, name, "expected " + expected);
  return std::nullopt;
}

Moment read_moment(const std::string& id, const toml::table& table, const std::string& file, bool synthetic,
                   std::vector<ScenarioIssue>& issues) {
  Moment moment;
  moment.id = id;
  moment.file = file;
  moment.line = line_of(table);
  Reader reader(file, table, "moments." + id, issues);
  moment.name = reader.string("name", false).value_or(id);
  if (auto measure = reader.string("measure", true, "a pair measure of the catalogue (policysim describe)")) {
    const Measure* found = find_measure(*measure);
    if (!found || found->scope != MeasureScope::Pair) {
      std::vector<std::string> names;
      for (const Measure& entry : measure_catalogue())
        if (entry.scope == MeasureScope::Pair) names.push_back(entry.name);
      reader.problem(table.get("measure"), "measure",
                     "expected a pair measure of the catalogue" + suggestion_hint(*measure, names));
    } else {
      moment.measure = *measure;
    }
  }
  if (auto statistic = reader.string("statistic", true, "one of " + joined(moment_statistic_names(), ", "))) {
    if (auto known = moment_statistic_from_name(*statistic)) moment.statistic = *known;
    else reader.problem(table.get("statistic"), "statistic",
                        "expected one of " + joined(moment_statistic_names(), ", ") +
                            suggestion_hint(*statistic, moment_statistic_names()));
  }
  const bool count_above = moment.statistic == MomentStatistic::CountAbove;
  if (count_above) {
    if (auto agent = reader.string("agent", true, "an agent code, e.g. \"JPN\"")) moment.from = *agent;
    if (auto partners = strings(reader, "partners", true, "a list of agent codes, e.g. [\"USA\", \"ISR\"]"))
      moment.partners = *partners;
  } else if (auto pair = reader.string("pair", true, "\"A-B\": the measure from agent A to agent B")) {
    if (auto ends = split_pair_label(*pair)) std::tie(moment.from, moment.to) = *ends;
    else reader.problem(table.get("pair"), "pair", "expected \"A-B\": the measure from agent A to agent B");
  }
  if (auto threshold = reader.number("threshold", count_above, "a number (the tie strength that counts)"))
    moment.threshold = *threshold;
  if (auto years = reader.years("years", true)) {
    if (years->size() != 2 || (*years)[0] > (*years)[1])
      reader.problem(table.get("years"), "years", "expected [first, last]: two years, first <= last");
    else {
      moment.first_year = (*years)[0];
      moment.last_year = (*years)[1];
      if (moment.statistic == MomentStatistic::Growth && moment.first_year == moment.last_year)
        reader.problem(table.get("years"), "years", "expected two different years for a growth");
    }
  }
  if (synthetic) {
    for (const char* made : {"observed", "se", "evidence_year"})
      if (const toml::node* node = reader.get(made))
        reader.problem(node, made, "not with [estimate.synthetic]: the model makes the observed values at the truths");
    moment.source = reader.string("source", false).value_or("synthetic");
  } else {
    if (auto observed = reader.number("observed", true)) moment.observed = *observed;
    if (auto se = reader.number("se", true, "a standard error > 0")) {
      if (!(*se > 0.0) || !std::isfinite(*se)) reader.problem(table.get("se"), "se", "expected a standard error > 0");
      else moment.se = *se;
    }
    moment.source = reader.string("source", true, "where the observed value comes from").value_or("");
    if (auto year = reader.whole("evidence_year", true)) {
      moment.evidence_year = *year;
      // The split (docs/validation.md): held-out evidence never sets a number.
      if (!is_training_evidence(*year))
        reader.problem(table.get("evidence_year"), "evidence_year",
                       "evidence from " + std::to_string(*year) + " is validation evidence (after " +
                           std::to_string(kLastTrainingYear) + ", docs/validation.md) and may not be fitted");
    }
    if (moment.last_year > kLastTrainingYear)
      reader.problem(table.get("years"), "years",
                     "expected years up to " + std::to_string(kLastTrainingYear) +
                         ": later years are held out for validation (docs/validation.md)");
  }
  reader.reject_unknown();
  return moment;
}

// [estimate.parameters]: dotted keys down to a table with `prior` (as a sweep's parameters), or
// quoted key paths.
void read_parameters(const toml::table& table, const std::string& prefix, const std::string& file, bool synthetic,
                     std::vector<EstimatedParameter>& parameters, std::vector<ScenarioIssue>& issues) {
  for (const auto& [key, node] : table) {
    const std::string path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const toml::table* inner = node.as_table();
    if (!inner) {
      issues.push_back({file, line_of(node), "estimate.parameters." + path,
                        "expected { prior = [low, high] } (a uniform prior range)"});
      continue;
    }
    if (!inner->contains("prior")) {
      read_parameters(*inner, path, file, synthetic, parameters, issues);
      continue;
    }
    Reader reader(file, *inner, "estimate.parameters." + path, issues);
    EstimatedParameter parameter;
    parameter.key = path;
    parameter.file = file;
    parameter.line = line_of(*inner);
    const toml::node* prior = reader.get("prior");
    const toml::array* range = prior->as_array();
    if (!range || range->size() != 2 || !(*range)[0].is_number() || !(*range)[1].is_number() ||
        !((*range)[0].value<double>() < (*range)[1].value<double>()) ||
        !std::isfinite(*(*range)[0].value<double>()) || !std::isfinite(*(*range)[1].value<double>())) {
      reader.problem(prior, "prior", "expected [low, high]: two finite numbers, low < high");
    } else {
      parameter.low = *(*range)[0].value<double>();
      parameter.high = *(*range)[1].value<double>();
    }
    if (auto truth = reader.number("truth", synthetic, "the true value the synthetic data are made with")) {
      if (!synthetic) reader.problem(inner->get("truth"), "truth", "only with [estimate.synthetic]");
      else if (!(*truth >= parameter.low && *truth <= parameter.high))
        reader.problem(inner->get("truth"), "truth", "expected a value inside the prior range");
      else parameter.truth = *truth;
    }
    reader.reject_unknown();
    parameters.push_back(std::move(parameter));
  }
}

}  // namespace

std::string_view name_of(MomentStatistic statistic) {
  for (const auto& [value, name] : kMomentStatistics)
    if (value == statistic) return name;
  return "?";
}

std::optional<MomentStatistic> moment_statistic_from_name(std::string_view name) {
  for (const auto& [value, known] : kMomentStatistics)
    if (known == name) return value;
  return std::nullopt;
}

std::vector<std::string> moment_statistic_names() {
  std::vector<std::string> names;
  for (const auto& [value, name] : kMomentStatistics) names.emplace_back(name);
  return names;
}

std::size_t EstimateSpec::kept() const {
  return static_cast<std::size_t>(std::ceil(alpha * static_cast<double>(particles)));
}

EstimateSpec read_estimate_spec(const std::filesystem::path& path) {
  EstimateSpec spec;
  spec.file = path.lexically_normal().string();
  std::vector<ScenarioIssue> issues;
  std::optional<toml::table> parsed = parse_toml_file(path, "estimation spec", issues);
  if (!parsed) throw ScenarioError(std::move(issues));
  const toml::table document = std::move(*parsed);
  Reader top(spec.file, document, "", issues);

  const toml::node* estimate_node = top.get("estimate");
  const toml::table* estimate = estimate_node ? estimate_node->as_table() : nullptr;
  if (!estimate) {
    issues.push_back({spec.file, estimate_node ? line_of(*estimate_node) : 0, "estimate",
                      "missing; expected an [estimate] table with scenario, [estimate.parameters] (docs/estimation.md)"});
    throw ScenarioError(std::move(issues));
  }
  Reader reader(spec.file, *estimate, "estimate", issues);
  const toml::node* synthetic_node = reader.get("synthetic");
  if (synthetic_node) {
    const toml::table* synthetic = synthetic_node->as_table();
    if (!synthetic) {
      reader.problem(synthetic_node, "synthetic", "expected a table { seed = n, replicates = n }");
    } else {
      Reader inner(spec.file, *synthetic, "estimate.synthetic", issues);
      spec.synthetic = true;
      if (auto seed = inner.whole("seed", true, "a whole number >= 0")) spec.synthetic_seed = static_cast<std::uint64_t>(std::max(0, *seed));
      if (auto replicates = inner.whole("replicates", true, "a whole number >= 2 (runs that give the standard errors)")) {
        if (*replicates < 2 || *replicates > 1000) inner.problem(synthetic->get("replicates"), "replicates", "expected 2 .. 1000");
        else spec.synthetic_replicates = static_cast<std::size_t>(*replicates);
      }
      inner.reject_unknown();
    }
  }
  if (auto scenario = reader.string("scenario", true, "the scenario file, relative to this file")) {
    const std::filesystem::path named(*scenario);
    spec.scenario_file = (named.is_absolute() ? named : path.parent_path() / named).lexically_normal().string();
  }
  if (auto sets = strings(reader, "set", false, "a list of \"key.path=value\" overrides")) {
    for (const std::string& assignment : *sets) {
      try {
        Override override = parse_override(assignment);
        override.origin = spec.file + " estimate.set";
        spec.scenario_overrides.push_back(std::move(override));
      } catch (const ScenarioError& error) {
        reader.problem(estimate->get("set"), "set", error.issues().empty() ? "bad override" : error.issues().front().message);
      }
    }
  }
  auto whole_in = [&](std::string_view name, int low, int high, std::size_t& into) {
    if (auto value = reader.whole(name, false, "a whole number")) {
      if (*value < low || *value > high)
        reader.problem(estimate->get(name), name, "expected " + std::to_string(low) + " .. " + std::to_string(high));
      else into = static_cast<std::size_t>(*value);
    }
  };
  whole_in("particles", 8, 100000, spec.particles);
  whole_in("max_generations", 1, 100, spec.max_generations);
  whole_in("replicates", 1, 100, spec.replicates);
  if (auto seed = reader.whole("seed", false, "a whole number >= 0")) {
    if (*seed < 0) reader.problem(estimate->get("seed"), "seed", "expected a whole number >= 0");
    else spec.seed = static_cast<std::uint64_t>(*seed);
  }
  if (auto alpha = reader.number("alpha", false)) {
    if (!(*alpha > 0.0 && *alpha < 1.0)) reader.problem(estimate->get("alpha"), "alpha", "expected a share in (0, 1)");
    else spec.alpha = *alpha;
  }
  if (auto acceptance = reader.number("min_acceptance", false)) {
    if (!(*acceptance > 0.0 && *acceptance < 1.0))
      reader.problem(estimate->get("min_acceptance"), "min_acceptance", "expected a share in (0, 1)");
    else spec.min_acceptance = *acceptance;
  }
  if (const toml::node* node = reader.get("parameters"); !node || !node->as_table() || node->as_table()->empty()) {
    reader.problem(node, "parameters",
                   "expected [estimate.parameters] with at least one key path = { prior = [low, high] }");
  } else {
    read_parameters(*node->as_table(), "", spec.file, spec.synthetic, spec.parameters, issues);
  }
  reader.reject_unknown();
  if (spec.kept() < 4 || spec.kept() >= spec.particles)
    issues.push_back({spec.file, line_of(*estimate), "estimate.alpha",
                      "alpha x particles must keep at least 4 particles and fewer than all"});

  const toml::node* moments_node = top.get("moments");
  const toml::table* moments = moments_node ? moments_node->as_table() : nullptr;
  if (!moments || moments->empty()) {
    issues.push_back({spec.file, moments_node ? line_of(*moments_node) : 0, "moments",
                      "missing; expected [moments.<id>] tables (measure, pair, statistic, years, observed, se)"});
  } else {
    for (const auto& [key, node] : *moments) {
      const std::string id(key.str());
      if (const toml::table* table = node.as_table()) spec.moments.push_back(read_moment(id, *table, spec.file, spec.synthetic, issues));
      else issues.push_back({spec.file, line_of(node), "moments." + id, "expected a table"});
    }
  }
  for (const auto& [key, node] : document) {
    const std::string name(key.str());
    if (name != "estimate" && name != "moments")
      issues.push_back({spec.file, line_of(node), name, "unknown key" + suggestion_hint(name, {"estimate", "moments"})});
  }
  if (!issues.empty()) throw ScenarioError(std::move(issues));
  std::sort(spec.parameters.begin(), spec.parameters.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  std::sort(spec.moments.begin(), spec.moments.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return spec;
}

}  // namespace policysim::estimation
