#pragma once
// Resizing the recycled columns of the B2B layer (sim/model/firms.cpp, sim/dynamics/firms/
// b2b_cooperation.cpp), whose contents are about to be overwritten.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/model/huge_pages.hpp"

namespace policysim {

// An allocator whose value-less construction leaves a number's bytes as they are (default-
// initialisation) instead of zeroing them, for columns that are sized and then written in full:
// resize() then costs nothing per element, and a fresh block's pages are first touched by the loops
// that write them (on every thread that writes) rather than by a zeroing pass on one thread. A
// column of millions of ties was zeroed on each growth: 2% of the large benchmark's time on one
// thread, serial with two (docs/performance.md, eighth round). Its large blocks lie in 2 MiB pages
// (HugePageAllocator, huge_pages.hpp): the tie list's columns among them.
template <typename T>
struct DefaultInitAllocator : HugePageAllocator<T> {
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* at) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(at)) U;
  }
  template <typename U, typename... Args>
  void construct(U* at, Args&&... args) {
    std::allocator_traits<std::allocator<T>>::construct(static_cast<std::allocator<T>&>(*this), at,
                                                        std::forward<Args>(args)...);
  }
};

// A column of numbers that resize() does not zero (DefaultInitAllocator).
template <typename T>
using Column = std::vector<T, DefaultInitAllocator<T>>;

// The room a column that must hold `n` elements, past its `capacity`, is given: enough to double,
// as std::vector's own growth would give, so that a network that grows a little each step moves
// rarely.
inline std::size_t room_to_grow(std::size_t n, std::size_t capacity) { return std::max(n, 2 * capacity); }

// Resizes `v` to `n` elements whose values do not matter (every one is written next). When it must
// grow past its capacity the old block is let go first, not copied: std::vector::resize would copy
// the old elements across and hold both blocks at once, the peak of a big run (8 bytes a tie more
// for the weights). The new block has room to double, as the vector's own growth would give: a
// network that grows a little each step reallocates rarely.
template <typename T, typename Allocator>
void resize_for_overwrite(std::vector<T, Allocator>& v, std::size_t n) {
  if (n > v.capacity()) {
    const std::size_t room = room_to_grow(n, v.capacity());
    std::vector<T, Allocator>().swap(v);
    v.reserve(room);
  }
  v.resize(n);
}

// Resizes `v` to `n` elements keeping the first min(size, n) as they are (a list about to be rewritten
// where it lies, sim/model/in_place_blocks.hpp); new elements are left unwritten for a Column. When it
// must grow past its capacity, the new block has room to double, so that a network that grows a
// little each step moves rarely (the move holds both blocks at once: a peak while the network is
// half its final size at most).
template <typename T, typename Allocator>
void resize_keeping(std::vector<T, Allocator>& v, std::size_t n) {
  if (n > v.capacity()) v.reserve(room_to_grow(n, v.capacity()));
  v.resize(n);
}

}  // namespace policysim
