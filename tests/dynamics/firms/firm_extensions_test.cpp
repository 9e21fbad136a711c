// B2B -> G2G feedback, the extra firm effects, partner search beyond uniform draws, and
// the firm-level event kinds. Hand-computed where a value can be, direction tests otherwise.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/dynamics/effects/effect.hpp"
#include "sim/dynamics/firms/b2b_cooperation.hpp"
#include "sim/dynamics/firms/firm_effects.hpp"
#include "sim/dynamics/step.hpp"
#include "sim/scenario/load.hpp"
#include "tests/support/scenario_files.hpp"
#include "tests/support/scenario_text.hpp"
#include "tests/support/b2b_thread_check.hpp"
#include "tests/support/start_world.hpp"

using namespace policysim;
using policysim::testing::check_b2b_ties_same_for_1_and_2_threads;
using policysim::testing::ScenarioFolder;

namespace {

// Three countries; per country a cyber_security and an ict population of `per` firms each.
std::string world_text(int per, const std::string& cooperation, const std::string& effects,
                       const std::string& extra = "") {
  std::string text = R"(
[simulation]
start = "2020Q1"
steps = 12
seed = 5
[governments.JPN]
formality = 0.9
china_rivalry = 1.0
[governments.ISR]
formality = 0.2
china_ties = 0.5
[governments.USA]
formality = 0.5
)";
  for (const char* country : {"JPN", "ISR", "USA"})
    for (const char* sector : {"cyber_security", "ict"})
      text += std::string("[firms.populations.") + country + "_" + sector + "]\ncountries = [\"" + country +
              "\"]\nsector = \"" + sector + "\"\ncount = " + std::to_string(per) + "\n";
  text += "[firms.cooperation]\n" + cooperation + "\n[effects.b2b_cooperation]\n" + effects + "\n" + extra;
  return text;
}

Scenario load_text(const std::string& text) { return testing::load_scenario_text(text); }
std::string refusal(const std::string& text) { return testing::scenario_refusal(text); }

// A world with a hand-made firm table and network (no scenario firms needed by the statistics).
struct HandWorld {
  Scenario scenario;
  World world;
};

HandWorld hand_world(FirmTable firms, FirmTies ties) {
  HandWorld out{load_text(world_text(1, "candidates_per_step = 1", "density = -50")), {}};
  out.world = testing::start_world(out.scenario);
  const auto count = firms.count();
  out.world.firms = std::make_shared<const FirmTable>(std::move(firms));
  out.world.b2b_cooperation = std::make_shared<FirmNetwork>(count, std::move(ties));
  return out;
}

double statistic(const HandWorld& hand, std::string_view name, std::uint32_t i, std::uint32_t j) {
  const FirmEffectSpec* spec = find_firm_effect(name);
  REQUIRE(spec != nullptr);
  return spec->statistic(FirmEffectContext{hand.scenario, hand.world}, i, j);
}

// Countries: 0 JPN, 1 ISR, 2 USA.
FirmTable table(std::vector<std::uint32_t> country, std::vector<Sector> sector) {
  FirmTable firms;
  const auto n = country.size();
  firms.country = std::move(country);
  firms.sector = std::move(sector);
  firms.size.assign(n, 1.0);
  firms.innovation.assign(n, 0.5);
  firms.risk_tolerance.assign(n, 0.5);
  firms.population_id.assign(n, 1);
  for (std::uint32_t k = 0; k < n; ++k) firms.member.push_back(k);
  firms.active.assign(n, 1);
  return firms;
}

}  // namespace

