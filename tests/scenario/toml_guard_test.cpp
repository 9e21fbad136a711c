// The depth pre-scan that runs before toml++ (sim/scenario/toml_guard.hpp): it finds nesting past
// the limit wherever it is (dotted keys, headers, inline tables, arrays), with its line, and does
// not count what is not structure (dots and brackets in strings, comments, numbers).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "sim/scenario/toml_guard.hpp"

using policysim::find_excess_depth;

namespace {

std::string repeat(const std::string& part, int times, const std::string& separator = "") {
  std::string text;
  for (int i = 0; i < times; ++i) text += (i ? separator : "") + part;
  return text;
}

}  // namespace

TEST_CASE("toml guard: 64 levels pass, 65 are refused, with the line", "[scenario][toml_guard]") {
  CHECK_FALSE(find_excess_depth(repeat("k", 64, ".") + " = 1\n"));
  const auto key = find_excess_depth("a = 1\n\n" + repeat("k", 65, ".") + " = 1\n");
  REQUIRE(key);
  CHECK(key->line == 3);
  CHECK(key->depth == 65);
  CHECK(find_excess_depth("[" + repeat("t", 64, ".") + "]\nx = 1\n"));  // a header 64 deep, a key in it: 65
  CHECK_FALSE(find_excess_depth("[" + repeat("t", 63, ".") + "]\nx = 1\n"));
  const auto header = find_excess_depth("# c\n[" + repeat("t", 70, ".") + "]\n");
  REQUIRE(header);
  CHECK(header->line == 2);
  CHECK(find_excess_depth("a = " + repeat("{b = ", 70) + "1" + repeat("}", 70) + "\n"));
  CHECK(find_excess_depth("a = " + repeat("[", 70) + repeat("]", 70) + "\n"));
  CHECK_FALSE(find_excess_depth("a = " + repeat("[", 10) + repeat("]", 10) + "\n"));
  // A dotted key of digits is a key, not a number.
  CHECK(find_excess_depth(repeat("1", 100, ".") + " = 1\n"));
}

TEST_CASE("toml guard: strings, comments and numbers are not structure", "[scenario][toml_guard]") {
  const std::string dots = repeat("x", 200, ".");
  CHECK_FALSE(find_excess_depth("a = \"" + dots + "\"\n"));
  CHECK_FALSE(find_excess_depth("a = '" + repeat("[", 200) + "'\n"));
  CHECK_FALSE(find_excess_depth("a = \"\"\"\n" + repeat("{", 200) + "\n\"\"\"\nb = 1\n"));
  CHECK_FALSE(find_excess_depth("# " + dots + "\na = 1 # " + repeat("[", 200) + "\n"));
  CHECK_FALSE(find_excess_depth("a = [" + repeat("1.5", 200, ", ") + "]\n"));
  CHECK_FALSE(find_excess_depth("\"" + dots + "\" = 1\n"));  // one quoted key
  // Lines are counted through multi-line strings.
  const auto after = find_excess_depth("a = '''\n\n\n'''\n" + repeat("k", 65, ".") + " = 1\n");
  REQUIRE(after);
  CHECK(after->line == 5);
}

TEST_CASE("toml guard: every scenario file of the library passes", "[scenario][toml_guard]") {
  for (const char* name : {"scenarios/baseline.toml", "scenarios/calibration/targets.toml"}) {
    std::ifstream in(std::string(POLICYSIM_SOURCE_DIR) + "/" + name);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    INFO(name);
    CHECK_FALSE(find_excess_depth(text.str()));
  }
}
