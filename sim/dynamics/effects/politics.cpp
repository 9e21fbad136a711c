#include "sim/dynamics/effects/politics.hpp"

namespace policysim::effects {

double leader_affinity(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.scenario.leader_affinity.between(context.world.leader[i], context.world.leader[j]);
}

double china_friction(const EffectContext& context, std::size_t i, std::size_t j) {
  const auto& ties = context.world.china_ties;
  const auto& govs = context.scenario.governments;
  return 0.5 * (ties[i] * govs[j].china_rivalry + ties[j] * govs[i].china_rivalry);
}

double shared_threat(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.world.cyber_threat[i] * context.world.cyber_threat[j];
}

double bureaucratic_friction(const EffectContext& context, std::size_t i, std::size_t j) {
  const auto& govs = context.scenario.governments;
  return 0.5 * (govs[i].bureaucratic_fragmentation + govs[j].bureaucratic_fragmentation);
}

}  // namespace policysim::effects
