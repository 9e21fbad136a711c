// `policysim explain` as a user meets it: bad --pair, --layer and periods are refused before the
// run (exit 2, one line naming the option and what was expected), the table and the --out file,
// and a coefficient set to 0 with --set (docs/explain.md).
#include <catch2/catch.hpp>

#include <hdf5.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/output/hdf5_handle.hpp"
#include "tests/support/cli_runner.hpp"
#include "tests/support/scenario_files.hpp"

namespace fs = std::filesystem;
using namespace policysim;
using policysim::testing::policysim_cli;
using policysim::testing::quoted;
using policysim::testing::ScenarioFolder;

namespace {

const fs::path kSmallWorld = fs::path(POLICYSIM_SOURCE_DIR) / "tests/scenario/fixtures/small_world.toml";

std::vector<double> read_doubles(hid_t file, const std::string& path) {
  const hdf5::Dataset dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT));
  REQUIRE(dataset.valid());
  const hdf5::Dataspace space(H5Dget_space(dataset.get()));
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (!values.empty())
    REQUIRE(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  return values;
}

std::vector<std::string> read_texts(hid_t file, const std::string& path) {
  const hdf5::Dataset dataset(H5Dopen2(file, path.c_str(), H5P_DEFAULT));
  REQUIRE(dataset.valid());
  const hdf5::Dataspace space(H5Dget_space(dataset.get()));
  hdf5::Datatype type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  std::vector<char*> pointers(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())), nullptr);
  std::vector<std::string> texts;
  if (pointers.empty()) return texts;
  REQUIRE(H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) >= 0);
  for (const char* pointer : pointers) texts.emplace_back(pointer == nullptr ? "" : pointer);
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, pointers.data());
  return texts;
}

// The first line of `output` that contains `text` (empty when none).
std::string line_with(const std::string& output, const std::string& text) {
  std::size_t start = 0;
  while (start < output.size()) {
    const std::size_t end = std::min(output.find('\n', start), output.size());
    const std::string line = output.substr(start, end - start);
    if (line.find(text) != std::string::npos) return line;
    start = end + 1;
  }
  return "";
}

struct ExplainFile {
  std::vector<std::string> effects, labels;
  std::vector<double> contribution, statistic, coefficient, utility;
};

ExplainFile read_explain(const fs::path& path) {
  const hdf5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  REQUIRE(file.valid());
  ExplainFile x;
  x.effects = read_texts(file.get(), "/explain/effect");
  x.labels = read_texts(file.get(), "/explain/period_label");
  x.contribution = read_doubles(file.get(), "/explain/contribution");
  x.statistic = read_doubles(file.get(), "/explain/statistic");
  x.coefficient = read_doubles(file.get(), "/explain/coefficient");
  x.utility = read_doubles(file.get(), "/explain/utility");
  return x;
}

}  // namespace

