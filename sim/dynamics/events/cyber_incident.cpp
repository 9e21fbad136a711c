// cyber_incident: a major attack (or a big event that draws attacks, such as the Olympics)
// raises the cyber threat felt by a government; it then fades by [threat] persistence per quarter.
// Source: 002_2a2c358a063535bf.txt (attacks on Japan: 3B in 2005, 5.8B in 2010, 54.5B in 2015) and
// 000_02203e0e8e2dcc27.txt ("we need Israeli support in cyber-security, especially ahead of the
// 2020 Tokyo Olympics").
#include <algorithm>
#include <sstream>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string cyber_incident(const EventInstance& event, const Scenario& scenario, World& world) {
  const std::size_t agent = *scenario.agent_index(event.text("country"));
  const double before = world.cyber_threat[agent];
  world.cyber_threat[agent] = std::min(1.0, before + event.number("severity"));
  std::ostringstream account;
  account << event.text("country") << " cyber_threat " << before << " -> " << world.cyber_threat[agent];
  return account.str();
}

}  // namespace policysim::events
