// Direction tests of the government model's mechanisms: all else equal and with the same seed,
// does a driver move the ties the way its source says?
#include <catch2/catch.hpp>

#include <string>

#include "sim/dynamics/step.hpp"
#include "tests/support/scenario_builder.hpp"

using namespace policysim;
using policysim::testing::ScenarioBuilder;
using policysim::testing::slot_of;

namespace {

// JPN and ISR in the high state (dialogue and cooperation 0.9), leaders with rapport 0.8, the
// bistable coefficients of the baseline. `memory` is the institutional_memory coefficient.
ScenarioBuilder established_pair(double memory) {
  ScenarioBuilder builder({"ISR", "JPN"});
  builder.seed(3).steps(24)
      .leader("JPN", "Abe").leader("ISR", "Netanyahu").affinity("Abe", "Netanyahu", 0.8)
      .tie(Layer::Dialogue, "ISR", "JPN", 0.9).tie(Layer::Cooperation, "ISR", "JPN", 0.9)
      .dynamics(Layer::Dialogue, {.adjustment_rate = 0.2, .noise_sd = 0.02})
      .dynamics(Layer::Cooperation, {.adjustment_rate = 0.1, .noise_sd = 0.02})
      .effect(Layer::Dialogue, "density", -3.0)
      .effect(Layer::Dialogue, "leader_affinity", 2.5)
      .effect(Layer::Dialogue, "institutional_memory", memory)
      .effect(Layer::Cooperation, "density", -4.0)
      .effect(Layer::Cooperation, "dialogue_spillover", 8.0)
      .event("abe_exit", "leadership_change", "2014Q2", {{"country", std::string("JPN")}, {"leader", std::string("Suga")}});
  return builder;
}

double final_tie(const Scenario& scenario, Layer layer, const std::string& a, const std::string& b) {
  Simulation simulation(scenario);
  while (!simulation.finished()) simulation.step();
  return simulation.world().layer(layer)(static_cast<Eigen::Index>(slot_of(scenario, a)),
                                         static_cast<Eigen::Index>(slot_of(scenario, b)));
}

}  // namespace

TEST_CASE("mechanism: institutional memory keeps dialogue alive after the leader leaves", "[dynamics][mechanism]") {
  // 000: ministry-level MOUs "should help the relationship to continue to grow beyond the current
  // political leadership". Without memory the dialogue falls to logistic(-3) ~ 0.05 once Abe goes.
  const double with_memory = final_tie(established_pair(6.0).build(), Layer::Dialogue, "JPN", "ISR");
  const double without = final_tie(established_pair(0.0).build(), Layer::Dialogue, "JPN", "ISR");
  INFO("dialogue after 24 quarters: with memory " << with_memory << ", without " << without);
  CHECK(with_memory > 0.8);
  CHECK(without < 0.2);
}

TEST_CASE("mechanism: easing third-party pressure raises Japan-Israel dialogue", "[dynamics][mechanism]") {
  // 000: the Arab Spring and cheaper oil "reduced some of the historical fear". Pressure 0.8 -> 0.3.
  ScenarioBuilder builder({"ISR", "JPN", "USA"});
  builder.seed(9).steps(12)
      .attribute("JPN", "third_party_pressure", 0.8)
      .attribute("ISR", "pressure_target", 1.0)
      .tie(Layer::Dialogue, "ISR", "JPN", 0.2).tie(Layer::Dialogue, "USA", "JPN", 0.6)
      .dynamics(Layer::Dialogue, {.adjustment_rate = 0.2, .noise_sd = 0.03})
      .effect(Layer::Dialogue, "density", -0.5)
      .effect(Layer::Dialogue, "third_party_pressure", -3.0);
  const Scenario baseline = builder.build();
  const Scenario eased =
      builder.event("arab_spring", "third_party_pressure", "2014Q1", {{"country", std::string("JPN")}, {"level", 0.3}})
          .build();
  CHECK(final_tie(eased, Layer::Dialogue, "JPN", "ISR") > final_tie(baseline, Layer::Dialogue, "JPN", "ISR") + 0.05);
  // Japan-US has no pressure target: bit-identical.
  CHECK(final_tie(eased, Layer::Dialogue, "JPN", "USA") == final_tie(baseline, Layer::Dialogue, "JPN", "USA"));
}

