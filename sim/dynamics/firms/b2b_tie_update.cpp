#include "sim/dynamics/firms/b2b_tie_update.hpp"

#include <algorithm>
#include <span>

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

// resize_keeping (resize_for_overwrite.hpp) on the run's threads (from outside any parallel region):
// where the column must grow past its capacity, its elements are copied to the new block by the
// threads, each a share, so that the copy and the first touch of the new block's pages (its page
// faults) divide; one thread did them, about 0.02 s of the large benchmark whatever the threads
// (docs/performance.md, eighteenth round). The same room as resize_keeping's.
template <typename T>
void resize_keeping_on_threads(TieColumn<T>& column, std::size_t n) {
  column.reserve(n, [](const T* from, std::size_t size, T* to) {
    const auto count = static_cast<long>(size);
    constexpr long kShare = 1L << 16;
#pragma omp parallel for schedule(static)
    for (long first = 0; first < count; first += kShare)
      std::copy(from + first, from + std::min(count, first + kShare), to + first);
  });
  column.resize(n);
}

// Applies `resize` to each of a tie list's three columns.
template <typename Resize>
void resize_columns(FirmTies& ties, Resize&& resize) {
  resize(ties.a);
  resize(ties.b);
  resize(ties.weight);
}

// Where the one-thread pass is after a block: the next write's place (from the old list's first
// tie: negative before it), the block's ended ties, the new weights' running sum.
struct OnePass {
  std::ptrdiff_t out;
  std::size_t ended;
  double sum;
};

// The one-thread pass (update_ties_in_place, below) over the old ties [e, e_end) and the proposals
// [proposal, proposal_end) before the next block's first tie: each old tie's new weight, the tie
// written at `out` (kept when it survives, else listed in `ended`), each proposal at its place.
// Arguments rather than a closure, the numbers in registers: through captures GCC kept the running
// sum and the rule's numbers on the stack, a store and loads on every tie.
__attribute__((noinline)) OnePass update_block_in_one_pass(std::uint32_t* const a, std::uint32_t* const b,
                                                          double* const weight, const double* const x, std::size_t e,
                                                          const std::size_t e_end, const std::size_t old_count,
                                                          const std::uint64_t* proposal,
                                                          const std::uint64_t* const proposal_end,
                                                          const B2bDynamics& dynamics, OnePass pass,
                                                          std::uint64_t* const ended) {
  const double keep = 1.0 - dynamics.weight_adjustment, adjustment = dynamics.weight_adjustment;
  const double cut = dynamics.removal_threshold, start_weight = dynamics.initial_weight;
  std::ptrdiff_t out = pass.out;
  double sum = pass.sum;
  std::size_t ended_count = 0;
  constexpr std::size_t kAhead = 16;  // x[b] is a random read: fetched a few ties ahead
  // The old ties up to the next proposal, then the proposal (settle_block's loop).
  for (;;) {
    const std::uint64_t limit = proposal < proposal_end ? *proposal : ~std::uint64_t{0};
    for (; e < e_end && ((std::uint64_t{a[e]} << 32) | b[e]) < limit; ++e) {
      if (e + kAhead < old_count) __builtin_prefetch(x + b[e + kAhead]);
      const std::uint32_t tie_first = a[e], tie_second = b[e];
      const double w = moved_weight(keep, adjustment, weight[e], x[tie_first], x[tie_second]);
      a[out] = tie_first;  // out <= e: the tie just read, or one before it
      b[out] = tie_second;
      weight[out] = w;
      if (w >= cut) {
        sum += w;
        ++out;
      } else {
        ended[ended_count++] = (std::uint64_t{tie_first} << 32) | tie_second;
      }
    }
    if (proposal == proposal_end) break;
    a[out] = static_cast<std::uint32_t>(limit >> 32);  // out < e: a new tie is left to write for each place
    b[out] = static_cast<std::uint32_t>(limit & 0xffffffffu);
    weight[out] = start_weight;
    ++out;
    sum += start_weight;
    ++proposal;
  }
  return OnePass{out, ended_count, sum};
}

}  // namespace

