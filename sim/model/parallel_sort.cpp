#include "sim/model/parallel_sort.hpp"

#include <algorithm>
#include <array>

#include <omp.h>

#include "sim/model/thread_shares.hpp"

namespace policysim {
namespace {

// Sorts [first, last) by a least-significant-digit radix sort on bytes: the keys are packed pairs
// of firm numbers (a << 32 | b), so most of their bytes are the same in every key (zero above the
// largest firm's bits) and their passes are skipped; a step's keys need 4 - 6 passes where
// std::sort compared each key about log2(n) times (1.2 ms a step for the large benchmark's 80,000
// proposals, 0.5 ms by bytes). Keys already in order of their low half (the changes turned to
// their higher end in sim/model/firms.cpp, which come sorted by their lower end) need only the high
// half's passes, each pass being stable. The same sorted sequence as std::sort: sorting is unique.
void radix_sort(std::uint64_t* first, std::uint64_t* last) {
  const auto count = static_cast<std::size_t>(last - first);
  if (count < 256) {
    std::sort(first, last);
    return;
  }
  // Scratch of this thread, kept from call to call: allocating it anew each step would leave holes
  // between the network's large blocks (see turn_to_higher_end in sim/model/firms.cpp).
  thread_local std::vector<std::uint64_t> scratch;
  if (scratch.size() < count) scratch.resize(count);
  std::array<std::array<std::size_t, 256>, 8> counts{};
  bool low_half_sorted = true;
  std::uint32_t previous_low = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t key = first[k];
    for (std::size_t digit = 0; digit < 8; ++digit) ++counts[digit][(key >> (8 * digit)) & 0xff];
    const auto low = static_cast<std::uint32_t>(key);
    low_half_sorted = low_half_sorted && low >= previous_low;
    previous_low = low;
  }
  std::uint64_t* from = first;
  std::uint64_t* to = scratch.data();
  for (std::size_t digit = low_half_sorted ? 4 : 0; digit < 8; ++digit) {
    std::array<std::size_t, 256>& starts = counts[digit];
    if (starts[(from[0] >> (8 * digit)) & 0xff] == count) continue;  // every key has this byte
    std::size_t running = 0;
    for (std::size_t& start : starts) {
      const std::size_t here = start;
      start = running;
      running += here;
    }
    for (std::size_t k = 0; k < count; ++k) {
      const std::uint64_t key = from[k];
      to[starts[(key >> (8 * digit)) & 0xff]++] = key;
    }
    std::swap(from, to);
  }
  if (from != first) std::copy(from, from + count, first);
}

}  // namespace

void parallel_sort(std::vector<std::uint64_t>& keys) {
  const std::size_t count = keys.size();
  if (!worth_threads(count, std::size_t{1} << 14)) {
    radix_sort(keys.data(), keys.data() + count);
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
    radix_sort(keys.data() + bounds[t], keys.data() + bounds[t + 1]);
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
