#pragma once
// Scenario files written from a string in a test: load one, or get the error that refuses it.
#include <catch2/catch.hpp>

#include <string>

#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"

namespace policysim::testing {

inline Scenario load_scenario_text(const std::string& text) {
  ScenarioFolder folder;
  return load_scenario(folder.write("s.toml", text)).scenario;
}

// The error message of a scenario that must be refused; fails the test if it loads.
inline std::string scenario_refusal(const std::string& text) {
  ScenarioFolder folder;
  try {
    load_scenario(folder.write("s.toml", text));
  } catch (const ScenarioError& error) {
    return error.what();
  }
  FAIL("loaded, but should have been refused");
  return "";
}

}  // namespace policysim::testing