TEST_CASE("firm effects: transitivity, competition, outsourcing, formality, china friction by hand", "[firms]") {
  using enum Sector;
  // 0 JPN finance; 1 JPN manufacturing; 2 USA cyber; 3 ISR cyber; 4 ISR ict; 5 USA ict.
  // Ties: 0-2, 0-4, 1-2, 1-4, 1-5.
  auto hand = hand_world(table({0, 0, 2, 1, 1, 2}, {Finance, Manufacturing, CyberSecurity, CyberSecurity, Ict, Ict}),
                         FirmTies{{0, 0, 1, 1, 1}, {2, 4, 2, 4, 5}, {0.5, 0.5, 0.5, 0.5, 0.5}});
  // Common partners of 0 and 1: {2, 4}.
  CHECK(common_partners(*hand.world.b2b_cooperation, 0, 1) == 2);
  CHECK(statistic(hand, "transitivity", 0, 1) == Approx(std::log(3.0)));
  CHECK(statistic(hand, "transitivity", 0, 3) == 0.0);
  // Candidate 3 (ISR cyber) for firm 0 (JPN): partners 2 (USA cyber: a rival) and 4 (ISR ict): 1/2.
  CHECK(statistic(hand, "competition", 0, 3) == Approx(0.5));
  // Candidate 5 (USA ict) for firm 0: partner 4 is ict from ISR (not USA, not JPN): 1/2.
  CHECK(statistic(hand, "competition", 0, 5) == Approx(0.5));
  // Candidate 3 for firm 1 (partners 2, 4, 5): only 2 is a cyber rival: 1/3.
  CHECK(statistic(hand, "competition", 1, 3) == Approx(1.0 / 3.0));
  CHECK(statistic(hand, "competition", 3, 0) == 0.0);  // no partners
  // Outsourcing: a non-cyber firm and a foreign cyber firm.
  CHECK(statistic(hand, "outsourcing", 0, 3) == 1.0);
  CHECK(statistic(hand, "outsourcing", 3, 0) == 0.0);  // the specialist itself does not outsource
  CHECK(statistic(hand, "outsourcing", 4, 3) == 0.0);  // same country
  // Formality: JPN 0.9, ISR 0.2.
  CHECK(statistic(hand, "formality_distance", 0, 3) == Approx(0.7));
  CHECK(statistic(hand, "formality_distance", 0, 1) == 0.0);
  // China friction: ISR china_ties 0.5, JPN rivalry 1: (0.5 * 1 + 0 * 0) / 2 = 0.25, only when a
  // firm is in cyber_security or ict.
  CHECK(statistic(hand, "china_friction", 0, 3) == Approx(0.25));
  CHECK(statistic(hand, "china_friction", 1, 4) == Approx(0.25));
  CHECK(statistic(hand, "china_friction", 1, 0) == 0.0);  // same country
  auto plain = hand_world(table({0, 1}, {Finance, Manufacturing}), FirmTies{});
  CHECK(statistic(plain, "china_friction", 0, 1) == 0.0);  // neither sensitive
}

TEST_CASE("firm effects: pair attributes set by events (flights, agreements, data adequacy, programmes)", "[firms][events]") {
  const std::string events = R"(
[events.flight]
kind = "direct_flight"
period = "2020Q2"
country = "JPN"
partner = "ISR"
level = 1.0
[events.invest]
kind = "agreement"
period = "2020Q2"
country = "JPN"
partner = "ISR"
type = "investment"
level = 1.0
[events.data]
kind = "agreement"
period = "2020Q2"
country = "JPN"
partner = "USA"
type = "data_adequacy"
level = 1.0
[events.rnd]
kind = "trilateral_program"
period = "2020Q2"
funder = "USA"
countries = ["JPN", "ISR", "USA"]
quarters = 2
)";
  const auto scenario = load_text(world_text(2, "candidates_per_step = 1", "density = -50", events));
  Simulation simulation(scenario);
  // One firm of each country and sector.
  auto stat = [&](std::string_view name, std::uint32_t i, std::uint32_t j) {
    return find_firm_effect(name)->statistic(FirmEffectContext{scenario, simulation.world()}, i, j);
  };
  const FirmTable& firms = *simulation.world().firms;
  auto first = [&](std::uint32_t country, Sector sector) {
    for (std::uint32_t f = 0; f < firms.count(); ++f)
      if (firms.country[f] == country && firms.sector[f] == sector) return f;
    FAIL("no such firm");
    return 0u;
  };
  const auto jpn = static_cast<std::uint32_t>(*scenario.agent_index("JPN"));
  const auto isr = static_cast<std::uint32_t>(*scenario.agent_index("ISR"));
  const auto usa = static_cast<std::uint32_t>(*scenario.agent_index("USA"));
  const auto jpn_cyber = first(jpn, Sector::CyberSecurity), isr_cyber = first(isr, Sector::CyberSecurity);
  const auto usa_ict = first(usa, Sector::Ict), jpn_ict = first(jpn, Sector::Ict);
  CHECK(stat("direct_flight", jpn_cyber, isr_cyber) == 0.0);
  CHECK(stat("trilateral_program", jpn_cyber, isr_cyber) == 0.0);
  simulation.step();  // 2020Q1
  simulation.step();  // 2020Q2: the events apply at its start
  CHECK(stat("direct_flight", jpn_cyber, isr_cyber) == 1.0);
  CHECK(stat("direct_flight", jpn_cyber, usa_ict) == 0.0);
  CHECK(stat("direct_flight", jpn_cyber, jpn_ict) == 0.0);  // within a country
  CHECK(stat("agreement", jpn_cyber, isr_cyber) == 1.0);
  CHECK(stat("data_adequacy", jpn_ict, usa_ict) == 1.0);
  CHECK(stat("data_adequacy", jpn_ict, isr_cyber) == 0.0);
  // The programme ran in 2020Q2 (step 1) and 2020Q3 (step 2); the world now stands at step 2.
  CHECK(stat("trilateral_program", jpn_cyber, isr_cyber) == 1.0);
  CHECK(stat("trilateral_program", jpn_cyber, usa_ict) == 1.0);
  CHECK(stat("trilateral_program", jpn_cyber, jpn_ict) == 0.0);
  simulation.step();
  CHECK(stat("trilateral_program", jpn_cyber, isr_cyber) == 0.0);  // ended after two quarters
  // The government effect `agreement` reads the same attributes: max of the three.
  const EffectSpec* agreement = find_effect("agreement");
  REQUIRE(agreement != nullptr);
  CHECK(agreement->statistic(EffectContext{scenario, simulation.world()}, jpn, isr) == 1.0);
  CHECK(agreement->statistic(EffectContext{scenario, simulation.world()}, jpn, usa) == 1.0);
  CHECK(agreement->statistic(EffectContext{scenario, simulation.world()}, isr, usa) == 0.0);
}

