#include "sim/scenario/build.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>
#include <set>

#include "sim/description/joined.hpp"
#include "sim/description/pair_label.hpp"
#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/scenario/defaults.hpp"
#include "sim/scenario/firms_section.hpp"
#include "sim/scenario/government_sections.hpp"
#include "sim/scenario/limits.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/scenario/values.hpp"

namespace policysim {

const std::vector<std::string>& scenario_sections() {
  static const std::vector<std::string> all = {"simulation", "governments", "leader_affinity", "initial_ties",
                                               "layers",     "effects",     "threat",          "events",
                                               "output",     "firms",       "pair_attributes", "milestones",
                                               "spin_up",    "shifts",      "trade"};
  return all;
}

namespace {

std::vector<std::string> layer_names() {
  std::vector<std::string> names;
  for (Layer layer : kAllLayers) names.emplace_back(name_of(layer));
  return names;
}

const std::regex& agent_code_pattern() {
  static const std::regex pattern("[A-Z][A-Z0-9_]{1,7}");
  return pattern;
}

class Builder {
 public:
  Builder(const Document& document, const std::string& top_file, std::vector<ScenarioIssue>& issues)
      : document_(document), top_file_(top_file), issues_(issues) {}

  Scenario build() {
    for (const auto& [key, entry] : document_) {
      // An empty table only declares its key: an agent ([governments.KOR]), or nothing at all.
      if (entry.is_empty_table()) {
        if (entry.path.size() == 2 && entry.path[0] == "governments") declared_agents_.push_back(&entry);
        else unknown_sections_only_.push_back(&entry);
        continue;
      }
      sections_[entry.path[0]].push_back(&entry);
    }
    for (const DocumentEntry* entry : unknown_sections_only_)
      if (!sections_.count(entry->path[0])) sections_[entry->path[0]];  // so an empty unknown section is still reported
    for (const auto& [section, entries] : sections_)
      if (std::find(scenario_sections().begin(), scenario_sections().end(), section) == scenario_sections().end()) {
        std::vector<const DocumentEntry*> candidates = entries;
        for (const DocumentEntry* entry : unknown_sections_only_)
          if (entry->path[0] == section) candidates.push_back(entry);
        const DocumentEntry* first = *std::min_element(candidates.begin(), candidates.end(), [](auto a, auto b) { return a->line < b->line; });
        issues_.push_back({first->file, first->line, section,
                           "unknown section \"" + section + "\"" + suggestion_hint(section, scenario_sections())});
      }

    // First: the other sections name agents. Too many agents: nothing else is read (each
    // section naming an agent would only repeat that the agent is unknown).
    if (!read_governments()) return std::move(scenario_);
    read_simulation();
    read_threat();
    read_layers();
    read_effects();
    const bool firms_enabled =
        read_firm_sections(section("firms"), firm_effect_entries_, scenario_, issues_);  // before events: they name populations
    read_events();
    read_shifts();  // after governments and events: it moves both
    read_leader_affinity();  // after events: names the leaders that events bring in
    read_initial_ties();
    read_trade();  // after the effects: checks that what the trade effects read is given
    read_output();
    read_government_sections(section("pair_attributes"), section("milestones"), section("spin_up"), section("events"),
                             scenario_, issues_);
    if (!firms_enabled) leave_out_firms(scenario_);
    return std::move(scenario_);
  }

 private:
  // ----- reporting
  void error(const DocumentEntry& entry, std::string message) {
    issues_.push_back({entry.file, entry.line, entry.key(), std::move(message)});
  }
  void missing(const std::string& key, std::string message) {
    issues_.push_back({top_file_, 0, key, std::move(message)});
  }
  const std::vector<const DocumentEntry*>& section(const std::string& name) {
    return sections_[name];  // empty when absent
  }
  // Entries must have exactly `depth` parts; `shape` shows the expected form.
  bool has_depth(const DocumentEntry& entry, std::size_t depth, std::string_view shape) {
    if (entry.path.size() == depth) return true;
    error(entry, "expected a key of the form " + std::string(shape));
    return false;
  }

