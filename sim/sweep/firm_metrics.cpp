#include "sim/sweep/firm_metrics.hpp"

#include <array>

#include "sim/output/sweep_schema.hpp"

namespace policysim::sweep {
namespace {

namespace ss = sweep_schema;

// The firm metrics of a sweep: one entry per dataset of /metrics (docs/sweeps.md lists them).
constexpr std::array kFirmMetrics{
    FirmMetric{schema::firms::kTieCount, false,
               [](const FirmRow& row, std::span<double> out) { out[0] = static_cast<double>(row.cooperation.ties); }},
    FirmMetric{schema::firms::kMeanWeight, false,
               [](const FirmRow& row, std::span<double> out) { out[0] = row.cooperation.mean_weight; }},
    FirmMetric{ss::firms::kMeanDegree, false,
               [](const FirmRow& row, std::span<double> out) { out[0] = row.cooperation.mean_degree; }},
    FirmMetric{ss::firms::kPairs, true,
               [](const FirmRow& row, std::span<double> out) {
                 const auto& pairs = row.scenario.pairs_of_interest;
                 for (std::size_t p = 0; p < pairs.size(); ++p)
                   out[p] = row.cooperation_by_country(static_cast<long>(pairs[p].a), static_cast<long>(pairs[p].b));
               }},
};

}  // namespace

FirmRow::FirmRow(const Scenario& scenario_, const World& world_)
    : scenario(scenario_), world(world_), cooperation(compute_firm_network_metrics(world_)),
      cooperation_by_country(b2b_ties_by_country(world_, world_.agent_count())) {}

std::span<const FirmMetric> firm_metrics() { return kFirmMetrics; }

}  // namespace policysim::sweep
