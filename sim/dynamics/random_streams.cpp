#include "sim/dynamics/random_streams.hpp"

#include <algorithm>
#include <array>

#include <Random123/boxmuller.hpp>
#include <Random123/philox.h>
#include <Random123/uniform.hpp>
#include <immintrin.h>

#include "sim/description/scenario.hpp"

namespace policysim {
namespace {

r123::Philox4x32::ctr_type draw(std::uint64_t seed, std::uint32_t step, Purpose purpose, std::uint32_t a,
                                std::uint32_t b) {
  r123::Philox4x32 generator;
  const r123::Philox4x32::ctr_type counter = {{step, static_cast<std::uint32_t>(purpose), a, b}};
  const r123::Philox4x32::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  return generator(counter, key);
}

std::uint64_t join(std::uint32_t high, std::uint32_t low) {
  return (static_cast<std::uint64_t>(high) << 32) | low;
}

// The 64 bits a uniform is made of: the first two words of a draw.
std::uint64_t join_bits(const r123::Philox4x32::ctr_type& bits) { return join(bits[0], bits[1]); }

// The key's two words in each of Philox4x32-10's ten rounds (the seed's, bumped by Random123's own
// Weyl increments from philox.h between rounds), for the vector versions below.
struct RoundKeys {
  std::array<std::uint32_t, 10> first, second;
};
RoundKeys round_keys(std::uint64_t seed) {
  RoundKeys keys;
  keys.first[0] = static_cast<std::uint32_t>(seed);
  keys.second[0] = static_cast<std::uint32_t>(seed >> 32);
  for (int r = 1; r < 10; ++r) {
    keys.first[r] = keys.first[r - 1] + PHILOX_W32_0;
    keys.second[r] = keys.second[r - 1] + PHILOX_W32_1;
  }
  return keys;
}

// Philox4x32-10 on 4 * kGroups counters (AVX2), in 64-bit lanes holding one 32-bit word each:
// _mm256_mul_epu32 gives the four 32 x 32 -> 64-bit products of a round's multiplier. The counter
// words are (step, purpose, a[k], b[k]) and the key the seed, as in draw(). Groups of four counters
// side by side: their rounds are independent, so the multiplies of one overlap the other's latency.
// A lane's word is only ever read through its low 32 bits in the rounds (_mm256_mul_epu32 reads
// those alone, the high half of a product is shifted down, XOR works bit by bit), so the low halves
// of the products are kept with their high halves beside them, and the words are cut to 32 bits
// once, after the ten rounds, by the caller: two instructions a round fewer than cutting them each
// round (seventeenth round, docs/performance.md; the same bits). c[w][g]: word w of group g.
template <int kGroups>
__attribute__((target("avx2"), always_inline)) inline void philox_rounds_avx2(const RoundKeys& keys, __m256i step_words,
                                                                              __m256i purpose_words,
                                                                              const std::uint32_t* a,
                                                                              const std::uint32_t* b,
                                                                              __m256i (&c)[4][kGroups]) {
  // Random123's own multipliers (philox.h), not copies of them.
  const __m256i m0 = _mm256_set1_epi64x(PHILOX_M4x32_0), m1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
  for (int g = 0; g < kGroups; ++g) {
    c[0][g] = step_words;
    c[1][g] = purpose_words;
    c[2][g] = _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + 4 * g)));
    c[3][g] = _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 4 * g)));
  }
  for (int r = 0; r < 10; ++r) {
    const __m256i round_key0 = _mm256_set1_epi64x(keys.first[r]), round_key1 = _mm256_set1_epi64x(keys.second[r]);
    for (int g = 0; g < kGroups; ++g) {
      const __m256i p0 = _mm256_mul_epu32(c[0][g], m0), p1 = _mm256_mul_epu32(c[2][g], m1);
      const __m256i next0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c[1][g]), round_key0);
      const __m256i next2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c[3][g]), round_key1);
      c[1][g] = p1;  // its high half left in: see above
      c[3][g] = p0;
      c[0][g] = next0;
      c[2][g] = next2;
    }
  }
}

