#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include <omp.h>

#include "sim/model/firms.hpp"
#include "tests/support/gapped_ties.hpp"

using namespace policysim;
using policysim::testing::with_gap;

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
    CHECK(static_cast<std::size_t>(std::distance(list.begin(), list.end())) == list.size());
    // Indexing reads the same list as iterating (the lower part, then the upper one).
    std::size_t k = 0;
    for (auto other : list) CHECK(list[k++] == other);
    CHECK(list.empty() == (list.size() == 0));
    degree_sum += network.degree(f);
    for (auto other : list) CHECK(pairs.count({std::min(f, other), std::max(f, other)}) == 1);
  }
  CHECK(degree_sum == 2 * pairs.size());
  // linked() for every pair: j below, inside and above each list.
  std::size_t wrong = 0;
  for (std::uint32_t i = 0; i < firm_count; ++i)
    for (std::uint32_t j = 0; j < firm_count; ++j)
      wrong += network.linked(i, j) != (pairs.count({std::min(i, j), std::max(i, j)}) == 1) ? 1 : 0;
  CHECK(wrong == 0);
  // Lists of no entry and of one.
  const FirmNetwork sparse(4, FirmTies{{0}, {2}, {0.5}});
  CHECK(sparse.linked(0, 2));
  CHECK(sparse.linked(2, 0));
  for (const auto& [i, j] : {std::pair{0u, 1u}, {0u, 3u}, {1u, 0u}, {1u, 2u}, {2u, 1u}, {2u, 3u}, {3u, 0u}, {0u, 0u}})
    CHECK_FALSE(sparse.linked(i, j));
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

namespace {
FirmTies ties_of(const std::set<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
  FirmTies ties;
  for (auto [a, b] : pairs) {
    ties.a.push_back(a);
    ties.b.push_back(b);
    ties.weight.push_back(0.25);
  }
  return ties;
}
std::uint64_t packed(std::pair<std::uint32_t, std::uint32_t> tie) {
  return (static_cast<std::uint64_t>(tie.first) << 32) | tie.second;
}
}  // namespace

