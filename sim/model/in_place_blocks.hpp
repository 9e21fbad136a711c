#pragma once
// Rewriting an array in place, block by block, when each block's output is made from its own part
// of the array only: the B2B update (sim/dynamics/firms/b2b_cooperation.cpp: the old ties of a
// block, less those that end, with the new ties that fall among them) and the firms' lower lists
// (sim/model/firms.cpp). Block k reads its source [source[k], source[k + 1]) and writes its output to
// its destination [destination[k], destination[k + 1]); the sources cut the old array into
// consecutive parts, the destinations the new one, in the same block order. A block first reads its
// source into a buffer of its own, then writes the buffer to its destination, which it may do once
// every other block whose source its destination covers has been read.
//
// Such an order always exists: if block k's destination covered a later block's source while that
// block's, or one after it, covered an earlier one's, the destinations would overlap (the argument
// is in docs/performance.md, ninth round). With it, threads share the work without one writing
// where another has still to read: each takes the next block of the order, reads it, waits for the
// few blocks its destination covers to have been read (taken before it, so being read or read
// already: no thread waits for a block that no thread holds), and writes it. The same bytes end up
// in the array whatever the number of threads, and no second array of the whole is needed: the
// network of a step is changed where it lies rather than copied beside itself (docs/performance.md).
#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include <omp.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace policysim {

// The blocks other than k whose sources block k's destination overlaps, as a half-open range
// [first, last) of block numbers (blocks with an empty source in it overlap nothing).
struct BlockRange {
  std::size_t first = 0, last = 0;
};
BlockRange sources_under(std::span<const std::size_t> source, std::span<const std::size_t> destination, std::size_t k);

// An order of the blocks in which each comes after every other block whose source its destination
// overlaps. source, destination: the blocks' boundaries, blocks + 1 of each, non-decreasing, from 0.
// Throws std::logic_error when the boundaries are not such (different block counts, decreasing).
std::vector<std::size_t> in_place_order(std::span<const std::size_t> source, std::span<const std::size_t> destination);

// Runs read(k) then write(k) for every block, in in_place_order, on the calling thread or, with
// `threads`, on a parallel region's threads. read(k) must read only block k's source and write only
// the calling thread's own buffer; write(k) must write only block k's destination, from that buffer.
// On the calling thread, a block for which movable(k) holds is done by move(k) instead: it reads
// block k's source and writes its destination in one go, which the caller may allow only where its
// writes never pass block k's own unread source (the order keeps every other block's safe). Not on
// threads: there a moved block would have to wait for the blocks under its destination before it
// reads, and in a growing network each block's destination covers the next one's source, a chain
// that ran the B2B update's moves one after the other (2 threads, large case: 0.715 -> 0.794 s;
// docs/performance.md, seventeenth round).
template <typename Movable, typename Move, typename Read, typename Write>
void rewrite_in_place(std::span<const std::size_t> source, std::span<const std::size_t> destination, bool threads,
                      Movable&& movable, Move&& move, Read&& read, Write&& write) {
  const std::vector<std::size_t> order = in_place_order(source, destination);
  if (!threads) {
    for (const std::size_t k : order) {
      if (movable(k)) {
        move(k);
        continue;
      }
      read(k);
      write(k);
    }
    return;
  }
  const std::size_t blocks = order.size();
  const std::unique_ptr<std::atomic<bool>[]> read_done(new std::atomic<bool>[blocks]);
  for (std::size_t k = 0; k < blocks; ++k) read_done[k].store(false, std::memory_order_relaxed);
  std::atomic<std::size_t> next{0};
#pragma omp parallel
  {
    for (;;) {
      const std::size_t at = next.fetch_add(1, std::memory_order_relaxed);
      if (at >= blocks) break;
      const std::size_t k = order[at];
      read(k);
      read_done[k].store(true, std::memory_order_release);
      const BlockRange under = sources_under(source, destination, k);
      for (std::size_t j = under.first; j < under.last; ++j)
        while (j != k && source[j] < source[j + 1] && !read_done[j].load(std::memory_order_acquire)) {
#if defined(__SSE2__)
          _mm_pause();
#endif
        }
      write(k);
    }
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
