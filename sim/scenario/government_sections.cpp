#include "sim/scenario/government_sections.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "sim/description/pair_label.hpp"
#include "sim/scenario/defaults.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/scenario/values.hpp"

namespace policysim {
namespace {

std::vector<std::string> agent_codes(const Scenario& scenario) {
  std::vector<std::string> codes;
  for (const auto& government : scenario.governments) codes.push_back(government.code);
  return codes;
}

// "JPN-USA" -> both slots, or an issue.
std::optional<std::pair<std::size_t, std::size_t>> read_pair(const DocumentEntry& entry, const std::string& label,
                                                             const Scenario& scenario,
                                                             std::vector<ScenarioIssue>& issues) {
  const auto split = split_pair_label(label);
  if (!split) {
    values::report(entry, "expected a pair of codes such as \"JPN-USA\", got \"" + label + "\"", issues);
    return std::nullopt;
  }
  std::optional<std::size_t> ends[2];
  const std::string codes[2] = {split->first, split->second};
  for (int k = 0; k < 2; ++k) {
    ends[k] = scenario.agent_index(codes[k]);
    if (!ends[k])
      values::report(entry, "unknown government or organisation \"" + codes[k] + "\"" +
                                suggestion_hint(codes[k], agent_codes(scenario)), issues);
  }
  if (!ends[0] || !ends[1]) return std::nullopt;
  if (*ends[0] == *ends[1]) {
    values::report(entry, "a pair needs two different agents, got \"" + label + "\"", issues);
    return std::nullopt;
  }
  return std::pair{*ends[0], *ends[1]};
}

std::string format(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void read_pair_attributes(const std::vector<const DocumentEntry*>& entries, Scenario& scenario,
                          std::vector<ScenarioIssue>& issues) {
  scenario.pair_attributes = default_pair_attributes(scenario.agent_count());
  std::vector<std::string> names;
  for (const auto& attribute : kPairAttributes) names.emplace_back(attribute.name);
  std::map<std::pair<std::string, std::pair<std::size_t, std::size_t>>, std::pair<double, std::string>> seen;
  for (const DocumentEntry* entry : entries) {
    if (entry->path.size() != 3) {
      values::report(*entry, "expected a key of the form pair_attributes.<attribute>.<A-B>", issues);
      continue;
    }
    const auto which = pair_attribute_from_name(entry->path[1]);
    if (!which) {
      values::report(*entry, "unknown pair attribute \"" + entry->path[1] + "\"" + suggestion_hint(entry->path[1], names) +
                                 "; `policysim describe` lists them", issues);
      continue;
    }
    const auto ends = read_pair(*entry, entry->path[2], scenario, issues);
    const auto value = values::number(*entry, 0.0, 1.0, issues);
    if (!ends || !value) continue;
    // Symmetric: A-B and B-A name the same value; stating both differently is ambiguous.
    const auto key = std::pair{entry->path[1], std::minmax(ends->first, ends->second)};
    if (auto known = seen.find(key); known != seen.end() && known->second.first != *value) {
      values::report(*entry, "contradicts " + known->second.second + " = " + format(known->second.first), issues);
      continue;
    }
    seen[key] = {*value, entry->key()};
    TieMatrix& matrix = scenario.pair_attributes[index_of(*which)];
    const auto a = static_cast<Eigen::Index>(ends->first), b = static_cast<Eigen::Index>(ends->second);
    matrix(a, b) = matrix(b, a) = *value;
  }
}

void read_milestones(const std::vector<const DocumentEntry*>& entries, Scenario& scenario,
                     std::vector<ScenarioIssue>& issues) {
  scenario.milestones = defaults::milestones;
  MilestoneSettings& settings = scenario.milestones;
  const std::vector<std::string> keys = {"dialogue_threshold", "dialogue_rate", "mou_step", "opportunity_factor"};
  for (const DocumentEntry* entry : entries) {
    if (entry->path.size() != 2) {
      values::report(*entry, "expected a key of the form milestones.<setting>", issues);
      continue;
    }
    const std::string& key = entry->path[1];
    if (key == "dialogue_threshold") {
      if (auto value = values::number(*entry, 0.0, 0.99, issues)) settings.dialogue_threshold = *value;
    } else if (key == "dialogue_rate") {
      if (auto value = values::number(*entry, 0.0, 1.0, issues)) settings.dialogue_rate = *value;
    } else if (key == "mou_step") {
      if (auto value = values::number(*entry, 0.0, 1.0, issues)) settings.mou_step = *value;
    } else if (key == "opportunity_factor") {
      if (auto value = values::number(*entry, 1.0, values::kInfinity, issues)) settings.opportunity_factor = *value;
    } else {
      values::report(*entry, "unknown setting" + suggestion_hint(key, keys), issues);
    }
  }
}

void read_spin_up(const std::vector<const DocumentEntry*>& entries, Scenario& scenario,
                  std::vector<ScenarioIssue>& issues) {
  scenario.spin_up_quarters = defaults::spin_up_quarters;
  for (const DocumentEntry* entry : entries) {
    if (entry->path.size() != 2) {
      values::report(*entry, "expected a key of the form spin_up.<setting>", issues);
      continue;
    }
    if (entry->path[1] != "quarters") {
      values::report(*entry, "unknown setting" + suggestion_hint(entry->path[1], {"quarters"}), issues);
      continue;
    }
    if (auto quarters = values::integer(*entry, 0, defaults::max_spin_up_quarters,
                                        "a whole number of quarters from 0 to " +
                                            std::to_string(defaults::max_spin_up_quarters), issues))
      scenario.spin_up_quarters = static_cast<int>(*quarters);
  }
}

// A spurn or a business forum between a government and itself means nothing.
void check_two_party_events(const std::vector<const DocumentEntry*>& entries, const Scenario& scenario,
                            std::vector<ScenarioIssue>& issues) {
  for (const EventInstance& event : scenario.events) {
    if (!event.params.count("country") || !event.params.count("partner")) continue;
    const auto* country = std::get_if<std::string>(&event.params.at("country"));
    const auto* partner = std::get_if<std::string>(&event.params.at("partner"));
    if (country == nullptr || partner == nullptr || *country != *partner) continue;
    for (const DocumentEntry* entry : entries)
      if (entry->path.size() == 3 && entry->path[1] == event.name && entry->path[2] == "partner")
        values::report(*entry, "the partner must differ from the country (\"" + *country + "\")", issues);
  }
}

}  // namespace

void read_government_sections(const std::vector<const DocumentEntry*>& pair_attribute_entries,
                              const std::vector<const DocumentEntry*>& milestone_entries,
                              const std::vector<const DocumentEntry*>& spin_up_entries,
                              const std::vector<const DocumentEntry*>& event_entries, Scenario& scenario,
                              std::vector<ScenarioIssue>& issues) {
  read_pair_attributes(pair_attribute_entries, scenario, issues);
  read_milestones(milestone_entries, scenario, issues);
  read_spin_up(spin_up_entries, scenario, issues);
  check_two_party_events(event_entries, scenario, issues);
}

}  // namespace policysim
