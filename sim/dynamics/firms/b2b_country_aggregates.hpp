#pragma once
// The country-level view of the B2B cooperation layer: ties between the firms of each pair of
// countries, and the firms of a country with a partner in another (the JIIN measure, "companies
// networked", 000). Counted once from every tie, then followed from each step's changes: a step
// changes a few per cent of the ties, so a pass over all of them each step would cost more than
// the changes (issue 14, docs/performance.md "Fourth round").
#include <cstdint>
#include <span>

#include "sim/model/world.hpp"

namespace policysim {

// Sets World::b2b_country_ties and World::b2b_networked_share from the world's B2B network and firms.
// The B2B phase calls it at its end, so the recorded states (after a whole step) always hold the
// aggregates of their network, and the measures b2b_cooperation and b2b_networked_share read them
// from there. Code that builds a world by hand calls it too. From the counts followed by
// follow_b2b_changes when they are of this world's network and firms; else one pass over the ties.
void set_b2b_country_aggregates(World& world);

// Follows one step of the B2B phase in this thread's counts: the next network is `start`'s less
// `removed` plus `added` (ties packed a << 32 | b, a < b, each list sorted, as the B2B update
// hands them over), over start's firm table. Call it before
// the changes are consumed, then set_b2b_country_aggregates(next) once next holds the new network:
// it reads the counts followed (O(changes), not O(ties)). Does nothing when this thread's counts
// are not of start's network and firms (the first step, an acquisition, another run in between):
// set_b2b_country_aggregates then counts from scratch. With more than 64 countries, always from
// scratch (the per-firm counts would cost more memory than they save work).
void follow_b2b_changes(const World& start, std::span<const std::uint64_t> removed, std::span<const std::uint64_t> added);

// Whether the aggregates of `agents` countries are counted from scratch every step (more than 64
// countries): that count reads the network's partner lists, so the B2B phase keeps them
// (partner_lists_read). A count from scratch of a network without them builds them apart.
bool b2b_aggregates_counted_each_step(std::size_t agents);

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
