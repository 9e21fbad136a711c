#include "sim/scenario/overwrites.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include "sim/dynamics/events/event.hpp"

namespace policysim {
namespace {

// What an event sets to an absolute value: (agent, attribute name or "leader"), and the value as text.
struct AbsoluteSetting {
  std::string agent;
  std::string field;
  std::string value;
};

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::optional<AbsoluteSetting> absolute_setting(const EventInstance& event) {
  const std::string_view kind = spec_of(event).kind;
  // set_attribute with `change` or `factor` moves from the current value, so it keeps a what-if's
  // value (shifted); only an absolute `value` replaces it.
  if (kind == "set_attribute" && event.has("value"))
    return AbsoluteSetting{event.text("agent"), event.text("attribute"), number_text(event.number("value"))};
  if (kind == "leadership_change") return AbsoluteSetting{event.text("country"), "leader", event.text("leader")};
  return std::nullopt;
}

std::vector<const DocumentEntry*> entries_of_event(const Document& document, const std::string& name) {
  std::vector<const DocumentEntry*> entries;
  const std::string prefix = "events." + name + ".";
  for (auto it = document.lower_bound(prefix); it != document.end() && it->first.starts_with(prefix); ++it)
    entries.push_back(&it->second);
  return entries;
}

// The entry that holds what the event sets (value, level, leader), else its kind.
const DocumentEntry* setting_entry(const std::vector<const DocumentEntry*>& entries) {
  for (std::string_view field : {"value", "level", "leader", "kind"})
    for (const DocumentEntry* entry : entries)
      if (entry->path.size() == 3 && entry->path[2] == field) return entry;
  return entries.empty() ? nullptr : entries.front();
}

std::string remedy_for(const std::string& agent, const std::string& field, const std::string& event) {
  const std::string removal = "remove_events = [\"" + event + "\"] in a what-if file drops the event";
  if (field == "leader") return removal + ", --set events." + event + ".period=... moves it";
  return "shifts." + agent + "." + field + " = <amount> moves the whole path (the start value and every later "
         "absolute set_attribute value); " + removal;
}

}  // namespace

ScenarioIssue Overwrite::warning() const {
  std::string where = event_file;
  if (event_line > 0) where += ":" + std::to_string(event_line);
  return {file, line, key,
          value_text + " is overwritten in " + period + " by the event " + event + " (" + where + ": sets " +
              event_value + "); " + remedy,
          true};
}

bool is_what_if_entry(const DocumentEntry& entry, std::span<const std::string> chain) {
  if (std::find(chain.begin(), chain.end(), entry.file) == chain.end()) return true;  // --set, a sweep's value
  return chain.size() > 1 && entry.file == chain.front();
}

std::vector<Overwrite> find_overwrites(const Document& document, const Scenario& scenario,
                                       const std::function<bool(const DocumentEntry&)>& what_if) {
  struct Given {
    std::size_t after;  // events from this index on can overwrite it (0: the initial value)
    std::string agent, field, key, value_text, file;
    int line = 0;
  };
  std::vector<Given> given;
  for (const auto& [key, entry] : document) {
    if (entry.path.size() != 3 || entry.path[0] != "governments" || !what_if(entry)) continue;
    const std::string& field = entry.path[2];
    if (field != "leader" && !government_attribute_from_name(field)) continue;
    std::string text;
    if (const auto number = entry.value->value<double>(); number && entry.value->is_number()) {
      text = number_text(*number);  // 0.8, not 0.80000000000000004
    } else {
      std::ostringstream out;
      entry.value->visit([&](const auto& concrete) { out << concrete; });
      text = out.str();
    }
    given.push_back({0, entry.path[1], field, key, "the value " + text, entry.file, entry.line});
  }
  std::vector<bool> own(scenario.events.size(), false);
  for (std::size_t i = 0; i < scenario.events.size(); ++i) {
    const EventInstance& event = scenario.events[i];
    const auto entries = entries_of_event(document, event.name);
    own[i] = std::any_of(entries.begin(), entries.end(), [&](const DocumentEntry* entry) { return what_if(*entry); });
    if (!own[i]) continue;
    const auto setting = absolute_setting(event);
    const DocumentEntry* where = setting_entry(entries);
    if (!setting || where == nullptr) continue;
    given.push_back({i + 1, setting->agent, setting->field, where->key(),
                     "the event " + event.name + " (" + event.period.label() + ": " + setting->field + " " +
                         setting->value + ")",
                     where->file, where->line});
  }

  std::vector<Overwrite> found;
  for (const Given& value : given)
    for (std::size_t j = value.after; j < scenario.events.size(); ++j) {
      const EventInstance& event = scenario.events[j];
      if (own[j] || event.period >= scenario.end()) continue;
      const auto setting = absolute_setting(event);
      if (!setting || setting->agent != value.agent || setting->field != value.field) continue;
      const DocumentEntry* where = setting_entry(entries_of_event(document, event.name));
      found.push_back({value.key, value.value_text, value.file, value.line, event.name, event.period.label(),
                       setting->field + " " + setting->value, where ? where->file : scenario.file,
                       where ? where->line : 0, remedy_for(value.agent, value.field, event.name)});
    }
  return found;
}

}  // namespace policysim
