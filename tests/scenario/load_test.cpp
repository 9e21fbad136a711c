#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/scenario/defaults.hpp"
#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"

using namespace policysim;
using policysim::testing::kMinimalScenario;
using policysim::testing::ScenarioFolder;

TEST_CASE("a valid scenario file becomes the Scenario it describes", "[scenario]") {
  ScenarioFolder folder;
  const auto loaded = load_scenario(folder.write("s.toml", kMinimalScenario));
  const Scenario& s = loaded.scenario;

  CHECK(s.simulation.start.label() == "2012Q1");
  CHECK(s.simulation.steps == 8);
  CHECK(s.simulation.seed == 7);
  REQUIRE(s.agent_count() == 3);
  // Sorted by code, whatever the order in the file.
  CHECK(s.governments[0].code == "EU");
  CHECK(s.governments[1].code == "ISR");
  CHECK(s.governments[2].code == "JPN");
  CHECK(s.governments[0].kind == AgentKind::Organisation);
  CHECK(s.governments[1].name == "ISR");  // name defaults to the code
  CHECK(s.governments[2].name == "Japan");
  CHECK(s.governments[2].attribute(GovernmentAttributeId::ChinaRivalry) == 0.8);
  CHECK(s.governments[1].attribute(GovernmentAttributeId::ChinaTies) == 0.3);
  CHECK(s.governments[2].attribute(GovernmentAttributeId::RiskTolerance) == 0.5);  // attribute default
  CHECK(s.governments[2].stable_id == stable_id_of("JPN"));
  CHECK(s.leader_affinity.between("Netanyahu", "Abe") == 0.8);

  const auto jpn = *s.agent_index("JPN");
  const auto isr = *s.agent_index("ISR");
  // Mutual layers are symmetric; trade is directed.
  CHECK(s.initial_ties[index_of(Layer::Dialogue)](static_cast<long>(jpn), static_cast<long>(isr)) == 0.2);
  CHECK(s.initial_ties[index_of(Layer::Dialogue)](static_cast<long>(isr), static_cast<long>(jpn)) == 0.2);
  CHECK(s.initial_ties[index_of(Layer::Trade)](static_cast<long>(jpn), static_cast<long>(isr)) == 1523.0);
  CHECK(s.initial_ties[index_of(Layer::Trade)](static_cast<long>(isr), static_cast<long>(jpn)) == 0.0);

  const auto& dialogue = s.effects[index_of(Layer::Dialogue)];
  REQUIRE(dialogue.size() == 2);
  CHECK(&spec_of(dialogue[0]) == find_effect("density"));
  CHECK(dialogue[0].coefficient == -2.0);
  CHECK(&spec_of(dialogue[1]) == find_effect("leader_affinity"));
  CHECK(s.effects[index_of(Layer::Cooperation)].size() == 1);
  CHECK(s.effects[index_of(Layer::Trade)].empty());

  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].name == "abe_exit");
  CHECK(s.events[0].period.label() == "2013Q2");
  CHECK(s.events[0].text("leader") == "Suga");

  REQUIRE(s.pairs_of_interest.size() == 1);
  CHECK(s.pairs_of_interest[0].label == "JPN-ISR");
  CHECK(s.pairs_of_interest[0].a == jpn);
}

TEST_CASE("settings left out take the defaults from one place", "[scenario]") {
  ScenarioFolder folder;
  const auto s = load_scenario(folder.write("s.toml", kMinimalScenario)).scenario;
  CHECK(s.threat_persistence == defaults::threat_persistence);
  for (Layer layer : kAllLayers) {
    CHECK(s.layer_dynamics[index_of(layer)].adjustment_rate == defaults::layer_dynamics[index_of(layer)].adjustment_rate);
    CHECK(s.layer_dynamics[index_of(layer)].noise_sd == defaults::layer_dynamics[index_of(layer)].noise_sd);
  }
}

