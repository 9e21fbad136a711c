#include "sim/scenario/document.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/description/joined.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/scenario/toml_guard.hpp"

namespace policysim {
namespace {

std::shared_ptr<const toml::node> clone(const toml::node& node) {
  return node.visit([](const auto& concrete) -> std::shared_ptr<const toml::node> {
    return std::make_shared<std::remove_cvref_t<decltype(concrete)>>(concrete);
  });
}

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Keys naming the file's place in an `extends` chain, not scenario values.
constexpr std::string_view kExtendsKey = "extends";
constexpr std::string_view kRemoveEventsKey = "remove_events";
// The most files an `extends` chain may hold (the named file included): the library's deepest
// chain is 3; the limit keeps a chain of thousands of files from taking minutes and the stack.
constexpr std::size_t kMaxExtendsDepth = 64;
// The longest `extends` path accepted (Linux's PATH_MAX).
constexpr std::size_t kMaxPathBytes = 4096;

void flatten(const toml::table& table, std::vector<std::string>& prefix, const std::string& file, Document& out,
             std::vector<ScenarioIssue>& issues) {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (prefix.empty() && (name == kExtendsKey || name == kRemoveEventsKey)) continue;
    prefix.push_back(name);
    if (name.find('.') != std::string::npos) {
      issues.push_back({file, line_of(node), join_path(prefix), "a key may not contain '.'; use nested tables"});
    } else if (const toml::table* child = node.as_table(); child != nullptr && !child->empty()) {
      flatten(*child, prefix, file, out, issues);
    } else {
      DocumentEntry entry{prefix, clone(node), file, line_of(node)};
      out.insert_or_assign(entry.key(), std::move(entry));
    }
    prefix.pop_back();
  }
}

// toml++ reports a string without its closing quote as a control character (the line's end) or
// the file's end inside a string; say what that usually means.
std::string parse_hint(std::string_view description) {
  const bool in_string = description.find("parsing string") != std::string_view::npos ||
                         description.find("parsing literal string") != std::string_view::npos;
  const bool ran_on = description.find("control characters") != std::string_view::npos ||
                      description.find("end-of-file") != std::string_view::npos;
  if (!in_string || !ran_on) return "";
  return " (hint: a string needs its closing quote on the same line, e.g. leader = \"Abe\")";
}

std::string display(const std::filesystem::path& path) { return path.lexically_normal().string(); }

// One file of an `extends` chain, parsed, with the line of its `extends` key.
struct ChainLink {
  std::filesystem::path file;
  toml::table table;
};

// The document of `chain_links`, the first extending the second and so on: applied from the last
// (the root) to the first, each file's `remove_events` first, then its values over the inherited.
Document merge_chain(std::vector<ChainLink>& links, std::vector<ScenarioIssue>& issues) {
  Document document;
  for (auto link = links.rbegin(); link != links.rend(); ++link) {
    const toml::table& table = link->table;
    const std::string file = display(link->file);
    if (const toml::node* removals = table.get(kRemoveEventsKey)) {
      const toml::array* names = removals->as_array();
      if (names == nullptr) {
        issues.push_back({file, line_of(*removals), "remove_events", "expected an array of event names"});
      } else {
        std::vector<std::string> inherited_events;
        for (const auto& [key, entry] : document)
          if (entry.path.size() > 1 && entry.path[0] == "events" &&
              std::find(inherited_events.begin(), inherited_events.end(), entry.path[1]) == inherited_events.end())
            inherited_events.push_back(entry.path[1]);
        for (const toml::node& item : *names) {
          const auto* name = item.as_string();
          if (name == nullptr) {
            issues.push_back({file, line_of(item), "remove_events", "expected event names (strings)"});
            continue;
          }
          const std::string prefix = "events." + name->get() + ".";
          const auto erased = std::erase_if(document, [&](const auto& kv) { return kv.first.starts_with(prefix); });
          if (erased == 0)
            issues.push_back({file, line_of(item), "remove_events",
                              "no inherited event named \"" + name->get() + "\"" +
                                  suggestion_hint(name->get(), inherited_events)});
        }
      }
    }
    std::vector<std::string> prefix;
    flatten(table, prefix, file, document, issues);
  }
  return document;
}

// Reads `file` and the files it extends, one after the other (no recursion: a chain thousands of
// files long must not exhaust the stack), at most kMaxExtendsDepth of them.
Document read_chain(const std::filesystem::path& top, std::vector<std::string>& chain,
                    std::vector<ScenarioIssue>& issues) {
  std::vector<ChainLink> links;
  std::vector<std::filesystem::path> visiting;
  std::filesystem::path file = top;
  for (;;) {
    chain.push_back(display(file));
    std::error_code error;
    std::filesystem::path canonical = std::filesystem::weakly_canonical(file, error);
    if (error) canonical = file.lexically_normal();
    visiting.push_back(canonical);
    std::optional<toml::table> parsed = parse_toml_file(file, "file", issues);
    if (!parsed) break;
    links.push_back({file, std::move(*parsed)});
    const toml::node* extends = links.back().table.get(kExtendsKey);
    if (extends == nullptr) break;
    const int line = line_of(*extends);
    if (!extends->is_string()) {
      issues.push_back({display(file), line, "extends", "expected the path of a scenario file, as a string"});
      break;
    }
    const std::string& named = extends->as_string()->get();
    if (links.size() >= kMaxExtendsDepth) {
      issues.push_back({display(file), line, "extends",
                        "the chain of extended files is longer than " + std::to_string(kMaxExtendsDepth) +
                            " files (the most a scenario may extend)"});
      break;
    }
    if (named.empty() || named.size() > kMaxPathBytes || named.find('\0') != std::string::npos) {
      issues.push_back({display(file), line, "extends",
                        "expected the path of a scenario file (1 to " + std::to_string(kMaxPathBytes) +
                            " bytes), got " + std::to_string(named.size()) + " bytes"});
      break;
    }
    const std::filesystem::path parent = file.parent_path() / named;
    std::filesystem::path canonical_parent = std::filesystem::weakly_canonical(parent, error);
    if (error) {
      issues.push_back({display(file), line, "extends",
                        "cannot read the parent scenario \"" + display(parent) + "\": " + error.message()});
      break;
    }
    if (std::find(visiting.begin(), visiting.end(), canonical_parent) != visiting.end()) {
      std::string cycle;
      for (const auto& step : visiting) cycle += display(step.filename()) + " -> ";
      issues.push_back({display(file), line, "extends", "extends cycle: " + cycle + display(canonical_parent.filename())});
      break;
    }
    const auto status = std::filesystem::status(parent, error);
    if (error && error != std::errc::no_such_file_or_directory) {
      issues.push_back({display(file), line, "extends",
                        "cannot read the parent scenario \"" + display(parent) + "\": " + error.message()});
      break;
    }
    if (!std::filesystem::exists(status)) {
      issues.push_back({display(file), line, "extends", "parent scenario \"" + display(parent) + "\" does not exist"});
      break;
    }
    if (!std::filesystem::is_regular_file(status)) {
      issues.push_back({display(file), line, "extends",
                        "parent scenario \"" + display(parent) + "\" is " +
                            (std::filesystem::is_directory(status) ? "a folder" : "not a regular file")});
      break;
    }
    file = parent;
  }
  return merge_chain(links, issues);
}

}  // namespace

