// Milestones: a dialogue held (a Philox draw against the dialogue strength) and an MOU signed (a
// ratchet on cooperation), worked out by hand; business forums as opportunities; the spin-up
// before step 0.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sim/dynamics/step.hpp"
#include "tests/support/scenario_builder.hpp"
#include "tests/support/start_world.hpp"

using namespace policysim;
using policysim::testing::period_of;
using policysim::testing::ScenarioBuilder;
using policysim::testing::slot_of;

namespace {

std::vector<Milestone> run_collecting(const Scenario& scenario) {
  Simulation simulation(scenario);
  std::vector<Milestone> all;
  while (!simulation.finished()) {
    simulation.step();
    all.insert(all.end(), simulation.milestones().begin(), simulation.milestones().end());
  }
  return all;
}

std::vector<std::string> quarters_of(const std::vector<Milestone>& milestones, MilestoneKind kind) {
  std::vector<std::string> labels;
  for (const Milestone& milestone : milestones)
    if (milestone.kind == kind) labels.push_back(milestone.period.label());
  return labels;
}

// ISR-JPN dialogue held still at `strength` (no effects, adjustment 0, no noise).
ScenarioBuilder still_dialogue(double strength, MilestoneSettings settings) {
  ScenarioBuilder builder({"ISR", "JPN"});
  builder.seed(11).steps(200).tie(Layer::Dialogue, "ISR", "JPN", strength).milestones(settings);
  return builder;
}

}  // namespace

TEST_CASE("milestones: a dialogue is held when the keyed draw falls below rate * d, above the threshold",
          "[dynamics][milestones]") {
  // d = 0.5, threshold 0.3, rate 0.8: chance = 0.8 * 0.5 = 0.4 each quarter.
  const Scenario scenario = still_dialogue(0.5, {.dialogue_threshold = 0.3, .dialogue_rate = 0.8}).build();
  const std::vector<Milestone> milestones = run_collecting(scenario);
  // The same draws, made here: uniform(step, DialogueHeld, smaller stable id, larger stable id).
  const RandomStreams random = RandomStreams::for_run(scenario);  // seed 11
  const std::uint32_t a = stable_id_of("ISR"), b = stable_id_of("JPN");
  std::vector<std::string> expected;
  for (std::uint32_t step = 0; step < 200; ++step)
    if (random.uniform(step, Purpose::DialogueHeld, std::min(a, b), std::max(a, b)) < 0.4)
      expected.push_back(period_of("2014Q1").plus_quarters(static_cast<int>(step)).label());
  CHECK(quarters_of(milestones, MilestoneKind::DialogueHeld) == expected);
  // About 40% of 200 quarters (binomial sd ~ 7).
  CHECK(expected.size() > 55);
  CHECK(expected.size() < 105);
  for (const Milestone& milestone : milestones) {
    CHECK(milestone.agent == slot_of(scenario, "ISR"));
    CHECK(milestone.partner == slot_of(scenario, "JPN"));
    CHECK(milestone.strength == 0.5);
  }
}

TEST_CASE("milestones: never below the threshold, every quarter at full strength and rate 1", "[dynamics][milestones]") {
  CHECK(run_collecting(still_dialogue(0.3, {.dialogue_threshold = 0.3, .dialogue_rate = 1.0}).build()).empty());
  CHECK(run_collecting(still_dialogue(0.25, {.dialogue_threshold = 0.3, .dialogue_rate = 1.0}).build()).empty());
  CHECK(run_collecting(still_dialogue(0.9, {.dialogue_threshold = 0.3, .dialogue_rate = 0.0}).build()).empty());
  CHECK(run_collecting(still_dialogue(1.0, {.dialogue_threshold = 0.3, .dialogue_rate = 1.0}).build()).size() == 200);
}

TEST_CASE("milestones: an MOU is signed each time cooperation has gained mou_step since the last one",
          "[dynamics][milestones]") {
  // Cooperation from 0 towards logistic(0) = 0.5 at rate 0.25, no noise: c_t = 0.5 (1 - 0.75^t):
  //   0.125, 0.21875, 0.2890625, 0.341796875, 0.38134765625, 0.4110107421875, 0.4332580566, ...
  // mou_step 0.1: step 1 (0.125 >= 0 + 0.1), step 3 (0.289 >= 0.225), step 6 (0.411 >= 0.389);
  // then 0.511 is never reached.
  ScenarioBuilder builder({"ISR", "JPN"});
  builder.steps(20)
      .dynamics(Layer::Cooperation, {.adjustment_rate = 0.25})
      .milestones({.mou_step = 0.1, .opportunity_factor = 2.0});
  const std::vector<Milestone> plain = run_collecting(builder.build());
  CHECK(quarters_of(plain, MilestoneKind::MouSigned) == std::vector<std::string>{"2014Q1", "2014Q3", "2015Q2"});
  REQUIRE(plain.size() == 3);
  CHECK(plain[0].strength == 0.125);
  CHECK(plain[1].strength == 0.2890625);
  CHECK(plain[2].strength == 0.4110107421875);

  // A business forum in 2014Q2 halves the gain needed that quarter (0.05): 0.21875 >= 0.125 + 0.05
  // signs then; the ratchet then needs 0.31875 (step 4: 0.3418) and 0.4418 (step 8: 0.4499).
  builder.event("forum", "business_forum", "2014Q2", {{"country", std::string("JPN")}, {"partner", std::string("ISR")}});
  const std::vector<Milestone> with_forum = run_collecting(builder.build());
  CHECK(quarters_of(with_forum, MilestoneKind::MouSigned) ==
        std::vector<std::string>{"2014Q1", "2014Q2", "2014Q4", "2015Q4"});
}

