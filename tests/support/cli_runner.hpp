#pragma once
// Runs the policysim command line from a test, as a user would: its exit status and what it
// printed (stdout and stderr together).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace policysim::testing {

struct CliResult {
  int status = -1;     // exit status; -1 when killed by a signal
  std::string output;  // stdout and stderr together
};

inline CliResult policysim_cli(const std::string& arguments) {
  const std::string command = std::string(POLICYSIM_BINARY) + " " + arguments + " 2>&1";
  CliResult result;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (std::size_t read = fread(buffer.data(), 1, buffer.size(), pipe)) result.output.append(buffer.data(), read);
  const int raw = pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

// policysim_cli with environment variables set for the call only (each restored after it, to its
// value before or unset).
inline CliResult policysim_cli_with(std::initializer_list<std::pair<const char*, const char*>> environment,
                                    const std::string& arguments) {
  std::vector<std::pair<const char*, std::optional<std::string>>> before;
  for (const auto& [name, value] : environment) {
    const char* const old = std::getenv(name);
    before.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
    ::setenv(name, value, 1);
  }
  CliResult result = policysim_cli(arguments);
  for (const auto& [name, old] : before) {
    if (old) ::setenv(name, old->c_str(), 1);
    else ::unsetenv(name);
  }
  return result;
}

// A path in single quotes for the shell.
inline std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

}  // namespace policysim::testing
