#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <vector>

#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/model/tie_column.hpp"

using namespace policysim;

namespace {

std::vector<std::uint32_t> values_of(const TieColumn<std::uint32_t>& column) {
  return std::vector<std::uint32_t>(column.begin(), column.end());
}

// Where the column's block starts (the list moves inside it).
const std::uint32_t* block_of(const TieColumn<std::uint32_t>& column) {
  return column.data() - column.room_in_front();
}

// The room's last `places` places mapped as the B2B phase maps them: piece by piece.
void map_room_in_front(const TieColumn<std::uint32_t>& column, std::size_t places) {
  std::vector<WholePages> pieces;
  column.room_in_front_pieces(places, pieces);
  for (const WholePages& piece : pieces) map_for_writing(piece);
}

// Pieces of pages (room_in_front_pieces, room_behind_pieces) that cover [first, last) exactly, in
// order, each within one 2 MiB page, as many as the 2 MiB pages the range meets.
void check_pieces(const std::vector<WholePages>& pieces, std::uintptr_t first, std::uintptr_t last) {
  REQUIRE_FALSE(pieces.empty());
  CHECK(pieces.front().first == first);
  CHECK(pieces.back().last == last);
  bool in_order = true, within_one_huge_page = true;
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    in_order = in_order && pieces[k].any() && (k == 0 || pieces[k].first == pieces[k - 1].last);
    within_one_huge_page = within_one_huge_page && pieces[k].first / kHugePageBytes == (pieces[k].last - 1) / kHugePageBytes;
  }
  CHECK(in_order);
  CHECK(within_one_huge_page);
  CHECK(pieces.size() == (last - 1) / kHugePageBytes - first / kHugePageBytes + 1);
}

}  // namespace

// The B2B update's columns (sim/model/tie_column.hpp): a vector's behaviour where values are given,
// and room in front made by moving the elements to the block's end, or to a new block.
TEST_CASE("TieColumn: values given are kept as in a vector, copies hold the elements only", "[model]") {
  TieColumn<std::uint32_t> column{1, 2, 3};
  column.push_back(4);
  CHECK(values_of(column) == std::vector<std::uint32_t>{1, 2, 3, 4});
  CHECK(column.back() == 4);
  column.resize(2);
  CHECK(values_of(column) == std::vector<std::uint32_t>{1, 2});
  column.reserve(100);
  CHECK(column.capacity() >= 100);
  CHECK(values_of(column) == std::vector<std::uint32_t>{1, 2});
  column.make_room_in_front(50);
  CHECK(column.room_in_front() >= 50);
  CHECK(values_of(column) == std::vector<std::uint32_t>{1, 2});
  const TieColumn<std::uint32_t> copy = column;
  CHECK(copy.room_in_front() == 0);
  CHECK(copy == column);
  CHECK(values_of(copy) == std::vector<std::uint32_t>{1, 2});
  column.push_back(9);  // after room in front: at the end, as ever
  CHECK(values_of(column) == std::vector<std::uint32_t>{1, 2, 9});
  CHECK_FALSE(copy == column);
  column = {5, 6};
  CHECK(values_of(column) == std::vector<std::uint32_t>{5, 6});
  TieColumn<std::uint32_t> moved = std::move(column);
  CHECK(values_of(moved) == std::vector<std::uint32_t>{5, 6});
}

