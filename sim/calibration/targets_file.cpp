// The targets file loader: TOML -> validated TargetsFile. Like the scenario loader, it reports
// every problem at once, each with file:line, the key path and what was expected; an unknown key
// is an error (a typo must not silently drop a tolerance).
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <tuple>

#include "sim/calibration/targets.hpp"
#include "sim/calibration/toml_reader.hpp"
#include "sim/description/pair_label.hpp"
#include "sim/measures/measure.hpp"
#include "sim/scenario/document.hpp"
#include "sim/scenario/load.hpp"
#include "sim/scenario/suggest.hpp"

namespace policysim::calibration {
namespace {

constexpr std::array<std::pair<Statistic, std::string_view>, 9> kStatistics = {{
    {Statistic::RatioOfMeans, "ratio_of_means"},
    {Statistic::FirstYear, "first_year"},
    {Statistic::CountPerYearAfterFirst, "count_per_year_after_first"},
    {Statistic::CountPerYearVsOtherYears, "count_per_year_vs_other_years"},
    {Statistic::RankCorrelationOfFirstYears, "rank_correlation_of_first_years"},
    {Statistic::SharesAmongPartners, "shares_among_partners"},
    {Statistic::YearEnd, "year_end"},
    {Statistic::RatioOfYearEnds, "ratio_of_year_ends"},
    {Statistic::ShareOfPartners, "share_of_partners"},
}};

std::optional<Condition> read_condition(Reader& reader, std::string_view name, const std::string& file,
                                        std::vector<ScenarioIssue>& issues) {
  const toml::node* node = reader.get(name);
  if (!node) return std::nullopt;
  const std::string expected = "a condition: { at_least = x }, { above = x }, { at_most = x }, { below = x } or { between = [low, high] }";
  const toml::table* table = node->as_table();
  if (!table || table->size() != 1) {
    reader.problem(node, name, "expected " + expected);
    return std::nullopt;
  }
  Reader inner(file, *table, reader.key(name), issues);
  Condition condition;
  static const std::vector<std::pair<std::string, Condition::Kind>> bounds = {
      {"at_least", Condition::Kind::AtLeast}, {"above", Condition::Kind::Above},
      {"at_most", Condition::Kind::AtMost}, {"below", Condition::Kind::Below}};
  for (const auto& [key, kind] : bounds)
    if (table->get(key)) {
      const auto value = inner.number(key, true);
      if (!value) return std::nullopt;
      condition.kind = kind;
      condition.low = *value;
      inner.reject_unknown();
      return condition;
    }
  if (const toml::node* between = inner.get("between")) {
    const toml::array* array = between->as_array();
    if (!array || array->size() != 2 || !(*array)[0].is_number() || !(*array)[1].is_number() ||
        (*array)[0].value<double>() > (*array)[1].value<double>()) {
      inner.problem(between, "between", "expected [low, high], two numbers with low <= high");
      return std::nullopt;
    }
    condition.kind = Condition::Kind::Between;
    condition.low = *(*array)[0].value<double>();
    condition.high = *(*array)[1].value<double>();
    return condition;
  }
  inner.reject_unknown();
  return std::nullopt;
}

void read_tolerance(Reader& target_reader, Target& target, const std::string& file, std::vector<ScenarioIssue>& issues) {
  const toml::node* node = target_reader.get("tolerance");
  const std::string expected = "a table such as { mean = { between = [0.6, 1.4] } } (see the head of the file)";
  if (!node) {
    target_reader.missing("tolerance", expected);
    return;
  }
  const toml::table* table = node->as_table();
  if (!table) {
    target_reader.problem(node, "tolerance", "expected " + expected);
    return;
  }
  Reader reader(file, *table, target_reader.key("tolerance"), issues);
  Tolerance& tolerance = target.tolerance;
  const auto before = issues.size();
  tolerance.each_seed = read_condition(reader, "each_seed", file, issues);
  const auto at_least = reader.number("seeds_at_least", false, "a share of the seeds, from 0 to 1");
  const auto more_than = reader.number("seeds_more_than", false, "a share of the seeds, from 0 to 1");
  tolerance.mean = read_condition(reader, "mean", file, issues);
  tolerance.median = read_condition(reader, "median", file, issues);
  tolerance.total = read_condition(reader, "total", file, issues);
  tolerance.above_other_years = reader.boolean("above_other_years").value_or(false);
  tolerance.above_busiest_other_year = reader.boolean("above_busiest_other_year").value_or(false);
  if (const toml::node* factors = reader.get("range_factors")) {
    const toml::array* array = factors->as_array();
    if (!array || array->size() != 2 || !(*array)[0].is_number() || !(*array)[1].is_number())
      reader.problem(factors, "range_factors", "expected [low, high], two numbers (e.g. [0.9, 1.1])");
    else
      tolerance.range_factors = std::array<double, 2>{*(*array)[0].value<double>(), *(*array)[1].value<double>()};
  }
  reader.reject_unknown();
  if (issues.size() != before) return;

  if (at_least && more_than) reader.problem(node, "", "seeds_at_least and seeds_more_than: give one of them");
  const auto share = at_least ? at_least : more_than;
  if (share && (*share < 0.0 || *share > 1.0)) reader.problem(node, "", "the share of seeds must be from 0 to 1");
  if (tolerance.each_seed && !share)
    reader.problem(node, "", "each_seed needs seeds_at_least or seeds_more_than (the share of seeds that must meet it)");
  if (share && !tolerance.each_seed) reader.problem(node, "", "seeds_at_least / seeds_more_than need each_seed (the condition)");
  tolerance.seed_share = share.value_or(0.0);
  tolerance.seed_share_strict = more_than.has_value();

  const bool pooled = target.statistic == Statistic::CountPerYearVsOtherYears;
  const bool ranges = target.statistic == Statistic::SharesAmongPartners;
  const bool per_seed = tolerance.each_seed || tolerance.mean || tolerance.median || tolerance.total;
  if (tolerance.total && target.statistic != Statistic::ShareOfPartners)
    reader.problem(node, "", "total applies to share_of_partners only");
  if ((pooled || ranges) && per_seed)
    reader.problem(node, "", std::string("each_seed, mean and median do not apply to the statistic ") +
                                 std::string(name_of(target.statistic)));
  const int pooled_criteria = int{tolerance.above_other_years} + int{tolerance.above_busiest_other_year};
  if (pooled && pooled_criteria != 1)
    reader.problem(node, "", "count_per_year_vs_other_years needs above_other_years = true or above_busiest_other_year = true");
  if (!pooled && pooled_criteria > 0)
    reader.problem(node, "", "above_other_years and above_busiest_other_year apply to count_per_year_vs_other_years only");
  if (ranges != tolerance.range_factors.has_value())
    reader.problem(node, "", ranges ? "shares_among_partners needs range_factors = [low, high]"
                                    : "range_factors applies to shares_among_partners only");
  if (!pooled && !ranges && !per_seed)
    reader.problem(node, "", "no criterion: give each_seed (with seeds_at_least or seeds_more_than), mean, median or total");
}

// A measure of the catalogue (sim/measures/) with a value per pair of agents: targets read it from
// an agent to a partner.
void read_measure(Reader& reader, std::string& measure) {
  const auto name = reader.string("measure", true, "the name of a measure (policysim describe lists them)");
  if (!name) return;
  const Measure* found = find_measure(*name);
  if (!found) {
    std::vector<std::string> pair_measures;
    for (const Measure& entry : measure_catalogue())
      if (entry.scope == MeasureScope::Pair) pair_measures.push_back(entry.name);
    const auto close = closest_match(*name, pair_measures);
    reader.problem(reader.get("measure"), "measure",
                   "unknown measure \"" + *name + "\"" + (close ? " (did you mean \"" + *close + "\"?)" : std::string(" (policysim describe lists the measures)")));
  } else if (found->scope != MeasureScope::Pair) {
    const std::string scope(name_of(found->scope));
    const std::string article = scope.front() == 'a' ? "an " : "a ";
    reader.problem(reader.get("measure"), "measure",
                   "\"" + *name + "\" is " + article + scope + " measure; targets read a pair measure (a value from an agent to a partner)");
  }
  measure = *name;
}

void read_pair(Reader& reader, std::string& agent, std::string& partner, bool& both_directions) {
  if (const auto pair = reader.string("pair", false, "\"A-B\", two agent codes")) {
    if (const auto ends = split_pair_label(*pair)) std::tie(agent, partner) = *ends;
    else
      reader.problem(reader.get("pair"), "pair", "expected \"A-B\", two agent codes (e.g. \"JPN-ISR\"), got \"" + *pair + "\"");
  }
  both_directions = reader.boolean("both_directions").value_or(false);
}

void read_partners(Reader& reader, Target& target, const std::string& file, std::vector<ScenarioIssue>& issues) {
  const toml::node* node = reader.get("partners");
  const bool with_years = target.statistic == Statistic::RankCorrelationOfFirstYears;
  const bool with_ranges = target.statistic == Statistic::SharesAmongPartners;
  const std::string expected = with_years    ? "a list of { code = \"ABC\", year = 2014 }"
                               : with_ranges ? "a list of { code = \"ABC\", share_2009 = x, min = x, max = x }"
                                             : "a list of agent codes, e.g. [\"USA\", \"ISR\"]";
  if (!node) {
    reader.missing("partners", expected);
    return;
  }
  const toml::array* array = node->as_array();
  if (!array || array->empty()) {
    reader.problem(node, "partners", "expected " + expected);
    return;
  }
  for (std::size_t k = 0; k < array->size(); ++k) {
    const toml::node& element = (*array)[k];
    const std::string path = reader.key("partners") + "[" + std::to_string(k) + "]";
    Partner partner;
    if (!with_years && !with_ranges) {
      if (!element.is_string()) {
        issues.push_back({file, line_of(element), path, "expected an agent code (a string)"});
        continue;
      }
      partner.code = element.as_string()->get();
    } else {
      const toml::table* table = element.as_table();
      if (!table) {
        issues.push_back({file, line_of(element), path, "expected " + expected});
        continue;
      }
      Reader inner(file, *table, path, issues);
      partner.code = inner.string("code", true, "an agent code").value_or("");
      if (with_years) partner.year = inner.whole("year", true).value_or(0);
      if (with_ranges) {
        partner.share_2009 = inner.number("share_2009", true).value_or(0.0);
        partner.min = inner.number("min", true).value_or(0.0);
        partner.max = inner.number("max", true).value_or(0.0);
      }
      inner.reject_unknown();
    }
    target.partners.push_back(partner);
  }
}

Target read_target(const std::string& id, const toml::table& table, const std::string& file, std::vector<ScenarioIssue>& issues) {
  Target target;
  target.id = id;
  target.line = line_of(table);
  Reader reader(file, table, "targets." + id, issues);
  target.title = reader.string("title", true).value_or(id);
  target.says = reader.string("says", true, "what the source says, in a few words").value_or("");
  target.source = reader.string("source", true, "the file the evidence is in").value_or("");
  target.passage = reader.string("passage", false).value_or("");
  target.sets = reader.string("sets", false).value_or("");
  if (const toml::node* year = reader.get("evidence_year")) {
    if (year->is_integer()) target.evidence_year = std::to_string(year->as_integer()->get());
    else if (year->is_string()) target.evidence_year = year->as_string()->get();
    else reader.problem(year, "evidence_year", "expected a year or a span of years (\"2016-2018\")");
  } else {
    reader.missing("evidence_year", "the year of the evidence, e.g. 2014 or \"2016-2018\"");
  }
  if (const auto role = reader.string("role", true, "\"calibration\" or \"validation\"")) {
    if (*role != "calibration" && *role != "validation")
      reader.problem(reader.get("role"), "role",
                     "expected \"calibration\" (a figure used to set a number) or \"validation\" (never used), got \"" + *role +
                         "\"" + suggestion_hint(*role, {"calibration", "validation"}));
    target.role = *role;
  }
  if (target.role == "calibration" && target.sets.empty())
    reader.missing("sets", "the number a calibration target set (a key of the scenario)");
  read_measure(reader, target.measure);
  if (const auto statistic = reader.string("statistic", true, "one of the statistics at the head of the file")) {
    if (const auto known = statistic_from_name(*statistic)) target.statistic = *known;
    else {
      reader.problem(reader.get("statistic"), "statistic",
                     "unknown statistic \"" + *statistic + "\"" + suggestion_hint(*statistic, statistic_names()));
      reader.get("tolerance");  // not checked without a statistic
      for (const char* key : {"pair", "agent", "partners", "both_directions", "years", "over_years", "other_years", "year",
                              "over_year", "years_after", "digits"})
        reader.get(key);
      reader.reject_unknown();
      return target;
    }
  }
  if (const auto digits = reader.whole("digits", false, "a whole number of decimals from 0 to 6")) {
    if (*digits < 0 || *digits > 6) reader.problem(reader.get("digits"), "digits", "expected a whole number of decimals from 0 to 6");
    else target.digits = *digits;
  }

  const Statistic s = target.statistic;
  const bool with_partners = s == Statistic::RankCorrelationOfFirstYears || s == Statistic::SharesAmongPartners ||
                             s == Statistic::ShareOfPartners;
  if (with_partners) {
    target.agent = reader.string("agent", true, "an agent code").value_or("");
    target.both_directions = reader.boolean("both_directions").value_or(false);
    read_partners(reader, target, file, issues);
  } else {
    read_pair(reader, target.agent, target.partner, target.both_directions);
    if (!reader.get("pair")) reader.missing("pair", "\"A-B\", two agent codes (e.g. \"JPN-ISR\")");
  }
  if (s == Statistic::RatioOfMeans) {
    target.years = reader.years("years", true).value_or(std::vector<int>{});
    target.over_years = reader.years("over_years", true).value_or(std::vector<int>{});
  }
  if (s == Statistic::CountPerYearVsOtherYears) {
    target.years = reader.years("years", true).value_or(std::vector<int>{});
    target.other_years = reader.years("other_years", false).value_or(std::vector<int>{});
  }
  if (s == Statistic::CountPerYearAfterFirst) {
    target.years_after = reader.whole("years_after", true, "a number of years (a whole number >= 1)").value_or(1);
    if (target.years_after < 1) reader.problem(reader.get("years_after"), "years_after", "expected a whole number >= 1");
  }
  if (s == Statistic::SharesAmongPartners || s == Statistic::YearEnd || s == Statistic::RatioOfYearEnds ||
      s == Statistic::ShareOfPartners)
    target.year = reader.whole("year", true).value_or(0);
  if (s == Statistic::RatioOfYearEnds) target.over_year = reader.whole("over_year", true).value_or(0);
  read_tolerance(reader, target, file, issues);
  reader.reject_unknown();
  return target;
}

Table read_table(const std::string& id, const toml::table& table, const std::string& file, std::vector<ScenarioIssue>& issues) {
  Table result;
  result.id = id;
  result.line = line_of(table);
  Reader reader(file, table, "tables." + id, issues);
  result.title = reader.string("title", true).value_or(id);
  const toml::node* node = reader.get("columns");
  const std::string expected =
      "a list of { heading = \"...\", measure = \"...\", pair = \"A-B\", per_year = \"mean\" | \"count\" | \"year_end\" }";
  const toml::array* array = node ? node->as_array() : nullptr;
  if (!array || array->empty()) {
    if (node) reader.problem(node, "columns", "expected " + expected);
    else reader.missing("columns", expected);
  } else {
    for (std::size_t k = 0; k < array->size(); ++k) {
      const std::string path = reader.key("columns") + "[" + std::to_string(k) + "]";
      const toml::table* column_table = (*array)[k].as_table();
      if (!column_table) {
        issues.push_back({file, line_of((*array)[k]), path, "expected " + expected});
        continue;
      }
      Reader inner(file, *column_table, path, issues);
      TableColumn column;
      column.heading = inner.string("heading", true).value_or("");
      read_measure(inner, column.measure);
      if (inner.get("count_above")) {
        // A count of partners: the agent alone, at the end of each year.
        column.agent = inner.string("agent", true, "an agent code").value_or("");
        column.count_above = inner.number("count_above", true, "a number (e.g. the presence threshold, 0.3)");
      } else {
        read_pair(inner, column.agent, column.partner, column.both_directions);
        if (!inner.get("pair")) inner.missing("pair", "\"A-B\", two agent codes");
      }
      if (const auto per_year = inner.string("per_year", true, "\"mean\", \"count\" or \"year_end\"")) {
        if (*per_year == "mean") column.per_year = TableColumn::PerYear::Mean;
        else if (*per_year == "count") column.per_year = TableColumn::PerYear::Count;
        else if (*per_year == "year_end") column.per_year = TableColumn::PerYear::YearEnd;
        else
          inner.problem(inner.get("per_year"), "per_year",
                        "expected \"mean\", \"count\" or \"year_end\"" + suggestion_hint(*per_year, {"mean", "count", "year_end"}));
      }
      column.digits = inner.whole("digits", false, "a whole number of decimals").value_or(2);
      if (column.count_above && column.per_year != TableColumn::PerYear::YearEnd)
        inner.problem(inner.get("per_year"), "per_year", "a count_above column counts at the end of the year: expected \"year_end\"");
      inner.reject_unknown();
      result.columns.push_back(column);
    }
  }
  reader.reject_unknown();
  return result;
}

}  // namespace

std::string_view name_of(Statistic statistic) {
  for (const auto& [value, name] : kStatistics)
    if (value == statistic) return name;
  return "?";
}

std::optional<Statistic> statistic_from_name(std::string_view name) {
  for (const auto& [value, known] : kStatistics)
    if (known == name) return value;
  return std::nullopt;
}

std::vector<std::string> statistic_names() {
  std::vector<std::string> names;
  for (const auto& [value, name] : kStatistics) names.emplace_back(name);
  return names;
}

TargetsFile load_targets(const std::filesystem::path& path) {
  TargetsFile result;
  result.file = path.lexically_normal().string();
  std::vector<ScenarioIssue> issues;
  std::optional<toml::table> parsed = parse_toml_file(path, "targets file", issues);
  if (!parsed) throw ScenarioError(std::move(issues));
  toml::table document = std::move(*parsed);
  Reader top(result.file, document, "", issues);
  for (const char* section : {"targets", "tables"}) {
    const toml::node* node = top.get(section);
    if (!node) {
      if (std::string_view(section) == "targets") issues.push_back({result.file, 0, "targets", "missing; expected [targets.<id>] tables"});
      continue;
    }
    const toml::table* table = node->as_table();
    if (!table) {
      issues.push_back({result.file, line_of(*node), section, "expected a table of tables ([" + std::string(section) + ".<id>])"});
      continue;
    }
    for (const auto& [key, child] : *table) {
      const std::string id(key.str());
      const toml::table* entry = child.as_table();
      if (!entry) {
        issues.push_back({result.file, line_of(child), std::string(section) + "." + id, "expected a table"});
        continue;
      }
      if (std::string_view(section) == "targets") result.targets.push_back(read_target(id, *entry, result.file, issues));
      else result.tables.push_back(read_table(id, *entry, result.file, issues));
    }
  }
  for (const auto& [key, node] : document) {
    const std::string name(key.str());
    if (name != "targets" && name != "tables")
      issues.push_back({result.file, line_of(node), name, "unknown key" + suggestion_hint(name, {"targets", "tables"})});
  }
  if (!issues.empty()) throw ScenarioError(std::move(issues));
  // TOML tables are unordered: keep the order of the file, which is the order a reader expects.
  std::stable_sort(result.targets.begin(), result.targets.end(), [](const Target& a, const Target& b) { return a.line < b.line; });
  std::stable_sort(result.tables.begin(), result.tables.end(), [](const Table& a, const Table& b) { return a.line < b.line; });
  return result;
}

std::filesystem::path default_targets_file(const std::vector<std::string>& chain) {
  const auto next_to = [](const std::string& file) {
    return std::filesystem::path(file).parent_path() / "calibration" / "targets.toml";
  };
  for (const std::string& file : chain) {
    std::error_code ignored;
    if (std::filesystem::exists(next_to(file), ignored)) return next_to(file);
  }
  return chain.empty() ? std::filesystem::path("calibration") / "targets.toml" : next_to(chain.front());
}

}  // namespace policysim::calibration