// The uniforms (AVX2), eight counters at a time. The uniform is r123::u01<double> of bits[0] << 32
// | bits[1]: the 64-bit integer is converted as hi * 2^32 + lo (both exact doubles, one rounding,
// the correctly rounded conversion the scalar code makes), times 2^-64 (exact), plus 2^-65 (one
// rounding): the same double.
__attribute__((target("avx2"))) void uniforms_avx2(std::uint64_t seed, std::uint32_t step, Purpose purpose,
                                                   const std::uint32_t* a, const std::uint32_t* b, double* out,
                                                   std::size_t count) {
  const __m256i low32 = _mm256_set1_epi64x(0xffffffffLL);
  const __m256i exponent52 = _mm256_set1_epi64x(0x4330000000000000LL);  // 2^52 as a double's bits
  const __m256d two52 = _mm256_set1_pd(4503599627370496.0), two32 = _mm256_set1_pd(4294967296.0);
  const __m256d factor = _mm256_set1_pd(0x1p-64), half_factor = _mm256_set1_pd(0x1p-65);
  const RoundKeys keys = round_keys(seed);
  const __m256i step_words = _mm256_set1_epi64x(step), purpose_words = _mm256_set1_epi64x(static_cast<std::uint32_t>(purpose));
  // 32-bit values in 64-bit lanes as doubles, exactly: 2^52 + v has v as its low mantissa bits.
#define POLICYSIM_EXACT_DOUBLE(words) _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(words, exponent52)), two52)
  constexpr int kGroups = 2;
  std::size_t k = 0;
  for (; k + 4 * kGroups <= count; k += 4 * kGroups) {
    __m256i c[4][kGroups];
    philox_rounds_avx2<kGroups>(keys, step_words, purpose_words, a + k, b + k, c);
    for (int g = 0; g < kGroups; ++g) {
      const __m256d whole = _mm256_add_pd(_mm256_mul_pd(POLICYSIM_EXACT_DOUBLE(_mm256_and_si256(c[0][g], low32)), two32),
                                          POLICYSIM_EXACT_DOUBLE(_mm256_and_si256(c[1][g], low32)));
      _mm256_storeu_pd(out + k + 4 * g, _mm256_add_pd(_mm256_mul_pd(whole, factor), half_factor));
    }
  }
#undef POLICYSIM_EXACT_DOUBLE
  for (; k < count; ++k) out[k] = r123::u01<double>(join_bits(draw(seed, step, purpose, a[k], b[k])));
}

// join() in each 64-bit lane: the high word's upper half (left by the rounds) shifted out, the low
// word's cut.
__attribute__((target("avx2"), always_inline)) inline __m256i joined_avx2(__m256i high, __m256i low) {
  return _mm256_or_si256(_mm256_slli_epi64(high, 32), _mm256_and_si256(low, _mm256_set1_epi64x(0xffffffffLL)));
}

// A normal's two 64-bit words (AVX2): bits[0] << 32 | bits[1] and bits[2] << 32 | bits[3], as
// normal() joins them. Eight counters at a time; the rest one by one.
__attribute__((target("avx2"))) void normal_words_avx2(std::uint64_t seed, std::uint32_t step, Purpose purpose,
                                                       const std::uint32_t* a, const std::uint32_t* b,
                                                       std::uint64_t* first, std::uint64_t* second, std::size_t count) {
  const RoundKeys keys = round_keys(seed);
  const __m256i step_words = _mm256_set1_epi64x(step), purpose_words = _mm256_set1_epi64x(static_cast<std::uint32_t>(purpose));
  constexpr int kGroups = 2;
  std::size_t k = 0;
  for (; k + 4 * kGroups <= count; k += 4 * kGroups) {
    __m256i c[4][kGroups];
    philox_rounds_avx2<kGroups>(keys, step_words, purpose_words, a + k, b + k, c);
    for (int g = 0; g < kGroups; ++g) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(first + k + 4 * g), joined_avx2(c[0][g], c[1][g]));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(second + k + 4 * g), joined_avx2(c[2][g], c[3][g]));
    }
  }
  for (; k < count; ++k) {
    const auto bits = draw(seed, step, purpose, a[k], b[k]);
    first[k] = join(bits[0], bits[1]);
    second[k] = join(bits[2], bits[3]);
  }
}

