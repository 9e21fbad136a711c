// The B2B tie-formation benchmark (../shared/bench/DECLARATION.md) as a plain hand-written kernel:
// the regression guard of bench/tie_formation.sh. No policysim code: its own Philox4x32-10 (the
// published algorithm, Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"), keyed
// exactly as policysim keys its streams (counter = {step, purpose, population, member << 6 | k},
// key = the seed), the same uniform mapping (Random123's u01<double>), the same utilities summed in
// the scenario file's order and the same tie rules. So it forms the very same ties as
// `policysim run bench/tie_formation_<size>.toml`, bit for bit (tests/bench checks the edge list of
// the small case), and its time is what the work costs without any machinery around it.
//   tie_formation_kernel N [--steps 100] [--seed 1] [--edges FILE]
// prints: firms, steps, final ties, mean weight (%.17g), wall and CPU seconds, tie updates (existing
// ties updated, summed over the steps) per CPU second, the bytes it streams per CPU second (40 a
// tie-step); `tie_formation_kernel --bandwidth` prints one core's memcpy bandwidth (read + write) to
// set it against.
#include <algorithm>
#include <bit>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <immintrin.h>
#include <sys/mman.h>

namespace {

// Large arrays in 2 MiB pages (transparent huge pages, advised before their first touch), as
// policysim asks for its own (sim/model/huge_pages.hpp): the random reads of rows, innovations
// and runs then walk no page tables. Only the whole 2 MiB pages inside a block of 2 MiB or more.
template <typename T>
struct HugePages : std::allocator<T> {
  using value_type = T;
  template <typename U> struct rebind { using other = HugePages<U>; };
  HugePages() = default;
  template <typename U> HugePages(const HugePages<U>&) noexcept {}
  T* allocate(std::size_t n) {
    T* const block = std::allocator<T>::allocate(n);
    constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
    const auto start = reinterpret_cast<std::uintptr_t>(block);
    const std::uintptr_t first = (start + kHuge - 1) / kHuge * kHuge, last = (start + n * sizeof(T)) / kHuge * kHuge;
    if (n * sizeof(T) >= kHuge && first < last) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
    return block;
  }
};
template <typename T, typename U> bool operator==(const HugePages<T>&, const HugePages<U>&) { return true; }
template <typename T> using Array = std::vector<T, HugePages<T>>;

// Philox4x32-10: 10 rounds, the key bumped by the Weyl constants between rounds.
struct Bits { std::uint32_t v[4]; };
Bits philox(std::uint32_t c0, std::uint32_t c1, std::uint32_t c2, std::uint32_t c3, std::uint64_t seed) {
  std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
    const std::uint64_t p0 = static_cast<std::uint64_t>(0xD2511F53u) * c0;
    const std::uint64_t p1 = static_cast<std::uint64_t>(0xCD9E8D57u) * c2;
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    c0 = hi1 ^ c1 ^ k0; c1 = lo1; c2 = hi0 ^ c3 ^ k1; c3 = lo0;
  }
  return {{c0, c1, c2, c3}};
}

// Uniform in (0, 1]: the first 64 bits * 2^-64 + 2^-65 (Random123's u01<double>).
double uniform(std::uint64_t seed, std::uint32_t step, std::uint32_t purpose, std::uint32_t a, std::uint32_t b) {
  const Bits bits = philox(step, purpose, a, b, seed);
  const std::uint64_t word = (static_cast<std::uint64_t>(bits.v[0]) << 32) | bits.v[1];
  constexpr double factor = 1.0 / 18446744073709551616.0, half = 0.5 * factor;
  return static_cast<double>(word) * factor + half;
}

