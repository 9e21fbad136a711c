// The sweep plan, runs and journal in the library: seeds (common random numbers), run records
// that reproduce `policysim run` (with the firm metrics when the scenario has firms), journal
// records that survive a round trip and are refused when damaged or from another spec.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <set>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/run.hpp"
#include "sim/measures/measure.hpp"
#include "sim/sweep/journal.hpp"
#include "sim/sweep/plan.hpp"
#include "sim/sweep/runner.hpp"
#include "tests/support/scenario_files.hpp"

namespace fs = std::filesystem;
using namespace policysim;
using namespace policysim::sweep;
using policysim::testing::kMinimalScenario;
using policysim::testing::ScenarioFolder;

namespace {

std::string sweep_file(bool common_random_numbers, const std::string& extra = "") {
  return std::string("extends = \"base.toml\"\n[sweep]\ndesign = \"grid\"\nreplicates = 3\nseed = 5\n") +
         "common_random_numbers = " + (common_random_numbers ? "true" : "false") + "\n" + extra +
         "[sweep.parameters]\ngovernments.ISR.china_ties = { values = [0.1, 0.5, 0.9] }\n"
         "events.abe_exit.period = { values = [\"2012Q3\", \"2013Q2\"] }\n";
}

// Keeps every world of a run, to read measures off afterwards.
class WorldsObserver : public RunObserver {
 public:
  void on_state(const World& world, std::span<const Milestone>) override { rows.push_back(world); }
  std::vector<World> rows;
};

// The density, mean strength and ties (row-major) of `layer` in `world`, by the hand formulas of
// docs/model.md (present: strictly above the presence threshold, agent != partner).
struct LayerByHand {
  double density = 0.0, mean_strength = 0.0;
};
LayerByHand layer_by_hand(const Scenario& scenario, const World& world, Layer layer) {
  const TieMatrix& ties = world.layer(layer);
  const double threshold = scenario.layer_dynamics[index_of(layer)].presence_threshold;
  const long n = ties.rows();
  double present = 0.0, sum = 0.0;
  for (long i = 0; i < n; ++i)
    for (long j = 0; j < n; ++j)
      if (i != j && ties(i, j) > threshold) {
        present += 1.0;
        sum += ties(i, j);
      }
  return {n > 1 ? present / static_cast<double>(n * (n - 1)) : 0.0, present > 0 ? sum / present : 0.0};
}

}  // namespace

TEST_CASE("sweep plan: one scenario per design point, parameters sorted by key path", "[sweep][plan]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  const auto file = folder.write("sweep.toml", sweep_file(true));
  const SweepPlan plan = plan_sweep(file, {});
  REQUIRE(plan.points() == 6);
  REQUIRE(plan.runs() == 18);
  REQUIRE(plan.spec.parameters.size() == 2);
  CHECK(plan.spec.parameters[0].key == "events.abe_exit.period");  // sorted: events before governments
  CHECK(plan.spec.parameters[0].kind == ParameterKind::String);
  CHECK(plan.spec.parameters[1].kind == ParameterKind::Number);
  // Point 4 = (second period, second China ties value): the grid's last parameter moves fastest.
  const Scenario& point = plan.scenarios.at(4);
  CHECK(point.governments.at(*point.agent_index("ISR")).attribute(GovernmentAttributeId::ChinaTies) == 0.5);
  CHECK(point.events.at(0).period.label() == "2013Q2");
  CHECK(plan.point_of(13) == 4);
  CHECK(plan.replicate_of(13) == 1);
  CHECK(plan.hash.size() == 16);
  CHECK(plan_sweep(file, {}).hash == plan.hash);
  const std::vector<Override> changed = {parse_override("governments.JPN.china_rivalry=0.7")};
  CHECK(plan_sweep(file, changed).hash != plan.hash);  // the base scenario is part of the spec
}

