#include "sim/dynamics/firms/b2b_country_aggregates.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include <omp.h>

#include "sim/model/thread_shares.hpp"

namespace policysim {
namespace {

// Above this many countries the per-firm counts are not kept (firms x countries x 4 bytes) and
// every step counts from scratch.
constexpr std::size_t kFollowedCountries = 64;

// Each firm's partners in each country (followed up to 64 countries), a byte a count: in the large
// benchmark 100,000 firms x 10 countries take 1 MB, within the 2 MiB L2 cache, where four bytes a
// count (4 MB) were not, and each change reads two of them at random (count_changes was 5% of a
// 1-thread large run; docs/performance.md, eighteenth round). A firm rarely has 255 partners in one
// country: the byte then holds 255 and the rest is kept apart, by cell, behind a lock (the threads
// of count_changes share the map, each with cells of its own).
class PartnerCounts {
 public:
  void assign(std::size_t cells) {
    low_.assign(cells, 0);
    high_.clear();
  }
  bool empty() const { return low_.empty(); }
  const std::uint8_t* data() const { return low_.data(); }
  // Counted from scratch: cell's count is `count`.
  void set(std::size_t cell, std::uint32_t count) {
    low_[cell] = static_cast<std::uint8_t>(std::min<std::uint32_t>(count, kSaturated));
    if (count > kSaturated) {
#pragma omp critical(b2b_partner_counts_above_a_byte)
      high_[cell] = count - kSaturated;
    }
  }
  // One partner more: whether the count left 0.
  bool add(std::size_t cell) {
    std::uint8_t& low = low_[cell];
    if (low < kSaturated) return low++ == 0;
#pragma omp critical(b2b_partner_counts_above_a_byte)
    ++high_[cell];
    return false;
  }
  // One partner fewer (the count is above 0): whether it reached 0.
  bool remove(std::size_t cell) {
    std::uint8_t& low = low_[cell];
    if (low == kSaturated) {
      bool above = false;
#pragma omp critical(b2b_partner_counts_above_a_byte)
      {
        const auto at = high_.find(cell);
        above = at != high_.end();
        if (above && --at->second == 0) high_.erase(at);
      }
      if (above) return false;
    }
    return --low == 0;
  }

