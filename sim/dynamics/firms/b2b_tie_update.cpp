#include "sim/dynamics/firms/b2b_tie_update.hpp"

#include <algorithm>
#include <type_traits>

#include "sim/model/in_place_blocks.hpp"
#include "sim/model/resize_for_overwrite.hpp"
#include "sim/model/thread_shares.hpp"

namespace policysim {
namespace {

// A thread's buffers for one block of ties at a time, reused from step to step (fresh pages cost
// more than the work): the ties that end, the new weights in order (threads: summed in block order),
// the block's new ties before they go to their place.
struct BlockBuffers {
  Column<std::uint64_t> ended;
  Column<double> weights;
  FirmTies block;
};
thread_local BlockBuffers buffers;

// Applies `resize` to each of a tie list's three columns.
template <typename Resize>
void resize_columns(FirmTies& ties, Resize&& resize) {
  resize(ties.a);
  resize(ties.b);
  resize(ties.weight);
}

}  // namespace

TieUpdate update_ties_in_place(FirmTies& ties, std::span<const std::uint64_t> proposals,
                               std::span<const double> firm_innovation, const B2bDynamics& dynamics) {
  // The old ties are cut into blocks, each with the proposals that fall before the next block's
  // first tie. A first pass computes each old tie's new weight where it lies, lists the ties that
  // end and sums the new weights in order; from the counts of the blocks before it, each block's
  // place in the new list is known, and a second pass moves the survivors and the proposals there
  // (rewrite_in_place: block by block, none written over another before it has been read). Which
  // block holds a tie, and which thread a block, changes nothing in what is written.
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
  std::vector<std::uint64_t>& removed = update.removed;
  std::vector<std::size_t> ended_before(blocks + 1, 0);  // ties ended in the blocks before block k
  // A block's ended ties join `removed` in block order.
  const auto append_ended = [&](std::size_t block, const Settled& settled) {
    removed.insert(removed.end(), buffers.ended.data(), buffers.ended.data() + settled.ended);
    ended_before[block + 1] = settled.ended;
  };
  double& weight_sum = update.weight_sum;
  if (!threads) {
    resize_for_overwrite(buffers.ended, kBlock);
    for (std::size_t block = 0; block < blocks; ++block) {
      const Settled settled = settle_block(block, buffers.ended.data(), nullptr, weight_sum, std::true_type{});
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
      resize_for_overwrite(buffers.ended, kBlock);
#pragma omp for schedule(dynamic, 1) ordered
      for (long b = 0; b < static_cast<long>(blocks); ++b) {
        const auto block = static_cast<std::size_t>(b);
        resize_for_overwrite(buffers.weights, block_room(block));
        const Settled settled =
            settle_block(block, buffers.ended.data(), buffers.weights.data(), 0.0, std::false_type{});
        const std::size_t count = block_room(block) - settled.ended;
#pragma omp ordered
        {
          const double* const weights = buffers.weights.data();
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
  resize_columns(ties, [&](auto& column) { resize_keeping(column, std::max(old_count, new_count)); });
  std::uint32_t* const tie_a = ties.a.data();
  std::uint32_t* const tie_b = ties.b.data();
  double* const tie_weight = ties.weight.data();
  rewrite_in_place(
      source, destination, threads,
      [&](std::size_t block) {
        FirmTies& buffer = buffers.block;
        resize_columns(buffer, [&](auto& column) { resize_for_overwrite(column, block_room(block)); });
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
        const FirmTies& buffer = buffers.block;
        const std::size_t count = destination[block + 1] - destination[block];
        // Plain stores: the destination lies over sources just read, often still in cache. The
        // streaming stores that suited a fresh list (the eighth round's copies) made the large
        // case 4% slower here, the medium 8% (docs/performance.md, ninth round).
        std::copy_n(buffer.a.data(), count, tie_a + destination[block]);
        std::copy_n(buffer.b.data(), count, tie_b + destination[block]);
        std::copy_n(buffer.weight.data(), count, tie_weight + destination[block]);
      });
  resize_columns(ties, [&](auto& column) { column.resize(new_count); });
  return update;
}

}  // namespace policysim
