// A what-if's values that later inherited events overwrite are reported (with both locations),
// and [shifts] moves a driver's whole path instead.
#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "sim/dynamics/run.hpp"
#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"

using namespace policysim;
using policysim::testing::kMinimalScenario;
using policysim::testing::ScenarioFolder;

namespace {

// kMinimalScenario (ISR china_ties 0.3) with ISR's China ties set in 2013Q1 (line 4 of the
// addition), moved by a change in 2013Q3 and set again, under an old kind's name, in 2013Q4 (the
// last quarter the scenario simulates).
std::string base_with_china_events() {
  return std::string(kMinimalScenario) + R"(
[events.port_deal]
kind = "set_attribute"
period = "2013Q1"
attribute = "china_ties"
agent = "ISR"
value = 0.45

[events.drift]
kind = "set_attribute"
period = "2013Q3"
attribute = "china_ties"
agent = "ISR"
change = 0.05

[events.bids]
kind = "china_ties"
period = "2013Q4"
country = "ISR"
level = 0.6
)";
}

int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

std::string joined(const std::vector<ScenarioIssue>& warnings) {
  std::string text;
  for (const auto& warning : warnings) text += warning.format() + "\n";
  return text;
}

class ChinaTiesObserver : public RunObserver {
 public:
  void on_state(const World& world, std::span<const Milestone>) override {
    const auto isr = static_cast<Eigen::Index>(*scenario_isr);
    path.push_back(world.attribute(GovernmentAttributeId::ChinaTies)[isr]);
    worlds.push_back(world);
  }
  std::optional<std::size_t> scenario_isr;
  std::vector<double> path;
  std::vector<World> worlds;
};

ChinaTiesObserver run(const Scenario& scenario) {
  ChinaTiesObserver observer;
  observer.scenario_isr = scenario.agent_index("ISR");
  run_simulation(scenario, observer);
  return observer;
}

}  // namespace

TEST_CASE("overwrites: a what-if's value that a later inherited event sets is reported at both lines",
          "[scenario][overwrites]") {
  ScenarioFolder folder;
  const std::string base = base_with_china_events();
  folder.write("base.toml", base);
  const std::string child = R"(extends = "base.toml"
[governments.ISR]
china_ties = 0.8
)";
  folder.write("child.toml", child);
  const auto loaded = load_scenario(folder.path() / "child.toml");
  const std::string text = joined(loaded.warnings);
  INFO(text);
  // The two absolute events, not the relative change in between.
  REQUIRE(loaded.warnings.size() == 2);
  CHECK(loaded.warnings[0].warning);
  CHECK(text.find("warning: ") == 0);
  CHECK(text.find("child.toml:3: governments.ISR.china_ties: the value 0.8 is overwritten in 2013Q1 by the event "
                  "port_deal (") != std::string::npos);
  CHECK(text.find("base.toml:" + std::to_string(line_of(base, "value = 0.45")) + ": sets china_ties 0.45)") !=
        std::string::npos);
  CHECK(text.find("base.toml:" + std::to_string(line_of(base, "level = 0.6")) + ": sets china_ties 0.6)") !=
        std::string::npos);
  CHECK(text.find("shifts.ISR.china_ties") != std::string::npos);
  CHECK(text.find("drift") == std::string::npos);

  // The same by --set on the base itself: named as --set.
  const Override set{"governments.ISR.china_ties", "0.8", "--set"};
  const auto by_set = load_scenario(folder.path() / "base.toml", std::span(&set, 1));
  REQUIRE(by_set.warnings.size() == 2);
  CHECK(by_set.warnings[0].format().starts_with("warning: --set: governments.ISR.china_ties: the value 0.8"));

  // The base on its own is no what-if: nothing to report.
  CHECK(load_scenario(folder.path() / "base.toml").warnings.empty());
}

TEST_CASE("overwrites: a what-if's own event undone by a later inherited one, its own later events are its choice",
          "[scenario][overwrites]") {
  ScenarioFolder folder;
  folder.write("base.toml", base_with_china_events());
  folder.write("child.toml", R"(extends = "base.toml"
[events.deeper_ties]
kind = "set_attribute"
period = "2013Q2"
attribute = "china_ties"
agent = "ISR"
value = 0.75
)");
  auto loaded = load_scenario(folder.path() / "child.toml");
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0].format().find("child.toml:7: events.deeper_ties.value: the event deeper_ties (2013Q2: "
                                         "china_ties 0.75) is overwritten in 2013Q4 by the event bids") !=
        std::string::npos);

  // Moving the inherited event past the end of the run (by --set) makes it the what-if's own: silent.
  const Override later{"events.bids.period", "2030Q1", "--set"};
  CHECK(load_scenario(folder.path() / "child.toml", std::span(&later, 1)).warnings.empty());

  // A leader given by the what-if and replaced by the inherited leadership_change.
  folder.write("leader.toml", "extends = \"base.toml\"\n[governments.JPN]\nleader = \"Kishida\"\n");
  loaded = load_scenario(folder.path() / "leader.toml");
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0].format().find("leader.toml:3: governments.JPN.leader:") != std::string::npos);
  CHECK(loaded.warnings[0].format().find("the event abe_exit") != std::string::npos);
}

