#pragma once
// Rewriting an array in place, block by block, when each block's output is made from its own part
// of the array only: the B2B update (sim/dynamics/firms/b2b_cooperation.cpp: the old ties of a
// block, less those that end, with the new ties that fall among them) and the firms' lower lists
// (sim/model/firms.cpp). Block k reads its source [source[k], source[k + 1]) and writes its output to
// its destination [destination[k], destination[k + 1]); the sources cut the old array into
// consecutive parts, the destinations the new one, in the same block order. A block first reads its
// source into a buffer, then writes the buffer to its destination, which it may do once every other
// block whose source its destination covers has been read (or it reads and writes in one go, where
// its caller says it may: a move).
//
// Such an order always exists: if block k's destination covered a later block's source while that
// block's, or one after it, covered an earlier one's, the destinations would overlap (the argument
// is in docs/performance.md, ninth round). Threads share the work by runs of consecutive blocks,
// each in that order, with the few blocks under another run's destinations read before any thread
// writes (rewrite_in_place, below). The same bytes end up in the array whatever the number of
// threads, and no second array of the whole is needed: the network of a step is changed where it
// lies rather than copied beside itself (docs/performance.md).
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include <omp.h>

namespace policysim {

// The blocks other than k whose sources block k's destination overlaps, as a half-open range
// [first, last) of block numbers (blocks with an empty source in it overlap nothing).
struct BlockRange {
  std::size_t first = 0, last = 0;
};
BlockRange sources_under(std::span<const std::size_t> source, std::span<const std::size_t> destination, std::size_t k);

// Buffer number `slot` of a thread's `buffers` for rewrite_in_place's read and write (0 for blocks
// read and written at once, 1, 2, ... for the blocks the thread holds), made when first asked for.
// Kept by the caller from call to call, so that no block's pages are fresh.
template <typename Buffer>
Buffer& slot_buffer(std::vector<Buffer>& buffers, std::size_t slot) {
  if (slot >= buffers.size()) buffers.resize(slot + 1);
  return buffers[slot];
}

// An order of the blocks in which each comes after every other block whose source its destination
// overlaps. source, destination: the blocks' boundaries, blocks + 1 of each, non-decreasing, from 0.
// Throws std::logic_error when the boundaries are not such (different block counts, decreasing).
std::vector<std::size_t> in_place_order(std::span<const std::size_t> source, std::span<const std::size_t> destination);

// Runs read(k, slot) then write(k, slot) for every block, in in_place_order, on the calling thread
// or, with `threads`, on a parallel region's threads. read(k, slot) must read only block k's source
// and write only the calling thread's buffer number `slot` (slot_buffer, below); write(k, slot) must
// write only block k's destination, from that buffer. A block for which movable(k) holds may be
// done by move(k) instead: it reads block k's source and writes its destination in one go, which
// the caller may allow only where its writes never pass block k's own unread source (the order
// keeps every other block's safe).
//
// On threads, each thread takes a run of consecutive blocks (its group) and does them in the order,
// as one thread would, moving the movable ones; only the few blocks whose sources lie under another
// group's destinations (at the groups' edges: a network that grows shifts each group's output over
// the next one's first source) are read first, each into a buffer of its own (slot 1, 2, ... of
// its thread; slot 0 serves the others), and written at their turn once every thread has read its
// own. No thread waits for another between blocks: the moves divide. The groups are as many blocks
// each, one a thread, fixed (a held block must be read by the thread that writes it). (Before, on
// threads every block went through a buffer and waited for the blocks under its destination; a
// moved block there waited before it read, a chain in a growing network: docs/performance.md,
// seventeenth and eighteenth rounds.)
template <typename Movable, typename Move, typename Read, typename Write>
void rewrite_in_place(std::span<const std::size_t> source, std::span<const std::size_t> destination, bool threads,
                      Movable&& movable, Move&& move, Read&& read, Write&& write) {
  const std::vector<std::size_t> order = in_place_order(source, destination);
  const std::size_t blocks = order.size();
  // The blocks of `group` in the order: the held ones written (read before), the others moved, or
  // read and written.
  const auto do_group = [&](std::span<const std::size_t> group_of, std::size_t group,
                            std::span<const std::size_t> slot) {
    for (const std::size_t k : order) {
      if (group_of[k] != group) continue;
      if (slot[k] != 0) {
        write(k, slot[k]);
      } else if (movable(k)) {
        move(k);
      } else {
        read(k, std::size_t{0});
        write(k, std::size_t{0});
      }
    }
  };
  if (!threads) {
    const std::vector<std::size_t> group_of(blocks, 0), slot(blocks, 0);
    do_group(group_of, 0, slot);
    return;
  }
  std::vector<std::size_t> group_of(blocks), slot(blocks, 0);
#pragma omp parallel
  {
#pragma omp single
    {
      const auto groups = static_cast<std::size_t>(omp_get_num_threads());
      for (std::size_t k = 0; k < blocks; ++k) group_of[k] = k * groups / blocks;
      // Held: a block whose source lies under another group's destination. Slots numbered per group.
      std::vector<bool> held(blocks, false);
      for (std::size_t k = 0; k < blocks; ++k) {
        const BlockRange under = sources_under(source, destination, k);
        for (std::size_t j = under.first; j < under.last; ++j)
          if (group_of[j] != group_of[k] && source[j] < source[j + 1]) held[j] = true;
      }
      std::vector<std::size_t> slots_taken(groups, 0);
      for (std::size_t k = 0; k < blocks; ++k)
        if (held[k]) slot[k] = ++slots_taken[group_of[k]];
    }
    const auto group = static_cast<std::size_t>(omp_get_thread_num());
    for (std::size_t k = 0; k < blocks; ++k)
      if (group_of[k] == group && slot[k] != 0) read(k, slot[k]);
#pragma omp barrier
    do_group(group_of, group, slot);
  }
}

// rewrite_in_place with every block read into a buffer, then written.
template <typename Read, typename Write>
void rewrite_in_place(std::span<const std::size_t> source, std::span<const std::size_t> destination, bool threads,
                      Read&& read, Write&& write) {
  rewrite_in_place(
      source, destination, threads, [](std::size_t) { return false; }, [](std::size_t) {}, std::forward<Read>(read),
      std::forward<Write>(write));
}

}  // namespace policysim
