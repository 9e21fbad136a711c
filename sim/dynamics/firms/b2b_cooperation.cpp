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

// This quarter's matchmaking pools: the participating firms of each, in increasing order. An
// eligible firm (country and sector of the pool, active) takes part with chance firms / eligible
// (every eligible firm when the pool names no number), keyed by (step, FirmPoolJoin, population id
// mixed with the pool's key, member): no draw depends on the order of firms or of threads.
std::vector<std::vector<std::uint32_t>> pool_participants(const PhaseContext& context, const World& start) {
  const FirmTable& firms = *start.firms;
  const auto step = static_cast<std::uint32_t>(start.step);
  std::vector<std::vector<std::uint32_t>> pools;
  for (const FirmMatchPool& pool : start.match_pools) {
    std::vector<std::uint32_t> eligible;
    for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f)
      if (firms.is_active(f) && (pool.sectors >> static_cast<unsigned>(firms.sector[f]) & 1u) != 0 &&
          std::find(pool.countries.begin(), pool.countries.end(), firms.country[f]) != pool.countries.end())
        eligible.push_back(f);
    if (pool.firms == 0 || pool.firms >= eligible.size()) {
      pools.push_back(std::move(eligible));
      continue;
    }
    const double chance = static_cast<double>(pool.firms) / static_cast<double>(eligible.size());
    std::vector<std::uint32_t> taking_part;
    for (std::uint32_t f : eligible)
      if (context.random.uniform(step, Purpose::FirmPoolJoin, firms.population_id[f] ^ pool.key, firms.member[f]) <= chance)
        taking_part.push_back(f);
    pools.push_back(std::move(taking_part));
  }
  return pools;
}

}  // namespace

