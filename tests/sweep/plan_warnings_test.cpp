// A sweep says once per design, not once per run, when an inherited event overwrites a swept value;
// sweeping a [shifts] amount moves the whole path and overwrites nothing.
#include <catch2/catch.hpp>

#include "sim/sweep/plan.hpp"
#include "tests/support/scenario_files.hpp"

using namespace policysim;
using namespace policysim::sweep;
using policysim::testing::kMinimalScenario;
using policysim::testing::ScenarioFolder;

TEST_CASE("sweep plan: a swept value that an inherited event overwrites is reported once, at both lines",
          "[sweep][plan][overwrites]") {
  ScenarioFolder folder;
  folder.write("base.toml", std::string(kMinimalScenario) + R"(
[events.port_deal]
kind = "china_ties"
period = "2013Q1"
country = "ISR"
level = 0.45
)");
  const std::string base_text = std::string(kMinimalScenario);
  const int event_line = 1 + static_cast<int>(std::count(base_text.begin(), base_text.end(), '\n')) + 5;
  const auto swept = folder.write("swept.toml", R"(extends = "base.toml"
[sweep]
design = "grid"
replicates = 2
[sweep.parameters]
governments.ISR.china_ties = { values = [0.1, 0.5, 0.9] }
)");
  const SweepPlan plan = plan_sweep(swept, {});
  REQUIRE(plan.points() == 3);
  REQUIRE(plan.warnings.size() == 1);  // 3 points x 2 replicates, said once
  const std::string text = plan.warnings[0].format();
  INFO(text);
  CHECK(text.starts_with("warning: "));
  CHECK(text.find("swept.toml:6: sweep.parameters.governments.ISR.china_ties: the swept governments.ISR.china_ties "
                  "is overwritten in 2013Q1 by the event port_deal") != std::string::npos);
  CHECK(text.find("base.toml:" + std::to_string(event_line) + ": sets china_ties 0.45)") != std::string::npos);

  const auto shifted = folder.write("shifted.toml", R"(extends = "base.toml"
[sweep]
design = "grid"
replicates = 2
[sweep.parameters]
shifts.ISR.china_ties = { values = [-0.2, 0.0, 0.2] }
)");
  const SweepPlan shift_plan = plan_sweep(shifted, {});
  CHECK(shift_plan.warnings.empty());
  REQUIRE(shift_plan.scenarios.size() == 3);
  const auto isr = *shift_plan.base.agent_index("ISR");
  for (std::size_t point = 0; point < 3; ++point) {
    const double amount = -0.2 + 0.2 * static_cast<double>(point);
    const Scenario& scenario = shift_plan.scenarios[point];
    CHECK(scenario.governments[isr].attribute(GovernmentAttributeId::ChinaTies) == Approx(0.3 + amount));
    REQUIRE(scenario.events.size() == 2);
    for (const EventInstance& event : scenario.events)
      if (event.name == "port_deal") CHECK(event.number("value") == Approx(0.45 + amount));
  }
}
