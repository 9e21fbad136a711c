#include "sim/dynamics/firms/b2b_trade.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "sim/dynamics/firms/pick_index.hpp"
#include "sim/model/government.hpp"

namespace policysim {
namespace {

std::uint64_t pack(std::uint32_t seller, std::uint32_t buyer) {
  return (static_cast<std::uint64_t>(seller) << 32) | buyer;
}

constexpr std::uint64_t kNoFlow = std::numeric_limits<std::uint64_t>::max();

// Where each seller's flows start in a (seller, buyer)-sorted list: seller s's are
// [starts[s], starts[s + 1]). Built once a step, so that asking whether a flow exists searches one
// seller's few buyers, not the whole list (a search of every flow, for both directions of every
// cross-border cooperation tie, was 6.5% of the baseline scenario's run; docs/performance.md,
// twenty-second round).
std::vector<std::size_t> seller_starts(const FirmFlows& flows, std::size_t firm_count) {
  std::vector<std::size_t> starts(firm_count + 1, 0);
  for (const std::uint32_t seller : flows.seller) ++starts[std::size_t{seller} + 1];
  for (std::size_t f = 0; f < firm_count; ++f) starts[f + 1] += starts[f];
  return starts;
}

// Whether the flow seller -> buyer is in the list whose sellers start at `starts`.
bool has_flow(const FirmFlows& flows, const std::vector<std::size_t>& starts, std::uint32_t seller,
              std::uint32_t buyer) {
  const auto first = flows.buyer.begin() + static_cast<std::ptrdiff_t>(starts[seller]);
  const auto last = flows.buyer.begin() + static_cast<std::ptrdiff_t>(starts[std::size_t{seller} + 1]);
  return std::binary_search(first, last, buyer);
}

}  // namespace

std::uint32_t firm_key(const FirmTable& firms, std::uint32_t firm) {
  return firms.population_id[firm] ^ (firms.member[firm] * 0x9E3779B9u);
}

FirmFlows initial_firm_trade(const Scenario& scenario, const RandomStreams& random, const FirmTable& firms,
                             const TieMatrix& trade) {
  const B2bTradeDynamics& settings = scenario.firms.trade;
  FirmFlows flows;
  if (!settings.enabled() || firms.count() == 0) return flows;
  const std::size_t agents = scenario.agent_count();
  std::vector<std::vector<std::uint32_t>> by_country(agents);
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f)
    if (firms.is_active(f)) by_country[firms.country[f]].push_back(f);

  std::vector<std::pair<std::uint64_t, double>> drawn;  // (seller, buyer) packed, raw value
  for (std::uint32_t seller = 0; seller < static_cast<std::uint32_t>(firms.count()); ++seller) {
    if (!firms.is_active(seller)) continue;
    const std::size_t from = firms.country[seller];
    for (std::size_t to = 0; to < agents; ++to) {
      if (to == from || by_country[to].empty() || trade(static_cast<long>(from), static_cast<long>(to)) <= 0.0) continue;
      const auto& buyers = by_country[to];
      for (std::uint32_t k = 0; k < settings.buyers_per_firm; ++k) {
        const double pick = random.uniform(scenario.governments[to].stable_id, Purpose::FirmTradeBuyer,
                                           firms.population_id[seller], (firms.member[seller] << 6) | k);
        const std::uint32_t buyer = buyers[pick_index(pick, buyers.size())];
        drawn.emplace_back(pack(seller, buyer), std::pow(firms.size[seller] * firms.size[buyer], settings.size_elasticity));
      }
    }
  }
  flows = flows_from_entries(std::move(drawn));  // a buyer drawn twice: one flow
  // Scale each directed country pair to its share of the country trade.
  const TieMatrix raw = firm_trade_by_country(firms, flows, agents);
  for (std::size_t e = 0; e < flows.count(); ++e) {
    const auto c = static_cast<long>(firms.country[flows.seller[e]]);
    const auto d = static_cast<long>(firms.country[flows.buyer[e]]);
    flows.value[e] *= settings.firm_share * trade(c, d) / raw(c, d);
  }
  return flows;
}

