#include "sim/scenario/document.hpp"

#include <algorithm>
#include <sstream>

#include "sim/scenario/suggest.hpp"

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

Document read_chain(const std::filesystem::path& file, std::vector<std::filesystem::path>& visiting,
                    std::vector<std::string>& chain, std::vector<ScenarioIssue>& issues) {
  chain.push_back(display(file));
  std::optional<toml::table> parsed = parse_toml_file(file, "file", issues);
  if (!parsed) return {};
  toml::table table = std::move(*parsed);

  Document document;
  if (const toml::node* extends = table.get(kExtendsKey)) {
    const int line = line_of(*extends);
    if (!extends->is_string()) {
      issues.push_back({display(file), line, "extends", "expected the path of a scenario file, as a string"});
    } else {
      const std::filesystem::path parent = file.parent_path() / extends->as_string()->get();
      const auto canonical_parent = std::filesystem::weakly_canonical(parent);
      std::error_code ignored;
      if (std::find(visiting.begin(), visiting.end(), canonical_parent) != visiting.end()) {
        std::string cycle;
        for (const auto& step : visiting) cycle += display(step.filename()) + " -> ";
        issues.push_back({display(file), line, "extends",
                          "extends cycle: " + cycle + display(canonical_parent.filename())});
      } else if (!std::filesystem::is_regular_file(parent, ignored)) {
        issues.push_back({display(file), line, "extends", "parent scenario \"" + display(parent) + "\" does not exist"});
      } else {
        visiting.push_back(canonical_parent);
        document = read_chain(parent, visiting, chain, issues);
        visiting.pop_back();
      }
    }
  }

  if (const toml::node* removals = table.get(kRemoveEventsKey)) {
    const toml::array* names = removals->as_array();
    if (names == nullptr) {
      issues.push_back({display(file), line_of(*removals), "remove_events", "expected an array of event names"});
    } else {
      std::vector<std::string> inherited_events;
      for (const auto& [key, entry] : document)
        if (entry.path.size() > 1 && entry.path[0] == "events" &&
            std::find(inherited_events.begin(), inherited_events.end(), entry.path[1]) == inherited_events.end())
          inherited_events.push_back(entry.path[1]);
      for (const toml::node& item : *names) {
        const auto* name = item.as_string();
        if (name == nullptr) {
          issues.push_back({display(file), line_of(item), "remove_events", "expected event names (strings)"});
          continue;
        }
        const std::string prefix = "events." + name->get() + ".";
        const auto erased = std::erase_if(document, [&](const auto& kv) { return kv.first.starts_with(prefix); });
        if (erased == 0)
          issues.push_back({display(file), line_of(item), "remove_events",
                            "no inherited event named \"" + name->get() + "\"" +
                                suggestion_hint(name->get(), inherited_events)});
      }
    }
  }

  std::vector<std::string> prefix;
  flatten(table, prefix, display(file), document, issues);
  return document;
}

}  // namespace

std::optional<toml::table> parse_toml_file(const std::filesystem::path& file, std::string_view what,
                                           std::vector<ScenarioIssue>& issues) {
  const std::string shown = file.lexically_normal().string();
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    std::error_code ignored;
    if (!std::filesystem::exists(file, ignored))
      issues.push_back({shown, 0, "", "cannot read the " + std::string(what) + " (it does not exist)"});
    else
      issues.push_back({shown, static_cast<int>(error.source().begin.line), "",
                        "not valid TOML: " + std::string(error.description()) + parse_hint(error.description())});
    return std::nullopt;
  }
}

std::string join_path(std::span<const std::string> path) {
  std::string joined;
  for (const auto& part : path) joined += (joined.empty() ? "" : ".") + part;
  return joined;
}

std::string DocumentEntry::key() const { return join_path(path); }

Document read_document(const std::filesystem::path& file, std::vector<std::string>& chain,
                       std::vector<ScenarioIssue>& issues) {
  std::vector<std::filesystem::path> visiting = {std::filesystem::weakly_canonical(file)};
  return read_chain(file, visiting, chain, issues);
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
    std::shared_ptr<const toml::node> value;
    try {
      const toml::table parsed = toml::parse("value = " + override.value, std::string_view(override.origin));
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
  for (const auto& [key, entry] : document) {
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
