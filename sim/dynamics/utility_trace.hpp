#pragma once
// An optional observer of one tie's utility: which effects made up U_ij at each step, as the step
// computed and used it (`policysim explain`, docs/explain.md). The step fills it from the same loop
// that sums the utility, so the terms are the dynamics' own numbers, not a re-computation; without
// a trace (the default: a null pointer in the phase context) the step does exactly what it did
// before, and a run's results are bit-identical with or without one.
#include <cstddef>
#include <vector>

#include "sim/model/calendar.hpp"
#include "sim/model/layers.hpp"

namespace policysim {

// One term of the utility: the effect (index into effect_catalogue()), its statistic x_k(i, j) on
// the world at the start of the phase, and its coefficient beta_k. Its contribution is
// coefficient * statistic.
struct UtilityTerm {
  std::size_t effect = 0;
  double statistic = 0.0;
  double coefficient = 0.0;
  double contribution() const { return coefficient * statistic; }
};

// The watched tie in one step.
struct UtilityRecord {
  int step = 0;     // the step (0 = the first quarter simulated)
  Period period;    // the quarter it simulates
  std::vector<UtilityTerm> terms;  // in the order of the layer's terms (Scenario::effects)
  double utility = 0.0;     // U_ij as the step used it: the sum of the contributions, in that order
  double tie_before = 0.0;  // the tie at the start of the phase
  double shock = 0.0;       // sd * eps_ij (0 without noise)
  double drift = 0.0;       // trade only: the equilibrium's drift over the quarter (0 for mutual layers)
  double tie_after = 0.0;   // the tie the phase wrote (for trade, before the b2b_trade phase adds the firm flows)
  bool utility_used = true;  // false for trade with adjustment_rate 0 (a random walk: U does not enter)
};

// The sink: the layer and the ordered pair to watch, as the dynamics treat it (a mutual layer
// updates (i, j) with i < j, the slots in the scenario's order; trade updates exporter i -> importer j).
class UtilityTrace {
 public:
  UtilityTrace(Layer layer, std::size_t agent, std::size_t partner) : layer_(layer), agent_(agent), partner_(partner) {}
  Layer layer() const { return layer_; }
  std::size_t agent() const { return agent_; }
  std::size_t partner() const { return partner_; }
  bool watches(Layer layer, std::size_t i, std::size_t j) const {
    return layer == layer_ && i == agent_ && j == partner_;
  }
  // One record per step, in order; the step appends (one pair per step, so one thread writes).
  std::vector<UtilityRecord> records;

 private:
  Layer layer_;
  std::size_t agent_;
  std::size_t partner_;
};

}  // namespace policysim