void update_b2b_cooperation(const PhaseContext& context, const World& start, World& next) {
  const FirmSettings& settings = context.scenario.firms;
  const FirmTable& firms = *start.firms;
  const auto firm_count = static_cast<std::uint32_t>(firms.count());
  if (!settings.enabled() || firm_count < 2) return;
  const B2bDynamics& dynamics = settings.cooperation;
  const std::uint32_t uniform_candidates = dynamics.candidates_per_step;
  const std::uint32_t network_end = uniform_candidates + dynamics.network_candidates;
  const std::uint32_t candidates = dynamics.total_candidates();
  const auto step = static_cast<std::uint32_t>(start.step);
  const FirmNetwork& network = *start.b2b_cooperation;
  const auto pools = dynamics.event_candidates > 0 ? pool_participants(context, start)
                                                   : std::vector<std::vector<std::uint32_t>>{};
  // The matchmaking effect reads the screened pools only (matchmaking events, not business forums).
  std::vector<std::vector<std::uint32_t>> screened_pools;
  for (std::size_t p = 0; p < pools.size(); ++p)
    if (start.match_pools[p].screened) screened_pools.push_back(pools[p]);
  const FirmEffectContext effects{context.scenario, start, &screened_pools};

  // 1. Formation: one slot per (firm, candidate), so threads never share a write. Candidates
  // 0 .. c-1 are uniform over all firms, then network_candidates partners of partners, then
  // event_candidates from the matchmaking pools the firm takes part in. A source with nothing to
  // offer (no partner, no pool) leaves its slots empty.
  std::vector<std::uint64_t> proposals(static_cast<std::size_t>(firm_count) * candidates, kNoProposal);
#pragma omp parallel for schedule(static)
  for (long f = 0; f < static_cast<long>(firm_count); ++f) {
    const auto i = static_cast<std::uint32_t>(f);
    if (!firms.is_active(i)) continue;
    // The pools firm i takes part in, as (pool, size) in pool order.
    std::size_t pool_entries = 0;
    std::vector<std::size_t> my_pools;
    for (std::size_t p = 0; p < pools.size(); ++p)
      if (std::binary_search(pools[p].begin(), pools[p].end(), i)) {
        my_pools.push_back(p);
        pool_entries += pools[p].size();
      }
    for (std::uint32_t k = 0; k < candidates; ++k) {
      const std::uint32_t key = draw_key(firms, i, k);
      const std::uint32_t population = firms.population_id[i];
      std::uint32_t j = i;
      if (k < uniform_candidates) {
        const double pick = context.random.uniform(step, Purpose::FirmCandidate, population, key);
        j = static_cast<std::uint32_t>(std::min<double>(firm_count - 2, std::floor(pick * (firm_count - 1))));
        if (j >= i) ++j;  // uniform over the other firms
      } else if (k < network_end) {
        const auto partners = network.neighbours(i);
        if (partners.empty()) continue;
        const double first = context.random.uniform(step, Purpose::FirmNetworkCandidate, population, key);
        const std::uint32_t partner = partners[std::min<std::size_t>(
            partners.size() - 1, static_cast<std::size_t>(std::floor(first * static_cast<double>(partners.size()))))];
        const auto second_partners = network.neighbours(partner);  // never empty: i is one of them
        const double second = context.random.uniform(step, Purpose::FirmNetworkCandidateNext, population, key);
        j = second_partners[std::min<std::size_t>(
            second_partners.size() - 1,
            static_cast<std::size_t>(std::floor(second * static_cast<double>(second_partners.size()))))];
      } else {
        if (pool_entries == 0) continue;
        const double pick = context.random.uniform(step, Purpose::FirmEventCandidate, population, key);
        auto slot = std::min<std::size_t>(pool_entries - 1,
                                          static_cast<std::size_t>(std::floor(pick * static_cast<double>(pool_entries))));
        for (std::size_t p : my_pools) {
          if (slot < pools[p].size()) { j = pools[p][slot]; break; }
          slot -= pools[p].size();
        }
      }
      if (j == i || !firms.is_active(j) || network.linked(i, j)) continue;
      const double probability = 1.0 / (1.0 + std::exp(-firm_utility(effects, settings.cooperation_effects, i, j)));
      if (context.random.uniform(step, Purpose::FirmFormation, population, key) <= probability)
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
  next.b2b_country_ties = std::make_shared<const TieMatrix>(b2b_ties_by_country(next, start.agent_count()));
  next.b2b_networked_share = std::make_shared<const TieMatrix>(b2b_networked_share(next, start.agent_count()));
}

TieMatrix b2b_networked_firms(const World& world, std::size_t agents) {
  const auto n = static_cast<long>(agents);
  const FirmTable& firms = *world.firms;
  const FirmNetwork& network = *world.b2b_cooperation;
  TieMatrix networked = TieMatrix::Zero(n, n);
  std::vector<std::uint32_t> partner_countries;
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f) {
    if (!firms.is_active(f) || network.firm_count() <= f) continue;
    partner_countries.clear();
    for (std::uint32_t g : network.neighbours(f))
      if (firms.country[g] != firms.country[f]) partner_countries.push_back(firms.country[g]);
    std::sort(partner_countries.begin(), partner_countries.end());
    partner_countries.erase(std::unique(partner_countries.begin(), partner_countries.end()), partner_countries.end());
    for (std::uint32_t d : partner_countries) networked(static_cast<long>(firms.country[f]), static_cast<long>(d)) += 1.0;
  }
  return networked;
}

TieMatrix b2b_networked_share(const World& world, std::size_t agents) {
  const auto n = static_cast<long>(agents);
  const FirmTable& firms = *world.firms;
  Eigen::VectorXd active = Eigen::VectorXd::Zero(n);
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f)
    if (firms.is_active(f)) active[static_cast<long>(firms.country[f])] += 1.0;
  const TieMatrix networked = b2b_networked_firms(world, agents);
  TieMatrix share = TieMatrix::Zero(n, n);
  for (long c = 0; c < n; ++c)
    for (long d = 0; d < n; ++d)
      if (c != d && active[c] + active[d] > 0.0) share(c, d) = (networked(c, d) + networked(d, c)) / (active[c] + active[d]);
  return share;
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
