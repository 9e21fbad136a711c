#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <sys/mman.h>

#include "sim/model/huge_pages.hpp"
#include "sim/model/resize_for_overwrite.hpp"

using namespace policysim;

namespace {

constexpr std::uintptr_t kTwoMiB = std::uintptr_t{2} << 20;

// The mapping of this process that holds `address` (/proc/self/smaps): its bounds, and whether it
// is advised huge pages (VmFlags "hg", set by madvise(MADV_HUGEPAGE)).
struct Mapping {
  bool found = false;
  std::uintptr_t start = 0, end = 0;
  bool huge_advised = false;
};
Mapping mapping_of(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  Mapping current;
  std::string line;
  while (std::getline(smaps, line)) {
    if (line.rfind("VmFlags:", 0) == 0) {
      if (current.found && current.start <= at && at < current.end) {
        current.huge_advised = (line + " ").find(" hg ") != std::string::npos;
        return current;
      }
      continue;
    }
    std::istringstream header(line);
    std::uintptr_t start = 0, end = 0;
    char dash = 0;
    if (header >> std::hex >> start >> dash >> end && dash == '-') current = Mapping{true, start, end, false};
  }
  return Mapping{};
}

const void* first_whole_huge_page(const void* data) {
  return reinterpret_cast<const void*>((reinterpret_cast<std::uintptr_t>(data) + kTwoMiB - 1) / kTwoMiB * kTwoMiB);
}

}  // namespace

