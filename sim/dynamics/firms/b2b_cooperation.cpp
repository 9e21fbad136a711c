#include "sim/dynamics/firms/b2b_cooperation.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <optional>
#include <type_traits>

#include "sim/dynamics/firms/firm_effects.hpp"
#include "sim/dynamics/firms/pick_index.hpp"
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
// since a sweep runs one run per thread: the buffers of the last network that was let go (the start
// of the previous step, given back by the deleter below when its world is dropped), and the phase's
// scratch vectors. At most one spare network is kept, and none after a run's last step: the spare
// would then only sit beside the final network while the file is written (the peak of a big run).
struct Recycled {
  std::optional<FirmNetwork::Buffers> spare;
  bool keep_spare = true;
  std::vector<FirmRow> rows;
};
thread_local Recycled recycled;

// The next network, its index merged from the start network's and the step's changes.
std::shared_ptr<const FirmNetwork> recycling_network(std::size_t firm_count, FirmTies ties, FirmNetwork::Buffers spare,
                                                     const FirmNetwork& before, std::vector<std::uint64_t> removed,
                                                     std::vector<std::uint64_t> added, std::optional<double> weight_sum) {
  return std::shared_ptr<const FirmNetwork>(new FirmNetwork(firm_count, std::move(ties), std::move(spare), before,
                                                            std::move(removed), std::move(added), weight_sum),
                                            [](const FirmNetwork* network) {
                                              // Whichever thread drops the last world keeps the buffers.
                                              auto* owned = const_cast<FirmNetwork*>(network);
                                              if (recycled.keep_spare && !recycled.spare)
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

  // 2. Existing ties move towards their complementarity and weak ones end; 3. the new ties join,
  // in (a, b) order. With threads, the old ties are cut into blocks, each with the proposals that
  // fall before its successor's first tie; a first pass counts each block's output, a second
  // writes it at its offset. Which block holds a tie changes nothing in what is written. With one
  // thread, one pass writes everything in order (nothing to count).
  const FirmTies& old = network.ties();
  const std::size_t old_count = old.count();
  // Raw columns: the loops below store through pointers, and with the vectors' members the
  // compiler reloaded every column's address after each store.
  const std::uint32_t* const old_a = old.a.data();
  const std::uint32_t* const old_b = old.b.data();
  const double* const old_weight = old.weight.data();
  const double* const x = firms.innovation.data();  // 8 bytes a firm, cache-resident, rather than the rows
  const std::uint64_t* const proposed = proposals.data();
  const double keep = 1.0 - dynamics.weight_adjustment, adjustment = dynamics.weight_adjustment;
  const double threshold = dynamics.removal_threshold, initial = dynamics.initial_weight;
  FirmNetwork::Buffers spare = recycled.spare ? std::move(*recycled.spare) : FirmNetwork::Buffers{};
  recycled.spare.reset();
  FirmTies merged = std::move(spare.ties);  // resized, not cleared: every element is written below
  // Writes old ties [e, e_end) updated, the survivors merged with proposals [p, p_end), from `out`
  // on; hands each ended tie to end_tie. Returns the end of what it wrote and, with `sums` true, the
  // sum of the weights it wrote, in order (the one-pass path; the blocks of the threaded path are
  // summed in order apart). The sum is returned, not added through a reference: through one, GCC
  // kept it on the stack, a store and a load on every tie's chain of additions.
  struct Written {
    std::size_t end;
    double weight_sum;
  };
  const auto write_block = [&](std::size_t e, std::size_t e_end, std::size_t p, std::size_t p_end, std::size_t out,
                               auto sums, auto&& end_tie) __attribute__((noinline)) {
    std::uint32_t* const a = merged.a.data();
    std::uint32_t* const b = merged.b.data();
    double* const weight = merged.weight.data();
    // Local copies: read through the closures, every double below was reloaded after each store of
    // a weight (a double store may alias a captured double).
    const std::uint32_t *const from_a = old_a, *const from_b = old_b;
    const double *const from_weight = old_weight, *const innovation = x;
    const double kept = keep, moved = adjustment, cut = threshold, start_weight = initial;
    const std::uint64_t* const proposal = proposed;
    double sum = 0.0;
    // x[b] is a random read (800 KB for 100,000 firms): fetched a few ties ahead.
    constexpr std::size_t kAhead = 16;
    // The old ties up to the next proposal, then the proposal: the inner loop compares each old
    // tie with one number, and keeps fewer values alive than a loop that chose between the two
    // lists at every tie (whose spills to the stack were half its loads). An old tie has a < b, so
    // its key is a << 32 | b; a proposed pair is never an old tie, so no key equals the limit, and
    // after the last proposal the limit is above every key.
    for (;;) {
      const std::uint64_t limit = p < p_end ? proposal[p] : ~std::uint64_t{0};
      for (; e < e_end && ((std::uint64_t{from_a[e]} << 32) | from_b[e]) < limit; ++e) {
        if (e + kAhead < e_end) __builtin_prefetch(innovation + from_b[e + kAhead]);
        const double w = moved_weight(kept, moved, from_weight[e], innovation[from_a[e]], innovation[from_b[e]]);
        if (w >= cut) {
          a[out] = from_a[e];
          b[out] = from_b[e];
          weight[out] = w;
          if constexpr (decltype(sums)::value) sum += w;
          ++out;
        } else {
          end_tie((std::uint64_t{from_a[e]} << 32) | from_b[e]);
        }
      }
      if (p == p_end) break;
      a[out] = static_cast<std::uint32_t>(limit >> 32);
      b[out] = static_cast<std::uint32_t>(limit & 0xffffffffu);
      weight[out] = start_weight;
      if constexpr (decltype(sums)::value) sum += start_weight;
      ++out;
      ++p;
    }
    return Written{out, sum};
  };
  std::vector<std::uint64_t> removed;  // the ties that end this step, packed (a, b)
  std::optional<double> weight_sum;    // the new weights summed in order, when one pass wrote them
  constexpr std::size_t kBlock = 1u << 16;
  if (!worth_threads(old_count, 2 * kBlock)) {
    const std::size_t most = old_count + proposals.size();
    resize_for_overwrite(merged.a, most);
    resize_for_overwrite(merged.b, most);
    resize_for_overwrite(merged.weight, most);
    // The ended ties go to the tail of the new columns, from the end backwards, rather than to a
    // vector: a push_back in the loop is a call, around which the compiler kept the running sum and
    // every constant on the stack (a third of the loop's loads). Each old tie and each proposal
    // takes one place, written from the front or from the back, so the two never meet.
    std::uint32_t* const tail_a = merged.a.data();
    std::uint32_t* const tail_b = merged.b.data();
    std::size_t tail = most;
    const auto [written, sum] = write_block(0, old_count, 0, proposals.size(), 0, std::true_type{},
                                            [&](std::uint64_t tie) {
                                              --tail;
                                              tail_a[tail] = static_cast<std::uint32_t>(tie >> 32);
                                              tail_b[tail] = static_cast<std::uint32_t>(tie & 0xffffffffu);
                                            });
    weight_sum = sum;
    removed.resize(most - tail);  // in the order they ended: the first at the very end
    for (std::size_t r = 0; r < removed.size(); ++r) removed[r] = pack(tail_a[most - 1 - r], tail_b[most - 1 - r]);
    merged.a.resize(written);
    merged.b.resize(written);
    merged.weight.resize(written);
  } else {
    const std::size_t blocks = std::max<std::size_t>(1, (old_count + kBlock - 1) / kBlock);
    // written: each block's output (survivors and new ties); ended: its ties removed, recorded for
    // the index of the next network.
    std::vector<std::size_t> proposal_start(blocks + 1, proposals.size()), written(blocks + 1, 0), ended(blocks + 1, 0);
    proposal_start[0] = 0;
    for (std::size_t block = 1; block < blocks; ++block) {
      const std::size_t e = block * kBlock;
      proposal_start[block] = static_cast<std::size_t>(
          std::lower_bound(proposals.begin(), proposals.end(), pack(old_a[e], old_b[e])) - proposals.begin());
    }
    // Counting needs no complementarity (no random read of x_b) for a tie whose kept share alone
    // reaches the threshold: the complementarity is >= 0 with every innovation in [0, 1] and a
    // weight_adjustment >= 0, and adding a term >= 0 never rounds the sum below the other term
    // (rounding is monotone, with or without a fused multiply-add). The same survivors, so the same ties.
    const bool kept_share_bounds = adjustment >= 0.0 && keep >= 0.0 &&
                                   std::all_of(firms.innovation.begin(), firms.innovation.end(),
                                               [](double v) { return v >= 0.0 && v <= 1.0; });
    // The new weight is computed again by the write pass rather than kept (8 bytes a tie fewer at
    // the peak).
    const auto survives = [&](std::size_t e) {
      return (kept_share_bounds && keep * old_weight[e] >= threshold) ||
             moved_weight(keep, adjustment, old_weight[e], x[old_a[e]], x[old_b[e]]) >= threshold;
    };
#pragma omp parallel for schedule(dynamic, 1)
    for (long b = 0; b < static_cast<long>(blocks); ++b) {
      const auto block = static_cast<std::size_t>(b);
      const std::size_t end = std::min(old_count, (block + 1) * kBlock);
      std::size_t survivors = 0;
      for (std::size_t e = block * kBlock; e < end; ++e) survivors += survives(e) ? 1 : 0;
      written[block + 1] = survivors + (proposal_start[block + 1] - proposal_start[block]);
      ended[block + 1] = (end - std::min(end, block * kBlock)) - survivors;
    }
    for (std::size_t block = 0; block < blocks; ++block) {
      written[block + 1] += written[block];
      ended[block + 1] += ended[block];
    }
    removed.resize(ended[blocks]);
    resize_for_overwrite(merged.a, written[blocks]);
    resize_for_overwrite(merged.b, written[blocks]);
    resize_for_overwrite(merged.weight, written[blocks]);
    // The in-order weight sum (see FirmNetwork::weight_sum), made while the blocks are written
    // rather than after them: it is one long chain of additions, a tenth of the large case's time
    // with 2 threads when it ran alone. A finished block is marked done; the thread that then takes
    // the summing role adds, in order, every done block that comes next, while the others write.
    // The same additions in the same order as one loop over the weights, so the same double.
    const double* const weights = merged.weight.data();
    std::vector<std::atomic<bool>> done(blocks);
    for (auto& flag : done) flag.store(false, std::memory_order_relaxed);
    std::atomic_flag summing = ATOMIC_FLAG_INIT;
    std::size_t summed = 0;  // blocks added so far, and their sum: touched only while holding `summing`
    double in_order = 0.0;
    const auto add_done_blocks = [&] {
      if (summing.test_and_set(std::memory_order_acquire)) return;  // another thread is adding
      while (summed < blocks && done[summed].load(std::memory_order_acquire)) {
        for (std::size_t k = written[summed]; k < written[summed + 1]; ++k) in_order += weights[k];
        ++summed;
      }
      summing.clear(std::memory_order_release);
    };
#pragma omp parallel for schedule(dynamic, 1)
    for (long b = 0; b < static_cast<long>(blocks); ++b) {
      const auto block = static_cast<std::size_t>(b);
      std::uint64_t* gone = removed.data() + ended[block];
      write_block(block * kBlock, std::min(old_count, (block + 1) * kBlock), proposal_start[block],
                  proposal_start[block + 1], written[block], std::false_type{},
                  [&](std::uint64_t tie) { *gone++ = tie; });
      done[block].store(true, std::memory_order_release);
      add_done_blocks();
    }
    add_done_blocks();  // every block is done now: whatever is left
    weight_sum = in_order;
  }
  // The country aggregates follow the changes before the merge below consumes them.
  follow_b2b_changes(start, removed, proposals);
  recycled.keep_spare = start.step + 1 < context.scenario.simulation.steps;
  next.b2b_cooperation = recycling_network(firm_count, std::move(merged), std::move(spare), network, std::move(removed),
                                           std::move(proposals), weight_sum);
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