TEST_CASE("sweep runs: common random numbers share a replicate's seed across points, and a run is a plain run",
          "[sweep][runner]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  const SweepPlan crn = plan_sweep(folder.write("crn.toml", sweep_file(true)), {});
  const SweepPlan independent = plan_sweep(folder.write("independent.toml", sweep_file(false)), {});
  std::set<std::uint64_t> crn_seeds, independent_seeds;
  for (std::size_t run = 0; run < crn.runs(); ++run) {
    CHECK(crn.seed_of(run) == crn.seed_of(crn.replicate_of(run)));  // same as at point 0
    crn_seeds.insert(crn.seed_of(run));
    independent_seeds.insert(independent.seed_of(run));
  }
  CHECK(crn_seeds.size() == 3);
  CHECK(independent_seeds.size() == 18);

  // A sweep run equals run_simulation on the point's scenario with the run's seed.
  const std::size_t run = 16;
  const auto record = execute_run(crn, run, nullptr);
  REQUIRE(record);
  CHECK(record->status == "ok");
  CHECK(record->seed == crn.seed_of(run));
  Scenario scenario = crn.scenarios.at(crn.point_of(run));
  scenario.simulation.seed = crn.seed_of(run);
  WorldsObserver observer;
  run_simulation(scenario, observer);
  REQUIRE(record->metrics.size() == 9);
  const std::size_t pairs = scenario.pairs_of_interest.size();
  for (std::size_t t = 0; t < observer.rows.size(); ++t)
    for (Layer layer : kAllLayers) {
      const std::size_t k = index_of(layer);
      const LayerByHand expected = layer_by_hand(scenario, observer.rows[t], layer);
      CHECK(record->metrics[k * 3][t] == Approx(expected.density).margin(1e-15));
      CHECK(record->metrics[k * 3 + 1][t] == Approx(expected.mean_strength).epsilon(1e-12));
      for (std::size_t p = 0; p < pairs; ++p) {
        const AgentPair& pair = scenario.pairs_of_interest[p];
        CHECK(record->metrics[k * 3 + 2][t * pairs + p] ==
              observer.rows[t].layer(layer)(static_cast<long>(pair.a), static_cast<long>(pair.b)));
      }
    }
  // Deterministic; and another replicate (another seed) gives other numbers.
  CHECK(execute_run(crn, run, nullptr)->metrics == record->metrics);
  CHECK(execute_run(crn, run - 1, nullptr)->metrics != record->metrics);

  // A raised stop flag interrupts the run: nothing is recorded.
  const std::atomic<bool> stop{true};
  CHECK_FALSE(execute_run(crn, run, &stop));
}

TEST_CASE("sweep runs: recording ties keeps every k-th row and the last", "[sweep][runner]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);  // 8 steps: rows 0..8
  const SweepPlan plan = plan_sweep(folder.write("ties.toml", sweep_file(true, "record_ties_every = 3\n")), {});
  CHECK(plan.snapshot_steps() == std::vector<int>{0, 3, 6, 8});
  const auto record = execute_run(plan, 2, nullptr);
  REQUIRE(record);
  REQUIRE(record->ties.size() == kLayerCount);
  const std::size_t n = plan.base.agent_count();
  CHECK(record->ties[0].size() == 4 * n * n);
  // The last snapshot's pair of interest equals the recorded pair metric of the last row.
  const AgentPair& pair = plan.base.pairs_of_interest.at(0);
  const double tie = record->ties[0][3 * n * n + pair.a * n + pair.b];
  CHECK(tie == record->metrics[2][8 * plan.base.pairs_of_interest.size()]);
  CHECK_FALSE(std::isnan(tie));
}