TEST_CASE("milestones: a business forum multiplies the chance of a dialogue in its quarter", "[dynamics][milestones]") {
  // Chance 0.8 * 0.5 = 0.4 in ordinary quarters, 0.8 in the forum's quarter (2014Q3, step 2).
  const MilestoneSettings settings{.dialogue_threshold = 0.3, .dialogue_rate = 0.8, .opportunity_factor = 2.0};
  const Scenario scenario = still_dialogue(0.5, settings)
                                .steps(4)
                                .event("forum", "business_forum", "2014Q3",
                                       {{"country", std::string("JPN")}, {"partner", std::string("ISR")}})
                                .build();
  const std::vector<Milestone> milestones = run_collecting(scenario);
  const RandomStreams random = RandomStreams::for_run(scenario);  // seed 11
  const std::uint32_t a = stable_id_of("ISR"), b = stable_id_of("JPN");
  std::vector<std::string> expected;
  for (std::uint32_t step = 0; step < 4; ++step)
    if (random.uniform(step, Purpose::DialogueHeld, std::min(a, b), std::max(a, b)) < (step == 2 ? 0.8 : 0.4))
      expected.push_back(period_of("2014Q1").plus_quarters(static_cast<int>(step)).label());
  CHECK(quarters_of(milestones, MilestoneKind::DialogueHeld) == expected);
}

TEST_CASE("milestones record the dynamics and do not change the ties", "[dynamics][milestones]") {
  ScenarioBuilder builder({"ISR", "JPN", "USA"});
  builder.seed(5).steps(12)
      .dynamics(Layer::Dialogue, {.adjustment_rate = 0.3, .noise_sd = 0.05})
      .dynamics(Layer::Cooperation, {.adjustment_rate = 0.2, .noise_sd = 0.05})
      .effect(Layer::Dialogue, "density", 0.5)
      .effect(Layer::Cooperation, "dialogue_spillover", 1.0)
      .tie(Layer::Dialogue, "ISR", "JPN", 0.6).tie(Layer::Dialogue, "USA", "JPN", 0.8);
  const Scenario off = builder.build();
  const Scenario on = builder.milestones({.dialogue_threshold = 0.2, .dialogue_rate = 0.9, .mou_step = 0.05}).build();
  Simulation a(off), b(on);
  std::size_t logged = 0;
  while (!a.finished()) {
    a.step();
    b.step();
    CHECK(a.milestones().empty());
    logged += b.milestones().size();
    for (Layer layer : kAllLayers) CHECK(a.world().layer(layer) == b.world().layer(layer));
  }
  CHECK(logged > 10);
}

TEST_CASE("spin-up settles dialogue and cooperation without noise before step 0", "[dynamics][milestones][spin_up]") {
  // Dialogue: U = 1 (density), a = 0.5, from 0.1: d_k = T + (0.1 - T) 0.5^k with T = logistic(1).
  // Cooperation: U = -1 + 2 * dialogue (read after the dialogue update of the same quarter), a = 0.5.
  // Noise is set but the spin-up ignores it, so every seed starts from the same world.
  ScenarioBuilder builder({"ISR", "JPN"});
  builder.spin_up(3)
      .tie(Layer::Dialogue, "ISR", "JPN", 0.1)
      .dynamics(Layer::Dialogue, {.adjustment_rate = 0.5, .noise_sd = 0.3})
      .dynamics(Layer::Cooperation, {.adjustment_rate = 0.5, .noise_sd = 0.3})
      .effect(Layer::Dialogue, "density", 1.0)
      .effect(Layer::Cooperation, "density", -1.0)
      .effect(Layer::Cooperation, "dialogue_spillover", 2.0);
  const double target = 1.0 / (1.0 + std::exp(-1.0));
  double d = 0.1, c = 0.0;
  for (int k = 0; k < 3; ++k) {
    d = d + 0.5 * (target - d);
    c = c + 0.5 * (1.0 / (1.0 + std::exp(1.0 - 2.0 * d)) - c);
  }
  CHECK(d == Approx(target + (0.1 - target) * 0.125).margin(1e-15));
  const World first = testing::start_world(builder.seed(1).build());
  const World second = testing::start_world(builder.seed(2).build());
  CHECK(first.layer(Layer::Dialogue)(0, 1) == Approx(d).margin(1e-14));
  CHECK(first.layer(Layer::Dialogue)(1, 0) == first.layer(Layer::Dialogue)(0, 1));
  CHECK(first.layer(Layer::Cooperation)(0, 1) == Approx(c).margin(1e-14));
  CHECK(first.layer(Layer::Dialogue) == second.layer(Layer::Dialogue));
  CHECK(first.layer(Layer::Cooperation) == second.layer(Layer::Cooperation));
  CHECK(first.cooperation_at_last_mou == first.layer(Layer::Cooperation));  // the MOU ratchet starts there
  CHECK(first.step == 0);
  CHECK(first.period == period_of("2014Q1"));
  // Without spin-up the initial ties are as given.
  const World plain = testing::start_world(builder.spin_up(0).build());
  CHECK(plain.layer(Layer::Dialogue)(0, 1) == 0.1);
  CHECK(plain.layer(Layer::Cooperation)(0, 1) == 0.0);
}
