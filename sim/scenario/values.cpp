#include "sim/scenario/values.hpp"

#include <cmath>
#include <sstream>

namespace policysim::values {
namespace {

std::string format(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

std::string describe(const toml::node& node) {
  std::ostringstream out;
  switch (node.type()) {
    case toml::node_type::string: out << "the string \"" << node.as_string()->get() << "\""; break;
    case toml::node_type::array: out << "an array"; break;
    case toml::node_type::table: out << "a table"; break;
    case toml::node_type::boolean: out << "the boolean " << (node.as_boolean()->get() ? "true" : "false"); break;
    case toml::node_type::integer: out << "the whole number " << node.as_integer()->get(); break;
    case toml::node_type::floating_point: out << "the number " << node.as_floating_point()->get(); break;
    default: out << "a date or time"; break;
  }
  return out.str();
}

void report(const DocumentEntry& entry, std::string message, std::vector<ScenarioIssue>& issues) {
  issues.push_back({entry.file, entry.line, entry.key(), std::move(message)});
}

std::optional<double> number(const DocumentEntry& entry, double low, double high, std::vector<ScenarioIssue>& issues) {
  const auto& node = *entry.value;
  std::optional<double> value;
  if (node.is_integer()) value = static_cast<double>(node.as_integer()->get());
  if (node.is_floating_point()) value = node.as_floating_point()->get();
  std::string range = "a number";
  if (low > -kInfinity && high < kInfinity) range = "a number in [" + format(low) + ", " + format(high) + "]";
  else if (low > -kInfinity) range = "a number >= " + format(low);
  if (!value || !std::isfinite(*value)) {
    report(entry, "expected " + range + ", got " + describe(node), issues);
    return std::nullopt;
  }
  if (*value < low || *value > high) {
    report(entry, "expected " + range + ", got " + format(*value), issues);
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> integer(const DocumentEntry& entry, std::int64_t low, std::int64_t high,
                                    std::string_view expected, std::vector<ScenarioIssue>& issues) {
  const auto* value = entry.value->as_integer();
  if (value == nullptr || value->get() < low || value->get() > high) {
    report(entry, "expected " + std::string(expected) + ", got " + describe(*entry.value), issues);
    return std::nullopt;
  }
  return value->get();
}

std::optional<std::string> text(const DocumentEntry& entry, std::string_view expected, std::vector<ScenarioIssue>& issues) {
  const auto* value = entry.value->as_string();
  if (value == nullptr) {
    report(entry, "expected " + std::string(expected) + ", got " + describe(*entry.value), issues);
    return std::nullopt;
  }
  return value->get();
}

std::optional<bool> boolean(const DocumentEntry& entry, std::vector<ScenarioIssue>& issues) {
  const auto* value = entry.value->as_boolean();
  if (value == nullptr) {
    report(entry, "expected true or false, got " + describe(*entry.value), issues);
    return std::nullopt;
  }
  return value->get();
}

}  // namespace policysim::values
