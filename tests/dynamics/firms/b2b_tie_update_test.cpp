#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <omp.h>

#include "sim/dynamics/firms/b2b_tie_update.hpp"
#include "sim/dynamics/run.hpp"
#include "sim/output/recorder.hpp"
#include "sim/scenario/load.hpp"
#include "tests/support/gapped_ties.hpp"

using namespace policysim;

namespace {

// The tests' rule: weights move a tenth of the way each step; ties below `removal_threshold` end,
// new ones start at `initial_weight`.
B2bDynamics tie_rule(double removal_threshold, double initial_weight) {
  B2bDynamics dynamics;
  dynamics.weight_adjustment = 0.1;
  dynamics.removal_threshold = removal_threshold;
  dynamics.initial_weight = initial_weight;
  return dynamics;
}

// A world of random ties and proposals, and the update done the plain way: a map from pair to weight.
struct Case {
  FirmTies ties;
  std::vector<std::uint64_t> proposals;
  std::vector<double> innovation;
};

// Ties among firms [tie_first, tie_end) and proposals among [proposal_first, proposal_end) (0 and
// `firms` when not given): disjoint ranges put every proposal before, or after, every old tie.
Case make_case(std::uint32_t firms, std::size_t tie_target, std::size_t proposal_target, double low_weight,
               std::uint32_t seed, std::uint32_t tie_first = 0, std::uint32_t tie_end = 0,
               std::uint32_t proposal_first = 0, std::uint32_t proposal_end = 0) {
  std::mt19937_64 draw(seed);  // test data only
  if (tie_end == 0) tie_end = firms;
  if (proposal_end == 0) proposal_end = firms;
  std::uniform_int_distribution<std::uint32_t> firm(tie_first, tie_end - 1), proposed_firm(proposal_first, proposal_end - 1);
  std::uniform_real_distribution<double> unit(0.0, 1.0), weight(low_weight, 0.9);
  Case c;
  for (std::uint32_t f = 0; f < firms; ++f) c.innovation.push_back(unit(draw));
  std::map<std::uint64_t, double> ties;
  while (ties.size() < tie_target) {
    const auto i = firm(draw), j = firm(draw);
    if (i != j) ties[(std::uint64_t{std::min(i, j)} << 32) | std::max(i, j)] = weight(draw);
  }
  for (const auto& [key, w] : ties) {
    c.ties.a.push_back(static_cast<std::uint32_t>(key >> 32));
    c.ties.b.push_back(static_cast<std::uint32_t>(key));
    c.ties.weight.push_back(w);
  }
  while (c.proposals.size() < proposal_target) {
    const auto i = proposed_firm(draw), j = proposed_firm(draw);
    const std::uint64_t key = (std::uint64_t{std::min(i, j)} << 32) | std::max(i, j);
    if (i != j && ties.count(key) == 0) c.proposals.push_back(key);
  }
  std::sort(c.proposals.begin(), c.proposals.end());
  c.proposals.erase(std::unique(c.proposals.begin(), c.proposals.end()), c.proposals.end());
  return c;
}

// The rule written plainly (docs/model.md, "Weights"): survivors and proposals in one sorted map.
std::map<std::uint64_t, double> plain_update(const Case& c, const B2bDynamics& dynamics, std::vector<std::uint64_t>& ended) {
  std::map<std::uint64_t, double> after;
  const double a = dynamics.weight_adjustment;
  for (std::size_t rank = 0; rank < c.ties.count(); ++rank) {
    const std::size_t e = c.ties.place(rank);  // a list an update left with a gap between its runs
    const double x = c.innovation[c.ties.a[e]], y = c.innovation[c.ties.b[e]];
    const double w = (1.0 - a) * c.ties.weight[e] + a * (x * (1.0 - y) + y * (1.0 - x));
    const std::uint64_t key = (std::uint64_t{c.ties.a[e]} << 32) | c.ties.b[e];
    if (w >= dynamics.removal_threshold) after[key] = w;
    else ended.push_back(key);
  }
  for (const std::uint64_t key : c.proposals) after[key] = dynamics.initial_weight;
  return after;
}

// How many of `ties` (as many as `plain` holds) differ from the plain rule's, pair or weight, in order
// (by rank: on two threads the update leaves a gap between the list's two runs, FirmTies::place).
std::size_t ties_unlike(const FirmTies& ties, const std::map<std::uint64_t, double>& plain) {
  std::size_t wrong = 0, rank = 0;
  for (const auto& [key, w] : plain) {
    const std::size_t e = ties.place(rank);
    wrong += ties.a[e] != static_cast<std::uint32_t>(key >> 32) || ties.b[e] != static_cast<std::uint32_t>(key) ||
                     ties.weight[e] != w
                 ? 1
                 : 0;
    ++rank;
  }
  return wrong;
}

// The update as the B2B phase calls it: with the list's index (FirmNetwork's), built here from the
// ties as they are before the update.
TieUpdate update_with_index(FirmTies& ties, const Case& c, const B2bDynamics& dynamics) {
  const FirmNetwork::Index index = FirmNetwork(c.innovation.size(), ties).copy_into({}).index;
  return update_ties_in_place(ties, c.proposals, c.innovation, dynamics, std::nullopt, index);
}

// The plain rule's result for a case: the ties and weights, the ended ties in tie order, the weights
// summed in order.
struct PlainResult {
  std::map<std::uint64_t, double> ties;
  std::vector<std::uint64_t> ended;
  double sum = 0.0;
};
PlainResult plain_result(const Case& plain_of, const B2bDynamics& dynamics) {
  PlainResult plain;
  plain.ties = plain_update(plain_of, dynamics, plain.ended);
  for (const auto& [key, w] : plain.ties) plain.sum += w;
  return plain;
}

// The update of `ties` with c's proposals against `plain`: its ties and weights, the ended ties in
// tie order, the in-order weight sum bit for bit, and the proposals dropped as ties already, in order.
void check_update(FirmTies& ties, const Case& c, const B2bDynamics& dynamics, const PlainResult& plain,
                  const std::vector<std::uint64_t>& already_ties) {
  const TieUpdate update = update_with_index(ties, c, dynamics);
  REQUIRE(ties.count() == plain.ties.size());
  CHECK(ties_unlike(ties, plain.ties) == 0);
  CHECK(update.removed == plain.ended);
  CHECK(update.weight_sum == plain.sum);
  CHECK(update.already_ties == already_ties);
}

// The update of `c` on 1, 2 and 3 threads (or `thread_counts`) against the plain rule applied to
// `plain_of` (c itself, or c without its proposals that are ties already): check_update's checks.
void check_on_1_to_3_threads(const Case& c, const B2bDynamics& dynamics, const Case& plain_of,
                             const std::vector<std::uint64_t>& already_ties,
                             std::initializer_list<int> thread_counts = {1, 2, 3}) {
  const PlainResult plain = plain_result(plain_of, dynamics);
  for (int threads : thread_counts) {
    CAPTURE(threads);
    omp_set_num_threads(threads);
    FirmTies ties = c.ties;
    check_update(ties, c, dynamics, plain, already_ties);
  }
}

void check_on_1_to_3_threads(const Case& c, const B2bDynamics& dynamics) {
  check_on_1_to_3_threads(c, dynamics, c, {});
}

// `base` with every `every`-th of its ties from `first` on proposed again; those ties, in order, in
// `proposed_ties`.
Case with_ties_proposed(const Case& base, std::size_t first, std::size_t every, std::vector<std::uint64_t>& proposed_ties) {
  proposed_ties.clear();
  for (std::size_t e = first; e < base.ties.count(); e += every)
    proposed_ties.push_back((std::uint64_t{base.ties.a[e]} << 32) | base.ties.b[e]);
  Case c = base;
  c.proposals.insert(c.proposals.end(), proposed_ties.begin(), proposed_ties.end());
  std::sort(c.proposals.begin(), c.proposals.end());
  return c;
}

}  // namespace

