#include "sim/dynamics/firms/b2b_tie_update.hpp"

#include <algorithm>
#include <cstring>
#include <atomic>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <stdexcept>
#include <type_traits>
#include <thread>
#include <utility>

#include <omp.h>

#include "sim/model/in_order_sum.hpp"
#include "sim/model/resize_for_overwrite.hpp"
#include "sim/model/thread_shares.hpp"

namespace policysim {
namespace {

// A thread's buffers, reused from step to step (fresh pages cost more than the work): the ties that
// end in a block, and a thread's first blocks before they go to their place.
struct BlockBuffers {
  Column<std::uint64_t> ended;
  Column<std::uint64_t> already;  // the proposals in a block that are ties already
  FirmTies run;  // a thread's first blocks, when they would land on another thread's old ties
  std::vector<FirmTies> stolen;  // the blocks a thread took from another's run, one each
};
// Buffers of stolen blocks a thread keeps from update to update (fresh pages cost more than the
// work; one or two blocks are taken in a usual update).
constexpr std::size_t kKeptSlots = 4;
thread_local BlockBuffers buffers;

// This thread's room for a block's proposals that are ties already, at most all `proposals` of them.
std::uint64_t* already_room(std::size_t proposals) {
  resize_for_overwrite(buffers.already, proposals);
  return buffers.already.data();
}

// Which side counts the blocks before the other threads' runs: left to the threads' timing, or
// forced by a test (force_counting_schedule).
std::atomic<CountingSchedule> forced_schedule{CountingSchedule::Timing};
// How many blocks of its own run a thread writes at most before it steals (a test's limit,
// force_owned_blocks; none by default).
constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();
std::atomic<std::size_t> owned_limit{kNoLimit};
// Which thread of the two-run update goes first (a test's, force_two_runs_order; timing by default).
std::atomic<TwoRunsOrder> forced_order{TwoRunsOrder::Timing};

// A column's elements copied to a new block by the run's threads (from outside any parallel region),
// each a share, so that the copy and the first touch of the new block's pages (its page faults)
// divide; one thread did them, about 0.02 s of the large benchmark whatever the threads
// (docs/performance.md, eighteenth round). make_room_in_front (tie_column.hpp) and make_room_around
// copy with it where the column must move.
template <typename T>
void copy_on_threads(const T* from, std::size_t size, T* to) {
  const auto count = static_cast<long>(size);
  constexpr long kShare = 1L << 16;
#pragma omp parallel for schedule(static)
  for (long first = 0; first < count; first += kShare)
    std::copy(from + first, from + std::min(count, first + kShare), to + first);
}
template <typename T>
void make_room_in_front_on_threads(TieColumn<T>& column, std::size_t room) {
  column.make_room_in_front(room, copy_on_threads<T>);
}

// Applies `resize` to each of a tie list's three columns.
template <typename Resize>
void resize_columns(FirmTies& ties, Resize&& resize) {
  resize(ties.a);
  resize(ties.b);
  resize(ties.weight);
}

// A tie list's three columns from some place on: where the update reads the old ties, and where it
// writes the new ones.
struct TieArrays {
  std::uint32_t* a;
  std::uint32_t* b;
  double* weight;
};

// Where the pass is after a block: the next write's place (in the arrays written), the block's ended
// ties, the new weights' running sum, the block's proposals that were ties already.
struct OnePass {
  std::ptrdiff_t out;
  std::size_t ended;
  double sum;
  std::size_t already = 0;
};

// The one pass over the old ties [e, e_end) of `from` and the proposals [proposal, proposal_end)
// before the next block's first tie: each old tie's new weight, the tie written to `to` at `out`
// (kept when it survives, else listed in `ended`), each proposal at its place, unless it is that
// tie itself (listed in `already`: formation does not look pairs up, the update finds them).
// kInPlace: `to` is `from` (the one thread's pass, and a thread's block moved where it lies: out <=
// e, each tie read before its place is written); else `to` is a buffer. x[b] is fetched ahead, from ties
// below prefetch_end only (a thread reads no other block's ties). Arguments rather than a closure,
// the numbers in registers: through captures GCC kept the running sum and the rule's numbers on the
// stack, a store and loads on every tie. Aligned to a cache line: the same instructions took the large
// benchmark's one-thread update 0.192 s at one place, 0.202 s at another, 0.196 s aligned (medians
// of 16 alternating runs; where it lands otherwise changes with unrelated code; thirtieth round).
template <bool kInPlace>
__attribute__((noinline, aligned(64))) OnePass update_block_in_one_pass(const TieArrays from, const TieArrays to_arrays,
                                                          const double* const x, std::size_t e,
                                                          const std::size_t e_end, const std::size_t prefetch_end,
                                                          const std::uint64_t* proposal,
                                                          const std::uint64_t* const proposal_end,
                                                          const B2bDynamics& dynamics, OnePass pass,
                                                          std::uint64_t* const ended, std::uint64_t* const already) {
  const TieArrays to = kInPlace ? from : to_arrays;
  const std::uint32_t *const a = from.a, *const b = from.b;
  const double* const weight = from.weight;
  const double keep = 1.0 - dynamics.weight_adjustment, adjustment = dynamics.weight_adjustment;
  const double cut = dynamics.removal_threshold, start_weight = dynamics.initial_weight;
  std::ptrdiff_t out = pass.out;
  double sum = pass.sum;
  std::size_t ended_count = 0, already_count = 0;
  // x[b] is a random read: fetched 64 ties ahead (16 before: at 1 million firms, where x is 8 MB,
  // the update took 4.9 - 5.1 -> 4.5 s on an AMD EPYC with 1 MiB of L2 a core; the large case the
  // same; docs/performance.md, twenty-sixth round).
  constexpr std::size_t kAhead = 64;
  // The old ties up to the next proposal, then the proposal: the inner loop compares each old tie
  // with one number. An old tie has a < b, so its key is a << 32 | b; after the last proposal the
  // limit is above every key. A proposal equal to the next old tie is that tie (not looked up
  // before): it forms nothing, and the tie moves as any other.
  for (;;) {
    const std::uint64_t limit = proposal < proposal_end ? *proposal : ~std::uint64_t{0};
    for (; e < e_end && ((std::uint64_t{a[e]} << 32) | b[e]) < limit; ++e) {
      if (e + kAhead < prefetch_end) __builtin_prefetch(x + b[e + kAhead]);
      const std::uint32_t tie_first = a[e], tie_second = b[e];
      const double w = moved_weight(keep, adjustment, weight[e], x[tie_first], x[tie_second]);
      to.a[out] = tie_first;  // in place, out <= e: the tie just read, or one before it
      to.b[out] = tie_second;
      to.weight[out] = w;
      if (w >= cut) {
        sum += w;
        ++out;
      } else {
        ended[ended_count++] = (std::uint64_t{tie_first} << 32) | tie_second;
      }
    }
    if (proposal == proposal_end) break;
    // In place the tie at e is not written yet (out <= e, and the loop stopped before reading it).
    if (e < e_end && ((std::uint64_t{a[e]} << 32) | b[e]) == limit) {
      already[already_count++] = limit;
      ++proposal;
      continue;
    }
    to.a[out] = static_cast<std::uint32_t>(limit >> 32);  // in place, out < e: a new tie is left to write for each place
    to.b[out] = static_cast<std::uint32_t>(limit & 0xffffffffu);
    to.weight[out] = start_weight;
    ++out;
    sum += start_weight;
    ++proposal;
  }
  return OnePass{out, ended_count, sum, already_count};
}

// Which of a block's old ties end can mostly be told from their weight alone: a tie's new weight is
// keep w + adjustment c, with c its pair's complementarity, which lies between the complementarities
// of the extreme innovations (bilinear in x_a and x_b, so within the values at the corners of [x_lo,
// x_hi]^2). So keep w at or above survive_from (the cut less the least the adjustment can add, and a
// margin far above the rounding of the expression) surely survives, below end_below surely ends; the
// few in between (0.2% of the large benchmark's ties) are decided by the expression itself. Without
// finite innovations (`screens` false) every tie is.
struct WeightScreen {
  bool screens = false;
  double survive_from = 0.0, end_below = 0.0;
  double adjustment_mid = 0.0;  // adjustment times the middle of the complementarities: for the sum's estimate
};

// The screen of the threads' path (the innovations' range kept by the B2B phase for as long as the
// firm table is the same: found each step by a parallel loop of its own, it cost the large benchmark
// 0.0045 s of forks and joins on two threads, docs/performance.md, twenty-fourth round).
WeightScreen weight_screen(const InnovationRange& range, const B2bDynamics& dynamics) {
  const auto [low, high, finite] = range;
  WeightScreen screen;
  if (!finite) return screen;
  const auto complementarity = [](double p, double q) { return p * (1.0 - q) + q * (1.0 - p); };
  const double corners[] = {complementarity(low, low), complementarity(low, high), complementarity(high, high)};
  const double adjustment = dynamics.weight_adjustment, cut = dynamics.removal_threshold;
  const double least = std::min({adjustment * corners[0], adjustment * corners[1], adjustment * corners[2]});
  const double most = std::max({adjustment * corners[0], adjustment * corners[1], adjustment * corners[2]});
  const double margin = 1e-9 * (1.0 + std::abs(cut) + std::abs(least) + std::abs(most));
  screen.survive_from = cut - least + margin;
  screen.end_below = cut - most - margin;
  screen.adjustment_mid = 0.5 * (least + most);
  screen.screens = std::isfinite(screen.survive_from) && std::isfinite(screen.end_below);
  return screen;
}

// What a block's new list will hold, counted before it is written (threads 1, 2, ... count the runs
// before their own): its ended ties, and about its new weights' sum (where the blocks after it about
// start, for in_order_sum.hpp's pieces). Reads the block's weights, and the pairs of the few ties
// the screen leaves open; writes nothing.
struct Counted {
  std::size_t ended;
  double sum;
};
// The count goes a stretch of ties at a time: the screen's sure decisions of the whole stretch in
// vector lanes (how many surely survive, their keep w summed, how many surely end), then, only in a
// stretch where some tie is left open (about one stretch in eight in the large benchmark), its open
// ties by the expression. One tie after the other, with a branch a tie and the estimate's sum a
// chain of additions, the count took 0.65 ns a tie, 30% of what writing the tie costs
// (docs/performance.md, twenty-fourth round). The kept sum is only an estimate (where the next
// block's running sum about starts): its order of additions changes no result. The decisions are
// the pass's own: a product compared with the screen's bounds, and for an open tie moved_weight,
// never contracted into an FMA (it must round as the writing pass's does, compiled for any x86-64).
__attribute__((noinline, target_clones("avx512f", "avx2", "default"), optimize("fp-contract=off"))) Counted
count_block(const TieArrays from, const double* const x, std::size_t e, const std::size_t e_end,
            const std::size_t proposals, const B2bDynamics& dynamics, const WeightScreen& screen) {
  const std::uint32_t *const a = from.a, *const b = from.b;
  const double* const weight = from.weight;
  const double keep = 1.0 - dynamics.weight_adjustment, adjustment = dynamics.weight_adjustment;
  const double cut = dynamics.removal_threshold;
  const double survive_from = screen.screens ? screen.survive_from : std::numeric_limits<double>::quiet_NaN();
  const double end_below = screen.screens ? screen.end_below : std::numeric_limits<double>::quiet_NaN();
  std::size_t ended = 0, kept = 0;
  double kept_sum = 0.0;  // keep w of the ties kept
  constexpr std::size_t kStretch = 64;
  for (; e < e_end; e += kStretch) {
    const std::size_t stretch_end = std::min(e_end, e + kStretch);
    std::size_t sure_kept = 0, sure_ended = 0;
    double sure_sum = 0.0;
#pragma omp simd reduction(+ : sure_kept, sure_ended, sure_sum)
    for (std::size_t t = e; t < stretch_end; ++t) {
      const double kept_weight = keep * weight[t];
      const bool survives = kept_weight >= survive_from;  // never with NaN bounds: no screen
      sure_kept += survives ? 1 : 0;
      sure_ended += kept_weight < end_below ? 1 : 0;
      sure_sum += survives ? kept_weight : 0.0;
    }
    kept += sure_kept;
    ended += sure_ended;
    kept_sum += sure_sum;
    if (sure_kept + sure_ended == stretch_end - e) continue;
    for (std::size_t t = e; t < stretch_end; ++t) {
      const double kept_weight = keep * weight[t];
      if (kept_weight >= survive_from || kept_weight < end_below) continue;  // counted above
      // The same expression as the pass that writes (update_block_in_one_pass), hence the same decision.
      const double w = moved_weight(keep, adjustment, weight[t], x[a[t]], x[b[t]]);
      if (w >= cut) {
        kept_sum += kept_weight;
        ++kept;
      } else {
        ++ended;
      }
    }
  }
  const double sum = kept_sum + screen.adjustment_mid * static_cast<double>(kept) +
                     dynamics.initial_weight * static_cast<double>(proposals);
  return Counted{ended, sum};
}

// Ties in a block of the update: one thread's share of the list is a run of consecutive blocks, and
// a block is what a thread done first takes from another's run. 2^15 rather than 2^16: the threads'
// ends differ by about one block, and with blocks half as long the large benchmark's ends on two
// threads differed by 0.011 - 0.014 s over a run instead of 0.019 - 0.023, the update 0.186 ->
// 0.178 s (medians of alternating runs; docs/performance.md, thirtieth round).
constexpr std::size_t kBlock = std::size_t{1} << 15;
// The update uses the run's threads from this many old ties on.
constexpr std::size_t kThreadsFrom = std::size_t{1} << 17;

// The first block of each thread's run ([k] for thread k; [team]: all the blocks). Threads 1, 2, ...
// count blocks before they write (from the last counted block down, while thread 0 writes its run
// from the first up and counts its own blocks as it writes them), so thread 0's run is the longer
// by as much as the others count, so that all end together. A count at 0.3 of writing a block (the
// weights alone, in vector lanes, and the ties among its proposals, ties_among) balances the two
// threads of the large benchmark within this machine's noise: over a run's 86 threaded updates
// thread 0 0.18 - 0.30 s in its run, thread 1 0.19 - 0.26 s (0.057 - 0.064 s of it counting; 0.2:
// 0.20 and 0.23 s; docs/performance.md, twenty-seventh round).
std::vector<std::size_t> first_blocks_of_runs(std::size_t blocks, int team) {
  constexpr double kCountCost = 0.3;
  const double others = team == 1 ? 0.0 : (1.0 - kCountCost / (team - 1)) / (team - kCountCost / (team - 1));
  const auto each = static_cast<std::size_t>(others * static_cast<double>(blocks));
  const std::size_t first_run = blocks - static_cast<std::size_t>(team - 1) * each;
  std::vector<std::size_t> first(static_cast<std::size_t>(team) + 1, blocks);
  first[0] = 0;
  for (std::size_t k = 1; k < first.size() - 1; ++k) first[k] = first_run + (k - 1) * each;
  return first;
}

std::size_t block_count(std::size_t old_count) { return std::max<std::size_t>(1, (old_count + kBlock - 1) / kBlock); }

// How many of a block's `proposals` (sorted) are among its old ties, at [block_first, block_end) in
// `list` (a proposal of the block falls before the next block's first tie: a tie equal to it lies
// within the block). The counting threads ask it for the blocks they count, so that formation asks
// nothing of the network (its look-ups, two cache misses in a row a pair, were 23% of formation on
// one thread: docs/performance.md, twenty-sixth round). By the list's index (`runs`: entry f's
// upper_start, where firm f's ties (f, .) start, counted from `offset` in `list`), a proposal (a, b)
// is searched in a's run alone, a few ties on one or two lines, the proposals' runs read in
// increasing order, each within the block: the block before may be thread 0's, written while this
// one is counted (its writes keep the keys there below the block's, so the search would find the
// same, but the reads would race with them). Those reads are fetched ahead, in two steps: a
// proposal's index entry 16 proposals ahead, then, 8 ahead, the first and middle lines of its run,
// whose place that entry gives (without them each proposal waited for a line of the index and one
// or two of the list: the counting thread's searches of the large benchmark took 0.029 - 0.042 ->
// 0.015 - 0.018 s over a run on two threads, docs/performance.md, twenty-eighth round).
std::size_t ties_among(const TieArrays& list, std::size_t block_first, std::size_t block_end,
                       const std::uint64_t* proposal, const std::uint64_t* const proposal_end,
                       const FirmNetwork::Entry* runs, std::size_t offset) {
  std::size_t found = 0;
  constexpr std::ptrdiff_t kIndexAhead = 16, kRunAhead = 8;
  for (; proposal < proposal_end; ++proposal) {
    if (proposal_end - proposal > kIndexAhead) __builtin_prefetch(runs + (proposal[kIndexAhead] >> 32));
    if (proposal_end - proposal > kRunAhead) {
      const FirmNetwork::Entry* const ahead = runs + (proposal[kRunAhead] >> 32);
      const std::uint32_t* const run = list.b + offset + ahead[0].upper_start;
      __builtin_prefetch(run);
      __builtin_prefetch(run + (ahead[1].upper_start - ahead[0].upper_start) / 2);
    }
    const auto a = static_cast<std::uint32_t>(*proposal >> 32), b = static_cast<std::uint32_t>(*proposal);
    const std::size_t first = std::max(block_first, offset + runs[a].upper_start);
    const std::size_t end = std::min(block_end, offset + runs[a + 1].upper_start);
    found += first < end && sorted_run_holds(list.b + first, end - first, b) ? 1 : 0;
  }
  return found;
}

// ---- On two threads: the list's two runs written away from each other ----

// update_block_in_one_pass backwards, where the list lies: the old ties at places [e_first, e) from
// the last down and the proposals [proposal_first, proposal) from the last down, merged in decreasing
// order, the new list written from place `out` down (out - 1 first). `out` starts at least as many
// places above `e` as there are proposals, so that a write never lands on a tie not yet read (the
// mirror of the forward pass's rule). The ended ties and the proposals that are ties already are
// listed in decreasing order; `sum`: the new weights added (an estimate only: where the pieces of
// in_order_sum.hpp about start). The same expression decides each tie as in the forward pass.
struct BackPass {
  std::ptrdiff_t out;
  std::size_t ended = 0, already = 0;
  double sum = 0.0;
};
__attribute__((noinline, aligned(64))) BackPass update_block_backwards(const TieArrays list, const double* const x,
                                                                        const std::size_t e_first, std::size_t e,
                                                                        const std::uint64_t* const proposal_first,
                                                                        const std::uint64_t* proposal,
                                                                        const B2bDynamics& dynamics, std::ptrdiff_t out,
                                                                        std::uint64_t* const ended,
                                                                        std::uint64_t* const already) {
  std::uint32_t *const a = list.a, *const b = list.b;
  double* const weight = list.weight;
  const double keep = 1.0 - dynamics.weight_adjustment, adjustment = dynamics.weight_adjustment;
  const double cut = dynamics.removal_threshold, start_weight = dynamics.initial_weight;
  std::size_t ended_count = 0, already_count = 0;
  double sum = 0.0;
  constexpr std::size_t kAhead = 64;  // x[b] fetched ahead, as in the forward pass
  for (;;) {
    const bool more = proposal != proposal_first;
    const std::uint64_t limit = more ? proposal[-1] : 0;  // every tie's key is above 0 (a < b)
    for (; e > e_first && ((std::uint64_t{a[e - 1]} << 32) | b[e - 1]) > limit; --e) {
      if (e >= e_first + kAhead) __builtin_prefetch(x + b[e - kAhead]);
      const std::uint32_t tie_first = a[e - 1], tie_second = b[e - 1];
      const double w = moved_weight(keep, adjustment, weight[e - 1], x[tie_first], x[tie_second]);
      a[out - 1] = tie_first;  // out - 1 >= e - 1: the tie just read, or one after it
      b[out - 1] = tie_second;
      weight[out - 1] = w;
      if (w >= cut) {
        sum += w;
        --out;
      } else {
        ended[ended_count++] = (std::uint64_t{tie_first} << 32) | tie_second;
      }
    }
    if (!more) break;
    // A proposal equal to the next old tie down is that tie: it forms nothing, the tie moves as any other.
    if (e > e_first && ((std::uint64_t{a[e - 1]} << 32) | b[e - 1]) == limit) {
      already[already_count++] = limit;
      --proposal;
      continue;
    }
    --out;
    a[out] = static_cast<std::uint32_t>(limit >> 32);
    b[out] = static_cast<std::uint32_t>(limit & 0xffffffffu);
    weight[out] = start_weight;
    sum += start_weight;
    --proposal;
  }
  return BackPass{out, ended_count, already_count, sum};
}

// Where the list is cut into the two runs: before the ties of firm `firm`, its first tie at rank
// `rank`; `proposals`: the proposals of the firms below it (they join the first run).
struct RunCut {
  std::size_t firm = 0, rank = 0, proposals = 0;
};

std::size_t proposals_below(std::span<const std::uint64_t> proposals, std::size_t firm) {
  return static_cast<std::size_t>(
      std::lower_bound(proposals.begin(), proposals.end(), static_cast<std::uint64_t>(firm) << 32) - proposals.begin());
}

// The first run's share of the work (its old ties and proposals) where the list is cut anew, 13/25:
// the second run's thread also cuts its new weights into pieces (a second read of each block, in
// cache), where the first sums them in its pass. Half and half, the large benchmark's second run
// took 0.094 - 0.099 s of an update's run, the first 0.085 - 0.090 s (before the threads took each
// other's blocks; docs/performance.md, thirty-first round).
constexpr std::size_t kFirstShareOf25 = 13;

// The cut that gives each run its share of the work (the work below firm g grows with g: bisection
// over the firms, by the list's index).
RunCut balanced_cut(std::span<const FirmNetwork::Entry> index, std::span<const std::uint64_t> proposals) {
  const std::size_t firms = index.size() - 1;
  const std::size_t total = index[firms].upper_start + proposals.size();
  const auto work_below = [&](std::size_t firm) { return index[firm].upper_start + proposals_below(proposals, firm); };
  std::size_t low = 0, high = firms;
  while (low < high) {
    const std::size_t middle = low + (high - low) / 2;
    if (25 * work_below(middle) < kFirstShareOf25 * total) low = middle + 1;
    else high = middle;
  }
  return RunCut{low, index[low].upper_start, proposals_below(proposals, low)};
}

// Moves the list's cut to rank `rank` (a firm's first tie): the ties between the old cut and the new
// one cross the gap (a copy of those ties alone).
void move_cut(FirmTies& ties, std::size_t rank) {
  const std::size_t from = ties.split, gap = ties.gap;
  if (gap != 0 && rank < from) {
    const auto move = [&](auto& column) {
      std::memmove(column.data() + rank + gap, column.data() + rank, (from - rank) * sizeof(column[0]));
    };
    resize_columns(ties, move);
  } else if (gap != 0 && rank > from) {
    const auto move = [&](auto& column) {
      std::memmove(column.data() + from, column.data() + from + gap, (rank - from) * sizeof(column[0]));
    };
    resize_columns(ties, move);
  }
  ties.split = rank;
}

// The update on two threads, no count: thread 0 writes blocks of the list forwards from its first
// one, into the room in front, as one thread writes the whole list, its weights summed in order;
// thread 1 writes blocks backwards from its last one, into the room behind, its weights cut into
// in_order_sum.hpp's pieces. Neither's place depends on the other's ended ties, so neither counts,
// waits or holds a block for the other (the count-based split cost the large benchmark's update
// about 0.02 s of its 0.12 s on two threads, and more where the two cores share lines slowly:
// docs/performance.md, thirty-first round). The blocks end between firms, and each thread takes
// the next block from its end until they meet (a claim a block), so that a thread set aside for a
// while leaves its blocks to the other: each has its own run's blocks (below or above the cut,
// whose proposals its room holds), and takes one of the other's only where its writes stay behind
// its reads (the room's margin, the gap, the ties it ended). Where they met a gap is left (FirmTies::
// gap: the margins unused, the ties ended and the proposals that were ties already), kept in the
// list for the next update, which cuts the list there again (the runs follow the threads' speeds
// from step to step) unless a run would hold less than an eighth of the work; FirmNetwork hides it.
// The same ties, weights, lists and sum as one thread's pass.
TieUpdate update_in_two_runs(FirmTies& ties, std::span<const std::uint64_t> proposals, const double* const x,
                             const B2bDynamics& dynamics, std::span<const FirmNetwork::Entry> index) {
  TieUpdate update;
  const std::size_t count = ties.count(), new_ties = proposals.size();
  const std::uint64_t* const proposed = proposals.data();
  RunCut cut;
  bool keep_cut = false;
  if (ties.gap != 0 && ties.split < count) {
    const std::size_t firm = ties.a[ties.place(ties.split)];
    cut = RunCut{firm, ties.split, proposals_below(proposals, firm)};
    // Kept where the threads met last time (their speeds, whatever the work), unless one run would
    // hold less than an eighth of the work.
    const std::size_t first = cut.rank + cut.proposals, total = count + new_ties;
    keep_cut = 8 * first >= total && 8 * first <= 7 * total;
  }
  if (!keep_cut) {
    cut = balanced_cut(index, proposals);
    move_cut(ties, cut.rank);
  }
  // Each room holds its run's proposals and a margin of a sixteenth of the step's, so that a thread
  // may take a few of the other's blocks (a margin left unused widens the gap).
  const std::size_t margin = new_ties / 16;
  const std::size_t front_room = cut.proposals + margin, back_room = new_ties - cut.proposals + margin;
  resize_columns(ties, [&](auto& column) {
    column.make_room_around(front_room, back_room,
                            [](const auto* from, std::size_t size, auto* to) { copy_on_threads(from, size, to); });
  });

  // Blocks of about kBlock ties, cut where a firm's ties start (so that wherever the threads meet,
  // the gap lies between firms), the cut among them. Block k: the ranks [rank[k], rank[k + 1]), the
  // firms [firm[k], firm[k + 1]), their proposals [first_proposal[k], first_proposal[k + 1]).
  const std::size_t firms = index.size() - 1;
  std::vector<std::size_t> firm_at{0};
  for (std::size_t target = kBlock; target < count; target += kBlock) {
    const auto at = std::lower_bound(index.begin(), index.end(), target,
                                     [](const FirmNetwork::Entry& entry, std::size_t rank) { return entry.upper_start < rank; });
    const auto firm = static_cast<std::size_t>(at - index.begin());
    if (firm < firms && firm > firm_at.back()) firm_at.push_back(firm);
  }
  firm_at.push_back(cut.firm);
  firm_at.push_back(firms);
  std::sort(firm_at.begin(), firm_at.end());
  firm_at.erase(std::unique(firm_at.begin(), firm_at.end()), firm_at.end());
  if (firm_at.size() == 1) firm_at.push_back(firms);  // no firm: one empty block
  const std::size_t blocks = firm_at.size() - 1;
  std::vector<std::size_t> rank(blocks + 1), first_proposal(blocks + 1);
  std::size_t widest = 0, first_of_second = blocks;  // the second run's first block
  for (std::size_t k = 0; k <= blocks; ++k) {
    rank[k] = k == blocks ? count : index[firm_at[k]].upper_start;
    first_proposal[k] = k == blocks ? new_ties : proposals_below(proposals, firm_at[k]);
    if (k > 0) widest = std::max(widest, rank[k] - rank[k - 1]);
    if (firm_at[k] == cut.firm && first_of_second == blocks) first_of_second = k;
  }
  const std::size_t gap = ties.gap;
  const auto old_first = [&](std::size_t k) { return ties.place(rank[k]); };  // a block's old place
  const auto old_end = [&](std::size_t k) { return ties.place(rank[k]) + (rank[k + 1] - rank[k]); };
  const std::size_t extent = count + gap;  // the old list's places
  const TieArrays at_zero{ties.a.data(), ties.b.data(), ties.weight.data()};
  const TieArrays from_front{at_zero.a - front_room, at_zero.b - front_room, at_zero.weight - front_room};

  enum Claim : std::uint8_t { kFree, kTaken };
  std::vector<std::atomic<std::uint8_t>> claims(blocks);
  const auto claim = [&](std::size_t k) {
    std::uint8_t free = kFree;
    return claims[k].compare_exchange_strong(free, kTaken, std::memory_order_acq_rel);
  };
  struct PlacedPiece {
    std::size_t first, count;  // places from the old list's first one
    SumPiece piece;
  };
  OnePass first_pass{0, 0, 0.0};
  std::vector<std::uint64_t> second_ended, second_already;  // decreasing
  std::vector<PlacedPiece> pieces;  // thread 1's, a block's in order, blocks from the last down
  std::ptrdiff_t second_start = static_cast<std::ptrdiff_t>(extent + back_room);
  constexpr std::size_t kPiece = 2048;
  const TwoRunsOrder order = forced_order.load(std::memory_order_relaxed);
  std::atomic<bool> first_stopped{false}, second_stopped{false};  // for a test's order
  const auto wait_for = [](const std::atomic<bool>& stopped) {
    while (!stopped.load(std::memory_order_acquire)) std::this_thread::yield();
  };
#pragma omp parallel num_threads(2)
  {
    resize_for_overwrite(buffers.ended, widest);
    // (One thread, should the runtime give the region only one, does both in turn.) Each stops at a
    // block the other took, or at one of the other's run where it may not write: the blocks left
    // between them are then all of one run, and its own thread takes them.
    const bool alone = omp_get_num_threads() == 1;
    if (omp_get_thread_num() == 0) {
      if (order == TwoRunsOrder::SecondRunFirst && !alone) wait_for(second_stopped);
      OnePass pass{0, 0, 0.0};
      for (std::size_t k = 0; k < blocks; ++k) {
        // Another run's block only where the writes stay behind the reads: its proposals fit
        // between this thread's next place and the block's first old tie.
        const std::size_t proposals_in = first_proposal[k + 1] - first_proposal[k];
        if (k >= first_of_second &&
            pass.out + static_cast<std::ptrdiff_t>(proposals_in) > static_cast<std::ptrdiff_t>(front_room + old_first(k)))
          break;
        if (!claim(k)) break;  // the other thread's
        pass = update_block_in_one_pass<true>(
            from_front, from_front, x, front_room + old_first(k), front_room + old_end(k), front_room + old_end(k),
            proposed + first_proposal[k], proposed + first_proposal[k + 1], dynamics, pass, buffers.ended.data(),
            already_room(proposals_in));
        update.removed.insert(update.removed.end(), buffers.ended.data(), buffers.ended.data() + pass.ended);
        update.already_ties.insert(update.already_ties.end(), buffers.already.data(),
                                   buffers.already.data() + pass.already);
      }
      first_pass = pass;
      first_stopped.store(true, std::memory_order_release);
    }
    if (omp_get_thread_num() == 1 || alone) {
      if (order == TwoRunsOrder::FirstRunFirst && !alone) wait_for(first_stopped);
      std::ptrdiff_t out = static_cast<std::ptrdiff_t>(extent + back_room);
      for (std::size_t k = blocks; k-- > 0;) {
        const std::size_t proposals_in = first_proposal[k + 1] - first_proposal[k];
        if (k < first_of_second && out - static_cast<std::ptrdiff_t>(proposals_in) < static_cast<std::ptrdiff_t>(old_end(k)))
          break;
        if (!claim(k)) break;
        const BackPass pass = update_block_backwards(at_zero, x, old_first(k), old_end(k), proposed + first_proposal[k],
                                                     proposed + first_proposal[k + 1], dynamics, out,
                                                     buffers.ended.data(), already_room(proposals_in));
        second_ended.insert(second_ended.end(), buffers.ended.data(), buffers.ended.data() + pass.ended);
        second_already.insert(second_already.end(), buffers.already.data(), buffers.already.data() + pass.already);
        // The block's pieces, from its first new tie up: where the running sum about starts there,
        // the block's rank were no tie before it to end, times its own mean weight (a wrong guess
        // only makes add_piece add that piece's weights one by one).
        const auto written = static_cast<std::size_t>(out - pass.out);
        double at = written == 0 ? 0.0
                                 : static_cast<double>(rank[k] + first_proposal[k]) * (pass.sum / static_cast<double>(written));
        for (std::size_t piece = 0; piece < written; piece += kPiece) {
          const std::size_t length = std::min(kPiece, written - piece);
          const auto place = static_cast<std::size_t>(pass.out) + piece;
          const SumPiece quantized = quantize_piece(std::span<const double>(at_zero.weight + place, length), at);
          at += quantized.approximate;
          pieces.push_back(PlacedPiece{place, length, quantized});
        }
        out = pass.out;
      }
      second_start = out;
      second_stopped.store(true, std::memory_order_release);
    }
  }
  update.removed.insert(update.removed.end(), second_ended.rbegin(), second_ended.rend());
  update.already_ties.insert(update.already_ties.end(), second_already.rbegin(), second_already.rend());
  // The one chain left: thread 0's sum, then thread 1's pieces in the order of their places
  // (in_order_sum.hpp; its blocks came from the last down).
  std::sort(pieces.begin(), pieces.end(), [](const PlacedPiece& p, const PlacedPiece& q) { return p.first < q.first; });
  double sum = first_pass.sum;
  for (const PlacedPiece& placed : pieces)
    sum = add_piece(sum, placed.piece, std::span<const double>(at_zero.weight + placed.first, placed.count));
  update.weight_sum = sum;
  // The new list: thread 0's ties from front_room places before the old first place, thread 1's
  // ending back_room places after the old last one; the gap between them kept.
  const auto first_new = static_cast<std::size_t>(first_pass.out);
  resize_columns(ties, [&](auto& column) { column.start_earlier_keeping_room_behind(front_room, extent + back_room + front_room); });
  ties.split = first_new;
  ties.gap = static_cast<std::size_t>(second_start) + front_room - first_new;
  // Ended ties and unused margins pile up in the gap: closed when it grows past an eighth of the
  // list (a copy of the second run), so that the list's memory stays about its ties'.
  if (ties.gap > ties.count() / 8 + kBlock) ties.close_gap();
  return update;
}

}  // namespace

// In vector lanes: min and max are exact in any order, and a NaN or an infinity anywhere turns the
// screen off. An empty table has no range (no screen).
__attribute__((target_clones("avx512f", "avx2", "default"))) InnovationRange innovation_range(
    std::span<const double> innovation) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  std::size_t not_finite = 0;
  const double* const x = innovation.data();
  const std::size_t n = innovation.size();
#pragma omp simd reduction(min : low) reduction(max : high) reduction(+ : not_finite)
  for (std::size_t f = 0; f < n; ++f) {
    low = std::min(low, x[f]);
    high = std::max(high, x[f]);
    not_finite += std::abs(x[f]) <= std::numeric_limits<double>::max() ? 0 : 1;
  }
  return InnovationRange{low, high, n > 0 && not_finite == 0};
}

