#pragma once
// Firms as agents, and the B2B tie layer between them. Built for 100,000 firms: attributes are
// columns (structure of arrays), ties are a sorted edge list with a CSR index, never a dense
// firm-by-firm matrix.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/model/huge_pages.hpp"
#include "sim/model/resize_for_overwrite.hpp"
#include "sim/model/tie_column.hpp"

namespace policysim {

// Sectors named by the sources (000: cyber security, ICT, manufacturing/Monozukuri, automotive;
// 002: finance among the sectors that outsource cyber security).
enum class Sector : std::uint8_t { CyberSecurity, Ict, Manufacturing, Automotive, Finance };
inline constexpr std::size_t kSectorCount = 5;
std::string_view name_of(Sector sector);
std::optional<Sector> sector_from_name(std::string_view name);

struct FirmTable {
  std::vector<std::uint32_t> country;        // index into Scenario::governments
  std::vector<Sector> sector;
  std::vector<double> size;                  // employees (scale free; only ratios matter)
  std::vector<double> innovation;            // in [0, 1]: new ideas ("chutzpah", start-ups)
  std::vector<double> risk_tolerance;        // in [0, 1]
  std::vector<std::uint32_t> population_id;  // stable id of the population that made the firm
  std::vector<std::uint32_t> member;         // index of the firm within its population
  // 1 while the firm trades under its own name; 0 once another firm has bought it (acquisition
  // event): it keeps its row (ids stay stable) but has no ties and takes no part in partner search.
  // Empty means every firm is active (tables built by hand in tests).
  std::vector<std::uint8_t> active;
  // The firm that bought it (index into this table) and the step of the purchase; -1 while active.
  // Empty like `active` for hand-built tables.
  std::vector<std::int64_t> acquired_by;
  std::vector<std::int64_t> acquired_step;

  std::size_t count() const { return country.size(); }
  bool is_active(std::uint32_t firm) const { return active.empty() || active[firm] != 0; }
  bool operator==(const FirmTable&) const = default;
};

// A matchmaking pool open for one quarter (business_forum, matchmaking events): firms of the given
// countries and sectors meet candidate partners from the pool ([firms.cooperation] event_candidates).
struct FirmMatchPool {
  std::vector<std::uint32_t> countries;  // agent indices
  std::uint32_t sectors = 0;             // bit mask over Sector; all bits: every sector
  std::uint32_t firms = 0;               // expected number of participants; 0: every eligible firm
  std::uint32_t key = 0;                 // stable id of the event's name: keys the participation draws
  bool screened = false;                 // a matching programme (matchmaking) that screens and introduces its firms
  bool operator==(const FirmMatchPool&) const = default;
};
inline constexpr std::uint32_t kAllSectors = (1u << kSectorCount) - 1;

// Undirected weighted ties between firms, each stored once with a < b, sorted by (a, b). The columns
// may keep room in front of their first tie, where the B2B update writes a step's new list
// (tie_column.hpp), and room between two runs of it: on two threads the update writes the ties of
// the firms below a firm g forwards into the room in front and the others backwards into the room
// behind, away from each other, so that neither waits for the other's count of ended ties
// (b2b_tie_update.cpp; docs/performance.md, thirty-first round). The ties from `split` on (the
// first of firm g's) then lie `gap` places later in the columns than their rank: a column holds
// count() + gap elements. A gap lives inside FirmNetwork and the update only: FirmNetwork::ties()
// hands out the list without one.
struct FirmTies {
  TieColumn<std::uint32_t> a;
  TieColumn<std::uint32_t> b;
  TieColumn<double> weight;
  std::size_t split = 0;  // the rank of the first tie after the gap (where one is)
  std::size_t gap = 0;    // places between the two runs; 0: one run

  std::size_t count() const { return a.size() - gap; }
  // The place in the columns of the tie of rank `tie` (0 <= tie < count()).
  std::size_t place(std::size_t tie) const { return tie < split ? tie : tie + gap; }
  // Moves the ties after the gap down to close it (a copy of those ties; nothing where there is none).
  void close_gap();
  // The same ties in the same order, wherever they lie.
  bool operator==(const FirmTies& other) const;
};

// Directed B2B trade: firm `seller` sells to firm `buyer` goods and services worth `value` US$ millions
// a year. Sorted by (seller, buyer), unique; only between firms of different countries (the country
// trade layer, COW, is international trade).
struct FirmFlows {
  std::vector<std::uint32_t> seller;
  std::vector<std::uint32_t> buyer;
  std::vector<double> value;

