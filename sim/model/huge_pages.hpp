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
// environment turns it off: where transparent_hugepage/defrag is "madvise", a page fault in an
// advised array may wait for the kernel to compact memory into a huge page, which a busy shared
// node may not want.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include <sys/mman.h>

namespace policysim {

// Arrays below this many bytes are left in ordinary pages: they hold no whole 2 MiB page. (At 4
// MiB, the large benchmark's rows, 3.2 MB, were left out: formation on one thread 0.417 -> 0.403
// s with them in.)
inline constexpr std::size_t kHugePageAdviceBytes = std::size_t{2} << 20;

// Whether huge pages are asked for: not when POLICYSIM_HUGE_PAGES is 0, off, no or false. Read at
// each large allocation (beside a system call, a look-up in the environment costs nothing), so
// that a test can set it.
inline bool huge_pages_wanted() {
  const char* const setting = std::getenv("POLICYSIM_HUGE_PAGES");
  if (setting == nullptr) return true;
  const std::string_view value(setting);
  return value != "0" && value != "off" && value != "no" && value != "false";
}

// Asks for 2 MiB pages for the whole 2 MiB pages within [data, data + bytes) (never beyond it:
// the memory around an array may be another's), when bytes is at least kHugePageAdviceBytes. To
// take effect where the pages are first touched, it must come before the first write. Whether the
// system took the advice (false: too small, turned off, or not supported here).
inline bool advise_huge_pages(const void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  if (data == nullptr || bytes < kHugePageAdviceBytes || !huge_pages_wanted()) return false;
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto start = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (start + kHuge - 1) / kHuge * kHuge;
  const std::uintptr_t last = (start + bytes) / kHuge * kHuge;
  return first < last && madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE) == 0;
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
