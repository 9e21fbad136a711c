#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/scenario/csv_line.hpp"

using namespace policysim;

namespace {
std::vector<std::string> fields(const std::string& line) {
  const auto split = split_csv_line(line);
  REQUIRE(split.has_value());
  return *split;
}
}  // namespace

TEST_CASE("split_csv_line: quoted fields keep commas and spaces, unquoted ones lose their blanks", "[scenario]") {
  CHECK(fields("a,b,c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(fields("  a , b\t,c \r") == std::vector<std::string>{"a", "b", "c"});
  CHECK(fields("\"x, y\",\" z \"") == std::vector<std::string>{"x, y", " z "});
  CHECK(fields("\"say \"\"hi\"\"\",2") == std::vector<std::string>{"say \"hi\"", "2"});
  CHECK(fields("\"q\"  ,r") == std::vector<std::string>{"q", "r"});
  CHECK(fields("a,,b,") == std::vector<std::string>{"a", "", "b", ""});
  CHECK(fields("") == std::vector<std::string>{""});
  CHECK(fields("\"\"") == std::vector<std::string>{""});
}

TEST_CASE("split_csv_line: an unclosed quote or text after a closing quote is no line", "[scenario]") {
  CHECK_FALSE(split_csv_line("\"open,b").has_value());
  CHECK_FALSE(split_csv_line("a,\"x\"y,b").has_value());
  CHECK_FALSE(split_csv_line("\"x\" y").has_value());
}

TEST_CASE("csv_line_skipped and trim_blanks: blank lines and comments", "[scenario]") {
  CHECK(csv_line_skipped(""));
  CHECK(csv_line_skipped(" \t\r"));
  CHECK(csv_line_skipped("  # a comment, with a comma"));
  CHECK_FALSE(csv_line_skipped("a,#b"));
  CHECK_FALSE(csv_line_skipped(" x"));
  CHECK(trim_blanks(" \tkey \r") == "key");
  CHECK(trim_blanks("   ").empty());
  CHECK(trim_blanks("a b") == "a b");
}
