#include "sim/dynamics/firms/b2b_tie_update.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <type_traits>

#include "sim/model/in_order_sum.hpp"
#include "sim/model/in_place_blocks.hpp"
#include "sim/model/resize_for_overwrite.hpp"
#include "sim/model/thread_shares.hpp"

namespace policysim {
namespace {

// A thread's buffers, reused from step to step (fresh pages cost more than the work): the ties that
// end in a block, and blocks' new ties before they go to their place (rewrite_in_place's slots).
struct BlockBuffers {
  Column<std::uint64_t> ended;
  std::vector<FirmTies> blocks;
};
thread_local BlockBuffers buffers;

// make_room_in_front (tie_column.hpp) on the run's threads (from outside any parallel region): where
// the column must move to a new block, its elements are copied there by the threads, each a share,
// so that the copy and the first touch of the new block's pages (its page faults) divide; one thread
// did them, about 0.02 s of the large benchmark whatever the threads (docs/performance.md,
// eighteenth round).
template <typename T>
void make_room_in_front_on_threads(TieColumn<T>& column, std::size_t room) {
  column.make_room_in_front(room, [](const T* from, std::size_t size, T* to) {
    const auto count = static_cast<long>(size);
    constexpr long kShare = 1L << 16;
#pragma omp parallel for schedule(static)
    for (long first = 0; first < count; first += kShare)
      std::copy(from + first, from + std::min(count, first + kShare), to + first);
  });
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
// ties, the new weights' running sum.
struct OnePass {
  std::ptrdiff_t out;
  std::size_t ended;
  double sum;
};

// The one pass over the old ties [e, e_end) of `from` and the proposals [proposal, proposal_end)
// before the next block's first tie: each old tie's new weight, the tie written to `to` at `out`
// (kept when it survives, else listed in `ended`), each proposal at its place. kInPlace: `to` is
// `from` (the one thread's pass, and a thread's block moved where it lies: out <= e, each tie read
// before its place is written); else `to` is a buffer. x[b] is fetched a few ties ahead, from ties
// below prefetch_end only (a thread reads no other block's ties). Arguments rather than a closure,
// the numbers in registers: through captures GCC kept the running sum and the rule's numbers on the
// stack, a store and loads on every tie.
template <bool kInPlace>
__attribute__((noinline)) OnePass update_block_in_one_pass(const TieArrays from, const TieArrays to_arrays,
                                                          const double* const x, std::size_t e,
                                                          const std::size_t e_end, const std::size_t prefetch_end,
                                                          const std::uint64_t* proposal,
                                                          const std::uint64_t* const proposal_end,
                                                          const B2bDynamics& dynamics, OnePass pass,
                                                          std::uint64_t* const ended) {
  const TieArrays to = kInPlace ? from : to_arrays;
  const std::uint32_t *const a = from.a, *const b = from.b;
  const double* const weight = from.weight;
  const double keep = 1.0 - dynamics.weight_adjustment, adjustment = dynamics.weight_adjustment;
  const double cut = dynamics.removal_threshold, start_weight = dynamics.initial_weight;
  std::ptrdiff_t out = pass.out;
  double sum = pass.sum;
  std::size_t ended_count = 0;
  constexpr std::size_t kAhead = 16;  // x[b] is a random read: fetched a few ties ahead
  // The old ties up to the next proposal, then the proposal: the inner loop compares each old tie
  // with one number. An old tie has a < b, so its key is a << 32 | b; a proposed pair is never an old
  // tie, so no key equals the limit, and after the last proposal the limit is above every key.
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
    to.a[out] = static_cast<std::uint32_t>(limit >> 32);  // in place, out < e: a new tie is left to write for each place
    to.b[out] = static_cast<std::uint32_t>(limit & 0xffffffffu);
    to.weight[out] = start_weight;
    ++out;
    sum += start_weight;
    ++proposal;
  }
  return OnePass{out, ended_count, sum};
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

// On the run's threads (the threads' path of update_ties_in_place, outside any parallel region).
WeightScreen weight_screen(std::span<const double> innovation, const B2bDynamics& dynamics) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  bool finite = true;
  const double* const x = innovation.data();
  const auto n = static_cast<long>(innovation.size());
#pragma omp parallel for schedule(static) reduction(min : low) reduction(max : high) reduction(&& : finite)
  for (long f = 0; f < n; ++f) {
    low = std::min(low, x[f]);
    high = std::max(high, x[f]);
    finite = finite && std::isfinite(x[f]);
  }
  WeightScreen screen;
  if (!finite || n == 0) return screen;
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

// What a block's new list will hold, counted before it is written (the threads' first pass): its
// ended ties, and about its new weights' sum (where the blocks after it about start, for
// in_order_sum.hpp's pieces). Reads the block's weights, and the pairs of the few ties the screen
// leaves open; writes nothing.
struct Counted {
  std::size_t ended;
  double sum;
};
__attribute__((noinline)) Counted count_block(const TieArrays from, const double* const x, std::size_t e,
                                              const std::size_t e_end, const std::size_t proposals,
                                              const B2bDynamics& dynamics, const WeightScreen& screen) {
  const std::uint32_t *const a = from.a, *const b = from.b;
  const double* const weight = from.weight;
  const double keep = 1.0 - dynamics.weight_adjustment, adjustment = dynamics.weight_adjustment;
  const double cut = dynamics.removal_threshold;
  const double survive_from = screen.screens ? screen.survive_from : std::numeric_limits<double>::quiet_NaN();
  const double end_below = screen.screens ? screen.end_below : std::numeric_limits<double>::quiet_NaN();
  std::size_t ended = 0, kept = 0;
  double kept_sum = 0.0;  // keep w of the ties kept
  for (; e < e_end; ++e) {
    const double kept_weight = keep * weight[e];
    if (kept_weight >= survive_from) {  // never with NaN bounds: no screen
      kept_sum += kept_weight;
      ++kept;
    } else if (kept_weight < end_below) {
      ++ended;
    } else {
      // The same expression as the pass that writes (update_block_in_one_pass), hence the same decision.
      const double w = moved_weight(keep, adjustment, weight[e], x[a[e]], x[b[e]]);
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

}  // namespace

TieUpdate update_ties_in_place(FirmTies& ties, std::span<const std::uint64_t> proposals,
                               std::span<const double> firm_innovation, const B2bDynamics& dynamics) {
  // One pass over the list where it lies. The new list starts as many places before the old one as
  // there are new ties (the columns keep room in front, tie_column.hpp), so that each write lands at
  // least as many places behind the reads as new ties are left to write: never on a tie not yet
  // read. Each old tie is read once and written once (its new weight, and moved by the new ties
  // before it, less the ended ones), where two passes read it twice and wrote its weight twice
  // (docs/performance.md, nineteenth round). The old ties are cut into blocks, each with the
  // proposals that fall before the next block's first tie. One thread does the blocks in order, the
  // new weights summed one after the other in the new order. On threads, a first pass counts each
  // block's ended ties without writing anything (and about sums its new weights); from the counts of
  // the blocks before it, each block's place in the new list is known, and the one pass writes the
  // blocks there (rewrite_in_place: block by block, none written over another before it has been
  // read; twentieth round), cutting each block's new list into pieces summed by in_order_sum.hpp's
  // shortcut, so that only one addition a piece is left in order. Which block holds a tie, and which
  // thread a block, changes nothing in what is written.
  TieUpdate update;
  const std::size_t old_count = ties.count();
  const std::size_t new_ties = proposals.size();
  const double* const x = firm_innovation.data();  // 8 bytes a firm, cache-resident, rather than the firms' rows
  const std::uint64_t* const proposed = proposals.data();
  constexpr std::size_t kBlock = 1u << 16;
  const bool threads = worth_threads(old_count, 2 * kBlock);
  // Block k: the old ties [k kBlock, (k + 1) kBlock) and the proposals [proposal_start[k],
  // proposal_start[k + 1]), those before the next block's first tie. At least one block, for the
  // proposals of an empty network.
  const std::size_t blocks = std::max<std::size_t>(1, (old_count + kBlock - 1) / kBlock);
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

  if (!threads) {
    OnePass pass{0, 0, 0.0};
    resize_for_overwrite(buffers.ended, kBlock);
    for (std::size_t block = 0; block < blocks; ++block) {
      pass = update_block_in_one_pass<true>(list, list, x, new_ties + old_first(block), new_ties + old_first(block + 1),
                                            new_ties + old_count, proposals_of(block), proposals_of(block + 1), dynamics,
                                            pass, buffers.ended.data());
      update.removed.insert(update.removed.end(), buffers.ended.data(), buffers.ended.data() + pass.ended);
    }
    finish(static_cast<std::size_t>(pass.out));
    update.weight_sum = pass.sum;
    return update;
  }

  // Threads. Pass 1: each block's ended ties counted, mostly from their weights alone (WeightScreen),
  // its new weights about summed.
  const WeightScreen screen = weight_screen(firm_innovation, dynamics);
  std::vector<std::size_t> ended_before(blocks + 1, 0);  // ties ended in the blocks before block k
  std::vector<double> block_sum(blocks);
#pragma omp parallel for schedule(static)
  for (long b = 0; b < static_cast<long>(blocks); ++b) {
    const auto block = static_cast<std::size_t>(b);
    const Counted counted = count_block(list, x, new_ties + old_first(block), new_ties + old_first(block + 1),
                                        proposal_start[block + 1] - proposal_start[block], dynamics, screen);
    ended_before[block + 1] = counted.ended;
    block_sum[block] = counted.sum;
  }
  for (std::size_t block = 0; block < blocks; ++block) ended_before[block + 1] += ended_before[block];
  // Each block's ended ties go to their place in `removed` (block order) when the block is written.
  update.removed.resize(ended_before[blocks]);

  // Pass 2: block k's old ties [source[k], source[k + 1]) (from the new list's first place; block 0's
  // source taken from 0, the room in front included: no other block's destination lies there before
  // block 0 is done) and proposals go to [destination[k], destination[k + 1]). Every destination
  // starts at least its block's proposals below its source, so every block can move where it lies.
  std::vector<std::size_t> source(blocks + 1), destination(blocks + 1);
  for (std::size_t block = 0; block <= blocks; ++block) {
    source[block] = block == 0 ? 0 : new_ties + old_first(block);
    destination[block] = old_first(block) + proposal_start[block] - ended_before[block];
  }
  const std::size_t new_count = destination[blocks];
  // Block k's new list is cut into pieces of kPiece weights (the last one shorter), pieces
  // piece_first[k] to piece_first[k + 1], each quantized for where the running sum about is there:
  // after the blocks before it (their sums from pass 1), then after the pieces before it.
  constexpr std::size_t kPiece = 2048;
  std::vector<std::size_t> piece_first(blocks + 1, 0);
  std::vector<double> approximate_start(blocks, 0.0);
  for (std::size_t block = 0; block < blocks; ++block) {
    piece_first[block + 1] = piece_first[block] + (destination[block + 1] - destination[block] + kPiece - 1) / kPiece;
    if (block + 1 < blocks) approximate_start[block + 1] = approximate_start[block] + block_sum[block];
  }
  std::vector<SumPiece> pieces(piece_first[blocks]);
  // Block `block`'s new weights (its destination's count, from `from`) quantized for the in-order
  // sum, piece by piece; copied to `copy_to` in the same pass when it is given.
  const auto quantize_block = [&](std::size_t block, const double* from, double* copy_to) {
    const std::size_t count = destination[block + 1] - destination[block];
    double at = approximate_start[block];
    for (std::size_t first = 0, piece = piece_first[block]; first < count; first += kPiece, ++piece) {
      const std::span<const double> weights(from + first, std::min(kPiece, count - first));
      pieces[piece] = quantize_piece(weights, at, copy_to == nullptr ? nullptr : copy_to + first);
      at += pieces[piece].approximate;
    }
  };
  // Block `block` in one pass, written to `to` from `out` on; its ended ties to their place in
  // `removed`. The two passes decide each tie's end by the same expression (the screen's margin far
  // above its rounding); were they ever to differ, the block's writes still stay within its own
  // source's end (its destination starts its block's new ties, and the ties ended before it, below
  // its source), its ended ties within the thread's buffer, and the update throws below.
  std::atomic<bool> counts_differ{false};
  const auto write_block = [&](std::size_t block, TieArrays to, std::ptrdiff_t out, auto in_place) {
    const std::size_t first = new_ties + old_first(block), last = new_ties + old_first(block + 1);
    resize_for_overwrite(buffers.ended, kBlock);
    const OnePass pass = update_block_in_one_pass<decltype(in_place)::value>(
        list, to, x, first, last, last, proposals_of(block), proposals_of(block + 1), dynamics, OnePass{out, 0, 0.0},
        buffers.ended.data());
    if (pass.ended != ended_before[block + 1] - ended_before[block] ||
        static_cast<std::size_t>(pass.out - out) != destination[block + 1] - destination[block]) {
      counts_differ = true;
      return;
    }
    std::copy_n(buffers.ended.data(), pass.ended, update.removed.data() + ended_before[block]);
  };
  rewrite_in_place(
      source, destination, threads, [](std::size_t) { return true; },
      [&](std::size_t block) {
        write_block(block, list, static_cast<std::ptrdiff_t>(destination[block]), std::true_type{});
        // The moved weights quantized where they now lie (still in cache).
        quantize_block(block, list.weight + destination[block], nullptr);
      },
      [&](std::size_t block, std::size_t slot) {
        // A block whose source lies under another thread's destinations: written to a buffer first.
        FirmTies& buffer = slot_buffer(buffers.blocks, slot);
        const std::size_t room = old_first(block + 1) - old_first(block) + (proposal_start[block + 1] - proposal_start[block]);
        resize_columns(buffer, [&](auto& column) { resize_for_overwrite(column, room); });
        write_block(block, TieArrays{buffer.a.data(), buffer.b.data(), buffer.weight.data()}, 0, std::false_type{});
      },
      [&](std::size_t block, std::size_t slot) {
        const FirmTies& buffer = slot_buffer(buffers.blocks, slot);
        const std::size_t count = destination[block + 1] - destination[block];
        std::copy_n(buffer.a.data(), count, list.a + destination[block]);
        std::copy_n(buffer.b.data(), count, list.b + destination[block]);
        // The weights are quantized as they are copied: the stores hide the few additions.
        quantize_block(block, buffer.weight.data(), list.weight + destination[block]);
      });
  // Thrown here, not inside the threads' region.
  if (counts_differ) throw std::logic_error("update_ties_in_place: a block's ended ties differ between the count and the pass");
  finish(new_count);
  // The one chain left: a piece after another, in order (in_order_sum.hpp), from the new list.
  const double* const new_weight = ties.weight.data();
  double sum = 0.0;
  for (std::size_t block = 0; block < blocks; ++block)
    for (std::size_t first = destination[block], piece = piece_first[block]; first < destination[block + 1];
         first += kPiece, ++piece)
      sum = add_piece(sum, pieces[piece],
                      std::span<const double>(new_weight + first, std::min(kPiece, destination[block + 1] - first)));
  update.weight_sum = sum;
  return update;
}

}  // namespace policysim