TEST_CASE("B2B -> G2G: country aggregate of B2B ties and the b2b_ties government effect", "[firms]") {
  const std::string g2g = R"(
[layers.dialogue]
adjustment_rate = 0.5
[effects.dialogue]
density = -2.0
b2b_ties = BETA
)";
  auto with_beta = [&](const std::string& beta) {
    std::string extra = g2g;
    extra.replace(extra.find("BETA"), 4, beta);
    return load_text(world_text(30, "candidates_per_step = 5", "density = 0.0\nsame_country = -3.0", extra));
  };
  const Scenario off = with_beta("0.0");
  const Scenario on = with_beta("2.0");
  Simulation a(off), b(on);
  for (int s = 0; s < 6; ++s) {
    a.step();
    b.step();
  }
  // The aggregate is the count of B2B ties by country pair, from the end of the last B2B phase.
  const TieMatrix counts = b2b_ties_by_country(b.world(), 3);
  CHECK(*b.world().b2b_country_ties == counts);
  REQUIRE(counts(0, 1) > 10.0);
  // Hand: the statistic is the share of the two countries' firms with a partner in the other country.
  const FirmTable& firms = *b.world().firms;
  // The run reads no partner lists (its network has none): the same ties, with them.
  const FirmNetwork listed(firms.count(), b.world().b2b_cooperation->ties());
  double networked = 0.0, total = 0.0;
  for (std::uint32_t f = 0; f < firms.count(); ++f) {
    if (firms.country[f] != 0 && firms.country[f] != 1) continue;
    total += 1.0;
    for (std::uint32_t g : listed.neighbours(f))
      if (firms.country[g] == 1 - firms.country[f]) {
        networked += 1.0;
        break;
      }
  }
  const EffectSpec* spec = find_effect("b2b_ties");
  REQUIRE(spec != nullptr);
  REQUIRE(networked > 0.0);
  CHECK(spec->statistic(EffectContext{on, b.world()}, 0, 1) == Approx(networked / total).epsilon(1e-12));
  CHECK(*b.world().b2b_networked_share == b2b_networked_share(b.world(), 3));
  // Direction: the same firms (the firm layer does not read dialogue here), more G2G dialogue.
  CHECK(a.world().b2b_cooperation->ties().a == b.world().b2b_cooperation->ties().a);
  CHECK(b.world().layer(Layer::Dialogue)(0, 1) > a.world().layer(Layer::Dialogue)(0, 1) + 0.01);
}

TEST_CASE("partner search: partners of partners close triangles", "[firms]") {
  // Only pairs with a common partner can form after the first quarter (density -8, transitivity +20);
  // the first quarter's ties come from the high density of a one-off matchmaking pool.
  auto triangles_after = [&](int network) {
    const auto scenario = load_text(world_text(
        40, "candidates_per_step = 2\nevent_candidates = 3\nnetwork_candidates = " + std::to_string(network),
        "density = -8.0\ntransitivity = 20.0\ntrilateral_program = 9.0", R"(
[events.kickoff]
kind = "trilateral_program"
period = "2020Q1"
funder = "USA"
countries = ["JPN", "ISR", "USA"]
quarters = 1
)"));
    Simulation simulation(scenario);
    simulation.step();
    const std::size_t first = simulation.world().b2b_cooperation->ties().count();
    for (int s = 0; s < 3; ++s) simulation.step();
    return simulation.world().b2b_cooperation->ties().count() - first;
  };
  const auto without = triangles_after(0);
  const auto with = triangles_after(8);
  CHECK(with > 3 * (without + 5));
}

TEST_CASE("partner search: a matchmaking pool brings its firms together in its quarter only", "[firms][events]") {
  const std::string event = R"(
[events.jiin]
kind = "matchmaking"
period = "2020Q3"
countries = ["JPN", "ISR"]
sectors = ["cyber_security"]
firms = 30
)";
  const auto scenario = load_text(world_text(100, "candidates_per_step = 1\nevent_candidates = 40",
                                             "density = -3.0", event));
  Simulation simulation(scenario);
  const FirmTable& firms = *simulation.world().firms;
  const auto jpn = *scenario.agent_index("JPN"), isr = *scenario.agent_index("ISR");
  auto in_pool_countries = [&](std::uint32_t f) { return firms.country[f] == jpn || firms.country[f] == isr; };
  auto pool_ties = [&]() {
    std::size_t count = 0;
    const FirmTies& ties = simulation.world().b2b_cooperation->ties();
    for (std::size_t e = 0; e < ties.count(); ++e) {
      const auto a = ties.a[e], b = ties.b[e];
      if (firms.sector[a] == Sector::CyberSecurity && firms.sector[b] == Sector::CyberSecurity &&
          in_pool_countries(a) && in_pool_countries(b))
        ++count;
    }
    return count;
  };
  std::vector<std::size_t> gained;
  for (int s = 0; s < 4; ++s) {
    const std::size_t before = pool_ties();
    simulation.step();
    gained.push_back(pool_ties() - before);
  }
  // In 2020Q3 about 30 firms x 40 pool candidates x logistic(-3) = 0.047: some 50 ties among the
  // pool's kind of firms; in other quarters only uniform candidates reach them: about
  // 200 x 1 x 200/600 x 0.047 = 3.
  CHECK(gained[2] > 25);
  CHECK(gained[2] > 3 * std::max({gained[0], gained[1], gained[3]}));
}

