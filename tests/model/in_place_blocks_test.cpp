#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include <omp.h>

#include "sim/model/in_place_blocks.hpp"

using namespace policysim;

namespace {

// A merge of the kind the B2B update makes: each block of an old array keeps some of its elements
// and gains new ones among them. `grow`: the chance of a new element before each old one (more than
// one in a row possible); `drop`: the chance that an old element goes.
struct Rewrite {
  std::vector<std::size_t> source, destination;
  std::vector<std::vector<std::uint32_t>> output;  // each block's output
  std::vector<std::uint32_t> old_array, expected;
};

Rewrite make_rewrite(std::size_t blocks, std::size_t block_size, double grow, double drop, std::uint32_t seed,
                     std::size_t front_burst = 0) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::uniform_int_distribution<std::size_t> size(0, 2 * block_size);
  Rewrite r;
  r.source.push_back(0);
  r.destination.push_back(0);
  std::uint32_t next_new = 1u << 31;
  for (std::size_t k = 0; k < blocks; ++k) {
    const std::size_t count = size(random);
    std::vector<std::uint32_t> out;
    if (k == 0)
      for (std::size_t i = 0; i < front_burst; ++i) out.push_back(next_new++);
    for (std::size_t i = 0; i < count; ++i) {
      const auto value = static_cast<std::uint32_t>(r.old_array.size());
      r.old_array.push_back(value);
      while (uniform(random) < grow) out.push_back(next_new++);
      if (uniform(random) >= drop) out.push_back(value);
    }
    r.source.push_back(r.old_array.size());
    r.destination.push_back(r.destination.back() + out.size());
    r.expected.insert(r.expected.end(), out.begin(), out.end());
    r.output.push_back(std::move(out));
  }
  return r;
}

// The rewrite done in place, each block read into the calling thread's buffer; with `move_some`,
// every third block (1, 4, 7, ...) marked movable: moved instead (its source checked and its output
// written in one go, as the tie update moves a block that can be written over its own source) unless
// another thread's blocks write over its source. On threads, every thread but the first reads each
// source late (a sleep before the check), so that the first thread's writes run ahead: a block
// written over another thread's source before that source is read fails the check.
std::vector<std::uint32_t> in_place(const Rewrite& r, bool threads, bool move_some = false) {
  std::vector<std::uint32_t> array = r.old_array;
  array.resize(std::max(r.old_array.size(), r.expected.size()), 0xdeadbeefu);
  bool read_wrong = false;
  // A buffer per thread and slot (rewrite_in_place's slots: 0, then the blocks a thread holds).
  std::vector<std::vector<std::vector<std::uint32_t>>> buffers(static_cast<std::size_t>(omp_get_max_threads()));
  const auto buffer_of = [&](std::size_t slot) -> std::vector<std::uint32_t>& {
    return slot_buffer(buffers[static_cast<std::size_t>(omp_get_thread_num())], slot);
  };
  const auto read_source = [&](std::size_t k) {  // block k's source as it must still be
    if (threads && omp_get_thread_num() != 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
    bool wrong = false;
    for (std::size_t e = r.source[k]; e < r.source[k + 1]; ++e)
      if (array[e] != r.old_array[e]) wrong = true;
    if (wrong) {
#pragma omp critical(read_wrong)
      read_wrong = true;
    }
  };
  rewrite_in_place(
      r.source, r.destination, threads, [&](std::size_t k) { return move_some && k % 3 == 1; },
      [&](std::size_t k) {
        read_source(k);
        std::copy(r.output[k].begin(), r.output[k].end(), array.begin() + static_cast<std::ptrdiff_t>(r.destination[k]));
      },
      [&](std::size_t k, std::size_t slot) {
        read_source(k);
        buffer_of(slot) = r.output[k];
      },
      [&](std::size_t k, std::size_t slot) {
        const auto& buffer = buffer_of(slot);
        std::copy(buffer.begin(), buffer.end(), array.begin() + static_cast<std::ptrdiff_t>(r.destination[k]));
      });
  array.resize(r.expected.size());
  if (read_wrong) array.push_back(0);  // a source overwritten before it was read
  return array;
}

// Whether `order` places every block after the blocks whose sources its destination overlaps.
bool respects_overlaps(const Rewrite& r, const std::vector<std::size_t>& order) {
  std::vector<std::size_t> position(order.size());
  for (std::size_t at = 0; at < order.size(); ++at) position[order[at]] = at;
  for (std::size_t k = 0; k < order.size(); ++k)
    for (std::size_t j = 0; j < order.size(); ++j) {
      const bool overlaps = j != k && std::max(r.destination[k], r.source[j]) < std::min(r.destination[k + 1], r.source[j + 1]);
      if (overlaps && position[j] > position[k]) return false;
    }
  return true;
}

}  // namespace

// Also with some blocks marked movable: moved (read and written in one go), on one thread and on
// threads, except where a block's source lies under another thread's destinations.
TEST_CASE("rewrite_in_place gives the out-of-place merge, on one thread and several", "[model]") {
  struct Case {
    const char* what;
    std::size_t blocks, block_size;
    double grow, drop;
    std::size_t front_burst;
  };
  const Case cases[] = {
      {"growing (new elements outnumber the dropped)", 40, 50, 0.3, 0.05, 0},
      {"shrinking", 40, 50, 0.02, 0.4, 0},
      {"balanced", 40, 50, 0.1, 0.1, 0},
      {"a burst at the front that covers many blocks", 30, 20, 0.05, 0.05, 500},
      {"everything dropped", 10, 20, 0.0, 1.0, 0},
      {"long runs of new elements", 20, 10, 0.8, 0.2, 0},
      {"one block", 1, 100, 0.2, 0.2, 0},
  };
  const int threads_before = omp_get_max_threads();
  for (const Case& c : cases)
    for (std::uint32_t seed = 1; seed <= 5; ++seed) {
      CAPTURE(c.what, seed);
      const Rewrite r = make_rewrite(c.blocks, c.block_size, c.grow, c.drop, seed, c.front_burst);
      CHECK(respects_overlaps(r, in_place_order(r.source, r.destination)));
      CHECK(in_place(r, false) == r.expected);
      CHECK(in_place(r, false, true) == r.expected);
      omp_set_num_threads(4);
      CHECK(in_place(r, true) == r.expected);
      CHECK(in_place(r, true, true) == r.expected);
      omp_set_num_threads(threads_before);
    }
}

TEST_CASE("rewrite_in_place writes an empty old array's new elements", "[model]") {
  Rewrite r;
  r.source = {0, 0};
  r.destination = {0, 5};
  r.output = {{7, 8, 9, 10, 11}};
  r.expected = r.output[0];
  CHECK(in_place(r, false) == r.expected);
  CHECK(in_place(r, true) == r.expected);
}

TEST_CASE("in_place_order refuses boundaries that do not rise from 0 or do not match", "[model]") {
  const std::vector<std::size_t> good{0, 3, 6}, falling{0, 5, 4}, unmatched{0, 6}, late{1, 3, 6};
  CHECK(in_place_order(good, good) == std::vector<std::size_t>{0, 1});
  CHECK_THROWS_AS(in_place_order(falling, good), std::logic_error);
  CHECK_THROWS_AS(in_place_order(good, unmatched), std::logic_error);
  CHECK_THROWS_AS(in_place_order(late, good), std::logic_error);
}
