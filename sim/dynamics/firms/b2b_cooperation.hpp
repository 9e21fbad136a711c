#pragma once
// The B2B cooperation phase: partner search by sampled candidates (O(firms x candidates) per
// step, never all pairs), then weight update and removal, then the new ties.
#include "sim/dynamics/firms/b2b_country_aggregates.hpp"  // step 4, and the measures of the layer
#include "sim/dynamics/step.hpp"

namespace policysim {

// Sequence (../shared/bench/DECLARATION.md, synchronous: all decisions read the start of the step):
// 1. formation: each active firm draws `candidates_per_step` partners uniformly among the other firms
//    (with replacement), `network_candidates` partners of partners and `event_candidates` from this
//    quarter's matchmaking pools; for an active candidate it has no tie with, a tie forms with probability
//    logistic(U_ij), U from [effects.b2b_cooperation]; a pair proposed twice forms one tie;
// 2. each existing tie: w <- (1 - a) w + a * complementarity_ij, removed if w < removal_threshold;
// 3. the new ties join with initial_weight;
// 4. World::b2b_country_ties = b2b_ties_by_country of the new network, and World::b2b_networked_share =
//    b2b_networked_share of it (read by the G2G effect b2b_ties), by set_b2b_country_aggregates, from
//    the counts followed through the step's changes (b2b_country_aggregates.hpp).
void update_b2b_cooperation(const PhaseContext& context, const World& start, World& next);

// Whether anything in a step of this scenario reads the B2B network's whole partner lists
// (FirmNetwork::neighbours): partners of partners as candidates, an effect that reads them
// (FirmEffectSpec::reads_partner_lists), the aggregates of more than 64 countries. When nothing
// does, the phase builds each step's network without them (a tenth of a large B2B run,
// docs/performance.md, fifteenth round); the ties, degrees and decisions are the same.
bool partner_lists_read(const Scenario& scenario, std::size_t agents);

struct FirmNetworkMetrics {
  std::size_t ties = 0;
  double mean_weight = 0.0;
  double mean_degree = 0.0;
};
FirmNetworkMetrics compute_firm_network_metrics(const World& world);

}  // namespace policysim
