#pragma once
// A scenario document: every leaf value of a scenario file (and the files it extends, and the
// --set overrides), flattened to its key path and remembering the file and line it came from.
// Merging flat documents is then a plain overlay, and every later error can name its origin.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "sim/scenario/load.hpp"

namespace policysim {

struct DocumentEntry {
  std::vector<std::string> path;  // {"events", "abe_exit", "period"}
  std::shared_ptr<const toml::node> value;  // a value, an array, or an empty table (all leaves)
  std::string file;
  int line = 0;

  std::string key() const;  // "events.abe_exit.period"
  // An empty table such as [governments.KOR]: it declares its key and holds no value.
  bool is_empty_table() const { return value->is_table(); }
};

// Keyed by the joined key path; sorted, so iteration order does not depend on file order.
using Document = std::map<std::string, DocumentEntry>;

std::string join_path(std::span<const std::string> path);

// Parses one TOML file (a scenario, a targets file). On failure appends one issue -- the file does
// not exist, or the parser's message at its line -- and returns nothing; `what` names the file in
// the message ("file", "targets file").
std::optional<toml::table> parse_toml_file(const std::filesystem::path& file, std::string_view what,
                                           std::vector<ScenarioIssue>& issues);

// Reads `file` and the chain of files it extends (relative paths, resolved from the extending
// file's folder); `chain` receives the files, the named one first. Appends problems to `issues`.
Document read_document(const std::filesystem::path& file, std::vector<std::string>& chain,
                       std::vector<ScenarioIssue>& issues);

// Applies --set overrides on top of the document.
void apply_overrides(Document& document, std::span<const Override> overrides, std::vector<ScenarioIssue>& issues);

// The document as a nested TOML table (for provenance and `show`).
toml::table to_table(const Document& document);

}  // namespace policysim
