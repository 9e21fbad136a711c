// Each event kind, applied by Simulation::step() in the quarter of its period and not before.
// Time convention (sim/dynamics/step.hpp): a step simulates the quarter world.period, applies the
// events dated that quarter first, and leaves the world at the start of the next quarter.
#include <catch2/catch.hpp>

#include <string>

#include "sim/dynamics/step.hpp"
#include "tests/support/scenario_builder.hpp"

using namespace policysim;
using policysim::testing::period_of;
using policysim::testing::ScenarioBuilder;
using policysim::testing::slot_of;

namespace {

Eigen::Index at(const Scenario& scenario, const std::string& code) {
  return static_cast<Eigen::Index>(slot_of(scenario, code));
}

}  // namespace

TEST_CASE("dynamics: leadership_change applies in its quarter, not before, and changes the leader",
          "[dynamics][events]") {
  // Start 2014Q1; the event is dated 2014Q3, i.e. the third step (steps simulate Q1, Q2, Q3, Q4).
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .leader("JPN", "Abe").leader("ISR", "Netanyahu")
                                .event("abe_exit", "leadership_change", "2014Q3",
                                       {{"country", std::string("JPN")}, {"leader", std::string("Suga")}})
                                .build();
  Simulation simulation(scenario);
  const auto jpn = slot_of(scenario, "JPN");
  for (int quarter = 1; quarter <= 2; ++quarter) {
    INFO("quarter " << quarter);
    CHECK(simulation.step().empty());
    CHECK(simulation.world().leader[jpn] == "Abe");
  }
  CHECK(simulation.world().period == period_of("2014Q3"));
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].period == period_of("2014Q3"));
  CHECK(applied[0].name == "abe_exit");
  CHECK(applied[0].kind == "leadership_change");
  CHECK(applied[0].detail == "JPN leader Abe -> Suga");
  CHECK(simulation.world().leader[jpn] == "Suga");
  CHECK(simulation.world().leader[slot_of(scenario, "ISR")] == "Netanyahu");
  // Applied once only.
  CHECK(simulation.step().empty());
  CHECK(simulation.world().leader[jpn] == "Suga");
}

TEST_CASE("dynamics: china_ties applies in its quarter and sets the new level", "[dynamics][events]") {
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .start("2018Q4")
                                .attribute("ISR", "china_ties", 0.3)
                                .event("haifa_port", "china_ties", "2019Q2",
                                       {{"country", std::string("ISR")}, {"level", 0.7}})
                                .build();
  Simulation simulation(scenario);
  const auto isr = at(scenario, "ISR");
  // 2018Q4, 2019Q1: nothing.
  CHECK(simulation.step().empty());
  CHECK(simulation.step().empty());
  CHECK(simulation.world().attribute(GovernmentAttributeId::ChinaTies)[isr] == 0.3);
  // 2019Q2: 0.3 -> 0.7, JPN untouched.
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].name == "haifa_port");
  CHECK(applied[0].kind == "set_attribute");  // an old name, recorded under the new one
  CHECK(applied[0].period == period_of("2019Q2"));
  CHECK(applied[0].detail == "ISR china_ties 0.3 -> 0.7");
  CHECK(simulation.world().attribute(GovernmentAttributeId::ChinaTies)[isr] == 0.7);
  CHECK(simulation.world().attribute(GovernmentAttributeId::ChinaTies)[at(scenario, "JPN")] == 0.0);
  CHECK(simulation.step().empty());
  CHECK(simulation.world().attribute(GovernmentAttributeId::ChinaTies)[isr] == 0.7);
}