TEST_CASE("acquisition: the largest buyer takes over a target's ties, the target leaves", "[firms][events]") {
  const std::string event = R"(
[events.rakuten_viber]
kind = "acquisition"
period = "2020Q3"
buyer = "JPN_ict"
target = "ISR_cyber_security"
)";
  auto scenario = load_text(world_text(20, "candidates_per_step = 3", "density = 0.0", event) +
                            "");
  Simulation simulation(scenario);
  simulation.step();
  simulation.step();
  const World before = simulation.world();
  const auto applied = simulation.step();
  REQUIRE(applied.size() == 1);
  const FirmTable& firms = *simulation.world().firms;
  std::uint32_t target = 0;
  std::size_t inactive = 0;
  for (std::uint32_t f = 0; f < firms.count(); ++f)
    if (!firms.is_active(f)) {
      target = f;
      ++inactive;
    }
  REQUIRE(inactive == 1);
  CHECK(firms.country[target] == *scenario.agent_index("ISR"));
  CHECK(firms.sector[target] == Sector::CyberSecurity);
  CHECK(simulation.world().b2b_cooperation->degree(target) == 0);
  // The buyer is the largest JPN ict firm (all sizes are 1: the first of the population).
  std::uint32_t buyer = 0;
  while (!(firms.country[buyer] == *scenario.agent_index("JPN") && firms.sector[buyer] == Sector::Ict)) ++buyer;
  // Every partner the target had before the step is the buyer's partner after the merger (the B2B
  // phase of the same quarter may end weak ties: none here, weights start at 0.5 and the threshold is 0.2).
  const FirmNetwork listed(before.b2b_cooperation->firm_count(), before.b2b_cooperation->ties());  // the run keeps no lists
  for (std::uint32_t partner : listed.neighbours(target))
    if (partner != buyer) CHECK(simulation.world().b2b_cooperation->linked(buyer, partner));
  // The target never forms a tie again.
  for (int s = 0; s < 4; ++s) simulation.step();
  CHECK(simulation.world().b2b_cooperation->degree(target) == 0);
}

TEST_CASE("firms: new search paths and events are identical for 1 and 2 threads", "[firms]") {
  const std::string events = R"(
[events.forum]
kind = "business_forum"
period = "2020Q2"
country = "JPN"
partner = "ISR"
[events.jiin]
kind = "matchmaking"
period = "2020Q3"
countries = ["JPN", "ISR", "USA"]
sectors = ["cyber_security", "ict"]
firms = 300
[events.buy]
kind = "acquisition"
period = "2020Q4"
buyer = "JPN_ict"
target = "ISR_cyber_security"
)";
  const auto scenario = load_text(world_text(
      400, "candidates_per_step = 3\nnetwork_candidates = 2\nevent_candidates = 2",
      "density = -2.0\ntransitivity = 1.0\ncompetition = -1.0\noutsourcing = 0.5\nchina_friction = -1.0\n"
      "formality_distance = -0.5\npreferential_attachment = 0.3",
      events));
  check_b2b_ties_same_for_1_and_2_threads(scenario, 8, 1000);
}

