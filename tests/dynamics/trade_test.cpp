// The trade layer: an error correction towards a gravity equilibrium (docs/model.md, "Trade").
//   g = lambda * (log T* - log T) + sd * eps,  T' = T * e^g,
//   log T* = b0 + b_x log X_i(t) + b_m log M_j(t) + b_d log km_ij + political terms.
// Every expected value is worked out here from that formula, not read from the code under test.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <omp.h>

#include "sim/dynamics/effects/structural.hpp"
#include "sim/dynamics/step.hpp"
#include "tests/support/scenario_builder.hpp"
#include "tests/support/scenario_text.hpp"

using namespace policysim;
using policysim::testing::ScenarioBuilder;
using policysim::testing::slot_of;

namespace {

constexpr double kB0 = -6.0, kBx = 0.9, kBm = 0.8, kBd = -0.7;

// Three countries AAA, BBB, CCC; totals (exports, imports) and distances set by hand, totals
// constant (growth 0), gravity effects with the constants above, noise off.
ScenarioBuilder gravity_world(double lambda) {
  ScenarioBuilder builder({"AAA", "BBB", "CCC"});
  builder.dynamics(Layer::Trade, {.adjustment_rate = lambda, .noise_sd = 0.0})
      .effect(Layer::Trade, "density", kB0)
      .effect(Layer::Trade, "exporter_size", kBx)
      .effect(Layer::Trade, "importer_size", kBm)
      .effect(Layer::Trade, "distance", kBd);
  return builder;
}

// Totals AAA (400000, 300000), BBB (100000, 90000), CCC (50000, 60000); every distance 5000 km.
Scenario with_totals(Scenario scenario) {
  const double exports[] = {400000.0, 100000.0, 50000.0}, imports[] = {300000.0, 90000.0, 60000.0};
  scenario.trade.totals.assign(3, TradeTotals{});
  for (std::size_t k = 0; k < 3; ++k) scenario.trade.totals[k] = {exports[k], imports[k], 0.0, 0.0};
  scenario.trade.distance_km = TieMatrix::Constant(3, 3, 5000.0);
  return scenario;
}

double equilibrium(double exporter_total, double importer_total, double km) {
  return std::exp(kB0 + kBx * std::log(exporter_total) + kBm * std::log(importer_total) + kBd * std::log(km));
}

World one_step(const Scenario& scenario) {
  Simulation simulation(scenario);
  simulation.step();
  return simulation.world();
}

}  // namespace

TEST_CASE("trade: with lambda = 1 a flow jumps to its gravity equilibrium and a larger exporter total gives a larger flow",
          "[dynamics][trade]") {
  const Scenario scenario = with_totals(gravity_world(1.0).tie(Layer::Trade, "AAA", "CCC", 10.0)
                                            .tie(Layer::Trade, "BBB", "CCC", 10.0).build());
  const World world = one_step(scenario);
  const auto a = static_cast<long>(slot_of(scenario, "AAA")), b = static_cast<long>(slot_of(scenario, "BBB")),
             c = static_cast<long>(slot_of(scenario, "CCC"));
  const TieMatrix& trade = world.layer(Layer::Trade);
  CHECK(trade(a, c) == Approx(equilibrium(400000.0, 60000.0, 5000.0)).epsilon(1e-12));
  CHECK(trade(b, c) == Approx(equilibrium(100000.0, 60000.0, 5000.0)).epsilon(1e-12));
  CHECK(trade(a, c) > trade(b, c));  // the same importer and distance, a 4x larger exporter
  // (400000 / 100000)^0.9 = 3.4822...
  CHECK(trade(a, c) / trade(b, c) == Approx(std::pow(4.0, kBx)).epsilon(1e-12));
}

