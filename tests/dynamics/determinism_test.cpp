// Results must not depend on the thread count or on the agents' slots, and a what-if that adds an
// event must draw the same random numbers as its baseline (common random numbers): every draw is
// keyed by (seed, step, purpose, stable ids), never by thread or array slot.
#include <catch2/catch.hpp>

#include <omp.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "sim/dynamics/step.hpp"
#include "tests/support/scenario_builder.hpp"

using namespace policysim;
using policysim::testing::ScenarioBuilder;
using policysim::testing::slot_of;

namespace {

constexpr int kAgents = 60;
constexpr int kSteps = 20;

std::vector<std::string> codes(int count) {
  std::vector<std::string> result;
  for (int i = 0; i < count; ++i)
    result.push_back(std::string{static_cast<char>('A' + i / 26), static_cast<char>('A' + i % 26), 'X'});
  return result;
}

// 60 governments with random attributes, leaders, rapport and ties; every effect in use, noise on
// every layer, and a few events of each kind. The attribute values need not be portable: the tests
// compare runs with each other, never with fixed numbers.
ScenarioBuilder large_world(std::uint64_t seed) {
  const std::vector<std::string> all = codes(kAgents);
  ScenarioBuilder builder(all);
  std::mt19937_64 engine(12345);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  builder.seed(seed).steps(kSteps).threat_persistence(0.8);
  for (const std::string& code : all) {
    builder.leader(code, "leader of " + code)
        .attribute(code, "china_ties", unit(engine))
        .attribute(code, "china_rivalry", unit(engine))
        .attribute(code, "cyber_threat", 0.3 * unit(engine))
        .attribute(code, "bureaucratic_fragmentation", unit(engine));
  }
  for (std::size_t i = 0; i < all.size(); ++i)
    for (std::size_t j = i + 1; j < all.size(); ++j) {
      if (unit(engine) < 0.1) builder.affinity("leader of " + all[i], "leader of " + all[j], unit(engine));
      builder.tie(Layer::Dialogue, all[i], all[j], unit(engine));
      builder.tie(Layer::Cooperation, all[i], all[j], 0.5 * unit(engine));
      if (unit(engine) < 0.7) builder.tie(Layer::Trade, all[i], all[j], 1000.0 * unit(engine));
      if (unit(engine) < 0.7) builder.tie(Layer::Trade, all[j], all[i], 1000.0 * unit(engine));
    }
  builder.dynamics(Layer::Dialogue, {.adjustment_rate = 0.3, .noise_sd = 0.05, .presence_threshold = 0.2})
      .dynamics(Layer::Cooperation, {.adjustment_rate = 0.2, .noise_sd = 0.05, .presence_threshold = 0.2})
      .dynamics(Layer::Trade, {.adjustment_rate = 0.05, .noise_sd = 0.05, .presence_threshold = 10.0})
      .effect(Layer::Dialogue, "density", -0.5)
      .effect(Layer::Dialogue, "leader_affinity", 1.5)
      .effect(Layer::Dialogue, "institutional_memory", 1.0)
      .effect(Layer::Dialogue, "china_friction", -0.8)
      .effect(Layer::Dialogue, "shared_threat", 2.0)
      .effect(Layer::Dialogue, "bureaucratic_friction", -0.5)
      .effect(Layer::Dialogue, "attention_load", -0.05)
      .effect(Layer::Cooperation, "density", -1.0)
      .effect(Layer::Cooperation, "dialogue_spillover", 2.0)
      .effect(Layer::Cooperation, "leader_affinity", 0.5)
      .effect(Layer::Cooperation, "china_friction", -0.8)
      .effect(Layer::Trade, "density", 6.0)  // the equilibrium: log T* = 6 + 0.5 dialogue - 1 friction
      .effect(Layer::Trade, "dialogue_support", 0.5)
      .effect(Layer::Trade, "china_friction", -1.0)
      .event("new_leader", "leadership_change", "2014Q3",
             {{"country", all[3]}, {"leader", std::string("leader of ") + all[7]}})
      .event("port", "china_ties", "2015Q1", {{"country", all[5]}, {"level", 0.95}})
      .event("attack", "cyber_incident", "2015Q2", {{"country", all[11]}, {"severity", 0.7}});
  return builder;
}

bool same_world(const World& a, const World& b) { return a == b; }  // every member (World's equality)

World run(const Scenario& scenario, int threads) {
  const int before = omp_get_max_threads();
  omp_set_num_threads(threads);
  Simulation simulation(scenario);
  while (!simulation.finished()) simulation.step();
  omp_set_num_threads(before);
  return simulation.world();
}

}  // namespace

TEST_CASE("dynamics: the test world's stable ids are distinct", "[dynamics][determinism]") {
  const Scenario scenario = large_world(1).build();
  std::set<std::uint32_t> ids;
  for (const Government& government : scenario.governments) ids.insert(government.stable_id);
  CHECK(ids.size() == static_cast<std::size_t>(kAgents));
}

