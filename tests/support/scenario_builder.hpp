#pragma once
// Builds small Scenarios by hand for tests, without a TOML file: the same frozen struct that
// sim/scenario/ would produce, so a test can state every number that goes into a step.
//
//   const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
//       .leader("JPN", "Abe").leader("ISR", "Netanyahu").affinity("Abe", "Netanyahu", 0.9)
//       .attribute("ISR", "china_ties", 0.6)
//       .tie(Layer::Dialogue, "ISR", "JPN", 0.2)
//       .pair_attribute("un_vote_agreement", "ISR", "JPN", 0.38)
//       .dynamics(Layer::Dialogue, {.adjustment_rate = 0.5, .noise_sd = 0.0})
//       .effect(Layer::Dialogue, "density", -1.0)
//       .event("abe_exit", "leadership_change", "2014Q3", {{"country", "JPN"}, {"leader", "Suga"}})
//       .build();
//
// Governments are sorted by code (as Scenario promises); look a slot up with slot_of(scenario, code).
// Unknown codes, effects, event kinds or periods throw std::invalid_argument, so a typo in a test
// fails loudly instead of testing something else.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/model/calendar.hpp"
#include "sim/model/government.hpp"
#include "sim/model/layers.hpp"
#include "sim/description/scenario.hpp"

namespace policysim::testing {

inline Period period_of(const std::string& label) {
  const auto period = parse_period(label);
  if (!period) throw std::invalid_argument("not a period label: " + label);
  return *period;
}

inline std::size_t slot_of(const Scenario& scenario, const std::string& code) {
  const auto index = scenario.agent_index(code);
  if (!index) throw std::invalid_argument("no government " + code + " in the test scenario");
  return *index;
}

class ScenarioBuilder {
 public:
  // n governments with these codes (all countries, attributes at their defaults, no leader),
  // zero initial ties, no effects, dynamics all zero, start 2014Q1, 8 steps, seed 1.
  explicit ScenarioBuilder(std::vector<std::string> codes) {
    std::sort(codes.begin(), codes.end());
    if (std::adjacent_find(codes.begin(), codes.end()) != codes.end())
      throw std::invalid_argument("duplicate government code in the test scenario");
    for (const std::string& code : codes) {
      Government government;
      government.code = code;
      government.name = code;
      government.stable_id = stable_id_of(code);
      scenario_.governments.push_back(std::move(government));
    }
    const auto n = static_cast<Eigen::Index>(codes.size());
    for (TieMatrix& ties : scenario_.initial_ties) ties = TieMatrix::Zero(n, n);
    scenario_.pair_attributes = default_pair_attributes(codes.size());
    scenario_.file = "<test>";
    scenario_.simulation.start = period_of("2014Q1");
    scenario_.simulation.steps = 8;
    scenario_.simulation.seed = 1;
  }

  ScenarioBuilder& start(const std::string& label) { scenario_.simulation.start = period_of(label); return *this; }
  ScenarioBuilder& steps(int count) { scenario_.simulation.steps = count; return *this; }
  ScenarioBuilder& seed(std::uint64_t value) { scenario_.simulation.seed = value; return *this; }
  ScenarioBuilder& threat_persistence(double value) { scenario_.threat_persistence = value; return *this; }

  ScenarioBuilder& leader(const std::string& code, const std::string& name) {
    government(code).leader = name;
    return *this;
  }
  ScenarioBuilder& affinity(const std::string& leader_a, const std::string& leader_b, double value) {
    scenario_.leader_affinity.set(leader_a, leader_b, value);
    return *this;
  }
  // A government attribute of the catalogue, e.g. attribute("ISR", "china_ties", 0.6).
  ScenarioBuilder& attribute(const std::string& code, const std::string& name, double value) {
    const auto which = government_attribute_from_name(name);
    if (!which) throw std::invalid_argument("unknown government attribute " + name);
    government(code).attribute(*which) = value;
    return *this;
  }