 private:
  static constexpr std::uint32_t kSaturated = 255;
  std::vector<std::uint8_t> low_;                          // min(count, 255)
  std::unordered_map<std::size_t, std::uint32_t> high_;    // count - 255, where above 0
};

// The country-level counts of one network over one firm table. Integer counts, so they are the
// same whatever the order of the firms, the threads or the changes that built them.
struct CountryCounts {
  std::size_t agents = 0;
  std::size_t tie_count = 0;             // the network's ties: checks that a followed step is bound to its network
  PartnerCounts partners;                // [firm * agents + d]: the firm's partners in country d (kept up to 64 countries)
  std::vector<std::uint64_t> ties;       // [c * agents + d]: ties between c and d from both ends (twice on the diagonal)
  std::vector<std::uint64_t> networked;  // [c * agents + d], d != c: active firms of c with a partner in d
  std::vector<std::uint64_t> active;     // [c]: active firms of c
  PacedShares pace;                      // count_changes' ranges of firms, cut by the threads' speeds
};

// One pass over the CSR lists, in parallel over the firms. Each firm's partners are counted per
// country in a scratch row, read back through the same list (so the row costs O(degree), not
// O(countries), to use and clear), then added to the thread's totals.
void count_from_scratch(const World& world, std::size_t agents, bool keep_partners, CountryCounts& counts) {
  const FirmTable& firms = *world.firms;
  // A network built without its partner lists (no effect of the run reads them) lends its ties to
  // one built with them: the first step of a run, or a world met out of turn (a what-if branch).
  std::optional<FirmNetwork> with_lists;
  if (!world.b2b_cooperation->has_partner_lists())
    with_lists.emplace(world.b2b_cooperation->firm_count(), world.b2b_cooperation->ties());
  const FirmNetwork& network = with_lists ? *with_lists : *world.b2b_cooperation;
  const std::size_t firm_count = firms.count();
  const auto listed = static_cast<long>(std::min(firm_count, network.firm_count()));
  counts.agents = agents;
  counts.tie_count = network.tie_count();
  counts.partners.assign(keep_partners ? firm_count * agents : 0);
  counts.ties.assign(agents * agents, 0);
  counts.networked.assign(agents * agents, 0);
  counts.active.assign(agents, 0);
  for (std::uint32_t f = 0; f < static_cast<std::uint32_t>(firm_count); ++f)
    if (firms.is_active(f)) ++counts.active[firms.country[f]];
#pragma omp parallel
  {
    std::vector<std::uint64_t> ties(agents * agents, 0), networked(agents * agents, 0);
    std::vector<std::uint32_t> row(agents, 0);
#pragma omp for schedule(dynamic, 2048) nowait
    for (long f = 0; f < listed; ++f) {
      const auto firm = static_cast<std::uint32_t>(f);
      const std::size_t c = firms.country[firm];
      const auto partners = network.neighbours(firm);
      for (std::uint32_t g : partners) ++row[firms.country[g]];
      const bool active = firms.is_active(firm);
      for (std::uint32_t g : partners) {
        const std::size_t d = firms.country[g];
        if (row[d] == 0) continue;  // this country was read back already
        ties[c * agents + d] += row[d];
        if (d != c && active) ++networked[c * agents + d];
        if (keep_partners) counts.partners.set(firm * agents + d, row[d]);
        row[d] = 0;
      }
    }
#pragma omp critical(b2b_country_counts)
    for (std::size_t k = 0; k < agents * agents; ++k) {
      counts.ties[k] += ties[k];
      counts.networked[k] += networked[k];
    }
  }
}

// A step's changes, in parallel over ranges of firms: each thread takes the ends that fall in its
// range (firm f of country c gains or loses a partner in d), so no two threads touch one firm's
// counts. The changes are sorted (a, b) (the removed ties in tie order, the proposals sorted), so a
// thread finds the ties whose first end is in its range by bisection; only their second ends are
// looked for in every change (each thread read every change for both ends before: a third of the
// phase that more threads did not divide). A firm becomes networked with d when its count there
// leaves 0 and stops when it returns to 0; each end also moves the tie count (c, d) by one, so a tie
// is counted from both ends, twice on the diagonal. The threads' totals are integers, added up in
// any order. The removed ties go first: a count then never falls below 0 (and within the removed,
// or the added, each count moves one way, so which end reaches 0 first does not matter). On threads
// from 2,048 changes (16,384 before: the large benchmark's first fifteen steps and every step of the
// medium one counted on one thread while the others waited; bench/region_timings.py,
// docs/performance.md, thirty-third round).
void count_changes(CountryCounts& counts, const FirmTable& firms, std::span<const std::uint64_t> removed,
                   std::span<const std::uint64_t> added) {
  const std::size_t agents = counts.agents;
  counts.pace.prepare(omp_get_max_threads());
  int threads_used = 1;
#pragma omp parallel if (worth_threads(removed.size() + added.size(), std::size_t{1} << 11))
  {
    const auto started = std::chrono::steady_clock::now();
    const int thread = omp_get_thread_num(), threads = omp_get_num_threads();
    if (thread == 0) threads_used = threads;
    // Each thread's range of firms, cut where the threads' times drew together the steps before
    // (PacedShares): thread 0 counts three quarters of the first ends (a pair's first end is its
    // lower firm) and thread 1 three quarters of the second ends, whose counts lie anywhere; which
    // thread counts an end changes no count.
    const auto [low, high] = counts.pace.share(firms.count(), thread, threads);
    std::size_t ends = 0;
    std::vector<std::int64_t> ties(agents * agents, 0), networked(agents * agents, 0);
    // The changes whose second end is in this thread's range; kept from step to step, as the
    // network's merge keeps its own (no allocation between the network's large vectors).
    thread_local std::vector<std::uint32_t> mine;
    const auto count_end = [&](std::uint32_t f, std::uint32_t partner, bool joins) {
      const std::size_t c = firms.country[f], d = firms.country[partner];
      const std::int64_t step = joins ? 1 : -1;
      ties[c * agents + d] += step;
      const std::size_t cell = std::size_t{f} * agents + d;
      const bool crosses = joins ? counts.partners.add(cell) : counts.partners.remove(cell);
      if (crosses && d != c && firms.is_active(f)) networked[c * agents + d] += step;
    };
    const auto first_of = [](std::span<const std::uint64_t> changes, std::size_t firm) {
      return std::lower_bound(changes.begin(), changes.end(), static_cast<std::uint64_t>(firm) << 32);
    };
    constexpr std::size_t kAhead = 16;
    for (const bool joins : {false, true}) {
      const std::span<const std::uint64_t> changes = joins ? added : removed;
      // The first ends come in order, their partners anywhere: each partner's country is fetched
      // kAhead changes ahead (the large benchmark's first ends took 0.040 - 0.049 -> 0.031 - 0.033 s
      // on one thread, 0.026 - 0.034 -> 0.018 - 0.022 s on thread 0 of two, which has three
      // quarters of them: a pair's first end is its lower firm; an AMD EPYC, twenty-seventh round.
      // On the Intel machine of the eighteenth round it made the phase slower, 3.5% -> 3.8%).
      const auto first = first_of(changes, low), end = first_of(changes, high);
      ends += static_cast<std::size_t>(end - first);
      for (auto at = first; at != end; ++at) {
        if (end - at > static_cast<std::ptrdiff_t>(kAhead))
          __builtin_prefetch(firms.country.data() + static_cast<std::uint32_t>(at[kAhead] & 0xffffffffu));
        count_end(static_cast<std::uint32_t>(*at >> 32), static_cast<std::uint32_t>(*at & 0xffffffffu), joins);
      }
      // The second ends fall anywhere: their firms' counts (a row of `partners`, a byte a country)
      // and countries are fetched kAhead changes ahead, so that the cache misses overlap instead of
      // waiting one after the other (the large case's 100,000 firms' counts were more than L2 held
      // at four bytes a count: count_changes 4.3% -> 3.5% of a 1-thread large run; bigger worlds'
      // still are). The changes whose second ends fall in this thread's range, picked first without
      // a branch (second_ends_in), then counted.
      const std::size_t picked = second_ends_in(changes, low, high, mine);
      ends += picked;
      for (std::size_t n = 0; n < picked; ++n) {
        if (n + kAhead < picked) {
          const auto ahead = static_cast<std::uint32_t>(changes[mine[n + kAhead]] & 0xffffffffu);
          __builtin_prefetch(counts.partners.data() + std::size_t{ahead} * agents, 1);
          __builtin_prefetch(firms.country.data() + ahead);
        }
        const std::uint64_t tie = changes[mine[n]];
        count_end(static_cast<std::uint32_t>(tie & 0xffffffffu), static_cast<std::uint32_t>(tie >> 32), joins);
      }
    }
    counts.pace.report(thread, static_cast<double>(ends),
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
#pragma omp critical(b2b_country_changes)
    for (std::size_t k = 0; k < agents * agents; ++k) {
      counts.ties[k] += static_cast<std::uint64_t>(ties[k]);  // modulo 2^64: a negative change subtracts
      counts.networked[k] += static_cast<std::uint64_t>(networked[k]);
    }
  }
  counts.pace.update(threads_used);
  counts.tie_count = counts.tie_count + added.size() - removed.size();
}

// What this thread counted last, kept to follow the next step's changes (a sweep runs one run per
// thread, so each run has its own). Which network and firm table the counts are of is known by
// weak pointers: a new network (another run, an acquisition, a hand-built world) never matches,
// and is counted from scratch.
struct Followed {
  std::weak_ptr<const FirmNetwork> network;  // empty while a followed step waits for its network
  std::weak_ptr<const FirmTable> firms;
  bool awaiting_network = false;
  CountryCounts counts;

  bool of(const World& world, std::size_t agents) const {
    return !awaiting_network && counts.agents == agents && world.b2b_cooperation.is(network) &&
           world.firms.is(firms);
  }
};
thread_local Followed followed;

// The counts of `world`: this thread's followed ones when they are of it, else counted into `scratch`.
const CountryCounts& counts_of(const World& world, std::size_t agents, CountryCounts& scratch) {
  if (followed.of(world, agents)) return followed.counts;
  count_from_scratch(world, agents, false, scratch);
  return scratch;
}

TieMatrix ties_matrix(const CountryCounts& counts) {
  const auto n = static_cast<long>(counts.agents);
  TieMatrix ties = TieMatrix::Zero(n, n);
  for (long c = 0; c < n; ++c)
    for (long d = 0; d < n; ++d) {
      const std::uint64_t count = counts.ties[static_cast<std::size_t>(c * n + d)];
      ties(c, d) = static_cast<double>(c == d ? count / 2 : count);  // a tie within a country is seen from both ends
    }
  return ties;
}

TieMatrix networked_matrix(const CountryCounts& counts) {
  const auto n = static_cast<long>(counts.agents);
  TieMatrix networked = TieMatrix::Zero(n, n);
  for (long c = 0; c < n; ++c)
    for (long d = 0; d < n; ++d) networked(c, d) = static_cast<double>(counts.networked[static_cast<std::size_t>(c * n + d)]);
  return networked;
}

TieMatrix share_matrix(const CountryCounts& counts) {
  const auto n = static_cast<long>(counts.agents);
  const TieMatrix networked = networked_matrix(counts);
  TieMatrix share = TieMatrix::Zero(n, n);
  for (long c = 0; c < n; ++c)
    for (long d = 0; d < n; ++d) {
      const auto active_c = static_cast<double>(counts.active[static_cast<std::size_t>(c)]);
      const auto active_d = static_cast<double>(counts.active[static_cast<std::size_t>(d)]);
      if (c != d && active_c + active_d > 0.0) share(c, d) = (networked(c, d) + networked(d, c)) / (active_c + active_d);
    }
  return share;
}

}  // namespace

void follow_b2b_changes(const World& start, std::span<const std::uint64_t> removed, std::span<const std::uint64_t> added) {
  if (!followed.of(start, start.agent_count()) || followed.counts.partners.empty()) {
    followed.network.reset();
    followed.awaiting_network = false;
    return;
  }
  count_changes(followed.counts, *start.firms, removed, added);
  followed.network.reset();
  followed.awaiting_network = true;
}

bool b2b_aggregates_counted_each_step(std::size_t agents) { return agents > kFollowedCountries; }

void set_b2b_country_aggregates(World& world) {
  const std::size_t agents = world.agent_count();
  const bool followed_step = followed.awaiting_network && followed.counts.agents == agents &&
                             world.firms.is(followed.firms) &&
                             followed.counts.tie_count == world.b2b_cooperation->tie_count();
  followed.awaiting_network = false;
  if (followed_step) {
    followed.network = world.b2b_cooperation.pointer();
  } else if (!followed.of(world, agents)) {
    const bool keep = agents <= kFollowedCountries;
    count_from_scratch(world, agents, keep, followed.counts);
    followed.network = keep ? world.b2b_cooperation.pointer() : std::weak_ptr<const FirmNetwork>{};
    followed.firms = keep ? world.firms.pointer() : std::weak_ptr<const FirmTable>{};
  }
  world.b2b_networked_share = std::make_shared<const TieMatrix>(share_matrix(followed.counts));
  world.b2b_country_ties = std::make_shared<const TieMatrix>(ties_matrix(followed.counts));
}

TieMatrix b2b_ties_by_country(const World& world, std::size_t agents) {
  CountryCounts scratch;
  return ties_matrix(counts_of(world, agents, scratch));
}

TieMatrix b2b_networked_firms(const World& world, std::size_t agents) {
  CountryCounts scratch;
  return networked_matrix(counts_of(world, agents, scratch));
}

TieMatrix b2b_networked_share(const World& world, std::size_t agents) {
  CountryCounts scratch;
  return share_matrix(counts_of(world, agents, scratch));
}

}  // namespace policysim
