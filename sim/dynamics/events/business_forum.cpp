// business_forum: a business forum or delegation brings two governments' ministers and firms
// together: an opportunity. In its quarter a dialogue between the two is more likely to be held
// and a prepared agreement more likely to be signed ([milestones] opportunity_factor). It does not
// move any tie: whether there is anything to sign still depends on the ties. For firms it is a
// matchmaking pool of every firm of the two countries, all sectors (see matchmaking.cpp): each meets
// [firms.cooperation] event_candidates candidates from it in that quarter.
// Source: 000_02203e0e8e2dcc27.txt (July 2014: Minister Motegi "attended and spoke at the first ever
// Japanese-Israeli Business Forum ... The concurrent government meetings, memorandum, and business
// forum further formalized the G2G relationship").
#include "sim/dynamics/events/kinds.hpp"
#include "sim/model/government.hpp"

namespace policysim::events {

std::string business_forum(const EventContext& context, const EventInstance& event, World& world) {
  const auto a = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("country")));
  const auto b = static_cast<Eigen::Index>(*context.scenario.agent_index(event.text("partner")));
  world.opportunity(a, b) = world.opportunity(b, a) = 1.0;
  world.match_pools.push_back({{static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)}, kAllSectors, 0,
                               stable_id_of("event:" + event.name)});
  return event.text("country") + "-" + event.text("partner") + " business forum: an opportunity this quarter";
}

}  // namespace policysim::events