// Growing (many proposals, few ends), shrinking (weights near the threshold) and an empty start,
// below and above the size where threads are used (131,072 ties), on 1 to 3 threads: the plain
// rule's ties and weights, the ended ties in tie order, and the in-order weight sum bit for bit.
TEST_CASE("firms: the in-place tie update equals the rule written plainly, for any thread count", "[firms]") {
  const B2bDynamics dynamics = tie_rule(0.3, 0.5);
  struct Shape {
    const char* what;
    std::uint32_t firms;
    std::size_t ties, proposals;
    double low_weight;
    std::uint32_t tie_first = 0, tie_end = 0, proposal_first = 0, proposal_end = 0;
  };
  // The last four: every proposal before every old tie (each old tie moves up by all of them, over
  // ties not read yet) or after it (the list only grows at its end), with ties that survive or end.
  const Shape shapes[] = {
      {"small, growing", 300, 2000, 1500, 0.35},
      {"small, shrinking", 300, 2000, 50, 0.1},
      {"empty start", 300, 0, 700, 0.3},
      {"large, growing", 40000, 200000, 60000, 0.35},
      {"large, shrinking", 40000, 200000, 2000, 0.1},
      {"large, all proposals first", 40000, 200000, 60000, 0.35, 20000, 40000, 0, 20000},
      {"large, all proposals first, many ends", 40000, 200000, 60000, 0.1, 20000, 40000, 0, 20000},
      {"large, all proposals last", 40000, 200000, 60000, 0.35, 0, 20000, 20000, 40000},
      {"large, all proposals last, many ends", 40000, 200000, 60000, 0.1, 0, 20000, 20000, 40000},
  };
  const int threads_before = omp_get_max_threads();
  for (const Shape& shape : shapes) {
    CAPTURE(shape.what);
    const Case c = make_case(shape.firms, shape.ties, shape.proposals, shape.low_weight, 11, shape.tie_first,
                             shape.tie_end, shape.proposal_first, shape.proposal_end);
    check_on_1_to_3_threads(c, dynamics);
  }
  omp_set_num_threads(threads_before);
}

