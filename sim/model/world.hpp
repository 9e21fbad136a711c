#pragma once
// The state that changes during a run. The fixed cast (governments, rapport table,
// coefficients) lives in the frozen Scenario; everything here is what a step rewrites.
#include <array>
#include <string>
#include <vector>

#include "sim/model/calendar.hpp"
#include "sim/model/dense.hpp"
#include "sim/model/firms.hpp"
#include "sim/model/government.hpp"
#include "sim/model/layers.hpp"
#include "sim/model/pair_attributes.hpp"
#include "sim/model/shared_value.hpp"

namespace policysim {

struct World {
  int step = 0;          // steps completed so far
  Period period;         // the quarter the next step simulates
  // Exogenous drivers, changed only by events (and threat decay).
  std::vector<std::string> leader;  // current head of government per agent
  // Every government attribute of kGovernmentAttributes, [agent] each, by GovernmentAttributeId:
  // china_ties, cyber_threat_level, ... (set_attribute events), cyber_threat (cyber_incident
  // events, threat decay). Starts at the scenario's values.
  std::array<AgentValues, kGovernmentAttributeCount> attributes;
  PairAttributeValues pair_attributes;   // [agent x partner] per pair attribute (UN votes, spurned)
  TieMatrix opportunity;                 // 1 for the pairs that hold a business forum this quarter
  // Milestone bookkeeping: cooperation at the pair's last MOU (a new one needs mou_step more).
  TieMatrix cooperation_at_last_mou;
  // Endogenous ties, [agent x partner] per layer.
  LayerTies ties;
  // Firms and their B2B ties. Shared and immutable: a phase that changes them builds a new one,
  // so copying the world between phases stays cheap with 100,000 firms.
  SharedValue<FirmTable> firms;
  SharedValue<FirmNetwork> b2b_cooperation;
  // The country-level view of the B2B layer, [agent x partner]: number of B2B cooperation ties
  // between the firms of the two countries, recomputed once per step at the end of the B2B phase
  // and read by the government effect b2b_ties (B2B -> G2G feedback) in the next step.
  SharedValue<TieMatrix> b2b_country_ties;
  // The share of the firms of two countries that have at least one B2B cooperation partner in the
  // other country, [agent x partner], symmetric, 0 on the diagonal; recomputed with b2b_country_ties and
  // read by the government effect b2b_ties. A share, not a count, so that it does not depend on how
  // many firms a scenario models.
  SharedValue<TieMatrix> b2b_networked_share;
  // B2B trade: directed firm-to-firm flows (US$ millions a year), and their sum per pair of countries,
  // [agent x partner], which is the firm part of the trade layer (trade = non-firm part + firm_trade).
  SharedValue<FirmFlows> b2b_trade;
  TieMatrix firm_trade;
  // The quarterly log growth the trade phase applied to each country pair this step (utility + shock);
  // the b2b_trade phase grows the pair's firm flows by it too.
  TieMatrix trade_log_growth;
  // Matchmaking pools of this quarter (business_forum, matchmaking events); cleared each quarter.
  std::vector<FirmMatchPool> match_pools;
  // Trilateral R&D programmes: the step (exclusive) until which the pair's firms are funded; 0: none.
  TieMatrix program_until;

  std::size_t agent_count() const { return leader.size(); }
  TieMatrix& layer(Layer l) { return ties[index_of(l)]; }
  const TieMatrix& layer(Layer l) const { return ties[index_of(l)]; }
  AgentValues& attribute(GovernmentAttributeId id) { return attributes[index_of(id)]; }
  const AgentValues& attribute(GovernmentAttributeId id) const { return attributes[index_of(id)]; }

  // Member by member, by value (the shared firm parts by their contents): compare's check that a
  // what-if is identical to its baseline before its first event, and the tests.
  bool operator==(const World&) const = default;
};

}  // namespace policysim
