// `policysim sweep` as a user meets it: bad sweep specs are refused before any run with the
// file, line and key, exit 2, and leave no output and no journal; outputs and journals that
// are in the way are refused too.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <hdf5.h>

#include "tests/support/scenario_files.hpp"
#include "tests/support/cli_runner.hpp"

namespace fs = std::filesystem;
using policysim::testing::kMinimalScenario;
using policysim::testing::ScenarioFolder;
using policysim::testing::policysim_cli;
using policysim::testing::quoted;

namespace {


// Only the inputs in the folder: no output, no temporary file, no journal.
void require_inputs_only(const fs::path& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    INFO(entry.path());
    CHECK((entry.path().extension() == ".toml" || entry.path().extension() == ".csv"));
  }
}

// Line numbers below refer to this file.
const std::string kSweep = R"(extends = "base.toml"

[sweep]
design = "latin_hypercube"
samples = 4
replicates = 2

[sweep.parameters]
governments.ISR.china_ties = { range = [0.1, 0.9] }
)";

std::string replace_line(std::string text, int line, const std::string& with) {
  std::size_t start = 0;
  for (int i = 1; i < line; ++i) start = text.find('\n', start) + 1;
  const std::size_t end = text.find('\n', start);
  return text.replace(start, end - start, with);
}

}  // namespace

TEST_CASE("sweep cli: a good sweep runs, and the output and the journal are guarded", "[sweep][cli]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  const auto sweep = folder.write("sweep.toml", kSweep);
  const fs::path out = folder.path() / "sweep.h5";
  auto first = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(out) + " --quiet --threads 2");
  INFO(first.output);
  REQUIRE(first.status == 0);
  CHECK(first.output.empty());  // --quiet: no progress, no summary
  CHECK(fs::exists(out));
  CHECK_FALSE(fs::exists(folder.path() / "sweep.h5.journal"));  // removed after success

  // Without --quiet, and stderr not a terminal: a plain progress line per 10%, then the summary.
  auto loud = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(folder.path() / "loud.h5"));
  INFO(loud.output);
  CHECK(loud.status == 0);
  CHECK_THAT(loud.output, Catch::Contains("sweep: 8/8 runs (100%), "));
  CHECK_THAT(loud.output, Catch::Contains("sweep: 8 runs (4 design points x 2 replicates, latin_hypercube design)"));
  std::size_t progress_lines = 0;
  for (std::size_t at = loud.output.find(" runs ("); at != std::string::npos; at = loud.output.find(" runs (", at + 1))
    ++progress_lines;
  CHECK(progress_lines >= 3);   // some of 10%, 20%, ... and the summary
  CHECK(progress_lines <= 11);  // never more than one per 10%
  CHECK(loud.output.find('\r') == std::string::npos);  // no bar redrawing into a log

  auto again = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(out));
  CHECK(again.status == 2);
  CHECK_THAT(again.output, Catch::Contains("exists; use --force"));
  auto finished = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(out) + " --resume");
  CHECK(finished.status == 2);
  CHECK_THAT(finished.output, Catch::Contains("there is no journal to resume"));

  // A journal left by another sweep: refused without --resume, and with it when its spec differs.
  fs::create_directories(folder.path() / "other.h5.journal");
  std::ofstream(folder.path() / "other.h5.journal" / "spec.txt") << "# policysim sweep: something else\n";
  const fs::path other = folder.path() / "other.h5";
  auto fresh = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(other));
  CHECK(fresh.status == 2);
  CHECK_THAT(fresh.output, Catch::Contains("continue that sweep with --resume"));
  auto changed = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(other) + " --resume");
  CHECK(changed.status == 2);
  CHECK_THAT(changed.output, Catch::Contains("cannot resume: the sweep or its scenario changed"));
  CHECK_THAT(changed.output, Catch::Contains("first difference at line 1 of spec.txt"));
  CHECK_FALSE(fs::exists(other));

  // Not a sweep file, and `policysim run` on a sweep file.
  const auto base = folder.path() / "base.toml";
  auto plain = policysim_cli("sweep " + quoted(base) + " --out " + quoted(folder.path() / "plain.h5"));
  CHECK(plain.status == 2);
  CHECK_THAT(plain.output, Catch::Contains("base.toml: sweep: no [sweep] section"));
  auto run = policysim_cli("run " + quoted(sweep) + " --out " + quoted(folder.path() / "single.h5"));
  CHECK(run.status == 0);
  CHECK_THAT(run.output, Catch::Contains("the [sweep] section is ignored here; `policysim sweep"));
  CHECK(policysim_cli("sweep --help").status == 0);
  CHECK_THAT(policysim_cli("sweep --help").output, Catch::Contains("--resume"));
}

