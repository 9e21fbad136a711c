#include "sim/model/firms.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <ranges>
#include <stdexcept>
#include <utility>

#include <omp.h>

#include "sim/model/in_place_blocks.hpp"
#include "sim/model/parallel_sort.hpp"
#include "sim/model/resize_for_overwrite.hpp"
#include "sim/model/thread_shares.hpp"

namespace policysim {

namespace {
constexpr std::array<std::string_view, kSectorCount> kSectorNames = {"cyber_security", "ict", "manufacturing",
                                                                     "automotive", "finance"};

// A thread's buffers for blocks of lower lists being merged where they lie (merge_index;
// rewrite_in_place's slots): reused from step to step, so that no block's pages are fresh.
thread_local std::vector<Column<std::uint32_t>> list_buffers;

// Whether an index pass over `ties` ties runs on several threads (worth_threads).
bool index_in_parallel(std::size_t ties) { return worth_threads(ties, std::size_t{1} << 16); }

// The rank of firm `firm`'s first tie (firm, .) in the sorted list, the lower bound of `firm` in its
// a column by rank (wherever a gap puts the ranks).
std::size_t first_tie_of(const FirmTies& ties, std::size_t firm) {
  std::size_t low = 0, high = ties.count();
  while (low < high) {
    const std::size_t middle = low + (high - low) / 2;
    if (ties.a[ties.place(middle)] < firm) low = middle + 1;
    else high = middle;
  }
  return low;
}

// The CSR offsets from the degrees, inside a parallel region of `threads` threads (or none): thread
// t has written the degrees of its firms [low, high) to offset_of(f + 1) and their sum to
// range_sum[t + 1]. One thread turns the sums into each range's first offset and sizes the lists,
// then each thread turns its degrees into offsets. Returns where thread t's first list starts.
// ListSizing::InPlace: the lists hold the old lists, to be merged where they lie; sized to hold the
// old and the new lists, contents kept (cut to the new lists after the merge). None: no lists kept.
enum class ListSizing { Fresh, InPlace, None };
template <typename OffsetOf>
std::size_t offsets_from_degrees(OffsetOf&& offset_of, std::vector<std::size_t>& range_sum,
                                 Column<std::uint32_t>& lists, int t, int threads, std::size_t low,
                                 std::size_t high, ListSizing sizing = ListSizing::Fresh) {
  const auto at = [](int k) { return static_cast<std::size_t>(k); };
#pragma omp barrier
#pragma omp single
  {
    for (int s = 0; s < threads; ++s) range_sum[at(s) + 1] += range_sum[at(s)];
    const std::size_t total = range_sum[at(threads)];
    if (sizing == ListSizing::InPlace) resize_keeping(lists, std::max(lists.size(), total));
    else if (sizing == ListSizing::Fresh) resize_for_overwrite(lists, total);
  }
  std::size_t running = range_sum[at(t)];
  for (std::size_t f = low; f < high; ++f) {
    running += offset_of(f + 1);
    offset_of(f + 1) = running;
  }
  return range_sum[at(t)];
}
}  // namespace

std::string_view name_of(Sector sector) { return kSectorNames[static_cast<std::size_t>(sector)]; }

void FirmTies::close_gap() {
  if (gap == 0) return;
  const std::size_t ties = count(), after = ties - split;
  std::memmove(a.data() + split, a.data() + split + gap, after * sizeof(std::uint32_t));
  std::memmove(b.data() + split, b.data() + split + gap, after * sizeof(std::uint32_t));
  std::memmove(weight.data() + split, weight.data() + split + gap, after * sizeof(double));
  a.resize(ties);
  b.resize(ties);
  weight.resize(ties);
  split = 0;
  gap = 0;
}

bool FirmTies::operator==(const FirmTies& other) const {
  const std::size_t ties = count();
  if (ties != other.count()) return false;
  // Stretches in which neither list's place jumps, each compared as one.
  std::size_t cuts[] = {0, gap == 0 ? 0 : std::min(split, ties), other.gap == 0 ? 0 : std::min(other.split, ties), ties};
  std::sort(std::begin(cuts), std::end(cuts));
  for (std::size_t k = 0; k + 1 < std::size(cuts); ++k) {
    const std::size_t first = cuts[k], length = cuts[k + 1] - cuts[k];
    if (length == 0) continue;
    const std::size_t mine = place(first), theirs = other.place(first);
    if (!std::equal(a.data() + mine, a.data() + mine + length, other.a.data() + theirs) ||
        !std::equal(b.data() + mine, b.data() + mine + length, other.b.data() + theirs) ||
        !std::equal(weight.data() + mine, weight.data() + mine + length, other.weight.data() + theirs))
      return false;
  }
  return true;
}

std::optional<Sector> sector_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kSectorCount; ++i)
    if (kSectorNames[i] == name) return static_cast<Sector>(i);
  return std::nullopt;
}

