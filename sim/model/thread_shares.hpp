#pragma once
// How one run's passes over large arrays share the work among the run's threads (the CSR index of
// sim/model/firms.cpp, parallel_sort.cpp): whether to use threads at all, and each thread's part.
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <omp.h>

namespace policysim {

// Whether a pass over `items` items runs on several threads: not with one thread, not inside a
// sweep's parallel region (one run per thread: a nested region would have one thread anyway), and
// not for fewer than `minimum` items, too few to pay for starting a parallel region.
inline bool worth_threads(std::size_t items, std::size_t minimum) {
  return omp_get_max_threads() > 1 && omp_in_parallel() == 0 && items >= minimum;
}

// Thread t's share [first, last) of `total` items cut into `threads` consecutive parts.
inline std::pair<std::size_t, std::size_t> thread_share(std::size_t total, int t, int threads) {
  const auto of = [&](int k) { return total * static_cast<std::size_t>(k) / static_cast<std::size_t>(threads); };
  return {of(t), of(t + 1)};
}

// Thread t's share [first, last) of the items 0 .. total-1 when item f costs one unit plus
// cumulative(f + 1) - cumulative(f) (cumulative: non-decreasing on 0 .. total, such as the offsets
// of a CSR index): consecutive parts of about equal cost, so that a pass over the firms of a
// network whose degrees vary does not leave one thread waiting at its end.
template <typename Cumulative>
std::pair<std::size_t, std::size_t> balanced_share(const Cumulative& cumulative, std::size_t total, int t, int threads) {
  const auto cost_before = [&](std::size_t f) { return static_cast<std::size_t>(cumulative(f)) + f; };
  const std::size_t all = cost_before(total);
  const auto boundary = [&](int k) {
    if (k <= 0) return std::size_t{0};
    if (k >= threads) return total;
    const std::size_t target = all / static_cast<std::size_t>(threads) * static_cast<std::size_t>(k) +
                               all % static_cast<std::size_t>(threads) * static_cast<std::size_t>(k) /
                                   static_cast<std::size_t>(threads);
    std::size_t low = 0, high = total;  // the first f whose cost before reaches the target
    while (low < high) {
      const std::size_t mid = low + (high - low) / 2;
      if (cost_before(mid) < target) low = mid + 1; else high = mid;
    }
    return low;
  };
  return {boundary(t), boundary(t + 1)};
}

// The positions k of the changes (pairs packed a << 32 | b) whose second firm b lies in a thread's
// range [low, high), in order, into `picked` (resized to the changes' count; the first `returned`
// entries hold them). Picked without a branch (a position written always, kept when b is in the
// range): on threads whether b is in a range is a coin toss per change, and a branch on it was
// mispredicted every other change (the followed aggregates x1.44 on 2 threads, fifteenth round of
// docs/performance.md). For the passes that count each change at both its ends, each thread at the
// ends in its range (the country aggregates, the network's lower degrees).
inline std::size_t second_ends_in(std::span<const std::uint64_t> changes, std::size_t low, std::size_t high,
                                  std::vector<std::uint32_t>& picked) {
  picked.resize(changes.size());
  std::size_t count = 0;
  for (std::size_t k = 0; k < changes.size(); ++k) {
    const auto b = static_cast<std::uint32_t>(changes[k] & 0xffffffffu);
    picked[count] = static_cast<std::uint32_t>(k);
    count += static_cast<std::size_t>((b >= low) & (b < high));
  }
  return count;
}

}  // namespace policysim
