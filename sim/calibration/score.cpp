#include "sim/calibration/score.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "sim/calibration/validation_split.hpp"

namespace policysim::calibration {

// ---- The statistics ----------------------------------------------------------------------------

Errors errors(const std::vector<double>& observed, const std::vector<double>& forecast) {
  if (observed.size() != forecast.size()) throw std::invalid_argument("errors: observed and forecast differ in length");
  Errors result;
  result.n = observed.size();
  if (result.n == 0) {
    result.mse = result.rmse = result.mae = NAN;
    return result;
  }
  double squares = 0.0, absolutes = 0.0;
  for (std::size_t k = 0; k < observed.size(); ++k) {
    const double error = forecast[k] - observed[k];
    squares += error * error;
    absolutes += std::abs(error);
  }
  result.mse = squares / static_cast<double>(result.n);
  result.rmse = std::sqrt(result.mse);
  result.mae = absolutes / static_cast<double>(result.n);
  return result;
}

double skill(double mse_model, double mse_null) {
  if (mse_null == 0.0) return mse_model == 0.0 ? 0.0 : -std::numeric_limits<double>::infinity();
  return 1.0 - mse_model / mse_null;
}

namespace {

std::vector<const ObservedRow*> training_rows(const ObservedSeries& series) {
  std::vector<const ObservedRow*> rows;
  for (const ObservedRow& row : series.rows)
    if (row.training()) rows.push_back(&row);
  return rows;  // in time order, as the series' rows
}

}  // namespace

std::optional<double> training_log_growth(const ObservedSeries& series) {
  const auto rows = training_rows(series);
  if (rows.size() < 2) return std::nullopt;
  const ObservedRow& first = *rows.front();
  const ObservedRow& last = *rows.back();
  if (first.value <= 0.0 || last.value <= 0.0 || last.time() <= first.time()) return std::nullopt;
  for (const ObservedRow* row : rows)
    if (row->value <= 0.0) return std::nullopt;
  return (std::log(last.value) - std::log(first.value)) / (last.time() - first.time());
}

std::optional<double> persistence_forecast(const ObservedSeries& series) {
  const auto rows = training_rows(series);
  if (rows.empty()) return std::nullopt;
  return rows.back()->value;
}

std::optional<double> training_mean_forecast(const ObservedSeries& series) {
  const auto rows = training_rows(series);
  if (rows.empty()) return std::nullopt;
  double sum = 0.0;
  for (const ObservedRow* row : rows) sum += row->value;
  return sum / static_cast<double>(rows.size());
}

std::optional<double> drift_forecast(const ObservedSeries& series, double growth, double time) {
  const auto rows = training_rows(series);
  if (rows.empty()) return std::nullopt;
  return rows.back()->value * std::exp(growth * (time - rows.back()->time()));
}

bool is_flow(const Measure& measure) { return measure.units.rfind("US$", 0) == 0; }

// ---- Scoring a run -----------------------------------------------------------------------------

namespace {

std::string fixed(double value, int digits) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

// Decimals for a series' values: whole numbers for flows and counts of firms, more for strengths.
int digits_for(const SeriesScore& series) {
  if (series.flow) return 0;
  return 3;
}

std::optional<Eigen::Index> slot_of(const Report& report, const std::string& code) {
  const auto found = std::find(report.agents.begin(), report.agents.end(), code);
  if (found == report.agents.end()) return std::nullopt;
  return static_cast<Eigen::Index>(found - report.agents.begin());
}

NullScore null_score(std::string name, const std::vector<double>& observed, const std::vector<std::optional<double>>& forecast,
                     const Errors& model, std::string why_not) {
  NullScore result;
  result.name = std::move(name);
  if (!why_not.empty() || observed.empty()) {
    result.why_not = why_not.empty() ? "no test rows" : std::move(why_not);
    return result;
  }
  std::vector<double> values;
  for (const auto& value : forecast) values.push_back(*value);
  const Errors null = errors(observed, values);
  result.defined = true;
  result.mse = null.mse;
  result.rmse = null.rmse;
  result.mae = null.mae;
  result.skill = skill(model.mse, null.mse);
  return result;
}

}  // namespace

ScoreReport score(const Report& report, const ObservedFile& observed) {
  ScoreReport result;
  result.scenario_file = report.scenario_file;
  result.observed_file = observed.file;
  result.seeds = static_cast<int>(report.seeds.size());
  result.first_seed = report.seeds.empty() ? 0 : report.seeds.front().seed;
  result.last_training_year = kLastTrainingYear;

  // The common drift: the mean training log growth of the flow series that have one.
  std::vector<double> growths;
  for (const ObservedSeries& series : observed.series)
    if (is_flow(measure(series.measure)))
      if (const auto growth = training_log_growth(series)) growths.push_back(*growth);
  if (!growths.empty())
    result.drift = std::accumulate(growths.begin(), growths.end(), 0.0) / static_cast<double>(growths.size());

  std::vector<double> all_observed, all_model;
  // Squared errors summed over the test rows of the series where each null is defined: the model's
  // and the null's, for the pooled skill.
  double model_sse_persistence = 0.0, null_sse_persistence = 0.0, model_sse_second = 0.0, null_sse_second = 0.0;
  for (const ObservedSeries& series : observed.series) {
    const Measure& entry = measure(series.measure);
    SeriesScore scored;
    scored.measure = series.measure;
    scored.from = series.from;
    scored.to = series.to;
    scored.line = series.line;
    scored.flow = is_flow(entry);
    scored.per_year = !series.rows.empty() && series.rows.front().quarterly ? "quarter" : std::string(name_of(entry.per_year));
    const auto from = slot_of(report, series.from), to = slot_of(report, series.to);
    if (!from || !to) throw std::invalid_argument("score: the report has no agent " + (from ? series.to : series.from));
    const auto persistence = persistence_forecast(series);
    const auto mean = training_mean_forecast(series);
    std::vector<double> observed_values, model_values;
    std::vector<std::optional<double>> persistence_values, second_values;
    for (const ObservedRow& row : series.rows) {
      if (row.training()) {
        ++scored.training_rows;
        continue;
      }
      TestPoint point;
      point.line = row.line;
      point.observed = row.value;
      std::optional<double> model;
      if (row.quarterly) {
        point.period = row.quarter.label();
        model = quarter_value(report, series.measure, *from, *to, row.quarter);
      } else {
        point.period = std::to_string(row.year);
        model = year_value(report, series.measure, *from, *to, entry.per_year, row.year);
      }
      if (!model)
        throw std::invalid_argument("score: " + observed.file + ":" + std::to_string(row.line) + ": the run has no value for " +
                                    point.period);
      point.model = *model;
      point.persistence = persistence;
      if (scored.flow) point.second = result.drift ? drift_forecast(series, *result.drift, row.time()) : std::nullopt;
      else point.second = mean;
      observed_values.push_back(point.observed);
      model_values.push_back(point.model);
      persistence_values.push_back(point.persistence);
      second_values.push_back(point.second);
      scored.test.push_back(point);
    }
    scored.model = errors(observed_values, model_values);
    const std::string no_training = scored.training_rows == 0
                                        ? "no training rows (dated up to " + std::to_string(kLastTrainingYear) + ")"
                                        : "";
    scored.persistence = null_score("persistence", observed_values, persistence_values, scored.model, no_training);
    std::string why_not_second = no_training;
    if (why_not_second.empty() && scored.flow && !result.drift)
      why_not_second = "no flow series with two positive training rows to give a drift";
    scored.second = null_score(scored.flow ? "common drift" : "training mean", observed_values, second_values, scored.model,
                               why_not_second);
    const double n = static_cast<double>(observed_values.size());
    if (scored.persistence.defined) {
      model_sse_persistence += scored.model.mse * n;
      null_sse_persistence += scored.persistence.mse * n;
      ++result.series_skill_persistence;
    }
    if (scored.second.defined) {
      model_sse_second += scored.model.mse * n;
      null_sse_second += scored.second.mse * n;
      ++result.series_skill_second;
    }
    all_observed.insert(all_observed.end(), observed_values.begin(), observed_values.end());
    all_model.insert(all_model.end(), model_values.begin(), model_values.end());
    result.series.push_back(std::move(scored));
  }
  result.overall = errors(all_observed, all_model);
  if (result.series_skill_persistence > 0) result.overall_skill_persistence = skill(model_sse_persistence, null_sse_persistence);
  if (result.series_skill_second > 0) result.overall_skill_second = skill(model_sse_second, null_sse_second);
  return result;
}

ScoreReport score(const Scenario& scenario, const ObservedFile& observed, int seeds) {
  // Record every step of each measure the file names (a per-year table column, mean, records all
  // steps), through calibrate's runner: the same seeds, the same parallel loop.
  TargetsFile targets;
  targets.file = observed.file;
  Table table;
  table.id = "observed";
  for (const ObservedSeries& series : observed.series) {
    TableColumn column;
    column.heading = series.measure;
    column.measure = series.measure;
    column.agent = series.from;
    column.partner = series.to;
    table.columns.push_back(column);
  }
  targets.tables.push_back(table);
  return score(run(scenario, targets, seeds), observed);
}

std::string format(const ScoreReport& report) {
  std::ostringstream out;
  out << "policysim score " << report.scenario_file << " --observed " << report.observed_file << ": " << report.seeds
      << " seeds";
  if (report.seeds > 0)
    out << " (" << report.first_seed << " .. " << report.first_seed + static_cast<std::uint64_t>(report.seeds - 1) << ")";
  out << "\ntraining rows: dated up to " << report.last_training_year << "; test rows (scored): from "
      << report.last_training_year + 1 << "\n";
  out << "common drift (flows): "
      << (report.drift ? fixed(*report.drift, 4) + " log growth a year (mean over the flow series' training rows)"
                       : std::string("not defined (no flow series with two positive training rows)"))
      << "\n";
  const auto skill_text = [](const NullScore& null) {
    return null.defined ? null.name + " RMSE " + fixed(null.rmse, 4) + ", skill " + fixed(null.skill, 3)
                        : null.name + " not defined: " + null.why_not;
  };
  for (const SeriesScore& series : report.series) {
    const int digits = digits_for(series);
    out << "\n" << series.measure << " " << series.from << "->" << series.to << " ("
        << (series.per_year == "quarter" ? std::string("quarterly") : "per year: " + series.per_year)
        << (series.flow ? ", a flow" : "") << "; line " << series.line << "): " << series.training_rows
        << " training rows, " << series.test.size() << " test rows\n";
    if (!series.test.empty()) {
      out << "  period   observed      model  persistence  " << series.second.name << "\n";
      for (const TestPoint& point : series.test)
        out << "  " << std::left << std::setw(7) << point.period << std::right << std::setw(9)
            << fixed(point.observed, digits) << "  " << std::setw(9) << fixed(point.model, digits) << "  " << std::setw(11)
            << (point.persistence ? fixed(*point.persistence, digits) : std::string("-")) << "  " << std::setw(9)
            << (point.second ? fixed(*point.second, digits) : std::string("-")) << "\n";
      out << "  model RMSE " << fixed(series.model.rmse, 4) << ", MAE " << fixed(series.model.mae, 4) << "\n";
    } else {
      out << "  no test rows (dated after " << report.last_training_year << "): not scored\n";
    }
    out << "  " << skill_text(series.persistence) << "\n  " << skill_text(series.second) << "\n";
  }
  // Units mix when the scored series hold both flows (US$) and other measures.
  bool any_flow = false, any_other = false;
  for (const SeriesScore& series : report.series)
    if (!series.test.empty()) (series.flow ? any_flow : any_other) = true;
  const bool mixed_units = any_flow && any_other;
  out << "\noverall: " << report.overall.n << " test rows in " << report.series.size() << " series; model RMSE "
      << fixed(report.overall.rmse, 4) << ", MAE " << fixed(report.overall.mae, 4) << " (pooled"
      << (mixed_units ? "; flows and other measures mixed: read the series one by one" : "") << ")\n";
  out << "  skill against persistence: "
      << (report.overall_skill_persistence
              ? fixed(*report.overall_skill_persistence, 3) + " (pooled over the test rows of " +
                    std::to_string(report.series_skill_persistence) + " series)"
              : std::string("not defined"))
      << "\n  skill against the second null (common drift for flows, training mean otherwise): "
      << (report.overall_skill_second
              ? fixed(*report.overall_skill_second, 3) + " (pooled over the test rows of " +
                    std::to_string(report.series_skill_second) + " series)"
              : std::string("not defined"))
      << "\n";
  return out.str();
}

}  // namespace policysim::calibration
