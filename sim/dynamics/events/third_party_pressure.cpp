// third_party_pressure: the objection of a third party that constrains a government's ties loosens
// (or tightens), e.g. Japan's fear for its Arab oil supply after the Arab Spring.
// Source: 000_02203e0e8e2dcc27.txt ("the Arab Spring, which began in 2011 and signaled the instability
// of some of Japan's traditional Arab trading partners. That, coupled with a decrease in the price of
// oil and an increase in U.S. production, reduced some of the historical fear of harming relations with
// Arab nations by improving relations with Israel").
#include <sstream>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string third_party_pressure(const EventInstance& event, const Scenario& scenario, World& world) {
  const auto agent = static_cast<Eigen::Index>(*scenario.agent_index(event.text("country")));
  std::ostringstream account;
  account << event.text("country") << " third_party_pressure " << world.third_party_pressure[agent] << " -> "
          << event.number("level");
  world.third_party_pressure[agent] = event.number("level");
  return account.str();
}

}  // namespace policysim::events
