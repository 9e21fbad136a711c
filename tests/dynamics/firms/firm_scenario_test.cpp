#include <catch2/catch.hpp>

#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"

using namespace policysim;
using policysim::testing::ScenarioFolder;

namespace {

const char* kFirmScenario = R"(
[simulation]
start = "2020Q1"
steps = 2
[governments.JPN]
[governments.ISR]
[firms.populations.jpn_makers]
countries = ["JPN"]
sector = "manufacturing"
count = 10
size = { distribution = "lognormal", mean_log = 4.0, sd_log = 1.0 }
innovation = { distribution = "normal", mean = 0.3, sd = 0.1 }
[firms.populations.isr_startups]
countries = ["ISR"]
sector = "cyber_security"
count = 5
[firms.cooperation]
candidates_per_step = 3
[effects.b2b_cooperation]
density = -4.0
g2g_support = 2.0
)";

std::string error_for(const std::string& find, const std::string& replace) {
  ScenarioFolder folder;
  std::string text = kFirmScenario;
  const auto at = text.find(find);
  REQUIRE(at != std::string::npos);
  text.replace(at, find.size(), replace);
  try {
    load_scenario(folder.write("firms.toml", text));
  } catch (const ScenarioError& error) {
    return error.what();
  }
  FAIL("loaded, but should have been refused");
  return "";
}

}  // namespace

TEST_CASE("firms: populations, dynamics and effects are read from the scenario", "[firms][scenario]") {
  ScenarioFolder folder;
  const auto s = load_scenario(folder.write("firms.toml", kFirmScenario)).scenario;
  REQUIRE(s.firms.populations.size() == 2);
  const auto& isr = s.firms.populations[0];  // sorted by name
  const auto& jpn = s.firms.populations[1];
  CHECK(isr.name == "isr_startups");
  CHECK(isr.sector == Sector::CyberSecurity);
  CHECK(isr.count == 5);
  CHECK(jpn.sector == Sector::Manufacturing);
  CHECK(jpn.innovation.kind == AttributeDistribution::Kind::Normal);
  CHECK(jpn.innovation.first == 0.3);
  CHECK(jpn.innovation.low == 0.0);  // innovation is clipped to [0, 1]
  CHECK(jpn.size.kind == AttributeDistribution::Kind::LogNormal);
  CHECK(s.firms.cooperation.candidates_per_step == 3);
  CHECK(s.firms.cooperation.initial_weight == 0.5);  // default
  CHECK(s.firms.cooperation_effects.size() == 2);
}

TEST_CASE("firms: bad firm sections name the key and what was expected", "[firms][scenario]") {
  CHECK_THAT(error_for("sector = \"manufacturing\"", "sector = \"manufacture\""),
             Catch::Contains("firms.populations.jpn_makers.sector: unknown sector \"manufacture\" (did you mean \"manufacturing\"?)"));
  CHECK_THAT(error_for("count = 10", "count = 0"),
             Catch::Contains("firms.populations.jpn_makers.count: expected a whole number of firms >= 1, got the whole number 0"));
  CHECK_THAT(error_for("countries = [\"JPN\"]", "countries = [\"JPM\"]"),
             Catch::Contains("unknown government \"JPM\" (did you mean \"JPN\"?)"));
  CHECK_THAT(error_for("sd_log = 1.0", "sd = 1.0"),
             Catch::Contains("firms.populations.jpn_makers.size.sd: not a parameter of a lognormal distribution"));
  CHECK_THAT(error_for("g2g_support = 2.0", "g2g_suport = 2.0"),
             Catch::Contains("effects.b2b_cooperation.g2g_suport: unknown firm effect (did you mean \"g2g_support\"?)"));
  CHECK_THAT(error_for("candidates_per_step = 3", "candidates_per_step = 100"),
             Catch::Contains("firms.cooperation.candidates_per_step: expected a whole number from 1 to 64, got the whole number 100"));
  CHECK_THAT(error_for("\"normal\", mean = 0.3", "\"gaussian\", mean = 0.3"),
             Catch::Contains("unknown distribution \"gaussian\""));
}
