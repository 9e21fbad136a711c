// Each effect of the catalogue on a three-government world whose statistics are worked out by
// hand, and the hygiene of the effect and event catalogues.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/dynamics/step.hpp"
#include "tests/support/scenario_builder.hpp"
#include "tests/support/start_world.hpp"

using namespace policysim;
using policysim::testing::ScenarioBuilder;
using policysim::testing::slot_of;

namespace {

// ISR, JPN, USA (slots 0, 1, 2 once sorted by code).
//             leader     china_ties  china_rivalry  cyber_threat  fragmentation
//   ISR       Netanyahu  0.60        0.10           0.40          0.20
//   JPN       Abe        0.20        0.80           0.50          0.80
//   USA       Obama      0.05        0.90           0.00          0.40
// rapport: Abe-Netanyahu 0.9, Abe-Obama 0.4 (Netanyahu-Obama not stated -> 0)
// ties: dialogue JPN-ISR 0.6, ISR-USA 0.5; cooperation JPN-ISR 0.35; all others 0.
// trade (US$ m): JPN->ISR 1523, ISR->JPN 816, JPN->USA 98402, USA->JPN 60487 (COW 2009); ISR-USA none.
// third-party pressure: JPN 0.8, USA 0.1; pressure target: ISR 1.
// pair attributes: un_vote_agreement JPN-ISR 0.38, JPN-USA 0.42 (ISR-USA unstated: default 0.5);
//                  spurned JPN-USA 0.6 (others 0).
ScenarioBuilder three_governments() {
  ScenarioBuilder builder({"JPN", "ISR", "USA"});
  builder.leader("ISR", "Netanyahu").leader("JPN", "Abe").leader("USA", "Obama")
      .affinity("Abe", "Netanyahu", 0.9).affinity("Abe", "Obama", 0.4)
      .attribute("ISR", "china_ties", 0.60).attribute("ISR", "china_rivalry", 0.10)
      .attribute("JPN", "china_ties", 0.20).attribute("JPN", "china_rivalry", 0.80)
      .attribute("USA", "china_ties", 0.05).attribute("USA", "china_rivalry", 0.90)
      .attribute("ISR", "cyber_threat", 0.40).attribute("JPN", "cyber_threat", 0.50)
      .attribute("ISR", "bureaucratic_fragmentation", 0.20)
      .attribute("JPN", "bureaucratic_fragmentation", 0.80)
      .attribute("USA", "bureaucratic_fragmentation", 0.40)
      .attribute("JPN", "third_party_pressure", 0.8)
      .attribute("USA", "third_party_pressure", 0.1)
      .attribute("ISR", "pressure_target", 1.0)
      .pair_attribute("un_vote_agreement", "JPN", "ISR", 0.38)
      .pair_attribute("un_vote_agreement", "USA", "JPN", 0.42)
      .pair_attribute("spurned", "USA", "JPN", 0.6)
      .tie(Layer::Dialogue, "JPN", "ISR", 0.6)
      .tie(Layer::Dialogue, "USA", "ISR", 0.5)
      .tie(Layer::Cooperation, "JPN", "ISR", 0.35)
      .tie(Layer::Trade, "JPN", "ISR", 1523.0).tie(Layer::Trade, "ISR", "JPN", 816.0)
      .tie(Layer::Trade, "JPN", "USA", 98402.0).tie(Layer::Trade, "USA", "JPN", 60487.0);
  return builder;
}

double statistic(const std::string& effect, const Scenario& scenario, const World& world, const std::string& i,
                 const std::string& j) {
  const EffectSpec* spec = find_effect(effect);
  REQUIRE(spec != nullptr);
  return spec->statistic(EffectContext{scenario, world}, slot_of(scenario, i), slot_of(scenario, j));
}

struct Expected {
  double jpn_isr;
  double isr_usa;
  double jpn_usa;
};

// Worked out by hand from the table above.
const std::map<std::string, Expected> kExpected = {
    // intercept: 1 everywhere
    {"density", {1.0, 1.0, 1.0}},
    // affinity(Abe, Netanyahu) = 0.9; (Netanyahu, Obama) not stated = 0; (Abe, Obama) = 0.4
    {"leader_affinity", {0.9, 0.0, 0.4}},
    // cooperation_ij: 0.35 for JPN-ISR, 0 elsewhere
    {"institutional_memory", {0.35, 0.0, 0.0}},
    // dialogue_ij: 0.6 for JPN-ISR, 0.5 for ISR-USA, 0 for JPN-USA
    {"dialogue_spillover", {0.6, 0.5, 0.0}},
    {"dialogue_support", {0.6, 0.5, 0.0}},
    // (c_i r_j + c_j r_i) / 2:
    //   JPN-ISR: (0.20*0.10 + 0.60*0.80)/2 = (0.02 + 0.48)/2  = 0.25
    //   ISR-USA: (0.60*0.90 + 0.05*0.10)/2 = (0.54 + 0.005)/2 = 0.2725
    //   JPN-USA: (0.20*0.90 + 0.05*0.80)/2 = (0.18 + 0.04)/2  = 0.11
    {"china_friction", {0.25, 0.2725, 0.11}},
    // threat_i * threat_j: 0.5*0.4 = 0.2; USA has none
    {"shared_threat", {0.2, 0.0, 0.0}},
    // (f_i + f_j)/2: (0.8+0.2)/2 = 0.5; (0.2+0.4)/2 = 0.3; (0.8+0.4)/2 = 0.6
    {"bureaucratic_friction", {0.5, 0.3, 0.6}},
    // un_vote_agreement_ij: 0.38, unstated ISR-USA takes the default 0.5, 0.42
    {"norm_similarity", {0.38, 0.5, 0.42}},
    // max over the third agent k of dialogue_ik * dialogue_kj (one k in a three-agent world):
    //   JPN-ISR via USA: 0 * 0.5 = 0;  ISR-USA via JPN: 0.6 * 0 = 0;  JPN-USA via ISR: 0.6 * 0.5 = 0.3
    {"third_party_bridge", {0.0, 0.0, 0.3}},
    // (sum of i's other dialogues + sum of j's other dialogues) / 2, the pair's own tie left out:
    //   JPN-ISR: JPN's others (USA 0) = 0, ISR's others (USA 0.5) = 0.5 -> 0.25
    //   ISR-USA: ISR's others (JPN 0.6) = 0.6, USA's others (JPN 0) = 0 -> 0.3
    //   JPN-USA: JPN's others (ISR 0.6), USA's others (ISR 0.5) -> 0.55
    {"attention_load", {0.25, 0.3, 0.55}},
    // log10(1 + T_ij + T_ji) / 6:
    //   JPN-ISR: log10(2340) / 6 = 3.369215857410 / 6 = 0.561535976235
    //   ISR-USA: log10(1) = 0
    //   JPN-USA: log10(158890) / 6 = 5.201096565039 / 6 = 0.866849427507
    {"trade_interdependence", {0.561535976235, 0.0, 0.866849427507}},
    // (p_i t_j + p_j t_i) / 2:
    //   JPN-ISR: (0.8*1 + 0*0)/2 = 0.4;  ISR-USA: (0*0 + 0.1*1)/2 = 0.05;  JPN-USA: (0.8*0 + 0.1*0)/2 = 0
    {"third_party_pressure", {0.4, 0.05, 0.0}},
    // spurned_ij: only JPN-USA
    {"spurned", {0.0, 0.0, 0.6}},
    // membership_ij: none of the three is an organisation; see the test below
    {"membership", {0.0, 0.0, 0.0}},
    // log10(1 + B2B ties) / 4: no firms in this world; hand case with firms in tests/dynamics/firms/firm_extensions_test.cpp
    {"b2b_ties", {0.0, 0.0, 0.0}},
    // max(fta, investment_agreement, data_adequacy): none in force; set by events in firm_extensions_test.cpp
    {"agreement", {0.0, 0.0, 0.0}},
    // Gravity terms: this world gives no [trade] totals or distances, which read 0 (the loader refuses
    // a file whose trade effects need them); the directed values with totals are in the test below.
    {"exporter_size", {0.0, 0.0, 0.0}},
    {"importer_size", {0.0, 0.0, 0.0}},
    {"distance", {0.0, 0.0, 0.0}},
};

}  // namespace

