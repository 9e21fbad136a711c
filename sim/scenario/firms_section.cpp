#include "sim/scenario/firms_section.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "sim/dynamics/events/event.hpp"
#include "sim/dynamics/firms/firm_effects.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/values.hpp"

namespace policysim {
namespace {

using values::kInfinity;

// Firm k's random key packs k with the candidate number (6 bits) into 32 bits.
constexpr std::int64_t kMaxPopulationCount = (std::int64_t{1} << 26) - 1;
// See read_distribution: the largest |value| a firm attribute distribution may reach, and the
// largest standard normal draw.
constexpr double kMaxFirmAttribute = 1e12;
constexpr double kMaxStandardNormalDraw = 10.0;

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::vector<std::string> names_of_sectors() {
  std::vector<std::string> names;
  for (std::size_t s = 0; s < kSectorCount; ++s) names.emplace_back(name_of(static_cast<Sector>(s)));
  return names;
}

// size / innovation / risk_tolerance = { distribution = "...", ... }; attributes in [0, 1] are
// clipped to it whatever the distribution.
void read_distribution(const std::vector<const DocumentEntry*>& entries, AttributeDistribution& out, bool unit_interval,
                       std::vector<ScenarioIssue>& issues) {
  using Kind = AttributeDistribution::Kind;
  std::map<std::string, const DocumentEntry*> fields;
  for (const DocumentEntry* entry : entries) fields[entry->path[4]] = entry;
  static const std::map<std::string, std::pair<Kind, std::vector<std::string>>> kinds = {
      {"constant", {Kind::Constant, {"value"}}},
      {"uniform", {Kind::Uniform, {"low", "high"}}},
      {"normal", {Kind::Normal, {"mean", "sd"}}},
      {"lognormal", {Kind::LogNormal, {"mean_log", "sd_log"}}}};
  auto kind_entry = fields.find("distribution");
  if (kind_entry == fields.end()) {
    values::report(*entries.front(), "missing: distribution (constant, uniform, normal or lognormal)", issues);
    return;
  }
  auto kind_name = values::text(*kind_entry->second, "a distribution name", issues);
  if (!kind_name) return;
  auto kind = kinds.find(*kind_name);
  if (kind == kinds.end()) {
    values::report(*kind_entry->second, "unknown distribution \"" + *kind_name + "\"" +
                                            suggestion_hint(*kind_name, {"constant", "uniform", "normal", "lognormal"}),
                   issues);
    return;
  }
  out = AttributeDistribution{};
  out.kind = kind->second.first;
  if (unit_interval) {
    out.low = 0.0;
    out.high = 1.0;
  }
  const auto& parameters = kind->second.second;
  for (const auto& [field, entry] : fields) {
    if (field == "distribution") continue;
    if (std::find(parameters.begin(), parameters.end(), field) == parameters.end()) {
      std::vector<std::string> allowed = parameters;
      allowed.insert(allowed.begin(), "distribution");
      values::report(*entry, "not a parameter of a " + *kind_name + " distribution" + suggestion_hint(field, allowed),
                     issues);
      continue;
    }
    const bool is_spread = field == "sd" || field == "sd_log";
    auto value = values::number(*entry, is_spread ? 0.0 : -kInfinity, kInfinity, issues);
    if (!value) continue;
    (field == parameters[0] ? out.first : out.second) = *value;
  }
  for (const auto& parameter : parameters)
    if (fields.find(parameter) == fields.end())
      values::report(*entries.front(), "missing: " + parameter + " of the " + *kind_name + " distribution", issues);
  if (out.kind == Kind::Uniform && fields.count("low") && fields.count("high") && out.first > out.second)
    values::report(*fields["high"], "expected high >= low", issues);
  // Every value the distribution can draw must be a finite number of sensible size: a standard
  // normal draw from 64-bit uniforms never passes 10 (sqrt(-2 ln 2^-64) = 9.42), so mean +- 10 sd
  // (for a lognormal exp(mean_log + 10 sd_log)) bounds what the firms get (docs/reliability.md).
  const std::string& first = parameters[0];
  if (fields.count(first) == 0 || (parameters.size() > 1 && fields.count(parameters[1]) == 0)) return;
  const double spread = parameters.size() > 1 ? out.second : 0.0;
  const double reach = out.kind == Kind::LogNormal ? out.first + kMaxStandardNormalDraw * spread
                       : out.kind == Kind::Normal  ? std::fabs(out.first) + kMaxStandardNormalDraw * spread
                                                   : std::max(std::fabs(out.first), std::fabs(out.second));
  const double limit = out.kind == Kind::LogNormal ? std::log(kMaxFirmAttribute) : kMaxFirmAttribute;
  if (!(reach <= limit))
    values::report(*fields[first],
                   out.kind == Kind::LogNormal
                       ? "mean_log + 10 sd_log is " + number_text(reach) + "; expected at most " +
                             number_text(limit) + " (firm values up to " +
                             number_text(kMaxFirmAttribute) + ")"
                   : out.kind == Kind::Normal
                       ? "|mean| + 10 sd is " + number_text(reach) + "; expected at most " +
                             number_text(limit) + " (firm values up to " + number_text(limit) + ")"
                       : "expected values within +-" + number_text(limit),
                   issues);
}

void read_population(const std::string& name, const std::vector<const DocumentEntry*>& entries, Scenario& scenario,
                     std::vector<ScenarioIssue>& issues) {
  FirmPopulation population;
  population.name = name;
  population.stable_id = stable_id_of("firms:" + name);
  std::map<std::string, std::vector<const DocumentEntry*>> distributions;
  bool has_count = false, has_countries = false;
  std::vector<std::string> codes;
  for (const auto& government : scenario.governments) codes.push_back(government.code);
  const std::vector<std::string> fields = {"countries", "sector", "count", "size", "innovation", "risk_tolerance"};

  for (const DocumentEntry* entry : entries) {
    const std::string& field = entry->path[3];
    const bool is_distribution = field == "size" || field == "innovation" || field == "risk_tolerance";
    if (is_distribution && entry->path.size() == 5) {
      distributions[field].push_back(entry);
      continue;
    }
    if (entry->path.size() != 4) {
      values::report(*entry, "expected firms.populations.<name>.<field>" + suggestion_hint(field, fields), issues);
      continue;
    }
    if (field == "count") {
      has_count = true;
      if (auto count = values::integer(*entry, 1, kMaxPopulationCount, "a whole number of firms >= 1", issues))
        population.count = static_cast<std::uint32_t>(*count);
    } else if (field == "sector") {
      auto sector = values::text(*entry, "a sector name", issues);
      if (!sector) continue;
      if (auto known = sector_from_name(*sector)) population.sector = *known;
      else values::report(*entry, "unknown sector \"" + *sector + "\"" + suggestion_hint(*sector, names_of_sectors()), issues);
    } else if (field == "countries") {
      has_countries = true;
      const toml::array* list = entry->value->as_array();
      if (list == nullptr || list->empty()) {
        values::report(*entry, "expected a non-empty array of agent codes, e.g. [\"JPN\"]", issues);
        continue;
      }
      for (const toml::node& item : *list) {
        const auto* code = item.as_string();
        auto index = code ? scenario.agent_index(code->get()) : std::nullopt;
        if (index) population.countries.push_back(*index);
        else values::report(*entry, "unknown government \"" + std::string(code ? code->get() : "?") + "\"" +
                                        (code ? suggestion_hint(code->get(), codes) : ""), issues);
      }
    } else if (is_distribution) {
      values::report(*entry, "expected a table such as { distribution = \"uniform\", low = 0.0, high = 1.0 }", issues);
    } else {
      values::report(*entry, "unknown field of a firm population" + suggestion_hint(field, fields), issues);
    }
  }
  if (!has_count) values::report(*entries.front(), "population \"" + name + "\": missing count", issues);
  if (!has_countries) values::report(*entries.front(), "population \"" + name + "\": missing countries", issues);
  if (distributions.count("size")) read_distribution(distributions["size"], population.size, false, issues);
  if (distributions.count("innovation")) read_distribution(distributions["innovation"], population.innovation, true, issues);
  if (distributions.count("risk_tolerance"))
    read_distribution(distributions["risk_tolerance"], population.risk_tolerance, true, issues);
  if (has_count && has_countries && !population.countries.empty()) scenario.firms.populations.push_back(std::move(population));
}

void read_cooperation(const DocumentEntry& entry, B2bDynamics& dynamics, std::vector<ScenarioIssue>& issues) {
  const std::string& key = entry.path[2];
  if (key == "candidates_per_step") {
    if (auto value = values::integer(entry, 1, 64, "a whole number from 1 to 64", issues))
      dynamics.candidates_per_step = static_cast<std::uint32_t>(*value);
  } else if (key == "network_candidates") {
    if (auto value = values::integer(entry, 0, 63, "a whole number from 0 to 63", issues))
      dynamics.network_candidates = static_cast<std::uint32_t>(*value);
  } else if (key == "event_candidates") {
    if (auto value = values::integer(entry, 0, 63, "a whole number from 0 to 63", issues))
      dynamics.event_candidates = static_cast<std::uint32_t>(*value);
  } else if (key == "initial_weight") {
    if (auto value = values::number(entry, 0.0, 1.0, issues)) dynamics.initial_weight = *value;
  } else if (key == "weight_adjustment") {
    if (auto value = values::number(entry, 0.0, 1.0, issues)) dynamics.weight_adjustment = *value;
  } else if (key == "removal_threshold") {
    if (auto value = values::number(entry, 0.0, 1.0, issues)) dynamics.removal_threshold = *value;
  } else {
    values::report(entry, "unknown setting" + suggestion_hint(key, {"candidates_per_step", "network_candidates", "event_candidates", "initial_weight",
                                                                    "weight_adjustment", "removal_threshold"}),
                   issues);
  }
}

// [firms.named.<name>]: one firm given by name (Rakuten, Viber), with fixed attributes. It becomes a
// population of one, so events that name a population (acquisition buyer and target) can name it.
void read_named_firm(const std::string& name, const std::vector<const DocumentEntry*>& entries, Scenario& scenario,
                     std::vector<ScenarioIssue>& issues) {
  FirmPopulation firm;
  firm.name = name;
  firm.named = true;
  firm.stable_id = stable_id_of("firms:" + name);
  firm.count = 1;
  firm.size = AttributeDistribution{AttributeDistribution::Kind::Constant, 1.0};
  firm.innovation = AttributeDistribution{AttributeDistribution::Kind::Constant, 0.5};
  firm.risk_tolerance = AttributeDistribution{AttributeDistribution::Kind::Constant, 0.5};
  const std::vector<std::string> fields = {"country", "sector", "size", "innovation", "risk_tolerance"};
  bool has_country = false, has_sector = false;
  for (const DocumentEntry* entry : entries) {
    const std::string& field = entry->path[3];
    if (entry->path.size() != 4) {
      values::report(*entry, "expected firms.named.<name>.<field>" + suggestion_hint(field, fields), issues);
      continue;
    }
    if (field == "country") {
      has_country = true;
      auto code = values::text(*entry, "an agent code such as \"JPN\"", issues);
      if (!code) continue;
      if (auto index = scenario.agent_index(*code)) firm.countries = {*index};
      else {
        std::vector<std::string> codes;
        for (const auto& government : scenario.governments) codes.push_back(government.code);
        values::report(*entry, "unknown government \"" + *code + "\"" + suggestion_hint(*code, codes), issues);
      }
    } else if (field == "sector") {
      has_sector = true;
      auto sector = values::text(*entry, "a sector name", issues);
      if (!sector) continue;
      if (auto known = sector_from_name(*sector)) firm.sector = *known;
      else values::report(*entry, "unknown sector \"" + *sector + "\"" + suggestion_hint(*sector, names_of_sectors()), issues);
    } else if (field == "size") {
      if (auto value = values::number(*entry, 0.0, kInfinity, issues)) firm.size.first = *value;
    } else if (field == "innovation") {
      if (auto value = values::number(*entry, 0.0, 1.0, issues)) firm.innovation.first = *value;
    } else if (field == "risk_tolerance") {
      if (auto value = values::number(*entry, 0.0, 1.0, issues)) firm.risk_tolerance.first = *value;
    } else {
      values::report(*entry, "unknown field of a named firm" + suggestion_hint(field, fields), issues);
    }
  }
  if (!has_country) values::report(*entries.front(), "named firm \"" + name + "\": missing country", issues);
  if (!has_sector) values::report(*entries.front(), "named firm \"" + name + "\": missing sector", issues);
  for (const FirmPopulation& population : scenario.firms.populations)
    if (population.name == name)
      values::report(*entries.front(), "\"" + name + "\" is both a population and a named firm: give them different names",
                     issues);
  if (has_country && has_sector && !firm.countries.empty()) scenario.firms.populations.push_back(std::move(firm));
}

// [firms.trade]: B2B trade flows (docs/model.md, "B2B trade").
void read_trade(const DocumentEntry& entry, B2bTradeDynamics& trade, std::vector<ScenarioIssue>& issues) {
  const std::string& key = entry.path[2];
  if (key == "firm_share") {
    if (auto value = values::number(entry, 0.0, 1.0, issues)) trade.firm_share = *value;
  } else if (key == "buyers_per_firm") {
    if (auto value = values::integer(entry, 1, 64, "a whole number from 1 to 64", issues))
      trade.buyers_per_firm = static_cast<std::uint32_t>(*value);
  } else if (key == "size_elasticity") {
    if (auto value = values::number(entry, 0.0, 2.0, issues)) trade.size_elasticity = *value;
  } else if (key == "cooperation_growth") {
    if (auto value = values::number(entry, -1.0, 1.0, issues)) trade.cooperation_growth = *value;
  } else if (key == "opening_rate") {
    if (auto value = values::number(entry, 0.0, 1.0, issues)) trade.opening_rate = *value;
  } else if (key == "noise_sd") {
    if (auto value = values::number(entry, 0.0, 1.0, issues)) trade.noise_sd = *value;
  } else {
    values::report(entry, "unknown setting" + suggestion_hint(key, {"firm_share", "buyers_per_firm", "size_elasticity",
                                                                    "cooperation_growth", "opening_rate", "noise_sd"}),
                   issues);
  }
}

}  // namespace

bool read_firm_sections(const std::vector<const DocumentEntry*>& firm_entries,
                        const std::vector<const DocumentEntry*>& effect_entries, Scenario& scenario,
                        std::vector<ScenarioIssue>& issues) {
  std::map<std::string, std::vector<const DocumentEntry*>> populations, named;
  bool enabled = true;
  for (const DocumentEntry* entry : firm_entries) {
    const std::string part = entry->path.size() > 1 ? entry->path[1] : "";
    if (part == "enabled" && entry->path.size() == 2) {
      if (auto value = values::boolean(*entry, issues)) enabled = *value;
    } else if (part == "populations" && entry->path.size() >= 4) {
      populations[entry->path[2]].push_back(entry);
    } else if (part == "named" && entry->path.size() >= 4) {
      named[entry->path[2]].push_back(entry);
    } else if (part == "cooperation" && entry->path.size() == 3) {
      read_cooperation(*entry, scenario.firms.cooperation, issues);
    } else if (part == "trade" && entry->path.size() == 3) {
      read_trade(*entry, scenario.firms.trade, issues);
    } else {
      values::report(*entry, "expected firms.enabled, firms.populations.<name>.<field>, firms.named.<name>.<field>, "
                             "firms.cooperation.<setting> or firms.trade.<setting>" +
                                 suggestion_hint(part, {"enabled", "populations", "named", "cooperation", "trade"}),
                     issues);
    }
  }
  for (const auto& [name, entries] : populations) read_population(name, entries, scenario, issues);
  for (const auto& [name, entries] : named) read_named_firm(name, entries, scenario, issues);
  // Populations and named firms in name order: the firm table's order does not depend on which is which.
  std::sort(scenario.firms.populations.begin(), scenario.firms.populations.end(),
            [](const FirmPopulation& a, const FirmPopulation& b) { return a.name < b.name; });
  // All firms together (the firm table, its ties and flows grow with them): docs/reliability.md.
  std::uint64_t total_firms = 0;
  for (const FirmPopulation& population : scenario.firms.populations) total_firms += population.count;
  if (total_firms > kMaxFirms && !firm_entries.empty())
    values::report(*firm_entries.front(), "the populations hold " + std::to_string(total_firms) +
                                              " firms in all; at most " + std::to_string(kMaxFirms),
                   issues);
  if (scenario.firms.cooperation.total_candidates() > 64) {
    for (const DocumentEntry* entry : firm_entries)
      if (entry->path.size() == 3 && entry->path[1] == "cooperation" &&
          (entry->path[2] == "candidates_per_step" || entry->path[2] == "network_candidates" ||
           entry->path[2] == "event_candidates")) {
        values::report(*entry, "expected candidates_per_step + network_candidates + event_candidates <= 64 (now " +
                                   std::to_string(scenario.firms.cooperation.total_candidates()) + ")",
                       issues);
        break;
      }
  }

  std::vector<std::string> effect_names;
  for (const auto& spec : firm_effect_catalogue()) effect_names.emplace_back(spec.name);
  for (const DocumentEntry* entry : effect_entries) {
    const FirmEffectSpec* spec = find_firm_effect(entry->path[2]);
    if (spec == nullptr) {
      values::report(*entry, "unknown firm effect" + suggestion_hint(entry->path[2], effect_names), issues);
      continue;
    }
    if (auto coefficient = values::number(*entry, -kInfinity, kInfinity, issues))
      scenario.firms.cooperation_effects.push_back({*firm_effect_index(entry->path[2]), *coefficient});
  }
  if (!scenario.firms.populations.empty() && scenario.firms.cooperation_effects.empty() && !firm_entries.empty())
    values::report(*firm_entries.front(), "firms are declared but [effects.b2b_cooperation] is empty: no tie would form",
                   issues);
  return enabled;
}

void leave_out_firms(Scenario& scenario) {
  scenario.firms.populations.clear();
  scenario.firms.trade.firm_share = 0.0;
  std::erase_if(scenario.events, [](const EventInstance& event) {
    const EventSpec& spec = event_catalogue().at(event.kind);
    return std::any_of(spec.params.begin(), spec.params.end(),
                       [](const EventParam& param) { return param.type == EventParamType::Population; });
  });
}

}  // namespace policysim
