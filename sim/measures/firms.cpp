// Measures of the firm layer: the B2B cooperation network, B2B trade, and their country-level
// views (docs/model.md, "Firms and B2B ties"). A world without firms (or without B2B trade) reads 0.
#include <algorithm>
#include <map>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/firms/b2b_trade.hpp"
#include "sim/measures/families.hpp"

namespace policysim::measures {

// The tie count and the mean degree need no pass over the weights (compute_firm_network_metrics sums them).
void b2b_cooperation_tie_count(const MeasureContext& context, std::span<double> out) {
  out[0] = static_cast<double>(context.world.b2b_cooperation->tie_count());
}

void b2b_cooperation_mean_weight(const MeasureContext& context, std::span<double> out) {
  out[0] = compute_firm_network_metrics(context.world).mean_weight;
}

void b2b_cooperation_mean_degree(const MeasureContext& context, std::span<double> out) {
  const std::size_t ties = context.world.b2b_cooperation->tie_count(), firms = context.world.firms->count();
  out[0] = firms == 0 ? 0.0 : 2.0 * static_cast<double>(ties) / static_cast<double>(firms);  // as compute_firm_network_metrics
}

void b2b_cooperation_by_country(const MeasureContext& context, std::span<double> out) {
  const std::size_t n = context.scenario.agent_count();
  copy_matrix(*context.world.b2b_country_ties, n, out);  // kept by the B2B phase (set_b2b_country_aggregates)
}

void b2b_trade_flow_count(const MeasureContext& context, std::span<double> out) {
  out[0] = static_cast<double>(compute_firm_trade_metrics(context.world).flows);
}

void b2b_trade_total_value(const MeasureContext& context, std::span<double> out) {
  out[0] = compute_firm_trade_metrics(context.world).value;
}

void b2b_trade_by_country(const MeasureContext& context, std::span<double> out) {
  copy_matrix(context.world.firm_trade, context.scenario.agent_count(), out);
}

void b2b_networked_firm_count(const MeasureContext& context, std::span<double> out) {
  const std::size_t n = context.scenario.agent_count();
  copy_matrix(b2b_networked_firms(context.world, n), n, out);
}

void b2b_networked_firm_share(const MeasureContext& context, std::span<double> out) {
  const std::size_t n = context.scenario.agent_count();
  copy_matrix(*context.world.b2b_networked_share, n, out);  // kept by the B2B phase (set_b2b_country_aggregates)
}

// Ties of the non-cyber firms of `agent` to cyber-security firms of `partner`: whom a country's
// firms go to for cyber security (002: Japanese companies "prefer to farm out their cybersecurity
// to specialized companies").
void b2b_cyber_service_ties(const MeasureContext& context, std::span<double> out) {
  std::fill(out.begin(), out.end(), 0.0);
  const std::size_t n = context.scenario.agent_count();
  const FirmTable& firms = *context.world.firms;
  const FirmTies& ties = context.world.b2b_cooperation->ties();
  for (std::size_t e = 0; e < ties.count(); ++e)
    for (const auto& [client, provider] : {std::pair{ties.a[e], ties.b[e]}, std::pair{ties.b[e], ties.a[e]}}) {
      if (firms.sector[client] == Sector::CyberSecurity || firms.sector[provider] != Sector::CyberSecurity) continue;
      const std::size_t from = firms.country[client], to = firms.country[provider];
      if (from < n && to < n) out[from * n + to] += 1.0;
    }
}

void active_firms_by_country(const MeasureContext& context, std::span<double> out) {
  std::fill(out.begin(), out.end(), 0.0);
  const FirmTable& firms = *context.world.firms;
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f)
    if (firms.is_active(f) && firms.country[f] < out.size()) out[firms.country[f]] += 1.0;
}

void active_firms_by_population(const MeasureContext& context, std::span<double> out) {
  std::fill(out.begin(), out.end(), 0.0);
  std::map<std::uint32_t, std::size_t> position;  // population stable id -> index in the scenario
  const auto& populations = context.scenario.firms.populations;
  for (std::size_t p = 0; p < populations.size(); ++p) position[populations[p].stable_id] = p;
  const FirmTable& firms = *context.world.firms;
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f)
    if (const auto found = position.find(firms.population_id[f]); found != position.end() && firms.is_active(f))
      out[found->second] += 1.0;
}

}  // namespace policysim::measures