TEST_CASE("dynamics: every effect gives its hand-computed statistic on a three-government world",
          "[dynamics][effects]") {
  const Scenario scenario = three_governments().build();
  const World world = testing::start_world(scenario);
  for (const auto& [name, expected] : kExpected) {
    INFO("effect " << name);
    CHECK(statistic(name, scenario, world, "JPN", "ISR") == Approx(expected.jpn_isr).margin(1e-12));
    CHECK(statistic(name, scenario, world, "ISR", "USA") == Approx(expected.isr_usa).margin(1e-12));
    CHECK(statistic(name, scenario, world, "JPN", "USA") == Approx(expected.jpn_usa).margin(1e-12));
    // All of today's effects are symmetric in i and j.
    CHECK(statistic(name, scenario, world, "ISR", "JPN") == statistic(name, scenario, world, "JPN", "ISR"));
    CHECK(statistic(name, scenario, world, "USA", "ISR") == statistic(name, scenario, world, "ISR", "USA"));
  }
}

TEST_CASE("dynamics: the gravity statistics read the totals on their trend and the distance, by direction",
          "[dynamics][effects][trade]") {
  Scenario scenario = three_governments().start("2010Q1").build();
  scenario.trade.totals_year = 2009;
  scenario.trade.totals.assign(3, TradeTotals{});
  scenario.trade.totals[slot_of(scenario, "JPN")] = {580000.0, 550000.0, 0.04, 0.06};
  scenario.trade.totals[slot_of(scenario, "ISR")] = {48000.0, 47000.0, 0.08, 0.05};
  scenario.trade.distance_km = TieMatrix::Zero(3, 3);
  const auto jpn = static_cast<long>(slot_of(scenario, "JPN")), isr = static_cast<long>(slot_of(scenario, "ISR"));
  scenario.trade.distance_km(jpn, isr) = scenario.trade.distance_km(isr, jpn) = 9150.0;
  const World world = testing::start_world(scenario);
  // 2010Q1's middle is 2010.125, 0.625 years after the middle of 2009.
  CHECK(statistic("exporter_size", scenario, world, "JPN", "ISR") == Approx(std::log(580000.0) + 0.04 * 0.625).margin(1e-12));
  CHECK(statistic("exporter_size", scenario, world, "ISR", "JPN") == Approx(std::log(48000.0) + 0.08 * 0.625).margin(1e-12));
  CHECK(statistic("importer_size", scenario, world, "JPN", "ISR") == Approx(std::log(47000.0) + 0.05 * 0.625).margin(1e-12));
  CHECK(statistic("importer_size", scenario, world, "ISR", "JPN") == Approx(std::log(550000.0) + 0.06 * 0.625).margin(1e-12));
  CHECK(statistic("distance", scenario, world, "JPN", "ISR") == Approx(std::log(9150.0)).margin(1e-12));
  CHECK(statistic("distance", scenario, world, "ISR", "JPN") == Approx(std::log(9150.0)).margin(1e-12));
}