// The advice covers the whole 2 MiB pages inside the array and nothing around it (the memory
// there may be another array's), and arrays below the threshold get none.
TEST_CASE("advise_huge_pages: the whole 2 MiB pages inside the array, nothing outside it", "[model]") {
  constexpr std::size_t kRegion = std::size_t{16} << 20;
  void* const region = mmap(nullptr, kRegion, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(region != MAP_FAILED);
  const char* const base = static_cast<const char*>(region);
  // An array that starts and ends inside 2 MiB pages, two 2 MiB pages or more from the region's ends.
  const auto aligned_base = reinterpret_cast<std::uintptr_t>(first_whole_huge_page(base));
  const char* const data = reinterpret_cast<const char*>(aligned_base + kTwoMiB + 12288);
  const std::size_t bytes = (std::size_t{9} << 20) + 4096;
  // (Addresses compared as numbers: Catch would print a char pointer as a string.)
  REQUIRE(reinterpret_cast<std::uintptr_t>(data + bytes) + kTwoMiB <= reinterpret_cast<std::uintptr_t>(base + kRegion));

  CHECK_FALSE(advise_huge_pages(data, kHugePageBytes - 1));  // too small: no advice
  CHECK_FALSE(mapping_of(data).huge_advised);
  if (!advise_huge_pages(data, bytes)) {
    WARN("madvise(MADV_HUGEPAGE) is not supported here: nothing to check");
    munmap(region, kRegion);
    return;
  }
  const Mapping inside = mapping_of(first_whole_huge_page(data));
  REQUIRE(inside.found);
  CHECK(inside.huge_advised);
  CHECK(inside.start >= reinterpret_cast<std::uintptr_t>(data));
  CHECK(inside.end <= reinterpret_cast<std::uintptr_t>(data + bytes));
  // The array starts 2 MiB + 12 KiB into an aligned run and ends 9 MiB + 4 KiB later: three whole ones.
  CHECK(inside.end - inside.start == 3 * kTwoMiB);
  CHECK_FALSE(mapping_of(data).huge_advised);              // the array's head, in a page it shares
  CHECK_FALSE(mapping_of(data + bytes).huge_advised);      // beyond its end
  CHECK_FALSE(mapping_of(data - kTwoMiB).huge_advised);    // before it
  munmap(region, kRegion);
}

// The vectors of the B2B layer: LargeVector (the firms' rows, the network's index) and Column (the
// tie list's columns, through DefaultInitAllocator) have their large blocks advised as they are
// allocated, before anything is written.
TEST_CASE("HugePageAllocator: large LargeVector and Column blocks advised huge pages", "[model]") {
  void* const probe = mmap(nullptr, std::size_t{8} << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(probe != MAP_FAILED);
  const bool supported = advise_huge_pages(probe, std::size_t{8} << 20);
  munmap(probe, std::size_t{8} << 20);
  if (!supported) {
    WARN("madvise(MADV_HUGEPAGE) is not supported here: nothing to check");
    return;
  }
  LargeVector<double> rows(std::size_t{2} << 20, 1.0);  // 16 MiB
  const Mapping of_rows = mapping_of(first_whole_huge_page(rows.data()));
  CHECK(of_rows.huge_advised);
  CHECK(of_rows.start >= reinterpret_cast<std::uintptr_t>(rows.data()));
  CHECK(of_rows.end <= reinterpret_cast<std::uintptr_t>(rows.data() + rows.size()));
  CHECK(rows.back() == 1.0);  // an ordinary vector otherwise

  Column<std::uint32_t> column;
  column.resize(std::size_t{3} << 20);  // 12 MiB, left unwritten
  CHECK(mapping_of(first_whole_huge_page(column.data())).huge_advised);
}

// The whole pages inside a range, by address: the first page boundary at or after its start, the
// last at or before its end; none where the range holds no whole page.
TEST_CASE("whole_pages_within: the page boundaries inside the range, never outside it", "[model]") {
  const auto at = [](std::uintptr_t address) { return reinterpret_cast<const void*>(address); };
  constexpr std::size_t kPage = 4096;
  const WholePages inside = whole_pages_within(at(3 * kPage + 100), 5 * kPage, kPage);
  CHECK(inside.first == 4 * kPage);
  CHECK(inside.last == 8 * kPage);  // the range ends at 8 pages + 100
  CHECK(inside.bytes() == 4 * kPage);
  const WholePages aligned = whole_pages_within(at(2 * kPage), 3 * kPage, kPage);
  CHECK(aligned.first == 2 * kPage);
  CHECK(aligned.last == 5 * kPage);
  const WholePages none = whole_pages_within(at(kPage + 1), kPage, kPage);  // inside pages 1 and 2 only
  CHECK_FALSE(none.any());
  CHECK(none.bytes() == 0);
  const WholePages huge = whole_pages_within(at(kTwoMiB - 1), 2 * kTwoMiB + 1, kHugePageBytes);
  CHECK(huge.first == kTwoMiB);
  CHECK(huge.last == 3 * kTwoMiB);
}

// The setting's words: four turn the advice off, four leave it on, anything else is no setting (the
// command line refuses it, tests/cli/cli_test.cpp).
TEST_CASE("huge_pages_setting: the words that turn the advice off or on, and nothing else", "[model]") {
  for (const char* off : {"0", "off", "no", "false"}) {
    INFO(off);
    CHECK(huge_pages_setting(off) == std::optional<bool>(false));
  }
  for (const char* on : {"1", "on", "yes", "true"}) {
    INFO(on);
    CHECK(huge_pages_setting(on) == std::optional<bool>(true));
  }
  for (const char* typo : {"offf", "OFF", " 0", "2", "disabled"}) {
    INFO(typo);
    CHECK_FALSE(huge_pages_setting(typo).has_value());
  }
}

// POLICYSIM_HUGE_PAGES=0 (or off, no, false) turns the advice off; unset, empty or anything else leaves it on.
TEST_CASE("advise_huge_pages: POLICYSIM_HUGE_PAGES=0 turns the advice off", "[model]") {
  constexpr std::size_t kRegion = std::size_t{8} << 20;
  void* const region = mmap(nullptr, kRegion, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(region != MAP_FAILED);
  const char* const before = std::getenv("POLICYSIM_HUGE_PAGES");
  const std::string kept = before != nullptr ? before : "";
  for (const char* off : {"0", "off", "no", "false"}) {
    INFO("POLICYSIM_HUGE_PAGES=" << off);
    REQUIRE(setenv("POLICYSIM_HUGE_PAGES", off, 1) == 0);
    CHECK_FALSE(huge_pages_wanted());
    CHECK_FALSE(advise_huge_pages(region, kRegion));
    CHECK_FALSE(mapping_of(first_whole_huge_page(region)).huge_advised);
  }
  REQUIRE(setenv("POLICYSIM_HUGE_PAGES", "1", 1) == 0);
  CHECK(huge_pages_wanted());
  REQUIRE(setenv("POLICYSIM_HUGE_PAGES", "", 1) == 0);
  CHECK(huge_pages_wanted());
  REQUIRE(unsetenv("POLICYSIM_HUGE_PAGES") == 0);
  CHECK(huge_pages_wanted());
  if (advise_huge_pages(region, kRegion)) CHECK(mapping_of(first_whole_huge_page(region)).huge_advised);
  if (before != nullptr) setenv("POLICYSIM_HUGE_PAGES", kept.c_str(), 1);
  munmap(region, kRegion);
}
