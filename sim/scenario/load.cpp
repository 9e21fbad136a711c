#include "sim/scenario/load.hpp"

#include <algorithm>
#include <sstream>

#include "sim/scenario/build.hpp"
#include "sim/scenario/document.hpp"
#include "sim/scenario/overwrites.hpp"

namespace policysim {
namespace {

// 0.008 rather than 0.0080000000000000002.
constexpr auto kFormat = toml::toml_formatter::default_flags | toml::format_flags::relaxed_float_precision;

// At most this many problems are printed: a file of 200,000 unknown keys would otherwise print
// 200,000 lines (and take seconds to).
constexpr std::size_t kMaxIssuesShown = 100;

std::string join_lines(const std::vector<ScenarioIssue>& issues) {
  std::string text;
  // Appended piece by piece: g++ 12 at -O2 warns falsely (-Wrestrict, PR 105651) on
  // `const char* + std::string&&`.
  for (std::size_t i = 0; i < issues.size() && i < kMaxIssuesShown; ++i) {
    if (!text.empty()) text += '\n';
    text += issues[i].format();
  }
  if (issues.size() > kMaxIssuesShown) {
    text += "\nerror: ";
    text += std::to_string(issues.size() - kMaxIssuesShown);
    text += " more problems (the first ";
    text += std::to_string(kMaxIssuesShown);
    text += " are shown)";
  }
  return text;
}

std::string as_toml(const toml::node& node) {
  std::ostringstream out;
  node.visit([&](const auto& concrete) { out << toml::toml_formatter{concrete, kFormat}; });
  return out.str();
}

}  // namespace

std::string ScenarioIssue::format() const {
  // Appended piece by piece: g++ 12 at -O2 warns falsely (-Wrestrict, PR 105651) on
  // `const char* + std::string&&`.
  std::string text = warning ? "warning: " : "error: ";
  text += file;
  if (line > 0) {
    text += ':';
    text += std::to_string(line);
  }
  text += ": ";
  if (!key.empty()) text += key + ": ";
  return text + message;
}

ScenarioError::ScenarioError(std::vector<ScenarioIssue> issues)
    : std::runtime_error(join_lines(issues)), issues_(std::move(issues)) {}

Override parse_override(const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    throw ScenarioError({{"--set", 0, assignment, "expected key.path=value, e.g. --set simulation.steps=8"}});
  return {assignment.substr(0, equals), assignment.substr(equals + 1), "--set"};
}

ScenarioSource read_scenario_source(const std::filesystem::path& file) {
  ScenarioSource source;
  source.file = file.lexically_normal().string();
  std::vector<ScenarioIssue> issues;
  source.document = std::make_shared<const Document>(read_document(file, source.chain, issues));
  if (!issues.empty()) throw ScenarioError(std::move(issues));
  return source;
}

LoadedScenario build_loaded_scenario(const ScenarioSource& source, std::span<const Override> overrides,
                                     std::span<const std::string> ignored_sections) {
  std::vector<ScenarioIssue> issues;
  Document document = *source.document;
  std::erase_if(document, [&](const auto& kv) {
    return std::find(ignored_sections.begin(), ignored_sections.end(), kv.second.path[0]) != ignored_sections.end();
  });
  apply_overrides(document, overrides, issues);

  LoadedScenario loaded;
  loaded.scenario = build_scenario(document, source.file, issues);
  // The builder's warnings (e.g. a policy in a drivers-only scenario) do not stop the load.
  for (const ScenarioIssue& issue : issues)
    if (issue.warning) loaded.warnings.push_back(issue);
  std::erase_if(issues, [](const ScenarioIssue& issue) { return issue.warning; });
  if (!issues.empty()) {
    // In the order a reader meets them: by file (as the chain lists them), then line.
    auto rank = [&](const ScenarioIssue& issue) {
      auto found = std::find(source.chain.begin(), source.chain.end(), issue.file);
      return std::pair{found - source.chain.begin(), issue.line};
    };
    std::stable_sort(issues.begin(), issues.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
    throw ScenarioError(std::move(issues));
  }

  Scenario& scenario = loaded.scenario;
  scenario.file = source.file;
  scenario.chain = source.chain;
  std::ostringstream resolved;
  resolved << "# policysim scenario, resolved from " << scenario.file;
  for (std::size_t i = 1; i < source.chain.size(); ++i) resolved << " <- " << source.chain[i];
  for (const auto& override : overrides) resolved << "\n# " << override.origin << " " << override.key_path << "=" << override.value;
  resolved << "\n" << toml::toml_formatter{to_table(document), kFormat} << "\n";
  scenario.resolved_toml = resolved.str();

  for (const auto& [key, entry] : document) loaded.entries.push_back({key, as_toml(*entry.value), entry.file, entry.line});
  const auto what_if = [&](const DocumentEntry& entry) { return is_what_if_entry(entry, source.chain); };
  for (const Overwrite& overwrite : find_overwrites(document, scenario, what_if))
    loaded.warnings.push_back(overwrite.warning());
  return loaded;
}

LoadedScenario load_scenario(const std::filesystem::path& file, std::span<const Override> overrides) {
  return build_loaded_scenario(read_scenario_source(file), overrides);
}

}  // namespace policysim
