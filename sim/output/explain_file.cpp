#include "sim/output/explain_file.hpp"

#include <cstdint>
#include <string_view>

#include "sim/description/pair_label.hpp"
#include "sim/dynamics/effects/effect.hpp"
#include "sim/output/hdf5_handle.hpp"
#include "sim/output/hdf5_write.hpp"
#include "sim/output/schema.hpp"

namespace policysim {
namespace {

using namespace hdf5_write;
using schema::Column;

// The layout of /explain (docs/explain.md): the `time` axis (one row per step: the quarter it
// simulates) and the `effect` axis (the layer's terms), each a dimension scale.
constexpr Column kTime{"time", "year", "start of the quarter the step simulates, as a decimal year (2014Q3 -> 2014.5)"};
constexpr Column kStep{"step", "1", "the step (0 = the first quarter simulated)"};
constexpr Column kEffect{"effect", "", "effect of the layer's utility (policysim describe lists them)"};
constexpr Column kContribution{"contribution", "1", "coefficient x statistic: what the effect added to the utility"};
constexpr Column kStatistic{"statistic", "1", "the effect's statistic x_k(i, j) on the world at the start of the phase"};
constexpr Column kCoefficient{"coefficient", "1", "the effect's coefficient beta_k in the scenario"};
constexpr Column kUtility{"utility", "1", "U_ij = sum of the contributions, as the step used it"};
constexpr Column kTieBefore{"tie_before", "", "the tie at the start of the phase"};
constexpr Column kTieAfter{"tie_after", "", "the tie the phase wrote (trade: before the firm flows of b2b_trade)"};
constexpr Column kTieEnd{"tie_end", "", "the tie at the end of the step (row t+1 of the run file's /ties)"};
constexpr Column kShock{"shock", "", "noise_sd x eps_ij, the step's shock (0 without noise)"};
constexpr Column kDrift{"drift", "1", "trade: the equilibrium's drift over the quarter from the totals' trend (0 otherwise)"};
constexpr Column kUtilityUsed{"utility_used", "1", "1 when the update used the utility (0: trade with adjustment_rate 0)"};
constexpr Column kEventCount{"event_count", "1", "events applied in the step (rows of /explain/event_log)"};
constexpr Column kEventsText{"events", "", "the step's events as \"kind: detail\", separated by \"; \""};
constexpr Column kEvent{"event", "1", "position of the event in the log of applied events"};
constexpr Column kEventStep{"event_step", "1", "the step in which the event was applied"};

constexpr std::string_view kRule[] = {
    "dialogue: tie_after = clamp(tie_before + adjustment_rate * (logistic(utility) - tie_before) + shock, 0, 1)",
    "cooperation: tie_after = clamp(tie_before + adjustment_rate * (logistic(utility) - tie_before) + shock, 0, 1)",
    "trade: g = drift + adjustment_rate * (utility - log(max(tie_before, 0.001))) + shock; the non-firm part of "
    "the flow grows by exp(g), then b2b_trade adds the firm flows"};

void write(hid_t file, const Scenario& scenario, const RunProvenance& provenance, const Explanation& x) {
  const hid_t root = file;
  const std::string& agent = scenario.governments.at(x.agent).code;
  const std::string& partner = scenario.governments.at(x.partner).code;
  const LayerDynamics& dynamics = scenario.layer_dynamics[index_of(x.layer)];
  set_text_attribute(root, "title", "policysim explain");
  set_text_attribute(root, schema::root::kVersion, provenance.program_version);
  set_number_attribute(root, schema::root::kSeed, H5T_STD_U64LE, H5T_NATIVE_UINT64, scenario.simulation.seed);
  set_text_attribute(root, schema::root::kScenarioFile, scenario.file);
  set_text_attribute(root, schema::root::kCommandLine, provenance.command_line);
  set_text_attribute(root, schema::root::kStartPeriod, scenario.simulation.start.label());
  set_number_attribute(root, schema::root::kSteps, H5T_STD_I32LE, H5T_NATIVE_INT, scenario.simulation.steps);

  const hdf5::Group group = create_group(file, "explain");
  const hid_t g = group.get();
  set_text_attribute(g, "layer", name_of(x.layer));
  set_text_attribute(g, "pair", pair_label(agent, partner));
  set_text_attribute(g, "agent", agent);
  set_text_attribute(g, "partner", partner);
  set_text_attribute(g, "tie_units", info(x.layer).units);
  set_number_attribute(g, "adjustment_rate", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dynamics.adjustment_rate);
  set_number_attribute(g, "noise_sd", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dynamics.noise_sd);
  set_text_attribute(g, "update_rule", kRule[index_of(x.layer)]);
  set_text_attribute(g, "direction", info(x.layer).directed
                                         ? "exports from agent to partner"
                                         : "mutual: the pair in the scenario's agent order, as the dynamics update it");
  set_text_attribute(g, "time_convention",
                     "row t is step t, which simulates the quarter in period_label: the events dated then are "
                     "applied, then the layer's phase computes the utility on that world and moves the tie");

  const std::size_t steps = x.records.size();
  const std::vector<std::string> names = explained_effect_names(scenario, x.layer);
  const std::size_t effects = names.size();
  std::vector<double> times, utility, before, after, end, shock, drift;
  std::vector<std::int64_t> step_index, used, event_count;
  std::vector<std::string> labels, events_text;
  std::vector<double> contribution(steps * effects, 0.0), statistic(steps * effects, 0.0), coefficient(effects, 0.0);
  for (std::size_t k = 0; k < effects; ++k) coefficient[k] = scenario.effects[index_of(x.layer)][k].coefficient;
  for (std::size_t t = 0; t < steps; ++t) {
    const UtilityRecord& r = x.records[t];
    times.push_back(r.period.decimal_year());
    labels.push_back(r.period.label());
    step_index.push_back(r.step);
    utility.push_back(r.utility);
    before.push_back(r.tie_before);
    after.push_back(r.tie_after);
    end.push_back(t < x.tie_end.size() ? x.tie_end[t] : r.tie_after);
    shock.push_back(r.shock);
    drift.push_back(r.drift);
    used.push_back(r.utility_used ? 1 : 0);
    for (std::size_t k = 0; k < r.terms.size() && k < effects; ++k) {
      contribution[t * effects + k] = r.terms[k].contribution();
      statistic[t * effects + k] = r.terms[k].statistic;
    }
    std::string text;
    static const std::vector<AppliedEvent> kNone;
    const std::vector<AppliedEvent>& applied = t < x.events.size() ? x.events[t] : kNone;
    for (const AppliedEvent& event : applied) text += (text.empty() ? "" : "; ") + event.kind + ": " + event.detail;
    events_text.push_back(text);
    event_count.push_back(static_cast<std::int64_t>(applied.size()));
  }

  const hdf5::Dataset time = create_fixed(g, kTime, H5T_IEEE_F64LE, {steps}, H5T_NATIVE_DOUBLE, times.data());
  make_scale(time.get(), kTime.name);
  const hdf5::Dataset effect = create_text_scale(g, kEffect, names);
  const auto along_time = [&](hdf5::Dataset dataset) { attach(dataset.get(), time.get(), 0); };
  along_time(create_text(g, schema::kPeriodLabel, labels));
  along_time(create_fixed(g, kStep, H5T_STD_I64LE, {steps}, H5T_NATIVE_INT64, step_index.data()));
  for (const auto& [column, values] : {std::pair{kContribution, &contribution}, std::pair{kStatistic, &statistic}}) {
    const hdf5::Dataset dataset =
        create_fixed(g, column, H5T_IEEE_F64LE, {steps, effects}, H5T_NATIVE_DOUBLE, values->data());
    attach(dataset.get(), time.get(), 0);
    attach(dataset.get(), effect.get(), 1);
  }
  attach(create_fixed(g, kCoefficient, H5T_IEEE_F64LE, {effects}, H5T_NATIVE_DOUBLE, coefficient.data()).get(),
         effect.get(), 0);
  along_time(create_fixed(g, kUtility, H5T_IEEE_F64LE, {steps}, H5T_NATIVE_DOUBLE, utility.data()));
  const std::string tie_long_name = std::string(name_of(x.layer)) + ": ";
  for (const auto& [column, values] : {std::pair{kTieBefore, &before}, std::pair{kTieAfter, &after},
                                       std::pair{kTieEnd, &end}}) {
    along_time(create_fixed(g, column.name, info(x.layer).units, tie_long_name + std::string(column.long_name),
                            H5T_IEEE_F64LE, {steps}, H5T_NATIVE_DOUBLE, values->data()));
  }
  const std::string_view shock_units = x.layer == Layer::Trade ? "1" : info(x.layer).units;
  along_time(create_fixed(g, kShock.name, shock_units,
                          x.layer == Layer::Trade ? "noise_sd x eps_ij, the shock to the log growth" : kShock.long_name,
                          H5T_IEEE_F64LE, {steps}, H5T_NATIVE_DOUBLE, shock.data()));
  along_time(create_fixed(g, kDrift, H5T_IEEE_F64LE, {steps}, H5T_NATIVE_DOUBLE, drift.data()));
  along_time(create_fixed(g, kUtilityUsed, H5T_STD_I8LE, {steps}, H5T_NATIVE_INT64, used.data()));
  along_time(create_fixed(g, kEventCount, H5T_STD_I64LE, {steps}, H5T_NATIVE_INT64, event_count.data()));
  along_time(create_text(g, kEventsText, events_text));

  // /explain/event_log: the events of the run, as in the run file's /events, with the step of each.
  const hdf5::Group log = create_group(g, "event_log");
  std::vector<std::int64_t> positions, event_steps;
  std::vector<double> event_times;
  std::vector<std::string> event_labels, event_names, kinds, details;
  for (std::size_t t = 0; t < x.events.size(); ++t)
    for (const AppliedEvent& e : x.events[t]) {
      positions.push_back(static_cast<std::int64_t>(positions.size()));
      event_steps.push_back(static_cast<std::int64_t>(t < steps ? x.records[t].step : static_cast<int>(t)));
      event_times.push_back(e.period.decimal_year());
      event_labels.push_back(e.period.label());
      event_names.push_back(e.name);
      kinds.push_back(e.kind);
      details.push_back(e.detail);
    }
  const std::size_t rows = positions.size();
  const hdf5::Dataset event = create_fixed(log.get(), kEvent, H5T_STD_I64LE, {rows}, H5T_NATIVE_INT64, positions.data());
  make_scale(event.get(), kEvent.name);
  const auto along_events = [&](hdf5::Dataset dataset) { attach(dataset.get(), event.get(), 0); };
  along_events(create_fixed(log.get(), kEventStep, H5T_STD_I64LE, {rows}, H5T_NATIVE_INT64, event_steps.data()));
  along_events(create_text(log.get(), schema::events::kPeriodLabel, event_labels));
  along_events(create_fixed(log.get(), schema::events::kEventTime, H5T_IEEE_F64LE, {rows}, H5T_NATIVE_DOUBLE,
                            event_times.data()));
  along_events(create_text(log.get(), schema::events::kName, event_names));
  along_events(create_text(log.get(), schema::events::kKind, kinds));
  along_events(create_text(log.get(), schema::events::kDetail, details));
}

}  // namespace

std::vector<std::string> explained_effect_names(const Scenario& scenario, Layer layer) {
  std::vector<std::string> names;
  for (const EffectTerm& term : scenario.effects[index_of(layer)]) names.emplace_back(spec_of(term).name);
  return names;
}

void write_explain_file(const std::filesystem::path& target, const Scenario& scenario,
                        const RunProvenance& provenance, const Explanation& explanation, bool overwrite) {
  const FiniteOnly finite;
  write_whole_file(target, overwrite, [&](hid_t file) { write(file, scenario, provenance, explanation); });
}

}  // namespace policysim
