#pragma once
// How one run's passes over large arrays share the work among the run's threads (the CSR index of
// sim/model/firms.cpp, parallel_sort.cpp): whether to use threads at all, and each thread's part.
#include <cstddef>
#include <utility>

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

}  // namespace policysim
