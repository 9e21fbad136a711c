// B2B trade: directed firm flows that carry part of the country trade; the country trade is
// their aggregate plus a non-firm part; named firms; acquisitions merge flows and attributes.
// Known cases by hand where a value can be computed, invariants otherwise.
#include <catch2/catch.hpp>

#include <omp.h>

#include <cmath>
#include <set>

#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/firms/b2b_trade.hpp"
#include "sim/dynamics/random_streams.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/scenario_builder.hpp"
#include "tests/support/start_world.hpp"

using namespace policysim;
using policysim::testing::ScenarioFolder;
using policysim::testing::slot_of;

namespace {

// JPN, ISR and USA with trade among them, firms in each, and B2B trade settings `trade`.
std::string trade_world(const std::string& trade, const std::string& extra = "", int per = 40) {
  std::string text = R"(
[simulation]
start = "2016Q1"
steps = 12
seed = 11
[governments.JPN]
[governments.ISR]
[governments.USA]
[initial_ties.trade]
JPN-ISR = 1000
ISR-JPN = 800
JPN-USA = 60000
USA-JPN = 120000
[layers.trade]
noise_sd = 0.08
[effects.trade]
density = 0.01
)";
  for (const char* country : {"JPN", "ISR", "USA"})
    text += std::string("[firms.populations.") + country + "_ict]\ncountries = [\"" + country +
            "\"]\nsector = \"ict\"\ncount = " + std::to_string(per) +
            "\nsize = { distribution = \"lognormal\", mean_log = 3.0, sd_log = 1.0 }\n";
  text += "[firms.trade]\n" + trade + "\n[effects.b2b_cooperation]\ndensity = -3.0\ng2g_support = 1.0\n" + extra;
  return text;
}

Scenario load_text(const std::string& text) { return testing::load_scenario_text(text); }
std::string refusal(const std::string& text) { return testing::scenario_refusal(text); }


// Country trade minus the firm aggregate, for every directed pair.
TieMatrix non_firm_part(const World& world) { return world.layer(Layer::Trade) - world.firm_trade; }

}  // namespace

TEST_CASE("b2b trade: the starting flows carry firm_share of each country pair's trade, between firms of the two countries",
          "[firms][b2b_trade]") {
  const Scenario scenario = load_text(trade_world("firm_share = 0.25\nbuyers_per_firm = 3"));
  const World world = testing::start_world(scenario);
  const FirmFlows& flows = *world.b2b_trade;
  const FirmTable& firms = *world.firms;
  const auto jpn = static_cast<long>(slot_of(scenario, "JPN")), isr = static_cast<long>(slot_of(scenario, "ISR")),
             usa = static_cast<long>(slot_of(scenario, "USA"));
  REQUIRE(flows.count() > 0);
  // Each firm sells to at most 3 firms in each of the two other countries (duplicates merge).
  CHECK(flows.count() <= 3u * 2u * firms.count());
  CHECK(flows.count() > 2u * firms.count());
  for (std::size_t e = 0; e < flows.count(); ++e) {
    CHECK(firms.country[flows.seller[e]] != firms.country[flows.buyer[e]]);
    CHECK(flows.value[e] > 0.0);
    if (e > 0) CHECK((flows.seller[e - 1] < flows.seller[e] || (flows.seller[e - 1] == flows.seller[e] && flows.buyer[e - 1] < flows.buyer[e])));
  }
  const TieMatrix sums = firm_trade_by_country(firms, flows, scenario.agent_count());
  CHECK(sums(jpn, isr) == Approx(250.0).epsilon(1e-12));
  CHECK(sums(isr, jpn) == Approx(200.0).epsilon(1e-12));
  CHECK(sums(usa, jpn) == Approx(30000.0).epsilon(1e-12));
  // ISR and USA do not trade in this world: no flows between their firms.
  CHECK(sums(isr, usa) == 0.0);
  CHECK(sums(usa, isr) == 0.0);
  // The country layer keeps its total; its firm part is the aggregate.
  CHECK(world.layer(Layer::Trade)(jpn, isr) == 1000.0);
  CHECK(world.firm_trade(jpn, isr) == Approx(250.0).epsilon(1e-12));
}

TEST_CASE("b2b trade: country trade = non-firm part + the sum of firm flows, every step", "[firms][b2b_trade]") {
  const Scenario scenario =
      load_text(trade_world("firm_share = 0.4\ncooperation_growth = 0.05\nopening_rate = 0.5\nnoise_sd = 0.1"));
  Simulation simulation(scenario);
  for (int s = 0; s < 12; ++s) {
    simulation.step();
    const World& world = simulation.world();
    const TieMatrix sums = firm_trade_by_country(*world.firms, *world.b2b_trade, scenario.agent_count());
    CHECK((sums - world.firm_trade).cwiseAbs().maxCoeff() == 0.0);
    CHECK(non_firm_part(world).minCoeff() >= -1e-9);
  }
}

