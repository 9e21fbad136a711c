#pragma once
// Reading a calibration-side TOML file (a targets file, an estimation spec) the way the scenario
// loader reads scenarios: every problem collected with file:line, the key path and what was
// expected; a key that is not read is reported as unknown (a typo must not silently drop a value).
#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/load.hpp"
#include "sim/scenario/suggest.hpp"

namespace policysim::calibration {

inline int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Reads one table's keys, remembering which were used so that the rest can be reported as unknown.
class Reader {
 public:
  Reader(const std::string& file, const toml::table& table, std::string path, std::vector<ScenarioIssue>& issues)
      : file_(file), table_(table), path_(std::move(path)), issues_(issues) {}

  const toml::node* get(std::string_view key) {
    used_.insert(std::string(key));
    return table_.get(key);
  }
  std::string key(std::string_view name) const { return path_ + "." + std::string(name); }
  void problem(const toml::node* node, std::string_view name, std::string message) {
    issues_.push_back({file_, node ? line_of(*node) : line_of(table_), name.empty() ? path_ : key(name), std::move(message)});
  }
  void missing(std::string_view name, std::string expected) { problem(nullptr, name, "missing; expected " + std::move(expected)); }

  std::optional<std::string> string(std::string_view name, bool required, const std::string& expected = "a string") {
    const toml::node* node = get(name);
    if (!node) {
      if (required) missing(name, expected);
      return std::nullopt;
    }
    if (auto value = node->value<std::string>(); value && node->is_string()) return *value;
    problem(node, name, "expected " + expected);
    return std::nullopt;
  }
  std::optional<double> number(std::string_view name, bool required, const std::string& expected = "a number") {
    const toml::node* node = get(name);
    if (!node) {
      if (required) missing(name, expected);
      return std::nullopt;
    }
    if (node->is_number()) return node->value<double>();
    problem(node, name, "expected " + expected);
    return std::nullopt;
  }
  std::optional<int> whole(std::string_view name, bool required, const std::string& expected = "a year (a whole number)") {
    const toml::node* node = get(name);
    if (!node) {
      if (required) missing(name, expected);
      return std::nullopt;
    }
    if (node->is_integer()) return static_cast<int>(node->as_integer()->get());
    problem(node, name, "expected " + expected);
    return std::nullopt;
  }
  std::optional<bool> boolean(std::string_view name) {
    const toml::node* node = get(name);
    if (!node) return std::nullopt;
    if (node->is_boolean()) return node->as_boolean()->get();
    problem(node, name, "expected true or false");
    return std::nullopt;
  }
  std::optional<std::vector<int>> years(std::string_view name, bool required) {
    const toml::node* node = get(name);
    const std::string expected = "a list of years, e.g. [2015, 2016]";
    if (!node) {
      if (required) missing(name, expected);
      return std::nullopt;
    }
    const toml::array* array = node->as_array();
    std::vector<int> result;
    if (array && !array->empty())
      for (const toml::node& element : *array) {
        if (!element.is_integer()) break;
        result.push_back(static_cast<int>(element.as_integer()->get()));
      }
    if (!array || array->empty() || result.size() != array->size()) {
      problem(node, name, "expected " + expected);
      return std::nullopt;
    }
    return result;
  }
  // Every key not read is unknown.
  void reject_unknown() {
    std::vector<std::string> known(used_.begin(), used_.end());
    for (const auto& [name, node] : table_) {
      const std::string text(name.str());
      if (!used_.count(text)) problem(&node, text, "unknown key" + suggestion_hint(text, known));
    }
  }

 private:
  const std::string& file_;
  const toml::table& table_;
  std::string path_;
  std::vector<ScenarioIssue>& issues_;
  std::set<std::string> used_;
};

}  // namespace policysim::calibration
