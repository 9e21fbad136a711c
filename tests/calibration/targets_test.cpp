// The targets file and the generic evaluator: a hand-made record with known answers, and bad
// targets files that must name file, line and key.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "sim/calibration/calibration.hpp"
#include "sim/scenario/load.hpp"
#include "tests/support/cli_runner.hpp"

using namespace policysim;
namespace cal = policysim::calibration;

namespace {

std::filesystem::path write_file(const std::string& name, const std::string& text) {
  const std::filesystem::path path = std::filesystem::path(POLICYSIM_TEST_TMP) / name;
  std::ofstream(path) << text;
  return path;
}

// The problems a targets file has, one formatted line each ("" when it loads).
std::string load_errors(const std::filesystem::path& path) {
  try {
    cal::load_targets(path);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

// Shared by every fixture target: the keys that say where the evidence is.
const std::string kEvidence = "says = \"by hand\"\nsource = \"fixture\"\nevidence_year = 2011\nrole = \"validation\"\n";

// A world of three agents A, B, C over 2010Q1-2012Q4 (12 steps), two seeds, with every value of
// the four measures below set by hand (0 unless set).
struct Fixture {
  cal::Report report;
  Fixture() {
    report.scenario_file = "fixture";
    report.agents = {"A", "B", "C"};
    report.first_year = 2010;
    report.last_year = 2012;
    for (int s = 0; s < 12; ++s) report.steps.push_back(Period::from_year_quarter(2010, 1).plus_quarters(s));
    report.measures = {"b2b_cyber_service_ties", "dialogue", "dialogues_held", "trade"};
    report.seeds.resize(2);
    for (std::size_t k = 0; k < 2; ++k) {
      report.seeds[k].seed = 100 + k;
      report.seeds[k].values.assign(4, std::vector<Eigen::MatrixXd>(12, Eigen::MatrixXd::Zero(3, 3)));
    }
  }
  std::size_t measure(const std::string& name) const {
    return static_cast<std::size_t>(std::find(report.measures.begin(), report.measures.end(), name) - report.measures.begin());
  }
  // Sets measure(i, j) in seed k for the steps of `year` (all quarters, or only `quarter`).
  void set(std::size_t k, const std::string& name, int year, Eigen::Index i, Eigen::Index j, double value, int quarter = 0) {
    for (std::size_t s = 0; s < report.steps.size(); ++s)
      if (report.steps[s].year() == year && (quarter == 0 || report.steps[s].quarter() == quarter))
        report.seeds[k].values[measure(name)][s](i, j) = value;
  }
  void held(std::size_t k, int year, int quarter, Eigen::Index i, Eigen::Index j) {
    set(k, "dialogues_held", year, i, j, 1.0, quarter);
    set(k, "dialogues_held", year, j, i, 1.0, quarter);
  }
  const cal::TargetResult& evaluate(const std::string& targets_toml, const std::string& name) {
    report.targets = cal::load_targets(write_file(name + ".toml", targets_toml));
    results = cal::evaluate(report);
    REQUIRE(results.size() == 1);
    INFO(results.front().model << " / " << results.front().tolerance);
    return results.front();
  }
  std::vector<cal::TargetResult> results;
};

constexpr Eigen::Index A = 0, B = 1, C = 2;

}  // namespace

TEST_CASE("calibration targets: the ratio of two years' means of a tie, per seed, by hand", "[calibration][targets]") {
  Fixture fixture;
  // Seed 0: a constant tie (ratio 1); seed 1: 0.2 in 2010, 0.6 in 2011 (ratio 3).
  for (int year : {2010, 2011, 2012}) fixture.set(0, "dialogue", year, A, B, 0.4);
  fixture.set(1, "dialogue", 2010, A, B, 0.2);
  fixture.set(1, "dialogue", 2011, A, B, 0.6);
  const std::string head = "[targets.shift]\ntitle = \"shift\"\n" + kEvidence +
                           "measure = \"dialogue\"\npair = \"A-B\"\nstatistic = \"ratio_of_means\"\n"
                           "years = [2011]\nover_years = [2010]\n";
  SECTION("in every seed: missed (one of two)") {
    const auto& result =
        fixture.evaluate(head + "tolerance = { each_seed = { between = [0.99, 1.01] }, seeds_at_least = 1.0 }\n", "shift_all");
    CHECK_FALSE(result.met);
    CHECK(result.model == "ratio 0.99 .. 1.01 in 1 of 2 seeds (median ratio 2.00)");
  }
  SECTION("in half the seeds: met") {
    const auto& result =
        fixture.evaluate(head + "tolerance = { each_seed = { between = [0.99, 1.01] }, seeds_at_least = 0.5 }\n", "shift_half");
    CHECK(result.met);
  }
  SECTION("the mean over seeds: (1 + 3) / 2 = 2") {
    CHECK(fixture.evaluate(head + "tolerance = { mean = { between = [1.99, 2.01] } }\n", "shift_mean").met);
    CHECK_FALSE(fixture.evaluate(head + "tolerance = { mean = { at_least = 2.01 } }\n", "shift_mean_high").met);
  }
}

TEST_CASE("calibration targets: first year of a count, and the count per year after it, by hand", "[calibration][targets]") {
  Fixture fixture;
  // Seed 0: A and B meet in 2011Q2 and 2012Q1; seed 1: never.
  fixture.held(0, 2011, 2, A, B);
  fixture.held(0, 2012, 1, A, B);
  const std::string first = "[targets.first]\ntitle = \"first\"\n" + kEvidence +
                            "measure = \"dialogues_held\"\npair = \"B-A\"\nstatistic = \"first_year\"\n";
  SECTION("first year 2011 in one seed of two") {
    const auto& more_than_half =
        fixture.evaluate(first + "tolerance = { each_seed = { between = [2011, 2011] }, seeds_more_than = 0.5 }\n", "first");
    CHECK_FALSE(more_than_half.met);  // 1 of 2 is not more than half
    CHECK(more_than_half.model.find("in 1 of 2 seeds (median year 2011.00)") != std::string::npos);
    CHECK(fixture.evaluate(first + "tolerance = { each_seed = { at_most = 2011 }, seeds_at_least = 0.5 }\n", "first_half").met);
  }
  SECTION("one a year in the year after the first (seeds with a first year only)") {
    const auto& result = fixture.evaluate("[targets.after]\ntitle = \"after\"\n" + kEvidence +
                                              "measure = \"dialogues_held\"\npair = \"A-B\"\n"
                                              "statistic = \"count_per_year_after_first\"\nyears_after = 1\n"
                                              "tolerance = { mean = { between = [1, 1] } }\n",
                                          "after");
    CHECK(result.met);
    CHECK(result.model == "1.00 a year (mean over 1 of 2 seeds with a value)");
  }
}

TEST_CASE("calibration targets: counts per year against other years, pooled over seeds, by hand", "[calibration][targets]") {
  Fixture fixture;
  // Seed 0 holds 1 dialogue in 2010, 2 in 2011, 3 in 2012; seed 1 none. Per year and seed: 0.5, 1.0, 1.5.
  fixture.held(0, 2010, 1, A, B);
  for (int quarter : {1, 2}) fixture.held(0, 2011, quarter, A, B);
  for (int quarter : {1, 2, 3}) fixture.held(0, 2012, quarter, A, B);
  const std::string head = "[targets.counts]\ntitle = \"counts\"\n" + kEvidence +
                           "measure = \"dialogues_held\"\npair = \"A-B\"\nstatistic = \"count_per_year_vs_other_years\"\n"
                           "years = [2011]\n";
  SECTION("against every other year, pooled: 1.0 is not above (0.5 + 1.5) / 2") {
    const auto& result = fixture.evaluate(head + "tolerance = { above_other_years = true }\n", "counts_pooled");
    CHECK_FALSE(result.met);
    CHECK(result.model == "1.00 vs 1.00 (busiest other year 2012: 1.50)");
  }
  SECTION("against each of the listed other years") {
    CHECK(fixture.evaluate(head + "other_years = [2010]\ntolerance = { above_busiest_other_year = true }\n", "counts_2010").met);
    CHECK_FALSE(fixture.evaluate(head + "tolerance = { above_busiest_other_year = true }\n", "counts_each").met);
  }
}

TEST_CASE("calibration targets: year-end values, a share of partners and ranks of first years, by hand",
          "[calibration][targets]") {
  Fixture fixture;
  SECTION("year end, both directions: (3 + 2) and 7, mean 6") {
    fixture.set(0, "trade", 2011, A, B, 3.0, 4);
    fixture.set(0, "trade", 2011, B, A, 2.0, 4);
    fixture.set(1, "trade", 2011, A, B, 7.0, 4);
    fixture.set(1, "trade", 2011, A, B, 100.0, 3);  // not the end of the year
    const auto& result = fixture.evaluate("[targets.end]\ntitle = \"end\"\n" + kEvidence +
                                              "measure = \"trade\"\npair = \"A-B\"\nboth_directions = true\n"
                                              "statistic = \"year_end\"\nyear = 2011\n"
                                              "tolerance = { mean = { between = [5.99, 6.01] } }\n",
                                          "end");
    CHECK(result.met);
  }
  SECTION("B's share of A's ties at the end of 2011: 3/4 and 1/2, mean 0.625") {
    fixture.set(0, "b2b_cyber_service_ties", 2011, A, B, 3.0, 4);
    fixture.set(0, "b2b_cyber_service_ties", 2011, A, C, 1.0, 4);
    fixture.set(1, "b2b_cyber_service_ties", 2011, A, B, 1.0, 4);
    fixture.set(1, "b2b_cyber_service_ties", 2011, A, C, 1.0, 4);
    fixture.set(1, "b2b_cyber_service_ties", 2011, C, B, 50.0, 4);  // not A's
    const std::string head = "[targets.share]\ntitle = \"share\"\n" + kEvidence +
                             "measure = \"b2b_cyber_service_ties\"\nagent = \"A\"\npartners = [\"B\"]\n"
                             "statistic = \"share_of_partners\"\nyear = 2011\ndigits = 1\n";
    const auto& result = fixture.evaluate(head + "tolerance = { mean = { above = 0.62 } }\n", "share");
    CHECK(result.met);
    CHECK(result.model == "62.5% of 3 ties (mean over seeds)");
    CHECK_FALSE(fixture.evaluate(head + "tolerance = { mean = { above = 0.63 } }\n", "share_high").met);
    // The sum over all of A's partners: 4 and 2, mean 3.
    CHECK(fixture.evaluate(head + "tolerance = { total = { between = [2.99, 3.01] } }\n", "share_total").met);
    CHECK_FALSE(fixture.evaluate(head + "tolerance = { mean = { above = 0.62 }, total = { above = 3.01 } }\n", "share_total_high").met);
  }
  SECTION("Spearman of first years: +1 in seed 0, -1 in seed 1 (a partner never met ranks last)") {
    fixture.held(0, 2011, 1, A, B);
    fixture.held(0, 2010, 3, A, C);
    fixture.held(1, 2010, 1, A, B);  // C never: ranks after 2012
    const auto& result = fixture.evaluate("[targets.order]\ntitle = \"order\"\n" + kEvidence +
                                              "measure = \"dialogues_held\"\nagent = \"A\"\n"
                                              "partners = [{ code = \"B\", year = 2011 }, { code = \"C\", year = 2010 }]\n"
                                              "statistic = \"rank_correlation_of_first_years\"\n"
                                              "tolerance = { median = { at_least = -0.01 } }\n",
                                          "order");
    CHECK(result.met);
    CHECK(result.model == "Spearman rho median 0.00, mean 0.00");
    CHECK(result.details.find("B      2011   model 2010.5 (2/2)") != std::string::npos);
    CHECK(result.details.find("C      2010   model 2010.0 (1/2)") != std::string::npos);
  }
  SECTION("a target whose measure does not apply to the scenario (firms without firms) is left out") {
    fixture.report.inapplicable = {"b2b_cyber_service_ties"};
    fixture.report.targets = cal::load_targets(write_file("inapplicable.toml", "[targets.share]\ntitle = \"share\"\n" + kEvidence +
                                                                                   "measure = \"b2b_cyber_service_ties\"\n"
                                                                                   "agent = \"A\"\npartners = [\"B\"]\n"
                                                                                   "statistic = \"share_of_partners\"\nyear = 2011\n"
                                                                                   "tolerance = { mean = { above = 0 } }\n"));
    CHECK(cal::evaluate(fixture.report).empty());
  }
}

TEST_CASE("calibration targets: shares among listed partners against observed ranges, by hand", "[calibration][targets]") {
  Fixture fixture;
  // 2010: A-B two-way trade 3 a quarter, A-C 1: shares 0.75 and 0.25 in both seeds.
  for (std::size_t k = 0; k < 2; ++k) {
    fixture.set(k, "trade", 2010, A, B, 2.0);
    fixture.set(k, "trade", 2010, B, A, 1.0);
    fixture.set(k, "trade", 2010, C, A, 1.0);
  }
  const std::string head = "[targets.shares]\ntitle = \"shares\"\n" + kEvidence +
                           "measure = \"trade\"\nagent = \"A\"\nboth_directions = true\nyear = 2010\n"
                           "statistic = \"shares_among_partners\"\ntolerance = { range_factors = [0.9, 1.1] }\n";
  const auto& within = fixture.evaluate(
      head + "partners = [{ code = \"B\", share_2009 = 0.7, min = 0.6, max = 0.7 }, "
             "{ code = \"C\", share_2009 = 0.3, min = 0.25, max = 0.4 }]\n",
      "shares");
  CHECK(within.met);  // 0.75 <= 1.1 x 0.7
  CHECK(within.model == "2 of 2 partners within (mean over seeds)");
  const auto& outside = fixture.evaluate(
      head + "partners = [{ code = \"B\", share_2009 = 0.6, min = 0.5, max = 0.6 }, "
             "{ code = \"C\", share_2009 = 0.3, min = 0.25, max = 0.4 }, { code = \"ZZZ\", share_2009 = 0.1, min = 0, max = 1 }]\n",
      "shares_outside");
  CHECK_FALSE(outside.met);  // 0.75 > 1.1 x 0.6; ZZZ is not in the world and left out
  CHECK(outside.model == "1 of 2 partners within (mean over seeds)");
}

TEST_CASE("calibration targets: bad targets files name file, line and key", "[calibration][targets]") {
  const std::string valid_tail = "pair = \"JPN-ISR\"\nstatistic = \"first_year\"\n";
  SECTION("an unknown measure, with did-you-mean") {
    const auto path = write_file("bad_measure.toml", "# a comment\n[targets.first]\ntitle = \"first\"\n" + kEvidence +
                                                        "measure = \"dialouge\"\n" + valid_tail +
                                                        "tolerance = { mean = { above = 0 } }\n");
    const std::string errors = load_errors(path);
    CHECK(errors == "error: " + path.lexically_normal().string() +
                        ":8: targets.first.measure: unknown measure \"dialouge\" (did you mean \"dialogue\"?)");
  }
  SECTION("a measure that is not a pair measure") {
    const auto path = write_file("world_measure.toml", "[targets.first]\ntitle = \"first\"\n" + kEvidence +
                                                          "measure = \"dialogue_density\"\n" + valid_tail +
                                                          "tolerance = { mean = { above = 0 } }\n");
    CHECK(load_errors(path).find(":7: targets.first.measure: \"dialogue_density\" is a world measure; targets read a pair "
                                 "measure") != std::string::npos);
  }
  SECTION("a missing tolerance: the line of the target") {
    const auto path = write_file("no_tolerance.toml", "\n\n[targets.first]\ntitle = \"first\"\n" + kEvidence +
                                                         "measure = \"dialogue\"\n" + valid_tail);
    const std::string errors = load_errors(path);
    CHECK(errors.rfind("error: " + path.lexically_normal().string() + ":3: targets.first.tolerance: missing; expected", 0) == 0);
  }
  SECTION("an unknown key, an unknown statistic, a bad role: every problem at once") {
    const auto path = write_file("several.toml", "[targets.first]\ntitle = \"first\"\n" + kEvidence +
                                                    "measure = \"dialogue\"\npair = \"JPN-ISR\"\nstatistic = \"first_yaer\"\n"
                                                    "tolerance = { mean = { above = 0 } }\n"
                                                    "[targets.second]\ntitle = \"second\"\n" + kEvidence +
                                                    "measure = \"dialogue\"\npair = \"JPN-ISR\"\nstatistic = \"first_year\"\n"
                                                    "tolerence = { mean = { above = 0 } }\n");
    const std::string errors = load_errors(path);
    CHECK(errors.find(":9: targets.first.statistic: unknown statistic \"first_yaer\" (did you mean \"first_year\"?)") !=
          std::string::npos);
    CHECK(errors.find(":20: targets.second.tolerence: unknown key (did you mean \"tolerance\"?)") != std::string::npos);
    CHECK(errors.find(":11: targets.second.tolerance: missing") != std::string::npos);
  }
  SECTION("a tolerance that does not fit the statistic") {
    const auto path = write_file("misfit.toml", "[targets.first]\ntitle = \"first\"\n" + kEvidence +
                                                   "measure = \"dialogue\"\n" + valid_tail +
                                                   "tolerance = { each_seed = { above = 0 } }\n");
    CHECK(load_errors(path).find(":10: targets.first.tolerance: each_seed needs seeds_at_least or seeds_more_than") !=
          std::string::npos);
  }
  SECTION("an agent the scenario lacks: refused before any run") {
    const auto path = write_file("unknown_agent.toml", "\n[targets.first]\ntitle = \"first\"\n" + kEvidence +
                                                          "measure = \"dialogue\"\npair = \"JPN-ISL\"\nstatistic = \"first_year\"\n"
                                                          "tolerance = { mean = { above = 0 } }\n");
    const Scenario baseline = load_scenario(std::filesystem::path(POLICYSIM_SOURCE_DIR) / "scenarios" / "baseline.toml").scenario;
    try {
      cal::run(baseline, cal::load_targets(path), 1);
      FAIL("no error");
    } catch (const ScenarioError& error) {
      CHECK_THAT(error.what(), Catch::Contains(":2: targets.first.pair: the scenario") &&
                                   Catch::Contains("has no agent \"ISL\""));
    }
  }
  SECTION("the command: exit status 2 and the message, before any run") {
    const auto path = write_file("bad_measure_cli.toml", "[targets.first]\ntitle = \"first\"\n" + kEvidence +
                                                            "measure = \"dialouge\"\n" + valid_tail +
                                                            "tolerance = { mean = { above = 0 } }\n");
    const auto result = policysim::testing::policysim_cli(
        "calibrate " + policysim::testing::quoted(std::filesystem::path(POLICYSIM_SOURCE_DIR) / "scenarios" / "baseline.toml") +
        " --seeds 1 --targets " + policysim::testing::quoted(path));
    CHECK(result.status == 2);
    CHECK(result.output.find("targets.first.measure: unknown measure \"dialouge\" (did you mean \"dialogue\"?)") !=
          std::string::npos);
  }
}

TEST_CASE("calibration targets: the baseline's targets file loads, labels every target and keeps the file's order",
          "[calibration][targets]") {
  const auto targets =
      cal::load_targets(std::filesystem::path(POLICYSIM_SOURCE_DIR) / "scenarios" / "calibration" / "targets.toml");
  REQUIRE(targets.targets.size() == 9);
  CHECK(targets.targets.front().id == "jpn_isr_dialogue_shift");
  CHECK(targets.targets.back().id == "jpn_cyber_partners_us_isr");
  for (const auto& target : targets.targets) {
    INFO(target.id);
    CHECK((target.role == "calibration" || target.role == "validation"));
    CHECK(!target.evidence_year.empty());
    CHECK(target.source.find("../shared/") == 0);
  }
}

TEST_CASE("calibration targets: the default file is next to the scenario or to a file it extends", "[calibration][targets]") {
  const std::filesystem::path source(POLICYSIM_SOURCE_DIR);
  const std::string baseline = (source / "scenarios" / "baseline.toml").string();
  const std::string elsewhere = (source / "tests" / "calibration" / "world.toml").string();  // no calibration/ beside it
  CHECK(cal::default_targets_file({baseline}) == source / "scenarios" / "calibration" / "targets.toml");
  CHECK(cal::default_targets_file({elsewhere, baseline}) == source / "scenarios" / "calibration" / "targets.toml");
  CHECK(cal::default_targets_file({elsewhere}) == source / "tests" / "calibration" / "calibration" / "targets.toml");
}

TEST_CASE("calibration targets: a table column that counts an agent's partners above a level, by hand",
          "[calibration][targets]") {
  Fixture fixture;
  // End of 2011: seed 0 has A-B 0.5 and A-C 0.4; seed 1 has A-B 0.5 only. C-B (not A's) is high in both.
  for (std::size_t k = 0; k < 2; ++k) {
    fixture.set(k, "dialogue", 2011, A, B, 0.5, 4);
    fixture.set(k, "dialogue", 2011, C, B, 0.9, 4);
  }
  fixture.set(0, "dialogue", 2011, A, C, 0.4, 4);
  fixture.set(1, "dialogue", 2011, A, C, 0.4, 3);  // not the end of the year
  const std::string target = "[targets.end]\ntitle = \"end\"\n" + kEvidence +
                             "measure = \"trade\"\npair = \"A-B\"\nstatistic = \"year_end\"\nyear = 2011\n"
                             "tolerance = { mean = { at_least = 0 } }\n";
  auto table = [&](const std::string& level, const std::string& per_year) {
    return target + "[tables.partners]\ntitle = \"partners\"\ncolumns = [ { heading = \"partners\", agent = \"A\", "
                    "measure = \"dialogue\", count_above = " + level + ", per_year = \"" + per_year + "\", digits = 1 } ]\n";
  };
  // Above 0.3: 2 and 1 partners, mean 1.5; above 0.45: 1 and 1.
  fixture.report.targets = cal::load_targets(write_file("count_low.toml", table("0.3", "year_end")));
  CHECK(cal::format(fixture.report).find("\n  2011       1.5\n") != std::string::npos);
  fixture.report.targets = cal::load_targets(write_file("count_high.toml", table("0.45", "year_end")));
  CHECK(cal::format(fixture.report).find("\n  2011       1.0\n") != std::string::npos);
  // A count is taken at the end of the year only.
  CHECK(load_errors(write_file("count_mean.toml", table("0.3", "mean"))).find("expected \"year_end\"") != std::string::npos);
}
