#include "sim/scenario/toml_guard.hpp"

#include <utility>
#include <vector>

namespace policysim {

std::optional<TomlDepthExcess> find_excess_depth(std::string_view text, std::size_t limit) {
  const std::size_t n = text.size();
  int line = 1;
  // Open arrays and inline tables, each with the depth of its elements' container.
  std::vector<std::pair<char, std::size_t>> stack;
  std::size_t header_depth = 0;  // depth of the current [table] header
  std::size_t value_depth = 0;   // depth of the key whose value is being read
  bool expect_key = true;
  std::optional<TomlDepthExcess> found;
  auto reached = [&](std::size_t depth) {
    if (depth > limit && !found) found = TomlDepthExcess{line, depth};
    return found.has_value();
  };
  // Skips a string starting at text[i] (a quote); leaves i on its last character.
  auto skip_string = [&](std::size_t& i) {
    const char quote = text[i];
    const bool triple = i + 2 < n && text[i + 1] == quote && text[i + 2] == quote;
    if (triple) {
      i += 3;
      for (; i < n; ++i) {
        if (text[i] == '\n') ++line;
        if (quote == '"' && text[i] == '\\') {
          if (i + 1 < n && text[i + 1] == '\n') ++line;
          ++i;
          continue;
        }
        if (text[i] == quote && i + 2 < n && text[i + 1] == quote && text[i + 2] == quote) {
          i += 2;
          return;
        }
      }
      i = n - 1;
      return;
    }
    for (++i; i < n && text[i] != '\n'; ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;
        continue;
      }
      if (text[i] == quote) return;
    }
    if (i < n && text[i] == '\n') --i;  // an unterminated string: the newline is read by the caller
  };
  auto element_depth = [&]() {
    if (stack.empty() || stack.back().first == '{') return value_depth;
    return stack.back().second + 1;
  };

  for (std::size_t i = 0; i < n && !found; ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      if (stack.empty()) expect_key = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '#') {
      while (i + 1 < n && text[i + 1] != '\n') ++i;
      continue;
    }
    if (expect_key) {
      if (stack.empty() && c == '[') {  // a [table] or [[array of tables]] header
        std::size_t dots = 0;
        for (++i; i < n && text[i] != ']' && text[i] != '\n'; ++i) {
          if (text[i] == '"' || text[i] == '\'') skip_string(i);
          else if (text[i] == '.') ++dots;
        }
        header_depth = dots + 1;
        reached(header_depth);
        while (i < n && text[i] != '\n') ++i;  // the rest of the header line (']]', a comment)
        --i;
        continue;
      }
      if (c == '}' && !stack.empty() && stack.back().first == '{') {  // an empty inline table
        stack.pop_back();
        expect_key = false;
        continue;
      }
      std::size_t dots = 0;
      for (; i < n && text[i] != '=' && text[i] != '\n'; ++i) {
        if (text[i] == '"' || text[i] == '\'') skip_string(i);
        else if (text[i] == '.') ++dots;
      }
      const std::size_t base = stack.empty() ? header_depth : stack.back().second;
      value_depth = base + dots + 1;
      if (reached(value_depth)) break;
      expect_key = false;
      if (i < n && text[i] == '\n') --i;
      continue;
    }
    switch (c) {
      case '"':
      case '\'': skip_string(i); break;
      case '[':
      case '{': {
        const std::size_t depth = element_depth() + 1;
        stack.emplace_back(c, depth);
        reached(depth);
        if (c == '{') expect_key = true;
        break;
      }
      case ']':
      case '}':
        if (!stack.empty()) stack.pop_back();
        break;
      case ',':
        if (!stack.empty() && stack.back().first == '{') expect_key = true;
        break;
      default: break;
    }
  }
  return found;
}

}  // namespace policysim