// GCC 12's AVX-512 intrinsics pass an undefined vector as the unused source of their masked
// builtins, which -Wmaybe-uninitialized then reports (GCC bug 105593, fixed in GCC 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Philox4x32-10 on the 8 * kGroups counters (step, purpose, a[k], b[k]) (AVX-512), the words left
// for the caller to cut to 32 bits after the rounds as in philox_rounds_avx2; a round's two XORs are
// one three-way XOR (vpternlogq).
template <int kGroups>
__attribute__((target("avx512f,avx512dq"), always_inline)) inline void philox_rounds_avx512(
    const RoundKeys& keys, __m512i step_words, __m512i purpose_words, const std::uint32_t* a, const std::uint32_t* b,
    __m512i (&c)[4][kGroups]) {
  const __m512i m0 = _mm512_set1_epi64(PHILOX_M4x32_0), m1 = _mm512_set1_epi64(PHILOX_M4x32_1);
  constexpr int kXorOfThree = 0x96;  // vpternlogq's truth table of a ^ b ^ c
  for (int g = 0; g < kGroups; ++g) {
    c[0][g] = step_words;
    c[1][g] = purpose_words;
    c[2][g] = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + 8 * g)));
    c[3][g] = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 8 * g)));
  }
  for (int r = 0; r < 10; ++r) {
    const __m512i round_key0 = _mm512_set1_epi64(keys.first[r]), round_key1 = _mm512_set1_epi64(keys.second[r]);
    for (int g = 0; g < kGroups; ++g) {
      const __m512i p0 = _mm512_mul_epu32(c[0][g], m0), p1 = _mm512_mul_epu32(c[2][g], m1);
      c[0][g] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), c[1][g], round_key0, kXorOfThree);
      c[2][g] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), c[3][g], round_key1, kXorOfThree);
      c[1][g] = p1;  // its high half left in
      c[3][g] = p0;
    }
  }
}

// join() in each 64-bit lane, as joined_avx2.
__attribute__((target("avx512f,avx512dq"), always_inline)) inline __m512i joined_avx512(__m512i high, __m512i low) {
  return _mm512_or_si512(_mm512_slli_epi64(high, 32), _mm512_and_si512(low, _mm512_set1_epi64(0xffffffffLL)));
}

// The uniforms of 8 * kGroups counters (AVX-512): the 64-bit word bits[0] << 32 | bits[1] converted
// in one instruction (vcvtuqq2pd, correctly rounded, as the scalar conversion).
template <int kGroups>
__attribute__((target("avx512f,avx512dq"), always_inline)) inline void philox_avx512(
    const RoundKeys& keys, __m512i step_words, __m512i purpose_words, const std::uint32_t* a, const std::uint32_t* b,
    double* out) {
  const __m512d factor = _mm512_set1_pd(0x1p-64), half_factor = _mm512_set1_pd(0x1p-65);
  __m512i c[4][kGroups];
  philox_rounds_avx512<kGroups>(keys, step_words, purpose_words, a, b, c);
  for (int g = 0; g < kGroups; ++g) {
    const __m512d whole = _mm512_cvtepu64_pd(joined_avx512(c[0][g], c[1][g]));
    _mm512_storeu_pd(out + 8 * g, _mm512_add_pd(_mm512_mul_pd(whole, factor), half_factor));
  }
}

// A normal's two 64-bit words (AVX-512), sixteen counters at a time; the rest through
// normal_words_avx2.
__attribute__((target("avx512f,avx512dq"))) void normal_words_avx512(std::uint64_t seed, std::uint32_t step,
                                                                      Purpose purpose, const std::uint32_t* a,
                                                                      const std::uint32_t* b, std::uint64_t* first,
                                                                      std::uint64_t* second, std::size_t count) {
  const RoundKeys keys = round_keys(seed);
  const __m512i step_words = _mm512_set1_epi64(step), purpose_words = _mm512_set1_epi64(static_cast<std::uint32_t>(purpose));
  constexpr int kGroups = 2;
  std::size_t k = 0;
  for (; k + 8 * kGroups <= count; k += 8 * kGroups) {
    __m512i c[4][kGroups];
    philox_rounds_avx512<kGroups>(keys, step_words, purpose_words, a + k, b + k, c);
    for (int g = 0; g < kGroups; ++g) {
      _mm512_storeu_si512(first + k + 8 * g, joined_avx512(c[0][g], c[1][g]));
      _mm512_storeu_si512(second + k + 8 * g, joined_avx512(c[2][g], c[3][g]));
    }
  }
  normal_words_avx2(seed, step, purpose, a + k, b + k, first + k, second + k, count - k);
}

