#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <random>
#include <vector>

#include "sim/model/thread_shares.hpp"

using namespace policysim;

// The firm ranges of the CSR merge: consecutive, covering every firm once, and of about equal
// cost (one unit a firm plus its list) even where the lists are skewed to one end.
TEST_CASE("balanced_share: consecutive ranges of about equal cost", "[model]") {
  std::mt19937_64 generator(5);  // test data only
  for (const std::size_t firms : {std::size_t{0}, std::size_t{1}, std::size_t{9}, std::size_t{5000}}) {
    // Degrees growing with the firm's index, a few hubs: an equal number of firms a thread
    // would give the last thread most of the work.
    std::vector<std::size_t> offsets{0};
    std::size_t largest = 0;
    for (std::size_t f = 0; f < firms; ++f) {
      const std::size_t degree = f / 10 + (generator() % 50 == 0 ? 400 : 0);
      largest = std::max(largest, degree + 1);
      offsets.push_back(offsets.back() + degree);
    }
    const std::size_t all = offsets.back() + firms;
    for (int threads : {1, 2, 3, 7, 16}) {
      INFO(firms << " firms, " << threads << " threads");
      std::size_t next = 0;
      for (int t = 0; t < threads; ++t) {
        const auto [low, high] = balanced_share([&](std::size_t f) { return offsets[f]; }, firms, t, threads);
        CHECK(low == next);
        CHECK(low <= high);
        next = high;
        const std::size_t cost = (offsets[high] + high) - (offsets[low] + low);
        CHECK(cost <= all / static_cast<std::size_t>(threads) + largest);
      }
      CHECK(next == firms);
    }
  }
}

namespace {

// The shares of `total` items under `pace` for `threads` threads: consecutive, covering every item.
std::vector<std::pair<std::size_t, std::size_t>> shares_of(const PacedShares& pace, std::size_t total, int threads) {
  std::vector<std::pair<std::size_t, std::size_t>> shares;
  for (int t = 0; t < threads; ++t) shares.push_back(pace.share(total, t, threads));
  return shares;
}

void check_cover(const std::vector<std::pair<std::size_t, std::size_t>>& shares, std::size_t total) {
  std::size_t next = 0;
  for (const auto& [low, high] : shares) {
    CHECK(low == next);
    CHECK(low <= high);
    next = high;
  }
  CHECK(next == total);
}

}  // namespace

// The followed aggregates' firm ranges (b2b_country_aggregates.cpp): they start as thread_share's
// and move towards the thread that does more work a second, half way a call, worked out by hand.
TEST_CASE("PacedShares: cuts moved by the threads' paces, half way a call", "[model]") {
  PacedShares pace;
  CHECK(pace.share(1000, 0, 2) == thread_share(1000, 0, 2));
  CHECK(pace.share(1000, 1, 2) == thread_share(1000, 1, 2));
  // Equal times: the cuts stay where they are, whatever each share weighed.
  pace.prepare(2);
  pace.report(0, 3.0, 1.0);
  pace.report(1, 1.0, 1.0);
  pace.update(2);
  CHECK(pace.share(1000, 0, 2) == std::pair<std::size_t, std::size_t>{0, 500});
  // Thread 1 three times slower on the same work: thread 0's pace 1, thread 1's 1/3, so thread 0
  // should hold 3/4 of the work: the cut where the work below reaches 1.5 of 2 (at 0.75 of the
  // items, the work lying evenly in each share), moved half way: 0.625.
  pace.prepare(2);
  pace.report(0, 1.0, 1.0);
  pace.report(1, 1.0, 3.0);
  pace.update(2);
  CHECK(pace.share(1000, 0, 2) == std::pair<std::size_t, std::size_t>{0, 625});
  CHECK(pace.share(1000, 1, 2) == std::pair<std::size_t, std::size_t>{625, 1000});
  // A thread that reported nothing (or had no work): the cuts kept.
  pace.prepare(2);
  pace.report(0, 5.0, 1.0);
  pace.update(2);
  CHECK(pace.share(1000, 0, 2).second == 625);
  // Another thread count: even shares again.
  CHECK(pace.share(999, 1, 3) == thread_share(999, 1, 3));
  pace.prepare(1);
  pace.update(1);
  CHECK(pace.share(1000, 0, 2) == thread_share(1000, 0, 2));
}

// Threads of different speeds over items of uneven work (more at the low end, as the aggregates'
// first ends): the shares' times draw together call after call, and the shares always cover the
// items once.
TEST_CASE("PacedShares: the threads' times converge", "[model]") {
  const std::size_t items = 100000;
  // Work of item i: 3 at the low end falling to 1 at the top; cumulative by a closed form.
  const auto work_below = [&](double x) { return 3.0 * x - x * x; };  // integral of 3 - 2x over [0, x], items as fractions
  for (const std::vector<double>& speeds : {std::vector<double>{1.0, 1.0}, std::vector<double>{1.0, 0.7},
                                           std::vector<double>{0.8, 1.0, 1.3}, std::vector<double>{1.0, 1.0, 1.0, 0.5}}) {
    const int threads = static_cast<int>(speeds.size());
    INFO(threads << " threads");
    PacedShares pace;
    std::vector<double> times(speeds.size());
    const auto spread = [&] { return (*std::max_element(times.begin(), times.end()) - *std::min_element(times.begin(), times.end())) /
                                     *std::max_element(times.begin(), times.end()); };
    double first_spread = 0.0;
    for (int call = 0; call < 20; ++call) {
      const auto shares = shares_of(pace, items, threads);
      check_cover(shares, items);
      pace.prepare(threads);
      for (int t = 0; t < threads; ++t) {
        const auto [low, high] = shares[static_cast<std::size_t>(t)];
        const double work = work_below(static_cast<double>(high) / items) - work_below(static_cast<double>(low) / items);
        times[static_cast<std::size_t>(t)] = work / speeds[static_cast<std::size_t>(t)];
        pace.report(t, work, times[static_cast<std::size_t>(t)]);
      }
      if (call == 0) first_spread = spread();
      pace.update(threads);
    }
    CHECK(spread() < 0.01);
    CHECK(spread() <= first_spread);
  }
}
