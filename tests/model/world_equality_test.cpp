// World's defaulted equality (compare's check that a what-if is identical to its baseline before
// its first event): every member counts, the shared firm parts by their contents, not by pointer.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/model/world.hpp"

using namespace policysim;

namespace {

TieMatrix filled(Eigen::Index n, double value) { return TieMatrix::Constant(n, n, value); }

// A small world in which every member holds something (two agents, three firms).
World sample_world() {
  World world;
  const Eigen::Index n = 2;
  world.step = 3;
  world.period = Period::from_year_quarter(2014, 2);
  world.leader = {"Abe", "Netanyahu"};
  for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k) world.attributes[k] = AgentValues::Constant(n, 0.25);
  for (std::size_t k = 0; k < kPairAttributeCount; ++k) world.pair_attributes[k] = filled(n, 0.5);
  world.opportunity = filled(n, 0.0);
  world.cooperation_at_last_mou = filled(n, 0.125);
  for (TieMatrix& layer : world.ties) layer = filled(n, 0.375);
  FirmTable firms;
  firms.country = {0, 1, 1};
  firms.sector = {Sector::Ict, Sector::CyberSecurity, Sector::Finance};
  firms.size = {1.0, 2.0, 3.0};
  firms.innovation = {0.1, 0.2, 0.3};
  firms.risk_tolerance = {0.4, 0.5, 0.6};
  firms.population_id = {7, 8, 8};
  firms.member = {0, 0, 1};
  firms.active = {1, 1, 1};
  firms.acquired_by = {-1, -1, -1};
  firms.acquired_step = {-1, -1, -1};
  world.firms = std::make_shared<const FirmTable>(firms);
  world.b2b_cooperation = std::make_shared<FirmNetwork>(3, FirmTies{{0, 0}, {1, 2}, {0.5, 0.75}});
  world.b2b_country_ties = std::make_shared<const TieMatrix>(filled(n, 2.0));
  world.b2b_networked_share = std::make_shared<const TieMatrix>(filled(n, 0.5));
  world.b2b_trade = std::make_shared<const FirmFlows>(FirmFlows{{0, 1}, {1, 0}, {10.0, 20.0}});
  world.firm_trade = filled(n, 30.0);
  world.trade_log_growth = filled(n, 0.01);
  world.match_pools = {FirmMatchPool{{0, 1}, kAllSectors, 2, 99, true}};
  world.program_until = filled(n, 0.0);
  return world;
}

// The same world with every shared part rebuilt: equal contents behind other pointers.
World deep_copy(const World& world) {
  World copy = world;
  copy.firms = std::make_shared<const FirmTable>(*world.firms);
  copy.b2b_cooperation = std::make_shared<FirmNetwork>(*world.b2b_cooperation);
  copy.b2b_country_ties = std::make_shared<const TieMatrix>(*world.b2b_country_ties);
  copy.b2b_networked_share = std::make_shared<const TieMatrix>(*world.b2b_networked_share);
  copy.b2b_trade = std::make_shared<const FirmFlows>(*world.b2b_trade);
  return copy;
}

template <typename T, typename Change>
SharedValue<T> changed(const SharedValue<T>& shared, Change change) {
  T value = *shared;
  change(value);
  return std::make_shared<const T>(std::move(value));
}

}  // namespace

TEST_CASE("world equality: a world equals its copy, and a copy whose shared parts are rebuilt", "[model]") {
  const World world = sample_world();
  CHECK(world == world);
  const World copy = world;
  CHECK(copy == world);
  CHECK(deep_copy(world) == world);  // a comparison of pointers would say "different" here
  CHECK(World{} == World{});
}