TEST_CASE("b2b trade: without cooperation growth, openings or firm noise, country trade is the firm-less run's",
          "[firms][b2b_trade]") {
  // The flows grow by their country pair's log growth, so the total T = R e^g + F e^g = T e^g: the
  // run must reproduce, to rounding, a run whose trade is all non-firm.
  const Scenario with_firm_trade = load_text(trade_world("firm_share = 0.6"));
  const Scenario without = load_text(trade_world("firm_share = 0.0"));
  Simulation a(with_firm_trade), b(without);
  for (int s = 0; s < 12; ++s) {
    a.step();
    b.step();
  }
  const TieMatrix& x = a.world().layer(Layer::Trade);
  const TieMatrix& y = b.world().layer(Layer::Trade);
  CHECK(((x - y).array().abs() / (1.0 + y.array())).maxCoeff() < 1e-12);
  CHECK(a.world().firm_trade.maxCoeff() > 0.0);
  CHECK(b.world().b2b_trade->count() == 0);
}

TEST_CASE("b2b trade: a flow along a cooperation tie of weight w grows by exp(g + cooperation_growth * w)",
          "[firms][b2b_trade]") {
  const Scenario scenario = load_text(trade_world("firm_share = 0.5\ncooperation_growth = 0.2"));
  Simulation simulation(scenario);
  // Let cooperation ties form, then follow one step by hand.
  for (int s = 0; s < 6; ++s) simulation.step();
  const World before = simulation.world();
  simulation.step();
  const World& after = simulation.world();
  const FirmTable& firms = *before.firms;
  std::size_t with_tie = 0, checked = 0;
  for (std::size_t e = 0; e < before.b2b_trade->count(); ++e) {
    const std::uint32_t seller = before.b2b_trade->seller[e], buyer = before.b2b_trade->buyer[e];
    const double w = before.b2b_cooperation->weight(seller, buyer);
    if (w > 0.0) ++with_tie;
    // The log growth of the pair this step is what the trade phase left in the next world.
    const double g = after.trade_log_growth(static_cast<long>(firms.country[seller]), static_cast<long>(firms.country[buyer]));
    const FirmFlows& next = *after.b2b_trade;
    for (std::size_t k = 0; k < next.count(); ++k)
      if (next.seller[k] == seller && next.buyer[k] == buyer) {
        CHECK(next.value[k] == Approx(before.b2b_trade->value[e] * std::exp(g + 0.2 * w)).epsilon(1e-12));
        ++checked;
      }
  }
  CHECK(checked == before.b2b_trade->count());
  CHECK(with_tie > 0);
}

TEST_CASE("b2b trade: cooperation ties open flows, only across borders and only with opening_rate > 0", "[firms][b2b_trade]") {
  const Scenario closed = load_text(trade_world("firm_share = 0.3"));
  const Scenario open = load_text(trade_world("firm_share = 0.3\nopening_rate = 1.0"));
  Simulation a(closed), b(open);
  // With every tie opening a flow each step, most ties already carry one after the first steps: a
  // flow that exists is never opened again, so the flows stay one per (seller, buyer), in order.
  const auto strictly_sorted = [](const FirmFlows& flows) {
    for (std::size_t e = 1; e < flows.count(); ++e)
      if ((std::uint64_t{flows.seller[e - 1]} << 32 | flows.buyer[e - 1]) >= (std::uint64_t{flows.seller[e]} << 32 | flows.buyer[e]))
        return false;
    return true;
  };
  for (int s = 0; s < 12; ++s) {
    a.step();
    b.step();
    CHECK(strictly_sorted(*b.world().b2b_trade));
  }
  const std::size_t start_flows = testing::start_world(closed).b2b_trade->count();
  CHECK(a.world().b2b_trade->count() == start_flows);
  CHECK(b.world().b2b_trade->count() > start_flows);
  // Every opened flow (not in the starting list) lies along a cooperation tie of some step: its two
  // firms are in different countries that trade.
  const FirmTable& firms = *b.world().firms;
  for (std::size_t e = 0; e < b.world().b2b_trade->count(); ++e)
    CHECK(firms.country[b.world().b2b_trade->seller[e]] != firms.country[b.world().b2b_trade->buyer[e]]);
}