TEST_CASE("sweep runs: with firms, the firm metrics follow the government metrics (and the B2B ties by country the "
          "layers' ties), as a plain run has them",
          "[sweep][runner][firms]") {
  const auto file = std::filesystem::path(POLICYSIM_SOURCE_DIR) / "tests" / "sweep" / "firms_sweep.toml";
  const std::vector<Override> shorter = {parse_override("simulation.steps=4")};
  const SweepPlan plan = plan_sweep(file, shorter);
  REQUIRE(plan.records_firms());
  const SweepFileLayout layout = file_layout(plan, "test");
  const std::size_t government = kLayerCount * 3;
  const std::vector<std::string> firm_metrics = {"b2b_cooperation_ties", "b2b_cooperation_mean_weight",
                                                 "b2b_cooperation_mean_degree", "b2b_cooperation_pairs"};
  REQUIRE(layout.metrics.size() == government + firm_metrics.size());
  for (std::size_t i = 0; i < firm_metrics.size(); ++i) {
    CHECK(layout.metrics[government + i].name == firm_metrics[i]);
    CHECK(layout.metrics[government + i].per_pair == (i == 3));
    CHECK_THAT(plan.canonical, Catch::Contains(firm_metrics[i]));  // resume checks them
  }
  CHECK(layout.metrics[government].name == "b2b_cooperation_ties");
  CHECK(layout.metrics.back().name == "b2b_cooperation_pairs");

  // Run 4 (point 1, replicate 1) equals run_simulation of its scenario, row by row.
  const std::size_t run = 4;
  const auto record = execute_run(plan, run, nullptr);
  REQUIRE(record);
  REQUIRE(record->status == "ok");
  REQUIRE(record->metrics.size() == layout.metrics.size());
  class FirmObserver : public RunObserver {
   public:
    void on_state(const World& world, std::span<const Milestone>) override {
      network.push_back(compute_firm_network_metrics(world));
      by_country.push_back(b2b_ties_by_country(world, world.agent_count()));
    }
    std::vector<FirmNetworkMetrics> network;
    std::vector<TieMatrix> by_country;
  } observer;
  const Scenario scenario = plan.scenario_of(run);
  run_simulation(scenario, observer);
  const auto& pairs = scenario.pairs_of_interest;
  REQUIRE(observer.network.size() == 5);
  for (std::size_t t = 0; t < observer.network.size(); ++t) {
    CHECK(record->metrics[government + 0][t] == static_cast<double>(observer.network[t].ties));
    CHECK(record->metrics[government + 1][t] == observer.network[t].mean_weight);
    CHECK(record->metrics[government + 2][t] == observer.network[t].mean_degree);
    for (std::size_t p = 0; p < pairs.size(); ++p)
      CHECK(record->metrics[government + 3][t * pairs.size() + p] ==
            observer.by_country[t](static_cast<long>(pairs[p].a), static_cast<long>(pairs[p].b)));
  }
  CHECK(observer.network.back().ties > 0);
  // record = "ties" (every 4 quarters: rows 0 and 4): the B2B ties by country after the layers.
  REQUIRE(plan.snapshot_steps() == std::vector<int>{0, 4});
  REQUIRE(layout.tie_layers.size() == kLayerCount + 1);
  CHECK(layout.tie_layers.back().name == "b2b_cooperation");
  REQUIRE(record->ties.size() == kLayerCount + 1);
  const std::size_t n = scenario.agent_count();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      CHECK(record->ties[kLayerCount][n * n + i * n + j] == observer.by_country[4](static_cast<long>(i), static_cast<long>(j)));
  // The other point (G2G support 0, the same seed): fewer B2B ties at the end.
  const auto other = execute_run(plan, 1, nullptr);
  REQUIRE(other);
  CHECK(other->seed == record->seed);
  CHECK(other->metrics[government].back() < record->metrics[government].back());

  // Without firms: the government metrics only.
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  const SweepPlan plain = plan_sweep(folder.write("sweep.toml", sweep_file(true)), {});
  CHECK_FALSE(plain.records_firms());
  CHECK(file_layout(plain, "test").metrics.size() == government);
  CHECK(execute_run(plain, 0, nullptr)->metrics.size() == government);
  CHECK_THAT(plain.canonical, !Catch::Contains("b2b_"));
  const SweepPlan plain_ties = plan_sweep(folder.write("ties.toml", sweep_file(true, "record_ties_every = 3\n")), {});
  CHECK(file_layout(plain_ties, "test").tie_layers.size() == kLayerCount);
  CHECK(execute_run(plain_ties, 0, nullptr)->ties.size() == kLayerCount);
}

TEST_CASE("sweep runs: record = [...] records the named measures, in that order, as a plain run has them",
          "[sweep][runner][measures]") {
  ScenarioFolder folder;
  folder.write("base.toml", kMinimalScenario);
  const auto file = folder.write(
      "named.toml", sweep_file(true, "record = [\"dialogue_density\", \"cooperation\", \"dialogues_held\"]\n"));
  const SweepPlan plan = plan_sweep(file, {});
  const SweepFileLayout layout = file_layout(plan, "test");
  REQUIRE(layout.metrics.size() == 3);
  CHECK(layout.metrics[0].name == "dialogue_density");
  CHECK_FALSE(layout.metrics[0].per_pair);
  CHECK(layout.metrics[0].has_presence_threshold);
  CHECK(layout.metrics[1].name == "cooperation_pairs");
  CHECK(layout.metrics[1].per_pair);
  CHECK(layout.metrics[2].name == "dialogues_held_pairs");
  CHECK(layout.metrics[2].units == "dialogues");
  CHECK_THAT(plan.canonical, Catch::Contains("metrics = dialogue_density cooperation_pairs dialogues_held_pairs"));
  CHECK(plan.hash != plan_sweep(folder.write("default.toml", sweep_file(true)), {}).hash);

  // Run 4 against a plain run of its scenario: the density by hand, the cooperation tie of each
  // pair of interest, and the dialogues each pair held in the quarter before each row.
  const std::size_t run = 4;
  const auto record = execute_run(plan, run, nullptr);
  REQUIRE(record);
  REQUIRE(record->status == "ok");
  REQUIRE(record->metrics.size() == 3);
  class Observer : public RunObserver {
   public:
    void on_state(const World& world, std::span<const Milestone> milestones) override {
      worlds.push_back(world);
      step_milestones.emplace_back(milestones.begin(), milestones.end());
    }
    std::vector<World> worlds;
    std::vector<std::vector<Milestone>> step_milestones;
  } observer;
  const Scenario scenario = plan.scenario_of(run);
  run_simulation(scenario, observer);
  const auto& pairs = scenario.pairs_of_interest;
  REQUIRE(!pairs.empty());
  double held = 0.0;
  for (std::size_t t = 0; t < observer.worlds.size(); ++t) {
    const World& world = observer.worlds[t];
    CHECK(record->metrics[0][t] == Approx(layer_by_hand(scenario, world, Layer::Dialogue).density).margin(1e-15));
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      const auto a = pairs[p].a, b = pairs[p].b;
      CHECK(record->metrics[1][t * pairs.size() + p] ==
            world.layer(Layer::Cooperation)(static_cast<long>(a), static_cast<long>(b)));
      double count = 0.0;
      for (const Milestone& milestone : observer.step_milestones[t])
        if (milestone.kind == MilestoneKind::DialogueHeld &&
            ((milestone.agent == a && milestone.partner == b) || (milestone.agent == b && milestone.partner == a)))
          count += 1.0;
      CHECK(record->metrics[2][t * pairs.size() + p] == count);
      held += count;
    }
  }
  CHECK(record->metrics[2][0] == 0.0);  // the initial world follows no step
  CHECK(held > 0.0);                     // the count was tested on dialogues that happened
}