TEST_CASE("mechanism: a spurn lowers the spurned pair's ties, and a common partner lifts a third pair",
          "[dynamics][mechanism]") {
  // 002 (spurn) and 000/004 (the US as a bridge): JPN-ISR dialogue leans on JPN-USA * USA-ISR.
  ScenarioBuilder builder({"ISR", "JPN", "USA"});
  builder.seed(4).steps(16)
      .tie(Layer::Dialogue, "USA", "JPN", 0.8).tie(Layer::Dialogue, "USA", "ISR", 0.8).tie(Layer::Dialogue, "ISR", "JPN", 0.3)
      .dynamics(Layer::Dialogue, {.adjustment_rate = 0.2, .noise_sd = 0.02})
      .effect(Layer::Dialogue, "density", 0.5)
      .effect(Layer::Dialogue, "third_party_bridge", 2.0)
      .effect(Layer::Dialogue, "spurned", -4.0);
  const Scenario baseline = builder.build();
  const Scenario spurned =
      builder.event("us_spurns", "spurn", "2014Q1", {{"country", std::string("USA")}, {"partner", std::string("JPN")},
                                                     {"level", 1.0}})
          .build();
  CHECK(final_tie(spurned, Layer::Dialogue, "USA", "JPN") < final_tie(baseline, Layer::Dialogue, "USA", "JPN") - 0.3);
  // The bridge weakens with it: JPN-ISR falls too (the model has no mechanism that turns Japan to Israel).
  CHECK(final_tie(spurned, Layer::Dialogue, "ISR", "JPN") < final_tie(baseline, Layer::Dialogue, "ISR", "JPN"));
}

TEST_CASE("mechanism: an attention budget: a new partner crowds out an old tie", "[dynamics][mechanism]") {
  // The valued outdegree-activity form (RSiena): the more dialogue JPN holds with others, the
  // lower the target of each further tie. JPN-ISR starts at 0.6; in the crowded world JPN also
  // holds strong dialogues with three more partners (held there by their own rapport).
  auto world = [](bool crowded, double coefficient) {
    ScenarioBuilder builder({"AUS", "GBR", "IND", "ISR", "JPN"});
    builder.seed(5).steps(16)
        .tie(Layer::Dialogue, "ISR", "JPN", 0.6)
        .dynamics(Layer::Dialogue, {.adjustment_rate = 0.2, .noise_sd = 0.02})
        .effect(Layer::Dialogue, "density", 0.4)
        .effect(Layer::Dialogue, "attention_load", coefficient);
    if (crowded) {
      builder.leader("JPN", "Abe").leader("AUS", "Turnbull").leader("GBR", "May").leader("IND", "Modi")
          .affinity("Abe", "Turnbull", 1.0).affinity("Abe", "May", 1.0).affinity("Abe", "Modi", 1.0)
          .effect(Layer::Dialogue, "leader_affinity", 4.0);
      for (const char* partner : {"AUS", "GBR", "IND"}) builder.tie(Layer::Dialogue, "JPN", partner, 0.9);
    }
    return final_tie(builder.build(), Layer::Dialogue, "JPN", "ISR");
  };
  const double alone = world(false, -1.0);
  const double crowded = world(true, -1.0);
  INFO("JPN-ISR dialogue: alone " << alone << ", crowded " << crowded);
  CHECK(crowded < alone - 0.1);
  // Switched off (coefficient 0), JPN's other partners leave JPN-ISR where its own drivers put it.
  CHECK(world(true, 0.0) == Approx(world(false, 0.0)).margin(1e-12));
}
