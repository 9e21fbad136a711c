// `policysim score` (sim/calibration/score.hpp, observed_series.hpp): the error and skill arithmetic
// on hand-worked numbers, the observed-series reader's errors (file:line, exit 2), and two runs of
// the small world: series the model wrote itself with other seeds (the model beats both nulls)
// and series that follow persistence after the training window (the model cannot beat it).
#include <catch2/catch.hpp>

#include <hdf5.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "sim/calibration/score.hpp"
#include "sim/calibration/validation_split.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/measures/measure.hpp"
#include "sim/scenario/load.hpp"
#include "tests/support/cli_runner.hpp"
#include "tests/support/scenario_files.hpp"

using namespace policysim;
namespace cal = policysim::calibration;
namespace fs = std::filesystem;

namespace {

const fs::path kSmallWorld = fs::path(POLICYSIM_SOURCE_DIR) / "tests" / "scenario" / "fixtures" / "small_world.toml";

cal::ObservedSeries series_of(std::vector<std::pair<int, double>> rows) {
  cal::ObservedSeries series;
  series.measure = "trade";
  series.from = "JPN";
  series.to = "ISR";
  for (const auto& [year, value] : rows) {
    cal::ObservedRow row;
    row.year = year;
    row.value = value;
    series.rows.push_back(row);
  }
  return series;
}

std::string read_errors(const std::string& text, const Scenario& scenario) {
  try {
    cal::read_observed(text, "obs.csv", scenario);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

const Scenario& small_world() {
  static const Scenario scenario = load_scenario(kSmallWorld).scenario;
  return scenario;
}

}  // namespace

TEST_CASE("score: errors and skill on hand-worked numbers", "[calibration][score]") {
  // Observed 1, 2, 3; forecast 2, 2, 5: errors 1, 0, 2 -> MSE 5/3, RMSE 1.29099, MAE 1.
  const cal::Errors e = cal::errors({1.0, 2.0, 3.0}, {2.0, 2.0, 5.0});
  CHECK(e.n == 3);
  CHECK(e.mse == Approx(5.0 / 3.0));
  CHECK(e.rmse == Approx(std::sqrt(5.0 / 3.0)));
  CHECK(e.mae == Approx(1.0));
  CHECK(std::isnan(cal::errors({}, {}).rmse));
  // Skill: 1 - 1/4 = 0.75; a model worse than the null: 1 - 3/2 = -0.5; equal: 0.
  CHECK(cal::skill(1.0, 4.0) == Approx(0.75));
  CHECK(cal::skill(3.0, 2.0) == Approx(-0.5));
  CHECK(cal::skill(2.0, 2.0) == Approx(0.0));
  // A perfect null: -infinity unless the model is perfect too.
  CHECK(std::isinf(cal::skill(0.1, 0.0)));
  CHECK(cal::skill(0.1, 0.0) < 0.0);
  CHECK(cal::skill(0.0, 0.0) == 0.0);
}

TEST_CASE("score: the null forecasts read the training rows only", "[calibration][score]") {
  REQUIRE(cal::kLastTrainingYear == 2014);
  // Training 2012: 100, 2014: 400 (log growth ln 4 / 2 = 0.693147 a year); test 2015: 1000, 2016: 50.
  const cal::ObservedSeries series = series_of({{2012, 100.0}, {2014, 400.0}, {2015, 1000.0}, {2016, 50.0}});
  CHECK(*cal::persistence_forecast(series) == 400.0);
  CHECK(*cal::training_mean_forecast(series) == 250.0);
  CHECK(*cal::training_log_growth(series) == Approx(std::log(4.0) / 2.0));
  // 400 * exp(0.1 * 2) at 2016.
  CHECK(*cal::drift_forecast(series, 0.1, 2016.0) == Approx(400.0 * std::exp(0.2)));
  // Persistence on the test rows: errors 600 and 350 -> MSE (360000 + 122500) / 2 = 241250.
  CHECK(cal::errors({1000.0, 50.0}, {400.0, 400.0}).mse == Approx(241250.0));
  // No training rows: no nulls; one training row: no growth; a zero: no growth.
  const cal::ObservedSeries test_only = series_of({{2015, 1.0}});
  CHECK_FALSE(cal::persistence_forecast(test_only));
  CHECK_FALSE(cal::training_mean_forecast(test_only));
  CHECK_FALSE(cal::training_log_growth(series_of({{2014, 3.0}, {2015, 4.0}})));
  CHECK_FALSE(cal::training_log_growth(series_of({{2013, 0.0}, {2014, 4.0}})));
  CHECK(cal::is_flow(measure("trade")));
  CHECK_FALSE(cal::is_flow(measure("dialogue")));
  CHECK_FALSE(cal::is_flow(measure("dialogues_held")));
}

TEST_CASE("score: a report scored by hand (model, persistence, training mean, common drift)", "[calibration][score]") {
  // Two agents over 2015-2016 (8 steps), one seed, trade A->B = 10 (2015) and 20 (2016) in every
  // quarter, dialogue A-B = 0.5 throughout.
  cal::Report report;
  report.scenario_file = "fixture";
  report.agents = {"A", "B"};
  report.first_year = 2015;
  report.last_year = 2016;
  for (int s = 0; s < 8; ++s) report.steps.push_back(Period::from_year_quarter(2015, 1).plus_quarters(s));
  report.measures = {"dialogue", "trade"};
  report.seeds.resize(1);
  report.seeds[0].values.assign(2, std::vector<Eigen::MatrixXd>(8, Eigen::MatrixXd::Zero(2, 2)));
  for (int s = 0; s < 8; ++s) {
    report.seeds[0].values[0][s](0, 1) = 0.5;
    report.seeds[0].values[1][s](0, 1) = s < 4 ? 10.0 : 20.0;
  }
  cal::ObservedFile observed;
  observed.file = "hand.csv";
  // Trade: training 2013: 5, 2014: 10 (growth ln 2 a year); test 2015: 12, 2016: 16.
  cal::ObservedSeries trade = series_of({{2013, 5.0}, {2014, 10.0}, {2015, 12.0}, {2016, 16.0}});
  trade.from = "A";
  trade.to = "B";
  // Dialogue: training 2013: 0.2, 2014: 0.4; test 2015: 0.6.
  cal::ObservedSeries dialogue = series_of({{2013, 0.2}, {2014, 0.4}, {2015, 0.6}});
  dialogue.measure = "dialogue";
  dialogue.from = "A";
  dialogue.to = "B";
  observed.series = {trade, dialogue};
  const cal::ScoreReport scored = cal::score(report, observed);
  REQUIRE(scored.drift);
  CHECK(*scored.drift == Approx(std::log(2.0)));
  REQUIRE(scored.series.size() == 2);
  const cal::SeriesScore& t = scored.series[0];
  CHECK(t.training_rows == 2);
  REQUIRE(t.test.size() == 2);
  // Model 10, 20 against 12, 16: errors -2, 4 -> MSE 10.
  CHECK(t.model.mse == Approx(10.0));
  CHECK(t.model.mae == Approx(3.0));
  // Persistence 10, 10: errors -2, -6 -> MSE 20; skill 1 - 10/20 = 0.5.
  REQUIRE(t.persistence.defined);
  CHECK(t.persistence.mse == Approx(20.0));
  CHECK(t.persistence.skill == Approx(0.5));
  // Common drift (only this flow): 20 and 40 -> errors 8, 24 -> MSE 320; skill 1 - 10/320.
  CHECK(t.second.name == "common drift");
  CHECK(t.second.mse == Approx(320.0));
  CHECK(t.second.skill == Approx(1.0 - 10.0 / 320.0));
  const cal::SeriesScore& d = scored.series[1];
  // Model 0.5 vs 0.6: MSE 0.01; persistence 0.4: MSE 0.04 (skill 0.75); training mean 0.3: MSE 0.09.
  CHECK(d.model.mse == Approx(0.01));
  CHECK(d.persistence.skill == Approx(0.75));
  CHECK(d.second.name == "training mean");
  CHECK(d.second.skill == Approx(1.0 - 0.01 / 0.09));
  // Overall, pooled over the three test rows: squared errors 4 + 16 + 0.01 (model) against
  // 4 + 36 + 0.04 (persistence) and 64 + 576 + 0.09 (drift, training mean).
  CHECK(*scored.overall_skill_persistence == Approx(1.0 - 20.01 / 40.04));
  CHECK(*scored.overall_skill_second == Approx(1.0 - 20.01 / 640.09));
  CHECK(scored.overall.mse == Approx((4.0 + 16.0 + 0.01) / 3.0));

  // A quarterly series: trade A->B 2014Q4 = 8 (training), 2015Q3 = 11 and 2016Q1 = 25 (test); the model
  // is the state after the quarter's step: 10 and 20 -> errors -1, -5 (MSE 13); persistence 8: errors
  // -3, -17 (MSE 149); the common drift is not defined (one training row): not scored against it.
  cal::ObservedFile quarterly;
  quarterly.file = "quarters.csv";
  cal::ObservedSeries q = series_of({});
  q.from = "A";
  q.to = "B";
  for (const auto& [label, value] : std::vector<std::pair<std::string, double>>{{"2014Q4", 8.0}, {"2015Q3", 11.0}, {"2016Q1", 25.0}}) {
    cal::ObservedRow row;
    row.quarterly = true;
    row.quarter = *parse_period(label);
    row.year = row.quarter.year();
    row.value = value;
    q.rows.push_back(row);
  }
  quarterly.series = {q};
  const cal::ScoreReport by_quarter = cal::score(report, quarterly);
  REQUIRE(by_quarter.series.size() == 1);
  const cal::SeriesScore& qs = by_quarter.series[0];
  CHECK(qs.per_year == "quarter");
  REQUIRE(qs.test.size() == 2);
  CHECK(qs.test[0].period == "2015Q3");
  CHECK(qs.test[0].model == 10.0);
  CHECK(qs.test[1].model == 20.0);
  CHECK(qs.model.mse == Approx(13.0));
  CHECK(qs.persistence.skill == Approx(1.0 - 13.0 / 149.0));
  CHECK_FALSE(by_quarter.drift);
  CHECK_FALSE(qs.second.defined);
  CHECK_THAT(qs.second.why_not, Catch::Contains("no flow series"));
}

TEST_CASE("score: the observed-series reader names file, line and column", "[calibration][score]") {
  const Scenario& scenario = small_world();
  const std::string header = "measure,from,to,period,value,source\n";
  CHECK(read_errors(header + "dialogue,JPN,ISR,2014,0.2,x\ntrade,JPN,ISR,2016Q2,1800,y\n", scenario).empty());
  const auto data = cal::read_observed(header + "trade,JPN,ISR,2016,2,a\n# note\n\ntrade,JPN,ISR,2009,1,b\n", "obs.csv", scenario);
  REQUIRE(data.series.size() == 1);
  REQUIRE(data.series[0].rows.size() == 2);
  CHECK(data.series[0].rows[0].year == 2009);  // sorted by time
  CHECK(data.series[0].rows[0].training());
  CHECK_FALSE(data.series[0].rows[1].training());
  CHECK(data.series[0].rows[1].source == "a");

  CHECK_THAT(read_errors("measure,from,to,value\n", scenario), Catch::Contains("obs.csv:1: no column \"period\""));
  CHECK_THAT(read_errors(header + "dialog,JPN,ISR,2014,0.2,x\n", scenario),
             Catch::Contains("obs.csv:2: measure: unknown measure \"dialog\" (did you mean \"dialogue\"?)"));
  CHECK_THAT(read_errors(header + "dialogue_density,JPN,ISR,2014,0.2,x\n", scenario),
             Catch::Contains("obs.csv:2: measure: \"dialogue_density\" is a world measure; expected a pair measure"));
  CHECK_THAT(read_errors(header + "dialogue,JPN,ISX,2014,0.2,x\n", scenario), Catch::Contains("obs.csv:2: to: the scenario"));
  CHECK_THAT(read_errors(header + "dialogue,JPN,JPN,2014,0.2,x\n", scenario), Catch::Contains("obs.csv:2: to: expected an agent other"));
  CHECK_THAT(read_errors(header + "dialogue,JPN,ISR,2014Q5,0.2,x\n", scenario),
             Catch::Contains("obs.csv:2: period: expected a year like 2012 or a quarter like 2012Q3"));
  CHECK_THAT(read_errors(header + "dialogue,JPN,ISR,2031,0.2,x\n", scenario), Catch::Contains("obs.csv:2: period: a test period"));
  CHECK_THAT(read_errors(header + "dialogue,JPN,ISR,2014,high,x\n", scenario),
             Catch::Contains("obs.csv:2: value: expected a finite number, got \"high\""));
  CHECK_THAT(read_errors(header + "dialogue,JPN,ISR,2014,0.2\n", scenario), Catch::Contains("obs.csv:2: expected 6 fields"));
  CHECK_THAT(read_errors(header + "dialogue,JPN,ISR,2014,0.2,x\ndialogue,ISR,JPN,2015,0.3,x\ndialogue,JPN,ISR,2014,0.3,y\n", scenario),
             Catch::Contains("obs.csv:4: period: \"2014\" appears twice"));
  CHECK_THAT(read_errors(header + "dialogue,JPN,ISR,2014,0.2,x\ndialogue,JPN,ISR,2015Q1,0.3,x\n", scenario),
             Catch::Contains("obs.csv:3: period: expected a year"));
  CHECK_THAT(read_errors(header + "dialogue,JPN,ISR,2014,0.2,\"x\n", scenario), Catch::Contains("obs.csv:2: an unclosed"));
  CHECK_THAT(read_errors(header, scenario), Catch::Contains("obs.csv:1: no rows"));
  CHECK_THAT(read_errors("", scenario), Catch::Contains("obs.csv: no header line"));
}

TEST_CASE("score: the committed observed series load (docs/validation.md)", "[calibration][score]") {
  const cal::ObservedFile observed =
      cal::load_observed(fs::path(POLICYSIM_SOURCE_DIR) / "scenarios" / "calibration" / "observed.csv", small_world());
  std::size_t test_rows = 0;
  for (const cal::ObservedSeries& series : observed.series)
    for (const cal::ObservedRow& row : series.rows) {
      INFO(series.measure << " " << series.from << "-" << series.to << " " << row.year);
      CHECK_FALSE(row.source.empty());  // every fact names its source
      if (!row.training()) ++test_rows;
    }
  CHECK(observed.series.size() >= 3);
  CHECK(test_rows >= 6);
}

TEST_CASE("cli: score refuses a bad observed file with exit 2 and file:line", "[cli][score]") {
  testing::ScenarioFolder folder;
  const auto csv = folder.write("bad.csv", "measure,from,to,period,value\ndialogue,JPN,ISR,2014,0.2\ntrade,JPN,XXX,2016,3\n");
  const auto result = testing::policysim_cli("score " + testing::quoted(kSmallWorld) + " --observed " + testing::quoted(csv) +
                                             " --seeds 1");
  CHECK(result.status == 2);
  CHECK_THAT(result.output, Catch::Contains("bad.csv:3: to: the scenario"));
  const auto missing = testing::policysim_cli("score " + testing::quoted(kSmallWorld) + " --seeds 1");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Catch::Contains("--observed"));
  const auto header = folder.write("header.csv", "measure,from,to,year,value\n");
  const auto no_period = testing::policysim_cli("score " + testing::quoted(kSmallWorld) + " --observed " +
                                                testing::quoted(header) + " --seeds 1");
  CHECK(no_period.status == 2);
  CHECK_THAT(no_period.output, Catch::Contains("header.csv:1: no column \"period\""));

  // --out: the HDF5 score file, refused when it exists without --force.
  const auto good = folder.write("good.csv", "measure,from,to,period,value\ndialogue,JPN,ISR,2014,0.2\ndialogue,JPN,ISR,2016,0.8\n");
  const fs::path out = folder.path() / "score.h5";
  const std::string command = "score " + testing::quoted(kSmallWorld) + " --observed " + testing::quoted(good) +
                              " --seeds 1 --set simulation.steps=28 --out " + testing::quoted(out);
  const auto written = testing::policysim_cli(command);
  REQUIRE(written.status == 0);
  CHECK_THAT(written.output, Catch::Contains("dialogue JPN->ISR (per year: mean; line 2): 1 training rows, 1 test rows"));
  REQUIRE(fs::exists(out));
  {
    const hid_t file = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    for (const char* name : {"/series/skill_persistence", "/series/skill_second", "/test/model", "/overall/rmse"}) {
      INFO(name);
      CHECK(H5Lexists(file, name, H5P_DEFAULT) > 0);
    }
    const hid_t dataset = H5Dopen2(file, "/test/observed", H5P_DEFAULT);
    double observed = 0.0;
    CHECK(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &observed) >= 0);
    CHECK(observed == 0.8);
    H5Dclose(dataset);
    H5Fclose(file);
  }
  CHECK(testing::policysim_cli(command).status == 2);
  CHECK(testing::policysim_cli(command + " --force").status == 0);
}

