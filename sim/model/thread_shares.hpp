#pragma once
// How one run's passes over large arrays share the work among the run's threads (the CSR index of
// sim/model/firms.cpp, parallel_sort.cpp, the followed country aggregates of
// sim/dynamics/firms/b2b_country_aggregates.cpp): whether to use threads at all, and each thread's part.
#include <algorithm>
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

// Consecutive shares of a pass's items among a region's threads (thread_share's), whose cuts follow
// the threads' speeds from one call of the pass to the next: each thread reports what its share
// weighed (work units: the items or ends it counted) and how long it took, and the next call's cuts
// give each thread work in proportion to the work a second it did, so that the threads' times draw
// together (at the fixed point they are equal; the cuts move half way each call, so a slow moment
// on one thread moves them little). For a pass whose results do not depend on where the cuts fall
// (integer counts by ranges of firms): the large benchmark's followed aggregates on two threads,
// 2.1 million ends of 2.8 million on thread 0 and 22 ms against thread 1's 30 ms with the firms cut
// in half (docs/performance.md, thirty-third round).
class PacedShares {
 public:
  // Before the region: room for the reports of up to `threads` threads (the cuts start even, and
  // start even again when the region's thread count changes).
  void prepare(int threads) {
    const auto slots = static_cast<std::size_t>(std::max(threads, 1));
    work_.assign(slots, -1.0);
    seconds_.assign(slots, -1.0);
  }
  // Thread t's share [first, last) of `total` items, the region having `threads` threads.
  std::pair<std::size_t, std::size_t> share(std::size_t total, int t, int threads) const {
    if (cuts_.size() != static_cast<std::size_t>(threads) + 1) return thread_share(total, t, threads);
    const auto at = [&](int k) {
      if (k >= threads) return total;
      return std::min(total, static_cast<std::size_t>(cuts_[static_cast<std::size_t>(k)] * static_cast<double>(total)));
    };
    return {at(t), at(t + 1)};
  }
  // Inside the region, by thread t: what its share weighed and took.
  void report(int t, double work, double seconds) {
    if (t < 0 || static_cast<std::size_t>(t) >= work_.size()) return;
    work_[static_cast<std::size_t>(t)] = work;
    seconds_[static_cast<std::size_t>(t)] = seconds;
  }
  // After the region, which had `threads` threads: the next call's cuts.
  void update(int threads) {
    const auto n = static_cast<std::size_t>(threads);
    if (threads < 2 || work_.size() < n) {
      cuts_.clear();
      return;
    }
    if (cuts_.size() != n + 1) {
      cuts_.resize(n + 1);
      for (std::size_t k = 0; k <= n; ++k) cuts_[k] = static_cast<double>(k) / static_cast<double>(n);
    }
    double all_work = 0.0, all_pace = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      if (!(work_[k] > 0.0) || !(seconds_[k] > 0.0)) return;  // a thread with nothing, or no report: keep the cuts
      all_work += work_[k];
      all_pace += work_[k] / seconds_[k];
    }
    // The work below a fraction x of the items, as last time: linear within each thread's share.
    // The new cut k where that work reaches all_work times the first k threads' part of the pace.
    std::vector<double> next(n + 1, 1.0);
    next[0] = 0.0;
    double pace_below = 0.0, work_below = 0.0;
    std::size_t share = 0;
    for (std::size_t k = 1; k < n; ++k) {
      pace_below += work_[k - 1] / seconds_[k - 1];
      const double target = all_work * pace_below / all_pace;
      while (share + 1 < n && work_below + work_[share] < target) work_below += work_[share++];
      const double within = std::clamp((target - work_below) / work_[share], 0.0, 1.0);
      const double cut = cuts_[share] + within * (cuts_[share + 1] - cuts_[share]);
      next[k] = std::clamp(0.5 * (cuts_[k] + cut), next[k - 1], 1.0);
    }
    cuts_.swap(next);
  }

 private:
  std::vector<double> cuts_;            // threads + 1 fractions of the items, 0 .. 1; empty: even shares
  std::vector<double> work_, seconds_;  // this call's reports, -1 where none
};

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