  // ----- typed values (sim/scenario/values.hpp)
  std::optional<double> number(const DocumentEntry& entry, double low, double high) {
    return values::number(entry, low, high, issues_);
  }
  std::optional<std::int64_t> integer(const DocumentEntry& entry, std::int64_t low, std::int64_t high,
                                      std::string_view expected) {
    return values::integer(entry, low, high, expected, issues_);
  }
  std::optional<std::string> text(const DocumentEntry& entry, std::string_view expected) {
    return values::text(entry, expected, issues_);
  }
  std::optional<Period> period(const DocumentEntry& entry) {
    auto label = text(entry, "a quarter such as \"2014Q3\"");
    if (!label) return std::nullopt;
    auto parsed = parse_period(*label);
    if (!parsed) error(entry, "expected a quarter such as \"2014Q3\", got \"" + *label + "\"");
    return parsed;
  }
  std::optional<std::size_t> agent(const DocumentEntry& entry, const std::string& code) {
    if (auto index = scenario_.agent_index(code)) return index;
    error(entry, "unknown government or organisation \"" + code + "\"" + suggestion_hint(code, agent_codes_));
    return std::nullopt;
  }
  // ["JPN", "ISR"] or ["cyber_security", "ict"]: non-empty, known, each at most once.
  std::optional<std::vector<std::string>> name_list(const DocumentEntry& entry, EventParamType type) {
    const bool agents = type == EventParamType::AgentList;
    const toml::array* items = entry.value->as_array();
    if (items == nullptr || items->empty()) {
      error(entry, agents ? "expected a non-empty array of agent codes, e.g. [\"JPN\", \"ISR\"]"
                          : "expected a non-empty array of sector names, e.g. [\"cyber_security\", \"ict\"]");
      return std::nullopt;
    }
    std::vector<std::string> sector_names;
    for (std::size_t k = 0; k < kSectorCount; ++k) sector_names.emplace_back(name_of(static_cast<Sector>(k)));
    std::vector<std::string> out;
    bool ok = true;
    for (const toml::node& item : *items) {
      const auto* name = item.as_string();
      if (name == nullptr) {
        error(entry, agents ? "expected agent codes (strings)" : "expected sector names (strings)");
        return std::nullopt;
      }
      const std::string value = name->get();
      if (agents && !agent(entry, value)) ok = false;
      if (!agents && !sector_from_name(value)) {
        error(entry, "unknown sector \"" + value + "\"" + suggestion_hint(value, sector_names));
        ok = false;
      }
      if (std::find(out.begin(), out.end(), value) != out.end()) {
        error(entry, "\"" + value + "\" is listed twice");
        ok = false;
      }
      out.push_back(value);
    }
    if (!ok) return std::nullopt;
    return out;
  }
  std::optional<Layer> layer(const DocumentEntry& entry, const std::string& name) {
    if (auto found = layer_from_name(name)) return found;
    error(entry, "unknown layer \"" + name + "\"" + suggestion_hint(name, layer_names()));
    return std::nullopt;
  }
  // "JPN-ISR" -> both indices.
  std::optional<std::pair<std::size_t, std::size_t>> pair(const DocumentEntry& entry, const std::string& label) {
    const auto codes = split_pair_label(label);
    if (!codes) {
      error(entry, "expected a pair of codes such as \"JPN-ISR\", got \"" + label + "\"");
      return std::nullopt;
    }
    auto a = agent(entry, codes->first);
    auto b = agent(entry, codes->second);
    if (!a || !b) return std::nullopt;
    if (*a == *b) {
      error(entry, "a pair needs two different agents, got \"" + label + "\"");
      return std::nullopt;
    }
    return std::pair{*a, *b};
  }
  static std::string format(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
  }
  // ----- sections
  void read_simulation() {
    bool has_start = false, has_steps = false;
    scenario_.simulation.seed = defaults::seed;
    for (const DocumentEntry* entry : section("simulation")) {
      if (!has_depth(*entry, 2, "simulation.<setting>")) continue;
      const std::string& key = entry->path[1];
      if (key == "start") {
        has_start = true;
        if (auto start = period(*entry)) scenario_.simulation.start = *start;
      } else if (key == "steps") {
        has_steps = true;
        if (auto steps = integer(*entry, 1, defaults::max_steps, "a whole number of quarters from 1 to 100000"))
          scenario_.simulation.steps = static_cast<int>(*steps);
      } else if (key == "seed") {
        if (auto seed = integer(*entry, 0, std::numeric_limits<std::int64_t>::max(), "a whole number >= 0"))
          scenario_.simulation.seed = static_cast<std::uint64_t>(*seed);
      } else if (key == "drivers_only") {
        if (auto flag = values::boolean(*entry, issues_)) scenario_.simulation.drivers_only = *flag;
      } else if (key == "step_length") {
        if (auto length = text(*entry, "\"quarter\""); length && *length != defaults::step_length)
          error(*entry, "only \"quarter\" is supported, got \"" + *length + "\"");
      } else {
        error(*entry, "unknown setting" + suggestion_hint(key, {"start", "steps", "seed", "step_length", "drivers_only"}));
      }
    }
    if (!has_start) missing("simulation.start", "missing: the first quarter simulated, e.g. start = \"2010Q1\"");
    if (!has_steps) missing("simulation.steps", "missing: the number of quarters to simulate, e.g. steps = 40");
  }

