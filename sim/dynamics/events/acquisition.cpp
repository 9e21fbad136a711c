// acquisition: a firm buys another (as Rakuten bought Viber in February 2014). The rule: the
// largest active firm of the buyer population (ties: the lower member number) buys one active firm
// of the target population drawn uniformly, keyed by (seed, step, Acquisition, the event's name): a
// what-if that adds an acquisition does not move any other draw. A named firm ([firms.named]) is a
// population of one, so `buyer = "Rakuten"`, `target = "Viber"` name the two firms. Ties and
// attributes merge: the bought firm's B2B cooperation ties move to the buyer (a tie both had keeps the
// larger weight; a tie between the two ends), its trade flows too (flows to the same firm add up; trade
// between the two ends, as within a country); the buyer's size becomes the sum of the two and its
// innovation and risk tolerance their size-weighted means (the buyer takes in the start-up's people).
// The bought firm stays in the table, marked inactive (active = 0, acquired_by, acquired_step), so
// firm ids stay stable for the output.
// Source: 000_02203e0e8e2dcc27.txt ("the acquisition of the Israeli messaging app Viber by the Japanese
// company Rakuten for $900 million that same month").
#include <algorithm>

#include "sim/dynamics/events/kinds.hpp"
#include "sim/dynamics/firms/b2b_trade.hpp"
#include "sim/model/government.hpp"

namespace policysim::events {

namespace {

std::uint32_t population_id_of(const Scenario& scenario, const std::string& name) {
  for (const FirmPopulation& population : scenario.firms.populations)
    if (population.name == name) return population.stable_id;
  return 0;  // the loader checked the name
}

}  // namespace

std::string acquisition(const EventContext& context, const EventInstance& event, World& world) {
  const FirmTable& firms = *world.firms;
  const std::uint32_t buyer_population = population_id_of(context.scenario, event.text("buyer"));
  const std::uint32_t target_population = population_id_of(context.scenario, event.text("target"));
  std::optional<std::uint32_t> buyer;
  std::vector<std::uint32_t> targets;
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f) {
    if (!firms.is_active(f)) continue;
    if (firms.population_id[f] == buyer_population && (!buyer || firms.size[f] > firms.size[*buyer])) buyer = f;
  }
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firms.count()); ++f)
    if (firms.is_active(f) && firms.population_id[f] == target_population && (!buyer || f != *buyer)) targets.push_back(f);
  if (!buyer || targets.empty()) return "acquisition " + event.name + ": no active firm to buy or to buy with";

  const double pick = context.random.uniform(static_cast<std::uint32_t>(world.step), Purpose::Acquisition,
                                     stable_id_of("event:" + event.name), 0);
  const std::uint32_t target = targets[std::min<std::size_t>(
      targets.size() - 1, static_cast<std::size_t>(pick * static_cast<double>(targets.size())))];

  FirmTable table = firms;
  if (table.active.empty()) table.active.assign(table.count(), 1);
  if (table.acquired_by.empty()) table.acquired_by.assign(table.count(), -1);
  if (table.acquired_step.empty()) table.acquired_step.assign(table.count(), -1);
  table.active[target] = 0;
  table.acquired_by[target] = *buyer;
  table.acquired_step[target] = world.step;
  const double total_size = firms.size[*buyer] + firms.size[target];
  if (total_size > 0.0) {
    const double buyer_share = firms.size[*buyer] / total_size, target_share = firms.size[target] / total_size;
    table.innovation[*buyer] = buyer_share * firms.innovation[*buyer] + target_share * firms.innovation[target];
    table.risk_tolerance[*buyer] = buyer_share * firms.risk_tolerance[*buyer] + target_share * firms.risk_tolerance[target];
  }
  table.size[*buyer] = total_size;

  // Ties: each end that is the target becomes the buyer; duplicates keep the larger weight.
  const FirmTies& old = world.b2b_cooperation->ties();
  std::vector<std::pair<std::uint64_t, double>> moved;
  moved.reserve(old.count());
  for (std::size_t e = 0; e < old.count(); ++e) {
    std::uint32_t a = old.a[e] == target ? *buyer : old.a[e];
    std::uint32_t b = old.b[e] == target ? *buyer : old.b[e];
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    moved.emplace_back((static_cast<std::uint64_t>(a) << 32) | b, old.weight[e]);
  }
  std::sort(moved.begin(), moved.end());
  FirmTies ties;
  for (std::size_t e = 0; e < moved.size(); ++e) {
    if (e > 0 && moved[e].first == moved[e - 1].first) {
      ties.weight.back() = std::max(ties.weight.back(), moved[e].second);
      continue;
    }
    ties.a.push_back(static_cast<std::uint32_t>(moved[e].first >> 32));
    ties.b.push_back(static_cast<std::uint32_t>(moved[e].first & 0xffffffffu));
    ties.weight.push_back(moved[e].second);
  }
  world.b2b_cooperation = std::make_shared<FirmNetwork>(table.count(), std::move(ties));

  // Trade flows: the target's become the buyer's; flows now within one firm or one country end (the
  // country layer counts international trade only), and their value leaves the firm part.
  const FirmFlows& flows = *world.b2b_trade;
  std::vector<std::pair<std::uint64_t, double>> moved_flows;
  moved_flows.reserve(flows.count());
  for (std::size_t e = 0; e < flows.count(); ++e) {
    const std::uint32_t seller = flows.seller[e] == target ? *buyer : flows.seller[e];
    const std::uint32_t to = flows.buyer[e] == target ? *buyer : flows.buyer[e];
    if (seller == to || table.country[seller] == table.country[to]) continue;
    moved_flows.emplace_back((static_cast<std::uint64_t>(seller) << 32) | to, flows.value[e]);
  }
  FirmFlows merged_flows = flows_from_entries(std::move(moved_flows));
  const TieMatrix firm_trade = firm_trade_by_country(table, merged_flows, world.agent_count());
  if (world.firm_trade.size() == firm_trade.size()) {
    world.layer(Layer::Trade) += firm_trade - world.firm_trade;
    world.firm_trade = firm_trade;
  }
  world.b2b_trade = std::make_shared<const FirmFlows>(std::move(merged_flows));
  world.firms = std::make_shared<const FirmTable>(std::move(table));
  return event.text("buyer") + " firm " + std::to_string(firms.member[*buyer]) + " buys " + event.text("target") +
         " firm " + std::to_string(firms.member[target]) + " (" + std::to_string(world.b2b_cooperation->degree(*buyer)) +
         " B2B ties after the merger)";
}

}  // namespace policysim::events
