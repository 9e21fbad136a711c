#pragma once
// The B2B cooperation ties' own step (the B2B phase, sim/dynamics/firms/b2b_cooperation.cpp, steps
// 2 and 3 of ../shared/bench/DECLARATION.md): every existing tie moves towards its pair's
// complementarity and ends below the removal threshold; the step's new ties join at the initial
// weight, in (a, b) order. Done where the tie list lies, so that a step holds one network of
// millions of ties, not two (docs/performance.md, ninth round).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "sim/description/firm_settings.hpp"
#include "sim/model/firms.hpp"

namespace policysim {

// What a step's update did: the ties that ended (packed a << 32 | b, in tie order) and the new
// weights summed one after the other in the new tie order (FirmNetwork::weight_sum: the same double
// for any thread count).
struct TieUpdate {
  std::vector<std::uint64_t> removed;
  double weight_sum = 0.0;
  // The proposed pairs that were ties already, in order: they formed nothing (the tie moved as any
  // other). Formation proposes every pair whose draw succeeds and asks nothing of the network.
  std::vector<std::uint64_t> already_ties;
};

// A tie's weight after a step: it moves the share `adjustment` of the way towards the pair's
// complementarity x_a (1 - x_b) + x_b (1 - x_a) (complementarity(firms, a, b) in firm_effects.hpp,
// the same expression; source 000, "chutzpah" and "monozukuri"; docs/model.md, "Weights"). `keep` is
// 1 - adjustment. Arguments by value: nothing the update loop stores can alias them.
inline double moved_weight(double keep, double adjustment, double weight, double x_a, double x_b) {
  return keep * weight + adjustment * (x_a * (1.0 - x_b) + x_b * (1.0 - x_a));
}

// The least and the most of the firms' innovations, and whether all are finite: the bounds of the
// complementarities that let the threads' update count most ended ties from their weights alone
// (b2b_tie_update.cpp, WeightScreen). One read of 8 bytes a firm; the firm table never changes in
// place, so a caller may keep it for as long as it holds the same table.
struct InnovationRange {
  double low = 0.0, high = 0.0;
  bool finite = false;
};
InnovationRange innovation_range(std::span<const double> innovation);

// Changes `ties` (sorted by (a, b), a < b, unique) in place: each tie's weight moves by
// moved_weight (innovation: each firm's x), ties below dynamics.removal_threshold end, and
// `proposals` (sorted unique packed pairs a << 32 | b, a < b) join at dynamics.initial_weight, but
// those that are ties already (TieUpdate::already_ties): found in the pass that moves the ties, by
// the comparison of each old tie with the next proposal it makes anyway, and on threads by the
// threads that count the blocks before theirs. The tie list stays sorted. Uses the run's threads
// above 131,072 ties (not inside a sweep's parallel region); the same ties, weights and sum for any
// thread count. On exactly two threads the list is written as two runs away from each other and
// may be left with a gap between them (FirmTies::split, gap: read the ties by rank, place()); a gap
// the list comes with is kept or moved there, closed on any other path.
// `range`: innovation_range(innovation), where the caller keeps it (nullopt: found here when threads
// are used).
// `index`: the list's index (FirmNetwork's: one entry a firm and one more, entry f's upper_start where
// firm f's ties (f, .) start): the threads find the ties among the proposals in their first firms'
// runs. An index of another size is a logic error (std::invalid_argument).
TieUpdate update_ties_in_place(FirmTies& ties, std::span<const std::uint64_t> proposals,
                               std::span<const double> innovation, const B2bDynamics& dynamics,
                               const std::optional<InnovationRange>& range,
                               std::span<const FirmNetwork::Entry> index);

// Whether update_ties_in_place writes a list of `ties` ties as two runs, before and after it (two
// threads, no test's schedule forced): where the B2B phase maps the pages the update will write.
bool updates_in_two_runs(std::size_t ties);

// For tests: on threads, which side finds the counts of the blocks before the other threads' runs is
// left to timing (thread 0 as it writes them, from the first up; the others by counting, from the
// last down; they meet). A test forces either extreme, so that each way is exercised whatever the
// machine: WriterFirst (the counting threads start once thread 0 has taken its last block: thread 0
// gives every count), CountersFirst (thread 0 starts once the others have taken every block: it
// waits for each count). Nothing else changes (the same ties, weights and sum); a schedule holds
// for the updates that start after it is set, until Timing is set again.
enum class CountingSchedule { Timing, WriterFirst, CountersFirst };
void force_counting_schedule(CountingSchedule schedule);

// For tests: on threads, a thread done with its run takes the last blocks of a run whose thread is
// still at work (stolen blocks), which is also left to timing. With a limit, each thread writes at
// most `blocks` blocks of its own run and then leaves the rest to stealing (by itself or another
// thread), so that stolen blocks, of the first run and of the last, are exercised whatever the
// machine. std::nullopt (the default): no limit. Nothing else changes (the same ties, weights, sum
// and lists); a limit holds for the updates that start after it is set.
void force_owned_blocks(std::optional<std::size_t> blocks);

// For tests: on exactly two threads (update_in_two_runs), where the threads meet is left to timing
// (each takes blocks from its end of the list, its own run's and then the other's where it may).
// A test forces either thread to go first, alone until it stops, so that taking the other run's
// blocks is exercised whatever the machine: FirstRunFirst (thread 1 starts once thread 0 has
// stopped), SecondRunFirst (the converse). Nothing else changes; held until Timing is set again.
enum class TwoRunsOrder { Timing, FirstRunFirst, SecondRunFirst };
void force_two_runs_order(TwoRunsOrder order);

}  // namespace policysim
