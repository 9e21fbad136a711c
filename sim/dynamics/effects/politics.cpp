#include "sim/dynamics/effects/politics.hpp"

#include <algorithm>

namespace policysim::effects {

double leader_affinity(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.scenario.leader_affinity.between(context.world.leader[i], context.world.leader[j]);
}

double china_friction(const EffectContext& context, std::size_t i, std::size_t j) {
  const auto& ties = context.world.attribute(GovernmentAttributeId::ChinaTies);
  const auto& rivalry = context.world.attribute(GovernmentAttributeId::ChinaRivalry);
  const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
  return 0.5 * (ties[a] * rivalry[b] + ties[b] * rivalry[a]);
}

double shared_threat(const EffectContext& context, std::size_t i, std::size_t j) {
  const auto& threat = context.world.attribute(GovernmentAttributeId::CyberThreat);
  return threat[static_cast<Eigen::Index>(i)] * threat[static_cast<Eigen::Index>(j)];
}

double bureaucratic_friction(const EffectContext& context, std::size_t i, std::size_t j) {
  const auto& fragmentation = context.world.attribute(GovernmentAttributeId::BureaucraticFragmentation);
  return 0.5 * (fragmentation[static_cast<Eigen::Index>(i)] + fragmentation[static_cast<Eigen::Index>(j)]);
}

double norm_similarity(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.world.pair_attributes[index_of(PairAttributeId::UnVoteAgreement)](static_cast<Eigen::Index>(i),
                                                                                   static_cast<Eigen::Index>(j));
}

double third_party_pressure(const EffectContext& context, std::size_t i, std::size_t j) {
  const auto& pressure = context.world.attribute(GovernmentAttributeId::ThirdPartyPressure);
  const auto& target = context.world.attribute(GovernmentAttributeId::PressureTarget);
  const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
  return 0.5 * (pressure[a] * target[b] + pressure[b] * target[a]);
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