TEST_CASE("dynamics: 1, 2 and 4 threads give bit-identical worlds", "[dynamics][determinism]") {
  const Scenario scenario = large_world(99).build();
  const World one = run(scenario, 1);
  const World two = run(scenario, 2);
  const World four = run(scenario, 4);
  REQUIRE(one.step == kSteps);
  for (Layer layer : kAllLayers) {
    INFO("layer " << name_of(layer));
    CHECK(one.layer(layer) == two.layer(layer));   // exact, not approximate
    CHECK(one.layer(layer) == four.layer(layer));
    // The run did move the ties (else the comparison would be empty of meaning).
    CHECK_FALSE(one.layer(layer) == scenario.initial_ties[index_of(layer)]);
  }
  CHECK(same_world(one, two));
  CHECK(same_world(one, four));
}

TEST_CASE("dynamics: the same seed gives the same world, another seed another", "[dynamics][determinism]") {
  const Scenario first = large_world(99).build();
  const Scenario again = large_world(99).build();
  const Scenario other = large_world(100).build();
  const World a = run(first, 2), b = run(again, 2), c = run(other, 2);
  CHECK(same_world(a, b));
  for (Layer layer : kAllLayers) {
    INFO("layer " << name_of(layer));
    CHECK_FALSE(a.layer(layer) == c.layer(layer));
  }
  // The seed changes only the shocks, not the exogenous drivers.
  CHECK(a.attribute(GovernmentAttributeId::CyberThreat) == c.attribute(GovernmentAttributeId::CyberThreat));
  CHECK(a.leader == c.leader);
}

TEST_CASE("dynamics: results do not depend on the agents' slots", "[dynamics][determinism]") {
  // The same scenario with the governments listed in reverse order (ties permuted to match):
  // every tie must come out bit-identical, because draws are keyed by stable ids, not slots.
  const Scenario sorted = large_world(5).build();
  Scenario reversed = sorted;
  const auto n = static_cast<Eigen::Index>(sorted.agent_count());
  std::reverse(reversed.governments.begin(), reversed.governments.end());
  for (Layer layer : kAllLayers)
    reversed.initial_ties[index_of(layer)] = sorted.initial_ties[index_of(layer)].reverse();
  const World a = run(sorted, 2), b = run(reversed, 2);
  for (Layer layer : kAllLayers) {
    INFO("layer " << name_of(layer));
    CHECK(a.layer(layer) == b.layer(layer).reverse());
  }
  CHECK(a.attribute(GovernmentAttributeId::CyberThreat) == b.attribute(GovernmentAttributeId::CyberThreat).reverse());
  CHECK(a.attribute(GovernmentAttributeId::ChinaTies) == b.attribute(GovernmentAttributeId::ChinaTies).reverse());
  CHECK(b.layer(Layer::Dialogue)(0, n - 1) == a.layer(Layer::Dialogue)(n - 1, 0));
}

TEST_CASE("dynamics: a what-if with one more event is identical before the event and differs after",
          "[dynamics][determinism][crn]") {
  // The extra event: a cyber_incident on BCX in the 11th quarter (2014Q1 + 10 = 2016Q3, step index 10).
  const Scenario baseline = large_world(42).build();
  const Scenario what_if =
      large_world(42)
          .event("extra", "cyber_incident", "2016Q3", {{"country", std::string("BCX")}, {"severity", 0.9}})
          .build();
  REQUIRE(what_if.events.size() == baseline.events.size() + 1);
  const auto attacked = static_cast<Eigen::Index>(slot_of(baseline, "BCX"));
  Simulation base_run(baseline), what_if_run(what_if);
  for (int step = 0; step < 10; ++step) {
    base_run.step();
    what_if_run.step();
    INFO("after step " << step);
    CHECK(same_world(base_run.world(), what_if_run.world()));
  }
  // Step 10 applies the event: BCX's threat and its dialogue ties change ...
  base_run.step();
  CHECK(what_if_run.step().size() == 1);
  const World& a = base_run.world();
  const World& b = what_if_run.world();
  CHECK(a.attribute(GovernmentAttributeId::CyberThreat)[attacked] < b.attribute(GovernmentAttributeId::CyberThreat)[attacked]);
  CHECK_FALSE(a.layer(Layer::Dialogue).row(attacked) == b.layer(Layer::Dialogue).row(attacked));
  // ... but not the ties of other pairs, nor trade (which runs before dialogue and ignores threat):
  // the shocks of every tie are the baseline's.
  CHECK(a.layer(Layer::Trade) == b.layer(Layer::Trade));
  for (Layer layer : {Layer::Dialogue, Layer::Cooperation}) {
    TieMatrix base = a.layer(layer), changed = b.layer(layer);
    for (TieMatrix* m : {&base, &changed}) {
      m->row(attacked).setZero();
      m->col(attacked).setZero();
    }
    INFO("layer " << name_of(layer));
    CHECK(base == changed);
  }
  // Afterwards the runs stay apart.
  for (int step = 11; step < kSteps; ++step) {
    base_run.step();
    what_if_run.step();
    INFO("after step " << step);
    CHECK_FALSE(same_world(base_run.world(), what_if_run.world()));
  }
  CHECK_FALSE(base_run.world().layer(Layer::Trade) == what_if_run.world().layer(Layer::Trade));
}
