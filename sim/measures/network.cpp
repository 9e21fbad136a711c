// Measures of the government tie layers (dialogue, cooperation, trade): how dense a layer is, how
// strong its present ties are, and the ties themselves. docs/model.md, "Layers".
#include <algorithm>

#include "sim/measures/families.hpp"

namespace policysim::measures {

namespace {

// The presence of a tie: strictly above the layer's presence_threshold ([layers.<layer>]), over
// ordered pairs i != j (the diagonal is not a tie). Sums run in row order so the values are the
// same bit for bit on every build.
struct Presence {
  std::size_t present = 0;
  double present_sum = 0.0;
  std::size_t ordered_pairs = 0;
};

Presence presence(Layer layer, const MeasureContext& context) {
  const TieMatrix& ties = context.world.layer(layer);
  const double threshold = context.scenario.layer_dynamics[index_of(layer)].presence_threshold;
  const std::size_t n = context.world.agent_count();
  Presence result;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const double value = ties(static_cast<long>(i), static_cast<long>(j));
      if (i != j && value > threshold) {
        ++result.present;
        result.present_sum += value;
      }
    }
  result.ordered_pairs = n * (n > 0 ? n - 1 : 0);
  return result;
}

}  // namespace

void layer_density(Layer layer, const MeasureContext& context, std::span<double> out) {
  const Presence p = presence(layer, context);
  out[0] = p.ordered_pairs == 0 ? 0.0 : static_cast<double>(p.present) / static_cast<double>(p.ordered_pairs);
}

void layer_mean_strength(Layer layer, const MeasureContext& context, std::span<double> out) {
  const Presence p = presence(layer, context);
  out[0] = p.present == 0 ? 0.0 : p.present_sum / static_cast<double>(p.present);
}

void layer_ties(Layer layer, const MeasureContext& context, std::span<double> out) {
  copy_matrix(context.world.layer(layer), context.scenario.agent_count(), out);
}

void copy_matrix(const TieMatrix& matrix, std::size_t agents, std::span<double> out) {
  const auto n = static_cast<long>(agents);
  if (matrix.rows() != n || matrix.cols() != n) {
    std::fill(out.begin(), out.end(), 0.0);
    return;
  }
  for (long i = 0; i < n; ++i)
    for (long j = 0; j < n; ++j) out[static_cast<std::size_t>(i * n + j)] = matrix(i, j);
}

}  // namespace policysim::measures
