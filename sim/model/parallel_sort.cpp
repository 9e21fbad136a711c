#include "sim/model/parallel_sort.hpp"

#include <algorithm>
#include <array>
#include <bit>

#include <omp.h>

#include "sim/model/thread_shares.hpp"

namespace policysim {
namespace {

// The digits of a least-significant-digit radix sort of 64-bit keys whose two 32-bit halves use
// `low_bits` and `high_bits` bits: each half cut into the fewest digits of at most kMostDigitBits
// bits, of about equal widths (17 bits: 9 + 8; 20 bits: 10 + 10), lowest first, the low half's
// left out where `low_half_sorted`. Digit d is (key >> shift[d]) & mask[d].
struct RadixDigits {
  static constexpr unsigned kMostDigitBits = 11;  // 2,048 counts a digit: a pass's counts stay in the first-level cache
  static constexpr std::size_t kMostDigits = 6;    // three a half of 32 bits
  std::array<unsigned, kMostDigits> shift{};
  std::array<std::uint64_t, kMostDigits> mask{};
  std::size_t count = 0;
  RadixDigits(unsigned low_bits, unsigned high_bits, bool low_half_sorted) {
    if (!low_half_sorted) add_half(0, low_bits);
    add_half(32, high_bits);
  }

 private:
  void add_half(unsigned base, unsigned used_bits) {
    if (used_bits == 0) return;
    const unsigned digits = (used_bits + kMostDigitBits - 1) / kMostDigitBits;
    const unsigned width = (used_bits + digits - 1) / digits;
    for (unsigned d = 0; d < digits; ++d) {
      shift[count] = base + d * width;
      mask[count++] = (std::uint64_t{1} << std::min(width, used_bits - d * width)) - 1;
    }
  }
};

// Sorts [first, last) by a least-significant-digit radix sort. The keys are packed pairs of firm
// numbers (a << 32 | b): each half uses only the bits of the largest firm number, so that a half
// of 100,000 or 1,000,000 firms (17 or 20 bits) is sorted in two passes of 9 - 10-bit digits (three
// by bytes, before: 28,000 proposals a step of the large benchmark sorted in 6.4 ns a key, about
// one nanosecond a key a pass; docs/performance.md, thirty-fourth round). Keys already in order of
// their low half (the changes turned to their higher end in sim/model/firms.cpp, which come sorted
// by their lower end) need only the high half's passes, each pass being stable; a digit alike in
// every key is skipped. The same sorted sequence as std::sort: sorting is unique.
void radix_sort(std::uint64_t* first, std::uint64_t* last) {
  const auto count = static_cast<std::size_t>(last - first);
  if (count < 256) {
    std::sort(first, last);
    return;
  }
  // Scratch of this thread, kept from call to call: allocating it anew each step would leave holes
  // between the network's large blocks (see turn_to_higher_end in sim/model/firms.cpp).
  thread_local std::vector<std::uint64_t> scratch;
  if (scratch.size() < count) scratch.resize(count);
  // The bits each half uses, and whether the low halves are in order already.
  std::uint64_t used = 0;
  bool low_half_sorted = true;
  std::uint32_t previous_low = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t key = first[k];
    used |= key;
    const auto low = static_cast<std::uint32_t>(key);
    low_half_sorted = low_half_sorted && low >= previous_low;
    previous_low = low;
  }
  const RadixDigits digits(static_cast<unsigned>(std::bit_width(static_cast<std::uint32_t>(used))),
                           static_cast<unsigned>(std::bit_width(static_cast<std::uint32_t>(used >> 32))), low_half_sorted);
  constexpr std::size_t kMostCounts = std::size_t{1} << RadixDigits::kMostDigitBits;
  std::array<std::array<std::size_t, kMostCounts>, RadixDigits::kMostDigits> counts;
  // (d < counts.size() is always true; GCC's -Warray-bounds does not see it.)
  for (std::size_t d = 0; d < digits.count && d < counts.size(); ++d)
    std::fill_n(counts[d].begin(), digits.mask[d] + 1, 0);
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t key = first[k];
    for (std::size_t d = 0; d < digits.count; ++d) ++counts[d][(key >> digits.shift[d]) & digits.mask[d]];
  }
  std::uint64_t* from = first;
  std::uint64_t* to = scratch.data();
  for (std::size_t d = 0; d < digits.count; ++d) {
    const unsigned shift = digits.shift[d];
    const std::uint64_t mask = digits.mask[d];
    std::size_t* const starts = counts[d].data();
    if (starts[(from[0] >> shift) & mask] == count) continue;  // every key has this digit
    std::size_t running = 0;
    for (std::size_t digit = 0; digit <= mask; ++digit) {
      const std::size_t here = starts[digit];
      starts[digit] = running;
      running += here;
    }
    for (std::size_t k = 0; k < count; ++k) {
      const std::uint64_t key = from[k];
      to[starts[(key >> shift) & mask]++] = key;
    }
    std::swap(from, to);
  }
  if (from != first) std::copy(from, from + count, first);
}

