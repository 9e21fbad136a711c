#include "sim/model/firms.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <omp.h>

namespace policysim {

namespace {
constexpr std::array<std::string_view, kSectorCount> kSectorNames = {"cyber_security", "ict", "manufacturing",
                                                                     "automotive", "finance"};
}

std::string_view name_of(Sector sector) { return kSectorNames[static_cast<std::size_t>(sector)]; }

std::optional<Sector> sector_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kSectorCount; ++i)
    if (kSectorNames[i] == name) return static_cast<Sector>(i);
  return std::nullopt;
}

FirmNetwork::FirmNetwork(std::size_t firm_count, FirmTies ties) : ties_(std::move(ties)) { build_index(firm_count); }

FirmNetwork::FirmNetwork(std::size_t firm_count, FirmTies ties, Buffers spare)
    : ties_(std::move(ties)), offsets_(std::move(spare.offsets)), neighbours_(std::move(spare.neighbours)) {
  build_index(firm_count);
}

FirmNetwork::Buffers FirmNetwork::release() && {
  Buffers buffers{std::move(ties_), std::move(offsets_), std::move(neighbours_)};
  ties_ = {};
  offsets_.clear();
  neighbours_.clear();
  return buffers;
}

void FirmNetwork::build_index(std::size_t firm_count) {
  // Counting sort into CSR: O(firms + ties), no per-element inserts, no sort. Ties are sorted by
  // (a, b), so every list comes out sorted: firm f's neighbours below it come from the ties (a, f),
  // a < f, which arrive in increasing a, and its neighbours above it are the ties (f, b), one
  // contiguous run of the tie list in increasing b, written after them.
  const std::size_t ties = ties_.count();
  // Inside a sweep's parallel region (one run per thread) a nested region has one thread.
  if (omp_get_max_threads() <= 1 || omp_in_parallel() != 0 || ties < (std::size_t{1} << 16)) {
    // One thread: the cursors run in offsets_ itself (each ends at the next list's start) and are
    // shifted back after.
    offsets_.assign(firm_count + 1, 0);
    for (std::size_t e = 0; e < ties; ++e) {
      ++offsets_[ties_.a[e] + 1];
      ++offsets_[ties_.b[e] + 1];
    }
    for (std::size_t f = 0; f < firm_count; ++f) offsets_[f + 1] += offsets_[f];
    neighbours_.resize(offsets_.back());
    for (std::size_t e = 0; e < ties; ++e) {
      neighbours_[offsets_[ties_.a[e]]++] = ties_.b[e];
      neighbours_[offsets_[ties_.b[e]]++] = ties_.a[e];
    }
    for (std::size_t f = firm_count; f > 0; --f) offsets_[f] = offsets_[f - 1];
    offsets_[0] = 0;
    return;
  }
  // Several threads, every pass parallel, the same index. The tie list is cut into one chunk per
  // thread. upper_start[f]: the first tie (f, .) (its run ends at upper_start[f + 1]); below[t][f]:
  // the ties (., f) of chunk t, turned into chunk t's cursor in f's list (chunk t's neighbours of f
  // follow those of chunks 0 .. t-1, so the lower part stays in increasing order).
  offsets_.resize(firm_count + 1);
  std::vector<std::size_t> upper_start(firm_count + 1);
  std::vector<std::vector<std::size_t>> below;
  std::vector<std::size_t> block_sum;
  int threads = 1;
  // Thread t's share [first, last) of `total` items.
  const auto share = [&](std::size_t total, int t) {
    const auto of = [&](int k) { return total * static_cast<std::size_t>(k) / static_cast<std::size_t>(threads); };
    return std::pair{of(t), of(t + 1)};
  };
#pragma omp parallel
  {
#pragma omp single
    {
      threads = omp_get_num_threads();
      below.resize(static_cast<std::size_t>(threads));
      block_sum.assign(static_cast<std::size_t>(threads) + 1, 0);
    }
    const int t = omp_get_thread_num();
    const auto [first, last] = share(ties, t);
    std::vector<std::size_t>& mine = below[static_cast<std::size_t>(t)];
    mine.assign(firm_count, 0);
    for (std::size_t e = first; e < last; ++e) {
      ++mine[ties_.b[e]];
      // Each firm's upper_start is written by exactly one tie: the first of its run, or the first
      // tie after it when it has none.
      const std::size_t from = e == 0 ? 0 : std::size_t{ties_.a[e - 1]} + 1;
      if (e == 0 || ties_.a[e] != ties_.a[e - 1])
        for (std::size_t f = from; f <= ties_.a[e]; ++f) upper_start[f] = e;
    }
    if (last == ties)
      for (std::size_t f = ties == 0 ? 0 : std::size_t{ties_.a[ties - 1]} + 1; f <= firm_count; ++f) upper_start[f] = ties;
#pragma omp barrier
    // Degrees and a prefix sum over firm ranges: each thread sums its range, then offsets it.
    const auto [low, high] = share(firm_count, t);
    std::size_t sum = 0;
    for (std::size_t f = low; f < high; ++f) {
      std::size_t degree = upper_start[f + 1] - upper_start[f];
      for (const auto& counts : below) degree += counts[f];
      offsets_[f + 1] = degree;
      sum += degree;
    }
    block_sum[static_cast<std::size_t>(t) + 1] = sum;
#pragma omp barrier
#pragma omp single
    for (int s = 0; s < threads; ++s) block_sum[static_cast<std::size_t>(s) + 1] += block_sum[static_cast<std::size_t>(s)];
    std::size_t running = block_sum[static_cast<std::size_t>(t)];
    if (t == 0) offsets_[0] = 0;
    for (std::size_t f = low; f < high; ++f) {
      std::size_t cursor = running;
      for (auto& counts : below) {
        const std::size_t count = counts[f];
        counts[f] = cursor;
        cursor += count;
      }
      running += offsets_[f + 1];
      offsets_[f + 1] = running;
    }
#pragma omp barrier
#pragma omp single
    neighbours_.resize(offsets_[firm_count]);
    for (std::size_t e = first; e < last; ++e) {
      const std::uint32_t a = ties_.a[e], b = ties_.b[e];
      neighbours_[mine[b]++] = a;
      neighbours_[offsets_[a + 1] - (upper_start[a + 1] - e)] = b;  // the upper part ends f's list
    }
  }
}

std::span<const std::uint32_t> FirmNetwork::neighbours(std::uint32_t firm) const {
  return {neighbours_.data() + offsets_[firm], neighbours_.data() + offsets_[firm + 1]};
}

bool FirmNetwork::linked(std::uint32_t i, std::uint32_t j) const {
  const auto list = neighbours(i);
  return std::binary_search(list.begin(), list.end(), j);
}

double FirmNetwork::weight(std::uint32_t i, std::uint32_t j) const {
  const std::uint32_t low = std::min(i, j), high = std::max(i, j);
  std::size_t first = 0, last = ties_.count();  // search the (a, b)-sorted edge list
  while (first < last) {
    const std::size_t middle = first + (last - first) / 2;
    if (ties_.a[middle] < low || (ties_.a[middle] == low && ties_.b[middle] < high)) first = middle + 1;
    else last = middle;
  }
  return first < ties_.count() && ties_.a[first] == low && ties_.b[first] == high ? ties_.weight[first] : 0.0;
}

}  // namespace policysim
