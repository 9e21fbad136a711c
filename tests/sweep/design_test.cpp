// Sweep designs: the properties that define each design, checked on the points it makes.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "sim/sweep/design.hpp"
#include "sim/sweep/points.hpp"
#include "sim/sweep/sampling.hpp"
#include "sim/sweep/spec.hpp"

using namespace policysim;
using namespace policysim::sweep;

TEST_CASE("sweep design: a grid is every combination of the levels, the last parameter fastest", "[sweep][design]") {
  const std::vector<std::size_t> levels = {2, 3, 4};
  const auto indices = grid_design(levels);
  REQUIRE(grid_points(levels) == 24);
  REQUIRE(indices.size() == 24 * 3);
  std::set<std::vector<std::size_t>> seen;
  for (std::size_t point = 0; point < 24; ++point) {
    std::vector<std::size_t> row(indices.begin() + static_cast<long>(point * 3), indices.begin() + static_cast<long>(point * 3 + 3));
    for (std::size_t i = 0; i < 3; ++i) CHECK(row[i] < levels[i]);
    seen.insert(row);
  }
  CHECK(seen.size() == 24);  // all distinct, so all combinations
  // As itertools.product: (0,0,0), (0,0,1), ... (0,0,3), (0,1,0), ...
  CHECK(std::vector<std::size_t>(indices.begin(), indices.begin() + 6) == std::vector<std::size_t>{0, 0, 0, 0, 0, 1});
  CHECK(std::vector<std::size_t>(indices.begin() + 12, indices.begin() + 15) == std::vector<std::size_t>{0, 1, 0});
  CHECK(grid_points({}) == 1);
  CHECK(grid_design({}).empty());
}

TEST_CASE("sweep design: a Latin hypercube puts each parameter's values one per stratum", "[sweep][design]") {
  for (std::size_t samples : {1u, 7u, 64u}) {
    const UnitDesign design = latin_hypercube_design(samples, 3, 42);
    REQUIRE(design.points == samples);
    for (std::size_t i = 0; i < 3; ++i) {
      std::set<std::size_t> strata;
      for (std::size_t point = 0; point < samples; ++point) {
        const double u = design.at(point, i);
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        strata.insert(static_cast<std::size_t>(std::floor(u * static_cast<double>(samples))));
      }
      CHECK(strata.size() == samples);  // n distinct strata among n points: one per stratum
      CHECK(*strata.rbegin() == samples - 1);
    }
  }
  // Reproducible from the seed, and another seed gives another design.
  CHECK(latin_hypercube_design(16, 2, 5).unit == latin_hypercube_design(16, 2, 5).unit);
  CHECK(latin_hypercube_design(16, 2, 5).unit != latin_hypercube_design(16, 2, 6).unit);
  // The columns are not the same permutation.
  const UnitDesign design = latin_hypercube_design(32, 2, 1);
  bool columns_differ = false;
  for (std::size_t point = 0; point < 32; ++point)
    columns_differ |= std::floor(design.at(point, 0) * 32) != std::floor(design.at(point, 1) * 32);
  CHECK(columns_differ);
}

