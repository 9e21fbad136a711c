#pragma once
// The B2B cooperation phase: partner search by sampled candidates (O(firms x candidates) per
// step, never all pairs), then weight update and removal, then the new ties.
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
//    b2b_networked_share of it (read by the G2G effect b2b_ties), by set_b2b_country_aggregates.
void update_b2b_cooperation(const PhaseContext& context, const World& start, World& next);

// Sets World::b2b_country_ties and World::b2b_networked_share from the world's B2B network and firms,
// in one pass over the ties. The B2B phase calls it at its end, so the recorded states (after a whole
// step) always hold the aggregates of their network, and the measures b2b_cooperation and
// b2b_networked_share read them from there. Code that builds a world by hand calls it too.
void set_b2b_country_aggregates(World& world);

struct FirmNetworkMetrics {
  std::size_t ties = 0;
  double mean_weight = 0.0;
  double mean_degree = 0.0;
};
FirmNetworkMetrics compute_firm_network_metrics(const World& world);

// Number of B2B cooperation ties between the firms of each pair of countries, [agent x partner],
// symmetric; the diagonal counts ties within a country. The country-level view of the firm layer.
TieMatrix b2b_ties_by_country(const World& world, std::size_t agents);

// (c, d): the number of active firms of country c with at least one B2B cooperation partner in country
// d (d != c), [agent x partner], not symmetric.
TieMatrix b2b_networked_firms(const World& world, std::size_t agents);

// For each pair of countries c != d: (firms of c with a partner in d + firms of d with a partner in c)
// / (active firms of c + active firms of d), [agent x partner], symmetric, 0 on the diagonal and for
// countries without firms. The JIIN measure: "companies networked".
TieMatrix b2b_networked_share(const World& world, std::size_t agents);

}  // namespace policysim