TEST_CASE("sweep cli: record = [...] writes the named measures and their statistics, and nothing else",
          "[sweep][cli][measures]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  const auto sweep =
      folder.write("sweep.toml", replace_line(kSweep, 7, "record = [\"cooperation\", \"dialogue_density\"]"));
  const fs::path out = folder.path() / "named.h5";
  auto result = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(out) + " --quiet --threads 2");
  INFO(result.output);
  REQUIRE(result.status == 0);
  const hid_t file = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const auto exists = [&](const std::string& path) { return H5Lexists(file, path.c_str(), H5P_DEFAULT) > 0; };
  for (const char* path : {"/metrics/cooperation_pairs", "/metrics/dialogue_density", "/statistics/cooperation_pairs_mean",
                           "/statistics/dialogue_density_q95"}) {
    INFO(path);
    CHECK(exists(path));
  }
  for (const char* path : {"/metrics/dialogue_pairs", "/metrics/cooperation_density", "/metrics/trade_mean_strength",
                           "/statistics/trade_density_mean"}) {
    INFO(path);
    CHECK_FALSE(exists(path));
  }
  H5Fclose(file);
}

TEST_CASE("sweep cli: bad sweep specs exit 2 with file, line and key, before any run", "[sweep][cli]") {
  struct Case {
    int line;
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {9, "governments.ISR.china_tie = { range = [0.1, 0.9] }",
       "sweep.toml:9: sweep.parameters.governments.ISR.china_tie: at design point 0, governments.ISR.china_tie = "},
      {9, "governments.ISR.china_tie = { range = [0.1, 0.9] }", "unknown field (did you mean \"china_ties\"?)"},
      {9, "governments.ISR.china_ties = { range = [] }",
       "sweep.toml:9: sweep.parameters.governments.ISR.china_ties.range: empty range: expected [low, high]"},
      {9, "governments.ISR.china_ties = { range = [0.9, 0.1] }",
       "sweep.toml:9: sweep.parameters.governments.ISR.china_ties.range: low >= high in [0.9, 0.1]: expected low < high"},
      {9, "governments.ISR.china_ties = { range = [0.5, 0.5] }", "low >= high in [0.5, 0.5]"},
      // Finite ends whose difference is not: the points were low + u x inf (inf, or NaN at u = 0),
      // refused as "at design point 0, ... = inf", a value the file never wrote (found while probing
      // the sweep fuzz target, tests/fuzz).
      {9, "governments.ISR.china_ties = { range = [-1e308, 1e308] }",
       "sweep.toml:9: sweep.parameters.governments.ISR.china_ties.range: high - low in [-1e+308, 1e+308] is not a "
       "finite number"},
      {5, "samples = 0", "sweep.toml:5: sweep.samples: expected a whole number of samples >= 1, got the whole number 0"},
      {9, "governments.JPN.leader = { range = [1, 2] }",
       "sweep.toml:9: sweep.parameters.governments.JPN.leader.range: a range needs a numeric key, but "
       "governments.JPN.leader holds the string \"Abe\""},
      {9, "governments.ISR.china_ties = { values = [\"high\", \"low\"] }",
       "sweep.toml:9: sweep.parameters.governments.ISR.china_ties.values: values of the wrong type: "
       "governments.ISR.china_ties holds the number 0.3"},
      {9, "governments.ISR.china_ties = { values = [0.2, true] }", "values of mixed or unsupported types"},
      {9, "governments.ISR.china_ties = { values = [0.2, 0.2] }", "the value 0.2 is listed twice"},
      {4, "design = \"latin_hypercub\"",
       "sweep.toml:4: sweep.design: unknown design \"latin_hypercub\" (did you mean \"latin_hypercube\"?)"},
      {6, "replicate = 2", "sweep.toml:6: sweep.replicate: unknown setting of [sweep] (did you mean \"replicates\"?)"},
      {9, "governments.ISR.china_ties = { range = [0.5, 1.5] }",
       "sweep.toml:9: sweep.parameters.governments.ISR.china_ties: at design point "},
      {9, "governments.ISR.china_ties = { range = [0.5, 1.5] }", "expected a number in [0, 1]"},
      {9, "governments.ISR.china_ties = [0.1, 0.9]",
       "sweep.toml:9: sweep.parameters.governments.ISR.china_ties: expected `governments.ISR.china_ties = { range = "
       "[low, high] }`"},
      {9, "governments.ISR.china_ties = { rnage = [0.1, 0.9] }", "not \"rnage\" (did you mean \"range\"?)"},
      {9, "simulation.steps = { values = [4, 8] }", "changes simulation.steps (the length of the time axis)"},
      {9, "simulation.seed = { values = [1, 2] }", "do not sweep simulation.seed, use replicates"},
      {5, "levels = 3", "sweep.toml:5: sweep.levels: expected an even number of Morris levels"},
      {6, "record_ties_every = 0", "sweep.toml:6: sweep.record_ties_every: expected a whole number of steps >= 1"},
      {4, "design = \"grid\"", "sweep.toml:5: sweep.samples: a grid design takes no samples"},
      // record = [...]: measure names of the catalogue.
      {7, "record = [\"dialogue_densty\"]",
       "sweep.toml:7: sweep.record: record[0]: unknown measure \"dialogue_densty\" (did you mean \"dialogue_density\"?)"},
      {7, "record = [\"dialogue_density\", \"dialogue_density\"]", "sweep.toml:7: sweep.record: record[1]: "
                                                                   "dialogue_density is listed twice"},
      {7, "record = [\"active_firms\"]", "record[0]: active_firms has a value per agent; a sweep records world"},
      {7, "record = [\"dialogue\", 3]", "record[1]: expected the name of a measure, got the whole number 3"},
      {7, "record = []", "sweep.toml:7: sweep.record: an empty list of measures records nothing"},
      {7, "record = 3", "sweep.toml:7: sweep.record: expected \"metrics\", \"ties\" or a list of measure names"},
      {7, "record = [\"b2b_cooperation_ties\"]",
       "sweep.toml:7: sweep.record: b2b_cooperation_ties measures firms, and the scenario has no [firms.populations]"},
  };
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  for (const Case& bad : cases) {
    const auto sweep = folder.write("sweep.toml", replace_line(kSweep, bad.line, bad.text));
    auto result = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(folder.path() / "out.h5"));
    INFO(bad.text << "\n" << result.output);
    CHECK(result.status == 2);
    CHECK_THAT(result.output, Catch::Contains(bad.expected));
    require_inputs_only(folder.path());
  }

  // Settings that only make sense together.
  const std::vector<std::pair<std::string, std::string>> whole_files = {
      {"extends = \"base.toml\"\n[sweep]\nsamples = 4\n[sweep.parameters]\nthreat.persistence = { range = [0.1, 0.9] }\n",
       "sweep.toml:3: sweep.design: missing: the design, one of grid, latin_hypercube"},
      {"extends = \"base.toml\"\n[sweep]\ndesign = \"grid\"\n[sweep.parameters]\nthreat.persistence = { range = [0.1, 0.9] }\n",
       "sweep.toml:5: sweep.parameters.threat.persistence: a grid over a range needs its levels"},
      {"extends = \"base.toml\"\n[sweep]\ndesign = \"morris\"\nsamples = 2\n",
       "sweep.parameters: a morris design needs at least one parameter"},
      {"extends = \"base.toml\"\n[sweep]\ndesign = \"random\"\nsamples = 2\nrecord = \"metrics\"\nrecord_ties_every = 2\n"
       "[sweep.parameters]\nthreat.persistence = { range = [0.1, 0.9] }\n",
       "sweep.toml:6: sweep.record_ties_every: record = \"metrics\" records no ties"},
  };
  for (const auto& [text, expected] : whole_files) {
    const auto sweep = folder.write("sweep.toml", text);
    auto result = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(folder.path() / "out.h5"));
    INFO(text << "\n" << result.output);
    CHECK(result.status == 2);
    CHECK_THAT(result.output, Catch::Contains(expected));
    require_inputs_only(folder.path());
  }

  // --set reaches [sweep] and is checked the same way.
  const auto sweep = folder.write("sweep.toml", kSweep);
  auto set = policysim_cli("sweep " + quoted(sweep) + " --set sweep.samples=0 --out " + quoted(folder.path() / "out.h5"));
  CHECK(set.status == 2);
  CHECK_THAT(set.output, Catch::Contains("error: --set: sweep.samples: expected a whole number of samples >= 1"));
  require_inputs_only(folder.path());
}

