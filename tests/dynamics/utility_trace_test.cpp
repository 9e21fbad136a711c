// The utility trace behind `policysim explain` (sim/dynamics/utility_trace.hpp): its terms are the
// utility the dynamics used, checked against the dynamics themselves. A run without a trace gives
// the ties; the trace's contributions, summed, put through the step's own update rule with the
// run's own shock, must give those ties again, at every step and exactly. And a trace changes
// nothing in the run it watches.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/run.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/dynamics/utility_trace.hpp"
#include "sim/scenario/load.hpp"

using namespace policysim;

namespace {

const std::string kSmallWorld = std::string(POLICYSIM_SOURCE_DIR) + "/tests/scenario/fixtures/small_world.toml";

// The small world over 24 quarters (2010Q1 to 2015Q4: leaders change, forums and the Viber
// purchase happen), which keeps the test fast.
Scenario small_world() {
  const std::vector<Override> overrides = {{"simulation.steps", "24", "--set"}};
  return load_scenario(kSmallWorld, overrides).scenario;
}

// Keeps every world of a run (row t = after t steps).
class Worlds : public RunObserver {
 public:
  void on_state(const World& world, std::span<const Milestone>) override { worlds.push_back(world); }
  std::vector<World> worlds;
};

Purpose shock_purpose(Layer layer) {
  return layer == Layer::Dialogue ? Purpose::DialogueShock
         : layer == Layer::Cooperation ? Purpose::CooperationShock
                                       : Purpose::TradeShock;
}

double sum_of(const UtilityRecord& record) {
  double sum = 0.0;
  for (const UtilityTerm& term : record.terms) sum += term.coefficient * term.statistic;
  return sum;
}

}  // namespace

TEST_CASE("explain: the traced contributions add up to the utility, and the update rule replays the run's ties",
          "[dynamics][explain]") {
  const Scenario scenario = small_world();
  const std::size_t isr = scenario.agent_index("ISR").value();
  const std::size_t jpn = scenario.agent_index("JPN").value();
  REQUIRE(isr < jpn);  // the mutual layers update the pair as (ISR, JPN)

  Worlds plain;
  run_simulation(scenario, plain);
  REQUIRE(plain.worlds.size() == static_cast<std::size_t>(scenario.simulation.steps) + 1);
  const RandomStreams random = RandomStreams::for_run(scenario);

  for (Layer layer : {Layer::Dialogue, Layer::Cooperation}) {
    DYNAMIC_SECTION(name_of(layer)) {
      UtilityTrace trace(layer, isr, jpn);
      Worlds traced;
      run_simulation(scenario, traced, nullptr, &trace);
      REQUIRE(trace.records.size() == static_cast<std::size_t>(scenario.simulation.steps));
      const LayerDynamics& dynamics = scenario.layer_dynamics[index_of(layer)];
      const auto& terms = scenario.effects[index_of(layer)];
      const std::uint32_t low = std::min(scenario.governments[isr].stable_id, scenario.governments[jpn].stable_id);
      const std::uint32_t high = std::max(scenario.governments[isr].stable_id, scenario.governments[jpn].stable_id);
      int moved = 0;
      for (std::size_t t = 0; t < trace.records.size(); ++t) {
        const UtilityRecord& record = trace.records[t];
        INFO("step " << t << " (" << record.period.label() << ")");
        CHECK(record.step == static_cast<int>(t));
        CHECK(record.period == scenario.simulation.start.plus_quarters(static_cast<int>(t)));
        // One term per effect of the layer, in order, with the scenario's coefficient.
        REQUIRE(record.terms.size() == terms.size());
        for (std::size_t k = 0; k < terms.size(); ++k) {
          CHECK(record.terms[k].effect == terms[k].effect);
          CHECK(record.terms[k].coefficient == terms[k].coefficient);
        }
        const double explained = sum_of(record);
        CHECK(explained == record.utility);
        // The run without a trace: the tie before and after the step, and its shock from the streams.
        const double before = plain.worlds[t].layer(layer)(static_cast<long>(isr), static_cast<long>(jpn));
        const double after = plain.worlds[t + 1].layer(layer)(static_cast<long>(isr), static_cast<long>(jpn));
        const double shock = dynamics.noise_sd * random.normal(static_cast<std::uint32_t>(t), shock_purpose(layer), low, high);
        CHECK(record.tie_before == before);
        CHECK(record.shock == shock);
        CHECK(mutual_tie_update(before, explained, dynamics.adjustment_rate, shock) == after);
        CHECK(record.tie_after == after);
        if (after != before) ++moved;
      }
      CHECK(moved > 0);  // the replay compared ties that move
      // The trace changed nothing: the traced run's worlds are the plain run's, bit for bit.
      REQUIRE(traced.worlds.size() == plain.worlds.size());
      for (std::size_t t = 0; t < plain.worlds.size(); ++t) CHECK(traced.worlds[t] == plain.worlds[t]);
    }
  }
}

TEST_CASE("explain: a traced trade flow's growth is the update rule applied to the traced utility",
          "[dynamics][explain]") {
  const Scenario scenario = small_world();
  const std::size_t jpn = scenario.agent_index("JPN").value();
  const std::size_t isr = scenario.agent_index("ISR").value();
  Worlds plain;
  run_simulation(scenario, plain);
  UtilityTrace trace(Layer::Trade, jpn, isr);  // Japan's exports to Israel
  Worlds traced;
  run_simulation(scenario, traced, nullptr, &trace);
  REQUIRE(trace.records.size() == static_cast<std::size_t>(scenario.simulation.steps));
  const double lambda = scenario.layer_dynamics[index_of(Layer::Trade)].adjustment_rate;
  REQUIRE(lambda > 0.0);
  for (std::size_t t = 0; t < trace.records.size(); ++t) {
    const UtilityRecord& record = trace.records[t];
    INFO("step " << t << " (" << record.period.label() << ")");
    CHECK(record.utility_used);
    CHECK(sum_of(record) == record.utility);
    // The growth the trade phase left in the world (kept for b2b_trade) is the rule on the traced utility.
    const double growth = plain.worlds[t + 1].trade_log_growth(static_cast<long>(jpn), static_cast<long>(isr));
    CHECK(trade_log_growth(record.drift, lambda, sum_of(record), record.tie_before, record.shock) == growth);
    CHECK(traced.worlds[t + 1] == plain.worlds[t + 1]);
  }
}

TEST_CASE("explain: a mutual tie is traced in the order the dynamics update it, and only there", "[dynamics][explain]") {
  const Scenario scenario = small_world();
  const std::size_t isr = scenario.agent_index("ISR").value();
  const std::size_t jpn = scenario.agent_index("JPN").value();
  // A mutual layer updates (smaller slot, larger slot) only: the reversed pair is never computed.
  UtilityTrace reversed(Layer::Cooperation, jpn, isr);
  Worlds worlds;
  run_simulation(scenario, worlds, nullptr, &reversed);
  CHECK(reversed.records.empty());
}
