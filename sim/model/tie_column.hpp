#pragma once
// A column of the B2B tie list (FirmTies, sim/model/firms.hpp): a vector of numbers that may keep room
// in front of its first element as well as behind its last. The B2B update writes a step's new list
// in one pass over the old one where it lies, starting as many places before it as there are new
// ties, so that no write passes a tie not yet read (sim/dynamics/firms/b2b_tie_update.cpp;
// docs/performance.md, nineteenth round): the list moves towards the front of its block from step
// to step, and is moved back to the block's end (or to a bigger block) when the room in front runs
// out; the places it leaves behind are given back to the system. On two threads the update writes
// the list's two runs away from each other, into room before and after it (make_room_around): the
// list then grows both ways and sits mid-block. Like Column (resize_for_overwrite.hpp), new
// elements are left unwritten by resize().
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <new>
#include <type_traits>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "sim/model/huge_pages.hpp"
#include "sim/model/resize_for_overwrite.hpp"

namespace policysim {

// Has the system map a piece's pages for writing (TieColumn::room_in_front_pieces), changing nothing
// in them. Nothing where the system has no MADV_POPULATE_WRITE (Linux < 5.14).
inline void map_for_writing(const WholePages& piece) {
#ifdef MADV_POPULATE_WRITE
  if (piece.any()) madvise(piece.start(), piece.bytes(), MADV_POPULATE_WRITE);  // a failure changes nothing
#else
  (void)piece;
#endif
}

template <typename T>
class TieColumn {
  static_assert(std::is_trivially_copyable_v<T>, "a column of numbers");

 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;

  TieColumn() = default;
  TieColumn(std::initializer_list<T> values) { assign(values.begin(), values.size()); }
  // A copy holds the elements only, with no room in front.
  TieColumn(const TieColumn& other) { assign(other.data(), other.size()); }
  TieColumn& operator=(const TieColumn& other) {
    if (this != &other) assign(other.data(), other.size());
    return *this;
  }
  TieColumn& operator=(std::initializer_list<T> values) {
    assign(values.begin(), values.size());
    return *this;
  }
  TieColumn(TieColumn&& other) noexcept { swap(other); }
  TieColumn& operator=(TieColumn&& other) noexcept {
    TieColumn(std::move(other)).swap(*this);
    return *this;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return block_.data() + front_; }
  const T* data() const { return block_.data() + front_; }
  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }
  // The elements it can hold from its first one on without moving.
  std::size_t capacity() const { return block_.size() - front_; }
  // The places free before the first element.
  std::size_t room_in_front() const { return front_; }

  // Room for n elements from the first one on; a new block (room to double, room_to_grow) holds the
  // elements from its start.
  void reserve(std::size_t n) {
    if (n > capacity()) move_to_new_block(room_to_grow(n, capacity()), 0, copy_elements);
  }
  void resize(std::size_t n) {
    reserve(n);
    size_ = n;
  }
  void clear() { size_ = 0; }
  void push_back(T value) {
    if (size_ == capacity()) reserve(size_ + 1);
    data()[size_++] = value;
  }
  void swap(TieColumn& other) noexcept {
    block_.swap(other.block_);
    std::swap(front_, other.front_);
    std::swap(size_, other.size_);
    std::swap(resident_end_, other.resident_end_);
  }
  bool operator==(const TieColumn& other) const { return std::equal(begin(), end(), other.begin(), other.end()); }