FirmNetwork::FirmNetwork(std::size_t firm_count, FirmTies ties) : ties_(std::move(ties)) {
  ties_.close_gap();
  build_index(firm_count);
}

FirmNetwork::FirmNetwork(std::size_t firm_count, FirmTies ties, Buffers spare)
    : ties_(std::move(ties)),
      index_(std::move(spare.index)),
      lower_neighbours_(std::move(spare.lower_neighbours)) {
  ties_.close_gap();
  build_index(firm_count);
}

FirmNetwork::FirmNetwork(std::size_t firm_count, Buffers before, Index& index_memory,
                         std::vector<std::uint64_t> removed, std::vector<std::uint64_t> added,
                         std::optional<double> weight_sum, PartnerLists lists)
    : ties_(std::move(before.ties)),
      index_(std::move(index_memory)),
      lower_neighbours_(std::move(before.lower_neighbours)),
      lists_(lists),
      weight_sum_(weight_sum) {
  const bool keep_lists = lists == PartnerLists::Kept;
  // Lists are merged from before's; without them (before kept none) they are built anew.
  if (before.index.size() == firm_count + 1 && (!keep_lists || before.lists == PartnerLists::Kept)) {
    merge_index(before.index, std::move(removed), std::move(added), keep_lists);
  } else {
    ties_.close_gap();
    build_index(firm_count);
  }
  if (!keep_lists) Column<std::uint32_t>{}.swap(lower_neighbours_);  // its memory let go
  index_memory = std::move(before.index);
}

FirmNetwork::Buffers FirmNetwork::copy_into(Buffers spare) const {
  const auto copy = [](const auto& from, auto& to) {
    resize_for_overwrite(to, from.size());
    std::copy(from.begin(), from.end(), to.begin());
  };
  copy(ties_.a, spare.ties.a);
  copy(ties_.b, spare.ties.b);
  copy(ties_.weight, spare.ties.weight);
  spare.ties.split = ties_.split;
  spare.ties.gap = ties_.gap;
  copy(index_, spare.index);
  copy(lower_neighbours_, spare.lower_neighbours);
  spare.lists = lists_;
  return spare;
}

FirmNetwork::Buffers FirmNetwork::release() && {
  Buffers buffers{std::move(ties_), std::move(index_), std::move(lower_neighbours_), lists_};
  ties_ = {};
  index_.clear();
  lower_neighbours_.clear();
  weight_sum_.reset();
  return buffers;
}

