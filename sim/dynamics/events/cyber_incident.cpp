// cyber_incident: a major attack (or a big event that draws attacks, such as the Olympics)
// raises the cyber threat felt by a government; it then fades by [threat] persistence per quarter.
// Source: 002_2a2c358a063535bf.txt (attacks on Japan: 3B in 2005, 5.8B in 2010, 54.5B in 2015) and
// 000_02203e0e8e2dcc27.txt ("we need Israeli support in cyber-security, especially ahead of the
// 2020 Tokyo Olympics").
#include <algorithm>
#include <sstream>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string cyber_incident(const EventContext& context, const EventInstance& event, World& world) {
  const auto agent = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("country")));
  AgentValues& threat = world.attribute(GovernmentAttributeId::CyberThreat);
  const double before = threat[agent];
  threat[agent] = std::min(1.0, before + event.number("severity"));
  std::ostringstream account;
  account << event.text("country") << " cyber_threat " << before << " -> " << threat[agent];
  return account.str();
}

}  // namespace policysim::events
