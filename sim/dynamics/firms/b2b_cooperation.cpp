#include "sim/dynamics/firms/b2b_cooperation.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <type_traits>

#include "sim/dynamics/firms/firm_effects.hpp"
#include "sim/dynamics/firms/pick_index.hpp"
#include "sim/model/in_place_blocks.hpp"
#include "sim/model/parallel_sort.hpp"
#include "sim/model/resize_for_overwrite.hpp"
#include "sim/model/thread_shares.hpp"

namespace policysim {
namespace {

std::uint64_t pack(std::uint32_t i, std::uint32_t j) {
  const auto low = std::min(i, j);
  const auto high = std::max(i, j);
  return (static_cast<std::uint64_t>(low) << 32) | high;
}

// A tie's weight after a step: it moves towards the pair's complementarity (complementarity(firms,
// a, b), the same expression). Arguments by value: nothing the update loop stores can alias them.
double moved_weight(double keep, double adjustment, double weight, double x_a, double x_b) {
  return keep * weight + adjustment * (x_a * (1.0 - x_b) + x_b * (1.0 - x_a));
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
// index before the step is read while the new one is written).
struct Recycled {
  std::optional<FirmNetwork::Buffers> spare;
  bool keep_spare = true;
  std::vector<FirmNetwork::Entry> index;
  std::vector<FirmRow> rows;
  // A thread's part of the update, for one block of ties at a time: the ties that end, the new
  // weights in order (threads: summed in block order), the block's new ties before they go to their place.
  Column<std::uint64_t> ended;
  Column<double> weights;
  FirmTies block;
};
thread_local Recycled recycled;

// The next network, from the start network's vectors after the step's changes (FirmNetwork's
// in-place constructor).
std::shared_ptr<const FirmNetwork> recycling_network(std::size_t firm_count, FirmNetwork::Buffers changed,
                                                     std::vector<std::uint64_t> removed, std::vector<std::uint64_t> added,
                                                     std::optional<double> weight_sum) {
  return std::shared_ptr<const FirmNetwork>(new FirmNetwork(firm_count, std::move(changed), recycled.index,
                                                            std::move(removed), std::move(added), weight_sum),
                                            [](const FirmNetwork* network) {
                                              // Whichever thread drops the last world keeps the buffers
                                              // (none from a network that was changed in place: it is empty).
                                              auto* owned = const_cast<FirmNetwork*>(network);
                                              if (recycled.keep_spare && !recycled.spare && owned->ties().a.capacity() > 0)
                                                recycled.spare = std::move(*owned).release();
                                              delete owned;
                                            });
}

}  // namespace

void update_b2b_cooperation(const PhaseContext& context, const World& start, World& next) {
  const FirmSettings& settings = context.scenario.firms;
  const FirmTable& firms = *start.firms;
  const auto firm_count = static_cast<std::uint32_t>(firms.count());
  if (!settings.enabled() || firm_count < 2) return;
  const B2bDynamics& dynamics = settings.cooperation;
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
  std::vector<FirmRow>& rows = recycled.rows;
  utility.fill_rows(rows);

  // 1. Formation. Candidates 0 .. c-1 are uniform over all firms, then network_candidates partners
  // of partners, then event_candidates from the matchmaking pools the firm takes part in. A source
  // with nothing to offer (no partner, no pool) gives no candidate. Every draw is keyed by (step,
  // firm, candidate), and the proposals are sorted and deduplicated below, so the order in which
  // the threads collect them does not matter: the ties are the same for any thread count.
  // Firms go in batches: the candidates of a whole batch are drawn first and their rows prefetched,
  // then utilities are computed, so the cache misses of random candidates (one row each among
  // 100,000 firms) overlap instead of stalling one after the other. The batches (and below, the
  // blocks of ties and the firms of the aggregates) are handed out dynamically: with a static split
  // each thread waited 10-15% of the run for the other (the cores of a shared machine do not run at
  // the same speed), and nothing written depends on which thread took what.
  constexpr std::uint32_t kBatch = 32;
  constexpr std::uint32_t kNoCandidate = ~std::uint32_t{0};
  std::vector<std::uint64_t> proposals;
#pragma omp parallel
  {
    std::vector<std::uint64_t> mine;
    std::vector<std::size_t> my_pools;
    const std::size_t slots = std::size_t{kBatch} * candidates;
    std::vector<std::uint32_t> picked(slots);
    // A batch's draws of one purpose are made together (RandomStreams::uniforms, eight at a time
    // with AVX2): their keys, the uniforms, and for formation the pair and its probability.
    std::vector<std::uint32_t> draw_population(slots), draw_key_of(slots), pair_firm(slots), pair_candidate(slots);
    std::vector<double> draws(slots), probability(slots);
    const long batches = static_cast<long>((firm_count + kBatch - 1) / kBatch);
#pragma omp for schedule(dynamic, 4) nowait
    for (long batch = 0; batch < batches; ++batch) {
      const auto first = static_cast<std::uint32_t>(batch) * kBatch;
      const std::uint32_t last = std::min(firm_count, first + kBatch);
      std::size_t uniform_draws = 0;
      for (std::uint32_t i = first; i < last; ++i)
        if (firms.is_active(i))
          for (std::uint32_t k = 0; k < uniform_candidates; ++k) {
            draw_population[uniform_draws] = firms.population_id[i];
            draw_key_of[uniform_draws++] = draw_key(firms, i, k);
          }
      context.random.uniforms(step, Purpose::FirmCandidate, draw_population.data(), draw_key_of.data(), draws.data(),
                              uniform_draws);
      const double* uniform_pick = draws.data();
      for (std::uint32_t i = first; i < last; ++i) {
        std::uint32_t* const chosen = picked.data() + std::size_t{i - first} * candidates;
        std::fill(chosen, chosen + candidates, kNoCandidate);
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
        for (std::uint32_t k = 0; k < candidates; ++k) {
          const std::uint32_t key = draw_key(firms, i, k);
          std::uint32_t j = kNoCandidate;
          if (k < uniform_candidates) {
            const double pick = *uniform_pick++;
            j = static_cast<std::uint32_t>(pick_index(pick, firm_count - 1));
            if (j >= i) ++j;  // uniform over the other firms
          } else if (k < network_end) {
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
          chosen[k] = j;
          if (j != kNoCandidate) __builtin_prefetch(&rows[j]);
        }
      }
      std::size_t formation_draws = 0;
      for (std::uint32_t i = first; i < last; ++i) {
        const std::uint32_t* const chosen = picked.data() + std::size_t{i - first} * candidates;
        for (std::uint32_t k = 0; k < candidates; ++k) {
          const std::uint32_t j = chosen[k];
          if (j == kNoCandidate || j == i || rows[j].active == 0 || network.linked(i, j)) continue;
          pair_firm[formation_draws] = i;
          pair_candidate[formation_draws] = j;
          draw_population[formation_draws] = firms.population_id[i];
          draw_key_of[formation_draws++] = draw_key(firms, i, k);
        }
      }
      // The batch's utilities term by term, then its probabilities.
      utility.evaluate(rows, pair_firm.data(), pair_candidate.data(), formation_draws, probability.data());
      // The logistic in two loops: the exps (library calls), then the divisions, two at a time
      // (divpd; `omp simd`, since -O2 vectorizes only loops without a remainder), where one loop
      // waited on a divsd after every call. Division is exact, lane by lane: the same doubles.
      double* const chance = probability.data();
      for (std::size_t d = 0; d < formation_draws; ++d) chance[d] = std::exp(-chance[d]);
#pragma omp simd
      for (std::size_t d = 0; d < formation_draws; ++d) chance[d] = 1.0 / (1.0 + chance[d]);
      context.random.uniforms(step, Purpose::FirmFormation, draw_population.data(), draw_key_of.data(), draws.data(),
                              formation_draws);
      for (std::size_t d = 0; d < formation_draws; ++d)
        if (draws[d] <= probability[d]) mine.push_back(pack(pair_firm[d], pair_candidate[d]));
    }
#pragma omp critical(b2b_proposals)
    proposals.insert(proposals.end(), mine.begin(), mine.end());
  }
  // A pair proposed twice (by both firms, or twice by one) forms one tie; none of them exists yet.
  parallel_sort(proposals);
  proposals.erase(std::unique(proposals.begin(), proposals.end()), proposals.end());

  // 2. Existing ties move towards their complementarity and weak ones end; 3. the new ties join, in
  // (a, b) order. Where the start network lies, when the phase's two worlds alone hold it (every
  // ordinary run): its vectors are taken and changed in place, so that a step never holds two
  // networks of millions of ties (docs/performance.md, ninth round); else a copy of it is changed.
  // The old ties are cut into blocks, each with the proposals that fall before the next block's
  // first tie. A first pass computes each old tie's new weight where it lies, lists the ties that
  // end and sums the new weights in order; from the counts of the blocks before it, each block's
  // place in the new list is known, and a second pass moves the survivors and the proposals there
  // (rewrite_in_place: block by block, none written over another before it has been read). Which
  // block holds a tie, and which thread a block, changes nothing in what is written.
  FirmNetwork::Buffers spare = recycled.spare ? std::move(*recycled.spare) : FirmNetwork::Buffers{};
  recycled.spare.reset();
  FirmNetwork* const sole = SharedValue<FirmNetwork>::held_only_by(start.b2b_cooperation, next.b2b_cooperation);
  // From here on the start network is not read: taken, it is empty.
  FirmNetwork::Buffers changing = sole != nullptr ? std::move(*sole).release() : network.copy_into(std::move(spare));
  spare = {};
  FirmTies& ties = changing.ties;
  const std::size_t old_count = ties.count();
  const double* const x = firms.innovation.data();  // 8 bytes a firm, cache-resident, rather than the rows
  const std::uint64_t* const proposed = proposals.data();
  const double keep = 1.0 - dynamics.weight_adjustment, adjustment = dynamics.weight_adjustment;
  const double threshold = dynamics.removal_threshold, initial = dynamics.initial_weight;
  constexpr std::size_t kBlock = 1u << 16;
  const bool threads = worth_threads(old_count, 2 * kBlock);
  // Block k: the old ties [k kBlock, (k + 1) kBlock) and the proposals [proposal_start[k],
  // proposal_start[k + 1]), those before the next block's first tie. At least one block, for the
  // proposals of an empty network.
  const std::size_t blocks = std::max<std::size_t>(1, (old_count + kBlock - 1) / kBlock);
  const auto key_of = [&](std::size_t e) { return (std::uint64_t{ties.a[e]} << 32) | ties.b[e]; };
  std::vector<std::size_t> proposal_start(blocks + 1, proposals.size());
  proposal_start[0] = 0;
  for (std::size_t block = 1; block < blocks; ++block)
    proposal_start[block] = static_cast<std::size_t>(
        std::lower_bound(proposals.begin(), proposals.end(), key_of(block * kBlock)) - proposals.begin());
  const auto old_first = [&](std::size_t block) { return std::min(old_count, block * kBlock); };

  // Pass 1 over block `block`: each old tie's new weight, written where it lies; the ties that end,
  // to `ended`; the new weights in their new order (the survivors' and the proposals' initial one)
  // either added to `sum` (one thread: the running sum, carried from block to block) or written to
  // `in_order` (threads: summed in block order after). The sum is returned, not added through a
  // reference: through one, GCC kept it on the stack, a store and a load on every tie's chain of
  // additions.
  struct Settled {
    std::size_t ended;
    double sum;
  };
  const auto settle_block = [&](std::size_t block, std::uint64_t* const ended, double* const in_order, double sum,
                                auto sums) __attribute__((noinline)) {
    // Local copies: read through the closures, every double below was reloaded after each store of
    // a weight (a double store may alias a captured double).
    const std::uint32_t *const from_a = ties.a.data(), *const from_b = ties.b.data();
    double* const weight = ties.weight.data();
    const double* const innovation = x;
    const double kept = keep, moved = adjustment, cut = threshold, start_weight = initial;
    const std::uint64_t* const proposal = proposed;
    std::size_t e = old_first(block), p = proposal_start[block];
    const std::size_t e_end = old_first(block + 1), p_end = proposal_start[block + 1];
    std::size_t ended_count = 0, out = 0;
    // x[b] is a random read (800 KB for 100,000 firms): fetched a few ties ahead.
    constexpr std::size_t kAhead = 16;
    // The old ties up to the next proposal, then the proposal: the inner loop compares each old
    // tie with one number. An old tie has a < b, so its key is a << 32 | b; a proposed pair is never
    // an old tie, so no key equals the limit, and after the last proposal the limit is above every key.
    for (;;) {
      const std::uint64_t limit = p < p_end ? proposal[p] : ~std::uint64_t{0};
      for (; e < e_end && ((std::uint64_t{from_a[e]} << 32) | from_b[e]) < limit; ++e) {
        if (e + kAhead < e_end) __builtin_prefetch(innovation + from_b[e + kAhead]);
        const double w = moved_weight(kept, moved, weight[e], innovation[from_a[e]], innovation[from_b[e]]);
        weight[e] = w;
        if (w >= cut) {
          if constexpr (decltype(sums)::value) sum += w;
          else in_order[out++] = w;
        } else {
          ended[ended_count++] = (std::uint64_t{from_a[e]} << 32) | from_b[e];
        }
      }
      if (p == p_end) break;
      if constexpr (decltype(sums)::value) sum += start_weight;
      else in_order[out++] = start_weight;
      ++p;
    }
    return Settled{ended_count, sum};
  };
  std::vector<std::uint64_t> removed;  // the ties that end this step, packed (a, b), in tie order
  std::vector<std::size_t> ended_before(blocks + 1, 0);  // ties ended in the blocks before block k
  // A block's ended ties join `removed` in block order.
  const auto append_ended = [&](std::size_t block, const Settled& settled) {
    removed.insert(removed.end(), recycled.ended.data(), recycled.ended.data() + settled.ended);
    ended_before[block + 1] = settled.ended;
  };
  double weight_sum = 0.0;
  const auto block_ties = [&](std::size_t block) { return old_first(block + 1) - old_first(block); };
  if (!threads) {
    resize_for_overwrite(recycled.ended, kBlock);
    for (std::size_t block = 0; block < blocks; ++block) {
      const Settled settled = settle_block(block, recycled.ended.data(), nullptr, weight_sum, std::true_type{});
      weight_sum = settled.sum;
      append_ended(block, settled);
    }
  } else {
    // Each thread settles a block, then, in block order (`ordered`: block k's turn comes when block
    // k - 1's is over), adds the block's new weights to the running sum and appends its ended ties.
    // The running sum is the one loop over the new weights, in order, so the same double (see
    // FirmNetwork::weight_sum).
#pragma omp parallel
    {
      resize_for_overwrite(recycled.ended, kBlock);
#pragma omp for schedule(dynamic, 1) ordered
      for (long b = 0; b < static_cast<long>(blocks); ++b) {
        const auto block = static_cast<std::size_t>(b);
        resize_for_overwrite(recycled.weights, block_ties(block) + (proposal_start[block + 1] - proposal_start[block]));
        const Settled settled =
            settle_block(block, recycled.ended.data(), recycled.weights.data(), 0.0, std::false_type{});
        const std::size_t count = block_ties(block) - settled.ended + (proposal_start[block + 1] - proposal_start[block]);
#pragma omp ordered
        {
          const double* const weights = recycled.weights.data();
          double sum = weight_sum;
          for (std::size_t k = 0; k < count; ++k) sum += weights[k];
          weight_sum = sum;
          append_ended(block, settled);
        }
      }
    }
  }
  for (std::size_t block = 0; block < blocks; ++block) ended_before[block + 1] += ended_before[block];

  // Pass 2: block k's survivors and proposals go to [destination[k], destination[k + 1]).
  const std::size_t new_count = old_count - removed.size() + proposals.size();
  std::vector<std::size_t> source(blocks + 1), destination(blocks + 1);
  for (std::size_t block = 0; block <= blocks; ++block) {
    source[block] = old_first(block);
    destination[block] = source[block] - ended_before[block] + proposal_start[block];
  }
  resize_keeping(ties.a, std::max(old_count, new_count));
  resize_keeping(ties.b, std::max(old_count, new_count));
  resize_keeping(ties.weight, std::max(old_count, new_count));
  std::uint32_t* const tie_a = ties.a.data();
  std::uint32_t* const tie_b = ties.b.data();
  double* const tie_weight = ties.weight.data();
  rewrite_in_place(
      source, destination, threads,
      [&](std::size_t block) {
        FirmTies& buffer = recycled.block;
        const std::size_t room = block_ties(block) + (proposal_start[block + 1] - proposal_start[block]);
        resize_for_overwrite(buffer.a, room);
        resize_for_overwrite(buffer.b, room);
        resize_for_overwrite(buffer.weight, room);
        std::uint32_t* const a = buffer.a.data();
        std::uint32_t* const b = buffer.b.data();
        double* const weight = buffer.weight.data();
        const std::uint32_t *const from_a = tie_a, *const from_b = tie_b;
        const double* const from_weight = tie_weight;
        const double cut = threshold, start_weight = initial;
        const std::uint64_t* const proposal = proposed;
        std::size_t e = source[block], p = proposal_start[block], out = 0;
        const std::size_t e_end = source[block + 1], p_end = proposal_start[block + 1];
        for (;;) {
          const std::uint64_t limit = p < p_end ? proposal[p] : ~std::uint64_t{0};
          for (; e < e_end && ((std::uint64_t{from_a[e]} << 32) | from_b[e]) < limit; ++e) {
            // Written always, kept when it survives: no branch on the data.
            a[out] = from_a[e];
            b[out] = from_b[e];
            weight[out] = from_weight[e];
            out += from_weight[e] >= cut ? 1 : 0;
          }
          if (p == p_end) break;
          a[out] = static_cast<std::uint32_t>(limit >> 32);
          b[out] = static_cast<std::uint32_t>(limit & 0xffffffffu);
          weight[out] = start_weight;
          ++out;
          ++p;
        }
      },
      [&](std::size_t block) {
        const FirmTies& buffer = recycled.block;
        const std::size_t count = destination[block + 1] - destination[block];
        // Plain stores: the destination lies over sources just read, often still in cache. The
        // streaming stores that suited a fresh list (the eighth round's copies) made the large
        // case 4% slower here, the medium 8% (docs/performance.md, ninth round).
        std::copy_n(buffer.a.data(), count, tie_a + destination[block]);
        std::copy_n(buffer.b.data(), count, tie_b + destination[block]);
        std::copy_n(buffer.weight.data(), count, tie_weight + destination[block]);
      });
  ties.a.resize(new_count);
  ties.b.resize(new_count);
  ties.weight.resize(new_count);
  // The country aggregates follow the changes before the merge below consumes them.
  follow_b2b_changes(start, removed, proposals);
  recycled.keep_spare = start.step + 1 < context.scenario.simulation.steps;
  next.b2b_cooperation =
      recycling_network(firm_count, std::move(changing), std::move(removed), std::move(proposals), weight_sum);
  set_b2b_country_aggregates(next);
}

FirmNetworkMetrics compute_firm_network_metrics(const World& world) {
  FirmNetworkMetrics metrics;
  const FirmTies& ties = world.b2b_cooperation->ties();
  metrics.ties = ties.count();
  metrics.mean_weight = ties.count() == 0 ? 0.0 : world.b2b_cooperation->weight_sum() / static_cast<double>(ties.count());
  const std::size_t firms = world.firms->count();
  metrics.mean_degree = firms == 0 ? 0.0 : 2.0 * static_cast<double>(ties.count()) / static_cast<double>(firms);
  return metrics;
}

}  // namespace policysim