TEST_CASE("trade: a flow below its equilibrium grows, one above it shrinks, by lambda of the log gap (sd = 0)",
          "[dynamics][trade]") {
  const double lambda = 0.25;
  const double star = equilibrium(400000.0, 90000.0, 5000.0);  // AAA -> BBB
  const double low = star / std::exp(2.0), high = star * std::exp(1.0);
  const Scenario scenario = with_totals(gravity_world(lambda).tie(Layer::Trade, "AAA", "BBB", low)
                                            .tie(Layer::Trade, "BBB", "AAA", 1.0).build());
  Scenario above = scenario;
  above.initial_ties[index_of(Layer::Trade)](static_cast<long>(slot_of(scenario, "AAA")),
                                             static_cast<long>(slot_of(scenario, "BBB"))) = high;
  const auto a = static_cast<long>(slot_of(scenario, "AAA")), b = static_cast<long>(slot_of(scenario, "BBB"));
  const World grows = one_step(scenario), shrinks = one_step(above);
  // log T' = log T + 0.25 * (log T* - log T): from 2 below, 1.5 below; from 1 above, 0.75 above.
  CHECK(grows.layer(Layer::Trade)(a, b) == Approx(star / std::exp(1.5)).epsilon(1e-12));
  CHECK(shrinks.layer(Layer::Trade)(a, b) == Approx(star * std::exp(0.75)).epsilon(1e-12));
  CHECK(grows.trade_log_growth(a, b) == Approx(0.5).epsilon(1e-12));
  CHECK(shrinks.trade_log_growth(a, b) == Approx(-0.25).epsilon(1e-12));
}

TEST_CASE("trade: a pair that starts at 0 moves to its equilibrium (no absorbing zero)", "[dynamics][trade]") {
  const Scenario scenario = with_totals(gravity_world(0.2).steps(80).build());
  const auto b = static_cast<long>(slot_of(scenario, "BBB")), c = static_cast<long>(slot_of(scenario, "CCC"));
  REQUIRE(scenario.initial_ties[index_of(Layer::Trade)](b, c) == 0.0);
  Simulation simulation(scenario);
  simulation.step();
  CHECK(simulation.world().layer(Layer::Trade)(b, c) > 0.0);
  while (!simulation.finished()) simulation.step();
  // The log gap from the floor, log(T* / 0.001), shrinks by 0.8 a quarter: 0.8^80 of it is left.
  const double star = equilibrium(100000.0, 60000.0, 5000.0);
  const double gap = std::log(star / 1e-3) * std::pow(0.8, 80);
  CHECK(simulation.world().layer(Layer::Trade)(b, c) == Approx(star * std::exp(-gap)).epsilon(1e-9));
}

TEST_CASE("trade: more dialogue (dialogue_support > 0) raises the equilibrium and China friction (< 0) lowers it",
          "[dynamics][trade]") {
  // lambda = 1: the flow after one step is exp(U). AAA-BBB have dialogue 0.8, AAA-CCC 0.1.
  ScenarioBuilder builder({"AAA", "BBB", "CCC"});
  builder.dynamics(Layer::Trade, {.adjustment_rate = 1.0, .noise_sd = 0.0})
      .effect(Layer::Trade, "density", 5.0)
      .effect(Layer::Trade, "dialogue_support", 0.5)
      .effect(Layer::Trade, "china_friction", -1.0)
      .tie(Layer::Dialogue, "AAA", "BBB", 0.8).tie(Layer::Dialogue, "AAA", "CCC", 0.1)
      .attribute("AAA", "china_rivalry", 0.8).attribute("CCC", "china_ties", 0.5)
      .tie(Layer::Trade, "BBB", "AAA", 100.0).tie(Layer::Trade, "CCC", "AAA", 100.0).tie(Layer::Trade, "BBB", "CCC", 100.0);
  const Scenario scenario = builder.build();
  const World world = one_step(scenario);
  const auto a = static_cast<long>(slot_of(scenario, "AAA")), b = static_cast<long>(slot_of(scenario, "BBB")),
             c = static_cast<long>(slot_of(scenario, "CCC"));
  const TieMatrix& trade = world.layer(Layer::Trade);
  // B->A: 5 + 0.5*0.8; C->A: 5 + 0.5*0.1 - 1 * (0.5*0.8 + 0)/2; B->C: 5 (no dialogue, no friction).
  CHECK(trade(b, a) == Approx(std::exp(5.4)).epsilon(1e-12));
  CHECK(trade(c, a) == Approx(std::exp(5.05 - 0.2)).epsilon(1e-12));
  CHECK(trade(b, c) == Approx(std::exp(5.0)).epsilon(1e-12));
  CHECK(trade(b, a) > trade(b, c));  // dialogue raises trade
  // China friction lowers it: the same run without friction gives C->A = exp(5.05).
  Scenario no_friction = scenario;
  std::erase_if(no_friction.effects[index_of(Layer::Trade)],
                [](const EffectTerm& term) { return spec_of(term).name == "china_friction"; });
  CHECK(one_step(no_friction).layer(Layer::Trade)(c, a) == Approx(std::exp(5.05)).epsilon(1e-12));
  CHECK(trade(c, a) < std::exp(5.05));
}

