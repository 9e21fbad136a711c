// The measure catalogue on hand-made worlds whose answers are worked out by hand.
#include <catch2/catch.hpp>

#include <set>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/measures/measure.hpp"
#include "tests/support/start_world.hpp"
#include "tests/support/scenario_builder.hpp"

using namespace policysim;
using policysim::testing::ScenarioBuilder;

namespace {

double single(const char* name, const MeasureContext& context) {
  const std::vector<double> values = measure(name).values(context);
  REQUIRE(values.size() == 1);
  return values[0];
}

// Slots: A = 0, B = 1, C = 2.
Scenario three_government_scenario() {
  TieMatrix dialogue(3, 3);
  dialogue << 0.9, 0.6, 0.05,  // the diagonal (0.9) is not a tie and must be ignored
      0.6, 0.0, 0.3,
      0.05, 0.3, 0.0;
  TieMatrix trade(3, 3);
  trade << 0.0, 100.0, 0.0,
      20.0, 0.0, 5.0,
      10.0, 0.0, 0.0;  // C -> A is exactly at the threshold: not present
  return ScenarioBuilder({"A", "B", "C"})
      .ties(Layer::Dialogue, dialogue)
      .ties(Layer::Trade, trade)
      .dynamics(Layer::Dialogue, {.presence_threshold = 0.1})
      .dynamics(Layer::Cooperation, {.presence_threshold = 0.0})
      .dynamics(Layer::Trade, {.presence_threshold = 10.0})
      .build();
}

}  // namespace

TEST_CASE("measures: names are unique, found by name, and every entry is complete", "[measures]") {
  std::set<std::string> names;
  for (const Measure& entry : measure_catalogue()) {
    INFO(entry.name);
    CHECK(names.insert(entry.name).second);
    CHECK(!entry.units.empty());
    CHECK(!entry.long_name.empty());
    CHECK(static_cast<bool>(entry.compute));
    CHECK(find_measure(entry.name) == &entry);
  }
  CHECK(find_measure("dialogue_densty") == nullptr);
  CHECK_THROWS_WITH(measure("no_such_measure"), Catch::Contains("no_such_measure"));
  CHECK(measure_names().size() == measure_catalogue().size());
}

TEST_CASE("measures: density and mean strength of a 3-government world", "[measures]") {
  const Scenario scenario = three_government_scenario();
  const World world = testing::start_world(scenario);
  const MeasureContext context{scenario, world};
  // Dialogue above 0.1: A-B, B-A, B-C, C-B = 4 of 6 ordered pairs; mean (0.6 + 0.6 + 0.3 + 0.3) / 4.
  CHECK(single("dialogue_density", context) == Approx(2.0 / 3.0).margin(1e-12));
  CHECK(single("dialogue_mean_strength", context) == Approx(0.45).margin(1e-12));
  // Cooperation is all zero; present only strictly above 0.
  CHECK(single("cooperation_density", context) == 0.0);
  CHECK(single("cooperation_mean_strength", context) == 0.0);
  // Trade above 10: A->B 100 and B->A 20 = 2 of 6; mean 60.
  CHECK(single("trade_density", context) == Approx(1.0 / 3.0).margin(1e-12));
  CHECK(single("trade_mean_strength", context) == Approx(60.0).margin(1e-12));
  CHECK(measure("dialogue_density").presence_threshold_of == Layer::Dialogue);
}

TEST_CASE("measures: a layer's pair measure is its tie matrix, row-major [agent, partner]", "[measures]") {
  const Scenario scenario = three_government_scenario();
  const World world = testing::start_world(scenario);
  const MeasureContext context{scenario, world};
  const std::vector<double> trade = measure("trade").values(context);
  CHECK(trade == std::vector<double>{0.0, 100.0, 0.0, 20.0, 0.0, 5.0, 10.0, 0.0, 0.0});
  CHECK(measure("dialogue").at(context, 2, 1) == 0.3);
  CHECK(measure("dialogue").at(context, 0, 2) == 0.05);
  CHECK(measure("trade").tie_layer == Layer::Trade);
  CHECK_THROWS(measure("trade_density").at(context, 0, 1));
}

TEST_CASE("measures: a one-government world reads 0, not NaN", "[measures]") {
  const Scenario scenario = ScenarioBuilder({"A"}).build();
  const World world = testing::start_world(scenario);
  const MeasureContext context{scenario, world};
  for (const Measure& entry : measure_catalogue())
    for (double value : entry.values(context)) {
      INFO(entry.name);
      CHECK(value == 0.0);
    }
}