void FirmNetwork::build_index(std::size_t firm_count) {
  // Counting sort into CSR: O(firms + ties), no per-element inserts, no sort. Ties are sorted by
  // (a, b), so every lower list comes out sorted: firm f's neighbours below it come from the ties
  // (a, f), a < f, which arrive in increasing a. Its neighbours above it are the ties (f, b), one
  // contiguous run of the tie list in increasing b: only where the run starts is kept.
  const std::size_t ties = ties_.count();
  // Inside a sweep's parallel region (one run per thread) a nested region has one thread.
  if (!index_in_parallel(ties)) {
    // One thread: the cursors run in the lower offsets themselves (each ends at the next list's
    // start) and are shifted back after.
    index_.assign(firm_count + 1, Entry{});
    for (std::size_t e = 0; e < ties; ++e) {
      ++index_[ties_.b[e] + 1].lower_offset;
      ++index_[ties_.a[e] + 1].upper_start;
    }
    for (std::size_t f = 0; f < firm_count; ++f) {
      index_[f + 1].lower_offset += index_[f].lower_offset;
      index_[f + 1].upper_start += index_[f].upper_start;
    }
    resize_for_overwrite(lower_neighbours_, ties);
    for (std::size_t e = 0; e < ties; ++e) lower_neighbours_[index_[ties_.b[e]].lower_offset++] = ties_.a[e];
    for (std::size_t f = firm_count; f > 0; --f) index_[f].lower_offset = index_[f - 1].lower_offset;
    index_[0].lower_offset = 0;
    return;
  }
  // Several threads, every pass parallel, the same index. The tie list is cut into one chunk per
  // thread. index_[f].upper_start: the first tie (f, .) (its run ends at the next firm's); below[t][f]:
  // the ties (., f) of chunk t, turned into chunk t's cursor in f's lower list (chunk t's
  // neighbours of f follow those of chunks 0 .. t-1, so the list stays in increasing order).
  index_.resize(firm_count + 1);
  index_[0].lower_offset = 0;
  const auto lower_offset = [&](std::size_t f) -> std::size_t& { return index_[f].lower_offset; };
  std::vector<std::vector<std::size_t>> below;
  std::vector<std::size_t> range_sum;
  int threads = 1;
  const auto share = [&](std::size_t total, int t) { return thread_share(total, t, threads); };
#pragma omp parallel
  {
#pragma omp single
    {
      threads = omp_get_num_threads();
      below.resize(static_cast<std::size_t>(threads));
      range_sum.assign(static_cast<std::size_t>(threads) + 1, 0);
    }
    const int t = omp_get_thread_num();
    const auto [first, last] = share(ties, t);
    std::vector<std::size_t>& mine = below[static_cast<std::size_t>(t)];
    mine.assign(firm_count, 0);
    for (std::size_t e = first; e < last; ++e) {
      ++mine[ties_.b[e]];
      // Each firm's upper start is written by exactly one tie: the first of its run, or the first
      // tie after it when it has none.
      const std::size_t from = e == 0 ? 0 : std::size_t{ties_.a[e - 1]} + 1;
      if (e == 0 || ties_.a[e] != ties_.a[e - 1])
        for (std::size_t f = from; f <= ties_.a[e]; ++f) index_[f].upper_start = e;
    }
    if (last == ties)
      for (std::size_t f = ties == 0 ? 0 : std::size_t{ties_.a[ties - 1]} + 1; f <= firm_count; ++f) index_[f].upper_start = ties;
#pragma omp barrier
    // Lower counts and a prefix sum over firm ranges: each thread sums its range, then offsets it.
    const auto [low, high] = share(firm_count, t);
    std::size_t sum = 0;
    for (std::size_t f = low; f < high; ++f) {
      std::size_t lower = 0;
      for (const auto& counts : below) lower += counts[f];
      index_[f + 1].lower_offset = lower;
      sum += lower;
    }
    range_sum[static_cast<std::size_t>(t) + 1] = sum;
    std::size_t list_start = offsets_from_degrees(lower_offset, range_sum, lower_neighbours_, t, threads, low, high);
    for (std::size_t f = low; f < high; ++f) {
      std::size_t cursor = list_start;  // f's lower list: chunk 0's entries, then chunk 1's, ...
      for (auto& counts : below) {
        const std::size_t count = counts[f];
        counts[f] = cursor;
        cursor += count;
      }
      list_start = index_[f + 1].lower_offset;
    }
#pragma omp barrier
    for (std::size_t e = first; e < last; ++e) lower_neighbours_[mine[ties_.b[e]]++] = ties_.a[e];
  }
}