TEST_CASE("TieColumn: room in front within the block when it has the room, else a new block", "[model]") {
  TieColumn<std::uint32_t> column;
  for (std::uint32_t v = 0; v < 1000; ++v) column.push_back(v);
  std::vector<std::uint32_t> expected(1000);
  std::iota(expected.begin(), expected.end(), 0u);
  // No room in front: a new block of eight times the list and its new elements, the elements at its end.
  column.make_room_in_front(300);
  const std::uint32_t* const block = block_of(column);
  const std::size_t room = column.room_in_front();
  CHECK(room == 8 * 1300 - 1000);
  CHECK(column.capacity() == 1000);  // nothing behind the last element
  CHECK(values_of(column) == expected);
  // Room enough in front: nothing moves.
  const std::uint32_t* const first = column.data();
  column.make_room_in_front(room);
  CHECK(column.data() == first);
  // The list starts earlier in the block (the update writes its new list there) and shrinks, so
  // that its block has room behind it: making more room in front moves it to the block's end.
  const std::size_t earlier = room - 10;
  std::uint32_t* const written = column.data() - earlier;
  for (std::size_t e = 0; e < 600; ++e) written[e] = static_cast<std::uint32_t>(5000 + e);
  column.start_earlier(earlier, 600);
  CHECK(column.room_in_front() == 10);
  CHECK(block_of(column) == block);
  std::vector<std::uint32_t> now(600);
  std::iota(now.begin(), now.end(), 5000u);
  CHECK(values_of(column) == now);
  column.make_room_in_front(200);
  CHECK(block_of(column) == block);  // moved within its block
  CHECK(column.room_in_front() >= 200);
  CHECK(values_of(column) == now);
  // More room in front than the block has free: a new block.
  column.make_room_in_front(5 * room);
  CHECK(column.room_in_front() >= 5 * room);
  CHECK(values_of(column) == now);
}

namespace {

// How many of the whole pages in [from, to) are resident (mincore).
std::size_t resident_pages(const void* from, const void* to) {
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto first = (reinterpret_cast<std::uintptr_t>(from) + page - 1) / page * page;
  const auto last = reinterpret_cast<std::uintptr_t>(to) / page * page;
  if (first >= last) return 0;
  std::vector<unsigned char> in_memory((last - first) / page);
  REQUIRE(mincore(reinterpret_cast<void*>(first), last - first, in_memory.data()) == 0);
  return static_cast<std::size_t>(std::count_if(in_memory.begin(), in_memory.end(), [](unsigned char c) { return (c & 1) != 0; }));
}

}  // namespace

// The list drifts towards its block's front step by step (the B2B update writes it from places
// before the old one), so the places it leaves behind go back to the system: a block of many times
// the list is address space, not memory. A list of 4 MB that ends 3 MB shorter: the pages behind it
// are no longer resident, its elements are as written, and the block works as before.
TEST_CASE("TieColumn: the places a list leaves behind are given back to the system", "[model]") {
  constexpr std::size_t kCount = 1u << 20;  // 4 MB of numbers
  TieColumn<std::uint32_t> column;
  column.resize(kCount);
  for (std::size_t e = 0; e < kCount; ++e) column[e] = static_cast<std::uint32_t>(e);
  column.make_room_in_front(1000);
  const std::uint32_t* const end_before = column.end();
  REQUIRE(resident_pages(column.begin(), end_before) > 0);
  // The update's way: the new list written from 1000 places before the old one, 3 MB shorter.
  const std::size_t kept = kCount / 4;
  std::uint32_t* const written = column.data() - 1000;
  for (std::size_t e = 0; e < kept; ++e) written[e] = static_cast<std::uint32_t>(7 * e);
  column.start_earlier(1000, kept);
  CHECK(resident_pages(column.end(), end_before) == 0);
  CHECK(resident_pages(column.begin(), column.end()) > 0);
  bool as_written = true;
  for (std::size_t e = 0; e < kept; ++e) as_written = as_written && column[e] == 7 * e;
  CHECK(as_written);
  // A list that leaves less than 2 MiB behind keeps its pages (one system call per 2 MiB at most).
  const std::uint32_t* const end_now = column.end();
  column.start_earlier(0, kept - 100000);  // 400 kB shorter
  CHECK(resident_pages(column.end(), end_now) > 90);
  // The block's places behind the list serve again when it grows back (written before read).
  column.resize(kCount);
  for (std::size_t e = kept; e < kCount; ++e) column[e] = static_cast<std::uint32_t>(e);
  CHECK(column[kCount - 1] == kCount - 1);
}