std::optional<toml::table> parse_toml_file(const std::filesystem::path& file, std::string_view what,
                                           std::vector<ScenarioIssue>& issues) {
  const std::string shown = file.lexically_normal().string();
  auto refuse = [&](int line, std::string message) {
    issues.push_back({shown, line, "", std::move(message)});
    return std::nullopt;
  };
  // Only a regular file of bounded size: a folder, a FIFO (which would block) or /dev/zero (which
  // never ends) is refused before anything is read.
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (error && error != std::errc::no_such_file_or_directory)
    return refuse(0, "cannot read the " + std::string(what) + ": " + error.message());
  if (!std::filesystem::exists(status)) return refuse(0, "cannot read the " + std::string(what) + " (it does not exist)");
  if (std::filesystem::is_directory(status))
    return refuse(0, "is a folder; expected a " + std::string(what == "file" ? "scenario file" : what) + " (TOML)");
  if (!std::filesystem::is_regular_file(status))
    return refuse(0, "is not a regular file; expected a " + std::string(what == "file" ? "scenario file" : what) +
                         " (TOML)");
  const auto size = std::filesystem::file_size(file, error);
  if (error) return refuse(0, "cannot read the " + std::string(what) + ": " + error.message());
  if (size > kMaxTomlFileBytes)
    return refuse(0, "the " + std::string(what) + " is " + std::to_string(size) + " bytes; at most " +
                         std::to_string(kMaxTomlFileBytes) + " bytes are read");
  std::ifstream in(file, std::ios::binary);
  if (!in) return refuse(0, "cannot read the " + std::string(what) + ": " + std::strerror(errno));
  std::string text;
  text.resize(static_cast<std::size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size))
    return refuse(0, "cannot read the " + std::string(what) + ": it changed while being read");
  if (const auto excess = find_excess_depth(text))
    return refuse(excess->line, "keys, tables or arrays nested " + std::to_string(excess->depth) +
                                    " levels deep; at most " + std::to_string(kMaxTomlDepth));
  try {
    return toml::parse(text, shown);
  } catch (const toml::parse_error& parse_error) {
    return refuse(static_cast<int>(parse_error.source().begin.line),
                  "not valid TOML: " + std::string(parse_error.description()) + parse_hint(parse_error.description()));
  }
}