  bool read_governments() {
    // First pass: the codes, so that fields can be read in any order.
    std::map<std::string, std::vector<const DocumentEntry*>> by_code;
    for (const DocumentEntry* entry : declared_agents_) by_code[entry->path[1]];
    for (const DocumentEntry* entry : section("governments")) {
      if (!has_depth(*entry, 3, "governments.<CODE>.<field>")) continue;
      by_code[entry->path[1]].push_back(entry);
    }
    if (by_code.empty()) missing("governments", "missing: at least two [governments.<CODE>] tables");
    if (by_code.size() > kMaxAgents) {
      // Named at the first extra agent's table; nothing is built for any of them.
      const auto extra = std::next(by_code.begin(), static_cast<std::ptrdiff_t>(kMaxAgents));
      const DocumentEntry* where = extra->second.empty() ? declared_agent(extra->first) : extra->second.front();
      issues_.push_back({where->file, where->line, "governments",
                         std::to_string(by_code.size()) + " agents; at most " + std::to_string(kMaxAgents)});
      return false;
    }
    std::vector<std::string> fields = {"name", "kind", "leader"};
    for (const auto& attribute : government_attributes()) fields.emplace_back(attribute.name);

    for (const auto& [code, entries] : by_code) {
      if (!std::regex_match(code, agent_code_pattern())) {
        const DocumentEntry* where = entries.empty() ? declared_agent(code) : entries.front();
        issues_.push_back({where->file, where->line, where->key(),
                           "agent codes are 2 to 8 capital letters or digits (ISO3 for countries), got \"" + code + "\""});
        continue;
      }
      Government government;
      government.code = code;
      government.name = code;
      government.stable_id = stable_id_of(code);
      for (const DocumentEntry* entry : entries) {
        const std::string& field = entry->path[2];
        if (field == "name") {
          if (auto name = text(*entry, "the agent's name")) government.name = *name;
        } else if (field == "kind") {
          auto kind = text(*entry, "\"country\" or \"organisation\"");
          if (kind == "country") government.kind = AgentKind::Country;
          else if (kind == "organisation") government.kind = AgentKind::Organisation;
          else if (kind) error(*entry, "expected \"country\" or \"organisation\", got \"" + *kind + "\"");
        } else if (field == "leader") {
          if (auto leader = text(*entry, "the name of the head of government")) government.leader = *leader;
        } else if (field == "trade_bloc") {
          if (const auto* flag = entry->value->as_boolean()) {
            government.trade_bloc = flag->get();
          } else {
            error(*entry, "expected true or false, got " + values::describe(*entry->value));
          }
        } else if (auto attribute = government_attribute_from_name(field)) {
          if (auto value = number(*entry, info(*attribute).low, info(*attribute).high))
            government.attribute(*attribute) = *value;
        } else {
          error(*entry, "unknown field" + suggestion_hint(field, fields));
        }
      }
      if (government.trade_bloc && government.kind != AgentKind::Organisation)
        for (const DocumentEntry* entry : entries)
          if (entry->path[2] == "trade_bloc")
            error(*entry, "only an organisation can be a trade bloc (set kind = \"organisation\")");
      scenario_.governments.push_back(std::move(government));
      agent_codes_.push_back(code);
    }
    // Stable ids key the random streams; two codes with one id would share them.
    std::map<std::uint32_t, std::string> ids;
    for (const auto& government : scenario_.governments)
      if (auto [it, inserted] = ids.emplace(government.stable_id, government.code); !inserted)
        missing("governments." + government.code, "its stable id collides with " + it->second + "; rename one");

    const std::size_t n = scenario_.agent_count();
    for (auto& ties : scenario_.initial_ties) ties = TieMatrix::Zero(static_cast<long>(n), static_cast<long>(n));
    return true;
  }

  void read_threat() {
    scenario_.threat_persistence = defaults::threat_persistence;
    for (const DocumentEntry* entry : section("threat")) {
      if (!has_depth(*entry, 2, "threat.<setting>")) continue;
      if (entry->path[1] == "persistence") {
        if (auto value = number(*entry, 0.0, 1.0)) scenario_.threat_persistence = *value;
      } else {
        error(*entry, "unknown setting" + suggestion_hint(entry->path[1], {"persistence"}));
      }
    }
  }

