#include "sim/estimation/moments.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "sim/description/pair_label.hpp"
#include "sim/measures/measure.hpp"
#include "sim/sweep/spec.hpp"

namespace policysim::estimation {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string text_array(const std::vector<std::string>& texts) {
  std::string literal = "[";
  for (std::size_t k = 0; k < texts.size(); ++k)
    literal += (k ? ", " : "") + sweep::toml_literal(SweepValue(texts[k]));
  return literal + "]";
}

// The pairs a moment reads, as "A-B" labels.
std::vector<std::string> pairs_of(const Moment& moment) {
  if (moment.statistic != MomentStatistic::CountAbove) return {pair_label(moment.from, moment.to)};
  std::vector<std::string> pairs;
  for (const std::string& partner : moment.partners) pairs.push_back(pair_label(moment.from, partner));
  return pairs;
}

}  // namespace

std::vector<Override> moment_overrides(std::span<const Moment> moments, const std::vector<std::string>& scenario_pairs) {
  std::vector<std::string> measures, pairs = scenario_pairs;
  for (const Moment& moment : moments) {
    if (std::find(measures.begin(), measures.end(), moment.measure) == measures.end()) measures.push_back(moment.measure);
    for (const std::string& pair : pairs_of(moment))
      if (std::find(pairs.begin(), pairs.end(), pair) == pairs.end()) pairs.push_back(pair);
  }
  return {{"sweep.record", text_array(measures), "estimate (the moments' measures)"},
          {"output.pairs", text_array(pairs), "estimate (the moments' pairs)"}};
}

MomentReader::MomentReader(const sweep::SweepPlan& plan, std::span<const Moment> moments) {
  const Scenario& scenario = plan.base;
  pair_count_ = scenario.pairs_of_interest.size();
  row_year_.assign(static_cast<std::size_t>(scenario.simulation.steps) + 1, std::numeric_limits<int>::min());
  for (int row = 1; row <= scenario.simulation.steps; ++row)
    row_year_[static_cast<std::size_t>(row)] = Period{scenario.simulation.start.index + row - 1}.year();
  const int first_year = scenario.simulation.start.year();
  const int last_year = Period{scenario.simulation.start.index + scenario.simulation.steps - 1}.year();

  const std::vector<const Measure*> recorded = plan.metric_measures();
  std::vector<ScenarioIssue> issues;
  for (const Moment& moment : moments) {
    Resolved resolved;
    resolved.statistic = moment.statistic;
    resolved.threshold = moment.threshold;
    resolved.first_year = moment.first_year;
    resolved.last_year = moment.last_year;
    const auto measure = std::find_if(recorded.begin(), recorded.end(), [&](const Measure* m) { return m->name == moment.measure; });
    if (measure == recorded.end()) {
      issues.push_back({moment.file, moment.line, "moments." + moment.id + ".measure",
                        "the sweep did not record \"" + moment.measure + "\""});
      continue;
    }
    resolved.metric = static_cast<std::size_t>(measure - recorded.begin());
    for (const std::string& label : pairs_of(moment)) {
      const auto found = std::find_if(scenario.pairs_of_interest.begin(), scenario.pairs_of_interest.end(),
                                      [&](const AgentPair& pair) { return pair.label == label; });
      if (found == scenario.pairs_of_interest.end()) {
        issues.push_back({moment.file, moment.line, "moments." + moment.id,
                          "the scenario has no pair " + label + " (an agent it does not simulate?)"});
        continue;
      }
      resolved.pairs.push_back(static_cast<std::size_t>(found - scenario.pairs_of_interest.begin()));
    }
    if (moment.first_year < first_year || moment.last_year > last_year)
      issues.push_back({moment.file, moment.line, "moments." + moment.id + ".years",
                        "expected years the scenario simulates (" + std::to_string(first_year) + " .. " +
                            std::to_string(last_year) + ")"});
    moments_.push_back(std::move(resolved));
  }
  if (!issues.empty()) throw ScenarioError(std::move(issues));
}

double MomentReader::year_mean(const std::vector<double>& series, std::size_t pair, int year) const {
  double sum = 0.0;
  int count = 0;
  for (std::size_t row = 1; row < row_year_.size(); ++row)
    if (row_year_[row] == year) {
      sum += series[row * pair_count_ + pair];
      ++count;
    }
  return count > 0 ? sum / count : kNaN;
}

double MomentReader::year_end(const std::vector<double>& series, std::size_t pair, int year) const {
  for (std::size_t row = row_year_.size(); row-- > 1;)
    if (row_year_[row] == year) return series[row * pair_count_ + pair];
  return kNaN;
}

double MomentReader::value(const Resolved& moment, const SweepRunRecord& record) const {
  const std::vector<double>& series = record.metrics.at(moment.metric);
  const std::size_t pair = moment.pairs.empty() ? 0 : moment.pairs.front();
  const auto in_window = [&](std::size_t row) {
    return row_year_[row] >= moment.first_year && row_year_[row] <= moment.last_year;
  };
  switch (moment.statistic) {
    case MomentStatistic::Mean: {
      double sum = 0.0;
      int count = 0;
      for (std::size_t row = 1; row < row_year_.size(); ++row)
        if (in_window(row)) {
          sum += series[row * pair_count_ + pair];
          ++count;
        }
      return count > 0 ? sum / count : kNaN;
    }
    case MomentStatistic::Count: {
      double sum = 0.0;
      for (std::size_t row = 1; row < row_year_.size(); ++row)
        if (in_window(row)) sum += series[row * pair_count_ + pair];
      return sum;
    }
    case MomentStatistic::FirstYear: {
      // Censored at last_year + 1: "not by the end of the window" is one value, so a run that never
      // gets there is as far from 2014 as one that gets there in 2015, and no further.
      for (std::size_t row = 1; row < row_year_.size(); ++row)
        if (in_window(row) && series[row * pair_count_ + pair] > moment.threshold) return row_year_[row];
      return moment.last_year + 1;
    }
    case MomentStatistic::YearEnd: return year_end(series, pair, moment.last_year);
    case MomentStatistic::Growth: {
      const double first = year_mean(series, pair, moment.first_year);
      const double last = year_mean(series, pair, moment.last_year);
      if (!(first > 0.0) || !(last > 0.0)) return kNaN;
      return std::log(last / first) / (moment.last_year - moment.first_year);
    }
    case MomentStatistic::CountAbove: {
      int count = 0;
      for (std::size_t partner : moment.pairs)
        if (year_end(series, partner, moment.last_year) >= moment.threshold) ++count;
      return count;
    }
  }
  return kNaN;
}

std::vector<double> MomentReader::values(const SweepRunRecord& record) const {
  std::vector<double> result;
  result.reserve(moments_.size());
  for (const Resolved& moment : moments_) result.push_back(record.status == "ok" ? value(moment, record) : kNaN);
  return result;
}

}  // namespace policysim::estimation