  // Initial tie from -> to; on the mutual layers (dialogue, cooperation) both directions are set.
  ScenarioBuilder& tie(Layer layer, const std::string& from, const std::string& to, double value) {
    const auto i = static_cast<Eigen::Index>(slot(from));
    const auto j = static_cast<Eigen::Index>(slot(to));
    scenario_.initial_ties[index_of(layer)](i, j) = value;
    if (!info(layer).directed) scenario_.initial_ties[index_of(layer)](j, i) = value;
    return *this;
  }
  ScenarioBuilder& ties(Layer layer, const TieMatrix& values) {
    if (values.rows() != static_cast<Eigen::Index>(scenario_.agent_count()) || values.cols() != values.rows())
      throw std::invalid_argument("tie matrix of the wrong size for the test scenario");
    scenario_.initial_ties[index_of(layer)] = values;
    return *this;
  }

  // A pair attribute of the catalogue (both directions), e.g. pair_attribute("un_vote_agreement", "JPN", "USA", 0.42).
  ScenarioBuilder& pair_attribute(const std::string& name, const std::string& a, const std::string& b, double value) {
    const auto which = pair_attribute_from_name(name);
    if (!which) throw std::invalid_argument("unknown pair attribute " + name);
    const auto i = static_cast<Eigen::Index>(slot(a));
    const auto j = static_cast<Eigen::Index>(slot(b));
    scenario_.pair_attributes[index_of(*which)](i, j) = value;
    scenario_.pair_attributes[index_of(*which)](j, i) = value;
    return *this;
  }
  // Milestones are off unless set (MilestoneSettings' defaults: rate 0, step 0).
  ScenarioBuilder& milestones(MilestoneSettings value) { scenario_.milestones = value; return *this; }
  ScenarioBuilder& spin_up(int quarters) { scenario_.spin_up_quarters = quarters; return *this; }

  ScenarioBuilder& dynamics(Layer layer, LayerDynamics value) {
    scenario_.layer_dynamics[index_of(layer)] = value;
    return *this;
  }
  // Adds the term coefficient * statistic to the layer's utility; the effect must be allowed there.
  ScenarioBuilder& effect(Layer layer, const std::string& name, double coefficient) {
    const EffectSpec* spec = find_effect(name);
    if (spec == nullptr) throw std::invalid_argument("unknown effect " + name);
    if (!spec->allowed_in(layer))
      throw std::invalid_argument("effect " + name + " is not allowed in layer " + std::string(name_of(layer)));
    scenario_.effects[index_of(layer)].push_back({*effect_index(name), coefficient});
    return *this;
  }

  using Params = std::initializer_list<std::pair<std::string, EventValue>>;
  // An event of the catalogue's `kind` (or of an old name of a kind, with its old parameters) dated
  // `period` ("2014Q3"); every required parameter of the kind must be given.
  ScenarioBuilder& event(const std::string& name, const std::string& kind, const std::string& period, Params params) {
    EventInstance event;
    event.name = name;
    const EventAlias* alias = find_event_alias(kind);
    const auto index = event_kind_index(alias != nullptr ? alias->target : std::string_view(kind));
    if (!index) throw std::invalid_argument("unknown event kind " + kind);
    event.kind = *index;
    event.period = period_of(period);
    for (const auto& [key, value] : params) event.params.emplace(key, value);
    if (alias != nullptr) event.params = with_alias_resolved(*alias, std::move(event.params));
    for (const EventParam& param : spec_of(event).params) {
      const auto found = event.params.find(param.name);
      if (found == event.params.end() && !param.required) continue;
      if (found == event.params.end())
        throw std::invalid_argument("event " + name + " lacks parameter " + std::string(param.name));
      if (param.type == EventParamType::Agent) slot(std::get<std::string>(found->second));
    }
    scenario_.events.push_back(std::move(event));
    return *this;
  }

  ScenarioBuilder& pair(const std::string& a, const std::string& b) {
    scenario_.pairs_of_interest.push_back({slot(a), slot(b), a + "-" + b});
    return *this;
  }

  // The scenario, with its events sorted by period, then name (as the loader leaves them).
  Scenario build() const {
    Scenario result = scenario_;
    std::stable_sort(result.events.begin(), result.events.end(), [](const EventInstance& x, const EventInstance& y) {
      return x.period != y.period ? x.period < y.period : x.name < y.name;
    });
    return result;
  }

 private:
  std::size_t slot(const std::string& code) const { return slot_of(scenario_, code); }
  Government& government(const std::string& code) { return scenario_.governments[slot(code)]; }

  Scenario scenario_;
};

}  // namespace policysim::testing
