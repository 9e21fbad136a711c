#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include <omp.h>

#include "sim/model/parallel_sort.hpp"

using namespace policysim;

// The sort of a step's proposals and changes: std::sort's result for any number of threads,
// including shares of unequal size, duplicates, and sizes below the parallel threshold.
TEST_CASE("parallel_sort: the sorted keys whatever the number of threads", "[model]") {
  std::mt19937_64 generator(3);  // test data only
  const int threads_before = omp_get_max_threads();
  for (const std::size_t count : {std::size_t{0}, std::size_t{7}, std::size_t{20000}, std::size_t{100003}}) {
    std::vector<std::uint64_t> keys(count);
    for (auto& key : keys) key = generator() % (count + 1);  // duplicates for sure
    std::vector<std::uint64_t> expected = keys;
    std::sort(expected.begin(), expected.end());
    for (int threads : {1, 2, 3, 4, 5}) {
      INFO(count << " keys, " << threads << " threads");
      omp_set_num_threads(threads);
      std::vector<std::uint64_t> sorted = keys;
      parallel_sort(sorted);
      CHECK(sorted == expected);
    }
  }
  omp_set_num_threads(threads_before);
}
