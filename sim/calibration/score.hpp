#pragma once
// `policysim score`: the model over many seeds against observed series (observed_series.hpp), on
// the rows held out for validation (dated after kLastTrainingYear, validation_split.hpp), and
// against two null forecasts made from the training rows only (docs/validation.md, "Scoring
// against observed series"):
//   persistence   the series' last training value, carried forward;
//   second null   for a flow (a measure in US$: trade, b2b_trade; unbounded, growing) common drift:
//                 the series' last training value grown at g, the mean over every flow series of
//                 the file of its training log growth per year ((log last - log first) / years
//                 between them; series with fewer than two training rows or a value <= 0 left
//                 out); for anything else (strengths in [0, 1], counts a year or a quarter) the
//                 mean of the series' training values.
// Per series and over all series: RMSE and MAE of the model (mean over seeds) on the test rows,
// and skill = 1 - MSE_model / MSE_null (> 0: the model beats the null). A null that a series
// cannot form (no training rows, no flow series to give a drift) is reported as not defined, with
// the reason. The model is never read on training rows: it is scored on the test window only.
#include <optional>
#include <string>
#include <vector>

#include "sim/calibration/calibration.hpp"
#include "sim/calibration/observed_series.hpp"

namespace policysim::calibration {

// ---- The statistics (pure; unit-tested on hand-worked numbers) -------------------------------

struct Errors {
  double mse = 0.0, rmse = 0.0, mae = 0.0;
  std::size_t n = 0;
};
// Errors of `forecast` against `observed` (equal lengths; n = 0 gives NaN errors).
Errors errors(const std::vector<double>& observed, const std::vector<double>& forecast);

// 1 - mse_model / mse_null; when mse_null is 0: 0 if mse_model is 0 too (no better, no worse),
// otherwise -infinity (the null is perfect and the model is not).
double skill(double mse_model, double mse_null);

// A series' training log growth a year: (log last - log first) / (time last - time first), over its
// training rows; nullopt with fewer than two rows, rows at one time, or a value <= 0.
std::optional<double> training_log_growth(const ObservedSeries& series);

// The null forecasts of one series at `time` (a decimal year), from its training rows only.
std::optional<double> persistence_forecast(const ObservedSeries& series);
std::optional<double> training_mean_forecast(const ObservedSeries& series);
std::optional<double> drift_forecast(const ObservedSeries& series, double growth, double time);

// Whether a measure is a flow (US$ units: the second null is common drift) or a level or count
// (the second null is the training mean).
bool is_flow(const Measure& measure);

// ---- Scoring a run -----------------------------------------------------------------------------

struct TestPoint {
  std::string period;  // "2016" or "2016Q3"
  int line = 0;        // in the observed file
  double observed = 0.0;
  double model = 0.0;  // mean over seeds
  std::optional<double> persistence, second;
};

struct NullScore {
  std::string name;         // "persistence", "common drift", "training mean"
  bool defined = false;
  std::string why_not;      // when not defined
  double rmse = 0.0, mae = 0.0, mse = 0.0;
  double skill = 0.0;
};

struct SeriesScore {
  std::string measure, from, to;
  std::string per_year;      // the yearly summary (mean, count, year_end) or "quarter"
  bool flow = false;
  int line = 0;
  std::size_t training_rows = 0;
  std::vector<TestPoint> test;
  Errors model;              // over the test rows (n = 0: none)
  NullScore persistence, second;
};

struct ScoreReport {
  std::string scenario_file;
  std::string observed_file;
  std::uint64_t first_seed = 0;
  int seeds = 0;
  int last_training_year = 0;
  std::optional<double> drift;       // the common drift (log growth a year), when a flow series gives one
  std::vector<SeriesScore> series;
  // Over all series, pooled over their test rows: RMSE and MAE of the model over every test row, and
  // skill against each null, 1 - (sum of the model's squared errors) / (sum of the null's), over the
  // test rows of the series where that null is defined. Pooling adds the series' units: read the
  // series one by one when they differ (a flow in US$ millions outweighs a strength in [0, 1]).
  Errors overall;
  std::optional<double> overall_skill_persistence, overall_skill_second;
  std::size_t series_skill_persistence = 0, series_skill_second = 0;  // how many series each mean is over
};

// Runs `scenario` over `seeds` seeds as calibrate does (seed, seed + 1, ...; seeds in parallel) and
// scores the model against `observed`.
ScoreReport score(const Scenario& scenario, const ObservedFile& observed, int seeds);

// The same on a report already run (it must have recorded every measure of `observed`).
ScoreReport score(const Report& report, const ObservedFile& observed);

// The report as text: per series its test rows (observed, model, nulls), errors and skills, then
// the overall figures.
std::string format(const ScoreReport& report);

}  // namespace policysim::calibration