TEST_CASE("dynamics: cyber_incident raises threat in its quarter, caps it at 1, and the threat decays",
          "[dynamics][events]") {
  // persistence 0.5; JPN starts at 0.5 threat; incident of severity 0.95 in 2014Q3 (third step).
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .threat_persistence(0.5)
                                .attribute("JPN", "cyber_threat", 0.5)
                                .attribute("ISR", "cyber_threat", 0.2)
                                .event("olympics", "cyber_incident", "2014Q3",
                                       {{"country", std::string("JPN")}, {"severity", 0.95}})
                                .build();
  Simulation simulation(scenario);
  const auto jpn = at(scenario, "JPN");
  const auto isr = at(scenario, "ISR");
  // Step 1 (2014Q1): 0.5 * 0.5 = 0.25.  Step 2 (2014Q2): 0.25 * 0.5 = 0.125.
  CHECK(simulation.step().empty());
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == 0.25);
  CHECK(simulation.step().empty());
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == 0.125);
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[isr] == Approx(0.05).margin(1e-15));  // 0.2 * 0.5 * 0.5
  // Step 3 (2014Q3): 0.125 + 0.95 = 1.075, capped at 1; then this quarter's decay: 1 * 0.5 = 0.5
  // (uncapped it would have been 0.5375).
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].kind == "cyber_incident");
  CHECK(applied[0].name == "olympics");
  CHECK(applied[0].detail == "JPN cyber_threat 0.125 -> 1");
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == 0.5);
  // Then 0.25, 0.125, 0.0625: geometric decay by the persistence.
  for (double expected : {0.25, 0.125, 0.0625}) {
    CHECK(simulation.step().empty());
    CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == expected);
  }
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[isr] == Approx(0.2 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5 * 0.5).margin(1e-15));
}

TEST_CASE("dynamics: a small cyber_incident adds its severity", "[dynamics][events]") {
  // persistence 1 (no decay): 0.25 + 0.5 = 0.75, below the cap.
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .attribute("JPN", "cyber_threat", 0.25)
                                .event("attack", "cyber_incident", "2014Q1",
                                       {{"country", std::string("JPN")}, {"severity", 0.5}})
                                .build();
  Simulation simulation(scenario);
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].detail == "JPN cyber_threat 0.25 -> 0.75");
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[at(scenario, "JPN")] == 0.75);
}

TEST_CASE("dynamics: several events in one quarter are all applied, in the scenario's order", "[dynamics][events]") {
  // Two china_ties events on ISR in the same quarter: sorted by name, "a_first" then "b_second",
  // so the later one wins: 0 -> 0.4 -> 0.6. An event dated before the start never fires.
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .start("2015Q1")
                                .event("b_second", "china_ties", "2015Q2",
                                       {{"country", std::string("ISR")}, {"level", 0.6}})
                                .event("a_first", "china_ties", "2015Q2",
                                       {{"country", std::string("ISR")}, {"level", 0.4}})
                                .event("too_early", "china_ties", "2014Q4",
                                       {{"country", std::string("ISR")}, {"level", 0.9}})
                                .build();
  Simulation simulation(scenario);
  CHECK(simulation.step().empty());
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 2);
  CHECK(applied[0].name == "a_first");
  CHECK(applied[0].detail == "ISR china_ties 0 -> 0.4");
  CHECK(applied[1].name == "b_second");
  CHECK(applied[1].detail == "ISR china_ties 0.4 -> 0.6");
  CHECK(simulation.world().attribute(GovernmentAttributeId::ChinaTies)[at(scenario, "ISR")] == 0.6);
  for (int i = 0; i < 6; ++i) CHECK(simulation.step().empty());
}

TEST_CASE("dynamics: the step advances the clock and finishes after the scenario's steps", "[dynamics]") {
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"}).start("2014Q3").steps(3).build();
  Simulation simulation(scenario);
  CHECK(simulation.world().step == 0);
  CHECK(simulation.world().period == period_of("2014Q3"));
  CHECK_FALSE(simulation.finished());
  simulation.step();
  simulation.step();
  CHECK_FALSE(simulation.finished());
  simulation.step();
  CHECK(simulation.finished());
  CHECK(simulation.world().step == 3);
  CHECK(simulation.world().period == period_of("2015Q2"));  // 2014Q3 + 3 quarters
}