  void read_layers() {
    scenario_.layer_dynamics = defaults::layer_dynamics;
    for (const DocumentEntry* entry : section("layers")) {
      if (!has_depth(*entry, 3, "layers.<layer>.<setting>")) continue;
      auto which = layer(*entry, entry->path[1]);
      if (!which) continue;
      LayerDynamics& dynamics = scenario_.layer_dynamics[index_of(*which)];
      const std::string& key = entry->path[2];
      const std::vector<std::string> settings = {"adjustment_rate", "noise_sd", "presence_threshold"};
      const double infinity = std::numeric_limits<double>::infinity();
      if (key == "adjustment_rate") {  // for trade: lambda, the error-correction speed a quarter
        if (auto value = number(*entry, 0.0, 1.0)) dynamics.adjustment_rate = *value;
      } else if (key == "noise_sd") {
        if (auto value = number(*entry, 0.0, infinity)) dynamics.noise_sd = *value;
      } else if (key == "presence_threshold") {
        if (auto value = number(*entry, 0.0, infinity)) dynamics.presence_threshold = *value;
      } else {
        error(*entry, "unknown setting for layer " + entry->path[1] + suggestion_hint(key, settings));
      }
    }
  }

  void read_effects() {
    std::vector<std::string> effect_names;
    for (const auto& spec : effect_catalogue()) effect_names.emplace_back(spec.name);
    for (const DocumentEntry* entry : section("effects")) {
      if (!has_depth(*entry, 3, "effects.<layer>.<effect>")) continue;
      if (entry->path[1] == kB2bCooperationEffects) {  // firm effects: sim/scenario/firms_section.cpp
        firm_effect_entries_.push_back(entry);
        continue;
      }
      auto which = layer(*entry, entry->path[1]);
      if (!which) continue;
      const std::string& name = entry->path[2];
      const EffectSpec* spec = find_effect(name);
      if (spec == nullptr) {
        error(*entry, "unknown effect" + suggestion_hint(name, effect_names) + "; `policysim describe` lists them");
        continue;
      }
      if (!spec->allowed_in(*which)) {
        std::vector<std::string> allowed;
        for (Layer l : spec->layers) allowed.emplace_back(name_of(l));
        error(*entry, "effect " + name + " does not apply to layer " + entry->path[1] + " (it applies to: " +
                          joined(allowed, ", ") + ")");
        continue;
      }
      if (auto coefficient = number(*entry, -std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::infinity()))
        scenario_.effects[index_of(*which)].push_back({*effect_index(name), *coefficient});
    }
  }

  void read_leader_affinity() {
    for (const DocumentEntry* entry : section("leader_affinity")) {
      if (!has_depth(*entry, 3, "leader_affinity.<leader>.<other leader>")) continue;
      const std::string& a = entry->path[1];
      const std::string& b = entry->path[2];
      auto value = number(*entry, -1.0, 1.0);
      if (!value || !known_leader(*entry, a) || !known_leader(*entry, b)) continue;
      if (a == b) {
        error(*entry, "a leader's affinity with themself is not used; name two leaders");
        continue;
      }
      // Stated twice (a.b and b.a) with different values is ambiguous.
      if (auto known = affinity_seen_.find(std::minmax(a, b)); known != affinity_seen_.end() && known->second != *value) {
        error(*entry, "contradicts leader_affinity." + b + "." + a + " = " + format(known->second));
        continue;
      }
      affinity_seen_[std::minmax(a, b)] = *value;
      scenario_.leader_affinity.set(a, b, *value);
    }
  }

  void read_initial_ties() {
    for (const DocumentEntry* entry : section("initial_ties")) {
      if (!has_depth(*entry, 3, "initial_ties.<layer>.<A-B>")) continue;
      auto which = layer(*entry, entry->path[1]);
      if (!which) continue;
      auto ends = pair(*entry, entry->path[2]);
      if (!ends) continue;
      const bool mutual = !info(*which).directed;
      auto value = number(*entry, 0.0, mutual ? 1.0 : std::numeric_limits<double>::infinity());
      if (!value) continue;
      if (*which == Layer::Trade && (scenario_.is_organisation(ends->first) || scenario_.is_organisation(ends->second))) {
        error(*entry, "organisations do not trade (their members do); name two countries");
        continue;
      }
      TieMatrix& ties = scenario_.initial_ties[index_of(*which)];
      ties(static_cast<long>(ends->first), static_cast<long>(ends->second)) = *value;
      if (mutual) ties(static_cast<long>(ends->second), static_cast<long>(ends->first)) = *value;
    }
  }

