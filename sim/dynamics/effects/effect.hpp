#pragma once
// An effect is one statistic x_k(i, j) of a tie's utility; its coefficient lives in the
// scenario, and a layer's utility is the dot product sum_k beta_k x_k(i, j) (as RSiena and
// statnet's ergm keep terms and coefficients apart).
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/dynamics/utility_trace.hpp"
#include "sim/model/layers.hpp"
#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

// What a statistic may read: the frozen scenario and the world at the start of the phase.
struct EffectContext {
  const Scenario& scenario;
  const World& world;
};

using EffectStatistic = double (*)(const EffectContext&, std::size_t i, std::size_t j);

struct EffectSpec {
  std::string_view name;
  std::vector<Layer> layers;  // the layers whose utility may use it
  // Its coefficient in the calibrated baseline (scenarios/baseline.toml), one per entry of
  // `layers`: a documented starting point. A scenario uses an effect only where it lists it.
  std::vector<double> default_coefficients;
  std::string_view doc;       // one line: what it measures
  std::string_view formula;   // the statistic x(i, j)
  std::string_view source;    // file in ../shared/domain and passage it rests on
  EffectStatistic statistic = nullptr;

  bool allowed_in(Layer layer) const;
  // The default coefficient in `layer` (0 when the effect is not allowed there).
  double default_coefficient(Layer layer) const;
};

// The one explicit list of effects (sim/dynamics/effects/catalogue.cpp).
const std::vector<EffectSpec>& effect_catalogue();
const EffectSpec* find_effect(std::string_view name);
std::optional<std::size_t> effect_index(std::string_view name);
// The catalogue entry a scenario's term names.
const EffectSpec& spec_of(const EffectTerm& term);

// sum_k beta_k x_k(i, j) over the layer's terms.
double utility(const EffectContext& context, const std::vector<EffectTerm>& terms, std::size_t i,
               std::size_t j);
// The same sum, in the same order (so the same double), appending each term's effect, statistic and
// coefficient to `recorded`: the utility of a traced tie (UtilityTrace).
double traced_utility(const EffectContext& context, const std::vector<EffectTerm>& terms, std::size_t i,
                      std::size_t j, std::vector<UtilityTerm>& recorded);

}  // namespace policysim
