#pragma once
// An event kind: a dated, named change to the exogenous drivers of the world (a new leader,
// deeper China ties, a cyber attack). Events never set a tie directly: ties respond through
// the effects.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/dynamics/random_streams.hpp"
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
  Attribute,   // the name of a government attribute (kGovernmentAttributes)
  Number,      // any finite number
  NonNegative, // a finite number >= 0
};
std::string_view name_of(EventParamType type);

struct EventParam {
  std::string_view name;
  EventParamType type;
  std::string_view doc;
  std::vector<std::string_view> choices = {};  // Choice only
  bool required = true;  // false: see EventSpec::exactly_one_of
};

// What an event may use besides the world it changes: the frozen scenario and the run's random
// streams (the one door for randomness: an event never builds streams of its own).
struct EventContext {
  const Scenario& scenario;
  const RandomStreams& random;
};

// Applies the event to the world about to be stepped; returns a one-line account for the log
// ("JPN leader Abe -> Suga").
using EventApply = std::string (*)(const EventContext& context, const EventInstance& event, World& world);

// What an event stands for in a scenario. A *driver* is exogenous to the relations the model
// explains: who leads, how large the threat is, what a third party demands, how deep a partner's
// China ties are. A *policy* is an instrument that a government, agency or firm chooses (a forum, a
// matchmaking programme, an agreement, a flight, an acquisition): in the years the model is meant to
// explain, such choices are outcomes of the same rapprochement, so a drivers-only scenario
// (scenarios/baseline.toml) must not schedule them; scenarios/history.toml adds those that happened.
// This is the split of exogenous uncertainties (X) from policy levers (L) in the XLRM framework of
// exploratory modelling (Lempert, Popper & Bankes 2003), as in the EMA Workbench's uncertainties
// and levers.
enum class EventRole { Driver, Policy };
std::string_view name_of(EventRole role);

struct EventSpec {
  std::string_view kind;
  EventRole role = EventRole::Driver;
  std::string_view doc;
  std::string_view source;
  std::vector<EventParam> params;  // the required ones must all be given
  // Optional parameters of which an event gives exactly one (set_attribute: value, change, factor).
  std::vector<std::string_view> exactly_one_of = {};
  EventApply apply = nullptr;
};

// An old name of an event kind, still accepted so that existing scenarios run unchanged: an event
// of kind `kind` with the old parameters `params` is the event `target` with each old parameter
// renamed (`renamed`: old -> new) and the `fixed` text parameters added. It is recorded in
// /events/kind under the target's name.
struct EventAlias {
  std::string_view kind;
  std::string_view target;
  std::vector<EventParam> params;
  std::vector<std::pair<std::string_view, std::string_view>> renamed;
  std::vector<std::pair<std::string_view, std::string_view>> fixed;
};

// The one explicit list of event kinds (sim/dynamics/events/catalogue.cpp).
const std::vector<EventSpec>& event_catalogue();
const EventSpec* find_event_kind(std::string_view kind);
std::optional<std::size_t> event_kind_index(std::string_view kind);
// The old names of event kinds.
const std::vector<EventAlias>& event_aliases();
const EventAlias* find_event_alias(std::string_view kind);
// The parameters of an event of the old kind alias.kind, as those of the kind it stands for.
EventParams with_alias_resolved(const EventAlias& alias, EventParams params);
// The catalogue entry of a scenario's event.
const EventSpec& spec_of(const EventInstance& event);

}  // namespace policysim
