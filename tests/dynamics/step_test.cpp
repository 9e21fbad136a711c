// The phase arithmetic of one step, worked out by hand with noise_sd = 0, and the invariants of
// the tie layers under noise. Phases run in the order events, trade, dialogue, cooperation,
// threat_decay, each reading the world left by the phase before.
#include <catch2/catch.hpp>

#include <string>

#include "sim/dynamics/step.hpp"
#include "tests/support/scenario_builder.hpp"

using namespace policysim;
using policysim::testing::ScenarioBuilder;
using policysim::testing::slot_of;

namespace {

Eigen::Index at(const Scenario& scenario, const std::string& code) {
  return static_cast<Eigen::Index>(slot_of(scenario, code));
}

// ISR, JPN; leaders Netanyahu and Abe with rapport 0.9.
// Start: dialogue 0.2, cooperation 0.3, trade JPN->ISR 100, ISR->JPN 0 (US$ m).
// dialogue:    a = 0.5, U = -1 + 2*leader_affinity + 1*institutional_memory
// cooperation: a = 0.5, U = -2 + 3*dialogue_spillover
// trade:       lambda = 0.5 towards log T* = U = 5 + 0.1*dialogue_support
ScenarioBuilder two_governments() {
  ScenarioBuilder builder({"ISR", "JPN"});
  builder.leader("ISR", "Netanyahu").leader("JPN", "Abe").affinity("Abe", "Netanyahu", 0.9)
      .tie(Layer::Dialogue, "ISR", "JPN", 0.2)
      .tie(Layer::Cooperation, "ISR", "JPN", 0.3)
      .tie(Layer::Trade, "JPN", "ISR", 100.0)
      .dynamics(Layer::Dialogue, {.adjustment_rate = 0.5, .noise_sd = 0.0, .presence_threshold = 0.1})
      .dynamics(Layer::Cooperation, {.adjustment_rate = 0.5, .noise_sd = 0.0, .presence_threshold = 0.1})
      .dynamics(Layer::Trade, {.adjustment_rate = 0.5, .noise_sd = 0.0, .presence_threshold = 1.0})
      .effect(Layer::Dialogue, "density", -1.0)
      .effect(Layer::Dialogue, "leader_affinity", 2.0)
      .effect(Layer::Dialogue, "institutional_memory", 1.0)
      .effect(Layer::Cooperation, "density", -2.0)
      .effect(Layer::Cooperation, "dialogue_spillover", 3.0)
      .effect(Layer::Trade, "density", 5.0)
      .effect(Layer::Trade, "dialogue_support", 0.1);
  return builder;
}

bool in_unit_interval(const TieMatrix& ties) { return (ties.array() >= 0.0).all() && (ties.array() <= 1.0).all(); }

}  // namespace

TEST_CASE("dynamics: one step of dialogue, cooperation and trade, by hand", "[dynamics][step]") {
  const Scenario scenario = two_governments().build();
  Simulation simulation(scenario);
  simulation.step();
  const World& world = simulation.world();
  const auto isr = at(scenario, "ISR"), jpn = at(scenario, "JPN");

  // Dialogue reads the cooperation of the start of the step (cooperation runs after it):
  //   U = -1 + 2*0.9 + 1*0.3 = 1.1;  logistic(1.1) = 1/(1 + e^-1.1) = 1/1.332871083698 = 0.750260105595
  //   d1 = 0.2 + 0.5*(0.750260105595 - 0.2) = 0.475130052798
  // (Had it read this step's new cooperation, d1 would be 0.477927.)
  CHECK(world.layer(Layer::Dialogue)(isr, jpn) == Approx(0.475130052798).margin(1e-11));
  CHECK(world.layer(Layer::Dialogue)(jpn, isr) == world.layer(Layer::Dialogue)(isr, jpn));

  // Cooperation reads the dialogue written in the same step:
  //   U = -2 + 3*0.475130052798 = -0.574609841607
  //   logistic(U) = 1/(1 + e^0.574609841607) = 1/2.776437299767 = 0.360173809826
  //   c1 = 0.3 + 0.5*(0.360173809826 - 0.3) = 0.330086904913
  // (Had it read the dialogue of the start of the step, 0.2, c1 would be 0.248908.)
  CHECK(world.layer(Layer::Cooperation)(isr, jpn) == Approx(0.330086904913).margin(1e-11));
  CHECK(world.layer(Layer::Cooperation)(jpn, isr) == world.layer(Layer::Cooperation)(isr, jpn));

  // Trade runs before dialogue, so it reads the old dialogue 0.2: log T* = 5 + 0.1*0.2 = 5.02,
  //   g = 0.5 * (5.02 - ln 100) = 0.5 * (5.02 - 4.605170185988) = 0.207414907006
  //   T1 = 100 * e^g = 123.049300605104
  // (Had it read the new dialogue, T1 would be 126.0.) A zero flow counts as the floor, 0.001:
  //   g = 0.5 * (5.02 - ln 0.001) = 0.5 * (5.02 + 6.907755278982) = 5.963877639491, T1 = 0.001 e^g = 0.389116054403
  CHECK(world.layer(Layer::Trade)(jpn, isr) == Approx(123.049300605104).margin(1e-9));
  CHECK(world.layer(Layer::Trade)(isr, jpn) == Approx(0.389116054403).margin(1e-11));

  // Second step, trade only: log T* = 5 + 0.1*0.475130052798,
  //   T2 = T1 * exp(0.5 * (log T* - ln T1)) = 138.386299902069 and 7.782033527512
  simulation.step();
  CHECK(simulation.world().layer(Layer::Trade)(jpn, isr) == Approx(138.386299902069).margin(1e-9));
  CHECK(simulation.world().layer(Layer::Trade)(isr, jpn) == Approx(7.782033527512).margin(1e-9));
}

