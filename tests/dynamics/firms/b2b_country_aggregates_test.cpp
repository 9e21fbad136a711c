// The country aggregates of the B2B layer followed from each step's changes
// (sim/dynamics/firms/b2b_country_aggregates.hpp) against a count by hand over the edge list.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include <omp.h>

#include "sim/dynamics/firms/b2b_country_aggregates.hpp"

using namespace policysim;

namespace {

std::uint64_t pack(std::uint32_t a, std::uint32_t b) { return (std::uint64_t{a} << 32) | b; }

struct ByHand {
  TieMatrix ties, networked, share;
};

// Straight from the definitions (b2b_country_aggregates.hpp), over the edge list.
ByHand by_hand(const FirmTable& firms, const FirmTies& ties, std::size_t agents) {
  const auto n = static_cast<long>(agents);
  ByHand out{TieMatrix::Zero(n, n), TieMatrix::Zero(n, n), TieMatrix::Zero(n, n)};
  std::set<std::pair<std::uint32_t, std::uint32_t>> firm_partner_country;
  for (std::size_t e = 0; e < ties.count(); ++e) {
    const auto ca = firms.country[ties.a[e]], cb = firms.country[ties.b[e]];
    out.ties(ca, cb) += 1.0;
    if (ca == cb) continue;
    out.ties(cb, ca) += 1.0;
    if (firms.is_active(ties.a[e])) firm_partner_country.insert({ties.a[e], cb});
    if (firms.is_active(ties.b[e])) firm_partner_country.insert({ties.b[e], ca});
  }
  for (const auto& [firm, country] : firm_partner_country) out.networked(firms.country[firm], country) += 1.0;
  std::vector<double> active(agents, 0.0);
  for (std::uint32_t f = 0; f < firms.count(); ++f)
    if (firms.is_active(f)) active[firms.country[f]] += 1.0;
  for (long c = 0; c < n; ++c)
    for (long d = 0; d < n; ++d)
      if (c != d && active[static_cast<std::size_t>(c)] + active[static_cast<std::size_t>(d)] > 0.0)
        out.share(c, d) = (out.networked(c, d) + out.networked(d, c)) /
                          (active[static_cast<std::size_t>(c)] + active[static_cast<std::size_t>(d)]);
  return out;
}

void check_by_hand(const World& world) {
  const std::size_t agents = world.agent_count();
  const ByHand expected = by_hand(*world.firms, world.b2b_cooperation->ties(), agents);
  CHECK(*world.b2b_country_ties == expected.ties);
  CHECK(*world.b2b_networked_share == expected.share);
  CHECK(b2b_ties_by_country(world, agents) == expected.ties);
  CHECK(b2b_networked_firms(world, agents) == expected.networked);
  CHECK(b2b_networked_share(world, agents) == expected.share);
}

FirmTable random_firms(std::size_t count, std::size_t agents, std::mt19937& random) {
  FirmTable firms;
  std::uniform_int_distribution<std::uint32_t> country(0, static_cast<std::uint32_t>(agents - 1));
  for (std::size_t f = 0; f < count; ++f) {
    firms.country.push_back(country(random));
    firms.active.push_back(f % 13 == 5 ? 0 : 1);  // a few bought firms: their ties count, they are networked with no one
  }
  return firms;
}

World world_of(std::size_t agents, std::shared_ptr<const FirmTable> firms, FirmTies ties) {
  World world;
  world.leader.assign(agents, "");
  world.b2b_cooperation = std::make_shared<FirmNetwork>(firms->count(), std::move(ties));
  world.firms = std::move(firms);
  return world;
}

// One step's changes: each tie ends with chance `ending`, and as many new pairs join, plus `extra`.
struct Changes {
  std::vector<std::uint64_t> removed, added;
  FirmTies next;
};

Changes random_changes(const FirmTies& ties, std::size_t firm_count, double ending, std::size_t extra,
                       std::mt19937& random) {
  Changes changes;
  std::bernoulli_distribution ends(ending);
  std::set<std::uint64_t> before, kept;
  for (std::size_t e = 0; e < ties.count(); ++e) {
    const std::uint64_t tie = pack(ties.a[e], ties.b[e]);
    before.insert(tie);
    if (ends(random)) changes.removed.push_back(tie);
    else kept.insert(tie);
  }
  // New pairs: never a tie at the start of the step (the model proposes only unlinked pairs).
  std::uniform_int_distribution<std::uint32_t> firm(0, static_cast<std::uint32_t>(firm_count - 1));
  std::set<std::uint64_t> joining;
  while (joining.size() < changes.removed.size() + extra) {
    const std::uint32_t i = firm(random), j = firm(random);
    if (i == j || before.count(pack(std::min(i, j), std::max(i, j))) != 0) continue;
    joining.insert(pack(std::min(i, j), std::max(i, j)));
  }
  changes.added.assign(joining.begin(), joining.end());
  // Sorted (from the set), as the phase's proposals; the removed ties are in tie order.
  std::set<std::uint64_t> next = kept;
  next.insert(changes.added.begin(), changes.added.end());
  for (std::uint64_t tie : next) {
    changes.next.a.push_back(static_cast<std::uint32_t>(tie >> 32));
    changes.next.b.push_back(static_cast<std::uint32_t>(tie & 0xffffffffu));
    changes.next.weight.push_back(0.5);
  }
  return changes;
}

// Steps of random changes, each followed, each checked against the count by hand.
void follow_steps(std::size_t agents, std::size_t firm_count, std::size_t ties, int steps, std::uint32_t seed) {
  std::mt19937 random(seed);
  auto firms = std::make_shared<const FirmTable>(random_firms(firm_count, agents, random));
  World world = world_of(agents, firms, random_changes(FirmTies{}, firm_count, 0.0, ties, random).next);
  set_b2b_country_aggregates(world);
  check_by_hand(world);
  for (int s = 0; s < steps; ++s) {
    Changes changes = random_changes(world.b2b_cooperation->ties(), firm_count, 0.15, 20, random);
    follow_b2b_changes(world, changes.removed, changes.added);
    World next = world_of(agents, firms, std::move(changes.next));
    set_b2b_country_aggregates(next);
    check_by_hand(next);
    world = std::move(next);
  }
}

}  // namespace