TEST_CASE("sweep cli: a CSV design whose columns do not match the parameters is refused", "[sweep][cli]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  const std::string declared = "extends = \"base.toml\"\n[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n"
                               "[sweep.parameters]\ngovernments.ISR.china_ties = { range = [0.1, 0.9] }\n";
  const auto sweep = folder.write("sweep.toml", declared);
  const fs::path out = folder.path() / "out.h5";

  folder.write("points.csv", "governments.ISR.china_tie\n0.2\n0.4\n");
  auto wrong_column = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(out));
  CHECK(wrong_column.status == 2);
  CHECK_THAT(wrong_column.output, Catch::Contains("points.csv:1: governments.ISR.china_tie: column \"governments.ISR.china_tie\" "
                                                  "is not a parameter of [sweep.parameters] (did you mean "
                                                  "\"governments.ISR.china_ties\"?)"));
  CHECK_THAT(wrong_column.output, Catch::Contains("no column for the parameter governments.ISR.china_ties"));
  require_inputs_only(folder.path());

  folder.write("points.csv", "governments.ISR.china_ties\n0.2\nlots\n0.95\n");
  auto bad_values = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(out));
  CHECK(bad_values.status == 2);
  CHECK_THAT(bad_values.output, Catch::Contains("points.csv:3: governments.ISR.china_ties: expected a number, got \"lots\""));
  CHECK_THAT(bad_values.output, Catch::Contains("points.csv:4: governments.ISR.china_ties: 0.95 is outside the declared range [0.1, 0.9]"));
  require_inputs_only(folder.path());

  folder.write("points.csv", "governments.ISR.china_ties,threat.persistence\n0.2,0.5\n0.4\n");
  auto short_row = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(out));
  CHECK(short_row.status == 2);
  CHECK_THAT(short_row.output, Catch::Contains("column \"threat.persistence\" is not a parameter"));
  CHECK_THAT(short_row.output, Catch::Contains("points.csv:3: expected 2 fields as in the header, got 1"));
  require_inputs_only(folder.path());

  // Without [sweep.parameters], the columns are the parameters; an unknown key is still caught.
  const auto undeclared = folder.write("sweep.toml", "extends = \"base.toml\"\n[sweep]\ndesign = \"file\"\nfile = \"points.csv\"\n");
  folder.write("points.csv", "governments.ISR.china_ties,threat.persistance\n0.2,0.5\n");
  auto unknown = policysim_cli("sweep " + quoted(undeclared) + " --out " + quoted(out));
  CHECK(unknown.status == 2);
  CHECK_THAT(unknown.output, Catch::Contains("points.csv:1: sweep.parameters.threat.persistance: at design point 0"));
  CHECK_THAT(unknown.output, Catch::Contains("did you mean \"persistence\""));
  require_inputs_only(folder.path());

  folder.write("points.csv", "governments.ISR.china_ties,threat.persistence\n0.2,0.5\n0.4,0.6\n");
  auto good = policysim_cli("sweep " + quoted(undeclared) + " --out " + quoted(out) + " --quiet");
  INFO(good.output);
  CHECK(good.status == 0);
  CHECK(fs::exists(out));
  auto missing = policysim_cli("sweep " + quoted(sweep) + " --out " + quoted(folder.path() / "x.h5") + " --set sweep.file=nope.csv");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Catch::Contains("cannot read the design file"));
}