TEST_CASE("trade: the totals follow their trend, so the equilibrium moves with them", "[dynamics][trade]") {
  // And with lambda = 0 (no pull), a flow follows the equilibrium's drift only: b_x * 0.08 / 4 a quarter.
  {
    Scenario drift_only = with_totals(gravity_world(0.0).start("2010Q1").steps(4).tie(Layer::Trade, "AAA", "CCC", 10.0).build());
    drift_only.trade.totals[slot_of(drift_only, "AAA")].exports_growth = 0.08;
    Simulation simulation(drift_only);
    for (int k = 0; k < 4; ++k) simulation.step();
    CHECK(simulation.world().layer(Layer::Trade)(static_cast<long>(slot_of(drift_only, "AAA")),
                                                 static_cast<long>(slot_of(drift_only, "CCC"))) ==
          Approx(10.0 * std::exp(kBx * 0.08)).epsilon(1e-12));
  }
  // Exporter AAA's total grows 8% a year (log). With lambda = 1 the flow after a step is the
  // equilibrium of the next quarter (the deviation is closed, and the equilibrium's drift over the
  // quarter passed on): after 41 steps from 2010Q1 the world is at 2020Q2, whose middle is
  // 2020.375, 10.875 years after the middle of 2009.
  Scenario scenario = with_totals(gravity_world(1.0).start("2010Q1").steps(41).tie(Layer::Trade, "AAA", "CCC", 10.0).build());
  scenario.trade.totals_year = 2009;
  scenario.trade.totals[slot_of(scenario, "AAA")].exports_growth = 0.08;
  Simulation simulation(scenario);
  for (int k = 0; k < 41; ++k) simulation.step();  // the last step simulates 2020Q1
  const double years = 2020.25 + 0.125 - 2009.5;
  const auto a = static_cast<long>(slot_of(scenario, "AAA")), c = static_cast<long>(slot_of(scenario, "CCC"));
  CHECK(simulation.world().layer(Layer::Trade)(a, c) ==
        Approx(equilibrium(400000.0 * std::exp(0.08 * years), 60000.0, 5000.0)).epsilon(1e-10));
}