// The same with AVX-512 (F and DQ): sixteen or thirty-two counters at a time, in groups of eight
// 64-bit lanes; a round's two XORs are one three-way XOR (vpternlogq), and the 64-bit word
// bits[0] << 32 | bits[1] is converted in one instruction (vcvtuqq2pd, correctly rounded, as the
// scalar conversion). Four groups where there are 32 counters left: with the cuts out of the rounds,
// two groups waited on the multiplies' latency (seventeenth round). The remainder (fewer than 16)
// is left to uniforms_avx2.
__attribute__((target("avx512f,avx512dq"))) void uniforms_avx512(std::uint64_t seed, std::uint32_t step,
                                                                  Purpose purpose, const std::uint32_t* a,
                                                                  const std::uint32_t* b, double* out,
                                                                  std::size_t count) {
  const RoundKeys keys = round_keys(seed);
  const __m512i step_words = _mm512_set1_epi64(step), purpose_words = _mm512_set1_epi64(static_cast<std::uint32_t>(purpose));
  std::size_t k = 0;
  for (; k + 32 <= count; k += 32) philox_avx512<4>(keys, step_words, purpose_words, a + k, b + k, out + k);
  for (; k + 16 <= count; k += 16) philox_avx512<2>(keys, step_words, purpose_words, a + k, b + k, out + k);
  uniforms_avx2(seed, step, purpose, a + k, b + k, out + k, count - k);
}
#pragma GCC diagnostic pop

RandomStreams::VectorUnit best_vector_unit() {
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return RandomStreams::VectorUnit::Avx512;
  if (__builtin_cpu_supports("avx2")) return RandomStreams::VectorUnit::Avx2;
  return RandomStreams::VectorUnit::None;
}

}  // namespace

RandomStreams::VectorUnit RandomStreams::vector_unit() {
  static const VectorUnit best = best_vector_unit();
  return best;
}

void RandomStreams::uniforms(std::uint32_t step, Purpose purpose, const std::uint32_t* a, const std::uint32_t* b,
                             double* out, std::size_t count) const {
  uniforms_with(vector_unit(), step, purpose, a, b, out, count);
}

void RandomStreams::uniforms_with(VectorUnit unit, std::uint32_t step, Purpose purpose, const std::uint32_t* a,
                                  const std::uint32_t* b, double* out, std::size_t count) const {
  if (unit > vector_unit()) unit = vector_unit();  // never an instruction the processor lacks
  switch (unit) {
    case VectorUnit::Avx512: uniforms_avx512(seed_, step, purpose, a, b, out, count); break;
    case VectorUnit::Avx2: uniforms_avx2(seed_, step, purpose, a, b, out, count); break;
    case VectorUnit::None:
      for (std::size_t k = 0; k < count; ++k) out[k] = uniform(step, purpose, a[k], b[k]);
      break;
  }
}

void RandomStreams::normals(std::uint32_t step, Purpose purpose, const std::uint32_t* a, const std::uint32_t* b,
                            double* out, std::size_t count) const {
  normals_with(vector_unit(), step, purpose, a, b, out, count);
}

void RandomStreams::normals_with(VectorUnit unit, std::uint32_t step, Purpose purpose, const std::uint32_t* a,
                                 const std::uint32_t* b, double* out, std::size_t count) const {
  if (unit > vector_unit()) unit = vector_unit();  // never an instruction the processor lacks
  if (unit == VectorUnit::None) {
    for (std::size_t k = 0; k < count; ++k) out[k] = normal(step, purpose, a[k], b[k]);
    return;
  }
  // The words in pieces that stay in the first-level cache, then Box-Muller on each pair as
  // normal() does (the same function of the same words).
  constexpr std::size_t kPiece = 256;
  std::array<std::uint64_t, kPiece> first, second;
  for (std::size_t start = 0; start < count; start += kPiece) {
    const std::size_t length = std::min(kPiece, count - start);
    if (unit == VectorUnit::Avx512)
      normal_words_avx512(seed_, step, purpose, a + start, b + start, first.data(), second.data(), length);
    else
      normal_words_avx2(seed_, step, purpose, a + start, b + start, first.data(), second.data(), length);
    for (std::size_t k = 0; k < length; ++k) out[start + k] = r123::boxmuller(first[k], second[k]).x;
  }
}

RandomStreams RandomStreams::for_run(const Scenario& scenario) { return RandomStreams(scenario.simulation.seed); }

double RandomStreams::normal(std::uint32_t step, Purpose purpose, std::uint32_t a, std::uint32_t b) const {
  const auto bits = draw(seed_, step, purpose, a, b);
  return r123::boxmuller(join(bits[0], bits[1]), join(bits[2], bits[3])).x;
}

double RandomStreams::uniform(std::uint32_t step, Purpose purpose, std::uint32_t a, std::uint32_t b) const {
  const auto bits = draw(seed_, step, purpose, a, b);
  return r123::u01<double>(join_bits(bits));
}

}  // namespace policysim