// The B2B phase has the pages of the next step's new ties mapped in formation, whose batches the
// threads share, rather than faulted in by the one thread that writes the list's front: the room's
// last pages become resident and nothing in the list changes. A list of 1 MB pushed to the end of a
// new block of 8 MB, its room given back to the system first (huge pages may have mapped some of
// it with the list's own), then 3/4 MB of room asked for. (Linux < 5.14 has no such advice: there
// the pages stay as they were.)
TEST_CASE("TieColumn: the room in front asked to be mapped becomes resident, the list unchanged", "[model]") {
  constexpr std::size_t kCount = 1u << 18;  // 1 MB of numbers
  TieColumn<std::uint32_t> column;
  column.resize(kCount);
  for (std::size_t e = 0; e < kCount; ++e) column[e] = static_cast<std::uint32_t>(3 * e);
  column.make_room_in_front(kCount);  // a new block: the list at its end
  const std::size_t asked = kCount * 3 / 4, room = column.room_in_front();
  REQUIRE(room > asked);
  const std::uint32_t* const front = column.data();
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto room_first = (reinterpret_cast<std::uintptr_t>(front - room) + page - 1) / page * page;
  const auto room_last = reinterpret_cast<std::uintptr_t>(front) / page * page;
  REQUIRE(madvise(reinterpret_cast<void*>(room_first), room_last - room_first, MADV_DONTNEED) == 0);
  REQUIRE(resident_pages(front - asked, front) == 0);
  map_room_in_front(column, asked);
#ifdef MADV_POPULATE_WRITE
  const std::size_t whole_pages = asked * sizeof(std::uint32_t) / page - 1;
  CHECK(resident_pages(front - asked, front) >= whole_pages);
#endif
  bool unchanged = column.size() == kCount && column.data() == front && column.room_in_front() == room;
  for (std::size_t e = 0; e < kCount; ++e) unchanged = unchanged && column[e] == 3 * e;
  CHECK(unchanged);
  // More than the room: the room, no more; nothing: nothing.
  map_room_in_front(column, room + 12345);
  map_room_in_front(column, 0);
  CHECK(column.room_in_front() == room);
}

// The threads share the mapping of the room in front by pieces (formation, b2b_cooperation.cpp): the
// pieces cover the pages the room's places touch, in order, each piece within one 2 MiB page (a
// huge page is zeroed whole by the thread that maps it), and mapping them all makes the room
// resident, the list unchanged.
TEST_CASE("TieColumn: the room in front in pieces, one 2 MiB page at most each", "[model]") {
  constexpr std::size_t kCount = 1u << 20;  // 4 MB of numbers: the room of a new block spans several 2 MiB pages
  TieColumn<std::uint32_t> column;
  column.resize(kCount);
  for (std::size_t e = 0; e < kCount; ++e) column[e] = static_cast<std::uint32_t>(7 * e + 1);
  column.make_room_in_front(kCount);
  const std::size_t room = column.room_in_front();
  const std::uint32_t* const front = column.data();
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  for (const std::size_t asked : {std::size_t{1}, kCount / 3, 2 * kCount + 17, room, room + 5}) {
    std::vector<WholePages> pieces;
    column.room_in_front_pieces(asked, pieces);
    const std::size_t places = std::min(asked, room);
    check_pieces(pieces, reinterpret_cast<std::uintptr_t>(front - places) / page * page,
                 (reinterpret_cast<std::uintptr_t>(front) + page - 1) / page * page);
  }
  std::vector<WholePages> none;
  column.room_in_front_pieces(0, none);
  CHECK(none.empty());
  // Mapped piece by piece: the room resident, the list as it was.
  map_room_in_front(column, room);
#ifdef MADV_POPULATE_WRITE
  CHECK(resident_pages(front - room, front) >= room * sizeof(std::uint32_t) / page - 1);
#endif
  bool unchanged = column.size() == kCount && column.data() == front;
  for (std::size_t e = 0; e < kCount; ++e) unchanged = unchanged && column[e] == 7 * e + 1;
  CHECK(unchanged);
}

