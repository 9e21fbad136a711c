#include "sim/model/parallel_sort.hpp"

#include <algorithm>

#include <omp.h>

#include "sim/model/thread_shares.hpp"

namespace policysim {

void parallel_sort(std::vector<std::uint64_t>& keys) {
  const std::size_t count = keys.size();
  if (!worth_threads(count, std::size_t{1} << 14)) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  std::vector<std::size_t> bounds;  // share t is [bounds[t], bounds[t + 1])
#pragma omp parallel
  {
#pragma omp single
    {
      const int threads = omp_get_num_threads();
      for (int t = 0; t < threads; ++t) bounds.push_back(thread_share(count, t, threads).first);
      bounds.push_back(count);
    }
    const auto t = static_cast<std::size_t>(omp_get_thread_num());
    std::sort(keys.begin() + static_cast<long>(bounds[t]), keys.begin() + static_cast<long>(bounds[t + 1]));
#pragma omp barrier
    // Neighbouring sorted runs merged pairwise, the pairs of a round in parallel, until one is left.
    for (std::size_t width = 1; width + 1 < bounds.size(); width *= 2) {
#pragma omp for schedule(static)
      for (long left = 0; left < static_cast<long>(bounds.size() - 1); left += static_cast<long>(2 * width)) {
        const auto l = static_cast<std::size_t>(left);
        const std::size_t middle = std::min(l + width, bounds.size() - 1), right = std::min(l + 2 * width, bounds.size() - 1);
        std::inplace_merge(keys.begin() + static_cast<long>(bounds[l]), keys.begin() + static_cast<long>(bounds[middle]),
                           keys.begin() + static_cast<long>(bounds[right]));
      }
    }
  }
}

}  // namespace policysim
