#pragma once
// An event kind: a dated, named change to the exogenous drivers of the world (a new leader,
// deeper China ties, a cyber attack). Events never set a tie directly: ties respond through
// the effects.
#include <string>
#include <string_view>
#include <vector>

#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

enum class EventParamType {
  Agent,     // the code of a government or organisation in the scenario
  Text,      // free text (a leader's name)
  Fraction,    // a number in [0, 1]
  AgentList,   // a non-empty array of agent codes, each at most once
  SectorList,  // a non-empty array of sector names (firms.hpp), each at most once
  Count,       // a whole number >= 1
  Population,  // the name of a firm population in [firms.populations]
  Choice,      // one of the parameter's `choices`
};
std::string_view name_of(EventParamType type);

struct EventParam {
  std::string_view name;
  EventParamType type;
  std::string_view doc;
  std::vector<std::string_view> choices = {};  // Choice only
};

// Applies the event to the world about to be stepped; returns a one-line account for the log
// ("JPN leader Abe -> Suga").
using EventApply = std::string (*)(const EventInstance& event, const Scenario& scenario, World& world);

struct EventSpec {
  std::string_view kind;
  std::string_view doc;
  std::string_view source;
  std::vector<EventParam> params;  // all required
  EventApply apply = nullptr;
};

// The one explicit list of event kinds (sim/dynamics/events/catalogue.cpp).
const std::vector<EventSpec>& event_catalogue();
const EventSpec* find_event_kind(std::string_view kind);

}  // namespace policysim