// The same uniforms for counters {step, purpose, population, last[k]}, k < count, eight at a time
// with AVX2 (the 32 x 32 -> 64-bit products of four lanes per _mm256_mul_epu32; the 64-bit word
// turned into a double as hi * 2^32 + lo, which rounds once, as the scalar conversion does). The
// rounds read a lane's low 32 bits only (the multiply reads no more, XOR is bitwise), so the words
// are cut to 32 bits once, after the ten rounds, as policysim does since its seventeenth round.
__attribute__((target("avx2"))) void uniforms_avx2(std::uint64_t seed, std::uint32_t step, std::uint32_t purpose,
                                                   std::uint32_t population, const std::uint32_t* last, double* out,
                                                   std::size_t count) {
  const __m256i m0 = _mm256_set1_epi64x(0xD2511F53u), m1 = _mm256_set1_epi64x(0xCD9E8D57u);
  const __m256i low32 = _mm256_set1_epi64x(0xffffffffLL), exponent52 = _mm256_set1_epi64x(0x4330000000000000LL);
  const __m256d two52 = _mm256_set1_pd(4503599627370496.0), two32 = _mm256_set1_pd(4294967296.0);
  // 32-bit values in 64-bit lanes as doubles, exactly: 2^52 + v, less 2^52 (a macro: a lambda would
  // not be compiled for AVX2).
#define KERNEL_EXACT(words) _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(words, exponent52)), two52)
  std::size_t k = 0;
  for (; k + 8 <= count; k += 8) {
    __m256i c0[2], c1[2], c2[2], c3[2];
    for (int g = 0; g < 2; ++g) {  // two groups of four: one's multiplies overlap the other's latency
      c0[g] = _mm256_set1_epi64x(step);
      c1[g] = _mm256_set1_epi64x(purpose);
      c2[g] = _mm256_set1_epi64x(population);
      c3[g] = _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(last + k + 4 * g)));
    }
    std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
      if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
      const __m256i key0 = _mm256_set1_epi64x(k0), key1 = _mm256_set1_epi64x(k1);
      for (int g = 0; g < 2; ++g) {
        const __m256i p0 = _mm256_mul_epu32(c0[g], m0), p1 = _mm256_mul_epu32(c2[g], m1);
        c0[g] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c1[g]), key0);
        c2[g] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c3[g]), key1);
        c1[g] = p1;  // the high half left in: cut once, after the rounds (below)
        c3[g] = p0;
      }
    }
    for (int g = 0; g < 2; ++g) {
      const __m256d word = _mm256_add_pd(_mm256_mul_pd(KERNEL_EXACT(_mm256_and_si256(c0[g], low32)), two32),
                                         KERNEL_EXACT(_mm256_and_si256(c1[g], low32)));
      _mm256_storeu_pd(out + k + 4 * g, _mm256_add_pd(_mm256_mul_pd(word, _mm256_set1_pd(0x1p-64)), _mm256_set1_pd(0x1p-65)));
    }
  }
#undef KERNEL_EXACT
  for (; k < count; ++k) out[k] = uniform(seed, step, purpose, population, last[k]);
}

// The same with AVX-512 (F, DQ), in groups of eight 64-bit lanes, four groups at a time (two where
// fewer than 32 are left; with the cuts out of the rounds, two groups waited on the multiplies):
// the two XORs of a round in one vpternlogq, the 64-bit word converted in one vcvtuqq2pd
// (correctly rounded, as the scalar conversion); the rest (fewer than 16) to uniforms_avx2. (GCC 12
// reports its own AVX-512 intrinsics as maybe uninitialized, its bug 105593.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
template <int groups>
__attribute__((target("avx512f,avx512dq"), always_inline)) inline void philox_avx512(
    std::uint64_t seed, std::uint32_t step, std::uint32_t purpose, std::uint32_t population, const std::uint32_t* last,
    double* out) {
  const __m512i m0 = _mm512_set1_epi64(0xD2511F53u), m1 = _mm512_set1_epi64(0xCD9E8D57u);
  __m512i c0[groups], c1[groups], c2[groups], c3[groups];
  for (int g = 0; g < groups; ++g) {
    c0[g] = _mm512_set1_epi64(step);
    c1[g] = _mm512_set1_epi64(purpose);
    c2[g] = _mm512_set1_epi64(population);
    c3[g] = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(last + 8 * g)));
  }
  std::uint32_t k0 = static_cast<std::uint32_t>(seed), k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
    const __m512i key0 = _mm512_set1_epi64(k0), key1 = _mm512_set1_epi64(k1);
    for (int g = 0; g < groups; ++g) {
      const __m512i p0 = _mm512_mul_epu32(c0[g], m0), p1 = _mm512_mul_epu32(c2[g], m1);
      c0[g] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), c1[g], key0, 0x96);  // a ^ b ^ c
      c2[g] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), c3[g], key1, 0x96);
      c1[g] = p1;
      c3[g] = p0;
    }
  }
  for (int g = 0; g < groups; ++g) {
    const __m512i low = _mm512_and_si512(c1[g], _mm512_set1_epi64(0xffffffffLL));
    const __m512d word = _mm512_cvtepu64_pd(_mm512_or_si512(_mm512_slli_epi64(c0[g], 32), low));
    _mm512_storeu_pd(out + 8 * g, _mm512_add_pd(_mm512_mul_pd(word, _mm512_set1_pd(0x1p-64)), _mm512_set1_pd(0x1p-65)));
  }
}
__attribute__((target("avx512f,avx512dq"))) void uniforms_avx512(std::uint64_t seed, std::uint32_t step,
                                                                  std::uint32_t purpose, std::uint32_t population,
                                                                  const std::uint32_t* last, double* out,
                                                                  std::size_t count) {
  std::size_t k = 0;
  for (; k + 32 <= count; k += 32) philox_avx512<4>(seed, step, purpose, population, last + k, out + k);
  for (; k + 16 <= count; k += 16) philox_avx512<2>(seed, step, purpose, population, last + k, out + k);
  uniforms_avx2(seed, step, purpose, population, last + k, out + k, count - k);
}
#pragma GCC diagnostic pop

