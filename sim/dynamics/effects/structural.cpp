#include "sim/dynamics/effects/structural.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

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

double third_party_bridge(const EffectContext& context, std::size_t i, std::size_t j) {
  const TieMatrix& dialogue = context.world.layer(Layer::Dialogue);
  const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
  double strongest = 0.0;
  for (Eigen::Index k = 0; k < dialogue.rows(); ++k)
    if (k != a && k != b) strongest = std::max(strongest, dialogue(a, k) * dialogue(k, b));
  return strongest;
}

double attention_load(const EffectContext& context, std::size_t i, std::size_t j) {
  const TieMatrix& dialogue = context.world.layer(Layer::Dialogue);
  const TieMatrix& membership = context.world.pair_attributes[index_of(PairAttributeId::Membership)];
  const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
  // The dialogue a government already gives to others: every partner but this one and the
  // organisations it belongs to (their councils meet as a matter of course). An organisation has
  // no such budget of its own: its load is 0.
  // Summed in fixed point (units of 2^-40, exact integer addition), so the sum does not depend on
  // the order of the agents' slots or on threads: a floating-point sum in slot order would make a
  // run depend on how the scenario lists its governments.
  constexpr double kScale = 1099511627776.0;  // 2^40
  auto load_of = [&](Eigen::Index self, Eigen::Index other) {
    if (context.scenario.governments[static_cast<std::size_t>(self)].kind == AgentKind::Organisation) return 0.0;
    std::int64_t load = 0;
    for (Eigen::Index k = 0; k < dialogue.cols(); ++k)
      if (k != self && k != other) load += std::llround(dialogue(self, k) * (1.0 - membership(self, k)) * kScale);
    return static_cast<double>(load) / kScale;
  };
  return (load_of(a, b) + load_of(b, a)) / 2.0;
}

namespace {

// The countries that stand for an agent in trade: itself, or an organisation's members.
std::vector<Eigen::Index> trading_side(const Scenario& scenario, const World& world, std::size_t agent) {
  const auto self = static_cast<Eigen::Index>(agent);
  if (!scenario.is_organisation(agent)) return {self};
  if (!scenario.governments[agent].trade_bloc) return {};  // NATO: not a trade bloc, no trade
  const TieMatrix& membership = world.pair_attributes[index_of(PairAttributeId::Membership)];
  std::vector<Eigen::Index> members;
  for (Eigen::Index k = 0; k < membership.rows(); ++k)
    if (k != self && membership(k, self) > 0.0 && !scenario.is_organisation(static_cast<std::size_t>(k)))
      members.push_back(k);
  return members;
}

}  // namespace

double two_way_trade(const Scenario& scenario, const World& world, std::size_t i, std::size_t j) {
  const TieMatrix& trade = world.layer(Layer::Trade);
  if (!scenario.is_organisation(i) && !scenario.is_organisation(j)) {
    const auto a = static_cast<Eigen::Index>(i), b = static_cast<Eigen::Index>(j);
    return trade(a, b) + trade(b, a);
  }
  double sum = 0.0;
  for (Eigen::Index a : trading_side(scenario, world, i))
    for (Eigen::Index b : trading_side(scenario, world, j))
      if (a != b) sum += trade(a, b) + trade(b, a);
  return sum;
}

double trade_interdependence(const EffectContext& context, std::size_t i, std::size_t j) {
  return std::log10(1.0 + two_way_trade(context.scenario, context.world, i, j)) / 6.0;
}

double exporter_size(const EffectContext& context, std::size_t i, std::size_t) {
  return context.scenario.trade.log_exports(i, context.world.period);
}

double importer_size(const EffectContext& context, std::size_t, std::size_t j) {
  return context.scenario.trade.log_imports(j, context.world.period);
}

double distance(const EffectContext& context, std::size_t i, std::size_t j) {
  return context.scenario.trade.log_distance(i, j);
}

double b2b_ties(const EffectContext& context, std::size_t i, std::size_t j) {
  const TieMatrix& share = *context.world.b2b_networked_share;
  const auto high = static_cast<Eigen::Index>(std::max(i, j));
  if (share.rows() <= high) return 0.0;  // a world without firms
  return share(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
}

}  // namespace policysim::effects