  // [trade] totals_year; [trade.totals.<CODE>] exports, imports, exports_growth, imports_growth;
  // [trade.distance_km] A-B = km. The exogenous inputs of the trade gravity (docs/model.md, "Trade").
  void read_trade() {
    const std::size_t n = scenario_.agent_count();
    TradeWorld& trade = scenario_.trade;
    trade.totals.assign(n, TradeTotals{});
    trade.distance_km = TieMatrix::Zero(static_cast<long>(n), static_cast<long>(n));
    const double infinity = std::numeric_limits<double>::infinity();
    std::map<std::pair<std::size_t, std::size_t>, double> distances_seen;
    const std::vector<std::string> fields = {"exports", "imports", "exports_growth", "imports_growth"};
    for (const DocumentEntry* entry : section("trade")) {
      const std::string& key = entry->path.size() > 1 ? entry->path[1] : entry->path[0];
      if (key == "totals_year" && entry->path.size() == 2) {
        if (auto year = integer(*entry, 1800, 2200, "a year such as 2009")) trade.totals_year = static_cast<int>(*year);
      } else if (key == "totals" && entry->path.size() == 4) {
        auto who = agent(*entry, entry->path[2]);
        if (!who) continue;
        if (scenario_.is_organisation(*who)) {
          error(*entry, "organisations do not trade (their members do); give totals for countries only");
          continue;
        }
        TradeTotals& totals = trade.totals[*who];
        const std::string& field = entry->path[3];
        if (field == "exports" || field == "imports") {
          auto value = number(*entry, 0.0, infinity);
          if (value && *value <= 0.0) error(*entry, "expected a total > 0 (US$ millions a year), got 0");
          else if (value) (field == "exports" ? totals.exports : totals.imports) = *value;
        } else if (field == "exports_growth" || field == "imports_growth") {
          if (auto value = number(*entry, -1.0, 1.0)) (field == "exports_growth" ? totals.exports_growth : totals.imports_growth) = *value;
        } else {
          error(*entry, "unknown field" + suggestion_hint(field, fields));
        }
      } else if (key == "distance_km" && entry->path.size() == 3) {
        auto ends = pair(*entry, entry->path[2]);
        auto value = number(*entry, 0.0, infinity);
        if (!ends || !value) continue;
        if (*value <= 0.0) {
          error(*entry, "expected a distance > 0 (km), got 0");
          continue;
        }
        const auto unordered = std::minmax(ends->first, ends->second);
        if (auto known = distances_seen.find(unordered); known != distances_seen.end() && known->second != *value) {
          error(*entry, "contradicts the distance given for the same pair, " + format(known->second));
          continue;
        }
        distances_seen[unordered] = *value;
        const auto a = static_cast<long>(ends->first), b = static_cast<long>(ends->second);
        trade.distance_km(a, b) = trade.distance_km(b, a) = *value;
      } else {
        error(*entry, "expected trade.totals_year, trade.totals.<CODE>.<field> or trade.distance_km.<A-B>");
      }
    }
    // The gravity effects read the totals of every country and the distance of every pair of countries.
    auto uses = [&](std::string_view name) {
      for (const EffectTerm& term : scenario_.effects[index_of(Layer::Trade)])
        if (effect_catalogue().at(term.effect).name == name && term.coefficient != 0.0) return true;
      return false;
    };
    for (std::size_t i = 0; i < n; ++i) {
      if (scenario_.is_organisation(i)) continue;
      const std::string& code = scenario_.governments[i].code;
      if (uses("exporter_size") && trade.totals[i].exports <= 0.0)
        missing("trade.totals." + code + ".exports", "missing: effects.trade.exporter_size needs every country's total exports (US$ millions a year)");
      if (uses("importer_size") && trade.totals[i].imports <= 0.0)
        missing("trade.totals." + code + ".imports", "missing: effects.trade.importer_size needs every country's total imports (US$ millions a year)");
      if (uses("distance"))
        for (std::size_t j = i + 1; j < n; ++j)
          if (!scenario_.is_organisation(j) && trade.distance_km(static_cast<long>(i), static_cast<long>(j)) <= 0.0)
            missing("trade.distance_km." + pair_label(code, scenario_.governments[j].code),
                    "missing: effects.trade.distance needs the distance (km) between every two countries");
    }
  }

