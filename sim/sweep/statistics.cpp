#include "sim/sweep/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace policysim::sweep {

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const double below = std::floor(h);
  const auto lower = static_cast<std::size_t>(below);
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = h - below;
  const double a = sorted[lower], b = sorted[upper];
  const double difference = b - a;
  // numpy's _lerp: a + d t, but b - d (1 - t) for t >= 0.5 (exact at both ends).
  return fraction >= 0.5 ? b - difference * (1.0 - fraction) : a + difference * fraction;
}

namespace {

// Summarises `values` in place (reordered); NaN values are dropped first.
Summary summarize_in_place(std::vector<double>& values) {
  std::erase_if(values, [](double value) { return std::isnan(value); });
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (values.empty()) return {nan, nan, nan, nan, nan};
  double sum = 0.0;
  for (double value : values) sum += value;
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  double squares = 0.0;
  for (double value : values) squares += (value - mean) * (value - mean);
  const double sd = values.size() > 1 ? std::sqrt(squares / (n - 1.0)) : nan;
  std::sort(values.begin(), values.end());
  return {mean, sd, quantile_sorted(values, 0.05), quantile_sorted(values, 0.5), quantile_sorted(values, 0.95)};
}

}  // namespace

Summary summarize(std::vector<double> values) { return summarize_in_place(values); }

SweepPointStatistics point_statistics(std::span<const SweepRunRecord> replicates, std::size_t metrics) {
  SweepPointStatistics statistics;
  std::vector<const SweepRunRecord*> ok;
  for (const SweepRunRecord& record : replicates)
    if (record.status == "ok") ok.push_back(&record);
  statistics.runs_ok = static_cast<std::int64_t>(ok.size());
  statistics.metrics.resize(metrics);
  if (replicates.empty()) return statistics;
  std::vector<double> values;  // one buffer for every element: no allocation per element
  values.reserve(ok.size());
  for (std::size_t m = 0; m < metrics; ++m) {
    const std::size_t elements = replicates.front().metrics.at(m).size();
    auto& out = statistics.metrics[m];
    for (auto& column : out) column.resize(elements);
    for (std::size_t e = 0; e < elements; ++e) {
      values.clear();
      for (const SweepRunRecord* record : ok) values.push_back(record->metrics[m][e]);
      const Summary summary = summarize_in_place(values);
      out[0][e] = summary.mean;
      out[1][e] = summary.sd;
      out[2][e] = summary.q05;
      out[3][e] = summary.q50;
      out[4][e] = summary.q95;
    }
  }
  return statistics;
}

}  // namespace policysim::sweep
