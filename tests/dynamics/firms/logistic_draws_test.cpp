#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "sim/dynamics/firms/logistic_draws.hpp"

using namespace policysim;

namespace {

// The decisions as formation made them before accepted_draws: every probability computed.
std::vector<std::uint32_t> plain_decisions(const std::vector<double>& utility, const std::vector<double>& draw) {
  std::vector<std::uint32_t> accepted;
  for (std::size_t d = 0; d < utility.size(); ++d)
    if (draw[d] <= 1.0 / (1.0 + std::exp(-utility[d]))) accepted.push_back(static_cast<std::uint32_t>(d));
  return accepted;
}

std::vector<std::uint32_t> decisions(const std::vector<double>& utility, const std::vector<double>& draw) {
  std::vector<double> scratch(utility.size());
  std::vector<std::uint32_t> accepted(utility.size());
  accepted.resize(accepted_draws(utility.data(), draw.data(), utility.size(), scratch.data(), accepted.data()));
  return accepted;
}

}  // namespace

TEST_CASE("firms: approximate_exp is within 2^-40 of exp over its domain", "[firms][formation]") {
  std::mt19937_64 engine(7);  // test data only
  std::uniform_real_distribution<double> anywhere(-700.0, 700.0), near_zero(-1.0, 1.0);
  double worst = 0.0;
  const auto check = [&](double x) {
    const double relative = std::abs(approximate_exp(x) / std::exp(x) - 1.0);
    worst = std::max(worst, relative);
  };
  for (int k = 0; k < 200000; ++k) check(anywhere(engine));
  for (int k = 0; k < 100000; ++k) check(near_zero(engine));
  // Where the reduction's n changes (x near (n + 1/2) ln 2) and the ends of the domain.
  for (int n = -1010; n <= 1010; ++n) {
    const double edge = (n + 0.5) * 0.6931471805599453;
    if (std::abs(edge) > 700.0) continue;
    for (double x : {std::nextafter(edge, -1e9), edge, std::nextafter(edge, 1e9)}) check(x);
  }
  for (double x : {-700.0, 700.0, 0.0, -0.0, 1e-300, -1e-300}) check(x);
  INFO("largest relative error " << worst);
  CHECK(worst <= 0x1p-40);
  CHECK(approximate_exp(0.0) == 1.0);
}

TEST_CASE("firms: accepted_draws makes the very decisions of draw <= 1 / (1 + exp(-u))", "[firms][formation]") {
  std::mt19937_64 engine(11);  // test data only
  std::uniform_real_distribution<double> utility_of(-12.0, 6.0), unit(0.0, 1.0);
  SECTION("random utilities and draws, counts that are not multiples of the vector width") {
    for (std::size_t count : {0, 1, 7, 8, 9, 33, 1000, 4099}) {
      std::vector<double> utility(count), draw(count);
      for (std::size_t d = 0; d < count; ++d) {
        utility[d] = utility_of(engine);
        draw[d] = 1.0 - unit(engine);  // in (0, 1], as the streams' uniforms
      }
      const auto expected = plain_decisions(utility, draw);
      CHECK(decisions(utility, draw) == expected);
      if (count == 4099) CHECK(expected.size() > 100);  // the case decides both ways
    }
  }
  SECTION("draws at their probability and one ulp either side: the unsettled decisions") {
    std::vector<double> utility, draw;
    for (int k = 0; k < 3000; ++k) {
      const double u = utility_of(engine);
      const double p = logistic_probability(u);
      for (double x : {p, std::nextafter(p, 0.0), std::nextafter(p, 2.0)}) {
        utility.push_back(u);
        draw.push_back(x);
      }
    }
    const auto expected = plain_decisions(utility, draw);
    CHECK(decisions(utility, draw) == expected);
    CHECK(expected.size() == 2 * utility.size() / 3);  // at and below p accepted, above refused
  }
  SECTION("utilities outside the cheap bound's domain, infinite or NaN") {
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> utility{-800.0, 800.0, -inf, inf, nan, -701.0, 701.0, 699.0, -699.0, 0.0, 36.0, -745.0};
    std::vector<double> draw(utility.size());
    for (std::size_t d = 0; d < draw.size(); ++d) draw[d] = d % 2 == 0 ? 1.0 : 1e-300;
    const auto expected = plain_decisions(utility, draw);
    CHECK(decisions(utility, draw) == expected);
    // Out of the domain in every lane of the groups of eight the vector code decides together, among
    // decisions that are all sure (an unsure decision anywhere has the whole batch decided again one
    // by one; a draw of 1 puts 36, 699 or 701 within the margin, and the cheap bound's garbage for
    // -745 too): only the out-of-domain flags can send these to the library. A draw of 0.5 keeps
    // every test value clear of 1.
    const std::vector<double> outside{-800.0, 800.0, -inf, inf, nan, -701.0, 701.0, -745.0};
    std::vector<double> many, many_draws;
    for (int round = 0; round < 6; ++round)
      for (std::size_t d = 0; d < outside.size(); ++d) {
        many.push_back(outside[(d + static_cast<std::size_t>(round)) % outside.size()]);
        many_draws.push_back(0.5);
        many.push_back(d % 2 == 0 ? 0.0 : -699.0);  // a draw of 1e-300: surely accepted, surely refused
        many_draws.push_back(1e-300);
      }
    const auto expected_many = plain_decisions(many, many_draws);
    CHECK(decisions(many, many_draws) == expected_many);
    CHECK(expected_many.size() > 20);  // 800, infinity and 701 accepted, each in six lanes
    CHECK(expected_many.size() > 10);
  }
}
