// The one list of what a run measures. A new measure is one entry here: its name (the dataset
// name in the files and the key users write in `record = [...]`), units, long_name, scope and
// compute function (in the family file network.cpp, firms.cpp or milestones.cpp), and where the
// files record it without being asked. The order of the list is the order of the files' datasets.
#include <stdexcept>

#include "sim/measures/families.hpp"

namespace policysim {

std::string_view name_of(MeasureScope scope) {
  switch (scope) {
    case MeasureScope::World: return "world";
    case MeasureScope::Agent: return "agent";
    case MeasureScope::Pair: return "pair";
    case MeasureScope::FirmGroup: return "firm group";
  }
  return "?";
}

std::string_view name_of(YearSummary summary) {
  switch (summary) {
    case YearSummary::Mean: return "mean";
    case YearSummary::Count: return "count";
    case YearSummary::YearEnd: return "year_end";
  }
  return "?";
}

std::optional<bool> Measure::is_directed() const {
  if (tie_layer) return info(*tie_layer).directed;
  return directed;
}

std::size_t Measure::value_count(const Scenario& scenario) const {
  const std::size_t n = scenario.agent_count();
  switch (scope) {
    case MeasureScope::World: return 1;
    case MeasureScope::Agent: return n;
    case MeasureScope::Pair: return n * n;
    case MeasureScope::FirmGroup: return scenario.firms.populations.size();
  }
  return 0;
}

std::vector<double> Measure::values(const MeasureContext& context) const {
  std::vector<double> out(value_count(context.scenario), 0.0);
  compute(context, out);
  return out;
}

double Measure::at(const MeasureContext& context, std::size_t agent, std::size_t partner) const {
  if (scope != MeasureScope::Pair) throw std::invalid_argument("measure " + name + " is not a pair measure");
  return values(context).at(agent * context.scenario.agent_count() + partner);
}

void at_pairs_of_interest(const Scenario& scenario, std::span<const double> values, std::span<double> out) {
  const std::size_t agents = scenario.agent_count();
  for (std::size_t p = 0; p < scenario.pairs_of_interest.size(); ++p) {
    const AgentPair& pair = scenario.pairs_of_interest[p];
    out[p] = values[pair.a * agents + pair.b];
  }
}

std::string Measure::pairs_description() const {
  return pairs_long_name.empty() ? long_name + ", from agent to partner of each pair of interest" : pairs_long_name;
}

bool Measure::applies_to(const Scenario& scenario) const {
  switch (needs) {
    case MeasureNeeds::Nothing: return true;
    case MeasureNeeds::Firms: return scenario.firms.enabled();
    case MeasureNeeds::FirmTrade: return scenario.firms.enabled() && scenario.firms.trade.enabled();
  }
  return false;
}

namespace {

using namespace measures;
namespace r = recorded;

// The three measures of a government layer: density, mean strength of the present ties, and the
// tie itself (at the pairs of interest in /metrics, whole in /ties).
void add_layer_measures(std::vector<Measure>& all, Layer layer) {
  const std::string name(name_of(layer));
  const std::string units(info(layer).units);
  all.push_back({.name = name + "_density",
                 .units = "1",
                 .long_name = "share of ordered pairs (agent != partner) whose " + name +
                              " tie exceeds the presence threshold",
                 .scope = MeasureScope::World,
                 .source = "docs/model.md, Layers ([layers." + name + "] presence_threshold)",
                 .presence_threshold_of = layer,
                 .recorded_by_default = r::kRunFile | r::kSweep,
                 .compute = [layer](const MeasureContext& c, std::span<double> out) { layer_density(layer, c, out); }});
  all.push_back({.name = name + "_mean_strength",
                 .units = units,
                 .long_name = "mean " + name + " tie over the present ties (0 when none)",
                 .scope = MeasureScope::World,
                 .source = "docs/model.md, Layers",
                 .recorded_by_default = r::kRunFile | r::kSweep,
                 .compute = [layer](const MeasureContext& c, std::span<double> out) {
                   layer_mean_strength(layer, c, out);
                 }});
  all.push_back({.name = name,
                 .units = units,
                 .long_name = std::string(info(layer).long_name),
                 .scope = MeasureScope::Pair,
                 .source = "docs/model.md, Layers",
                 .tie_layer = layer,
                 .pairs_long_name = name + " tie from agent to partner of each pair of interest",
                 .recorded_by_default = r::kRunFile | r::kRunPairs | r::kSweep | r::kSweepTies,
                 .compute = [layer](const MeasureContext& c, std::span<double> out) { layer_ties(layer, c, out); }});
}

std::vector<Measure> build_catalogue() {
  std::vector<Measure> all;
  for (Layer layer : kAllLayers) add_layer_measures(all, layer);

  constexpr std::string_view kFirmSource = "docs/model.md, Firms and B2B ties";
  const auto firm = [&](Measure measure) {
    if (measure.source.empty()) measure.source = kFirmSource;
    all.push_back(std::move(measure));
  };
  // The B2B cooperation network (recorded by sweeps and run files of scenarios with firms).
  firm({.name = "b2b_cooperation_ties",
        .units = "ties",
        .long_name = "number of B2B cooperation ties",
        .needs = MeasureNeeds::Firms,
        .recorded_by_default = r::kRunFile | r::kSweep,
        .per_year = YearSummary::YearEnd,
        .compute = b2b_cooperation_tie_count});
  firm({.name = "b2b_cooperation_mean_weight",
        .units = "1",
        .long_name = "mean weight of the B2B cooperation ties",
        .needs = MeasureNeeds::Firms,
        .recorded_by_default = r::kRunFile | r::kSweep,
        .compute = b2b_cooperation_mean_weight});
  firm({.name = "b2b_cooperation_mean_degree",
        .units = "ties per firm",
        .long_name = "mean number of B2B cooperation ties per firm (2 ties / firms)",
        .needs = MeasureNeeds::Firms,
        .recorded_by_default = r::kSweep,
        .compute = b2b_cooperation_mean_degree});
  firm({.name = "b2b_cooperation",
        .units = "ties",
        .long_name = "number of B2B cooperation ties between firms of agent and partner (diagonal: within the country)",
        .scope = MeasureScope::Pair,
        .needs = MeasureNeeds::Firms,
        .directed = false,  // a cooperation tie joins two firms both ways
        .pairs_long_name = "number of B2B cooperation ties between the firms of agent and partner of each pair of "
                           "interest (a run's /ties/b2b_cooperation[:, agent, partner])",
        .recorded_by_default = r::kRunFile | r::kSweep | r::kSweepTies,
        .per_year = YearSummary::YearEnd,
        .compute = b2b_cooperation_by_country});
  // B2B trade (recorded by run files of scenarios with [firms.trade]).
  firm({.name = "b2b_trade_flows",
        .units = "flows",
        .long_name = "number of B2B trade flows",
        .needs = MeasureNeeds::FirmTrade,
        .recorded_by_default = r::kRunFile,
        .per_year = YearSummary::YearEnd,
        .compute = b2b_trade_flow_count});
  firm({.name = "b2b_trade_value",
        .units = "US$ millions per year",
        .long_name = "total value of the B2B trade flows",
        .needs = MeasureNeeds::FirmTrade,
        .recorded_by_default = r::kRunFile,
        .compute = b2b_trade_total_value});
  firm({.name = "b2b_trade",
        .units = "US$ millions per year",
        .long_name = "firm part of the exports from agent to partner: the sum of the B2B trade flows (the trade layer "
                     "is this plus a non-firm part)",
        .scope = MeasureScope::Pair,
        .needs = MeasureNeeds::FirmTrade,
        .directed = true,  // flows from seller to buyer: agent's exports to partner
        .recorded_by_default = r::kRunFile,
        .compute = b2b_trade_by_country});
  // Country-level views of the firm layer that calibration compares with the sources.
  firm({.name = "b2b_networked_firms",
        .units = "firms",
        .long_name = "number of active firms of agent with at least one B2B cooperation partner in partner "
                     "(0 on the diagonal)",
        .scope = MeasureScope::Pair,
        .needs = MeasureNeeds::Firms,
        .source = "000: JIIN's \"companies networked\" (docs/model.md, Calibration)",
        .per_year = YearSummary::YearEnd,
        .compute = b2b_networked_firm_count});
  firm({.name = "b2b_networked_share",
        .units = "1",
        .long_name = "share of the active firms of agent and partner with a B2B cooperation partner in the other "
                     "country, symmetric (read by the effect b2b_ties)",
        .scope = MeasureScope::Pair,
        .needs = MeasureNeeds::Firms,
        .source = "000: JIIN's \"companies networked\" (docs/model.md, Effects: b2b_ties)",
        .compute = b2b_networked_firm_share});
  firm({.name = "b2b_cyber_service_ties",
        .units = "ties",
        .long_name = "B2B cooperation ties of agent's firms outside cyber security with cyber security firms of partner",
        .scope = MeasureScope::Pair,
        .needs = MeasureNeeds::Firms,
        .source = "002: Japanese companies \"prefer to farm out their cybersecurity to specialized companies\"",
        .per_year = YearSummary::YearEnd,
        .compute = b2b_cyber_service_ties});
  firm({.name = "active_firms",
        .units = "firms",
        .long_name = "number of the agent's firms still trading under their own name (not bought)",
        .scope = MeasureScope::Agent,
        .needs = MeasureNeeds::Firms,
        .per_year = YearSummary::YearEnd,
        .compute = active_firms_by_country});
  firm({.name = "population_active_firms",
        .units = "firms",
        .long_name = "number of the firm population's firms still trading under their own name (not bought)",
        .scope = MeasureScope::FirmGroup,
        .needs = MeasureNeeds::Firms,
        .per_year = YearSummary::YearEnd,
        .compute = active_firms_by_population});

  // Milestones of the step that led to the state (0 in the initial world).
  constexpr std::string_view kMilestoneSource = "docs/model.md, Milestones";
  all.push_back({.name = "dialogues_held",
                 .units = "dialogues",
                 .long_name = "dialogues held by agent and partner in the quarter before (mutual: counted at both "
                              "agent-partner and partner-agent)",
                 .scope = MeasureScope::Pair,
                 .source = std::string(kMilestoneSource),
                 .per_year = YearSummary::Count,
                 .compute = [](const MeasureContext& c, std::span<double> out) {
                   milestones_by_pair(MilestoneKind::DialogueHeld, c, out);
                 }});
  all.push_back({.name = "mous_signed",
                 .units = "MOUs",
                 .long_name = "MOUs signed by agent and partner in the quarter before (mutual: counted at both "
                              "agent-partner and partner-agent)",
                 .scope = MeasureScope::Pair,
                 .source = std::string(kMilestoneSource),
                 .per_year = YearSummary::Count,
                 .compute = [](const MeasureContext& c, std::span<double> out) {
                   milestones_by_pair(MilestoneKind::MouSigned, c, out);
                 }});
  return all;
}

}  // namespace

const std::vector<Measure>& measure_catalogue() {
  static const std::vector<Measure> all = build_catalogue();
  return all;
}

const Measure* find_measure(std::string_view name) {
  for (const Measure& entry : measure_catalogue())
    if (entry.name == name) return &entry;
  return nullptr;
}

const Measure& measure(std::string_view name) {
  if (const Measure* found = find_measure(name)) return *found;
  throw std::invalid_argument("unknown measure \"" + std::string(name) + "\"");
}

std::vector<std::string> measure_names() {
  std::vector<std::string> names;
  for (const Measure& entry : measure_catalogue()) names.push_back(entry.name);
  return names;
}

}  // namespace policysim