TEST_CASE("dynamics: a new leader moves dialogue in the quarter the change happens", "[dynamics][step][events]") {
  // a = 1 (the tie jumps to its target), U = 2*leader_affinity. Abe -> Suga in 2014Q1, rapport
  // Suga-Netanyahu 0.1: d1 = logistic(2*0.1) = 1/(1 + e^-0.2) = 0.549833997312
  // (with Abe it would be logistic(1.8) = 0.858148935100).
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .leader("ISR", "Netanyahu").leader("JPN", "Abe")
                                .affinity("Abe", "Netanyahu", 0.9).affinity("Suga", "Netanyahu", 0.1)
                                .dynamics(Layer::Dialogue, {.adjustment_rate = 1.0})
                                .effect(Layer::Dialogue, "leader_affinity", 2.0)
                                .event("abe_exit", "leadership_change", "2014Q1",
                                       {{"country", std::string("JPN")}, {"leader", std::string("Suga")}})
                                .build();
  Simulation simulation(scenario);
  simulation.step();
  CHECK(simulation.world().layer(Layer::Dialogue)(0, 1) == Approx(0.549833997312).margin(1e-11));
}

TEST_CASE("dynamics: a cyber incident is felt by the same quarter's dialogue, and decays after it",
          "[dynamics][step][events]") {
  // ISR threat 0.5, JPN 0; incident on JPN of 0.6 in 2014Q1; persistence 0.5; dialogue a = 1,
  // U = 4*shared_threat, dialogue starts at 0.
  // Step 1: events give JPN 0.6; dialogue sees 0.6*0.5 = 0.3: d1 = logistic(1.2) = 1/(1 + e^-1.2) = 0.768524783499;
  //         then decay: JPN 0.3, ISR 0.25.  (Decay before dialogue would give logistic(0.3) = 0.574443.)
  // Step 2: d2 = logistic(4*0.3*0.25) = logistic(0.3) = 0.574442516812; decay: JPN 0.15, ISR 0.125.
  // Cooperation (a = 1, U = 2*shared_threat) runs after dialogue but still before the decay:
  //   step 1: c1 = logistic(2*0.6*0.5) = logistic(0.6) = 1/(1 + 0.548811636094) = 0.645656306226
  //   step 2: c2 = logistic(2*0.3*0.25) = logistic(0.15) = 1/(1 + 0.860707976425) = 0.537429845344
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .threat_persistence(0.5)
                                .attribute("ISR", "cyber_threat", 0.5)
                                .dynamics(Layer::Dialogue, {.adjustment_rate = 1.0})
                                .effect(Layer::Dialogue, "shared_threat", 4.0)
                                .dynamics(Layer::Cooperation, {.adjustment_rate = 1.0})
                                .effect(Layer::Cooperation, "shared_threat", 2.0)
                                .event("attack", "cyber_incident", "2014Q1",
                                       {{"country", std::string("JPN")}, {"severity", 0.6}})
                                .build();
  Simulation simulation(scenario);
  const auto isr = at(scenario, "ISR"), jpn = at(scenario, "JPN");
  simulation.step();
  CHECK(simulation.world().layer(Layer::Dialogue)(isr, jpn) == Approx(0.768524783499).margin(1e-11));
  CHECK(simulation.world().layer(Layer::Cooperation)(isr, jpn) == Approx(0.645656306226).margin(1e-11));
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == Approx(0.3).margin(1e-15));
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[isr] == 0.25);
  simulation.step();
  CHECK(simulation.world().layer(Layer::Dialogue)(isr, jpn) == Approx(0.574442516812).margin(1e-11));
  CHECK(simulation.world().layer(Layer::Cooperation)(isr, jpn) == Approx(0.537429845344).margin(1e-11));
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == Approx(0.15).margin(1e-15));
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[isr] == 0.125);
}