// The B2B phase merges the next network's index from the start network's and the step's changes
// (removed and added ties), its lower lists where they lie: the same offsets and lists as building
// it from the new tie list, for a
// small network (one thread) and a large one (1 to 4 threads), with a firm that loses every tie, a
// firm that gains its first ties, ties at the first and last firms.
TEST_CASE("firms: the CSR index merged from the changes equals the index built anew", "[firms]") {
  for (const std::size_t tie_count : {std::size_t{3000}, std::size_t{120000}}) {
    INFO(tie_count << " ties");
    std::mt19937 generator(static_cast<unsigned>(tie_count));  // test data only
    const std::uint32_t firm_count = tie_count > 10000 ? 15000 : 400;
    std::uniform_int_distribution<std::uint32_t> pick(0, firm_count - 1);
    const std::uint32_t loner = firm_count / 2, newcomer = firm_count / 3;
    std::set<std::pair<std::uint32_t, std::uint32_t>> old_pairs;
    old_pairs.insert({0, firm_count - 1});
    while (old_pairs.size() < tie_count) {
      auto i = pick(generator), j = pick(generator);
      if (i == j || i == newcomer || j == newcomer) continue;
      old_pairs.insert({std::min(i, j), std::max(i, j)});
    }
    std::vector<std::uint64_t> removed, added;
    std::set<std::pair<std::uint32_t, std::uint32_t>> new_pairs;
    std::bernoulli_distribution ends(0.05);
    for (auto tie : old_pairs)
      if (tie.first == loner || tie.second == loner || tie.first == 0 || ends(generator)) removed.push_back(packed(tie));
      else new_pairs.insert(tie);
    while (added.size() < tie_count / 20) {
      auto i = pick(generator), j = pick(generator);
      if (added.size() < 10) i = newcomer;
      if (added.size() == 10) i = 0;  // firm 0 lost its ties (0, .) and gains one
      const std::pair tie{std::min(i, j), std::max(i, j)};
      if (i == j || i == loner || j == loner || old_pairs.count(tie) != 0 || new_pairs.count(tie) != 0) continue;
      new_pairs.insert(tie);
      added.push_back(packed(tie));
    }
    // Sorted, as the B2B update hands them over (removed in tie order, added as sorted proposals).
    std::sort(removed.begin(), removed.end());
    std::sort(added.begin(), added.end());
    const int threads_before = omp_get_max_threads();
    for (int threads : {1, 2, 3, 4}) {
      INFO(threads << " threads");
      omp_set_num_threads(threads);
      const FirmNetwork before(firm_count, ties_of(old_pairs));
      const FirmNetwork anew(firm_count, ties_of(new_pairs));
      // The start network's own vectors, its ties already changed (as the B2B phase hands them over),
      // its lower lists merged where they lie.
      FirmNetwork::Buffers changed = before.copy_into(FirmNetwork::Buffers{});
      changed.ties = ties_of(new_pairs);
      FirmNetwork::Index index_memory;
      const FirmNetwork merged(firm_count, std::move(changed), index_memory, removed, added);
      CHECK(merged == anew);
      CHECK(merged.degree(loner) == 0);
      CHECK(merged.degree(newcomer) >= 10);
      CHECK(index_memory.size() == firm_count + 1);  // the old index, handed back for the next step
      // A start network with another number of firms: built anew.
      FirmNetwork::Buffers smaller = FirmNetwork(firm_count - 1, FirmTies{}).release();
      smaller.ties = ties_of(new_pairs);
      CHECK(FirmNetwork(firm_count, std::move(smaller), index_memory, removed, added) == anew);
      // Without the partner lists (a scenario that reads none): the same ties and degrees, the same
      // answers to linked() from either end, and no lists to read.
      FirmNetwork::Buffers for_unlisted = before.copy_into(FirmNetwork::Buffers{});
      for_unlisted.ties = ties_of(new_pairs);
      const FirmNetwork unlisted(firm_count, std::move(for_unlisted), index_memory, removed, added, std::nullopt,
                                 FirmNetwork::PartnerLists::Omitted);
      CHECK_FALSE(unlisted.has_partner_lists());
      CHECK_THROWS_AS(unlisted.neighbours(1), std::logic_error);
      CHECK(unlisted.ties() == anew.ties());
      bool same_degrees = true;
      for (std::uint32_t f = 0; f < firm_count; ++f) same_degrees = same_degrees && unlisted.degree(f) == anew.degree(f);
      CHECK(same_degrees);
      std::size_t wrong_answers = 0;
      for (auto [a, b] : new_pairs) wrong_answers += !unlisted.linked(a, b) + !unlisted.linked(b, a);
      for (std::uint64_t tie : removed) {
        const auto a = static_cast<std::uint32_t>(tie >> 32), b = static_cast<std::uint32_t>(tie);
        wrong_answers += unlisted.linked(a, b) + unlisted.linked(b, a);
      }
      for (int k = 0; k < 20000; ++k) {
        const auto i = pick(generator), j = pick(generator);
        const bool tied = new_pairs.count({std::min(i, j), std::max(i, j)}) != 0;
        wrong_answers += unlisted.linked(i, j) != tied;
      }
      CHECK(wrong_answers == 0);
      // A later step that reads the lists again builds them from the ties: the network built anew.
      FirmNetwork::Buffers relisted = unlisted.copy_into(FirmNetwork::Buffers{});
      CHECK(FirmNetwork(firm_count, std::move(relisted), index_memory, {}, {}) == anew);
    }
    omp_set_num_threads(threads_before);
  }
}


// A tie list with a gap between its runs (FirmTies::split, gap) compares equal to the same list
// without one, and close_gap() makes it that list, element for element.
TEST_CASE("firms: a tie list with a gap between its runs is the list without it", "[firms]") {
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  std::mt19937 generator(5);  // test data only
  std::uniform_int_distribution<std::uint32_t> pick(0, 299);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  while (pairs.size() < 2000) {
    const auto i = pick(generator), j = pick(generator);
    if (i != j) pairs.insert({std::min(i, j), std::max(i, j)});
  }
  FirmTies plain = ties_of(pairs);
  for (double& w : plain.weight) w = unit(generator);
  const FirmTies one = with_gap(plain, 700, 37), other = with_gap(plain, 1200, 5);
  CHECK(one.count() == plain.count());
  CHECK(one.place(699) == 699);
  CHECK(one.place(700) == 737);
  CHECK(one == plain);
  CHECK(one == other);
  FirmTies changed = with_gap(plain, 1200, 5);
  changed.weight[changed.place(1500)] += 0.25;
  CHECK_FALSE(one == changed);
  FirmTies closed = one;
  closed.close_gap();
  CHECK(closed.gap == 0);
  CHECK(closed.a.size() == plain.count());
  CHECK(std::equal(closed.a.begin(), closed.a.end(), plain.a.begin(), plain.a.end()));
  CHECK(std::equal(closed.b.begin(), closed.b.end(), plain.b.begin(), plain.b.end()));
  CHECK(std::equal(closed.weight.begin(), closed.weight.end(), plain.weight.begin(), plain.weight.end()));
}

