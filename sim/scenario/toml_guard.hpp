#pragma once
// Limits checked on TOML text before toml++ parses it. toml++ and the loader's flattening recurse
// once per level of a dotted key or table header (`a.b.c...`), so a hostile file 50,000 levels
// deep overflows the stack; a cheap linear scan refuses such a file first (docs/reliability.md).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace policysim {

// Deepest nesting of keys, tables, arrays and inline tables a scenario or targets file may have.
// Real files need at most 6 (`[firms.populations.JPN.size]`-like keys inside an inline table).
inline constexpr std::size_t kMaxTomlDepth = 64;
// Largest scenario (or targets, or extended) file read: the baseline is about 40 KB.
inline constexpr std::uintmax_t kMaxTomlFileBytes = 16u << 20;

struct TomlDepthExcess {
  int line = 0;           // 1-based line where the nesting first passes the limit
  std::size_t depth = 0;  // the depth reached there
};

// The first place where `text` nests keys/tables/arrays deeper than `limit`, or nothing.
// Works on any bytes (it does not validate TOML: toml++ does that afterwards).
std::optional<TomlDepthExcess> find_excess_depth(std::string_view text, std::size_t limit = kMaxTomlDepth);

}  // namespace policysim
