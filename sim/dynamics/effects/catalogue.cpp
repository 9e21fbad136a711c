// The one list of all effects. Explicit on purpose: a static library cannot silently drop
// a self-registering object, and `policysim describe` prints exactly this list.
#include <algorithm>

#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/effects/politics.hpp"
#include "sim/dynamics/effects/structural.hpp"

namespace policysim {

bool EffectSpec::allowed_in(Layer layer) const {
  return std::find(layers.begin(), layers.end(), layer) != layers.end();
}

const std::vector<EffectSpec>& effect_catalogue() {
  using enum Layer;
  static const std::vector<EffectSpec> all = {
      {.name = "density",
       .layers = {Dialogue, Cooperation, Trade},
       .doc = "intercept: baseline level of the layer (for trade: base quarterly log growth)",
       .formula = "1",
       .source = "modelling convention (RSiena's density effect); no source passage",
       .statistic = effects::density},
      {.name = "leader_affinity",
       .layers = {Dialogue, Cooperation},
       .doc = "rapport between the current heads of government of i and j",
       .formula = "affinity(leader_i, leader_j) from [leader_affinity], 0 if not stated",
       .source = "000_02203e0e8e2dcc27.txt: the Abe-Netanyahu relationship as 'the biggest catalyst'",
       .statistic = effects::leader_affinity},
      {.name = "institutional_memory",
       .layers = {Dialogue},
       .doc = "cooperation already institutionalised (MOUs) keeps dialogue alive after leaders leave",
       .formula = "cooperation_ij",
       .source = "000_02203e0e8e2dcc27.txt: ministry-level MOUs 'should help the relationship to "
                 "continue to grow beyond the current political leadership'",
       .statistic = effects::institutional_memory},
      {.name = "dialogue_spillover",
       .layers = {Cooperation},
       .doc = "regular dialogue prepares cooperation agreements (cross-layer: dialogue -> cooperation)",
       .formula = "dialogue_ij",
       .source = "000_02203e0e8e2dcc27.txt: government meetings and memoranda 'further formalized the "
                 "G2G relationship'",
       .statistic = effects::dialogue_spillover},
      {.name = "dialogue_support",
       .layers = {Trade},
       .doc = "G2G dialogue lowers the cost of trading (cross-layer: dialogue -> trade)",
       .formula = "dialogue_ij",
       .source = "000_02203e0e8e2dcc27.txt: the 2014 meetings 'paved the way for a more expansive B2B "
                 "relationship'",
       .statistic = effects::dialogue_support},
      {.name = "china_friction",
       .layers = {Dialogue, Cooperation, Trade},
       .doc = "one side's China ties against the other's rivalry with China (use a negative coefficient)",
       .formula = "(china_ties_i * china_rivalry_j + china_ties_j * china_rivalry_i) / 2",
       .source = "000_02203e0e8e2dcc27.txt: Israel's China ties 'a friction point, not only with Japan "
                 "but with the United States as well'",
       .statistic = effects::china_friction},
      {.name = "shared_threat",
       .layers = {Dialogue, Cooperation},
       .doc = "governments under cyber threat at the same time seek each other out",
       .formula = "cyber_threat_i * cyber_threat_j",
       .source = "002_2a2c358a063535bf.txt: attacks on Japan 5.8B (2010) to 54.5B (2015); "
                 "000_02203e0e8e2dcc27.txt: support needed 'ahead of the 2020 Tokyo Olympics'",
       .statistic = effects::shared_threat},
      {.name = "bureaucratic_friction",
       .layers = {Dialogue, Cooperation},
       .doc = "fragmented cyber authority makes a government a harder partner (use a negative coefficient)",
       .formula = "(bureaucratic_fragmentation_i + bureaucratic_fragmentation_j) / 2",
       .source = "000_02203e0e8e2dcc27.txt: cyber jurisdiction 'much more decentralized within the "
                 "Japanese government than it is in the Israeli government'",
       .statistic = effects::bureaucratic_friction},
  };
  return all;
}

const EffectSpec* find_effect(std::string_view name) {
  for (const auto& spec : effect_catalogue())
    if (spec.name == name) return &spec;
  return nullptr;
}

double utility(const EffectContext& context, const std::vector<EffectTerm>& terms, std::size_t i,
               std::size_t j) {
  double sum = 0.0;
  for (const auto& term : terms) sum += term.coefficient * term.spec->statistic(context, i, j);
  return sum;
}

}  // namespace policysim
