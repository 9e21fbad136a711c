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
// ties updated, summed over the steps) per CPU second, the bytes it streams per CPU second (64 a
// tie-step); `tie_formation_kernel --bandwidth` prints one core's memcpy bandwidth (read + write) to
// set it against.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

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
  std::vector<double> x(n), r(n);
  std::vector<std::uint32_t> country(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    x[i] = std::clamp(0.0 + (1.0 - 0.0) * uniform(seed, 0, kAttributes, population, i * 4 + 1), 0.0, 1.0);
    r[i] = std::clamp(0.0 + (1.0 - 0.0) * uniform(seed, 0, kAttributes, population, i * 4 + 2), 0.0, 1.0);
    country[i] = i % 10;
  }
  const auto comp = [&](std::uint32_t i, std::uint32_t j) { return x[i] * (1.0 - x[j]) + x[j] * (1.0 - x[i]); };
  // What formation reads about a candidate, packed in one 32-byte row (one cache miss per random
  // candidate instead of four), ln(1 + degree) computed once per firm per step.
  struct alignas(32) Row { double x, r, log_degree; std::uint32_t country; };
  std::vector<Row> rows(n);
  // Ties: sorted (a < b) edge list packed as a << 32 | b, weights beside it; CSR of neighbours.
  std::vector<std::uint64_t> key, next_key, proposals;
  std::vector<double> weight, next_weight;
  std::vector<std::uint64_t> offsets(n + 1, 0), cursor(n);
  std::vector<std::uint32_t> neighbours;
  std::uint64_t tie_updates = 0;
  for (std::uint32_t step = 0; step < steps; ++step) {
    // CSR of the ties at the start of the step; lists come out sorted from the sorted edge list.
    std::fill(offsets.begin(), offsets.end(), 0);
    for (std::uint64_t t : key) { ++offsets[(t >> 32) + 1]; ++offsets[(t & 0xffffffffu) + 1]; }
    for (std::uint32_t f = 0; f < n; ++f) offsets[f + 1] += offsets[f];
    neighbours.resize(offsets[n]);
    std::copy(offsets.begin(), offsets.end() - 1, cursor.begin());
    for (std::uint64_t t : key) {
      const auto a = static_cast<std::uint32_t>(t >> 32), b = static_cast<std::uint32_t>(t);
      neighbours[cursor[a]++] = b;
      neighbours[cursor[b]++] = a;
    }
    for (std::uint32_t f = 0; f < n; ++f)
      rows[f] = {x[f], r[f], std::log1p(static_cast<double>(offsets[f + 1] - offsets[f])), country[f]};
    // 1. Formation. U summed in the scenario file's order: density, complementarity, cultural
    // distance, same country, preferential attachment.
    // Firms in batches: the candidates of a batch are drawn first and their rows prefetched, so the
    // cache misses of random candidates overlap instead of stalling one after the other.
    proposals.clear();
    constexpr std::uint32_t kBatch = 32;
    std::uint32_t picked[kBatch * K];
    for (std::uint32_t first = 0; first < n; first += kBatch) {
      const std::uint32_t last = std::min(n, first + kBatch);
      for (std::uint32_t i = first; i < last; ++i)
        for (std::uint32_t k = 0; k < K; ++k) {
          const double pick = uniform(seed, step, kCandidate, population, (i << 6) | k);
          auto j = static_cast<std::uint32_t>(std::min<double>(n - 2, std::floor(pick * (n - 1))));
          if (j >= i) ++j;
          picked[(i - first) * K + k] = j;
          __builtin_prefetch(&rows[j]);
        }
      for (std::uint32_t i = first; i < last; ++i)
        for (std::uint32_t k = 0; k < K; ++k) {
          const std::uint32_t j = picked[(i - first) * K + k];
          // Already linked? A binary search of i's list without a branch on the data (conditional moves).
          const std::uint32_t* list = neighbours.data() + offsets[i];
          std::size_t length = offsets[i + 1] - offsets[i];
          while (length > 1) {
            list = list[length / 2] <= j ? list + length / 2 : list;
            length -= length / 2;
          }
          if (offsets[i + 1] != offsets[i] && *list == j) continue;
          const Row &ri = rows[i], &rj = rows[j];
          double u = 0.0;
          u += -5.0 * 1.0;
          u += 2.0 * (ri.x * (1.0 - rj.x) + rj.x * (1.0 - ri.x));
          u += -1.5 * std::abs(ri.r - rj.r);
          u += 1.0 * (ri.country == rj.country ? 1.0 : 0.0);
          u += 0.5 * rj.log_degree;
          if (uniform(seed, step, kFormation, population, (i << 6) | k) <= 1.0 / (1.0 + std::exp(-u)))
            proposals.push_back((static_cast<std::uint64_t>(std::min(i, j)) << 32) | std::max(i, j));
        }
    }
    std::sort(proposals.begin(), proposals.end());
    proposals.erase(std::unique(proposals.begin(), proposals.end()), proposals.end());
    // 2. + 3. Update and prune the old ties, merged with the new ones in key order.
    next_key.clear();
    next_weight.clear();
    tie_updates += key.size();
    std::size_t p = 0;
    for (std::size_t e = 0; e < key.size(); ++e) {
      for (; p < proposals.size() && proposals[p] < key[e]; ++p) { next_key.push_back(proposals[p]); next_weight.push_back(initial); }
      const double w = (1.0 - adjustment) * weight[e] +
                       adjustment * comp(static_cast<std::uint32_t>(key[e] >> 32), static_cast<std::uint32_t>(key[e]));
      if (w >= threshold) { next_key.push_back(key[e]); next_weight.push_back(w); }
    }
    for (; p < proposals.size(); ++p) { next_key.push_back(proposals[p]); next_weight.push_back(initial); }
    key.swap(next_key);
    weight.swap(next_weight);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time as well: on a shared machine the wall time also counts other people's work.
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  double sum = 0.0;
  for (double w : weight) sum += w;
  // How close to memory bandwidth: a tie-step streams about 64 bytes (CSR build: the key read twice and
  // two neighbour ids written, 24; formation: the lists searched, about 8; update and merge: key and
  // weight read and written, 32), to set against what one core copies (`--bandwidth`).
  const double streamed = 64.0 * static_cast<double>(tie_updates) / cpu_seconds;
  std::printf("firms %u steps %u ties %zu mean_weight %.17g seconds %.3f cpu_seconds %.3f "
              "tie_updates_per_cpu_second %.3g streamed_GB_per_cpu_second %.2f\n",
              n, steps, key.size(), key.empty() ? 0.0 : sum / static_cast<double>(key.size()), seconds, cpu_seconds,
              static_cast<double>(tie_updates) / cpu_seconds, streamed / 1e9);
  if (edges_file != nullptr) {  // text, one tie a line: a b weight (%.17g)
    std::FILE* out = std::fopen(edges_file, "w");
    if (out == nullptr) { std::perror(edges_file); return 1; }
    for (std::size_t e = 0; e < key.size(); ++e)
      std::fprintf(out, "%u %u %.17g\n", static_cast<std::uint32_t>(key[e] >> 32), static_cast<std::uint32_t>(key[e]), weight[e]);
    std::fclose(out);
  }
  return 0;
}