TEST_CASE("trade: one and two threads give the same trade phase, shocks and all", "[dynamics][trade][determinism]") {
  // 40 countries (threads engage from 32), random-ish totals and distances, noise on.
  std::vector<std::string> codes;
  for (int k = 0; k < 40; ++k) codes.push_back("T" + std::to_string(10 + k));
  ScenarioBuilder builder(codes);
  builder.seed(99).steps(12)
      .dynamics(Layer::Trade, {.adjustment_rate = 0.1, .noise_sd = 0.1})
      .effect(Layer::Trade, "density", kB0).effect(Layer::Trade, "exporter_size", kBx)
      .effect(Layer::Trade, "importer_size", kBm).effect(Layer::Trade, "distance", kBd);
  Scenario scenario = builder.build();
  scenario.trade.totals.assign(40, TradeTotals{});
  scenario.trade.distance_km = TieMatrix::Zero(40, 40);
  for (long i = 0; i < 40; ++i) {
    scenario.trade.totals[static_cast<std::size_t>(i)] = {1000.0 * static_cast<double>(i + 1), 900.0 * static_cast<double>(41 - i), 0.01, 0.02};
    for (long j = 0; j < 40; ++j) scenario.trade.distance_km(i, j) = 500.0 + 37.0 * static_cast<double>((i * 7 + j * 11) % 97);
    for (long j = 0; j < 40; ++j)
      if (i != j && (i + j) % 3 != 0) scenario.initial_ties[index_of(Layer::Trade)](i, j) = 10.0 + static_cast<double>(i * j);
  }
  auto run = [&](int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    Simulation simulation(scenario);
    while (!simulation.finished()) simulation.step();
    omp_set_num_threads(before);
    return simulation.world();
  };
  const World one = run(1), two = run(2);
  CHECK(one.layer(Layer::Trade) == two.layer(Layer::Trade));
  CHECK(one.trade_log_growth == two.trade_log_growth);
  CHECK(one.layer(Layer::Trade) != scenario.initial_ties[index_of(Layer::Trade)]);  // it moved
}

TEST_CASE("trade: organisations do not trade and their trade_interdependence sums their members' flows",
          "[dynamics][trade]") {
  const std::string world = R"(
[simulation]
start = "2014Q1"
steps = 4
[governments.JPN]
[governments.DEU]
[governments.FRA]
[governments.EU]
kind = "organisation"
trade_bloc = true
[governments.NATO]
kind = "organisation"
[pair_attributes.membership]
DEU-EU = 1
FRA-EU = 1
DEU-NATO = 1
FRA-NATO = 1
[initial_ties.trade]
JPN-DEU = 100
DEU-JPN = 50
JPN-FRA = 30
FRA-JPN = 20
DEU-FRA = 400
[layers.trade]
adjustment_rate = 0.1
noise_sd = 0.05
[effects.trade]
density = 5.0
)";
  const Scenario scenario = testing::load_scenario_text(world);
  const auto eu = static_cast<long>(slot_of(scenario, "EU"));
  Simulation simulation(scenario);
  const World start = simulation.world();
  // JPN with the EU: its members' flows with Japan, 100 + 50 + 30 + 20 (not DEU-FRA, inside the EU).
  CHECK(effects::two_way_trade(scenario, start, slot_of(scenario, "JPN"), slot_of(scenario, "EU")) == 200.0);
  const EffectContext context{scenario, start};
  CHECK(effects::trade_interdependence(context, slot_of(scenario, "JPN"), slot_of(scenario, "EU")) ==
        Approx(std::log10(201.0) / 6.0).epsilon(1e-12));
  // NATO is not a trade bloc: no trade driver, though its members trade.
  CHECK(effects::two_way_trade(scenario, start, slot_of(scenario, "JPN"), slot_of(scenario, "NATO")) == 0.0);
  // The EU with NATO: the members on each side, never a country with itself: NATO has none.
  CHECK(effects::two_way_trade(scenario, start, slot_of(scenario, "EU"), slot_of(scenario, "NATO")) == 0.0);
  while (!simulation.finished()) simulation.step();
  const TieMatrix& trade = simulation.world().layer(Layer::Trade);
  CHECK(trade.row(eu).isZero(0.0));
  CHECK(trade.col(eu).isZero(0.0));
  const auto nato = static_cast<long>(slot_of(scenario, "NATO"));
  CHECK(trade.row(nato).isZero(0.0));
  CHECK(trade.col(nato).isZero(0.0));
  CHECK(trade(static_cast<long>(slot_of(scenario, "DEU")), static_cast<long>(slot_of(scenario, "JPN"))) != 50.0);
  // A trade tie with an organisation is refused.
  std::string with_eu_trade = world;
  with_eu_trade.replace(with_eu_trade.find("DEU-FRA = 400"), 13, "DEU-FRA = 400\nJPN-EU = 5");
  CHECK_THAT(testing::scenario_refusal(with_eu_trade),
             Catch::Contains("organisations do not trade"));
}