TEST_CASE("firm events and search settings: bad input names the key and what was expected", "[firms][scenario]") {
  const std::string base = world_text(2, "candidates_per_step = 1", "density = -1.0");
  CHECK_THAT(refusal(base + "[events.x]\nkind = \"acquisition\"\nperiod = \"2020Q2\"\nbuyer = \"JPN_icts\"\ntarget = \"ISR_ict\"\n"),
             Catch::Contains("events.x.buyer: unknown firm population \"JPN_icts\" (did you mean \"JPN_ict\"?)"));
  CHECK_THAT(refusal(base + "[events.x]\nkind = \"matchmaking\"\nperiod = \"2020Q2\"\ncountries = [\"JPN\"]\n"
                            "sectors = [\"cyber\"]\nfirms = 3\n"),
             Catch::Contains("events.x.sectors: unknown sector \"cyber\""));
  CHECK_THAT(refusal(base + "[events.x]\nkind = \"matchmaking\"\nperiod = \"2020Q2\"\ncountries = [\"JPN\", \"JPN\"]\n"
                            "sectors = [\"ict\"]\nfirms = 3\n"),
             Catch::Contains("events.x.countries: \"JPN\" is listed twice"));
  CHECK_THAT(refusal(base + "[events.x]\nkind = \"matchmaking\"\nperiod = \"2020Q2\"\ncountries = [\"JPN\"]\n"
                            "sectors = [\"ict\"]\nfirms = 0\n"),
             Catch::Contains("events.x.firms: expected a whole number >= 1, got the whole number 0"));
  CHECK_THAT(refusal(base + "[events.x]\nkind = \"agreement\"\nperiod = \"2020Q2\"\ncountry = \"JPN\"\npartner = \"ISR\"\n"
                            "type = \"ftaa\"\nlevel = 1.0\n"),
             Catch::Contains("events.x.type: expected one of fta, investment, data_adequacy, got \"ftaa\""));
  CHECK_THAT(refusal(world_text(2, "candidates_per_step = 40\nnetwork_candidates = 30", "density = -1.0")),
             Catch::Contains("expected candidates_per_step + network_candidates + event_candidates <= 64 (now 70)"));
}

// The formation loop's resolved utility (FirmUtility, one switch on packed rows) must give bit for
// bit what firm_utility gives through the catalogue, for every catalogue effect, alone and all
// together, on a world where every statistic takes several values.
TEST_CASE("firm effects: FirmUtility equals firm_utility for every catalogue effect", "[firms]") {
  using enum Sector;
  FirmTable firms = table({0, 0, 2, 1, 1, 2, 0, 1}, {Finance, Manufacturing, CyberSecurity, CyberSecurity, Ict, Ict, Automotive, Ict});
  firms.innovation = {0.1, 0.9, 0.33, 0.7, 0.05, 0.61, 0.42, 0.999};
  firms.risk_tolerance = {0.8, 0.15, 0.5, 0.27, 0.93, 0.01, 0.66, 0.4};
  auto hand = hand_world(std::move(firms), FirmTies{{0, 0, 1, 1, 1, 3}, {2, 4, 2, 4, 5, 7}, {0.5, 0.3, 0.9, 0.5, 0.25, 0.7}});
  const std::vector<std::vector<std::uint32_t>> pools = {{1, 3, 4}, {0, 7}};
  const FirmEffectContext context{hand.scenario, hand.world, &pools};
  const auto& catalogue = firm_effect_catalogue();
  std::vector<FirmEffectTerm> all;
  const auto check_terms = [&](const std::vector<FirmEffectTerm>& terms) {
    const FirmUtility utility(context, terms);
    const FirmRows rows = utility.rows();
    std::vector<std::uint32_t> first, second;
    std::vector<double> expected;
    for (std::uint32_t i = 0; i < 8; ++i)
      for (std::uint32_t j = 0; j < 8; ++j) {
        if (i == j) continue;
        expected.push_back(firm_utility(context, terms, i, j));
        CHECK(utility(rows, i, j) == expected.back());  // exact: the same expressions in the same order
        first.push_back(i);
        second.push_back(j);
      }
    // The whole batch at once (as formation evaluates it), pairs in reverse so that no pair sits
    // where it sat alone; a sentinel past the end must stay untouched.
    std::reverse(first.begin(), first.end());
    std::reverse(second.begin(), second.end());
    std::reverse(expected.begin(), expected.end());
    std::vector<double> batch(expected.size() + 1, -7.25);
    utility.evaluate(rows, first.data(), second.data(), expected.size(), batch.data());
    for (std::size_t d = 0; d < expected.size(); ++d) CHECK(batch[d] == expected[d]);
    CHECK(batch.back() == -7.25);
    // A batch of another length (the row terms run in vector code: its last pairs outside a full vector).
    std::vector<double> shorter(expected.size(), -7.25);
    utility.evaluate(rows, first.data(), second.data(), expected.size() - 3, shorter.data());
    for (std::size_t d = 0; d + 3 < expected.size(); ++d) CHECK(shorter[d] == expected[d]);
    CHECK(shorter[expected.size() - 3] == -7.25);
  };
  for (std::size_t e = 0; e < catalogue.size(); ++e) {
    INFO(catalogue[e].name);
    const FirmEffectTerm term{e, 0.37 * static_cast<double>(e + 1) - 2.1};
    check_terms({term});
    all.push_back(term);
  }
  check_terms(all);
  std::reverse(all.begin(), all.end());
  check_terms(all);
  // Row terms only, several together (the benchmark's), in two orders.
  std::vector<FirmEffectTerm> row_terms;
  for (const char* name : {"density", "complementarity", "cultural_distance", "same_country", "preferential_attachment"})
    row_terms.push_back({*firm_effect_index(name), 0.41 * static_cast<double>(row_terms.size()) - 1.3});
  check_terms(row_terms);
  std::reverse(row_terms.begin(), row_terms.end());
  check_terms(row_terms);
  // The terms FirmUtility looks up by (country, sector) group, several together between others.
  std::vector<FirmEffectTerm> mixed;
  for (const char* name : {"g2g_support", "complementarity", "data_adequacy", "outsourcing", "transitivity", "agreement"})
    mixed.push_back({*firm_effect_index(name), 0.29 * static_cast<double>(mixed.size()) - 0.7});
  check_terms(mixed);
}