TEST_CASE("events are ordered by period whatever their names", "[scenario]") {
  ScenarioFolder folder;
  std::string text = kMinimalScenario;
  text += R"(
[events.a_late_attack]
kind = "cyber_incident"
period = "2013Q4"
country = "JPN"
severity = 0.5

[events.z_early_deal]
kind = "china_ties"
period = "2012Q2"
country = "ISR"
level = 0.6
)";
  const auto s = load_scenario(folder.write("s.toml", text)).scenario;
  REQUIRE(s.events.size() == 3);
  CHECK(s.events[0].name == "z_early_deal");
  CHECK(s.events[1].name == "abe_exit");
  CHECK(s.events[2].name == "a_late_attack");
  CHECK(s.events[0].number("value") == 0.6);  // china_ties is an old name of set_attribute: level reads as value
}

TEST_CASE("set overrides reach scalars and named events, typed as TOML", "[scenario][set]") {
  ScenarioFolder folder;
  const auto file = folder.write("s.toml", kMinimalScenario);
  const std::vector<Override> overrides = {parse_override("simulation.steps=3"),
                                           parse_override("events.abe_exit.period=2012Q3"),
                                           parse_override("governments.ISR.china_ties=0.55"),
                                           parse_override("governments.JPN.leader=Kishida")};
  const auto loaded = load_scenario(file, overrides);
  CHECK(loaded.scenario.simulation.steps == 3);
  CHECK(loaded.scenario.events[0].period.label() == "2012Q3");
  CHECK(loaded.scenario.governments[1].attribute(GovernmentAttributeId::ChinaTies) == 0.55);
  CHECK(loaded.scenario.governments[2].leader == "Kishida");
  // `show` names --set as the origin of the overridden values, and the file:line of the rest.
  bool seen_override = false, seen_file_value = false;
  for (const auto& entry : loaded.entries) {
    if (entry.key == "simulation.steps") {
      seen_override = true;
      CHECK(entry.file == "--set");
      CHECK(entry.value == "3");
    }
    if (entry.key == "simulation.seed") {
      seen_file_value = true;
      CHECK(entry.file == file.lexically_normal().string());
      CHECK(entry.line == 5);
    }
  }
  CHECK(seen_override);
  CHECK(seen_file_value);
}

TEST_CASE("the resolved TOML is itself a scenario that loads to the same values", "[scenario]") {
  ScenarioFolder folder;
  const auto first = load_scenario(folder.write("s.toml", kMinimalScenario), {{parse_override("simulation.seed=99")}});
  const auto second = load_scenario(folder.write("resolved.toml", first.scenario.resolved_toml));
  REQUIRE(first.entries.size() == second.entries.size());
  for (std::size_t i = 0; i < first.entries.size(); ++i) {
    CHECK(first.entries[i].key == second.entries[i].key);
    CHECK(first.entries[i].value == second.entries[i].value);
  }
  CHECK(second.scenario.simulation.seed == 99);
}

TEST_CASE("every file in scenarios/ validates", "[scenario]") {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(POLICYSIM_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    // An estimation spec (estimate_*.toml) names a scenario; CTest checks it with `estimate --check`.
    if (entry.path().stem().string().starts_with("estimate_")) continue;
    INFO(entry.path());
    // A sweep file's [sweep] section is the sweep's (checked by tests/sweep); the rest is a scenario.
    const std::vector<std::string> sweep_section = {"sweep"};
    CHECK_NOTHROW(build_loaded_scenario(read_scenario_source(entry.path()), {}, sweep_section));
    ++count;
  }
  CHECK(count >= 2);
}

TEST_CASE("rapport may name leaders a what-if never brings to office, but not near-misses", "[scenario]") {
  ScenarioFolder folder;
  std::string text = kMinimalScenario;
  text += "\n[leader_affinity.Kishida]\nNetanyahu = 0.4\n";
  const auto s = load_scenario(folder.write("s.toml", text)).scenario;
  CHECK(s.leader_affinity.between("Kishida", "Netanyahu") == 0.4);
}

