#include "sim/dynamics/firms/b2b_cooperation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/dynamics/firms/firm_effects.hpp"

namespace policysim {
namespace {

constexpr std::uint64_t kNoProposal = std::numeric_limits<std::uint64_t>::max();

std::uint64_t pack(std::uint32_t i, std::uint32_t j) {
  const auto low = std::min(i, j);
  const auto high = std::max(i, j);
  return (static_cast<std::uint64_t>(low) << 32) | high;
}

// The last counter word of a firm's draws: member index and candidate number (< 64).
std::uint32_t draw_key(const FirmTable& firms, std::uint32_t firm, std::uint32_t candidate) {
  return (firms.member[firm] << 6) | candidate;
}

}  // namespace

void update_b2b_cooperation(const PhaseContext& context, const World& start, World& next) {
  const FirmSettings& settings = context.scenario.firms;
  const FirmTable& firms = *start.firms;
  const auto firm_count = static_cast<std::uint32_t>(firms.count());
  if (!settings.enabled() || firm_count < 2) return;
  const B2bDynamics& dynamics = settings.cooperation;
  const std::uint32_t candidates = dynamics.candidates_per_step;
  const auto step = static_cast<std::uint32_t>(start.step);
  const FirmNetwork& network = *start.b2b_cooperation;
  const FirmEffectContext effects{context.scenario, start};

  // 1. Formation: one slot per (firm, candidate), so threads never share a write.
  std::vector<std::uint64_t> proposals(static_cast<std::size_t>(firm_count) * candidates, kNoProposal);
#pragma omp parallel for schedule(static)
  for (long f = 0; f < static_cast<long>(firm_count); ++f) {
    const auto i = static_cast<std::uint32_t>(f);
    for (std::uint32_t k = 0; k < candidates; ++k) {
      const std::uint32_t key = draw_key(firms, i, k);
      const double pick = context.random.uniform(step, Purpose::FirmCandidate, firms.population_id[i], key);
      auto j = static_cast<std::uint32_t>(std::min<double>(firm_count - 2, std::floor(pick * (firm_count - 1))));
      if (j >= i) ++j;  // uniform over the other firms
      if (network.linked(i, j)) continue;
      const double probability = 1.0 / (1.0 + std::exp(-firm_utility(effects, settings.cooperation_effects, i, j)));
      if (context.random.uniform(step, Purpose::FirmFormation, firms.population_id[i], key) <= probability)
        proposals[static_cast<std::size_t>(i) * candidates + k] = pack(i, j);
    }
  }

  // 2. Existing ties move towards their complementarity; weak ones end.
  const FirmTies& old = network.ties();
  std::vector<double> updated(old.count());
#pragma omp parallel for schedule(static)
  for (long e = 0; e < static_cast<long>(old.count()); ++e) {
    const auto edge = static_cast<std::size_t>(e);
    updated[edge] = (1.0 - dynamics.weight_adjustment) * old.weight[edge] +
                    dynamics.weight_adjustment * complementarity(firms, old.a[edge], old.b[edge]);
  }

  // 3. New ties (deduplicated; none of them existed) merged with the survivors, in (a, b) order.
  std::erase(proposals, kNoProposal);
  std::sort(proposals.begin(), proposals.end());
  proposals.erase(std::unique(proposals.begin(), proposals.end()), proposals.end());
  FirmTies merged;
  merged.a.reserve(old.count() + proposals.size());
  merged.b.reserve(old.count() + proposals.size());
  merged.weight.reserve(old.count() + proposals.size());
  std::size_t e = 0, p = 0;
  while (e < old.count() || p < proposals.size()) {
    const bool take_old = p == proposals.size() ||
                          (e < old.count() && pack(old.a[e], old.b[e]) < proposals[p]);
    if (take_old) {
      if (updated[e] >= dynamics.removal_threshold) {
        merged.a.push_back(old.a[e]);
        merged.b.push_back(old.b[e]);
        merged.weight.push_back(updated[e]);
      }
      ++e;
    } else {
      merged.a.push_back(static_cast<std::uint32_t>(proposals[p] >> 32));
      merged.b.push_back(static_cast<std::uint32_t>(proposals[p] & 0xffffffffu));
      merged.weight.push_back(dynamics.initial_weight);
      ++p;
    }
  }
  next.b2b_cooperation = std::make_shared<const FirmNetwork>(firm_count, std::move(merged));
}

FirmNetworkMetrics compute_firm_network_metrics(const World& world) {
  FirmNetworkMetrics metrics;
  const FirmTies& ties = world.b2b_cooperation->ties();
  metrics.ties = ties.count();
  double sum = 0.0;
  for (double w : ties.weight) sum += w;
  metrics.mean_weight = ties.count() == 0 ? 0.0 : sum / static_cast<double>(ties.count());
  const std::size_t firms = world.firms->count();
  metrics.mean_degree = firms == 0 ? 0.0 : 2.0 * static_cast<double>(ties.count()) / static_cast<double>(firms);
  return metrics;
}

TieMatrix b2b_ties_by_country(const World& world, std::size_t agents) {
  TieMatrix counts = TieMatrix::Zero(static_cast<long>(agents), static_cast<long>(agents));
  const FirmTies& ties = world.b2b_cooperation->ties();
  const FirmTable& firms = *world.firms;
  for (std::size_t e = 0; e < ties.count(); ++e) {
    const auto a = static_cast<long>(firms.country[ties.a[e]]);
    const auto b = static_cast<long>(firms.country[ties.b[e]]);
    counts(a, b) += 1.0;
    if (a != b) counts(b, a) += 1.0;
  }
  return counts;
}

}  // namespace policysim