// The partner-list terms (transitivity, competition) read each firm's partners once for all its
// candidates, taking a batch's pairs firm by firm (a counting sort over a formation batch's few
// firms, a stable sort over any wider range): on 300 firms with several hundred ties, batches whose
// firms lie close together and batches that span the whole table, with a firm's candidates in two
// runs (as formation lists them) and pairs in no order, give firm_utility's doubles pair for pair.
TEST_CASE("firm effects: the partner-list terms equal firm_utility for batches over few and many firms", "[firms]") {
  std::vector<std::uint32_t> countries;
  std::vector<Sector> sectors;
  const Sector kinds[] = {Sector::Ict, Sector::CyberSecurity, Sector::Finance, Sector::Manufacturing};
  std::uint64_t state = 7;
  const auto next = [&state] {  // test data only (a linear congruential sequence)
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(state >> 33);
  };
  for (std::uint32_t f = 0; f < 300; ++f) {
    countries.push_back(next() % 3);
    sectors.push_back(kinds[next() % 4]);
  }
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  while (pairs.size() < 900) {
    const std::uint32_t i = next() % 300, j = next() % 300;
    if (i != j) pairs.insert({std::min(i, j), std::max(i, j)});
  }
  FirmTies ties;
  for (const auto& [a, b] : pairs) {
    ties.a.push_back(a);
    ties.b.push_back(b);
    ties.weight.push_back(0.5);
  }
  auto hand = hand_world(table(countries, sectors), std::move(ties));
  REQUIRE(hand.world.b2b_cooperation->has_partner_lists());
  const FirmEffectContext context{hand.scenario, hand.world};
  const std::vector<FirmEffectTerm> terms = {{*firm_effect_index("transitivity"), 0.7},
                                             {*firm_effect_index("competition"), -1.3},
                                             {*firm_effect_index("same_country"), 0.4}};
  const FirmUtility utility(context, terms);
  const FirmRows rows = utility.rows();
  const auto check_batch = [&](const std::vector<std::uint32_t>& first, const std::vector<std::uint32_t>& second) {
    std::vector<double> batch(first.size(), -1.0);
    utility.evaluate(rows, first.data(), second.data(), first.size(), batch.data());
    std::size_t differ = 0;
    for (std::size_t d = 0; d < first.size(); ++d)
      differ += batch[d] == firm_utility(context, terms, first[d], second[d]) ? 0 : 1;
    CHECK(differ == 0);
  };
  // A formation batch: firms 64 .. 95, three candidates each, then two more each.
  std::vector<std::uint32_t> first, second;
  for (int part = 0; part < 2; ++part)
    for (std::uint32_t i = 64; i < 96; ++i)
      for (int k = 0; k < 3 - part; ++k) {
        first.push_back(i);
        second.push_back((i + 1 + next() % 299) % 300);
      }
  check_batch(first, second);
  // Pairs of firms all over the table in no order: 200 (a counting sort over the whole table) and 20
  // (too few for one: the stable sort), each batch twice (the marks and counts left as found).
  for (const int count : {200, 20}) {
    first.clear();
    second.clear();
    for (int d = 0; d < count; ++d) {
      const std::uint32_t i = next() % 300;
      first.push_back(i);
      second.push_back((i + 1 + next() % 299) % 300);
      if (d % 4 == 0) {  // now and then a firm's second candidate right after its first
        first.push_back(i);
        second.push_back((i + 1 + next() % 299) % 300);
      }
    }
    check_batch(first, second);
    check_batch(first, second);
  }
}