TEST_CASE("measures: dialogues held and MOUs signed are counted per pair from the step's milestones", "[measures]") {
  const Scenario scenario = three_government_scenario();
  const World world = testing::start_world(scenario);
  const Period quarter = scenario.simulation.start;
  const std::vector<Milestone> milestones = {
      {quarter, 0, 1, MilestoneKind::DialogueHeld, 0.5},
      {quarter, 0, 1, MilestoneKind::DialogueHeld, 0.6},
      {quarter, 1, 2, MilestoneKind::MouSigned, 0.4},
  };
  const MeasureContext context{scenario, world, milestones};
  // A-B held two dialogues; B-C signed one MOU; both directions of a mutual pair count.
  CHECK(measure("dialogues_held").values(context) == std::vector<double>{0, 2, 0, 2, 0, 0, 0, 0, 0});
  CHECK(measure("mous_signed").values(context) == std::vector<double>{0, 0, 0, 0, 0, 1, 0, 1, 0});
  // Without milestones (the initial world) every count is 0.
  const MeasureContext initial{scenario, world};
  for (double value : measure("dialogues_held").values(initial)) CHECK(value == 0.0);
}

TEST_CASE("measures: firm measures on a hand-made firm network", "[measures]") {
  Scenario scenario = three_government_scenario();
  FirmPopulation cyber, others;
  cyber.name = "cyber";
  cyber.stable_id = 11;
  others.name = "others";
  others.stable_id = 22;
  scenario.firms.populations = {cyber, others};
  World world = testing::start_world(scenario);
  // Firms: 0 A ict (others), 1 B cyber (cyber), 2 B cyber (cyber, bought), 3 C manufacturing (others),
  // 4 A ict (others, no partner).
  FirmTable firms;
  firms.country = {0, 1, 1, 2, 0};
  firms.sector = {Sector::Ict, Sector::CyberSecurity, Sector::CyberSecurity, Sector::Manufacturing, Sector::Ict};
  firms.size = {1, 1, 1, 1, 1};
  firms.innovation = {0, 0, 0, 0, 0};
  firms.risk_tolerance = {0, 0, 0, 0, 0};
  firms.population_id = {22, 11, 11, 22, 22};
  firms.member = {0, 0, 1, 1, 2};
  firms.active = {1, 1, 0, 1, 1};
  // Ties (a < b): 0-1 (A-B, weight 0.2), 0-3 (A-C, 0.4), 1-3 (B-C, 0.6).
  FirmTies ties;
  ties.a = {0, 0, 1};
  ties.b = {1, 3, 3};
  ties.weight = {0.2, 0.4, 0.6};
  world.firms = std::make_shared<const FirmTable>(std::move(firms));
  world.b2b_cooperation = std::make_shared<FirmNetwork>(5, std::move(ties));
  set_b2b_country_aggregates(world);  // what the B2B phase keeps in World, read by two of the measures
  const MeasureContext context{scenario, world};

  CHECK(single("b2b_cooperation_ties", context) == 3.0);
  CHECK(single("b2b_cooperation_mean_weight", context) == Approx(0.4).margin(1e-12));
  CHECK(single("b2b_cooperation_mean_degree", context) == Approx(1.2).margin(1e-12));  // 2 * 3 ties / 5 firms
  // One tie each between A-B, A-C and B-C, both directions.
  CHECK(measure("b2b_cooperation").values(context) == std::vector<double>{0, 1, 1, 1, 0, 1, 1, 1, 0});
  // The ict firm of A and the manufacturer of C each have one cyber security partner, in B.
  CHECK(measure("b2b_cyber_service_ties").values(context) == std::vector<double>{0, 1, 0, 0, 0, 0, 0, 1, 0});
  // A: 2 active firms, B: 1 (one bought), C: 1; by population (scenario order): cyber 1, others 3.
  CHECK(measure("active_firms").values(context) == std::vector<double>{2, 1, 1});
  CHECK(measure("population_active_firms").values(context) == std::vector<double>{1, 3});
  // Each country has one active firm with a partner in each other country.
  CHECK(measure("b2b_networked_firms").values(context) == std::vector<double>{0, 1, 1, 1, 0, 1, 1, 1, 0});
  // Share: (networked both ways) / (active firms of both): A-B and A-C (1 + 1) / (2 + 1), B-C 2 / 2.
  const std::vector<double> share = measure("b2b_networked_share").values(context);
  const std::vector<double> expected_share = {0, 2.0 / 3, 2.0 / 3, 2.0 / 3, 0, 1, 2.0 / 3, 1, 0};
  REQUIRE(share.size() == expected_share.size());
  for (std::size_t k = 0; k < share.size(); ++k) CHECK(share[k] == Approx(expected_share[k]).margin(1e-12));
  // No B2B trade in this world: its measures read 0.
  CHECK(single("b2b_trade_value", context) == 0.0);
  for (double value : measure("b2b_trade").values(context)) CHECK(value == 0.0);
  CHECK(measure("b2b_cooperation").applies_to(scenario));
  CHECK_FALSE(measure("b2b_trade").applies_to(scenario));
}