  std::size_t count() const { return seller.size(); }
  bool operator==(const FirmFlows&) const = default;
};

// A firm's neighbours in increasing order, read as one list from two contiguous parts: those
// below it (its list in the network's lower index) and those above it (the b of its run of ties
// (f, .) in the sorted tie list, which the index need not copy).
class NeighbourList {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::uint32_t;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::uint32_t*;
    using reference = const std::uint32_t&;
    iterator() = default;
    iterator(const std::uint32_t* at, const std::uint32_t* jump_from, const std::uint32_t* jump_to)
        : at_(at), jump_from_(jump_from), jump_to_(jump_to) {}
    reference operator*() const { return *at_; }
    iterator& operator++() {
      if (++at_ == jump_from_) at_ = jump_to_;  // from the end of the lower part to the upper part
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& other) const { return at_ == other.at_; }

   private:
    const std::uint32_t* at_ = nullptr;
    const std::uint32_t* jump_from_ = nullptr;
    const std::uint32_t* jump_to_ = nullptr;
  };

  NeighbourList(std::span<const std::uint32_t> below, std::span<const std::uint32_t> above)
      : below_(below), above_(above) {}
  std::size_t size() const { return below_.size() + above_.size(); }
  bool empty() const { return below_.empty() && above_.empty(); }
  std::uint32_t operator[](std::size_t k) const { return k < below_.size() ? below_[k] : above_[k - below_.size()]; }
  iterator begin() const {
    if (below_.empty()) return {above_.data(), nullptr, nullptr};
    return {below_.data(), below_.data() + below_.size(), above_.data()};
  }
  iterator end() const { return {above_.data() + above_.size(), nullptr, nullptr}; }
  std::span<const std::uint32_t> below() const { return below_; }
  std::span<const std::uint32_t> above() const { return above_; }

 private:
  std::span<const std::uint32_t> below_, above_;
};

// Whether `value` is among the `length` increasing numbers from `run` (a firm's run of upper
// neighbours): halving the range with a conditional move until one entry is left, without a branch
// on the data (std::binary_search's unpredictable branches cost more than the probes: twelfth round
// of docs/performance.md). FirmNetwork::linked, and the B2B update's search for the proposals that
// are ties already (b2b_tie_update.cpp, ties_among), whose list is mid-update.
inline bool sorted_run_holds(const std::uint32_t* run, std::size_t length, std::uint32_t value) {
  if (length == 0) return false;
  while (length > 1) {
    const std::size_t half = length / 2;
    run = run[half] <= value ? run + half : run;
    length -= half;
  }
  return *run == value;
}

// A tie layer with an index for neighbour look-ups, rebuilt in bulk after each change. The index
// holds where each firm's run of ties (f, .) starts in the tie list (the upper neighbours are that
// run's b) and, as offsets, how many neighbours each firm has below it; the lower neighbours
// themselves (CSR, 4 bytes a tie) are kept only when something reads a firm's whole partner list
// (neighbours()): degree(), linked() and weight() need the tie list and the offsets alone. 16 bytes
// a tie (a, b, weight), 20 with the partner lists.
class FirmNetwork {
 public:
  // Whether a network built from another one by a step's changes keeps its partner lists (the
  // lower lists neighbours() reads). Only some effects and candidate sources read them
  // (sim/dynamics/firms: partner_lists_read); merging them is about a tenth of a large B2B run
  // (docs/performance.md, fifteenth round).
  enum class PartnerLists { Kept, Omitted };
  // The vectors of a network that is no longer needed, to build another one in: their memory is
  // already mapped and touched, so a step that builds a network of millions of ties does not pay
  // for fresh pages each time (sim/dynamics/firms/b2b_cooperation.cpp recycles them).
  // Where firm f's neighbours are: its lower list starts at lower_offset (and ends at the next
  // firm's), its run of ties (f, .) at upper_start. Side by side, so that a look-up of f's two
  // parts reads one cache line rather than one in each of two arrays.
  struct Entry {
    std::size_t lower_offset = 0;
    std::size_t upper_start = 0;
    bool operator==(const Entry&) const = default;
  };
  // The index, one entry a firm and one more: in 2 MiB pages where large (huge_pages.hpp), since the
  // look-ups read it at random.
  using Index = LargeVector<Entry>;
  struct Buffers {
    FirmTies ties;
    Index index;
    Column<std::uint32_t> lower_neighbours;
    PartnerLists lists = PartnerLists::Kept;  // whether lower_neighbours holds the network's lower lists
  };

