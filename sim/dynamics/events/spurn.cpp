// spurn: one government ignores or spurns another's advances for cooperation; sets the pair's
// `spurned` attribute (drives the `spurned` effect).
// Source: 002_2a2c358a063535bf.txt ("Should the U.S. choose to ignore or even spurn Japan's advances for
// cooperation and help, Japan may shift their priorities to other nations and bodies, including Israel
// and the European Union").
#include <sstream>

#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string spurn(const EventContext& context, const EventInstance& event, World& world) {
  const auto a = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("country")));
  const auto b = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("partner")));
  TieMatrix& spurned = world.pair_attributes[index_of(PairAttributeId::Spurned)];
  std::ostringstream account;
  account << event.text("country") << " spurns " << event.text("partner") << ": spurned " << spurned(a, b) << " -> "
          << event.number("level");
  spurned(a, b) = spurned(b, a) = event.number("level");
  return account.str();
}

}  // namespace policysim::events
