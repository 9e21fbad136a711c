// cyber_threat_level: the long-run level of cyber threat a government faces moves (a trend in
// attack counts, not a one-off incident). The felt threat then approaches it by [threat]
// persistence each quarter.
// Source: 002_2a2c358a063535bf.txt ("Cyberattacks have increased from three billion in 2005 to 5.8
// billion in 2010 to 54.5 billion in 2015") and 004_688dbf1441b292a7.txt (attacks "further increased
// in 2017 and 2018").
#include <sstream>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string cyber_threat_level(const EventInstance& event, const Scenario& scenario, World& world) {
  const auto agent = static_cast<Eigen::Index>(*scenario.agent_index(event.text("country")));
  std::ostringstream account;
  account << event.text("country") << " cyber_threat_level " << world.cyber_threat_level[agent] << " -> "
          << event.number("level");
  world.cyber_threat_level[agent] = event.number("level");
  return account.str();
}

}  // namespace policysim::events
