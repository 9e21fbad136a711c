// Paired what-if comparisons (sim/calibration/compare): the added events, common random numbers
// before the first event, and the paired interval.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sim/calibration/compare.hpp"
#include "sim/dynamics/events/event.hpp"
#include "sim/scenario/load.hpp"

using namespace policysim;
namespace cal = policysim::calibration;

namespace {

std::filesystem::path scenario_file(const std::string& name) {
  return std::filesystem::path(POLICYSIM_SOURCE_DIR) / "scenarios" / (name + ".toml");
}

}  // namespace

TEST_CASE("compare: Student's t quantiles", "[calibration][compare]") {
  CHECK(cal::t_quantile_975(19) == 2.093);
  CHECK(cal::t_quantile_975(1) == 12.706);
  CHECK(cal::t_quantile_975(60) == Approx(2.000).margin(1e-3));
  CHECK(cal::t_quantile_975(1000) == Approx(1.962).margin(1e-3));
}

TEST_CASE("compare: every what-if adds dated events, starts no earlier than 2017 and is identical before them",
          "[calibration][compare][crn][slow]") {
  const Scenario baseline = load_scenario(scenario_file("history")).scenario;
  const std::vector<std::pair<std::string, std::string>> what_ifs = {
      {"post_abe", "2020Q3"}, {"post_netanyahu", "2021Q2"}, {"israel_china_5g", "2019Q2"},
      {"olympics_threat", "2019Q3"}, {"us_disengages", "2017Q2"}, {"all_drivers_reversed", "2020Q3"}};
  for (const auto& [name, first] : what_ifs) {
    INFO(name);
    const Scenario what_if = load_scenario(scenario_file(name)).scenario;
    const auto added = cal::added_events(baseline, what_if);
    REQUIRE_FALSE(added.empty());
    CHECK(added.front()->period.label() == first);
    CHECK(what_if.events.size() == baseline.events.size() + added.size());  // nothing removed or changed
    // Two seeds, the fewest a paired interval needs: identity before the first event holds seed by seed.
    const cal::Comparison comparison = cal::compare(baseline, what_if, 2);
    CHECK(comparison.identical_before);
    CHECK(comparison.first_event_period.label() == first);
    REQUIRE(comparison.outcomes.size() == cal::comparison_outcomes().size());
    for (const auto& outcome : comparison.outcomes) {
      CHECK(outcome.difference_low <= outcome.difference_mean);
      CHECK(outcome.difference_mean <= outcome.difference_high);
      CHECK(outcome.difference_mean == Approx(outcome.what_if_mean - outcome.baseline_mean).margin(1e-9));
    }
  }
}

TEST_CASE("compare: the baseline against itself plus a no-op is refused, a scenario without the pairs too",
          "[calibration][compare]") {
  const Scenario baseline = load_scenario(scenario_file("history")).scenario;
  CHECK_THROWS_WITH(cal::compare(baseline, baseline, 4), Catch::Contains("adds no event"));
  CHECK_THROWS_WITH(cal::compare(baseline, baseline, 1), Catch::Contains("at least two seeds"));
}

TEST_CASE("compare: post_abe lowers Japan-Israel cooperation after 2020Q3 (a mechanism check)",
          "[calibration][compare][mechanism][slow]") {
  // Suga has no rapport with Netanyahu: leader_affinity falls from 0.8 to 0 for JPN-ISR.
  const cal::Comparison comparison = cal::compare(load_scenario(scenario_file("history")).scenario,
                                                  load_scenario(scenario_file("post_abe")).scenario, 20);
  const auto& cooperation = comparison.outcomes[1];
  REQUIRE(cooperation.name == "JPN-ISR cooperation");
  CHECK(cooperation.difference_high < 0.0);
}
