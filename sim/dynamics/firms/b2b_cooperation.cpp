#include "sim/dynamics/firms/b2b_cooperation.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <type_traits>

#include "sim/dynamics/firms/firm_effects.hpp"
#include "sim/dynamics/firms/b2b_tie_update.hpp"
#include "sim/dynamics/firms/logistic_draws.hpp"
#include "sim/dynamics/firms/pick_index.hpp"
#include "sim/model/parallel_sort.hpp"

namespace policysim {
namespace {

std::uint64_t pack(std::uint32_t i, std::uint32_t j) {
  const auto low = std::min(i, j);
  const auto high = std::max(i, j);
  return (static_cast<std::uint64_t>(low) << 32) | high;
}

// The last counter word of a firm's draws: member index and candidate number (< 64).
std::uint32_t draw_key(const FirmTable& firms, std::uint32_t firm, std::uint32_t candidate) {
  return (firms.member[firm] << 6) | candidate;
}

// This quarter's matchmaking pools: the participating firms of each, in increasing order. An
// eligible firm (country and sector of the pool, active) takes part with chance firms / eligible
// (every eligible firm when the pool names no number), keyed by (step, FirmPoolJoin, population id
// mixed with the pool's key, member): no draw depends on the order of firms or of threads.
std::vector<std::vector<std::uint32_t>> pool_participants(const PhaseContext& context, const World& start) {
  const FirmTable& firms = *start.firms;
  const auto step = static_cast<std::uint32_t>(start.step);
  std::vector<std::vector<std::uint32_t>> pools;
  for (const FirmMatchPool& pool : start.match_pools) {
    std::vector<std::uint32_t> eligible;
    for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f)
      if (firms.is_active(f) && (pool.sectors >> static_cast<unsigned>(firms.sector[f]) & 1u) != 0 &&
          std::find(pool.countries.begin(), pool.countries.end(), firms.country[f]) != pool.countries.end())
        eligible.push_back(f);
    if (pool.firms == 0 || pool.firms >= eligible.size()) {
      pools.push_back(std::move(eligible));
      continue;
    }
    const double chance = static_cast<double>(pool.firms) / static_cast<double>(eligible.size());
    std::vector<std::uint32_t> taking_part;
    for (std::uint32_t f : eligible)
      if (context.random.uniform(step, Purpose::FirmPoolJoin, firms.population_id[f] ^ pool.key, firms.member[f]) <= chance)
        taking_part.push_back(f);
    pools.push_back(std::move(taking_part));
  }
  return pools;
}

// Memory the B2B phase reuses from step to step instead of allocating anew: with millions of ties,
// fresh pages cost more than the work (the kernel zeroes every page on first touch). Per thread,
// since a sweep runs one run per thread. The network itself is changed where it lies when the
// phase's worlds alone hold it (every ordinary run); `spare` holds the vectors of the last network
// let go (given back by the deleter below when its world is dropped), in which a copy of the start
// network is changed when something else holds it too (a world kept by a caller). None is kept
// after a run's last step: the spare would then only sit beside the final network while the file is
// written (the peak of a big run). `index`: the memory the next network's index is built in (the
// index before the step is read while the new one is written). `range`: the innovations' range of
// the firm table `range_of` (the tie update's bounds; the table never changes in place, so it holds
// until an acquisition or another run brings a new one).
struct Recycled {
  std::optional<FirmNetwork::Buffers> spare;
  bool keep_spare = true;
  FirmNetwork::Index index;
  FirmRows rows;
  std::weak_ptr<const FirmTable> range_of;
  InnovationRange range;
  std::size_t new_ties = 0;  // the last step's proposals: about where this step's update writes first
};
thread_local Recycled recycled;

// The next network, from the start network's vectors after the step's changes (FirmNetwork's
// in-place constructor).
std::shared_ptr<const FirmNetwork> recycling_network(std::size_t firm_count, FirmNetwork::Buffers changed,
                                                     std::vector<std::uint64_t> removed, std::vector<std::uint64_t> added,
                                                     std::optional<double> weight_sum, FirmNetwork::PartnerLists lists) {
  return std::shared_ptr<const FirmNetwork>(new FirmNetwork(firm_count, std::move(changed), recycled.index,
                                                            std::move(removed), std::move(added), weight_sum, lists),
                                            [](const FirmNetwork* network) {
                                              // Whichever thread drops the last world keeps the buffers
                                              // (none from a network that was changed in place: it is empty).
                                              auto* owned = const_cast<FirmNetwork*>(network);
                                              if (recycled.keep_spare && !recycled.spare && owned->ties_as_laid().a.capacity() > 0)
                                                recycled.spare = std::move(*owned).release();
                                              delete owned;
                                            });
}

// A candidate's row asked for ahead of its utility, into the second-level cache (prefetcht1), not
// the first: a batch asks for up to 160 rows at random one after the other, and into the first
// level they waited for its few miss buffers. At 1 million firms (32 MB of rows, more than the L3
// of the machine measured) formation took 11.0 -> 8.2 s on an AMD EPYC (1 MiB L2 a core, 32 MiB L3),
// the large case 0.69 - 0.71 -> 0.68 - 0.69 s (docs/performance.md, twenty-sixth round).
inline void prefetch_row(const FirmRow* row) { __builtin_prefetch(row, 0, 1); }

// Removes from `sorted` the elements of `dropped` (both sorted, `dropped` a subset), in place.
void drop_sorted(std::vector<std::uint64_t>& sorted, const std::vector<std::uint64_t>& dropped) {
  if (dropped.empty()) return;
  std::size_t kept = 0, next = 0;
  for (const std::uint64_t key : sorted) {
    if (next < dropped.size() && dropped[next] == key) {
      ++next;
      continue;
    }
    sorted[kept++] = key;
  }
  sorted.resize(kept);
}

}  // namespace

