#pragma once
// Statistics across the replicates of a design point, with numpy's definitions so that the
// analysis package gets the same numbers from the runs: mean, sample standard deviation
// (ddof = 1) and quantiles with numpy's default method ("linear", Hyndman & Fan type 7).
#include <span>
#include <vector>

#include "sim/output/sweep_file.hpp"

namespace policysim::sweep {

// numpy.quantile(sorted, q): h = (n - 1) q; x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]),
// evaluated as numpy does (from the upper neighbour when the fraction is >= 0.5). NaN when empty.
double quantile_sorted(std::span<const double> sorted, double q);

struct Summary {
  double mean, sd, q05, q50, q95;
};
// NaN values (failed runs) are left out; all NaN when none is left; sd is NaN for one value.
Summary summarize(std::vector<double> values);

// The statistics of one point from its replicates' records (failed runs left out).
SweepPointStatistics point_statistics(std::span<const SweepRunRecord> replicates, std::size_t metrics);

}  // namespace policysim::sweep