  // At least `room` free places before the first element. The list moves towards the front of its
  // block by its new elements each step, so a new block holds kDrift times the list and its new
  // elements, and the list moves (a copy of every element) only after drifting about kDrift - 1
  // times its length: back to the block's end where the block holds at least twice the list and
  // its new elements, else to a new block (every page of it touched afresh). The places the list
  // leaves behind go back to the system (release_behind), so that a block's size is address space,
  // not memory. With room to double (room_to_grow) the large benchmark's list moved five times,
  // 0.017 s of a 0.86 s run (docs/performance.md, twenty-fourth round).
  void make_room_in_front(std::size_t room) { make_room_in_front(room, copy_elements); }
  // Like make_room_in_front, with `copy(from, count, to)` copying the elements to a new block (on
  // threads, b2b_tie_update.cpp).
  template <typename Copy>
  void make_room_in_front(std::size_t room, Copy&& copy) {
    if (front_ >= room) return;
    if (block_.size() >= 2 * (size_ + room)) {
      const std::size_t to = block_.size() - size_;
      std::memmove(block_.data() + to, block_.data() + front_, size_ * sizeof(T));
      front_ = to;
      resident_end_ = block_.size();
      return;
    }
    const std::size_t doubled = room_to_grow(size_ + room, block_.size());
    const std::size_t drifting = std::max(doubled, kDrift * (size_ + room));
    try {
      move_to_new_block(drifting, drifting - size_, copy);
    } catch (const std::bad_alloc&) {
      // Where address space is limited (`ulimit -v`, a batch system's h_vmem) and the larger block
      // does not fit in it: the block the list needs, with room to double, as before.
      move_to_new_block(doubled, doubled - size_, copy);
    }
  }
  // At least `front_room` free places before the first element and `back_room` after the last,
  // for an update that writes a list's two runs away from each other (b2b_tie_update.cpp): where
  // either is short, the list goes to the middle of its block if the block holds twice the list and
  // its rooms, else to the middle of a new block of kDrift times that (each side then lasts about
  // kDrift / 2 - 1 times the list's length of drift); `copy` as make_room_in_front's.
  template <typename Copy>
  void make_room_around(std::size_t front_room, std::size_t back_room, Copy&& copy) {
    if (front_ >= front_room && block_.size() - front_ - size_ >= back_room) return;
    const std::size_t need = size_ + front_room + back_room;
    if (block_.size() >= 2 * need) {
      const std::size_t to = front_room + (block_.size() - need) / 2;
      std::memmove(block_.data() + to, block_.data() + front_, size_ * sizeof(T));
      front_ = to;
      resident_end_ = block_.size();
      return;
    }
    const std::size_t total = kDrift * need;
    try {
      move_to_new_block(total, front_room + (total - need) / 2, copy);
    } catch (const std::bad_alloc&) {
      // Where address space is limited (make_room_in_front's case): room to double, as there.
      const std::size_t doubled = room_to_grow(need, block_.size());
      move_to_new_block(doubled, front_room + (doubled - need) / 2, copy);
    }
  }
  // The pages of the first `places` places after the last element (where the backward run of such
  // an update writes next), cut where 2 MiB pages begin, appended to `pieces`: as
  // room_in_front_pieces.
  void room_behind_pieces(std::size_t places, std::vector<WholePages>& pieces) const {
    const std::size_t count = std::min(places, block_.size() - front_ - size_);
    if (count == 0) return;
    const auto page = static_cast<std::uintptr_t>(page_size());
    std::uintptr_t first = reinterpret_cast<std::uintptr_t>(block_.data() + front_ + size_) / page * page;
    const auto last = (reinterpret_cast<std::uintptr_t>(block_.data() + front_ + size_ + count) + page - 1) / page * page;
    cut_at_huge_pages(first, last, pieces);
  }
  // The pages of the last `places` places of the room in front (where the next
  // make_room_in_front(places) and the writes that follow it land), cut where 2 MiB pages begin,
  // appended to `pieces` (none where there is no room): each given to map_for_writing by one thread,
  // their first touch, the kernel zeroing fresh pages, is paid by the threads that map them rather
  // than by whoever writes there first. The B2B phase maps them in formation, whose batches the
  // threads share as they come, so that the zeroing no longer lands on the one thread that writes
  // the list's front (in the large benchmark 2.5% of a one-thread run lay in those faults;
  // docs/performance.md, twenty-seventh round). In pieces, so that the threads share them too: a
  // huge page is zeroed whole, by the thread whose fault maps it, in up to 4.6 ms where the system's
  // memory is fresh (this project's virtual machines: a page given back is given back to the host
  // too), longer than a step's formation on one thread; one thread mapping the three columns' pages
  // of a step held the other up to 9 ms (docs/performance.md, twenty-ninth round).
  void room_in_front_pieces(std::size_t places, std::vector<WholePages>& pieces) const {
    const std::size_t count = std::min(places, front_);
    if (count == 0) return;
    // Every page the places touch: pages are whole within the block's mapping.
    const auto page = static_cast<std::uintptr_t>(page_size());
    std::uintptr_t first = reinterpret_cast<std::uintptr_t>(block_.data() + (front_ - count)) / page * page;
    const auto last = (reinterpret_cast<std::uintptr_t>(block_.data() + front_) + page - 1) / page * page;
    cut_at_huge_pages(first, last, pieces);
  }
  // The column now starts `moved` places before its old first element and holds `n` elements (the
  // caller wrote them there; moved <= room_in_front()).
  void start_earlier(std::size_t moved, std::size_t n) {
    front_ -= moved;
    size_ = n;
    release_behind();
  }
  // The same, keeping the places behind the list (the room the next backward run writes into).
  void start_earlier_keeping_room_behind(std::size_t moved, std::size_t n) {
    front_ -= moved;
    size_ = n;
    resident_end_ = std::max(resident_end_, front_ + size_);
  }