// An effect marked country_and_sector_only is asked once per pair of (country, sector) groups and
// looked up for every candidate (FirmUtility): it must give the same value to every pair of firms
// of the same countries and sectors. Firms 4 and 7 (country 1, ICT) and firms 2 and 5 (country 2,
// cyber security and ICT: not a group) differ in innovation, risk tolerance, partners and pools.
TEST_CASE("firm effects: the effects looked up by group read only the firms' countries and sectors", "[firms]") {
  using enum Sector;
  FirmTable firms = table({0, 0, 2, 1, 1, 2, 0, 1, 2}, {Finance, Manufacturing, CyberSecurity, CyberSecurity, Ict, Ict, Automotive, Ict, Ict});
  firms.innovation = {0.1, 0.9, 0.33, 0.7, 0.05, 0.61, 0.42, 0.999, 0.2};
  firms.risk_tolerance = {0.8, 0.15, 0.5, 0.27, 0.93, 0.01, 0.66, 0.4, 0.55};
  auto hand = hand_world(std::move(firms), FirmTies{{0, 0, 1, 1, 1, 3}, {2, 4, 2, 4, 5, 7}, {0.5, 0.3, 0.9, 0.5, 0.25, 0.7}});
  const std::vector<std::vector<std::uint32_t>> pools = {{1, 3, 4}, {0, 7}};
  const FirmEffectContext context{hand.scenario, hand.world, &pools};
  const FirmTable& table_of = *hand.world.firms;
  std::size_t marked = 0;
  for (const FirmEffectSpec& spec : firm_effect_catalogue()) {
    if (!spec.country_and_sector_only) continue;
    ++marked;
    INFO(spec.name);
    for (std::uint32_t i = 0; i < 9; ++i)
      for (std::uint32_t j = 0; j < 9; ++j)
        for (std::uint32_t k = 0; k < 9; ++k)
          for (std::uint32_t l = 0; l < 9; ++l)
            if (table_of.country[i] == table_of.country[k] && table_of.sector[i] == table_of.sector[k] &&
                table_of.country[j] == table_of.country[l] && table_of.sector[j] == table_of.sector[l])
              CHECK(spec.statistic(context, i, j) == spec.statistic(context, k, l));
  }
  CHECK(marked == 8);
}

// Preferential attachment reads ln(1 + degree) from a table for common degrees: the same double
// as std::log1p, below, at and above the table's end (a star whose centre has 4,100 partners; the
// leaves have degree 1, one firm none).
// (Through a volatile: GCC folds log1p of a constant at compile time, correctly rounded, which
// glibc's log1p is not always: 1 ulp apart for log1p(2).)
double log1p_at_run_time(std::size_t degree) {
  volatile double x = static_cast<double>(degree);
  return std::log1p(x);
}

TEST_CASE("firm effects: preferential attachment is exactly log1p(degree) at every degree", "[firms]") {
  constexpr std::uint32_t kLeaves = 4100;
  std::vector<std::uint32_t> countries(kLeaves + 2, 0);
  std::vector<Sector> sectors(kLeaves + 2, Sector::Ict);
  FirmTies star;
  for (std::uint32_t leaf = 1; leaf <= kLeaves; ++leaf) {
    star.a.push_back(0);
    star.b.push_back(leaf);
    star.weight.push_back(0.5);
  }
  auto hand = hand_world(table(countries, sectors), std::move(star));
  const FirmEffectContext context{hand.scenario, hand.world, nullptr};
  const auto index = firm_effect_index("preferential_attachment");
  REQUIRE(index.has_value());
  const std::vector<FirmEffectTerm> terms{{*index, 1.0}};
  const FirmUtility utility(context, terms);
  const FirmRows rows = utility.rows();
  const FirmNetwork& network = *hand.world.b2b_cooperation;
  REQUIRE(network.degree(0) == kLeaves);
  for (std::uint32_t f : {0u, 1u, kLeaves, kLeaves + 1}) {
    INFO("firm " << f << ", degree " << network.degree(f));
    const double exact = log1p_at_run_time(network.degree(f));
    CHECK(rows[f].log_degree == exact);
    CHECK(firm_utility(context, terms, f == 0 ? 1 : 0, f) == exact);
  }
  // Every degree of the table's range and past it, through networks of one star each.
  for (const std::uint32_t degree : {0u, 1u, 2u, 54u, 4095u, 4096u, 4097u}) {
    FirmTies ties;
    for (std::uint32_t leaf = 1; leaf <= degree; ++leaf) {
      ties.a.push_back(0);
      ties.b.push_back(leaf);
      ties.weight.push_back(0.5);
    }
    auto world = hand_world(table(std::vector<std::uint32_t>(degree + 2, 0), std::vector<Sector>(degree + 2, Sector::Ict)),
                            std::move(ties));
    const FirmEffectContext star_context{world.scenario, world.world, nullptr};
    INFO("degree " << degree);
    CHECK(FirmUtility(star_context, terms).rows()[0].log_degree == log1p_at_run_time(degree));
  }
}