void FirmNetwork::merge_index(const Index& old_index_vector, std::vector<std::uint64_t> removed,
                              std::vector<std::uint64_t> added, bool keep_lists) {
  // Firm f's lower list is its old one less the removed ties (., f), plus the added ones, merged in
  // order; its upper neighbours are its run (f, .) of the new tie list, of which only the start is
  // kept. Each thread takes a range of firms: a first pass counts their lower lists and turns the
  // lengths of their runs into starts, a prefix sum over the ranges gives the offsets. A run's
  // length is the old one less the removed ties (f, .) plus the added ones, counted from the
  // changes (before they are turned) into upper_start, rather than the new tie list scanned (a loop
  // over every tie, which left on a mispredicted branch at every firm). Then the lists are merged
  // where they lie, in blocks of firms (rewrite_in_place): each block's old lists and changes are
  // merged into its thread's buffer, then copied to the block's new place. Everything is read in
  // order but the small lookups into the changes.
  const std::size_t firm_count = old_index_vector.size() - 1;
  const std::size_t ties = ties_.count();
  index_.resize(firm_count + 1);
  const Entry* const old_index = old_index_vector.data();
  // Where firm `low`'s entries start in the change lists (and, for the first pass, in the tie list).
  const auto first_change_of = [](const std::vector<std::uint64_t>& changes, std::size_t low) {
    const auto key = static_cast<std::uint64_t>(low) << 32;
    return static_cast<std::size_t>(std::lower_bound(changes.begin(), changes.end(), key) - changes.begin());
  };
  // Advances a cursor over firm f's run in a sorted change list, the changes whose higher half is f
  // ((f, .) before the changes are turned, (., f) after); returns the run's length.
  const auto run_of = [](std::size_t& cursor, const std::vector<std::uint64_t>& changes, std::size_t f) {
    const std::size_t first = cursor;
    while (cursor < changes.size() && static_cast<std::size_t>(changes[cursor] >> 32) == f) ++cursor;
    return cursor - first;
  };
  const bool in_parallel = index_in_parallel(ties);
  // Firm f's run of ties (f, .) in the new list: its old one less the removed ties (f, .) plus the
  // added ones (the changes are sorted (a, b), so they are one run in each, from cursors r and d).
  const auto new_run_length = [&](std::size_t f, std::size_t& r, std::size_t& d) {
    return (old_index[f + 1].upper_start - old_index[f].upper_start) - run_of(r, removed, f) + run_of(d, added, f);
  };
  const auto lower_offset = [&](std::size_t f) -> std::size_t& { return index_[f].lower_offset; };
  if (!keep_lists) {
    // Without the lists only the degrees are needed (fifteenth round of docs/performance.md). Each
    // thread takes a range of firms: their old runs and lower degrees, then the changes counted at
    // their ends in the range (a change (a, b) ends the run of a and is below b), then the runs
    // turned into starts and the lower degrees into offsets. The changes are sorted by a: those of
    // the range's runs are one stretch, and only those with a below the range's end can end in it.
    // No cursor per firm, no branch on whether a firm changed, no turning and sorting of the changes.
    std::vector<std::size_t> range_sum;
#pragma omp parallel if (in_parallel)
    {
      const int t = omp_get_thread_num(), threads = omp_get_num_threads();
#pragma omp single
      range_sum.assign(static_cast<std::size_t>(threads) + 1, 0);
      const auto [low, high] = thread_share(firm_count, t, threads);
      for (std::size_t f = low; f < high; ++f) {
        index_[f].upper_start = old_index[f + 1].upper_start - old_index[f].upper_start;
        index_[f + 1].lower_offset = old_index[f + 1].lower_offset - old_index[f].lower_offset;
      }
      // The changes below the range's end whose second end is in it; kept from step to step (no
      // allocation between the network's vectors, as below).
      thread_local std::vector<std::uint32_t> picked;
      const auto count_ends = [&](const std::vector<std::uint64_t>& changes, std::size_t sign) {
        const std::size_t first = first_change_of(changes, low), end = first_change_of(changes, high);
        for (std::size_t k = first; k < end; ++k) index_[changes[k] >> 32].upper_start += sign;
        const std::size_t ending = second_ends_in(std::span(changes.data(), end), low, high, picked);
        for (std::size_t n = 0; n < ending; ++n)
          index_[static_cast<std::uint32_t>(changes[picked[n]]) + std::size_t{1}].lower_offset += sign;
      };
      count_ends(removed, ~std::size_t{0});  // - 1, modulo 2^64
      count_ends(added, 1);
      std::size_t tie = first_tie_of(ties_, low);
      std::size_t sum = 0;
      for (std::size_t f = low; f < high; ++f) {
        const std::size_t run = index_[f].upper_start;
        index_[f].upper_start = tie;
        tie += run;
        sum += index_[f + 1].lower_offset;
      }
      range_sum[static_cast<std::size_t>(t) + 1] = sum;
      offsets_from_degrees(lower_offset, range_sum, lower_neighbours_, t, threads, low, high,
                           ListSizing::None);
    }
    index_[0].lower_offset = 0;
    index_[firm_count].upper_start = ties;
    return;
  }
  // The runs' lengths, each thread for a range of firms: the changes are sorted (a, b), so firm f's
  // removed and added ties (f, .) are one run in each, found from where the range starts. Then the
  // changes are turned to their higher end, b << 32 | a, and sorted, so that firm f's lost and gained
  // neighbours below it are one run, in increasing order. In place: no allocation between the
  // network's large vectors (a few hundred kilobytes allocated every step there fragmented the
  // heap: 20 MB more at the large case's peak).
  {
    const auto turn = [](std::uint64_t& key) { key = (key << 32) | (key >> 32); };
#pragma omp parallel if (in_parallel)
    {
      const auto [low, high] = thread_share(firm_count, omp_get_thread_num(), omp_get_num_threads());
      std::size_t r = first_change_of(removed, low), d = first_change_of(added, low);
      for (std::size_t f = low; f < high; ++f) index_[f].upper_start = new_run_length(f, r, d);
#pragma omp barrier
#pragma omp for schedule(static) nowait
      for (std::size_t k = 0; k < removed.size(); ++k) turn(removed[k]);
#pragma omp for schedule(static) nowait
      for (std::size_t k = 0; k < added.size(); ++k) turn(added[k]);
    }
  }
  std::vector<std::uint64_t> removed_below = std::move(removed), added_below = std::move(added);
  parallel_sort(removed_below);
  parallel_sort(added_below);
  index_[0].lower_offset = 0;
  index_[firm_count].upper_start = ties;
  std::vector<std::size_t> range_sum;
  int threads = 1;
  // A firm's work in the first pass is about its degree (its run of ties counted): firm ranges of
  // about equal degree, from the old index.
  const auto degree_before = [&](std::size_t f) { return old_index[f].lower_offset + old_index[f].upper_start; };
#pragma omp parallel if (in_parallel)
  {
#pragma omp single
    {
      threads = omp_get_num_threads();
      range_sum.assign(static_cast<std::size_t>(threads) + 1, 0);
    }
    const int t = omp_get_thread_num();
    const auto [low, high] = balanced_share(degree_before, firm_count, t, threads);
    std::size_t tie = first_tie_of(ties_, low);
    std::size_t r = first_change_of(removed_below, low), d = first_change_of(added_below, low);
    std::size_t sum = 0;
    for (std::size_t f = low; f < high; ++f) {
      const std::size_t lower = (old_index[f + 1].lower_offset - old_index[f].lower_offset) -
                                run_of(r, removed_below, f) + run_of(d, added_below, f);
      index_[f + 1].lower_offset = lower;
      sum += lower;
      const std::size_t run = index_[f].upper_start;  // its length, counted above
      index_[f].upper_start = tie;
      tie += run;
    }
    range_sum[static_cast<std::size_t>(t) + 1] = sum;
    offsets_from_degrees(lower_offset, range_sum, lower_neighbours_, t, threads, low, high,
                         keep_lists ? ListSizing::InPlace : ListSizing::None);
  }
  // Without the lists the offsets are all the index needs (the lower degrees).
  if (!keep_lists) return;
  // Blocks of firms of about kListBlock entries, old and new lists together: block k's source is its
  // firms' old lists, its destination their new ones.
  constexpr std::size_t kListBlock = std::size_t{1} << 16;
  const std::size_t new_total = index_[firm_count].lower_offset;
  const auto both = [&](std::size_t f) { return old_index[f].lower_offset + index_[f].lower_offset; };
  std::vector<std::size_t> first_firm{0};
  for (std::size_t target = 2 * kListBlock; target < both(firm_count); target += 2 * kListBlock) {
    // The first firm whose lists before it reach the target (firm_count at the latest: the loop's
    // condition, so the search never ends past its range).
    const std::size_t low = *std::ranges::partition_point(std::views::iota(first_firm.back(), firm_count + 1),
                                                          [&](std::size_t f) { return both(f) < target; });
    if (low > first_firm.back() && low < firm_count) first_firm.push_back(low);
  }
  first_firm.push_back(firm_count);
  const std::size_t blocks = first_firm.size() - 1;
  std::vector<std::size_t> source(blocks + 1), destination(blocks + 1);
  for (std::size_t k = 0; k <= blocks; ++k) {
    source[k] = old_index[first_firm[k]].lower_offset;
    destination[k] = index_[first_firm[k]].lower_offset;
  }
  std::uint32_t* const lists = lower_neighbours_.data();
  rewrite_in_place(
      source, destination, in_parallel,
      [&](std::size_t k, std::size_t slot) {
        Column<std::uint32_t>& buffer = slot_buffer(list_buffers, slot);
        resize_for_overwrite(buffer, destination[k + 1] - destination[k]);
        std::uint32_t* out = buffer.data();
        std::size_t r = first_change_of(removed_below, first_firm[k]), d = first_change_of(added_below, first_firm[k]);
        for (std::size_t f = first_firm[k]; f < first_firm[k + 1]; ++f) {
          const std::uint32_t* const old_list = lists + old_index[f].lower_offset;
          const std::size_t old_below = old_index[f + 1].lower_offset - old_index[f].lower_offset;
          std::size_t removed_at = r, added_at = d;
          const std::size_t removed_end = removed_at + run_of(r, removed_below, f);
          const std::size_t added_end = added_at + run_of(d, added_below, f);
          if (removed_at == removed_end && added_at == added_end) {
            // Most firms: nothing changed below them.
            out = std::copy(old_list, old_list + old_below, out);
            continue;
          }
          for (std::size_t e = 0; e < old_below; ++e) {
            const std::uint32_t g = old_list[e];
            if (removed_at < removed_end && static_cast<std::uint32_t>(removed_below[removed_at]) == g) {
              ++removed_at;  // the tie (g, f) ended
              continue;
            }
            while (added_at < added_end && static_cast<std::uint32_t>(added_below[added_at]) < g)
              *out++ = static_cast<std::uint32_t>(added_below[added_at++]);
            *out++ = g;
          }
          while (added_at < added_end) *out++ = static_cast<std::uint32_t>(added_below[added_at++]);
        }
      },
      [&](std::size_t k, std::size_t slot) {
        const Column<std::uint32_t>& buffer = slot_buffer(list_buffers, slot);
        std::copy_n(buffer.data(), destination[k + 1] - destination[k], lists + destination[k]);
      });
  lower_neighbours_.resize(new_total);
}