 private:
  static constexpr std::size_t kDrift = 8;
  // Released once at least this much lies behind the list (a system call and a TLB flush each).
  static constexpr std::size_t kReleaseBytes = std::size_t{2} << 20;

  // The whole pages between the list's end and the end of what may still be resident go back to
  // the system (they read as zeros if ever touched again; nothing reads a place before writing it).
  void release_behind() {
    const std::size_t end = front_ + size_;
    if (resident_end_ <= end || (resident_end_ - end) * sizeof(T) < kReleaseBytes) return;
    const WholePages pages = whole_pages_within(block_.data() + end, (resident_end_ - end) * sizeof(T),
                                                 static_cast<std::size_t>(page_size()));
    if (pages.any()) madvise(pages.start(), pages.bytes(), MADV_DONTNEED);
    resident_end_ = end;
  }
  // The pages [first, last) in pieces that never straddle the start of a 2 MiB page.
  static void cut_at_huge_pages(std::uintptr_t first, std::uintptr_t last, std::vector<WholePages>& pieces) {
    while (first < last) {
      const std::uintptr_t next_huge = (first / kHugePageBytes + 1) * kHugePageBytes;
      const std::uintptr_t end = std::min(last, next_huge);
      pieces.push_back(WholePages{first, end});
      first = end;
    }
  }
  static long page_size() {
    static const long size = sysconf(_SC_PAGESIZE);
    return size;
  }

  void assign(const T* values, std::size_t n) {
    Column<T> fresh;
    fresh.resize(n);
    std::copy_n(values, n, fresh.data());
    block_.swap(fresh);
    front_ = 0;
    size_ = n;
    resident_end_ = block_.size();
  }
  static void copy_elements(const T* from, std::size_t count, T* to) { std::copy_n(from, count, to); }
  // The elements to a new block of `total` places, `front` of them before the first element.
  template <typename Copy>
  void move_to_new_block(std::size_t total, std::size_t front, Copy&& copy) {
    Column<T> grown;
    grown.resize(total);
    copy(data(), size_, grown.data() + front);
    block_.swap(grown);
    front_ = front;
    resident_end_ = block_.size();
  }

  Column<T> block_;  // every element of it allocated (resize leaves them unwritten)
  std::size_t front_ = 0;
  std::size_t size_ = 0;
  std::size_t resident_end_ = 0;  // places from here to the block's end are released (or never touched)
};

// Resizes `column` to n elements whose values do not matter (every one is written next): a block
// too small is let go before the new one is made (resize_for_overwrite's rule).
template <typename T>
void resize_for_overwrite(TieColumn<T>& column, std::size_t n) {
  if (n > column.capacity()) {
    const std::size_t room = room_to_grow(n, column.capacity());
    TieColumn<T>().swap(column);
    column.reserve(room);
  }
  column.resize(n);
}

}  // namespace policysim