TEST_CASE("cli: describe says how a year of each pair measure is summarised", "[cli][score]") {
  const auto described = testing::policysim_cli("describe");
  REQUIRE(described.status == 0);
  CHECK_THAT(described.output, Catch::Contains("dialogues_held (pair, dialogues, a year: count)"));
  CHECK_THAT(described.output, Catch::Contains("trade (pair, US$ millions per year, a year: mean)"));
  CHECK_THAT(described.output, Catch::Contains("b2b_networked_firms (pair, firms, needs firms, a year: year_end)"));
}

namespace {

// Yearly series the model writes itself: the small world run with `seeds` seeds from `first_seed`,
// each series' yearly value (mean of the four end-of-quarter states, or the count of the four
// quarters), averaged over the seeds, computed here from the states (not through score.cpp).
struct Generated {
  std::map<std::string, std::map<int, double>> values;  // "measure,from,to" -> year -> value
};

Generated generate(const Scenario& base, std::uint64_t first_seed, int seeds,
                   const std::vector<std::array<std::string, 3>>& series) {
  Generated result;
  for (int k = 0; k < seeds; ++k) {
    Scenario scenario = base;
    scenario.simulation.seed = first_seed + static_cast<std::uint64_t>(k);
    Simulation simulation(scenario);
    while (!simulation.finished()) {
      const Period quarter = scenario.simulation.start.plus_quarters(simulation.world().step);
      simulation.step();
      const MeasureContext context{scenario, simulation.world(), simulation.milestones()};
      for (const auto& [name, from, to] : series) {
        const Measure& entry = measure(name);
        const double value = entry.at(context, *scenario.agent_index(from), *scenario.agent_index(to));
        const double weight = entry.per_year == YearSummary::Count ? 1.0 : 0.25;
        result.values[name + "," + from + "," + to][quarter.year()] += weight * value / seeds;
      }
    }
  }
  return result;
}

}  // namespace