TEST_CASE("dynamics: the phases run in the documented order", "[dynamics][step]") {
  std::vector<std::string_view> names;
  for (const Phase& phase : step_phases()) {
    names.push_back(phase.name);
    CHECK_FALSE(phase.doc.empty());
    CHECK(phase.run != nullptr);
  }
  CHECK(names == std::vector<std::string_view>{"events", "trade", "b2b_trade", "dialogue", "cooperation",
                                             "milestones", "b2b_cooperation", "threat_decay"});
}

TEST_CASE("dynamics: with adjustment rate 0 and no noise, mutual ties do not move", "[dynamics][step]") {
  const Scenario scenario = two_governments()
                                .dynamics(Layer::Dialogue, {.adjustment_rate = 0.0})
                                .dynamics(Layer::Cooperation, {.adjustment_rate = 0.0})
                                .build();
  Simulation simulation(scenario);
  for (int i = 0; i < 4; ++i) simulation.step();
  CHECK(simulation.world().layer(Layer::Dialogue) == scenario.initial_ties[index_of(Layer::Dialogue)]);
  CHECK(simulation.world().layer(Layer::Cooperation) == scenario.initial_ties[index_of(Layer::Cooperation)]);
}

TEST_CASE("dynamics: under large noise, mutual ties stay symmetric and between 0 and 1, and zero flows stay zero "
          "when trade is a random walk (adjustment_rate 0)",
          "[dynamics][step]") {
  // sd 0.8 per quarter on a [0, 1] strength: the clamp must engage often.
  ScenarioBuilder builder({"ISR", "JPN", "USA", "KOR"});
  builder.seed(20240601)
      .dynamics(Layer::Dialogue, {.adjustment_rate = 0.3, .noise_sd = 0.8})
      .dynamics(Layer::Cooperation, {.adjustment_rate = 0.3, .noise_sd = 0.8})
      .dynamics(Layer::Trade, {.noise_sd = 0.5})
      .effect(Layer::Dialogue, "density", 0.5)
      .effect(Layer::Cooperation, "dialogue_spillover", 1.0)
      .effect(Layer::Trade, "density", 0.02)
      .tie(Layer::Dialogue, "ISR", "JPN", 0.5).tie(Layer::Dialogue, "USA", "KOR", 0.9)
      .tie(Layer::Cooperation, "JPN", "USA", 0.4)
      .tie(Layer::Trade, "JPN", "ISR", 1000.0).tie(Layer::Trade, "USA", "JPN", 5000.0)
      .tie(Layer::Trade, "KOR", "USA", 3000.0);
  const Scenario scenario = builder.build();
  const TieMatrix trade0 = scenario.initial_ties[index_of(Layer::Trade)];
  Simulation simulation(scenario);
  int clamped = 0;
  for (int step = 1; step <= 20; ++step) {
    simulation.step();
    INFO("after step " << step);
    for (Layer layer : {Layer::Dialogue, Layer::Cooperation}) {
      const TieMatrix& ties = simulation.world().layer(layer);
      CHECK(ties == ties.transpose());
      CHECK(in_unit_interval(ties));
      // Ties at exactly 0 or 1 were clamped (the 4 zeros of the diagonal are not ties).
      clamped += static_cast<int>((ties.array() == 0.0).count() + (ties.array() == 1.0).count()) - 4;
    }
    const TieMatrix& trade = simulation.world().layer(Layer::Trade);
    CHECK(((trade0.array() == 0.0) == (trade.array() == 0.0)).all());  // zero stays zero, positive stays positive
    CHECK((trade.array() >= 0.0).all());
  }
  CHECK(clamped > 0);  // the test did exercise the bounds
}