std::string join_path(std::span<const std::string> path) { return joined(path, "."); }

std::string DocumentEntry::key() const { return join_path(path); }

Document read_document(const std::filesystem::path& file, std::vector<std::string>& chain,
                       std::vector<ScenarioIssue>& issues) {
  return read_chain(file, chain, issues);
}

void apply_overrides(Document& document, std::span<const Override> overrides, std::vector<ScenarioIssue>& issues) {
  for (const Override& override : overrides) {
    std::vector<std::string> path;
    std::stringstream parts(override.key_path);
    for (std::string part; std::getline(parts, part, '.');) path.push_back(part);
    if (path.empty() || std::any_of(path.begin(), path.end(), [](const auto& p) { return p.empty(); })) {
      issues.push_back({override.origin, 0, override.key_path, "expected a key path such as simulation.steps"});
      continue;
    }
    // A value that reads as TOML (number, boolean, array, quoted string) is taken as such;
    // anything else is a plain string, so --set events.x.period=2019Q1 needs no quotes.
    // The value is one TOML value on one line: a newline or another control character could
    // smuggle in more TOML (a table header after the value), which would be dropped silently.
    if (std::any_of(override.value.begin(), override.value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; })) {
      issues.push_back({override.origin, 0, override.key_path,
                        "a value must be one line without control characters (one TOML value)"});
      continue;
    }
    const std::string text = "value = " + override.value;
    if (const auto excess = find_excess_depth(text)) {
      issues.push_back({override.origin, 0, override.key_path,
                        "the value nests " + std::to_string(excess->depth) + " levels deep; at most " +
                            std::to_string(kMaxTomlDepth)});
      continue;
    }
    std::shared_ptr<const toml::node> value;
    try {
      const toml::table parsed = toml::parse(text, std::string_view(override.origin));
      if (parsed.size() != 1 || parsed.get("value") == nullptr) {
        issues.push_back({override.origin, 0, override.key_path, "expected one TOML value, got more"});
        continue;
      }
      value = clone(*parsed.get("value"));
    } catch (const toml::parse_error&) {
      value = std::make_shared<toml::value<std::string>>(override.value);
    }
    const std::string key = join_path(path);
    // Setting a whole table would hide its keys: refuse, and say which keys exist.
    const bool is_table = std::any_of(document.begin(), document.end(),
                                      [&](const auto& kv) { return kv.first.starts_with(key + "."); });
    if (is_table) {
      issues.push_back({override.origin, 0, key, "is a table; set one of its keys, e.g. " + key + ".<name>=..."});
      continue;
    }
    document.insert_or_assign(key, DocumentEntry{path, value, override.origin, 0});
  }
}

toml::table to_table(const Document& document) {
  toml::table root;
  // Not a structured binding: the lambda below captures `entry`, which clang before 16 refuses for a
  // binding (the fuzz build, scripts/fuzz.sh, uses Debian's clang 14).
  for (const auto& keyed_entry : document) {
    const DocumentEntry& entry = keyed_entry.second;
    toml::table* table = &root;
    for (std::size_t i = 0; i + 1 < entry.path.size(); ++i) {
      auto [it, inserted] = table->insert(entry.path[i], toml::table{});
      table = it->second.as_table();
      if (table == nullptr) break;  // a scalar and a table under one name: reported by validation
    }
    if (table != nullptr)
      entry.value->visit([&](const auto& concrete) { table->insert_or_assign(entry.path.back(), concrete); });
  }
  return root;
}

}  // namespace policysim