TEST_CASE("B2B country aggregates: followed through steps of changes, they equal a count by hand", "[firms]") {
  SECTION("four countries") { follow_steps(4, 120, 200, 25, 11); }
  SECTION("one country: every tie on the diagonal, nobody networked") { follow_steps(1, 40, 60, 10, 12); }
  SECTION("more countries than are followed (64): counted from scratch each step") { follow_steps(70, 300, 500, 5, 13); }
  SECTION("steps of more than 16,384 changes, followed by 1 to 3 threads (each a range of firms)") {
    const int before = omp_get_max_threads();
    for (int threads : {1, 2, 3}) {
      INFO(threads << " threads");
      omp_set_num_threads(threads);
      follow_steps(6, 20000, 60000, 2, 14);  // about 9,000 ties end and 9,000 join a step: 36,000 ends
    }
    omp_set_num_threads(before);
  }
}

// A firm's partners in one country are kept a byte a count, the part above 255 apart: a hub with
// more partners than that in one country, counted from scratch, then followed down to 20 and to 0,
// up again past 255 and down. Networked (firm 0 with country 1) must hold until the last tie goes.
TEST_CASE("B2B country aggregates: a firm with more than 255 partners in one country, followed up and down", "[firms]") {
  constexpr std::uint32_t kSpokes = 400;
  FirmTable hub_and_spokes;
  for (std::uint32_t f = 0; f <= kSpokes; ++f) {
    hub_and_spokes.country.push_back(f == 0 ? 0 : 1);
    hub_and_spokes.active.push_back(1);
  }
  const auto firms = std::make_shared<const FirmTable>(std::move(hub_and_spokes));
  // The hub's ties to spokes [first, last], in tie order.
  const auto spokes = [](std::uint32_t first, std::uint32_t last) {
    std::vector<std::uint64_t> ties;
    for (std::uint32_t f = first; f <= last; ++f) ties.push_back(pack(0, f));
    return ties;
  };
  const auto ties_of = [](const std::vector<std::uint64_t>& packed) {
    FirmTies ties;
    for (std::uint64_t tie : packed) {
      ties.a.push_back(static_cast<std::uint32_t>(tie >> 32));
      ties.b.push_back(static_cast<std::uint32_t>(tie & 0xffffffffu));
      ties.weight.push_back(0.5);
    }
    return ties;
  };
  World world = world_of(2, firms, ties_of(spokes(1, 300)));
  set_b2b_country_aggregates(world);  // from scratch: 300 partners in country 1
  check_by_hand(world);
  // Each step: the changes followed, the next network's aggregates set from them and checked.
  const auto step = [&](const std::vector<std::uint64_t>& removed, const std::vector<std::uint64_t>& added,
                        const std::vector<std::uint64_t>& after, double hub_networked) {
    follow_b2b_changes(world, removed, added);
    World next = world_of(2, firms, ties_of(after));
    set_b2b_country_aggregates(next);
    check_by_hand(next);
    CHECK(b2b_networked_firms(next, 2)(0, 1) == hub_networked);
    world = std::move(next);
  };
  step(spokes(1, 280), {}, spokes(281, 300), 1.0);
  step(spokes(281, 300), {}, {}, 0.0);
  step({}, spokes(1, 350), spokes(1, 350), 1.0);  // followed past 255
  step(spokes(1, 349), {}, spokes(350, 350), 1.0);
  step(spokes(350, 350), {}, {}, 0.0);
}

