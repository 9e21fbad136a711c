#include "tests/output/tiny_scenario.hpp"

#include <algorithm>

namespace policysim::test {

Scenario tiny_scenario(bool with_pairs) {
  Scenario scenario;
  scenario.file = "scenarios/tiny.toml";
  scenario.chain = {"scenarios/tiny.toml", "scenarios/base.toml"};
  scenario.resolved_toml =
      "# tiny \xe2\x80\x94 three agents\n[simulation]\nstart = \"2014Q3\"\nsteps = 4\nseed = 42\n";
  scenario.simulation.start = Period::from_year_quarter(2014, 3);
  scenario.simulation.steps = 4;
  scenario.simulation.seed = 42;

  const auto government = [](const char* code, const char* name, AgentKind kind, const char* leader,
                             double china_ties, double cyber_threat) {
    Government g;
    g.code = code;
    g.name = name;
    g.kind = kind;
    g.stable_id = stable_id_of(code);
    g.leader = leader;
    g.attribute(GovernmentAttributeId::ChinaTies) = china_ties;
    g.attribute(GovernmentAttributeId::CyberThreat) = cyber_threat;
    g.attribute(GovernmentAttributeId::ChinaRivalry) = kind == AgentKind::Country ? 0.25 : 0.0;
    return g;
  };
  scenario.governments = {
      government("EU", "European Union", AgentKind::Organisation, "", 0.5, 0.25),
      government("ISR", "Israel", AgentKind::Country, "Netanyahu", 0.625, 0.75),
      government("JPN", "Japan", AgentKind::Country, "Abe", 0.125, 0.5),
  };
  scenario.governments[2].attribute(GovernmentAttributeId::Formality) = 0.875;
  scenario.governments[2].attribute(GovernmentAttributeId::ThirdPartyPressure) = 0.75;
  scenario.governments[1].attribute(GovernmentAttributeId::PressureTarget) = 1.0;
  scenario.governments[2].attribute(GovernmentAttributeId::CyberThreatLevel) = 0.375;

  const long n = 3;
  for (Layer layer : kAllLayers) scenario.initial_ties[index_of(layer)] = TieMatrix::Zero(n, n);
  TieMatrix& dialogue = scenario.initial_ties[index_of(Layer::Dialogue)];
  dialogue(1, 2) = dialogue(2, 1) = 0.25;
  dialogue(0, 1) = dialogue(1, 0) = 0.5;
  TieMatrix& cooperation = scenario.initial_ties[index_of(Layer::Cooperation)];
  cooperation(1, 2) = cooperation(2, 1) = 0.125;
  TieMatrix& trade = scenario.initial_ties[index_of(Layer::Trade)];
  trade(1, 2) = 1200.0;  // ISR exports to JPN
  trade(2, 1) = 1800.5;  // JPN exports to ISR
  trade(0, 2) = 70000.0;

  scenario.layer_dynamics[index_of(Layer::Dialogue)].presence_threshold = 0.1;
  scenario.layer_dynamics[index_of(Layer::Cooperation)].presence_threshold = 0.2;
  scenario.layer_dynamics[index_of(Layer::Trade)].presence_threshold = 1.0;
  scenario.pair_attributes = default_pair_attributes(3);
  TieMatrix& votes = scenario.pair_attributes[index_of(PairAttributeId::UnVoteAgreement)];
  votes(1, 2) = votes(2, 1) = 0.375;  // ISR-JPN
  if (with_pairs) {
    scenario.pairs_of_interest = {{2, 1, "JPN-ISR"}, {1, 0, "ISR-EU"}};
  }
  return scenario;
}

World advance(const World& world) {
  World next = world;
  next.step += 1;
  next.period = world.period.plus_quarters(1);
  const double growth = 0.0625 * next.step;
  TieMatrix& dialogue = next.layer(Layer::Dialogue);
  dialogue(1, 2) = dialogue(2, 1) = std::min(1.0, dialogue(1, 2) + growth);
  TieMatrix& cooperation = next.layer(Layer::Cooperation);
  cooperation(1, 2) = cooperation(2, 1) = cooperation(1, 2) + growth / 2;
  next.layer(Layer::Trade) *= 1.125;
  if (next.step == 2) next.leader[2] = "Suga";
  next.attribute(GovernmentAttributeId::ChinaTies)[1] += 0.0625;
  next.attribute(GovernmentAttributeId::CyberThreat) *= 0.75;
  if (next.step == 3) {
    next.attribute(GovernmentAttributeId::ThirdPartyPressure)[2] = 0.25;
    TieMatrix& spurned = next.pair_attributes[index_of(PairAttributeId::Spurned)];
    spurned(0, 2) = spurned(2, 0) = 0.5;  // EU-JPN
  }
  return next;
}

std::vector<AppliedEvent> events_of_quarter(const World& world) {
  if (world.step == 1) return {{world.period, "abe_exit", "leadership_change", "JPN leader Abe \xe2\x86\x92 Suga"}};
  if (world.step == 2)
    return {{world.period, "haifa_port", "china_ties", "ISR china_ties 0.6875 -> 0.75"},
            {world.period, "solarwinds", "cyber_incident", "ISR cyber_threat +0.5"}};
  return {};
}

std::vector<Milestone> milestones_of_quarter(const World& world) {
  if (world.step == 0) return {{world.period, 1, 2, MilestoneKind::DialogueHeld, 0.5}};
  if (world.step == 2)
    return {{world.period, 0, 1, MilestoneKind::DialogueHeld, 0.625}, {world.period, 1, 2, MilestoneKind::MouSigned, 0.25}};
  return {};
}

}  // namespace policysim::test
