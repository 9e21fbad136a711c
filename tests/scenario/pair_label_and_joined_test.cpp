#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "sim/description/joined.hpp"
#include "sim/description/pair_label.hpp"

using namespace policysim;

// The texts of sim/description/: pair labels written and read back, lists joined for messages.
TEST_CASE("pair labels read back what pair_label writes, and joined lists", "[scenario]") {
  CHECK(pair_label("JPN", "ISR") == "JPN-ISR");
  const auto ends = split_pair_label(pair_label("USA", "JPN"));
  REQUIRE(ends);
  CHECK(ends->first == "USA");
  CHECK(ends->second == "JPN");
  for (std::string_view bad : {"JPN", "-ISR", "JPN-", "JPN-ISR-USA", ""}) CHECK_FALSE(split_pair_label(bad));

  CHECK(joined(std::vector<std::string>{"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(joined(std::vector<std::string>{"only"}, ", ") == "only");
  CHECK(joined(std::vector<std::string>{}, ", ").empty());
  CHECK(joined(std::vector<std::string_view>{"x", "y"}, "") == "xy");
  CHECK(joined(std::vector<std::string>{"", "b"}, "-") == "-b");  // an empty first part keeps its separator
}
