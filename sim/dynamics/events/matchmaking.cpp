// matchmaking: a business matching programme (JIIN's matching, a seminar, a hackathon) brings a
// number of firms of given countries and sectors together for one quarter: each taking part meets
// [firms.cooperation] event_candidates candidate partners drawn from the pool. Moves no tie: whether
// a partnership forms still depends on the B2B effects.
// Source: 000_02203e0e8e2dcc27.txt ("In 2018, JIIN facilitated the networking of over 1,000 companies
// through 50 events, nine business missions, and 41 business seminars"; JIIN's mission includes
// "supporting business matching"; recommendation "Host U.S.-based seminars that bring together
// Israeli and Japanese entrepreneurs").
#include "sim/description/joined.hpp"
#include "sim/dynamics/events/kinds.hpp"
#include "sim/model/government.hpp"

namespace policysim::events {

std::string matchmaking(const EventContext& context, const EventInstance& event, World& world) {
  FirmMatchPool pool;
  for (const std::string& code : event.list("countries"))
    pool.countries.push_back(static_cast<std::uint32_t>(*context.scenario.agent_index(code)));
  for (const std::string& name : event.list("sectors")) pool.sectors |= 1u << static_cast<unsigned>(*sector_from_name(name));
  pool.firms = static_cast<std::uint32_t>(event.number("firms"));
  pool.key = stable_id_of("event:" + event.name);
  pool.screened = true;  // a matching programme introduces its firms (firm effect matchmaking)
  world.match_pools.push_back(std::move(pool));
  return joined(event.list("countries"), "-") + " matchmaking for about " +
         std::to_string(static_cast<long>(event.number("firms"))) + " firms (" + joined(event.list("sectors"), ", ") +
         ") this quarter";
}

}  // namespace policysim::events