TEST_CASE("dynamics: cyber_threat_level moves the level the threat returns to", "[dynamics][events]") {
  // persistence 0.5; JPN felt threat 0.2 at level 0.2 (steady). The level goes to 0.6 in 2014Q2
  // (second step): threat' = level + 0.5 * (threat - level).
  //   step 1: 0.2 + 0.5*(0.2 - 0.2) = 0.2
  //   step 2: 0.6 + 0.5*(0.2 - 0.6) = 0.4;  step 3: 0.6 + 0.5*(0.4 - 0.6) = 0.5;  step 4: 0.55
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .threat_persistence(0.5)
                                .attribute("JPN", "cyber_threat", 0.2)
                                .attribute("JPN", "cyber_threat_level", 0.2)
                                .event("attack_trend", "cyber_threat_level", "2014Q2",
                                       {{"country", std::string("JPN")}, {"level", 0.6}})
                                .build();
  Simulation simulation(scenario);
  const auto jpn = at(scenario, "JPN");
  CHECK(simulation.step().empty());
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == Approx(0.2).margin(1e-15));
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].detail == "JPN cyber_threat_level 0.2 -> 0.6");
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreatLevel)[jpn] == 0.6);
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == Approx(0.4).margin(1e-15));
  simulation.step();
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == Approx(0.5).margin(1e-15));
  simulation.step();
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[jpn] == Approx(0.55).margin(1e-15));
  CHECK(simulation.world().attribute(GovernmentAttributeId::CyberThreat)[at(scenario, "ISR")] == 0.0);
}

TEST_CASE("dynamics: third_party_pressure sets the level of one government", "[dynamics][events]") {
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .attribute("JPN", "third_party_pressure", 0.8)
                                .event("arab_spring", "third_party_pressure", "2014Q2",
                                       {{"country", std::string("JPN")}, {"level", 0.5}})
                                .build();
  Simulation simulation(scenario);
  CHECK(simulation.step().empty());
  CHECK(simulation.world().attribute(GovernmentAttributeId::ThirdPartyPressure)[at(scenario, "JPN")] == 0.8);
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].detail == "JPN third_party_pressure 0.8 -> 0.5");
  CHECK(simulation.world().attribute(GovernmentAttributeId::ThirdPartyPressure)[at(scenario, "JPN")] == 0.5);
  CHECK(simulation.world().attribute(GovernmentAttributeId::ThirdPartyPressure)[at(scenario, "ISR")] == 0.0);
}

TEST_CASE("dynamics: spurn sets the pair's spurned attribute in both directions", "[dynamics][events]") {
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN", "USA"})
                                .event("us_spurns", "spurn", "2014Q1",
                                       {{"country", std::string("USA")}, {"partner", std::string("JPN")}, {"level", 0.7}})
                                .build();
  Simulation simulation(scenario);
  const TieMatrix& before = simulation.world().pair_attributes[index_of(PairAttributeId::Spurned)];
  CHECK(before(at(scenario, "USA"), at(scenario, "JPN")) == 0.0);
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].detail == "USA spurns JPN: spurned 0 -> 0.7");
  const TieMatrix& after = simulation.world().pair_attributes[index_of(PairAttributeId::Spurned)];
  CHECK(after(at(scenario, "USA"), at(scenario, "JPN")) == 0.7);
  CHECK(after(at(scenario, "JPN"), at(scenario, "USA")) == 0.7);
  CHECK(after(at(scenario, "ISR"), at(scenario, "JPN")) == 0.0);
}

TEST_CASE("dynamics: a business forum is an opportunity for its own quarter only", "[dynamics][events]") {
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN", "USA"})
                                .event("forum", "business_forum", "2014Q2",
                                       {{"country", std::string("JPN")}, {"partner", std::string("ISR")}})
                                .build();
  Simulation simulation(scenario);
  const auto isr = at(scenario, "ISR"), jpn = at(scenario, "JPN");
  simulation.step();
  CHECK(simulation.world().opportunity.isZero());
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].detail == "JPN-ISR business forum: an opportunity this quarter");
  CHECK(simulation.world().opportunity(jpn, isr) == 1.0);
  CHECK(simulation.world().opportunity(isr, jpn) == 1.0);
  CHECK(simulation.world().opportunity.sum() == 2.0);
  simulation.step();  // the next quarter clears it
  CHECK(simulation.world().opportunity.isZero());
}