TEST_CASE("shifts: the initial value and every later absolute value move, change events keep the shift",
          "[scenario][overwrites][shifts]") {
  ScenarioFolder folder;
  folder.write("base.toml", base_with_china_events());
  const auto plain = load_scenario(folder.path() / "base.toml");
  const Override shift{"shifts.ISR.china_ties", "0.2", "--set"};
  const auto shifted = load_scenario(folder.path() / "base.toml", std::span(&shift, 1));
  CHECK(shifted.warnings.empty());  // a shift overwrites nothing

  const auto isr = *plain.scenario.agent_index("ISR");
  CHECK(shifted.scenario.governments[isr].attribute(GovernmentAttributeId::ChinaTies) == Approx(0.5));
  const auto by_name = [](const Scenario& s, const std::string& name) -> const EventInstance& {
    return *std::find_if(s.events.begin(), s.events.end(), [&](const auto& e) { return e.name == name; });
  };
  CHECK(by_name(shifted.scenario, "port_deal").number("value") == Approx(0.65));
  CHECK(by_name(shifted.scenario, "bids").number("value") == Approx(0.8));  // the old kind too
  CHECK(by_name(shifted.scenario, "drift").number("change") == Approx(0.05));

  // The whole path, run: 0.2 above the unshifted one at every quarter (the scenario runs 2012Q1..2013Q4,
  // so all three events happen; all values stay inside [0, 1]).
  const auto a = run(plain.scenario);
  const auto b = run(shifted.scenario);
  REQUIRE(a.path.size() == b.path.size());
  CHECK(a.path.front() == Approx(0.3));
  CHECK(std::find_if(a.path.begin(), a.path.end(), [](double v) { return std::abs(v - 0.5) < 1e-12; }) !=
        a.path.end());  // 0.45 + 0.05: port_deal and drift did happen
  CHECK(a.path.back() == Approx(0.6));  // and bids
  for (std::size_t t = 0; t < a.path.size(); ++t) CHECK(b.path[t] - a.path[t] == Approx(0.2));

  // Clamped to the attribute's range.
  const Override big{"shifts.ISR.china_ties", "0.9", "--set"};
  const auto clamped = load_scenario(folder.path() / "base.toml", std::span(&big, 1));
  CHECK(clamped.scenario.governments[isr].attribute(GovernmentAttributeId::ChinaTies) == 1.0);
  CHECK(by_name(clamped.scenario, "port_deal").number("value") == 1.0);
}

TEST_CASE("shifts: a zero shift changes nothing, bad shifts are errors", "[scenario][overwrites][shifts]") {
  ScenarioFolder folder;
  folder.write("base.toml", base_with_china_events());
  const auto plain = load_scenario(folder.path() / "base.toml");
  const Override zero{"shifts.ISR.china_ties", "0.0", "--set"};
  const auto unshifted = load_scenario(folder.path() / "base.toml", std::span(&zero, 1));
  const auto a = run(plain.scenario);
  const auto b = run(unshifted.scenario);
  REQUIRE(a.worlds.size() == b.worlds.size());
  for (std::size_t t = 0; t < a.worlds.size(); ++t) CHECK(a.worlds[t] == b.worlds[t]);

  const auto error_of = [&](const Override& override) -> std::string {
    try {
      load_scenario(folder.path() / "base.toml", std::span(&override, 1));
    } catch (const ScenarioError& error) {
      return error.what();
    }
    return "";
  };
  CHECK(error_of({"shifts.ISR.china_tie", "0.1", "--set"}).find("did you mean \"china_ties\"") != std::string::npos);
  CHECK(error_of({"shifts.ISX.china_ties", "0.1", "--set"}).find("unknown government") != std::string::npos);
  CHECK(error_of({"shifts.ISR.china_ties", "1.5", "--set"}).find("shifts.ISR.china_ties") != std::string::npos);
  CHECK(error_of({"shifts.ISR", "0.1", "--set"}).find("shifts.<CODE>.<attribute>") != std::string::npos);
}