// The country aggregates (one pass over the CSR lists) against a count over the edge list.
TEST_CASE("firm layer: set_b2b_country_aggregates counts ties and networked firms", "[firms]") {
  using enum Sector;
  FirmTable firms = table({0, 0, 2, 1, 1, 2, 0, 1}, {Finance, Manufacturing, CyberSecurity, CyberSecurity, Ict, Ict, Automotive, Ict});
  firms.active[6] = 0;  // a bought firm: counted in no share (it keeps no ties)
  const FirmTies ties{{0, 0, 1, 1, 1, 3, 4}, {1, 4, 2, 4, 5, 7, 7}, {0.5, 0.3, 0.9, 0.5, 0.25, 0.7, 0.4}};
  auto hand = hand_world(firms, ties);
  set_b2b_country_aggregates(hand.world);
  TieMatrix expected_ties = TieMatrix::Zero(3, 3), networked = TieMatrix::Zero(3, 3);
  std::set<std::pair<std::uint32_t, std::uint32_t>> firm_partner_country;
  for (std::size_t e = 0; e < ties.count(); ++e) {
    const auto a = firms.country[ties.a[e]], b = firms.country[ties.b[e]];
    expected_ties(a, b) += 1.0;
    if (a != b) {
      expected_ties(b, a) += 1.0;
      firm_partner_country.insert({ties.a[e], b});
      firm_partner_country.insert({ties.b[e], a});
    }
  }
  for (const auto& [firm, country] : firm_partner_country) networked(firms.country[firm], country) += 1.0;
  CHECK(*hand.world.b2b_country_ties == expected_ties);
  CHECK(b2b_ties_by_country(hand.world, 3) == expected_ties);
  CHECK(b2b_networked_firms(hand.world, 3) == networked);
  // Active firms: JPN 2 (0, 1), ISR 3, USA 2.
  const double active[3] = {2, 3, 2};
  for (long c = 0; c < 3; ++c)
    for (long d = 0; d < 3; ++d) {
      const double expected = c == d ? 0.0 : (networked(c, d) + networked(d, c)) / (active[c] + active[d]);
      CHECK((*hand.world.b2b_networked_share)(c, d) == expected);
    }
  CHECK(b2b_networked_share(hand.world, 3) == *hand.world.b2b_networked_share);
}

// The B2B phase builds each step's network without the partner lists when nothing in the scenario
// reads them (docs/performance.md, fifteenth round). The same scenario with a reader that changes no
// utility (transitivity at 0) keeps them: the ties, weights, degrees and country aggregates are the
// same, step after step.
TEST_CASE("firms: a step keeps the partner lists only when something reads them, with the same ties either way",
          "[firms]") {
  const std::string effects = "density = -1.5\ncomplementarity = 2.0\npreferential_attachment = 0.5";
  const Scenario unread = load_text(world_text(60, "candidates_per_step = 4", effects));
  const Scenario read = load_text(world_text(60, "candidates_per_step = 4", effects + "\ntransitivity = 0.0"));
  CHECK_FALSE(partner_lists_read(unread, 3));
  CHECK(partner_lists_read(read, 3));
  CHECK(partner_lists_read(load_text(world_text(60, "candidates_per_step = 4\nnetwork_candidates = 1", effects)), 3));
  CHECK(partner_lists_read(load_text(world_text(60, "candidates_per_step = 4", effects + "\ncompetition = -1.0")), 3));
  CHECK(partner_lists_read(unread, 65));  // aggregates of more than 64 countries are counted from the lists
  Simulation without(unread), with(read);
  for (int s = 0; s < 8; ++s) {
    INFO("step " << s);
    without.step();
    with.step();
    const FirmNetwork& a = *without.world().b2b_cooperation;
    const FirmNetwork& b = *with.world().b2b_cooperation;
    CHECK_FALSE(a.has_partner_lists());
    CHECK(b.has_partner_lists());
    CHECK(a.ties() == b.ties());
    bool same_degrees = true;
    for (std::uint32_t f = 0; f < a.firm_count(); ++f) same_degrees = same_degrees && a.degree(f) == b.degree(f);
    CHECK(same_degrees);
    CHECK(*without.world().b2b_country_ties == *with.world().b2b_country_ties);
    // A count from scratch of the list-less network (a world met out of turn) lends it lists.
    CHECK(b2b_ties_by_country(without.world(), 3) == *with.world().b2b_country_ties);
  }
  REQUIRE(without.world().b2b_cooperation->ties().count() > 50);
}
