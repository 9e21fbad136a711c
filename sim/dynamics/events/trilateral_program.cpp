// trilateral_program: a country funds joint R&D among the firms of a group of countries (the US
// funding trilateral US-Japan-Israel initiatives, VC-backed hackathons) for a number of quarters,
// from the event's own: the firm effect trilateral_program is 1 for firm pairs of two different
// countries of the group while it runs. A later programme on the same pairs extends it.
// Source: 000_02203e0e8e2dcc27.txt (recommendations: "U.S. funding for trilateral security
// initiatives", "Establish VC-backed trilateral hackathons"; "the United States can and should play a
// pivotal role in furthering security cooperation in areas such as cyber and emerging technology").
#include <algorithm>

#include "sim/description/joined.hpp"
#include "sim/dynamics/events/kinds.hpp"

namespace policysim::events {

std::string trilateral_program(const EventContext& context, const EventInstance& event, World& world) {
  const auto& codes = event.list("countries");
  const double until = static_cast<double>(world.step) + event.number("quarters");
  for (std::size_t x = 0; x < codes.size(); ++x) {
    for (std::size_t y = x + 1; y < codes.size(); ++y) {
      const auto a = static_cast<Eigen::Index>(*context.scenario.agent_index(codes[x]));
      const auto b = static_cast<Eigen::Index>(*context.scenario.agent_index(codes[y]));
      world.program_until(a, b) = world.program_until(b, a) = std::max(world.program_until(a, b), until);
    }
  }
  return event.text("funder") + " funds joint R&D of " + joined(codes, "-") + " firms for " +
         std::to_string(static_cast<long>(event.number("quarters"))) + " quarters";
}

}  // namespace policysim::events
