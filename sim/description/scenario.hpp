#pragma once
// The frozen description of one experiment: what a validated scenario file becomes.
// Built once by scenario/load.cpp, then handed to the simulation as const. No TOML here.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/model/calendar.hpp"
#include "sim/model/government.hpp"
#include "sim/model/layers.hpp"
#include "sim/model/leader_affinity.hpp"
#include "sim/model/pair_attributes.hpp"
#include "sim/description/firm_settings.hpp"

namespace policysim {

struct SimulationSettings {
  Period start;
  int steps = 0;            // quarters simulated
  std::uint64_t seed = 0;
  // A drivers-only scenario schedules no policy events (sim/dynamics/events/event.hpp, EventRole):
  // the loader warns about each one it finds. scenarios/baseline.toml says true; history.toml,
  // which adds the policies that happened, says false.
  bool drivers_only = false;
};

// How a layer's ties move each quarter (see docs/model.md, "Tie dynamics").
struct LayerDynamics {
  double adjustment_rate = 0.0;     // dialogue, cooperation: share of the gap to the target closed per quarter
  double noise_sd = 0.0;            // sd of the quarterly shock (log scale for trade)
  double presence_threshold = 0.0;  // a tie counts as present (density) above this value
};

// One term of a layer's utility: coefficient * statistic (as an RSiena effect with its parameter).
// The description names catalogue entries by index, so that it does not depend on the dynamics
// that define them (the loader resolves names; the dynamics look the entry up).
struct EffectTerm {
  std::size_t effect = 0;  // index into effect_catalogue() (sim/dynamics/effects/effect.hpp)
  double coefficient = 0.0;
};

using EventValue = std::variant<double, std::string, std::vector<std::string>>;
using EventParams = std::map<std::string, EventValue, std::less<>>;

struct EventInstance {
  std::string name;  // the key under [events], e.g. "abe_exit"
  std::size_t kind = 0;  // index into event_catalogue() (sim/dynamics/events/event.hpp); an alias resolved
  Period period;
  // The parameters of its kind, by name (for an alias, renamed to those of the kind it stands for).
  EventParams params;

  bool has(std::string_view param) const { return params.find(param) != params.end(); }
  double number(std::string_view param) const;
  const std::string& text(std::string_view param) const;
  const std::vector<std::string>& list(std::string_view param) const;  // agent codes, sectors
};

// When a dialogue counts as held and an MOU as signed (see docs/model.md, "Milestones").
struct MilestoneSettings {
  double dialogue_threshold = 0.0;  // no dialogue is held below this dialogue strength
  double dialogue_rate = 0.0;       // chance per quarter of holding one, per unit of dialogue strength (0: never)
  double mou_step = 0.0;            // cooperation gained since the last MOU that makes a new one (0: never)
  double opportunity_factor = 1.0;  // a business forum multiplies the dialogue chance and divides mou_step by it
};

// The trade world's exogenous inputs (docs/model.md, "Trade"). A country's total exports and
// imports (US$ millions a year) in `totals_year` and their log-linear trend a year: after that year
// the totals follow the trend, an assumption (X_i(t) = X_i * exp(g_i * (t - totals_year))).
// Organisations have no totals: they do not trade, their members do.
struct TradeTotals {
  double exports = 0.0;  // 0: not given
  double imports = 0.0;
  double exports_growth = 0.0;  // log change a year
  double imports_growth = 0.0;
};

struct TradeWorld {
  int totals_year = 2009;
  std::vector<TradeTotals> totals;  // by agent (empty: none given)
  TieMatrix distance_km;            // [agent x partner] between capitals, symmetric; empty or 0: not given

  // Years from the middle of totals_year to the middle of the quarter (2010Q1 -> 0.625 for 2009):
  // an annual total is the flow of its whole year, a quarter's flow sits at the quarter's middle.
  double years_since_totals(Period period) const { return period.decimal_year() + 0.125 - (totals_year + 0.5); }
  // log X_i(t), log M_i(t) (US$ millions a year); 0 when not given (the loader refuses a scenario
  // whose trade effects need a missing total).
  double log_exports(std::size_t agent, Period period) const;
  double log_imports(std::size_t agent, Period period) const;
  // log of the distance in km; 0 when not given (the loader refuses it where the distance effect needs it).
  double log_distance(std::size_t a, std::size_t b) const;
};

struct AgentPair {
  std::size_t a = 0;
  std::size_t b = 0;
  std::string label;  // "JPN-ISR"
};

struct Scenario {
  // Provenance.
  std::string file;                 // the file named on the command line
  std::vector<std::string> chain;   // that file, then the files it extends, in order
  std::string resolved_toml;        // the merged, overridden scenario as TOML text

  SimulationSettings simulation;
  std::vector<Government> governments;  // sorted by code
  LeaderAffinity leader_affinity;
  LayerTies initial_ties;               // [agent x partner] per layer
  std::array<LayerDynamics, kLayerCount> layer_dynamics;
  std::array<std::vector<EffectTerm>, kLayerCount> effects;
  double threat_persistence = 1.0;      // share of cyber threat left after a quarter
  // [agent x partner] per pair attribute; empty matrices mean "all at their defaults".
  PairAttributeValues pair_attributes;
  MilestoneSettings milestones;
  // Quarters of noise-free, event-free dialogue and cooperation dynamics run before step 0, so the
  // initial ties sit at the equilibrium of the starting drivers (0: the initial ties as given).
  int spin_up_quarters = 0;
  std::vector<EventInstance> events;    // by period, then name
  std::vector<AgentPair> pairs_of_interest;
  FirmSettings firms;                   // no populations: a government-only world
  int firm_ties_every = 0;              // [output]: B2B edge-list snapshot every k steps (0: only the last)
  TradeWorld trade;                     // [trade]: totals and distances for the trade gravity

  std::size_t agent_count() const { return governments.size(); }
  bool is_organisation(std::size_t agent) const { return governments[agent].kind == AgentKind::Organisation; }
  std::optional<std::size_t> agent_index(std::string_view code) const;
  // The start of the quarter after the last one simulated (the last row of the output).
  Period end() const { return simulation.start.plus_quarters(simulation.steps); }
  Period last_simulated() const { return simulation.start.plus_quarters(simulation.steps - 1); }
};

}  // namespace policysim
