// pick_index: the uniform pick among `count` items that B2B cooperation (candidates) and B2B trade
// (buyers) share. It must be floor(u * count) capped at count - 1 for every u in (0, 1], which is
// what the draws were defined as before the truncating conversion replaced std::floor.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "sim/dynamics/firms/pick_index.hpp"

using policysim::pick_index;

namespace {

std::size_t floor_pick(double u, std::size_t count) {
  const auto index = static_cast<std::size_t>(std::floor(u * static_cast<double>(count)));
  return index < count ? index : count - 1;
}

}  // namespace

TEST_CASE("pick_index is the floor of u times count and stays below count up to u = 1", "[dynamics][firms]") {
  const double smallest = std::numeric_limits<double>::denorm_min();
  for (std::size_t count : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{99999},
                            std::size_t{1} << 32}) {
    CAPTURE(count);
    CHECK(pick_index(smallest, count) == 0);
    CHECK(pick_index(1.0, count) == count - 1);  // u = 1 is a possible draw: it stays inside
    CHECK(pick_index(std::nextafter(1.0, 0.0), count) == floor_pick(std::nextafter(1.0, 0.0), count));
    // The edges between two picks, and just below them, where a rounding slip would show.
    for (std::size_t k = 1; k < count && k < 5000; ++k) {
      const double edge = static_cast<double>(k) / static_cast<double>(count);
      CHECK(pick_index(edge, count) == floor_pick(edge, count));
      CHECK(pick_index(std::nextafter(edge, 0.0), count) == floor_pick(std::nextafter(edge, 0.0), count));
    }
  }
}

TEST_CASE("pick_index spreads an even grid of draws evenly over the items", "[dynamics][firms]") {
  // u = (n + 1/2) / (count * per) for n = 0 .. count * per - 1: each item must get exactly `per`.
  const std::size_t count = 13, per = 1000;
  std::vector<std::size_t> hits(count, 0);
  for (std::size_t n = 0; n < count * per; ++n)
    ++hits[pick_index((static_cast<double>(n) + 0.5) / static_cast<double>(count * per), count)];
  for (std::size_t item = 0; item < count; ++item) CHECK(hits[item] == per);
}