// Formation asks nothing of the network: the update drops the proposed pairs that are ties already,
// in its pass, and on threads the counting threads find those of the blocks they count (the other
// runs' places depend on them). Proposals with ties among them all along the list, on 1 to 3
// threads: the plain rule's ties (a tie proposed again moves as any other, nothing joins for it),
// the ended ties, the weight sum, and the dropped pairs listed in order.
TEST_CASE("firms: the tie update drops the proposed pairs that are ties already", "[firms]") {
  const B2bDynamics dynamics = tie_rule(0.3, 0.5);
  const int threads_before = omp_get_max_threads();
  const Case base = make_case(40000, 200000, 30000, 0.25, 31);
  // Every 97th old tie proposed again, and the list's first and last ties.
  std::vector<std::uint64_t> proposed_ties;
  for (std::size_t e = 0; e < base.ties.count(); e += 97)
    proposed_ties.push_back((std::uint64_t{base.ties.a[e]} << 32) | base.ties.b[e]);
  const std::size_t last = base.ties.count() - 1;
  proposed_ties.push_back((std::uint64_t{base.ties.a[last]} << 32) | base.ties.b[last]);
  Case c = base;
  c.proposals.insert(c.proposals.end(), proposed_ties.begin(), proposed_ties.end());
  std::sort(c.proposals.begin(), c.proposals.end());
  check_on_1_to_3_threads(c, dynamics, base, proposed_ties);  // the plain rule: the proposals without those ties
  omp_set_num_threads(threads_before);
}

// On threads, which side finds the counts of the blocks before the other runs (thread 0 as it writes
// them, or the counting threads) is left to timing; each extreme forced (force_counting_schedule):
// thread 0 gives every count, or waits for every one. Growing and shrinking lists, with proposals
// that are ties already, on 2 and 3 threads: the plain rule's ties, the ended ties, the sum bit for
// bit and the dropped pairs, under either schedule.
TEST_CASE("firms: the threads' tie update, whichever side counts the blocks", "[firms]") {
  const B2bDynamics dynamics = tie_rule(0.3, 0.5);
  const int threads_before = omp_get_max_threads();
  struct Restore {
    ~Restore() { force_counting_schedule(CountingSchedule::Timing); }
  } restore;
  for (const double low_weight : {0.35, 0.1}) {
    const Case base = make_case(40000, 200000, low_weight > 0.3 ? 60000 : 2000, low_weight, 37);
    std::vector<std::uint64_t> proposed_ties;
    const Case c = with_ties_proposed(base, 5, 89, proposed_ties);
    for (const CountingSchedule schedule : {CountingSchedule::WriterFirst, CountingSchedule::CountersFirst}) {
      CAPTURE(low_weight, schedule == CountingSchedule::WriterFirst);
      force_counting_schedule(schedule);
      check_on_1_to_3_threads(c, dynamics, base, proposed_ties, {2, 3});  // the plain rule: without the ties proposed
    }
  }
  omp_set_num_threads(threads_before);
}

