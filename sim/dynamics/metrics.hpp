#pragma once
// Per-step summaries of the network that the output records and the summary prints.
#include <array>
#include <vector>

#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

struct LayerMetrics {
  double density = 0.0;        // share of ordered pairs i != j whose tie exceeds the layer's presence_threshold
  double mean_strength = 0.0;  // mean tie value over those present ties (0 when none)
  std::vector<double> pairs;   // tie value i -> j for each of scenario.pairs_of_interest
};

using StepMetrics = std::array<LayerMetrics, kLayerCount>;

StepMetrics compute_metrics(const Scenario& scenario, const World& world);

}  // namespace policysim