bool partner_lists_read(const Scenario& scenario, std::size_t agents) {
  if (scenario.firms.cooperation.network_candidates > 0) return true;
  for (const FirmEffectTerm& term : scenario.firms.cooperation_effects)
    if (spec_of(term).reads_partner_lists) return true;
  return b2b_aggregates_counted_each_step(agents);
}

void update_b2b_cooperation(const PhaseContext& context, const World& start, World& next) {
  const FirmSettings& settings = context.scenario.firms;
  const FirmTable& firms = *start.firms;
  const auto firm_count = static_cast<std::uint32_t>(firms.count());
  if (!settings.enabled() || firm_count < 2) return;
  const B2bDynamics& dynamics = settings.cooperation;
  // `policysim run --timings`: the phase's parts (nothing in an ordinary run).
  PhaseTimings::Laps laps(context.timings, "b2b_cooperation");
  const std::uint32_t uniform_candidates = dynamics.candidates_per_step;
  const std::uint32_t network_end = uniform_candidates + dynamics.network_candidates;
  const std::uint32_t candidates = dynamics.total_candidates();
  const auto step = static_cast<std::uint32_t>(start.step);
  const FirmNetwork& network = *start.b2b_cooperation;
  const auto pools = dynamics.event_candidates > 0 ? pool_participants(context, start)
                                                   : std::vector<std::vector<std::uint32_t>>{};
  // The matchmaking effect reads the screened pools only (matchmaking events, not business forums).
  std::vector<std::vector<std::uint32_t>> screened_pools;
  for (std::size_t p = 0; p < pools.size(); ++p)
    if (start.match_pools[p].screened) screened_pools.push_back(pools[p]);
  const FirmEffectContext effects{context.scenario, start, &screened_pools};
  // The effects resolved once for the step, and what they read about each firm packed in a row.
  const FirmUtility utility(effects, settings.cooperation_effects);
  FirmRows& rows = recycled.rows;
  utility.fill_rows(rows);
  laps.lap("firm rows, pools");

  // 1. Formation. Candidates 0 .. c-1 are uniform over all firms, then network_candidates partners
  // of partners, then event_candidates from the matchmaking pools the firm takes part in. A source
  // with nothing to offer (no partner, no pool) gives no candidate. Every draw is keyed by (step,
  // firm, candidate), and the proposals are sorted and deduplicated below, so the order in which
  // the threads collect them does not matter: the ties are the same for any thread count.
  // Firms go in batches: the candidates of a whole batch are drawn first and their rows prefetched,
  // then utilities are computed, so the cache misses of random candidates (one row each among
  // 100,000 firms) overlap instead of stalling one after the other. The batches are handed out in
  // shrinking chunks (guided): the first ones large, so that each thread's firms are mostly
  // consecutive (in chunks of four batches, the two threads' alternating runs of firms made each
  // thread's batches 3% slower: docs/performance.md, twenty-third round), the last ones small, so
  // that neither thread waits for the other (with a static split each waited 10-15% of the run: the
  // cores of a shared machine do not run at the same speed). Nothing written depends on which
  // thread took what.
  constexpr std::uint32_t kBatch = 32;
  constexpr std::uint32_t kNoCandidate = ~std::uint32_t{0};
  std::vector<std::uint64_t> proposals;
  proposals.reserve(recycled.new_ties + recycled.new_ties / 4);  // about the last step's number: one allocation
  // memchr rather than std::find: GCC's find over bytes goes about a byte a cycle, 2 ms of the large
  // benchmark's run on one thread, serial on any number (docs/performance.md, twenty-eighth round).
  const bool every_firm_active =
      firms.active.empty() || std::memchr(firms.active.data(), 0, firms.active.size()) == nullptr;
  // The pages the update will write first (before the list's front: about as many new ties as the
  // last step's), each 2 MiB piece of them mapped by one thread at the start of formation while the
  // others start on the batches (TieColumn::room_in_front_pieces: one thread mapping the three
  // columns' pieces held the other up when a step needed several fresh pages).
  // Where the update writes two runs (two threads), about half of them before the list and half
  // after it (b2b_tie_update.cpp, update_in_two_runs).
  std::vector<WholePages> room_pieces;
  const FirmTies& laid = network.ties_as_laid();
  const bool two_runs = updates_in_two_runs(laid.count());
  const std::size_t in_front = two_runs ? recycled.new_ties * 5 / 8 : recycled.new_ties;
  laid.a.room_in_front_pieces(in_front, room_pieces);
  laid.b.room_in_front_pieces(in_front, room_pieces);
  laid.weight.room_in_front_pieces(in_front, room_pieces);
  if (two_runs) {
    laid.a.room_behind_pieces(in_front, room_pieces);
    laid.b.room_behind_pieces(in_front, room_pieces);
    laid.weight.room_behind_pieces(in_front, room_pieces);
  }
  const auto room_piece_count = static_cast<long>(room_pieces.size());
#pragma omp parallel
  {
#pragma omp for schedule(dynamic, 1) nowait
    for (long piece = 0; piece < room_piece_count; ++piece)
      map_for_writing(room_pieces[static_cast<std::size_t>(piece)]);
    // A thread's proposals, in a vector kept from step to step (grown anew each step, its copies and
    // allocations were about 0.3% of the large benchmark's samples on two threads).
    thread_local std::vector<std::uint64_t> mine;
    mine.clear();
    std::vector<std::size_t> my_pools;
    const std::size_t slots = std::size_t{kBatch} * candidates;
    // A batch's draws of one purpose are made together (RandomStreams::uniforms, eight or sixteen at a time
    // with AVX2 or AVX-512): their keys, the uniforms, and for formation the pair, its utility and
    // the draws that succeed.
    std::vector<std::uint32_t> draw_population(slots), draw_key_of(slots), pair_firm(slots), pair_candidate(slots);
    std::vector<std::uint32_t> accepted(slots);
    std::vector<double> draws(slots), utilities(slots), scratch(slots);
    const long batches = static_cast<long>((firm_count + kBatch - 1) / kBatch);
#pragma omp for schedule(guided, 4) nowait
    for (long batch = 0; batch < batches; ++batch) {
      const auto first = static_cast<std::uint32_t>(batch) * kBatch;
      const std::uint32_t last = std::min(firm_count, first + kBatch);
      // Each firm's population and member key read once, into locals: the stores below are 32-bit
      // words like the firm table's columns, so GCC reloaded both after every store (it cannot
      // tell the arrays apart).
      std::uint32_t* const populations = draw_population.data();
      std::uint32_t* const keys = draw_key_of.data();
      std::uint32_t* const firm_of_pair = pair_firm.data();
      std::uint32_t* const candidate_of_pair = pair_candidate.data();
      std::size_t uniform_draws = 0;
      for (std::uint32_t i = first; i < last; ++i)
        if (firms.is_active(i)) {
          const std::uint32_t population = firms.population_id[i], first_key = draw_key(firms, i, 0);
          for (std::uint32_t k = 0; k < uniform_candidates; ++k) {
            populations[uniform_draws] = population;
            keys[uniform_draws++] = first_key | k;
          }
        }
      context.random.uniforms(step, Purpose::FirmCandidate, populations, keys, draws.data(), uniform_draws);
      // The uniform candidates, in a loop of their own: the common case (the benchmark's only
      // source). Each draw makes its pair at once, and the pair's formation draw has the same key
      // as its candidate draw, so the keys stay where they are; a candidate that no longer exists
      // (bought) is written and not kept, without a branch (eighteenth round: a second loop over the
      // candidates to make the pairs was 5% of the large benchmark).
      // While no firm has been bought (every_firm_active, checked once a step), every candidate is
      // kept and the keys need no moving: no random read of the firm table and no copies per
      // candidate (the large benchmark about 4% faster).
      std::size_t formation_draws = 0;
      const auto make_uniform_pairs = [&](auto all_active) {
        std::size_t d = 0;
        for (std::uint32_t i = first; i < last; ++i) {
          if (!all_active && !firms.is_active(i)) continue;
          for (std::uint32_t k = 0; k < uniform_candidates; ++k, ++d) {
            auto j = static_cast<std::uint32_t>(pick_index(draws[d], firm_count - 1));
            // Uniform over the other firms. Without a branch: j >= i is a coin toss, and GCC made an
            // `if` a branch, mispredicted about every other candidate (fifteenth round).
            j += static_cast<std::uint32_t>(j >= i);
            prefetch_row(&rows[j]);
            firm_of_pair[formation_draws] = i;
            candidate_of_pair[formation_draws] = j;
            if constexpr (decltype(all_active)::value) {
              ++formation_draws;
            } else {
              populations[formation_draws] = populations[d];  // formation_draws <= d: read first
              keys[formation_draws] = keys[d];
              formation_draws += firms.is_active(j) ? 1 : 0;
            }
          }
        }
      };
      if (every_firm_active)
        make_uniform_pairs(std::true_type{});
      else
        make_uniform_pairs(std::false_type{});
      // Then the network and event candidates, pairs after the uniform ones (the order of the pairs
      // changes no draw: each is keyed by its firm and candidate number). Whether i and j are
      // already partners is asked below, of the pairs whose draw succeeds.
      for (std::uint32_t i = first; uniform_candidates < candidates && i < last; ++i) {
        if (!firms.is_active(i)) continue;
        // The pools firm i takes part in, as (pool, size) in pool order.
        std::size_t pool_entries = 0;
        my_pools.clear();
        for (std::size_t p = 0; p < pools.size(); ++p)
          if (std::binary_search(pools[p].begin(), pools[p].end(), i)) {
            my_pools.push_back(p);
            pool_entries += pools[p].size();
          }
        const std::uint32_t population = firms.population_id[i];
        for (std::uint32_t k = uniform_candidates; k < candidates; ++k) {
          const std::uint32_t key = draw_key(firms, i, k);
          std::uint32_t j = kNoCandidate;  // a source with nothing to offer gives none
          if (k < network_end) {
            const auto partners = network.neighbours(i);
            if (partners.empty()) continue;
            const double first_pick = context.random.uniform(step, Purpose::FirmNetworkCandidate, population, key);
            const std::uint32_t partner = partners[pick_index(first_pick, partners.size())];
            const auto second_partners = network.neighbours(partner);  // never empty: i is one of them
            const double second = context.random.uniform(step, Purpose::FirmNetworkCandidateNext, population, key);
            j = second_partners[pick_index(second, second_partners.size())];
          } else {
            if (pool_entries == 0) continue;
            const double pick = context.random.uniform(step, Purpose::FirmEventCandidate, population, key);
            std::size_t slot = pick_index(pick, pool_entries);
            for (std::size_t p : my_pools) {
              if (slot < pools[p].size()) { j = pools[p][slot]; break; }
              slot -= pools[p].size();
            }
          }
          if (j == kNoCandidate || j == i || !firms.is_active(j)) continue;
          prefetch_row(&rows[j]);
          firm_of_pair[formation_draws] = i;
          candidate_of_pair[formation_draws] = j;
          populations[formation_draws] = population;
          keys[formation_draws++] = key;
        }
      }
      // The batch's draws, its utilities term by term, and which draws fall within their logistic
      // probabilities (logistic_draws.hpp: the decisions of 1 / (1 + exp(-u)), mostly settled
      // without the exp). The draws first: the candidates' rows asked for above arrive meanwhile,
      // where with the utilities first their misses were waited for with nothing else to do (at 1
      // million firms, 32 MB of rows, formation 3.8 - 4.2 -> 3.6 - 3.8 s; the pairs made a whole
      // batch ahead of their utilities did no better there and cost the large case 9%:
      // docs/performance.md, thirty-second round).
      context.random.uniforms(step, Purpose::FirmFormation, populations, keys, draws.data(), formation_draws);
      utility.evaluate(rows, pair_firm.data(), pair_candidate.data(), formation_draws, utilities.data());
      const std::size_t successes =
          accepted_draws(utilities.data(), draws.data(), formation_draws, scratch.data(), accepted.data());
      // A pair already linked forms nothing: not asked here, the tie update drops it (it compares each
      // old tie with the next proposal anyway; b2b_tie_update.hpp). Every draw is keyed by (step,
      // firm, candidate), never by the order of the draws, so drawing for a linked pair too changes
      // no other draw. (Asked of the network, each pair's look-up was two cache misses in a row,
      // overlapped two batches ahead: 10 - 20% of formation; docs/performance.md, twenty-sixth round.)
      for (std::size_t s = 0; s < successes; ++s)
        mine.push_back(pack(pair_firm[accepted[s]], pair_candidate[accepted[s]]));
    }
#pragma omp critical(b2b_proposals)
    proposals.insert(proposals.end(), mine.begin(), mine.end());
  }
  // A pair proposed twice (by both firms, or twice by one) forms one tie.
  laps.lap("formation");
  parallel_sort(proposals);
  proposals.erase(std::unique(proposals.begin(), proposals.end()), proposals.end());
  recycled.new_ties = proposals.size();
  laps.lap("proposals sorted");

  // 2. Existing ties move towards their complementarity and weak ones end; 3. the new ties join, in
  // (a, b) order (b2b_tie_update.hpp). Where the start network lies, when the phase's two worlds
  // alone hold it (every ordinary run): its vectors are taken and changed in place, so that a step
  // never holds two networks of millions of ties (docs/performance.md, ninth round); else a copy of
  // it is changed.
  FirmNetwork* const sole = SharedValue<FirmNetwork>::held_only_by(start.b2b_cooperation, next.b2b_cooperation);
  // From here on the start network is not read: taken, it is empty. A spare network's memory serves
  // only a copy; in place it is let go (one network alive in the step).
  FirmNetwork::Buffers changing =
      sole != nullptr ? std::move(*sole).release()
                      : network.copy_into(recycled.spare ? std::move(*recycled.spare) : FirmNetwork::Buffers{});
  recycled.spare.reset();
  if (!start.firms.is(recycled.range_of)) {
    recycled.range = innovation_range(firms.innovation);
    recycled.range_of = start.firms.pointer();
  }
  TieUpdate update =
      update_ties_in_place(changing.ties, proposals, firms.innovation, dynamics, recycled.range, changing.index);
  // The proposals that were ties already formed nothing: the added ties are the others.
  drop_sorted(proposals, update.already_ties);
  laps.lap("tie update");
  // The country aggregates follow the changes before the merge below consumes them.
  follow_b2b_changes(start, update.removed, proposals);
  laps.lap("country aggregates");
  recycled.keep_spare = start.step + 1 < context.scenario.simulation.steps;
  const auto lists = partner_lists_read(context.scenario, start.agent_count()) ? FirmNetwork::PartnerLists::Kept
                                                                               : FirmNetwork::PartnerLists::Omitted;
  next.b2b_cooperation = recycling_network(firm_count, std::move(changing), std::move(update.removed),
                                           std::move(proposals), update.weight_sum, lists);
  laps.lap("network index");
  set_b2b_country_aggregates(next);
  laps.lap("country aggregates");
}

FirmNetworkMetrics compute_firm_network_metrics(const World& world) {
  FirmNetworkMetrics metrics;
  const std::size_t ties = world.b2b_cooperation->tie_count();
  metrics.ties = ties;
  metrics.mean_weight = ties == 0 ? 0.0 : world.b2b_cooperation->weight_sum() / static_cast<double>(ties);
  const std::size_t firms = world.firms->count();
  metrics.mean_degree = firms == 0 ? 0.0 : 2.0 * static_cast<double>(ties) / static_cast<double>(firms);
  return metrics;
}

}  // namespace policysim
