#include "sim/dynamics/firms/logistic_draws.hpp"

#include <bit>
#include <cmath>

#include <immintrin.h>

#include "sim/dynamics/random_streams.hpp"

namespace policysim {
namespace {

// Where approximate_exp is used: |x| <= 700 keeps 2^n a normal double (n <= 1010 in magnitude) and
// 1 + e^x finite.
constexpr double kDomain = 700.0;
// How far from 1 the test draw * (1 + A) must fall to settle a decision without the library's exp.
// Why 2^-30 is safe (A = approximate_exp(-u), e = e^-u, L = 1 / (1 + e) the true logistic, p the
// computed probability, t the computed draw * (1 + A)):
//   |A / e - 1| <= 2^-40 (approximate_exp), so |(1 + A) / (1 + e) - 1| <= 2^-40;
//   |t / (draw (1 + A)) - 1| <= 2^-52 (two roundings);
//   |p / L - 1| <= 2^-50 (the library's exp within 1 ulp -- glibc's within 0.52 --, then one
//   rounding each for the addition and the division; each moves p by at most a relative 2^-52).
// If t < 1 - 2^-30, then draw < L (1 - 2^-30) (1 + 2^-40 + 2^-52 + ...) < L (1 - 2^-50) <= p:
// accepted. If t > 1 + 2^-30, then draw > L (1 + 2^-50) >= p: refused. Between, the exact
// computation decides (about one draw in a billion).
constexpr double kMargin = 0x1p-30;

// exp(x) for |x| <= 700, see approximate_exp, inline for the vector loop below.
inline double exp_without_library(double x) {
  // x = n ln 2 + r with n the nearest integer to x / ln 2 (1.5 * 2^52 added and taken away rounds
  // to an integer in the default rounding mode), |r| <= ln 2 / 2 (+ the error of ln 2 as a double
  // times |n|, below 2.4e-14, and the rounding of n ln 2, below 6e-14). 2^n is built in the
  // exponent bits; e^r = sum r^k / k!, k <= 11, whose remainder is below 0.347^12 / 12! = 7e-15,
  // by Horner's rule (rounding: a few 2^-53). In all, within a relative 2^-42.
  constexpr double kLog2e = 1.4426950408889634, kLn2 = 0.6931471805599453, kShift = 0x1.8p52;
  const double shifted = x * kLog2e + kShift;
  const double n = shifted - kShift;
  const double r = x - n * kLn2;
  double sum = 1.0 / 39916800.0;  // 1 / 11!
  sum = sum * r + 1.0 / 3628800.0;
  sum = sum * r + 1.0 / 362880.0;
  sum = sum * r + 1.0 / 40320.0;
  sum = sum * r + 1.0 / 5040.0;
  sum = sum * r + 1.0 / 720.0;
  sum = sum * r + 1.0 / 120.0;
  sum = sum * r + 1.0 / 24.0;
  sum = sum * r + 1.0 / 6.0;
  sum = sum * r + 0.5;
  sum = sum * r + 1.0;
  sum = sum * r + 1.0;
  // n's integer value sits in the low bits of `shifted` (1.5 * 2^52 has a mantissa of 2^51 there).
  const auto exponent = std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(kShift);
  return sum * std::bit_cast<double>(static_cast<std::uint64_t>(exponent + 1023) << 52);
}

// draw * (1 + approximate_exp(-utility)) for each pair, in a loop without branches that the
// compiler makes vector code, built for AVX-512, AVX2 and the baseline, the processor choosing
// (the test values need not be the same doubles from one build to the other: their margin, above,
// covers any few roundings). A utility outside the domain (or NaN) gets a meaningless value (integer
// arithmetic on its bits, without overflow), decided exactly by accepted_draws; clamping it here
// would be a comparison that GCC does not turn into vector code.
__attribute__((target_clones("avx512f", "avx2", "default"))) void test_values(const double* utility,
                                                                              const double* draw,
                                                                              std::size_t count, double* out) {
#pragma omp simd
  for (std::size_t d = 0; d < count; ++d) out[d] = draw[d] * (1.0 + exp_without_library(-utility[d]));
}

// The sure decisions of the whole groups of eight among the first `count` (accepted_draws' rule,
// below): how many were decided, how many accepted (their indices written to `accepted`), and
// whether any was unsure. Comparisons that are false for NaN (ordered, quiet), as the scalar
// rule's: a NaN utility is outside the domain, a NaN test value neither surely below nor within
// the margin.
struct SureDecisions {
  std::size_t decided = 0, kept = 0;
  bool any_unsure = false;
};
__attribute__((target("avx512f"))) SureDecisions sure_decisions_avx512(const double* utility, const double* test,
                                                                     std::size_t count, std::uint32_t* accepted) {
  const __m512d domain = _mm512_set1_pd(kDomain), below = _mm512_set1_pd(1.0 - kMargin), above = _mm512_set1_pd(1.0 + kMargin);
  const __m512i eight = _mm512_set1_epi32(8);
  __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  __mmask8 unsure = 0;
  SureDecisions sure;
  for (; sure.decided + 8 <= count; sure.decided += 8) {
    const __m512d u = _mm512_loadu_pd(utility + sure.decided), t = _mm512_loadu_pd(test + sure.decided);
    const __mmask8 inside = _mm512_cmp_pd_mask(_mm512_abs_pd(u), domain, _CMP_LE_OQ);
    const __mmask8 surely = inside & _mm512_cmp_pd_mask(t, below, _CMP_LT_OQ);
    unsure |= static_cast<__mmask8>(~inside | (_mm512_cmp_pd_mask(t, below, _CMP_GE_OQ) & _mm512_cmp_pd_mask(t, above, _CMP_LE_OQ)));
    _mm512_mask_compressstoreu_epi32(accepted + sure.kept, surely, index);
    sure.kept += static_cast<std::size_t>(__builtin_popcount(surely));
    index = _mm512_add_epi32(index, eight);
  }
  sure.any_unsure = unsure != 0;
  return sure;
}

}  // namespace

double logistic_probability(double utility) { return 1.0 / (1.0 + std::exp(-utility)); }

double approximate_exp(double x) { return exp_without_library(x); }

std::size_t accepted_draws(const double* utility, const double* draw, std::size_t count, double* scratch,
                           std::uint32_t* accepted) {
  test_values(utility, draw, count, scratch);
  // Each decision is surely an acceptance, surely a refusal (inside the domain, t clear of 1 by the
  // margin), or unsure (outside the domain, NaN, or t within the margin): the library decides it.
  constexpr double kSurelyBelow = 1.0 - kMargin, kSurelyAbove = 1.0 + kMargin;
  const auto inside = [&](std::size_t d) { return std::abs(utility[d]) <= kDomain; };
  const auto surely_accepted = [&](std::size_t d) { return inside(d) & (scratch[d] < kSurelyBelow); };
  const auto unsure = [&](std::size_t d) {
    return (!inside(d)) | ((scratch[d] >= kSurelyBelow) & (scratch[d] <= kSurelyAbove));
  };
  // Without a branch on the data (a draw succeeds a few times in a hundred, at random: a branch on
  // it was mispredicted often enough to cost as much as the test values), noting whether any
  // decision is unsure. With AVX-512, eight decisions at a time, the accepted indices packed by one
  // compress-store (seventeenth round, docs/performance.md).
  SureDecisions sure;
  // The processor's vector unit as the draws ask it once (RandomStreams::vector_unit: AVX-512 with its
  // F and DQ parts; this loop needs F only).
  if (RandomStreams::vector_unit() == RandomStreams::VectorUnit::Avx512)
    sure = sure_decisions_avx512(utility, scratch, count, accepted);
  std::size_t kept = sure.kept;
  bool any_unsure = sure.any_unsure;
  for (std::size_t d = sure.decided; d < count; ++d) {
    any_unsure |= unsure(d);
    accepted[kept] = static_cast<std::uint32_t>(d);
    kept += surely_accepted(d);
  }
  if (!any_unsure) return kept;
  // Rarely: the batch again, the unsure decisions made with the library's exp.
  kept = 0;
  for (std::size_t d = 0; d < count; ++d)
    if (surely_accepted(d) || (unsure(d) && draw[d] <= logistic_probability(utility[d])))
      accepted[kept++] = static_cast<std::uint32_t>(d);
  return kept;
}

}  // namespace policysim
