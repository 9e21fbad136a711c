#pragma once
// Scenario files -> a validated, frozen Scenario.
//   1. read the file and the chain of files it `extends`, merge them (child wins, removed events go);
//   2. apply --set overrides;
//   3. check every key against the schema (unknown keys are errors, with "did you mean");
//   4. build the Scenario. All problems are collected and reported together.
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/description/scenario.hpp"

namespace policysim {

// One problem in the input: where, which key, what was wrong and what would be right.
struct ScenarioIssue {
  std::string file;  // scenario file, or "--set"
  int line = 0;      // 0 when unknown
  std::string key;   // key path, e.g. "events.abe_exit.period"
  std::string message;
  bool warning = false;  // a warning: reported, but the scenario loads
  // "error: scenarios/x.toml:12: events.abe_exit.period: ..." ("warning: ..." for a warning)
  std::string format() const;
};

// Bad input: the CLI prints every issue (one line each) and exits with status 2.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<ScenarioIssue> issues);
  const std::vector<ScenarioIssue>& issues() const { return issues_; }

 private:
  std::vector<ScenarioIssue> issues_;
};

// A --set override: "key.path=value"; the value is read as TOML (number, boolean, array) and
// otherwise taken as a string, so `--set events.abe_exit.period=2019Q1` just works.
struct Override {
  std::string key_path;
  std::string value;
  std::string origin = "--set";  // named in errors and in `show` ("--set", "--seed", "--steps")
};
Override parse_override(const std::string& assignment);  // throws ScenarioError

// A resolved value and where it came from, for `policysim show`.
struct ResolvedEntry {
  std::string key;    // key path
  std::string value;  // as TOML
  std::string file;   // file that set it last (or "--set")
  int line = 0;
};

struct LoadedScenario {
  Scenario scenario;
  std::vector<ResolvedEntry> entries;  // every leaf value, sorted by key path
  // What loads but deserves a word: a value of the what-if that a later event overwrites
  // (sim/scenario/overwrites.hpp). `validate`, `run` and `sweep` print them.
  std::vector<ScenarioIssue> warnings;
};

LoadedScenario load_scenario(const std::filesystem::path& file, std::span<const Override> overrides = {});

// The same in two steps, for callers that build many scenarios from one file (sweeps): read the
// file chain once, then build with different overrides. `ignored_sections` are top-level
// sections the caller handles itself (e.g. "sweep") and that validation must not see.
struct DocumentEntry;
struct ScenarioSource {
  std::string file;
  std::vector<std::string> chain;
  std::shared_ptr<const std::map<std::string, DocumentEntry>> document;  // see document.hpp
};
ScenarioSource read_scenario_source(const std::filesystem::path& file);  // throws ScenarioError
LoadedScenario build_loaded_scenario(const ScenarioSource& source, std::span<const Override> overrides = {},
                                     std::span<const std::string> ignored_sections = {});

}  // namespace policysim
