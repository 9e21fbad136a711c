#include "sim/output/plane_coding.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace policysim::hdf5_write {
namespace {

// n log2(n) for the counts of a histogram, from a table for the counts of a 64 KiB chunk's planes
// (2,048 sampled bytes): std::log2 of each of a plane's 256 counts was about 1% of the large
// benchmark's run. Filled once, by std::log2 itself; the caller fetches the table once a plane (a
// call and the static's guard for each of 256 counts were a third of plane_coding: thirty-second
// round).
class NLog2N {
 public:
  NLog2N() : table_(shared_table()) {}
  double operator()(std::uint32_t n) const {
    return n <= kTabled ? table_[n] : static_cast<double>(n) * std::log2(static_cast<double>(n));
  }

 private:
  static constexpr std::uint32_t kTabled = 4096;
  static const std::vector<double>& shared_table() {
    static const std::vector<double> table = [] {
      std::vector<double> values(kTabled + 1, 0.0);
      for (std::uint32_t k = 1; k <= kTabled; ++k)
        values[k] = static_cast<double>(k) * std::log2(static_cast<double>(k));
      return values;
    }();
    return table;
  }
  const std::vector<double>& table_;
};

}  // namespace

PlaneCoding plane_coding(const unsigned char* bytes, std::size_t count) {
  if (count < 4096) return PlaneCoding::Runs;
  // Runs counted in byte-wide lanes, a block of 240 bytes at a time (at most 240 runs: a byte's
  // sum cannot overflow), then added up: 16 bytes a vector step instead of 2 with 64-bit lanes
  // (the 64-bit count was about half of plane_coding, 0.5% of the large benchmark's run:
  // thirty-second round).
  constexpr std::size_t kRunBlock = 240;
  std::size_t runs = 0;
  for (std::size_t start = 2; start < count; start += kRunBlock) {
    const std::size_t end = std::min(count, start + kRunBlock);
    unsigned char block_runs = 0;
#pragma omp simd reduction(+ : block_runs)
    for (std::size_t i = start; i < end; ++i)
      block_runs += static_cast<unsigned char>((bytes[i] == bytes[i - 1]) & (bytes[i - 1] == bytes[i - 2]));
    runs += block_runs;
  }
  if (runs > count / 16) return PlaneCoding::Runs;
  // Four histograms, filled in turn and added up: a plane of few byte values (a weight's exponent)
  // would otherwise increment the same count one after another, each waiting for the last.
  constexpr std::size_t kStride = 4, kHistograms = 4;
  std::array<std::array<std::uint32_t, 256>, kHistograms> histograms{};
  std::size_t i = 0;
  for (; i + kStride * (kHistograms - 1) < count; i += kStride * kHistograms)
    for (std::size_t h = 0; h < kHistograms; ++h) ++histograms[h][bytes[i + kStride * h]];
  for (; i < count; i += kStride) ++histograms[0][bytes[i]];
  const auto sampled = static_cast<std::uint32_t>((count + kStride - 1) / kStride);
  // The sample's entropy in bits, the sum of n log2(sampled / n) over the byte values, as
  // sampled log2(sampled) - sum of n log2(n) (the counts add up to `sampled`).
  const NLog2N n_log2_n;
  double sum = 0.0;
  for (std::size_t value = 0; value < 256; ++value)
    sum += n_log2_n(histograms[0][value] + histograms[1][value] + histograms[2][value] + histograms[3][value]);
  const double bits = n_log2_n(sampled) - sum;
  const bool few_runs = runs <= count / 64;  // random bytes make a run of three one time in 65,536
  return few_runs && bits > 7.8 * static_cast<double>(sampled) ? PlaneCoding::Stored : PlaneCoding::Huffman;
}

bool constant(const unsigned char* bytes, std::size_t count) {
  unsigned char differs = 0;
#pragma omp simd reduction(| : differs)
  for (std::size_t i = 0; i < count; ++i) differs |= static_cast<unsigned char>(bytes[i] ^ bytes[0]);
  return differs == 0;
}

}  // namespace policysim::hdf5_write