TEST_CASE("sweep design: random points are uniform in (0, 1) and reproducible", "[sweep][design]") {
  const UnitDesign design = random_design(2000, 2, 9);
  double sum = 0;
  for (double u : design.unit) {
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  CHECK(sum / 4000.0 == Approx(0.5).margin(0.03));
  CHECK(random_design(10, 2, 9).unit == std::vector<double>(design.unit.begin(), design.unit.begin() + 20));
}

TEST_CASE("sweep design: Morris trajectories move one parameter by delta per step", "[sweep][design]") {
  const std::size_t r = 6, k = 4, p = 4;
  const UnitDesign design = morris_design(r, k, p, 3);
  REQUIRE(design.points == r * (k + 1));
  const double delta = morris_delta(p);
  CHECK(delta == Approx(4.0 / 6.0));
  for (std::size_t t = 0; t < r; ++t) {
    std::set<std::int64_t> moved;
    const std::size_t first = t * (k + 1);
    CHECK(design.morris_trajectory[first] == static_cast<std::int64_t>(t));
    CHECK(design.morris_changed[first] == -1);
    for (std::size_t step = 1; step <= k; ++step) {
      const std::size_t point = first + step;
      CHECK(design.morris_trajectory[point] == static_cast<std::int64_t>(t));
      std::vector<std::size_t> differing;
      for (std::size_t i = 0; i < k; ++i)
        if (design.at(point, i) != design.at(point - 1, i)) differing.push_back(i);
      REQUIRE(differing.size() == 1);  // exactly one parameter changes
      const std::size_t i = differing[0];
      CHECK(std::fabs(design.at(point, i) - design.at(point - 1, i)) == Approx(delta).margin(1e-12));
      CHECK(design.morris_changed[point] == static_cast<std::int64_t>(i));
      moved.insert(design.morris_changed[point]);
    }
    CHECK(moved.size() == k);  // each parameter once per trajectory
  }
  // Every coordinate sits on the p-level grid {0, 1/3, 2/3, 1}.
  for (double u : design.unit) CHECK(std::fabs(u * 3 - std::round(u * 3)) < 1e-12);
  CHECK_THROWS(morris_design(2, 2, 3, 1));  // odd levels
}

TEST_CASE("sweep design: Saltelli blocks are A, B, then AB_i = A with column i from B", "[sweep][design]") {
  const std::size_t n = 5, k = 3;
  const UnitDesign design = saltelli_design(n, k, 11);
  REQUIRE(design.points == n * (k + 2));
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t a = j * (k + 2), b = a + 1;
    CHECK(design.saltelli_block[a] == kSaltelliBlockA);
    CHECK(design.saltelli_block[b] == kSaltelliBlockB);
    for (std::size_t i = 0; i < k; ++i) {
      CHECK(design.at(a, i) != design.at(b, i));  // independent matrices
      const std::size_t ab = a + 2 + i;
      CHECK(design.saltelli_block[ab] == static_cast<std::int64_t>(i));
      CHECK(design.saltelli_sample[ab] == static_cast<std::int64_t>(j));
      for (std::size_t c = 0; c < k; ++c) CHECK(design.at(ab, c) == (c == i ? design.at(b, c) : design.at(a, c)));
    }
  }
}

TEST_CASE("sweep design: unit coordinates map to ranges, whole numbers and lists", "[sweep][design]") {
  SweepParameter number;
  number.has_range = true;
  number.low = 0.2;
  number.high = 0.6;
  CHECK(std::get<double>(number.at_unit(0.0)) == 0.2);
  CHECK(std::get<double>(number.at_unit(0.5)) == Approx(0.4));
  CHECK(std::get<double>(number.at_unit(1.0)) == 0.6);
  number.levels = 5;
  const auto grid = number.grid_values();
  REQUIRE(grid.size() == 5);
  CHECK(std::get<double>(grid.front()) == 0.2);
  CHECK(std::get<double>(grid[2]) == Approx(0.4));
  CHECK(std::get<double>(grid.back()) == 0.6);

  SweepParameter whole;
  whole.kind = ParameterKind::Integer;
  whole.has_range = true;
  whole.low = 2;
  whole.high = 5;  // four values, four equal strata of [0, 1]
  CHECK(std::get<std::int64_t>(whole.at_unit(0.0)) == 2);
  CHECK(std::get<std::int64_t>(whole.at_unit(0.2499)) == 2);
  CHECK(std::get<std::int64_t>(whole.at_unit(0.25)) == 3);
  CHECK(std::get<std::int64_t>(whole.at_unit(0.99)) == 5);
  CHECK(std::get<std::int64_t>(whole.at_unit(1.0)) == 5);
  CHECK(whole.grid_values().size() == 4);

  SweepParameter list;
  list.kind = ParameterKind::String;
  list.values = {std::string("2019Q1"), std::string("2020Q3"), std::string("2022Q1")};
  CHECK(std::get<std::string>(list.at_unit(0.1)) == "2019Q1");
  CHECK(std::get<std::string>(list.at_unit(0.5)) == "2020Q3");
  CHECK(std::get<std::string>(list.at_unit(1.0)) == "2022Q1");
}