TEST_CASE("sweep journal: records round trip, and damaged or foreign records are refused", "[sweep][journal]") {
  SweepRunRecord record;
  record.run = 12;
  record.point = 4;
  record.replicate = 0;
  record.seed = 123456789;
  record.status = "failed: something \"quoted\"";
  record.wall_seconds = 0.25;
  record.metrics = {{0.1, std::nan(""), -2.5}, {}, {1e300}};
  record.ties = {{1, 2, 3, 4}};
  const std::string bytes = serialize_record(record, "0123456789abcdef");
  const auto back = deserialize_record(bytes, "0123456789abcdef");
  REQUIRE(back);
  CHECK(back->run == 12);
  CHECK(back->point == 4);
  CHECK(back->seed == 123456789);
  CHECK(back->status == record.status);
  CHECK(back->wall_seconds == 0.25);
  CHECK(back->metrics[0][0] == 0.1);
  CHECK(std::isnan(back->metrics[0][1]));
  CHECK(back->metrics[2] == record.metrics[2]);
  CHECK(back->ties == record.ties);
  CHECK_FALSE(deserialize_record(bytes, "fedcba9876543210"));             // another spec
  CHECK_FALSE(deserialize_record(bytes.substr(0, bytes.size() - 1), "0123456789abcdef"));  // truncated
  CHECK_FALSE(deserialize_record(bytes.substr(0, bytes.size() / 2), "0123456789abcdef"));
  CHECK_FALSE(deserialize_record(bytes + "x", "0123456789abcdef"));
  CHECK_FALSE(deserialize_record("", "0123456789abcdef"));
  // Any one flipped bit anywhere (the metric values included) is caught by the checksum.
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      if (deserialize_record(flipped, "0123456789abcdef")) ++accepted;
    }
  CHECK(accepted == 0);
}

TEST_CASE("sweep journal: resume finds whole records, drops damaged ones, refuses another spec", "[sweep][journal]") {
  ScenarioFolder folder;
  const fs::path journal_folder = Journal::folder_for(folder.path() / "out.h5");
  CHECK(journal_folder.filename() == "out.h5.journal");
  SweepRunRecord record;
  record.metrics = {{1.0, 2.0}};
  {
    Journal journal(journal_folder, "spec one\n", "aaaaaaaaaaaaaaaa", false);
    for (std::size_t run : {0u, 3u}) {
      record.run = run;
      journal.write(record);
    }
    CHECK(journal.read(3).run == 3);
    CHECK_THROWS_WITH(journal.read(1), Catch::Contains("run 1"));
    // A second sweep on the same journal is refused while this one holds it.
    CHECK_THROWS_AS(Journal(journal_folder, "spec one\n", "aaaaaaaaaaaaaaaa", true), SweepInputError);
  }
  std::ofstream(journal_folder / "run-000000002.bin") << "half a record";  // a damaged record
  std::ofstream(journal_folder / ".run-000000001.bin.tmp-1-2") << "an interrupted write";
  CHECK_THROWS_WITH(Journal(journal_folder, "spec one\n", "aaaaaaaaaaaaaaaa", false),
                    Catch::Contains("continue that sweep with --resume"));
  CHECK_THROWS_WITH(Journal(journal_folder, "spec two\n", "bbbbbbbbbbbbbbbb", true),
                    Catch::Contains("first difference at line 1 of spec.txt: the journal has `spec one`, this sweep has "
                                    "`spec two`"));
  Journal resumed(journal_folder, "spec one\n", "aaaaaaaaaaaaaaaa", true);
  CHECK(resumed.dropped() == 1);
  CHECK(resumed.finished(5) == std::vector<std::uint8_t>{1, 0, 0, 1, 0});
  CHECK_FALSE(fs::exists(journal_folder / ".run-000000001.bin.tmp-1-2"));
  resumed.remove();
  CHECK_FALSE(fs::exists(journal_folder));
}