TEST_CASE("cli: explain refuses an unknown pair, layer or period before running (exit 2, one line)", "[cli][explain]") {
  ScenarioFolder folder;
  const fs::path out = folder.path() / "x.h5";
  const std::string base = "explain " + quoted(kSmallWorld) + " --out " + quoted(out) + " ";

  auto layer = policysim_cli(base + "--pair JPN-ISR --layer cooperaton");
  CHECK(layer.status == 2);
  CHECK_THAT(layer.output, Catch::Contains("policysim explain: --layer: expected dialogue, cooperation or trade, "
                                           "got \"cooperaton\" (did you mean \"cooperation\"?)"));

  auto agent = policysim_cli(base + "--pair JPX-ISR --layer cooperation");
  CHECK(agent.status == 2);
  const std::string agent_line = line_with(agent.output, "--pair:");
  CHECK_THAT(agent_line, Catch::Contains("\"JPX\" in \"JPX-ISR\" is not an agent of"));
  CHECK_THAT(agent_line, Catch::Contains("(did you mean \"JPN\"?)"));

  auto shape = policysim_cli(base + "--pair JPNISR --layer cooperation");
  CHECK(shape.status == 2);
  CHECK_THAT(shape.output, Catch::Contains("--pair: expected two agent codes joined by \"-\" such as JPN-ISR, got \"JPNISR\""));

  auto organisation = policysim_cli(base + "--pair JPN-EU --layer trade");
  CHECK(organisation.status == 2);
  CHECK_THAT(organisation.output, Catch::Contains("--pair: EU is an organisation"));

  auto period = policysim_cli(base + "--pair JPN-ISR --layer cooperation --from 2009Q4");
  CHECK(period.status == 2);
  CHECK_THAT(period.output, Catch::Contains("--from: expected a quarter simulated, from 2010Q1 to 2030Q4"));
  auto garbled = policysim_cli(base + "--pair JPN-ISR --layer cooperation --to 2014Q5");
  CHECK(garbled.status == 2);
  CHECK_THAT(garbled.output, Catch::Contains("--to: expected a quarter simulated"));

  auto missing = policysim_cli("explain " + quoted(kSmallWorld) + " --layer cooperation");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Catch::Contains("--pair"));
  // Refused before the run: nothing written.
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("cli: explain prints the table and writes every step, an effect set to 0 contributes 0 and the others as before",
          "[cli][explain]") {
  ScenarioFolder folder;
  // Without the spin-up: it settles the ties under the scenario's coefficients before step 0, so a
  // coefficient would move the starting world too, and with it the other effects' statistics.
  const std::string common = "explain " + quoted(kSmallWorld) +
                             " --pair JPN-ISR --layer cooperation --steps 8 --set spin_up.quarters=0 --out ";
  const fs::path plain = folder.path() / "plain.h5";
  auto run = policysim_cli(common + quoted(plain));
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.output, Catch::Contains("policysim explain: cooperation tie ISR-JPN"));
  CHECK_THAT(run.output, Catch::Contains("tie_before"));
  CHECK_THAT(run.output, Catch::Contains("2010Q1"));
  const ExplainFile before = read_explain(plain);
  REQUIRE(before.labels.size() == 8);
  CHECK(before.labels.front() == "2010Q1");
  CHECK(before.labels.back() == "2011Q4");
  const std::size_t effects = before.effects.size();
  REQUIRE(effects >= 2);
  REQUIRE(before.contribution.size() == 8 * effects);
  // Each row of contributions adds up to the utility, and each is coefficient x statistic.
  for (std::size_t t = 0; t < 8; ++t) {
    double sum = 0.0;
    for (std::size_t k = 0; k < effects; ++k) {
      sum += before.contribution[t * effects + k];
      CHECK(before.contribution[t * effects + k] == before.coefficient[k] * before.statistic[t * effects + k]);
    }
    CHECK(sum == Approx(before.utility[t]).margin(1e-12));
  }

  // The first effect other than the intercept that contributes at step 1 (the first quarter); at
  // step 1 every statistic is read on the same starting world in both runs.
  std::size_t zeroed = effects;
  for (std::size_t k = 0; k < effects && zeroed == effects; ++k)
    if (before.effects[k] != "density" && before.contribution[k] != 0.0) zeroed = k;
  REQUIRE(zeroed < effects);
  const fs::path set = folder.path() / "set.h5";
  auto again = policysim_cli(common + quoted(set) + " --set effects.cooperation." + before.effects[zeroed] + "=0");
  INFO(again.output);
  REQUIRE(again.status == 0);
  const ExplainFile after = read_explain(set);
  REQUIRE(after.effects == before.effects);
  CHECK(after.coefficient[zeroed] == 0.0);
  CHECK(after.contribution[zeroed] == 0.0);
  CHECK(after.statistic[zeroed] == before.statistic[zeroed]);  // the statistic is there; its weight is 0
  for (std::size_t k = 0; k < effects; ++k)
    if (k != zeroed) {
      INFO(before.effects[k]);
      CHECK(after.contribution[k] == before.contribution[k]);
    }
  CHECK(after.utility[0] == Approx(before.utility[0] - before.contribution[zeroed]).margin(1e-12));

  // The file exists: without --force it is not overwritten (exit 2).
  auto exists = policysim_cli("explain " + quoted(kSmallWorld) + " --pair JPN-ISR --layer cooperation --steps 2 --out " +
                              quoted(set));
  CHECK(exists.status == 2);
  CHECK_THAT(exists.output, Catch::Contains("exists; use --force"));
}