TEST_CASE("an empty [governments.<CODE>] table declares an agent with default attributes", "[scenario]") {
  ScenarioFolder folder;
  std::string text = kMinimalScenario;
  text += "\n[governments.KOR]\n\n[effects.trade]\n";
  const auto s = load_scenario(folder.write("s.toml", text)).scenario;
  REQUIRE(s.agent_index("KOR").has_value());
  CHECK(s.governments[*s.agent_index("KOR")].name == "KOR");
  CHECK(s.effects[index_of(Layer::Trade)].empty());

  std::string typo = kMinimalScenario;
  typo += "\n[efects.trade]\n";
  try {
    load_scenario(folder.write("typo.toml", typo));
    FAIL("an empty unknown section was accepted");
  } catch (const ScenarioError& error) {
    CHECK_THAT(error.what(), Catch::Contains("efects: unknown section \"efects\" (did you mean \"effects\"?)"));
  }
}

TEST_CASE("pair attributes, milestones and spin-up are read, and default when left out", "[scenario]") {
  ScenarioFolder folder;
  {
    const auto s = load_scenario(folder.write("s.toml", kMinimalScenario)).scenario;
    REQUIRE(s.pair_attributes[0].rows() == 3);
    for (std::size_t k = 0; k < kPairAttributeCount; ++k)
      CHECK((s.pair_attributes[k].array() == kPairAttributes[k].default_value).all());
    CHECK(s.milestones.dialogue_threshold == defaults::milestones.dialogue_threshold);
    CHECK(s.milestones.dialogue_rate == defaults::milestones.dialogue_rate);
    CHECK(s.milestones.mou_step == defaults::milestones.mou_step);
    CHECK(s.milestones.opportunity_factor == defaults::milestones.opportunity_factor);
    CHECK(s.spin_up_quarters == defaults::spin_up_quarters);
  }
  std::string text = kMinimalScenario;
  text += R"(
[pair_attributes.un_vote_agreement]
JPN-ISR = 0.38
EU-JPN = 0.81

[milestones]
dialogue_threshold = 0.25
dialogue_rate = 0.6
mou_step = 0.15
opportunity_factor = 3

[spin_up]
quarters = 12

[events.forum]
kind = "business_forum"
period = "2014Q3"
country = "JPN"
partner = "ISR"
)";
  const auto s = load_scenario(folder.write("t.toml", text)).scenario;
  const auto eu = static_cast<long>(*s.agent_index("EU")), isr = static_cast<long>(*s.agent_index("ISR")),
             jpn = static_cast<long>(*s.agent_index("JPN"));
  const TieMatrix& votes = s.pair_attributes[index_of(PairAttributeId::UnVoteAgreement)];
  CHECK(votes(jpn, isr) == 0.38);
  CHECK(votes(isr, jpn) == 0.38);
  CHECK(votes(jpn, eu) == 0.81);
  CHECK(votes(eu, isr) == 0.5);  // unstated: the default
  CHECK(s.milestones.dialogue_threshold == 0.25);
  CHECK(s.milestones.dialogue_rate == 0.6);
  CHECK(s.milestones.mou_step == 0.15);
  CHECK(s.milestones.opportunity_factor == 3.0);
  CHECK(s.spin_up_quarters == 12);
  CHECK(s.events.back().text("partner") == "ISR");
}