void force_counting_schedule(CountingSchedule schedule) { forced_schedule.store(schedule, std::memory_order_relaxed); }

void force_two_runs_order(TwoRunsOrder order) { forced_order.store(order, std::memory_order_relaxed); }

bool updates_in_two_runs(std::size_t ties) {
  return worth_threads(ties, kThreadsFrom) && omp_get_max_threads() == 2 &&
         forced_schedule.load(std::memory_order_relaxed) == CountingSchedule::Timing &&
         owned_limit.load(std::memory_order_relaxed) == kNoLimit;
}

void force_owned_blocks(std::optional<std::size_t> blocks) {
  owned_limit.store(blocks.value_or(kNoLimit), std::memory_order_relaxed);
}

TieUpdate update_ties_in_place(FirmTies& ties, std::span<const std::uint64_t> proposals,
                               std::span<const double> firm_innovation, const B2bDynamics& dynamics,
                               const std::optional<InnovationRange>& range,
                               std::span<const FirmNetwork::Entry> index) {
  // One pass over the list where it lies. The new list starts as many places before the old one as
  // there are new ties (the columns keep room in front, tie_column.hpp), so that each write lands at
  // least as many places behind the reads as new ties are left to write: never on a tie not yet
  // read. Each old tie is read once and written once (its new weight, and moved by the new ties
  // before it, less the ended ones), where two passes read it twice and wrote its weight twice
  // (docs/performance.md, nineteenth round). The old ties are cut into blocks, each with the
  // proposals that fall before the next block's first tie. One thread does the blocks in order, the
  // new weights summed one after the other in the new order. On threads, each thread does a run of
  // consecutive blocks the same way: thread 0 the first run at once, the others after counting the
  // ended ties of the runs before theirs (below), their new weights cut into pieces summed by
  // in_order_sum.hpp's shortcut, so that only one addition a piece is left in order. Which block
  // holds a tie, and which thread a block, changes nothing in what is written.
  TieUpdate update;
  const std::size_t old_count = ties.count();
  const std::size_t new_ties = proposals.size();
  const double* const x = firm_innovation.data();  // 8 bytes a firm, cache-resident, rather than the firms' rows
  const std::uint64_t* const proposed = proposals.data();
  const bool threads = worth_threads(old_count, kThreadsFrom);
  if (index.size() != firm_innovation.size() + 1)
    throw std::invalid_argument("update_ties_in_place: the index has " + std::to_string(index.size()) +
                                " entries for " + std::to_string(firm_innovation.size()) +
                                " firms (expected one a firm and one more)");
  // Block k: the old ties [k kBlock, (k + 1) kBlock) and the proposals [proposal_start[k],
  // proposal_start[k + 1]), those before the next block's first tie. At least one block, for the
  // proposals of an empty network.
  // Two threads: the list's two runs written away from each other (update_in_two_runs), unless a
  // test forces a schedule of the counting threads' path. Any other path writes one run: a gap the
  // last update left is closed first.
  if (updates_in_two_runs(old_count)) return update_in_two_runs(ties, proposals, x, dynamics, index);
  ties.close_gap();
  const std::size_t blocks = block_count(old_count);
  const auto key_of = [&](std::size_t e) { return (std::uint64_t{ties.a[e]} << 32) | ties.b[e]; };
  std::vector<std::size_t> proposal_start(blocks + 1, new_ties);
  proposal_start[0] = 0;
  for (std::size_t block = 1; block < blocks; ++block)
    proposal_start[block] = static_cast<std::size_t>(
        std::lower_bound(proposals.begin(), proposals.end(), key_of(block * kBlock)) - proposals.begin());
  const auto old_first = [&](std::size_t block) { return std::min(old_count, block * kBlock); };

  if (threads)
    resize_columns(ties, [&](auto& column) { make_room_in_front_on_threads(column, new_ties); });
  else
    resize_columns(ties, [&](auto& column) { column.make_room_in_front(new_ties); });
  // The columns from the new list's first place on: the old ties lie from new_ties on.
  const TieArrays list{ties.a.data() - new_ties, ties.b.data() - new_ties, ties.weight.data() - new_ties};
  const auto proposals_of = [&](std::size_t block) { return proposed + proposal_start[block]; };
  const auto finish = [&](std::size_t new_count) {
    resize_columns(ties, [&](auto& column) { column.start_earlier(new_ties, new_count); });
  };

  // Room for a block's proposals that are ties already, at most all of them.
  const auto already_buffer = [&](std::size_t block) {
    return already_room(proposal_start[block + 1] - proposal_start[block]);
  };
  const auto keep_already = [&](std::vector<std::uint64_t>& already, const OnePass& pass) {
    already.insert(already.end(), buffers.already.data(), buffers.already.data() + pass.already);
  };

  // Blocks [first_block, last_block) in order, each moved where it lies, the new list from its first
  // place on, the new weights summed in order, the ended ties appended to `ended` and the proposals
  // that were ties to `already`; `ready(block)` before each block (Stop: the block and those after
  // it are another thread's, the pass ends; GivesCounts: the block's counts are this pass's to
  // give), `written(block, gives_counts, pass, sum_before)` after it. The one thread's whole list,
  // and thread 0's run on threads. Returns the pass and the first block it did not write.
  enum class Ready { Stop, GivesCounts, Counted };
  struct PassOfRun {
    OnePass pass;
    std::size_t end_block;
  };
  const auto in_order_from_first_place = [&](std::size_t first_block, std::size_t last_block,
                                             std::vector<std::uint64_t>& ended, std::vector<std::uint64_t>& already,
                                             auto&& ready, auto&& written) {
    OnePass pass{0, 0, 0.0};
    resize_for_overwrite(buffers.ended, kBlock);
    const std::size_t prefetch_end = new_ties + old_first(last_block);
    std::size_t block = first_block;
    for (; block < last_block; ++block) {
      const Ready state = ready(block);
      if (state == Ready::Stop) break;
      const bool gives_counts = state == Ready::GivesCounts;
      const double sum_before = pass.sum;
      pass = update_block_in_one_pass<true>(list, list, x, new_ties + old_first(block), new_ties + old_first(block + 1),
                                            prefetch_end, proposals_of(block), proposals_of(block + 1), dynamics, pass,
                                            buffers.ended.data(), already_buffer(block));
      ended.insert(ended.end(), buffers.ended.data(), buffers.ended.data() + pass.ended);
      keep_already(already, pass);
      written(block, gives_counts, pass, sum_before);
    }
    return PassOfRun{pass, block};
  };

  if (!threads) {
    const OnePass pass = in_order_from_first_place(0, blocks, update.removed, update.already_ties,
                                                     [](std::size_t) { return Ready::Counted; },
                                                     [](std::size_t, bool, const OnePass&, double) {})
                             .pass;
    finish(static_cast<std::size_t>(pass.out));
    update.weight_sum = pass.sum;
    return update;
  }

  // Threads: thread 0 writes the first run of blocks at once, in order, as one thread does (its
  // list starts at the new list's first place, whatever the counts; its weights summed in order).
  // Each other thread's run starts where the runs before it end, which depends on the ties they
  // end: the blocks of every run but the last are counted first, thread 0's by whoever comes first:
  // threads 1, 2, ... count from the last of them down (mostly from the weights, WeightScreen),
  // while thread 0 finds the counts of the blocks it writes in its pass, from the first up, until
  // they meet; then threads 1, 2, ... write their own runs in one pass. Thread 0 waits only for a
  // block a counting thread is counting (when the other threads counted all of thread 0's blocks, a
  // late or slow counting thread held thread 0 up, and the counting was the larger: twenty-seventh
  // round); its run is the longer by as much as the others count, so that all end together. Where a
  // run's new list starts below its own old ties (the ties ended and the new ties of the runs
  // before it), its first blocks are written to the thread's buffer and copied to their place once
  // every thread is done with the old ties; every later block moves where it lies. Counting every
  // block first (all threads), then writing each where it lies (twentieth round), made the large
  // benchmark's update only x1.2 faster on two threads than on one (docs/performance.md,
  // twenty-first round).
  // A thread done with its run takes the last blocks of a run whose thread is still at work, from the
  // last down, into a buffer of its own, copied to its place once every thread is done: the
  // threads' ends differ from update to update (which core is slow that millisecond), by 0.012 -
  // 0.019 s over a large benchmark run on two threads before (docs/performance.md, thirtieth round),
  // and in a slow spell of the machine one thread took a block of the other's in nearly every
  // update. It leaves its owner the block after the one the owner is writing (taking that one too
  // gave nothing measurable). Each block is claimed once (`claims`): by its run's thread before it
  // writes it, or by a thief; a run's thread stops at the first block stolen (those after it are
  // stolen too).
  const WeightScreen screen = weight_screen(range ? *range : innovation_range(firm_innovation), dynamics);
  struct PlacedPiece {
    std::size_t first, count;  // the places of its weights in the new list (a stolen block's: from its first)
    SumPiece piece;
  };
  struct Run {
    std::size_t first_block = 0, last_block = 0;  // blocks [first_block, last_block)
    std::size_t written_end_block = 0;  // the first block its thread did not write (the others stolen)
    // Its new list's places (its thread's blocks); start: from the counts (thread 0: 0).
    std::size_t start = 0, end = 0;
    std::size_t buffered = 0;        // its first new ties, held in its thread's buffer until all are done
    TieArrays held{nullptr, nullptr, nullptr};  // that buffer
    double sum = 0.0;                // thread 0: its new weights summed in order
    std::vector<std::uint64_t> ended;
    std::vector<std::uint64_t> already;  // its proposals that were ties already
    std::vector<PlacedPiece> pieces;  // threads 1, ...: its new weights' pieces, in order
  };
  // A block another thread wrote for the run's thread, in its own buffer: placed after the run's
  // other new ties (and the run's blocks stolen before it) once every thread is done.
  struct StolenBlock {
    std::size_t count = 0;  // its new ties
    TieArrays held{nullptr, nullptr, nullptr};
    std::vector<PlacedPiece> pieces;
    std::vector<std::uint64_t> ended, already;
  };
  std::vector<Run> runs;
  // Who finds each counted block's counts (the blocks of every run but the last): thread 0 takes the
  // blocks of its run from the first up, as it writes them (its pass finds their counts exactly), the
  // counting threads from the last down; each block is taken once (`taker`), and its counts are known
  // once `counted` says so. Thread 0 writes a block the counting threads took only once it is counted
  // (its writes land on the old ties of blocks up to its own); the others start writing once every
  // block before their runs is. A stolen block of thread 0's run is one the counting threads took
  // (a thread steals once its own run is written, after every count it needed).
  enum Taker : std::uint8_t { kNobody, kWriter, kCounter };
  struct BlockCount {
    std::atomic<std::uint8_t> taker{kNobody};
    std::atomic<bool> counted{false};
    std::size_t ended = 0;    // its ended ties
    std::size_t already = 0;  // its proposals that are ties already
    double sum = 0.0;         // its new weights' sum, about
  };
  enum Claim : std::uint8_t { kFree, kOwned, kStolen };
  std::vector<std::atomic<std::uint8_t>> claims(blocks);
  std::vector<StolenBlock> stolen(blocks);
  std::vector<BlockCount> counts;
  std::atomic<std::ptrdiff_t> next_from_top{0};
  const auto wait_until = [](auto&& done) {
    while (!done()) std::this_thread::yield();  // short: a block's count, or the block thread 0 writes
  };
  std::atomic<bool> counts_differ{false};
  std::atomic<bool> writer_stopped{false};  // thread 0 is done with the blocks of its run it writes
  std::atomic<bool> buffers_to_trim{false};  // some thread holds more than kKeptSlots buffers of stolen blocks
  constexpr std::size_t kPiece = 2048;
  const CountingSchedule schedule = forced_schedule.load(std::memory_order_relaxed);
  const std::size_t limit = owned_limit.load(std::memory_order_relaxed);
  // A run's thread claims its next block, unless it was stolen or the test's limit is reached.
  const auto claim_own = [&](const Run& run, std::size_t block) {
    if (block - run.first_block >= limit) return false;
    std::uint8_t free = kFree;
    return claims[block].compare_exchange_strong(free, kOwned, std::memory_order_acq_rel);
  };
  // A block's `count` new weights cut into pieces of in_order_sum.hpp, appended to `pieces` with their
  // places from `first_place` on; `at`: the running sum about where they start. Returns where it
  // about ends.
  const auto append_pieces = [&](const double* weights, std::size_t count, std::size_t first_place, double at,
                                std::vector<PlacedPiece>& pieces) {
    for (std::size_t piece = 0; piece < count; piece += kPiece) {
      const std::size_t length = std::min(kPiece, count - piece);
      const SumPiece quantized = quantize_piece(std::span<const double>(weights + piece, length), at);
      at += quantized.approximate;
      pieces.push_back(PlacedPiece{first_place + piece, length, quantized});
    }
    return at;
  };
  // The running sum where a stolen block's new ties start, about (quantize_piece's start; a wrong one
  // only makes add_piece add that piece's weights one by one): its place were no tie before it to
  // end, times its own mean weight.
  const auto about_at = [&](std::size_t block, const OnePass& pass) {
    if (pass.out == 0) return 0.0;
    return static_cast<double>(old_first(block) + proposal_start[block]) * (pass.sum / static_cast<double>(pass.out));
  };
  // Writes `block` of another thread's run (or of its own, under the test's limit) to a buffer of
  // this thread's (the `slot`-th this update).
  const auto write_stolen = [&](std::size_t block, std::size_t slot) {
    if (buffers.stolen.size() <= slot) buffers.stolen.resize(slot + 1);
    FirmTies& buffer = buffers.stolen[slot];
    const std::size_t room =
        old_first(block + 1) - old_first(block) + proposal_start[block + 1] - proposal_start[block];
    resize_columns(buffer, [&](auto& column) { resize_for_overwrite(column, room); });
    StolenBlock& taken = stolen[block];
    taken.held = TieArrays{buffer.a.data(), buffer.b.data(), buffer.weight.data()};
    const std::size_t first = new_ties + old_first(block), last = new_ties + old_first(block + 1);
    const OnePass pass =
        update_block_in_one_pass<false>(list, taken.held, x, first, last, last, proposals_of(block),
                                        proposals_of(block + 1), dynamics, OnePass{0, 0, 0.0}, buffers.ended.data(),
                                        already_buffer(block));
    taken.count = static_cast<std::size_t>(pass.out);
    taken.ended.assign(buffers.ended.data(), buffers.ended.data() + pass.ended);
    taken.already.assign(buffers.already.data(), buffers.already.data() + pass.already);
    append_pieces(taken.held.weight, taken.count, 0, about_at(block, pass), taken.pieces);
  };
  // A run's stolen blocks in order, each with its place in the new list (after its thread's blocks
  // and the stolen ones before it): `visit(block, place)`. Returns where the run's new list ends.
  const auto each_stolen_block = [&](const Run& run, auto&& visit) {
    std::size_t place = run.end;
    for (std::size_t block = run.written_end_block; block < run.last_block; ++block) {
      visit(stolen[block], place);
      place += stolen[block].count;
    }
    return place;
  };
  const auto end_with_stolen = [&](const Run& run) {
    return each_stolen_block(run, [](const StolenBlock&, std::size_t) {});
  };
  // Steals the blocks of `victim` from its last down, while its thread has more than its next block
  // left (`own`: the thief's run under the test's limit, every block left). Returns the slots used.
  const auto steal_from = [&](const Run& victim, bool own, std::size_t slot) {
    for (std::size_t block = victim.last_block; block > victim.first_block;) {
      --block;
      const std::uint8_t state = claims[block].load(std::memory_order_acquire);
      if (state == kOwned) break;      // its thread is here: the blocks before are its own
      if (state == kStolen) continue;  // another thief's
      if (!own && (block == victim.first_block || claims[block - 1].load(std::memory_order_acquire) != kFree)) break;
      std::uint8_t free = kFree;
      if (!claims[block].compare_exchange_strong(free, kStolen, std::memory_order_acq_rel)) {
        if (free == kOwned) break;
        continue;
      }
      write_stolen(block, slot++);
    }
    return slot;
  };
#pragma omp parallel
  {
    const int team = omp_get_num_threads(), t = omp_get_thread_num();
#pragma omp single
    {
      runs.resize(static_cast<std::size_t>(team));
      const std::vector<std::size_t> first_block = first_blocks_of_runs(blocks, team);
      for (std::size_t k = 0; k < runs.size(); ++k) {
        runs[k].first_block = first_block[k];
        runs[k].last_block = first_block[k + 1];
      }
      counts = std::vector<BlockCount>(runs.back().first_block);
      next_from_top.store(static_cast<std::ptrdiff_t>(counts.size()), std::memory_order_relaxed);
    }  // (a barrier)
    Run& run = runs[static_cast<std::size_t>(t)];
    const std::size_t source_start = new_ties + old_first(run.first_block);
    // No other thread writes there (a thief only reads the blocks it takes).
    const std::size_t source_end = new_ties + old_first(run.last_block);
    if (t == 0) {
      // A test's schedule: the counting threads count every block first (block 0 is the last they take).
      if (schedule == CountingSchedule::CountersFirst && !counts.empty())
        wait_until([&] { return counts[0].taker.load(std::memory_order_acquire) != kNobody; });
      const auto ready = [&](std::size_t block) {
        if (!claim_own(run, block)) return Ready::Stop;
        if (block >= counts.size()) return Ready::Counted;  // in no other run's count (the last run's blocks)
        std::uint8_t nobody = kNobody;
        if (counts[block].taker.compare_exchange_strong(nobody, kWriter, std::memory_order_acq_rel))
          return Ready::GivesCounts;
        wait_until([&] { return counts[block].counted.load(std::memory_order_acquire); });
        return Ready::Counted;
      };
      const auto written = [&](std::size_t block, bool gives_counts, const OnePass& pass, double sum_before) {
        if (!gives_counts) return;
        counts[block].ended = pass.ended;
        counts[block].already = pass.already;
        counts[block].sum = pass.sum - sum_before;
        counts[block].counted.store(true, std::memory_order_release);
      };
      const PassOfRun done =
          in_order_from_first_place(run.first_block, run.last_block, run.ended, run.already, ready, written);
      writer_stopped.store(true, std::memory_order_release);
      run.written_end_block = done.end_block;
      run.end = static_cast<std::size_t>(done.pass.out);
      run.sum = done.pass.sum;
    } else {
      resize_for_overwrite(buffers.ended, kBlock);
      // A test's schedule: thread 0 takes every block of its run first (it takes its last one as it
      // starts to write it), or stops before.
      const Run& first_run = runs.front();
      if (schedule == CountingSchedule::WriterFirst && first_run.last_block > first_run.first_block)
        wait_until([&] {
          return counts[first_run.last_block - 1].taker.load(std::memory_order_acquire) != kNobody ||
                 writer_stopped.load(std::memory_order_acquire);
        });
      // From the last counted block down, until thread 0 has taken the next one (it takes the rest).
      for (;;) {
        const std::ptrdiff_t next = next_from_top.fetch_sub(1, std::memory_order_relaxed) - 1;
        if (next < 0) break;
        const auto block = static_cast<std::size_t>(next);
        std::uint8_t nobody = kNobody;
        if (!counts[block].taker.compare_exchange_strong(nobody, kCounter, std::memory_order_acq_rel)) break;
        const Counted c = count_block(list, x, new_ties + old_first(block), new_ties + old_first(block + 1),
                                      proposal_start[block + 1] - proposal_start[block], dynamics, screen);
        counts[block].ended = c.ended;
        counts[block].sum = c.sum;
        counts[block].already = ties_among(list, new_ties + old_first(block), new_ties + old_first(block + 1),
                                       proposals_of(block), proposals_of(block + 1), index.data(), new_ties);
        counts[block].counted.store(true, std::memory_order_release);
      }
      for (std::size_t block = 0; block < run.first_block; ++block)
        wait_until([&] { return counts[block].counted.load(std::memory_order_acquire); });
      std::size_t ended_before = 0, already_before = 0;
      double at = 0.0;  // where the running sum about is at the run's start
      for (std::size_t block = 0; block < run.first_block; ++block) {
        ended_before += counts[block].ended;
        already_before += counts[block].already;
        at += counts[block].sum;
      }
      std::size_t out = old_first(run.first_block) + proposal_start[run.first_block] - ended_before - already_before;
      run.start = out;
      // The buffer holds the blocks that start below the run's old ties: at most the places between,
      // and one block more.
      FirmTies& buffer = buffers.run;
      const std::size_t room = (source_start > out ? source_start - out : 0) + kBlock +
                               (proposal_start[run.last_block] - proposal_start[run.first_block]);
      resize_columns(buffer, [&](auto& column) { resize_for_overwrite(column, room); });
      const TieArrays buffered{buffer.a.data(), buffer.b.data(), buffer.weight.data()};
      run.held = buffered;
      std::size_t block = run.first_block;
      std::size_t waited_through = run.first_block;  // the run's blocks before it are counted
      for (; block < run.last_block && claim_own(run, block); ++block) {
        const std::size_t first = new_ties + old_first(block), last = new_ties + old_first(block + 1);
        const bool held = out < source_start;  // would land on old ties another thread may not have read yet
        // A block moved where it lies starts at least its new ties below its old ones (as every
        // destination does when the counts are right): else its writes could pass its reads, or
        // the next run's old ties. Only wrong counts can break it; the update then stops here.
        const std::size_t new_in_block = proposal_start[block + 1] - proposal_start[block];
        if (!held && out + new_in_block > first) {
          counts_differ = true;
          break;
        }
        // The blocks of a run another's start depends on (three threads or more) may still be
        // counted by a counting thread that took them before this thread had done its share: their
        // old ties are overwritten only once they are (a block moved where it lies lands on its own
        // old ties and those of the run's blocks before it; with the threads outnumbering the cores,
        // a counting thread set aside for a few milliseconds read them overwritten, and the update
        // threw).
        if (!held)
          for (; waited_through <= block && waited_through < counts.size(); ++waited_through)
            wait_until([&] { return counts[waited_through].counted.load(std::memory_order_acquire); });
        const auto start = static_cast<std::ptrdiff_t>(held ? run.buffered : out);
        const OnePass pass =
            held ? update_block_in_one_pass<false>(list, buffered, x, first, last, source_end, proposals_of(block),
                                                   proposals_of(block + 1), dynamics, OnePass{start, 0, 0.0},
                                                   buffers.ended.data(), already_buffer(block))
                 : update_block_in_one_pass<true>(list, list, x, first, last, source_end, proposals_of(block),
                                                  proposals_of(block + 1), dynamics, OnePass{start, 0, 0.0},
                                                  buffers.ended.data(), already_buffer(block));
        run.ended.insert(run.ended.end(), buffers.ended.data(), buffers.ended.data() + pass.ended);
        keep_already(run.already, pass);
        const auto count = static_cast<std::size_t>(pass.out - start);
        at = append_pieces((held ? buffered.weight : list.weight) + start, count, out, at, run.pieces);
        if (held) run.buffered += count;
        out += count;
      }
      run.written_end_block = block;
      run.end = out;
    }
    // Done with its own run: what is left of it under the test's limit, then the other runs' last
    // blocks, the nearest runs first.
    std::size_t slot = 0;
    if (limit != kNoLimit) slot = steal_from(run, true, slot);
    for (int distance = 1; distance < team; ++distance)
      for (const int victim : {t + distance, t - distance})
        if (victim >= 0 && victim < team) slot = steal_from(runs[static_cast<std::size_t>(victim)], false, slot);
    if (buffers.stolen.size() > kKeptSlots) buffers_to_trim = true;
#pragma omp barrier
    // Every old tie is read: the held and the stolen blocks go to their place, each thread a share of
    // each (0.025 s of the large benchmark's run when each thread copied its own held blocks alone).
    // Each run's stolen blocks follow its thread's; each run's start is checked first against the end
    // of the run before it: the count and the pass decide each tie by the same expression; were they
    // ever to differ, nothing is copied and the update throws below.
    bool runs_meet = !counts_differ.load();
    for (std::size_t k = 1; k < runs.size(); ++k)
      runs_meet = runs_meet && end_with_stolen(runs[k - 1]) == runs[k].start;
    if (!runs_meet) {
      counts_differ = true;
    } else {
      const auto copy_share = [&](const TieArrays& from, std::size_t count, std::size_t to) {
        const auto [first, last] = thread_share(count, t, team);
        std::copy(from.a + first, from.a + last, list.a + to + first);
        std::copy(from.b + first, from.b + last, list.b + to + first);
        std::copy(from.weight + first, from.weight + last, list.weight + to + first);
      };
      for (std::size_t k = 0; k < runs.size(); ++k) {
        const Run& done = runs[k];
        if (k > 0) copy_share(done.held, done.buffered, done.start);
        each_stolen_block(done, [&](const StolenBlock& taken, std::size_t place) {
          copy_share(taken.held, taken.count, place);
        });
      }
    }
    // A thread's buffers beyond a few go once copied: a spell in which one thread took many blocks
    // (a hundred in an update of 1 million firms, its other thread set aside) would otherwise keep
    // their memory to the run's end, the peak of the file's writing included (the 1 million firms'
    // peak on two threads 692 MiB, 635 before; thirtieth round).
    if (buffers_to_trim) {
#pragma omp barrier
      if (buffers.stolen.size() > kKeptSlots) buffers.stolen.resize(kKeptSlots);
    }
  }
  // Thrown here, not inside the threads' region.
  if (counts_differ) throw std::logic_error("update_ties_in_place: a run's ended ties differ between the count and the pass");
  for (const Run& run : runs) {
    update.removed.insert(update.removed.end(), run.ended.begin(), run.ended.end());
    update.already_ties.insert(update.already_ties.end(), run.already.begin(), run.already.end());
    each_stolen_block(run, [&](const StolenBlock& taken, std::size_t) {
      update.removed.insert(update.removed.end(), taken.ended.begin(), taken.ended.end());
      update.already_ties.insert(update.already_ties.end(), taken.already.begin(), taken.already.end());
    });
  }
  // The one chain left: thread 0's sum, then a piece after another, in order (in_order_sum.hpp).
  const double* const new_weight = list.weight;
  double sum = runs.front().sum;
  for (const Run& run : runs) {
    for (const PlacedPiece& placed : run.pieces)
      sum = add_piece(sum, placed.piece, std::span<const double>(new_weight + placed.first, placed.count));
    each_stolen_block(run, [&](const StolenBlock& taken, std::size_t place) {
      for (const PlacedPiece& placed : taken.pieces)
        sum = add_piece(sum, placed.piece, std::span<const double>(new_weight + place + placed.first, placed.count));
    });
  }
  finish(end_with_stolen(runs.back()));
  update.weight_sum = sum;
  return update;
}

}  // namespace policysim
