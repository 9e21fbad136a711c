#pragma once
// Moments from a sweep's run records: the statistic of a moment (estimate_spec.hpp) computed from
// the metrics one run recorded (`/metrics/<measure>_pairs`, [time, pair]). The estimator asks the
// sweep to record exactly the measures and pairs its moments read (moment_overrides).
#include <span>
#include <string>
#include <vector>

#include "sim/estimation/estimate_spec.hpp"
#include "sim/output/sweep_file.hpp"
#include "sim/sweep/plan.hpp"

namespace policysim::estimation {

// --set overrides that make a sweep of `scenario` record what `moments` read: sweep.record = the
// moments' measures, output.pairs = the scenario's pairs of interest and every pair a moment reads.
// `scenario_pairs` are the scenario's own pairs of interest ("JPN-ISR", ...).
std::vector<Override> moment_overrides(std::span<const Moment> moments, const std::vector<std::string>& scenario_pairs);

// Reads the moments of one run from its record. Built once per sweep plan: it resolves each
// moment's measure (position in /metrics), pair (position among the pairs of interest) and rows.
class MomentReader {
 public:
  // Throws ScenarioError (the moment's file:line) when a moment names an agent or year the
  // scenario does not simulate.
  MomentReader(const sweep::SweepPlan& plan, std::span<const Moment> moments);
  // One value per moment; NaN for a failed run.
  std::vector<double> values(const SweepRunRecord& record) const;

 private:
  struct Resolved {
    MomentStatistic statistic;
    std::size_t metric = 0;          // index in the record's metrics
    std::vector<std::size_t> pairs;  // index among the pairs of interest (CountAbove: one per partner)
    double threshold = 0.0;
    int first_year = 0, last_year = 0;
  };
  double value(const Resolved& moment, const SweepRunRecord& record) const;
  double year_mean(const std::vector<double>& series, std::size_t pair, int year) const;
  double year_end(const std::vector<double>& series, std::size_t pair, int year) const;

  std::size_t pair_count_ = 0;
  std::vector<int> row_year_;  // the calendar year of the quarter that led to each row (row 0: none)
  std::vector<Resolved> moments_;
};

}  // namespace policysim::estimation
