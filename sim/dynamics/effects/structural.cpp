#include "sim/dynamics/effects/structural.hpp"

namespace policysim::effects {

double density(const EffectContext&, std::size_t, std::size_t) { return 1.0; }

double institutional_memory(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.world.layer(Layer::Cooperation)(i, j);
}

double dialogue_spillover(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.world.layer(Layer::Dialogue)(i, j);
}

double dialogue_support(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.world.layer(Layer::Dialogue)(i, j);
}

}  // namespace policysim::effects
