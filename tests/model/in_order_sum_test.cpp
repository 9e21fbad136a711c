#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include "sim/model/in_order_sum.hpp"

using namespace policysim;

namespace {

double one_by_one(double sum, std::span<const double> weights) {
  for (const double weight : weights) sum += weight;
  return sum;
}

// The list summed piece by piece as the tie update does: each piece quantized from where the pieces
// before it about end, then added to the exact running sum.
double by_pieces(std::span<const double> weights, std::size_t piece_size, double start = 0.0) {
  double approximate = start, sum = start;
  for (std::size_t first = 0; first < weights.size(); first += piece_size) {
    const auto piece_weights = weights.subspan(first, std::min(piece_size, weights.size() - first));
    const SumPiece piece = quantize_piece(piece_weights, approximate);
    approximate += piece.approximate;
    sum = add_piece(sum, piece, piece_weights);
  }
  return sum;
}

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

}  // namespace

// The claim itself, on the B2B network's kind of weights (0.3 to 1, sums up to about 2^18): where a
// piece is quantized for the binade its running sum is in, the one addition gives the bits of the
// weights added one by one, crossing powers of two or not; most pieces take that shortcut (else
// the test would only test the one-by-one sum).
TEST_CASE("in_order_sum: a quantized piece adds up to the one-by-one sum's bits", "[model]") {
  std::mt19937_64 generator(5);  // test data only
  std::uniform_real_distribution<double> weight(0.3, 1.0);
  std::vector<double> weights(400000);
  for (double& w : weights) w = weight(generator);
  constexpr std::size_t kPiece = 2048;
  double sum = 0.0;
  std::size_t shortcuts = 0, pieces = 0;
  for (std::size_t first = 0; first < weights.size(); first += kPiece, ++pieces) {
    const std::span<const double> piece_weights(weights.data() + first, std::min(kPiece, weights.size() - first));
    const SumPiece piece = quantize_piece(piece_weights, sum);
    const double expected = one_by_one(sum, piece_weights);
    const double limit = std::ldexp(1.0, piece.exponent + 1);
    if (piece.quantized && sum > 0.0 && std::ilogb(sum) == piece.exponent && expected < limit) {
      const double shortcut = sum + piece.rounded;
      CHECK(bits(shortcut) == bits(expected));
      ++shortcuts;
    }
    const double added = add_piece(sum, piece, piece_weights);
    REQUIRE(bits(added) == bits(expected));
    sum = added;
  }
  CHECK(shortcuts + 20 >= pieces);  // only the first piece and those crossing a power of two add one by one
  CHECK(bits(by_pieces(weights, kPiece)) == bits(one_by_one(0.0, weights)));
}

// Weights halfway between two multiples of the running sum's unit round to the even multiple, so
// the result depends on the running sum: such pieces are not quantized, and come out right.
TEST_CASE("in_order_sum: weights halfway between two multiples of the unit are added one by one", "[model]") {
  const double unit = std::ldexp(1.0, -52);  // the unit of [1, 2)
  std::vector<double> weights;
  for (int k = 0; k < 5000; ++k) weights.push_back(k % 3 == 0 ? 1.5 * unit : 0.5 * unit);
  for (const double start : {1.0, 1.0 + unit, 1.5}) {
    CAPTURE(start);
    const SumPiece piece = quantize_piece(weights, start);
    CHECK_FALSE(piece.quantized);
    CHECK(bits(add_piece(start, piece, weights)) == bits(one_by_one(start, weights)));
    CHECK(bits(by_pieces(weights, 64, start)) == bits(one_by_one(start, weights)));
  }
  // Halfway weights that round up only (gaps of -u / 2), and one halfway weight among ordinary ones.
  const std::vector<double> up(3000, 1.5 * unit);
  CHECK_FALSE(quantize_piece(up, 1.0).quantized);
  CHECK(bits(by_pieces(up, 1000, 1.0)) == bits(one_by_one(1.0, up)));
  std::vector<double> mixed(3000, 0.25 + 7 * unit);
  mixed[1234] = 0.5 * unit;
  CHECK_FALSE(quantize_piece(mixed, 1.0).quantized);
  CHECK(bits(by_pieces(mixed, 1000, 1.0)) == bits(one_by_one(1.0, mixed)));
}