TieUpdate update_ties_in_place(FirmTies& ties, std::span<const std::uint64_t> proposals,
                               std::span<const double> firm_innovation, const B2bDynamics& dynamics) {
  // The old ties are cut into blocks, each with the proposals that fall before the next block's
  // first tie. One thread does the blocks in order in one pass (below). On threads, a first pass
  // computes each old tie's new weight where it lies, lists the ties that end and sums each block's
  // new weights from 0 (where the block's sum starts, about); from the counts of the blocks before
  // it, each block's place in the new list is known, and a second pass moves the survivors and the
  // proposals there (rewrite_in_place: block by block, none written over another before it has been
  // read), cutting each block's new list into pieces summed by in_order_sum.hpp's shortcut, so that
  // only one addition a piece is left in order. Which block holds a tie, and which thread a block,
  // changes nothing in what is written.
  TieUpdate update;
  const std::size_t old_count = ties.count();
  const double* const x = firm_innovation.data();  // 8 bytes a firm, cache-resident, rather than the firms' rows
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
  // A block's old ties and its proposals: what its new ties can number at most.
  const auto block_room = [&](std::size_t block) {
    return old_first(block + 1) - old_first(block) + (proposal_start[block + 1] - proposal_start[block]);
  };

  if (!threads) {
    // One thread: one pass over the list where it lies. The new list starts as many places before
    // the old one as there are new ties (the columns keep room in front, tie_column.hpp), so that
    // each write lands at least as many places behind the reads as new ties are left to write:
    // never on a tie not yet read. Each old tie is read once and written once (its new weight, and
    // moved by the new ties before it, less the ended ones), where two passes read it twice and
    // wrote its weight twice (docs/performance.md, nineteenth round). Block by block, for the ended
    // ties' buffer; the new weights summed one after the other in the new order (the threads'
    // pieces, below, give the same double).
    const std::size_t new_ties = proposals.size();
    resize_columns(ties, [&](auto& column) { column.make_room_in_front(new_ties); });
    OnePass pass{-static_cast<std::ptrdiff_t>(new_ties), 0, 0.0};
    resize_for_overwrite(buffers.ended, kBlock);
    for (std::size_t block = 0; block < blocks; ++block) {
      pass = update_block_in_one_pass(ties.a.data(), ties.b.data(), ties.weight.data(), x, old_first(block),
                                      old_first(block + 1), old_count, proposed + proposal_start[block],
                                      proposed + proposal_start[block + 1], dynamics, pass, buffers.ended.data());
      update.removed.insert(update.removed.end(), buffers.ended.data(), buffers.ended.data() + pass.ended);
    }
    const auto out = static_cast<std::size_t>(pass.out + static_cast<std::ptrdiff_t>(new_ties));
    resize_columns(ties, [&](auto& column) { column.start_earlier(new_ties, out); });
    update.weight_sum = pass.sum;
    return update;
  }

  // Threads. Pass 1 over block `block`: each old tie's new weight, written where it lies; the ties
  // that end, to `ended`; the new weights in their new order (the survivors' and the proposals'
  // initial one) added to `sum`, from 0, the block's own. The sum is returned, not added through a
  // reference: through one, GCC kept it on the stack, a store and a load on every tie's chain of
  // additions.
  struct Settled {
    std::size_t ended;
    double sum;
  };
  const auto settle_block = [&](std::size_t block, std::uint64_t* const ended) __attribute__((noinline)) {
    // Local copies: read through the closures, every double below was reloaded after each store of
    // a weight (a double store may alias a captured double).
    const std::uint32_t *const from_a = ties.a.data(), *const from_b = ties.b.data();
    double* const weight = ties.weight.data();
    const double* const innovation = x;
    const double kept = keep, moved = adjustment, cut = threshold, start_weight = initial;
    const std::uint64_t* const proposal = proposed;
    std::size_t e = old_first(block), p = proposal_start[block];
    const std::size_t e_end = old_first(block + 1), p_end = proposal_start[block + 1];
    std::size_t ended_count = 0;
    double sum = 0.0;
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
          sum += w;
        } else {
          ended[ended_count++] = (std::uint64_t{from_a[e]} << 32) | from_b[e];
        }
      }
      if (p == p_end) break;
      sum += start_weight;
      ++p;
    }
    return Settled{ended_count, sum};
  };
  std::vector<std::uint64_t>& removed = update.removed;
  std::vector<std::size_t> ended_before(blocks + 1, 0);  // ties ended in the blocks before block k
  // A block's ended ties join `removed` in block order.
  const auto append_ended = [&](std::size_t block, const Settled& settled) {
    removed.insert(removed.end(), buffers.ended.data(), buffers.ended.data() + settled.ended);
    ended_before[block + 1] = settled.ended;
  };
  // Each block's new weights summed from 0, where the blocks after it about start. Each thread
  // settles a block, then, in block order (`ordered`: block k's turn comes when block k - 1's is
  // over), appends its ended ties.
  std::vector<double> block_sum(blocks);
