#include "sim/dynamics/effects/politics.hpp"

#include <algorithm>

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

double norm_similarity(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.world.pair_attributes[index_of(PairAttributeId::UnVoteAgreement)](static_cast<Eigen::Index>(i),
                                                                                   static_cast<Eigen::Index>(j));
}

double third_party_pressure(const EffectContext& context, std::size_t i, std::size_t j) {
  const auto& pressure = context.world.third_party_pressure;
  const auto& govs = context.scenario.governments;
  const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
  return 0.5 * (pressure[a] * govs[j].pressure_target + pressure[b] * govs[i].pressure_target);
}

double spurned(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.world.pair_attributes[index_of(PairAttributeId::Spurned)](static_cast<Eigen::Index>(i),
                                                                          static_cast<Eigen::Index>(j));
}

double membership(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.world.pair_attributes[index_of(PairAttributeId::Membership)](static_cast<Eigen::Index>(i),
                                                                             static_cast<Eigen::Index>(j));
}

double agreement(const EffectContext& context, std::size_t i, std::size_t j) {
  const auto a = static_cast<Eigen::Index>(i);
  const auto b = static_cast<Eigen::Index>(j);
  const auto& values = context.world.pair_attributes;
  return std::max({values[index_of(PairAttributeId::FreeTradeAgreement)](a, b),
                   values[index_of(PairAttributeId::InvestmentAgreement)](a, b),
                   values[index_of(PairAttributeId::DataAdequacy)](a, b)});
}

}  // namespace policysim::effects
