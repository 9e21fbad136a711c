#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include <omp.h>

#include "sim/model/firms.hpp"

using namespace policysim;

TEST_CASE("firms: the CSR index agrees with the edge list it was built from", "[firms]") {
  std::mt19937 generator(5);  // test data only; the model's randomness is Philox
  const std::uint32_t firm_count = 300;
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  std::uniform_int_distribution<std::uint32_t> pick(0, firm_count - 1);
  while (pairs.size() < 2000) {
    auto i = pick(generator), j = pick(generator);
    if (i != j) pairs.insert({std::min(i, j), std::max(i, j)});
  }
  FirmTies ties;
  for (auto [a, b] : pairs) {
    ties.a.push_back(a);
    ties.b.push_back(b);
    ties.weight.push_back(0.5);
  }
  const FirmNetwork network(firm_count, ties);
  REQUIRE(network.firm_count() == firm_count);
  std::size_t degree_sum = 0;
  for (std::uint32_t f = 0; f < firm_count; ++f) {
    const auto list = network.neighbours(f);
    CHECK(std::is_sorted(list.begin(), list.end()));
    CHECK(list.size() == network.degree(f));
    degree_sum += network.degree(f);
    for (auto other : list) CHECK(pairs.count({std::min(f, other), std::max(f, other)}) == 1);
  }
  CHECK(degree_sum == 2 * pairs.size());
  for (std::uint32_t i = 0; i < 40; ++i)
    for (std::uint32_t j = 0; j < 40; ++j)
      CHECK(network.linked(i, j) == (pairs.count({std::min(i, j), std::max(i, j)}) == 1));
}

// Above 65,536 ties the index is built by several threads (per-thread counts become each chunk's
// cursors): the same offsets and lists as the one-thread build, for 1 to 4 threads, with firms
// without ties at both ends and in runs in the middle (the upper-part starts they share).
TEST_CASE("firms: the CSR index built by several threads equals the one-thread index", "[firms]") {
  std::mt19937 generator(11);  // test data only
  const std::uint32_t firm_count = 20000;
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  std::uniform_int_distribution<std::uint32_t> pick(5, firm_count - 6);
  while (pairs.size() < 150000) {
    auto i = pick(generator), j = pick(generator);
    if (i == j || (i / 1000 == 7) || (j / 1000 == 7)) continue;  // firms 7000-7999: no ties
    pairs.insert({std::min(i, j), std::max(i, j)});
  }
  FirmTies ties;
  for (auto [a, b] : pairs) {
    ties.a.push_back(a);
    ties.b.push_back(b);
    ties.weight.push_back(0.5);
  }
  const int before = omp_get_max_threads();
  omp_set_num_threads(1);
  const FirmNetwork serial(firm_count, ties);
  for (int threads : {2, 3, 4}) {
    INFO(threads << " threads");
    omp_set_num_threads(threads);
    const FirmNetwork parallel(firm_count, ties);
    CHECK(parallel == serial);
    // Built in a spare network's buffers, as the B2B phase builds it.
    FirmNetwork::Buffers spare = FirmNetwork(firm_count, ties).release();
    CHECK(FirmNetwork(firm_count, ties, std::move(spare)) == serial);
  }
  omp_set_num_threads(before);
  std::size_t degree_sum = 0;
  for (std::uint32_t f = 0; f < firm_count; ++f) {
    const auto list = serial.neighbours(f);
    REQUIRE(std::is_sorted(list.begin(), list.end()));
    degree_sum += list.size();
  }
  CHECK(degree_sum == 2 * pairs.size());
  CHECK(serial.degree(0) == 0);
  CHECK(serial.degree(firm_count - 1) == 0);
  CHECK(serial.degree(7500) == 0);
}

TEST_CASE("firms: sector names round-trip", "[firms]") {
  for (std::size_t s = 0; s < kSectorCount; ++s) {
    const auto sector = static_cast<Sector>(s);
    CHECK(sector_from_name(name_of(sector)) == sector);
  }
  CHECK_FALSE(sector_from_name("cyber").has_value());
}