// The opening rule written plainly, one (tie, direction) at a time: a flow opens from seller to buyer
// where the two are active firms of different countries whose pair already trades through firm
// flows, no flow links them that way yet, and the draw keyed by the step and the two firms falls
// within opening_rate x the tie's weight. The step's new flows are exactly those (the phase draws
// the uniforms a batch of ties at a time).
TEST_CASE("b2b trade: a tie opens a flow in a direction exactly when that direction's own draw says so",
          "[firms][b2b_trade]") {
  const Scenario scenario = load_text(trade_world("firm_share = 0.3\nopening_rate = 0.4"));
  const RandomStreams random = RandomStreams::for_run(scenario);
  Simulation simulation(scenario);
  std::size_t opened_total = 0, eligible_total = 0, opened_upward = 0, opened_downward = 0;
  for (int s = 0; s < 6; ++s) {
    const World before = simulation.world();
    simulation.step();
    const FirmTable& firms = *before.firms;
    const FirmFlows& old_flows = *before.b2b_trade;
    std::set<std::uint64_t> old_pairs, trading_countries;
    for (std::size_t e = 0; e < old_flows.count(); ++e) {
      old_pairs.insert(std::uint64_t{old_flows.seller[e]} << 32 | old_flows.buyer[e]);
      const std::uint64_t countries = std::uint64_t{firms.country[old_flows.seller[e]]} << 32 | firms.country[old_flows.buyer[e]];
      trading_countries.insert(countries);
    }
    std::set<std::uint64_t> expected, opened;
    const FirmTies& ties = before.b2b_cooperation->ties();
    for (std::size_t t = 0; t < ties.count(); ++t)
      for (int direction = 0; direction < 2; ++direction) {
        const std::uint32_t seller = direction == 0 ? ties.a[t] : ties.b[t];
        const std::uint32_t buyer = direction == 0 ? ties.b[t] : ties.a[t];
        const std::uint64_t pair = std::uint64_t{seller} << 32 | buyer;
        if (firms.country[seller] == firms.country[buyer] || !firms.is_active(seller) || !firms.is_active(buyer) ||
            trading_countries.count(std::uint64_t{firms.country[seller]} << 32 | firms.country[buyer]) == 0 ||
            old_pairs.count(pair) != 0)
          continue;
        ++eligible_total;
        const double draw = random.uniform(static_cast<std::uint32_t>(before.step), Purpose::FirmTradeOpening,
                                           firm_key(firms, seller), firm_key(firms, buyer));
        if (draw <= scenario.firms.trade.opening_rate * ties.weight[t]) expected.insert(pair);
      }
    const FirmFlows& new_flows = *simulation.world().b2b_trade;
    for (std::size_t e = 0; e < new_flows.count(); ++e) {
      const std::uint64_t pair = std::uint64_t{new_flows.seller[e]} << 32 | new_flows.buyer[e];
      if (old_pairs.count(pair) == 0) {
        opened.insert(pair);
        (new_flows.seller[e] < new_flows.buyer[e] ? opened_upward : opened_downward) += 1;
      }
    }
    CHECK(opened == expected);
    opened_total += opened.size();
  }
  // The rule was put to the test: flows opened in both directions, and some eligible ties drew no flow.
  CHECK(opened_upward > 0);
  CHECK(opened_downward > 0);
  CHECK(opened_total < eligible_total);
}

TEST_CASE("b2b trade: cooperation raises a country pair's trade (B2B -> trade feedback)", "[firms][b2b_trade]") {
  const Scenario flat = load_text(trade_world("firm_share = 0.5"));
  const Scenario boosted = load_text(trade_world("firm_share = 0.5\ncooperation_growth = 0.1\nopening_rate = 0.5"));
  Simulation a(flat), b(boosted);
  for (int s = 0; s < 12; ++s) {
    a.step();
    b.step();
  }
  const auto jpn = static_cast<long>(slot_of(flat, "JPN")), isr = static_cast<long>(slot_of(flat, "ISR"));
  CHECK(b.world().layer(Layer::Trade)(isr, jpn) > a.world().layer(Layer::Trade)(isr, jpn));
  CHECK(b.world().layer(Layer::Trade)(jpn, isr) > a.world().layer(Layer::Trade)(jpn, isr));
  // Same common random numbers: the non-firm part is the same in both runs.
  CHECK(non_firm_part(b.world())(isr, jpn) == Approx(non_firm_part(a.world())(isr, jpn)).epsilon(1e-9));
}

TEST_CASE("b2b trade: flows are the same for 1 and 2 threads", "[firms][b2b_trade][determinism]") {
  const Scenario scenario =
      load_text(trade_world("firm_share = 0.4\ncooperation_growth = 0.05\nopening_rate = 0.5\nnoise_sd = 0.1", "", 150));
  FirmFlows results[2];
  for (int threads : {1, 2}) {
    omp_set_num_threads(threads);
    Simulation simulation(scenario);
    for (int s = 0; s < 12; ++s) simulation.step();
    results[threads - 1] = *simulation.world().b2b_trade;
  }
  omp_set_num_threads(omp_get_num_procs());
  REQUIRE(results[0].count() > 1000);
  CHECK(results[0].seller == results[1].seller);
  CHECK(results[0].buyer == results[1].buyer);
  CHECK(results[0].value == results[1].value);
}