TEST_CASE("dynamics: raising Israel's China ties lowers Japan-Israel cooperation, all else equal",
          "[dynamics][step][mechanism]") {
  // Mechanism: china_friction with a negative coefficient. JPN rivals China (0.8); ISR's China ties
  // go from 0.2 to 0.9 in the first quarter of the what-if, so the JPN-ISR statistic goes from
  // (0.1*0.1 + 0.2*0.8)/2 = 0.085 to (0.1*0.1 + 0.9*0.8)/2 = 0.365. Same seed, noise > 0, so both
  // runs draw the same shocks. USA-JPN does not involve ISR and must be bit-identical.
  ScenarioBuilder builder({"ISR", "JPN", "USA"});
  builder.seed(7)
      .attribute("ISR", "china_ties", 0.2).attribute("ISR", "china_rivalry", 0.1)
      .attribute("JPN", "china_ties", 0.1).attribute("JPN", "china_rivalry", 0.8)
      .attribute("USA", "china_ties", 0.05).attribute("USA", "china_rivalry", 0.9)
      .tie(Layer::Dialogue, "ISR", "JPN", 0.5).tie(Layer::Dialogue, "USA", "JPN", 0.6)
      .tie(Layer::Cooperation, "ISR", "JPN", 0.4).tie(Layer::Cooperation, "USA", "JPN", 0.5)
      .dynamics(Layer::Dialogue, {.adjustment_rate = 0.3, .noise_sd = 0.03})
      .dynamics(Layer::Cooperation, {.adjustment_rate = 0.3, .noise_sd = 0.03})
      .effect(Layer::Dialogue, "density", 0.5)
      .effect(Layer::Dialogue, "china_friction", -3.0)
      .effect(Layer::Cooperation, "density", -1.0)
      .effect(Layer::Cooperation, "dialogue_spillover", 2.0)
      .effect(Layer::Cooperation, "china_friction", -3.0);
  const Scenario baseline = builder.build();
  const Scenario what_if =
      builder.event("haifa_port", "china_ties", "2014Q1", {{"country", std::string("ISR")}, {"level", 0.9}}).build();
  Simulation base_run(baseline), what_if_run(what_if);
  for (int step = 0; step < 8; ++step) {
    base_run.step();
    what_if_run.step();
  }
  const auto isr = at(baseline, "ISR"), jpn = at(baseline, "JPN"), usa = at(baseline, "USA");
  const double base = base_run.world().layer(Layer::Cooperation)(jpn, isr);
  const double changed = what_if_run.world().layer(Layer::Cooperation)(jpn, isr);
  INFO("JPN-ISR cooperation: baseline " << base << ", with deeper ISR-China ties " << changed);
  CHECK(changed < base - 0.05);
  CHECK(what_if_run.world().layer(Layer::Dialogue)(jpn, isr) < base_run.world().layer(Layer::Dialogue)(jpn, isr));
  CHECK(what_if_run.world().layer(Layer::Cooperation)(jpn, usa) ==
        base_run.world().layer(Layer::Cooperation)(jpn, usa));
  CHECK(what_if_run.world().layer(Layer::Dialogue)(jpn, usa) == base_run.world().layer(Layer::Dialogue)(jpn, usa));
}

TEST_CASE("dynamics: dialogue and cooperation draw their own shocks", "[dynamics][step]") {
  // No effects, a = 0: each tie moves by its shock only. Both layers start at 0.5 with the same sd,
  // so equal draws would give equal layers; independent streams must not.
  ScenarioBuilder builder({"ISR", "JPN", "USA"});
  for (Layer layer : {Layer::Dialogue, Layer::Cooperation}) {
    builder.dynamics(layer, {.adjustment_rate = 0.0, .noise_sd = 0.05});
    builder.tie(layer, "ISR", "JPN", 0.5).tie(layer, "ISR", "USA", 0.5).tie(layer, "JPN", "USA", 0.5);
  }
  const Scenario scenario = builder.build();
  Simulation simulation(scenario);
  simulation.step();
  const TieMatrix& dialogue = simulation.world().layer(Layer::Dialogue);
  const TieMatrix& cooperation = simulation.world().layer(Layer::Cooperation);
  for (Eigen::Index i = 0; i < 3; ++i)
    for (Eigen::Index j = i + 1; j < 3; ++j) {
      INFO("pair " << i << ", " << j);
      CHECK(dialogue(i, j) != 0.5);
      CHECK(dialogue(i, j) != cooperation(i, j));
    }
}
