// direct_flight: a direct flight between two countries starts (level 1) or stops (level 0): the
// pair attribute direct_flight, read by the firm effect of the same name (a lower cost of meeting).
// Source: 000_02203e0e8e2dcc27.txt ("in addition to the cultural Tel Aviv-Tokyo Divide, there is also a
// physical one: there are no direct flights between Israel and Japan (a direct charter flight will
// commence in September of this year)"; "A JIIN Hub and direct flights will go a long way").
#include <cstdio>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string direct_flight(const EventContext& context, const EventInstance& event, World& world) {
  const auto a = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("country")));
  const auto b = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("partner")));
  TieMatrix& flights = world.pair_attributes[index_of(PairAttributeId::DirectFlight)];
  const double before = flights(a, b);
  flights(a, b) = flights(b, a) = event.number("level");
  char detail[160];
  std::snprintf(detail, sizeof detail, "%s-%s direct flight %.2f -> %.2f", event.text("country").c_str(),
                event.text("partner").c_str(), before, event.number("level"));
  return detail;
}

}  // namespace policysim::events
