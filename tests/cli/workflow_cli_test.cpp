// The what-if workflow as a new user meets it on the command line: warnings for values an event
// undoes, the firm layer in `describe`, and the direction of the B2B aggregates in the run file.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>

#include "sim/dynamics/firms/firm_effects.hpp"
#include "sim/model/firms.hpp"
#include "tests/support/cli_runner.hpp"
#include "tests/support/scenario_files.hpp"

namespace fs = std::filesystem;
using policysim::testing::kMinimalScenario;
using policysim::testing::policysim_cli;
using policysim::testing::quoted;
using policysim::testing::ScenarioFolder;

namespace {

// Output (stdout and stderr) of a shell command.
std::string shell_output(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (std::size_t read = fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), read);
  pclose(pipe);
  return output;
}

}  // namespace

TEST_CASE("cli: validate, run and sweep warn about a what-if value that an inherited event overwrites",
          "[cli][overwrites]") {
  ScenarioFolder folder;
  folder.write("base.toml", std::string(kMinimalScenario) + R"(
[events.port_deal]
kind = "china_ties"
period = "2013Q1"
country = "ISR"
level = 0.45
)");
  const auto child = folder.write("child.toml", "extends = \"base.toml\"\n[governments.ISR]\nchina_ties = 0.8\n");
  const std::string expected = "child.toml:3: governments.ISR.china_ties: the value 0.8 is overwritten in 2013Q1 by "
                               "the event port_deal (";
  const auto validate = policysim_cli("validate " + quoted(child));
  CHECK(validate.status == 0);
  CHECK_THAT(validate.output, Catch::Contains("warning: ") && Catch::Contains(expected) &&
                                  Catch::Contains("base.toml:") && Catch::Contains("ok: "));

  const auto run = policysim_cli("run " + quoted(child) + " --out " + quoted(folder.path() / "run.h5") + " --quiet");
  CHECK(run.status == 0);
  CHECK_THAT(run.output, Catch::Contains(expected));

  // The shift instead: no warning.
  const auto shifted = policysim_cli("validate " + quoted(folder.path() / "base.toml") + " --set shifts.ISR.china_ties=0.2");
  CHECK(shifted.status == 0);
  CHECK_THAT(shifted.output, !Catch::Contains("warning"));

  // A sweep says it once for the design (3 points x 2 replicates).
  const auto sweep_file = folder.write("sweep.toml", "extends = \"base.toml\"\n[sweep]\ndesign = \"grid\"\nreplicates = 2\n"
                                                     "[sweep.parameters]\ngovernments.ISR.china_ties = { values = [0.1, 0.5, 0.9] }\n");
  const auto sweep = policysim_cli("sweep " + quoted(sweep_file) + " --out " + quoted(folder.path() / "sweep.h5") +
                                   " --quiet --threads 1");
  CHECK(sweep.status == 0);
  INFO(sweep.output);
  std::size_t warnings = 0;
  for (auto at = sweep.output.find("warning: "); at != std::string::npos; at = sweep.output.find("warning: ", at + 1))
    ++warnings;
  CHECK(warnings == 1);
  CHECK_THAT(sweep.output, Catch::Contains("sweep.toml:6: sweep.parameters.governments.ISR.china_ties: the swept "
                                           "governments.ISR.china_ties is overwritten in 2013Q1 by the event port_deal"));
}

TEST_CASE("cli: describe prints the firm layer: settings, sectors and B2B effects", "[cli]") {
  const auto describe = policysim_cli("describe");
  REQUIRE(describe.status == 0);
  CHECK_THAT(describe.output, Catch::Contains("FIRM LAYER") && Catch::Contains("[firms.populations.<name>]") &&
                                  Catch::Contains("[firms.named.<name>]") && Catch::Contains("[firms.cooperation]") &&
                                  Catch::Contains("candidates_per_step = 5") && Catch::Contains("[firms.trade]") &&
                                  Catch::Contains("[effects.b2b_cooperation]") && Catch::Contains("[shifts.<CODE>]"));
  for (std::size_t k = 0; k < policysim::kSectorCount; ++k)
    CHECK_THAT(describe.output, Catch::Contains(std::string(policysim::name_of(static_cast<policysim::Sector>(k)))));
  for (const auto& effect : policysim::firm_effect_catalogue()) {
    CHECK_THAT(describe.output, Catch::Contains("  " + std::string(effect.name) + "\n"));
    CHECK_THAT(describe.output, Catch::Contains(std::string(effect.doc)));
    CHECK_THAT(describe.output, Catch::Contains(std::string(effect.source)));
  }
}

TEST_CASE("cli: /ties/b2b_trade is recorded as directed and /ties/b2b_cooperation as mutual", "[cli][firms]") {
  ScenarioFolder folder;
  const fs::path out = folder.path() / "firms.h5";
  const auto run = policysim_cli("run " + quoted(fs::path(POLICYSIM_SOURCE_DIR) / "tests/scenario/fixtures/firms_small.toml") +
                                 " --set firms.trade.firm_share=0.3 --steps 2 --out " + quoted(out) + " --quiet");
  REQUIRE(run.status == 0);
  const std::string read = shell_output(
      "/usr/bin/python3 -c \"import h5py, sys; f = h5py.File(sys.argv[1], 'r'); "
      "print([int(f['ties'][n].attrs['directed']) for n in ('b2b_trade', 'b2b_cooperation', 'trade', 'dialogue')])\" " +
      quoted(out));
  CHECK(read == "[1, 0, 1, 0]\n");
}