void FirmNetwork::throw_without_partner_lists() {
  throw std::logic_error("FirmNetwork::neighbours: this network was built without its partner lists "
                         "(a reader of them must be named in partner_lists_read)");
}

bool FirmNetwork::linked(std::uint32_t i, std::uint32_t j) const {
  // Formation called it for every candidate whose draw succeeded until the twenty-sixth round of
  // docs/performance.md (the tie update now finds those pairs itself): searched in the lower firm's
  // run of the tie list (the tie is (min, max)), so that the partner lists are not needed (fifteenth
  // round). min and max are conditional moves too: j < i is a coin toss for a random candidate.
  const std::uint32_t low = std::min(i, j), high = std::max(i, j);
  return sorted_run_holds(ties_.b.data() + ties_.place(index_[low].upper_start),
                          index_[low + 1].upper_start - index_[low].upper_start, high);
}

double FirmNetwork::weight_sum() const {
  if (weight_sum_) return *weight_sum_;
  double sum = 0.0;
  for (std::size_t tie = 0; tie < ties_.count(); ++tie) sum += ties_.weight[ties_.place(tie)];
  return sum;
}

const FirmTies& FirmNetwork::ties() const {
  if (ties_.gap != 0) close_gap();
  return ties_;
}

void FirmNetwork::close_gap() const {
  if (omp_in_parallel())
    throw std::logic_error("FirmNetwork::ties(): a network with a gap between its runs asked for inside a parallel region");
  ties_.close_gap();  // the index counts ranks, not places: it stays as it is
}

double FirmNetwork::weight(std::uint32_t i, std::uint32_t j) const {
  const std::uint32_t low = std::min(i, j), high = std::max(i, j);
  // The lower firm's run of the (a, b)-sorted tie list, from the index: a few ties rather than the
  // whole list (the B2B trade phase asks for every flow's tie each step: this search over all ties
  // was 13% of the baseline scenario's run; docs/performance.md, twenty-second round).
  // A firm past the index (a network of fewer firms, or none) has no tie.
  if (std::size_t{high} + 1 >= index_.size()) return 0.0;
  // The firm's run lies on one side of a gap: from its place on, the ranks map one to one.
  const std::uint32_t* const b = ties_.b.data() + ties_.place(index_[low].upper_start) - index_[low].upper_start;
  const double* const weight = ties_.weight.data() + ties_.place(index_[low].upper_start) - index_[low].upper_start;
  const std::size_t start = index_[low].upper_start, end = index_[low + 1].upper_start;
  const std::uint32_t* const at = std::lower_bound(b + start, b + end, high);
  return at != b + end && *at == high ? weight[at - b] : 0.0;
}

}  // namespace policysim