TEST_CASE("b2b trade: named firms are firms of their own, and an acquisition merges flows and attributes",
          "[firms][b2b_trade][acquisition]") {
  const std::string named = R"(
[firms.named.Rakuten]
country = "JPN"
sector = "ict"
size = 50.0
innovation = 0.2
risk_tolerance = 0.1
[firms.named.Viber]
country = "ISR"
sector = "ict"
size = 10.0
innovation = 0.8
risk_tolerance = 0.7
[events.rakuten_buys_viber]
kind = "acquisition"
period = "2016Q3"
buyer = "Rakuten"
target = "Viber"
)";
  const Scenario scenario = load_text(trade_world("firm_share = 0.3", named));
  const World start = testing::start_world(scenario);
  const FirmTable& firms = *start.firms;
  std::uint32_t rakuten = 0, viber = 0;
  for (const FirmPopulation& population : scenario.firms.populations) {
    if (population.name == "Rakuten") CHECK(population.named);
    if (population.name == "JPN_ict") CHECK_FALSE(population.named);
  }
  for (std::uint32_t f = 0; f < firms.count(); ++f) {
    if (firms.population_id[f] == stable_id_of("firms:Rakuten")) rakuten = f;
    if (firms.population_id[f] == stable_id_of("firms:Viber")) viber = f;
  }
  CHECK(firms.count() == 3u * 40u + 2u);
  CHECK(firms.size[rakuten] == 50.0);
  CHECK(firms.innovation[viber] == 0.8);
  CHECK(firms.country[viber] == slot_of(scenario, "ISR"));

  Simulation simulation(scenario);
  for (int s = 0; s < 3; ++s) simulation.step();  // 2016Q1-Q3: the purchase happens in 2016Q3
  const World& after = simulation.world();
  const FirmTable& merged = *after.firms;
  CHECK_FALSE(merged.is_active(viber));
  CHECK(merged.acquired_by[viber] == rakuten);
  CHECK(merged.acquired_step[viber] == 2);
  CHECK(merged.size[rakuten] == 60.0);
  CHECK(merged.innovation[rakuten] == Approx((50.0 * 0.2 + 10.0 * 0.8) / 60.0));
  CHECK(merged.risk_tolerance[rakuten] == Approx((50.0 * 0.1 + 10.0 * 0.7) / 60.0));
  for (std::size_t e = 0; e < after.b2b_trade->count(); ++e) {
    CHECK(after.b2b_trade->seller[e] != viber);
    CHECK(after.b2b_trade->buyer[e] != viber);
  }
  CHECK(after.b2b_cooperation->degree(viber) == 0);
  // The firm part stays the sum of the flows after the merger.
  const TieMatrix sums = firm_trade_by_country(merged, *after.b2b_trade, scenario.agent_count());
  CHECK((sums - after.firm_trade).cwiseAbs().maxCoeff() == 0.0);
}

TEST_CASE("b2b trade and named firms: bad settings are refused with file, key and what was expected",
          "[firms][b2b_trade][scenario]") {
  CHECK_THAT(refusal(trade_world("firm_share = 1.5")),
             Catch::Contains("firms.trade.firm_share") && Catch::Contains("expected a number in [0, 1]"));
  CHECK_THAT(refusal(trade_world("buyers_per_firm = 0")), Catch::Contains("firms.trade.buyers_per_firm") &&
                                                              Catch::Contains("a whole number from 1 to 64"));
  CHECK_THAT(refusal(trade_world("firm_shares = 0.2")),
             Catch::Contains("firms.trade.firm_shares") && Catch::Contains("did you mean \"firm_share\""));
  CHECK_THAT(refusal(trade_world("firm_share = 0.2", "[firms.named.Rakuten]\ncountry = \"JPX\"\nsector = \"ict\"\n")),
             Catch::Contains("firms.named.Rakuten.country") && Catch::Contains("unknown government \"JPX\""));
  CHECK_THAT(refusal(trade_world("firm_share = 0.2", "[firms.named.Rakuten]\ncountry = \"JPN\"\n")),
             Catch::Contains("named firm \"Rakuten\": missing sector"));
  CHECK_THAT(refusal(trade_world("firm_share = 0.2", "[firms.named.JPN_ict]\ncountry = \"JPN\"\nsector = \"ict\"\n")),
             Catch::Contains("both a population and a named firm"));
  CHECK_THAT(refusal(trade_world("firm_share = 0.2", "[firms.named.Rakuten]\ncountry = \"JPN\"\nsector = \"ict\"\ninnovation = 2\n")),
             Catch::Contains("firms.named.Rakuten.innovation"));
}