// How many of the first `k` keys of the merge of sorted runs a (na keys) and b (nb keys) come from
// a, keys equal in both taken from a first (std::merge's order): the smallest i for which taking
// i from a and k - i from b leaves no key of a smaller than or equal to one of b's taken (the merge
// path's crossing, found by bisection).
std::size_t taken_from_first(const std::uint64_t* a, std::size_t na, const std::uint64_t* b, std::size_t nb,
                             std::size_t k) {
  std::size_t low = k > nb ? k - nb : 0, high = std::min(k, na);
  while (low < high) {
    const std::size_t i = low + (high - low) / 2;
    if (b[k - i - 1] >= a[i]) low = i + 1;  // a[i] goes before b[k - i - 1]: more from a
    else high = i;
  }
  return low;
}

// std::merge's result for keys (equal keys are alike, so which run an equal one comes from does not
// matter), the run to take from chosen without a branch: the runs of a step's proposals interleave
// at random, and std::merge mispredicted about every other key (the large benchmark's two-thread
// sort 0.014 -> 0.013 s a run, medians of twelve alternating runs; docs/performance.md,
// thirty-fourth round).
std::uint64_t* merge_without_branches(const std::uint64_t* a, const std::uint64_t* a_end, const std::uint64_t* b,
                              const std::uint64_t* b_end, std::uint64_t* out) {
  if (a != a_end && b != b_end) {
    for (;;) {
      const std::uint64_t x = *a, y = *b;
      const bool take_b = y < x;
      *out++ = take_b ? y : x;
      a += !take_b;
      b += take_b;
      if (a == a_end || b == b_end) break;
    }
  }
  out = std::copy(a, a_end, out);
  return std::copy(b, b_end, out);
}

// Scratch the size of the keys for the merges, kept by the calling thread from call to call (see
// radix_sort's).
thread_local std::vector<std::uint64_t> merge_scratch;

}  // namespace

void parallel_sort(std::vector<std::uint64_t>& keys) {
  const std::size_t count = keys.size();
  // Threads from 4,096 keys (16,384 before): the large benchmark's first ten steps propose 7,000 -
  // 12,000 pairs each, sorted on one thread while the others waited (bench/region_timings.py;
  // docs/performance.md, thirty-third round).
  if (!worth_threads(count, std::size_t{1} << 12)) {
    radix_sort(keys.data(), keys.data() + count);
    return;
  }
  if (merge_scratch.size() < count) merge_scratch.resize(count);
  std::vector<std::size_t> bounds;  // run r is [bounds[r], bounds[r + 1])
  std::uint64_t* const scratch = merge_scratch.data();
#pragma omp parallel
  {
#pragma omp single
    {
      const int threads = omp_get_num_threads();
      for (int t = 0; t < threads; ++t) bounds.push_back(thread_share(count, t, threads).first);
      bounds.push_back(count);
    }
    const int t = omp_get_thread_num();
    radix_sort(keys.data() + bounds[static_cast<std::size_t>(t)], keys.data() + bounds[static_cast<std::size_t>(t) + 1]);
    // Neighbouring sorted runs merged pairwise, round after round, from one array into the other,
    // until one run is left. Every merge of a round is shared by all threads: thread t writes the
    // part [out_first, out_last) of the round's output, wherever the pairs' merges fall in it,
    // starting each from where the merge path crosses its first output position. A round
    // costs each thread 1 / threads of the keys whatever the number of runs (merging each pair on
    // one thread left the last round, the whole array, to one thread: 2 threads sorted hardly
    // faster than one).
    // (The same cut as the runs: thread t's output part is where its own run lay.)
    const std::size_t out_first = bounds[static_cast<std::size_t>(t)], out_last = bounds[static_cast<std::size_t>(t) + 1];
    const std::size_t runs = bounds.size() - 1;
    std::uint64_t* from = keys.data();
    std::uint64_t* to = scratch;
    for (std::size_t width = 1; width < runs; width *= 2) {
#pragma omp barrier
      for (std::size_t left = 0; left < runs; left += 2 * width) {
        const std::size_t first = bounds[left], middle = bounds[std::min(left + width, runs)],
                          last = bounds[std::min(left + 2 * width, runs)];
        const std::size_t begin = std::max(first, out_first), end = std::min(last, out_last);
        if (begin >= end) continue;
        const std::uint64_t *const a = from + first, *const b = from + middle;
        const std::size_t na = middle - first, nb = last - middle;
        const std::size_t a_begin = taken_from_first(a, na, b, nb, begin - first);
        const std::size_t a_end = taken_from_first(a, na, b, nb, end - first);
        merge_without_branches(a + a_begin, a + a_end, b + (begin - first - a_begin), b + (end - first - a_end), to + begin);
      }
      std::swap(from, to);
    }
    if (from != keys.data()) {
#pragma omp barrier
      std::copy(from + out_first, from + out_last, keys.data() + out_first);
    }
  }
}

}  // namespace policysim