TEST_CASE("sweep design: a design written as CSV reads back to the same values", "[sweep][design]") {
  SweepSpec spec;
  spec.design = DesignKind::Random;
  spec.samples = 9;
  spec.seed = 4;
  SweepParameter a;
  a.key = "governments.ISR.china_ties";
  a.has_range = true;
  a.low = 0.1;
  a.high = 0.9;
  SweepParameter b;
  b.key = "events.abe_exit.leader";
  b.kind = ParameterKind::String;
  b.values = {std::string("Suga"), std::string("Kishida, \"F.\"")};  // a comma and quotes survive
  SweepParameter c;
  c.key = "x.flag";
  c.kind = ParameterKind::Boolean;
  c.values = {true, false};
  SweepParameter d;
  d.key = "simulation.whole";
  d.kind = ParameterKind::Integer;
  d.has_range = true;
  d.low = -3;
  d.high = 40;
  spec.parameters = {a, b, c, d};
  const Document no_scenario;
  std::vector<ScenarioIssue> issues;
  const SweepDesign design = make_design(spec, no_scenario, issues);
  REQUIRE(issues.empty());
  REQUIRE(design.points == 9);

  const std::string csv = write_points_csv(spec, design);
  SweepSpec reread = spec;
  reread.design = DesignKind::File;
  const SweepDesign back = read_points_csv(csv, "points.csv", reread, no_scenario, issues);
  INFO(csv);
  REQUIRE(issues.empty());
  REQUIRE(back.points == design.points);
  CHECK(back.values == design.values);  // doubles compared exactly: the text is the shortest round trip

  // Columns in another order, comments and blank lines are fine.
  std::vector<ScenarioIssue> more;
  const std::string shuffled =
      "# made elsewhere\nx.flag, simulation.whole,events.abe_exit.leader ,governments.ISR.china_ties\n\n"
      "true,3,Suga,0.25\nFALSE,40,\"Kishida, \"\"F.\"\"\",0.5\n";
  const SweepDesign two = read_points_csv(shuffled, "p.csv", reread, no_scenario, more);
  REQUIRE(more.empty());
  REQUIRE(two.points == 2);
  CHECK(std::get<double>(two.values[0][1]) == 0.5);
  CHECK(std::get<std::string>(two.values[1][1]) == "Kishida, \"F.\"");
  CHECK(std::get<bool>(two.values[2][1]) == false);
  CHECK(std::get<std::int64_t>(two.values[3][0]) == 3);
}

TEST_CASE("sweep seeds: common random numbers give replicate r one seed at every point", "[sweep][seeds]") {
  for (std::uint64_t replicate = 0; replicate < 4; ++replicate) {
    const auto seed = run_seed(1, 0, replicate, true);
    for (std::uint64_t point = 1; point < 20; ++point) CHECK(run_seed(1, point, replicate, true) == seed);
    CHECK(seed < (std::uint64_t{1} << 63));  // fits simulation.seed (a TOML integer)
  }
  CHECK(run_seed(1, 0, 0, true) != run_seed(1, 0, 1, true));
  CHECK(run_seed(1, 0, 0, true) != run_seed(2, 0, 0, true));
  // Independent streams: every (point, replicate) its own seed.
  std::set<std::uint64_t> seeds;
  for (std::uint64_t point = 0; point < 20; ++point)
    for (std::uint64_t replicate = 0; replicate < 5; ++replicate) seeds.insert(run_seed(1, point, replicate, false));
  CHECK(seeds.size() == 100);
}
