#include "sim/dynamics/metrics.hpp"

namespace policysim {

StepMetrics compute_metrics(const Scenario& scenario, const World& world) {
  StepMetrics metrics;
  const std::size_t n = world.agent_count();
  for (Layer layer : kAllLayers) {
    const TieMatrix& ties = world.layer(layer);
    const double threshold = scenario.layer_dynamics[index_of(layer)].presence_threshold;
    std::size_t present = 0;
    double present_sum = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (i != j && ties(i, j) > threshold) {
          ++present;
          present_sum += ties(i, j);
        }
    LayerMetrics& out = metrics[index_of(layer)];
    const std::size_t ordered_pairs = n * (n - 1);
    out.density = ordered_pairs == 0 ? 0.0 : static_cast<double>(present) / static_cast<double>(ordered_pairs);
    out.mean_strength = present == 0 ? 0.0 : present_sum / static_cast<double>(present);
    for (const AgentPair& pair : scenario.pairs_of_interest) out.pairs.push_back(ties(pair.a, pair.b));
  }
  return metrics;
}

}  // namespace policysim
