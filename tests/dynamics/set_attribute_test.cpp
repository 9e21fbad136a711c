// set_attribute: one event kind for every government attribute (value, change or factor, clamped
// to the attribute's range), and its old names china_ties, cyber_threat_level and
// third_party_pressure, which keep their old parameters and results.
#include <catch2/catch.hpp>

#include <string>

#include "sim/dynamics/step.hpp"
#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"
#include "tests/support/scenario_builder.hpp"

using namespace policysim;
using policysim::testing::ScenarioBuilder;
using policysim::testing::ScenarioFolder;
using policysim::testing::slot_of;

namespace {

// ISR's attribute after one set_attribute event in the first quarter, from `start`; and the event's account.
std::pair<double, std::string> after_one_event(const std::string& attribute, double start, const std::string& how,
                                               double amount) {
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .attribute("ISR", attribute, start)
                                .event("move", "set_attribute", "2014Q1",
                                       {{"attribute", attribute}, {"agent", std::string("ISR")}, {how, amount}})
                                .build();
  Simulation simulation(scenario);
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].kind == "set_attribute");
  const auto id = *government_attribute_from_name(attribute);
  // The other government is untouched.
  CHECK(simulation.world().attribute(id)[static_cast<Eigen::Index>(slot_of(scenario, "JPN"))] ==
        kGovernmentAttributes[index_of(id)].default_value);
  return {simulation.world().attribute(id)[static_cast<Eigen::Index>(slot_of(scenario, "ISR"))], applied[0].detail};
}

}  // namespace

TEST_CASE("set_attribute: value sets, change adds, factor multiplies", "[dynamics][events]") {
  CHECK(after_one_event("china_ties", 0.25, "value", 0.75) == std::pair<double, std::string>{0.75, "ISR china_ties 0.25 -> 0.75"});
  CHECK(after_one_event("china_ties", 0.25, "change", 0.5).first == 0.75);
  CHECK(after_one_event("china_ties", 0.75, "change", -0.5).first == 0.25);
  CHECK(after_one_event("china_ties", 0.25, "factor", 2.0).first == 0.5);
  CHECK(after_one_event("china_ties", 0.5, "factor", 0.5).first == 0.25);
  // Any attribute of the catalogue, also one that no old event kind could move.
  CHECK(after_one_event("formality", 0.5, "change", 0.25) == std::pair<double, std::string>{0.75, "ISR formality 0.5 -> 0.75"});
  CHECK(after_one_event("pressure_target", 0.0, "value", 1.0).first == 1.0);
}

TEST_CASE("set_attribute: the result is clamped to the attribute's range [0, 1]", "[dynamics][events]") {
  CHECK(after_one_event("china_ties", 0.5, "change", 0.75) == std::pair<double, std::string>{1.0, "ISR china_ties 0.5 -> 1"});
  CHECK(after_one_event("china_ties", 0.5, "change", -0.75).first == 0.0);
  CHECK(after_one_event("cyber_threat_level", 0.5, "factor", 3.0).first == 1.0);
  CHECK(after_one_event("cyber_threat_level", 0.5, "factor", 0.0).first == 0.0);
}

TEST_CASE("set_attribute: a changed attribute drives its effect from that quarter on", "[dynamics][events][effects]") {
  // china_rivalry was fixed for a run before set_attribute; now an event moves it and china_friction follows.
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .attribute("ISR", "china_ties", 0.5)
                                .event("rivalry", "set_attribute", "2014Q2",
                                       {{"attribute", std::string("china_rivalry")}, {"agent", std::string("JPN")},
                                        {"value", 0.8}})
                                .build();
  Simulation simulation(scenario);
  const auto friction = [&] {
    return find_effect("china_friction")->statistic(EffectContext{scenario, simulation.world()}, 0, 1);
  };
  simulation.step();
  CHECK(friction() == 0.0);
  simulation.step();
  CHECK(friction() == Approx(0.5 * 0.5 * 0.8));
}