TEST_CASE("score: series the model wrote with other seeds beat both nulls, persistence series beat the model",
          "[calibration][score]") {
  // 2010Q1-2022Q4: training 2010-2014, test 2015-2022.
  Scenario scenario = load_scenario(kSmallWorld, std::vector<Override>{{"simulation.steps", "52"}}).scenario;
  const std::vector<std::array<std::string, 3>> names = {
      {"dialogue", "JPN", "ISR"}, {"trade", "JPN", "CHN"}, {"trade", "CHN", "JPN"}, {"trade", "JPN", "USA"},
      {"trade", "USA", "JPN"}};
  // "Observed": 4 seeds far from the scored ones (the scenario's seed + 0 .. 3).
  const Generated generated = generate(scenario, scenario.simulation.seed + 1000, 4, names);

  std::ostringstream model_csv, persistence_csv;
  model_csv << "measure,from,to,period,value\n";
  persistence_csv << "measure,from,to,period,value\n";
  for (const auto& [key, years] : generated.values) {
    const double last_training = years.at(cal::kLastTrainingYear);
    for (const auto& [year, value] : years) {
      model_csv << key << "," << year << "," << std::setprecision(17) << value << "\n";
      persistence_csv << key << "," << year << "," << std::setprecision(17)
                      << (year <= cal::kLastTrainingYear ? value : last_training) << "\n";
    }
  }
  const cal::ObservedFile model_file = cal::read_observed(model_csv.str(), "model.csv", scenario);
  const cal::ObservedFile persistence_file = cal::read_observed(persistence_csv.str(), "persistence.csv", scenario);
  const cal::Report report = [&] {
    cal::TargetsFile targets;
    cal::Table table;
    for (const auto& [name, from, to] : names) {
      cal::TableColumn column;
      column.measure = name;
      column.agent = from;
      column.partner = to;
      table.columns.push_back(column);
    }
    targets.tables.push_back(table);
    return cal::run(scenario, targets, 4);
  }();

  const cal::ScoreReport own = cal::score(report, model_file);
  INFO(cal::format(own));
  REQUIRE(own.series.size() == names.size());
  REQUIRE(own.drift);
  for (const cal::SeriesScore& series : own.series) {
    CHECK(series.training_rows == 5);
    CHECK(series.test.size() == 8);
    REQUIRE(series.persistence.defined);
    REQUIRE(series.second.defined);
  }
  REQUIRE(own.overall_skill_persistence);
  REQUIRE(own.overall_skill_second);
  CHECK(*own.overall_skill_persistence > 0.0);
  CHECK(*own.overall_skill_second > 0.0);
  // The Japan-Israel dialogue rises after 2014 (docs/model.md): neither null sees it coming.
  CHECK(own.series[0].measure == "dialogue");
  CHECK(own.series[0].persistence.skill > 0.0);
  CHECK(own.series[0].second.skill > 0.0);

  const cal::ScoreReport flat = cal::score(report, persistence_file);
  INFO(cal::format(flat));
  for (const cal::SeriesScore& series : flat.series) {
    REQUIRE(series.persistence.defined);
    CHECK(series.persistence.skill <= 0.0);
  }
  REQUIRE(flat.overall_skill_persistence);
  CHECK(*flat.overall_skill_persistence <= 0.0);
}
