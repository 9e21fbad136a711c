#pragma once
// What a run measures, in one catalogue (as Mesa's model reporters and FLAME GPU's logging
// config): each measure has a name, units, a long name, a scope and a function that computes its
// values from the state of a run. The run file, the sweep file, the run summary, `compare` and
// calibration all read measures from here by name, and `policysim describe` prints the list, so
// a new measure is one entry in catalogue.cpp (and the files record it where asked).
//
// Measures read the model and the dynamics' outputs (milestones); they never write the world,
// draw random numbers or know about files.
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/dynamics/step.hpp"
#include "sim/model/layers.hpp"
#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

// What one value of a measure is about, and so how many values it has in a state:
// World: 1; Agent: one per government ([agent]); Pair: one per ordered pair of governments,
// [agent, partner] in C order (row-major), the diagonal included; FirmGroup: one per firm
// population of the scenario (Scenario::firms.populations order).
enum class MeasureScope { World, Agent, Pair, FirmGroup };
std::string_view name_of(MeasureScope scope);  // "world", "agent", "pair", "firm group"

// What a measure needs of the scenario to mean anything.
enum class MeasureNeeds {
  Nothing,
  Firms,      // firm populations ([firms.populations]); without them the value is 0
  FirmTrade,  // B2B trade ([firms.trade]); without it the value is 0
};

// The state a measure reads: the world at one row of the time axis (the initial world, or the
// world after a step), and the milestones of the step that led to it (none for the initial world).
struct MeasureContext {
  const Scenario& scenario;
  const World& world;
  std::span<const Milestone> milestones = {};
};

// Where the files record a measure without being asked (the layouts of docs/output.md and
// docs/sweeps.md); bits of Measure::recorded_by_default.
namespace recorded {
// Run file: a World measure as /metrics/<name> [time]; a Pair measure as /ties/<name> [time, agent, partner].
inline constexpr unsigned kRunFile = 1u << 0;
// Run file: a Pair measure at the pairs of interest, /metrics/<name>_pairs [time, pair].
inline constexpr unsigned kRunPairs = 1u << 1;
// Sweep file (record = "metrics" or "ties"): a World measure as /metrics/<name> [run, time], a Pair
// measure at the pairs of interest as /metrics/<name>_pairs [run, time, pair]; both with statistics.
inline constexpr unsigned kSweep = 1u << 2;
// Sweep file, record = "ties": a Pair measure's snapshots in /ties/<name> [run, snapshot, agent, partner].
inline constexpr unsigned kSweepTies = 1u << 3;
}  // namespace recorded

// How one simulated year of a measure is summarised (calibrate's per-year tables, `score`'s observed
// series): the mean of the four end-of-quarter states (a level: tie strengths, trade flows, shares),
// the sum over the four quarters (events counted in the quarter before: dialogues held, MOUs signed),
// or the state at the end of the year (a stock that is counted: firms networked, ties).
enum class YearSummary { Mean, Count, YearEnd };
std::string_view name_of(YearSummary summary);  // "mean", "count", "year_end"

struct Measure {
  std::string name{};       // "dialogue_density": the dataset name in the files, the key users write
  std::string units{};      // "1" for dimensionless numbers
  std::string long_name{};  // what it is, one line (the `long_name` attribute)
  MeasureScope scope = MeasureScope::World;
  MeasureNeeds needs = MeasureNeeds::Nothing;
  std::string source{};  // where the quantity comes from (a file of shared/domain, or docs/model.md)
  // A density: the files record the layer's presence_threshold beside it (attribute presence_threshold).
  std::optional<Layer> presence_threshold_of{};
  // A Pair measure that is a tie layer itself: the files record whether it is directed (attribute directed).
  std::optional<Layer> tie_layer{};
  // Another Pair measure between agents (the B2B aggregates): whether [agent, partner] differs from
  // [partner, agent]; recorded as the attribute directed, as for the layers.
  std::optional<bool> directed{};
  // A Pair measure at the pairs of interest (<name>_pairs): its long_name; empty: derived from long_name.
  std::string pairs_long_name{};
  unsigned recorded_by_default = 0;  // recorded::k... bits
  YearSummary per_year = YearSummary::Mean;  // how a year of it is summarised
  // Writes the measure's values of `context` into `out` (value_count of them, see MeasureScope).
  std::function<void(const MeasureContext& context, std::span<double> out)> compute{};

  // Whether a Pair measure is directed: its layer's direction, or `directed`; nothing for others.
  std::optional<bool> is_directed() const;
  // Values in one state of `scenario`: 1, n, n * n or the number of firm populations.
  std::size_t value_count(const Scenario& scenario) const;
  // The values of one state, as a new vector (value_count(context.scenario) of them).
  std::vector<double> values(const MeasureContext& context) const;
  // A Pair measure's value for (agent, partner), slots of the scenario.
  double at(const MeasureContext& context, std::size_t agent, std::size_t partner) const;
  // The name of its values at the pairs of interest ("dialogue_pairs") and their long_name.
  std::string pairs_name() const { return name + "_pairs"; }
  std::string pairs_description() const;
  bool recorded_in(unsigned where) const { return (recorded_by_default & where) != 0; }
  // Whether the scenario has what the measure needs (firms, B2B trade).
  bool applies_to(const Scenario& scenario) const;
};

// A Pair measure's values of one state (row-major [agent, partner], as compute writes them) at the
// scenario's pairs of interest, in their order: what the files record as <name>_pairs.
void at_pairs_of_interest(const Scenario& scenario, std::span<const double> values, std::span<double> out);

// Every measure, in a fixed order: the order of the files' datasets (and of a sweep's resume check).
const std::vector<Measure>& measure_catalogue();

// The measure called `name`, or nullptr (callers that read user input add a did-you-mean hint
// from measure_names()).
const Measure* find_measure(std::string_view name);
// As find_measure, but throws std::invalid_argument naming the unknown measure (for names in code).
const Measure& measure(std::string_view name);

// The names of every measure, in catalogue order.
std::vector<std::string> measure_names();

}  // namespace policysim