// On threads, a thread done with its run steals the last blocks of another's, left to timing too;
// forced here (force_owned_blocks): each thread writes at most 0, 1 or 2 blocks of its run and the
// rest is stolen, by itself or another thread, from the first run, the middle one and the last.
// A list of 13 blocks (2 threads: runs of 8 and 5; 3 threads: 7, 3, 3), growing and shrinking, with
// proposals that are ties already, under each counting schedule: the plain rule's ties, the ended
// ties in order, the sum bit for bit and the dropped pairs.
TEST_CASE("firms: the threads' tie update, with blocks stolen from the runs", "[firms]") {
  const B2bDynamics dynamics = tie_rule(0.3, 0.5);
  const int threads_before = omp_get_max_threads();
  struct Restore {
    ~Restore() {
      force_counting_schedule(CountingSchedule::Timing);
      force_owned_blocks(std::nullopt);
    }
  } restore;
  for (const double low_weight : {0.35, 0.1}) {
    const Case base = make_case(60000, 420000, low_weight > 0.3 ? 90000 : 3000, low_weight, 41);
    std::vector<std::uint64_t> proposed_ties;
    const Case c = with_ties_proposed(base, 3, 101, proposed_ties);
    for (const std::size_t owned : {0, 1, 2})
      for (const CountingSchedule schedule :
           {CountingSchedule::Timing, CountingSchedule::WriterFirst, CountingSchedule::CountersFirst}) {
        CAPTURE(low_weight, owned, static_cast<int>(schedule));
        force_owned_blocks(owned);
        force_counting_schedule(schedule);
        check_on_1_to_3_threads(c, dynamics, base, proposed_ties, {2, 3});  // the plain rule: without the ties proposed
      }
  }
  omp_set_num_threads(threads_before);
}

namespace {

// The firm whose ties the second run starts with (past the last firm when that run is empty), and
// whether the cut lies between two firms' ties.
std::uint32_t firm_at_cut(const FirmTies& ties) {
  return ties.split < ties.count() ? ties.a[ties.place(ties.split)] : std::numeric_limits<std::uint32_t>::max();
}
bool cut_between_firms(const FirmTies& ties) {
  return ties.split > 0 && ties.split < ties.count() && ties.a[ties.place(ties.split - 1)] < firm_at_cut(ties);
}

// Proposals among firms [first, end) that are no tie of `ties` yet.
std::vector<std::uint64_t> proposals_among(const FirmTies& ties, std::uint32_t first, std::uint32_t end, std::size_t wanted,
                                           std::uint32_t seed) {
  std::set<std::uint64_t> taken;
  for (std::size_t rank = 0; rank < ties.count(); ++rank)
    taken.insert((std::uint64_t{ties.a[ties.place(rank)]} << 32) | ties.b[ties.place(rank)]);
  std::mt19937_64 draw(seed);  // test data only
  std::uniform_int_distribution<std::uint32_t> firm(first, end - 1);
  std::vector<std::uint64_t> proposals;
  while (proposals.size() < wanted) {
    const auto i = firm(draw), j = firm(draw);
    const std::uint64_t key = (std::uint64_t{std::min(i, j)} << 32) | std::max(i, j);
    if (i != j && taken.insert(key).second) proposals.push_back(key);
  }
  std::sort(proposals.begin(), proposals.end());
  return proposals;
}

// One update of `c` against the plain rule (ties, ended ties, sum, ties already), c.ties then the new list.
void update_checked(Case& c, const B2bDynamics& dynamics, const std::vector<std::uint64_t>& already = {}) {
  Case plain_of = c;
  plain_of.proposals.clear();
  std::set_difference(c.proposals.begin(), c.proposals.end(), already.begin(), already.end(),
                      std::back_inserter(plain_of.proposals));
  check_update(c.ties, c, dynamics, plain_result(plain_of, dynamics), already);
}

}  // namespace

