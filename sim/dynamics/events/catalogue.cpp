// The one list of event kinds, printed by `policysim describe` and used to validate scenarios.
#include "sim/dynamics/events/event.hpp"
#include "sim/dynamics/events/kinds.hpp"

namespace policysim {

std::string_view name_of(EventParamType type) {
  switch (type) {
    case EventParamType::Agent: return "agent code";
    case EventParamType::Text: return "text";
    case EventParamType::Fraction: return "number in [0, 1]";
  }
  return "?";
}

const std::vector<EventSpec>& event_catalogue() {
  using enum EventParamType;
  static const std::vector<EventSpec> all = {
      {.kind = "leadership_change",
       .doc = "a new head of government takes office; leader_affinity follows the new leader",
       .source = "000_02203e0e8e2dcc27.txt: 'could become more of an issue in a post-Abe or "
                 "post-Netanyahu era'; dates from Archigos (../shared/data)",
       .params = {{"country", Agent, "the government whose leader changes"},
                  {"leader", Text, "name of the new leader, as used in [leader_affinity]"}},
       .apply = events::leadership_change},
      {.kind = "china_ties",
       .doc = "a government's ties with China move to a new level (drives china_friction)",
       .source = "000_02203e0e8e2dcc27.txt: Haifa port contract and Chinese 5G bids in Israel",
       .params = {{"country", Agent, "the government whose China ties change"},
                  {"level", Fraction, "new value of its china_ties attribute"}},
       .apply = events::china_ties},
      {.kind = "cyber_incident",
       .doc = "a major attack (or an event such as the Olympics) raises a government's cyber threat; "
              "it fades by [threat] persistence each quarter (drives shared_threat)",
       .source = "002_2a2c358a063535bf.txt: attacks on Japan 5.8B (2010) to 54.5B (2015)",
       .params = {{"country", Agent, "the government attacked"},
                  {"severity", Fraction, "threat added (the level is capped at 1)"}},
       .apply = events::cyber_incident},
  };
  return all;
}

const EventSpec* find_event_kind(std::string_view kind) {
  for (const auto& spec : event_catalogue())
    if (spec.kind == kind) return &spec;
  return nullptr;
}

}  // namespace policysim