TEST_CASE("dynamics: every effect of the catalogue has a hand-computed case above", "[dynamics][effects]") {
  // A new effect must come with its tiny-world answer in kExpected.
  for (const EffectSpec& spec : effect_catalogue()) {
    INFO("effect " << spec.name);
    CHECK(kExpected.count(std::string(spec.name)) == 1);
  }
  CHECK(kExpected.size() == effect_catalogue().size());
}

TEST_CASE("dynamics: effects read the world, not the scenario: leader_affinity follows the new leader",
          "[dynamics][effects][events]") {
  // JPN's leader changes Abe -> Suga in the first quarter; rapport Suga-Netanyahu 0.1, Suga-Obama unstated.
  const Scenario scenario = three_governments()
                                .affinity("Suga", "Netanyahu", 0.1)
                                .event("abe_exit", "leadership_change", "2014Q1", {{"country", std::string("JPN")},
                                                                                   {"leader", std::string("Suga")}})
                                .build();
  Simulation simulation(scenario);
  CHECK(statistic("leader_affinity", scenario, simulation.world(), "JPN", "ISR") == 0.9);
  simulation.step();
  CHECK(statistic("leader_affinity", scenario, simulation.world(), "JPN", "ISR") == 0.1);
  CHECK(statistic("leader_affinity", scenario, simulation.world(), "ISR", "JPN") == 0.1);
  CHECK(statistic("leader_affinity", scenario, simulation.world(), "JPN", "USA") == 0.0);  // Suga-Obama unstated
  CHECK(statistic("leader_affinity", scenario, simulation.world(), "ISR", "USA") == 0.0);  // untouched
}

