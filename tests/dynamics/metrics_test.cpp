// compute_metrics on a hand-made three-government world.
#include <catch2/catch.hpp>

#include "sim/dynamics/metrics.hpp"
#include "sim/dynamics/step.hpp"
#include "tests/support/scenario_builder.hpp"
#include "tests/support/start_world.hpp"

using namespace policysim;
using policysim::testing::ScenarioBuilder;

TEST_CASE("dynamics: density, mean strength and pairs of interest on a 3x3 world", "[dynamics][metrics]") {
  // Slots: A = 0, B = 1, C = 2.
  TieMatrix dialogue(3, 3);
  dialogue << 0.9, 0.6, 0.05,   // the diagonal (0.9) is not a tie and must be ignored
              0.6, 0.0, 0.3,
              0.05, 0.3, 0.0;
  TieMatrix trade(3, 3);
  trade << 0.0, 100.0, 0.0,
           20.0, 0.0, 5.0,
           10.0, 0.0, 0.0;  // C -> A is exactly at the threshold: not present
  const Scenario scenario = ScenarioBuilder({"A", "B", "C"})
                                .ties(Layer::Dialogue, dialogue)
                                .ties(Layer::Trade, trade)
                                .dynamics(Layer::Dialogue, {.presence_threshold = 0.1})
                                .dynamics(Layer::Cooperation, {.presence_threshold = 0.0})
                                .dynamics(Layer::Trade, {.presence_threshold = 10.0})
                                .pair("A", "B")
                                .pair("C", "B")
                                .pair("B", "A")
                                .build();
  const StepMetrics metrics = compute_metrics(scenario, testing::start_world(scenario));
  const LayerMetrics& d = metrics[index_of(Layer::Dialogue)];
  const LayerMetrics& c = metrics[index_of(Layer::Cooperation)];
  const LayerMetrics& t = metrics[index_of(Layer::Trade)];

  // Dialogue above 0.1: A-B, B-A, B-C, C-B = 4 of 6 ordered pairs -> 2/3;
  // mean strength (0.6 + 0.6 + 0.3 + 0.3)/4 = 0.45.
  CHECK(d.density == Approx(2.0 / 3.0).margin(1e-12));
  CHECK(d.mean_strength == Approx(0.45).margin(1e-12));
  // Cooperation is all zero; a tie is present only strictly above 0.
  CHECK(c.density == 0.0);
  CHECK(c.mean_strength == 0.0);
  // Trade above 10: A->B 100, B->A 20 = 2 of 6 -> 1/3; mean (100 + 20)/2 = 60.
  CHECK(t.density == Approx(1.0 / 3.0).margin(1e-12));
  CHECK(t.mean_strength == Approx(60.0).margin(1e-12));

  // Pairs of interest, in order: A->B, C->B, B->A.
  CHECK(d.pairs == std::vector<double>{0.6, 0.3, 0.6});
  CHECK(c.pairs == std::vector<double>{0.0, 0.0, 0.0});
  CHECK(t.pairs == std::vector<double>{100.0, 0.0, 20.0});
}

TEST_CASE("dynamics: metrics of a one-government world are zero, not NaN", "[dynamics][metrics]") {
  const Scenario scenario = ScenarioBuilder({"A"}).build();
  const StepMetrics metrics = compute_metrics(scenario, testing::start_world(scenario));
  for (const LayerMetrics& layer : metrics) {
    CHECK(layer.density == 0.0);
    CHECK(layer.mean_strength == 0.0);
    CHECK(layer.pairs.empty());
  }
}