// On two threads the update writes blocks forwards from the list's first one and backwards from its
// last, each thread from its end until they meet, and leaves the gap between its two runs in the
// list (FirmTies::split, gap) for the next update (b2b_tie_update.cpp, update_in_two_runs). Step
// after step on the same columns, the plain rule's result every time. Where the threads meet is
// left to timing, so the cut's place is checked only under a forced order (force_two_runs_order):
// from a list without a gap, with few ties ending and many proposed, the thread going first stops
// about where the list was cut (its writes would pass its reads), between two firms' ties; with
// many ending, thread 0 going
// first takes blocks of the second run and the cut moves up, thread 1 first, down. Also: ties
// already proposed in both runs; the gap closed when the ended ties make it large; a list handed
// over with its gap where one run would hold under an eighth of the work, cut anew (ties crossing
// the gap) to either side.
TEST_CASE("firms: on two threads the tie update writes two runs away from each other", "[firms]") {
  const int threads_before = omp_get_max_threads();
  omp_set_num_threads(2);
  struct Restore {
    ~Restore() { force_two_runs_order(TwoRunsOrder::Timing); }
  } restore;
  const B2bDynamics dynamics = tie_rule(0.3, 0.5), many_end = tie_rule(0.35, 0.5);
  Case c = make_case(20000, 200000, 20000, 0.2, 43);  // weights from 0.2: some end at once
  update_checked(c, dynamics);
  std::uint32_t seed = 1;
  // The thread going first with little room to take the other's blocks (no gap to spare: the list
  // handed over without one, cut anew; few ties ending, many proposed): a cut between firms.
  const auto settle = [&](TwoRunsOrder first) {
    c.ties.close_gap();
    force_two_runs_order(first);
    c.proposals = proposals_among(c.ties, 0, 20000, 80000, seed++);
    update_checked(c, dynamics);
    REQUIRE(cut_between_firms(c.ties));
  };
  settle(TwoRunsOrder::SecondRunFirst);
  const std::uint32_t before_first = firm_at_cut(c.ties);
  force_two_runs_order(TwoRunsOrder::FirstRunFirst);
  c.proposals = proposals_among(c.ties, 0, 20000, 20000, seed++);
  update_checked(c, many_end);
  CHECK(c.ties.gap > 0);  // kept: the cut is where the threads met
  CHECK(firm_at_cut(c.ties) > before_first);
  settle(TwoRunsOrder::FirstRunFirst);
  const std::uint32_t before_second = firm_at_cut(c.ties);
  force_two_runs_order(TwoRunsOrder::SecondRunFirst);
  c.proposals = proposals_among(c.ties, 0, 20000, 20000, seed++);
  update_checked(c, many_end);
  CHECK(c.ties.gap > 0);
  CHECK(firm_at_cut(c.ties) < before_second);
  force_two_runs_order(TwoRunsOrder::Timing);
  // Old ties proposed again, on both sides of the cut.
  std::vector<std::uint64_t> again;
  for (std::size_t rank = 7; rank < c.ties.count(); rank += 61)
    again.push_back((std::uint64_t{c.ties.a[c.ties.place(rank)]} << 32) | c.ties.b[c.ties.place(rank)]);
  c.proposals = proposals_among(c.ties, 0, 20000, 60000, seed++);
  c.proposals.insert(c.proposals.end(), again.begin(), again.end());
  std::sort(c.proposals.begin(), c.proposals.end());
  update_checked(c, dynamics, again);
  // A rule under which most ties end: the gap (every ended tie widens it) is closed.
  c.proposals = proposals_among(c.ties, 0, 20000, 1000, seed++);
  update_checked(c, tie_rule(0.5, 0.5));
  CHECK(c.ties.gap == 0);
  REQUIRE(c.ties.count() >= 131072);  // still on two threads next time: the cut found anew
  settle(TwoRunsOrder::FirstRunFirst);
  // A gap where the first run would hold under an eighth of the work, then over seven eighths.
  FirmTies contiguous = c.ties;
  contiguous.close_gap();
  for (const std::uint32_t firm : {300u, 19800u}) {
    CAPTURE(firm);
    const std::size_t split = static_cast<std::size_t>(
        std::lower_bound(contiguous.a.begin(), contiguous.a.end(), firm) - contiguous.a.begin());
    c.ties = policysim::testing::with_gap(contiguous, split, 4099);
    force_two_runs_order(TwoRunsOrder::SecondRunFirst);
    c.proposals = proposals_among(c.ties, 0, 20000, 80000, seed++);
    update_checked(c, dynamics);
    REQUIRE(cut_between_firms(c.ties));
    CHECK(firm_at_cut(c.ties) > 1000);
    CHECK(firm_at_cut(c.ties) < 19000);
  }
  omp_set_num_threads(threads_before);
}