void uniforms(std::uint64_t seed, std::uint32_t step, std::uint32_t purpose, std::uint32_t population,
              const std::uint32_t* last, double* out, std::size_t count) {
  static const int unit = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") ? 2
                          : __builtin_cpu_supports("avx2")                                          ? 1
                                                                                                    : 0;
  if (unit == 2) uniforms_avx512(seed, step, purpose, population, last, out, count);
  else if (unit == 1) uniforms_avx2(seed, step, purpose, population, last, out, count);
  else for (std::size_t k = 0; k < count; ++k) out[k] = uniform(seed, step, purpose, population, last[k]);
}

// e^x within a relative 2^-42 for |x| <= 700 (x = n ln 2 + r, |r| <= ln 2 / 2, 2^n in the exponent
// bits, e^r by its Taylor polynomial of degree 11), and draw * (1 + e^-U) for a batch, vector code
// for AVX-512, AVX2 or the baseline: the formation's cheap test values.
inline double cheap_exp(double x) {
  const double shifted = x * 1.4426950408889634 + 0x1.8p52;
  const double n = shifted - 0x1.8p52;
  const double r = x - n * 0.6931471805599453;
  double sum = 1.0 / 39916800.0;
  sum = sum * r + 1.0 / 3628800.0; sum = sum * r + 1.0 / 362880.0; sum = sum * r + 1.0 / 40320.0;
  sum = sum * r + 1.0 / 5040.0; sum = sum * r + 1.0 / 720.0; sum = sum * r + 1.0 / 120.0;
  sum = sum * r + 1.0 / 24.0; sum = sum * r + 1.0 / 6.0; sum = sum * r + 0.5; sum = sum * r + 1.0;
  sum = sum * r + 1.0;
  const auto exponent = std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(0x1.8p52);
  return sum * std::bit_cast<double>(static_cast<std::uint64_t>(exponent + 1023) << 52);
}
__attribute__((target_clones("avx512f", "avx2", "default"))) void test_values(const double* utility, const double* draw,
                                                                              std::size_t count, double* out) {
  for (std::size_t d = 0; d < count; ++d) out[d] = draw[d] * (1.0 + cheap_exp(-utility[d]));
}