FirmFlows flows_from_entries(std::vector<std::pair<std::uint64_t, double>> entries) {
  std::sort(entries.begin(), entries.end());
  FirmFlows flows;
  for (std::size_t e = 0; e < entries.size(); ++e) {
    if (e > 0 && entries[e].first == entries[e - 1].first) {
      flows.value.back() += entries[e].second;
      continue;
    }
    flows.seller.push_back(static_cast<std::uint32_t>(entries[e].first >> 32));
    flows.buyer.push_back(static_cast<std::uint32_t>(entries[e].first & 0xffffffffu));
    flows.value.push_back(entries[e].second);
  }
  return flows;
}

TieMatrix firm_trade_by_country(const FirmTable& firms, const FirmFlows& flows, std::size_t agents) {
  TieMatrix sums = TieMatrix::Zero(static_cast<long>(agents), static_cast<long>(agents));
  for (std::size_t e = 0; e < flows.count(); ++e)
    sums(static_cast<long>(firms.country[flows.seller[e]]), static_cast<long>(firms.country[flows.buyer[e]])) +=
        flows.value[e];
  return sums;
}

void update_b2b_trade(const PhaseContext& context, const World& start, World& next) {
  const B2bTradeDynamics& settings = context.scenario.firms.trade;
  if (!settings.enabled()) return;
  const FirmTable& firms = *start.firms;
  const FirmFlows& old = *start.b2b_trade;
  const FirmNetwork& cooperation = *start.b2b_cooperation;
  const auto step = static_cast<std::uint32_t>(start.step);
  const std::size_t agents = start.agent_count();
  const RandomStreams& random = context.random;

  // 1. Growth: the country pair's, plus the cooperation tie's, plus a mean-preserving firm shock.
  // The shocks' normals drawn a batch of flows at a time (RandomStreams::normals: the same numbers
  // as one at a time, each keyed by its two firms).
  FirmFlows grown = old;
  constexpr long kBatch = 256;
  const auto flow_count = static_cast<long>(old.count());
#pragma omp parallel for schedule(static)
  for (long batch = 0; batch < flow_count; batch += kBatch) {
    const auto first = static_cast<std::size_t>(batch);
    const auto length = static_cast<std::size_t>(std::min(kBatch, flow_count - batch));
    std::array<std::uint32_t, kBatch> seller_keys, buyer_keys;
    std::array<double, kBatch> normal;
    if (settings.noise_sd != 0.0) {
      for (std::size_t k = 0; k < length; ++k) {
        seller_keys[k] = firm_key(firms, old.seller[first + k]);
        buyer_keys[k] = firm_key(firms, old.buyer[first + k]);
      }
      random.normals(step, Purpose::FirmTradeShock, seller_keys.data(), buyer_keys.data(), normal.data(), length);
    }
    for (std::size_t k = 0; k < length; ++k) {
      const std::size_t flow = first + k;
      const std::uint32_t seller = old.seller[flow], buyer = old.buyer[flow];
      const double growth = start.trade_log_growth(static_cast<long>(firms.country[seller]), static_cast<long>(firms.country[buyer]));
      const double shock = settings.noise_sd == 0.0 ? 0.0
                                                    : settings.noise_sd * normal[k] - 0.5 * settings.noise_sd * settings.noise_sd;
      grown.value[flow] = old.value[flow] * std::exp(growth + settings.cooperation_growth * cooperation.weight(seller, buyer) + shock);
    }
  }

  // 2. New flows along cross-border cooperation ties, one slot per (tie, direction) so threads never
  // share a write; a new flow is worth the mean grown flow of its country pair.
  const TieMatrix sums = firm_trade_by_country(firms, grown, agents);
  TieMatrix counts = TieMatrix::Zero(static_cast<long>(agents), static_cast<long>(agents));
  for (std::size_t e = 0; e < grown.count(); ++e)
    counts(static_cast<long>(firms.country[grown.seller[e]]), static_cast<long>(firms.country[grown.buyer[e]])) += 1.0;
  const FirmTies& ties = cooperation.ties();
  const std::vector<std::size_t> old_starts = seller_starts(old, firms.count());
  std::vector<std::uint64_t> opened(settings.opening_rate > 0.0 ? 2 * ties.count() : 0, kNoFlow);
  // The (tie, direction) slots that may open a flow are listed a batch of ties at a time, then their
  // uniforms drawn together (RandomStreams::uniforms: the same numbers as one at a time).
  const auto tie_count = static_cast<long>(opened.size() / 2);
#pragma omp parallel for schedule(static)
  for (long batch = 0; batch < tie_count; batch += kBatch) {
    std::array<std::uint32_t, 2 * kBatch> seller_keys, buyer_keys;
    std::array<std::size_t, 2 * kBatch> slot;
    std::array<std::uint64_t, 2 * kBatch> pair;
    std::array<double, 2 * kBatch> chance, uniform;
    std::size_t candidates = 0;
    for (auto tie = static_cast<std::size_t>(batch); tie < static_cast<std::size_t>(std::min(batch + kBatch, tie_count)); ++tie)
      for (int direction = 0; direction < 2; ++direction) {
        const std::uint32_t seller = direction == 0 ? ties.a[tie] : ties.b[tie];
        const std::uint32_t buyer = direction == 0 ? ties.b[tie] : ties.a[tie];
        const auto c = static_cast<long>(firms.country[seller]), d = static_cast<long>(firms.country[buyer]);
        if (c == d || counts(c, d) == 0.0 || !firms.is_active(seller) || !firms.is_active(buyer)) continue;
        if (has_flow(old, old_starts, seller, buyer)) continue;
        seller_keys[candidates] = firm_key(firms, seller);
        buyer_keys[candidates] = firm_key(firms, buyer);
        slot[candidates] = 2 * tie + static_cast<std::size_t>(direction);
        pair[candidates] = pack(seller, buyer);
        chance[candidates++] = settings.opening_rate * ties.weight[tie];
      }
    random.uniforms(step, Purpose::FirmTradeOpening, seller_keys.data(), buyer_keys.data(), uniform.data(), candidates);
    for (std::size_t k = 0; k < candidates; ++k)
      if (uniform[k] <= chance[k]) opened[slot[k]] = pair[k];
  }
  std::erase(opened, kNoFlow);
  std::sort(opened.begin(), opened.end());

  FirmFlows merged;
  merged.seller.reserve(grown.count() + opened.size());
  merged.buyer.reserve(grown.count() + opened.size());
  merged.value.reserve(grown.count() + opened.size());
  std::size_t e = 0, o = 0;
  while (e < grown.count() || o < opened.size()) {
    if (o == opened.size() || (e < grown.count() && pack(grown.seller[e], grown.buyer[e]) < opened[o])) {
      merged.seller.push_back(grown.seller[e]);
      merged.buyer.push_back(grown.buyer[e]);
      merged.value.push_back(grown.value[e]);
      ++e;
      continue;
    }
    const auto seller = static_cast<std::uint32_t>(opened[o] >> 32), buyer = static_cast<std::uint32_t>(opened[o] & 0xffffffffu);
    const auto c = static_cast<long>(firms.country[seller]), d = static_cast<long>(firms.country[buyer]);
    merged.seller.push_back(seller);
    merged.buyer.push_back(buyer);
    merged.value.push_back(sums(c, d) / counts(c, d));
    ++o;
  }

  // 3. The country layer: its non-firm part (left by the trade phase) plus the new firm aggregate.
  TieMatrix firm_trade = firm_trade_by_country(firms, merged, agents);
  next.layer(Layer::Trade) = start.layer(Layer::Trade) - start.firm_trade + firm_trade;
  next.firm_trade = std::move(firm_trade);
  next.b2b_trade = std::make_shared<const FirmFlows>(std::move(merged));
}

FirmTradeMetrics compute_firm_trade_metrics(const World& world) {
  FirmTradeMetrics metrics;
  const FirmFlows& flows = *world.b2b_trade;
  metrics.flows = flows.count();
  for (double v : flows.value) metrics.value += v;
  return metrics;
}

}  // namespace policysim