// The index is the list's, one entry a firm and one more: another (none, or a smaller world's) is
// a caller's mistake, refused before anything changes.
TEST_CASE("firms: the tie update refuses an index of another number of firms", "[firms]") {
  const B2bDynamics dynamics = tie_rule(0.3, 0.5);
  const Case c = make_case(300, 2000, 100, 0.35, 5);
  const FirmNetwork::Index smaller = FirmNetwork(299, FirmTies{}).copy_into({}).index;
  for (const std::span<const FirmNetwork::Entry> index :
       {std::span<const FirmNetwork::Entry>(), std::span<const FirmNetwork::Entry>(smaller)}) {
    FirmTies ties = c.ties;
    CHECK_THROWS_WITH(update_ties_in_place(ties, c.proposals, c.innovation, dynamics, std::nullopt, index),
                      Catch::Contains("for 300 firms"));
    CHECK(ties.count() == c.ties.count());
  }
}

// The threads count the ties that end before they write (b2b_tie_update.cpp): most from their weights
// alone, in vector lanes, with the innovations' range as bounds; the rest, and every tie when some
// innovation is not finite (no bounds), by the writing pass's own expression. Innovations that leave
// open ties in about a third of the stretches of 64, a NaN, an infinity: the plain rule's ties on
// 1 to 3 threads (a count unlike the pass's makes the update throw).
TEST_CASE("firms: the threads' count of ended ties, with and without bounds from the innovations", "[firms]") {
  const B2bDynamics dynamics = tie_rule(0.3, 0.5);
  const int threads_before = omp_get_max_threads();
  for (const char* innovations : {"a narrow range", "one NaN", "one infinity"}) {
    CAPTURE(innovations);
    Case c = make_case(20000, 300000, 20000, 0.25, 23);
    const std::string kind = innovations;
    if (kind == "a narrow range")
      for (double& x : c.innovation) x = 0.4 + 0.2 * x;  // narrow bounds: the open ties are those near the cut
    else
      c.innovation[7] = kind == "one NaN" ? std::numeric_limits<double>::quiet_NaN()
                                          : std::numeric_limits<double>::infinity();
    check_on_1_to_3_threads(c, dynamics);
  }
  omp_set_num_threads(threads_before);
}

namespace {

// How often a step's list was written in the room in front of the old one, moved within its block
// first, or moved to a new block.
struct RoomUse {
  int same_block = 0, moved_within_block = 0, new_block = 0;
};

// `steps` updates on the same columns, each checked against the plain rule: after each, new proposals
// (`many` every third step, `few` in the others) and the innovation redrawn so that ties end.
RoomUse update_step_after_step(Case c, const B2bDynamics& dynamics, int steps, std::size_t many, std::size_t few) {
  RoomUse use;
  FirmTies ties = c.ties;
  std::mt19937_64 draw(17);  // test data only
  const auto firms = static_cast<std::uint32_t>(c.innovation.size());
  for (int step = 0; step < steps; ++step) {
    CAPTURE(step);
    const PlainResult plain = plain_result(c, dynamics);
    const std::uint32_t* const block = ties.a.data() - ties.a.room_in_front();
    const std::size_t room = ties.a.room_in_front();
    const TieUpdate update = update_with_index(ties, c, dynamics);
    const std::uint32_t* const block_after = ties.a.data() - ties.a.room_in_front();
    use.same_block += block_after == block && room >= c.proposals.size() ? 1 : 0;
    use.moved_within_block += block_after == block && room < c.proposals.size() ? 1 : 0;
    use.new_block += block_after != block ? 1 : 0;
    REQUIRE(ties.count() == plain.ties.size());
    REQUIRE(ties_unlike(ties, plain.ties) == 0);
    CHECK(update.removed == plain.ended);
    CHECK(update.weight_sum == plain.sum);
    c.ties = ties;
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (double& x : c.innovation) x = unit(draw);
    std::map<std::uint64_t, bool> taken;
    for (std::size_t rank = 0; rank < ties.count(); ++rank)
      taken[(std::uint64_t{ties.a[ties.place(rank)]} << 32) | ties.b[ties.place(rank)]] = true;
    c.proposals.clear();
    const std::size_t wanted = step % 3 == 0 ? many : few;
    std::uniform_int_distribution<std::uint32_t> firm(0, firms - 1);
    while (c.proposals.size() < wanted) {
      const auto i = firm(draw), j = firm(draw);
      const std::uint64_t key = (std::uint64_t{std::min(i, j)} << 32) | std::max(i, j);
      if (i != j && taken.count(key) == 0) {
        taken[key] = true;
        c.proposals.push_back(key);
      }
    }
    std::sort(c.proposals.begin(), c.proposals.end());
  }
  return use;
}

}  // namespace

