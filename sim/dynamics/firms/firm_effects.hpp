#pragma once
// Effects on the formation of B2B cooperation ties: the utility of firm i taking candidate j as
// a partner is sum_k beta_k x_k(i, j), as for governments (sim/dynamics/effects/effect.hpp).
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/model/firms.hpp"
#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

struct FirmEffectContext {
  const Scenario& scenario;
  const World& world;  // at the start of the phase: governments' ties, firms, the B2B network
  // This quarter's screened matchmaking pools (matchmaking events): the participating firms of each, sorted.
  const std::vector<std::vector<std::uint32_t>>* pools = nullptr;
};

using FirmStatistic = double (*)(const FirmEffectContext&, std::uint32_t i, std::uint32_t j);

struct FirmEffectSpec {
  std::string_view name;
  std::string_view doc;
  std::string_view formula;
  std::string_view source;
  FirmStatistic statistic = nullptr;
};

const std::vector<FirmEffectSpec>& firm_effect_catalogue();
const FirmEffectSpec* find_firm_effect(std::string_view name);
std::optional<std::size_t> firm_effect_index(std::string_view name);
// The catalogue entry a scenario's term names.
const FirmEffectSpec& spec_of(const FirmEffectTerm& term);

// x_i (1 - x_j) + x_j (1 - x_i): one's innovation against the other's making strength.
double complementarity(const FirmTable& firms, std::uint32_t i, std::uint32_t j);

// |N(i) ∩ N(j)|: partners the two firms share (sorted CSR lists, O(degree_i + degree_j)).
std::size_t common_partners(const FirmNetwork& network, std::uint32_t i, std::uint32_t j);

double firm_utility(const FirmEffectContext& context, const std::vector<FirmEffectTerm>& terms, std::uint32_t i,
                    std::uint32_t j);

}  // namespace policysim
