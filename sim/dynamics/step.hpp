#pragma once
// The step loop. One step simulates one quarter as a named list of phases; each phase reads
// the world as it was at the start of the phase and writes a fresh copy, so no phase sees a
// half-updated state and no result depends on loop order or thread count. (The B2B cooperation
// phase, after its last read of the start's firm network, changes that network where it lies when
// the phase's two worlds alone hold it: SharedValue::held_only_by, docs/performance.md.)
//
// Time convention: the world with period p describes the start of quarter p. A step applies
// the events dated p, moves the ties through quarter p, and leaves the world at the start of p+1.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/dynamics/phase_timings.hpp"
#include "sim/dynamics/random_streams.hpp"
#include "sim/dynamics/utility_trace.hpp"
#include "sim/model/world.hpp"
#include "sim/description/scenario.hpp"

namespace policysim {

// One line of the log of applied events.
struct AppliedEvent {
  Period period;
  std::string name;    // the event's key in the scenario
  std::string kind;    // its kind in the event catalogue
  std::string detail;  // what it changed, e.g. "JPN leader Abe -> Suga"
};

// Milestones are the countable events of the dynamics, as the sources count them: a dialogue held,
// an MOU signed (docs/model.md, "Milestones"). Pairs are mutual: agent < partner (slots).
enum class MilestoneKind { DialogueHeld, MouSigned };
std::string_view name_of(MilestoneKind kind);  // "dialogue_held", "mou_signed"

struct Milestone {
  Period period;         // the quarter in which it happened
  std::size_t agent = 0;    // slot of the first party (the smaller slot)
  std::size_t partner = 0;  // slot of the second party
  MilestoneKind kind = MilestoneKind::DialogueHeld;
  double strength = 0.0;  // the pair's dialogue (held) or cooperation (signed) at that moment
  bool operator==(const Milestone&) const = default;
};

struct PhaseContext {
  const Scenario& scenario;
  const RandomStreams& random;
  std::vector<AppliedEvent>& applied;   // the events phase appends here
  std::vector<Milestone>& milestones;   // the milestones phase appends here
  // Optional: the tie whose utility terms the layer phases record (`policysim explain`); null in
  // every ordinary run, where the phases then do exactly what they do without it.
  UtilityTrace* trace = nullptr;
  // Optional: where the phases time their parts (`policysim run --timings`, phase_timings.hpp); null
  // in every ordinary run.
  PhaseTimings* timings = nullptr;
};

struct Phase {
  std::string_view name;
  std::string_view doc;
  void (*run)(const PhaseContext& context, const World& start, World& next);
};

// The phases of a step, in order: events, trade, b2b_trade, dialogue, cooperation, milestones,
// b2b_cooperation, threat_decay.
std::span<const Phase> step_phases();

// The update rule of a mutual tie (dialogue, cooperation), docs/model.md "Tie dynamics": the strength
// moves the share `adjustment_rate` of the way towards logistic(utility), plus the shock, kept in [0, 1]:
//   s' = clamp(s + a * (logistic(U) - s) + shock, 0, 1)
// The step uses exactly this function; `policysim explain` and its tests replay ties with it.
double mutual_tie_update(double before, double utility, double adjustment_rate, double shock);

// The quarter's log growth of a trade flow, docs/model.md "Trade": g = drift + lambda * (U - log T) + shock,
// with log T taken at the floor for a flow below it (lambda = 0: U does not enter).
double trade_log_growth(double drift, double adjustment_rate, double utility, double flow, double shock);

// The world before the first step: initial ties, leaders and attributes of the scenario, after the
// scenario's spin-up quarters (if any) have settled dialogue and cooperation. `random`: the run's
// streams (RandomStreams::for_run), from which the firms draw their attributes and first trade partners.
World initial_world(const Scenario& scenario, const RandomStreams& random);

class Simulation {
 public:
  explicit Simulation(const Scenario& scenario);
  const World& world() const { return world_; }
  // Simulates one quarter; returns the events applied in it.
  std::vector<AppliedEvent> step();
  // The milestones of the last step (dialogues held, MOUs signed), by pair.
  const std::vector<Milestone>& milestones() const { return milestones_; }
  bool finished() const { return world_.step >= scenario_.simulation.steps; }
  // From the next step on, record the utility terms of `trace`'s tie there (null: stop recording).
  // The caller keeps it alive while steps run. It changes nothing the step computes.
  void set_utility_trace(UtilityTrace* trace) { trace_ = trace; }
  // From the next step on, time each phase and its parts into `timings` (null: stop). The caller
  // keeps it alive while steps run. It changes nothing the step computes.
  void set_timings(PhaseTimings* timings) { timings_ = timings; }

 private:
  const Scenario& scenario_;
  RandomStreams random_;
  World world_;
  std::vector<Milestone> milestones_;
  UtilityTrace* trace_ = nullptr;
  PhaseTimings* timings_ = nullptr;
};

}  // namespace policysim