// The update writes each step's list from places before the old one, in its columns' room in front
// (tie_column.hpp): step after step on the same columns, through steps that use the room there, that
// move the list to its block's end and that take a new block, the plain rule's result every time.
TEST_CASE("firms: the one-thread tie update, step after step on the same columns, equals the plain rule", "[firms]") {
  // Ties drift to their complementarity (about 1/2, redrawn each step): many end.
  const B2bDynamics dynamics = tie_rule(0.5, 0.52);
  const int threads_before = omp_get_max_threads();
  omp_set_num_threads(1);
  const RoomUse use = update_step_after_step(make_case(2000, 8000, 3000, 0.5, 5), dynamics, 30, 3000, 3000);
  omp_set_num_threads(threads_before);
  INFO("steps in the same block " << use.same_block << ", moved within it " << use.moved_within_block
                                   << ", to a new block " << use.new_block);
  CHECK(use.same_block > 0);
  CHECK(use.moved_within_block > 0);
  CHECK(use.new_block > 0);
}

// On threads (above 131,072 ties) each thread writes a run of blocks once, thread 0 at once, the
// others after counting the ended ties of the runs before theirs, their first blocks through a buffer
// where they would land on another thread's old ties: the same, step after step, on 2 and 3 threads,
// and on 5, more than the list's 4 blocks can give each a run (the later runs empty).
TEST_CASE("firms: the threads' tie update, step after step on the same columns, equals the plain rule", "[firms]") {
  const B2bDynamics dynamics = tie_rule(0.3, 0.5);
  const int threads_before = omp_get_max_threads();
  for (int threads : {2, 3, 5}) {
    CAPTURE(threads);
    omp_set_num_threads(threads);
    const RoomUse use = update_step_after_step(make_case(30000, 200000, 30000, 0.32, 9), dynamics, 8, 60000, 3000);
    CHECK(use.same_block > 0);
    CHECK(use.moved_within_block + use.new_block > 0);
  }
  omp_set_num_threads(threads_before);
}

namespace {

// Records a run as `policysim run` does (every state to the HDF5 recorder) and notes where each
// step's tie list lies. `keep_worlds`: also holds a copy of the last world, as a caller that kept
// worlds would, so that the B2B phase may not take the start network.
class WhereTiesLie : public RunObserver {
 public:
  WhereTiesLie(Hdf5Recorder& recorder, bool keep_worlds) : recorder_(recorder), keep_worlds_(keep_worlds) {}
  void on_state(const World& world, std::span<const Milestone> step_milestones) override {
    recorder_.record(world, step_milestones);
    // Where the column's block starts: its list starts earlier in the block from step to step
    // (tie_column.hpp), the block stays.
    const auto& column = world.b2b_cooperation->ties().a;
    const std::uint32_t* const at = column.data() - column.room_in_front();
    if (world.step >= 2) {
      ++steps;
      same_place += at == last_ ? 1 : 0;
    }
    last_ = at;
    if (keep_worlds_) kept_ = world;
  }
  void on_events(std::span<const AppliedEvent> events) override { recorder_.record_events(events); }
  void on_milestones(std::span<const Milestone> milestones) override { recorder_.record_milestones(milestones); }
  int steps = 0, same_place = 0;

 private:
  Hdf5Recorder& recorder_;
  bool keep_worlds_;
  const std::uint32_t* last_ = nullptr;  // not an owner: only compared
  World kept_;
};

}  // namespace

