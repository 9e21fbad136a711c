#include "sim/model/in_order_sum.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace policysim {
namespace {

// Running sums below 2^-900 or from 2^1000 up are added weight by weight: far from any tie weight,
// and it keeps every power of two below finite.
constexpr double kSmallestStart = 0x1p-900;
constexpr double kLargestStart = 0x1p1000;

// What a pass over a piece gathers, for the binade [2^e, 2^(e+1)).
struct Gathered {
  double rounded = 0.0;  // the weights each rounded to a multiple of u = 2^(e-52), summed
  double largest_gap = 0.0;  // the largest |w - rounded w|: u / 2 only for a weight halfway
  std::uint64_t largest_bits = 0;  // of the weights' bit patterns, as unsigned integers
};

// x + 2^e - 2^e rounds x to the nearest multiple of u (halfway: the even one) when 0 <= x < 2^(e-1):
// x + 2^e lies in [2^e, 2^(e+1)), where the doubles are the multiples of u. The difference x - (its
// rounding) is exact (the two are within a factor of two, or the rounding is 0). A weight's bit
// pattern read as an unsigned integer orders the non-negative doubles, and puts the negative ones
// (sign bit), the infinite ones and NaN above 2^(e-1): one maximum checks them all.
//
// Eight lanes in one vector (GCC's vector extension: one AVX-512 register, two AVX2 ones, four SSE2
// ones, whichever the machine has): each lane's sum of rounded weights stays exact (multiples of u
// below 2^(e+1)), so the lanes may add in their own order. `copy_to`, when given, receives the
// weights: the tie update copies each piece to its place in the same pass (the stores then hide
// these few additions).
__attribute__((target_clones("avx512f", "avx2", "default"))) Gathered gather(const double* weights, std::size_t count,
                                                                              int exponent, double* copy_to) {
  using Lanes = double __attribute__((vector_size(64)));
  using Bits = std::uint64_t __attribute__((vector_size(64)));
  constexpr std::size_t kLanes = sizeof(Lanes) / sizeof(double);
  const double binade = std::ldexp(1.0, exponent);
  const Lanes shift = Lanes{} + binade;
  const Bits magnitude_bits = Bits{} + ~(std::uint64_t{1} << 63);  // all but the sign bit
  Lanes rounded{}, largest_gap{};
  Bits largest_bits{};
  std::size_t i = 0;
  const auto lanes = [&](auto copies) {
    for (; i + kLanes <= count; i += kLanes) {
      Lanes x;
      __builtin_memcpy(&x, weights + i, sizeof x);
      if constexpr (decltype(copies)::value) __builtin_memcpy(copy_to + i, &x, sizeof x);
      const Lanes r = (x + shift) - shift;
      rounded += r;
      const Lanes gap = x - r;
      Bits magnitude;
      __builtin_memcpy(&magnitude, &gap, sizeof gap);
      magnitude &= magnitude_bits;
      Lanes absolute_gap;
      __builtin_memcpy(&absolute_gap, &magnitude, sizeof magnitude);
      largest_gap = absolute_gap > largest_gap ? absolute_gap : largest_gap;
      Bits bits;
      __builtin_memcpy(&bits, &x, sizeof x);
      largest_bits = bits > largest_bits ? bits : largest_bits;
    }
  };
  if (copy_to != nullptr) lanes(std::true_type{});
  else lanes(std::false_type{});
  Gathered all;
  for (std::size_t lane = 0; lane < kLanes; ++lane) {
    all.rounded += rounded[lane];
    all.largest_gap = std::fmax(all.largest_gap, largest_gap[lane]);
    all.largest_bits = std::max(all.largest_bits, static_cast<std::uint64_t>(largest_bits[lane]));
  }
  for (; i < count; ++i) {
    const double x = weights[i];
    if (copy_to != nullptr) copy_to[i] = x;
    const double r = (x + binade) - binade;
    all.rounded += r;
    all.largest_gap = std::fmax(all.largest_gap, std::fabs(x - r));
    all.largest_bits = std::max(all.largest_bits, std::bit_cast<std::uint64_t>(x));
  }
  return all;
}

}  // namespace

SumPiece quantize_piece(std::span<const double> weights, double approximate_start, double* copy_to) {
  SumPiece piece;
  const bool has_binade = approximate_start >= kSmallestStart && approximate_start < kLargestStart;
  piece.exponent = has_binade ? std::ilogb(approximate_start) : 0;
  const Gathered gathered = gather(weights.data(), weights.size(), piece.exponent, copy_to);
  const bool in_range = gathered.largest_bits < std::bit_cast<std::uint64_t>(std::ldexp(1.0, piece.exponent - 1));
  piece.rounded = gathered.rounded;
  piece.quantized = has_binade && in_range && gathered.largest_gap < std::ldexp(1.0, piece.exponent - 53);
  // The rounded weights' sum is within half a unit a weight of theirs; out of range, it may be far.
  if (in_range) piece.approximate = gathered.rounded;
  else for (const double weight : weights) piece.approximate += weight;
  return piece;
}

double add_piece(double sum, const SumPiece& piece, std::span<const double> weights) {
  if (piece.quantized && sum >= kSmallestStart && sum < kLargestStart && std::ilogb(sum) == piece.exponent) {
    // Both terms are multiples of u: below 2^(exponent + 1), their sum is a double, so the addition
    // is exact, and it is what the weights added one by one give (in_order_sum.hpp). A sum of
    // rounded weights that reached 2^(exponent + 1) (perhaps rounded itself) fails the test, as it
    // should.
    const double next = sum + piece.rounded;
    if (next < std::ldexp(1.0, piece.exponent + 1)) return next;
  }
  for (const double weight : weights) sum += weight;
  return sum;
}

}  // namespace policysim
