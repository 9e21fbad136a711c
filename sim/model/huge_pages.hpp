#pragma once
// Large arrays of the B2B layer in 2 MiB pages. The firm step reads some of them at random: a
// candidate's row (formation), a partner's innovation (the tie update), a firm's index entry
// (the "already linked?" look-ups). In 4 KiB pages the rows of 1 million firms (32 MB) span 8,192
// pages, four times what the processor's second-level TLB holds, so that most such reads also
// walked the page tables. Asked for 2 MiB pages (transparent huge pages, madvise(MADV_HUGEPAGE)),
// 1 million firms ran 14.9 -> 13.4 s (formation 6.3 -> 5.1 s, the tie update 5.4 -> 5.0 s; page
// faults 186,000 -> 41,000), with 6 MB more at the peak (623 -> 629 MB); the large case about 3%
// faster on one thread, 3 - 5 MB more (docs/performance.md, twenty-fifth round). Only advice:
// where the system gives no huge pages (transparent_hugepage "never", another kernel) nothing
// changes, and no result ever depends on it. POLICYSIM_HUGE_PAGES=0 (or off, no, false) in the
// environment turns it off (1, on, yes, true leave it on; the command line refuses other values): where transparent_hugepage/defrag is "madvise", a page fault in an
// advised array may wait for the kernel to compact memory into a huge page, which a busy shared
// node may not want.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <sys/mman.h>

namespace policysim {

// A huge page: 2 MiB. Arrays below this many bytes are left in ordinary pages: they hold no whole
// huge page. (At 4 MiB, the large benchmark's rows, 3.2 MB, were left out: formation on one thread
// 0.417 -> 0.403 s with them in.)
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// The whole pages of `page` bytes (a power of two) within [data, data + bytes), as addresses
// [first, last). Never beyond the range: the memory around an array may be another's. For the
// huge-page advice here and for the pages a tie column gives back (tie_column.hpp, release_behind).
struct WholePages {
  std::uintptr_t first = 0, last = 0;
  bool any() const { return first < last; }
  std::size_t bytes() const { return any() ? last - first : 0; }
  void* start() const { return reinterpret_cast<void*>(first); }
};
inline WholePages whole_pages_within(const void* data, std::size_t bytes, std::size_t page) {
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const auto size = static_cast<std::uintptr_t>(page);
  return WholePages{(start + size - 1) / size * size, (start + bytes) / size * size};
}

// POLICYSIM_HUGE_PAGES: 0, off, no or false turn the advice off; 1, on, yes or true (or the
// variable unset or empty) leave it on; any other value is no setting (nullopt), which the command line
// refuses as bad input before it starts (cli/environment.cpp) rather than guess at a typo.
inline constexpr const char* kHugePagesVariable = "POLICYSIM_HUGE_PAGES";
inline std::optional<bool> huge_pages_setting(std::string_view value) {
  for (std::string_view off : {"0", "off", "no", "false"})
    if (value == off) return false;
  for (std::string_view on : {"1", "on", "yes", "true"})
    if (value == on) return true;
  return std::nullopt;
}

// Whether huge pages are asked for: not when POLICYSIM_HUGE_PAGES turns them off (a value that is no
// setting leaves them on here; the command line refuses it first). Read at each large allocation
// (beside a system call, a look-up in the environment costs nothing), so that a test can set it.
inline bool huge_pages_wanted() {
  const char* const setting = std::getenv(kHugePagesVariable);
  return setting == nullptr || *setting == '\0' || huge_pages_setting(setting).value_or(true);
}

// Asks for 2 MiB pages for the whole 2 MiB pages within [data, data + bytes) (never beyond it:
// the memory around an array may be another's), when bytes is at least kHugePageBytes. To
// take effect where the pages are first touched, it must come before the first write. Whether the
// system took the advice (false: too small, turned off, or not supported here).
inline bool advise_huge_pages(const void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (data == nullptr || bytes < kHugePageBytes || !huge_pages_wanted()) return false;
  const WholePages pages = whole_pages_within(data, bytes, kHugePageBytes);
  return pages.any() && madvise(pages.start(), pages.bytes(), MADV_HUGEPAGE) == 0;
#else
  (void)data;
  (void)bytes;
  return false;
#endif
}

// std::allocator that advises huge pages for every large block it hands out, before anything is
// written to it: a vector of it (LargeVector) has its large blocks in 2 MiB pages from their first
// touch on.
template <typename T>
struct HugePageAllocator : std::allocator<T> {
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = HugePageAllocator<U>;
  };
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    T* const block = std::allocator<T>::allocate(n);
    advise_huge_pages(block, n * sizeof(T));
    return block;
  }
};
template <typename T, typename U>
bool operator==(const HugePageAllocator<T>&, const HugePageAllocator<U>&) noexcept {
  return true;
}

// A vector whose large blocks lie in 2 MiB pages (HugePageAllocator); otherwise std::vector.
template <typename T>
using LargeVector = std::vector<T, HugePageAllocator<T>>;

// Sizes a std::vector of numbers about to be written to `n` elements (zeros), its block advised
// huge pages before the zeros touch it (for the columns of a table that keeps plain vectors).
template <typename T>
void resize_in_huge_pages(std::vector<T>& column, std::size_t n) {
  if (n > column.capacity()) {
    std::vector<T>().swap(column);
    column.reserve(n);
    advise_huge_pages(column.data(), column.capacity() * sizeof(T));
  }
  column.resize(n);
}

}  // namespace policysim