TEST_CASE("dynamics: china_friction reads the current china_ties, changed by events", "[dynamics][effects][events]") {
  const Scenario scenario = three_governments().build();
  World world = testing::start_world(scenario);
  world.attribute(GovernmentAttributeId::ChinaTies)[static_cast<Eigen::Index>(slot_of(scenario, "ISR"))] = 0.9;
  // (c_JPN r_ISR + c_ISR r_JPN)/2 = (0.20*0.10 + 0.90*0.80)/2 = (0.02 + 0.72)/2 = 0.37
  CHECK(statistic("china_friction", scenario, world, "JPN", "ISR") == Approx(0.37).margin(1e-12));
}

TEST_CASE("dynamics: utility is the dot product of coefficients and statistics", "[dynamics][effects]") {
  const Scenario scenario = three_governments()
                                .effect(Layer::Dialogue, "density", -1.0)
                                .effect(Layer::Dialogue, "leader_affinity", 2.0)
                                .effect(Layer::Dialogue, "china_friction", -0.8)
                                .effect(Layer::Dialogue, "shared_threat", 0.5)
                                .build();
  const World world = testing::start_world(scenario);
  const EffectContext context{scenario, world};
  const auto& terms = scenario.effects[index_of(Layer::Dialogue)];
  const std::size_t jpn = slot_of(scenario, "JPN"), isr = slot_of(scenario, "ISR"), usa = slot_of(scenario, "USA");
  // JPN-ISR: -1*1 + 2*0.9 - 0.8*0.25 + 0.5*0.2 = -1 + 1.8 - 0.2 + 0.1 = 0.7
  CHECK(utility(context, terms, jpn, isr) == Approx(0.7).margin(1e-12));
  // ISR-USA: -1 + 2*0 - 0.8*0.2725 + 0.5*0 = -1 - 0.218 = -1.218
  CHECK(utility(context, terms, isr, usa) == Approx(-1.218).margin(1e-12));
  // No terms: utility 0.
  CHECK(utility(context, {}, jpn, isr) == 0.0);
}