// The sure decisions of whole groups of eight (below: inside the domain |U| <= 700 and the test
// value below 1 - 2^-30 is surely accepted; outside it, or the test value within 2^-30 of 1, unsure),
// with AVX-512: how many were decided, how many accepted (their indices packed into `accepted` by a
// compress-store), and whether any was unsure. Ordered comparisons, false for NaN, as the scalar rule.
struct SureDecisions { std::size_t decided = 0, kept = 0; bool any_unsure = false; };
__attribute__((target("avx512f"))) SureDecisions sure_decisions_avx512(const double* utility, const double* test,
                                                                     std::size_t count, std::uint32_t* accepted) {
  const __m512d domain = _mm512_set1_pd(700.0), below = _mm512_set1_pd(1.0 - 0x1p-30), above = _mm512_set1_pd(1.0 + 0x1p-30);
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
    index = _mm512_add_epi32(index, _mm512_set1_epi32(8));
  }
  sure.any_unsure = unsure != 0;
  return sure;
}
SureDecisions sure_decisions(const double* utility, const double* test, std::size_t count, std::uint32_t* accepted) {
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  return avx512 ? sure_decisions_avx512(utility, test, count, accepted) : SureDecisions{};
}

// What formation reads about a candidate, packed in one 32-byte row (one cache miss per random
// candidate instead of four), ln(1 + degree) computed once per firm per step.
struct alignas(32) Row { double x, r, log_degree; std::uint32_t country; };

// U of each pair (first[d], second[d]), summed in the scenario file's order: density,
// complementarity, cultural distance, same country, preferential attachment. Vector code for
// AVX-512, AVX2 or the baseline (as policysim's since its fifteenth round); fp-contract=off: each
// lane does the scalar operations, no multiply and add fused into one rounding, the same doubles.
__attribute__((target_clones("avx512f", "avx2", "default"), optimize("fp-contract=off")))
void utilities(const Row* __restrict rows, const std::uint32_t* __restrict first,
               const std::uint32_t* __restrict second, std::size_t count, double* __restrict out) {
#pragma GCC ivdep
  for (std::size_t d = 0; d < count; ++d) {
    const Row &ri = rows[first[d]], &rj = rows[second[d]];
    double u = 0.0;
    u += -5.0 * 1.0;
    u += 2.0 * (ri.x * (1.0 - rj.x) + rj.x * (1.0 - ri.x));
    u += -1.5 * std::abs(ri.r - rj.r);
    u += 1.0 * (ri.country == rj.country ? 1.0 : 0.0);
    u += 0.5 * rj.log_degree;
    out[d] = u;
  }
}

// Purposes (stream numbers) of policysim's random streams.
constexpr std::uint32_t kAttributes = 100, kCandidate = 101, kFormation = 102;

std::uint32_t fnv1a(const char* text) {  // the stable id of a population: FNV-1a of "firms:<name>"
  std::uint32_t hash = 2166136261u;
  for (; *text != 0; ++text) { hash ^= static_cast<unsigned char>(*text); hash *= 16777619u; }
  return hash;
}

}  // namespace

// One core's memcpy bandwidth (bytes read + written per second, best of 3 copies of 256 MiB).
double copy_bandwidth() {
  std::vector<char> from(std::size_t{256} << 20, 1), to(from.size(), 0);
  double best = 0.0;
  for (int round = 0; round < 3; ++round) {
    const auto t0 = std::chrono::steady_clock::now();
    std::memcpy(to.data(), from.data(), from.size());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, 2.0 * static_cast<double>(from.size()) / s);
  }
  return to[12345] == 1 ? best : 0.0;
}

