#pragma once
// The firm layer's metrics that a sweep records per run, in one table (firm_metrics.cpp): only
// for scenarios with firm populations, after the government metrics of /metrics, each a dataset
// [run, time] or [run, time, pair] with its statistics in /statistics (docs/sweeps.md). The file
// layout (file_layout), the runs (execute_run) and the statistics all follow the table, so a
// new firm metric is one entry there: its column and how to read it off the world, e.g.
//   FirmMetric{schema::firms::kTradeValue, false,
//              [](const FirmRow& row, std::span<double> out) { out[0] = compute_firm_trade_metrics(row.world).value; }},
// (and its row in docs/sweeps.md). Every scenario with firms records every entry: a part of the firm
// layer that a scenario leaves off (B2B trade without [firms.trade]) reads 0 there, so a sweep may
// switch it on at some points only (firms.trade.firm_share from 0) and keep one layout.
#include <span>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/model/world.hpp"
#include "sim/output/schema.hpp"
#include "sim/description/scenario.hpp"

namespace policysim::sweep {

// What the firm metrics read at one row of a run: the world, and the summaries several metrics
// share (each computed once per row).
struct FirmRow {
  const Scenario& scenario;
  const World& world;
  FirmNetworkMetrics cooperation;  // compute_firm_network_metrics(world)
  TieMatrix cooperation_by_country;  // b2b_ties_by_country(world, agents): [agent x partner]

  FirmRow(const Scenario& scenario, const World& world);
};

struct FirmMetric {
  schema::Column column;  // dataset name, units and long_name in /metrics
  bool per_pair = false;  // [time, pair] over the scenario's pairs of interest, else [time]
  // Writes the metric's values of the row: one, or one per pair of interest (in their order).
  void (*fill)(const FirmRow& row, std::span<double> out) = nullptr;
};

// The firm metrics, in the order of the file.
std::span<const FirmMetric> firm_metrics();

}  // namespace policysim::sweep
