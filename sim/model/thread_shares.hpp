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

}  // namespace policysim
