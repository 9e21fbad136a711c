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
    for (int threads : {1, 2, 3, 4, 5, 8}) {
      INFO(count << " keys, " << threads << " threads");
      omp_set_num_threads(threads);
      std::vector<std::uint64_t> sorted = keys;
      parallel_sort(sorted);
      CHECK(sorted == expected);
    }
  }
  omp_set_num_threads(threads_before);
}

// The radix sort inside: packed pairs of firm numbers in any order, the changes turned to their
// higher end (already in order of their low half, where only the high half is sorted), keys that
// differ in every byte, and keys alike in all but one byte, each against std::sort.
TEST_CASE("parallel_sort: packed pairs, turned pairs and full 64-bit keys come out as std::sort's", "[model]") {
  std::mt19937_64 generator(11);  // test data only
  const int threads_before = omp_get_max_threads();
  const std::size_t count = 50000;
  const auto pair_key = [&](std::uint64_t bound) { return ((generator() % bound) << 32) | (generator() % bound); };
  std::vector<std::uint64_t> pairs(count), full(count), one_byte(count);
  for (auto& key : pairs) key = pair_key(100000);
  for (auto& key : full) key = generator();
  for (auto& key : one_byte) key = 0x0123456789000000ull | ((generator() % 256) << 8);
  std::vector<std::uint64_t> turned = pairs;  // sorted by (a, b), then b << 32 | a: low half in order
  std::sort(turned.begin(), turned.end());
  for (auto& key : turned) key = (key << 32) | (key >> 32);
  for (const auto* keys : {&pairs, &full, &one_byte, &turned}) {
    std::vector<std::uint64_t> expected = *keys;
    std::sort(expected.begin(), expected.end());
    for (int threads : {1, 2, 3}) {
      omp_set_num_threads(threads);
      std::vector<std::uint64_t> sorted = *keys;
      parallel_sort(sorted);
      CHECK(sorted == expected);
    }
  }
  omp_set_num_threads(threads_before);
}

// The radix sort's digits follow the bits each half of the keys uses (two 9-bit digits for a half
// of 17 bits, 11 bits at most a digit): halves of every width from none to 32 bits, the highest bit
// of each always used (so that the width is the one asked), each against std::sort, and the same
// keys with their low halves put in order first (only the high half's digits sorted).
TEST_CASE("parallel_sort: keys whose halves use any number of bits", "[model]") {
  std::mt19937_64 generator(17);  // test data only
  const std::size_t count = 3000;  // one thread (below 4,096 keys), radix-sorted (from 256)
  const auto half = [&](unsigned bits) -> std::uint64_t {
    if (bits == 0) return 0;
    const std::uint64_t top = std::uint64_t{1} << (bits - 1);
    return top | (generator() & (top - 1));
  };
  for (unsigned low_bits : {0u, 1u, 8u, 11u, 12u, 17u, 20u, 22u, 23u, 31u, 32u}) {
    for (unsigned high_bits : {0u, 1u, 9u, 11u, 12u, 17u, 21u, 23u, 32u}) {
      INFO(low_bits << " bits in the low half, " << high_bits << " in the high half");
      std::vector<std::uint64_t> keys(count);
      for (auto& key : keys) key = (half(high_bits) << 32) | half(low_bits);
      std::vector<std::uint64_t> expected = keys;
      std::sort(expected.begin(), expected.end());
      std::vector<std::uint64_t> sorted = keys;
      parallel_sort(sorted);
      CHECK(sorted == expected);
      // Low halves in order: each key's high half kept with its low half's rank.
      std::vector<std::uint64_t> lows(count), ordered(count);
      for (std::size_t k = 0; k < count; ++k) lows[k] = keys[k] & 0xffffffffu;
      std::sort(lows.begin(), lows.end());
      for (std::size_t k = 0; k < count; ++k) ordered[k] = (keys[k] & ~std::uint64_t{0xffffffffu}) | lows[k];
      expected = ordered;
      std::sort(expected.begin(), expected.end());
      parallel_sort(ordered);
      CHECK(ordered == expected);
    }
  }
}

// The merges shared by the threads (each thread writes its part of a round's output, from where
// the merge path crosses it): keys all equal (every crossing a tie), shares whose keys do not
// interleave (descending input: each crossing at a run's end), a few distinct values, and more
// threads than a merge of two runs has, against std::sort.
TEST_CASE("parallel_sort: merges cut among the threads give std::sort's order on ties and disjoint runs", "[model]") {
  std::mt19937_64 generator(5);  // test data only
  const int threads_before = omp_get_max_threads();
  const std::size_t count = 40000;
  std::vector<std::uint64_t> equal(count, 42), descending(count), few(count), bursts(count);
  for (std::size_t k = 0; k < count; ++k) descending[k] = count - k;
  for (auto& key : few) key = generator() % 3;
  // Runs of equal keys of random lengths and values (1 - 5,000 keys, 16 values): long stretches of
  // ties at every cut.
  for (std::size_t k = 0; k < count;) {
    const std::size_t run = 1 + generator() % 5000;
    const std::uint64_t value = generator() % 16;
    for (std::size_t r = 0; r < run && k < count; ++r) bursts[k++] = value;
  }
  for (const auto* keys : {&equal, &descending, &few, &bursts}) {
    std::vector<std::uint64_t> expected = *keys;
    std::sort(expected.begin(), expected.end());
    for (int threads : {2, 3, 4, 7, 8}) {
      INFO(threads << " threads");
      omp_set_num_threads(threads);
      std::vector<std::uint64_t> sorted = *keys;
      parallel_sort(sorted);
      CHECK(sorted == expected);
    }
  }
  omp_set_num_threads(threads_before);
}