#pragma omp parallel
  {
    resize_for_overwrite(buffers.ended, kBlock);
#pragma omp for schedule(dynamic, 1) ordered
    for (long b = 0; b < static_cast<long>(blocks); ++b) {
      const auto block = static_cast<std::size_t>(b);
      const Settled settled = settle_block(block, buffers.ended.data());
      block_sum[block] = settled.sum;
#pragma omp ordered
      append_ended(block, settled);
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
  resize_columns(ties, [&](auto& column) { resize_keeping_on_threads(column, std::max(old_count, new_count)); });
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
  std::uint32_t* const tie_a = ties.a.data();
  std::uint32_t* const tie_b = ties.b.data();
  double* const tie_weight = ties.weight.data();
  // Block `block`'s new list, from its first tie and first proposal up, written to `a`, `b`,
  // `weight` from index `out` on: the survivors (each tie written always and kept when it survives,
  // no branch on the data) and the proposals in key order. Each old tie is read before anything is
  // written, so the list may be written over the old one where the writes trail the reads.
  const auto merge_forwards = [&](std::size_t block, std::uint32_t* const a, std::uint32_t* const b,
                                  double* const weight, std::size_t out) {
    const std::uint32_t *const from_a = tie_a, *const from_b = tie_b;
    const double* const from_weight = tie_weight;
    const double cut = threshold, start_weight = initial;
    const std::uint64_t* const proposal = proposed;
    std::size_t e = source[block], p = proposal_start[block];
    const std::size_t e_end = source[block + 1], p_end = proposal_start[block + 1];
    for (;;) {
      const std::uint64_t limit = p < p_end ? proposal[p] : ~std::uint64_t{0};
      for (; e < e_end && ((std::uint64_t{from_a[e]} << 32) | from_b[e]) < limit; ++e) {
        const std::uint32_t tie_first = from_a[e], tie_second = from_b[e];
        const double w = from_weight[e];
        a[out] = tie_first;
        b[out] = tie_second;
        weight[out] = w;
        out += w >= cut ? 1 : 0;
      }
      if (p == p_end) break;
      a[out] = static_cast<std::uint32_t>(limit >> 32);
      b[out] = static_cast<std::uint32_t>(limit & 0xffffffffu);
      weight[out] = start_weight;
      ++out;
      ++p;
    }
  };
  // Threads: block `block`'s new weights (its destination's count, from `from`) quantized for the
  // in-order sum, piece by piece; copied to `copy_to` in the same pass when it is given.
  const auto quantize_block = [&](std::size_t block, const double* from, double* copy_to) {
    const std::size_t count = destination[block + 1] - destination[block];
    double at = approximate_start[block];
    for (std::size_t first = 0, piece = piece_first[block]; first < count; first += kPiece, ++piece) {
      const std::span<const double> weights(from + first, std::min(kPiece, count - first));
      pieces[piece] = quantize_piece(weights, at, copy_to == nullptr ? nullptr : copy_to + first);
      at += pieces[piece].approximate;
    }
  };
  // A block whose new list can be written over its own old one without passing the reads moves
  // where it lies, with no buffer and no copy (rewrite_in_place; seventeenth round, on threads
  // since the eighteenth, docs/performance.md). Reading forwards, the writes trail the reads when
  // the block's destination starts at least its proposals' count below its source (each tie read
  // before the slot it lies in is written); reading backwards, when the destination ends at least
  // that many above the source's end. Blocks that fit neither go through a buffer. Which way a
  // block goes changes nothing in what is written, and rewrite_in_place's order keeps every other
  // block's unread source safe.
  const auto moves_forwards = [&](std::size_t block) {
    return destination[block] + (proposal_start[block + 1] - proposal_start[block]) <= source[block];
  };
  const auto moves_backwards = [&](std::size_t block) {
    return destination[block + 1] >= source[block + 1] + (proposal_start[block + 1] - proposal_start[block]);
  };
  const auto movable = [&](std::size_t block) { return moves_forwards(block) || moves_backwards(block); };
  // From the block's last tie and last proposal down: the larger key first.
  const auto merge_backwards = [&](std::size_t block) {
    std::uint32_t* const a = tie_a;
    std::uint32_t* const b = tie_b;
    double* const weight = tie_weight;
    const double cut = threshold, start_weight = initial;
    const std::uint64_t* const proposal = proposed;
    const std::size_t p_first = proposal_start[block], e_first = source[block];
    std::size_t e = source[block + 1], p = proposal_start[block + 1], out = destination[block + 1];
    for (;;) {
      const std::uint64_t limit = p > p_first ? proposal[p - 1] : 0;
      const bool any_proposal = p > p_first;
      for (; e > e_first && (!any_proposal || ((std::uint64_t{a[e - 1]} << 32) | b[e - 1]) > limit); --e) {
        const std::uint32_t tie_first = a[e - 1], tie_second = b[e - 1];
        const double w = weight[e - 1];
        a[out - 1] = tie_first;  // out - 1 >= e - 1: written always, kept when it survives
        b[out - 1] = tie_second;
        weight[out - 1] = w;
        out -= w >= cut ? 1 : 0;
      }
      if (!any_proposal) break;
      --out;
      a[out] = static_cast<std::uint32_t>(limit >> 32);
      b[out] = static_cast<std::uint32_t>(limit & 0xffffffffu);
      weight[out] = start_weight;
      --p;
    }
  };
  const auto move_in_place = [&](std::size_t block) {
    if (moves_forwards(block))
      merge_forwards(block, tie_a, tie_b, tie_weight, destination[block]);  // out <= e: each tie read first
    else
      merge_backwards(block);
    // The moved weights quantized where they now lie (still in cache).
    quantize_block(block, tie_weight + destination[block], nullptr);
  };
  rewrite_in_place(
      source, destination, threads, movable, move_in_place,
      [&](std::size_t block, std::size_t slot) {
        FirmTies& buffer = slot_buffer(buffers.blocks, slot);
        resize_columns(buffer, [&](auto& column) { resize_for_overwrite(column, block_room(block)); });
        merge_forwards(block, buffer.a.data(), buffer.b.data(), buffer.weight.data(), 0);
      },
      [&](std::size_t block, std::size_t slot) {
        const FirmTies& buffer = slot_buffer(buffers.blocks, slot);
        const std::size_t count = destination[block + 1] - destination[block];
        // Plain stores: the destination lies over sources just read, often still in cache. The
        // streaming stores that suited a fresh list (the eighth round's copies) made the large
        // case 4% slower here, the medium 8% (docs/performance.md, ninth round).
        std::copy_n(buffer.a.data(), count, tie_a + destination[block]);
        std::copy_n(buffer.b.data(), count, tie_b + destination[block]);
        // The weights are quantized as they are copied: the stores hide the few additions.
        quantize_block(block, buffer.weight.data(), tie_weight + destination[block]);
      });
  resize_columns(ties, [&](auto& column) { column.resize(new_count); });
  // The one chain left: a piece after another, in order (in_order_sum.hpp), from the new list.
  double sum = 0.0;
  for (std::size_t block = 0; block < blocks; ++block)
    for (std::size_t first = destination[block], piece = piece_first[block]; first < destination[block + 1];
         first += kPiece, ++piece)
      sum = add_piece(sum, pieces[piece],
                      std::span<const double>(tie_weight + first, std::min(kPiece, destination[block + 1] - first)));
  update.weight_sum = sum;
  return update;
}

}  // namespace policysim