TEST_CASE("dynamics: the effect catalogue is complete and unambiguous", "[dynamics][effects][catalogue]") {
  std::set<std::string_view> names;
  for (const EffectSpec& spec : effect_catalogue()) {
    INFO("effect " << spec.name);
    CHECK_FALSE(spec.name.empty());
    CHECK(names.insert(spec.name).second);
    CHECK_FALSE(spec.doc.empty());
    CHECK_FALSE(spec.formula.empty());
    CHECK_FALSE(spec.source.empty());
    CHECK(spec.statistic != nullptr);
    CHECK_FALSE(spec.layers.empty());
    std::set<Layer> layers(spec.layers.begin(), spec.layers.end());
    CHECK(layers.size() == spec.layers.size());
    for (Layer layer : kAllLayers) CHECK(spec.allowed_in(layer) == (layers.count(layer) == 1));
    CHECK(find_effect(spec.name) == &spec);
    // One default coefficient per layer, and 0 outside the effect's layers.
    CHECK(spec.default_coefficients.size() == spec.layers.size());
    for (Layer layer : kAllLayers)
      if (!spec.allowed_in(layer)) CHECK(spec.default_coefficient(layer) == 0.0);
  }
  CHECK(find_effect("leader_afinity") == nullptr);
  CHECK(find_effect("") == nullptr);
  CHECK(find_effect("Density") == nullptr);
}

TEST_CASE("dynamics: every event kind is a driver or a policy, as classified by its nature",
          "[dynamics][events][catalogue]") {
  // Drivers are exogenous (who leads, threats, third parties, China ties); policies are instruments
  // that governments, agencies or firms choose. The classification is part of the catalogue.
  const std::map<std::string_view, EventRole> expected = {
      {"leadership_change", EventRole::Driver}, {"set_attribute", EventRole::Driver},
      {"cyber_incident", EventRole::Driver},    {"spurn", EventRole::Driver},
      {"business_forum", EventRole::Policy},    {"matchmaking", EventRole::Policy},
      {"direct_flight", EventRole::Policy},     {"agreement", EventRole::Policy},
      {"trilateral_program", EventRole::Policy}, {"acquisition", EventRole::Policy}};
  REQUIRE(expected.size() == event_catalogue().size());
  for (const EventSpec& spec : event_catalogue()) {
    INFO("event kind " << spec.kind);
    REQUIRE(expected.count(spec.kind) == 1);
    CHECK(spec.role == expected.at(spec.kind));
  }
  CHECK(name_of(EventRole::Driver) == "driver");
  CHECK(name_of(EventRole::Policy) == "policy");
}

TEST_CASE("dynamics: the event catalogue is complete and unambiguous", "[dynamics][events][catalogue]") {
  std::set<std::string_view> kinds;
  for (const EventSpec& spec : event_catalogue()) {
    INFO("event kind " << spec.kind);
    CHECK_FALSE(spec.kind.empty());
    CHECK(kinds.insert(spec.kind).second);
    CHECK_FALSE(spec.doc.empty());
    CHECK_FALSE(spec.source.empty());
    CHECK(spec.apply != nullptr);
    CHECK_FALSE(spec.params.empty());
    std::set<std::string_view> params;
    for (const EventParam& param : spec.params) {
      CHECK_FALSE(param.name.empty());
      CHECK_FALSE(param.doc.empty());
      CHECK(params.insert(param.name).second);
      CHECK(name_of(param.type) != "?");
      // An optional parameter belongs to the kind's exactly-one-of group, and the group to its parameters.
      const bool grouped = std::find(spec.exactly_one_of.begin(), spec.exactly_one_of.end(), param.name) !=
                           spec.exactly_one_of.end();
      CHECK(param.required != grouped);
    }
    for (std::string_view name : spec.exactly_one_of) CHECK(params.count(name) == 1);
    CHECK(find_event_kind(spec.kind) == &spec);
    CHECK(event_catalogue()[*event_kind_index(spec.kind)].kind == spec.kind);
  }
  CHECK(kinds == std::set<std::string_view>{"leadership_change", "set_attribute", "cyber_incident", "spurn",
                                            "business_forum", "matchmaking", "direct_flight", "agreement",
                                            "trilateral_program", "acquisition"});
  CHECK(find_event_kind("leadership-change") == nullptr);
  CHECK(find_event_kind("") == nullptr);
  // The old names: not kinds of their own, each an alias of a kind whose parameters it renames to.
  std::set<std::string_view> aliases;
  for (const EventAlias& alias : event_aliases()) {
    INFO("alias " << alias.kind);
    aliases.insert(alias.kind);
    CHECK(find_event_kind(alias.kind) == nullptr);
    const EventSpec* target = find_event_kind(alias.target);
    REQUIRE(target != nullptr);
    for (const auto& [old_param, new_param] : alias.renamed) {
      CHECK(std::count_if(alias.params.begin(), alias.params.end(), [&](const EventParam& p) { return p.name == old_param; }) == 1);
      CHECK(std::count_if(target->params.begin(), target->params.end(), [&](const EventParam& p) { return p.name == new_param; }) == 1);
    }
  }
  CHECK(aliases == std::set<std::string_view>{"china_ties", "cyber_threat_level", "third_party_pressure"});
}