TEST_CASE("world equality: changing any one member of the world makes it different", "[model]") {
  const World base = sample_world();
  // Every member by name, in declaration order: a member added to World without a case below makes
  // this line fail to compile (a structured binding names all members, no more, no fewer).
  [[maybe_unused]] const auto& [step, period, leader, attributes, pair_attributes, opportunity, cooperation_at_last_mou,
                                ties, firms, b2b_cooperation, b2b_country_ties, b2b_networked_share, b2b_trade,
                                firm_trade, trade_log_growth, match_pools, program_until] = base;

  std::vector<std::pair<std::string, std::function<void(World&)>>> changes = {
      {"step", [](World& w) { w.step += 1; }},
      {"period", [](World& w) { w.period = w.period.plus_quarters(1); }},
      {"leader", [](World& w) { w.leader[1] = "Bennett"; }},
      {"pair_attributes", [](World& w) { w.pair_attributes[index_of(PairAttributeId::Spurned)](0, 1) = 1.0; }},
      {"opportunity", [](World& w) { w.opportunity(1, 0) = 1.0; }},
      {"cooperation_at_last_mou", [](World& w) { w.cooperation_at_last_mou(0, 1) = 0.5; }},
      {"ties (trade)", [](World& w) { w.layer(Layer::Trade)(1, 0) += 1.0; }},
      {"ties (dialogue, resized)", [](World& w) { w.layer(Layer::Dialogue) = filled(3, 0.375); }},
      {"firms (innovation column)", [](World& w) { w.firms = changed(w.firms, [](FirmTable& t) { t.innovation[2] = 0.9; }); }},
      {"firms (active column)", [](World& w) { w.firms = changed(w.firms, [](FirmTable& t) { t.active[0] = 0; }); }},
      {"b2b_cooperation (a tie weight)",
       [](World& w) { w.b2b_cooperation = std::make_shared<FirmNetwork>(3, FirmTies{{0, 0}, {1, 2}, {0.5, 0.8}}); }},
      {"b2b_cooperation (a tie fewer)",
       [](World& w) { w.b2b_cooperation = std::make_shared<FirmNetwork>(3, FirmTies{{0}, {1}, {0.5}}); }},
      {"b2b_country_ties", [](World& w) { w.b2b_country_ties = changed(w.b2b_country_ties, [](TieMatrix& m) { m(0, 1) = 3.0; }); }},
      {"b2b_networked_share",
       [](World& w) { w.b2b_networked_share = changed(w.b2b_networked_share, [](TieMatrix& m) { m(1, 0) = 0.0; }); }},
      {"b2b_trade (a flow value)", [](World& w) { w.b2b_trade = changed(w.b2b_trade, [](FirmFlows& f) { f.value[1] = 21.0; }); }},
      {"firm_trade", [](World& w) { w.firm_trade(0, 0) = 1.0; }},
      {"trade_log_growth", [](World& w) { w.trade_log_growth(0, 1) = -0.01; }},
      {"match_pools (a pool's firms)", [](World& w) { w.match_pools[0].firms = 3; }},
      {"match_pools (screened)", [](World& w) { w.match_pools[0].screened = false; }},
      {"match_pools (one more)", [](World& w) { w.match_pools.push_back(w.match_pools[0]); }},
      {"program_until", [](World& w) { w.program_until(0, 1) = 8.0; }},
  };
  for (std::size_t k = 0; k < kGovernmentAttributeCount; ++k)
    changes.emplace_back("attributes." + std::string(kGovernmentAttributes[k].name),
                         [k](World& w) { w.attributes[k][1] += 0.5; });

  for (const auto& [member, change] : changes) {
    INFO("changed member: " << member);
    World changed_world = deep_copy(base);
    change(changed_world);
    CHECK(changed_world != base);
    CHECK_FALSE(changed_world == base);
  }
}

TEST_CASE("SharedValue::held_only_by gives the value only to a phase's two worlds holding it alone", "[model]") {
  const World start = sample_world();
  World next = start;
  FirmNetwork* const taken = SharedValue<FirmNetwork>::held_only_by(start.b2b_cooperation, next.b2b_cooperation);
  CHECK(taken == start.b2b_cooperation.operator->());
  {
    const World kept = start;  // a third holder: a copy of the world kept by a caller
    CHECK(SharedValue<FirmNetwork>::held_only_by(start.b2b_cooperation, next.b2b_cooperation) == nullptr);
  }
  next.b2b_cooperation = std::make_shared<FirmNetwork>(3, FirmTies{});  // next holds another value
  CHECK(SharedValue<FirmNetwork>::held_only_by(start.b2b_cooperation, next.b2b_cooperation) == nullptr);
}