// The followed path is the one that runs: given changes that are not the network's (same number
// of ties), the aggregates show the changes. A new network object, or a new firm table, is counted
// from scratch instead.
TEST_CASE("B2B country aggregates: come from the changes, and only for the network they follow", "[firms]") {
  auto firms_value = FirmTable{};
  firms_value.country = {0, 1, 2, 0};
  const auto firms = std::make_shared<const FirmTable>(firms_value);
  const FirmTies start_ties{{0}, {1}, {0.5}};  // JPN-ISR
  World start = world_of(3, firms, start_ties);
  set_b2b_country_aggregates(start);
  REQUIRE((*start.b2b_country_ties)(0, 1) == 1.0);

  // The network gains (0, 2), a JPN-USA tie, but the changes told say (1, 2), ISR-USA.
  const std::vector<std::uint64_t> none, told{pack(1, 2)};
  follow_b2b_changes(start, none, told);
  World next = world_of(3, firms, FirmTies{{0, 0}, {1, 2}, {0.5, 0.5}});
  set_b2b_country_aggregates(next);
  CHECK((*next.b2b_country_ties)(1, 2) == 1.0);
  CHECK((*next.b2b_country_ties)(0, 2) == 0.0);

  // Another network object with the same ties: counted from its ties.
  World rebuilt = world_of(3, firms, FirmTies{{0, 0}, {1, 2}, {0.5, 0.5}});
  set_b2b_country_aggregates(rebuilt);
  check_by_hand(rebuilt);
  CHECK((*rebuilt.b2b_country_ties)(0, 2) == 1.0);

  // A followed step whose next world has another firm table (an acquisition in the step): from scratch.
  follow_b2b_changes(rebuilt, none, std::vector<std::uint64_t>{pack(2, 3)});
  auto bought = firms_value;
  bought.active = {1, 1, 1, 0};
  World after = world_of(3, std::make_shared<const FirmTable>(bought), FirmTies{{0, 0, 1}, {1, 2, 3}, {0.5, 0.5, 0.5}});
  set_b2b_country_aggregates(after);
  check_by_hand(after);
  CHECK(b2b_networked_firms(after, 3)(1, 0) == 1.0);  // ISR's firm 1 with JPN's firm 0 (the bought firm 3 not networked)
}