TEST_CASE("dynamics: third_party_bridge takes the strongest two-path, not the sum", "[dynamics][effects]") {
  // JPN and ISR both talk to USA (0.8, 0.7) and to GBR (0.5, 0.9). Paths: via USA 0.8*0.7 = 0.56,
  // via GBR 0.5*0.9 = 0.45; the statistic is the larger, 0.56 (a sum would give 1.01). The direct
  // JPN-ISR tie (0.2) is not a path.
  const Scenario scenario = ScenarioBuilder({"GBR", "ISR", "JPN", "USA"})
                                .tie(Layer::Dialogue, "JPN", "USA", 0.8).tie(Layer::Dialogue, "ISR", "USA", 0.7)
                                .tie(Layer::Dialogue, "JPN", "GBR", 0.5).tie(Layer::Dialogue, "ISR", "GBR", 0.9)
                                .tie(Layer::Dialogue, "JPN", "ISR", 0.2)
                                .build();
  const World world = testing::start_world(scenario);
  CHECK(statistic("third_party_bridge", scenario, world, "JPN", "ISR") == Approx(0.56).margin(1e-12));
  // USA-GBR: via JPN 0.8*0.5 = 0.4, via ISR 0.7*0.9 = 0.63.
  CHECK(statistic("third_party_bridge", scenario, world, "USA", "GBR") == Approx(0.63).margin(1e-12));
}

TEST_CASE("dynamics: trade_interdependence and third_party_pressure follow trade and events", "[dynamics][effects][events]") {
  // Trade JPN->ISR 999 (no flow back): log10(1000)/6 = 0.5 exactly. Pressure JPN 0.8 -> 0.2 after an
  // event in the first quarter: (0.2 * 1)/2 = 0.1.
  const Scenario scenario = ScenarioBuilder({"ISR", "JPN"})
                                .tie(Layer::Trade, "JPN", "ISR", 999.0)
                                .attribute("JPN", "third_party_pressure", 0.8)
                                .attribute("ISR", "pressure_target", 1.0)
                                .event("arab_spring", "third_party_pressure", "2014Q1",
                                       {{"country", std::string("JPN")}, {"level", 0.2}})
                                .build();
  Simulation simulation(scenario);
  CHECK(statistic("trade_interdependence", scenario, simulation.world(), "JPN", "ISR") == Approx(0.5).margin(1e-12));
  CHECK(statistic("third_party_pressure", scenario, simulation.world(), "ISR", "JPN") == Approx(0.4).margin(1e-12));
  simulation.step();
  CHECK(statistic("third_party_pressure", scenario, simulation.world(), "ISR", "JPN") == Approx(0.1).margin(1e-12));
}

TEST_CASE("dynamics: membership reads the pair attribute, symmetric", "[dynamics][effects]") {
  const Scenario scenario = ScenarioBuilder({"EST", "JPN", "NATO"}).pair_attribute("membership", "EST", "NATO", 1.0).build();
  const World world = testing::start_world(scenario);
  CHECK(statistic("membership", scenario, world, "EST", "NATO") == 1.0);
  CHECK(statistic("membership", scenario, world, "NATO", "EST") == 1.0);
  CHECK(statistic("membership", scenario, world, "JPN", "NATO") == 0.0);
}
