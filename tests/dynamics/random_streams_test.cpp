// RandomStreams: a draw is a pure function of (seed, step, purpose, a, b), every part of the key
// matters, and the draws have the distributions they claim.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/dynamics/random_streams.hpp"
#include "sim/description/scenario.hpp"

using namespace policysim;

namespace {

// The streams of a run with this seed (the only way to make streams: RandomStreams::for_run).
RandomStreams streams_for(std::uint64_t seed) {
  Scenario scenario;
  scenario.simulation.seed = seed;
  return RandomStreams::for_run(scenario);
}

}  // namespace

TEST_CASE("dynamics: the same key gives the same draw, from any instance", "[dynamics][random]") {
  const RandomStreams one = streams_for(42), two = streams_for(42);
  CHECK(one.normal(3, Purpose::DialogueShock, 11, 22) == two.normal(3, Purpose::DialogueShock, 11, 22));
  CHECK(one.normal(3, Purpose::DialogueShock, 11, 22) == one.normal(3, Purpose::DialogueShock, 11, 22));
  CHECK(one.uniform(3, Purpose::TradeShock, 11, 22) == two.uniform(3, Purpose::TradeShock, 11, 22));
}

TEST_CASE("dynamics: changing any part of the key changes the draw", "[dynamics][random]") {
  const std::uint64_t seed = 42;
  const RandomStreams streams = streams_for(seed);
  for (bool use_normal : {true, false}) {
    INFO((use_normal ? "normal" : "uniform"));
    auto value = [&](const RandomStreams& s, std::uint32_t step, Purpose purpose, std::uint32_t a, std::uint32_t b) {
      return use_normal ? s.normal(step, purpose, a, b) : s.uniform(step, purpose, a, b);
    };
    const double base = value(streams, 3, Purpose::DialogueShock, 11, 22);
    CHECK(value(streams_for(seed + 1), 3, Purpose::DialogueShock, 11, 22) != base);
    // The seed is 64 bits: its upper half must count too.
    CHECK(value(streams_for(seed + (std::uint64_t{1} << 32)), 3, Purpose::DialogueShock, 11, 22) != base);
    CHECK(value(streams, 4, Purpose::DialogueShock, 11, 22) != base);
    CHECK(value(streams, 3, Purpose::CooperationShock, 11, 22) != base);
    CHECK(value(streams, 3, Purpose::TradeShock, 11, 22) != base);
    CHECK(value(streams, 3, Purpose::DialogueShock, 12, 22) != base);
    CHECK(value(streams, 3, Purpose::DialogueShock, 11, 23) != base);
    // Directed draws (trade i -> j) need (a, b) and (b, a) to differ.
    CHECK(value(streams, 3, Purpose::DialogueShock, 22, 11) != base);
  }
}

TEST_CASE("dynamics: normal draws have mean 0 and sd 1, uniform draws lie in the half-open unit interval with mean 1/2",
          "[dynamics][random]") {
  // 20,000 keys: the standard error of the mean is 1/sqrt(20000) = 0.007 and of the sd about
  // 1/sqrt(2*20000) = 0.005, so +-0.03 is more than 4 standard errors.
  const RandomStreams streams = streams_for(2024);
  constexpr int kDraws = 20000;
  SECTION("varying the pair") {
    double sum = 0.0, sum_squares = 0.0, uniform_sum = 0.0;
    bool uniform_in_range = true;
    for (int k = 0; k < kDraws; ++k) {
      const auto a = static_cast<std::uint32_t>(k);
      const double x = streams.normal(0, Purpose::DialogueShock, a, 7);
      sum += x;
      sum_squares += x * x;
      const double u = streams.uniform(0, Purpose::TradeShock, a, 7);
      uniform_in_range = uniform_in_range && u > 0.0 && u <= 1.0;
      uniform_sum += u;
    }
    const double mean = sum / kDraws;
    const double sd = std::sqrt(sum_squares / kDraws - mean * mean);
    CHECK(std::abs(mean) < 0.03);
    CHECK(std::abs(sd - 1.0) < 0.03);
    CHECK(uniform_in_range);
    // Uniform on (0, 1]: mean 1/2, standard error sqrt(1/12)/sqrt(20000) = 0.002.
    CHECK(std::abs(uniform_sum / kDraws - 0.5) < 0.01);
  }
  SECTION("varying the step and the second id") {
    double sum = 0.0, sum_squares = 0.0;
    for (int k = 0; k < kDraws; ++k) {
      const double x = streams.normal(static_cast<std::uint32_t>(k % 100), Purpose::CooperationShock, 3,
                                      static_cast<std::uint32_t>(k / 100));
      sum += x;
      sum_squares += x * x;
    }
    const double mean = sum / kDraws;
    CHECK(std::abs(mean) < 0.03);
    CHECK(std::abs(std::sqrt(sum_squares / kDraws - mean * mean) - 1.0) < 0.03);
  }
}

// The batched draws of the B2B phases (AVX2 or AVX-512 where the processor has them) are uniform()'s
// and normal()'s numbers bit for bit, with every vector unit the processor has: random keys and
// seeds with high bits set, extreme words (0, 2^32 - 1), counts that are not multiples of the vector
// widths (8, 16 and 32; 63 = 32 + 16 + 8 + 7 goes through every width; normals() works in pieces of
// 256), and every purpose the firm layer draws with.
TEST_CASE("dynamics: batched uniform and normal draws equal one-at-a-time draws bit for bit", "[dynamics][random]") {
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  const auto next = [&] {  // test data only (splitmix64)
    state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  using Unit = RandomStreams::VectorUnit;
  std::vector<Unit> units{Unit::None};
  if (RandomStreams::vector_unit() >= Unit::Avx2) units.push_back(Unit::Avx2);
  if (RandomStreams::vector_unit() >= Unit::Avx512) units.push_back(Unit::Avx512);
  INFO("vector units of this processor tested: " << units.size() - 1 << " (AVX2, AVX-512)");
  for (const Unit unit : units)
    for (const std::uint64_t seed : {std::uint64_t{1}, std::uint64_t{0xFFFFFFFFFFFFFFFFull}, next()}) {
      const RandomStreams streams = streams_for(seed);
      for (const std::size_t count : {0, 3, 8, 15, 16, 17, 31, 32, 40, 48, 63, 1001}) {
        std::vector<std::uint32_t> a(count), b(count);
        for (std::size_t k = 0; k < count; ++k) {
          a[k] = k % 7 == 0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(next());
          b[k] = k % 5 == 0 ? 0u : static_cast<std::uint32_t>(next());
        }
        for (const Purpose purpose : {Purpose::FirmCandidate, Purpose::FirmFormation, Purpose::FirmNetworkCandidate,
                                      Purpose::FirmTradeShock}) {
          const auto step = static_cast<std::uint32_t>(next());
          std::vector<double> batched(count), normals(count);
          streams.uniforms_with(unit, step, purpose, a.data(), b.data(), batched.data(), count);
          streams.normals_with(unit, step, purpose, a.data(), b.data(), normals.data(), count);
          for (std::size_t k = 0; k < count; ++k) {
            INFO("unit " << static_cast<int>(unit) << ", seed " << seed << ", draw " << k << " of " << count);
            const double one = streams.uniform(step, purpose, a[k], b[k]);
            REQUIRE(std::memcmp(&batched[k], &one, sizeof(double)) == 0);
            const double one_normal = streams.normal(step, purpose, a[k], b[k]);
            REQUIRE(std::memcmp(&normals[k], &one_normal, sizeof(double)) == 0);
          }
        }
      }
    }
}