  void read_events() {
    std::map<std::string, std::vector<const DocumentEntry*>> by_name;
    for (const DocumentEntry* entry : section("events"))
      if (has_depth(*entry, 3, "events.<name>.<field>")) by_name[entry->path[1]].push_back(entry);
    std::vector<std::string> kinds;
    for (const auto& spec : event_catalogue()) kinds.emplace_back(spec.kind);
    std::vector<std::string> kinds_and_aliases = kinds;  // an old name is a fine suggestion too
    for (const auto& alias : event_aliases()) kinds_and_aliases.emplace_back(alias.kind);
    std::vector<std::string> attribute_names;
    for (const auto& attribute : government_attributes()) attribute_names.emplace_back(attribute.name);
    constexpr double infinity = std::numeric_limits<double>::infinity();

    // Not a structured binding: the lambdas below capture `entries`, which clang before 16 refuses
    // for a binding (C++20 allows it; the fuzz build, scripts/fuzz.sh, uses Debian's clang 14).
    for (const auto& named_entries : by_name) {
      const std::string& name = named_entries.first;
      const std::vector<const DocumentEntry*>& entries = named_entries.second;
      EventInstance event;
      event.name = name;
      const std::string key = "events." + name;
      auto field = [&](std::string_view wanted) -> const DocumentEntry* {
        for (const DocumentEntry* entry : entries)
          if (entry->path[2] == wanted) return entry;
        return nullptr;
      };
      // Only --set entries (no file line): a typo of an event's name, or an event that does not exist.
      const bool only_overrides =
          std::all_of(entries.begin(), entries.end(), [](const DocumentEntry* entry) { return entry->line == 0; });
      const DocumentEntry* kind_entry = field("kind");
      if (kind_entry == nullptr && only_overrides) {
        error(*entries.front(), "there is no event \"" + name + "\" to change" + event_name_hint(name) +
                                    " (to add an event, give its kind too: --set " + key + ".kind=...)");
        continue;
      }
      // The period is checked whatever the kind, so that one round of errors names every problem.
      bool complete = true;
      if (const DocumentEntry* period_entry = field("period")) {
        if (auto when = period(*period_entry)) {
          event.period = *when;
          if (has_start() && *when < scenario_.simulation.start)
            error(*period_entry, "is before simulation.start " + scenario_.simulation.start.label() +
                                     ": the event would never happen");
        } else {
          complete = false;
        }
      } else {
        missing(key + ".period", "missing: the quarter of the event, e.g. period = \"2014Q3\"");
        complete = false;
      }
      if (kind_entry == nullptr) {
        error(*entries.front(), "event \"" + name + "\" has no kind (one of: " + joined(kinds, ", ") + ")" +
                                    event_name_hint(name));
        continue;
      }
      auto kind = text(*kind_entry, "an event kind");
      if (!kind) continue;
      // An old name (alias) is read with its old parameters, then stands for the kind it names.
      const EventAlias* alias = find_event_alias(*kind);
      const auto index = event_kind_index(alias != nullptr ? alias->target : std::string_view(*kind));
      if (!index) {
        error(*kind_entry, "unknown event kind \"" + *kind + "\"" + suggestion_hint(*kind, kinds_and_aliases));
        continue;
      }
      event.kind = *index;
      const EventSpec& spec = event_catalogue()[*index];
      const std::vector<EventParam>& params = alias != nullptr ? alias->params : spec.params;
      std::vector<std::string> allowed = {"kind", "period"};
      for (const auto& param : params) allowed.emplace_back(param.name);
      for (const DocumentEntry* entry : entries)
        if (std::find(allowed.begin(), allowed.end(), entry->path[2]) == allowed.end()) {
          error(*entry, "unknown parameter of a " + *kind + " event" + suggestion_hint(entry->path[2], allowed));
          complete = false;
        }
      for (const auto& param : params) {
        const DocumentEntry* entry = field(param.name);
        if (entry == nullptr && !param.required) continue;
        if (entry == nullptr) {
          missing(key + "." + std::string(param.name),
                  "missing: " + std::string(param.doc) + " (" + std::string(name_of(param.type)) + ")");
          complete = false;
          continue;
        }
        std::optional<EventValue> value;
        switch (param.type) {
          case EventParamType::Agent:
            if (auto code = text(*entry, "an agent code"); code && agent(*entry, *code)) value = *code;
            break;
          case EventParamType::Text:
            if (auto words = text(*entry, "text"); words && !words->empty()) value = *words;
            else if (words) error(*entry, "expected a non-empty text");
            break;
          case EventParamType::Fraction:
            if (auto number_value = number(*entry, 0.0, 1.0)) value = *number_value;
            break;
          case EventParamType::Number:
            if (auto number_value = number(*entry, -infinity, infinity)) value = *number_value;
            break;
          case EventParamType::NonNegative:
            if (auto number_value = number(*entry, 0.0, infinity)) value = *number_value;
            break;
          case EventParamType::Attribute:
            if (auto attribute_name = text(*entry, "a government attribute name")) {
              if (government_attribute_from_name(*attribute_name)) value = *attribute_name;
              else error(*entry, "unknown government attribute \"" + *attribute_name + "\"" +
                                     suggestion_hint(*attribute_name, attribute_names));
            }
            break;
          case EventParamType::Count:
            if (auto count = integer(*entry, 1, 1'000'000'000, "a whole number >= 1")) value = static_cast<double>(*count);
            break;
          case EventParamType::AgentList:
          case EventParamType::SectorList:
            if (auto items = name_list(*entry, param.type)) value = std::move(*items);
            break;
          case EventParamType::Population:
            if (auto population_name = text(*entry, "a firm population name")) {
              std::vector<std::string> names;
              for (const auto& population : scenario_.firms.populations) names.push_back(population.name);
              if (std::find(names.begin(), names.end(), *population_name) != names.end()) value = *population_name;
              else error(*entry, "unknown firm population \"" + *population_name + "\"" +
                                     (names.empty() ? std::string(" (the scenario declares no [firms.populations])")
                                                    : suggestion_hint(*population_name, names)));
            }
            break;
          case EventParamType::Choice:
            if (auto choice = text(*entry, "a choice")) {
              std::vector<std::string> choices(param.choices.begin(), param.choices.end());
              if (std::find(choices.begin(), choices.end(), *choice) != choices.end()) value = *choice;
              else error(*entry, "expected one of " + joined(choices, ", ") + ", got \"" + *choice + "\"" +
                                     suggestion_hint(*choice, choices));
            }
            break;
        }
        if (value) event.params.emplace(std::string(param.name), std::move(*value));
        else complete = false;
      }
      if (!spec.exactly_one_of.empty() && alias == nullptr && !exactly_one_of(spec, key, field)) complete = false;
      if (alias != nullptr) event.params = with_alias_resolved(*alias, std::move(event.params));
      if (complete && scenario_.simulation.drivers_only && spec.role == EventRole::Policy)
        issues_.push_back({kind_entry->file, kind_entry->line, kind_entry->key(),
                           "a " + std::string(spec.kind) +
                               " event is a policy, but this scenario says simulation.drivers_only = true (put "
                               "policies in a file that extends it and says drivers_only = false, as "
                               "scenarios/history.toml does)",
                           true});
      if (complete) scenario_.events.push_back(std::move(event));
    }
    std::stable_sort(scenario_.events.begin(), scenario_.events.end(),
                     [](const EventInstance& a, const EventInstance& b) { return a.period < b.period; });
  }

  // [shifts.<CODE>] <attribute> = amount: the attribute's whole path moves by `amount`. It is added
  // to the initial value and to the `value` of every set_attribute event on the same attribute and
  // agent (old kinds such as china_ties included), each clamped to the attribute's range; `change`
  // events move from the shifted value and keep the shift, `factor` events scale it with the rest.
  // A what-if ("Israel's China ties 0.2 deeper throughout") or a sweep then varies the driver
  // without the inherited events setting it back; 0 leaves the scenario exactly as it was.
  void read_shifts() {
    std::vector<std::string> attribute_names;
    for (const auto& attribute : government_attributes()) attribute_names.emplace_back(attribute.name);
    for (const DocumentEntry* entry : section("shifts")) {
      if (!has_depth(*entry, 3, "shifts.<CODE>.<attribute>")) continue;
      const std::string& code = entry->path[1];
      const std::string& name = entry->path[2];
      const auto index = agent(*entry, code);
      const auto id = government_attribute_from_name(name);
      if (!id) error(*entry, "unknown government attribute \"" + name + "\"" + suggestion_hint(name, attribute_names));
      if (!index || !id) continue;
      const GovernmentAttribute& attribute = info(*id);
      const double span = attribute.high - attribute.low;
      const auto amount = number(*entry, -span, span);
      if (!amount) continue;
      const auto shifted = [&](double value) { return std::clamp(value + *amount, attribute.low, attribute.high); };
      double& initial = scenario_.governments[*index].attribute(*id);
      initial = shifted(initial);
      for (EventInstance& event : scenario_.events)
        if (spec_of(event).kind == "set_attribute" && event.has("value") && event.text("agent") == code &&
            event.text("attribute") == name)
          event.params["value"] = shifted(event.number("value"));
    }
  }

  // Of the parameters spec.exactly_one_of (set_attribute: value, change, factor), exactly one is given.
  template <typename Field>
  bool exactly_one_of(const EventSpec& spec, const std::string& key, const Field& field) {
    std::vector<std::string> names(spec.exactly_one_of.begin(), spec.exactly_one_of.end());
    std::vector<const DocumentEntry*> given;
    for (std::string_view name : spec.exactly_one_of)
      if (const DocumentEntry* entry = field(name)) given.push_back(entry);
    if (given.empty()) {
      std::string expected;
      for (std::string_view name : spec.exactly_one_of) {
        const auto param = std::find_if(spec.params.begin(), spec.params.end(), [&](const auto& p) { return p.name == name; });
        expected += (expected.empty() ? "" : ", ") + std::string(name) + " (" + std::string(name_of(param->type)) + ")";
      }
      missing(key, "missing: exactly one of " + expected + " for a " + std::string(spec.kind) + " event");
      return false;
    }
    for (std::size_t k = 1; k < given.size(); ++k)
      error(*given[k], "a " + std::string(spec.kind) + " event takes exactly one of " + joined(names, ", ") + ", and " +
                           given[0]->path[2] + " is given too");
    return given.size() == 1;
  }

  void read_output() {
    for (const DocumentEntry* entry : section("output")) {
      if (!has_depth(*entry, 2, "output.<setting>")) continue;
      if (entry->path[1] == "firm_ties_every") {
        if (auto every = integer(*entry, 0, defaults::max_steps, "a whole number of steps >= 0 (0: only the last step)"))
          scenario_.firm_ties_every = static_cast<int>(*every);
        continue;
      }
      if (entry->path[1] != "pairs") {
        error(*entry, "unknown setting" + suggestion_hint(entry->path[1], {"pairs", "firm_ties_every"}));
        continue;
      }
      const toml::array* labels = entry->value->as_array();
      if (labels == nullptr) {
        error(*entry, "expected an array of pairs such as [\"JPN-ISR\", \"JPN-USA\"]");
        continue;
      }
      for (const toml::node& item : *labels) {
        const auto* label = item.as_string();
        if (label == nullptr) {
          error(*entry, "expected pairs as strings such as \"JPN-ISR\"");
          continue;
        }
        if (auto ends = pair(*entry, label->get()))
          scenario_.pairs_of_interest.push_back({ends->first, ends->second, label->get()});
      }
    }
  }

  // A misspelt leader would silently get no rapport. A name that is not a leader of this
  // scenario but is close to one is taken as a typo; other names are allowed, so that a shared
  // table of rapport can list leaders that a what-if never brings to office.
  bool known_leader(const DocumentEntry& entry, const std::string& name) {
    std::vector<std::string> leaders;
    for (const auto& government : scenario_.governments)
      if (!government.leader.empty()) leaders.push_back(government.leader);
    for (const auto& event : scenario_.events)
      if (spec_of(event).kind == "leadership_change") leaders.push_back(event.text("leader"));
    if (std::find(leaders.begin(), leaders.end(), name) != leaders.end()) return true;
    auto typo_of = closest_match(name, leaders);
    if (!typo_of) return true;
    error(entry, "\"" + name + "\" is not the leader of any government nor named by a leadership_change event "
                 "(did you mean \"" + *typo_of + "\"?)");
    return false;
  }

  bool has_start() const { return document_.count("simulation.start") != 0; }

  // An event without a kind is often a --set typo of an existing event's name.
  std::string event_name_hint(const std::string& name) const {
    std::vector<std::string> complete_events;
    for (const auto& [key, entry] : document_)
      if (entry.path.size() == 3 && entry.path[0] == "events" && entry.path[2] == "kind")
        complete_events.push_back(entry.path[1]);
    auto match = closest_match(name, complete_events);
    return match ? " (did you mean the event \"" + *match + "\"?)" : "";
  }

  const Document& document_;
  const std::string& top_file_;
  std::vector<ScenarioIssue>& issues_;
  Scenario scenario_;
  std::map<std::string, std::vector<const DocumentEntry*>> sections_;
  std::vector<std::string> agent_codes_;
  std::map<std::pair<std::string, std::string>, double> affinity_seen_;
  std::vector<const DocumentEntry*> firm_effect_entries_;
  std::vector<const DocumentEntry*> declared_agents_;        // empty [governments.<CODE>] tables
  std::vector<const DocumentEntry*> unknown_sections_only_;  // other empty tables
  const DocumentEntry* declared_agent(const std::string& code) const {
    for (const DocumentEntry* entry : declared_agents_)
      if (entry->path[1] == code) return entry;
    return nullptr;
  }
};

}  // namespace

Scenario build_scenario(const Document& document, const std::string& top_file, std::vector<ScenarioIssue>& issues) {
  return Builder(document, top_file, issues).build();
}

}  // namespace policysim