TEST_CASE("set_attribute: the old kinds are aliases with their old parameters and results", "[dynamics][events]") {
  struct OldKind {
    std::string kind, attribute;
    GovernmentAttributeId id;
  };
  for (const OldKind& old : {OldKind{"china_ties", "china_ties", GovernmentAttributeId::ChinaTies},
                             OldKind{"cyber_threat_level", "cyber_threat_level", GovernmentAttributeId::CyberThreatLevel},
                             OldKind{"third_party_pressure", "third_party_pressure", GovernmentAttributeId::ThirdPartyPressure}}) {
    INFO("old kind " << old.kind);
    const auto scenario_with = [&](bool alias) {
      ScenarioBuilder builder({"ISR", "JPN", "USA"});
      builder.attribute("JPN", old.attribute, 0.2)
          .attribute("JPN", "cyber_threat", 0.6)
          .attribute("ISR", "pressure_target", 1.0)
          .attribute("JPN", "china_rivalry", 0.9)
          .tie(Layer::Dialogue, "ISR", "JPN", 0.3)
          .dynamics(Layer::Dialogue, {.adjustment_rate = 0.5, .noise_sd = 0.05})
          .effect(Layer::Dialogue, "china_friction", -2.0)
          .effect(Layer::Dialogue, "shared_threat", 1.0)
          .effect(Layer::Dialogue, "third_party_pressure", -1.5)
          .threat_persistence(0.5);
      if (alias)
        builder.event("move", old.kind, "2014Q3", {{"country", std::string("JPN")}, {"level", 0.7}});
      else
        builder.event("move", "set_attribute", "2014Q3",
                      {{"attribute", old.attribute}, {"agent", std::string("JPN")}, {"value", 0.7}});
      return builder.build();
    };
    const Scenario by_alias = scenario_with(true), by_new_kind = scenario_with(false);
    Simulation a(by_alias), b(by_new_kind);
    while (!a.finished()) {
      const auto applied_a = a.step();
      const auto applied_b = b.step();
      REQUIRE(applied_a.size() == applied_b.size());
      for (std::size_t k = 0; k < applied_a.size(); ++k) {
        CHECK(applied_a[k].kind == "set_attribute");
        // The account reads as the old kind's did: "<country> <attribute> <before> -> <level>".
        CHECK(applied_a[k].detail == "JPN " + old.attribute + " 0.2 -> 0.7");
        CHECK(applied_a[k].detail == applied_b[k].detail);
      }
      CHECK(a.world() == b.world());
    }
    // The old kind set the level, as the alias does.
    CHECK(a.world().attribute(old.id)[static_cast<Eigen::Index>(slot_of(by_alias, "JPN"))] == 0.7);
  }
}

TEST_CASE("set_attribute: an old kind in a scenario file loads as set_attribute", "[scenario][events]") {
  ScenarioFolder folder;
  const std::string events_old = "\n[events.haifa]\nkind = \"china_ties\"\nperiod = \"2013Q3\"\ncountry = \"ISR\"\nlevel = 0.6\n";
  const std::string events_new = "\n[events.haifa]\nkind = \"set_attribute\"\nperiod = \"2013Q3\"\nattribute = \"china_ties\"\n"
                                 "agent = \"ISR\"\nvalue = 0.6\n";
  const Scenario old_file = load_scenario(folder.write("old.toml", std::string(testing::kMinimalScenario) + events_old)).scenario;
  const Scenario new_file = load_scenario(folder.write("new.toml", std::string(testing::kMinimalScenario) + events_new)).scenario;
  REQUIRE(old_file.events.size() == 2);
  REQUIRE(new_file.events.size() == 2);
  const EventInstance& haifa = old_file.events[1];
  CHECK(haifa.name == "haifa");
  CHECK(spec_of(haifa).kind == "set_attribute");
  CHECK(haifa.params == new_file.events[1].params);
  CHECK(haifa.text("attribute") == "china_ties");
  CHECK(haifa.text("agent") == "ISR");
  CHECK(haifa.number("value") == 0.6);
}
