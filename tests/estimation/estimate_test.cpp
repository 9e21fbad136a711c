// Estimation (sim/estimation/): the spec loader refuses held-out evidence and bad priors, moments
// are the hand-worked statistics of a run's series, the sampler recovers off-centre truths from
// synthetic data with intervals that hold them and are narrow, and its result does not depend on
// the thread count.
#include <catch2/catch.hpp>

#include <omp.h>

#include <cmath>
#include <limits>

#include "sim/estimation/estimate.hpp"
#include "sim/estimation/moments.hpp"
#include "sim/sweep/plan.hpp"
#include "tests/support/cli_runner.hpp"
#include "tests/support/scenario_files.hpp"

namespace fs = std::filesystem;
using namespace policysim;
using namespace policysim::estimation;
using policysim::testing::policysim_cli;
using policysim::testing::quoted;
using policysim::testing::ScenarioFolder;

namespace {

const fs::path kSource = POLICYSIM_SOURCE_DIR;
const fs::path kSmallWorld = kSource / "tests/scenario/fixtures/small_world.toml";

// A spec over the small world with one parameter and the given moment table(s).
std::string small_spec(const std::string& moments, const std::string& extra = "") {
  return "[estimate]\nscenario = \"" + kSmallWorld.string() +
         "\"\nset = [\"firms.enabled=false\", \"simulation.steps=8\"]\nparticles = 16\nmax_generations = 2\n" + extra +
         "[estimate.parameters]\neffects.dialogue.shared_threat = { prior = [0.0, 6.0] }\n" + moments;
}

const char* kGoodMoment =
    "[moments.isr]\nmeasure = \"dialogue\"\nstatistic = \"mean\"\npair = \"JPN-ISR\"\nyears = [2010, 2011]\n"
    "observed = 0.1\nse = 0.05\nsource = \"a test\"\nevidence_year = 2011\n";

std::string error_text(const fs::path& spec) {
  try {
    read_estimate_spec(spec);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("estimation: the spec loader refuses validation evidence, bad priors and unknown keys", "[estimation]") {
  ScenarioFolder folder;
  SECTION("a good spec reads") {
    const EstimateSpec spec = read_estimate_spec(folder.write("good.toml", small_spec(kGoodMoment)));
    REQUIRE(spec.parameters.size() == 1);
    CHECK(spec.parameters[0].key == "effects.dialogue.shared_threat");
    CHECK(spec.parameters[0].high == 6.0);
    REQUIRE(spec.moments.size() == 1);
    CHECK(spec.moments[0].from == "JPN");
    CHECK(spec.moments[0].to == "ISR");
    CHECK(spec.kept() == 8);
  }
  SECTION("evidence after the training window may not be fitted") {
    std::string moment = kGoodMoment;
    moment.replace(moment.find("evidence_year = 2011"), 20, "evidence_year = 2016");
    const std::string message = error_text(folder.write("late.toml", small_spec(moment)));
    CHECK_THAT(message, Catch::Contains("late.toml:"));
    CHECK_THAT(message, Catch::Contains("moments.isr.evidence_year"));
    CHECK_THAT(message, Catch::Contains("validation evidence"));
  }
  SECTION("years after the training window may not be fitted") {
    std::string moment = kGoodMoment;
    moment.replace(moment.find("years = [2010, 2011]"), 20, "years = [2014, 2015]");
    CHECK_THAT(error_text(folder.write("years.toml", small_spec(moment))), Catch::Contains("held out for validation"));
  }
  SECTION("a prior with low >= high, a truth without synthetic data, an unknown key, a bad measure") {
    std::string text = small_spec(kGoodMoment);
    text.replace(text.find("prior = [0.0, 6.0]"), 18, "prior = [6.0, 1.0]");
    CHECK_THAT(error_text(folder.write("prior.toml", text)), Catch::Contains("low < high"));
    text = small_spec(kGoodMoment);
    text.replace(text.find("prior = [0.0, 6.0]"), 18, "prior = [0.0, 6.0], truth = 2.0");
    CHECK_THAT(error_text(folder.write("truth.toml", text)), Catch::Contains("only with [estimate.synthetic]"));
    CHECK_THAT(error_text(folder.write("unknown.toml", small_spec(kGoodMoment, "particle = 20\n"))),
               Catch::Contains("did you mean \"particles\""));
    std::string moment = kGoodMoment;
    moment.replace(moment.find("\"dialogue\""), 10, "\"dialouge\"");
    CHECK_THAT(error_text(folder.write("measure.toml", small_spec(moment))), Catch::Contains("did you mean \"dialogue\""));
  }
}

TEST_CASE("estimation: moments are the hand-worked statistics of a run's series", "[estimation]") {
  // Eight quarters, 2010Q1 .. 2011Q4: rows 1-4 are 2010, rows 5-8 are 2011 (row 0: the start).
  std::vector<Override> overrides = {{"firms.enabled", "false"}, {"simulation.steps", "8"}};
  ScenarioFolder folder;
  const fs::path design = folder.write("points.csv", "effects.dialogue.shared_threat\n3.0\n");
  for (const Override& setting : std::vector<Override>{{"sweep.design", "\"file\""},
                                                       {"sweep.file", "\"" + design.string() + "\""}})
    overrides.push_back(setting);
  auto moment = [](std::string id, MomentStatistic statistic, std::string measure, int first, int last) {
    Moment m;
    m.id = std::move(id);
    m.statistic = statistic;
    m.measure = std::move(measure);
    m.from = "JPN";
    m.to = "ISR";
    m.first_year = first;
    m.last_year = last;
    return m;
  };
  std::vector<Moment> moments = {moment("mean", MomentStatistic::Mean, "dialogue", 2011, 2011),
                                 moment("count", MomentStatistic::Count, "dialogues_held", 2010, 2011),
                                 moment("first", MomentStatistic::FirstYear, "dialogues_held", 2010, 2011),
                                 moment("never", MomentStatistic::FirstYear, "dialogue", 2010, 2011),
                                 moment("end", MomentStatistic::YearEnd, "dialogue", 2010, 2010),
                                 moment("growth", MomentStatistic::Growth, "dialogue", 2010, 2011),
                                 moment("above", MomentStatistic::CountAbove, "dialogue", 2011, 2011)};
  moments[3].threshold = 0.95;  // never above
  moments[6].partners = {"ISR", "USA"};
  moments[6].threshold = 0.3;
  const auto extra = moment_overrides(moments, {"JPN-ISR"});
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  const sweep::SweepPlan plan = sweep::plan_sweep(kSmallWorld, overrides);
  const MomentReader reader(plan, moments);

  // The record's layout: the measures in moment order (dialogue, dialogues_held), pairs JPN-ISR, JPN-USA.
  REQUIRE(plan.metric_measures().size() == 2);
  REQUIRE(plan.base.pairs_of_interest.size() == 2);
  REQUIRE(plan.base.pairs_of_interest[1].label == "JPN-USA");
  SweepRunRecord record;
  const double dialogue_isr[9] = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
  const double dialogue_usa[9] = {0.9, 0.9, 0.9, 0.9, 0.9, 0.2, 0.2, 0.2, 0.25};
  const double held_isr[9] = {0, 0, 0, 0, 0, 0, 1, 0, 1};
  record.metrics.assign(2, std::vector<double>(18, 0.0));
  for (int row = 0; row < 9; ++row) {
    record.metrics[0][static_cast<std::size_t>(2 * row)] = dialogue_isr[row];
    record.metrics[0][static_cast<std::size_t>(2 * row + 1)] = dialogue_usa[row];
    record.metrics[1][static_cast<std::size_t>(2 * row)] = held_isr[row];
  }
  const std::vector<double> values = reader.values(record);
  CHECK(values[0] == Approx((0.5 + 0.6 + 0.7 + 0.8) / 4));  // mean of 2011
  CHECK(values[1] == 2.0);                                    // held in 2011Q2 and 2011Q4
  CHECK(values[2] == 2011.0);
  CHECK(values[3] == 2012.0);                                 // censored: last year + 1
  CHECK(values[4] == Approx(0.4));                            // after 2010Q4
  CHECK(values[5] == Approx(std::log(0.65 / 0.25)));          // 2011 mean / 2010 mean
  CHECK(values[6] == 1.0);                                    // ISR 0.8 >= 0.3, USA 0.25 < 0.3
  record.status = "failed: test";
  CHECK(std::isnan(reader.values(record)[0]));
}

TEST_CASE("estimation: recovers off-centre truths from synthetic data with narrow intervals", "[estimation]") {
  const EstimateSpec spec = read_estimate_spec(kSource / "tests/estimation/fixtures/recovery.toml");
  REQUIRE(spec.synthetic);
  ScenarioFolder folder;
  EstimateOptions options;
  options.output = folder.path() / "recovery.h5";
  const EstimateResult result = estimate(spec, options);
  REQUIRE(result.parameters.size() == spec.parameters.size());
  for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
    const ParameterSummary& summary = result.parameters[p];
    INFO(summary.key << ": truth " << summary.truth << ", 90% interval [" << summary.q05 << ", " << summary.q95 << "]");
    // Off-centre truths: an estimator that returned the prior's centre would miss them.
    const double centre = (summary.low + summary.high) / 2;
    REQUIRE(std::abs(summary.truth - centre) > 0.15 * (summary.high - summary.low));
    CHECK(summary.truth >= summary.q05);
    CHECK(summary.truth <= summary.q95);
    CHECK(summary.interval_share() < 0.5);  // learns something: narrower than half the prior range
  }
  CHECK_FALSE(fs::exists(work_folder_for(options.output)));  // the work folder is gone when done
  CHECK(result.posterior.size() == spec.kept());
  double total = 0.0;
  for (double weight : result.posterior_weight) total += weight;
  CHECK(total == Approx(1.0));
}

TEST_CASE("estimation: the result does not depend on the thread count", "[estimation]") {
  ScenarioFolder folder;
  const std::string moments =
      "[moments.isr]\nmeasure = \"dialogue\"\nstatistic = \"mean\"\npair = \"JPN-ISR\"\nyears = [2010, 2011]\n"
      "[moments.usa]\nmeasure = \"dialogue\"\nstatistic = \"year_end\"\npair = \"JPN-USA\"\nyears = [2011, 2011]\n";
  std::string text = small_spec(moments, "synthetic = { seed = 3, replicates = 3 }\n");
  text.replace(text.find("{ prior = [0.0, 6.0] }"), 22, "{ prior = [0.0, 6.0], truth = 4.0 }");
  const EstimateSpec spec = read_estimate_spec(folder.write("threads.toml", text));
  auto run_with = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    EstimateOptions options;
    options.output = folder.path() / ("threads-" + std::to_string(threads) + ".h5");
    EstimateResult result = estimate(spec, options);
    omp_set_num_threads(before);
    return result;
  };
  const EstimateResult one = run_with(1), two = run_with(2);
  CHECK(one.simulated_values == two.simulated_values);
  CHECK(one.simulated_distance == two.simulated_distance);
  CHECK(one.posterior == two.posterior);
  CHECK(one.generations.size() == 2);
}

TEST_CASE("estimate command: bad specs exit 2 with file:line, the file holds the posterior", "[estimation][cli]") {
  ScenarioFolder folder;
  std::string moment = kGoodMoment;
  moment.replace(moment.find("evidence_year = 2011"), 20, "evidence_year = 2017");
  const fs::path bad = folder.write("bad.toml", small_spec(moment));
  const auto refused = policysim_cli("estimate " + quoted(bad) + " --out " + quoted(folder.path() / "bad.h5"));
  CHECK(refused.status == 2);
  CHECK_THAT(refused.output, Catch::Contains("bad.toml:"));
  CHECK_FALSE(fs::exists(folder.path() / "bad.h5"));

  const fs::path good = folder.write("good.toml", small_spec(kGoodMoment));
  const fs::path out = folder.path() / "good.h5";
  const auto done = policysim_cli("estimate " + quoted(good) + " --out " + quoted(out) + " --quiet");
  REQUIRE(done.status == 0);
  CHECK_THAT(done.output, Catch::Contains("effects.dialogue.shared_threat"));
  CHECK(fs::exists(out));
  CHECK_FALSE(fs::exists(work_folder_for(out)));
  const auto again = policysim_cli("estimate " + quoted(good) + " --out " + quoted(out) + " --quiet");
  CHECK(again.status == 2);  // no overwrite without --force
  const auto script = "/usr/bin/python3 -c \"import h5py,sys; f=h5py.File(sys.argv[1]); "
                      "assert f['parameters/key'].shape == (1,); assert f['posterior/weight'].shape == (8,); "
                      "assert abs(f['posterior/weight'][:].sum() - 1) < 1e-9; assert f['simulations/value'].shape == (24, 1); "
                      "assert f['moments/observed'][0] == 0.1; print('ok')\" " + quoted(out);
  std::string command = std::string(script);
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[256] = {};
  const std::size_t read = fread(buffer, 1, sizeof buffer - 1, pipe);
  const int status = pclose(pipe);
  CHECK(std::string(buffer, read) == "ok\n");
  CHECK(status == 0);
}
