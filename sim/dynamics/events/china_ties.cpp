// china_ties: a government deepens (or loosens) its economic and security ties with China.
// Source: 000_02203e0e8e2dcc27.txt (Israel awarded the Port of Haifa contract to a Chinese firm and
// was "entertaining Chinese bids for 5G networks", which led the US "to warn Israel to limit ties
// with China or risk a decrease in security cooperation").
#include <sstream>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string china_ties(const EventInstance& event, const Scenario& scenario, World& world) {
  const std::size_t agent = *scenario.agent_index(event.text("country"));
  std::ostringstream account;
  account << event.text("country") << " china_ties " << world.china_ties[agent] << " -> " << event.number("level");
  world.china_ties[agent] = event.number("level");
  return account.str();
}

}  // namespace policysim::events
