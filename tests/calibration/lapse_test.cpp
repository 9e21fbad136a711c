// Ties can lapse: the paired reversal check on the full scenario (scenarios/all_drivers_reversed.toml
// against history.toml, the same seeds). With the attention budget on (the baseline's
// attention_load coefficients), Japan-Israel dialogue falls below the presence threshold within
// ten years of every driver reversing; with it switched off (coefficients 0), the high state holds
// itself (institutional memory and dialogue spillover). docs/model.md, "Lapse", records the figures.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <vector>

#include "sim/dynamics/step.hpp"
#include "sim/scenario/load.hpp"

using namespace policysim;

namespace {

const std::filesystem::path kScenarios = std::filesystem::path(POLICYSIM_SOURCE_DIR) / "scenarios";
constexpr int kSeeds = 5;

// Japan-Israel dialogue at every step of one run.
std::vector<double> jpn_isr_dialogue(const Scenario& scenario) {
  const auto jpn = static_cast<Eigen::Index>(*scenario.agent_index("JPN"));
  const auto isr = static_cast<Eigen::Index>(*scenario.agent_index("ISR"));
  Simulation simulation(scenario);
  std::vector<double> path;
  while (!simulation.finished()) {
    simulation.step();
    path.push_back(simulation.world().layer(Layer::Dialogue)(jpn, isr));
  }
  return path;
}

Scenario load(const char* file, std::uint64_t seed, bool lapse_on) {
  std::vector<Override> overrides = {parse_override("simulation.seed=" + std::to_string(seed))};
  if (!lapse_on) {
    overrides.push_back(parse_override("effects.dialogue.attention_load=0"));
    overrides.push_back(parse_override("effects.cooperation.attention_load=0"));
  }
  return load_scenario(kScenarios / file, overrides).scenario;
}

}  // namespace

TEST_CASE("lapse: when every driver reverses, Japan-Israel dialogue lapses within ten years, and only "
          "with the attention budget on",
          "[calibration][lapse][slow]") {
  const Scenario reference = load("all_drivers_reversed.toml", 1, true);
  const Period reversal = *parse_period("2020Q3");
  const auto reversal_step = static_cast<std::size_t>(reversal.index - reference.simulation.start.index);
  const double threshold = reference.layer_dynamics[index_of(Layer::Dialogue)].presence_threshold;
  REQUIRE(threshold == 0.3);
  for (int k = 0; k < kSeeds; ++k) {
    const std::uint64_t seed = reference.simulation.seed + static_cast<std::uint64_t>(k);
    INFO("seed " << seed);
    for (bool lapse_on : {true, false}) {
      INFO("attention budget " << (lapse_on ? "on" : "off"));
      const std::vector<double> history = jpn_isr_dialogue(load("history.toml", seed, lapse_on));
      const std::vector<double> reversed = jpn_isr_dialogue(load("all_drivers_reversed.toml", seed, lapse_on));
      REQUIRE(history.size() == reversed.size());
      REQUIRE(reversed.size() >= reversal_step + 40);
      // Paired: identical before the reversal (common random numbers, the same events).
      for (std::size_t s = 0; s < reversal_step; ++s) REQUIRE(reversed[s] == history[s]);
      // The tie was established when the drivers reversed.
      CHECK(history[reversal_step - 1] > 0.6);
      const auto ten_years = reversed.begin() + static_cast<long>(reversal_step + 40);
      const double lowest = *std::min_element(reversed.begin() + static_cast<long>(reversal_step), ten_years);
      INFO("lowest Japan-Israel dialogue in the ten years after 2020Q3: " << lowest);
      if (lapse_on) CHECK(lowest < threshold);
      else CHECK(lowest > threshold);
    }
  }
}
