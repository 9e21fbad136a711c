#include <catch2/catch.hpp>

#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"

using namespace policysim;
using policysim::testing::kMinimalScenario;
using policysim::testing::ScenarioFolder;

namespace {

// The one-line message of a ScenarioError, or "" when the file loads.
std::string error_of(const std::filesystem::path& file, std::vector<Override> overrides = {}) {
  try {
    load_scenario(file, overrides);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("extends: a child states only what differs, and chains of three work", "[scenario][extends]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  folder.write("middle.toml", R"(
extends = "base.toml"
[simulation]
steps = 12                 # scalar overridden
[governments.KOR]          # extra agent
china_ties = 0.5
[events.attack]            # added event
kind = "cyber_incident"
period = "2012Q4"
country = "KOR"
severity = 0.3
)");
  folder.write("sub/child.toml", "");  // a subfolder: extends paths are relative to the extending file
  const auto child = folder.write("sub/child.toml", R"(
extends = "../middle.toml"
remove_events = ["abe_exit"]
[governments.ISR]
china_ties = 0.7
)");
  const auto loaded = load_scenario(child);
  const Scenario& s = loaded.scenario;
  CHECK(s.simulation.steps == 12);
  CHECK(s.simulation.seed == 7);           // from the grandparent
  CHECK(s.agent_count() == 4);
  CHECK(s.agent_index("KOR").has_value());
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].name == "attack");
  CHECK(s.governments[*s.agent_index("ISR")].attribute(GovernmentAttributeId::ChinaTies) == 0.7);
  CHECK(s.governments[*s.agent_index("ISR")].leader == "Netanyahu");  // the rest of ISR inherited
  REQUIRE(s.chain.size() == 3);
  CHECK(s.chain[0].ends_with("child.toml"));
  CHECK(s.chain[2].ends_with("base.toml"));
  for (const auto& entry : loaded.entries) {
    if (entry.key == "governments.ISR.china_ties") CHECK(entry.file.ends_with("child.toml"));
    if (entry.key == "simulation.steps") CHECK(entry.file.ends_with("middle.toml"));
    if (entry.key == "simulation.seed") CHECK(entry.file.ends_with("base.toml"));
  }
}

TEST_CASE("extends: a child may change one field of an inherited event", "[scenario][extends]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  const auto child = folder.write("child.toml", "extends = \"base.toml\"\n[events.abe_exit]\nperiod = \"2012Q2\"\n");
  const auto s = load_scenario(child).scenario;
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].period.label() == "2012Q2");
  CHECK(s.events[0].text("leader") == "Suga");
}

TEST_CASE("extends: cycles, missing parents and unknown removals are clear errors", "[scenario][extends]") {
  ScenarioFolder folder;
  folder.write("a.toml", "extends = \"b.toml\"\n");
  folder.write("b.toml", "extends = \"c.toml\"\n");
  const auto c = folder.write("c.toml", "extends = \"a.toml\"\n");
  const std::string cycle = error_of(folder.path() / "a.toml");
  CHECK_THAT(cycle, Catch::Contains("c.toml:1: extends: extends cycle: a.toml -> b.toml -> c.toml -> a.toml"));

  const auto orphan = folder.write("orphan.toml", "\n\nextends = \"missing.toml\"\n");
  CHECK_THAT(error_of(orphan), Catch::Contains("orphan.toml:3: extends: parent scenario"));
  CHECK_THAT(error_of(orphan), Catch::Contains("missing.toml\" does not exist"));

  folder.write("base.toml", kMinimalScenario);
  const auto remover = folder.write("remover.toml", "extends = \"base.toml\"\nremove_events = [\"abe_exitt\"]\n");
  CHECK_THAT(error_of(remover), Catch::Contains("remover.toml:2: remove_events: no inherited event named \"abe_exitt\" "
                                                "(did you mean \"abe_exit\"?)"));
  const auto self = folder.write("self.toml", "extends = \"self.toml\"\n");
  CHECK_THAT(error_of(self), Catch::Contains("extends cycle"));
}