int main(int argc, char** argv) {
  if (argc == 2 && !std::strcmp(argv[1], "--bandwidth")) { std::printf("copy_GB_per_second %.2f\n", copy_bandwidth() / 1e9); return 0; }
  if (argc < 2) { std::fprintf(stderr, "usage: tie_formation_kernel N [--steps S] [--seed S] [--edges FILE] | --bandwidth\n"); return 2; }
  const auto n = static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10));
  std::uint32_t steps = 100;
  std::uint64_t seed = 1;
  const char* edges_file = nullptr;
  for (int a = 2; a + 1 < argc; a += 2) {
    if (!std::strcmp(argv[a], "--steps")) steps = static_cast<std::uint32_t>(std::strtoul(argv[a + 1], nullptr, 10));
    else if (!std::strcmp(argv[a], "--seed")) seed = std::strtoull(argv[a + 1], nullptr, 10);
    else if (!std::strcmp(argv[a], "--edges")) edges_file = argv[a + 1];
  }
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const std::uint32_t population = fnv1a("firms:firms");
  constexpr std::uint32_t K = 5;
  const double adjustment = 0.05, threshold = 0.2, initial = 0.5;
  // Firm attributes: step 0 of the attribute stream, last word member * 4 + slot (1 innovation, 2 risk).
  Array<double> x(n), r(n);
  Array<std::uint32_t> country(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    x[i] = std::clamp(0.0 + (1.0 - 0.0) * uniform(seed, 0, kAttributes, population, i * 4 + 1), 0.0, 1.0);
    r[i] = std::clamp(0.0 + (1.0 - 0.0) * uniform(seed, 0, kAttributes, population, i * 4 + 2), 0.0, 1.0);
    country[i] = i % 10;
  }
  const auto comp = [&](std::uint32_t i, std::uint32_t j) { return x[i] * (1.0 - x[j]) + x[j] * (1.0 - x[i]); };
  Array<Row> rows(n);
  // Ties: sorted (a < b) edge list packed as a << 32 | b, weights beside it. The model reads a
  // firm's degree and whether two firms are tied, never a whole partner list: each firm's degree is
  // kept, updated from the step's changes (a few per cent of the ties), and whether a proposed pair
  // is tied already is found by the update's merge (as policysim does since its twenty-sixth
  // round, docs/performance.md; before, a binary search in the lower firm's run of the list, whose
  // starts were kept too, and before the fifteenth round a CSR of both ends).
  // The list lies at the back of its buffers, [list_start, list_start + list_count), with room in
  // front: a step writes its new list from P places before the old one's start (P new ties), so
  // that the writes never pass the reads and one pass updates, prunes and merges in place (below).
  Array<std::uint64_t> key_buffer, proposals;
  Array<double> weight_buffer;
  std::size_t list_start = 0, list_count = 0;
  const std::uint64_t* key = nullptr;  // the list's first key and weight
  const double* weight = nullptr;
  Array<std::uint32_t> degree(n, 0);
  std::vector<std::uint64_t> already_ties;  // a step's proposals that were old ties: they form nothing
  std::uint64_t tie_updates = 0;
  // ln(1 + degree) from a table for the common degrees (policysim does the same): the same doubles,
  // filled at run time by glibc's log1p (through a volatile: GCC would fold constants, correctly
  // rounded, one ulp away from glibc for log1p(2)).
  std::vector<double> log1p_table(4096);
  for (std::size_t d = 0; d < log1p_table.size(); ++d) {
    volatile double argument = static_cast<double>(d);
    log1p_table[d] = std::log1p(argument);
  }
  const auto log1p_of_degree = [&](std::uint64_t d) {
    return d < log1p_table.size() ? log1p_table[d] : std::log1p(static_cast<double>(d));
  };
  for (std::uint32_t step = 0; step < steps; ++step) {
    for (std::uint32_t f = 0; f < n; ++f)
      rows[f] = {x[f], r[f], log1p_of_degree(degree[f]), country[f]};
    // 1. Formation. U summed in the scenario file's order: density, complementarity, cultural
    // distance, same country, preferential attachment.
    // Firms in batches: the candidates of a batch are drawn first (eight at a time) and their rows
    // prefetched, so the cache misses of random candidates overlap instead of stalling one after the
    // other; then the formation draws of the batch's candidates, together.
    proposals.clear();
    // Already linked? Not asked here: a pair whose draw succeeds is proposed, and the update's merge
    // below, which compares each old tie with the next proposal anyway, drops a proposal equal to an
    // old tie (as policysim's one-thread update does since its twenty-sixth round; before, a binary
    // search of the lower firm's run for each success, its misses overlapped two batches ahead).
    constexpr std::uint32_t kBatch = 32;
    std::uint32_t picked[kBatch * K], last_word[kBatch * K], pair_i[kBatch * K], pair_j[kBatch * K];
    double draws[kBatch * K], probability[kBatch * K], test[kBatch * K];  // probability: the utility U
    std::uint32_t success[kBatch * K];
    for (std::uint32_t first = 0; first < n; first += kBatch) {
      const std::uint32_t last = std::min(n, first + kBatch);
      const std::size_t picks = std::size_t{last - first} * K;  // the batch's candidate draws, together
      for (std::uint32_t i = first; i < last; ++i)
        for (std::uint32_t k = 0; k < K; ++k) last_word[(i - first) * K + k] = (i << 6) | k;
      uniforms(seed, step, kCandidate, population, last_word, draws, picks);
      for (std::size_t d = 0; d < picks; ++d) {
        const std::uint32_t i = first + static_cast<std::uint32_t>(d / K);
        // floor(u (n - 1)), at most n - 2: a non-negative double's truncation is its floor.
        auto j = std::min<std::uint32_t>(n - 2, static_cast<std::uint32_t>(draws[d] * (n - 1)));
        if (j >= i) ++j;
        picked[d] = j;
        __builtin_prefetch(&rows[j], 0, 1);  // into L2: a batch's rows at once (policysim's prefetch_row)
      }
      std::size_t tried = 0;  // the candidates: their probabilities, then their draws together
      for (std::uint32_t i = first; i < last; ++i)
        for (std::uint32_t k = 0; k < K; ++k) {
          pair_i[tried] = i;
          pair_j[tried] = picked[(i - first) * K + k];
          last_word[tried++] = (i << 6) | k;
        }
      utilities(rows.data(), pair_i, pair_j, tried, probability);  // U: the decision below, for the batch
      // draw <= 1 / (1 + exp(-U)), settled without the library's exp where the cheap test value
      // draw * (1 + e^-U) is clear of 1 by 2^-30 (as policysim does, sim/dynamics/firms/logistic_draws.cpp,
      // where the margin is justified), the library's exp and the division for the rest.
      uniforms(seed, step, kFormation, population, last_word, draws, tried);
      test_values(probability, draws, tried, test);
      // Surely accepted: U inside the cheap exp's domain and the test value below 1 by the margin;
      // unsure: outside the domain (or NaN) or within the margin, decided by the library's exp.
      const auto inside = [&](std::size_t d) { return std::abs(probability[d]) <= 700.0; };
      const auto surely_accepted = [&](std::size_t d) { return inside(d) & (test[d] < 1.0 - 0x1p-30); };
      const auto unsure = [&](std::size_t d) {
        return (!inside(d)) | ((test[d] >= 1.0 - 0x1p-30) & (test[d] <= 1.0 + 0x1p-30));
      };
      // Without a branch on the data; eight at a time with AVX-512 (the accepted indices packed by a
      // compress-store, as policysim does since its seventeenth round), the rest one by one.
      const SureDecisions sure = sure_decisions(probability, test, tried, success);
      std::size_t successes = sure.kept;
      bool any_unsure = sure.any_unsure;
      for (std::size_t d = sure.decided; d < tried; ++d) {
        any_unsure |= unsure(d);
        success[successes] = static_cast<std::uint32_t>(d);
        successes += surely_accepted(d);
      }
      if (any_unsure) {
        successes = 0;
        for (std::size_t d = 0; d < tried; ++d)
          if (surely_accepted(d) || (unsure(d) && draws[d] <= 1.0 / (1.0 + std::exp(-probability[d]))))
            success[successes++] = static_cast<std::uint32_t>(d);
      }
      for (std::size_t s = 0; s < successes; ++s) {
        const std::uint32_t d = success[s];
        proposals.push_back((static_cast<std::uint64_t>(std::min(pair_i[d], pair_j[d])) << 32) | std::max(pair_i[d], pair_j[d]));
      }
    }
    std::sort(proposals.begin(), proposals.end());
    proposals.erase(std::unique(proposals.begin(), proposals.end()), proposals.end());
    // 2. + 3. Update and prune the old ties, merged with the new ones in key order, in one pass over
    // the list where it lies: the new list starts P places (the new ties) before the old one, so a
    // write is at least as many places behind the reads as new ties are left to write, and never
    // lands on a tie not yet read; a proposal equal to an old tie is dropped (listed in
    // already_ties). Each change counted at its two ends' degrees. (Out of place, into a second
    // list, the update took 1.5 times as long: every line written was first read from memory;
    // policysim's two passes in place, docs/performance.md, nineteenth round.)
    tie_updates += list_count;
    const auto count_change = [&](std::uint64_t t, int sign) {
      const auto a = static_cast<std::uint32_t>(t >> 32), b = static_cast<std::uint32_t>(t);
      degree[a] += static_cast<std::uint32_t>(sign);
      degree[b] += static_cast<std::uint32_t>(sign);
    };
    const std::size_t new_ties = proposals.size();
    if (list_start < new_ties) {  // no room in front: the list to the back of buffers with room to double
      const std::size_t capacity = std::max(key_buffer.size(), 2 * (list_count + new_ties));
      if (capacity > key_buffer.size()) {
        Array<std::uint64_t> grown_keys(capacity);
        Array<double> grown_weights(capacity);
        std::copy_n(key_buffer.data() + list_start, list_count, grown_keys.data() + capacity - list_count);
        std::copy_n(weight_buffer.data() + list_start, list_count, grown_weights.data() + capacity - list_count);
        key_buffer.swap(grown_keys);
        weight_buffer.swap(grown_weights);
      } else {
        std::memmove(key_buffer.data() + capacity - list_count, key_buffer.data() + list_start, list_count * sizeof(std::uint64_t));
        std::memmove(weight_buffer.data() + capacity - list_count, weight_buffer.data() + list_start, list_count * sizeof(double));
      }
      list_start = capacity - list_count;
    }
    std::uint64_t* const keys = key_buffer.data();
    double* const weights = weight_buffer.data();
    const std::size_t end = list_start + list_count, first_out = list_start - new_ties;
    std::size_t out = first_out, p = 0;
    already_ties.clear();
    constexpr std::size_t kAhead = 64;  // x[b], a random read, fetched ties ahead (policysim's update)
    for (std::size_t e = list_start; e < end; ++e) {
      const std::uint64_t t = keys[e];
      for (; p < new_ties && proposals[p] < t; ++p) { keys[out] = proposals[p]; weights[out++] = initial; }
      if (p < new_ties && proposals[p] == t) already_ties.push_back(proposals[p++]);
      if (e + kAhead < end) __builtin_prefetch(&x[static_cast<std::uint32_t>(keys[e + kAhead])]);
      const double w = (1.0 - adjustment) * weights[e] +
                       adjustment * comp(static_cast<std::uint32_t>(t >> 32), static_cast<std::uint32_t>(t));
      keys[out] = t;  // written always, kept when it survives: no branch on the data
      weights[out] = w;
      if (w >= threshold) ++out;
      else count_change(t, -1);
    }
    for (; p < new_ties; ++p) { keys[out] = proposals[p]; weights[out++] = initial; }
    for (std::size_t q = 0, d = 0; q < new_ties; ++q) {  // the proposals that joined
      if (d < already_ties.size() && already_ties[d] == proposals[q]) { ++d; continue; }
      count_change(proposals[q], +1);
    }
    list_start = first_out;
    list_count = out - first_out;
    key = keys + list_start;
    weight = weights + list_start;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time as well: on a shared machine the wall time also counts other people's work.
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  double sum = 0.0;
  for (std::size_t e = 0; e < list_count; ++e) sum += weight[e];
  // How close to memory bandwidth: a tie-step streams about 32 bytes (update and merge: key and
  // weight read and written; 40 with the runs searched by formation before policysim's twenty-sixth
  // round, 64 with the CSR of both ends before its fifteenth), to set against what one core copies
  // (`--bandwidth`).
  const double streamed = 32.0 * static_cast<double>(tie_updates) / cpu_seconds;
  std::printf("firms %u steps %u ties %zu mean_weight %.17g seconds %.3f cpu_seconds %.3f "
              "tie_updates_per_cpu_second %.3g streamed_GB_per_cpu_second %.2f\n",
              n, steps, list_count, list_count == 0 ? 0.0 : sum / static_cast<double>(list_count), seconds, cpu_seconds,
              static_cast<double>(tie_updates) / cpu_seconds, streamed / 1e9);
  if (edges_file != nullptr) {  // text, one tie a line: a b weight (%.17g)
    std::FILE* out = std::fopen(edges_file, "w");
    if (out == nullptr) { std::perror(edges_file); return 1; }
    for (std::size_t e = 0; e < list_count; ++e)
      std::fprintf(out, "%u %u %.17g\n", static_cast<std::uint32_t>(key[e] >> 32), static_cast<std::uint32_t>(key[e]), weight[e]);
    std::fclose(out);
  }
  return 0;
}
