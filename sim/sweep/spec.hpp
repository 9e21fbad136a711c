#pragma once
// The [sweep] section of a scenario file: what to vary, how to sample it, how often to repeat
// each point and what to record. docs/sweeps.md describes it for users:
//
//   [sweep]
//   design = "latin_hypercube"     # grid | latin_hypercube | random | morris | saltelli | file
//   samples = 16                   # points (lhs, random), trajectories (morris), base samples (saltelli)
//   replicates = 3                 # runs per design point
//   seed = 1                       # seeds the design and the runs' seeds
//   common_random_numbers = true   # replicate r has the same seed at every point
//   record = "metrics"             # or "ties", with record_ties_every = k, or a list of measure
//                                  # names: record = ["dialogue_density", "dialogue"] (policysim describe)
//
//   [sweep.parameters]             # one entry per swept key path of the scenario
//   governments.ISR.china_ties = { range = [0.1, 0.9] }
//   events.abe_exit.period = { values = ["2019Q1", "2020Q3"] }
//
// Swept keys are TOML dotted keys under [sweep.parameters], so every value keeps its file and
// line for error messages, `extends` merges them and `--set sweep.parameters.<key>.range=[..]`
// reaches them. Parameters are ordered by key path.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/output/sweep_file.hpp"
#include "sim/scenario/document.hpp"

namespace policysim::sweep {

// Limits of a sweep, checked when the [sweep] section is read, before any design point is built
// (docs/reliability.md). Generous: a million runs fit ten times over.
inline constexpr std::size_t kMaxDesignPoints = 10'000'000;  // points of the design
inline constexpr std::size_t kMaxRuns = 10'000'000;          // points x replicates
inline constexpr std::uintmax_t kMaxDesignFileBytes = 128u << 20;  // design = "file": the CSV's size

enum class DesignKind { Grid, LatinHypercube, Random, Morris, Saltelli, File };
enum class ParameterKind { Number, Integer, Boolean, String };

std::string_view name_of(DesignKind design);
std::string_view name_of(ParameterKind kind);
const std::vector<std::string>& design_names();

struct SweepParameter {
  std::string key;  // the scenario key path, e.g. "governments.ISR.china_ties"
  ParameterKind kind = ParameterKind::Number;
  bool has_range = false;
  double low = 0.0;  // a range's ends (whole numbers for an integer parameter)
  double high = 0.0;
  std::vector<SweepValue> values;  // a list of values, when given as such
  std::size_t levels = 0;          // grid levels of a range (0 when not given)
  std::string file;                // where the parameter is declared, for errors
  int line = 0;

  // The value at unit coordinate u in [0, 1]: low + u (high - low) for a number; for whole
  // numbers and lists, the stratum floor(u n) of the n values (the top end u = 1 included).
  SweepValue at_unit(double u) const;
  // The values a grid takes: the list, `levels` evenly spaced numbers from low to high, or
  // every whole number of an integer range.
  std::vector<SweepValue> grid_values() const;
  std::size_t grid_size() const;  // grid_values().size(), without making them
};

struct SweepSpec {
  std::string file;  // the file that holds [sweep] (the first sweep key's file)
  int line = 0;
  DesignKind design = DesignKind::Grid;
  std::size_t samples = 0;
  std::size_t morris_levels = 4;
  std::string points_file;  // design = "file": the CSV, relative to the current folder
  std::string points_file_declared_in;  // where `file` is set, for errors
  int points_file_line = 0;
  std::size_t replicates = 1;
  std::uint64_t seed = 1;
  bool common_random_numbers = true;
  std::size_t record_ties_every = 0;  // 0: metrics only
  // record = [...]: the measures of /metrics by name, in the order given (checked against the
  // catalogue); empty: the default (every measure the catalogue marks recorded::kSweep).
  std::vector<std::string> record_measures;
  std::string record_declared_in;  // where record = [...] is set, for errors
  int record_line = 0;
  // Ordered by key path. A file design without [sweep.parameters] takes the CSV's columns.
  std::vector<SweepParameter> parameters;
  std::string toml;  // the resolved section as TOML (provenance)
};

// Does the document hold a [sweep] section?
bool has_sweep_section(const Document& document);

// Reads the sweep.* entries of `document` (the merged chain, --set applied). The scenario keys
// of the same document say each swept key's kind. Appends problems to `issues`.
SweepSpec read_sweep_spec(const Document& document, const std::string& top_file, std::vector<ScenarioIssue>& issues);

// A value as a TOML literal (what a --set override would say): 0.25, 3, true, "2020Q3".
std::string toml_literal(const SweepValue& value);

}  // namespace policysim::sweep