  FirmNetwork() = default;
  FirmNetwork(std::size_t firm_count, FirmTies ties);  // ties must be sorted, a < b, unique
  // The same, building the index in `spare`'s vectors (their contents are ignored; spare.ties unused).
  FirmNetwork(std::size_t firm_count, FirmTies ties, Buffers spare);
  // The network `before` was, after a step's changes, made in before's own vectors (Buffers from
  // release() or copy_into()): before.ties is already the new tie list (sorted, a < b, unique),
  // before.index and before.lower_neighbours are still before's index and lower lists. `removed` and
  // `added`: the ties that went and came (packed a << 32 | b, each list sorted, as the B2B update
  // hands them over, so that a range of firms finds its changes by bisection; added ties were not in
  // before, removed ones were; both are consumed: they become the merge's scratch). The lower lists
  // are merged with the changes where they lie (sim/model/in_place_blocks.hpp), in one streaming
  // pass over the firms rather than every tie scattered anew (a step changes a few per cent of the
  // ties); the index is rebuilt in `index_memory`'s vector, which is handed back holding before's
  // old index, for the next step to build in. The same network as the constructors above build.
  // Falls back to the full build when before's index is of another number of firms, or when the
  // lists are to be kept and before has none.
  // weight_sum: the new ties' weights summed in order, when the caller has it (see weight_sum()).
  // lists: Omitted builds the index without the lower lists (their memory is let go); the other
  // constructors always build them.
  FirmNetwork(std::size_t firm_count, Buffers before, Index& index_memory,
              std::vector<std::uint64_t> removed, std::vector<std::uint64_t> added,
              std::optional<double> weight_sum = std::nullopt, PartnerLists lists = PartnerLists::Kept);
  // A copy of the network's vectors made in `spare`'s (their memory reused; their contents ignored).
  Buffers copy_into(Buffers spare) const;
  // Gives up the network's vectors (it is left empty).
  Buffers release() &&;

  // The ties, one run (a gap the update left is closed first: a copy of the ties after it, once).
  // Since that changes the network's memory, a network with a gap is read by one thread at a time
  // around this call: never from inside a parallel region (std::logic_error there; the B2B update
  // leaves gaps only in a run's own networks, on a run's threads, outside any sweep).
  const FirmTies& ties() const;
  // The ties as they lie, a gap included (the B2B phase: where the update writes next).
  const FirmTies& ties_as_laid() const { return ties_; }
  std::size_t tie_count() const { return ties_.count(); }
  std::size_t firm_count() const { return index_.empty() ? 0 : index_.size() - 1; }
  std::size_t degree(std::uint32_t firm) const {
    return (index_[firm + 1].lower_offset - index_[firm].lower_offset) +
           (index_[firm + 1].upper_start - index_[firm].upper_start);
  }
  bool has_partner_lists() const { return lists_ == PartnerLists::Kept; }
  // Firm's partners, in increasing order. Needs the partner lists: throws std::logic_error on a
  // network built without them (a caller that reads them must say so: partner_lists_read).
  // Inline: formation's effects ask it for every candidate.
  NeighbourList neighbours(std::uint32_t firm) const {
    if (lists_ != PartnerLists::Kept) [[unlikely]]
      throw_without_partner_lists();
    const Entry& at = index_[firm];
    const Entry& next = index_[firm + 1];
    // A firm's ties (f, .) lie on one side of a gap (the update splits the list between firms).
    const std::uint32_t* const above = ties_.b.data() + ties_.place(at.upper_start);
    return {{lower_neighbours_.data() + at.lower_offset, lower_neighbours_.data() + next.lower_offset},
            {above, above + (next.upper_start - at.upper_start)}};
  }
  bool linked(std::uint32_t i, std::uint32_t j) const;
  // The weight of the tie between i and j, 0 when they have none (binary search of the lower
  // firm's ties, O(log degree)).
  double weight(std::uint32_t i, std::uint32_t j) const;
  // The weights summed one after the other in tie order, so that a recorded mean weight is the same
  // double however many threads built the network. Handed over by the B2B update (one thread: as
  // it writes the weights; threads: block after finished block, beside the writing); summed here
  // for a network built any other way.
  double weight_sum() const;
  // The same ties and index (a handed-over weight_sum is not part of the value).
  bool operator==(const FirmNetwork& other) const {
    return ties_ == other.ties_ && index_ == other.index_ && lists_ == other.lists_ &&
           lower_neighbours_ == other.lower_neighbours_;
  }

 private:
  void build_index(std::size_t firm_count);
  [[noreturn]] static void throw_without_partner_lists();
  void merge_index(const Index& old_index, std::vector<std::uint64_t> removed,
                   std::vector<std::uint64_t> added, bool keep_lists);
  void close_gap() const;
  mutable FirmTies ties_;  // mutable: ties() closes a gap the update left
  // firm_count + 1 entries: firm f's lower list is lower_neighbours_[index_[f].lower_offset,
  // index_[f + 1].lower_offset) (the offsets are kept without the lists: their differences are the
  // lower degrees), its ties (f, .) the ranks [index_[f].upper_start, index_[f + 1].upper_start) (at
  // ties_.place(rank) in the columns).
  Index index_;
  Column<std::uint32_t> lower_neighbours_;  // each firm's neighbours below it, in increasing order (when kept)
  PartnerLists lists_ = PartnerLists::Kept;
  std::optional<double> weight_sum_;
};

}  // namespace policysim
