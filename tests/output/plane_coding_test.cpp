// plane_coding (how a byte plane of a shuffled chunk is deflated) against its rules written out
// plainly: every run of three counted one byte at a time, one histogram of every fourth byte, each
// n log2(n) by std::log2. The vectorised count, the four histograms and the table must decide
// exactly as the rules do, on planes near both run thresholds and near 7.8 bits a byte, of sizes
// that end inside a block of the count and past the table's 4,096 sampled bytes.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "sim/output/plane_coding.hpp"

using policysim::hdf5_write::PlaneCoding;

namespace {

PlaneCoding coding_by_the_rules(const std::vector<unsigned char>& plane) {
  const std::size_t count = plane.size();
  if (count < 4096) return PlaneCoding::Runs;
  std::size_t runs = 0;
  for (std::size_t i = 2; i < count; ++i) runs += plane[i] == plane[i - 1] && plane[i - 1] == plane[i - 2] ? 1 : 0;
  if (runs > count / 16) return PlaneCoding::Runs;
  std::array<std::uint32_t, 256> histogram{};
  for (std::size_t i = 0; i < count; i += 4) ++histogram[plane[i]];
  const auto sampled = static_cast<double>((count + 3) / 4);
  double sum = 0.0;
  for (const std::uint32_t n : histogram)
    sum += n == 0 ? 0.0 : static_cast<double>(n) * std::log2(static_cast<double>(n));
  const double bits = sampled * std::log2(sampled) - sum;
  return runs <= count / 64 && bits > 7.8 * sampled ? PlaneCoding::Stored : PlaneCoding::Huffman;
}

// `count` bytes drawn from `values` byte values at random, each repeating the byte before it with
// probability `repeat` (runs of three at about repeat^2 a byte).
std::vector<unsigned char> plane_of(std::size_t count, unsigned values, double repeat, std::mt19937_64& random) {
  std::uniform_int_distribution<unsigned> value(0, values - 1);
  std::bernoulli_distribution repeats(repeat);
  std::vector<unsigned char> plane(count);
  for (std::size_t i = 0; i < count; ++i)
    plane[i] = static_cast<unsigned char>(i > 0 && repeats(random) ? plane[i - 1] : value(random));
  return plane;
}

}  // namespace

TEST_CASE("plane_coding decides as its rules, near every threshold and at every size", "[output]") {
  std::mt19937_64 random(20261207);
  std::map<PlaneCoding, int> seen;
  int planes = 0;
  for (const std::size_t count : {std::size_t{100}, std::size_t{4095}, std::size_t{4096}, std::size_t{8191},
                                  std::size_t{8192}, std::size_t{20011}, std::size_t{65536}})
    for (const unsigned values : {2u, 16u, 180u, 200u, 215u, 222u, 230u, 256u})
      for (const double repeat : {0.0, 0.05, 0.11, 0.125, 0.14, 0.24, 0.25, 0.26, 0.5, 1.0}) {
        const std::vector<unsigned char> plane = plane_of(count, values, repeat, random);
        CAPTURE(count, values, repeat);
        const PlaneCoding expected = coding_by_the_rules(plane);
        CHECK(policysim::hdf5_write::plane_coding(plane.data(), plane.size()) == expected);
        ++seen[expected];
        ++planes;
      }
  // Every coding met, each many times: the comparisons above decided something.
  CHECK(seen[PlaneCoding::Stored] > planes / 40);
  CHECK(seen[PlaneCoding::Huffman] > planes / 20);
  CHECK(seen[PlaneCoding::Runs] > planes / 20);
}

TEST_CASE("planes of many runs are counted in full, whatever share of their bytes ends a run", "[output]") {
  // One byte value but every p-th byte another: (p - 3) runs of three in p bytes, from a fourth to
  // nearly all of them. A count kept in too narrow a number (a byte's lane over more bytes than it
  // can count) would wrap, for some of these shares, below a sixteenth.
  for (std::size_t period = 4; period <= 64; ++period) {
    std::vector<unsigned char> plane(8192, 7);
    for (std::size_t i = 0; i < plane.size(); i += period) plane[i] = 9;
    CAPTURE(period);
    CHECK(coding_by_the_rules(plane) == PlaneCoding::Runs);
    CHECK(policysim::hdf5_write::plane_coding(plane.data(), plane.size()) == PlaneCoding::Runs);
  }
  const std::vector<unsigned char> constant_plane(8192, 7);
  CHECK(policysim::hdf5_write::plane_coding(constant_plane.data(), constant_plane.size()) == PlaneCoding::Runs);
}

TEST_CASE("constant: one byte value over the whole plane, and only then", "[output]") {
  std::vector<unsigned char> plane(8193, 0x5a);
  CHECK(policysim::hdf5_write::constant(plane.data(), plane.size()));
  for (const std::size_t at : {std::size_t{0}, std::size_t{31}, std::size_t{8192}}) {
    std::vector<unsigned char> changed = plane;
    changed[at] = 0x5b;
    CAPTURE(at);
    CHECK_FALSE(policysim::hdf5_write::constant(changed.data(), changed.size()));
  }
}