// Room on both sides, for the update that writes a list's two runs away from each other: kept in
// place while both sides have it; the list to the middle of its block when one side is short and the
// block holds twice the list and its rooms; else to a new block, with both rooms; the elements as
// they were each time. The pages behind the list in pieces of one 2 MiB page at most, from the
// list's last page on, the rest of the block past them untouched.
TEST_CASE("TieColumn: room before and after the list, and the pages behind it in pieces", "[model]") {
  constexpr std::size_t kCount = 1u << 18;  // 1 MB of numbers; the block's room behind spans several 2 MiB pages
  TieColumn<std::uint32_t> column;
  column.resize(kCount);
  for (std::size_t e = 0; e < kCount; ++e) column[e] = static_cast<std::uint32_t>(5 * e + 3);
  const auto unchanged = [&] {
    bool same = column.size() == kCount;
    for (std::size_t e = 0; e < kCount; ++e) same = same && column[e] == 5 * e + 3;
    return same;
  };
  const auto room_behind = [&] { return column.capacity() - column.size(); };
  const auto no_copy = [](const std::uint32_t*, std::size_t, std::uint32_t*) { FAIL("the list went to a new block"); };
  column.make_room_in_front(kCount);  // a new block, the list at its end: no room behind
  REQUIRE(room_behind() == 0);
  const std::uint32_t* const block = block_of(column);
  column.make_room_around(10, 4096, no_copy);  // the block holds twice the list and its rooms
  CHECK(block_of(column) == block);
  CHECK(unchanged());
  CHECK(column.room_in_front() >= 10);
  CHECK(room_behind() >= 4096);
  const std::size_t front = column.room_in_front(), back = room_behind();
  CHECK((front > back ? front - back : back - front) <= 4096 + 10);  // the middle
  const std::uint32_t* const at = column.data();
  column.make_room_around(10, 4096, no_copy);
  CHECK(column.data() == at);  // both rooms there: nothing moves
  // The pages behind the list, in pieces.
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  for (const std::size_t asked : {std::size_t{1}, kCount / 3, back, back + 9}) {
    std::vector<WholePages> pieces;
    column.room_behind_pieces(asked, pieces);
    const std::size_t places = std::min(asked, back);
    check_pieces(pieces, reinterpret_cast<std::uintptr_t>(column.data() + kCount) / page * page,
                 (reinterpret_cast<std::uintptr_t>(column.data() + kCount + places) + page - 1) / page * page);
  }
  // Rooms the block (16 times the list) cannot hold: a new block with both, the elements kept.
  column.make_room_around(8 * kCount, 8 * kCount, [](const std::uint32_t* from, std::size_t n, std::uint32_t* to) {
    std::copy(from, from + n, to);
  });
  CHECK(block_of(column) != block);
  CHECK(unchanged());
  CHECK(column.room_in_front() >= 8 * kCount);
  CHECK(room_behind() >= 8 * kCount);
  // The list grown into its room behind keeps that room's places (nothing released behind it).
  const std::size_t before = room_behind();
  column.start_earlier_keeping_room_behind(0, kCount + 100);
  CHECK(room_behind() == before - 100);
}

// The block of eight times the list is address space; where a process may have little of it
// (`ulimit -v`, a batch system's h_vmem), the column takes the block with room to double instead
// of failing. A child process limited to 96 MB more than it holds: a list of 16 MB needs 128 MB
// for the larger block, 32 MB for the smaller. (Not under AddressSanitizer, whose shadow memory
// needs more address space than any such limit leaves.)
TEST_CASE("TieColumn: with little address space, the block with room to double", "[model]") {
#if defined(__SANITIZE_ADDRESS__)
  WARN("skipped under AddressSanitizer");
#else
  constexpr std::size_t kCount = std::size_t{1} << 22;  // 16 MB of numbers
  TieColumn<std::uint32_t> column;
  column.resize(kCount);
  for (std::size_t e = 0; e < kCount; ++e) column[e] = static_cast<std::uint32_t>(e);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    long pages = 0;
    if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
      std::fclose(statm);
    }
    if (pages == 0) _exit(2);
    const rlimit limit{static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + (96u << 20),
                       RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(3);
    try {
      column.make_room_in_front(1000);
    } catch (...) {
      _exit(4);  // no block at all
    }
    const std::size_t block = column.capacity() + column.room_in_front();
    if (block != 2 * kCount) _exit(5);  // not the block with room to double
    for (std::size_t e = 0; e < kCount; ++e)
      if (column[e] != e) _exit(6);
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // 4: no block, 5: another block than room to double, 6: values lost
  // Without the limit, the larger block.
  column.make_room_in_front(1000);
  CHECK(column.capacity() + column.room_in_front() == 8 * (kCount + 1000));
#endif
}