TEST_CASE("a drivers-only scenario warns about each policy it schedules, with file:line", "[scenario][roles]") {
  ScenarioFolder folder;
  const std::string drivers = std::string(kMinimalScenario) + R"(
[events.forum]
kind = "business_forum"
period = "2013Q1"
country = "JPN"
partner = "ISR"
)";
  // Without the flag: a forum is a normal event, nothing to say.
  const auto plain = load_scenario(folder.write("plain.toml", drivers));
  CHECK(plain.warnings.empty());
  CHECK_FALSE(plain.scenario.simulation.drivers_only);

  std::string flagged = drivers;
  flagged.replace(flagged.find("seed = 7"), 8, "seed = 7\ndrivers_only = true");
  const auto loaded = load_scenario(folder.write("drivers.toml", flagged));
  CHECK(loaded.scenario.simulation.drivers_only);
  REQUIRE(loaded.warnings.size() == 1);  // the forum; the leader change is a driver
  const std::string warning = loaded.warnings.front().format();
  INFO(warning);
  CHECK(warning.find("drivers.toml:") != std::string::npos);
  CHECK(warning.find("events.forum") != std::string::npos);
  CHECK(warning.find("policy") != std::string::npos);
  // The line is that of the forum's kind (the file's own line numbers).
  const std::size_t kind_line = 1 + static_cast<std::size_t>(std::count(flagged.begin(), flagged.begin() +
                                    static_cast<long>(flagged.find("kind = \"business_forum\"")), '\n'));
  CHECK(warning.find("drivers.toml:" + std::to_string(kind_line) + ":") != std::string::npos);
  CHECK(warning.starts_with("warning: "));

  // A file that extends it and says drivers_only = false schedules policies without a warning.
  const auto history = load_scenario(folder.write("history.toml", R"(
extends = "drivers.toml"
[simulation]
drivers_only = false
)"));
  CHECK(history.warnings.empty());
  CHECK(history.scenario.events.size() == loaded.scenario.events.size());

  // Not a boolean: an error naming the key.
  std::string wrong = drivers;
  wrong.replace(wrong.find("seed = 7"), 8, "seed = 7\ndrivers_only = \"yes\"");
  CHECK_THROWS_WITH(load_scenario(folder.write("wrong.toml", wrong)),
                    Catch::Contains("simulation.drivers_only") && Catch::Contains("true or false"));
}

TEST_CASE("the baseline schedules drivers only, history.toml adds the policies that happened", "[scenario][roles]") {
  const auto scenarios = std::filesystem::path(POLICYSIM_SOURCE_DIR) / "scenarios";
  const Scenario baseline = load_scenario(scenarios / "baseline.toml").scenario;
  const Scenario history = load_scenario(scenarios / "history.toml").scenario;
  CHECK(baseline.simulation.drivers_only);
  CHECK(load_scenario(scenarios / "baseline.toml").warnings.empty());
  CHECK_FALSE(history.simulation.drivers_only);
  for (const EventInstance& event : baseline.events) {
    INFO(event.name);
    CHECK(spec_of(event).role == EventRole::Driver);
  }
  std::size_t policies = 0;
  for (const EventInstance& event : history.events) policies += spec_of(event).role == EventRole::Policy ? 1 : 0;
  // The forums of 2014 and 2019, the 2017 investment agreement, Rakuten-Viber and JIIN's four quarters.
  CHECK(policies == 9);
  CHECK(history.events.size() == baseline.events.size() + policies);
  // Every what-if builds on what happened.
  for (const auto& entry : std::filesystem::directory_iterator(scenarios)) {
    if (entry.path().extension() != ".toml" || entry.path().stem() == "baseline" || entry.path().stem() == "history")
      continue;
    // An estimation spec (estimate_*.toml) names a scenario; CTest checks it with `estimate --check`.
    if (entry.path().stem().string().starts_with("estimate_")) continue;
    const LoadedScenario what_if = build_loaded_scenario(read_scenario_source(entry.path()), {},
                                                         std::vector<std::string>{"sweep"});
    INFO(entry.path());
    CHECK(what_if.warnings.empty());
    REQUIRE(what_if.scenario.chain.size() >= 2);
    CHECK(std::filesystem::path(what_if.scenario.chain[1]).filename() == "history.toml");
  }
}
