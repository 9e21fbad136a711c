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
