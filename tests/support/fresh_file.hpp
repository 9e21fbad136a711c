#pragma once
// A file path in the tests' scratch folder (POLICYSIM_TEST_TMP/<folder>/<name>), its folder made and
// any file left there by an earlier run removed.
#include <filesystem>
#include <string>

namespace policysim::testing {

inline std::filesystem::path fresh_file(const std::string& folder, const std::string& name) {
  const std::filesystem::path where = std::filesystem::path(POLICYSIM_TEST_TMP) / folder;
  std::filesystem::create_directories(where);
  std::filesystem::remove(where / name);
  return where / name;
}

}  // namespace policysim::testing
