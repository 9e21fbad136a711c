// The one list of event kinds, printed by `policysim describe` and used to validate scenarios.
#include "sim/dynamics/catalogue_lookup.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/dynamics/events/kinds.hpp"

namespace policysim {

std::string_view name_of(EventParamType type) {
  switch (type) {
    case EventParamType::Agent: return "agent code";
    case EventParamType::Text: return "text";
    case EventParamType::Fraction: return "number in [0, 1]";
    case EventParamType::AgentList: return "array of agent codes";
    case EventParamType::SectorList: return "array of sector names";
    case EventParamType::Count: return "whole number >= 1";
    case EventParamType::Population: return "firm population name";
    case EventParamType::Choice: return "one of a list";
    case EventParamType::Attribute: return "government attribute name";
    case EventParamType::Number: return "number";
    case EventParamType::NonNegative: return "number >= 0";
  }
  return "?";
}

std::string_view name_of(EventRole role) { return role == EventRole::Driver ? "driver" : "policy"; }

// Roles: leaders, threats, third-party pressure, China ties and attacks are drivers. A spurn is a
// third government's stance towards the pair (source 002: the US "may ... ignore or even spurn
// Japan's advances"), not an instrument of the two: a driver too. Forums, matchmaking, flights,
// agreements, trilateral programmes and acquisitions are chosen by governments, agencies or firms:
// policies.
const std::vector<EventSpec>& event_catalogue() {
  using enum EventParamType;
  static const std::vector<EventSpec> all = {
      {.kind = "leadership_change",
       .role = EventRole::Driver,
       .doc = "a new head of government takes office; leader_affinity follows the new leader",
       .source = "000_02203e0e8e2dcc27.txt: 'could become more of an issue in a post-Abe or "
                 "post-Netanyahu era'; dates from Archigos (../shared/data)",
       .params = {{"country", Agent, "the government whose leader changes"},
                  {"leader", Text, "name of the new leader, as used in [leader_affinity]"}},
       .apply = events::leadership_change},
      {.kind = "set_attribute",
       .role = EventRole::Driver,
       .doc = "a government attribute moves: to an absolute value, by a change or by a factor (exactly one of "
              "the three), clamped to [0, 1]; e.g. china_ties (drives china_friction), cyber_threat_level (the "
              "threat the felt threat returns to; drives shared_threat), third_party_pressure",
       .source = "000_02203e0e8e2dcc27.txt: Haifa port contract and Chinese 5G bids in Israel; the Arab Spring, lower "
                 "oil prices and more US oil 'reduced some of the historical fear of harming relations with Arab "
                 "nations'; 002_2a2c358a063535bf.txt: 'Cyberattacks have increased from three billion in 2005 to 5.8 "
                 "billion in 2010 to 54.5 billion in 2015'",
       .params = {{"attribute", Attribute, "the government attribute that moves (see GOVERNMENT ATTRIBUTES)"},
                  {"agent", Agent, "the government whose attribute moves"},
                  {"value", Fraction, "its new value", {}, false},
                  {"change", Number, "added to its current value", {}, false},
                  {"factor", NonNegative, "multiplies its current value", {}, false}},
       .exactly_one_of = {"value", "change", "factor"},
       .apply = events::set_attribute},
      {.kind = "cyber_incident",
       .role = EventRole::Driver,
       .doc = "a major attack (or an event such as the Olympics) raises a government's cyber threat; "
              "it fades by [threat] persistence each quarter (drives shared_threat)",
       .source = "002_2a2c358a063535bf.txt: attacks on Japan 5.8B (2010) to 54.5B (2015)",
       .params = {{"country", Agent, "the government attacked"},
                  {"severity", Fraction, "threat added (the level is capped at 1)"}},
       .apply = events::cyber_incident},
      {.kind = "spurn",
       .role = EventRole::Driver,
       .doc = "a government spurns another's advances for cooperation (sets the pair's spurned attribute; "
              "drives the spurned effect)",
       .source = "002_2a2c358a063535bf.txt: 'Should the U.S. choose to ignore or even spurn Japan's advances for "
                 "cooperation and help, Japan may shift their priorities to other nations and bodies'",
       .params = {{"country", Agent, "the government that spurns"},
                  {"partner", Agent, "the government spurned"},
                  {"level", Fraction, "new value of the pair's spurned attribute (0 = reconciled)"}},
       .apply = events::spurn},
      {.kind = "business_forum",
       .role = EventRole::Policy,
       .doc = "a business forum or delegation: an opportunity in its quarter (a dialogue is likelier to be held "
              "and prepared MOUs to be signed, by [milestones] opportunity_factor); moves no tie",
       .source = "000_02203e0e8e2dcc27.txt: July 2014, the first Japanese-Israeli Business Forum; 'The concurrent "
                 "government meetings, memorandum, and business forum further formalized the G2G relationship'",
       .params = {{"country", Agent, "one side"}, {"partner", Agent, "the other side"}},
       .apply = events::business_forum},
      {.kind = "matchmaking",
       .role = EventRole::Policy,
       .doc = "a business matching programme: about `firms` firms of the given countries and sectors meet "
              "[firms.cooperation] event_candidates candidate partners from the pool this quarter",
       .source = "000_02203e0e8e2dcc27.txt: 'In 2018, JIIN facilitated the networking of over 1,000 companies "
                 "through 50 events, nine business missions, and 41 business seminars'",
       .params = {{"countries", AgentList, "the countries whose firms take part"},
                  {"sectors", SectorList, "the sectors whose firms take part"},
                  {"firms", Count, "expected number of firms taking part (each eligible firm joins with chance "
                                   "firms / eligible)"}},
       .apply = events::matchmaking},
      {.kind = "direct_flight",
       .role = EventRole::Policy,
       .doc = "a direct flight between two countries starts (level 1) or stops (level 0): pair attribute "
              "direct_flight (drives the firm effect direct_flight)",
       .source = "000_02203e0e8e2dcc27.txt: 'there are no direct flights between Israel and Japan (a direct charter "
                 "flight will commence in September of this year)'",
       .params = {{"country", Agent, "one end"},
                  {"partner", Agent, "the other end"},
                  {"level", Fraction, "new value of the pair's direct_flight attribute"}},
       .apply = events::direct_flight},
      {.kind = "agreement",
       .role = EventRole::Policy,
       .doc = "a free trade, investment or data adequacy agreement enters into force (level 1) or lapses "
              "(level 0): pair attribute fta, investment_agreement or data_adequacy",
       .source = "000_02203e0e8e2dcc27.txt: 'the February 2017 Agreement for the Liberalization, Promotion, and "
                 "Protection of Investment'; 004_688dbf1441b292a7.txt: the EU-Japan data adequacy agreement "
                 "(July 2018, in force January 2019)",
       .params = {{"country", Agent, "one party"},
                  {"partner", Agent, "the other party"},
                  {"type", Choice, "the kind of agreement", {"fta", "investment", "data_adequacy"}},
                  {"level", Fraction, "new value of the pair attribute"}},
       .apply = events::agreement},
      {.kind = "trilateral_program",
       .role = EventRole::Policy,
       .doc = "a country funds joint R&D among the firms of a group of countries for some quarters (drives "
              "the firm effect trilateral_program for firm pairs of two countries of the group)",
       .source = "000_02203e0e8e2dcc27.txt: recommendations 'U.S. funding for trilateral security initiatives', "
                 "'Establish VC-backed trilateral hackathons'",
       .params = {{"funder", Agent, "the government that pays"},
                  {"countries", AgentList, "the countries whose firms are funded (two or more)"},
                  {"quarters", Count, "how long the programme runs, from the event's quarter"}},
       .apply = events::trilateral_program},
      {.kind = "acquisition",
       .role = EventRole::Policy,
       .doc = "the largest active firm of one population buys a random active firm of another (keyed by the "
              "event's name): the bought firm's B2B ties move to the buyer and it becomes inactive",
       .source = "000_02203e0e8e2dcc27.txt: 'the acquisition of the Israeli messaging app Viber by the Japanese "
                 "company Rakuten for $900 million'",
       .params = {{"buyer", Population, "the population of the buying firm (its largest firm buys)"},
                  {"target", Population, "the population of the firm bought"}},
       .apply = events::acquisition},
  };
  return all;
}

const EventSpec* find_event_kind(std::string_view kind) {
  return find_by_name<EventSpec>(event_catalogue(), kind, &EventSpec::kind);
}

std::optional<std::size_t> event_kind_index(std::string_view kind) {
  return index_by_name<EventSpec>(event_catalogue(), kind, &EventSpec::kind);
}

const EventSpec& spec_of(const EventInstance& event) { return event_catalogue().at(event.kind); }

// The three kinds that each set one attribute, before set_attribute replaced them; their
// parameters and documentation are as they were.
const std::vector<EventAlias>& event_aliases() {
  using enum EventParamType;
  static const std::vector<EventAlias> all = {
      {.kind = "china_ties",
       .target = "set_attribute",
       .params = {{"country", Agent, "the government whose China ties change"},
                  {"level", Fraction, "new value of its china_ties attribute"}},
       .renamed = {{"country", "agent"}, {"level", "value"}},
       .fixed = {{"attribute", "china_ties"}}},
      {.kind = "cyber_threat_level",
       .target = "set_attribute",
       .params = {{"country", Agent, "the government whose threat level changes"},
                  {"level", Fraction, "new value of its cyber_threat_level attribute"}},
       .renamed = {{"country", "agent"}, {"level", "value"}},
       .fixed = {{"attribute", "cyber_threat_level"}}},
      {.kind = "third_party_pressure",
       .target = "set_attribute",
       .params = {{"country", Agent, "the government under pressure"},
                  {"level", Fraction, "new value of its third_party_pressure attribute"}},
       .renamed = {{"country", "agent"}, {"level", "value"}},
       .fixed = {{"attribute", "third_party_pressure"}}},
  };
  return all;
}

const EventAlias* find_event_alias(std::string_view kind) {
  return find_by_name<EventAlias>(event_aliases(), kind, &EventAlias::kind);
}

EventParams with_alias_resolved(const EventAlias& alias, EventParams params) {
  EventParams resolved;
  for (auto& [name, value] : params) {
    std::string new_name = name;
    for (const auto& [old_param, new_param] : alias.renamed)
      if (old_param == name) new_name = new_param;
    resolved.emplace(std::move(new_name), std::move(value));
  }
  for (const auto& [param, text] : alias.fixed) resolved.emplace(std::string(param), std::string(text));
  return resolved;
}

}  // namespace policysim
