// Every Catch2 case becomes its own CTest test through catch_discover_tests, which passes the case
// names around as CMake lists. In a CMake list a ';' separates elements and an unbalanced '[' or
// ']' opens or closes a bracket group inside which ';' does not: one such name glued the names of
// the 120 cases after it into a single CTest test that matched no case (caught by --warn NoTests,
// tests/CMakeLists.txt). This names the culprit at once.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

// Whether `name` survives as one element of a CMake list: no ';', and every '[' closed by a ']'
// after it.
bool safe_in_cmake_list(const std::string& name) {
  int depth = 0;
  for (const char c : name) {
    if (c == ';') return false;
    if (c == '[') ++depth;
    if (c == ']' && --depth < 0) return false;
  }
  return depth == 0;
}

}  // namespace

TEST_CASE("test names: every case's name is one element of a CMake list (no semicolon, brackets balanced)",
          "[tools]") {
  CHECK(safe_in_cmake_list("a case: values in [0, 1]"));
  CHECK_FALSE(safe_in_cmake_list("a case over (0, 1]"));
  CHECK_FALSE(safe_in_cmake_list("a case; another"));
  CHECK_FALSE(safe_in_cmake_list("a case [open"));
  std::vector<std::string> unsafe;
  for (const Catch::TestCase& test : Catch::getRegistryHub().getTestCaseRegistry().getAllTests())
    if (!safe_in_cmake_list(test.name)) unsafe.push_back(test.name);
  INFO("cases whose names break CTest's list of tests: " << Catch::Detail::stringify(unsafe));
  CHECK(unsafe.empty());
}
