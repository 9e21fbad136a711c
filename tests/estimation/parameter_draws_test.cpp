// compare --parameter-draws: coefficient draws from an estimate file's posterior (systematic
// resampling: the draws follow the weights exactly), read back from the file the estimate writes,
// and a paired comparison over draws and seeds from the command line.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/estimation/parameter_draws.hpp"
#include "sim/output/estimate_file.hpp"
#include "tests/support/cli_runner.hpp"
#include "tests/support/scenario_files.hpp"

namespace fs = std::filesystem;
using namespace policysim;
using policysim::testing::policysim_cli;
using policysim::testing::quoted;
using policysim::testing::ScenarioFolder;

namespace {

// An estimate file whose posterior is two particles: shared_threat 0.5 (weight 1) and 5.5 (weight 3).
fs::path two_particle_estimate(const ScenarioFolder& folder) {
  EstimateFileContents contents;
  contents.parameter_keys = {"effects.dialogue.shared_threat"};
  for (auto* column : {&contents.prior_low, &contents.prior_high, &contents.truth, &contents.mean, &contents.sd,
                       &contents.median, &contents.q05, &contents.q95, &contents.interval_share})
    column->push_back(0.0);
  contents.identified = {0};
  contents.correlation = {{1.0}};
  contents.simulation_generation = {0, 0, 1};
  contents.simulation_values = {{2.0}, {0.5}, {5.5}};
  contents.simulation_moments = {{}, {}, {}};
  contents.simulation_distance = {3.0, 1.0, 1.0};
  contents.posterior_simulation = {1, 2};
  contents.posterior_weight = {1.0, 3.0};
  const fs::path file = folder.path() / "estimate.h5";
  write_estimate_file(file, contents, true);
  return file;
}

}  // namespace

TEST_CASE("parameter draws follow the posterior weights and read back from the estimate file", "[estimation]") {
  ScenarioFolder folder;
  const EstimatePosterior posterior = read_estimate_posterior(two_particle_estimate(folder));
  REQUIRE(posterior.keys == std::vector<std::string>{"effects.dialogue.shared_threat"});
  REQUIRE(posterior.values == std::vector<std::vector<double>>{{0.5}, {5.5}});
  CHECK(posterior.weights[0] == Approx(0.25));  // normalised
  const auto draws = estimation::parameter_draws(posterior, 8, 42);
  REQUIRE(draws.size() == 8);
  const auto low = std::count_if(draws.begin(), draws.end(), [](const auto& draw) { return draw.at(0).value == "0.5"; });
  CHECK(low == 2);  // a quarter of the weight, a quarter of the draws
  CHECK(draws.at(7).at(0).key_path == "effects.dialogue.shared_threat");
  CHECK(estimation::parameter_draws(posterior, 8, 42).at(3).at(0).value == draws.at(3).at(0).value);
  CHECK_THROWS_AS(read_estimate_posterior(folder.path() / "missing.h5"), InputFileError);
}

TEST_CASE("compare --parameter-draws pairs baseline and what-if on each draw and seed", "[estimation][cli]") {
  ScenarioFolder folder;
  const fs::path estimate = two_particle_estimate(folder);
  const fs::path fixtures = fs::path(POLICYSIM_SOURCE_DIR) / "tests/calibration/fixtures";
  const std::string files = quoted(fixtures / "compare_base.toml") + " " + quoted(fixtures / "compare_whatif.toml");
  const auto drawn = policysim_cli("compare " + files + " --seeds 2 --parameter-draws 4 --estimate " + quoted(estimate) +
                                   " --quiet");
  REQUIRE(drawn.status == 0);
  CHECK_THAT(drawn.output, Catch::Contains("4 coefficient draws from the estimate x 2 seeds"));
  const auto again = policysim_cli("compare " + files + " --seeds 2 --parameter-draws 4 --estimate " + quoted(estimate) +
                                   " --quiet");
  CHECK(again.output == drawn.output);
  const auto fixed = policysim_cli("compare " + files + " --seeds 2 --quiet");
  REQUIRE(fixed.status == 0);
  CHECK(fixed.output != drawn.output);
  const auto missing = policysim_cli("compare " + files + " --seeds 2 --parameter-draws 4 --estimate " +
                                     quoted(folder.path() / "none.h5"));
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Catch::Contains("--estimate:"));
}