// A network made in place from a list with a gap (as the B2B phase makes it after an update on two
// threads) answers every question as the network of the list without it; copies keep the gap;
// ties() closes it once, outside parallel regions only.
TEST_CASE("firms: a network whose tie list has a gap answers as the one without it", "[firms]") {
  const std::uint32_t firm_count = 8000;  // above 65,536 ties: the index merged on threads
  std::mt19937 generator(11);  // test data only
  std::uniform_int_distribution<std::uint32_t> pick(0, firm_count - 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::set<std::pair<std::uint32_t, std::uint32_t>> old_pairs, new_pairs;
  while (old_pairs.size() < 90000) {
    const auto i = pick(generator), j = pick(generator);
    if (i != j) old_pairs.insert({std::min(i, j), std::max(i, j)});
  }
  std::vector<std::uint64_t> removed, added;
  std::bernoulli_distribution ends(0.05);
  for (auto tie : old_pairs) (ends(generator) ? removed.push_back(packed(tie)) : (void)new_pairs.insert(tie));
  while (added.size() < 4000) {
    const auto i = pick(generator), j = pick(generator);
    const std::pair tie{std::min(i, j), std::max(i, j)};
    if (i == j || old_pairs.count(tie) != 0 || new_pairs.count(tie) != 0) continue;
    new_pairs.insert(tie);
    added.push_back(packed(tie));
  }
  std::sort(added.begin(), added.end());
  FirmTies contiguous = ties_of(new_pairs);
  for (double& w : contiguous.weight) w = unit(generator);
  const FirmNetwork anew(firm_count, contiguous);
  // The cut before firm 1000's first tie (below where a second thread merges from), as the update cuts between firms.
  const std::size_t split = static_cast<std::size_t>(
      std::lower_bound(contiguous.a.begin(), contiguous.a.end(), 1000u) - contiguous.a.begin());
  const int threads_before = omp_get_max_threads();
  for (int threads : {1, 2}) {
    INFO(threads << " threads");
    omp_set_num_threads(threads);
    const FirmNetwork before(firm_count, ties_of(old_pairs));
    FirmNetwork::Buffers changed = before.copy_into(FirmNetwork::Buffers{});
    changed.ties = with_gap(contiguous, split, 513);
    FirmNetwork::Index index_memory;
    const FirmNetwork gapped(firm_count, std::move(changed), index_memory, removed, added);
    REQUIRE(gapped.ties_as_laid().gap == 513);
    CHECK(gapped.tie_count() == anew.tie_count());
    CHECK(gapped == anew);
    CHECK(gapped.weight_sum() == anew.weight_sum());
    std::size_t wrong = 0;
    for (std::uint32_t f = 0; f < firm_count; ++f) {
      wrong += gapped.degree(f) != anew.degree(f);
      const NeighbourList mine = gapped.neighbours(f), theirs = anew.neighbours(f);
      wrong += !std::equal(mine.begin(), mine.end(), theirs.begin(), theirs.end());
    }
    for (int k = 0; k < 50000; ++k) {
      const auto i = pick(generator), j = pick(generator);
      wrong += gapped.linked(i, j) != anew.linked(i, j);
      wrong += !(gapped.weight(i, j) == anew.weight(i, j));
    }
    for (auto [a, b] : new_pairs) wrong += !(gapped.weight(a, b) == anew.weight(a, b)) + !gapped.linked(b, a);
    CHECK(wrong == 0);
    // A copy keeps the gap; a network made from it is the same network.
    FirmNetwork::Buffers copy = gapped.copy_into(FirmNetwork::Buffers{});
    CHECK(copy.ties.gap == 513);
    CHECK(FirmNetwork(firm_count, std::move(copy), index_memory, {}, {}) == anew);
    // ties() closes the gap, but not from inside a parallel region.
    bool threw = false;
#pragma omp parallel num_threads(2)
    {
#pragma omp single
      {
        try {
          (void)gapped.ties();
        } catch (const std::logic_error&) {
          threw = true;
        }
      }
    }
    CHECK(threw);
    const FirmTies& closed = gapped.ties();
    CHECK(gapped.ties_as_laid().gap == 0);
    CHECK(std::equal(closed.a.begin(), closed.a.end(), contiguous.a.begin(), contiguous.a.end()));
    CHECK(std::equal(closed.b.begin(), closed.b.end(), contiguous.b.begin(), contiguous.b.end()));
    CHECK(std::equal(closed.weight.begin(), closed.weight.end(), contiguous.weight.begin(), contiguous.weight.end()));
    CHECK(gapped == anew);
  }
  omp_set_num_threads(threads_before);
}

TEST_CASE("firms: sector names round-trip", "[firms]") {
  for (std::size_t s = 0; s < kSectorCount; ++s) {
    const auto sector = static_cast<Sector>(s);
    CHECK(sector_from_name(name_of(sector)) == sector);
  }
  CHECK_FALSE(sector_from_name("cyber").has_value());
}