// The estimate of where a piece starts only decides whether the shortcut is tried: wrong ones
// (zero, negative, twice too large, not a number, beyond the checked range) give the same bits.
// Weights in multiples of 2^-30, none halfway between units of 2^-43 (the unit of [1024, 2048)),
// so that the right estimate does take the shortcut.
TEST_CASE("in_order_sum: a wrong estimate of the running sum changes nothing in the result", "[model]") {
  std::mt19937_64 generator(9);  // test data only
  std::uniform_int_distribution<std::int64_t> weight(0, std::int64_t{1} << 30);
  std::vector<double> weights(3000);
  for (double& w : weights) w = std::ldexp(static_cast<double>(weight(generator)), -30);
  const double start = 1100.0 + 1.0 / 3.0;
  const double expected = one_by_one(start, weights);
  for (const double estimate : {start, 0.0, -5.0, 2 * start, start / 3, 1e300, 1e-300,
                                std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    CAPTURE(estimate);
    CHECK(bits(add_piece(start, quantize_piece(weights, estimate), weights)) == bits(expected));
  }
  CHECK(quantize_piece(weights, start).quantized);
  CHECK_FALSE(quantize_piece(weights, 0.0).quantized);
}

// Weights the tie rule never makes, and sizes around the eight lanes: the one-by-one bits (NaN
// included) whatever the weights hold. The ordinary weights are multiples of 1/16, never halfway
// between two units of [2, 4) (2^-51).
TEST_CASE("in_order_sum: negative, tiny, huge and non-finite weights, and any length, give the one-by-one bits", "[model]") {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  const double start = 3.25;
  struct List {
    std::vector<double> weights;
    bool quantized;  // whether the shortcut may take it
  };
  const std::vector<List> lists = {
      {{}, true},
      {{0.5}, true},
      {{0.0625, 0.125, 0.1875, 0.25, 0.3125, 0.375, 0.4375}, true},
      {{0.0625, 0.125, 0.1875, 0.25, 0.3125, 0.375, 0.4375, 0.5}, true},
      {{0.0625, 0.125, 0.1875, 0.25, 0.3125, 0.375, 0.4375, 0.5, 0.5625}, true},
      {{0.25, 1e-310, 5e-324, 0.0, 1e-200, 0.375, 0.125, 0.5}, true},  // tiny ones round to 0 units
      {{0.25, 0.0, -0.0, 0.375, 0.125, 0.5, 0.0625, 0.1875, 0.3125}, false},  // -0 has a sign bit
      {{0.25, -0.125, 0.5, 0.75, 0.0625, 0.125, 0.1875, 0.3125, 0.375}, false},
      {{0.25, 3.0, 0.5, 0.125}, false},   // a weight over half the binade
      {{0.25, 1e30, 0.5, 0.125}, false},  // one far beyond it
      {{0.25, nan, 0.5, 0.0625, 0.125, 0.1875, 0.3125, 0.375, 0.4375}, false},
      {{0.25, inf, 0.5}, false},
      {{0.25, -inf, 0.5, 0.0625, 0.125, 0.1875, 0.3125, 0.375, 0.4375}, false},
  };
  for (std::size_t k = 0; k < lists.size(); ++k) {
    CAPTURE(k);
    const SumPiece piece = quantize_piece(lists[k].weights, start);
    CHECK(piece.quantized == lists[k].quantized);
    CHECK(bits(add_piece(start, piece, lists[k].weights)) == bits(one_by_one(start, lists[k].weights)));
  }
}