// The memory of a big run rests on this (docs/performance.md, ninth round): in a run recorded to a
// file, nothing but the step holds the start network, so the B2B phase changes it where it lies
// and each step's ties are in the same vector as the step before's (but when the list outgrows
// its capacity). Were the recorder or the loop to keep worlds, the phase would change a copy
// (the two networks' memory), and the ties would move every step: that case is checked too.
TEST_CASE("firms: a recorded run changes its B2B network where it lies, a run whose worlds are kept a copy", "[firms]") {
  auto scenario = load_scenario(std::filesystem::path(POLICYSIM_SOURCE_DIR) / "bench" / "tie_formation_small.toml").scenario;
  scenario.simulation.steps = 40;
  const std::filesystem::path folder = std::filesystem::path(POLICYSIM_TEST_TMP) / "tie_update_in_place";
  std::filesystem::create_directories(folder);
  for (const bool keep_worlds : {false, true}) {
    CAPTURE(keep_worlds);
    Hdf5Recorder recorder(folder / "run.h5", scenario, {"test", "test"});
    WhereTiesLie observer(recorder, keep_worlds);
    run_simulation(scenario, observer);
    REQUIRE(observer.steps == 39);
    if (keep_worlds) CHECK(observer.same_place == 0);
    else CHECK(observer.same_place > observer.steps / 2);  // a growing list moves to a bigger vector now and then
  }
}

namespace {

class Unobserved : public RunObserver {
 public:
  void on_state(const World&, std::span<const Milestone>) override {}
};

}  // namespace

// The B2B phase keeps its firm table's innovation range for the threads' count of ended ties
// (b2b_cooperation.cpp, Recycled): a run of the declared medium model whose innovations lie in
// [0.45, 0.55], then, on the same thread, one whose innovations fill [0, 1]. A range kept from the
// first run would call ties of the second surely kept that end (the update would throw); the second
// run's network on two threads is the one-thread run's.
TEST_CASE("firms: the B2B phase's innovation range follows the firm table from run to run", "[firms]") {
  auto wide = load_scenario(std::filesystem::path(POLICYSIM_SOURCE_DIR) / "bench" / "tie_formation_medium.toml").scenario;
  REQUIRE(wide.firms.populations.size() == 1);
  auto narrow = wide;
  narrow.firms.populations[0].innovation.first = 0.45;
  narrow.firms.populations[0].innovation.second = 0.55;
  const int threads_before = omp_get_max_threads();
  Unobserved none;
  omp_set_num_threads(2);
  const World first = run_simulation(narrow, none);
  REQUIRE(first.b2b_cooperation->ties().count() > 131072);  // the threads' path of the update
  const World second = run_simulation(wide, none);
  omp_set_num_threads(1);
  const World alone = run_simulation(wide, none);
  CHECK(second.b2b_cooperation->ties() == alone.b2b_cooperation->ties());
  omp_set_num_threads(threads_before);
}

namespace {

// The largest gap between the two runs of the B2B tie list seen at any step (FirmTies::gap).
class GapWatch : public RunObserver {
 public:
  void on_state(const World& world, std::span<const Milestone>) override {
    widest = std::max(widest, world.b2b_cooperation->ties_as_laid().gap);
  }
  std::size_t widest = 0;
};

}  // namespace

// A run of the declared medium model on two threads: from step to step its tie list keeps the gap
// the two-run update leaves (the recorder and the measures do not close it), the world the run hands
// out holds one list, and that network is the one-thread run's.
TEST_CASE("firms: a run on two threads keeps its list's gap between steps and hands out one list", "[firms]") {
  const auto scenario = load_scenario(std::filesystem::path(POLICYSIM_SOURCE_DIR) / "bench" / "tie_formation_medium.toml").scenario;
  const int threads_before = omp_get_max_threads();
  omp_set_num_threads(1);
  Unobserved quiet;
  const World alone = run_simulation(scenario, quiet);
  omp_set_num_threads(2);
  GapWatch watch;
  const World two = run_simulation(scenario, watch);
  omp_set_num_threads(threads_before);
  CHECK(watch.widest > 0);
  CHECK(two.b2b_cooperation->ties_as_laid().gap == 0);
  CHECK(*two.b2b_cooperation == *alone.b2b_cooperation);
  CHECK(two.b2b_cooperation->weight_sum() == alone.b2b_cooperation->weight_sum());
}
