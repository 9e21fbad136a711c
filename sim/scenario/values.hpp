#pragma once
// Typed reading of one scenario value, with the error a student can act on when it is wrong.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/document.hpp"

namespace policysim::values {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

// "the string \"x\"", "an array", "the whole number 3", "the number 0.5", ... for messages
// (scenario and sweep files alike).
std::string describe(const toml::node& node);

// A number (integer or float) in [low, high]; otherwise an issue naming the range.
std::optional<double> number(const DocumentEntry& entry, double low, double high, std::vector<ScenarioIssue>& issues);
// A whole number in [low, high]; `expected` describes it ("a whole number from 1 to 64").
std::optional<std::int64_t> integer(const DocumentEntry& entry, std::int64_t low, std::int64_t high,
                                    std::string_view expected, std::vector<ScenarioIssue>& issues);
std::optional<std::string> text(const DocumentEntry& entry, std::string_view expected, std::vector<ScenarioIssue>& issues);
std::optional<bool> boolean(const DocumentEntry& entry, std::vector<ScenarioIssue>& issues);

void report(const DocumentEntry& entry, std::string message, std::vector<ScenarioIssue>& issues);

}  // namespace policysim::values
