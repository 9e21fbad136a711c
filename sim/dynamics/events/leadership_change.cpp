// leadership_change: a new head of government takes office.
// Source: 000_02203e0e8e2dcc27.txt ("less of an issue when the relationship is being promoted from
// the top (Abe and Netanyahu), but could become more of an issue in a post-Abe or post-Netanyahu
// era"); dates in ../shared/data/archigos_leaders_selected_1995_2015.csv.
#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string leadership_change(const EventContext& context, const EventInstance& event, World& world) {
  const std::size_t agent = *context.scenario.agent_index(event.text("country"));
  std::string account = event.text("country") + " leader " + world.leader[agent] + " -> " + event.text("leader");
  world.leader[agent] = event.text("leader");
  return account;
}

}  // namespace policysim::events
